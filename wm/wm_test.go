package wm_test

import (
	"context"
	"errors"
	"image"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"netdisplay/internal/peer"
	"netdisplay/protocol"
	"netdisplay/wm"
	"netdisplay/xlib"
)

// The decorations, as the tests expect them: a title bar with the name
// in white on blue (the window with the focus) or grey.
var (
	titleActive   = [3]uint8{0x34, 0x65, 0xa4}
	titleInactive = [3]uint8{0x88, 0x8a, 0x85}
	titleText     = [3]uint8{0xff, 0xff, 0xff}
)

// count counts the pixels of colour col in r of img.
func count(img *image.RGBA, r image.Rectangle, col [3]uint8) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := img.RGBAAt(x, y)
			if c.R == col[0] && c.G == col[1] && c.B == col[2] {
				n++
			}
		}
	}
	return n
}

// titleRect is the title bar of a frame, on the root.
func (f framed) titleRect() image.Rectangle {
	return image.Rect(f.outer.Min.X+1, f.outer.Min.Y+1, f.outer.Max.X-1, f.client.Min.Y)
}

// sampleApp builds one of the sample applications of clients/; it
// returns "" when that does not build (yet).
func sampleApp(t *testing.T, name string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), name)
	out, err := exec.Command("go", "build", "-o", bin, "netdisplay/clients/"+name).CombinedOutput()
	if err != nil {
		t.Logf("leaving out the sample application %s, which does not build: %v\n%s", name, err, out)
		return ""
	}
	return bin
}

// Every kind of application gets a frame with its name in the title bar:
// xlogo (Xt, with a position the user chose), xterm, a python3-xlib
// program and one of the sample applications, which are xlib programs.
func TestFramesApplications(t *testing.T) {
	peer.Need(t, "xlogo", "xterm", "python3")
	display := startServer(t, 1024, 768)
	runWM(t, display)
	c := dial(t, display)

	pydemo, _ := filepath.Abs("../xserver/testdata/pydemo.py")
	apps := []struct {
		name string
		prog string
		args []string
	}{
		{"xlogo", "xlogo", []string{"-geometry", "120x120+40+60"}},
		{"xterm-test", "xterm", []string{"-title", "xterm-test", "-geometry", "40x10", "-e", "/bin/sh"}},
		{"pydemo", peer.Python, []string{pydemo}},
		{"clock", "", []string{"-geometry", "220x250+700+100"}},
	}
	if apps[3].prog = sampleApp(t, "clock"); apps[3].prog == "" {
		apps = apps[:3]
	}
	state, err := c.InternAtom("WM_STATE", false).Reply()
	if err != nil {
		t.Fatal(err)
	}
	// One at a time, so that where each goes does not depend on which
	// is quicker to start.
	var frames []framed
	for _, a := range apps {
		peer.Start(t, display, a.prog, a.args...)
		client := findClient(t, c, a.name)
		f := frameOf(t, c, client)
		if !f.client.In(f.outer) || f.client.Min.Y-f.outer.Min.Y < 12 {
			t.Errorf("%s: client at %v in a frame at %v: want it inside, below a title bar", a.name, f.client, f.outer)
		}
		r, err := c.GetProperty(client, state, false).Reply()
		if v := c.PropertyValues(r); err != nil || len(v) == 0 || v[0] != xlib.NormalState {
			t.Errorf("%s: WM_STATE is %v (%v), want NormalState", a.name, v, err)
		}
		for i, g := range frames {
			if f.outer.Overlaps(g.outer) {
				t.Errorf("%s's frame %v overlaps %s's %v", a.name, f.outer, apps[i].name, g.outer)
			}
		}
		frames = append(frames, f)
	}
	// Each name is in its title bar, in white on blue or grey.
	drawn := func(img *image.RGBA, f framed) bool {
		bar := count(img, f.titleRect(), titleActive) + count(img, f.titleRect(), titleInactive)
		return bar > 0 && count(img, f.titleRect(), titleText) > 20
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		img := screenshot(t, c)
		if !slices.ContainsFunc(frames, func(f framed) bool { return !drawn(img, f) }) {
			break
		}
		if time.Now().After(deadline) {
			for i, f := range frames {
				if !drawn(img, f) {
					t.Errorf("%s: no title bar drawn at %v", apps[i].name, f.titleRect())
				}
			}
			t.Fatalf("see %s", savePNG(t, img, "wm-applications.png"))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if xlogo := frames[0]; xlogo.outer.Min != image.Pt(40, 60) {
		t.Errorf("xlogo asked for +40+60: its frame is at %v", xlogo.outer.Min)
	}
}

// Dragging the title bar moves the window by as much as the pointer, and
// the client hears where it is now (ICCCM's synthetic ConfigureNotify).
func TestDragMovesWindow(t *testing.T) {
	peer.Need(t, "xdotool")
	eachServer(t, 800, 600, func(t *testing.T, server, display string) {
		runWM(t, display)
		c := dial(t, display)
		tc := newClient(t, display, "mover", image.Rect(50, 60, 250, 160), xlib.SizeHints{Flags: xlib.USPosition}, true)
		before := frameOf(t, c, tc.w)

		delta := image.Pt(170, 90)
		drag(t, display, before.titleBar(), before.titleBar().Add(delta))
		var after framed
		waitFor(t, "the frame to move", func() bool {
			after, _ = lookFrame(c, tc.w)
			return after.outer.Min == before.outer.Min.Add(delta)
		})
		if after.client != before.client.Add(delta) {
			t.Errorf("client moved from %v to %v, want by %v", before.client, after.client, delta)
		}
		tc.await(t, "a ConfigureNotify at the new place on the root", func(ev protocol.Event) bool {
			e, ok := ev.(*protocol.ConfigureNotifyEvent)
			return ok && int(e.X) == after.client.Min.X && int(e.Y) == after.client.Min.Y && int(e.Width) == 200
		})
	})
}

// The close button sends WM_DELETE_WINDOW, and xlogo, which takes part
// in that protocol, exits.
func TestCloseButtonDeletesXlogo(t *testing.T) {
	peer.Need(t, "xdotool", "xlogo")
	eachServer(t, 640, 480, func(t *testing.T, server, display string) {
		runWM(t, display)
		c := dial(t, display)
		cmd, out := peer.Start(t, display, "xlogo", "-geometry", "150x150+100+100")
		f := frameOf(t, c, findClient(t, c, "xlogo"))
		click(t, display, f.closeButton())
		done, err := exited(cmd, 10*time.Second)
		if !done {
			t.Fatalf("xlogo is still running after its close button was clicked")
		}
		if err != nil {
			t.Errorf("xlogo exited with %v: %s", err, out)
		}
		waitFor(t, "the frame to go", func() bool {
			tree, err := c.QueryTree(c.Root()).Reply()
			return err == nil && !slices.Contains(tree.Children, protocol.Window(f.frame))
		})
	})
}

// A window that takes part in WM_DELETE_WINDOW gets the message, and
// stays up: closing is its decision.
func TestCloseButtonSendsDelete(t *testing.T) {
	peer.Need(t, "xdotool")
	eachServer(t, 640, 480, func(t *testing.T, server, display string) {
		runWM(t, display)
		c := dial(t, display)
		tc := newClient(t, display, "polite", image.Rect(100, 100, 300, 200), xlib.SizeHints{Flags: xlib.USPosition}, true, "WM_DELETE_WINDOW")
		f := frameOf(t, c, tc.w)
		click(t, display, f.closeButton())
		del, _ := tc.c.InternAtom("WM_DELETE_WINDOW", false).Reply()
		ev := tc.await(t, "WM_DELETE_WINDOW", func(ev protocol.Event) bool {
			_, ok := ev.(*protocol.ClientMessageEvent)
			return ok
		}).(*protocol.ClientMessageEvent)
		if xlib.Atom(ev.Data.Data32[0]) != del || ev.Format != 32 || xlib.Window(ev.Window) != tc.w {
			t.Errorf("got %+v, want WM_PROTOCOLS WM_DELETE_WINDOW", ev)
		}
		if tc.gone(300 * time.Millisecond) {
			t.Errorf("the client was killed")
		}
	})
}

// A window that does not take part in WM_DELETE_WINDOW has its client
// killed.
func TestCloseButtonKillsRude(t *testing.T) {
	peer.Need(t, "xdotool")
	eachServer(t, 640, 480, func(t *testing.T, server, display string) {
		runWM(t, display)
		c := dial(t, display)
		tc := newClient(t, display, "rude", image.Rect(100, 100, 300, 200), xlib.SizeHints{Flags: xlib.USPosition}, true)
		f := frameOf(t, c, tc.w)
		click(t, display, f.closeButton())
		if !tc.gone(10 * time.Second) {
			t.Fatalf("the client without WM_DELETE_WINDOW is still connected")
		}
	})
}

// Dragging the bottom right corner resizes the client, within its size
// hints.
func TestResizeFromCorner(t *testing.T) {
	peer.Need(t, "xdotool")
	eachServer(t, 800, 600, func(t *testing.T, server, display string) {
		runWM(t, display)
		c := dial(t, display)
		hints := xlib.SizeHints{Flags: xlib.USPosition | xlib.PMinSize, MinSize: image.Pt(120, 90)}
		tc := newClient(t, display, "stretchy", image.Rect(100, 80, 300, 230), hints, true)
		f := frameOf(t, c, tc.w)

		drag(t, display, f.grip(), f.grip().Add(image.Pt(60, 40)))
		tc.await(t, "a ConfigureNotify of 260x190", func(ev protocol.Event) bool {
			e, ok := ev.(*protocol.ConfigureNotifyEvent)
			return ok && e.Width == 260 && e.Height == 190
		})
		g := frameOf(t, c, tc.w)
		if g.outer.Min != f.outer.Min || g.outer.Size() != f.outer.Size().Add(image.Pt(60, 40)) {
			t.Errorf("frame went from %v to %v, want 60x40 larger in the same place", f.outer, g.outer)
		}

		drag(t, display, g.grip(), g.grip().Sub(image.Pt(400, 400)))
		tc.await(t, "a ConfigureNotify of the minimum size, 120x90", func(ev protocol.Event) bool {
			e, ok := ev.(*protocol.ConfigureNotifyEvent)
			return ok && e.Width == 120 && e.Height == 90
		})
	})
}

// Windows that do not say where they go are placed apart.
func TestPlacementSpreadsWindows(t *testing.T) {
	eachServer(t, 800, 600, func(t *testing.T, server, display string) {
		runWM(t, display)
		c := dial(t, display)
		var frames []framed
		for _, name := range []string{"one", "two", "three"} {
			tc := newClient(t, display, name, image.Rect(0, 0, 200, 150), xlib.SizeHints{}, true)
			frames = append(frames, frameOf(t, c, tc.w))
		}
		for i, f := range frames {
			if !f.outer.In(image.Rect(0, 0, 800, 600)) {
				t.Errorf("window %d at %v, off the screen", i, f.outer)
			}
			for j, g := range frames[:i] {
				if f.outer.Overlaps(g.outer) {
					t.Errorf("windows %d and %d overlap: %v and %v", j, i, g.outer, f.outer)
				}
			}
		}
	})
}

// A window that moves or resizes itself gets what it asks, with its frame
// around it, and hears where it is on the root.
func TestConfigureRequest(t *testing.T) {
	eachServer(t, 800, 600, func(t *testing.T, server, display string) {
		runWM(t, display)
		c := dial(t, display)
		tc := newClient(t, display, "mover", image.Rect(10, 10, 110, 110), xlib.SizeHints{Flags: xlib.USPosition}, true)
		frameOf(t, c, tc.w)

		tc.c.ConfigureWindow(tc.w, protocol.ConfigWindowX|protocol.ConfigWindowY|protocol.ConfigWindowWidth|protocol.ConfigWindowHeight,
			xlib.WindowChanges{X: 300, Y: 200, Width: 250, Height: 120})
		tc.c.Flush()
		var f framed
		waitFor(t, "the window to move and grow", func() bool {
			f, _ = lookFrame(c, tc.w)
			return f.outer.Min == image.Pt(300, 200) && f.client.Size() == image.Pt(250, 120)
		})

		// A move alone: the client hears of it from the manager.
		tc.c.ConfigureWindow(tc.w, protocol.ConfigWindowX|protocol.ConfigWindowY, xlib.WindowChanges{X: 50, Y: 70})
		tc.c.Flush()
		waitFor(t, "the window to move", func() bool {
			f, _ = lookFrame(c, tc.w)
			return f.outer.Min == image.Pt(50, 70)
		})
		tc.await(t, "a ConfigureNotify on the root", func(ev protocol.Event) bool {
			e, ok := ev.(*protocol.ConfigureNotifyEvent)
			return ok && int(e.X) == f.client.Min.X && int(e.Y) == f.client.Min.Y
		})
	})
}

// A transient window (a dialog) goes over the middle of its owner.
func TestTransientOverOwner(t *testing.T) {
	eachServer(t, 800, 600, func(t *testing.T, server, display string) {
		runWM(t, display)
		c := dial(t, display)
		owner := newClient(t, display, "owner", image.Rect(100, 100, 500, 400), xlib.SizeHints{Flags: xlib.USPosition}, true)
		of := frameOf(t, c, owner.w)

		dc := dial(t, display)
		d, _ := dc.CreateWindow(dc.Root(), image.Rect(0, 0, 120, 60), 0)
		dc.ChangePropertyValues(d, protocol.PropModeReplace, protocol.AtomWmTransientFor, protocol.AtomWindow, uint32(owner.w))
		dc.MapWindow(d)
		dc.Flush()
		df := frameOf(t, c, d)
		mid := func(r image.Rectangle) image.Point { return r.Min.Add(r.Max).Div(2) }
		if d := mid(df.outer).Sub(mid(of.outer)); d.X < -1 || d.X > 1 || d.Y < -1 || d.Y > 1 {
			t.Errorf("dialog's frame %v is not over the middle of its owner's %v", df.outer, of.outer)
		}
	})
}

// Override-redirect windows (menus) are none of the manager's business.
func TestOverrideRedirectUntouched(t *testing.T) {
	eachServer(t, 640, 480, func(t *testing.T, server, display string) {
		runWM(t, display)
		c := dial(t, display)
		oc := dial(t, display)
		w, _ := oc.CreateWindow(oc.Root(), image.Rect(30, 40, 130, 90), 0, xlib.OverrideRedirect(true))
		oc.MapWindow(w)
		if err := oc.Sync(); err != nil {
			t.Fatal(err)
		}
		// Give the manager the time to get it wrong.
		time.Sleep(200 * time.Millisecond)
		tree, err := c.QueryTree(w).Reply()
		if err != nil {
			t.Fatal(err)
		}
		g, _ := c.GetGeometry(w).Reply()
		if xlib.Window(tree.Parent) != c.Root() || g.X != 30 || g.Y != 40 {
			t.Errorf("override-redirect window moved to parent %#x at %d,%d", tree.Parent, g.X, g.Y)
		}
	})
}

// A click on a frame raises it and gives its client the focus; a client
// whose input hint is false and that takes part in WM_TAKE_FOCUS is
// offered it instead.
func TestClickFocuses(t *testing.T) {
	peer.Need(t, "xdotool")
	eachServer(t, 800, 600, func(t *testing.T, server, display string) {
		runWM(t, display)
		c := dial(t, display)
		a := newClient(t, display, "a", image.Rect(50, 50, 350, 250), xlib.SizeHints{Flags: xlib.USPosition}, true)
		fa := frameOf(t, c, a.w)
		b := newClient(t, display, "b", image.Rect(150, 150, 450, 350), xlib.SizeHints{Flags: xlib.USPosition}, true)
		fb := frameOf(t, c, b.w)
		waitFor(t, "the newest window to have the focus", func() bool { return focus(c) == b.w })

		click(t, display, fa.titleBar())
		waitFor(t, "a click to focus the window below", func() bool { return focus(c) == a.w })
		if top := topFrame(t, c); top != fa.frame {
			t.Errorf("frame on top is %#x, want the clicked one, %#x", top, fa.frame)
		}
		img := screenshot(t, c)
		if count(img, fa.titleRect(), titleActive) == 0 || count(img, fb.titleRect(), titleActive) != 0 {
			t.Errorf("the title bars do not show which window has the focus")
		}

		g := newClient(t, display, "globally active", image.Rect(500, 50, 700, 150), xlib.SizeHints{Flags: xlib.USPosition}, false, "WM_TAKE_FOCUS")
		fg := frameOf(t, c, g.w)
		click(t, display, fg.titleBar())
		take, _ := g.c.InternAtom("WM_TAKE_FOCUS", false).Reply()
		ev := g.await(t, "WM_TAKE_FOCUS", func(ev protocol.Event) bool {
			e, ok := ev.(*protocol.ClientMessageEvent)
			return ok && xlib.Atom(e.Data.Data32[0]) == take
		}).(*protocol.ClientMessageEvent)
		if ev.Data.Data32[1] == 0 {
			t.Errorf("WM_TAKE_FOCUS with CurrentTime: ICCCM wants the click's timestamp")
		}
		if focus(c) == g.w {
			t.Errorf("the manager set the focus on a window whose input hint is false")
		}
	})
}

func focus(c *xlib.Conn) xlib.Window {
	r, err := xlib.Call[protocol.GetInputFocusReply](c, &protocol.GetInputFocus{}).Reply()
	if err != nil {
		return 0
	}
	return xlib.Window(r.Focus)
}

func topFrame(t *testing.T, c *xlib.Conn) xlib.Window {
	tree, err := c.QueryTree(c.Root()).Reply()
	if err != nil || len(tree.Children) == 0 {
		t.Fatal(err)
	}
	return xlib.Window(tree.Children[len(tree.Children)-1])
}

// A click in a window without the focus raises and focuses it, and
// reaches the window too.
func TestClickInClient(t *testing.T) {
	peer.Need(t, "xdotool")
	eachServer(t, 800, 600, func(t *testing.T, server, display string) {
		runWM(t, display)
		c := dial(t, display)
		testClickInClient(t, server, display, c)
	})
}

func testClickInClient(t *testing.T, server, display string, c *xlib.Conn) {
	a := newClient(t, display, "a", image.Rect(50, 50, 350, 250), xlib.SizeHints{Flags: xlib.USPosition}, true)
	fa := frameOf(t, c, a.w)
	b := newClient(t, display, "b", image.Rect(150, 150, 450, 350), xlib.SizeHints{Flags: xlib.USPosition}, true)
	frameOf(t, c, b.w)
	waitFor(t, "the newest window to have the focus", func() bool { return focus(c) == b.w })

	click(t, display, fa.client.Min.Add(image.Pt(20, 20)))
	waitFor(t, "a click in the window below to focus it", func() bool { return focus(c) == a.w })
	if top := topFrame(t, c); top != fa.frame {
		t.Errorf("frame on top is %#x, want the clicked one, %#x", top, fa.frame)
	}
	skipOn(t, server, bugReplay)
	a.await(t, "the click to reach the window", func(ev protocol.Event) bool {
		e, ok := ev.(*protocol.ButtonPressEvent)
		return ok && e.EventX == 20 && e.EventY == 20
	})
}

// A new name is drawn in the title bar.
func TestTitleFollowsName(t *testing.T) {
	eachServer(t, 640, 480, func(t *testing.T, server, display string) {
		runWM(t, display)
		c := dial(t, display)
		tc := newClient(t, display, "before", image.Rect(50, 50, 350, 150), xlib.SizeHints{Flags: xlib.USPosition}, true)
		f := frameOf(t, c, tc.w)
		var was int
		waitFor(t, "the title", func() bool {
			was = count(screenshot(t, c), f.titleRect(), titleText)
			return was > 0
		})
		tc.c.ChangeProperty(tc.w, protocol.PropModeReplace, protocol.AtomWmName, protocol.AtomString, 8, []byte("a much, much longer title"))
		tc.c.Flush()
		waitFor(t, "the new title", func() bool { return count(screenshot(t, c), f.titleRect(), titleText) > 2*was })
	})
}

// When the manager's connection ends (it was killed), the applications
// keep running, and their windows are back on the root, mapped, where
// they were on the screen.
func TestKilledManagerGivesWindowsBack(t *testing.T) {
	peer.Need(t, "xlogo")
	eachServer(t, 640, 480, func(t *testing.T, server, display string) {
		m := runWM(t, display)
		c := dial(t, display)
		xlogo, _ := peer.Start(t, display, "xlogo", "-geometry", "100x100+200+100")
		xw := findClient(t, c, "xlogo")
		tc := newClient(t, display, "mine", image.Rect(20, 20, 120, 120), xlib.SizeHints{}, true)
		fx, ft := frameOf(t, c, xw), frameOf(t, c, tc.w)

		m.kill()
		windows := []struct {
			w  xlib.Window
			at image.Point
		}{{xw, fx.client.Min}, {tc.w, ft.client.Min}}
		for _, w := range windows {
			waitFor(t, "the window to be back on the root", func() bool {
				tree, err := c.QueryTree(w.w).Reply()
				return err == nil && xlib.Window(tree.Parent) == c.Root()
			})
			g, _ := c.GetGeometry(w.w).Reply()
			if got := image.Pt(int(g.X), int(g.Y)); got != w.at {
				t.Errorf("window %#x at %v, want where it was, %v", w.w, got, w.at)
			}
		}
		if !running(xlogo) || tc.gone(100*time.Millisecond) {
			t.Errorf("an application died with the window manager")
		}
		skipOn(t, server, bugSaveSet)
		for _, w := range windows {
			waitFor(t, "the window to be mapped", func() bool {
				a, err := c.GetWindowAttributes(w.w).Reply()
				return err == nil && a.MapState == protocol.MapStateViewable
			})
		}
	})
}

// When the manager stops, it gives the windows back itself, with their
// own borders, where a manager will frame them in the same place again.
func TestStoppedManagerReleases(t *testing.T) {
	eachServer(t, 640, 480, func(t *testing.T, server, display string) {
		m := runWM(t, display)
		c := dial(t, display)
		tc := newClient(t, display, "bordered", image.Rect(60, 70, 160, 170), xlib.SizeHints{Flags: xlib.USPosition}, true)
		tc.c.ConfigureWindow(tc.w, protocol.ConfigWindowBorderWidth, xlib.WindowChanges{BorderWidth: 3})
		tc.c.Flush()
		before := frameOf(t, c, tc.w)

		m.cancel()
		waitFor(t, "the window back on the root", func() bool {
			tree, err := c.QueryTree(tc.w).Reply()
			return err == nil && xlib.Window(tree.Parent) == c.Root()
		})
		g, _ := c.GetGeometry(tc.w).Reply()
		if g.BorderWidth != 3 || int(g.X) != before.outer.Min.X || int(g.Y) != before.outer.Min.Y {
			t.Errorf("window at %d,%d with border %d; want at the frame's corner %v with its border of 3", g.X, g.Y, g.BorderWidth, before.outer.Min)
		}

		// And a new manager frames it where it was.
		runWM(t, display)
		if again := frameOf(t, c, tc.w); again.outer != before.outer {
			t.Errorf("framed again at %v, was %v", again.outer, before.outer)
		}
	})
}

// Windows mapped before the manager starts are framed where they are.
func TestAdoptsMappedWindows(t *testing.T) {
	eachServer(t, 640, 480, func(t *testing.T, server, display string) {
		c := dial(t, display)
		tc := newClient(t, display, "early", image.Rect(100, 120, 200, 220), xlib.SizeHints{}, true)
		waitFor(t, "the window to be mapped", func() bool {
			a, err := c.GetWindowAttributes(tc.w).Reply()
			return err == nil && a.MapState == protocol.MapStateViewable
		})
		runWM(t, display)
		if f := frameOf(t, c, tc.w); f.outer.Min != image.Pt(100, 120) {
			t.Errorf("adopted window's frame at %v, want at the window's place, (100,120)", f.outer.Min)
		}
	})
}

// Only one window manager at a time.
func TestSecondManagerRefused(t *testing.T) {
	eachServer(t, 640, 480, func(t *testing.T, server, display string) {
		runWM(t, display)
		c := dial(t, display)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := wm.Run(ctx, c, wm.Options{}); !errors.Is(err, wm.ErrOtherWM) {
			t.Errorf("a second manager: %v, want ErrOtherWM", err)
		}
	})
}

// Windows destroyed as soon as they ask to be mapped, before or while
// the manager frames them, leave no empty frame behind.
func TestVanishingWindowsLeaveNoFrames(t *testing.T) {
	eachServer(t, 640, 480, func(t *testing.T, server, display string) {
		runWM(t, display)
		c := dial(t, display)
		app := dial(t, display)
		for i := range 20 {
			w, _ := app.CreateWindow(app.Root(), image.Rect(10*i, 10*i, 10*i+100, 10*i+80), 0)
			app.MapWindow(w)
			if i%2 == 1 {
				app.Flush() // sometimes in separate batches
			}
			app.DestroyWindow(w)
		}
		app.Sync()
		// A last window, framed once the manager has seen the rest.
		last := newClient(t, display, "last", image.Rect(0, 0, 50, 50), xlib.SizeHints{}, true)
		frameOf(t, c, last.w)
		tree, err := c.QueryTree(c.Root()).Reply()
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range tree.Children {
			a, err1 := c.GetWindowAttributes(xlib.Window(w)).Reply()
			sub, err2 := c.QueryTree(xlib.Window(w)).Reply()
			if err1 == nil && err2 == nil && a.MapState == protocol.MapStateViewable && len(sub.Children) == 0 {
				g, _ := c.GetGeometry(xlib.Window(w)).Reply()
				if g.Width > 1 { // not the server's own 1x1 windows
					t.Errorf("an empty window %#x of %dx%d is left on the root", w, g.Width, g.Height)
				}
			}
		}
	})
}
