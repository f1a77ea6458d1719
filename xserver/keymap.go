package xserver

import (
	"netdisplay/protocol"
)

// The keyboard: a US layout on evdev keycodes (what Xorg and Xvfb use on
// Linux), two keysyms per keycode (unshifted, shifted), and the usual
// modifier map.

const keysymsPerKeycode = 2

type keyboard struct {
	syms      [256][keysymsPerKeycode]uint32
	modifiers [8][]uint8 // shift, lock, control, mod1..mod5
	perMod    int

	// spare keycodes, for keysyms the map lacks, and which keysym each
	// holds now, oldest first.
	spare []uint8
	lent  []uint8
}

// Keysyms used below.
const (
	xkBackSpace  = 0xff08
	xkTab        = 0xff09
	xkReturn     = 0xff0d
	xkEscape     = 0xff1b
	xkDelete     = 0xffff
	xkShiftL     = 0xffe1
	xkShiftR     = 0xffe2
	xkControlL   = 0xffe3
	xkControlR   = 0xffe4
	xkCapsLock   = 0xffe5
	xkMetaL      = 0xffe7
	xkAltL       = 0xffe9
	xkAltR       = 0xffea
	xkSuperL     = 0xffeb
	xkSuperR     = 0xffec
	xkNumLock    = 0xff7f
	xkModeSwitch = 0xff7e
)

// usLayout lists the keys: keycode, unshifted keysym, shifted keysym.
var usLayout = [][3]uint32{
	{9, xkEscape, 0},
	{10, '1', '!'}, {11, '2', '@'}, {12, '3', '#'}, {13, '4', '$'}, {14, '5', '%'},
	{15, '6', '^'}, {16, '7', '&'}, {17, '8', '*'}, {18, '9', '('}, {19, '0', ')'},
	{20, '-', '_'}, {21, '=', '+'}, {22, xkBackSpace, 0}, {23, xkTab, 0xfe20}, // ISO_Left_Tab
	{24, 'q', 'Q'}, {25, 'w', 'W'}, {26, 'e', 'E'}, {27, 'r', 'R'}, {28, 't', 'T'},
	{29, 'y', 'Y'}, {30, 'u', 'U'}, {31, 'i', 'I'}, {32, 'o', 'O'}, {33, 'p', 'P'},
	{34, '[', '{'}, {35, ']', '}'}, {36, xkReturn, 0}, {37, xkControlL, 0},
	{38, 'a', 'A'}, {39, 's', 'S'}, {40, 'd', 'D'}, {41, 'f', 'F'}, {42, 'g', 'G'},
	{43, 'h', 'H'}, {44, 'j', 'J'}, {45, 'k', 'K'}, {46, 'l', 'L'},
	{47, ';', ':'}, {48, '\'', '"'}, {49, '`', '~'}, {50, xkShiftL, 0}, {51, '\\', '|'},
	{52, 'z', 'Z'}, {53, 'x', 'X'}, {54, 'c', 'C'}, {55, 'v', 'V'}, {56, 'b', 'B'},
	{57, 'n', 'N'}, {58, 'm', 'M'}, {59, ',', '<'}, {60, '.', '>'}, {61, '/', '?'},
	{62, xkShiftR, 0}, {63, 0xffaa, 0}, // KP_Multiply
	{64, xkAltL, xkMetaL}, {65, ' ', 0}, {66, xkCapsLock, 0},
	{67, 0xffbe, 0}, {68, 0xffbf, 0}, {69, 0xffc0, 0}, {70, 0xffc1, 0}, {71, 0xffc2, 0}, // F1-F5
	{72, 0xffc3, 0}, {73, 0xffc4, 0}, {74, 0xffc5, 0}, {75, 0xffc6, 0}, {76, 0xffc7, 0}, // F6-F10
	{77, xkNumLock, 0}, {78, 0xff14, 0}, // Scroll_Lock
	{79, 0xff95, 0xffb7}, {80, 0xff97, 0xffb8}, {81, 0xff9a, 0xffb9}, {82, 0xffad, 0}, // KP 7 8 9 -
	{83, 0xff96, 0xffb4}, {84, 0xff9d, 0xffb5}, {85, 0xff98, 0xffb6}, {86, 0xffab, 0}, // KP 4 5 6 +
	{87, 0xff9c, 0xffb1}, {88, 0xff99, 0xffb2}, {89, 0xff9b, 0xffb3}, // KP 1 2 3
	{90, 0xff9e, 0xffb0}, {91, 0xff9f, 0xffae}, // KP 0 .
	{94, '<', '>'}, {95, 0xffc8, 0}, {96, 0xffc9, 0}, // less, F11, F12
	{104, 0xff8d, 0}, {105, xkControlR, 0}, {106, 0xffaf, 0}, {107, 0xff61, 0}, // KP_Enter, Control_R, KP_Divide, Print
	{108, xkAltR, xkMetaL}, {110, 0xff50, 0}, {111, 0xff52, 0}, {112, 0xff55, 0}, // Alt_R, Home, Up, Prior
	{113, 0xff51, 0}, {114, 0xff53, 0}, {115, 0xff57, 0}, {116, 0xff54, 0}, // Left, Right, End, Down
	{117, 0xff56, 0}, {118, 0xff63, 0}, {119, xkDelete, 0}, // Next, Insert, Delete
	{127, 0xff13, 0}, {133, xkSuperL, 0}, {134, xkSuperR, 0}, {135, 0xff67, 0}, // Pause, Super, Menu
	{203, xkModeSwitch, 0},
}

func (k *keyboard) init() {
	for _, e := range usLayout {
		k.syms[e[0]] = [keysymsPerKeycode]uint32{e[1], e[2]}
	}
	k.perMod = 2
	k.modifiers = [8][]uint8{
		{50, 62},   // shift
		{66, 0},    // lock
		{37, 105},  // control
		{64, 108},  // mod1
		{77, 0},    // mod2: Num_Lock
		{0, 0},     // mod3
		{133, 134}, // mod4: Super
		{203, 0},   // mod5: Mode_switch
	}
	// Keycodes nothing is on, for keysyms typed that the map lacks.
	for kc := 247; kc >= 208; kc-- {
		if k.syms[kc] == [keysymsPerKeycode]uint32{} {
			k.spare = append(k.spare, uint8(kc))
		}
	}
}

// modifierState is the modifier bits of the keys held down. Lock is a
// toggle on real keyboards, but here the viewers send its state as held.
func (k *keyboard) modifierState(keys *[32]byte) uint16 {
	var st uint16
	for m, kcs := range k.modifiers {
		for _, kc := range kcs {
			if kc != 0 && keys[kc>>3]&(1<<(kc&7)) != 0 {
				st |= 1 << uint(m)
			}
		}
	}
	return st
}

// lookup finds a keycode whose unshifted or shifted keysym is sym.
func (k *keyboard) lookup(sym uint32) (keycode uint8, shifted bool, ok bool) {
	for kc := minKeycode; kc <= maxKeycode; kc++ {
		for i := 0; i < keysymsPerKeycode; i++ {
			if k.syms[kc][i] == sym {
				return uint8(kc), i == 1, true
			}
		}
	}
	// Letters: the map holds lower case only in its first column.
	if sym >= 'A' && sym <= 'Z' {
		kc, _, ok := k.lookup(sym + 32)
		return kc, true, ok
	}
	return 0, false, false
}

func (c *client) getKeyboardMapping(b []byte) error {
	var r protocol.GetKeyboardMapping
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	first, count := int(r.FirstKeycode), int(r.Count)
	if first < minKeycode || first+count-1 > maxKeycode {
		return badValue(uint32(first))
	}
	k := &c.s.input.kbd
	syms := make([]protocol.Keysym, 0, count*keysymsPerKeycode)
	for kc := first; kc < first+count; kc++ {
		for _, s := range k.syms[kc] {
			syms = append(syms, protocol.Keysym(s))
		}
	}
	c.reply(&protocol.GetKeyboardMappingReply{Sequence: c.seq, KeysymsPerKeycode: keysymsPerKeycode, Keysyms: syms})
	return nil
}

func (c *client) changeKeyboardMapping(b []byte) error {
	var r protocol.ChangeKeyboardMapping
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	first, count, per := int(r.FirstKeycode), int(r.KeycodeCount), int(r.KeysymsPerKeycode)
	if first < minKeycode || first+count-1 > maxKeycode || per == 0 {
		return badValue(uint32(first))
	}
	if len(r.Keysyms) != count*per {
		return errLength
	}
	k := &c.s.input.kbd
	for i := 0; i < count; i++ {
		var row [keysymsPerKeycode]uint32
		for j := 0; j < min(per, keysymsPerKeycode); j++ {
			row[j] = uint32(r.Keysyms[i*per+j])
		}
		k.syms[first+i] = row
	}
	c.s.mappingNotify(1, uint8(first), uint8(count))
	c.s.xkbKeymapChanged(uint8(first), uint8(count))
	return nil
}

// mappingNotify tells every client that a mapping changed: request 0
// modifier, 1 keyboard, 2 pointer.
func (s *Server) mappingNotify(request, first, count uint8) {
	for _, c := range s.clients[1:] {
		if c != nil {
			c.event(&protocol.MappingNotifyEvent{Request: request, FirstKeycode: protocol.Keycode(first), Count: count})
		}
	}
}

func (c *client) getModifierMapping(b []byte) error {
	k := &c.s.input.kbd
	codes := make([]protocol.Keycode, 0, 8*k.perMod)
	for _, m := range k.modifiers {
		for i := 0; i < k.perMod; i++ {
			var kc uint8
			if i < len(m) {
				kc = m[i]
			}
			codes = append(codes, protocol.Keycode(kc))
		}
	}
	c.reply(&protocol.GetModifierMappingReply{Sequence: c.seq, KeycodesPerModifier: uint8(k.perMod), Keycodes: codes})
	return nil
}

func (c *client) setModifierMapping(b []byte) error {
	var r protocol.SetModifierMapping
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	per := int(r.KeycodesPerModifier)
	if len(r.Keycodes) != 8*per {
		return errLength
	}
	in := &c.s.input
	var mods [8][]uint8
	for m := 0; m < 8; m++ {
		for i := 0; i < per; i++ {
			kc := uint8(r.Keycodes[m*per+i])
			if kc != 0 && kc < minKeycode {
				return badValue(uint32(kc))
			}
			// A modifier key held down cannot change: MappingBusy.
			if kc != 0 && in.keys[kc>>3]&(1<<(kc&7)) != 0 {
				c.reply(&protocol.SetModifierMappingReply{Sequence: c.seq, Status: 1})
				return nil
			}
			mods[m] = append(mods[m], kc)
		}
	}
	in.kbd.modifiers = mods
	in.kbd.perMod = per
	c.reply(&protocol.SetModifierMappingReply{Sequence: c.seq, Status: 0})
	c.s.mappingNotify(0, 0, 0)
	c.s.xkbKeymapChanged(minKeycode, maxKeycode-minKeycode+1)
	return nil
}

// KeySym presses or releases the key for an X keysym, as the viewers and
// the pixel protocol deliver keys. Shifted characters get Shift held for
// them; keysyms the map lacks are put on a spare keycode first, with
// MappingNotify, as X servers with a fixed keyboard do for XTEST.
func (s *Server) KeySym(sym uint32, down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.input.keySym(sym, down)
	s.flushAll()
}

func (in *input) keySym(sym uint32, down bool) {
	k := &in.kbd
	kc, shifted, ok := k.lookup(sym)
	if !ok {
		if !down {
			return
		}
		if len(k.spare) == 0 {
			return
		}
		// Reuse the spare keycode lent out longest ago.
		kc = k.spare[0]
		k.spare = append(k.spare[1:], kc)
		k.syms[kc] = [keysymsPerKeycode]uint32{sym, sym}
		in.s.mappingNotify(1, kc, 1)
		in.s.xkbKeymapChanged(kc, 1)
		shifted = false
	}
	isMod := false
	for _, m := range k.modifiers {
		for _, mk := range m {
			if mk == kc && kc != 0 {
				isMod = true
			}
		}
	}
	if isMod || !down {
		in.key(kc, down)
		return
	}
	// Hold or release Shift so the character comes out as asked.
	shiftDown := k.modifierState(&in.keys)&shiftMask != 0
	var toggled uint8
	if shifted != shiftDown && sym != ' ' {
		if shifted {
			toggled = k.modifiers[0][0]
			in.key(toggled, true)
		} else {
			for _, sk := range k.modifiers[0] {
				if sk != 0 && in.keys[sk>>3]&(1<<(sk&7)) != 0 {
					toggled = sk
					in.key(sk, false)
					break
				}
			}
		}
	}
	in.key(kc, true)
	if toggled != 0 {
		in.key(toggled, !shifted)
	}
}
