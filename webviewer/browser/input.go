package browser

import (
	"strings"
	"unicode/utf8"
)

// ButtonBit returns the session's button bit for a MouseEvent.button: the
// browser numbers left, middle, right, back, forward as 0 to 4; X numbers
// them 1, 2, 3, 8 and 9. Button 9 has no bit in the session's mask (RFB's
// has eight), so forward is dropped.
func ButtonBit(button int) uint8 {
	switch button {
	case 0:
		return 1 << 0
	case 1:
		return 1 << 1
	case 2:
		return 1 << 2
	case 3:
		return 1 << 7
	}
	return 0
}

// A Wheel turns WheelEvent deltas into clicks of X's wheel buttons: 4 up,
// 5 down, 6 left, 7 right. Small deltas (touchpads) add up until they make
// a click.
type Wheel struct {
	x, y float64
}

// Pixels per click, and pixels per line and per page for the deltas in
// those units; the numbers are noVNC's, which feel right in browsers.
const (
	wheelStep = 50
	wheelLine = 19
	wheelPage = 400
	maxClicks = 10 // per event: no scroll flood from a bogus delta
)

// Add takes one event's deltas in mode (0 pixels, 1 lines, 2 pages) and
// returns the buttons to click, in order.
func (w *Wheel) Add(dx, dy float64, mode int) []int {
	scale := 1.0
	switch mode {
	case 1:
		scale = wheelLine
	case 2:
		scale = wheelPage
	}
	if dx != dx || dy != dy { // NaN from a broken event
		return nil
	}
	w.x += dx * scale
	w.y += dy * scale
	var clicks []int
	for w.y <= -wheelStep && len(clicks) < maxClicks {
		clicks = append(clicks, 4)
		w.y += wheelStep
	}
	for w.y >= wheelStep && len(clicks) < maxClicks {
		clicks = append(clicks, 5)
		w.y -= wheelStep
	}
	for w.x <= -wheelStep && len(clicks) < maxClicks {
		clicks = append(clicks, 6)
		w.x += wheelStep
	}
	for w.x >= wheelStep && len(clicks) < maxClicks {
		clicks = append(clicks, 7)
		w.x -= wheelStep
	}
	if len(clicks) == maxClicks {
		w.x, w.y = 0, 0
	}
	return clicks
}

// Latin1 converts text to ISO 8859-1, the clipboard's encoding in RFB and
// in X's STRING: characters beyond it become '?', and line ends become
// "\n".
func Latin1(s string) []byte {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xff {
			r = '?'
		}
		b = append(b, byte(r))
	}
	return b
}

// FromLatin1 converts ISO 8859-1 text to a string.
func FromLatin1(b []byte) string {
	buf := make([]byte, 0, len(b))
	for _, c := range b {
		buf = utf8.AppendRune(buf, rune(c))
	}
	return string(buf)
}
