//go:build linux

package xlib_test

import (
	"bufio"
	"context"
	"fmt"
	"image"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"netdisplay/internal/peer"
	"netdisplay/protocol"
	"netdisplay/xlib"
	"netdisplay/xserver"
	"netdisplay/xserver/transport"
)

// startNetdisplay runs netdisplay's X server in-process on a free display
// number and returns the display string.
func startNetdisplay(t testing.TB, cfg xserver.Config) string {
	t.Helper()
	return startNetdisplayTrust(t, cfg, transport.Loopback)
}

// startNetdisplayTrust is startNetdisplay with trust deciding which
// connections need no cookie.
func startNetdisplayTrust(t testing.TB, cfg xserver.Config, trust func(net.Conn) bool) string {
	t.Helper()
	d, err := transport.Listen(transport.Options{Number: -1, TCP: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	cfg.Logf = func(f string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		t.Logf("server: "+f, a...)
	}
	srv := xserver.New(cfg)
	for _, l := range d.Listeners {
		go srv.Serve(l, trust)
	}
	t.Cleanup(func() {
		srv.Close()
		d.Close()
	})
	return fmt.Sprintf(":%d", d.Number)
}

// A server is an X server the tests run against.
type server struct {
	name    string
	display string
}

// servers starts netdisplay and Xvfb, 640x480. Xvfb is left out, with a
// log line, when it is not installed.
func servers(t *testing.T) []server {
	t.Helper()
	s := []server{{"netdisplay", startNetdisplay(t, xserver.Config{Width: 640, Height: 480})}}
	if peer.Have("Xvfb") {
		// -noreset: Xvfb resets when its last client leaves, and refuses
		// connections while it does.
		s = append(s, server{"Xvfb", peer.Xvfb(t, 640, 480, "-noreset")})
	} else {
		t.Log("Xvfb is not installed: testing against netdisplay only")
	}
	return s
}

var orders = []protocol.ByteOrder{protocol.LSBFirst, protocol.MSBFirst}

// eachServer runs f against each server in each byte order.
func eachServer(t *testing.T, f func(t *testing.T, c *xlib.Conn)) {
	for _, s := range servers(t) {
		for _, o := range orders {
			t.Run(s.name+"/"+o.String(), func(t *testing.T) {
				f(t, dial(t, s.display, xlib.Options{ByteOrder: o}))
			})
		}
	}
}

// dial opens a connection closed at the end of the test.
func dial(t testing.TB, display string, opt xlib.Options) *xlib.Conn {
	t.Helper()
	c, err := xlib.Dial(display, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// dialUnix connects to the Unix socket of a local display.
func dialUnix(t testing.TB, display string) net.Conn {
	t.Helper()
	d, err := xlib.ParseDisplay(display)
	if err != nil {
		t.Fatal(err)
	}
	c, err := net.Dial("unix", fmt.Sprintf("%s/X%d", xlib.SocketDir, d.Number))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// within fails the test if f does not return in d: a guard against
// hangs, not a timing goal.
func within(t testing.TB, d time.Duration, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("%s did not return in %v", what, d)
	}
}

// nextEvent returns the next event, failing the test after 10 seconds.
func nextEvent(t testing.TB, c *xlib.Conn) protocol.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ev, err := c.NextEvent(ctx)
	if err != nil {
		t.Fatalf("NextEvent: %v", err)
	}
	return ev
}

// noEvents fails the test if an event is waiting.
func noEvents(t testing.TB, c *xlib.Conn) {
	t.Helper()
	select {
	case ev := <-c.Events():
		t.Fatalf("unexpected event %T %+v", ev, ev)
	default:
	}
}

// newWindow creates and maps a window at the top left of the screen,
// with the given size and a white background.
func newWindow(t testing.TB, c *xlib.Conn, w, h int, attrs ...xlib.WindowAttr) xlib.Window {
	t.Helper()
	attrs = append([]xlib.WindowAttr{xlib.BackPixel(c.Screen().WhitePixel), xlib.OverrideRedirect(true)}, attrs...)
	win, err := c.CreateWindow(c.Root(), image.Rect(0, 0, w, h), 0, attrs...)
	if err != nil {
		t.Fatal(err)
	}
	c.MapWindow(win)
	return win
}

// startXvnc starts TigerVNC's X server (X.Org inside) on a free display,
// with its VNC port closed, and returns the display string.
func startXvnc(t testing.TB, w, h int) string {
	t.Helper()
	peer.Need(t, "Xvnc")
	r, wr, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cmd := exec.Command("Xvnc", "-displayfd", "3", "-geometry", fmt.Sprintf("%dx%d", w, h), "-depth", "24",
		"-SecurityTypes", "None", "-rfbport", "-1", "-nolisten", "tcp", "-noreset")
	cmd.ExtraFiles = []*os.File{wr}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		wr.Close()
		t.Fatal(err)
	}
	wr.Close()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case n := <-line:
		if n == "" {
			t.Fatalf("Xvnc did not start: %s", stderr.String())
		}
		return ":" + n
	case <-time.After(20 * time.Second):
		t.Fatalf("Xvnc did not report a display in 20s: %s", stderr.String())
	}
	return ""
}
