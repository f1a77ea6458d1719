package font

import (
	"slices"
	"testing"

	"netdisplay/xserver/fb"
	"netdisplay/xserver/font/internal/fontdata"
	"netdisplay/xserver/font/internal/fontname"
)

// fontNames returns the names of the bundled fonts, aliases excluded.
func fontNames(t testing.TB) []string {
	t.Helper()
	c, err := readCatalog()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range c.Entries {
		if !e.IsAlias() {
			names = append(names, e.Name)
		}
	}
	return names
}

func TestEveryFontDecodes(t *testing.T) {
	names := fontNames(t)
	if len(names) < 30 {
		t.Fatalf("only %d fonts bundled", len(names))
	}
	for _, name := range names {
		f, err := Open(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if f.Name != name {
			t.Errorf("Open(%q).Name = %q", name, f.Name)
		}
		if len(f.CharInfos()) != f.NumChars() || f.NumChars() == 0 {
			t.Errorf("%s: %d CharInfos for %d chars", name, len(f.CharInfos()), f.NumChars())
		}
		if f.Ascent <= 0 || f.Descent < 0 {
			t.Errorf("%s: ascent %d descent %d", name, f.Ascent, f.Descent)
		}
		var fontProp string
		for _, p := range f.Props {
			if p.Name == "FONT" && p.IsAtom {
				fontProp = p.Atom
			}
		}
		if fontname.Lower(fontProp) != name {
			t.Errorf("%s: FONT property %q", name, fontProp)
		}
		// Every glyph's set pixels lie inside its ink box, and the ink box
		// is what QueryFont reports.
		exists := 0
		for ch := range 1 << 16 {
			g := f.Glyph(uint16(ch))
			ci := f.Char(uint16(ch))
			if g == nil {
				if ci != (CharInfo{}) {
					t.Errorf("%s: char %#x has no glyph but metrics %v", name, ch, ci)
				}
				continue
			}
			exists++
			if int(ci.Width) != g.Advance {
				t.Errorf("%s: char %#x advance %d, width %d", name, ch, g.Advance, ci.Width)
			}
			for j := range g.Height {
				for i := range g.Width {
					if !g.At(i, j) {
						continue
					}
					x, y := g.Left+i, j-g.Ascent // relative to the origin, y down
					if x < int(ci.LeftBearing) || x >= int(ci.RightBearing) || y < -int(ci.Ascent) || y >= int(ci.Descent) {
						t.Errorf("%s: char %#x pixel (%d,%d) outside ink box %v", name, ch, x, y, ci)
						break
					}
				}
			}
			if t.Failed() {
				return
			}
		}
		if exists == 0 {
			t.Errorf("%s: no characters", name)
		}
	}
}

func TestRequiredNames(t *testing.T) {
	// The names issue 3 requires, and what they resolve to.
	for name, want := range map[string]string{
		"fixed":    "-misc-fixed-medium-r-semicondensed--13-120-75-75-c-60-iso8859-1",
		"FIXED":    "-misc-fixed-medium-r-semicondensed--13-120-75-75-c-60-iso8859-1",
		"cursor":   "cursor",
		"6x13":     "-misc-fixed-medium-r-semicondensed--13-120-75-75-c-60-iso8859-1",
		"7x13":     "-misc-fixed-medium-r-normal--13-120-75-75-c-70-iso8859-1",
		"8x13":     "-misc-fixed-medium-r-normal--13-120-75-75-c-80-iso8859-1",
		"9x15":     "-misc-fixed-medium-r-normal--15-140-75-75-c-90-iso8859-1",
		"10x20":    "-misc-fixed-medium-r-normal--20-200-75-75-c-100-iso8859-1",
		"9x15bold": "-misc-fixed-bold-r-normal--15-140-75-75-c-90-iso8859-1",
		"variable": "-adobe-helvetica-bold-r-normal--12-120-75-75-p-70-iso8859-1",
		"-misc-fixed-medium-r-normal--13-120-75-75-c-70-iso8859-1":         "-misc-fixed-medium-r-normal--13-120-75-75-c-70-iso8859-1",
		"-Misc-Fixed-Medium-R-Normal--13-120-75-75-C-70-ISO8859-1":         "-misc-fixed-medium-r-normal--13-120-75-75-c-70-iso8859-1",
		"-misc-fixed-medium-r-semicondensed--13-120-75-75-c-60-iso10646-1": "-misc-fixed-medium-r-semicondensed--13-120-75-75-c-60-iso10646-1",
		"-*-helvetica-medium-r-*-*-14-*-*-*-*-*-iso8859-1":                 "-adobe-helvetica-medium-r-normal--14-140-75-75-p-77-iso8859-1",
		"-misc-fixed-medium-r-normal--13-100-100-100-c-70-iso8859-1":       "-misc-fixed-medium-r-normal--13-120-75-75-c-70-iso8859-1",
		"-misc-fixed-medium-r-normal--1?-*-75-75-c-*-iso8859-1":            "-misc-fixed-medium-r-normal--10-100-75-75-c-60-iso8859-1",
		"*-fixed-bold-*": "-misc-fixed-bold-r-normal--13-120-75-75-c-70-iso8859-1",
		"-adobe-helvetica-bold-r-normal--24-240-75-75-p-138-iso8859-1":         "-adobe-helvetica-bold-r-normal--24-240-75-75-p-138-iso8859-1",
		"-misc-fixed-medium-r-semicondensed--13-120-75-75-c-60-iso10646-1\x00": "",
	} {
		f, err := Open(name)
		if want == "" {
			if err == nil {
				t.Errorf("Open(%q) = %s, want an error", name, f.Name)
			}
			continue
		}
		if err != nil {
			t.Errorf("Open(%q): %v", name, err)
			continue
		}
		if f.Name != want {
			t.Errorf("Open(%q) = %s, want %s", name, f.Name, want)
		}
	}
	for _, name := range []string{"", "nosuchfont", "*nosuch*", "fixed?", "-misc-fixed-medium-r-normal--13-120-75-75-c-70-iso8859-2"} {
		if _, err := Open(name); err != ErrNotFound {
			t.Errorf("Open(%q) error %v, want ErrNotFound", name, err)
		}
	}
}

func TestDefaultFontIsSmall(t *testing.T) {
	f, err := Open("fixed")
	if err != nil {
		t.Fatal(err)
	}
	size := 60 + 8*len(f.Props) + 12*f.NumChars()
	t.Logf("QueryFont reply for fixed: %d bytes (%d properties, %d chars)", size, len(f.Props), f.NumChars())
	if size > 4096 {
		t.Errorf("QueryFont reply for fixed is %d bytes", size)
	}
	t.Logf("embedded font data: %d bytes", len(data))
}

func TestList(t *testing.T) {
	all := List("*", 1<<16)
	if len(all) < 50 {
		t.Fatalf("List(*) has %d names", len(all))
	}
	for _, tc := range []struct {
		pattern string
		want    []string
	}{
		{"fixed", []string{"fixed"}},
		{"FiXeD", []string{"fixed"}},
		{"6x1?", []string{"6x10", "6x12", "6x13"}},
		{"curs?r", []string{"cursor"}},
		{"?x??", []string{"6x10", "6x12", "6x13", "7x13", "7x14", "8x13", "9x15"}},
		{"nosuch*", nil},
		{"*-c-60-iso8859-1", []string{
			"-misc-fixed-bold-r-semicondensed--13-100-100-100-c-60-iso8859-1",
			"-misc-fixed-bold-r-semicondensed--13-120-75-75-c-60-iso8859-1",
			"-misc-fixed-medium-o-semicondensed--13-120-75-75-c-60-iso8859-1",
			"-misc-fixed-medium-r-normal--9-80-100-100-c-60-iso8859-1",
			"-misc-fixed-medium-r-normal--9-90-75-75-c-60-iso8859-1",
			"-misc-fixed-medium-r-normal--10-70-100-100-c-60-iso8859-1",
			"-misc-fixed-medium-r-normal--10-100-75-75-c-60-iso8859-1",
			"-misc-fixed-medium-r-semicondensed--12-90-100-100-c-60-iso8859-1",
			"-misc-fixed-medium-r-semicondensed--12-110-75-75-c-60-iso8859-1",
			"-misc-fixed-medium-r-semicondensed--13-100-100-100-c-60-iso8859-1",
			"-misc-fixed-medium-r-semicondensed--13-120-75-75-c-60-iso8859-1",
		}},
	} {
		got := List(tc.pattern, 1000)
		if !slices.Equal(got, tc.want) {
			t.Errorf("List(%q) = %q, want %q", tc.pattern, got, tc.want)
		}
	}
	if got := List("*", 3); !slices.Equal(got, all[:3]) {
		t.Errorf("List(*, 3) = %q, want %q", got, all[:3])
	}
	if got := List("*", 0); got != nil {
		t.Errorf("List(*, 0) = %q", got)
	}
	// Every listed name opens.
	for _, n := range all {
		if _, err := Open(n); err != nil {
			t.Errorf("Open(%q) of a listed name: %v", n, err)
		}
	}
}

func TestTextExtentsRules(t *testing.T) {
	f, err := Open("fixed")
	if err != nil {
		t.Fatal(err)
	}
	a := f.Char('A')
	e := f.TextExtents([]uint16{'A', 'A'})
	if e.OverallWidth != 2*int32(a.Width) || e.OverallRight != int32(a.Width)+int32(a.RightBearing) ||
		e.OverallLeft != int32(a.LeftBearing) || e.OverallAscent != a.Ascent || e.FontAscent != f.Ascent {
		t.Errorf("extents of AA = %+v, A = %+v", e, a)
	}
	if e := f.TextExtents(nil); e.OverallWidth != 0 || e.OverallAscent != 0 || e.FontAscent != f.Ascent {
		t.Errorf("extents of nothing = %+v", e)
	}
	// A linear font: characters past 255 do not exist and count as the
	// default character, which for fixed is character 0.
	if got, want := f.TextExtents([]uint16{'A', 0x141, 'A'}), f.TextExtents([]uint16{'A', f.DefaultChar, 'A'}); got != want || got.OverallWidth != 3*int32(a.Width) {
		t.Errorf("extents of A Ł A = %+v, want %+v", got, want)
	}
}

func TestGlyphLookup(t *testing.T) {
	f, err := Open("-misc-fixed-medium-r-semicondensed--13-120-75-75-c-60-iso10646-1")
	if err != nil {
		t.Fatal(err)
	}
	if f.MaxByte1 == 0 {
		t.Fatal("the ISO 10646 font is not a matrix font")
	}
	// Ł is U+0141: byte1 1, byte2 0x41.
	if g := f.Glyph(0x0141); g == nil || g == f.Glyph('A') {
		t.Errorf("no distinct glyph for U+0141")
	}
	gs := f.Glyphs16(nil, []uint16{'A', 0x0141, 0xffff})
	if len(gs) != 3 || gs[0] != f.Glyph('A') || gs[1] != f.Glyph(0x141) {
		t.Errorf("Glyphs16 = %v", gs)
	}
	if f.def == nil || gs[2] != f.def {
		t.Errorf("a missing character did not draw as the default")
	}
	gs = f.Glyphs8(nil, []byte("Ab"))
	if len(gs) != 2 || gs[0] != f.Glyph('A') || gs[1] != f.Glyph('b') {
		t.Errorf("Glyphs8 = %v", gs)
	}
}

// synthetic builds a small font: characters 'a' and 'c' in row row, each a
// 2×2 box; no default character unless def names one.
func synthetic(t *testing.T, row uint16, def uint16) *Font {
	t.Helper()
	m := fontdata.Metric{LeftBearing: 0, RightBearing: 2, Width: 3, Ascent: 2, Descent: 0}
	ink := fontdata.Metric{LeftBearing: 1, RightBearing: 2, Width: 3, Ascent: 2, Descent: 0}
	d := &fontdata.Font{
		FirstCol: 'a', LastCol: 'c', FirstRow: row, LastRow: row, DefaultChar: def,
		FontAscent: 2, FontDescent: 1,
		Metrics:  []fontdata.Metric{m, m},
		Ink:      []fontdata.Metric{ink, ink},
		Bitmaps:  [][]byte{{0x40, 0x40}, {0xc0, 0xc0}},
		Encoding: []uint16{0, 0xffff, 1},
	}
	f, err := newFont("synthetic", d)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestNoDefaultChar(t *testing.T) {
	f := synthetic(t, 0, 'b') // 'b' does not exist
	if f.AllCharsExist {
		t.Error("AllCharsExist with a hole")
	}
	if gs := f.Glyphs8(nil, []byte("abcz")); len(gs) != 2 || gs[0] != f.Glyph('a') || gs[1] != f.Glyph('c') {
		t.Errorf("Glyphs8 = %v: missing characters should be skipped", gs)
	}
	e := f.TextExtents([]uint16{'b', 'a', 'b', 'c', 0x161})
	want := Extents{FontAscent: 2, FontDescent: 1, OverallAscent: 2, OverallWidth: 6, OverallLeft: 1, OverallRight: 5}
	if e != want {
		t.Errorf("extents = %+v, want %+v", e, want)
	}
	if got := f.Glyph('a'); !got.At(1, 0) || got.At(0, 0) || got.Width != 2 || got.Advance != 3 {
		t.Errorf("glyph a = %+v", got)
	}

	// With a default character, the missing ones draw and count as it.
	f = synthetic(t, 0, 'c')
	if gs := f.Glyphs8(nil, []byte("abz")); len(gs) != 3 || gs[1] != f.Glyph('c') || gs[2] != f.Glyph('c') {
		t.Errorf("Glyphs8 = %v", gs)
	}
	if e := f.TextExtents([]uint16{'b'}); e.OverallWidth != 3 {
		t.Errorf("extents of a missing char with a default: %+v", e)
	}
}

func TestMatrixRowsPastZero(t *testing.T) {
	f := synthetic(t, 2, 0x263) // a matrix font whose only row is 2
	if f.MaxByte1 != 2 || f.MinByte1 != 2 || f.NumChars() != 3 {
		t.Fatalf("ranges %d-%d, %d chars", f.MinByte1, f.MaxByte1, f.NumChars())
	}
	// X.Org draws nothing of 8-bit text in such a font.
	if gs := f.Glyphs8(nil, []byte("abc")); len(gs) != 0 {
		t.Errorf("Glyphs8 = %v", gs)
	}
	if gs := f.Glyphs16(nil, []uint16{0x261, 0x262, 'a'}); len(gs) != 3 || gs[0] != f.Glyph(0x261) || gs[1] != f.Glyph(0x263) || gs[2] != f.Glyph(0x263) {
		t.Errorf("Glyphs16 = %v", gs)
	}
	if got := f.CharInfos(); got[1] != (CharInfo{}) || got[2] != f.Char(0x263) {
		t.Errorf("CharInfos = %v", got)
	}
}

// BenchmarkDecode measures a font's first Open: inflating and decoding it.
func BenchmarkDecode(b *testing.B) {
	for label, name := range map[string]string{
		"8859-1":  "-misc-fixed-medium-r-semicondensed--13-120-75-75-c-60-iso8859-1",
		"10646-1": "-misc-fixed-medium-r-semicondensed--13-120-75-75-c-60-iso10646-1",
	} {
		b.Run(label, func(b *testing.B) {
			c, err := readCatalog()
			if err != nil {
				b.Fatal(err)
			}
			i := lookup(c, name)
			for b.Loop() {
				d, err := c.ReadFont(&c.Entries[i])
				if err != nil {
					b.Fatal(err)
				}
				if _, err := newFont(name, d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkGlyphs8(b *testing.B) {
	f, err := Open("fixed")
	if err != nil {
		b.Fatal(err)
	}
	line := []byte("The quick brown fox jumps over the lazy dog; 0123456789 ABCDEFGHIJKLMNOPQRSTU")
	var gs []*fb.Glyph
	for b.Loop() {
		gs = f.Glyphs8(gs[:0], line)
	}
	b.ReportMetric(float64(b.N*len(line))/b.Elapsed().Seconds(), "chars/s")
}

func TestConcurrentOpen(t *testing.T) {
	names := fontNames(t)
	done := make(chan *Font)
	for i := range 8 {
		go func() {
			f, err := Open(names[i%3])
			if err != nil {
				t.Error(err)
			}
			f.TextExtents([]uint16{'x'})
			done <- f
		}()
	}
	seen := make(map[*Font]bool)
	for range 8 {
		seen[<-done] = true
	}
	if len(seen) != 3 {
		t.Errorf("%d distinct fonts for 3 names", len(seen))
	}
}
