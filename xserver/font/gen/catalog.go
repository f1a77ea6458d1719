package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// fonts.dir and fonts.alias are the two index files of an X font
// directory. fonts.dir is a count line and then "file name" lines;
// fonts.alias has "alias target" lines, '!' comments, and names that may be
// quoted and may use backslash escapes.

// parseFontsDir returns the font name of each file.
func parseFontsDir(data []byte) (map[string]string, error) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	names := make(map[string]string)
	first := true
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if first {
			first = false
			continue // the count
		}
		if line == "" {
			continue
		}
		file, name, ok := strings.Cut(line, " ")
		if !ok {
			return nil, fmt.Errorf("fonts.dir: bad line %q", line)
		}
		names[file] = strings.TrimSpace(name)
	}
	return names, sc.Err()
}

type aliasLine struct{ name, target string }

// parseFontsAlias returns the aliases in file order.
func parseFontsAlias(data []byte) ([]aliasLine, error) {
	var out []aliasLine
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		t := strings.TrimSpace(line)
		if t == "" || t[0] == '!' {
			continue
		}
		words, err := aliasWords(t)
		if err != nil {
			return nil, err
		}
		if len(words) == 1 && words[0] == "FILE_NAMES_ALIASES" {
			continue // would alias file names; the directories we read don't use it
		}
		if len(words) != 2 {
			return nil, fmt.Errorf("fonts.alias: bad line %q", line)
		}
		out = append(out, aliasLine{words[0], words[1]})
	}
	return out, sc.Err()
}

// aliasWords splits a fonts.alias line into words, honouring quotes and
// backslashes.
func aliasWords(s string) ([]string, error) {
	var words []string
	var w strings.Builder
	in, quoted, escaped := false, false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case escaped:
			w.WriteByte(c)
			escaped = false
		case c == '\\':
			escaped, in = true, true
		case c == '"':
			quoted = !quoted
			in = true
		case (c == ' ' || c == '\t') && !quoted:
			if in {
				words = append(words, w.String())
				w.Reset()
				in = false
			}
		default:
			w.WriteByte(c)
			in = true
		}
	}
	if quoted || escaped {
		return nil, errors.New("fonts.alias: unterminated quote or escape")
	}
	if in {
		words = append(words, w.String())
	}
	return words, nil
}
