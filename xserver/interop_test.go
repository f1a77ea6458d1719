//go:build linux

package xserver_test

// Real X clients against netdisplay's X server, and against Xvfb for
// comparison. These are the acceptance tests of the server core: each
// client starts, draws what it draws on X.Org, and keeps running.

import (
	"bufio"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"netdisplay/internal/peer"
	"netdisplay/xserver"
	"netdisplay/xserver/transport"
)

// startServer runs netdisplay's X server on a free display number and
// returns the display string.
func startServer(t testing.TB, w, h int) (string, *xserver.Server) {
	t.Helper()
	return startConfigured(t, xserver.Config{Width: w, Height: h})
}

func startConfigured(t testing.TB, cfg xserver.Config) (string, *xserver.Server) {
	t.Helper()
	d, err := transport.Listen(transport.Options{Number: -1, TCP: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	var logMu sync.Mutex
	logs := cfg.Logf
	cfg.Logf = func(f string, a ...any) {
		logMu.Lock()
		defer logMu.Unlock()
		t.Logf("server: "+f, a...)
		if logs != nil {
			logs(f, a...)
		}
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

// waitFor polls until cond holds or the timeout passes.
func waitFor(t testing.TB, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// savePNG writes an image where a failing test can be looked at.
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

func TestXdpyinfo(t *testing.T) {
	peer.Need(t, "xdpyinfo")
	display, _ := startServer(t, 1280, 800)
	out, err := exec.Command("xdpyinfo", "-display", display).CombinedOutput()
	if err != nil {
		t.Fatalf("xdpyinfo: %v\n%s", err, out)
	}
	for _, want := range []string{
		"vendor string:    netdisplay",
		"BIG-REQUESTS",
		"XTEST",
		"dimensions:    1280x800 pixels",
		"depth of root window:    24 planes",
		"class:    TrueColor",
		"focus:  PointerRoot",
		"keycode range:    minimum 8, maximum 255",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("xdpyinfo output lacks %q\n%s", want, out)
		}
	}
	// And the python3-xlib view of the extensions must agree with the list.
	peer.Need(t, "python3")
	script := `
from Xlib import display
d = display.Display()
names = sorted(d.list_extensions())
for n in names:
    assert d.query_extension(n) is not None, n
assert d.query_extension("SHAPE") is None
assert d.query_extension("RENDER") is None
print(" ".join(names))
`
	cmd := exec.Command(peer.Python, "-c", script)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, err = cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python3-xlib: %v\n%s", err, out)
	}
	// Only the extensions we implement: BIG-REQUESTS and XTEST, and
	// XKEYBOARD, which xdotool cannot work without.
	got := strings.Fields(string(out))
	for _, e := range got {
		if e != "BIG-REQUESTS" && e != "XTEST" && e != "XKEYBOARD" {
			t.Errorf("unexpected extension %q advertised", e)
		}
	}
	if len(got) < 2 {
		t.Errorf("extensions = %q", got)
	}
}

// A client program and the window it opens.
type clientCase struct {
	name   string // window name, for xwd -name
	prog   string
	args   []string
	ready  string // a line the program prints when it has drawn, if any
	python bool
}

func pydemo() string {
	p, _ := filepath.Abs("testdata/pydemo.py")
	return p
}

var clientCases = []clientCase{
	{name: "xlogo", prog: "xlogo", args: []string{"-geometry", "160x160+20+20"}},
	{name: "xeyes", prog: "xeyes", args: []string{"-geometry", "180x120+20+20"}},
	{name: "Event Tester", prog: "xev", args: []string{"-geometry", "180x160+20+20"}},
	{name: "pydemo", prog: peer.Python, ready: "ready", python: true},
}

// TestClientsMatchXvfb runs each client on netdisplay and on Xvfb at the
// same screen size and geometry, and compares screenshots of its window.
// On Xvfb the clients see only the core protocol (see coreOnly), as they
// do on netdisplay, whose extensions do not draw. Core drawing is exact, so
// the threshold is zero differing pixels.
func TestClientsMatchXvfb(t *testing.T) {
	peer.Need(t, "Xvfb", "xwd", "xlogo", "xeyes", "xev", "python3", "xtrace")
	ours, _ := startServer(t, 640, 480)
	xvfb := peer.Xvfb(t, 640, 480)
	xvfbCore := peer.CoreOnly(t, xvfb)
	for _, cc := range clientCases {
		t.Run(strings.ReplaceAll(cc.name, " ", "_"), func(t *testing.T) {
			args := cc.args
			if cc.python {
				args = []string{pydemo()}
			}
			shots := map[string]*image.RGBA{}
			for _, display := range []string{ours, xvfb} {
				clientDisplay := display
				if display == xvfb && !cc.python {
					// python3-xlib asks ListExtensions, which xtrace -e
					// passes through, and fails when QueryExtension then
					// disagrees; it uses no extensions anyway.
					clientDisplay = xvfbCore
				}
				cmd, out := peer.Start(t, clientDisplay, cc.prog, args...)
				if cc.ready != "" {
					waitFor(t, cc.name+" to draw on "+display, 20*time.Second, func() bool { return strings.Contains(out.String(), cc.ready) })
				}
				shots[display] = peer.StableCapture(t, display, cc.name)
				// It keeps running until killed.
				time.Sleep(300 * time.Millisecond)
				if cmd.ProcessState != nil || processExited(cmd) {
					t.Fatalf("%s exited on %s: %s", cc.name, display, out.String())
				}
				cmd.Process.Kill()
				cmd.Wait()
			}
			a, b := shots[ours], shots[xvfb]
			if n, box := peer.DiffImages(a, b); n != 0 {
				pa := savePNG(t, a, cc.prog+"-netdisplay.png")
				pb := savePNG(t, b, cc.prog+"-xvfb.png")
				t.Errorf("%s: %d pixels differ from Xvfb (bounds %v, sizes %v and %v); see %s and %s", cc.name, n, box, a.Bounds(), b.Bounds(), pa, pb)
			}
		})
	}
}

func processExited(cmd *exec.Cmd) bool {
	// Signal 0 tells whether the process still exists.
	return cmd.Process.Signal(syscall.Signal(0)) != nil
}

// TestXTestMovesAndClicks drives xev with xdotool (which uses XTEST) and
// checks that xev reports the motion and the click where they happened.
func TestXTestMovesAndClicks(t *testing.T) {
	peer.Need(t, "xev", "xdotool")
	display, _ := startServer(t, 640, 480)
	_, out := peer.Start(t, display, "xev", "-geometry", "200x200+0+0")
	waitFor(t, "xev to map its window", 15*time.Second, func() bool { return strings.Contains(out.String(), "Expose event") })
	xdo := exec.Command("xdotool", "mousemove", "50", "60", "click", "1", "mousemove", "120", "90")
	xdo.Env = append(os.Environ(), "DISPLAY="+display)
	if b, err := xdo.CombinedOutput(); err != nil {
		t.Fatalf("xdotool: %v\n%s", err, b)
	}
	waitFor(t, "xev to report the click", 10*time.Second, func() bool {
		return strings.Contains(out.String(), "ButtonRelease event") && strings.Contains(out.String(), "root:(120,90)")
	})
	events := parseXevEvents(out.String())
	var sawMotion, sawPress, sawRelease, sawEnter bool
	for _, e := range events {
		switch e.kind {
		case "MotionNotify":
			if strings.Contains(e.text, "root:(50,60)") {
				sawMotion = true
			}
		case "EnterNotify":
			sawEnter = true
		case "ButtonPress":
			sawPress = strings.Contains(e.text, "root:(50,60)") && strings.Contains(e.text, "button 1,")
		case "ButtonRelease":
			sawRelease = strings.Contains(e.text, "root:(50,60)") && strings.Contains(e.text, "button 1,")
		}
	}
	if !sawEnter || !sawMotion || !sawPress || !sawRelease {
		t.Errorf("enter %v, motion to (50,60) %v, press %v, release %v; xev said:\n%s", sawEnter, sawMotion, sawPress, sawRelease, out.String())
	}
}

type xevEvent struct{ kind, text string }

// parseXevEvents splits xev's output into events: each starts with
// "Name event," and runs to the blank line.
func parseXevEvents(s string) []xevEvent {
	var evs []xevEvent
	sc := bufio.NewScanner(strings.NewReader(s))
	var cur *xevEvent
	for sc.Scan() {
		line := sc.Text()
		if i := strings.Index(line, " event, serial"); i > 0 && !strings.HasPrefix(line, " ") {
			evs = append(evs, xevEvent{kind: line[:i]})
			cur = &evs[len(evs)-1]
		}
		if cur != nil {
			cur.text += line + "\n"
		}
		if line == "" {
			cur = nil
		}
	}
	return evs
}

// TestPythonClientEvents clicks and types into the python3-xlib program and
// checks that its handlers run with the right coordinates and keycodes.
func TestPythonClientEvents(t *testing.T) {
	peer.Need(t, "python3", "xdotool")
	display, _ := startServer(t, 640, 480)
	_, out := peer.Start(t, display, peer.Python, pydemo())
	waitFor(t, "pydemo to draw", 20*time.Second, func() bool { return strings.Contains(out.String(), "ready") })
	// The window's inside starts at (12, 12): position 10 plus border 2.
	xdo := exec.Command("xdotool", "mousemove", "112", "62", "click", "3", "key", "a")
	xdo.Env = append(os.Environ(), "DISPLAY="+display)
	if b, err := xdo.CombinedOutput(); err != nil {
		t.Fatalf("xdotool: %v\n%s", err, b)
	}
	waitFor(t, "the click and the key", 10*time.Second, func() bool {
		s := out.String()
		return strings.Contains(s, "click 100 50 3") && strings.Contains(s, "key 38")
	})
}

// TestEventsMatchXvfb runs a scripted tour of window and input semantics
// (testdata/eventcheck.py: exposures, structure events, crossing and focus
// details, grabs, GraphicsExpose, SendEvent, properties, queries) on
// netdisplay and on Xvfb, and requires the same events in the same order.
func TestEventsMatchXvfb(t *testing.T) {
	peer.Need(t, "Xvfb", "python3")
	ours, _ := startServer(t, 640, 480)
	xvfb := peer.Xvfb(t, 640, 480)
	script, _ := filepath.Abs("testdata/eventcheck.py")
	outputs := map[string][]string{}
	for _, display := range []string{ours, xvfb} {
		cmd := exec.Command(peer.Python, script)
		cmd.Env = append(os.Environ(), "DISPLAY="+display)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("eventcheck on %s: %v\n%s", display, err, out)
		}
		outputs[display] = strings.Split(strings.TrimSpace(string(out)), "\n")
	}
	a, b := outputs[ours], outputs[xvfb]
	for i := 0; i < max(len(a), len(b)); i++ {
		var x, y string
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			lo := max(0, i-5)
			t.Fatalf("first difference at line %d:\n netdisplay: %s\n Xvfb:       %s\ncontext (Xvfb):\n%s", i+1, x, y, strings.Join(b[lo:min(len(b), i+5)], "\n"))
		}
	}
	if len(a) < 200 {
		t.Errorf("only %d lines of events: the script did not run through", len(a))
	}
}
