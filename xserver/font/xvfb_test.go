package font

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"netdisplay/internal/peer"
)

// askX runs testdata/xfont.py against display with the requests and decodes
// its answers into out.
func askX(t testing.TB, display string, reqs any, out any) {
	t.Helper()
	in, err := json.Marshal(reqs)
	if err != nil {
		t.Fatal(err)
	}
	cmd := peer.Command(t, display, peer.Python, "testdata/xfont.py")
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("xfont.py: %v\n%s", err, stderr.String())
	}
	if err := json.Unmarshal(stdout, out); err != nil {
		t.Fatalf("xfont.py output: %v", err)
	}
}

type xFontInfo struct {
	Error          string   `json:"error"`
	Props          [][]any  `json:"props"`
	MinBounds      []int    `json:"min_bounds"`
	MaxBounds      []int    `json:"max_bounds"`
	MinCharOrByte2 int      `json:"min_char_or_byte2"`
	MaxCharOrByte2 int      `json:"max_char_or_byte2"`
	MinByte1       int      `json:"min_byte1"`
	MaxByte1       int      `json:"max_byte1"`
	DefaultChar    int      `json:"default_char"`
	DrawDirection  int      `json:"draw_direction"`
	AllCharsExist  bool     `json:"all_chars_exist"`
	FontAscent     int      `json:"font_ascent"`
	FontDescent    int      `json:"font_descent"`
	NCharInfos     int      `json:"n_char_infos"`
	CharInfos      [][]int  `json:"char_infos"`
	Names          []string `json:"names"`
	Extents        [][]int  `json:"extents"`
}

func ints(ci CharInfo) []int {
	return []int{int(ci.LeftBearing), int(ci.RightBearing), int(ci.Width), int(ci.Ascent), int(ci.Descent), int(ci.Attributes)}
}

// xvfb starts an Xvfb and reports whether it has Helvetica, which comes
// from the Debian package xfonts-75dpi.
func xvfb(t *testing.T) (display string, helvetica bool) {
	peer.Need(t, "Xvfb", "python3")
	display = peer.Xvfb(t, 64, 64)
	var out []xFontInfo
	askX(t, display, []any{map[string]any{"op": "list", "pattern": "-adobe-helvetica-*", "max": 1}}, &out)
	return display, len(out[0].Names) > 0
}

const noHelvetica = "Xvfb has no Helvetica: install the Debian package xfonts-75dpi to compare the proportional fonts"

// TestQueryFontMatchesXvfb opens every bundled font, and some aliases and
// patterns, on Xvfb and here, and compares everything QueryFont reports.
func TestQueryFontMatchesXvfb(t *testing.T) {
	display, helvetica := xvfb(t)
	names := fontNames(t)
	names = append(names, "fixed", "variable", "6x13", "9x15bold", "FIXED",
		"-misc-fixed-medium-r-normal--13-*",
		"-*-helvetica-bold-r-normal-*-*-120-*-*-*-*-iso8859-1",
		"*-fixed-bold-*", "-misc-fixed-medium-r-normal--1?-*-75-75-c-*-iso8859-1")
	if !helvetica {
		t.Log(noHelvetica)
		names = slices.DeleteFunc(names, func(n string) bool {
			return strings.Contains(n, "helvetica") || n == "variable"
		})
	}
	var reqs []any
	for _, n := range names {
		reqs = append(reqs, map[string]any{"op": "query", "font": n, "chars": true})
	}
	var out []xFontInfo
	askX(t, display, reqs, &out)
	for i, name := range names {
		x := out[i]
		if x.Error != "" {
			t.Errorf("%s: Xvfb: %s", name, x.Error)
			continue
		}
		f, err := Open(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		check := func(what string, got, want any) {
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s: %s = %v, Xvfb says %v", name, what, got, want)
			}
		}
		check("min bounds", ints(f.MinBounds), x.MinBounds)
		check("max bounds", ints(f.MaxBounds), x.MaxBounds)
		check("min char or byte2", f.MinCharOrByte2, x.MinCharOrByte2)
		check("max char or byte2", f.MaxCharOrByte2, x.MaxCharOrByte2)
		check("min byte1", f.MinByte1, x.MinByte1)
		check("max byte1", f.MaxByte1, x.MaxByte1)
		check("default char", f.DefaultChar, x.DefaultChar)
		check("draw direction", f.DrawDirection, x.DrawDirection)
		check("all chars exist", f.AllCharsExist, x.AllCharsExist)
		check("font ascent", f.Ascent, x.FontAscent)
		check("font descent", f.Descent, x.FontDescent)
		check("number of char infos", f.NumChars(), x.NCharInfos)
		if len(f.Props) != len(x.Props) {
			t.Errorf("%s: %d properties, Xvfb has %d", name, len(f.Props), len(x.Props))
		} else {
			for j, p := range f.Props {
				xp := x.Props[j]
				check("property name", p.Name, xp[0])
				if p.IsAtom {
					check(p.Name, p.Atom, xp[2])
				} else {
					check(p.Name, p.Value, uint32(xp[1].(float64)))
				}
			}
		}
		cis := f.CharInfos()
		bad := 0
		for j := range min(len(cis), len(x.CharInfos)) {
			if !slices.Equal(ints(cis[j]), x.CharInfos[j]) {
				if bad++; bad < 5 {
					t.Errorf("%s: char info %d = %v, Xvfb says %v", name, j, ints(cis[j]), x.CharInfos[j])
				}
			}
		}
		if bad > 0 {
			t.Errorf("%s: %d char infos differ", name, bad)
		}
	}
}

// TestListFontsMatchesXvfb compares ListFonts with Xvfb's over the names
// both know: Xvfb lists fonts we do not bundle, and lists some names twice
// (its font path has 75dpi twice, scaled and unscaled, and built-in copies
// of fixed and cursor), so its answers are reduced to the first occurrence
// of each bundled name.
func TestListFontsMatchesXvfb(t *testing.T) {
	display, helvetica := xvfb(t)
	if !helvetica {
		t.Log(noHelvetica)
	}
	patterns := []string{
		"*", "fixed", "FIXED", "fixed*", "6x1?", "*6x13*", "cursor", "curs?r", "?x??", "*x*",
		"-misc-fixed-medium-r-normal--13-*", "-MISC-*-iso8859-1", "*-c-60-iso8859-1",
		"*helvetica*", "*HELVETICA*-12-*", "-*-helvetica-bold-r-normal-*-*-120-*-*-*-*-iso8859-1",
		"*bold*", "*-iso10646-1", "*-13-*", "-*-*-*-*-*-*-*-*-*-*-*-*-*-*", "*-?-*", "*-1",
		"variable", "nosuchfont*", "", "-misc-fixed-medium-r-normal--13-120-75-75-c-70-iso8859-1",
	}
	reqs := []any{}
	for _, p := range patterns {
		reqs = append(reqs, map[string]any{"op": "list", "pattern": p, "max": 30000})
	}
	var out []xFontInfo
	askX(t, display, reqs, &out)

	ours := make(map[string]bool)
	for _, n := range List("*", 1<<16) {
		ours[n] = true
	}
	theirs := make(map[string]bool)
	for _, n := range out[0].Names {
		theirs[n] = true
	}
	both := func(names []string) []string {
		var r []string
		seen := make(map[string]bool)
		for _, n := range names {
			if ours[n] && theirs[n] && !seen[n] {
				r = append(r, n)
				seen[n] = true
			}
		}
		return r
	}
	if helvetica {
		// Nothing we list is unknown to Xvfb.
		for n := range ours {
			if !theirs[n] {
				t.Errorf("we list %q, Xvfb does not", n)
			}
		}
	}
	for i, p := range patterns {
		got, want := both(List(p, 30000)), both(out[i].Names)
		if !slices.Equal(got, want) {
			t.Errorf("List(%q) = %q\nXvfb: %q", p, got, want)
		}
	}
}

// TestTextExtentsMatchXvfb compares QueryTextExtents for strings that
// exercise the default character and characters out of range.
func TestTextExtentsMatchXvfb(t *testing.T) {
	display, helvetica := xvfb(t)
	fonts := []string{"fixed", "9x15bold", "10x20", "cursor", "5x7",
		"-misc-fixed-medium-r-semicondensed--13-120-75-75-c-60-iso10646-1"}
	if helvetica {
		fonts = append(fonts, "variable", "-adobe-helvetica-medium-r-normal--24-240-75-75-p-130-iso8859-1")
	} else {
		t.Log(noHelvetica)
	}
	strs := [][]uint16{
		{}, {'A'}, {' '}, {'H', 'e', 'l', 'l', 'o', ',', ' ', 'w', 'o', 'r', 'l', 'd'},
		{0}, {0, 'A'}, {'A', 0x141, 'j'}, {0x141}, {0x141, 0x142, 'g'}, {0xffff, 'x'},
		{0x2500, 0x2502, 0x263a}, {'W', 'A', 'V', 'E', 'f', 'i'}, {1, 2, 3, 0x7f, 0x80, 0x9f, 0xa0, 0xff},
		{0x100, 0x1ff, 0x3000}, {0xfffd, 'a'},
	}
	var reqs []any
	for _, f := range fonts {
		s := make([][]int, len(strs))
		for i, str := range strs {
			s[i] = []int{}
			for _, c := range str {
				s[i] = append(s[i], int(c))
			}
		}
		reqs = append(reqs, map[string]any{"op": "extents", "font": f, "strings": s})
	}
	var out []xFontInfo
	askX(t, display, reqs, &out)
	for i, name := range fonts {
		f, err := Open(name)
		if err != nil {
			t.Fatal(err)
		}
		for j, s := range strs {
			e := f.TextExtents(s)
			got := []int{int(e.DrawDirection), int(e.FontAscent), int(e.FontDescent), int(e.OverallAscent),
				int(e.OverallDescent), int(e.OverallWidth), int(e.OverallLeft), int(e.OverallRight)}
			if !slices.Equal(got, out[i].Extents[j]) {
				t.Errorf("%s: extents of %x = %v, Xvfb says %v", name, s, got, out[i].Extents[j])
			}
		}
	}
}

// TestListInfoMatchesXvfb compares ListFontsWithInfo, as xlsfonts -l shows
// it, for names and aliases: the reply names and the summary xlsfonts
// prints. Xvfb's answers for bitmap-scaled "-0-0-" names, which we do not
// offer, are left out, and since its font path repeats directories (and
// has built-in copies of fixed and cursor), ours need only be a
// subsequence of its answers that has every answer in it.
func TestListInfoMatchesXvfb(t *testing.T) {
	if _, err := exec.LookPath("xlsfonts"); err != nil {
		t.Skip("skipped: needs xlsfonts (Debian package x11-utils)")
	}
	display, helvetica := xvfb(t)
	patterns := []string{"fixed", "6x10", "6x13", "7x1?", "-misc-fixed-medium-r-normal--13-1*-c-70-iso8859-1", "9x15bold", "cursor", "*x20"}
	if helvetica {
		patterns = append(patterns, "variable", "*helvetica-bold-r*-1?-*-iso8859-1")
	} else {
		t.Log(noHelvetica)
	}
	for _, p := range patterns {
		out, err := peer.Command(t, display, "xlsfonts", "-u", "-l", "-fn", p).Output()
		if err != nil {
			t.Fatalf("xlsfonts -fn %s: %v", p, err)
		}
		var want []string
		for _, line := range strings.Split(string(out), "\n") {
			f := strings.Fields(line)
			if len(f) == 9 && f[0] == "-->" && !strings.Contains(f[8], "-0-0-") {
				want = append(want, strings.Join(f[1:], " "))
			}
		}
		var got []string
		for _, l := range ListInfo(p, 1000) {
			f := l.Font
			exist := "some"
			if f.AllCharsExist {
				exist = "all"
			}
			got = append(got, fmt.Sprintf("%d %d %s %d %d %d %d %s", f.MinCharOrByte2, f.MaxCharOrByte2, exist,
				f.DefaultChar, len(f.Props), f.Ascent, f.Descent, l.Name))
		}
		if !subsequence(got, want) || len(got) == 0 && len(want) > 0 {
			t.Errorf("ListInfo(%q):\n%s\nXvfb:\n%s", p, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

// subsequence reports whether a is a subsequence of b holding every
// element of b.
func subsequence(a, b []string) bool {
	i := 0
	for _, s := range b {
		if i < len(a) && a[i] == s {
			i++
		} else if !slices.Contains(a, s) {
			return false
		}
	}
	return i == len(a)
}
