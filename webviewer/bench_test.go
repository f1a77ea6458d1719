package webviewer

import (
	"encoding/binary"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"netdisplay/xserver"
)

// BenchmarkRelayRoundTrip is an X client's round trip (GetInputFocus)
// through the web server's relay and a WebSocket to an X server behind
// it: what X mode adds to every request that waits for a reply, on
// loopback. The page here is Go, as in TestRelay, so the figure is the
// relay's, not the browser's.
func BenchmarkRelayRoundTrip(b *testing.B) {
	r := startRelay(b, Config{})
	p := openPage(b, r)
	x := xserver.New(xserver.Config{Width: 64, Height: 64, Logf: func(string, ...any) {}})
	defer x.Close()
	c, err := net.Dial("tcp", r.x11)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte{'l', 0, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	p.serve(b, r, x)
	c.SetDeadline(time.Now().Add(time.Minute))
	var hdr [8]byte
	if _, err := io.ReadFull(c, hdr[:]); err != nil || hdr[0] != 1 {
		b.Fatalf("setup: %v %v", hdr, err)
	}
	io.CopyN(io.Discard, c, int64(binary.LittleEndian.Uint16(hdr[6:]))*4)
	req := []byte{43, 0, 1, 0} // GetInputFocus
	reply := make([]byte, 32)
	b.ResetTimer()
	for range b.N {
		c.Write(req)
		if _, err := io.ReadFull(c, reply); err != nil || reply[0] != 1 {
			b.Fatalf("reply %v: %v", reply, err)
		}
	}
}

// BenchmarkWebSocketStream is the WebSocket carriage of RFB or X11:
// 64 KiB writes through a wsConn to a reader on loopback.
func BenchmarkWebSocketStream(b *testing.B) {
	up := websocket.Upgrader{}
	got := make(chan int64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		n, _ := io.Copy(io.Discard, newWSConn(ws, &connStats{}))
		got <- n
	}))
	defer srv.Close()
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		b.Fatal(err)
	}
	c := newWSConn(ws, &connStats{})
	buf := make([]byte, 64<<10)
	b.SetBytes(int64(len(buf)))
	b.ResetTimer()
	for range b.N {
		if _, err := c.Write(buf); err != nil {
			b.Fatal(err)
		}
	}
	c.Close()
	if n := <-got; n != int64(b.N*len(buf)) {
		b.Fatalf("read %d bytes of %d", n, b.N*len(buf))
	}
}
