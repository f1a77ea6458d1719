package fb

import (
	"bytes"
	"fmt"
	"image"
	"math/rand"
	"slices"
	"testing"
)

// encode lays out w×h pixels as image data, following the protocol's words
// literally: scanlines of units, pixel k of a unit at bit k or u−1−k of the
// unit's value, units and Z pixels stored in the byte order. junk fills
// left pad, scanline pad and unused high bits of Z pixels (which readers
// must ignore) when non-nil, else they are zero. planes lists the bit
// planes an XY image holds, most significant first.
func encode(img *Image, px []uint32, planes []int, junk *rand.Rand) []byte {
	junkBit := func() uint32 {
		if junk == nil {
			return 0
		}
		return uint32(junk.Intn(2))
	}
	w, h := img.Width, img.Height
	unit := cmpOr(img.ScanlineUnit, 32)
	var data []byte
	// putBits appends one scanline of bits, padded to the stride.
	putBits := func(bits []uint32) {
		for len(bits) < img.Stride*8 {
			bits = append(bits, junkBit())
		}
		for u := 0; u < len(bits)/unit; u++ {
			var v uint64
			for k := 0; k < unit; k++ {
				if bits[u*unit+k] != 0 {
					if img.BitLSBFirst {
						v |= 1 << k
					} else {
						v |= 1 << (unit - 1 - k)
					}
				}
			}
			data = appendValue(data, v, unit/8, img.ByteLSBFirst)
		}
		// A stride that is not a multiple of the unit ends in bytes.
		for k := len(bits) / unit * unit; k < len(bits); k += 8 {
			var b byte
			for j := 0; j < 8; j++ {
				if bits[k+j] != 0 {
					b |= 1 << j
				}
			}
			data = append(data, b)
		}
	}
	switch img.Format {
	case Bitmap, XYPixmap:
		for _, plane := range planes {
			for y := 0; y < h; y++ {
				var bits []uint32
				for k := 0; k < img.LeftPad; k++ {
					bits = append(bits, junkBit())
				}
				for x := 0; x < w; x++ {
					bits = append(bits, px[y*w+x]>>plane&1)
				}
				putBits(bits)
			}
		}
	case ZPixmap:
		bpp := img.BitsPerPixel
		for y := 0; y < h; y++ {
			if bpp == 1 {
				bits := make([]uint32, w)
				for x := range bits {
					bits[x] = px[y*w+x] & 1
				}
				putBits(bits)
				continue
			}
			row := make([]byte, 0, img.Stride)
			high := func() uint64 { // junk above the depth
				if junk == nil || img.Depth >= bpp {
					return 0
				}
				return uint64(junk.Uint32()) << img.Depth & (1<<bpp - 1)
			}
			for x := 0; x < w; x++ {
				v := uint64(px[y*w+x]) | high()
				switch bpp {
				case 4:
					hiNib := img.ByteLSBFirst == (x%2 == 1)
					if x%2 == 0 {
						row = append(row, 0)
					}
					if hiNib {
						row[len(row)-1] |= byte(v&15) << 4
					} else {
						row[len(row)-1] |= byte(v & 15)
					}
				default:
					row = appendValue(row, v, bpp/8, img.ByteLSBFirst)
				}
			}
			for len(row) < img.Stride {
				if junk != nil {
					row = append(row, byte(junk.Intn(256)))
				} else {
					row = append(row, 0)
				}
			}
			data = append(data, row...)
		}
	}
	return data
}

func appendValue(b []byte, v uint64, n int, lsb bool) []byte {
	for i := 0; i < n; i++ {
		if lsb {
			b = append(b, byte(v>>(8*i)))
		} else {
			b = append(b, byte(v>>(8*(n-1-i))))
		}
	}
	return b
}

func cmpOr(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// randLayout returns an image description with random but valid layout
// parameters and a stride of at least the padded scanline.
func randLayout(rng *rand.Rand, format ImageFormat, w, h, depth int) *Image {
	img := &Image{
		Format:       format,
		Width:        w,
		Height:       h,
		Depth:        depth,
		ScanlineUnit: []int{8, 16, 32}[rng.Intn(3)],
		BitLSBFirst:  rng.Intn(2) == 0,
		ByteLSBFirst: rng.Intn(2) == 0,
	}
	pad := []int{8, 16, 32}[rng.Intn(3)]
	img.ScanlinePad = max(pad, img.ScanlineUnit)
	var bits int
	switch format {
	case Bitmap, XYPixmap:
		img.LeftPad = rng.Intn(img.ScanlinePad)
		bits = img.LeftPad + w
	case ZPixmap:
		img.BitsPerPixel = bitsPerPixel(depth)
		if depth > 16 && depth <= 24 && rng.Intn(2) == 0 {
			img.BitsPerPixel = 24
		}
		if rng.Intn(4) == 0 { // wider than needed
			for _, b := range []int{4, 8, 16, 24, 32} {
				if b > img.BitsPerPixel {
					img.BitsPerPixel = b
					break
				}
			}
		}
		bits = w * img.BitsPerPixel
	}
	img.Stride = (bits + img.ScanlinePad - 1) / img.ScanlinePad * img.ScanlinePad / 8
	if rng.Intn(4) == 0 {
		img.Stride += img.ScanlinePad / 8 * (1 + rng.Intn(2))
	}
	return img
}

func planesOf(depth int, mask uint32) []int {
	var ps []int
	for p := depth - 1; p >= 0; p-- {
		if mask>>p&1 != 0 {
			ps = append(ps, p)
		}
	}
	return ps
}

func TestPutImageModel(t *testing.T) {
	rng := rand.New(rand.NewSource(10))
	for i := 0; i < 3000; i++ {
		depth := depths[rng.Intn(len(depths))]
		format := ImageFormat(rng.Intn(3))
		iw, ih := rng.Intn(40), rng.Intn(12)
		imgDepth := depth
		if format == Bitmap {
			imgDepth = 1
		}
		img := randLayout(rng, format, iw, ih, imgDepth)
		px := make([]uint32, iw*ih)
		for k := range px {
			px[k] = rng.Uint32() & refMask(imgDepth)
		}
		img.Data = encode(img, px, planesOf(imgDepth, ^uint32(0)), rng)

		w, h := 1+rng.Intn(40), 1+rng.Intn(20)
		p := randPixmap(rng, w, h, depth)
		gc := randGC(rng, depth)
		c := Canvas{Pixmap: p, Origin: image.Pt(rng.Intn(7)-3, rng.Intn(7)-3), Clip: randClip(rng, w, h)}
		dst := image.Pt(rng.Intn(w+10)-10, rng.Intn(h+6)-6)

		want := clonePixmap(p)
		wc := Canvas{Pixmap: want, Origin: c.Origin, Clip: c.Clip}
		for y := 0; y < ih; y++ {
			for x := 0; x < iw; x++ {
				dx, dy := dst.X+x+c.Origin.X, dst.Y+y+c.Origin.Y
				if !refDrawable(wc, dx, dy) {
					continue
				}
				s := px[y*iw+x]
				if format == Bitmap {
					s = gc.Background
					if px[y*iw+x] != 0 {
						s = gc.Foreground
					}
				}
				k := dy*want.Stride + dx
				want.Pix[k] = refRop(gc.Func, gc.PlaneMask, depth, s, want.Pix[k])
			}
		}
		before := clonePixmap(p)
		rec := new(recorder)
		p.Observer = rec
		what := fmt.Sprintf("PutImage %v depth %d bpp %d unit %d bitLSB %v byteLSB %v leftpad %d stride %d",
			format, imgDepth, img.BitsPerPixel, img.ScanlineUnit, img.BitLSBFirst, img.ByteLSBFirst, img.LeftPad, img.Stride)
		if err := PutImage(c, gc, img, dst); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		samePixels(t, what, p, want)
		checkReports(t, what, rec, before, p, c.Clip)
	}
}

func TestGetImageModel(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	var out Image // reused, as a server would
	for i := 0; i < 3000; i++ {
		depth := depths[rng.Intn(len(depths))]
		w, h := 1+rng.Intn(40), 1+rng.Intn(20)
		p := randPixmap(rng, w, h, depth)
		x0, y0 := rng.Intn(w), rng.Intn(h)
		r := image.Rect(x0, y0, x0+rng.Intn(w-x0+1), y0+rng.Intn(h-y0+1))
		format := XYPixmap + ImageFormat(rng.Intn(2))
		pm := randPixel(rng)
		want := randLayout(rng, format, r.Dx(), r.Dy(), depth)
		want.LeftPad = 0
		want.Stride = 0
		if _, err := want.Layout(); err != nil {
			t.Fatal(err)
		}
		out.ScanlineUnit, out.ScanlinePad = want.ScanlineUnit, want.ScanlinePad
		out.BitLSBFirst, out.ByteLSBFirst = want.BitLSBFirst, want.ByteLSBFirst
		out.BitsPerPixel = want.BitsPerPixel
		if rng.Intn(4) == 0 && format == ZPixmap && want.BitsPerPixel == bitsPerPixel(depth) {
			out.BitsPerPixel = 0 // the default
		}
		px := make([]uint32, 0, r.Dx()*r.Dy())
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				px = append(px, p.At(x, y)&pm)
			}
		}
		wantData := encode(want, px, planesOf(depth, pm), nil)
		what := fmt.Sprintf("GetImage %v of %v depth %d pm %#x bpp %d unit %d pad %d bitLSB %v byteLSB %v",
			format, r, depth, pm, want.BitsPerPixel, want.ScanlineUnit, want.ScanlinePad, want.BitLSBFirst, want.ByteLSBFirst)
		if err := GetImage(p, r, format, pm, &out); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if out.Width != r.Dx() || out.Height != r.Dy() || out.Depth != depth || out.Stride != want.Stride || out.Format != format {
			t.Fatalf("%s: got %dx%d depth %d stride %d, want stride %d", what, out.Width, out.Height, out.Depth, out.Stride, want.Stride)
		}
		if !bytes.Equal(out.Data, wantData) {
			t.Fatalf("%s:\ngot  % x\nwant % x", what, out.Data, wantData)
		}

		// What GetImage returns, PutImage puts back (all planes).
		if pm == ^uint32(0) {
			q := NewPixmap(r.Dx(), r.Dy(), depth)
			if err := PutImage(Canvas{Pixmap: q}, &GC{Func: FuncCopy, PlaneMask: ^uint32(0)}, &out, image.Point{}); err != nil {
				t.Fatalf("%s: put back: %v", what, err)
			}
			if !slices.Equal(q.Pix, px) {
				t.Fatalf("%s: round trip differs", what)
			}
		}
	}
}

// Byte and bit orders worked out by hand from the protocol's description.
func TestImageOrdersByHand(t *testing.T) {
	bitmap := func(unit int, bitLSB, byteLSB bool, data []byte) []int {
		p := NewPixmap(len(data)*8, 1, 1)
		img := &Image{Format: Bitmap, Width: len(data) * 8, Height: 1, Depth: 1, Stride: len(data),
			ScanlineUnit: unit, BitLSBFirst: bitLSB, ByteLSBFirst: byteLSB, Data: data}
		if err := PutImage(Canvas{Pixmap: p}, &GC{Func: FuncCopy, PlaneMask: ^uint32(0), Foreground: 1}, img, image.Point{}); err != nil {
			t.Fatal(err)
		}
		var set []int
		for x, v := range p.Pix {
			if v != 0 {
				set = append(set, x)
			}
		}
		return set
	}
	for _, c := range []struct {
		unit            int
		bitLSB, byteLSB bool
		data            []byte
		want            []int
	}{
		{8, true, true, []byte{0x01, 0x80}, []int{0, 15}},
		{8, false, true, []byte{0x01, 0x80}, []int{7, 8}},
		// Unit 0x0180 (bytes MSB first), LSB bit first: bits 7 and 8.
		{16, true, false, []byte{0x01, 0x80}, []int{7, 8}},
		// Unit 0x8001, LSB bit first: bits 0 and 15.
		{16, true, true, []byte{0x01, 0x80}, []int{0, 15}},
		// Unit 0x80000001 (LSB bytes), MSB bit first: bit 31 is pixel 0.
		{32, false, true, []byte{0x01, 0, 0, 0x80}, []int{0, 31}},
		// Unit 0x01000080 (MSB bytes), LSB bit first: bits 7 and 24.
		{32, true, false, []byte{0x01, 0, 0, 0x80}, []int{7, 24}},
		{32, false, false, []byte{0x80, 0x40, 0, 0x01}, []int{0, 9, 31}},
		// Two 16-bit units, MSB bytes, MSB bits: a plain bit stream.
		{16, false, false, []byte{0x80, 0, 0, 0x01}, []int{0, 31}},
	} {
		if got := bitmap(c.unit, c.bitLSB, c.byteLSB, c.data); !slices.Equal(got, c.want) {
			t.Errorf("unit %d bitLSB %v byteLSB %v % x: pixels %v, want %v", c.unit, c.bitLSB, c.byteLSB, c.data, got, c.want)
		}
	}

	zpix := func(bpp, depth int, lsb bool, data []byte, n int) []uint32 {
		p := NewPixmap(n, 1, depth)
		img := &Image{Format: ZPixmap, Width: n, Height: 1, Depth: depth, BitsPerPixel: bpp, Stride: len(data), ByteLSBFirst: lsb, Data: data}
		if err := PutImage(Canvas{Pixmap: p}, &GC{Func: FuncCopy, PlaneMask: ^uint32(0)}, img, image.Point{}); err != nil {
			t.Fatal(err)
		}
		return p.Pix
	}
	for _, c := range []struct {
		bpp, depth int
		lsb        bool
		data       []byte
		want       []uint32
	}{
		{4, 4, false, []byte{0x12}, []uint32{1, 2}},
		{4, 4, true, []byte{0x12}, []uint32{2, 1}},
		{8, 8, true, []byte{0x12, 0xff}, []uint32{0x12, 0xff}},
		{16, 16, false, []byte{0x12, 0x34}, []uint32{0x1234}},
		{16, 15, true, []byte{0x12, 0xb4}, []uint32{0x3412}},
		{24, 24, true, []byte{1, 2, 3}, []uint32{0x030201}},
		{24, 24, false, []byte{1, 2, 3}, []uint32{0x010203}},
		{32, 24, true, []byte{1, 2, 3, 4}, []uint32{0x030201}},
		{32, 32, false, []byte{1, 2, 3, 4}, []uint32{0x01020304}},
	} {
		if got := zpix(c.bpp, c.depth, c.lsb, c.data, len(c.want)); !slices.Equal(got, c.want) {
			t.Errorf("Z %d bpp depth %d lsb %v % x: %#x, want %#x", c.bpp, c.depth, c.lsb, c.data, got, c.want)
		}
	}

	// XYPixmap of depth 2: plane 1 first. Pixels 0..3 = 0, 1, 2, 3.
	p := NewPixmap(4, 1, 2)
	img := &Image{Format: XYPixmap, Width: 4, Height: 1, Depth: 2, ScanlineUnit: 8, ScanlinePad: 8, BitLSBFirst: true,
		Data: []byte{0b1100, 0b1010}}
	if err := PutImage(Canvas{Pixmap: p}, &GC{Func: FuncCopy, PlaneMask: ^uint32(0)}, img, image.Point{}); err != nil {
		t.Fatal(err)
	}
	if want := []uint32{0, 1, 2, 3}; !slices.Equal(p.Pix, want) {
		t.Errorf("XYPixmap depth 2: %v, want %v", p.Pix, want)
	}
}

func TestImageErrors(t *testing.T) {
	p := NewPixmap(8, 8, 24)
	gc := &GC{Func: FuncCopy, PlaneMask: ^uint32(0)}
	for _, img := range []*Image{
		{Format: ZPixmap, Width: 2, Height: 2, Depth: 24, BitsPerPixel: 32, Data: make([]byte, 15)}, // short
		{Format: ZPixmap, Width: 2, Height: 2, Depth: 24, BitsPerPixel: 12, Data: make([]byte, 64)}, // bpp
		{Format: ZPixmap, Width: 2, Height: 2, Depth: 24, BitsPerPixel: 16, Data: make([]byte, 64)}, // bpp < depth
		{Format: ZPixmap, Width: 2, Height: 2, Depth: 8, BitsPerPixel: 8, Data: make([]byte, 64)},   // depth mismatch
		{Format: ZPixmap, Width: 2, Height: 2, Depth: 24, BitsPerPixel: 32, LeftPad: 1, Data: make([]byte, 64)},
		{Format: Bitmap, Width: 2, Height: 2, Depth: 24, Data: make([]byte, 64)},                       // bitmap depth
		{Format: XYPixmap, Width: 8, Height: 2, Depth: 24, Data: make([]byte, 4*2*23)},                 // one plane short
		{Format: XYPixmap, Width: 2, Height: 2, Depth: 24, ScanlineUnit: 12, Data: make([]byte, 1000)}, // unit
		{Format: XYPixmap, Width: 2, Height: 2, Depth: 24, LeftPad: -1, Data: make([]byte, 1000)},
		{Format: Bitmap, Width: 40, Height: 1, Depth: 1, Stride: 4, Data: make([]byte, 100)}, // stride too small
		{Format: Bitmap, Width: -1, Height: 1, Depth: 1, Data: make([]byte, 100)},
		{Format: 7, Width: 1, Height: 1, Depth: 24, Data: make([]byte, 100)},
		{Format: ZPixmap, Width: 2, Height: 2, Depth: 24, BitsPerPixel: 32, Stride: 1 << 50, Data: make([]byte, 64)},
	} {
		before := clonePixmap(p)
		if err := PutImage(Canvas{Pixmap: p}, gc, img, image.Point{}); err == nil {
			t.Errorf("PutImage accepted %+v", *img)
		}
		samePixels(t, "failed PutImage", p, before)
	}
	if err := PutImage(Canvas{}, gc, &Image{}, image.Point{}); err == nil {
		t.Error("PutImage without a pixmap")
	}
	var out Image
	for _, r := range []image.Rectangle{image.Rect(0, 0, 9, 1), image.Rect(-1, 0, 1, 1), {Min: image.Pt(2, 2), Max: image.Pt(1, 1)}} {
		if err := GetImage(p, r, ZPixmap, ^uint32(0), &out); err == nil {
			t.Errorf("GetImage of %v accepted", r)
		}
	}
	if err := GetImage(p, image.Rect(0, 0, 1, 1), Bitmap, ^uint32(0), &out); err == nil {
		t.Error("GetImage in Bitmap format accepted")
	}
	out.ScanlineUnit = 7
	if err := GetImage(p, image.Rect(0, 0, 1, 1), XYPixmap, ^uint32(0), &out); err == nil {
		t.Error("GetImage with unit 7 accepted")
	}
	// Layout reports the size.
	img := &Image{Format: XYPixmap, Width: 33, Height: 3, Depth: 2}
	if n, err := img.Layout(); err != nil || n != 8*3*2 || img.Stride != 8 {
		t.Errorf("Layout: %d %v stride %d", n, err, img.Stride)
	}
}

// No input makes PutImage panic.
func FuzzPutImage(f *testing.F) {
	f.Add(uint8(2), uint8(24), uint8(32), uint8(0), uint8(32), uint8(32), uint16(3), uint16(2), int16(1), int16(-1), uint16(0), true, true, []byte("0123456789abcdef0123456789"))
	f.Add(uint8(0), uint8(1), uint8(0), uint8(5), uint8(16), uint8(8), uint16(9), uint16(3), int16(-4), int16(2), uint16(0), false, true, []byte{0xff, 0, 0xaa, 0x55, 1, 2, 3, 4, 5, 6, 7, 8})
	f.Add(uint8(1), uint8(8), uint8(0), uint8(31), uint8(8), uint8(32), uint16(1), uint16(1), int16(0), int16(0), uint16(4), false, false, make([]byte, 64))
	f.Fuzz(func(t *testing.T, format, depth, bpp, leftPad, unit, pad uint8, w, h uint16, x, y int16, stride uint16, bitLSB, byteLSB bool, data []byte) {
		p := NewPixmap(16, 16, 24)
		if depth == 1 || format == 0 {
			p = NewPixmap(16, 16, 1)
		}
		img := &Image{Format: ImageFormat(format % 4), Width: int(w % 64), Height: int(h % 64), Depth: int(depth % 34),
			BitsPerPixel: int(bpp % 40), LeftPad: int(leftPad), Stride: int(stride % 300), ScanlineUnit: int(unit % 40),
			ScanlinePad: int(pad % 40), BitLSBFirst: bitLSB, ByteLSBFirst: byteLSB, Data: data}
		gc := &GC{Func: FuncXor, PlaneMask: ^uint32(0), Foreground: 1}
		PutImage(Canvas{Pixmap: p}, gc, img, image.Pt(int(x%20), int(y%20)))
		var out Image
		out.ScanlineUnit, out.ScanlinePad, out.BitsPerPixel = img.ScanlineUnit, img.ScanlinePad, img.BitsPerPixel
		GetImage(p, image.Rect(0, 0, int(w%17), int(h%17)), ImageFormat(format%4), ^uint32(0), &out)
	})
}

// The server's own format has a short cut through layout; it must agree
// with the general case.
func TestOwnLayout(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for range 10000 {
		img := &Image{Format: ZPixmap, BitsPerPixel: 32, Depth: []int{24, 32, 1, 0, 33}[rng.Intn(5)],
			Width: rng.Intn(70) - 3, Height: rng.Intn(70) - 3, ScanlinePad: []int{0, 32, 8}[rng.Intn(3)],
			ScanlineUnit: []int{0, 32, 16}[rng.Intn(3)], BitLSBFirst: rng.Intn(2) == 0, ByteLSBFirst: rng.Intn(2) == 0}
		if rng.Intn(2) == 0 {
			img.Stride = rng.Intn(300)
		}
		if rng.Intn(50) == 0 {
			img.Width, img.Height = 1<<20, 1<<20
		}
		got, ok := img.ownLayout()
		want, err := img.anyLayout()
		if ok && (err != nil || got != want) {
			t.Fatalf("%+v: ownLayout %+v, anyLayout %+v %v", img, got, want, err)
		}
		if !ok && err == nil && img.ScanlinePad != 8 && img.ScanlineUnit != 16 && img.Depth >= 1 && img.Depth <= 32 {
			t.Fatalf("%+v: ownLayout refused what anyLayout takes: %+v", img, want)
		}
	}
}
