package fb

import "image"

// Zero-width arcs follow X.Org's mizerarc.c: Pitteway's integer ellipse
// algorithm ("Algorithm for drawing ellipses or hyperbolae with a digital
// plotter", 1967) walks one quadrant, mirrored four ways, with masks saying
// which quadrants are inside the angle range at each point.

type zeroArcPt struct{ x, y, mask int }

var zeroArcOOB = zeroArcPt{65536, 65536, 0}

// zeroArc is X.Org's miZeroArcRec: the stepping state and the points where
// the quadrant masks change.
type zeroArc struct {
	x, y, k1, k3, a, b, d, dx, dy int
	alpha, beta                   int
	xorg, yorg                    int
	xorgo, yorgo                  int
	w, h                          int
	initialMask                   int
	start, altstart, end, altend  zeroArcPt
	firstx, firsty                int
	startAngle, endAngle          int
}

// canZeroArc reports whether the integer algorithm can draw the arc
// without overflow (miCanZeroArc); others are drawn by the wide arc code.
func canZeroArc(a Arc) bool {
	return a.Width == a.Height || (a.Width <= 800 && a.Height <= 800)
}

// zsin and zcos are exact at the cardinal angles (64ths of a degree).
func zsin(d int) float64 {
	switch d {
	case 0, halfCircle:
		return 0
	case quadrant:
		return 1
	case quadrant3:
		return -1
	}
	return crSin(float64(d) * radPer64)
}

func zcos(d int) float64 {
	switch d {
	case 0:
		return 1
	case quadrant, quadrant3:
		return 0
	case halfCircle:
		return -1
	}
	return crCos(float64(d) * radPer64)
}

// setup prepares info for arc and reports whether the whole ellipse is to
// be drawn with no masks (miZeroArcSetup).
func (info *zeroArc) setup(arc Arc, ok360 bool) bool {
	l := arc.Width & 1
	switch {
	case arc.Width == arc.Height:
		info.alpha = 4
		info.beta = 4
		info.k1 = -8
		info.k3 = -16
		info.b = 12
		info.a = (arc.Width << 2) - 12
		info.d = 17 - (arc.Width << 1)
		if l != 0 {
			info.b -= 4
			info.a += 4
			info.d -= 7
		}
	case arc.Width == 0 || arc.Height == 0:
		info.alpha = 0
		info.beta = 0
		info.k1 = 0
		info.k3 = 0
		info.a = -arc.Height
		info.b = 0
		info.d = -1
	default:
		// Initial conditions.
		info.alpha = (arc.Width * arc.Width) << 2
		info.beta = (arc.Height * arc.Height) << 2
		info.k1 = info.beta << 1
		info.k3 = info.k1 + (info.alpha << 1)
		info.b = 0
		if l == 0 {
			info.b = -info.beta
		}
		info.a = info.alpha * arc.Height
		info.d = info.b - (info.a >> 1) - (info.alpha >> 2)
		if l != 0 {
			info.d -= info.beta >> 2
		}
		info.a -= info.b
		// Take the first step; d < 0 always.
		info.b -= info.k1
		info.a += info.k1
		info.d += info.b
		// Octant change; b < 0 always.
		info.k1 = -info.k1
		info.k3 = -info.k3
		info.b = -info.b
		info.d = info.b - info.a - info.d
		info.a = info.a - (info.b << 1)
	}
	info.dx = 1
	info.dy = 0
	info.w = (arc.Width + 1) >> 1
	info.h = arc.Height >> 1
	info.xorg = arc.X + (arc.Width >> 1)
	info.yorg = arc.Y
	info.xorgo = info.xorg + l
	info.yorgo = info.yorg + arc.Height
	if arc.Width == 0 {
		if arc.Height == 0 {
			info.x, info.y = 0, 0
			info.initialMask = 0
			info.startAngle, info.endAngle = 0, 0
			info.start = zeroArcOOB
			info.end = zeroArcOOB
			return false
		}
		info.x, info.y = 0, 1
	} else {
		info.x, info.y = 1, 0
	}
	angle1, angle2 := arc.Angle1, arc.Angle2
	var startAngle, endAngle int
	if angle1 == 0 && angle2 >= fullCircle {
		startAngle, endAngle = 0, 0
	} else {
		angle2 = min(max(angle2, -fullCircle), fullCircle)
		if angle2 < 0 {
			startAngle = angle1 + angle2
			endAngle = angle1
		} else {
			startAngle = angle1
			endAngle = angle1 + angle2
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
		if endAngle >= fullCircle {
			endAngle %= fullCircle
		}
	}
	info.startAngle = startAngle
	info.endAngle = endAngle
	if ok360 && startAngle == endAngle && arc.Angle2 != 0 && arc.Width != 0 && arc.Height != 0 {
		info.initialMask = 0xf
		info.start = zeroArcOOB
		info.end = zeroArcOOB
		return true
	}
	var start, end zeroArcPt
	startseg := startAngle / octant
	if arc.Height == 0 || ((startseg+1)&2 != 0 && arc.Width != 0) {
		start.x = cint(zcos(startAngle) * (float64(arc.Width+1) / 2.0))
		if start.x < 0 {
			start.x = -start.x
		}
		start.y = -1
	} else {
		start.y = cint(zsin(startAngle) * (float64(arc.Height) / 2.0))
		if start.y < 0 {
			start.y = -start.y
		}
		start.y = info.h - start.y
		start.x = 65536
	}
	endseg := endAngle / octant
	if arc.Height == 0 || ((endseg+1)&2 != 0 && arc.Width != 0) {
		end.x = cint(zcos(endAngle) * (float64(arc.Width+1) / 2.0))
		if end.x < 0 {
			end.x = -end.x
		}
		end.y = -1
	} else {
		end.y = cint(zsin(endAngle) * (float64(arc.Height) / 2.0))
		if end.y < 0 {
			end.y = -end.y
		}
		end.y = info.h - end.y
		end.x = 65536
	}
	info.firstx = start.x
	info.firsty = start.y
	info.initialMask = 0
	overlap := arc.Angle2 != 0 && endAngle <= startAngle
	for i := 0; i < 4; i++ {
		in := i*quadrant <= endAngle && (i+1)*quadrant > startAngle
		if overlap {
			in = i*quadrant <= endAngle || (i+1)*quadrant > startAngle
		}
		if in {
			info.initialMask |= 1 << i
		}
	}
	start.mask = info.initialMask
	end.mask = info.initialMask
	startseg >>= 1
	endseg >>= 1
	overlap = overlap && endseg == startseg
	if start.x != end.x || start.y != end.y || !overlap {
		if startseg&1 != 0 {
			if !overlap {
				info.initialMask &^= 1 << startseg
			}
			if start.x > end.x || start.y > end.y {
				end.mask &^= 1 << startseg
			}
		} else {
			start.mask &^= 1 << startseg
			if ((start.x < end.x || start.y < end.y) ||
				(start.x == end.x && start.y == end.y && endseg&1 != 0)) && !overlap {
				end.mask &^= 1 << startseg
			}
		}
		if endseg&1 != 0 {
			end.mask &^= 1 << endseg
			if ((start.x > end.x || start.y > end.y) ||
				(start.x == end.x && start.y == end.y && startseg&1 == 0)) && !overlap {
				start.mask &^= 1 << endseg
			}
		} else {
			if !overlap {
				info.initialMask &^= 1 << endseg
			}
			if start.x < end.x || start.y < end.y {
				start.mask &^= 1 << endseg
			}
		}
	}
	// Take care of the case when start and stop are both near 45 degrees;
	// handled here rather than in the stepping loops.
	const epsilon45 = 64
	if startAngle != 0 && ((start.y < 0 && end.y >= 0) || (start.y >= 0 && end.y < 0)) {
		i := (startAngle + octant) % octant
		if i < epsilon45 || i > octant-epsilon45 {
			i = (endAngle + octant) % octant
			if i < epsilon45 || i > octant-epsilon45 {
				if start.y < 0 {
					i = cint(zsin(startAngle) * (float64(arc.Height) / 2.0))
					if i < 0 {
						i = -i
					}
					if info.h-i == end.y {
						start.mask = end.mask
					}
				} else {
					i = cint(zsin(endAngle) * (float64(arc.Height) / 2.0))
					if i < 0 {
						i = -i
					}
					if info.h-i == start.y {
						end.mask = start.mask
					}
				}
			}
		}
	}
	if startseg&1 != 0 {
		info.start = start
		info.end = zeroArcOOB
	} else {
		info.end = start
		info.start = zeroArcOOB
	}
	if endseg&1 != 0 {
		info.altend = end
		if info.altend.x < info.end.x || info.altend.y < info.end.y {
			info.altend, info.end = info.end, info.altend
		}
		info.altstart = zeroArcOOB
	} else {
		info.altstart = end
		if info.altstart.x < info.start.x || info.altstart.y < info.start.y {
			info.altstart, info.start = info.start, info.altstart
		}
		info.altend = zeroArcOOB
	}
	if info.start.x == 0 || info.start.y == 0 {
		info.initialMask = info.start.mask
		info.start = info.altstart
	}
	if arc.Width == 0 && arc.Height == 1 {
		// X.Org's kludge.
		info.initialMask |= info.end.mask
		info.initialMask |= info.initialMask << 1
		info.end.x = 0
		info.end.mask = 0
	}
	return false
}

const octant = 45 * 64

// octantShift is MIARCOCTANTSHIFT: switch from stepping x to stepping y
// once the slope passes 45 degrees.
func (s *zeroArc) octantShift() {
	if s.a >= 0 {
		return
	}
	if s.y == s.h {
		s.d = -1
		s.a, s.b, s.k1 = 0, 0, 0
		return
	}
	s.dx = (s.k1 << 1) - s.k3
	s.k1 = s.dx - s.k1
	s.k3 = -s.k3
	s.b = s.b + s.a - (s.k1 >> 1)
	s.d = s.b + ((-s.a) >> 1) - s.d + (s.k3 >> 3)
	if s.dx < 0 {
		s.a = -((-s.dx) >> 1) - s.a
	} else {
		s.a = (s.dx >> 1) - s.a
	}
	s.dx = 0
	s.dy = 1
}

// step is MIARCSTEP.
func (s *zeroArc) step() {
	s.b -= s.k1
	if s.d < 0 {
		s.x += s.dx
		s.y += s.dy
		s.a += s.k1
		s.d += s.b
	} else {
		s.x++
		s.y++
		s.a += s.k3
		s.d -= s.a
	}
}

// circleStep is MIARCCIRCLESTEP.
func (s *zeroArc) circleStep() {
	s.b -= s.k1
	s.x++
	if s.d < 0 {
		s.a += s.k1
		s.d += s.b
	} else {
		s.y++
		s.a += s.k3
		s.d -= s.a
	}
}

// zeroArcPoints appends the points of a zero-width arc to pts, in X.Org's
// order (miZeroArcPts). dedupe drops the repeated last four points of an
// even circle, as mi does and fb's unclipped fast path does not.
func zeroArcPoints(arc Arc, pts []image.Point, dedupe bool) []image.Point {
	var info zeroArc
	do360 := info.setup(arc, true)
	mask := info.initialMask
	pix := func(x, y int) { pts = append(pts, image.Point{x, y}) }
	do := func(idx, x, y int) {
		if mask&(1<<idx) != 0 {
			pix(x, y)
		}
	}
	if arc.Width&1 == 0 {
		do(1, info.xorgo, info.yorg)
		do(3, info.xorgo, info.yorgo)
	}
	if info.end.x == 0 || info.end.y == 0 {
		mask = info.end.mask
		info.end = info.altend
	}
	s := &info
	if do360 && arc.Width == arc.Height && arc.Width&1 == 0 {
		yorgh := info.yorg + info.h
		xorghp := info.xorg + info.h
		xorghn := info.xorg - info.h
		n0 := len(pts)
		for {
			pix(info.xorg+s.x, info.yorg+s.y)
			pix(info.xorg-s.x, info.yorg+s.y)
			pix(info.xorg-s.x, info.yorgo-s.y)
			pix(info.xorg+s.x, info.yorgo-s.y)
			if s.a < 0 {
				break
			}
			pix(xorghp-s.y, yorgh-s.x)
			pix(xorghn+s.y, yorgh-s.x)
			pix(xorghn+s.y, yorgh+s.x)
			pix(xorghp-s.y, yorgh+s.x)
			s.circleStep()
		}
		if dedupe && s.x > 1 && len(pts)-n0 >= 5 && pts[len(pts)-1] == pts[len(pts)-5] {
			pts = pts[:len(pts)-4]
		}
		s.x = info.w
		s.y = info.h
	} else if do360 {
		for s.y < info.h || s.x < info.w {
			s.octantShift()
			pix(info.xorg+s.x, info.yorg+s.y)
			pix(info.xorgo-s.x, info.yorg+s.y)
			pix(info.xorgo-s.x, info.yorgo-s.y)
			pix(info.xorg+s.x, info.yorgo-s.y)
			s.step()
		}
	} else {
		for s.y < info.h || s.x < info.w {
			s.octantShift()
			if s.x == info.start.x || s.y == info.start.y {
				mask = info.start.mask
				info.start = info.altstart
			}
			do(0, info.xorg+s.x, info.yorg+s.y)
			do(1, info.xorgo-s.x, info.yorg+s.y)
			do(2, info.xorgo-s.x, info.yorgo-s.y)
			do(3, info.xorg+s.x, info.yorgo-s.y)
			if s.x == info.end.x || s.y == info.end.y {
				mask = info.end.mask
				info.end = info.altend
			}
			s.step()
		}
	}
	if s.x == info.start.x || s.y == info.start.y {
		mask = info.start.mask
	}
	do(0, info.xorg+s.x, info.yorg+s.y)
	do(2, info.xorgo-s.x, info.yorgo-s.y)
	if arc.Height&1 != 0 {
		do(1, info.xorgo-s.x, info.yorg+s.y)
		do(3, info.xorg+s.x, info.yorgo-s.y)
	}
	return pts
}

// A zeroArcDash carries the dash state from one arc to the next
// (mizerarc.c's DashInfo).
type zeroArcDash struct {
	skipStart, haveStart bool
	startPt              image.Point
	haveLast, skipLast   bool
	endPt                image.Point
	pos, init            dashPos
}

// zeroArcDashPoints appends the even and odd dash points of arc
// (miZeroArcDashPts). quad is scratch space for the four quadrants.
func zeroArcDashPoints(arc Arc, dash []uint8, di *zeroArcDash, maxPts int, quad []image.Point, even, odd []image.Point) ([]image.Point, []image.Point) {
	var arcPts [4]int
	for i := range arcPts {
		arcPts[i] = i * maxPts
	}
	var info zeroArc
	info.setup(arc, false)
	s := &info
	mask := info.initialMask
	startseg := info.startAngle / quadrant
	startPt := arcPts[startseg]
	do := func(idx, x, y int) {
		if mask&(1<<idx) != 0 && arcPts[idx] < (idx+1)*maxPts {
			quad[arcPts[idx]] = image.Point{x, y}
			arcPts[idx]++
		}
	}
	if arc.Width&1 == 0 {
		do(1, info.xorgo, info.yorg)
		do(3, info.xorgo, info.yorgo)
	}
	if info.end.x == 0 || info.end.y == 0 {
		mask = info.end.mask
		info.end = info.altend
	}
	for s.y < info.h || s.x < info.w {
		s.octantShift()
		if s.x == info.firstx || s.y == info.firsty {
			startPt = arcPts[startseg]
		}
		if s.x == info.start.x || s.y == info.start.y {
			mask = info.start.mask
			info.start = info.altstart
		}
		do(0, info.xorg+s.x, info.yorg+s.y)
		do(1, info.xorgo-s.x, info.yorg+s.y)
		do(2, info.xorgo-s.x, info.yorgo-s.y)
		do(3, info.xorg+s.x, info.yorgo-s.y)
		if s.x == info.end.x || s.y == info.end.y {
			mask = info.end.mask
			info.end = info.altend
		}
		s.step()
	}
	if s.x == info.firstx || s.y == info.firsty {
		startPt = arcPts[startseg]
	}
	if s.x == info.start.x || s.y == info.start.y {
		mask = info.start.mask
	}
	do(0, info.xorg+s.x, info.yorg+s.y)
	do(2, info.xorgo-s.x, info.yorgo-s.y)
	if arc.Height&1 != 0 {
		do(1, info.xorgo-s.x, info.yorg+s.y)
		do(3, info.xorg+s.x, info.yorgo-s.y)
	}

	// Walk the quadrants in order from the start angle; the even ones
	// were gathered backwards.
	var startPts, endPts, deltas [5]int
	for i := 0; i < 4; i++ {
		seg := (startseg + i) & 3
		pt := seg * maxPts
		if seg&1 != 0 {
			startPts[i] = pt
			endPts[i] = arcPts[seg]
			deltas[i] = 1
		} else {
			startPts[i] = arcPts[seg] - 1
			endPts[i] = pt - 1
			deltas[i] = -1
		}
	}
	startPts[4] = startPts[0]
	endPts[4] = startPt
	startPts[0] = startPt
	if startseg&1 != 0 {
		if startPts[4] != endPts[4] {
			endPts[4]--
		}
		deltas[4] = 1
	} else {
		if startPts[0] > startPts[4] {
			startPts[0]--
		}
		if startPts[4] < endPts[4] {
			endPts[4]--
		}
		deltas[4] = -1
	}
	if arc.Angle2 < 0 {
		tmpd := deltas[0]
		tmps := startPts[0] - tmpd
		tmpe := endPts[0] - tmpd
		startPts[0] = endPts[4] - deltas[4]
		endPts[0] = startPts[4] - deltas[4]
		deltas[0] = -deltas[4]
		startPts[4] = tmpe
		endPts[4] = tmps
		deltas[4] = -tmpd
		tmpd = deltas[1]
		tmps = startPts[1] - tmpd
		tmpe = endPts[1] - tmpd
		startPts[1] = endPts[3] - deltas[3]
		endPts[1] = startPts[3] - deltas[3]
		deltas[1] = -deltas[3]
		startPts[3] = tmpe
		endPts[3] = tmps
		deltas[3] = -tmpd
		tmps = startPts[2] - deltas[2]
		startPts[2] = endPts[2] - deltas[2]
		endPts[2] = tmps
		deltas[2] = -deltas[2]
	}
	at := func(i int) image.Point {
		if i < 0 || i >= len(quad) {
			return image.Point{}
		}
		return quad[i]
	}
	i := 0
	for i < 5 && startPts[i] == endPts[i] {
		i++
	}
	if i == 5 {
		return even, odd
	}
	pt := startPts[i]
	j := 4
	for startPts[j] == endPts[j] {
		j--
	}
	lastPt := endPts[j] - deltas[j]
	if di.haveLast && at(pt) == di.endPt {
		startPts[i] += deltas[i]
	} else {
		di.pos = di.init
	}
	if !di.skipStart && info.startAngle != info.endAngle {
		di.startPt = at(pt)
		di.haveStart = true
	} else if !di.skipLast && di.haveStart && at(lastPt) == di.startPt && lastPt != startPts[i] {
		endPts[j] = lastPt
	}
	if info.startAngle != info.endAngle {
		di.haveLast = true
		di.endPt = at(lastPt)
	}
	remaining := int(dash[di.pos.index]) - di.pos.offset
	for i := 0; i < 5; i++ {
		pt, last, delta := startPts[i], endPts[i], deltas[i]
		// A walk that could not end is a bug; bound it by the points.
		for guard := 4*maxPts + 2; pt != last && guard > 0; guard-- {
			isOdd := di.pos.index&1 != 0
			for pt != last {
				remaining--
				if remaining < 0 {
					break
				}
				if isOdd {
					odd = append(odd, at(pt))
				} else {
					even = append(even, at(pt))
				}
				pt += delta
			}
			if remaining <= 0 {
				di.pos.index++
				if di.pos.index == len(dash) {
					di.pos.index = 0
				}
				remaining = int(dash[di.pos.index])
			}
		}
	}
	di.pos.offset = int(dash[di.pos.index]) - remaining
	return even, odd
}
