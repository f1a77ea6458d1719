package xserver

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"

	"netdisplay/protocol"
)

// The XKEYBOARD requests. Each checks its device as X.Org does: the
// keyboard is the core keyboard or device 3, the pointer (for the
// requests about any device) the core pointer or device 2; others get a
// Keyboard error naming the device.

// xkbRequest runs the XKEYBOARD requests.
func (c *client) xkbRequest(b []byte) error {
	c.s.xkbSetup()
	minor := b[1]
	if minor == xkbUseExtensionOp {
		return c.xkbUseExtension(b)
	}
	h, ok := xkbHandlers[minor]
	if !ok {
		return xerr(protocol.BadRequest, 0)
	}
	if !c.xkb.using {
		return errAccess // UseExtension first
	}
	if h == nil {
		return errImplementation
	}
	return h(c, b)
}

// xkbHandlers holds the requests; those that are nil are not implemented:
// the ones that would change the keymap itself, its names or geometry, and
// the debugging flags.
var xkbHandlers = map[uint8]handler{
	xkbSelectEventsOp:      (*client).xkbSelectEvents,
	xkbBellOp:              (*client).xkbBell,
	xkbGetStateOp:          (*client).xkbGetState,
	xkbLatchLockStateOp:    (*client).xkbLatchLockState,
	xkbGetControlsOp:       (*client).xkbGetControls,
	xkbSetControlsOp:       (*client).xkbSetControls,
	xkbGetMapOp:            (*client).xkbGetMap,
	xkbSetMapOp:            nil,
	xkbGetCompatMapOp:      (*client).xkbGetCompatMap,
	xkbSetCompatMapOp:      nil,
	xkbGetIndicatorStateOp: (*client).xkbGetIndicatorState,
	xkbGetIndicatorMapOp:   (*client).xkbGetIndicatorMap,
	xkbSetIndicatorMapOp:   (*client).xkbSetIndicatorMap,
	xkbGetNamedIndicatorOp: (*client).xkbGetNamedIndicator,
	xkbSetNamedIndicatorOp: (*client).xkbSetNamedIndicator,
	xkbGetNamesOp:          (*client).xkbGetNames,
	xkbSetNamesOp:          nil,
	xkbGetGeometryOp:       (*client).xkbGetGeometry,
	xkbSetGeometryOp:       nil,
	xkbPerClientFlagsOp:    (*client).xkbPerClientFlags,
	xkbListComponentsOp:    (*client).xkbListComponents,
	xkbGetKbdByNameOp:      nil,
	xkbGetDeviceInfoOp:     (*client).xkbGetDeviceInfo,
	xkbSetDeviceInfoOp:     nil,
	xkbSetDebuggingFlagsOp: nil,
}

// xkbError is XKB's Keyboard error: why, and the device spec at fault.
func xkbError(why uint8, spec uint16) error {
	return xerr(xkbErrorBase, uint32(why)<<24|uint32(spec))
}

// keyboardSpec checks that a device spec names the keyboard.
func keyboardSpec(spec uint16) error {
	if spec == xkbUseCoreKbd || spec == xkbKeyboardID {
		return nil
	}
	return xkbError(xkbErrBadDevice, spec)
}

// anySpec checks that a device spec names the keyboard or the pointer,
// and says which.
func anySpec(spec uint16) (keyboard bool, err error) {
	switch spec {
	case xkbUseCoreKbd, xkbKeyboardID:
		return true, nil
	case xkbUseCorePtr, xkbPointerID:
		return false, nil
	}
	return false, xkbError(xkbErrBadDevice, spec)
}

// ledSpec checks that an LED class and ID name the keyboard's feedback.
func ledSpec(class, id uint16) error {
	switch class {
	case kbdFeedbackClass, xkbDfltXIClass, xkbAllXIClasses:
	default:
		return xkbError(xkbErrBadClass, class)
	}
	switch id {
	case 0, xkbDfltXIID, xkbAllXIIDs:
	default:
		return xkbError(xkbErrBadID, id)
	}
	return nil
}

func (c *client) xkbUseExtension(b []byte) error {
	var r xkbUseExtension
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	// 0.65, a pre-release, is 1.0 in all but name.
	ok := r.WantedMajor == 1 || r.WantedMajor == 0 && r.WantedMinor == 65
	if ok {
		c.xkb.using = true
	}
	c.reply(&xkbUseExtensionReply{Sequence: c.seq, Supported: ok, ServerMajor: 1, ServerMinor: 0})
	return nil
}

func (c *client) xkbSelectEvents(b []byte) error {
	var r xkbSelectEvents
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if _, err := anySpec(r.Device); err != nil {
		return err
	}
	if r.AffectWhich>>xkbNumEvents != 0 {
		return badValue(uint32(r.AffectWhich))
	}
	// Check everything before changing anything.
	sel := c.xkb.selected
	if r.AffectWhich&(1<<xkbMapNotify) != 0 {
		sel[xkbMapNotify] = sel[xkbMapNotify]&^uint32(r.AffectMap) | uint32(r.AffectMap&r.Map&xkbAllMapParts)
	}
	details := r.Details
	for t := range xkbNumEvents {
		bit := uint16(1) << t
		if r.AffectWhich&bit == 0 || t == xkbMapNotify {
			continue
		}
		switch {
		case r.Clear&bit != 0:
			sel[t] = 0
		case r.SelectAll&bit != 0:
			sel[t] = xkbLegalDetails[t]
		default:
			d := details[0]
			details = details[1:]
			if d.Details&^d.Affect != 0 {
				return errMatch
			}
			if d.Affect&^xkbLegalDetails[t] != 0 {
				return badValue(d.Affect)
			}
			sel[t] = sel[t]&^d.Affect | d.Affect&d.Details
		}
	}
	c.xkb.selected = sel
	return nil
}

func (c *client) xkbBell(b []byte) error {
	var r xkbBell
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if err := keyboardSpec(r.Device); err != nil {
		return err
	}
	switch {
	case r.ForceSound && r.EventOnly:
		return errMatch
	case r.Percent < -100 || r.Percent > 100:
		return badValue(uint32(int32(r.Percent)))
	case r.Duration < -1:
		return badValue(uint32(int32(r.Duration)))
	case r.Pitch < -1:
		return badValue(uint32(int32(r.Pitch)))
	case r.BellClass != kbdFeedbackClass && r.BellClass != xkbDfltXIClass:
		return badValue(uint32(r.BellClass))
	case r.BellID != 0 && r.BellID != xkbDfltXIID:
		return badValue(uint32(r.BellID))
	case r.Name != 0 && !c.s.atoms.valid(r.Name):
		return badAtom(r.Name)
	}
	if r.Window != 0 {
		if _, err := c.window(r.Window); err != nil {
			return err
		}
	}
	if !r.EventOnly {
		c.s.screen.damage.bell()
	}
	c.s.xkbBellRang(int(r.Percent), int(r.Pitch), int(r.Duration), r.Name, r.Window, r.EventOnly)
	return nil
}

// xkbBellRang tells the clients that selected BellNotify that the bell
// rang (or, eventOnly, was asked to without a sound), at percent of the
// base volume, as the core Bell request counts it. Pitch and duration
// are the bell's own when 0, its defaults when -1.
func (s *Server) xkbBellRang(percent, pitch, duration int, name, window uint32, eventOnly bool) {
	kc := &s.kbdControl
	base := kc.bellPercent
	volume := base - base*percent/100 + percent
	if percent < 0 {
		volume = base + base*percent/100
	}
	switch pitch {
	case 0:
		pitch = kc.bellPitch
	case -1:
		pitch = 400
	}
	switch duration {
	case 0:
		duration = kc.bellDuration
	case -1:
		duration = 100
	}
	s.xkbTell(xkbBellNotify, 1, &xkbBellNotifyEvent{
		Time: s.now(), Device: xkbKeyboardID, BellClass: kbdFeedbackClass,
		Percent: uint8(max(0, min(volume, 100))), Pitch: uint16(pitch), Duration: uint16(duration),
		Name: name, Window: window, EventOnly: eventOnly,
	})
}

func (c *client) xkbGetState(b []byte) error {
	var r xkbDeviceRequest
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if err := keyboardSpec(r.Device); err != nil {
		return err
	}
	c.reply(&xkbGetStateReply{Sequence: c.seq, Device: xkbKeyboardID, xkbStateFields: c.s.input.xkbFields()})
	return nil
}

func (c *client) xkbLatchLockState(b []byte) error {
	var r xkbLatchLockState
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if err := keyboardSpec(r.Device); err != nil {
		return err
	}
	if r.ModLocks&^r.AffectModLocks != 0 || r.ModLatch&^r.AffectModLatches != 0 {
		return errMatch
	}
	x := &c.s.input.xkb
	x.locked = x.locked&^r.AffectModLocks | r.AffectModLocks&r.ModLocks
	x.latched = x.latched&^r.AffectModLatches | r.AffectModLatches&r.ModLatch
	// A group lock wraps into the one group: it changes nothing.
	if r.LatchGroup {
		x.latchedGroup = r.GroupLatch
	}
	x.cause = xkbCause{major: xkbMajor, minor: xkbLatchLockStateOp}
	c.s.xkbStateChanged()
	return nil
}

// xkbEnabledCtrls is the boolean controls that are on.
func (s *Server) xkbEnabledCtrls() uint32 {
	on := s.input.xkb.ctrl.Enabled &^ xkbRepeatKeys
	if s.kbdControl.autoRepeat {
		on |= xkbRepeatKeys
	}
	return on
}

// xkbControls is the controls as clients see them.
func (s *Server) xkbControls() xkbControls {
	ctrl := s.input.xkb.ctrl
	ctrl.Enabled = s.xkbEnabledCtrls()
	ctrl.PerKeyRepeat = s.kbdControl.repeats
	return ctrl
}

func (c *client) xkbGetControls(b []byte) error {
	var r xkbDeviceRequest
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if err := keyboardSpec(r.Device); err != nil {
		return err
	}
	x := &c.s.input.xkb
	ctrl := c.s.xkbControls()
	c.reply(&xkbGetControlsReply{
		Sequence: c.seq, Device: xkbKeyboardID, NumGroups: 1,
		InternalMods:   ctrl.InternalRealMods | x.keymap.realMods(ctrl.InternalVMods),
		IgnoreLockMods: ctrl.IgnoreLockRealMods | x.keymap.realMods(ctrl.IgnoreLockVMods),
		xkbControls:    ctrl,
	})
	return nil
}

func (c *client) xkbSetControls(b []byte) error {
	var r xkbSetControls
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if err := keyboardSpec(r.Device); err != nil {
		return err
	}
	s := c.s
	x := &s.input.xkb
	old := s.xkbControls()
	ctrl := old
	in := &r.xkbControls
	change := func(bit uint32) bool { return r.Change&bit != 0 }
	switch {
	case r.Change&^xkbAllCtrls != 0:
		return badValue(r.Change)
	case change(xkbInternalModsCtrl) && (in.InternalRealMods&^r.AffectInternalRealMods != 0 || in.InternalVMods&^r.AffectInternalVMods != 0):
		return errMatch
	case change(xkbIgnoreLockModsCtrl) && (in.IgnoreLockRealMods&^r.AffectIgnoreLockRealMods != 0 || in.IgnoreLockVMods&^r.AffectIgnoreLockVMods != 0):
		return errMatch
	case in.Enabled&^r.AffectEnabled != 0:
		return errMatch
	case r.AffectEnabled&^xkbBooleanCtrls != 0:
		return badValue(r.AffectEnabled)
	case change(xkbRepeatKeys) && (in.RepeatDelay < 1 || in.RepeatInterval < 1):
		return badValue(uint32(in.RepeatDelay))
	case change(xkbSlowKeys) && in.SlowKeysDelay < 1:
		return badValue(0)
	case change(xkbBounceKeys) && in.DebounceDelay < 1:
		return badValue(0)
	case change(xkbMouseKeys) && in.MouseKeysDfltBtn > 4:
		return badValue(uint32(in.MouseKeysDfltBtn))
	case change(xkbMouseKeysAccel) && (in.MouseKeysDelay < 1 || in.MouseKeysInterval < 1 || in.MouseKeysTimeToMax < 1 || in.MouseKeysMaxSpeed < 1 || in.MouseKeysCurve < -1000):
		return badValue(0)
	case change(xkbGroupsWrapCtrl) && !groupsWrapOK(in.GroupsWrap):
		return badValue(uint32(in.GroupsWrap))
	case in.AccessXOptions&^xkbAccessXOptions != 0:
		return badValue(uint32(in.AccessXOptions))
	case change(xkbAccessXTimeout) && in.AccessXTimeout < 1:
		return badValue(0)
	case change(xkbAccessXTimeout) && (in.AccessXTimeoutValues&^in.AccessXTimeoutMask != 0 || in.AccessXTimeoutOptsValues&^in.AccessXTimeoutOptsMask != 0):
		return errMatch
	case change(xkbAccessXTimeout) && (in.AccessXTimeoutMask&^xkbBooleanCtrls != 0 || in.AccessXTimeoutOptsMask&^xkbAccessXOptions != 0):
		return badValue(in.AccessXTimeoutMask)
	}
	if change(xkbInternalModsCtrl) {
		ctrl.InternalRealMods = ctrl.InternalRealMods&^r.AffectInternalRealMods | in.InternalRealMods
		ctrl.InternalVMods = ctrl.InternalVMods&^r.AffectInternalVMods | in.InternalVMods
	}
	if change(xkbIgnoreLockModsCtrl) {
		ctrl.IgnoreLockRealMods = ctrl.IgnoreLockRealMods&^r.AffectIgnoreLockRealMods | in.IgnoreLockRealMods
		ctrl.IgnoreLockVMods = ctrl.IgnoreLockVMods&^r.AffectIgnoreLockVMods | in.IgnoreLockVMods
	}
	affect := r.AffectEnabled & xkbSettableCtrls
	ctrl.Enabled = ctrl.Enabled&^affect | in.Enabled&affect
	if change(xkbRepeatKeys) {
		ctrl.RepeatDelay, ctrl.RepeatInterval = in.RepeatDelay, in.RepeatInterval
	}
	if change(xkbSlowKeys) {
		ctrl.SlowKeysDelay = in.SlowKeysDelay
	}
	if change(xkbBounceKeys) {
		ctrl.DebounceDelay = in.DebounceDelay
	}
	if change(xkbMouseKeys) {
		ctrl.MouseKeysDfltBtn = in.MouseKeysDfltBtn
	}
	if change(xkbMouseKeysAccel) {
		ctrl.MouseKeysDelay, ctrl.MouseKeysInterval = in.MouseKeysDelay, in.MouseKeysInterval
		ctrl.MouseKeysTimeToMax, ctrl.MouseKeysMaxSpeed, ctrl.MouseKeysCurve = in.MouseKeysTimeToMax, in.MouseKeysMaxSpeed, in.MouseKeysCurve
	}
	if change(xkbGroupsWrapCtrl) {
		ctrl.GroupsWrap = in.GroupsWrap
	}
	switch {
	case change(xkbAccessXKeys):
		ctrl.AccessXOptions = in.AccessXOptions
	default:
		if change(xkbStickyKeys) {
			ctrl.AccessXOptions = ctrl.AccessXOptions&^xkbStickyKeysOpts | in.AccessXOptions&xkbStickyKeysOpts
		}
		if change(xkbAccessXFeedback) {
			ctrl.AccessXOptions = ctrl.AccessXOptions&^xkbAccessXFeedbacks | in.AccessXOptions&xkbAccessXFeedbacks
		}
	}
	if change(xkbAccessXTimeout) {
		ctrl.AccessXTimeout = in.AccessXTimeout
		ctrl.AccessXTimeoutMask, ctrl.AccessXTimeoutValues = in.AccessXTimeoutMask, in.AccessXTimeoutValues
		ctrl.AccessXTimeoutOptsMask, ctrl.AccessXTimeoutOptsValues = in.AccessXTimeoutOptsMask, in.AccessXTimeoutOptsValues
	}
	if change(xkbPerKeyRepeatCtrl) {
		ctrl.PerKeyRepeat = in.PerKeyRepeat
	}

	// Commit: repeating is the core protocol's, the rest XKB's.
	s.kbdControl.autoRepeat = ctrl.Enabled&xkbRepeatKeys != 0
	s.kbdControl.repeats = ctrl.PerKeyRepeat
	x.ctrl = ctrl
	x.updateMasks()
	changed := controlChanges(&old, &ctrl)
	if changed != 0 {
		s.xkbTell(xkbControlsNotify, changed, &xkbControlsNotifyEvent{
			Time: s.now(), Device: xkbKeyboardID, NumGroups: 1, Changed: changed,
			Enabled: ctrl.Enabled, EnabledChanges: old.Enabled ^ ctrl.Enabled,
			RequestMajor: xkbMajor, RequestMinor: xkbSetControlsOp,
		})
	}
	// The internal and ignore-lock modifiers change the state reported.
	x.cause = xkbCause{major: xkbMajor, minor: xkbSetControlsOp}
	s.xkbStateChanged()
	return nil
}

// groupsWrapOK says whether groupsWrap is a way to bring a group into
// range: wrap, clamp, or redirect to an existing group.
func groupsWrapOK(groupsWrap uint8) bool {
	switch groupsWrap & 0xc0 {
	case 0x00, 0x40:
		return true
	case 0x80:
		return groupsWrap&0x0f < 1
	}
	return false
}

// controlChanges says which controls differ, as ControlsNotify reports them.
func controlChanges(a, b *xkbControls) uint32 {
	var c uint32
	set := func(bit uint32, differ bool) {
		if differ {
			c |= bit
		}
	}
	set(xkbRepeatKeys, a.RepeatDelay != b.RepeatDelay || a.RepeatInterval != b.RepeatInterval)
	set(xkbPerKeyRepeatCtrl, a.PerKeyRepeat != b.PerKeyRepeat)
	set(xkbSlowKeys, a.SlowKeysDelay != b.SlowKeysDelay)
	set(xkbBounceKeys, a.DebounceDelay != b.DebounceDelay)
	set(xkbMouseKeys, a.MouseKeysDfltBtn != b.MouseKeysDfltBtn || a.MouseKeysDelay != b.MouseKeysDelay || a.MouseKeysInterval != b.MouseKeysInterval)
	set(xkbMouseKeysAccel, a.MouseKeysTimeToMax != b.MouseKeysTimeToMax || a.MouseKeysMaxSpeed != b.MouseKeysMaxSpeed || a.MouseKeysCurve != b.MouseKeysCurve)
	set(xkbAccessXKeys, a.AccessXOptions != b.AccessXOptions)
	set(xkbAccessXTimeout, a.AccessXTimeout != b.AccessXTimeout || a.AccessXTimeoutMask != b.AccessXTimeoutMask ||
		a.AccessXTimeoutValues != b.AccessXTimeoutValues || a.AccessXTimeoutOptsMask != b.AccessXTimeoutOptsMask || a.AccessXTimeoutOptsValues != b.AccessXTimeoutOptsValues)
	set(xkbInternalModsCtrl, a.InternalRealMods != b.InternalRealMods || a.InternalVMods != b.InternalVMods)
	set(xkbIgnoreLockModsCtrl, a.IgnoreLockRealMods != b.IgnoreLockRealMods || a.IgnoreLockVMods != b.IgnoreLockVMods)
	set(xkbGroupsWrapCtrl, a.GroupsWrap != b.GroupsWrap)
	set(xkbControlsEnabledCtrl, a.Enabled != b.Enabled)
	return c
}

func (c *client) xkbGetMap(b []byte) error {
	var r xkbGetMap
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if err := keyboardSpec(r.Device); err != nil {
		return err
	}
	if r.Full&r.Partial != 0 {
		return errMatch
	}
	if (r.Full|r.Partial)&^xkbAllMapParts != 0 {
		return badValue(uint32(r.Full | r.Partial))
	}
	p := &r.xkbMapParts
	if r.Partial&xkbKeyTypes != 0 && int(p.FirstType)+int(p.NTypes) > len(keyTypes) {
		return badValue(uint32(p.FirstType))
	}
	for _, k := range []struct {
		part     uint16
		first, n uint8
	}{
		{xkbKeySyms, p.FirstKeySym, p.NKeySyms},
		{xkbKeyActions, p.FirstKeyAction, p.NKeyActions},
		{xkbKeyBehaviors, p.FirstKeyBehavior, p.NKeyBehaviors},
		{xkbExplicitComponents, p.FirstKeyExplicit, p.NKeyExplicit},
		{xkbModifierMap, p.FirstModMapKey, p.NModMapKeys},
		{xkbVirtualModMap, p.FirstVModMapKey, p.NVModMapKeys},
	} {
		if r.Partial&k.part != 0 && (k.first < minKeycode || int(k.first)+int(k.n)-1 > maxKeycode) {
			return badValue(uint32(k.first))
		}
	}
	rep := c.s.input.xkb.keymap.reply(&r)
	rep.Sequence = c.seq
	c.reply(rep)
	return nil
}

func (c *client) xkbGetCompatMap(b []byte) error {
	var r xkbGetCompatMap
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if err := keyboardSpec(r.Device); err != nil {
		return err
	}
	si := xkbInterprets()
	rep := &xkbGetCompatMapReply{Sequence: c.seq, Device: xkbKeyboardID, Groups: r.Groups & 0xf, FirstSI: r.FirstSI, TotalSI: uint16(len(si))}
	switch {
	case r.GetAllSI:
		rep.FirstSI, rep.Interprets = 0, si
	case r.NSI > 0 && int(r.FirstSI)+int(r.NSI) > len(si):
		return badValue(uint32(r.FirstSI))
	case r.NSI > 0:
		rep.Interprets = si[r.FirstSI : r.FirstSI+r.NSI]
	}
	rep.NSI = uint16(len(rep.Interprets))
	// The one group adds no modifiers to the core state.
	rep.GroupMaps = make([]xkbMods, bits.OnesCount8(rep.Groups))
	c.reply(rep)
	return nil
}

func (c *client) xkbGetIndicatorState(b []byte) error {
	var r xkbDeviceRequest
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if err := keyboardSpec(r.Device); err != nil {
		return err
	}
	c.reply(&xkbGetIndicatorStateReply{Sequence: c.seq, Device: xkbKeyboardID, State: c.s.xkbLedState()})
	return nil
}

func (c *client) xkbGetIndicatorMap(b []byte) error {
	var r xkbWhichRequest
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if err := keyboardSpec(r.Device); err != nil {
		return err
	}
	x := &c.s.input.xkb
	rep := &xkbGetIndicatorMapReply{Sequence: c.seq, Device: xkbKeyboardID, Which: r.Which, Real: physicalLeds}
	for i := range x.leds {
		if r.Which&(1<<i) != 0 {
			rep.Maps = append(rep.Maps, x.ledMap(i))
		}
	}
	c.reply(rep)
	return nil
}

func (c *client) xkbSetIndicatorMap(b []byte) error {
	var r xkbSetIndicatorMap
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if err := keyboardSpec(r.Device); err != nil {
		return err
	}
	for _, m := range r.Maps {
		if err := checkIndicatorMap(m); err != nil {
			return err
		}
	}
	x := &c.s.input.xkb
	maps := r.Maps
	for i := range x.leds {
		if r.Which&(1<<i) != 0 {
			x.leds[i].m = maps[0]
			maps = maps[1:]
		}
	}
	c.s.xkbLedMapsChanged(r.Which)
	return nil
}

// checkIndicatorMap gives a Value error for an indicator map that takes
// its state from groups or modifier states that there are not.
func checkIndicatorMap(m xkbIndicatorMap) error {
	if m.WhichGroups&^imUseAnyGroup != 0 || m.WhichMods&^imUseAnyMods != 0 {
		return badValue(uint32(m.WhichGroups)<<8 | uint32(m.WhichMods))
	}
	return nil
}

// xkbLedMapsChanged tells clients that the maps of some indicators
// changed, and then which ones that lit or put out.
func (s *Server) xkbLedMapsChanged(which uint32) {
	if which != 0 {
		s.xkbTell(xkbIndicatorMapNotify, which, &xkbIndicatorNotifyEvent{Type: xkbIndicatorMapNotify, Time: s.now(), Device: xkbKeyboardID, State: s.xkbLedState(), Changed: which})
	}
	s.xkbLedsChanged()
}

// namedLed finds the indicator of a name.
func (x *xkbState) namedLed(name uint32) (int, bool) {
	for i, l := range x.leds {
		if l.name == name {
			return i, true
		}
	}
	return 0, false
}

// checkNamedIndicator checks what GetNamedIndicator and SetNamedIndicator
// name: the keyboard, its LED feedback and an indicator's atom.
func (c *client) checkNamedIndicator(device, ledClass, ledID uint16, indicator uint32) error {
	if err := keyboardSpec(device); err != nil {
		return err
	}
	if err := ledSpec(ledClass, ledID); err != nil {
		return err
	}
	if !c.s.atoms.valid(indicator) {
		return badAtom(indicator)
	}
	return nil
}

func (c *client) xkbGetNamedIndicator(b []byte) error {
	var r xkbGetNamedIndicator
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if err := c.checkNamedIndicator(r.Device, r.LedClass, r.LedID, r.Indicator); err != nil {
		return err
	}
	x := &c.s.input.xkb
	rep := &xkbGetNamedIndicatorReply{Sequence: c.seq, Device: xkbKeyboardID, Indicator: r.Indicator, Supported: true, Index: 0xff}
	if i, ok := x.namedLed(r.Indicator); ok {
		rep.Found, rep.Index, rep.Map = true, uint8(i), x.ledMap(i)
		rep.On = c.s.xkbLedState()&(1<<i) != 0
		rep.Real = physicalLeds&(1<<i) != 0
	}
	c.reply(rep)
	return nil
}

func (c *client) xkbSetNamedIndicator(b []byte) error {
	var r xkbSetNamedIndicator
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if err := c.checkNamedIndicator(r.Device, r.LedClass, r.LedID, r.Indicator); err != nil {
		return err
	}
	if err := checkIndicatorMap(r.Map); err != nil {
		return err
	}
	s := c.s
	x := &s.input.xkb
	i, ok := x.namedLed(r.Indicator)
	if !ok {
		// An indicator of a new name takes the first one without a name
		// or a map, as X.Org does, whether or not CreateMap is set.
		for i = 0; i < len(x.leds) && (x.leds[i].name != 0 || x.leds[i].m != (xkbIndicatorMap{})); i++ {
		}
		if i == len(x.leds) {
			return errAlloc
		}
		x.leds[i].name = r.Indicator
		s.xkbTell(xkbNamesNotify, xkbIndicatorNames, &xkbNamesNotifyEvent{Time: s.now(), Device: xkbKeyboardID, Changed: xkbIndicatorNames, ChangedIndicators: 1 << i})
	}
	bit := uint32(1) << i
	var mapChanged uint32
	if r.SetMap {
		m := r.Map
		m.Mods = 0
		x.leds[i].m = m
		mapChanged = bit
	}
	if r.SetState && x.leds[i].m.Flags&imNoExplicit == 0 {
		if r.On {
			s.kbdControl.ledMask |= bit
		} else {
			s.kbdControl.ledMask &^= bit
		}
	}
	s.xkbLedMapsChanged(mapChanged)
	return nil
}

// The names of the keyboard's parts.
var xkbComponentNames = [6]string{"evdev", "", "pc+us", "pc+us", "basic", "basic"} // keycodes, geometry (none), symbols, physical symbols, types, compat

// evdevKeyNames are the names the evdev keycodes give keys, as keycode
// and name pairs; keycodes from 120 on that are not listed are named "I"
// and their number.
const evdevKeyNames = `
	9 ESC 10 AE01 11 AE02 12 AE03 13 AE04 14 AE05 15 AE06 16 AE07 17 AE08 18 AE09 19 AE10 20 AE11 21 AE12 22 BKSP
	23 TAB 24 AD01 25 AD02 26 AD03 27 AD04 28 AD05 29 AD06 30 AD07 31 AD08 32 AD09 33 AD10 34 AD11 35 AD12 36 RTRN
	37 LCTL 38 AC01 39 AC02 40 AC03 41 AC04 42 AC05 43 AC06 44 AC07 45 AC08 46 AC09 47 AC10 48 AC11 49 TLDE
	50 LFSH 51 BKSL 52 AB01 53 AB02 54 AB03 55 AB04 56 AB05 57 AB06 58 AB07 59 AB08 60 AB09 61 AB10 62 RTSH
	63 KPMU 64 LALT 65 SPCE 66 CAPS 67 FK01 68 FK02 69 FK03 70 FK04 71 FK05 72 FK06 73 FK07 74 FK08 75 FK09 76 FK10
	77 NMLK 78 SCLK 79 KP7 80 KP8 81 KP9 82 KPSU 83 KP4 84 KP5 85 KP6 86 KPAD 87 KP1 88 KP2 89 KP3 90 KP0 91 KPDL
	92 LVL3 94 LSGT 95 FK11 96 FK12 97 AB11 98 KATA 99 HIRA 100 HENK 101 HKTG 102 MUHE 103 JPCM 104 KPEN 105 RCTL
	106 KPDV 107 PRSC 108 RALT 109 LNFD 110 HOME 111 UP 112 PGUP 113 LEFT 114 RGHT 115 END 116 DOWN 117 PGDN
	118 INS 119 DELE 121 MUTE 122 VOL- 123 VOL+ 124 POWR 125 KPEQ 127 PAUS 130 HNGL 131 HJCV 132 AE13 133 LWIN
	134 RWIN 135 COMP 136 STOP 137 AGAI 138 PROP 139 UNDO 140 FRNT 141 COPY 142 OPEN 143 PAST 144 FIND 145 CUT
	146 HELP 191 FK13 192 FK14 193 FK15 194 FK16 195 FK17 196 FK18 197 FK19 198 FK20 199 FK21 200 FK22 201 FK23
	202 FK24 203 MDSW 204 ALT 205 META 206 SUPR 207 HYPR`

// keyNames are the keys' names, indexed by keycode.
var keyNames = func() (names [maxKeycode + 1][4]byte) {
	for kc := 120; kc <= maxKeycode; kc++ {
		copy(names[kc][:], fmt.Sprintf("I%03d", kc))
	}
	f := strings.Fields(evdevKeyNames)
	for i := 0; i+1 < len(f); i += 2 {
		kc, _ := strconv.Atoi(f[i])
		names[kc] = [4]byte{}
		copy(names[kc][:], f[i+1])
	}
	return names
}()

func (c *client) xkbGetNames(b []byte) error {
	var r xkbWhichRequest
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if err := keyboardSpec(r.Device); err != nil {
		return err
	}
	if r.Which&^xkbAllNames != 0 {
		return badValue(r.Which)
	}
	s := c.s
	x := &s.input.xkb
	intern := func(name string) uint32 {
		if name == "" {
			return 0
		}
		a, _ := s.atoms.intern(name, false)
		return a
	}
	const nKeys = maxKeycode - minKeycode + 1
	// There are no key aliases and no radio groups.
	rep := &xkbGetNamesReply{Sequence: c.seq, Device: xkbKeyboardID, Which: r.Which &^ (xkbKeyAliases | xkbRGNames),
		MinKeycode: minKeycode, MaxKeycode: maxKeycode, NTypes: uint8(len(keyTypes)), FirstKey: minKeycode, NKeys: nKeys}
	has := func(n uint32) bool { return rep.Which&n != 0 }
	for i, a := range []*uint32{&rep.Keycodes, &rep.Geometry, &rep.Symbols, &rep.PhysSymbols, &rep.Types, &rep.Compat} {
		*a = intern(xkbComponentNames[i])
	}
	if has(xkbKeyTypeNames) {
		for _, t := range keyTypes {
			rep.TypeNames = append(rep.TypeNames, intern(t.name))
		}
	}
	if has(xkbKTLevelNames) {
		for _, t := range keyTypes {
			rep.LevelCounts = append(rep.LevelCounts, uint8(len(t.levelNames)))
			for _, n := range t.levelNames {
				rep.LevelNames = append(rep.LevelNames, intern(n))
			}
		}
		rep.NKTLevels = uint16(len(rep.LevelNames))
	}
	if has(xkbIndicatorNames) {
		for i, l := range x.leds {
			if l.name != 0 {
				rep.Indicators |= 1 << i
				rep.IndicatorNames = append(rep.IndicatorNames, l.name)
			}
		}
	}
	if has(xkbVirtualModNames) {
		for v := range 16 {
			if n, ok := vmodNames[v]; ok {
				rep.VirtualMods |= 1 << v
				rep.VModNames = append(rep.VModNames, intern(n))
			}
		}
	}
	if has(xkbGroupNames) {
		rep.GroupNames = 1
		rep.GroupNameList = []uint32{intern("English (US)")}
	}
	if has(xkbKeyNames) {
		for kc := minKeycode; kc <= maxKeycode; kc++ {
			rep.KeyNames = append(rep.KeyNames, keyNames[kc])
		}
	}
	c.reply(rep)
	return nil
}

func (c *client) xkbGetGeometry(b []byte) error {
	var r xkbGetGeometry
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if err := keyboardSpec(r.Device); err != nil {
		return err
	}
	if r.Name != 0 && !c.s.atoms.valid(r.Name) {
		return badAtom(r.Name)
	}
	// The keyboard has no geometry: nothing draws it.
	c.reply(&xkbGetGeometryReply{Sequence: c.seq, Device: xkbKeyboardID, Name: r.Name, Found: false})
	return nil
}

func (c *client) xkbPerClientFlags(b []byte) error {
	var r xkbPerClientFlags
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if err := keyboardSpec(r.Device); err != nil {
		return err
	}
	if r.Change&^xkbAllClientFlags != 0 {
		return badValue(r.Change)
	}
	if r.Value&^r.Change != 0 {
		return errMatch
	}
	change := r.Change & xkbSupportedClientFlags
	c.xkb.flags = c.xkb.flags&^change | r.Value&change
	c.reply(&xkbPerClientFlagsReply{Sequence: c.seq, Device: xkbKeyboardID, Supported: xkbSupportedClientFlags, Value: c.xkb.flags})
	return nil
}

func (c *client) xkbListComponents(b []byte) error {
	var r xkbListComponents
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if err := keyboardSpec(r.Device); err != nil {
		return err
	}
	// The keyboard is built in: there are no components to load.
	c.reply(&xkbListComponentsReply{Sequence: c.seq, Device: xkbKeyboardID})
	return nil
}

const (
	xiButtonActions  = 1 << 1
	xiIndicatorNames = 1 << 2
	xiIndicatorMaps  = 1 << 3
	xiIndicatorState = 1 << 4
	xiDeviceFeatures = 0x1e
	xiIndicators     = xiIndicatorNames | xiIndicatorMaps | xiIndicatorState
)

func (c *client) xkbGetDeviceInfo(b []byte) error {
	var r xkbGetDeviceInfo
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	keyboard, err := anySpec(r.Device)
	if err != nil {
		return err
	}
	if r.Wanted&^xiDeviceFeatures != 0 {
		return badValue(uint32(r.Wanted))
	}
	s := c.s
	x := &s.input.xkb
	wanted := r.Wanted
	intern := func(name string) uint32 { a, _ := s.atoms.intern(name, false); return a }
	rep := &xkbGetDeviceInfoReply{Sequence: c.seq, Supported: xiDeviceFeatures, DfltKbdFB: xkbXINone, DfltLedFB: xkbXINone}
	if keyboard {
		// The keyboard has a keyboard feedback, with the LEDs, and no
		// buttons.
		wanted &^= xiButtonActions
		rep.Device, rep.HasOwnState, rep.DfltKbdFB = xkbKeyboardID, true, 0
		rep.DevType, rep.Name = intern("KEYBOARD"), []byte("Virtual core keyboard")
	} else {
		// The pointer has buttons, none with actions, and no LEDs.
		wanted &^= xiIndicators
		n := uint8(len(s.input.pointerMap))
		rep.Device, rep.TotalBtns = xkbPointerID, n
		rep.DevType, rep.Name = intern("MOUSE"), []byte("Virtual core pointer")
		if r.AllButtons {
			r.FirstButton, r.NButtons = 0, n
		}
		if r.NButtons == 0 {
			wanted &^= xiButtonActions
		}
		if wanted&xiButtonActions != 0 {
			if int(r.FirstButton)+int(r.NButtons) > int(n) {
				return badValue(uint32(r.FirstButton))
			}
			rep.FirstBtnWanted, rep.NBtnsWanted = r.FirstButton, r.NButtons
		}
	}
	if wanted&xiIndicators != 0 {
		if err := ledSpec(r.LedClass, r.LedID); err != nil {
			return err
		}
		names, maps := x.ledsPresent()
		l := xkbDeviceLeds{LedClass: kbdFeedbackClass, LedID: 0, Physical: physicalLeds, State: s.xkbLedState()}
		if wanted&xiIndicatorNames != 0 {
			l.NamesPresent = names
			for i, led := range x.leds {
				if names&(1<<i) != 0 {
					l.Names = append(l.Names, led.name)
				}
			}
		}
		if wanted&xiIndicatorMaps != 0 {
			l.MapsPresent = maps
			for i := range x.leds {
				if maps&(1<<i) != 0 {
					l.Maps = append(l.Maps, x.ledMap(i))
				}
			}
		}
		rep.Leds = []xkbDeviceLeds{l}
	}
	rep.Present = wanted
	c.reply(rep)
	return nil
}
