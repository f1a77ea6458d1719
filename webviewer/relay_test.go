package webviewer

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"netdisplay/webviewer/browser"
	"netdisplay/xserver"
)

// relayDesk is a web server in X mode only, with its X11 listener on a
// loopback TCP port.
type relayDesk struct {
	web  *Server
	host string // the web server's
	x11  string // where X clients connect
}

func startRelay(t testing.TB, cfg Config) *relayDesk {
	t.Helper()
	cfg.Display = ":99"
	if cfg.Logf == nil {
		cfg.Logf = testLog(t)
	}
	web, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	xl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go web.Serve(hl)
	go web.ServeX11(xl)
	t.Cleanup(func() { web.Close() })
	return &relayDesk{web: web, host: hl.Addr().String(), x11: xl.Addr().String()}
}

func (r *relayDesk) dial(t testing.TB, path string) *websocket.Conn {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial("ws://"+r.host+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	return ws
}

// A goPage does what the page does in X mode, in Go: it takes the control
// channel, and serves each relayed X client with an X server here.
type goPage struct {
	ctrl  *websocket.Conn
	hello browser.Control
	opens chan browser.Control
	ended chan error
}

func openPage(t testing.TB, r *relayDesk) *goPage {
	t.Helper()
	p, err := newPage(r)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.ctrl.Close() })
	return p
}

// newPage is openPage for where there is no test to fail or to clean up
// after: inside a fuzz target, for a page that outlives the input.
func newPage(r *relayDesk) (*goPage, error) {
	ws, _, err := websocket.DefaultDialer.Dial("ws://"+r.host+"/x11?token="+r.web.Token(), nil)
	if err != nil {
		return nil, err
	}
	p := &goPage{ctrl: ws, opens: make(chan browser.Control, 10), ended: make(chan error, 1)}
	if err := p.ctrl.ReadJSON(&p.hello); err != nil || p.hello.Type != "hello" {
		ws.Close()
		return nil, fmt.Errorf("hello: %+v, %v", p.hello, err)
	}
	go func() {
		for {
			var m browser.Control
			if err := p.ctrl.ReadJSON(&m); err != nil {
				p.ended <- err
				return
			}
			p.opens <- m
		}
	}()
	for deadline := time.Now().Add(5 * time.Second); !r.web.Stats().X11.Page; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			ws.Close()
			return nil, errors.New("the page did not become the display")
		}
	}
	return p, nil
}

// serve takes the next X client and serves it with x.
func (p *goPage) serve(t testing.TB, r *relayDesk, x *xserver.Server) browser.Control {
	t.Helper()
	select {
	case m := <-p.opens:
		ws := r.dial(t, "/x11/conn?token="+r.web.Token()+"&id="+strconv.FormatUint(m.ID, 10))
		go x.ServeConn(newWSConn(ws, &connStats{}), m.Trusted)
		return m
	case <-time.After(5 * time.Second):
		t.Fatal("the server did not ask the page to open a connection")
	}
	return browser.Control{}
}

// setup sends an X connection setup in the given byte order, with a
// cookie if there is one, and returns the server's answer: its status
// byte and, if it failed, the reason.
func setup(t *testing.T, addr string, order byte, cookie []byte) (byte, string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var bo binary.AppendByteOrder = binary.LittleEndian
	if order == 'B' {
		bo = binary.BigEndian
	}
	b := []byte{order, 0}
	b = bo.AppendUint16(b, 11)
	b = bo.AppendUint16(b, 0)
	name := "MIT-MAGIC-COOKIE-1"
	if cookie == nil {
		name = ""
	}
	b = bo.AppendUint16(b, uint16(len(name)))
	b = bo.AppendUint16(b, uint16(len(cookie)))
	b = append(b, 0, 0)
	b = append(b, name...)
	b = append(b, make([]byte, pad4(len(name)))...)
	b = append(b, cookie...)
	b = append(b, make([]byte, pad4(len(cookie)))...)
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Write(b); err != nil {
		t.Fatal(err)
	}
	var hdr [8]byte
	if _, err := io.ReadFull(c, hdr[:]); err != nil {
		t.Fatalf("setup reply: %v", err)
	}
	if hdr[0] != 0 {
		return hdr[0], ""
	}
	reason := make([]byte, hdr[1])
	io.ReadFull(c, reason)
	return 0, string(reason)
}

// TestRelayNoPage: with no page being the display, X clients are told so
// in the setup reply, in either byte order.
func TestRelayNoPage(t *testing.T) {
	r := startRelay(t, Config{})
	for _, order := range []byte{'l', 'B'} {
		status, reason := setup(t, r.x11, order, nil)
		if status != 0 || !strings.Contains(reason, "no browser page is showing display :99") {
			t.Errorf("byte order %c: status %d, reason %q", order, status, reason)
		}
	}
}

// TestRelay carries X clients to a page (in Go here) and back: local
// clients are trusted, others must present the cookie, which the page gets
// in its hello.
func TestRelay(t *testing.T) {
	cookie := []byte("0123456789abcdef")
	var remote atomic.Bool
	r := startRelay(t, Config{Cookie: cookie, Trusted: func(net.Conn) bool { return !remote.Load() }})
	p := openPage(t, r)
	if p.hello.Display != ":99" || p.hello.Cookie != hex.EncodeToString(cookie) {
		t.Errorf("hello %+v", p.hello)
	}
	got, _ := hex.DecodeString(p.hello.Cookie)
	x := xserver.New(xserver.Config{Width: 320, Height: 200, Cookie: got, Logf: func(string, ...any) {}})
	defer x.Close()

	type answer struct {
		status byte
		reason string
	}
	connect := func(c []byte) (answer, browser.Control) {
		res := make(chan answer, 1)
		go func() {
			s, reason := setup(t, r.x11, 'l', c)
			res <- answer{s, reason}
		}()
		m := p.serve(t, r, x)
		return <-res, m
	}
	if a, m := connect(nil); a.status != 1 || !m.Trusted || !strings.HasPrefix(m.Peer, "127.0.0.1:") {
		t.Errorf("a local client: %+v, open %+v", a, m)
	}
	remote.Store(true)
	if a, m := connect(nil); a.status != 0 || m.Trusted {
		t.Errorf("a remote client without the cookie: %+v, open %+v", a, m)
	}
	if a, _ := connect(cookie); a.status != 1 {
		t.Errorf("a remote client with the cookie: %+v", a)
	}
	st := r.web.Stats()
	if st.X11.ToBrowser == 0 || st.X11.FromBrowser == 0 {
		t.Errorf("stats %+v", st.X11)
	}
	// An unknown connection, or one already taken, is refused.
	if _, resp, err := websocket.DefaultDialer.Dial("ws://"+r.host+"/x11/conn?token="+r.web.Token()+"&id=1", nil); err == nil || resp.StatusCode != 404 {
		t.Errorf("a taken id: %v", err)
	}
}

// TestRelayReplaced: a second page becomes the display; the first is told
// why, and its X clients end with it.
func TestRelayReplaced(t *testing.T) {
	r := startRelay(t, Config{})
	first := openPage(t, r)
	x := xserver.New(xserver.Config{Width: 100, Height: 100, Logf: func(string, ...any) {}})
	defer x.Close()
	c, err := net.Dial("tcp", r.x11)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte{'l', 0, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	first.serve(t, r, x)
	var reply [8]byte
	if _, err := io.ReadFull(c, reply[:]); err != nil || reply[0] != 1 {
		t.Fatalf("setup through the first page: %v %v", reply, err)
	}

	openPage(t, r)
	select {
	case err := <-first.ended:
		var ce *websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != browser.CloseReplaced || !strings.Contains(ce.Text, "another page") {
			t.Errorf("the first page ended with %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the first page was not told")
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.Copy(io.Discard, c); err != nil {
		t.Errorf("the first page's X client was not closed: %v", err)
	}
}

// The control messages are JSON that the page decodes one after another.
func TestControlJSON(t *testing.T) {
	var b bytes.Buffer
	json.NewEncoder(&b).Encode(browser.Control{Type: "open", ID: 7, Trusted: true, Peer: "127.0.0.1:1"})
	var m browser.Control
	if err := json.NewDecoder(&b).Decode(&m); err != nil || m.ID != 7 || !m.Trusted {
		t.Errorf("%+v %v", m, err)
	}
}
