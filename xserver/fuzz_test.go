package xserver

import (
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"netdisplay/protocol"
)

// The fuzz targets feed request streams to a live server through an
// in-memory connection. Panics are not recovered in tests, so any panic
// in any request handler fails the target.

var (
	fuzzOnce   sync.Once
	fuzzServer *Server
)

func fuzzSetup(t testing.TB) *Server {
	fuzzOnce.Do(func() {
		recoverPanics = false
		fuzzServer = New(Config{Width: 200, Height: 150, Logf: func(string, ...any) {}})
	})
	return fuzzServer
}

// fuzzConn connects to the fuzz server and completes the setup.
func fuzzConn(t testing.TB, s *Server, o protocol.ByteOrder) net.Conn {
	a, b := net.Pipe()
	go s.ServeConn(b, true)
	req := protocol.SetupRequest{ByteOrder: o, ProtocolMajorVersion: 11}
	a.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := a.Write(req.Marshal(o, nil)); err != nil {
		t.Fatal(err)
	}
	head := make([]byte, 8)
	if _, err := io.ReadFull(a, head); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(a, make([]byte, 4*int(o.U16(head[6:])))); err != nil {
		t.Fatal(err)
	}
	return a
}

// frame turns arbitrary bytes into well-framed requests: each takes an
// opcode, a data byte and a body whose length comes from the input, so
// that every request reaches its handler, bad contents and all.
func frame(o protocol.ByteOrder, in []byte) (out []byte, n int) {
	for len(in) >= 3 {
		op, data, words := in[0], in[1], int(in[2]%32)
		in = in[3:]
		body := min(4*words, len(in))
		body &^= 3
		out = append(out, op, data, 0, 0)
		o.PutU16(out[len(out)-2:], uint16(1+body/4))
		out = append(out, in[:body]...)
		in = in[body:]
		n++
	}
	return out, n
}

func FuzzRequests(f *testing.F) {
	o := protocol.LSBFirst
	seed := func(reqs ...protocol.Request) {
		var raw []byte
		for _, r := range reqs {
			b := r.Marshal(o, nil)
			// Back to the fuzz input's form: opcode, data, word count, body.
			raw = append(raw, b[0], b[1], byte(len(b)/4-1))
			raw = append(raw, b[4:]...)
		}
		f.Add(raw)
	}
	const base = 0x00200000 // client 1's range
	var cw protocol.ValueSet
	cw.Set(protocol.CWBackPixel, 0xFF00FF)
	cw.Set(protocol.CWEventMask, protocol.EventMaskExposure|protocol.EventMaskStructureNotify)
	seed(&protocol.CreateWindow{Wid: base + 1, Parent: rootID, X: 5, Y: 5, Width: 50, Height: 40, BorderWidth: 2, Class: 1, ValueMask: cw.Mask, ValueList: cw.List},
		&protocol.MapWindow{Window: base + 1},
		&protocol.CreateGC{Cid: base + 2, Drawable: base + 1},
		&protocol.PolyLine{Drawable: base + 1, Gc: base + 2, Points: []protocol.Point{{X: 0, Y: 0}, {X: 30, Y: 20}}},
		&protocol.PolyFillArc{Drawable: base + 1, Gc: base + 2, Arcs: []protocol.Arc{{X: 1, Y: 1, Width: 20, Height: 10, Angle1: 0, Angle2: 360 * 64}}},
		&protocol.ConfigureWindow{Window: base + 1, ValueMask: protocol.ConfigWindowX | protocol.ConfigWindowWidth, ValueList: []uint32{20, 80}},
		&protocol.CopyArea{SrcDrawable: base + 1, DstDrawable: base + 1, Gc: base + 2, SrcX: 0, SrcY: 0, DstX: 5, DstY: 5, Width: 30, Height: 30},
		&protocol.GetImage{Format: 2, Drawable: base + 1, Width: 10, Height: 10, PlaneMask: ^uint32(0)},
		&protocol.UnmapWindow{Window: base + 1},
		&protocol.DestroyWindow{Window: base + 1})
	seed(&protocol.CreatePixmap{Depth: 1, Pid: base + 3, Drawable: rootID, Width: 16, Height: 16},
		&protocol.CreateGC{Cid: base + 4, Drawable: base + 3},
		&protocol.PutImage{Format: 0, Drawable: base + 3, Gc: base + 4, Width: 16, Height: 2, Depth: 1, Data: make([]byte, 8)},
		&protocol.ChangeGC{Gc: base + 4, ValueMask: protocol.GCFillStyle | protocol.GCLineWidth, ValueList: []uint32{2, 5}},
		&protocol.PolySegment{Drawable: base + 3, Gc: base + 4, Segments: []protocol.Segment{{X1: 0, Y1: 0, X2: 15, Y2: 15}}},
		&protocol.FillPoly{Drawable: base + 3, Gc: base + 4, Shape: 0, Points: []protocol.Point{{X: 0, Y: 0}, {X: 10, Y: 2}, {X: 3, Y: 12}}})
	seed(&protocol.InternAtom{Name: []byte("FOO")},
		&protocol.ChangeProperty{Mode: 2, Window: rootID, Property: 1, Type: 31, Format: 8, DataLen: 3, Data: []byte("abc")},
		&protocol.GetProperty{Delete: true, Window: rootID, Property: 1, LongLength: 10},
		&protocol.SetSelectionOwner{Owner: rootID, Selection: 1},
		&protocol.ConvertSelection{Requestor: rootID, Selection: 1, Target: 31, Property: 1},
		&protocol.OpenFont{Fid: base + 5, Name: []byte("fixed")},
		&protocol.QueryTextExtents{Font: base + 5, String: []protocol.Char2b{{Byte1: 0, Byte2: 65}}},
		&protocol.GrabPointer{GrabWindow: rootID, EventMask: protocol.EventMaskButtonPress},
		&protocol.UngrabPointer{},
		&protocol.SetInputFocus{Focus: rootID},
		&protocol.XTestFakeInput{Major: 129, Type: 4, Detail: 1},
		&protocol.XTestFakeInput{Major: 129, Type: 6, RootX: 30, RootY: 40},
		&protocol.XTestFakeInput{Major: 129, Type: 5, Detail: 1})
	f.Fuzz(func(t *testing.T, in []byte) {
		s := fuzzSetup(t)
		for _, o := range []protocol.ByteOrder{protocol.LSBFirst, protocol.MSBFirst} {
			conn := fuzzConn(t, s, o)
			stream, n := frame(o, in)
			stream = (&protocol.GetInputFocus{}).Marshal(o, stream)
			done := make(chan error, 1)
			go func() {
				_, err := conn.Write(stream)
				done <- err
			}()
			// Read until the reply to the final GetInputFocus: everything
			// before it has run. The connection may also close (a kill).
			want := uint16(n + 1)
			for {
				m := make([]byte, 32)
				if _, err := io.ReadFull(conn, m); err != nil {
					break
				}
				if m[0] == 1 {
					extra := 4 * int(o.U32(m[4:]))
					if extra > 64<<20 {
						t.Fatalf("reply of %d bytes", extra)
					}
					if _, err := io.ReadFull(conn, make([]byte, extra)); err != nil {
						break
					}
					if o.U16(m[2:]) == want && m[1] <= 2 && extra == 0 {
						break
					}
				}
			}
			conn.Close()
			<-done
		}
	})
}

// FuzzConnection feeds raw bytes, setup included, to a connection: no
// input may panic or hang the server.
func FuzzConnection(f *testing.F) {
	f.Add([]byte("l\x00\x0b\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\x00\x01\x00"))
	f.Add([]byte("B\x00\x00\x0b\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Add([]byte("l\x00\x0b\x00\x00\x00\x12\x00\x10\x00\x00\x00MIT-MAGIC-COOKIE-1\x00\x00"))
	f.Fuzz(func(t *testing.T, in []byte) {
		s := fuzzSetup(t)
		a, b := net.Pipe()
		done := make(chan struct{})
		go func() {
			s.ServeConn(b, true)
			close(done)
		}()
		go io.Copy(io.Discard, a)
		a.SetWriteDeadline(time.Now().Add(5 * time.Second))
		a.Write(in)
		a.Close()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("the server did not finish with a closed connection")
		}
	})
}
