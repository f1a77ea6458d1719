package xlib

import (
	"image"

	"netdisplay/protocol"
)

// The requests window managers make: the window tree, reparenting, the
// save set, stacking, focus, and ending a client.

// QueryTree asks for the root, the parent and the children of w, the
// children in stacking order, bottom first.
func (c *Conn) QueryTree(w Window) Cookie[*protocol.QueryTreeReply] {
	return Call[protocol.QueryTreeReply](c, &protocol.QueryTree{Window: protocol.Window(w)})
}

// TranslateCoordinates asks where p in src is in dst, and which child of
// dst, if any, contains it.
func (c *Conn) TranslateCoordinates(src, dst Window, p image.Point) Cookie[*protocol.TranslateCoordinatesReply] {
	return Call[protocol.TranslateCoordinatesReply](c, &protocol.TranslateCoordinates{
		SrcWindow: protocol.Window(src),
		DstWindow: protocol.Window(dst),
		SrcX:      int16(p.X),
		SrcY:      int16(p.Y),
	})
}

// ReparentWindow makes w a child of parent, with its outer corner at p
// in the parent. A mapped window is unmapped first and mapped again
// after.
func (c *Conn) ReparentWindow(w, parent Window, p image.Point) error {
	return c.Send(&protocol.ReparentWindow{Window: protocol.Window(w), Parent: protocol.Window(parent), X: int16(p.X), Y: int16(p.Y)})
}

// AddToSaveSet puts w, another client's window, in this connection's
// save set: when the connection ends, w goes back to the nearest
// ancestor not of this client's making, and is mapped.
func (c *Conn) AddToSaveSet(w Window) error {
	return c.Send(&protocol.ChangeSaveSet{Mode: protocol.SetModeInsert, Window: protocol.Window(w)})
}

// RemoveFromSaveSet takes w out of the save set.
func (c *Conn) RemoveFromSaveSet(w Window) error {
	return c.Send(&protocol.ChangeSaveSet{Mode: protocol.SetModeDelete, Window: protocol.Window(w)})
}

// WindowChanges are the values ConfigureWindow can change; a mask of
// protocol.ConfigWindow* bits says which are meant.
type WindowChanges struct {
	X, Y, Width, Height int
	BorderWidth         int
	Sibling             Window
	StackMode           uint8 // protocol.StackModeAbove, ...
}

// ConfigureWindow changes the values of ch that mask names, as Xlib's
// XConfigureWindow does.
func (c *Conn) ConfigureWindow(w Window, mask uint16, ch WindowChanges) error {
	var v protocol.ValueSet
	m := uint32(mask)
	set := func(bit uint32, x uint32) {
		if m&bit != 0 {
			v.Set(bit, x)
		}
	}
	set(protocol.ConfigWindowX, uint32(int32(ch.X)))
	set(protocol.ConfigWindowY, uint32(int32(ch.Y)))
	set(protocol.ConfigWindowWidth, uint32(max(ch.Width, 1)))
	set(protocol.ConfigWindowHeight, uint32(max(ch.Height, 1)))
	set(protocol.ConfigWindowBorderWidth, uint32(max(ch.BorderWidth, 0)))
	set(protocol.ConfigWindowSibling, uint32(ch.Sibling))
	set(protocol.ConfigWindowStackMode, uint32(ch.StackMode))
	return c.Send(&protocol.ConfigureWindow{Window: protocol.Window(w), ValueMask: uint16(v.Mask), ValueList: v.List})
}

// RaiseWindow puts w on top of its siblings.
func (c *Conn) RaiseWindow(w Window) error {
	return c.ConfigureWindow(w, protocol.ConfigWindowStackMode, WindowChanges{StackMode: protocol.StackModeAbove})
}

// SetInputFocus gives the keyboard focus to w (or protocol.InputFocusNone,
// InputFocusPointerRoot as windows 0 and 1), and says where it goes when
// w becomes unviewable.
func (c *Conn) SetInputFocus(w Window, revertTo uint8, t Timestamp) error {
	return c.Send(&protocol.SetInputFocus{RevertTo: revertTo, Focus: protocol.Window(w), Time: t})
}

// KillClient closes the connection of the client that created the
// resource id.
func (c *Conn) KillClient(id uint32) error {
	return c.Send(&protocol.KillClient{Resource: id})
}

// CreateFontCursor makes a cursor from the standard cursor font, as
// Xlib's XCreateFontCursor does: shape is an even glyph index of
// cursorfont.h (68 left_ptr, 52 fleur, 14 bottom_right_corner), drawn
// black on white with the next glyph as its mask.
func (c *Conn) CreateFontCursor(shape int) (Cursor, error) {
	f, err := c.OpenFont("cursor")
	if err != nil {
		return 0, err
	}
	defer c.CloseFont(f)
	id, err := c.NewID()
	if err != nil {
		return 0, err
	}
	err = c.Send(&protocol.CreateGlyphCursor{
		Cid:        protocol.Cursor(id),
		SourceFont: protocol.Font(f),
		MaskFont:   protocol.Font(f),
		SourceChar: uint16(shape),
		MaskChar:   uint16(shape + 1),
		BackRed:    0xffff, BackGreen: 0xffff, BackBlue: 0xffff,
	})
	return Cursor(id), err
}
