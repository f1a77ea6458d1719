package pixelproto

import (
	"encoding/binary"
	"fmt"
	"image"
)

// RRE: a background colour and solid subrectangles drawn over it.

type rreEncoder struct{}

func (rreEncoder) limits() (maxW, maxPixels, tile int) { return 0, 0, 1 }

func (rreEncoder) encode(out *encOut, p *encParams, px []uint32, w, h int) Encoding {
	var cc colourCounter
	bg := px[0]
	if list, ok := cc.colours(px, 256); ok {
		bg = list[mostCommon(cc.counts())]
	}
	bpp := p.pf.bytesPerPixel()
	rawSize := w * h * bpp
	if len(out.lit) == 0 {
		out.lit = out.buf(rawSize + 8)
	}
	start := len(out.lit)
	b := binary.BigEndian.AppendUint32(out.lit, 0)
	b = p.pf.putPixel(b, bg)
	n := 0
	ok := subrects(px, w, h, bg, nil, func(x, y, sw, sh int, c uint32) bool {
		if len(b)-start+bpp+8 > rawSize {
			return false
		}
		b = p.pf.putPixel(b, c)
		b = appendRect(b, image.Rect(x, y, x+sw, y+sh))
		n++
		return true
	})
	if !ok {
		out.lit = out.lit[:start]
		return rawEncoder{}.encode(out, p, px, w, h)
	}
	binary.BigEndian.PutUint32(b[start:], uint32(n))
	out.lit = b
	return RRE
}

func mostCommon(count []int) int {
	best := 0
	for i, n := range count {
		if n > count[best] {
			best = i
		}
	}
	return best
}

// subrects covers the pixels of px (w×h) that are not bg with solid
// rectangles, calling emit for each; it stops, returning false, when emit
// does. covered is scratch space of w*h, or nil.
func subrects(px []uint32, w, h int, bg uint32, covered []bool, emit func(x, y, w, h int, c uint32) bool) bool {
	if len(covered) < w*h {
		covered = make([]bool, w*h)
	} else {
		clear(covered[:w*h])
	}
	for y := range h {
		row := y * w
		for x := 0; x < w; x++ {
			c := px[row+x]
			if c == bg || covered[row+x] {
				continue
			}
			// Widest run first, then as tall as that run stays solid.
			x2 := x + 1
			for x2 < w && px[row+x2] == c {
				x2++
			}
			y2 := y + 1
		rows:
			for y2 < h {
				for _, p := range px[y2*w+x : y2*w+x2] {
					if p != c {
						break rows
					}
				}
				y2++
			}
			// Tallest column first, then as wide as it stays solid.
			y3 := y + 1
			for y3 < h && px[y3*w+x] == c {
				y3++
			}
			x3 := x + 1
		cols:
			for x3 < w {
				for yy := y; yy < y3; yy++ {
					if px[yy*w+x3] != c {
						break cols
					}
				}
				x3++
			}
			if (x3-x)*(y3-y) > (x2-x)*(y2-y) {
				x2, y2 = x3, y3
			}
			for yy := y; yy < y2; yy++ {
				for xx := x; xx < x2; xx++ {
					covered[yy*w+xx] = true
				}
			}
			if !emit(x, y, x2-x, y2-y, c) {
				return false
			}
		}
	}
	return true
}

type rreDecoder struct{}

func (rreDecoder) decode(d *decodeState, r image.Rectangle) error {
	bpp := d.pf.bytesPerPixel()
	b, err := d.read(4 + bpp)
	if err != nil {
		return err
	}
	n := binary.BigEndian.Uint32(b)
	if uint64(n) > uint64(r.Dx())*uint64(r.Dy()) {
		return fmt.Errorf("rfb: RRE with %d subrectangles in %v", n, r)
	}
	d.fb.fill(r, d.pf.pixel(b[4:]))
	for ; n > 0; n-- {
		b, err := d.read(bpp + 8)
		if err != nil {
			return err
		}
		s := readRect(b[bpp:]).Add(r.Min)
		if !s.In(r) {
			return fmt.Errorf("rfb: RRE subrectangle %v outside %v", s, r)
		}
		d.fb.fill(s, d.pf.pixel(b))
	}
	return nil
}
