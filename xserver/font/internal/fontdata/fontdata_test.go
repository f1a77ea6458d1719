package fontdata

import (
	"bytes"
	"compress/flate"
	"io"
	"os"
	"reflect"
	"testing"
)

func sample() *Font {
	return &Font{
		Props:         []Prop{{Name: "FONT", IsAtom: true, Atom: "-x-test-1"}, {Name: "WEIGHT", Value: 10}, {Name: "NEG", Value: 0xfffffffe}},
		FirstCol:      0x20,
		LastCol:       0x22,
		FirstRow:      1,
		LastRow:       2,
		DefaultChar:   0x120,
		DrawDirection: 1,
		NoOverlap:     true,
		TerminalFont:  true,
		InkInside:     true,
		FontAscent:    7,
		FontDescent:   -2,
		MaxOverlap:    3,
		MinBounds:     Metric{-1, 2, 3, -4, 5, 6},
		MaxBounds:     Metric{1, 9, 9, 7, 2, 0},
		InkMinBounds:  Metric{0, 1, 3, 0, 0, 0},
		InkMaxBounds:  Metric{1, 8, 9, 7, 2, 0},
		Metrics:       []Metric{{0, 9, 9, 2, 0, 0}, {0, 0, 4, 0, 0, 0}},
		Ink:           []Metric{{1, 8, 9, 2, 0, 0}, {0, 0, 4, 0, 0, 1}},
		Bitmaps:       [][]byte{{0xff, 0x80, 0x7f, 0x00}, {}},
		Encoding:      []uint16{0, 0xffff, 1, 0xffff, 0xffff, 0},
	}
}

func write(t *testing.T, fonts ...*Font) []byte {
	t.Helper()
	var entries []Entry
	for i := range fonts {
		entries = append(entries, Entry{Dir: i % 2, Name: "font" + string(rune('a'+i)), File: "f.pcf"})
	}
	entries = append(entries, Entry{Dir: 1, Name: "alias", Target: "fonta"})
	var b bytes.Buffer
	if err := Write(&b, []string{"misc", "75dpi"}, entries, fonts); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestRoundTrip(t *testing.T) {
	f := sample()
	g := sample()
	g.Ink = nil
	b := write(t, f, g)
	c, err := ReadCatalog(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.Dirs, []string{"misc", "75dpi"}) || len(c.Entries) != 3 {
		t.Fatalf("catalogue %v %v", c.Dirs, c.Entries)
	}
	if e := c.Entries[2]; !e.IsAlias() || e.Target != "fonta" || e.Dir != 1 {
		t.Errorf("alias entry %+v", e)
	}
	for i, want := range []*Font{f, g} {
		got, err := c.ReadFont(&c.Entries[i])
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("font %d: got %+v\nwant %+v", i, got, want)
		}
	}
	if _, err := c.ReadFont(&c.Entries[2]); err == nil {
		t.Error("ReadFont of an alias succeeded")
	}
}

// TestCorrupt damages the catalogue and a font's data: reading must fail
// cleanly, never panic or allocate wildly.
func TestCorrupt(t *testing.T) {
	b := write(t, sample())
	for n := range len(b) {
		if c, err := ReadCatalog(b[:n]); err == nil {
			for i := range c.Entries {
				c.ReadFont(&c.Entries[i])
			}
		}
	}
	for i := range len(b) {
		for _, v := range []byte{0, 1, 0x80, 0xff} {
			d := bytes.Clone(b)
			d[i] = v
			if c, err := ReadCatalog(d); err == nil {
				for j := range c.Entries {
					c.ReadFont(&c.Entries[j])
				}
			}
		}
	}
	raw := sample().encode()
	for n := range len(raw) {
		if _, err := decode(raw[:n]); err == nil {
			t.Errorf("truncated to %d bytes decoded", n)
		}
	}
	for i := range len(raw) {
		for _, v := range []byte{0, 0x80, 0xff} {
			d := bytes.Clone(raw)
			d[i] = v
			decode(d)
		}
	}
}

// TestEmbeddedData reads every font of the committed data file.
func TestEmbeddedData(t *testing.T) {
	b, err := os.ReadFile("../../fonts.bin")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ReadCatalog(b)
	if err != nil {
		t.Fatal(err)
	}
	raw := 0
	for i := range c.Entries {
		e := &c.Entries[i]
		if e.IsAlias() {
			continue
		}
		f, err := c.ReadFont(e)
		if err != nil {
			t.Fatal(err)
		}
		raw += len(f.encode())
		// The inflated data is what encode makes of the decoded font.
		zr := flate.NewReader(bytes.NewReader(c.data[e.off : e.off+e.n]))
		inflated, _ := io.ReadAll(zr)
		if !bytes.Equal(inflated, f.encode()) {
			t.Errorf("%s: does not re-encode to its data", e.Name)
		}
	}
	t.Logf("%d entries, %d bytes compressed, %d inflated", len(c.Entries), len(b), raw)
}
