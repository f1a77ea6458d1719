package wm

import (
	"image"

	"netdisplay/protocol"
	"netdisplay/xlib"
)

// A frame is a managed window: the client's window, reparented into a
// window of ours that draws its title bar, its edges and its buttons.
type frame struct {
	win    xlib.Window // ours
	client xlib.Window // the application's
	pos    image.Point // the frame's outer corner, on the root
	size   image.Point // the client window's size
	bw     int         // the client's own border width, given back when it leaves

	name         string // the title: _NET_WM_NAME, or WM_NAME
	netName      string
	wmName       string
	updates      []update // properties being read again
	hints        xlib.SizeHints
	input        bool // set the focus on it (WM_HINTS input, true when absent)
	takeFocus    bool // WM_TAKE_FOCUS is in WM_PROTOCOLS
	deleteWindow bool // WM_DELETE_WINDOW is in WM_PROTOCOLS
	transientFor xlib.Window
	active       bool // it has the focus
	exposed      bool // it has been drawn once: until then its Expose will do
}

// The sizes of the decorations, in pixels.
type metrics struct {
	border int // the X border of the frame window
	edge   int // the frame around the client on the left, right and bottom
	title  int // the title bar's height
	button int // the close button's side
	grip   int // how far the resize corner reaches along each edge
}

// inner is the size of the frame window for a client of size sz.
func (m metrics) inner(sz image.Point) image.Point {
	return image.Pt(sz.X+2*m.edge, sz.Y+m.title+m.edge)
}

// outer is the frame's size on the screen, its X border included.
func (m metrics) outer(sz image.Point) image.Point {
	return m.inner(sz).Add(image.Pt(2*m.border, 2*m.border))
}

// offset is where the client window's origin is from the frame's outer
// corner.
func (m metrics) offset() image.Point {
	return image.Pt(m.border+m.edge, m.border+m.title)
}

// rect is the frame's outer rectangle on the root.
func (f *frame) rect(m metrics) image.Rectangle {
	return image.Rectangle{f.pos, f.pos.Add(m.outer(f.size))}
}

// clientOrigin is where the client window's origin is on the root.
func (f *frame) clientOrigin(m metrics) image.Point { return f.pos.Add(m.offset()) }

// closeBox is the close button, in frame coordinates.
func (f *frame) closeBox(m metrics) image.Rectangle {
	w := m.inner(f.size).X
	pad := (m.title - m.button) / 2
	return image.Rect(w-pad-m.button, pad, w-pad, pad+m.button)
}

// The parts of a frame a click can land on.
type part int

const (
	partEdge part = iota
	partTitle
	partClose
	partGrip
)

// hit says which part of the frame p, in frame coordinates, is in.
func (f *frame) hit(m metrics, p image.Point) part {
	in := m.inner(f.size)
	switch {
	case p.In(f.closeBox(m)):
		return partClose
	case p.Y < m.title:
		return partTitle
	case p.X >= in.X-m.grip && p.Y >= in.Y-m.grip:
		return partGrip
	}
	return partEdge
}

// gravityOffset is where a frame goes relative to its client's own
// position for the window gravity g (ICCCM 4.1.2.3): the point of the
// client's outer rectangle that g names stays where it is, on the frame's
// outer rectangle instead. With StaticGravity the client's inside stays
// put. sz is the client's size and bw its border width.
func gravityOffset(m metrics, g uint8, sz image.Point, bw int) image.Point {
	client := sz.Add(image.Pt(2*bw, 2*bw))
	fr := m.outer(sz)
	var d image.Point
	switch g {
	case protocol.GravityStatic:
		return image.Pt(bw, bw).Sub(m.offset())
	case protocol.GravityNorth, protocol.GravityCenter, protocol.GravitySouth:
		d.X = client.X/2 - fr.X/2
	case protocol.GravityNorthEast, protocol.GravityEast, protocol.GravitySouthEast:
		d.X = client.X - fr.X
	}
	switch g {
	case protocol.GravityWest, protocol.GravityCenter, protocol.GravityEast:
		d.Y = client.Y/2 - fr.Y/2
	case protocol.GravitySouthWest, protocol.GravitySouth, protocol.GravitySouthEast:
		d.Y = client.Y - fr.Y
	}
	return d
}

// gravity is the client's window gravity, from WM_NORMAL_HINTS.
func (f *frame) gravity() uint8 {
	if f.hints.Flags&xlib.PWinGravity != 0 && f.hints.WinGravity >= protocol.GravityNorthWest && f.hints.WinGravity <= protocol.GravityStatic {
		return f.hints.WinGravity
	}
	return protocol.GravityNorthWest
}

// constrain fits a client size to the window's WM_NORMAL_HINTS: at least
// its minimum (or base) size, at most its maximum, a whole number of
// increments beyond the base.
func constrain(h xlib.SizeHints, sz image.Point) image.Point {
	base, minSize := image.Point{}, image.Pt(1, 1)
	if h.Flags&xlib.PBaseSize != 0 {
		base = h.BaseSize
	}
	switch {
	case h.Flags&xlib.PMinSize != 0:
		minSize = h.MinSize
	case h.Flags&xlib.PBaseSize != 0:
		minSize = h.BaseSize
	}
	if h.Flags&xlib.PBaseSize == 0 && h.Flags&xlib.PMinSize != 0 {
		base = h.MinSize // ICCCM: the minimum stands in for a missing base
	}
	fit := func(v, base, lo, hi, inc int, hasMax bool) int {
		if hasMax && hi > 0 {
			v = min(v, hi)
		}
		v = max(v, lo, 1)
		if inc > 1 && v > base {
			v = base + (v-base)/inc*inc
			if v < lo {
				v += inc
			}
		}
		return v
	}
	hasMax := h.Flags&xlib.PMaxSize != 0
	var inc image.Point
	if h.Flags&xlib.PResizeInc != 0 {
		inc = h.ResizeInc
	}
	return image.Pt(
		fit(sz.X, base.X, minSize.X, h.MaxSize.X, inc.X, hasMax),
		fit(sz.Y, base.Y, minSize.Y, h.MaxSize.Y, inc.Y, hasMax))
}
