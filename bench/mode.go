package bench

import (
	"fmt"
	"os/exec"
	"strings"

	"netdisplay/pixelproto"
)

// A Mode is one way of putting the application on the display.
type Mode struct {
	Name  string
	About string
	// Pixel is pixel mode (RFB): the application draws on a server on
	// its own machine, and the viewer gets pixels. Otherwise X mode: the
	// application's X11 crosses the link to the display.
	Pixel bool
	// Compress deflates the link, as ssh -C does (X mode).
	Compress bool
	// Sync runs the sample applications with --sync: a round trip after
	// every frame.
	Sync bool
	// Encodings are what the viewer asks for (pixel mode).
	Encodings []pixelproto.Encoding
	// Pull asks for each update (one FramebufferUpdateRequest per
	// update) instead of turning on continuous updates.
	Pull bool
	// Lossy modes are allowed a small difference in the final frame.
	Lossy bool
	// Xvnc serves pixel mode with TigerVNC's Xvnc instead of netdisplay:
	// the reference line.
	Xvnc bool
}

// rfbEncodings is what every pixel mode's viewer asks for besides its
// encoding: CopyRect, the cursor, size changes, and fences; continuous
// updates unless pulling.
func rfbEncodings(pull bool, enc ...pixelproto.Encoding) []pixelproto.Encoding {
	l := append(enc, pixelproto.CopyRect, pixelproto.PseudoCursor, pixelproto.PseudoDesktopSize,
		pixelproto.PseudoExtendedDesktopSize, pixelproto.PseudoLastRect, pixelproto.PseudoFence)
	if !pull {
		l = append(l, pixelproto.PseudoContinuousUpdates)
	}
	return l
}

// JPEGQuality is the Tight+JPEG mode's quality level (0 to 9), as
// TigerVNC's viewer picks by default.
const JPEGQuality = 8

// The modes.
var Modes = []Mode{
	{Name: "x11", About: "X11 as is: the application's requests cross the link, pipelined"},
	{Name: "x11-zlib", About: "X11 through a deflated stream, as ssh -C gives", Compress: true},
	{Name: "x11-sync", About: "X11 with the application waiting for a round trip after every frame (--sync), as naive Xlib programs do", Sync: true},
	{Name: "rfb-raw", About: "RFB, Raw pixels", Pixel: true, Encodings: rfbEncodings(false, pixelproto.Raw)},
	{Name: "rfb-hextile", About: "RFB, Hextile", Pixel: true, Encodings: rfbEncodings(false, pixelproto.Hextile)},
	{Name: "rfb-zrle", About: "RFB, ZRLE", Pixel: true, Encodings: rfbEncodings(false, pixelproto.ZRLE)},
	{Name: "rfb-tight", About: "RFB, Tight, lossless (no JPEG quality level asked)", Pixel: true, Encodings: rfbEncodings(false, pixelproto.Tight)},
	{Name: "rfb-jpeg", About: fmt.Sprintf("RFB, Tight with JPEG (quality level %d)", JPEGQuality), Pixel: true, Lossy: true,
		Encodings: rfbEncodings(false, pixelproto.Tight, pixelproto.PseudoQualityLevel0+JPEGQuality)},
	{Name: "rfb-pull", About: "RFB, ZRLE, pulled: one update request per update, no continuous updates", Pixel: true, Pull: true,
		Encodings: rfbEncodings(true, pixelproto.ZRLE)},
	{Name: "xvnc-zrle", About: "reference: the same X workload on TigerVNC's Xvnc, RFB ZRLE", Pixel: true, Xvnc: true,
		Encodings: rfbEncodings(false, pixelproto.ZRLE)},
}

// QuickModes are --quick's.
var QuickModes = []string{"x11", "x11-zlib", "rfb-zrle", "rfb-tight"}

// FindModes looks up a comma-separated list of mode names; "all" is
// every mode.
func FindModes(list string) ([]Mode, error) {
	if list == "all" {
		return Modes, nil
	}
	var out []Mode
	for _, name := range strings.Split(list, ",") {
		m, ok := modeNamed(strings.TrimSpace(name))
		if !ok {
			return nil, fmt.Errorf("unknown mode %q (have %s)", name, modeNames())
		}
		out = append(out, m)
	}
	return out, nil
}

func modeNamed(name string) (Mode, bool) {
	for _, m := range Modes {
		if m.Name == name {
			return m, true
		}
	}
	return Mode{}, false
}

func modeNames() string {
	var n []string
	for _, m := range Modes {
		n = append(n, m.Name)
	}
	return strings.Join(n, ", ")
}

// available says why a mode cannot run here, if it cannot.
func (m Mode) available() error {
	if m.Xvnc {
		if _, err := exec.LookPath("Xvnc"); err != nil {
			return fmt.Errorf("Xvnc is not installed (Debian: tigervnc-standalone-server)")
		}
	}
	return nil
}
