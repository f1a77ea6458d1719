// Package wm is a small window manager: an ordinary X client, built on
// package xlib, that frames each application's window with a title bar
// and lets the user move, raise, focus, resize and close it.
//
// It knows nothing of the server it runs on but the X11 protocol, so it
// manages netdisplay's display, Xvfb or Xorg alike. On MapRequest it
// reparents the window into a frame of its own (a title bar with the
// window's name and a close button, an edge with a resize corner), adds it
// to its save set, and maps both. It honours the ICCCM properties window
// managers read: WM_NAME (and _NET_WM_NAME), WM_NORMAL_HINTS (position,
// size limits, increments, gravity), WM_HINTS (the input hint),
// WM_PROTOCOLS (WM_DELETE_WINDOW, WM_TAKE_FOCUS) and WM_TRANSIENT_FOR; it
// sets WM_STATE. Override-redirect windows (menus, tooltips) are never
// touched.
//
// With the mouse: a press anywhere on a window raises it and gives it the
// focus; dragging the title bar moves it; dragging the bottom right corner
// resizes it; the close button asks it to close with WM_DELETE_WINDOW, or
// kills its client when it does not take part in that protocol.
//
// Run costs a few round trips to start and one for each window it frames
// (its properties, asked together) or property it rereads; moving,
// resizing, raising, focusing and closing cost none. When the manager's
// connection ends, killed or not, the server gives the windows back to the
// root, where they stay mapped: that is what the save set is for. When its
// context is cancelled, Run does the same itself first, putting each
// window where the next window manager will frame it in the same place.
package wm

import (
	"context"
	"errors"
	"fmt"
	"image"

	"netdisplay/protocol"
	"netdisplay/xlib"
)

// Options change how Run manages windows. The zero value is the default.
type Options struct {
	// Font is the title font, an XLFD pattern or alias (DefaultFont
	// when empty; "fixed" when the server lacks it).
	Font string
	// Logf receives what the manager has to say (none when nil).
	Logf func(format string, args ...any)
}

// ErrOtherWM is returned by Run when another client manages the screen
// already.
var ErrOtherWM = errors.New("wm: another window manager is running")

// The events the manager selects.
const (
	rootEvents = protocol.EventMaskSubstructureRedirect
	// On frames: their children's requests and changes, and the mouse.
	frameEvents = protocol.EventMaskSubstructureRedirect | protocol.EventMaskSubstructureNotify |
		protocol.EventMaskButtonPress | protocol.EventMaskButtonRelease | protocol.EventMaskButtonMotion |
		protocol.EventMaskExposure
	// On clients: their names and hints, the focus, and their end,
	// which can come before they are in a frame to hear of it by.
	clientEvents = protocol.EventMaskPropertyChange | protocol.EventMaskFocusChange | protocol.EventMaskStructureNotify
)

// Distances for placing new windows.
const (
	placeGap  = 8
	placeStep = 24
)

// A manager is the state of a running window manager. It is used by one
// goroutine, Run's.
type manager struct {
	c      *xlib.Conn
	root   xlib.Window
	screen image.Rectangle
	look   *look
	atoms  atoms
	logf   func(string, ...any)

	frames  map[xlib.Window]*frame // by frame window
	clients map[xlib.Window]*frame // by client window
	order   []*frame               // bottom to top
	active  *frame                 // the one with the focus

	stale []*frame       // frames with properties being read again, oldest first
	drag  *drag          // the move or resize under way
	press *frame         // a press on this frame's close button, awaiting its release
	ahead protocol.Event // an event read while looking for the last motion
	now   xlib.Timestamp // the latest server time seen in an event
}

// Run manages the windows of c's default screen until ctx is done or the
// connection ends. Windows already mapped are framed at once. When ctx is
// done Run gives every window back to the root and returns nil, leaving c
// open; when the connection ends it returns why. It returns ErrOtherWM
// when another window manager is running.
func Run(ctx context.Context, c *xlib.Conn, opt Options) error {
	m := &manager{
		c:       c,
		root:    c.Root(),
		frames:  make(map[xlib.Window]*frame),
		clients: make(map[xlib.Window]*frame),
		logf:    opt.Logf,
	}
	if m.logf == nil {
		m.logf = func(string, ...any) {}
	}
	s := c.Screen()
	m.screen = image.Rect(0, 0, int(s.WidthInPixels), int(s.HeightInPixels))

	// Only one client may redirect the root's children: a second
	// manager stops here. The atoms and the font are asked for in the
	// same round trip.
	redirect := c.SendChecked(&protocol.ChangeWindowAttributes{
		Window:    protocol.Window(m.root),
		ValueMask: protocol.CWEventMask,
		ValueList: []uint32{rootEvents},
	})
	atoms := internAtoms(c)
	look := newLook(c, opt.Font)
	if err := redirect.Check(); err != nil {
		var xe *protocol.Error
		if errors.As(err, &xe) && xe.Code == protocol.BadAccess {
			return ErrOtherWM
		}
		return err
	}
	var err error
	if m.atoms, err = atoms(); err != nil {
		return err
	}
	if m.look, err = look(); err != nil {
		return fmt.Errorf("wm: %w", err)
	}
	if err := m.adopt(); err != nil {
		return err
	}
	for {
		ev, err := m.next(ctx)
		if err != nil {
			if ctx.Err() != nil {
				m.release()
				c.Flush()
				return nil
			}
			return err
		}
		m.handle(ev)
	}
}

// The atoms the manager uses that are not predefined.
type atoms struct {
	protocols, deleteWindow, takeFocus, state, netName, utf8 xlib.Atom
}

// internAtoms asks for the atoms; the function it returns waits for
// them.
func internAtoms(c *xlib.Conn) func() (atoms, error) {
	names := []string{"WM_PROTOCOLS", "WM_DELETE_WINDOW", "WM_TAKE_FOCUS", "WM_STATE", "_NET_WM_NAME", "UTF8_STRING"}
	cookies := make([]xlib.Cookie[xlib.Atom], len(names))
	for i, n := range names {
		cookies[i] = c.InternAtom(n, false)
	}
	return func() (atoms, error) {
		got := make([]xlib.Atom, len(names))
		for i, k := range cookies {
			a, err := k.Reply()
			if err != nil {
				return atoms{}, err
			}
			got[i] = a
		}
		return atoms{got[0], got[1], got[2], got[3], got[4], got[5]}, nil
	}
}

// adopt frames the windows that were mapped before the manager started,
// with the server grabbed so that none comes or goes meanwhile.
func (m *manager) adopt() error {
	c := m.c
	c.Send(&protocol.GrabServer{})
	defer c.Send(&protocol.UngrabServer{})
	tree, err := c.QueryTree(m.root).Reply()
	if err != nil {
		return err
	}
	attrs := make([]xlib.Cookie[*protocol.GetWindowAttributesReply], len(tree.Children))
	for i, w := range tree.Children {
		attrs[i] = c.GetWindowAttributes(xlib.Window(w))
	}
	var qs []*query
	for i, w := range tree.Children {
		if a, err := attrs[i].Reply(); err == nil && a.MapState == protocol.MapStateViewable && !a.OverrideRedirect {
			qs = append(qs, m.ask(xlib.Window(w)))
		}
	}
	for _, q := range qs {
		m.manage(q, true)
	}
	return c.Err()
}

// next returns the next event, the one read ahead first. While there is
// none, it applies the properties read again as their replies come.
func (m *manager) next(ctx context.Context) (protocol.Event, error) {
	if ev := m.ahead; ev != nil {
		m.ahead = nil
		return ev, nil
	}
	for len(m.stale) > 0 {
		select {
		case ev, ok := <-m.c.Events():
			return event(m.c, ev, ok)
		default:
		}
		m.c.Flush()
		f := m.stale[0]
		select {
		case ev, ok := <-m.c.Events():
			return event(m.c, ev, ok)
		case <-f.updates[0].reply.Done():
			m.refresh(f, false)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return m.c.NextEvent(ctx)
}

func event(c *xlib.Conn, ev protocol.Event, ok bool) (protocol.Event, error) {
	if !ok {
		return nil, c.Err()
	}
	return ev, nil
}

// handle dispatches one event.
func (m *manager) handle(ev protocol.Event) {
	switch e := ev.(type) {
	case *protocol.MapRequestEvent:
		m.mapRequest(xlib.Window(e.Window))
	case *protocol.ConfigureRequestEvent:
		m.configureRequest(e)
	case *protocol.CirculateRequestEvent:
		mode := uint8(protocol.StackModeAbove)
		if e.Place == protocol.PlaceOnBottom {
			mode = protocol.StackModeBelow
		}
		m.c.ConfigureWindow(xlib.Window(e.Window), protocol.ConfigWindowStackMode, xlib.WindowChanges{StackMode: mode})
	case *protocol.UnmapNotifyEvent:
		if f := m.frames[xlib.Window(e.Event)]; f != nil && f.client == xlib.Window(e.Window) {
			m.unmanage(f, true)
		}
	case *protocol.DestroyNotifyEvent:
		// Heard of on the frame, or (when the window went before it
		// was reparented) on the window itself.
		f := m.frames[xlib.Window(e.Event)]
		if e.Event == e.Window {
			f = m.clients[xlib.Window(e.Window)]
		}
		if f != nil && f.client == xlib.Window(e.Window) {
			m.unmanage(f, false)
		}
	case *protocol.ReparentNotifyEvent:
		// A client that takes its window out of the frame takes it
		// out of our hands.
		if f := m.frames[xlib.Window(e.Event)]; f != nil && f.client == xlib.Window(e.Window) && e.Parent != e.Event {
			m.unmanage(f, false)
		}
	case *protocol.PropertyNotifyEvent:
		m.now = e.Time
		if f := m.clients[xlib.Window(e.Window)]; f != nil {
			m.reread(f, e.Atom)
		}
	case *protocol.ExposeEvent:
		if f := m.frames[xlib.Window(e.Window)]; f != nil && e.Count == 0 {
			f.exposed = true
			m.look.draw(m.c, f)
		}
	case *protocol.ButtonPressEvent:
		m.now = e.Time
		m.buttonPress(e)
	case *protocol.ButtonReleaseEvent:
		m.now = e.Time
		m.buttonRelease(e)
	case *protocol.MotionNotifyEvent:
		m.now = e.Time
		if m.drag != nil {
			e = m.latestMotion(e)
			m.drag.to(m, pt(e.RootX, e.RootY))
		}
	case *protocol.FocusInEvent:
		if f := m.clients[xlib.Window(e.Event)]; f != nil && focusCounts(e.Mode, e.Detail) {
			m.setActive(f)
		}
	case *protocol.FocusOutEvent:
		if f := m.clients[xlib.Window(e.Event)]; f != nil && f == m.active && focusCounts(e.Mode, e.Detail) && e.Detail != protocol.NotifyDetailInferior {
			m.setActive(nil)
		}
	case *protocol.Error:
		// Most are windows that went away before a request about them
		// arrived, which is the way of things between clients.
		if e.Code != protocol.BadWindow && e.Code != protocol.BadMatch && e.Code != protocol.BadDrawable {
			m.logf("wm: %v", e)
		}
	}
}

// focusCounts says whether a focus change is one the title bars show:
// not the passing ones of grabs, nor those about the pointer.
func focusCounts(mode, detail uint8) bool {
	if mode == protocol.NotifyModeGrab || mode == protocol.NotifyModeUngrab {
		return false
	}
	return detail <= protocol.NotifyDetailNonlinearVirtual
}

// latestMotion returns the last of the motion events for e's window
// already queued behind e, so that a drag follows the pointer in one step
// however many motions piled up. The first other event is kept for next.
func (m *manager) latestMotion(e *protocol.MotionNotifyEvent) *protocol.MotionNotifyEvent {
	for m.ahead == nil {
		select {
		case ev, ok := <-m.c.Events():
			if !ok {
				return e
			}
			if mv, ok := ev.(*protocol.MotionNotifyEvent); ok && mv.Event == e.Event {
				e = mv
				continue
			}
			m.ahead = ev
		default:
			return e
		}
	}
	return e
}
