package desktop

import (
	"image"
	"testing"
)

// BenchmarkPack is the CPU side of an upload: a whole 1280x800 frame,
// and a small change, as most updates are.
func BenchmarkPack(b *testing.B) {
	img := image.NewRGBA(image.Rect(0, 0, 1280, 800))
	for _, c := range []struct {
		name string
		r    image.Rectangle
	}{{"frame", img.Rect}, {"64x64", image.Rect(100, 100, 164, 164)}} {
		b.Run(c.name, func(b *testing.B) {
			var buf []byte
			b.SetBytes(int64(4 * c.r.Dx() * c.r.Dy()))
			for b.Loop() {
				buf = pack(buf, img, c.r)
			}
		})
	}
}
