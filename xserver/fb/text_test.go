package fb_test

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"netdisplay/internal/peer"
	"netdisplay/xserver/fb"
	"netdisplay/xserver/font"
	"netdisplay/xserver/region"
)

// A textCase is a drawing that Xvfb and fb both make; the JSON is what
// ../font/testdata/xfont.py takes.
type textCase struct {
	Op         string     `json:"op"`
	Name       string     `json:"-"`
	Width      int        `json:"width"`
	Height     int        `json:"height"`
	Background uint32     `json:"background"`
	Font       string     `json:"font"`
	GC         textGC     `json:"gc"`
	Tile       *tileSpec  `json:"tile,omitempty"`
	Stipple    *stipSpec  `json:"stipple,omitempty"`
	Clip       [][4]int   `json:"clip,omitempty"`
	Texts      []textItem `json:"texts"`
}

type textGC struct {
	Function   int    `json:"function"`
	PlaneMask  uint32 `json:"plane_mask"`
	Foreground uint32 `json:"foreground"`
	Background uint32 `json:"background"`
	FillStyle  int    `json:"fill_style"`
	TSX        int    `json:"tile_stipple_x_origin"`
	TSY        int    `json:"tile_stipple_y_origin"`
}

type tileSpec struct {
	Width  int      `json:"width"`
	Height int      `json:"height"`
	Pixels []uint32 `json:"pixels"`
}

type stipSpec struct {
	Width  int   `json:"width"`
	Height int   `json:"height"`
	Bits   []int `json:"bits"`
}

// A textItem is one text request: Kind poly8, poly16, image8 or image16.
// Items of a PolyText are [delta, [chars]] or {"font": name}.
type textItem struct {
	Kind  string `json:"kind"`
	X     int    `json:"x"`
	Y     int    `json:"y"`
	Items []any  `json:"items,omitempty"`
	Chars []int  `json:"chars,omitempty"`
}

func chars(s string) []int {
	var cs []int
	for _, r := range s {
		cs = append(cs, int(r))
	}
	return cs
}

func poly(kind string, x, y int, items ...any) textItem {
	return textItem{Kind: kind, X: x, Y: y, Items: items}
}

func text(delta int, s string) []any { return []any{delta, chars(s)} }

func fontItem(name string) map[string]string { return map[string]string{"font": name} }

func imageText(kind string, x, y int, s string) textItem {
	return textItem{Kind: kind, X: x, Y: y, Chars: chars(s)}
}

// draw makes the case's drawing with fb, dispatching the text requests as
// the X server does.
func (tc *textCase) draw(t *testing.T) *fb.Pixmap {
	t.Helper()
	p := fb.NewPixmap(tc.Width, tc.Height, 24)
	for i := range p.Pix {
		p.Pix[i] = tc.Background
	}
	gc := &fb.GC{
		Func:       fb.Func(tc.GC.Function),
		PlaneMask:  tc.GC.PlaneMask,
		Foreground: tc.GC.Foreground,
		Background: tc.GC.Background,
		FillStyle:  fb.FillStyle(tc.GC.FillStyle),
		TSOrigin:   image.Pt(tc.GC.TSX, tc.GC.TSY),
	}
	if s := tc.Tile; s != nil {
		gc.Tile = fb.NewPixmap(s.Width, s.Height, 24)
		copy(gc.Tile.Pix, s.Pixels)
	}
	if s := tc.Stipple; s != nil {
		gc.Stipple = fb.NewPixmap(s.Width, s.Height, 1)
		for i, b := range s.Bits {
			gc.Stipple.Pix[i] = uint32(b)
		}
	}
	c := fb.Canvas{Pixmap: p}
	if tc.Clip != nil {
		var rs []image.Rectangle
		for _, r := range tc.Clip {
			rs = append(rs, image.Rect(r[0], r[1], r[0]+r[2], r[1]+r[3]))
		}
		c.Clip = region.New(rs...)
	}
	open := func(name string) *font.Font {
		f, err := font.Open(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return f
	}
	f := open(tc.Font)
	var glyphs []*fb.Glyph
	for _, it := range tc.Texts {
		switch it.Kind {
		case "poly8", "poly16":
			x := it.X
			for _, item := range it.Items {
				if m, ok := item.(map[string]string); ok {
					f = open(m["font"]) // the font stays in the GC
					continue
				}
				pair := item.([]any)
				x += pair[0].(int)
				cs := pair[1].([]int)
				if it.Kind == "poly8" {
					b := make([]byte, len(cs))
					for i, c := range cs {
						b[i] = byte(c)
					}
					glyphs = f.Glyphs8(glyphs[:0], b)
				} else {
					glyphs = f.Glyphs16(glyphs[:0], to16(cs))
				}
				x = fb.PolyText(c, gc, x, it.Y, glyphs)
			}
		case "image8":
			b := make([]byte, len(it.Chars))
			for i, c := range it.Chars {
				b[i] = byte(c)
			}
			fb.ImageText(c, gc, it.X, it.Y, int(f.Ascent), int(f.Descent), f.Glyphs8(glyphs[:0], b))
		case "image16":
			fb.ImageText(c, gc, it.X, it.Y, int(f.Ascent), int(f.Descent), f.Glyphs16(glyphs[:0], to16(it.Chars)))
		default:
			t.Fatalf("unknown text kind %q", it.Kind)
		}
	}
	return p
}

func to16(cs []int) []uint16 {
	out := make([]uint16, len(cs))
	for i, c := range cs {
		out[i] = uint16(c)
	}
	return out
}

// askX runs ../font/testdata/xfont.py against display with the requests
// and decodes its answers into out.
func askX(t *testing.T, display string, reqs, out any) {
	t.Helper()
	in, err := json.Marshal(reqs)
	if err != nil {
		t.Fatal(err)
	}
	cmd := peer.Command(t, display, peer.Python, "../font/testdata/xfont.py")
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("xfont.py: %v\n%s", err, stderr.String())
	}
	if err := json.Unmarshal(stdout, out); err != nil {
		t.Fatal(err)
	}
}

// xvfbDraw has Xvfb make the drawings and returns their pixels.
func xvfbDraw(t *testing.T, display string, cases []*textCase) [][]uint32 {
	t.Helper()
	for _, tc := range cases {
		tc.Op = "draw"
	}
	var out []struct {
		Pixels string `json:"pixels"`
	}
	askX(t, display, cases, &out)
	var all [][]uint32
	for i, o := range out {
		b, err := hex.DecodeString(o.Pixels)
		if err != nil || len(b) != 4*cases[i].Width*cases[i].Height {
			t.Fatalf("%s: bad pixels from Xvfb (%v)", cases[i].Name, err)
		}
		px := make([]uint32, len(b)/4)
		for j := range px {
			px[j] = binary.LittleEndian.Uint32(b[4*j:]) & 0xffffff
		}
		all = append(all, px)
	}
	return all
}

// diff describes where two pixmaps' pixels differ.
func diff(w, h int, got, want []uint32) string {
	var b strings.Builder
	n := 0
	box := image.Rectangle{}
	for y := range h {
		for x := range w {
			if got[y*w+x] != want[y*w+x] {
				if n < 5 {
					fmt.Fprintf(&b, " (%d,%d): %06x, Xvfb %06x;", x, y, got[y*w+x], want[y*w+x])
				}
				n++
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%d pixels differ in %v:%s", n, box, b.String())
}

// textCases returns the drawings to compare; helvetica says whether Xvfb
// has the Helvetica fonts.
func textCases(helvetica bool) []*textCase {
	hello := "Hello, world! {[()]} gjpqy|_"
	latin := "\u00c0\u00e9\u00df\u00f8\u00ff\u00a9\u00b1"
	solid := textGC{Function: 3, PlaneMask: 0xffffffff, Foreground: 0xff2010, Background: 0x1030c0}
	tile := &tileSpec{Width: 4, Height: 3, Pixels: []uint32{
		0x000000, 0xffffff, 0xff0000, 0x00ff00,
		0x0000ff, 0x808080, 0x123456, 0xabcdef,
		0x111111, 0x222222, 0x333333, 0x444444,
	}}
	stipple := &stipSpec{Width: 5, Height: 3, Bits: []int{1, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0}}
	with := func(g textGC, f func(*textGC)) textGC { f(&g); return g }
	cases := []*textCase{
		{Name: "poly8 copy", Width: 200, Height: 40, Background: 0x405060, Font: "fixed", GC: solid,
			Texts: []textItem{poly("poly8", 2, 12, text(0, hello)), poly("poly8", -3, 5, text(0, latin+hello)), poly("poly8", 150, 38, text(0, hello))}},
		{Name: "image8", Width: 200, Height: 40, Background: 0x405060, Font: "fixed", GC: solid,
			Texts: []textItem{imageText("image8", 2, 12, hello), imageText("image8", -4, 3, latin+hello), imageText("image8", 170, 45, hello)}},
		{Name: "poly8 xor plane mask", Width: 200, Height: 30, Background: 0x405060, Font: "9x15bold",
			GC:    with(solid, func(g *textGC) { g.Function = 6; g.PlaneMask = 0x00ff0f; g.Foreground = 0xffffff }),
			Texts: []textItem{poly("poly8", 1, 14, text(0, hello)), poly("poly8", 5, 18, text(0, hello))}},
		{Name: "poly8 and-inverted", Width: 120, Height: 24, Background: 0xf0f0f0, Font: "7x13",
			GC:    with(solid, func(g *textGC) { g.Function = 4; g.Foreground = 0x0f00ff }),
			Texts: []textItem{poly("poly8", 1, 14, text(0, hello))}},
		{Name: "image8 ignores function", Width: 200, Height: 30, Background: 0x405060, Font: "8x13",
			GC:      with(solid, func(g *textGC) { g.Function = 6; g.PlaneMask = 0xff00ff; g.FillStyle = 2 }),
			Stipple: stipple,
			Texts:   []textItem{imageText("image8", 3, 14, hello), imageText("image8", 10, 20, latin)}},
		{Name: "poly8 tiled", Width: 160, Height: 30, Background: 0x405060, Font: "10x20",
			GC: with(solid, func(g *textGC) { g.FillStyle = 1; g.TSX = 1; g.TSY = 2 }), Tile: tile,
			Texts: []textItem{poly("poly8", 2, 18, text(0, "Tiled text"))}},
		{Name: "poly8 stippled", Width: 160, Height: 30, Background: 0x405060, Font: "10x20",
			GC: with(solid, func(g *textGC) { g.FillStyle = 2; g.TSX = -2; g.TSY = 1 }), Stipple: stipple,
			Texts: []textItem{poly("poly8", 2, 18, text(0, "Stippled MW"))}},
		{Name: "poly8 opaque stippled xor", Width: 160, Height: 30, Background: 0x405060, Font: "10x20",
			GC: with(solid, func(g *textGC) { g.FillStyle = 3; g.Function = 6 }), Stipple: stipple,
			Texts: []textItem{poly("poly8", 2, 18, text(0, "Opaque MW"))}},
		{Name: "clipped", Width: 200, Height: 40, Background: 0x405060, Font: "fixed", GC: solid,
			Clip:  [][4]int{{0, 0, 30, 40}, {40, 5, 7, 9}, {50, 12, 100, 3}, {120, 0, 60, 20}},
			Texts: []textItem{poly("poly8", 2, 12, text(0, hello)), imageText("image8", 1, 30, hello+hello)}},
		{Name: "clipped xor 16", Width: 200, Height: 40, Background: 0x405060, Font: "-misc-fixed-medium-r-semicondensed--13-120-75-75-c-60-iso10646-1",
			GC:    with(solid, func(g *textGC) { g.Function = 6 }),
			Clip:  [][4]int{{3, 3, 5, 30}, {10, 3, 40, 30}, {60, 0, 1, 40}, {70, 9, 100, 2}},
			Texts: []textItem{poly("poly16", 2, 12, text(0, "Łódź ☺ ─│┼ "+hello)), imageText("image16", 2, 30, "Ωμέγα ▒░ "+hello)}},
		{Name: "font changes", Width: 260, Height: 30, Background: 0x405060, Font: "fixed", GC: solid,
			Texts: []textItem{poly("poly8", 2, 20,
				text(0, "ab"), fontItem("9x15bold"), text(5, "cd"), text(-3, "ef"), fontItem("5x7"), text(0, "gh"),
				fontItem("10x20"), text(2, "ij"), fontItem("fixed"), text(-40, "kl"))}},
		{Name: "16-bit", Width: 220, Height: 40, Background: 0x405060, Font: "-misc-fixed-medium-r-semicondensed--13-120-75-75-c-60-iso10646-1", GC: solid,
			Texts: []textItem{
				poly("poly16", 2, 12, text(0, "Łódź ☺ ─│┼ \uffff\u3000 x")),
				imageText("image16", 2, 26, "Ωμέγα ▒░ \u0101\u2603"),
				poly("poly8", 2, 38, text(0, latin+hello)),
			}},
		{Name: "16-bit bold and linear", Width: 220, Height: 40, Background: 0x405060, Font: "-misc-fixed-bold-r-semicondensed--13-120-75-75-c-60-iso10646-1", GC: solid,
			Texts: []textItem{
				poly("poly16", 2, 12, text(0, "Łódź ☺ ─│┼ \uffff x")),
				poly("poly16", 2, 26, fontItem("fixed"), text(0, "A\u0141B\u0100C")),
				imageText("image16", 2, 38, "A\u0141B\u0100C"),
			}},
		{Name: "cursor glyphs", Width: 200, Height: 40, Background: 0x405060, Font: "cursor", GC: solid,
			Texts: []textItem{
				poly("poly8", 10, 20, text(0, string([]rune{0, 1, 2, 3, 68, 69, 132, 133, 150, 151, 152, 153}))),
				imageText("image8", 10, 36, string([]rune{34, 35, 52, 53, 90, 91})),
			}},
	}
	if helvetica {
		cases = append(cases,
			&textCase{Name: "helvetica", Width: 260, Height: 60, Background: 0x405060, Font: "variable", GC: solid,
				Texts: []textItem{
					poly("poly8", 2, 14, text(0, hello+" AVAWAY fi")),
					poly("poly8", 2, 30, fontItem("-adobe-helvetica-medium-r-normal--24-240-75-75-p-130-iso8859-1"), text(0, "Jyjf AWAY "+latin)),
					imageText("image8", 2, 54, "Image jfj "+latin),
				}},
		)
	}
	return cases
}

// TestTextMatchesXvfb draws text with a variety of fonts and GCs on Xvfb
// and with fb, and requires identical pixels.
func TestTextMatchesXvfb(t *testing.T) {
	peer.Need(t, "Xvfb", "python3")
	display := peer.Xvfb(t, 64, 64)
	var list []struct {
		Names []string `json:"names"`
	}
	askX(t, display, []any{map[string]any{"op": "list", "pattern": "-adobe-helvetica-*", "max": 1}}, &list)
	helvetica := len(list[0].Names) > 0
	if !helvetica {
		t.Log("Xvfb has no Helvetica: install the Debian package xfonts-75dpi to compare the proportional fonts")
	}
	cases := append(textCases(helvetica), allGlyphCases(t, helvetica)...)
	want := xvfbDraw(t, display, cases)
	for i, tc := range cases {
		got := tc.draw(t)
		if d := diff(tc.Width, tc.Height, got.Pix, want[i]); d != "" {
			t.Errorf("%s: %s", tc.Name, d)
		}
	}
}

// allGlyphCases draws every character of every bundled 8-bit font, and
// every character of the 16-bit ones, in a grid, with PolyText and with
// ImageText.
func allGlyphCases(t *testing.T, helvetica bool) []*textCase {
	var cases []*textCase
	for _, name := range font.List("*", 1000) {
		f, err := font.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name != name || strings.Contains(name, "helvetica") && !helvetica {
			continue // aliases repeat fonts
		}
		w := int(f.MaxBounds.Width)
		h := int(f.Ascent + f.Descent)
		var cs []int
		for ch := range 1 << 16 {
			if f.Glyph(uint16(ch)) != nil {
				cs = append(cs, ch)
			}
		}
		perRow := 32
		rows := (len(cs) + perRow - 1) / perRow
		tc := &textCase{Name: "all of " + name, Width: perRow*w + 20, Height: 2*rows*h + 10, Background: 0x203040, Font: name,
			GC: textGC{Function: 3, PlaneMask: 0xffffffff, Foreground: 0xffe0c0, Background: 0x102030}}
		kind := "8"
		if f.MaxByte1 > 0 {
			kind = "16"
		}
		for r := range rows {
			row := cs[r*perRow : min(len(cs), (r+1)*perRow)]
			tc.Texts = append(tc.Texts,
				textItem{Kind: "poly" + kind, X: 8, Y: 5 + r*h + int(f.Ascent), Items: []any{[]any{0, row}}},
				textItem{Kind: "image" + kind, X: 8, Y: 5 + (rows+r)*h + int(f.Ascent), Chars: row})
		}
		cases = append(cases, tc)
	}
	return cases
}

// randomGlyph returns a glyph of the given size with random bits, stray
// bits past its width included (which drawing must ignore).
func randomGlyph(r *rand.Rand, w, h int) *fb.Glyph {
	g := &fb.Glyph{Width: w, Height: h, Left: r.IntN(9) - 4, Ascent: r.IntN(h + 4), Advance: r.IntN(w+6) - 2, Stride: (w + 31) / 32}
	g.Bits = make([]uint32, g.Stride*h)
	for i := range g.Bits {
		g.Bits[i] = r.Uint32()
		if r.IntN(4) == 0 {
			g.Bits[i] = ^uint32(0) // long runs, across words
		}
	}
	return g
}

// rop applies function f to one pixel the slow, obvious way.
func rop(f fb.Func, src, dst uint32) uint32 {
	switch f {
	case fb.FuncClear:
		return 0
	case fb.FuncAnd:
		return src & dst
	case fb.FuncAndReverse:
		return src &^ dst
	case fb.FuncCopy:
		return src
	case fb.FuncAndInverted:
		return ^src & dst
	case fb.FuncNoop:
		return dst
	case fb.FuncXor:
		return src ^ dst
	case fb.FuncOr:
		return src | dst
	case fb.FuncNor:
		return ^src &^ dst
	case fb.FuncEquiv:
		return ^src ^ dst
	case fb.FuncInvert:
		return ^dst
	case fb.FuncOrReverse:
		return src | ^dst
	case fb.FuncCopyInverted:
		return ^src
	case fb.FuncOrInverted:
		return ^src | dst
	case fb.FuncNand:
		return ^src | ^dst
	}
	return ^uint32(0)
}

// referencePolyText draws as PolyText should, one pixel at a time, for
// solid fills.
func referencePolyText(p *fb.Pixmap, clip *region.Region, gc *fb.GC, x, y int, glyphs []*fb.Glyph) {
	mask := uint32(1)<<p.Depth - 1
	if p.Depth == 32 {
		mask = ^uint32(0)
	}
	for _, g := range glyphs {
		if g == nil {
			continue
		}
		for j := range g.Height {
			for i := range g.Width {
				px, py := x+g.Left+i, y-g.Ascent+j
				if !g.At(i, j) || px < 0 || py < 0 || px >= p.Width || py >= p.Height {
					continue
				}
				if clip != nil && !clip.Contains(image.Pt(px, py)) {
					continue
				}
				d := p.Pix[py*p.Stride+px]
				pm := gc.PlaneMask & mask
				p.Pix[py*p.Stride+px] = (rop(gc.Func, gc.Foreground, d)&pm | d&^pm) & mask
			}
		}
		x += g.Advance
	}
}

type recorder struct{ rects []image.Rectangle }

func (r *recorder) Changed(rect image.Rectangle)          { r.rects = append(r.rects, rect) }
func (r *recorder) Copied(rect image.Rectangle, _, _ int) { r.rects = append(r.rects, rect) }

// TestPolyTextReference draws random glyphs, wide and narrow, partly off
// the pixmap and through clips, with every function, and compares with a
// pixel-by-pixel reference. It also checks that the Observer hears of every
// changed pixel, and that a stipple of all ones draws as solid (so the span
// path agrees too).
func TestPolyTextReference(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for iter := range 400 {
		depth := []int{1, 8, 24, 32}[iter%4]
		w, h := 40+r.IntN(30), 30+r.IntN(20)
		var glyphs []*fb.Glyph
		for range 1 + r.IntN(6) {
			gw := []int{1, 5, 8, 31, 32, 33, 64, 70}[r.IntN(8)]
			glyphs = append(glyphs, randomGlyph(r, gw, 1+r.IntN(20)))
		}
		if r.IntN(5) == 0 {
			glyphs = append(glyphs, nil)
		}
		gc := &fb.GC{Func: fb.Func(r.IntN(16)), PlaneMask: r.Uint32(), Foreground: r.Uint32()}
		if r.IntN(3) == 0 {
			gc.PlaneMask = ^uint32(0)
		}
		var clip *region.Region
		if r.IntN(2) == 0 {
			var rs []image.Rectangle
			for range 1 + r.IntN(5) {
				x, y := r.IntN(w+10)-5, r.IntN(h+10)-5
				rs = append(rs, image.Rect(x, y, x+r.IntN(w), y+r.IntN(h)))
			}
			clip = region.New(rs...)
		}
		x, y := r.IntN(w+40)-30, r.IntN(h+30)-5
		origin := image.Pt(r.IntN(7)-3, r.IntN(7)-3)

		want := fb.NewPixmap(w, h, depth)
		for i := range want.Pix {
			want.Pix[i] = r.Uint32() & (uint32(1)<<depth - 1)
			if depth == 32 {
				want.Pix[i] = r.Uint32()
			}
		}
		got := fb.NewPixmap(w, h, depth)
		copy(got.Pix, want.Pix)
		before := slices.Clone(want.Pix)
		rec := &recorder{}
		got.Observer = rec

		end := fb.PolyText(fb.Canvas{Pixmap: got, Origin: origin, Clip: clip}, gc, x, y, glyphs)
		referencePolyText(want, clip, gc, x+origin.X, y+origin.Y, glyphs)
		if d := diff(w, h, got.Pix, want.Pix); d != "" {
			t.Fatalf("iteration %d (depth %d, func %d): %s", iter, depth, gc.Func, d)
		}
		wantEnd := x
		for _, g := range glyphs {
			if g != nil {
				wantEnd += g.Advance
			}
		}
		if end != wantEnd {
			t.Fatalf("iteration %d: PolyText returned %d, want %d", iter, end, wantEnd)
		}
		for i := range got.Pix {
			if got.Pix[i] != before[i] {
				pt := image.Pt(i%w, i/w)
				if !slices.ContainsFunc(rec.rects, func(r image.Rectangle) bool { return pt.In(r) }) {
					t.Fatalf("iteration %d: pixel %v changed unreported", iter, pt)
				}
			}
		}
		for _, rr := range rec.rects {
			if rr.Empty() || !rr.In(got.Bounds()) {
				t.Fatalf("iteration %d: reported %v", iter, rr)
			}
		}

		// A stipple of ones goes through the span path and must agree.
		ones := fb.NewPixmap(3, 2, 1)
		for i := range ones.Pix {
			ones.Pix[i] = 1
		}
		sgc := *gc
		sgc.FillStyle = fb.FillStippled
		sgc.Stipple = ones
		spanned := fb.NewPixmap(w, h, depth)
		copy(spanned.Pix, before)
		fb.PolyText(fb.Canvas{Pixmap: spanned, Origin: origin, Clip: clip}, &sgc, x, y, glyphs)
		if d := diff(w, h, spanned.Pix, want.Pix); d != "" {
			t.Fatalf("iteration %d, stippled with ones: %s", iter, d)
		}
	}
}

// TestMalformedGlyphs checks that glyphs whose fields disagree with their
// bits are skipped, not drawn out of bounds.
func TestMalformedGlyphs(t *testing.T) {
	p := fb.NewPixmap(20, 20, 24)
	gc := &fb.GC{Func: fb.FuncCopy, PlaneMask: ^uint32(0), Foreground: 1}
	bad := []*fb.Glyph{
		{Width: 40, Height: 3, Stride: 1, Bits: make([]uint32, 3)},
		{Width: 5, Height: 3, Stride: 1, Bits: make([]uint32, 2)},
		{Width: -1, Height: 3, Stride: 1, Bits: make([]uint32, 3)},
		{Width: 5, Height: -3, Stride: 1},
		nil,
		{Width: 1 << 30, Height: 1 << 30, Stride: 1 << 25},
	}
	for _, fill := range []fb.FillStyle{fb.FillSolid, fb.FillOpaqueStippled} {
		gc.FillStyle = fill
		gc.Stipple = fb.NewPixmap(1, 1, 1)
		for _, x := range []int{5, -3, -35, 18} { // inside, and clipped by the edges
			fb.PolyText(fb.Canvas{Pixmap: p}, gc, x, 5, bad)
			fb.ImageText(fb.Canvas{Pixmap: p}, gc, x, 5, 3, 1, bad)
		}
	}
	for _, v := range p.Pix[:20*2] { // the background of ImageText is rows 2 to 5
		if v != 0 {
			t.Fatal("a malformed glyph drew")
		}
	}
	// Nothing at all to draw on: no panic.
	fb.PolyText(fb.Canvas{}, gc, 0, 0, bad)
	fb.ImageText(fb.Canvas{Pixmap: p}, nil, 0, 0, 1, 1, bad)
}

func benchText(b *testing.B, imageText, clip bool) {
	f, err := font.Open("fixed")
	if err != nil {
		b.Fatal(err)
	}
	line := []byte("The quick brown fox jumps over the lazy dog; 0123456789 ABCDEFGHIJKLMNOPQRSTU")
	glyphs := f.Glyphs8(nil, line)
	p := fb.NewPixmap(1024, 768, 24)
	c := fb.Canvas{Pixmap: p}
	if clip {
		c.Clip = region.New(image.Rect(0, 0, 1024, 768))
	}
	gc := &fb.GC{Func: fb.FuncCopy, PlaneMask: ^uint32(0), Foreground: 0xffffff, Background: 0x000080}
	rows := 768 / 13
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		y := 11 + (i%rows)*13
		if imageText {
			fb.ImageText(c, gc, 2, y, int(f.Ascent), int(f.Descent), glyphs)
		} else {
			fb.PolyText(c, gc, 2, y, glyphs)
		}
	}
	b.ReportMetric(float64(b.N*len(line))/b.Elapsed().Seconds(), "chars/s")
}

func BenchmarkPolyText(b *testing.B)        { benchText(b, false, false) }
func BenchmarkPolyTextClipped(b *testing.B) { benchText(b, false, true) }
func BenchmarkImageText(b *testing.B)       { benchText(b, true, false) }

// TestImageTextReference compares ImageText with a reference: the
// background rectangle, then the glyphs copied in the foreground, through
// the plane mask and clip whatever the GC's function.
func TestImageTextReference(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for iter := range 300 {
		ascent, descent := 1+r.IntN(12), r.IntN(4)
		cell := iter%2 == 0 // glyphs that fill their cells, as in terminal fonts, or random ones
		var glyphs []*fb.Glyph
		for range 1 + r.IntN(8) {
			g := randomGlyph(r, 1+r.IntN(12), ascent+descent)
			if cell {
				g.Left, g.Ascent, g.Advance = 0, ascent, g.Width
				for j := range g.Bits {
					g.Bits[j] &= 1<<g.Width - 1
				}
			}
			glyphs = append(glyphs, g)
		}
		w, h := 60, 30
		gc := &fb.GC{Func: fb.Func(r.IntN(16)), PlaneMask: ^uint32(0), Foreground: r.Uint32() & 0xffffff, Background: r.Uint32() & 0xffffff}
		if r.IntN(4) == 0 {
			gc.PlaneMask = r.Uint32()
		}
		var clip *region.Region
		if r.IntN(3) == 0 {
			clip = region.New(image.Rect(r.IntN(w), r.IntN(h), r.IntN(w), r.IntN(h)), image.Rect(0, 0, w, h/2))
		}
		x, y := r.IntN(w)-10, r.IntN(h)+2
		got := fb.NewPixmap(w, h, 24)
		for i := range got.Pix {
			got.Pix[i] = r.Uint32() & 0xffffff
		}
		want := fb.NewPixmap(w, h, 24)
		copy(want.Pix, got.Pix)

		fb.ImageText(fb.Canvas{Pixmap: got, Clip: clip}, gc, x, y, ascent, descent, glyphs)

		width := 0
		for _, g := range glyphs {
			width += g.Advance
		}
		back := image.Rect(x, y-ascent, x+width, y+descent)
		for py := back.Min.Y; py < back.Max.Y; py++ {
			for px := back.Min.X; px < back.Max.X; px++ {
				if px >= 0 && py >= 0 && px < w && py < h && (clip == nil || clip.Contains(image.Pt(px, py))) {
					d := want.Pix[py*w+px]
					want.Pix[py*w+px] = gc.Background&gc.PlaneMask | d&^gc.PlaneMask&0xffffff
				}
			}
		}
		copyGC := *gc
		copyGC.Func = fb.FuncCopy
		referencePolyText(want, clip, &copyGC, x, y, glyphs)
		if d := diff(w, h, got.Pix, want.Pix); d != "" {
			t.Fatalf("iteration %d (cells %v, plane mask %x): %s", iter, cell, gc.PlaneMask, d)
		}
	}
}
