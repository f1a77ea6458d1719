package fb

// Pixel-for-pixel comparison of lines, rectangles, polygons and arcs with
// Xvfb, through the harness of xvfb_test.go.

import (
	"fmt"
	"image"
	"math/rand"
	"os"
	"strconv"
	"testing"

	"netdisplay/xserver/region"
)

func init() {
	fbOps["PolyLine"] = func(c Canvas, gc *GC, a *xargs, _ map[string]*Pixmap) error {
		PolyLine(c, gc, xpoints(a.Points, a.CoordMode))
		return nil
	}
	fbOps["PolySegment"] = func(c Canvas, gc *GC, a *xargs, _ map[string]*Pixmap) error {
		segs := make([]Segment, len(a.Segments))
		for i, s := range a.Segments {
			segs[i] = Segment{s[0], s[1], s[2], s[3]}
		}
		PolySegment(c, gc, segs)
		return nil
	}
	fbOps["PolyRectangle"] = func(c Canvas, gc *GC, a *xargs, _ map[string]*Pixmap) error {
		PolyRectangle(c, gc, xrects(a.Rects))
		return nil
	}
	fbOps["FillPoly"] = func(c Canvas, gc *GC, a *xargs, _ map[string]*Pixmap) error {
		FillPolygon(c, gc, xpoints(a.Points, a.CoordMode), Shape(a.Shape))
		return nil
	}
	fbOps["PolyArc"] = func(c Canvas, gc *GC, a *xargs, _ map[string]*Pixmap) error {
		PolyArc(c, gc, xarcs(a.Arcs))
		return nil
	}
	fbOps["PolyFillArc"] = func(c Canvas, gc *GC, a *xargs, _ map[string]*Pixmap) error {
		PolyFillArc(c, gc, xarcs(a.Arcs))
		return nil
	}
}

func xarcs(as [][6]int) []Arc {
	out := make([]Arc, len(as))
	for i, a := range as {
		out[i] = Arc{a[0], a[1], a[2], a[3], a[4], a[5]}
	}
	return out
}

// randLineXGC returns a random GC (function, plane mask, fill style, clip:
// see randXGC) with random line attributes: widths 0 to 20, every line,
// cap and join style, dash lists and offsets, fill rule and arc mode.
func randLineXGC(rng *rand.Rand, w, h int) xgc {
	g := randXGC(rng, w, h)
	if rng.Intn(2) == 0 {
		g.FillStyle = int(FillSolid)
	}
	switch rng.Intn(4) {
	case 0:
		g.LineWidth = 0
	case 1:
		g.LineWidth = 1 + rng.Intn(3)
	default:
		g.LineWidth = rng.Intn(21)
	}
	g.LineStyle = []int{0, 0, 1, 2}[rng.Intn(4)]
	g.CapStyle = rng.Intn(4)
	g.JoinStyle = rng.Intn(3)
	g.FillRule = rng.Intn(2)
	g.ArcMode = rng.Intn(2)
	if g.LineStyle != 0 || rng.Intn(4) == 0 {
		g.Dashes = make([]int, 1+rng.Intn(4))
		for i := range g.Dashes {
			g.Dashes[i] = 1 + rng.Intn(12)
		}
		g.DashOffset = rng.Intn(40)
	}
	return g
}

func randXPoints(rng *rand.Rand, w, h, n, margin int) [][2]int {
	pts := make([][2]int, n)
	for i := range pts {
		pts[i] = [2]int{rng.Intn(w+2*margin) - margin, rng.Intn(h+2*margin) - margin}
	}
	return pts
}

// lineCase returns a case with ops random line requests.
func lineCase(rng *rand.Rand, name string, w, h, ops int, op func(g xgc) xop) xcase {
	depth := 24
	if rng.Intn(8) == 0 {
		depth = []int{1, 8, 16}[rng.Intn(3)]
	}
	c := randXCase(rng, name, w, h, depth)
	for k := 0; k < ops; k++ {
		c.Ops = append(c.Ops, op(randLineXGC(rng, w, h)))
	}
	return c
}

func TestXvfbLines(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	const w, h = 48, 40
	var cases []xcase
	for i := 0; i < 180; i++ {
		cases = append(cases, lineCase(rng, fmt.Sprintf("polyline-%d", i), w, h, 3, func(g xgc) xop {
			pts := randXPoints(rng, w, h, 2+rng.Intn(6), 12)
			switch rng.Intn(6) {
			case 0: // closed
				pts = append(pts, pts[0])
			case 1: // a repeated point
				k := rng.Intn(len(pts))
				pts = append(pts[:k+1], pts[k:]...)
			case 2: // all points the same
				for k := range pts {
					pts[k] = pts[0]
				}
			}
			mode := 0
			if rng.Intn(5) == 0 {
				mode = 1
				for k := len(pts) - 1; k > 0; k-- {
					pts[k] = [2]int{pts[k][0] - pts[k-1][0], pts[k][1] - pts[k-1][1]}
				}
			}
			return xop{Op: "PolyLine", GC: g, Args: xargs{Points: pts, CoordMode: mode}}
		}))
	}
	for i := 0; i < 70; i++ {
		cases = append(cases, lineCase(rng, fmt.Sprintf("polysegment-%d", i), w, h, 2, func(g xgc) xop {
			segs := make([][4]int, 1+rng.Intn(4))
			for k := range segs {
				p := randXPoints(rng, w, h, 2, 12)
				segs[k] = [4]int{p[0][0], p[0][1], p[1][0], p[1][1]}
				if rng.Intn(8) == 0 {
					segs[k][2], segs[k][3] = segs[k][0], segs[k][1]
				}
			}
			return xop{Op: "PolySegment", GC: g, Args: xargs{Segments: segs}}
		}))
	}
	for i := 0; i < 70; i++ {
		cases = append(cases, lineCase(rng, fmt.Sprintf("polyrectangle-%d", i), w, h, 2, func(g xgc) xop {
			if rng.Intn(2) == 0 {
				g.LineStyle, g.JoinStyle = 0, int(JoinMiter) // the filled-rectangle path
			}
			rs := randXRects(rng, w, h, 1+rng.Intn(3))
			for k := range rs {
				switch rng.Intn(6) {
				case 0:
					rs[k][2] = 0
				case 1:
					rs[k][3] = 0
				case 2:
					rs[k][2], rs[k][3] = 0, 0
				}
			}
			return xop{Op: "PolyRectangle", GC: g, Args: xargs{Rects: rs}}
		}))
	}
	want := compareWithXvfb(t, cases)
	requireChanges(t, cases, want)
}

// requireChanges guards against a comparison that proves nothing: most
// cases must change their target.
func requireChanges(t *testing.T, cases []xcase, want [][]uint32) {
	t.Helper()
	changed := 0
	for i := range cases {
		for k, v := range want[i] {
			if v != cases[i].Init[k] {
				changed++
				break
			}
		}
	}
	if changed < len(cases)*3/4 {
		t.Errorf("only %d of %d cases changed their target", changed, len(cases))
	}
}

func TestXvfbPolygons(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	const w, h = 48, 40
	var cases []xcase
	for i := 0; i < 150; i++ {
		cases = append(cases, lineCase(rng, fmt.Sprintf("fillpoly-%d", i), w, h, 2, func(g xgc) xop {
			n := 3 + rng.Intn(10)
			if rng.Intn(10) == 0 {
				n = 1 + rng.Intn(2) // too few points: nothing drawn
			}
			pts := randXPoints(rng, w, h, n, 10)
			shape := rng.Intn(3)
			if rng.Intn(3) == 0 {
				// A convex polygon, so that Convex has a defined result.
				pts = convexPoly(rng, w, h)
				shape = int(ShapeConvex)
			}
			if rng.Intn(6) == 0 {
				pts = append(pts, pts[0])
			}
			return xop{Op: "FillPoly", GC: g, Args: xargs{Points: pts, Shape: shape}}
		}))
	}
	want := compareWithXvfb(t, cases)
	requireChanges(t, cases, want)
}

// convexPoly returns the vertices of a random convex polygon, in order.
func convexPoly(rng *rand.Rand, w, h int) [][2]int {
	cx, cy := rng.Intn(w), rng.Intn(h)
	rx, ry := 2+rng.Intn(w), 2+rng.Intn(h)
	n := 3 + rng.Intn(8)
	pts := make([][2]int, 0, n)
	for i := 0; i < n; i++ {
		a := 2 * 3.14159265 * (float64(i) + rng.Float64()*0.5) / float64(n)
		x := cx + int(float64(rx)*crCos(a))
		y := cy + int(float64(ry)*crSin(a))
		if len(pts) == 0 || pts[len(pts)-1] != [2]int{x, y} {
			pts = append(pts, [2]int{x, y})
		}
	}
	if rng.Intn(2) == 0 { // either orientation
		for i, j := 0, len(pts)-1; i < j; i, j = i+1, j-1 {
			pts[i], pts[j] = pts[j], pts[i]
		}
	}
	return pts
}

// randXArc returns an arc with random size (equal sides a third of the
// time), position and angles, including angles beyond a full turn and
// negative ones.
func randXArc(rng *rand.Rand, w, h int) [6]int {
	aw, ah := rng.Intn(w+10), rng.Intn(h+10)
	if rng.Intn(3) == 0 {
		ah = aw
	}
	a1 := rng.Intn(2*360*64) - 360*64
	a2 := rng.Intn(2*400*64) - 400*64
	switch rng.Intn(6) {
	case 0:
		a1, a2 = 0, 360*64
	case 1:
		a1, a2 = rng.Intn(8)*45*64, (rng.Intn(17)-8)*45*64
	case 2:
		a2 = rng.Intn(64) - 32 // tiny
	}
	return [6]int{rng.Intn(w+10) - 15, rng.Intn(h+10) - 15, aw, ah, a1, a2}
}

// joinedArcs returns arcs of one ellipse whose ends meet, so that the wide
// arc code joins them.
func joinedArcs(rng *rand.Rand, w, h int) [][6]int {
	aw, ah := 8+rng.Intn(w), 8+rng.Intn(h)
	x, y := rng.Intn(w)-aw/3, rng.Intn(h)-ah/3
	a := rng.Intn(360*64) - 180*64
	n := 2 + rng.Intn(3)
	arcs := make([][6]int, n)
	for i := range arcs {
		d := (30 + rng.Intn(120)) * 64
		if rng.Intn(4) == 0 {
			d = -d
		}
		arcs[i] = [6]int{x, y, aw, ah, a, d}
		a += d
	}
	if rng.Intn(3) == 0 {
		// Close the loop.
		arcs[n-1][5] = (arcs[0][4] - arcs[n-1][4]) % (360 * 64)
	}
	for i := range arcs {
		arcs[i][4] %= 360 * 64 // keep the angles in 16 bits
	}
	return arcs
}

func TestXvfbArcs(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	const w, h = 48, 40
	var cases []xcase
	for i := 0; i < 100; i++ {
		cases = append(cases, lineCase(rng, fmt.Sprintf("polyarc-zero-%d", i), w, h, 2, func(g xgc) xop {
			g.LineWidth = 0
			arcs := make([][6]int, 1+rng.Intn(3))
			for k := range arcs {
				arcs[k] = randXArc(rng, w, h)
			}
			if rng.Intn(3) == 0 {
				arcs = joinedArcs(rng, w, h)
			}
			return xop{Op: "PolyArc", GC: g, Args: xargs{Arcs: arcs}}
		}))
	}
	for i := 0; i < 200; i++ {
		cases = append(cases, lineCase(rng, fmt.Sprintf("polyarc-wide-%d", i), w, h, 2, func(g xgc) xop {
			if g.LineWidth == 0 {
				g.LineWidth = 1 + rng.Intn(12)
			}
			arcs := make([][6]int, 1+rng.Intn(3))
			for k := range arcs {
				arcs[k] = randXArc(rng, w, h)
			}
			if rng.Intn(2) == 0 {
				arcs = joinedArcs(rng, w, h)
			}
			return xop{Op: "PolyArc", GC: g, Args: xargs{Arcs: arcs}}
		}))
	}
	for i := 0; i < 120; i++ {
		cases = append(cases, lineCase(rng, fmt.Sprintf("polyfillarc-%d", i), w, h, 2, func(g xgc) xop {
			arcs := make([][6]int, 1+rng.Intn(3))
			for k := range arcs {
				arcs[k] = randXArc(rng, w, h)
			}
			return xop{Op: "PolyFillArc", GC: g, Args: xargs{Arcs: arcs}}
		}))
	}
	want := compareWithXvfb(t, cases)
	requireChanges(t, cases, want)
}

// TestXvfbLarge draws primitives far larger than the target, with
// coordinates up to the 16-bit limits, and ellipses beyond the size the
// integer arc code handles (X.Org switches to other algorithms there).
func TestXvfbLarge(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	const w, h = 48, 40
	big := func() int {
		if rng.Intn(2) == 0 {
			return rng.Intn(65536) - 32768
		}
		return rng.Intn(2000) - 1000
	}
	var cases []xcase
	for i := 0; i < 120; i++ {
		cases = append(cases, lineCase(rng, fmt.Sprintf("large-%d", i), w, h, 2, func(g xgc) xop {
			if g.LineWidth > 10 {
				g.LineWidth = rng.Intn(400)
			}
			switch rng.Intn(6) {
			case 0:
				pts := [][2]int{{big(), big()}, {rng.Intn(w), rng.Intn(h)}, {big(), big()}}
				return xop{Op: "PolyLine", GC: g, Args: xargs{Points: pts}}
			case 1:
				segs := [][4]int{{big(), big(), big(), big()}, {rng.Intn(w), rng.Intn(h), big(), big()}}
				return xop{Op: "PolySegment", GC: g, Args: xargs{Segments: segs}}
			case 2:
				pts := [][2]int{{big(), big()}, {big(), big()}, {rng.Intn(w), rng.Intn(h)}, {big(), big()}}
				return xop{Op: "FillPoly", GC: g, Args: xargs{Points: pts, Shape: rng.Intn(3)}}
			}
			// An ellipse passing through the target.
			aw, ah := 801+rng.Intn(3000), 801+rng.Intn(3000)
			if rng.Intn(3) == 0 {
				ah = aw
			}
			if rng.Intn(2) == 0 {
				aw, ah = rng.Intn(100), 801+rng.Intn(3000)
			}
			x := rng.Intn(w) - rng.Intn(aw+1)
			y := rng.Intn(h) - ah/2
			arc := [6]int{x, y, aw, ah, rng.Intn(360 * 64), rng.Intn(720*64) - 360*64}
			if rng.Intn(3) == 0 {
				arc[4], arc[5] = 0, 360*64
			}
			op := "PolyArc"
			if rng.Intn(2) == 0 {
				op = "PolyFillArc"
			}
			if g.LineWidth > 40 {
				g.LineWidth = 40
			}
			return xop{Op: op, GC: g, Args: xargs{Arcs: [][6]int{arc}}}
		}))
	}
	compareWithXvfb(t, cases)
}

// The translation test below checks that a drawable's origin in its
// pixmap (a window on the screen) moves drawing without changing it.

func TestOriginMovesDrawing(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	const w, h = 48, 40
	for i := 0; i < 300; i++ {
		c := lineCase(rng, "origin", w, h, 3, func(g xgc) xop {
			g.ClipRects = nil
			g.FillStyle = int(FillSolid)
			switch rng.Intn(5) {
			case 0:
				return xop{Op: "PolyLine", GC: g, Args: xargs{Points: randXPoints(rng, w, h, 2+rng.Intn(5), 10)}}
			case 1:
				return xop{Op: "FillPoly", GC: g, Args: xargs{Points: randXPoints(rng, w, h, 3+rng.Intn(5), 10), Shape: rng.Intn(3)}}
			case 2:
				return xop{Op: "PolyFillArc", GC: g, Args: xargs{Arcs: [][6]int{randXArc(rng, w, h)}}}
			case 3:
				return xop{Op: "PolyRectangle", GC: g, Args: xargs{Rects: randXRects(rng, w, h, 2)}}
			}
			return xop{Op: "PolyArc", GC: g, Args: xargs{Arcs: [][6]int{randXArc(rng, w, h)}}}
		})
		want, _ := runOnFB(t, &c)
		// The same drawing on a larger pixmap, at an offset.
		const dx, dy = 13, 7
		big := NewPixmap(w+2*dx, h+2*dy, c.Depth)
		for y := 0; y < h; y++ {
			copy(big.Pix[(y+dy)*big.Stride+dx:], c.Init[y*w:(y+1)*w])
		}
		clip := image.Rect(dx, dy, dx+w, dy+h)
		for _, op := range c.Ops {
			gc, _ := op.GC.toFB(nil)
			fbOps[op.Op](Canvas{Pixmap: big, Origin: image.Pt(dx, dy), Clip: region.New(clip)}, gc, &op.Args, nil)
		}
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				if g, wv := big.Pix[(y+dy)*big.Stride+x+dx], want[y*w+x]; g != wv {
					t.Fatalf("case %d: at (%d,%d) with origin %#x, without %#x; ops %+v", i, x, y, g, wv, c.Ops)
				}
			}
		}
	}
}

// TestXvfbStress compares many more random requests than the tests above,
// with the seed in $FB_STRESS_SEED; it is skipped without one. Some seeds
// make Xvfb itself hang or crash (X.Org's miFillSppPoly can loop forever
// on joins of arcs that fold back on themselves, and its dashed zero-width
// arcs can overrun memory); this package stops or clips in those cases, so
// there is nothing to compare, and such a seed shows as a timeout.
func TestXvfbStress(t *testing.T) {
	seed, _ := strconv.ParseInt(os.Getenv("FB_STRESS_SEED"), 10, 64)
	if seed == 0 {
		t.Skip("set FB_STRESS_SEED to run")
	}
	rng := rand.New(rand.NewSource(seed))
	const w, h = 48, 40
	var cases []xcase
	for i := 0; i < 1500; i++ {
		cases = append(cases, lineCase(rng, fmt.Sprintf("stress-%d", i), w, h, 2, func(g xgc) xop {
			switch rng.Intn(6) {
			case 0:
				pts := randXPoints(rng, w, h, 2+rng.Intn(6), 12)
				if rng.Intn(4) == 0 {
					pts = append(pts, pts[0])
				}
				return xop{Op: "PolyLine", GC: g, Args: xargs{Points: pts}}
			case 1:
				segs := make([][4]int, 1+rng.Intn(4))
				for k := range segs {
					p := randXPoints(rng, w, h, 2, 12)
					segs[k] = [4]int{p[0][0], p[0][1], p[1][0], p[1][1]}
				}
				return xop{Op: "PolySegment", GC: g, Args: xargs{Segments: segs}}
			case 2:
				return xop{Op: "PolyRectangle", GC: g, Args: xargs{Rects: randXRects(rng, w, h, 1+rng.Intn(3))}}
			case 3:
				return xop{Op: "FillPoly", GC: g, Args: xargs{Points: randXPoints(rng, w, h, 3+rng.Intn(8), 10), Shape: rng.Intn(3)}}
			}
			arcs := make([][6]int, 1+rng.Intn(3))
			for k := range arcs {
				arcs[k] = randXArc(rng, w, h)
			}
			if rng.Intn(2) == 0 {
				arcs = joinedArcs(rng, w, h)
			}
			op := "PolyArc"
			if rng.Intn(3) == 0 {
				op = "PolyFillArc"
			}
			return xop{Op: op, GC: g, Args: xargs{Arcs: arcs}}
		}))
	}
	compareWithXvfb(t, cases)
}
