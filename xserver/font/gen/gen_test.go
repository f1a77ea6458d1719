package main

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

const root = "/usr/share/fonts/X11"

// needFonts skips unless the font directories the generator reads exist.
func needFonts(t *testing.T) {
	t.Helper()
	for _, d := range manifest {
		if _, err := os.Stat(filepath.Join(root, d.name, "fonts.dir")); err != nil {
			t.Skipf("skipped: needs %s (Debian package %s)", filepath.Join(root, d.name), d.pkg)
		}
	}
}

// TestReproducible checks that the committed data is what the generator
// makes from the installed fonts, byte for byte.
func TestReproducible(t *testing.T) {
	needFonts(t)
	var b bytes.Buffer
	if err := generate(&b, root); err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("../fonts.bin")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), committed) {
		t.Fatalf("generated data (%d bytes) differs from ../fonts.bin (%d bytes): run go generate in xserver/font", b.Len(), len(committed))
	}
}

func readTestFont(t *testing.T, file string) []byte {
	t.Helper()
	needFonts(t)
	f, err := readFontFile(filepath.Join(root, "misc", file))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// pcfVariant says how to write a PCF file.
type pcfVariant struct {
	msbByte, msbBit bool
	padIndex        uint32 // glyph row padding 1<<padIndex bytes
	unitIndex       uint32 // scan unit 1<<unitIndex bytes
	compressed      bool   // compressed metrics
	bdfAccel        bool   // write BDF accelerators rather than plain ones
	inkBounds       bool   // accelerators carry ink bounds
}

// writePCF encodes f in the variant's format, the inverse of parsePCF.
func writePCF(f *pcfFont, v pcfVariant) []byte {
	format := v.padIndex | v.unitIndex<<4
	if v.msbByte {
		format |= pcfByteMask
	}
	if v.msbBit {
		format |= pcfBitMask
	}
	var order binary.ByteOrder = binary.LittleEndian
	if v.msbByte {
		order = binary.BigEndian
	}
	type table struct {
		typ, format uint32
		data        []byte
	}
	var tables []table
	newTable := func(typ, fmtWord uint32) *bytes.Buffer {
		b := new(bytes.Buffer)
		binary.Write(b, binary.LittleEndian, fmtWord)
		tables = append(tables, table{typ: typ, format: fmtWord})
		return b
	}
	put := func(b *bytes.Buffer, v any) { binary.Write(b, order, v) }
	done := func(b *bytes.Buffer) { tables[len(tables)-1].data = b.Bytes() }

	// Properties.
	b := newTable(pcfProperties, format&^pcfGlyphPadMask&^pcfScanUnitMask)
	var strs bytes.Buffer
	str := func(s string) uint32 {
		off := uint32(strs.Len())
		strs.WriteString(s)
		strs.WriteByte(0)
		return off
	}
	put(b, int32(len(f.Props)))
	for _, p := range f.Props {
		put(b, str(p.Name))
		if p.IsString {
			put(b, uint8(1))
			put(b, str(p.String))
		} else {
			put(b, uint8(0))
			put(b, p.Value)
		}
	}
	if n := len(f.Props); n&3 != 0 {
		b.Write(make([]byte, 4-n&3))
	}
	put(b, int32(strs.Len()))
	b.Write(strs.Bytes())
	done(b)

	// Accelerators.
	accelType := uint32(pcfAccelerators)
	if v.bdfAccel {
		accelType = pcfBDFAccelerators
	}
	af := format
	if v.inkBounds {
		af |= pcfAccelWInkBounds
	}
	b = newTable(accelType, af)
	a := f.Accel
	for _, flag := range []bool{a.NoOverlap, a.ConstantMetrics, a.TerminalFont, a.ConstantWidth, a.InkInside, a.InkMetrics} {
		put(b, flag)
	}
	put(b, a.DrawDirection)
	put(b, uint8(0))
	put(b, a.FontAscent)
	put(b, a.FontDescent)
	put(b, a.MaxOverlap)
	put(b, a.MinBounds)
	put(b, a.MaxBounds)
	if v.inkBounds {
		put(b, a.InkMinBounds)
		put(b, a.InkMaxBounds)
	}
	done(b)

	// Metrics and ink metrics.
	writeMetrics := func(typ uint32, ms []metric) {
		mf := format
		if v.compressed {
			mf |= pcfCompressedMetrics
		}
		b := newTable(typ, mf)
		if v.compressed {
			put(b, uint16(len(ms)))
			for _, m := range ms {
				b.Write([]byte{byte(m.LeftBearing + 0x80), byte(m.RightBearing + 0x80), byte(m.Width + 0x80), byte(m.Ascent + 0x80), byte(m.Descent + 0x80)})
			}
		} else {
			put(b, int32(len(ms)))
			for _, m := range ms {
				put(b, m)
			}
		}
		done(b)
	}
	writeMetrics(pcfMetrics, f.Metrics)
	if f.Ink != nil {
		writeMetrics(pcfInkMetrics, f.Ink)
	}

	// Bitmaps: rows padded, bits and bytes in the variant's orders.
	b = newTable(pcfBitmaps, format)
	pad, unit := 1<<v.padIndex, 1<<v.unitIndex
	var bits bytes.Buffer
	offsets := make([]uint32, len(f.Bitmaps))
	for i, g := range f.Bitmaps {
		offsets[i] = uint32(bits.Len())
		m := f.Metrics[i]
		w := int(m.RightBearing - m.LeftBearing)
		stride := (w + 7) / 8
		padded := (stride + pad - 1) / pad * pad
		for y := range int(m.Ascent + m.Descent) {
			row := make([]byte, padded)
			copy(row, g[y*stride:(y+1)*stride])
			if !v.msbBit {
				for j := range row {
					row[j] = reverseBits(row[j])
				}
			}
			if v.msbByte != v.msbBit {
				for j := 0; j+unit <= len(row); j += unit {
					for k := range unit / 2 {
						row[j+k], row[j+unit-1-k] = row[j+unit-1-k], row[j+k]
					}
				}
			}
			bits.Write(row)
		}
	}
	put(b, int32(len(f.Bitmaps)))
	for _, o := range offsets {
		put(b, o)
	}
	for i := range uint32(4) {
		if i == v.padIndex {
			put(b, uint32(bits.Len()))
		} else {
			put(b, uint32(0)) // unused by the reader
		}
	}
	b.Write(bits.Bytes())
	done(b)

	// Encodings.
	b = newTable(pcfBDFEncodings, format&^pcfGlyphPadMask&^pcfScanUnitMask)
	for _, x := range []uint16{f.FirstCol, f.LastCol, f.FirstRow, f.LastRow, f.DefaultChar} {
		put(b, x)
	}
	for _, e := range f.Encoding {
		put(b, e)
	}
	done(b)

	// Table of contents, then the tables, each aligned to 4 bytes.
	var out bytes.Buffer
	binary.Write(&out, binary.LittleEndian, uint32(pcfVersion))
	binary.Write(&out, binary.LittleEndian, uint32(len(tables)))
	off := 8 + 16*len(tables)
	for _, tb := range tables {
		for _, x := range []uint32{tb.typ, tb.format, uint32(len(tb.data)), uint32(off)} {
			binary.Write(&out, binary.LittleEndian, x)
		}
		off += (len(tb.data) + 3) &^ 3
	}
	for _, tb := range tables {
		out.Write(tb.data)
		out.Write(make([]byte, (4-len(tb.data)%4)%4))
	}
	return out.Bytes()
}

// TestPCFFormats writes a real font in every combination of byte order, bit
// order, padding, scan unit, metrics compression and accelerator kind, and
// checks that each reads back the same.
func TestPCFFormats(t *testing.T) {
	for _, file := range []string{"6x13-ISO8859-1.pcf.gz", "cursor.pcf.gz"} {
		orig, err := parsePCF(readTestFont(t, file))
		if err != nil {
			t.Fatal(err)
		}
		if orig.Ink == nil && file != "cursor.pcf.gz" {
			t.Errorf("%s: no ink metrics", file)
		}
		n := 0
		for _, msbByte := range []bool{false, true} {
			for _, msbBit := range []bool{false, true} {
				for pad := range uint32(4) {
					for unit := range pad + 1 {
						for _, compressed := range []bool{false, true} {
							for _, bdf := range []bool{false, true} {
								v := pcfVariant{msbByte, msbBit, pad, unit, compressed, bdf, bdf}
								got, err := parsePCF(writePCF(orig, v))
								if err != nil {
									t.Fatalf("%s %+v: %v", file, v, err)
								}
								want := *orig
								if !v.inkBounds {
									// Without ink bounds the reader uses the plain ones.
									want.Accel.InkMinBounds, want.Accel.InkMaxBounds = want.Accel.MinBounds, want.Accel.MaxBounds
								}
								if compressed {
									// The compressed form has no attributes.
									want.Metrics = noAttributes(want.Metrics)
									want.Ink = noAttributes(want.Ink)
								}
								if !reflect.DeepEqual(got, &want) {
									t.Fatalf("%s %+v: read back differently", file, v)
								}
								n++
							}
						}
					}
				}
			}
		}
		t.Logf("%s: %d formats", file, n)
	}
}

func noAttributes(ms []metric) []metric {
	if ms == nil {
		return nil
	}
	out := make([]metric, len(ms))
	for i, m := range ms {
		m.Attributes = 0
		out[i] = m
	}
	return out
}

// TestPCFCorrupt feeds the parser truncated and damaged files: it must
// return errors, never panic.
func TestPCFCorrupt(t *testing.T) {
	data := readTestFont(t, "6x13-ISO8859-1.pcf.gz")
	for n := 0; n < len(data); n += 7 {
		parsePCF(data[:n])
	}
	if _, err := parsePCF(data[:len(data)/2]); err == nil {
		t.Error("half a file parsed without error")
	}
	// Damage single bytes, including every byte of the table of contents
	// and of each table's header.
	for i := range len(data) {
		if i > 512 && i%13 != 0 {
			continue
		}
		for _, v := range []byte{0, 0x7f, 0x80, 0xff} {
			d := bytes.Clone(data)
			d[i] = v
			parsePCF(d)
		}
	}
}

func TestFontsAlias(t *testing.T) {
	got, err := parseFontsAlias([]byte(`! comment
fixed        -misc-fixed-medium-r-semicondensed--13-120-75-75-c-60-iso8859-1
hanzigb16st "-isas-song ti-medium-r-normal--16-160-72-72-c-160-gb2312.1980-0"
a\ b	c
FILE_NAMES_ALIASES
`))
	if err != nil {
		t.Fatal(err)
	}
	want := []aliasLine{
		{"fixed", "-misc-fixed-medium-r-semicondensed--13-120-75-75-c-60-iso8859-1"},
		{"hanzigb16st", "-isas-song ti-medium-r-normal--16-160-72-72-c-160-gb2312.1980-0"},
		{"a b", "c"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	for _, bad := range []string{"one\n", "a b c\n", "a \"b\n"} {
		if _, err := parseFontsAlias([]byte(bad)); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}
