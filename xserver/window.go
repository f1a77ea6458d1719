package xserver

import (
	"image"

	"netdisplay/protocol"
	"netdisplay/xserver/region"
)

// Window classes.
const (
	classCopyFromParent = 0
	classInputOutput    = 1
	classInputOnly      = 2
)

// How a window's background or border is painted.
type paintKind uint8

const (
	paintNone           paintKind = iota // background None: leave the screen alone
	paintParentRelative                  // the parent's background, at the parent's origin
	paintPixel
	paintPixmap
)

type paint struct {
	kind   paintKind
	pixel  uint32
	pixmap *pixmap
}

// A listener is a client's event selection on a window.
type listener struct {
	c    *client
	mask uint32
}

// A window is a node of the window tree.
type window struct {
	id       uint32
	owner    *client // nil for the root
	parent   *window
	children []*window // stacking order: bottom first

	// Geometry, as the protocol gives it: x and y place the outer corner
	// (the border's) relative to the parent's inside origin.
	x, y          int
	width, height int
	border        int

	class  int
	depth  int
	visual uint32

	mapped   bool // MapWindow was done
	viewable bool // mapped and every ancestor is mapped

	background       paint
	borderPaint      paint
	bitGravity       uint8
	winGravity       uint8
	backingStore     uint8
	backingPlanes    uint32
	backingPixel     uint32
	overrideRedirect bool
	saveUnder        bool
	doNotPropagate   uint32
	colormap         uint32
	cursor           *cursor

	listeners []listener
	props     []*property

	// Derived by the clip computation (clip.go), in screen coordinates.
	abs        image.Point   // the inside origin
	clip       region.Region // visible inside, less InputOutput children
	borderClip region.Region // visible part of the window, border and inferiors included
	visibility int           // last VisibilityNotify state sent, or visNotViewable

	// Scratch state of one clip computation.
	prevClip       region.Region
	prevBorderClip region.Region
	prevAbs        image.Point
	prevSize       image.Point
	prevBorder     int
	wasViewable    bool
	copyMode       copyMode
	moved          image.Point // how far its pixels moved, with copyTree or copySelf
	gravityShift   image.Point // the bit-gravity part of moved, with copySelf
}

const (
	visUnobscured        = 0
	visPartiallyObscured = 1
	visFullyObscured     = 2
	visNotViewable       = 3
)

func newRootWindow(s *Server, sc *screen) *window {
	w := &window{
		id:            rootID,
		width:         sc.width,
		height:        sc.height,
		class:         classInputOutput,
		depth:         24,
		visual:        visualID,
		mapped:        true,
		viewable:      true,
		background:    paint{kind: paintPixel, pixel: 0},
		borderPaint:   paint{kind: paintPixel, pixel: 0},
		backingPlanes: 0xFFFFFFFF,
		colormap:      colormapID,
		winGravity:    protocol.GravityNorthWest,
		visibility:    visUnobscured,
	}
	w.clip.SetRect(image.Rect(0, 0, sc.width, sc.height))
	w.borderClip.SetRect(image.Rect(0, 0, sc.width, sc.height))
	s.paintBackground(w, &w.clip)
	return w
}

// outer is the window's rectangle, border included, in screen coordinates.
func (w *window) outer() image.Rectangle {
	return image.Rect(w.abs.X-w.border, w.abs.Y-w.border, w.abs.X+w.width+w.border, w.abs.Y+w.height+w.border)
}

// inside is the window's rectangle without the border, in screen coordinates.
func (w *window) inside() image.Rectangle {
	return image.Rect(w.abs.X, w.abs.Y, w.abs.X+w.width, w.abs.Y+w.height)
}

// isInferiorOf reports whether w is a proper descendant of a.
func (w *window) isInferiorOf(a *window) bool {
	for p := w.parent; p != nil; p = p.parent {
		if p == a {
			return true
		}
	}
	return false
}

func (w *window) index() int {
	if w.parent == nil {
		return -1
	}
	for i, c := range w.parent.children {
		if c == w {
			return i
		}
	}
	return -1
}

func (w *window) unlink() {
	if i := w.index(); i >= 0 {
		p := w.parent
		p.children = append(p.children[:i], p.children[i+1:]...)
	}
}

// stackAbove puts w just above sibling (nil: at the bottom).
func (w *window) stackAbove(sibling *window) {
	w.unlink()
	p := w.parent
	i := 0
	if sibling != nil {
		i = sibling.index() + 1
	}
	p.children = append(p.children, nil)
	copy(p.children[i+1:], p.children[i:])
	p.children[i] = w
}

func (w *window) stackTop()    { w.unlink(); w.parent.children = append(w.parent.children, w) }
func (w *window) stackBottom() { w.stackAbove(nil) }

// walk calls f for w and each of its descendants, parents first.
func (w *window) walk(f func(*window)) {
	f(w)
	for _, c := range w.children {
		c.walk(f)
	}
}

// walkTop calls f for w and each of its descendants, parents first and
// siblings from the top of the stack down: the order X.Org reports
// exposures and visibility changes in.
func (w *window) walkTop(f func(*window)) {
	f(w)
	for i := len(w.children) - 1; i >= 0; i-- {
		w.children[i].walkTop(f)
	}
}

// allEventMasks is the union of every client's selection on w.
func (w *window) allEventMasks() uint32 {
	var m uint32
	for _, l := range w.listeners {
		m |= l.mask
	}
	return m
}

// selects reports whether any client selects one of mask on w.
func (w *window) selects(mask uint32) bool { return w.allEventMasks()&mask != 0 }

func (w *window) listenerFor(c *client) *listener {
	for i := range w.listeners {
		if w.listeners[i].c == c {
			return &w.listeners[i]
		}
	}
	return nil
}

// setEventMask sets c's selection on w, enforcing that only one client may
// select SubstructureRedirect, ResizeRedirect and ButtonPress.
func (w *window) setEventMask(c *client, mask uint32) error {
	const exclusive = protocol.EventMaskSubstructureRedirect | protocol.EventMaskResizeRedirect | protocol.EventMaskButtonPress
	for _, l := range w.listeners {
		if l.c != c && l.mask&mask&exclusive != 0 {
			return &protocol.Error{Code: protocol.BadAccess}
		}
	}
	if l := w.listenerFor(c); l != nil {
		l.mask = mask
		if mask == 0 {
			w.removeListener(c)
		}
		return nil
	}
	if mask != 0 {
		w.listeners = append(w.listeners, listener{c, mask})
	}
	return nil
}

func (w *window) removeListener(c *client) {
	for i := range w.listeners {
		if w.listeners[i].c == c {
			w.listeners = append(w.listeners[:i], w.listeners[i+1:]...)
			return
		}
	}
}

// computeViewable computes viewability from the map states of w's ancestry.
func (w *window) computeViewable() bool {
	for v := w; v != nil; v = v.parent {
		if !v.mapped {
			return false
		}
	}
	return true
}
