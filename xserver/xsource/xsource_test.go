//go:build linux

package xsource_test

// End-to-end tests of the X server's screen served over RFB: real X
// clients draw on netdisplay's X server, real VNC viewers watch it
// through xsource and pixelproto, and what they show must be the X
// server's framebuffer; what they send must arrive at the X clients as X
// input.

import (
	"bufio"
	"context"
	"fmt"
	"image"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"netdisplay/clients/app"
	"netdisplay/clients/app/paint"
	"netdisplay/internal/peer"
	"netdisplay/pixelproto"
	"netdisplay/xlib"
	"netdisplay/xserver"
	"netdisplay/xserver/transport"
	"netdisplay/xserver/xsource"
)

// A desk is netdisplay's X server with X clients on it, served over RFB.
type desk struct {
	display string // the X display, ":N"
	x       *xserver.Server
	rfb     *pixelproto.Server
	addr    string // the RFB server, "127.0.0.1:port"
	win     *inputWin
}

// startDesk starts an X server of w×h, an RFB server on it, paint, xlogo and
// testdata/inputwin.py, and waits until both have drawn.
func startDesk(t *testing.T, w, h int) *desk {
	t.Helper()
	peer.Need(t, "xlogo", "python3")
	d := &desk{}
	d.display, d.x = startX(t, xserver.Config{Width: w, Height: h, Logf: testLog(t, "X server: ")})
	src := xsource.New(d.x, "netdisplay xsource test")
	t.Cleanup(src.Close)
	d.rfb = pixelproto.NewServer(src, pixelproto.ServerConfig{Logf: testLog(t, "rfb: ")})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d.addr = l.Addr().String()
	go d.rfb.Serve(l)
	t.Cleanup(func() { d.rfb.Close() })

	// xlogo draws its logo in two colours; it sets no cursor, so the root
	// window's applies over it.
	if err := peer.Command(t, d.display, "xlogo", "-geometry", "120x120+280+40").Start(); err != nil {
		t.Fatal(err)
	}
	d.win = startInputWin(t, d.display)
	startSample(t, d.display, paint.App, "200x36+260+162")
	d.settle(t)
	return d
}

// startSample runs one of netdisplay's sample applications on display, in
// this process, until the test ends: viewers must show what our own
// clients draw as well as what xlogo and python3-xlib draw.
func startSample(t *testing.T, display string, a app.App, geometry string) {
	t.Helper()
	c, err := xlib.Open(display)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		app.Run(ctx, c, a, app.Options{Geometry: geometry})
	}()
	t.Cleanup(func() {
		cancel()
		<-exited
		c.Close()
	})
}

// startX runs netdisplay's X server, in this process, on a free display
// number, as xserver's own interop tests do.
func startX(t *testing.T, cfg xserver.Config) (string, *xserver.Server) {
	t.Helper()
	d, err := transport.Listen(transport.Options{Number: -1, TCP: "none"})
	if err != nil {
		t.Fatal(err)
	}
	srv := xserver.New(cfg)
	for _, l := range d.Listeners {
		go srv.Serve(l, transport.Loopback)
	}
	t.Cleanup(func() {
		srv.Close()
		d.Close()
	})
	return fmt.Sprintf(":%d", d.Number), srv
}

// testLog returns a Logf that writes to t's log until the test's cleanups
// have run, and drops what goroutines still say after that: logging to a
// finished test panics.
func testLog(t *testing.T, prefix string) func(string, ...any) {
	var mu sync.Mutex
	done := false
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		done = true
	})
	return func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if !done {
			t.Logf(prefix+format, args...)
		}
	}
}

// screen copies the X server's framebuffer.
func (d *desk) screen() *image.RGBA {
	d.x.Lock()
	defer d.x.Unlock()
	fb := d.x.Framebuffer()
	img := image.NewRGBA(image.Rect(0, 0, fb.Width, fb.Height))
	for y := 0; y < fb.Height; y++ {
		for x, p := range fb.Pix[y*fb.Stride : y*fb.Stride+fb.Width] {
			o := img.PixOffset(x, y)
			img.Pix[o], img.Pix[o+1], img.Pix[o+2], img.Pix[o+3] = uint8(p>>16), uint8(p>>8), uint8(p), 0xff
		}
	}
	return img
}

// settle waits until xlogo has drawn and the framebuffer stops changing,
// and returns it.
func (d *desk) settle(t *testing.T) *image.RGBA {
	t.Helper()
	logo := image.Rect(280, 40, 400, 160)
	last := d.screen()
	for deadline := time.Now().Add(20 * time.Second); ; {
		time.Sleep(300 * time.Millisecond)
		img := d.screen()
		if n, _ := diffAt(img, last, image.Point{}); n == 0 && colours(img, logo, 2) == 2 {
			return img
		}
		if time.Now().After(deadline) {
			t.Fatalf("the screen did not settle with xlogo drawn: %s", savePNG(t, img, "unsettled.png"))
		}
		last = img
	}
}

// An inputWin is testdata/inputwin.py running on the X server: a window
// that reports the input it gets.
type inputWin struct {
	stdin  io.WriteCloser
	lines  chan string
	origin image.Point // of its inside, on the screen
}

func startInputWin(t *testing.T, display string) *inputWin {
	t.Helper()
	cmd := peer.Command(t, display, peer.Python, "testdata/inputwin.py")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w := &inputWin{stdin: stdin, lines: make(chan string, 100)}
	go func() {
		s := bufio.NewScanner(stdout)
		for s.Scan() {
			w.lines <- s.Text()
		}
		close(w.lines)
	}()
	t.Cleanup(func() { stdin.Close() })
	f := w.expect(t, "ready", 20*time.Second)
	if len(f) != 2 {
		t.Fatalf("inputwin: %v; stderr: %s", f, stderr.String())
	}
	w.origin = image.Pt(atoi(t, f[0]), atoi(t, f[1]))
	return w
}

// expect waits for the next line that starts with word and returns its
// other fields; lines before it are input the test did not ask about,
// and fail it.
func (w *inputWin) expect(t *testing.T, word string, timeout time.Duration) []string {
	t.Helper()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		select {
		case line, ok := <-w.lines:
			if !ok {
				t.Fatalf("inputwin exited while the test waited for %q", word)
			}
			f := strings.Fields(line)
			if len(f) > 0 && f[0] == word {
				return f[1:]
			}
			t.Errorf("inputwin: unexpected %q while waiting for %q", line, word)
		case <-timer.C:
			t.Fatalf("inputwin: no %q in %v", word, timeout)
		}
	}
}

// expectClick waits for a ButtonPress of button at (x, y) in the window.
func (w *inputWin) expectClick(t *testing.T, x, y, button int) {
	t.Helper()
	want := []string{strconv.Itoa(x), strconv.Itoa(y), strconv.Itoa(button)}
	if got := w.expect(t, "click", 10*time.Second); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("click at %v, want %v", got, want)
	}
}

// expectKeys waits for one KeyPress per keysym and checks that the X
// client reads each as that keysym, through the core keymap and the
// Shift state the server reported with it. Presses of modifier keys
// (Shift_L from a viewer that sends it, or from the server holding Shift
// for a shifted keysym) come between them and are passed over.
func (w *inputWin) expectKeys(t *testing.T, keysyms ...uint32) {
	t.Helper()
	for _, want := range keysyms {
		var f []string
		var sym uint64
		for {
			f = w.expect(t, "key", 10*time.Second)
			if len(f) != 3 {
				t.Fatalf("key line %v", f)
			}
			var err error
			if sym, err = strconv.ParseUint(f[2], 0, 32); err != nil {
				t.Fatal(err)
			}
			if sym < 0xffe1 || sym > 0xffee { // Shift_L to Hyper_R
				break
			}
		}
		if uint32(sym) != want {
			t.Errorf("KeyPress of keycode %s with state %s reads as keysym %#x, want %#x", f[0], f[1], sym, want)
		}
	}
}

// do sends inputwin a command and waits until it has done it.
func (w *inputWin) do(t *testing.T, format string, args ...any) {
	t.Helper()
	fmt.Fprintf(w.stdin, format+"\n", args...)
	f := w.expect(t, "done", 20*time.Second)
	if len(f) != 2 {
		t.Fatalf("inputwin: done %v", f)
	}
	w.origin = image.Pt(atoi(t, f[0]), atoi(t, f[1]))
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// noOtherInput checks that nothing more arrived at the window.
func (w *inputWin) noOtherInput(t *testing.T) {
	t.Helper()
	for {
		select {
		case line := <-w.lines:
			t.Errorf("inputwin: unexpected %q", line)
		default:
			return
		}
	}
}

// runPeer runs a program to completion within a time limit.
func runPeer(t *testing.T, display string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := peer.Command(t, display, name, args...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("%s %v: %v: %s", name, args, err, out.String())
		}
	case <-ctx.Done():
		cmd.Process.Kill()
		t.Fatalf("%s %v hung: %s", name, args, out.String())
	}
	return out.String()
}
