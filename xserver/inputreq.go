package xserver

import (
	"image"

	"netdisplay/protocol"
)

// Requests about input: the pointer, focus, grabs and the keyboard's
// settings.

// timeOK reports whether a request's timestamp is not before t and not in
// the future, as grabs and focus changes require; 0 is CurrentTime.
func (s *Server) timeOK(reqTime, last uint32) bool {
	if reqTime == 0 {
		return true
	}
	now := s.now()
	return int32(reqTime-last) >= 0 && int32(now-reqTime) >= 0
}

// timestamp is a request's TIMESTAMP, with CurrentTime (0) made the time
// now.
func (s *Server) timestamp(t uint32) uint32 {
	if t == 0 {
		return s.now()
	}
	return t
}

func (c *client) queryPointer(b []byte) error {
	var r protocol.QueryPointer
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	w, err := c.window(uint32(r.Window))
	if err != nil {
		return err
	}
	in := &c.s.input
	delete(in.motionHinted, c)
	rel := in.pos.Sub(w.abs)
	c.reply(&protocol.QueryPointerReply{
		Sequence:   c.seq,
		SameScreen: true,
		Root:       rootID,
		Child:      in.spriteChild(w),
		RootX:      int16(in.pos.X),
		RootY:      int16(in.pos.Y),
		WinX:       int16(rel.X),
		WinY:       int16(rel.Y),
		Mask:       in.state(),
	})
	return nil
}

func (c *client) warpPointer(b []byte) error {
	var r protocol.WarpPointer
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	in := &c.s.input
	if r.SrcWindow != 0 {
		src, err := c.window(uint32(r.SrcWindow))
		if err != nil {
			return err
		}
		// Only if the pointer is in the source rectangle and visible there.
		sw, sh := int(r.SrcWidth), int(r.SrcHeight)
		if sw == 0 {
			sw = src.width - int(r.SrcX)
		}
		if sh == 0 {
			sh = src.height - int(r.SrcY)
		}
		rect := image.Rect(int(r.SrcX), int(r.SrcY), int(r.SrcX)+sw, int(r.SrcY)+sh).Add(src.abs)
		if !in.pos.In(rect) || !src.borderClip.Contains(in.pos) {
			return nil
		}
	}
	p := in.pos.Add(image.Pt(int(r.DstX), int(r.DstY)))
	if r.DstWindow != 0 {
		dst, err := c.window(uint32(r.DstWindow))
		if err != nil {
			return err
		}
		p = dst.abs.Add(image.Pt(int(r.DstX), int(r.DstY)))
	}
	in.motion(p.X, p.Y)
	return nil
}

func (c *client) setInputFocus(b []byte) error {
	var r protocol.SetInputFocus
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if r.RevertTo > 2 {
		return badValue(uint32(r.RevertTo))
	}
	s := c.s
	in := &s.input
	nf := focusState{revertTo: r.RevertTo, time: uint32(r.Time)}
	switch uint32(r.Focus) {
	case 0: // None
	case 1: // PointerRoot
		nf.window, nf.pointerRoot = s.screen.root, true
	default:
		w, err := c.window(uint32(r.Focus))
		if err != nil {
			return err
		}
		if !w.viewable {
			return errMatch
		}
		nf.window = w
	}
	if !s.timeOK(uint32(r.Time), in.focus.time) {
		return nil
	}
	nf.time = s.timestamp(nf.time)
	mode := uint8(modeNormal)
	if in.keyboardGrab != nil {
		mode = modeWhileGrabbed
	}
	in.setFocus(nf, mode)
	return nil
}

func (c *client) getInputFocus(b []byte) error {
	f := c.s.input.focus
	var w protocol.Window
	switch {
	case f.window == nil:
		w = 0
	case f.pointerRoot:
		w = 1
	default:
		w = protocol.Window(f.window.id)
	}
	c.reply(&protocol.GetInputFocusReply{Sequence: c.seq, RevertTo: f.revertTo, Focus: w})
	return nil
}

// Grab statuses.
const (
	grabSuccess        = 0
	grabAlreadyGrabbed = 1
	grabInvalidTime    = 2
	grabNotViewable    = 3
	grabFrozen         = 4
)

func (c *client) grabPointer(b []byte) error {
	var r protocol.GrabPointer
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	w, err := c.window(uint32(r.GrabWindow))
	if err != nil {
		return err
	}
	if r.EventMask&^0x7FFC != 0 {
		return badValue(uint32(r.EventMask))
	}
	if r.PointerMode > 1 || r.KeyboardMode > 1 {
		return badValue(uint32(r.PointerMode))
	}
	confine, err := c.windowOrNone(uint32(r.ConfineTo))
	if err != nil {
		return err
	}
	k, err := c.cursorOrNone(uint32(r.Cursor))
	if err != nil {
		return err
	}
	s := c.s
	in := &s.input
	viewable := w.viewable && (confine == nil || confine.viewable)
	status := c.grabStatus(in.pointerGrab, viewable, uint32(r.Time))
	if status == grabSuccess {
		g := &grab{c: c, window: w, ownerEvents: r.OwnerEvents, mask: uint32(r.EventMask), confineTo: confine, cursor: k, time: s.timestamp(uint32(r.Time))}
		g.setModes(r.PointerMode == 0, r.KeyboardMode == 0)
		old := in.pointerGrab
		in.pointerGrab = g
		if old == nil || old.window != w {
			from := in.sprite
			if old != nil {
				from = old.window
			}
			in.crossing(from, w, modeGrab)
		}
		if confine != nil && !in.pos.In(confine.inside()) {
			in.motion(in.pos.X, in.pos.Y)
		}
		in.cursorChanged()
	}
	c.reply(&protocol.GrabPointerReply{Sequence: c.seq, Status: status})
	return nil
}

func (c *client) ungrabPointer(b []byte) error {
	var r protocol.UngrabPointer
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	in := &c.s.input
	if g := in.pointerGrab; c.mayRelease(g, uint32(r.Time)) {
		in.ungrabPointer(g)
	}
	return nil
}

func (c *client) changeActivePointerGrab(b []byte) error {
	var r protocol.ChangeActivePointerGrab
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	k, err := c.cursorOrNone(uint32(r.Cursor))
	if err != nil {
		return err
	}
	in := &c.s.input
	if g := in.pointerGrab; g != nil && g.c == c && !g.implicit {
		g.mask = uint32(r.EventMask)
		g.cursor = k
		in.cursorChanged()
	}
	return nil
}

func (c *client) grabKeyboard(b []byte) error {
	var r protocol.GrabKeyboard
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	w, err := c.window(uint32(r.GrabWindow))
	if err != nil {
		return err
	}
	s := c.s
	in := &s.input
	status := c.grabStatus(in.keyboardGrab, w.viewable, uint32(r.Time))
	if status == grabSuccess {
		g := &grab{c: c, window: w, ownerEvents: r.OwnerEvents, time: s.timestamp(uint32(r.Time))}
		g.setModes(r.PointerMode == 0, r.KeyboardMode == 0)
		old := in.keyboardGrab
		in.keyboardGrab = g
		if old == nil {
			in.focusGrabEvents(w, modeGrab)
		}
	}
	c.reply(&protocol.GrabKeyboardReply{Sequence: c.seq, Status: status})
	return nil
}

func (c *client) ungrabKeyboard(b []byte) error {
	var r protocol.UngrabKeyboard
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	in := &c.s.input
	if g := in.keyboardGrab; c.mayRelease(g, uint32(r.Time)) {
		in.ungrabKeyboard()
	}
	return nil
}

// grabStatus decides GrabPointer and GrabKeyboard for c, held being the
// device's active grab and viewable whether the grab's windows are.
func (c *client) grabStatus(held *grab, viewable bool, t uint32) uint8 {
	switch {
	case held != nil && held.c != c:
		return grabAlreadyGrabbed
	case !viewable:
		return grabNotViewable
	case !c.s.timeOK(t, 0):
		return grabInvalidTime
	}
	return grabSuccess
}

// mayRelease reports whether UngrabPointer or UngrabKeyboard at time t
// releases g: only c's own grab, and not from before it began.
func (c *client) mayRelease(g *grab, t uint32) bool {
	return g != nil && g.c == c && c.s.timeOK(t, g.time)
}

func (c *client) grabButton(b []byte) error {
	var r protocol.GrabButton
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	w, err := c.window(uint32(r.GrabWindow))
	if err != nil {
		return err
	}
	confine, err := c.windowOrNone(uint32(r.ConfineTo))
	if err != nil {
		return err
	}
	k, err := c.cursorOrNone(uint32(r.Cursor))
	if err != nil {
		return err
	}
	return c.s.input.addPassive(&passiveGrab{c: c, window: w, button: uint8(r.Button), modifiers: r.Modifiers,
		ownerEvents: r.OwnerEvents, mask: uint32(r.EventMask), confineTo: confine, cursor: k,
		syncPointer: r.PointerMode == 0, syncKbd: r.KeyboardMode == 0})
}

func (c *client) ungrabButton(b []byte) error {
	var r protocol.UngrabButton
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	w, err := c.window(uint32(r.GrabWindow))
	if err != nil {
		return err
	}
	c.s.input.removePassive(c, w, uint8(r.Button), r.Modifiers, false)
	return nil
}

func (c *client) grabKey(b []byte) error {
	var r protocol.GrabKey
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	w, err := c.window(uint32(r.GrabWindow))
	if err != nil {
		return err
	}
	if r.Key != 0 && (r.Key < minKeycode) {
		return badValue(uint32(r.Key))
	}
	return c.s.input.addPassive(&passiveGrab{c: c, window: w, button: uint8(r.Key), modifiers: r.Modifiers,
		ownerEvents: r.OwnerEvents, keyboard: true, syncPointer: r.PointerMode == 0, syncKbd: r.KeyboardMode == 0})
}

func (c *client) ungrabKey(b []byte) error {
	var r protocol.UngrabKey
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	w, err := c.window(uint32(r.GrabWindow))
	if err != nil {
		return err
	}
	c.s.input.removePassive(c, w, uint8(r.Key), r.Modifiers, true)
	return nil
}

// addPassive records a passive grab; another client's grab of the same
// combination on the same window is an Access error.
func (in *input) addPassive(p *passiveGrab) error {
	for _, q := range in.passive {
		if q.window == p.window && q.keyboard == p.keyboard && q.button == p.button && q.modifiers == p.modifiers {
			if q.c != p.c {
				return errAccess
			}
			*q = *p
			return nil
		}
	}
	in.passive = append(in.passive, p)
	return nil
}

func (in *input) removePassive(c *client, w *window, detail uint8, mods uint16, keyboard bool) {
	kept := in.passive[:0]
	for _, q := range in.passive {
		match := q.c == c && q.window == w && q.keyboard == keyboard &&
			(detail == 0 || q.button == detail) && (mods == anyModifier || q.modifiers == mods)
		if !match {
			kept = append(kept, q)
		}
	}
	in.passive = kept
}

func (c *client) allowEvents(b []byte) error {
	var r protocol.AllowEvents
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if r.Mode > 7 {
		return badValue(uint32(r.Mode))
	}
	c.s.input.allowEvents(c, r.Mode)
	return nil
}

func (c *client) grabServer(b []byte) error {
	c.s.grab = c
	return nil
}

func (c *client) ungrabServer(b []byte) error {
	s := c.s
	if s.grab == c {
		s.grab = nil
		s.ungrab.Broadcast()
	}
	return nil
}

func (c *client) queryKeymap(b []byte) error {
	keys := c.s.input.keys
	c.reply(&protocol.QueryKeymapReply{Sequence: c.seq, Keys: keys})
	return nil
}

func (c *client) getMotionEvents(b []byte) error {
	var r protocol.GetMotionEvents
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if _, err := c.window(uint32(r.Window)); err != nil {
		return err
	}
	// There is no motion history buffer (motion-buffer-size is 0).
	delete(c.s.input.motionHinted, c)
	c.reply(&protocol.GetMotionEventsReply{Sequence: c.seq})
	return nil
}

// keyboardControl is the state ChangeKeyboardControl sets. Nothing here
// clicks or rings, but clients read back what they set.
type keyboardControl struct {
	keyClick, bellPercent, bellPitch, bellDuration int
	ledMask                                        uint32
	autoRepeat                                     bool
	repeats                                        [32]byte
}

func (c *client) changeKeyboardControl(b []byte) error {
	var r protocol.ChangeKeyboardControl
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	kc := &c.s.kbdControl
	var led, ledMode = -1, -1
	var key = -1
	for bit, v := range protocol.Values(r.ValueMask, r.ValueList) {
		iv := int(int32(v))
		switch bit {
		case protocol.KBKeyClickPercent:
			if iv < -1 || iv > 100 {
				return badValue(v)
			}
			kc.keyClick = iv
		case protocol.KBBellPercent:
			if iv < -1 || iv > 100 {
				return badValue(v)
			}
			kc.bellPercent = iv
		case protocol.KBBellPitch:
			kc.bellPitch = iv
		case protocol.KBBellDuration:
			kc.bellDuration = iv
		case protocol.KBLed:
			led = iv
		case protocol.KBLedMode:
			ledMode = iv
		case protocol.KBKey:
			if iv < minKeycode || iv > maxKeycode {
				return badValue(v)
			}
			key = iv
		case protocol.KBAutoRepeatMode:
			if v > 2 {
				return badValue(v)
			}
			if key >= 0 {
				if v == 1 {
					kc.repeats[key>>3] |= 1 << (key & 7)
				} else {
					kc.repeats[key>>3] &^= 1 << (key & 7)
				}
			} else {
				kc.autoRepeat = v == 1
			}
		}
	}
	if ledMode >= 0 {
		if led >= 1 && led <= 32 {
			if ledMode == 1 {
				kc.ledMask |= 1 << uint(led-1)
			} else {
				kc.ledMask &^= 1 << uint(led-1)
			}
		} else if ledMode == 1 {
			kc.ledMask = 0xFFFFFFFF
		} else {
			kc.ledMask = 0
		}
	}
	return nil
}

func (c *client) getKeyboardControl(b []byte) error {
	kc := &c.s.kbdControl
	c.reply(&protocol.GetKeyboardControlReply{
		Sequence:         c.seq,
		GlobalAutoRepeat: boolByte(kc.autoRepeat),
		LedMask:          kc.ledMask | c.s.xkbLedState(),
		KeyClickPercent:  uint8(kc.keyClick),
		BellPercent:      uint8(kc.bellPercent),
		BellPitch:        uint16(kc.bellPitch),
		BellDuration:     uint16(kc.bellDuration),
		AutoRepeats:      kc.repeats,
	})
	return nil
}

func boolByte(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

func (c *client) bell(b []byte) error {
	var r protocol.Bell
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if r.Percent < -100 || r.Percent > 100 {
		return badValue(uint32(r.Percent))
	}
	c.s.screen.damage.bell()
	c.s.xkbBellRang(int(r.Percent), 0, 0, 0, 0, false)
	return nil
}

func (c *client) changePointerControl(b []byte) error {
	var r protocol.ChangePointerControl
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	pc := &c.s.pointerControl
	if r.DoAcceleration {
		if r.AccelerationDenominator == 0 {
			return badValue(0)
		}
		pc[0], pc[1] = int(r.AccelerationNumerator), int(r.AccelerationDenominator)
	}
	if r.DoThreshold {
		pc[2] = int(r.Threshold)
	}
	return nil
}

func (c *client) getPointerControl(b []byte) error {
	pc := c.s.pointerControl
	c.reply(&protocol.GetPointerControlReply{Sequence: c.seq, AccelerationNumerator: uint16(pc[0]), AccelerationDenominator: uint16(pc[1]), Threshold: uint16(pc[2])})
	return nil
}

func (c *client) setPointerMapping(b []byte) error {
	var r protocol.SetPointerMapping
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	in := &c.s.input
	if len(r.Map) != len(in.pointerMap) {
		return badValue(uint32(len(r.Map)))
	}
	seen := map[uint8]bool{}
	for _, m := range r.Map {
		if m != 0 && seen[m] {
			return badValue(uint32(m))
		}
		seen[m] = true
	}
	if in.buttons != 0 {
		c.reply(&protocol.SetPointerMappingReply{Sequence: c.seq, Status: 1})
		return nil
	}
	copy(in.pointerMap[:], r.Map)
	c.reply(&protocol.SetPointerMappingReply{Sequence: c.seq, Status: 0})
	c.s.mappingNotify(2, 0, 0)
	return nil
}

func (c *client) getPointerMapping(b []byte) error {
	m := c.s.input.pointerMap
	c.reply(&protocol.GetPointerMappingReply{Sequence: c.seq, Map: m[:]})
	return nil
}
