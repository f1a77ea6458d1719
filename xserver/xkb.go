package xserver

import (
	"cmp"
	"slices"
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
// ...), which the compatibility map lists. The server runs no XKB
// actions and no AccessX: its input comes from XTEST and from viewers,
// which did their own keyboard processing, so no key has an action and
// the AccessX controls cannot be enabled. What XKB adds to the
// keyboard's state is modifier latches and locks (LatchLockState), which
// input.state() includes, so core events report them.
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

	latched, locked uint8    // modifiers latched and locked by LatchLockState and lock keys
	wasLocked       [32]byte // lock keys down whose modifier was locked when pressed
	latchedGroup    int16    // a group latch: kept as given, moves nothing with one group
	internal        uint8    // the internal modifiers' real ones: events leave them out

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
	// Caps Lock and Num Lock lock their modifiers, as xkeyboard-config's
	// LockMods actions do: a press locks, and the release of a press that
	// found the modifier locked unlocks it.
	var m uint8
	switch in.kbd.syms[keycode][0] {
	case xkCapsLock:
		m = lockMask
	case xkNumLock:
		m = x.keymap.realMods(1 << vmodNumLock)
	}
	if m == 0 {
		return
	}
	if down {
		x.wasLocked[keycode>>3] &^= 1 << (keycode & 7)
		if x.locked&m != 0 {
			x.wasLocked[keycode>>3] |= 1 << (keycode & 7)
		}
		x.locked |= m
	} else if x.wasLocked[keycode>>3]&(1<<(keycode&7)) != 0 {
		x.locked &^= m
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
// and the keysyms that bind them to the real modifier their key has, as
// xkeyboard-config's compatibility maps do (which leave ScrollLock
// unbound).
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
	xkModeSwitch: vmodAltGr, xkMetaL: vmodMeta, 0xffe8: vmodMeta, // Meta_R
	xkSuperL: vmodSuper, xkSuperR: vmodSuper, 0xffed: vmodHyper, 0xffee: vmodHyper, // Hyper_L, Hyper_R
}

// xkbInterprets is the compatibility map's symbol interpretations: they
// say which virtual modifier each keysym binds, and give no action, since
// the server runs none.
func xkbInterprets() []xkbSymInterpret {
	var si []xkbSymInterpret
	for sym, v := range vmodOfKeysym {
		// Whatever modifiers the key has, or none (AnyOfOrNone(all)).
		si = append(si, xkbSymInterpret{Sym: sym, Mods: 0xff, Match: 1, VirtualMod: uint8(v)})
	}
	slices.SortFunc(si, func(a, b xkbSymInterpret) int { return cmp.Compare(a.Sym, b.Sym) })
	return si
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
		// A key's keysyms bind virtual modifiers, unless its first level
		// is empty: the fake keys X.Org keeps for Alt, Meta, Super and
		// Hyper bind nothing.
		if k.syms[kc][0] != 0 {
			for _, sym := range k.syms[kc] {
				if v, ok := vmodOfKeysym[sym]; ok && sym != 0 {
					key.vmods |= 1 << v
				}
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
// specification interprets a core map: a lone keysym is one level, but a
// lone letter is its lower and upper case; keypad keys are KEYPAD, a letter
// and its upper case ALPHABETIC. The same keysym twice stays two levels, as
// xkeyboard-config writes BackSpace and the function keys.
func xkbSymbols(core [keysymsPerKeycode]uint32) (kt, width uint8, syms [2]uint32) {
	s0, s1 := core[0], core[1]
	switch {
	case s0 == 0 && s1 == 0:
		return typeOneLevel, 0, syms
	case s1 == s0 && isKeypad(s0):
		return typeKeypad, 2, core
	case s1 == s0:
		return typeTwoLevel, 2, core
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
