package xserver_test

// Benchmarks that send the request streams x11perf sends, through
// ServeConn over an in-memory connection, so that a profile shows
// everything a request costs: framing, decoding, lookups, the composite
// clip, drawing and damage. The shapes (a 600x600 window at (2, 2) with a
// one-pixel border, 36 rectangles per PolyFillRectangle, 1000 points per
// PolyPoint, ...) are the ones x11perf 1.6 sends, read off its traffic.
// One benchmark operation is one x11perf operation (a rectangle, a dot, a
// character, a window), so ns/op compares directly with x11perf's rates.

import (
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"netdisplay/protocol"
	"netdisplay/xserver"
)

// perfConn is one client of a fresh server with x11perf's window mapped.
type perfConn struct {
	b       *testing.B
	c       net.Conn
	o       protocol.ByteOrder
	base    uint32
	next    uint32
	root    uint32
	win     uint32
	fg, bg  uint32 // x11perf's two GCs: black on white and white on black
	seq     uint16
	replies chan uint16 // sequence numbers of replies as they arrive
	images  chan []byte // GetImage data, when wanted
}

func newPerfConn(b *testing.B) *perfConn {
	b.Helper()
	a, z := net.Pipe()
	return startPerfConn(b, a, z)
}

// newPerfConnUnix is newPerfConn over a Unix socket, as x11perf connects:
// for round trips, where the system calls and the wake-ups they bring
// are most of the cost.
func newPerfConnUnix(b *testing.B) *perfConn {
	b.Helper()
	l, err := net.Listen("unix", filepath.Join(b.TempDir(), "x"))
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	a, err := net.Dial("unix", l.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	z, err := l.Accept()
	if err != nil {
		b.Fatal(err)
	}
	return startPerfConn(b, a, z)
}

// startPerfConn serves z and returns a client on a, its other end.
func startPerfConn(b *testing.B, a, z net.Conn) *perfConn {
	s := xserver.New(xserver.Config{Width: 1280, Height: 1024, Logf: func(string, ...any) {}})
	go s.ServeConn(z, true)
	b.Cleanup(func() { a.Close(); s.Close() })
	o := protocol.LSBFirst
	req := protocol.SetupRequest{ByteOrder: o, ProtocolMajorVersion: 11}
	a.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := a.Write(req.Marshal(o, nil)); err != nil {
		b.Fatal(err)
	}
	head := make([]byte, 8)
	if _, err := io.ReadFull(a, head); err != nil {
		b.Fatal(err)
	}
	rest := make([]byte, 4*int(o.U16(head[6:])))
	if _, err := io.ReadFull(a, rest); err != nil {
		b.Fatal(err)
	}
	var setup protocol.Setup
	if err := setup.Unmarshal(o, append(head, rest...)); err != nil {
		b.Fatal(err)
	}
	a.SetDeadline(time.Time{})
	p := &perfConn{b: b, c: a, o: o, base: setup.ResourceIdBase, root: uint32(setup.Roots[0].Root),
		replies: make(chan uint16, 16), images: make(chan []byte, 1)}
	go p.readLoop()

	p.win = p.id()
	var cw protocol.ValueSet
	cw.Set(protocol.CWBackPixel, 0xFFFFFF)
	cw.Set(protocol.CWBorderPixel, 0)
	cw.Set(protocol.CWOverrideRedirect, 1)
	p.fg, p.bg = p.id(), p.id()
	var fg, bg protocol.ValueSet
	fg.Set(protocol.GCForeground, 0)
	fg.Set(protocol.GCBackground, 0xFFFFFF)
	bg.Set(protocol.GCForeground, 0xFFFFFF)
	bg.Set(protocol.GCBackground, 0)
	p.send(nil,
		&protocol.CreateWindow{Wid: protocol.Window(p.win), Parent: protocol.Window(p.root), X: 2, Y: 2, Width: 600, Height: 600,
			BorderWidth: 1, Class: 1, ValueMask: cw.Mask, ValueList: cw.List},
		&protocol.MapWindow{Window: protocol.Window(p.win)},
		&protocol.CreateGC{Cid: protocol.Gcontext(p.fg), Drawable: protocol.Drawable(p.win), ValueMask: fg.Mask, ValueList: fg.List},
		&protocol.CreateGC{Cid: protocol.Gcontext(p.bg), Drawable: protocol.Drawable(p.win), ValueMask: bg.Mask, ValueList: bg.List})
	p.sync()
	return p
}

func (p *perfConn) id() uint32 {
	p.next++
	return p.base | p.next
}

// readLoop reads everything the server sends, passing on the sequence
// numbers of replies, and GetImage data when someone waits for it.
func (p *perfConn) readLoop() {
	head := make([]byte, 32)
	var extra []byte
	for {
		if _, err := io.ReadFull(p.c, head); err != nil {
			close(p.replies)
			return
		}
		if head[0] == 0 {
			p.b.Errorf("X error %d for opcode %d", head[1], head[10])
			continue
		}
		if head[0] != 1 {
			continue
		}
		n := 4 * int(p.o.U32(head[4:]))
		if cap(extra) < n {
			extra = make([]byte, n)
		}
		extra = extra[:n]
		if _, err := io.ReadFull(p.c, extra); err != nil {
			close(p.replies)
			return
		}
		if n > 0 {
			select {
			case p.images <- extra:
				extra = nil
			default:
			}
		}
		p.replies <- p.o.U16(head[2:])
	}
}

// send writes requests in one write, as Xlib's buffer does.
func (p *perfConn) send(buf []byte, reqs ...protocol.Request) []byte {
	buf = buf[:0]
	for _, r := range reqs {
		buf = r.Marshal(p.o, buf)
		p.seq++
	}
	if _, err := p.c.Write(buf); err != nil {
		p.b.Fatal(err)
	}
	return buf
}

// sync waits until the server has run everything sent.
func (p *perfConn) sync() {
	p.send(nil, &protocol.GetInputFocus{})
	for seq := range p.replies {
		if seq == p.seq {
			return
		}
	}
	p.b.Fatal("connection closed")
}

// repeat sends the request r (already marshalled, counting n operations)
// until b.N operations are done, in writes of about 16 KB as Xlib's
// output buffer makes them, and waits for the last to run.
func (p *perfConn) repeat(r []byte, n int) {
	b := p.b
	per := max(1, 16384/len(r))
	buf := make([]byte, 0, per*len(r))
	for range per {
		buf = append(buf, r...)
	}
	reqs := (b.N + n - 1) / n
	b.ResetTimer()
	for reqs > 0 {
		k := min(per, reqs)
		if _, err := p.c.Write(buf[:k*len(r)]); err != nil {
			b.Fatal(err)
		}
		p.seq += uint16(k)
		reqs -= k
	}
	p.sync()
}

// loop sends reqs, which count n operations, until b.N operations are
// done, and waits for the last to run.
func (p *perfConn) loop(reqs []protocol.Request, n int) {
	var buf []byte
	for _, r := range reqs {
		buf = r.Marshal(p.o, buf)
	}
	b := p.b
	b.ResetTimer()
	for done := 0; done < b.N; done += n {
		if _, err := p.c.Write(buf); err != nil {
			b.Fatal(err)
		}
		p.seq += uint16(len(reqs))
	}
	p.sync()
}

func (p *perfConn) marshal(r protocol.Request) []byte { return r.Marshal(p.o, nil) }

func (p *perfConn) drawable() protocol.Drawable { return protocol.Drawable(p.win) }

// BenchmarkX11PerfRect100 is x11perf -rect100: 36 100x100 rectangles per
// request, tiling the window. Likewise -rect10 and -rect500.
func BenchmarkX11PerfRect10(b *testing.B)  { benchRects(b, 10) }
func BenchmarkX11PerfRect100(b *testing.B) { benchRects(b, 100) }
func BenchmarkX11PerfRect500(b *testing.B) { benchRects(b, 500) }

func benchRects(b *testing.B, size int) {
	p := newPerfConn(b)
	var rs []protocol.Rectangle
	for y := 0; y+size <= 600 && len(rs) < 1000; y += size + 1 {
		for x := 0; x+size <= 600 && len(rs) < 1000; x += size + 1 {
			rs = append(rs, protocol.Rectangle{X: int16(x), Y: int16(y), Width: uint16(size), Height: uint16(size)})
		}
	}
	r := p.marshal(&protocol.PolyFillRectangle{Drawable: p.drawable(), Gc: protocol.Gcontext(p.fg), Rectangles: rs})
	p.repeat(r, len(rs))
}

// BenchmarkX11PerfDot is x11perf -dot: 1000 points per request.
func BenchmarkX11PerfDot(b *testing.B) {
	p := newPerfConn(b)
	pts := make([]protocol.Point, 1000)
	for i := range pts {
		pts[i] = protocol.Point{X: int16(2 * (i % 300)), Y: int16(2 * (i / 300))}
	}
	p.repeat(p.marshal(&protocol.PolyPoint{Drawable: p.drawable(), Gc: protocol.Gcontext(p.fg), Points: pts}), len(pts))
}

// x11perfRequest reads a request x11perf sent, as captured from its
// traffic into testdata, and returns its body after the drawable and GC:
// the geometry, which the benchmarks send with their own ids.
func x11perfRequest(b *testing.B, name string) []byte {
	req, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		b.Fatal(err)
	}
	return req[12:]
}

// BenchmarkX11PerfSeg100 is x11perf -seg100: 1000 100-pixel segments of
// every slope per request, x11perf's own.
func BenchmarkX11PerfSeg100(b *testing.B) {
	p := newPerfConn(b)
	body := x11perfRequest(b, "x11perf-seg100.bin")
	segs := make([]protocol.Segment, len(body)/8)
	for i := range segs {
		q := body[8*i:]
		segs[i] = protocol.Segment{X1: int16(p.o.U16(q)), Y1: int16(p.o.U16(q[2:])), X2: int16(p.o.U16(q[4:])), Y2: int16(p.o.U16(q[6:]))}
	}
	p.repeat(p.marshal(&protocol.PolySegment{Drawable: p.drawable(), Gc: protocol.Gcontext(p.fg), Segments: segs}), len(segs))
}

// x11perfPoints returns the points of a PolyLine x11perf sent.
func x11perfPoints(b *testing.B, p *perfConn, name string) []protocol.Point {
	body := x11perfRequest(b, name)
	pts := make([]protocol.Point, len(body)/4)
	for i := range pts {
		q := body[4*i:]
		pts[i] = protocol.Point{X: int16(p.o.U16(q)), Y: int16(p.o.U16(q[2:]))}
	}
	return pts
}

// BenchmarkX11PerfLine100 is x11perf -line100: a PolyLine of 1000 lines of
// 100 pixels.
func BenchmarkX11PerfLine100(b *testing.B) {
	p := newPerfConn(b)
	pts := x11perfPoints(b, p, "x11perf-line100.bin")
	p.repeat(p.marshal(&protocol.PolyLine{Drawable: p.drawable(), Gc: protocol.Gcontext(p.fg), Points: pts}), len(pts)-1)
}

// BenchmarkX11PerfWline100 is x11perf -wline100: 100 lines of width 10 per
// PolyLine.
func BenchmarkX11PerfWline100(b *testing.B) {
	p := newPerfConn(b)
	var v protocol.ValueSet
	v.Set(protocol.GCLineWidth, 10)
	p.send(nil, &protocol.ChangeGC{Gc: protocol.Gcontext(p.fg), ValueMask: v.Mask, ValueList: v.List})
	pts := x11perfPoints(b, p, "x11perf-wline100.bin")
	p.repeat(p.marshal(&protocol.PolyLine{Drawable: p.drawable(), Gc: protocol.Gcontext(p.fg), Points: pts}), len(pts)-1)
}

// BenchmarkX11PerfFcircle100 is x11perf -fcircle100: 100 filled circles of
// diameter 100 per PolyFillArc.
func BenchmarkX11PerfFcircle100(b *testing.B) {
	p := newPerfConn(b)
	arcs := make([]protocol.Arc, 100)
	for i := range arcs {
		arcs[i] = protocol.Arc{X: int16(5 + (i%5)*101), Y: int16(5 + (i/5)%5*101), Width: 100, Height: 100, Angle2: 360 * 64}
	}
	p.repeat(p.marshal(&protocol.PolyFillArc{Drawable: p.drawable(), Gc: protocol.Gcontext(p.fg), Arcs: arcs}), len(arcs))
}

// benchText is x11perf -ftext and -f8text: a line of n characters of font
// per PolyText8.
func benchText(b *testing.B, font string, n int) {
	p := newPerfConn(b)
	fid := p.id()
	var v protocol.ValueSet
	v.Set(protocol.GCFont, fid)
	p.send(nil, &protocol.OpenFont{Fid: protocol.Font(fid), Name: []byte(font)},
		&protocol.ChangeGC{Gc: protocol.Gcontext(p.fg), ValueMask: v.Mask, ValueList: v.List})
	items := []byte{byte(n), 0}
	for i := range n {
		items = append(items, byte(' '+i%95))
	}
	p.repeat(p.marshal(&protocol.PolyText8{Drawable: p.drawable(), Gc: protocol.Gcontext(p.fg), X: 20, Y: 20, Items: items}), n)
}

func BenchmarkX11PerfFtext(b *testing.B)  { benchText(b, "6x13", 80) }
func BenchmarkX11PerfF8text(b *testing.B) { benchText(b, "8x13", 70) }

// BenchmarkX11PerfPutImage100 is x11perf -putimage100: a 100x100 ZPixmap.
func BenchmarkX11PerfPutImage10(b *testing.B)  { benchPutImage(b, 10) }
func BenchmarkX11PerfPutImage100(b *testing.B) { benchPutImage(b, 100) }

func benchPutImage(b *testing.B, size int) {
	p := newPerfConn(b)
	data := make([]byte, 4*size*size)
	for i := range data {
		data[i] = byte(i * 7)
	}
	p.repeat(p.marshal(&protocol.PutImage{Format: protocol.ImageFormatZPixmap, Drawable: p.drawable(), Gc: protocol.Gcontext(p.fg),
		Width: uint16(size), Height: uint16(size), DstX: 480, DstY: 480, Depth: 24, Data: data}), 1)
}

// BenchmarkX11PerfGetImage100 is x11perf -getimage100: a round trip per
// 100x100 image.
func BenchmarkX11PerfGetImage100(b *testing.B) { benchGetImage(b, newPerfConn(b)) }

// BenchmarkX11PerfGetImage100Unix is the same over a Unix socket.
func BenchmarkX11PerfGetImage100Unix(b *testing.B) { benchGetImage(b, newPerfConnUnix(b)) }

func benchGetImage(b *testing.B, p *perfConn) {
	r := p.marshal(&protocol.GetImage{Format: protocol.ImageFormatZPixmap, Drawable: p.drawable(), Width: 100, Height: 100, PlaneMask: ^uint32(0)})
	b.SetBytes(4 * 100 * 100)
	b.ResetTimer()
	for range b.N {
		if _, err := p.c.Write(r); err != nil {
			b.Fatal(err)
		}
		p.seq++
		<-p.images
		<-p.replies
	}
}

// BenchmarkX11PerfCopyWinWin100 is x11perf -copywinwin100: a 100x100
// CopyArea within the window.
func BenchmarkX11PerfCopyWinWin100(b *testing.B) {
	p := newPerfConn(b)
	var v protocol.ValueSet
	v.Set(protocol.GCGraphicsExposures, 0)
	p.send(nil, &protocol.ChangeGC{Gc: protocol.Gcontext(p.fg), ValueMask: v.Mask, ValueList: v.List})
	r := p.marshal(&protocol.CopyArea{SrcDrawable: p.drawable(), DstDrawable: p.drawable(), Gc: protocol.Gcontext(p.fg),
		SrcX: 0, SrcY: 0, DstX: 480, DstY: 480, Width: 100, Height: 100})
	p.repeat(r, 1)
}

// BenchmarkX11PerfCopyPixWin100 is x11perf -copypixwin100: a 100x100
// CopyArea from a 600x600 pixmap to the window.
func BenchmarkX11PerfCopyPixWin100(b *testing.B) {
	p := newPerfConn(b)
	pix := p.id()
	var v protocol.ValueSet
	v.Set(protocol.GCGraphicsExposures, 0)
	p.send(nil, &protocol.CreatePixmap{Depth: 24, Pid: protocol.Pixmap(pix), Drawable: p.drawable(), Width: 600, Height: 600},
		&protocol.ChangeGC{Gc: protocol.Gcontext(p.fg), ValueMask: v.Mask, ValueList: v.List})
	r := p.marshal(&protocol.CopyArea{SrcDrawable: protocol.Drawable(pix), DstDrawable: p.drawable(), Gc: protocol.Gcontext(p.fg),
		SrcX: 0, SrcY: 0, DstX: 480, DstY: 480, Width: 100, Height: 100})
	p.repeat(r, 1)
}

// perfParents makes x11perf's parents for -create and -map: 50 pairs of
// nested 48x12 windows down the left of the window; the inner one of each
// pair is a parent of 4 kids.
func (p *perfConn) perfParents() []uint32 {
	var cw protocol.ValueSet
	cw.Set(protocol.CWBackPixel, 0xFFFFFF)
	cw.Set(protocol.CWBorderPixel, 0xFFFFFF)
	var reqs []protocol.Request
	var parents []uint32
	for i := range 50 {
		outer, inner := p.id(), p.id()
		reqs = append(reqs,
			&protocol.CreateWindow{Wid: protocol.Window(outer), Parent: protocol.Window(p.win), Y: int16(12 * i), Width: 48, Height: 12, ValueMask: cw.Mask, ValueList: cw.List},
			&protocol.CreateWindow{Wid: protocol.Window(inner), Parent: protocol.Window(outer), Width: 48, Height: 12, ValueMask: cw.Mask, ValueList: cw.List})
		parents = append(parents, inner)
	}
	reqs = append(reqs, &protocol.MapSubwindows{Window: protocol.Window(p.win)})
	for _, w := range parents {
		reqs = append(reqs, &protocol.MapWindow{Window: protocol.Window(w)})
	}
	p.send(nil, reqs...)
	p.sync()
	return parents
}

// kids returns the requests that create and map 4 kids in each parent.
func (p *perfConn) kids(parents []uint32) []protocol.Request {
	var cw protocol.ValueSet
	cw.Set(protocol.CWBackPixel, 0)
	cw.Set(protocol.CWBorderPixel, 0xFFFFFF)
	var reqs []protocol.Request
	for _, w := range parents {
		for k := range 4 {
			reqs = append(reqs, &protocol.CreateWindow{Wid: protocol.Window(p.id()), Parent: protocol.Window(w), X: int16(2 + 12*k), Y: 2,
				Width: 8, Height: 8, BorderWidth: 1, ValueMask: cw.Mask, ValueList: cw.List})
		}
		reqs = append(reqs, &protocol.MapSubwindows{Window: protocol.Window(w)})
	}
	return reqs
}

// BenchmarkX11PerfCreate is x11perf -create: create and map 200 kids in
// 50 parents, then destroy them; one operation is one window.
func BenchmarkX11PerfCreate(b *testing.B) {
	p := newPerfConn(b)
	parents := p.perfParents()
	// The kids' ids are reused each time: they are free again once
	// destroyed.
	reqs := p.kids(parents)
	for _, w := range parents {
		reqs = append(reqs, &protocol.DestroySubwindows{Window: protocol.Window(w)})
	}
	p.loop(reqs, 200)
}

// BenchmarkX11PerfMap is x11perf -map: map 50 parents of 4 mapped kids
// each, then unmap them; one operation is one kid mapped.
func BenchmarkX11PerfMap(b *testing.B) {
	p := newPerfConn(b)
	parents := p.perfParents()
	var reqs []protocol.Request
	for _, w := range parents {
		reqs = append(reqs, &protocol.UnmapWindow{Window: protocol.Window(w)})
	}
	reqs = append(reqs, p.kids(parents)...)
	p.send(nil, reqs...)
	p.sync()
	reqs = reqs[:0]
	for _, w := range parents {
		reqs = append(reqs, &protocol.MapWindow{Window: protocol.Window(w)})
	}
	for _, w := range parents {
		reqs = append(reqs, &protocol.UnmapWindow{Window: protocol.Window(w)})
	}
	p.loop(reqs, 200)
}

// BenchmarkX11PerfNoop is x11perf -noop: NoOperation.
func BenchmarkX11PerfNoop(b *testing.B) {
	p := newPerfConn(b)
	p.repeat([]byte{protocol.OpNoOperation, 0, 1, 0}, 1)
}
