package xserver

import (
	"netdisplay/protocol"
)

// Resources live in one table keyed by id. Each client allocates ids in its
// own range (base | n, n within idMask), so the owner of a resource is the
// client whose index is in the id's top bits.

var errLength = &protocol.Error{Code: protocol.BadLength}

func xerr(code uint8, value uint32) error { return &protocol.Error{Code: code, BadValue: value} }

func badValue(v uint32) error    { return xerr(protocol.BadValue, v) }
func badWindow(v uint32) error   { return xerr(protocol.BadWindow, v) }
func badPixmap(v uint32) error   { return xerr(protocol.BadPixmap, v) }
func badDrawable(v uint32) error { return xerr(protocol.BadDrawable, v) }
func badGC(v uint32) error       { return xerr(protocol.BadGContext, v) }
func badAtom(v uint32) error     { return xerr(protocol.BadAtom, v) }
func badCursor(v uint32) error   { return xerr(protocol.BadCursor, v) }
func badFont(v uint32) error     { return xerr(protocol.BadFont, v) }
func badColormap(v uint32) error { return xerr(protocol.BadColormap, v) }
func badIDChoice(v uint32) error { return xerr(protocol.BadIDChoice, v) }

var (
	errMatch          = xerr(protocol.BadMatch, 0)
	errAccess         = xerr(protocol.BadAccess, 0)
	errAlloc          = xerr(protocol.BadAlloc, 0)
	errName           = xerr(protocol.BadName, 0)
	errImplementation = xerr(protocol.BadImplementation, 0)
)

// newID checks that id is free and in c's range.
func (c *client) newID(id uint32) error {
	if id&^idMask != c.base {
		return badIDChoice(id)
	}
	if _, used := c.s.resources[id]; used {
		return badIDChoice(id)
	}
	if c.nresources >= c.s.cfg.Limits.ResourcesPerCl {
		return errAlloc
	}
	return nil
}

// addResource records a new resource of c's.
func (c *client) addResource(id uint32, r any) {
	c.s.resources[id] = r
	c.nresources++
}

// forget removes id from the table.
func (s *Server) forget(id uint32) {
	if _, ok := s.resources[id]; !ok {
		return
	}
	delete(s.resources, id)
	s.resourceGen++ // every client's recent lookups may name it
	if c := s.clients[owner(id)]; c != nil && owner(id) != 0 {
		c.nresources--
	}
}

// recentLookup is a lookup a client made, valid while no resource has
// been freed since (gen is the server's resourceGen then).
type recentLookup struct {
	id  uint32
	gen uint64
	v   any
}

// lookup returns the resource named id, or nil. Drawing requests name the
// drawable and GC of the request before nearly always, and a map lookup
// costs more than the rest of a small request's decoding, so each client
// remembers its last two.
func (c *client) lookup(id uint32) any {
	gen := c.s.resourceGen
	for i := range c.recent {
		if r := &c.recent[i]; r.id == id && r.gen == gen && r.v != nil {
			return r.v
		}
	}
	v := c.s.resources[id]
	if v != nil {
		c.recent[c.recentNext] = recentLookup{id, gen, v}
		c.recentNext ^= 1
	}
	return v
}

func (c *client) window(id uint32) (*window, error) {
	if w, ok := c.lookup(id).(*window); ok {
		return w, nil
	}
	return nil, badWindow(id)
}

func (c *client) pixmap(id uint32) (*pixmap, error) {
	if p, ok := c.lookup(id).(*pixmap); ok {
		return p, nil
	}
	return nil, badPixmap(id)
}

// pixmapOfDepth looks up a pixmap that must be of the given depth, as a
// window's background or border, a GC's tile, or a bitmap (depth 1): a
// stipple, clip mask or cursor image. Another depth is a Match error.
func (c *client) pixmapOfDepth(id uint32, depth int) (*pixmap, error) {
	p, err := c.pixmap(id)
	if err != nil {
		return nil, err
	}
	if p.pix.Depth != depth {
		return nil, errMatch
	}
	return p, nil
}

func (c *client) gc(id uint32) (*gcontext, error) {
	if g, ok := c.lookup(id).(*gcontext); ok {
		return g, nil
	}
	return nil, badGC(id)
}

func (c *client) cursor(id uint32) (*cursor, error) {
	if k, ok := c.s.resources[id].(*cursor); ok {
		return k, nil
	}
	return nil, badCursor(id)
}

// windowOrNone and cursorOrNone look up a WINDOW or None, a CURSOR or
// None: None (0) is nil and no error.
func (c *client) windowOrNone(id uint32) (*window, error) {
	if id == 0 {
		return nil, nil
	}
	return c.window(id)
}

func (c *client) cursorOrNone(id uint32) (*cursor, error) {
	if id == 0 {
		return nil, nil
	}
	return c.cursor(id)
}

func (c *client) colormap(id uint32) (*colormap, error) {
	if m, ok := c.s.resources[id].(*colormap); ok {
		return m, nil
	}
	return nil, badColormap(id)
}

// A drawable is a window or a pixmap, as drawing requests see it.
type drawable interface {
	drawableDepth() int
	drawableID() uint32
}

func (w *window) drawableDepth() int { return w.depth }
func (w *window) drawableID() uint32 { return w.id }
func (p *pixmap) drawableDepth() int { return p.pix.Depth }
func (p *pixmap) drawableID() uint32 { return p.id }

func (c *client) drawable(id uint32) (drawable, error) {
	switch d := c.lookup(id).(type) {
	case *window:
		if d.class == classInputOnly {
			return nil, errMatch
		}
		return d, nil
	case *pixmap:
		return d, nil
	}
	return nil, badDrawable(id)
}
