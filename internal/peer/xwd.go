package peer

import (
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
)

// DecodeXWD decodes an X Window Dump, as xwd writes it, for the formats
// X servers here produce: ZPixmap at 24 or 32 bits per pixel, either
// byte order. The result's pixels are opaque RGB.
func DecodeXWD(data []byte) (*image.RGBA, error) {
	if len(data) < 100 {
		return nil, fmt.Errorf("xwd: %d bytes is too short", len(data))
	}
	h := make([]uint32, 25)
	for i := range h {
		h[i] = binary.BigEndian.Uint32(data[4*i:])
	}
	headerSize, version, format := h[0], h[1], h[2]
	width, height := int(h[4]), int(h[5])
	byteOrder, bpp, bytesPerLine := h[7], int(h[11]), int(h[12])
	redMask, greenMask, blueMask := h[14], h[15], h[16]
	ncolors := int(h[19])
	if version != 7 || format != 2 {
		return nil, fmt.Errorf("xwd: version %d format %d: want 7, ZPixmap", version, format)
	}
	if bpp != 32 && bpp != 24 {
		return nil, fmt.Errorf("xwd: %d bits per pixel unsupported", bpp)
	}
	off := int(headerSize) + 12*ncolors
	if off < 0 || width < 0 || height < 0 || off+bytesPerLine*height > len(data) || bytesPerLine < width*bpp/8 {
		return nil, fmt.Errorf("xwd: truncated (%dx%d, %d bytes per line, %d bytes)", width, height, bytesPerLine, len(data))
	}
	shift := func(m uint32) uint {
		s := uint(0)
		for m != 0 && m&1 == 0 {
			m >>= 1
			s++
		}
		return s
	}
	rs, gs, bs := shift(redMask), shift(greenMask), shift(blueMask)
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	for y := 0; y < height; y++ {
		row := data[off+y*bytesPerLine:]
		for x := 0; x < width; x++ {
			var v uint32
			n := bpp / 8
			px := row[x*n : x*n+n]
			for i := 0; i < n; i++ {
				if byteOrder == 0 { // LSBFirst
					v |= uint32(px[i]) << (8 * uint(i))
				} else {
					v = v<<8 | uint32(px[i])
				}
			}
			img.SetRGBA(x, y, color.RGBA{uint8(v & redMask >> rs), uint8(v & greenMask >> gs), uint8(v & blueMask >> bs), 0xFF})
		}
	}
	return img, nil
}

// DiffImages counts the pixels that differ between two images of the same
// size and returns the bounding box of the differences. Images of
// different sizes differ everywhere.
func DiffImages(a, b *image.RGBA) (n int, box image.Rectangle) {
	if a.Bounds() != b.Bounds() {
		return a.Bounds().Dx()*a.Bounds().Dy() + 1, a.Bounds().Union(b.Bounds())
	}
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.RGBAAt(x, y) != b.RGBAAt(x, y) {
				n++
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return n, box
}
