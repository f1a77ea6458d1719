package browser

import (
	"strings"
	"unicode/utf8"
)

// Keysym returns the X keysym for a browser KeyboardEvent, from its key
// (what the key means with the layout and modifiers: "a", "A", "!", "é",
// "Enter"), code (which key it is: "KeyA", "ShiftRight", "Numpad7") and
// location (0 standard, 1 left, 2 right, 3 numpad). It returns 0 for what
// has no keysym: dead keys, IME composition, unknown keys.
//
// The key decides, not the code: the browser has already applied the
// user's layout and Shift, so "!" is exclam whatever the keyboard, and the
// X server holds Shift for it if its own map needs it.
func Keysym(key, code string, location int) uint32 {
	if location == 3 || strings.HasPrefix(code, "Numpad") {
		if sym, ok := keypad[key]; ok {
			return sym
		}
	}
	if r, n := utf8.DecodeRuneInString(key); n == len(key) && r != utf8.RuneError {
		return charKeysym(r)
	}
	switch key {
	case "Shift", "Control", "Alt", "Meta", "OS", "Super", "Hyper":
		right := location == 2 || strings.HasSuffix(code, "Right")
		sym := modifiers[key]
		if right {
			sym++
		}
		return sym
	}
	if sym, ok := named[key]; ok {
		return sym
	}
	if len(key) >= 2 && key[0] == 'F' {
		n := 0
		for _, c := range key[1:] {
			if c < '0' || c > '9' {
				return 0
			}
			n = n*10 + int(c-'0')
		}
		if n >= 1 && n <= 35 {
			return 0xffbe + uint32(n-1) // F1 to F35
		}
	}
	return 0
}

// charKeysym is the keysym of a character: Latin-1 keysyms are the
// characters' codes, and anything else is a Unicode keysym (0x1000000 plus
// the code point), which Xlib and toolkits understand.
func charKeysym(r rune) uint32 {
	switch {
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return 0 // control characters are not keys
	case r <= 0xff:
		return uint32(r)
	}
	return 0x1000000 | uint32(r)
}

// modifiers are the left keysyms; the right one is the next.
var modifiers = map[string]uint32{
	"Shift":   0xffe1, // Shift_L, Shift_R
	"Control": 0xffe3, // Control_L, Control_R
	"Alt":     0xffe9, // Alt_L, Alt_R
	"Meta":    0xffeb, // the Windows or Command key: Super_L, Super_R
	"OS":      0xffeb,
	"Super":   0xffeb,
	"Hyper":   0xffed, // Hyper_L, Hyper_R
}

// named are the KeyboardEvent key values of the keys that are not
// characters.
var named = map[string]uint32{
	"Backspace":   0xff08,
	"Tab":         0xff09,
	"Clear":       0xff0b,
	"Enter":       0xff0d,
	"Pause":       0xff13,
	"ScrollLock":  0xff14,
	"Escape":      0xff1b,
	"Compose":     0xff20,
	"Home":        0xff50,
	"ArrowLeft":   0xff51,
	"ArrowUp":     0xff52,
	"ArrowRight":  0xff53,
	"ArrowDown":   0xff54,
	"PageUp":      0xff55,
	"PageDown":    0xff56,
	"End":         0xff57,
	"Select":      0xff60,
	"PrintScreen": 0xff61,
	"Execute":     0xff62,
	"Insert":      0xff63,
	"Undo":        0xff65,
	"Redo":        0xff66,
	"ContextMenu": 0xff67,
	"Find":        0xff68,
	"Cancel":      0xff69,
	"Help":        0xff6a,
	"ModeChange":  0xff7e,
	"NumLock":     0xff7f,
	"CapsLock":    0xffe5,
	"AltGraph":    0xfe03, // ISO_Level3_Shift
	"Delete":      0xffff,
}

// keypad are the keys of the numeric keypad, with Num Lock on (digits)
// and off (the movement keys).
var keypad = map[string]uint32{
	"Enter": 0xff8d, "Home": 0xff95, "ArrowLeft": 0xff96, "ArrowUp": 0xff97,
	"ArrowRight": 0xff98, "ArrowDown": 0xff99, "PageUp": 0xff9a, "PageDown": 0xff9b,
	"End": 0xff9c, "Clear": 0xff9d, "Insert": 0xff9e, "Delete": 0xff9f,
	"*": 0xffaa, "+": 0xffab, ",": 0xffac, "-": 0xffad, ".": 0xffae, "/": 0xffaf,
	"0": 0xffb0, "1": 0xffb1, "2": 0xffb2, "3": 0xffb3, "4": 0xffb4,
	"5": 0xffb5, "6": 0xffb6, "7": 0xffb7, "8": 0xffb8, "9": 0xffb9, "=": 0xffbd,
}

// A Keyboard remembers which keysym each physical key pressed, so that
// its release names the same keysym even when the key value has changed
// in between: press Shift, press "1" ("!"), release Shift, release "1"
// (now "1"). Without it the X server would see exclam pressed forever.
type Keyboard struct {
	down map[string]uint32
}

// Press returns the keysym to press for a keydown, or 0 to ignore it.
// A repeat of a key already down presses the same keysym again, as X's
// autorepeat does.
func (k *Keyboard) Press(key, code string, location int) uint32 {
	sym := Keysym(key, code, location)
	if sym == 0 {
		return 0
	}
	if k.down == nil {
		k.down = make(map[string]uint32)
	}
	id := code
	if id == "" {
		id = key
	}
	if old, ok := k.down[id]; ok {
		return old
	}
	k.down[id] = sym
	return sym
}

// Release returns the keysym to release for a keyup, or 0 if the key was
// not pressed here.
func (k *Keyboard) Release(key, code string) uint32 {
	id := code
	if id == "" {
		id = key
	}
	sym, ok := k.down[id]
	if !ok {
		return 0
	}
	delete(k.down, id)
	return sym
}

// ReleaseAll returns the keysyms of every key down and forgets them: when
// the page loses focus it sees no more keyups.
func (k *Keyboard) ReleaseAll() []uint32 {
	var syms []uint32
	for id, sym := range k.down {
		syms = append(syms, sym)
		delete(k.down, id)
	}
	return syms
}
