package webviewer

import (
	"context"
	"fmt"
	"image"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"netdisplay/pixelproto"

	"netdisplay/internal/peer"
)

// A memDesk serves a pixelproto.MemSource over the web, so that tests see
// exactly what the page sends: keysyms, buttons, cut text.
type memDesk struct {
	src *pixelproto.MemSource
	rfb *pixelproto.Server
	web *Server
	url string

	mu    sync.Mutex
	input []string // "key 0x71 down", "pointer 40 50 1", "cut text"
}

func startMemDesk(t *testing.T, w, h int, password []byte) *memDesk {
	return startMemDeskConfig(t, w, h, password, Config{})
}

func startMemDeskConfig(t *testing.T, w, h int, password []byte, cfg Config) *memDesk {
	t.Helper()
	logf := testLog(t)
	d := &memDesk{src: pixelproto.NewMemSource(w, h, "mem")}
	for i := range 8 {
		d.src.Fill(image.Rect(i*w/8, 0, (i+1)*w/8, h), uint32(0x202020*i+0x100000*(i%3)))
	}
	record := func(f string, a ...any) {
		d.mu.Lock()
		d.input = append(d.input, fmt.Sprintf(f, a...))
		d.mu.Unlock()
	}
	d.src.OnKey = func(k uint32, down bool) { record("key %#x %v", k, down) }
	d.src.OnPointer = func(x, y int, b uint8) { record("pointer %d %d %d", x, y, b) }
	d.src.OnCutText = func(text []byte) { record("cut %q", text) }
	d.rfb = pixelproto.NewServer(d.src, pixelproto.ServerConfig{Password: password, Logf: logf})
	var err error
	cfg.RFB, cfg.RFBPassword, cfg.Logf = d.rfb, password != nil, logf
	d.web, err = New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d.url = d.web.URL(l)
	go d.web.Serve(l)
	t.Cleanup(func() {
		d.web.Close()
		d.rfb.Close()
	})
	return d
}

// waitInput waits for the source to see want, in order after what it saw
// before; it returns where to look next.
func (d *memDesk) waitInput(t *testing.T, from int, want ...string) int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		d.mu.Lock()
		seen := append([]string(nil), d.input[min(from, len(d.input)):]...)
		d.mu.Unlock()
		i, j := 0, 0
		for ; i < len(seen) && j < len(want); i++ {
			if seen[i] == want[j] {
				j++
			}
		}
		if j == len(want) {
			return from + i
		}
		if time.Now().After(deadline) {
			t.Fatalf("the source did not see %q in order; it saw %q", want, seen)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (d *memDesk) seen() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.input)
}

// key dispatches one key event as a keyboard would.
func key(t *testing.T, ctx context.Context, typ input.DispatchKeyEventType, k, code string, location int64, mods int64) {
	t.Helper()
	keypad := location == 3
	p := input.DispatchKeyEventParams{Type: typ, Key: k, Code: code, Location: location, IsKeypad: &keypad, Modifiers: mods}
	if typ == input.DispatchKeyEventTypeKeyDown && len([]rune(k)) == 1 {
		p.Text = k
	}
	if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, p); err != nil {
		t.Fatalf("chromium: %v", err)
	}
}

func mouse(t *testing.T, ctx context.Context, p input.DispatchMouseEventParams) {
	t.Helper()
	if _, err := chromedp.Call(ctx, input.DispatchMouseEvent, p); err != nil {
		t.Fatalf("chromium: %v", err)
	}
}

// TestPageInput checks what the page sends for keys (shifted, non-letter,
// Latin-1, beyond Latin-1, the keypad, modifiers), the mouse (buttons, a
// drag, the wheel both ways), the clipboard both ways, and that the canvas
// follows the desktop's size.
func TestPageInput(t *testing.T) {
	d := startMemDesk(t, 320, 200, nil)
	ctx := peer.Chromium(t)
	run(t, ctx, chromedp.Navigate(d.url))
	waitCanvas(t, ctx, "#canvas", d.src.Image)
	down, up := input.DispatchKeyEventTypeKeyDown, input.DispatchKeyEventTypeKeyUp

	t.Run("keys", func(t *testing.T) {
		n := d.seen()
		for _, k := range []struct {
			key, code string
			location  int64
			want      uint32
		}{
			{"q", "KeyQ", 0, 'q'},
			{"Q", "KeyQ", 0, 'Q'},
			{"!", "Digit1", 0, '!'},
			{"ü", "BracketLeft", 0, 0xfc}, // German layout
			{"€", "KeyE", 0, 0x10020ac},   // beyond Latin-1: a Unicode keysym
			{"Enter", "Enter", 0, 0xff0d},
			{"ArrowLeft", "ArrowLeft", 0, 0xff51},
			{"F5", "F5", 0, 0xffc2},
			{"7", "Numpad7", 3, 0xffb7},
			{"Control", "ControlRight", 2, 0xffe4},
		} {
			key(t, ctx, down, k.key, k.code, k.location, 0)
			key(t, ctx, up, k.key, k.code, k.location, 0)
			n = d.waitInput(t, n, fmt.Sprintf("key %#x true", k.want), fmt.Sprintf("key %#x false", k.want))
		}
		// Shift released before the key it shifted: the release must name
		// the keysym that was pressed.
		key(t, ctx, down, "Shift", "ShiftLeft", 1, 0)
		key(t, ctx, down, "@", "Digit2", 0, 8) // Shift
		key(t, ctx, up, "Shift", "ShiftLeft", 1, 0)
		key(t, ctx, up, "2", "Digit2", 0, 0)
		d.waitInput(t, n, "key 0xffe1 true", "key 0x40 true", "key 0xffe1 false", "key 0x40 false")
	})

	x0, y0 := canvasOrigin(t, ctx, "#canvas")
	at := func(x, y float64) (float64, float64) { return x0 + x + 0.5, y0 + y + 0.5 }
	t.Run("mouse", func(t *testing.T) {
		n := d.seen()
		x, y := at(40, 50)
		mouse(t, ctx, input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMouseMoved, X: x, Y: y})
		mouse(t, ctx, input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMousePressed, X: x, Y: y, Button: input.MouseButtonLeft, Buttons: 1, ClickCount: 1})
		x2, y2 := at(60, 70)
		mouse(t, ctx, input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMouseMoved, X: x2, Y: y2, Button: input.MouseButtonLeft, Buttons: 1})
		mouse(t, ctx, input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMouseReleased, X: x2, Y: y2, Button: input.MouseButtonLeft, ClickCount: 1})
		n = d.waitInput(t, n, "pointer 40 50 1", "pointer 60 70 1", "pointer 60 70 0")
		mouse(t, ctx, input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMousePressed, X: x2, Y: y2, Button: input.MouseButtonMiddle, Buttons: 4, ClickCount: 1})
		mouse(t, ctx, input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMouseReleased, X: x2, Y: y2, Button: input.MouseButtonMiddle, ClickCount: 1})
		n = d.waitInput(t, n, "pointer 60 70 2", "pointer 60 70 0")
		mouse(t, ctx, input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMousePressed, X: x2, Y: y2, Button: input.MouseButtonRight, Buttons: 2, ClickCount: 1})
		mouse(t, ctx, input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMouseReleased, X: x2, Y: y2, Button: input.MouseButtonRight, ClickCount: 1})
		n = d.waitInput(t, n, "pointer 60 70 4", "pointer 60 70 0")
		// The wheel: down is button 5 (bit 4), up 4, left 6, right 7.
		for _, w := range []struct {
			dx, dy float64
			bit    int
		}{{0.01, 100, 16}, {0.01, -100, 8}, {-100, 0.01, 32}, {100, 0.01, 64}} { // Chromium wants both deltas non-zero
			mouse(t, ctx, input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMouseWheel, X: x2, Y: y2, DeltaX: w.dx, DeltaY: w.dy})
			n = d.waitInput(t, n, fmt.Sprintf("pointer 60 70 %d", w.bit), "pointer 60 70 0")
		}
	})

	t.Run("clipboard", func(t *testing.T) {
		n := d.seen()
		run(t, ctx, chromedp.Evaluate[chromedp.Void](`(() => {
			const dt = new DataTransfer();
			dt.setData('text/plain', 'héllo\r\nwörld €');
			document.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true}));
		})()`))
		d.waitInput(t, n, fmt.Sprintf("cut %q", "h\xe9llo\nw\xf6rld ?"))
		d.src.SetCutText([]byte("from the server: \xe9t\xe9"))
		waitFor(t, "the page to have the server's clipboard", 10*time.Second, func() bool {
			s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`window.netdisplay.clipboard()`))
			return s == "from the server: été"
		})
	})

	t.Run("encoding", func(t *testing.T) {
		for _, enc := range []pixelproto.Encoding{pixelproto.Hextile, pixelproto.Raw} {
			run(t, ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
				const e = document.getElementById('enc');
				e.value = %q;
				e.dispatchEvent(new Event('change'));
			})()`, enc.String())))
			// Viewers races with a viewer's handshake (a pixelproto bug):
			// ask only once the page is connected.
			waitFor(t, "the page to reconnect", 10*time.Second, func() bool {
				s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('status').textContent`))
				return strings.HasPrefix(s, "Connected")
			})
			waitFor(t, "the page to ask for "+enc.String(), 10*time.Second, func() bool {
				vs := d.rfb.Viewers()
				return len(vs) == 1 && vs[0].Preferred == enc
			})
			waitCanvas(t, ctx, "#canvas", d.src.Image)
		}
	})

	t.Run("desktop size", func(t *testing.T) {
		if err := d.src.Resize(240, 120); err != nil {
			t.Fatal(err)
		}
		d.src.Fill(image.Rect(0, 0, 240, 10), 0x00ff00)
		waitCanvas(t, ctx, "#canvas", d.src.Image)
	})
}

// TestPageErrors checks the page's messages: a refused password, then the
// right one; a dropped connection, and reconnecting.
func TestPageErrors(t *testing.T) {
	d := startMemDesk(t, 160, 100, []byte("sesame"))
	ctx := peer.Chromium(t)
	run(t, ctx, chromedp.Navigate(d.url))
	shown := func(want string) { t.Helper(); waitMessage(t, ctx, want) }
	// No password yet: the server asks for one.
	shown("needs a VNC password")
	run(t, ctx, chromedp.SendKeys("#password", "wrong"), chromedp.Click("#reconnect"))
	shown("refused the password")
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById('password').value = ''`),
		chromedp.SendKeys("#password", "sesame"), chromedp.Click("#reconnect"))
	waitCanvas(t, ctx, "#canvas", d.src.Image)

	// The server drops the page.
	for _, v := range d.rfb.Viewers() {
		d.rfb.Disconnect(v.ID)
	}
	shown("closed the connection")
	run(t, ctx, chromedp.Click("#reconnect"))
	d.src.Fill(image.Rect(0, 0, 50, 50), 0xff00ff)
	waitCanvas(t, ctx, "#canvas", d.src.Image)
}

// TestPageBadToken: the page without the token says what to do.
func TestPageBadToken(t *testing.T) {
	d := startMemDesk(t, 160, 100, nil)
	ctx := peer.Chromium(t)
	run(t, ctx, chromedp.Navigate(strings.Replace(d.url, d.web.Token(), "guess", 1)))
	waitFor(t, "the page to explain", 15*time.Second, func() bool {
		s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('msgtext').textContent`))
		return strings.Contains(s, "needs the token")
	})
}
