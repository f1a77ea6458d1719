package fb

import "math"

// Angles are in 64ths of a degree.
const (
	fullCircle = 360 * 64
	quadrant   = 90 * 64
	halfCircle = 180 * 64
	quadrant3  = 270 * 64
)

// pi as a C double, so that expressions such as pi/11520 round the way
// X.Org's do (a Go constant expression would be exact before rounding).
var (
	dPi       = math.Pi
	radPer64  = dPi / 11520.0 // radians per 64th of a degree
	radPerDeg = dPi / 180.0
)

// PolyFillArc fills arcs as the PolyFillArc request does: each arc in turn,
// as a pie slice or a chord according to gc.ArcMode, so pixels where arcs
// overlap are painted more than once. Empty arcs (zero angle or size) draw
// nothing. The spans are X.Org's (miPolyFillArc): integer ellipse stepping
// and slice edges derived from the angles.
func PolyFillArc(c Canvas, gc *GC, arcs []Arc) {
	if len(arcs) == 0 || gc == nil || !c.Pixmap.ok() {
		return
	}
	p := newPainter(c, gc)
	var f arcFiller
	f.p = p
	for _, a := range arcs {
		a = wireArc(a)
		if fillArcEmpty(a) {
			continue
		}
		if a.Angle2 >= fullCircle || a.Angle2 <= -fullCircle {
			f.ellipse(a)
		} else {
			f.slice(a, gc.ArcMode)
		}
	}
	p.done()
}

// wireArc clamps an arc's fields to the sizes of their protocol fields, so
// that no arithmetic below can overflow.
func wireArc(a Arc) Arc {
	a.X = int(int16(a.X))
	a.Y = int(int16(a.Y))
	a.Width = int(uint16(a.Width))
	a.Height = int(uint16(a.Height))
	a.Angle1 = int(int16(a.Angle1))
	a.Angle2 = int(int16(a.Angle2))
	return a
}

func fillArcEmpty(a Arc) bool {
	return a.Angle2 == 0 || a.Width == 0 || a.Height == 0 || (a.Width == 1 && a.Height&1 != 0)
}

// fillArcState steps down the rows of an ellipse from its widest row,
// giving the half-width of each row (X.Org's miFillArcRec with
// MIFILLARCSTEP). X.Org uses 32-bit integers for small ellipses and doubles
// for large ones; all values are integers below 2^53, so Go ints give the
// same results for both.
type fillArcState struct {
	xorg, yorg int
	x, y       int
	dx, dy     int
	e          int
	ym, yk     int
	xm, xk     int
}

func (s *fillArcState) setup(a Arc) {
	s.x = 0
	s.y = a.Height >> 1
	s.dy = a.Height & 1
	s.yorg = a.Y + s.y
	s.dx = a.Width & 1
	s.xorg = a.X + (a.Width >> 1) + s.dx
	s.dx = 1 - s.dx
	if a.Width == a.Height {
		// (2x - 2xorg)^2 = d^2 - (2y - 2yorg)^2
		s.ym = 8
		s.xm = 8
		s.yk = s.y << 3
		if s.dx == 0 {
			s.xk = 0
			s.e = -1
		} else {
			s.y++
			s.yk += 4
			s.xk = -4
			s.e = -(s.y << 3)
		}
		return
	}
	// h^2 * (2x - 2xorg)^2 = w^2 * h^2 - w^2 * (2y - 2yorg)^2
	s.ym = a.Width * a.Width * 8
	s.xm = a.Height * a.Height * 8
	s.yk = s.y * s.ym
	if s.dy == 0 {
		s.yk -= s.ym >> 1
	}
	if s.dx == 0 {
		s.xk = 0
		s.e = -(s.xm >> 3)
	} else {
		s.y++
		s.yk += s.ym
		s.xk = -(s.xm >> 1)
		s.e = s.xk - s.yk
	}
}

// step moves up one row and returns the row's span width.
func (s *fillArcState) step() int {
	s.e += s.yk
	for s.e >= 0 {
		s.x++
		s.xk -= s.xm
		s.e += s.xk
	}
	s.y--
	s.yk -= s.ym
	slw := (s.x << 1) + s.dx
	if s.e == s.xk && slw > 1 {
		slw--
	}
	return slw
}

// lower reports whether the row mirrored below the centre is drawn.
func (s *fillArcState) lower(slw int) bool {
	return s.y+s.dy != 0 && (slw > 1 || s.e != s.xk)
}

type arcFiller struct {
	p *painter
}

// ellipse fills a whole ellipse (miFillEllipseI/D).
func (f *arcFiller) ellipse(a Arc) {
	var s fillArcState
	s.setup(a)
	for s.y > 0 {
		slw := s.step()
		f.p.span(penFg, s.xorg-s.x, s.yorg-s.y, slw)
		if s.lower(slw) {
			f.p.span(penFg, s.xorg-s.x, s.yorg+s.y+s.dy, slw)
		}
	}
}

// A sliceEdge is an edge of a pie slice or chord, stepped a row at a time
// from the centre outwards.
type sliceEdge struct {
	x, stepx, deltax, e, dy, dx int
}

func (e *sliceEdge) step() {
	e.x -= e.stepx
	e.e -= e.dx
	if e.e <= 0 {
		e.x -= e.deltax
		e.e += e.dy
	}
}

type arcSlice struct {
	edge1, edge2       sliceEdge
	minTopY, maxTopY   int
	minBotY, maxBotY   int
	edge1Top, edge2Top bool
	flipTop, flipBot   bool
}

// arcEdge positions a slice edge through the arc's centre (miGetArcEdge).
func arcEdge(a Arc, edge *sliceEdge, k int, top, left bool) {
	if edge.dy == 0 {
		edge.dy = 1 // never happens for real slices; stay safe
	}
	y := a.Height >> 1
	if a.Width&1 == 0 {
		y++
	}
	if !top {
		y = -y
		if a.Height&1 != 0 {
			y--
		}
	}
	xady := k + y*edge.dx
	if xady <= 0 {
		edge.x = -((-xady)/edge.dy + 1)
	} else {
		edge.x = (xady - 1) / edge.dy
	}
	edge.e = xady - edge.x*edge.dy
	if (top && edge.dx < 0) || (!top && edge.dx > 0) {
		edge.e = edge.dy - edge.e + 1
	}
	if left {
		edge.x++
	}
	edge.x += a.X + (a.Width >> 1)
	if edge.dx > 0 {
		edge.deltax = 1
		edge.stepx = edge.dx / edge.dy
		edge.dx = edge.dx % edge.dy
	} else {
		edge.deltax = -1
		edge.stepx = -((-edge.dx) / edge.dy)
		edge.dx = (-edge.dx) % edge.dy
	}
	if !top {
		edge.deltax = -edge.deltax
		edge.stepx = -edge.stepx
	}
}

// ellipseAngleToSlope returns the direction, scaled to 32768, from the
// centre to the point of the ellipse at angle (miEllipseAngleToSlope).
func ellipseAngleToSlope(angle, width, height int) (dx, dy int) {
	switch angle {
	case 0:
		return -1, 0
	case quadrant:
		return 0, 1
	case halfCircle:
		return 1, 0
	case quadrant3:
		return 0, -1
	}
	ddx := crCos(float64(angle)*radPer64) * float64(width)
	ddy := crSin(float64(angle)*radPer64) * float64(height)
	negdx, negdy := false, false
	if ddx < 0 {
		ddx, negdx = -ddx, true
	}
	if ddy < 0 {
		ddy, negdy = -ddy, true
	}
	scale := ddx
	if ddy > ddx {
		scale = ddy
	}
	dx = cint(math.Floor((ddx*32768)/scale + 0.5))
	if negdx {
		dx = -dx
	}
	dy = cint(math.Floor((ddy*32768)/scale + 0.5))
	if negdy {
		dy = -dy
	}
	return dx, dy
}

// pieEdge sets up the edge of a pie slice at angle (miGetPieEdge).
func pieEdge(a Arc, angle int, edge *sliceEdge, top, left bool) {
	dx, dy := ellipseAngleToSlope(angle, a.Width, a.Height)
	if dy == 0 {
		edge.x = 65536
		if left {
			edge.x = -65536
		}
		edge.stepx = 0
		edge.e = 0
		edge.dx = -1
		return
	}
	if dx == 0 {
		edge.x = a.X + (a.Width >> 1)
		if left && a.Width&1 != 0 {
			edge.x++
		} else if !left && a.Width&1 == 0 {
			edge.x--
		}
		edge.stepx = 0
		edge.e = 0
		edge.dx = -1
		return
	}
	if dy < 0 {
		dx, dy = -dx, -dy
	}
	k := 0
	if a.Height&1 != 0 {
		k = dx
	}
	if a.Width&1 != 0 {
		k += dy
	}
	edge.dx = dx << 1
	edge.dy = dy << 1
	arcEdge(a, edge, k, top, left)
}

// sliceSetup works out the edges and row ranges of a slice or chord
// (miFillArcSliceSetup).
func sliceSetup(a Arc, mode ArcMode) arcSlice {
	var s arcSlice
	angle1 := a.Angle1
	var angle2 int
	if a.Angle2 < 0 {
		angle2 = angle1
		angle1 += a.Angle2
	} else {
		angle2 = angle1 + a.Angle2
	}
	angle1 = normAngle(angle1)
	angle2 = normAngle(angle2)
	s.minTopY = 0
	s.maxTopY = a.Height >> 1
	s.minBotY = 1 - (a.Height & 1)
	s.maxBotY = s.maxTopY - 1
	if mode == ArcPieSlice {
		s.edge1Top = angle1 < halfCircle
		s.edge2Top = angle2 <= halfCircle
		switch {
		case angle2 == 0 || angle1 == halfCircle:
			top := s.edge1Top
			if angle2 != 0 {
				top = s.edge2Top
			}
			if top {
				s.minTopY = s.minBotY
			} else {
				s.minTopY = a.Height
			}
			s.minBotY = 0
		case angle1 == 0 || angle2 == halfCircle:
			s.minTopY = s.minBotY
			top := s.edge2Top
			if angle1 != 0 {
				top = s.edge1Top
			}
			if top {
				s.minBotY = a.Height
			} else {
				s.minBotY = 0
			}
		case s.edge1Top == s.edge2Top:
			if angle2 < angle1 {
				s.flipTop = s.edge1Top
				s.flipBot = !s.edge1Top
			} else if s.edge1Top {
				s.minTopY = 1
				s.minBotY = a.Height
			} else {
				s.minBotY = 0
				s.minTopY = a.Height
			}
		}
		pieEdge(a, angle1, &s.edge1, s.edge1Top, !s.edge1Top)
		pieEdge(a, angle2, &s.edge2, s.edge2Top, s.edge2Top)
		return s
	}

	// Chord.
	w2 := float64(a.Width) / 2.0
	h2 := float64(a.Height) / 2.0
	isInt1, isInt2 := true, true
	var x1, y1, x2, y2 float64
	switch angle1 {
	case 0, halfCircle:
		x1 = w2
		if angle1 != 0 {
			x1 = -w2
		}
	case quadrant, quadrant3:
		y1 = -h2
		if angle1 == quadrant {
			y1 = h2
		}
	default:
		isInt1 = false
		x1 = crCos(float64(angle1)*radPer64) * w2
		y1 = crSin(float64(angle1)*radPer64) * h2
	}
	switch angle2 {
	case 0, halfCircle:
		x2 = w2
		if angle2 != 0 {
			x2 = -w2
		}
	case quadrant, quadrant3:
		y2 = -h2
		if angle2 == quadrant {
			y2 = h2
		}
	default:
		isInt2 = false
		x2 = crCos(float64(angle2)*radPer64) * w2
		y2 = crSin(float64(angle2)*radPer64) * h2
	}
	dx := x2 - x1
	dy := y2 - y1
	if a.Height&1 != 0 {
		y1 -= 0.5
		y2 -= 0.5
	}
	if a.Width&1 != 0 {
		x1 += 0.5
		x2 += 0.5
	}
	signdy, signdx := 1, 1
	if dy < 0 {
		dy, signdy = -dy, -1
	}
	if dx < 0 {
		dx, signdx = -dx, -1
	}
	if isInt1 && isInt2 {
		s.edge1.dx = cint(dx * 2)
		s.edge1.dy = cint(dy * 2)
	} else {
		scale := dx
		if dy > dx {
			scale = dy
		}
		s.edge1.dx = cint(math.Floor((dx*32768)/scale + .5))
		s.edge1.dy = cint(math.Floor((dy*32768)/scale + .5))
	}
	switch {
	case s.edge1.dy == 0:
		if signdx < 0 {
			y := cint(math.Floor(y1 + 1.0))
			if y >= 0 {
				s.minTopY = y
				s.minBotY = a.Height
			} else {
				s.maxBotY = -y - (a.Height & 1)
			}
		} else {
			y := cint(math.Floor(y1))
			if y >= 0 {
				s.maxTopY = y
			} else {
				s.minTopY = a.Height
				s.minBotY = -y - (a.Height & 1)
			}
		}
		s.edge1Top = true
		s.edge1 = sliceEdge{x: 65536, dx: -1}
		s.edge2 = s.edge1
		s.edge2Top = false
	case s.edge1.dx == 0:
		if signdy < 0 {
			x1 -= 1.0
		}
		s.edge1.x = cint(math.Ceil(x1))
		s.edge1Top = signdy < 0
		s.edge1.x += a.X + (a.Width >> 1)
		s.edge1.stepx = 0
		s.edge1.e = 0
		s.edge1.dx = -1
		s.edge2Top = !s.edge1Top
		s.edge2 = s.edge1
	default:
		if signdx < 0 {
			s.edge1.dx = -s.edge1.dx
		}
		if signdy < 0 {
			s.edge1.dx = -s.edge1.dx
		}
		k := cint(math.Ceil(((x1+x2)*float64(s.edge1.dy) - (y1+y2)*float64(s.edge1.dx)) / 2.0))
		s.edge2.dx = s.edge1.dx
		s.edge2.dy = s.edge1.dy
		s.edge1Top = signdy < 0
		s.edge2Top = !s.edge1Top
		arcEdge(a, &s.edge1, k, s.edge1Top, !s.edge1Top)
		arcEdge(a, &s.edge2, k, s.edge2Top, s.edge2Top)
	}
	return s
}

// normAngle brings an angle into [0, fullCircle).
func normAngle(a int) int {
	a %= fullCircle
	if a < 0 {
		a += fullCircle
	}
	return a
}

// slice fills a pie slice or chord (miFillArcSliceI/D).
func (f *arcFiller) slice(a Arc, mode ArcMode) {
	var s fillArcState
	s.setup(a)
	sl := sliceSetup(a, mode)
	p := f.p
	add := func(l, r, y int) {
		if r >= l {
			p.span(penFg, l, y, r-l+1)
		}
	}
	for s.y > 0 {
		slw := s.step()
		sl.edge1.step()
		sl.edge2.step()
		y := s.y
		if y >= sl.minTopY && y <= sl.maxTopY {
			ya := s.yorg - y
			xl := s.xorg - s.x
			xr := xl + slw - 1
			if sl.edge1Top && sl.edge1.x < xr {
				xr = sl.edge1.x
			}
			if sl.edge2Top && sl.edge2.x > xl {
				xl = sl.edge2.x
			}
			if !sl.flipTop {
				add(xl, xr, ya)
			} else {
				xc := s.xorg - s.x
				add(xc, xr, ya)
				xc += slw - 1
				add(xl, xc, ya)
			}
		}
		if y >= sl.minBotY && y <= sl.maxBotY {
			ya := s.yorg + y + s.dy
			xl := s.xorg - s.x
			xr := xl + slw - 1
			if !sl.edge1Top && sl.edge1.x > xl {
				xl = sl.edge1.x
			}
			if !sl.edge2Top && sl.edge2.x < xr {
				xr = sl.edge2.x
			}
			if !sl.flipBot {
				add(xl, xr, ya)
			} else {
				xc := s.xorg - s.x
				add(xc, xr, ya)
				xc += slw - 1
				add(xl, xc, ya)
			}
		}
	}
}
