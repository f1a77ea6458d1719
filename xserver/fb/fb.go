// Package fb is netdisplay's software rasterizer. It draws points, lines,
// polygons, arcs, rectangles, images and glyphs into pixmaps with the raster
// semantics of the X11 core protocol (functions, plane masks, line and fill
// styles, clipping), and tells an Observer what it changed.
//
// It knows nothing of the X protocol, of sockets or of windows: the server
// hands it a Canvas (a pixmap, where the drawable's origin lies in it, and the
// region drawing may touch) and a GC (the raster state), both already resolved
// from the client's resources.
//
// Every depth is stored one uint32 per pixel, masked to the depth. That costs
// memory for bitmaps but lets one set of loops serve every depth.
package fb

import (
	"image"

	"netdisplay/xserver/region"
)

// A Pixmap is a rectangular array of pixels of one depth.
type Pixmap struct {
	Width, Height int
	Depth         int      // 1, 4, 8, 15, 16, 24 or 32
	Stride        int      // pixels per row in Pix
	Pix           []uint32 // row-major; values are masked to Depth bits

	// Observer, when set, is told of every pixel this package changes in
	// the pixmap. The screen's pixmap has one; it feeds damage tracking.
	Observer Observer

	solid [2]solidRow // rows of one value for solid fills to copy from
}

// An Observer learns what drawing changed. Rectangles are in pixmap
// coordinates, clipped to the pixmap, and never empty.
type Observer interface {
	// Changed says the pixels in r may have changed.
	Changed(r image.Rectangle)
	// Copied says the pixels now in r were copied, unchanged, from
	// r.Sub(image.Pt(dx, dy)) of the same pixmap. Only a plain copy (function
	// Copy, all planes) within one pixmap is reported this way; anything else
	// is reported as Changed.
	Copied(r image.Rectangle, dx, dy int)
}

// A Canvas is a drawable as the rasterizer sees it.
type Canvas struct {
	*Pixmap
	// Origin is where the drawable's (0, 0) lies in the pixmap. Coordinates
	// passed to drawing functions are drawable coordinates.
	Origin image.Point
	// Clip is the region, in pixmap coordinates, that drawing may touch. A
	// nil Clip means the whole pixmap.
	Clip *region.Region
}

// Func is one of the 16 raster operations of the X protocol, numbered as the
// protocol numbers them: the result is f(src, dst).
type Func uint8

const (
	FuncClear        Func = iota // 0
	FuncAnd                      // src AND dst
	FuncAndReverse               // src AND NOT dst
	FuncCopy                     // src
	FuncAndInverted              // (NOT src) AND dst
	FuncNoop                     // dst
	FuncXor                      // src XOR dst
	FuncOr                       // src OR dst
	FuncNor                      // (NOT src) AND (NOT dst)
	FuncEquiv                    // (NOT src) XOR dst
	FuncInvert                   // NOT dst
	FuncOrReverse                // src OR (NOT dst)
	FuncCopyInverted             // NOT src
	FuncOrInverted               // (NOT src) OR dst
	FuncNand                     // (NOT src) OR (NOT dst)
	FuncSet                      // 1
)

// LineStyle, CapStyle, JoinStyle, FillStyle, FillRule and ArcMode take the
// values the protocol gives them.
type (
	LineStyle uint8
	CapStyle  uint8
	JoinStyle uint8
	FillStyle uint8
	FillRule  uint8
	ArcMode   uint8
)

const (
	LineSolid LineStyle = iota
	LineOnOffDash
	LineDoubleDash
)

const (
	CapNotLast CapStyle = iota
	CapButt
	CapRound
	CapProjecting
)

const (
	JoinMiter JoinStyle = iota
	JoinRound
	JoinBevel
)

const (
	FillSolid FillStyle = iota
	FillTiled
	FillStippled
	FillOpaqueStippled
)

const (
	EvenOddRule FillRule = iota
	WindingRule
)

const (
	ArcChord ArcMode = iota
	ArcPieSlice
)

// Shape is the client's hint about a polygon, as in FillPoly.
type Shape uint8

const (
	ShapeComplex Shape = iota
	ShapeNonconvex
	ShapeConvex
)

// A GC is the raster state drawing uses. The server fills it from an X GC;
// the rasterizer never changes it.
type GC struct {
	Func       Func
	PlaneMask  uint32
	Foreground uint32
	Background uint32
	LineWidth  int
	LineStyle  LineStyle
	CapStyle   CapStyle
	JoinStyle  JoinStyle
	FillStyle  FillStyle
	FillRule   FillRule
	ArcMode    ArcMode
	Tile       *Pixmap // for FillTiled; same depth as the destination
	Stipple    *Pixmap // for the stippled styles; depth 1
	// TSOrigin is the tile and stipple origin in pixmap coordinates (the
	// server adds the drawable's origin to the GC's origin).
	TSOrigin   image.Point
	Dashes     []uint8 // lengths of alternating on and off dashes; never a zero
	DashOffset int
}

// A Span is a run of W pixels starting at (X, Y), in pixmap coordinates.
// The geometry code reduces lines, polygons and arcs to spans; the fill code
// clips them and paints them with the GC's fill style and function.
type Span struct {
	X, Y, W int
}

// A Segment is a line from (X1, Y1) to (X2, Y2), in drawable coordinates.
type Segment struct {
	X1, Y1, X2, Y2 int
}

// An Arc is part of the ellipse inscribed in the rectangle at (X, Y) of size
// Width x Height, in drawable coordinates. Angles are in 64ths of a degree,
// counter-clockwise from three o'clock; Angle2 is relative to Angle1.
type Arc struct {
	X, Y          int
	Width, Height int
	Angle1        int
	Angle2        int
}
