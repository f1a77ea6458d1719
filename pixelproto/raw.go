package pixelproto

import "image"

// Raw: the pixels, row by row.

type rawEncoder struct{}

func (rawEncoder) limits() (maxW, maxPixels, tile int) { return 0, 0, 1 }

func (rawEncoder) encode(out *encOut, p *encParams, px []uint32, w, h int) Encoding {
	if len(out.lit) == 0 {
		out.lit = out.buf(w * h * p.pf.bytesPerPixel())
	}
	out.lit = p.pf.putPixels(out.lit, px)
	return Raw
}

type rawDecoder struct{}

func (rawDecoder) decode(d *decodeState, r image.Rectangle) error {
	bpp := d.pf.bytesPerPixel()
	// Read a band at a time so that a huge rectangle needs no huge buffer.
	rows := max(1, (256<<10)/(bpp*max(r.Dx(), 1)))
	for y := r.Min.Y; y < r.Max.Y; y += rows {
		band := image.Rect(r.Min.X, y, r.Max.X, min(y+rows, r.Max.Y))
		b, err := d.read(band.Dx() * band.Dy() * bpp)
		if err != nil {
			return err
		}
		d.fb.putRaw(band, b)
	}
	return nil
}
