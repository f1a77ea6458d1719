package fb

// Every raster operation, with its plane mask, reduces to
//
//	dst' = (dst AND ((src AND a1) XOR x1)) XOR ((src AND a2) XOR x2)
//
// for four masks that depend only on the function, the plane mask and the
// depth. Loops therefore apply one formula with no per-pixel branch on the
// function, and with a constant source (a solid fill) it shrinks further to
// dst' = (dst AND and) XOR xor.
//
// Derivation: for one bit, f(s, d) = (d AND A(s)) XOR X(s) with X(s) = f(s, 0)
// and A(s) = f(s, 0) XOR f(s, 1); each of A and X is a function of one bit,
// so A(s) = (s AND (A(0) XOR A(1))) XOR A(0), and likewise X. Planes outside
// the plane mask must keep dst: and = 1, xor = 0 there.

// rop holds the four masks of a raster operation.
type rop struct {
	a1, x1, a2, x2 uint32
}

// bit returns f(s, d) for one bit of function f. The protocol numbers the
// functions so that bit 3−(2s+d) of the number is the result.
func (f Func) bit(s, d uint32) uint32 {
	return uint32(f) >> (3 - (2*s + d)) & 1
}

// newRop returns the masks for function f restricted to the planes in
// planeMask of a pixmap of the given depth.
func newRop(f Func, planeMask uint32, depth int) rop {
	f &= 15
	ones := func(b uint32) uint32 { return -b } // 0 → 0, 1 → all ones
	A := func(s uint32) uint32 { return f.bit(s, 0) ^ f.bit(s, 1) }
	X := func(s uint32) uint32 { return f.bit(s, 0) }
	pm := planeMask & depthMask(depth)
	return rop{
		a1: ones(A(0)^A(1)) & pm,
		x1: ones(A(0)) | ^pm,
		a2: ones(X(0)^X(1)) & pm,
		x2: ones(X(0)) & pm,
	}
}

// apply returns the result of the operation on one pixel.
func (r rop) apply(src, dst uint32) uint32 {
	return dst&(src&r.a1^r.x1) ^ (src&r.a2 ^ r.x2)
}

// solid returns the operation with its source fixed to src.
func (r rop) solid(src uint32) solidRop {
	return solidRop{and: src&r.a1 ^ r.x1, xor: src&r.a2 ^ r.x2}
}

// A solidRop is a raster operation with a constant source.
type solidRop struct {
	and, xor uint32
}

// sets reports whether s stores xor in every pixel of the depth,
// whatever was there, as a copy of a solid colour through all planes
// does. (The planes above the depth are always zero.)
func sets(s solidRop, depth int) bool { return s.and&depthMask(depth) == 0 }

// noop reports whether the operation leaves dst unchanged.
func (s solidRop) noop() bool { return s.and == ^uint32(0) && s.xor == 0 }

// fillRow applies s to every pixel of row, which lies in p.
func (s solidRop) fillRow(p *Pixmap, row []uint32) {
	if sets(s, p.Depth) {
		p.fill(row, s.xor)
		return
	}
	and, xor := s.and, s.xor
	for i := range row {
		row[i] = row[i]&and ^ xor
	}
}

// minCopyFill is the shortest row that fill copies from a row of the
// value rather than storing pixel by pixel: the runtime's memmove stores
// 32 bytes at a time, which pays for its call from about 20 pixels on,
// and far more when the rows are not in the cache.
const minCopyFill = 20

// fill sets every pixel of row, which lies in p, to v.
func (p *Pixmap) fill(row []uint32, v uint32) {
	if len(row) < minCopyFill {
		fillShort(row, v)
		return
	}
	copy(row, p.solidRow(v, len(row)))
}

// fillRows sets the pixels x0 to x1 of rows y0 to y1 of p to v.
func (p *Pixmap) fillRows(y0, y1, x0, x1 int, v uint32) {
	n := x1 - x0
	if n < minCopyFill {
		for y := y0; y < y1; y++ {
			fillShort(p.row(y, x0, x1), v)
		}
		return
	}
	src := p.solidRow(v, n)
	for y := y0; y < y1; y++ {
		copy(p.row(y, x0, x1), src)
	}
}

// A solidRow is a row of pixels of value v, valid up to n, that solid
// fills copy from. A pixmap keeps two, for the foreground and background
// that requests often alternate between.
type solidRow struct {
	v   uint32
	n   int
	pix []uint32
}

// solidRow returns n pixels of value v, n at most the pixmap's width.
func (p *Pixmap) solidRow(v uint32, n int) []uint32 {
	c := &p.solid
	if c[0].v != v || c[0].n == 0 {
		c[0], c[1] = c[1], c[0]
		if c[0].v != v {
			c[0].v, c[0].n = v, 0 // reuse the older row's memory
		}
	}
	s := &c[0]
	if s.n >= n {
		return s.pix[:n]
	}
	if len(s.pix) < n {
		s.pix = make([]uint32, max(n, p.Width))
	}
	if s.n == 0 {
		s.n = min(n, 16)
		fillShort(s.pix[:s.n], v)
	}
	for s.n < n {
		s.n += copy(s.pix[s.n:n], s.pix[:s.n])
	}
	return s.pix[:n]
}

// fillRow sets every pixel of row to v.
func fillRow(row []uint32, v uint32) {
	if len(row) > 128 {
		// Long rows: seed some pixels and double them with copy, which
		// moves memory in wide words.
		fillShort(row[:16], v)
		for n := 16; n < len(row); n *= 2 {
			copy(row[n:], row[:n])
		}
		return
	}
	fillShort(row, v)
}

// fillShort sets every pixel of row to v, eight at a time.
func fillShort(row []uint32, v uint32) {
	for len(row) >= 8 {
		r := row[:8:8]
		r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7] = v, v, v, v, v, v, v, v
		row = row[8:]
	}
	for i := range row {
		row[i] = v
	}
}

// ropRow applies r to each pixel of dst with the pixel of src at the same
// index. src must be at least as long as dst.
func ropRow(dst, src []uint32, r rop) {
	src = src[:len(dst)]
	for i, s := range src {
		dst[i] = dst[i]&(s&r.a1^r.x1) ^ (s&r.a2 ^ r.x2)
	}
}

// bitRow paints each pixel of dst through fg where the matching entry of
// bits is non-zero and through bg elsewhere.
func bitRow(dst, bits []uint32, fg, bg solidRop) {
	bits = bits[:len(dst)]
	for i, b := range bits {
		s := bg
		if b != 0 {
			s = fg
		}
		dst[i] = dst[i]&s.and ^ s.xor
	}
}

// depthMask returns the mask of the bits a pixel of the depth uses.
func depthMask(depth int) uint32 {
	if depth >= 32 {
		return ^uint32(0)
	}
	if depth <= 0 {
		return 0
	}
	return 1<<uint(depth) - 1
}
