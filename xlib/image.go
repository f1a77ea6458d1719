package xlib

import (
	"encoding/binary"
	"fmt"
	"image"
	"image/draw"
	"math/bits"

	"netdisplay/protocol"
)

// An imageFormat is how the server lays out the pixels of a ZPixmap image
// of one depth: bits per pixel, scanline padding, byte and bit order, and
// where each channel lies in a pixel.
type imageFormat struct {
	depth  int
	bpp    int    // bits per pixel: 1, 8, 16, 24 or 32
	pad    int    // scanlines are padded to a multiple of this many bits
	msb    bool   // multi-byte pixels (and bitmap units) are most significant byte first
	bitMSB bool   // in depth-1 images, the leftmost pixel is the most significant bit
	unit   int    // the bitmap scanline unit, in bits
	r, g   uint32 // channel masks; all 0 for a depth-1 bitmap
	b, a   uint32 // a: the alpha bits of a 32-bit pixmap without visual
}

// stride is the length of a scanline of w pixels, in bytes.
func (f *imageFormat) stride(w int) int {
	return (w*f.bpp + f.pad - 1) / f.pad * f.pad / 8
}

// rgbMasks says whether the channels are the common 8-bit ones.
func (f *imageFormat) rgbMasks() bool {
	return f.r == 0xff0000 && f.g == 0xff00 && f.b == 0xff
}

// imageFormatFor returns the image format for a drawable of the given
// depth and visual (0 for pixmaps, and when unknown).
func (c *Conn) imageFormatFor(depth uint8, visual protocol.Visualid) (imageFormat, error) {
	f := imageFormat{
		depth:  int(depth),
		msb:    c.setup.ImageByteOrder == protocol.ImageOrderMSBFirst,
		bitMSB: c.setup.BitmapFormatBitOrder == protocol.ImageOrderMSBFirst,
		unit:   int(c.setup.BitmapFormatScanlineUnit),
	}
	for _, pf := range c.setup.PixmapFormats {
		if pf.Depth == depth {
			f.bpp, f.pad = int(pf.BitsPerPixel), int(pf.ScanlinePad)
		}
	}
	switch f.bpp {
	case 1, 8, 16, 24, 32:
	default:
		return f, fmt.Errorf("xlib: no usable pixmap format for depth %d", depth)
	}
	if f.pad < 8 || f.pad%8 != 0 {
		f.pad = 8
	}
	if f.unit < 8 || f.unit%8 != 0 {
		f.unit = 8
	}
	if depth == 1 {
		return f, nil
	}
	v := c.visualForDepth(depth, visual)
	switch {
	case v != nil && (v.Class == protocol.VisualClassTrueColor || v.Class == protocol.VisualClassDirectColor):
		f.r, f.g, f.b = v.RedMask, v.GreenMask, v.BlueMask
	case v == nil && (depth == 24 || depth == 32):
		// A pixmap of a depth no visual has: the usual RGB layout.
		f.r, f.g, f.b = 0xff0000, 0xff00, 0xff
	case v != nil:
		return f, fmt.Errorf("xlib: images for visual class %d are not supported, only TrueColor", v.Class)
	default:
		return f, fmt.Errorf("xlib: images of depth %d without a TrueColor visual are not supported", depth)
	}
	if f.bpp < 16 {
		return f, fmt.Errorf("xlib: images of %d bits per pixel with RGB masks are not supported", f.bpp)
	}
	// The bits of the depth that no colour has are alpha, as the Render
	// extension reads a 32-bit pixmap (ARGB).
	f.a = uint32(uint64(1)<<depth-1) &^ (f.r | f.g | f.b)
	return f, nil
}

// visualForDepth returns the visual named, or else the one a drawable of
// that depth most likely has: the root visual, or the first TrueColor
// visual of the depth.
func (c *Conn) visualForDepth(depth uint8, id protocol.Visualid) *protocol.Visualtype {
	if id != 0 {
		if v, _ := c.visual(id); v != nil {
			return v
		}
	}
	s := c.Screen()
	if s.RootDepth == depth {
		if v, _ := c.visual(s.RootVisual); v != nil {
			return v
		}
	}
	for _, d := range s.AllowedDepths {
		if d.Depth != depth {
			continue
		}
		for i := range d.Visuals {
			if d.Visuals[i].Class == protocol.VisualClassTrueColor {
				return &d.Visuals[i]
			}
		}
	}
	return nil
}

// formatOf returns the image format of a drawable, asking the server for
// its depth (one round trip) when the library did not create it.
func (c *Conn) formatOf(d Drawable) (imageFormat, error) {
	info, ok := c.known(uint32(d.Drawable()))
	if !ok {
		g, err := c.GetGeometry(d).Reply()
		if err != nil {
			return imageFormat{}, err
		}
		info.depth = g.Depth
	}
	return c.imageFormatFor(info.depth, info.visual)
}

// PutImage draws img on d with its top-left corner (img.Bounds().Min) at
// p, converting it to the server's pixel format for d's depth: TrueColor
// visuals of any masks, and depth-1 bitmaps, where a pixel is 1 when the
// image is at least half bright there (for an *image.Alpha, half opaque).
// X has no transparency: a translucent pixel is drawn as its colour over
// black, and a 32-bit pixmap without visual keeps the alpha in its top
// byte. The image is sent in as many PutImage requests as the server's
// maximum request length needs, BIG-REQUESTS included.
func (c *Conn) PutImage(d Drawable, gc GC, img image.Image, p image.Point) error {
	f, err := c.formatOf(d)
	if err != nil {
		return err
	}
	b := img.Bounds()
	if b.Empty() {
		return nil
	}
	src, ok := img.(*image.RGBA)
	if !ok {
		// image/draw converts the common image types quickly; an
		// *image.Alpha becomes grey, so that depth 1 thresholds opacity.
		src = image.NewRGBA(b)
		draw.Draw(src, b, img, b.Min, draw.Src)
	}

	// The largest tile that fits a request: whole rows if one fits, and
	// as many of them as fit.
	room := c.MaxRequestBytes() - 28 // the header, in the BIG-REQUESTS form
	tw := b.Dx()
	if f.stride(tw) > room {
		tw = (room*8 - f.pad) / f.bpp
	}
	if tw < 1 {
		return fmt.Errorf("xlib: the server's maximum request length (%d bytes) leaves no room for an image", room+28)
	}
	th := max(1, min(b.Dy(), room/f.stride(tw)))
	for y := b.Min.Y; y < b.Max.Y; y += th {
		for x := b.Min.X; x < b.Max.X; x += tw {
			r := image.Rect(x, y, min(x+tw, b.Max.X), min(y+th, b.Max.Y))
			dst := p.Add(r.Min.Sub(b.Min))
			hdr := &protocol.PutImage{
				Format:   protocol.ImageFormatZPixmap,
				Drawable: d.Drawable(),
				Gc:       protocol.Gcontext(gc),
				Width:    uint16(r.Dx()),
				Height:   uint16(r.Dy()),
				DstX:     int16(dst.X),
				DstY:     int16(dst.Y),
				Depth:    uint8(f.depth),
			}
			err := c.stream(hdr, r.Dy(), f.stride(r.Dx()), func(row int, out []byte) {
				f.encodeRow(out, src.Pix[src.PixOffset(r.Min.X, r.Min.Y+row):][:4*r.Dx()])
			})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// encodeRow converts one row of RGBA pixels.
func (f *imageFormat) encodeRow(row, in []byte) {
	n := len(in) / 4
	switch {
	case f.bpp == 32 && f.rgbMasks():
		// The common case, one byte per channel: swap red and blue in
		// the RGBA word, and keep alpha only if the depth has it.
		keep := uint32(0x00ffffff)
		if f.a == 0xff000000 {
			keep = 0xffffffff
		}
		row, in = row[:len(in)], in[:len(row)]
		for i := 0; i+4 <= len(in); i += 4 {
			p := binary.LittleEndian.Uint32(in[i:])
			v := (p&0xff00ff00 | p>>16&0xff | p&0xff<<16) & keep
			if f.msb {
				binary.BigEndian.PutUint32(row[i:], v)
			} else {
				binary.LittleEndian.PutUint32(row[i:], v)
			}
		}
	case f.bpp == 1:
		for i := 0; i < n; i++ {
			s := in[4*i:]
			// Luminance in 16.16, as image/color's grey model weighs it.
			y := 19595*uint32(s[0]) + 38470*uint32(s[1]) + 7471*uint32(s[2])
			if y < 128<<16 {
				continue
			}
			if f.bitMSB {
				row[i/8] |= 0x80 >> (i % 8)
			} else {
				row[i/8] |= 1 << (i % 8)
			}
		}
		if f.bitMSB != f.msb {
			swapUnits(row, f.unit/8)
		}
	default:
		bytes := f.bpp / 8
		for i := 0; i < n; i++ {
			s := in[4*i:]
			v := scaleTo(s[0], f.r) | scaleTo(s[1], f.g) | scaleTo(s[2], f.b) | scaleTo(s[3], f.a)
			d := row[bytes*i : bytes*i+bytes]
			for k := range d {
				if f.msb {
					d[k] = byte(v >> (8 * (bytes - 1 - k)))
				} else {
					d[k] = byte(v >> (8 * k))
				}
			}
		}
	}
}

// swapUnits reverses the bytes of each unit of a bitmap scanline: the
// bits were placed as if byte order and bit order agreed.
func swapUnits(row []byte, unit int) {
	for i := 0; i+unit <= len(row); i += unit {
		u := row[i : i+unit]
		for a, b := 0, len(u)-1; a < b; a, b = a+1, b-1 {
			u[a], u[b] = u[b], u[a]
		}
	}
}

// scaleTo places an 8-bit channel value in mask, scaled to its width.
func scaleTo(v uint8, mask uint32) uint32 {
	if mask == 0 {
		return 0
	}
	shift := bits.TrailingZeros32(mask)
	lim := mask >> shift
	if lim == 0xff {
		return uint32(v) << shift
	}
	return (uint32(v)*lim + 127) / 255 << shift
}

// scaleFrom reads a channel from a pixel as an 8-bit value.
func scaleFrom(p, mask uint32) uint8 {
	if mask == 0 {
		return 0
	}
	shift := bits.TrailingZeros32(mask)
	lim := mask >> shift
	v := (p & mask) >> shift
	if lim == 0xff {
		return uint8(v)
	}
	return uint8((v*255 + lim/2) / lim)
}

// GetImage reads the pixels of r of d (GetImage, ZPixmap) into an RGBA
// image whose bounds are r, in d's coordinates. A window must be viewable
// and r inside the screen, or the server answers BadMatch.
func (c *Conn) GetImage(d Drawable, r image.Rectangle) Cookie[*image.RGBA] {
	return callDecode(c, &protocol.GetImage{
		Format:    protocol.ImageFormatZPixmap,
		Drawable:  d.Drawable(),
		X:         int16(r.Min.X),
		Y:         int16(r.Min.Y),
		Width:     uint16(r.Dx()),
		Height:    uint16(r.Dy()),
		PlaneMask: 0xffffffff,
	}, func(c *Conn, replies [][]byte) (*image.RGBA, error) {
		var rep protocol.GetImageReply
		if err := rep.Unmarshal(c.order, replies[0]); err != nil {
			return nil, err
		}
		f, err := c.imageFormatFor(rep.Depth, rep.Visual)
		if err != nil {
			return nil, err
		}
		return f.decode(rep.Data, r)
	})
}

// decode converts ZPixmap data covering r to RGBA.
func (f *imageFormat) decode(data []byte, r image.Rectangle) (*image.RGBA, error) {
	stride := f.stride(r.Dx())
	if len(data) < stride*r.Dy() {
		return nil, fmt.Errorf("xlib: GetImage reply of %d bytes for %dx%d pixels of %d bits", len(data), r.Dx(), r.Dy(), f.bpp)
	}
	img := image.NewRGBA(r)
	row := make([]byte, stride)
	for y := 0; y < r.Dy(); y++ {
		copy(row, data[y*stride:(y+1)*stride])
		out := img.Pix[y*img.Stride:][:4*r.Dx()]
		f.decodeRow(out, row)
	}
	return img, nil
}

// decodeRow converts one scanline to RGBA pixels.
func (f *imageFormat) decodeRow(out, row []byte) {
	n := len(out) / 4
	switch {
	case f.bpp == 32 && f.rgbMasks():
		for i := 0; i < n; i++ {
			s, d := row[4*i:4*i+4], out[4*i:4*i+4]
			if f.msb {
				d[0], d[1], d[2], d[3] = s[1], s[2], s[3], s[0]
			} else {
				d[0], d[1], d[2], d[3] = s[2], s[1], s[0], s[3]
			}
			if f.a == 0 {
				d[3] = 0xff
			}
		}
	case f.bpp == 1:
		if f.bitMSB != f.msb {
			swapUnits(row, f.unit/8)
		}
		for i := 0; i < n; i++ {
			var set bool
			if f.bitMSB {
				set = row[i/8]&(0x80>>(i%8)) != 0
			} else {
				set = row[i/8]&(1<<(i%8)) != 0
			}
			v := byte(0)
			if set {
				v = 0xff
			}
			out[4*i], out[4*i+1], out[4*i+2], out[4*i+3] = v, v, v, 0xff
		}
	default:
		bytes := f.bpp / 8
		for i := 0; i < n; i++ {
			s := row[bytes*i : bytes*i+bytes]
			var p uint32
			for k := range s {
				if f.msb {
					p = p<<8 | uint32(s[k])
				} else {
					p |= uint32(s[k]) << (8 * k)
				}
			}
			a := uint8(0xff)
			if f.a != 0 {
				a = scaleFrom(p, f.a)
			}
			out[4*i], out[4*i+1], out[4*i+2], out[4*i+3] = scaleFrom(p, f.r), scaleFrom(p, f.g), scaleFrom(p, f.b), a
		}
	}
}
