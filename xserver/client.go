package xserver

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"netdisplay/protocol"
)

// A client is one connection. Its fields are guarded by the server lock,
// except where noted.
type client struct {
	s       *Server
	index   int
	conn    net.Conn
	order   protocol.ByteOrder
	trusted bool
	remote  string

	base uint32 // resource-id base; the mask is idMask
	seq  uint16 // sequence number of the request being run

	bigRequests bool
	closeDown   uint8 // CloseDownMode of SetCloseDownMode
	gone        bool  // disconnected; its resources are freed or retained

	nresources  int
	pixmapBytes int
	saveSet     []*window

	out    []byte // output built during the current batch
	outErr bool   // the queue overflowed; the client is being dropped
	w      writer

	requests uint64
	bytesIn  uint64
	bytesOut uint64 // handed to the writer
	op       uint8  // major opcode of the request being run

	req requestScratch // decoded request structs, reused per opcode

	recent     [2]recentLookup // the last resources looked up
	recentNext int
	xkb        xkbClient // XKEYBOARD: selected events, per-client flags (xkb.go)
}

// idMask is each client's resource-id mask: 21 bits, as X.Org gives, which
// leaves bits 21 to 28 for the client index.
const idMask = 0x001FFFFF

func clientBase(index int) uint32 { return uint32(index) << 21 }

// owner returns the index of the client whose id range holds id.
func owner(id uint32) int { return int(id>>21) & 0xFF }

func (c *client) info() ClientInfo {
	return ClientInfo{Index: c.index, Remote: c.remote, Requests: c.requests, BytesIn: c.bytesIn, BytesOut: c.bytesOut}
}

// ServeConn runs the X protocol on one connection until it closes. trusted
// connections (loopback and the Unix socket) need no authorization.
func (s *Server) ServeConn(conn net.Conn, trusted bool) {
	defer conn.Close()
	c := &client{s: s, conn: conn, trusted: trusted, remote: conn.RemoteAddr().String()}
	c.w.init(conn)
	if !c.setup() {
		return
	}
	go c.w.run()
	c.readLoop()
	s.mu.Lock()
	s.disconnect(c)
	s.mu.Unlock()
	c.w.close()
}

// setupTimeout bounds how long a connection may take to say hello, so that
// idle sockets do not pile up.
const setupTimeout = 30 * time.Second

// setup reads the client's connection setup and answers it.
func (c *client) setup() bool {
	c.conn.SetReadDeadline(time.Now().Add(setupTimeout))
	defer c.conn.SetReadDeadline(time.Time{})
	var hdr [12]byte
	if _, err := io.ReadFull(c.conn, hdr[:]); err != nil {
		return false
	}
	switch hdr[0] {
	case 'l':
		c.order = protocol.LSBFirst
	case 'B':
		c.order = protocol.MSBFirst
	default:
		return false // not X: nothing we can answer in
	}
	o := c.order
	major := o.U16(hdr[2:])
	nameLen := int(o.U16(hdr[6:]))
	dataLen := int(o.U16(hdr[8:]))
	rest := make([]byte, pad4(nameLen)+pad4(dataLen))
	if _, err := io.ReadFull(c.conn, rest); err != nil {
		return false
	}
	name := string(rest[:nameLen])
	data := rest[pad4(nameLen) : pad4(nameLen)+dataLen]
	c.bytesIn = uint64(12 + len(rest))

	if major != 11 {
		return c.refuse(fmt.Sprintf("protocol version mismatch: server speaks 11, client %d", major))
	}
	if !c.trusted || name != "" {
		if !c.authorized(name, data) {
			return c.refuse("No protocol specified or invalid authorization (MIT-MAGIC-COOKIE-1 required)")
		}
	}

	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	index := 0
	if s.nclient < s.cfg.Limits.Clients {
		for i := 1; i < len(s.clients); i++ {
			if s.clients[i] == nil && !s.retained(i) {
				index = i
				break
			}
		}
	}
	if index == 0 {
		s.logf("xserver: refusing %s: maximum number of clients (%d) reached", c.remote, s.cfg.Limits.Clients)
		return c.refuseLocked("Maximum number of clients reached")
	}
	c.index = index
	c.base = clientBase(index)
	s.clients[index] = c
	s.nclient++
	reply := s.screen.setupReply(c)
	if _, err := c.conn.Write(reply); err != nil {
		s.clients[index] = nil
		s.nclient--
		return false
	}
	c.bytesOut += uint64(len(reply))
	return true
}

func (c *client) authorized(name string, data []byte) bool {
	cookie := c.s.cfg.Cookie
	if name != "MIT-MAGIC-COOKIE-1" || len(cookie) == 0 {
		return c.trusted && name == ""
	}
	return len(data) == len(cookie) && subtle.ConstantTimeCompare(data, cookie) == 1
}

func (c *client) refuse(reason string) bool {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	return c.refuseLocked(reason)
}

// refuseLocked sends a SetupFailed message.
func (c *client) refuseLocked(reason string) bool {
	o := c.order
	b := []byte{0, byte(len(reason))}
	b = o.AppendU16(b, 11)
	b = o.AppendU16(b, 0)
	b = o.AppendU16(b, uint16(pad4(len(reason))/4))
	b = append(b, reason...)
	b = append(b, make([]byte, pad4(len(reason))-len(reason))...)
	c.conn.Write(b)
	return false
}

func pad4(n int) int { return (n + 3) &^ 3 }

// readLoop reads requests and runs them in batches.
func (c *client) readLoop() {
	const minBuf, bigBuf = 64 << 10, 256 << 10
	buf := make([]byte, minBuf)
	r, w := 0, 0         // buf[r:w] is read and not yet run
	discard := 0         // bytes of an over-long request still to skip
	var needed time.Time // when buf last held more than bigBuf
	skip := func() {
		d := min(discard, w-r)
		r += d
		discard -= d
	}
	for {
		if r == w {
			r, w = 0, 0
		}
		if w == len(buf) {
			// No room left. Move what is left to the front, rather than
			// after every batch: it is a request that has not all
			// arrived, and images make those tens of kilobytes. Requests
			// that big get a bigger buffer, so that moving them is rare;
			// one larger than the buffer grows it to fit at once, which
			// is within the limit (runBatch skips longer ones as soon as
			// their length is read).
			size := len(buf)
			need := c.pendingLength(buf[r:w])
			switch {
			case need > size:
				size = min(need+minBuf-1, c.s.cfg.Limits.RequestBytes+minBuf) &^ (minBuf - 1)
			case need > size/4 && size < bigBuf || r == 0:
				size *= 2
			}
			if size != len(buf) {
				nb := make([]byte, size)
				w = copy(nb, buf[r:w])
				buf = nb
			} else {
				w = copy(buf, buf[r:w])
			}
			r = 0
		}
		n, err := c.conn.Read(buf[w:])
		w += n
		if w-r > bigBuf {
			needed = time.Now()
		}
		skip()
		// Run every complete request, a batch at a time: the client may be
		// waiting for the reply to the last one before it sends more.
		for r < w && discard == 0 {
			used, over, more, ok := c.runBatch(buf[r:w])
			if !ok {
				return
			}
			c.w.writeNow()
			r += used
			discard = over
			skip()
			if !more {
				break
			}
		}
		if len(buf) > bigBuf && w-r < minBuf && time.Since(needed) > time.Second {
			// Give back the memory a huge request needed, once the
			// client has gone a second without needing it again: a
			// client that sends one image is likely to send the next.
			nb := make([]byte, minBuf)
			w = copy(nb, buf[r:w])
			r, buf = 0, nb
		}
		if err != nil {
			return
		}
	}
}

// pendingLength returns the length in bytes of the request at the start
// of b, or 0 if its header has not all arrived.
func (c *client) pendingLength(b []byte) int {
	if len(b) < 4 {
		return 0
	}
	if n := int(c.order.U16(b[2:])); n != 0 {
		return 4 * n
	}
	if len(b) < 8 {
		return 0
	}
	return 4 * int(c.order.U32(b[4:]))
}

// recoverPanics turns a panic in a request handler into the loss of that
// one client. Tests turn it off, so that fuzzing finds the panics.
var recoverPanics = true

// batchSize bounds how many requests one client runs while holding the
// server lock, so that a flood from one client cannot starve the others.
const batchSize = 512

// runBatch runs the complete requests at the start of b, at most
// batchSize of them. It returns how many bytes it used, how many more bytes
// of an over-long request must be skipped, whether it stopped with complete
// requests left, and false if the connection must close.
func (c *client) runBatch(b []byte) (used, skip int, more, ok bool) {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() {
		// A bug in a request handler must not take the server down with
		// every client: drop this client, keep the others.
		if recoverPanics {
			if p := recover(); p != nil {
				s.logf("xserver: client %d: internal error in request %s: %v\n%s", c.index, requestName(c.op), p, debug.Stack())
				used, skip, more, ok = len(b), 0, false, false
				c.conn.Close()
			}
		}
	}()
	for s.grab != nil && s.grab != c && !c.gone {
		s.ungrab.Wait()
	}
	if c.gone {
		return 0, 0, false, false
	}
	o := c.order
	ok = true
	for count := 0; ; count++ {
		if count == batchSize {
			more = true
			break
		}
		rest := b[used:]
		if len(rest) < 4 {
			break
		}
		words := int(o.U16(rest[2:]))
		hdr := 4
		if words == 0 {
			if !c.bigRequests {
				s.logf("xserver: client %d: request of length 0 without BIG-REQUESTS; closing", c.index)
				ok = false
				break
			}
			if len(rest) < 8 {
				break
			}
			words = int(o.U32(rest[4:]))
			hdr = 8
			if words < 2 {
				s.logf("xserver: client %d: big request of length %d; closing", c.index, words)
				ok = false
				break
			}
		}
		n := words * 4
		if n > s.cfg.Limits.RequestBytes || n < 0 {
			// Too long: answer BadLength and skip it, as X.Org does.
			c.seq++
			c.requests++
			c.sendError(&protocol.Error{Code: protocol.BadLength, MajorOpcode: rest[0], MinorOpcode: uint16(rest[1])})
			skip = n
			if skip > len(rest) {
				skip -= len(rest)
				used = len(b)
			} else {
				used += skip
				skip = 0
			}
			continue
		}
		if len(rest) < n {
			break
		}
		req := rest[:n]
		if hdr == 8 {
			// Re-frame as an ordinary request: header, then body.
			copy(req[4:8], req[0:4])
			req = req[4:]
		}
		used += n
		c.seq++
		c.requests++
		c.bytesIn += uint64(n)
		c.op = req[0]
		c.dispatch(req)
		if c.gone {
			ok = false
			break
		}
	}
	s.flushOwn(c)
	return used, skip, more, ok
}

// send queues bytes for the client. Call with the server lock held.
func (c *client) send(b []byte) {
	if c.gone {
		return
	}
	if len(c.out) == 0 {
		c.s.dirty = append(c.s.dirty, c)
	}
	c.out = append(c.out, b...)
}

// flushAll hands every pending output buffer to its writer.
func (s *Server) flushAll() { s.flushOwn(nil) }

// flushOwn is flushAll at the end of a batch of own's requests: own's
// output is queued without waking its writer goroutine, because own's
// reader writes it as soon as it lets go of the lock (writer.writeNow),
// which saves a round trip its two thread switches.
func (s *Server) flushOwn(own *client) {
	for _, c := range s.dirty {
		if len(c.out) == 0 {
			continue
		}
		c.bytesOut += uint64(len(c.out))
		if !c.w.push(&c.out, s.cfg.Limits.OutputQueue, c != own) && !c.outErr {
			c.outErr = true
			s.logf("xserver: client %d (%s) is not reading: more than %d bytes queued; disconnecting", c.index, c.remote, s.cfg.Limits.OutputQueue)
			c.conn.Close()
		}
	}
	s.dirty = s.dirty[:0]
}

// A writer owns a connection's write side: it writes queued output in its
// own goroutine, so that the server never blocks on a slow client. The
// client's reader goroutine may write too (writeNow); busy keeps the two
// from writing at once.
type writer struct {
	mu     sync.Mutex
	cond   sync.Cond
	conn   net.Conn
	queue  []byte
	spare  []byte
	busy   bool // a write is in progress
	closed bool
	// inline says the reader may write: the connection is a socket, whose
	// write deadlines bound how long it can be held up.
	inline bool
}

func (w *writer) init(conn net.Conn) {
	w.conn = conn
	w.cond.L = &w.mu
	switch conn.(type) {
	case *net.UnixConn, *net.TCPConn:
		w.inline = true
	}
}

// push moves *out to the queue, leaving *out empty, and wakes the writer
// goroutine if wake is set. It reports false if the queue would pass
// limit.
func (w *writer) push(out *[]byte, limit int, wake bool) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		*out = (*out)[:0]
		return true
	}
	if len(w.queue)+len(*out) > limit {
		*out = (*out)[:0]
		return false
	}
	if len(w.queue) == 0 {
		// Swap rather than copy: the common case.
		w.queue, *out = *out, w.queue[:0]
	} else {
		w.queue = append(w.queue, *out...)
		*out = (*out)[:0]
	}
	if wake || !w.inline {
		w.cond.Signal()
	}
	return true
}

func (w *writer) run() {
	for {
		w.mu.Lock()
		for (len(w.queue) == 0 || w.busy) && !w.closed {
			w.cond.Wait()
		}
		if len(w.queue) == 0 && w.closed {
			w.mu.Unlock()
			return
		}
		for w.busy {
			w.cond.Wait() // closed, but the reader is still writing
		}
		buf := w.queue
		w.queue = w.spare[:0]
		w.busy = true
		w.mu.Unlock()

		_, err := w.conn.Write(buf)

		w.mu.Lock()
		w.busy = false
		w.recycle(buf)
		if err != nil {
			w.fail()
			return
		}
		w.mu.Unlock()
	}
}

// inlineWrite bounds how long the reader goroutine writes before it leaves
// the rest to the writer goroutine: a client that does not read its replies
// holds up nothing but its own requests, and not for long.
const inlineWrite = 10 * time.Millisecond

// writeNow writes what is queued from the calling goroutine, the client's
// reader, unless a write is already under way. A client waiting for a
// reply then gets it without the writer goroutine being woken for it.
func (w *writer) writeNow() {
	w.mu.Lock()
	if !w.inline || w.busy || w.closed || len(w.queue) == 0 {
		w.mu.Unlock()
		return
	}
	buf := w.queue
	w.queue = w.spare[:0]
	w.busy = true
	w.mu.Unlock()

	n, err := 0, w.conn.SetWriteDeadline(time.Now().Add(inlineWrite))
	if err == nil {
		n, err = w.conn.Write(buf)
		if derr := w.conn.SetWriteDeadline(time.Time{}); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
			err = derr
		}
	}

	w.mu.Lock()
	w.busy = false
	if err != nil {
		w.fail()
		return
	}
	if n < len(buf) {
		// The client is not reading: the writer goroutine goes on with
		// the rest, ahead of anything queued since.
		rest := make([]byte, 0, len(buf)-n+len(w.queue))
		w.queue = append(append(rest, buf[n:]...), w.queue...)
	} else {
		w.recycle(buf)
	}
	if len(w.queue) > 0 || w.closed {
		w.cond.Signal()
	}
	w.mu.Unlock()
}

// recycle keeps buf for the next queue, unless it is a burst's worth.
// Call with w.mu held.
func (w *writer) recycle(buf []byte) {
	if cap(buf) <= 1<<20 {
		w.spare = buf[:0]
	} else {
		w.spare = nil // do not hold on to a burst's memory
	}
}

// fail gives up on the connection after a write error. Call it with w.mu
// held; it lets go of it.
func (w *writer) fail() {
	w.closed = true
	w.queue = nil
	w.cond.Signal()
	w.mu.Unlock()
	w.conn.Close()
}

// close lets the writer finish what is queued, then stop.
func (w *writer) close() {
	w.mu.Lock()
	w.closed = true
	w.cond.Signal()
	w.mu.Unlock()
}

// errorf logs a message about a client.
func (c *client) errorf(format string, args ...any) {
	c.s.logf("xserver: client %d: %s", c.index, fmt.Sprintf(format, args...))
}
