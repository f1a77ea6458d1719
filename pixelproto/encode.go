package pixelproto

import (
	"compress/flate"
	"encoding/binary"
	"image"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// An encoder writes rectangles of pixels in one RFB encoding. Encoders keep
// no state between rectangles, so that one update's rectangles can be
// encoded on several cores; what must be sequential (zlib streams) is
// handed back as pieces for the caller to compress in order.
type encoder interface {
	// limits says how large a rectangle may be: at most maxW wide and
	// maxPixels in area (0 for no limit), and the tile size that splits
	// should respect.
	limits() (maxW, maxPixels, tile int)
	// encode appends the encoding of the w×h pixel values px (row-major)
	// to out, and returns the encoding it used: encoders may fall back on
	// Raw when their own form would be larger.
	encode(out *encOut, p *encParams, px []uint32, w, h int) Encoding
}

// encoders are the encodings a Server can send, by number.
var encoders = map[Encoding]encoder{
	Raw:     rawEncoder{},
	RRE:     rreEncoder{},
	Hextile: hextileEncoder{},
	TRLE:    trleEncoder{},
	ZRLE:    zrleEncoder{},
	Tight:   tightEncoder{},
}

// A splitter is an encoder that divides damage into rectangles by
// looking at their pixels (fb, stride pixels a row, source values).
type splitter interface {
	split(r image.Rectangle, fb []uint32, stride int, p *encParams, band int, dst []image.Rectangle) []image.Rectangle
}

// split divides damage r into rectangles for encoder e.
func split(e encoder, r image.Rectangle, fb []uint32, stride int, p *encParams, band int, dst []image.Rectangle) []image.Rectangle {
	if s, ok := e.(splitter); ok {
		return s.split(r, fb, stride, p, band, dst)
	}
	return splitRect(r, e, band, dst)
}

// Zlib streams of a connection: Tight's four, then ZRLE's.
const (
	zTight0 = 0
	zZRLE   = 4
	zCount  = 5
)

// encParams is what encoders need to know of a viewer, fixed for an update.
type encParams struct {
	pf       PixelFormat // as served: always true colour
	compress int         // zlib level 0..9
	quality  int         // JPEG quality 1..100, or 0 for no JPEG
	gradient bool        // Tight may use the gradient filter
}

// defaultCompress is the zlib level when the client names none.
const defaultCompress = 6

// zlibLevel maps an RFB compression level onto a flate level.
func (p *encParams) zlibLevel() int {
	if p.compress <= 0 {
		return flate.BestSpeed // level 0 would send the data uncompressed
	}
	return p.compress
}

// An encOut collects one rectangle's encoding: literal bytes, and data
// for a zlib stream whose compressed form is filled in later.
type encOut struct {
	parts []outPart
	lit   []byte // the literal bytes since the last zlib part
}

type outPart struct {
	lit     []byte
	stream  int // zlib stream, for a zlib part
	compact bool
	z       *zpiece
}

// zlib ends the literal bytes so far and adds data for a zlib stream,
// preceded on the wire by its compressed length: four bytes, or Tight's
// compact form.
func (o *encOut) zlib(stream int, compact bool, data []byte) {
	o.endLit()
	o.parts = append(o.parts, outPart{stream: stream, compact: compact, z: &zpiece{data: data}})
}

func (o *encOut) endLit() {
	if len(o.lit) > 0 {
		o.parts = append(o.parts, outPart{lit: o.lit, stream: -1})
		o.lit = nil
	}
}

// size is the number of bytes on the wire, once compressed.
func (o *encOut) size() int {
	n := 0
	for _, p := range o.parts {
		if p.z == nil {
			n += len(p.lit)
			continue
		}
		n += len(p.z.out)
		if p.compact {
			n += len(appendCompact(nil, len(p.z.out)))
		} else {
			n += 4
		}
	}
	return n
}

// appendTo appends the wire form.
func (o *encOut) appendTo(b []byte) []byte {
	for _, p := range o.parts {
		if p.z == nil {
			b = append(b, p.lit...)
			continue
		}
		if p.compact {
			b = appendCompact(b, len(p.z.out))
		} else {
			b = binary.BigEndian.AppendUint32(b, uint32(len(p.z.out)))
		}
		b = append(b, p.z.out...)
	}
	return b
}

// appendCompact appends Tight's compact length: 7 bits a byte, up to 3.
func appendCompact(b []byte, n int) []byte {
	b = append(b, byte(n&0x7f|boolBit(n > 0x7f)))
	if n > 0x7f {
		b = append(b, byte(n>>7&0x7f|boolBit(n > 0x3fff)))
		if n > 0x3fff {
			b = append(b, byte(n>>14))
		}
	}
	return b
}

func boolBit(v bool) int {
	if v {
		return 0x80
	}
	return 0
}

// A rectJob is one rectangle of an update to encode.
type rectJob struct {
	r    image.Rectangle
	enc  Encoding // what was asked
	used Encoding // what the encoder chose
	out  encOut
	dur  time.Duration
}

// splitRect splits r into rectangles within an encoder's limits, in
// bands no larger than band pixels so that big areas spread over cores.
func splitRect(r image.Rectangle, e encoder, band int, dst []image.Rectangle) []image.Rectangle {
	maxW, maxPixels, tile := e.limits()
	if tile < 1 {
		tile = 1
	}
	if maxPixels == 0 || maxPixels > band {
		maxPixels = band
	}
	for x := r.Min.X; x < r.Max.X; {
		w := r.Max.X - x
		if maxW > 0 && w > maxW {
			w = maxW
		}
		rows := max(maxPixels/w/tile*tile, tile)
		if maxPixels/w < tile { // a tile row is already too big
			rows = max(maxPixels/w, 1)
		}
		for y := r.Min.Y; y < r.Max.Y; y += rows {
			dst = append(dst, image.Rect(x, y, x+w, min(y+rows, r.Max.Y)))
		}
		x += w
	}
	return dst
}

// encodeJobs encodes the jobs' rectangles of the framebuffer fb (stride
// pixels a row) on up to workers cores, then compresses their zlib pieces
// on the viewer's streams in order.
func encodeJobs(jobs []*rectJob, fb []uint32, stride int, conv *converter, p *encParams, zs *[zCount]zstream, workers int) {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	pixels := 0
	for _, j := range jobs {
		pixels += j.r.Dx() * j.r.Dy()
	}
	if pixels < 64<<10 || len(jobs) < 2 {
		workers = 1
	}
	var next atomic.Int64
	work := func() {
		var px []uint32
		for {
			i := int(next.Add(1)) - 1
			if i >= len(jobs) {
				return
			}
			j := jobs[i]
			t := time.Now()
			w, h := j.r.Dx(), j.r.Dy()
			px = grab(px[:0], fb, stride, j.r, conv)
			j.used = encoders[j.enc].encode(&j.out, p, px, w, h)
			j.out.endLit()
			j.dur = time.Since(t)
		}
	}
	if workers == 1 {
		work()
	} else {
		var wg sync.WaitGroup
		for range min(workers, len(jobs)) {
			wg.Add(1)
			go func() { defer wg.Done(); work() }()
		}
		wg.Wait()
	}

	var byStream [zCount][]*zpiece
	for _, j := range jobs {
		for _, part := range j.out.parts {
			if part.z != nil {
				byStream[part.stream] = append(byStream[part.stream], part.z)
			}
		}
	}
	t := time.Now()
	for s := range byStream {
		if len(byStream[s]) > 0 {
			zs[s].compress(byStream[s], p.zlibLevel(), workers)
		}
	}
	// Charge compression to the rectangles by their share of the data.
	if d := time.Since(t); d > 0 {
		total := 0
		for _, j := range jobs {
			for _, part := range j.out.parts {
				if part.z != nil {
					total += len(part.z.data)
				}
			}
		}
		for _, j := range jobs {
			n := 0
			for _, part := range j.out.parts {
				if part.z != nil {
					n += len(part.z.data)
				}
			}
			if total > 0 {
				j.dur += time.Duration(int64(d) * int64(n) / int64(total))
			}
		}
	}
}

// grab appends the pixel values of r in fb to px.
func grab(px []uint32, fb []uint32, stride int, r image.Rectangle, conv *converter) []uint32 {
	w := r.Dx()
	n := len(px)
	px = append(px, make([]uint32, w*r.Dy())...)
	out := px[n:]
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := fb[y*stride+r.Min.X : y*stride+r.Max.X]
		conv.convert(out[(y-r.Min.Y)*w:(y-r.Min.Y+1)*w], row)
	}
	return px
}

// A colourCounter finds the distinct pixel values of a rectangle, up to a
// limit, in order of first appearance.
type colourCounter struct {
	keys  [512]uint32
	vals  [512]int16 // index+1 into colours; 0 for empty
	list  []uint32
	count []int
}

// count returns the colours of px, or ok false if there are more than max
// (max ≤ 256).
func (c *colourCounter) colours(px []uint32, max int) (list []uint32, ok bool) {
	c.vals = [512]int16{}
	c.list = c.list[:0]
	c.count = c.count[:0]
	last := ^uint32(0)
	lastIdx := -1
	for _, p := range px {
		if p == last {
			c.count[lastIdx]++
			continue
		}
		i := c.index(p)
		if i < 0 {
			if len(c.list) == max {
				return nil, false
			}
			i = c.insert(p)
		}
		c.count[i]++
		last, lastIdx = p, i
	}
	return c.list, true
}

func hash(p uint32) uint32 { return (p * 0x9e3779b1) >> 23 }

// index returns the palette index of p, or -1.
func (c *colourCounter) index(p uint32) int {
	for h := hash(p); ; h = (h + 1) & 511 {
		v := c.vals[h]
		if v == 0 {
			return -1
		}
		if c.keys[h] == p {
			return int(v) - 1
		}
	}
}

func (c *colourCounter) insert(p uint32) int {
	h := hash(p)
	for c.vals[h] != 0 {
		h = (h + 1) & 511
	}
	c.keys[h] = p
	c.list = append(c.list, p)
	c.count = append(c.count, 0)
	c.vals[h] = int16(len(c.list))
	return len(c.list) - 1
}
