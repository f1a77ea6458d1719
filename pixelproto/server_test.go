package pixelproto

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"net"

	"testing"
	"time"
)

// startServer serves src on a free loopback port.
func startServer(t testing.TB, src Source, cfg ServerConfig) (*Server, string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := NewServer(src, cfg)
	done := make(chan error, 1)
	go func() { done <- s.Serve(l) }()
	t.Cleanup(func() {
		s.Close()
		if err := <-done; !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve: %v", err)
		}
	})
	return s, l.Addr().String()
}

func dial(t testing.TB, addr string, cfg ClientConfig) *Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := Dial(ctx, addr, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// waitMatch waits until the client's framebuffer is what it should see of
// the source in its pixel format.
func waitMatch(t testing.TB, c *Client, src *MemSource, pf PixelFormat) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		img := src.Image()
		px := make([]uint32, img.Rect.Dx()*img.Rect.Dy())
		for i := range px {
			px[i] = uint32(img.Pix[4*i])<<16 | uint32(img.Pix[4*i+1])<<8 | uint32(img.Pix[4*i+2])
		}
		w := want(pf, px, img.Rect.Dx(), img.Rect.Dy())
		got := c.Image()
		if got.Rect == w.Rect {
			if n, _ := diff(got, w, w.Rect); n == 0 {
				return
			}
		}
		select {
		case <-c.Updated():
		case <-c.Done():
			t.Fatalf("client: %v", c.Err())
		case <-time.After(200 * time.Millisecond):
		case <-deadline:
			n, maxd := -1, 0
			if got.Rect == w.Rect {
				n, maxd = diff(got, w, w.Rect)
			}
			t.Fatalf("framebuffer %v (want %v) differs in %d pixels by up to %d", got.Rect, w.Rect, n, maxd)
		}
	}
}

func drawDesktop(src *MemSource, seed int64) {
	sz := src.Size()
	px := desktopPixels(sz.X, sz.Y, seed)
	src.Draw(image.Rectangle{Max: sz}, func(pix []uint32, stride int) { copy(pix, px) })
}

func TestServerEncodings(t *testing.T) {
	src := NewMemSource(400, 300, "test desktop")
	drawDesktop(src, 1)
	srv, addr := startServer(t, src, ServerConfig{})
	for _, e := range lossless {
		t.Run(e.String(), func(t *testing.T) {
			c := dial(t, addr, ClientConfig{Encodings: []Encoding{e, CopyRect, PseudoLastRect}})
			waitMatch(t, c, src, FormatRGBA)
			if c.Name() != "test desktop" {
				t.Errorf("name %q", c.Name())
			}
			// Text changes, then a scroll, which must go as a CopyRect.
			src.Draw(image.Rect(30, 40, 230, 60), func(pix []uint32, stride int) {
				for y := 40; y < 60; y++ {
					for x := 30; x < 230; x++ {
						pix[y*stride+x] ^= 0xffffff
					}
				}
			})
			src.Copy(image.Rect(20, 30, 260, 170), image.Pt(20, 46))
			src.Fill(image.Rect(20, 154, 260, 170), 0xf4f4f0)
			waitMatch(t, c, src, FormatRGBA)
			var vs ViewerStats
			for _, s := range srv.Viewers() {
				if s.Preferred == e {
					vs = s
				}
			}
			got := map[Encoding]int64{}
			for _, es := range vs.ByEncoding {
				got[es.Encoding] = es.Rects
			}
			if got[e] == 0 && e != Raw {
				t.Errorf("no %v rectangles: %+v", e, vs.ByEncoding)
			}
			if got[CopyRect] == 0 {
				t.Errorf("scroll sent no CopyRect: %+v", vs.ByEncoding)
			}
			cs := c.Stats()
			t.Logf("%v: server sent %d bytes in %d updates; client got %d bytes, %d updates, latency %v", e, vs.BytesOut, vs.Updates, cs.BytesIn, cs.Updates, cs.MeanLatency)
		})
	}
}

func TestServerPixelFormats(t *testing.T) {
	src := NewMemSource(200, 150, "formats")
	drawDesktop(src, 2)
	_, addr := startServer(t, src, ServerConfig{})
	for name, pf := range testFormats {
		for _, e := range []Encoding{ZRLE, Tight, Hextile} {
			t.Run(name+"/"+e.String(), func(t *testing.T) {
				c := dial(t, addr, ClientConfig{PixelFormat: &pf, Encodings: []Encoding{e}})
				waitMatch(t, c, src, pf)
			})
		}
	}
}

func TestServerColourMap(t *testing.T) {
	src := NewMemSource(64, 48, "cmap")
	drawDesktop(src, 3)
	_, addr := startServer(t, src, ServerConfig{})
	pf := PixelFormat{BitsPerPixel: 8, Depth: 8}
	c := dial(t, addr, ClientConfig{PixelFormat: &pf, Encodings: []Encoding{Hextile}})
	waitMatch(t, c, src, FormatBGR233)
}

func TestServerVersionsAndAuth(t *testing.T) {
	src := NewMemSource(64, 48, "auth")
	drawDesktop(src, 4)
	for _, pw := range []string{"", "secret12"} {
		var password []byte
		if pw != "" {
			password = []byte(pw)
		}
		_, addr := startServer(t, src, ServerConfig{Password: password})
		for _, v := range []int{3, 7, 8} {
			t.Run(fmt.Sprintf("3.%d/%q", v, pw), func(t *testing.T) {
				c := dial(t, addr, ClientConfig{Version: v, Password: pw})
				if c.Version() != fmt.Sprintf("3.%d", v) {
					t.Errorf("version %s", c.Version())
				}
				waitMatch(t, c, src, FormatRGBA)
				if pw == "" {
					return
				}
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				if c, err := Dial(ctx, addr, ClientConfig{Version: v, Password: "wrong"}); err == nil {
					c.Close()
					t.Error("wrong password accepted")
				}
			})
		}
	}
}

func TestServerInsecure(t *testing.T) {
	l, err := net.Listen("tcp", "0.0.0.0:0")
	if err != nil {
		t.Skip(err)
	}
	defer l.Close()
	s := NewServer(NewMemSource(8, 8, ""), ServerConfig{})
	if err := s.Serve(l); !errors.Is(err, ErrInsecure) {
		t.Errorf("Serve on %v without a password: %v", l.Addr(), err)
	}
	for addr, want := range map[string]bool{"127.0.0.1:5900": true, "[::1]:1": true, "localhost:5900": true, "10.0.0.1:5900": false, "0.0.0.0:5900": false} {
		if IsLoopback(addr) != want {
			t.Errorf("IsLoopback(%q) = %v", addr, !want)
		}
	}
}

func TestServerInput(t *testing.T) {
	src := NewMemSource(100, 100, "input")
	type event struct {
		kind string
		a, b int
		text string
	}
	events := make(chan event, 100)
	src.OnKey = func(k uint32, down bool) { events <- event{"key", int(k), boolInt(down), ""} }
	src.OnPointer = func(x, y int, b uint8) { events <- event{"pointer", x*1000 + y, int(b), ""} }
	src.OnCutText = func(text []byte) { events <- event{"cut", 0, 0, string(text)} }
	_, addr := startServer(t, src, ServerConfig{})
	c := dial(t, addr, ClientConfig{})
	c.Pointer(10, 20, 1)
	c.Pointer(11, 21, 0)
	c.Pointer(11, 21, 1<<3) // wheel up: button 4
	c.Key('a', true)
	c.Key('a', false)
	c.SendCutText([]byte("caf\xe9"))
	want := []event{{"pointer", 10020, 1, ""}, {"pointer", 11021, 0, ""}, {"pointer", 11021, 8, ""},
		{"key", 'a', 1, ""}, {"key", 'a', 0, ""}, {"cut", 0, 0, "caf\xe9"}}
	for _, w := range want {
		select {
		case e := <-events:
			if e != w {
				t.Errorf("got %+v, want %+v", e, w)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("no %+v", w)
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestServerCutTextBellCursor(t *testing.T) {
	src := NewMemSource(100, 100, "misc")
	drawDesktop(src, 9)
	_, addr := startServer(t, src, ServerConfig{})
	c := dial(t, addr, ClientConfig{})
	waitMatch(t, c, src, FormatRGBA)
	cur := &Cursor{Width: 2, Height: 2, Hot: image.Pt(1, 0), Pixels: []uint32{0xff0000, 0xff00, 0xff, 0}, Mask: []bool{true, false, true, true}}
	src.SetCursor(cur)
	src.SetCutText([]byte("hello"))
	src.Bell()
	src.SetName("renamed")
	deadline := time.After(5 * time.Second)
	for {
		got := c.Cursor()
		if string(c.CutText()) == "hello" && c.Bells() == 1 && got != nil && got.Hot == cur.Hot && got.Pixels[2] == 0xff && c.Name() == "renamed" {
			break
		}
		select {
		case <-c.Updated():
		case <-time.After(100 * time.Millisecond):
			src.Fill(image.Rect(0, 0, 1, 1), uint32(time.Now().UnixNano())&0xffffff) // keep updates coming
		case <-deadline:
			t.Fatalf("cut %q bells %d cursor %+v name %q", c.CutText(), c.Bells(), c.Cursor(), c.Name())
		}
	}
}

func TestServerResize(t *testing.T) {
	src := NewMemSource(160, 120, "resize")
	drawDesktop(src, 5)
	_, addr := startServer(t, src, ServerConfig{})
	a := dial(t, addr, ClientConfig{})
	b := dial(t, addr, ClientConfig{})
	old := dial(t, addr, ClientConfig{Encodings: []Encoding{Hextile, PseudoDesktopSize}})
	waitMatch(t, a, src, FormatRGBA)
	waitMatch(t, b, src, FormatRGBA)
	if err := a.SetDesktopSize(240, 100); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(5 * time.Second)
	for src.Size() != image.Pt(240, 100) || a.LastResize().Size != image.Pt(240, 100) || b.LastResize().Reason != 2 {
		select {
		case <-a.Updated():
		case <-b.Updated():
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			t.Fatalf("source %v, a %+v, b %+v", src.Size(), a.LastResize(), b.LastResize())
		}
	}
	if r := a.LastResize(); r.Reason != 1 || r.Status != 0 {
		t.Errorf("requester got %+v", r)
	}
	drawDesktop(src, 6)
	waitMatch(t, a, src, FormatRGBA)
	waitMatch(t, b, src, FormatRGBA)
	waitMatch(t, old, src, FormatRGBA)
	// A refused size.
	a.SetDesktopSize(0, 10)
	for a.LastResize().Status != resizeInvalid {
		select {
		case <-a.Updated():
		case <-time.After(5 * time.Second):
			t.Fatalf("no refusal: %+v", a.LastResize())
		}
	}
}

func TestServerContinuousAndFence(t *testing.T) {
	src := NewMemSource(120, 90, "cu")
	_, addr := startServer(t, src, ServerConfig{FrameInterval: -1})
	drawDesktop(src, 7)
	c := dial(t, addr, ClientConfig{})
	waitMatch(t, c, src, FormatRGBA)
	for deadline := time.Now().Add(5 * time.Second); !c.Continuous(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("continuous updates are off")
		}
	}
	for i := range 20 {
		src.Fill(image.Rect(i*5, 0, i*5+5, 90), uint32(i)*0x0a0b0c)
		waitMatch(t, c, src, FormatRGBA)
	}
	if c.Stats().Updates < 10 {
		t.Errorf("only %d updates", c.Stats().Updates)
	}
}

func TestServerExclusive(t *testing.T) {
	src := NewMemSource(32, 32, "excl")
	drawDesktop(src, 8)
	_, addr := startServer(t, src, ServerConfig{})
	a := dial(t, addr, ClientConfig{})
	waitMatch(t, a, src, FormatRGBA)
	b := dial(t, addr, ClientConfig{Exclusive: true})
	select {
	case <-a.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("shared viewer not disconnected by an exclusive one")
	}
	waitMatch(t, b, src, FormatRGBA)
}

// TestSlowViewer checks that a viewer that never reads holds up neither
// the source nor other viewers, and that the server can disconnect it.
func TestSlowViewer(t *testing.T) {
	src := NewMemSource(640, 480, "slow")
	srv, addr := startServer(t, src, ServerConfig{})
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Handshake by hand, ask for continuous updates of noise, never read.
	io.ReadFull(conn, make([]byte, 12))
	conn.Write([]byte("RFB 003.008\n"))
	io.ReadFull(conn, make([]byte, 2))
	conn.Write([]byte{secNone})
	io.ReadFull(conn, make([]byte, 4))
	conn.Write([]byte{1})
	io.ReadFull(conn, make([]byte, 24+4))
	var b []byte
	b = (&SetEncodings{[]Encoding{Raw, PseudoContinuousUpdates}}).Marshal(b)
	b = (&EnableContinuousUpdates{true, image.Rect(0, 0, 640, 480)}).Marshal(b)
	conn.Write(b)

	fast := dial(t, addr, ClientConfig{})
	start := time.Now()
	for i := range 60 {
		drawDesktop(src, int64(i))
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("drawing took %v with a stalled viewer", d)
	}
	waitMatch(t, fast, src, FormatRGBA)
	for _, v := range srv.Viewers() {
		if len(v.Encodings) > 0 && v.Encodings[0] == Raw {
			if !srv.Disconnect(v.ID) {
				t.Error("Disconnect failed")
			}
		}
	}
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.Copy(io.Discard, conn); err != nil {
		t.Errorf("stalled viewer: %v", err)
	}
}
