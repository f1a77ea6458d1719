package xlib

import (
	"image"

	"netdisplay/protocol"
)

// A Segment is a line from P to Q.
type Segment struct{ P, Q image.Point }

// DrawSegments draws unconnected lines (PolySegment): many strokes, such
// as a clock's tick marks, in one request.
func (c *Conn) DrawSegments(d Drawable, gc GC, segs ...Segment) error {
	out := make([]protocol.Segment, len(segs))
	for i, s := range segs {
		out[i] = protocol.Segment{X1: int16(s.P.X), Y1: int16(s.P.Y), X2: int16(s.Q.X), Y2: int16(s.Q.Y)}
	}
	return c.Send(&protocol.PolySegment{Drawable: d.Drawable(), Gc: protocol.Gcontext(gc), Segments: out})
}
