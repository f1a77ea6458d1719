package pixelproto

import (
	"bufio"
	"errors"
	"fmt"
	"image"
	"io"
)

// A decoder reads the data of one rectangle in one encoding and draws it
// into the framebuffer. Decoders must treat the data as hostile: any
// inconsistency is an error, never a panic or an unbounded allocation.
type decoder interface {
	decode(d *decodeState, r image.Rectangle) error
}

// decoders are the encodings a Client understands, by number.
var decoders = map[Encoding]decoder{
	Raw:      rawDecoder{},
	CopyRect: copyRectDecoder{},
	RRE:      rreDecoder{},
	Hextile:  hextileDecoder{},
	TRLE:     trleDecoder{},
	ZRLE:     zrleDecoder{},
	Tight:    tightDecoder{},
}

// decodeState is a connection's decoding state: the stream, the pixel
// format, the zlib streams and scratch space.
type decodeState struct {
	r   *bufio.Reader
	pf  PixelFormat
	fb  *framebuffer
	z   [zCount]inflater
	buf []byte
	px  []uint32
}

var errRect = errors.New("rfb: rectangle outside the framebuffer")

// read returns the next n bytes of the stream, in scratch storage valid
// until the next call.
func (d *decodeState) read(n int) ([]byte, error) {
	if n > 64<<20 {
		return nil, fmt.Errorf("rfb: %d-byte read", n)
	}
	if cap(d.buf) < n {
		d.buf = make([]byte, n)
	}
	b := d.buf[:n]
	_, err := io.ReadFull(d.r, b)
	return b, err
}

func (d *decodeState) readByte() (byte, error) { return d.r.ReadByte() }

// pixels returns scratch space for n pixel values.
func (d *decodeState) pixels(n int) []uint32 {
	if cap(d.px) < n {
		d.px = make([]uint32, n)
	}
	return d.px[:n]
}

// A framebuffer is the client's copy of the server's pixels.
type framebuffer struct {
	img  *image.RGBA
	pf   PixelFormat
	cmap [256][3]uint8 // colour map, for a format without true colour
	// tables turn a colour field into 8 bits when its maximum is small.
	rt, gt, bt []uint8
	fast       bool // pf's wire bytes are R, G, B, X: the layout of img
}

func newFramebuffer(w, h int, pf PixelFormat) *framebuffer {
	fb := &framebuffer{img: image.NewRGBA(image.Rect(0, 0, w, h))}
	fb.setFormat(pf)
	for i := 3; i < len(fb.img.Pix); i += 4 {
		fb.img.Pix[i] = 0xff
	}
	return fb
}

func (fb *framebuffer) setFormat(pf PixelFormat) {
	fb.pf = pf
	fb.fast = pf.TrueColour && pf.BitsPerPixel == 32 && !pf.BigEndian && pf.RedMax == 255 &&
		pf.GreenMax == 255 && pf.BlueMax == 255 && pf.RedShift == 0 && pf.GreenShift == 8 && pf.BlueShift == 16
	table := func(max uint16) []uint8 {
		if max > 4095 {
			return nil
		}
		t := make([]uint8, int(max)+1)
		for i := range t {
			t[i] = expand(uint32(i), max)
		}
		return t
	}
	fb.rt, fb.gt, fb.bt = table(pf.RedMax), table(pf.GreenMax), table(pf.BlueMax)
}

func (fb *framebuffer) resize(w, h int) {
	old := fb.img
	fb.img = image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 3; i < len(fb.img.Pix); i += 4 {
		fb.img.Pix[i] = 0xff
	}
	copyImage(fb.img, old)
}

func copyImage(dst, src *image.RGBA) {
	r := dst.Bounds().Intersect(src.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		copy(dst.Pix[dst.PixOffset(r.Min.X, y):dst.PixOffset(r.Max.X, y)], src.Pix[src.PixOffset(r.Min.X, y):src.PixOffset(r.Max.X, y)])
	}
}

// rgba turns a pixel value into red, green and blue.
func (fb *framebuffer) rgba(p uint32) (r, g, b uint8) {
	pf := &fb.pf
	if !pf.TrueColour {
		c := fb.cmap[p&0xff]
		return c[0], c[1], c[2]
	}
	if fb.rt != nil && fb.gt != nil && fb.bt != nil {
		return fb.rt[p>>pf.RedShift&uint32(pf.RedMax)], fb.gt[p>>pf.GreenShift&uint32(pf.GreenMax)], fb.bt[p>>pf.BlueShift&uint32(pf.BlueMax)]
	}
	return pf.rgb(p)
}

// check reports an error unless r lies within the framebuffer.
func (fb *framebuffer) check(r image.Rectangle) error {
	b := fb.img.Rect
	if r.Min.X < b.Min.X || r.Min.Y < b.Min.Y || r.Max.X > b.Max.X || r.Max.Y > b.Max.Y || r.Min.X > r.Max.X || r.Min.Y > r.Max.Y {
		return errRect
	}
	return nil
}

// put draws pixel values, row-major, into r.
func (fb *framebuffer) put(r image.Rectangle, px []uint32) {
	w := r.Dx()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		o := fb.img.PixOffset(r.Min.X, y)
		row := fb.img.Pix[o : o+4*w]
		for i, p := range px[(y-r.Min.Y)*w : (y-r.Min.Y+1)*w] {
			row[4*i], row[4*i+1], row[4*i+2] = fb.rgba(p)
		}
	}
}

// putRaw draws pixels in wire form into r.
func (fb *framebuffer) putRaw(r image.Rectangle, b []byte) {
	w := r.Dx()
	if fb.fast {
		for y := r.Min.Y; y < r.Max.Y; y++ {
			o := fb.img.PixOffset(r.Min.X, y)
			row := fb.img.Pix[o : o+4*w]
			copy(row, b[(y-r.Min.Y)*4*w:])
			for i := 3; i < len(row); i += 4 {
				row[i] = 0xff
			}
		}
		return
	}
	bpp := fb.pf.bytesPerPixel()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		o := fb.img.PixOffset(r.Min.X, y)
		row := fb.img.Pix[o : o+4*w]
		src := b[(y-r.Min.Y)*bpp*w:]
		for i := range w {
			row[4*i], row[4*i+1], row[4*i+2] = fb.rgba(fb.pf.pixel(src[i*bpp:]))
		}
	}
}

// fill fills r with pixel value p.
func (fb *framebuffer) fill(r image.Rectangle, p uint32) {
	if r.Empty() {
		return
	}
	cr, cg, cb := fb.rgba(p)
	o := fb.img.PixOffset(r.Min.X, r.Min.Y)
	row := fb.img.Pix[o : o+4*r.Dx()]
	for i := 0; i < len(row); i += 4 {
		row[i], row[i+1], row[i+2], row[i+3] = cr, cg, cb, 0xff
	}
	for y := r.Min.Y + 1; y < r.Max.Y; y++ {
		copy(fb.img.Pix[fb.img.PixOffset(r.Min.X, y):], row)
	}
}

// copyRect copies the pixels at src to r, as memmove does.
func (fb *framebuffer) copyRect(r image.Rectangle, src image.Point) {
	w := 4 * r.Dx()
	if src.Y < r.Min.Y {
		for y := r.Dy() - 1; y >= 0; y-- {
			copy(fb.img.Pix[fb.img.PixOffset(r.Min.X, r.Min.Y+y):][:w], fb.img.Pix[fb.img.PixOffset(src.X, src.Y+y):][:w])
		}
		return
	}
	for y := 0; y < r.Dy(); y++ {
		copy(fb.img.Pix[fb.img.PixOffset(r.Min.X, r.Min.Y+y):][:w], fb.img.Pix[fb.img.PixOffset(src.X, src.Y+y):][:w])
	}
}
