package pixelproto

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
)

// Tight: each rectangle is a fill, a JPEG image, or pixels through one of
// three filters (copy, palette, gradient) compressed on one of four zlib
// streams. TPIXELs are three bytes R, G, B for 888 formats.
//
// The encoder sends a fill for one colour, the palette filter for up to 256
// colours (one bit a pixel for two), JPEG for many colours when the client
// asked for a quality level, and otherwise the gradient filter for smooth
// images and the copy filter for the rest. noVNC 1.3 has no gradient filter,
// so clients that list TightPNG (noVNC does) never get it.

const (
	tightFill     = 0x8
	tightJPEG     = 0x9
	tightFilterID = 0x4

	tightCopy     = 0
	tightPalette  = 1
	tightGradient = 2

	tightMinToCompress = 12
	tightMaxWidth      = 2048
	tightMaxPixels     = 65536 // what TightVNC's decoders were built for

	// Streams, as TightVNC uses them.
	tightStreamFull     = 0
	tightStreamMono     = 1
	tightStreamIndexed  = 2
	tightStreamGradient = 3
)

// jpegQuality maps RFB quality levels 0..9 onto JPEG quality.
var jpegQuality = [10]int{15, 25, 35, 45, 55, 65, 75, 80, 88, 95}

type tightEncoder struct{}

// tightTile is the tile size the damage is classified in when JPEG is
// on, and tightPhoto the number of colours above which a tile is sent as
// JPEG: so text and flat areas stay exact next to photos.
const (
	tightTile  = 64
	tightPhoto = 128
)

// split cuts r into rectangles of like content when JPEG is on: runs of
// photo-like tiles, and runs of the rest, band by band.
func (e tightEncoder) split(r image.Rectangle, v pixView, p *encParams, band int, dst []image.Rectangle) []image.Rectangle {
	if p.quality == 0 {
		return splitRect(r, e, band, dst)
	}
	var cc colourCounter
	var tile []uint32
	for y := r.Min.Y; y < r.Max.Y; y += tightTile {
		y1 := min(y+tightTile, r.Max.Y)
		runStart, runPhoto := r.Min.X, false
		for x := r.Min.X; x < r.Max.X; x += tightTile {
			x1 := min(x+tightTile, r.Max.X)
			tile = tile[:0]
			for ty := y; ty < y1; ty++ {
				tile = append(tile, v.row(ty, x, x1)...)
			}
			_, few := cc.colours(tile, tightPhoto)
			photo := !few
			if x > r.Min.X && photo != runPhoto {
				dst = splitRect(image.Rect(runStart, y, x, y1), e, band, dst)
				runStart = x
			}
			runPhoto = photo
		}
		dst = splitRect(image.Rect(runStart, y, r.Max.X, y1), e, band, dst)
	}
	return dst
}

func (tightEncoder) limits() (maxW, maxPixels, tile int) {
	return tightMaxWidth, tightMaxPixels, 16
}

func (tightEncoder) encode(out *encOut, p *encParams, px []uint32, w, h int) Encoding {
	pf := p.pf
	var cc colourCounter
	list, ok := cc.colours(px, 256)
	switch {
	case ok && len(list) == 1:
		out.lit = pf.putTPixel(append(out.lit, tightFill<<4), list[0])
	case ok && len(list) == 2:
		out.lit = append(out.lit, (tightStreamMono|tightFilterID)<<4, tightPalette, 1)
		out.lit = pf.putTPixel(pf.putTPixel(out.lit, list[0]), list[1])
		stride := (w + 7) / 8
		data := out.buf(stride * h)[:stride*h]
		clear(data)
		for y := range h {
			row := px[y*w : (y+1)*w]
			for x, c := range row {
				if c == list[1] {
					data[y*stride+x/8] |= 0x80 >> (x % 8)
				}
			}
		}
		tightData(out, tightStreamMono, data)
	case ok && len(list) <= w*h/2:
		out.lit = append(out.lit, (tightStreamIndexed|tightFilterID)<<4, tightPalette, byte(len(list)-1))
		for _, c := range list {
			out.lit = pf.putTPixel(out.lit, c)
		}
		data := out.buf(w * h)[:w*h]
		last, idx := px[0], byte(cc.index(px[0]))
		for i, c := range px {
			if c != last {
				last, idx = c, byte(cc.index(c))
			}
			data[i] = idx
		}
		tightData(out, tightStreamIndexed, data)
	case p.quality > 0 && len(list) == 0 && w*h >= 64 && (pf.BitsPerPixel == 16 || pf.BitsPerPixel == 32):
		if b, err := tightJPEGData(pf, px, w, h, p.quality); err == nil {
			out.lit = appendCompact(append(out.lit, tightJPEG<<4), len(b))
			out.lit = append(out.lit, b...)
			break
		}
		fallthrough
	default:
		n := pf.tPixelSize()
		data := pf.putTPixels(out.buf(w*h*n), px)
		if p.gradient && pf.is888() {
			g := gradient888(out.buf(len(data))[:len(data)], data, w, h)
			if smooth(g) {
				out.lit = append(out.lit, (tightStreamGradient|tightFilterID)<<4, tightGradient)
				tightData(out, tightStreamGradient, g)
				break
			}
		}
		out.lit = append(out.lit, tightStreamFull<<4)
		tightData(out, tightStreamFull, data)
	}
	return Tight
}

// tightData sends filtered data: as is when short, else compressed.
func tightData(out *encOut, stream int, data []byte) {
	if len(data) < tightMinToCompress {
		out.lit = append(out.lit, data...)
		return
	}
	out.zlib(tightZ(stream), true, data)
}

func tightZ(stream int) int { return zTight0 + stream }

func tightJPEGData(pf PixelFormat, px []uint32, w, h, quality int) ([]byte, error) {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i, c := range px {
		r, g, b := pf.rgb(c)
		img.Pix[4*i], img.Pix[4*i+1], img.Pix[4*i+2], img.Pix[4*i+3] = r, g, b, 0xff
	}
	var buf bytes.Buffer
	err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality})
	return buf.Bytes(), err
}

// gradient888 applies the gradient filter to R, G, B bytes, into out:
// each byte becomes its difference from the prediction left + up -
// up-left.
//
// It works a row at a time: the first row and the first pixel of each
// row have no neighbours above or to the left, so the loop over the rest
// has no tests but the clamp.
func gradient888(out, data []byte, w, h int) []byte {
	stride := 3 * w
	if h == 0 || w == 0 {
		return out[:0]
	}
	row, o := data[:stride], out[:stride]
	copy(o[:3], row[:3])
	for x := 3; x < stride; x++ {
		o[x] = row[x] - row[x-3]
	}
	for y := 1; y < h; y++ {
		up, row, o := data[(y-1)*stride:y*stride], data[y*stride:(y+1)*stride], out[y*stride:(y+1)*stride]
		for x := range 3 {
			o[x] = row[x] - up[x]
		}
		for x := 3; x < stride; x++ {
			est := int(row[x-3]) + int(up[x]) - int(up[x-3])
			o[x] = row[x] - byte(min(max(est, 0), 255))
		}
	}
	return out
}

// smooth guesses whether gradient-filtered data g will compress better
// than the pixels: most differences are then near zero.
func smooth(g []byte) bool {
	small := 0
	for _, d := range g {
		if d <= 2 || d >= 254 {
			small++
		}
	}
	return small*2 > len(g)
}

type tightDecoder struct{}

func (tightDecoder) decode(d *decodeState, r image.Rectangle) error {
	ctl, err := d.readByte()
	if err != nil {
		return err
	}
	for i := range 4 {
		if ctl>>i&1 != 0 {
			d.z[tightZ(i)].reset()
		}
	}
	pf := d.pf
	tn := pf.tPixelSize()
	w, h := r.Dx(), r.Dy()
	switch ctl >>= 4; {
	case ctl == tightFill:
		b, err := d.read(tn)
		if err != nil {
			return err
		}
		d.fb.fill(r, pf.tPixel(b))
		return nil
	case ctl == tightJPEG:
		n, err := readCompact(d)
		if err != nil {
			return err
		}
		b, err := d.read(n)
		if err != nil {
			return err
		}
		img, err := jpeg.Decode(bytes.NewReader(b))
		if err != nil {
			return fmt.Errorf("rfb: tight JPEG: %v", err)
		}
		if img.Bounds().Dx() != w || img.Bounds().Dy() != h {
			return fmt.Errorf("rfb: tight JPEG of %v in %v", img.Bounds(), r)
		}
		drawJPEG(d.fb, r, img)
		return nil
	case ctl&0x8 != 0:
		return fmt.Errorf("rfb: tight compression control %#x", ctl)
	}
	stream := int(ctl & 3)
	filter := byte(tightCopy)
	if ctl&tightFilterID != 0 {
		if filter, err = d.readByte(); err != nil {
			return err
		}
	}
	var palette []uint32
	size := w * h * tn
	switch filter {
	case tightCopy:
	case tightPalette:
		n, err := d.readByte()
		if err != nil {
			return err
		}
		b, err := d.read((int(n) + 1) * tn)
		if err != nil {
			return err
		}
		palette = make([]uint32, int(n)+1)
		for i := range palette {
			palette[i] = pf.tPixel(b[i*tn:])
		}
		if len(palette) == 2 {
			size = (w + 7) / 8 * h
		} else {
			size = w * h
		}
	case tightGradient:
		if pf.BitsPerPixel == 8 {
			return fmt.Errorf("rfb: tight gradient at 8 bits per pixel")
		}
	default:
		return fmt.Errorf("rfb: tight filter %d", filter)
	}
	data, err := tightRead(d, stream, size)
	if err != nil {
		return err
	}
	px := d.pixels(w * h)
	switch {
	case palette != nil && len(palette) == 2:
		stride := (w + 7) / 8
		for y := range h {
			for x := range w {
				px[y*w+x] = palette[data[y*stride+x/8]>>(7-x%8)&1]
			}
		}
	case palette != nil:
		for i, c := range data {
			if int(c) >= len(palette) {
				return fmt.Errorf("rfb: tight palette index %d of %d", c, len(palette))
			}
			px[i] = palette[c]
		}
	case filter == tightGradient:
		ungradient(pf, data, px, w, h)
	default:
		for i := range px {
			px[i] = pf.tPixel(data[i*tn:])
		}
	}
	d.fb.put(r, px)
	return nil
}

// tightRead reads size bytes of filtered data from the stream.
func tightRead(d *decodeState, stream, size int) ([]byte, error) {
	if size < tightMinToCompress {
		b, err := d.read(size)
		return append([]byte(nil), b...), err
	}
	if size > maxCompressed {
		return nil, fmt.Errorf("rfb: tight rectangle of %d bytes", size)
	}
	n, err := readCompact(d)
	if err != nil {
		return nil, err
	}
	b, err := d.read(n)
	if err != nil {
		return nil, err
	}
	z := &d.z[tightZ(stream)]
	if err := z.feed(b); err != nil {
		return nil, err
	}
	data := make([]byte, size)
	return data, z.readFull(data)
}

func readCompact(d *decodeState) (int, error) {
	n := 0
	for i := range 3 {
		b, err := d.readByte()
		if err != nil {
			return 0, err
		}
		if i == 2 {
			return n | int(b)<<14, nil
		}
		n |= int(b&0x7f) << (7 * i)
		if b&0x80 == 0 {
			break
		}
	}
	return n, nil
}

// ungradient undoes the gradient filter. Prediction is done on colour
// fields, each kept within its maximum.
func ungradient(pf PixelFormat, data []byte, px []uint32, w, h int) {
	tn := pf.tPixelSize()
	maxes := [3]uint32{uint32(pf.RedMax), uint32(pf.GreenMax), uint32(pf.BlueMax)}
	shifts := [3]uint8{pf.RedShift, pf.GreenShift, pf.BlueShift}
	prev := make([][3]uint32, w) // the row above
	for y := range h {
		var left, ul [3]uint32
		for x := range w {
			d := pf.tPixel(data[(y*w+x)*tn:])
			var v uint32
			for c := range 3 {
				up := prev[x][c]
				est := int(left[c]) + int(up) - int(ul[c])
				est = min(max(est, 0), int(maxes[c]))
				f := (d>>shifts[c] + uint32(est)) & maxes[c]
				if maxes[c]&(maxes[c]+1) != 0 { // not 2^n-1: wrap by hand
					f = ((d>>shifts[c])&maxes[c] + uint32(est)) % (maxes[c] + 1)
				}
				ul[c] = up
				left[c] = f
				prev[x][c] = f
				v |= f << shifts[c]
			}
			px[y*w+x] = v
		}
	}
}

// drawJPEG draws a decoded JPEG image into r.
func drawJPEG(fb *framebuffer, r image.Rectangle, img image.Image) {
	b := img.Bounds()
	switch m := img.(type) {
	case *image.YCbCr:
		for y := range r.Dy() {
			o := fb.img.PixOffset(r.Min.X, r.Min.Y+y)
			for x := range r.Dx() {
				yi := m.YOffset(b.Min.X+x, b.Min.Y+y)
				ci := m.COffset(b.Min.X+x, b.Min.Y+y)
				fb.img.Pix[o+4*x], fb.img.Pix[o+4*x+1], fb.img.Pix[o+4*x+2] = color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
				fb.img.Pix[o+4*x+3] = 0xff
			}
		}
	default:
		for y := range r.Dy() {
			o := fb.img.PixOffset(r.Min.X, r.Min.Y+y)
			for x := range r.Dx() {
				cr, cg, cb, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
				fb.img.Pix[o+4*x], fb.img.Pix[o+4*x+1], fb.img.Pix[o+4*x+2] = uint8(cr>>8), uint8(cg>>8), uint8(cb>>8)
				fb.img.Pix[o+4*x+3] = 0xff
			}
		}
	}
}
