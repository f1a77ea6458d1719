package xserver

import (
	"image"

	"netdisplay/protocol"
)

// Input: the pointer, the keyboard, focus and grabs. Input arrives from
// XTEST and from the viewers (through the Server's Inject methods); it is
// turned into core events and delivered by the protocol's rules.

// Key and button state bits, as the protocol's SETofKEYBUTMASK.
const (
	shiftMask   = 1 << 0
	lockMask    = 1 << 1
	controlMask = 1 << 2
	mod1Mask    = 1 << 3
	button1Mask = 1 << 8
	anyModifier = 1 << 15
)

func buttonMask(b int) uint16 {
	if b < 1 || b > 5 {
		return 0
	}
	return 1 << (7 + b)
}

// Notify details and modes of Enter, Leave, FocusIn and FocusOut.
const (
	detailAncestor         = 0
	detailVirtual          = 1
	detailInferior         = 2
	detailNonlinear        = 3
	detailNonlinearVirtual = 4
	detailPointer          = 5
	detailPointerRoot      = 6
	detailNone             = 7

	modeNormal       = 0
	modeGrab         = 1
	modeUngrab       = 2
	modeWhileGrabbed = 3
)

// A grab is an active pointer or keyboard grab.
type grab struct {
	c           *client
	window      *window
	ownerEvents bool
	mask        uint32 // pointer grabs: the events reported to the grab
	confineTo   *window
	cursor      *cursor
	implicit    bool // activated by a button press, ends when all buttons are up
	passive     bool // activated by a passive grab, ends when its button or key is released
	time        uint32
	// A synchronous grab freezes the pointer or the keyboard: their
	// events wait in input.held until the grabbing client's AllowEvents.
	freezePointer  bool
	freezeKeyboard bool
	// wasSync says the grab was made synchronous, for SyncPointer and
	// SyncKeyboard, which freeze it again after one event.
	wasSyncPointer, wasSyncKeyboard bool
}

// setModes sets a new grab's pointer and keyboard modes: a synchronous
// one freezes its device now, and again after each SyncPointer or
// SyncKeyboard.
func (g *grab) setModes(syncPointer, syncKeyboard bool) {
	g.freezePointer, g.wasSyncPointer = syncPointer, syncPointer
	g.freezeKeyboard, g.wasSyncKeyboard = syncKeyboard, syncKeyboard
}

// A passiveGrab is a GrabButton or GrabKey: a button or key, with
// modifiers, that activates a grab when pressed in a window.
type passiveGrab struct {
	c           *client
	window      *window
	button      uint8 // or keycode; 0 is AnyButton / AnyKey
	modifiers   uint16
	ownerEvents bool
	mask        uint32
	confineTo   *window
	cursor      *cursor
	keyboard    bool
	syncPointer bool
	syncKbd     bool
}

// A heldInput is a device event that waits while its device is frozen.
type heldInput struct {
	kind   uint8 // protocol.MotionNotify, ButtonPress (both directions), KeyPress (both)
	x, y   int
	detail int
	down   bool
}

type focusState struct {
	window      *window // nil: None
	pointerRoot bool
	revertTo    uint8
	time        uint32
}

type input struct {
	s       *Server
	pos     image.Point
	buttons uint16 // button bits of the state mask
	keys    [32]byte
	sprite  *window // the window the pointer is in

	focus        focusState
	pointerGrab  *grab
	keyboardGrab *grab
	passive      []*passiveGrab

	kbd        keyboard
	pointerMap [5]uint8

	cursor       *cursor // the cursor in effect, as last told to viewers
	cursorSerial uint64

	// motionHinted records clients that were sent a hinted motion event
	// and have not asked for the pointer since.
	motionHinted map[*client]bool

	// held is input that arrived while frozen, in order.
	held []heldInput
	// syncNext re-freezes after the next button (or key) event: the
	// SyncPointer and SyncKeyboard modes of AllowEvents.
	syncNextPointer, syncNextKeyboard bool
	// replay is the event that activated a synchronous passive grab, for
	// ReplayPointer and ReplayKeyboard.
	replay *heldInput

	lastTime uint32

	xkb xkbState // XKEYBOARD: latches, locks, controls, what clients were told (xkb.go)
}

func (in *input) init(s *Server) {
	in.s = s
	in.pos = image.Pt(s.screen.width/2, s.screen.height/2)
	in.sprite = s.screen.root
	in.focus = focusState{window: s.screen.root, pointerRoot: true, revertTo: 1}
	in.kbd.init()
	for i := range in.pointerMap {
		in.pointerMap[i] = uint8(i + 1)
	}
	in.motionHinted = make(map[*client]bool)
}

// state is the current modifier and button state.
func (in *input) state() uint16 { return in.xkb.effective(in.kbd.modifierState(&in.keys)) | in.buttons }

// spriteWindow is the window the pointer is in.
func (in *input) spriteWindow() *window { return in.sprite }

// windowAt finds the deepest viewable window containing p, InputOnly
// windows included, as X's pointer sprite does.
func (s *Server) windowAt(p image.Point) *window {
	w := s.screen.root
	for {
		var next *window
		for i := len(w.children) - 1; i >= 0; i-- {
			c := w.children[i]
			if c.viewable && p.In(c.outer()) {
				next = c
				break
			}
		}
		if next == nil {
			return w
		}
		w = next
	}
}

// windowsChanged runs after the window tree changed: the pointer may now
// be in another window, and the focus may have become unviewable.
func (in *input) windowsChanged() {
	s := in.s
	s.treeSerial++
	if f := in.focus.window; f != nil && !in.focus.pointerRoot && !f.viewable {
		in.revertFocus()
	}
	if g := in.pointerGrab; g != nil && !g.window.viewable {
		in.ungrabPointer(g)
	}
	if g := in.keyboardGrab; g != nil && !g.window.viewable {
		in.ungrabKeyboard()
	}
	in.updateSprite(modeNormal)
}

// updateSprite moves the sprite to the window under the pointer, with
// Enter and Leave events.
func (in *input) updateSprite(mode uint8) {
	w := in.s.windowAt(in.pos)
	if w != in.sprite {
		old := in.sprite
		in.sprite = w
		in.crossing(old, w, mode)
	}
	in.cursorChanged()
}

func (in *input) windowDestroyed(w *window) {
	if in.sprite == w || in.sprite.isInferiorOf(w) {
		in.sprite = w.parent
	}
	if g := in.pointerGrab; g != nil && (g.window == w || g.confineTo == w) {
		in.ungrabPointer(g)
	}
	if g := in.keyboardGrab; g != nil && g.window == w {
		in.ungrabKeyboard()
	}
	if in.focus.window == w {
		in.revertFocus()
	}
	kept := in.passive[:0]
	for _, p := range in.passive {
		if p.window != w && p.confineTo != w {
			kept = append(kept, p)
		}
	}
	in.passive = kept
}

func (in *input) clientGone(c *client) {
	if g := in.pointerGrab; g != nil && g.c == c {
		in.ungrabPointer(g)
	}
	if g := in.keyboardGrab; g != nil && g.c == c {
		in.ungrabKeyboard()
	}
	kept := in.passive[:0]
	for _, p := range in.passive {
		if p.c != c {
			kept = append(kept, p)
		}
	}
	in.passive = kept
	delete(in.motionHinted, c)
}

// revertFocus applies the focus's revert-to when its window goes away.
func (in *input) revertFocus() {
	switch in.focus.revertTo {
	case 0: // None
		in.setFocus(focusState{}, modeNormal)
	case 1: // PointerRoot
		in.setFocus(focusState{window: in.s.screen.root, pointerRoot: true, revertTo: 1}, modeNormal)
	default: // Parent: the closest viewable ancestor
		w := in.focus.window.parent
		for w != nil && !w.viewable {
			w = w.parent
		}
		if w == nil {
			w = in.s.screen.root
		}
		in.setFocus(focusState{window: w, revertTo: 0}, modeNormal)
	}
}

// --- events ----------------------------------------------------------

// deviceEvent builds a key, button or motion event.
func deviceEvent(code uint8, f protocol.KeyPressEvent) protocol.Event {
	switch code {
	case protocol.KeyPress:
		return &f
	case protocol.KeyRelease:
		e := protocol.KeyReleaseEvent(f)
		return &e
	case protocol.ButtonPress:
		return &protocol.ButtonPressEvent{Detail: protocol.Button(f.Detail), Time: f.Time, Root: f.Root, Event: f.Event, Child: f.Child,
			RootX: f.RootX, RootY: f.RootY, EventX: f.EventX, EventY: f.EventY, State: f.State, SameScreen: f.SameScreen}
	case protocol.ButtonRelease:
		return &protocol.ButtonReleaseEvent{Detail: protocol.Button(f.Detail), Time: f.Time, Root: f.Root, Event: f.Event, Child: f.Child,
			RootX: f.RootX, RootY: f.RootY, EventX: f.EventX, EventY: f.EventY, State: f.State, SameScreen: f.SameScreen}
	}
	return &protocol.MotionNotifyEvent{Detail: uint8(f.Detail), Time: f.Time, Root: f.Root, Event: f.Event, Child: f.Child,
		RootX: f.RootX, RootY: f.RootY, EventX: f.EventX, EventY: f.EventY, State: f.State, SameScreen: f.SameScreen}
}

// spriteChild is the child of w that the pointer is in, or None: the
// child of device events and of QueryPointer.
func (in *input) spriteChild(w *window) protocol.Window {
	if in.sprite == w || !in.sprite.isInferiorOf(w) {
		return 0
	}
	ch := in.sprite
	for ch.parent != w {
		ch = ch.parent
	}
	return protocol.Window(ch.id)
}

// fields fills the common fields of a device event relative to w.
func (in *input) fields(w *window, detail uint8, t uint32) protocol.KeyPressEvent {
	child := in.spriteChild(w)
	rel := in.pos.Sub(w.abs)
	return protocol.KeyPressEvent{
		Detail:     protocol.Keycode(detail),
		Time:       protocol.Timestamp(t),
		Root:       rootID,
		Event:      protocol.Window(w.id),
		Child:      child,
		RootX:      int16(in.pos.X),
		RootY:      int16(in.pos.Y),
		EventX:     int16(rel.X),
		EventY:     int16(rel.Y),
		State:      in.state(),
		SameScreen: true,
	}
}

// motionMask is the event mask bits a motion event matches now.
func (in *input) motionMask() uint32 {
	m := uint32(protocol.EventMaskPointerMotion)
	if in.buttons != 0 {
		m |= protocol.EventMaskButtonMotion
	}
	for b := 1; b <= 5; b++ {
		if in.buttons&buttonMask(b) != 0 {
			m |= protocol.EventMaskButton1Motion << uint(b-1)
		}
	}
	return m
}

// send delivers a device event to client c on window w, handling motion
// hints. It reports whether it was delivered.
func (in *input) sendTo(c *client, w *window, code, detail uint8, t uint32, clientMask uint32) {
	if code == protocol.MotionNotify && clientMask&protocol.EventMaskPointerMotionHint != 0 {
		if in.motionHinted[c] {
			return
		}
		in.motionHinted[c] = true
		detail = 1 // Hint
	}
	c.event(deviceEvent(code, in.fields(w, detail, t)))
}

// deliverDevice delivers a device event from source up the tree by the
// propagation rules, stopping at stop (the focus window for key events).
// It returns the window and client it went to (for implicit grabs).
func (in *input) deliverDevice(source, stop *window, code, detail uint8, mask uint32, t uint32, only *client) (*window, *client) {
	for w := source; w != nil; w = w.parent {
		delivered := false
		var to *client
		for _, l := range w.listeners {
			if l.mask&mask == 0 || only != nil && l.c != only {
				continue
			}
			in.sendTo(l.c, w, code, detail, t, l.mask)
			delivered, to = true, l.c
		}
		if delivered {
			return w, to
		}
		if w.doNotPropagate&mask != 0 || w == stop {
			break
		}
	}
	return nil, nil
}

// pointerEvent delivers a button or motion event, through any pointer grab.
func (in *input) pointerEvent(code, detail uint8, mask uint32, t uint32) {
	if g := in.pointerGrab; g != nil {
		if g.ownerEvents {
			if w, _ := in.deliverDevice(in.sprite, nil, code, detail, mask, t, g.c); w != nil {
				return
			}
		}
		if g.mask&mask != 0 {
			in.sendTo(g.c, g.window, code, detail, t, g.mask)
		}
		return
	}
	in.deliverDevice(in.sprite, nil, code, detail, mask, t, nil)
}

// MovePointer moves the pointer to (x, y) on the screen, as a viewer or
// XTEST does, generating motion, enter and leave events.
func (s *Server) MovePointer(x, y int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.input.motion(x, y)
	s.flushAll()
}

// pointerFrozen and keyboardFrozen say whether a synchronous grab holds
// the device's events back.
func (in *input) pointerFrozen() bool {
	return in.pointerGrab != nil && in.pointerGrab.freezePointer || in.keyboardGrab != nil && in.keyboardGrab.freezePointer
}

func (in *input) keyboardFrozen() bool {
	return in.pointerGrab != nil && in.pointerGrab.freezeKeyboard || in.keyboardGrab != nil && in.keyboardGrab.freezeKeyboard
}

func (in *input) motion(x, y int) {
	if in.pointerFrozen() {
		in.hold(heldInput{kind: protocol.MotionNotify, x: x, y: y})
		return
	}
	p := image.Pt(x, y)
	bounds := image.Rect(0, 0, in.s.screen.width, in.s.screen.height)
	if g := in.pointerGrab; g != nil && g.confineTo != nil && g.confineTo.viewable {
		bounds = bounds.Intersect(g.confineTo.inside())
	}
	p.X = max(bounds.Min.X, min(p.X, bounds.Max.X-1))
	p.Y = max(bounds.Min.Y, min(p.Y, bounds.Max.Y-1))
	if p == in.pos {
		return
	}
	in.pos = p
	t := in.s.now()
	in.lastTime = t
	in.updateSprite(modeNormal)
	in.pointerEvent(protocol.MotionNotify, 0, in.motionMask(), t)
}

// Button presses or releases a pointer button (1 to 255; 4 to 7 are the
// wheel).
func (s *Server) Button(button int, down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.input.button(button, down)
	s.flushAll()
}

func (in *input) button(phys int, down bool) {
	if phys < 1 || phys > 255 {
		return
	}
	if in.pointerFrozen() {
		in.hold(heldInput{kind: protocol.ButtonPress, detail: phys, down: down})
		return
	}
	in.pressButton(phys, down, nil)
	if in.syncNextPointer {
		// SyncPointer: thawed for this one event; frozen again now.
		in.syncNextPointer = false
		for _, g := range []*grab{in.pointerGrab, in.keyboardGrab} {
			if g != nil && g.wasSyncPointer {
				g.freezePointer = true
			}
		}
	}
}

// pressButton runs a button event. A replay (ReplayPointer) looks for
// passive grabs only below the window of the grab it replaces.
func (in *input) pressButton(phys int, down bool, below *window) {
	b := phys
	if phys <= len(in.pointerMap) {
		b = int(in.pointerMap[phys-1])
		if b == 0 {
			return // disabled by SetPointerMapping
		}
	}
	m := buttonMask(b)
	if down && in.buttons&m != 0 || !down && in.buttons&m == 0 && m != 0 {
		return
	}
	t := in.s.now()
	in.lastTime = t
	if down {
		clear(in.motionHinted)
		if in.pointerGrab == nil {
			if pg := in.findPassiveBelow(in.sprite, uint8(b), false, below); pg != nil {
				// The grab starts with the button already down (its
				// crossing events say so); the press that started it
				// goes to the grab window.
				in.buttons |= m
				g := in.activatePassive(pg, t)
				if pg.syncPointer || pg.syncKbd {
					in.replay = &heldInput{kind: protocol.ButtonPress, detail: phys, down: true}
				}
				in.buttons &^= m
				if g.mask&protocol.EventMaskButtonPress != 0 {
					in.sendTo(g.c, g.window, protocol.ButtonPress, uint8(b), t, g.mask)
				}
				in.buttons |= m
				in.s.xkbStateChanged()
				return
			}
			// Implicit grab: the client the press goes to keeps the
			// pointer until every button is up.
			w, c := in.deliverDevice(in.sprite, nil, protocol.ButtonPress, uint8(b), protocol.EventMaskButtonPress, t, nil)
			in.buttons |= m
			if w != nil {
				l := w.listenerFor(c)
				in.pointerGrab = &grab{c: c, window: w, ownerEvents: l.mask&protocol.EventMaskOwnerGrabButton != 0, mask: l.mask, implicit: true, time: t}
				in.crossingForGrab(w, modeGrab)
			}
			in.s.xkbStateChanged()
			return
		}
		in.pointerEvent(protocol.ButtonPress, uint8(b), protocol.EventMaskButtonPress, t)
		in.buttons |= m
		in.s.xkbStateChanged()
		return
	}
	in.pointerEvent(protocol.ButtonRelease, uint8(b), protocol.EventMaskButtonRelease, t)
	in.buttons &^= m
	in.s.xkbStateChanged()
	if g := in.pointerGrab; g != nil && (g.implicit || g.passive) && in.buttons == 0 {
		in.ungrabPointer(g)
	}
}

// findPassive finds the passive grab a press activates: the one on the
// outermost window from the root down to w that matches.
func (in *input) findPassive(w *window, detail uint8, keyboard bool) *passiveGrab {
	return in.findPassiveBelow(w, detail, keyboard, nil)
}

// findPassiveBelow is findPassive among the windows strictly below top on
// the way to w; with top nil, among them all.
func (in *input) findPassiveBelow(w *window, detail uint8, keyboard bool, top *window) *passiveGrab {
	var chain []*window
	for v := w; v != nil && v != top; v = v.parent {
		chain = append(chain, v)
	}
	state := in.state() &^ (button1Mask * 0x1F) // modifiers only
	for i := len(chain) - 1; i >= 0; i-- {
		for _, p := range in.passive {
			if p.window != chain[i] || p.keyboard != keyboard {
				continue
			}
			if p.button != 0 && p.button != detail {
				continue
			}
			if p.modifiers != anyModifier && p.modifiers != state {
				continue
			}
			if p.confineTo != nil && !p.confineTo.viewable {
				continue
			}
			return p
		}
	}
	return nil
}

func (in *input) activatePassive(p *passiveGrab, t uint32) *grab {
	g := &grab{c: p.c, window: p.window, ownerEvents: p.ownerEvents, mask: p.mask, confineTo: p.confineTo, cursor: p.cursor, time: t, passive: true}
	g.setModes(p.syncPointer, p.syncKbd)
	if p.keyboard {
		in.keyboardGrab = g
		in.focusGrabEvents(g.window, modeGrab)
		return g
	}
	in.pointerGrab = g
	in.crossingForGrab(g.window, modeGrab)
	in.cursorChanged()
	return g
}

// Key presses or releases a key by keycode.
func (s *Server) Key(keycode uint8, down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.input.key(keycode, down)
	s.flushAll()
}

func (in *input) key(keycode uint8, down bool) {
	if keycode < minKeycode {
		return
	}
	if in.keyboardFrozen() {
		in.hold(heldInput{kind: protocol.KeyPress, detail: int(keycode), down: down})
		return
	}
	in.pressKey(keycode, down, nil)
	if in.syncNextKeyboard {
		in.syncNextKeyboard = false
		for _, g := range []*grab{in.pointerGrab, in.keyboardGrab} {
			if g != nil && g.wasSyncKeyboard {
				g.freezeKeyboard = true
			}
		}
	}
}

// pressKey runs a key event; a replay looks for passive grabs only below
// the window of the grab it replaces.
func (in *input) pressKey(keycode uint8, down bool, below *window) {
	bit := byte(1) << (keycode & 7)
	isDown := in.keys[keycode>>3]&bit != 0
	t := in.s.now()
	in.lastTime = t
	code := uint8(protocol.KeyPress)
	mask := uint32(protocol.EventMaskKeyPress)
	if !down {
		if !isDown {
			return
		}
		code, mask = protocol.KeyRelease, protocol.EventMaskKeyRelease
	} else if isDown {
		// A press of a key already down is the viewer's auto-repeat:
		// clients see a release and a press, as X servers send repeats.
		in.keyEvent(protocol.KeyRelease, keycode, protocol.EventMaskKeyRelease, t)
	}
	activated := false
	if down && in.keyboardGrab == nil {
		if src := in.focusSource(); src != nil {
			if pg := in.findPassiveBelow(src, keycode, true, below); pg != nil {
				g := in.activatePassive(pg, t)
				if pg.syncPointer || pg.syncKbd {
					in.replay = &heldInput{kind: protocol.KeyPress, detail: int(keycode), down: true}
				}
				in.sendTo(g.c, g.window, code, keycode, t, mask)
				activated = true
			}
		}
	}
	if !activated {
		in.keyEvent(code, keycode, mask, t)
	}
	before := in.state()
	if down {
		in.keys[keycode>>3] |= bit
	} else {
		in.keys[keycode>>3] &^= bit
		if g := in.keyboardGrab; g != nil && g.passive {
			in.ungrabKeyboard()
		}
	}
	in.xkbKey(keycode, down)
	if in.state() != before {
		in.s.xkbStateChanged()
	}
}

// focusSource is the window key events start from.
func (in *input) focusSource() *window {
	f := in.focus
	if f.window == nil {
		return nil
	}
	if f.pointerRoot {
		return in.sprite
	}
	if in.sprite == f.window || in.sprite.isInferiorOf(f.window) {
		return in.sprite
	}
	return f.window
}

func (in *input) keyEvent(code, keycode uint8, mask uint32, t uint32) {
	if g := in.keyboardGrab; g != nil {
		if g.ownerEvents {
			if src := in.focusSource(); src != nil {
				if w, _ := in.deliverDevice(src, nil, code, keycode, mask, t, g.c); w != nil {
					return
				}
			}
		}
		in.sendTo(g.c, g.window, code, keycode, t, mask)
		return
	}
	src := in.focusSource()
	if src == nil {
		return
	}
	stop := in.focus.window
	if in.focus.pointerRoot {
		stop = nil
	}
	in.deliverDevice(src, stop, code, keycode, mask, t, nil)
}

// --- crossing events -------------------------------------------------

// crossing sends LeaveNotify and EnterNotify for the pointer moving from
// window a to window b, in the order the protocol gives.
func (in *input) crossing(a, b *window, mode uint8) {
	if a == nil || b == nil || a == b {
		return
	}
	leave := func(w *window, detail uint8) { in.crossEvent(protocol.LeaveNotify, w, detail, mode, a) }
	enter := func(w *window, detail uint8) { in.crossEvent(protocol.EnterNotify, w, detail, mode, b) }
	switch {
	case a.isInferiorOf(b):
		leave(a, detailAncestor)
		for _, w := range up(a, b) {
			leave(w, detailVirtual)
		}
		enter(b, detailInferior)
	case b.isInferiorOf(a):
		leave(a, detailInferior)
		for _, w := range down(a, b) {
			enter(w, detailVirtual)
		}
		enter(b, detailAncestor)
	default:
		c := commonAncestor(a, b)
		leave(a, detailNonlinear)
		for _, w := range up(a, c) {
			leave(w, detailNonlinearVirtual)
		}
		for _, w := range down(c, b) {
			enter(w, detailNonlinearVirtual)
		}
		enter(b, detailNonlinear)
	}
}

// crossingForGrab sends the crossing events a grab's start or end causes:
// as if the pointer left its window for the grab window, and back.
func (in *input) crossingForGrab(w *window, mode uint8) {
	if w == in.sprite {
		return
	}
	if mode == modeGrab {
		in.crossing(in.sprite, w, mode)
	} else {
		in.crossing(w, in.sprite, mode)
	}
}

// up lists the windows strictly between w and its ancestor a, from w's
// parent upward; with a nil it goes up to and including the root.
func up(w, a *window) []*window {
	var ws []*window
	for p := w.parent; p != nil && p != a; p = p.parent {
		ws = append(ws, p)
	}
	return ws
}

// down lists the windows strictly between a and its inferior w, from just
// below a downward; with a nil it starts at the root.
func down(a, w *window) []*window {
	ws := up(w, a)
	for i, j := 0, len(ws)-1; i < j; i, j = i+1, j-1 {
		ws[i], ws[j] = ws[j], ws[i]
	}
	return ws
}

func commonAncestor(a, b *window) *window {
	for p := a.parent; p != nil; p = p.parent {
		if b.isInferiorOf(p) {
			return p
		}
	}
	return nil
}

// crossEvent sends one EnterNotify or LeaveNotify on w. ref is the window
// the pointer was in (Leave) or is now in (Enter): child is w's child on
// the way to it.
func (in *input) crossEvent(code uint8, w *window, detail, mode uint8, ref *window) {
	mask := uint32(protocol.EventMaskEnterWindow)
	if code == protocol.LeaveNotify {
		mask = protocol.EventMaskLeaveWindow
	}
	f := in.fields(w, 0, in.s.now())
	f.Child = 0
	if ref.isInferiorOf(w) {
		c := ref
		for c.parent != w {
			c = c.parent
		}
		f.Child = protocol.Window(c.id)
	}
	var flags uint8 = 2 // same-screen
	if fw := in.focus.window; fw != nil && (w == fw || w.isInferiorOf(fw)) {
		flags |= 1
	}
	ev := protocol.EnterNotifyEvent{
		Detail:          detail,
		Time:            f.Time,
		Root:            f.Root,
		Event:           f.Event,
		Child:           f.Child,
		RootX:           f.RootX,
		RootY:           f.RootY,
		EventX:          f.EventX,
		EventY:          f.EventY,
		State:           f.State,
		Mode:            mode,
		SameScreenFocus: flags,
	}
	var e protocol.Event = &ev
	if code == protocol.LeaveNotify {
		l := protocol.LeaveNotifyEvent(ev)
		e = &l
	}
	// While the pointer is grabbed, ordinary crossings go only to the
	// grabbing client; those that a grab's start or end causes go to
	// everyone, as on X.Org.
	if g := in.pointerGrab; g != nil && mode == modeNormal {
		if g.ownerEvents {
			if l := w.listenerFor(g.c); l != nil && l.mask&mask != 0 {
				g.c.event(e)
				return
			}
		}
		if w == g.window && g.mask&mask != 0 {
			g.c.event(e)
		}
		return
	}
	in.s.deliver(w, e, mask)
}

// --- focus -----------------------------------------------------------

// setFocus moves the focus, sending FocusOut and FocusIn.
func (in *input) setFocus(nf focusState, mode uint8) {
	old := in.focus
	in.focus = nf
	in.focusEvents(old, nf, mode)
}

func (in *input) focusEvent(code uint8, w *window, detail, mode uint8) {
	var e protocol.Event
	if code == protocol.FocusIn {
		e = &protocol.FocusInEvent{Detail: detail, Event: protocol.Window(w.id), Mode: mode}
	} else {
		e = &protocol.FocusOutEvent{Detail: detail, Event: protocol.Window(w.id), Mode: mode}
	}
	in.s.deliver(w, e, protocol.EventMaskFocusChange)
}

// pointerIn sends Pointer-detail FocusIn on each window below top down to
// and including the pointer's window; pointerOut sends FocusOut from the
// pointer's window up to but not including top. A nil top means the root
// is included.
func (in *input) pointerIn(top *window, mode uint8) {
	p := in.sprite
	if top != nil && !p.isInferiorOf(top) {
		return
	}
	for _, w := range down(top, p) {
		in.focusEvent(protocol.FocusIn, w, detailPointer, mode)
	}
	in.focusEvent(protocol.FocusIn, p, detailPointer, mode)
}

func (in *input) pointerOut(top *window, mode uint8) {
	p := in.sprite
	if top != nil && !p.isInferiorOf(top) {
		return
	}
	in.focusEvent(protocol.FocusOut, p, detailPointer, mode)
	for _, w := range up(p, top) {
		in.focusEvent(protocol.FocusOut, w, detailPointer, mode)
	}
}

// focusEvents sends FocusOut and FocusIn for the focus moving from old to
// nf, case by case as the protocol specification lists them.
func (in *input) focusEvents(old, nf focusState, mode uint8) {
	root := in.s.screen.root
	p := in.sprite
	out := func(w *window, d uint8) { in.focusEvent(protocol.FocusOut, w, d, mode) }
	into := func(w *window, d uint8) { in.focusEvent(protocol.FocusIn, w, d, mode) }
	kind := func(f focusState) uint8 {
		switch {
		case f.window == nil:
			return detailNone
		case f.pointerRoot:
			return detailPointerRoot
		}
		return detailNonlinear // a window
	}
	ok, nk := kind(old), kind(nf)
	switch {
	case ok != detailNonlinear && nk != detailNonlinear:
		if ok == nk {
			return
		}
		if ok == detailPointerRoot {
			in.pointerOut(nil, mode)
		}
		out(root, ok)
		into(root, nk)
		if nk == detailPointerRoot {
			in.pointerIn(nil, mode)
		}
	case nk != detailNonlinear: // window A to PointerRoot or None
		a := old.window
		in.pointerOut(a, mode)
		out(a, detailNonlinear)
		for _, w := range up(a, nil) {
			out(w, detailNonlinearVirtual)
		}
		into(root, nk)
		if nk == detailPointerRoot {
			in.pointerIn(nil, mode)
		}
	case ok != detailNonlinear: // PointerRoot or None to window A
		a := nf.window
		if ok == detailPointerRoot {
			in.pointerOut(nil, mode)
		}
		out(root, ok)
		if a != root {
			into(root, detailNonlinearVirtual)
			for _, w := range down(root, a) {
				into(w, detailNonlinearVirtual)
			}
		}
		into(a, detailNonlinear)
		in.pointerIn(a, mode)
	default:
		a, b := old.window, nf.window
		switch {
		case a == b:
		case a.isInferiorOf(b):
			out(a, detailAncestor)
			for _, w := range up(a, b) {
				out(w, detailVirtual)
			}
			into(b, detailInferior)
			if p.isInferiorOf(b) && p != a && !p.isInferiorOf(a) && !a.isInferiorOf(p) {
				in.pointerIn(b, mode)
			}
		case b.isInferiorOf(a):
			if p.isInferiorOf(a) && !p.isInferiorOf(b) && !b.isInferiorOf(p) {
				in.pointerOut(a, mode)
			}
			out(a, detailInferior)
			for _, w := range down(a, b) {
				into(w, detailVirtual)
			}
			into(b, detailAncestor)
		default:
			c := commonAncestor(a, b)
			in.pointerOut(a, mode)
			out(a, detailNonlinear)
			for _, w := range up(a, c) {
				out(w, detailNonlinearVirtual)
			}
			for _, w := range down(c, b) {
				into(w, detailNonlinearVirtual)
			}
			into(b, detailNonlinear)
			in.pointerIn(b, mode)
		}
	}
}

// focusGrabEvents sends the focus events a keyboard grab's start or end
// causes.
func (in *input) focusGrabEvents(w *window, mode uint8) {
	cur := in.focus
	grabbed := focusState{window: w}
	if mode == modeGrab {
		in.focusEvents(cur, grabbed, mode)
	} else {
		in.focusEvents(grabbed, cur, mode)
	}
}

// --- grabs -----------------------------------------------------------

func (in *input) ungrabPointer(g *grab) {
	if in.pointerGrab != g {
		return
	}
	in.pointerGrab = nil
	in.crossingForGrab(g.window, modeUngrab)
	in.cursorChanged()
	in.drain()
}

func (in *input) ungrabKeyboard() {
	g := in.keyboardGrab
	if g == nil {
		return
	}
	in.keyboardGrab = nil
	in.focusGrabEvents(g.window, modeUngrab)
	in.drain()
}

// maxHeld bounds the input held while frozen; a client that never thaws
// its grab must not make the server keep a viewer's motion for ever.
const maxHeld = 4096

// hold keeps an event until its device thaws. Motion after motion keeps
// only the last position.
func (in *input) hold(h heldInput) {
	if n := len(in.held); n > 0 && h.kind == protocol.MotionNotify && in.held[n-1].kind == protocol.MotionNotify {
		in.held[n-1] = h
		return
	}
	if len(in.held) < maxHeld {
		in.held = append(in.held, h)
	}
}

// drain runs the input held while a device was frozen, in order, until
// it reaches an event whose device is still frozen.
func (in *input) drain() {
	for len(in.held) > 0 {
		h := in.held[0]
		if h.kind == protocol.KeyPress && in.keyboardFrozen() || h.kind != protocol.KeyPress && in.pointerFrozen() {
			return
		}
		in.held = in.held[1:]
		switch h.kind {
		case protocol.MotionNotify:
			in.motion(h.x, h.y)
		case protocol.ButtonPress:
			in.button(h.detail, h.down)
		case protocol.KeyPress:
			in.key(uint8(h.detail), h.down)
		}
	}
}

// allowEvents thaws what c's grabs froze, as AllowEvents says.
func (in *input) allowEvents(c *client, mode uint8) {
	own := func(g *grab) bool { return g != nil && g.c == c }
	thaw := func(pointer bool, sync bool) {
		for _, g := range []*grab{in.pointerGrab, in.keyboardGrab} {
			if !own(g) {
				continue
			}
			if pointer && g.freezePointer {
				g.freezePointer = false
				in.syncNextPointer = in.syncNextPointer || sync
			}
			if !pointer && g.freezeKeyboard {
				g.freezeKeyboard = false
				in.syncNextKeyboard = in.syncNextKeyboard || sync
			}
		}
	}
	switch mode {
	case 0: // AsyncPointer
		thaw(true, false)
	case 1: // SyncPointer
		thaw(true, true)
	case 2: // ReplayPointer
		if g := in.pointerGrab; own(g) && g.freezePointer && in.replay != nil && in.replay.kind == protocol.ButtonPress {
			ev := *in.replay
			in.replay = nil
			// Release the grab and process its press again, ignoring
			// passive grabs at or above its window.
			in.pointerGrab = nil
			in.crossingForGrab(g.window, modeUngrab)
			in.cursorChanged()
			b := ev.detail
			if b <= len(in.pointerMap) {
				b = int(in.pointerMap[b-1])
			}
			in.buttons &^= buttonMask(b)
			in.pressButton(ev.detail, true, g.window)
		}
	case 3: // AsyncKeyboard
		thaw(false, false)
	case 4: // SyncKeyboard
		thaw(false, true)
	case 5: // ReplayKeyboard
		if g := in.keyboardGrab; own(g) && g.freezeKeyboard && in.replay != nil && in.replay.kind == protocol.KeyPress {
			ev := *in.replay
			in.replay = nil
			in.keyboardGrab = nil
			in.focusGrabEvents(g.window, modeUngrab)
			kc := uint8(ev.detail)
			in.keys[kc>>3] &^= 1 << (kc & 7)
			in.pressKey(kc, true, g.window)
		}
	case 6: // AsyncBoth
		thaw(true, false)
		thaw(false, false)
	case 7: // SyncBoth
		thaw(true, true)
		thaw(false, true)
	}
	in.drain()
}

// cursorChanged works out which cursor is in effect and, if it changed,
// lets the viewers know.
func (in *input) cursorChanged() {
	var k *cursor
	if g := in.pointerGrab; g != nil && g.cursor != nil {
		k = g.cursor
	} else {
		for w := in.sprite; w != nil; w = w.parent {
			if w.cursor != nil {
				k = w.cursor
				break
			}
		}
	}
	if k != in.cursor {
		in.cursor = k
		in.cursorSerial++
		in.s.screen.damage.cursorChanged()
	}
}
