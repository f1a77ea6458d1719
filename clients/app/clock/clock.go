// Package clock is an analog clock with a second hand, redrawn every
// second: lines, polygons and a line of text, the best case for X, where
// a second costs a few small requests.
//
// Each second it erases the hands that moved by drawing them again in
// the face's colour, and draws them at the new time, as xclock does, so
// that only the hands' pixels change.
package clock

import (
	"context"
	"image"
	"image/color"
	"math"
	"slices"
	"time"

	"netdisplay/clients/app"
	"netdisplay/protocol"
	"netdisplay/xlib"
)

// App is the clock.
var App = app.App{
	Name:       "clock",
	Size:       image.Pt(220, 250),
	Background: paper,
	Period:     time.Second,
	New:        newClock,
}

// Run runs the clock on c until ctx is done; see app.Run.
func Run(ctx context.Context, c *xlib.Conn, opt app.Options) error {
	return app.Run(ctx, c, App, opt)
}

var (
	paper = color.RGBA{0xe9, 0xe4, 0xd8, 0xff}
	face  = color.RGBA{0xff, 0xfd, 0xf7, 0xff}
	ink   = color.RGBA{0x2b, 0x2b, 0x2b, 0xff}
	red   = color.RGBA{0xc0, 0x39, 0x2b, 0xff}
)

type clock struct {
	w     *app.Window
	font  *app.Font
	shown time.Time // the time on the face

	// What the last frame drew, to erase it.
	hands [3][]image.Point // hour and minute polygons, the second hand's line
	text  image.Rectangle

	paper, face, rim, minor, major, hand, second, label xlib.GC
}

func newClock(w *app.Window) (app.Program, error) {
	font, err := w.OpenFont("-adobe-helvetica-bold-r-normal--12-120-75-75-p-70-iso8859-1")
	if err != nil {
		return nil, err
	}
	inkPx, facePx := w.Pixel(ink), w.Pixel(face)
	c := &clock{
		w:      w,
		font:   font,
		paper:  w.GC(xlib.Foreground(w.Pixel(paper))),
		face:   w.GC(xlib.Foreground(facePx), xlib.LineWidth(2)),
		rim:    w.GC(xlib.Foreground(inkPx), xlib.LineWidth(3)),
		minor:  w.GC(xlib.Foreground(inkPx)),
		major:  w.GC(xlib.Foreground(inkPx), xlib.LineWidth(3)),
		hand:   w.GC(xlib.Foreground(inkPx)),
		second: w.GC(xlib.Foreground(w.Pixel(red)), xlib.LineWidth(2)),
		label:  w.GC(xlib.Foreground(inkPx), xlib.Background(w.Pixel(paper)), xlib.GCFont(font.ID)),
	}
	c.shown = time.Now()
	if w.Opt.Script != "" {
		c.shown = app.Epoch
	}
	return c, nil
}

// The clock's layout at the window's size: the face's centre and radius,
// and the baseline of the line of text under it.
func (c *clock) layout() (centre image.Point, r int, baseline int) {
	size := c.w.Size
	textH := c.font.Height() + 8
	r = max(min(size.X, size.Y-textH)/2-6, 10)
	centre = image.Pt(size.X/2, 6+r)
	baseline = min(centre.Y+r+6+c.font.Ascent, size.Y-c.font.Descent-2)
	return centre, r, baseline
}

// Draw draws the clock whole.
func (c *clock) Draw() {
	w := c.w
	centre, r, _ := c.layout()
	w.FillRectangles(w.ID, c.paper, image.Rectangle{Max: w.Size})
	disc := image.Rect(centre.X-r, centre.Y-r, centre.X+r, centre.Y+r)
	w.FillArcs(w.ID, c.face, xlib.Arc(disc, 0, 360*64))
	w.DrawArcs(w.ID, c.rim, xlib.Arc(disc, 0, 360*64))
	var minor, major []xlib.Segment
	for i := range 60 {
		a := float64(i) * math.Pi / 30
		if i%5 == 0 {
			major = append(major, xlib.Segment{P: polar(centre, a, 0.84*float64(r)), Q: polar(centre, a, 0.95*float64(r))})
		} else {
			minor = append(minor, xlib.Segment{P: polar(centre, a, 0.9*float64(r)), Q: polar(centre, a, 0.95*float64(r))})
		}
	}
	w.DrawSegments(w.ID, c.minor, minor...)
	w.DrawSegments(w.ID, c.major, major...)
	c.hands = [3][]image.Point{}
	c.text = image.Rectangle{}
	c.show(c.shown)
}

// Tick shows the wall-clock time.
func (c *clock) Tick(now time.Time) { c.show(now) }

// show moves the hands and the text to t, erasing what they were.
func (c *clock) show(t time.Time) {
	w := c.w
	c.shown = t
	centre, r, baseline := c.layout()
	R := float64(r)
	h, m, s := t.Clock()
	hourAngle := (float64(h%12) + float64(m)/60) * math.Pi / 6
	minuteAngle := float64(m) * math.Pi / 30
	secondAngle := float64(s) * math.Pi / 30
	hands := [3][]image.Point{
		hand(centre, hourAngle, 0.5*R, 0.06*R),
		hand(centre, minuteAngle, 0.76*R, 0.045*R),
		{polar(centre, secondAngle+math.Pi, 0.15*R), polar(centre, secondAngle, 0.8*R)},
	}

	// Erase what moved, in the face's colour; the hands that stayed are
	// drawn again anyway, since the erasing may cross them.
	for i := range 2 {
		if c.hands[i] != nil && !slices.Equal(c.hands[i], hands[i]) {
			w.FillPolygon(w.ID, c.face, c.hands[i]...)
		}
	}
	if c.hands[2] != nil {
		w.DrawLines(w.ID, c.face, c.hands[2]...)
	}
	w.FillPolygon(w.ID, c.hand, hands[0]...)
	w.FillPolygon(w.ID, c.hand, hands[1]...)
	w.DrawLines(w.ID, c.second, hands[2]...)
	hub := int(max(0.05*R, 2))
	w.FillArcs(w.ID, c.second, xlib.Arc(image.Rect(centre.X-hub, centre.Y-hub, centre.X+hub, centre.Y+hub), 0, 360*64))
	c.hands = hands

	label := t.Format("Mon 2 Jan 2006 15:04:05")
	x := (w.Size.X - c.font.Width(label)) / 2
	text := image.Rect(x, baseline-c.font.Ascent, x+c.font.Width(label), baseline+c.font.Descent)
	if !c.text.Empty() {
		w.FillRectangles(w.ID, c.paper, c.text)
	}
	w.ImageText8(w.ID, c.label, image.Pt(x, baseline), label)
	c.text = text
}

func (c *clock) Input(protocol.Event) {}

// Script: the short one ticks 40 seconds of clock time in 2 seconds,
// across a minute, so that every hand moves; the benchmark's ticks once a
// second for a minute (the benchmark may play it faster with Speed).
func (c *clock) Script(name string) ([]app.Step, error) {
	n, every := 40, 50*time.Millisecond
	if name == app.Bench {
		n, every = 60, time.Second
	}
	var steps []app.Step
	for i := 1; i <= n; i++ {
		t := app.Epoch.Add(time.Duration(i) * time.Second)
		steps = append(steps, app.Step{At: time.Duration(i) * every, Do: func() { c.show(t) }})
	}
	return steps, nil
}

// polar is the point at angle a (clockwise from twelve o'clock) and
// distance d from p.
func polar(p image.Point, a, d float64) image.Point {
	return image.Pt(p.X+int(math.Round(d*math.Sin(a))), p.Y-int(math.Round(d*math.Cos(a))))
}

// hand is a hand's polygon: a thin diamond from a short tail through the
// centre to the tip.
func hand(centre image.Point, a, length, width float64) []image.Point {
	return []image.Point{
		polar(centre, a, length),
		polar(centre, a+math.Pi/2, width),
		polar(centre, a+math.Pi, 0.12*length),
		polar(centre, a-math.Pi/2, width),
	}
}
