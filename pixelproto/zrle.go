package pixelproto

import (
	"encoding/binary"
	"fmt"
	"image"
)

// ZRLE: TRLE's tile coding with 64×64 tiles, inside the connection's one
// zlib stream; each rectangle is a length and that much compressed data.

type zrleEncoder struct{}

func (zrleEncoder) limits() (maxW, maxPixels, tile int) { return 0, 0, 64 }

func (zrleEncoder) encode(out *encOut, p *encParams, px []uint32, w, h int) Encoding {
	tc := getTileCoder(p.pf, false)
	defer tileCoders.Put(tc)
	data := tc.encodeTiles(out.buf(tilesMax(p.pf, w, h, 64)), px, w, h, 64)
	out.zlib(zZRLE, false, data)
	return ZRLE
}

type zrleDecoder struct{}

// maxCompressed bounds a rectangle's compressed data.
const maxCompressed = 64 << 20

func (zrleDecoder) decode(d *decodeState, r image.Rectangle) error {
	b, err := d.read(4)
	if err != nil {
		return err
	}
	n := binary.BigEndian.Uint32(b)
	if n > maxCompressed {
		return fmt.Errorf("rfb: ZRLE data of %d bytes", n)
	}
	data, err := d.read(int(n))
	if err != nil {
		return err
	}
	z := &d.z[zZRLE]
	if err := z.feed(data); err != nil {
		return err
	}
	var td tileDecoder
	td.init(d.pf, false)
	return td.decodeTiles(d, &zsource{z: z}, r, 64)
}

// A zsource reads tile data from a zlib stream, exactly as much as asked.
type zsource struct {
	z   *inflater
	buf []byte
}

func (s *zsource) read(n int) ([]byte, error) {
	if cap(s.buf) < n {
		s.buf = make([]byte, n)
	}
	b := s.buf[:n]
	return b, s.z.readFull(b)
}

func (s *zsource) readByte() (byte, error) {
	var b [1]byte
	err := s.z.readFull(b[:])
	return b[0], err
}
