package fb

import "image"

// MaxPixmapPixels bounds the size of one pixmap: 2²⁸ pixels, a gigabyte of
// storage. The protocol allows 65535×65535; a server must refuse such
// requests with an Alloc error rather than try.
const MaxPixmapPixels = 1 << 28

// NewPixmap returns a pixmap of the given size and depth with every pixel
// zero. It returns nil if a dimension is negative, the depth is not between
// 1 and 32, or the pixmap would exceed MaxPixmapPixels.
func NewPixmap(width, height, depth int) *Pixmap {
	if width < 0 || height < 0 || depth < 1 || depth > 32 {
		return nil
	}
	if width != 0 && height > MaxPixmapPixels/width {
		return nil
	}
	return &Pixmap{
		Width:  width,
		Height: height,
		Depth:  depth,
		Stride: width,
		Pix:    make([]uint32, width*height),
	}
}

// Bytes returns the memory the pixmap's pixels occupy, for accounting.
func (p *Pixmap) Bytes() int { return 4 * cap(p.Pix) }

// Bounds returns the pixmap's rectangle, with its origin at (0, 0).
func (p *Pixmap) Bounds() image.Rectangle { return image.Rect(0, 0, p.Width, p.Height) }

// At returns the pixel at (x, y), or 0 outside the pixmap.
func (p *Pixmap) At(x, y int) uint32 {
	if x < 0 || y < 0 || x >= p.Width || y >= p.Height {
		return 0
	}
	return p.Pix[y*p.Stride+x]
}

// Set sets the pixel at (x, y) to v masked to the depth, doing nothing
// outside the pixmap. It does not tell the Observer.
func (p *Pixmap) Set(x, y int, v uint32) {
	if x < 0 || y < 0 || x >= p.Width || y >= p.Height {
		return
	}
	p.Pix[y*p.Stride+x] = v & depthMask(p.Depth)
}

// row returns the pixels of row y from x0 to x1, which the caller has
// clipped to the pixmap.
func (p *Pixmap) row(y, x0, x1 int) []uint32 {
	o := y * p.Stride
	return p.Pix[o+x0 : o+x1 : o+x1]
}

// ok reports whether the pixmap's fields are consistent, so that drawing
// can index Pix without checking each access. A pixmap built by hand with
// too little storage is refused rather than allowed to panic.
func (p *Pixmap) ok() bool {
	return p != nil && p.Width >= 0 && p.Height >= 0 && p.Stride >= p.Width &&
		(p.Height == 0 || len(p.Pix) >= (p.Height-1)*p.Stride+p.Width)
}

// mask returns the depth's pixel mask.
func (p *Pixmap) mask() uint32 { return depthMask(p.Depth) }

// mod returns a mod m in [0, m), for m > 0.
func mod(a, m int) int {
	a %= m
	if a < 0 {
		a += m
	}
	return a
}
