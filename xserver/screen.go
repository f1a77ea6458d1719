package xserver

import (
	"netdisplay/protocol"
	"netdisplay/xserver/fb"
)

// Fixed ids of the server's own resources. They lie in client 0's range.
const (
	rootID     = 0x00000040
	colormapID = 0x00000020
	visualID   = 0x00000021
)

// releaseNumber is the vendor release in the connection setup.
const releaseNumber = 1

// The keycodes the server reports, the usual evdev range.
const (
	minKeycode = 8
	maxKeycode = 255
)

// supportedDepths are the depths of pixmaps clients may create, with the
// bits per pixel of each in ZPixmap images.
var pixmapFormats = []struct{ depth, bpp int }{
	{1, 1}, {8, 8}, {24, 32}, {32, 32},
}

func bitsPerPixel(depth int) int {
	for _, f := range pixmapFormats {
		if f.depth == depth {
			return f.bpp
		}
	}
	return 0
}

// A screen is the one screen of the display: its framebuffer, root window
// and default colormap.
type screen struct {
	width, height int
	widthMM       int
	heightMM      int
	fb            *fb.Pixmap
	root          *window
	colormap      *colormap
	damage        damageFanout
	// installed is the installed colormap; on a TrueColor screen it changes
	// nothing but what ListInstalledColormaps says.
	installed *colormap
}

// dpi is the resolution the screen claims, as Xvfb does.
const dpi = 96

func newScreen(s *Server, w, h int) *screen {
	sc := &screen{width: w, height: h}
	sc.widthMM = (w*254 + dpi*5) / (dpi * 10)
	sc.heightMM = (h*254 + dpi*5) / (dpi * 10)
	sc.fb = fb.NewPixmap(w, h, 24)
	sc.colormap = &colormap{id: colormapID, visual: visualID}
	sc.installed = sc.colormap
	s.resources[colormapID] = sc.colormap
	s.screen = sc
	sc.root = newRootWindow(s, sc)
	s.resources[rootID] = sc.root
	return sc
}

// setupReply builds the connection setup reply for c.
func (sc *screen) setupReply(c *client) []byte {
	s := c.s
	formats := make([]protocol.Format, len(pixmapFormats))
	for i, f := range pixmapFormats {
		formats[i] = protocol.Format{Depth: uint8(f.depth), BitsPerPixel: uint8(f.bpp), ScanlinePad: 32}
	}
	visual := protocol.Visualtype{
		VisualId:        visualID,
		Class:           protocol.VisualClassTrueColor,
		BitsPerRgbValue: 8,
		ColormapEntries: 256,
		RedMask:         0xFF0000,
		GreenMask:       0x00FF00,
		BlueMask:        0x0000FF,
	}
	depths := []protocol.Depth{
		{Depth: 24, VisualsLen: 1, Visuals: []protocol.Visualtype{visual}},
		{Depth: 1},
		{Depth: 8},
		{Depth: 32},
	}
	root := protocol.Screen{
		Root:                rootID,
		DefaultColormap:     colormapID,
		WhitePixel:          0xFFFFFF,
		BlackPixel:          0,
		CurrentInputMasks:   sc.root.allEventMasks(),
		WidthInPixels:       uint16(sc.width),
		HeightInPixels:      uint16(sc.height),
		WidthInMillimeters:  uint16(sc.widthMM),
		HeightInMillimeters: uint16(sc.heightMM),
		MinInstalledMaps:    1,
		MaxInstalledMaps:    1,
		RootVisual:          visualID,
		BackingStores:       protocol.BackingStoreNotUseful,
		SaveUnders:          false,
		RootDepth:           24,
		AllowedDepthsLen:    uint8(len(depths)),
		AllowedDepths:       depths,
	}
	vendor := s.cfg.Vendor
	setup := protocol.Setup{
		Status:                   1,
		ProtocolMajorVersion:     11,
		ProtocolMinorVersion:     0,
		ReleaseNumber:            releaseNumber,
		ResourceIdBase:           c.base,
		ResourceIdMask:           idMask,
		MotionBufferSize:         0,
		VendorLen:                uint16(len(vendor)),
		MaximumRequestLength:     uint16(min(65535, s.maxRequestWords())),
		RootsLen:                 1,
		PixmapFormatsLen:         uint8(len(formats)),
		ImageByteOrder:           protocol.ImageOrderLSBFirst,
		BitmapFormatBitOrder:     protocol.ImageOrderLSBFirst,
		BitmapFormatScanlineUnit: 32,
		BitmapFormatScanlinePad:  32,
		MinKeycode:               minKeycode,
		MaxKeycode:               maxKeycode,
		Vendor:                   []byte(vendor),
		PixmapFormats:            formats,
		Roots:                    []protocol.Screen{root},
	}
	return setup.Marshal(c.order, nil)
}
