package term

import (
	"image"
	"image/color"
	"testing"
)

// BenchmarkRedraw redraws a 200x60 terminal showing a 1280x800
// framebuffer that changes completely between redraws, the worst case:
// every cell averaged again and sent again. The goal is at least 20
// redraws a second (redraws/s).
//
//	go test -run NONE -bench Redraw ./viewer/term/
func BenchmarkRedraw(b *testing.B) {
	frames := [2]*image.RGBA{image.NewRGBA(image.Rect(0, 0, 1280, 800)), image.NewRGBA(image.Rect(0, 0, 1280, 800))}
	for i, img := range frames {
		for y := 0; y < 800; y++ {
			for x := 0; x < 1280; x++ {
				img.SetRGBA(x, y, color.RGBA{uint8(x + 40*i), uint8(y), uint8(x ^ y), 255})
			}
		}
	}
	for _, c := range []struct {
		name   string
		colors int
		scale  float64 // 0 is fit
		change image.Rectangle
	}{
		{"fit/truecolor/all", truecolor, 0, frames[0].Rect},
		{"fit/256/all", 256, 0, frames[0].Rect},
		{"1:1/truecolor/all", truecolor, 1, frames[0].Rect},
		{"fit/truecolor/window", truecolor, 0, image.Rect(100, 100, 500, 400)},
	} {
		b.Run(c.name, func(b *testing.B) {
			f := newFake(1280, 800)
			v, _ := attached(b, f, 200, 60, c.colors)
			if c.scale != 0 {
				v.view.setScale(c.scale)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				f.mu.Lock()
				f.img, f.changed = frames[i%2], c.change
				f.mu.Unlock()
				v.draw()
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "redraws/s")
		})
	}
}

var averageSink rgb

// BenchmarkAverage is the box filter alone, one 6x7 half-cell.
func BenchmarkAverage(b *testing.B) {
	img := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for i := 0; i < b.N; i++ {
		averageSink, _ = average(img, 10, 16, 10, 17)
	}
}
