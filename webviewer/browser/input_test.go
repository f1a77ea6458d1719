package browser

import (
	"math"
	"slices"
	"testing"
)

func TestButtonBit(t *testing.T) {
	for b, want := range map[int]uint8{0: 1, 1: 2, 2: 4, 3: 0x80, 4: 0, -1: 0, 99: 0} {
		if got := ButtonBit(b); got != want {
			t.Errorf("ButtonBit(%d) = %#x, want %#x", b, got, want)
		}
	}
}

func TestWheel(t *testing.T) {
	var w Wheel
	if c := w.Add(0, 100, 0); !slices.Equal(c, []int{5, 5}) {
		t.Errorf("100 px down: %v", c)
	}
	if c := w.Add(0, -3, 1); !slices.Equal(c, []int{4}) { // 3 lines = 57 px
		t.Errorf("3 lines up: %v", c)
	}
	// A touchpad's small deltas add up.
	var clicks []int
	for range 10 {
		clicks = append(clicks, w.Add(10, 0, 0)...)
	}
	if !slices.Equal(clicks, []int{7, 7}) {
		t.Errorf("10 × 10 px right: %v", clicks)
	}
	if c := w.Add(-1, 0, 2); len(c) != 8 || c[0] != 6 { // a page: 400 px
		t.Errorf("a page left: %v", c)
	}
	// Bogus deltas neither flood nor poison.
	if c := w.Add(0, 1e12, 0); len(c) != maxClicks {
		t.Errorf("huge delta: %d clicks", len(c))
	}
	if c := w.Add(math.NaN(), math.Inf(1), 0); c != nil {
		t.Errorf("NaN: %v", c)
	}
	if c := w.Add(0, 50, 0); !slices.Equal(c, []int{5}) {
		t.Errorf("after bogus deltas: %v", c)
	}
}

func TestLatin1(t *testing.T) {
	if got := string(Latin1("héllo\r\nwörld € 😀")); got != "h\xe9llo\nw\xf6rld ? ?" {
		t.Errorf("Latin1: %q", got)
	}
	if got := FromLatin1([]byte("\xe9t\xe9 \xff")); got != "été ÿ" {
		t.Errorf("FromLatin1: %q", got)
	}
}
