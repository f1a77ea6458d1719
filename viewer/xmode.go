package viewer

import (
	"errors"
	"image"
	"sync"
	"time"

	"netdisplay/xserver"
)

// xSession is X mode: the framebuffer is this process's own X server's.
type xSession struct {
	x      *xserver.Server
	target string

	mu      sync.Mutex // guards img, changed, resized and clip
	img     *image.RGBA
	changed image.Rectangle
	clip    []byte
	cursor  bool // the cursor changed

	updated chan struct{}
	done    chan struct{}
	once    sync.Once

	in      sync.Mutex // serializes input
	buttons uint8

	lat   latency
	meter meter
}

// NewX returns an X-mode session showing x's screen. The caller has x
// listening where remote applications can reach it; target names that
// display (":1").
func NewX(x *xserver.Server, target string) Session {
	s := &xSession{x: x, target: target, updated: make(chan struct{}, 1), done: make(chan struct{})}
	size := x.Size()
	s.img = image.NewRGBA(image.Rectangle{Max: size})
	s.changed = s.img.Rect
	s.cursor = true
	x.AddDamageListener((*xListener)(s))
	s.signal()
	return s
}

func (s *xSession) Mode() string   { return "x11" }
func (s *xSession) Target() string { return s.target }

func (s *xSession) signal() {
	select {
	case s.updated <- struct{}{}:
	default:
	}
}

func (s *xSession) Updated() <-chan struct{} { return s.updated }

// Frame copies what changed from the X server's framebuffer into the
// session's image, under the X server's lock, then shows it to f.
func (s *xSession) Frame(f func(img *image.RGBA, changed image.Rectangle)) {
	s.x.Lock()
	fb := s.x.Framebuffer()
	s.mu.Lock()
	if s.img.Rect.Dx() != fb.Width || s.img.Rect.Dy() != fb.Height {
		s.img = image.NewRGBA(image.Rect(0, 0, fb.Width, fb.Height))
		s.changed = s.img.Rect
	}
	ch := s.changed.Intersect(s.img.Rect)
	for y := ch.Min.Y; y < ch.Max.Y; y++ {
		src := fb.Pix[y*fb.Stride+ch.Min.X : y*fb.Stride+ch.Max.X]
		dst := s.img.Pix[s.img.PixOffset(ch.Min.X, y):]
		for i, p := range src {
			dst[4*i], dst[4*i+1], dst[4*i+2], dst[4*i+3] = uint8(p>>16), uint8(p>>8), uint8(p), 0xFF
		}
	}
	s.changed = image.Rectangle{}
	s.x.Unlock()
	defer s.mu.Unlock()
	if !ch.Empty() {
		s.lat.shown(time.Now())
	}
	f(s.img, ch)
}

func (s *xSession) Cursor() *Cursor {
	s.x.Lock()
	c := s.x.CurrentCursor()
	s.x.Unlock()
	if c == nil {
		return nil
	}
	img := image.NewRGBA(image.Rect(0, 0, c.Width, c.Height))
	for i, p := range c.Pixels {
		if c.Mask[i] {
			img.Pix[4*i], img.Pix[4*i+1], img.Pix[4*i+2], img.Pix[4*i+3] = uint8(p>>16), uint8(p>>8), uint8(p), 0xFF
		}
	}
	return &Cursor{Image: img, Hot: c.Hot}
}

func (s *xSession) Key(keysym uint32, down bool) {
	if down {
		s.lat.input(time.Now())
	}
	s.x.KeySym(keysym, down)
}

func (s *xSession) Pointer(x, y int, buttons uint8) {
	s.in.Lock()
	defer s.in.Unlock()
	if buttons&^s.buttons != 0 || buttons&7 != 0 {
		s.lat.input(time.Now())
	}
	s.x.MovePointer(x, y)
	for b := 0; b < 8; b++ {
		if (buttons^s.buttons)&(1<<b) != 0 {
			s.x.Button(b+1, buttons&(1<<b) != 0)
		}
	}
	s.buttons = buttons
}

func (s *xSession) CutText(text []byte) { s.x.SetCutText(text) }

func (s *xSession) Clipboard() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.clip
}

func (s *xSession) Resize(w, h int) error { return s.x.Resize(w, h) }

func (s *xSession) Stats() Stats {
	st := s.x.Stats()
	now := time.Now()
	in, out, upds := int64(st.BytesIn), int64(st.BytesOut), int64(st.Requests)
	ir, or, ur := s.meter.rates(now, in, out, upds)
	return Stats{
		Mode: "x11", BytesIn: in, BytesOut: out, InPerSec: ir, OutPerSec: or,
		Updates: upds, UpdatesPerSec: ur, UpdateKind: "requests",
		InputLatency: s.lat.get(), Size: s.x.Size(),
	}
}

func (s *xSession) Done() <-chan struct{} { return s.done }
func (s *xSession) Err() error {
	select {
	case <-s.done:
		return errClosed
	default:
		return nil
	}
}

var errClosed = errors.New("viewer: session closed")

func (s *xSession) Close() error {
	s.once.Do(func() {
		s.x.RemoveDamageListener((*xListener)(s))
		close(s.done)
	})
	return nil
}

// xListener receives the X server's damage, under its lock.
type xListener xSession

func (l *xListener) Changed(r image.Rectangle) {
	l.mu.Lock()
	l.changed = l.changed.Union(r)
	l.mu.Unlock()
	(*xSession)(l).signal()
}

func (l *xListener) Copied(r image.Rectangle, dx, dy int) { l.Changed(r) }

func (l *xListener) Resized(w, h int) {
	l.mu.Lock()
	l.changed = image.Rect(0, 0, w, h)
	l.mu.Unlock()
	(*xSession)(l).signal()
}

func (l *xListener) CursorChanged() {
	l.mu.Lock()
	l.cursor = true
	l.mu.Unlock()
	(*xSession)(l).signal()
}

func (l *xListener) CutText(text []byte) {
	l.mu.Lock()
	l.clip = append([]byte(nil), text...)
	l.mu.Unlock()
	(*xSession)(l).signal()
}

func (l *xListener) Bell() {}
