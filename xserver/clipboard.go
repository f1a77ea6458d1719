package xserver

import (
	"image"
	"unicode/utf8"

	"netdisplay/protocol"
)

// The clipboard joins the X PRIMARY selection to the viewers' clipboards.
// When a viewer cuts text, the server itself takes PRIMARY, with a window of
// its own as owner, and answers ConvertSelection. When an X client takes
// PRIMARY, the server asks it for the text, as any requestor would, and
// passes what arrives on to the viewers.

// clipWindowID is the server's hidden window for selections.
const clipWindowID = 0x00000023

type clipboard struct {
	window *window
	text   []byte // ISO 8859-1
	prop   uint32 // the property the server asks owners to write
}

func (s *Server) initClipboard() {
	root := s.screen.root
	w := &window{
		id: clipWindowID, parent: root, x: -1, y: -1, width: 1, height: 1,
		class: classInputOnly, visual: visualID, winGravity: protocol.GravityNorthWest,
		visibility: visNotViewable, overrideRedirect: true,
	}
	w.abs = image.Pt(-1, -1)
	root.children = append([]*window{w}, root.children...)
	s.resources[clipWindowID] = w
	s.clip.window = w
	s.clip.prop, _ = s.atoms.intern("NETDISPLAY_SELECTION", false)
}

// SetCutText makes text (ISO 8859-1) the PRIMARY selection, owned by the
// server, as a viewer's cut does.
func (s *Server) SetCutText(text []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clip.text = append(s.clip.text[:0:0], text...)
	sel := s.selections[protocol.AtomPrimary]
	if sel == nil {
		sel = &selection{atom: protocol.AtomPrimary}
		s.selections[sel.atom] = sel
	}
	t := s.now()
	if sel.client != nil && sel.owner != nil {
		sel.client.event(&protocol.SelectionClearEvent{Time: protocol.Timestamp(t), Owner: protocol.Window(sel.owner.id), Selection: protocol.AtomPrimary})
	}
	sel.owner, sel.client, sel.time = s.clip.window, nil, t
	s.flushAll()
}

// convertServerSelection answers a ConvertSelection of a selection the
// server owns.
func (s *Server) convertServerSelection(sel *selection, req *window, target, prop, t uint32) {
	if prop == 0 {
		prop = target // obsolete clients: the target names the property
	}
	targets, _ := s.atoms.intern("TARGETS", false)
	text, _ := s.atoms.intern("TEXT", false)
	utf8String, _ := s.atoms.intern("UTF8_STRING", false)
	ok := true
	switch target {
	case targets:
		var data []byte
		for _, a := range []uint32{targets, protocol.AtomString, text, utf8String} {
			data = protocol.LSBFirst.AppendU32(data, a)
		}
		s.setProperty(req, prop, protocol.AtomAtom, 32, protocol.PropModeReplace, data)
	case protocol.AtomString, text:
		s.setProperty(req, prop, protocol.AtomString, 8, protocol.PropModeReplace, s.clip.text)
	case utf8String:
		var u []byte
		for _, ch := range s.clip.text {
			u = utf8.AppendRune(u, rune(ch))
		}
		s.setProperty(req, prop, utf8String, 8, protocol.PropModeReplace, u)
	default:
		ok = false
	}
	if !ok {
		prop = 0
	}
	if req.owner != nil {
		req.owner.event(&protocol.SelectionNotifyEvent{
			Time:      protocol.Timestamp(t),
			Requestor: protocol.Window(req.id),
			Selection: protocol.Atom(sel.atom),
			Target:    protocol.Atom(target),
			Property:  protocol.Atom(prop),
		})
	}
}

// selectionChanged runs when a selection changes hands. When a client
// takes PRIMARY, the server asks it for the text.
func (s *Server) selectionChanged(sel *selection) {
	if sel.atom != protocol.AtomPrimary || sel.client == nil || sel.owner == nil {
		return
	}
	sel.client.event(&protocol.SelectionRequestEvent{
		Time:      protocol.Timestamp(sel.time),
		Owner:     protocol.Window(sel.owner.id),
		Requestor: clipWindowID,
		Selection: protocol.AtomPrimary,
		Target:    protocol.AtomString,
		Property:  protocol.Atom(s.clip.prop),
	})
}

// clipboardArrived handles the SelectionNotify an owner sends the server's
// window: the text is in the property, or the conversion failed.
func (s *Server) clipboardArrived(ev []byte, order protocol.ByteOrder) {
	var n protocol.SelectionNotifyEvent
	if n.Unmarshal(order, ev) != nil || n.Property == 0 {
		return
	}
	w := s.clip.window
	p, _ := w.property(uint32(n.Property))
	if p == nil {
		return
	}
	if p.format == 8 {
		s.clip.text = append(s.clip.text[:0:0], p.data...)
		s.screen.damage.cutText(s.clip.text)
	}
	s.deleteProperty(w, uint32(n.Property))
}
