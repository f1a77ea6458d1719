package webviewer

import (
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"netdisplay/xserver"
)

// FuzzRelay sends arbitrary bytes from an X client through the relay to a
// page whose X server answers, and arbitrary bytes from a page as a
// WebSocket message on the control channel: neither may panic, hang, or
// stop the relay from carrying the next client.
func FuzzRelay(f *testing.F) {
	f.Add([]byte("l\x00\x0b\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Add([]byte("l\x00\x0b\x00\x00\x00\x00\x00\x00\x00\x00\x00\x2b\x00\x01\x00"))
	f.Add([]byte("B\x00\x00\x0b\x00\x12\x00\x10\x00\x00MIT-MAGIC-COOKIE-1"))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff})
	// One relay, page and X server for the whole run: the point is that
	// they survive every input.
	r := startRelay(f, Config{})
	page := openPage(f, r)
	x := xserver.New(xserver.Config{Width: 64, Height: 64, Logf: func(string, ...any) {}})
	var mu sync.Mutex // inputs run one at a time: there is one page
	f.Fuzz(func(t *testing.T, in []byte) {
		mu.Lock()
		defer mu.Unlock()
		c, err := net.Dial("tcp", r.x11)
		if err != nil {
			t.Fatal(err)
		}
		served := make(chan struct{})
		go func() {
			page.serve(t, r, x)
			close(served)
		}()
		c.SetDeadline(time.Now().Add(5 * time.Second))
		c.Write(in)
		c.(*net.TCPConn).CloseWrite() // the client has said all it will
		<-served
		// Read what comes back until the server closes or goes quiet.
		io.Copy(io.Discard, io.LimitReader(c, 1<<20))
		c.Close()
		// The page's control channel takes junk too.
		page.ctrl.WriteMessage(2, in)
	})
}
