//go:build linux

package xlib_test

import (
	"image"
	"testing"
	"time"

	"netdisplay/protocol"
	"netdisplay/xlib"
)

// The ICCCM properties go to the server and come back as they were, in
// either byte order, and the window manager requests do what they say.
func TestICCCMProperties(t *testing.T) {
	eachServer(t, func(t *testing.T, c *xlib.Conn) {
		w := newWindow(t, c, 100, 80)
		hints := xlib.SizeHints{
			Flags:      xlib.USPosition | xlib.PMinSize | xlib.PMaxSize | xlib.PResizeInc | xlib.PBaseSize | xlib.PWinGravity,
			Position:   image.Pt(-5, 7),
			MinSize:    image.Pt(10, 17),
			MaxSize:    image.Pt(800, 600),
			ResizeInc:  image.Pt(6, 13),
			BaseSize:   image.Pt(4, 4),
			WinGravity: protocol.GravityStatic,
		}
		wmh := xlib.WMHints{Flags: xlib.InputHint | xlib.StateHint | xlib.WindowGroupHint, Input: true, InitialState: xlib.IconicState, WindowGroup: w}
		c.ChangePropertyValues(w, protocol.PropModeReplace, protocol.AtomWmNormalHints, protocol.AtomWmSizeHints, hints.Values()...)
		c.ChangePropertyValues(w, protocol.PropModeReplace, protocol.AtomWmHints, protocol.AtomWmHints, wmh.Values()...)
		c.ChangeProperty(w, protocol.PropModeReplace, protocol.AtomWmName, protocol.AtomString, 8, []byte("caf\xe9"))
		c.ChangeProperty(w, protocol.PropModeReplace, protocol.AtomWmClass, protocol.AtomString, 8, []byte("xlogo\x00XLogo\x00"))

		r, err := c.GetProperty(w, protocol.AtomWmNormalHints, false).Reply()
		if err != nil {
			t.Fatal(err)
		}
		if got := xlib.ParseSizeHints(c.PropertyValues(r)); got != hints {
			t.Errorf("WM_NORMAL_HINTS came back as %+v, want %+v", got, hints)
		}
		r, _ = c.GetProperty(w, protocol.AtomWmHints, false).Reply()
		if got := xlib.ParseWMHints(c.PropertyValues(r)); got != wmh {
			t.Errorf("WM_HINTS came back as %+v, want %+v", got, wmh)
		}
		r, _ = c.GetProperty(w, protocol.AtomWmName, false).Reply()
		if got := xlib.PropertyText(r); got != "café" {
			t.Errorf("WM_NAME in Latin-1 read as %q, want café", got)
		}
		r, _ = c.GetProperty(w, protocol.AtomWmClass, false).Reply()
		if inst, class := xlib.ParseClass(r.Value); inst != "xlogo" || class != "XLogo" {
			t.Errorf("WM_CLASS read as %q, %q", inst, class)
		}
		if v := c.PropertyValues(r); v != nil {
			t.Errorf("a property of format 8 has 32-bit values %v", v)
		}
	})
}

func TestParseShortSizeHints(t *testing.T) {
	// The pre-ICCCM property had 15 items: no base size, no gravity.
	h := xlib.ParseSizeHints([]uint32{xlib.PMinSize, 0, 0, 0, 0, 20, 30})
	if h.MinSize != image.Pt(20, 30) || h.BaseSize != (image.Point{}) || h.WinGravity != 0 {
		t.Errorf("short WM_NORMAL_HINTS parsed as %+v", h)
	}
}

// A window reparented into another, through the save set, and back.
func TestReparentAndTree(t *testing.T) {
	eachServer(t, func(t *testing.T, c *xlib.Conn) {
		frame := newWindow(t, c, 200, 200)
		w := newWindow(t, c, 50, 50)
		c.ReparentWindow(w, frame, image.Pt(10, 20))
		c.ConfigureWindow(w, protocol.ConfigWindowWidth|protocol.ConfigWindowBorderWidth, xlib.WindowChanges{Width: 70, BorderWidth: 2})
		tree, err := c.QueryTree(frame).Reply()
		if err != nil {
			t.Fatal(err)
		}
		if len(tree.Children) != 1 || xlib.Window(tree.Children[0]) != w || xlib.Window(tree.Root) != c.Root() {
			t.Errorf("frame's tree is %+v, want the window as its child", tree)
		}
		g, _ := c.GetGeometry(w).Reply()
		if g.X != 10 || g.Y != 20 || g.Width != 70 || g.Height != 50 || g.BorderWidth != 2 {
			t.Errorf("window's geometry is %+v", g)
		}
		fg, _ := c.GetGeometry(frame).Reply()
		at, err := c.TranslateCoordinates(w, c.Root(), image.Pt(1, 1)).Reply()
		if err != nil || int(at.DstX) != int(fg.X)+int(fg.BorderWidth)+10+2+1 || int(at.DstY) != int(fg.Y)+int(fg.BorderWidth)+20+2+1 {
			t.Errorf("TranslateCoordinates to the root: %+v (%v); the frame is at %d,%d", at, err, fg.X, fg.Y)
		}
		if _, err := c.CreateFontCursor(68); err != nil {
			t.Errorf("CreateFontCursor: %v", err)
		}
		if err := c.Sync(); err != nil {
			t.Fatal(err)
		}
	})
}

// Done lets a program wait for a reply in a select, and Reply then costs
// no wait.
func TestCookieDone(t *testing.T) {
	eachServer(t, func(t *testing.T, c *xlib.Conn) {
		k := c.GetGeometry(c.Root())
		select {
		case <-k.Done():
			t.Fatal("a reply is done before its request was written")
		default:
		}
		c.Flush()
		select {
		case <-k.Done():
		case <-time.After(10 * time.Second):
			t.Fatal("the reply did not come")
		}
		before := c.Stats().RoundTrips
		if _, err := k.Reply(); err != nil {
			t.Fatal(err)
		}
		if n := c.Stats().RoundTrips - before; n != 0 {
			t.Errorf("Reply after Done counted %d round trips, want 0", n)
		}
	})
}
