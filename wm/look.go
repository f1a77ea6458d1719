package wm

import (
	"image"
	"image/color"

	"netdisplay/protocol"
	"netdisplay/xlib"
)

// DefaultFont is the title font when Options names none; "fixed", which
// every X server has, stands in when the server lacks it.
const DefaultFont = "-*-helvetica-bold-r-normal--12-*-*-*-p-*-iso8859-1"

// The colours of the decorations.
var (
	colorBorder   = color.RGBA{0x2e, 0x34, 0x36, 0xff} // the frame's outline
	colorEdge     = color.RGBA{0xba, 0xbd, 0xb6, 0xff} // around the client
	colorGrip     = color.RGBA{0x55, 0x57, 0x53, 0xff} // the resize corner
	colorActive   = color.RGBA{0x34, 0x65, 0xa4, 0xff} // the title bar with the focus
	colorInactive = color.RGBA{0x88, 0x8a, 0x85, 0xff} // and without
	colorText     = color.RGBA{0xff, 0xff, 0xff, 0xff}
	colorClose    = color.RGBA{0xcc, 0x00, 0x00, 0xff}
)

// Glyphs of the cursor font (cursorfont.h).
const (
	cursorLeftPtr     = 68
	cursorFleur       = 52
	cursorBottomRight = 14
)

// A look is what drawing frames needs: their sizes, pixels, graphics
// contexts, font metrics and cursors, all made once.
type look struct {
	metrics
	borderPixel, edgePixel uint32
	gc                     struct{ active, inactive, close, text, mark, grip xlib.GC }
	ascent, descent        int
	font                   *protocol.QueryFontReply
	arrow, move, resize    xlib.Cursor
}

// newLook opens the font and asks for its metrics; the look is made, with
// its graphics contexts and cursors, when the function it returns is
// called, which waits for the metrics: a round trip that can be shared
// with other questions asked meanwhile (two when the font is missing).
func newLook(c *xlib.Conn, fontName string) func() (*look, error) {
	if fontName == "" {
		fontName = DefaultFont
	}
	font, err := c.OpenFont(fontName)
	if err != nil {
		return func() (*look, error) { return nil, err }
	}
	query := c.QueryFont(font)
	return func() (*look, error) { return makeLook(c, fontName, font, query) }
}

func makeLook(c *xlib.Conn, fontName string, font xlib.Font, query xlib.Cookie[*protocol.QueryFontReply]) (*look, error) {
	info, err := query.Reply()
	if err != nil && fontName != "fixed" {
		if font, err = c.OpenFont("fixed"); err != nil {
			return nil, err
		}
		info, err = c.QueryFont(font).Reply()
	}
	if err != nil {
		return nil, err
	}
	l := &look{font: info, ascent: int(info.FontAscent), descent: int(info.FontDescent)}
	l.metrics = metrics{border: 1, edge: 4, grip: 16}
	l.title = max(l.ascent+l.descent+8, 18)
	l.button = l.title - 6

	cm := c.DefaultColormap()
	pixel := func(col color.Color) uint32 {
		p, _ := c.AllocColor(cm, col).Reply() // computed, not asked, on TrueColor
		return p
	}
	l.borderPixel, l.edgePixel = pixel(colorBorder), pixel(colorEdge)
	root := c.Root()
	fill := func(col color.Color, more ...xlib.GCAttr) xlib.GC {
		g, _ := c.CreateGC(root, append([]xlib.GCAttr{xlib.Foreground(pixel(col)), xlib.GraphicsExposures(false)}, more...)...)
		return g
	}
	l.gc.active = fill(colorActive)
	l.gc.inactive = fill(colorInactive)
	l.gc.close = fill(colorClose)
	l.gc.text = fill(colorText, xlib.GCFont(font))
	l.gc.mark = fill(colorText, xlib.LineWidth(2))
	l.gc.grip = fill(colorGrip)
	l.arrow, _ = c.CreateFontCursor(cursorLeftPtr)
	l.move, _ = c.CreateFontCursor(cursorFleur)
	l.resize, _ = c.CreateFontCursor(cursorBottomRight)
	return l, nil
}

// width is how wide s is in the title font.
func (l *look) width(s string) int {
	w := 0
	for _, r := range s {
		w += l.charWidth(r)
	}
	return w
}

func (l *look) charWidth(r rune) int {
	f := l.font
	if r > 0xff {
		r = '?'
	}
	i := int(r) - int(f.MinCharOrByte2)
	if i >= 0 && i < len(f.CharInfos) {
		return int(f.CharInfos[i].CharacterWidth)
	}
	return int(f.MaxBounds.CharacterWidth)
}

// fit shortens s to at most w pixels, ending it with "..." when cut.
func (l *look) fit(s string, w int) string {
	if l.width(s) <= w {
		return s
	}
	rs := []rune(s)
	dots := l.width("...")
	for len(rs) > 0 && l.width(string(rs))+dots > w {
		rs = rs[:len(rs)-1]
	}
	if len(rs) == 0 {
		return ""
	}
	return string(rs) + "..."
}

// draw paints a frame's decorations: the title bar with the name and the
// close button, and the resize corner. The edges are the window's
// background, which the server paints. It is a handful of requests.
func (l *look) draw(c *xlib.Conn, f *frame) {
	in := l.inner(f.size)
	bar := l.gc.inactive
	if f.active {
		bar = l.gc.active
	}
	c.FillRectangles(f.win, bar, image.Rect(0, 0, in.X, l.title))
	box := f.closeBox(l.metrics)
	if text := l.fit(f.name, box.Min.X-12); text != "" {
		base := (l.title-l.ascent-l.descent)/2 + l.ascent
		c.PolyText8(f.win, l.gc.text, image.Pt(6, base), text)
	}
	c.FillRectangles(f.win, l.gc.close, box)
	x := box.Inset(3)
	x.Max = x.Max.Sub(image.Pt(1, 1))
	c.DrawSegments(f.win, l.gc.mark,
		xlib.Segment{P: x.Min, Q: x.Max},
		xlib.Segment{P: image.Pt(x.Min.X, x.Max.Y), Q: image.Pt(x.Max.X, x.Min.Y)})
	c.FillRectangles(f.win, l.gc.grip,
		image.Rect(in.X-l.grip, in.Y-l.edge, in.X, in.Y),
		image.Rect(in.X-l.edge, in.Y-l.grip, in.X, in.Y))
}
