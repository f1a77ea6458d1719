// Package fontdata is the format of the font data that netdisplay embeds:
// a catalogue of font and alias names, and each font's metrics and glyphs
// compressed on its own so that opening one font decompresses only it.
//
// The generator writes it from PCF files; the font package reads it. All
// integers are little-endian. The layout is:
//
//	magic "ndfont1\n"
//	u16 number of directories, then each directory's name
//	u16 number of entries, then each entry:
//	    u8 directory, u8 kind (0 font, 1 alias), name,
//	    font: file name, u32 offset, u32 compressed length
//	    alias: target
//	the fonts' compressed data, offsets counting from here
//
// Strings are a u16 length and bytes. A font's data, once inflated, is
// described by Font's encode method.
package fontdata

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

const magic = "ndfont1\n"

// A Metric is one character's metrics, as PCF and the X protocol have them.
type Metric struct {
	LeftBearing, RightBearing, Width, Ascent, Descent int16
	Attributes                                        uint16
}

// A Prop is a font property. An atom-valued property has its atom's name in
// Atom; any other has its number in Value.
type Prop struct {
	Name   string
	IsAtom bool
	Value  uint32
	Atom   string
}

// A Font is one font's data.
type Font struct {
	Props []Prop

	FirstCol, LastCol uint16
	FirstRow, LastRow uint16
	DefaultChar       uint16
	DrawDirection     uint8 // 0 left to right, 1 right to left
	NoOverlap         bool
	ConstantMetrics   bool
	TerminalFont      bool
	ConstantWidth     bool
	InkInside         bool
	FontAscent        int16
	FontDescent       int16
	MaxOverlap        int16
	MinBounds         Metric
	MaxBounds         Metric
	InkMinBounds      Metric
	InkMaxBounds      Metric
	Metrics           []Metric // per glyph: the box its bitmap fills
	Ink               []Metric // per glyph, or nil: the box of its set pixels
	Bitmaps           [][]byte // per glyph: rows, most significant bit first, each padded to a byte
	Encoding          []uint16 // (row-FirstRow)*cols + col-FirstCol → glyph, 0xffff for none
}

// An Entry is a name in the catalogue.
type Entry struct {
	Dir    int    // index in Catalog.Dirs
	Name   string // lowered, as the X server lists it
	Target string // for an alias: the name or pattern it stands for
	File   string // for a font: the file it was made from
	off    uint32
	n      uint32
}

// IsAlias reports whether e is an alias.
func (e *Entry) IsAlias() bool { return e.File == "" }

// A Catalog is the table of contents of the data.
type Catalog struct {
	Dirs    []string
	Entries []Entry
	data    []byte // the compressed fonts
}

// Limits that keep corrupt data from making the reader allocate without
// bound.
const (
	maxGlyphs   = 1 << 16
	maxEncoding = 1 << 16
	maxProps    = 1 << 10
	maxBitmap   = 1 << 20 // bytes in one glyph
	maxFont     = 64 << 20
)

// Write writes a catalogue of dirs and entries, with fonts[i] the data of
// the i'th font entry, in the order the entries have them.
func Write(w io.Writer, dirs []string, entries []Entry, fonts []*Font) error {
	var data bytes.Buffer
	var head buf
	head.b = append(head.b, magic...)
	head.u16(uint16(len(dirs)))
	for _, d := range dirs {
		head.str(d)
	}
	head.u16(uint16(len(entries)))
	next := 0
	for _, e := range entries {
		head.u8(uint8(e.Dir))
		if e.IsAlias() {
			head.u8(1)
			head.str(e.Name)
			head.str(e.Target)
			continue
		}
		head.u8(0)
		head.str(e.Name)
		head.str(e.File)
		if next >= len(fonts) {
			return errors.New("fontdata: more font entries than fonts")
		}
		off := data.Len()
		zw, err := flate.NewWriter(&data, flate.BestCompression)
		if err != nil {
			return err
		}
		if _, err := zw.Write(fonts[next].encode()); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		next++
		head.u32(uint32(off))
		head.u32(uint32(data.Len() - off))
	}
	if _, err := w.Write(head.b); err != nil {
		return err
	}
	_, err := w.Write(data.Bytes())
	return err
}

// ReadCatalog reads the catalogue; the fonts stay compressed in b until
// ReadFont.
func ReadCatalog(b []byte) (*Catalog, error) {
	if !bytes.HasPrefix(b, []byte(magic)) {
		return nil, errors.New("fontdata: bad magic")
	}
	r := &reader{b: b, pos: len(magic)}
	c := new(Catalog)
	nd := int(r.u16())
	for range nd {
		c.Dirs = append(c.Dirs, r.str())
	}
	ne := int(r.u16())
	for range ne {
		var e Entry
		e.Dir = int(r.u8())
		kind := r.u8()
		e.Name = r.str()
		switch kind {
		case 0:
			e.File = r.str()
			e.off = r.u32()
			e.n = r.u32()
			if e.File == "" {
				return nil, errors.New("fontdata: font entry without a file")
			}
		case 1:
			e.Target = r.str()
		default:
			return nil, fmt.Errorf("fontdata: bad entry kind %d", kind)
		}
		if r.err == nil && e.Dir >= nd {
			return nil, fmt.Errorf("fontdata: entry %q in directory %d of %d", e.Name, e.Dir, nd)
		}
		c.Entries = append(c.Entries, e)
	}
	if r.err != nil {
		return nil, r.err
	}
	c.data = b[r.pos:]
	for _, e := range c.Entries {
		if !e.IsAlias() && uint64(e.off)+uint64(e.n) > uint64(len(c.data)) {
			return nil, fmt.Errorf("fontdata: data of %q out of bounds", e.Name)
		}
	}
	return c, nil
}

// ReadFont inflates and decodes the font of entry e.
func (c *Catalog) ReadFont(e *Entry) (*Font, error) {
	if e.IsAlias() {
		return nil, fmt.Errorf("fontdata: %q is an alias", e.Name)
	}
	if uint64(e.off)+uint64(e.n) > uint64(len(c.data)) {
		return nil, fmt.Errorf("fontdata: data of %q out of bounds", e.Name)
	}
	zr := flate.NewReader(bytes.NewReader(c.data[e.off : e.off+e.n]))
	raw, err := io.ReadAll(io.LimitReader(zr, maxFont+1))
	if err != nil {
		return nil, fmt.Errorf("fontdata: %q: %v", e.Name, err)
	}
	if len(raw) > maxFont {
		return nil, fmt.Errorf("fontdata: %q too large", e.Name)
	}
	f, err := decode(raw)
	if err != nil {
		return nil, fmt.Errorf("fontdata: %q: %v", e.Name, err)
	}
	return f, nil
}

// A font's data, inflated:
//
//	u16 number of properties, then each: name, u8 is-atom, atom name or u32 value
//	u16 FirstCol, LastCol, FirstRow, LastRow, DefaultChar
//	u8 DrawDirection, u8 flags (NoOverlap 1, ConstantMetrics 2, TerminalFont 4,
//	   ConstantWidth 8, InkInside 16, has ink metrics 32)
//	i16 FontAscent, FontDescent, MaxOverlap
//	metrics MinBounds, MaxBounds, InkMinBounds, InkMaxBounds
//	u32 number of glyphs
//	metrics of every glyph, then ink metrics if present, each as six arrays
//	    of one field over all glyphs (which compresses better than records)
//	u16 encoding, one per cell of the column × row matrix
//	bitmaps, one after another, sized by the metrics
//
// A metric on its own is six 16-bit fields in CHARINFO order.

func (f *Font) encode() []byte {
	var b buf
	b.u16(uint16(len(f.Props)))
	for _, p := range f.Props {
		b.str(p.Name)
		if p.IsAtom {
			b.u8(1)
			b.str(p.Atom)
		} else {
			b.u8(0)
			b.u32(p.Value)
		}
	}
	b.u16(f.FirstCol)
	b.u16(f.LastCol)
	b.u16(f.FirstRow)
	b.u16(f.LastRow)
	b.u16(f.DefaultChar)
	b.u8(f.DrawDirection)
	var flags uint8
	for i, set := range []bool{f.NoOverlap, f.ConstantMetrics, f.TerminalFont, f.ConstantWidth, f.InkInside, f.Ink != nil} {
		if set {
			flags |= 1 << i
		}
	}
	b.u8(flags)
	b.u16(uint16(f.FontAscent))
	b.u16(uint16(f.FontDescent))
	b.u16(uint16(f.MaxOverlap))
	for _, m := range []Metric{f.MinBounds, f.MaxBounds, f.InkMinBounds, f.InkMaxBounds} {
		b.metric(m)
	}
	b.u32(uint32(len(f.Metrics)))
	b.metrics(f.Metrics)
	if f.Ink != nil {
		b.metrics(f.Ink)
	}
	for _, e := range f.Encoding {
		b.u16(e)
	}
	for _, bm := range f.Bitmaps {
		b.b = append(b.b, bm...)
	}
	return b.b
}

func decode(raw []byte) (*Font, error) {
	r := &reader{b: raw}
	f := new(Font)
	np := int(r.u16())
	if np > maxProps {
		return nil, errors.New("too many properties")
	}
	for range np {
		p := Prop{Name: r.str(), IsAtom: r.u8() != 0}
		if p.IsAtom {
			p.Atom = r.str()
		} else {
			p.Value = r.u32()
		}
		f.Props = append(f.Props, p)
	}
	f.FirstCol = r.u16()
	f.LastCol = r.u16()
	f.FirstRow = r.u16()
	f.LastRow = r.u16()
	f.DefaultChar = r.u16()
	f.DrawDirection = r.u8()
	flags := r.u8()
	f.NoOverlap = flags&1 != 0
	f.ConstantMetrics = flags&2 != 0
	f.TerminalFont = flags&4 != 0
	f.ConstantWidth = flags&8 != 0
	f.InkInside = flags&16 != 0
	f.FontAscent = int16(r.u16())
	f.FontDescent = int16(r.u16())
	f.MaxOverlap = int16(r.u16())
	f.MinBounds = r.metric()
	f.MaxBounds = r.metric()
	f.InkMinBounds = r.metric()
	f.InkMaxBounds = r.metric()
	if r.err != nil {
		return nil, r.err
	}
	if f.FirstCol > f.LastCol || f.FirstRow > f.LastRow || f.LastCol-f.FirstCol > 255 || f.LastRow > 255 {
		return nil, errors.New("bad character ranges")
	}
	ng := int(r.u32())
	if ng > maxGlyphs {
		return nil, errors.New("too many glyphs")
	}
	f.Metrics = r.metrics(ng)
	if flags&32 != 0 {
		f.Ink = r.metrics(ng)
	}
	ne := int(f.LastCol-f.FirstCol+1) * int(f.LastRow-f.FirstRow+1)
	if ne > maxEncoding {
		return nil, errors.New("encoding too large")
	}
	if r.err != nil {
		return nil, r.err
	}
	f.Encoding = make([]uint16, ne)
	for i := range f.Encoding {
		f.Encoding[i] = r.u16()
		if f.Encoding[i] != 0xffff && int(f.Encoding[i]) >= ng {
			return nil, errors.New("encoding names a missing glyph")
		}
	}
	f.Bitmaps = make([][]byte, ng)
	for i, m := range f.Metrics {
		w := int(m.RightBearing) - int(m.LeftBearing)
		h := int(m.Ascent) + int(m.Descent)
		if w < 0 || h < 0 || (w+7)/8*h > maxBitmap {
			return nil, fmt.Errorf("glyph %d has bad size %dx%d", i, w, h)
		}
		f.Bitmaps[i] = r.bytes((w + 7) / 8 * h)
	}
	if r.err != nil {
		return nil, r.err
	}
	if r.pos != len(raw) {
		return nil, errors.New("trailing data")
	}
	return f, nil
}

type buf struct{ b []byte }

func (b *buf) u8(v uint8)   { b.b = append(b.b, v) }
func (b *buf) u16(v uint16) { b.b = binary.LittleEndian.AppendUint16(b.b, v) }
func (b *buf) u32(v uint32) { b.b = binary.LittleEndian.AppendUint32(b.b, v) }

func (b *buf) str(s string) {
	b.u16(uint16(len(s)))
	b.b = append(b.b, s...)
}

func (b *buf) metric(m Metric) {
	for _, v := range [...]uint16{uint16(m.LeftBearing), uint16(m.RightBearing), uint16(m.Width), uint16(m.Ascent), uint16(m.Descent), m.Attributes} {
		b.u16(v)
	}
}

func (b *buf) metrics(ms []Metric) {
	for _, m := range ms {
		b.u16(uint16(m.LeftBearing))
	}
	for _, m := range ms {
		b.u16(uint16(m.RightBearing))
	}
	for _, m := range ms {
		b.u16(uint16(m.Width))
	}
	for _, m := range ms {
		b.u16(uint16(m.Ascent))
	}
	for _, m := range ms {
		b.u16(uint16(m.Descent))
	}
	for _, m := range ms {
		b.u16(m.Attributes)
	}
}

// A reader decodes, remembering the first error so callers check once.
type reader struct {
	b   []byte
	pos int
	err error
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.b)-r.pos {
		r.err = errors.New("fontdata: truncated")
		return nil
	}
	r.pos += n
	return r.b[r.pos-n : r.pos : r.pos]
}

func (r *reader) u8() uint8 {
	if v := r.bytes(1); v != nil {
		return v[0]
	}
	return 0
}

func (r *reader) u16() uint16 {
	if v := r.bytes(2); v != nil {
		return binary.LittleEndian.Uint16(v)
	}
	return 0
}

func (r *reader) u32() uint32 {
	if v := r.bytes(4); v != nil {
		return binary.LittleEndian.Uint32(v)
	}
	return 0
}

func (r *reader) str() string { return string(r.bytes(int(r.u16()))) }

func (r *reader) metric() Metric {
	return Metric{int16(r.u16()), int16(r.u16()), int16(r.u16()), int16(r.u16()), int16(r.u16()), r.u16()}
}

func (r *reader) metrics(n int) []Metric {
	// Check the size before allocating: six fields of two bytes per glyph.
	if r.err == nil && 12*n > len(r.b)-r.pos {
		r.err = errors.New("fontdata: truncated")
	}
	if r.err != nil {
		return nil
	}
	ms := make([]Metric, n)
	for i := range ms {
		ms[i].LeftBearing = int16(r.u16())
	}
	for i := range ms {
		ms[i].RightBearing = int16(r.u16())
	}
	for i := range ms {
		ms[i].Width = int16(r.u16())
	}
	for i := range ms {
		ms[i].Ascent = int16(r.u16())
	}
	for i := range ms {
		ms[i].Descent = int16(r.u16())
	}
	for i := range ms {
		ms[i].Attributes = r.u16()
	}
	return ms
}
