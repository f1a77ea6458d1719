// Package xsource presents an X server's screen as a pixelproto.Source,
// so that the RFB server, and the viewers in X mode, can watch it: its
// pixels and their changes, the pointer's shape, the clipboard and the
// bell go out; keys, the pointer and cut text come back as X input.
package xsource

import (
	"errors"
	"image"
	"sync"

	"netdisplay/pixelproto"
	"netdisplay/xserver"
)

// A Source is one X server's screen.
type Source struct {
	x    *xserver.Server
	name string

	// feeds is guarded by the X server's lock: the damage callbacks that
	// read it run under that lock.
	feeds map[*feed]bool

	input   sync.Mutex
	buttons uint8 // the pointer buttons viewers last said were down
}

// New returns the Source of x's screen, named name in ServerInit.
func New(x *xserver.Server, name string) *Source {
	s := &Source{x: x, name: name, feeds: make(map[*feed]bool)}
	x.AddDamageListener((*listener)(s))
	return s
}

// Close stops watching the X server.
func (s *Source) Close() { s.x.RemoveDamageListener((*listener)(s)) }

func (s *Source) Name() string { return s.name }

type feed struct {
	s       *Source
	ready   chan struct{}
	t       pixelproto.Tracker
	size    image.Point // at the last Take; zero before the first
	cursor  bool        // the cursor changed since the last Take
	cut     []byte
	bell    int
	resized bool
}

func (f *feed) signal() {
	select {
	case f.ready <- struct{}{}:
	default:
	}
}

// Subscribe starts a feed whose first Take is the whole screen.
func (s *Source) Subscribe() pixelproto.Feed {
	f := &feed{s: s, ready: make(chan struct{}, 1), cursor: true}
	s.x.Lock()
	defer s.x.Unlock()
	fb := s.x.Framebuffer()
	f.t.Reset(image.Pt(fb.Width, fb.Height))
	s.feeds[f] = true
	f.signal()
	return f
}

func (f *feed) Ready() <-chan struct{} { return f.ready }

func (f *feed) Close() {
	f.s.x.Lock()
	delete(f.s.feeds, f)
	f.s.x.Unlock()
}

// Take captures the changes and their pixels under the X server's lock, so
// that no drawing falls between the damage and the pixels.
func (f *feed) Take(u *pixelproto.Update, opt pixelproto.TakeOptions) {
	x := f.s.x
	x.Lock()
	defer x.Unlock()
	fb := x.Framebuffer()
	size := image.Pt(fb.Width, fb.Height)
	u.Resized = f.size != size || f.resized
	f.size, f.resized = size, false
	u.Size = size
	f.t.Capture(u, opt, fb.Pix, fb.Stride)
	if u.More {
		f.signal()
	}
	u.Cursor = nil
	if f.cursor {
		f.cursor = false
		if c := x.CurrentCursor(); c != nil {
			u.Cursor = &pixelproto.Cursor{Width: c.Width, Height: c.Height, Hot: c.Hot, Pixels: c.Pixels, Mask: c.Mask}
		}
	}
	u.CutText, f.cut = f.cut, nil
	u.Bell, f.bell = f.bell, 0
}

// Key, Pointer and CutText are called from viewers' goroutines.

func (s *Source) Key(keysym uint32, down bool) { s.x.KeySym(keysym, down) }

func (s *Source) Pointer(x, y int, buttons uint8) {
	s.input.Lock()
	defer s.input.Unlock()
	s.x.MovePointer(x, y)
	changed := buttons ^ s.buttons
	for b := 0; b < 8; b++ {
		if changed&(1<<b) != 0 {
			s.x.Button(b+1, buttons&(1<<b) != 0)
		}
	}
	s.buttons = buttons
}

func (s *Source) CutText(text []byte) { s.x.SetCutText(text) }

func (s *Source) Resize(w, h int) error {
	if err := s.x.Resize(w, h); err != nil {
		return errors.New("the X server cannot take that size")
	}
	return nil
}

// listener receives the X server's damage, under its lock, and passes it
// to every feed.
type listener Source

func (l *listener) Changed(r image.Rectangle) {
	for f := range l.feeds {
		f.t.Changed(r)
		f.signal()
	}
}

func (l *listener) Copied(r image.Rectangle, dx, dy int) {
	for f := range l.feeds {
		f.t.Copied(r, dx, dy)
		f.signal()
	}
}

func (l *listener) Resized(w, h int) {
	for f := range l.feeds {
		f.t.Reset(image.Pt(w, h))
		f.resized = true
		f.signal()
	}
}

func (l *listener) CursorChanged() {
	for f := range l.feeds {
		f.cursor = true
		f.signal()
	}
}

func (l *listener) CutText(text []byte) {
	for f := range l.feeds {
		f.cut = append(f.cut[:0:0], text...)
		f.signal()
	}
}

func (l *listener) Bell() {
	for f := range l.feeds {
		f.bell++
		f.signal()
	}
}
