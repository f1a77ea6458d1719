package term

import (
	"image"
	"math"
	"sort"
)

// A view maps the framebuffer onto the terminal. Each cell shows two
// pixels, one above the other (the upper half block's foreground and its
// background), so the terminal is a grid of cols x 2*rows half-cells, each
// about square. A half-cell shows the average of the framebuffer pixels
// it covers.
type view struct {
	fb         image.Point // the framebuffer's size
	cols, rows int         // the image area, in cells
	fit        bool        // the scale follows the sizes so that everything shows
	scale      float64     // framebuffer pixels per half-cell, each way
	pan        image.Point // the framebuffer pixel at the area's top-left

	// xs[c] is the first framebuffer column that cell column c covers,
	// and ys[h] the first row that half-row h covers; each has one more
	// entry than there are columns or half-rows.
	xs, ys []int
}

// Scales the zoom keys step through are multiplied or divided by this.
const zoomStep = 1.5

// Zoom limits: at most 8 half-cells per pixel, and at least 1 half-cell
// per 64x64 pixels.
const (
	minScale = 1.0 / 8
	maxScale = 64
)

// layout sets the sizes and recomputes the mapping.
func (v *view) layout(fb image.Point, cols, rows int) {
	v.fb, v.cols, v.rows = fb, max(cols, 0), max(rows, 0)
	if v.fit || v.scale == 0 {
		v.fit = true
		v.scale = fitScale(fb, v.cols, v.rows)
	}
	v.clampPan()
	v.xs = edges(v.xs, v.pan.X, v.scale, v.cols)
	v.ys = edges(v.ys, v.pan.Y, v.scale, 2*v.rows)
}

// fitScale is the scale at which the whole framebuffer shows.
func fitScale(fb image.Point, cols, rows int) float64 {
	if fb.X < 1 || fb.Y < 1 || cols < 1 || rows < 1 {
		return 1
	}
	return min(max(float64(fb.X)/float64(cols), float64(fb.Y)/float64(2*rows)), maxScale)
}

// edges returns the first pixel of each of n half-cells, and where the
// last ends.
func edges(e []int, origin int, scale float64, n int) []int {
	e = e[:0]
	for i := 0; i <= n; i++ {
		// The epsilon keeps 200*6.4 at 1280, not 1279.
		e = append(e, origin+int(math.Floor(float64(i)*scale+1e-9)))
	}
	return e
}

// span returns the pixels half-cell i covers, [lo, hi): at least one, so
// that magnified pixels fill every half-cell they fall in.
func span(e []int, i int) (lo, hi int) {
	return e[i], max(e[i+1], e[i]+1)
}

// touching returns the half-cells [i, j) whose spans overlap [lo, hi).
func touching(e []int, lo, hi int) (i, j int) {
	n := len(e) - 1
	i = sort.Search(n, func(k int) bool { _, h := span(e, k); return h > lo })
	j = sort.Search(n, func(k int) bool { return e[k] >= hi })
	return i, max(i, j)
}

// extent is how many framebuffer pixels the area spans, each way.
func (v *view) extent() (w, h int) {
	return int(math.Floor(float64(v.cols)*v.scale + 1e-9)), int(math.Floor(float64(2*v.rows)*v.scale + 1e-9))
}

func (v *view) clampPan() {
	w, h := v.extent()
	v.pan.X = max(0, min(v.pan.X, v.fb.X-w))
	v.pan.Y = max(0, min(v.pan.Y, v.fb.Y-h))
}

// zoom multiplies the scale by f, keeping the framebuffer point at the
// middle of the area where it is.
func (v *view) zoom(f float64) {
	s := min(max(v.scale*f, minScale), maxScale)
	w, h := v.extent()
	cx, cy := float64(v.pan.X)+float64(w)/2, float64(v.pan.Y)+float64(h)/2
	v.fit, v.scale = false, s
	w, h = v.extent()
	v.pan = image.Pt(int(math.Round(cx-float64(w)/2)), int(math.Round(cy-float64(h)/2)))
	v.layout(v.fb, v.cols, v.rows)
}

// setScale shows s framebuffer pixels per half-cell, from the same top-left.
func (v *view) setScale(s float64) {
	v.fit, v.scale = false, s
	v.layout(v.fb, v.cols, v.rows)
}

func (v *view) fitAll() {
	v.fit = true
	v.pan = image.Point{}
	v.layout(v.fb, v.cols, v.rows)
}

// move pans by a fraction of the area, (dx, dy) in quarters.
func (v *view) move(dx, dy int) {
	w, h := v.extent()
	v.pan.X += dx * max(w/4, 1)
	v.pan.Y += dy * max(h/4, 1)
	v.layout(v.fb, v.cols, v.rows)
}

// point returns the framebuffer pixel under the middle of cell (x, y),
// within the framebuffer.
func (v *view) point(x, y int) image.Point {
	px := v.pan.X + int(math.Floor((float64(x)+0.5)*v.scale))
	py := v.pan.Y + int(math.Floor(float64(2*y+1)*v.scale))
	return image.Pt(max(0, min(px, v.fb.X-1)), max(0, min(py, v.fb.Y-1)))
}

// screenSize is the framebuffer size that fills the area at this scale.
func (v *view) screenSize() image.Point {
	w, h := v.extent()
	return image.Pt(max(w, 1), max(h, 1))
}
