package wm

import (
	"slices"

	"netdisplay/protocol"
	"netdisplay/xlib"
)

// A query is what the manager asks about a window before framing it, all
// in flight together: one round trip.
type query struct {
	w     xlib.Window
	attrs xlib.Cookie[*protocol.GetWindowAttributesReply]
	geom  xlib.Cookie[*protocol.GetGeometryReply]
	f     *frame // to be, with its properties asked for
}

// An update is a property of a client being read, at first or after it
// changed.
type update struct {
	atom  xlib.Atom
	reply xlib.Cookie[*protocol.GetPropertyReply]
}

// ask asks about a window to frame. It selects the window's events
// first, so that a property set after it is read is heard of.
func (m *manager) ask(w xlib.Window) *query {
	m.c.SelectInput(w, clientEvents)
	q := &query{w: w, attrs: m.c.GetWindowAttributes(w), geom: m.c.GetGeometry(w)}
	q.f = &frame{client: w, input: true} // ICCCM: a window without WM_HINTS takes the focus
	for _, a := range m.watched() {
		q.f.updates = append(q.f.updates, update{a, m.c.GetProperty(w, a, false)})
	}
	return q
}

// watched are the properties a frame depends on.
func (m *manager) watched() []xlib.Atom {
	return []xlib.Atom{m.atoms.netName, protocol.AtomWmName, protocol.AtomWmNormalHints,
		protocol.AtomWmHints, m.atoms.protocols, protocol.AtomWmTransientFor}
}

// reread asks for a property of f's client again. The reply is applied
// by refresh: when the frame's state is next needed, or when it arrives
// while the manager has nothing else to do. A client that changes its
// name or hints costs no wait.
func (m *manager) reread(f *frame, a xlib.Atom) {
	if !slices.Contains(m.watched(), a) {
		return
	}
	if len(f.updates) == 0 {
		m.stale = append(m.stale, f)
	}
	f.updates = append(f.updates, update{a, m.c.GetProperty(f.client, a, false)})
}

// refresh applies the properties read again for f, in the order they
// were asked for. With wait it waits for the replies not yet there;
// without, it stops at the first of those.
func (m *manager) refresh(f *frame, wait bool) {
	if len(f.updates) == 0 {
		return
	}
	name := f.name
	n := 0
	for _, u := range f.updates {
		if !wait && !isDone(u.reply) {
			break
		}
		n++
		if r, err := u.reply.Reply(); err == nil {
			m.apply(f, u.atom, r)
		}
	}
	f.updates = f.updates[n:]
	if len(f.updates) == 0 {
		f.updates = nil
		m.stale = slices.DeleteFunc(m.stale, func(o *frame) bool { return o == f })
	}
	if f.name != name {
		m.redraw(f)
	}
}

func isDone[T any](k xlib.Cookie[T]) bool {
	select {
	case <-k.Done():
		return true
	default:
		return false
	}
}

// apply sets what a property says in f.
func (m *manager) apply(f *frame, a xlib.Atom, r *protocol.GetPropertyReply) {
	switch a {
	case m.atoms.netName:
		f.netName = ""
		if r.Type == m.atoms.utf8 {
			f.netName = xlib.PropertyText(r)
		}
	case protocol.AtomWmName:
		f.wmName = xlib.PropertyText(r)
	case protocol.AtomWmNormalHints:
		f.hints = xlib.ParseSizeHints(m.c.PropertyValues(r))
	case protocol.AtomWmHints:
		f.input = true
		if h := xlib.ParseWMHints(m.c.PropertyValues(r)); h.Flags&xlib.InputHint != 0 {
			f.input = h.Input
		}
	case m.atoms.protocols:
		f.deleteWindow, f.takeFocus = false, false
		for _, p := range m.c.PropertyValues(r) {
			switch xlib.Atom(p) {
			case m.atoms.deleteWindow:
				f.deleteWindow = true
			case m.atoms.takeFocus:
				f.takeFocus = true
			}
		}
	case protocol.AtomWmTransientFor:
		f.transientFor = 0
		if v := m.c.PropertyValues(r); len(v) > 0 {
			f.transientFor = xlib.Window(v[0])
		}
	}
	// _NET_WM_NAME, in UTF-8, wins over WM_NAME when a client sets both.
	f.name = f.wmName
	if f.netName != "" {
		f.name = f.netName
	}
}
