package browser

import (
	"slices"
	"testing"
)

func TestKeysym(t *testing.T) {
	for _, c := range []struct {
		key, code string
		location  int
		want      uint32
	}{
		{"a", "KeyA", 0, 'a'},
		{"A", "KeyA", 0, 'A'},
		{" ", "Space", 0, ' '},
		{"!", "Digit1", 0, '!'},    // shifted, not a letter
		{"~", "Backquote", 0, '~'}, // shifted
		{"é", "Digit2", 0, 0xe9},   // Latin-1
		{"ß", "Minus", 0, 0xdf},
		{"£", "Digit3", 0, 0xa3},
		{"€", "KeyE", 0, 0x10020ac}, // beyond Latin-1: Unicode keysym
		{"Я", "KeyZ", 0, 0x100042f},
		{"😀", "", 0, 0x101f600},
		{"Enter", "Enter", 0, 0xff0d},
		{"Backspace", "Backspace", 0, 0xff08},
		{"Tab", "Tab", 0, 0xff09},
		{"Escape", "Escape", 0, 0xff1b},
		{"Delete", "Delete", 0, 0xffff},
		{"ArrowUp", "ArrowUp", 0, 0xff52},
		{"PageDown", "PageDown", 0, 0xff56},
		{"F1", "F1", 0, 0xffbe},
		{"F12", "F12", 0, 0xffc9},
		{"F35", "", 0, 0xffe0},
		{"Shift", "ShiftLeft", 1, 0xffe1},
		{"Shift", "ShiftRight", 2, 0xffe2},
		{"Control", "ControlLeft", 1, 0xffe3},
		{"Control", "ControlRight", 2, 0xffe4},
		{"Alt", "AltLeft", 1, 0xffe9},
		{"Meta", "MetaLeft", 1, 0xffeb},
		{"AltGraph", "AltRight", 2, 0xfe03},
		{"CapsLock", "CapsLock", 0, 0xffe5},
		{"7", "Numpad7", 3, 0xffb7},
		{"7", "Digit7", 0, '7'},
		{"+", "NumpadAdd", 3, 0xffab},
		{"Enter", "NumpadEnter", 3, 0xff8d},
		{"Home", "Numpad7", 3, 0xff95}, // Num Lock off
		{"Dead", "BracketLeft", 0, 0},  // a dead key waits for the next
		{"Unidentified", "", 0, 0},
		{"Process", "KeyA", 0, 0}, // IME
		{"F0", "", 0, 0},
		{"F99", "", 0, 0},
		{"Fx", "", 0, 0},
		{"\x7f", "", 0, 0},
		{"\u0085", "", 0, 0},
		{"", "", 0, 0},
	} {
		if got := Keysym(c.key, c.code, c.location); got != c.want {
			t.Errorf("Keysym(%q, %q, %d) = %#x, want %#x", c.key, c.code, c.location, got, c.want)
		}
	}
}

// The release names the keysym that the press did, whatever the key value
// says by then.
func TestKeyboard(t *testing.T) {
	var k Keyboard
	if s := k.Press("Shift", "ShiftLeft", 1); s != 0xffe1 {
		t.Errorf("press Shift: %#x", s)
	}
	if s := k.Press("!", "Digit1", 0); s != '!' {
		t.Errorf("press !: %#x", s)
	}
	if s := k.Press("!", "Digit1", 0); s != '!' {
		t.Errorf("repeat !: %#x", s)
	}
	if s := k.Release("Shift", "ShiftLeft"); s != 0xffe1 {
		t.Errorf("release Shift: %#x", s)
	}
	if s := k.Release("1", "Digit1"); s != '!' {
		t.Errorf("release 1 after !: %#x, want '!'", s)
	}
	if s := k.Release("1", "Digit1"); s != 0 {
		t.Errorf("release again: %#x", s)
	}
	if s := k.Press("Dead", "Quote", 0); s != 0 {
		t.Errorf("dead key: %#x", s)
	}
	// Without a code (some virtual keyboards), the key is the identity.
	k.Press("a", "", 0)
	k.Press("b", "KeyB", 0)
	all := k.ReleaseAll()
	slices.Sort(all)
	if !slices.Equal(all, []uint32{'a', 'b'}) || len(k.ReleaseAll()) != 0 {
		t.Errorf("release all: %x", all)
	}
}
