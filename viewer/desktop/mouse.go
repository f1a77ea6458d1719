package desktop

import (
	"image"
	"math"
)

// mouseIn is one tick of mouse input: where the pointer is in the
// window, the buttons pressed and released during the tick (bit 0 is
// X's button 1, the left; bit 1 the middle; bit 2 the right), and how
// far the wheel turned (positive y is up, positive x is left, as X11's
// buttons 4 and 6 report it).
type mouseIn struct {
	at             image.Point
	pressed        uint8
	released       uint8
	wheelX, wheelY float64
}

// A pointerEvent is one RFB-style pointer event: the position in the
// framebuffer and the buttons down.
type pointerEvent struct {
	x, y    int
	buttons uint8
}

// A mouse turns ebiten's mouse into pointer events for the display.
type mouse struct {
	buttons uint8       // held, as last sent
	at      image.Point // in the framebuffer, as last sent
	sent    bool        // at and buttons have been sent
	wheelX  float64     // wheel turns not yet sent: touchpads turn it by fractions
	wheelY  float64
}

// wheel buttons, as X numbers them, less one: bit numbers.
const (
	wheelUp    = 1 << 3
	wheelDown  = 1 << 4
	wheelLeft  = 1 << 5
	wheelRight = 1 << 6
)

// events returns the pointer events for one tick: a move, presses,
// wheel clicks (each a press and a release of buttons 4 to 7), then
// releases, so that a click within one tick still arrives as a press
// and a release at the same place. The pointer is not followed outside
// the picture unless a button is held there (a drag that strays keeps
// going, clamped to the edge), and presses and the wheel outside it are
// dropped.
func (m *mouse) events(in mouseIn, v view) []pointerEvent {
	p, inside := v.toFB(in.at)
	var evs []pointerEvent
	emit := func(b uint8) { evs = append(evs, pointerEvent{p.X, p.Y, b}) }
	if !inside && m.buttons == 0 {
		m.wheelX, m.wheelY = 0, 0
		in.pressed = 0
	}
	if (inside || m.buttons != 0) && (!m.sent || p != m.at) {
		emit(m.buttons)
	}
	if b := in.pressed &^ m.buttons; b != 0 {
		m.buttons |= b
		emit(m.buttons)
	}
	if inside || m.buttons != 0 {
		m.wheelY += in.wheelY
		m.wheelX += in.wheelX
		for _, w := range []struct {
			acc      *float64
			pos, neg uint8
		}{{&m.wheelY, wheelUp, wheelDown}, {&m.wheelX, wheelLeft, wheelRight}} {
			for math.Abs(*w.acc) >= 1 {
				b := w.pos
				if *w.acc < 0 {
					b = w.neg
					*w.acc++
				} else {
					*w.acc--
				}
				emit(m.buttons | b)
				emit(m.buttons)
			}
		}
	}
	if b := in.released & m.buttons; b != 0 {
		m.buttons &^= b
		emit(m.buttons)
	}
	if len(evs) > 0 {
		m.at, m.sent = p, true
	}
	return evs
}
