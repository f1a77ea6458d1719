package pixelproto

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"testing"
)

// An encoding session: what a viewer keeps for encoding, and a client's
// decoding state, joined by a byte stream.
type codecPair struct {
	pf     PixelFormat
	params encParams
	conv   *converter
	zs     [zCount]zstream
	wire   bytes.Buffer
	ds     decodeState
	work   int
}

func newCodecPair(pf PixelFormat, w, h int) *codecPair {
	p := &codecPair{pf: pf, conv: newConverter(pf), work: 1}
	p.params = encParams{pf: pf, compress: defaultCompress, gradient: true}
	p.ds = decodeState{r: bufio.NewReader(&p.wire), pf: pf, fb: newFramebuffer(w, h, pf)}
	return p
}

// send encodes the rectangles of fb (stride w) in e and decodes them.
func (p *codecPair) send(t testing.TB, e Encoding, fb []uint32, w int, rects ...image.Rectangle) int {
	t.Helper()
	var jobs []*rectJob
	for _, r := range rects {
		v := frameView(fb, w, len(fb)/w)
		for _, s := range split(encoders[e], r, v, &p.params, 64<<10, nil) {
			jobs = append(jobs, &rectJob{r: s, src: v, enc: e})
		}
	}
	encodeJobs(jobs, p.conv, &p.params, &p.zs, p.work)
	var b []byte
	for _, j := range jobs {
		b = appendRectHeader(b, j.r, j.used)
		b = j.out.appendTo(b)
	}
	p.wire.Write(b)
	for range jobs {
		h, err := p.ds.read(12)
		if err != nil {
			t.Fatal(err)
		}
		r := readRect(h)
		enc := Encoding(binary.BigEndian.Uint32(h[8:]))
		if err := decoders[enc].decode(&p.ds, r); err != nil {
			t.Fatalf("decode %v %v: %v", enc, r, err)
		}
	}
	if p.wire.Len() != 0 || p.ds.r.Buffered() != 0 {
		t.Fatalf("%d bytes left over", p.wire.Len()+p.ds.r.Buffered())
	}
	return len(b)
}

// want is what a client should see of source pixels in format pf.
func want(pf PixelFormat, px []uint32, w, h int) *image.RGBA {
	conv := newConverter(pf)
	fb := newFramebuffer(w, h, pf)
	v := make([]uint32, len(px))
	conv.convert(v, px)
	fb.put(fb.img.Rect, v)
	return fb.img
}

// diff compares two images: the number of differing pixels and the
// largest difference of a colour component.
func diff(a, b *image.RGBA, r image.Rectangle) (n, maxd int) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			i, j := a.PixOffset(x, y), b.PixOffset(x, y)
			bad := false
			for c := range 3 {
				d := int(a.Pix[i+c]) - int(b.Pix[j+c])
				if d < 0 {
					d = -d
				}
				maxd = max(maxd, d)
				if d != 0 {
					bad = true
				}
			}
			if bad {
				n++
			}
		}
	}
	return n, maxd
}

var testFormats = map[string]PixelFormat{
	"rgb888":   FormatRGB888,
	"rgba":     FormatRGBA,
	"bgr888be": {32, 24, true, true, 255, 255, 255, 0, 8, 16},
	"msb888":   {32, 24, false, true, 255, 255, 255, 24, 16, 8},
	"msb888be": {32, 24, true, true, 255, 255, 255, 24, 16, 8},
	"rgb565":   FormatRGB565,
	"rgb565be": {16, 16, true, true, 31, 63, 31, 11, 5, 0},
	"bgr555":   {16, 15, false, true, 31, 31, 31, 0, 5, 10},
	"bgr233":   FormatBGR233,
	"odd":      {32, 30, false, true, 1000, 600, 200, 20, 10, 0},
}

var lossless = []Encoding{Raw, RRE, Hextile, TRLE, ZRLE, Tight}

func TestCodecsRoundTrip(t *testing.T) {
	const w, h = 301, 203
	contents := map[string][]uint32{
		"text":     textPixels(w, h, 1),
		"photo":    photoPixels(w, h, 2),
		"gradient": gradientPixels(w, h),
		"solid":    solidPixels(w, h, 0x123456),
		"desktop":  desktopPixels(w, h, 3),
	}
	for _, e := range lossless {
		for fname, pf := range testFormats {
			for cname, px := range contents {
				t.Run(fmt.Sprintf("%v/%s/%s", e, fname, cname), func(t *testing.T) {
					p := newCodecPair(pf, w, h)
					n := p.send(t, e, px, w, image.Rect(0, 0, w, h))
					// A second, partial update exercises the zlib streams'
					// continuity and odd rectangle sizes.
					px2 := append([]uint32(nil), px...)
					for y := 50; y < 90; y++ {
						for x := 17; x < 140; x++ {
							px2[y*w+x] ^= 0x5a5a5a
						}
					}
					p.send(t, e, px2, w, image.Rect(17, 50, 140, 90), image.Rect(0, 0, 1, 1), image.Rect(w-3, h-2, w, h))
					if bad, maxd := diff(p.ds.fb.img, want(pf, px2, w, h), image.Rect(0, 0, w, h)); bad > 0 {
						t.Fatalf("%d pixels differ, by up to %d", bad, maxd)
					}
					if cname == "solid" && e != Raw && n > w*h*pf.bytesPerPixel()/50 {
						t.Errorf("solid area took %d bytes", n)
					}
				})
			}
		}
	}
}

// TestTightJPEG checks JPEG at each quality level: lossy, so compared
// with a tolerance, and smaller as quality drops.
func TestTightJPEG(t *testing.T) {
	const w, h = 256, 192
	px := photoPixels(w, h, 5)
	prev := 0
	for level := 9; level >= 0; level -= 3 {
		p := newCodecPair(FormatRGB888, w, h)
		p.params.quality = jpegQuality[level]
		n := p.send(t, Tight, px, w, image.Rect(0, 0, w, h))
		var sum int64
		img := want(FormatRGB888, px, w, h)
		for i := range img.Pix {
			if i%4 != 3 {
				d := int64(img.Pix[i]) - int64(p.ds.fb.img.Pix[i])
				sum += d * d
			}
		}
		rms := sum / int64(w*h*3)
		t.Logf("quality level %d: %d bytes, mean squared error %d", level, n, rms)
		if rms > 400 {
			t.Errorf("level %d: mean squared error %d", level, rms)
		}
		if prev > 0 && n >= prev {
			t.Errorf("level %d: %d bytes, not fewer than %d", level, n, prev)
		}
		prev = n
	}
}

// TestTightFilters checks that each Tight form is chosen for the content
// it suits.
func TestTightFilters(t *testing.T) {
	const w, h = 64, 64
	for _, c := range []struct {
		name   string
		px     []uint32
		ctl    byte
		filter byte
	}{
		{"fill", solidPixels(w, h, 0xabcdef), tightFill << 4, 0},
		{"mono", textPixels(w, h, 1), (tightStreamMono | tightFilterID) << 4, tightPalette},
		{"gradient", gradientPixels(w, h), (tightStreamGradient | tightFilterID) << 4, tightGradient},
	} {
		var out encOut
		p := encParams{pf: FormatRGB888, compress: 6, gradient: true}
		tightEncoder{}.encode(&out, &p, c.px, w, h)
		out.endLit()
		lit := out.parts[0].lit
		if lit[0] != c.ctl || c.filter != 0 && lit[1] != c.filter {
			t.Errorf("%s: control %#x filter %d", c.name, lit[0], lit[1])
		}
	}
}

// TestZlibParallel checks that compressing on several cores gives a
// stream a single inflater decodes, across several updates.
func TestZlibParallel(t *testing.T) {
	const w, h = 1024, 768
	px := desktopPixels(w, h, 9)
	for _, e := range []Encoding{ZRLE, Tight} {
		p := newCodecPair(FormatRGB888, w, h)
		p.work = 4
		p.params.compress = 1 + len(e.String())%2*5
		for i := range 3 {
			px[i*w*100+i] ^= 0xffffff
			p.send(t, e, px, w, image.Rect(0, 0, w, h))
			if bad, _ := diff(p.ds.fb.img, want(FormatRGB888, px, w, h), image.Rect(0, 0, w, h)); bad > 0 {
				t.Fatalf("%v update %d: %d pixels differ", e, i, bad)
			}
		}
	}
}

func TestCursorRoundTrip(t *testing.T) {
	c := &Cursor{Width: 11, Height: 7, Hot: image.Pt(3, 4), Pixels: make([]uint32, 77), Mask: make([]bool, 77)}
	for i := range c.Pixels {
		c.Pixels[i] = uint32(i * 0x030507)
		c.Mask[i] = i%3 != 0
	}
	for name, pf := range testFormats {
		b := appendCursor(nil, c, pf, newConverter(pf))
		ds := decodeState{r: bufio.NewReader(bytes.NewReader(b[12:])), pf: pf, fb: newFramebuffer(1, 1, pf)}
		got, err := decodeCursor(&ds, readRect(b))
		if err != nil {
			t.Fatal(name, err)
		}
		if got.Hot != c.Hot || got.Width != 11 || got.Height != 7 {
			t.Fatalf("%s: cursor %v %dx%d", name, got.Hot, got.Width, got.Height)
		}
		for i := range c.Mask {
			if got.Mask[i] != c.Mask[i] {
				t.Fatalf("%s: mask differs at %d", name, i)
			}
		}
		if name == "rgb888" {
			for i := range c.Pixels {
				if got.Pixels[i] != c.Pixels[i]&0xffffff {
					t.Fatalf("pixel %d: %#x, want %#x", i, got.Pixels[i], c.Pixels[i])
				}
			}
		}
	}
}

// TestZstreamGroups compresses pieces on several compressors at once and
// decodes them as one stream, piece by piece.
func TestZstreamGroups(t *testing.T) {
	var z zstream
	var f inflater
	text := textPixels(512, 512, 4)
	for round := range 3 {
		var ps []*zpiece
		for i := range 12 {
			data := make([]byte, 0, 64<<10)
			for _, p := range text[(round*12+i)*1000%200000:][:16<<10] {
				data = append(data, byte(p), byte(p>>8))
			}
			ps = append(ps, &zpiece{data: data})
		}
		z.compress(ps, 6, 4)
		for i, p := range ps {
			if err := f.feed(p.out); err != nil {
				t.Fatal(err)
			}
			got := make([]byte, len(p.data))
			if err := f.readFull(got); err != nil {
				t.Fatalf("round %d piece %d: %v", round, i, err)
			}
			if !bytes.Equal(got, p.data) {
				t.Fatalf("round %d piece %d differs", round, i)
			}
		}
	}
}
