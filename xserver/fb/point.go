package fb

import "image"

// DrawPoints combines the foreground with the pixel at each point, given in
// drawable coordinates, as PolyPoint does: the fill style plays no part.
// Points in CoordModePrevious must already be made absolute.
func DrawPoints(c Canvas, gc *GC, pts []image.Point) {
	p := c.Pixmap
	if !p.ok() || gc == nil {
		return
	}
	fg := newRop(gc.Func, gc.PlaneMask, p.Depth).solid(gc.Foreground)
	if fg.noop() {
		return
	}
	dmg := damage{obs: p.Observer}
	if c.Clip == nil || c.Clip.Len() == 1 {
		// One clip rectangle, as a window's usually is: a point costs a
		// bounds check and a store. (A thousand points a request is
		// what x11perf -dot sends.)
		box := p.Bounds()
		if c.Clip != nil {
			box = box.Intersect(c.Clip.Bounds())
		}
		drawPointsIn(p, box, c.Origin, pts, fg, &dmg)
		dmg.flush()
		return
	}
	var rows clipRows
	for _, pt := range pts {
		x, y := pt.X+c.Origin.X, pt.Y+c.Origin.Y
		if x < 0 || y < 0 || x >= p.Width || y >= p.Height {
			continue
		}
		band := rows.at(c.Clip, y)
		i := firstRight(band, x)
		if i == len(band) || band[i].Min.X > x {
			continue
		}
		i = y*p.Stride + x
		p.Pix[i] = p.Pix[i]&fg.and ^ fg.xor
		dmg.addPoint(x, y)
	}
	dmg.flush()
}

// drawPointsIn draws the points that fall in box, which lies in p.
func drawPointsIn(p *Pixmap, box image.Rectangle, org image.Point, pts []image.Point, fg solidRop, dmg *damage) {
	// Unsigned compares test both ends of the box at once.
	x0, y0 := box.Min.X-org.X, box.Min.Y-org.Y // the box in drawable coordinates
	w, h := uint(box.Dx()), uint(box.Dy())
	base := box.Min.Y*p.Stride + box.Min.X
	pix, stride := p.Pix, p.Stride
	and, xor := fg.and, fg.xor
	track := dmg.obs != nil
	for _, pt := range pts {
		x, y := pt.X-x0, pt.Y-y0
		if uint(x) >= w || uint(y) >= h {
			continue
		}
		i := base + y*stride + x
		pix[i] = pix[i]&and ^ xor
		if track {
			dmg.addPoint(x+box.Min.X, y+box.Min.Y)
		}
	}
}
