//go:build linux

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"math"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"netdisplay/internal/peer"
	"netdisplay/pixelproto"
)

// These tests run "netdisplay desktop" as a person would: in a window on
// an Xvfb, drawing with Mesa's software OpenGL. Keys and the mouse go in
// with xdotool, through the Xvfb, and what the window shows comes out
// with xwd, to compare with the framebuffer it shows.

// A desktopViewer is "netdisplay desktop" running on its own Xvfb.
type desktopViewer struct {
	t      *testing.T
	xvfb   string // the Xvfb's display
	win    string // the viewer's window
	stats  string // the --stats-json file
	ready  string // the --ready-file
	cmd    *exec.Cmd
	stderr *syncBuffer
	exited chan struct{}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// newXvfb starts the Xvfb a viewer runs on.
func newXvfb(t *testing.T) string {
	t.Helper()
	peer.Need(t, "Xvfb", "xdotool", "xwd")
	return peer.Xvfb(t, 1280, 1024)
}

// startDesktop runs the viewer with args on a new 1280x1024 Xvfb and
// waits for its window.
func startDesktop(t *testing.T, bin string, args ...string) *desktopViewer {
	t.Helper()
	return startDesktopOn(t, newXvfb(t), bin, args...)
}

// startDesktopOn runs the viewer with args on the Xvfb xvfb and waits for
// its window. It skips the test when OpenGL cannot be had there.
func startDesktopOn(t *testing.T, xvfb, bin string, args ...string) *desktopViewer {
	t.Helper()
	dir := t.TempDir()
	v := &desktopViewer{t: t, xvfb: xvfb, stats: filepath.Join(dir, "stats.json"), ready: filepath.Join(dir, "ready"), stderr: &syncBuffer{}, exited: make(chan struct{})}
	args = append([]string{"desktop", "--stats-json", v.stats, "--ready-file", v.ready}, args...)
	v.cmd = peer.Command(t, v.xvfb, bin, args...)
	v.cmd.Stderr = v.stderr
	if err := v.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { v.cmd.Wait(); close(v.exited) }()
	// peer.Command's cleanup waits for the process, which is already
	// waited for here.
	t.Cleanup(func() { v.cmd.Process.Kill(); <-v.exited })
	deadline := time.Now().Add(20 * time.Second)
	for {
		out, _ := v.xdotoolOutput("search", "--name", "^netdisplay ")
		if ids := strings.Fields(out); len(ids) > 0 {
			v.win = ids[0]
			break
		}
		select {
		case <-v.exited:
			msg := v.stderr.String()
			// ebiten says "glfw: egl: failed to initialize EGL: ..."
			// without Mesa's drivers, "gl: failed to load libGL.so"
			// without libGL, "ui: no window system is available"
			// without a display.
			if strings.Contains(msg, "glfw: ") || strings.Contains(msg, "gl: ") || strings.Contains(msg, "no window system") {
				t.Skipf("skipped: the desktop viewer could not open a window with OpenGL on Xvfb (install Mesa's libgl1-mesa-dri): %s", msg)
			}
			t.Fatalf("the viewer exited before showing a window: %s", msg)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no window in 20s; the viewer says: %s", v.stderr.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	return v
}

func (v *desktopViewer) xdotoolOutput(args ...string) (string, error) {
	cmd := exec.Command("xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+v.xvfb)
	out, err := cmd.Output()
	return string(out), err
}

// xdotool runs xdotool on the viewer's Xvfb.
func (v *desktopViewer) xdotool(args ...string) {
	v.t.Helper()
	cmd := exec.Command("xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+v.xvfb)
	if out, err := cmd.CombinedOutput(); err != nil {
		v.t.Fatalf("xdotool %s: %v: %s", strings.Join(args, " "), err, out)
	}
}

// point moves the pointer to (x, y) in the window, and gives the window
// the keyboard: the Xvfb has no window manager to, and its focus would
// otherwise follow the pointer, which leaves the window if ebiten moves it.
func (v *desktopViewer) point(x, y int) {
	v.xdotool("mousemove", "--window", v.win, fmt.Sprint(x), fmt.Sprint(y))
	v.xdotool("windowfocus", "--sync", v.win)
}

// keys presses keys as xdotool names them ("ctrl+c"), one after the
// other with time for the viewer to see each apart: ebiten lists the keys
// of one tick by key code, whatever order they came in.
func (v *desktopViewer) keys(keys ...string) {
	for _, k := range keys {
		v.xdotool("key", k)
		time.Sleep(150 * time.Millisecond)
	}
}

// expectKeys presses each key and checks that the X client got the
// events for it. ebiten says which keys went down and up during a tick,
// not in which order: a key pressed in the tick that released Shift is
// sent before the release, as Shift-Return typed fast must be, so the
// keys go in one at a time.
func (v *desktopViewer) expectKeys(events <-chan string, steps ...keyStep) {
	v.t.Helper()
	for _, s := range steps {
		v.xdotool("key", s.key)
		var got []string
		for range s.want {
			got = append(got, expectEvent(v.t, events, "key"))
		}
		if !slices.Equal(got, s.want) {
			v.t.Errorf("xdotool key %s: the client got %q, want %q", s.key, got, s.want)
		}
		// The client sees presses; let the releases pass too, lest the
		// next key share a tick with them.
		time.Sleep(200 * time.Millisecond)
	}
}

type keyStep struct {
	key  string
	want []string
}

// shot is what the window shows.
func (v *desktopViewer) shot() *image.RGBA {
	v.t.Helper()
	out, err := exec.Command("xwd", "-display", v.xvfb, "-id", v.win, "-silent").Output()
	if err != nil {
		v.t.Fatalf("xwd: %v", err)
	}
	img, err := peer.DecodeXWD(out)
	if err != nil {
		v.t.Fatal(err)
	}
	return img
}

// desktopStats is what --stats-json writes.
type desktopStats struct {
	Mode          string      `json:"mode"`
	Target        string      `json:"target"`
	Connected     bool        `json:"connected"`
	Problem       string      `json:"problem"`
	BytesIn       int64       `json:"bytes_in"`
	BytesOut      int64       `json:"bytes_out"`
	Updates       int64       `json:"updates"`
	UpdatesPerSec float64     `json:"updates_per_sec"`
	InputLatency  int64       `json:"input_latency_ns"`
	Size          image.Point `json:"size"`
	Redraws       int64       `json:"redraws"`
	RedrawsPerSec float64     `json:"redraws_per_sec"`
	Scale         float64     `json:"scale"`
	Window        image.Point `json:"window"`
}

func (v *desktopViewer) readStats() (desktopStats, bool) {
	var st desktopStats
	b, err := os.ReadFile(v.stats)
	if err != nil {
		return st, false
	}
	return st, json.Unmarshal(b, &st) == nil
}

// waitStats waits for the statistics file to satisfy cond.
func (v *desktopViewer) waitStats(what string, cond func(desktopStats) bool) desktopStats {
	v.t.Helper()
	var st desktopStats
	v.waitFor(what, func() bool {
		var ok bool
		st, ok = v.readStats()
		return ok && cond(st)
	})
	return st
}

// waitFor polls until cond holds, failing the test with what the viewer
// said if it never does.
func (v *desktopViewer) waitFor(what string, cond func() bool) {
	v.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		select {
		case <-v.exited:
			v.t.Fatalf("the viewer exited while waiting for %s: %s", what, v.stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			st, _ := v.readStats()
			v.t.Fatalf("timed out waiting for %s; statistics %+v; the viewer says: %s", what, st, v.stderr.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// scaled is img shown at a whole-number scale with the nearest filter.
func scaled(img *image.RGBA, s int) *image.RGBA {
	if s == 1 {
		return img
	}
	out := image.NewRGBA(image.Rectangle{Max: img.Rect.Size().Mul(s)})
	for y := range out.Rect.Dy() {
		for x := range out.Rect.Dx() {
			out.SetRGBA(x, y, img.RGBAAt(x/s, y/s))
		}
	}
	return out
}

// overlayBox is where the statistics overlay may be in a window of height
// h: three lines of the debug font at the bottom left.
func overlayBox(h int) image.Rectangle { return image.Rect(0, h-3*16-4, 60*6+8, h) }

// shows reports whether the window shows want exactly, or, with the
// overlay, exactly outside the overlay's corner and with the overlay
// there.
func (v *desktopViewer) shows(want *image.RGBA, overlay bool) bool {
	got := v.shot()
	n, box := peer.DiffImages(got, want)
	if !overlay {
		return n == 0
	}
	return got.Rect == want.Rect && n > 0 && box.In(overlayBox(want.Rect.Dy()))
}

// waitShows waits for the window to show want, and says how it differs
// if it never does.
func (v *desktopViewer) waitShows(what string, want func() *image.RGBA, overlay bool) {
	v.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !v.shows(want(), overlay) {
		if time.Now().After(deadline) {
			got, w := v.shot(), want()
			n, box := peer.DiffImages(got, w)
			v.t.Fatalf("timed out waiting for the window to show %s: a %v window differs from the %v framebuffer in %d pixels within %v (overlay %v); the viewer says: %s",
				what, got.Rect.Size(), w.Rect.Size(), n, box, overlay, v.stderr.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func withinPercent(a, b int64) bool {
	return b > 0 && math.Abs(float64(a-b)) <= 0.01*float64(b)
}

// Pixel mode: the viewer is a VNC client of an in-process display (the X
// server with its RFB server) where a python3-xlib client runs. The
// window shows the framebuffer exactly at scale 1 (nearest filtering on
// Mesa's llvmpipe is exact), with the overlay in its corner; clicks,
// the wheel and keys reach the client; the statistics agree with a
// proxy's byte count within 1%; a dropped connection says so, and R
// reconnects.
func TestDesktopPixelMode(t *testing.T) {
	bin := netdisplayBinary(t)
	d := serveForTest(t, serveFlags{geometry: "640x400", rfb: "127.0.0.1:0"})
	events := runPydemo(t, fmt.Sprintf(":%d", d.d.Number))
	proxy := newTCPProxy(t, d.rfbAddr)
	target := "vnc://" + proxy.addr
	v := startDesktop(t, bin, target)
	fb := func() *image.RGBA { return framebuffer(d) }

	v.waitShows("the framebuffer with the overlay", fb, true)
	st := v.waitStats("the statistics", func(st desktopStats) bool { return st.Connected })
	if st.Mode != "rfb" || st.Target != target || st.Size != image.Pt(640, 400) || st.Window != image.Pt(640, 400) || st.Scale != 1 {
		t.Errorf("statistics: %+v", st)
	}
	v.point(300, 200)
	v.keys("ctrl+bracketright", "s")
	v.waitShows("the framebuffer exactly, without the overlay", fb, false)

	// pydemo's window is at (10,10) with a 2-pixel border.
	v.point(150, 120)
	v.xdotool("click", "1")
	if got := expectEvent(t, events, "click"); got != "click 138 108 1" {
		t.Errorf("clicking the window at (150,120) gave the client %q, want click 138 108 1", got)
	}
	v.xdotool("click", "4")
	if got := expectEvent(t, events, "click"); got != "click 138 108 4" {
		t.Errorf("the wheel gave the client %q, want click 138 108 4", got)
	}
	// pydemo marks a click: the window follows.
	v.waitShows("the client's mark of the click", fb, false)

	// a, Shift+a, Shift+1, Return, Control+c as a US keyboard's keycodes.
	v.expectKeys(events,
		keyStep{"a", []string{"key 38"}},
		keyStep{"shift+a", []string{"key 50", "key 38"}},
		keyStep{"exclam", []string{"key 50", "key 10"}},
		keyStep{"Return", []string{"key 36"}},
		keyStep{"ctrl+c", []string{"key 37", "key 54"}},
	)

	v.waitStats("the statistics to agree with the proxy's count", func(st desktopStats) bool {
		return withinPercent(st.BytesIn, proxy.toClient.Load()) && withinPercent(st.BytesOut, proxy.toServer.Load())
	})
	st, _ = v.readStats()
	t.Logf("pixel mode: the viewer counted in %d out %d; the proxy, to the viewer %d, to the server %d; last input latency %v",
		st.BytesIn, st.BytesOut, proxy.toClient.Load(), proxy.toServer.Load(), time.Duration(st.InputLatency))
	if st.InputLatency <= 0 {
		t.Errorf("no input latency after clicks and keys: %+v", st)
	}

	// Drop the connection, then serve again at the same address.
	addr := d.rfbAddr
	d.rfb.Close()
	st = v.waitStats("the lost connection", func(st desktopStats) bool { return !st.Connected })
	if want := "connection to " + target + " lost"; !strings.HasPrefix(st.Problem, want) {
		t.Errorf("after the drop the problem is %q, want %q...", st.Problem, want)
	}
	v.waitFor("the message box", func() bool {
		return v.shot().RGBAAt(320, 200) == color.RGBA{0, 0, 0x80, 0xff}
	})
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	srv := pixelproto.NewServer(d.src, pixelproto.ServerConfig{})
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	v.keys("r")
	v.waitStats("the reconnection", func(st desktopStats) bool { return st.Connected })
	v.waitShows("the framebuffer after reconnecting", fb, false)
}

// Pixel mode against an RFB server whose keys and pointer the test sees
// as they arrive: the exact keysyms (shifted, non-letter, Latin-1 and
// special keys), buttons, drag and wheel through a scale of 2, the
// window following the desktop's size, and the redraw rate while the
// framebuffer keeps changing.
func TestDesktopInputAndScale(t *testing.T) {
	bin := netdisplayBinary(t)
	src := pixelproto.NewMemSource(320, 200, "desktop test")
	var mu sync.Mutex
	var keys []string
	var pointers []string
	src.OnKey = func(sym uint32, down bool) {
		mu.Lock()
		keys = append(keys, fmt.Sprintf("%#x %v", sym, down))
		mu.Unlock()
	}
	src.OnPointer = func(x, y int, b uint8) {
		mu.Lock()
		pointers = append(pointers, fmt.Sprintf("%d,%d %d", x, y, b))
		mu.Unlock()
	}
	taken := func() ([]string, []string) {
		mu.Lock()
		defer mu.Unlock()
		k, p := keys, pointers
		keys, pointers = nil, nil
		return k, p
	}
	srv := pixelproto.NewServer(src, pixelproto.ServerConfig{})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	src.Fill(image.Rect(0, 0, 320, 200), 0xffffff)
	src.Fill(image.Rect(10, 10, 110, 60), 0x4682b4)
	src.Fill(image.Rect(200, 100, 201, 101), 0xff0000) // one pixel, to see scaling is exact

	// A Latin-1 key on the Xvfb's keyboard, which xdotool then types as
	// it is, rather than by changing the keymap for a moment, which
	// ebiten, reading the keymap once, would miss.
	xvfb := newXvfb(t)
	latin1 := peer.Have("python3")
	if latin1 {
		script := `
from Xlib import display, XK
d = display.Display()
first = d.display.info.min_keycode
m = d.get_keyboard_mapping(first, d.display.info.max_keycode - first + 1)
free = next(i for i, syms in enumerate(m) if not any(syms))
d.change_keyboard_mapping(first + free, [[XK.string_to_keysym("eacute"), XK.string_to_keysym("Eacute")] + [0] * (len(m[0]) - 2)])
d.sync()
`
		cmd := exec.Command(peer.Python, "-c", script)
		cmd.Env = append(os.Environ(), "DISPLAY="+xvfb)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("adding eacute to the Xvfb's keymap: %v: %s", err, out)
		}
	}
	v := startDesktopOn(t, xvfb, bin, "--scale", "2", "--no-overlay", "vnc://"+l.Addr().String())
	v.waitShows("the framebuffer at scale 2", func() *image.RGBA { return scaled(src.Image(), 2) }, false)
	v.point(20, 20)
	time.Sleep(200 * time.Millisecond)
	taken()

	// One thing at a time, each waited for at the server: ebiten gives
	// the keys of one tick by key code, not in the order they came, so
	// keys typed within a tick of each other (the machine is busy) may
	// be sent in another order, and the test would see that, not the
	// mapping.
	wait := func(list *[]string, n int) []string {
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			mu.Lock()
			k := len(*list)
			mu.Unlock()
			if k >= n {
				break
			}
		}
		time.Sleep(100 * time.Millisecond) // for any event too many
		mu.Lock()
		defer mu.Unlock()
		got := *list
		*list = nil
		return got
	}
	keyStep := func(want []string, args ...string) {
		t.Helper()
		v.xdotool(args...)
		got := wait(&keys, len(want))
		// xdotool releases Control before C; the viewer sends them so,
		// unless both come in one tick, when it releases the modifier
		// last.
		if len(got) == 4 && got[2] == "0x63 false" && got[3] == "0xffe3 false" {
			got[2], got[3] = got[3], got[2]
		}
		if !slices.Equal(got, want) {
			t.Errorf("xdotool %s: the server got keys %q, want %q", strings.Join(args, " "), got, want)
		}
	}
	keyStep([]string{"0x61 true", "0x61 false"}, "type", "a")
	keyStep([]string{"0xffe1 true", "0x41 true", "0x41 false", "0xffe1 false"}, "type", "A")
	keyStep([]string{"0xffe1 true", "0x21 true", "0x21 false", "0xffe1 false"}, "type", "!")
	keyStep([]string{"0xff0d true", "0xff0d false"}, "key", "Return")
	keyStep([]string{"0xffe3 true", "0x63 true", "0xffe3 false", "0x63 false"}, "key", "ctrl+c")
	keyStep([]string{"0xffc2 true", "0xffc2 false"}, "key", "F5")
	keyStep([]string{"0xff51 true", "0xff51 false"}, "key", "Left")
	keyStep([]string{"0xff08 true", "0xff08 false"}, "key", "BackSpace")
	keyStep([]string{"0xffff true", "0xffff false"}, "key", "Delete")
	if latin1 {
		keyStep([]string{"0xe9 true", "0xe9 false"}, "type", "é")
	}

	// Buttons, a drag and the wheel, at half the window's coordinates.
	// A move may arrive in steps; a button's events must be exactly
	// these.
	pointerStep := func(want []string, move bool, args ...string) {
		t.Helper()
		v.xdotool(args...)
		got := wait(&pointers, len(want))
		ok := slices.Equal(got, want)
		if move && len(got) > 0 {
			_, b, _ := strings.Cut(want[0], " ")
			ok = got[len(got)-1] == want[0]
			for _, p := range got {
				ok = ok && strings.HasSuffix(p, " "+b)
			}
		}
		if !ok {
			t.Errorf("xdotool %s: the server got pointer events %q, want %q", strings.Join(args, " "), got, want)
		}
	}
	pointerStep([]string{"50,30 0"}, true, "mousemove", "--window", v.win, "100", "60")
	pointerStep([]string{"50,30 1"}, false, "mousedown", "1")
	pointerStep([]string{"70,50 1"}, true, "mousemove", "--window", v.win, "141", "101")
	pointerStep([]string{"70,50 0"}, false, "mouseup", "1")
	pointerStep([]string{"70,50 2", "70,50 0"}, false, "click", "2")
	pointerStep([]string{"70,50 4", "70,50 0"}, false, "click", "3")
	pointerStep([]string{"70,50 8", "70,50 0"}, false, "click", "4")
	pointerStep([]string{"70,50 16", "70,50 0"}, false, "click", "5")

	// The window follows the desktop's size, at the scale.
	src.Resize(200, 150)
	src.Fill(image.Rect(0, 0, 200, 150), 0x204060)
	v.waitShows("the resized desktop at scale 2", func() *image.RGBA { return scaled(src.Image(), 2) }, false)

	// Redraws while the framebuffer keeps changing: a bar whose colour
	// changes every 5 ms for 3 s.
	stop := time.Now().Add(3 * time.Second)
	var st desktopStats
	for i := 0; time.Now().Before(stop); i++ {
		src.Fill(image.Rect(0, 60, 200, 90), uint32(i*7%256)<<8|0x40)
		time.Sleep(5 * time.Millisecond)
		if s, ok := v.readStats(); ok && time.Until(stop) < time.Second && s.RedrawsPerSec > st.RedrawsPerSec {
			st = s
		}
	}
	t.Logf("while the framebuffer changed every 5 ms: %.1f redraws/s, %.1f updates/s", st.RedrawsPerSec, st.UpdatesPerSec)
	if st.RedrawsPerSec < 1 || st.UpdatesPerSec < 1 {
		t.Errorf("while the framebuffer kept changing: %+v", st)
	}
	v.waitShows("the last frame", func() *image.RGBA { return scaled(src.Image(), 2) }, false)
}

// X mode: the viewer is display :N itself. An X client connects through
// a counting proxy; the window shows exactly what the display holds,
// clicks and keys reach the client, the statistics agree with the
// proxy's count, and resizing the window resizes the display.
func TestDesktopXMode(t *testing.T) {
	bin := netdisplayBinary(t)
	v := startDesktop(t, bin, "--x11", "auto", "--geometry", "640x400")
	var display string
	v.waitFor("the ready file", func() bool {
		b, _ := os.ReadFile(v.ready)
		_, d, ok := strings.Cut(strings.TrimSpace(string(b)), "netdisplay ready mode=x11 display=")
		display = d
		return ok
	})
	proxy := peer.NewCountingProxy(t, display)
	events := runPydemo(t, proxy.Display)
	// The display's own picture, through the proxy so that both counts
	// include it.
	root := func() *image.RGBA {
		out, err := exec.Command("xwd", "-display", proxy.Display, "-root", "-silent").Output()
		if err != nil {
			t.Fatalf("xwd of the display: %v", err)
		}
		img, err := peer.DecodeXWD(out)
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	v.waitShows("the display with the overlay", root, true)

	v.point(200, 100)
	v.xdotool("click", "1")
	if got := expectEvent(t, events, "click"); got != "click 188 88 1" {
		t.Errorf("clicking the window at (200,100) gave the client %q, want click 188 88 1", got)
	}
	v.expectKeys(events, keyStep{"a", []string{"key 38"}}, keyStep{"shift+a", []string{"key 50", "key 38"}})
	v.keys("ctrl+bracketright", "s")
	v.waitShows("the display exactly, without the overlay", root, false)

	time.Sleep(200 * time.Millisecond)
	st := v.waitStats("the statistics to agree with the proxy's count", func(st desktopStats) bool {
		return withinPercent(st.BytesIn, proxy.ToServer.Load()) && withinPercent(st.BytesOut, proxy.ToClient.Load())
	})
	t.Logf("X mode: the viewer counted in %d out %d; the proxy, to the display %d, to the clients %d; last input latency %v",
		st.BytesIn, st.BytesOut, proxy.ToServer.Load(), proxy.ToClient.Load(), time.Duration(st.InputLatency))
	if st.Mode != "x11" || st.Target != display || st.InputLatency <= 0 {
		t.Errorf("statistics: %+v", st)
	}

	// Resize the window: the display follows.
	v.xdotool("windowsize", v.win, "800", "500")
	v.waitStats("the display to follow the window", func(st desktopStats) bool { return st.Size == image.Pt(800, 500) })
	v.waitShows("the resized display", root, false)
}

// A refused password gets a clear message and a way to try again.
func TestDesktopWrongPassword(t *testing.T) {
	bin := netdisplayBinary(t)
	dir := t.TempDir()
	good, pass := filepath.Join(dir, "good"), filepath.Join(dir, "pass")
	os.WriteFile(good, []byte("secret\n"), 0o600)
	os.WriteFile(pass, []byte("guess\n"), 0o600)
	d := serveForTest(t, serveFlags{geometry: "320x200", rfb: "127.0.0.1:0", rfbPass: good})
	target := "vnc://" + d.rfbAddr
	v := startDesktop(t, bin, "--password-file", pass, target)
	st := v.waitStats("the refusal", func(st desktopStats) bool { return st.Problem != "" && !strings.HasPrefix(st.Problem, "connecting") })
	if want := "cannot connect to " + target + ": rfb: authentication failed"; !strings.HasPrefix(st.Problem, want) || st.Connected {
		t.Errorf("after a wrong password: connected %v, problem %q, want %q", st.Connected, st.Problem, want)
	}
	v.waitFor("the message box", func() bool {
		img := v.shot()
		return img.RGBAAt(img.Rect.Dx()/2, img.Rect.Dy()/2) == color.RGBA{0, 0, 0x80, 0xff}
	})
	os.WriteFile(pass, []byte("secret\n"), 0o600)
	v.point(10, 10)
	v.keys("r")
	st = v.waitStats("the connection with the right password", func(st desktopStats) bool { return st.Connected })
	if st.Size != image.Pt(320, 200) {
		t.Errorf("after reconnecting: %+v", st)
	}
}
