package bench

import (
	"net"
	"sync"
	"sync/atomic"
)

// A counter is the independent count of a run's traffic: a plain TCP
// relay, sharing no code with the link emulation, that sits in series
// with the link on the side away from the tap and counts what it
// carries. It has no delay and no queue of its own beyond io.Copy's
// buffer, so once a run is quiet its counts must equal the link's.
type counter struct {
	l    net.Listener
	to   string
	up   atomic.Int64 // towards the link
	down atomic.Int64 // from the link

	mu    sync.Mutex
	conns []net.Conn
	wg    sync.WaitGroup
}

// newCounter relays the connections accepted on l to address to.
func newCounter(l net.Listener, to string) *counter {
	c := &counter{l: l, to: to}
	c.wg.Add(1)
	go c.serve()
	return c
}

func (c *counter) serve() {
	defer c.wg.Done()
	for {
		a, err := c.l.Accept()
		if err != nil {
			return
		}
		b, err := net.Dial("tcp", c.to)
		if err != nil {
			a.Close()
			continue
		}
		c.mu.Lock()
		c.conns = append(c.conns, a, b)
		c.mu.Unlock()
		c.wg.Add(2)
		go c.copy(b, a, &c.up)
		go c.copy(a, b, &c.down)
	}
}

func (c *counter) copy(dst, src net.Conn, n *atomic.Int64) {
	defer c.wg.Done()
	buf := make([]byte, 32<<10)
	for {
		k, err := src.Read(buf)
		if k > 0 {
			if _, werr := dst.Write(buf[:k]); werr != nil {
				break
			}
			n.Add(int64(k))
		}
		if err != nil {
			break
		}
	}
	// Half-close, so that the other direction can finish.
	if tc, ok := dst.(*net.TCPConn); ok {
		tc.CloseWrite()
	} else {
		dst.Close()
	}
}

func (c *counter) close() {
	c.l.Close()
	c.mu.Lock()
	for _, k := range c.conns {
		k.Close()
	}
	c.mu.Unlock()
	c.wg.Wait()
}
