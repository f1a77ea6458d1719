// Package paint is freehand drawing with the mouse: a palette of colours
// and a Clear button along the top, and a canvas below where dragging
// with the first button draws. Each motion of a drag becomes one short
// wide line, so what it measures is the time from the mouse moving to
// the stroke following it.
//
// The strokes are kept, to be drawn again on Expose: the canvas is the
// client's, as it is for most X programs, not a pixmap on the server.
package paint

import (
	"context"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"time"

	"netdisplay/clients/app"
	"netdisplay/protocol"
	"netdisplay/xlib"
)

// App is paint.
var App = app.App{
	Name:  "paint",
	Size:  image.Pt(480, 360),
	Input: protocol.EventMaskButtonPress | protocol.EventMaskButtonRelease | protocol.EventMaskButton1Motion,
	New:   newPaint,
}

// Run runs paint on c until ctx is done; see app.Run.
func Run(ctx context.Context, c *xlib.Conn, opt app.Options) error {
	return app.Run(ctx, c, App, opt)
}

// Palette is the colours one can paint with, left to right.
var Palette = []color.RGBA{
	{0x20, 0x20, 0x20, 0xff}, // black
	{0xd6, 0x2f, 0x2f, 0xff}, // red
	{0xf2, 0x8c, 0x28, 0xff}, // orange
	{0xf5, 0xd0, 0x2a, 0xff}, // yellow
	{0x3b, 0xa5, 0x4a, 0xff}, // green
	{0x2f, 0x6f, 0xd6, 0xff}, // blue
	{0x8e, 0x44, 0xad, 0xff}, // purple
	{0xff, 0xff, 0xff, 0xff}, // white, to rub out
}

var (
	toolbarColor = color.RGBA{0xd9, 0xd9, 0xd9, 0xff}
	shadowColor  = color.RGBA{0x70, 0x70, 0x70, 0xff}
	buttonColor  = color.RGBA{0xee, 0xee, 0xee, 0xff}
)

// The layout, in pixels.
const (
	toolbarHeight = 32
	swatchSize    = 22
	swatchPitch   = 28
	margin        = 6
	brush         = 4
	buttonWidth   = 64
)

// swatch is the rectangle of the palette's i'th colour.
func swatch(i int) image.Rectangle {
	x := margin + i*swatchPitch
	return image.Rect(x, (toolbarHeight-swatchSize)/2, x+swatchSize, (toolbarHeight+swatchSize)/2)
}

// clearButton is where the Clear button is, at the window's width.
func clearButton(size image.Point) image.Rectangle {
	return image.Rect(size.X-margin-buttonWidth, 5, size.X-margin, toolbarHeight-5)
}

// canvas is where one paints, at the window's size.
func canvas(size image.Point) image.Rectangle {
	return image.Rect(0, toolbarHeight, size.X, size.Y)
}

// A stroke is one drag of the mouse.
type stroke struct {
	colour int
	points []image.Point
}

type paint struct {
	w       *app.Window
	font    *app.Font
	colour  int      // the palette's selected colour
	strokes []stroke // what is on the canvas, the current stroke last
	drawing bool     // a drag is under way
	clipped image.Point

	ink                            []xlib.GC // one per palette colour, clipped to the canvas
	swatches                       []xlib.GC // the same, unclipped
	toolbar, shadow, button, white xlib.GC
	selected, unselected           xlib.GC // the swatch's frame, drawn and erased
}

func newPaint(w *app.Window) (app.Program, error) {
	font, err := w.OpenFont("-adobe-helvetica-medium-r-normal--12-120-75-75-p-67-iso8859-1")
	if err != nil {
		return nil, err
	}
	p := &paint{
		w:          w,
		font:       font,
		toolbar:    w.GC(xlib.Foreground(w.Pixel(toolbarColor))),
		shadow:     w.GC(xlib.Foreground(w.Pixel(shadowColor)), xlib.Background(w.Pixel(buttonColor)), xlib.GCFont(font.ID)),
		button:     w.GC(xlib.Foreground(w.Pixel(buttonColor))),
		white:      w.GC(xlib.Foreground(w.Pixel(color.White))),
		selected:   w.GC(xlib.Foreground(w.Pixel(Palette[0])), xlib.LineWidth(2)),
		unselected: w.GC(xlib.Foreground(w.Pixel(toolbarColor)), xlib.LineWidth(2)),
	}
	for _, c := range Palette {
		p.ink = append(p.ink, w.GC(xlib.Foreground(w.Pixel(c)), xlib.LineWidth(brush),
			xlib.CapStyle(protocol.CapStyleRound), xlib.JoinStyle(protocol.JoinStyleRound)))
		p.swatches = append(p.swatches, w.GC(xlib.Foreground(w.Pixel(c))))
	}
	return p, nil
}

// Draw draws the toolbar and the canvas with every stroke on it.
func (p *paint) Draw() {
	w := p.w
	if p.clipped != w.Size {
		// Strokes stay on the canvas, whatever the window's size.
		for _, gc := range p.ink {
			w.SetClipRectangles(gc, image.Point{}, canvas(w.Size))
		}
		p.clipped = w.Size
	}
	w.FillRectangles(w.ID, p.toolbar, image.Rect(0, 0, w.Size.X, toolbarHeight-1))
	w.FillRectangles(w.ID, p.shadow, image.Rect(0, toolbarHeight-1, w.Size.X, toolbarHeight))
	for i := range Palette {
		w.FillRectangles(w.ID, p.swatches[i], swatch(i))
		w.DrawRectangles(w.ID, p.shadow, swatch(i))
	}
	p.drawSelection(p.colour, p.selected)
	b := clearButton(w.Size)
	w.FillRectangles(w.ID, p.button, b)
	w.DrawRectangles(w.ID, p.shadow, b)
	label := "Clear"
	at := image.Pt(b.Min.X+(b.Dx()-p.font.Width(label))/2, b.Min.Y+(b.Dy()+p.font.Ascent-p.font.Descent)/2)
	w.ImageText8(w.ID, p.shadow, at, label)

	w.FillRectangles(w.ID, p.white, canvas(w.Size))
	for _, s := range p.strokes {
		p.drawStroke(s)
	}
}

// drawStroke draws a whole stroke as the segments it was drawn as.
func (p *paint) drawStroke(s stroke) {
	segs := make([]xlib.Segment, 0, len(s.points))
	for i := range s.points {
		segs = append(segs, xlib.Segment{P: s.points[max(i-1, 0)], Q: s.points[i]})
	}
	p.w.DrawSegments(p.w.ID, p.ink[s.colour], segs...)
}

// drawSelection frames the selected swatch (or unframes it, with the
// toolbar's colour).
func (p *paint) drawSelection(i int, gc xlib.GC) {
	p.w.DrawRectangles(p.w.ID, gc, swatch(i).Inset(-3))
}

// press is the first button going down at q.
func (p *paint) press(q image.Point) {
	switch {
	case q.Y < toolbarHeight && q.In(clearButton(p.w.Size)):
		p.clear()
	case q.Y < toolbarHeight:
		for i := range Palette {
			if q.In(swatch(i)) {
				p.pick(i)
			}
		}
	default:
		// A dot: a line of no length, which round caps make a disc.
		p.strokes = append(p.strokes, stroke{colour: p.colour, points: []image.Point{q}})
		p.drawing = true
		p.w.DrawSegments(p.w.ID, p.ink[p.colour], xlib.Segment{P: q, Q: q})
	}
}

// drag is the pointer moving to q with the button down.
func (p *paint) drag(q image.Point) {
	if !p.drawing {
		return
	}
	s := &p.strokes[len(p.strokes)-1]
	last := s.points[len(s.points)-1]
	if q == last {
		return
	}
	s.points = append(s.points, q)
	p.w.DrawSegments(p.w.ID, p.ink[s.colour], xlib.Segment{P: last, Q: q})
}

// release is the first button coming up at q.
func (p *paint) release(q image.Point) {
	p.drag(q)
	p.drawing = false
}

func (p *paint) pick(i int) {
	if i == p.colour {
		return
	}
	p.drawSelection(p.colour, p.unselected)
	p.colour = i
	p.drawSelection(i, p.selected)
}

func (p *paint) clear() {
	p.strokes = nil
	p.drawing = false
	p.w.FillRectangles(p.w.ID, p.white, canvas(p.w.Size))
}

// Input draws with the first button.
func (p *paint) Input(ev protocol.Event) {
	switch ev := ev.(type) {
	case *protocol.ButtonPressEvent:
		if ev.Detail == 1 {
			p.press(image.Pt(int(ev.EventX), int(ev.EventY)))
		}
	case *protocol.MotionNotifyEvent:
		if ev.State&protocol.KeyButMaskButton1 != 0 {
			p.drag(image.Pt(int(ev.EventX), int(ev.EventY)))
		}
	case *protocol.ButtonReleaseEvent:
		if ev.Detail == 1 {
			p.release(image.Pt(int(ev.EventX), int(ev.EventY)))
		}
	}
}

// Script paints seeded doodles as a hand would with the mouse: it picks
// colours on the palette, drags strokes, and once clears the canvas. The
// short script makes some 200 moves and clicks in 2 seconds; the benchmark's 20
// seconds of moves at 60 a second, as a mouse reports them.
func (p *paint) Script(name string) ([]app.Step, error) {
	moves, every := 170, 10*time.Millisecond
	if name == app.Bench {
		moves, every = 1200, time.Second/60
	}
	rng := rand.New(rand.NewPCG(uint64(p.w.Opt.Seed), 0x9a17))
	var steps []app.Step
	at := time.Duration(0)
	add := func(do func()) {
		at += every
		steps = append(steps, app.Step{At: at, Do: do})
	}
	click := func(q image.Point) {
		add(func() { p.press(q) })
		add(func() { p.release(q) })
	}
	area := canvas(p.w.Size).Inset(brush)
	for n, strokes := 0, 0; n < moves; strokes++ {
		if strokes%4 == 0 {
			c := swatch(rng.IntN(len(Palette) - 1)) // not the white
			click(c.Min.Add(c.Size().Div(2)))
		}
		if strokes == 2 {
			b := clearButton(p.w.Size)
			click(b.Min.Add(b.Size().Div(2)))
		}
		path := doodle(rng, area, 10+rng.IntN(16))
		add(func() { p.press(path[0]) })
		for _, q := range path[1:] {
			add(func() { p.drag(q) })
		}
		add(func() { p.release(path[len(path)-1]) })
		n += len(path) + 1
	}
	return steps, nil
}

// doodle is a wandering path of n points in r, bouncing off its edges.
func doodle(rng *rand.Rand, r image.Rectangle, n int) []image.Point {
	x := float64(r.Min.X) + rng.Float64()*float64(r.Dx())
	y := float64(r.Min.Y) + rng.Float64()*float64(r.Dy())
	heading := rng.Float64() * 2 * math.Pi
	turn := (rng.Float64() - 0.5) * 0.5
	out := []image.Point{image.Pt(int(x), int(y))}
	for range n - 1 {
		turn += (rng.Float64() - 0.5) * 0.2
		turn = max(-0.4, min(turn, 0.4))
		heading += turn
		step := 6 + rng.Float64()*6
		x += step * math.Cos(heading)
		y += step * math.Sin(heading)
		if x < float64(r.Min.X) || x >= float64(r.Max.X) {
			heading = math.Pi - heading
			x = max(float64(r.Min.X), min(x, float64(r.Max.X-1)))
		}
		if y < float64(r.Min.Y) || y >= float64(r.Max.Y) {
			heading = -heading
			y = max(float64(r.Min.Y), min(y, float64(r.Max.Y-1)))
		}
		out = append(out, image.Pt(int(x), int(y)))
	}
	return out
}
