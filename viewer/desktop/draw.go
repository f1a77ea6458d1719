package desktop

import (
	"image"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/ebitenutil"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
	"github.com/hajimehoshi/ebiten/v2/vector"
)

// This file is the viewer's side that only runs under ebiten: reading
// its input, and drawing.

var (
	background = color.RGBA{0x30, 0x30, 0x30, 0xff}
	overlayBG  = color.RGBA{0, 0, 0, 0xc0} // premultiplied: black, three quarters opaque
	messageBG  = color.RGBA{0, 0, 0x80, 0xff}
)

// The debug font's cell.
const charW, charH = 6, 16

// Draw shows the picture, scaled, with the overlay and any message over
// it. It draws only when something changed: the screen keeps what was
// drawn (SetScreenClearedEveryFrame(false)), and a frame without drawing
// costs ebiten almost nothing.
func (v *Viewer) Draw(screen *ebiten.Image) {
	size := screen.Bounds().Size()
	if !v.dirty && size == v.drawn {
		return
	}
	v.dirty, v.drawn = false, size
	screen.Fill(background)
	if tex := v.gl.tex; tex != nil && v.fb.X > 0 {
		vw := v.view()
		op := &ebiten.DrawImageOptions{}
		op.GeoM.Scale(vw.scale, vw.scale)
		op.GeoM.Translate(float64(vw.at.X), float64(vw.at.Y))
		op.Filter = ebiten.FilterLinear
		if v.filterName(vw.scale) == "nearest" {
			op.Filter = ebiten.FilterNearest
		}
		screen.DrawImage(tex, op)
	}
	if lines := v.overlayLines(); len(lines) > 0 {
		// The bottom left corner: applications put less there.
		_, h := textSize(lines)
		textBox(screen, image.Pt(0, max(size.Y-h, 0)), lines, overlayBG)
	}
	if lines := v.messageLines(); lines != nil {
		lines = wrap(lines, (size.X-8)/charW)
		w, h := textSize(lines)
		textBox(screen, image.Pt(max((size.X-w)/2, 0), max((size.Y-h)/2, 0)), lines, messageBG)
	}
	v.redraws++
}

// textSize is the size of a textBox of lines.
func textSize(lines []string) (w, h int) {
	n := 0
	for _, l := range lines {
		n = max(n, len([]rune(l)))
	}
	return n*charW + 8, len(lines)*charH + 4
}

func textBox(dst *ebiten.Image, at image.Point, lines []string, bg color.Color) {
	w, h := textSize(lines)
	vector.FillRect(dst, float32(at.X), float32(at.Y), float32(w), float32(h), bg, false)
	for i, l := range lines {
		ebitenutil.DebugPrintAt(dst, l, at.X+4, at.Y+2+i*charH)
	}
}

// readKeys is the tick's keyboard input.
func readKeys() keys {
	return keys{
		pressed:  inpututil.AppendJustPressedKeys(nil),
		released: inpututil.AppendJustReleasedKeys(nil),
		chars:    ebiten.AppendInputChars(nil),
		shift:    ebiten.IsKeyPressed(ebiten.KeyShift),
		ctrl:     ebiten.IsKeyPressed(ebiten.KeyControl),
		alt:      ebiten.IsKeyPressed(ebiten.KeyAlt),
	}
}

// mouseButtons are ebiten's buttons in X's order: left, middle, right.
var mouseButtons = [3]ebiten.MouseButton{ebiten.MouseButtonLeft, ebiten.MouseButtonMiddle, ebiten.MouseButtonRight}

// readMouse is the tick's mouse input.
func readMouse() mouseIn {
	var m mouseIn
	m.at.X, m.at.Y = ebiten.CursorPosition()
	for i, b := range mouseButtons {
		if inpututil.IsMouseButtonJustPressed(b) {
			m.pressed |= 1 << i
		}
		if inpututil.IsMouseButtonJustReleased(b) {
			m.released |= 1 << i
		}
	}
	m.wheelX, m.wheelY = ebiten.Wheel()
	return m
}

// glHost is the host under ebiten.
type glHost struct {
	tex *ebiten.Image // the framebuffer's picture
	buf []byte
}

func (g *glHost) setWindowSize(size image.Point) {
	s := 1.0
	if m := ebiten.Monitor(); m != nil {
		s = m.DeviceScaleFactor()
	}
	ebiten.SetWindowSize(int(math.Round(float64(size.X)/s)), int(math.Round(float64(size.Y)/s)))
}

func (g *glHost) setTitle(title string) { ebiten.SetWindowTitle(title) }

func (g *glHost) monitor() image.Point {
	m := ebiten.Monitor()
	if m == nil {
		return image.Point{}
	}
	w, h := m.Size()
	s := m.DeviceScaleFactor()
	return image.Pt(int(float64(w)*s), int(float64(h)*s))
}

// write uploads only the rectangle that changed: a small change costs a
// small upload, whatever the framebuffer's size.
func (g *glHost) write(img *image.RGBA, r image.Rectangle) {
	size := img.Rect.Size()
	if size.X <= 0 || size.Y <= 0 {
		return
	}
	if g.tex == nil || g.tex.Bounds().Size() != size {
		if g.tex != nil {
			g.tex.Deallocate()
		}
		// Unmanaged: the picture changes often and is large, so it gets
		// a texture of its own rather than a place in ebiten's atlas.
		g.tex = ebiten.NewImageWithOptions(image.Rectangle{Max: size}, &ebiten.NewImageOptions{Unmanaged: true})
		r = img.Rect
	}
	g.buf = pack(g.buf, img, r)
	g.tex.SubImage(r.Sub(img.Rect.Min)).(*ebiten.Image).WritePixels(g.buf)
}

// pack copies rectangle r of img into buf, rows end to end as
// WritePixels wants them, and makes every pixel opaque: framebuffers
// carry no alpha, and whatever is in their fourth byte must not show.
func pack(buf []byte, img *image.RGBA, r image.Rectangle) []byte {
	r = r.Intersect(img.Rect)
	n := 4 * r.Dx() * r.Dy()
	if cap(buf) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	row := 4 * r.Dx()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		dst := buf[(y-r.Min.Y)*row:][:row]
		copy(dst, img.Pix[img.PixOffset(r.Min.X, y):])
		for i := 3; i < row; i += 4 {
			dst[i] = 0xff
		}
	}
	return buf
}
