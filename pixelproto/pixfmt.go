package pixelproto

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// A PixelFormat says how pixel values are laid out on the wire: the
// PIXEL_FORMAT structure of ServerInit and SetPixelFormat.
type PixelFormat struct {
	BitsPerPixel uint8 // 8, 16 or 32
	Depth        uint8
	BigEndian    bool
	TrueColour   bool
	RedMax       uint16
	GreenMax     uint16
	BlueMax      uint16
	RedShift     uint8
	GreenShift   uint8
	BlueShift    uint8
}

// Common pixel formats.
var (
	// FormatRGB888 is the server's natural format: 0x00RRGGBB, little
	// endian, the layout of Source pixels.
	FormatRGB888 = PixelFormat{32, 24, false, true, 255, 255, 255, 16, 8, 0}
	// FormatRGBA is 32 bpp with the bytes in R, G, B, X order on the wire,
	// the layout of image.RGBA; noVNC asks for it.
	FormatRGBA = PixelFormat{32, 24, false, true, 255, 255, 255, 0, 8, 16}
	// FormatRGB565 is 16 bpp, little endian.
	FormatRGB565 = PixelFormat{16, 16, false, true, 31, 63, 31, 11, 5, 0}
	// FormatBGR233 is 8 bpp true colour, the format TigerVNC drops to on
	// slow links.
	FormatBGR233 = PixelFormat{8, 8, false, true, 7, 7, 3, 0, 3, 6}
)

// colourMapFormat is how a client that asks for a colour map is served: we
// send a fixed BGR233 colour map and then treat it as true colour.
var colourMapFormat = FormatBGR233

// Marshal appends the 16-byte PIXEL_FORMAT to b.
func (pf PixelFormat) Marshal(b []byte) []byte {
	var be, tc byte
	if pf.BigEndian {
		be = 1
	}
	if pf.TrueColour {
		tc = 1
	}
	b = append(b, pf.BitsPerPixel, pf.Depth, be, tc)
	b = binary.BigEndian.AppendUint16(b, pf.RedMax)
	b = binary.BigEndian.AppendUint16(b, pf.GreenMax)
	b = binary.BigEndian.AppendUint16(b, pf.BlueMax)
	return append(b, pf.RedShift, pf.GreenShift, pf.BlueShift, 0, 0, 0)
}

// Unmarshal reads a PIXEL_FORMAT from the first 16 bytes of b.
func (pf *PixelFormat) Unmarshal(b []byte) error {
	if len(b) < 16 {
		return errShort
	}
	pf.BitsPerPixel = b[0]
	pf.Depth = b[1]
	pf.BigEndian = b[2] != 0
	pf.TrueColour = b[3] != 0
	pf.RedMax = binary.BigEndian.Uint16(b[4:])
	pf.GreenMax = binary.BigEndian.Uint16(b[6:])
	pf.BlueMax = binary.BigEndian.Uint16(b[8:])
	pf.RedShift, pf.GreenShift, pf.BlueShift = b[10], b[11], b[12]
	return nil
}

var errShort = errors.New("rfb: message too short")

// Validate reports whether we can produce or consume pixels in pf.
// Colour-map formats are valid: they are served as BGR233.
func (pf PixelFormat) Validate() error {
	switch pf.BitsPerPixel {
	case 8, 16, 32:
	default:
		return fmt.Errorf("rfb: %d bits per pixel", pf.BitsPerPixel)
	}
	if !pf.TrueColour {
		return nil
	}
	bits := uint(pf.BitsPerPixel)
	for _, c := range [3]struct {
		max   uint16
		shift uint8
	}{{pf.RedMax, pf.RedShift}, {pf.GreenMax, pf.GreenShift}, {pf.BlueMax, pf.BlueShift}} {
		if c.max == 0 {
			return errors.New("rfb: colour maximum of zero")
		}
		if uint(c.shift) >= bits || uint64(c.max)<<c.shift >= 1<<bits {
			return fmt.Errorf("rfb: colour field %d<<%d does not fit %d bits", c.max, c.shift, bits)
		}
	}
	return nil
}

func (pf PixelFormat) String() string {
	if !pf.TrueColour {
		return fmt.Sprintf("%dbpp colour map", pf.BitsPerPixel)
	}
	e := "le"
	if pf.BigEndian {
		e = "be"
	}
	return fmt.Sprintf("%dbpp depth %d %s r%d<<%d g%d<<%d b%d<<%d", pf.BitsPerPixel, pf.Depth, e,
		pf.RedMax, pf.RedShift, pf.GreenMax, pf.GreenShift, pf.BlueMax, pf.BlueShift)
}

// bytesPerPixel is the size of a PIXEL.
func (pf PixelFormat) bytesPerPixel() int { return int(pf.BitsPerPixel) / 8 }

// is888 reports whether every colour is one whole byte of a 32-bit pixel
// of depth 24: Tight then sends pixels as three bytes R, G, B (TPIXEL).
func (pf PixelFormat) is888() bool {
	return pf.TrueColour && pf.BitsPerPixel == 32 && pf.Depth == 24 &&
		pf.RedMax == 255 && pf.GreenMax == 255 && pf.BlueMax == 255
}

// cpixel reports how ZRLE and TRLE send a pixel (CPIXEL): size is 3 when
// the colour bits fit in three bytes of a 32-bit pixel, and off is where
// those bytes start in the pixel's wire form.
func (pf PixelFormat) cpixel() (size, off int) {
	bpp := pf.bytesPerPixel()
	if !pf.TrueColour || bpp != 4 || pf.Depth > 24 {
		return bpp, 0
	}
	mask := uint32(pf.RedMax)<<pf.RedShift | uint32(pf.GreenMax)<<pf.GreenShift | uint32(pf.BlueMax)<<pf.BlueShift
	switch {
	case mask&0xff000000 == 0: // least significant three bytes
		if pf.BigEndian {
			return 3, 1
		}
		return 3, 0
	case mask&0xff == 0: // most significant three bytes
		if pf.BigEndian {
			return 3, 0
		}
		return 3, 1
	}
	return bpp, 0
}

// A converter turns Source pixels (0x00RRGGBB) into pixel values of one
// format, through three tables; the common formats skip the tables.
type converter struct {
	pf       PixelFormat
	identity bool // pixel value == source pixel
	r, g, b  [256]uint32
}

func newConverter(pf PixelFormat) *converter {
	if !pf.TrueColour {
		pf = colourMapFormat
	}
	c := &converter{pf: pf}
	c.identity = pf.RedMax == 255 && pf.GreenMax == 255 && pf.BlueMax == 255 &&
		pf.RedShift == 16 && pf.GreenShift == 8 && pf.BlueShift == 0 && pf.BitsPerPixel == 32
	for i := range 256 {
		c.r[i] = scale8(i, pf.RedMax) << pf.RedShift
		c.g[i] = scale8(i, pf.GreenMax) << pf.GreenShift
		c.b[i] = scale8(i, pf.BlueMax) << pf.BlueShift
	}
	return c
}

// scale8 maps an 8-bit intensity onto 0..max, rounding to nearest.
func scale8(v int, max uint16) uint32 {
	if max == 255 {
		return uint32(v)
	}
	return uint32((v*int(max) + 127) / 255)
}

// convert writes the pixel values of src into dst.
func (c *converter) convert(dst, src []uint32) {
	if c.identity {
		copy(dst, src)
		return
	}
	for i, p := range src {
		dst[i] = c.r[p>>16&0xff] | c.g[p>>8&0xff] | c.b[p&0xff]
	}
}

// putPixel appends pixel value p in pf's wire form.
func (pf PixelFormat) putPixel(b []byte, p uint32) []byte {
	switch pf.BitsPerPixel {
	case 8:
		return append(b, byte(p))
	case 16:
		if pf.BigEndian {
			return append(b, byte(p>>8), byte(p))
		}
		return append(b, byte(p), byte(p>>8))
	}
	if pf.BigEndian {
		return append(b, byte(p>>24), byte(p>>16), byte(p>>8), byte(p))
	}
	return append(b, byte(p), byte(p>>8), byte(p>>16), byte(p>>24))
}

// putPixels appends pixel values in pf's wire form.
func (pf PixelFormat) putPixels(b []byte, px []uint32) []byte {
	n := len(b)
	bpp := pf.bytesPerPixel()
	b = grow(b, len(px)*bpp)
	out := b[n:]
	switch {
	case bpp == 4 && !pf.BigEndian:
		for i, p := range px {
			binary.LittleEndian.PutUint32(out[i*4:], p)
		}
	case bpp == 4:
		for i, p := range px {
			binary.BigEndian.PutUint32(out[i*4:], p)
		}
	case bpp == 2 && !pf.BigEndian:
		for i, p := range px {
			binary.LittleEndian.PutUint16(out[i*2:], uint16(p))
		}
	case bpp == 2:
		for i, p := range px {
			binary.BigEndian.PutUint16(out[i*2:], uint16(p))
		}
	default:
		for i, p := range px {
			out[i] = byte(p)
		}
	}
	return b
}

// pixel reads one pixel value in pf's wire form from the start of b.
func (pf PixelFormat) pixel(b []byte) uint32 {
	switch pf.BitsPerPixel {
	case 8:
		return uint32(b[0])
	case 16:
		if pf.BigEndian {
			return uint32(binary.BigEndian.Uint16(b))
		}
		return uint32(binary.LittleEndian.Uint16(b))
	}
	if pf.BigEndian {
		return binary.BigEndian.Uint32(b)
	}
	return binary.LittleEndian.Uint32(b)
}

// putCPixel appends p as a CPIXEL of size n at offset off (see cpixel).
func (pf PixelFormat) putCPixel(b []byte, p uint32, n, off int) []byte {
	if n != 3 {
		return pf.putPixel(b, p)
	}
	var w [4]byte
	pf.putPixel(w[:0], p)
	return append(b, w[off:off+3]...)
}

// cPixel reads a CPIXEL of size n at offset off from the start of b.
func (pf PixelFormat) cPixel(b []byte, n, off int) uint32 {
	if n != 3 {
		return pf.pixel(b)
	}
	var w [4]byte
	copy(w[off:], b[:3])
	return pf.pixel(w[:])
}

// putTPixel appends p as a Tight TPIXEL: R, G, B bytes for 888 formats,
// otherwise a PIXEL.
func (pf PixelFormat) putTPixel(b []byte, p uint32) []byte {
	if pf.is888() {
		return append(b, byte(p>>pf.RedShift), byte(p>>pf.GreenShift), byte(p>>pf.BlueShift))
	}
	return pf.putPixel(b, p)
}

// putTPixels appends the pixel values px as TPIXELs.
func (pf PixelFormat) putTPixels(b []byte, px []uint32) []byte {
	if !pf.is888() {
		return pf.putPixels(b, px)
	}
	n := len(b)
	b = grow(b, 3*len(px))
	out := b[n : n+3*len(px)]
	rs, gs, bs := pf.RedShift, pf.GreenShift, pf.BlueShift
	for i, p := range px {
		o := out[3*i : 3*i+3]
		o[0], o[1], o[2] = byte(p>>rs), byte(p>>gs), byte(p>>bs)
	}
	return b
}

// tPixel reads a TPIXEL from the start of b.
func (pf PixelFormat) tPixel(b []byte) uint32 {
	if pf.is888() {
		return uint32(b[0])<<pf.RedShift | uint32(b[1])<<pf.GreenShift | uint32(b[2])<<pf.BlueShift
	}
	return pf.pixel(b)
}

// tPixelSize is the size of a TPIXEL.
func (pf PixelFormat) tPixelSize() int {
	if pf.is888() {
		return 3
	}
	return pf.bytesPerPixel()
}

// rgb returns the 8-bit intensities of pixel value p.
func (pf PixelFormat) rgb(p uint32) (r, g, b uint8) {
	return expand(p>>pf.RedShift, pf.RedMax), expand(p>>pf.GreenShift, pf.GreenMax), expand(p>>pf.BlueShift, pf.BlueMax)
}

// expand maps v&max onto 0..255.
func expand(v uint32, max uint16) uint8 {
	v &= uint32(max)
	switch max {
	case 255:
		return uint8(v)
	case 0:
		return 0
	}
	return uint8((v*255 + uint32(max)/2) / uint32(max))
}

// fromRGB returns the pixel value nearest to 8-bit intensities r, g, b.
func (pf PixelFormat) fromRGB(r, g, b uint8) uint32 {
	return scale8(int(r), pf.RedMax)<<pf.RedShift | scale8(int(g), pf.GreenMax)<<pf.GreenShift | scale8(int(b), pf.BlueMax)<<pf.BlueShift
}

// colourMap returns the SetColourMapEntries a colour-map client gets: the
// BGR233 colours, so that colourMapFormat's values index it.
func colourMap() []uint16 {
	pf := colourMapFormat
	m := make([]uint16, 0, 256*3)
	for i := range 256 {
		r, g, b := pf.rgb(uint32(i))
		m = append(m, uint16(r)*0x101, uint16(g)*0x101, uint16(b)*0x101)
	}
	return m
}

// grow extends b by n bytes, returning the longer slice.
func grow(b []byte, n int) []byte {
	if cap(b)-len(b) < n {
		nb := make([]byte, len(b), 2*cap(b)+n)
		copy(nb, b)
		b = nb
	}
	return b[:len(b)+n]
}
