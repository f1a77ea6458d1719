//go:build linux

package xlib_test

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math/rand/v2"
	"testing"

	"netdisplay/protocol"
	"netdisplay/xlib"
	"netdisplay/xserver"
)

// randomImage is an opaque image of random pixels.
func randomImage(r image.Rectangle, seed uint64) *image.RGBA {
	rng := rand.New(rand.NewPCG(seed, 1))
	img := image.NewRGBA(r)
	for i := 0; i < len(img.Pix); i += 4 {
		v := rng.Uint32()
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = byte(v), byte(v>>8), byte(v>>16), 0xff
	}
	return img
}

// samePixels compares want, placed at p, with what GetImage read.
func samePixels(t *testing.T, what string, got *image.RGBA, want image.Image, p image.Point) {
	t.Helper()
	b := want.Bounds()
	bad := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			w := color.RGBAModel.Convert(want.At(x, y)).(color.RGBA)
			g := got.RGBAAt(x-b.Min.X+p.X, y-b.Min.Y+p.Y)
			if w != g {
				if bad < 5 {
					t.Errorf("%s: pixel (%d,%d) is %v, want %v", what, x, y, g, w)
				}
				bad++
			}
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d of %d pixels differ", what, bad, b.Dx()*b.Dy())
	}
}

// checkPut puts img on a new pixmap of the given size at p, reads the
// pixmap back, and compares. It returns the number of requests PutImage
// sent.
func checkPut(t *testing.T, c *xlib.Conn, w, h int, img image.Image, p image.Point) uint64 {
	t.Helper()
	pix, err := c.CreatePixmap(c.Root(), w, h, 24)
	if err != nil {
		t.Fatal(err)
	}
	defer c.FreePixmap(pix)
	gc, _ := c.CreateGC(pix)
	defer c.FreeGC(gc)
	before := c.Stats().Requests
	if err := c.PutImage(pix, gc, img, p); err != nil {
		t.Fatal(err)
	}
	n := c.Stats().Requests - before
	got, err := c.GetImage(pix, image.Rect(0, 0, w, h)).Reply()
	if err != nil {
		t.Fatal(err)
	}
	samePixels(t, fmt.Sprintf("%dx%d image in %d requests", img.Bounds().Dx(), img.Bounds().Dy(), n), got, img, p)
	noEvents(t, c)
	return n
}

// TestPutImage checks PutImage and GetImage on windows and pixmaps, from
// several image types, in one request when it fits.
func TestPutImage(t *testing.T) {
	eachServer(t, func(t *testing.T, c *xlib.Conn) {
		// A window, through its visual.
		win := newWindow(t, c, 64, 48)
		gc, _ := c.CreateGC(win)
		img := randomImage(image.Rect(0, 0, 64, 48), 1)
		c.PutImage(win, gc, img, image.Point{})
		got, err := c.GetImage(win, image.Rect(0, 0, 64, 48)).Reply()
		if err != nil {
			t.Fatal(err)
		}
		if got.Bounds() != image.Rect(0, 0, 64, 48) {
			t.Errorf("GetImage bounds %v", got.Bounds())
		}
		samePixels(t, "window", got, img, image.Point{})

		// Image types that are converted, and an image whose bounds do
		// not start at 0,0.
		nrgba := image.NewNRGBA(image.Rect(10, 20, 40, 35))
		gray := image.NewGray(image.Rect(0, 0, 17, 9))
		for i := range nrgba.Pix {
			nrgba.Pix[i] = byte(i * 7)
			if i%4 == 3 {
				nrgba.Pix[i] = 0xff
			}
		}
		for i := range gray.Pix {
			gray.Pix[i] = byte(i * 13)
		}
		checkPut(t, c, 50, 40, nrgba, image.Pt(3, 4))
		checkPut(t, c, 50, 40, gray, image.Pt(30, 30))
		checkPut(t, c, 50, 40, randomImage(image.Rect(-5, -5, 20, 20), 2), image.Pt(0, 0))

		// Larger than a request without BIG-REQUESTS, and in one with it.
		if n := checkPut(t, c, 640, 480, randomImage(image.Rect(0, 0, 640, 480), 3), image.Point{}); n != 1 {
			t.Errorf("a 1.2 MB image took %d requests with BIG-REQUESTS, want 1", n)
		}
	})
}

// TestPutImageSplit checks images longer than the longest request the
// server accepts: without BIG-REQUESTS, with a server whose BIG-REQUESTS
// maximum is small, and with rows too long for one request.
func TestPutImageSplit(t *testing.T) {
	for _, s := range servers(t) {
		for _, o := range orders {
			t.Run(s.name+"/"+o.String()+"/NoBigRequests", func(t *testing.T) {
				c := dial(t, s.display, xlib.Options{ByteOrder: o, NoBigRequests: true})
				if m := c.MaxRequestBytes(); m != 4*65535 {
					t.Fatalf("MaxRequestBytes without BIG-REQUESTS = %d, want the setup's %d", m, 4*65535)
				}
				// 400 rows of 1600 bytes: 163 rows fit in a request.
				img := randomImage(image.Rect(0, 0, 400, 300), 4)
				if n := checkPut(t, c, 400, 300, img, image.Point{}); n != 2 {
					t.Errorf("480 KB in %d requests, want 2", n)
				}
			})
		}
	}
	// netdisplay accepting requests of 64 KiB at most.
	limits := xserver.DefaultLimits
	limits.RequestBytes = 64 << 10
	display := startNetdisplay(t, xserver.Config{Width: 640, Height: 480, Limits: limits})
	for _, o := range orders {
		t.Run("netdisplay-64K/"+o.String(), func(t *testing.T) {
			c := dial(t, display, xlib.Options{ByteOrder: o})
			if m := c.MaxRequestBytes(); m != 64<<10 {
				t.Fatalf("MaxRequestBytes = %d, want the BIG-REQUESTS maximum %d", m, 64<<10)
			}
			// (65536-28)/1200 = 54 rows per request.
			img := randomImage(image.Rect(0, 0, 300, 200), 5)
			if n := checkPut(t, c, 300, 200, img, image.Pt(0, 0)); n != 4 {
				t.Errorf("240 KB in %d requests, want 4", n)
			}
			// Rows of 68000 bytes: each is cut in two.
			wide := randomImage(image.Rect(0, 0, 17000, 2), 6)
			if n := checkPut(t, c, 17000, 2, wide, image.Point{}); n != 4 {
				t.Errorf("two rows of 68000 bytes in %d requests, want 4", n)
			}
		})
	}
}

// TestPutImageDepths checks bitmaps and 32-bit pixmaps.
func TestPutImageDepths(t *testing.T) {
	eachServer(t, func(t *testing.T, c *xlib.Conn) {
		// Depth 1: a pixel is set where the image is at least half
		// bright, or half opaque.
		bm, err := c.CreatePixmap(c.Root(), 70, 9, 1)
		if err != nil {
			t.Fatal(err)
		}
		gc, _ := c.CreateGC(bm)
		mask := image.NewAlpha(image.Rect(0, 0, 70, 9))
		want := image.NewGray(mask.Rect)
		for y := range 9 {
			for x := range 70 {
				if (x*y+x/3)%5 < 2 {
					mask.SetAlpha(x, y, color.Alpha{200})
					want.SetGray(x, y, color.Gray{255})
				} else {
					mask.SetAlpha(x, y, color.Alpha{100})
				}
			}
		}
		c.PutImage(bm, gc, mask, image.Point{})
		got, err := c.GetImage(bm, mask.Rect).Reply()
		if err != nil {
			t.Fatal(err)
		}
		samePixels(t, "bitmap", got, want, image.Point{})

		// Depth 32 keeps alpha.
		p32, _ := c.CreatePixmap(c.Root(), 16, 16, 32)
		gc32, _ := c.CreateGC(p32)
		img := image.NewRGBA(image.Rect(0, 0, 16, 16))
		for i := range img.Pix {
			img.Pix[i] = byte(i)
		}
		for i := 0; i < len(img.Pix); i += 4 { // premultiplied: no channel above alpha
			img.Pix[i+3] = 0xff - byte(i/4)
			for k := range 3 {
				img.Pix[i+k] = min(img.Pix[i+k], img.Pix[i+3])
			}
		}
		c.PutImage(p32, gc32, img, image.Point{})
		got, err = c.GetImage(p32, img.Rect).Reply()
		if err != nil {
			t.Fatal(err)
		}
		samePixels(t, "depth 32", got, img, image.Point{})
		noEvents(t, c)
	})
}

// drawScene draws the same things through xlib on any server, into a
// pixmap that it returns the pixels of.
func drawScene(t *testing.T, c *xlib.Conn) *image.RGBA {
	t.Helper()
	const w, h = 200, 150
	pix, _ := c.CreatePixmap(c.Root(), w, h, 24)
	gc, _ := c.CreateGC(pix, xlib.Foreground(0xffffff), xlib.GraphicsExposures(false))
	c.FillRectangles(pix, gc, image.Rect(0, 0, w, h))
	red := c.AllocColor(c.DefaultColormap(), color.RGBA{0xff, 0, 0, 0xff})
	blue, _ := c.AllocNamedColor(c.DefaultColormap(), "blue").Reply()
	r, _ := red.Reply()
	c.ChangeGC(gc, xlib.Foreground(r))
	c.FillRectangles(pix, gc, image.Rect(5, 5, 60, 40), image.Rect(50, 30, 90, 70))
	c.ChangeGC(gc, xlib.Foreground(blue))
	c.DrawLines(pix, gc, image.Pt(0, 149), image.Pt(199, 0), image.Pt(100, 100), image.Pt(10, 80))
	c.DrawRectangles(pix, gc, image.Rect(100, 10, 180, 60))
	c.DrawPoints(pix, gc, image.Pt(1, 1), image.Pt(3, 1), image.Pt(198, 148))
	c.FillPolygon(pix, gc, image.Pt(120, 80), image.Pt(190, 90), image.Pt(150, 140), image.Pt(160, 95))
	c.ChangeGC(gc, xlib.LineWidth(5), xlib.CapStyle(protocol.CapStyleRound))
	c.DrawLines(pix, gc, image.Pt(20, 100), image.Pt(80, 140))
	c.FillArcs(pix, gc, xlib.Arc(image.Rect(130, 110, 170, 140), 0, 270*64))
	c.DrawArcs(pix, gc, xlib.Arc(image.Rect(10, 60, 50, 90), 45*64, 180*64))
	c.ChangeGC(gc, xlib.LineWidth(0))
	c.ChangeGC(gc, xlib.Foreground(0x00a000), xlib.Function(protocol.GXxor))
	c.FillRectangles(pix, gc, image.Rect(40, 20, 140, 120))
	c.ChangeGC(gc, xlib.Function(protocol.GXcopy), xlib.Foreground(0))
	font, _ := c.OpenFont("fixed")
	c.ChangeGC(gc, xlib.GCFont(font), xlib.Background(0xffff00))
	c.ImageText8(pix, gc, image.Pt(10, 130), "Hello, X!")
	c.PolyText8(pix, gc, image.Pt(100, 145), "xlib")
	c.CopyArea(pix, pix, gc, image.Rect(0, 0, 50, 50), image.Pt(150, 100))
	c.PutImage(pix, gc, randomImage(image.Rect(0, 0, 20, 10), 9), image.Pt(170, 5))
	img, err := c.GetImage(pix, image.Rect(0, 0, w, h)).Reply()
	if err != nil {
		t.Fatal(err)
	}
	noEvents(t, c)
	return img
}

// TestCrossCheck draws the same things on netdisplay and on Xvfb and
// compares the pixels.
func TestCrossCheck(t *testing.T) {
	s := servers(t)
	if len(s) < 2 {
		t.Skip("needs Xvfb")
	}
	var imgs [2]*image.RGBA
	for i := range imgs {
		imgs[i] = drawScene(t, dial(t, s[i].display, xlib.Options{ByteOrder: orders[i]}))
	}
	samePixels(t, "netdisplay against Xvfb", imgs[0], imgs[1], image.Point{})
	// The scene is not blank.
	blank := image.NewRGBA(imgs[0].Rect)
	draw.Draw(blank, blank.Rect, image.White, image.Point{}, draw.Src)
	same := 0
	for i := range blank.Pix {
		if blank.Pix[i] == imgs[0].Pix[i] {
			same++
		}
	}
	if same == len(blank.Pix) {
		t.Error("the scene is blank")
	}
}

// TestXvnc runs the drawing and an image round trip against Xvnc, an
// X.Org server of another build, and compares with netdisplay.
func TestXvnc(t *testing.T) {
	vnc := dial(t, startXvnc(t, 640, 480), xlib.Options{ByteOrder: protocol.MSBFirst})
	nd := dial(t, startNetdisplay(t, xserver.Config{Width: 640, Height: 480}), xlib.Options{})
	samePixels(t, "netdisplay against Xvnc", drawScene(t, nd), drawScene(t, vnc), image.Point{})
	checkPut(t, vnc, 640, 480, randomImage(image.Rect(0, 0, 640, 480), 7), image.Point{})
}
