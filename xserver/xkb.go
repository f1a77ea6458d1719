package xserver

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"unicode"

	"netdisplay/protocol"
)

// The XKEYBOARD extension. Real clients need it even where the core
// keyboard would do: libxdo (xdotool) reads the keyboard through
// XkbGetMap and fails without it, and Xlib programs translate keys with
// it when the server has it.
//
// XKB here is a view of the core keyboard (keymap.go), never a second
// copy of it: one group, the four canonical key types, each key's type
// chosen from its two core keysyms as the XKB specification interprets
// a core map, the modifier map, and virtual modifiers bound by the
// keysyms they conventionally go with (Num_Lock: NumLock, Alt_L: Alt,
// ...). The server runs no XKB actions and no AccessX: its input comes
// from XTEST and from viewers, which did their own keyboard processing,
// so the compatibility map is empty and the AccessX controls cannot be
// enabled. What XKB adds to the keyboard's state is modifier latches and
// locks (LatchLockState), which input.state() includes.
//
// The keymap clients were last told about is kept, so that when the core
// map changes (ChangeKeyboardMapping, SetModifierMapping, the server's
// own use of spare keycodes) MapNotify says exactly which parts changed:
// Xlib, once it uses XKB, translates keys only with the map it got from
// GetMap and refreshes it only on MapNotify.

// xkbEnabled says whether XKEYBOARD is implemented and advertised.
const xkbEnabled = true

func init() {
	extensions = append(extensions, extension{name: "XKEYBOARD", major: xkbMajor, firstEvent: xkbEventBase, firstError: xkbErrorBase})
}

const (
	xkbEventBase = 64  // XKB's one event code; the XKB event type is in the second byte
	xkbErrorBase = 128 // its one error, Keyboard

	// The devices, numbered as X.Org numbers its core devices, since
	// clients send back the ID they are given.
	xkbKeyboardID = 3
	xkbPointerID  = 2

	xkbUseCoreKbd   = 0x100
	xkbUseCorePtr   = 0x200
	xkbDfltXIClass  = 0x300
	xkbDfltXIID     = 0x400
	xkbAllXIClasses = 0x500
	xkbAllXIIDs     = 0x600
	xkbXINone       = 0xff00

	kbdFeedbackClass = 0 // the keyboard's one feedback, which has the bell and the LEDs

	// Values of the Keyboard error: why, in the top byte, and the device.
	xkbErrBadDevice = 0xff
	xkbErrBadClass  = 0xfe
	xkbErrBadID     = 0xfd
)

// Minor opcodes.
const (
	xkbUseExtensionOp      = 0
	xkbSelectEventsOp      = 1
	xkbBellOp              = 3
	xkbGetStateOp          = 4
	xkbLatchLockStateOp    = 5
	xkbGetControlsOp       = 6
	xkbSetControlsOp       = 7
	xkbGetMapOp            = 8
	xkbSetMapOp            = 9
	xkbGetCompatMapOp      = 10
	xkbSetCompatMapOp      = 11
	xkbGetIndicatorStateOp = 12
	xkbGetIndicatorMapOp   = 13
	xkbSetIndicatorMapOp   = 14
	xkbGetNamedIndicatorOp = 15
	xkbSetNamedIndicatorOp = 16
	xkbGetNamesOp          = 17
	xkbSetNamesOp          = 18
	xkbGetGeometryOp       = 19
	xkbSetGeometryOp       = 20
	xkbPerClientFlagsOp    = 21
	xkbListComponentsOp    = 22
	xkbGetKbdByNameOp      = 23
	xkbGetDeviceInfoOp     = 24
	xkbSetDeviceInfoOp     = 25
	xkbSetDebuggingFlagsOp = 101
)

// XKB event types.
const (
	xkbNewKeyboardNotify = iota
	xkbMapNotify
	xkbStateNotify
	xkbControlsNotify
	xkbIndicatorStateNotify
	xkbIndicatorMapNotify
	xkbNamesNotify
	xkbCompatMapNotify
	xkbBellNotify
	xkbActionMessage
	xkbAccessXNotify
	xkbExtensionDeviceNotify
	xkbNumEvents
)

// xkbLegalDetails is the details each event type has.
var xkbLegalDetails = [xkbNumEvents]uint32{0x7, 0xff, 0x3fff, xkbAllCtrls, ^uint32(0), ^uint32(0), xkbAllNames, 0x3, 0x1, 0x1, 0x7f, 0x801f}

// Parts of the keyboard map.
const (
	xkbKeyTypes = 1 << iota
	xkbKeySyms
	xkbModifierMap
	xkbExplicitComponents
	xkbKeyActions
	xkbKeyBehaviors
	xkbVirtualMods
	xkbVirtualModMap
	xkbAllMapParts = 1<<iota - 1
)

// Parts of the keyboard state.
const (
	xkbModifierState = 1 << iota
	xkbModifierBase
	xkbModifierLatch
	xkbModifierLock
	xkbGroupState
	xkbGroupBase
	xkbGroupLatch
	xkbGroupLock
	xkbCompatState
	xkbGrabMods
	xkbCompatGrabMods
	xkbLookupMods
	xkbCompatLookupMods
	xkbPointerButtons
)

// Controls: the boolean ones, then the others.
const (
	xkbRepeatKeys = 1 << iota
	xkbSlowKeys
	xkbBounceKeys
	xkbStickyKeys
	xkbMouseKeys
	xkbMouseKeysAccel
	xkbAccessXKeys
	xkbAccessXTimeout
	xkbAccessXFeedback
	xkbAudibleBell
	xkbOverlay1
	xkbOverlay2
	xkbIgnoreGroupLock
	xkbBooleanCtrls = 1<<iota - 1

	xkbGroupsWrapCtrl      = 1 << 27
	xkbInternalModsCtrl    = 1 << 28
	xkbIgnoreLockModsCtrl  = 1 << 29
	xkbPerKeyRepeatCtrl    = 1 << 30
	xkbControlsEnabledCtrl = 1 << 31
	xkbAllCtrls            = xkbBooleanCtrls | 0xf8000000

	// The boolean controls a client can change: repeating keys (the
	// core protocol's global auto-repeat) and IgnoreGroupLock, which
	// with one group changes nothing. The bell is always audible. The
	// AccessX controls stay off: they are for a physical keyboard.
	xkbSettableCtrls = xkbRepeatKeys | xkbIgnoreGroupLock

	xkbAccessXOptions   = 0xfff
	xkbStickyKeysOpts   = 0x0c0
	xkbAccessXFeedbacks = 0xf3f
)

// Names.
const (
	xkbKeycodesName = 1 << iota
	xkbGeometryName
	xkbSymbolsName
	xkbPhysSymbolsName
	xkbTypesName
	xkbCompatName
	xkbKeyTypeNames
	xkbKTLevelNames
	xkbIndicatorNames
	xkbKeyNames
	xkbKeyAliases
	xkbVirtualModNames
	xkbGroupNames
	xkbRGNames
	xkbAllNames = 1<<iota - 1
)

// Per-client flags.
const (
	xkbDetectableAutoRepeat = 1 << iota
	xkbGrabsUseXKBState
	xkbAutoResetControls
	xkbLookupStateWhenGrabbed
	xkbSendEventUsesXKBState
	xkbAllClientFlags = 1<<iota - 1

	// Auto-repeat is detectable here whatever a client asks: a key
	// held down repeats as presses without releases. With one group
	// the XKB and core states agree, so the state flags change nothing.
	// Resetting controls when a client leaves is not supported.
	xkbSupportedClientFlags = xkbAllClientFlags &^ xkbAutoResetControls
)

// Indicator map flags and modifier sources.
const (
	imNoExplicit   = 1 << 7
	imUseBase      = 1 << 0
	imUseLatched   = 1 << 1
	imUseLocked    = 1 << 2
	imUseEffective = 1 << 3
	imUseCompat    = 1 << 4
	imUseAnyGroup  = 0x0f
	imUseAnyMods   = 0x1f
)

// xkbClient is what XKB keeps for one client.
type xkbClient struct {
	using bool // UseExtension succeeded: the other requests may be used
	flags uint32
	// selected holds the details each event type is selected for; for
	// MapNotify, the parts of the map.
	selected [xkbNumEvents]uint32
}

// xkbState is XKB's part of the server's input state.
type xkbState struct {
	ready bool // setup has run

	latched, locked uint8 // modifiers latched and locked by LatchLockState
	latchedGroup    int16 // a group latch: kept as given, moves nothing with one group
	internal        uint8 // the internal modifiers' real ones: events leave them out

	ctrl xkbControls // all but RepeatKeys and PerKeyRepeat, which are core controls
	leds [32]xkbLed

	// What clients were last told, so that events say what changed, and
	// what changes the state next: a key event or a request.
	keymap   xkbKeymap
	reported xkbStateFields
	ledState uint32
	cause    xkbCause
}

// xkbCause is what changed the keyboard's state, for StateNotify.
type xkbCause struct {
	keycode, eventType uint8
	major, minor       uint8
}

// An xkbLed is an indicator: its name and how it follows the state.
type xkbLed struct {
	name uint32
	m    xkbIndicatorMap // its Mods are computed when it is reported
}

// xkbSetup gives XKB its initial state, the first time anything needs it:
// before that no client can have seen the keyboard through XKB, so its
// view is taken from the keyboard as it is then.
func (s *Server) xkbSetup() *xkbState {
	x := &s.input.xkb
	if x.ready {
		return x
	}
	x.ready = true
	// X.Org's defaults, but for the AccessX controls, which are off.
	x.ctrl = xkbControls{
		MouseKeysDfltBtn: 1,
		RepeatDelay:      660, RepeatInterval: 40,
		SlowKeysDelay: 300, DebounceDelay: 300,
		MouseKeysDelay: 160, MouseKeysInterval: 40, MouseKeysTimeToMax: 30, MouseKeysMaxSpeed: 30, MouseKeysCurve: 500,
		AccessXOptions: 0xcef, AccessXTimeout: 120, AccessXTimeoutMask: 0x1e, AccessXTimeoutOptsMask: 0x10,
		Enabled: xkbAudibleBell | xkbIgnoreGroupLock,
	}
	// The keyboard's LEDs, as the evdev keycodes number them, lit by
	// the lock modifiers. Caps Lock is lit by Lock whether it is locked
	// or held: the viewers hold Caps_Lock down while caps lock is on.
	intern := func(name string) uint32 { a, _ := s.atoms.intern(name, false); return a }
	x.leds[0] = xkbLed{intern("Caps Lock"), xkbIndicatorMap{Flags: imNoExplicit, WhichMods: imUseBase | imUseLocked, RealMods: lockMask}}
	x.leds[1] = xkbLed{intern("Num Lock"), xkbIndicatorMap{Flags: imNoExplicit, WhichMods: imUseLocked, VMods: 1 << vmodNumLock}}
	x.leds[2] = xkbLed{intern("Scroll Lock"), xkbIndicatorMap{WhichMods: imUseLocked, VMods: 1 << vmodScrollLock}}
	x.keymap = newXkbKeymap(&s.input.kbd)
	x.updateMasks()
	x.reported = s.input.xkbFields()
	x.ledState = s.xkbLedState()
	return x
}

// effective is the modifier state events report, given the modifiers of
// the keys held down: with the latched and locked ones, without the
// internal ones.
func (x *xkbState) effective(base uint16) uint16 {
	return uint16((uint8(base) | x.latched | x.locked) &^ x.internal)
}

// updateMasks recomputes what depends on the virtual modifiers' bindings.
func (x *xkbState) updateMasks() {
	x.internal = x.ctrl.InternalRealMods | x.keymap.realMods(x.ctrl.InternalVMods)
}

// xkbFields is the keyboard's state as XKB reports it. There is one
// group, so the group state is all zero, and the compatibility state (the
// state with the group folded into the modifiers) is the state itself.
func (in *input) xkbFields() xkbStateFields {
	x := &in.xkb
	base := uint8(in.kbd.modifierState(&in.keys))
	mods := base | x.latched | x.locked
	lookup := mods &^ x.internal
	ignore := x.ctrl.IgnoreLockRealMods | x.keymap.realMods(x.ctrl.IgnoreLockVMods)
	grab := lookup&^ignore | (base|x.latched)&ignore
	return xkbStateFields{
		Mods: mods, BaseMods: base, LatchedMods: x.latched, LockedMods: x.locked,
		LatchedGroup: x.latchedGroup,
		CompatState:  mods,
		GrabMods:     grab, CompatGrabMods: grab,
		LookupMods: lookup, CompatLookupMods: lookup,
		PtrButtons: in.buttons,
	}
}

// xkbKey runs after every key event, before the state it changed is
// reported: the key is the cause, and a key that is not a modifier uses
// up the latches.
func (in *input) xkbKey(keycode uint8, down bool) {
	x := &in.xkb
	x.cause = xkbCause{keycode: keycode, eventType: protocol.KeyRelease}
	if down {
		x.cause.eventType = protocol.KeyPress
		if in.kbd.modsOf(keycode) == 0 {
			x.latched, x.latchedGroup = 0, 0
		}
	}
}

// modsOf is the modifiers the key is mapped to.
func (k *keyboard) modsOf(keycode uint8) uint8 {
	var mods uint8
	for m, kcs := range k.modifiers {
		for _, kc := range kcs {
			if kc == keycode && kc != 0 {
				mods |= 1 << m
			}
		}
	}
	return mods
}

// xkbStateChanged tells XKB clients that the modifier state changed.
func (s *Server) xkbStateChanged() {
	x := s.xkbSetup()
	now := s.input.xkbFields()
	old := x.reported
	x.reported = now
	cause := x.cause
	x.cause = xkbCause{}
	changed := stateChanges(old, now)
	if changed != 0 {
		s.xkbTell(xkbStateNotify, uint32(changed), &xkbStateNotifyEvent{
			Time: s.now(), Device: xkbKeyboardID, xkbStateFields: now, Changed: changed,
			Keycode: cause.keycode, EventType: cause.eventType, RequestMajor: cause.major, RequestMinor: cause.minor,
		})
	}
	s.xkbLedsChanged()
}

// stateChanges says which parts of the state differ.
func stateChanges(a, b xkbStateFields) uint16 {
	var c uint16
	set := func(bit uint16, differ bool) {
		if differ {
			c |= bit
		}
	}
	set(xkbModifierState, a.Mods != b.Mods)
	set(xkbModifierBase, a.BaseMods != b.BaseMods)
	set(xkbModifierLatch, a.LatchedMods != b.LatchedMods)
	set(xkbModifierLock, a.LockedMods != b.LockedMods)
	set(xkbGroupState, a.Group != b.Group)
	set(xkbGroupBase, a.BaseGroup != b.BaseGroup)
	set(xkbGroupLatch, a.LatchedGroup != b.LatchedGroup)
	set(xkbGroupLock, a.LockedGroup != b.LockedGroup)
	set(xkbCompatState, a.CompatState != b.CompatState)
	set(xkbGrabMods, a.GrabMods != b.GrabMods)
	set(xkbCompatGrabMods, a.CompatGrabMods != b.CompatGrabMods)
	set(xkbLookupMods, a.LookupMods != b.LookupMods)
	set(xkbCompatLookupMods, a.CompatLookupMods != b.CompatLookupMods)
	set(xkbPointerButtons, a.PtrButtons != b.PtrButtons)
	return c
}

// xkbTell sends ev to the XKB clients that selected events of type t with
// one of the details.
func (s *Server) xkbTell(t int, details uint32, ev protocol.Event) {
	for _, c := range s.clients[1:] {
		if c != nil && c.xkb.using && c.xkb.selected[t]&details != 0 {
			c.event(ev)
		}
	}
}

// --- the keymap -------------------------------------------------------

// A keyType is one of the canonical key types: the modifiers it looks at,
// and the shift level each combination of them selects (level 0 when
// none is listed).
type keyType struct {
	name       string
	mods       uint8
	vmods      uint16
	entries    []levelEntry
	levelNames []string
}

type levelEntry struct {
	mods  uint8
	vmods uint16
	level uint8
}

const (
	typeOneLevel = iota
	typeTwoLevel
	typeAlphabetic
	typeKeypad
)

// keyTypes are the four types the XKB specification requires, as
// xkeyboard-config defines them (the keypad's Shift does not select its
// second level; NumLock does).
var keyTypes = [...]keyType{
	typeOneLevel:   {name: "ONE_LEVEL", levelNames: []string{"Any"}},
	typeTwoLevel:   {name: "TWO_LEVEL", mods: shiftMask, entries: []levelEntry{{mods: shiftMask, level: 1}}, levelNames: []string{"Base", "Shift"}},
	typeAlphabetic: {name: "ALPHABETIC", mods: shiftMask | lockMask, entries: []levelEntry{{mods: shiftMask, level: 1}, {mods: lockMask, level: 1}}, levelNames: []string{"Base", "Caps"}},
	typeKeypad:     {name: "KEYPAD", mods: shiftMask, vmods: 1 << vmodNumLock, entries: []levelEntry{{vmods: 1 << vmodNumLock, level: 1}}, levelNames: []string{"Base", "Number"}},
}

// Virtual modifiers, at the indexes xkeyboard-config's keymaps give them,
// and the keysyms that bind them to the real modifier their key has.
const (
	vmodNumLock    = 0
	vmodAlt        = 1
	vmodLevelThree = 2
	vmodScrollLock = 7
	vmodAltGr      = 9
	vmodMeta       = 10
	vmodSuper      = 11
	vmodHyper      = 12
)

var vmodNames = map[int]string{
	vmodNumLock: "NumLock", vmodAlt: "Alt", vmodLevelThree: "LevelThree", vmodScrollLock: "ScrollLock",
	vmodAltGr: "AltGr", vmodMeta: "Meta", vmodSuper: "Super", vmodHyper: "Hyper",
}

var vmodOfKeysym = map[uint32]int{
	xkNumLock: vmodNumLock, xkAltL: vmodAlt, xkAltR: vmodAlt, 0xfe03: vmodLevelThree, // ISO_Level3_Shift
	0xff14: vmodScrollLock, xkModeSwitch: vmodAltGr, xkMetaL: vmodMeta, 0xffe8: vmodMeta, // Scroll_Lock, Meta_R
	xkSuperL: vmodSuper, xkSuperR: vmodSuper, 0xffed: vmodHyper, 0xffee: vmodHyper, // Hyper_L, Hyper_R
}

// An xkbKey is one key as XKB describes it.
type xkbKey struct {
	kt    uint8 // its key type
	width uint8 // its symbols: 0, none; 1 or 2, one per level
	syms  [2]uint32
	mods  uint8  // its modifiers (the modifier map)
	vmods uint16 // its virtual modifiers (the virtual modifier map)
}

// An xkbKeymap is the keyboard as XKB describes it.
type xkbKeymap struct {
	keys  [maxKeycode + 1]xkbKey
	vmods [16]uint8 // the real modifiers each virtual one is bound to
}

func newXkbKeymap(k *keyboard) xkbKeymap {
	var m xkbKeymap
	for kc := minKeycode; kc <= maxKeycode; kc++ {
		key := &m.keys[kc]
		key.kt, key.width, key.syms = xkbSymbols(k.syms[kc])
		key.mods = k.modsOf(uint8(kc))
		for _, sym := range k.syms[kc] {
			if v, ok := vmodOfKeysym[sym]; ok && sym != 0 {
				key.vmods |= 1 << v
			}
		}
		for v := range m.vmods {
			if key.vmods&(1<<v) != 0 {
				m.vmods[v] |= key.mods
			}
		}
	}
	return m
}

// xkbSymbols is how XKB sees a key with two core keysyms, as the XKB
// specification interprets a core map: a lone keysym, or the same one
// twice, is one level, but a lone letter is its lower and upper case;
// keypad keys are KEYPAD, a letter and its upper case ALPHABETIC.
func xkbSymbols(core [keysymsPerKeycode]uint32) (kt, width uint8, syms [2]uint32) {
	s0, s1 := core[0], core[1]
	switch {
	case s0 == 0 && s1 == 0:
		return typeOneLevel, 0, syms
	case s1 == s0:
		return typeOneLevel, 1, [2]uint32{s0}
	case s1 == 0:
		if lower, upper := keysymCase(s0); lower != upper {
			return typeAlphabetic, 2, [2]uint32{lower, upper}
		}
		return typeOneLevel, 1, [2]uint32{s0}
	case isKeypad(s0) || isKeypad(s1):
		return typeKeypad, 2, core
	}
	if lower, upper := keysymCase(s0); lower == s0 && upper == s1 {
		return typeAlphabetic, 2, core
	}
	return typeTwoLevel, 2, core
}

func isKeypad(sym uint32) bool { return sym >= 0xff80 && sym <= 0xffbd } // KP_Space to KP_Equal

// keysymCase gives the lower and upper case of a keysym: for Latin-1 and
// for the keysyms that stand for Unicode characters. Others have no case.
func keysymCase(sym uint32) (lower, upper uint32) {
	switch {
	case sym >= 'A' && sym <= 'Z', sym >= 0xc0 && sym <= 0xde && sym != 0xd7:
		return sym + 0x20, sym
	case sym >= 'a' && sym <= 'z', sym >= 0xe0 && sym <= 0xfe && sym != 0xf7:
		return sym, sym - 0x20
	case sym >= 0x1000100 && sym <= 0x110ffff:
		r := rune(sym - 0x1000000)
		l, u := unicode.ToLower(r), unicode.ToUpper(r)
		if l != u && l >= 0x100 && u >= 0x100 {
			return uint32(l) + 0x1000000, uint32(u) + 0x1000000
		}
	}
	return sym, sym
}

// realMods is the real modifiers a set of virtual ones is bound to.
func (m *xkbKeymap) realMods(vmods uint16) uint8 {
	var mods uint8
	for v := range m.vmods {
		if vmods&(1<<v) != 0 {
			mods |= m.vmods[v]
		}
	}
	return mods
}

// wireType is a key type as GetMap sends it.
func (m *xkbKeymap) wireType(t *keyType) xkbKeyType {
	wt := xkbKeyType{Mask: t.mods | m.realMods(t.vmods), RealMods: t.mods, VMods: t.vmods, Levels: uint8(len(t.levelNames))}
	for _, e := range t.entries {
		bound := m.realMods(e.vmods)
		wt.Entries = append(wt.Entries, xkbTypeEntry{
			// An entry whose virtual modifiers are bound to nothing
			// can never be selected.
			Active: e.vmods == 0 || bound != 0,
			Mask:   e.mods | bound, Level: e.level, RealMods: e.mods, VMods: e.vmods,
		})
	}
	return wt
}

func (k *xkbKey) wireSyms() xkbSymMap {
	ks := xkbSymMap{Types: [4]uint8{k.kt}}
	if k.width > 0 {
		ks.GroupInfo, ks.Width = 1, k.width
		ks.Syms = append([]uint32(nil), k.syms[:k.width]...)
	}
	return ks
}

// xkbKeymapChanged tells XKB clients that keycodes first to
// first+count-1 changed. What changed is found by comparing the keymap
// with the one clients were last told about, so a change of the modifier
// map is not reported as a change of the symbols.
func (s *Server) xkbKeymapChanged(first, count uint8) {
	x := s.xkbSetup()
	old := x.keymap
	x.keymap = newXkbKeymap(&s.input.kbd)
	x.updateMasks()
	now := &x.keymap
	ev := xkbMapNotifyEvent{Time: s.now(), Device: xkbKeyboardID, MinKeycode: minKeycode, MaxKeycode: maxKeycode}
	p := &ev.xkbMapParts
	span := func(first, n *uint8, differ func(kc int) bool) bool {
		lo, hi := 0, -1
		for kc := minKeycode; kc <= maxKeycode; kc++ {
			if differ(kc) {
				if hi < 0 {
					lo = kc
				}
				hi = kc
			}
		}
		*first, *n = uint8(lo), uint8(hi-lo+1)
		return hi >= 0
	}
	if span(&p.FirstKeySym, &p.NKeySyms, func(kc int) bool {
		a, b := old.keys[kc], now.keys[kc]
		return a.kt != b.kt || a.width != b.width || a.syms != b.syms
	}) {
		ev.Changed |= xkbKeySyms
	}
	if span(&p.FirstModMapKey, &p.NModMapKeys, func(kc int) bool { return old.keys[kc].mods != now.keys[kc].mods }) {
		ev.Changed |= xkbModifierMap
	}
	if span(&p.FirstVModMapKey, &p.NVModMapKeys, func(kc int) bool { return old.keys[kc].vmods != now.keys[kc].vmods }) {
		ev.Changed |= xkbVirtualModMap
	}
	for v := range now.vmods {
		if old.vmods[v] != now.vmods[v] {
			p.VirtualMods |= 1 << v
			ev.Changed |= xkbVirtualMods
		}
	}
	// The types' masks follow the bindings of their virtual modifiers.
	for i := range keyTypes {
		if keyTypes[i].vmods&p.VirtualMods != 0 {
			if ev.Changed&xkbKeyTypes == 0 {
				p.FirstType = uint8(i)
			}
			p.NTypes = uint8(i) - p.FirstType + 1
			ev.Changed |= xkbKeyTypes
		}
	}
	if ev.Changed != 0 {
		s.xkbTell(xkbMapNotify, uint32(ev.Changed), &ev)
	}
	// The indicators' masks follow the virtual modifiers too.
	s.xkbLedsChanged()
}

// xkbMapReply builds GetMap's reply: the parts asked for in full, and
// those asked for in part. r has been checked.
func (m *xkbKeymap) reply(r *xkbGetMap) *xkbGetMapReply {
	rep := &xkbGetMapReply{Device: xkbKeyboardID, MinKeycode: minKeycode, MaxKeycode: maxKeycode, TotalTypes: uint8(len(keyTypes))}
	p := &rep.xkbMapParts
	const nKeys = maxKeycode - minKeycode + 1
	// part says whether a part is wanted and which of it: all of it, or
	// what the request asked for.
	part := func(bit uint16, first, n *uint8, reqFirst, reqN uint8, all uint8, allFirst uint8) bool {
		switch {
		case r.Full&bit != 0:
			*first, *n = allFirst, all
		case r.Partial&bit != 0:
			*first, *n = reqFirst, reqN
		}
		if r.Full&bit != 0 || r.Partial&bit != 0 {
			if *n > 0 {
				rep.Present |= bit
				return true
			}
		}
		*first, *n = 0, 0
		return false
	}
	q := &r.xkbMapParts
	if part(xkbKeyTypes, &p.FirstType, &p.NTypes, q.FirstType, q.NTypes, uint8(len(keyTypes)), 0) {
		for i := range p.NTypes {
			rep.Types = append(rep.Types, m.wireType(&keyTypes[p.FirstType+i]))
		}
	}
	if part(xkbKeySyms, &p.FirstKeySym, &p.NKeySyms, q.FirstKeySym, q.NKeySyms, nKeys, minKeycode) {
		for i := range int(p.NKeySyms) {
			ks := m.keys[int(p.FirstKeySym)+i].wireSyms()
			rep.TotalSyms += uint16(len(ks.Syms))
			rep.Syms = append(rep.Syms, ks)
		}
	}
	// No key has actions, behaviors or explicit components: the server
	// runs no actions, and every key's type follows from its symbols.
	if part(xkbKeyActions, &p.FirstKeyAction, &p.NKeyActions, q.FirstKeyAction, q.NKeyActions, nKeys, minKeycode) {
		rep.ActionCounts = make([]uint8, p.NKeyActions)
	}
	part(xkbKeyBehaviors, &p.FirstKeyBehavior, &p.NKeyBehaviors, q.FirstKeyBehavior, q.NKeyBehaviors, nKeys, minKeycode)
	part(xkbExplicitComponents, &p.FirstKeyExplicit, &p.NKeyExplicit, q.FirstKeyExplicit, q.NKeyExplicit, nKeys, minKeycode)
	switch {
	case r.Full&xkbVirtualMods != 0:
		p.VirtualMods = 0xffff
	case r.Partial&xkbVirtualMods != 0:
		p.VirtualMods = q.VirtualMods
	}
	if p.VirtualMods != 0 {
		rep.Present |= xkbVirtualMods
		for v := range m.vmods {
			if p.VirtualMods&(1<<v) != 0 {
				rep.VModMasks = append(rep.VModMasks, m.vmods[v])
			}
		}
	}
	if part(xkbModifierMap, &p.FirstModMapKey, &p.NModMapKeys, q.FirstModMapKey, q.NModMapKeys, nKeys, minKeycode) {
		for kc := int(p.FirstModMapKey); kc < int(p.FirstModMapKey)+int(p.NModMapKeys); kc++ {
			if mods := m.keys[kc].mods; mods != 0 {
				rep.ModMap = append(rep.ModMap, xkbKeyValue{uint8(kc), mods})
			}
		}
		rep.TotalModMapKeys = uint8(len(rep.ModMap))
	}
	if part(xkbVirtualModMap, &p.FirstVModMapKey, &p.NVModMapKeys, q.FirstVModMapKey, q.NVModMapKeys, nKeys, minKeycode) {
		for kc := int(p.FirstVModMapKey); kc < int(p.FirstVModMapKey)+int(p.NVModMapKeys); kc++ {
			if vmods := m.keys[kc].vmods; vmods != 0 {
				rep.VModMap = append(rep.VModMap, xkbKeyVMods{uint8(kc), vmods})
			}
		}
		rep.TotalVModMapKeys = uint8(len(rep.VModMap))
	}
	return rep
}

// --- indicators -------------------------------------------------------

// xkbLedState is which indicators are lit. An indicator with a map is lit
// by the state it follows; any other can be lit explicitly, by the core
// protocol's LED control or by SetNamedIndicator, which share the core
// LED mask.
func (s *Server) xkbLedState() uint32 {
	x := &s.input.xkb
	st := s.input.xkbFields()
	var on uint32
	for i := range x.leds {
		m := &x.leds[i].m
		bit := uint32(1) << i
		if mask := m.RealMods | x.keymap.realMods(m.VMods); m.WhichMods&imUseAnyMods != 0 && mask != 0 {
			var mods uint8
			for _, src := range []struct {
				which uint8
				mods  uint8
			}{{imUseBase, st.BaseMods}, {imUseLatched, st.LatchedMods}, {imUseLocked, st.LockedMods}, {imUseEffective, st.Mods}, {imUseCompat, st.CompatState}} {
				if m.WhichMods&src.which != 0 {
					mods |= src.mods
				}
			}
			if mods&mask != 0 {
				on |= bit
			}
		}
		// The one group is group 1.
		if m.WhichGroups&imUseAnyGroup != 0 && m.Groups&1 != 0 {
			on |= bit
		}
		if m.Ctrls&s.xkbEnabledCtrls() != 0 {
			on |= bit
		}
		if m.Flags&imNoExplicit == 0 && s.kbdControl.ledMask&bit != 0 {
			on |= bit
		}
	}
	return on
}

// xkbLedsChanged tells clients which indicators changed since they were
// last told.
func (s *Server) xkbLedsChanged() {
	x := s.xkbSetup()
	now := s.xkbLedState()
	if changed := now ^ x.ledState; changed != 0 {
		x.ledState = now
		s.xkbTell(xkbIndicatorStateNotify, changed, &xkbIndicatorNotifyEvent{Type: xkbIndicatorStateNotify, Time: s.now(), Device: xkbKeyboardID, State: now, Changed: changed})
	}
}

// ledMap is an indicator's map as clients see it.
func (x *xkbState) ledMap(i int) xkbIndicatorMap {
	m := x.leds[i].m
	m.Mods = m.RealMods | x.keymap.realMods(m.VMods)
	return m
}

// ledsPresent is which indicators have names, and which have maps.
func (x *xkbState) ledsPresent() (names, maps uint32) {
	for i, l := range x.leds {
		if l.name != 0 {
			names |= 1 << i
		}
		if l.m != (xkbIndicatorMap{}) {
			maps |= 1 << i
		}
	}
	return names, maps
}

// physicalLeds is the indicators a keyboard would have lamps for: those
// the core LED control numbers 1 to 3.
const physicalLeds = 0x7

// --- requests ---------------------------------------------------------

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
	// There are no symbol interpretations: the server runs no actions.
	rep := &xkbGetCompatMapReply{Sequence: c.seq, Device: xkbKeyboardID, Groups: r.Groups & 0xf, FirstSI: r.FirstSI}
	switch {
	case r.GetAllSI:
		rep.FirstSI = 0
	case r.NSI > 0:
		return badValue(uint32(r.FirstSI))
	}
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
		if m.WhichGroups&^imUseAnyGroup != 0 || m.WhichMods&^imUseAnyMods != 0 {
			return badValue(uint32(m.WhichGroups)<<8 | uint32(m.WhichMods))
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

func (c *client) xkbGetNamedIndicator(b []byte) error {
	var r xkbGetNamedIndicator
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if err := keyboardSpec(r.Device); err != nil {
		return err
	}
	if err := ledSpec(r.LedClass, r.LedID); err != nil {
		return err
	}
	if !c.s.atoms.valid(r.Indicator) {
		return badAtom(r.Indicator)
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
	if err := keyboardSpec(r.Device); err != nil {
		return err
	}
	if err := ledSpec(r.LedClass, r.LedID); err != nil {
		return err
	}
	s := c.s
	if !s.atoms.valid(r.Indicator) {
		return badAtom(r.Indicator)
	}
	if r.Map.WhichGroups&^imUseAnyGroup != 0 || r.Map.WhichMods&^imUseAnyMods != 0 {
		return badValue(uint32(r.Map.WhichGroups)<<8 | uint32(r.Map.WhichMods))
	}
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
