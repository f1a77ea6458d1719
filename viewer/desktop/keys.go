package desktop

import (
	"unicode"

	"github.com/hajimehoshi/ebiten/v2"

	"netdisplay/viewer"
)

// X keysyms for the keys that type no character.
const (
	xkBackSpace = 0xff08
	xkTab       = 0xff09
	xkReturn    = 0xff0d
	xkPause     = 0xff13
	xkScrollLk  = 0xff14
	xkEscape    = 0xff1b
	xkHome      = 0xff50
	xkLeft      = 0xff51
	xkUp        = 0xff52
	xkRight     = 0xff53
	xkDown      = 0xff54
	xkPageUp    = 0xff55
	xkPageDown  = 0xff56
	xkEnd       = 0xff57
	xkPrint     = 0xff61
	xkInsert    = 0xff63
	xkMenu      = 0xff67
	xkNumLock   = 0xff7f
	xkKPEnter   = 0xff8d
	xkF1        = 0xffbe
	xkShiftL    = 0xffe1
	xkShiftR    = 0xffe2
	xkControlL  = 0xffe3
	xkControlR  = 0xffe4
	xkAltL      = 0xffe9
	xkAltR      = 0xffea
	xkSuperL    = 0xffeb
	xkSuperR    = 0xffec
	xkDelete    = 0xffff
)

// specialKeys are the keys sent by what they are, pressed and released
// as they are: modifiers, editing and movement keys, function keys. Caps
// Lock is not among them: the characters typed already say which case
// they are, and the display adds Shift where one is needed.
var specialKeys = map[ebiten.Key]uint32{
	ebiten.KeyBackspace:    xkBackSpace,
	ebiten.KeyTab:          xkTab,
	ebiten.KeyEnter:        xkReturn,
	ebiten.KeyNumpadEnter:  xkKPEnter,
	ebiten.KeyPause:        xkPause,
	ebiten.KeyScrollLock:   xkScrollLk,
	ebiten.KeyEscape:       xkEscape,
	ebiten.KeyHome:         xkHome,
	ebiten.KeyArrowLeft:    xkLeft,
	ebiten.KeyArrowUp:      xkUp,
	ebiten.KeyArrowRight:   xkRight,
	ebiten.KeyArrowDown:    xkDown,
	ebiten.KeyPageUp:       xkPageUp,
	ebiten.KeyPageDown:     xkPageDown,
	ebiten.KeyEnd:          xkEnd,
	ebiten.KeyPrintScreen:  xkPrint,
	ebiten.KeyInsert:       xkInsert,
	ebiten.KeyContextMenu:  xkMenu,
	ebiten.KeyNumLock:      xkNumLock,
	ebiten.KeyDelete:       xkDelete,
	ebiten.KeyShiftLeft:    xkShiftL,
	ebiten.KeyShiftRight:   xkShiftR,
	ebiten.KeyControlLeft:  xkControlL,
	ebiten.KeyControlRight: xkControlR,
	ebiten.KeyAltLeft:      xkAltL,
	ebiten.KeyAltRight:     xkAltR,
	ebiten.KeyMetaLeft:     xkSuperL,
	ebiten.KeyMetaRight:    xkSuperR,
}

func init() {
	for i := range 24 {
		specialKeys[ebiten.KeyF1+ebiten.Key(i)] = xkF1 + uint32(i)
	}
}

// usKeys are the characters of the keys that type one, as on a US
// keyboard: unshifted and shifted. They are what is sent for a key
// pressed with Control or Alt, which types no character to read.
var usKeys = map[ebiten.Key][2]rune{
	ebiten.KeyDigit0:       {'0', ')'},
	ebiten.KeyDigit1:       {'1', '!'},
	ebiten.KeyDigit2:       {'2', '@'},
	ebiten.KeyDigit3:       {'3', '#'},
	ebiten.KeyDigit4:       {'4', '$'},
	ebiten.KeyDigit5:       {'5', '%'},
	ebiten.KeyDigit6:       {'6', '^'},
	ebiten.KeyDigit7:       {'7', '&'},
	ebiten.KeyDigit8:       {'8', '*'},
	ebiten.KeyDigit9:       {'9', '('},
	ebiten.KeyMinus:        {'-', '_'},
	ebiten.KeyEqual:        {'=', '+'},
	ebiten.KeyBracketLeft:  {'[', '{'},
	ebiten.KeyBracketRight: {']', '}'},
	ebiten.KeyBackslash:    {'\\', '|'},
	ebiten.KeySemicolon:    {';', ':'},
	ebiten.KeyQuote:        {'\'', '"'},
	ebiten.KeyBackquote:    {'`', '~'},
	ebiten.KeyComma:        {',', '<'},
	ebiten.KeyPeriod:       {'.', '>'},
	ebiten.KeySlash:        {'/', '?'},
	ebiten.KeySpace:        {' ', ' '},
}

func init() {
	for k := ebiten.KeyA; k <= ebiten.KeyZ; k++ {
		r := 'a' + rune(k-ebiten.KeyA)
		usKeys[k] = [2]rune{r, unicode.ToUpper(r)}
	}
}

// runeKeysym is the keysym of a typed character: Latin-1 characters are
// their own keysyms, the rest of Unicode is 0x01000000 plus the code
// point.
func runeKeysym(r rune) uint32 {
	if r < 0x100 {
		return uint32(r)
	}
	return 0x01000000 | uint32(r)
}

// keys is one tick of keyboard input, as ebiten reports it.
type keys struct {
	pressed, released []ebiten.Key
	chars             []rune
	shift, ctrl, alt  bool // held
}

// A keyboard turns ebiten's keys and characters into X key events. Keys
// come two ways: physical keys, pressed and released, and the characters
// they typed, which already account for Shift, the layout and dead keys.
// A character is sent as its keysym, pressed and released at once (its
// key's own release says nothing more); a key that types nothing is sent
// by its code, and its release releases the keysym its press sent,
// whatever the modifiers did in between.
type keyboard struct {
	down map[ebiten.Key]uint32 // keys pressed and not yet released, with the keysym sent
}

// a keyEvent is one X key event.
type keyEvent struct {
	sym  uint32
	down bool
}

// events returns the X key events for one tick of input, in the order
// to send them: presses of keys sent by code, modifiers first, the
// characters typed, then releases, modifiers last. ebiten does not say in
// which order the keys and characters of one tick came; this order puts
// a modifier around what it modifies.
func (kb *keyboard) events(in keys) []keyEvent {
	if kb.down == nil {
		kb.down = make(map[ebiten.Key]uint32)
	}
	var evs []keyEvent
	press := func(k ebiten.Key, sym uint32) {
		if _, ok := kb.down[k]; ok {
			return
		}
		kb.down[k] = sym
		evs = append(evs, keyEvent{sym, true})
	}
	for _, k := range modifiersFirst(in.pressed, true) {
		if sym, ok := specialKeys[k]; ok {
			press(k, sym)
			continue
		}
		// With Control or Alt held, keys type no character (X11 keeps
		// them for shortcuts), so the key is all there is to send:
		// Ctrl-C is Control_L then c. AltGr types characters, and then
		// those are sent instead.
		if (in.ctrl || in.alt) && len(in.chars) == 0 {
			if rs, ok := usKeys[k]; ok {
				r := rs[0]
				if in.shift {
					r = rs[1]
				}
				press(k, runeKeysym(r))
			}
		}
	}
	for _, r := range in.chars {
		sym := runeKeysym(r)
		evs = append(evs, keyEvent{sym, true}, keyEvent{sym, false})
	}
	for _, k := range modifiersFirst(in.released, false) {
		if sym, ok := kb.down[k]; ok {
			delete(kb.down, k)
			evs = append(evs, keyEvent{sym, false})
		}
	}
	return evs
}

// modifiersFirst orders one tick's keys, which ebiten lists by key code,
// so that modifiers are pressed before the keys they modify and released
// after them, as they must have been when both come in one tick (Ctrl-C
// typed quickly).
func modifiersFirst(ks []ebiten.Key, first bool) []ebiten.Key {
	out := make([]ebiten.Key, 0, len(ks))
	for _, pass := range []bool{first, !first} {
		for _, k := range ks {
			if isModifier(k) == pass {
				out = append(out, k)
			}
		}
	}
	return out
}

func isModifier(k ebiten.Key) bool {
	switch k {
	case ebiten.KeyShiftLeft, ebiten.KeyShiftRight, ebiten.KeyControlLeft, ebiten.KeyControlRight,
		ebiten.KeyAltLeft, ebiten.KeyAltRight, ebiten.KeyMetaLeft, ebiten.KeyMetaRight:
		return true
	}
	return false
}

// releaseAll returns the releases of every key still down, for when the
// viewer stops sending to a session.
func (kb *keyboard) releaseAll() []keyEvent {
	var evs []keyEvent
	for k, sym := range kb.down {
		evs = append(evs, keyEvent{sym, false})
		delete(kb.down, k)
	}
	return evs
}

func send(s viewer.Session, evs []keyEvent) {
	for _, e := range evs {
		s.Key(e.sym, e.down)
	}
}
