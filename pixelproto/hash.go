package pixelproto

import (
	"image"
	"math/bits"
)

// X clients often paint what is already there (a window redrawn whole, a
// clock's unchanged digits), and such pixels cost nothing to send only if
// someone looks. A Tracker looks when it captures an update: it keeps a
// 64-bit hash of each 16×16 block of what its viewer has, and leaves out
// the changed blocks whose hash is the same. That is a 32nd of the memory
// of a copy of the framebuffer. A hash changes whenever a single pixel of
// its block does; for more, two different blocks hash alike with a chance
// of about 2⁻⁶⁴.

// hashBlock is the size of the blocks a Tracker hashes.
const hashBlock = 16

// invalidate forgets the hashes of the blocks r touches: the viewer's
// pixels there are no longer those hashed.
func (t *Tracker) invalidate(r image.Rectangle) {
	r = r.Intersect(t.bounds)
	if t.hash == nil || r.Empty() {
		return
	}
	for by := r.Min.Y / hashBlock; by*hashBlock < r.Max.Y; by++ {
		row := t.hash[by*t.cols:]
		for bx := r.Min.X / hashBlock; bx*hashBlock < r.Max.X; bx++ {
			row[bx] = 0
		}
	}
}

// filter drops from the changed area the blocks whose pixels in pix (the
// framebuffer, stride pixels a row) the viewer already has, and remembers
// the hashes of the rest, which it is about to be sent. The copies to be
// sent must have invalidated the blocks they write.
func (t *Tracker) filter(pix []uint32, stride int) {
	if t.changed.Empty() {
		return
	}
	if t.hash == nil {
		t.cols = (t.bounds.Dx() + hashBlock - 1) / hashBlock
		n := t.cols * ((t.bounds.Dy() + hashBlock - 1) / hashBlock)
		t.hash = make([]uint64, n)
		t.seen = make([]uint32, n)
		t.round = 0
	}
	t.round++
	if t.round >= 1<<31 {
		clear(t.seen)
		t.round = 1
	}
	t.rects = append(t.rects[:0], t.changed.Rects()...)
	t.changed.Clear()
	for _, r := range t.rects {
		for by := r.Min.Y / hashBlock; by*hashBlock < r.Max.Y; by++ {
			y0, y1 := by*hashBlock, (by+1)*hashBlock
			run := -1 // where a run of differing blocks starts
			bx := r.Min.X / hashBlock
			for ; bx*hashBlock < r.Max.X; bx++ {
				x := bx * hashBlock
				switch differs := t.differs(pix, stride, bx, by); {
				case differs && run < 0:
					run = x
				case !differs && run >= 0:
					t.Changed(image.Rect(run, y0, x, y1).Intersect(r))
					run = -1
				}
			}
			if run >= 0 {
				t.Changed(image.Rect(run, y0, bx*hashBlock, y1).Intersect(r))
			}
		}
	}
	t.merge()
}

// differs hashes block (bx, by), once a filter, and reports whether it
// differs from what the viewer has.
func (t *Tracker) differs(pix []uint32, stride int, bx, by int) bool {
	i := by*t.cols + bx
	if s := t.seen[i]; s>>1 == t.round {
		return s&1 != 0
	}
	b := image.Rect(bx*hashBlock, by*hashBlock, (bx+1)*hashBlock, (by+1)*hashBlock).Intersect(t.bounds)
	h := hashPixels(pix, stride, b) | 1
	differs := h != t.hash[i]
	t.hash[i] = h
	t.seen[i] = t.round<<1 | b2u(differs)
	return differs
}

func b2u(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

// hashPixels hashes the pixels of r in four lanes, each a chain of steps
// that are one-to-one in the pixel and in the state before: so two blocks
// that differ in one pixel always hash differently.
func hashPixels(pix []uint32, stride int, r image.Rectangle) uint64 {
	const k = 0x9e3779b97f4a7c15
	h0, h1, h2, h3 := uint64(1), uint64(2), uint64(3), uint64(4)
	w := r.Dx()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := pix[y*stride+r.Min.X:][:w]
		i := 0
		for ; i+4 <= len(row); i += 4 {
			h0 = bits.RotateLeft64((h0^uint64(row[i]))*k, 31)
			h1 = bits.RotateLeft64((h1^uint64(row[i+1]))*k, 31)
			h2 = bits.RotateLeft64((h2^uint64(row[i+2]))*k, 31)
			h3 = bits.RotateLeft64((h3^uint64(row[i+3]))*k, 31)
		}
		for ; i < len(row); i++ {
			h0 = bits.RotateLeft64((h0^uint64(row[i]))*k, 31)
		}
	}
	return h0 ^ bits.RotateLeft64(h1, 16) ^ bits.RotateLeft64(h2, 32) ^ bits.RotateLeft64(h3, 48)
}
