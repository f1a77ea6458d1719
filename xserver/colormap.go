package xserver

import (
	"strings"

	"netdisplay/protocol"
)

// A colormap on a TrueColor visual has nothing to allocate: a pixel is the
// colour, 8 bits per channel. Requests that would write cells fail as they
// do on any static visual.
type colormap struct {
	id     uint32
	visual uint32
	owner  *client
}

// trueColor is the pixel for a 16-bit-per-channel colour, and the colour
// that pixel really shows.
func trueColor(r, g, b uint16) (pixel uint32, er, eg, eb uint16) {
	r8, g8, b8 := uint32(r>>8), uint32(g>>8), uint32(b>>8)
	return r8<<16 | g8<<8 | b8, uint16(r8 * 257), uint16(g8 * 257), uint16(b8 * 257)
}

// lookupColor finds a colour name in the database. Names are matched
// without regard to case or spaces, as X servers do.
func lookupColor(name string) (r, g, b uint16, ok bool) {
	key := strings.ToLower(strings.ReplaceAll(name, " ", ""))
	c, ok := colorNames[key]
	if !ok {
		return 0, 0, 0, false
	}
	return uint16(c[0]) * 257, uint16(c[1]) * 257, uint16(c[2]) * 257, true
}

func (c *client) createColormap(b []byte) error {
	var r protocol.CreateColormap
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	id := uint32(r.Mid)
	if err := c.newID(id); err != nil {
		return err
	}
	if _, err := c.window(uint32(r.Window)); err != nil {
		return err
	}
	if uint32(r.Visual) != visualID {
		return errMatch
	}
	if r.Alloc != 0 { // AllocAll is not possible on a static visual
		if r.Alloc > 1 {
			return badValue(uint32(r.Alloc))
		}
		return errMatch
	}
	c.addResource(id, &colormap{id: id, visual: visualID, owner: c})
	return nil
}

func (c *client) freeColormap(b []byte) error {
	var r protocol.FreeColormap
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	m, err := c.colormap(uint32(r.Cmap))
	if err != nil {
		return err
	}
	if m.id != colormapID {
		c.s.freeColormap(m)
	}
	return nil
}

// freeColormap removes a colormap; windows using it get colormap None.
func (s *Server) freeColormap(m *colormap) {
	s.screen.root.walk(func(w *window) {
		if w.colormap == m.id {
			w.colormap = 0
			s.colormapNotify(w, true)
		}
	})
	if s.screen.installed == m {
		s.screen.installed = s.screen.colormap
	}
	s.forget(m.id)
}

func (c *client) copyColormapAndFree(b []byte) error {
	var r protocol.CopyColormapAndFree
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if err := c.newID(uint32(r.Mid)); err != nil {
		return err
	}
	src, err := c.colormap(uint32(r.SrcCmap))
	if err != nil {
		return err
	}
	c.addResource(uint32(r.Mid), &colormap{id: uint32(r.Mid), visual: src.visual, owner: c})
	return nil
}

func (c *client) installColormap(b []byte) error {
	var r protocol.InstallColormap
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	m, err := c.colormap(uint32(r.Cmap))
	if err != nil {
		return err
	}
	c.s.installColormap(m)
	return nil
}

func (c *client) uninstallColormap(b []byte) error {
	var r protocol.UninstallColormap
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	m, err := c.colormap(uint32(r.Cmap))
	if err != nil {
		return err
	}
	// Uninstalling the installed colormap installs the default one.
	if s := c.s; s.screen.installed == m {
		s.installColormap(s.screen.colormap)
	}
	return nil
}

// installColormap makes m the installed colormap and sends ColormapNotify
// to the windows whose colormap that installs or uninstalls.
func (s *Server) installColormap(m *colormap) {
	old := s.screen.installed
	if old == m {
		return
	}
	s.screen.installed = m
	s.screen.root.walk(func(w *window) {
		if w.colormap == old.id || w.colormap == m.id {
			s.colormapNotify(w, false)
		}
	})
}

// colormapNotify tells ColormapChange listeners on w about its colormap.
func (s *Server) colormapNotify(w *window, isNew bool) {
	if !w.selects(protocol.EventMaskColorMapChange) {
		return
	}
	state := uint8(0) // Uninstalled
	if s.screen.installed != nil && s.screen.installed.id == w.colormap {
		state = 1
	}
	s.deliver(w, &protocol.ColormapNotifyEvent{
		Window:   protocol.Window(w.id),
		Colormap: protocol.Colormap(w.colormap),
		New:      isNew,
		State:    state,
	}, protocol.EventMaskColorMapChange)
}

func (c *client) listInstalledColormaps(b []byte) error {
	var r protocol.ListInstalledColormaps
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if _, err := c.window(uint32(r.Window)); err != nil {
		return err
	}
	c.reply(&protocol.ListInstalledColormapsReply{Sequence: c.seq, Cmaps: []protocol.Colormap{protocol.Colormap(c.s.screen.installed.id)}})
	return nil
}

func (c *client) allocColor(b []byte) error {
	var r protocol.AllocColor
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if _, err := c.colormap(uint32(r.Cmap)); err != nil {
		return err
	}
	pixel, er, eg, eb := trueColor(r.Red, r.Green, r.Blue)
	c.reply(&protocol.AllocColorReply{Sequence: c.seq, Red: er, Green: eg, Blue: eb, Pixel: pixel})
	return nil
}

func (c *client) allocNamedColor(b []byte) error {
	var r protocol.AllocNamedColor
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	pixel, exact, visual, err := c.namedColor(uint32(r.Cmap), r.Name)
	if err != nil {
		return err
	}
	c.reply(&protocol.AllocNamedColorReply{Sequence: c.seq, Pixel: pixel,
		ExactRed: exact.Red, ExactGreen: exact.Green, ExactBlue: exact.Blue,
		VisualRed: visual.Red, VisualGreen: visual.Green, VisualBlue: visual.Blue})
	return nil
}

func (c *client) lookupColor(b []byte) error {
	var r protocol.LookupColor
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	_, exact, visual, err := c.namedColor(uint32(r.Cmap), r.Name)
	if err != nil {
		return err
	}
	c.reply(&protocol.LookupColorReply{Sequence: c.seq,
		ExactRed: exact.Red, ExactGreen: exact.Green, ExactBlue: exact.Blue,
		VisualRed: visual.Red, VisualGreen: visual.Green, VisualBlue: visual.Blue})
	return nil
}

// namedColor looks up a colour by name for AllocNamedColor and
// LookupColor: exact is the database's colour, visual the one pixel
// shows on colormap cmap.
func (c *client) namedColor(cmap uint32, name []byte) (pixel uint32, exact, visual protocol.Rgb, err error) {
	if _, err := c.colormap(cmap); err != nil {
		return 0, exact, visual, err
	}
	red, green, blue, ok := lookupColor(string(name))
	if !ok {
		return 0, exact, visual, errName
	}
	pixel, vr, vg, vb := trueColor(red, green, blue)
	return pixel, protocol.Rgb{Red: red, Green: green, Blue: blue}, protocol.Rgb{Red: vr, Green: vg, Blue: vb}, nil
}

func (c *client) queryColors(b []byte) error {
	var r protocol.QueryColors
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if _, err := c.colormap(uint32(r.Cmap)); err != nil {
		return err
	}
	if err := checkPixels(r.Pixels); err != nil {
		return err
	}
	colors := make([]protocol.Rgb, len(r.Pixels))
	for i, p := range r.Pixels {
		colors[i] = protocol.Rgb{Red: uint16(p>>16&0xFF) * 257, Green: uint16(p>>8&0xFF) * 257, Blue: uint16(p&0xFF) * 257}
	}
	c.reply(&protocol.QueryColorsReply{Sequence: c.seq, Colors: colors})
	return nil
}

func (c *client) freeColors(b []byte) error {
	var r protocol.FreeColors
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if _, err := c.colormap(uint32(r.Cmap)); err != nil {
		return err
	}
	// Nothing was allocated, so nothing is freed.
	return checkPixels(r.Pixels)
}

// checkPixels gives a Value error for the first pixel that no colormap of
// the 24-bit TrueColor visual could have allocated, as X.Org does.
func checkPixels(pixels []uint32) error {
	for _, p := range pixels {
		if p&^0xFFFFFF != 0 {
			return badValue(p)
		}
	}
	return nil
}

// writeColormap answers the requests that write cells or allocate
// private ones, which a TrueColor visual has none of.
func (c *client) writeColormap(b []byte, cmapOffset int, err error) error {
	if len(b) < cmapOffset+4 {
		return errLength
	}
	if _, e := c.colormap(c.order.U32(b[cmapOffset:])); e != nil {
		return e
	}
	return err
}
