package fb

import (
	"image"
	"math"
	"math/rand"
	"testing"

	"netdisplay/xserver/region"
)

// TestFillEllipseShape checks filled ellipses against the geometry: a pixel
// whose centre is clearly inside the ellipse is filled, one clearly outside
// is not (the boundary rows are X.Org's business, checked against Xvfb).
func TestFillEllipseShape(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 300; i++ {
		w, h := 1+rng.Intn(60), 1+rng.Intn(60)
		if w == 1 && h%2 == 1 {
			continue // empty by X.Org's rules
		}
		arc := Arc{X: 2, Y: 2, Width: w, Height: h, Angle2: 360 * 64}
		p := newTestPixmap(w+4, h+4)
		PolyFillArc(Canvas{Pixmap: p}, &copyGC, []Arc{arc})
		cx, cy := 2+float64(w)/2, 2+float64(h)/2
		for y := 0; y < p.Height; y++ {
			for x := 0; x < p.Width; x++ {
				// Pixel (x, y) covers [x, x+1) × [y, y+1).
				dx := (float64(x) + 0.5 - cx) / (float64(w) / 2)
				dy := (float64(y) + 0.5 - cy) / (float64(h) / 2)
				d := math.Sqrt(dx*dx + dy*dy)
				margin := 1.5 / math.Min(float64(w), float64(h)) * 2
				got := p.At(x, y) == 1
				if d < 1-margin && !got {
					t.Fatalf("%dx%d ellipse: (%d,%d) inside but not filled", w, h, x, y)
				}
				if d > 1+margin && got {
					t.Fatalf("%dx%d ellipse: (%d,%d) outside but filled", w, h, x, y)
				}
			}
		}
	}
}

func TestFillArcPieHalves(t *testing.T) {
	// Two half pies make the whole ellipse, without overlap, for every
	// size: xor would show an overlap as a hole.
	gc := copyGC
	gc.Func = FuncXor
	gc.ArcMode = ArcPieSlice
	for w := 2; w < 30; w++ {
		for _, h := range []int{w, w + 3, w/2 + 1} {
			halves := newTestPixmap(40, 40)
			whole := newTestPixmap(40, 40)
			PolyFillArc(Canvas{Pixmap: halves}, &gc, []Arc{{3, 3, w, h, 0, 180 * 64}, {3, 3, w, h, 180 * 64, 180 * 64}})
			PolyFillArc(Canvas{Pixmap: whole}, &gc, []Arc{{3, 3, w, h, 0, 360 * 64}})
			if !sameLit(lit(halves), lit(whole)) {
				t.Errorf("%dx%d: halves %d pixels, whole %d", w, h, len(lit(halves)), len(lit(whole)))
			}
		}
	}
}

func TestZeroArcCircleSymmetric(t *testing.T) {
	for d := 1; d < 50; d++ {
		p := newTestPixmap(d+3, d+3)
		PolyArc(Canvas{Pixmap: p}, &copyGC, []Arc{{1, 1, d, d, 0, 360 * 64}})
		for pt := range lit(p) {
			mirrors := []image.Point{{2 + d - pt.X, pt.Y}, {pt.X, 2 + d - pt.Y}}
			if d%2 == 0 {
				// Even circles are drawn an octant at a time.
				mirrors = append(mirrors, image.Pt(pt.Y, pt.X))
			}
			for _, q := range mirrors {
				if p.At(q.X, q.Y) != 1 {
					t.Fatalf("circle %d: %v drawn but its mirror %v not", d, pt, q)
				}
			}
		}
	}
}

// TestArcsDegenerate draws nonsense and extremes; nothing may panic or
// draw outside the clip.
func TestArcsDegenerate(t *testing.T) {
	p := newTestPixmap(24, 24)
	arcs := []Arc{
		{0, 0, 0, 0, 0, 360 * 64},
		{5, 5, 0, 10, 0, 360 * 64},
		{5, 5, 10, 0, 45 * 64, 270 * 64},
		{5, 5, 0, 0, 0, 0},
		{5, 5, 10, 10, 0, 0},
		{5, 5, 1, 1, 0, 360 * 64},
		{5, 5, 1, 3, 0, 360 * 64},
		{5, 5, 10, 10, -32768, 32767},
		{5, 5, 10, 10, 32767, -32768},
		{-32768, -32768, 65535, 65535, 0, 360 * 64},
		{-30000, 2, 65535, 20, 10, 300 * 64},
		{2, -32768, 20, 65535, 90 * 64, -200 * 64},
		{-32768, -32768, 65535, 65535, 1, 1},
		{-1000, -500, 1100, 1200, 30 * 64, 120 * 64},
		{4, 4, -3, -7, 0, 360 * 64}, // sizes wrap to 16 bits, as on the wire
	}
	for _, lw := range []int{0, 1, 3, 100, 65535} {
		for style := LineSolid; style <= LineDoubleDash; style++ {
			for _, f := range []Func{FuncCopy, FuncXor} {
				for cap := CapNotLast; cap <= CapProjecting; cap++ {
					gc := copyGC
					gc.Func, gc.LineWidth, gc.LineStyle, gc.CapStyle = f, lw, style, cap
					gc.JoinStyle = JoinStyle(int(cap) % 3)
					gc.ArcMode = ArcMode(int(cap) % 2)
					if lw > 100 && (style != LineSolid || cap != CapButt || f != FuncCopy) {
						// Lines as wide as the ellipses cost width × pieces
						// rows, as in X.Org: try one combination.
						continue
					}
					c := Canvas{Pixmap: p, Clip: regionRect(6, 6, 18, 18)}
					before := append([]uint32(nil), p.Pix...)
					PolyArc(c, &gc, arcs)
					PolyFillArc(c, &gc, arcs)
					for y := 0; y < 24; y++ {
						for x := 0; x < 24; x++ {
							if !image.Pt(x, y).In(image.Rect(6, 6, 18, 18)) && p.At(x, y) != before[y*24+x] {
								t.Fatalf("lw %d style %d: drew at (%d,%d) outside the clip", lw, style, x, y)
							}
						}
					}
				}
			}
		}
	}
	PolyArc(Canvas{}, &copyGC, arcs)
	PolyFillArc(Canvas{}, &copyGC, arcs)
}

func regionRect(x0, y0, x1, y1 int) *region.Region {
	return region.New(image.Rect(x0, y0, x1, y1))
}
