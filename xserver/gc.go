package xserver

import (
	"image"

	"netdisplay/protocol"
	"netdisplay/xserver/fb"
	"netdisplay/xserver/region"
)

// A gcontext is an X graphics context: the raster state package fb draws
// with, plus what only the server needs (font, clip, exposures).
type gcontext struct {
	id    uint32
	depth int

	raster  fb.GC // Tile, Stipple and TSOrigin are filled in per drawing call
	tile    *pixmap
	stipple *pixmap
	ts      image.Point // tile and stipple origin, relative to the drawable

	font              uint32
	subwindowMode     uint8 // 0 ClipByChildren, 1 IncludeInferiors
	graphicsExposures bool
	clipOrigin        image.Point
	clipMask          *region.Region // nil: no clip mask; relative to clipOrigin

	// serial changes whenever the clip does, for the composite-clip cache.
	serial uint64
	cache  clipCache
}

// clipCache remembers the last composite clip a GC produced.
type clipCache struct {
	drawable   uint32
	gcSerial   uint64
	treeSerial uint64
	clip       region.Region
	none       bool // the composite clip is the whole pixmap
}

func newGC(id uint32, depth int) *gcontext {
	return &gcontext{
		id:    id,
		depth: depth,
		raster: fb.GC{
			Func:       fb.FuncCopy,
			PlaneMask:  0xFFFFFFFF,
			Foreground: 0,
			Background: 1,
			CapStyle:   fb.CapButt,
			ArcMode:    fb.ArcPieSlice,
			Dashes:     []uint8{4, 4},
		},
		graphicsExposures: true,
		font:              defaultFontID,
	}
}

func (c *client) createGC(b []byte) error {
	var r protocol.CreateGC
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	id := uint32(r.Cid)
	if err := c.newID(id); err != nil {
		return err
	}
	d, err := c.anyDrawable(uint32(r.Drawable))
	if err != nil {
		return err
	}
	g := newGC(id, d.drawableDepth())
	if err := c.changeGCValues(g, r.ValueMask, r.ValueList); err != nil {
		return err
	}
	c.addResource(id, g)
	return nil
}

func (c *client) changeGC(b []byte) error {
	var r protocol.ChangeGC
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	g, err := c.gc(uint32(r.Gc))
	if err != nil {
		return err
	}
	return c.changeGCValues(g, r.ValueMask, r.ValueList)
}

// changeGCValues applies a GC value list. Values are checked as they are
// applied, as X.Org does: an error leaves earlier values changed.
func (c *client) changeGCValues(g *gcontext, mask uint32, list []uint32) error {
	if mask&^0x7FFFFF != 0 {
		return badValue(mask)
	}
	g.serial++
	for bit, v := range protocol.Values(mask, list) {
		switch bit {
		case protocol.GCFunction:
			if v > 15 {
				return badValue(v)
			}
			g.raster.Func = fb.Func(v)
		case protocol.GCPlaneMask:
			g.raster.PlaneMask = v
		case protocol.GCForeground:
			g.raster.Foreground = v
		case protocol.GCBackground:
			g.raster.Background = v
		case protocol.GCLineWidth:
			g.raster.LineWidth = int(uint16(v))
		case protocol.GCLineStyle:
			if v > 2 {
				return badValue(v)
			}
			g.raster.LineStyle = fb.LineStyle(v)
		case protocol.GCCapStyle:
			if v > 3 {
				return badValue(v)
			}
			g.raster.CapStyle = fb.CapStyle(v)
		case protocol.GCJoinStyle:
			if v > 2 {
				return badValue(v)
			}
			g.raster.JoinStyle = fb.JoinStyle(v)
		case protocol.GCFillStyle:
			if v > 3 {
				return badValue(v)
			}
			g.raster.FillStyle = fb.FillStyle(v)
		case protocol.GCFillRule:
			if v > 1 {
				return badValue(v)
			}
			g.raster.FillRule = fb.FillRule(v)
		case protocol.GCTile:
			p, err := c.pixmapOfDepth(v, g.depth)
			if err != nil {
				return err
			}
			g.tile = p
		case protocol.GCStipple:
			p, err := c.pixmapOfDepth(v, 1)
			if err != nil {
				return err
			}
			g.stipple = p
		case protocol.GCTileStippleOriginX:
			g.ts.X = int(int16(v))
		case protocol.GCTileStippleOriginY:
			g.ts.Y = int(int16(v))
		case protocol.GCFont:
			if err := c.checkFont(v); err != nil {
				return err
			}
			g.font = v
		case protocol.GCSubwindowMode:
			if v > 1 {
				return badValue(v)
			}
			g.subwindowMode = uint8(v)
		case protocol.GCGraphicsExposures:
			if v > 1 {
				return badValue(v)
			}
			g.graphicsExposures = v == 1
		case protocol.GCClipOriginX:
			g.clipOrigin.X = int(int16(v))
		case protocol.GCClipOriginY:
			g.clipOrigin.Y = int(int16(v))
		case protocol.GCClipMask:
			if v == 0 {
				g.clipMask = nil
				break
			}
			p, err := c.pixmapOfDepth(v, 1)
			if err != nil {
				return err
			}
			g.clipMask = bitmapRegion(p.pix)
		case protocol.GCDashOffset:
			g.raster.DashOffset = int(uint16(v))
		case protocol.GCDashList:
			if uint8(v) == 0 {
				return badValue(v)
			}
			g.raster.Dashes = []uint8{uint8(v), uint8(v)}
		case protocol.GCArcMode:
			if v > 1 {
				return badValue(v)
			}
			g.raster.ArcMode = fb.ArcMode(v)
		}
	}
	return nil
}

// bitmapRegion is the region of the 1 bits of a depth-1 pixmap.
func bitmapRegion(p *fb.Pixmap) *region.Region {
	var rs []image.Rectangle
	for y := 0; y < p.Height; y++ {
		row := p.Pix[y*p.Stride : y*p.Stride+p.Width]
		for x := 0; x < len(row); {
			if row[x]&1 == 0 {
				x++
				continue
			}
			x0 := x
			for x < len(row) && row[x]&1 != 0 {
				x++
			}
			rs = append(rs, image.Rect(x0, y, x, y+1))
		}
	}
	return region.New(rs...)
}

func (c *client) copyGC(b []byte) error {
	var r protocol.CopyGC
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	src, err := c.gc(uint32(r.SrcGc))
	if err != nil {
		return err
	}
	dst, err := c.gc(uint32(r.DstGc))
	if err != nil {
		return err
	}
	if src.depth != dst.depth {
		return errMatch
	}
	mask := r.ValueMask
	if mask&^0x7FFFFF != 0 {
		return badValue(mask)
	}
	dst.serial++
	for bit := uint32(1); bit <= protocol.GCArcMode; bit <<= 1 {
		if mask&bit == 0 {
			continue
		}
		switch bit {
		case protocol.GCFunction:
			dst.raster.Func = src.raster.Func
		case protocol.GCPlaneMask:
			dst.raster.PlaneMask = src.raster.PlaneMask
		case protocol.GCForeground:
			dst.raster.Foreground = src.raster.Foreground
		case protocol.GCBackground:
			dst.raster.Background = src.raster.Background
		case protocol.GCLineWidth:
			dst.raster.LineWidth = src.raster.LineWidth
		case protocol.GCLineStyle:
			dst.raster.LineStyle = src.raster.LineStyle
		case protocol.GCCapStyle:
			dst.raster.CapStyle = src.raster.CapStyle
		case protocol.GCJoinStyle:
			dst.raster.JoinStyle = src.raster.JoinStyle
		case protocol.GCFillStyle:
			dst.raster.FillStyle = src.raster.FillStyle
		case protocol.GCFillRule:
			dst.raster.FillRule = src.raster.FillRule
		case protocol.GCTile:
			dst.tile = src.tile
		case protocol.GCStipple:
			dst.stipple = src.stipple
		case protocol.GCTileStippleOriginX:
			dst.ts.X = src.ts.X
		case protocol.GCTileStippleOriginY:
			dst.ts.Y = src.ts.Y
		case protocol.GCFont:
			dst.font = src.font
		case protocol.GCSubwindowMode:
			dst.subwindowMode = src.subwindowMode
		case protocol.GCGraphicsExposures:
			dst.graphicsExposures = src.graphicsExposures
		case protocol.GCClipOriginX:
			dst.clipOrigin.X = src.clipOrigin.X
		case protocol.GCClipOriginY:
			dst.clipOrigin.Y = src.clipOrigin.Y
		case protocol.GCClipMask:
			dst.clipMask = src.clipMask
		case protocol.GCDashOffset:
			dst.raster.DashOffset = src.raster.DashOffset
		case protocol.GCDashList:
			dst.raster.Dashes = append([]uint8(nil), src.raster.Dashes...)
		case protocol.GCArcMode:
			dst.raster.ArcMode = src.raster.ArcMode
		}
	}
	return nil
}

func (c *client) setDashes(b []byte) error {
	var r protocol.SetDashes
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	g, err := c.gc(uint32(r.Gc))
	if err != nil {
		return err
	}
	if len(r.Dashes) == 0 {
		return badValue(0)
	}
	for _, d := range r.Dashes {
		if d == 0 {
			return badValue(0)
		}
	}
	g.raster.Dashes = append(g.raster.Dashes[:0:0], r.Dashes...)
	g.raster.DashOffset = int(r.DashOffset)
	return nil
}

func (c *client) setClipRectangles(b []byte) error {
	var r protocol.SetClipRectangles
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	g, err := c.gc(uint32(r.Gc))
	if err != nil {
		return err
	}
	if r.Ordering > 3 {
		return badValue(uint32(r.Ordering))
	}
	g.clipMask = region.New(c.rects(r.Rectangles)...)
	g.clipOrigin = image.Pt(int(r.ClipXOrigin), int(r.ClipYOrigin))
	g.serial++
	return nil
}

func (c *client) freeGC(b []byte) error {
	var r protocol.FreeGC
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if _, err := c.gc(uint32(r.Gc)); err != nil {
		return err
	}
	c.s.forget(uint32(r.Gc))
	return nil
}

// target resolves a drawable and GC into where and how fb draws. ok is
// false when nothing can be drawn (an unviewable window).
func (s *Server) target(d drawable, g *gcontext) (fb.Canvas, *fb.GC, bool) {
	var cv fb.Canvas
	switch d := d.(type) {
	case *window:
		cv.Pixmap = s.screen.fb
		cv.Origin = d.abs
		if !d.viewable {
			return cv, nil, false
		}
		cc := &g.cache
		if cc.drawable != d.id || cc.gcSerial != g.serial || cc.treeSerial != s.treeSerial {
			cc.drawable, cc.gcSerial, cc.treeSerial = d.id, g.serial, s.treeSerial
			cc.none = false
			if g.subwindowMode == 1 {
				cc.clip.IntersectRect(&d.borderClip, d.inside())
			} else {
				cc.clip.Set(&d.clip)
			}
			if g.clipMask != nil {
				var m region.Region
				m.Set(g.clipMask).Translate(d.abs.X+g.clipOrigin.X, d.abs.Y+g.clipOrigin.Y)
				cc.clip.Intersect(&cc.clip, &m)
			}
		}
		if cc.clip.Empty() {
			return cv, nil, false
		}
		cv.Clip = &cc.clip
	case *pixmap:
		cv.Pixmap = d.pix
		if g.clipMask != nil {
			cc := &g.cache
			if cc.drawable != d.id || cc.gcSerial != g.serial {
				cc.drawable, cc.gcSerial = d.id, g.serial
				cc.clip.Set(g.clipMask).Translate(g.clipOrigin.X, g.clipOrigin.Y)
			}
			cv.Clip = &cc.clip
		}
	}
	gc := &g.raster
	gc.TSOrigin = cv.Origin.Add(g.ts)
	gc.Tile, gc.Stipple = nil, nil
	if g.tile != nil {
		gc.Tile = g.tile.pix
	}
	if g.stipple != nil {
		gc.Stipple = g.stipple.pix
	}
	if gc.FillStyle == fb.FillTiled && gc.Tile == nil {
		gc.Tile = solidTile(gc.Foreground, g.depth)
	}
	if (gc.FillStyle == fb.FillStippled || gc.FillStyle == fb.FillOpaqueStippled) && gc.Stipple == nil {
		gc.Stipple = onesStipple
	}
	return cv, gc, true
}

var onesStipple = func() *fb.Pixmap {
	p := fb.NewPixmap(1, 1, 1)
	p.Pix[0] = 1
	return p
}()

// solidTile stands in for a GC's default tile, which the protocol defines
// as a pixmap filled with the foreground.
func solidTile(pixel uint32, depth int) *fb.Pixmap {
	p := fb.NewPixmap(1, 1, depth)
	p.Pix[0] = pixel
	return p
}
