package wm

import (
	"image"
	"testing"

	"netdisplay/protocol"
	"netdisplay/xlib"
)

func TestPlaceFirstFit(t *testing.T) {
	screen := image.Rect(0, 0, 640, 480)
	sz := image.Pt(110, 128)
	var taken []image.Rectangle
	want := []image.Point{{8, 8}, {126, 8}, {244, 8}, {362, 8}, {480, 8}, {8, 144}}
	for i, w := range want {
		p := place(sz, screen, taken, 8, 24)
		if p != w {
			t.Fatalf("window %d placed at %v, want %v (taken %v)", i, p, w, taken)
		}
		taken = append(taken, image.Rectangle{p, p.Add(sz)})
	}
}

func TestPlaceFullScreenSpreads(t *testing.T) {
	screen := image.Rect(0, 0, 640, 480)
	sz := image.Pt(494, 344) // an 80x24 xterm, framed
	var taken []image.Rectangle
	seen := map[image.Point]bool{}
	for i := range 4 {
		p := place(sz, screen, taken, 8, 24)
		r := image.Rectangle{p, p.Add(sz)}
		if !r.In(screen) {
			t.Errorf("window %d at %v is off the screen", i, r)
		}
		if seen[p] {
			t.Errorf("window %d placed at %v, where another is", i, p)
		}
		seen[p] = true
		taken = append(taken, r)
	}
}

func TestPlaceTooBig(t *testing.T) {
	p := place(image.Pt(800, 600), image.Rect(0, 0, 640, 480), nil, 8, 24)
	if p != image.Pt(8, 8) {
		t.Errorf("a window larger than the screen went to %v, want the corner", p)
	}
}

func TestConstrain(t *testing.T) {
	xterm := xlib.SizeHints{
		Flags:     xlib.PMinSize | xlib.PResizeInc | xlib.PBaseSize,
		MinSize:   image.Pt(10, 17),
		ResizeInc: image.Pt(6, 13),
		BaseSize:  image.Pt(4, 4),
	}
	bounded := xlib.SizeHints{Flags: xlib.PMinSize | xlib.PMaxSize, MinSize: image.Pt(50, 40), MaxSize: image.Pt(200, 100)}
	for _, c := range []struct {
		h       xlib.SizeHints
		in, out image.Point
	}{
		{xlib.SizeHints{}, image.Pt(123, 45), image.Pt(123, 45)},
		{xlib.SizeHints{}, image.Pt(-5, 0), image.Pt(1, 1)},
		{xterm, image.Pt(484, 316), image.Pt(484, 316)},
		{xterm, image.Pt(413, 227), image.Pt(412, 225)},
		{xterm, image.Pt(3, 3), image.Pt(10, 17)},
		{bounded, image.Pt(10, 500), image.Pt(50, 100)},
		{bounded, image.Pt(300, 70), image.Pt(200, 70)},
	} {
		if got := constrain(c.h, c.in); got != c.out {
			t.Errorf("constrain(%+v, %v) = %v, want %v", c.h, c.in, got, c.out)
		}
	}
}

func TestGravity(t *testing.T) {
	m := metrics{border: 1, edge: 4, title: 20, button: 14, grip: 16}
	sz := image.Pt(100, 50)
	// The frame is 110x76 outside; the client with a border of 2 is
	// 104x54.
	for _, c := range []struct {
		g    uint8
		want image.Point
	}{
		{protocol.GravityNorthWest, image.Pt(0, 0)},
		{protocol.GravityNorth, image.Pt(52-55, 0)},
		{protocol.GravityNorthEast, image.Pt(104-110, 0)},
		{protocol.GravityCenter, image.Pt(52-55, 27-38)},
		{protocol.GravitySouthEast, image.Pt(104-110, 54-76)},
		{protocol.GravityStatic, image.Pt(2-5, 2-21)},
	} {
		if got := gravityOffset(m, c.g, sz, 2); got != c.want {
			t.Errorf("gravity %d: offset %v, want %v", c.g, got, c.want)
		}
	}
	// With static gravity the inside of the client stays put.
	at := image.Pt(300, 200)
	f := at.Add(gravityOffset(m, protocol.GravityStatic, sz, 2))
	if inside := f.Add(m.offset()); inside != at.Add(image.Pt(2, 2)) {
		t.Errorf("static gravity moved the client's inside from %v to %v", at.Add(image.Pt(2, 2)), inside)
	}
}

func TestHit(t *testing.T) {
	m := metrics{border: 1, edge: 4, title: 20, button: 14, grip: 16}
	f := &frame{size: image.Pt(200, 100)} // the frame window is 208x124
	for _, c := range []struct {
		p    image.Point
		want part
	}{
		{image.Pt(50, 10), partTitle},
		{image.Pt(200, 10), partClose},
		{image.Pt(192, 10), partClose},
		{image.Pt(189, 10), partTitle},
		{image.Pt(2, 60), partEdge},
		{image.Pt(206, 122), partGrip},
		{image.Pt(195, 121), partGrip},
		{image.Pt(100, 121), partEdge},
	} {
		if got := f.hit(m, c.p); got != c.want {
			t.Errorf("hit(%v) = %v, want %v", c.p, got, c.want)
		}
	}
}
