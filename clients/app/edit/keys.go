package edit

import (
	"image"

	"netdisplay/clients/app"
	"netdisplay/protocol"
)

// The keysyms the editor acts on, beyond the characters.
const (
	xkBackSpace = 0xff08
	xkTab       = 0xff09
	xkReturn    = 0xff0d
	xkKPEnter   = 0xff8d
	xkHome      = 0xff50
	xkLeft      = 0xff51
	xkUp        = 0xff52
	xkRight     = 0xff53
	xkDown      = 0xff54
	xkPrior     = 0xff55 // Page Up
	xkNext      = 0xff56 // Page Down
	xkEnd       = 0xff57
	xkDelete    = 0xffff
)

// wheel is how many lines a turn of the mouse wheel scrolls.
const wheel = 3

// Input turns keys and buttons into editing.
func (e *editor) Input(ev protocol.Event) {
	switch ev := ev.(type) {
	case *protocol.KeyPressEvent:
		e.key(e.keymap.Lookup(ev.Detail, ev.State), ev.State)
	case *protocol.ButtonPressEvent:
		e.button(int(ev.Detail), image.Pt(int(ev.EventX), int(ev.EventY)))
	case *protocol.MotionNotifyEvent:
		if ev.State&protocol.KeyButMaskButton1 != 0 {
			e.drag(image.Pt(int(ev.EventX), int(ev.EventY)))
		}
	case *protocol.MappingNotifyEvent:
		if ev.Request == protocol.MappingKeyboard {
			if k, err := app.NewKeymap(e.w.Conn); err == nil {
				e.keymap = k
			}
		}
	}
}

// key does what a key does, with the modifiers in state.
func (e *editor) key(sym protocol.Keysym, state uint16) {
	shift := state&app.ShiftMask != 0
	ctrl := state&app.ControlMask != 0
	if r, ok := app.Rune(sym); ok && !ctrl {
		e.deleteSelection()
		e.cur = e.buf.insert(e.cur, r)
		e.edited()
		return
	}
	rows := len(e.rows)
	switch sym {
	case xkReturn, xkKPEnter:
		e.deleteSelection()
		e.cur = e.buf.split(e.cur)
		e.linesInserted(e.cur.line, 1)
		e.edited()
	case xkTab:
		e.deleteSelection()
		for {
			e.cur = e.buf.insert(e.cur, ' ')
			if e.cur.col%4 == 0 {
				break
			}
		}
		e.edited()
	case xkBackSpace:
		switch {
		case e.deleteSelection():
		case e.cur.col > 0:
			e.buf.remove(pos{e.cur.line, e.cur.col - 1}, e.cur)
			e.cur.col--
		case e.cur.line > 0:
			prev := pos{e.cur.line - 1, len(e.buf.lines[e.cur.line-1])}
			e.buf.join(prev.line)
			e.linesRemoved(e.cur.line, 1)
			e.cur = prev
		}
		e.edited()
	case xkDelete:
		switch {
		case e.deleteSelection():
		case e.cur.col < len(e.buf.lines[e.cur.line]):
			e.buf.remove(e.cur, pos{e.cur.line, e.cur.col + 1})
		case e.cur.line+1 < len(e.buf.lines):
			e.buf.join(e.cur.line)
			e.linesRemoved(e.cur.line+1, 1)
		}
		e.edited()
	case xkLeft:
		e.move(shift, e.left())
	case xkRight:
		e.move(shift, e.right())
	case xkUp:
		e.moveLine(shift, -1)
	case xkDown:
		e.moveLine(shift, +1)
	case xkPrior:
		e.scrollTo(e.top - (rows - 1))
		e.moveLine(shift, -(rows - 1))
	case xkNext:
		e.scrollTo(min(e.top+rows-1, max(len(e.buf.lines)-rows, 0)))
		e.moveLine(shift, rows-1)
	case xkHome:
		if ctrl {
			e.move(shift, pos{})
		} else {
			e.move(shift, pos{e.cur.line, 0})
		}
	case xkEnd:
		if ctrl {
			last := len(e.buf.lines) - 1
			e.move(shift, pos{last, len(e.buf.lines[last])})
		} else {
			e.move(shift, pos{e.cur.line, len(e.buf.lines[e.cur.line])})
		}
	}
}

// edited follows a change to the text.
func (e *editor) edited() {
	e.goal = e.cur.col
	e.scrollIntoView()
	e.redisplay()
}

// move puts the cursor at p, extending the selection with Shift and
// dropping it without.
func (e *editor) move(shift bool, p pos) {
	e.moveTo(shift, p)
	e.goal = e.cur.col
	e.scrollIntoView()
	e.redisplay()
}

// moveLine moves the cursor n lines down (up if negative), aiming for the
// goal column.
func (e *editor) moveLine(shift bool, n int) {
	e.moveTo(shift, e.buf.clamp(pos{e.cur.line + n, e.goal}))
	e.scrollIntoView()
	e.redisplay()
}

func (e *editor) moveTo(shift bool, p pos) {
	if shift && !e.sel {
		e.sel, e.anchor = true, e.cur
	} else if !shift {
		e.sel = false
	}
	e.cur = p
	if e.sel && e.cur == e.anchor {
		e.sel = false
	}
}

func (e *editor) left() pos {
	switch {
	case e.cur.col > 0:
		return pos{e.cur.line, e.cur.col - 1}
	case e.cur.line > 0:
		return pos{e.cur.line - 1, len(e.buf.lines[e.cur.line-1])}
	}
	return e.cur
}

func (e *editor) right() pos {
	switch {
	case e.cur.col < len(e.buf.lines[e.cur.line]):
		return pos{e.cur.line, e.cur.col + 1}
	case e.cur.line+1 < len(e.buf.lines):
		return pos{e.cur.line + 1, 0}
	}
	return e.cur
}

// at is the position of the character cell under a point of the window.
func (e *editor) at(p image.Point) pos {
	r := max(0, min((p.Y-topMargin)/e.lineHeight(), len(e.rows)-1))
	c := max(0, (p.X-leftMargin+e.charWidth()/2)/e.charWidth())
	return e.buf.clamp(pos{e.top + r, c})
}

// button: the first puts the cursor where it is pressed; the wheel
// (4 and 5) scrolls without moving the cursor.
func (e *editor) button(b int, p image.Point) {
	switch b {
	case 1:
		e.move(false, e.at(p))
	case 4:
		e.scrollTo(e.top - wheel)
		e.redisplay()
	case 5:
		e.scrollTo(min(e.top+wheel, max(len(e.buf.lines)-len(e.rows), 0)))
		e.redisplay()
	}
}

// drag selects from where the first button went down to p.
func (e *editor) drag(p image.Point) {
	e.move(true, e.at(p))
}
