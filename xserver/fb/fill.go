package fb

import (
	"image"

	"netdisplay/xserver/region"
)

// FillSpans paints spans, given in pixmap coordinates, with the GC's fill
// style, function and plane mask, clipped to c.Clip and the pixmap. It is
// what the line, polygon and arc code draws with.
//
// Spans may come in any order; runs of spans on the same or neighbouring
// rows find their clip rectangles without searching.
func FillSpans(c Canvas, gc *GC, spans []Span) {
	p := c.Pixmap
	if !p.ok() || gc == nil {
		return
	}
	f := newFiller(p, gc)
	if f.noop() {
		return
	}
	dmg := damage{obs: p.Observer}
	var rows clipRows
	for _, s := range spans {
		if s.W <= 0 || s.Y < 0 || s.Y >= p.Height {
			continue
		}
		x0, x1 := max(s.X, 0), min(s.X+s.W, p.Width)
		if x0 >= x1 {
			continue
		}
		if c.Clip == nil {
			f.paint(p, s.Y, x0, x1)
			dmg.add(image.Rect(x0, s.Y, x1, s.Y+1))
			continue
		}
		band := rows.at(c.Clip, s.Y)
		for _, r := range band[firstRight(band, x0):] {
			if r.Min.X >= x1 {
				break
			}
			a, b := max(x0, r.Min.X), min(x1, r.Max.X)
			f.paint(p, s.Y, a, b)
			dmg.add(image.Rect(a, s.Y, b, s.Y+1))
		}
	}
	dmg.flush()
}

// FillRectangles fills rectangles, given in drawable coordinates, with the
// GC's fill style, as PolyFillRectangle does: each rectangle in turn, so
// pixels where rectangles overlap are drawn more than once.
func FillRectangles(c Canvas, gc *GC, rs []image.Rectangle) {
	p := c.Pixmap
	if !p.ok() || gc == nil {
		return
	}
	f := newFiller(p, gc)
	if f.noop() {
		return
	}
	dmg := damage{obs: p.Observer}
	bounds := p.Bounds()
	for _, r := range rs {
		r = r.Add(c.Origin).Intersect(bounds)
		if r.Empty() {
			continue
		}
		if c.Clip == nil {
			f.fillRect(p, r)
			dmg.add(r)
			continue
		}
		for _, cr := range c.Clip.From(r.Min.Y) {
			if cr.Min.Y >= r.Max.Y {
				break
			}
			if piece := r.Intersect(cr); !piece.Empty() {
				f.fillRect(p, piece)
				dmg.add(piece)
			}
		}
	}
	dmg.flush()
}

// A filler paints runs of pixels with a GC's fill style.
type filler struct {
	style    FillStyle
	fg, bg   solidRop // foreground and background through the function
	rop      rop      // for tiles
	tile     *Pixmap
	stipple  *Pixmap
	org      image.Point // tile and stipple origin, pixmap coordinates
	copyTile bool        // the tile is copied unchanged
}

func newFiller(p *Pixmap, gc *GC) filler {
	r := newRop(gc.Func, gc.PlaneMask, p.Depth)
	f := filler{
		style: gc.FillStyle,
		fg:    r.solid(gc.Foreground),
		bg:    r.solid(gc.Background),
		rop:   r,
		org:   gc.TSOrigin,
	}
	// A missing or empty tile or stipple stands for the protocol's
	// default: a tile of the foreground, a stipple of ones. Either way the
	// result is a solid fill.
	switch f.style {
	case FillTiled:
		if t := gc.Tile; t.ok() && t.Width > 0 && t.Height > 0 {
			f.tile = t
			f.copyTile = gc.Func == FuncCopy && gc.PlaneMask&p.mask() == p.mask() && t.Depth == p.Depth
		} else {
			f.style = FillSolid
		}
	case FillStippled, FillOpaqueStippled:
		if s := gc.Stipple; s.ok() && s.Width > 0 && s.Height > 0 {
			f.stipple = s
		} else {
			f.style = FillSolid
		}
	default:
		f.style = FillSolid
	}
	return f
}

// noop reports whether painting would change nothing.
func (f *filler) noop() bool {
	switch f.style {
	case FillSolid, FillStippled:
		return f.fg.noop()
	case FillOpaqueStippled:
		return f.fg.noop() && f.bg.noop()
	}
	return f.rop == rop{x1: ^uint32(0)}
}

// fillRect paints r, which lies inside the pixmap.
func (f *filler) fillRect(p *Pixmap, r image.Rectangle) {
	if f.style == FillSolid && sets(f.fg, p.Depth) {
		p.fillRows(r.Min.Y, r.Max.Y, r.Min.X, r.Max.X, f.fg.xor)
		return
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		f.paint(p, y, r.Min.X, r.Max.X)
	}
}

// paint paints the pixels x0 to x1 of row y, which lie inside the pixmap.
func (f *filler) paint(p *Pixmap, y, x0, x1 int) {
	row := p.row(y, x0, x1)
	switch f.style {
	case FillSolid:
		f.fg.fillRow(p, row)
	case FillTiled:
		t := f.tile
		ty := mod(y-f.org.Y, t.Height)
		trow := t.row(ty, 0, t.Width)
		tx := mod(x0-f.org.X, t.Width)
		for len(row) > 0 {
			n := min(len(row), len(trow)-tx)
			if f.copyTile {
				copy(row[:n], trow[tx:])
			} else {
				ropRow(row[:n], trow[tx:], f.rop)
			}
			row, tx = row[n:], 0
		}
	case FillStippled, FillOpaqueStippled:
		s := f.stipple
		sy := mod(y-f.org.Y, s.Height)
		srow := s.row(sy, 0, s.Width)
		sx := mod(x0-f.org.X, s.Width)
		for len(row) > 0 {
			n := min(len(row), len(srow)-sx)
			if f.style == FillOpaqueStippled {
				bitRow(row[:n], srow[sx:], f.fg, f.bg)
			} else {
				stippleRow(row[:n], srow[sx:], f.fg)
			}
			row, sx = row[n:], 0
		}
	}
}

// stippleRow paints the pixels of dst whose stipple bit is set.
func stippleRow(dst, bits []uint32, fg solidRop) {
	bits = bits[:len(dst)]
	for i, b := range bits {
		if b&1 != 0 {
			dst[i] = dst[i]&fg.and ^ fg.xor
		}
	}
}

// clipRows finds the clip rectangles crossing a row, remembering the last
// band so that consecutive rows cost nothing.
type clipRows struct {
	band   []image.Rectangle
	y0, y1 int // rows the band covers; empty when none is cached
}

func (c *clipRows) at(clip *region.Region, y int) []image.Rectangle {
	if y >= c.y0 && y < c.y1 {
		return c.band
	}
	c.band = clip.Row(y)
	c.y0, c.y1 = 0, 0
	if len(c.band) > 0 {
		c.y0, c.y1 = c.band[0].Min.Y, c.band[0].Max.Y
	}
	return c.band
}

// firstRight returns the index of the first rectangle of a band that ends
// right of x.
func firstRight(band []image.Rectangle, x int) int {
	lo, hi := 0, len(band)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if band[m].Max.X > x {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// damage gathers what drawing changed into a few bounding rectangles for
// the Observer: a piece joins the current rectangle while that stays mostly
// painted, so a filled shape is one rectangle and a long diagonal line a
// handful, never one per span.
type damage struct {
	obs  Observer
	box  image.Rectangle
	area int // pixels painted inside box, counting overlaps twice
}

// slack is how many unpainted pixels a damage rectangle may gain beyond
// its painted area before it is reported and a new one started.
const slack = 1024

func (d *damage) add(r image.Rectangle) {
	if d.obs == nil {
		return
	}
	a := r.Dx() * r.Dy()
	if d.box.Empty() {
		d.box, d.area = r, a
		return
	}
	u := d.box.Union(r)
	if u.Dx()*u.Dy() <= 2*(d.area+a)+slack {
		d.box, d.area = u, d.area+a
		return
	}
	d.obs.Changed(d.box)
	d.box, d.area = r, a
}

// addPoint adds the pixel at (x, y): usually one inside the current box.
func (d *damage) addPoint(x, y int) {
	if b := d.box; x >= b.Min.X && x < b.Max.X && y >= b.Min.Y && y < b.Max.Y {
		d.area++
		return
	}
	d.add(image.Rect(x, y, x+1, y+1))
}

func (d *damage) flush() {
	if d.obs != nil && !d.box.Empty() {
		d.obs.Changed(d.box)
	}
	d.box, d.area = image.Rectangle{}, 0
}
