package pixelproto

import (
	"image"

	"netdisplay/xserver/region"
)

// A Tracker coalesces the changes to a framebuffer that one viewer has not
// yet been sent: copies (pixels that moved unchanged) and changed areas.
// A Source keeps one per Feed and reports its drawing to it; the server
// keeps one per viewer for what it has taken but not yet sent.
//
// Its invariant: applying the pending copies in order to what the viewer
// has, then painting the changed area with current pixels, gives the
// current framebuffer. So when a copy's source overlaps changed area, that
// damage moves with the copy; when it is worth nothing (its source is all
// damage) it is dropped; and when copies pile up they turn into damage.
//
// Changed is cheap: rectangles are queued and merged lazily. A Tracker is
// not safe for concurrent use; the Source calls it under its own lock.
type Tracker struct {
	bounds  image.Rectangle
	queue   []image.Rectangle // changed, not yet merged into changed
	changed region.Region
	copies  []Copy
	tmp     region.Region
}

const (
	maxQueued = 128 // changed rectangles queued before merging
	maxCopies = 64  // copies kept before they turn into damage
)

// Reset makes the whole of a framebuffer of the given size changed, with
// no copies: the state of a new feed, or after a resize.
func (t *Tracker) Reset(size image.Point) {
	t.bounds = image.Rectangle{Max: size}
	t.queue = t.queue[:0]
	t.copies = t.copies[:0]
	t.changed.SetRect(t.bounds)
}

// Bounds is the framebuffer's rectangle.
func (t *Tracker) Bounds() image.Rectangle { return t.bounds }

// Changed says the pixels in r changed.
func (t *Tracker) Changed(r image.Rectangle) {
	r = r.Intersect(t.bounds)
	if r.Empty() {
		return
	}
	if n := len(t.queue); n > 0 && r.In(t.queue[n-1]) {
		return
	}
	t.queue = append(t.queue, r)
	if len(t.queue) >= maxQueued {
		t.merge()
	}
}

func (t *Tracker) merge() {
	switch len(t.queue) {
	case 0:
		return
	case 1:
		t.changed.UnionRect(&t.changed, t.queue[0])
	default:
		t.changed.Union(&t.changed, region.New(t.queue...))
	}
	t.queue = t.queue[:0]
}

// Copied says the pixels now in r were copied, unchanged, from the
// rectangle r.Sub(image.Pt(dx, dy)) of the same framebuffer.
func (t *Tracker) Copied(r image.Rectangle, dx, dy int) {
	d := image.Pt(dx, dy)
	dst := r.Intersect(t.bounds).Intersect(t.bounds.Add(d))
	// Pixels copied from outside the framebuffer are unknown: damage.
	if lost := r.Intersect(t.bounds); lost != dst {
		t.merge()
		t.changed.Union(&t.changed, t.tmp.SetRect(lost).SubtractRect(&t.tmp, dst))
	}
	if dst.Empty() || d == (image.Point{}) {
		return
	}
	t.merge()
	src := dst.Sub(d)
	switch t.changed.Overlap(src) {
	case region.In:
		// Every pixel copied is damage anyway: the copy is worth nothing.
		t.changed.UnionRect(&t.changed, dst)
		return
	case region.Partial:
		t.tmp.IntersectRect(&t.changed, src).Translate(dx, dy)
		t.changed.SubtractRect(&t.changed, dst)
		t.changed.Union(&t.changed, &t.tmp)
	default:
		t.changed.SubtractRect(&t.changed, dst)
	}
	t.copies = append(t.copies, Copy{Dst: dst, Src: src.Min})
	if len(t.copies) > maxCopies {
		t.Fold()
	}
}

// Fold turns the pending copies into changed area, for a viewer that
// cannot copy or has asked for whole pixels.
func (t *Tracker) Fold() {
	for _, c := range t.copies {
		t.Changed(c.Dst)
	}
	t.copies = t.copies[:0]
}

// Empty reports whether nothing is pending.
func (t *Tracker) Empty() bool {
	return len(t.queue) == 0 && len(t.copies) == 0 && t.changed.Empty()
}

// Take appends the pending copies, in order, and the changed area, as
// non-overlapping rectangles, to the slices, and clears the tracker.
func (t *Tracker) Take(copies []Copy, changed []image.Rectangle) ([]Copy, []image.Rectangle) {
	t.merge()
	copies = append(copies, t.copies...)
	changed = append(changed, t.changed.Rects()...)
	t.copies = t.copies[:0]
	t.changed.Clear()
	return copies, changed
}
