package fb

import (
	"image"
	"math/rand"
	"slices"
	"testing"

	"netdisplay/xserver/region"
)

// Every function, through every plane mask pattern, at every depth, agrees
// with the specification's formula.
func TestRopAllFunctions(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, depth := range depths {
		for f := Func(0); f < 16; f++ {
			for i := 0; i < 200; i++ {
				s, d, pm := randPixel(rng), rng.Uint32()&refMask(depth), randPixel(rng)
				if i%3 == 0 {
					pm = rng.Uint32()
				}
				r := newRop(f, pm, depth)
				want := refRop(f, pm, depth, s, d)
				if got := r.apply(s, d); got != want {
					t.Fatalf("depth %d func %d pm %#x: f(%#x, %#x) = %#x, want %#x", depth, f, pm, s, d, got, want)
				}
				sr := r.solid(s)
				if got := d&sr.and ^ sr.xor; got != want {
					t.Fatalf("depth %d func %d pm %#x solid: f(%#x, %#x) = %#x, want %#x", depth, f, pm, s, d, got, want)
				}
			}
		}
	}
}

func TestFillRectanglesModel(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	for i := 0; i < 3000; i++ {
		depth := depths[rng.Intn(len(depths))]
		w, h := 1+rng.Intn(40), 1+rng.Intn(30)
		p := randPixmap(rng, w, h, depth)
		gc := randGC(rng, depth)
		c := Canvas{Pixmap: p, Origin: image.Pt(rng.Intn(11)-5, rng.Intn(11)-5), Clip: randClip(rng, w, h)}
		rs := randRects(rng, w, h, 1+rng.Intn(5))
		want := clonePixmap(p)
		refFillRectangles(Canvas{Pixmap: want, Origin: c.Origin, Clip: c.Clip}, refGC(gc, depth), rs)
		before := clonePixmap(p)
		rec := new(recorder)
		p.Observer = rec
		FillRectangles(c, gc, rs)
		samePixels(t, "FillRectangles", p, want)
		checkReports(t, "FillRectangles", rec, before, p, c.Clip)
	}
}

func TestFillSpansModel(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for i := 0; i < 3000; i++ {
		depth := depths[rng.Intn(len(depths))]
		w, h := 1+rng.Intn(40), 1+rng.Intn(30)
		p := randPixmap(rng, w, h, depth)
		gc := randGC(rng, depth)
		c := Canvas{Pixmap: p, Clip: randClip(rng, w, h)}
		spans := make([]Span, rng.Intn(40))
		for k := range spans {
			spans[k] = Span{X: rng.Intn(w+20) - 10, Y: rng.Intn(h+6) - 3, W: rng.Intn(w) - 2}
		}
		if rng.Intn(2) == 0 {
			slices.SortFunc(spans, func(a, b Span) int { return a.Y - b.Y })
		}
		want := clonePixmap(p)
		refFillSpans(Canvas{Pixmap: want, Clip: c.Clip}, refGC(gc, depth), spans)
		before := clonePixmap(p)
		rec := new(recorder)
		p.Observer = rec
		FillSpans(c, gc, spans)
		samePixels(t, "FillSpans", p, want)
		checkReports(t, "FillSpans", rec, before, p, c.Clip)
	}
}

func TestDrawPointsModel(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	for i := 0; i < 2000; i++ {
		depth := depths[rng.Intn(len(depths))]
		w, h := 1+rng.Intn(30), 1+rng.Intn(30)
		p := randPixmap(rng, w, h, depth)
		gc := randGC(rng, depth) // the fill style must be ignored
		c := Canvas{Pixmap: p, Origin: image.Pt(rng.Intn(7)-3, rng.Intn(7)-3), Clip: randClip(rng, w, h)}
		pts := make([]image.Point, rng.Intn(60))
		for k := range pts {
			pts[k] = image.Pt(rng.Intn(w+6)-3, rng.Intn(h+6)-3)
		}
		want := clonePixmap(p)
		refDrawPoints(Canvas{Pixmap: want, Origin: c.Origin, Clip: c.Clip}, refGC(gc, depth), pts)
		before := clonePixmap(p)
		rec := new(recorder)
		p.Observer = rec
		DrawPoints(c, gc, pts)
		samePixels(t, "DrawPoints", p, want)
		checkReports(t, "DrawPoints", rec, before, p, c.Clip)
	}
}

// Hand-checked cases of the fill styles and their origins.
func TestFillStylesExact(t *testing.T) {
	// A 2x2 tile of distinct values at origin (1, 0) on a 4x2 pixmap.
	tile := NewPixmap(2, 2, 8)
	copy(tile.Pix, []uint32{1, 2, 3, 4})
	p := NewPixmap(4, 2, 8)
	gc := &GC{Func: FuncCopy, PlaneMask: ^uint32(0), FillStyle: FillTiled, Tile: tile, TSOrigin: image.Pt(1, 0)}
	FillRectangles(Canvas{Pixmap: p}, gc, []image.Rectangle{image.Rect(0, 0, 4, 2)})
	if want := []uint32{2, 1, 2, 1, 4, 3, 4, 3}; !slices.Equal(p.Pix, want) {
		t.Errorf("tiled: %v, want %v", p.Pix, want)
	}

	// A stipple 1 0 / 0 1 at origin (0, 1): foreground 9 where it is 1.
	st := NewPixmap(2, 2, 1)
	copy(st.Pix, []uint32{1, 0, 0, 1})
	p = NewPixmap(4, 2, 8)
	fillRow(p.Pix, 5)
	gc = &GC{Func: FuncCopy, PlaneMask: ^uint32(0), FillStyle: FillStippled, Stipple: st, Foreground: 9, Background: 7, TSOrigin: image.Pt(0, 1)}
	FillRectangles(Canvas{Pixmap: p}, gc, []image.Rectangle{image.Rect(0, 0, 4, 2)})
	if want := []uint32{5, 9, 5, 9, 9, 5, 9, 5}; !slices.Equal(p.Pix, want) {
		t.Errorf("stippled: %v, want %v", p.Pix, want)
	}
	gc.FillStyle = FillOpaqueStippled
	FillRectangles(Canvas{Pixmap: p}, gc, []image.Rectangle{image.Rect(0, 0, 4, 2)})
	if want := []uint32{7, 9, 7, 9, 9, 7, 9, 7}; !slices.Equal(p.Pix, want) {
		t.Errorf("opaque stippled: %v, want %v", p.Pix, want)
	}

	// Xor through plane mask 0x0f on depth 8.
	p = NewPixmap(2, 1, 8)
	copy(p.Pix, []uint32{0xff, 0x00})
	gc = &GC{Func: FuncXor, PlaneMask: 0x0f, Foreground: 0x3c}
	FillRectangles(Canvas{Pixmap: p}, gc, []image.Rectangle{image.Rect(0, 0, 2, 1)})
	if want := []uint32{0xf3, 0x0c}; !slices.Equal(p.Pix, want) {
		t.Errorf("xor through plane mask: %#x, want %#x", p.Pix, want)
	}

	// Overlapping rectangles in one request are each drawn: xor twice
	// restores.
	p = NewPixmap(3, 1, 8)
	gc = &GC{Func: FuncXor, PlaneMask: ^uint32(0), Foreground: 1}
	FillRectangles(Canvas{Pixmap: p}, gc, []image.Rectangle{image.Rect(0, 0, 2, 1), image.Rect(1, 0, 3, 1)})
	if want := []uint32{1, 0, 1}; !slices.Equal(p.Pix, want) {
		t.Errorf("overlapping xor: %v, want %v", p.Pix, want)
	}

	// Depth masking: foreground 0x1ff on depth 8 stores 0xff.
	p = NewPixmap(1, 1, 8)
	FillRectangles(Canvas{Pixmap: p}, &GC{Func: FuncCopy, PlaneMask: ^uint32(0), Foreground: 0x1ff}, []image.Rectangle{image.Rect(0, 0, 1, 1)})
	if p.Pix[0] != 0xff {
		t.Errorf("depth 8 copy of 0x1ff: %#x", p.Pix[0])
	}
	FillRectangles(Canvas{Pixmap: p}, &GC{Func: FuncSet, PlaneMask: ^uint32(0)}, []image.Rectangle{image.Rect(0, 0, 1, 1)})
	if p.Pix[0] != 0xff {
		t.Errorf("depth 8 Set: %#x", p.Pix[0])
	}
}

// A missing tile or stipple acts like the protocol's defaults; malformed
// inputs draw nothing rather than panic.
func TestFillDegenerate(t *testing.T) {
	p := NewPixmap(4, 4, 24)
	for _, style := range []FillStyle{FillTiled, FillStippled, FillOpaqueStippled, 9} {
		clear(p.Pix)
		gc := &GC{Func: FuncCopy, PlaneMask: ^uint32(0), Foreground: 0x123456, FillStyle: style, Tile: &Pixmap{}, Stipple: nil}
		FillRectangles(Canvas{Pixmap: p}, gc, []image.Rectangle{image.Rect(0, 0, 4, 4)})
		for _, v := range p.Pix {
			if v != 0x123456 {
				t.Fatalf("style %d without tile or stipple: %#x", style, v)
			}
		}
	}
	// Broken pixmaps and GCs.
	bad := &Pixmap{Width: 10, Height: 10, Stride: 10, Pix: make([]uint32, 5), Depth: 8}
	gc := &GC{Func: FuncCopy, PlaneMask: ^uint32(0)}
	FillRectangles(Canvas{Pixmap: bad}, gc, []image.Rectangle{image.Rect(0, 0, 10, 10)})
	FillSpans(Canvas{Pixmap: bad}, gc, []Span{{0, 9, 10}})
	DrawPoints(Canvas{Pixmap: bad}, gc, []image.Point{{9, 9}})
	FillRectangles(Canvas{}, gc, []image.Rectangle{image.Rect(0, 0, 10, 10)})
	FillRectangles(Canvas{Pixmap: p}, nil, []image.Rectangle{image.Rect(0, 0, 10, 10)})
	badTile := &GC{Func: FuncXor, PlaneMask: ^uint32(0), FillStyle: FillTiled, Tile: bad}
	FillRectangles(Canvas{Pixmap: p}, badTile, []image.Rectangle{image.Rect(0, 0, 10, 10)})
	CopyArea(Canvas{Pixmap: p}, bad, image.Point{}, gc, image.Rect(0, 0, 10, 10), image.Point{})
	CopyPlane(Canvas{Pixmap: p}, bad, image.Point{}, gc, image.Rect(0, 0, 10, 10), image.Point{}, 1)
	FillRegion(bad, region.Rect(image.Rect(0, 0, 10, 10)), 1)
	TileRegion(p, region.Rect(image.Rect(0, 0, 10, 10)), bad, image.Point{})
	if NewPixmap(-1, 1, 8) != nil || NewPixmap(1, 1, 33) != nil || NewPixmap(1<<20, 1<<20, 24) != nil {
		t.Error("NewPixmap accepted bad arguments")
	}
	if q := NewPixmap(0, 0, 1); q == nil || q.Bytes() != 0 {
		t.Error("NewPixmap(0, 0, 1)")
	}
	if q := NewPixmap(10, 10, 24); q.Bytes() != 400 {
		t.Errorf("Bytes of 10x10: %d", q.Bytes())
	}
}

// Damage for a large filled shape made of spans is a few rectangles.
func TestFillSpansDamageIsCoarse(t *testing.T) {
	p := NewPixmap(400, 400, 24)
	rec := new(recorder)
	p.Observer = rec
	var spans []Span
	for y := 0; y < 300; y++ { // a disc of radius 150
		dy := y - 150
		w := 0
		for w*w+dy*dy < 150*150 {
			w++
		}
		spans = append(spans, Span{X: 200 - w, Y: 50 + y, W: 2 * w})
	}
	FillSpans(Canvas{Pixmap: p}, &GC{Func: FuncCopy, PlaneMask: ^uint32(0), Foreground: 1}, spans)
	if len(rec.changed) > 3 {
		t.Errorf("disc reported as %d rectangles: %v", len(rec.changed), rec.changed)
	}
	// A thin diagonal: more than one rectangle (not the whole bounding
	// box), far fewer than one per span.
	rec.changed = nil
	spans = spans[:0]
	for i := 0; i < 400; i++ {
		spans = append(spans, Span{X: i, Y: i, W: 1})
	}
	FillSpans(Canvas{Pixmap: p}, &GC{Func: FuncCopy, PlaneMask: ^uint32(0), Foreground: 2}, spans)
	area := 0
	for _, r := range rec.changed {
		area += r.Dx() * r.Dy()
	}
	if len(rec.changed) < 2 || len(rec.changed) > 40 || area > 400*400/4 {
		t.Errorf("diagonal reported as %d rectangles covering %d pixels", len(rec.changed), area)
	}
}

func TestFillRegion(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	for i := 0; i < 500; i++ {
		depth := depths[rng.Intn(len(depths))]
		w, h := 1+rng.Intn(30), 1+rng.Intn(30)
		p := randPixmap(rng, w, h, depth)
		rgn := randClip(rng, w, h)
		if rgn == nil {
			rgn = new(region.Region)
		}
		pixel := rng.Uint32()
		tile := randPixmap(rng, 1+rng.Intn(7), 1+rng.Intn(7), depth)
		org := image.Pt(rng.Intn(21)-10, rng.Intn(21)-10)

		want := clonePixmap(p)
		copyGC := &GC{Func: FuncCopy, PlaneMask: ^uint32(0), Foreground: pixel}
		refFillRectangles(Canvas{Pixmap: want, Clip: rgn}, copyGC, []image.Rectangle{want.Bounds()})
		before := clonePixmap(p)
		rec := new(recorder)
		p.Observer = rec
		FillRegion(p, rgn, pixel)
		samePixels(t, "FillRegion", p, want)
		checkReports(t, "FillRegion", rec, before, p, rgn)

		copyGC.FillStyle, copyGC.Tile, copyGC.TSOrigin = FillTiled, tile, org
		refFillRectangles(Canvas{Pixmap: want, Clip: rgn}, copyGC, []image.Rectangle{want.Bounds()})
		before = clonePixmap(p)
		rec.changed = nil
		TileRegion(p, rgn, tile, org)
		samePixels(t, "TileRegion", p, want)
		checkReports(t, "TileRegion", rec, before, p, rgn)
	}
}
