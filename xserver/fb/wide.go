package fb

import (
	"image"
	"math"
)

// Wide lines follow X.Org's miwideline.c: each segment is a polygon whose
// edges are walked with an integer algorithm much like Bresenham's, started
// from exact (floating point) positions; caps and joins are small polygons
// and circles. Reproducing its arithmetic step by step is what makes the
// pixels the same as Xvfb's.

// A polyEdge is one edge of a polygon, walked a row at a time.
type polyEdge struct {
	height int // rows to walk
	x      int // x at the first row
	stepx  int // whole x step per row
	signdx int // direction of the fractional step
	e      int // error term, compared against zero
	dy, dx int
}

type polyVertex struct{ x, y float64 }

// A polySlope is a direction (dx, dy) and k = x0*dy - y0*dx for a point
// (x0, y0) on the edge.
type polySlope struct {
	dx, dy int
	k      float64
}

// A lineFace is one end of a wide segment: where it is, which way the line
// leaves it, and the offset (xa, ya) of its corner.
type lineFace struct {
	xa, ya float64
	dx, dy int
	x, y   int
	k      float64
}

// sqSecant is 1/sin²(11°/2): joins sharper than 11 degrees are beveled
// rather than mitered.
const sqSecant = 108.856472512142

// A wideLiner draws the wide lines of one request.
type wideLiner struct {
	p      *painter
	gc     *GC
	lw     int
	groups bool // gather spans in fg and bg groups (X.Org's span groups)
	fg, bg spanGroup
	double bool // LineDoubleDash: the bg group is used
	buf    []Span
}

func newWideLiner(c Canvas, gc *GC) *wideLiner {
	return &wideLiner{p: newPainter(c, gc), gc: gc, lw: lineWidth(gc)}
}

// polyLine draws one wide PolyLine (miWideLine or miWideDash).
func (w *wideLiner) polyLine(pts []image.Point) {
	gc := w.gc
	w.groups = !((len(pts) < 3 && gc.CapStyle != CapRound) || !carefulRop(gc.Func))
	if w.groups {
		w.fg.reset()
		w.bg.reset()
		w.double = gc.LineStyle == LineDoubleDash
	}
	if gc.LineStyle == LineSolid ||
		(gc.LineStyle == LineDoubleDash && (gc.FillStyle == FillOpaqueStippled || gc.FillStyle == FillTiled)) {
		// Both dashes of a tiled double-dashed line look the same: X.Org
		// draws it solid.
		w.solidLine(pts)
	} else {
		w.dashLine(pts)
	}
	if w.groups {
		// Paint what the groups gathered, odd dashes first.
		if w.double {
			w.bg.paint(w.p, penBg)
		}
		w.fg.paint(w.p, penFg)
	}
}

// fill paints, or gathers, the spans of one piece of line, given in drawable
// coordinates and sorted by row, with the pen that paints pixel.
func (w *wideLiner) fill(pixel uint32, spans []Span) {
	if len(spans) == 0 {
		return
	}
	w.fillSet(pixel, spans, spans[0].Y, spans[len(spans)-1].Y)
}

// fillSet is fill for spans whose first and last rows, as X.Org would
// see them, are yMin and yMax.
func (w *wideLiner) fillSet(pixel uint32, spans []Span, yMin, yMax int) {
	if !w.groups {
		pen := w.p.pixelPen(pixel)
		for _, s := range spans {
			w.p.span(pen, s.X, s.Y, s.W)
		}
		return
	}
	if yMin > yMax {
		return // no spans at all
	}
	set := spanSet{yMin: yMin, yMax: yMax}
	ext := w.p.ext.Sub(w.p.c.Origin)
	for _, s := range spans {
		if s.Y < ext.Min.Y || s.Y >= ext.Max.Y {
			continue
		}
		x0, x1 := max(s.X, ext.Min.X), min(s.X+s.W, ext.Max.X)
		if x0 < x1 {
			set.spans = append(set.spans, Span{x0, s.Y, x1 - x0})
		}
	}
	if pixel == w.gc.Foreground {
		var other *spanGroup
		if w.gc.LineStyle == LineDoubleDash {
			other = &w.bg
		}
		w.fg.add(set, other)
	} else {
		w.bg.add(set, &w.fg)
	}
}

// fillRect paints the w×h rectangle at (x, y) (miFillRectPolyHelper).
// Only its rows inside the clip are visited.
func (w *wideLiner) fillRect(pixel uint32, x, y, wd, h int) {
	if !w.groups {
		// PolyFillRectangle takes CARD16 sizes.
		wd, h = wd&0xffff, h&0xffff
	}
	if h <= 0 {
		return
	}
	ext := w.p.ext.Sub(w.p.c.Origin)
	y0, y1 := max(y, ext.Min.Y), min(y+h, ext.Max.Y)
	spans := w.buf[:0]
	for r := y0; r < y1; r++ {
		spans = append(spans, Span{x, r, wd})
	}
	w.buf = spans
	clamp := func(v int) int { return min(max(v, ext.Min.Y-1), ext.Max.Y) }
	w.fillSet(pixel, spans, clamp(y), clamp(y+h-1))
}

// onePoint paints one pixel (miLineOnePoint).
func (w *wideLiner) onePoint(pixel uint32, x, y int) {
	w.fill(pixel, []Span{{x, y, 1}})
}

// advance steps the edge n rows down at once, as n steps of the row loop
// would: the error term crosses zero ceil((e + n*dx)/dy) times.
func (e *polyEdge) advance(n int) {
	e.x += n * e.stepx
	t := e.e + n*e.dx
	if c := ceilDiv(t, max(e.dy, 1)); c > 0 && e.dx > 0 {
		e.x += c * e.signdx
		t -= c * e.dy
	}
	e.e = t
}

func (e *polyEdge) step() {
	e.x += e.stepx
	e.e += e.dx
	if e.e > 0 {
		e.x += e.signdx
		e.e -= e.dy
	}
}

// exactRows is how many rows outside the clip the group code walks one by
// one, to find exactly the first and last rows of a piece (which decide, in
// X.Org, whether pieces subtract). Longer runs of hidden rows are stepped
// over at once, judging them by their end rows; that can differ from X.Org
// only for slivers thinner than a pixel, in absurdly large requests.
const exactRows = 4096

// fillPolyHelper walks left and right edges down from row y and paints the
// rows between them (miFillPolyHelper). Rows outside the clip are stepped
// over without being visited.
func (w *wideLiner) fillPolyHelper(pixel uint32, y, overallHeight int, left, right []polyEdge) {
	ext := w.p.ext.Sub(w.p.c.Origin)
	spans := w.buf[:0]
	// The first and last rows with pixels, clamped to just outside the
	// clip, which is all that the span groups' comparisons can tell apart.
	first, last := maxShort, minShort
	seen := func(y int) {
		y = min(max(y, ext.Min.Y-1), ext.Max.Y)
		first, last = min(first, y), max(last, y)
	}
	// hidden skips n rows outside the clip.
	hidden := func(l, r *polyEdge, n int) {
		if !w.groups {
			l.advance(n)
			r.advance(n)
			return
		}
		if n <= exactRows {
			for i := 0; i < n; i++ {
				if r.x >= l.x {
					seen(y + i)
				}
				l.step()
				r.step()
			}
			return
		}
		if r.x >= l.x {
			seen(y)
		}
		l.advance(n - 1)
		r.advance(n - 1)
		if r.x >= l.x {
			seen(y + n - 1)
		}
		l.step()
		r.step()
	}
	var l, r polyEdge
	lh, rh := 0, 0
	li, ri := 0, 0
	for (li < len(left) || lh != 0) && (ri < len(right) || rh != 0) {
		if lh == 0 && li < len(left) {
			l = left[li]
			lh = l.height
			li++
		}
		if rh == 0 && ri < len(right) {
			r = right[ri]
			rh = r.height
			ri++
		}
		h := min(lh, rh)
		lh -= h
		rh -= h
		if h <= 0 {
			continue
		}
		if y < ext.Min.Y {
			n := min(h, ext.Min.Y-y)
			hidden(&l, &r, n)
			y += n
			h -= n
		}
		for ; h > 0 && y < ext.Max.Y; h-- {
			if r.x >= l.x {
				spans = append(spans, Span{l.x, y, r.x - l.x + 1})
				seen(y)
			}
			y++
			l.step()
			r.step()
		}
		if h > 0 {
			if !w.groups {
				break // nothing more can show
			}
			hidden(&l, &r, h)
			y += h
		}
	}
	w.buf = spans
	w.fillSet(pixel, spans, first, last)
}

// buildEdge sets up edge for the line through (x0, y0) with slope dx/dy and
// k = x0*dy - y0*dx, translated by (xi, yi); it returns the first row
// (miPolyBuildEdge). left moves the edge one pixel right, for left edges.
func buildEdge(x0, y0, k float64, dx, dy, xi, yi int, left bool, edge *polyEdge) int {
	if dy < 0 {
		dy, dx, k = -dy, -dx, -k
	}
	if dy == 0 {
		dy = 1 // callers never pass horizontal edges; stay safe
	}
	y := iceil(y0)
	xady := iceil(k) + y*dx
	var x int
	if xady <= 0 {
		x = -(-xady / dy) - 1
	} else {
		x = (xady - 1) / dy
	}
	e := xady - x*dy
	if dx >= 0 {
		edge.signdx = 1
		edge.stepx = dx / dy
		edge.dx = dx % dy
	} else {
		edge.signdx = -1
		edge.stepx = -(-dx / dy)
		edge.dx = -dx % dy
		e = dy - e + 1
	}
	edge.dy = dy
	edge.x = x + xi
	if left {
		edge.x++
	}
	edge.e = e - dy
	return y + yi
}

func stepAround(v, incr, n int) int {
	switch {
	case v+incr < 0:
		return n - 1
	case v+incr == n:
		return 0
	}
	return v + incr
}

// buildPoly turns a convex polygon, given by vertices and the slopes of the
// edges leaving them, into left and right edge lists; it returns the top
// row and the height (miPolyBuildPoly).
func buildPoly(vertices []polyVertex, slopes []polySlope, xi, yi int, left, right []polyEdge) (nleft, nright, y, h int) {
	count := len(vertices)
	top, bottom := 0, 0
	miny, maxy := vertices[0].y, vertices[0].y
	for i := 1; i < count; i++ {
		if vertices[i].y < miny {
			top = i
			miny = vertices[i].y
		}
		if vertices[i].y >= maxy {
			bottom = i
			maxy = vertices[i].y
		}
	}
	clockwise := 1
	slopeoff := 0
	i := top
	j := stepAround(top, -1, count)
	if int64(slopes[j].dy)*int64(slopes[i].dx) > int64(slopes[i].dy)*int64(slopes[j].dx) {
		clockwise = -1
		slopeoff = -1
	}
	bottomy := iceil(maxy) + yi
	lasty, topy := 0, 0

	s := stepAround(top, slopeoff, count)
	i = top
	for i != bottom {
		if slopes[s].dy != 0 {
			y := buildEdge(vertices[i].x, vertices[i].y, slopes[s].k, slopes[s].dx, slopes[s].dy, xi, yi, false, &right[nright])
			if nright != 0 {
				right[nright-1].height = y - lasty
			} else {
				topy = y
			}
			nright++
			lasty = y
		}
		i = stepAround(i, clockwise, count)
		s = stepAround(s, clockwise, count)
	}
	if nright != 0 {
		right[nright-1].height = bottomy - lasty
	}

	if slopeoff == 0 {
		slopeoff = -1
	} else {
		slopeoff = 0
	}
	s = stepAround(top, slopeoff, count)
	i = top
	for i != bottom {
		if slopes[s].dy != 0 {
			y := buildEdge(vertices[i].x, vertices[i].y, slopes[s].k, slopes[s].dx, slopes[s].dy, xi, yi, true, &left[nleft])
			if nleft != 0 {
				left[nleft-1].height = y - lasty
			}
			nleft++
			lasty = y
		}
		i = stepAround(i, -clockwise, count)
		s = stepAround(s, -clockwise, count)
	}
	if nleft != 0 {
		left[nleft-1].height = bottomy - lasty
	}
	return nleft, nright, topy, bottomy - topy
}

// lineJoin joins two segments meeting at pLeft/pRight (miLineJoin). It may
// change the faces, as X.Org's does.
func (w *wideLiner) lineJoin(pixel uint32, pLeft, pRight *lineFace) {
	var mx, my, denom float64
	joinStyle := w.gc.JoinStyle
	lw := w.lw

	if lw == 1 && !w.groups {
		// See if one of the lines will draw the joining pixel.
		if pLeft.dx > 0 || (pLeft.dx == 0 && pLeft.dy > 0) {
			return
		}
		if pRight.dx > 0 || (pRight.dx == 0 && pRight.dy > 0) {
			return
		}
		if joinStyle != JoinRound {
			denom = float64(-pLeft.dx)*float64(pRight.dy) + float64(pRight.dx)*float64(pLeft.dy)
			if denom == 0 {
				return
			}
		}
		if joinStyle != JoinMiter {
			w.onePoint(pixel, pLeft.x, pLeft.y)
			return
		}
	} else {
		if joinStyle == JoinRound {
			w.lineArc(pixel, pLeft, pRight, 0, 0, true)
			return
		}
		denom = float64(-pLeft.dx)*float64(pRight.dy) + float64(pRight.dx)*float64(pLeft.dy)
		if denom == 0 {
			return
		}
	}

	swapslopes := false
	if denom > 0 {
		pLeft.xa, pLeft.ya = -pLeft.xa, -pLeft.ya
		pLeft.dx, pLeft.dy = -pLeft.dx, -pLeft.dy
	} else {
		swapslopes = true
		pRight.xa, pRight.ya = -pRight.xa, -pRight.ya
		pRight.dx, pRight.dy = -pRight.dx, -pRight.dy
	}

	var vertices [4]polyVertex
	var slopes [4]polySlope
	vertices[0] = polyVertex{pRight.xa, pRight.ya}
	slopes[0] = polySlope{-pRight.dy, pRight.dx, 0}
	vertices[1] = polyVertex{0, 0}
	slopes[1] = polySlope{pLeft.dy, -pLeft.dx, 0}
	vertices[2] = polyVertex{pLeft.xa, pLeft.ya}

	if joinStyle == JoinMiter {
		my = (float64(pLeft.dy)*(pRight.xa*float64(pRight.dy)-pRight.ya*float64(pRight.dx)) -
			float64(pRight.dy)*(pLeft.xa*float64(pLeft.dy)-pLeft.ya*float64(pLeft.dx))) / denom
		if pLeft.dy != 0 {
			mx = pLeft.xa + (my-pLeft.ya)*float64(pLeft.dx)/float64(pLeft.dy)
		} else {
			mx = pRight.xa + (my-pRight.ya)*float64(pRight.dx)/float64(pRight.dy)
		}
		// Check the miter limit.
		if (mx*mx+my*my)*4 > sqSecant*float64(lw)*float64(lw) {
			joinStyle = JoinBevel
		}
	}

	var edgecount int
	if joinStyle == JoinMiter {
		slopes[2] = polySlope{pLeft.dx, pLeft.dy, pLeft.k}
		if swapslopes {
			slopes[2] = polySlope{-slopes[2].dx, -slopes[2].dy, -slopes[2].k}
		}
		vertices[3] = polyVertex{mx, my}
		slopes[3] = polySlope{pRight.dx, pRight.dy, pRight.k}
		if swapslopes {
			slopes[3] = polySlope{-slopes[3].dx, -slopes[3].dy, -slopes[3].k}
		}
		edgecount = 4
	} else {
		dx := pRight.xa - pLeft.xa
		dy := pRight.ya - pLeft.ya
		adx, ady := math.Abs(dx), math.Abs(dy)
		scale := ady
		if adx > ady {
			scale = adx
		}
		slopes[2].dx = cint((dx * 65536) / scale)
		slopes[2].dy = cint((dy * 65536) / scale)
		slopes[2].k = ((pLeft.xa+pRight.xa)*float64(slopes[2].dy) -
			(pLeft.ya+pRight.ya)*float64(slopes[2].dx)) / 2.0
		edgecount = 3
	}

	var left, right [4]polyEdge
	nleft, nright, y, height := buildPoly(vertices[:edgecount], slopes[:edgecount], pLeft.x, pLeft.y, left[:], right[:])
	w.fillPolyHelper(pixel, y, height, left[:nleft], right[:nright])
}

// lineArcI returns the spans of a disc of diameter lw centred on the pixel
// (xorg, yorg) (miLineArcI).
func (w *wideLiner) lineArcI(xorg, yorg int) []Span {
	slw := w.lw
	if slw == 1 {
		return append(w.buf[:0], Span{xorg, yorg, 1})
	}
	spans := w.buf[:0]
	for i := 0; i < slw; i++ {
		spans = append(spans, Span{})
	}
	t, b := 0, slw
	y := (slw >> 1) + 1
	var e int
	if slw&1 != 0 {
		e = -((y << 2) + 3)
	} else {
		e = -(y << 3)
	}
	ex := -4
	x := 0
	for y != 0 {
		e += (y << 3) - 4
		for e >= 0 {
			x++
			ex = -((x << 3) + 4)
			e += ex
		}
		y--
		slw = (x << 1) + 1
		if e == ex && slw > 1 {
			slw--
		}
		if t < len(spans) {
			spans[t] = Span{xorg - x, yorg - y, slw}
		}
		t++
		if y != 0 && (slw > 1 || e != ex) {
			b--
			if b >= 0 {
				spans[b] = Span{xorg - x, yorg + y, slw}
			}
		}
	}
	w.buf = spans
	return spans
}

// clipStep is X.Org's CLIPSTEPEDGE: when row ybase reaches the edge, clip
// the span to it and step the edge.
func clipStep(ybase int, edgey *int, edge *polyEdge, edgeleft bool, xcl, xcr *int) {
	if ybase != *edgey {
		return
	}
	if edgeleft {
		if edge.x > *xcl {
			*xcl = edge.x
		}
	} else {
		if edge.x < *xcr {
			*xcr = edge.x
		}
	}
	*edgey++
	edge.x += edge.stepx
	edge.e += edge.dx
	if edge.e > 0 {
		edge.x += edge.signdx
		edge.e -= edge.dy
	}
}

// lineArcD returns the spans of a disc of diameter lw centred on (xorg,
// yorg), clipped by up to two edges (miLineArcD).
func (w *wideLiner) lineArcD(xorg, yorg float64, edge1 *polyEdge, edgey1 int, edgeleft1 bool, edge2 *polyEdge, edgey2 int, edgeleft2 bool) []Span {
	spans := w.buf[:0]
	xbase := cint(math.Floor(xorg))
	x0 := xorg - float64(xbase)
	ybase := iceil(yorg)
	y0 := yorg - float64(ybase)
	xlk := x0 + x0 + 1.0
	xrk := x0 + x0 - 1.0
	yk := y0 + y0 - 1.0
	radius := float64(w.lw) / 2.0
	y := cint(math.Floor(radius - y0 + 1.0))
	ybase -= y
	ymin := ybase
	ymax := 65536
	edge1IsMin := false
	ymin1 := edgey1
	if edge1.dy >= 0 {
		if edge1.dy == 0 {
			if edgeleft1 {
				edge1IsMin = true
			} else {
				ymax = edgey1
			}
			edgey1 = 65536
		} else if (edge1.signdx < 0) == edgeleft1 {
			edge1IsMin = true
		}
	}
	edge2IsMin := false
	ymin2 := edgey2
	if edge2.dy >= 0 {
		if edge2.dy == 0 {
			if edgeleft2 {
				edge2IsMin = true
			} else {
				ymax = edgey2
			}
			edgey2 = 65536
		} else if (edge2.signdx < 0) == edgeleft2 {
			edge2IsMin = true
		}
	}
	if edge1IsMin {
		ymin = ymin1
		if edge2IsMin && ymin1 > ymin2 {
			ymin = ymin2
		}
	} else if edge2IsMin {
		ymin = ymin2
	}
	el := radius*radius - ((float64(y) + y0) * (float64(y) + y0)) - (x0 * x0)
	er := el + xrk
	xl, xr := 1, 0
	if x0 < 0.5 {
		xl = 0
		el -= xlk
	}
	boty := 0
	if y0 < -0.5 {
		boty = 1
	}
	if ybase+y-boty > ymax {
		boty = ymax - ybase - y
	}
	for y > boty {
		k := float64(y<<1) + yk
		er += k
		for er > 0.0 {
			xr++
			er += xrk - float64(xr<<1)
		}
		el += k
		for el >= 0.0 {
			xl--
			el += float64(xl<<1) - xlk
		}
		y--
		ybase++
		if ybase < ymin {
			continue
		}
		xcl := xl + xbase
		xcr := xr + xbase
		clipStep(ybase, &edgey1, edge1, edgeleft1, &xcl, &xcr)
		clipStep(ybase, &edgey2, edge2, edgeleft2, &xcl, &xcr)
		if xcr >= xcl {
			spans = append(spans, Span{xcl, ybase, xcr - xcl + 1})
		}
	}
	er = xrk - float64(xr<<1) - er
	el = float64(xl<<1) - xlk - el
	boty = cint(math.Floor(-y0 - radius + 1.0))
	if ybase+y-boty > ymax {
		boty = ymax - ybase - y
	}
	for y > boty {
		k := float64(y<<1) + yk
		er -= k
		for er >= 0.0 && xr >= 0 {
			xr--
			er += xrk - float64(xr<<1)
		}
		el -= k
		for el > 0.0 && xl <= 0 {
			xl++
			el += float64(xl<<1) - xlk
		}
		y--
		ybase++
		if ybase < ymin {
			continue
		}
		xcl := xl + xbase
		xcr := xr + xbase
		clipStep(ybase, &edgey1, edge1, edgeleft1, &xcl, &xcr)
		clipStep(ybase, &edgey2, edge2, edgeleft2, &xcl, &xcr)
		if xcr >= xcl {
			spans = append(spans, Span{xcl, ybase, xcr - xcl + 1})
		}
	}
	w.buf = spans
	return spans
}

// roundJoinFace builds the edge that clips a round join at face
// (miRoundJoinFace).
func roundJoinFace(face *lineFace, edge *polyEdge) (y int, leftEdge bool) {
	dx := -face.dy
	dy := face.dx
	xa, ya := face.xa, face.ya
	left := true
	if ya > 0 {
		ya = 0.0
		xa = 0.0
	}
	if dy < 0 || (dy == 0 && dx > 0) {
		dx, dy = -dx, -dy
		left = !left
	}
	if dx == 0 && dy == 0 {
		dy = 1
	}
	if dy == 0 {
		y = iceil(face.ya) + face.y
		*edge = polyEdge{x: -32767, e: -1}
	} else {
		y = buildEdge(xa, ya, 0.0, dx, dy, face.x, face.y, !left, edge)
		edge.height = 32767
	}
	return y, !left
}

// roundCapClip builds the edge that clips a round cap at face
// (miRoundCapClip).
func roundCapClip(face *lineFace, isInt bool, edge *polyEdge) (y int, leftEdge bool) {
	dx := -face.dy
	dy := face.dx
	xa, ya := face.xa, face.ya
	k := 0.0
	if !isInt {
		k = face.k
	}
	left := true
	if dy < 0 || (dy == 0 && dx > 0) {
		dx, dy = -dx, -dy
		xa, ya = -xa, -ya
		left = !left
	}
	if dx == 0 && dy == 0 {
		dy = 1
	}
	if dy == 0 {
		y = iceil(face.ya) + face.y
		*edge = polyEdge{x: -32767, e: -1}
	} else {
		y = buildEdge(xa, ya, k, dx, dy, face.x, face.y, !left, edge)
		edge.height = 32767
	}
	return y, !left
}

// lineArc draws a round cap or join: a disc centred on the face(s), clipped
// so that it does not overlap the line (miLineArc).
func (w *wideLiner) lineArc(pixel uint32, leftFace, rightFace *lineFace, xorg, yorg float64, isInt bool) {
	var xorgi, yorgi int
	if isInt {
		if leftFace != nil {
			xorgi, yorgi = leftFace.x, leftFace.y
		} else {
			xorgi, yorgi = rightFace.x, rightFace.y
		}
	}
	// A disc wholly outside the clip is not computed: it costs as many
	// rows as the line is wide, and dashed lines have many. The span
	// groups still learn where it lies.
	cx, cy := xorg, yorg
	if isInt {
		cx, cy = float64(xorgi), float64(yorgi)
	}
	rad := float64(w.lw)/2 + 2
	ext := w.p.ext.Sub(w.p.c.Origin)
	top, bottom := int(math.Floor(cy-rad)), int(math.Ceil(cy+rad))
	if float64(ext.Max.X) < cx-rad || float64(ext.Min.X) > cx+rad ||
		ext.Max.Y < top || ext.Min.Y > bottom || ext.Empty() {
		if w.groups {
			clamp := func(v int) int { return min(max(v, ext.Min.Y-1), ext.Max.Y) }
			w.fillSet(pixel, nil, clamp(top), clamp(bottom))
		}
		return
	}
	edgey1, edgey2 := 65536, 65536
	edge1 := polyEdge{dy: -1}
	edge2 := polyEdge{dy: -1}
	edgeleft1, edgeleft2 := false, false
	gc := w.gc
	if (gc.LineStyle != LineSolid || w.lw > 2) &&
		((gc.CapStyle == CapRound && gc.JoinStyle != JoinRound) ||
			(gc.JoinStyle == JoinRound && gc.CapStyle == CapButt)) {
		if isInt {
			xorg, yorg = float64(xorgi), float64(yorgi)
		}
		switch {
		case leftFace != nil && rightFace != nil:
			// miRoundJoinClip
			denom := float64(-leftFace.dx)*float64(rightFace.dy) + float64(rightFace.dx)*float64(leftFace.dy)
			if denom >= 0 {
				leftFace.xa, leftFace.ya = -leftFace.xa, -leftFace.ya
			} else {
				rightFace.xa, rightFace.ya = -rightFace.xa, -rightFace.ya
			}
			edgey1, edgeleft1 = roundJoinFace(leftFace, &edge1)
			edgey2, edgeleft2 = roundJoinFace(rightFace, &edge2)
		case leftFace != nil:
			edgey1, edgeleft1 = roundCapClip(leftFace, isInt, &edge1)
		case rightFace != nil:
			edgey2, edgeleft2 = roundCapClip(rightFace, isInt, &edge2)
		}
		isInt = false
	}
	var spans []Span
	if isInt {
		spans = w.lineArcI(xorgi, yorgi)
	} else {
		spans = w.lineArcD(xorg, yorg, &edge1, edgey1, edgeleft1, &edge2, edgey2, edgeleft2)
	}
	w.fill(pixel, spans)
}

// projectingCap draws a projecting cap at face (miLineProjectingCap),
// including X.Org's use of x for y in one case, so the pixels match.
func (w *wideLiner) projectingCap(pixel uint32, face *lineFace, isLeft bool, xorg, yorg float64, isInt bool) {
	var xorgi, yorgi int
	if isInt {
		xorgi, yorgi = face.x, face.y
	}
	lw := w.lw
	dx, dy := face.dx, face.dy
	k := face.k
	var lefts, rights [4]polyEdge
	if dy == 0 {
		lefts[0] = polyEdge{height: lw, x: xorgi, signdx: 1, e: -lw, dy: lw}
		if isLeft {
			lefts[0].x -= lw >> 1
		}
		rights[0] = polyEdge{height: lw, x: xorgi, signdx: 1, e: -lw, dy: lw}
		if !isLeft {
			rights[0].x += (lw + 1) >> 1
		}
		w.fillPolyHelper(pixel, yorgi-(lw>>1), lw, lefts[:1], rights[:1])
		return
	}
	if dx == 0 {
		if dy < 0 {
			dy = -dy
			isLeft = !isLeft
		}
		topy := yorgi
		bottomy := yorgi + dy
		if isLeft {
			topy -= lw >> 1
		} else {
			bottomy += lw >> 1
		}
		lefts[0] = polyEdge{height: bottomy - topy, x: xorgi - (lw >> 1), signdx: 1, e: -dy, dx: dx, dy: dy}
		rights[0] = polyEdge{height: bottomy - topy, x: lefts[0].x + (lw - 1), signdx: 1, e: -dy, dx: dx, dy: dy}
		w.fillPolyHelper(pixel, topy, bottomy-topy, lefts[:1], rights[:1])
		return
	}
	xa, ya := face.xa, face.ya
	projectXoff := -ya
	projectYoff := xa
	var left, right, top, bottom *polyEdge
	if dx < 0 {
		right, left, top, bottom = &rights[1], &lefts[0], &rights[0], &lefts[1]
	} else {
		right, left, top, bottom = &rights[0], &lefts[1], &lefts[0], &rights[1]
	}
	var righty, lefty, topy, bottomy int
	var maxy float64
	if isLeft {
		righty = buildEdge(xa, ya, k, dx, dy, xorgi, yorgi, false, right)
		xa, ya, k = -xa, -ya, -k
		lefty = buildEdge(xa-projectXoff, ya-projectYoff, k, dx, dy, xorgi, yorgi, true, left)
		if dx > 0 {
			ya, xa = -ya, -xa
		}
		xap := xa - projectXoff
		yap := ya - projectYoff
		topy = buildEdge(xap, yap, xap*float64(dx)+yap*float64(dy), -dy, dx, xorgi, yorgi, dx > 0, top)
		bottomy = buildEdge(xa, ya, 0.0, -dy, dx, xorgi, yorgi, dx < 0, bottom)
		maxy = -ya
	} else {
		righty = buildEdge(xa-projectXoff, ya-projectYoff, k, dx, dy, xorgi, yorgi, false, right)
		xa, ya, k = -xa, -ya, -k
		lefty = buildEdge(xa, ya, k, dx, dy, xorgi, yorgi, true, left)
		if dx > 0 {
			ya, xa = -ya, -xa
		}
		xap := xa - projectXoff
		yap := ya - projectYoff
		topy = buildEdge(xa, ya, 0.0, -dy, dx, xorgi, xorgi, dx > 0, top)
		bottomy = buildEdge(xap, yap, xap*float64(dx)+yap*float64(dy), -dy, dx, xorgi, xorgi, dx < 0, bottom)
		maxy = -ya + projectYoff
	}
	finaly := iceil(maxy) + yorgi
	if dx < 0 {
		left.height = bottomy - lefty
		right.height = finaly - righty
		top.height = righty - topy
	} else {
		right.height = bottomy - righty
		left.height = finaly - lefty
		top.height = lefty - topy
	}
	bottom.height = finaly - bottomy
	w.fillPolyHelper(pixel, topy, bottom.height+bottomy-topy, lefts[:2], rights[:2])
}

// wideSegment draws one segment as a polygon and sets its faces
// (miWideSegment).
func (w *wideLiner) wideSegment(pixel uint32, x1, y1, x2, y2 int, projectLeft, projectRight bool, leftFace, rightFace *lineFace) {
	lw := w.lw
	// Draw top to bottom always.
	if y2 < y1 || (y2 == y1 && x2 < x1) {
		x1, x2 = x2, x1
		y1, y2 = y2, y1
		projectLeft, projectRight = projectRight, projectLeft
		leftFace, rightFace = rightFace, leftFace
	}
	dy := y2 - y1
	signdx := 1
	dx := x2 - x1
	if dx < 0 {
		signdx = -1
	}
	leftFace.x, leftFace.y, leftFace.dx, leftFace.dy = x1, y1, dx, dy
	rightFace.x, rightFace.y, rightFace.dx, rightFace.dy = x2, y2, -dx, -dy

	if dy == 0 {
		rightFace.xa = 0
		rightFace.ya = float64(lw) / 2.0
		rightFace.k = -float64(lw*dx) / 2.0
		leftFace.xa = 0
		leftFace.ya = -rightFace.ya
		leftFace.k = rightFace.k
		x := x1
		if projectLeft {
			x -= lw >> 1
		}
		y := y1 - (lw >> 1)
		dx = x2 - x
		if projectRight {
			dx += (lw + 1) >> 1
		}
		w.fillRect(pixel, x, y, dx, lw)
		return
	}
	if dx == 0 {
		leftFace.xa = float64(lw) / 2.0
		leftFace.ya = 0
		leftFace.k = float64(lw*dy) / 2.0
		rightFace.xa = -leftFace.xa
		rightFace.ya = 0
		rightFace.k = leftFace.k
		y := y1
		if projectLeft {
			y -= lw >> 1
		}
		x := x1 - (lw >> 1)
		dy = y2 - y
		if projectRight {
			dy += (lw + 1) >> 1
		}
		w.fillRect(pixel, x, y, lw, dy)
		return
	}

	l := float64(lw) / 2.0
	L := crHypot(float64(dx), float64(dy))
	var lefts, rights [4]polyEdge
	var left, right, top, bottom *polyEdge
	if dx < 0 {
		right, left, top, bottom = &rights[1], &lefts[0], &rights[0], &lefts[1]
	} else {
		right, left, top, bottom = &rights[0], &lefts[1], &lefts[0], &rights[1]
	}
	r := l / L

	// Coordinates of the upper bound at integral y.
	ya := -r * float64(dx)
	xa := r * float64(dy)
	var projectXoff, projectYoff float64
	if projectLeft || projectRight {
		projectXoff = -ya
		projectYoff = xa
	}
	// xa * dy - ya * dx
	k := l * L
	leftFace.xa, leftFace.ya, leftFace.k = xa, ya, k
	rightFace.xa, rightFace.ya, rightFace.k = -xa, -ya, k

	var righty, lefty, topy, bottomy int
	if projectLeft {
		righty = buildEdge(xa-projectXoff, ya-projectYoff, k, dx, dy, x1, y1, false, right)
	} else {
		righty = buildEdge(xa, ya, k, dx, dy, x1, y1, false, right)
	}
	// Coordinates of the lower bound at integral y.
	ya, xa, k = -ya, -xa, -k
	if projectLeft {
		lefty = buildEdge(xa-projectXoff, ya-projectYoff, k, dx, dy, x1, y1, true, left)
	} else {
		lefty = buildEdge(xa, ya, k, dx, dy, x1, y1, true, left)
	}
	// Coordinates of the top face at integral y.
	if signdx > 0 {
		ya, xa = -ya, -xa
	}
	if projectLeft {
		xap := xa - projectXoff
		yap := ya - projectYoff
		topy = buildEdge(xap, yap, xap*float64(dx)+yap*float64(dy), -dy, dx, x1, y1, dx > 0, top)
	} else {
		topy = buildEdge(xa, ya, 0.0, -dy, dx, x1, y1, dx > 0, top)
	}
	// Coordinates of the bottom face at integral y.
	var maxy float64
	if projectRight {
		xap := xa + projectXoff
		yap := ya + projectYoff
		bottomy = buildEdge(xap, yap, xap*float64(dx)+yap*float64(dy), -dy, dx, x2, y2, dx < 0, bottom)
		maxy = -ya + projectYoff
	} else {
		bottomy = buildEdge(xa, ya, 0.0, -dy, dx, x2, y2, dx < 0, bottom)
		maxy = -ya
	}
	finaly := iceil(maxy) + y2
	if dx < 0 {
		left.height = bottomy - lefty
		right.height = finaly - righty
		top.height = righty - topy
	} else {
		right.height = bottomy - righty
		left.height = finaly - lefty
		top.height = lefty - topy
	}
	bottom.height = finaly - bottomy
	w.fillPolyHelper(pixel, topy, bottom.height+bottomy-topy, lefts[:2], rights[:2])
}

// wideLine draws a wide PolyLine.
func wideLine(c Canvas, gc *GC, pts []image.Point) {
	w := newWideLiner(c, gc)
	w.polyLine(pts)
	w.p.done()
}

func (w *wideLiner) solidLine(pts []image.Point) {
	gc := w.gc
	pixel := gc.Foreground
	npt := len(pts)
	x2, y2 := pts[0].X, pts[0].Y
	first := true
	selfJoin := npt > 1 && pts[0] == pts[npt-1]
	projectLeft := gc.CapStyle == CapProjecting && !selfJoin
	projectRight := false
	somethingDrawn := false
	var leftFace, rightFace, prevRightFace, firstFace lineFace
	for i := 1; i < npt; i++ {
		x1, y1 := x2, y2
		x2, y2 = pts[i].X, pts[i].Y
		last := i == npt-1
		if x1 != x2 || y1 != y2 {
			somethingDrawn = true
			if last && gc.CapStyle == CapProjecting && !selfJoin {
				projectRight = true
			}
			w.wideSegment(pixel, x1, y1, x2, y2, projectLeft, projectRight, &leftFace, &rightFace)
			if first {
				if selfJoin {
					firstFace = leftFace
				} else if gc.CapStyle == CapRound {
					if w.lw == 1 && !w.groups {
						w.onePoint(pixel, x1, y1)
					} else {
						w.lineArc(pixel, &leftFace, nil, 0, 0, true)
					}
				}
			} else {
				w.lineJoin(pixel, &leftFace, &prevRightFace)
			}
			prevRightFace = rightFace
			first = false
			projectLeft = false
		}
		if last && somethingDrawn {
			if selfJoin {
				w.lineJoin(pixel, &firstFace, &rightFace)
			} else if gc.CapStyle == CapRound {
				if w.lw == 1 && !w.groups {
					w.onePoint(pixel, x2, y2)
				} else {
					w.lineArc(pixel, nil, &rightFace, 0, 0, true)
				}
			}
		}
	}
	// All points coincide.
	if !somethingDrawn {
		projectLeft = gc.CapStyle == CapProjecting
		w.wideSegment(pixel, x2, y2, x2, y2, projectLeft, projectLeft, &leftFace, &rightFace)
		if gc.CapStyle == CapRound {
			w.lineArc(pixel, &leftFace, nil, 0, 0, true)
			rightFace.dx = -1 // as X.Org: makes the second half come out
			w.lineArc(pixel, nil, &rightFace, 0, 0, true)
		}
	}
}
