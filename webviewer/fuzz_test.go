package webviewer

import (
	"io"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

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
	// The relay logs from its own goroutines, say when junk makes it drop
	// the page; logging to f while an input runs makes the testing
	// package panic, which kills the fuzzing worker. So it logs nowhere.
	r := startRelay(f, Config{Logf: func(string, ...any) {}})
	page := openPage(f, r)
	var pages []*goPage // the pages opened inside the target, closed at the end
	f.Cleanup(func() {
		for _, p := range pages {
			p.ctrl.Close()
		}
	})
	x := xserver.New(xserver.Config{Width: 64, Height: 64, Logf: func(string, ...any) {}})
	var mu sync.Mutex // inputs run one at a time: there is one page
	f.Fuzz(func(t *testing.T, in []byte) {
		mu.Lock()
		defer mu.Unlock()
		c := clientOfPage(t, r, x, &page, func(p *goPage) { pages = append(pages, p) })
		c.SetDeadline(time.Now().Add(5 * time.Second))
		c.Write(in)
		c.(*net.TCPConn).CloseWrite() // the client has said all it will
		// Read what comes back until the server closes or goes quiet.
		io.Copy(io.Discard, io.LimitReader(c, 1<<20))
		c.Close()
		// The page's control channel takes junk too. The server may drop
		// the page for it, as it should; the next input then finds that
		// out and opens a new page.
		page.ctrl.WriteMessage(2, in)
	})
}

// clientOfPage connects an X client to the relay and has the page serve
// it with x. If the server has dropped the page, a new page takes over
// (opened is told of it): the relay must carry the next client either
// way. Everything that can fail the test runs on the test's goroutine.
func clientOfPage(t *testing.T, r *relayDesk, x *xserver.Server, page **goPage, opened func(*goPage)) net.Conn {
	t.Helper()
	for range 2 {
		c, err := net.Dial("tcp", r.x11)
		if err != nil {
			t.Fatal(err)
		}
		select {
		case m := <-(*page).opens:
			ws, _, err := websocket.DefaultDialer.Dial("ws://"+r.host+"/x11/conn?token="+r.web.Token()+"&id="+strconv.FormatUint(m.ID, 10), nil)
			if err == nil {
				t.Cleanup(func() { ws.Close() })
				go x.ServeConn(newWSConn(ws, &connStats{}), m.Trusted)
				return c
			}
			// Refused: the server dropped the page after it asked.
			c.Close()
			select {
			case <-(*page).ended:
			case <-time.After(5 * time.Second):
				t.Fatalf("the page's connection was refused (%v), yet the page is still there", err)
			}
			reopen(t, r, page, opened)
		case <-(*page).ended:
			c.Close()
			reopen(t, r, page, opened)
		case <-time.After(5 * time.Second):
			t.Fatal("the server did not ask the page to open a connection")
		}
	}
	t.Fatal("a new page was not asked to open the connection either")
	return nil
}

// reopen replaces a page the server has dropped.
func reopen(t *testing.T, r *relayDesk, page **goPage, opened func(*goPage)) {
	t.Helper()
	p, err := newPage(r)
	if err != nil {
		t.Fatalf("a new page: %v", err)
	}
	opened(p)
	*page = p
}
