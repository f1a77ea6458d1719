package edit

// A pos is a place in the text: before the col'th character of a line.
type pos struct{ line, col int }

func (p pos) before(q pos) bool {
	return p.line < q.line || p.line == q.line && p.col < q.col
}

// A buffer is the text being edited, one slice of characters a line.
// Its methods keep positions valid and say which lines moved, so that the
// screen can follow with CopyArea.
type buffer struct {
	lines [][]rune
}

// clamp moves p to the nearest valid position.
func (b *buffer) clamp(p pos) pos {
	p.line = max(0, min(p.line, len(b.lines)-1))
	p.col = max(0, min(p.col, len(b.lines[p.line])))
	return p
}

// insert puts r at p and returns the position after it.
func (b *buffer) insert(p pos, r rune) pos {
	l := b.lines[p.line]
	l = append(l[:p.col], append([]rune{r}, l[p.col:]...)...)
	b.lines[p.line] = l
	return pos{p.line, p.col + 1}
}

// split breaks the line at p, and returns the start of the new line.
func (b *buffer) split(p pos) pos {
	l := b.lines[p.line]
	rest := append([]rune(nil), l[p.col:]...)
	b.lines[p.line] = l[:p.col:p.col]
	b.lines = append(b.lines[:p.line+1], append([][]rune{rest}, b.lines[p.line+1:]...)...)
	return pos{p.line + 1, 0}
}

// join appends line n+1 to line n.
func (b *buffer) join(n int) {
	b.lines[n] = append(b.lines[n], b.lines[n+1]...)
	b.lines = append(b.lines[:n+1], b.lines[n+2:]...)
}

// remove deletes the text from p to q (p before q) and returns how many
// whole lines went.
func (b *buffer) remove(p, q pos) int {
	if p.line == q.line {
		l := b.lines[p.line]
		b.lines[p.line] = append(l[:p.col], l[q.col:]...)
		return 0
	}
	tail := b.lines[q.line][q.col:]
	b.lines[p.line] = append(b.lines[p.line][:p.col], tail...)
	b.lines = append(b.lines[:p.line+1], b.lines[q.line+1:]...)
	return q.line - p.line
}

// count is the number of characters from p to q (p before q), a line
// break counting as one.
func (b *buffer) count(p, q pos) int {
	if p.line == q.line {
		return q.col - p.col
	}
	n := len(b.lines[p.line]) - p.col + 1
	for l := p.line + 1; l < q.line; l++ {
		n += len(b.lines[l]) + 1
	}
	return n + q.col
}
