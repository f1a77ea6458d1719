// Package eyes draws a pair of eyes whose pupils follow the pointer:
// every motion event becomes a little drawing, so what it measures is the
// time from the pointer moving to the pupils following it.
//
// Live, it follows the pointer over its window and over the root window
// (MotionNotify on both); in a script it follows a seeded path of a
// virtual pointer through the same code. The pupils are a deterministic
// function of the last pointer position: the benchmark's marker of the
// input handled.
package eyes

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

// App is eyes.
var App = app.App{
	Name:       "eyes",
	Size:       image.Pt(240, 160),
	Background: sky,
	Input:      protocol.EventMaskPointerMotion | protocol.EventMaskEnterWindow,
	New:        newEyes,
}

// Run runs eyes on c until ctx is done; see app.Run.
func Run(ctx context.Context, c *xlib.Conn, opt app.Options) error {
	return app.Run(ctx, c, App, opt)
}

var (
	sky   = color.RGBA{0xdf, 0xe6, 0xee, 0xff}
	black = color.RGBA{0x10, 0x10, 0x18, 0xff}
	iris  = color.RGBA{0x1d, 0x2b, 0x53, 0xff}
)

type eyes struct {
	w       *app.Window
	pointer image.Point    // where the pointer is, in the window
	drawn   [2]image.Point // the pupils' centres as last drawn
	origin  image.Point    // the window's origin on the root window
	known   bool           // whether origin is

	bg, rim, white, pupil xlib.GC
}

func newEyes(w *app.Window) (app.Program, error) {
	e := &eyes{
		w:     w,
		bg:    w.GC(xlib.Foreground(w.Pixel(sky))),
		rim:   w.GC(xlib.Foreground(w.Pixel(black))),
		white: w.GC(xlib.Foreground(w.Pixel(color.White))),
		pupil: w.GC(xlib.Foreground(w.Pixel(iris))),
	}
	if w.Opt.Script != "" {
		e.pointer = image.Pt(w.Size.X/2, w.Size.Y)
		return e, nil
	}
	// Live, it also follows the pointer beyond its window, as xeyes does.
	w.SelectInput(w.Root(), protocol.EventMaskPointerMotion)
	e.locate()
	return e, nil
}

// locate asks where the pointer and the window are.
func (e *eyes) locate() {
	w := e.w
	p, err := xlib.Call[protocol.QueryPointerReply](w.Conn, &protocol.QueryPointer{Window: protocol.Window(w.ID)}).Reply()
	if err != nil {
		return // the connection is gone; the loop will say so
	}
	e.pointer = image.Pt(int(p.WinX), int(p.WinY))
	e.origin = image.Pt(int(p.RootX), int(p.RootY)).Sub(e.pointer)
	e.known = true
}

// The eyes' layout at the window's size.
type layout struct {
	eye   [2]image.Rectangle // each eye's outer ellipse
	rim   int                // the width of the black rim
	pupil int                // the pupil's radius
}

func (e *eyes) layout() layout {
	s := e.w.Size
	gap := max(min(s.X, s.Y)/20, 2)
	ew := max((s.X-3*gap)/2, 8)
	eh := max(s.Y-2*gap, 8)
	var l layout
	l.eye[0] = image.Rect(gap, gap, gap+ew, gap+eh)
	l.eye[1] = l.eye[0].Add(image.Pt(ew+gap, 0))
	l.rim = max(min(ew, eh)/14, 2)
	l.pupil = max(min(ew, eh)/7, 2)
	return l
}

// pupils places each pupil towards the pointer, as far as it can go
// inside the white of its eye.
func (e *eyes) pupils(l layout) [2]image.Point {
	var out [2]image.Point
	for i, r := range l.eye {
		cx, cy := float64(r.Min.X+r.Max.X)/2, float64(r.Min.Y+r.Max.Y)/2
		// The ellipse the pupil's centre stays in: the white, less the
		// pupil and a margin, so that erasing a pupil never touches the rim.
		reach := float64(l.rim + l.pupil + 2)
		ax, ay := math.Max(float64(r.Dx())/2-reach, 0), math.Max(float64(r.Dy())/2-reach, 0)
		dx, dy := float64(e.pointer.X)-cx, float64(e.pointer.Y)-cy
		if ax > 0 && ay > 0 {
			if n := math.Hypot(dx/ax, dy/ay); n > 1 {
				dx, dy = dx/n, dy/n
			}
		} else {
			dx, dy = 0, 0
		}
		out[i] = image.Pt(int(math.Round(cx+dx)), int(math.Round(cy+dy)))
	}
	return out
}

func disc(c image.Point, r int) protocol.Arc {
	return xlib.Arc(image.Rect(c.X-r, c.Y-r, c.X+r, c.Y+r), 0, 360*64)
}

// Draw draws the eyes whole.
func (e *eyes) Draw() {
	w := e.w
	l := e.layout()
	w.FillRectangles(w.ID, e.bg, image.Rectangle{Max: w.Size})
	var rims, whites []protocol.Arc
	for _, r := range l.eye {
		rims = append(rims, xlib.Arc(r, 0, 360*64))
		whites = append(whites, xlib.Arc(r.Inset(l.rim), 0, 360*64))
	}
	w.FillArcs(w.ID, e.rim, rims...)
	w.FillArcs(w.ID, e.white, whites...)
	e.drawPupils(l, e.pupils(l))
}

func (e *eyes) drawPupils(l layout, at [2]image.Point) {
	w := e.w
	glint := max(l.pupil/3, 1)
	off := image.Pt(-l.pupil/3, -l.pupil/3)
	w.FillArcs(w.ID, e.pupil, disc(at[0], l.pupil), disc(at[1], l.pupil))
	w.FillArcs(w.ID, e.white, disc(at[0].Add(off), glint), disc(at[1].Add(off), glint))
	e.drawn = at
}

// look moves the pupils to where the pointer now is: it erases the old
// ones with the white of the eye and draws the new.
func (e *eyes) look(p image.Point) {
	e.pointer = p
	l := e.layout()
	at := e.pupils(l)
	if at == e.drawn {
		return
	}
	e.w.FillArcs(e.w.ID, e.white, disc(e.drawn[0], l.pupil), disc(e.drawn[1], l.pupil))
	e.drawPupils(l, at)
}

// Input follows the pointer over the window and over the root window.
func (e *eyes) Input(ev protocol.Event) {
	switch ev := ev.(type) {
	case *protocol.MotionNotifyEvent:
		e.moved(ev.Event, ev.RootX, ev.RootY, ev.EventX, ev.EventY)
	case *protocol.EnterNotifyEvent:
		e.moved(ev.Event, ev.RootX, ev.RootY, ev.EventX, ev.EventY)
	case *protocol.ConfigureNotifyEvent:
		e.known = false // it may have moved
	}
}

func (e *eyes) moved(win protocol.Window, rootX, rootY, x, y int16) {
	root := image.Pt(int(rootX), int(rootY))
	if xlib.Window(win) == e.w.ID {
		e.origin = root.Sub(image.Pt(int(x), int(y)))
		e.known = true
	} else if !e.known {
		e.locate()
	}
	e.look(root.Sub(e.origin))
}

// Script moves a virtual pointer along a seeded path that wanders over
// the window and around it: 60 moves in under 2 seconds for the short
// script, 20 seconds of moves at 60 a second, as a mouse reports them,
// for the benchmark.
func (e *eyes) Script(name string) ([]app.Step, error) {
	n, every := 60, 30*time.Millisecond
	if name == app.Bench {
		n, every = 1200, time.Second/60
	}
	var steps []app.Step
	for i, p := range path(e.w.Opt.Seed, e.w.Size, n) {
		steps = append(steps, app.Step{At: time.Duration(i+1) * every, Do: func() { e.look(p) }})
	}
	return steps, nil
}

// path is n points of a smooth path through seeded waypoints, within the
// window and half its size around it.
func path(seed int64, size image.Point, n int) []image.Point {
	rng := rand.New(rand.NewPCG(uint64(seed), 0xe7e5))
	area := image.Rectangle{Max: size}.Inset(-min(size.X, size.Y) / 2)
	waypoint := func() (float64, float64) {
		return float64(area.Min.X) + rng.Float64()*float64(area.Dx()), float64(area.Min.Y) + rng.Float64()*float64(area.Dy())
	}
	const leg = 20 // moves from one waypoint to the next
	x0, y0 := float64(size.X)/2, float64(size.Y)
	x1, y1 := waypoint()
	var out []image.Point
	for i := range n {
		k := i%leg + 1
		t := float64(k) / leg
		t = t * t * (3 - 2*t) // ease in and out, as a hand moves
		out = append(out, image.Pt(int(math.Round(x0+(x1-x0)*t)), int(math.Round(y0+(y1-y0)*t))))
		if k == leg {
			x0, y0 = x1, y1
			x1, y1 = waypoint()
		}
	}
	return out
}
