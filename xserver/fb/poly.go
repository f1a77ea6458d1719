package fb

import (
	"image"
	"sort"
)

// FillPolygon fills the polygon with vertices pts (drawable coordinates,
// CoordModeOrigin), closing it if the last point differs from the first,
// as the FillPoly request does. Pixels whose centres are inside the polygon
// are filled; a centre on an edge is inside if the polygon is to its right,
// or below a horizontal edge. gc.FillRule chooses EvenOdd or Winding.
//
// As in X.Org, ShapeConvex uses a simpler scan converter whose result for a
// polygon that is not convex is undefined (it may draw nothing), and
// polygons of fewer than three points draw nothing. Coordinates are
// wrapped to 16 bits after adding the drawable's origin, as X.Org keeps
// them.
func FillPolygon(c Canvas, gc *GC, pts []image.Point, shape Shape) {
	if len(pts) < 3 || gc == nil || !c.Pixmap.ok() {
		return
	}
	o := c.Origin
	// X.Org translates the points in place, in 16-bit fields.
	q := make([]image.Point, len(pts))
	for i, pt := range pts {
		q[i] = image.Pt(int(int16(pt.X+o.X))-o.X, int(int16(pt.Y+o.Y))-o.Y)
	}
	p := newPainter(c, gc)
	if shape == ShapeConvex {
		fillConvexPoly(p, q)
	} else {
		fillGeneralPoly(p, q, gc.FillRule)
	}
	p.done()
}

// A pgonEdge walks one polygon edge down the scanlines with X.Org's
// BRESINITPGON/BRESINCRPGON stepping, which puts the edge at
// x1 + ceil(k*dx/dy) on the k-th row below its top.
type pgonEdge struct {
	x, d, m, m1, incr1, incr2 int
}

func (b *pgonEdge) init(dy, x1, x2 int) {
	if dy == 0 {
		return // horizontal edges are skipped; keep the old state
	}
	b.x = x1
	dx := x2 - x1
	if dx < 0 {
		b.m = dx / dy
		b.m1 = b.m - 1
		b.incr1 = -2*dx + 2*dy*b.m1
		b.incr2 = -2*dx + 2*dy*b.m
		b.d = 2*b.m*dy - 2*dx - 2*dy
	} else {
		b.m = dx / dy
		b.m1 = b.m + 1
		b.incr1 = 2*dx - 2*dy*b.m1
		b.incr2 = 2*dx - 2*dy*b.m
		b.d = -2*b.m*dy + 2*dx
	}
}

func (b *pgonEdge) step() {
	if b.m1 > 0 {
		if b.d > 0 {
			b.x += b.m1
			b.d += b.incr1
		} else {
			b.x += b.m
			b.d += b.incr2
		}
	} else {
		if b.d >= 0 {
			b.x += b.m1
			b.d += b.incr1
		} else {
			b.x += b.m
			b.d += b.incr2
		}
	}
}

// fillConvexPoly is X.Org's miFillConvexPoly: it walks one left and one
// right chain from the top vertex and gives up, drawing nothing, if the
// polygon turns out not to be convex in y.
func fillConvexPoly(p *painter, pts []image.Point) {
	count := len(pts)
	imin := 0
	ymin, ymax := pts[0].Y, pts[0].Y
	for i := 1; i < count; i++ {
		if pts[i].Y < ymin {
			imin = i
			ymin = pts[i].Y
		}
		if pts[i].Y > ymax {
			ymax = pts[i].Y
		}
	}
	if ymax-ymin+1 < 0 {
		return
	}
	var spans []Span
	nextleft, nextright := imin, imin
	y := pts[nextleft].Y
	var l, r pgonEdge
	// Each pass either moves down a row or moves a chain one vertex on, so
	// this bound is never reached by a real polygon; it guards against
	// looping on nonsense.
	for guard := 2*count + (ymax - ymin) + 4; guard > 0; guard-- {
		if pts[nextleft].Y == y {
			left := nextleft
			nextleft++
			if nextleft >= count {
				nextleft = 0
			}
			l.init(pts[nextleft].Y-pts[left].Y, pts[left].X, pts[nextleft].X)
		}
		if pts[nextright].Y == y {
			right := nextright
			nextright--
			if nextright < 0 {
				nextright = count - 1
			}
			r.init(pts[nextright].Y-pts[right].Y, pts[right].X, pts[nextright].X)
		}
		i := min(pts[nextleft].Y, pts[nextright].Y) - y
		if i < 0 {
			return // not convex
		}
		for ; i > 0; i-- {
			if l.x < r.x {
				spans = append(spans, Span{l.x, y, r.x - l.x})
			} else {
				spans = append(spans, Span{r.x, y, l.x - r.x})
			}
			y++
			l.step()
			r.step()
		}
		if y == ymax {
			break
		}
	}
	p.spans(penFg, spans)
}

// A scanEdge is a non-horizontal polygon edge for the general filler.
type scanEdge struct {
	top, bottom int // rows it covers: top <= y < bottom
	x1, dx, dy  int // top x and direction
	dir         int // +1 going down (X.Org's ClockWise), -1 going up
	// Current x is x1 + v, v = ceil(k*dx/dy) for row top+k, with
	// e = v*dy - k*dx in [0, dy).
	v, e        int
	whole, frac int
	x           int
}

// at positions the edge on row y.
func (s *scanEdge) at(y int) {
	k := y - s.top
	s.v = ceilDiv(k*s.dx, s.dy)
	s.e = s.v*s.dy - k*s.dx
	s.x = s.x1 + s.v
}

func (s *scanEdge) step() {
	if t := s.frac - s.e; t > 0 {
		s.v += s.whole + 1
		s.e = s.dy - t
	} else {
		s.v += s.whole
		s.e = -t
	}
	s.x = s.x1 + s.v
}

// fillGeneralPoly fills any polygon with the even-odd or winding rule, with
// the pixels of X.Org's miFillGeneralPoly: on each row, an edge from
// (x1, y1) down to (x2, y2) lies at x1 + ceil((y-y1)*(x2-x1)/(y2-y1)), and
// the pixels from an edge up to (not including) the next are inside when
// the rule says so. Rows outside the clip are never visited.
func fillGeneralPoly(p *painter, pts []image.Point, rule FillRule) {
	edges := make([]scanEdge, 0, len(pts))
	prev := pts[len(pts)-1]
	for _, cur := range pts {
		top, bot, dir := prev, cur, 1
		if prev.Y > cur.Y {
			top, bot, dir = cur, prev, -1
		}
		if top.Y != bot.Y {
			e := scanEdge{top: top.Y, bottom: bot.Y, x1: top.X, dx: bot.X - top.X, dy: bot.Y - top.Y, dir: dir}
			e.whole = floorDiv(e.dx, e.dy)
			e.frac = e.dx - e.whole*e.dy
			edges = append(edges, e)
		}
		prev = cur
	}
	if len(edges) == 0 {
		return
	}
	sort.Slice(edges, func(i, j int) bool { return edges[i].top < edges[j].top })
	ymin, ymax := edges[0].top, edges[0].bottom
	for _, e := range edges {
		ymax = max(ymax, e.bottom)
	}
	ext := p.ext.Sub(p.c.Origin)
	y0 := max(ymin, ext.Min.Y)
	y1 := min(ymax, ext.Max.Y) // exclusive
	var active []*scanEdge
	next := 0
	for y := y0; y < y1; y++ {
		// Drop finished edges, step the others, and add new ones.
		n := 0
		for _, e := range active {
			if e.bottom > y {
				e.step()
				active[n] = e
				n++
			}
		}
		active = active[:n]
		for next < len(edges) && edges[next].top <= y {
			e := &edges[next]
			next++
			if e.bottom > y {
				e.at(y)
				active = append(active, e)
			}
		}
		// Insertion sort: the order changes little from row to row.
		for i := 1; i < len(active); i++ {
			for j := i; j > 0 && active[j-1].x > active[j].x; j-- {
				active[j-1], active[j] = active[j], active[j-1]
			}
		}
		if rule == EvenOddRule {
			for i := 0; i+1 < len(active); i += 2 {
				p.span(penFg, active[i].x, y, active[i+1].x-active[i].x)
			}
			continue
		}
		wind := 0
		start := 0
		for _, e := range active {
			was := wind
			wind += e.dir
			if was == 0 && wind != 0 {
				start = e.x
			} else if was != 0 && wind == 0 {
				p.span(penFg, start, y, e.x-start)
			}
		}
	}
}
