package viewer

import (
	"context"
	"image"
	"sync"
	"time"

	"netdisplay/pixelproto"
)

// rfbSession is pixel mode: an RFB client of a display elsewhere.
type rfbSession struct {
	c      *pixelproto.Client
	target string

	in      sync.Mutex
	buttons uint8

	updated chan struct{}
	lat     latency
	meter   meter
	done    chan struct{}
}

// Dial returns a pixel-mode session: an RFB client of the server at
// target ("vnc://host:port", "host:port" or "host::port").
func Dial(ctx context.Context, target, password string, encodings []pixelproto.Encoding) (Session, error) {
	c, err := pixelproto.Dial(ctx, target, pixelproto.ClientConfig{Password: password, Encodings: encodings})
	if err != nil {
		return nil, err
	}
	return NewRFB(c, target), nil
}

// NewRFB returns a pixel-mode session of a client already connected, for
// viewers whose connection is not a TCP dial: the browser's runs RFB over
// a WebSocket. The session owns c.
func NewRFB(c *pixelproto.Client, target string) Session {
	s := &rfbSession{c: c, target: target, updated: make(chan struct{}, 1), done: make(chan struct{})}
	go s.forward()
	return s
}

// forward passes the client's update signals on, noting when pixels
// arrive for the latency figure.
func (s *rfbSession) forward() {
	defer close(s.done)
	for {
		select {
		case <-s.c.Updated():
			select {
			case s.updated <- struct{}{}:
			default:
			}
		case <-s.c.Done():
			select {
			case s.updated <- struct{}{}:
			default:
			}
			return
		}
	}
}

func (s *rfbSession) Mode() string   { return "rfb" }
func (s *rfbSession) Target() string { return s.target }

func (s *rfbSession) Frame(f func(img *image.RGBA, changed image.Rectangle)) {
	s.c.Framebuffer(func(img *image.RGBA, changed image.Rectangle) {
		if !changed.Empty() {
			s.lat.shown(time.Now())
		}
		f(img, changed)
	})
}

func (s *rfbSession) Updated() <-chan struct{} { return s.updated }

func (s *rfbSession) Cursor() *Cursor {
	c := s.c.Cursor()
	if c == nil {
		return nil
	}
	img := image.NewRGBA(image.Rect(0, 0, c.Width, c.Height))
	for i, p := range c.Pixels {
		if i < len(c.Mask) && c.Mask[i] {
			img.Pix[4*i], img.Pix[4*i+1], img.Pix[4*i+2], img.Pix[4*i+3] = uint8(p>>16), uint8(p>>8), uint8(p), 0xFF
		}
	}
	return &Cursor{Image: img, Hot: c.Hot}
}

func (s *rfbSession) Key(keysym uint32, down bool) {
	if down {
		s.lat.input(time.Now())
	}
	s.c.Key(keysym, down)
}

func (s *rfbSession) Pointer(x, y int, buttons uint8) {
	s.in.Lock()
	if buttons&^s.buttons != 0 || buttons&7 != 0 {
		s.lat.input(time.Now())
	}
	s.buttons = buttons
	s.in.Unlock()
	s.c.Pointer(x, y, buttons)
}

func (s *rfbSession) CutText(text []byte)   { s.c.SendCutText(text) }
func (s *rfbSession) Clipboard() []byte     { return s.c.CutText() }
func (s *rfbSession) Resize(w, h int) error { return s.c.SetDesktopSize(w, h) }

func (s *rfbSession) Stats() Stats {
	st := s.c.Stats()
	ir, or, ur := s.meter.rates(time.Now(), st.BytesIn, st.BytesOut, st.Updates)
	return Stats{
		Mode: "rfb", BytesIn: st.BytesIn, BytesOut: st.BytesOut, InPerSec: ir, OutPerSec: or,
		Updates: st.Updates, UpdatesPerSec: ur, UpdateKind: "updates",
		InputLatency: s.lat.get(), Size: s.c.Size(),
	}
}

func (s *rfbSession) Done() <-chan struct{} { return s.done }
func (s *rfbSession) Err() error            { return s.c.Err() }
func (s *rfbSession) Close() error          { return s.c.Close() }
