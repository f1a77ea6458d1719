package term

import (
	"image"

	"github.com/gdamore/tcell/v2"
)

// upperHalf shows its foreground above its background: two pixels a cell.
const upperHalf = "▀"

// A painter draws framebuffer pixels into the terminal's cells through a
// view.
type painter struct {
	screen tcell.Screen
	depth  depth
	view   *view
}

// paint redraws the cells that show the framebuffer rectangle r.
func (p *painter) paint(img *image.RGBA, r image.Rectangle) {
	v := p.view
	r = r.Intersect(img.Rect)
	if r.Empty() || v.cols == 0 || v.rows == 0 {
		return
	}
	c0, c1 := touching(v.xs, r.Min.X, r.Max.X)
	h0, h1 := touching(v.ys, r.Min.Y, r.Max.Y)
	p.cells(img, c0, c1, h0/2, (h1+1)/2)
}

// paintAll redraws the whole image area.
func (p *painter) paintAll(img *image.RGBA) {
	p.cells(img, 0, p.view.cols, 0, p.view.rows)
}

// clear blanks the image area, for when there is nothing to show.
func (p *painter) clear() {
	for y := 0; y < p.view.rows; y++ {
		for x := 0; x < p.view.cols; x++ {
			p.screen.Put(x, y, " ", tcell.StyleDefault)
		}
	}
}

// cells redraws columns [c0, c1) of rows [r0, r1).
func (p *painter) cells(img *image.RGBA, c0, c1, r0, r1 int) {
	v := p.view
	for row := r0; row < r1; row++ {
		y0, y1 := span(v.ys, 2*row)
		y2, y3 := span(v.ys, 2*row+1)
		for col := c0; col < c1; col++ {
			x0, x1 := span(v.xs, col)
			top, okTop := average(img, x0, x1, y0, y1)
			bottom, okBottom := average(img, x0, x1, y2, y3)
			switch {
			case okTop && okBottom:
				st := tcell.StyleDefault.Foreground(p.depth.color(top.r, top.g, top.b)).Background(p.depth.color(bottom.r, bottom.g, bottom.b))
				p.screen.Put(col, row, upperHalf, st)
			case okTop:
				p.screen.Put(col, row, upperHalf, tcell.StyleDefault.Foreground(p.depth.color(top.r, top.g, top.b)))
			default:
				p.screen.Put(col, row, " ", tcell.StyleDefault)
			}
		}
	}
}

type rgb struct{ r, g, b uint8 }

// average returns the mean colour of the pixels in [x0, x1) x [y0, y1)
// that are inside img, and whether there were any: a box filter.
func average(img *image.RGBA, x0, x1, y0, y1 int) (rgb, bool) {
	b := img.Rect
	x0, x1 = max(x0, b.Min.X), min(x1, b.Max.X)
	y0, y1 = max(y0, b.Min.Y), min(y1, b.Max.Y)
	if x0 >= x1 || y0 >= y1 {
		return rgb{}, false
	}
	if x1-x0 == 1 && y1-y0 == 1 {
		p := img.Pix[img.PixOffset(x0, y0):]
		return rgb{p[0], p[1], p[2]}, true
	}
	var r, g, bl uint32
	for y := y0; y < y1; y++ {
		o := img.PixOffset(x0, y)
		row := img.Pix[o : o+4*(x1-x0)]
		for i := 0; i+3 < len(row); i += 4 {
			r += uint32(row[i])
			g += uint32(row[i+1])
			bl += uint32(row[i+2])
		}
	}
	n := uint32((x1 - x0) * (y1 - y0))
	return rgb{uint8((r + n/2) / n), uint8((g + n/2) / n), uint8((bl + n/2) / n)}, true
}
