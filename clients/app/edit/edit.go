// Package edit is a text editor: typing, cursor movement, selection with
// Shift or the mouse, and scrolling of a long file, all in a fixed-width
// font. Text is drawn with ImageText8, a line at a time, and scrolling
// moves what is already on the screen with CopyArea and draws only the
// lines that come into view: what X was designed for.
//
// The screen is redrawn by comparison: each row remembers what it shows,
// and after each key only the rows whose text, selection or cursor
// changed are drawn again. The status line at the bottom says where the
// cursor is: with the typed text itself, the benchmark's marker of the
// input handled.
package edit

import (
	"context"
	"fmt"
	"image"
	"image/color"

	"netdisplay/clients/app"
	"netdisplay/protocol"
	"netdisplay/xlib"
)

// App is the editor.
var App = app.App{
	Name:       "edit",
	Size:       image.Pt(560, 400),
	Background: paper,
	Input: protocol.EventMaskKeyPress | protocol.EventMaskButtonPress |
		protocol.EventMaskButtonRelease | protocol.EventMaskButton1Motion,
	New: newEditor,
}

// Run runs the editor on c until ctx is done; see app.Run.
func Run(ctx context.Context, c *xlib.Conn, opt app.Options) error {
	return app.Run(ctx, c, App, opt)
}

var (
	paper     = color.RGBA{0xfd, 0xfd, 0xf6, 0xff}
	ink       = color.RGBA{0x1e, 0x1e, 0x1e, 0xff}
	highlight = color.RGBA{0xb5, 0xd5, 0xff, 0xff}
	cursor    = color.RGBA{0x2f, 0x6f, 0xd6, 0xff}
	bar       = color.RGBA{0x3a, 0x3f, 0x4b, 0xff}
	barText   = color.RGBA{0xe8, 0xe8, 0xe8, 0xff}
)

// The margins around the text, in pixels.
const (
	leftMargin = 4
	topMargin  = 2
)

// A row is what one row of the screen shows: a line's visible text, the
// columns selected in it, and the cursor's column if it is there.
type row struct {
	text           string
	selFrom, selTo int
	cursor         int // -1 if not on this row
	valid          bool
}

type editor struct {
	w      *app.Window
	font   *app.Font
	keymap *app.Keymap
	buf    buffer
	cur    pos  // the cursor
	anchor pos  // the other end of the selection
	sel    bool // whether there is a selection
	goal   int  // the column Up and Down aim for
	top    int  // the first line on the screen
	rows   []row
	status string // the status line as drawn
	size   image.Point

	text, selected, caret, paper, bar, copy xlib.GC
}

func newEditor(w *app.Window) (app.Program, error) {
	font, err := w.OpenFont("-misc-fixed-medium-r-normal--13-120-75-75-c-70-iso8859-1")
	if err != nil {
		return nil, err
	}
	e := &editor{
		w:        w,
		font:     font,
		buf:      buffer{lines: document(w.Opt.Seed)},
		text:     w.GC(xlib.Foreground(w.Pixel(ink)), xlib.Background(w.Pixel(paper)), xlib.GCFont(font.ID)),
		selected: w.GC(xlib.Foreground(w.Pixel(ink)), xlib.Background(w.Pixel(highlight)), xlib.GCFont(font.ID)),
		caret:    w.GC(xlib.Foreground(w.Pixel(color.White)), xlib.Background(w.Pixel(cursor)), xlib.GCFont(font.ID)),
		paper:    w.GC(xlib.Foreground(w.Pixel(paper))),
		bar:      w.GC(xlib.Foreground(w.Pixel(barText)), xlib.Background(w.Pixel(bar)), xlib.GCFont(font.ID)),
		// Scrolling copies: if the window is partly covered, the server
		// says which parts it could not copy (GraphicsExpose), and the
		// framework redraws.
		copy: w.GC(xlib.GraphicsExposures(true)),
	}
	e.size = w.Size
	e.rows = make([]row, e.visibleRows())
	if w.Opt.Script == "" {
		if e.keymap, err = app.NewKeymap(w.Conn); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// The geometry of the text at the window's size.
func (e *editor) lineHeight() int { return e.font.Height() }
func (e *editor) charWidth() int  { return e.font.Width("m") }
func (e *editor) statusTop() int  { return e.w.Size.Y - e.lineHeight() - 4 }
func (e *editor) visibleRows() int {
	return max((e.statusTop()-topMargin)/e.lineHeight(), 1)
}
func (e *editor) columns() int   { return max((e.w.Size.X-leftMargin)/e.charWidth(), 1) }
func (e *editor) rowY(r int) int { return topMargin + r*e.lineHeight() }

// Draw draws the window whole.
func (e *editor) Draw() {
	w := e.w
	if e.size != w.Size || len(e.rows) != e.visibleRows() {
		e.size = w.Size
		e.rows = make([]row, e.visibleRows())
		e.top = e.showingCursor()
	}
	w.FillRectangles(w.ID, e.paper, image.Rect(0, 0, w.Size.X, e.statusTop()))
	for i := range e.rows {
		e.rows[i].valid = false
	}
	e.status = ""
	e.redisplay()
}

// redisplay draws the rows that do not show what they should, and the
// status line if it changed.
func (e *editor) redisplay() {
	for r := range e.rows {
		want := e.row(e.top + r)
		if want != e.rows[r] {
			e.drawRow(r, want)
			e.rows[r] = want
		}
	}
	from, to := e.selection()
	status := fmt.Sprintf(" line %d of %d, column %d", e.cur.line+1, len(e.buf.lines), e.cur.col+1)
	if e.sel {
		status += fmt.Sprintf(", %d selected", e.buf.count(from, to))
	}
	if status != e.status {
		w := e.w
		y := e.statusTop()
		w.FillRectangles(w.ID, e.bar, image.Rect(0, y, w.Size.X, w.Size.Y))
		w.ImageText8(w.ID, e.bar, image.Pt(leftMargin, y+2+e.font.Ascent), status)
		e.status = status
	}
}

// row is what line n should show.
func (e *editor) row(n int) row {
	r := row{cursor: -1, valid: true}
	if n >= len(e.buf.lines) {
		return r
	}
	line := e.buf.lines[n]
	r.text = string(line[:min(len(line), e.columns())])
	if from, to := e.selection(); e.sel && from.line <= n && n <= to.line {
		r.selFrom, r.selTo = 0, len(line)+1 // the line break is selected too
		if n == from.line {
			r.selFrom = from.col
		}
		if n == to.line {
			r.selTo = to.col
		}
	}
	if e.cur.line == n {
		r.cursor = e.cur.col
	}
	return r
}

// drawRow draws a row: its text in runs of the same colours, then the
// paper to the right edge.
func (e *editor) drawRow(n int, r row) {
	w := e.w
	text := []rune(r.text)
	end := len(text)
	if r.cursor >= end {
		end = r.cursor + 1 // the cursor after the text is a blank cell
	}
	if r.selTo > r.selFrom {
		end = max(end, min(r.selTo, e.columns()))
	}
	baseline := e.rowY(n) + e.font.Ascent
	cw := e.charWidth()
	gcAt := func(i int) xlib.GC {
		switch {
		case i == r.cursor:
			return e.caret
		case i >= r.selFrom && i < r.selTo:
			return e.selected
		}
		return e.text
	}
	for i := 0; i < end; {
		gc := gcAt(i)
		j := i + 1
		for j < end && j-i < 255 && gcAt(j) == gc { // ImageText8's limit
			j++
		}
		run := make([]rune, j-i)
		for k := range run {
			run[k] = ' '
			if i+k < len(text) {
				run[k] = text[i+k]
			}
		}
		w.ImageText8(w.ID, gc, image.Pt(leftMargin+i*cw, baseline), string(run))
		i = j
	}
	w.FillRectangles(w.ID, e.paper, image.Rect(leftMargin+end*cw, e.rowY(n), w.Size.X, e.rowY(n+1)))
}

// scrollRows moves the screen rows [from, to) by rows down (up if
// negative) with CopyArea: the rows it uncovers are drawn afresh by the
// next redisplay.
func (e *editor) scrollRows(from, to, by int) {
	n := to - from - abs(by)
	if by == 0 || n <= 0 {
		for r := max(from, 0); r < min(to, len(e.rows)); r++ {
			e.rows[r].valid = false
		}
		return
	}
	w := e.w
	src := from
	if by < 0 {
		src = from - by
	}
	h := e.lineHeight()
	r := image.Rect(0, e.rowY(src), w.Size.X, e.rowY(src+n))
	w.CopyArea(w.ID, w.ID, e.copy, r, image.Pt(0, r.Min.Y+by*h))
	moved := append([]row(nil), e.rows[src:src+n]...)
	copy(e.rows[src+by:], moved)
	for r := from; r < to; r++ {
		if r < src+by || r >= src+by+n {
			e.rows[r].valid = false
		}
	}
}

// scrollTo shows line n at the top of the screen.
func (e *editor) scrollTo(n int) {
	n = max(0, min(n, len(e.buf.lines)-1))
	if n == e.top {
		return
	}
	e.scrollRows(0, len(e.rows), e.top-n)
	e.top = n
}

// scrollIntoView scrolls, as little as it can, so the cursor is on the
// screen.
func (e *editor) scrollIntoView() { e.scrollTo(e.showingCursor()) }

// showingCursor is the top line nearest the current one that has the
// cursor on the screen.
func (e *editor) showingCursor() int {
	switch rows := len(e.rows); {
	case e.cur.line < e.top:
		return e.cur.line
	case e.cur.line >= e.top+rows:
		return e.cur.line - rows + 1
	}
	return e.top
}

// selection returns the selection's ends in order.
func (e *editor) selection() (from, to pos) {
	if e.anchor.before(e.cur) {
		return e.anchor, e.cur
	}
	return e.cur, e.anchor
}

// deleteSelection removes the selected text, if any, and says whether
// there was some.
func (e *editor) deleteSelection() bool {
	if !e.sel {
		return false
	}
	from, to := e.selection()
	e.sel = false
	gone := e.buf.remove(from, to)
	e.linesRemoved(from.line+1, gone)
	e.cur = from
	return true
}

// linesInserted and linesRemoved move the rows below an edit on the
// screen, as the lines moved in the buffer.
func (e *editor) linesInserted(at, n int) {
	if r := at - e.top; r >= 0 && r < len(e.rows) && n > 0 {
		e.scrollRows(r, len(e.rows), n)
	}
}

func (e *editor) linesRemoved(at, n int) {
	if r := at - e.top; r >= 0 && r < len(e.rows) && n > 0 {
		e.scrollRows(r, len(e.rows), -n)
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
