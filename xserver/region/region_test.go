package region

import (
	"fmt"
	"image"
	"math/rand"
	"testing"
)

// The model: a region as a bitmap over a small grid. Random rectangles stay
// inside [lo, hi) on both axes, so the grid covers every pixel.
const lo, hi = -4, 28

type bitmap [hi - lo][hi - lo]bool

func (m *bitmap) at(x, y int) bool {
	if x < lo || x >= hi || y < lo || y >= hi {
		return false
	}
	return m[y-lo][x-lo]
}

func modelOf(r *Region) *bitmap {
	m := new(bitmap)
	for _, rr := range r.Rects() {
		for y := rr.Min.Y; y < rr.Max.Y; y++ {
			for x := rr.Min.X; x < rr.Max.X; x++ {
				m[y-lo][x-lo] = true
			}
		}
	}
	return m
}

func modelRects(rs []image.Rectangle) *bitmap {
	m := new(bitmap)
	for _, rr := range rs {
		for y := rr.Min.Y; y < rr.Max.Y; y++ {
			for x := rr.Min.X; x < rr.Max.X; x++ {
				m[y-lo][x-lo] = true
			}
		}
	}
	return m
}

func combine(a, b *bitmap, f func(a, b bool) bool) *bitmap {
	m := new(bitmap)
	for y := range m {
		for x := range m[y] {
			m[y][x] = f(a[y][x], b[y][x])
		}
	}
	return m
}

// canonical builds, independently of the package's algorithms, the banded
// form of a bitmap: maximal runs per row, consecutive rows with identical
// runs merged.
func canonical(m *bitmap) []image.Rectangle {
	type run struct{ x0, x1 int }
	rows := make([][]run, len(m))
	for y := range m {
		for x := 0; x < len(m[y]); {
			if !m[y][x] {
				x++
				continue
			}
			x0 := x
			for x < len(m[y]) && m[y][x] {
				x++
			}
			rows[y] = append(rows[y], run{x0 + lo, x + lo})
		}
	}
	same := func(a, b []run) bool {
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if a[i] != b[i] {
				return false
			}
		}
		return true
	}
	var out []image.Rectangle
	for y := 0; y < len(rows); {
		if len(rows[y]) == 0 {
			y++
			continue
		}
		y0 := y
		for y < len(rows) && same(rows[y], rows[y0]) {
			y++
		}
		for _, r := range rows[y0] {
			out = append(out, image.Rect(r.x0, y0+lo, r.x1, y+lo))
		}
	}
	return out
}

// check verifies the structural invariants of r and that it holds exactly
// the pixels of want.
func check(t *testing.T, what string, r *Region, want *bitmap) {
	t.Helper()
	if err := valid(r); err != nil {
		t.Fatalf("%s: invalid region %v: %v", what, r.Rects(), err)
	}
	got := modelOf(r)
	if *got != *want {
		t.Fatalf("%s: wrong pixels\ngot  %v\nwant %v", what, r.Rects(), canonical(want))
	}
	c := canonical(want)
	if len(c) != r.Len() {
		t.Fatalf("%s: not canonical\ngot  %v\nwant %v", what, r.Rects(), c)
	}
	for i := range c {
		if c[i] != r.Rects()[i] {
			t.Fatalf("%s: not canonical\ngot  %v\nwant %v", what, r.Rects(), c)
		}
	}
}

func valid(r *Region) error {
	rs := r.Rects()
	if len(rs) == 0 {
		if r.Bounds() != (image.Rectangle{}) {
			return fmt.Errorf("empty region with bounds %v", r.Bounds())
		}
		return nil
	}
	var b image.Rectangle
	for i, rr := range rs {
		if rr.Empty() {
			return fmt.Errorf("rect %d empty", i)
		}
		b = b.Union(rr)
		if i == 0 {
			continue
		}
		p := rs[i-1]
		if p.Min.Y == rr.Min.Y {
			if p.Max.Y != rr.Max.Y {
				return fmt.Errorf("rect %d: band with ragged bottom", i)
			}
			if p.Max.X >= rr.Min.X {
				return fmt.Errorf("rect %d: overlaps or touches its left neighbour", i)
			}
		} else if rr.Min.Y < p.Max.Y {
			return fmt.Errorf("rect %d: band overlaps the previous band", i)
		}
	}
	if b != r.Bounds() {
		return fmt.Errorf("bounds %v, want %v", r.Bounds(), b)
	}
	// Touching bands must differ.
	for i := 0; i < len(rs); {
		j := bandEnd(rs, i)
		if j < len(rs) && rs[i].Max.Y == rs[j].Min.Y {
			k := bandEnd(rs, j)
			if k-j == j-i {
				same := true
				for n := 0; n < j-i; n++ {
					if rs[i+n].Min.X != rs[j+n].Min.X || rs[i+n].Max.X != rs[j+n].Max.X {
						same = false
					}
				}
				if same {
					return fmt.Errorf("bands at %d and %d not coalesced", i, j)
				}
			}
		}
		i = j
	}
	return nil
}

func randRect(rng *rand.Rand) image.Rectangle {
	x, y := lo+rng.Intn(hi-lo), lo+rng.Intn(hi-lo)
	w, h := rng.Intn(12), rng.Intn(12)
	if rng.Intn(4) == 0 {
		w, h = rng.Intn(3), rng.Intn(20) // thin ones, and empty ones
	}
	return image.Rect(x, y, min(x+w, hi), min(y+h, hi))
}

func randRects(rng *rand.Rand) []image.Rectangle {
	n := rng.Intn(8)
	if rng.Intn(5) == 0 {
		n = rng.Intn(40)
	}
	rs := make([]image.Rectangle, n)
	for i := range rs {
		rs[i] = randRect(rng)
	}
	return rs
}

func TestNew(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 3000; i++ {
		rs := randRects(rng)
		check(t, fmt.Sprint("New", rs), New(rs...), modelRects(rs))
	}
}

func TestOperations(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	or := func(a, b bool) bool { return a || b }
	and := func(a, b bool) bool { return a && b }
	andNot := func(a, b bool) bool { return a && !b }
	for i := 0; i < 5000; i++ {
		ra, rb := randRects(rng), randRects(rng)
		a, b := New(ra...), New(rb...)
		ma, mb := modelRects(ra), modelRects(rb)
		a0, b0 := a.Clone(), b.Clone()
		mu, mi, ms, msr := combine(ma, mb, or), combine(ma, mb, and), combine(ma, mb, andNot), combine(mb, ma, andNot)

		check(t, "Union", new(Region).Union(a, b), mu)
		check(t, "Intersect", new(Region).Intersect(a, b), mi)
		check(t, "Subtract", new(Region).Subtract(a, b), ms)
		check(t, "Subtract reversed", new(Region).Subtract(b, a), msr)
		if !a.Equal(a0) || !b.Equal(b0) {
			t.Fatal("operands changed")
		}

		// Aliasing: the receiver as either operand, and as both.
		check(t, "z.Union(z, b)", a.Clone().Union(a.Clone(), b), mu)
		z := a.Clone()
		check(t, "z=a; z.Union(z, b)", z.Union(z, b), mu)
		z = b.Clone()
		check(t, "z=b; z.Union(a, z)", z.Union(a, z), mu)
		z = a.Clone()
		check(t, "z=a; z.Intersect(z, b)", z.Intersect(z, b), mi)
		z = b.Clone()
		check(t, "z=b; z.Intersect(a, z)", z.Intersect(a, z), mi)
		z = a.Clone()
		check(t, "z=a; z.Subtract(z, b)", z.Subtract(z, b), ms)
		z = b.Clone()
		check(t, "z=b; z.Subtract(a, z)", z.Subtract(a, z), ms)
		z = a.Clone()
		check(t, "z.Union(z, z)", z.Union(z, z), ma)
		z = a.Clone()
		check(t, "z.Intersect(z, z)", z.Intersect(z, z), ma)
		z = a.Clone()
		check(t, "z.Subtract(z, z)", z.Subtract(z, z), new(bitmap))

		// A receiver with leftover storage from earlier results.
		z = New(randRects(rng)...)
		z.Union(z, New(randRects(rng)...))
		check(t, "reused Union", z.Union(a, b), mu)
		check(t, "reused Intersect", z.Intersect(a, b), mi)
		check(t, "reused Subtract", z.Subtract(a, b), ms)

		// Rectangle forms.
		r := randRect(rng)
		mr := modelRects([]image.Rectangle{r})
		check(t, fmt.Sprint("UnionRect ", r), new(Region).UnionRect(a, r), combine(ma, mr, or))
		check(t, fmt.Sprint("IntersectRect ", r), new(Region).IntersectRect(a, r), combine(ma, mr, and))
		check(t, fmt.Sprint("SubtractRect ", r), new(Region).SubtractRect(a, r), combine(ma, mr, andNot))
		z = a.Clone()
		check(t, "z.UnionRect(z, r)", z.UnionRect(z, r), combine(ma, mr, or))
		z = a.Clone()
		check(t, "z.IntersectRect(z, r)", z.IntersectRect(z, r), combine(ma, mr, and))
		z = a.Clone()
		check(t, "z.SubtractRect(z, r)", z.SubtractRect(z, r), combine(ma, mr, andNot))

		// Equal is structural and agrees with the model.
		if got, want := a.Equal(b), *ma == *mb; got != want {
			t.Fatalf("Equal(%v, %v) = %v", a.Rects(), b.Rects(), got)
		}
	}
}

// Regions built in different orders from the same pixels are Equal.
func TestEqualCanonical(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for i := 0; i < 1000; i++ {
		rs := randRects(rng)
		a := New(rs...)
		b := new(Region)
		for j := len(rs) - 1; j >= 0; j-- {
			b.UnionRect(b, rs[j])
		}
		// Cut a hole and fill it again.
		c := a.Clone()
		r := randRect(rng)
		hole := new(Region).IntersectRect(c, r)
		c.SubtractRect(c, r).Union(c, hole)
		if !a.Equal(b) || !a.Equal(c) {
			t.Fatalf("not equal:\n%v\n%v\n%v", a.Rects(), b.Rects(), c.Rects())
		}
	}
}

// Damage accumulates as many small rectangles in scan order; the result must
// stay canonical.
func TestUnionRectSequence(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	for i := 0; i < 500; i++ {
		z := new(Region)
		var rs []image.Rectangle
		y := lo
		for y < hi-1 {
			r := image.Rect(lo+rng.Intn(20), y, lo+rng.Intn(20)+rng.Intn(10), y+1+rng.Intn(3))
			r.Max.Y = min(r.Max.Y, hi)
			if rng.Intn(3) == 0 {
				y = r.Max.Y
			}
			rs = append(rs, r)
			z.UnionRect(z, r)
			check(t, "sequence", z, modelRects(rs))
			if rng.Intn(2) == 0 {
				y++
			}
		}
	}
}

func TestQueries(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	for i := 0; i < 2000; i++ {
		rs := randRects(rng)
		a := New(rs...)
		m := modelRects(rs)
		for y := lo - 1; y <= hi; y++ {
			var row []image.Rectangle
			for _, r := range a.Rects() {
				if r.Min.Y <= y && y < r.Max.Y {
					row = append(row, r)
				}
			}
			got := a.Row(y)
			if len(got) != len(row) {
				t.Fatalf("Row(%d) of %v = %v, want %v", y, a.Rects(), got, row)
			}
			for k := range row {
				if got[k] != row[k] {
					t.Fatalf("Row(%d) of %v = %v, want %v", y, a.Rects(), got, row)
				}
			}
			from := a.From(y)
			for k, r := range a.Rects() {
				if r.Max.Y > y {
					if len(from) != a.Len()-k {
						t.Fatalf("From(%d) of %v = %v", y, a.Rects(), from)
					}
					break
				}
			}
			for x := lo - 1; x <= hi; x++ {
				if got, want := a.Contains(image.Pt(x, y)), m.at(x, y); got != want {
					t.Fatalf("Contains(%d,%d) of %v = %v", x, y, a.Rects(), got)
				}
			}
		}
		for k := 0; k < 20; k++ {
			r := randRect(rng)
			in, out := 0, 0
			for y := r.Min.Y; y < r.Max.Y; y++ {
				for x := r.Min.X; x < r.Max.X; x++ {
					if m.at(x, y) {
						in++
					} else {
						out++
					}
				}
			}
			want := Partial
			switch {
			case in == 0:
				want = Out
			case out == 0:
				want = In
			}
			if got := a.Overlap(r); got != want {
				t.Fatalf("Overlap(%v) of %v = %v, want %v", r, a.Rects(), got, want)
			}
		}
		dx, dy := rng.Intn(9)-4, rng.Intn(9)-4
		tr := a.Clone().Translate(dx, dy)
		if err := valid(tr); err != nil {
			t.Fatal(err)
		}
		for k, r := range tr.Rects() {
			if r != a.Rects()[k].Add(image.Pt(dx, dy)) {
				t.Fatalf("Translate: %v from %v", tr.Rects(), a.Rects())
			}
		}
	}
}

func TestZeroAndEdges(t *testing.T) {
	var z Region
	if !z.Empty() || z.Len() != 0 || z.Bounds() != (image.Rectangle{}) || z.Contains(image.Pt(0, 0)) {
		t.Fatal("zero region not empty")
	}
	if z.Overlap(image.Rect(0, 0, 1, 1)) != Out {
		t.Fatal("zero region overlaps")
	}
	z.UnionRect(&z, image.Rect(5, 5, 5, 9)) // empty rect
	if !z.Empty() {
		t.Fatal("empty rect added pixels")
	}
	if !Rect(image.Rectangle{Min: image.Pt(3, 3), Max: image.Pt(1, 1)}).Empty() {
		t.Fatal("inverted rect not empty")
	}
	z.UnionRect(&z, image.Rect(0, 0, 2, 2)).UnionRect(&z, image.Rect(2, 0, 4, 2))
	if z.Len() != 1 || z.Bounds() != image.Rect(0, 0, 4, 2) {
		t.Fatalf("touching rects not merged: %v", z.Rects())
	}
	if !z.Equal(Rect(image.Rect(0, 0, 4, 2))) {
		t.Fatal("Equal")
	}
	if z.Clear().Len() != 0 || !z.Equal(new(Region)) {
		t.Fatal("Clear")
	}
	if s := Partial.String(); s != "Partial" {
		t.Fatal(s)
	}
}

// The results must not share storage with the operands or with each other.
func TestNoSharing(t *testing.T) {
	a := New(image.Rect(0, 0, 10, 10), image.Rect(20, 0, 30, 10))
	b := New(image.Rect(5, 5, 25, 25))
	z := new(Region).Union(a, b)
	c := z.Clone()
	z.Subtract(z, a)
	if !c.Equal(new(Region).Union(a, b)) {
		t.Fatal("Clone shares storage")
	}
	w := new(Region).Set(z)
	z.Translate(100, 100)
	if w.Bounds().Min.X >= 100 {
		t.Fatal("Set shares storage")
	}
}

func benchRegion(n int, seed int64) *Region {
	rng := rand.New(rand.NewSource(seed))
	rs := make([]image.Rectangle, n)
	for i := range rs {
		x, y := rng.Intn(1000), rng.Intn(1000)
		rs[i] = image.Rect(x, y, x+10+rng.Intn(100), y+10+rng.Intn(100))
	}
	return New(rs...)
}

func BenchmarkUnion(b *testing.B) {
	x, y := benchRegion(100, 1), benchRegion(100, 2)
	z := new(Region)
	b.ReportMetric(float64(x.Len()+y.Len()), "rects-in")
	for b.Loop() {
		z.Union(x, y)
	}
}

func BenchmarkIntersect(b *testing.B) {
	x, y := benchRegion(100, 1), benchRegion(100, 2)
	z := new(Region)
	for b.Loop() {
		z.Intersect(x, y)
	}
}

func BenchmarkSubtract(b *testing.B) {
	x, y := benchRegion(100, 1), benchRegion(100, 2)
	z := new(Region)
	for b.Loop() {
		z.Subtract(x, y)
	}
}

// A window clip list: the window minus a few overlapping siblings.
func BenchmarkClipList(b *testing.B) {
	win := image.Rect(100, 100, 900, 700)
	sibs := []image.Rectangle{
		image.Rect(0, 0, 300, 300), image.Rect(500, 50, 800, 250),
		image.Rect(200, 400, 600, 800), image.Rect(850, 300, 1000, 500),
	}
	z := new(Region)
	for b.Loop() {
		z.SetRect(win)
		for _, s := range sibs {
			z.SubtractRect(z, s)
		}
	}
}

// Damage: many small rectangles unioned one at a time in scan order.
func BenchmarkUnionRectDamage(b *testing.B) {
	rng := rand.New(rand.NewSource(7))
	rs := make([]image.Rectangle, 200)
	for i := range rs {
		x, y := rng.Intn(1000), i*5
		rs[i] = image.Rect(x, y, x+16, y+16)
	}
	z := new(Region)
	for b.Loop() {
		z.Clear()
		for _, r := range rs {
			z.UnionRect(z, r)
		}
	}
}

func BenchmarkIntersectRect(b *testing.B) {
	x := benchRegion(200, 3)
	z := new(Region)
	for b.Loop() {
		z.IntersectRect(x, image.Rect(200, 200, 700, 700))
	}
}

func BenchmarkContains(b *testing.B) {
	x := benchRegion(200, 3)
	for i := 0; b.Loop(); i++ {
		x.Contains(image.Pt(i%1000, (i*7)%1000))
	}
}
