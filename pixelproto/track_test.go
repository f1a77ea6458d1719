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
		term := randRect().Intersect(bounds) // a terminal, scrolling
		for step := range 60 {
			switch op := rng.Intn(12); {
			case op >= 10 && term.Dy() > 2:
				// A line scrolls up and a new one is drawn, or not yet.
				n := 1 + rng.Intn(term.Dy()/2)
				dst := image.Rect(term.Min.X, term.Min.Y, term.Max.X, term.Max.Y-n)
				copyPixels(fb, w, dst, image.Pt(0, -n))
				tr.Copied(dst, 0, -n)
				if rng.Intn(4) != 0 {
					line := image.Rect(term.Min.X, term.Max.Y-n, term.Max.X, term.Max.Y)
					for y := line.Min.Y; y < line.Max.Y; y++ {
						for x := line.Min.X; x < line.Max.X; x++ {
							fb[y*w+x] = colour<<8 | uint32(x^y)
						}
					}
					colour++
					tr.Changed(line)
				}
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

// copyPixels moves the pixels at dst.Sub(d) to dst within fb, as a viewer
// applies a CopyRect.
func copyPixels(fb []uint32, w int, dst image.Rectangle, d image.Point) {
	if d.Y > 0 {
		for y := dst.Max.Y - 1; y >= dst.Min.Y; y-- {
			copy(fb[y*w+dst.Min.X:y*w+dst.Max.X], fb[(y-d.Y)*w+dst.Min.X-d.X:])
		}
		return
	}
	for y := dst.Min.Y; y < dst.Max.Y; y++ {
		copy(fb[y*w+dst.Min.X:y*w+dst.Max.X], fb[(y-d.Y)*w+dst.Min.X-d.X:])
	}
}

// TestFeedModel does to a MemSource what TestTrackerModel does to a
// Tracker, with what the Source adds: repaints of the same pixels, which
// its Differ leaves out, and Takes of bounded size, drained in parts.
func TestFeedModel(t *testing.T) {
	const w, h = 70, 50
	rng := rand.New(rand.NewSource(2))
	randRect := func() image.Rectangle {
		x, y := rng.Intn(w+8)-4, rng.Intn(h+8)-4
		return image.Rect(x, y, x+1+rng.Intn(w/2), y+1+rng.Intn(h/2))
	}
	for round := range 200 {
		src := NewMemSource(w, h, "model")
		f := src.Subscribe()
		view := make([]uint32, w*h)
		var u Update
		colour := uint32(1)
		term := randRect().Intersect(image.Rect(0, 0, w, h))
		for step := range 80 {
			switch op := rng.Intn(12); {
			case op >= 10 && term.Dy() > 2:
				n := 1 + rng.Intn(term.Dy()/2)
				src.Copy(image.Rect(term.Min.X, term.Min.Y, term.Max.X, term.Max.Y-n), term.Min.Add(image.Pt(0, n)))
				if rng.Intn(4) != 0 {
					src.Fill(image.Rect(term.Min.X, term.Max.Y-n, term.Max.X, term.Max.Y), colour<<8)
					colour++
				}
			case op < 3:
				src.Fill(randRect(), colour<<8)
				colour++
			case op < 5:
				// A repaint: mostly what is there, sometimes a pixel more.
				r := randRect()
				odd := rng.Intn(3) == 0
				src.Draw(r, func(pix []uint32, stride int) {
					r := r.Intersect(image.Rect(0, 0, w, h))
					if odd && !r.Empty() {
						pix[r.Min.Y*stride+r.Min.X] ^= 0x10101
					}
				})
			case op < 8:
				dst := randRect()
				d := image.Pt(rng.Intn(21)-10, rng.Intn(21)-10)
				if rng.Intn(3) == 0 {
					d = image.Pt(0, rng.Intn(5)-2)
				}
				src.Copy(dst, dst.Min.Sub(d))
			default:
				opt := TakeOptions{NoCopies: rng.Intn(4) == 0}
				if rng.Intn(2) == 0 {
					opt.MaxPixels = 1 + rng.Intn(w*h/3)
				}
				for {
					f.Take(&u, opt)
					for _, c := range u.Copies {
						copyPixels(view, w, c.Dst, c.Dst.Min.Sub(c.Src))
					}
					off := 0
					for _, r := range u.Changed {
						for y := r.Min.Y; y < r.Max.Y; y++ {
							copy(view[y*w+r.Min.X:y*w+r.Max.X], u.Pixels[off:])
							off += r.Dx()
						}
					}
					if opt.MaxPixels > 0 && off > opt.MaxPixels+w {
						t.Fatalf("took %d pixels, limit %d", off, opt.MaxPixels)
					}
					if !u.More {
						break
					}
				}
				want := src.Image()
				for i, p := range view {
					c := want.RGBAAt(i%w, i/w)
					if wp := uint32(c.R)<<16 | uint32(c.G)<<8 | uint32(c.B); wp != p {
						t.Fatalf("round %d step %d: pixel %d,%d is %#x, want %#x", round, step, i%w, i/w, p, wp)
					}
				}
			}
		}
		f.Close()
	}
}

// TestTrackerJoinsScrolls checks that a terminal scrolling line by line
// costs one copy an update, and none once every line has scrolled by.
func TestTrackerJoinsScrolls(t *testing.T) {
	var tr Tracker
	tr.Reset(image.Pt(100, 130))
	tr.Take(nil, nil)
	scroll := func() {
		tr.Copied(image.Rect(0, 0, 100, 117), 0, -13)
		tr.Changed(image.Rect(0, 117, 100, 130)) // the new line
	}
	for range 3 {
		scroll()
	}
	copies, changed := tr.Take(nil, nil)
	if want := (Copy{Dst: image.Rect(0, 0, 100, 91), Src: image.Pt(0, 39)}); len(copies) != 1 || copies[0] != want {
		t.Errorf("after 3 lines: copies %v, want %v", copies, want)
	}
	if want := image.Rect(0, 91, 100, 130); len(changed) != 1 || changed[0] != want {
		t.Errorf("after 3 lines: changed %v, want %v", changed, want)
	}
	for range 12 {
		scroll()
	}
	copies, changed = tr.Take(nil, nil)
	if want := image.Rect(0, 0, 100, 130); len(copies) != 0 || len(changed) != 1 || changed[0] != want {
		t.Errorf("after a screenful: copies %v, changed %v; want none and %v", copies, changed, want)
	}
}

// TestTrackerLeavesOutRepaints checks that a Tracker's Capture passes on
// changes, down to one pixel, and leaves out repaints of the same pixels.
func TestTrackerLeavesOutRepaints(t *testing.T) {
	const w, h = 100, 40
	pix := make([]uint32, w*h)
	var tr Tracker
	tr.Reset(image.Pt(w, h))
	var u Update
	if tr.Capture(&u, TakeOptions{}, pix, w); len(u.Changed) == 0 {
		t.Fatal("nothing changed at first")
	}
	tr.Changed(image.Rect(3, 5, 60, 30))
	if tr.Capture(&u, TakeOptions{}, pix, w); len(u.Changed) != 0 {
		t.Errorf("a repaint of the same pixels changed %v", u.Changed)
	}
	pix[21*w+40] = 1
	tr.Changed(image.Rect(3, 5, 60, 30))
	if tr.Capture(&u, TakeOptions{}, pix, w); len(u.Changed) != 1 || u.Changed[0] != image.Rect(32, 16, 48, 30) {
		t.Errorf("one pixel changed %v, want its block within the damage", u.Changed)
	}
	tr.Copied(image.Rect(0, 0, 20, 20), 5, 0)
	tr.Changed(image.Rect(0, 0, 5, 20))
	tr.Capture(&u, TakeOptions{}, pix, w)
	if len(u.Copies) != 1 || len(u.Changed) != 1 {
		t.Errorf("a copy and what it uncovered: copies %v, changed %v", u.Copies, u.Changed)
	}
	// Blocks the copy wrote are sent, even if the same, until hashed again.
	tr.Changed(image.Rect(0, 0, 20, 20))
	if tr.Capture(&u, TakeOptions{}, pix, w); len(u.Changed) != 1 || u.Changed[0] != image.Rect(16, 0, 20, 20) {
		t.Errorf("damage where the copy wrote changed %v, want the blocks not hashed since", u.Changed)
	}
	tr.Changed(image.Rect(0, 0, 20, 20))
	if tr.Capture(&u, TakeOptions{Refresh: image.Rect(0, 0, 10, 10)}, pix, w); len(u.Changed) != 1 || !image.Rect(0, 0, 10, 10).In(u.Changed[0]) {
		t.Errorf("a refresh changed %v, want all of it", u.Changed)
	}
}
