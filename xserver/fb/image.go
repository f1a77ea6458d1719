package fb

import (
	"encoding/binary"
	"fmt"
	"image"
)

// ImageFormat is the layout of image data, numbered as the protocol numbers
// it.
type ImageFormat uint8

const (
	// Bitmap is one plane of bits: 1 selects the foreground, 0 the
	// background.
	Bitmap ImageFormat = iota
	// XYPixmap is one bitmap per plane, most significant plane first, with
	// no padding between planes.
	XYPixmap
	// ZPixmap is pixel values one after another, BitsPerPixel each.
	ZPixmap
)

func (f ImageFormat) String() string {
	switch f {
	case Bitmap:
		return "Bitmap"
	case XYPixmap:
		return "XYPixmap"
	case ZPixmap:
		return "ZPixmap"
	}
	return fmt.Sprintf("ImageFormat(%d)", uint8(f))
}

// An Image is image data as a client sends or receives it, described in the
// terms of the protocol's connection setup but independent of it.
type Image struct {
	Format        ImageFormat
	Width, Height int
	Depth         int // 1 for Bitmap
	// BitsPerPixel is the size of a pixel in ZPixmap format: 1, 4, 8, 16,
	// 24 or 32, at least Depth. GetImage chooses one from the depth when it
	// is 0.
	BitsPerPixel int
	// LeftPad is the number of bits to skip at the start of each scanline
	// of a Bitmap or XYPixmap image. It must be 0 for ZPixmap.
	LeftPad int
	// Stride is the number of bytes from one scanline to the next, padding
	// included. PutImage computes it from ScanlinePad when it is 0;
	// GetImage always sets it.
	Stride int
	// ScanlinePad is the multiple of bits scanlines are padded to: 8, 16
	// or 32; 0 means 32.
	ScanlinePad int
	// ScanlineUnit is the size in bits of the units bits are grouped in for
	// Bitmap, XYPixmap and 1-bit ZPixmap data: 8, 16 or 32; 0 means 32.
	ScanlineUnit int
	// BitLSBFirst says the leftmost pixel of a unit is its least
	// significant bit (the protocol's bitmap-bit-order LeastSignificant).
	BitLSBFirst bool
	// ByteLSBFirst says units of XY data and pixels of Z data are stored
	// least significant byte first (image-byte-order LSBFirst). For 4 bits
	// per pixel it says the leftmost pixel is in the low nibble.
	ByteLSBFirst bool
	Data         []byte
}

// layout is an Image's geometry, checked.
type layout struct {
	stride   int // bytes per scanline
	planes   int // bitmaps in the data: Depth for XYPixmap, else 1
	rowBytes int // bytes of a scanline that hold pixels
	bits     bitOrder
	bpp      int // ZPixmap only
}

// Layout checks the image's description and returns the size its data must
// have: Stride × Height bytes per plane (Depth planes for XYPixmap, one
// otherwise). It fills in Stride if it is 0. It does not look at Data.
func (img *Image) Layout() (size int, err error) {
	l, err := img.layout()
	if err != nil {
		return 0, err
	}
	img.Stride = l.stride
	return l.stride * img.Height * l.planes, nil
}

// maxImageBytes bounds the data an Image may describe, far above what one
// protocol request can carry, so that size arithmetic cannot overflow.
const maxImageBytes = 1 << 40

func (img *Image) layout() (layout, error) {
	if l, ok := img.ownLayout(); ok {
		return l, nil
	}
	return img.anyLayout()
}

// ownLayout is layout for the server's own format, which nearly every
// image is in (ZPixmap, 32 bits a pixel, 32-bit units and padding): what
// anyLayout works out, without working it out. ok is false for other
// images, valid or not.
func (img *Image) ownLayout() (l layout, ok bool) {
	if img.Format != ZPixmap || img.BitsPerPixel != 32 || img.Depth < 1 || img.Depth > 32 || img.LeftPad != 0 ||
		uint(img.Width) > 1<<20 || uint(img.Height) > 1<<20 ||
		img.ScanlinePad != 0 && img.ScanlinePad != 32 || img.ScanlineUnit != 0 && img.ScanlineUnit != 32 {
		return l, false
	}
	l.stride = img.Stride
	if l.stride == 0 {
		l.stride = 4 * img.Width
	}
	if l.stride < 4*img.Width || l.stride > maxImageBytes/max(img.Height, 1) {
		return l, false
	}
	l.planes, l.rowBytes, l.bpp = 1, 4*img.Width, 32
	l.bits = newBitOrder(32, img.BitLSBFirst, img.ByteLSBFirst)
	return l, true
}

func (img *Image) anyLayout() (layout, error) {
	var l layout
	if img.Width < 0 || img.Height < 0 || img.Width > 1<<20 || img.Height > 1<<20 {
		return l, fmt.Errorf("fb: image size %dx%d out of range", img.Width, img.Height)
	}
	unit, err := unitSize(img.ScanlineUnit, "scanline unit")
	if err != nil {
		return l, err
	}
	pad, err := unitSize(img.ScanlinePad, "scanline pad")
	if err != nil {
		return l, err
	}
	l.bits = newBitOrder(unit, img.BitLSBFirst, img.ByteLSBFirst)
	var rowBits int // bits of a scanline, before padding
	switch img.Format {
	case Bitmap, XYPixmap:
		if img.Format == Bitmap && img.Depth != 1 {
			return l, fmt.Errorf("fb: Bitmap image of depth %d", img.Depth)
		}
		if img.Depth < 1 || img.Depth > 32 {
			return l, fmt.Errorf("fb: image depth %d", img.Depth)
		}
		if img.LeftPad < 0 || img.LeftPad > 255 {
			return l, fmt.Errorf("fb: image left pad %d", img.LeftPad)
		}
		l.planes = 1
		if img.Format == XYPixmap {
			l.planes = img.Depth
		}
		rowBits = img.LeftPad + img.Width
		l.rowBytes = (rowBits + unit - 1) / unit * unit / 8
	case ZPixmap:
		switch img.BitsPerPixel {
		case 1, 4, 8, 16, 24, 32:
		default:
			return l, fmt.Errorf("fb: ZPixmap image of %d bits per pixel", img.BitsPerPixel)
		}
		if img.Depth < 1 || img.Depth > img.BitsPerPixel {
			return l, fmt.Errorf("fb: ZPixmap image of depth %d at %d bits per pixel", img.Depth, img.BitsPerPixel)
		}
		if img.LeftPad != 0 {
			return l, fmt.Errorf("fb: ZPixmap image with left pad %d", img.LeftPad)
		}
		l.planes = 1
		l.bpp = img.BitsPerPixel
		rowBits = img.Width * l.bpp
		if l.bpp == 1 {
			l.rowBytes = (rowBits + unit - 1) / unit * unit / 8
		} else {
			l.rowBytes = (rowBits + 7) / 8
		}
	default:
		return l, fmt.Errorf("fb: image format %d", img.Format)
	}
	l.stride = img.Stride
	if l.stride == 0 {
		l.stride = (rowBits + pad - 1) / pad * pad / 8
		l.stride = max(l.stride, l.rowBytes)
	}
	if l.stride < l.rowBytes || l.stride > maxImageBytes/(max(img.Height, 1)*l.planes) {
		return l, fmt.Errorf("fb: image stride %d for %d bytes of pixels per scanline", l.stride, l.rowBytes)
	}
	return l, nil
}

func unitSize(n int, what string) (int, error) {
	switch n {
	case 0:
		return 32, nil
	case 8, 16, 32:
		return n, nil
	}
	return 0, fmt.Errorf("fb: %s of %d bits", what, n)
}

// A bitOrder locates the bit of pixel x in a scanline of XY data.
type bitOrder struct {
	unit            int // bits
	bitLSB, byteLSB bool
}

func newBitOrder(unit int, bitLSB, byteLSB bool) bitOrder {
	return bitOrder{unit: unit, bitLSB: bitLSB, byteLSB: byteLSB}
}

// locate returns the byte of the scanline holding pixel x's bit, and the
// bit's position in it. Within a unit of u bits, pixel k is bit k (LSB
// first) or bit u−1−k (MSB first) of the unit's value, and the byte holding
// bit p is byte p/8 of the value, stored first (LSB first) or last.
func (o bitOrder) locate(x int) (int, uint) {
	if o.bitLSB == o.byteLSB || o.unit == 8 {
		// Then units play no part: the bytes and bits run in one order.
		if o.bitLSB {
			return x >> 3, uint(x & 7)
		}
		return x >> 3, uint(7 - x&7)
	}
	u := o.unit
	k := x & (u - 1)
	p := k
	if !o.bitLSB {
		p = u - 1 - k
	}
	b := p >> 3
	if !o.byteLSB {
		b = u/8 - 1 - b
	}
	return x/u*(u/8) + b, uint(p & 7)
}

// readBits sets out[i] to the bit of pixel x+i, 0 or 1.
func (o bitOrder) readBits(row []byte, x int, out []uint32) {
	if o.bitLSB && (o.byteLSB || o.unit == 8) {
		for i := range out {
			xi := x + i
			out[i] = uint32(row[xi>>3]>>uint(xi&7)) & 1
		}
		return
	}
	for i := range out {
		b, s := o.locate(x + i)
		out[i] = uint32(row[b]>>s) & 1
	}
}

// orBits shifts out[i] left one bit and adds the bit of pixel x+i.
func (o bitOrder) orBits(row []byte, x int, out []uint32) {
	for i := range out {
		b, s := o.locate(x + i)
		out[i] = out[i]<<1 | uint32(row[b]>>s)&1
	}
}

// writeBits sets the bit of pixel i of row, which is zero, to bit plane of
// px[i].
func (o bitOrder) writeBits(row []byte, px []uint32, plane uint) {
	for i, v := range px {
		if v>>plane&1 != 0 {
			b, s := o.locate(i)
			row[b] |= 1 << s
		}
	}
}

// readZ sets out[i] to pixel x+i of a ZPixmap scanline.
func readZ(row []byte, x int, out []uint32, l *layout, lsb bool) {
	switch l.bpp {
	case 1:
		l.bits.readBits(row, x, out)
	case 4:
		for i := range out {
			xi := x + i
			s := uint(xi&1) * 4 // the second pixel of a byte
			if !lsb {
				s = 4 - s
			}
			out[i] = uint32(row[xi>>1]>>s) & 15
		}
	case 8:
		for i, b := range row[x : x+len(out)] {
			out[i] = uint32(b)
		}
	case 16:
		row = row[2*x : 2*(x+len(out))]
		if lsb {
			for i := range out {
				out[i] = uint32(binary.LittleEndian.Uint16(row[2*i:]))
			}
		} else {
			for i := range out {
				out[i] = uint32(binary.BigEndian.Uint16(row[2*i:]))
			}
		}
	case 24:
		row = row[3*x : 3*(x+len(out))]
		for i := range out {
			b := row[3*i : 3*i+3]
			if lsb {
				out[i] = uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16
			} else {
				out[i] = uint32(b[2]) | uint32(b[1])<<8 | uint32(b[0])<<16
			}
		}
	case 32:
		row = row[4*x : 4*(x+len(out))]
		if lsb {
			for i := range out {
				out[i] = binary.LittleEndian.Uint32(row[4*i:])
			}
		} else {
			for i := range out {
				out[i] = binary.BigEndian.Uint32(row[4*i:])
			}
		}
	}
}

// writeZ stores px as a ZPixmap scanline into row, which is zero.
func writeZ(row []byte, px []uint32, l *layout, lsb bool) {
	switch l.bpp {
	case 1:
		l.bits.writeBits(row, px, 0)
	case 4:
		for i, v := range px {
			s := uint(i&1) * 4
			if !lsb {
				s = 4 - s
			}
			row[i>>1] |= byte(v&15) << s
		}
	case 8:
		for i, v := range px {
			row[i] = byte(v)
		}
	case 16:
		for i, v := range px {
			if lsb {
				binary.LittleEndian.PutUint16(row[2*i:], uint16(v))
			} else {
				binary.BigEndian.PutUint16(row[2*i:], uint16(v))
			}
		}
	case 24:
		for i, v := range px {
			b := row[3*i : 3*i+3]
			if lsb {
				b[0], b[1], b[2] = byte(v), byte(v>>8), byte(v>>16)
			} else {
				b[0], b[1], b[2] = byte(v>>16), byte(v>>8), byte(v)
			}
		}
	case 32:
		if lsb {
			for i, v := range px {
				binary.LittleEndian.PutUint32(row[4*i:], v)
			}
		} else {
			for i, v := range px {
				binary.BigEndian.PutUint32(row[4*i:], v)
			}
		}
	}
}

// PutImage draws img with its top-left corner at dst, in drawable
// coordinates, through the GC's function and plane mask, clipped to c.Clip
// and the pixmap. A Bitmap image paints the foreground where its bits are 1
// and the background where they are 0, whatever the fill style; XYPixmap and
// ZPixmap images must have the pixmap's depth.
//
// It returns an error, drawing nothing, if the image's description is
// inconsistent or its data too short.
func PutImage(c Canvas, gc *GC, img *Image, dst image.Point) error {
	p := c.Pixmap
	if !p.ok() || gc == nil || img == nil {
		return fmt.Errorf("fb: PutImage without a pixmap, GC or image")
	}
	l, err := img.layout()
	if err != nil {
		return err
	}
	if img.Format != Bitmap && img.Depth != p.Depth {
		return fmt.Errorf("fb: %v image of depth %d on a pixmap of depth %d", img.Format, img.Depth, p.Depth)
	}
	if need := l.stride * img.Height * l.planes; len(img.Data) < need {
		return fmt.Errorf("fb: %dx%d %v image needs %d bytes, has %d", img.Width, img.Height, img.Format, need, len(img.Data))
	}
	area := image.Rect(0, 0, img.Width, img.Height).Add(dst).Add(c.Origin)
	vis := area.Intersect(p.Bounds())
	if vis.Empty() {
		return nil
	}
	r := newRop(gc.Func, gc.PlaneMask, p.Depth)
	if r == (rop{x1: ^uint32(0)}) {
		return nil // changes nothing
	}
	mask := p.mask()
	plain := gc.Func == FuncCopy && gc.PlaneMask&mask == mask
	fg, bg := r.solid(gc.Foreground), r.solid(gc.Background)
	planeSize := l.stride * img.Height
	// Only formats other than the server's own need a row of pixels
	// decoded first; the usual small image should not allocate one.
	direct := img.Format == ZPixmap && plain && l.bpp == 32 && img.ByteLSBFirst
	var buf []uint32
	if !direct {
		buf = make([]uint32, vis.Dx())
	}
	dmg := damage{obs: p.Observer}

	draw := func(piece image.Rectangle) {
		ix := piece.Min.X - area.Min.X
		n := piece.Dx()
		if direct {
			// The server's own format: straight in.
			for y := piece.Min.Y; y < piece.Max.Y; y++ {
				drow := p.row(y, piece.Min.X, piece.Max.X)
				src := img.Data[(y-area.Min.Y)*l.stride+4*ix:][:4*n]
				decodeRow(drow, src, mask)
			}
			dmg.add(piece)
			return
		}
		px := buf[:n]
		for y := piece.Min.Y; y < piece.Max.Y; y++ {
			iy := y - area.Min.Y
			drow := p.row(y, piece.Min.X, piece.Max.X)
			data := img.Data[iy*l.stride:]
			switch img.Format {
			case Bitmap:
				l.bits.readBits(data, img.LeftPad+ix, px)
				bitRow(drow, px, fg, bg)
				continue
			case XYPixmap:
				clear(px)
				for plane := 0; plane < l.planes; plane++ {
					l.bits.orBits(img.Data[plane*planeSize+iy*l.stride:], img.LeftPad+ix, px)
				}
			case ZPixmap:
				readZ(data, ix, px, &l, img.ByteLSBFirst)
			}
			if plain {
				for i, v := range px {
					drow[i] = v & mask
				}
			} else {
				ropRow(drow, px, r)
			}
		}
		dmg.add(piece)
	}
	if c.Clip == nil {
		draw(vis)
	} else {
		for _, cr := range c.Clip.From(vis.Min.Y) {
			if cr.Min.Y >= vis.Max.Y {
				break
			}
			if piece := vis.Intersect(cr); !piece.Empty() {
				draw(piece)
			}
		}
	}
	dmg.flush()
	return nil
}

// GetImage reads the rectangle r of p, in pixmap coordinates, into out in
// the given format, as the GetImage request does: for XYPixmap, only the
// planes in planeMask, most significant first; for ZPixmap, every pixel
// with the planes outside planeMask zero.
//
// The caller sets the layout in out: ByteLSBFirst, BitLSBFirst,
// ScanlineUnit and ScanlinePad (0 meaning 32), and for ZPixmap
// BitsPerPixel (0 choosing the smallest of 1, 4, 8, 16 and 32 that holds
// the depth). GetImage sets the rest, reusing out.Data's storage; pad bits
// are zero. It returns an error if r is not inside p or the layout is
// invalid.
func GetImage(p *Pixmap, r image.Rectangle, format ImageFormat, planeMask uint32, out *Image) error {
	if !p.ok() || out == nil {
		return fmt.Errorf("fb: GetImage without a pixmap or image")
	}
	if r.Dx() < 0 || r.Dy() < 0 || !r.Empty() && !r.In(p.Bounds()) {
		return fmt.Errorf("fb: GetImage of %v outside the %dx%d pixmap", r, p.Width, p.Height)
	}
	if format != XYPixmap && format != ZPixmap {
		return fmt.Errorf("fb: GetImage in format %v", format)
	}
	mask := p.mask()
	planeMask &= mask
	out.Format = format
	out.Width, out.Height = r.Dx(), r.Dy()
	out.Depth = p.Depth
	out.LeftPad = 0
	out.Stride = 0
	planes := 1
	if format == ZPixmap {
		if out.BitsPerPixel == 0 {
			out.BitsPerPixel = bitsPerPixel(p.Depth)
		}
	} else {
		planes = 0
		for b := planeMask; b != 0; b &= b - 1 {
			planes++
		}
	}
	// Layout checks an XYPixmap as though it had Depth planes; the data
	// holds only the planes asked for.
	l, err := out.layout()
	if err != nil {
		return err
	}
	out.Stride = l.stride
	size := l.stride * out.Height * planes
	// The server's own format fills every byte; others leave pad bits to
	// be zero.
	fast := format == ZPixmap && l.bpp == 32 && out.ByteLSBFirst && l.stride == 4*out.Width
	if cap(out.Data) >= size {
		out.Data = out.Data[:size]
		if !fast {
			clear(out.Data)
		}
	} else {
		out.Data = make([]byte, size)
	}
	if size == 0 {
		return nil
	}
	planeSize := l.stride * out.Height
	var px []uint32
	if !fast {
		px = make([]uint32, out.Width)
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		src := p.row(y, r.Min.X, r.Max.X)
		data := out.Data[(y-r.Min.Y)*l.stride:]
		if format == ZPixmap {
			if fast {
				encodeRow(data[:4*len(src)], src, planeMask)
				continue
			}
			for i, v := range src {
				px[i] = v & planeMask
			}
			writeZ(data, px, &l, out.ByteLSBFirst)
			continue
		}
		n := 0
		for plane := p.Depth - 1; plane >= 0; plane-- {
			if planeMask>>uint(plane)&1 != 0 {
				l.bits.writeBits(out.Data[n*planeSize+(y-r.Min.Y)*l.stride:], src, uint(plane))
				n++
			}
		}
	}
	return nil
}

// decodeRow sets dst to the little-endian 32-bit pixels of src, masked.
// Four pixels a step, each step checking its bounds once, is twice as
// fast as one: this is PutImage's inner loop in the server's own format.
func decodeRow(dst []uint32, src []byte, mask uint32) {
	src = src[:4*len(dst)]
	// Two pixels a load: the mask is applied to both at once.
	m := uint64(mask) | uint64(mask)<<32
	for len(dst) >= 4 {
		s, d := src[:16:16], dst[:4:4]
		a := binary.LittleEndian.Uint64(s[0:]) & m
		b := binary.LittleEndian.Uint64(s[8:]) & m
		d[0], d[1], d[2], d[3] = uint32(a), uint32(a>>32), uint32(b), uint32(b>>32)
		src, dst = src[16:], dst[4:]
	}
	if len(dst) >= 2 {
		a := binary.LittleEndian.Uint64(src) & m
		dst[0], dst[1] = uint32(a), uint32(a>>32)
		src, dst = src[8:], dst[2:]
	}
	if len(dst) == 1 {
		dst[0] = binary.LittleEndian.Uint32(src) & mask
	}
}

// encodeRow is decodeRow's inverse, for GetImage: dst gets the pixels of
// src, masked, as little-endian 32-bit values.
func encodeRow(dst []byte, src []uint32, mask uint32) {
	dst = dst[:4*len(src)]
	for len(src) >= 4 {
		s, d := src[:4:4], dst[:16:16]
		binary.LittleEndian.PutUint32(d[0:], s[0]&mask)
		binary.LittleEndian.PutUint32(d[4:], s[1]&mask)
		binary.LittleEndian.PutUint32(d[8:], s[2]&mask)
		binary.LittleEndian.PutUint32(d[12:], s[3]&mask)
		src, dst = src[4:], dst[16:]
	}
	for i, v := range src {
		binary.LittleEndian.PutUint32(dst[4*i:], v&mask)
	}
}

// bitsPerPixel returns the smallest Z format size that holds the depth.
func bitsPerPixel(depth int) int {
	switch {
	case depth <= 1:
		return 1
	case depth <= 4:
		return 4
	case depth <= 8:
		return 8
	case depth <= 16:
		return 16
	}
	return 32
}
