//go:build linux

package xserver_test

// Text programs against netdisplay: fonts, text drawing, clocks and the
// PRIMARY selection, compared with Xvfb where the comparison means
// something.

import (
	"bytes"
	"encoding/json"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"netdisplay/internal/peer"
	"netdisplay/xserver"
)

func testdata(name string) string {
	p, _ := filepath.Abs(filepath.Join("testdata", name))
	return p
}

// runPython runs a python3-xlib script to completion on a display.
func runPython(t *testing.T, display string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(peer.Python, args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := cmd.Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("%s on %s: %v\n%s", args[0], display, err, msg)
	}
	return out
}

type fontReport struct {
	Lists map[string][]string
	Fonts map[string]json.RawMessage
}

// TestFontsMatchXvfb lists fonts with wildcard patterns, opens fonts,
// queries their metrics, measures text and draws it, on netdisplay and on
// Xvfb. Every font netdisplay opens must report exactly what Xvfb reports
// and draw exactly the same pixels; every name it lists must be one Xvfb
// lists, in Xvfb's order. (Xvfb lists more: it has more charsets, and
// names its built-in "fixed" and "cursor" twice.)
func TestFontsMatchXvfb(t *testing.T) {
	peer.Need(t, "Xvfb", "python3")
	ours, _ := startServer(t, 320, 240)
	xvfb := peer.Xvfb(t, 320, 240)
	var a, b fontReport
	if err := json.Unmarshal(runPython(t, ours, testdata("fontcheck.py")), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(runPython(t, xvfb, testdata("fontcheck.py")), &b); err != nil {
		t.Fatal(err)
	}
	for pattern, names := range a.Lists {
		if len(names) == 0 {
			t.Errorf("ListFonts %q: netdisplay lists nothing", pattern)
		}
		var theirs, common []string
		for _, n := range b.Lists[pattern] {
			if !slices.Contains(theirs, n) {
				theirs = append(theirs, n)
			}
		}
		for _, n := range theirs {
			if slices.Contains(names, n) {
				common = append(common, n)
			}
		}
		if !slices.Equal(names, common) {
			t.Errorf("ListFonts %q:\n netdisplay %q\n Xvfb       %q", pattern, names, theirs)
		}
	}
	for name, ours := range a.Fonts {
		var x, y any
		json.Unmarshal(ours, &x)
		json.Unmarshal(b.Fonts[name], &y)
		if !reflect.DeepEqual(x, y) {
			t.Errorf("font %q differs:\n netdisplay %s\n Xvfb       %s", name, compact(ours), compact(b.Fonts[name]))
		}
	}
}

func compact(m json.RawMessage) string {
	var b bytes.Buffer
	json.Compact(&b, m)
	return b.String()
}

// TestPrimarySelection copies text from one client to another through
// PRIMARY, and between X clients and the viewers' clipboard.
func TestPrimarySelection(t *testing.T) {
	peer.Need(t, "python3")
	cuts := make(chan string, 4)
	display, srv := startServer(t, 320, 240)
	srv.AddDamageListener(cutListener(cuts))

	// Client to client.
	_, owner := peer.Start(t, display, peer.Python, testdata("selection.py"), "own", "Grüße from PRIMARY")
	waitFor(t, "the owner to take PRIMARY", 10*time.Second, func() bool { return strings.Contains(owner.String(), "owning") })
	got := strings.TrimSpace(string(runPython(t, display, testdata("selection.py"), "paste")))
	if got != "pasted:Grüße from PRIMARY" {
		t.Errorf("paste got %q", got)
	}
	// The server asked the new owner too, for the viewers.
	select {
	case text := <-cuts:
		if text != "Grüße from PRIMARY" {
			t.Errorf("viewers were told %q", text)
		}
	case <-time.After(5 * time.Second):
		t.Error("the viewers were not told of the new selection")
	}

	// A viewer's cut becomes PRIMARY, and the old owner hears it lost it.
	srv.SetCutText([]byte("from a viewer \xe9"))
	waitFor(t, "the old owner to be cleared", 10*time.Second, func() bool { return strings.Contains(owner.String(), "cleared") })
	got = strings.TrimSpace(string(runPython(t, display, testdata("selection.py"), "paste")))
	if got != "pasted:from a viewer é" {
		t.Errorf("paste of the viewer's text got %q", got)
	}
}

// cutListener reports the text X clients put in PRIMARY.
type cutListener chan string

func (l cutListener) CutText(text []byte) {
	s := make([]rune, len(text))
	for i, b := range text {
		s[i] = rune(b) // ISO 8859-1
	}
	l <- string(s)
}
func (cutListener) Changed(image.Rectangle)          {}
func (cutListener) Copied(image.Rectangle, int, int) {}
func (cutListener) Resized(int, int)                 {}
func (cutListener) CursorChanged()                   {}
func (cutListener) Bell()                            {}

var _ xserver.DamageListener = cutListener(nil)

// TestXclock runs xclock, analog and digital, without the Render
// extension. Within one minute the analog clock at the default update
// draws the same on both servers; the digital clock with -update 1 must
// change from one second to the next.
func TestXclock(t *testing.T) {
	peer.Need(t, "Xvfb", "xclock", "xwd", "xtrace")
	ours, _ := startServer(t, 400, 300)
	xvfb := peer.Xvfb(t, 400, 300)
	xvfbCore := peer.CoreOnly(t, xvfb)

	for try := 0; ; try++ {
		minute := time.Now().Minute()
		a, _ := peer.Start(t, ours, "xclock", "-norender", "-geometry", "160x160+10+10")
		b, _ := peer.Start(t, xvfbCore, "xclock", "-norender", "-geometry", "160x160+10+10")
		ia := peer.StableCapture(t, ours, "xclock")
		ib := peer.StableCapture(t, xvfb, "xclock")
		a.Process.Kill()
		b.Process.Kill()
		if time.Now().Minute() != minute && try < 2 {
			continue // the hands moved between the two
		}
		if n, box := peer.DiffImages(ia, ib); n != 0 {
			t.Errorf("analog xclock: %d pixels differ from Xvfb in %v; see %s and %s", n, box,
				savePNG(t, ia, "xclock-netdisplay.png"), savePNG(t, ib, "xclock-xvfb.png"))
		}
		break
	}

	cmd, out := peer.Start(t, ours, "xclock", "-norender", "-digital", "-update", "1", "-geometry", "+10+200")
	first := peer.StableCapture(t, ours, "xclock")
	waitFor(t, "the digital clock to tick", 5*time.Second, func() bool {
		img, err := peer.Capture(ours, "xclock")
		if err != nil {
			return false
		}
		n, _ := peer.DiffImages(first, img)
		return n > 0
	})
	if processExited(cmd) {
		t.Errorf("digital xclock exited: %s", out.String())
	}
}

// TestXtermSession types into xterm with xdotool (XTEST and XKEYBOARD),
// runs a command whose output scrolls, and compares the window with the
// same session on Xvfb: they must be identical.
func TestXtermSession(t *testing.T) {
	peer.Need(t, "Xvfb", "xterm", "xdotool", "xwd", "xtrace")
	ours, _ := startServer(t, 640, 480)
	xvfb := peer.Xvfb(t, 640, 480)
	xvfbCore := peer.CoreOnly(t, xvfb)
	shots := map[string]*image.RGBA{}
	for _, server := range []string{ours, xvfb} {
		clientDisplay := server
		if server == xvfb {
			clientDisplay = xvfbCore
		}
		// A plain shell with a fixed prompt, so that both sessions print the same.
		peer.Start(t, clientDisplay, "xterm", "-title", "xterm", "-geometry", "60x16+0+0", "-e",
			"env", "-i", "PS1=$ ", "TERM=xterm", "HOME=/tmp", "PATH=/usr/bin:/bin", "sh")
		peer.StableCapture(t, server, "xterm")
		xdo := exec.Command("xdotool", "mousemove", "100", "100", "type", "--delay", "20", "echo 'Hello, World! ~|'; seq 1 30\n")
		xdo.Env = append(os.Environ(), "DISPLAY="+server)
		if out, err := xdo.CombinedOutput(); err != nil {
			t.Fatalf("xdotool on %s: %v\n%s", server, err, out)
		}
		// Wait for the last line of output and the prompt after it.
		var img *image.RGBA
		waitFor(t, "the command's output on "+server, 20*time.Second, func() bool {
			img = peer.StableCapture(t, server, "xterm")
			return !sameAsBefore(shots[server], img)
		})
		shots[server] = peer.StableCapture(t, server, "xterm")
	}
	a, b := shots[ours], shots[xvfb]
	if n, box := peer.DiffImages(a, b); n != 0 {
		t.Errorf("xterm session: %d pixels differ from Xvfb in %v; see %s and %s", n, box,
			savePNG(t, a, "xterm-netdisplay.png"), savePNG(t, b, "xterm-xvfb.png"))
	}
}

func sameAsBefore(before, now *image.RGBA) bool {
	if before == nil {
		return false
	}
	n, _ := peer.DiffImages(before, now)
	return n == 0
}
