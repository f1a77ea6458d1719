package app

import (
	"netdisplay/protocol"
	"netdisplay/xlib"
)

// A Keymap turns the keycodes of key events into keysyms, by the rules of
// the core protocol (as XLookupKeysym does): the first keysym of the key,
// or its second with Shift, letters taking their case from Shift and
// Caps Lock. Keypad keys under Num Lock and the second group (Mode_switch)
// are left out: the sample applications do not need them.
type Keymap struct {
	min  protocol.Keycode
	per  int
	syms []protocol.Keysym
}

// The modifier bits of an event's state that a Keymap reads.
const (
	ShiftMask   = protocol.ModMaskShift
	LockMask    = protocol.ModMaskLock
	ControlMask = protocol.ModMaskControl
)

// NewKeymap asks the server for its keyboard mapping. Ask again after a
// MappingNotify for the keyboard.
func NewKeymap(c *xlib.Conn) (*Keymap, error) {
	s := c.Setup()
	rep, err := xlib.Call[protocol.GetKeyboardMappingReply](c, &protocol.GetKeyboardMapping{
		FirstKeycode: s.MinKeycode,
		Count:        uint8(int(s.MaxKeycode) - int(s.MinKeycode) + 1),
	}).Reply()
	if err != nil {
		return nil, err
	}
	return &Keymap{min: s.MinKeycode, per: int(rep.KeysymsPerKeycode), syms: rep.Keysyms}, nil
}

// Lookup returns the keysym a key means with the modifiers of state, or 0
// (NoSymbol).
func (k *Keymap) Lookup(code protocol.Keycode, state uint16) protocol.Keysym {
	i := (int(code) - int(k.min)) * k.per
	if code < k.min || k.per == 0 || i+k.per > len(k.syms) {
		return 0
	}
	lower, upper := k.syms[i], protocol.Keysym(0)
	if k.per > 1 {
		upper = k.syms[i+1]
	}
	if upper == 0 {
		// One keysym: a letter has both cases, anything else one.
		lower, upper = toLower(lower), toUpper(lower)
	}
	shift := state&ShiftMask != 0
	caps := state&LockMask != 0
	sym := lower
	if shift {
		sym = upper
	}
	if caps {
		sym = toUpper(sym)
	}
	return sym
}

// Rune returns the character a keysym types, if it types one: Latin-1
// and the Unicode keysyms.
func Rune(sym protocol.Keysym) (rune, bool) {
	switch {
	case sym >= 0x20 && sym <= 0x7e, sym >= 0xa0 && sym <= 0xff:
		return rune(sym), true
	case sym >= 0x01000100 && sym <= 0x0110ffff:
		return rune(sym - 0x01000000), true
	}
	return 0, false
}

// toUpper and toLower change the case of Latin-1 letters, whose keysyms
// are their code points.
func toUpper(s protocol.Keysym) protocol.Keysym {
	switch {
	case s >= 'a' && s <= 'z', s >= 0xe0 && s <= 0xfe && s != 0xf7:
		return s - 0x20
	}
	return s
}

func toLower(s protocol.Keysym) protocol.Keysym {
	switch {
	case s >= 'A' && s <= 'Z', s >= 0xc0 && s <= 0xde && s != 0xd7:
		return s + 0x20
	}
	return s
}
