package bench

import (
	"image"
	"image/color"

	"netdisplay/clients/app"
	"netdisplay/clients/app/anim"
	"netdisplay/clients/app/clock"
	"netdisplay/clients/app/edit"
	"netdisplay/clients/app/eyes"
	"netdisplay/clients/app/paint"
	"netdisplay/clients/app/slideshow"
	"netdisplay/protocol"
	"netdisplay/xlib"
)

// Apps are the applications the benchmark runs as child processes
// (netdisplay app NAME): the sample applications, and ping.
var Apps = map[string]app.App{
	"clock":     clock.App,
	"eyes":      eyes.App,
	"paint":     paint.App,
	"edit":      edit.App,
	"slideshow": slideshow.App,
	"anim":      anim.App,
	"ping":      Ping,
}

// Ping is the trivial workload's application: a grey window with a
// square that changes colour at each key press. Its answer to a key is
// one small request, so what its latency measures is the round trip
// through the display and the link, and nothing else.
var Ping = app.App{
	Name:       "ping",
	Size:       image.Pt(120, 80),
	Background: color.Gray{0x80},
	Input:      protocol.EventMaskKeyPress,
	New: func(w *app.Window) (app.Program, error) {
		p := &ping{w: w}
		for _, c := range pingColours {
			p.gc = append(p.gc, w.GC(xlib.Foreground(w.Pixel(c))))
		}
		return p, nil
	},
}

var pingColours = []color.Color{
	color.RGBA{0xd6, 0x2f, 0x2f, 0xff},
	color.RGBA{0x2f, 0x6f, 0xd6, 0xff},
	color.RGBA{0x3b, 0xa5, 0x4a, 0xff},
}

type ping struct {
	w       *app.Window
	gc      []xlib.GC
	presses int
}

// marker is where the square is.
func (p *ping) marker() image.Rectangle { return image.Rect(20, 20, 60, 60) }

func (p *ping) Draw() {
	p.w.FillRectangles(p.w.ID, p.gc[p.presses%len(p.gc)], p.marker())
}

func (p *ping) Input(ev protocol.Event) {
	if _, ok := ev.(*protocol.KeyPressEvent); ok {
		p.presses++
		p.Draw()
	}
}

func (p *ping) Script(string) ([]app.Step, error) { return nil, app.ErrUnknownScript }
