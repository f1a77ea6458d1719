// Package anim is a full-window animation at a steady frame rate:
// shapes that bounce about the window, over a patch of plasma computed
// pixel by pixel and sent with PutImage, with the frame number in the
// corner. Every pixel of the window changes every frame: the worst case
// for either protocol, and for X the one where its requests are small
// but for the plasma.
//
// Each frame is drawn in a pixmap and copied to the window, as animated
// X programs do to keep from flickering. The frame is a function of its
// number and the seed alone, so any frame can be drawn again, on Expose
// or in another run.
package anim

import (
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"time"

	"netdisplay/clients/app"
	"netdisplay/protocol"
	"netdisplay/xlib"
)

// App is the animation.
var App = app.App{
	Name:       "anim",
	Size:       image.Pt(480, 360),
	Background: night,
	Period:     time.Second / 30,
	New:        newAnim,
	Flags: func(fs *flag.FlagSet, opt *app.Options) {
		fs.Func("fps", "frames a second (default 30)", func(s string) error {
			var fps float64
			if _, err := fmt.Sscan(s, &fps); err != nil || fps <= 0 || fps > 1000 {
				return fmt.Errorf("want a rate from 0 to 1000")
			}
			opt.Period = time.Duration(float64(time.Second) / fps)
			return nil
		})
	},
}

// Run runs the animation on c until ctx is done; see app.Run.
func Run(ctx context.Context, c *xlib.Conn, opt app.Options) error {
	return app.Run(ctx, c, App, opt)
}

var night = color.RGBA{0x10, 0x18, 0x20, 0xff}

// A shape moves in a straight line at its own speed, bouncing off the
// window's edges; triangles also turn.
type shape struct {
	kind   int // disc, square, triangle or ring
	size   int
	x, y   float64 // where it starts, as a fraction of the room it has
	vx, vy float64 // pixels a second
	spin   float64 // radians a second
	gc     xlib.GC
}

const (
	disc = iota
	square
	triangle
	ring
)

type anim struct {
	w      *app.Window
	frame  int
	shapes []shape
	buffer xlib.Pixmap // the frame being drawn
	size   image.Point // the buffer's size
	patch  *image.RGBA // the plasma, reused from frame to frame

	night, copy, label xlib.GC
	font               *app.Font
}

func newAnim(w *app.Window) (app.Program, error) {
	font, err := w.OpenFont("-misc-fixed-bold-r-normal--13-120-75-75-c-70-iso8859-1")
	if err != nil {
		return nil, err
	}
	a := &anim{
		w:     w,
		font:  font,
		night: w.GC(xlib.Foreground(w.Pixel(night))),
		copy:  w.GC(xlib.GraphicsExposures(false)),
		label: w.GC(xlib.Foreground(w.Pixel(color.White)), xlib.Background(w.Pixel(night)), xlib.GCFont(font.ID)),
	}
	rng := rand.New(rand.NewPCG(uint64(w.Opt.Seed), 0xa417))
	for i := range 16 {
		c := color.RGBA{uint8(90 + rng.IntN(166)), uint8(90 + rng.IntN(166)), uint8(90 + rng.IntN(166)), 0xff}
		s := shape{
			kind: i % 4,
			size: 16 + rng.IntN(44),
			x:    rng.Float64(),
			y:    rng.Float64(),
			vx:   (40 + rng.Float64()*140) * sign(rng),
			vy:   (40 + rng.Float64()*140) * sign(rng),
			spin: (rng.Float64() - 0.5) * 6,
		}
		s.gc = w.GC(xlib.Foreground(w.Pixel(c)), xlib.LineWidth(max(s.size/6, 2)))
		a.shapes = append(a.shapes, s)
	}
	return a, nil
}

func sign(rng *rand.Rand) float64 {
	if rng.IntN(2) == 0 {
		return -1
	}
	return 1
}

// Draw draws the current frame again.
func (a *anim) Draw() { a.show(a.frame) }

// Tick draws the next frame.
func (a *anim) Tick(time.Time) { a.show(a.frame + 1) }

func (a *anim) Input(protocol.Event) {}

// Script plays frames at the frame rate: 2 seconds of them for the short
// script, 20 for the benchmark's.
func (a *anim) Script(name string) ([]app.Step, error) {
	length := 2 * time.Second
	if name == app.Bench {
		length = 20 * time.Second
	}
	every := a.w.Opt.Period
	var steps []app.Step
	for i := 1; time.Duration(i)*every <= length; i++ {
		steps = append(steps, app.Step{At: time.Duration(i) * every, Do: func() { a.show(i) }})
	}
	return steps, nil
}

// show draws frame n in the buffer and copies it to the window.
func (a *anim) show(n int) {
	w := a.w
	a.frame = n
	if a.size != w.Size {
		if a.buffer != 0 {
			w.FreePixmap(a.buffer)
		}
		a.buffer, _ = w.CreatePixmap(w.ID, w.Size.X, w.Size.Y, int(w.Screen().RootDepth))
		a.size = w.Size
	}
	t := float64(n) * a.w.Opt.Period.Seconds()
	size := w.Size
	w.FillRectangles(a.buffer, a.night, image.Rectangle{Max: size})
	a.drawPlasma(t)
	for _, s := range a.shapes {
		a.drawShape(s, t)
	}
	w.ImageText8(a.buffer, a.label, image.Pt(6, 4+a.font.Ascent), fmt.Sprintf("frame %d", n))
	w.CopyArea(a.buffer, w.ID, a.copy, image.Rectangle{Max: size}, image.Point{})
}

// bounce is where something that started at x and moves at v is after t
// seconds, going back and forth in [0, room].
func bounce(x, v, t, room float64) float64 {
	if room <= 0 {
		return 0
	}
	p := math.Mod(x*room+v*t, 2*room)
	if p < 0 {
		p += 2 * room
	}
	if p > room {
		p = 2*room - p
	}
	return p
}

func (a *anim) drawShape(s shape, t float64) {
	w := a.w
	x := int(bounce(s.x, s.vx, t, float64(a.size.X-s.size)))
	y := int(bounce(s.y, s.vy, t, float64(a.size.Y-s.size)))
	r := image.Rect(x, y, x+s.size, y+s.size)
	switch s.kind {
	case disc:
		w.FillArcs(a.buffer, s.gc, xlib.Arc(r, 0, 360*64))
	case square:
		w.FillRectangles(a.buffer, s.gc, r)
	case ring:
		w.DrawArcs(a.buffer, s.gc, xlib.Arc(r.Inset(s.size/12), 0, 360*64))
	case triangle:
		c := r.Min.Add(r.Size().Div(2))
		var pts []image.Point
		for k := range 3 {
			angle := s.spin*t + float64(k)*2*math.Pi/3
			pts = append(pts, image.Pt(c.X+int(math.Round(float64(s.size)/2*math.Cos(angle))), c.Y+int(math.Round(float64(s.size)/2*math.Sin(angle)))))
		}
		w.FillPolygon(a.buffer, s.gc, pts...)
	}
}

// drawPlasma computes a patch of plasma a third of the window's size,
// wandering about the window, and puts it in the buffer.
func (a *anim) drawPlasma(t float64) {
	size := a.size.Div(3)
	if size.X < 1 || size.Y < 1 {
		return
	}
	if a.patch == nil || a.patch.Bounds().Size() != size {
		a.patch = image.NewRGBA(image.Rectangle{Max: size})
	}
	p := a.patch
	for y := range size.Y {
		fy := float64(y) / float64(size.Y)
		row := p.Pix[y*p.Stride:]
		for x := range size.X {
			fx := float64(x) / float64(size.X)
			v := math.Sin(fx*10+t*2) + math.Sin(fy*8-t*3) + math.Sin((fx+fy)*6+t) +
				math.Sin(math.Hypot(fx-0.5-0.3*math.Sin(t), fy-0.5-0.3*math.Cos(t*0.7))*14)
			v = v*math.Pi/4 + t
			row[4*x] = uint8(128 + 127*math.Sin(v))
			row[4*x+1] = uint8(128 + 127*math.Sin(v+2.1))
			row[4*x+2] = uint8(128 + 127*math.Sin(v+4.2))
			row[4*x+3] = 0xff
		}
	}
	at := image.Pt(
		int(bounce(0.3, 50, t, float64(a.size.X-size.X))),
		int(bounce(0.6, 35, t, float64(a.size.Y-size.Y))),
	)
	a.w.PutImage(a.buffer, a.copy, p, at)
}
