package xserver

import (
	"image"
)

// A DamageListener learns what happens on the screen: the pixel protocol
// and the viewers keep their own copies up to date with it. Its methods
// run with the server lock held, in the middle of drawing, so they must be
// quick and must not call back into the Server.
type DamageListener interface {
	// Changed says the pixels of r may have changed.
	Changed(r image.Rectangle)
	// Copied says the pixels now in r came, unchanged, from r shifted by
	// (-dx, -dy): a CopyArea or a window move.
	Copied(r image.Rectangle, dx, dy int)
	// Resized says the screen is now w x h; every pixel changed.
	Resized(w, h int)
	// CursorChanged says the pointer's shape changed (see CurrentCursor).
	CursorChanged()
	// CutText says an X client put text in the PRIMARY selection.
	CutText(text []byte)
	// Bell says a client rang the bell.
	Bell()
}

// damageFanout is the screen pixmap's fb.Observer while there are
// listeners: it passes every change on to them. With none, the pixmap has
// no Observer, so that drawing does not work out what it changed for
// nobody (package fb skips that when there is no Observer).
type damageFanout struct {
	listeners []DamageListener
}

func (d *damageFanout) Changed(r image.Rectangle) {
	for _, l := range d.listeners {
		l.Changed(r)
	}
}

func (d *damageFanout) Copied(r image.Rectangle, dx, dy int) {
	for _, l := range d.listeners {
		l.Copied(r, dx, dy)
	}
}

func (d *damageFanout) resized(w, h int) {
	for _, l := range d.listeners {
		l.Resized(w, h)
	}
}

func (d *damageFanout) cursorChanged() {
	for _, l := range d.listeners {
		l.CursorChanged()
	}
}

func (d *damageFanout) cutText(text []byte) {
	for _, l := range d.listeners {
		l.CutText(text)
	}
}

func (d *damageFanout) bell() {
	for _, l := range d.listeners {
		l.Bell()
	}
}

// AddDamageListener starts telling l about the screen.
func (s *Server) AddDamageListener(l DamageListener) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.screen.damage.listeners = append(s.screen.damage.listeners, l)
	s.screen.fb.Observer = &s.screen.damage
}

// RemoveDamageListener stops telling l.
func (s *Server) RemoveDamageListener(l DamageListener) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ls := s.screen.damage.listeners
	for i, x := range ls {
		if x == l {
			s.screen.damage.listeners = append(ls[:i:i], ls[i+1:]...)
			if len(s.screen.damage.listeners) == 0 {
				s.screen.fb.Observer = nil
			}
			return
		}
	}
}

// A CursorImage is the pointer's shape as viewers draw it.
type CursorImage struct {
	Width, Height int
	Hot           image.Point
	Pixels        []uint32 // 0x00RRGGBB
	Mask          []bool   // which pixels show
}

// CurrentCursor returns the shape of the pointer now: the cursor of the
// window under the pointer or of its closest ancestor that has one, which
// is at least the root's X_cursor; nil only if the cursor font is missing.
// Call it with the lock held.
func (s *Server) CurrentCursor() *CursorImage {
	k := s.input.cursor
	if k == nil {
		return nil
	}
	fg := uint32(k.fore[0]>>8)<<16 | uint32(k.fore[1]>>8)<<8 | uint32(k.fore[2]>>8)
	bg := uint32(k.back[0]>>8)<<16 | uint32(k.back[1]>>8)<<8 | uint32(k.back[2]>>8)
	img := &CursorImage{Width: k.width, Height: k.height, Hot: k.hot,
		Pixels: make([]uint32, len(k.source)), Mask: append([]bool(nil), k.mask...)}
	for i, src := range k.source {
		if src {
			img.Pixels[i] = fg
		} else {
			img.Pixels[i] = bg
		}
	}
	return img
}
