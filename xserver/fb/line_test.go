package fb

import (
	"image"
	"math/rand"
	"testing"

	"netdisplay/xserver/region"
)

// newTestPixmap returns a w×h depth-24 pixmap of zeros.
func newTestPixmap(w, h int) *Pixmap { return NewPixmap(w, h, 24) }

var copyGC = GC{Func: FuncCopy, PlaneMask: ^uint32(0), Foreground: 1, Background: 2, CapStyle: CapButt, Dashes: []uint8{4, 4}}

// lit returns the set of non-zero pixels.
func lit(p *Pixmap) map[image.Point]uint32 {
	m := make(map[image.Point]uint32)
	for y := 0; y < p.Height; y++ {
		for x := 0; x < p.Width; x++ {
			if v := p.Pix[y*p.Stride+x]; v != 0 {
				m[image.Pt(x, y)] = v
			}
		}
	}
	return m
}

// refLine is a plain Bresenham line, the definition X.Org's zero-width
// lines follow with Xvfb's bias (none): from (x1, y1), one step along the
// major axis at a time, stepping the minor axis when the error term
// reaches zero; the last point only if last.
func refLine(x1, y1, x2, y2 int, last bool) []image.Point {
	dx, dy := x2-x1, y2-y1
	sx, sy := 1, 1
	if dx < 0 {
		dx, sx = -dx, -1
	}
	if dy < 0 {
		dy, sy = -dy, -1
	}
	var pts []image.Point
	x, y := x1, y1
	if dx > dy {
		e := -dx
		n := dx
		if last {
			n++
		}
		for i := 0; i < n; i++ {
			pts = append(pts, image.Pt(x, y))
			x += sx
			e += 2 * dy
			if e >= 0 {
				y += sy
				e -= 2 * dx
			}
		}
		return pts
	}
	e := -dy
	n := dy
	if last {
		n++
	}
	for i := 0; i < n; i++ {
		pts = append(pts, image.Pt(x, y))
		y += sy
		e += 2 * dx
		if e >= 0 {
			x += sx
			e -= 2 * dy
		}
	}
	return pts
}

// TestZeroLinesClipExactly checks that clipping never changes which pixels
// a zero-width line draws: what is drawn is the whole line's pixels inside
// the clip, for lines reaching far outside the pixmap, with one and with
// several clip rectangles, through both the span and the direct paths.
func TestZeroLinesClipExactly(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	const w, h = 64, 48
	for i := 0; i < 2000; i++ {
		coord := func(n int) int {
			if rng.Intn(4) == 0 {
				return rng.Intn(4000) - 2000
			}
			return rng.Intn(n+40) - 20
		}
		x1, y1, x2, y2 := coord(w), coord(h), coord(w), coord(h)
		gc := copyGC
		gc.CapStyle = CapStyle(rng.Intn(4))
		if rng.Intn(3) == 0 {
			gc.FillStyle = FillTiled // no tile: solid, through the span path
		}
		var clip *region.Region
		switch rng.Intn(4) {
		case 1:
			clip = region.New(image.Rect(rng.Intn(w), rng.Intn(h), rng.Intn(w), rng.Intn(h)).Canon())
		case 2:
			var rs []image.Rectangle
			for k := 0; k < 4; k++ {
				rs = append(rs, image.Rect(rng.Intn(w), rng.Intn(h), rng.Intn(w), rng.Intn(h)).Canon())
			}
			clip = region.New(rs...)
		case 3:
			// One rectangle inside the pixmap, more outside it.
			clip = region.New(image.Rect(rng.Intn(w), rng.Intn(h), rng.Intn(w), rng.Intn(h)).Canon(),
				image.Rect(-9, h, w+9, h+9), image.Rect(w, -20, w+5, h/2))
		}
		p := newTestPixmap(w, h)
		PolySegment(Canvas{Pixmap: p, Clip: clip}, &gc, []Segment{{x1, y1, x2, y2}})
		want := make(map[image.Point]uint32)
		for _, pt := range refLine(x1, y1, x2, y2, gc.CapStyle != CapNotLast) {
			if pt.In(p.Bounds()) && (clip == nil || clip.Contains(pt)) {
				want[pt] = 1
			}
		}
		if got := lit(p); !sameLit(got, want) {
			t.Fatalf("segment (%d,%d)-(%d,%d) cap %d clip %v: got %v, want %v", x1, y1, x2, y2, gc.CapStyle, clip, got, want)
		}
	}
}

func sameLit(a, b map[image.Point]uint32) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestPolyLineJointsOnce(t *testing.T) {
	gc := copyGC
	gc.Func = FuncXor
	gc.CapStyle = CapButt
	p := newTestPixmap(32, 32)
	pts := []image.Point{{2, 2}, {20, 2}, {20, 20}, {5, 25}}
	PolyLine(Canvas{Pixmap: p}, &gc, pts)
	// With xor, a pixel drawn twice would vanish: every point must show.
	for _, pt := range pts {
		if p.At(pt.X, pt.Y) != 1 {
			t.Errorf("joint %v drawn %#x, want 1", pt, p.At(pt.X, pt.Y))
		}
	}
	// CapNotLast leaves out the last point only.
	gc.CapStyle = CapNotLast
	p = newTestPixmap(32, 32)
	PolyLine(Canvas{Pixmap: p}, &gc, pts)
	if p.At(5, 25) != 0 || p.At(20, 20) != 1 {
		t.Errorf("CapNotLast: last point %#x, joint %#x", p.At(5, 25), p.At(20, 20))
	}
}

func TestDashesZeroWidth(t *testing.T) {
	for _, tc := range []struct {
		dashes []uint8
		offset int
		style  LineStyle
		want   string // pixels of a 16-pixel horizontal line: f, b or .
	}{
		{[]uint8{4, 4}, 0, LineOnOffDash, "ffff....ffff...."},
		{[]uint8{4, 4}, 2, LineOnOffDash, "ff....ffff....ff"},
		{[]uint8{3, 1}, 0, LineDoubleDash, "fffbfffbfffbfffb"},
		// An odd list is repeated: [2 1 3] is [2 1 3 2 1 3].
		{[]uint8{2, 1, 3}, 0, LineDoubleDash, "ffbfffbbfbbbffbf"},
		{[]uint8{2, 1, 3}, 13, LineDoubleDash, "fbfffbbfbbbffbff"},
		// Zeros are invalid; the default [4 4] is used.
		{[]uint8{0, 3}, 0, LineOnOffDash, "ffff....ffff...."},
	} {
		gc := copyGC
		gc.Dashes, gc.DashOffset, gc.LineStyle = tc.dashes, tc.offset, tc.style
		// Solid goes straight to the pixmap; a stipple of ones (none set)
		// takes the span path and looks the same.
		for _, fill := range []FillStyle{FillSolid, FillStippled} {
			gc.FillStyle = fill
			p := newTestPixmap(20, 3)
			PolyLine(Canvas{Pixmap: p}, &gc, []image.Point{{0, 1}, {15, 1}})
			got := make([]byte, 16)
			for x := range got {
				got[x] = ".fb"[p.At(x, 1)]
			}
			if string(got) != tc.want {
				t.Errorf("dashes %v offset %d style %d fill %d: %s, want %s", tc.dashes, tc.offset, tc.style, fill, got, tc.want)
			}
		}
	}
}

func TestDashesContinueAcrossJoints(t *testing.T) {
	gc := copyGC
	gc.LineStyle = LineOnOffDash
	gc.Dashes = []uint8{3, 2}
	p := newTestPixmap(20, 20)
	// Two segments of 6 pixels along x then y: the pattern runs on.
	PolyLine(Canvas{Pixmap: p}, &gc, []image.Point{{0, 0}, {6, 0}, {6, 6}})
	var got []byte
	for x := 0; x < 6; x++ {
		got = append(got, ".f"[p.At(x, 0)])
	}
	for y := 0; y <= 6; y++ {
		got = append(got, ".f"[p.At(6, y)])
	}
	if want := "fff..f" + "ff..fff"; string(got) != want {
		t.Errorf("pattern %s, want %s", got, want)
	}
}

func TestWideLineShapes(t *testing.T) {
	gc := copyGC
	gc.LineWidth = 4
	p := newTestPixmap(20, 20)
	// A horizontal butt line is a width×length rectangle centred on it.
	PolyLine(Canvas{Pixmap: p}, &gc, []image.Point{{5, 10}, {15, 10}})
	want := make(map[image.Point]uint32)
	for y := 8; y < 12; y++ {
		for x := 5; x < 15; x++ {
			want[image.Pt(x, y)] = 1
		}
	}
	if got := lit(p); !sameLit(got, want) {
		t.Errorf("butt line: %d pixels, want the 10x4 rectangle", len(got))
	}
	// Projecting caps extend it by half the width at each end.
	gc.CapStyle = CapProjecting
	p = newTestPixmap(20, 20)
	PolyLine(Canvas{Pixmap: p}, &gc, []image.Point{{5, 10}, {15, 10}})
	if n := len(lit(p)); n != 14*4 {
		t.Errorf("projecting line: %d pixels, want %d", n, 14*4)
	}
}

// TestWideXorEachPixelOnce: with xor, overlapping joins, caps and segments
// of one request must leave every covered pixel set, as X.Org's span
// groups do.
func TestWideXorEachPixelOnce(t *testing.T) {
	gc := copyGC
	gc.Func = FuncXor
	gc.LineWidth = 9
	gc.CapStyle = CapRound
	gc.JoinStyle = JoinRound
	pts := []image.Point{{5, 5}, {30, 8}, {8, 30}, {30, 30}, {5, 5}}
	px := newTestPixmap(40, 40)
	PolyLine(Canvas{Pixmap: px}, &gc, pts)
	gc.Func = FuncCopy
	ref := newTestPixmap(40, 40)
	PolyLine(Canvas{Pixmap: ref}, &gc, pts)
	if !sameLit(lit(px), lit(ref)) {
		t.Errorf("xor drew %d pixels, copy %d", len(lit(px)), len(lit(ref)))
	}
}

// TestDegenerateLines draws nonsense and extremes; nothing may panic, and
// nothing may be drawn outside the pixmap.
func TestDegenerateLines(t *testing.T) {
	p := newTestPixmap(16, 16)
	c := Canvas{Pixmap: p}
	for _, lw := range []int{0, 1, 2, 7, 1000, 65535} {
		for style := LineSolid; style <= LineDoubleDash; style++ {
			for cap := CapNotLast; cap <= CapProjecting; cap++ {
				for join := JoinMiter; join <= JoinBevel; join++ {
					gc := copyGC
					gc.Func = FuncXor
					gc.LineWidth, gc.LineStyle, gc.CapStyle, gc.JoinStyle = lw, style, cap, join
					gc.DashOffset = 65535
					if lw >= 1000 && style != LineSolid {
						// Every dash of a 65535-pixel line has round caps
						// as wide as the line: as in X.Org, that costs
						// dashes × width rows. Keep the dashes few.
						gc.Dashes = []uint8{255, 255, 255}
						if lw > 1000 {
							continue
						}
					}
					PolyLine(c, &gc, nil)
					PolyLine(c, &gc, []image.Point{{3, 3}})
					PolyLine(c, &gc, []image.Point{{3, 3}, {3, 3}})
					PolyLine(c, &gc, []image.Point{{3, 3}, {3, 3}, {3, 3}})
					PolyLine(c, &gc, []image.Point{{-32768, -32768}, {32767, 32767}, {-32768, 32767}, {5, 5}})
					PolyLine(c, &gc, []image.Point{{-32768, 5}, {32767, 5}, {-32768, 5}})
					PolySegment(c, &gc, []Segment{{-32768, -32768, 32767, 32767}, {0, 0, 0, 0}, {8, -32768, 8, 32767}})
					PolyRectangle(c, &gc, []image.Rectangle{image.Rect(-32768, -32768, 32767, 32767), image.Rect(2, 2, 2, 2), {}})
				}
			}
		}
	}
	// Broken GCs and canvases.
	gc := copyGC
	gc.Dashes = nil
	gc.LineStyle = LineOnOffDash
	PolyLine(c, &gc, []image.Point{{0, 0}, {10, 10}})
	gc.LineWidth = 5
	PolyLine(c, &gc, []image.Point{{0, 0}, {10, 10}})
	PolyLine(Canvas{}, &gc, []image.Point{{0, 0}, {10, 10}})
	PolySegment(Canvas{Pixmap: &Pixmap{Width: 10, Height: 10, Stride: 10}}, &copyGC, []Segment{{0, 0, 9, 9}})
	PolyLine(Canvas{Pixmap: p, Origin: image.Pt(-5000, 7000)}, &copyGC, []image.Point{{0, 0}, {10, 10}})
	// An empty clip: nothing at all.
	q := newTestPixmap(16, 16)
	empty := Canvas{Pixmap: q, Clip: new(region.Region)}
	for _, lw := range []int{0, 3} {
		gc := copyGC
		gc.LineWidth = lw
		PolyLine(empty, &gc, []image.Point{{0, 0}, {10, 10}, {0, 0}})
		PolySegment(empty, &gc, []Segment{{0, 0, 10, 10}, {5, 5, 5, 5}})
		PolyRectangle(empty, &gc, []image.Rectangle{image.Rect(1, 1, 9, 9)})
		FillPolygon(empty, &gc, []image.Point{{0, 0}, {10, 0}, {5, 9}}, ShapeConvex)
		PolyArc(empty, &gc, []Arc{{0, 0, 10, 10, 0, 360 * 64}})
		PolyFillArc(empty, &gc, []Arc{{0, 0, 10, 10, 0, 360 * 64}})
	}
	if n := len(lit(q)); n != 0 {
		t.Errorf("an empty clip let %d pixels through", n)
	}
}
