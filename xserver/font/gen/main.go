// Command gen converts the X bitmap fonts that netdisplay bundles from
// Debian's PCF files into the embedded data file of package font.
//
// It reads the fonts named in the manifest below from the font directories
// (xfonts-base's misc and xfonts-75dpi's 75dpi), and every alias of those
// directories' fonts.alias whose target it bundles. Run it through
// `go generate` in xserver/font; the output depends only on the input
// files, so running it again reproduces the committed file byte for byte
// (with the same Go release: compress/flate's output is part of it).
package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"netdisplay/xserver/font/internal/fontdata"
	"netdisplay/xserver/font/internal/fontname"
)

// A dir is a font directory and the font files taken from it.
type dir struct {
	name    string // under the font root, as the X font path names it
	pkg     string // the Debian package that installs it
	files   []string
	aliases bool // whether to take aliases from its fonts.alias
}

// manifest lists the bundled fonts, in the order of Xvfb's default font
// path on Debian, so that listing and pattern matching find names in the
// same order as there. Licences are in ../LICENSES.md.
var manifest = []dir{
	{
		name: "misc",
		pkg:  "xfonts-base",
		files: []string{
			// The misc-fixed family in ISO 8859-1, every size. Public domain.
			"4x6-ISO8859-1.pcf.gz",
			"5x7-ISO8859-1.pcf.gz",
			"5x8-ISO8859-1.pcf.gz",
			"6x9-ISO8859-1.pcf.gz",
			"6x10-ISO8859-1.pcf.gz",
			"6x12-ISO8859-1.pcf.gz",
			"6x13-ISO8859-1.pcf.gz",
			"6x13B-ISO8859-1.pcf.gz",
			"6x13O-ISO8859-1.pcf.gz",
			"7x13-ISO8859-1.pcf.gz",
			"7x13B-ISO8859-1.pcf.gz",
			"7x13O-ISO8859-1.pcf.gz",
			"7x14-ISO8859-1.pcf.gz",
			"7x14B-ISO8859-1.pcf.gz",
			"8x13-ISO8859-1.pcf.gz",
			"8x13B-ISO8859-1.pcf.gz",
			"8x13O-ISO8859-1.pcf.gz",
			"9x15-ISO8859-1.pcf.gz",
			"9x15B-ISO8859-1.pcf.gz",
			"9x18-ISO8859-1.pcf.gz",
			"9x18B-ISO8859-1.pcf.gz",
			"10x20-ISO8859-1.pcf.gz",
			// The same family in ISO 10646-1, a matrix-encoded 16-bit font:
			// the size and weights of "fixed", which xterm asks for in a
			// UTF-8 locale.
			"6x13.pcf.gz",
			"6x13B.pcf.gz",
			// One font for each other charset the C.UTF-8 locale's font
			// sets ask for, so that Xlib programs find a font for every
			// charset (twm and Xt otherwise warn of "missing charsets").
			"6x13-ISO8859-2.pcf.gz",
			"6x13-ISO8859-3.pcf.gz",
			"6x13-ISO8859-4.pcf.gz",
			"6x13-ISO8859-5.pcf.gz",
			"6x13-ISO8859-7.pcf.gz",
			"6x13-ISO8859-9.pcf.gz",
			"6x13-ISO8859-13.pcf.gz",
			"6x13-ISO8859-14.pcf.gz",
			"6x13-ISO8859-15.pcf.gz",
			"6x13-KOI8-R.pcf.gz",
			"7x14-JISX0201.1976-0.pcf.gz",
			"k14.pcf.gz", // JIS X 0208, misc-fixed: public domain
			// The glyphs of CreateGlyphCursor. "Unencumbered".
			"cursor.pcf.gz",
		},
		aliases: true,
	},
	{
		name: "75dpi",
		pkg:  "xfonts-75dpi",
		files: []string{
			// Adobe Helvetica, regular and bold, in ISO 8859-1; "variable"
			// is an alias of the bold 12 point.
			"helvR08-ISO8859-1.pcf.gz",
			"helvR10-ISO8859-1.pcf.gz",
			"helvR12-ISO8859-1.pcf.gz",
			"helvR14-ISO8859-1.pcf.gz",
			"helvR18-ISO8859-1.pcf.gz",
			"helvR24-ISO8859-1.pcf.gz",
			"helvB08-ISO8859-1.pcf.gz",
			"helvB10-ISO8859-1.pcf.gz",
			"helvB12-ISO8859-1.pcf.gz",
			"helvB14-ISO8859-1.pcf.gz",
			"helvB18-ISO8859-1.pcf.gz",
			"helvB24-ISO8859-1.pcf.gz",
		},
		aliases: true,
	},
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("gen: ")
	root := flag.String("root", "/usr/share/fonts/X11", "the X font directories")
	out := flag.String("o", "fonts.bin", "output file")
	flag.Parse()

	var b bytes.Buffer
	if err := generate(&b, *root); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}

// generate writes the embedded data for the fonts under root.
func generate(w io.Writer, root string) error {
	var (
		dirs    []string
		entries []fontdata.Entry
		fonts   = make(map[string]*fontdata.Font) // by entry name
	)
	for di, d := range manifest {
		path := filepath.Join(root, d.name)
		dirData, err := os.ReadFile(filepath.Join(path, "fonts.dir"))
		if err != nil {
			return fmt.Errorf("%v (install the Debian package %s)", err, d.pkg)
		}
		names, err := parseFontsDir(dirData)
		if err != nil {
			return fmt.Errorf("%s: %v", path, err)
		}
		dirs = append(dirs, d.name)
		for _, file := range d.files {
			name, ok := names[file]
			if !ok {
				return fmt.Errorf("%s: %s is not in fonts.dir", path, file)
			}
			f, err := readFont(filepath.Join(path, file))
			if err != nil {
				return fmt.Errorf("%s: %v", file, err)
			}
			name = fontname.Lower(name)
			if _, dup := fonts[name]; dup {
				return fmt.Errorf("%s: font %q bundled twice", file, name)
			}
			fonts[name] = f
			entries = append(entries, fontdata.Entry{Dir: di, Name: name, File: file})
		}
	}

	// Aliases: take those that resolve, through the entries taken so far,
	// to a bundled font. Repeat, since an alias may name another alias.
	var aliases []fontdata.Entry
	for di, d := range manifest {
		if !d.aliases {
			continue
		}
		data, err := os.ReadFile(filepath.Join(root, d.name, "fonts.alias"))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		lines, err := parseFontsAlias(data)
		if err != nil {
			return fmt.Errorf("%s: %v", d.name, err)
		}
		for _, l := range lines {
			aliases = append(aliases, fontdata.Entry{Dir: di, Name: fontname.Lower(l.name), Target: fontname.Lower(l.target)})
		}
	}
	for {
		added := false
		for i, a := range aliases {
			if a.Name == "" || !resolves(entries, a.Target) {
				continue
			}
			if !slices.ContainsFunc(entries, func(e fontdata.Entry) bool { return e.Dir == a.Dir && e.Name == a.Name }) {
				entries = append(entries, a)
			}
			aliases[i].Name = ""
			added = true
		}
		if !added {
			break
		}
	}

	// Sort each directory as the X server does; directories keep their
	// font path order.
	slices.SortStableFunc(entries, func(a, b fontdata.Entry) int {
		if a.Dir != b.Dir {
			return a.Dir - b.Dir
		}
		return fontname.Compare(a.Name, b.Name)
	})
	var list []*fontdata.Font
	for _, e := range entries {
		if !e.IsAlias() {
			list = append(list, fonts[e.Name])
		}
	}
	return fontdata.Write(w, dirs, entries, list)
}

// resolves reports whether name, a font name or pattern, matches an entry.
func resolves(entries []fontdata.Entry, name string) bool {
	for _, e := range entries {
		if e.Name == name || fontname.HasWild(name) && fontname.Match(name, e.Name) {
			return true
		}
	}
	return false
}

// readFont reads a PCF file, gzip-compressed or not, and converts it.
func readFont(path string) (*fontdata.Font, error) {
	data, err := readFontFile(path)
	if err != nil {
		return nil, err
	}
	p, err := parsePCF(data)
	if err != nil {
		return nil, err
	}
	return convert(p), nil
}

// readFontFile returns the contents of a font file, inflated if its name
// ends in .gz.
func readFontFile(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil || !strings.HasSuffix(path, ".gz") {
		return data, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// convert turns a parsed PCF file into the embedded form.
func convert(p *pcfFont) *fontdata.Font {
	f := &fontdata.Font{
		FirstCol:        p.FirstCol,
		LastCol:         p.LastCol,
		FirstRow:        p.FirstRow,
		LastRow:         p.LastRow,
		DefaultChar:     p.DefaultChar,
		DrawDirection:   p.Accel.DrawDirection,
		NoOverlap:       p.Accel.NoOverlap,
		ConstantMetrics: p.Accel.ConstantMetrics,
		TerminalFont:    p.Accel.TerminalFont,
		ConstantWidth:   p.Accel.ConstantWidth,
		InkInside:       p.Accel.InkInside,
		FontAscent:      int16(p.Accel.FontAscent),
		FontDescent:     int16(p.Accel.FontDescent),
		MaxOverlap:      int16(p.Accel.MaxOverlap),
		MinBounds:       fontdata.Metric(p.Accel.MinBounds),
		MaxBounds:       fontdata.Metric(p.Accel.MaxBounds),
		InkMinBounds:    fontdata.Metric(p.Accel.InkMinBounds),
		InkMaxBounds:    fontdata.Metric(p.Accel.InkMaxBounds),
		Bitmaps:         p.Bitmaps,
		Encoding:        p.Encoding,
	}
	for _, pr := range p.Props {
		f.Props = append(f.Props, fontdata.Prop{Name: pr.Name, IsAtom: pr.IsString, Value: pr.Value, Atom: pr.String})
	}
	for _, m := range p.Metrics {
		f.Metrics = append(f.Metrics, fontdata.Metric(m))
	}
	if p.Ink != nil {
		f.Ink = make([]fontdata.Metric, 0, len(p.Ink))
		for _, m := range p.Ink {
			f.Ink = append(f.Ink, fontdata.Metric(m))
		}
	}
	return f
}
