package fb

import (
	"image"
	"math/rand"
	"testing"
)

// refPolyInside is the protocol's rule for FillPoly, written independently
// of the scan converter: the pixel at (x, y) (pixel centres are the integer
// points) is inside if a ray from it to the left crosses the edges an odd
// number of times (EvenOdd) or a non-zero number of times counted with
// direction (Winding). A point on an edge counts as inside if the polygon
// is to its right, and edges take their top row but not their bottom one,
// which settles vertices and horizontal edges.
func refPolyInside(pts []image.Point, x, y int, rule FillRule) bool {
	n := 0
	prev := pts[len(pts)-1]
	for _, cur := range pts {
		a, b, dir := prev, cur, 1
		if a.Y > b.Y {
			a, b, dir = b, a, -1
		}
		prev = cur
		if a.Y == b.Y || y < a.Y || y >= b.Y {
			continue
		}
		// The edge crosses row y at a.X + (y-a.Y)*(b.X-a.X)/(b.Y-a.Y);
		// is that at or left of x?
		dy := b.Y - a.Y
		if a.X*dy+(y-a.Y)*(b.X-a.X) <= x*dy {
			if rule == EvenOddRule {
				n ^= 1
			} else {
				n += dir
			}
		}
	}
	return n != 0
}

func TestFillPolygonFollowsTheRule(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	const w, h = 40, 30
	for i := 0; i < 1500; i++ {
		n := 3 + rng.Intn(9)
		pts := make([]image.Point, n)
		for k := range pts {
			pts[k] = image.Pt(rng.Intn(w+20)-10, rng.Intn(h+20)-10)
		}
		rule := FillRule(rng.Intn(2))
		gc := copyGC
		gc.FillRule = rule
		p := newTestPixmap(w, h)
		shape := ShapeComplex
		if rng.Intn(2) == 0 {
			shape = ShapeNonconvex
		}
		FillPolygon(Canvas{Pixmap: p}, &gc, pts, shape)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				want := refPolyInside(pts, x, y, rule)
				if got := p.At(x, y) == 1; got != want {
					t.Fatalf("polygon %v rule %d: pixel (%d,%d) filled %v, want %v", pts, rule, x, y, got, want)
				}
			}
		}
	}
}

func TestFillPolygonConvex(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	const w, h = 40, 30
	for i := 0; i < 1000; i++ {
		var pts []image.Point
		for _, q := range convexPoly(rng, w, h) {
			pts = append(pts, image.Pt(q[0], q[1]))
		}
		if len(pts) < 3 {
			continue
		}
		a, b := newTestPixmap(w, h), newTestPixmap(w, h)
		FillPolygon(Canvas{Pixmap: a}, &copyGC, pts, ShapeConvex)
		FillPolygon(Canvas{Pixmap: b}, &copyGC, pts, ShapeComplex)
		if !sameLit(lit(a), lit(b)) {
			t.Fatalf("convex polygon %v: Convex fills %d pixels, Complex %d", pts, len(lit(a)), len(lit(b)))
		}
	}
}

func TestFillPolygonStar(t *testing.T) {
	// A pentagram: its centre is wound twice.
	star := []image.Point{{20, 2}, {31, 36}, {2, 15}, {38, 15}, {9, 36}}
	for _, tc := range []struct {
		rule   FillRule
		centre uint32
	}{{EvenOddRule, 0}, {WindingRule, 1}} {
		gc := copyGC
		gc.FillRule = tc.rule
		p := newTestPixmap(40, 40)
		FillPolygon(Canvas{Pixmap: p}, &gc, star, ShapeComplex)
		if got := p.At(20, 20); got != tc.centre {
			t.Errorf("rule %d: centre %d, want %d", tc.rule, got, tc.centre)
		}
		if p.At(20, 5) != 1 {
			t.Errorf("rule %d: a point is not filled", tc.rule)
		}
	}
}

func TestFillPolygonDegenerate(t *testing.T) {
	p := newTestPixmap(16, 16)
	c := Canvas{Pixmap: p}
	for shape := ShapeComplex; shape <= ShapeConvex; shape++ {
		for rule := EvenOddRule; rule <= WindingRule; rule++ {
			gc := copyGC
			gc.FillRule = rule
			FillPolygon(c, &gc, nil, shape)
			FillPolygon(c, &gc, []image.Point{{3, 3}}, shape)
			FillPolygon(c, &gc, []image.Point{{3, 3}, {9, 9}}, shape)
			FillPolygon(c, &gc, []image.Point{{3, 3}, {9, 9}, {6, 6}}, shape)  // collinear
			FillPolygon(c, &gc, []image.Point{{3, 3}, {3, 3}, {3, 3}}, shape)  // one point
			FillPolygon(c, &gc, []image.Point{{3, 3}, {13, 3}, {7, 3}}, shape) // flat
			if n := len(lit(p)); n != 0 {
				t.Fatalf("shape %d rule %d: degenerate polygons drew %d pixels", shape, rule, n)
			}
			FillPolygon(c, &gc, []image.Point{{-32768, -32768}, {32767, -32768}, {32767, 32767}, {-32768, 32767}}, shape)
			if n := len(lit(p)); n != 16*16 {
				t.Fatalf("shape %d rule %d: the largest square drew %d pixels", shape, rule, n)
			}
			clear(p.Pix)
			// A bow tie given as Convex: undefined, but no trouble.
			FillPolygon(c, &gc, []image.Point{{0, 0}, {15, 15}, {15, 0}, {0, 15}}, shape)
			clear(p.Pix)
		}
	}
	// Many vertices.
	rng := rand.New(rand.NewSource(3))
	pts := make([]image.Point, 5000)
	for i := range pts {
		pts[i] = image.Pt(rng.Intn(65536)-32768, rng.Intn(65536)-32768)
	}
	FillPolygon(c, &copyGC, pts, ShapeComplex)
	FillPolygon(c, &copyGC, pts, ShapeConvex)
	FillPolygon(Canvas{}, &copyGC, pts, ShapeComplex)
}

func TestPolyRectangleOutline(t *testing.T) {
	p := newTestPixmap(16, 16)
	gc := copyGC
	gc.Func = FuncXor
	// A zero-width outline covers width+1 by height+1 pixels, each once.
	PolyRectangle(Canvas{Pixmap: p}, &gc, []image.Rectangle{image.Rect(2, 3, 9, 7)})
	want := make(map[image.Point]uint32)
	for x := 2; x <= 9; x++ {
		want[image.Pt(x, 3)], want[image.Pt(x, 7)] = 1, 1
	}
	for y := 3; y <= 7; y++ {
		want[image.Pt(2, y)], want[image.Pt(9, y)] = 1, 1
	}
	if got := lit(p); !sameLit(got, want) {
		t.Errorf("outline: %d pixels, want %d", len(got), len(want))
	}
}
