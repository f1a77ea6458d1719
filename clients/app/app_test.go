//go:build linux

package app_test

import (
	"errors"
	"image"
	"image/color"
	"strings"
	"sync"
	"testing"
	"time"

	"netdisplay/clients/app"
	"netdisplay/clients/internal/apptest"
	"netdisplay/internal/peer"
	"netdisplay/protocol"
	"netdisplay/xlib"
)

// A probe is the least application: it fills its window with a grey as
// light as the number of steps, ticks and inputs it has had.
type probe struct {
	w      *app.Window
	gc     xlib.GC
	mu     sync.Mutex
	count  int
	inputs []protocol.Event
}

func (p *probe) Draw() {
	p.mu.Lock()
	v := uint8(p.count * 20)
	p.mu.Unlock()
	p.w.ChangeGC(p.gc, xlib.Foreground(p.w.Pixel(color.RGBA{v, v, v, 0xff})))
	p.w.FillRectangles(p.w.ID, p.gc, image.Rectangle{Max: p.w.Size})
}

func (p *probe) step() {
	p.mu.Lock()
	p.count++
	p.mu.Unlock()
	p.Draw()
}

func (p *probe) Tick(time.Time) { p.step() }

func (p *probe) Input(ev protocol.Event) {
	p.mu.Lock()
	p.inputs = append(p.inputs, ev)
	p.mu.Unlock()
}

func (p *probe) Script(name string) ([]app.Step, error) {
	var steps []app.Step
	for i := 1; i <= 5; i++ {
		steps = append(steps, app.Step{At: time.Duration(i) * 10 * time.Millisecond, Do: p.step})
	}
	return steps, nil
}

func (p *probe) snapshot() (count int, inputs []protocol.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.count, append([]protocol.Event(nil), p.inputs...)
}

// probeApp returns the probe's App, and a channel that gets the program
// once it is made.
func probeApp() (app.App, chan *probe) {
	made := make(chan *probe, 1)
	return app.App{
		Name:   "probe",
		Size:   image.Pt(64, 48),
		Input:  protocol.EventMaskKeyPress,
		Period: 20 * time.Millisecond,
		New: func(w *app.Window) (app.Program, error) {
			p := &probe{w: w, gc: w.GC()}
			made <- p
			return p, nil
		},
	}, made
}

func TestScriptPlays(t *testing.T) {
	display, _ := apptest.Netdisplay(t, 320, 240)
	a, made := probeApp()
	r := apptest.Start(t, display, a, app.Options{Script: app.Short, Geometry: "80x60+7+9"})
	rep := r.Done(t)
	if rep.Frames != 6 {
		t.Errorf("%d frames, want 6: the first Expose and 5 steps", rep.Frames)
	}
	img := peer.StableCapture(t, display, "probe")
	if img.Bounds().Size() != image.Pt(80, 60) {
		t.Errorf("window is %v, want 80x60", img.Bounds().Size())
	}
	if c := img.RGBAAt(40, 30); c != (color.RGBA{100, 100, 100, 0xff}) {
		t.Errorf("the window shows %v, want the grey of 5 steps", c)
	}
	p := <-made
	g, err := r.Conn.GetGeometry(p.w.ID).Reply()
	if err != nil || g.X != 7 || g.Y != 9 {
		t.Errorf("window at %+v (%v), want +7+9", g, err)
	}
	class, err := r.Conn.GetProperty(p.w.ID, protocol.AtomWmClass, false).Reply()
	if err != nil || string(class.Value) != "probe\x00Probe\x00" {
		t.Errorf("WM_CLASS %q (%v)", class.Value, err)
	}
}

// TestSyncIsOneRoundTripAFrame: with Sync each frame waits for the server
// once; without, none does.
func TestSyncIsOneRoundTripAFrame(t *testing.T) {
	var reports [2]app.Report
	for i, sync := range []bool{false, true} {
		display, _ := apptest.Netdisplay(t, 320, 240)
		a, _ := probeApp()
		reports[i] = apptest.Start(t, display, a, app.Options{Script: app.Short, Sync: sync}).Done(t)
	}
	async, sync := reports[0], reports[1]
	if async.Frames != sync.Frames {
		t.Fatalf("%d frames without sync, %d with", async.Frames, sync.Frames)
	}
	if got := sync.Stats.RoundTrips - async.Stats.RoundTrips; got != uint64(sync.Frames) {
		t.Errorf("sync made %d round trips more than async for %d frames (%d and %d in all)",
			got, sync.Frames, sync.Stats.RoundTrips, async.Stats.RoundTrips)
	}
}

func TestLiveTicksAndInput(t *testing.T) {
	display, _ := apptest.Netdisplay(t, 320, 240)
	a, made := probeApp()
	apptest.Start(t, display, a, app.Options{})
	p := <-made
	apptest.WaitFor(t, "three ticks", 10*time.Second, func() bool { n, _ := p.snapshot(); return n >= 3 })

	c, err := xlib.Open(display)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SendEvent(p.w.ID, false, protocol.EventMaskKeyPress, &protocol.KeyPressEvent{Detail: 38, Event: protocol.Window(p.w.ID), SameScreen: true})
	c.Sync()
	apptest.WaitFor(t, "the key press", 10*time.Second, func() bool { _, in := p.snapshot(); return len(in) > 0 })
}

func TestScriptIgnoresInput(t *testing.T) {
	display, _ := apptest.Netdisplay(t, 320, 240)
	a, made := probeApp()
	r := apptest.Start(t, display, a, app.Options{Script: app.Short})
	p := <-made
	r.Done(t)
	c, err := xlib.Open(display)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SendEvent(p.w.ID, false, protocol.EventMaskKeyPress, &protocol.KeyPressEvent{Detail: 38, Event: protocol.Window(p.w.ID), SameScreen: true})
	c.Sync()
	// What reached the probe's connection is handled in order: once a
	// round trip of its own has come back, the key has been seen.
	r.Conn.Sync()
	time.Sleep(50 * time.Millisecond)
	if _, in := p.snapshot(); len(in) != 0 {
		t.Errorf("the script's program got input: %v", in)
	}
}

func TestWindowManagerCloses(t *testing.T) {
	display, _ := apptest.Netdisplay(t, 320, 240)
	a, made := probeApp()
	r := apptest.Start(t, display, a, app.Options{})
	p := <-made
	c, err := xlib.Open(display)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	protocols, _ := c.InternAtom("WM_PROTOCOLS", false).Reply()
	del, _ := c.InternAtom("WM_DELETE_WINDOW", false).Reply()
	msg := &protocol.ClientMessageEvent{Format: 32, Window: protocol.Window(p.w.ID), Type: protocols}
	msg.Data.Data32[0] = uint32(del)
	c.SendEvent(p.w.ID, false, 0, msg)
	c.Sync()
	if err := r.Exit(t); err != nil {
		t.Errorf("closed by the window manager, Run returned %v; want nil", err)
	}
}

func TestServerGoesAway(t *testing.T) {
	display, srv := apptest.Netdisplay(t, 320, 240)
	a, made := probeApp()
	r := apptest.Start(t, display, a, app.Options{})
	p := <-made
	apptest.WaitFor(t, "a tick", 10*time.Second, func() bool { n, _ := p.snapshot(); return n > 0 })
	srv.Close()
	err := r.Exit(t)
	var lost *xlib.ConnError
	if !errors.As(err, &lost) {
		t.Fatalf("Run returned %v, want a *xlib.ConnError", err)
	}
	if msg := app.Explain(err); !strings.HasPrefix(msg, "lost the X server at "+display) {
		t.Errorf("Explain says %q", msg)
	}
}

func TestUnknownScript(t *testing.T) {
	display, _ := apptest.Netdisplay(t, 320, 240)
	c, err := xlib.Open(display)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	a, _ := probeApp()
	if err := app.Run(t.Context(), c, a, app.Options{Script: "nonsense"}); !errors.Is(err, app.ErrUnknownScript) {
		t.Errorf("Run with an unknown script returned %v", err)
	}
}
