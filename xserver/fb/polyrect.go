package fb

import "image"

// PolyRectangle outlines rectangles, as the PolyRectangle request: the
// outline of an x, y, width, height rectangle runs through the corners
// (x, y) and (x+width, y+height), so it covers width+1 by height+1 pixels
// for zero-width lines. Each r is Min = (x, y), Max = (x+width, y+height) in
// drawable coordinates.
//
// Like X.Org, solid mitered wide outlines are filled as four rectangles and
// everything else is drawn as a closed five-point PolyLine per rectangle.
// Coordinates are clamped to 16 bits the way X.Org clamps them.
func PolyRectangle(c Canvas, gc *GC, rs []image.Rectangle) {
	if len(rs) == 0 || gc == nil || !c.Pixmap.ok() {
		return
	}
	if gc.LineStyle == LineSolid && gc.JoinStyle == JoinMiter && lineWidth(gc) != 0 {
		miterRectangles(c, gc, rs)
		return
	}
	var pts [5]image.Point
	for _, r := range rs {
		x, y := r.Min.X, r.Min.Y
		pts[0] = image.Pt(x, y)
		pts[1] = image.Pt(clampMax(x+r.Dx(), 32767), y)
		pts[2] = image.Pt(pts[1].X, clampMax(y+r.Dy(), 32767))
		pts[3] = image.Pt(x, pts[2].Y)
		pts[4] = pts[0]
		PolyLine(c, gc, pts[:])
	}
}

func clampMin(v, lo int) int {
	if v < lo {
		return lo
	}
	return v
}

func clampMax(v, hi int) int {
	if v > hi {
		return hi
	}
	return v
}

// xrect makes the rectangle of an xRectangle's fields.
func xrect(x, y, w, h int) image.Rectangle {
	return image.Rectangle{Min: image.Pt(x, y), Max: image.Pt(x+w, y+h)}
}

// miterRectangles draws solid, mitered wide outlines as the four
// rectangles of their sides, filled in turn (X.Org's miPolyRectangle).
func miterRectangles(c Canvas, gc *GC, rs []image.Rectangle) {
	off2 := lineWidth(gc)
	off1 := off2 >> 1
	off3 := off2 - off1
	fills := make([]image.Rectangle, 0, 4*len(rs))
	for _, r := range rs {
		x, y := r.Min.X, r.Min.Y
		w, h := r.Dx(), r.Dy()
		if w == 0 && h == 0 {
			// A point: X.Org draws it at once as a zero-length wide
			// line, before the rectangles it gathers.
			pt := image.Pt(x, y)
			PolyLine(c, gc, []image.Point{pt, pt})
			continue
		}
		if h < off2 || w < off1 {
			var rx, ry, rw, rh int
			if h == 0 {
				rx, rw = x, w
			} else {
				rx, rw = clampMin(x-off1, -32768), clampMax(w+off2, 65535)
			}
			if w == 0 {
				ry, rh = y, h
			} else {
				ry, rh = clampMin(y-off1, -32768), clampMax(h+off2, 65535)
			}
			fills = append(fills, xrect(rx, ry, rw, rh))
			continue
		}
		fills = append(fills,
			xrect(clampMin(x-off1, -32768), clampMin(y-off1, -32768), clampMax(w+off2, 65535), off2),
			xrect(clampMin(x-off1, -32768), clampMax(y+off3, 32767), off2, h-off2),
			xrect(clampMax(x+w-off1, 32767), clampMax(y+off3, 32767), off2, h-off2),
			xrect(clampMin(x-off1, -32768), clampMax(y+h-off1, 32767), clampMax(w+off2, 65535), off2),
		)
	}
	FillRectangles(c, gc, fills)
}
