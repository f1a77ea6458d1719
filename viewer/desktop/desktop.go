// Package desktop is netdisplay's desktop viewer: a window, through
// ebiten, that shows a viewer.Session scaled to fit, sends it the
// keyboard and the mouse, and shows what the session's mode costs in an
// overlay.
//
// The window starts at the framebuffer's size times a scale and follows
// the framebuffer's size when it changes. Resizing the window rescales
// the picture, keeping its aspect; in X mode, where the viewer is the
// display, it also resizes the display to fill the window.
//
// The viewer's own commands follow a prefix key, Ctrl-], as in the
// terminal viewer, so that every other key reaches the display.
//
// There is no clipboard: ebiten has none, and reaching the desktop's
// selections without cgo would take an X11 client connection of the
// viewer's own to its desktop's display, which ebiten does not share.
package desktop

import (
	"context"
	"fmt"
	"image"
	"math"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

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
	// Scale is how many window pixels show one framebuffer pixel when the
	// window is made; zero means 1. In X mode it stays: a resized window
	// resizes the display to the window's size over Scale.
	Scale float64
	// Filter is how the picture is scaled: "nearest", "linear", or ""
	// for nearest at whole-number scales (exact at scale 1) and linear at
	// the others.
	Filter string
	// NoOverlay starts with the statistics overlay hidden (Ctrl-] s shows
	// it).
	NoOverlay bool
	// StatsFile, if set, is rewritten with the statistics as JSON every
	// second, and when Ctrl-] w asks.
	StatsFile string
}

// resizeDelay is how long a resized window stays still before X mode
// resizes the display to it: resizing by dragging passes through many
// sizes, and each would cost the applications a relayout.
const resizeDelay = 300 * time.Millisecond

// A Viewer is the ebiten.Game that shows sessions. Its methods run on
// ebiten's goroutine.
type Viewer struct {
	opts Options
	ctx  context.Context
	host host
	gl   *glHost // the host when ebiten runs; nil in tests

	conn *viewer.Connection
	pull bool // take a frame even without an update signal

	fb     image.Point // the framebuffer's size, as last taken
	screen image.Point // the window's size in pixels (Layout's)
	drawn  image.Point // the screen's size at the last redraw
	now    time.Time

	// The window's size as last set, while it may not have taken it yet:
	// until then a different size is no resize by the user.
	wantWin   image.Point
	wantSince time.Time
	// X mode's resizing of the display to the window.
	resizeTo image.Point // the size the window asks for, while it settles
	resizeAt time.Time
	asked    image.Point // the size last asked of the display

	kb      keyboard
	mouse   mouse
	prefix  bool // after Ctrl-]: the next key is a command
	overlay bool
	filter  string
	notice  string
	until   time.Time
	quit    bool

	dirty       bool
	lastOverlay time.Time
	redraws     int64
	lastCount   int64
	lastRate    time.Time
	redrawRate  float64
}

// host is what the viewer needs of the window system: ebiten's, or a
// test's fake.
type host interface {
	// setWindowSize asks for a window of size pixels.
	setWindowSize(size image.Point)
	setTitle(title string)
	// monitor is the size of the screen the window is on, or zero.
	monitor() image.Point
	// write copies rectangle r of img into the picture Draw shows, which
	// becomes img's size.
	write(img *image.RGBA, r image.Rectangle)
}

// New returns a viewer. Run shows it.
func New(opts Options) *Viewer {
	if opts.Scale <= 0 {
		opts.Scale = 1
	}
	return &Viewer{opts: opts, overlay: !opts.NoOverlay, filter: opts.Filter, conn: viewer.NewConnection(opts.Target, opts.Open), dirty: true}
}

// Run shows sessions in a window until the user quits, closes the window,
// or ctx is done. It must be called from the main goroutine: ebiten runs
// the window system there. It returns why nothing was shown if the user
// quit while disconnected.
func (v *Viewer) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	v.ctx = ctx
	v.gl = &glHost{}
	v.host = v.gl
	ebiten.SetWindowTitle("netdisplay " + v.opts.Target)
	ebiten.SetWindowSize(640, 400)
	ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)
	// Redraw only what changed: a still picture then costs nothing.
	ebiten.SetScreenClearedEveryFrame(false)
	v.open()
	err := ebiten.RunGame(v)
	if v.conn.Opening() {
		cancel()
		v.attach(<-v.conn.Opened())
	}
	v.writeStats()
	v.conn.Close()
	if err != nil {
		return err
	}
	return v.conn.Err()
}

// Update is ebiten's tick: it reads the input and takes what changed in
// the framebuffer.
func (v *Viewer) Update() error {
	v.step(time.Now(), readKeys(), readMouse())
	if v.quit {
		return ebiten.Termination
	}
	return nil
}

// Layout makes the screen the window's size in pixels, so that the
// picture is scaled once, by Draw.
func (v *Viewer) Layout(w, h int) (int, int) {
	s := 1.0
	if m := ebiten.Monitor(); m != nil {
		s = m.DeviceScaleFactor()
	}
	v.screen = image.Pt(int(math.Ceil(float64(w)*s)), int(math.Ceil(float64(h)*s)))
	return v.screen.X, v.screen.Y
}

// step is one tick, apart from reading ebiten's input: tests call it.
func (v *Viewer) step(now time.Time, kin keys, mi mouseIn) {
	v.now = now
	select {
	case <-v.ctx.Done():
		v.quit = true
		return
	default:
	}
	select {
	case a := <-v.conn.Opened():
		v.attach(a)
	default:
	}
	if v.conn.Live() {
		select {
		case <-v.conn.Session().Done():
			v.lost()
		default:
		}
	}
	v.keys(kin)
	if v.conn.Live() {
		for _, e := range v.mouse.events(mi, v.view()) {
			v.conn.Session().Pointer(e.x, e.y, e.buttons)
		}
	}
	if v.conn.Session() != nil {
		v.take()
	}
	v.followWindow(now)
	v.tick(now)
}

func (v *Viewer) view() view { return layout(v.fb, v.screen, v.opts.Scale) }

// open starts opening a session, without waiting: the window stays
// responsive (q quits) while a connection is slow to come.
func (v *Viewer) open() {
	if v.conn.Open(v.ctx) {
		v.dirty = true
	}
}

// attach takes an attempt to open a session, and starts afresh with its
// session if it opened.
func (v *Viewer) attach(a viewer.Attempt) {
	v.dirty = true
	if !v.conn.Attach(a) {
		return
	}
	v.pull = true
	v.kb, v.mouse, v.prefix = keyboard{}, mouse{}, false
	v.fb, v.asked, v.resizeTo = image.Point{}, image.Point{}, image.Point{}
	if v.host != nil {
		v.host.setTitle(fmt.Sprintf("netdisplay %s (%s)", a.Session.Target(), a.Session.Mode()))
	}
	if v.opts.Opened != nil {
		v.opts.Opened(a.Session)
	}
}

// lost notes that the session ended, keeping what it showed last.
func (v *Viewer) lost() {
	v.conn.Lost()
	v.prefix = false
	v.dirty = true
}

// take copies what changed in the framebuffer into the picture.
func (v *Viewer) take() {
	sess := v.conn.Session()
	select {
	case <-sess.Updated():
	default:
		if !v.pull {
			return
		}
	}
	v.pull = false
	sess.Frame(func(img *image.RGBA, changed image.Rectangle) {
		if size := img.Rect.Size(); size != v.fb {
			old := v.fb
			v.fb = size
			changed = img.Rect
			v.resized(old)
		}
		if changed = changed.Intersect(img.Rect); !changed.Empty() {
			v.host.write(img, changed)
			v.dirty = true
		}
	})
}

// resized follows a new framebuffer size with the window: at the scale
// asked for at first, and after that at the scale shown, so that a
// window the user zoomed stays zoomed. In X mode a size the window asked
// for is already the window's.
func (v *Viewer) resized(old image.Point) {
	v.dirty = true
	if v.fb.X <= 0 || v.fb.Y <= 0 {
		return
	}
	x11 := v.conn.Session().Mode() == "x11"
	if x11 && v.fb == v.asked {
		return
	}
	s := v.opts.Scale
	if old != (image.Point{}) && !x11 {
		s = layout(old, v.screen, v.opts.Scale).scale
	}
	// A window larger than the screen would hide part of the picture.
	if m := v.host.monitor(); m.X > 0 && m.Y > 0 {
		if w := windowFor(v.fb, s); w.X > m.X || w.Y > m.Y {
			s = math.Min(float64(m.X)/float64(v.fb.X), float64(m.Y)/float64(v.fb.Y))
		}
	}
	v.setWindow(windowFor(v.fb, s))
}

func (v *Viewer) setWindow(size image.Point) {
	v.wantWin, v.wantSince = size, v.now
	if size != v.screen {
		v.host.setWindowSize(size)
	}
}

// followWindow resizes the display to the window in X mode, once the
// window has kept a size for resizeDelay.
func (v *Viewer) followWindow(now time.Time) {
	if !v.conn.Live() || v.conn.Session().Mode() != "x11" || v.fb.X <= 0 || v.screen.X <= 0 || v.screen.Y <= 0 {
		return
	}
	if v.wantWin != (image.Point{}) {
		// The window is still taking the size the viewer set; a window
		// manager that refuses it has the last word after a while.
		if v.screen != v.wantWin && now.Sub(v.wantSince) < 2*time.Second {
			return
		}
		v.wantWin = image.Point{}
	}
	if atScale(v.fb, v.screen, v.opts.Scale) {
		v.resizeTo = image.Point{}
		return
	}
	want := fbFor(v.screen, v.opts.Scale)
	switch {
	case want == v.asked:
		// Asked already; the display answers with a new framebuffer.
	case want != v.resizeTo:
		v.resizeTo, v.resizeAt = want, now
	case now.Sub(v.resizeAt) >= resizeDelay:
		v.asked = want
		if err := v.conn.Session().Resize(want.X, want.Y); err != nil {
			v.say("resize to %dx%d: %v", want.X, want.Y, err)
		}
	}
}

// keys sends the tick's keys to the display, or runs them as commands:
// after Ctrl-], and while there is no session to type into.
func (v *Viewer) keys(in keys) {
	if !v.conn.Live() {
		for _, k := range in.pressed {
			switch k {
			case ebiten.KeyR:
				v.open()
			case ebiten.KeyQ:
				v.quit = true
			}
		}
		return
	}
	var rest []ebiten.Key
	for _, k := range in.pressed {
		switch {
		case isModifier(k):
			// Modifiers go to the display even between Ctrl-] and its
			// command: the Control of Ctrl-] itself may come in the same
			// tick, after the ].
			rest = append(rest, k)
		case v.prefix:
			v.prefix = false
			v.command(k, in)
			// The command key's character is the viewer's, not the display's.
			in.chars = nil
		case k == ebiten.KeyBracketRight && in.ctrl:
			v.prefix, v.dirty = true, true
			in.chars = nil
		default:
			rest = append(rest, k)
		}
	}
	in.pressed = rest
	if v.conn.Live() {
		send(v.conn.Session(), v.kb.events(in))
	}
}

// command runs the viewer command for the key after the prefix.
func (v *Viewer) command(k ebiten.Key, in keys) {
	v.dirty = true
	switch k {
	case ebiten.KeyS:
		v.overlay = !v.overlay
	case ebiten.KeyF:
		switch v.filter {
		case "":
			v.filter = "nearest"
		case "nearest":
			v.filter = "linear"
		default:
			v.filter = ""
		}
		v.say("filter: %s", v.filterName(v.view().scale))
	case ebiten.KeyW:
		if v.opts.StatsFile == "" {
			v.opts.StatsFile = "netdisplay-stats.json"
		}
		if err := v.writeStats(); err != nil {
			v.say("stats: %v", err)
		} else {
			v.say("statistics written to %s", v.opts.StatsFile)
		}
	case ebiten.KeyR:
		v.open()
	case ebiten.KeyQ:
		v.quit = true
	case ebiten.KeyBracketRight:
		// Ctrl-] itself, for the display. Control is still down there if
		// it is still held here.
		sess := v.conn.Session()
		if !in.ctrl {
			sess.Key(xkControlL, true)
		}
		sess.Key(']', true)
		sess.Key(']', false)
		if !in.ctrl {
			sess.Key(xkControlL, false)
		}
	}
}

// filterName says how a picture at scale s is filtered.
func (v *Viewer) filterName(s float64) string {
	if v.filter != "" {
		return v.filter
	}
	if s == math.Trunc(s) {
		return "nearest"
	}
	return "linear"
}

// say shows a notice in the overlay for a few seconds.
func (v *Viewer) say(format string, args ...any) {
	v.notice = fmt.Sprintf(format, args...)
	v.until = v.now.Add(4 * time.Second)
	v.dirty = true
}

func (v *Viewer) tick(now time.Time) {
	if d := now.Sub(v.lastRate); d >= time.Second {
		if !v.lastRate.IsZero() {
			v.redrawRate = float64(v.redraws-v.lastCount) / d.Seconds()
		}
		v.lastRate, v.lastCount = now, v.redraws
		if v.opts.StatsFile != "" {
			if err := v.writeStats(); err != nil {
				v.say("stats: %v", err)
			}
		}
	}
	if v.overlay && v.conn.Live() && now.Sub(v.lastOverlay) >= 500*time.Millisecond {
		v.lastOverlay = now
		v.dirty = true
	}
	if v.notice != "" && now.After(v.until) {
		v.notice = ""
		v.dirty = true
	}
}

// overlayLines is the text over the window's bottom left corner.
func (v *Viewer) overlayLines() []string {
	var lines []string
	if sess := v.conn.Session(); v.overlay && sess != nil {
		st := sess.Stats()
		if st.Mode == "" {
			st.Mode = sess.Mode()
		}
		s := v.view().scale
		lines = overlayText(st, sess.Target(), s, v.filterName(s), v.redrawRate)
	}
	if v.prefix {
		lines = append(lines, prefixHint)
	}
	if v.notice != "" {
		lines = append(lines, v.notice)
	}
	return lines
}

// messageLines is the box in the middle of the window while there is no
// live session, or nil.
func (v *Viewer) messageLines() []string {
	switch {
	case v.conn.Live() || v.conn.Problem() == "":
		return nil
	case v.conn.Opening():
		return []string{v.conn.Problem(), "", "Q quits"}
	}
	return []string{v.conn.Problem(), "", "R reconnects, Q quits"}
}

// StatsJSON is what the statistics file holds: the session's statistics
// and the viewer's own.
type StatsJSON struct {
	viewer.Stats
	Target        string      `json:"target"`
	Connected     bool        `json:"connected"`
	Problem       string      `json:"problem,omitempty"`
	Redraws       int64       `json:"redraws"`
	RedrawsPerSec float64     `json:"redraws_per_sec"`
	Scale         float64     `json:"scale"`
	Window        image.Point `json:"window"`
}

func (v *Viewer) statsJSON() StatsJSON {
	st := StatsJSON{
		Target: v.conn.Target(), Connected: v.conn.Live(), Redraws: v.redraws, RedrawsPerSec: v.redrawRate,
		Scale: v.view().scale, Window: v.screen,
	}
	if !v.conn.Live() {
		st.Problem = v.conn.Problem()
	}
	if sess := v.conn.Session(); sess != nil {
		st.Stats = sess.Stats()
	}
	return st
}

// writeStats writes the statistics file, if there is one.
func (v *Viewer) writeStats() error {
	if v.opts.StatsFile == "" {
		return nil
	}
	return viewer.WriteStatsFile(v.opts.StatsFile, v.statsJSON())
}
