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

// A pixView is where the pixels of a rectangle are: those of row y of r
// start at pix[(y-r.Min.Y)*stride], as source values. A view of a whole
// framebuffer and of one rectangle taken from it are alike.
type pixView struct {
	pix    []uint32
	stride int
	r      image.Rectangle
}

// frameView is the view of a w×h framebuffer.
func frameView(fb []uint32, w, h int) pixView {
	return pixView{pix: fb, stride: w, r: image.Rect(0, 0, w, h)}
}

// row returns the pixels of row y from x0 to x1, which must be in v.r.
func (v pixView) row(y, x0, x1 int) []uint32 {
	o := (y-v.r.Min.Y)*v.stride + x0 - v.r.Min.X
	return v.pix[o : o+x1-x0]
}

// A splitter is an encoder that divides damage into rectangles by
// looking at their pixels.
type splitter interface {
	split(r image.Rectangle, v pixView, p *encParams, band int, dst []image.Rectangle) []image.Rectangle
}

// split divides damage r, within v, into rectangles for encoder e.
func split(e encoder, r image.Rectangle, v pixView, p *encParams, band int, dst []image.Rectangle) []image.Rectangle {
	if s, ok := e.(splitter); ok {
		return s.split(r, v, p, band, dst)
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
	compress int         // RFB compression level 0..9, or -1 for none named
	quality  int         // JPEG quality 1..100, or 0 for no JPEG
	gradient bool        // Tight may use the gradient filter
}

// defaultCompress is the compression level when the client names none;
// each encoding then takes the zlib level TigerVNC's Xvnc would.
const defaultCompress = -1

// tightLevels are the zlib levels of Tight's streams (full colour, mono,
// indexed, gradient) for each RFB compression level, as TigerVNC has
// them: palettes are worth more effort than full colour, which zlib
// compresses little and slowly. Tight without a level named is level 2.
var tightLevels = [10][4]int{
	{1, 1, 1, 1}, // level 0 would send the data uncompressed
	{1, 1, 1, 1},
	{2, 3, 3, 2},
	{2, 5, 5, 2},
	{3, 7, 6, 3},
	{4, 8, 7, 4},
	{5, 8, 7, 5},
	{6, 9, 8, 6},
	{7, 9, 9, 7},
	{9, 9, 9, 9},
}

// zlibLevel maps the RFB compression level onto a flate level for zlib
// stream s. ZRLE without a level named has zlib's default, 6, as Xvnc.
func (p *encParams) zlibLevel(s int) int {
	if s < zZRLE {
		c := p.compress
		if c < 0 || c > 9 {
			c = 2
		}
		return tightLevels[c][s-zTight0]
	}
	switch {
	case p.compress < 0 || p.compress > 9:
		return flate.DefaultCompression
	case p.compress == 0:
		return flate.BestSpeed // level 0 would send the data uncompressed
	}
	return p.compress
}

// An encOut collects one rectangle's encoding: literal bytes, and data
// for a zlib stream whose compressed form is filled in later.
type encOut struct {
	parts []outPart
	lit   []byte   // the literal bytes since the last zlib part
	owned [][]byte // buffers from the pools, until release
}

type outPart struct {
	lit     []byte
	stream  int // zlib stream, for a zlib part
	compact bool
	zlib    bool
	z       zpiece
}

// buf returns an empty buffer of at least n bytes, which o holds until
// release. Encoders build in them what outlives their call.
func (o *encOut) buf(n int) []byte {
	b := getBytes(n)
	o.owned = append(o.owned, b)
	return b
}

// release gives back o's buffers and empties it, once its bytes are
// written.
func (o *encOut) release() {
	for _, b := range o.owned {
		putBytes(b)
	}
	for _, p := range o.parts {
		if p.zlib {
			putBytes(p.z.out)
		}
	}
	clear(o.owned)
	clear(o.parts)
	o.owned, o.parts, o.lit = o.owned[:0], o.parts[:0], nil
}

// zlib ends the literal bytes so far and adds data for a zlib stream,
// preceded on the wire by its compressed length: four bytes, or Tight's
// compact form.
func (o *encOut) zlib(stream int, compact bool, data []byte) {
	o.endLit()
	o.parts = append(o.parts, outPart{stream: stream, compact: compact, zlib: true, z: zpiece{data: data}})
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
		if !p.zlib {
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
		if !p.zlib {
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
	src  pixView  // where r's pixels are
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

// encodeJobs encodes the jobs' rectangles on up to workers cores, then
// compresses their zlib pieces on the viewer's streams in order.
func encodeJobs(jobs []*rectJob, conv *converter, p *encParams, zs *[zCount]zstream, workers int) {
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
		px := getScratchPixels()
		defer func() { putScratchPixels(px) }()
		for {
			i := int(next.Add(1)) - 1
			if i >= len(jobs) {
				return
			}
			j := jobs[i]
			t := time.Now()
			w, h := j.r.Dx(), j.r.Dy()
			px = grab(px[:0], j.src, j.r, conv)
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
		for i := range j.out.parts {
			if part := &j.out.parts[i]; part.zlib {
				byStream[part.stream] = append(byStream[part.stream], &part.z)
			}
		}
	}
	t := time.Now()
	for s := range byStream {
		if len(byStream[s]) > 0 {
			zs[s].fast = s < zZRLE // Tight's streams (see zstream.fast)
			zs[s].compress(byStream[s], p.zlibLevel(s), workers)
		}
	}
	// Charge compression to the rectangles by their share of the data.
	if d := time.Since(t); d > 0 {
		total := 0
		for _, j := range jobs {
			for _, part := range j.out.parts {
				if part.zlib {
					total += len(part.z.data)
				}
			}
		}
		for _, j := range jobs {
			n := 0
			for _, part := range j.out.parts {
				if part.zlib {
					n += len(part.z.data)
				}
			}
			if total > 0 {
				j.dur += time.Duration(int64(d) * int64(n) / int64(total))
			}
		}
	}
}

// grab appends the pixel values of r in v to px.
func grab(px []uint32, v pixView, r image.Rectangle, conv *converter) []uint32 {
	w := r.Dx()
	n := len(px)
	px = append(px, make([]uint32, w*r.Dy())...)
	out := px[n:]
	for y := r.Min.Y; y < r.Max.Y; y++ {
		conv.convert(out[(y-r.Min.Y)*w:(y-r.Min.Y+1)*w], v.row(y, r.Min.X, r.Max.X))
	}
	return px
}

// A colourCounter finds the distinct pixel values of a rectangle, up to a
// limit, in order of first appearance. Its arrays make it big for the
// stack, but it allocates nothing.
type colourCounter struct {
	keys  [512]uint32
	vals  [512]int16 // index+1 into colours; 0 for empty
	list  [256]uint32
	count [256]int
	n     int // colours in list
}

// colours returns the colours of px, or ok false if there are more than
// max (max ≤ 256). The list is valid until the next call.
func (c *colourCounter) colours(px []uint32, max int) (list []uint32, ok bool) {
	c.vals = [512]int16{}
	c.n = 0
	last := ^uint32(0)
	lastIdx := -1
	for _, p := range px {
		if p == last {
			c.count[lastIdx]++
			continue
		}
		i := c.index(p)
		if i < 0 {
			if c.n == max {
				return nil, false
			}
			i = c.insert(p)
		}
		c.count[i]++
		last, lastIdx = p, i
	}
	return c.list[:c.n], true
}

// counts returns how many pixels of each colour the last call saw.
func (c *colourCounter) counts() []int { return c.count[:c.n] }

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
	c.list[c.n], c.count[c.n] = p, 0
	c.n++
	c.vals[h] = int16(c.n)
	return c.n - 1
}
