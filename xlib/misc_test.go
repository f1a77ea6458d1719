//go:build linux

package xlib_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"netdisplay/internal/peer"
	"netdisplay/protocol"
	"netdisplay/xlib"
)

// TestColors checks AllocColor's local answer for TrueColor against the
// server's, and named colours.
func TestColors(t *testing.T) {
	eachServer(t, func(t *testing.T, c *xlib.Conn) {
		cm := c.DefaultColormap()
		before := c.Stats()
		cols := []color.Color{color.Black, color.White, color.RGBA{0x12, 0x34, 0x56, 0xff}, color.RGBA{0xff, 0x80, 0x01, 0xff}, color.Gray{0x7f}}
		for _, col := range cols {
			local, err := c.AllocColor(cm, col).Reply()
			if err != nil {
				t.Fatal(err)
			}
			r, g, b, _ := col.RGBA()
			srv, err := xlib.Call[protocol.AllocColorReply](c, &protocol.AllocColor{Cmap: protocol.Colormap(cm), Red: uint16(r), Green: uint16(g), Blue: uint16(b)}).Reply()
			if err != nil {
				t.Fatal(err)
			}
			if local != srv.Pixel {
				t.Errorf("AllocColor(%v) = %#x; the server says %#x", col, local, srv.Pixel)
			}
		}
		if got := c.Stats().RoundTrips - before.RoundTrips; got != uint64(len(cols)) {
			t.Errorf("%d round trips, want %d: the local answers need none", got, len(cols))
		}
		red := c.AllocNamedColor(cm, "red")
		steel := c.AllocNamedColor(cm, "Light Steel Blue")
		missing := c.AllocNamedColor(cm, "no such colour")
		if p, err := red.Reply(); err != nil || p != 0xff0000 {
			t.Errorf("red: %#x, %v", p, err)
		}
		if p, err := steel.Reply(); err != nil || p != 0xb0c4de {
			t.Errorf("Light Steel Blue: %#x, %v", p, err)
		}
		var xe *protocol.Error
		if _, err := missing.Reply(); !errors.As(err, &xe) || xe.Code != protocol.BadName {
			t.Errorf("a missing colour: %v, want BadName", err)
		}
	})
}

// TestColorsXOrg checks the local TrueColor answer against X.Org for
// 16-bit values that are not 8-bit values scaled, where rounding would
// show.
func TestColorsXOrg(t *testing.T) {
	peer.Need(t, "Xvfb")
	c := dial(t, peer.Xvfb(t, 64, 64), xlib.Options{})
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		col := color.RGBA64{uint16(rng.Uint32()), uint16(rng.Uint32()), uint16(rng.Uint32()), 0xffff}
		local, _ := c.AllocColor(c.DefaultColormap(), col).Reply()
		srv, err := xlib.Call[protocol.AllocColorReply](c, &protocol.AllocColor{Cmap: protocol.Colormap(c.DefaultColormap()), Red: col.R, Green: col.G, Blue: col.B}).Reply()
		if err != nil {
			t.Fatal(err)
		}
		if local != srv.Pixel {
			t.Errorf("AllocColor(%v) = %#x; X.Org says %#x", col, local, srv.Pixel)
		}
	}
}

// TestText checks fonts and the text requests.
func TestText(t *testing.T) {
	eachServer(t, func(t *testing.T, c *xlib.Conn) {
		names, err := c.ListFonts("*", 5).Reply()
		if err != nil || len(names) == 0 || len(names) > 5 {
			t.Fatalf("ListFonts: %q, %v", names, err)
		}
		font, _ := c.OpenFont("fixed")
		info, err := c.QueryFont(font).Reply()
		if err != nil {
			t.Fatal(err)
		}
		if info.FontAscent <= 0 || info.MaxBounds.CharacterWidth <= 0 || len(info.CharInfos) == 0 {
			t.Errorf("QueryFont(fixed): ascent %d width %d, %d characters", info.FontAscent, info.MaxBounds.CharacterWidth, len(info.CharInfos))
		}
		pix, _ := c.CreatePixmap(c.Root(), 300, 40, 24)
		gc, _ := c.CreateGC(pix, xlib.Foreground(0xffffff), xlib.GCFont(font))
		c.FillRectangles(pix, gc, image.Rect(0, 0, 300, 40))
		c.ChangeGC(gc, xlib.Foreground(0), xlib.Background(0xffffff))
		c.ImageText8(pix, gc, image.Pt(2, 15), "Hello")
		c.PolyText8(pix, gc, image.Pt(2, 35), strings.Repeat("x", 600))
		c.PolyText16(pix, gc, image.Pt(200, 15), "héllo")
		if err := c.ImageText8(pix, gc, image.Pt(0, 0), strings.Repeat("x", 256)); err == nil {
			t.Error("ImageText8 of 256 characters did not fail")
		}
		img, err := c.GetImage(pix, image.Rect(0, 0, 300, 40)).Reply()
		if err != nil {
			t.Fatal(err)
		}
		inked := func(r image.Rectangle) int {
			n := 0
			for y := r.Min.Y; y < r.Max.Y; y++ {
				for x := r.Min.X; x < r.Max.X; x++ {
					if img.RGBAAt(x, y).R == 0 {
						n++
					}
				}
			}
			return n
		}
		w := int(info.MaxBounds.CharacterWidth)
		if inked(image.Rect(2, 0, 2+5*w, 20)) == 0 || inked(image.Rect(0, 21, 300, 40)) == 0 {
			t.Error("the text left no ink")
		}
		if inked(image.Rect(2+5*w+1, 0, 199, 20)) != 0 {
			t.Error("ink after the end of Hello")
		}
		if err := c.Sync(); err != nil {
			t.Fatal(err)
		}
		noEvents(t, c)
	})
}

// TestProperties checks properties and atoms.
func TestProperties(t *testing.T) {
	eachServer(t, func(t *testing.T, c *xlib.Conn) {
		w := newWindow(t, c, 10, 10)
		if a, err := c.InternAtom("WM_NAME", true).Reply(); err != nil || a != protocol.AtomWmName {
			t.Errorf("WM_NAME is %d, %v", a, err)
		}
		if name, err := c.AtomName(protocol.AtomString).Reply(); err != nil || name != "STRING" {
			t.Errorf("atom STRING is named %q, %v", name, err)
		}
		if a, err := c.InternAtom("XLIB_TEST_SURELY_MISSING", true).Reply(); err != nil || a != 0 {
			t.Errorf("a missing atom with onlyIfExists: %d, %v", a, err)
		}
		c.ChangeProperty(w, protocol.PropModeReplace, protocol.AtomWmName, protocol.AtomString, 8, []byte("hello"))
		c.ChangeProperty(w, protocol.PropModeAppend, protocol.AtomWmName, protocol.AtomString, 8, []byte(", world"))
		list, _ := c.InternAtom("XLIB_TEST_LIST", false).Reply()
		c.ChangePropertyValues(w, protocol.PropModeReplace, list, protocol.AtomCardinal, 1, 2, 0xfffffffe)
		p, err := c.GetProperty(w, protocol.AtomWmName, false).Reply()
		if err != nil || string(p.Value) != "hello, world" || p.Type != protocol.AtomString || p.Format != 8 {
			t.Errorf("WM_NAME: %+v, %v", p, err)
		}
		p, err = c.GetProperty(w, list, true).Reply()
		if err != nil || p.Format != 32 || p.ValueLen != 3 || c.ByteOrder().U32(p.Value[8:]) != 0xfffffffe {
			t.Errorf("32-bit list: %+v, %v", p, err)
		}
		if p, err := c.GetProperty(w, list, false).Reply(); err != nil || p.Type != 0 {
			t.Errorf("a deleted property: %+v, %v", p, err)
		}
	})
}

// TestSelections has one connection own selections and another read
// them: plain, TARGETS, refused, by INCR, and lost to a third.
func TestSelections(t *testing.T) {
	for _, s := range servers(t) {
		t.Run(s.name, func(t *testing.T) {
			owner := dial(t, s.display, xlib.Options{ByteOrder: protocol.LSBFirst})
			reader := dial(t, s.display, xlib.Options{ByteOrder: protocol.MSBFirst})
			xlib.SetIncrChunk(owner, 4096)
			ow := newWindow(t, owner, 10, 10)
			rw := newWindow(t, reader, 10, 10)
			utf8, _ := owner.InternAtom("UTF8_STRING", false).Reply()
			big, _ := owner.InternAtom("XLIB_TEST_BIG", false).Reply()
			clipboard, _ := owner.InternAtom("CLIPBOARD", false).Reply()
			targetsAtom, _ := reader.InternAtom("TARGETS", false).Reply()
			bigData := make([]byte, 100003)
			for i := range bigData {
				bigData[i] = byte(i * 31)
			}
			sel, err := owner.OwnSelection(ow, clipboard, xlib.CurrentTime, map[xlib.Atom]xlib.SelectionData{
				utf8: {Type: utf8, Format: 8, Data: []byte("hello, wörld")},
				big:  {Type: protocol.AtomInteger, Format: 8, Data: bigData},
			})
			if err != nil {
				t.Fatal(err)
			}
			if w, err := reader.GetSelectionOwner(clipboard).Reply(); err != nil || w != ow {
				t.Fatalf("owner is %#x, %v; want %#x", w, err, ow)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()

			data, typ, err := reader.ReadSelection(ctx, rw, clipboard, utf8)
			if err != nil || string(data) != "hello, wörld" || typ != utf8 {
				t.Errorf("UTF8_STRING: %q of type %d, %v", data, typ, err)
			}
			data, typ, err = reader.ReadSelection(ctx, rw, clipboard, targetsAtom)
			if err != nil || typ != protocol.AtomAtom || len(data) != 12 {
				t.Fatalf("TARGETS: % x of type %d, %v", data, typ, err)
			}
			var targets []xlib.Atom
			for i := 0; i < len(data); i += 4 {
				targets = append(targets, xlib.Atom(reader.ByteOrder().U32(data[i:])))
			}
			slices.Sort(targets)
			want := []xlib.Atom{utf8, big, targetsAtom}
			slices.Sort(want)
			if !slices.Equal(targets, want) {
				t.Errorf("TARGETS = %v, want %v", targets, want)
			}
			if _, _, err := reader.ReadSelection(ctx, rw, clipboard, protocol.AtomPixmap); !errors.Is(err, xlib.ErrNoConversion) {
				t.Errorf("a target not offered: %v, want ErrNoConversion", err)
			}
			before := reader.Stats().RoundTrips
			data, typ, err = reader.ReadSelection(ctx, rw, clipboard, big)
			if err != nil || typ != protocol.AtomInteger || !bytes.Equal(data, bigData) {
				t.Errorf("INCR: %d bytes of type %d, %v", len(data), typ, err)
			}
			if rt := reader.Stats().RoundTrips - before; rt < 100003/4096 {
				t.Errorf("INCR transfer in %d round trips: it was not split", rt)
			}
			if _, _, err := reader.ReadSelection(ctx, rw, protocol.AtomSecondary, utf8); !errors.Is(err, xlib.ErrNoConversion) {
				t.Errorf("a selection nobody owns: %v, want ErrNoConversion", err)
			}

			// Losing it to another client.
			reader.SetSelectionOwner(rw, clipboard, xlib.CurrentTime)
			reader.Flush()
			within(t, 10*time.Second, "Lost", func() { <-sel.Lost() })
			if err := sel.Release(); err != nil {
				t.Error(err)
			}
			if w, _ := reader.GetSelectionOwner(clipboard).Reply(); w != rw {
				t.Errorf("Release of a lost selection changed the owner to %#x", w)
			}

			// Releasing one still owned.
			sel, err = owner.OwnSelection(ow, protocol.AtomPrimary, xlib.CurrentTime, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := sel.Release(); err != nil {
				t.Fatal(err)
			}
			owner.Sync()
			if w, _ := reader.GetSelectionOwner(protocol.AtomPrimary).Reply(); w != 0 {
				t.Errorf("after Release the owner is %#x", w)
			}
			noEvents(t, owner)
			noEvents(t, reader)
		})
	}
}

// TestWindowsAndDrawing checks the window requests and the drawing
// helpers the cross-check does not use.
func TestWindowsAndDrawing(t *testing.T) {
	eachServer(t, func(t *testing.T, c *xlib.Conn) {
		w := newWindow(t, c, 50, 40, xlib.BackPixel(0x0000ff))
		c.MoveResizeWindow(w, image.Rect(5, 6, 85, 66))
		g, err := c.GetGeometry(w).Reply()
		if err != nil || g.X != 5 || g.Y != 6 || g.Width != 80 || g.Height != 60 {
			t.Fatalf("after MoveResizeWindow: %+v, %v", g, err)
		}
		gc, _ := c.CreateGC(w, xlib.Foreground(0xff0000))
		c.FillRectangles(w, gc, image.Rect(0, 0, 80, 60))
		c.ClearArea(w, image.Rect(10, 10, 20, 20), false)
		c.SetClipRectangles(gc, image.Pt(0, 0), image.Rect(30, 30, 40, 40))
		c.ChangeGC(gc, xlib.Foreground(0x00ff00))
		c.FillRectangles(w, gc, image.Rect(0, 0, 80, 60))
		font, _ := c.OpenFont("fixed")
		gc2, _ := c.CreateGC(w, xlib.Foreground(0), xlib.Background(0xffffff), xlib.GCFont(font))
		c.ImageText16(w, gc2, image.Pt(50, 20), "Hi")
		img, err := c.GetImage(w, image.Rect(0, 0, 80, 60)).Reply()
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []struct {
			at   image.Point
			want color.RGBA
		}{
			{image.Pt(5, 5), color.RGBA{0xff, 0, 0, 0xff}},
			{image.Pt(15, 15), color.RGBA{0, 0, 0xff, 0xff}}, // cleared to the background
			{image.Pt(35, 35), color.RGBA{0, 0xff, 0, 0xff}}, // inside the clip
			{image.Pt(45, 45), color.RGBA{0xff, 0, 0, 0xff}}, // outside it
		} {
			if got := img.RGBAAt(p.at.X, p.at.Y); got != p.want {
				t.Errorf("pixel %v is %v, want %v", p.at, got, p.want)
			}
		}
		ink, paper := 0, 0
		for y := 5; y < 25; y++ {
			for x := 50; x < 70; x++ {
				switch img.RGBAAt(x, y) {
				case color.RGBA{0, 0, 0, 0xff}:
					ink++
				case color.RGBA{0xff, 0xff, 0xff, 0xff}:
					paper++
				}
			}
		}
		if ink == 0 || paper == 0 {
			t.Errorf("ImageText16 left %d pixels of ink and %d of background", ink, paper)
		}
		c.FreeGC(gc)
		c.CloseFont(font)
		c.UnmapWindow(w)
		c.DestroyWindow(w)
		var xe *protocol.Error
		if _, err := c.GetGeometry(w).Reply(); !errors.As(err, &xe) || xe.Code != protocol.BadDrawable {
			t.Errorf("GetGeometry of a destroyed window: %v", err)
		}
		noEvents(t, c)
	})
}
