package xserver

import (
	"encoding/binary"
	"image"
	"slices"

	"netdisplay/protocol"
	"netdisplay/xserver/fb"
	"netdisplay/xserver/region"
)

// A pixmap is an off-screen drawable.
type pixmap struct {
	id    uint32
	owner *client
	pix   *fb.Pixmap
}

func (c *client) createPixmap(b []byte) error {
	var r protocol.CreatePixmap
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	id := uint32(r.Pid)
	if err := c.newID(id); err != nil {
		return err
	}
	if _, err := c.anyDrawable(uint32(r.Drawable)); err != nil {
		return err
	}
	if r.Width == 0 || r.Height == 0 {
		return badValue(0)
	}
	if bitsPerPixel(int(r.Depth)) == 0 {
		return badValue(uint32(r.Depth))
	}
	bytes := 4 * int(r.Width) * int(r.Height)
	s := c.s
	if c.pixmapBytes+bytes > s.cfg.Limits.PixmapBytes || s.pixmapBytes+bytes > s.cfg.Limits.TotalPixmap {
		c.errorf("pixmap of %dx%d refused: over the pixmap memory limit", r.Width, r.Height)
		return errAlloc
	}
	pix := fb.NewPixmap(int(r.Width), int(r.Height), int(r.Depth))
	if pix == nil {
		return errAlloc
	}
	p := &pixmap{id: id, owner: c, pix: pix}
	c.pixmapBytes += bytes
	s.pixmapBytes += bytes
	c.addResource(id, p)
	return nil
}

func (c *client) freePixmap(b []byte) error {
	var r protocol.FreePixmap
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	p, err := c.pixmap(uint32(r.Pixmap))
	if err != nil {
		return err
	}
	c.s.freePixmap(p)
	return nil
}

// freePixmap drops a pixmap's id. Windows and GCs that use it as a tile
// keep the pixels alive, as X's reference counting does, but its memory
// no longer counts against its owner.
func (s *Server) freePixmap(p *pixmap) {
	bytes := 4 * p.pix.Width * p.pix.Height
	if p.owner != nil {
		p.owner.pixmapBytes -= bytes
	}
	s.pixmapBytes -= bytes
	s.forget(p.id)
}

// anyDrawable looks up a window or pixmap, InputOnly windows included.
func (c *client) anyDrawable(id uint32) (drawable, error) {
	switch d := c.s.resources[id].(type) {
	case *window:
		return d, nil
	case *pixmap:
		return d, nil
	}
	return nil, badDrawable(id)
}

// drawTarget looks up the drawable and GC of a drawing request and checks
// that they go together.
func (c *client) drawTarget(did, gid uint32) (fb.Canvas, *fb.GC, bool, error) {
	d, err := c.drawable(did)
	if err != nil {
		return fb.Canvas{}, nil, false, err
	}
	g, err := c.gc(gid)
	if err != nil {
		return fb.Canvas{}, nil, false, err
	}
	if g.depth != d.drawableDepth() {
		return fb.Canvas{}, nil, false, errMatch
	}
	cv, gc, ok := c.s.target(d, g)
	return cv, gc, ok, nil
}

// Scratch buffers for converting wire geometry to fb's, reused per client.
type requestScratch struct {
	points   []image.Point
	rects    []image.Rectangle
	segments []fb.Segment
	arcs     []fb.Arc
	glyphs   []*fb.Glyph

	avail, from, lost region.Region // CopyArea's

	createWindow  protocol.CreateWindow
	polySegment   protocol.PolySegment
	polyRectangle protocol.PolyRectangle // PolyFillRectangle's too
	polyArc       protocol.PolyArc       // PolyFillArc's too
	image         fb.Image
}

// points decodes a request's POINTs, the rest of the request from b on,
// straight into the client's scratch slice, resolving CoordModePrevious.
// Going through the request's struct would copy them once more for
// nothing, and PolyPoint's thousand points a request make that show.
func (c *client) points(b []byte, relative bool) []image.Point {
	n := len(b) / 4
	out := slices.Grow(c.req.points[:0], n)[:n]
	if c.order == protocol.MSBFirst {
		for i := range out {
			q := b[4*i : 4*i+4 : 4*i+4]
			out[i] = image.Pt(int(int16(binary.BigEndian.Uint16(q))), int(int16(binary.BigEndian.Uint16(q[2:]))))
		}
	} else {
		for i := range out {
			q := b[4*i : 4*i+4 : 4*i+4]
			out[i] = image.Pt(int(int16(binary.LittleEndian.Uint16(q))), int(int16(binary.LittleEndian.Uint16(q[2:]))))
		}
	}
	if relative {
		for i := 1; i < n; i++ {
			out[i] = out[i].Add(out[i-1])
		}
	}
	c.req.points = out
	return out
}

// pointsRequest decodes the header shared by PolyPoint, PolyLine and
// FillPoly (a byte of data, drawable, GC, then head more bytes) as their
// Unmarshal would, leaving the points to points.
func (c *client) pointsRequest(b []byte, head int) (data uint8, drawable, gc uint32, rest []byte, err error) {
	if len(b) < 12+head {
		return 0, 0, 0, nil, errLength
	}
	return b[1], c.order.U32(b[4:]), c.order.U32(b[8:]), b[12+head:], nil
}

// rects converts a request's RECTANGLEs, into the client's scratch slice.
// fb takes rectangles by corners; one of width or height 0 stays in the
// list, as PolyRectangle's outline of it still covers pixels.
func (c *client) rects(rs []protocol.Rectangle) []image.Rectangle {
	out := c.req.rects[:0]
	for _, r := range rs {
		out = append(out, image.Rect(int(r.X), int(r.Y), int(r.X)+int(r.Width), int(r.Y)+int(r.Height)))
	}
	c.req.rects = out
	return out
}

func (c *client) arcs(as []protocol.Arc) []fb.Arc {
	out := c.req.arcs[:0]
	for _, a := range as {
		out = append(out, fb.Arc{X: int(a.X), Y: int(a.Y), Width: int(a.Width), Height: int(a.Height), Angle1: int(a.Angle1), Angle2: int(a.Angle2)})
	}
	c.req.arcs = out
	return out
}

func (c *client) polyPoint(b []byte) error { return c.drawPoints(b, fb.DrawPoints) }

func (c *client) polyLine(b []byte) error { return c.drawPoints(b, fb.PolyLine) }

// drawPoints runs PolyPoint or PolyLine: the same request but for what
// draw makes of the points.
func (c *client) drawPoints(b []byte, draw func(fb.Canvas, *fb.GC, []image.Point)) error {
	mode, did, gid, rest, err := c.pointsRequest(b, 0)
	if err != nil {
		return err
	}
	if mode > 1 {
		return badValue(uint32(mode))
	}
	cv, gc, ok, err := c.drawTarget(did, gid)
	if err != nil || !ok {
		return err
	}
	draw(cv, gc, c.points(rest, mode == protocol.CoordModePrevious))
	return nil
}

func (c *client) polySegment(b []byte) error {
	r := &c.req.polySegment
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	cv, gc, ok, err := c.drawTarget(uint32(r.Drawable), uint32(r.Gc))
	if err != nil || !ok {
		return err
	}
	segs := c.req.segments[:0]
	for _, s := range r.Segments {
		segs = append(segs, fb.Segment{X1: int(s.X1), Y1: int(s.Y1), X2: int(s.X2), Y2: int(s.Y2)})
	}
	c.req.segments = segs
	fb.PolySegment(cv, gc, segs)
	return nil
}

func (c *client) polyRectangle(b []byte) error { return c.drawRects(b, fb.PolyRectangle) }

func (c *client) polyFillRectangle(b []byte) error { return c.drawRects(b, fb.FillRectangles) }

// drawRects runs PolyRectangle or PolyFillRectangle. Their requests are
// laid out alike (drawable, GC, rectangles), so PolyRectangle's decoding
// serves both; draw outlines or fills.
func (c *client) drawRects(b []byte, draw func(fb.Canvas, *fb.GC, []image.Rectangle)) error {
	r := &c.req.polyRectangle
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	cv, gc, ok, err := c.drawTarget(uint32(r.Drawable), uint32(r.Gc))
	if err != nil || !ok {
		return err
	}
	draw(cv, gc, c.rects(r.Rectangles))
	return nil
}

func (c *client) polyArc(b []byte) error { return c.drawArcs(b, fb.PolyArc) }

func (c *client) polyFillArc(b []byte) error { return c.drawArcs(b, fb.PolyFillArc) }

// drawArcs runs PolyArc or PolyFillArc, laid out alike as drawRects's
// requests are.
func (c *client) drawArcs(b []byte, draw func(fb.Canvas, *fb.GC, []fb.Arc)) error {
	r := &c.req.polyArc
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	cv, gc, ok, err := c.drawTarget(uint32(r.Drawable), uint32(r.Gc))
	if err != nil || !ok {
		return err
	}
	draw(cv, gc, c.arcs(r.Arcs))
	return nil
}

func (c *client) fillPoly(b []byte) error {
	_, did, gid, rest, err := c.pointsRequest(b, 4)
	if err != nil {
		return err
	}
	shape, mode := b[12], b[13]
	if shape > 2 {
		return badValue(uint32(shape))
	}
	if mode > 1 {
		return badValue(uint32(mode))
	}
	cv, gc, ok, err := c.drawTarget(did, gid)
	if err != nil || !ok {
		return err
	}
	fb.FillPolygon(cv, gc, c.points(rest, mode == protocol.CoordModePrevious), fb.Shape(shape))
	return nil
}

func (c *client) clearArea(b []byte) error {
	var r protocol.ClearArea
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	w, err := c.window(uint32(r.Window))
	if err != nil {
		return err
	}
	if w.class == classInputOnly {
		return errMatch
	}
	x, y := int(r.X), int(r.Y)
	width, height := int(r.Width), int(r.Height)
	if width == 0 {
		width = w.width - x
	}
	if height == 0 {
		height = w.height - y
	}
	if !w.viewable || width <= 0 || height <= 0 {
		return nil
	}
	var rgn region.Region
	rgn.IntersectRect(&w.clip, image.Rect(x, y, x+width, y+height).Add(w.abs))
	if w.background.kind != paintNone {
		c.s.paintBackground(w, &rgn)
	}
	if r.Exposures {
		c.s.sendExpose(w, &rgn)
	}
	return nil
}

func (c *client) copyArea(b []byte) error {
	var r protocol.CopyArea
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	return c.copyAreaOrPlane(uint32(r.SrcDrawable), uint32(r.DstDrawable), uint32(r.Gc),
		int(r.SrcX), int(r.SrcY), int(r.DstX), int(r.DstY), int(r.Width), int(r.Height), 0, protocol.OpCopyArea)
}

func (c *client) copyPlane(b []byte) error {
	var r protocol.CopyPlane
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if r.BitPlane == 0 || r.BitPlane&(r.BitPlane-1) != 0 {
		return badValue(r.BitPlane)
	}
	return c.copyAreaOrPlane(uint32(r.SrcDrawable), uint32(r.DstDrawable), uint32(r.Gc),
		int(r.SrcX), int(r.SrcY), int(r.DstX), int(r.DstY), int(r.Width), int(r.Height), r.BitPlane, protocol.OpCopyPlane)
}

// copyAreaOrPlane does CopyArea (plane 0) or CopyPlane, then sends
// GraphicsExpose for destination areas whose source was not available, or
// NoExpose.
func (c *client) copyAreaOrPlane(sid, did, gid uint32, sx, sy, dx, dy, w, h int, plane uint32, op uint8) error {
	s := c.s
	src, err := c.drawable(sid)
	if err != nil {
		return err
	}
	dst, err := c.drawable(did)
	if err != nil {
		return err
	}
	g, err := c.gc(gid)
	if err != nil {
		return err
	}
	if g.depth != dst.drawableDepth() {
		return errMatch
	}
	if plane == 0 {
		if src.drawableDepth() != dst.drawableDepth() {
			return errMatch
		}
	} else if plane>>uint(src.drawableDepth()) != 0 {
		return badValue(plane)
	}

	// The source's pixmap, origin, and the part of it that holds valid
	// contents (in source drawable coordinates).
	var srcPix *fb.Pixmap
	var srcOrigin image.Point
	// The regions are the client's scratch: a copy allocates nothing.
	avail, from, lost := &c.req.avail, &c.req.from, &c.req.lost
	avail.Clear()
	switch sd := src.(type) {
	case *window:
		srcPix, srcOrigin = s.screen.fb, sd.abs
		if sd.viewable {
			if g.subwindowMode == 1 {
				avail.IntersectRect(&sd.borderClip, sd.inside())
			} else {
				avail.Set(&sd.clip)
			}
			avail.Translate(-sd.abs.X, -sd.abs.Y)
		}
	case *pixmap:
		srcPix = sd.pix
		avail.SetRect(image.Rect(0, 0, sd.pix.Width, sd.pix.Height))
	}
	sr := image.Rect(sx, sy, sx+w, sy+h)
	cv, gc, ok := s.target(dst, g)
	if ok && w > 0 && h > 0 {
		dp := image.Pt(dx, dy)
		// Copy only from the available source area, so that obscured
		// parts of a window are not copied.
		from.IntersectRect(avail, sr)
		if from.Len() == 1 && from.Bounds() == sr {
			s.copyPixels(cv, srcPix, srcOrigin, gc, sr, dp, plane)
		} else {
			for _, fr := range from.Rects() {
				s.copyPixels(cv, srcPix, srcOrigin, gc, fr, dp.Add(fr.Min.Sub(sr.Min)), plane)
			}
		}
	}
	if !g.graphicsExposures {
		return nil
	}
	// Exposures: the destination area whose source was unavailable, clipped
	// to the destination's clip.
	lost.SetRect(sr)
	lost.Subtract(lost, avail)
	lost.Translate(dx-sx, dy-sy)
	if ok && !lost.Empty() {
		var clip region.Region
		if cv.Clip != nil {
			clip.Set(cv.Clip).Translate(-cv.Origin.X, -cv.Origin.Y)
		} else {
			clip.SetRect(image.Rect(0, 0, cv.Pixmap.Width, cv.Pixmap.Height))
		}
		lost.Intersect(lost, &clip)
	}
	if !ok || lost.Empty() {
		c.event(&protocol.NoExposureEvent{Drawable: protocol.Drawable(did), MajorOpcode: op})
		return nil
	}
	rs := lost.Rects()
	for i, r := range rs {
		c.event(&protocol.GraphicsExposureEvent{
			Drawable:    protocol.Drawable(did),
			X:           uint16(r.Min.X),
			Y:           uint16(r.Min.Y),
			Width:       uint16(r.Dx()),
			Height:      uint16(r.Dy()),
			MinorOpcode: 0,
			Count:       uint16(len(rs) - 1 - i),
			MajorOpcode: op,
		})
	}
	return nil
}

func (s *Server) copyPixels(cv fb.Canvas, src *fb.Pixmap, srcOrigin image.Point, gc *fb.GC, sr image.Rectangle, dp image.Point, plane uint32) {
	if plane == 0 {
		fb.CopyArea(cv, src, srcOrigin, gc, sr, dp)
	} else {
		fb.CopyPlane(cv, src, srcOrigin, gc, sr, dp, plane)
	}
}

func (c *client) putImage(b []byte) error {
	// The header only: the image data is used where it lies in the
	// request rather than copied out first.
	var r protocol.PutImage
	if len(b) < 24 || r.Unmarshal(c.order, b[:24]) != nil {
		return errLength
	}
	r.Data = b[24:]
	d, err := c.drawable(uint32(r.Drawable))
	if err != nil {
		return err
	}
	g, err := c.gc(uint32(r.Gc))
	if err != nil {
		return err
	}
	depth := d.drawableDepth()
	if g.depth != depth {
		return errMatch
	}
	img := &c.req.image
	*img = fb.Image{
		Format:       fb.ImageFormat(r.Format),
		Width:        int(r.Width),
		Height:       int(r.Height),
		Depth:        int(r.Depth),
		LeftPad:      int(r.LeftPad),
		ScanlinePad:  32,
		ScanlineUnit: 32,
		BitLSBFirst:  true,
		ByteLSBFirst: true,
		Data:         r.Data,
	}
	switch r.Format {
	case protocol.ImageFormatXYBitmap:
		if r.Depth != 1 {
			return errMatch
		}
	case protocol.ImageFormatXYPixmap:
		if int(r.Depth) != depth {
			return errMatch
		}
	case protocol.ImageFormatZPixmap:
		if int(r.Depth) != depth || r.LeftPad != 0 {
			return errMatch
		}
		img.BitsPerPixel = bitsPerPixel(depth)
	default:
		return badValue(uint32(r.Format))
	}
	if r.LeftPad >= 32 {
		return errMatch
	}
	size, err := img.Layout()
	if err != nil {
		return errMatch
	}
	if len(r.Data) < size || len(r.Data) >= size+4+4 && pad4(size) != pad4(len(r.Data)) {
		return errLength
	}
	cv, gc, ok := c.s.target(d, g)
	if !ok {
		return nil
	}
	if err := fb.PutImage(cv, gc, img, image.Pt(int(r.DstX), int(r.DstY))); err != nil {
		return errMatch
	}
	return nil
}

func (c *client) getImage(b []byte) error {
	var r protocol.GetImage
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if r.Format != protocol.ImageFormatXYPixmap && r.Format != protocol.ImageFormatZPixmap {
		return badValue(uint32(r.Format))
	}
	d, err := c.drawable(uint32(r.Drawable))
	if err != nil {
		return err
	}
	s := c.s
	rect := image.Rect(int(r.X), int(r.Y), int(r.X)+int(r.Width), int(r.Y)+int(r.Height))
	var pix *fb.Pixmap
	var visual uint32
	switch d := d.(type) {
	case *window:
		// The rectangle must lie inside the window (border included) and
		// on the screen, and the window must be viewable.
		if !d.viewable {
			return errMatch
		}
		outer := image.Rect(-d.border, -d.border, d.width+d.border, d.height+d.border)
		abs := rect.Add(d.abs)
		if !rect.In(outer) || !abs.In(image.Rect(0, 0, s.screen.width, s.screen.height)) {
			return errMatch
		}
		rect, pix, visual = abs, s.screen.fb, d.visual
	case *pixmap:
		if !rect.In(image.Rect(0, 0, d.pix.Width, d.pix.Height)) {
			return errMatch
		}
		pix = d.pix
	}
	var img fb.Image
	img.ByteLSBFirst = true
	img.BitLSBFirst = true
	img.ScanlinePad = 32
	img.ScanlineUnit = 32
	if r.Format == protocol.ImageFormatZPixmap {
		img.BitsPerPixel = bitsPerPixel(pix.Depth)
	}
	// The pixels go straight into the output buffer after the reply's
	// header, rather than into an image of their own and then copied:
	// room for the largest layout (ZPixmap's 4 bytes a pixel, or XYPixmap's
	// 32 padded planes) is made first, and GetImage writes into it.
	c.markDirty()
	start := len(c.out)
	c.out = slices.Grow(c.out, 32+4*(rect.Dx()+32)*rect.Dy())[:start+32]
	room := c.out[start+32 : start+32]
	img.Data = room
	if err := fb.GetImage(pix, rect, fb.ImageFormat(r.Format), r.PlaneMask, &img); err != nil {
		c.out = c.out[:start]
		return errMatch
	}
	if len(img.Data) > s.cfg.Limits.OutputQueue/2 {
		c.out = c.out[:start]
		return errAlloc
	}
	if n := len(img.Data); n > 0 && &img.Data[0] == &room[:1][0] {
		c.out = c.out[:start+32+n]
	} else {
		c.out = append(c.out, img.Data...) // GetImage needed more room after all
	}
	c.out = append(c.out, make([]byte, pad4(len(img.Data))-len(img.Data))...)
	o := c.order
	h := c.out[start : start+32]
	clear(h)
	h[0] = 1
	h[1] = uint8(pix.Depth)
	o.PutU16(h[2:], c.seq)
	o.PutU32(h[4:], uint32(len(c.out)-start-32)/4)
	o.PutU32(h[8:], visual)
	return nil
}
