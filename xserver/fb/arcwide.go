package fb

import (
	"image"
	"math"
)

// Wide arcs follow X.Org's miarc.c. The outline of a wide ellipse is found
// row by row by solving a quartic (the rows where a circle of the line's
// radius, rolled along the ellipse, touches them), in floating point; arcs
// are cut into quadrant pieces, and their ends get caps and joins that are
// small polygons and discs. The arithmetic is kept in X.Org's order so
// that the pixels match.

const (
	arcEpsilon = 0.000001
	cubedRoot2 = 1.2599210498948732038115849718451499938964
	cubedRoot4 = 1.5874010519681993173435330390930175781250
)

var degPerRad = 180.0 / dPi

func isEqual(a, b float64) bool { return math.Abs(a-b) <= arcEpsilon }

type sppPoint struct{ x, y float64 }

func ptIsEqual(a, b sppPoint) bool { return isEqual(a.x, b.x) && isEqual(a.y, b.y) }

// An sppArc is an arc with sub-pixel position, angles in degrees.
type sppArc struct {
	x, y, width, height float64
	angle1, angle2      float64
}

// An arcFace is one end of a wide arc: the points on the outer edge
// (clockwise), the ellipse, and the inner edge.
type arcFace struct {
	clock, center, counterClock sppPoint
}

type bound struct{ min, max float64 }

type ibound struct{ min, max int }

func (b bound) has(v float64) bool { return b.min <= v && v <= b.max }

func (b ibound) has(v int) bool { return b.min <= v && v <= b.max }

type arcLine struct {
	m, b  float64
	valid bool
}

func (l arcLine) at(y float64) float64 { return l.m*y + l.b }

// arcBound holds y bounds of the parts of an arc.
type arcBound struct {
	ellipse, inner, outer, right, left bound
	inneri, outeri                     ibound
}

type arcAcc struct {
	tailY                           float64
	h2, w2, h4, w4, h2mw2, h2l, w2l float64
	fromIntX, fromIntY              float64
	left, right                     arcLine
	yorgu, yorgl, xorg              int
}

type arcDef struct {
	w, h, l, a0, a1 float64
}

// miArcSpan: X.Org keeps these in shorts.
type arcSpanRec struct {
	lx, lw, rx, rw int16
}

type arcSpanData struct {
	spans          []arcSpanRec
	count1, count2 int
	k              int
	top, bot, hole bool
}

const (
	rightEnd = 0
	leftEnd  = 1
)

type arcDataRec struct {
	arc      Arc
	render   bool
	join     int
	cap      int
	selfJoin bool
	bounds   [2]arcFace
	hidden   bool // wholly outside the clip, with its caps and joins
}

type arcJoinRec struct {
	arcIndex0, arcIndex1 int
	phase0, phase1       int
	end0, end1           int
}

type arcCapRec struct {
	arcIndex, end int
}

type polyArcRec struct {
	arcs  []arcDataRec
	caps  []arcCapRec
	joins []arcJoinRec
}

// A wideArcer draws the wide arcs of one request. Like X.Org, it gathers
// the spans of each connected run of arcs, with its caps and joins, and
// paints their union, so no pixel is painted twice.
type wideArcer struct {
	p      *painter
	gc     *GC
	lw     int
	pen    int
	final  []Span // the spans gathered, in drawable coordinates
	ext    image.Rectangle
	crop   image.Rectangle // for functions that read the destination
	tricky bool

	// The spans of the last ellipse outline computed: dashed arcs draw
	// many pieces of one ellipse.
	spKey  [3]int
	spLast *arcSpanData
}

// wideEllipse returns computeWideEllipse(lw, a), reusing the last result
// when the size is the same.
func (w *wideArcer) wideEllipse(lw int, a Arc) *arcSpanData {
	key := [3]int{lw, a.Width, a.Height}
	if w.spLast == nil || w.spKey != key {
		w.spKey = key
		w.spLast = computeWideEllipse(lw, a)
	}
	return w.spLast
}

func newWideArcer(p *painter, gc *GC) *wideArcer {
	return &wideArcer{p: p, gc: gc, lw: lineWidth(gc), ext: p.ext.Sub(p.c.Origin)}
}

// newFinalSpan adds the pixels [xmin, xmax) of row y.
func (w *wideArcer) newFinalSpan(y, xmin, xmax int) {
	if xmax <= xmin || y < w.ext.Min.Y || y >= w.ext.Max.Y {
		return
	}
	w.final = append(w.final, Span{xmin, y, xmax - xmin})
}

// addSpan adds a span given by start and width, as FillSpans takes them.
func (w *wideArcer) addSpan(x, y, wd int) {
	w.newFinalSpan(y, x, x+wd)
}

// fillSpans paints the union of what was gathered.
func (w *wideArcer) fillSpans() {
	ss := unionSpans(w.final)
	for _, s := range ss {
		if w.tricky {
			r := image.Rect(s.X, s.Y, s.X+s.W, s.Y+1).Intersect(w.crop)
			if r.Empty() {
				continue
			}
			s = Span{r.Min.X, r.Min.Y, r.Dx()}
		}
		w.p.span(w.pen, s.X, s.Y, s.W)
	}
	w.p.flush()
	w.final = w.final[:0]
}

// wideArcs draws arcs with line width gc.LineWidth (0 for ellipses too
// large for the zero-width algorithm) or dashed (miWideArc).
func (w *wideArcer) wideArcs(parcs []Arc) {
	gc := w.gc
	if w.lw == 0 && gc.LineStyle == LineSolid {
		for _, a := range parcs {
			w.arcSegment(a, nil, nil)
		}
		w.fillSpans()
		return
	}
	if gc.LineStyle == LineSolid {
		for len(parcs) > 0 && parcs[0].Width != 0 && parcs[0].Height != 0 &&
			(parcs[0].Angle2 >= fullCircle || parcs[0].Angle2 <= -fullCircle) {
			w.fillWideEllipse(parcs[0])
			parcs = parcs[1:]
		}
		if len(parcs) == 0 {
			return
		}
	}
	var xOrg, yOrg int
	switch gc.Func {
	case FuncClear, FuncCopy, FuncCopyInverted, FuncSet:
	default:
		// X.Org draws into a scratch bitmap covering the arcs' bounds and
		// pushes it through the GC: pixels outside those bounds are lost.
		w.tricky = true
		xMin, yMin := maxShort, maxShort
		xMax, yMax := minShort, minShort
		for _, a := range parcs {
			xMin = min(xMin, a.X)
			yMin = min(yMin, a.Y)
			xMax = max(xMax, a.X+a.Width)
			yMax = max(yMax, a.Y+a.Height)
		}
		half := (w.lw + 1) / 2
		xMin -= half
		yMin -= half
		xMax += half
		yMax += half
		xOrg = max(xMin, 0)
		yOrg = max(yMin, 0)
		if xMax-xOrg <= 0 || yMax-yOrg <= 0 {
			return
		}
		w.crop = image.Rect(0, 0, xMax-xOrg, yMax-yOrg)
		moved := make([]Arc, len(parcs))
		for i, a := range parcs {
			a.X -= xOrg
			a.Y -= yOrg
			moved[i] = a
		}
		parcs = moved
		w.ext = w.ext.Sub(image.Pt(xOrg, yOrg))
		w.p.c.Origin = w.p.c.Origin.Add(image.Pt(xOrg, yOrg))
		defer func() {
			w.p.c.Origin = w.p.c.Origin.Sub(image.Pt(xOrg, yOrg))
		}()
	}

	polyArcs := computeArcs(parcs, gc)
	var capi, joini [2]int
	for iphase := len(polyArcs) - 1; iphase >= 0; iphase-- {
		w.pen = penFg
		if iphase == 1 {
			w.pen = penBg
		}
		pa := &polyArcs[iphase]
		for i := range pa.arcs {
			ad := &pa.arcs[i]
			ad.hidden = w.arcHidden(ad.arc)
			if !ad.hidden {
				w.arcSegment(ad.arc, &ad.bounds[rightEnd], &ad.bounds[leftEnd])
			}
			if !ad.render {
				continue
			}
			// Don't cap self-joining arcs.
			if ad.selfJoin && capi[iphase] < ad.cap {
				capi[iphase]++
			}
			for capi[iphase] < ad.cap && capi[iphase] < len(pa.caps) {
				c := pa.caps[capi[iphase]]
				a0 := &pa.arcs[c.arcIndex]
				if !a0.hidden {
					w.arcCap(&a0.bounds[c.end], a0.arc.X, a0.arc.Y,
						float64(a0.arc.Width)/2.0, float64(a0.arc.Height)/2.0)
				}
				capi[iphase]++
			}
			for joini[iphase] < ad.join && joini[iphase] < len(pa.joins) {
				j := pa.joins[joini[iphase]]
				a0 := &polyArcs[j.phase0].arcs[j.arcIndex0]
				a1 := &polyArcs[j.phase1].arcs[j.arcIndex1]
				if a0.hidden || a1.hidden {
					joini[iphase]++
					continue
				}
				w.arcJoin(&a0.bounds[j.end0], &a1.bounds[j.end1],
					a0.arc.X, a0.arc.Y, float64(a0.arc.Width)/2.0, float64(a0.arc.Height)/2.0,
					a1.arc.X, a1.arc.Y, float64(a1.arc.Width)/2.0, float64(a1.arc.Height)/2.0)
				joini[iphase]++
			}
			w.fillSpans()
		}
	}
}

// arcHidden reports whether an arc, its width and any cap or join at its
// ends lie wholly outside the clip: the dashes of a huge ellipse are many,
// and only those near the clip need computing. The box is that of the
// ellipse's points between the arc's angles, grown by six line widths
// (caps and joins, miters included, reach less far).
func (w *wideArcer) arcHidden(a Arc) bool {
	a1 := a.Angle1
	a2 := clampAngle(a.Angle2)
	if a2 < 0 {
		a1, a2 = a1+a2, -a2
	}
	cx := float64(a.X) + float64(a.Width)/2
	cy := float64(a.Y) + float64(a.Height)/2
	rx, ry := float64(a.Width)/2, float64(a.Height)/2
	pt := func(ang int) (float64, float64) {
		t := float64(ang) * radPer64
		return cx + rx*math.Cos(t), cy - ry*math.Sin(t)
	}
	x0, y0 := pt(a1)
	x1, y1 := x0, y0
	add := func(x, y float64) {
		x0, x1 = math.Min(x0, x), math.Max(x1, x)
		y0, y1 = math.Min(y0, y), math.Max(y1, y)
	}
	add(pt(a1 + a2))
	// The axis points the arc passes.
	for q := (a1/quadrant - 1) * quadrant; q <= a1+a2+quadrant; q += quadrant {
		if q >= a1 && q <= a1+a2 {
			add(pt(q))
		}
	}
	m := 6*float64(max(w.lw, 1)) + 4
	e := w.ext
	return x1+m < float64(e.Min.X) || x0-m > float64(e.Max.X) ||
		y1+m < float64(e.Min.Y) || y0-m > float64(e.Max.Y)
}

// fillWideEllipse draws a whole solid wide ellipse (miFillWideEllipse),
// painting its spans directly.
func (w *wideArcer) fillWideEllipse(a Arc) {
	spdata := w.wideEllipse(w.lw, a)
	p := w.p
	xorg := a.X + (a.Width >> 1)
	yorgu := a.Y + (a.Height >> 1)
	yorgl := yorgu + (a.Height & 1)
	yorgu -= spdata.k
	yorgl += spdata.k
	si := 0
	if spdata.top {
		p.span(penFg, xorg, yorgu-1, 1)
		si++
	}
	for n := spdata.count1; n > 0; n-- {
		s := spdata.spans[si]
		p.span(penFg, xorg+int(s.lx), yorgu, int(s.lw))
		p.span(penFg, xorg+int(s.lx), yorgl, int(s.lw))
		yorgu++
		yorgl--
		si++
	}
	if spdata.hole {
		p.span(penFg, xorg, yorgl, 1)
	}
	for n := spdata.count2; n > 0; n-- {
		s := spdata.spans[si]
		p.span(penFg, xorg+int(s.lx), yorgu, int(s.lw))
		p.span(penFg, xorg+int(s.rx), yorgu, int(s.rw))
		p.span(penFg, xorg+int(s.lx), yorgl, int(s.lw))
		p.span(penFg, xorg+int(s.rx), yorgl, int(s.rw))
		yorgu++
		yorgl--
		si++
	}
	if spdata.bot {
		s := spdata.spans[si]
		p.span(penFg, xorg+int(s.lx), yorgu, int(s.lw))
		if s.rw > 0 {
			p.span(penFg, xorg+int(s.rx), yorgu, int(s.rw))
		}
	}
	p.flush()
}

// computeWideEllipse computes the spans of the top half of a wide ellipse
// outline (miComputeWideEllipse).
func computeWideEllipse(lw int, a Arc) *arcSpanData {
	if lw == 0 {
		lw = 1
	}
	k := (a.Height >> 1) + ((lw - 1) >> 1)
	sp := &arcSpanData{spans: make([]arcSpanRec, k+2), k: k}
	sp.top = lw&1 == 0 && a.Width&1 == 0
	sp.bot = a.Height&1 == 0
	if a.Width == a.Height {
		computeCircleSpans(lw, a, sp)
	} else {
		computeEllipseSpans(lw, a, sp)
	}
	return sp
}

// wideArcSetup is MIWIDEARCSETUP.
func wideArcSetup(dy, slw int) (x, y, e, xk, xm, yk, ym int) {
	x = 0
	y = slw >> 1
	yk = y << 3
	xm = 8
	ym = 8
	if dy != 0 {
		xk = 0
		if slw&1 != 0 {
			e = -1
		} else {
			e = -(y << 2) - 2
		}
	} else {
		y++
		yk += 4
		xk = -4
		if slw&1 != 0 {
			e = -(y << 2) - 3
		} else {
			e = -(y << 3)
		}
	}
	return
}

// computeCircleSpans is miComputeCircleSpans: integer stepping of the
// outer and inner circles.
func computeCircleSpans(lw int, a Arc, sp *arcSpanData) {
	doinner := -lw
	slw := a.Width - doinner
	dy := a.Height & 1
	dx := 1 - dy
	var out, in fillArcState
	out.x, out.y, out.e, out.xk, out.xm, out.yk, out.ym = wideArcSetup(dy, slw)
	out.dx, out.dy = dx, dy
	inslw := a.Width + doinner
	if inslw > 0 {
		sp.hole = sp.top
		in.x, in.y, in.e, in.xk, in.xm, in.yk, in.ym = wideArcSetup(dy, inslw)
		in.dx, in.dy = dx, dy
	} else {
		sp.hole = false
		doinner = -out.y
	}
	top := 0
	if sp.top {
		top = 1
	}
	sp.count1 = -doinner - top
	sp.count2 = out.y + doinner
	i := 0
	for out.y != 0 {
		slw = out.step()
		s := &sp.spans[i]
		s.lx = int16(dy - out.x)
		doinner++
		if doinner <= 0 {
			s.lw = int16(slw)
			s.rx = 0
			s.rw = s.lx + int16(slw)
		} else {
			inslw = in.step()
			s.lw = int16(out.x - in.x)
			s.rx = int16(dy - in.x + inslw)
			s.rw = int16(in.x - out.x + slw - inslw)
		}
		i++
	}
	if sp.bot {
		if sp.count2 != 0 {
			sp.count2--
		} else if i > 0 {
			if lw > a.Height {
				v := int16(-((lw - a.Height) >> 1))
				sp.spans[i-1].rx, sp.spans[i-1].rw = v, v
			} else {
				sp.spans[i-1].rw = 0
			}
			sp.count1--
		}
	}
}

// computeEllipseSpans is miComputeEllipseSpans: for each row, solve the
// quartic for the inner and outer edges.
func computeEllipseSpans(lw int, a Arc, sp *arcSpanData) {
	w := float64(a.Width) / 2.0
	h := float64(a.Height) / 2.0
	r := float64(lw) / 2.0
	rs := r * r
	Hs := h * h
	WH := w*w - Hs
	Nk := w * r
	Vk := (Nk * Hs) / (WH + WH)
	Hf := Hs * Hs
	Nk = (Hf - Nk*Nk) / WH
	Fk := Hf / WH
	hepp := h + arcEpsilon
	hepm := h - arcEpsilon
	K := h + float64((lw-1)>>1)
	xorg := 0.0
	if a.Width&1 != 0 {
		xorg = .5
	}
	i := 0
	if sp.top {
		sp.spans[0] = arcSpanRec{lx: 0, lw: 1}
		i++
	}
	sp.count1 = 0
	sp.count2 = 0
	sp.hole = sp.top && a.Height*lw <= a.Width*a.Width && lw < a.Height
	var outx, inx float64
	for ; K > 0.0; K -= 1.0 {
		N := (K*K + Nk) / 6.0
		Nc := N * N * N
		Vr := Vk * K
		t := Nc + Vr*Vr
		d := Nc + t
		var Z float64
		var flip int
		if d < 0.0 {
			d = Nc
			b := N
			if (b < 0.0) == (t < 0.0) {
				b = -b
				d = -d
			}
			Z = N - 2.0*b*crCos(crAcos(-t/d)/3.0)
			if (Z < 0.0) == (Vr < 0.0) {
				flip = 2
			} else {
				flip = 1
			}
		} else {
			d = Vr * math.Sqrt(d)
			Z = N + math.Cbrt(t+d) + math.Cbrt(t-d)
			flip = 0
		}
		A := math.Sqrt((Z + Z) - Nk)
		T := (Fk - Z) * K / A
		inx = 0.0
		solution := false
		b := -A + K
		d = b*b - 4*(Z+T)
		if d >= 0 {
			d = math.Sqrt(d)
			y := (b + d) / 2
			if y >= 0.0 && y < hepp {
				solution = true
				if y > hepm {
					y = h
				}
				t = y / h
				x := w * math.Sqrt(1-(t*t))
				t = K - y
				if rs-(t*t) >= 0 {
					t = math.Sqrt(rs - (t * t))
				} else {
					t = 0
				}
				if flip == 2 {
					inx = x - t
				} else {
					outx = x + t
				}
			}
		}
		b = A + K
		d = b*b - 4*(Z-T)
		// Because of the large magnitudes involved, precision is lost and
		// d sometimes comes out negative near the axis (X.Org's workaround).
		if d < 0 && !solution {
			d = 0.0
		}
		if d >= 0 {
			d = math.Sqrt(d)
			y := (b + d) / 2
			if y < hepp {
				if y > hepm {
					y = h
				}
				t = y / h
				x := w * math.Sqrt(1-(t*t))
				t = K - y
				if rs-(t*t) >= 0 {
					inx = x - math.Sqrt(rs-(t*t))
				} else {
					inx = x
				}
			}
			y = (b - d) / 2
			if y >= 0.0 {
				if y > hepm {
					y = h
				}
				t = y / h
				x := w * math.Sqrt(1-(t*t))
				t = K - y
				if rs-(t*t) >= 0 {
					t = math.Sqrt(rs - (t * t))
				} else {
					t = 0
				}
				if flip == 1 {
					inx = x - t
				} else {
					outx = x + t
				}
			}
		}
		s := &sp.spans[i]
		s.lx = int16(iceil(xorg - outx))
		if inx <= 0.0 {
			sp.count1++
			s.lw = int16(iceil(xorg+outx) - int(s.lx))
			s.rx = int16(iceil(xorg + inx))
			s.rw = int16(-iceil(xorg - inx))
		} else {
			sp.count2++
			s.lw = int16(iceil(xorg-inx) - int(s.lx))
			s.rx = int16(iceil(xorg + inx))
			s.rw = int16(iceil(xorg+outx) - int(s.rx))
		}
		i++
	}
	if sp.bot {
		outx = w + r
		switch {
		case r >= h && r <= w:
			inx = 0.0
		case Nk < 0.0 && -Nk < Hs:
			inx = w*math.Sqrt(1+Nk/Hs) - math.Sqrt(rs+Nk)
			if inx > w-r {
				inx = w - r
			}
		default:
			inx = w - r
		}
		s := &sp.spans[i]
		s.lx = int16(iceil(xorg - outx))
		if inx <= 0.0 {
			s.lw = int16(iceil(xorg+outx) - int(s.lx))
			s.rx = int16(iceil(xorg + inx))
			s.rw = int16(-iceil(xorg - inx))
		} else {
			s.lw = int16(iceil(xorg-inx) - int(s.lx))
			s.rx = int16(iceil(xorg + inx))
			s.rw = int16(iceil(xorg+outx) - int(s.rx))
		}
	}
	if sp.hole {
		s := &sp.spans[sp.count1]
		s.lw = -s.lx
		s.rx = 1
		s.rw = s.lw
		sp.count1--
		sp.count2++
	}
}

// tailX is the x of the inner edge's "tail" at row K (X.Org's tailX).
func tailX(K float64, def *arcDef, bounds *arcBound, acc *arcAcc) float64 {
	w := def.w
	h := def.h
	r := def.l
	rs := r * r
	Hs := acc.h2
	WH := -acc.h2mw2
	Nk := def.w * r
	Vk := (Nk * Hs) / (WH + WH)
	Hf := acc.h4
	Nk = (Hf - Nk*Nk) / WH
	if K == 0.0 {
		if Nk < 0.0 && -Nk < Hs {
			xs0 := w*math.Sqrt(1+Nk/Hs) - math.Sqrt(rs+Nk)
			xs1 := w - r
			if acc.left.valid && bounds.left.has(K) && !bounds.outer.has(K) && xs0 >= 0.0 && xs1 >= 0.0 {
				return xs1
			}
			if acc.right.valid && bounds.right.has(K) && !bounds.inner.has(K) && xs0 <= 0.0 && xs1 <= 0.0 {
				return xs1
			}
			return xs0
		}
		return w - r
	}
	Fk := Hf / WH
	hepp := h + arcEpsilon
	hepm := h - arcEpsilon
	N := (K*K + Nk) / 6.0
	Nc := N * N * N
	Vr := Vk * K
	var xs [2]float64
	nx := 0
	t := Nc + Vr*Vr
	d := Nc + t
	var Z float64
	var flip int
	if d < 0.0 {
		d = Nc
		b := N
		if (b < 0.0) == (t < 0.0) {
			b = -b
			d = -d
		}
		Z = N - 2.0*b*crCos(crAcos(-t/d)/3.0)
		if (Z < 0.0) == (Vr < 0.0) {
			flip = 2
		} else {
			flip = 1
		}
	} else {
		d = Vr * math.Sqrt(d)
		Z = N + math.Cbrt(t+d) + math.Cbrt(t-d)
		flip = 0
	}
	A := math.Sqrt((Z + Z) - Nk)
	T := (Fk - Z) * K / A
	solution := false
	b := -A + K
	d = b*b - 4*(Z+T)
	if d >= 0 && flip == 2 {
		d = math.Sqrt(d)
		y := (b + d) / 2
		if y >= 0.0 && y < hepp {
			solution = true
			if y > hepm {
				y = h
			}
			t = y / h
			x := w * math.Sqrt(1-(t*t))
			t = K - y
			if rs-(t*t) >= 0 {
				t = math.Sqrt(rs - (t * t))
			} else {
				t = 0
			}
			xs[nx] = x - t
			nx++
		}
	}
	b = A + K
	d = b*b - 4*(Z-T)
	if d < 0 && !solution {
		d = 0.0
	}
	if d >= 0 {
		d = math.Sqrt(d)
		y := (b + d) / 2
		if y < hepp {
			if y > hepm {
				y = h
			}
			t = y / h
			x := w * math.Sqrt(1-(t*t))
			t = K - y
			if nx < 2 {
				if rs-(t*t) >= 0 {
					xs[nx] = x - math.Sqrt(rs-(t*t))
				} else {
					xs[nx] = x
				}
			}
			nx++
		}
		y = (b - d) / 2
		if y >= 0.0 && flip == 1 {
			if y > hepm {
				y = h
			}
			t = y / h
			x := w * math.Sqrt(1-(t*t))
			t = K - y
			if rs-(t*t) >= 0 {
				t = math.Sqrt(rs - (t * t))
			} else {
				t = 0
			}
			if nx < 2 {
				xs[nx] = x - t
			}
			nx++
		}
	}
	if nx > 1 {
		if acc.left.valid && bounds.left.has(K) && !bounds.outer.has(K) && xs[0] >= 0.0 && xs[1] >= 0.0 {
			return xs[1]
		}
		if acc.right.valid && bounds.right.has(K) && !bounds.inner.has(K) && xs[0] <= 0.0 && xs[1] <= 0.0 {
			return xs[1]
		}
	}
	return xs[0]
}

// tailEllipseY computes the ellipse y of the bottom of the tail.
func tailEllipseY(def *arcDef, acc *arcAcc) {
	acc.tailY = 0.0
	if def.w == def.h {
		return
	}
	t := def.l * def.w
	if def.w > def.h {
		if t < acc.h2 {
			return
		}
	} else if t > acc.h2 {
		return
	}
	t = 2.0 * def.h * t
	t = (cubedRoot4*acc.h2 - math.Cbrt(t*t)) / acc.h2mw2
	if t > 0.0 {
		acc.tailY = def.h / cubedRoot2 * math.Sqrt(t)
	}
}

func outerXfromXY(x, y float64, acc *arcAcc) float64 {
	return x + (x*acc.h2l)/math.Sqrt(x*x*acc.h4+y*y*acc.w4)
}

func outerYfromXY(x, y float64, acc *arcAcc) float64 {
	return y + (y*acc.w2l)/math.Sqrt(x*x*acc.h4+y*y*acc.w4)
}

func innerXfromXY(x, y float64, acc *arcAcc) float64 {
	return x - (x*acc.h2l)/math.Sqrt(x*x*acc.h4+y*y*acc.w4)
}

func innerYfromXY(x, y float64, acc *arcAcc) float64 {
	return y - (y*acc.w2l)/math.Sqrt(x*x*acc.h4+y*y*acc.w4)
}

func innerYfromY(y float64, def *arcDef, acc *arcAcc) float64 {
	x := (def.w / def.h) * math.Sqrt(acc.h2-y*y)
	return y - (y*acc.w2l)/math.Sqrt(x*x*acc.h4+y*y*acc.w4)
}

func computeLine(x1, y1, x2, y2 float64, l *arcLine) {
	if y1 == y2 {
		l.valid = false
		return
	}
	l.m = (x1 - x2) / (y1 - y2)
	l.b = x1 - y1*l.m
	l.valid = true
}

func computeAcc(a Arc, lw int, def *arcDef, acc *arcAcc) {
	def.w = float64(a.Width) / 2.0
	def.h = float64(a.Height) / 2.0
	def.l = float64(lw) / 2.0
	acc.h2 = def.h * def.h
	acc.w2 = def.w * def.w
	acc.h4 = acc.h2 * acc.h2
	acc.w4 = acc.w2 * acc.w2
	acc.h2l = acc.h2 * def.l
	acc.w2l = acc.w2 * def.l
	acc.h2mw2 = acc.h2 - acc.w2
	acc.fromIntX = 0.0
	if a.Width&1 != 0 {
		acc.fromIntX = 0.5
	}
	acc.fromIntY = 0.0
	if a.Height&1 != 0 {
		acc.fromIntY = 0.5
	}
	acc.xorg = a.X + (a.Width >> 1)
	acc.yorgu = a.Y + (a.Height >> 1)
	acc.yorgl = acc.yorgu + (a.Height & 1)
	tailEllipseY(def, acc)
}

// Dsin and Dcos of miarc.c: exact at 0 and 90 degrees.
func arcDsin(d float64) float64 {
	switch d {
	case 0.0:
		return 0.0
	case 90.0:
		return 1.0
	}
	return crSin(d * dPi / 180.0)
}

func arcDcos(d float64) float64 {
	switch d {
	case 0.0:
		return 1.0
	case 90.0:
		return 0.0
	}
	return crCos(d * dPi / 180.0)
}

func computeBound(def *arcDef, b *arcBound, acc *arcAcc, right, left *arcFace) {
	var ellipsex, innerx, outerx bound
	b.ellipse.min = arcDsin(def.a0) * def.h
	b.ellipse.max = arcDsin(def.a1) * def.h
	if def.a0 == 45 && def.w == def.h {
		ellipsex.min = b.ellipse.min
	} else {
		ellipsex.min = arcDcos(def.a0) * def.w
	}
	if def.a1 == 45 && def.w == def.h {
		ellipsex.max = b.ellipse.max
	} else {
		ellipsex.max = arcDcos(def.a1) * def.w
	}
	b.outer.min = outerYfromXY(ellipsex.min, b.ellipse.min, acc)
	b.outer.max = outerYfromXY(ellipsex.max, b.ellipse.max, acc)
	b.inner.min = innerYfromXY(ellipsex.min, b.ellipse.min, acc)
	b.inner.max = innerYfromXY(ellipsex.max, b.ellipse.max, acc)

	outerx.min = outerXfromXY(ellipsex.min, b.ellipse.min, acc)
	outerx.max = outerXfromXY(ellipsex.max, b.ellipse.max, acc)
	innerx.min = innerXfromXY(ellipsex.min, b.ellipse.min, acc)
	innerx.max = innerXfromXY(ellipsex.max, b.ellipse.max, acc)

	// Save the line end points for the cap code, in Cartesian
	// coordinates (y up).
	if right != nil {
		right.counterClock = sppPoint{outerx.min, b.outer.min}
		right.center = sppPoint{ellipsex.min, b.ellipse.min}
		right.clock = sppPoint{innerx.min, b.inner.min}
	}
	if left != nil {
		left.clock = sppPoint{outerx.max, b.outer.max}
		left.center = sppPoint{ellipsex.max, b.ellipse.max}
		left.counterClock = sppPoint{innerx.max, b.inner.max}
	}

	b.left.min = b.inner.max
	b.left.max = b.outer.max
	b.right.min = b.inner.min
	b.right.max = b.outer.min

	computeLine(innerx.min, b.inner.min, outerx.min, b.outer.min, &acc.right)
	computeLine(innerx.max, b.inner.max, outerx.max, b.outer.max, &acc.left)

	if b.inner.min > b.inner.max {
		b.inner.min, b.inner.max = b.inner.max, b.inner.min
	}
	tailY := acc.tailY
	if tailY > b.ellipse.max {
		tailY = b.ellipse.max
	} else if tailY < b.ellipse.min {
		tailY = b.ellipse.min
	}
	innerTaily := innerYfromY(tailY, def, acc)
	if b.inner.min > innerTaily {
		b.inner.min = innerTaily
	}
	if b.inner.max < innerTaily {
		b.inner.max = innerTaily
	}
	b.inneri.min = iceil(b.inner.min - acc.fromIntY)
	b.inneri.max = cint(math.Floor(b.inner.max - acc.fromIntY))
	b.outeri.min = iceil(b.outer.min - acc.fromIntY)
	b.outeri.max = cint(math.Floor(b.outer.max - acc.fromIntY))
}

// hookEllipseY is the ellipse y whose normal meets scan line y furthest
// out.
func hookEllipseY(scanY float64, b *arcBound, acc *arcAcc, left bool) float64 {
	if acc.h2mw2 == 0 {
		if (scanY > 0 && !left) || (scanY < 0 && left) {
			return b.ellipse.min
		}
		return b.ellipse.max
	}
	ret := (acc.h4 * scanY) / acc.h2mw2
	if ret >= 0 {
		return math.Cbrt(ret)
	}
	return -math.Cbrt(-ret)
}

// hookX is the x where scan line y meets the arc's end face.
func hookX(scanY float64, def *arcDef, b *arcBound, acc *arcAcc, left bool) float64 {
	if def.w != def.h {
		ey := hookEllipseY(scanY, b, acc, left)
		if b.ellipse.has(ey) {
			// The sign of the second derivative.
			maxMin := ey*ey*ey*acc.h2mw2 - acc.h2*scanY*(3*ey*ey-2*acc.h2)
			if (left && maxMin > 0) || (!left && maxMin < 0) {
				if ey == 0 {
					// X.Org writes "def->w + left ? -def->l : def->l",
					// which C reads as (w + left) ? -l : l.
					if def.w != 0 || left {
						return -def.l
					}
					return def.l
				}
				return (acc.h2*scanY - ey*acc.h2mw2) * math.Sqrt(acc.h2-ey*ey) / (def.h * def.w * ey)
			}
		}
	}
	if left {
		if acc.left.valid && b.left.has(scanY) {
			return acc.left.at(scanY)
		}
		if acc.right.valid {
			return acc.right.at(scanY)
		}
		return def.w - def.l
	}
	if acc.right.valid && b.right.has(scanY) {
		return acc.right.at(scanY)
	}
	if acc.left.valid {
		return acc.left.at(scanY)
	}
	return def.w - def.l
}

// arcSpan adds the spans of row y of a quadrant piece, mirrored into the
// quadrants of mask.
func (w *wideArcer) arcSpan(y, lx, lw, rx, rw int, def *arcDef, b *arcBound, acc *arcAcc, mask int) {
	var linx, loutx, rinx, routx int
	if b.inneri.has(y) {
		linx = -(lx + lw)
		rinx = rx
	} else {
		// Intersection with the left face.
		x := hookX(float64(y)+acc.fromIntY, def, b, acc, true)
		if acc.right.valid && b.right.has(float64(y)+acc.fromIntY) {
			if altx := acc.right.at(float64(y) + acc.fromIntY); altx < x {
				x = altx
			}
		}
		linx = -iceil(acc.fromIntX - x)
		rinx = iceil(acc.fromIntX + x)
	}
	if b.outeri.has(y) {
		loutx = -lx
		routx = rx + rw
	} else {
		// Intersection with the right face.
		x := hookX(float64(y)+acc.fromIntY, def, b, acc, false)
		if acc.left.valid && b.left.has(float64(y)+acc.fromIntY) {
			altx := x
			x = acc.left.at(float64(y) + acc.fromIntY)
			if x < altx {
				x = altx
			}
		}
		loutx = -iceil(acc.fromIntX - x)
		routx = iceil(acc.fromIntX + x)
	}
	if routx > rinx {
		if mask&1 != 0 {
			w.newFinalSpan(acc.yorgu-y, acc.xorg+rinx, acc.xorg+routx)
		}
		if mask&8 != 0 {
			w.newFinalSpan(acc.yorgl+y, acc.xorg+rinx, acc.xorg+routx)
		}
	}
	if loutx > linx {
		if mask&2 != 0 {
			w.newFinalSpan(acc.yorgu-y, acc.xorg-loutx, acc.xorg-linx)
		}
		if mask&4 != 0 {
			w.newFinalSpan(acc.yorgl+y, acc.xorg-loutx, acc.xorg-linx)
		}
	}
}

func (w *wideArcer) arcSpan0(lx, lw, rx, rw int, def *arcDef, b *arcBound, acc *arcAcc, mask int) {
	if b.inneri.has(0) && acc.left.valid && b.left.has(0) && acc.left.b > 0 {
		x := def.w - def.l
		if acc.left.b < x {
			x = acc.left.b
		}
		lw = iceil(acc.fromIntX-x) - lx
		rw += rx
		rx = iceil(acc.fromIntX + x)
		rw -= rx
	}
	w.arcSpan(0, lx, lw, rx, rw, def, b, acc, mask)
}

func (w *wideArcer) tailSpan(y, lw, rw int, def *arcDef, b *arcBound, acc *arcAcc, mask int) {
	if b.outeri.has(y) {
		w.arcSpan(y, 0, lw, -rw, rw, def, b, acc, mask)
		return
	}
	if def.w == def.h {
		return
	}
	yy := float64(y) + acc.fromIntY
	x := tailX(yy, def, b, acc)
	if yy == 0.0 && x == float64(-rw)-acc.fromIntX {
		return
	}
	if acc.right.valid && b.right.has(yy) {
		rx := x
		lx := -x
		xalt := acc.right.at(yy)
		if xalt >= float64(-rw)-acc.fromIntX && xalt <= rx {
			rx = xalt
		}
		n := iceil(acc.fromIntX + lx)
		if lw > n {
			if mask&2 != 0 {
				w.newFinalSpan(acc.yorgu-y, acc.xorg+n, acc.xorg+lw)
			}
			if mask&4 != 0 {
				w.newFinalSpan(acc.yorgl+y, acc.xorg+n, acc.xorg+lw)
			}
		}
		n = iceil(acc.fromIntX + rx)
		if n > -rw {
			if mask&1 != 0 {
				w.newFinalSpan(acc.yorgu-y, acc.xorg-rw, acc.xorg+n)
			}
			if mask&8 != 0 {
				w.newFinalSpan(acc.yorgl+y, acc.xorg-rw, acc.xorg+n)
			}
		}
	}
	w.arcSpan(y, iceil(acc.fromIntX-x), 0, iceil(acc.fromIntX+x), 0, def, b, acc, mask)
}

// arcSegment draws one arc of a polyarc, setting its end faces (miArcSegment).
func (w *wideArcer) arcSegment(tarc Arc, right, left *arcFace) {
	l := w.lw
	if l == 0 {
		l = 1
	}
	if tarc.Width == 0 || tarc.Height == 0 {
		w.drawZeroArc(tarc, l, left, right)
		return
	}
	a0 := tarc.Angle1
	a1 := min(max(tarc.Angle2, -fullCircle), fullCircle)
	var startAngle, endAngle int
	if a1 < 0 {
		startAngle = a0 + a1
		endAngle = a0
		right, left = left, right
	} else {
		startAngle = a0
		endAngle = a0 + a1
	}
	if startAngle < 0 {
		startAngle = fullCircle - (-startAngle)%fullCircle
	}
	if startAngle >= fullCircle {
		startAngle %= fullCircle
	}
	if endAngle < 0 {
		endAngle = fullCircle - (-endAngle)%fullCircle
	}
	if endAngle > fullCircle {
		endAngle = (endAngle-1)%fullCircle + 1
	}
	if startAngle == endAngle && a1 != 0 {
		startAngle = 0
		endAngle = fullCircle
	}
	w.drawArc(tarc, l, startAngle, endAngle, right, left)
}

// drawZeroArc draws an arc of zero width or height as a rectangle.
func (w *wideArcer) drawZeroArc(tarc Arc, lw int, left, right *arcFace) {
	l := float64(lw) / 2.0
	a0 := tarc.Angle1
	a1 := min(max(tarc.Angle2, -fullCircle), fullCircle)
	wd := float64(tarc.Width) / 2.0
	h := float64(tarc.Height) / 2.0
	// Play in X coordinates right away.
	startAngle := -(float64(a0) / 64.0)
	endAngle := -(float64(a0+a1) / 64.0)
	xmax, xmin := -wd, wd
	ymax, ymin := -h, h
	var x0, y0, x1, y1 float64
	a := startAngle
	for guard := 0; guard < 16; guard++ {
		x := wd * miDcos(a)
		y := h * miDsin(a)
		if a == startAngle {
			x0, y0 = x, y
		}
		if a == endAngle {
			x1, y1 = x, y
		}
		xmax = cmax(x, xmax)
		xmin = cmin(x, xmin)
		ymax = cmax(y, ymax)
		ymin = cmin(y, ymin)
		if a == endAngle {
			break
		}
		if a1 < 0 { // clockwise
			if math.Floor(a/90.0) == math.Floor(endAngle/90.0) {
				a = endAngle
			} else {
				a = 90 * (math.Floor(a/90.0) + 1)
			}
		} else {
			if math.Ceil(a/90.0) == math.Ceil(endAngle/90.0) {
				a = endAngle
			} else {
				a = 90 * (math.Ceil(a/90.0) - 1)
			}
		}
	}
	lx, ly := l, l
	if (x1-x0)+(y1-y0) < 0 {
		lx, ly = -l, -l
	}
	if h != 0 {
		ly = 0.0
		lx = -lx
	} else {
		lx = 0.0
	}
	if right != nil {
		right.center = sppPoint{x0, y0}
		right.clock = sppPoint{x0 - lx, y0 - ly}
		right.counterClock = sppPoint{x0 + lx, y0 + ly}
	}
	if left != nil {
		left.center = sppPoint{x1, y1}
		left.clock = sppPoint{x1 + lx, y1 + ly}
		left.counterClock = sppPoint{x1 - lx, y1 - ly}
	}
	x0, x1, y0, y1 = xmin, xmax, ymin, ymax
	if ymin != y1 {
		xmin, xmax = -l, l
	} else {
		ymin, ymax = -l, l
	}
	if xmax != xmin && ymax != ymin {
		minx := iceil(xmin+wd) + tarc.X
		maxx := iceil(xmax+wd) + tarc.X
		miny := iceil(ymin+h) + tarc.Y
		maxy := iceil(ymax+h) + tarc.Y
		// A PolyFillRectangle of CARD16 size.
		rw, rh := (maxx-minx)&0xffff, (maxy-miny)&0xffff
		for y := miny; y < miny+rh; y++ {
			w.addSpan(minx, y, rw)
		}
	}
}

func mirrorSppPoint(quadrant int, p *sppPoint) {
	switch quadrant {
	case 1:
		p.x = -p.x
	case 2:
		p.x = -p.x
		p.y = -p.y
	case 3:
		p.y = -p.y
	}
	// And to X coordinates.
	p.y = -p.y
}

// drawArc splits an arc into pieces that each lie in one quadrant, draws
// them mirrored into place, and sets the end faces (X.Org's drawArc).
func (w *wideArcer) drawArc(tarc Arc, l, a0, a1 int, right, left *arcFace) {
	spdata := w.wideEllipse(l, tarc)
	type band struct{ a0, a1, mask int }
	var bands [5]band
	var sweeps [20]band
	if a1 < a0 {
		a1 += 360 * 64
	}
	startq := a0 / (90 * 64)
	endq := startq
	if a0 != a1 {
		endq = (a1 - 1) / (90 * 64)
	}
	bandno := 0
	curq := startq
	rightq := -1
	leftq, righta, lefta := 0, 0, 0
	var q0, q1 int
	for bandno < len(bands) {
		switch curq {
		case 0:
			if a0 > 90*64 {
				q0 = 0
			} else {
				q0 = a0
			}
			if a1 < 360*64 {
				q1 = min(a1, 90*64)
			} else {
				q1 = 90 * 64
			}
			if curq == startq && a0 == q0 && rightq < 0 {
				righta = q0
				rightq = curq
			}
			if curq == endq && a1 == q1 {
				lefta = q1
				leftq = curq
			}
		case 1:
			if a1 < 90*64 {
				q0 = 0
			} else {
				q0 = 180*64 - min(a1, 180*64)
			}
			if a0 > 180*64 {
				q1 = 90 * 64
			} else {
				q1 = 180*64 - max(a0, 90*64)
			}
			if curq == startq && 180*64-a0 == q1 {
				righta = q1
				rightq = curq
			}
			if curq == endq && 180*64-a1 == q0 {
				lefta = q0
				leftq = curq
			}
		case 2:
			if a0 > 270*64 {
				q0 = 0
			} else {
				q0 = max(a0, 180*64) - 180*64
			}
			if a1 < 180*64 {
				q1 = 90 * 64
			} else {
				q1 = min(a1, 270*64) - 180*64
			}
			if curq == startq && a0-180*64 == q0 {
				righta = q0
				rightq = curq
			}
			if curq == endq && a1-180*64 == q1 {
				lefta = q1
				leftq = curq
			}
		case 3:
			if a1 < 270*64 {
				q0 = 0
			} else {
				q0 = 360*64 - min(a1, 360*64)
			}
			q1 = 360*64 - max(a0, 270*64)
			if curq == startq && 360*64-a0 == q1 {
				righta = q1
				rightq = curq
			}
			if curq == endq && 360*64-a1 == q0 {
				lefta = q0
				leftq = curq
			}
		}
		bands[bandno] = band{q0, q1, 1 << uint(curq&3)}
		bandno++
		if curq == endq {
			break
		}
		curq++
		if curq == 4 {
			a0 = 0
			a1 -= 360 * 64
			curq = 0
			endq -= 4
		}
	}
	sweepno := 0
	for sweepno < len(sweeps) {
		q0 = 90 * 64
		mask := 0
		// Find the left-most point.
		for i := 0; i < bandno; i++ {
			if bands[i].a0 <= q0 {
				q0 = bands[i].a0
				q1 = bands[i].a1
				mask = bands[i].mask
			}
		}
		if mask == 0 {
			break
		}
		// Locate the next point of change.
		for i := 0; i < bandno; i++ {
			if mask&bands[i].mask == 0 {
				if bands[i].a0 == q0 {
					if bands[i].a1 < q1 {
						q1 = bands[i].a1
					}
					mask |= bands[i].mask
				} else if bands[i].a0 < q1 {
					q1 = bands[i].a0
				}
			}
		}
		sweeps[sweepno] = band{q0, q1, mask}
		sweepno++
		// Subtract the sweep from the affected bands.
		for i := 0; i < bandno; i++ {
			if bands[i].a0 == q0 {
				bands[i].a0 = q1
				// Check if this band is empty.
				if bands[i].a0 == bands[i].a1 {
					bands[i].a0 = 90*64 + 1
					bands[i].a1 = 90*64 + 1
				}
			}
		}
	}
	var def arcDef
	var acc arcAcc
	computeAcc(tarc, l, &def, &acc)
	flipRight, flipLeft, copyEnd := false, false, false
	for j := 0; j < sweepno; j++ {
		mask := sweeps[j].mask
		var passRight, passLeft *arcFace
		if rightq >= 0 && mask&(1<<uint(rightq)) != 0 {
			if sweeps[j].a0 == righta {
				passRight = right
			} else if sweeps[j].a1 == righta {
				passLeft = right
				flipRight = true
			}
		}
		if mask&(1<<uint(leftq)) != 0 {
			if sweeps[j].a1 == lefta {
				if passLeft != nil {
					copyEnd = true
				}
				passLeft = left
			} else if sweeps[j].a0 == lefta {
				if passRight != nil {
					copyEnd = true
				}
				passRight = left
				flipLeft = true
			}
		}
		w.drawQuadrant(&def, &acc, sweeps[j].a0, sweeps[j].a1, mask, passRight, passLeft, spdata)
	}
	// When copyEnd is set, both ends of the arc were computed at once and
	// only the left face holds the data.
	if copyEnd && right != nil && left != nil {
		*right = *left
	}
	// Mirror the faces into place.
	if right != nil {
		mirrorSppPoint(rightq, &right.clock)
		mirrorSppPoint(rightq, &right.center)
		mirrorSppPoint(rightq, &right.counterClock)
		if flipRight {
			right.clock, right.counterClock = right.counterClock, right.clock
		}
	}
	if left != nil {
		mirrorSppPoint(leftq, &left.counterClock)
		mirrorSppPoint(leftq, &left.center)
		mirrorSppPoint(leftq, &left.clock)
		if flipLeft {
			left.clock, left.counterClock = left.counterClock, left.clock
		}
	}
}

// drawQuadrant draws the part of an arc between angles a0 and a1 of the
// first quadrant, mirrored into the quadrants of mask.
func (w *wideArcer) drawQuadrant(def *arcDef, acc *arcAcc, a0, a1, mask int, right, left *arcFace, spdata *arcSpanData) {
	var b arcBound
	def.a0 = float64(a0) / 64.0
	def.a1 = float64(a1) / 64.0
	computeBound(def, &b, acc, right, left)
	yy := b.inner.min
	if b.outer.min < yy {
		yy = b.outer.min
	}
	miny := iceil(yy - acc.fromIntY)
	yy = b.inner.max
	if b.outer.max > yy {
		yy = b.outer.max
	}
	maxy := cint(math.Floor(yy - acc.fromIntY))
	// Rows of the quadrant whose spans would all fall outside the clip
	// are passed over: the spans of a row depend on nothing but the row.
	show := func(y, mask int) bool {
		up, down := acc.yorgu-y, acc.yorgl+y
		return (mask&3 != 0 && up >= w.ext.Min.Y && up < w.ext.Max.Y) ||
			(mask&0xc != 0 && down >= w.ext.Min.Y && down < w.ext.Max.Y)
	}
	y := spdata.k
	si := 0
	if spdata.top {
		if a1 == 90*64 && mask&1 != 0 {
			w.newFinalSpan(acc.yorgu-y-1, acc.xorg, acc.xorg+1)
		}
		si++
	}
	// Rows above maxy draw nothing; skip them at once.
	n := spdata.count1
	if d := min(n, max(0, y-maxy)); d > 0 {
		y, si, n = y-d, si+d, n-d
	}
	for ; n > 0; n-- {
		if y < miny {
			return
		}
		if show(y, mask) {
			s := spdata.spans[si]
			w.arcSpan(y, int(s.lx), -int(s.lx), 0, int(s.lx)+int(s.lw), def, &b, acc, mask)
			if s.rw+s.rx != 0 {
				w.tailSpan(y, -int(s.rw), -int(s.rx), def, &b, acc, mask)
			}
		}
		y--
		si++
	}
	if y < miny {
		return
	}
	if spdata.hole && y <= maxy && show(y, mask&0xc) {
		w.arcSpan(y, 0, 0, 0, 1, def, &b, acc, mask&0xc)
	}
	n = spdata.count2
	if d := min(n, max(0, y-maxy)); d > 0 {
		y, si, n = y-d, si+d, n-d
	}
	for ; n > 0; n-- {
		if y < miny {
			return
		}
		if show(y, mask) {
			s := spdata.spans[si]
			w.arcSpan(y, int(s.lx), int(s.lw), int(s.rx), int(s.rw), def, &b, acc, mask)
		}
		y--
		si++
	}
	if spdata.bot && miny <= y && y <= maxy {
		n := mask
		if y == miny {
			n &= 0xc
		}
		s := spdata.spans[si]
		if s.rw <= 0 {
			w.arcSpan0(int(s.lx), -int(s.lx), 0, int(s.lx)+int(s.lw), def, &b, acc, n)
			if s.rw+s.rx != 0 {
				w.tailSpan(y, -int(s.rw), -int(s.rx), def, &b, acc, n)
			}
		} else {
			w.arcSpan0(int(s.lx), int(s.lw), int(s.rx), int(s.rw), def, &b, acc, n)
		}
		y--
	}
	for ; y >= miny; y-- {
		if !show(y, mask) {
			continue
		}
		yy = float64(y) + acc.fromIntY
		var x float64
		if def.w == def.h {
			xalt := def.w - def.l
			x = -math.Sqrt(xalt*xalt - yy*yy)
		} else {
			x = tailX(yy, def, &b, acc)
			if acc.left.valid && b.left.has(yy) {
				if xalt := acc.left.at(yy); xalt < x {
					x = xalt
				}
			}
			if acc.right.valid && b.right.has(yy) {
				if xalt := acc.right.at(yy); xalt < x {
					x = xalt
				}
			}
		}
		w.arcSpan(y, iceil(acc.fromIntX-x), 0, iceil(acc.fromIntX+x), 0, def, &b, acc, mask)
	}
}
