package peer

import (
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"netdisplay/xserver/transport"
)

// A CountingProxy is a display that forwards every connection to another
// display and counts the bytes each way: an independent count of what X
// clients and servers say to each other.
type CountingProxy struct {
	Display string // point clients here

	ToServer, ToClient atomic.Int64
}

// NewCountingProxy starts a proxy in front of target (":N"); it stops
// when the test ends.
func NewCountingProxy(t testing.TB, target string) *CountingProxy {
	t.Helper()
	d, err := transport.Listen(transport.Options{Number: -1, TCP: "none"})
	if err != nil {
		t.Fatal(err)
	}
	p := &CountingProxy{Display: fmt.Sprintf(":%d", d.Number)}
	addr := "/tmp/.X11-unix/X" + strings.TrimPrefix(target, ":")
	var wg sync.WaitGroup
	for _, l := range d.Listeners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				s, err := net.Dial("unix", addr)
				if err != nil {
					c.Close()
					continue
				}
				go p.pipe(s, c, &p.ToServer)
				go p.pipe(c, s, &p.ToClient)
			}
		}()
	}
	t.Cleanup(func() {
		d.Close()
		wg.Wait()
	})
	return p
}

func (p *CountingProxy) pipe(dst, src net.Conn, n *atomic.Int64) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 64<<10)
	for {
		k, err := src.Read(buf)
		if k > 0 {
			n.Add(int64(k))
			if _, werr := dst.Write(buf[:k]); werr != nil {
				return
			}
		}
		if err != nil {
			if err != io.EOF {
				return
			}
			return
		}
	}
}
