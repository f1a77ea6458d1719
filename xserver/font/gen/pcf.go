package main

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// PCF is the Portable Compiled Format of X11 bitmap fonts, as bdftopcf
// writes it and libXfont reads it. A file is a table of contents followed
// by tables; each table starts with its format word again, and the format
// says the byte order of the table's integers and, for bitmaps, the bit
// order, padding and scan unit.

const pcfVersion = 0x70636601 // "\x01fcp" read least significant byte first

// Table types.
const (
	pcfProperties      = 1 << 0
	pcfAccelerators    = 1 << 1
	pcfMetrics         = 1 << 2
	pcfBitmaps         = 1 << 3
	pcfInkMetrics      = 1 << 4
	pcfBDFEncodings    = 1 << 5
	pcfSWidths         = 1 << 6
	pcfGlyphNames      = 1 << 7
	pcfBDFAccelerators = 1 << 8
)

// Format word fields.
const (
	pcfFormatMask        = 0xffffff00
	pcfDefaultFormat     = 0x00000000
	pcfAccelWInkBounds   = 0x00000100
	pcfCompressedMetrics = 0x00000100

	pcfGlyphPadMask = 3 << 0 // padding of each bitmap row: 1 << n bytes
	pcfByteMask     = 1 << 2 // set: integers most significant byte first
	pcfBitMask      = 1 << 3 // set: bitmaps most significant bit first
	pcfScanUnitMask = 3 << 4 // bitmap scan unit: 1 << n bytes
)

// A metric is one character's metrics as PCF stores them.
type metric struct {
	LeftBearing, RightBearing, Width, Ascent, Descent int16
	Attributes                                        uint16
}

// A prop is a font property; string values are resolved.
type prop struct {
	Name     string
	IsString bool
	Value    uint32
	String   string
}

// An accel is an accelerator table: flags and bounds computed over the
// font.
type accel struct {
	NoOverlap, ConstantMetrics, TerminalFont, ConstantWidth bool
	InkInside, InkMetrics                                   bool
	DrawDirection                                           uint8
	FontAscent, FontDescent, MaxOverlap                     int32
	MinBounds, MaxBounds                                    metric
	InkMinBounds, InkMaxBounds                              metric
}

// A pcfFont is a parsed PCF file, reduced to what the X server uses.
type pcfFont struct {
	Props   []prop
	Accel   accel
	Metrics []metric
	Ink     []metric // nil when the file has no ink metrics table
	// Bitmaps holds each glyph's rows, most significant bit first, each row
	// padded to a whole byte: (RightBearing-LeftBearing+7)/8 bytes per row,
	// Ascent+Descent rows.
	Bitmaps [][]byte

	FirstCol, LastCol, FirstRow, LastRow uint16
	DefaultChar                          uint16
	// Encoding maps (row-FirstRow)*cols + (col-FirstCol) to a glyph index,
	// or 0xffff where there is no glyph.
	Encoding []uint16
}

type pcfTable struct {
	typ, format, size, offset uint32
}

// A pcfReader reads integers from one table in the table's byte order,
// remembering the first error so that callers check once.
type pcfReader struct {
	data  []byte
	pos   int
	order binary.ByteOrder
	err   error
}

func (r *pcfReader) need(n int) bool {
	if r.err != nil {
		return false
	}
	if n < 0 || r.pos+n > len(r.data) {
		r.err = errors.New("pcf: table truncated")
		return false
	}
	return true
}

func (r *pcfReader) u8() uint8 {
	if !r.need(1) {
		return 0
	}
	r.pos++
	return r.data[r.pos-1]
}

func (r *pcfReader) u16() uint16 {
	if !r.need(2) {
		return 0
	}
	r.pos += 2
	return r.order.Uint16(r.data[r.pos-2:])
}

func (r *pcfReader) u32() uint32 {
	if !r.need(4) {
		return 0
	}
	r.pos += 4
	return r.order.Uint32(r.data[r.pos-4:])
}

func (r *pcfReader) bytes(n int) []byte {
	if !r.need(n) {
		return nil
	}
	r.pos += n
	return r.data[r.pos-n : r.pos]
}

func (r *pcfReader) metric() metric {
	return metric{
		LeftBearing:  int16(r.u16()),
		RightBearing: int16(r.u16()),
		Width:        int16(r.u16()),
		Ascent:       int16(r.u16()),
		Descent:      int16(r.u16()),
		Attributes:   r.u16(),
	}
}

// compressedMetric reads the five-byte form, each value offset by 0x80.
func (r *pcfReader) compressedMetric() metric {
	v := r.bytes(5)
	if v == nil {
		return metric{}
	}
	return metric{
		LeftBearing:  int16(v[0]) - 0x80,
		RightBearing: int16(v[1]) - 0x80,
		Width:        int16(v[2]) - 0x80,
		Ascent:       int16(v[3]) - 0x80,
		Descent:      int16(v[4]) - 0x80,
	}
}

// Limits that keep a hostile file from making us allocate without bound.
const (
	maxGlyphs = 1 << 16
	maxProps  = 1 << 12
)

// parsePCF parses a whole PCF file.
func parsePCF(data []byte) (*pcfFont, error) {
	if len(data) < 8 || binary.LittleEndian.Uint32(data) != pcfVersion {
		return nil, errors.New("pcf: not a PCF file")
	}
	n := binary.LittleEndian.Uint32(data[4:])
	if n > 64 || 8+16*int(n) > len(data) {
		return nil, fmt.Errorf("pcf: bad table count %d", n)
	}
	tables := make(map[uint32]pcfTable)
	for i := range int(n) {
		b := data[8+16*i:]
		t := pcfTable{
			typ:    binary.LittleEndian.Uint32(b),
			format: binary.LittleEndian.Uint32(b[4:]),
			size:   binary.LittleEndian.Uint32(b[8:]),
			offset: binary.LittleEndian.Uint32(b[12:]),
		}
		// bdftopcf rounds the last table's size up past the end of the
		// file; libXfont reads what is there, and so do we.
		if uint64(t.offset)+4 > uint64(len(data)) {
			return nil, fmt.Errorf("pcf: table %#x lies outside the file", t.typ)
		}
		t.size = uint32(min(uint64(t.size), uint64(len(data))-uint64(t.offset)))
		if t.size < 4 {
			return nil, fmt.Errorf("pcf: table %#x is too short", t.typ)
		}
		if _, dup := tables[t.typ]; !dup {
			tables[t.typ] = t
		}
	}
	// open returns a reader positioned after the table's own format word,
	// which is the one that counts.
	open := func(typ uint32) (*pcfReader, uint32, bool) {
		t, ok := tables[typ]
		if !ok {
			return nil, 0, false
		}
		tb := data[t.offset : t.offset+t.size]
		format := binary.LittleEndian.Uint32(tb)
		r := &pcfReader{data: tb, pos: 4, order: binary.LittleEndian}
		if format&pcfByteMask != 0 {
			r.order = binary.BigEndian
		}
		return r, format, true
	}

	f := new(pcfFont)
	var err error
	if f.Props, err = parseProps(open(pcfProperties)); err != nil {
		return nil, err
	}

	// Like libXfont, prefer the BDF accelerators, computed over the
	// encoded glyphs only.
	r, format, ok := open(pcfBDFAccelerators)
	if !ok {
		r, format, ok = open(pcfAccelerators)
	}
	if !ok {
		return nil, errors.New("pcf: no accelerators")
	}
	if f.Accel, err = parseAccel(r, format); err != nil {
		return nil, err
	}

	r, format, ok = open(pcfMetrics)
	if !ok {
		return nil, errors.New("pcf: no metrics")
	}
	if f.Metrics, err = parseMetrics(r, format); err != nil {
		return nil, err
	}
	if r, format, ok = open(pcfInkMetrics); ok {
		if f.Ink, err = parseMetrics(r, format); err != nil {
			return nil, err
		}
		if len(f.Ink) != len(f.Metrics) {
			return nil, errors.New("pcf: ink metrics and metrics differ in count")
		}
	}

	r, format, ok = open(pcfBitmaps)
	if !ok {
		return nil, errors.New("pcf: no bitmaps")
	}
	if f.Bitmaps, err = parseBitmaps(r, format, f.Metrics); err != nil {
		return nil, err
	}

	r, format, ok = open(pcfBDFEncodings)
	if !ok {
		return nil, errors.New("pcf: no encodings")
	}
	if err = f.parseEncodings(r, format); err != nil {
		return nil, err
	}
	return f, nil
}

func parseProps(r *pcfReader, format uint32, ok bool) ([]prop, error) {
	if !ok {
		return nil, errors.New("pcf: no properties")
	}
	if format&pcfFormatMask != pcfDefaultFormat {
		return nil, fmt.Errorf("pcf: bad properties format %#x", format)
	}
	n := int(int32(r.u32()))
	if n < 0 || n > maxProps {
		return nil, fmt.Errorf("pcf: bad property count %d", n)
	}
	type raw struct {
		name, value uint32
		isString    bool
	}
	raws := make([]raw, n)
	for i := range raws {
		raws[i].name = r.u32()
		raws[i].isString = r.u8() != 0
		raws[i].value = r.u32()
	}
	if n&3 != 0 {
		r.bytes(4 - n&3)
	}
	strs := r.bytes(int(int32(r.u32())))
	if r.err != nil {
		return nil, r.err
	}
	str := func(off uint32) (string, error) {
		if off >= uint32(len(strs)) {
			return "", errors.New("pcf: property string out of bounds")
		}
		s := strs[off:]
		for i, c := range s {
			if c == 0 {
				return string(s[:i]), nil
			}
		}
		return string(s), nil
	}
	props := make([]prop, n)
	for i, rp := range raws {
		name, err := str(rp.name)
		if err != nil {
			return nil, err
		}
		props[i] = prop{Name: name, IsString: rp.isString, Value: rp.value}
		if rp.isString {
			if props[i].String, err = str(rp.value); err != nil {
				return nil, err
			}
			props[i].Value = 0
		}
	}
	return props, nil
}

func parseAccel(r *pcfReader, format uint32) (accel, error) {
	var a accel
	ff := format & pcfFormatMask
	if ff != pcfDefaultFormat && ff != pcfAccelWInkBounds {
		return a, fmt.Errorf("pcf: bad accelerators format %#x", format)
	}
	a.NoOverlap = r.u8() != 0
	a.ConstantMetrics = r.u8() != 0
	a.TerminalFont = r.u8() != 0
	a.ConstantWidth = r.u8() != 0
	a.InkInside = r.u8() != 0
	a.InkMetrics = r.u8() != 0
	a.DrawDirection = r.u8()
	r.u8() // padding
	a.FontAscent = int32(r.u32())
	a.FontDescent = int32(r.u32())
	a.MaxOverlap = int32(r.u32())
	a.MinBounds = r.metric()
	a.MaxBounds = r.metric()
	if ff == pcfAccelWInkBounds {
		a.InkMinBounds = r.metric()
		a.InkMaxBounds = r.metric()
	} else {
		a.InkMinBounds, a.InkMaxBounds = a.MinBounds, a.MaxBounds
	}
	return a, r.err
}

func parseMetrics(r *pcfReader, format uint32) ([]metric, error) {
	var n int
	compressed := false
	switch format & pcfFormatMask {
	case pcfDefaultFormat:
		n = int(int32(r.u32()))
	case pcfCompressedMetrics:
		n = int(r.u16())
		compressed = true
	default:
		return nil, fmt.Errorf("pcf: bad metrics format %#x", format)
	}
	if n < 0 || n > maxGlyphs {
		return nil, fmt.Errorf("pcf: bad metrics count %d", n)
	}
	m := make([]metric, n)
	for i := range m {
		if compressed {
			m[i] = r.compressedMetric()
		} else {
			m[i] = r.metric()
		}
	}
	return m, r.err
}

// parseBitmaps reads the glyph images and converts them to one canonical
// form: most significant bit first, rows padded to bytes.
func parseBitmaps(r *pcfReader, format uint32, metrics []metric) ([][]byte, error) {
	if format&pcfFormatMask != pcfDefaultFormat {
		return nil, fmt.Errorf("pcf: bad bitmaps format %#x", format)
	}
	n := int(int32(r.u32()))
	if n != len(metrics) {
		return nil, fmt.Errorf("pcf: %d bitmaps for %d metrics", n, len(metrics))
	}
	offsets := make([]uint32, n)
	for i := range offsets {
		offsets[i] = r.u32()
	}
	var sizes [4]uint32
	for i := range sizes {
		sizes[i] = r.u32()
	}
	padIndex := format & pcfGlyphPadMask
	pad := 1 << padIndex
	unit := 1 << ((format & pcfScanUnitMask) >> 4)
	if unit > pad {
		// A scan unit never spans two rows in files that bdftopcf writes;
		// refuse rather than guess.
		return nil, fmt.Errorf("pcf: scan unit %d exceeds row padding %d", unit, pad)
	}
	bits := r.bytes(int(sizes[padIndex]))
	if r.err != nil {
		return nil, r.err
	}
	msbBit := format&pcfBitMask != 0
	msbByte := format&pcfByteMask != 0

	out := make([][]byte, n)
	for i, m := range metrics {
		w := int(m.RightBearing) - int(m.LeftBearing)
		h := int(m.Ascent) + int(m.Descent)
		if w < 0 || h < 0 || w > 1024 || h > 1024 {
			return nil, fmt.Errorf("pcf: glyph %d has bad size %dx%d", i, w, h)
		}
		stride := (w + 7) / 8
		padded := (stride + pad - 1) / pad * pad
		start := int64(offsets[i])
		if start+int64(padded*h) > int64(len(bits)) {
			return nil, fmt.Errorf("pcf: glyph %d bitmap out of bounds", i)
		}
		g := make([]byte, stride*h)
		for y := range h {
			row := bits[int(start)+y*padded : int(start)+(y+1)*padded]
			for x := range stride {
				// Byte x of the row, in image order, is stored at a
				// position that depends on how scan units are laid out:
				// when byte and bit order disagree, the bytes within
				// each unit are reversed.
				src := x
				if msbByte != msbBit && unit > 1 {
					src = x/unit*unit + (unit - 1 - x%unit)
				}
				b := row[src]
				if !msbBit {
					b = reverseBits(b)
				}
				g[y*stride+x] = b
			}
			// Clear the padding bits past the glyph's width so that equal
			// glyphs have equal bytes.
			if w%8 != 0 {
				g[y*stride+stride-1] &= byte(0xff << (8 - w%8))
			}
		}
		out[i] = g
	}
	return out, nil
}

func reverseBits(b byte) byte {
	b = b>>4 | b<<4
	b = (b&0xcc)>>2 | (b&0x33)<<2
	b = (b&0xaa)>>1 | (b&0x55)<<1
	return b
}

func (f *pcfFont) parseEncodings(r *pcfReader, format uint32) error {
	if format&pcfFormatMask != pcfDefaultFormat {
		return fmt.Errorf("pcf: bad encodings format %#x", format)
	}
	f.FirstCol = r.u16()
	f.LastCol = r.u16()
	f.FirstRow = r.u16()
	f.LastRow = r.u16()
	f.DefaultChar = r.u16()
	if r.err != nil {
		return r.err
	}
	// The limits libXfont enforces: columns fit a byte, rows too.
	if f.FirstCol > f.LastCol || f.FirstRow > f.LastRow || f.LastCol-f.FirstCol > 255 || f.LastRow > 255 {
		return fmt.Errorf("pcf: bad encoding ranges cols %d-%d rows %d-%d", f.FirstCol, f.LastCol, f.FirstRow, f.LastRow)
	}
	if f.LastRow > 0 && f.LastCol > 255 {
		return errors.New("pcf: matrix encoding with columns past 255")
	}
	n := int(f.LastCol-f.FirstCol+1) * int(f.LastRow-f.FirstRow+1)
	f.Encoding = make([]uint16, n)
	for i := range f.Encoding {
		e := r.u16()
		if e != 0xffff && int(e) >= len(f.Metrics) {
			return fmt.Errorf("pcf: encoding %d names glyph %d of %d", i, e, len(f.Metrics))
		}
		f.Encoding[i] = e
	}
	return r.err
}
