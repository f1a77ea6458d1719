package app

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"strconv"
	"strings"

	"netdisplay/protocol"
	"netdisplay/xlib"
)

// openWindow creates the application's window, unmapped, with the
// properties a window manager reads: its name and class, its position
// and size as the user's choice (so that it opens where asked), and
// WM_DELETE_WINDOW, so that closing it ends the program cleanly.
func openWindow(c *xlib.Conn, a App, opt Options) (*Window, error) {
	s := c.Screen()
	r, err := ParseGeometry(opt.Geometry, a.Size, image.Pt(int(s.WidthInPixels), int(s.HeightInPixels)))
	if err != nil {
		return nil, err
	}
	w := &Window{Conn: c, Size: r.Size(), Opt: opt}
	bg := a.Background
	if bg == nil {
		bg = color.White
	}
	w.ID, err = c.CreateWindow(c.Root(), r, 0,
		xlib.BackPixel(w.Pixel(bg)),
		xlib.EventMask(protocol.EventMaskExposure|protocol.EventMaskStructureNotify|a.Input))
	if err != nil {
		return nil, err
	}
	protocols := c.InternAtom("WM_PROTOCOLS", false)
	deleteWindow := c.InternAtom("WM_DELETE_WINDOW", false)
	name := []byte(a.Name)
	c.ChangeProperty(w.ID, protocol.PropModeReplace, protocol.AtomWmName, protocol.AtomString, 8, name)
	c.ChangeProperty(w.ID, protocol.PropModeReplace, protocol.AtomWmIconName, protocol.AtomString, 8, name)
	class := a.Name + "\x00" + strings.ToUpper(a.Name[:1]) + a.Name[1:] + "\x00"
	c.ChangeProperty(w.ID, protocol.PropModeReplace, protocol.AtomWmClass, protocol.AtomString, 8, []byte(class))
	c.ChangePropertyValues(w.ID, protocol.PropModeReplace, protocol.AtomWmNormalHints, protocol.AtomWmSizeHints, sizeHints(r)...)
	if w.protocols, err = protocols.Reply(); err != nil {
		return nil, err
	}
	if w.deleteWindow, err = deleteWindow.Reply(); err != nil {
		return nil, err
	}
	c.ChangePropertyValues(w.ID, protocol.PropModeReplace, w.protocols, protocol.AtomAtom, uint32(w.deleteWindow))
	return w, nil
}

// sizeHints is WM_NORMAL_HINTS saying that the user chose the position
// and size (USPosition, USSize), with the position and size in the
// obsolete fields too, for old window managers.
func sizeHints(r image.Rectangle) []uint32 {
	const usPosition, usSize = 1, 2
	h := make([]uint32, 18)
	h[0] = usPosition | usSize
	h[1], h[2] = uint32(int32(r.Min.X)), uint32(int32(r.Min.Y))
	h[3], h[4] = uint32(r.Dx()), uint32(r.Dy())
	return h
}

// isDelete reports whether ev is the window manager asking to close the
// window.
func (w *Window) isDelete(ev *protocol.ClientMessageEvent) bool {
	if ev.Type != w.protocols || ev.Format != 32 {
		return false
	}
	return xlib.Atom(ev.Data.Data32[0]) == w.deleteWindow
}

// ParseGeometry reads an X geometry ("WxH", "WxH+X+Y", "+X+Y", "WxH-X-Y"
// with negative offsets from the right and bottom edges of the screen)
// into the window's rectangle; what is left out is the default size at
// +0+0.
func ParseGeometry(s string, size, screen image.Point) (image.Rectangle, error) {
	bad := func() (image.Rectangle, error) {
		return image.Rectangle{}, fmt.Errorf("geometry %q: want WxH+X+Y", s)
	}
	rest := s
	if i := strings.IndexAny(rest, "+-"); i != 0 {
		dims := rest
		if i > 0 {
			dims, rest = rest[:i], rest[i:]
		} else {
			rest = ""
		}
		ws, hs, ok := strings.Cut(strings.ToLower(dims), "x")
		if !ok && dims != "" {
			return bad()
		}
		if dims != "" {
			w, err1 := strconv.Atoi(ws)
			h, err2 := strconv.Atoi(hs)
			if err1 != nil || err2 != nil || w < 1 || h < 1 || w > 32767 || h > 32767 {
				return bad()
			}
			size = image.Pt(w, h)
		}
	}
	var pos image.Point
	if rest != "" {
		j := strings.IndexAny(rest[1:], "+-")
		if j < 0 {
			return bad()
		}
		xs, ys := rest[:j+1], rest[j+1:]
		x, err1 := strconv.Atoi(xs[1:])
		y, err2 := strconv.Atoi(ys[1:])
		if err1 != nil || err2 != nil || x < 0 || y < 0 {
			return bad()
		}
		pos = image.Pt(x, y)
		if xs[0] == '-' {
			pos.X = screen.X - size.X - x
		}
		if ys[0] == '-' {
			pos.Y = screen.Y - size.Y - y
		}
	}
	return image.Rectangle{pos, pos.Add(size)}, nil
}

// Pixel returns the pixel value for a colour. On a TrueColor screen, the
// usual one, it costs no round trip.
func (w *Window) Pixel(c color.Color) uint32 {
	p, _ := w.AllocColor(w.DefaultColormap(), c).Reply()
	return p // on error (the connection is gone) the loop will say so
}

// GC creates a graphics context for the window. It does not return an
// error: the only ones are a lost connection, which the event loop
// reports, and running out of ids, which a program with a fixed set of
// resources does not.
func (w *Window) GC(attrs ...xlib.GCAttr) xlib.GC {
	gc, _ := w.CreateGC(w.ID, attrs...)
	return gc
}

// A Font is an open font and its metrics.
type Font struct {
	ID              xlib.Font
	Ascent, Descent int
	info            *protocol.QueryFontReply
}

// OpenFont opens the first of the named fonts that the server has, and
// falls back to "fixed", which every server has.
func (w *Window) OpenFont(names ...string) (*Font, error) {
	for _, name := range append(names[:len(names):len(names)], "fixed") {
		id, err := w.NewID()
		if err != nil {
			return nil, err
		}
		open := w.SendChecked(&protocol.OpenFont{Fid: protocol.Font(id), Name: []byte(name)})
		query := w.QueryFont(xlib.Font(id))
		if err := open.Check(); err != nil {
			var xerr *protocol.Error
			if errors.As(err, &xerr) {
				query.Reply() // a BadFont error: the font is not there
				continue
			}
			return nil, err
		}
		info, err := query.Reply()
		if err != nil {
			return nil, err
		}
		return &Font{ID: xlib.Font(id), Ascent: int(info.FontAscent), Descent: int(info.FontDescent), info: info}, nil
	}
	return nil, fmt.Errorf("the server has no font %q, nor fixed", names)
}

// Height is the distance from one line of text to the next.
func (f *Font) Height() int { return f.Ascent + f.Descent }

// Width is the width of a line of text, as the server will draw it.
func (f *Font) Width(s string) int {
	n := 0
	for _, r := range s {
		n += f.charWidth(r)
	}
	return n
}

func (f *Font) charWidth(r rune) int {
	i := f.info
	if len(i.CharInfos) == 0 {
		return int(i.MaxBounds.CharacterWidth)
	}
	ch := int(r)
	if r > 0xff {
		ch = int(i.DefaultChar)
	}
	lo, hi := int(i.MinCharOrByte2), int(i.MaxCharOrByte2)
	if ch < lo || ch > hi {
		ch = int(i.DefaultChar)
		if ch < lo || ch > hi {
			return 0
		}
	}
	return int(i.CharInfos[ch-lo].CharacterWidth)
}
