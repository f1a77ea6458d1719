package wm

import (
	"image"

	"netdisplay/protocol"
	"netdisplay/xlib"
)

// A drag is a move or a resize under way: the pointer is grabbed from the
// press on the title bar or the corner until the release.
type drag struct {
	f      *frame
	resize bool
	start  image.Point // where the press was, on the root
	pos    image.Point // the frame's position then
	size   image.Point // and its client's size
}

// to follows the pointer. Each step is one ConfigureWindow for a move,
// two for a resize; no round trip.
func (d *drag) to(m *manager, p image.Point) {
	delta := p.Sub(d.start)
	if d.resize {
		// Size hints that changed apply once they are in: a drag
		// does not wait for them.
		m.refresh(d.f, false)
		m.moveResize(d.f, d.f.pos, constrain(d.f.hints, d.size.Add(delta)))
		return
	}
	m.moveResize(d.f, d.pos.Add(delta), d.f.size)
}

// pt converts event coordinates.
func pt(x, y int16) image.Point { return image.Pt(int(x), int(y)) }

// buttonPress handles a press on a frame, or on a client without the
// focus (the passive grab of grabClick).
func (m *manager) buttonPress(e *protocol.ButtonPressEvent) {
	f := m.frames[xlib.Window(e.Event)]
	if f == nil {
		// A press that grabClick caught, which froze the pointer.
		if f := m.clients[xlib.Window(e.Event)]; f != nil {
			m.raise(f)
			m.focus(f, e.Time)
		}
		// Let it through to the window, as if we had not been there,
		// even when the window is no longer ours.
		m.c.Send(&protocol.AllowEvents{Mode: protocol.AllowReplayPointer, Time: e.Time})
		return
	}
	if m.drag != nil {
		return
	}
	m.raise(f)
	m.focus(f, e.Time)
	if e.Detail != 1 {
		return
	}
	var cursor xlib.Cursor
	switch f.hit(m.look.metrics, pt(e.EventX, e.EventY)) {
	case partClose:
		m.press = f
		return
	case partTitle:
		cursor = m.look.move
		m.drag = &drag{f: f, start: pt(e.RootX, e.RootY), pos: f.pos, size: f.size}
	case partGrip:
		cursor = m.look.resize
		m.drag = &drag{f: f, resize: true, start: pt(e.RootX, e.RootY), pos: f.pos, size: f.size}
	default:
		return
	}
	// The press grabbed the pointer for the frame already; grabbing it
	// again changes the cursor and follows the pointer everywhere. The
	// reply says nothing the drag needs: it is not waited for.
	xlib.Call[protocol.GrabPointerReply](m.c, &protocol.GrabPointer{
		GrabWindow:   protocol.Window(f.win),
		EventMask:    protocol.EventMaskButtonRelease | protocol.EventMaskButtonMotion | protocol.EventMaskPointerMotion,
		PointerMode:  protocol.GrabModeAsync,
		KeyboardMode: protocol.GrabModeAsync,
		Cursor:       protocol.Cursor(cursor),
		Time:         e.Time,
	})
}

// buttonRelease ends a drag, or clicks the close button.
func (m *manager) buttonRelease(e *protocol.ButtonReleaseEvent) {
	if d := m.drag; d != nil && e.Detail == 1 {
		d.to(m, pt(e.RootX, e.RootY))
		m.drag = nil
		m.c.Send(&protocol.UngrabPointer{Time: e.Time})
		if !d.resize {
			m.configureNotify(d.f)
		}
		return
	}
	if f := m.press; f != nil && e.Detail == 1 {
		m.press = nil
		// The release counts where it happens, as with any button.
		if xlib.Window(e.Event) == f.win && f.hit(m.look.metrics, pt(e.EventX, e.EventY)) == partClose {
			m.close(f, e.Time)
		}
	}
}
