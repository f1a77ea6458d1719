package webviewer

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"image"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"netdisplay/pixelproto"
)

// rfbRelayDesk is a web server relaying pixel mode to a TCP listener the
// test plays the RFB server on.
type rfbRelayDesk struct {
	web     *Server
	webAddr string
	target  net.Listener
	accepts atomic.Int32
	conns   chan net.Conn
}

func startRFBRelayDesk(t *testing.T) *rfbRelayDesk {
	t.Helper()
	d := &rfbRelayDesk{conns: make(chan net.Conn, 10)}
	var err error
	if d.target, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			c, err := d.target.Accept()
			if err != nil {
				return
			}
			d.accepts.Add(1)
			d.conns <- c
		}
	}()
	d.web, err = New(Config{RFBTarget: d.target.Addr().String(), Logf: testLog(t)})
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d.webAddr = l.Addr().String()
	go d.web.Serve(l)
	t.Cleanup(func() {
		d.web.Close()
		d.target.Close()
	})
	return d
}

// dial opens /websockify as a page would, and returns the page's end and
// the connection the relay made to the RFB server.
func (d *rfbRelayDesk) dial(t *testing.T) (net.Conn, net.Conn) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	page, err := Dial(ctx, "ws://"+d.webAddr+"/websockify?token="+d.web.Token())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { page.Close() })
	select {
	case srv := <-d.conns:
		t.Cleanup(func() { srv.Close() })
		return page, srv
	case <-time.After(10 * time.Second):
		t.Fatal("the relay did not connect to the RFB server")
	}
	return nil, nil
}

// waitEnd waits for c to read EOF (or an error) within a few seconds.
func waitEnd(t *testing.T, c net.Conn, what string) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err := io.Copy(io.Discard, c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("%s: still open after 10s", what)
	}
}

// openRelays is how many relayed connections the server counts as open:
// a relay leaves the table only when both its directions have stopped.
func (d *rfbRelayDesk) openRelays() int { return len(d.web.Stats().RFB.Connections) }

// TestRFBRelay relays pixel mode to another RFB server: bytes go both
// ways unchanged and are counted, the page learns there is no X mode,
// either side's end closes the other, and the checks on the token and
// the origin still come first.
func TestRFBRelay(t *testing.T) {
	d := startRFBRelayDesk(t)
	var info Info
	getJSON(t, "http://"+d.webAddr+"/info?token="+d.web.Token(), &info)
	if !info.RFB || info.Display != "" || info.RFBTarget != d.target.Addr().String() {
		t.Errorf("/info: %+v", info)
	}

	// Refused before any connection to the RFB server.
	for _, c := range []struct {
		query, origin string
	}{{"", ""}, {"?token=" + d.web.Token(), "http://evil.example"}} {
		req, _ := http.NewRequest("GET", "http://"+d.webAddr+"/websockify"+c.query, nil)
		req.Header.Set("Connection", "Upgrade")
		req.Header.Set("Upgrade", "websocket")
		if c.origin != "" {
			req.Header.Set("Origin", c.origin)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("/websockify%s from %q: %s", c.query, c.origin, resp.Status)
		}
	}
	if n := d.accepts.Load(); n != 0 {
		t.Errorf("refused requests made %d connections to the RFB server", n)
	}

	// Bytes both ways, more than a message or a buffer holds.
	page, srv := d.dial(t)
	up, down := make([]byte, 300<<10), make([]byte, 500<<10)
	rand.Read(up)
	rand.Read(down)
	go func() {
		page.Write(up[:10])
		page.Write(up[10:])
	}()
	go srv.Write(down)
	got := make([]byte, len(up))
	srv.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.ReadFull(srv, got); err != nil || !bytes.Equal(got, up) {
		t.Fatalf("the RFB server read %v (equal %v)", err, bytes.Equal(got, up))
	}
	got = make([]byte, len(down))
	page.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.ReadFull(page, got); err != nil || !bytes.Equal(got, down) {
		t.Fatalf("the page read %v (equal %v)", err, bytes.Equal(got, down))
	}
	page.SetReadDeadline(time.Time{})
	waitFor(t, "/stats to count the relayed bytes", 10*time.Second, func() bool {
		var st Stats
		getJSON(t, "http://"+d.webAddr+"/stats?token="+d.web.Token(), &st)
		return len(st.RFB.Connections) == 1 && st.RFB.ToBrowser == int64(len(down)) && st.RFB.FromBrowser == int64(len(up))
	})

	// The RFB server ends: the page's WebSocket closes.
	srv.Close()
	waitEnd(t, page, "the page's WebSocket after the RFB server closed")
	waitFor(t, "the relay to end", 10*time.Second, func() bool { return d.openRelays() == 0 })

	// The page ends: the relay's TCP connection closes.
	page, srv = d.dial(t)
	page.Write([]byte("RFB 003.008\n"))
	srv.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.ReadFull(srv, make([]byte, 12)); err != nil {
		t.Fatal(err)
	}
	page.Close()
	waitEnd(t, srv, "the RFB server's connection after the page closed")
	waitFor(t, "the relay to end", 10*time.Second, func() bool { return d.openRelays() == 0 })

	// The web server closes: so do the relays.
	page, srv = d.dial(t)
	waitFor(t, "the relay to start", 10*time.Second, func() bool { return d.openRelays() == 1 })
	d.web.Close()
	waitEnd(t, srv, "the RFB server's connection after the web server closed")
	waitEnd(t, page, "the page's WebSocket after the web server closed")
	waitFor(t, "the relay to end", 10*time.Second, func() bool { return d.openRelays() == 0 })
}

// An RFB server that is not there is an HTTP error, not a WebSocket.
func TestRFBRelayUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	web, err := New(Config{RFBTarget: addr, Logf: testLog(t)})
	if err != nil {
		t.Fatal(err)
	}
	wl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go web.Serve(wl)
	defer web.Close()
	_, err = Dial(context.Background(), "ws://"+wl.Addr().String()+"/websockify?token="+web.Token())
	if err == nil || !strings.Contains(err.Error(), "502") || strings.Contains(err.Error(), web.Token()) {
		t.Errorf("dialling through to nothing: %v", err)
	}
	if _, err := New(Config{RFBTarget: addr, RFB: pixelproto.NewServer(pixelproto.NewMemSource(8, 8, "m"), pixelproto.ServerConfig{})}); err == nil {
		t.Error("New took both an RFB server and a target")
	}
}

// TestRFBRelayProtocol speaks RFB through the relay to netdisplay's own
// RFB server on TCP, with a password: the client sees the pixels, and
// its input arrives.
func TestRFBRelayProtocol(t *testing.T) {
	src := pixelproto.NewMemSource(160, 100, "relayed")
	src.Fill(image.Rect(20, 10, 90, 60), 0x3366cc)
	var keys atomic.Int32
	src.OnKey = func(k uint32, down bool) { keys.Add(1) }
	rfb := pixelproto.NewServer(src, pixelproto.ServerConfig{Password: []byte("sesame"), Logf: testLog(t)})
	defer rfb.Close()
	tl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go rfb.Serve(tl)
	web, err := New(Config{RFBTarget: tl.Addr().String(), RFBPassword: true, Logf: testLog(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer web.Close()
	wl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go web.Serve(wl)
	u, _ := url.Parse(web.URL(wl))
	conn, err := Dial(context.Background(), "ws://"+u.Host+"/websockify?"+u.RawQuery)
	if err != nil {
		t.Fatal(err)
	}
	c, err := pixelproto.NewClient(conn, pixelproto.ClientConfig{Password: "sesame"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	waitFor(t, "the client to have the framebuffer", 10*time.Second, func() bool {
		n, _ := diff(c.Image(), src.Image())
		return n == 0
	})
	c.Key(0x61, true)
	waitFor(t, "the key to arrive", 10*time.Second, func() bool { return keys.Load() > 0 })
	waitFor(t, "/stats to count what the client counted", 10*time.Second, func() bool {
		st := web.Stats()
		cs := c.Stats()
		return len(st.RFB.Connections) == 1 && st.RFB.Connections[0].ToBrowser == cs.BytesIn &&
			st.RFB.Connections[0].FromBrowser == cs.BytesOut
	})
}
