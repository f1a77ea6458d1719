package fb

import (
	"image"
	"math/rand"
	"testing"

	"netdisplay/xserver/region"
)

// nullObserver stands for the screen's damage tracking, so benchmarks pay
// for reporting as the server will.
type nullObserver struct{ n int }

func (o *nullObserver) Changed(image.Rectangle)          { o.n++ }
func (o *nullObserver) Copied(image.Rectangle, int, int) { o.n++ }

func benchScreen() *Pixmap {
	p := NewPixmap(1280, 1024, 24)
	p.Observer = new(nullObserver)
	return p
}

var solidGC = &GC{Func: FuncCopy, PlaneMask: ^uint32(0), Foreground: 0x336699}

func benchFillRect(b *testing.B, size int, gc *GC, clip *region.Region) {
	p := benchScreen()
	rs := []image.Rectangle{image.Rect(10, 10, 10+size, 10+size)}
	b.SetBytes(int64(4 * size * size))
	for b.Loop() {
		FillRectangles(Canvas{Pixmap: p, Clip: clip}, gc, rs)
	}
}

func BenchmarkFillRect10(b *testing.B)  { benchFillRect(b, 10, solidGC, nil) }
func BenchmarkFillRect100(b *testing.B) { benchFillRect(b, 100, solidGC, nil) }
func BenchmarkFillRect500(b *testing.B) { benchFillRect(b, 500, solidGC, nil) }

func BenchmarkFillRect100Xor(b *testing.B) {
	benchFillRect(b, 100, &GC{Func: FuncXor, PlaneMask: ^uint32(0), Foreground: 0xffffff}, nil)
}

func BenchmarkFillRect100Tiled(b *testing.B) {
	tile := randPixmap(rand.New(rand.NewSource(1)), 16, 16, 24)
	benchFillRect(b, 100, &GC{Func: FuncCopy, PlaneMask: ^uint32(0), FillStyle: FillTiled, Tile: tile}, nil)
}

func BenchmarkFillRect100Stippled(b *testing.B) {
	st := randPixmap(rand.New(rand.NewSource(1)), 8, 8, 1)
	benchFillRect(b, 100, &GC{Func: FuncCopy, PlaneMask: ^uint32(0), FillStyle: FillOpaqueStippled, Stipple: st, Foreground: 1}, nil)
}

// A window clip list with a few holes.
func BenchmarkFillRect100Clipped(b *testing.B) {
	clip := region.Rect(image.Rect(0, 0, 1280, 1024))
	for i := 0; i < 10; i++ {
		clip.SubtractRect(clip, image.Rect(15+i*9, 20+i*8, 20+i*9, 30+i*8))
	}
	benchFillRect(b, 100, solidGC, clip)
}

// A disc of radius 100 as 200 sorted spans, as the arc code produces.
func BenchmarkFillSpans(b *testing.B) {
	p := benchScreen()
	var spans []Span
	for y := -100; y < 100; y++ {
		w := 0
		for w*w+y*y < 100*100 {
			w++
		}
		spans = append(spans, Span{X: 300 - w, Y: 300 + y, W: 2 * w})
	}
	for b.Loop() {
		FillSpans(Canvas{Pixmap: p}, solidGC, spans)
	}
}

func BenchmarkFillSpansClipped(b *testing.B) {
	p := benchScreen()
	clip := region.Rect(image.Rect(0, 0, 1280, 1024))
	for i := 0; i < 10; i++ {
		clip.SubtractRect(clip, image.Rect(220+i*15, 220+i*15, 240+i*15, 240+i*15))
	}
	var spans []Span
	for y := -100; y < 100; y++ {
		spans = append(spans, Span{X: 200, Y: 300 + y, W: 200})
	}
	for b.Loop() {
		FillSpans(Canvas{Pixmap: p, Clip: clip}, solidGC, spans)
	}
}

func zImage(w, h int) *Image {
	return &Image{Format: ZPixmap, Width: w, Height: h, Depth: 24, BitsPerPixel: 32, ScanlineUnit: 32, ScanlinePad: 32,
		BitLSBFirst: true, ByteLSBFirst: true, Data: make([]byte, 4*w*h)}
}

func BenchmarkPutImage100(b *testing.B) {
	p := benchScreen()
	img := zImage(100, 100)
	rand.New(rand.NewSource(1)).Read(img.Data)
	b.SetBytes(int64(len(img.Data)))
	for b.Loop() {
		if err := PutImage(Canvas{Pixmap: p}, solidGC, img, image.Pt(10, 10)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPutImage100Bitmap(b *testing.B) {
	p := benchScreen()
	img := &Image{Format: Bitmap, Width: 100, Height: 100, Depth: 1, ScanlineUnit: 32, ScanlinePad: 32, BitLSBFirst: true, ByteLSBFirst: true}
	img.Layout()
	img.Data = make([]byte, img.Stride*100)
	rand.New(rand.NewSource(1)).Read(img.Data)
	for b.Loop() {
		PutImage(Canvas{Pixmap: p}, solidGC, img, image.Pt(10, 10))
	}
}

func BenchmarkGetImage100(b *testing.B) {
	p := benchScreen()
	out := Image{ScanlineUnit: 32, ScanlinePad: 32, BitLSBFirst: true, ByteLSBFirst: true, BitsPerPixel: 32}
	b.SetBytes(4 * 100 * 100)
	for b.Loop() {
		if err := GetImage(p, image.Rect(10, 10, 110, 110), ZPixmap, ^uint32(0), &out); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCopyArea100(b *testing.B) {
	p := benchScreen()
	b.SetBytes(4 * 100 * 100)
	for b.Loop() {
		CopyArea(Canvas{Pixmap: p}, p, image.Point{}, solidGC, image.Rect(10, 10, 110, 110), image.Pt(15, 12))
	}
}

// Scrolling a 500x500 area up by one line of text.
func BenchmarkCopyArea500Scroll(b *testing.B) {
	p := benchScreen()
	b.SetBytes(4 * 500 * 500)
	for b.Loop() {
		CopyArea(Canvas{Pixmap: p}, p, image.Point{}, solidGC, image.Rect(0, 16, 500, 516), image.Pt(0, 0))
	}
}

func BenchmarkCopyArea100Xor(b *testing.B) {
	p := benchScreen()
	for b.Loop() {
		CopyArea(Canvas{Pixmap: p}, p, image.Point{}, &GC{Func: FuncXor, PlaneMask: ^uint32(0)}, image.Rect(10, 10, 110, 110), image.Pt(15, 10))
	}
}

func BenchmarkDrawPoints(b *testing.B) {
	p := benchScreen()
	pts := make([]image.Point, 1000)
	rng := rand.New(rand.NewSource(1))
	for i := range pts {
		pts[i] = image.Pt(rng.Intn(1280), rng.Intn(1024))
	}
	for b.Loop() {
		DrawPoints(Canvas{Pixmap: p}, solidGC, pts)
	}
}
