package fb

// Splitting wide and dashed arcs into the pieces to draw, with their caps
// and joins (miarc.c's miComputeArcs). Dash lengths are measured along a
// 90-point polygonal approximation of a quadrant of the ellipse.

const dashMapSize = 91

type dashMap [dashMapSize]float64

func dashIndexToAngle(di int) float64 {
	return (float64(di) * 90.0) / (float64(dashMapSize) - 1)
}

func xAngleToDashIndex(xa int) int { return (xa * (dashMapSize - 1)) / (90 * 64) }

func dashIndexToXAngle(di int) int { return (di * (90 * 64)) / (dashMapSize - 1) }

var dashXAngleStep = float64(90*64) / (float64(dashMapSize) - 1)

func computeDashMap(a Arc, m *dashMap) {
	var prevx, prevy float64
	for di := 0; di < dashMapSize; di++ {
		ang := dashIndexToAngle(di)
		x := (float64(a.Width) / 2.0) * miDcos(ang)
		y := (float64(a.Height) / 2.0) * miDsin(ang)
		if di == 0 {
			m[di] = 0.0
		} else {
			m[di] = m[di-1] + crHypot(x-prevx, y-prevy)
		}
		prevx, prevy = x, y
	}
}

func angleToLength(angle int, m *dashMap) float64 {
	sidelen := m[dashMapSize-1]
	totallen := 0.0
	oddSide := false
	if angle >= 0 {
		for angle >= 90*64 {
			angle -= 90 * 64
			totallen += sidelen
			oddSide = !oddSide
		}
	} else {
		for angle < 0 {
			angle += 90 * 64
			totallen -= sidelen
			oddSide = !oddSide
		}
	}
	if oddSide {
		angle = 90*64 - angle
	}
	di := xAngleToDashIndex(angle)
	excess := angle - dashIndexToXAngle(di)
	l := m[di]
	// Interpolate linearly to the next point.
	if excess > 0 && di+1 < dashMapSize {
		l += (m[di+1] - m[di]) * float64(excess) / dashXAngleStep
	}
	if oddSide {
		totallen += sidelen - l
	} else {
		totallen += l
	}
	return totallen
}

// lengthToAngle maps a length along the arc, possibly more than one turn,
// to an angle.
func lengthToAngle(l float64, m *dashMap) int {
	sidelen := m[dashMapSize-1]
	angle := 0
	oddSide := false
	if l >= 0 {
		if sidelen == 0 {
			return 2 * fullCircle // infinity
		}
		for l >= sidelen {
			angle += 90 * 64
			l -= sidelen
			oddSide = !oddSide
		}
	} else {
		if sidelen == 0 {
			return -2 * fullCircle
		}
		for l < 0 {
			angle -= 90 * 64
			l += sidelen
			oddSide = !oddSide
		}
	}
	if oddSide {
		l = sidelen - l
	}
	a0, a1 := 0, dashMapSize-1
	// Binary search for the closest precomputed length.
	for a1-a0 > 1 {
		a := (a0 + a1) / 2
		if l > m[a] {
			a0 = a
		} else {
			a1 = a
		}
	}
	excess := dashIndexToXAngle(a0)
	// Interpolate linearly to the next point; C truncates to int.
	excess = cint(float64(excess) + (l-m[a0])/(m[a0+1]-m[a0])*dashXAngleStep)
	if oddSide {
		angle += 90*64 - excess
	} else {
		angle += excess
	}
	return angle
}

// angleFromPath returns the angle reached by going *lenp along the arc
// from startAngle, stopping at endAngle; *lenp is left holding what is
// left over (computeAngleFromPath).
func angleFromPath(startAngle, endAngle int, m *dashMap, lenp *int, backwards bool) int {
	a0, a1 := startAngle, endAngle
	l := *lenp
	if backwards {
		// Flip the problem around to always be forwards.
		a0 = fullCircle - a0
		a1 = fullCircle - a1
	}
	if a1 < a0 {
		a1 += fullCircle
	}
	len0 := angleToLength(a0, m)
	a := lengthToAngle(len0+float64(l), m)
	if a > a1 {
		a = a1
		l = cint(float64(l) - (angleToLength(a1, m) - len0))
	} else {
		l = 0
	}
	if backwards {
		a = fullCircle - a
	}
	*lenp = l
	return a
}

// arcRef names an arc of a phase.
type arcRef struct {
	phase, index int
}

func (pa *polyArcRec) addArc(a Arc) int {
	pa.arcs = append(pa.arcs, arcDataRec{arc: a})
	return len(pa.arcs) - 1
}

func (pa *polyArcRec) addCap(end, index int) {
	pa.caps = append(pa.caps, arcCapRec{arcIndex: index, end: end})
}

func (pa *polyArcRec) addJoin(end0, index0, phase0, end1, index1, phase1 int) {
	pa.joins = append(pa.joins, arcJoinRec{
		arcIndex0: index0, arcIndex1: index1,
		phase0: phase0, phase1: phase1,
		end0: end0, end1: end1,
	})
}

func clampAngle(a int) int {
	return min(max(a, -fullCircle), fullCircle)
}

func normStart(a int) int {
	if a < 0 {
		a = fullCircle - (-a)%fullCircle
	}
	if a >= fullCircle {
		a %= fullCircle
	}
	return a
}

// computeArcs sorts the arcs of a request into the arcs, caps and joins to
// draw: one set, or two for LineDoubleDash (even dashes in [0], odd in
// [1]).
func computeArcs(parcs []Arc, gc *GC) []polyArcRec {
	isDashed := gc.LineStyle != LineSolid
	isDoubleDash := gc.LineStyle == LineDoubleDash
	var dash []uint8
	if isDashed {
		dash = dashList(gc)
	}
	narcs := len(parcs)
	type ends struct {
		x0, y0, x1, y1 float64
		selfJoin       bool
	}
	data := make([]ends, narcs)
	nphase := 1
	if isDoubleDash {
		nphase = 2
	}
	arcs := make([]polyArcRec, nphase)
	for i, a := range parcs {
		a0 := float64(a.Angle1) / 64.0
		angle2 := clampAngle(a.Angle2)
		data[i].selfJoin = angle2 == fullCircle || angle2 == -fullCircle
		a1 := float64(a.Angle1+angle2) / 64.0
		data[i].x0 = float64(a.X) + float64(a.Width)/2*(1+miDcos(a0))
		data[i].y0 = float64(a.Y) + float64(a.Height)/2*(1-miDsin(a0))
		data[i].x1 = float64(a.X) + float64(a.Width)/2*(1+miDcos(a1))
		data[i].y1 = float64(a.Y) + float64(a.Height)/2*(1-miDsin(a1))
	}

	iphase := 0
	var iDash, dashRemaining, iDashStart, dashRemainingStart int
	if isDashed {
		offset := dashOffset(gc)
		dashRemaining = int(dash[0])
		for offset > 0 {
			if offset >= dashRemaining {
				offset -= dashRemaining
				iphase = 1 - iphase
				iDash++
				if iDash == len(dash) {
					iDash = 0
				}
				dashRemaining = int(dash[iDash])
			} else {
				dashRemaining -= offset
				offset = 0
			}
		}
		iDashStart = iDash
		dashRemainingStart = dashRemaining
	}
	iphaseStart := iphase
	onPhase := func(ph int) bool { return ph == 0 || isDoubleDash }

	i := narcs - 1
	for ; i >= 0; i-- {
		j := i + 1
		if j == narcs {
			j = 0
		}
		if data[i].selfJoin || i == j ||
			!isEqual(data[i].x1, data[j].x0) || !isEqual(data[i].y1, data[j].y0) {
			if onPhase(iphase) {
				arcs[iphase].addCap(rightEnd, 0)
			}
			break
		}
	}
	start := i + 1
	if start == narcs {
		start = 0
	}
	i = start
	k, nextk, prevphase := 0, 0, 0
	for {
		j := i + 1
		if j == narcs {
			j = 0
		}
		nexti := j
		arc := arcRef{-1, -1}
		at := func(r arcRef) *arcDataRec { return &arcs[r.phase].arcs[r.index] }
		if isDashed {
			// Special rules for certain zero-area arcs.
			const horizontal, vertical, other = 0, 1, 2
			arcType := other
			pa := parcs[i]
			if pa.Height == 0 && pa.Angle1%fullCircle == 0x2d00 && pa.Angle2 == 0x2d00 {
				arcType = horizontal
			} else if pa.Width == 0 && pa.Angle1%fullCircle == 0x1680 && pa.Angle2 == 0x2d00 {
				arcType = vertical
			}
			var m dashMap
			var startAngle, endAngle int
			backwards := false
			xarc := pa
			if arcType == other {
				computeDashMap(pa, &m)
				startAngle = normStart(pa.Angle1)
				spanAngle := clampAngle(pa.Angle2)
				endAngle = startAngle + spanAngle
				backwards = spanAngle < 0
			} else if arcType == vertical {
				xarc.Angle1 = 0x1680
				startAngle = pa.Y
				endAngle = startAngle + pa.Height
			} else {
				xarc.Angle1 = 0x2d00
				startAngle = pa.X
				endAngle = startAngle + pa.Width
			}
			dashAngle := startAngle
			selfJoin := data[i].selfJoin && onPhase(iphase)
			// Add the dashes to each bucket; every pass moves at least
			// one unit, the guard only stops nonsense.
			for guard := 1 << 20; dashAngle != endAngle && guard > 0; guard-- {
				prevDashAngle := dashAngle
				if arcType == other {
					dashAngle = angleFromPath(prevDashAngle, endAngle, &m, &dashRemaining, backwards)
					// Avoid trouble with huge arcs and small dashes.
					if dashAngle == prevDashAngle {
						if backwards {
							dashAngle--
						} else {
							dashAngle++
						}
					}
				} else {
					thisLength := endAngle - dashAngle
					if dashAngle+dashRemaining <= endAngle {
						thisLength = dashRemaining
					}
					thisLength &= 0xffff // CARD16
					if arcType == vertical {
						xarc.Y = int(int16(dashAngle))
						xarc.Height = thisLength
					} else {
						xarc.X = int(int16(dashAngle))
						xarc.Width = thisLength
					}
					dashAngle += thisLength
					dashRemaining -= thisLength
				}
				if onPhase(iphase) {
					if arcType == other {
						xarc = pa
						xarc.Angle1 = normStart(prevDashAngle)
						spanAngle := dashAngle - prevDashAngle
						if backwards {
							if dashAngle > prevDashAngle {
								spanAngle = -fullCircle + spanAngle
							}
						} else if dashAngle < prevDashAngle {
							spanAngle = fullCircle + spanAngle
						}
						xarc.Angle2 = clampAngle(spanAngle)
					}
					arc = arcRef{iphase, arcs[iphase].addArc(xarc)}
					// Cap each end of an on/off dash.
					if !isDoubleDash {
						if prevDashAngle != startAngle {
							arcs[iphase].addCap(rightEnd, arc.index)
						}
						if dashAngle != endAngle {
							arcs[iphase].addCap(leftEnd, arc.index)
						}
					}
					ad := at(arc)
					ad.cap = len(arcs[iphase].caps)
					ad.join = len(arcs[iphase].joins)
					ad.render = false
					ad.selfJoin = false
					if dashAngle == endAngle {
						ad.selfJoin = selfJoin
					}
				}
				prevphase = iphase
				if dashRemaining <= 0 {
					iDash++
					if iDash == len(dash) {
						iDash = 0
					}
					iphase = 1 - iphase
					dashRemaining = int(dash[iDash])
				}
			}
			// Make sure a place exists for the position data when drawing
			// a zero-length arc.
			if startAngle == endAngle {
				prevphase = iphase
				if !isDoubleDash && iphase == 1 {
					prevphase = 0
				}
				arc = arcRef{prevphase, arcs[prevphase].addArc(pa)}
				ad := at(arc)
				ad.join = len(arcs[prevphase].joins)
				ad.cap = len(arcs[prevphase].caps)
				ad.selfJoin = data[i].selfJoin
			}
		} else {
			arc = arcRef{iphase, arcs[iphase].addArc(parcs[i])}
			ad := at(arc)
			ad.join = len(arcs[iphase].joins)
			ad.cap = len(arcs[iphase].caps)
			ad.selfJoin = data[i].selfJoin
			prevphase = iphase
		}
		if onPhase(prevphase) {
			k = len(arcs[prevphase].arcs) - 1
		}
		if onPhase(iphase) {
			nextk = len(arcs[iphase].arcs)
		}
		if nexti == start {
			nextk = 0
			if isDashed {
				iDash = iDashStart
				iphase = iphaseStart
				dashRemaining = dashRemainingStart
			}
		}
		arcsJoin := narcs > 1 && i != j &&
			isEqual(data[i].x1, data[j].x0) && isEqual(data[i].y1, data[j].y0) &&
			!data[i].selfJoin && !data[j].selfJoin
		if arc.index >= 0 {
			at(arc).render = !arcsJoin
		}
		if arcsJoin && onPhase(prevphase) && onPhase(iphase) {
			joinphase := iphase
			if isDoubleDash {
				if nexti == start {
					joinphase = iphaseStart
				}
				// A join right at a dash is drawn in the foreground:
				// those arcs are computed second, and the join needs
				// both.
				if joinphase != prevphase {
					joinphase = 0
				}
			}
			if onPhase(joinphase) {
				arcs[joinphase].addJoin(leftEnd, k, prevphase, rightEnd, nextk, iphase)
				if arc.index >= 0 {
					at(arc).join = len(arcs[prevphase].joins)
				}
			}
		} else {
			// Cap the left end of this arc unless it joins itself.
			if onPhase(prevphase) && arc.index >= 0 && !at(arc).selfJoin {
				arcs[prevphase].addCap(leftEnd, k)
				at(arc).cap = len(arcs[prevphase].caps)
			}
			if isDashed && !arcsJoin {
				iDash = iDashStart
				iphase = iphaseStart
				dashRemaining = dashRemainingStart
			}
			if iphase < len(arcs) {
				// (X.Org reads past its array here for on/off dashes;
				// the value is never used then.)
				nextk = len(arcs[iphase].arcs)
			}
			if nexti == start {
				nextk = 0
				iDash = iDashStart
				iphase = iphaseStart
				dashRemaining = dashRemainingStart
			}
			// Cap the right end of the next arc. If the next arc is the
			// first one, only if it joins this one: the case where the
			// final dash of an on/off line is off.
			if onPhase(iphase) && (nexti != start || (arcsJoin && isDashed)) {
				arcs[iphase].addCap(rightEnd, nextk)
			}
		}
		i = nexti
		if i == start {
			break
		}
	}
	// Make sure the last section is rendered.
	for ph := range arcs {
		if n := len(arcs[ph].arcs); n > 0 {
			last := &arcs[ph].arcs[n-1]
			last.render = true
			last.join = len(arcs[ph].joins)
			last.cap = len(arcs[ph].caps)
		}
	}
	return arcs
}
