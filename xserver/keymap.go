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
}

// Keysyms the XKB view names.
const (
	xkCapsLock   = 0xffe5
	xkEscape     = 0xff1b
	xkMetaL      = 0xffe7
	xkAltL       = 0xffe9
	xkAltR       = 0xffea
	xkSuperL     = 0xffeb
	xkSuperR     = 0xffec
	xkNumLock    = 0xff7f
	xkModeSwitch = 0xff7e
)

// usLayout lists the keys: keycode, unshifted keysym, shifted keysym. It
// is the first two columns of the core keyboard map X.Org derives from
// xkeyboard-config's evdev "pc105 us" keymap (as Xvfb here reports it),
// for the keycodes below 208; those from 208 up are left free for the
// keysyms typed that the map lacks.
var usLayout = [][3]uint32{
	{9, 0xff1b, 0x0}, {10, 0x31, 0x21}, {11, 0x32, 0x40}, {12, 0x33, 0x23},
	{13, 0x34, 0x24}, {14, 0x35, 0x25}, {15, 0x36, 0x5e}, {16, 0x37, 0x26},
	{17, 0x38, 0x2a}, {18, 0x39, 0x28}, {19, 0x30, 0x29}, {20, 0x2d, 0x5f},
	{21, 0x3d, 0x2b}, {22, 0xff08, 0xff08}, {23, 0xff09, 0xfe20}, {24, 0x71, 0x51},
	{25, 0x77, 0x57}, {26, 0x65, 0x45}, {27, 0x72, 0x52}, {28, 0x74, 0x54},
	{29, 0x79, 0x59}, {30, 0x75, 0x55}, {31, 0x69, 0x49}, {32, 0x6f, 0x4f},
	{33, 0x70, 0x50}, {34, 0x5b, 0x7b}, {35, 0x5d, 0x7d}, {36, 0xff0d, 0x0},
	{37, 0xffe3, 0x0}, {38, 0x61, 0x41}, {39, 0x73, 0x53}, {40, 0x64, 0x44},
	{41, 0x66, 0x46}, {42, 0x67, 0x47}, {43, 0x68, 0x48}, {44, 0x6a, 0x4a},
	{45, 0x6b, 0x4b}, {46, 0x6c, 0x4c}, {47, 0x3b, 0x3a}, {48, 0x27, 0x22},
	{49, 0x60, 0x7e}, {50, 0xffe1, 0x0}, {51, 0x5c, 0x7c}, {52, 0x7a, 0x5a},
	{53, 0x78, 0x58}, {54, 0x63, 0x43}, {55, 0x76, 0x56}, {56, 0x62, 0x42},
	{57, 0x6e, 0x4e}, {58, 0x6d, 0x4d}, {59, 0x2c, 0x3c}, {60, 0x2e, 0x3e},
	{61, 0x2f, 0x3f}, {62, 0xffe2, 0x0}, {63, 0xffaa, 0xffaa}, {64, 0xffe9, 0xffe7},
	{65, 0x20, 0x0}, {66, 0xffe5, 0x0}, {67, 0xffbe, 0xffbe}, {68, 0xffbf, 0xffbf},
	{69, 0xffc0, 0xffc0}, {70, 0xffc1, 0xffc1}, {71, 0xffc2, 0xffc2}, {72, 0xffc3, 0xffc3},
	{73, 0xffc4, 0xffc4}, {74, 0xffc5, 0xffc5}, {75, 0xffc6, 0xffc6}, {76, 0xffc7, 0xffc7},
	{77, 0xff7f, 0x0}, {78, 0xff14, 0x0}, {79, 0xff95, 0xffb7}, {80, 0xff97, 0xffb8},
	{81, 0xff9a, 0xffb9}, {82, 0xffad, 0xffad}, {83, 0xff96, 0xffb4}, {84, 0xff9d, 0xffb5},
	{85, 0xff98, 0xffb6}, {86, 0xffab, 0xffab}, {87, 0xff9c, 0xffb1}, {88, 0xff99, 0xffb2},
	{89, 0xff9b, 0xffb3}, {90, 0xff9e, 0xffb0}, {91, 0xff9f, 0xffae}, {92, 0xfe03, 0x0},
	{94, 0x3c, 0x3e}, {95, 0xffc8, 0xffc8}, {96, 0xffc9, 0xffc9}, {98, 0xff26, 0x0},
	{99, 0xff25, 0x0}, {100, 0xff23, 0x0}, {101, 0xff27, 0x0}, {102, 0xff22, 0x0},
	{104, 0xff8d, 0x0}, {105, 0xffe4, 0x0}, {106, 0xffaf, 0xffaf}, {107, 0xff61, 0xff15},
	{108, 0xffea, 0xffe8}, {109, 0xff0a, 0x0}, {110, 0xff50, 0x0}, {111, 0xff52, 0x0},
	{112, 0xff55, 0x0}, {113, 0xff51, 0x0}, {114, 0xff53, 0x0}, {115, 0xff57, 0x0},
	{116, 0xff54, 0x0}, {117, 0xff56, 0x0}, {118, 0xff63, 0x0}, {119, 0xffff, 0x0},
	{121, 0x1008ff12, 0x0}, {122, 0x1008ff11, 0x0}, {123, 0x1008ff13, 0x0}, {124, 0x1008ff2a, 0x0},
	{125, 0xffbd, 0x0}, {126, 0xb1, 0x0}, {127, 0xff13, 0xff6b}, {128, 0x1008ff4a, 0x0},
	{129, 0xffae, 0xffae}, {130, 0xff31, 0x0}, {131, 0xff34, 0x0}, {133, 0xffeb, 0x0},
	{134, 0xffec, 0x0}, {135, 0xff67, 0x0}, {136, 0xff69, 0x0}, {137, 0xff66, 0x0},
	{138, 0x1005ff70, 0x0}, {139, 0xff65, 0x0}, {140, 0x1005ff71, 0x0}, {141, 0x1008ff57, 0x0},
	{142, 0x1008ff6b, 0x0}, {143, 0x1008ff6d, 0x0}, {144, 0xff68, 0x0}, {145, 0x1008ff58, 0x0},
	{146, 0xff6a, 0x0}, {147, 0x1008ff65, 0x0}, {148, 0x1008ff1d, 0x0}, {150, 0x1008ff2f, 0x0},
	{151, 0x1008ff2b, 0x0}, {152, 0x1008ff5d, 0x0}, {153, 0x1008ff7b, 0x0}, {155, 0x1008ff8a, 0x0},
	{156, 0x1008ff41, 0x0}, {157, 0x1008ff42, 0x0}, {158, 0x1008ff2e, 0x0}, {159, 0x1008ff5a, 0x0},
	{160, 0x1008ff2d, 0x0}, {161, 0x1008ff74, 0x0}, {162, 0x1008ff7f, 0x0}, {163, 0x1008ff19, 0x0},
	{164, 0x1008ff30, 0x0}, {165, 0x1008ff33, 0x0}, {166, 0x1008ff26, 0x0}, {167, 0x1008ff27, 0x0},
	{169, 0x1008ff2c, 0x0}, {170, 0x1008ff2c, 0x0}, {171, 0x1008ff17, 0x0}, {172, 0x1008ff14, 0x1008ff31},
	{173, 0x1008ff16, 0x0}, {174, 0x1008ff15, 0x1008ff2c}, {175, 0x1008ff1c, 0x0}, {176, 0x1008ff3e, 0x0},
	{177, 0x1008ff6e, 0x0}, {179, 0x1008ff81, 0x0}, {180, 0x1008ff18, 0x0}, {181, 0x1008ff73, 0x0},
	{182, 0x1008ff56, 0x0}, {185, 0x1008ff78, 0x0}, {186, 0x1008ff79, 0x0}, {187, 0x28, 0x0},
	{188, 0x29, 0x0}, {189, 0x1008ff68, 0x0}, {190, 0xff66, 0x0}, {191, 0x1008ff81, 0x0},
	{192, 0x1008ff45, 0x0}, {193, 0x1008ff46, 0x0}, {194, 0x1008ff47, 0x0}, {195, 0x1008ff48, 0x0},
	{196, 0x1008ff49, 0x0}, {198, 0x1008ffb2, 0x0}, {199, 0x1008ffa9, 0x0}, {200, 0x1008ffb0, 0x0},
	{201, 0x1008ffb1, 0x0}, {203, 0xff7e, 0x0}, {204, 0x0, 0xffe9}, {205, 0x0, 0xffe7},
	{206, 0x0, 0xffeb}, {207, 0x0, 0xffed},
}

func (k *keyboard) init() {
	for _, e := range usLayout {
		k.syms[e[0]] = [keysymsPerKeycode]uint32{e[1], e[2]}
	}
	// X.Org's modifier map for the same keymap.
	k.perMod = 4
	k.modifiers = [8][]uint8{
		{50, 62, 0, 0},       // shift
		{66, 0, 0, 0},        // lock
		{37, 105, 0, 0},      // control
		{64, 108, 205, 0},    // mod1: Alt, Meta
		{77, 0, 0, 0},        // mod2: Num_Lock
		{0, 0, 0, 0},         // mod3
		{133, 134, 206, 207}, // mod4: Super, Hyper
		{92, 203, 0, 0},      // mod5: ISO_Level3_Shift, Mode_switch
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
	// With Caps Lock on, a letter's cases swap: Shift gives the lower one.
	if in.state()&lockMask != 0 {
		if lower, upper := keysymCase(k.syms[kc][0]); lower != upper && k.syms[kc][1] == upper {
			shifted = !shifted
		}
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

// setXkbRulesNames names the keymap on the root window as X.Org does, so
// that setxkbmap -query and friends see the layout.
func (s *Server) setXkbRulesNames() {
	name, _ := s.atoms.intern("_XKB_RULES_NAMES", false)
	s.setProperty(s.screen.root, name, protocol.AtomString, 8, protocol.PropModeReplace, []byte("evdev\x00pc105\x00us\x00\x00\x00"))
}
