// Package font provides the bitmap fonts that netdisplay's X server offers,
// built into the binary: no font files are read at run time.
//
// The fonts are X.Org's own, converted from Debian's PCF files by the
// generator in ./gen: the misc-fixed family (which holds "fixed", the
// default font, and "cursor"), and Adobe Helvetica for a proportional
// family. Names, aliases, pattern matching, metrics and glyph lookup follow
// X.Org, so that a client sees what it would see on Xvfb with the same font
// path. LICENSES.md records each font's licence.
//
// The package knows nothing of the wire protocol: properties come with their
// names and, for atom-valued ones, the atom's name as a string, and the
// server interns them.
//
// Text drawing pairs this package with package fb: a PolyText8 item is
//
//	glyphs = f.Glyphs8(glyphs[:0], item)
//	x = fb.PolyText(canvas, gc, x+delta, y, glyphs)
//
// and ImageText8 is fb.ImageText(canvas, gc, x, y, int(f.Ascent),
// int(f.Descent), f.Glyphs8(nil, text)).
//
// A font is decoded on its first Open and kept for the life of the process
// (some 40 KB for an 8-bit font, 700 KB for an ISO 10646 one); CloseFont
// only drops the client's reference.
//
// Limits: bitmap fonts only, at their designed sizes (X.Org can also scale
// bitmap fonts to other sizes, and lists "-0-0-" names for that; we do
// not); no charset subsetting ("[32_126]" suffixes); one font path, fixed
// at build time.
package font

//go:generate go run ./gen -o fonts.bin

import (
	_ "embed"
	"errors"
	"fmt"
	"sync"

	"netdisplay/xserver/font/internal/fontdata"
	"netdisplay/xserver/font/internal/fontname"
)

//go:embed fonts.bin
var data []byte

// ErrNotFound is returned by Open when no font has the name or matches the
// pattern. The X server answers it with a Name error.
var ErrNotFound = errors.New("font: no such font")

// maxAliasDepth bounds how many aliases Open follows for one name, so that a
// loop of aliases ends.
const maxAliasDepth = 20

// The catalogue is read on first use; each font is decoded on its first
// Open and kept: fonts are immutable and shared by every client.
var (
	catalogOnce sync.Once
	catalog     *fontdata.Catalog
	catalogErr  error

	mu     sync.Mutex
	loaded = make(map[int]*Font) // by entry index
)

func readCatalog() (*fontdata.Catalog, error) {
	catalogOnce.Do(func() {
		catalog, catalogErr = fontdata.ReadCatalog(data)
	})
	return catalog, catalogErr
}

// List returns the names of fonts and aliases that match pattern, at most
// max of them, as the ListFonts request does: the pattern's case does not
// matter, '*' matches any run of characters and '?' any one, and the names
// are lowercase. Names come in font path order, each directory's sorted as
// X.Org sorts them (runs of digits compare as numbers). Aliases are listed
// by their own names.
func List(pattern string, max int) []string {
	c, err := readCatalog()
	if err != nil || max <= 0 {
		return nil
	}
	pattern = fontname.Lower(pattern)
	wild := fontname.HasWild(pattern)
	var names []string
	for _, e := range c.Entries {
		if wild && fontname.Match(pattern, e.Name) || !wild && pattern == e.Name {
			names = append(names, e.Name)
			if len(names) == max {
				break
			}
		}
	}
	return names
}

// A Listed is one answer of ListFontsWithInfo: the name the reply carries
// and the font whose information it carries.
type Listed struct {
	Name string
	Font *Font
}

// ListInfo returns the fonts that match pattern, at most max of them, as
// ListFontsWithInfo does: the names of List, except that X.Org replies to
// an alias with the name it stands for (the last target, for an alias of
// an alias; possibly itself a pattern) and the information of the font it
// resolves to.
func ListInfo(pattern string, max int) []Listed {
	c, err := readCatalog()
	if err != nil {
		return nil
	}
	var out []Listed
	for _, name := range List(pattern, max) {
		f, last, err := open(c, name)
		if err != nil {
			continue
		}
		out = append(out, Listed{Name: last, Font: f})
	}
	return out
}

// Open returns the font with the given name or, for a pattern, the first
// font List would name, following aliases as X.Org does. It returns
// ErrNotFound if there is none.
func Open(name string) (*Font, error) {
	c, err := readCatalog()
	if err != nil {
		return nil, err
	}
	f, _, err := open(c, name)
	return f, err
}

// open opens a font, also returning the name last looked up: the name
// itself, or the target of the last alias followed.
func open(c *fontdata.Catalog, name string) (*Font, string, error) {
	name = fontname.Lower(name)
	for range maxAliasDepth {
		i := lookup(c, name)
		if i < 0 {
			return nil, "", ErrNotFound
		}
		e := &c.Entries[i]
		if e.IsAlias() {
			name = e.Target
			continue
		}
		f, err := load(c, i)
		return f, name, err
	}
	return nil, "", fmt.Errorf("font: %q: too many levels of aliases", name)
}

// lookup returns the index of the first entry that is name or matches it,
// or -1.
func lookup(c *fontdata.Catalog, name string) int {
	wild := fontname.HasWild(name)
	for i := range c.Entries {
		n := c.Entries[i].Name
		if wild && fontname.Match(name, n) || !wild && name == n {
			return i
		}
	}
	return -1
}

func load(c *fontdata.Catalog, i int) (*Font, error) {
	mu.Lock()
	defer mu.Unlock()
	if f := loaded[i]; f != nil {
		return f, nil
	}
	e := &c.Entries[i]
	d, err := c.ReadFont(e)
	if err != nil {
		return nil, err
	}
	f, err := newFont(e.Name, d)
	if err != nil {
		return nil, fmt.Errorf("font: %s: %v", e.Name, err)
	}
	loaded[i] = f
	return f, nil
}
