package bench

import (
	"encoding/binary"
	"net"
	"sync/atomic"
)

// A tap is the server end of the emulated link: the connection the link
// dials to the X server (X mode) or to the RFB server (pixel mode). It
// counts what the link delivers to the server (up) and what the server
// gives the link (down), uncompressed, and cuts both streams into the
// protocol's messages to count them.
type tap struct {
	net.Conn
	up, down       atomic.Int64
	upMsg, downMsg messages
}

// A messages counts the messages of one direction of a stream.
type messages interface {
	feed(p []byte)
	counts() Messages
}

func (t *tap) Read(p []byte) (int, error) {
	n, err := t.Conn.Read(p)
	if n > 0 {
		t.down.Add(int64(n))
		t.downMsg.feed(p[:n])
	}
	return n, err
}

func (t *tap) Write(p []byte) (int, error) {
	// Parse before the server can answer: the answer's parser takes
	// the byte order from the setup request.
	t.upMsg.feed(p)
	n, err := t.Conn.Write(p)
	t.up.Add(int64(n))
	return n, err
}

// Messages counts protocol messages by kind. X11: requests one way;
// replies, events and errors the other. RFB: client messages one way
// (FramebufferUpdateRequests, input, the rest); the other way is counted
// by the viewer, which decodes it.
type Messages struct {
	Requests int64 `json:"requests,omitempty"`
	Replies  int64 `json:"replies,omitempty"`
	Events   int64 `json:"events,omitempty"`
	Errors   int64 `json:"errors,omitempty"`
	// RFB client messages.
	UpdateRequests int64 `json:"update_requests,omitempty"`
	Input          int64 `json:"input,omitempty"`
	Other          int64 `json:"other,omitempty"`
	// RFB server messages: FramebufferUpdates.
	Updates int64 `json:"updates,omitempty"`
}

// Total is every message counted.
func (m Messages) Total() int64 {
	return m.Requests + m.Replies + m.Events + m.Errors + m.UpdateRequests + m.Input + m.Other + m.Updates
}

func (m Messages) plus(n Messages) Messages {
	return Messages{m.Requests + n.Requests, m.Replies + n.Replies, m.Events + n.Events, m.Errors + n.Errors,
		m.UpdateRequests + n.UpdateRequests, m.Input + n.Input, m.Other + n.Other, m.Updates + n.Updates}
}

func (m Messages) minus(n Messages) Messages {
	return m.plus(Messages{-n.Requests, -n.Replies, -n.Events, -n.Errors, -n.UpdateRequests, -n.Input, -n.Other, -n.Updates})
}

// A framer cuts a byte stream into messages whose lengths are in their
// headers: it gathers the start of each message until size can tell the
// whole message's length, then skips the rest.
type framer struct {
	hdr  []byte
	skip int64 // bytes of the current message still to come
	// size returns the length of the message that starts with h, or,
	// when h is too short to tell, 0 and how many bytes it needs; a
	// negative length means the stream cannot be followed any further.
	size func(h []byte) (total int64, need int)
	need int
	dead bool
}

func (f *framer) feed(p []byte) {
	for len(p) > 0 && !f.dead {
		if f.skip > 0 {
			n := min(int64(len(p)), f.skip)
			f.skip -= n
			p = p[n:]
			continue
		}
		if f.need == 0 {
			f.need = 1
		}
		n := min(f.need-len(f.hdr), len(p))
		f.hdr = append(f.hdr, p[:n]...)
		p = p[n:]
		if len(f.hdr) < f.need {
			return
		}
		total, need := f.size(f.hdr)
		switch {
		case need > 0:
			f.need = need
		case total < 0:
			f.dead = true
		default:
			f.skip = total - int64(len(f.hdr))
			f.hdr, f.need = f.hdr[:0], 0
		}
	}
}

// xRequests follows the client's side of an X11 connection: the setup
// request, then requests, BIG-REQUESTS lengths included.
type xRequests struct {
	framer
	order binary.ByteOrder
	big   atomic.Int32 // the byte order, for the other direction's goroutine: 1 big, 2 little
	n     atomic.Int64
}

// byteOrder is the connection's byte order, once the setup request has
// said it.
func (x *xRequests) byteOrder() binary.ByteOrder {
	switch x.big.Load() {
	case 1:
		return binary.BigEndian
	case 2:
		return binary.LittleEndian
	}
	return nil
}

func newXRequests() *xRequests {
	x := &xRequests{}
	x.size = func(h []byte) (int64, int) {
		if x.order == nil {
			if len(h) < 12 {
				return 0, 12
			}
			switch h[0] {
			case 'B':
				x.order = binary.BigEndian
				x.big.Store(1)
			case 'l':
				x.order = binary.LittleEndian
				x.big.Store(2)
			default:
				return -1, 0
			}
			return 12 + pad4(int64(x.order.Uint16(h[6:]))) + pad4(int64(x.order.Uint16(h[8:]))), 0
		}
		if len(h) < 4 {
			return 0, 4
		}
		n := int64(x.order.Uint16(h[2:])) * 4
		if n == 0 { // BIG-REQUESTS: the length follows
			if len(h) < 8 {
				return 0, 8
			}
			n = int64(x.order.Uint32(h[4:])) * 4
			if n < 8 {
				return -1, 0
			}
		}
		x.n.Add(1)
		return n, 0
	}
	return x
}

func (x *xRequests) counts() Messages { return Messages{Requests: x.n.Load()} }

// xReplies follows the server's side: the setup reply, then 32-byte
// events and errors and replies of 32 bytes and more. It takes the byte
// order from the client's setup request, which comes first.
type xReplies struct {
	framer
	setup                   bool
	replies, events, errors atomic.Int64
}

func newXReplies(req *xRequests) *xReplies {
	x := &xReplies{}
	x.size = func(h []byte) (int64, int) {
		order := req.byteOrder()
		if order == nil {
			return -1, 0
		}
		if !x.setup {
			if len(h) < 8 {
				return 0, 8
			}
			x.setup = true
			return 8 + int64(order.Uint16(h[6:]))*4, 0
		}
		if len(h) < 32 {
			return 0, 32
		}
		switch k := h[0] & 0x7f; k {
		case 0:
			x.errors.Add(1)
		case 1:
			x.replies.Add(1)
			return 32 + int64(order.Uint32(h[4:]))*4, 0
		case 35: // GenericEvent carries a length too
			x.events.Add(1)
			return 32 + int64(order.Uint32(h[4:]))*4, 0
		default:
			x.events.Add(1)
		}
		return 32, 0
	}
	return x
}

func (x *xReplies) counts() Messages {
	return Messages{Replies: x.replies.Load(), Events: x.events.Load(), Errors: x.errors.Load()}
}

// rfbClient follows the viewer's side of an RFB connection: the version,
// the security type (None), ClientInit, then client messages.
type rfbClient struct {
	framer
	phase                 int // 0 version, 1 security type, 2 ClientInit, 3 messages
	requests, input, rest atomic.Int64
}

func newRFBClient() *rfbClient {
	r := &rfbClient{}
	r.size = func(h []byte) (int64, int) {
		switch r.phase {
		case 0:
			if len(h) < 12 {
				return 0, 12
			}
			r.phase++
			return 12, 0
		case 1, 2:
			r.phase++
			return 1, 0
		}
		var n int64
		var need int
		switch h[0] {
		case 0: // SetPixelFormat
			r.rest.Add(1)
			return 20, 0
		case 2: // SetEncodings
			if need = 4; len(h) >= need {
				r.rest.Add(1)
				n = 4 + 4*int64(binary.BigEndian.Uint16(h[2:]))
			}
		case 3:
			r.requests.Add(1)
			return 10, 0
		case 4:
			r.input.Add(1)
			return 8, 0
		case 5:
			r.input.Add(1)
			return 6, 0
		case 6: // CutText
			if need = 8; len(h) >= need {
				r.rest.Add(1)
				n = 8 + int64(binary.BigEndian.Uint32(h[4:]))
			}
		case 150: // EnableContinuousUpdates
			r.rest.Add(1)
			return 10, 0
		case 248: // Fence
			if need = 9; len(h) >= need {
				r.rest.Add(1)
				n = 9 + int64(h[8])
			}
		case 251: // SetDesktopSize
			if need = 8; len(h) >= need {
				r.rest.Add(1)
				n = 8 + 16*int64(h[6])
			}
		default:
			return -1, 0
		}
		if n == 0 {
			return 0, need
		}
		return n, 0
	}
	return r
}

func (r *rfbClient) counts() Messages {
	return Messages{UpdateRequests: r.requests.Load(), Input: r.input.Load(), Other: r.rest.Load()}
}

// nothing counts no messages, for a stream another party counts.
type nothing struct{}

func (nothing) feed([]byte)      {}
func (nothing) counts() Messages { return Messages{} }

func pad4(n int64) int64 { return (n + 3) &^ 3 }
