package perf

import (
	"strings"
	"testing"

	"netdisplay/pixelproto"
)

// The pixel columns count what was sent as pixels: a CopyRect moves
// pixels the viewer has, and pseudo-encodings carry none.
func TestPixelArea(t *testing.T) {
	st := pixelproto.ClientStats{ByEncoding: []pixelproto.EncodingStats{
		{Encoding: pixelproto.ZRLE, Rects: 3, Pixels: 300},
		{Encoding: pixelproto.CopyRect, Rects: 2, Pixels: 5000},
		{Encoding: pixelproto.Raw, Rects: 1, Pixels: 64},
		{Encoding: pixelproto.PseudoCursor, Rects: 1, Pixels: 256},
	}}
	if a, r := pixelArea(st), pixelRects(st); a != 364 || r != 4 {
		t.Errorf("area %d in %d rectangles, want 364 in 4", a, r)
	}
}

func TestRFBTable(t *testing.T) {
	var b strings.Builder
	RFBTable(&b, []RFBResult{
		{Workload: "clock", Encoding: "zrle", Server: "netdisplay", Bytes: 2000, Updates: 3, Pixels: 900, Rects: 6},
		{Workload: "clock", Encoding: "zrle", Server: "Xvnc", Bytes: 1000, Updates: 3, Pixels: 1000, Rects: 3},
	}, "netdisplay", "Xvnc")
	if !strings.Contains(b.String(), "| clock | zrle | 2.0 KB | 1.0 KB | 2.00 |") || !strings.Contains(b.String(), "| 900 (6) | 1000 (3) |") {
		t.Errorf("table:\n%s", b.String())
	}
}
