package xlib

import (
	"errors"
	"fmt"

	"netdisplay/protocol"
)

// A Cookie is the promise of a reply. The request is queued when the
// cookie is made; Reply waits for the answer only when it is needed, so
// that many requests can be in flight at once:
//
//	a := c.InternAtom("WM_PROTOCOLS", false)
//	b := c.InternAtom("WM_DELETE_WINDOW", false)
//	protocols, err := a.Reply() // one round trip for both
//	deleteWindow, err := b.Reply()
//
// Reply may be called any number of times, from any goroutine. An X error
// for the request is returned by Reply as a *protocol.Error; a lost
// connection as a *ConnError.
type Cookie[T any] struct {
	c      *Conn
	p      *pending
	err    error // the request could not be sent
	decode func(c *Conn, replies [][]byte) (T, error)
}

// Reply writes the request if it is still queued, waits for its answer
// and decodes it.
func (k Cookie[T]) Reply() (T, error) {
	var zero T
	if k.err != nil {
		return zero, k.err
	}
	if k.p == nil {
		return zero, errors.New("xlib: Reply on a zero Cookie")
	}
	if err := k.c.wait(k.p); err != nil {
		return zero, err
	}
	return k.decode(k.c, k.p.replies)
}

// Sequence returns the request's sequence number on the connection
// (counted from 1, not wrapped at 16 bits), or 0 when it was not sent.
func (k Cookie[T]) Sequence() uint64 {
	if k.p == nil {
		return 0
	}
	return k.p.seq
}

// answered is a pending that needs no round trip.
func answered() *pending {
	p := &pending{done: make(chan struct{})}
	close(p.done)
	return p
}

// ready returns a cookie already holding its value: the answer was
// known without asking the server.
func ready[T any](c *Conn, v T) Cookie[T] {
	return Cookie[T]{c: c, p: answered(), decode: func(*Conn, [][]byte) (T, error) { return v, nil }}
}

// failed returns a cookie that returns err.
func failed[T any](err error) Cookie[T] { return Cookie[T]{err: err} }

// Call queues any request that has one reply, and returns a cookie that
// decodes the reply as an R:
//
//	k := xlib.Call[protocol.GetGeometryReply](c, &protocol.GetGeometry{Drawable: d})
//	geom, err := k.Reply() // a *protocol.GetGeometryReply
//
// RawReply takes any reply as bytes, for extensions the protocol package
// does not describe.
func Call[R any, P interface {
	*R
	protocol.Reply
}](c *Conn, req protocol.Request) Cookie[P] {
	return callDecode(c, req, func(c *Conn, replies [][]byte) (P, error) {
		r := P(new(R))
		if err := r.Unmarshal(c.order, replies[0]); err != nil {
			return nil, fmt.Errorf("xlib: bad %T: %w", r, err)
		}
		return r, nil
	})
}

// callDecode queues a request with one reply, decoded by decode.
func callDecode[T any](c *Conn, req protocol.Request, decode func(*Conn, [][]byte) (T, error)) Cookie[T] {
	p, err := c.send(req, kindReply, nil)
	return Cookie[T]{c: c, p: p, err: err, decode: decode}
}

// callMulti queues a request answered by a series of replies, the last
// of which last recognizes.
func callMulti[T any](c *Conn, req protocol.Request, last func([]byte) bool, decode func(*Conn, [][]byte) (T, error)) Cookie[T] {
	p, err := c.send(req, kindMulti, last)
	return Cookie[T]{c: c, p: p, err: err, decode: decode}
}

// RawReply is a whole reply as it came, 32 bytes or more, for use with
// Call when no generated type describes it.
type RawReply []byte

// Marshal appends the reply to b.
func (r RawReply) Marshal(o protocol.ByteOrder, b []byte) []byte { return append(b, r...) }

// Unmarshal keeps a copy of b.
func (r *RawReply) Unmarshal(o protocol.ByteOrder, b []byte) error {
	*r = append((*r)[:0], b...)
	return nil
}

// A VoidCookie stands for a request without a reply whose X error is
// wanted: see Conn.SendChecked.
type VoidCookie struct {
	c   *Conn
	p   *pending
	err error
}

// Check waits until the server has processed the request and returns its
// X error (a *protocol.Error), or nil if it succeeded. It writes the
// request if it is still queued and, when no later request has a reply,
// queues one so that the server has something to answer.
func (k VoidCookie) Check() error {
	if k.err != nil {
		return k.err
	}
	if k.p == nil {
		return errors.New("xlib: Check on a zero VoidCookie")
	}
	select {
	case <-k.p.done:
		return k.p.err
	default:
	}
	c := k.c
	c.wmu.Lock()
	if c.lastReply < k.p.seq && c.Err() == nil {
		c.queueSync()
	}
	answered := c.lastReply // a request after k's that the server answers
	c.wmu.Unlock()
	c.flushTo(answered)
	c.stats.roundTrips.Add(1)
	<-k.p.done
	return k.p.err
}
