package xserver

import (
	"image"

	"netdisplay/protocol"
	"netdisplay/xserver/fb"
	"netdisplay/xserver/region"
)

// Windows draw straight into the screen's framebuffer, clipped to what of
// them is visible, as X servers without compositing do. Every change to the
// window tree (map, unmap, configure, restack, reparent, destroy) runs
// between beginChange and endChange on the parent whose children changed:
// only that parent's subtree can see its visibility change. endChange
// recomputes the clip regions, moves the pixels of windows that moved,
// paints what became visible, and sends VisibilityNotify and Expose.

// copyMode says how the pixels of a window follow a change.
type copyMode uint8

const (
	copyNone copyMode = iota // pixels stay where they are (kept only if the window did not move)
	copySelf                 // the window's own pixels move by moved (bit gravity)
	copyTree                 // the window and its inferiors move by moved
	forget                   // the window's contents are lost (ForgetGravity resize)
)

// beginChange snapshots the clip state of p's subtree. Between it and
// endChange, the change marks windows whose pixels follow them with a
// copyMode; endChange works out by how much they moved.
func (s *Server) beginChange(p *window) {
	p.walk(func(w *window) { w.snapshot(true) })
}

// beginUnmapChildren is beginChange for a change that unmaps every child
// of p (DestroySubwindows): the children's clips are not snapshot, since
// windows that end up unviewable have nothing to keep or repaint.
func (s *Server) beginUnmapChildren(p *window) {
	p.snapshot(true)
	for _, c := range p.children {
		c.walk(func(w *window) { w.snapshot(false) })
	}
}

// snapshot records w's state before a change, its clip regions too if
// clips is set.
func (w *window) snapshot(clips bool) {
	if clips {
		w.prevClip.Set(&w.clip)
		w.prevBorderClip.Set(&w.borderClip)
	}
	w.prevAbs = w.abs
	w.prevSize = image.Pt(w.width, w.height)
	w.prevBorder = w.border
	w.wasViewable = w.viewable
	w.moved = image.Point{}
	w.gravityShift = image.Point{}
	w.copyMode = copyNone
}

// endChange brings p's subtree up to date with the changes made since
// beginChange. Windows whose pixels moved have copyMode and moved set.
func (s *Server) endChange(p *window) {
	p.walk(func(w *window) {
		w.setAbsFromParent()
		w.viewable = w.computeViewable()
		switch w.copyMode {
		case copyTree:
			w.moved = w.abs.Sub(w.prevAbs)
		case copySelf:
			w.moved = w.abs.Sub(w.prevAbs).Add(w.gravityShift)
		}
	})
	sc := &s.change
	if p.viewable {
		sc.avail.Set(&p.borderClip)
		s.computeClips(p, &sc.avail, 0)
	} else {
		p.walk(func(w *window) {
			w.clip.Clear()
			w.borderClip.Clear()
		})
	}

	// Move the pixels that follow their windows, before anything is painted.
	var moves []pendingCopy
	p.walk(func(w *window) {
		if !w.wasViewable || !w.viewable {
			return
		}
		switch w.copyMode {
		case copyTree:
			var r region.Region
			r.Set(&w.prevBorderClip).Translate(w.moved.X, w.moved.Y)
			r.Intersect(&r, &w.borderClip)
			moves = append(moves, pendingCopy{r, w.moved})
		case copySelf:
			var r region.Region
			r.Set(&w.prevClip).Translate(w.moved.X, w.moved.Y)
			r.Intersect(&r, &w.clip)
			moves = append(moves, pendingCopy{r, w.moved})
		}
	})
	s.screen.moveRegions(moves)

	// Work out what each window keeps and what it must repaint. The
	// regions are the server's scratch, reused from change to change.
	exposures := sc.exposures[:0]
	kept, vis, prev := &sc.kept, &sc.vis, &sc.prev
	var inherited image.Point
	var inTree *window
	p.walkTop(func(w *window) {
		if inTree != nil && !w.isInferiorOf(inTree) {
			inTree = nil
		}
		if w.copyMode == copyTree && inTree == nil {
			inTree, inherited = w, w.moved
		}
		if !w.viewable || w.class == classInputOnly {
			return
		}
		kept.Clear()
		keep := w.wasViewable
		delta := image.Point{}
		switch {
		case inTree != nil:
			delta = inherited
		case w.copyMode == copySelf:
			delta = w.moved
		case w.copyMode == forget:
			keep = false
		case w.abs != w.prevAbs:
			keep = false
		}
		if keep {
			kept.Set(&w.prevClip).Translate(delta.X, delta.Y)
			kept.Intersect(kept, &w.clip)
		}
		if len(exposures) == cap(exposures) {
			exposures = append(exposures, exposure{})
		} else {
			exposures = exposures[:len(exposures)+1]
		}
		e := &exposures[len(exposures)-1]
		e.w = w
		exposed := &e.rgn
		exposed.Subtract(&w.clip, kept)

		if w.border > 0 {
			vis.SubtractRect(&w.borderClip, w.inside())
			sameShape := w.prevSize == image.Pt(w.width, w.height) && w.prevBorder == w.border
			if w.wasViewable && sameShape && (inTree != nil || w.abs == w.prevAbs) {
				prev.SubtractRect(&w.prevBorderClip, image.Rect(w.prevAbs.X, w.prevAbs.Y, w.prevAbs.X+w.prevSize.X, w.prevAbs.Y+w.prevSize.Y))
				prev.Translate(delta.X, delta.Y)
				vis.Subtract(vis, prev)
			}
			s.paintBorder(w, vis)
		}
		if exposed.Empty() {
			exposures = exposures[:len(exposures)-1]
			return
		}
		s.paintBackground(w, exposed)
	})

	s.updateVisibility(p)
	for i := range exposures {
		e := &exposures[i]
		s.sendExpose(e.w, &e.rgn)
		e.w = nil // do not keep a destroyed window alive
	}
	sc.exposures = exposures[:0]
	p.walk(func(w *window) { w.copyMode = copyNone })
	s.input.windowsChanged()
}

// changeScratch holds the regions endChange and computeClips work in,
// kept from one window change to the next so that mapping a window does
// not allocate them afresh each time (x11perf -map and -create do little
// else).
type changeScratch struct {
	avail, kept, vis, prev region.Region
	exposures              []exposure
	remaining              []region.Region // by depth below the changed window
}

// An exposure is what a window must repaint after a change.
type exposure struct {
	w   *window
	rgn region.Region
}

// computeClips sets w's clip regions from the area its parent leaves it,
// then its children's from what w leaves them, top child first. depth is
// w's depth below the window whose change is being computed, which picks
// its scratch region.
func (s *Server) computeClips(w *window, avail *region.Region, depth int) {
	w.borderClip.IntersectRect(avail, w.outer())
	sc := &s.change
	for len(sc.remaining) <= depth {
		sc.remaining = append(sc.remaining, region.Region{})
	}
	// Take the scratch region out of the slice while children use the
	// deeper ones: appending to the slice may move them.
	remaining := sc.remaining[depth]
	sc.remaining[depth] = region.Region{}
	remaining.IntersectRect(&w.borderClip, w.inside())
	for i := len(w.children) - 1; i >= 0; i-- {
		c := w.children[i]
		if !c.viewable {
			c.walk(func(v *window) {
				v.clip.Clear()
				v.borderClip.Clear()
			})
			continue
		}
		s.computeClips(c, &remaining, depth+1)
		if c.class != classInputOnly {
			remaining.Subtract(&remaining, &c.borderClip)
		}
	}
	if w.class == classInputOnly {
		w.clip.Clear()
	} else {
		w.clip.Set(&remaining)
	}
	remaining.Clear()
	sc.remaining[depth] = remaining
}

func (w *window) setAbsFromParent() {
	if w.parent != nil {
		w.abs = w.parent.abs.Add(image.Pt(w.x+w.border, w.y+w.border))
	}
}

// A pendingCopy moves the pixels of the region rgn.Translate(-d) to rgn.
type pendingCopy struct {
	rgn region.Region
	d   image.Point
}

// moveRegions performs window-content moves. One move (a window dragged)
// is a plain copy, which the pixel protocol sends as CopyRect; several at
// once are read out first, so that no move overwrites another's source.
func (sc *screen) moveRegions(moves []pendingCopy) {
	live := moves[:0]
	for _, m := range moves {
		if !m.rgn.Empty() && m.d != (image.Point{}) {
			live = append(live, m)
		}
	}
	if len(live) == 1 {
		m := &live[0]
		b := m.rgn.Bounds()
		gc := &fb.GC{Func: fb.FuncCopy, PlaneMask: ^uint32(0)}
		fb.CopyArea(fb.Canvas{Pixmap: sc.fb, Clip: &m.rgn}, sc.fb, image.Point{}, gc, b.Sub(m.d), b.Min)
		return
	}
	type saved struct {
		r   image.Rectangle
		pix []uint32
	}
	var all [][]saved
	for _, m := range live {
		var ss []saved
		for _, r := range m.rgn.Rects() {
			src := r.Sub(m.d)
			pix := make([]uint32, 0, r.Dx()*r.Dy())
			for y := src.Min.Y; y < src.Max.Y; y++ {
				off := y*sc.fb.Stride + src.Min.X
				pix = append(pix, sc.fb.Pix[off:off+r.Dx()]...)
			}
			ss = append(ss, saved{r, pix})
		}
		all = append(all, ss)
	}
	for _, ss := range all {
		for _, sv := range ss {
			w := sv.r.Dx()
			for y := sv.r.Min.Y; y < sv.r.Max.Y; y++ {
				off := y*sc.fb.Stride + sv.r.Min.X
				copy(sc.fb.Pix[off:off+w], sv.pix[(y-sv.r.Min.Y)*w:])
			}
			if sc.fb.Observer != nil {
				sc.fb.Observer.Changed(sv.r)
			}
		}
	}
}

// paintBackground fills rgn (screen coordinates) with w's background.
func (s *Server) paintBackground(w *window, rgn *region.Region) {
	if rgn.Empty() {
		return
	}
	owner := w
	for owner.background.kind == paintParentRelative && owner.parent != nil {
		owner = owner.parent
	}
	bg := owner.background
	switch bg.kind {
	case paintPixel:
		fb.FillRegion(s.screen.fb, rgn, bg.pixel)
	case paintPixmap:
		fb.TileRegion(s.screen.fb, rgn, bg.pixmap.pix, owner.abs)
	}
}

// paintBorder fills rgn (screen coordinates, within w's border) with w's
// border. The border tile's origin is the window's origin, as the protocol
// says.
func (s *Server) paintBorder(w *window, rgn *region.Region) {
	if rgn.Empty() {
		return
	}
	switch w.borderPaint.kind {
	case paintPixel:
		fb.FillRegion(s.screen.fb, rgn, w.borderPaint.pixel)
	case paintPixmap:
		fb.TileRegion(s.screen.fb, rgn, w.borderPaint.pixmap.pix, w.abs)
	}
}

// repaintBorder repaints the visible border of w, after its border
// attribute changed.
func (s *Server) repaintBorder(w *window) {
	if !w.viewable || w.border == 0 {
		return
	}
	var vis region.Region
	vis.SubtractRect(&w.borderClip, w.inside())
	s.paintBorder(w, &vis)
}

// sendExpose sends Expose events covering rgn (screen coordinates) to the
// clients that select Exposure on w.
func (s *Server) sendExpose(w *window, rgn *region.Region) {
	if !w.selects(protocol.EventMaskExposure) {
		return
	}
	rs := rgn.Rects()
	for i, r := range rs {
		r = r.Sub(w.abs)
		ev := &protocol.ExposeEvent{
			Window: protocol.Window(w.id),
			X:      uint16(r.Min.X),
			Y:      uint16(r.Min.Y),
			Width:  uint16(r.Dx()),
			Height: uint16(r.Dy()),
			Count:  uint16(len(rs) - 1 - i),
		}
		s.deliver(w, ev, protocol.EventMaskExposure)
	}
}

// updateVisibility sends VisibilityNotify to windows in p's subtree whose
// visibility changed.
func (s *Server) updateVisibility(p *window) {
	p.walkTop(func(w *window) {
		if w.class == classInputOnly {
			return
		}
		state := visNotViewable
		if w.viewable {
			full := w.outer()
			for a := w.parent; a != nil; a = a.parent {
				full = full.Intersect(a.inside())
			}
			switch {
			case w.borderClip.Empty():
				state = visFullyObscured
			case w.borderClip.Len() == 1 && w.borderClip.Bounds() == full:
				state = visUnobscured
			default:
				state = visPartiallyObscured
			}
		}
		if state == w.visibility {
			return
		}
		w.visibility = state
		if state == visNotViewable || !w.selects(protocol.EventMaskVisibilityChange) {
			return // build no event for nobody
		}
		s.deliver(w, &protocol.VisibilityNotifyEvent{Window: protocol.Window(w.id), State: uint8(state)}, protocol.EventMaskVisibilityChange)
	})
}
