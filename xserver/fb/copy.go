package fb

import (
	"image"
	"slices"

	"netdisplay/xserver/region"
)

// CopyArea combines the rectangle sr of src, in source drawable coordinates
// (the source drawable's origin lies at srcOrigin in src), with the
// rectangle of the same size at dp in dst, through the GC's function and
// plane mask, clipped to dst.Clip and the destination pixmap. Source pixels
// outside src are not copied: the destination keeps its pixels there, and
// the server deals with the exposures. Source pixels inside src that must
// not be copied (the obscured parts of a source window) are the caller's
// to leave out of dst.Clip, translated to where they would land.
//
// src may be dst's pixmap, and the rectangles may overlap: every
// destination pixel gets the source pixel as it was before the copy.
//
// A plain copy (function Copy, all planes) within one pixmap is reported to
// the Observer with Copied, once per clip rectangle in the order the copies
// are done; anything else with Changed.
func CopyArea(dst Canvas, src *Pixmap, srcOrigin image.Point, gc *GC, sr image.Rectangle, dp image.Point) {
	p := dst.Pixmap
	if !p.ok() || !src.ok() || gc == nil {
		return
	}
	r := newRop(gc.Func, gc.PlaneMask, p.Depth)
	if r == (rop{x1: ^uint32(0)}) {
		return
	}
	mask := p.mask()
	plain := gc.Func == FuncCopy && gc.PlaneMask&mask == mask && src.Depth == p.Depth
	same := src == p
	var buf [8]image.Rectangle
	d, pieces := copyPieces(buf[:0], dst, src, srcOrigin, sr, dp)
	if len(pieces) == 0 || plain && same && d == (image.Point{}) {
		return
	}
	dmg := damage{obs: p.Observer}
	var scratch []uint32
	for _, piece := range pieces {
		w := piece.Dx()
		if plain {
			copyRows(p, src, piece, d, same && d.Y > 0)
			if same && p.Observer != nil {
				p.Observer.Copied(piece, d.X, d.Y)
			} else {
				dmg.add(piece)
			}
			continue
		}
		for i := range piece.Dy() {
			y := piece.Min.Y + i
			if same && d.Y > 0 {
				y = piece.Max.Y - 1 - i // moving down: start at the bottom
			}
			drow := p.row(y, piece.Min.X, piece.Max.X)
			srow := src.row(y-d.Y, piece.Min.X-d.X, piece.Max.X-d.X)
			switch {
			case same && d.Y == 0:
				// The rows overlap; work from an unchanged copy.
				scratch = append(scratch[:0], srow...)
				ropRow(drow, scratch[:w], r)
			default:
				ropRow(drow, srow, r)
			}
		}
		dmg.add(piece)
	}
	dmg.flush()
}

// copyRows copies the pixels of piece, a rectangle of dst, from src offset
// by -d, row by row, from the bottom up if bottomUp (a copy down within
// one pixmap). The rows are runs of memory, which copy moves in wide
// words, and safely when they overlap.
func copyRows(dst, src *Pixmap, piece image.Rectangle, d image.Point, bottomUp bool) {
	w, h := piece.Dx(), piece.Dy()
	do := piece.Min.Y*dst.Stride + piece.Min.X
	so := (piece.Min.Y-d.Y)*src.Stride + piece.Min.X - d.X
	dstep, sstep := dst.Stride, src.Stride
	if bottomUp {
		do += (h - 1) * dstep
		so += (h - 1) * sstep
		dstep, sstep = -dstep, -sstep
	}
	dpix, spix := dst.Pix, src.Pix
	for range h {
		copy(dpix[do:do+w], spix[so:so+w])
		do += dstep
		so += sstep
	}
}

// CopyPlane paints the rectangle at dp in dst with the foreground where bit
// plane of the source rectangle sr is 1 and the background where it is 0,
// through the GC's function and plane mask, as the CopyPlane request does.
// Coordinates and clipping are as for CopyArea. plane should have exactly
// one bit set; a pixel counts as 1 when it has any bit of plane.
func CopyPlane(dst Canvas, src *Pixmap, srcOrigin image.Point, gc *GC, sr image.Rectangle, dp image.Point, plane uint32) {
	p := dst.Pixmap
	if !p.ok() || !src.ok() || gc == nil {
		return
	}
	r := newRop(gc.Func, gc.PlaneMask, p.Depth)
	fg, bg := r.solid(gc.Foreground), r.solid(gc.Background)
	if fg.noop() && bg.noop() {
		return
	}
	same := src == p
	var buf [8]image.Rectangle
	d, pieces := copyPieces(buf[:0], dst, src, srcOrigin, sr, dp)
	dmg := damage{obs: p.Observer}
	var bits []uint32
	for _, piece := range pieces {
		for i := range piece.Dy() {
			y := piece.Min.Y + i
			if same && d.Y > 0 {
				y = piece.Max.Y - 1 - i
			}
			srow := src.row(y-d.Y, piece.Min.X-d.X, piece.Max.X-d.X)
			// Read the plane first: the source row may be the row painted.
			bits = bits[:0]
			for _, v := range srow {
				bits = append(bits, v&plane)
			}
			bitRow(p.row(y, piece.Min.X, piece.Max.X), bits, fg, bg)
		}
		dmg.add(piece)
	}
	dmg.flush()
}

// copyPieces works out a copy: the offset d from source to destination in
// pixmap coordinates, and the destination rectangles to fill, each with a
// source inside src, in an order that is safe when src is dst's pixmap. It
// appends the rectangles to pieces.
func copyPieces(pieces []image.Rectangle, dst Canvas, src *Pixmap, srcOrigin image.Point, sr image.Rectangle, dp image.Point) (image.Point, []image.Rectangle) {
	sr = sr.Add(srcOrigin)
	d := dp.Add(dst.Origin).Sub(sr.Min)
	dr := sr.Intersect(src.Bounds()).Add(d).Intersect(dst.Bounds())
	if dr.Empty() {
		return d, nil
	}
	if dst.Clip == nil {
		return d, append(pieces, dr)
	}
	for _, cr := range dst.Clip.From(dr.Min.Y) {
		if cr.Min.Y >= dr.Max.Y {
			break
		}
		if piece := dr.Intersect(cr); !piece.Empty() {
			pieces = append(pieces, piece)
		}
	}
	if src != dst.Pixmap {
		return d, pieces
	}
	// Within one pixmap, a piece must be copied before any piece whose
	// destination covers its source. Moving down, the source lies above:
	// do the lowest bands first. Moving right, the source lies left: do
	// each band right to left. Pieces of different bands never share rows,
	// and pieces of one band are ordered by x alone.
	if d.Y > 0 {
		slices.Reverse(pieces) // bands bottom up, each right to left
		if d.X <= 0 {
			reverseWithinBands(pieces)
		}
	} else if d.X > 0 {
		reverseWithinBands(pieces)
	}
	return d, pieces
}

// reverseWithinBands reverses the order of the rectangles of each band.
func reverseWithinBands(rs []image.Rectangle) {
	for i := 0; i < len(rs); {
		j := i + 1
		for j < len(rs) && rs[j].Min.Y == rs[i].Min.Y {
			j++
		}
		slices.Reverse(rs[i:j])
		i = j
	}
}

// FillRegion sets the pixels of rgn, in pixmap coordinates, to pixel, as
// the server paints a window's background or border. It reports the change
// to the Observer.
func FillRegion(p *Pixmap, rgn *region.Region, pixel uint32) {
	if !p.ok() || rgn == nil {
		return
	}
	f := filler{style: FillSolid, fg: solidRop{xor: pixel & p.mask()}}
	paintRegion(p, rgn, &f)
}

// TileRegion tiles the pixels of rgn, in pixmap coordinates, with tile, the
// tile's top-left corner at origin in pixmap coordinates: a plain copy, as
// the server paints a window background pixmap. It reports the change to
// the Observer.
func TileRegion(p *Pixmap, rgn *region.Region, tile *Pixmap, origin image.Point) {
	if !p.ok() || rgn == nil {
		return
	}
	gc := GC{Func: FuncCopy, PlaneMask: ^uint32(0), FillStyle: FillTiled, Tile: tile, TSOrigin: origin}
	f := newFiller(p, &gc)
	paintRegion(p, rgn, &f)
}

func paintRegion(p *Pixmap, rgn *region.Region, f *filler) {
	dmg := damage{obs: p.Observer}
	bounds := p.Bounds()
	for _, r := range rgn.Rects() {
		if r = r.Intersect(bounds); !r.Empty() {
			f.fillRect(p, r)
			dmg.add(r)
		}
	}
	dmg.flush()
}
