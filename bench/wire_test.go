package bench

import (
	"encoding/binary"
	"testing"
)

// xStream builds an X11 conversation in little-endian byte order: a
// setup request and reply, requests (one with a BIG-REQUESTS length),
// replies, events and an error.
func xStream() (up, down []byte) {
	le := binary.LittleEndian
	up = []byte{'l', 0, 11, 0, 0, 0, 18, 0, 16, 0, 0, 0}
	up = append(up, make([]byte, 20+16)...) // the name padded to 20, data 16
	req := func(words int) {
		b := make([]byte, words*4)
		le.PutUint16(b[2:], uint16(words))
		up = append(up, b...)
	}
	req(1)
	req(3)
	big := make([]byte, 12)
	le.PutUint32(big[4:], 3) // 3 words: the header, the length, one more
	up = append(up, big...)
	req(2)

	down = make([]byte, 8)
	down[0] = 1
	le.PutUint16(down[6:], 10)
	down = append(down, make([]byte, 40)...)
	reply := make([]byte, 32+8)
	reply[0] = 1
	le.PutUint32(reply[4:], 2)
	down = append(down, reply...)
	event := make([]byte, 32)
	event[0] = 12
	down = append(down, event...)
	event[0] = 0x80 | 33 // sent with SendEvent
	down = append(down, event...)
	down = append(down, make([]byte, 32)...) // an error
	return up, down
}

// The X11 framer counts the same messages however the stream is cut.
func TestXMessages(t *testing.T) {
	up, down := xStream()
	for _, chunk := range []int{1, 3, 7, 32, 1000} {
		req := newXRequests()
		rep := newXReplies(req)
		for i := 0; i < len(up); i += chunk {
			req.feed(up[i:min(i+chunk, len(up))])
		}
		for i := 0; i < len(down); i += chunk {
			rep.feed(down[i:min(i+chunk, len(down))])
		}
		want := Messages{Requests: 4, Replies: 1, Events: 2, Errors: 1}
		if got := req.counts().plus(rep.counts()); got != want {
			t.Errorf("chunks of %d: counted %+v, want %+v", chunk, got, want)
		}
		if req.dead || rep.dead {
			t.Errorf("chunks of %d: lost the stream", chunk)
		}
	}
}
