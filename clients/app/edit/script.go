package edit

import (
	"fmt"
	"image"
	"math/rand/v2"
	"strings"
	"time"

	"netdisplay/clients/app"
	"netdisplay/protocol"
)

// words make up the document and the typing: plain English, so that the
// text on the screen looks like text.
var words = strings.Fields(`the a an of to in and or but for with on at by from as is are was were
be been it this that these those which what when where how why who all any each every some many
more most other such only own same so than too very can will just should now server client window
pixel display protocol request reply event image font text line screen network frame latency
bandwidth round trip drawing draws sends copies scrolls moves redraws changes region update viewer
program library cursor pointer keyboard button colour shape region buffer small large fast slow
remote local simple careful honest quiet early late first last next new old good better best`)

// document makes the long file the editor opens: seeded paragraphs under
// numbered headings, wrapped at 72 columns, some 400 lines.
func document(seed int64) [][]rune {
	rng := rand.New(rand.NewPCG(uint64(seed), 0xed17))
	var lines [][]rune
	add := func(s string) { lines = append(lines, []rune(s)) }
	for section := 1; len(lines) < 400; section++ {
		title := fmt.Sprintf("%d. %s", section, sentence(rng, 3+rng.IntN(4), false))
		add(title)
		add(strings.Repeat("=", len(title)))
		add("")
		for range 2 + rng.IntN(3) {
			var para []string
			for range 3 + rng.IntN(5) {
				para = append(para, sentence(rng, 5+rng.IntN(10), true))
			}
			for _, l := range wrap(strings.Join(para, " "), 72) {
				add(l)
			}
			add("")
		}
	}
	return lines
}

// sentence is n seeded words, capitalised, with a full stop if asked.
func sentence(rng *rand.Rand, n int, stop bool) string {
	w := make([]string, n)
	for i := range w {
		w[i] = words[rng.IntN(len(words))]
	}
	s := strings.ToUpper(w[0][:1]) + strings.Join(w, " ")[1:]
	if stop {
		s += "."
	}
	return s
}

// wrap breaks text into lines of at most width characters.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return append(lines, line)
}

// A typist builds a script of keys and buttons, each every so often.
type typist struct {
	e     *editor
	steps []app.Step
	at    time.Duration
}

func (t *typist) step(every time.Duration, do func()) {
	t.at += every
	t.steps = append(t.steps, app.Step{At: t.at, Do: do})
}

// press presses a key n times.
func (t *typist) press(every time.Duration, n int, sym protocol.Keysym, state uint16) {
	for range n {
		t.step(every, func() { t.e.key(sym, state) })
	}
}

// write types text, with Shift for capitals as a typist would.
func (t *typist) write(every time.Duration, text string) {
	for _, r := range text {
		var state uint16
		if r >= 'A' && r <= 'Z' {
			state = app.ShiftMask
		}
		t.press(every, 1, protocol.Keysym(r), state)
	}
}

// wheel turns the mouse wheel n times over the text: up if n < 0.
func (t *typist) wheel(every time.Duration, n int) {
	b := 5
	if n < 0 {
		b, n = 4, -n
	}
	mid := image.Pt(t.e.w.Size.X/2, t.e.w.Size.Y/2)
	for range n {
		t.step(every, func() { t.e.button(b, mid) })
	}
}

// Script types, moves, selects and scrolls. The short script does some
// 120 of these in under 2 seconds and ends with what it typed first
// selected; the benchmark's goes on for 20 seconds or more at a person's pace for
// typing and a mouse wheel's for scrolling.
func (e *editor) Script(name string) ([]app.Step, error) {
	t := &typist{e: e}
	const shift = app.ShiftMask
	if name == app.Short {
		const k = 15 * time.Millisecond
		t.press(k, 3, xkDown, 0)
		t.press(k, 1, xkEnd, 0)
		t.press(k, 1, xkReturn, 0)
		t.write(k, "The quick brown fox jumps over the lazy dog.")
		t.press(k, 4, xkLeft, shift)
		t.write(k, "cat.")
		t.press(k, 30, xkDown, 0)
		t.press(k, 2, xkNext, 0)
		t.wheel(k, -4)
		t.press(k, 1, xkReturn, 0)
		t.write(k, "Scrolled with CopyArea.")
		t.press(k, 1, xkHome, app.ControlMask)
		t.press(k, 4, xkDown, 0)
		t.press(k, 1, xkEnd, shift)
		return t.steps, nil
	}
	rng := rand.New(rand.NewPCG(uint64(e.w.Opt.Seed), 0xbe4c))
	for t.at < 20*time.Second {
		t.press(100*time.Millisecond, 1, xkReturn, 0)
		t.write(100*time.Millisecond, sentence(rng, 5+rng.IntN(6), true))
		t.press(80*time.Millisecond, 2+rng.IntN(6), xkUp, 0)
		t.press(80*time.Millisecond, 1, xkEnd, 0)
		t.press(60*time.Millisecond, 3+rng.IntN(8), xkLeft, shift)
		t.write(100*time.Millisecond, words[rng.IntN(len(words))])
		t.press(40*time.Millisecond, 25, xkDown, 0)
		t.press(300*time.Millisecond, 1, xkNext, 0)
		t.wheel(60*time.Millisecond, -6)
		t.press(300*time.Millisecond, 1, xkPrior, 0)
	}
	return t.steps, nil
}
