package term

import "github.com/gdamore/tcell/v2"

// X keysyms (from X11/keysymdef.h) for the keys a terminal reports.
const (
	xkBackSpace = 0xff08
	xkTab       = 0xff09
	xkClear     = 0xff0b
	xkReturn    = 0xff0d
	xkPause     = 0xff13
	xkScrollLck = 0xff14
	xkEscape    = 0xff1b
	xkHome      = 0xff50
	xkLeft      = 0xff51
	xkUp        = 0xff52
	xkRight     = 0xff53
	xkDown      = 0xff54
	xkPrior     = 0xff55
	xkNext      = 0xff56
	xkEnd       = 0xff57
	xkPrint     = 0xff61
	xkInsert    = 0xff63
	xkMenu      = 0xff67
	xkCancel    = 0xff69
	xkHelp      = 0xff6a
	xkNumLock   = 0xff7f
	xkKPHome    = 0xff95
	xkKPPrior   = 0xff9a
	xkKPNext    = 0xff9b
	xkKPEnd     = 0xff9c
	xkKPBegin   = 0xff9d
	xkF1        = 0xffbe // F1 to F35 follow in order
	xkShiftL    = 0xffe1
	xkControlL  = 0xffe3
	xkCapsLock  = 0xffe5
	xkMetaL     = 0xffe7
	xkAltL      = 0xffe9
	xkDelete    = 0xffff
)

var specialKeys = map[tcell.Key]uint32{
	tcell.KeyBackspace:  xkBackSpace,
	tcell.KeyDEL:        xkBackSpace,
	tcell.KeyTab:        xkTab,
	tcell.KeyEnter:      xkReturn,
	tcell.KeyEscape:     xkEscape,
	tcell.KeyUp:         xkUp,
	tcell.KeyDown:       xkDown,
	tcell.KeyLeft:       xkLeft,
	tcell.KeyRight:      xkRight,
	tcell.KeyUpLeft:     xkKPHome,
	tcell.KeyUpRight:    xkKPPrior,
	tcell.KeyDownLeft:   xkKPEnd,
	tcell.KeyDownRight:  xkKPNext,
	tcell.KeyCenter:     xkKPBegin,
	tcell.KeyPgUp:       xkPrior,
	tcell.KeyPgDn:       xkNext,
	tcell.KeyHome:       xkHome,
	tcell.KeyEnd:        xkEnd,
	tcell.KeyInsert:     xkInsert,
	tcell.KeyDelete:     xkDelete,
	tcell.KeyHelp:       xkHelp,
	tcell.KeyClear:      xkClear,
	tcell.KeyCancel:     xkCancel,
	tcell.KeyPrint:      xkPrint,
	tcell.KeyPause:      xkPause,
	tcell.KeyMenu:       xkMenu,
	tcell.KeyCapsLock:   xkCapsLock,
	tcell.KeyScrollLock: xkScrollLck,
	tcell.KeyNumLock:    xkNumLock,
}

// A stroke is what one terminal key event becomes: modifier keys held
// around one key that is pressed and released. Terminals report presses
// only, so each key is released at once.
type stroke struct {
	mods []uint32
	sym  uint32
}

// keysym returns the keysym that types r: Latin-1 characters are their
// own keysyms, others are Unicode keysyms (0x1000000 + the code point).
// Shifted characters need nothing more: the X server holds Shift for
// keysyms that need it.
func keysym(r rune) (uint32, bool) {
	switch {
	case r >= 0x20 && r <= 0x7e, r >= 0xa0 && r <= 0xff:
		return uint32(r), true
	case r >= 0x100 && r <= 0x10ffff:
		return 0x1000000 | uint32(r), true
	}
	return 0, false
}

// ctrlChar is the character typed with Control for control code c
// (0 to 31): Ctrl-A is 1, Ctrl-] is 29.
func ctrlChar(c int) rune {
	switch {
	case c == 0:
		return ' '
	case c <= 26:
		return rune('a' + c - 1)
	}
	return rune("[\\]^_"[c-27])
}

// toStroke maps a terminal key event to what the X display should see.
func toStroke(ev *tcell.EventKey) (stroke, bool) {
	k, mod := ev.Key(), ev.Modifiers()
	var s stroke
	var ctrl bool
	switch {
	case k == tcell.KeyRune:
		sym, ok := keysym(ev.Rune())
		if !ok {
			return s, false
		}
		s.sym = sym
		ctrl = mod&tcell.ModCtrl != 0
		mod &^= tcell.ModShift // the server adds Shift as the keysym needs
	case specialKeys[k] != 0:
		s.sym = specialKeys[k]
		ctrl = mod&tcell.ModCtrl != 0
	case k == tcell.KeyBacktab:
		s.sym = xkTab
		mod |= tcell.ModShift
	case k >= tcell.KeyF1 && k <= tcell.KeyF35:
		s.sym = xkF1 + uint32(k-tcell.KeyF1)
		ctrl = mod&tcell.ModCtrl != 0
	case k >= tcell.KeyCtrlSpace && k <= tcell.KeyCtrlUnderscore:
		// tcell keeps the letter's case in the rune: Ctrl-Shift-A is 'A'.
		r := ev.Rune()
		if r == 0 {
			r = ctrlChar(int(k - tcell.KeyCtrlSpace))
		}
		s.sym, _ = keysym(r)
		ctrl = true
	case k >= tcell.KeyNUL && k <= tcell.KeyUS:
		// A control character that tcell did not name.
		s.sym, _ = keysym(ctrlChar(int(k)))
		ctrl = true
	default:
		return s, false
	}
	if ctrl {
		s.mods = append(s.mods, xkControlL)
	}
	if mod&tcell.ModShift != 0 {
		s.mods = append(s.mods, xkShiftL)
	}
	if mod&tcell.ModAlt != 0 {
		s.mods = append(s.mods, xkAltL)
	}
	if mod&tcell.ModMeta != 0 {
		s.mods = append(s.mods, xkMetaL)
	}
	return s, true
}

// isPrefix reports whether ev is Ctrl-], the key that starts a viewer
// command instead of typing.
func isPrefix(ev *tcell.EventKey) bool {
	k := ev.Key()
	return k == tcell.KeyCtrlRightSq || k == tcell.KeyGS
}

// A keyer is where strokes go: a viewer.Session.
type keyer interface {
	Key(keysym uint32, down bool)
}

// send presses the modifiers, presses and releases the key, then
// releases the modifiers.
func (s stroke) send(k keyer) {
	for _, m := range s.mods {
		k.Key(m, true)
	}
	k.Key(s.sym, true)
	k.Key(s.sym, false)
	for i := len(s.mods) - 1; i >= 0; i-- {
		k.Key(s.mods[i], false)
	}
}
