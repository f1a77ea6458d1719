// Package region implements sets of pixels as X servers keep them: lists of
// non-overlapping rectangles in y-x banded order.
//
// A region's rectangles are grouped in bands. All rectangles of a band have
// the same top and bottom; bands are sorted top to bottom and do not overlap;
// rectangles in a band are sorted left to right and neither overlap nor
// touch. Two bands that touch vertically never have identical x extents
// (they are coalesced into one). This form is canonical: two regions hold the
// same pixels exactly when they hold the same rectangles, so Equal is a
// comparison of lists.
//
// Operations follow math/big: the receiver holds the result, operands may be
// the receiver itself, and the receiver is returned so calls can be chained.
// A Region must not be copied by value once used; use Set or Clone.
//
// Coordinates are ints; operations do not check for overflow, so callers
// keep coordinates well inside the int range (the X protocol's 16-bit
// coordinates always are).
package region

import "image"

// A Region is a set of pixels. The zero value is the empty region.
type Region struct {
	rects  []image.Rectangle // banded; nil or empty when the region is empty
	bounds image.Rectangle   // extents of rects; zero when empty
	spare  []image.Rectangle // storage for the next operation's result
}

// Overlap says how a rectangle and a region relate.
type Overlap int

const (
	Out     Overlap = iota // no pixel of the rectangle is in the region
	In                     // every pixel of the rectangle is in the region
	Partial                // some pixels are in the region, some are not
)

func (o Overlap) String() string {
	switch o {
	case Out:
		return "Out"
	case In:
		return "In"
	case Partial:
		return "Partial"
	}
	return "Overlap(?)"
}

// New returns the union of the rectangles.
func New(rs ...image.Rectangle) *Region {
	z := new(Region)
	switch len(rs) {
	case 0:
		return z
	case 1:
		return z.SetRect(rs[0])
	}
	// Union pairs, then pairs of pairs: O(n log n) merging rather than the
	// O(n²) of adding rectangles one at a time.
	parts := make([]*Region, 0, len(rs))
	for _, r := range rs {
		if !r.Empty() {
			parts = append(parts, Rect(r))
		}
	}
	if len(parts) == 0 {
		return z
	}
	for len(parts) > 1 {
		n := 0
		for i := 0; i < len(parts); i += 2 {
			if i+1 < len(parts) {
				parts[i].Union(parts[i], parts[i+1])
			}
			parts[n] = parts[i]
			n++
		}
		parts = parts[:n]
	}
	return parts[0]
}

// Rect returns the region holding the pixels of r.
func Rect(r image.Rectangle) *Region {
	return new(Region).SetRect(r)
}

// Set sets z to a and returns z.
func (z *Region) Set(a *Region) *Region {
	if z == a {
		return z
	}
	z.rects = append(z.rects[:0], a.rects...)
	z.bounds = a.bounds
	return z
}

// SetRect sets z to the pixels of r and returns z.
func (z *Region) SetRect(r image.Rectangle) *Region {
	if r.Empty() {
		return z.Clear()
	}
	z.rects = append(z.rects[:0], r)
	z.bounds = r
	return z
}

// Clear empties z and returns it. Storage is kept for reuse.
func (z *Region) Clear() *Region {
	z.rects = z.rects[:0]
	z.bounds = image.Rectangle{}
	return z
}

// Clone returns a new region holding the same pixels as r.
func (r *Region) Clone() *Region {
	z := &Region{bounds: r.bounds}
	if len(r.rects) > 0 {
		z.rects = append([]image.Rectangle(nil), r.rects...)
	}
	return z
}

// Rects returns the rectangles of r in banded order. The slice belongs to r:
// the caller must not modify it, and it is valid only until r next changes.
func (r *Region) Rects() []image.Rectangle { return r.rects }

// Bounds returns the smallest rectangle holding r, or the zero rectangle
// when r is empty.
func (r *Region) Bounds() image.Rectangle { return r.bounds }

// Empty reports whether r holds no pixels.
func (r *Region) Empty() bool { return len(r.rects) == 0 }

// Len returns the number of rectangles in r.
func (r *Region) Len() int { return len(r.rects) }

// Equal reports whether r and o hold the same pixels.
func (r *Region) Equal(o *Region) bool {
	if len(r.rects) != len(o.rects) {
		return false
	}
	for i := range r.rects {
		if r.rects[i] != o.rects[i] {
			return false
		}
	}
	return true
}

// Row returns the rectangles of r that cross row y, left to right. The slice
// belongs to r, as with Rects. It finds the band by binary search.
func (r *Region) Row(y int) []image.Rectangle {
	rs := r.rects
	if len(rs) == 0 || y < r.bounds.Min.Y || y >= r.bounds.Max.Y {
		return nil
	}
	i := below(rs, y)
	if i == len(rs) || rs[i].Min.Y > y {
		return nil
	}
	return rs[i:bandEnd(rs, i)]
}

// From returns the rectangles of r from the first band that reaches below
// row y to the end, in banded order. Drawing code uses it to visit the
// rectangles that may overlap rows y and beyond. The slice belongs to r, as
// with Rects.
func (r *Region) From(y int) []image.Rectangle {
	return r.rects[below(r.rects, y):]
}

// below returns the index of the first rectangle in rs whose bottom is below
// row y, or len(rs). Bottoms never decrease in banded order.
func below(rs []image.Rectangle, y int) int {
	lo, hi := 0, len(rs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if rs[m].Max.Y > y {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// Contains reports whether the pixel at p is in r.
func (r *Region) Contains(p image.Point) bool {
	if !p.In(r.bounds) {
		return false
	}
	band := r.Row(p.Y)
	lo, hi := 0, len(band)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if band[m].Max.X > p.X {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo < len(band) && band[lo].Min.X <= p.X
}

// Overlap reports whether rect lies wholly inside r (In), wholly outside it
// (Out), or across its edge (Partial). An empty rect is Out.
func (r *Region) Overlap(rect image.Rectangle) Overlap {
	if rect.Empty() || !rect.Overlaps(r.bounds) {
		return Out
	}
	if len(r.rects) == 1 {
		if rect.In(r.bounds) {
			return In
		}
		return Partial
	}
	rs := r.rects
	partIn, partOut := false, false
	y := rect.Min.Y // rows above y are accounted for
	i := below(rs, rect.Min.Y)
	for i < len(rs) && rs[i].Min.Y < rect.Max.Y {
		j := bandEnd(rs, i)
		if rs[i].Min.Y > y {
			partOut = true // rows between bands are outside
		}
		covered := false
		for _, b := range rs[i:j] {
			if b.Max.X <= rect.Min.X {
				continue
			}
			if b.Min.X >= rect.Max.X {
				break
			}
			partIn = true
			if b.Min.X <= rect.Min.X && b.Max.X >= rect.Max.X {
				covered = true
			}
		}
		if !covered {
			partOut = true
		}
		if partIn && partOut {
			return Partial
		}
		y = rs[i].Max.Y
		i = j
	}
	if y < rect.Max.Y {
		partOut = true
	}
	switch {
	case !partIn:
		return Out
	case partOut:
		return Partial
	}
	return In
}

// Translate moves z by (dx, dy) and returns z.
func (z *Region) Translate(dx, dy int) *Region {
	if len(z.rects) == 0 || dx == 0 && dy == 0 {
		return z
	}
	d := image.Pt(dx, dy)
	for i := range z.rects {
		z.rects[i] = z.rects[i].Add(d)
	}
	z.bounds = z.bounds.Add(d)
	return z
}

// Union sets z to a ∪ b and returns z.
func (z *Region) Union(a, b *Region) *Region {
	switch {
	case len(a.rects) == 0:
		return z.Set(b)
	case len(b.rects) == 0 || a == b:
		return z.Set(a)
	case len(a.rects) == 1 && b.bounds.In(a.bounds):
		return z.SetRect(a.bounds)
	case len(b.rects) == 1 && a.bounds.In(b.bounds):
		return z.SetRect(b.bounds)
	case a.bounds.Max.Y <= b.bounds.Min.Y:
		return z.concat(a, b)
	case b.bounds.Max.Y <= a.bounds.Min.Y:
		return z.concat(b, a)
	}
	return z.op(a.rects, b.rects, opUnion)
}

// Intersect sets z to a ∩ b and returns z.
func (z *Region) Intersect(a, b *Region) *Region {
	switch {
	case len(a.rects) == 0 || len(b.rects) == 0 || !a.bounds.Overlaps(b.bounds):
		return z.Clear()
	case a == b:
		return z.Set(a)
	case len(a.rects) == 1:
		return z.IntersectRect(b, a.bounds)
	case len(b.rects) == 1:
		return z.IntersectRect(a, b.bounds)
	}
	return z.op(a.rects, b.rects, opIntersect)
}

// Subtract sets z to a − b, the pixels of a not in b, and returns z.
func (z *Region) Subtract(a, b *Region) *Region {
	switch {
	case len(a.rects) == 0 || a == b:
		return z.Clear()
	case len(b.rects) == 0 || !a.bounds.Overlaps(b.bounds):
		return z.Set(a)
	case len(b.rects) == 1 && a.bounds.In(b.bounds):
		return z.Clear()
	}
	return z.op(a.rects, b.rects, opSubtract)
}

// UnionRect sets z to a ∪ r and returns z.
func (z *Region) UnionRect(a *Region, r image.Rectangle) *Region {
	if r.Empty() {
		return z.Set(a)
	}
	switch {
	case len(a.rects) == 0 || a.bounds.In(r):
		return z.SetRect(r)
	case len(a.rects) == 1 && r.In(a.bounds):
		return z.SetRect(a.bounds)
	case a.bounds.Max.Y <= r.Min.Y:
		// The common case of damage accumulating down the screen: r adds
		// a band at the end.
		z.Set(a)
		z.rects = append(z.rects, r)
		z.bounds = z.bounds.Union(r)
		if n := len(z.rects); n > 1 {
			z.rects = z.rects[:coalesce(z.rects, bandStart(z.rects, n-2), n-1, n)]
		}
		return z
	}
	rb := [1]image.Rectangle{r}
	return z.op(a.rects, rb[:], opUnion)
}

// IntersectRect sets z to a ∩ r and returns z.
func (z *Region) IntersectRect(a *Region, r image.Rectangle) *Region {
	r = r.Intersect(a.bounds)
	if r.Empty() {
		return z.Clear()
	}
	if r == a.bounds {
		return z.Set(a)
	}
	if len(a.rects) == 1 {
		return z.SetRect(r)
	}
	// Clip band by band. Clipping x can make neighbouring bands identical,
	// so bands are coalesced as they are added.
	src := a.rects
	out := z.spare[:0]
	prev := -1 // start of the previous band in out
	i := below(src, r.Min.Y)
	for i < len(src) && src[i].Min.Y < r.Max.Y {
		j := bandEnd(src, i)
		top, bot := max(src[i].Min.Y, r.Min.Y), min(src[i].Max.Y, r.Max.Y)
		cur := len(out)
		for _, s := range src[i:j] {
			x0, x1 := max(s.Min.X, r.Min.X), min(s.Max.X, r.Max.X)
			if x0 < x1 {
				out = append(out, image.Rect(x0, top, x1, bot))
			}
		}
		if len(out) > cur {
			n := coalesce(out, prev, cur, len(out))
			if n < len(out) {
				out = out[:n]
			} else {
				prev = cur
			}
		}
		i = j
	}
	return z.finish(out)
}

// SubtractRect sets z to a − r and returns z.
func (z *Region) SubtractRect(a *Region, r image.Rectangle) *Region {
	if r.Empty() || !r.Overlaps(a.bounds) {
		return z.Set(a)
	}
	if a.bounds.In(r) {
		return z.Clear()
	}
	rb := [1]image.Rectangle{r}
	return z.op(a.rects, rb[:], opSubtract)
}

// concat sets z to the union of a and b, where a lies wholly above b.
func (z *Region) concat(a, b *Region) *Region {
	out := append(z.spare[:0], a.rects...)
	// Only the last band of a and the first of b may coalesce.
	out = appendBands(out, bandStart(out, len(out)-1), b.rects)
	return z.finish(out)
}

// finish makes out z's rectangles, keeping the old ones as spare storage,
// and recomputes the bounds.
func (z *Region) finish(out []image.Rectangle) *Region {
	z.spare = z.rects[:0]
	z.rects = out
	z.bounds = image.Rectangle{}
	if len(out) > 0 {
		x0, x1 := out[0].Min.X, out[0].Max.X
		for _, r := range out[1:] {
			x0 = min(x0, r.Min.X)
			x1 = max(x1, r.Max.X)
		}
		z.bounds = image.Rect(x0, out[0].Min.Y, x1, out[len(out)-1].Max.Y)
	}
	return z
}

type opKind int

const (
	opUnion opKind = iota
	opIntersect
	opSubtract
)

// op sets z to the result of combining the banded lists a and b. It sweeps
// down both lists at once: each step covers the rows from y to the next
// place where either operand's band starts or ends, merges the x extents of
// the bands active there, and appends the result as a band, coalescing it
// with the previous one when their x extents match. The work is linear in
// the number of rectangles.
func (z *Region) op(a, b []image.Rectangle, kind opKind) *Region {
	out := z.spare[:0]
	prev := -1
	ia, ib := 0, 0
	// Bands wholly above the other operand pass through a union or
	// subtraction unchanged and drop out of an intersection: skip them, and
	// copy them in bulk when they are kept.
	if k := below(a, b[0].Min.Y); k > 0 {
		if kind != opIntersect {
			out = append(out, a[:k]...)
			prev = bandStart(out, k-1)
		}
		ia = k
	} else if k := below(b, a[0].Min.Y); k > 0 {
		if kind == opUnion {
			out = append(out, b[:k]...)
			prev = bandStart(out, k-1)
		}
		ib = k
	}
	y := min(a[0].Min.Y, b[0].Min.Y)
	if ia > 0 {
		y = a[ia-1].Max.Y
	} else if ib > 0 {
		y = b[ib-1].Max.Y
	}
	for ia < len(a) || ib < len(b) {
		// Likewise the bands below the other operand's last one, once
		// sweeping reaches them untouched.
		if ib == len(b) && kind != opIntersect && a[ia].Min.Y >= y {
			out = appendBands(out, prev, a[ia:])
			break
		}
		if ia == len(a) && kind == opUnion && b[ib].Min.Y >= y {
			out = appendBands(out, prev, b[ib:])
			break
		}
		// Bands of a and b at or after y.
		var ja, jb int
		var aTop, aBot, bTop, bBot int
		const inf = int(^uint(0) >> 1)
		aTop, bTop = inf, inf
		if ia < len(a) {
			ja = bandEnd(a, ia)
			aTop, aBot = max(a[ia].Min.Y, y), a[ia].Max.Y
		}
		if ib < len(b) {
			jb = bandEnd(b, ib)
			bTop, bBot = max(b[ib].Min.Y, y), b[ib].Max.Y
		}
		top := min(aTop, bTop)
		// The step ends where something changes.
		bot := inf
		if aTop == top {
			bot = min(bot, aBot)
		} else {
			bot = min(bot, aTop)
		}
		if bTop == top {
			bot = min(bot, bBot)
		} else {
			bot = min(bot, bTop)
		}
		var xa, xb []image.Rectangle
		if aTop == top {
			xa = a[ia:ja]
		}
		if bTop == top {
			xb = b[ib:jb]
		}
		cur := len(out)
		switch kind {
		case opUnion:
			out = unionBand(out, xa, xb, top, bot)
		case opIntersect:
			out = intersectBand(out, xa, xb, top, bot)
		case opSubtract:
			out = subtractBand(out, xa, xb, top, bot)
		}
		if len(out) > cur {
			n := coalesce(out, prev, cur, len(out))
			if n < len(out) {
				out = out[:n]
			} else {
				prev = cur
			}
		}
		y = bot
		if aTop == top && aBot == bot {
			ia = ja
		}
		if bTop == top && bBot == bot {
			ib = jb
		}
		// Nothing more can come out of an intersection once either list
		// is done, nor out of a subtraction once a is.
		if kind == opIntersect && (ia == len(a) || ib == len(b)) || kind == opSubtract && ia == len(a) {
			break
		}
	}
	return z.finish(out)
}

// appendBands appends the banded list rs to out, coalescing its first band
// with the band at out[prev:] if they match.
func appendBands(out []image.Rectangle, prev int, rs []image.Rectangle) []image.Rectangle {
	cur := len(out)
	out = append(out, rs...)
	end := bandEnd(out, cur)
	if coalesce(out, prev, cur, end) == cur {
		out = append(out[:cur], out[end:]...)
	}
	return out
}

// unionBand appends the union of the x extents xa and xb, as rectangles
// spanning rows top to bot.
func unionBand(out, xa, xb []image.Rectangle, top, bot int) []image.Rectangle {
	i, j := 0, 0
	start := len(out)
	for i < len(xa) || j < len(xb) {
		var x0, x1 int
		if j == len(xb) || i < len(xa) && xa[i].Min.X <= xb[j].Min.X {
			x0, x1 = xa[i].Min.X, xa[i].Max.X
			i++
		} else {
			x0, x1 = xb[j].Min.X, xb[j].Max.X
			j++
		}
		if n := len(out); n > start && out[n-1].Max.X >= x0 {
			out[n-1].Max.X = max(out[n-1].Max.X, x1)
			continue
		}
		out = append(out, image.Rect(x0, top, x1, bot))
	}
	return out
}

// intersectBand appends the intersection of the x extents xa and xb.
func intersectBand(out, xa, xb []image.Rectangle, top, bot int) []image.Rectangle {
	i, j := 0, 0
	for i < len(xa) && j < len(xb) {
		x0, x1 := max(xa[i].Min.X, xb[j].Min.X), min(xa[i].Max.X, xb[j].Max.X)
		if x0 < x1 {
			out = append(out, image.Rect(x0, top, x1, bot))
		}
		if xa[i].Max.X < xb[j].Max.X {
			i++
		} else {
			j++
		}
	}
	return out
}

// subtractBand appends the x extents of xa not covered by xb.
func subtractBand(out, xa, xb []image.Rectangle, top, bot int) []image.Rectangle {
	j := 0
	for _, r := range xa {
		x0 := r.Min.X
		for j < len(xb) && xb[j].Max.X <= x0 {
			j++
		}
		for k := j; k < len(xb) && xb[k].Min.X < r.Max.X; k++ {
			if xb[k].Min.X > x0 {
				out = append(out, image.Rect(x0, top, xb[k].Min.X, bot))
			}
			x0 = max(x0, xb[k].Max.X)
		}
		if x0 < r.Max.X {
			out = append(out, image.Rect(x0, top, r.Max.X, bot))
		}
	}
	return out
}

// coalesce merges the band rs[cur:end] into the band rs[prev:cur] when they
// touch and have the same x extents, and returns the new length of rs
// (cur if merged, end if not). prev < 0 means there is no previous band.
func coalesce(rs []image.Rectangle, prev, cur, end int) int {
	if prev < 0 || cur-prev != end-cur || rs[prev].Max.Y != rs[cur].Min.Y {
		return end
	}
	for k := 0; k < cur-prev; k++ {
		if rs[prev+k].Min.X != rs[cur+k].Min.X || rs[prev+k].Max.X != rs[cur+k].Max.X {
			return end
		}
	}
	bot := rs[cur].Max.Y
	for k := prev; k < cur; k++ {
		rs[k].Max.Y = bot
	}
	return cur
}

// bandEnd returns the index after the band starting at rs[i].
func bandEnd(rs []image.Rectangle, i int) int {
	y := rs[i].Min.Y
	j := i + 1
	for j < len(rs) && rs[j].Min.Y == y {
		j++
	}
	return j
}

// bandStart returns the index of the first rectangle of the band holding
// rs[i].
func bandStart(rs []image.Rectangle, i int) int {
	y := rs[i].Min.Y
	for i > 0 && rs[i-1].Min.Y == y {
		i--
	}
	return i
}
