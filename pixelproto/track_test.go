package pixelproto

import (
	"image"
	"math/rand"
	"testing"
)

// TestTrackerModel draws and copies at random, takes at random, and
// checks that a viewer applying what it takes always has the framebuffer:
// copies whose source was changed, copies of copies, copies with
// different deltas, copies from outside the framebuffer.
func TestTrackerModel(t *testing.T) {
	const w, h = 48, 32
	rng := rand.New(rand.NewSource(1))
	randRect := func() image.Rectangle {
		x, y := rng.Intn(w+8)-4, rng.Intn(h+8)-4
		return image.Rect(x, y, x+1+rng.Intn(w/2), y+1+rng.Intn(h/2))
	}
	for round := range 300 {
		fb := make([]uint32, w*h)
		view := make([]uint32, w*h)
		var tr Tracker
		tr.Reset(image.Pt(w, h))
		colour := uint32(1)
		bounds := image.Rect(0, 0, w, h)
		for step := range 60 {
			switch op := rng.Intn(10); {
			case op < 4:
				r := randRect().Intersect(bounds)
				for y := r.Min.Y; y < r.Max.Y; y++ {
					for x := r.Min.X; x < r.Max.X; x++ {
						fb[y*w+x] = colour<<8 | uint32(x^y)
					}
				}
				colour++
				tr.Changed(r)
			case op < 8:
				dst := randRect()
				d := image.Pt(rng.Intn(21)-10, rng.Intn(21)-10)
				if rng.Intn(3) == 0 {
					d = image.Pt(0, rng.Intn(5)-2) // scrolls repeat
				}
				clip := dst.Intersect(bounds).Intersect(bounds.Add(d))
				if !clip.Empty() {
					copyPixels(fb, w, clip, d)
				}
				// Pixels copied from outside are undefined: draw them.
				lost := dst.Intersect(bounds)
				for y := lost.Min.Y; y < lost.Max.Y; y++ {
					for x := lost.Min.X; x < lost.Max.X; x++ {
						if !image.Pt(x, y).In(clip) {
							fb[y*w+x] = 0xdead
						}
					}
				}
				tr.Copied(dst, d.X, d.Y)
			default:
				if rng.Intn(4) == 0 {
					tr.Fold()
				}
				copies, changed := tr.Take(nil, nil)
				for _, c := range copies {
					if !c.Dst.In(bounds) || !c.Dst.Sub(c.Dst.Min).Add(c.Src).In(bounds) {
						t.Fatalf("copy %v from %v outside the framebuffer", c.Dst, c.Src)
					}
					copyPixels(view, w, c.Dst, c.Dst.Min.Sub(c.Src))
				}
				for i, r := range changed {
					for _, o := range changed[:i] {
						if r.Overlaps(o) {
							t.Fatalf("changed rectangles %v and %v overlap", r, o)
						}
					}
					for y := r.Min.Y; y < r.Max.Y; y++ {
						copy(view[y*w+r.Min.X:y*w+r.Max.X], fb[y*w+r.Min.X:])
					}
				}
				for i := range fb {
					if view[i] != fb[i] {
						t.Fatalf("round %d step %d: pixel %d,%d is %#x, want %#x", round, step, i%w, i/w, view[i], fb[i])
					}
				}
				if !tr.Empty() {
					t.Fatal("tracker not empty after Take")
				}
			}
		}
	}
}

// TestTrackerMovesDamage checks the case that matters most for scrolling:
// damage under a copy's source moves with it, and no pixel is resent.
func TestTrackerMovesDamage(t *testing.T) {
	var tr Tracker
	tr.Reset(image.Pt(100, 100))
	tr.Take(nil, nil)
	tr.Changed(image.Rect(10, 50, 20, 60)) // drawn, not yet sent
	tr.Copied(image.Rect(0, 0, 100, 90), 0, -10)
	tr.Changed(image.Rect(0, 90, 100, 100)) // the new line at the bottom
	copies, changed := tr.Take(nil, nil)
	if len(copies) != 1 || copies[0].Src != image.Pt(0, 10) {
		t.Fatalf("copies %v", copies)
	}
	want := []image.Rectangle{image.Rect(10, 40, 20, 50), image.Rect(0, 90, 100, 100)}
	if len(changed) != 2 || changed[0] != want[0] || changed[1] != want[1] {
		t.Fatalf("changed %v, want %v", changed, want)
	}
}

func BenchmarkTrackerChanged(b *testing.B) {
	var tr Tracker
	tr.Reset(image.Pt(1920, 1080))
	rng := rand.New(rand.NewSource(1))
	rects := make([]image.Rectangle, 4096)
	for i := range rects {
		x, y := rng.Intn(1900), rng.Intn(1060)
		rects[i] = image.Rect(x, y, x+8, y+16) // glyphs
	}
	b.ResetTimer()
	for i := range b.N {
		tr.Changed(rects[i%len(rects)])
		if i%1000 == 999 {
			tr.Take(nil, nil)
		}
	}
}
