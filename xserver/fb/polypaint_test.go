package fb

import (
	"encoding/binary"
	"image"
	"math/rand"
	"testing"

	"netdisplay/xserver/region"
)

func TestUnionSpans(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 500; i++ {
		n := rng.Intn(300)
		rows := 1 + rng.Intn(40)
		if rng.Intn(5) == 0 {
			rows = 100000 // sparse rows: the comparison sort
		}
		var ss []Span
		want := make(map[image.Point]bool)
		for k := 0; k < n; k++ {
			s := Span{rng.Intn(100) - 50, rng.Intn(rows), rng.Intn(20) - 3}
			ss = append(ss, s)
			for x := s.X; x < s.X+s.W; x++ {
				want[image.Pt(x, s.Y)] = true
			}
		}
		got := unionSpans(ss)
		seen := make(map[image.Point]bool)
		for k, s := range got {
			if s.W <= 0 {
				t.Fatalf("empty span %v", s)
			}
			if k > 0 {
				p := got[k-1]
				if p.Y > s.Y || (p.Y == s.Y && p.X+p.W >= s.X) {
					t.Fatalf("spans %v and %v out of order or touching", p, s)
				}
			}
			for x := s.X; x < s.X+s.W; x++ {
				seen[image.Pt(x, s.Y)] = true
			}
		}
		if len(seen) != len(want) {
			t.Fatalf("union covers %d pixels, want %d", len(seen), len(want))
		}
		for p := range want {
			if !seen[p] {
				t.Fatalf("union misses %v", p)
			}
		}
	}
}

// FuzzGeometry draws a primitive decoded from the input, with values in
// their protocol ranges, on a small pixmap with a clip. Nothing may panic,
// and nothing outside the clip may change.
func FuzzGeometry(f *testing.F) {
	f.Add([]byte("\x00\x05\x00\x01\x00\x10\x00\x20\x00\x30\x00\x05\x00\x07"))
	f.Add([]byte("\x04\x0a\x02\x03\x01\x02\x00\x08\x00\x08\x00\x20\x00\x20\x00\x00\x5a\x00"))
	f.Add([]byte("\x05\x00\x01\x00\x01\x01\x80\x00\x80\x00\xff\xff\xff\xff\x16\x80\x7f\xff"))
	f.Add([]byte("\x03\x14\x02\x02\x02\x01\x00\x01\x00\x02\x00\x1f\x00\x03\x00\x10\x00\x11\x00\x02"))
	f.Fuzz(func(t *testing.T, data []byte) {
		const w, h = 24, 20
		if len(data) < 6 {
			return
		}
		op, lw, style, capjoin, fn, fill := data[0]%6, int(data[1]), LineStyle(data[2]%3), data[3], Func(data[4]%16), FillStyle(data[5]%4)
		data = data[6:]
		next := func() int { // a signed 16-bit value
			if len(data) < 2 {
				return 0
			}
			v := int(int16(binary.BigEndian.Uint16(data)))
			data = data[2:]
			return v
		}
		if lw > 40 {
			lw = 0 // wide lines cost width × length; keep fuzzing fast
		}
		p := NewPixmap(w, h, 24)
		for i := range p.Pix {
			p.Pix[i] = uint32(i * 2654435761 & 0xffffff)
		}
		before := append([]uint32(nil), p.Pix...)
		clipRect := image.Rect(4, 3, 19, 16)
		// Parts of the clip lie outside the pixmap, and the part inside is
		// one rectangle: the zero-width lines' direct path must see that.
		clip := region.New(clipRect, image.Rect(1, 10, 6, 18))
		if op&1 == 1 {
			clip = region.New(clipRect, image.Rect(2, 22, 30, 40))
		}
		if capjoin == 0x55 {
			clip = new(region.Region)
		}
		c := Canvas{Pixmap: p, Clip: clip, Origin: image.Pt(int(capjoin>>4)-8, int(capjoin&7)-4)}
		stipple := NewPixmap(3, 2, 1)
		stipple.Pix[1], stipple.Pix[4] = 1, 1
		gc := &GC{
			Func: fn, PlaneMask: 0xff00ff, Foreground: 0x123456, Background: 0x654321,
			LineWidth: lw, LineStyle: style, CapStyle: CapStyle(capjoin % 4), JoinStyle: JoinStyle(capjoin / 4 % 3),
			FillStyle: fill, FillRule: FillRule(capjoin >> 7), ArcMode: ArcMode(capjoin >> 6 & 1),
			Tile: NewPixmap(2, 2, 24), Stipple: stipple,
			Dashes: []uint8{uint8(capjoin%7 + 1), uint8(fn + 1), 3}, DashOffset: int(capjoin) * 3,
		}
		var pts []image.Point
		for len(data) >= 4 && len(pts) < 12 {
			pts = append(pts, image.Pt(next(), next()))
		}
		switch op {
		case 0:
			PolyLine(c, gc, pts)
		case 1:
			var segs []Segment
			for i := 0; i+1 < len(pts); i += 2 {
				segs = append(segs, Segment{pts[i].X, pts[i].Y, pts[i+1].X, pts[i+1].Y})
			}
			PolySegment(c, gc, segs)
		case 2:
			FillPolygon(c, gc, pts, Shape(capjoin%3))
		case 3:
			var rs []image.Rectangle
			for i := 0; i+1 < len(pts); i += 2 {
				rs = append(rs, xrect(pts[i].X, pts[i].Y, pts[i+1].X&0xffff, pts[i+1].Y&0xffff))
			}
			PolyRectangle(c, gc, rs)
		case 4, 5:
			var arcs []Arc
			for i := 0; i+2 < len(pts); i += 3 {
				a := Arc{pts[i].X, pts[i].Y, pts[i+1].X & 0xffff, pts[i+1].Y & 0xffff, pts[i+2].X, pts[i+2].Y}
				// Big ellipses with wide or dashed lines cost their size
				// in rows; keep fuzzing fast.
				if lw > 2 || style != LineSolid {
					a.Width, a.Height = a.Width%300, a.Height%300
				}
				arcs = append(arcs, a)
			}
			if op == 4 {
				PolyArc(c, gc, arcs)
			} else {
				PolyFillArc(c, gc, arcs)
			}
		}
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				if !clip.Contains(image.Pt(x, y)) && p.Pix[y*w+x] != before[y*w+x] {
					t.Fatalf("op %d changed (%d,%d), outside the clip", op, x, y)
				}
			}
		}
	})
}
