package xlib

import (
	"image"
	"sync"

	"netdisplay/protocol"
)

// Resource handles. Each is the id the server knows the resource by, and
// 0 is None. They are distinct types so that a GC cannot be passed for a
// window; convert from the protocol types found in events and replies
// (xlib.Window(ev.Window)).
type (
	Window   protocol.Window
	Pixmap   protocol.Pixmap
	GC       protocol.Gcontext
	Font     protocol.Font
	Colormap protocol.Colormap
	Cursor   protocol.Cursor
)

// Atoms and timestamps are used as they are in the protocol's events.
type (
	Atom      = protocol.Atom
	Timestamp = protocol.Timestamp
)

// CurrentTime is the timestamp that means the server's current time.
const CurrentTime Timestamp = protocol.TimeCurrentTime

// A Drawable is a Window or a Pixmap: what drawing requests draw on.
type Drawable interface {
	Drawable() protocol.Drawable
}

// Drawable returns w as a drawable.
func (w Window) Drawable() protocol.Drawable { return protocol.Drawable(w) }

// Drawable returns p as a drawable.
func (p Pixmap) Drawable() protocol.Drawable { return protocol.Drawable(p) }

// drawable is what the library knows of a window or pixmap it created:
// enough to convert images for it without asking the server.
type drawable struct {
	depth  uint8
	visual protocol.Visualid // 0 for pixmaps
}

// remember records what a new drawable is; forget drops it.
func (c *Conn) remember(id uint32, d drawable) {
	c.mu.Lock()
	c.drawInfo[id] = d
	c.mu.Unlock()
}

func (c *Conn) forget(id uint32) {
	c.mu.Lock()
	delete(c.drawInfo, id)
	c.mu.Unlock()
}

// known returns what the library knows of a drawable: one it created, or
// a root window.
func (c *Conn) known(id uint32) (drawable, bool) {
	for _, s := range c.setup.Roots {
		if uint32(s.Root) == id {
			return drawable{depth: s.RootDepth, visual: s.RootVisual}, true
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.drawInfo[id]
	return d, ok
}

// A WindowAttr sets one window attribute (or more) in CreateWindow and
// ChangeWindowAttributes. Any attribute of the protocol can be written as
// one: WindowAttr(func(v *protocol.ValueSet) { v.Set(protocol.CWBackingPlanes, p) }).
type WindowAttr func(*protocol.ValueSet)

func windowAttr(bit, v uint32) WindowAttr {
	return func(s *protocol.ValueSet) { s.Set(bit, v) }
}

func boolValue(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

// BackPixmap sets the background to a tile; 0 is None, 1 ParentRelative.
func BackPixmap(p Pixmap) WindowAttr { return windowAttr(protocol.CWBackPixmap, uint32(p)) }

// BackPixel sets the background to a pixel value.
func BackPixel(pixel uint32) WindowAttr { return windowAttr(protocol.CWBackPixel, pixel) }

// BorderPixmap sets the border to a tile; 0 is CopyFromParent.
func BorderPixmap(p Pixmap) WindowAttr { return windowAttr(protocol.CWBorderPixmap, uint32(p)) }

// BorderPixel sets the border to a pixel value.
func BorderPixel(pixel uint32) WindowAttr { return windowAttr(protocol.CWBorderPixel, pixel) }

// BitGravity sets where the contents stay when the window is resized.
func BitGravity(g uint8) WindowAttr { return windowAttr(protocol.CWBitGravity, uint32(g)) }

// WinGravity sets where the window moves when its parent is resized.
func WinGravity(g uint8) WindowAttr { return windowAttr(protocol.CWWinGravity, uint32(g)) }

// BackingStore asks the server to keep the contents of obscured parts.
func BackingStore(b uint8) WindowAttr { return windowAttr(protocol.CWBackingStore, uint32(b)) }

// OverrideRedirect keeps window managers from intercepting the window's
// map and configure requests.
func OverrideRedirect(b bool) WindowAttr {
	return windowAttr(protocol.CWOverrideRedirect, boolValue(b))
}

// SaveUnder asks the server to keep what the window covers.
func SaveUnder(b bool) WindowAttr { return windowAttr(protocol.CWSaveUnder, boolValue(b)) }

// EventMask sets the events this connection receives for the window
// (protocol.EventMaskExposure | ...).
func EventMask(mask uint32) WindowAttr { return windowAttr(protocol.CWEventMask, mask) }

// DontPropagate sets the device events that do not go up to the parent.
func DontPropagate(mask uint32) WindowAttr { return windowAttr(protocol.CWDontPropagate, mask) }

// WindowColormap sets the window's colormap.
func WindowColormap(m Colormap) WindowAttr { return windowAttr(protocol.CWColormap, uint32(m)) }

// WindowCursor sets the pointer's shape in the window; 0 is the parent's.
func WindowCursor(k Cursor) WindowAttr { return windowAttr(protocol.CWCursor, uint32(k)) }

func windowValues(attrs []WindowAttr) protocol.ValueSet {
	var v protocol.ValueSet
	for _, a := range attrs {
		a(&v)
	}
	return v
}

// CreateWindow creates an InputOutput window of the parent's depth and
// visual, covering r in the parent's coordinates, with a border of the
// given width around r. It is not mapped.
func (c *Conn) CreateWindow(parent Window, r image.Rectangle, border int, attrs ...WindowAttr) (Window, error) {
	id, err := c.NewID()
	if err != nil {
		return 0, err
	}
	v := windowValues(attrs)
	err = c.Send(&protocol.CreateWindow{
		Wid:         protocol.Window(id),
		Parent:      protocol.Window(parent),
		X:           int16(r.Min.X),
		Y:           int16(r.Min.Y),
		Width:       uint16(max(r.Dx(), 1)),
		Height:      uint16(max(r.Dy(), 1)),
		BorderWidth: uint16(border),
		Class:       protocol.WindowClassInputOutput,
		ValueMask:   v.Mask,
		ValueList:   v.List,
	})
	if err != nil {
		return 0, err
	}
	if d, ok := c.known(uint32(parent)); ok {
		c.remember(id, d)
	}
	return Window(id), nil
}

// ChangeWindowAttributes changes attributes of w.
func (c *Conn) ChangeWindowAttributes(w Window, attrs ...WindowAttr) error {
	v := windowValues(attrs)
	return c.Send(&protocol.ChangeWindowAttributes{Window: protocol.Window(w), ValueMask: v.Mask, ValueList: v.List})
}

// SelectInput sets the events this connection receives for w.
func (c *Conn) SelectInput(w Window, mask uint32) error {
	return c.ChangeWindowAttributes(w, EventMask(mask))
}

// DestroyWindow destroys w and its subwindows.
func (c *Conn) DestroyWindow(w Window) error {
	c.forget(uint32(w))
	return c.Send(&protocol.DestroyWindow{Window: protocol.Window(w)})
}

// MapWindow maps w.
func (c *Conn) MapWindow(w Window) error {
	return c.Send(&protocol.MapWindow{Window: protocol.Window(w)})
}

// UnmapWindow unmaps w.
func (c *Conn) UnmapWindow(w Window) error {
	return c.Send(&protocol.UnmapWindow{Window: protocol.Window(w)})
}

// MoveResizeWindow moves and resizes w to cover r in its parent (border
// outside).
func (c *Conn) MoveResizeWindow(w Window, r image.Rectangle) error {
	return c.Send(&protocol.ConfigureWindow{
		Window:    protocol.Window(w),
		ValueMask: protocol.ConfigWindowX | protocol.ConfigWindowY | protocol.ConfigWindowWidth | protocol.ConfigWindowHeight,
		ValueList: []uint32{uint32(int32(r.Min.X)), uint32(int32(r.Min.Y)), uint32(max(r.Dx(), 1)), uint32(max(r.Dy(), 1))},
	})
}

// GetGeometry asks for the position, size, border and depth of a
// drawable.
func (c *Conn) GetGeometry(d Drawable) Cookie[*protocol.GetGeometryReply] {
	return Call[protocol.GetGeometryReply](c, &protocol.GetGeometry{Drawable: d.Drawable()})
}

// GetWindowAttributes asks for the attributes of w.
func (c *Conn) GetWindowAttributes(w Window) Cookie[*protocol.GetWindowAttributesReply] {
	return Call[protocol.GetWindowAttributesReply](c, &protocol.GetWindowAttributes{Window: protocol.Window(w)})
}

// CreatePixmap creates a pixmap of the given size and depth on the screen
// of d.
func (c *Conn) CreatePixmap(d Drawable, width, height, depth int) (Pixmap, error) {
	id, err := c.NewID()
	if err != nil {
		return 0, err
	}
	err = c.Send(&protocol.CreatePixmap{
		Depth:    uint8(depth),
		Pid:      protocol.Pixmap(id),
		Drawable: d.Drawable(),
		Width:    uint16(width),
		Height:   uint16(height),
	})
	if err != nil {
		return 0, err
	}
	c.remember(id, drawable{depth: uint8(depth)})
	return Pixmap(id), nil
}

// FreePixmap frees p.
func (c *Conn) FreePixmap(p Pixmap) error {
	c.forget(uint32(p))
	return c.Send(&protocol.FreePixmap{Pixmap: protocol.Pixmap(p)})
}

// QueryExtension asks whether the server has an extension, and its
// opcode, first event and first error.
func (c *Conn) QueryExtension(name string) Cookie[*protocol.QueryExtensionReply] {
	return Call[protocol.QueryExtensionReply](c, &protocol.QueryExtension{Name: []byte(name)})
}

// InternAtom returns the atom for name, creating it unless onlyIfExists
// (then a missing atom is 0). Predefined atoms and atoms already looked
// up on this connection are answered without a round trip.
func (c *Conn) InternAtom(name string, onlyIfExists bool) Cookie[Atom] {
	if a, ok := c.cachedAtom(name); ok {
		return ready(c, a)
	}
	return callDecode(c, &protocol.InternAtom{OnlyIfExists: onlyIfExists, Name: []byte(name)}, func(c *Conn, replies [][]byte) (Atom, error) {
		var r protocol.InternAtomReply
		if err := r.Unmarshal(c.order, replies[0]); err != nil {
			return 0, err
		}
		if r.Atom != 0 {
			c.cacheAtom(name, r.Atom)
		}
		return r.Atom, nil
	})
}

// AtomName returns the name of an atom.
func (c *Conn) AtomName(a Atom) Cookie[string] {
	c.mu.Lock()
	name, ok := c.names[a]
	c.mu.Unlock()
	if ok {
		return ready(c, name)
	}
	if int(a) < len(protocol.PredefinedAtoms) && a != 0 {
		return ready(c, protocol.PredefinedAtoms[a])
	}
	return callDecode(c, &protocol.GetAtomName{Atom: a}, func(c *Conn, replies [][]byte) (string, error) {
		var r protocol.GetAtomNameReply
		if err := r.Unmarshal(c.order, replies[0]); err != nil {
			return "", err
		}
		c.cacheAtom(string(r.Name), a)
		return string(r.Name), nil
	})
}

// predefined maps the names of the predefined atoms to them.
var predefined = sync.OnceValue(func() map[string]Atom {
	m := make(map[string]Atom)
	for a, name := range protocol.PredefinedAtoms {
		if name != "" {
			m[name] = Atom(a)
		}
	}
	return m
})

func (c *Conn) cachedAtom(name string) (Atom, bool) {
	if a, ok := predefined()[name]; ok {
		return a, true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.atoms[name]
	return a, ok
}

func (c *Conn) cacheAtom(name string, a Atom) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.atoms[name] = a
	c.names[a] = name
}

// ChangeProperty sets (mode PropModeReplace), or adds to
// (PropModePrepend, PropModeAppend), a property of w. Format is 8, 16 or
// 32 bits per item; data holds the items in the connection's byte order
// (see ByteOrder), or use ChangePropertyValues for 32-bit items.
func (c *Conn) ChangeProperty(w Window, mode uint8, prop, typ Atom, format uint8, data []byte) error {
	n := len(data)
	if format >= 8 {
		n = len(data) / int(format/8)
	}
	return c.Send(&protocol.ChangeProperty{
		Mode:     mode,
		Window:   protocol.Window(w),
		Property: prop,
		Type:     typ,
		Format:   format,
		DataLen:  uint32(n),
		Data:     data,
	})
}

// ChangePropertyValues sets a property of 32-bit items, such as ATOM,
// WINDOW or CARDINAL lists.
func (c *Conn) ChangePropertyValues(w Window, mode uint8, prop, typ Atom, values ...uint32) error {
	b := make([]byte, 0, 4*len(values))
	for _, v := range values {
		b = c.order.AppendU32(b, v)
	}
	return c.ChangeProperty(w, mode, prop, typ, 32, b)
}

// GetProperty reads a whole property of w, of any type, deleting it
// afterwards if delete is set. A missing property has Type 0.
func (c *Conn) GetProperty(w Window, prop Atom, delete bool) Cookie[*protocol.GetPropertyReply] {
	return Call[protocol.GetPropertyReply](c, &protocol.GetProperty{
		Delete:     delete,
		Window:     protocol.Window(w),
		Property:   prop,
		Type:       protocol.GetPropertyTypeAny,
		LongLength: 0x1fffffff, // all of it; 4 times this still fits in 32 bits, which X.Org needs
	})
}

// DeleteProperty deletes a property of w.
func (c *Conn) DeleteProperty(w Window, prop Atom) error {
	return c.Send(&protocol.DeleteProperty{Window: protocol.Window(w), Property: prop})
}
