package pixelproto

import (
	"image"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// Benchmarks on a 1920×1080 frame of desktop-like content. MB/s counts
// the frame's pixels at 4 bytes each.

const benchW, benchH = 1920, 1080

var benchFrame = desktopPixels(benchW, benchH, 7)

func benchEncode(b *testing.B, e Encoding, quality int) { benchEncodeLevel(b, e, 2, quality) }

func benchEncodeLevel(b *testing.B, e Encoding, compress, quality int) {
	pf := FormatRGB888
	p := encParams{pf: pf, compress: compress, quality: quality, gradient: true}
	conv := newConverter(pf)
	var zs [zCount]zstream
	r := image.Rect(0, 0, benchW, benchH)
	b.SetBytes(benchW * benchH * 4)
	b.ReportAllocs()
	var size int
	for b.Loop() {
		var jobs []*rectJob
		v := frameView(benchFrame, benchW, benchH)
		for _, s := range split(encoders[e], r, v, &p, 64<<10, nil) {
			jobs = append(jobs, &rectJob{r: s, src: v, enc: e})
		}
		encodeJobs(jobs, conv, &p, &zs, runtime.GOMAXPROCS(0))
		size = 0
		for _, j := range jobs {
			size += 12 + j.out.size()
			j.out.release() // as a viewer does once it has written them
		}
	}
	b.ReportMetric(float64(size), "wire-B/frame")
}

func BenchmarkEncodeRaw(b *testing.B)       { benchEncode(b, Raw, 0) }
func BenchmarkEncodeRRE(b *testing.B)       { benchEncode(b, RRE, 0) }
func BenchmarkEncodeHextile(b *testing.B)   { benchEncode(b, Hextile, 0) }
func BenchmarkEncodeTRLE(b *testing.B)      { benchEncode(b, TRLE, 0) }
func BenchmarkEncodeZRLE(b *testing.B)      { benchEncode(b, ZRLE, 0) }
func BenchmarkEncodeTight(b *testing.B)     { benchEncode(b, Tight, 0) }
func BenchmarkEncodeTightJPEG(b *testing.B) { benchEncode(b, Tight, jpegQuality[6]) }

// At zlib level 6, what a server uses for clients that name no level.
func BenchmarkEncodeZRLE6(b *testing.B)  { benchEncodeLevel(b, ZRLE, 6, 0) }
func BenchmarkEncodeTight6(b *testing.B) { benchEncodeLevel(b, Tight, 6, 0) }

// BenchmarkDamage measures damage detection: a frame whose every pixel
// is reported changed, of which a tenth of the rows really did, taken from
// a Source, which hashes its blocks and captures the pixels that differ.
func BenchmarkDamage(b *testing.B) {
	src := NewMemSource(benchW, benchH, "bench")
	src.Draw(image.Rect(0, 0, benchW, benchH), func(pix []uint32, _ int) { copy(pix, benchFrame) })
	f := src.Subscribe()
	var u Update
	f.Take(&u, TakeOptions{})
	b.SetBytes(benchW * benchH * 4)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		src.Draw(image.Rect(0, 0, benchW, benchH), func(pix []uint32, stride int) {
			for y := (i % 10) * 108; y < (i%10+1)*108; y++ {
				pix[y*stride+y] ^= 0xff
			}
		})
		f.Take(&u, TakeOptions{MaxPixels: maxTake})
	}
}

// BenchmarkFrame measures what a viewer's goroutine does for a frame of
// 1920×1080 whose every pixel changed: damage detection (hashing each
// block, capturing the pixels, in parts of maxTake) and encoding, on
// GOMAXPROCS cores. Run it with -cpu 1 for the figure per core. MB/s
// counts the frame's pixels at 4 bytes each.
func BenchmarkFrameRaw(b *testing.B)       { benchFrames(b, Raw, 0) }
func BenchmarkFrameHextile(b *testing.B)   { benchFrames(b, Hextile, 0) }
func BenchmarkFrameZRLE(b *testing.B)      { benchFrames(b, ZRLE, 0) }
func BenchmarkFrameTight(b *testing.B)     { benchFrames(b, Tight, 0) }
func BenchmarkFrameTightJPEG(b *testing.B) { benchFrames(b, Tight, jpegQuality[8]) }

var benchFrame2 = desktopPixels(benchW, benchH, 8)

func benchFrames(b *testing.B, e Encoding, quality int) {
	src := NewMemSource(benchW, benchH, "bench")
	f := src.Subscribe()
	defer f.Close()
	p := encParams{pf: FormatRGB888, compress: 2, quality: quality, gradient: true}
	conv := newConverter(p.pf)
	var zs [zCount]zstream
	var u Update
	var jobs []*rectJob
	var parts []image.Rectangle
	frames := [2][]uint32{benchFrame, benchFrame2}
	b.SetBytes(benchW * benchH * 4)
	b.ReportAllocs()
	size := 0
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		src.Draw(image.Rect(0, 0, benchW, benchH), func(pix []uint32, _ int) { copy(pix, frames[i%2]) })
		b.StartTimer()
		size = 0
		for more := true; more; more = u.More {
			f.Take(&u, TakeOptions{MaxPixels: maxTake})
			jobs = jobs[:0]
			off := 0
			for _, r := range u.Changed {
				v := pixView{pix: u.Pixels[off:], stride: r.Dx(), r: r}
				off += r.Dx() * r.Dy()
				for _, s := range split(encoders[e], r, v, &p, 64<<10, parts[:0]) {
					jobs = append(jobs, &rectJob{r: s, src: v, enc: e})
				}
			}
			encodeJobs(jobs, conv, &p, &zs, runtime.GOMAXPROCS(0))
			for _, j := range jobs {
				size += 12 + j.out.size()
				j.out.release() // as a viewer does once it has written them
			}
		}
	}
	b.ReportMetric(float64(size), "wire-B/frame")
}

// BenchmarkRoundTrip measures encoding and decoding a full frame.
func BenchmarkRoundTripZRLE(b *testing.B)  { benchDecode(b, ZRLE) }
func BenchmarkRoundTripTight(b *testing.B) { benchDecode(b, Tight) }

func benchDecode(b *testing.B, e Encoding) {
	p := newCodecPair(FormatRGBA, benchW, benchH)
	p.work = runtime.GOMAXPROCS(0)
	b.SetBytes(benchW * benchH * 4)
	for b.Loop() {
		p.send(b, e, benchFrame, benchW, image.Rect(0, 0, benchW, benchH))
	}
}

// BenchmarkTerminal scrolls a terminal of 80×24 cells of 8×16 pixels a
// line at a time, as xterm +j does (a copy of the text up a line, then
// the new line drawn), at about 20,000 lines a second, with a viewer of
// ZRLE and CopyRect watching, and reports what the viewer is sent for
// each line: the cost of a scroll, however many lines an update carries.
func BenchmarkTerminal(b *testing.B) {
	const w, h, lh = 640, 400, 16
	text := image.Rect(0, 0, w, 24*lh)
	src := NewMemSource(w, h, "terminal")
	src.Fill(image.Rect(0, 0, w, h), 0xffffff)
	_, addr := startServer(b, src, ServerConfig{})
	c := dial(b, addr, ClientConfig{Encodings: []Encoding{ZRLE, CopyRect}})
	waitMatch(b, c, src, FormatRGBA)
	before := c.Stats()
	b.ReportAllocs()
	line := 0
	for b.Loop() {
		line++
		src.Copy(image.Rect(0, 0, w, text.Max.Y-lh), image.Pt(0, lh))
		r := image.Rect(0, text.Max.Y-lh, w, text.Max.Y)
		src.Draw(r, func(pix []uint32, stride int) { drawLine(pix, stride, r, line) })
		if line%20 == 0 {
			time.Sleep(time.Millisecond)
		}
	}
	waitMatch(b, c, src, FormatRGBA)
	after := c.Stats()
	b.ReportMetric(float64(after.BytesIn-before.BytesIn)/float64(line), "wire-B/line")
	b.ReportMetric(float64(after.Updates-before.Updates)/float64(line), "updates/line")
}

// drawLine draws, in r, a line as seq prints it: the number n in glyphs
// of 8×16 at the left, and blank to the right.
func drawLine(pix []uint32, stride int, r image.Rectangle, n int) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := pix[y*stride+r.Min.X : y*stride+r.Max.X]
		for i := range row {
			row[i] = 0xffffff
		}
	}
	s := strconv.Itoa(n)
	for i := range len(s) {
		g := uint64(s[i]) * 0x9e3779b97f4a7c15
		for gy := 2; gy < 14; gy++ {
			for gx := 1; gx < 7; gx++ {
				if g>>((gy*6+gx)%64)&1 != 0 {
					pix[(r.Min.Y+gy)*stride+r.Min.X+i*8+gx] = 0x202020
				}
			}
		}
	}
}

// BenchmarkSmallUpdates is the other end from BenchmarkFrame: updates of
// a few hundred pixels, as a clock's hands or a line of typing make, one
// at a time on a 1280×1024 screen, each waited for at the viewer. What
// it measures is the fixed cost of an update (capture, block hashes,
// splitting, encoding set-up, the goroutine hand-offs, the client's
// decode), which whole-frame benchmarks do not show.
func BenchmarkSmallUpdates(b *testing.B) {
	for _, e := range []Encoding{ZRLE, Tight, Hextile} {
		b.Run(e.String(), func(b *testing.B) {
			const w, h = 1280, 1024
			src := NewMemSource(w, h, "small")
			src.Fill(image.Rect(0, 0, w, h), 0xf0f0e8)
			_, addr := startServer(b, src, ServerConfig{FrameInterval: -1})
			c := dial(b, addr, ClientConfig{Encodings: []Encoding{e, CopyRect, PseudoLastRect, PseudoContinuousUpdates}})
			waitMatch(b, c, src, FormatRGBA)
			before := c.Stats()
			n := 0
			for b.Loop() {
				n++
				// A 60×12 patch in two colours, somewhere new each time.
				x, y := (n*97)%(w-60), (n*61)%(h-12)
				src.Fill(image.Rect(x, y, x+60, y+12), 0x202020+uint32(n&0xff))
				src.Fill(image.Rect(x+4, y+4, x+40, y+8), 0xc02020)
				want := c.Stats().Updates + 1
				for c.Stats().Updates < want {
					select {
					case <-c.Updated():
					case <-time.After(5 * time.Second):
						b.Fatal("no update")
					}
				}
			}
			after := c.Stats()
			b.ReportMetric(float64(after.BytesIn-before.BytesIn)/float64(n), "wire-B/update")
		})
	}
}
