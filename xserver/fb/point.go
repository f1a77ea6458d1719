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
	var rows clipRows
	for _, pt := range pts {
		x, y := pt.X+c.Origin.X, pt.Y+c.Origin.Y
		if x < 0 || y < 0 || x >= p.Width || y >= p.Height {
			continue
		}
		if c.Clip != nil {
			band := rows.at(c.Clip, y)
			i := firstRight(band, x)
			if i == len(band) || band[i].Min.X > x {
				continue
			}
		}
		i := y*p.Stride + x
		p.Pix[i] = p.Pix[i]&fg.and ^ fg.xor
		dmg.add(image.Rect(x, y, x+1, y+1))
	}
	dmg.flush()
}
