package pixelproto

import (
	"image"

	"netdisplay/xserver/region"
)

// A Tracker coalesces the changes to a framebuffer that one viewer has not
// yet been sent: copies (pixels that moved unchanged) and changed areas.
// A Source keeps one per Feed and reports its drawing to it.
//
// Its invariant: applying the pending copies in order to what the viewer
// has, then painting the changed area with current pixels, gives the
// current framebuffer. So when a copy's source overlaps changed area, that
// damage moves with the copy; when it is worth nothing (its source is all
// damage) it is dropped; a copy that reads what the copy before it wrote
// joins it when that costs no pixels; and when copies pile up they turn
// into damage.
//
// Changed is cheap: rectangles are queued and merged lazily. A Tracker is
// not safe for concurrent use; the Source calls it under its own lock.
type Tracker struct {
	bounds  image.Rectangle
	queue   []image.Rectangle // changed, not yet merged into changed
	changed region.Region
	copies  []Copy
	tmp     region.Region
	tmp2    region.Region

	// Hashes of the blocks the viewer has, once Capture is used: see
	// filter.
	cols  int
	hash  []uint64 // per block: the hash|1 of its pixels, 0 when unknown
	seen  []uint32 // per block: the filter that last hashed it <<1 | it differed
	round uint32
	rects []image.Rectangle
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
	t.hash, t.seen = nil, nil
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
	// A terminal scrolling line by line copies the same rectangle once a
	// line: joined, the copies of a frame are one, however many lines.
	for n := len(t.copies); n >= 2; n = len(t.copies) {
		j, ok := t.join(t.copies[n-2], t.copies[n-1], nil)
		if !ok {
			break
		}
		t.copies = t.copies[:n-1]
		if j.Dst.Empty() {
			t.copies = t.copies[:n-2]
			break
		}
		t.copies[n-2] = j
	}
	if len(t.copies) > maxCopies {
		t.Fold()
	}
}

// join merges copy c into p, the copy before it, when c reads pixels p
// wrote and the rest of what either wrote is changed anyway: then one
// copy from where p read, and the changed area, give the same pixels,
// provided no copy in later reads that rest before it is painted. (A copy
// made after join moves the damage it reads, so it is no later copy.)
// The joined copy is empty when nothing of it is left to copy.
func (t *Tracker) join(p, c Copy, later []Copy) (Copy, bool) {
	dp, dc := p.Dst.Min.Sub(p.Src), c.Dst.Min.Sub(c.Src)
	o := c.Dst.Sub(dc).Intersect(p.Dst).Add(dc) // what c copied of what p wrote
	if o.Empty() {
		return Copy{}, false
	}
	rest := t.tmp2.SetRect(p.Dst).UnionRect(&t.tmp2, c.Dst).SubtractRect(&t.tmp2, o)
	readO := false
	for _, l := range later {
		src := l.Dst.Sub(l.Dst.Min).Add(l.Src)
		if rest.Overlap(src) != region.Out {
			return Copy{}, false
		}
		readO = readO || src.Overlaps(o)
	}
	if !rest.Subtract(rest, &t.changed).Empty() {
		return Copy{}, false
	}
	if !readO && t.changed.Overlap(o) == region.In {
		return Copy{}, true
	}
	return Copy{Dst: o, Src: o.Min.Sub(dp).Sub(dc)}, true
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
	t.prune()
	copies = append(copies, t.copies...)
	changed = append(changed, t.changed.Rects()...)
	t.copies = t.copies[:0]
	t.changed.Clear()
	return copies, changed
}

// prune joins what copies it can now that all the damage is known (a
// window's move is joined only once its uncovered parts are painted), and
// drops copies whose pixels are all painted over and read by no later copy.
func (t *Tracker) prune() {
	out := t.copies[:0]
	for i, c := range t.copies {
		if n := len(out); n > 0 {
			if j, ok := t.join(out[n-1], c, t.copies[i+1:]); ok {
				if j.Dst.Empty() {
					out = out[:n-1]
				} else {
					out[n-1] = j
				}
				continue
			}
		}
		out = append(out, c)
	}
	t.copies = out
	for i := len(t.copies) - 1; i >= 0; i-- {
		c := t.copies[i]
		if t.changed.Overlap(c.Dst) != region.In {
			continue
		}
		read := false
		for _, l := range t.copies[i+1:] {
			if l.Dst.Sub(l.Dst.Min).Add(l.Src).Overlaps(c.Dst) {
				read = true
				break
			}
		}
		if !read {
			t.copies = append(t.copies[:i], t.copies[i+1:]...)
		}
	}
}

// TakeOptions shape what a Feed's Take captures.
type TakeOptions struct {
	// MaxPixels bounds the changed area whose pixels one Take captures,
	// so that a viewer's buffer stays small however much changed: the
	// rest stays pending, and Update.More says so. 0 means no bound.
	MaxPixels int
	// NoCopies turns the copies into changed area, for a viewer that
	// cannot copy.
	NoCopies bool
	// Refresh is an area to capture whether it changed or not, for a
	// viewer that asks for pixels it has.
	Refresh image.Rectangle
}

// Capture does a Feed's Take with t: it moves what is pending into u, as
// opt says, with the pixels of the changed area from pix (the framebuffer,
// stride pixels a row, at least as large as t's bounds).
func (t *Tracker) Capture(u *Update, opt TakeOptions, pix []uint32, stride int) {
	t.Changed(opt.Refresh)
	t.invalidate(opt.Refresh)
	if opt.NoCopies {
		t.Fold()
	}
	t.merge()
	t.prune()
	// The copies sent change what the viewer has; those joined or dropped
	// do not, and a scroll turned into damage costs only the rows that
	// differ.
	for _, c := range t.copies {
		t.invalidate(c.Dst)
	}
	t.filter(pix, stride)
	if opt.MaxPixels <= 0 || t.area() <= opt.MaxPixels {
		u.Copies, u.Changed = t.Take(u.Copies[:0], u.Changed[:0])
		u.More = false
	} else {
		u.Copies = append(u.Copies[:0], t.copies...)
		t.copies = t.copies[:0]
		// Take the top of the changed area, whole rows of the screen, so
		// that what is left is one cut of the region.
		cut := t.cut(opt.MaxPixels)
		top := t.bounds
		top.Max.Y = cut
		u.Changed = append(u.Changed[:0], t.tmp.IntersectRect(&t.changed, top).Rects()...)
		t.changed.SubtractRect(&t.changed, top)
		// The viewer does not have the rest yet, whatever filter hashed.
		for _, r := range t.changed.Rects() {
			t.invalidate(r)
		}
		u.More = !t.changed.Empty()
	}
	n := 0
	for _, r := range u.Changed {
		n += r.Dx() * r.Dy()
	}
	if cap(u.Pixels) < n {
		// Room for the most a bounded Take captures, at once.
		u.Pixels = make([]uint32, n, max(n, opt.MaxPixels+t.bounds.Dx()))
	}
	u.Pixels = u.Pixels[:n]
	off := 0
	for _, r := range u.Changed {
		w := r.Dx()
		for y := r.Min.Y; y < r.Max.Y; y++ {
			copy(u.Pixels[off:off+w], pix[y*stride+r.Min.X:])
			off += w
		}
	}
}

// area is the changed area in pixels; the queue must be merged.
func (t *Tracker) area() int {
	n := 0
	for _, r := range t.changed.Rects() {
		n += r.Dx() * r.Dy()
	}
	return n
}

// cut is the row above which about limit pixels of the changed area lie
// (at most a row more), and at least one row of it.
func (t *Tracker) cut(limit int) int {
	n := 0
	rs := t.changed.Rects()
	for i := 0; i < len(rs); {
		// A band: rectangles of the same rows.
		w, j := 0, i
		for ; j < len(rs) && rs[j].Min.Y == rs[i].Min.Y; j++ {
			w += rs[j].Dx()
		}
		if a := w * rs[i].Dy(); n+a >= limit {
			return min(rs[i].Min.Y+max(1, (limit-n)/w), rs[i].Max.Y)
		}
		n += w * rs[i].Dy()
		i = j
	}
	return t.bounds.Max.Y
}
