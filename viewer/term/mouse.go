package term

import "github.com/gdamore/tcell/v2"

// Pointer button bits as viewer.Session takes them: bit 0 is X button 1.
const (
	xButton1    = 1 << iota // left
	xButton2                // middle
	xButton3                // right
	xWheelUp                // button 4
	xWheelDown              // button 5
	xWheelLeft              // button 6
	xWheelRight             // button 7
)

// pointerButtons splits tcell's buttons into those held, as X numbers
// them, and the wheel's clicks, which are a press and release each.
// tcell calls the right button 2 and the middle one 3; X the reverse.
func pointerButtons(b tcell.ButtonMask) (held, wheel uint8) {
	if b&tcell.Button1 != 0 {
		held |= xButton1
	}
	if b&tcell.ButtonMiddle != 0 {
		held |= xButton2
	}
	if b&tcell.ButtonSecondary != 0 {
		held |= xButton3
	}
	if b&tcell.WheelUp != 0 {
		wheel |= xWheelUp
	}
	if b&tcell.WheelDown != 0 {
		wheel |= xWheelDown
	}
	if b&tcell.WheelLeft != 0 {
		wheel |= xWheelLeft
	}
	if b&tcell.WheelRight != 0 {
		wheel |= xWheelRight
	}
	return held, wheel
}
