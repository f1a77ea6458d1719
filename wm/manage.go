package wm

import (
	"image"
	"slices"

	"netdisplay/protocol"
	"netdisplay/xlib"
)

// mapRequest frames a window that asks to be mapped.
func (m *manager) mapRequest(w xlib.Window) {
	if m.clients[w] != nil || m.frames[w] != nil {
		m.c.MapWindow(w)
		return
	}
	m.manage(m.ask(w), false)
}

// manage frames the window q asked about: a frame window is made around
// it where the window wants to be, or where there is room; the window is
// put in the save set, reparented, and mapped with its frame. adopting
// says the window was mapped before the manager came, where it stays.
func (m *manager) manage(q *query, adopting bool) {
	c, l := m.c, m.look
	a, err := q.attrs.Reply()
	if err != nil {
		return // gone
	}
	g, err := q.geom.Reply()
	if err != nil {
		return
	}
	if a.OverrideRedirect || a.Class == protocol.WindowClassInputOnly || xlib.Window(g.Root) != m.root {
		// Not one to frame: a menu, nothing to see, or another
		// screen's.
		c.SelectInput(q.w, 0)
		if !a.OverrideRedirect && !adopting {
			c.MapWindow(q.w)
		}
		return
	}
	f := q.f
	f.bw = int(g.BorderWidth)
	m.refresh(f, true)
	f.size = constrain(f.hints, image.Pt(int(g.Width), int(g.Height)))
	f.pos = m.position(f, image.Pt(int(g.X), int(g.Y)), adopting)

	in := l.inner(f.size)
	f.win, err = c.CreateWindow(m.root, image.Rectangle{f.pos, f.pos.Add(in)}, l.border,
		xlib.BackPixel(l.edgePixel), xlib.BorderPixel(l.borderPixel),
		xlib.EventMask(frameEvents), xlib.WindowCursor(l.arrow))
	if err != nil {
		return
	}
	m.frames[f.win] = f
	m.clients[f.client] = f
	m.order = append(m.order, f)

	c.AddToSaveSet(f.client)
	if f.bw != 0 {
		c.ConfigureWindow(f.client, protocol.ConfigWindowBorderWidth, xlib.WindowChanges{})
	}
	c.ReparentWindow(f.client, f.win, image.Pt(l.edge, l.title))
	if f.size != image.Pt(int(g.Width), int(g.Height)) {
		c.ConfigureWindow(f.client, protocol.ConfigWindowWidth|protocol.ConfigWindowHeight, xlib.WindowChanges{Width: f.size.X, Height: f.size.Y})
	}
	c.MapWindow(f.client)
	c.MapWindow(f.win)
	c.ChangePropertyValues(f.client, protocol.PropModeReplace, m.atoms.state, m.atoms.state, xlib.NormalState, 0)
	m.grabClick(f)
	m.configureNotify(f)
	m.raise(f)
	m.focus(f, xlib.CurrentTime)
}

// position decides where a new frame goes: where the window says, when
// the user or (at other than the origin) the program chose it, or it was
// mapped before the manager came; over the window it is transient for;
// or in the first free spot.
func (m *manager) position(f *frame, at image.Point, adopting bool) image.Point {
	l := m.look
	h := f.hints.Flags
	chosen := h&xlib.USPosition != 0 || h&xlib.PPosition != 0 && at != image.Point{}
	var p image.Point
	switch owner := m.clients[f.transientFor]; {
	case adopting || chosen:
		p = at.Add(gravityOffset(l.metrics, f.gravity(), f.size, f.bw))
	case owner != nil:
		r := owner.rect(l.metrics)
		p = r.Min.Add(r.Size().Sub(l.outer(f.size)).Div(2))
	default:
		var taken []image.Rectangle
		for _, o := range m.order {
			taken = append(taken, o.rect(l.metrics))
		}
		p = place(l.outer(f.size), m.screen, taken, placeGap, placeStep)
	}
	// Keep the title bar where the pointer can reach it.
	p.Y = max(p.Y, m.screen.Min.Y)
	p.X = max(p.X, m.screen.Min.X-l.outer(f.size).X+l.title*3)
	p.X = min(p.X, m.screen.Max.X-l.title*3)
	p.Y = min(p.Y, m.screen.Max.Y-l.title)
	return p
}

// unmanage takes the frame away. When the client's window is still there
// (it withdrew by unmapping itself), it goes back to the root where its
// gravity puts it, with its border, and out of the save set.
func (m *manager) unmanage(f *frame, reparent bool) {
	c := m.c
	if reparent {
		c.SelectInput(f.client, 0)
		c.ReparentWindow(f.client, m.root, m.restingPlace(f))
		if f.bw != 0 {
			c.ConfigureWindow(f.client, protocol.ConfigWindowBorderWidth, xlib.WindowChanges{BorderWidth: f.bw})
		}
		c.RemoveFromSaveSet(f.client)
		c.ChangePropertyValues(f.client, protocol.PropModeReplace, m.atoms.state, m.atoms.state, xlib.WithdrawnState, 0)
	}
	c.DestroyWindow(f.win)
	delete(m.frames, f.win)
	delete(m.clients, f.client)
	m.order = slices.DeleteFunc(m.order, func(o *frame) bool { return o == f })
	if m.drag != nil && m.drag.f == f {
		c.Send(&protocol.UngrabPointer{Time: protocol.TimeCurrentTime})
		m.drag = nil
	}
	if m.press == f {
		m.press = nil
	}
	m.stale = slices.DeleteFunc(m.stale, func(o *frame) bool { return o == f })
	if m.active == f {
		m.active = nil
		// The focus goes to the window on top, if any takes it.
		for i := len(m.order) - 1; i >= 0; i-- {
			if o := m.order[i]; o.input || o.takeFocus {
				m.focus(o, xlib.CurrentTime)
				break
			}
		}
	}
}

// restingPlace is where the client's window goes on the root when its
// frame goes: where, by its gravity, it would be framed in the same place.
func (m *manager) restingPlace(f *frame) image.Point {
	return f.pos.Sub(gravityOffset(m.look.metrics, f.gravity(), f.size, f.bw))
}

// release gives every window back to the root, as the manager leaves.
func (m *manager) release() {
	for _, f := range slices.Clone(m.order) {
		m.unmanage(f, true)
		m.c.MapWindow(f.client)
	}
	m.c.SelectInput(m.root, 0)
}

// configureRequest does what a window asks, within the limits of its
// frame and hints. A window we do not manage gets what it asks.
func (m *manager) configureRequest(e *protocol.ConfigureRequestEvent) {
	c := m.c
	f := m.clients[xlib.Window(e.Window)]
	if f == nil {
		var v protocol.ValueSet
		for _, kv := range []struct {
			bit uint16
			v   uint32
		}{
			{protocol.ConfigWindowX, uint32(int32(e.X))},
			{protocol.ConfigWindowY, uint32(int32(e.Y))},
			{protocol.ConfigWindowWidth, uint32(e.Width)},
			{protocol.ConfigWindowHeight, uint32(e.Height)},
			{protocol.ConfigWindowBorderWidth, uint32(e.BorderWidth)},
			{protocol.ConfigWindowSibling, uint32(e.Sibling)},
			{protocol.ConfigWindowStackMode, uint32(e.StackMode)},
		} {
			if e.ValueMask&kv.bit != 0 {
				v.Set(uint32(kv.bit), kv.v)
			}
		}
		c.Send(&protocol.ConfigureWindow{Window: e.Window, ValueMask: uint16(v.Mask), ValueList: v.List})
		return
	}
	m.refresh(f, true) // its size hints
	l := m.look
	mask := e.ValueMask
	if mask&protocol.ConfigWindowBorderWidth != 0 {
		f.bw = int(e.BorderWidth) // its own, for when it leaves
	}
	size := f.size
	if mask&protocol.ConfigWindowWidth != 0 {
		size.X = int(e.Width)
	}
	if mask&protocol.ConfigWindowHeight != 0 {
		size.Y = int(e.Height)
	}
	size = constrain(f.hints, size)
	pos := f.pos
	if mask&(protocol.ConfigWindowX|protocol.ConfigWindowY) != 0 {
		at := m.restingPlace(f)
		if mask&protocol.ConfigWindowX != 0 {
			at.X = int(e.X)
		}
		if mask&protocol.ConfigWindowY != 0 {
			at.Y = int(e.Y)
		}
		pos = at.Add(gravityOffset(l.metrics, f.gravity(), size, f.bw))
	}
	if mask&protocol.ConfigWindowStackMode != 0 {
		m.stack(f, e.StackMode, m.clients[xlib.Window(e.Sibling)])
	}
	resized := m.moveResize(f, pos, size)
	if !resized {
		// ICCCM 4.1.5: a window moved, or not changed at all, hears
		// where it is from us, in root coordinates.
		m.configureNotify(f)
	}
}

// moveResize puts a frame at pos with its client at size, and reports
// whether the client was resized (and so told by the server).
func (m *manager) moveResize(f *frame, pos, size image.Point) bool {
	c, l := m.c, m.look
	var mask uint16
	if pos.X != f.pos.X {
		mask |= protocol.ConfigWindowX
	}
	if pos.Y != f.pos.Y {
		mask |= protocol.ConfigWindowY
	}
	resized := size != f.size
	if resized {
		mask |= protocol.ConfigWindowWidth | protocol.ConfigWindowHeight
	}
	f.pos, f.size = pos, size
	if mask == 0 {
		return false
	}
	in := l.inner(size)
	c.ConfigureWindow(f.win, mask, xlib.WindowChanges{X: pos.X, Y: pos.Y, Width: in.X, Height: in.Y})
	if resized {
		c.ConfigureWindow(f.client, protocol.ConfigWindowWidth|protocol.ConfigWindowHeight, xlib.WindowChanges{Width: size.X, Height: size.Y})
	}
	return resized
}

// configureNotify tells a client where its window is on the root, with
// the synthetic ConfigureNotify ICCCM asks for: the real ones say where
// it is in the frame.
func (m *manager) configureNotify(f *frame) {
	p := f.clientOrigin(m.look.metrics)
	m.c.SendEvent(f.client, false, protocol.EventMaskStructureNotify, &protocol.ConfigureNotifyEvent{
		Event:  protocol.Window(f.client),
		Window: protocol.Window(f.client),
		X:      int16(p.X),
		Y:      int16(p.Y),
		Width:  uint16(f.size.X),
		Height: uint16(f.size.Y),
	})
}

// raise puts a frame on top, and the windows transient for it above it.
func (m *manager) raise(f *frame) {
	m.c.RaiseWindow(f.win)
	m.restack(f, true)
	for _, t := range slices.Clone(m.order) {
		if t.transientFor == f.client && t != f {
			m.c.RaiseWindow(t.win)
			m.restack(t, true)
		}
	}
}

// stack restacks a frame as its client asked (above or below all, or a
// sibling's frame).
func (m *manager) stack(f *frame, mode uint8, sibling *frame) {
	ch := xlib.WindowChanges{StackMode: mode}
	mask := uint16(protocol.ConfigWindowStackMode)
	if sibling != nil && sibling != f {
		ch.Sibling, mask = sibling.win, mask|protocol.ConfigWindowSibling
	}
	m.c.ConfigureWindow(f.win, mask, ch)
	switch {
	case sibling == nil && mode == protocol.StackModeAbove:
		m.restack(f, true)
	case sibling == nil && mode == protocol.StackModeBelow:
		m.restack(f, false)
	}
}

// restack records that f went to the top (or the bottom) of the stack.
func (m *manager) restack(f *frame, top bool) {
	m.order = slices.DeleteFunc(m.order, func(o *frame) bool { return o == f })
	if top {
		m.order = append(m.order, f)
	} else {
		m.order = slices.Insert(m.order, 0, f)
	}
}

// focus gives the keyboard focus to a frame's client the way it asks
// (ICCCM 4.1.7): set on it when its input hint says so, and offered
// with WM_TAKE_FOCUS when it takes part in that protocol. t is the time
// of the click that asked for it, or CurrentTime.
func (m *manager) focus(f *frame, t xlib.Timestamp) {
	m.refresh(f, true) // its input hint and protocols
	if f.input {
		m.c.SetInputFocus(f.client, protocol.InputFocusPointerRoot, t)
	}
	if f.takeFocus {
		// WM_TAKE_FOCUS must carry a real time: the latest seen.
		if t == xlib.CurrentTime {
			t = m.now
		}
		m.message(f, m.atoms.takeFocus, t)
	}
	if f.input || f.takeFocus {
		m.setActive(f)
	}
}

// setActive makes f the frame shown with the focus.
func (m *manager) setActive(f *frame) {
	old := m.active
	if old == f {
		return
	}
	m.active = f
	if old != nil {
		old.active = false
		m.grabClick(old)
		m.redraw(old)
	}
	if f != nil {
		f.active = true
		m.c.Send(&protocol.UngrabButton{Button: protocol.ButtonIndexAny, GrabWindow: protocol.Window(f.client), Modifiers: protocol.ModMaskAny})
		m.redraw(f)
	}
}

// redraw draws a frame whose looks changed, unless its first Expose,
// still to come, will.
func (m *manager) redraw(f *frame) {
	if f.exposed {
		m.look.draw(m.c, f)
	}
}

// grabClick catches the first press on a window without the focus, to
// raise and focus it; the press then goes on to the window (ReplayPointer).
func (m *manager) grabClick(f *frame) {
	m.c.Send(&protocol.GrabButton{
		GrabWindow:   protocol.Window(f.client),
		EventMask:    protocol.EventMaskButtonPress,
		PointerMode:  protocol.GrabModeSync,
		KeyboardMode: protocol.GrabModeAsync,
		Button:       protocol.ButtonIndexAny,
		Modifiers:    protocol.ModMaskAny,
	})
}

// close asks a client to close its window, or ends the client when it
// cannot be asked.
func (m *manager) close(f *frame, t xlib.Timestamp) {
	m.refresh(f, true) // its protocols
	if f.deleteWindow {
		m.message(f, m.atoms.deleteWindow, t)
		return
	}
	m.c.KillClient(uint32(f.client))
}

// message sends a WM_PROTOCOLS message to a frame's client.
func (m *manager) message(f *frame, what xlib.Atom, t xlib.Timestamp) {
	ev := &protocol.ClientMessageEvent{Format: 32, Window: protocol.Window(f.client), Type: m.atoms.protocols}
	ev.Data.Data32[0] = uint32(what)
	ev.Data.Data32[1] = uint32(t)
	m.c.SendEvent(f.client, false, 0, ev)
}
