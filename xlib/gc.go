package xlib

import (
	"image"

	"netdisplay/protocol"
)

// A GCAttr sets one graphics context component (or more) in CreateGC and
// ChangeGC. Any component of the protocol can be written as one:
// GCAttr(func(v *protocol.ValueSet) { v.Set(protocol.GCArcMode, m) }).
type GCAttr func(*protocol.ValueSet)

func gcAttr(bit, v uint32) GCAttr {
	return func(s *protocol.ValueSet) { s.Set(bit, v) }
}

// Function sets the raster operation (protocol.GXcopy, GXxor, ...).
func Function(f uint8) GCAttr { return gcAttr(protocol.GCFunction, uint32(f)) }

// PlaneMask sets the planes drawing changes.
func PlaneMask(m uint32) GCAttr { return gcAttr(protocol.GCPlaneMask, m) }

// Foreground sets the pixel drawing is done in.
func Foreground(pixel uint32) GCAttr { return gcAttr(protocol.GCForeground, pixel) }

// Background sets the pixel of ImageText backgrounds, double dashes and
// opaque stipples.
func Background(pixel uint32) GCAttr { return gcAttr(protocol.GCBackground, pixel) }

// LineWidth sets the width of lines; 0 draws thin lines, fast.
func LineWidth(w int) GCAttr { return gcAttr(protocol.GCLineWidth, uint32(w)) }

// LineStyle sets solid, on-off dash or double dash lines.
func LineStyle(s uint8) GCAttr { return gcAttr(protocol.GCLineStyle, uint32(s)) }

// CapStyle sets how lines end.
func CapStyle(s uint8) GCAttr { return gcAttr(protocol.GCCapStyle, uint32(s)) }

// JoinStyle sets how wide lines meet.
func JoinStyle(s uint8) GCAttr { return gcAttr(protocol.GCJoinStyle, uint32(s)) }

// FillStyle sets solid, tiled, stippled or opaque stippled filling.
func FillStyle(s uint8) GCAttr { return gcAttr(protocol.GCFillStyle, uint32(s)) }

// FillRule sets the even-odd or winding rule of FillPolygon.
func FillRule(r uint8) GCAttr { return gcAttr(protocol.GCFillRule, uint32(r)) }

// Tile sets the pixmap tiled fills repeat.
func Tile(p Pixmap) GCAttr { return gcAttr(protocol.GCTile, uint32(p)) }

// Stipple sets the bitmap stippled fills repeat.
func Stipple(p Pixmap) GCAttr { return gcAttr(protocol.GCStipple, uint32(p)) }

// GCFont sets the font of text requests.
func GCFont(f Font) GCAttr { return gcAttr(protocol.GCFont, uint32(f)) }

// SubwindowMode sets whether drawing on a window also covers its
// children.
func SubwindowMode(m uint8) GCAttr { return gcAttr(protocol.GCSubwindowMode, uint32(m)) }

// GraphicsExposures sets whether CopyArea and CopyPlane report the
// parts they could not copy.
func GraphicsExposures(b bool) GCAttr { return gcAttr(protocol.GCGraphicsExposures, boolValue(b)) }

// ClipMask clips drawing to the set pixels of a bitmap; 0 is None.
func ClipMask(p Pixmap) GCAttr { return gcAttr(protocol.GCClipMask, uint32(p)) }

// DashOffset sets where in the dash pattern lines start.
func DashOffset(n int) GCAttr { return gcAttr(protocol.GCDashOffset, uint32(int32(n))) }

// Dashes sets a dash pattern of n pixels on, n off.
func Dashes(n uint8) GCAttr { return gcAttr(protocol.GCDashList, uint32(n)) }

// ArcMode sets whether FillArcs fills chords or pie slices.
func ArcMode(m uint8) GCAttr { return gcAttr(protocol.GCArcMode, uint32(m)) }

// TileStippleOrigin sets the origin of the tile or stipple.
func TileStippleOrigin(p image.Point) GCAttr {
	return func(s *protocol.ValueSet) {
		s.Set(protocol.GCTileStippleOriginX, uint32(int32(p.X)))
		s.Set(protocol.GCTileStippleOriginY, uint32(int32(p.Y)))
	}
}

// ClipOrigin sets the origin of the clip mask or clip rectangles.
func ClipOrigin(p image.Point) GCAttr {
	return func(s *protocol.ValueSet) {
		s.Set(protocol.GCClipOriginX, uint32(int32(p.X)))
		s.Set(protocol.GCClipOriginY, uint32(int32(p.Y)))
	}
}

func gcValues(attrs []GCAttr) protocol.ValueSet {
	var v protocol.ValueSet
	for _, a := range attrs {
		a(&v)
	}
	return v
}

// CreateGC creates a graphics context for drawables of d's depth and
// screen.
func (c *Conn) CreateGC(d Drawable, attrs ...GCAttr) (GC, error) {
	id, err := c.NewID()
	if err != nil {
		return 0, err
	}
	v := gcValues(attrs)
	err = c.Send(&protocol.CreateGC{Cid: protocol.Gcontext(id), Drawable: d.Drawable(), ValueMask: v.Mask, ValueList: v.List})
	if err != nil {
		return 0, err
	}
	return GC(id), nil
}

// ChangeGC changes components of gc.
func (c *Conn) ChangeGC(gc GC, attrs ...GCAttr) error {
	v := gcValues(attrs)
	return c.Send(&protocol.ChangeGC{Gc: protocol.Gcontext(gc), ValueMask: v.Mask, ValueList: v.List})
}

// FreeGC frees gc.
func (c *Conn) FreeGC(gc GC) error {
	return c.Send(&protocol.FreeGC{Gc: protocol.Gcontext(gc)})
}

// SetClipRectangles clips gc to the union of rs, relative to origin.
func (c *Conn) SetClipRectangles(gc GC, origin image.Point, rs ...image.Rectangle) error {
	return c.Send(&protocol.SetClipRectangles{
		Ordering:    protocol.ClipOrderingUnsorted,
		Gc:          protocol.Gcontext(gc),
		ClipXOrigin: int16(origin.X),
		ClipYOrigin: int16(origin.Y),
		Rectangles:  rects(rs, 0),
	})
}

// rects converts rectangles to the protocol's, leaving out empty ones;
// outline shrinks each by one pixel, since the protocol's outlined
// rectangle covers width+1 by height+1 pixels.
func rects(rs []image.Rectangle, outline int) []protocol.Rectangle {
	out := make([]protocol.Rectangle, 0, len(rs))
	for _, r := range rs {
		r = r.Canon()
		if r.Empty() {
			continue
		}
		out = append(out, protocol.Rectangle{X: int16(r.Min.X), Y: int16(r.Min.Y), Width: uint16(r.Dx() - outline), Height: uint16(r.Dy() - outline)})
	}
	return out
}

func points(ps []image.Point) []protocol.Point {
	out := make([]protocol.Point, len(ps))
	for i, p := range ps {
		out[i] = protocol.Point{X: int16(p.X), Y: int16(p.Y)}
	}
	return out
}

// FillRectangles fills rectangles (PolyFillRectangle).
func (c *Conn) FillRectangles(d Drawable, gc GC, rs ...image.Rectangle) error {
	return c.Send(&protocol.PolyFillRectangle{Drawable: d.Drawable(), Gc: protocol.Gcontext(gc), Rectangles: rects(rs, 0)})
}

// DrawRectangles outlines rectangles (PolyRectangle). With a line width
// of 0 or 1 the outline is the border pixels of each rectangle: inside
// it, unlike the protocol's rectangle, which is one pixel larger.
func (c *Conn) DrawRectangles(d Drawable, gc GC, rs ...image.Rectangle) error {
	return c.Send(&protocol.PolyRectangle{Drawable: d.Drawable(), Gc: protocol.Gcontext(gc), Rectangles: rects(rs, 1)})
}

// DrawLines draws connected lines through the points (PolyLine).
func (c *Conn) DrawLines(d Drawable, gc GC, pts ...image.Point) error {
	return c.Send(&protocol.PolyLine{CoordinateMode: protocol.CoordModeOrigin, Drawable: d.Drawable(), Gc: protocol.Gcontext(gc), Points: points(pts)})
}

// DrawPoints draws points (PolyPoint).
func (c *Conn) DrawPoints(d Drawable, gc GC, pts ...image.Point) error {
	return c.Send(&protocol.PolyPoint{CoordinateMode: protocol.CoordModeOrigin, Drawable: d.Drawable(), Gc: protocol.Gcontext(gc), Points: points(pts)})
}

// FillPolygon fills the polygon through the points (FillPoly), making no
// assumption about its shape.
func (c *Conn) FillPolygon(d Drawable, gc GC, pts ...image.Point) error {
	return c.Send(&protocol.FillPoly{Drawable: d.Drawable(), Gc: protocol.Gcontext(gc), Shape: protocol.PolyShapeComplex, CoordinateMode: protocol.CoordModeOrigin, Points: points(pts)})
}

// Arc returns the arc of the ellipse inscribed in r from angle1 through
// angle2 more, in 64ths of a degree counterclockwise from three o'clock.
func Arc(r image.Rectangle, angle1, angle2 int) protocol.Arc {
	return protocol.Arc{X: int16(r.Min.X), Y: int16(r.Min.Y), Width: uint16(r.Dx()), Height: uint16(r.Dy()), Angle1: int16(angle1), Angle2: int16(angle2)}
}

// DrawArcs draws arcs (PolyArc).
func (c *Conn) DrawArcs(d Drawable, gc GC, arcs ...protocol.Arc) error {
	return c.Send(&protocol.PolyArc{Drawable: d.Drawable(), Gc: protocol.Gcontext(gc), Arcs: arcs})
}

// FillArcs fills arcs (PolyFillArc), as chords or pie slices by the GC's
// arc mode.
func (c *Conn) FillArcs(d Drawable, gc GC, arcs ...protocol.Arc) error {
	return c.Send(&protocol.PolyFillArc{Drawable: d.Drawable(), Gc: protocol.Gcontext(gc), Arcs: arcs})
}

// CopyArea copies the rectangle r of src to dst, with r.Min going to dp.
func (c *Conn) CopyArea(src, dst Drawable, gc GC, r image.Rectangle, dp image.Point) error {
	return c.Send(&protocol.CopyArea{
		SrcDrawable: src.Drawable(),
		DstDrawable: dst.Drawable(),
		Gc:          protocol.Gcontext(gc),
		SrcX:        int16(r.Min.X),
		SrcY:        int16(r.Min.Y),
		DstX:        int16(dp.X),
		DstY:        int16(dp.Y),
		Width:       uint16(r.Dx()),
		Height:      uint16(r.Dy()),
	})
}

// ClearArea paints r of w with its background; an empty r means to the
// window's edges from r.Min, as in the protocol. With exposures, Expose
// events follow for the parts that are visible.
func (c *Conn) ClearArea(w Window, r image.Rectangle, exposures bool) error {
	return c.Send(&protocol.ClearArea{
		Exposures: exposures,
		Window:    protocol.Window(w),
		X:         int16(r.Min.X),
		Y:         int16(r.Min.Y),
		Width:     uint16(max(r.Dx(), 0)),
		Height:    uint16(max(r.Dy(), 0)),
	})
}
