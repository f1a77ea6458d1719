//go:build linux

package xlib_test

import (
	"image"
	"io"
	"testing"

	"netdisplay/internal/peer"
	"netdisplay/protocol"
	"netdisplay/xlib"
	"netdisplay/xserver"
)

// drainConn connects to a fake server that reads and discards every
// request: what is measured is xlib's side alone.
func drainConn(b *testing.B) *xlib.Conn {
	nc := fakeServer(b, nil, 0x1fffff, func(p *fakePeer) { io.Copy(io.Discard, p.c) })
	c, err := xlib.NewConn(nc, xlib.Options{NoBigRequests: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	return c
}

// BenchmarkEncode measures queueing requests: marshalling into the output
// buffer, and the writes when it fills.
func BenchmarkEncode(b *testing.B) {
	c := drainConn(b)
	w := c.Root()
	gc := xlib.GC(0x200001)
	b.Run("FillRectangles", func(b *testing.B) {
		r := image.Rect(10, 20, 30, 40)
		b.ReportAllocs()
		for b.Loop() {
			c.FillRectangles(w, gc, r)
		}
	})
	b.Run("Send/PolyFillRectangle", func(b *testing.B) {
		req := &protocol.PolyFillRectangle{Drawable: protocol.Drawable(w), Gc: protocol.Gcontext(gc), Rectangles: []protocol.Rectangle{{X: 10, Y: 20, Width: 20, Height: 20}}}
		b.ReportAllocs()
		for b.Loop() {
			c.Send(req)
		}
	})
	b.Run("DrawLines100", func(b *testing.B) {
		pts := make([]image.Point, 100)
		for i := range pts {
			pts[i] = image.Pt(i, i*i%97)
		}
		b.ReportAllocs()
		for b.Loop() {
			c.DrawLines(w, gc, pts...)
		}
	})
	b.Run("ImageText8", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c.ImageText8(w, gc, image.Pt(10, 10), "Hello, world!")
		}
	})
	b.Run("InternAtomCookie", func(b *testing.B) {
		// The request and its pending entry; no reply ever comes.
		b.ReportAllocs()
		for b.Loop() {
			c.InternAtom("NOT_CACHED", true)
		}
	})
}

// image1080 is a 1920x1080 test picture.
func image1080() *image.RGBA {
	return randomImage(image.Rect(0, 0, 1920, 1080), 42)
}

// BenchmarkPutImageEncode measures converting and queueing a 1920x1080
// image, written to a server that discards it.
func BenchmarkPutImageEncode(b *testing.B) {
	c := drainConn(b)
	img := image1080()
	b.SetBytes(int64(len(img.Pix)))
	b.ReportAllocs()
	for b.Loop() {
		if err := c.PutImage(c.Root(), 0x200001, img, image.Point{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPutImage puts a 1920x1080 image on a full-screen window and
// waits until the server has drawn it, on netdisplay and on Xvfb.
func BenchmarkPutImage(b *testing.B) {
	for _, s := range benchServers(b, 1920, 1080) {
		b.Run(s.name, func(b *testing.B) {
			c := dial(b, s.display, xlib.Options{})
			w := newWindow(b, c, 1920, 1080)
			gc, _ := c.CreateGC(w)
			img := image1080()
			b.SetBytes(int64(len(img.Pix)))
			b.ReportAllocs()
			for b.Loop() {
				c.PutImage(w, gc, img, image.Point{})
				if err := c.Sync(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRoundTrip measures one request and its reply.
func BenchmarkRoundTrip(b *testing.B) {
	for _, s := range benchServers(b, 640, 480) {
		b.Run(s.name, func(b *testing.B) {
			c := dial(b, s.display, xlib.Options{})
			b.ReportAllocs()
			for b.Loop() {
				if err := c.Sync(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func benchServers(b *testing.B, w, h int) []server {
	s := []server{{"netdisplay", startNetdisplay(b, xserver.Config{Width: w, Height: h})}}
	if peer.Have("Xvfb") {
		s = append(s, server{"Xvfb", peer.Xvfb(b, w, h, "-noreset")})
	}
	return s
}
