package xlib

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"netdisplay/protocol"
)

// Options change how Dial and NewConn connect. The zero value is what
// Open uses.
type Options struct {
	// ByteOrder is the byte order of the connection; zero means the
	// machine's own. The server answers in the order the client chose.
	ByteOrder protocol.ByteOrder
	// AuthName and AuthData are the authorization to present. When both
	// are empty, Dial looks for a MIT-MAGIC-COOKIE-1 for the display in
	// the Xauthority file.
	AuthName string
	AuthData []byte
	// Xauthority is the file Dial reads cookies from; "" means
	// $XAUTHORITY, or ~/.Xauthority when that is not set.
	Xauthority string
	// EventQueue is how many events may wait unread; zero means
	// DefaultEventQueue. See Conn.Events for what happens when it is full.
	EventQueue int
	// NoBigRequests leaves the BIG-REQUESTS extension off, so that the
	// longest request is the one the connection setup allows (256 KiB at
	// most).
	NoBigRequests bool
	// Timeout bounds connecting and the connection setup; zero means no
	// limit.
	Timeout time.Duration
}

// DefaultEventQueue is the number of events that may wait unread.
const DefaultEventQueue = 4096

// flushSize is the size of the output buffer: requests are written when
// this much is queued, or when an answer or Flush needs them written.
// Xlib and libxcb use 16 KiB.
const flushSize = 32 << 10

// maxMessage bounds the length of one reply the reader accepts.
const maxMessage = 1 << 30

// voidRunLimit is how many requests without replies may follow each
// other before the library inserts one with a reply. The reader learns a
// message's full 64-bit sequence number from its 16 bits; that is exact as
// long as consecutive messages are less than 65536 requests apart, and a
// request with a reply in every 65535 guarantees it.
const voidRunLimit = 65534

// ErrClosed is the error for requests made, or answers awaited, after
// Close.
var ErrClosed = errors.New("xlib: connection closed")

// ErrNoIDs is returned when the connection's range of resource ids is
// used up.
var ErrNoIDs = errors.New("xlib: no resource ids left")

// A ConnError says that the connection to the server was lost, and why.
// Every request waiting for an answer when it happened, and every request
// after, fails with it.
type ConnError struct {
	Display string // the display, as given to Dial, or the peer's address
	Err     error  // the cause
}

func (e *ConnError) Error() string {
	return fmt.Sprintf("xlib: connection to %s lost: %v", e.Display, e.Err)
}

func (e *ConnError) Unwrap() error { return e.Err }

// errServerClosed is the cause when the server closed the connection
// between messages.
var errServerClosed = errors.New("the server closed the connection")

// A TooLongError reports a request longer than the server accepts. It is
// not sent, and the connection stays usable.
type TooLongError struct {
	Request string // the request's name
	Len     int    // its length in bytes
	Max     int    // the longest the server accepts
}

func (e *TooLongError) Error() string {
	return fmt.Sprintf("xlib: %s request of %d bytes is longer than the server's maximum of %d", e.Request, e.Len, e.Max)
}

// Stats are a connection's counters since it opened.
type Stats struct {
	BytesSent     uint64 // bytes written, the connection setup included
	BytesReceived uint64 // bytes read, the connection setup included
	Requests      uint64 // requests sent, the library's own included
	Writes        uint64 // writes to the socket: Requests/Writes is the batching
	// RoundTrips counts the times a caller had to wait for the server: a
	// Reply, Check or Sync whose answer had not arrived yet.
	RoundTrips uint64
}

// A Conn is a connection to an X server. It is safe for concurrent use.
//
// Requests are queued in a buffer and written in batches: when the buffer
// fills, when Flush or Sync is called, and when the caller waits for an
// answer that needs them (Cookie.Reply, VoidCookie.Check, NextEvent). One
// goroutine reads everything the server sends, hands replies and errors to
// the cookies of their requests, and queues events (see Events).
type Conn struct {
	nc      net.Conn
	name    string // the display, for error messages
	order   protocol.ByteOrder
	setup   protocol.Setup
	screen  int
	events  chan protocol.Event
	closing chan struct{} // closed by Close
	once    sync.Once
	readerr chan struct{} // closed when the reader has returned

	// wmu guards the output: the buffer, the sequence numbers and the
	// socket's write side. It is held while writing, so it is never taken
	// by the reader, which must keep reading for writes to finish.
	wmu       sync.Mutex
	out       []byte
	seq       uint64 // the last request queued
	written   uint64 // the last request written
	lastReply uint64 // the last request queued that has an answer coming
	voidRun   int    // requests without replies since the last with one
	maxReq    int    // the longest request the server accepts, in bytes

	// mu guards the rest; it is held only briefly, never during I/O.
	mu       sync.Mutex
	err      error      // why the connection ended, once it has
	pending  []*pending // requests awaiting an answer, in sequence order
	filters  []*filter  // events taken out of the queue for the library's helpers
	nextID   uint32
	atoms    map[string]Atom
	names    map[Atom]string
	drawInfo map[uint32]drawable

	incrChunk atomic.Int64 // for tests: the INCR chunk size of selection owners

	stats struct {
		sent, received, requests, writes, roundTrips atomic.Uint64
	}
}

// Open connects to a display (empty for $DISPLAY) with the default
// options.
func Open(display string) (*Conn, error) { return Dial(display, Options{}) }

// Dial connects to a display (empty for $DISPLAY): it parses the display
// string, connects, finds the cookie in the Xauthority file unless opt
// gives an authorization, and completes the connection setup. It enables
// BIG-REQUESTS when the server has it, unless opt says not to.
func Dial(display string, opt Options) (*Conn, error) {
	d, err := ParseDisplay(display)
	if err != nil {
		return nil, err
	}
	name := display
	if name == "" {
		name = d.String()
	}
	nc, err := d.dial(opt.Timeout)
	if err != nil {
		return nil, fmt.Errorf("xlib: cannot connect to %s: %w", name, err)
	}
	if opt.AuthName == "" && opt.AuthData == nil {
		if cookie, ok := readCookie(opt.Xauthority, nc, d.Number); ok {
			opt.AuthName, opt.AuthData = CookieName, cookie
		}
	}
	c, err := newConn(nc, name, opt)
	if err != nil {
		return nil, err
	}
	if d.Screen >= len(c.setup.Roots) {
		c.Close()
		return nil, fmt.Errorf("xlib: display %s has no screen %d", name, d.Screen)
	}
	c.screen = d.Screen
	return c, nil
}

// NewConn runs an X connection over nc, which is already connected to a
// server: it completes the connection setup with the authorization in opt
// (it reads no Xauthority file) and enables BIG-REQUESTS. The Conn owns nc
// from then on, even when NewConn fails.
func NewConn(nc net.Conn, opt Options) (*Conn, error) {
	name := "the X server"
	if a := nc.RemoteAddr(); a != nil && a.String() != "" && a.String() != "@" {
		name = a.String()
	}
	return newConn(nc, name, opt)
}

func newConn(nc net.Conn, name string, opt Options) (*Conn, error) {
	o := opt.ByteOrder
	if o == 0 {
		o = nativeOrder()
	}
	if !o.Valid() {
		nc.Close()
		return nil, fmt.Errorf("xlib: bad byte order %v", o)
	}
	queue := opt.EventQueue
	if queue <= 0 {
		queue = DefaultEventQueue
	}
	c := &Conn{
		nc:       nc,
		name:     name,
		order:    o,
		events:   make(chan protocol.Event, queue),
		closing:  make(chan struct{}),
		readerr:  make(chan struct{}),
		atoms:    make(map[string]Atom),
		names:    make(map[Atom]string),
		drawInfo: make(map[uint32]drawable),
	}
	if err := c.handshake(opt); err != nil {
		nc.Close()
		return nil, err
	}
	c.maxReq = 4 * int(c.setup.MaximumRequestLength)
	go c.readLoop()
	if !opt.NoBigRequests {
		if err := c.enableBigRequests(); err != nil {
			c.Close()
			return nil, err
		}
	}
	return c, nil
}

// nativeOrder is the machine's byte order, the cheapest for both ends
// when the server runs on the same machine.
func nativeOrder() protocol.ByteOrder {
	var b [2]byte
	binary.NativeEndian.PutUint16(b[:], 1)
	if b[0] == 1 {
		return protocol.LSBFirst
	}
	return protocol.MSBFirst
}

// handshake sends the setup request and reads the server's answer.
func (c *Conn) handshake(opt Options) error {
	if opt.Timeout > 0 {
		c.nc.SetDeadline(time.Now().Add(opt.Timeout))
		defer c.nc.SetDeadline(time.Time{})
	}
	req := protocol.SetupRequest{
		ByteOrder:                 c.order,
		ProtocolMajorVersion:      11,
		AuthorizationProtocolName: []byte(opt.AuthName),
		AuthorizationProtocolData: opt.AuthData,
	}
	b := req.Marshal(c.order, nil)
	n, err := c.nc.Write(b)
	c.stats.sent.Add(uint64(n))
	c.stats.writes.Add(1)
	if err != nil {
		return fmt.Errorf("xlib: %s: sending the connection setup: %w", c.name, err)
	}
	head := make([]byte, 8)
	if _, err := io.ReadFull(c.nc, head); err != nil {
		return fmt.Errorf("xlib: %s: reading the connection setup: %w", c.name, err)
	}
	msg := make([]byte, protocol.SetupReplyLength(c.order, head))
	copy(msg, head)
	if _, err := io.ReadFull(c.nc, msg[8:]); err != nil {
		return fmt.Errorf("xlib: %s: reading the connection setup: %w", c.name, err)
	}
	c.stats.received.Add(uint64(len(msg)))
	switch head[0] {
	case protocol.SetupStatusSuccess:
		if err := c.setup.Unmarshal(c.order, msg); err != nil {
			return fmt.Errorf("xlib: %s: bad connection setup: %w", c.name, err)
		}
		if len(c.setup.Roots) == 0 || c.setup.ResourceIdMask == 0 {
			return fmt.Errorf("xlib: %s: the connection setup has no screen or no resource ids", c.name)
		}
		return nil
	case protocol.SetupStatusFailed:
		var f protocol.SetupFailed
		f.Unmarshal(c.order, msg)
		return fmt.Errorf("xlib: %s refused the connection: %s", c.name, trimReason(f.Reason))
	case protocol.SetupStatusAuthenticate:
		var f protocol.SetupAuthenticate
		f.Unmarshal(c.order, msg)
		return fmt.Errorf("xlib: %s asks for further authentication, which xlib does not do: %s", c.name, trimReason(f.Reason))
	}
	return fmt.Errorf("xlib: %s: bad connection setup status %d", c.name, head[0])
}

func trimReason(b []byte) string {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == 0) {
		b = b[:len(b)-1]
	}
	return string(b)
}

func (c *Conn) enableBigRequests() error {
	ext, err := c.QueryExtension(protocol.BigReqName).Reply()
	if err != nil {
		return err
	}
	if !ext.Present {
		return nil
	}
	r, err := Call[protocol.BigReqEnableReply](c, &protocol.BigReqEnable{Major: ext.MajorOpcode}).Reply()
	if err != nil {
		return err
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	// The answer is the limit the server enforces, even when it is less
	// than the setup says; a nonsense answer is ignored.
	if max := 4 * int(r.MaximumRequestLength); max >= 4096 {
		c.maxReq = max
	}
	return nil
}

// Setup returns the server's connection setup: screens, visuals, pixmap
// formats, the image byte order. The caller must not change it.
func (c *Conn) Setup() *protocol.Setup { return &c.setup }

// Screen returns the default screen: the one the display string named.
func (c *Conn) Screen() *protocol.Screen { return &c.setup.Roots[c.screen] }

// Root returns the root window of the default screen.
func (c *Conn) Root() Window { return Window(c.Screen().Root) }

// ByteOrder returns the byte order of the connection.
func (c *Conn) ByteOrder() protocol.ByteOrder { return c.order }

// MaxRequestBytes returns the longest request the server accepts, in
// bytes: the BIG-REQUESTS maximum when it is enabled.
func (c *Conn) MaxRequestBytes() int {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.maxReq
}

// Stats returns the connection's counters.
func (c *Conn) Stats() Stats {
	return Stats{
		BytesSent:     c.stats.sent.Load(),
		BytesReceived: c.stats.received.Load(),
		Requests:      c.stats.requests.Load(),
		Writes:        c.stats.writes.Load(),
		RoundTrips:    c.stats.roundTrips.Load(),
	}
}

// Err returns why the connection ended (a *ConnError, or ErrClosed), or
// nil while it is up.
func (c *Conn) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// NewID allocates a resource id for a new window, pixmap, GC, font,
// colormap or cursor, from the range the server gave the connection.
func (c *Conn) NewID() (uint32, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	// Start at 1, as libxcb does: the base alone could be 0, which is None.
	id, ok := spread(c.nextID+1, c.setup.ResourceIdMask)
	if !ok {
		return 0, ErrNoIDs
	}
	c.nextID++
	return c.setup.ResourceIdBase | id, nil
}

// spread places the low bits of n in the set bits of mask, lowest first,
// and reports whether all of n fitted.
func spread(n, mask uint32) (uint32, bool) {
	var v uint32
	for m := mask; m != 0; m &= m - 1 {
		if n&1 != 0 {
			v |= m & -m
		}
		n >>= 1
	}
	return v, n == 0
}

// The kinds of answer a request waits for.
const (
	kindVoid    = iota // none: its error goes to the event queue
	kindChecked        // none, but its error goes to its cookie
	kindReply          // one reply
	kindMulti          // replies until one that says it is the last
)

// A pending is a request whose answer is awaited.
type pending struct {
	seq     uint64
	kind    int
	op      uint8
	last    func([]byte) bool // for kindMulti: is this reply the last
	replies [][]byte
	err     error
	done    chan struct{} // closed when the answer is complete
}

// Send queues a request that has no reply. It returns an error only when
// the request cannot be sent: the connection is gone, or the request is
// too long (a *TooLongError). An X error for the request arrives later on
// the event queue, as a *protocol.Error.
func (c *Conn) Send(req protocol.Request) error {
	_, err := c.send(req, kindVoid, nil)
	return err
}

// SendChecked queues a request that has no reply and returns a cookie
// whose Check reports its X error, if any, instead of the event queue.
func (c *Conn) SendChecked(req protocol.Request) VoidCookie {
	p, err := c.send(req, kindChecked, nil)
	return VoidCookie{c: c, p: p, err: err}
}

// send marshals a request into the output buffer, registering it as
// pending when an answer is awaited.
func (c *Conn) send(req protocol.Request, kind int, last func([]byte) bool) (*pending, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.Err(); err != nil {
		return nil, err
	}
	start := len(c.out)
	c.out = req.Marshal(c.order, c.out)
	n := len(c.out) - start
	if n < 4 {
		c.out = c.out[:start]
		return nil, fmt.Errorf("xlib: %T marshals to %d bytes, not a request", req, n)
	}
	op := c.out[start]
	if n > c.maxReq {
		name := requestName(op, c.out[start+1:start+2])
		c.out = c.out[:start]
		return nil, &TooLongError{Request: name, Len: n, Max: c.maxReq}
	}
	var p *pending
	c.seq++
	c.stats.requests.Add(1)
	if kind != kindVoid {
		p = &pending{seq: c.seq, kind: kind, op: op, last: last, done: make(chan struct{})}
		c.mu.Lock()
		c.pending = append(c.pending, p)
		c.mu.Unlock()
	}
	if kind == kindReply || kind == kindMulti {
		c.voidRun = 0
		c.lastReply = c.seq
	} else {
		c.voidRun++ // a checked request is answered only if it fails
	}
	if c.voidRun >= voidRunLimit {
		c.queueSync()
	}
	if len(c.out) >= flushSize {
		if err := c.writeLocked(); err != nil && p == nil {
			return nil, err
		}
	}
	return p, nil
}

// streamChunk is how much of a streamed request is queued before it is
// written.
const streamChunk = 128 << 10

// stream queues a request without a reply made of a fixed part, hdr
// marshalled with an empty body, and a body of rows rows of stride bytes
// that fill writes one at a time straight into the output buffer. A large
// image is thus never held whole a second time; it goes out in chunks as
// it is converted.
func (c *Conn) stream(hdr protocol.Request, rows, stride int, fill func(row int, dst []byte)) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.Err(); err != nil {
		return err
	}
	start := len(c.out)
	c.out = hdr.Marshal(c.order, c.out)
	fixed := len(c.out) - start
	body := rows * stride
	words := (fixed + body + 3) / 4
	big := words > protocol.MaxRequestLength
	if big {
		words++
	}
	if 4*words > c.maxReq {
		op := c.out[start]
		name := requestName(op, c.out[start+1:start+2])
		c.out = c.out[:start]
		return &TooLongError{Request: name, Len: 4 * words, Max: c.maxReq}
	}
	if big {
		// The BIG-REQUESTS form: a zero length, then the length in 32
		// bits.
		c.out = append(c.out, 0, 0, 0, 0)
		copy(c.out[start+8:], c.out[start+4:start+fixed])
		c.order.PutU16(c.out[start+2:], 0)
		c.order.PutU32(c.out[start+4:], uint32(words))
	} else {
		c.order.PutU16(c.out[start+2:], uint16(words))
	}
	for y := range rows {
		if len(c.out) >= streamChunk {
			if err := c.writeLocked(); err != nil {
				return err
			}
		}
		n := len(c.out)
		c.out = slices.Grow(c.out, stride)[:n+stride]
		dst := c.out[n:]
		clear(dst)
		fill(y, dst)
	}
	for (fixed+body)%4 != 0 {
		c.out = append(c.out, 0)
		body++
	}
	// The sequence number moves only now, so that the request does not
	// count as written while its tail is still queued.
	c.seq++
	c.stats.requests.Add(1)
	c.voidRun++
	if c.voidRun >= voidRunLimit {
		c.queueSync()
	}
	if len(c.out) >= flushSize {
		return c.writeLocked()
	}
	return nil
}

// queueSync queues a GetInputFocus whose reply nobody awaits: something
// for the server to answer. c.wmu is held.
func (c *Conn) queueSync() {
	c.out = protocol.GetInputFocus{}.Marshal(c.order, c.out)
	c.seq++
	c.stats.requests.Add(1)
	c.lastReply = c.seq
	c.voidRun = 0
}

func requestName(op uint8, rest []byte) string {
	if op < 128 && protocol.RequestNames[op] != "" {
		return protocol.RequestNames[op]
	}
	if len(rest) > 0 {
		return fmt.Sprintf("extension %d.%d", op, rest[0])
	}
	return fmt.Sprintf("extension %d", op)
}

// writeLocked writes the output buffer. c.wmu is held.
func (c *Conn) writeLocked() error {
	if len(c.out) == 0 {
		return nil
	}
	n, err := c.nc.Write(c.out)
	c.stats.sent.Add(uint64(n))
	c.stats.writes.Add(1)
	if err != nil {
		c.fail(fmt.Errorf("write: %w", err))
		c.out = c.out[:0]
		return c.Err()
	}
	c.written = c.seq
	// Keep the buffer for the next batch, unless one huge request grew it.
	if cap(c.out) > 4<<20 {
		c.out = nil
	} else {
		c.out = c.out[:0]
	}
	return nil
}

// Flush writes the queued requests. It returns the error that ended the
// connection, if it has ended.
func (c *Conn) Flush() error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.Err(); err != nil {
		return err
	}
	return c.writeLocked()
}

// flushTo makes sure request seq has been written.
func (c *Conn) flushTo(seq uint64) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.written < seq && c.Err() == nil {
		c.writeLocked()
	}
}

// wait waits for the answer to p, writing the requests up to it first if
// they are still queued.
func (c *Conn) wait(p *pending) error {
	select {
	case <-p.done:
		return p.err
	default:
	}
	c.flushTo(p.seq)
	c.stats.roundTrips.Add(1)
	<-p.done
	return p.err
}

// Sync writes the queued requests and waits until the server has
// processed them all. X errors of those requests are on the event queue
// before Sync returns; Sync itself returns only the error that ended the
// connection.
func (c *Conn) Sync() error {
	p, err := c.send(&protocol.GetInputFocus{}, kindReply, nil)
	if err != nil {
		return err
	}
	return c.wait(p)
}

// Close writes the requests still queued and closes the connection.
// Answers not yet received are lost: their cookies return ErrClosed, and
// the event channel is closed. Close the connection once; it returns nil
// when it was already closed or lost.
func (c *Conn) Close() error {
	c.wmu.Lock()
	if c.Err() == nil && len(c.out) > 0 {
		// A server that has stopped reading must not hold Close forever.
		c.nc.SetWriteDeadline(time.Now().Add(5 * time.Second))
		c.writeLocked()
	}
	c.wmu.Unlock()

	c.mu.Lock()
	if c.err == nil {
		c.err = ErrClosed
	}
	c.mu.Unlock()
	c.once.Do(func() { close(c.closing) })
	c.nc.Close()
	<-c.readerr
	return nil
}

// fail ends the connection: every pending request gets the error.
func (c *Conn) fail(cause error) {
	c.mu.Lock()
	if c.err == nil {
		c.err = &ConnError{Display: c.name, Err: cause}
	}
	err := c.err
	pend := c.pending
	c.pending = nil
	c.mu.Unlock()
	for _, p := range pend {
		p.err = err
		close(p.done)
	}
	c.nc.Close()
}

// readLoop reads what the server sends until the connection ends.
func (c *Conn) readLoop() {
	defer close(c.readerr)
	defer close(c.events)
	r := bufio.NewReaderSize(c.nc, 64<<10)
	var head [32]byte
	var seq uint64 // the full sequence number of the last message
	for {
		n, err := io.ReadFull(r, head[:])
		c.stats.received.Add(uint64(n))
		if err != nil {
			if n == 0 && err == io.EOF {
				err = errServerClosed
			} else if n > 0 {
				err = fmt.Errorf("the server closed the connection in the middle of a message (%d of 32 bytes): %w", n, io.ErrUnexpectedEOF)
			}
			c.fail(err)
			return
		}
		code := head[0] &^ protocol.SendEventBit
		if code != protocol.KeymapNotify {
			// The 16 bits on the wire are the low bits of a number at
			// least the last one, and less than 65536 beyond it.
			s := c.order.U16(head[2:])
			seq += uint64(s - uint16(seq))
		}
		switch {
		case head[0] == 0:
			var e protocol.Error
			e.Unmarshal(c.order, head[:])
			c.routeError(&e, seq)
		case head[0] == 1:
			msg, err := c.readRest(r, head[:])
			if err != nil {
				c.fail(err)
				return
			}
			c.routeReply(msg, seq)
		case code == protocol.GenericEvent:
			msg, err := c.readRest(r, head[:])
			if err != nil {
				c.fail(err)
				return
			}
			ev := RawEvent(msg)
			c.routeEvent(&ev, seq)
		default:
			c.routeEvent(c.decodeEvent(head[:]), seq)
		}
	}
}

// readRest reads the rest of a reply or generic event whose first 32
// bytes are head.
func (c *Conn) readRest(r io.Reader, head []byte) ([]byte, error) {
	n := protocol.MessageLength(c.order, head)
	what := "reply"
	if head[0] != 1 {
		what = "event"
	}
	if n < 32 || n > maxMessage {
		return nil, fmt.Errorf("a %s of %d bytes is longer than xlib accepts", what, n)
	}
	msg := make([]byte, n)
	copy(msg, head)
	got, err := io.ReadFull(r, msg[32:])
	c.stats.received.Add(uint64(got))
	if err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil, fmt.Errorf("the server closed the connection in the middle of a %s (%d of %d bytes): %w", what, 32+got, n, io.ErrUnexpectedEOF)
		}
		return nil, err
	}
	return msg, nil
}

// settle completes the pending requests before seq: no answer can come
// for them any more. c.mu is held.
func (c *Conn) settle(seq uint64) {
	for len(c.pending) > 0 && c.pending[0].seq < seq {
		p := c.pending[0]
		c.pending[0] = nil
		c.pending = c.pending[1:]
		switch {
		case p.kind == kindReply && len(p.replies) == 0:
			p.err = fmt.Errorf("xlib: the server sent no reply to %s request %d", requestName(p.op, nil), p.seq)
		case p.kind == kindMulti:
			p.err = fmt.Errorf("xlib: the server did not finish its replies to %s request %d", requestName(p.op, nil), p.seq)
		}
		close(p.done)
	}
}

// head returns the pending request seq, if it is awaited. c.mu is held.
func (c *Conn) head(seq uint64) *pending {
	if len(c.pending) > 0 && c.pending[0].seq == seq {
		return c.pending[0]
	}
	return nil
}

func (c *Conn) pop() {
	c.pending[0] = nil
	c.pending = c.pending[1:]
}

func (c *Conn) routeError(e *protocol.Error, seq uint64) {
	c.mu.Lock()
	c.settle(seq)
	if p := c.head(seq); p != nil {
		c.pop()
		c.mu.Unlock()
		p.err = e
		close(p.done)
		return
	}
	c.mu.Unlock()
	c.deliver(nil, e)
}

func (c *Conn) routeReply(msg []byte, seq uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.settle(seq)
	p := c.head(seq)
	if p == nil {
		return // a reply nobody awaits: the library's own sync, or a Send
	}
	if p.kind == kindReply || p.kind == kindMulti {
		p.replies = append(p.replies, msg)
	}
	if p.kind != kindMulti || p.last(msg) {
		c.pop()
		close(p.done)
	}
}

func (c *Conn) routeEvent(ev protocol.Event, seq uint64) {
	c.mu.Lock()
	c.settle(seq)
	// Every filter that matches gets the event: the owner and the
	// requestor of a selection may share a connection.
	var to []*filter
	kept := c.filters[:0]
	for _, f := range c.filters {
		if f.match(ev) {
			to = append(to, f)
			if f.once {
				continue
			}
		}
		kept = append(kept, f)
	}
	clear(c.filters[len(kept):])
	c.filters = kept
	c.mu.Unlock()
	if len(to) == 0 {
		c.deliver(nil, ev)
	}
	for _, f := range to {
		c.deliver(f, ev)
	}
}

// deliver queues an event for f, or for the event channel when f is nil.
// When the queue is full it waits: the reader stops reading, and the
// server holds what it has to send.
func (c *Conn) deliver(f *filter, ev protocol.Event) {
	if f == nil {
		select {
		case c.events <- ev:
		case <-c.closing:
		}
		return
	}
	select {
	case f.ch <- ev:
	case <-f.gone:
	case <-c.closing:
	}
}
