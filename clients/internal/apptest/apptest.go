//go:build linux

// Package apptest has what the sample applications' tests share: an
// in-process netdisplay X server, screenshots with xwd, xdotool, and
// running an application in-process.
package apptest

import (
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"netdisplay/clients/app"
	"netdisplay/internal/peer"
	"netdisplay/protocol"
	"netdisplay/xlib"
	"netdisplay/xserver"
	"netdisplay/xserver/transport"
)

// Netdisplay runs netdisplay's X server in-process on a free display
// number until the test ends, and returns the display string.
func Netdisplay(t testing.TB, width, height int) (string, *xserver.Server) {
	t.Helper()
	d, err := transport.Listen(transport.Options{Number: -1})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	srv := xserver.New(xserver.Config{Width: width, Height: height, Logf: func(f string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		t.Logf("server: "+f, a...)
	}})
	for _, l := range d.Listeners {
		go srv.Serve(l, transport.Loopback)
	}
	t.Cleanup(func() {
		srv.Close()
		d.Close()
	})
	return fmt.Sprintf(":%d", d.Number), srv
}

// ChangedCapture waits for a window to show something other than last,
// then for it to settle, and returns what it shows: what an application
// draws in answer to input, however long it takes to get it.
func ChangedCapture(t testing.TB, display, name string, last *image.RGBA) *image.RGBA {
	t.Helper()
	WaitFor(t, name+" to change", 20*time.Second, func() bool {
		img, err := peer.Capture(display, name)
		if err != nil {
			return false
		}
		n, _ := peer.DiffImages(img, last)
		return n != 0
	})
	return peer.StableCapture(t, display, name)
}

// SavePNG writes an image for a person to look at: in
// $NETDISPLAY_TEST_OUT if set, or else in the test's temporary directory,
// and returns its path.
func SavePNG(t testing.TB, img image.Image, name string) string {
	dir := os.Getenv("NETDISPLAY_TEST_OUT")
	if dir == "" {
		dir = t.TempDir()
	}
	p := filepath.Join(dir, name)
	if err := WritePNG(p, img); err != nil {
		t.Log(err)
	}
	return p
}

// WritePNG writes an image to a PNG file.
func WritePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// WaitFor polls until cond holds, or fails the test after timeout.
func WaitFor(t testing.TB, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Xdotool runs xdotool on a display with the given arguments.
func Xdotool(t testing.TB, display string, args ...string) {
	t.Helper()
	peer.Need(t, "xdotool")
	cmd := exec.Command("xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("xdotool %v: %v\n%s", args, err, out)
	}
}

// A Running application, started in-process by Start.
type Running struct {
	Conn   *xlib.Conn
	done   chan app.Report // the script's report
	exited chan struct{}   // closed when Run has returned err
	err    error
}

// Start runs an application in-process on display until the test ends.
func Start(t testing.TB, display string, a app.App, opt app.Options) *Running {
	t.Helper()
	c, err := xlib.Open(display)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &Running{Conn: c, done: make(chan app.Report, 1), exited: make(chan struct{})}
	done := opt.Done
	opt.Done = func(rep app.Report) {
		if done != nil {
			done(rep)
		}
		r.done <- rep
	}
	go func() {
		r.err = app.Run(ctx, c, a, opt)
		close(r.exited)
	}()
	t.Cleanup(func() {
		cancel()
		<-r.exited
		c.Close()
	})
	return r
}

// Done waits for the script to finish and returns its report.
func (r *Running) Done(t testing.TB) app.Report {
	t.Helper()
	select {
	case rep := <-r.done:
		return rep
	case <-r.exited:
		t.Fatalf("the application ended before its script did: %v", r.err)
	case <-time.After(30 * time.Second):
		t.Fatal("the script did not finish in 30s")
	}
	return app.Report{}
}

// Exit waits for the application to end and returns what Run returned.
func (r *Running) Exit(t testing.TB) error {
	t.Helper()
	select {
	case <-r.exited:
		return r.err
	case <-time.After(20 * time.Second):
		t.Fatal("the application did not end in 20s")
	}
	return nil
}

// Scripted returns a copy of a whose program plays the steps that steps
// makes for it, whatever script is asked for: a test's own input, given
// through the program's own methods.
func Scripted(a app.App, steps func(p app.Program) []app.Step) app.App {
	newProgram := a.New
	a.New = func(w *app.Window) (app.Program, error) {
		p, err := newProgram(w)
		if err != nil {
			return nil, err
		}
		return scripted{p, steps}, nil
	}
	return a
}

type scripted struct {
	app.Program
	steps func(app.Program) []app.Step
}

func (s scripted) Script(string) ([]app.Step, error) { return s.steps(s.Program), nil }

// FindWindow returns the top-level window named name (WM_NAME).
func FindWindow(t testing.TB, c *xlib.Conn, name string) xlib.Window {
	t.Helper()
	tree, err := xlib.Call[protocol.QueryTreeReply](c, &protocol.QueryTree{Window: protocol.Window(c.Root())}).Reply()
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range tree.Children {
		p, err := c.GetProperty(xlib.Window(w), protocol.AtomWmName, false).Reply()
		if err == nil && string(p.Value) == name {
			return xlib.Window(w)
		}
	}
	t.Fatalf("no window named %q", name)
	return 0
}
