//go:build linux

package xserver_test

// Protocol-level behaviour: both byte orders end to end, errors for bad
// requests, and what one misbehaving client can and cannot do to others.

import (
	"encoding/binary"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"netdisplay/protocol"
	"netdisplay/xserver"
)

// drawAndRead creates a window, waits for its Expose, fills a rectangle
// and reads pixels back, in the connection's byte order.
func drawAndRead(t *testing.T, r *rawConn, x int16) []uint32 {
	t.Helper()
	win, gc := r.id(), r.id()
	var cw protocol.ValueSet
	cw.Set(protocol.CWBackPixel, 0xFFFFFF)
	cw.Set(protocol.CWEventMask, protocol.EventMaskExposure)
	mask, list := cw.Mask, cw.List
	r.send(&protocol.CreateWindow{Depth: 0, Wid: protocol.Window(win), Parent: protocol.Window(r.root()), X: x, Y: 10, Width: 40, Height: 30, BorderWidth: 1, Class: 1, ValueMask: mask, ValueList: list},
		&protocol.MapWindow{Window: protocol.Window(win)})
	var expose *protocol.ExposeEvent
	for _, m := range r.sync() {
		if m[0] == protocol.Expose {
			var e protocol.ExposeEvent
			if err := e.Unmarshal(r.o, m); err != nil {
				t.Fatal(err)
			}
			expose = &e
		}
	}
	if expose == nil || uint32(expose.Window) != win || expose.Width != 40 || expose.Height != 30 || expose.Count != 0 {
		t.Fatalf("%v: expose = %+v", r.o, expose)
	}
	var gv protocol.ValueSet
	gv.Set(protocol.GCForeground, 0x123456)
	r.send(&protocol.CreateGC{Cid: protocol.Gcontext(gc), Drawable: protocol.Drawable(win), ValueMask: gv.Mask, ValueList: gv.List},
		&protocol.PolyFillRectangle{Drawable: protocol.Drawable(win), Gc: protocol.Gcontext(gc), Rectangles: []protocol.Rectangle{{X: 5, Y: 5, Width: 10, Height: 10}}})
	rep, _, err := r.reply(&protocol.GetImage{Format: protocol.ImageFormatZPixmap, Drawable: protocol.Drawable(win), X: 0, Y: 0, Width: 20, Height: 20, PlaneMask: 0xFFFFFFFF})
	if err != nil {
		t.Fatal(err)
	}
	var img protocol.GetImageReply
	if err := img.Unmarshal(r.o, rep); err != nil {
		t.Fatal(err)
	}
	if img.Depth != 24 || len(img.Data) != 20*20*4 {
		t.Fatalf("%v: GetImage depth %d, %d bytes", r.o, img.Depth, len(img.Data))
	}
	px := make([]uint32, 400)
	for i := range px {
		// Image byte order is the server's (LSBFirst), whatever the client's.
		px[i] = binary.LittleEndian.Uint32(img.Data[4*i:]) & 0xFFFFFF
	}
	return px
}

func TestBothByteOrders(t *testing.T) {
	display, _ := startServer(t, 320, 240)
	lsb := dialRaw(t, display, protocol.LSBFirst)
	msb := dialRaw(t, display, protocol.MSBFirst)
	if lsb.setup.Roots[0].Root != msb.setup.Roots[0].Root || msb.setup.Roots[0].WidthInPixels != 320 {
		t.Fatalf("setup differs: %+v vs %+v", lsb.setup.Roots[0], msb.setup.Roots[0])
	}
	a := drawAndRead(t, lsb, 10)
	b := drawAndRead(t, msb, 100)
	for i := range a {
		want := uint32(0xFFFFFF)
		if x, y := i%20, i/20; x >= 5 && x < 15 && y >= 5 && y < 15 {
			want = 0x123456
		}
		if a[i] != want || b[i] != want {
			t.Fatalf("pixel %d: lsb %06x msb %06x want %06x", i, a[i], b[i], want)
		}
	}

	// A property written by one byte order reads the same in the other.
	atomRep, _, err := msb.reply(&protocol.InternAtom{Name: []byte("NETDISPLAY_TEST")})
	if err != nil {
		t.Fatal(err)
	}
	var ia protocol.InternAtomReply
	ia.Unmarshal(msb.o, atomRep)
	data := make([]byte, 8)
	binary.BigEndian.PutUint32(data, 0x01020304)
	binary.BigEndian.PutUint16(data[4:], 0x0506)
	msb.send(&protocol.ChangeProperty{Mode: protocol.PropModeReplace, Window: protocol.Window(msb.root()), Property: ia.Atom, Type: protocol.AtomCardinal, Format: 32, DataLen: 2, Data: data})
	msb.sync()
	rep, _, err := lsb.reply(&protocol.GetProperty{Window: protocol.Window(lsb.root()), Property: ia.Atom, Type: protocol.AtomCardinal, LongLength: 10})
	if err != nil {
		t.Fatal(err)
	}
	var gp protocol.GetPropertyReply
	if err := gp.Unmarshal(lsb.o, rep); err != nil {
		t.Fatal(err)
	}
	if gp.Format != 32 || gp.ValueLen != 2 || binary.LittleEndian.Uint32(gp.Value) != 0x01020304 || binary.LittleEndian.Uint32(gp.Value[4:]) != 0x05060000 {
		t.Errorf("property read back as %+v", gp)
	}
}

func TestRequestErrors(t *testing.T) {
	display, _ := startServer(t, 320, 240)
	for _, o := range []protocol.ByteOrder{protocol.LSBFirst, protocol.MSBFirst} {
		r := dialRaw(t, display, o)
		win := r.id()
		cases := []struct {
			name  string
			req   func() // sends one request
			code  uint8
			major uint8
			value uint32
		}{
			{"CreateWindow with a bad parent", func() {
				r.send(&protocol.CreateWindow{Wid: protocol.Window(win), Parent: 0x1234567, Width: 10, Height: 10, Class: 1})
			}, protocol.BadWindow, protocol.OpCreateWindow, 0x1234567},
			{"CreateWindow of width 0", func() {
				r.send(&protocol.CreateWindow{Wid: protocol.Window(win), Parent: protocol.Window(r.root()), Width: 0, Height: 10, Class: 1})
			}, protocol.BadValue, protocol.OpCreateWindow, 0},
			{"CreateWindow with an id outside the client's range", func() {
				r.send(&protocol.CreateWindow{Wid: 0x77, Parent: protocol.Window(r.root()), Width: 10, Height: 10, Class: 1})
			}, protocol.BadIDChoice, protocol.OpCreateWindow, 0x77},
			{"ChangeProperty in format 7", func() {
				b := (&protocol.ChangeProperty{Window: protocol.Window(r.root()), Property: 1, Type: 31, Format: 8, DataLen: 4, Data: []byte("abcd")}).Marshal(r.o, nil)
				b[16] = 7
				r.sendBytes(b)
			}, protocol.BadValue, protocol.OpChangeProperty, 7},
			{"MapWindow one word too long", func() {
				b := (&protocol.MapWindow{Window: protocol.Window(r.root())}).Marshal(r.o, nil)
				b = append(b, 0, 0, 0, 0)
				r.o.PutU16(b[2:], 3)
				r.sendBytes(b)
			}, protocol.BadLength, protocol.OpMapWindow, 0},
			{"GetProperty too short", func() {
				b := make([]byte, 4)
				b[0] = protocol.OpGetProperty
				r.o.PutU16(b[2:], 1)
				r.sendBytes(b)
			}, protocol.BadLength, protocol.OpGetProperty, 0},
			{"opcode 0", func() {
				b := []byte{0, 0, 0, 0}
				r.o.PutU16(b[2:], 1)
				r.sendBytes(b)
			}, protocol.BadRequest, 0, 0},
			{"an extension that does not exist", func() {
				b := []byte{200, 0, 0, 0}
				r.o.PutU16(b[2:], 1)
				r.sendBytes(b)
			}, protocol.BadRequest, 200, 0},
			{"FreePixmap of the root window", func() {
				r.send(&protocol.FreePixmap{Pixmap: protocol.Pixmap(r.root())})
			}, protocol.BadPixmap, protocol.OpFreePixmap, 0},
			{"CreatePixmap of depth 7", func() {
				r.send(&protocol.CreatePixmap{Depth: 7, Pid: protocol.Pixmap(r.id()), Drawable: protocol.Drawable(r.root()), Width: 4, Height: 4})
			}, protocol.BadValue, protocol.OpCreatePixmap, 7},
			{"CreateGC on no drawable", func() {
				r.send(&protocol.CreateGC{Cid: protocol.Gcontext(r.id()), Drawable: 0x5555})
			}, protocol.BadDrawable, protocol.OpCreateGC, 0x5555},
			{"GetAtomName of atom 0", func() {
				r.send(&protocol.GetAtomName{Atom: 0})
			}, protocol.BadAtom, protocol.OpGetAtomName, 0},
			{"AllocNamedColor of an unknown colour", func() {
				r.send(&protocol.AllocNamedColor{Cmap: protocol.Colormap(r.setup.Roots[0].DefaultColormap), Name: []byte("no such colour")})
			}, protocol.BadName, protocol.OpAllocNamedColor, 0},
			{"StoreColors on a TrueColor colormap", func() {
				r.send(&protocol.StoreColors{Cmap: protocol.Colormap(r.setup.Roots[0].DefaultColormap), Items: []protocol.Coloritem{{Pixel: 1, Flags: 7}}})
			}, protocol.BadAccess, protocol.OpStoreColors, 0},
			{"GetImage outside the window", func() {
				r.send(&protocol.GetImage{Format: protocol.ImageFormatZPixmap, Drawable: protocol.Drawable(r.root()), X: 300, Y: 0, Width: 40, Height: 10, PlaneMask: ^uint32(0)})
			}, protocol.BadMatch, protocol.OpGetImage, 0},
		}
		for _, tc := range cases {
			tc.req()
			seq := r.seq
			msgs := r.sync()
			if len(msgs) != 1 || r.xerror(msgs[0]) == nil {
				t.Errorf("%v, %s: got %d messages, want one error", o, tc.name, len(msgs))
				continue
			}
			e := r.xerror(msgs[0])
			if e.Code != tc.code || e.Sequence != seq || e.MajorOpcode != tc.major || tc.value != 0 && e.BadValue != tc.value {
				t.Errorf("%v, %s: got %v (seq %d, major %d, value %#x), want code %d seq %d major %d value %#x",
					o, tc.name, e, e.Sequence, e.MajorOpcode, e.BadValue, tc.code, seq, tc.major, tc.value)
			}
		}
	}
}

// A framing violation closes that connection and no other.
func TestFramingViolationClosesOnlyThatClient(t *testing.T) {
	display, srv := startServer(t, 320, 240)
	good := dialRaw(t, display, protocol.LSBFirst)
	bad := dialRaw(t, display, protocol.MSBFirst)
	bad.sendBytes([]byte{protocol.OpNoOperation, 0, 0, 0}) // length 0 without BIG-REQUESTS
	bad.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := bad.read(); err == nil {
		t.Fatal("the server answered a request of length 0 instead of closing")
	}
	if _, _, err := good.reply(&protocol.InternAtom{Name: []byte("STILL_HERE")}); err != nil {
		t.Fatalf("the other client was hurt: %v", err)
	}
	waitFor(t, "the bad client to be gone", 5*time.Second, func() bool { return srv.Stats().Clients == 1 })
}

// An over-long request is answered with BadLength and skipped; the
// connection goes on.
func TestOverlongRequestIsSkipped(t *testing.T) {
	lim := xserver.DefaultLimits
	lim.RequestBytes = 64 << 10
	display, _ := startConfigured(t, xserver.Config{Width: 320, Height: 240, Limits: lim})
	r := dialRaw(t, display, protocol.LSBFirst)
	rep, _, err := r.reply(&protocol.BigReqEnable{Major: 128})
	if err != nil {
		t.Fatal(err)
	}
	var be protocol.BigReqEnableReply
	be.Unmarshal(r.o, rep)
	if be.MaximumRequestLength != 16<<10 {
		t.Errorf("maximum request length %d words, want %d", be.MaximumRequestLength, 16<<10)
	}
	big := (&protocol.PutImage{Format: protocol.ImageFormatZPixmap, Drawable: protocol.Drawable(r.root()), Gc: 1, Width: 200, Height: 200, Depth: 24, Data: make([]byte, 200*200*4)}).Marshal(r.o, nil)
	r.sendBytes(big)
	seq := r.seq
	msgs := r.sync()
	if len(msgs) != 1 || r.xerror(msgs[0]) == nil || r.xerror(msgs[0]).Code != protocol.BadLength || r.xerror(msgs[0]).Sequence != seq {
		t.Fatalf("over-long request: got %d messages %v", len(msgs), msgs)
	}
}

// A client that stops reading is disconnected once its queue passes the
// limit, and nobody else notices.
func TestSlowReaderIsDisconnected(t *testing.T) {
	lim := xserver.DefaultLimits
	lim.OutputQueue = 1 << 20
	var logMu sync.Mutex
	var logs []string
	display, srv := startConfigured(t, xserver.Config{Width: 320, Height: 240, Limits: lim, Logf: func(f string, a ...any) {
		logMu.Lock()
		logs = append(logs, f)
		logMu.Unlock()
	}})
	good := dialRaw(t, display, protocol.LSBFirst)
	c, err := net.Dial("unix", socketFor(display))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	slow := handshake(t, c, protocol.LSBFirst, "", nil)
	// 100 GetImage requests of 320x240 ask for 30 MB of replies.
	var b []byte
	for i := 0; i < 100; i++ {
		b = (&protocol.GetImage{Format: protocol.ImageFormatZPixmap, Drawable: protocol.Drawable(slow.root()), Width: 320, Height: 240, PlaneMask: ^uint32(0)}).Marshal(slow.o, b)
	}
	quiet := roundTrips(t, good, 50)
	go c.Write(b) // may block: the slow client reads nothing
	jammed := roundTrips(t, good, 50)
	waitFor(t, "the slow client to be dropped", 10*time.Second, func() bool { return srv.Stats().Clients == 1 })
	t.Logf("the other client's round trip p50: %v before, %v while a client did not read its replies", quiet[len(quiet)/2], jammed[len(jammed)/2])
	logMu.Lock()
	defer logMu.Unlock()
	if !strings.Contains(strings.Join(logs, "\n"), "not reading") {
		t.Errorf("no log line about the slow client: %q", logs)
	}
}

// Everything a client made goes when it does.
func TestDisconnectFreesResources(t *testing.T) {
	display, srv := startServer(t, 320, 240)
	base := srv.Stats()
	r := dialRaw(t, display, protocol.LSBFirst)
	parent := r.id()
	r.send(&protocol.CreateWindow{Wid: protocol.Window(parent), Parent: protocol.Window(r.root()), Width: 50, Height: 50, Class: 1},
		&protocol.MapWindow{Window: protocol.Window(parent)})
	for i := 0; i < 10; i++ {
		w, p, g := r.id(), r.id(), r.id()
		r.send(&protocol.CreateWindow{Wid: protocol.Window(w), Parent: protocol.Window(parent), Width: 5, Height: 5, Class: 1},
			&protocol.CreatePixmap{Depth: 24, Pid: protocol.Pixmap(p), Drawable: protocol.Drawable(r.root()), Width: 64, Height: 64},
			&protocol.CreateGC{Cid: protocol.Gcontext(g), Drawable: protocol.Drawable(p)})
	}
	r.sync()
	if st := srv.Stats(); st.Windows != base.Windows+11 || st.PixmapBytes != 10*64*64*4 {
		t.Fatalf("after creating: %+v", st)
	}
	r.c.Close()
	waitFor(t, "the resources to be freed", 5*time.Second, func() bool {
		st := srv.Stats()
		return st.Clients == 0 && st.Resources == base.Resources && st.PixmapBytes == 0
	})
}

// Connections that are not trusted must present the cookie.
func TestCookieRequiredWhenUntrusted(t *testing.T) {
	cookie := []byte("0123456789abcdef")
	srv := xserver.New(xserver.Config{Width: 64, Height: 64, Cookie: cookie, Logf: t.Logf})
	defer srv.Close()
	try := func(name string, data []byte) uint8 {
		a, b := net.Pipe()
		go srv.ServeConn(b, false)
		defer a.Close()
		r := handshake(t, a, protocol.LSBFirst, name, data)
		return r.setup.Status
	}
	if st := try("", nil); st != 0 {
		t.Errorf("no cookie: status %d, want 0 (Failed)", st)
	}
	if st := try("MIT-MAGIC-COOKIE-1", []byte("0123456789abcdeX")); st != 0 {
		t.Errorf("wrong cookie: status %d, want 0 (Failed)", st)
	}
	if st := try("MIT-MAGIC-COOKIE-1", cookie); st != 1 {
		t.Errorf("right cookie: status %d, want 1 (Success)", st)
	}
}

// Many requests in one write, the last wanting a reply: the server must
// run them all without waiting for more input (it runs them in batches).
func TestManyRequestsInOneWrite(t *testing.T) {
	display, _ := startServer(t, 64, 64)
	r := dialRaw(t, display, protocol.LSBFirst)
	var b []byte
	for i := 0; i < 5000; i++ {
		b = (&protocol.NoOperation{}).Marshal(r.o, b)
	}
	r.seq += 5000
	r.c.Write(b)
	if _, _, err := r.reply(&protocol.GetInputFocus{}); err != nil {
		t.Fatal(err)
	}
}

// Caps Lock locks, and a keysym typed through KeySym comes out as asked
// whatever the lock: 'a' and 'A' with Caps Lock off and on.
func TestCapsLockAndKeySym(t *testing.T) {
	display, srv := startServer(t, 64, 64)
	r := dialRaw(t, display, protocol.LSBFirst)
	win := r.id()
	var cw protocol.ValueSet
	cw.Set(protocol.CWEventMask, protocol.EventMaskKeyPress)
	r.send(&protocol.CreateWindow{Wid: protocol.Window(win), Parent: protocol.Window(r.root()), Width: 64, Height: 64, Class: 1, ValueMask: cw.Mask, ValueList: cw.List},
		&protocol.MapWindow{Window: protocol.Window(win)},
		&protocol.SetInputFocus{Focus: protocol.Window(win), RevertTo: 1})
	r.sync()
	type press struct {
		keycode uint8
		state   uint16
	}
	presses := func() []press {
		var ps []press
		for _, m := range r.sync() {
			if m[0] == protocol.KeyPress {
				var e protocol.KeyPressEvent
				e.Unmarshal(r.o, m)
				ps = append(ps, press{uint8(e.Detail), e.State})
			}
		}
		return ps
	}
	const a, capsLock, shift, lock = 38, 66, 1, 2
	srv.KeySym('a', true)
	srv.KeySym('a', false)
	srv.KeySym('A', true)
	srv.KeySym('A', false)
	want := []press{{a, 0}, {50, 0}, {a, shift}}
	if got := presses(); !slices.Equal(got, want) {
		t.Errorf("caps off: presses %v, want %v", got, want)
	}
	srv.Key(capsLock, true) // lock
	srv.Key(capsLock, false)
	srv.KeySym('a', true)
	srv.KeySym('a', false)
	srv.KeySym('A', true)
	srv.KeySym('A', false)
	want = []press{{capsLock, 0}, {50, lock}, {a, lock | shift}, {a, lock}}
	if got := presses(); !slices.Equal(got, want) {
		t.Errorf("caps on: presses %v, want %v", got, want)
	}
	srv.Key(capsLock, true) // unlock on release
	srv.Key(capsLock, false)
	srv.KeySym('a', true)
	srv.KeySym('a', false)
	want = []press{{capsLock, lock}, {a, 0}}
	if got := presses(); !slices.Equal(got, want) {
		t.Errorf("caps off again: presses %v, want %v", got, want)
	}
}
