package fontname

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestLower(t *testing.T) {
	for in, want := range map[string]string{
		"":                         "",
		"fixed":                    "fixed",
		"-Misc-Fixed-ISO8859-1":    "-misc-fixed-iso8859-1",
		"\xc0\xd6\xd7\xd8\xde\xdf": "\xe0\xf6\xd7\xf8\xfe\xdf", // Latin-1: × and ß have no case
	} {
		if got := Lower(in); got != want {
			t.Errorf("Lower(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCompare(t *testing.T) {
	// In X.Org's order: a run of digits sorts by its length first, so
	// "4x6" before "10x20" and "-7-" before "-13-".
	sorted := []string{
		"-misc-fixed-medium-r-normal--7-70-75-75-c-50-iso8859-1",
		"-misc-fixed-medium-r-normal--13-100-100-100-c-70-iso8859-1",
		"-misc-fixed-medium-r-normal--13-120-75-75-c-70-iso8859-1",
		"-misc-fixed-medium-r-normal--13-120-75-75-c-70-iso8859-2",
		"-misc-fixed-medium-r-normal--13-120-75-75-c-70-iso8859-10",
		"-misc-fixed-medium-r-normal--13-120-75-75-c-70-iso10646-1",
		"4x6", "5x7", "6x9", "6x10", "6x13", "6x13bold", "10x20", "cursor", "fixed",
	}
	for i := range sorted {
		for j := range sorted {
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := Compare(sorted[i], sorted[j]); got != want {
				t.Errorf("Compare(%q, %q) = %d, want %d", sorted[i], sorted[j], got, want)
			}
		}
	}
	// Leading zeros are not skipped: "007" is a longer run than "7".
	if Compare("a007", "a7") != 1 {
		t.Error("a007 should sort after a7")
	}
	// A consistent order on random names: sorting is stable under it.
	r := rand.New(rand.NewPCG(1, 2))
	names := make([]string, 300)
	for i := range names {
		var b strings.Builder
		for range r.IntN(8) {
			b.WriteByte("0129-ax"[r.IntN(7)])
		}
		names[i] = b.String()
	}
	slices.SortFunc(names, Compare)
	for i := 1; i < len(names); i++ {
		if Compare(names[i-1], names[i]) > 0 || Compare(names[i], names[i-1]) < 0 {
			t.Fatalf("order not consistent at %q, %q", names[i-1], names[i])
		}
	}
}

func TestMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, name string
		want          bool
	}{
		{"", "", true},
		{"", "a", false},
		{"*", "", true},
		{"*", "anything-at-all", true},
		{"?", "", false},
		{"?", "-", true},
		{"fixed", "fixed", true},
		{"fixed", "fixed2", false},
		{"fix*", "fixed", true},
		{"*xed", "fixed", true},
		{"f*d", "fixed", true},
		{"f*d", "fixedx", false},
		{"6x1?", "6x13", true},
		{"6x1?", "6x13bold", false},
		{"-*-fixed-*", "-misc-fixed-medium-r-normal--13-120-75-75-c-70-iso8859-1", true},
		{"-*-helvetica-bold-r-normal-*-*-120-*-*-*-*-iso8859-1", "-adobe-helvetica-bold-r-normal--12-120-75-75-p-70-iso8859-1", true},
		{"-*-helvetica-bold-r-normal-*-*-120-*-*-*-*-iso8859-1", "-adobe-helvetica-bold-r-normal--12-120-75-75-p-70-iso8859-15", false},
		{"*-1", "-x-iso8859-1", true},
		{"**a", "ba", true},
		{"*a*b", "aXbXaXc", false},
		{"*a*b*", "aXbXaXc", true},
	} {
		if got := Match(tc.pattern, tc.name); got != tc.want {
			t.Errorf("Match(%q, %q) = %v", tc.pattern, tc.name, got)
		}
	}
	// A pattern that backtracks badly in naive recursive matchers.
	long := strings.Repeat("a", 255)
	if Match(strings.Repeat("*a", 40)+"*b", long) {
		t.Error("pathological pattern matched")
	}
}

func FuzzMatch(f *testing.F) {
	f.Add("*a?b*", "xxaybzz")
	f.Fuzz(func(t *testing.T, pattern, name string) {
		// Must not panic, and a name always matches itself unless it
		// holds wildcards.
		Match(pattern, name)
		if !HasWild(name) && !Match(name, name) {
			t.Errorf("%q does not match itself", name)
		}
	})
}
