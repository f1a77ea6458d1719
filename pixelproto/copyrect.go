package pixelproto

import (
	"encoding/binary"
	"image"
)

// CopyRect: the position of the pixels to copy. The server sends it only
// for copies the Source reports (window moves, scrolls, CopyArea); it never
// searches the framebuffer for motion.

func appendCopyRect(b []byte, src image.Point) []byte {
	b = binary.BigEndian.AppendUint16(b, uint16(src.X))
	return binary.BigEndian.AppendUint16(b, uint16(src.Y))
}

type copyRectDecoder struct{}

func (copyRectDecoder) decode(d *decodeState, r image.Rectangle) error {
	b, err := d.read(4)
	if err != nil {
		return err
	}
	src := image.Pt(int(binary.BigEndian.Uint16(b)), int(binary.BigEndian.Uint16(b[2:])))
	if err := d.fb.check(r.Sub(r.Min).Add(src)); err != nil {
		return err
	}
	d.fb.copyRect(r, src)
	return nil
}
