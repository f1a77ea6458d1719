package fb

import (
	"image"
	"math/bits"

	"netdisplay/xserver/region"
)

// A Glyph is one character's image as text drawing uses it: a bitmap, where
// it lies relative to the character's origin, and how far the origin
// advances. For an origin at (x, y) the bitmap's top-left pixel is at
// (x+Left, y-Ascent).
type Glyph struct {
	Width, Height int // of the bitmap
	Left          int // left side bearing: bitmap column 0 relative to the origin
	Ascent        int // rows of the bitmap above the baseline
	Advance       int // from this character's origin to the next one's
	// Bits holds the bitmap: Height rows of Stride words, pixel (i, j) is
	// bit i%32 of Bits[j*Stride+i/32], least significant bit leftmost.
	// Bits past Width in a row are ignored.
	Stride int
	Bits   []uint32
}

// At reports whether the glyph's pixel at column i, row j of its bitmap is
// set.
func (g *Glyph) At(i, j int) bool {
	if i < 0 || j < 0 || i >= g.Width || j >= g.Height || !g.ok() {
		return false
	}
	return g.Bits[j*g.Stride+i/32]>>(i%32)&1 != 0
}

// ok reports whether the glyph's fields are consistent, so that drawing can
// index Bits without checking each access. A malformed glyph is not drawn.
func (g *Glyph) ok() bool {
	return g != nil && g.Width >= 0 && g.Height >= 0 && g.Width <= 1<<16 && g.Height <= 1<<16 &&
		g.Stride >= (g.Width+31)/32 && len(g.Bits) >= g.Height*g.Stride
}

// box returns the glyph's bitmap rectangle for an origin at (x, y).
func (g *Glyph) box(x, y int) image.Rectangle {
	x0, y0 := x+g.Left, y-g.Ascent
	return image.Rect(x0, y0, x0+g.Width, y0+g.Height)
}

// PolyText draws glyphs as the PolyText requests do, the first with its
// origin at (x, y) in drawable coordinates and each next one its
// predecessor's Advance further on. Each glyph's set pixels are a mask for
// a fill with the GC's fill style, function and plane mask, clipped to
// c.Clip. It returns the x of the origin after the last glyph, where the
// next text item of a PolyText request starts (before its delta).
func PolyText(c Canvas, gc *GC, x, y int, glyphs []*Glyph) int {
	end := x
	for _, g := range glyphs {
		if g != nil {
			end += g.Advance
		}
	}
	p := c.Pixmap
	if !p.ok() || gc == nil || len(glyphs) == 0 {
		return end
	}
	if gc.FillStyle == FillSolid {
		fg := newRop(gc.Func, gc.PlaneMask, p.Depth).solid(gc.Foreground)
		if !fg.noop() {
			drawGlyphs(c, x, y, glyphs, fg)
		}
		return end
	}
	// Other fill styles: turn the glyphs into spans and let the fill code
	// paint them. Text drawn this way is rare; this path favours sharing
	// the fill code over speed.
	var spans []Span
	ox, oy := x+c.Origin.X, y+c.Origin.Y
	for _, g := range glyphs {
		if g == nil {
			continue
		}
		if g.ok() {
			spans = glyphSpans(spans, g, ox+g.Left, oy-g.Ascent)
		}
		ox += g.Advance
	}
	FillSpans(c, gc, spans)
	return end
}

// ImageText draws glyphs as the ImageText requests do: first it fills the
// rectangle from (x, y-ascent) across the glyphs' total advance and
// ascent+descent down with the background, then it paints the glyphs' set
// pixels with the foreground. The function is Copy and the fill style
// solid whatever the GC says; the plane mask and clip apply. ascent and
// descent are the font's.
func ImageText(c Canvas, gc *GC, x, y, ascent, descent int, glyphs []*Glyph) {
	p := c.Pixmap
	if !p.ok() || gc == nil || len(glyphs) == 0 {
		return
	}
	width := 0
	for _, g := range glyphs {
		if g != nil {
			width += g.Advance
		}
	}
	back := image.Rect(x, y-ascent, x+width, y+descent) // Rect puts a negative width right
	r := newRop(FuncCopy, gc.PlaneMask, p.Depth)
	if bg := r.solid(gc.Background); !back.Empty() && !bg.noop() {
		pb := back.Add(c.Origin)
		if sets(bg, p.Depth) && pb.In(p.Bounds()) && (c.Clip == nil || c.Clip.Overlap(pb) == region.In) {
			// The usual case, a terminal's line of text: whole rows of
			// one colour, which fillRows writes fast.
			p.fillRows(pb.Min.Y, pb.Max.Y, pb.Min.X, pb.Max.X, bg.xor)
			if p.Observer != nil {
				p.Observer.Changed(pb)
			}
		} else {
			fill := GC{Func: FuncCopy, PlaneMask: gc.PlaneMask, Foreground: gc.Background, FillStyle: FillSolid}
			FillRectangles(c, &fill, []image.Rectangle{back})
		}
	}
	fg := r.solid(gc.Foreground)
	if !fg.noop() {
		drawGlyphs(c, x, y, glyphs, fg)
	}
}

// drawGlyphs paints the set pixels of the glyphs through s. The origin is
// in drawable coordinates.
func drawGlyphs(c Canvas, x, y int, glyphs []*Glyph, s solidRop) {
	p := c.Pixmap
	x0, y0 := x+c.Origin.X, y+c.Origin.Y
	bounds := p.Bounds()

	// Find out once whether the whole string lies inside the pixmap and
	// the clip, as it usually does; then no glyph needs clipping.
	var all image.Rectangle
	ox := x0
	for _, g := range glyphs {
		if g == nil {
			continue
		}
		if g.ok() {
			all = all.Union(g.box(ox, y0))
		}
		ox += g.Advance
	}
	if all.Empty() {
		return
	}
	inside := all.In(bounds) && (c.Clip == nil || c.Clip.Overlap(all) == region.In)

	dmg := damage{obs: p.Observer}
	ox = x0
	for _, g := range glyphs {
		if g == nil {
			continue
		}
		if g.ok() && g.Width > 0 && g.Height > 0 {
			box := g.box(ox, y0)
			switch {
			case inside:
				paintGlyph(p, g, box.Min, s)
				dmg.add(box)
			case c.Clip == nil:
				if r := box.Intersect(bounds); !r.Empty() {
					paintGlyphClipped(p, g, box.Min, r, s)
					dmg.add(r)
				}
			default:
				for _, cr := range c.Clip.From(box.Min.Y) {
					if cr.Min.Y >= box.Max.Y {
						break
					}
					if r := box.Intersect(cr).Intersect(bounds); !r.Empty() {
						paintGlyphClipped(p, g, box.Min, r, s)
						dmg.add(r)
					}
				}
			}
		}
		ox += g.Advance
	}
	dmg.flush()
}

// paintGlyph paints a glyph whose bitmap's top-left pixel is at pt and
// which lies wholly inside the pixmap.
func paintGlyph(p *Pixmap, g *Glyph, pt image.Point, s solidRop) {
	o := pt.Y*p.Stride + pt.X
	if g.Stride != 1 {
		for j := range g.Height {
			paintGlyphRow(p.Pix, o+j*p.Stride, g.Bits[j*g.Stride:(j+1)*g.Stride], 0, g.Width, s)
		}
		return
	}
	// The common case, a glyph at most 32 pixels wide, and the most common
	// of those, a plain copy of the foreground.
	mask := ^uint32(0) >> (32 - uint(g.Width))
	pix := p.Pix[o : o+(g.Height-1)*p.Stride+g.Width]
	if sets(s, p.Depth) {
		v := s.xor
		for j, w := range g.Bits[:g.Height] {
			row := pix[j*p.Stride:]
			for w &= mask; w != 0; w &= w - 1 {
				row[bits.TrailingZeros32(w)] = v
			}
		}
		return
	}
	for j, w := range g.Bits[:g.Height] {
		row := pix[j*p.Stride:]
		for w &= mask; w != 0; w &= w - 1 {
			i := bits.TrailingZeros32(w)
			row[i] = row[i]&s.and ^ s.xor
		}
	}
}

// paintGlyphClipped paints the part inside r, which lies inside the pixmap,
// of a glyph whose bitmap's top-left pixel is at pt.
func paintGlyphClipped(p *Pixmap, g *Glyph, pt image.Point, r image.Rectangle, s solidRop) {
	c0, c1 := r.Min.X-pt.X, r.Max.X-pt.X
	for y := r.Min.Y; y < r.Max.Y; y++ {
		j := y - pt.Y
		paintGlyphRow(p.Pix, y*p.Stride+pt.X, g.Bits[j*g.Stride:(j+1)*g.Stride], c0, c1, s)
	}
}

// paintGlyphRow paints, through s, pix[o+i] for each glyph column i in
// [c0, c1) whose bit is set in words. o+c0 may not be negative.
func paintGlyphRow(pix []uint32, o int, words []uint32, c0, c1 int, s solidRop) {
	for k := c0 / 32; k*32 < c1; k++ {
		w := words[k] & columnMask(k*32, c0, c1)
		for ; w != 0; w &= w - 1 {
			i := o + k*32 + bits.TrailingZeros32(w)
			pix[i] = pix[i]&s.and ^ s.xor
		}
	}
}

// columnMask returns the bits of the word holding columns lo to lo+31 that
// fall in [c0, c1).
func columnMask(lo, c0, c1 int) uint32 {
	m := ^uint32(0)
	if c0 > lo {
		m <<= uint(c0 - lo)
	}
	if c1 < lo+32 {
		m &= ^uint32(0) >> uint(lo+32-c1)
	}
	return m
}

// glyphSpans appends the runs of set pixels of g, whose bitmap's top-left
// pixel is at (x0, y0) in pixmap coordinates, as spans.
func glyphSpans(spans []Span, g *Glyph, x0, y0 int) []Span {
	for j := range g.Height {
		words := g.Bits[j*g.Stride : (j+1)*g.Stride]
		start := -1 // column where the current run began
		for k, w := range words {
			w &= columnMask(k*32, 0, g.Width)
			for i := 0; i < 32; {
				if start < 0 {
					// Skip to the next set bit.
					if w>>uint(i) == 0 {
						break
					}
					i += bits.TrailingZeros32(w >> uint(i))
					start = k*32 + i
				}
				// Skip to the next clear bit.
				n := bits.TrailingZeros32(^(w >> uint(i)))
				if i+n >= 32 {
					break // the run may go on in the next word
				}
				i += n
				spans = append(spans, Span{X: x0 + start, Y: y0 + j, W: k*32 + i - start})
				start = -1
			}
		}
		if start >= 0 {
			spans = append(spans, Span{X: x0 + start, Y: y0 + j, W: g.Width - start})
		}
	}
	return spans
}
