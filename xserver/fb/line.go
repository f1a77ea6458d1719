package fb

import "image"

// PolyLine draws the lines joining pts in order, as the PolyLine request
// does with CoordModeOrigin. Points are in drawable coordinates. Fewer than
// two points draw nothing, as in X.Org.
//
// Zero-width lines are Bresenham lines with Xvfb's octant bias (none);
// each joint is drawn once and the last point is drawn unless the cap style
// is CapNotLast. Wide lines are polygons with the caps and joins of gc;
// with a function that reads the destination, each pixel of the line is
// painted once. Dashes run on across the joints.
func PolyLine(c Canvas, gc *GC, pts []image.Point) {
	if len(pts) < 2 || gc == nil || !c.Pixmap.ok() {
		return
	}
	pts = boundedPoints(pts)
	if lineWidth(gc) == 0 {
		zeroPolyLine(c, gc, pts)
		return
	}
	wideLine(c, gc, pts)
}

// PolySegment draws each segment on its own, as the PolySegment request:
// the dash pattern restarts with every segment and no joins are drawn.
func PolySegment(c Canvas, gc *GC, segs []Segment) {
	if len(segs) == 0 || gc == nil || !c.Pixmap.ok() {
		return
	}
	if lineWidth(gc) != 0 {
		// X.Org draws each wide segment as a two-point PolyLine.
		w := newWideLiner(c, gc)
		var pts [2]image.Point
		for _, s := range segs {
			pts[0] = clampPt(image.Pt(s.X1, s.Y1))
			pts[1] = clampPt(image.Pt(s.X2, s.Y2))
			w.polyLine(pts[:])
		}
		w.p.done()
		return
	}
	z := newZeroLiner(c, gc)
	drawLast := gc.CapStyle != CapNotLast
	for _, s := range segs {
		a, b := clampPt(image.Pt(s.X1, s.Y1)), clampPt(image.Pt(s.X2, s.Y2))
		z.segment(a.X, a.Y, b.X, b.Y, drawLast, dashOffset(gc))
		if z.double {
			// Keep the order of fg and bg pixels between segments.
			z.p.flush()
		}
	}
	z.finish()
}

// X.Org's octant codes (miline.h). The zero-line bias has one bit per
// octant code; a set bit makes lines in that octant prefer an axial step
// when the Bresenham error term is exactly zero.
const (
	octYMajor      = 1
	octYDecreasing = 2
	octXDecreasing = 4
)

// zeroLineBias is Xvfb's bias: its -linebias option defaults to 0. (mi's
// DEFAULTZEROLINEBIAS, octants 2 to 5, is what other X.Org servers use.)
const zeroLineBias = 0

// A zeroLiner draws zero-width lines of one request.
type zeroLiner struct {
	p      *painter
	dashed bool
	double bool // odd dashes are painted too
	dashes []uint8

	// With a solid fill and a rectangular clip, lines are written straight
	// into the pixmap, as fb's fbBresSolid does, rather than as spans.
	direct bool
	fg, bg solidRop
}

func newZeroLiner(c Canvas, gc *GC) *zeroLiner {
	z := &zeroLiner{p: newPainter(c, gc)}
	// A zero-width line never paints a pixel twice, so its even and odd
	// dashes need no ordering within a segment.
	z.p.ordered = false
	if gc.LineStyle != LineSolid {
		z.dashed = true
		z.double = gc.LineStyle == LineDoubleDash
		z.dashes = dashList(gc)
	}
	if z.p.direct {
		z.direct = true
		z.fg, z.bg = z.p.rop[penFg], z.p.rop[penBg]
	}
	return z
}

// finish paints what is pending.
func (z *zeroLiner) finish() {
	z.p.done()
}

func zeroPolyLine(c Canvas, gc *GC, pts []image.Point) {
	z := newZeroLiner(c, gc)
	// X.Org's solid fast path (one clip rectangle, and a depth other than
	// 1) leaves out the final point of a closed line when the last segment
	// lies inside the clip, so the starting point is drawn once; the
	// general path draws it twice.
	fast := !z.dashed && gc.FillStyle == FillSolid && c.Depth != 1 && singleRectClip(c)
	ext := z.p.ext
	o := c.Origin
	offset := dashOffset(gc)
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		last := i == len(pts)-1
		drawLast := last && gc.CapStyle != CapNotLast
		if drawLast && fast && b == pts[0] &&
			a.Add(o).In(ext) && b.Add(o).In(ext) {
			drawLast = false
		}
		offset += z.segment(a.X, a.Y, b.X, b.Y, drawLast, offset)
		if z.double {
			// Keep the order of fg and bg pixels between segments.
			z.p.flush()
		}
	}
	z.finish()
}

// segment draws the Bresenham line from (x1, y1) to (x2, y2), in drawable
// coordinates, leaving out the last point unless drawLast, with the dash
// pattern starting dashOffset pixels in. It returns the number of pixels the
// line has along its major axis, by which the dash pattern advances.
//
// The pixel k steps along the major axis is computed in closed form from
// the Bresenham error term, so the line is cut to the clip extents before
// any pixel is visited; this is exact, like X.Org's miZeroClipLine.
func (z *zeroLiner) segment(x1, y1, x2, y2 int, drawLast bool, dashOffset int) int {
	octant := 0
	sx, sy := 1, 1
	adx, ady := x2-x1, y2-y1
	if adx < 0 {
		adx, sx = -adx, -1
		octant |= octXDecreasing
	}
	if ady < 0 {
		ady, sy = -ady, -1
		octant |= octYDecreasing
	}
	xMajor := adx > ady
	major, minor := adx, ady
	if !xMajor {
		major, minor = ady, adx
		octant |= octYMajor
	}
	bias := (zeroLineBias >> octant) & 1
	n := major
	if drawLast {
		n++
	}
	if n == 0 {
		return 0
	}
	if major == 0 {
		// A point, drawn as the last pixel of a zero-length line.
		if z.direct {
			pt := image.Pt(x1, y1).Add(z.p.c.Origin)
			if pt.In(z.p.ext) {
				var dw dasher
				if z.dashed {
					dw = newDasher(z.dashes, dashOffset)
				}
				z.run(pt.Y*z.p.c.Stride+pt.X, 1, 0, 0, -1, 0, 0, &dw)
			}
			return 0
		}
		if z.dashed && !newDasher(z.dashes, dashOffset).even() {
			if z.double {
				z.p.span(penBg, x1, y1, 1)
			}
			return 0
		}
		z.p.span(penFg, x1, y1, 1)
		return 0
	}

	// Pixel k is at major offset k and minor offset
	// floor((2*minor*k + major - bias) / (2*major)).
	// Find the range of k whose pixels lie in the clip extents.
	ext := z.p.ext.Sub(z.p.c.Origin) // drawable coordinates
	if ext.Empty() {
		return major
	}
	mj0, mj1 := ext.Min.X, ext.Max.X-1
	mn0, mn1 := ext.Min.Y, ext.Max.Y-1
	pmj, pmn, smj, smn := x1, y1, sx, sy
	if !xMajor {
		mj0, mj1, mn0, mn1 = mn0, mn1, mj0, mj1
		pmj, pmn, smj, smn = y1, x1, sy, sx
	}
	k0, k1 := 0, n-1
	// Major axis: pmj + smj*k in [mj0, mj1].
	lo, hi := (mj0-pmj)*smj, (mj1-pmj)*smj
	if lo > hi {
		lo, hi = hi, lo
	}
	k0, k1 = max(k0, lo), min(k1, hi)
	if k0 > k1 {
		return major
	}
	// Minor axis: pmn + smn*m(k) in [mn0, mn1], with m(k) nondecreasing.
	mlo, mhi := (mn0-pmn)*smn, (mn1-pmn)*smn
	if mlo > mhi {
		mlo, mhi = mhi, mlo
	}
	if minor == 0 {
		if mlo > 0 || mhi < 0 {
			return major
		}
	} else {
		// m(k) >= mlo  <=>  k >= ceil((2*major*mlo - major + bias) / (2*minor))
		k0 = max(k0, ceilDiv(2*major*mlo-major+bias, 2*minor))
		// m(k) <= mhi  <=>  2*minor*k < 2*major*(mhi+1) - major + bias
		k1 = min(k1, floorDiv(2*major*(mhi+1)-major+bias-1, 2*minor))
		if k0 > k1 {
			return major
		}
	}

	// Walk from k0 with the error term X.Org would have there.
	t := 2*minor*k0 + major - bias
	m := floorDiv(t, 2*major)
	e := t - 2*major*m - 2*major // in [-2*major, 0), as fb's e
	e1, e3 := 2*minor, -2*major
	mj, mn := pmj+smj*k0, pmn+smn*m

	var dw dasher
	if z.dashed {
		dw = newDasher(z.dashes, dashOffset+k0)
	}
	if z.direct {
		o := z.p.c.Origin
		x, y := mj+o.X, mn+o.Y
		stride := z.p.c.Stride
		step, minorStep := smj, smn*stride
		if !xMajor {
			x, y = mn+o.X, mj+o.Y
			step, minorStep = smj*stride, smn
		}
		z.run(y*stride+x, k1-k0+1, step, minorStep, e, e1, e3, &dw)
		return major
	}
	p := z.p
	if xMajor {
		// Gather runs along rows.
		runStart, runEven := mj, true
		if z.dashed {
			runEven = dw.even()
		}
		emit := func(end int) { // end exclusive, in direction sx
			if z.dashed && !runEven && !z.double {
				return
			}
			pen := penFg
			if !runEven {
				pen = penBg
			}
			if smj > 0 {
				p.span(pen, runStart, mn, end-runStart)
			} else {
				p.span(pen, end+1, mn, runStart-end)
			}
		}
		for k := k0; k <= k1; k++ {
			if z.dashed {
				if ev := dw.even(); ev != runEven {
					emit(mj)
					runStart, runEven = mj, ev
				}
				dw.step()
			}
			mj += smj
			e += e1
			if e >= 0 {
				e += e3
				if k < k1 {
					emit(mj)
					mn += smn
					runStart = mj
				}
			}
		}
		emit(mj)
		return major
	}
	// Y major: one pixel per row.
	for k := k0; k <= k1; k++ {
		pen := penFg
		draw := true
		if z.dashed {
			if !dw.even() {
				pen = penBg
				draw = z.double
			}
			dw.step()
		}
		if draw {
			p.span(pen, mn, mj, 1)
		}
		mj += smj
		e += e1
		if e >= 0 {
			e += e3
			mn += smn
		}
	}
	return major
}

// run writes n pixels of a line straight into the pixmap, starting at index
// i, stepping by step along the major axis and by minorStep when the error
// term e turns non-negative. All the pixels lie inside the clip.
func (z *zeroLiner) run(i, n, step, minorStep, e, e1, e3 int, dw *dasher) {
	pix := z.p.c.Pix
	stride := z.p.c.Stride
	fg, bg := z.fg, z.bg
	if fg.noop() && (!z.double || bg.noop()) {
		return
	}
	// Report damage in pieces of a few pixels, so that a long diagonal
	// line does not damage its whole bounding box.
	const piece = 32
	for n > 0 {
		m := min(n, piece)
		n -= m
		first, last := i, i
		if !z.dashed {
			for ; m > 0; m-- {
				pix[i] = pix[i]&fg.and ^ fg.xor
				last = i
				i += step
				e += e1
				if e >= 0 {
					e += e3
					i += minorStep
				}
			}
		} else {
			for ; m > 0; m-- {
				if dw.even() {
					pix[i] = pix[i]&fg.and ^ fg.xor
				} else if z.double {
					pix[i] = pix[i]&bg.and ^ bg.xor
				}
				dw.step()
				last = i
				i += step
				e += e1
				if e >= 0 {
					e += e3
					i += minorStep
				}
			}
		}
		if z.p.dmg.obs == nil {
			continue // nobody to tell: spare the divisions
		}
		// A piece of a line lies in the box of its end pixels.
		x0, y0 := first%stride, first/stride
		x1, y1 := last%stride, last/stride
		z.p.dmg.add(image.Rect(min(x0, x1), min(y0, y1), max(x0, x1)+1, max(y0, y1)+1))
	}
}
