// Package slideshow shows pictures, one every few seconds, each the size
// of the window and sent whole with PutImage, with a caption drawn as
// text on top: the case where pixels dominate both protocols.
//
// The pictures are made here, from the seed (see pictures.go): fractals,
// smooth fields, flat cells and a landscape, so that some compress well
// and some do not, and nothing has to be shipped or licensed.
package slideshow

import (
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	"time"

	"netdisplay/clients/app"
	"netdisplay/protocol"
	"netdisplay/xlib"
)

// App is the slideshow.
var App = app.App{
	Name:       "slideshow",
	Size:       image.Pt(480, 360),
	Background: color.Black,
	Period:     3 * time.Second,
	New:        newSlideshow,
	Flags: func(fs *flag.FlagSet, opt *app.Options) {
		fs.DurationVar(&opt.Period, "interval", 3*time.Second, "time from one picture to the next")
	},
}

// Run runs the slideshow on c until ctx is done; see app.Run.
func Run(ctx context.Context, c *xlib.Conn, opt app.Options) error {
	return app.Run(ctx, c, App, opt)
}

type slideshow struct {
	w       *app.Window
	font    *app.Font
	n       int         // the slide shown
	picture *image.RGBA // its picture, at the window's size

	image, caption, box xlib.GC
}

func newSlideshow(w *app.Window) (app.Program, error) {
	font, err := w.OpenFont("-adobe-helvetica-bold-r-normal--14-140-75-75-p-82-iso8859-1")
	if err != nil {
		return nil, err
	}
	return &slideshow{
		w:       w,
		font:    font,
		image:   w.GC(),
		caption: w.GC(xlib.Foreground(w.Pixel(color.White)), xlib.GCFont(font.ID)),
		box:     w.GC(xlib.Foreground(w.Pixel(color.RGBA{0x20, 0x20, 0x28, 0xff}))),
	}, nil
}

// Draw shows the current slide, made afresh if the window's size changed.
func (s *slideshow) Draw() {
	if s.picture == nil || s.picture.Bounds().Size() != s.w.Size {
		s.picture = picture(s.w.Opt.Seed, s.n, s.w.Size)
	}
	w := s.w
	w.PutImage(w.ID, s.image, s.picture, image.Point{})
	label := fmt.Sprintf("%d  %s", s.n+1, kinds[s.n%len(kinds)].name)
	h := s.font.Height()
	box := image.Rect(8, w.Size.Y-8-h-8, 8+s.font.Width(label)+16, w.Size.Y-8)
	w.FillRectangles(w.ID, s.box, box)
	w.PolyText8(w.ID, s.caption, image.Pt(box.Min.X+8, box.Min.Y+4+s.font.Ascent), label)
}

// show moves to slide n.
func (s *slideshow) show(n int) {
	s.n = n
	s.picture = nil
	s.Draw()
}

// Tick moves to the next slide.
func (s *slideshow) Tick(time.Time) { s.show(s.n + 1) }

func (s *slideshow) Input(protocol.Event) {}

// Script: the short one shows each kind of picture once, a third of a
// second each, and ends on the landscape; the benchmark's shows a
// picture every Period (3 seconds unless set) for 30 seconds.
func (s *slideshow) Script(name string) ([]app.Step, error) {
	n, every := len(kinds)-1, 350*time.Millisecond
	if name == app.Bench {
		every = s.w.Opt.Period
		n = int(30*time.Second/every) - 1
	}
	var steps []app.Step
	for i := 1; i <= n; i++ {
		steps = append(steps, app.Step{At: time.Duration(i) * every, Do: func() { s.show(i) }})
	}
	return steps, nil
}
