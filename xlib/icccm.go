package xlib

import (
	"image"
	"unicode/utf8"

	"netdisplay/protocol"
)

// The properties of the ICCCM (the Inter-Client Communication Conventions
// Manual) that clients set and window managers read.

// The flags of WM_NORMAL_HINTS (SizeHints.Flags): which fields are set.
const (
	USPosition  = 1 << 0 // the user chose the position
	USSize      = 1 << 1 // the user chose the size
	PPosition   = 1 << 2 // the program chose the position
	PSize       = 1 << 3 // the program chose the size
	PMinSize    = 1 << 4
	PMaxSize    = 1 << 5
	PResizeInc  = 1 << 6
	PAspect     = 1 << 7
	PBaseSize   = 1 << 8
	PWinGravity = 1 << 9
)

// SizeHints is WM_NORMAL_HINTS, of type WM_SIZE_HINTS: how a window wants
// to be sized and placed.
type SizeHints struct {
	Flags            uint32
	Position         image.Point // obsolete: the window's own geometry is what counts
	Size             image.Point // obsolete, likewise
	MinSize, MaxSize image.Point
	ResizeInc        image.Point
	MinAspect        image.Point // numerator X, denominator Y
	MaxAspect        image.Point
	BaseSize         image.Point
	WinGravity       uint8
}

// ParseSizeHints decodes the 32-bit items of a WM_NORMAL_HINTS property;
// items missing from an old, short property are zero.
func ParseSizeHints(v []uint32) SizeHints {
	at := func(i int) int {
		if i < len(v) {
			return int(int32(v[i]))
		}
		return 0
	}
	pt := func(i int) image.Point { return image.Pt(at(i), at(i+1)) }
	return SizeHints{
		Flags:      uint32(at(0)),
		Position:   pt(1),
		Size:       pt(3),
		MinSize:    pt(5),
		MaxSize:    pt(7),
		ResizeInc:  pt(9),
		MinAspect:  pt(11),
		MaxAspect:  pt(13),
		BaseSize:   pt(15),
		WinGravity: uint8(at(17)),
	}
}

// Values returns the 18 items of the property, for ChangePropertyValues
// with type protocol.AtomWmSizeHints.
func (h SizeHints) Values() []uint32 {
	u := func(n int) uint32 { return uint32(int32(n)) }
	return []uint32{h.Flags,
		u(h.Position.X), u(h.Position.Y), u(h.Size.X), u(h.Size.Y),
		u(h.MinSize.X), u(h.MinSize.Y), u(h.MaxSize.X), u(h.MaxSize.Y),
		u(h.ResizeInc.X), u(h.ResizeInc.Y),
		u(h.MinAspect.X), u(h.MinAspect.Y), u(h.MaxAspect.X), u(h.MaxAspect.Y),
		u(h.BaseSize.X), u(h.BaseSize.Y), uint32(h.WinGravity)}
}

// The flags of WM_HINTS (WMHints.Flags).
const (
	InputHint        = 1 << 0
	StateHint        = 1 << 1
	IconPixmapHint   = 1 << 2
	IconWindowHint   = 1 << 3
	IconPositionHint = 1 << 4
	IconMaskHint     = 1 << 5
	WindowGroupHint  = 1 << 6
	UrgencyHint      = 1 << 8
)

// The states of WM_HINTS' InitialState and of WM_STATE.
const (
	WithdrawnState = 0
	NormalState    = 1
	IconicState    = 3
)

// WMHints is WM_HINTS: whether the window takes keyboard input, how it
// starts, its icon and its group.
type WMHints struct {
	Flags        uint32
	Input        bool // the window wants the focus set on it (see WM_TAKE_FOCUS for the other way)
	InitialState int
	IconPixmap   Pixmap
	IconWindow   Window
	IconPosition image.Point
	IconMask     Pixmap
	WindowGroup  Window
}

// ParseWMHints decodes the 32-bit items of a WM_HINTS property.
func ParseWMHints(v []uint32) WMHints {
	at := func(i int) uint32 {
		if i < len(v) {
			return v[i]
		}
		return 0
	}
	return WMHints{
		Flags:        at(0),
		Input:        at(1) != 0,
		InitialState: int(at(2)),
		IconPixmap:   Pixmap(at(3)),
		IconWindow:   Window(at(4)),
		IconPosition: image.Pt(int(int32(at(5))), int(int32(at(6)))),
		IconMask:     Pixmap(at(7)),
		WindowGroup:  Window(at(8)),
	}
}

// Values returns the 9 items of the property, for ChangePropertyValues
// with type protocol.AtomWmHints.
func (h WMHints) Values() []uint32 {
	return []uint32{h.Flags, uint32(boolValue(h.Input)), uint32(h.InitialState),
		uint32(h.IconPixmap), uint32(h.IconWindow),
		uint32(int32(h.IconPosition.X)), uint32(int32(h.IconPosition.Y)),
		uint32(h.IconMask), uint32(h.WindowGroup)}
}

// PropertyValues returns the items of a property of format 32 (ATOM,
// WINDOW, CARDINAL, WM_SIZE_HINTS, ...), decoded in the connection's byte
// order; a property of another format has none.
func (c *Conn) PropertyValues(r *protocol.GetPropertyReply) []uint32 {
	if r == nil || r.Format != 32 {
		return nil
	}
	v := make([]uint32, len(r.Value)/4)
	for i := range v {
		v[i] = c.order.U32(r.Value[4*i:])
	}
	return v
}

// PropertyText returns a text property (WM_NAME, _NET_WM_NAME, ...) as
// UTF-8: STRING is Latin-1; UTF8_STRING, and COMPOUND_TEXT in its ASCII
// subset, are taken as they are when they are valid UTF-8.
func PropertyText(r *protocol.GetPropertyReply) string {
	if r == nil || r.Format != 8 {
		return ""
	}
	if r.Type != protocol.AtomString && utf8.Valid(r.Value) {
		return string(r.Value)
	}
	rs := make([]rune, len(r.Value))
	for i, b := range r.Value {
		rs[i] = rune(b)
	}
	return string(rs)
}

// ParseClass splits WM_CLASS into its instance and class names.
func ParseClass(b []byte) (instance, class string) {
	i := 0
	for i < len(b) && b[i] != 0 {
		i++
	}
	instance = string(b[:i])
	if i < len(b) {
		rest := b[i+1:]
		j := 0
		for j < len(rest) && rest[j] != 0 {
			j++
		}
		class = string(rest[:j])
	}
	return instance, class
}
