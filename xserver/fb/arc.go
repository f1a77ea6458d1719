package fb

import (
	"image"

	"netdisplay/xserver/region"
)

// PolyArc draws the outlines of arcs, as the PolyArc request does. Each arc
// is part of the ellipse inscribed in its rectangle, from Angle1 for Angle2
// (64ths of a degree, counter-clockwise from three o'clock; angles beyond a
// full turn are clamped to a full turn).
//
// Zero-width arcs are X.Org's integer arcs (mizerarc.c), drawn point by
// point; wide and dashed arcs are X.Org's floating point arcs (miarc.c),
// with the caps and joins of gc between arcs whose ends meet, each pixel
// painted once per connected run.
func PolyArc(c Canvas, gc *GC, arcs []Arc) {
	if len(arcs) == 0 || gc == nil || !c.Pixmap.ok() {
		return
	}
	p := newPainter(c, gc)
	in := make([]Arc, len(arcs))
	for i, a := range arcs {
		in[i] = wireArc(a)
	}
	if lineWidth(gc) != 0 {
		newWideArcer(p, gc).wideArcs(in)
		p.done()
		return
	}
	if gc.LineStyle != LineSolid || gc.FillStyle != FillSolid || c.Depth == 1 {
		// fb has no fast path for these, nor for depth 1.
		zeroPolyArc(p, gc, in)
		p.done()
		return
	}
	// fb's fast path draws an arc that lies wholly inside the clip without
	// the mi code's care for repeated points; the others go through mi.
	var pts []image.Point
	for i := range in {
		a := in[i]
		if !canZeroArc(a) {
			newWideArcer(p, gc).wideArcs(in[i : i+1])
			continue
		}
		box := image.Rect(a.X, a.Y, a.X+a.Width+1, a.Y+a.Height+1).Add(c.Origin)
		if box.Max.X <= maxShort && box.Max.Y <= maxShort && insideClip(c, box) {
			pts = zeroArcPoints(a, pts[:0], false)
			for _, pt := range pts {
				p.span(penFg, pt.X, pt.Y, 1)
			}
			continue
		}
		zeroPolyArc(p, gc, in[i:i+1])
	}
	p.done()
}

// insideClip reports whether r, in pixmap coordinates, lies wholly inside
// the pixels drawing may touch.
func insideClip(c Canvas, r image.Rectangle) bool {
	if !r.In(image.Rect(0, 0, c.Width, c.Height)) {
		return false
	}
	return c.Clip == nil || c.Clip.Overlap(r) == region.In
}

// zeroPolyArc draws zero-width arcs point by point, with dashes running on
// from one arc to the next where they meet (miZeroPolyArc).
func zeroPolyArc(p *painter, gc *GC, arcs []Arc) {
	maxPts := 0
	for i, a := range arcs {
		if !canZeroArc(a) {
			newWideArcer(p, gc).wideArcs(arcs[i : i+1])
			continue
		}
		n := a.Height + (a.Width >> 1)
		if a.Width > a.Height {
			n = a.Width + (a.Height >> 1)
		}
		maxPts = max(maxPts, n)
	}
	if maxPts == 0 {
		return
	}
	dashed := gc.LineStyle != LineSolid
	var dash []uint8
	var di zeroArcDash
	var quad []image.Point
	if dashed {
		dash = dashList(gc)
		di.init = stepDash(dashPos{}, dashOffset(gc), dash)
		quad = make([]image.Point, 4*(maxPts+1))
	}
	// The odd dashes of LineDoubleDash take the background, except for
	// the tiled fill styles.
	oddPen := penBg
	if gc.FillStyle == FillTiled || gc.FillStyle == FillOpaqueStippled {
		oddPen = penFg
	}
	var even, odd []image.Point
	for i, a := range arcs {
		if !canZeroArc(a) {
			continue
		}
		if !dashed {
			even = zeroArcPoints(a, even[:0], true)
		} else {
			di.skipLast = i != len(arcs)-1
			even, odd = zeroArcDashPoints(a, dash, &di, maxPts+1, quad, even[:0], odd[:0])
			di.skipStart = true
		}
		for _, pt := range even {
			p.span(penFg, pt.X, pt.Y, 1)
		}
		if gc.LineStyle != LineDoubleDash {
			continue
		}
		// X.Org draws the odd points in the reverse of the order it
		// found them; the order matters only for repeated points, which
		// it paints twice either way.
		for _, pt := range odd {
			p.span(oddPen, pt.X, pt.Y, 1)
		}
	}
	p.flush()
}
