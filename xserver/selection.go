package xserver

import (
	"netdisplay/protocol"
)

// A selection is owned by a window of some client, from a time on.
type selection struct {
	atom   uint32
	owner  *window
	client *client
	time   uint32
}

func (c *client) setSelectionOwner(b []byte) error {
	var r protocol.SetSelectionOwner
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	s := c.s
	w, err := c.windowOrNone(uint32(r.Owner))
	if err != nil {
		return err
	}
	if !s.atoms.valid(uint32(r.Selection)) {
		return badAtom(uint32(r.Selection))
	}
	t := s.timestamp(uint32(r.Time))
	sel := s.selections[uint32(r.Selection)]
	if sel != nil && int32(t-sel.time) < 0 || int32(t-s.now()) > 0 {
		return nil // too early, or in the future: ignored
	}
	if sel == nil {
		sel = &selection{atom: uint32(r.Selection)}
		s.selections[sel.atom] = sel
	}
	// The old owner hears it lost the selection, even from itself when
	// it gives it up to None, as X.Org tells it.
	if sel.client != nil && (sel.client != c || w == nil) && sel.owner != nil {
		sel.client.event(&protocol.SelectionClearEvent{
			Time:      protocol.Timestamp(t),
			Owner:     protocol.Window(sel.owner.id),
			Selection: protocol.Atom(sel.atom),
		})
	}
	sel.owner, sel.time = w, t
	sel.client = nil
	if w != nil {
		sel.client = c
	}
	s.selectionChanged(sel)
	return nil
}

func (c *client) getSelectionOwner(b []byte) error {
	var r protocol.GetSelectionOwner
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	s := c.s
	if !s.atoms.valid(uint32(r.Selection)) {
		return badAtom(uint32(r.Selection))
	}
	var owner protocol.Window
	if sel := s.selections[uint32(r.Selection)]; sel != nil && sel.owner != nil {
		owner = protocol.Window(sel.owner.id)
	}
	c.reply(&protocol.GetSelectionOwnerReply{Sequence: c.seq, Owner: owner})
	return nil
}

func (c *client) convertSelection(b []byte) error {
	var r protocol.ConvertSelection
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	s := c.s
	req, err := c.window(uint32(r.Requestor))
	if err != nil {
		return err
	}
	for _, a := range []protocol.Atom{r.Selection, r.Target} {
		if !s.atoms.valid(uint32(a)) {
			return badAtom(uint32(a))
		}
	}
	if r.Property != 0 && !s.atoms.valid(uint32(r.Property)) {
		return badAtom(uint32(r.Property))
	}
	sel := s.selections[uint32(r.Selection)]
	if sel != nil && sel.owner != nil && sel.client != nil {
		sel.client.event(&protocol.SelectionRequestEvent{
			Time:      r.Time,
			Owner:     protocol.Window(sel.owner.id),
			Requestor: r.Requestor,
			Selection: r.Selection,
			Target:    r.Target,
			Property:  r.Property,
		})
		return nil
	}
	if sel != nil && sel.owner != nil {
		// Owned by the server itself (a viewer's clipboard).
		s.convertServerSelection(sel, req, uint32(r.Target), uint32(r.Property), uint32(r.Time))
		return nil
	}
	// No owner: the requestor hears at once that there is nothing.
	if req.owner != nil {
		req.owner.event(&protocol.SelectionNotifyEvent{
			Time:      r.Time,
			Requestor: r.Requestor,
			Selection: r.Selection,
			Target:    r.Target,
			Property:  0,
		})
	}
	return nil
}

// selectionWindowDestroyed disowns selections owned by w.
func (s *Server) selectionWindowDestroyed(w *window) {
	for _, sel := range s.selections {
		if sel.owner == w {
			sel.owner, sel.client = nil, nil
			s.selectionChanged(sel)
		}
	}
}

func (s *Server) selectionClientGone(c *client) {
	for _, sel := range s.selections {
		if sel.client == c {
			sel.owner, sel.client = nil, nil
			s.selectionChanged(sel)
		}
	}
}
