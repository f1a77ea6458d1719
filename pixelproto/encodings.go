package pixelproto

import (
	"fmt"
	"strconv"
	"strings"
)

// An Encoding is an RFB encoding or pseudo-encoding number, as listed in
// SetEncodings and carried in each rectangle header.
type Encoding int32

// Encodings.
const (
	Raw      Encoding = 0
	CopyRect Encoding = 1
	RRE      Encoding = 2
	Hextile  Encoding = 5
	Tight    Encoding = 7
	TRLE     Encoding = 15
	ZRLE     Encoding = 16
)

// Pseudo-encodings. The levels are ranges: level n is the 0 value plus n.
const (
	PseudoQualityLevel0       Encoding = -32 // to -23: JPEG quality 0..9
	PseudoDesktopSize         Encoding = -223
	PseudoLastRect            Encoding = -224
	PseudoCursor              Encoding = -239
	PseudoCompressLevel0      Encoding = -256 // to -247: compression 0..9
	PseudoDesktopName         Encoding = -307
	PseudoExtendedDesktopSize Encoding = -308
	PseudoFence               Encoding = -312
	PseudoContinuousUpdates   Encoding = -313
	PseudoFineQuality0        Encoding = -512 // to -412: JPEG quality 0..100
	PseudoSubsamp1X           Encoding = -768 // to -763: JPEG chroma subsampling
	pseudoTightPNG            Encoding = -260 // noVNC's; marks a client without the gradient filter
)

var encodingNames = map[Encoding]string{
	Raw:                       "raw",
	CopyRect:                  "copyrect",
	RRE:                       "rre",
	Hextile:                   "hextile",
	Tight:                     "tight",
	TRLE:                      "trle",
	ZRLE:                      "zrle",
	PseudoDesktopSize:         "desktopsize",
	PseudoLastRect:            "lastrect",
	PseudoCursor:              "cursor",
	PseudoDesktopName:         "desktopname",
	PseudoExtendedDesktopSize: "extendeddesktopsize",
	PseudoFence:               "fence",
	PseudoContinuousUpdates:   "continuousupdates",
	pseudoTightPNG:            "tightpng",
}

func (e Encoding) String() string {
	if s, ok := encodingNames[e]; ok {
		return s
	}
	switch {
	case e >= PseudoQualityLevel0 && e <= PseudoQualityLevel0+9:
		return fmt.Sprintf("quality%d", e-PseudoQualityLevel0)
	case e >= PseudoCompressLevel0 && e <= PseudoCompressLevel0+9:
		return fmt.Sprintf("compress%d", e-PseudoCompressLevel0)
	case e >= PseudoFineQuality0 && e <= PseudoFineQuality0+100:
		return fmt.Sprintf("finequality%d", e-PseudoFineQuality0)
	}
	return fmt.Sprintf("encoding(%d)", int32(e))
}

// ParseEncodings parses a list of encoding names or numbers separated by
// commas or spaces, such as "tight,zrle,copyrect" or "hextile -239".
// "qualityN" and "compressN" name the level pseudo-encodings.
func ParseEncodings(s string) ([]Encoding, error) {
	var list []Encoding
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		f = strings.ToLower(f)
		if n, err := strconv.ParseInt(f, 0, 32); err == nil {
			list = append(list, Encoding(n))
			continue
		}
		e, ok := parseEncodingName(f)
		if !ok {
			return nil, fmt.Errorf("unknown encoding %q", f)
		}
		list = append(list, e)
	}
	return list, nil
}

func parseEncodingName(f string) (Encoding, bool) {
	for e, name := range encodingNames {
		if name == f {
			return e, true
		}
	}
	for _, p := range []struct {
		prefix string
		base   Encoding
		max    int
	}{{"quality", PseudoQualityLevel0, 9}, {"compress", PseudoCompressLevel0, 9}, {"finequality", PseudoFineQuality0, 100}} {
		if rest, ok := strings.CutPrefix(f, p.prefix); ok {
			n, err := strconv.Atoi(rest)
			if err == nil && n >= 0 && n <= p.max {
				return p.base + Encoding(n), true
			}
		}
	}
	return 0, false
}

// DefaultEncodings is what a Client asks for unless told otherwise: every
// encoding it decodes, best first, and every pseudo-encoding it handles.
var DefaultEncodings = []Encoding{
	ZRLE, Tight, TRLE, Hextile, RRE, CopyRect, Raw,
	PseudoCursor, PseudoDesktopSize, PseudoExtendedDesktopSize, PseudoDesktopName,
	PseudoLastRect, PseudoFence, PseudoContinuousUpdates,
}
