package desktop

import (
	"image"
	"io"
	"sync"
	"testing"
	"time"

	"netdisplay/viewer"
)

// fakeSession is a Session whose framebuffer the test draws in, and
// which records what the viewer sends.
type fakeSession struct {
	mode string

	mu       sync.Mutex
	img      *image.RGBA
	changed  image.Rectangle
	keys     []keyEvent
	pointers []pointerEvent
	resizes  []image.Point
	err      error

	updated chan struct{}
	done    chan struct{}
	once    sync.Once
}

func newFake(mode string, w, h int) *fakeSession {
	s := &fakeSession{mode: mode, updated: make(chan struct{}, 1), done: make(chan struct{})}
	s.img = image.NewRGBA(image.Rect(0, 0, w, h))
	s.changed = s.img.Rect
	s.signal()
	return s
}

func (s *fakeSession) signal() {
	select {
	case s.updated <- struct{}{}:
	default:
	}
}

// fill paints r in c and marks it changed.
func (s *fakeSession) fill(r image.Rectangle, c [4]uint8) {
	s.mu.Lock()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			copy(s.img.Pix[s.img.PixOffset(x, y):], c[:])
		}
	}
	s.changed = s.changed.Union(r)
	s.mu.Unlock()
	s.signal()
}

// resize makes the framebuffer w x h, as a DesktopSize would.
func (s *fakeSession) resize(w, h int) {
	s.mu.Lock()
	s.img = image.NewRGBA(image.Rect(0, 0, w, h))
	s.changed = s.img.Rect
	s.mu.Unlock()
	s.signal()
}

func (s *fakeSession) Mode() string { return s.mode }
func (s *fakeSession) Target() string {
	if s.mode == "x11" {
		return ":9"
	}
	return "vnc://fake:5900"
}

func (s *fakeSession) Frame(f func(img *image.RGBA, changed image.Rectangle)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.changed
	s.changed = image.Rectangle{}
	f(s.img, ch)
}

func (s *fakeSession) Updated() <-chan struct{} { return s.updated }
func (s *fakeSession) Cursor() *viewer.Cursor   { return nil }

func (s *fakeSession) Key(sym uint32, down bool) {
	s.mu.Lock()
	s.keys = append(s.keys, keyEvent{sym, down})
	s.mu.Unlock()
}

func (s *fakeSession) Pointer(x, y int, b uint8) {
	s.mu.Lock()
	s.pointers = append(s.pointers, pointerEvent{x, y, b})
	s.mu.Unlock()
}

func (s *fakeSession) CutText([]byte)    {}
func (s *fakeSession) Clipboard() []byte { return nil }

func (s *fakeSession) Resize(w, h int) error {
	s.mu.Lock()
	s.resizes = append(s.resizes, image.Pt(w, h))
	s.mu.Unlock()
	if s.mode == "x11" {
		s.resize(w, h)
	}
	return nil
}

func (s *fakeSession) Stats() viewer.Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return viewer.Stats{Mode: s.mode, BytesIn: 1234, BytesOut: 56, UpdateKind: "updates", Size: s.img.Rect.Size()}
}

func (s *fakeSession) Done() <-chan struct{} { return s.done }
func (s *fakeSession) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// drop ends the session as a dropped connection does.
func (s *fakeSession) drop() {
	s.mu.Lock()
	s.err = io.EOF
	s.mu.Unlock()
	s.Close()
}

func (s *fakeSession) Close() error {
	s.once.Do(func() { close(s.done) })
	return nil
}

func (s *fakeSession) sent() ([]keyEvent, []pointerEvent) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, p := s.keys, s.pointers
	s.keys, s.pointers = nil, nil
	return k, p
}

// fakeHost records what the viewer asks of the window system.
type fakeHost struct {
	windows []image.Point
	titles  []string
	writes  []image.Rectangle
	size    image.Point // of the last image written
	mon     image.Point
}

func (h *fakeHost) setWindowSize(size image.Point) { h.windows = append(h.windows, size) }
func (h *fakeHost) setTitle(t string)              { h.titles = append(h.titles, t) }
func (h *fakeHost) monitor() image.Point           { return h.mon }
func (h *fakeHost) write(img *image.RGBA, r image.Rectangle) {
	h.size = img.Rect.Size()
	h.writes = append(h.writes, r)
}

// eventually calls f until it returns true, failing after a while.
func eventually(t *testing.T, what string, f func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !f() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}
