package pixelproto

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"errors"
	"io"
	"sync"

	kflate "github.com/klauspost/compress/flate"
)

// ZRLE and Tight compress with zlib streams that last as long as the
// connection: each rectangle's data ends with a sync flush, so that the
// viewer can decode it, and later rectangles refer back to earlier ones.
//
// The encoder side lets a large update be compressed on several cores at
// once, as pigz does: a piece can be compressed independently of the pieces
// before it if its compressor is primed with the last 32 KB of the stream's
// data as a preset dictionary. The viewer's inflater sees one ordinary
// stream, since back-references reach exactly the bytes it has already
// produced.

const (
	zWindow      = 32 << 10
	zParallelMin = 128 << 10 // bytes of data worth a compressor of its own
)

// A zpiece is data to compress on one stream, and the result.
type zpiece struct {
	data []byte
	out  []byte
}

// A zstream is one of a connection's zlib streams, as the encoder sees it.
type zstream struct {
	started bool   // the zlib header has been sent
	hist    []byte // the last zWindow bytes of data, for dictionaries
	w       deflater
	wlevel  int
	buf     *bytes.Buffer // w's output
	// fast has the stream compressed by klauspost/compress's deflate
	// rather than the standard library's. On Tight's data (filtered
	// pixels, palette indices) it takes a quarter of the time for about
	// 2% more bytes; on ZRLE's tiles it costs 7–17% more bytes at the
	// same level, so ZRLE keeps the standard library. (benchstat of
	// BenchmarkEncodeTight and BenchmarkEncodeZRLE, in the commit.)
	fast bool
}

// A deflater is a deflate compressor that can end its output so far on a
// byte boundary (a sync flush), as both flate packages' Writers do.
type deflater interface {
	io.Writer
	Flush() error
}

// zlibHeader starts a stream: deflate, 32 KB window, no dictionary.
var zlibHeader = []byte{0x78, 0x9c}

// compress compresses the pieces in order, each ending on a sync flush.
// With more than one worker and enough data, it uses several compressors.
func (z *zstream) compress(ps []*zpiece, level, workers int) {
	total := 0
	for _, p := range ps {
		total += len(p.data)
	}
	groups := 1
	if workers > 1 && total >= 2*zParallelMin {
		groups = min(workers, total/zParallelMin)
	}
	if groups <= 1 || len(ps) < 2 {
		if z.w == nil || z.wlevel != level {
			z.newWriter(level, dict(z.hist))
		}
		for _, p := range ps {
			z.flushPiece(p)
		}
		z.remember(ps)
		z.header(ps)
		return
	}

	// Split the pieces into groups of about equal data. Each group after
	// the first gets a fresh compressor primed with the data before it.
	type group struct {
		ps   []*zpiece
		dict []byte
		z    *zstream
	}
	var gs []*group
	per := total / groups
	hist := z.hist
	cur := &group{dict: dict(hist)}
	n := 0
	for _, p := range ps {
		if n >= per && len(cur.ps) > 0 && len(gs) < groups-1 {
			gs = append(gs, cur)
			cur = &group{dict: dict(hist)}
			n = 0
		}
		cur.ps = append(cur.ps, p)
		n += len(p.data)
		hist = push(hist, p.data, true)
	}
	gs = append(gs, cur)
	var wg sync.WaitGroup
	for i, g := range gs {
		if i == 0 {
			g.z = z
			if z.w == nil || z.wlevel != level {
				z.newWriter(level, g.dict)
			}
		} else {
			g.z = &zstream{fast: z.fast}
			g.z.newWriter(level, g.dict)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, p := range g.ps {
				g.z.flushPiece(p)
			}
		}()
	}
	wg.Wait()
	// The last group's compressor has seen exactly the stream's history:
	// keep it for the next update.
	last := gs[len(gs)-1].z
	z.w, z.wlevel = last.w, level
	z.buf = last.buf
	z.hist = hist
	z.header(ps)
}

// push appends d to the history h, keeping at least the last zWindow
// bytes, in a buffer of 4*zWindow. If shared, bytes already in h are never
// overwritten, so that earlier slices of it stay valid as dictionaries;
// otherwise h's buffer is reused.
func push(h, d []byte, shared bool) []byte {
	if len(d) > zWindow {
		d = d[len(d)-zWindow:]
	}
	if len(h)+len(d) > cap(h) {
		keep := h[max(len(h)-(zWindow-len(d)), 0):]
		nh := h[:0]
		if shared || cap(h) < 4*zWindow {
			nh = make([]byte, 0, 4*zWindow)
		}
		h = append(nh, keep...) // copy moves overlapping bytes safely
	}
	return append(h, d...)
}

// dict is the last zWindow bytes of the history h.
func dict(h []byte) []byte {
	if len(h) > zWindow {
		return h[len(h)-zWindow:]
	}
	return h
}

func (z *zstream) remember(ps []*zpiece) {
	for _, p := range ps {
		z.hist = push(z.hist, p.data, false)
	}
}

// header puts the zlib header in front of the first piece ever sent.
func (z *zstream) header(ps []*zpiece) {
	if z.started || len(ps) == 0 {
		return
	}
	z.started = true
	ps[0].out = append(append([]byte(nil), zlibHeader...), ps[0].out...)
}

func (z *zstream) newWriter(level int, dict []byte) {
	z.buf = new(bytes.Buffer)
	var w deflater
	var err error
	if z.fast {
		w, err = kflate.NewWriterDict(z.buf, level, dict)
	} else {
		w, err = flate.NewWriterDict(z.buf, level, dict)
	}
	if err != nil { // only for a bad level, which callers never pass
		panic(err)
	}
	z.w, z.wlevel = w, level
}

func (z *zstream) flushPiece(p *zpiece) {
	z.buf.Reset()
	z.w.Write(p.data) // writes to a bytes.Buffer do not fail
	z.w.Flush()
	p.out = append(getBytes(z.buf.Len()), z.buf.Bytes()...) // the encOut gives it back
}

// An inflater is one of a connection's zlib streams, as the decoder sees
// it: compressed data arrives in chunks, one per rectangle, and what a
// rectangle needs is read from its chunk alone.
type inflater struct {
	src chunk
	zr  io.ReadCloser
}

// A chunk is the compressed data not yet consumed. Reading past its end is
// an error rather than a wait, since the stream is flushed per rectangle.
type chunk struct{ b []byte }

var errChunkEnd = errors.New("rfb: compressed data ends early")

func (c *chunk) Read(p []byte) (int, error) {
	if len(c.b) == 0 {
		return 0, errChunkEnd
	}
	n := copy(p, c.b)
	c.b = c.b[n:]
	return n, nil
}

func (c *chunk) ReadByte() (byte, error) {
	if len(c.b) == 0 {
		return 0, errChunkEnd
	}
	b := c.b[0]
	c.b = c.b[1:]
	return b, nil
}

// reset starts the stream afresh (Tight's reset bits).
func (f *inflater) reset() {
	f.zr = nil
	f.src.b = nil
}

// feed adds the compressed data of one rectangle.
func (f *inflater) feed(data []byte) error {
	// Keep unread bytes: the end of a sync flush may still be pending.
	f.src.b = append(f.src.b, data...)
	if f.zr == nil {
		zr, err := zlib.NewReader(&f.src)
		if err != nil {
			return err
		}
		f.zr = zr
	}
	return nil
}

// Read reads decompressed data. A stream that failed stays failed.
func (f *inflater) Read(p []byte) (int, error) {
	if f.zr == nil {
		return 0, errChunkEnd
	}
	return f.zr.Read(p)
}

// readFull reads exactly len(p) decompressed bytes.
func (f *inflater) readFull(p []byte) error {
	_, err := io.ReadFull(f, p)
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return err
}
