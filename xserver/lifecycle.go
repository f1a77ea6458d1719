package xserver

import (
	"image"

	"netdisplay/protocol"
)

// What happens when a client goes: its grabs and selections end, windows
// it held in its save set go back to safety, and its resources are freed,
// unless it asked for them to be kept (SetCloseDownMode).

// Close-down modes.
const (
	closeDestroy         = 0
	closeRetainPermanent = 1
	closeRetainTemporary = 2
)

func (s *Server) disconnect(c *client) {
	if c.index == 0 || s.clients[c.index] != c {
		return
	}
	c.gone = true
	s.input.clientGone(c)
	i := c.info()
	s.gone.bytesIn += i.BytesIn
	s.gone.bytesOut += i.BytesOut
	s.gone.requests += i.Requests
	s.selectionClientGone(c)
	if s.grab == c {
		s.grab = nil
		s.ungrab.Broadcast()
	}
	s.restoreSaveSet(c)
	s.screen.root.walk(func(w *window) { w.removeListener(c) })
	s.clients[c.index] = nil
	s.nclient--
	if c.closeDown == closeDestroy {
		s.freeClientResources(c.index)
	} else {
		s.retainedMode[c.index] = c.closeDown
	}
	c.out = nil
	s.flushAll()
}

// retained reports whether client slot i still holds resources kept by
// SetCloseDownMode, so that it cannot be reused.
func (s *Server) retained(i int) bool { return s.retainedMode[i] != 0 }

// freeRetained frees everything kept by clients that left in
// RetainTemporary mode (KillClient with AllTemporary).
func (s *Server) freeRetained() {
	for i, m := range s.retainedMode {
		if m == closeRetainTemporary {
			s.freeClientResources(i)
		}
	}
}

// freeClientResources frees every resource in client slot i's range.
func (s *Server) freeClientResources(i int) {
	s.retainedMode[i] = 0
	var wins []*window
	var others []uint32
	for id, r := range s.resources {
		if owner(id) != i || i == 0 {
			continue
		}
		if w, ok := r.(*window); ok {
			wins = append(wins, w)
		} else {
			others = append(others, id)
		}
	}
	// Destroy the outermost of the client's windows; their inferiors go
	// with them.
	for _, w := range wins {
		if _, live := s.resources[w.id]; !live {
			continue
		}
		top := true
		for p := w.parent; p != nil; p = p.parent {
			if owner(p.id) == i && p.id != rootID {
				top = false
				break
			}
		}
		if top {
			s.destroyWindow(w)
		}
	}
	for _, id := range others {
		switch r := s.resources[id].(type) {
		case *pixmap:
			s.freePixmap(r)
		case *colormap:
			s.freeColormap(r)
		default:
			s.forget(id)
		}
	}
}

// restoreSaveSet gives back the windows in c's save set: each inside one of
// c's windows moves to the closest ancestor that is not c's, keeping its
// place on the screen, and is mapped. Both happen on c's behalf, as in
// X.Org, so that c's own redirection of the root (it is usually the window
// manager) does not turn them into requests to itself.
func (s *Server) restoreSaveSet(c *client) {
	for _, w := range c.saveSet {
		if _, live := s.resources[w.id]; !live {
			continue
		}
		p := w.parent
		for p != nil && p.owner == c {
			p = p.parent
		}
		if p != nil && p != w.parent {
			abs := w.abs.Sub(image.Pt(w.border, w.border))
			pos := abs.Sub(p.abs)
			s.reparent(w, p, pos.X, pos.Y, c)
		}
		if !w.mapped {
			s.mapWindow(w, c)
		}
	}
	s.saveSets -= len(c.saveSet)
	c.saveSet = nil
}

// swapEventBytes converts a core event, as SendEvent carries it, from one
// byte order to the other, field by field.
func swapEventBytes(ev []byte, from, to protocol.ByteOrder) {
	code := ev[0] & 0x7F
	swap16 := func(off int) { to.PutU16(ev[off:], from.U16(ev[off:])) }
	swap32 := func(off int) { to.PutU32(ev[off:], from.U32(ev[off:])) }
	if code != protocol.KeymapNotify {
		swap16(2) // sequence
	}
	switch code {
	case protocol.KeyPress, protocol.KeyRelease, protocol.ButtonPress, protocol.ButtonRelease, protocol.MotionNotify,
		protocol.EnterNotify, protocol.LeaveNotify:
		swap32(4)
		swap32(8)
		swap32(12)
		swap32(16)
		for off := 20; off <= 28; off += 2 {
			swap16(off)
		}
	case protocol.FocusIn, protocol.FocusOut, protocol.DestroyNotify, protocol.UnmapNotify, protocol.MapNotify,
		protocol.MapRequest, protocol.CirculateNotify, protocol.CirculateRequest:
		swap32(4)
		swap32(8)
	case protocol.Expose:
		swap32(4)
		for off := 8; off <= 16; off += 2 {
			swap16(off)
		}
	case protocol.GraphicsExposure:
		swap32(4)
		for off := 8; off <= 16; off += 2 {
			swap16(off)
		}
		swap16(18)
	case protocol.NoExposure:
		swap32(4)
		swap16(8)
	case protocol.VisibilityNotify:
		swap32(4)
	case protocol.CreateNotify:
		swap32(4)
		swap32(8)
		for off := 12; off <= 20; off += 2 {
			swap16(off)
		}
	case protocol.ReparentNotify:
		swap32(4)
		swap32(8)
		swap32(12)
		swap16(16)
		swap16(18)
	case protocol.ConfigureNotify:
		swap32(4)
		swap32(8)
		swap32(12)
		for off := 16; off <= 24; off += 2 {
			swap16(off)
		}
	case protocol.ConfigureRequest:
		swap32(4)
		swap32(8)
		swap32(12)
		for off := 16; off <= 26; off += 2 {
			swap16(off)
		}
	case protocol.GravityNotify:
		swap32(4)
		swap32(8)
		swap16(12)
		swap16(14)
	case protocol.ResizeRequest:
		swap32(4)
		swap16(8)
		swap16(10)
	case protocol.PropertyNotify:
		swap32(4)
		swap32(8)
		swap32(12)
	case protocol.SelectionClear:
		swap32(4)
		swap32(8)
		swap32(12)
	case protocol.SelectionRequest:
		for off := 4; off <= 24; off += 4 {
			swap32(off)
		}
	case protocol.SelectionNotify:
		for off := 4; off <= 20; off += 4 {
			swap32(off)
		}
	case protocol.ColormapNotify:
		swap32(4)
		swap32(8)
	case protocol.ClientMessage:
		swap32(4)
		swap32(8)
		switch ev[1] { // format
		case 16:
			for off := 12; off < 32; off += 2 {
				swap16(off)
			}
		case 32:
			for off := 12; off < 32; off += 4 {
				swap32(off)
			}
		}
	}
}
