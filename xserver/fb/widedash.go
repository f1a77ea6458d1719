package fb

import "image"

// Indexes of the corners of a dash's polygon, for a line with dx and dy
// positive.
const (
	vTop = iota
	vRight
	vBottom
	vLeft
)

// dashLine draws a dashed wide PolyLine (miWideDash).
func (w *wideLiner) dashLine(pts []image.Point) {
	gc := w.gc
	dash := dashList(gc)
	npt := len(pts)
	x2, y2 := pts[0].X, pts[0].Y
	first := true
	selfJoin := pts[0] == pts[npt-1]
	projectLeft := gc.CapStyle == CapProjecting && !selfJoin
	projectRight := false
	pos := stepDash(dashPos{}, dashOffset(gc), dash)
	var leftFace, rightFace, prevRightFace, firstFace lineFace
	somethingDrawn := false
	var endIsFg, startIsFg, firstIsFg, prevIsFg bool
	double := gc.LineStyle == LineDoubleDash
	for i := 1; i < npt; i++ {
		x1, y1 := x2, y2
		x2, y2 = pts[i].X, pts[i].Y
		last := i == npt-1
		if x1 != x2 || y1 != y2 {
			somethingDrawn = true
			if last && gc.CapStyle == CapProjecting && (!selfJoin || !firstIsFg) {
				projectRight = true
			}
			prevIndex := pos.index
			pos = w.wideDashSegment(dash, pos, x1, y1, x2, y2, projectLeft, projectRight, &leftFace, &rightFace)
			startIsFg = prevIndex&1 == 0
			endIsFg = (pos.index&1 != 0) != (pos.offset != 0)
			if double || startIsFg {
				pixel := gc.Background
				if startIsFg {
					pixel = gc.Foreground
				}
				if first || (!double && !prevIsFg) {
					if first && selfJoin {
						firstFace = leftFace
						firstIsFg = startIsFg
					} else if gc.CapStyle == CapRound {
						w.lineArc(pixel, &leftFace, nil, 0, 0, true)
					}
				} else {
					w.lineJoin(pixel, &leftFace, &prevRightFace)
				}
			}
			prevRightFace = rightFace
			prevIsFg = endIsFg
			first = false
			projectLeft = false
		}
		if last && somethingDrawn {
			if double || endIsFg {
				pixel := gc.Background
				if endIsFg {
					pixel = gc.Foreground
				}
				if selfJoin && (double || firstIsFg) {
					w.lineJoin(pixel, &firstFace, &rightFace)
				} else if gc.CapStyle == CapRound {
					w.lineArc(pixel, nil, &rightFace, 0, 0, true)
				}
			} else if selfJoin && firstIsFg {
				// Glue a cap to the start of the line: it is on/off dashed
				// and ended in an odd dash.
				pixel := gc.Foreground
				if gc.CapStyle == CapProjecting {
					w.projectingCap(pixel, &firstFace, true, 0, 0, true)
				} else if gc.CapStyle == CapRound {
					w.lineArc(pixel, &firstFace, nil, 0, 0, true)
				}
			}
		}
	}
	// All points coincide.
	if !somethingDrawn && (double || pos.even()) {
		pixel := gc.Foreground
		if !pos.even() {
			pixel = gc.Background
		}
		switch gc.CapStyle {
		case CapRound:
			w.lineArc(pixel, nil, nil, float64(x2), float64(y2), false)
		case CapProjecting:
			lw := w.lw
			w.fillRect(pixel, x2-(lw>>1), y2-(lw>>1), lw, lw)
		}
	}
}

// wideDashSegment draws the dashes of one segment, starting at dash
// position pos, and returns the position at its end (miWideDashSegment).
func (w *wideLiner) wideDashSegment(dash []uint8, pos dashPos, x1, y1, x2, y2 int, projectLeft, projectRight bool, leftFace, rightFace *lineFace) dashPos {
	gc := w.gc
	dx := x2 - x1
	dy := y2 - y1
	dashIndex := pos.index
	dashRemain := int(dash[dashIndex]) - pos.offset
	fgPixel, bgPixel := gc.Foreground, gc.Background
	if gc.FillStyle == FillOpaqueStippled || gc.FillStyle == FillTiled {
		bgPixel = fgPixel
	}
	onOff := gc.LineStyle == LineOnOffDash

	l := float64(w.lw) / 2.0
	var L, rdx, rdy float64
	switch {
	case dx == 0:
		L = float64(dy)
		rdx = 0
		rdy = l
		if dy < 0 {
			L = float64(-dy)
			rdy = -l
		}
	case dy == 0:
		L = float64(dx)
		rdx = l
		rdy = 0
		if dx < 0 {
			L = float64(-dx)
			rdx = -l
		}
	default:
		L = crHypot(float64(dx), float64(dy))
		r := l / L
		rdx = r * float64(dx)
		rdy = r * float64(dy)
	}
	k := l * L
	LRemain := L

	var slopes [4]polySlope
	var vertices [4]polyVertex
	slopes[vTop] = polySlope{dx, dy, k}
	slopes[vRight] = polySlope{-dy, dx, 0}
	slopes[vBottom] = polySlope{-dx, -dy, k}
	slopes[vLeft] = polySlope{dy, -dx, 0}

	// Preload the start coordinates.
	vertices[vRight] = polyVertex{rdy, -rdx}
	vertices[vTop] = vertices[vRight]
	vertices[vBottom] = polyVertex{-rdy, rdx}
	vertices[vLeft] = vertices[vBottom]

	if projectLeft {
		vertices[vTop].x -= rdx
		vertices[vTop].y -= rdy
		vertices[vLeft].x -= rdx
		vertices[vLeft].y -= rdy
		slopes[vLeft].k = rdx*float64(dx) + rdy*float64(dy)
	}

	lcenterx, lcentery := float64(x1), float64(y1)
	var rcenterx, rcentery float64
	var lcapFace, rcapFace lineFace
	if gc.CapStyle == CapRound {
		lcapFace = lineFace{dx: dx, dy: dy, x: x1, y: y1}
		rcapFace = lineFace{dx: -dx, dy: -dy, x: x1, y: y1}
	}
	first := true
	var saveRight, saveBottom polyVertex
	var saveK float64
	var left, right [4]polyEdge
	for LRemain > float64(dashRemain) {
		dashDx := (float64(dashRemain) * float64(dx)) / L
		dashDy := (float64(dashRemain) * float64(dy)) / L

		rcenterx = lcenterx + dashDx
		rcentery = lcentery + dashDy

		vertices[vRight].x += dashDx
		vertices[vRight].y += dashDy
		vertices[vBottom].x += dashDx
		vertices[vBottom].y += dashDy

		slopes[vRight].k = vertices[vRight].x*float64(dx) + vertices[vRight].y*float64(dy)

		if !onOff || dashIndex&1 == 0 {
			if onOff && gc.CapStyle == CapProjecting {
				saveRight = vertices[vRight]
				saveBottom = vertices[vBottom]
				saveK = slopes[vRight].k
				if !first {
					vertices[vTop].x -= rdx
					vertices[vTop].y -= rdy
					vertices[vLeft].x -= rdx
					vertices[vLeft].y -= rdy
					slopes[vLeft].k = vertices[vLeft].x*float64(slopes[vLeft].dy) -
						vertices[vLeft].y*float64(slopes[vLeft].dx)
				}
				vertices[vRight].x += rdx
				vertices[vRight].y += rdy
				vertices[vBottom].x += rdx
				vertices[vBottom].y += rdy
				slopes[vRight].k = vertices[vRight].x*float64(slopes[vRight].dy) -
					vertices[vRight].y*float64(slopes[vRight].dx)
			}
			nleft, nright, y, h := buildPoly(vertices[:], slopes[:], x1, y1, left[:], right[:])
			pixel := fgPixel
			if dashIndex&1 != 0 {
				pixel = bgPixel
			}
			w.fillPolyHelper(pixel, y, h, left[:nleft], right[:nright])

			if onOff {
				switch gc.CapStyle {
				case CapProjecting:
					vertices[vBottom] = saveBottom
					vertices[vRight] = saveRight
					slopes[vRight].k = saveK
				case CapRound:
					if !first {
						if dx < 0 {
							lcapFace.xa = -vertices[vLeft].x
							lcapFace.ya = -vertices[vLeft].y
							lcapFace.k = slopes[vLeft].k
						} else {
							lcapFace.xa = vertices[vTop].x
							lcapFace.ya = vertices[vTop].y
							lcapFace.k = -slopes[vLeft].k
						}
						w.lineArc(pixel, &lcapFace, nil, lcenterx, lcentery, false)
					}
					if dx < 0 {
						rcapFace.xa = vertices[vBottom].x
						rcapFace.ya = vertices[vBottom].y
						rcapFace.k = slopes[vRight].k
					} else {
						rcapFace.xa = -vertices[vRight].x
						rcapFace.ya = -vertices[vRight].y
						rcapFace.k = -slopes[vRight].k
					}
					w.lineArc(pixel, nil, &rcapFace, rcenterx, rcentery, false)
				}
			}
		}
		LRemain -= float64(dashRemain)
		dashIndex++
		if dashIndex == len(dash) {
			dashIndex = 0
		}
		dashRemain = int(dash[dashIndex])

		lcenterx, lcentery = rcenterx, rcentery

		vertices[vTop] = vertices[vRight]
		vertices[vLeft] = vertices[vBottom]
		slopes[vLeft].k = -slopes[vRight].k
		first = false
	}

	if !onOff || dashIndex&1 == 0 {
		vertices[vTop].x -= float64(dx)
		vertices[vTop].y -= float64(dy)
		vertices[vLeft].x -= float64(dx)
		vertices[vLeft].y -= float64(dy)

		vertices[vRight] = polyVertex{rdy, -rdx}
		vertices[vBottom] = polyVertex{-rdy, rdx}

		if projectRight {
			vertices[vRight].x += rdx
			vertices[vRight].y += rdy
			vertices[vBottom].x += rdx
			vertices[vBottom].y += rdy
			slopes[vRight].k = vertices[vRight].x*float64(slopes[vRight].dy) -
				vertices[vRight].y*float64(slopes[vRight].dx)
		} else {
			slopes[vRight].k = 0
		}

		if !first && onOff && gc.CapStyle == CapProjecting {
			vertices[vTop].x -= rdx
			vertices[vTop].y -= rdy
			vertices[vLeft].x -= rdx
			vertices[vLeft].y -= rdy
			slopes[vLeft].k = vertices[vLeft].x*float64(slopes[vLeft].dy) -
				vertices[vLeft].y*float64(slopes[vLeft].dx)
		} else {
			slopes[vLeft].k += float64(dx*dx + dy*dy)
		}

		nleft, nright, y, h := buildPoly(vertices[:], slopes[:], x2, y2, left[:], right[:])
		pixel := gc.Foreground
		if dashIndex&1 != 0 {
			pixel = gc.Background
		}
		w.fillPolyHelper(pixel, y, h, left[:nleft], right[:nright])
		if !first && onOff && gc.CapStyle == CapRound {
			lcapFace.x = x2
			lcapFace.y = y2
			if dx < 0 {
				lcapFace.xa = -vertices[vLeft].x
				lcapFace.ya = -vertices[vLeft].y
				lcapFace.k = slopes[vLeft].k
			} else {
				lcapFace.xa = vertices[vTop].x
				lcapFace.ya = vertices[vTop].y
				lcapFace.k = -slopes[vLeft].k
			}
			w.lineArc(pixel, &lcapFace, nil, rcenterx, rcentery, false)
		}
	}
	// X.Org keeps the remainder in an int: the fraction is dropped.
	dashRemain = cint(float64(dashRemain) - LRemain)
	if dashRemain == 0 {
		dashIndex++
		if dashIndex == len(dash) {
			dashIndex = 0
		}
		dashRemain = int(dash[dashIndex])
	}

	*leftFace = lineFace{x: x1, y: y1, dx: dx, dy: dy, xa: rdy, ya: -rdx, k: k}
	*rightFace = lineFace{x: x2, y: y2, dx: -dx, dy: -dy, xa: -rdy, ya: rdx, k: k}

	return dashPos{index: dashIndex, offset: int(dash[dashIndex]) - dashRemain}
}
