package pixelproto

import (
	"image"
	"runtime"
	"testing"
)

// Benchmarks on a 1920×1080 frame of desktop-like content. MB/s counts
// the frame's pixels at 4 bytes each.

const benchW, benchH = 1920, 1080

var benchFrame = desktopPixels(benchW, benchH, 7)

func benchEncode(b *testing.B, e Encoding, quality int) {
	pf := FormatRGB888
	p := encParams{pf: pf, compress: 2, quality: quality, gradient: true}
	conv := newConverter(pf)
	var zs [zCount]zstream
	r := image.Rect(0, 0, benchW, benchH)
	b.SetBytes(benchW * benchH * 4)
	b.ReportAllocs()
	var size int
	for b.Loop() {
		var jobs []*rectJob
		for _, s := range split(encoders[e], r, benchFrame, benchW, &p, 64<<10, nil) {
			jobs = append(jobs, &rectJob{r: s, enc: e})
		}
		encodeJobs(jobs, benchFrame, benchW, conv, &p, &zs, runtime.GOMAXPROCS(0))
		size = 0
		for _, j := range jobs {
			size += 12 + j.out.size()
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

// BenchmarkDamage measures damage detection: taking a frame whose every
// rectangle is reported changed from a Source, and comparing it with the
// viewer's copy to find the blocks that really differ (here a tenth).
func BenchmarkDamage(b *testing.B) {
	src := NewMemSource(benchW, benchH, "bench")
	src.Draw(image.Rect(0, 0, benchW, benchH), func(pix []uint32, _ int) { copy(pix, benchFrame) })
	f := src.Subscribe()
	var u Update
	f.Take(&u)
	shadow := append([]uint32(nil), benchFrame...)
	var pend Tracker
	pend.Reset(image.Pt(benchW, benchH))
	b.SetBytes(benchW * benchH * 4)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		src.Draw(image.Rect(0, 0, benchW, benchH), func(pix []uint32, stride int) {
			for y := (i % 10) * 108; y < (i%10+1)*108; y++ {
				pix[y*stride+y] ^= 0xff
			}
		})
		f.Take(&u)
		pend.Take(nil, nil)
		off := 0
		for _, r := range u.Changed {
			n := r.Dx() * r.Dy()
			diffInto(shadow, benchW, r, u.Pixels[off:off+n], &pend)
			off += n
		}
	}
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
