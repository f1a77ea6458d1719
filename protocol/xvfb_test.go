package protocol

import (
	"bytes"
	"errors"
	"io"
	"net"
	"slices"
	"testing"
	"time"

	"netdisplay/internal/peer"
)

// xconn is a minimal X client over a real server, for checking the wire
// format against X.Org: requests go out as Marshal writes them and what
// comes back is read with Unmarshal.
type xconn struct {
	t      *testing.T
	c      net.Conn
	o      ByteOrder
	seq    uint16
	setup  Setup
	next   uint32 // next resource ID
	events [][]byte
}

func dialXvfb(t *testing.T, o ByteOrder) *xconn {
	t.Helper()
	display := peer.Xvfb(t, 320, 240)
	c, err := net.Dial("unix", "/tmp/.X11-unix/X"+display[1:])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(20 * time.Second))
	x := &xconn{t: t, c: c, o: o}
	if _, err := c.Write(SetupRequest{ProtocolMajorVersion: 11}.Marshal(o, nil)); err != nil {
		t.Fatal(err)
	}
	b := x.read(8)
	b = append(b, x.read(SetupReplyLength(o, b)-8)...)
	if b[0] != SetupStatusSuccess {
		var f SetupFailed
		f.Unmarshal(o, b)
		t.Fatalf("setup failed: %q", f.Reason)
	}
	if err := x.setup.Unmarshal(o, b); err != nil {
		t.Fatalf("Setup.Unmarshal: %v", err)
	}
	x.next = x.setup.ResourceIdBase
	return x
}

func (x *xconn) read(n int) []byte {
	x.t.Helper()
	b := make([]byte, n)
	if _, err := io.ReadFull(x.c, b); err != nil {
		x.t.Fatalf("read: %v", err)
	}
	return b
}

func (x *xconn) id() uint32 {
	x.next++
	return x.next
}

func (x *xconn) send(r Request) uint16 {
	x.t.Helper()
	if _, err := x.c.Write(r.Marshal(x.o, nil)); err != nil {
		x.t.Fatal(err)
	}
	x.seq++
	return x.seq
}

// message reads the next message from the server.
func (x *xconn) message() []byte {
	x.t.Helper()
	b := x.read(32)
	if n := MessageLength(x.o, b); n > 32 {
		b = append(b, x.read(n-32)...)
	}
	return b
}

// call sends r and decodes its reply into reply, keeping events for later.
// An X error is returned as *Error.
func (x *xconn) call(r Request, reply Reply) error {
	x.t.Helper()
	seq := x.send(r)
	for {
		b := x.message()
		switch b[0] {
		case 0:
			var e Error
			if err := e.Unmarshal(x.o, b); err != nil {
				x.t.Fatal(err)
			}
			if e.Sequence == seq {
				return &e
			}
			x.t.Fatalf("unexpected error: %v", &e)
		case 1:
			if got := x.o.U16(b[2:]); got != seq {
				x.t.Fatalf("reply to %d, want %d", got, seq)
			}
			if err := reply.Unmarshal(x.o, b); err != nil {
				x.t.Fatalf("%T.Unmarshal(%x): %v", reply, b, err)
			}
			return nil
		default:
			x.events = append(x.events, b)
		}
	}
}

// sync makes sure the server has processed every request so far, and
// fails on any error.
func (x *xconn) sync() {
	x.t.Helper()
	var r GetInputFocusReply
	if err := x.call(&GetInputFocus{}, &r); err != nil {
		x.t.Fatalf("request failed: %v", err)
	}
}

// event returns the first queued event with the given code.
func (x *xconn) event(code uint8) []byte {
	x.t.Helper()
	for i, e := range x.events {
		if e[0]&^SendEventBit == code {
			x.events = slices.Delete(x.events, i, i+1)
			return e
		}
	}
	x.t.Fatalf("no %s event among %d", EventNames[code], len(x.events))
	return nil
}

// TestXvfb talks to a real X.Org server (Xvfb) in both byte orders: the
// server accepts what Marshal writes, and what it answers decodes to the
// values that were set.
func TestXvfb(t *testing.T) {
	peer.Need(t, "Xvfb")
	for _, o := range orders {
		t.Run(o.String(), func(t *testing.T) { testXvfb(t, o) })
	}
}

func testXvfb(t *testing.T, o ByteOrder) {
	x := dialXvfb(t, o)
	s := x.setup
	if s.ProtocolMajorVersion != 11 || len(s.Roots) != 1 || len(s.Vendor) == 0 || len(s.PixmapFormats) == 0 {
		t.Fatalf("setup: %+v", s)
	}
	root := s.Roots[0]
	if root.WidthInPixels != 320 || root.HeightInPixels != 240 || root.RootDepth != 24 {
		t.Fatalf("root screen %dx%dx%d", root.WidthInPixels, root.HeightInPixels, root.RootDepth)
	}

	// A window with a value list, moved to a negative position (a
	// sign-extended INT16 in a CARD32).
	win := Window(x.id())
	var vs ValueSet
	vs.Set(CWEventMask, EventMaskExposure|EventMaskStructureNotify|EventMaskPropertyChange)
	vs.Set(CWBackPixel, root.WhitePixel)
	vs.Set(CWOverrideRedirect, 1)
	x.send(&CreateWindow{Depth: 24, Wid: win, Parent: root.Root, X: 10, Y: 20, Width: 100, Height: 50, BorderWidth: 2,
		Class: WindowClassInputOutput, Visual: root.RootVisual, ValueMask: vs.Mask, ValueList: vs.List})
	vs.Reset()
	x0 := int32(-7)
	vs.Set(ConfigWindowX, uint32(x0))
	vs.Set(ConfigWindowHeight, 60)
	x.send(&ConfigureWindow{Window: win, ValueMask: uint16(vs.Mask), ValueList: vs.List})
	var geom GetGeometryReply
	if err := x.call(&GetGeometry{Drawable: Drawable(win)}, &geom); err != nil {
		t.Fatal(err)
	}
	if geom.X != -7 || geom.Y != 20 || geom.Width != 100 || geom.Height != 60 || geom.BorderWidth != 2 || geom.Root != root.Root {
		t.Errorf("GetGeometry: %+v", geom)
	}
	var attrs GetWindowAttributesReply
	if err := x.call(&GetWindowAttributes{Window: win}, &attrs); err != nil {
		t.Fatal(err)
	}
	if !attrs.OverrideRedirect || attrs.YourEventMask != EventMaskExposure|EventMaskStructureNotify|EventMaskPropertyChange || attrs.MapState != MapStateUnmapped {
		t.Errorf("GetWindowAttributes: %+v", attrs)
	}
	var tree QueryTreeReply
	if err := x.call(&QueryTree{Window: root.Root}, &tree); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(tree.Children, win) || int(tree.ChildrenLen) != len(tree.Children) {
		t.Errorf("QueryTree: %+v", tree)
	}

	// Mapping it sends MapNotify and Expose.
	x.send(&MapWindow{Window: win})
	x.sync()
	var mn MapNotifyEvent
	if err := mn.Unmarshal(o, x.event(MapNotify)); err != nil || mn.Window != win || !mn.OverrideRedirect {
		t.Errorf("MapNotify: %+v, %v", mn, err)
	}
	var ex ExposeEvent
	// Only the part right of x = 0 is exposed.
	if err := ex.Unmarshal(o, x.event(Expose)); err != nil || ex.Window != win || ex.X != 5 || ex.Width != 95 || ex.Height != 60 {
		t.Errorf("Expose: %+v, %v", ex, err)
	}

	// Atoms and properties in the three formats.
	name := []byte("NETDISPLAY_TEST")
	var atom InternAtomReply
	if err := x.call(&InternAtom{Name: name}, &atom); err != nil || atom.Atom == 0 {
		t.Fatalf("InternAtom: %+v, %v", atom, err)
	}
	var an GetAtomNameReply
	if err := x.call(&GetAtomName{Atom: atom.Atom}, &an); err != nil || !bytes.Equal(an.Name, name) {
		t.Errorf("GetAtomName: %q, %v", an.Name, err)
	}
	for _, format := range []uint8{8, 16, 32} {
		var data []byte
		n := 5
		for i := range n {
			switch format {
			case 8:
				data = append(data, byte('a'+i))
			case 16:
				data = o.AppendU16(data, uint16(1000*i+1))
			case 32:
				data = o.AppendU32(data, uint32(0xdead0000+i))
			}
		}
		x.send(&ChangeProperty{Mode: PropModeReplace, Window: win, Property: atom.Atom, Type: AtomInteger, Format: format, DataLen: uint32(n), Data: data})
		var pn PropertyNotifyEvent
		x.sync()
		if err := pn.Unmarshal(o, x.event(PropertyNotify)); err != nil || pn.Atom != atom.Atom || pn.State != PropertyNewValue {
			t.Errorf("PropertyNotify: %+v, %v", pn, err)
		}
		var prop GetPropertyReply
		if err := x.call(&GetProperty{Window: win, Property: atom.Atom, Type: GetPropertyTypeAny, LongLength: 100}, &prop); err != nil {
			t.Fatal(err)
		}
		if prop.Format != format || prop.ValueLen != uint32(n) || prop.Type != AtomInteger || !bytes.Equal(prop.Value, data) {
			t.Errorf("GetProperty format %d: %+v, want %x", format, prop, data)
		}
	}

	// Drawing: fill a pixmap, put an image, read it back. Pixels are in
	// the server's image byte order, whatever the client's.
	pixels := LSBFirst
	if s.ImageByteOrder == ImageOrderMSBFirst {
		pixels = MSBFirst
	}
	pix := Pixmap(x.id())
	gc := Gcontext(x.id())
	x.send(&CreatePixmap{Depth: 24, Pid: pix, Drawable: Drawable(root.Root), Width: 16, Height: 16})
	vs.Reset()
	vs.Set(GCForeground, 0x123456)
	vs.Set(GCGraphicsExposures, 0)
	x.send(&CreateGC{Cid: gc, Drawable: Drawable(pix), ValueMask: vs.Mask, ValueList: vs.List})
	x.send(&PolyFillRectangle{Drawable: Drawable(pix), Gc: gc, Rectangles: []Rectangle{{0, 0, 16, 16}}})
	var img []byte
	for i := range 16 {
		img = pixels.AppendU32(img, uint32(i*0x010203))
	}
	x.send(&PutImage{Format: ImageFormatZPixmap, Drawable: Drawable(pix), Gc: gc, Width: 4, Height: 4, DstX: 2, DstY: 3, Depth: 24, Data: img})
	var gi GetImageReply
	if err := x.call(&GetImage{Format: ImageFormatZPixmap, Drawable: Drawable(pix), X: 1, Y: 3, Width: 5, Height: 4, PlaneMask: 0xffffff}, &gi); err != nil {
		t.Fatal(err)
	}
	if gi.Depth != 24 || len(gi.Data) != 5*4*4 {
		t.Fatalf("GetImage: depth %d, %d bytes", gi.Depth, len(gi.Data))
	}
	for y := range 4 {
		if got := pixels.U32(gi.Data[y*20:]) & 0xffffff; got != 0x123456 {
			t.Errorf("GetImage (1,%d) = %#x, want the fill", y+3, got)
		}
		for xx := range 4 {
			got := pixels.U32(gi.Data[y*20+4+4*xx:]) & 0xffffff
			if want := uint32((y*4 + xx) * 0x010203); got != want {
				t.Errorf("GetImage (%d,%d) = %#x, want %#x", xx+2, y+3, got, want)
			}
		}
	}

	// An error: its fields decode.
	var bad GetGeometryReply
	err := x.call(&GetGeometry{Drawable: 0x1fffffff}, &bad)
	var xe *Error
	if !errors.As(err, &xe) || xe.Code != BadDrawable || xe.BadValue != 0x1fffffff || xe.MajorOpcode != OpGetGeometry {
		t.Errorf("GetGeometry of a bad drawable: %v", err)
	}

	// SendEvent carries a ClientMessage back to us.
	cm := ClientMessageEvent{Format: 32, Window: win, Type: atom.Atom, Data: ClientMessageData{Data32: [5]uint32{1, 2, 3, 0xfffffffe, 5}}}
	var se SendEvent
	se.Destination = win
	copy(se.Event[:], cm.Marshal(o, nil))
	x.send(&se)
	x.sync()
	var got ClientMessageEvent
	b := x.event(ClientMessage)
	if b[0]&SendEventBit == 0 {
		t.Errorf("ClientMessage without the send-event bit")
	}
	if err := got.Unmarshal(o, b); err != nil || got.Data.Data32 != cm.Data.Data32 || got.Window != win || got.Format != 32 {
		t.Errorf("ClientMessage: %+v, %v", got, err)
	}

	// Fonts: QueryTextExtents with an odd number of characters.
	fid := Font(x.id())
	x.send(&OpenFont{Fid: fid, Name: []byte("fixed")})
	var te QueryTextExtentsReply
	if err := x.call(&QueryTextExtents{Font: Fontable(fid), String: []Char2b{{0, 'a'}, {0, 'b'}, {0, 'c'}}}, &te); err != nil {
		t.Logf("no font \"fixed\" (%v): font checks skipped", err)
	} else {
		var qf QueryFontReply
		if err := x.call(&QueryFont{Font: Fontable(fid)}, &qf); err != nil {
			t.Fatal(err)
		}
		if w := int32(qf.MaxBounds.CharacterWidth); te.OverallWidth != 3*w || len(qf.CharInfos) != int(qf.CharInfosLen) {
			t.Errorf("QueryTextExtents width %d for 3 characters of width %d", te.OverallWidth, w)
		}
	}

	// The keyboard maps decode with consistent lengths.
	var km GetKeyboardMappingReply
	count := uint8(s.MaxKeycode - s.MinKeycode + 1)
	if err := x.call(&GetKeyboardMapping{FirstKeycode: s.MinKeycode, Count: count}, &km); err != nil {
		t.Fatal(err)
	}
	if km.KeysymsPerKeycode == 0 || len(km.Keysyms) != int(km.KeysymsPerKeycode)*int(count) {
		t.Errorf("GetKeyboardMapping: %d per keycode, %d keysyms for %d keycodes", km.KeysymsPerKeycode, len(km.Keysyms), count)
	}
	var mm GetModifierMappingReply
	if err := x.call(&GetModifierMapping{}, &mm); err != nil {
		t.Fatal(err)
	}
	if len(mm.Keycodes) != 8*int(mm.KeycodesPerModifier) {
		t.Errorf("GetModifierMapping: %+v", mm)
	}

	// Extensions: BIG-REQUESTS lets a 360 KB PutImage through.
	var qe QueryExtensionReply
	if err := x.call(&QueryExtension{Name: []byte(BigReqName)}, &qe); err != nil || !qe.Present {
		t.Fatalf("QueryExtension(%s): %+v, %v", BigReqName, qe, err)
	}
	var be BigReqEnableReply
	if err := x.call(&BigReqEnable{Major: qe.MajorOpcode}, &be); err != nil || be.MaximumRequestLength <= MaxRequestLength {
		t.Fatalf("BigReqEnable: %+v, %v", be, err)
	}
	big := Pixmap(x.id())
	x.send(&CreatePixmap{Depth: 24, Pid: big, Drawable: Drawable(root.Root), Width: 300, Height: 300})
	data := make([]byte, 0, 300*300*4)
	for i := range 300 * 300 {
		data = pixels.AppendU32(data, uint32(i))
	}
	x.send(&PutImage{Format: ImageFormatZPixmap, Drawable: Drawable(big), Gc: gc, Width: 300, Height: 300, Depth: 24, Data: data})
	if err := x.call(&GetImage{Format: ImageFormatZPixmap, Drawable: Drawable(big), X: 299, Y: 299, Width: 1, Height: 1, PlaneMask: 0xffffff}, &gi); err != nil {
		t.Fatal(err)
	}
	if got := pixels.U32(gi.Data) & 0xffffff; got != 300*300-1 {
		t.Errorf("pixel after a big PutImage: %#x", got)
	}

	// XTEST: the version, and a fake motion that QueryPointer sees.
	if err := x.call(&QueryExtension{Name: []byte(XTestName)}, &qe); err != nil || !qe.Present {
		t.Fatalf("QueryExtension(%s): %+v, %v", XTestName, qe, err)
	}
	var xv XTestGetVersionReply
	if err := x.call(&XTestGetVersion{Major: qe.MajorOpcode, MajorVersion: 2, MinorVersion: 2}, &xv); err != nil || xv.MajorVersion != 2 {
		t.Fatalf("XTestGetVersion: %+v, %v", xv, err)
	}
	x.send(&XTestFakeInput{Major: qe.MajorOpcode, Type: MotionNotify, Root: root.Root, RootX: 33, RootY: 44})
	var qp QueryPointerReply
	if err := x.call(&QueryPointer{Window: root.Root}, &qp); err != nil {
		t.Fatal(err)
	}
	if qp.RootX != 33 || qp.RootY != 44 || !qp.SameScreen {
		t.Errorf("pointer after XTestFakeInput: %+v", qp)
	}
	var cc XTestCompareCursorReply
	if err := x.call(&XTestCompareCursor{Major: qe.MajorOpcode, Window: win, Cursor: XTestCursorNone}, &cc); err != nil || !cc.Same {
		t.Errorf("XTestCompareCursor: %+v, %v", cc, err)
	}
}
