package term

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"sync"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"

	"netdisplay/viewer"
)

// fakeSession is a viewer.Session over an in-memory image that records
// the input it is given.
type fakeSession struct {
	target string

	mu       sync.Mutex
	img      *image.RGBA
	changed  image.Rectangle
	keys     []keyEvent
	pointers []pointerEvent
	cut      []byte
	clip     []byte
	resizes  []image.Point
	stats    viewer.Stats
	err      error
	closed   bool
	updated  chan struct{}
	done     chan struct{}
	doneOnce sync.Once
}

type keyEvent struct {
	sym  uint32
	down bool
}

type pointerEvent struct {
	x, y    int
	buttons uint8
}

func newFake(w, h int) *fakeSession {
	f := &fakeSession{
		target:  "vnc://fake:5900",
		img:     image.NewRGBA(image.Rect(0, 0, w, h)),
		updated: make(chan struct{}, 1),
		done:    make(chan struct{}),
	}
	f.changed = f.img.Rect
	return f
}

// set changes pixel (x, y) and reports it.
func (f *fakeSession) set(x, y int, c color.RGBA) {
	f.fill(image.Rect(x, y, x+1, y+1), c)
}

func (f *fakeSession) fill(r image.Rectangle, c color.RGBA) {
	f.mu.Lock()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			f.img.SetRGBA(x, y, c)
		}
	}
	f.changed = f.changed.Union(r)
	f.mu.Unlock()
	f.signal()
}

func (f *fakeSession) signal() {
	select {
	case f.updated <- struct{}{}:
	default:
	}
}

// drop ends the session as a lost connection would.
func (f *fakeSession) drop(err error) {
	f.mu.Lock()
	f.err = err
	f.mu.Unlock()
	f.doneOnce.Do(func() { close(f.done) })
}

func (f *fakeSession) Mode() string   { return "rfb" }
func (f *fakeSession) Target() string { return f.target }

func (f *fakeSession) Frame(fn func(img *image.RGBA, changed image.Rectangle)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := f.changed
	f.changed = image.Rectangle{}
	fn(f.img, ch)
}

func (f *fakeSession) Updated() <-chan struct{} { return f.updated }
func (f *fakeSession) Cursor() *viewer.Cursor   { return nil }

func (f *fakeSession) Key(sym uint32, down bool) {
	f.mu.Lock()
	f.keys = append(f.keys, keyEvent{sym, down})
	f.mu.Unlock()
}

func (f *fakeSession) Pointer(x, y int, buttons uint8) {
	f.mu.Lock()
	f.pointers = append(f.pointers, pointerEvent{x, y, buttons})
	f.mu.Unlock()
}

func (f *fakeSession) CutText(text []byte) {
	f.mu.Lock()
	f.cut = append([]byte(nil), text...)
	f.mu.Unlock()
}

func (f *fakeSession) Clipboard() []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.clip
}

func (f *fakeSession) Resize(w, h int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if w < 1 || h < 1 {
		return errors.New("bad size")
	}
	f.resizes = append(f.resizes, image.Pt(w, h))
	return nil
}

func (f *fakeSession) Stats() viewer.Stats {
	f.mu.Lock()
	defer f.mu.Unlock()
	st := f.stats
	st.Size = f.img.Rect.Size()
	return st
}

func (f *fakeSession) Done() <-chan struct{} { return f.done }

func (f *fakeSession) Err() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}

func (f *fakeSession) Close() error {
	f.mu.Lock()
	f.closed = true
	f.mu.Unlock()
	f.doneOnce.Do(func() { close(f.done) })
	return nil
}

func (f *fakeSession) takeKeys() []keyEvent {
	f.mu.Lock()
	defer f.mu.Unlock()
	k := f.keys
	f.keys = nil
	return k
}

func (f *fakeSession) takePointers() []pointerEvent {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.pointers
	f.pointers = nil
	return p
}

// newSim returns an initialized simulated terminal of w x h cells.
func newSim(t testing.TB, w, h int) tcell.SimulationScreen {
	t.Helper()
	s := tcell.NewSimulationScreen("UTF-8")
	if err := s.Init(); err != nil {
		t.Fatal(err)
	}
	s.SetSize(w, h)
	t.Cleanup(s.Fini)
	return s
}

// attached returns a viewer on a w x h simulated terminal showing f,
// drawn once, for tests that drive it step by step without Run.
func attached(t testing.TB, f *fakeSession, w, h, colors int) (*Viewer, tcell.SimulationScreen) {
	t.Helper()
	s := newSim(t, w, h)
	v := New(s, Options{Target: f.target, Colors: colors, Open: func(_ context.Context) (viewer.Session, error) { return f, nil }})
	v.attach(viewer.Attempt{Session: f})
	v.relayout()
	v.draw()
	return v, s
}

// cell returns what cell (x, y) shows: its text and colours.
func cell(s tcell.SimulationScreen, x, y int) (string, tcell.Color, tcell.Color) {
	cells, w, _ := s.GetContents()
	c := cells[y*w+x]
	fg, bg, _ := c.Style.Decompose()
	return string(c.Runes), fg, bg
}

// row returns row y's text.
func row(s tcell.SimulationScreen, y int) string {
	cells, w, _ := s.GetContents()
	var b []rune
	for x := 0; x < w; x++ {
		b = append(b, cells[y*w+x].Runes...)
	}
	return string(b)
}

func rgbColor(c color.RGBA) tcell.Color {
	return tcell.NewRGBColor(int32(c.R), int32(c.G), int32(c.B))
}

// eventually polls cond until it holds or the time is up.
func eventually(t testing.TB, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (k keyEvent) String() string {
	if k.down {
		return fmt.Sprintf("%#x down", k.sym)
	}
	return fmt.Sprintf("%#x up", k.sym)
}
