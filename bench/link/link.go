// Package link emulates a network link in user space, for when the kernel
// has no netem: each direction gets a one-way delay, jitter, a bandwidth
// (bytes are serialised at that rate behind a bounded queue, so a fast
// sender fills the queue and then waits, as TCP would make it), optional
// compression, and byte counts.
//
// A Proxy listens on one address and forwards every connection to another
// through an emulated link. The benchmark puts one between an X client and
// the X server (X mode) or between the RFB server and its viewer (pixel
// mode); what crosses it is the only traffic it counts.
package link

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// A Profile describes a link: the same in both directions.
type Profile struct {
	Name string
	// RTT is the round-trip time; each direction delays by half of it.
	RTT time.Duration
	// Jitter adds a uniformly random extra delay of up to this much to each
	// chunk, without reordering.
	Jitter time.Duration
	// Rate is the bandwidth in bits per second; 0 is unlimited.
	Rate int64
	// Queue bounds the bytes waiting to be serialised in each direction;
	// 0 means one bandwidth-delay product, at least 64 KiB.
	Queue int
	// Compress deflates each direction as ssh -C does; the counts are of
	// the compressed bytes.
	Compress bool
}

// The standard profiles.
var (
	LAN    = Profile{Name: "lan", RTT: 500 * time.Microsecond, Rate: 1e9}
	WAN    = Profile{Name: "wan", RTT: 40 * time.Millisecond, Rate: 20e6}
	Mobile = Profile{Name: "mobile", RTT: 120 * time.Millisecond, Jitter: 10 * time.Millisecond, Rate: 3e6}
)

// Profiles lists the standard profiles by name.
var Profiles = map[string]Profile{"lan": LAN, "wan": WAN, "mobile": Mobile}

// ParseProfile reads a profile: a standard name, or a custom one as
// "name:rtt=40ms,rate=20mbit,jitter=2ms,queue=256k,compress".
func ParseProfile(s string) (Profile, error) {
	name, spec, custom := strings.Cut(s, ":")
	p, ok := Profiles[name]
	if !custom {
		if !ok {
			return Profile{}, fmt.Errorf("link: unknown profile %q (have lan, wan, mobile, or name:rtt=...,rate=...)", s)
		}
		return p, nil
	}
	p.Name = name
	for _, kv := range strings.Split(spec, ",") {
		k, v, _ := strings.Cut(kv, "=")
		var err error
		switch k {
		case "rtt":
			p.RTT, err = time.ParseDuration(v)
		case "jitter":
			p.Jitter, err = time.ParseDuration(v)
		case "rate":
			p.Rate, err = parseRate(v)
		case "queue":
			p.Queue, err = parseSize(v)
		case "compress":
			p.Compress = true
		default:
			err = fmt.Errorf("unknown setting %q", k)
		}
		if err != nil {
			return Profile{}, fmt.Errorf("link: profile %q: %v", s, err)
		}
	}
	return p, nil
}

func parseRate(v string) (int64, error) {
	v = strings.ToLower(v)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"gbit", 1e9}, {"mbit", 1e6}, {"kbit", 1e3}, {"bit", 1}} {
		if strings.HasSuffix(v, u.suffix) {
			v, mult = strings.TrimSuffix(v, u.suffix), u.m
			break
		}
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 {
		return 0, fmt.Errorf("rate %q", v)
	}
	return int64(f * float64(mult)), nil
}

func parseSize(v string) (int, error) {
	v = strings.ToLower(v)
	mult := 1
	switch {
	case strings.HasSuffix(v, "m"):
		v, mult = strings.TrimSuffix(v, "m"), 1<<20
	case strings.HasSuffix(v, "k"):
		v, mult = strings.TrimSuffix(v, "k"), 1<<10
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("size %q", v)
	}
	return n * mult, nil
}

func (p Profile) String() string {
	s := fmt.Sprintf("%s (RTT %v, %s", p.Name, p.RTT, rateString(p.Rate))
	if p.Jitter > 0 {
		s += fmt.Sprintf(", jitter %v", p.Jitter)
	}
	if p.Compress {
		s += ", compressed"
	}
	return s + ")"
}

func rateString(r int64) string {
	switch {
	case r == 0:
		return "unlimited"
	case r >= 1e9 && r%1e9 == 0:
		return fmt.Sprintf("%d Gbit/s", r/1e9)
	case r >= 1e6:
		return fmt.Sprintf("%g Mbit/s", float64(r)/1e6)
	}
	return fmt.Sprintf("%g kbit/s", float64(r)/1e3)
}

func (p Profile) queue() int {
	if p.Queue > 0 {
		return p.Queue
	}
	bdp := int(p.Rate / 8 * int64(p.RTT) / int64(time.Second))
	return max(bdp, 64<<10)
}

// Counts are the traffic across a link: Up is client to server, Down
// server to client. Bytes are as they cross the emulated wire (compressed,
// when the profile compresses); Chunks count the writes.
type Counts struct {
	UpBytes, DownBytes   int64
	UpChunks, DownChunks int64
	// RawUp and RawDown count the bytes before compression.
	RawUp, RawDown int64
}

// A Proxy forwards connections through an emulated link.
type Proxy struct {
	profile Profile
	l       net.Listener
	dial    func() (net.Conn, error)

	upBytes, downBytes, upChunks, downChunks, rawUp, rawDown atomic.Int64

	mu     sync.Mutex
	conns  map[net.Conn]bool
	closed bool
	wg     sync.WaitGroup
}

// NewProxy forwards the connections accepted on l to those dial makes,
// through a link with profile p.
func NewProxy(l net.Listener, dial func() (net.Conn, error), p Profile) *Proxy {
	x := &Proxy{profile: p, l: l, dial: dial, conns: make(map[net.Conn]bool)}
	x.wg.Add(1)
	go x.serve()
	return x
}

// Listen starts a proxy on a free loopback TCP port in front of the
// server at network, address.
func Listen(network, address string, p Profile) (*Proxy, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	return NewProxy(l, func() (net.Conn, error) { return net.Dial(network, address) }, p), nil
}

// Addr is where clients connect.
func (x *Proxy) Addr() net.Addr { return x.l.Addr() }

// Counts returns the traffic so far.
func (x *Proxy) Counts() Counts {
	return Counts{
		UpBytes: x.upBytes.Load(), DownBytes: x.downBytes.Load(),
		UpChunks: x.upChunks.Load(), DownChunks: x.downChunks.Load(),
		RawUp: x.rawUp.Load(), RawDown: x.rawDown.Load(),
	}
}

// Close stops accepting and closes every forwarded connection.
func (x *Proxy) Close() error {
	x.mu.Lock()
	x.closed = true
	for c := range x.conns {
		c.Close()
	}
	x.mu.Unlock()
	err := x.l.Close()
	x.wg.Wait()
	return err
}

func (x *Proxy) track(c net.Conn) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		c.Close()
		return false
	}
	x.conns[c] = true
	return true
}

func (x *Proxy) serve() {
	defer x.wg.Done()
	for {
		c, err := x.l.Accept()
		if err != nil {
			return
		}
		s, err := x.dial()
		if err != nil {
			c.Close()
			continue
		}
		if !x.track(c) || !x.track(s) {
			c.Close()
			s.Close()
			return
		}
		x.wg.Add(2)
		go x.pump(s, c, &x.upBytes, &x.upChunks, &x.rawUp)
		go x.pump(c, s, &x.downBytes, &x.downChunks, &x.rawDown)
	}
}

// A chunk is bytes read at one time, and when they may be delivered.
type chunk struct {
	data []byte
	raw  int // bytes before compression
	at   time.Time
}

// pump carries one direction: a reader that puts chunks on the wire in
// order, serialised at the link's rate, and a writer that delivers each
// one after the link's delay.
func (x *Proxy) pump(dst, src net.Conn, nbytes, nchunks, raw *atomic.Int64) {
	defer x.wg.Done()
	p := x.profile
	q := newQueue(p.queue())
	var enc *compressor
	var dec *decompressor
	if p.Compress {
		enc = newCompressor()
		dec = newDecompressor()
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		// If the writer stops early (its peer went away), a reader
		// waiting for room in the queue must not wait for ever.
		defer q.close()
		defer dst.Close()
		if dec != nil {
			defer dec.close()
		}
		for {
			c, ok := q.pop()
			if !ok {
				return
			}
			if d := time.Until(c.at); d > 0 {
				time.Sleep(d)
			}
			data := c.data
			if dec != nil {
				var err error
				if data, err = dec.expand(data, c.raw); err != nil {
					src.Close()
					return
				}
			}
			if _, err := dst.Write(data); err != nil {
				src.Close()
				return
			}
			q.release(len(c.data))
		}
	}()

	buf := make([]byte, 64<<10)
	var wireFree time.Time // when the wire finishes sending what is queued
	var lastAt time.Time
	for {
		n, err := src.Read(buf)
		if n > 0 {
			raw.Add(int64(n))
			data := append([]byte(nil), buf[:n]...)
			if enc != nil {
				data = enc.squeeze(data)
			}
			nbytes.Add(int64(len(data)))
			nchunks.Add(1)
			now := time.Now()
			start := now
			if wireFree.After(start) {
				start = wireFree
			}
			if p.Rate > 0 {
				wireFree = start.Add(time.Duration(int64(len(data)) * 8 * int64(time.Second) / p.Rate))
			} else {
				wireFree = start
			}
			at := wireFree.Add(p.RTT / 2)
			if p.Jitter > 0 {
				at = at.Add(time.Duration(rand.Int64N(int64(p.Jitter) + 1)))
			}
			if at.Before(lastAt) {
				at = lastAt // no reordering
			}
			lastAt = at
			q.push(chunk{data, n, at}) // blocks while the queue is full
		}
		if err != nil {
			break
		}
	}
	q.close()
	<-done
	x.mu.Lock()
	delete(x.conns, src)
	delete(x.conns, dst)
	x.mu.Unlock()
}

// queue is a FIFO of chunks bounded by bytes.
type queue struct {
	mu     sync.Mutex
	cond   sync.Cond
	items  []chunk
	bytes  int
	limit  int
	closed bool
}

func newQueue(limit int) *queue {
	q := &queue{limit: limit}
	q.cond.L = &q.mu
	return q
}

func (q *queue) push(c chunk) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.bytes > 0 && q.bytes+len(c.data) > q.limit && !q.closed {
		q.cond.Wait()
	}
	q.items = append(q.items, c)
	q.bytes += len(c.data)
	q.cond.Broadcast()
}

func (q *queue) pop() (chunk, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 && !q.closed {
		q.cond.Wait()
	}
	if len(q.items) == 0 {
		return chunk{}, false
	}
	c := q.items[0]
	q.items = q.items[1:]
	return c, true
}

// release frees the queue space of a delivered chunk.
func (q *queue) release(n int) {
	q.mu.Lock()
	q.bytes -= n
	q.cond.Broadcast()
	q.mu.Unlock()
}

func (q *queue) close() {
	q.mu.Lock()
	q.closed = true
	q.cond.Broadcast()
	q.mu.Unlock()
}

// compressor and decompressor are the two ends of a deflate stream, each
// chunk flushed so that it can be delivered by itself.
type compressor struct {
	buf bytes.Buffer
	w   *flate.Writer
}

func newCompressor() *compressor {
	c := &compressor{}
	c.w, _ = flate.NewWriter(&c.buf, 6)
	return c
}

func (c *compressor) squeeze(p []byte) []byte {
	c.buf.Reset()
	c.w.Write(p)
	c.w.Flush()
	return append([]byte(nil), c.buf.Bytes()...)
}

type decompressor struct {
	in  chan []byte
	r   io.ReadCloser
	out []byte
}

// newDecompressor starts a deflate reader fed, in order, by a goroutine:
// each chunk's raw length (which the link knows) says how much output it
// makes, so expand never waits for input that has not been sent.
func newDecompressor() *decompressor {
	pr, pw := io.Pipe()
	d := &decompressor{in: make(chan []byte, 64), r: flate.NewReader(pr)}
	go func() {
		for p := range d.in {
			if _, err := pw.Write(p); err != nil {
				return
			}
		}
		pw.Close()
	}()
	return d
}

// expand decompresses one flushed chunk that holds n raw bytes.
func (d *decompressor) expand(p []byte, n int) ([]byte, error) {
	d.in <- p
	if cap(d.out) < n {
		d.out = make([]byte, n)
	}
	d.out = d.out[:n]
	_, err := io.ReadFull(d.r, d.out)
	return d.out, err
}

func (d *decompressor) close() { close(d.in) }
