// Package term is netdisplay's terminal viewer. It shows a
// viewer.Session in a terminal through tcell, two pixels a cell (the
// upper half block, foreground above background), scaled down by
// averaging to fit or zoomed and panned, in 24-bit colour or the xterm
// 256-colour palette. The terminal's keys, clicks, drags and wheel go to
// the display; a status line shows what the session's mode costs.
//
// The viewer's own commands follow a prefix key, Ctrl-], so that every
// other key reaches the display; see helpText.
package term

import (
	"context"
	"fmt"
	"image"
	"slices"
	"time"

	"github.com/gdamore/tcell/v2"

	"netdisplay/viewer"
)

// Options say what a Viewer shows and how.
type Options struct {
	// Target names what is shown, for messages before a session opens.
	Target string
	// Open opens a session. The viewer calls it at the start and to
	// reconnect, and closes what it returns.
	Open func(ctx context.Context) (viewer.Session, error)
	// Opened, if set, is called with each session that opens.
	Opened func(viewer.Session)
	// Colors is how many colours the terminal shows; zero asks the
	// screen. 1<<24 is truecolor; 256 uses the xterm palette.
	Colors int
	// StatsFile, if set, is rewritten with the statistics as JSON every
	// second, and when the w command asks.
	StatsFile string
	// FrameInterval is the least time between redraws, so that a
	// framebuffer that never stops changing costs a bounded rate of
	// redraws; zero means 20 ms.
	FrameInterval time.Duration
}

// A Viewer shows sessions on a terminal screen.
type Viewer struct {
	screen tcell.Screen
	opts   Options
	view   view
	paint  painter

	ctx  context.Context
	conn *viewer.Connection

	prefix  bool // after Ctrl-]: the next key is a command
	viewing bool // the prefix stays for more zoom and pan keys
	help    bool
	status  bool
	follow  float64 // when not zero, the display follows the terminal's size at this scale
	notice  string
	until   time.Time // when the notice goes

	full     bool // the whole image area needs painting
	dirty    bool // something needs showing
	lastDraw time.Time
	timer    *time.Timer
	quit     bool

	buttons uint8 // pointer buttons held
	pointer image.Point
	pointed bool
	pasting bool
	paste   []rune
	clip    []byte // the display's cut text, as last given to the terminal

	redraws    int64
	lastCount  int64
	lastRate   time.Time
	redrawRate float64
}

// New returns a viewer drawing on screen, which the caller has
// initialized and finalizes after Run.
func New(screen tcell.Screen, opts Options) *Viewer {
	if opts.FrameInterval == 0 {
		opts.FrameInterval = 20 * time.Millisecond
	}
	colors := opts.Colors
	if colors == 0 {
		colors = screen.Colors()
	}
	t := &Viewer{screen: screen, opts: opts, status: true, conn: viewer.NewConnection(opts.Target, opts.Open)}
	t.paint = painter{screen: screen, depth: depthOf(colors), view: &t.view}
	t.view.fit = true
	return t
}

// Run shows sessions until the user quits or ctx is done. It returns
// why nothing was shown if the user quit while disconnected.
func (t *Viewer) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	t.ctx = ctx
	t.screen.EnableMouse(tcell.MouseMotionEvents)
	t.screen.EnablePaste()
	t.screen.SetTitle("netdisplay " + t.opts.Target)
	events := make(chan tcell.Event, 64)
	stop := make(chan struct{})
	go t.screen.ChannelEvents(events, stop)
	defer close(stop)
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()

	t.relayout()
	t.full, t.dirty = true, true
	t.open()
	for !t.quit {
		var updated, done <-chan struct{}
		if t.conn.Live() {
			sess := t.conn.Session()
			updated, done = sess.Updated(), sess.Done()
		}
		var wake <-chan time.Time
		if t.timer != nil {
			wake = t.timer.C
		}
		select {
		case <-ctx.Done():
			t.quit = true
		case ev, ok := <-events:
			if !ok {
				t.quit = true
				break
			}
			t.handle(ev)
		case a := <-t.conn.Opened():
			t.attach(a)
		case <-updated:
			t.dirty = true
			t.clipboard()
		case <-done:
			t.lost()
		case <-tick.C:
			t.tick()
		case <-wake:
			t.timer = nil
		}
		t.schedule()
	}

	if t.timer != nil {
		t.timer.Stop()
	}
	if t.conn.Opening() {
		cancel()
		t.attach(<-t.conn.Opened())
	}
	t.writeStats()
	t.conn.Close()
	return t.conn.Err()
}

// open starts opening a session, without waiting: the terminal stays
// responsive (q quits) while a connection is slow to come.
func (t *Viewer) open() {
	if t.conn.Open(t.ctx) {
		t.dirty = true
	}
}

// attach takes an attempt to open a session, and starts afresh with its
// session if it opened.
func (t *Viewer) attach(a viewer.Attempt) {
	t.dirty, t.full = true, true
	if !t.conn.Attach(a) {
		return
	}
	t.buttons, t.pointed, t.clip = 0, false, nil
	if t.opts.Opened != nil {
		t.opts.Opened(a.Session)
	}
	if t.follow != 0 {
		t.resizeDisplay()
	}
}

// lost notes that the session ended, keeping what it showed last.
func (t *Viewer) lost() {
	t.conn.Lost()
	t.dirty = true
}

// schedule draws now, or arms the timer for when it may: at most one
// redraw every FrameInterval, however fast the framebuffer changes.
func (t *Viewer) schedule() {
	if !t.dirty && !t.full || t.timer != nil || t.quit {
		return
	}
	if wait := t.opts.FrameInterval - time.Since(t.lastDraw); wait > 0 {
		t.timer = time.NewTimer(wait)
		return
	}
	t.draw()
}

// relayout fits the view to the terminal and the framebuffer.
func (t *Viewer) relayout() {
	w, h := t.screen.Size()
	if t.status {
		h--
	}
	t.view.layout(t.view.fb, w, max(h, 0))
}

// draw paints what changed, or everything after a change of size, zoom
// or pan, then the status line and any box over it, and shows it.
func (t *Viewer) draw() {
	t.lastDraw = time.Now()
	t.dirty = false
	if sess := t.conn.Session(); sess != nil {
		// A lost session still holds what it showed last.
		sess.Frame(func(img *image.RGBA, changed image.Rectangle) {
			if size := img.Rect.Size(); size != t.view.fb {
				t.view.fb = size
				t.relayout()
				t.full = true
			}
			if t.full {
				t.paint.paintAll(img)
			} else {
				t.paint.paint(img, changed)
			}
		})
	} else if t.full {
		t.paint.clear()
	}
	t.full = false

	w, h := t.screen.Size()
	if t.status && h > 0 {
		line(t.screen, h-1, w, t.statusLine(), statusStyle)
	}
	switch {
	case t.help:
		box(t.screen, w, h, helpText)
	case !t.conn.Live() && t.conn.Problem() != "":
		lines := []string{t.conn.Problem(), ""}
		if t.conn.Opening() {
			lines = append(lines, "q quits")
		} else {
			lines = append(lines, "r reconnects, q quits")
		}
		box(t.screen, w, h, lines)
	}
	t.screen.Show()
	t.redraws++
}

func (t *Viewer) statusLine() string {
	switch {
	case t.notice != "" && time.Now().Before(t.until):
		return t.notice
	case t.prefix && t.viewing:
		return viewHint
	case t.prefix:
		return "Ctrl-]  +/- zoom  0 fit  1 1:1  arrows pan  f fit display  s status  w stats  v paste  r reconnect  q quit  ? help  Esc cancel"
	case !t.conn.Live():
		if t.conn.Problem() != "" && !t.conn.Opening() {
			return t.conn.Problem() + " | r reconnect, q quit"
		}
		return t.conn.Target()
	}
	sess := t.conn.Session()
	st := sess.Stats()
	if st.Mode == "" {
		st.Mode = sess.Mode()
	}
	return statusText(st, sess.Target(), &t.view, t.follow != 0)
}

// say shows a notice on the status line for a few seconds.
func (t *Viewer) say(format string, args ...any) {
	t.notice = fmt.Sprintf(format, args...)
	t.until = time.Now().Add(4 * time.Second)
	t.dirty = true
}

func (t *Viewer) tick() {
	now := time.Now()
	if d := now.Sub(t.lastRate); d >= time.Second {
		if !t.lastRate.IsZero() {
			t.redrawRate = float64(t.redraws-t.lastCount) / d.Seconds()
		}
		t.lastRate, t.lastCount = now, t.redraws
		if t.opts.StatsFile != "" {
			if err := t.writeStats(); err != nil {
				t.say("stats: %v", err)
			}
		}
	}
	if t.status {
		t.dirty = true
	}
}

// StatsJSON is what the statistics file holds: the session's statistics
// and the viewer's own.
type StatsJSON struct {
	viewer.Stats
	Target        string  `json:"target"`
	Connected     bool    `json:"connected"`
	Redraws       int64   `json:"redraws"`
	RedrawsPerSec float64 `json:"redraws_per_sec"`
}

func (t *Viewer) statsJSON() StatsJSON {
	st := StatsJSON{Target: t.conn.Target(), Connected: t.conn.Live(), Redraws: t.redraws, RedrawsPerSec: t.redrawRate}
	if sess := t.conn.Session(); sess != nil {
		st.Stats = sess.Stats()
	}
	return st
}

// writeStats writes the statistics file, if there is one.
func (t *Viewer) writeStats() error {
	if t.opts.StatsFile == "" {
		return nil
	}
	return viewer.WriteStatsFile(t.opts.StatsFile, t.statsJSON())
}

// handle acts on one terminal event.
func (t *Viewer) handle(ev tcell.Event) {
	switch ev := ev.(type) {
	case *tcell.EventResize:
		t.screen.Sync()
		t.relayout()
		t.full, t.dirty = true, true
		if t.follow != 0 {
			t.resizeDisplay()
		}
	case *tcell.EventKey:
		t.key(ev)
	case *tcell.EventMouse:
		t.mouse(ev)
	case *tcell.EventPaste:
		t.pasted(ev)
	case *tcell.EventClipboard:
		t.cutText(string(ev.Data()))
	case *tcell.EventInterrupt:
		// A function to run in the viewer's goroutine: how tests look at
		// the screen while the viewer runs.
		if f, ok := ev.Data().(func()); ok {
			f()
		}
	}
}

func (t *Viewer) key(ev *tcell.EventKey) {
	if t.pasting {
		switch ev.Key() {
		case tcell.KeyRune:
			t.paste = append(t.paste, ev.Rune())
		case tcell.KeyEnter, tcell.KeyLF:
			t.paste = append(t.paste, '\n')
		case tcell.KeyTab:
			t.paste = append(t.paste, '\t')
		}
		return
	}
	if t.help {
		t.help = false
		t.full, t.dirty = true, true
		return
	}
	if t.prefix {
		t.command(ev)
		return
	}
	if isPrefix(ev) {
		t.prefix, t.viewing, t.dirty = true, false, true
		return
	}
	if !t.conn.Live() {
		// Nothing to type into: the message box's keys work alone.
		t.command(ev)
		return
	}
	if s, ok := toStroke(ev); ok {
		s.send(t.conn.Session())
	}
}

// command runs the viewer command for the key after the prefix.
func (t *Viewer) command(ev *tcell.EventKey) {
	t.dirty = true
	t.viewing = false
	// Zoom and pan keys stay in view mode, so that they can repeat.
	viewKey := func(f func()) {
		f()
		t.viewing, t.full = true, true
	}
	r := rune(0)
	if ev.Key() == tcell.KeyRune {
		r = ev.Rune()
	}
	switch {
	case isPrefix(ev):
		if t.conn.Live() {
			stroke{mods: []uint32{xkControlL}, sym: ']'}.send(t.conn.Session())
		}
	case ev.Key() == tcell.KeyLeft || r == 'h':
		viewKey(func() { t.view.move(-1, 0) })
	case ev.Key() == tcell.KeyRight || r == 'l':
		viewKey(func() { t.view.move(1, 0) })
	case ev.Key() == tcell.KeyUp || r == 'k':
		viewKey(func() { t.view.move(0, -1) })
	case ev.Key() == tcell.KeyDown || r == 'j':
		viewKey(func() { t.view.move(0, 1) })
	case r == '+' || r == '=':
		viewKey(func() { t.view.zoom(1 / zoomStep) })
	case r == '-':
		viewKey(func() { t.view.zoom(zoomStep) })
	case r == '0':
		viewKey(t.view.fitAll)
	case r == '1':
		viewKey(func() { t.view.setScale(1) })
	case r == 'f':
		if t.follow != 0 {
			t.follow = 0
			t.say("the display no longer follows the terminal's size")
			break
		}
		t.follow = t.view.scale
		t.resizeDisplay()
	case r == 's':
		t.status = !t.status
		t.relayout()
		t.full = true
	case r == 'w':
		if t.opts.StatsFile == "" {
			t.opts.StatsFile = "netdisplay-stats.json"
		}
		if err := t.writeStats(); err != nil {
			t.say("stats: %v", err)
		} else {
			t.say("statistics written to %s", t.opts.StatsFile)
		}
	case r == 'v':
		t.screen.GetClipboard()
	case r == 'r':
		t.open()
	case r == 'q':
		t.quit = true
	case r == '?':
		t.help = true
	}
	t.prefix = t.viewing && !t.help
	t.viewing = t.prefix
}

// resizeDisplay asks for a display the size of the terminal at the
// follow scale, and keeps that scale so that it fits exactly.
func (t *Viewer) resizeDisplay() {
	t.view.setScale(t.follow)
	t.full = true
	if !t.conn.Live() {
		return
	}
	size := t.view.screenSize()
	if err := t.conn.Session().Resize(size.X, size.Y); err != nil {
		t.say("resize to %dx%d: %v", size.X, size.Y, err)
		return
	}
	t.say("display resized to %dx%d; it follows the terminal (^] f stops)", size.X, size.Y)
}

func (t *Viewer) mouse(ev *tcell.EventMouse) {
	if !t.conn.Live() || t.help || t.view.rows == 0 || t.view.fb.X == 0 {
		return
	}
	x, y := ev.Position()
	held, wheel := pointerButtons(ev.Buttons())
	if y >= t.view.rows && held == 0 && t.buttons == 0 {
		return // the status line
	}
	p := t.view.point(min(x, t.view.cols-1), min(y, t.view.rows-1))
	if wheel != 0 {
		t.conn.Session().Pointer(p.X, p.Y, held|wheel)
	} else if t.pointed && p == t.pointer && held == t.buttons {
		return
	}
	t.conn.Session().Pointer(p.X, p.Y, held)
	t.pointer, t.buttons, t.pointed = p, held, true
}

func (t *Viewer) pasted(ev *tcell.EventPaste) {
	if ev.Start() {
		t.pasting, t.paste = true, t.paste[:0]
		return
	}
	t.pasting = false
	t.cutText(string(t.paste))
}

// cutText gives the display text from the terminal's clipboard, as
// Latin-1, which is all RFB and X cut buffers carry.
func (t *Viewer) cutText(s string) {
	if !t.conn.Live() || s == "" {
		return
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xff {
			r = '?'
		}
		b = append(b, byte(r))
	}
	t.conn.Session().CutText(b)
	t.say("sent %d characters to the display's clipboard", len(b))
}

// clipboard gives the terminal the display's cut text when it changes
// (OSC 52; terminals that do not allow it ignore it).
func (t *Viewer) clipboard() {
	c := t.conn.Session().Clipboard()
	if c == nil || slices.Equal(c, t.clip) {
		return
	}
	t.clip = slices.Clone(c)
	r := make([]rune, len(c))
	for i, b := range c {
		r[i] = rune(b)
	}
	t.screen.SetClipboard([]byte(string(r)))
}
