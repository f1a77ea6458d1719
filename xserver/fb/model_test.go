package fb

// A naive reference rasterizer, written from the protocol's definitions
// pixel by pixel, for the optimized code to be compared with.

import (
	"fmt"
	"image"
	"math/rand"
	"strings"
	"testing"

	"netdisplay/xserver/region"
)

// refFunc is the table of functions from the protocol specification.
func refFunc(f Func, src, dst uint32) uint32 {
	switch f {
	case FuncClear:
		return 0
	case FuncAnd:
		return src & dst
	case FuncAndReverse:
		return src & ^dst
	case FuncCopy:
		return src
	case FuncAndInverted:
		return ^src & dst
	case FuncNoop:
		return dst
	case FuncXor:
		return src ^ dst
	case FuncOr:
		return src | dst
	case FuncNor:
		return ^src & ^dst
	case FuncEquiv:
		return ^src ^ dst
	case FuncInvert:
		return ^dst
	case FuncOrReverse:
		return src | ^dst
	case FuncCopyInverted:
		return ^src
	case FuncOrInverted:
		return ^src | dst
	case FuncNand:
		return ^src | ^dst
	case FuncSet:
		return ^uint32(0)
	}
	panic("bad function")
}

func refMask(depth int) uint32 {
	if depth == 32 {
		return 0xffffffff
	}
	return 1<<depth - 1
}

// refRop is ((src FUNC dst) AND plane-mask) OR (dst AND (NOT plane-mask)),
// truncated to the depth.
func refRop(f Func, pm uint32, depth int, src, dst uint32) uint32 {
	return (refFunc(f, src, dst)&pm | dst&^pm) & refMask(depth)
}

// refSource returns the fill source at pixmap pixel (x, y) and whether the
// pixel is drawn at all (a stipple's zeros are not).
func refSource(gc *GC, x, y int) (uint32, bool) {
	switch gc.FillStyle {
	case FillTiled:
		t := gc.Tile
		return t.At(mod(x-gc.TSOrigin.X, t.Width), mod(y-gc.TSOrigin.Y, t.Height)), true
	case FillStippled, FillOpaqueStippled:
		s := gc.Stipple
		if s.At(mod(x-gc.TSOrigin.X, s.Width), mod(y-gc.TSOrigin.Y, s.Height)) != 0 {
			return gc.Foreground, true
		}
		return gc.Background, gc.FillStyle == FillOpaqueStippled
	}
	return gc.Foreground, true
}

// refDrawable reports whether drawing may touch pixmap pixel (x, y).
func refDrawable(c Canvas, x, y int) bool {
	if x < 0 || y < 0 || x >= c.Width || y >= c.Height {
		return false
	}
	return c.Clip == nil || c.Clip.Contains(image.Pt(x, y))
}

// refFillPixel fills one pixel in pixmap coordinates.
func refFillPixel(c Canvas, gc *GC, x, y int) {
	if !refDrawable(c, x, y) {
		return
	}
	s, ok := refSource(gc, x, y)
	if !ok {
		return
	}
	i := y*c.Stride + x
	c.Pix[i] = refRop(gc.Func, gc.PlaneMask, c.Depth, s, c.Pix[i])
}

func refFillRectangles(c Canvas, gc *GC, rs []image.Rectangle) {
	for _, r := range rs {
		r = r.Add(c.Origin)
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				refFillPixel(c, gc, x, y)
			}
		}
	}
}

func refFillSpans(c Canvas, gc *GC, spans []Span) {
	for _, s := range spans {
		for x := s.X; x < s.X+s.W; x++ {
			refFillPixel(c, gc, x, s.Y)
		}
	}
}

func refDrawPoints(c Canvas, gc *GC, pts []image.Point) {
	solid := *gc
	solid.FillStyle = FillSolid
	for _, p := range pts {
		p = p.Add(c.Origin)
		refFillPixel(c, &solid, p.X, p.Y)
	}
}

// refCopy does CopyArea (plane == 0) or CopyPlane from a snapshot of the
// source taken before any pixel changes.
func refCopy(dst Canvas, src *Pixmap, srcOrigin image.Point, gc *GC, sr image.Rectangle, dp image.Point, plane uint32) {
	snap := clonePixmap(src)
	for y := 0; y < sr.Dy(); y++ {
		for x := 0; x < sr.Dx(); x++ {
			sx, sy := sr.Min.X+x+srcOrigin.X, sr.Min.Y+y+srcOrigin.Y
			dx, dy := dp.X+x+dst.Origin.X, dp.Y+y+dst.Origin.Y
			if sx < 0 || sy < 0 || sx >= src.Width || sy >= src.Height || !refDrawable(dst, dx, dy) {
				continue
			}
			s := snap.At(sx, sy)
			if plane != 0 {
				s = gc.Background
				if snap.At(sx, sy)&plane != 0 {
					s = gc.Foreground
				}
			}
			i := dy*dst.Stride + dx
			dst.Pix[i] = refRop(gc.Func, gc.PlaneMask, dst.Depth, s, dst.Pix[i])
		}
	}
}

func clonePixmap(p *Pixmap) *Pixmap {
	q := *p
	q.Pix = append([]uint32(nil), p.Pix...)
	q.Observer = nil
	return &q
}

// Random inputs.

var depths = []int{1, 4, 8, 15, 16, 24, 32}

func randPixmap(rng *rand.Rand, w, h, depth int) *Pixmap {
	p := NewPixmap(w, h, depth)
	for i := range p.Pix {
		p.Pix[i] = rng.Uint32() & refMask(depth)
	}
	return p
}

func randPixel(rng *rand.Rand) uint32 {
	switch rng.Intn(4) {
	case 0:
		return 0
	case 1:
		return 0xffffffff
	}
	return rng.Uint32()
}

func randGC(rng *rand.Rand, depth int) *GC {
	gc := &GC{
		Func:       Func(rng.Intn(16)),
		PlaneMask:  ^uint32(0),
		Foreground: randPixel(rng),
		Background: randPixel(rng),
		FillStyle:  FillStyle(rng.Intn(4)),
		TSOrigin:   image.Pt(rng.Intn(41)-20, rng.Intn(41)-20),
	}
	if rng.Intn(3) == 0 {
		gc.Func = FuncCopy
	}
	if rng.Intn(2) == 0 {
		gc.PlaneMask = rng.Uint32()
	}
	gc.Tile = randPixmap(rng, 1+rng.Intn(9), 1+rng.Intn(9), depth)
	gc.Stipple = randPixmap(rng, 1+rng.Intn(9), 1+rng.Intn(9), 1)
	return gc
}

// refGC returns gc with the fill values truncated as the server would, for
// the reference model, which compares whole pixels.
func refGC(gc *GC, depth int) *GC {
	g := *gc
	g.Foreground &= refMask(depth)
	g.Background &= refMask(depth)
	return &g
}

func randClip(rng *rand.Rand, w, h int) *region.Region {
	if rng.Intn(3) == 0 {
		return nil
	}
	n := 1 + rng.Intn(6)
	rs := make([]image.Rectangle, n)
	for i := range rs {
		x, y := rng.Intn(w+10)-5, rng.Intn(h+10)-5
		rs[i] = image.Rect(x, y, x+rng.Intn(w), y+rng.Intn(h))
	}
	return region.New(rs...)
}

func randRects(rng *rand.Rand, w, h, n int) []image.Rectangle {
	rs := make([]image.Rectangle, n)
	for i := range rs {
		x, y := rng.Intn(w+20)-10, rng.Intn(h+20)-10
		rs[i] = image.Rect(x, y, x+rng.Intn(w/2+1), y+rng.Intn(h/2+1))
	}
	return rs
}

// samePixels fails the test if p and q differ, showing where.
func samePixels(t *testing.T, what string, got, want *Pixmap) {
	t.Helper()
	if got.Width != want.Width || got.Height != want.Height {
		t.Fatalf("%s: size %dx%d, want %dx%d", what, got.Width, got.Height, want.Width, want.Height)
	}
	var diffs []string
	n := 0
	for y := 0; y < got.Height; y++ {
		for x := 0; x < got.Width; x++ {
			if g, w := got.At(x, y), want.At(x, y); g != w {
				n++
				if len(diffs) < 8 {
					diffs = append(diffs, fmt.Sprintf("(%d,%d)=%#x want %#x", x, y, g, w))
				}
			}
		}
	}
	if n > 0 {
		t.Fatalf("%s: %d pixels differ: %s\n%s", what, n, strings.Join(diffs, " "), diffMap(got, want))
	}
}

// diffMap draws a small map of where two pixmaps differ.
func diffMap(got, want *Pixmap) string {
	if got.Width > 100 || got.Height > 60 {
		return ""
	}
	var b strings.Builder
	for y := 0; y < got.Height; y++ {
		for x := 0; x < got.Width; x++ {
			if got.At(x, y) != want.At(x, y) {
				b.WriteByte('X')
			} else {
				b.WriteByte('.')
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// recorder is an Observer that keeps what it is told.
type recorder struct {
	changed []image.Rectangle
	copied  []copyReport
}

type copyReport struct {
	r      image.Rectangle
	dx, dy int
}

func (r *recorder) Changed(rect image.Rectangle) { r.changed = append(r.changed, rect) }
func (r *recorder) Copied(rect image.Rectangle, dx, dy int) {
	r.copied = append(r.copied, copyReport{rect, dx, dy})
}

// checkReports verifies that an Observer heard of every pixel that changed
// from before to after, and only of rectangles inside the pixmap and clip
// bounds.
func checkReports(t *testing.T, what string, rec *recorder, before, after *Pixmap, clip *region.Region) {
	t.Helper()
	rgn := new(region.Region)
	bounds := after.Bounds()
	if clip != nil {
		bounds = bounds.Intersect(clip.Bounds())
	}
	for _, r := range rec.changed {
		if r.Empty() || !r.In(bounds) {
			t.Fatalf("%s: Changed(%v) outside %v", what, r, bounds)
		}
		rgn.UnionRect(rgn, r)
	}
	for _, c := range rec.copied {
		if c.r.Empty() || !c.r.In(bounds) {
			t.Fatalf("%s: Copied(%v) outside %v", what, c.r, bounds)
		}
		rgn.UnionRect(rgn, c.r)
	}
	for y := 0; y < after.Height; y++ {
		for x := 0; x < after.Width; x++ {
			if before.At(x, y) != after.At(x, y) && !rgn.Contains(image.Pt(x, y)) {
				t.Fatalf("%s: pixel (%d,%d) changed unreported; reports %v %v", what, x, y, rec.changed, rec.copied)
			}
		}
	}
}
