package pixelproto

import (
	"fmt"
	"image"
)

// Hextile: 16×16 tiles, each raw or a background with subrectangles.

const (
	hexRaw        = 1
	hexBackground = 2
	hexForeground = 4
	hexAnySubrect = 8
	hexColoured   = 16
)

type hextileEncoder struct{}

func (hextileEncoder) limits() (maxW, maxPixels, tile int) { return 0, 0, 16 }

func (hextileEncoder) encode(out *encOut, p *encParams, px []uint32, w, h int) Encoding {
	var (
		cc             colourCounter
		tile           [256]uint32
		covered        [256]bool
		bg, fg         uint32
		validBg, valid bool // valid: fg
		sub            []byte
	)
	bpp := p.pf.bytesPerPixel()
	if len(out.lit) == 0 {
		out.lit = out.buf(w*h*bpp + (w+15)/16*((h+15)/16))
	}
	b := out.lit
	for ty := 0; ty < h; ty += 16 {
		th := min(16, h-ty)
		for tx := 0; tx < w; tx += 16 {
			tw := min(16, w-tx)
			t := tile[:tw*th]
			for y := range th {
				copy(t[y*tw:(y+1)*tw], px[(ty+y)*w+tx:])
			}
			rawSize := 1 + tw*th*bpp
			list, ok := cc.colours(t, 256)
			if !ok {
				b = p.pf.putPixels(append(b, hexRaw), t)
				validBg, valid = false, false
				continue
			}
			tbg := list[mostCommon(cc.counts())]
			mask := byte(0)
			if !validBg || tbg != bg {
				mask |= hexBackground
			}
			if len(list) == 1 {
				b = append(b, mask)
				if mask&hexBackground != 0 {
					b = p.pf.putPixel(b, tbg)
				}
				bg, validBg = tbg, true
				continue
			}
			mono := len(list) == 2
			var tfg uint32
			if mono {
				tfg = list[0]
				if tfg == tbg {
					tfg = list[1]
				}
				mask |= hexAnySubrect
				if !valid || tfg != fg {
					mask |= hexForeground
				}
			} else {
				mask |= hexAnySubrect | hexColoured
			}
			// Size so far: mask, colours, count.
			size := 2
			if mask&hexBackground != 0 {
				size += bpp
			}
			if mask&hexForeground != 0 {
				size += bpp
			}
			sub = sub[:0]
			n := 0
			ok = subrects(t, tw, th, tbg, covered[:], func(x, y, sw, sh int, c uint32) bool {
				if !mono {
					sub = p.pf.putPixel(sub, c)
				}
				sub = append(sub, byte(x<<4|y), byte((sw-1)<<4|(sh-1)))
				n++
				return n < 256 && size+len(sub) < rawSize
			})
			if !ok || size+len(sub) >= rawSize {
				b = p.pf.putPixels(append(b, hexRaw), t)
				validBg, valid = false, false
				continue
			}
			b = append(b, mask)
			if mask&hexBackground != 0 {
				b = p.pf.putPixel(b, tbg)
			}
			if mask&hexForeground != 0 {
				b = p.pf.putPixel(b, tfg)
			}
			b = append(append(b, byte(n)), sub...)
			bg, validBg = tbg, true
			fg, valid = tfg, mono
		}
	}
	out.lit = b
	return Hextile
}

type hextileDecoder struct{}

func (hextileDecoder) decode(d *decodeState, r image.Rectangle) error {
	bpp := d.pf.bytesPerPixel()
	var bg, fg uint32
	for ty := r.Min.Y; ty < r.Max.Y; ty += 16 {
		for tx := r.Min.X; tx < r.Max.X; tx += 16 {
			t := image.Rect(tx, ty, min(tx+16, r.Max.X), min(ty+16, r.Max.Y))
			mask, err := d.readByte()
			if err != nil {
				return err
			}
			if mask&hexRaw != 0 {
				b, err := d.read(t.Dx() * t.Dy() * bpp)
				if err != nil {
					return err
				}
				d.fb.putRaw(t, b)
				continue
			}
			if mask&hexBackground != 0 {
				b, err := d.read(bpp)
				if err != nil {
					return err
				}
				bg = d.pf.pixel(b)
			}
			d.fb.fill(t, bg)
			if mask&hexForeground != 0 {
				b, err := d.read(bpp)
				if err != nil {
					return err
				}
				fg = d.pf.pixel(b)
			}
			if mask&hexAnySubrect == 0 {
				continue
			}
			n, err := d.readByte()
			if err != nil {
				return err
			}
			size := 2
			if mask&hexColoured != 0 {
				size += bpp
			}
			b, err := d.read(int(n) * size)
			if err != nil {
				return err
			}
			for i := 0; i < int(n); i++ {
				s := b[i*size:]
				c := fg
				if mask&hexColoured != 0 {
					c = d.pf.pixel(s)
					s = s[bpp:]
				}
				x, y := int(s[0]>>4), int(s[0]&15)
				sr := image.Rect(x, y, x+int(s[1]>>4)+1, y+int(s[1]&15)+1).Add(t.Min)
				if !sr.In(t) {
					return fmt.Errorf("rfb: hextile subrectangle %v outside tile %v", sr, t)
				}
				d.fb.fill(sr, c)
			}
		}
	}
	return nil
}
