package font

import (
	"errors"

	"netdisplay/xserver/fb"
	"netdisplay/xserver/font/internal/fontdata"
)

// A CharInfo is one character's metrics, as QueryFont reports them: the
// box of its set pixels relative to its origin, and its advance. A
// nonexistent character has all fields zero.
type CharInfo struct {
	LeftBearing, RightBearing, Width, Ascent, Descent int16
	Attributes                                        uint16
}

// A Prop is a font property. When IsAtom is set its value is the atom named
// Atom, which the server interns; otherwise it is Value (signed quantities
// such as negative offsets are in two's complement).
type Prop struct {
	Name   string
	Value  uint32
	IsAtom bool
	Atom   string
}

// DrawDirection values.
const (
	LeftToRight = 0
	RightToLeft = 1
)

// A Font is an opened font: what QueryFont and ListFontsWithInfo report,
// and the glyphs text is drawn with. It is immutable and may be shared.
//
// Characters are 16-bit: for a linear font (MaxByte1 == 0) the character
// index itself, for a matrix font byte1<<8 | byte2.
type Font struct {
	// Name is the font's own name, lowercase: the XLFD name, or "cursor".
	// Opening an alias or a pattern returns the font it resolves to.
	Name  string
	Props []Prop

	MinBounds, MaxBounds           CharInfo
	MinCharOrByte2, MaxCharOrByte2 uint16
	MinByte1, MaxByte1             uint8
	DefaultChar                    uint16
	DrawDirection                  uint8
	AllCharsExist                  bool
	Ascent, Descent                int16 // font-ascent and font-descent

	cols     int      // MaxCharOrByte2 - MinCharOrByte2 + 1
	encoding []uint16 // cell → glyph index, or none
	ink      []CharInfo
	glyphs   []fb.Glyph
	def      *fb.Glyph // the default character's glyph, or nil
}

const none = 0xffff

func newFont(name string, d *fontdata.Font) (*Font, error) {
	if len(d.Metrics) != len(d.Bitmaps) || d.Ink != nil && len(d.Ink) != len(d.Metrics) {
		return nil, errors.New("inconsistent glyph tables")
	}
	f := &Font{
		Name:           name,
		MinCharOrByte2: d.FirstCol,
		MaxCharOrByte2: d.LastCol,
		MinByte1:       uint8(d.FirstRow),
		MaxByte1:       uint8(d.LastRow),
		DefaultChar:    d.DefaultChar,
		DrawDirection:  d.DrawDirection,
		Ascent:         d.FontAscent,
		Descent:        d.FontDescent,
		// X.Org's QueryFont reports the ink bounds.
		MinBounds: CharInfo(d.InkMinBounds),
		MaxBounds: CharInfo(d.InkMaxBounds),
		cols:      int(d.LastCol) - int(d.FirstCol) + 1,
		encoding:  d.Encoding,
	}
	for _, p := range d.Props {
		f.Props = append(f.Props, Prop{Name: p.Name, Value: p.Value, IsAtom: p.IsAtom, Atom: p.Atom})
	}
	f.AllCharsExist = true
	for _, e := range f.encoding {
		if e == none {
			f.AllCharsExist = false
			break
		}
	}

	// Per-character metrics as QueryFont gives them: the ink metrics when
	// the font has them, as in X.Org.
	src := d.Ink
	if src == nil {
		src = d.Metrics
	}
	f.ink = make([]CharInfo, len(src))
	for i, m := range src {
		f.ink[i] = CharInfo(m)
	}

	// Glyphs, for drawing, from the full metrics: the bitmap fills their box.
	// All the bitmaps share one array.
	words := 0
	for _, m := range d.Metrics {
		w := int(m.RightBearing) - int(m.LeftBearing)
		words += (w + 31) / 32 * (int(m.Ascent) + int(m.Descent))
	}
	bits := make([]uint32, words)
	f.glyphs = make([]fb.Glyph, len(d.Metrics))
	for i, m := range d.Metrics {
		g := &f.glyphs[i]
		g.Width = int(m.RightBearing) - int(m.LeftBearing)
		g.Height = int(m.Ascent) + int(m.Descent)
		g.Left = int(m.LeftBearing)
		g.Ascent = int(m.Ascent)
		g.Advance = int(m.Width)
		g.Stride = (g.Width + 31) / 32
		n := g.Stride * g.Height
		g.Bits, bits = bits[:n:n], bits[n:]
		rowBytes := (g.Width + 7) / 8
		if len(d.Bitmaps[i]) != rowBytes*g.Height {
			return nil, errors.New("glyph bitmap of the wrong size")
		}
		for j := range g.Height {
			row := d.Bitmaps[i][j*rowBytes : (j+1)*rowBytes]
			for b, v := range row {
				// Stored most significant bit leftmost; fb wants the least.
				g.Bits[j*g.Stride+b/4] |= uint32(reverse8(v)) << (8 * uint(b%4))
			}
		}
	}
	if i := f.index(f.DefaultChar); i != none {
		f.def = &f.glyphs[i]
	}
	return f, nil
}

func reverse8(b byte) byte {
	b = b>>4 | b<<4
	b = (b&0xcc)>>2 | (b&0x33)<<2
	return (b&0xaa)>>1 | (b&0x55)<<1
}

// index returns the glyph index of character ch, or none. ch is a linear
// index or byte1<<8 | byte2 as the font's encoding has it.
func (f *Font) index(ch uint16) int {
	var cell int
	if f.MaxByte1 == 0 {
		cell = int(ch) - int(f.MinCharOrByte2)
		if cell < 0 || cell >= f.cols {
			return none
		}
	} else {
		r := int(ch>>8) - int(f.MinByte1)
		c := int(ch&0xff) - int(f.MinCharOrByte2)
		if r < 0 || r > int(f.MaxByte1-f.MinByte1) || c < 0 || c >= f.cols {
			return none
		}
		cell = r*f.cols + c
	}
	if cell >= len(f.encoding) {
		return none
	}
	return int(f.encoding[cell])
}

// Char returns the metrics QueryFont reports for character ch, all zero
// when it does not exist.
func (f *Font) Char(ch uint16) CharInfo {
	if i := f.index(ch); i != none {
		return f.ink[i]
	}
	return CharInfo{}
}

// NumChars returns the number of CHARINFOs QueryFont sends: one per cell of
// the character range, rows × columns.
func (f *Font) NumChars() int {
	return f.cols * (int(f.MaxByte1) - int(f.MinByte1) + 1)
}

// CharInfos returns the metrics of every character in QueryFont's order:
// for a matrix font row by row, each row from MinCharOrByte2 to
// MaxCharOrByte2. A QueryFont reply is 60 bytes, 8 per property and 12 per
// CharInfo.
func (f *Font) CharInfos() []CharInfo {
	out := make([]CharInfo, f.NumChars())
	for cell, i := range f.encoding[:len(out)] {
		if i != none {
			out[cell] = f.ink[i]
		}
	}
	return out
}

// Glyph returns the glyph of character ch, or nil if the font has none;
// there is no default character substitution. CreateGlyphCursor uses it.
func (f *Font) Glyph(ch uint16) *fb.Glyph {
	if i := f.index(ch); i != none {
		return &f.glyphs[i]
	}
	return nil
}

// Glyphs8 appends to dst the glyphs that 8-bit text draws (PolyText8,
// ImageText8) and returns the extended slice. A character the font lacks
// is drawn as the default character if that exists and is skipped if not.
// As in X.Org, a matrix font whose rows start past 0 draws nothing of
// 8-bit text.
func (f *Font) Glyphs8(dst []*fb.Glyph, text []byte) []*fb.Glyph {
	if f.MinByte1 > 0 {
		return dst
	}
	for _, c := range text {
		cell := int(c) - int(f.MinCharOrByte2)
		i := none
		if cell >= 0 && cell < f.cols {
			i = int(f.encoding[cell])
		}
		switch {
		case i != none:
			dst = append(dst, &f.glyphs[i])
		case f.def != nil:
			dst = append(dst, f.def)
		}
	}
	return dst
}

// Glyphs16 appends to dst the glyphs that 16-bit text draws (PolyText16,
// ImageText16), each character byte1<<8 | byte2, with the substitution of
// Glyphs8.
func (f *Font) Glyphs16(dst []*fb.Glyph, text []uint16) []*fb.Glyph {
	for _, c := range text {
		if i := f.index(c); i != none {
			dst = append(dst, &f.glyphs[i])
		} else if f.def != nil {
			dst = append(dst, f.def)
		}
	}
	return dst
}

// Extents is the reply to QueryTextExtents.
type Extents struct {
	DrawDirection                           uint8
	FontAscent, FontDescent                 int16
	OverallAscent, OverallDescent           int16
	OverallWidth, OverallLeft, OverallRight int32
}

// TextExtents returns the extents of text as QueryTextExtents does, each
// character byte1<<8 | byte2. Characters with all-zero metrics are ignored;
// a character the font lacks counts as the default character if that
// exists and is ignored if not. The metrics are those of QueryFont.
func (f *Font) TextExtents(text []uint16) Extents {
	e := Extents{DrawDirection: f.DrawDirection, FontAscent: f.Ascent, FontDescent: f.Descent}
	def := f.Char(f.DefaultChar)
	hasDef := !zero(def)
	first := true
	for _, c := range text {
		ci := f.Char(c)
		if zero(ci) {
			if !hasDef {
				continue
			}
			ci = def
		}
		if first {
			first = false
			e.OverallAscent, e.OverallDescent = ci.Ascent, ci.Descent
			e.OverallLeft, e.OverallRight = int32(ci.LeftBearing), int32(ci.RightBearing)
			e.OverallWidth = int32(ci.Width)
			continue
		}
		e.OverallAscent = max(e.OverallAscent, ci.Ascent)
		e.OverallDescent = max(e.OverallDescent, ci.Descent)
		e.OverallLeft = min(e.OverallLeft, e.OverallWidth+int32(ci.LeftBearing))
		e.OverallRight = max(e.OverallRight, e.OverallWidth+int32(ci.RightBearing))
		e.OverallWidth += int32(ci.Width)
	}
	return e
}

// zero reports whether a character's metrics mark it as nonexistent: X.Org
// treats zero bearings, width, ascent and descent so, whatever the
// attributes.
func zero(ci CharInfo) bool {
	return ci.LeftBearing == 0 && ci.RightBearing == 0 && ci.Width == 0 && ci.Ascent == 0 && ci.Descent == 0
}
