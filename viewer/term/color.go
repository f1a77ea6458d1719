package term

import "github.com/gdamore/tcell/v2"

// A depth is how many colours the terminal shows, which decides how a
// pixel's colour is sent to it.
type depth int

const (
	fewColors depth = iota // fewer than 256: tcell fits RGB to the palette
	xterm256               // the xterm 256-colour palette
	trueColor              // 24-bit RGB
)

func depthOf(colors int) depth {
	switch {
	case colors >= 1<<24:
		return trueColor
	case colors >= 256:
		return xterm256
	}
	return fewColors
}

// color returns the terminal colour for an RGB pixel.
func (d depth) color(r, g, b uint8) tcell.Color {
	if d == xterm256 {
		return tcell.PaletteColor(xtermIndex(r, g, b))
	}
	// With fewer colours tcell finds the nearest of the few itself; it is
	// slow, but such terminals are rare and small.
	return tcell.NewRGBColor(int32(r), int32(g), int32(b))
}

// The xterm palette beyond the 16 system colours (whose values vary with
// the terminal's theme, so are never chosen): a 6x6x6 cube from 16, and
// 24 greys from 232.
var cubeLevels = [6]int{0, 95, 135, 175, 215, 255}

// cubeStep maps a channel value to the nearest cube level.
var cubeStep [256]uint8

func init() {
	for v := range cubeStep {
		best := 0
		for i, l := range cubeLevels {
			if abs(v-l) < abs(v-cubeLevels[best]) {
				best = i
			}
		}
		cubeStep[v] = uint8(best)
	}
}

// xtermIndex returns the palette index nearest to (r, g, b): the nearest
// cube colour or the nearest grey, whichever is closer.
func xtermIndex(r, g, b uint8) int {
	ri, gi, bi := cubeStep[r], cubeStep[g], cubeStep[b]
	cube := 16 + 36*int(ri) + 6*int(gi) + int(bi)
	cr, cg, cb := cubeLevels[ri], cubeLevels[gi], cubeLevels[bi]
	dCube := sq(int(r)-cr) + sq(int(g)-cg) + sq(int(b)-cb)

	avg := (int(r) + int(g) + int(b)) / 3
	gi2 := min(max((avg-8+5)/10, 0), 23) // greys are 8, 18, ..., 238
	gv := 8 + 10*gi2
	dGrey := sq(int(r)-gv) + sq(int(g)-gv) + sq(int(b)-gv)
	if dGrey < dCube {
		return 232 + gi2
	}
	return cube
}

func sq(x int) int { return x * x }

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
