// Package fontname holds the rules by which an X server compares font
// names: lowering, the order of names in a font directory, and pattern
// matching. The generator and the font package both use them, so that the
// catalogue is sorted and looked up the same way.
package fontname

// Lower lowers the ISO Latin-1 letters of s, as the X server does font names
// and patterns: "uppercase and lowercase do not matter".
func Lower(s string) string {
	for i := 0; i < len(s); i++ {
		if isUpper(s[i]) {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if isUpper(b[j]) {
					b[j] += 0x20
				}
			}
			return string(b)
		}
	}
	return s
}

func isUpper(c byte) bool {
	return 'A' <= c && c <= 'Z' || 0xc0 <= c && c <= 0xd6 || 0xd8 <= c && c <= 0xde
}

// Compare orders names as X.Org sorts a font directory: byte by byte,
// except that a run of digits in both names compares by its length first,
// so that "iso8859-2" sorts before "iso8859-10" and "-7-" before "-13-".
// Leading zeros are not skipped.
func Compare(a, b string) int {
	prevDigits := false
	for i := 0; ; i++ {
		if i >= len(a) && i >= len(b) {
			return 0
		}
		ca, cb := at(a, i), at(b, i)
		digits := isDigit(ca) && isDigit(cb)
		if digits && !prevDigits {
			j := i
			for isDigit(at(a, j)) && isDigit(at(b, j)) {
				j++
			}
			switch da, db := isDigit(at(a, j)), isDigit(at(b, j)); {
			case !da && db:
				return -1
			case da && !db:
				return 1
			}
		}
		if ca != cb {
			if ca < cb {
				return -1
			}
			return 1
		}
		prevDigits = digits
	}
}

// at returns s[i], or 0 past the end, as a C string would.
func at(s string, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return 0
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// HasWild reports whether pattern has a wildcard.
func HasWild(pattern string) bool {
	for i := 0; i < len(pattern); i++ {
		if pattern[i] == '*' || pattern[i] == '?' {
			return true
		}
	}
	return false
}

// Match reports whether name matches pattern, both already lowered: '*'
// matches any run of characters, '-' included, and '?' any one character.
func Match(pattern, name string) bool {
	// Iterative glob: on a mismatch, let the last '*' swallow one more
	// character. Linear in practice and never exponential.
	p, n := 0, 0
	star, mark := -1, 0
	for n < len(name) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, n
			p++
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == name[n]):
			p++
			n++
		case star >= 0:
			mark++
			p, n = star+1, mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
