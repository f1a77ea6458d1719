//go:build linux

package xlib_test

import (
	"image"
	"image/color"
	"testing"

	"netdisplay/xlib"
)

func TestDrawSegments(t *testing.T) {
	eachServer(t, func(t *testing.T, c *xlib.Conn) {
		p, _ := c.CreatePixmap(c.Root(), 20, 20, int(c.Screen().RootDepth))
		defer c.FreePixmap(p)
		gc, _ := c.CreateGC(p, xlib.Foreground(0xffffff))
		defer c.FreeGC(gc)
		c.FillRectangles(p, gc, image.Rect(0, 0, 20, 20))
		c.ChangeGC(gc, xlib.Foreground(0xff0000))
		c.DrawSegments(p, gc, xlib.Segment{P: image.Pt(2, 3), Q: image.Pt(10, 3)}, xlib.Segment{P: image.Pt(5, 8), Q: image.Pt(5, 14)})
		img, err := c.GetImage(p, image.Rect(0, 0, 20, 20)).Reply()
		if err != nil {
			t.Fatal(err)
		}
		red, white := color.RGBA{0xff, 0, 0, 0xff}, color.RGBA{0xff, 0xff, 0xff, 0xff}
		for _, tc := range []struct {
			at   image.Point
			want color.RGBA
		}{
			{image.Pt(2, 3), red}, {image.Pt(10, 3), red}, {image.Pt(6, 3), red},
			{image.Pt(5, 8), red}, {image.Pt(5, 14), red},
			{image.Pt(5, 5), white}, // between the two: they are not joined
			{image.Pt(11, 3), white},
		} {
			if got := img.RGBAAt(tc.at.X, tc.at.Y); got != tc.want {
				t.Errorf("pixel %v is %v, want %v", tc.at, got, tc.want)
			}
		}
	})
}
