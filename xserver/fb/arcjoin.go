package fb

import (
	"math"
	"slices"
)

// Caps and joins of wide arcs (miarc.c's miArcCap, miArcJoin, miRoundCap),
// and the sub-pixel polygon filler they use.

// miDcos and miDsin are exact at multiples of 90 degrees.
func miDcos(a float64) float64 {
	if math.Floor(a/90) == a/90 {
		switch mod4(int(a / 90.0)) {
		case 0:
			return 1
		case 1:
			return 0
		case 2:
			return -1
		case 3:
			return 0
		}
	}
	return crCos(a * dPi / 180.0)
}

func miDsin(a float64) float64 {
	if math.Floor(a/90) == a/90 {
		switch mod4(int(a / 90.0)) {
		case 0:
			return 0
		case 1:
			return 1
		case 2:
			return 0
		case 3:
			return -1
		}
	}
	return crSin(a * dPi / 180.0)
}

// mod4 is miarc.c's mod(a, 4), which gives 4 for negative multiples of 4.
func mod4(a int) int {
	if a >= 0 {
		return a % 4
	}
	return 4 - (-a)%4
}

func miDasin(v float64) float64 {
	switch v {
	case 0:
		return 0.0
	case 1.0:
		return 90.0
	case -1.0:
		return -90.0
	}
	return crAsin(v) * degPerRad
}

func miDatan2(dy, dx float64) float64 {
	switch {
	case dy == 0:
		if dx >= 0 {
			return 0.0
		}
		return 180.0
	case dx == 0:
		if dy > 0 {
			return 90.0
		}
		return -90.0
	case math.Abs(dy) == math.Abs(dx):
		if dy > 0 {
			if dx > 0 {
				return 45.0
			}
			return 135.0
		}
		if dx > 0 {
			return 315.0
		}
		return 225.0
	}
	return crAtan2(dy, dx) * degPerRad
}

// cmin and cmax are C's MIN and MAX macros, which, unlike math.Min and
// math.Max, pass over a NaN first operand.
func cmin(a, b float64) float64 {
	if a < b {
		return a
	}
	return b
}

func cmax(a, b float64) float64 {
	if a > b {
		return a
	}
	return b
}

// fillSppPoly fills a convex polygon with sub-pixel vertices, translated by
// (xTrans+xFtrans, yTrans+yFtrans) (miFillSppPoly).
var dbgSpp func([]sppPoint, int, int, float64, float64)

func (w *wideArcer) fillSppPoly(pts []sppPoint, xTrans, yTrans int, xFtrans, yFtrans float64) {
	if dbgSpp != nil {
		dbgSpp(pts, xTrans, yTrans, xFtrans, yFtrans)
	}
	count := len(pts)
	if count == 0 {
		return
	}
	imin := 0
	ymin, ymax := pts[0].y, pts[0].y
	for i := 1; i < count; i++ {
		if pts[i].y < ymin {
			imin = i
			ymin = pts[i].y
		}
		if pts[i].y > ymax {
			ymax = pts[i].y
		}
	}
	iymin := iceil(ymin + yFtrans)
	iymax := iceil(ymax + yFtrans - 1)
	if count < 3 || iymax-iymin+1 <= 0 {
		return
	}
	marked := make([]int, count)
	nextleft, nextright := imin, imin
	marked[imin] = -1
	y := iceil(pts[nextleft].y + yFtrans)
	var xl, xr, ml, mr float64
	// Each pass moves down a row or uses up a vertex; the bound only guards
	// against nonsense input.
	for guard := 4*count + (iymax - iymin) + 8; guard > 0; guard-- {
		// Add a left edge if we need to.
		if (float64(y) > pts[nextleft].y+yFtrans || isEqual(float64(y), pts[nextleft].y+yFtrans)) &&
			marked[nextleft] != 1 {
			marked[nextleft]++
			left := nextleft
			nextleft++
			if nextleft >= count {
				nextleft = 0
			}
			dy := pts[nextleft].y - pts[left].y
			if dy != 0.0 {
				ml = (pts[nextleft].x - pts[left].x) / dy
				dy = float64(y) - (pts[left].y + yFtrans)
				xl = (pts[left].x + xFtrans) + ml*cmax(dy, 0)
			}
		}
		// Add a right edge if we need to.
		if float64(y) > pts[nextright].y+yFtrans ||
			(isEqual(float64(y), pts[nextright].y+yFtrans) && marked[nextright] != 1) {
			marked[nextright]++
			right := nextright
			nextright--
			if nextright < 0 {
				nextright = count - 1
			}
			dy := pts[nextright].y - pts[right].y
			if dy != 0.0 {
				mr = (pts[nextright].x - pts[right].x) / dy
				dy = float64(y) - (pts[right].y + yFtrans)
				xr = (pts[right].x + xFtrans) + mr*cmax(dy, 0)
			}
		}
		// Generate scans while we have a left and a right edge.
		i := (cmin(pts[nextleft].y, pts[nextright].y) + yFtrans) - float64(y)
		if i < arcEpsilon {
			if marked[nextleft] != 0 && marked[nextright] != 0 {
				// Trapped: no more points.
				break
			}
			if y > iymax {
				break
			}
			continue
		}
		j := cint(i)
		if j == 0 {
			j++
		}
		for ; j > 0; j-- {
			// X.Org keeps span x and y in 16 bits and widths in 32, and
			// fb adds them in 32 bits; that shows when a degenerate
			// polygon (a NaN corner, say) yields absurd edges.
			cxl := int32(iceil(xl))
			cxr := int32(iceil(xr))
			sy := int(int16(y + yTrans))
			sx, sw := int16(cxr+int32(xTrans)), cxl-cxr
			if xl < xr {
				sx, sw = int16(cxl+int32(xTrans)), cxr-cxl
			}
			w.newFinalSpan(sy, int(sx), int(int32(sx)+sw))
			y++
			xl += ml
			xr += mr
		}
		if y > iymax {
			break
		}
	}
}

func angleBetween(center, p1, p2 sppPoint) float64 {
	// Reflect from X coordinates back to ellipse coordinates, y up.
	a1 := miDatan2(-(p1.y - center.y), p1.x-center.x)
	a2 := miDatan2(-(p2.y - center.y), p2.x-center.x)
	a := a2 - a1
	if a <= -180.0 {
		a += 360.0
	} else if a > 180.0 {
		a -= 360.0
	}
	return a
}

func translateBounds(b *arcFace, x, y int, fx, fy float64) {
	fx += float64(x)
	fy += float64(y)
	b.clock.x -= fx
	b.clock.y -= fy
	b.center.x -= fx
	b.center.y -= fy
	b.counterClock.x -= fx
	b.counterClock.y -= fy
}

// hidden reports whether a cap or join around c, translated by
// (xOrg+xFtrans, yOrg+yFtrans), lies wholly outside the clip. Caps and
// joins reach at most a few line widths from their centre (a miter within
// the 11 degree limit, about 5.2), and add to nothing but the pixels they
// cover, so hidden ones need not be computed.
func (w *wideArcer) hidden(c sppPoint, xOrg, yOrg int, xFtrans, yFtrans float64) bool {
	r := 6*float64(max(w.lw, 1)) + 4
	x := c.x + float64(xOrg) + xFtrans
	y := c.y + float64(yOrg) + yFtrans
	e := w.ext
	return x+r < float64(e.Min.X) || x-r > float64(e.Max.X) || y+r < float64(e.Min.Y) || y-r > float64(e.Max.Y)
}

// arcJoin joins the end pLeft of one arc to the start pRight of the next.
func (w *wideArcer) arcJoin(pLeft, pRight *arcFace, xOrgLeft, yOrgLeft int, xFtransLeft, yFtransLeft float64,
	xOrgRight, yOrgRight int, xFtransRight, yFtransRight float64) {
	xOrg := (xOrgRight + xOrgLeft) / 2
	yOrg := (yOrgRight + yOrgLeft) / 2
	xFtrans := (xFtransLeft + xFtransRight) / 2
	yFtrans := (yFtransLeft + yFtransRight) / 2
	right := *pRight
	translateBounds(&right, xOrg-xOrgRight, yOrg-yOrgRight, xFtrans-xFtransRight, yFtrans-yFtransRight)
	left := *pLeft
	translateBounds(&left, xOrg-xOrgLeft, yOrg-yOrgLeft, xFtrans-xFtransLeft, yFtrans-yFtransLeft)

	if right.clock.x == left.counterClock.x && right.clock.y == left.counterClock.y {
		return
	}
	if w.hidden(right.center, xOrg, yOrg, xFtrans, yFtrans) {
		return
	}
	center := right.center
	var corner, otherCorner sppPoint
	a := angleBetween(center, right.clock, left.counterClock)
	if 0 <= a && a <= 180.0 {
		corner = right.clock
		otherCorner = left.counterClock
	} else {
		a = angleBetween(center, left.clock, right.counterClock)
		corner = left.clock
		otherCorner = right.counterClock
	}
	var poly []sppPoint
	switch w.gc.JoinStyle {
	case JoinRound:
		width := float64(w.lw)
		if w.lw == 0 {
			width = 1
		}
		arc := sppArc{
			x:      center.x - width/2,
			y:      center.y - width/2,
			width:  width,
			height: width,
			angle1: -miDatan2(corner.y-center.y, corner.x-center.x),
			angle2: a,
		}
		pts := []sppPoint{otherCorner, center, corner}
		pts = getArcPts(arc, pts)
		if n := len(pts) - 3; n > 0 {
			// X.Org fills as many points as the arc has, counted from
			// the start of the array: the corners and centre, then
			// all but the last three points of the arc.
			w.fillSppPoly(pts[:n], xOrg, yOrg, xFtrans, yFtrans)
		}
		return
	case JoinMiter:
		// Don't miter arcs with less than 11 degrees between them.
		if a < 169.0 {
			bc2 := (corner.x-otherCorner.x)*(corner.x-otherCorner.x) +
				(corner.y-otherCorner.y)*(corner.y-otherCorner.y)
			ec2 := bc2 / 4
			ac2 := (corner.x-center.x)*(corner.x-center.x) +
				(corner.y-center.y)*(corner.y-center.y)
			ae := math.Sqrt(ac2 - ec2)
			de := ec2 / ae
			e := sppPoint{(corner.x + otherCorner.x) / 2, (corner.y + otherCorner.y) / 2}
			p3 := sppPoint{e.x + de*(e.x-center.x)/ae, e.y + de*(e.y-center.y)/ae}
			poly = []sppPoint{corner, center, otherCorner, p3, corner}
			break
		}
		fallthrough
	case JoinBevel:
		poly = []sppPoint{corner, center, otherCorner, corner}
	}
	w.fillSppPoly(poly, xOrg, yOrg, xFtrans, yFtrans)
}

// arcCap caps the end pFace of an arc.
func (w *wideArcer) arcCap(pFace *arcFace, xOrg, yOrg int, xFtrans, yFtrans float64) {
	if w.hidden(pFace.center, xOrg, yOrg, xFtrans, yFtrans) {
		return
	}
	corner := pFace.clock
	otherCorner := pFace.counterClock
	center := pFace.center
	switch w.gc.CapStyle {
	case CapProjecting:
		poly := []sppPoint{
			otherCorner,
			corner,
			{corner.x - (center.y - corner.y), corner.y + (center.x - corner.x)},
			{otherCorner.x - (otherCorner.y - center.y), otherCorner.y + (otherCorner.x - center.x)},
			otherCorner,
		}
		w.fillSppPoly(poly, xOrg, yOrg, xFtrans, yFtrans)
	case CapRound:
		// roundCap just needs these to be unequal.
		end := center
		end.x += 100
		w.roundCap(center, end, corner, otherCorner, -xOrg, -yOrg, xFtrans, yFtrans)
	}
}

// roundCap puts a half disc on an end (miRoundCap); pOtherCorner is
// counter-clockwise from pCorner.
func (w *wideArcer) roundCap(pCenter, pEnd, pCorner, pOtherCorner sppPoint, xOrg, yOrg int, xFtrans, yFtrans float64) {
	width := float64(w.lw)
	if w.lw == 0 {
		width = 1
	}
	arc := sppArc{
		x:      pCenter.x - width/2,
		y:      pCenter.y - width/2,
		width:  width,
		height: width,
		angle1: -miDatan2(pCorner.y-pCenter.y, pCorner.x-pCenter.x),
	}
	if ptIsEqual(pCenter, pEnd) {
		arc.angle2 = -180.0
	} else {
		arc.angle2 = -miDatan2(pOtherCorner.y-pCenter.y, pOtherCorner.x-pCenter.x) - arc.angle1
		if arc.angle2 < 0 {
			arc.angle2 += 360.0
		}
	}
	if pts := getArcPts(arc, nil); len(pts) > 0 {
		w.fillSppPoly(pts, -xOrg, -yOrg, xFtrans, yFtrans)
	}
}

// getArcPts appends a polygonal approximation of parc to pts, with steps
// of about half a pixel (miGetArcPts). As in X.Org, a full circle's last
// point is made pts[0].
func getArcPts(parc sppArc, pts []sppPoint) []sppPoint {
	// Positive angles are counter-clockwise; y grows downwards.
	st := -parc.angle1
	et := -parc.angle2
	cdt := parc.width
	if parc.height > cdt {
		cdt = parc.height
	}
	cdt /= 2.0
	if cdt <= 0 {
		return pts
	}
	if cdt < 1.0 {
		cdt = 1.0
	}
	dt := miDasin(1.0 / cdt) // the minimum step necessary
	count := cint(et / dt)
	if count < 0 {
		count = -count
	}
	count++
	dt = et / float64(count)
	count++
	if count > 1<<20 {
		return pts // nonsense; never reached by real arcs
	}
	cdt = 2 * miDcos(dt)
	pts = slices.Grow(pts, count)
	xc := parc.width / 2.0
	yc := parc.height / 2.0
	x0 := xc * miDcos(st)
	y0 := yc * miDsin(st)
	x1 := xc * miDcos(st+dt)
	y1 := yc * miDsin(st+dt)
	xc += parc.x
	yc += parc.y
	cpt := len(pts)
	pts = append(pts, sppPoint{xc + x0, yc + y0}, sppPoint{xc + x1, yc + y1})
	i := 2
	for ; i < count; i++ {
		x2 := cdt*x1 - x0
		y2 := cdt*y1 - y0
		pts = append(pts, sppPoint{xc + x2, yc + y2})
		x0, y0 = x1, y1
		x1, y1 = x2, y2
	}
	// Adjust the last point.
	if math.Abs(parc.angle2) >= 360.0 {
		pts[cpt+i-1] = pts[0]
	} else {
		pts[cpt+i-1] = sppPoint{
			miDcos(st+et)*parc.width/2.0 + xc,
			miDsin(st+et)*parc.height/2.0 + yc,
		}
	}
	return pts
}
