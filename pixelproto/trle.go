package pixelproto

import (
	"fmt"
	"image"
	"sync"
)

// TRLE: 16×16 tiles, each raw, solid, palettised (packed or run-length)
// or run-length encoded, with CPIXELs. ZRLE is the same tile coding with
// 64×64 tiles inside one zlib stream, without TRLE's palette reuse.

type trleEncoder struct{}

func (trleEncoder) limits() (maxW, maxPixels, tile int) { return 0, 0, 16 }

func (trleEncoder) encode(out *encOut, p *encParams, px []uint32, w, h int) Encoding {
	tc := getTileCoder(p.pf, true)
	defer tileCoders.Put(tc)
	if len(out.lit) == 0 {
		out.lit = out.buf(tilesMax(p.pf, w, h, 16))
	}
	out.lit = tc.encodeTiles(out.lit, px, w, h, 16)
	return TRLE
}

// A tileCoder encodes TRLE and ZRLE tiles.
type tileCoder struct {
	pf      PixelFormat
	cn, off int // CPIXEL size and offset
	reuse   bool
	prev    []uint32 // the palette the decoder holds, for reuse
	cc      colourCounter
	tile    []uint32
}

// tileCoders keep their scratch space from rectangle to rectangle.
var tileCoders = sync.Pool{New: func() any { return new(tileCoder) }}

// getTileCoder returns a tileCoder for a rectangle; put it back after.
func getTileCoder(pf PixelFormat, reuse bool) *tileCoder {
	tc := tileCoders.Get().(*tileCoder)
	tc.init(pf, reuse)
	return tc
}

func (tc *tileCoder) init(pf PixelFormat, reuse bool) {
	tc.pf, tc.reuse = pf, reuse
	tc.cn, tc.off = pf.cpixel()
	tc.prev = tc.prev[:0]
}

func (tc *tileCoder) encodeTiles(b []byte, px []uint32, w, h, size int) []byte {
	if cap(tc.tile) < size*size {
		tc.tile = make([]uint32, size*size)
	}
	for ty := 0; ty < h; ty += size {
		th := min(size, h-ty)
		for tx := 0; tx < w; tx += size {
			tw := min(size, w-tx)
			t := tc.tile[:tw*th]
			for y := range th {
				copy(t[y*tw:(y+1)*tw], px[(ty+y)*w+tx:])
			}
			b = tc.encodeTile(b, t, tw, th)
		}
	}
	return b
}

// tilesMax bounds the size of w×h pixels in size×size tiles: each raw,
// with its subencoding byte.
func tilesMax(pf PixelFormat, w, h, size int) int {
	cn, _ := pf.cpixel()
	return w*h*cn + (w+size-1)/size*((h+size-1)/size)
}

// lenBytes is the size of a run length in the RLE forms.
func lenBytes(n int) int { return (n-1)/255 + 1 }

func appendRunLength(b []byte, n int) []byte {
	for n--; n >= 255; n -= 255 {
		b = append(b, 255)
	}
	return append(b, byte(n))
}

func packedBits(n int) int {
	switch {
	case n <= 2:
		return 1
	case n <= 4:
		return 2
	}
	return 4
}

func (tc *tileCoder) encodeTile(b []byte, t []uint32, tw, th int) []byte {
	cn := tc.cn
	list, ok := tc.cc.colours(t, 127)
	if ok && len(list) == 1 {
		return tc.putC(append(b, 1), list[0])
	}
	// Costs of each form, without the subencoding byte.
	plain, pal := 0, 0
	for i := 0; i < len(t); {
		j := i + 1
		for j < len(t) && t[j] == t[i] {
			j++
		}
		n := j - i
		plain += cn + lenBytes(n)
		if n == 1 {
			pal++
		} else {
			pal += 1 + lenBytes(n)
		}
		i = j
	}
	best, form := tw*th*cn, 0 // raw
	if plain < best {
		best, form = plain, 128
	}
	reused := false
	if ok {
		n := len(list)
		palSize := n * cn
		if tc.reuse && equalPalette(tc.prev, list) {
			palSize, reused = 0, true
		}
		if c := palSize + pal; c < best {
			best, form = c, 128+n
		}
		if n <= 16 {
			bits := packedBits(n)
			if c := palSize + (tw*bits+7)/8*th; c < best {
				best, form = c, n
			}
		}
	}
	switch {
	case form == 0:
		b = append(b, 0)
		for _, p := range t {
			b = tc.putC(b, p)
		}
		tc.prev = tc.prev[:0]
	case form == 128:
		b = append(b, 128)
		for i := 0; i < len(t); {
			j := i + 1
			for j < len(t) && t[j] == t[i] {
				j++
			}
			b = appendRunLength(tc.putC(b, t[i]), j-i)
			i = j
		}
		tc.prev = tc.prev[:0]
	default:
		n := len(list)
		sub := byte(form)
		if reused {
			sub = 127
			if form > 128 {
				sub = 129
			}
		}
		b = append(b, sub)
		if !reused {
			for _, p := range list {
				b = tc.putC(b, p)
			}
			tc.prev = append(tc.prev[:0], list...)
		}
		if form > 128 {
			for i := 0; i < len(t); {
				j := i + 1
				for j < len(t) && t[j] == t[i] {
					j++
				}
				idx := byte(tc.cc.index(t[i]))
				if j-i == 1 {
					b = append(b, idx)
				} else {
					b = appendRunLength(append(b, idx|128), j-i)
				}
				i = j
			}
			break
		}
		bits := packedBits(n)
		last, lastIdx := t[0], tc.cc.index(t[0])
		for y := range th {
			var acc byte
			nb := 0
			for _, p := range t[y*tw : (y+1)*tw] {
				if p != last {
					last, lastIdx = p, tc.cc.index(p)
				}
				acc = acc<<bits | byte(lastIdx)
				nb += bits
				if nb == 8 {
					b = append(b, acc)
					acc, nb = 0, 0
				}
			}
			if nb > 0 {
				b = append(b, acc<<(8-nb))
			}
		}
	}
	return b
}

func equalPalette(a, b []uint32) bool {
	if len(a) != len(b) || len(a) == 0 {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func (tc *tileCoder) putC(b []byte, p uint32) []byte {
	return tc.pf.putCPixel(b, p, tc.cn, tc.off)
}

type trleDecoder struct{}

func (trleDecoder) decode(d *decodeState, r image.Rectangle) error {
	var td tileDecoder
	td.init(d.pf, true)
	return td.decodeTiles(d, streamSource{d}, r, 16)
}

// A tileSource is where tile data comes from: the connection for TRLE,
// a zlib stream for ZRLE.
type tileSource interface {
	read(n int) ([]byte, error)
	readByte() (byte, error)
}

type streamSource struct{ d *decodeState }

func (s streamSource) read(n int) ([]byte, error) { return s.d.read(n) }
func (s streamSource) readByte() (byte, error)    { return s.d.readByte() }

// A tileDecoder decodes TRLE and ZRLE tiles.
type tileDecoder struct {
	pf      PixelFormat
	cn, off int
	reuse   bool
	palette []uint32
}

func (td *tileDecoder) init(pf PixelFormat, reuse bool) {
	td.pf, td.reuse = pf, reuse
	td.cn, td.off = pf.cpixel()
}

func (td *tileDecoder) decodeTiles(d *decodeState, src tileSource, r image.Rectangle, size int) error {
	px := d.pixels(size * size)
	for ty := r.Min.Y; ty < r.Max.Y; ty += size {
		for tx := r.Min.X; tx < r.Max.X; tx += size {
			t := image.Rect(tx, ty, min(tx+size, r.Max.X), min(ty+size, r.Max.Y))
			if err := td.decodeTile(d, src, t, px[:t.Dx()*t.Dy()]); err != nil {
				return err
			}
		}
	}
	return nil
}

func (td *tileDecoder) decodeTile(d *decodeState, src tileSource, t image.Rectangle, px []uint32) error {
	sub, err := src.readByte()
	if err != nil {
		return err
	}
	cn := td.cn
	readPalette := func(n int) error {
		b, err := src.read(n * cn)
		if err != nil {
			return err
		}
		td.palette = td.palette[:0]
		for i := range n {
			td.palette = append(td.palette, td.pf.cPixel(b[i*cn:], cn, td.off))
		}
		return nil
	}
	switch {
	case sub == 0:
		b, err := src.read(len(px) * cn)
		if err != nil {
			return err
		}
		for i := range px {
			px[i] = td.pf.cPixel(b[i*cn:], cn, td.off)
		}
	case sub == 1:
		b, err := src.read(cn)
		if err != nil {
			return err
		}
		d.fb.fill(t, td.pf.cPixel(b, cn, td.off))
		return nil
	case sub <= 16 || sub == 127 && td.reuse:
		if sub == 127 {
			if len(td.palette) == 0 || len(td.palette) > 16 {
				return fmt.Errorf("rfb: TRLE reuses a palette of %d colours", len(td.palette))
			}
		} else if err := readPalette(int(sub)); err != nil {
			return err
		}
		bits := packedBits(len(td.palette))
		tw := t.Dx()
		stride := (tw*bits + 7) / 8
		b, err := src.read(stride * t.Dy())
		if err != nil {
			return err
		}
		mask := byte(1<<bits - 1)
		for y := range t.Dy() {
			row := b[y*stride:]
			for x := range tw {
				bit := x * bits
				i := int(row[bit/8] >> (8 - bits - bit%8) & mask)
				if i >= len(td.palette) {
					return fmt.Errorf("rfb: palette index %d of %d", i, len(td.palette))
				}
				px[y*tw+x] = td.palette[i]
			}
		}
	case sub == 128:
		for i := 0; i < len(px); {
			b, err := src.read(cn)
			if err != nil {
				return err
			}
			p := td.pf.cPixel(b, cn, td.off)
			n, err := readRunLength(src)
			if err != nil {
				return err
			}
			if n > len(px)-i {
				return fmt.Errorf("rfb: run of %d past the end of the tile", n)
			}
			for k := range n {
				px[i+k] = p
			}
			i += n
		}
	case sub >= 130 || sub == 129 && td.reuse:
		if sub == 129 {
			if len(td.palette) == 0 {
				return fmt.Errorf("rfb: TRLE reuses an empty palette")
			}
		} else if err := readPalette(int(sub) - 128); err != nil {
			return err
		}
		for i := 0; i < len(px); {
			idx, err := src.readByte()
			if err != nil {
				return err
			}
			n := 1
			if idx&128 != 0 {
				if n, err = readRunLength(src); err != nil {
					return err
				}
			}
			idx &= 127
			if int(idx) >= len(td.palette) {
				return fmt.Errorf("rfb: palette index %d of %d", idx, len(td.palette))
			}
			if n > len(px)-i {
				return fmt.Errorf("rfb: run of %d past the end of the tile", n)
			}
			p := td.palette[idx]
			for k := range n {
				px[i+k] = p
			}
			i += n
		}
	default:
		return fmt.Errorf("rfb: tile subencoding %d", sub)
	}
	d.fb.put(t, px)
	return nil
}

// readRunLength reads a run length: bytes summed until one is not 255.
func readRunLength(src tileSource) (int, error) {
	n := 1
	for {
		b, err := src.readByte()
		if err != nil {
			return 0, err
		}
		n += int(b)
		if b != 255 {
			return n, nil
		}
		if n > 1<<16 { // no tile holds more pixels
			return 0, fmt.Errorf("rfb: run length over %d", n)
		}
	}
}
