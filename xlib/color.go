package xlib

import (
	"image/color"
	"math/bits"

	"netdisplay/protocol"
)

// DefaultColormap returns the default colormap of the default screen.
func (c *Conn) DefaultColormap() Colormap { return Colormap(c.Screen().DefaultColormap) }

// visual returns the visual type with the given id on any screen.
func (c *Conn) visual(id protocol.Visualid) (*protocol.Visualtype, uint8) {
	for i := range c.setup.Roots {
		for j := range c.setup.Roots[i].AllowedDepths {
			d := &c.setup.Roots[i].AllowedDepths[j]
			for k := range d.Visuals {
				if d.Visuals[k].VisualId == id {
					return &d.Visuals[k], d.Depth
				}
			}
		}
	}
	return nil, 0
}

// AllocColor returns the pixel for the closest colour cm can show to col.
// On the default colormap of a TrueColor screen the pixel is computed
// from the visual's masks, as the server would, without a round trip;
// otherwise the server allocates it (AllocColor).
func (c *Conn) AllocColor(cm Colormap, col color.Color) Cookie[uint32] {
	r, g, b, _ := col.RGBA()
	if cm == c.DefaultColormap() {
		if v, _ := c.visual(c.Screen().RootVisual); v != nil && v.Class == protocol.VisualClassTrueColor {
			return ready(c, trueColorPixel(v, uint16(r), uint16(g), uint16(b)))
		}
	}
	return callDecode(c, &protocol.AllocColor{Cmap: protocol.Colormap(cm), Red: uint16(r), Green: uint16(g), Blue: uint16(b)}, func(c *Conn, replies [][]byte) (uint32, error) {
		var rep protocol.AllocColorReply
		if err := rep.Unmarshal(c.order, replies[0]); err != nil {
			return 0, err
		}
		return rep.Pixel, nil
	})
}

// AllocNamedColor returns the pixel for a colour the server knows by name
// ("red", "LightSteelBlue", ...): a missing name is a BadName error.
func (c *Conn) AllocNamedColor(cm Colormap, name string) Cookie[uint32] {
	return callDecode(c, &protocol.AllocNamedColor{Cmap: protocol.Colormap(cm), Name: []byte(name)}, func(c *Conn, replies [][]byte) (uint32, error) {
		var rep protocol.AllocNamedColorReply
		if err := rep.Unmarshal(c.order, replies[0]); err != nil {
			return 0, err
		}
		return rep.Pixel, nil
	})
}

// trueColorPixel is the pixel a TrueColor visual shows 16-bit channels
// as.
func trueColorPixel(v *protocol.Visualtype, r, g, b uint16) uint32 {
	n := int(v.BitsPerRgbValue)
	return channelPixel(r, v.RedMask, n) | channelPixel(g, v.GreenMask, n) | channelPixel(b, v.BlueMask, n)
}

// channelPixel places a 16-bit channel value in its mask as X.Org's
// AllocColor does for TrueColor: the value is first cut to the visual's
// bits per RGB value n, (v >> (16-n)) * 65535 / (2^n-1); then of the 2^w
// values a channel of mask width w shows,
// ((i*65535/(2^w-1)) >> (16-n)) * 65535 / (2^n-1), the nearest is taken
// (the first of two as near). When w is n, that is v >> (16-n).
func channelPixel(v uint16, mask uint32, bitsPerRGB int) uint32 {
	if mask == 0 {
		return 0
	}
	shift := bits.TrailingZeros32(mask)
	lim := uint64(mask >> shift)
	if bitsPerRGB <= 0 || bitsPerRGB > 16 {
		bitsPerRGB = bits.OnesCount32(mask)
	}
	l := uint64(1)<<bitsPerRGB - 1
	want := (uint64(v) >> (16 - bitsPerRGB)) * 65535 / l
	entry := func(i uint64) uint64 { return ((i * 65535 / lim) >> (16 - bitsPerRGB)) * 65535 / l }
	dist := func(i uint64) uint64 {
		e := entry(i)
		if e > want {
			return e - want
		}
		return want - e
	}
	guess := (want*lim + 32767) / 65535
	best := guess
	for i := max(guess, 1) - 1; i <= min(guess+1, lim); i++ {
		if dist(i) < dist(best) || (dist(i) == dist(best) && i < best) {
			best = i
		}
	}
	return uint32(best) << shift
}
