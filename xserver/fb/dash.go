package fb

// defaultDashes is the protocol's initial dash list.
var defaultDashes = []uint8{4, 4}

// dashList returns gc's dash list as the server keeps it: an odd-length
// list is repeated to make it even, as SetDashes specifies, so that even
// indexes are the even dashes. An empty list, or one holding a zero (which
// the protocol rejects), is replaced by the default [4 4] so that no dash
// walk can fail to advance.
func dashList(gc *GC) []uint8 {
	d := gc.Dashes
	if len(d) == 0 {
		return defaultDashes
	}
	for _, v := range d {
		if v == 0 {
			return defaultDashes
		}
	}
	if len(d)%2 == 1 {
		dd := make([]uint8, 2*len(d))
		copy(dd, d)
		copy(dd[len(d):], d)
		d = dd
	}
	return d
}

// dashLength returns the length of one period of the dash pattern.
func dashLength(d []uint8) int {
	n := 0
	for _, v := range d {
		n += int(v)
	}
	return n
}

// A dashPos is a position in a dash pattern: the index of the current dash
// and how far into it we are.
type dashPos struct {
	index  int
	offset int
}

// even reports whether the position is in an even ("on") dash.
func (p dashPos) even() bool { return p.index&1 == 0 }

// stepDash advances p by dist pixels along dashes d, as X.Org's miStepDash.
func stepDash(p dashPos, dist int, d []uint8) dashPos {
	if dist < int(d[p.index])-p.offset {
		p.offset += dist
		return p
	}
	dist -= int(d[p.index]) - p.offset
	p.index++
	if p.index == len(d) {
		p.index = 0
	}
	if total := dashLength(d); total <= dist {
		dist %= total
	}
	for dist >= int(d[p.index]) {
		dist -= int(d[p.index])
		p.index++
		if p.index == len(d) {
			p.index = 0
		}
	}
	p.offset = dist
	return p
}

// A dasher walks a dash pattern one pixel at a time, as fb's zero-width
// line code does.
type dasher struct {
	d     []uint8
	index int
	left  int // pixels left in the current dash
}

// newDasher starts a walk offset pixels into the pattern.
func newDasher(d []uint8, offset int) dasher {
	offset %= dashLength(d)
	i := 0
	for offset >= int(d[i]) {
		offset -= int(d[i])
		i++
		if i == len(d) {
			i = 0
		}
	}
	return dasher{d: d, index: i, left: int(d[i]) - offset}
}

func (w dasher) even() bool { return w.index&1 == 0 }

// step moves one pixel along.
func (w *dasher) step() {
	w.left--
	if w.left == 0 {
		w.index++
		if w.index == len(w.d) {
			w.index = 0
		}
		w.left = int(w.d[w.index])
	}
}

// dashOffset returns gc's dash offset as the protocol's CARD16.
func dashOffset(gc *GC) int { return gc.DashOffset & 0xffff }
