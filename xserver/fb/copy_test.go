package fb

import (
	"fmt"
	"image"
	"math/rand"
	"testing"

	"netdisplay/xserver/region"
)

// replay rebuilds after from before using only the Observer's reports, as a
// VNC server mirroring the screen would: Copied moves pixels of the mirror
// (each rectangle at once), Changed fetches them from after.
func replay(t *testing.T, what string, rec *recorder, order []any, before, after *Pixmap) {
	t.Helper()
	m := clonePixmap(before)
	for _, rep := range order {
		switch rep := rep.(type) {
		case copyReport:
			tmp := make([]uint32, 0, rep.r.Dx()*rep.r.Dy())
			for y := rep.r.Min.Y; y < rep.r.Max.Y; y++ {
				for x := rep.r.Min.X; x < rep.r.Max.X; x++ {
					tmp = append(tmp, m.At(x-rep.dx, y-rep.dy))
				}
			}
			for y := rep.r.Min.Y; y < rep.r.Max.Y; y++ {
				for x := rep.r.Min.X; x < rep.r.Max.X; x++ {
					m.Set(x, y, tmp[0])
					tmp = tmp[1:]
				}
			}
		case image.Rectangle:
			for y := rep.Min.Y; y < rep.Max.Y; y++ {
				for x := rep.Min.X; x < rep.Max.X; x++ {
					m.Set(x, y, after.At(x, y))
				}
			}
		}
	}
	samePixels(t, what+" (replayed from reports)", m, after)
}

// orderedRecorder keeps reports in the order they came.
type orderedRecorder struct {
	recorder
	order []any
}

func (r *orderedRecorder) Changed(rect image.Rectangle) {
	r.recorder.Changed(rect)
	r.order = append(r.order, rect)
}

func (r *orderedRecorder) Copied(rect image.Rectangle, dx, dy int) {
	r.recorder.Copied(rect, dx, dy)
	r.order = append(r.order, copyReport{rect, dx, dy})
}

func TestCopyAreaModel(t *testing.T) {
	rng := rand.New(rand.NewSource(20))
	for i := 0; i < 4000; i++ {
		depth := depths[rng.Intn(len(depths))]
		w, h := 1+rng.Intn(40), 1+rng.Intn(30)
		p := randPixmap(rng, w, h, depth)
		src := p
		if rng.Intn(3) == 0 {
			src = randPixmap(rng, 1+rng.Intn(40), 1+rng.Intn(30), depth)
		}
		gc := randGC(rng, depth)
		if rng.Intn(2) == 0 {
			gc.Func, gc.PlaneMask = FuncCopy, ^uint32(0)
		}
		c := Canvas{Pixmap: p, Origin: image.Pt(rng.Intn(7)-3, rng.Intn(7)-3), Clip: randClip(rng, w, h)}
		srcOrigin := image.Pt(rng.Intn(7)-3, rng.Intn(7)-3)
		if src == p {
			srcOrigin = c.Origin
		}
		sx, sy := rng.Intn(w+10)-5, rng.Intn(h+10)-5
		sr := image.Rect(sx, sy, sx+rng.Intn(w+1), sy+rng.Intn(h+1))
		dp := image.Pt(sx+rng.Intn(11)-5, sy+rng.Intn(11)-5)
		if rng.Intn(3) == 0 {
			dp = image.Pt(rng.Intn(w+10)-5, rng.Intn(h+10)-5)
		}

		want := clonePixmap(p)
		wsrc := src
		if src == p {
			wsrc = want
		}
		refCopy(Canvas{Pixmap: want, Origin: c.Origin, Clip: c.Clip}, wsrc, srcOrigin, gc, sr, dp, 0)
		before := clonePixmap(p)
		rec := new(orderedRecorder)
		p.Observer = rec
		what := fmt.Sprintf("CopyArea same=%v func %d pm %#x sr %v dp %v", src == p, gc.Func, gc.PlaneMask, sr, dp)
		CopyArea(c, src, srcOrigin, gc, sr, dp)
		samePixels(t, what, p, want)
		checkReports(t, what, &rec.recorder, before, p, c.Clip)
		replay(t, what, &rec.recorder, rec.order, before, p)
		if len(rec.copied) > 0 && (src != p || gc.Func != FuncCopy || gc.PlaneMask&refMask(depth) != refMask(depth)) {
			t.Fatalf("%s: reported Copied for a copy that is not plain", what)
		}

		// CopyPlane, from the same source.
		plane := uint32(1) << rng.Intn(src.Depth)
		p.Observer = nil
		want = clonePixmap(p)
		wsrc = src
		if src == p {
			wsrc = want
		}
		refCopy(Canvas{Pixmap: want, Origin: c.Origin, Clip: c.Clip}, wsrc, srcOrigin, refGC(gc, depth), sr, dp, plane)
		before = clonePixmap(p)
		rec = new(orderedRecorder)
		p.Observer = rec
		CopyPlane(c, src, srcOrigin, gc, sr, dp, plane)
		samePixels(t, "CopyPlane "+what, p, want)
		checkReports(t, "CopyPlane "+what, &rec.recorder, before, p, c.Clip)
	}
}

// Overlapping copies within one pixmap in all eight directions, through a
// clip of many rectangles (so the order of the pieces matters) and with a
// function that reads the destination.
func TestCopyAreaOverlapDirections(t *testing.T) {
	rng := rand.New(rand.NewSource(21))
	var holes []image.Rectangle
	for y := 0; y < 40; y += 7 {
		for x := 0; x < 40; x += 9 {
			holes = append(holes, image.Rect(x+2, y+1, x+5, y+4))
		}
	}
	clip := region.Rect(image.Rect(0, 0, 40, 40))
	for _, hole := range holes {
		clip.SubtractRect(clip, hole)
	}
	for _, fn := range []Func{FuncCopy, FuncXor} {
		for dy := -1; dy <= 1; dy++ {
			for dx := -1; dx <= 1; dx++ {
				for _, clipped := range []bool{false, true} {
					for _, step := range []int{1, 3, 5, 8, 17} {
						p := randPixmap(rng, 40, 40, 24)
						c := Canvas{Pixmap: p}
						if clipped {
							c.Clip = clip
						}
						gc := &GC{Func: fn, PlaneMask: ^uint32(0)}
						sr := image.Rect(5, 5, 35, 35)
						dp := image.Pt(5+dx*step, 5+dy*step)
						want := clonePixmap(p)
						refCopy(Canvas{Pixmap: want, Clip: c.Clip}, want, image.Point{}, gc, sr, dp, 0)
						before := clonePixmap(p)
						rec := new(orderedRecorder)
						p.Observer = rec
						CopyArea(c, p, image.Point{}, gc, sr, dp)
						what := fmt.Sprintf("func %d d=(%d,%d) clipped %v", fn, dx*step, dy*step, clipped)
						samePixels(t, what, p, want)
						replay(t, what, &rec.recorder, rec.order, before, p)
						if fn == FuncCopy && (dx != 0 || dy != 0) && len(rec.copied) == 0 {
							t.Errorf("%s: no Copied reports", what)
						}
					}
				}
			}
		}
	}
}

// The source rectangle is clipped to the source pixmap: destination pixels
// whose source lies outside keep their value.
func TestCopyAreaOutsideSource(t *testing.T) {
	src := NewPixmap(4, 4, 8)
	fillRow(src.Pix, 7)
	dst := NewPixmap(8, 8, 8)
	fillRow(dst.Pix, 1)
	CopyArea(Canvas{Pixmap: dst}, src, image.Point{}, &GC{Func: FuncCopy, PlaneMask: ^uint32(0)}, image.Rect(-2, -2, 6, 6), image.Pt(0, 0))
	for y := 0; y < 8; y++ {
		for x := 0; x < 8; x++ {
			want := uint32(1)
			if x >= 2 && x < 6 && y >= 2 && y < 6 {
				want = 7
			}
			if got := dst.At(x, y); got != want {
				t.Fatalf("(%d,%d) = %d, want %d", x, y, got, want)
			}
		}
	}
}
