package desktop

import (
	"image"
	"math"
)

// A view places a framebuffer in the window: scaled by one factor both
// ways, so that it keeps its aspect, and centred.
type view struct {
	fb    image.Point // the framebuffer's size
	win   image.Point // the window's (the screen image's) size in pixels
	scale float64
	at    image.Point // where the framebuffer's origin is in the window
}

// layout fits a framebuffer of size fb into a window of size win. It
// keeps the scale the user asked for when the window is the framebuffer
// at that scale, give or take the rounding of a pixel, so that a window
// made for scale 2 shows exactly two window pixels per framebuffer pixel
// rather than 2.0025; any other window gets the largest scale that fits.
func layout(fb, win image.Point, want float64) view {
	v := view{fb: fb, win: win, scale: 1}
	if fb.X <= 0 || fb.Y <= 0 || win.X <= 0 || win.Y <= 0 {
		return v
	}
	if atScale(fb, win, want) {
		v.scale = want
	} else {
		v.scale = math.Min(float64(win.X)/float64(fb.X), float64(win.Y)/float64(fb.Y))
	}
	size := v.shown()
	// Whole-pixel offsets keep a scale-1 picture exact.
	v.at = image.Pt((win.X-size.X)/2, (win.Y-size.Y)/2)
	return v
}

// atScale reports whether a window of size win is a framebuffer of size
// fb at scale s, give or take the rounding of a pixel.
func atScale(fb, win image.Point, s float64) bool {
	fits := func(n, w int) bool {
		d := float64(w) - float64(n)*s
		return d > -0.5 && d < math.Max(s, 1)
	}
	return s > 0 && fits(fb.X, win.X) && fits(fb.Y, win.Y)
}

// shown is the size of the framebuffer on the screen.
func (v view) shown() image.Point {
	return image.Pt(int(math.Round(float64(v.fb.X)*v.scale)), int(math.Round(float64(v.fb.Y)*v.scale)))
}

// rect is where the framebuffer is in the window.
func (v view) rect() image.Rectangle {
	return image.Rectangle{v.at, v.at.Add(v.shown())}
}

// toFB maps a window position to the framebuffer pixel shown there,
// clamped to the framebuffer, and says whether the position was over the
// picture at all.
func (v view) toFB(p image.Point) (image.Point, bool) {
	if v.fb.X <= 0 || v.fb.Y <= 0 {
		return image.Point{}, false
	}
	in := p.In(v.rect())
	q := image.Pt(
		int(math.Floor(float64(p.X-v.at.X)/v.scale)),
		int(math.Floor(float64(p.Y-v.at.Y)/v.scale)),
	)
	q.X = min(max(q.X, 0), v.fb.X-1)
	q.Y = min(max(q.Y, 0), v.fb.Y-1)
	return q, in
}

// windowFor is the window size that shows a framebuffer of size fb at
// scale s.
func windowFor(fb image.Point, s float64) image.Point {
	return image.Pt(max(int(math.Round(float64(fb.X)*s)), 1), max(int(math.Round(float64(fb.Y)*s)), 1))
}

// fbFor is the framebuffer size that a window of size win shows at scale
// s: what X mode asks the display to become when the window is resized.
func fbFor(win image.Point, s float64) image.Point {
	return image.Pt(max(int(float64(win.X)/s), 1), max(int(float64(win.Y)/s), 1))
}
