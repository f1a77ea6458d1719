package xlib

import (
	"fmt"
	"image"
	"unicode/utf8"

	"netdisplay/protocol"
)

// OpenFont opens the font with the given name (an XLFD such as
// "-misc-fixed-medium-r-normal--13-120-75-75-c-70-iso8859-1", or an alias
// such as "fixed"). A missing font is a BadName error on the event queue;
// use QueryFont's reply to learn of it at once.
func (c *Conn) OpenFont(name string) (Font, error) {
	id, err := c.NewID()
	if err != nil {
		return 0, err
	}
	if err := c.Send(&protocol.OpenFont{Fid: protocol.Font(id), Name: []byte(name)}); err != nil {
		return 0, err
	}
	return Font(id), nil
}

// CloseFont closes f.
func (c *Conn) CloseFont(f Font) error {
	return c.Send(&protocol.CloseFont{Font: protocol.Font(f)})
}

// QueryFont asks for the metrics of f: its bounds, ascent, descent and
// the metrics of each character.
func (c *Conn) QueryFont(f Font) Cookie[*protocol.QueryFontReply] {
	return Call[protocol.QueryFontReply](c, &protocol.QueryFont{Font: protocol.Fontable(f)})
}

// ListFonts asks for the names of at most max fonts matching pattern.
func (c *Conn) ListFonts(pattern string, max int) Cookie[[]string] {
	return callDecode(c, &protocol.ListFonts{MaxNames: uint16(max), Pattern: []byte(pattern)}, func(c *Conn, replies [][]byte) ([]string, error) {
		var r protocol.ListFontsReply
		if err := r.Unmarshal(c.order, replies[0]); err != nil {
			return nil, err
		}
		names := make([]string, len(r.Names))
		for i, n := range r.Names {
			names[i] = string(n.Name)
		}
		return names, nil
	})
}

// ListFontsWithInfo asks for at most max fonts matching pattern with the
// metrics of each. The server answers with one reply per font and a last
// one that ends the list; the cookie collects them all.
func (c *Conn) ListFontsWithInfo(pattern string, max int) Cookie[[]*protocol.ListFontsWithInfoReply] {
	// The last reply has a name of length 0, in byte 1.
	last := func(b []byte) bool { return b[1] == 0 }
	return callMulti(c, &protocol.ListFontsWithInfo{MaxNames: uint16(max), Pattern: []byte(pattern)}, last, func(c *Conn, replies [][]byte) ([]*protocol.ListFontsWithInfoReply, error) {
		var out []*protocol.ListFontsWithInfoReply
		for _, b := range replies[:len(replies)-1] {
			r := new(protocol.ListFontsWithInfoReply)
			if err := r.Unmarshal(c.order, b); err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		return out, nil
	})
}

// latin1 converts s to ISO 8859-1, the encoding of the core fonts' 8-bit
// text; runes outside it become '?'.
func latin1(s string) []byte {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xff {
			r = '?'
		}
		b = append(b, byte(r))
	}
	return b
}

// char2b converts s to the 16-bit characters of a font with two-byte
// encoding (such as an iso10646-1 font); runes beyond 16 bits become '?'.
func char2b(s string) []protocol.Char2b {
	out := make([]protocol.Char2b, 0, utf8.RuneCountInString(s))
	for _, r := range s {
		if r > 0xffff {
			r = '?'
		}
		out = append(out, protocol.Char2b{Byte1: uint8(r >> 8), Byte2: uint8(r)})
	}
	return out
}

// ImageText8 draws text with its background (ImageText8): the glyphs in
// the GC's foreground on a box of its background. The baseline starts at
// p. Text is converted to Latin-1 and may be 255 characters long.
func (c *Conn) ImageText8(d Drawable, gc GC, p image.Point, text string) error {
	s := latin1(text)
	if len(s) > 255 {
		return fmt.Errorf("xlib: ImageText8 of %d characters; the protocol allows 255", len(s))
	}
	return c.Send(&protocol.ImageText8{Drawable: d.Drawable(), Gc: protocol.Gcontext(gc), X: int16(p.X), Y: int16(p.Y), String: s})
}

// ImageText16 is ImageText8 for fonts with two-byte encodings.
func (c *Conn) ImageText16(d Drawable, gc GC, p image.Point, text string) error {
	s := char2b(text)
	if len(s) > 255 {
		return fmt.Errorf("xlib: ImageText16 of %d characters; the protocol allows 255", len(s))
	}
	return c.Send(&protocol.ImageText16{Drawable: d.Drawable(), Gc: protocol.Gcontext(gc), X: int16(p.X), Y: int16(p.Y), String: s})
}

// maxTextItem is the most characters one text item of PolyText holds.
const maxTextItem = 254

// PolyText8 draws text in the GC's foreground only (PolyText8), with the
// baseline starting at p. Text is converted to Latin-1; any length is
// split into items of 254 characters.
func (c *Conn) PolyText8(d Drawable, gc GC, p image.Point, text string) error {
	s := latin1(text)
	var items []byte
	for len(s) > 0 {
		n := min(len(s), maxTextItem)
		items = append(items, byte(n), 0) // length, delta
		items = append(items, s[:n]...)
		s = s[n:]
	}
	return c.Send(&protocol.PolyText8{Drawable: d.Drawable(), Gc: protocol.Gcontext(gc), X: int16(p.X), Y: int16(p.Y), Items: items})
}

// PolyText16 is PolyText8 for fonts with two-byte encodings.
func (c *Conn) PolyText16(d Drawable, gc GC, p image.Point, text string) error {
	s := char2b(text)
	var items []byte
	for len(s) > 0 {
		n := min(len(s), maxTextItem)
		items = append(items, byte(n), 0)
		for _, ch := range s[:n] {
			items = append(items, ch.Byte1, ch.Byte2) // most significant byte first, in any byte order
		}
		s = s[n:]
	}
	return c.Send(&protocol.PolyText16{Drawable: d.Drawable(), Gc: protocol.Gcontext(gc), X: int16(p.X), Y: int16(p.Y), Items: items})
}
