package xserver

import (
	"netdisplay/protocol"
)

// atomTable maps atom names to numbers and back. Atoms are never freed, as
// in every X server.
type atomTable struct {
	names []string // index = atom; names[0] is unused
	ids   map[string]uint32
	bytes int
}

// maxAtomBytes bounds the memory all atom names may take.
const maxAtomBytes = 16 << 20

func (t *atomTable) init() {
	t.names = append(t.names[:0], protocol.PredefinedAtoms[:]...)
	t.ids = make(map[string]uint32, 512)
	for i, n := range protocol.PredefinedAtoms {
		if i > 0 {
			t.ids[n] = uint32(i)
		}
	}
}

// intern returns the atom for name, creating it unless onlyIfExists.
func (t *atomTable) intern(name string, onlyIfExists bool) (uint32, bool) {
	if a, ok := t.ids[name]; ok {
		return a, true
	}
	if onlyIfExists || t.bytes+len(name) > maxAtomBytes {
		return 0, false
	}
	a := uint32(len(t.names))
	t.names = append(t.names, name)
	t.ids[name] = a
	t.bytes += len(name)
	return a, true
}

func (t *atomTable) name(a uint32) (string, bool) {
	if a == 0 || int(a) >= len(t.names) {
		return "", false
	}
	return t.names[a], true
}

func (t *atomTable) valid(a uint32) bool { return a != 0 && int(a) < len(t.names) }

// Intern gives other parts of netdisplay (the pixel protocol's clipboard,
// the window manager) access to atoms.
func (s *Server) Intern(name string) uint32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, _ := s.atoms.intern(name, false)
	return a
}

func (c *client) internAtom(b []byte) error {
	var r protocol.InternAtom
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if r.OnlyIfExists != true && r.OnlyIfExists != false {
		return badValue(0)
	}
	a, ok := c.s.atoms.intern(string(r.Name), r.OnlyIfExists)
	if !ok && !r.OnlyIfExists {
		return errAlloc
	}
	c.reply(&protocol.InternAtomReply{Sequence: c.seq, Atom: protocol.Atom(a)})
	return nil
}

func (c *client) getAtomName(b []byte) error {
	var r protocol.GetAtomName
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	name, ok := c.s.atoms.name(uint32(r.Atom))
	if !ok {
		return badAtom(uint32(r.Atom))
	}
	c.reply(&protocol.GetAtomNameReply{Sequence: c.seq, Name: []byte(name)})
	return nil
}

// A property is a named, typed value on a window. Values of format 16 and
// 32 are kept least significant byte first and swapped for clients of the
// other byte order, as X.Org keeps them in its own order.
type property struct {
	name   uint32
	typ    uint32
	format uint8
	data   []byte
}

func (w *window) property(name uint32) (*property, int) {
	for i, p := range w.props {
		if p.name == name {
			return p, i
		}
	}
	return nil, -1
}

// swapUnits converts property data between byte orders in place.
func swapUnits(data []byte, format uint8) {
	switch format {
	case 16:
		for i := 0; i+1 < len(data); i += 2 {
			data[i], data[i+1] = data[i+1], data[i]
		}
	case 32:
		for i := 0; i+3 < len(data); i += 4 {
			data[i], data[i+1], data[i+2], data[i+3] = data[i+3], data[i+2], data[i+1], data[i]
		}
	}
}

func (c *client) changeProperty(b []byte) error {
	if len(b) >= 24 {
		if f := b[16]; f != 8 && f != 16 && f != 32 {
			return badValue(uint32(f))
		}
		if m := b[1]; m > 2 {
			return badValue(uint32(m))
		}
	}
	var r protocol.ChangeProperty
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	w, err := c.window(uint32(r.Window))
	if err != nil {
		return err
	}
	s := c.s
	if !s.atoms.valid(uint32(r.Property)) {
		return badAtom(uint32(r.Property))
	}
	if !s.atoms.valid(uint32(r.Type)) {
		return badAtom(uint32(r.Type))
	}
	data := r.Data
	if c.order == protocol.MSBFirst {
		swapUnits(data, r.Format)
	}
	return s.setProperty(w, uint32(r.Property), uint32(r.Type), r.Format, r.Mode, data)
}

// setProperty changes a property and sends PropertyNotify.
func (s *Server) setProperty(w *window, name, typ uint32, format, mode uint8, data []byte) error {
	p, _ := w.property(name)
	switch mode {
	case protocol.PropModeReplace:
		if len(data) > s.cfg.Limits.PropertyBytes {
			return errAlloc
		}
		if p == nil {
			p = &property{name: name}
			w.props = append(w.props, p)
		}
		p.typ, p.format = typ, format
		p.data = append(p.data[:0:0], data...)
	case protocol.PropModePrepend, protocol.PropModeAppend:
		if p != nil && (p.typ != typ || p.format != format) {
			return errMatch
		}
		if p == nil {
			p = &property{name: name, typ: typ, format: format}
			w.props = append(w.props, p)
		}
		if len(p.data)+len(data) > s.cfg.Limits.PropertyBytes {
			return errAlloc
		}
		if mode == protocol.PropModeAppend {
			p.data = append(p.data, data...)
		} else {
			p.data = append(append(make([]byte, 0, len(p.data)+len(data)), data...), p.data...)
		}
	}
	s.propertyNotify(w, name, 0)
	return nil
}

func (s *Server) propertyNotify(w *window, name uint32, state uint8) {
	if w.selects(protocol.EventMaskPropertyChange) {
		s.deliver(w, &protocol.PropertyNotifyEvent{
			Window: protocol.Window(w.id),
			Atom:   protocol.Atom(name),
			Time:   protocol.Timestamp(s.now()),
			State:  state,
		}, protocol.EventMaskPropertyChange)
	}
}

func (c *client) deleteProperty(b []byte) error {
	var r protocol.DeleteProperty
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	w, err := c.window(uint32(r.Window))
	if err != nil {
		return err
	}
	if !c.s.atoms.valid(uint32(r.Property)) {
		return badAtom(uint32(r.Property))
	}
	c.s.deleteProperty(w, uint32(r.Property))
	return nil
}

func (s *Server) deleteProperty(w *window, name uint32) {
	if _, i := w.property(name); i >= 0 {
		w.props = append(w.props[:i], w.props[i+1:]...)
		s.propertyNotify(w, name, 1)
	}
}

func (c *client) getProperty(b []byte) error {
	var r protocol.GetProperty
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	s := c.s
	w, err := c.window(uint32(r.Window))
	if err != nil {
		return err
	}
	if !s.atoms.valid(uint32(r.Property)) {
		return badAtom(uint32(r.Property))
	}
	if r.Type != 0 && !s.atoms.valid(uint32(r.Type)) {
		return badAtom(uint32(r.Type))
	}
	if r.Delete != true && r.Delete != false {
		return badValue(0)
	}
	p, _ := w.property(uint32(r.Property))
	if p == nil {
		c.reply(&protocol.GetPropertyReply{Sequence: c.seq})
		return nil
	}
	if r.Type != 0 && uint32(r.Type) != p.typ {
		// The wrong type: say what it is and how long, return nothing.
		c.reply(&protocol.GetPropertyReply{Sequence: c.seq, Format: p.format, Type: protocol.Atom(p.typ), BytesAfter: uint32(len(p.data))})
		return nil
	}
	n := len(p.data)
	offset := 4 * int64(r.LongOffset)
	if offset > int64(n) {
		return badValue(r.LongOffset)
	}
	i := int(offset)
	l := min(int64(n-i), 4*int64(r.LongLength))
	value := p.data[i : i+int(l)]
	after := n - (i + int(l))
	unit := int(p.format) / 8
	out := value
	if c.order == protocol.MSBFirst && unit > 1 {
		out = append([]byte(nil), value...)
		swapUnits(out, p.format)
	}
	c.reply(&protocol.GetPropertyReply{
		Sequence:   c.seq,
		Format:     p.format,
		Type:       protocol.Atom(p.typ),
		BytesAfter: uint32(after),
		ValueLen:   uint32(len(value) / unit),
		Value:      out,
	})
	if r.Delete && after == 0 {
		s.deleteProperty(w, p.name)
	}
	return nil
}

func (c *client) listProperties(b []byte) error {
	var r protocol.ListProperties
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	w, err := c.window(uint32(r.Window))
	if err != nil {
		return err
	}
	atoms := make([]protocol.Atom, len(w.props))
	for i, p := range w.props {
		atoms[i] = protocol.Atom(p.name)
	}
	c.reply(&protocol.ListPropertiesReply{Sequence: c.seq, Atoms: atoms})
	return nil
}

func (c *client) rotateProperties(b []byte) error {
	var r protocol.RotateProperties
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	w, err := c.window(uint32(r.Window))
	if err != nil {
		return err
	}
	n := len(r.Atoms)
	props := make([]*property, n)
	for i, a := range r.Atoms {
		if !c.s.atoms.valid(uint32(a)) {
			return badAtom(uint32(a))
		}
		p, _ := w.property(uint32(a))
		if p == nil {
			return errMatch
		}
		for _, q := range props[:i] {
			if q == p {
				return errMatch
			}
		}
		props[i] = p
	}
	if n == 0 {
		return nil
	}
	d := ((int(r.Delta) % n) + n) % n
	if d == 0 {
		return nil
	}
	// The value of property i goes to property (i + delta) mod n.
	type value struct {
		typ    uint32
		format uint8
		data   []byte
	}
	vals := make([]value, n)
	for i, p := range props {
		vals[i] = value{p.typ, p.format, p.data}
	}
	for i, p := range props {
		v := vals[((i-d)%n+n)%n]
		p.typ, p.format, p.data = v.typ, v.format, v.data
	}
	for _, a := range r.Atoms {
		c.s.propertyNotify(w, uint32(a), 0)
	}
	return nil
}
