package fb

import (
	"image"
	"math"
	"math/rand"
	"testing"
)

// Benchmarks shaped like x11perf's: many primitives per request on a
// 1280x1024 screen pixmap with an observer, as the server draws them.

// ray returns the end of a line of length n from p at angle a.
func ray(p image.Point, a float64, n int) image.Point {
	return p.Add(image.Pt(int(math.Round(float64(n)*math.Cos(a))), int(math.Round(float64(n)*math.Sin(a)))))
}

// benchSegments returns n segments of the given length in all directions,
// inside the screen.
func benchSegments(n, length int) []Segment {
	rng := rand.New(rand.NewSource(1))
	segs := make([]Segment, n)
	for i := range segs {
		p := image.Pt(150+rng.Intn(980), 150+rng.Intn(720))
		q := ray(p, 2*math.Pi*float64(i)/float64(n), length)
		segs[i] = Segment{p.X, p.Y, q.X, q.Y}
	}
	return segs
}

func benchSegs(b *testing.B, gc *GC, length int) {
	p := benchScreen()
	segs := benchSegments(500, length)
	b.ReportMetric(float64(len(segs)), "segments/op")
	for b.Loop() {
		PolySegment(Canvas{Pixmap: p}, gc, segs)
	}
}

// x11perf -seg100: zero-width 100-pixel segments.
func BenchmarkSeg100(b *testing.B) { benchSegs(b, solidGC, 100) }

func BenchmarkSeg100Xor(b *testing.B) {
	benchSegs(b, &GC{Func: FuncXor, PlaneMask: ^uint32(0), Foreground: 0xffffff}, 100)
}

func BenchmarkSeg100Dashed(b *testing.B) {
	benchSegs(b, &GC{Func: FuncCopy, PlaneMask: ^uint32(0), Foreground: 1, LineStyle: LineOnOffDash, Dashes: []uint8{3, 2}}, 100)
}

// x11perf -line100: a PolyLine of 100-pixel zero-width lines.
func benchPolyLine(b *testing.B, gc *GC) {
	p := benchScreen()
	segs := benchSegments(200, 100)
	pts := []image.Point{{640, 512}}
	for i, s := range segs {
		a := 2 * math.Pi * float64(i*37%200) / 200
		q := ray(pts[len(pts)-1], a, 100)
		if !q.In(image.Rect(100, 100, 1180, 924)) {
			q = image.Pt(s.X1, s.Y1)
		}
		pts = append(pts, q)
	}
	b.ReportMetric(float64(len(pts)-1), "lines/op")
	for b.Loop() {
		PolyLine(Canvas{Pixmap: p}, gc, pts)
	}
}

func BenchmarkLine100(b *testing.B) { benchPolyLine(b, solidGC) }

// x11perf -wline10 style: 100-pixel lines 10 pixels wide.
func BenchmarkWideLine10(b *testing.B) {
	benchSegs(b, &GC{Func: FuncCopy, PlaneMask: ^uint32(0), Foreground: 1, LineWidth: 10, CapStyle: CapButt}, 100)
}

func BenchmarkWidePolyLine10(b *testing.B) {
	benchPolyLine(b, &GC{Func: FuncCopy, PlaneMask: ^uint32(0), Foreground: 1, LineWidth: 10, CapStyle: CapButt, JoinStyle: JoinMiter})
}

func BenchmarkWidePolyLine10Xor(b *testing.B) {
	benchPolyLine(b, &GC{Func: FuncXor, PlaneMask: ^uint32(0), Foreground: 0xffffff, LineWidth: 10, CapStyle: CapRound, JoinStyle: JoinRound})
}

func benchArcs(b *testing.B, size int, fill bool, gc *GC) {
	p := benchScreen()
	rng := rand.New(rand.NewSource(1))
	arcs := make([]Arc, 100)
	for i := range arcs {
		arcs[i] = Arc{X: 50 + rng.Intn(1100), Y: 50 + rng.Intn(800), Width: size, Height: size, Angle2: 360 * 64}
	}
	b.ReportMetric(float64(len(arcs)), "arcs/op")
	for b.Loop() {
		if fill {
			PolyFillArc(Canvas{Pixmap: p}, gc, arcs)
		} else {
			PolyArc(Canvas{Pixmap: p}, gc, arcs)
		}
	}
}

// x11perf -fcircle100: filled circles of diameter 100.
func BenchmarkFillCircle100(b *testing.B) { benchArcs(b, 100, true, solidGC) }

// x11perf -circle100: zero-width circles.
func BenchmarkCircle100(b *testing.B) { benchArcs(b, 100, false, solidGC) }

// x11perf -wcircle100: circles with 10-pixel-wide lines.
func BenchmarkWideCircle100(b *testing.B) {
	benchArcs(b, 100, false, &GC{Func: FuncCopy, PlaneMask: ^uint32(0), Foreground: 1, LineWidth: 10})
}

func benchPolygon(b *testing.B, shape Shape, n int) {
	p := benchScreen()
	rng := rand.New(rand.NewSource(1))
	pts := make([]image.Point, n)
	for i := range pts {
		if shape == ShapeConvex {
			pts[i] = ray(image.Pt(640, 512), 2*math.Pi*float64(i)/float64(n), 50)
		} else {
			pts[i] = image.Pt(590+rng.Intn(100), 462+rng.Intn(100))
		}
	}
	for b.Loop() {
		FillPolygon(Canvas{Pixmap: p}, solidGC, pts, shape)
	}
}

// 100x100 polygons: a convex 20-gon, and a 10-point self-intersecting one
// (x11perf -complex100 style) with each fill rule.
func BenchmarkFillPolygonConvex100(b *testing.B)  { benchPolygon(b, ShapeConvex, 20) }
func BenchmarkFillPolygonComplex100(b *testing.B) { benchPolygon(b, ShapeComplex, 10) }
