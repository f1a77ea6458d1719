package slideshow

import (
	"image"
	"image/color"
	"math"
	"math/cmplx"
	"math/rand/v2"
)

// A kind of picture, made from a seeded generator at any size.
type kind struct {
	name string
	make func(rng *rand.Rand, img *image.RGBA)
}

// kinds are shown in turn; the short script ends on the last.
var kinds = []kind{
	{"Mandelbrot", mandelbrot},
	{"Plasma", plasma},
	{"Cells", cells},
	{"Julia", julia},
	{"Clouds", clouds},
	{"Landscape", landscape},
}

// picture makes slide n at the given size.
func picture(seed int64, n int, size image.Point) *image.RGBA {
	img := image.NewRGBA(image.Rectangle{Max: size})
	rng := rand.New(rand.NewPCG(uint64(seed), uint64(n)))
	kinds[n%len(kinds)].make(rng, img)
	return img
}

// each calls f with every pixel's coordinates scaled to [0,1) across the
// width (y keeps the same scale), and sets the pixel to what it returns.
func each(img *image.RGBA, f func(x, y float64) color.RGBA) {
	b := img.Bounds()
	scale := 1 / float64(max(b.Dx(), 1))
	for py := b.Min.Y; py < b.Max.Y; py++ {
		for px := b.Min.X; px < b.Max.X; px++ {
			img.SetRGBA(px, py, f(float64(px)*scale, float64(py)*scale))
		}
	}
}

// ramp is a palette through the given colours, for t in [0,1].
func ramp(t float64, stops ...color.RGBA) color.RGBA {
	if !(t > 0) { // NaN too
		t = 0
	}
	t = math.Min(t, 1) * float64(len(stops)-1)
	i := min(int(t), len(stops)-2)
	f := t - float64(i)
	a, b := stops[i], stops[i+1]
	mix := func(x, y uint8) uint8 { return uint8(float64(x) + (float64(y)-float64(x))*f + 0.5) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 0xff}
}

var (
	fire  = []color.RGBA{{0, 7, 30, 255}, {32, 60, 140, 255}, {230, 240, 255, 255}, {255, 170, 0, 255}, {60, 0, 10, 255}}
	ocean = []color.RGBA{{10, 20, 60, 255}, {20, 120, 160, 255}, {240, 240, 200, 255}, {200, 80, 60, 255}, {40, 10, 50, 255}}
)

// escape iterates z = z² + c from z and returns a smooth escape count in
// [0,1], or 1 for points that stay.
func escape(z, c complex128, limit int) float64 {
	for i := range limit {
		z = z*z + c
		if a := cmplx.Abs(z); a > 16 {
			return math.Max(0, float64(i)+1-math.Log2(math.Log2(a))) / float64(limit)
		}
	}
	return 1
}

func mandelbrot(rng *rand.Rand, img *image.RGBA) {
	// A spiral in the seahorse valley, at a seeded zoom.
	centre := complex(-0.743644786, 0.131825253)
	span := 0.004 + rng.Float64()*0.004
	aspect := float64(img.Bounds().Dy()) / float64(max(img.Bounds().Dx(), 1))
	each(img, func(x, y float64) color.RGBA {
		c := centre + complex((x-0.5)*span, (y-aspect/2)*span)
		t := escape(0, c, 250)
		if t >= 1 {
			return color.RGBA{0, 0, 0, 255}
		}
		return ramp(math.Mod(t*6, 1), fire...)
	})
}

func julia(rng *rand.Rand, img *image.RGBA) {
	// Connected Julia sets, near the Mandelbrot set's edge.
	cs := []complex128{-0.8 + 0.156i, 0.285 + 0.01i, -0.7269 + 0.1889i, -0.4 + 0.6i, 0.355 + 0.355i}
	c := cs[rng.IntN(len(cs))]
	aspect := float64(img.Bounds().Dy()) / float64(max(img.Bounds().Dx(), 1))
	each(img, func(x, y float64) color.RGBA {
		z := complex((x-0.5)*3.2, (y-aspect/2)*3.2)
		t := escape(z, c, 200)
		if t >= 1 {
			return ocean[0]
		}
		return ramp(math.Mod(math.Sqrt(t)*3, 1), ocean...)
	})
}

func plasma(rng *rand.Rand, img *image.RGBA) {
	f := [4]float64{}
	for i := range f {
		f[i] = 6 + rng.Float64()*14
	}
	phase := rng.Float64() * 2 * math.Pi
	each(img, func(x, y float64) color.RGBA {
		v := math.Sin(x*f[0]+phase) + math.Sin(y*f[1]) + math.Sin((x+y)*f[2]) +
			math.Sin(math.Hypot(x-0.5, y-0.4)*f[3]*2)
		v = v/8 + 0.5
		return color.RGBA{
			uint8(128 + 127*math.Sin(2*math.Pi*v)),
			uint8(128 + 127*math.Sin(2*math.Pi*v+2)),
			uint8(128 + 127*math.Sin(2*math.Pi*v+4)),
			255,
		}
	})
}

// cells is a Voronoi diagram in flat colours with dark borders: large
// areas of one colour, which pixel encodings compress well.
func cells(rng *rand.Rand, img *image.RGBA) {
	type site struct {
		x, y float64
		c    color.RGBA
	}
	aspect := float64(img.Bounds().Dy()) / float64(max(img.Bounds().Dx(), 1))
	sites := make([]site, 24)
	for i := range sites {
		sites[i] = site{rng.Float64(), rng.Float64() * aspect,
			color.RGBA{uint8(80 + rng.IntN(170)), uint8(80 + rng.IntN(170)), uint8(80 + rng.IntN(170)), 255}}
	}
	border := 1.5 / float64(max(img.Bounds().Dx(), 1))
	each(img, func(x, y float64) color.RGBA {
		best, second := math.Inf(1), math.Inf(1)
		var c color.RGBA
		for _, s := range sites {
			d := math.Hypot(x-s.x, y-s.y)
			if d < best {
				best, second, c = d, best, s.c
			} else if d < second {
				second = d
			}
		}
		if second-best < border {
			return color.RGBA{30, 30, 40, 255}
		}
		return c
	})
}

// noise is smooth value noise in [0,1] on a lattice hashed with seed.
func noise(seed uint64, x, y float64) float64 {
	ix, iy := math.Floor(x), math.Floor(y)
	fx, fy := x-ix, y-iy
	fx, fy = fx*fx*(3-2*fx), fy*fy*(3-2*fy)
	at := func(dx, dy float64) float64 {
		h := seed ^ uint64(int64(ix+dx))*0x9e3779b97f4a7c15 ^ uint64(int64(iy+dy))*0xc2b2ae3d27d4eb4f
		h ^= h >> 33
		h *= 0xff51afd7ed558ccd
		h ^= h >> 33
		return float64(h>>11) / (1 << 53)
	}
	top := at(0, 0) + (at(1, 0)-at(0, 0))*fx
	bottom := at(0, 1) + (at(1, 1)-at(0, 1))*fx
	return top + (bottom-top)*fy
}

// fbm is fractal noise: octaves of noise, each finer and fainter.
func fbm(seed uint64, x, y float64, octaves int) float64 {
	sum, amp, norm := 0.0, 0.5, 0.0
	for i := range octaves {
		sum += amp * noise(seed+uint64(i), x, y)
		norm += amp
		x, y, amp = x*2, y*2, amp/2
	}
	return sum / norm
}

func clouds(rng *rand.Rand, img *image.RGBA) {
	seed := rng.Uint64()
	each(img, func(x, y float64) color.RGBA {
		v := fbm(seed, x*6, y*6, 5)
		v = math.Max(0, v-0.45) * 2.5
		sky := ramp(y, color.RGBA{40, 90, 170, 255}, color.RGBA{120, 170, 230, 255})
		return ramp(v, sky, color.RGBA{250, 250, 255, 255})
	})
}

// landscape is a sunset over layers of hills and a lake that mirrors
// them: smooth gradients and fine detail, as in a photograph.
func landscape(rng *rand.Rand, img *image.RGBA) {
	seed := rng.Uint64()
	b := img.Bounds()
	aspect := float64(b.Dy()) / float64(max(b.Dx(), 1))
	horizon := aspect * 0.68
	sunX, sunY := 0.3+rng.Float64()*0.4, horizon*0.38
	ridge := func(layer int, x float64) float64 {
		base := horizon * (0.62 + 0.15*float64(layer))
		return base - 0.2*aspect*fbm(seed+uint64(layer)*17, x*(3+float64(layer)*2), float64(layer), 5)
	}
	// Far hills are paler, through more air.
	hills := []color.RGBA{{168, 116, 150, 255}, {112, 78, 118, 255}, {58, 46, 82, 255}}
	scene := func(x, y float64) color.RGBA {
		for layer := len(hills) - 1; layer >= 0; layer-- {
			if y > ridge(layer, x) {
				shade := fbm(seed+99, x*40, y*40, 3) * 0.15
				return ramp(shade/0.15*0.3, hills[layer], color.RGBA{20, 16, 30, 255})
			}
		}
		c := ramp(y/horizon, color.RGBA{36, 40, 100, 255}, color.RGBA{230, 110, 90, 255}, color.RGBA{255, 200, 120, 255})
		if d := math.Hypot(x-sunX, y-sunY); d < 0.05 {
			return color.RGBA{255, 240, 200, 255}
		} else if d < 0.15 {
			return ramp((d-0.05)/0.1, color.RGBA{255, 220, 160, 255}, c)
		}
		return c
	}
	each(img, func(x, y float64) color.RGBA {
		if y <= horizon {
			return scene(x, y)
		}
		// The lake: the scene upside down, rippled and darkened.
		ripple := 0.004 * math.Sin(y*300+fbm(seed+7, x*20, y*60, 2)*6)
		c := scene(x+ripple, 2*horizon-y)
		return color.RGBA{uint8(float64(c.R) * 0.7), uint8(float64(c.G) * 0.75), uint8(float64(c.B)*0.8 + 20), 255}
	})
}
