package pixelproto

import (
	"image"
	"math"
	"math/rand"
)

// Real-looking test content, 0x00RRGGBB pixels: a desktop of windows with
// text, a photo-like image, gradients and solid areas.

// textPixels draws lines of glyph-like strokes, dark on light.
func textPixels(w, h int, seed int64) []uint32 {
	rng := rand.New(rand.NewSource(seed))
	px := make([]uint32, w*h)
	for i := range px {
		px[i] = 0xf4f4f0
	}
	for y := 4; y+12 < h; y += 16 {
		for x := 4; x+8 < w; {
			if rng.Intn(8) == 0 { // a space
				x += 8
				continue
			}
			// A glyph: random strokes in an 7x11 cell.
			g := rng.Uint64()
			for gy := range 11 {
				for gx := range 7 {
					if g>>((gy*7+gx)%64)&1 != 0 && (gx == 1 || gx == 5 || gy == 2 || gy == 9 || rng.Intn(3) == 0) {
						px[(y+gy)*w+x+gx] = 0x202020
					}
				}
			}
			x += 8
		}
	}
	return px
}

// photoPixels is a smooth noisy image with many colours, like a photo.
func photoPixels(w, h int, seed int64) []uint32 {
	rng := rand.New(rand.NewSource(seed))
	px := make([]uint32, w*h)
	for y := range h {
		for x := range w {
			fx, fy := float64(x)/float64(w), float64(y)/float64(h)
			r := 128 + 100*math.Sin(fx*7+fy*3)
			g := 128 + 90*math.Sin(fy*9-fx*2+1)
			b := 128 + 80*math.Cos((fx+fy)*5)
			n := float64(rng.Intn(9) - 4)
			px[y*w+x] = clampByte(r+n)<<16 | clampByte(g+n)<<8 | clampByte(b+n)
		}
	}
	return px
}

func clampByte(v float64) uint32 {
	return uint32(min(max(v, 0), 255))
}

// gradientPixels is a clean diagonal gradient.
func gradientPixels(w, h int) []uint32 {
	px := make([]uint32, w*h)
	for y := range h {
		for x := range w {
			px[y*w+x] = uint32(x*255/max(w-1, 1))<<16 | uint32(y*255/max(h-1, 1))<<8 | uint32((x+y)*255/max(w+h-2, 1))
		}
	}
	return px
}

func solidPixels(w, h int, c uint32) []uint32 {
	px := make([]uint32, w*h)
	for i := range px {
		px[i] = c
	}
	return px
}

// desktopPixels is a desktop: background, windows with title bars and
// text, a photo and a gradient.
func desktopPixels(w, h int, seed int64) []uint32 {
	px := solidPixels(w, h, 0x3a6ea5)
	put := func(r image.Rectangle, src []uint32) {
		r = r.Intersect(image.Rect(0, 0, w, h))
		for y := r.Min.Y; y < r.Max.Y; y++ {
			copy(px[y*w+r.Min.X:y*w+r.Max.X], src[(y-r.Min.Y)*r.Dx():])
		}
	}
	win := func(r image.Rectangle, body []uint32) {
		r = r.Intersect(image.Rect(0, 0, w, h))
		if r.Dx() < 4 || r.Dy() < 24 {
			return
		}
		put(r, solidPixels(r.Dx(), r.Dy(), 0xc0c0c0))
		put(image.Rect(r.Min.X+2, r.Min.Y+2, r.Max.X-2, r.Min.Y+20), solidPixels(r.Dx()-4, 18, 0x000080))
		inner := image.Rect(r.Min.X+2, r.Min.Y+22, r.Max.X-2, r.Max.Y-2)
		put(inner, body[:inner.Dx()*inner.Dy()])
	}
	tw, th := w*5/8, h*3/5
	win(image.Rect(w/20, h/20, w/20+tw, h/20+th), textPixels(tw, th, seed))
	pw, ph := w*3/8, h*3/8
	win(image.Rect(w*11/20, h/2, w*11/20+pw, h/2+ph), photoPixels(pw, ph, seed))
	gw, gh := w/4, h/4
	win(image.Rect(w/10, h*7/10, w/10+gw, h*7/10+gh), gradientPixels(gw, gh))
	return px
}
