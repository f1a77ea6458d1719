package app

import (
	"flag"
	"image"
	"io"
	"testing"

	"netdisplay/protocol"
)

func TestParseGeometry(t *testing.T) {
	size, screen := image.Pt(200, 100), image.Pt(1000, 800)
	for _, tc := range []struct {
		in   string
		want image.Rectangle
	}{
		{"", image.Rect(0, 0, 200, 100)},
		{"300x250", image.Rect(0, 0, 300, 250)},
		{"300X250+10+20", image.Rect(10, 20, 310, 270)},
		{"+5+6", image.Rect(5, 6, 205, 106)},
		{"-0-0", image.Rect(800, 700, 1000, 800)},
		{"50x40-10+0", image.Rect(940, 0, 990, 40)},
	} {
		got, err := ParseGeometry(tc.in, size, screen)
		if err != nil || got != tc.want {
			t.Errorf("ParseGeometry(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"x", "300", "300x", "0x10", "10x10+5", "10x10+a+b", "+-1+2", "axb"} {
		if r, err := ParseGeometry(bad, size, screen); err == nil {
			t.Errorf("ParseGeometry(%q) = %v, want an error", bad, r)
		}
	}
}

func TestScriptFlag(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
		ok   bool
	}{
		{nil, "", true},
		{[]string{"--script"}, Short, true},
		{[]string{"-script=bench"}, Bench, true},
		{[]string{"--script=short"}, Short, true},
		{[]string{"--script=nonsense"}, "", false},
	} {
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		var got string
		fs.Var(scriptFlag{&got}, "script", "")
		err := fs.Parse(tc.args)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("%v: script %q, error %v; want %q, ok %v", tc.args, got, err, tc.want, tc.ok)
		}
	}
}

// A keymap as servers have them: keycode 38 is a and A, 10 is 1 and !,
// 66 has one keysym, a lowercase letter, 67 is Return only.
func testKeymap() *Keymap {
	k := &Keymap{min: 8, per: 2, syms: make([]protocol.Keysym, 2*248)}
	set := func(code int, syms ...protocol.Keysym) { copy(k.syms[2*(code-8):], syms) }
	set(38, 'a', 'A')
	set(10, '1', '!')
	set(66, 0xe9) // é, alone
	set(67, 0xff0d)
	return k
}

func TestKeymapLookup(t *testing.T) {
	k := testKeymap()
	for _, tc := range []struct {
		code  protocol.Keycode
		state uint16
		want  protocol.Keysym
	}{
		{38, 0, 'a'},
		{38, ShiftMask, 'A'},
		{38, LockMask, 'A'},
		{38, ShiftMask | LockMask, 'A'},
		{38, ControlMask, 'a'},
		{10, 0, '1'},
		{10, ShiftMask, '!'},
		{10, LockMask, '1'}, // Caps Lock is for letters
		{66, 0, 0xe9},
		{66, ShiftMask, 0xc9}, // É: a lone letter has both cases
		{67, ShiftMask, 0xff0d},
		{7, 0, 0},   // below the minimum
		{255, 0, 0}, // beyond the map
	} {
		if got := k.Lookup(tc.code, tc.state); got != tc.want {
			t.Errorf("Lookup(%d, %#x) = %#x, want %#x", tc.code, tc.state, got, tc.want)
		}
	}
}

func TestRune(t *testing.T) {
	for _, tc := range []struct {
		sym  protocol.Keysym
		want rune
		ok   bool
	}{
		{'a', 'a', true},
		{' ', ' ', true},
		{0xe9, 'é', true},
		{0x010020ac, '€', true},
		{0xff0d, 0, false}, // Return
		{0x1f, 0, false},
	} {
		if r, ok := Rune(tc.sym); r != tc.want || ok != tc.ok {
			t.Errorf("Rune(%#x) = %q, %v; want %q, %v", tc.sym, r, ok, tc.want, tc.ok)
		}
	}
}
