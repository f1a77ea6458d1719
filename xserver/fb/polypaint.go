package fb

import (
	"cmp"
	"image"
	"math"
	"slices"
	"sync"

	"netdisplay/xserver/region"
)

// The geometry code (lines, dashes, polygons, arcs) reduces every request
// to spans and paints them through a painter, which batches them so that
// FillSpans sees hundreds of spans per call rather than one.

// Pens of a painter: the GC as given, and the GC that paints the odd dashes
// of LineDoubleDash: the background takes the foreground's place for the
// solid and stippled fill styles, as the protocol asks.
const (
	penFg = iota
	penBg
)

const paintBatch = 512

// A painter collects the spans of one request, in drawable coordinates,
// and paints them with FillSpans.
type painter struct {
	c       Canvas
	gc      *GC
	bgGC    GC              // the GC of odd dashes
	ext     image.Rectangle // extents of the clip, in pixmap coordinates
	ordered bool            // keep the order of spans between pens
	last    int             // pen of the latest span, when ordered
	buf     [2][]Span

	// With a solid fill and a rectangular clip, spans are written straight
	// into the pixmap, as fb's solid fills are, rather than batched for
	// FillSpans: nothing else needs doing to them.
	direct bool
	rop    [2]solidRop // by pen
	paint  [2]uint8    // by pen: what painting a span takes (paintSkip...)
	dmg    damage
}

// What painting a span with a pen takes, worked out once per request.
const (
	paintSkip = iota // nothing: the pen changes no pixel
	paintSet         // storing its colour
	paintRop         // its function, pixel by pixel
)

// Painters are pooled so that small requests cost no allocation.
var painterPool = sync.Pool{New: func() any { return new(painter) }}

func newPainter(c Canvas, gc *GC) *painter {
	p := painterPool.Get().(*painter)
	buf := p.buf
	*p = painter{c: c, gc: gc, ordered: true}
	p.buf = [2][]Span{buf[0][:0], buf[1][:0]}
	p.bgGC = *gc
	if gc.FillStyle == FillSolid || gc.FillStyle == FillStippled {
		// The tiled styles paint odd dashes as they paint even ones.
		p.bgGC.Foreground = gc.Background
	}
	p.ext = clipExtents(c)
	if gc.FillStyle == FillSolid && c.Pixmap.ok() && singleRectClip(c) {
		p.direct = true
		r := newRop(gc.Func, gc.PlaneMask, c.Depth)
		p.rop = [2]solidRop{r.solid(gc.Foreground), r.solid(gc.Background)}
		for pen, r := range p.rop {
			switch {
			case r.noop():
				p.paint[pen] = paintSkip
			case sets(r, c.Depth):
				p.paint[pen] = paintSet
			default:
				p.paint[pen] = paintRop
			}
		}
		p.dmg.obs = c.Observer
	}
	return p
}

// clipExtents returns the bounds of the pixels drawing may touch, in pixmap
// coordinates.
func clipExtents(c Canvas) image.Rectangle {
	if c.Pixmap == nil {
		return image.Rectangle{}
	}
	b := image.Rect(0, 0, c.Width, c.Height)
	if c.Clip == nil {
		return b
	}
	if c.Clip.Bounds().In(b) {
		return c.Clip.Bounds()
	}
	// The bounds of the clip's part inside the pixmap.
	var r image.Rectangle
	for _, cr := range c.Clip.Rects() {
		r = r.Union(cr.Intersect(b))
	}
	return r
}

// singleRectClip reports whether the pixels drawing may touch form one
// rectangle, which is when X.Org takes its unclipped fast paths.
func singleRectClip(c Canvas) bool {
	if c.Clip == nil || c.Clip.Len() <= 1 {
		return true
	}
	var r region.Region
	r.IntersectRect(c.Clip, image.Rect(0, 0, c.Width, c.Height))
	return r.Len() <= 1
}

// penGC returns the GC that paints with pen.
func (p *painter) penGC(pen int) *GC {
	if pen == penBg {
		return &p.bgGC
	}
	return p.gc
}

// pixelPen returns the pen that paints pixel: X.Org's wide line code tells
// the odd dashes from the even ones by their pixel value.
func (p *painter) pixelPen(pixel uint32) int {
	if pixel == p.gc.Foreground {
		return penFg
	}
	return penBg
}

// span adds the span of w pixels at (x, y), in drawable coordinates.
// Spans outside the clip extents are dropped here, so huge primitives cost
// FillSpans nothing.
func (p *painter) span(pen, x, y, w int) {
	if w <= 0 {
		return
	}
	x += p.c.Origin.X
	y += p.c.Origin.Y
	if y < p.ext.Min.Y || y >= p.ext.Max.Y {
		return
	}
	x1 := x + w
	if x < p.ext.Min.X {
		x = p.ext.Min.X
	}
	if x1 > p.ext.Max.X {
		x1 = p.ext.Max.X
	}
	if x >= x1 {
		return
	}
	if p.direct {
		switch p.paint[pen] {
		case paintSkip:
			return
		case paintSet:
			p.c.fill(p.c.row(y, x, x1), p.rop[pen].xor)
		default:
			p.rop[pen].fillRow(p.c.Pixmap, p.c.row(y, x, x1))
		}
		if p.dmg.obs != nil {
			p.dmg.add(image.Rect(x, y, x1, y+1))
		}
		return
	}
	if p.ordered && pen != p.last {
		p.flushPen(p.last)
		p.last = pen
	}
	b := p.buf[pen]
	if b == nil {
		b = make([]Span, 0, paintBatch)
	}
	b = append(b, Span{x, y, x1 - x})
	p.buf[pen] = b
	if len(b) == cap(b) {
		p.flushPen(pen)
	}
}

// spans adds spans in drawable coordinates.
func (p *painter) spans(pen int, ss []Span) {
	for _, s := range ss {
		p.span(pen, s.X, s.Y, s.W)
	}
}

func (p *painter) flushPen(pen int) {
	if len(p.buf[pen]) == 0 {
		return
	}
	FillSpans(p.c, p.penGC(pen), p.buf[pen])
	p.buf[pen] = p.buf[pen][:0]
}

// flush paints what is pending: background first, as X.Org paints the odd
// dashes of a request before the even ones when it batches them.
func (p *painter) flush() {
	p.flushPen(penBg)
	p.flushPen(penFg)
}

// done paints what is pending and returns p to the pool.
func (p *painter) done() {
	p.flush()
	p.dmg.flush()
	p.c, p.gc, p.bgGC, p.dmg = Canvas{}, nil, GC{}, damage{}
	painterPool.Put(p)
}

// unionSpans sorts spans by row and merges those that overlap or touch, so
// that each pixel is painted once. It returns the merged spans, reusing ss.
func unionSpans(ss []Span) []Span {
	if len(ss) < 2 {
		return ss
	}
	sortSpans(ss)
	out := ss[:0]
	cur := ss[0]
	for _, s := range ss[1:] {
		if s.Y == cur.Y && s.X <= cur.X+cur.W {
			if e := s.X + s.W; e > cur.X+cur.W {
				cur.W = e - cur.X
			}
			continue
		}
		if cur.W > 0 {
			out = append(out, cur)
		}
		cur = s
	}
	if cur.W > 0 {
		out = append(out, cur)
	}
	return out
}

// sortSpans sorts spans by row, then by x. The spans of lines and arcs
// cover a few rows each, so rows are bucketed first (as X.Org does) and
// each row, a handful of spans, sorted on its own.
func sortSpans(ss []Span) {
	y0, y1 := ss[0].Y, ss[0].Y
	for _, s := range ss[1:] {
		y0, y1 = min(y0, s.Y), max(y1, s.Y)
	}
	rows := y1 - y0 + 1
	if rows > 4*len(ss)+1024 {
		slices.SortFunc(ss, func(a, b Span) int {
			if a.Y != b.Y {
				return cmp.Compare(a.Y, b.Y)
			}
			return cmp.Compare(a.X, b.X)
		})
		return
	}
	start := make([]int, rows+1)
	for _, s := range ss {
		start[s.Y-y0+1]++
	}
	for i := 1; i <= rows; i++ {
		start[i] += start[i-1]
	}
	sorted := make([]Span, len(ss))
	next := start[:rows]
	for _, s := range ss {
		r := s.Y - y0
		sorted[next[r]] = s
		next[r]++
	}
	copy(ss, sorted)
	// next[r] is now the end of row r, and the start of row r+1.
	b := 0
	for r := 0; r < rows; r++ {
		e := next[r]
		row := ss[b:e]
		if len(row) > 12 {
			slices.SortFunc(row, func(a, b Span) int { return cmp.Compare(a.X, b.X) })
		} else {
			for i := 1; i < len(row); i++ {
				for j := i; j > 0 && row[j-1].X > row[j].X; j-- {
					row[j-1], row[j] = row[j], row[j-1]
				}
			}
		}
		b = e
	}
}

// floorDiv returns a/b rounded toward negative infinity; b > 0.
func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && (a < 0) {
		q--
	}
	return q
}

// ceilDiv returns a/b rounded toward positive infinity; b > 0.
func ceilDiv(a, b int) int {
	return -floorDiv(-a, b)
}

// iceil is X.Org's ICEIL: the smallest integer not less than x, computed
// the way C's truncating conversion to a 32-bit int does it on the
// machines X.Org runs on (so NaN and values out of range give what Xvfb
// gets).
func iceil(x float64) int {
	t := cint(x)
	if x == float64(t) || x < 0 {
		return t
	}
	return int(int32(t + 1))
}

// cint is C's conversion of a double to a 32-bit int on x86-64: truncation,
// with NaN and values out of range giving the smallest int.
func cint(x float64) int {
	if !(x > -1<<31-1 && x < 1<<31) {
		return math.MinInt32
	}
	return int(x)
}

// Limits. Requests carry 16-bit coordinates and sizes; the server may add a
// window's origin, or sum relative coordinates, going somewhat beyond. The
// geometry code accepts any values without panicking, and bounds its work:
// line widths are taken modulo 2^16 as the protocol's CARD16, and points
// further than maxCoord from the origin are moved to that distance, which
// changes nothing a request from the wire can draw.
const maxCoord = 1 << 24

// lineWidth returns gc's line width as the protocol's CARD16.
func lineWidth(gc *GC) int { return gc.LineWidth & 0xffff }

// clampPt bounds a point to maxCoord.
func clampPt(p image.Point) image.Point {
	return image.Pt(min(max(p.X, -maxCoord), maxCoord), min(max(p.Y, -maxCoord), maxCoord))
}

// boundedPoints returns pts, or a copy with its points clamped if any lies
// beyond maxCoord.
func boundedPoints(pts []image.Point) []image.Point {
	for i, p := range pts {
		if clampPt(p) != p {
			q := slices.Clone(pts)
			for j := i; j < len(q); j++ {
				q[j] = clampPt(q[j])
			}
			return q
		}
	}
	return pts
}
