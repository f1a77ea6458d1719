package fb

// Wide lines drawn with a function that reads the destination (xor, invert,
// ...) must touch each pixel once per request even where segments, joins and
// caps overlap. Like X.Org, the wide line code then gathers its spans in two
// groups, one per pen, instead of painting them at once, and paints the
// union of each group at the end. Spans added to one group are taken out of
// the other, so the later dash wins where an even and an odd dash meet.

// A spanSet is the spans of one piece of a line (a segment's polygon, a cap,
// a join), sorted by row. Only the spans inside the clip extents are kept;
// yMin and yMax are the first and last rows of the whole piece, which decide,
// as in X.Org, whether a new piece is taken out of the other group.
type spanSet struct {
	spans      []Span
	yMin, yMax int
}

type spanGroup struct {
	sets       []spanSet
	yMin, yMax int
	all        []Span // scratch for paint
}

const (
	maxShort = 32767
	minShort = -32768
)

// reset empties g, keeping its storage.
func (g *spanGroup) reset() {
	g.sets = g.sets[:0]
	g.yMin, g.yMax = maxShort, minShort
	g.all = g.all[:0]
}

// add appends set to g and takes its pixels out of other, if given.
func (g *spanGroup) add(set spanSet, other *spanGroup) {
	g.sets = append(g.sets, set)
	g.yMin = min(g.yMin, set.yMin)
	g.yMax = max(g.yMax, set.yMax)
	// X.Org's test is strict: a piece meeting the other group on a single
	// row does not subtract.
	if other != nil && other.yMin < set.yMax && set.yMin < other.yMax {
		other.subtract(set.spans)
	}
}

// subtract removes the pixels of sub, which holds at most one span per row
// and is sorted by row, from every set of g.
func (g *spanGroup) subtract(sub []Span) {
	if len(sub) == 0 {
		return
	}
	for i := range g.sets {
		s := &g.sets[i]
		if len(s.spans) == 0 || s.spans[0].Y > sub[len(sub)-1].Y || s.spans[len(s.spans)-1].Y < sub[0].Y {
			continue
		}
		var out []Span
		j := 0
		for _, sp := range s.spans {
			for j < len(sub) && sub[j].Y < sp.Y {
				j++
			}
			if j == len(sub) || sub[j].Y != sp.Y {
				out = append(out, sp)
				continue
			}
			x0, x1 := sub[j].X, sub[j].X+sub[j].W
			a0, a1 := sp.X, sp.X+sp.W
			if x0 >= a1 || a0 >= x1 {
				out = append(out, sp)
				continue
			}
			if a0 < x0 {
				out = append(out, Span{a0, sp.Y, x0 - a0})
			}
			if x1 < a1 {
				out = append(out, Span{x1, sp.Y, a1 - x1})
			}
		}
		s.spans = out
	}
}

// paint paints the union of g's spans with pen.
func (g *spanGroup) paint(p *painter, pen int) {
	all := g.all[:0]
	for _, s := range g.sets {
		all = append(all, s.spans...)
	}
	for _, s := range unionSpans(all) {
		p.span(pen, s.X, s.Y, s.W)
	}
	g.all = all
}

// carefulRop reports whether f reads the destination in a way that makes
// painting a pixel twice differ from painting it once (X.Org's
// miSpansCarefulRop).
func carefulRop(f Func) bool {
	return f&0xc == 0x8 || f&0x3 == 0x2
}
