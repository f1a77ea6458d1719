package wm

import (
	"image"
	"slices"
)

// place finds where a new frame of size sz goes on screen, among the
// frames already there (taken): the first spot, in rows from the top
// left, where it overlaps none of them, or else the spot where it covers
// the least of them. Spots are tried at the screen's corner, against the
// right and bottom edges of the frames, gap apart, and down the diagonal
// from the corner, step apart, so that even on a full screen windows do
// not pile up in one place.
func place(sz image.Point, screen image.Rectangle, taken []image.Rectangle, gap, step int) image.Point {
	corner := screen.Min.Add(image.Pt(gap, gap))
	xs := []int{corner.X}
	ys := []int{corner.Y}
	for _, r := range taken {
		xs = append(xs, r.Max.X+gap)
		ys = append(ys, r.Max.Y+gap)
	}
	slices.Sort(xs)
	slices.Sort(ys)
	var spots []image.Point
	for _, y := range slices.Compact(ys) {
		for _, x := range slices.Compact(xs) {
			spots = append(spots, image.Pt(x, y))
		}
	}
	for p := corner; step > 0 && p.Add(sz).In(screen); p = p.Add(image.Pt(step, step)) {
		spots = append(spots, p)
	}
	best, least := corner, -1
	for _, p := range spots {
		r := image.Rectangle{p, p.Add(sz)}
		if !r.In(screen) {
			continue
		}
		n := covered(r, taken)
		if n == 0 {
			return p
		}
		if slices.ContainsFunc(taken, func(t image.Rectangle) bool { return t.Min == p }) {
			n += sz.X * sz.Y // right on top of another: the worst place
		}
		if least < 0 || n < least {
			best, least = p, n
		}
	}
	return best
}

// covered is how much of the rectangles rs r covers, in pixels.
func covered(r image.Rectangle, rs []image.Rectangle) int {
	n := 0
	for _, s := range rs {
		i := r.Intersect(s)
		n += i.Dx() * i.Dy()
	}
	return n
}
