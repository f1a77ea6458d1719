package xserver

import (
	"netdisplay/protocol"
)

// Event delivery. Every event is marshalled once per recipient, in the
// recipient's byte order, with the sequence number of the last request that
// recipient sent, as the protocol requires.

// event queues ev for c.
func (c *client) event(ev protocol.Event) {
	if c.gone {
		return
	}
	c.markDirty()
	start := len(c.out)
	c.out = ev.Marshal(c.order, c.out)
	c.stampEvent(c.out[start:])
}

// rawEvent queues a 32-byte event that is already marshalled in c's byte
// order (SendEvent carries one), stamping its sequence number.
func (c *client) rawEvent(b []byte) {
	if c.gone {
		return
	}
	c.markDirty()
	start := len(c.out)
	c.out = append(c.out, b[:32]...)
	c.stampEvent(c.out[start:])
}

func (c *client) stampEvent(b []byte) {
	if b[0]&0x7F != protocol.KeymapNotify {
		c.order.PutU16(b[2:], c.seq)
	}
}

func (c *client) markDirty() {
	if len(c.out) == 0 {
		c.s.dirty = append(c.s.dirty, c)
	}
}

// deliver sends ev to every client that selects one of mask on w.
func (s *Server) deliver(w *window, ev protocol.Event, mask uint32) {
	for _, l := range w.listeners {
		if l.mask&mask != 0 {
			l.c.event(ev)
		}
	}
}

// notify sends a structure event about w: to w's StructureNotify
// listeners with event = w, and to its parent's SubstructureNotify
// listeners with event = parent. mk builds the event for a given event window.
func (s *Server) notify(w *window, mk func(event protocol.Window) protocol.Event) {
	if w.selects(protocol.EventMaskStructureNotify) {
		s.deliver(w, mk(protocol.Window(w.id)), protocol.EventMaskStructureNotify)
	}
	if p := w.parent; p != nil && p.selects(protocol.EventMaskSubstructureNotify) {
		s.deliver(p, mk(protocol.Window(p.id)), protocol.EventMaskSubstructureNotify)
	}
}

// redirected reports whether a client other than c redirects the
// substructure of p, and returns that client's listener.
func redirector(p *window, c *client) *client {
	if p == nil {
		return nil
	}
	for _, l := range p.listeners {
		if l.mask&protocol.EventMaskSubstructureRedirect != 0 && l.c != c {
			return l.c
		}
	}
	return nil
}

// sendEvent handles the SendEvent request.
func (c *client) sendEvent(b []byte) error {
	var r protocol.SendEvent
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	s := c.s
	code := r.Event[0] & 0x7F
	// Core events only (below 64), or extension events we know: none.
	if code < 2 || code >= 35 {
		return badValue(uint32(code))
	}
	var target *window
	switch uint32(r.Destination) {
	case 0: // PointerWindow
		target = s.input.spriteWindow()
	case 1: // InputFocus
		f := s.input.focus
		if f.window == nil {
			return nil // focus None: the event is discarded
		}
		target = f.window
		if f.pointerRoot {
			target = s.input.spriteWindow()
		} else if pw := s.input.spriteWindow(); pw.isInferiorOf(target) {
			target = pw
		}
	default:
		w, err := c.window(uint32(r.Destination))
		if err != nil {
			return err
		}
		target = w
	}
	ev := r.Event
	ev[0] = code | 0x80 // the sent-event flag
	if target == s.clip.window {
		if code == protocol.SelectionNotify {
			s.clipboardArrived(ev[:], c.order)
		}
		return nil
	}
	// Each recipient gets the event in its own byte order.
	deliverTo := func(w *window, mask uint32) bool {
		sent := false
		for _, l := range w.listeners {
			if l.mask&mask != 0 {
				l.c.rawEvent(c.swapEvent(ev[:], l.c.order))
				sent = true
			}
		}
		return sent
	}
	mask := r.EventMask
	if mask == 0 {
		// An empty mask sends to the window's creator.
		if target.owner != nil {
			target.owner.rawEvent(c.swapEvent(ev[:], target.owner.order))
		}
		return nil
	}
	if !r.Propagate {
		deliverTo(target, mask)
		return nil
	}
	focus := s.input.focus.window
	for w := target; w != nil; w = w.parent {
		if deliverTo(w, mask) || w.doNotPropagate&mask != 0 || w == focus && !s.input.focus.pointerRoot {
			return nil
		}
	}
	return nil
}

// swapEvent converts a 32-byte core event from c's byte order to order.
func (c *client) swapEvent(ev []byte, order protocol.ByteOrder) []byte {
	if order == c.order {
		return ev
	}
	out := make([]byte, 32)
	copy(out, ev)
	swapEventBytes(out, c.order, order)
	return out
}
