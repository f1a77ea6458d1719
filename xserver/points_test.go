package xserver

import (
	"image"
	"math/rand"
	"slices"
	"testing"

	"netdisplay/protocol"
)

// The points of PolyPoint, PolyLine and FillPoly are decoded straight from
// the wire; they must come out as the generated decoder has them.
func TestPointsMatchUnmarshal(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, o := range []protocol.ByteOrder{protocol.LSBFirst, protocol.MSBFirst} {
		for _, mode := range []uint8{protocol.CoordModeOrigin, protocol.CoordModePrevious} {
			pts := make([]protocol.Point, 1+rng.Intn(50))
			for i := range pts {
				pts[i] = protocol.Point{X: int16(rng.Intn(65536)), Y: int16(rng.Intn(65536))}
			}
			b := protocol.PolyLine{CoordinateMode: mode, Drawable: 7, Gc: 9, Points: pts}.Marshal(o, nil)
			var r protocol.PolyLine
			if err := r.Unmarshal(o, b); err != nil {
				t.Fatal(err)
			}
			var want []image.Point
			var x, y int
			for i, p := range r.Points {
				if mode == protocol.CoordModePrevious && i > 0 {
					x, y = x+int(p.X), y+int(p.Y)
				} else {
					x, y = int(p.X), int(p.Y)
				}
				want = append(want, image.Pt(x, y))
			}
			c := &client{order: o}
			m, d, g, rest, err := c.pointsRequest(b, 0)
			if err != nil || m != mode || d != 7 || g != 9 {
				t.Fatalf("%v: header %d %d %d %v", o, m, d, g, err)
			}
			if got := c.points(rest, mode == protocol.CoordModePrevious); !slices.Equal(got, want) {
				t.Errorf("%v mode %d: points\n%v\nwant\n%v", o, mode, got, want)
			}
		}
	}
}
