package xserver

import (
	"image"

	"netdisplay/protocol"
	"netdisplay/xserver/fb"
	"netdisplay/xserver/font"
)

// Fonts and text. The fonts themselves (metrics, glyphs, names) come from
// package font; here they become resources, replies and drawing.

// defaultFontID is the server's own font resource: "fixed", which every
// new GC uses until the client sets a font.
const defaultFontID = 0x00000022

// A fontRes is an opened font, a resource.
type fontRes struct {
	id    uint32
	owner *client
	f     *font.Font
}

func (s *Server) openDefaultFont() {
	f, err := font.Open("fixed")
	if err != nil {
		s.logf("xserver: the default font \"fixed\" is missing: %v", err)
		return
	}
	s.resources[defaultFontID] = &fontRes{id: defaultFontID, f: f}
}

func (c *client) font(id uint32) (*fontRes, error) {
	if f, ok := c.s.resources[id].(*fontRes); ok {
		return f, nil
	}
	return nil, badFont(id)
}

func (c *client) checkFont(id uint32) error {
	_, err := c.font(id)
	return err
}

// fontable resolves a FONTABLE: a font, or the font of a GC.
func (c *client) fontable(id uint32) (*fontRes, error) {
	if g, ok := c.s.resources[id].(*gcontext); ok {
		return c.font(g.font)
	}
	return c.font(id)
}

func (c *client) openFont(b []byte) error {
	var r protocol.OpenFont
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	id := uint32(r.Fid)
	if err := c.newID(id); err != nil {
		return err
	}
	f, err := font.Open(string(r.Name))
	if err != nil {
		return errName
	}
	c.addResource(id, &fontRes{id: id, owner: c, f: f})
	return nil
}

func (c *client) closeFont(b []byte) error {
	var r protocol.CloseFont
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	f, err := c.font(uint32(r.Font))
	if err != nil {
		return err
	}
	if f.id != defaultFontID {
		c.s.forget(f.id)
	}
	return nil
}

func charinfo(ci font.CharInfo) protocol.Charinfo {
	return protocol.Charinfo{
		LeftSideBearing:  ci.LeftBearing,
		RightSideBearing: ci.RightBearing,
		CharacterWidth:   ci.Width,
		Ascent:           ci.Ascent,
		Descent:          ci.Descent,
		Attributes:       ci.Attributes,
	}
}

// fontProps turns a font's properties into wire form, interning names.
func (s *Server) fontProps(f *font.Font) []protocol.Fontprop {
	props := make([]protocol.Fontprop, 0, len(f.Props))
	for _, p := range f.Props {
		name, _ := s.atoms.intern(p.Name, false)
		v := p.Value
		if p.IsAtom {
			v, _ = s.atoms.intern(p.Atom, false)
		}
		props = append(props, protocol.Fontprop{Name: protocol.Atom(name), Value: v})
	}
	return props
}

func (c *client) queryFont(b []byte) error {
	var r protocol.QueryFont
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	fr, err := c.fontable(uint32(r.Font))
	if err != nil {
		return err
	}
	f := fr.f
	infos := f.CharInfos()
	wire := make([]protocol.Charinfo, len(infos))
	for i, ci := range infos {
		wire[i] = charinfo(ci)
	}
	c.reply(&protocol.QueryFontReply{
		Sequence:       c.seq,
		MinBounds:      charinfo(f.MinBounds),
		MaxBounds:      charinfo(f.MaxBounds),
		MinCharOrByte2: f.MinCharOrByte2,
		MaxCharOrByte2: f.MaxCharOrByte2,
		DefaultChar:    f.DefaultChar,
		DrawDirection:  f.DrawDirection,
		MinByte1:       f.MinByte1,
		MaxByte1:       f.MaxByte1,
		AllCharsExist:  f.AllCharsExist,
		FontAscent:     f.Ascent,
		FontDescent:    f.Descent,
		Properties:     c.s.fontProps(f),
		CharInfos:      wire,
	})
	return nil
}

func (c *client) queryTextExtents(b []byte) error {
	var r protocol.QueryTextExtents
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	fr, err := c.fontable(uint32(r.Font))
	if err != nil {
		return err
	}
	chars := r.String
	if r.OddLength && len(chars) > 0 {
		chars = chars[:len(chars)-1]
	}
	e := fr.f.TextExtents(text16(chars))
	c.reply(&protocol.QueryTextExtentsReply{
		Sequence:       c.seq,
		DrawDirection:  e.DrawDirection,
		FontAscent:     e.FontAscent,
		FontDescent:    e.FontDescent,
		OverallAscent:  e.OverallAscent,
		OverallDescent: e.OverallDescent,
		OverallWidth:   e.OverallWidth,
		OverallLeft:    e.OverallLeft,
		OverallRight:   e.OverallRight,
	})
	return nil
}

func (c *client) listFonts(b []byte) error {
	var r protocol.ListFonts
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	names := font.List(string(r.Pattern), int(r.MaxNames))
	strs := make([]protocol.Str, len(names))
	for i, n := range names {
		strs[i] = protocol.Str{Name: []byte(n)}
	}
	c.reply(&protocol.ListFontsReply{Sequence: c.seq, Names: strs})
	return nil
}

func (c *client) listFontsWithInfo(b []byte) error {
	var r protocol.ListFontsWithInfo
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	listed := font.ListInfo(string(r.Pattern), int(r.MaxNames))
	for i, l := range listed {
		f := l.Font
		c.reply(&protocol.ListFontsWithInfoReply{
			Sequence:       c.seq,
			MinBounds:      charinfo(f.MinBounds),
			MaxBounds:      charinfo(f.MaxBounds),
			MinCharOrByte2: f.MinCharOrByte2,
			MaxCharOrByte2: f.MaxCharOrByte2,
			DefaultChar:    f.DefaultChar,
			DrawDirection:  f.DrawDirection,
			MinByte1:       f.MinByte1,
			MaxByte1:       f.MaxByte1,
			AllCharsExist:  f.AllCharsExist,
			FontAscent:     f.Ascent,
			FontDescent:    f.Descent,
			RepliesHint:    uint32(len(listed) - 1 - i),
			Properties:     c.s.fontProps(f),
			Name:           []byte(l.Name),
		})
	}
	// The last reply has a zero-length name: the end of the series.
	c.reply(&protocol.ListFontsWithInfoReply{Sequence: c.seq})
	return nil
}

// fontPath is what GetFontPath reports: the built-in fonts have no
// directory, so the path names them as X.Org names its built-ins.
var fontPath = []string{"built-ins"}

func (c *client) getFontPath(b []byte) error {
	strs := make([]protocol.Str, len(fontPath))
	for i, p := range fontPath {
		strs[i] = protocol.Str{Name: []byte(p)}
	}
	c.reply(&protocol.GetFontPathReply{Sequence: c.seq, Path: strs})
	return nil
}

func (c *client) setFontPath(b []byte) error {
	var r protocol.SetFontPath
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	// The fonts are built in; any path but ours, or the empty one that
	// restores the default, is an error, as X.Org gives for bad elements.
	for _, p := range r.Font {
		if string(p.Name) != "built-ins" {
			return badValue(0)
		}
	}
	return nil
}

// textTarget resolves the drawable, GC and font of a text request.
func (c *client) textTarget(did, gid uint32) (fb.Canvas, *fb.GC, *gcontext, *font.Font, bool, error) {
	d, err := c.drawable(did)
	if err != nil {
		return fb.Canvas{}, nil, nil, nil, false, err
	}
	g, err := c.gc(gid)
	if err != nil {
		return fb.Canvas{}, nil, nil, nil, false, err
	}
	if g.depth != d.drawableDepth() {
		return fb.Canvas{}, nil, nil, nil, false, errMatch
	}
	fr, err := c.font(g.font)
	if err != nil {
		return fb.Canvas{}, nil, nil, nil, false, err
	}
	cv, gc, ok := c.s.target(d, g)
	return cv, gc, g, fr.f, ok, nil
}

// polyText runs the items of PolyText8 or PolyText16 (wide): text
// elements, each a length, a delta and the characters, and font changes
// (length 255, then a font id most significant byte first). A font change
// sticks to the GC, as the protocol says.
func (c *client) polyText(did, gid uint32, x, y int, items []byte, wide bool) error {
	cv, gc, g, f, ok, err := c.textTarget(did, gid)
	if err != nil {
		return err
	}
	glyphs := c.req.glyphs[:0]
	defer func() { c.req.glyphs = glyphs[:0] }()
	for len(items) >= 2 {
		n := int(items[0])
		if n == 255 {
			if len(items) < 5 {
				break
			}
			id := uint32(items[1])<<24 | uint32(items[2])<<16 | uint32(items[3])<<8 | uint32(items[4])
			fr, err := c.font(id)
			if err != nil {
				return err
			}
			g.font, f = id, fr.f
			g.serial++
			items = items[5:]
			continue
		}
		delta := int(int8(items[1]))
		size := n
		if wide {
			size = 2 * n
		}
		if len(items) < 2+size {
			return errLength
		}
		chars := items[2 : 2+size]
		items = items[2+size:]
		x += delta
		glyphs = glyphs[:0]
		if wide {
			text := make([]uint16, n)
			for i := range text {
				text[i] = uint16(chars[2*i])<<8 | uint16(chars[2*i+1])
			}
			glyphs = f.Glyphs16(glyphs, text)
		} else {
			glyphs = f.Glyphs8(glyphs, chars)
		}
		if ok {
			x = fb.PolyText(cv, gc, x, y, glyphs)
		} else {
			for _, gl := range glyphs {
				x += gl.Advance
			}
		}
	}
	return nil
}

func (c *client) polyText8(b []byte) error { return c.polyTextRequest(b, false) }

func (c *client) polyText16(b []byte) error { return c.polyTextRequest(b, true) }

// polyTextRequest decodes PolyText8 or PolyText16 as their Unmarshal
// would, but leaves the items where they are rather than copy them.
func (c *client) polyTextRequest(b []byte, wide bool) error {
	if len(b) < 16 {
		return errLength
	}
	o := c.order
	return c.polyText(o.U32(b[4:]), o.U32(b[8:]), int(int16(o.U16(b[12:]))), int(int16(o.U16(b[14:]))), b[16:], wide)
}

func (c *client) imageText8(b []byte) error {
	var r protocol.ImageText8
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	return c.imageText(uint32(r.Drawable), uint32(r.Gc), r.X, r.Y, func(f *font.Font, dst []*fb.Glyph) []*fb.Glyph {
		return f.Glyphs8(dst, r.String)
	})
}

func (c *client) imageText16(b []byte) error {
	var r protocol.ImageText16
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	return c.imageText(uint32(r.Drawable), uint32(r.Gc), r.X, r.Y, func(f *font.Font, dst []*fb.Glyph) []*fb.Glyph {
		return f.Glyphs16(dst, text16(r.String))
	})
}

// imageText runs ImageText8 or ImageText16, which differ only in how
// their string becomes glyphs: glyphs appends those of the GC's font f
// to dst.
func (c *client) imageText(did, gid uint32, x, y int16, glyphs func(f *font.Font, dst []*fb.Glyph) []*fb.Glyph) error {
	cv, gc, _, f, ok, err := c.textTarget(did, gid)
	if err != nil || !ok {
		return err
	}
	gs := glyphs(f, c.req.glyphs[:0])
	fb.ImageText(cv, gc, int(x), int(y), int(f.Ascent), int(f.Descent), gs)
	c.req.glyphs = gs[:0]
	return nil
}

// text16 is 16-bit text as package font takes it: each CHAR2B
// byte1<<8 | byte2.
func text16(chars []protocol.Char2b) []uint16 {
	text := make([]uint16, len(chars))
	for i, ch := range chars {
		text[i] = uint16(ch.Byte1)<<8 | uint16(ch.Byte2)
	}
	return text
}

// --- cursors ---------------------------------------------------------

// A cursor is a pointer image: two colours, a source (which of them) and
// a mask (which pixels show), and the hot spot.
type cursor struct {
	id            uint32
	width, height int
	hot           image.Point
	source, mask  []bool
	fore, back    [3]uint16
}

func (c *client) createCursor(b []byte) error {
	var r protocol.CreateCursor
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	id := uint32(r.Cid)
	if err := c.newID(id); err != nil {
		return err
	}
	src, err := c.pixmapOfDepth(uint32(r.Source), 1)
	if err != nil {
		return err
	}
	w, h := src.pix.Width, src.pix.Height
	k := &cursor{id: id, width: w, height: h, hot: image.Pt(int(r.X), int(r.Y)),
		fore: [3]uint16{r.ForeRed, r.ForeGreen, r.ForeBlue}, back: [3]uint16{r.BackRed, r.BackGreen, r.BackBlue}}
	if int(r.X) >= w || int(r.Y) >= h {
		return errMatch
	}
	k.source = make([]bool, w*h)
	k.mask = make([]bool, w*h)
	var mask *pixmap
	if r.Mask != 0 {
		if mask, err = c.pixmapOfDepth(uint32(r.Mask), 1); err != nil {
			return err
		}
		if mask.pix.Width != w || mask.pix.Height != h {
			return errMatch
		}
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := y*w + x
			k.source[i] = src.pix.Pix[y*src.pix.Stride+x]&1 != 0
			k.mask[i] = mask == nil || mask.pix.Pix[y*mask.pix.Stride+x]&1 != 0
		}
	}
	c.addResource(id, k)
	return nil
}

func (c *client) createGlyphCursor(b []byte) error {
	var r protocol.CreateGlyphCursor
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	id := uint32(r.Cid)
	if err := c.newID(id); err != nil {
		return err
	}
	sf, err := c.font(uint32(r.SourceFont))
	if err != nil {
		return err
	}
	sg := sf.f.Glyph(r.SourceChar)
	if sg == nil {
		return badValue(uint32(r.SourceChar))
	}
	mg := sg
	if r.MaskFont != 0 {
		mf, err := c.font(uint32(r.MaskFont))
		if err != nil {
			return err
		}
		if mg = mf.f.Glyph(r.MaskChar); mg == nil {
			return badValue(uint32(r.MaskChar))
		}
	}
	k := glyphCursor(sg, mg, [3]uint16{r.ForeRed, r.ForeGreen, r.ForeBlue}, [3]uint16{r.BackRed, r.BackGreen, r.BackBlue})
	k.id = id
	c.addResource(id, k)
	return nil
}

// glyphCursor makes a cursor of a source and a mask glyph. It covers both
// glyphs' boxes; the hot spot is the glyphs' origin.
func glyphCursor(sg, mg *fb.Glyph, fore, back [3]uint16) *cursor {
	sb := image.Rect(sg.Left, -sg.Ascent, sg.Left+sg.Width, sg.Height-sg.Ascent)
	mb := image.Rect(mg.Left, -mg.Ascent, mg.Left+mg.Width, mg.Height-mg.Ascent)
	box := sb.Union(mb)
	if box.Empty() {
		box = image.Rect(0, 0, 1, 1)
	}
	w, h := box.Dx(), box.Dy()
	k := &cursor{width: w, height: h, hot: image.Pt(-box.Min.X, -box.Min.Y), fore: fore, back: back}
	k.source = make([]bool, w*h)
	k.mask = make([]bool, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			px, py := x+box.Min.X, y+box.Min.Y
			k.source[y*w+x] = sg.At(px-sg.Left, py+sg.Ascent)
			k.mask[y*w+x] = mg.At(px-mg.Left, py+mg.Ascent)
		}
	}
	return k
}

// rootCursor is the root window's cursor, X.Org's: X_cursor from the
// cursor font (glyph 0, its mask glyph 1), black on white.
func rootCursor() *cursor {
	f, err := font.Open("cursor")
	if err != nil {
		return nil
	}
	sg, mg := f.Glyph(0), f.Glyph(1)
	if sg == nil || mg == nil {
		return nil
	}
	return glyphCursor(sg, mg, [3]uint16{0, 0, 0}, [3]uint16{0xFFFF, 0xFFFF, 0xFFFF})
}

func (c *client) freeCursor(b []byte) error {
	var r protocol.FreeCursor
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if _, err := c.cursor(uint32(r.Cursor)); err != nil {
		return err
	}
	c.s.forget(uint32(r.Cursor))
	return nil
}

func (c *client) recolorCursor(b []byte) error {
	var r protocol.RecolorCursor
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	k, err := c.cursor(uint32(r.Cursor))
	if err != nil {
		return err
	}
	k.fore = [3]uint16{r.ForeRed, r.ForeGreen, r.ForeBlue}
	k.back = [3]uint16{r.BackRed, r.BackGreen, r.BackBlue}
	if c.s.input.cursor == k {
		c.s.input.cursorSerial++
		c.s.screen.damage.cursorChanged()
	}
	return nil
}

func (c *client) queryBestSize(b []byte) error {
	var r protocol.QueryBestSize
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if _, err := c.anyDrawable(uint32(r.Drawable)); err != nil {
		return err
	}
	w, h := r.Width, r.Height
	switch r.Class {
	case 0: // Cursor: the largest we show
		w, h = min(w, 64), min(h, 64)
		if w == 0 {
			w = 64
		}
		if h == 0 {
			h = 64
		}
	case 1, 2: // Tile, Stipple: any size is as fast as any other
	default:
		return badValue(uint32(r.Class))
	}
	c.reply(&protocol.QueryBestSizeReply{Sequence: c.seq, Width: w, Height: h})
	return nil
}
