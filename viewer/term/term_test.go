package term

import (
	"context"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"

	"netdisplay/viewer"
)

const truecolor = 1 << 24

// gradient fills f with a different colour at every pixel.
func gradient(f *fakeSession) {
	b := f.img.Rect
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			f.img.SetRGBA(x, y, pixelAt(x, y))
		}
	}
	f.changed = b
}

func pixelAt(x, y int) color.RGBA {
	return color.RGBA{uint8(x * 30), uint8(y * 30), 100, 255}
}

// At 1:1 each cell shows two pixels: the upper half block's foreground
// is the top one, its background the bottom one.
func TestHalfBlocks(t *testing.T) {
	f := newFake(8, 8)
	gradient(f)
	v, s := attached(t, f, 10, 6, truecolor)
	v.view.setScale(1)
	v.full = true
	v.draw()
	for y := 0; y < 5; y++ {
		for x := 0; x < 10; x++ {
			text, fg, bg := cell(s, x, y)
			if x >= 8 || y >= 4 {
				if text != " " {
					t.Errorf("cell (%d,%d) = %q, want blank outside the framebuffer", x, y, text)
				}
				continue
			}
			if text != upperHalf || fg != rgbColor(pixelAt(x, 2*y)) || bg != rgbColor(pixelAt(x, 2*y+1)) {
				t.Errorf("cell (%d,%d) = %q fg %v bg %v, want %q fg %v bg %v", x, y, text, fg, bg,
					upperHalf, rgbColor(pixelAt(x, 2*y)), rgbColor(pixelAt(x, 2*y+1)))
			}
		}
	}
}

// Fitting averages every pixel a half-cell covers.
func TestDownscaleAverages(t *testing.T) {
	f := newFake(4, 4)
	white, black := color.RGBA{255, 255, 255, 255}, color.RGBA{0, 0, 0, 255}
	red, blue := color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 255, 255}
	green := color.RGBA{0, 200, 0, 255}
	px := [4][4]color.RGBA{
		{white, black, red, blue},
		{black, white, red, blue},
		{green, green, {10, 20, 30, 255}, {20, 30, 40, 255}},
		{green, green, {30, 40, 50, 255}, {40, 50, 61, 255}},
	}
	for y, r := range px {
		for x, c := range r {
			f.img.SetRGBA(x, y, c)
		}
	}
	// Two columns and one image row (the other is the status line):
	// 2x2 pixels a half-cell.
	v, s := attached(t, f, 2, 2, truecolor)
	if v.view.scale != 2 {
		t.Fatalf("fit scale = %v, want 2", v.view.scale)
	}
	for _, c := range []struct {
		x       int
		fg, bg  color.RGBA
		comment string
	}{
		{0, color.RGBA{128, 128, 128, 255}, green, "checkerboard over green"},
		{1, color.RGBA{128, 0, 128, 255}, color.RGBA{25, 35, 45, 255}, "red and blue over a mixture"},
	} {
		_, fg, bg := cell(s, c.x, 0)
		if fg != rgbColor(c.fg) || bg != rgbColor(c.bg) {
			t.Errorf("cell %d (%s): fg %v bg %v, want %v %v", c.x, c.comment, fg, bg, rgbColor(c.fg), rgbColor(c.bg))
		}
	}
}

func TestXtermPalette(t *testing.T) {
	for _, c := range []struct {
		r, g, b uint8
		want    int
	}{
		{0, 0, 0, 16},
		{255, 0, 0, 196},
		{255, 255, 255, 231},
		{95, 135, 175, 67},
		{128, 128, 128, 244},
		{100, 100, 100, 241},
		{8, 8, 8, 232},
		{238, 238, 238, 255},
		{250, 10, 5, 196},
	} {
		if got := xtermIndex(c.r, c.g, c.b); got != c.want {
			t.Errorf("xtermIndex(%d,%d,%d) = %d, want %d", c.r, c.g, c.b, got, c.want)
		}
	}
}

// Without truecolor, cells get palette colours.
func TestFallback256(t *testing.T) {
	f := newFake(2, 2)
	f.fill(image.Rect(0, 0, 2, 1), color.RGBA{255, 0, 0, 255})
	f.fill(image.Rect(0, 1, 2, 2), color.RGBA{128, 128, 128, 255})
	v, s := attached(t, f, 4, 3, 256)
	v.view.setScale(1)
	v.full = true
	v.draw()
	_, fg, bg := cell(s, 0, 0)
	if fg != tcell.PaletteColor(196) || bg != tcell.PaletteColor(244) {
		t.Errorf("256 colours: fg %v bg %v, want palette 196 and 244", fg, bg)
	}
	if depthOf(256) != xterm256 || depthOf(truecolor) != trueColor || depthOf(16) != fewColors {
		t.Errorf("depthOf is wrong")
	}
}

// Only the cells that show what changed are redrawn.
func TestPaintsWhatChanged(t *testing.T) {
	f := newFake(8, 8)
	v, s := attached(t, f, 10, 6, truecolor)
	v.view.setScale(1)
	v.full = true
	v.draw()
	s.Put(0, 0, "X", tcell.StyleDefault)
	s.Show()
	yellow := color.RGBA{255, 255, 0, 255}
	f.set(5, 7, yellow)
	v.draw()
	if text, _, _ := cell(s, 0, 0); text != "X" {
		t.Errorf("cell (0,0) was redrawn (%q) though nothing there changed", text)
	}
	if _, _, bg := cell(s, 5, 3); bg != rgbColor(yellow) {
		t.Errorf("cell (5,3) background = %v, want the changed pixel's %v", bg, rgbColor(yellow))
	}
	// A change of size repaints everything.
	f.mu.Lock()
	f.img = image.NewRGBA(image.Rect(0, 0, 4, 4))
	f.changed = image.Rectangle{}
	f.mu.Unlock()
	v.draw()
	if text, _, _ := cell(s, 0, 0); text != upperHalf {
		t.Errorf("after a resize cell (0,0) = %q, want it repainted", text)
	}
}

// A click lands on a pixel that the clicked cell shows, at every zoom and
// pan; some are checked by hand too.
func TestClickMapping(t *testing.T) {
	f := newFake(64, 48)
	v, _ := attached(t, f, 20, 11, truecolor)
	cases := []struct {
		name  string
		setup func()
		cell  image.Point
		want  image.Point
	}{
		{"fit", func() { v.view.fitAll() }, image.Pt(2, 1), image.Pt(8, 9)},
		{"1:1 panned", func() { v.view.pan = image.Pt(10, 7); v.view.setScale(1) }, image.Pt(3, 4), image.Pt(13, 16)},
		{"2:1 panned", func() { v.view.pan = image.Pt(6, 5); v.view.setScale(2) }, image.Pt(4, 2), image.Pt(15, 15)},
		{"1:2 zoomed in", func() { v.view.pan = image.Pt(3, 2); v.view.setScale(0.5) }, image.Pt(4, 2), image.Pt(5, 4)},
		{"zoomed in by keys", func() {
			v.view.fitAll()
			v.view.zoom(1 / zoomStep)
			v.view.move(1, 1)
		}, image.Pt(0, 0), image.Pt(-1, -1)},
	}
	for _, c := range cases {
		c.setup()
		if c.name == "fit" && v.view.scale != 3.2 {
			t.Fatalf("fit scale = %v, want 3.2", v.view.scale)
		}
		for cy := 0; cy < v.view.rows; cy++ {
			for cx := 0; cx < v.view.cols; cx++ {
				v.handle(tcell.NewEventMouse(cx, cy, tcell.Button1, 0))
				v.handle(tcell.NewEventMouse(cx, cy, tcell.ButtonNone, 0))
				ps := f.takePointers()
				if len(ps) != 2 || ps[0].buttons != xButton1 || ps[1].buttons != 0 {
					t.Fatalf("%s: click at (%d,%d) sent %v, want a press and a release", c.name, cx, cy, ps)
				}
				p := image.Pt(ps[0].x, ps[0].y)
				x0, x1 := span(v.view.xs, cx)
				y0, _ := span(v.view.ys, 2*cy)
				_, y1 := span(v.view.ys, 2*cy+1)
				inside := image.Rect(x0, y0, x1, y1).Intersect(image.Rect(0, 0, 64, 48))
				if !inside.Empty() && !p.In(inside) {
					t.Errorf("%s: click at cell (%d,%d) went to %v, outside the pixels it shows %v", c.name, cx, cy, p, inside)
				}
				if !p.In(image.Rect(0, 0, 64, 48)) {
					t.Errorf("%s: click went to %v, outside the framebuffer", c.name, p)
				}
				if image.Pt(cx, cy) == c.cell && c.want.X >= 0 && p != c.want {
					t.Errorf("%s: click at cell %v went to %v, want %v", c.name, c.cell, p, c.want)
				}
			}
		}
	}
}

func TestMouseButtonsDragAndWheel(t *testing.T) {
	f := newFake(20, 20)
	v, _ := attached(t, f, 20, 11, truecolor)
	v.view.setScale(1)
	p := func(x, y int, b uint8) pointerEvent { return pointerEvent{x, 2*y + 1, b} }
	for _, c := range []struct {
		name   string
		events []*tcell.EventMouse
		want   []pointerEvent
	}{
		{"drag", []*tcell.EventMouse{
			tcell.NewEventMouse(1, 1, tcell.Button1, 0),
			tcell.NewEventMouse(3, 2, tcell.Button1, 0),
			tcell.NewEventMouse(5, 3, tcell.Button1, 0),
			tcell.NewEventMouse(5, 3, tcell.ButtonNone, 0),
		}, []pointerEvent{p(1, 1, 1), p(3, 2, 1), p(5, 3, 1), p(5, 3, 0)}},
		{"right and middle", []*tcell.EventMouse{
			tcell.NewEventMouse(2, 2, tcell.ButtonSecondary, 0),
			tcell.NewEventMouse(2, 2, tcell.ButtonNone, 0),
			tcell.NewEventMouse(2, 2, tcell.ButtonMiddle, 0),
			tcell.NewEventMouse(2, 2, tcell.ButtonNone, 0),
		}, []pointerEvent{p(2, 2, 4), p(2, 2, 0), p(2, 2, 2), p(2, 2, 0)}},
		{"wheel", []*tcell.EventMouse{
			tcell.NewEventMouse(4, 1, tcell.WheelUp, 0),
			tcell.NewEventMouse(4, 1, tcell.WheelDown, 0),
		}, []pointerEvent{p(4, 1, 8), p(4, 1, 0), p(4, 1, 16), p(4, 1, 0)}},
		{"motion", []*tcell.EventMouse{
			tcell.NewEventMouse(6, 1, tcell.ButtonNone, 0),
			tcell.NewEventMouse(6, 1, tcell.ButtonNone, 0), // no move: nothing sent
			tcell.NewEventMouse(7, 1, tcell.ButtonNone, 0),
			tcell.NewEventMouse(7, 10, tcell.ButtonNone, 0), // the status line
		}, []pointerEvent{p(6, 1, 0), p(7, 1, 0)}},
	} {
		for _, ev := range c.events {
			v.handle(ev)
		}
		if got := f.takePointers(); !slices.Equal(got, c.want) {
			t.Errorf("%s: sent %v, want %v", c.name, got, c.want)
		}
	}
}

func press(syms ...uint32) []keyEvent {
	var k []keyEvent
	for _, s := range syms {
		k = append(k, keyEvent{s, true})
	}
	for i := len(syms) - 1; i >= 0; i-- {
		k = append(k, keyEvent{syms[i], false})
	}
	return k
}

func TestKeys(t *testing.T) {
	f := newFake(8, 8)
	v, _ := attached(t, f, 10, 6, truecolor)
	for _, c := range []struct {
		name string
		ev   *tcell.EventKey
		want []keyEvent
	}{
		{"letter", tcell.NewEventKey(tcell.KeyRune, 'a', 0), press('a')},
		{"shifted letter", tcell.NewEventKey(tcell.KeyRune, 'A', 0), press('A')},
		{"shifted letter, shift reported", tcell.NewEventKey(tcell.KeyRune, 'A', tcell.ModShift), press('A')},
		{"digit", tcell.NewEventKey(tcell.KeyRune, '7', 0), press('7')},
		{"shifted punctuation", tcell.NewEventKey(tcell.KeyRune, '!', 0), press('!')},
		{"punctuation", tcell.NewEventKey(tcell.KeyRune, '/', 0), press('/')},
		{"tilde", tcell.NewEventKey(tcell.KeyRune, '~', 0), press('~')},
		{"space", tcell.NewEventKey(tcell.KeyRune, ' ', 0), press(' ')},
		{"Latin-1 e acute", tcell.NewEventKey(tcell.KeyRune, 'é', 0), press(0xe9)},
		{"Latin-1 pound", tcell.NewEventKey(tcell.KeyRune, '£', 0), press(0xa3)},
		{"Latin-1 capital A ring", tcell.NewEventKey(tcell.KeyRune, 'Å', 0), press(0xc5)},
		{"beyond Latin-1", tcell.NewEventKey(tcell.KeyRune, '€', 0), press(0x10020ac)},
		{"Ctrl-C from a terminal", tcell.NewEventKey(tcell.KeyCtrlC, 0, tcell.ModCtrl), press(xkControlL, 'c')},
		{"Ctrl-C as a control code", tcell.NewEventKey(tcell.KeyRune, 3, 0), press(xkControlL, 'c')},
		{"Ctrl-Z", tcell.NewEventKey(tcell.KeyCtrlZ, 0, tcell.ModCtrl), press(xkControlL, 'z')},
		{"Ctrl-backslash", tcell.NewEventKey(tcell.KeyCtrlBackslash, 0, tcell.ModCtrl), press(xkControlL, '\\')},
		{"Ctrl-space", tcell.NewEventKey(tcell.KeyCtrlSpace, 0, tcell.ModCtrl), press(xkControlL, ' ')},
		{"Ctrl with a rune", tcell.NewEventKey(tcell.KeyRune, '1', tcell.ModCtrl), press(xkControlL, '1')},
		{"Alt-x", tcell.NewEventKey(tcell.KeyRune, 'x', tcell.ModAlt), press(xkAltL, 'x')},
		{"Enter", tcell.NewEventKey(tcell.KeyEnter, 0, 0), press(xkReturn)},
		{"Enter as CR", tcell.NewEventKey(tcell.KeyRune, '\r', 0), press(xkReturn)},
		{"Tab", tcell.NewEventKey(tcell.KeyTab, 0, 0), press(xkTab)},
		{"Shift-Tab", tcell.NewEventKey(tcell.KeyBacktab, 0, 0), press(xkShiftL, xkTab)},
		{"Backspace", tcell.NewEventKey(tcell.KeyBackspace, 0, 0), press(xkBackSpace)},
		{"Backspace as DEL", tcell.NewEventKey(tcell.KeyDEL, 0, 0), press(xkBackSpace)},
		{"Escape", tcell.NewEventKey(tcell.KeyEscape, 0, 0), press(xkEscape)},
		{"Up", tcell.NewEventKey(tcell.KeyUp, 0, 0), press(xkUp)},
		{"Down", tcell.NewEventKey(tcell.KeyDown, 0, 0), press(xkDown)},
		{"Left", tcell.NewEventKey(tcell.KeyLeft, 0, 0), press(xkLeft)},
		{"Right", tcell.NewEventKey(tcell.KeyRight, 0, 0), press(xkRight)},
		{"Shift-Right", tcell.NewEventKey(tcell.KeyRight, 0, tcell.ModShift), press(xkShiftL, xkRight)},
		{"Ctrl-Left", tcell.NewEventKey(tcell.KeyLeft, 0, tcell.ModCtrl), press(xkControlL, xkLeft)},
		{"Home", tcell.NewEventKey(tcell.KeyHome, 0, 0), press(xkHome)},
		{"End", tcell.NewEventKey(tcell.KeyEnd, 0, 0), press(xkEnd)},
		{"PgUp", tcell.NewEventKey(tcell.KeyPgUp, 0, 0), press(xkPrior)},
		{"PgDn", tcell.NewEventKey(tcell.KeyPgDn, 0, 0), press(xkNext)},
		{"Insert", tcell.NewEventKey(tcell.KeyInsert, 0, 0), press(xkInsert)},
		{"Delete", tcell.NewEventKey(tcell.KeyDelete, 0, 0), press(xkDelete)},
		{"F1", tcell.NewEventKey(tcell.KeyF1, 0, 0), press(0xffbe)},
		{"F5", tcell.NewEventKey(tcell.KeyF5, 0, 0), press(0xffc2)},
		{"F12", tcell.NewEventKey(tcell.KeyF12, 0, 0), press(0xffc9)},
		{"Ctrl-] Ctrl-] sends Ctrl-]", nil, press(xkControlL, ']')},
	} {
		if c.ev == nil {
			v.handle(tcell.NewEventKey(tcell.KeyCtrlRightSq, 0, tcell.ModCtrl))
			v.handle(tcell.NewEventKey(tcell.KeyCtrlRightSq, 0, tcell.ModCtrl))
		} else {
			v.handle(c.ev)
		}
		if got := f.takeKeys(); !slices.Equal(got, c.want) {
			t.Errorf("%s: sent %v, want %v", c.name, got, c.want)
		}
	}
}

// The viewer's own keys follow Ctrl-]; zoom and pan keys repeat until
// Escape, and none of them reaches the display.
func TestPrefixCommands(t *testing.T) {
	f := newFake(64, 48)
	v, s := attached(t, f, 20, 11, truecolor)
	prefix := func() { v.handle(tcell.NewEventKey(tcell.KeyCtrlRightSq, 0, tcell.ModCtrl)) }
	r := func(c rune) { v.handle(tcell.NewEventKey(tcell.KeyRune, c, 0)) }

	fit := v.view.scale
	prefix()
	r('+')
	r('+')
	if want := fit / zoomStep / zoomStep; v.view.scale < want*0.999 || v.view.scale > want*1.001 || v.view.fit {
		t.Errorf("after ^] + +: scale %v (fit %v), want %v", v.view.scale, v.view.fit, want)
	}
	pan := v.view.pan
	v.handle(tcell.NewEventKey(tcell.KeyRight, 0, 0))
	r('j')
	if v.view.pan.X <= pan.X || v.view.pan.Y <= pan.Y {
		t.Errorf("panning right and down moved from %v to %v", pan, v.view.pan)
	}
	v.draw()
	if got := row(s, 10); !strings.HasPrefix(got, "VIEW") {
		t.Errorf("status line in view mode = %q", got)
	}
	r('1')
	if v.view.scale != 1 {
		t.Errorf("^] 1: scale %v, want 1", v.view.scale)
	}
	r('0')
	if !v.view.fit || v.view.scale != fit {
		t.Errorf("^] 0: scale %v fit %v, want %v", v.view.scale, v.view.fit, fit)
	}
	v.handle(tcell.NewEventKey(tcell.KeyEscape, 0, 0))
	if got := f.takeKeys(); len(got) != 0 {
		t.Errorf("view keys reached the display: %v", got)
	}
	r('a')
	if got := f.takeKeys(); !slices.Equal(got, press('a')) {
		t.Errorf("after Escape, a sent %v", got)
	}

	// The status line goes and comes back.
	prefix()
	r('s')
	if v.status || v.view.rows != 11 {
		t.Errorf("^] s: status %v, %d image rows; want none and 11", v.status, v.view.rows)
	}
	prefix()
	r('s')

	// Help shows, and the next key only closes it.
	prefix()
	r('?')
	v.draw()
	var shown bool
	for y := 0; y < 11; y++ {
		shown = shown || strings.Contains(row(s, y), "netdisplay term")
	}
	if !shown {
		t.Errorf("^] ? shows no help")
	}
	r('x')
	if v.help || len(f.takeKeys()) != 0 {
		t.Errorf("a key after the help: help %v, keys sent", v.help)
	}

	prefix()
	r('q')
	if !v.quit {
		t.Errorf("^] q does not quit")
	}
}

func TestStatusLine(t *testing.T) {
	f := newFake(64, 48)
	f.stats = viewer.Stats{
		Mode: "rfb", BytesIn: 123456, BytesOut: 789, InPerSec: 2048, OutPerSec: 10,
		Updates: 50, UpdatesPerSec: 25, UpdateKind: "updates", InputLatency: 12345 * time.Microsecond,
	}
	v, s := attached(t, f, 200, 10, truecolor)
	v.draw()
	got := row(s, 9)
	for _, want := range []string{"rfb vnc://fake:5900 64x48", "in 2.05kB/s 123kB", "out 10B/s 789B", "25.0 updates/s", "input 12.3ms", "fit", "^] ? help"} {
		if !strings.Contains(got, want) {
			t.Errorf("status line %q lacks %q", got, want)
		}
	}
	x := statusText(viewer.Stats{Mode: "x11", UpdateKind: "requests", UpdatesPerSec: 1500}, ":7", &view{scale: 1}, true)
	if !strings.Contains(x, "x11 :7") || !strings.Contains(x, "1500.0 requests/s") || !strings.Contains(x, "input -") || !strings.Contains(x, "1:1, display follows") {
		t.Errorf("X mode status line = %q", x)
	}
}

// The f command resizes the display to the terminal at the current
// scale, and keeps doing so when the terminal changes size.
func TestFollowTerminal(t *testing.T) {
	f := newFake(64, 48)
	v, s := attached(t, f, 20, 11, truecolor)
	v.handle(tcell.NewEventKey(tcell.KeyCtrlRightSq, 0, tcell.ModCtrl))
	v.handle(tcell.NewEventKey(tcell.KeyRune, 'f', 0))
	s.SetSize(30, 11)
	v.handle(tcell.NewEventResize(30, 11))
	want := []image.Point{{64, 64}, {96, 64}}
	f.mu.Lock()
	got := f.resizes
	f.mu.Unlock()
	if !slices.Equal(got, want) {
		t.Errorf("resizes %v, want %v", got, want)
	}
}

func TestClipboard(t *testing.T) {
	f := newFake(8, 8)
	v, s := attached(t, f, 10, 6, truecolor)
	// A bracketed paste becomes the display's cut text, not typing.
	v.handle(tcell.NewEventPaste(true))
	for _, r := range "hé€" {
		v.handle(tcell.NewEventKey(tcell.KeyRune, r, 0))
	}
	v.handle(tcell.NewEventKey(tcell.KeyEnter, 0, 0))
	v.handle(tcell.NewEventPaste(false))
	f.mu.Lock()
	cut := string(f.cut)
	f.mu.Unlock()
	if cut != "h\xe9?\n" || len(f.takeKeys()) != 0 {
		t.Errorf("paste sent cut text %q, want %q, and no keys", cut, "h\xe9?\n")
	}
	// The display's cut text goes to the terminal's clipboard.
	f.mu.Lock()
	f.clip = []byte("caf\xe9")
	f.mu.Unlock()
	v.clipboard()
	if got := string(s.GetClipboardData()); got != "café" {
		t.Errorf("terminal clipboard = %q, want %q", got, "café")
	}
}

func TestStatsFile(t *testing.T) {
	f := newFake(8, 8)
	f.stats = viewer.Stats{Mode: "rfb", BytesIn: 4242, UpdateKind: "updates"}
	v, _ := attached(t, f, 10, 6, truecolor)
	v.opts.StatsFile = filepath.Join(t.TempDir(), "stats.json")
	if err := v.writeStats(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(v.opts.StatsFile)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got["mode"] != "rfb" || got["bytes_in"] != 4242.0 || got["target"] != "vnc://fake:5900" || got["connected"] != true {
		t.Errorf("stats file = %s", b)
	}
}

// do runs f in the viewer's goroutine, where looking at the screen is
// safe while Run draws.
func do(t testing.TB, s tcell.Screen, f func()) {
	t.Helper()
	done := make(chan struct{})
	if err := s.PostEvent(tcell.NewEventInterrupt(func() { f(); close(done) })); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the viewer did not run a posted function in 10s")
	}
}

// screenHas reports whether any row of the running viewer's screen
// contains text.
func screenHas(t testing.TB, s tcell.SimulationScreen, text string) bool {
	var found bool
	do(t, s, func() {
		_, _, h := s.GetContents()
		for y := 0; y < h; y++ {
			found = found || strings.Contains(row(s, y), text)
		}
	})
	return found
}

// A lost connection says so and reconnects on r; q then quits.
func TestLostAndReconnect(t *testing.T) {
	s := newSim(t, 80, 12)
	first, second := newFake(8, 8), newFake(8, 8)
	green := color.RGBA{0, 200, 0, 255}
	second.fill(second.img.Rect, green)
	sessions := make(chan *fakeSession, 2)
	sessions <- first
	sessions <- second
	var opens atomic.Int32
	v := New(s, Options{Target: "vnc://fake:5900", Colors: truecolor, Open: func(context.Context) (viewer.Session, error) {
		opens.Add(1)
		select {
		case f := <-sessions:
			return f, nil
		default:
			return nil, errors.New("no more sessions")
		}
	}})
	errc := make(chan error, 1)
	go func() { errc <- v.Run(context.Background()) }()

	eventually(t, "the first session shown", 5*time.Second, func() bool { return screenHas(t, s, "rfb vnc://fake:5900 8x8") })
	first.drop(io.EOF)
	eventually(t, "the lost message", 5*time.Second, func() bool {
		return screenHas(t, s, "connection to vnc://fake:5900 lost: the other side closed it") && screenHas(t, s, "r reconnects, q quits")
	})
	s.InjectKey(tcell.KeyRune, 'r', 0)
	eventually(t, "the second session shown", 5*time.Second, func() bool {
		var fg tcell.Color
		do(t, s, func() { _, fg, _ = cell(s, 0, 0) })
		return fg == rgbColor(green)
	})
	if screenHas(t, s, "lost") {
		t.Errorf("the lost message stays after reconnecting")
	}
	s.InjectKey(tcell.KeyCtrlRightSq, 0, tcell.ModCtrl)
	s.InjectKey(tcell.KeyRune, 'q', 0)
	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("Run = %v after quitting a live session, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after ^] q")
	}
	if opens.Load() != 2 || !first.closed || !second.closed {
		t.Errorf("opened %d sessions (want 2); closed first %v second %v", opens.Load(), first.closed, second.closed)
	}
}

// A refused connection says why, offers to retry, and Run returns the
// reason when the user gives up.
func TestOpenFails(t *testing.T) {
	s := newSim(t, 100, 12)
	var opens atomic.Int32
	v := New(s, Options{Target: "vnc://fake:5900", Colors: truecolor, Open: func(context.Context) (viewer.Session, error) {
		opens.Add(1)
		return nil, errors.New("rfb: authentication failed")
	}})
	errc := make(chan error, 1)
	go func() { errc <- v.Run(context.Background()) }()
	eventually(t, "the failure message", 5*time.Second, func() bool {
		return screenHas(t, s, "cannot connect to vnc://fake:5900: rfb: authentication failed")
	})
	s.InjectKey(tcell.KeyRune, 'r', 0)
	eventually(t, "a second attempt", 5*time.Second, func() bool {
		var settled bool
		do(t, s, func() { settled = !v.conn.Opening() && opens.Load() == 2 })
		return settled
	})
	s.InjectKey(tcell.KeyRune, 'q', 0)
	select {
	case err := <-errc:
		if err == nil || !strings.Contains(err.Error(), "authentication failed") {
			t.Errorf("Run = %v, want the reason", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after q")
	}
}
