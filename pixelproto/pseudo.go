package pixelproto

import (
	"image"
)

// The Cursor pseudo-encoding: the hot spot as the rectangle's position,
// then the cursor's pixels and a bitmask of which are shown.

// maxCursor bounds a cursor's sides.
const maxCursor = 1024

func appendCursor(b []byte, c *Cursor, pf PixelFormat, conv *converter) []byte {
	w, h := c.Width, c.Height
	if w <= 0 || h <= 0 || w > maxCursor || h > maxCursor || len(c.Pixels) < w*h || len(c.Mask) < w*h {
		w, h = 0, 0 // an empty cursor hides the pointer
	}
	b = appendRectHeader(b, image.Rect(c.Hot.X, c.Hot.Y, c.Hot.X+w, c.Hot.Y+h), PseudoCursor)
	px := make([]uint32, w*h)
	conv.convert(px, c.Pixels[:w*h])
	b = pf.putPixels(b, px)
	stride := (w + 7) / 8
	for y := range h {
		row := make([]byte, stride)
		for x := range w {
			if c.Mask[y*w+x] {
				row[x/8] |= 0x80 >> (x % 8)
			}
		}
		b = append(b, row...)
	}
	return b
}

// decodeCursor reads a Cursor pseudo-rectangle.
func decodeCursor(d *decodeState, r image.Rectangle) (*Cursor, error) {
	w, h := r.Dx(), r.Dy()
	if w > maxCursor || h > maxCursor {
		return nil, errRect
	}
	bpp := d.pf.bytesPerPixel()
	stride := (w + 7) / 8
	b, err := d.read(w*h*bpp + stride*h)
	if err != nil {
		return nil, err
	}
	c := &Cursor{Width: w, Height: h, Hot: r.Min, Pixels: make([]uint32, w*h), Mask: make([]bool, w*h)}
	for i := range c.Pixels {
		cr, cg, cb := d.fb.rgba(d.pf.pixel(b[i*bpp:]))
		c.Pixels[i] = uint32(cr)<<16 | uint32(cg)<<8 | uint32(cb)
	}
	mask := b[w*h*bpp:]
	for y := range h {
		for x := range w {
			c.Mask[y*w+x] = mask[y*stride+x/8]&(0x80>>(x%8)) != 0
		}
	}
	return c, nil
}
