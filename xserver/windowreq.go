package xserver

import (
	"image"

	"netdisplay/protocol"
)

// Window requests: create, change, map, configure, reparent, destroy and
// query the tree.

func (c *client) createWindow(b []byte) error {
	r := &c.req.createWindow
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	s := c.s
	id := uint32(r.Wid)
	if err := c.newID(id); err != nil {
		return err
	}
	parent, err := c.window(uint32(r.Parent))
	if err != nil {
		return err
	}
	if r.Width == 0 || r.Height == 0 {
		return badValue(0)
	}
	class := int(r.Class)
	if class == classCopyFromParent {
		class = parent.class
	}
	if class != classInputOutput && class != classInputOnly {
		return badValue(uint32(r.Class))
	}
	depth := int(r.Depth)
	visual := uint32(r.Visual)
	if visual == 0 {
		visual = parent.visual
	}
	if class == classInputOnly {
		if r.BorderWidth != 0 || depth != 0 {
			return errMatch
		}
	} else {
		if parent.class == classInputOnly {
			return errMatch
		}
		if depth == 0 {
			depth = parent.depth
		}
		if depth != 24 || visual != visualID {
			return errMatch
		}
	}
	w := &window{
		id:            id,
		owner:         c,
		parent:        parent,
		x:             int(r.X),
		y:             int(r.Y),
		width:         int(r.Width),
		height:        int(r.Height),
		border:        int(r.BorderWidth),
		class:         class,
		depth:         depth,
		visual:        visual,
		background:    paint{kind: paintNone},
		borderPaint:   parent.borderPaint,
		bitGravity:    protocol.GravityBitForget,
		winGravity:    protocol.GravityNorthWest,
		backingPlanes: 0xFFFFFFFF,
		colormap:      parent.colormap,
		visibility:    visNotViewable,
	}
	if class == classInputOnly {
		w.depth = 0
		w.colormap = 0
		w.borderPaint = paint{}
	}
	if w.borderPaint.kind == paintParentRelative || parent.id == rootID && parent.borderPaint.kind == paintPixmap {
		w.borderPaint = paint{kind: paintPixel}
	}
	if err := c.setWindowAttributes(w, uint32(r.ValueMask), r.ValueList, true); err != nil {
		return err
	}
	w.setAbsFromParent()
	parent.children = append(parent.children, w)
	c.addResource(id, w)
	s.notifyCreate(w)
	return nil
}

func (s *Server) notifyCreate(w *window) {
	p := w.parent
	if p.selects(protocol.EventMaskSubstructureNotify) {
		s.deliver(p, &protocol.CreateNotifyEvent{
			Parent:           protocol.Window(p.id),
			Window:           protocol.Window(w.id),
			X:                int16(w.x),
			Y:                int16(w.y),
			Width:            uint16(w.width),
			Height:           uint16(w.height),
			BorderWidth:      uint16(w.border),
			OverrideRedirect: w.overrideRedirect,
		}, protocol.EventMaskSubstructureNotify)
	}
}

// setWindowAttributes applies a CreateWindow or ChangeWindowAttributes
// value list. It checks everything before changing anything.
func (c *client) setWindowAttributes(w *window, mask uint32, list []uint32, creating bool) error {
	if mask&^0x7FFF != 0 {
		return badValue(mask)
	}
	type change struct {
		bit uint32
		v   uint32
	}
	// The new paints are values, with a flag, rather than pointers: a
	// pointer set inside the loop would send each to the heap.
	var (
		bg, border       paint
		newBg, newBorder bool
		cur              *cursor
		hasCursor        bool
		eventMask        uint32
		newEventMask     bool
		changes          []change
	)
	// A plain loop rather than range over protocol.Values, whose body
	// would be a closure: what it sets would go to the heap, for every
	// window created.
	for i, rest := 0, mask; rest != 0 && i < len(list); i, rest = i+1, rest&(rest-1) {
		bit, v := rest&-rest, list[i]
		inputOnlyOK := bit == protocol.CWWinGravity || bit == protocol.CWOverrideRedirect ||
			bit == protocol.CWEventMask || bit == protocol.CWDontPropagate || bit == protocol.CWCursor
		if w.class == classInputOnly && !inputOnlyOK {
			return errMatch
		}
		switch bit {
		case protocol.CWBackPixmap:
			switch v {
			case 0:
				bg, newBg = paint{kind: paintNone}, true
			case 1: // ParentRelative
				if w.parent == nil || w.parent.depth != w.depth {
					return errMatch
				}
				bg, newBg = paint{kind: paintParentRelative}, true
			default:
				p, err := c.pixmapOfDepth(v, w.depth)
				if err != nil {
					return err
				}
				bg, newBg = paint{kind: paintPixmap, pixmap: p}, true
			}
		case protocol.CWBackPixel:
			bg, newBg = paint{kind: paintPixel, pixel: v & 0xFFFFFF}, true
		case protocol.CWBorderPixmap:
			if v == 0 { // CopyFromParent
				if w.parent == nil || w.parent.depth != w.depth {
					return errMatch
				}
				border, newBorder = w.parent.borderPaint, true
			} else {
				p, err := c.pixmapOfDepth(v, w.depth)
				if err != nil {
					return err
				}
				border, newBorder = paint{kind: paintPixmap, pixmap: p}, true
			}
		case protocol.CWBorderPixel:
			border, newBorder = paint{kind: paintPixel, pixel: v & 0xFFFFFF}, true
		case protocol.CWBitGravity:
			if v > 10 {
				return badValue(v)
			}
		case protocol.CWWinGravity:
			if v > 10 {
				return badValue(v)
			}
		case protocol.CWBackingStore:
			if v > 2 {
				return badValue(v)
			}
		case protocol.CWOverrideRedirect, protocol.CWSaveUnder:
			if v > 1 {
				return badValue(v)
			}
		case protocol.CWEventMask:
			if v&^0x01FFFFFF != 0 {
				return badValue(v)
			}
			eventMask, newEventMask = v, true
		case protocol.CWDontPropagate:
			if v&^0x01FFFFFF != 0 {
				return badValue(v)
			}
		case protocol.CWColormap:
			if v != 0 {
				m, err := c.colormap(v)
				if err != nil {
					return err
				}
				if m.visual != w.visual {
					return errMatch
				}
			} else if w.parent == nil || w.parent.visual != w.visual {
				return errMatch
			}
		case protocol.CWCursor:
			hasCursor = true
			k, err := c.cursorOrNone(v)
			if err != nil {
				return err
			}
			cur = k
		}
		changes = append(changes, change{bit, v})
	}
	if newEventMask {
		if err := w.setEventMask(c, eventMask); err != nil {
			return err
		}
	}
	for _, ch := range changes {
		v := ch.v
		switch ch.bit {
		case protocol.CWBitGravity:
			w.bitGravity = uint8(v)
		case protocol.CWWinGravity:
			w.winGravity = uint8(v)
		case protocol.CWBackingStore:
			w.backingStore = uint8(v)
		case protocol.CWBackingPlanes:
			w.backingPlanes = v
		case protocol.CWBackingPixel:
			w.backingPixel = v
		case protocol.CWOverrideRedirect:
			w.overrideRedirect = v != 0
		case protocol.CWSaveUnder:
			w.saveUnder = v != 0
		case protocol.CWDontPropagate:
			w.doNotPropagate = v
		case protocol.CWColormap:
			old := w.colormap
			if v == 0 {
				v = w.parent.colormap
			}
			w.colormap = v
			if !creating && old != v {
				c.s.colormapNotify(w, true)
			}
		}
	}
	if newBg {
		w.background = bg
	}
	if newBorder {
		w.borderPaint = border
		if !creating {
			c.s.repaintBorder(w)
		}
	}
	if hasCursor {
		w.cursor = cur
		if !creating {
			c.s.input.cursorChanged()
		}
	}
	return nil
}

func (c *client) changeWindowAttributes(b []byte) error {
	var r protocol.ChangeWindowAttributes
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	w, err := c.window(uint32(r.Window))
	if err != nil {
		return err
	}
	return c.setWindowAttributes(w, uint32(r.ValueMask), r.ValueList, false)
}

func (c *client) getWindowAttributes(b []byte) error {
	var r protocol.GetWindowAttributes
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	w, err := c.window(uint32(r.Window))
	if err != nil {
		return err
	}
	mapState := uint8(protocol.MapStateUnmapped)
	switch {
	case w.viewable:
		mapState = protocol.MapStateViewable
	case w.mapped:
		mapState = protocol.MapStateUnviewable
	}
	var yours uint32
	if l := w.listenerFor(c); l != nil {
		yours = l.mask
	}
	c.reply(&protocol.GetWindowAttributesReply{
		Sequence:           c.seq,
		BackingStore:       w.backingStore,
		Visual:             protocol.Visualid(w.visual),
		Class:              uint16(w.class),
		BitGravity:         w.bitGravity,
		WinGravity:         w.winGravity,
		BackingPlanes:      w.backingPlanes,
		BackingPixel:       w.backingPixel,
		SaveUnder:          w.saveUnder,
		MapIsInstalled:     w.colormap == colormapID,
		MapState:           mapState,
		OverrideRedirect:   w.overrideRedirect,
		Colormap:           protocol.Colormap(w.colormap),
		AllEventMasks:      w.allEventMasks(),
		YourEventMask:      yours,
		DoNotPropagateMask: uint16(w.doNotPropagate),
	})
	return nil
}

func (c *client) destroyWindow(b []byte) error {
	var r protocol.DestroyWindow
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	w, err := c.window(uint32(r.Window))
	if err != nil {
		return err
	}
	if w.parent == nil {
		return nil // the root is never destroyed
	}
	c.s.destroyWindow(w)
	return nil
}

func (c *client) destroySubwindows(b []byte) error {
	var r protocol.DestroySubwindows
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	w, err := c.window(uint32(r.Window))
	if err != nil {
		return err
	}
	c.s.destroyChildren(w)
	return nil
}

// destroyWindow unmaps w, then destroys it and its inferiors, children
// before parents, sending DestroyNotify for each.
func (s *Server) destroyWindow(w *window) {
	p := w.parent
	if w.mapped {
		s.unmapWindow(w, false)
	}
	s.destroyTree(w)
	w.unlink()
	w.parent = p // keep for the events already built; the window is gone
}

func (s *Server) destroyChildren(p *window) {
	if len(p.children) == 0 {
		return
	}
	s.beginUnmapChildren(p)
	for i := len(p.children) - 1; i >= 0; i-- {
		if ch := p.children[i]; ch.mapped {
			s.setUnmapped(ch, false)
		}
	}
	s.endChange(p)
	for len(p.children) > 0 {
		ch := p.children[len(p.children)-1]
		s.destroyTree(ch)
		ch.unlink()
	}
}

func (s *Server) destroyTree(w *window) {
	for i := len(w.children) - 1; i >= 0; i-- {
		s.destroyTree(w.children[i])
	}
	s.notify(w, func(ev protocol.Window) protocol.Event {
		return &protocol.DestroyNotifyEvent{Event: ev, Window: protocol.Window(w.id)}
	})
	s.input.windowDestroyed(w)
	s.selectionWindowDestroyed(w)
	s.dropFromSaveSets(w)
	w.props = nil
	w.listeners = nil
	w.children = nil
	s.forget(w.id)
}

func (c *client) mapWindow(b []byte) error {
	var r protocol.MapWindow
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	w, err := c.window(uint32(r.Window))
	if err != nil {
		return err
	}
	c.s.mapWindow(w, c)
	return nil
}

// mapWindow maps w on behalf of c, unless a window manager redirects it.
func (s *Server) mapWindow(w *window, c *client) {
	if w.mapped || w.parent == nil || s.mapRedirected(w, c) {
		return
	}
	p := w.parent
	s.beginChange(p)
	s.setMapped(w)
	s.endChange(p)
}

// mapRedirected reports whether another client, a window manager,
// redirects the mapping of w by c, and if so sends it a MapRequest for w.
// Override-redirect windows are mapped regardless.
func (s *Server) mapRedirected(w *window, c *client) bool {
	if w.overrideRedirect {
		return false
	}
	wm := redirector(w.parent, c)
	if wm == nil {
		return false
	}
	wm.event(&protocol.MapRequestEvent{Parent: protocol.Window(w.parent.id), Window: protocol.Window(w.id)})
	return true
}

// setMapped marks w mapped and sends MapNotify; setUnmapped marks it
// unmapped and sends UnmapNotify, fromConfigure when a resize of its
// parent unmaps it. Callers bracket them with beginChange and endChange
// of the parent, once for all the windows a request maps or unmaps.
func (s *Server) setMapped(w *window) {
	w.mapped = true
	s.notify(w, func(ev protocol.Window) protocol.Event {
		return &protocol.MapNotifyEvent{Event: ev, Window: protocol.Window(w.id), OverrideRedirect: w.overrideRedirect}
	})
}

func (s *Server) setUnmapped(w *window, fromConfigure bool) {
	w.mapped = false
	s.notify(w, func(ev protocol.Window) protocol.Event {
		return &protocol.UnmapNotifyEvent{Event: ev, Window: protocol.Window(w.id), FromConfigure: fromConfigure}
	})
}

func (c *client) mapSubwindows(b []byte) error {
	var r protocol.MapSubwindows
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	w, err := c.window(uint32(r.Window))
	if err != nil {
		return err
	}
	s := c.s
	s.beginChange(w)
	// Top to bottom, as the protocol orders MapSubwindows.
	for i := len(w.children) - 1; i >= 0; i-- {
		if ch := w.children[i]; !ch.mapped && !s.mapRedirected(ch, c) {
			s.setMapped(ch)
		}
	}
	s.endChange(w)
	return nil
}

func (c *client) unmapWindow(b []byte) error {
	var r protocol.UnmapWindow
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	w, err := c.window(uint32(r.Window))
	if err != nil {
		return err
	}
	c.s.unmapWindow(w, false)
	return nil
}

func (s *Server) unmapWindow(w *window, fromConfigure bool) {
	if !w.mapped || w.parent == nil {
		return
	}
	p := w.parent
	s.beginChange(p)
	s.setUnmapped(w, fromConfigure)
	s.endChange(p)
}

func (c *client) unmapSubwindows(b []byte) error {
	var r protocol.UnmapSubwindows
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	w, err := c.window(uint32(r.Window))
	if err != nil {
		return err
	}
	s := c.s
	s.beginChange(w)
	for _, ch := range w.children { // bottom to top
		if ch.mapped {
			s.setUnmapped(ch, false)
		}
	}
	s.endChange(w)
	return nil
}

// Stack modes of ConfigureWindow and CirculateWindow.
const (
	stackAbove    = 0
	stackBelow    = 1
	stackTopIf    = 2
	stackBottomIf = 3
	stackOpposite = 4
)

// A configuration is what ConfigureWindow asks for.
type configuration struct {
	mask          uint16
	x, y          int
	width, height int
	border        int
	sibling       *window
	stackMode     int
}

func (c *client) configureWindow(b []byte) error {
	var r protocol.ConfigureWindow
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	w, err := c.window(uint32(r.Window))
	if err != nil {
		return err
	}
	mask := uint32(r.ValueMask)
	if mask&^0x7F != 0 {
		return badValue(mask)
	}
	cf := configuration{mask: uint16(mask), x: w.x, y: w.y, width: w.width, height: w.height, border: w.border, stackMode: stackAbove}
	for bit, v := range protocol.Values(mask, r.ValueList) {
		switch bit {
		case protocol.ConfigWindowX:
			cf.x = int(int16(v))
		case protocol.ConfigWindowY:
			cf.y = int(int16(v))
		case protocol.ConfigWindowWidth:
			if uint16(v) == 0 {
				return badValue(v)
			}
			cf.width = int(uint16(v))
		case protocol.ConfigWindowHeight:
			if uint16(v) == 0 {
				return badValue(v)
			}
			cf.height = int(uint16(v))
		case protocol.ConfigWindowBorderWidth:
			if w.class == classInputOnly && v != 0 {
				return errMatch
			}
			cf.border = int(uint16(v))
		case protocol.ConfigWindowSibling:
			sib, err := c.window(v)
			if err != nil {
				return err
			}
			cf.sibling = sib
		case protocol.ConfigWindowStackMode:
			if v > stackOpposite {
				return badValue(v)
			}
			cf.stackMode = int(v)
		}
	}
	if cf.sibling != nil {
		if mask&protocol.ConfigWindowStackMode == 0 || cf.sibling.parent != w.parent || cf.sibling == w {
			return errMatch
		}
	}
	if w.parent == nil {
		return nil // the root cannot be configured
	}
	c.s.configure(w, cf, c)
	return nil
}

// configure carries out a ConfigureWindow for c (nil: the server itself).
func (s *Server) configure(w *window, cf configuration, c *client) {
	p := w.parent
	if !w.overrideRedirect {
		if wm := redirector(p, c); wm != nil {
			var sib protocol.Window
			if cf.sibling != nil {
				sib = protocol.Window(cf.sibling.id)
			}
			wm.event(&protocol.ConfigureRequestEvent{
				StackMode:   uint8(cf.stackMode),
				Parent:      protocol.Window(p.id),
				Window:      protocol.Window(w.id),
				Sibling:     sib,
				X:           int16(cf.x),
				Y:           int16(cf.y),
				Width:       uint16(cf.width),
				Height:      uint16(cf.height),
				BorderWidth: uint16(cf.border),
				ValueMask:   cf.mask,
			})
			return
		}
	}
	resized := cf.width != w.width || cf.height != w.height
	if resized {
		// ResizeRedirect: another client decides sizes.
		for _, l := range w.listeners {
			if l.mask&protocol.EventMaskResizeRedirect != 0 && l.c != c {
				l.c.event(&protocol.ResizeRequestEvent{Window: protocol.Window(w.id), Width: uint16(cf.width), Height: uint16(cf.height)})
				cf.width, cf.height = w.width, w.height
				resized = false
				break
			}
		}
	}

	// Work out the new stacking position first: it depends on the new
	// geometry for TopIf and friends.
	restack := false
	var above *window // sibling to stack w just above; nil with toBottom
	toTop, toBottom := false, false
	if cf.mask&protocol.ConfigWindowStackMode != 0 {
		newOuter := image.Rect(cf.x, cf.y, cf.x+cf.width+2*cf.border, cf.y+cf.height+2*cf.border)
		restack, above, toTop, toBottom = s.stackChange(w, newOuter, cf.sibling, cf.stackMode)
	}
	moved := cf.x != w.x || cf.y != w.y
	if !moved && !resized && cf.border == w.border && !restack {
		s.sendConfigureNotify(w)
		return
	}

	s.beginChange(p)
	oldW, oldH := w.width, w.height
	w.x, w.y, w.width, w.height, w.border = cf.x, cf.y, cf.width, cf.height, cf.border
	switch {
	case toTop:
		w.stackTop()
	case toBottom:
		w.stackBottom()
	case restack:
		w.stackAbove(above)
	}
	if resized {
		s.resizeChildren(w, oldW, oldH)
		if w.bitGravity == protocol.GravityBitForget {
			w.copyMode = forget
		} else {
			w.copyMode = copySelf
			w.gravityShift = gravityOffset(int(w.bitGravity), oldW, oldH, w.width, w.height)
		}
		for _, ch := range w.children {
			ch.copyMode = copyTree
		}
	} else {
		w.copyMode = copyTree
	}
	s.sendConfigureNotify(w)
	s.endChange(p)
}

// sendConfigureNotify tells w's listeners and its parent's of w's geometry.
func (s *Server) sendConfigureNotify(w *window) {
	var above protocol.Window
	if i := w.index(); i > 0 {
		above = protocol.Window(w.parent.children[i-1].id)
	}
	s.notify(w, func(ev protocol.Window) protocol.Event {
		return &protocol.ConfigureNotifyEvent{
			Event:            ev,
			Window:           protocol.Window(w.id),
			AboveSibling:     above,
			X:                int16(w.x),
			Y:                int16(w.y),
			Width:            uint16(w.width),
			Height:           uint16(w.height),
			BorderWidth:      uint16(w.border),
			OverrideRedirect: w.overrideRedirect,
		}
	})
}

// resizeChildren applies win gravity to w's children after w changed size
// from oldW x oldH.
func (s *Server) resizeChildren(w *window, oldW, oldH int) {
	for _, ch := range w.children {
		if ch.winGravity == protocol.GravityWinUnmap {
			if ch.mapped {
				s.setUnmapped(ch, true)
			}
			continue
		}
		off := gravityOffset(int(ch.winGravity), oldW, oldH, w.width, w.height)
		if off == (image.Point{}) {
			continue
		}
		ch.x += off.X
		ch.y += off.Y
		s.notify(ch, func(ev protocol.Window) protocol.Event {
			return &protocol.GravityNotifyEvent{Event: ev, Window: protocol.Window(ch.id), X: int16(ch.x), Y: int16(ch.y)}
		})
	}
}

// gravityOffset is how far a gravity moves something when its container
// changes size from (ow, oh) to (nw, nh).
func gravityOffset(g, ow, oh, nw, nh int) image.Point {
	dw, dh := nw-ow, nh-oh
	switch g {
	case protocol.GravityNorthWest:
		return image.Pt(0, 0)
	case protocol.GravityNorth:
		return image.Pt(dw/2, 0)
	case protocol.GravityNorthEast:
		return image.Pt(dw, 0)
	case protocol.GravityWest:
		return image.Pt(0, dh/2)
	case protocol.GravityCenter:
		return image.Pt(dw/2, dh/2)
	case protocol.GravityEast:
		return image.Pt(dw, dh/2)
	case protocol.GravitySouthWest:
		return image.Pt(0, dh)
	case protocol.GravitySouth:
		return image.Pt(dw/2, dh)
	case protocol.GravitySouthEast:
		return image.Pt(dw, dh)
	}
	return image.Point{} // Static and Forget: no offset
}

// stackChange decides where a stack mode puts w. It reports whether the
// stacking changes and, if so, the sibling to stack w above (or toTop or
// toBottom).
func (s *Server) stackChange(w *window, newOuter image.Rectangle, sib *window, mode int) (changed bool, above *window, toTop, toBottom bool) {
	p := w.parent
	i := w.index()
	// overlapped reports whether a mapped window of vs overlaps where w
	// is going.
	overlapped := func(vs []*window) bool {
		for _, v := range vs {
			outer := image.Rect(v.x, v.y, v.x+v.width+2*v.border, v.y+v.height+2*v.border)
			if v.mapped && outer.Overlaps(newOuter) {
				return true
			}
		}
		return false
	}
	switch mode {
	case stackAbove:
		if sib == nil {
			return i != len(p.children)-1, nil, true, false
		}
		if sib.index() == i-1 {
			return false, nil, false, false
		}
		return true, sib, false, false
	case stackBelow:
		if sib == nil {
			return i != 0, nil, false, true
		}
		j := sib.index()
		if j == i+1 {
			return false, nil, false, false
		}
		// Just below sib: above whatever is below sib.
		if j == 0 {
			return true, nil, false, true
		}
		b := p.children[j-1]
		if b == w {
			return false, nil, false, false
		}
		return true, b, false, false
	case stackTopIf, stackBottomIf, stackOpposite:
		// TopIf raises w if a sibling above it occludes it, BottomIf
		// lowers it if it occludes one below; Opposite tries TopIf, then
		// BottomIf. Given a sibling, only that one counts.
		higher, lower := p.children[i+1:], p.children[:i]
		if sib != nil {
			higher, lower = nil, nil
			switch j := sib.index(); {
			case j > i:
				higher = []*window{sib}
			case j < i:
				lower = []*window{sib}
			}
		}
		if mode != stackBottomIf && overlapped(higher) {
			return true, nil, true, false
		}
		if mode != stackTopIf && overlapped(lower) {
			return true, nil, false, true
		}
	}
	return false, nil, false, false
}

func (c *client) circulateWindow(b []byte) error {
	var r protocol.CirculateWindow
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	w, err := c.window(uint32(r.Window))
	if err != nil {
		return err
	}
	if r.Direction > 1 {
		return badValue(uint32(r.Direction))
	}
	c.s.circulate(w, int(r.Direction), c)
	return nil
}

// circulate raises the lowest mapped child of w that some other mapped
// child occludes (direction 0, RaiseLowest), or lowers the highest mapped
// child that occludes another (1, LowerHighest).
func (s *Server) circulate(w *window, dir int, c *client) {
	var target *window
	overlapsAny := func(v *window) bool {
		for _, o := range w.children {
			if o != v && o.mapped && o.outer().Overlaps(v.outer()) {
				return true
			}
		}
		return false
	}
	if dir == 0 {
		for _, ch := range w.children {
			if ch.mapped && overlapsAny(ch) {
				target = ch
				break
			}
		}
	} else {
		for i := len(w.children) - 1; i >= 0; i-- {
			ch := w.children[i]
			if ch.mapped && overlapsAny(ch) {
				target = ch
				break
			}
		}
	}
	if target == nil {
		return
	}
	place := uint8(0) // PlaceOnTop
	if dir == 1 {
		place = 1
	}
	if wm := redirector(w, c); wm != nil {
		wm.event(&protocol.CirculateRequestEvent{Event: protocol.Window(w.id), Window: protocol.Window(target.id), Place: place})
		return
	}
	s.beginChange(w)
	if dir == 0 {
		target.stackTop()
	} else {
		target.stackBottom()
	}
	s.notify(target, func(ev protocol.Window) protocol.Event {
		return &protocol.CirculateNotifyEvent{Event: ev, Window: protocol.Window(target.id), Place: place}
	})
	s.endChange(w)
}

func (c *client) reparentWindow(b []byte) error {
	var r protocol.ReparentWindow
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	w, err := c.window(uint32(r.Window))
	if err != nil {
		return err
	}
	np, err := c.window(uint32(r.Parent))
	if err != nil {
		return err
	}
	if w.parent == nil || np == w || np.isInferiorOf(w) {
		return errMatch
	}
	if np.class == classInputOnly && w.class != classInputOnly {
		return errMatch
	}
	c.s.reparent(w, np, int(r.X), int(r.Y), c)
	return nil
}

// reparent moves w into np for client c. A mapped window is unmapped
// first and mapped again after, on c's behalf, as the protocol says: so a
// window manager reparenting into its own frame is not redirected to itself.
func (s *Server) reparent(w, np *window, x, y int, c *client) {
	wasMapped := w.mapped
	if wasMapped {
		s.unmapWindow(w, false)
	}
	old := w.parent
	w.unlink()
	w.parent = np
	w.x, w.y = x, y
	np.children = append(np.children, w)
	w.updateAbsTree()
	ev := func(event protocol.Window) protocol.Event {
		return &protocol.ReparentNotifyEvent{
			Event:            event,
			Window:           protocol.Window(w.id),
			Parent:           protocol.Window(np.id),
			X:                int16(x),
			Y:                int16(y),
			OverrideRedirect: w.overrideRedirect,
		}
	}
	if w.selects(protocol.EventMaskStructureNotify) {
		s.deliver(w, ev(protocol.Window(w.id)), protocol.EventMaskStructureNotify)
	}
	if old.selects(protocol.EventMaskSubstructureNotify) {
		s.deliver(old, ev(protocol.Window(old.id)), protocol.EventMaskSubstructureNotify)
	}
	if np.selects(protocol.EventMaskSubstructureNotify) {
		s.deliver(np, ev(protocol.Window(np.id)), protocol.EventMaskSubstructureNotify)
	}
	if wasMapped {
		s.mapWindow(w, c)
	}
}

func (w *window) updateAbsTree() {
	w.walk(func(v *window) { v.setAbsFromParent() })
}

func (c *client) changeSaveSet(b []byte) error {
	var r protocol.ChangeSaveSet
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	w, err := c.window(uint32(r.Window))
	if err != nil {
		return err
	}
	if w.owner == c || w.owner == nil {
		return errMatch
	}
	switch r.Mode {
	case 0: // Insert
		for _, v := range c.saveSet {
			if v == w {
				return nil
			}
		}
		c.saveSet = append(c.saveSet, w)
		c.s.saveSets++
	case 1: // Delete
		for i, v := range c.saveSet {
			if v == w {
				c.saveSet = append(c.saveSet[:i], c.saveSet[i+1:]...)
				c.s.saveSets--
				break
			}
		}
	default:
		return badValue(uint32(r.Mode))
	}
	return nil
}

func (s *Server) dropFromSaveSets(w *window) {
	if s.saveSets == 0 {
		return // the usual case: no need to look at every client
	}
	for _, c := range s.clients[1:] {
		if c == nil {
			continue
		}
		for i, v := range c.saveSet {
			if v == w {
				c.saveSet = append(c.saveSet[:i], c.saveSet[i+1:]...)
				s.saveSets--
				break
			}
		}
	}
}

func (c *client) getGeometry(b []byte) error {
	var r protocol.GetGeometry
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	rep := &protocol.GetGeometryReply{Sequence: c.seq, Root: rootID}
	switch d := c.s.resources[uint32(r.Drawable)].(type) {
	case *window:
		rep.Depth = uint8(d.depth)
		rep.X, rep.Y = int16(d.x), int16(d.y)
		rep.Width, rep.Height = uint16(d.width), uint16(d.height)
		rep.BorderWidth = uint16(d.border)
	case *pixmap:
		rep.Depth = uint8(d.pix.Depth)
		rep.Width, rep.Height = uint16(d.pix.Width), uint16(d.pix.Height)
	default:
		return badDrawable(uint32(r.Drawable))
	}
	c.reply(rep)
	return nil
}

func (c *client) queryTree(b []byte) error {
	var r protocol.QueryTree
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	w, err := c.window(uint32(r.Window))
	if err != nil {
		return err
	}
	rep := &protocol.QueryTreeReply{Sequence: c.seq, Root: rootID}
	if w.parent != nil {
		rep.Parent = protocol.Window(w.parent.id)
	}
	rep.Children = make([]protocol.Window, len(w.children))
	for i, ch := range w.children {
		rep.Children[i] = protocol.Window(ch.id)
	}
	rep.ChildrenLen = uint16(len(w.children))
	c.reply(rep)
	return nil
}

func (c *client) translateCoordinates(b []byte) error {
	var r protocol.TranslateCoordinates
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	src, err := c.window(uint32(r.SrcWindow))
	if err != nil {
		return err
	}
	dst, err := c.window(uint32(r.DstWindow))
	if err != nil {
		return err
	}
	p := src.abs.Add(image.Pt(int(r.SrcX), int(r.SrcY)))
	rel := p.Sub(dst.abs)
	rep := &protocol.TranslateCoordinatesReply{Sequence: c.seq, SameScreen: true, DstX: int16(rel.X), DstY: int16(rel.Y)}
	// The child of dst that contains the point, if any, mapped.
	for i := len(dst.children) - 1; i >= 0; i-- {
		ch := dst.children[i]
		if ch.mapped && p.In(ch.outer()) {
			rep.Child = protocol.Window(ch.id)
			break
		}
	}
	c.reply(rep)
	return nil
}
