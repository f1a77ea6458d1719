//go:build linux

package xserver_test

import (
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"netdisplay/protocol"
)

// rawConn is a minimal X client speaking package protocol directly, in
// either byte order: what the tests need to send exactly the bytes they
// mean, malformed ones included.
type rawConn struct {
	t     testing.TB
	c     net.Conn
	o     protocol.ByteOrder
	setup protocol.Setup
	seq   uint16
	next  uint32
	buf   []byte
}

func socketFor(display string) string {
	return "/tmp/.X11-unix/X" + strings.TrimPrefix(display, ":")
}

// dialRaw connects and completes the connection setup.
func dialRaw(t testing.TB, display string, o protocol.ByteOrder) *rawConn {
	t.Helper()
	c, err := net.Dial("unix", socketFor(display))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return handshake(t, c, o, "", nil)
}

func handshake(t testing.TB, c net.Conn, o protocol.ByteOrder, authName string, authData []byte) *rawConn {
	t.Helper()
	r := &rawConn{t: t, c: c, o: o}
	req := protocol.SetupRequest{ByteOrder: o, ProtocolMajorVersion: 11, AuthorizationProtocolName: []byte(authName), AuthorizationProtocolData: authData}
	if _, err := c.Write(req.Marshal(o, nil)); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	head := make([]byte, 8)
	if _, err := io.ReadFull(c, head); err != nil {
		t.Fatalf("setup: %v", err)
	}
	rest := make([]byte, 4*int(o.U16(head[6:])))
	if _, err := io.ReadFull(c, rest); err != nil {
		t.Fatalf("setup: %v", err)
	}
	msg := append(head, rest...)
	if head[0] != 1 {
		r.setup.Status = head[0]
		r.buf = msg
		return r
	}
	if err := r.setup.Unmarshal(o, msg); err != nil {
		t.Fatalf("setup reply: %v", err)
	}
	return r
}

func (r *rawConn) id() uint32 {
	r.next++
	return r.setup.ResourceIdBase | r.next
}

func (r *rawConn) root() uint32 { return uint32(r.setup.Roots[0].Root) }

// send writes requests; each takes the next sequence number.
func (r *rawConn) send(reqs ...protocol.Request) {
	r.t.Helper()
	var b []byte
	for _, q := range reqs {
		b = q.Marshal(r.o, b)
		r.seq++
	}
	if _, err := r.c.Write(b); err != nil {
		r.t.Fatalf("write: %v", err)
	}
}

// sendBytes writes raw bytes that are one request.
func (r *rawConn) sendBytes(b []byte) {
	r.t.Helper()
	r.seq++
	if _, err := r.c.Write(b); err != nil {
		r.t.Fatalf("write: %v", err)
	}
}

// read returns the next message from the server: a reply, an event or an
// error.
func (r *rawConn) read() ([]byte, error) {
	r.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	head := make([]byte, 32)
	if _, err := io.ReadFull(r.c, head); err != nil {
		return nil, err
	}
	if head[0] != 1 {
		return head, nil
	}
	extra := make([]byte, 4*int(r.o.U32(head[4:])))
	if _, err := io.ReadFull(r.c, extra); err != nil {
		return nil, err
	}
	return append(head, extra...), nil
}

// reply sends a request and returns its reply, collecting any events that
// arrive first. An X error comes back as a *protocol.Error.
func (r *rawConn) reply(q protocol.Request) ([]byte, []byte, error) {
	r.t.Helper()
	r.send(q)
	var events []byte
	for {
		m, err := r.read()
		if err != nil {
			return nil, events, err
		}
		switch m[0] {
		case 0:
			var e protocol.Error
			e.Unmarshal(r.o, m)
			if e.Sequence == r.seq {
				return nil, events, &e
			}
			return nil, events, fmt.Errorf("unexpected %v", &e)
		case 1:
			if seq := r.o.U16(m[2:]); seq != r.seq {
				return nil, events, fmt.Errorf("reply for sequence %d, want %d", seq, r.seq)
			}
			return m, events, nil
		default:
			events = append(events, m...)
		}
	}
}

// sync waits until the server has processed everything sent, and returns
// the events and errors that came before.
func (r *rawConn) sync() [][]byte {
	r.t.Helper()
	r.send(&protocol.GetInputFocus{})
	var msgs [][]byte
	for {
		m, err := r.read()
		if err != nil {
			r.t.Fatalf("sync: %v", err)
		}
		if m[0] == 1 && r.o.U16(m[2:]) == r.seq {
			return msgs
		}
		msgs = append(msgs, m)
	}
}

// xerror decodes an error message, or returns nil for anything else.
func (r *rawConn) xerror(m []byte) *protocol.Error {
	if m[0] != 0 {
		return nil
	}
	var e protocol.Error
	e.Unmarshal(r.o, m)
	return &e
}
