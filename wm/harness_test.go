package wm_test

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"netdisplay/internal/peer"
	"netdisplay/protocol"
	"netdisplay/wm"
	"netdisplay/xlib"
	"netdisplay/xserver"
	"netdisplay/xserver/transport"
)

// startServer starts netdisplay's X server on a free display, as serve
// does, and returns the display's name.
func startServer(t testing.TB, w, h int) string {
	t.Helper()
	d, err := transport.Listen(transport.Options{Number: -1, TCP: "none"})
	if err != nil {
		t.Fatal(err)
	}
	srv := xserver.New(xserver.Config{Width: w, Height: h, Logf: func(f string, a ...any) { t.Logf("server: "+f, a...) }})
	for _, l := range d.Listeners {
		go srv.Serve(l, transport.Loopback)
	}
	t.Cleanup(func() {
		srv.Close()
		d.Close()
	})
	return fmt.Sprintf(":%d", d.Number)
}

// The X servers the tests run the window manager on.
const (
	netdisplay = "netdisplay"
	xvfb       = "Xvfb"
)

// eachServer runs test as subtests on netdisplay's X server and on Xvfb,
// at the given screen size: the window manager is an X client like any
// other, and must behave the same on both.
func eachServer(t *testing.T, w, h int, test func(t *testing.T, server, display string)) {
	t.Run(netdisplay, func(t *testing.T) { test(t, netdisplay, startServer(t, w, h)) })
	t.Run(xvfb, func(t *testing.T) { test(t, xvfb, peer.Xvfb(t, w, h)) })
}

// dial opens a connection of the test's own, to look at the display.
func dial(t testing.TB, display string) *xlib.Conn {
	t.Helper()
	c, err := xlib.Dial(display, xlib.Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// A running window manager, on a connection of its own.
type manager struct {
	c      *xlib.Conn
	cancel context.CancelFunc
	done   chan error
}

// runWM starts the window manager on display and waits until it has
// taken the root.
func runWM(t testing.TB, display string) *manager {
	t.Helper()
	c, err := xlib.Dial(display, xlib.Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	m := &manager{c: c, cancel: cancel, done: make(chan error, 1)}
	go func() { m.done <- wm.Run(ctx, c, wm.Options{Logf: t.Logf}) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-m.done:
		case <-time.After(10 * time.Second):
			t.Errorf("the window manager did not stop")
		}
		c.Close()
	})
	// The manager has the root once SubstructureRedirect is taken.
	look := dial(t, display)
	waitFor(t, "the window manager to select SubstructureRedirect", func() bool {
		a, err := look.GetWindowAttributes(look.Root()).Reply()
		return err == nil && a.AllEventMasks&protocol.EventMaskSubstructureRedirect != 0
	})
	return m
}

// kill ends the manager's connection without a word, as SIGKILL would.
func (m *manager) kill() {
	m.c.Close()
	<-m.done
	m.done <- nil // for the cleanup
}

// waitFor polls until cond holds, or fails the test after 15 seconds.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// exited waits up to a while for cmd to exit, and reports whether it
// did, and with which error. One that does not is killed.
func exited(cmd *exec.Cmd, within time.Duration) (bool, error) {
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return true, err
	case <-time.After(within):
		cmd.Process.Kill()
		<-done // no other Wait may run while this one does
		return false, nil
	}
}

// running reports whether cmd's process is still there.
func running(cmd *exec.Cmd) bool {
	return cmd.ProcessState == nil && cmd.Process.Signal(syscall.Signal(0)) == nil
}

// xdotool runs xdotool on display.
func xdotool(t testing.TB, display string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("xdotool %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// drag presses button 1 at from, moves the pointer to to in a few steps,
// and releases it there.
func drag(t testing.TB, display string, from, to image.Point) {
	t.Helper()
	args := []string{"mousemove", fmt.Sprint(from.X), fmt.Sprint(from.Y), "sleep", "0.1", "mousedown", "1", "sleep", "0.1"}
	for i := 1; i <= 4; i++ {
		p := from.Add(to.Sub(from).Mul(i).Div(4))
		p.X, p.Y = max(p.X, 0), max(p.Y, 0) // xdotool takes no negative coordinates
		args = append(args, "mousemove", fmt.Sprint(p.X), fmt.Sprint(p.Y), "sleep", "0.05")
	}
	args = append(args, "mouseup", "1")
	xdotool(t, display, args...)
}

// click clicks button 1 at p.
func click(t testing.TB, display string, p image.Point) {
	t.Helper()
	xdotool(t, display, "mousemove", fmt.Sprint(p.X), fmt.Sprint(p.Y), "sleep", "0.1", "click", "1")
}

// findClient waits for a window named name that is a client: a child of
// the root, or of one of its children (a frame).
func findClient(t testing.TB, c *xlib.Conn, name string) xlib.Window {
	t.Helper()
	var found xlib.Window
	waitFor(t, "a window named "+name, func() bool {
		found = lookFor(c, c.Root(), name, 2)
		return found != 0
	})
	return found
}

func lookFor(c *xlib.Conn, w xlib.Window, name string, depth int) xlib.Window {
	tree, err := c.QueryTree(w).Reply()
	if err != nil {
		return 0
	}
	for _, child := range tree.Children {
		w := xlib.Window(child)
		if r, err := c.GetProperty(w, protocol.AtomWmName, false).Reply(); err == nil && xlib.PropertyText(r) == name {
			return w
		}
		if depth > 1 {
			if w := lookFor(c, w, name, depth-1); w != 0 {
				return w
			}
		}
	}
	return 0
}

// A framed window as seen from outside: its frame and where both are.
type framed struct {
	frame  xlib.Window
	outer  image.Rectangle // the frame on the root, its border included
	client image.Rectangle // the client window's inside on the root
}

// frameOf returns w's frame, failing unless w has one.
func frameOf(t testing.TB, c *xlib.Conn, w xlib.Window) framed {
	t.Helper()
	var f framed
	waitFor(t, fmt.Sprintf("window %#x to be framed and mapped", w), func() bool {
		var ok bool
		f, ok = lookFrame(c, w)
		return ok
	})
	return f
}

func lookFrame(c *xlib.Conn, w xlib.Window) (framed, bool) {
	tree, err := c.QueryTree(w).Reply()
	if err != nil || xlib.Window(tree.Parent) == c.Root() {
		return framed{}, false
	}
	fr := xlib.Window(tree.Parent)
	fg, err1 := c.GetGeometry(fr).Reply()
	cg, err2 := c.GetGeometry(w).Reply()
	at, err3 := c.TranslateCoordinates(w, c.Root(), image.Point{}).Reply()
	a, err4 := c.GetWindowAttributes(w).Reply()
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil || a.MapState != protocol.MapStateViewable {
		return framed{}, false
	}
	b := int(fg.BorderWidth)
	outer := image.Rect(int(fg.X), int(fg.Y), int(fg.X)+int(fg.Width)+2*b, int(fg.Y)+int(fg.Height)+2*b)
	inside := image.Rect(int(at.DstX), int(at.DstY), int(at.DstX)+int(cg.Width), int(at.DstY)+int(cg.Height))
	return framed{frame: fr, outer: outer, client: inside}, true
}

// titleBar is a point on a frame's title bar, away from its buttons.
func (f framed) titleBar() image.Point {
	return image.Pt(f.outer.Min.X+f.outer.Dx()/3, (f.outer.Min.Y+f.client.Min.Y)/2)
}

// closeButton is the middle of the close button, at the right of the
// title bar.
func (f framed) closeButton() image.Point {
	h := f.client.Min.Y - f.outer.Min.Y
	return image.Pt(f.outer.Max.X-h/2, (f.outer.Min.Y+f.client.Min.Y)/2)
}

// grip is a point in the resize corner, below the client's corner.
func (f framed) grip() image.Point {
	return image.Pt(f.outer.Max.X-3, f.outer.Max.Y-3)
}

// A testClient is a window of the test's own making, on its own
// connection, whose events the test reads.
type testClient struct {
	c      *xlib.Conn
	w      xlib.Window
	events chan protocol.Event
}

// newClient maps a window named name, with the given size hints and
// WM_PROTOCOLS, and input hint.
func newClient(t testing.TB, display, name string, r image.Rectangle, hints xlib.SizeHints, input bool, protocols ...string) *testClient {
	t.Helper()
	c := dial(t, display)
	w, err := c.CreateWindow(c.Root(), r, 0, xlib.BackPixel(c.Screen().WhitePixel),
		xlib.EventMask(protocol.EventMaskStructureNotify|protocol.EventMaskButtonPress|protocol.EventMaskFocusChange))
	if err != nil {
		t.Fatal(err)
	}
	c.ChangeProperty(w, protocol.PropModeReplace, protocol.AtomWmName, protocol.AtomString, 8, []byte(name))
	c.ChangePropertyValues(w, protocol.PropModeReplace, protocol.AtomWmNormalHints, protocol.AtomWmSizeHints, hints.Values()...)
	c.ChangePropertyValues(w, protocol.PropModeReplace, protocol.AtomWmHints, protocol.AtomWmHints, xlib.WMHints{Flags: xlib.InputHint, Input: input}.Values()...)
	if len(protocols) > 0 {
		var atoms []uint32
		for _, p := range protocols {
			a, err := c.InternAtom(p, false).Reply()
			if err != nil {
				t.Fatal(err)
			}
			atoms = append(atoms, uint32(a))
		}
		wmProtocols, _ := c.InternAtom("WM_PROTOCOLS", false).Reply()
		c.ChangePropertyValues(w, protocol.PropModeReplace, wmProtocols, protocol.AtomAtom, atoms...)
	}
	c.MapWindow(w)
	c.Flush()
	tc := &testClient{c: c, w: w, events: make(chan protocol.Event, 1024)}
	go func() {
		for ev := range c.Events() {
			select {
			case tc.events <- ev:
			default:
			}
		}
		close(tc.events)
	}()
	return tc
}

// await waits for the first event that match accepts.
func (tc *testClient) await(t testing.TB, what string, match func(protocol.Event) bool) protocol.Event {
	t.Helper()
	timeout := time.After(15 * time.Second)
	for {
		select {
		case ev, ok := <-tc.events:
			if !ok {
				t.Fatalf("connection closed while waiting for %s", what)
			}
			if match(ev) {
				return ev
			}
		case <-timeout:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// gone waits for the connection to be closed by the server.
func (tc *testClient) gone(within time.Duration) bool {
	timeout := time.After(within)
	for {
		select {
		case _, ok := <-tc.events:
			if !ok {
				var ce *xlib.ConnError
				return errors.As(tc.c.Err(), &ce)
			}
		case <-timeout:
			return false
		}
	}
}

// screenshot reads the root window's pixels.
func screenshot(t testing.TB, c *xlib.Conn) *image.RGBA {
	t.Helper()
	s := c.Screen()
	img, err := c.GetImage(c.Root(), image.Rect(0, 0, int(s.WidthInPixels), int(s.HeightInPixels))).Reply()
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// savePNG writes an image where a failing test can be looked at: in
// $NETDISPLAY_TEST_OUT, or the test's temporary directory.
func savePNG(t testing.TB, img image.Image, name string) string {
	dir := os.Getenv("NETDISPLAY_TEST_OUT")
	if dir == "" {
		dir = t.TempDir()
	}
	p := filepath.Join(dir, name)
	f, err := os.Create(p)
	if err != nil {
		return ""
	}
	defer f.Close()
	png.Encode(f, img)
	return p
}
