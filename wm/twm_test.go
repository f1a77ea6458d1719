package wm_test

import (
	"image"
	"path/filepath"
	"testing"
	"time"

	"netdisplay/internal/peer"
	"netdisplay/protocol"
	"netdisplay/xlib"
)

// A twm session: twm, xlogo and xterm at fixed places.
type twmSession struct {
	display string // where to look
	c       *xlib.Conn
	xlogo   xlib.Window
}

// startTwm runs twm on clientDisplay (the display itself, or xtrace in
// front of it), then xlogo and xterm, and waits until twm has framed both.
func startTwm(t *testing.T, display, clientDisplay string) *twmSession {
	c := dial(t, display)
	// The pointer away from the windows: twm gives the focus to the
	// window under it, and xterm draws its cursor by the focus.
	xdotool(t, display, "mousemove", "600", "450")
	rc, _ := filepath.Abs("testdata/twmrc")
	twm := peer.Command(t, clientDisplay, "twm", "-f", rc)
	twm.Env = append(twm.Env, "LC_ALL=C") // no font sets for charsets the fonts lack
	if err := twm.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "twm to manage the screen", func() bool {
		a, err := c.GetWindowAttributes(c.Root()).Reply()
		return err == nil && a.AllEventMasks&protocol.EventMaskSubstructureRedirect != 0
	})
	s := &twmSession{display: display, c: c}
	peer.Start(t, clientDisplay, "xlogo", "-geometry", "120x120+40+40")
	s.xlogo = findClient(t, c, "xlogo")
	waitFor(t, "twm to frame xlogo", func() bool { _, ok := lookFrame(c, s.xlogo); return ok })
	xterm := peer.Command(t, clientDisplay, "xterm", "-title", "xterm", "-geometry", "40x10+200+100", "-e", "/bin/sh")
	xterm.Env = append(xterm.Env, "PS1=$ ")
	if err := xterm.Start(); err != nil {
		t.Fatal(err)
	}
	w := findClient(t, c, "xterm")
	waitFor(t, "twm to frame xterm", func() bool { _, ok := lookFrame(c, w); return ok })
	return s
}

// settled takes screenshots until two in a row agree.
func (s *twmSession) settled(t *testing.T) *image.RGBA {
	t.Helper()
	last := screenshot(t, s.c)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		time.Sleep(150 * time.Millisecond)
		img := screenshot(t, s.c)
		if n, _ := peer.DiffImages(img, last); n == 0 {
			return img
		}
		last = img
	}
	t.Fatalf("the screen of %s did not settle", s.display)
	return nil
}

// twm runs on netdisplay as on Xvfb: the same session (twm, xlogo and
// xterm at fixed places, with a twmrc that draws with the fixed font)
// gives the same screen on both, and dragging xlogo's title bar with
// xdotool moves it the same on both. The screens must match exactly: 0
// pixels may differ, before the move and after. On Xvfb the clients see
// only the core protocol (see coreOnly), as they do on netdisplay.
func TestTwmMatchesXvfb(t *testing.T) {
	peer.Need(t, "twm", "Xvfb", "xlogo", "xterm", "xdotool", "xtrace")
	const threshold = 0 // pixels that may differ
	ours := startServer(t, 640, 480)
	xv := peer.Xvfb(t, 640, 480)
	sessions := []*twmSession{startTwm(t, ours, ours), startTwm(t, xv, peer.CoreOnly(t, xv))}
	compare := func(when string) {
		a, b := sessions[0].settled(t), sessions[1].settled(t)
		if n, box := peer.DiffImages(a, b); n > threshold {
			pa := savePNG(t, a, "twm-"+when+"-netdisplay.png")
			pb := savePNG(t, b, "twm-"+when+"-xvfb.png")
			t.Errorf("%s: %d pixels differ from Xvfb's (within %v), more than %d; see %s and %s", when, n, box, threshold, pa, pb)
		}
	}
	compare("framed")

	delta := image.Pt(160, 190)
	for _, s := range sessions {
		f, _ := lookFrame(s.c, s.xlogo)
		from := image.Pt(f.outer.Min.X+70, f.outer.Min.Y+10) // on the title, past the iconify button
		drag(t, s.display, from, from.Add(delta))
		waitFor(t, "xlogo to move on "+s.display, func() bool {
			g, ok := lookFrame(s.c, s.xlogo)
			return ok && g.client == f.client.Add(delta)
		})
	}
	compare("moved")
}

// The built-in window manager draws the same on netdisplay as on Xvfb:
// its frames are core requests, and the screens must match exactly (0
// pixels differ) with xlogo and xterm framed, one of them focused.
func TestFramesMatchXvfb(t *testing.T) {
	peer.Need(t, "Xvfb", "xlogo", "xterm", "xdotool", "xtrace")
	const threshold = 0
	ours := startServer(t, 640, 480)
	xv := peer.Xvfb(t, 640, 480)
	var shots []*image.RGBA
	for _, d := range []struct{ display, clients string }{{ours, ours}, {xv, peer.CoreOnly(t, xv)}} {
		xdotool(t, d.display, "mousemove", "600", "450")
		runWM(t, d.display)
		s := &twmSession{display: d.display, c: dial(t, d.display)}
		peer.Start(t, d.clients, "xlogo", "-geometry", "120x120+40+40")
		frameOf(t, s.c, findClient(t, s.c, "xlogo"))
		xterm := peer.Command(t, d.clients, "xterm", "-title", "xterm", "-geometry", "40x10+200+100", "-e", "/bin/sh")
		xterm.Env = append(xterm.Env, "PS1=$ ")
		if err := xterm.Start(); err != nil {
			t.Fatal(err)
		}
		frameOf(t, s.c, findClient(t, s.c, "xterm"))
		shots = append(shots, s.settled(t))
	}
	if n, box := peer.DiffImages(shots[0], shots[1]); n > threshold {
		pa := savePNG(t, shots[0], "wm-netdisplay.png")
		pb := savePNG(t, shots[1], "wm-xvfb.png")
		t.Errorf("%d pixels differ from Xvfb's (within %v), more than %d; see %s and %s", n, box, threshold, pa, pb)
	}
}
