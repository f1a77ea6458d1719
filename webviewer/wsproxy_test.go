package webviewer

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"testing"
)

// A wsProxy forwards TCP connections to a web server and, on those that
// become WebSockets, counts the payload of the data messages each way:
// an independent count of the protocol bytes the statistics report,
// written here from RFC 6455 rather than with the server's library. It
// counts the raw bytes too, to show the WebSocket's overhead.
type wsProxy struct {
	addr string

	toBrowser, fromBrowser    atomic.Int64 // payload
	rawToBrowser, rawFromBrow atomic.Int64 // everything on the upgraded connections
}

func newWSProxy(t *testing.T, target string) *wsProxy {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &wsProxy{addr: l.Addr().String()}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			go p.forward(c, s)
		}
	}()
	return p
}

// forward reads the request head to see whether the connection is a
// WebSocket (browsers give each WebSocket a connection of its own), then
// copies both ways, counting if it is.
func (p *wsProxy) forward(c, s net.Conn) {
	defer c.Close()
	defer s.Close()
	br := bufio.NewReader(c)
	head, err := readHead(br)
	if err != nil {
		return
	}
	s.Write(head)
	ws := bytes.Contains(bytes.ToLower(head), []byte("upgrade: websocket"))
	done := make(chan struct{})
	go func() {
		defer close(done)
		if !ws {
			io.Copy(c, s)
			return
		}
		// The response head, then frames.
		r := bufio.NewReader(io.TeeReader(&counter{s, &p.rawToBrowser}, c))
		if _, err := readHead(r); err != nil {
			return
		}
		countFrames(r, &p.toBrowser)
		c.Close()
	}()
	if ws {
		p.rawFromBrow.Add(int64(len(head)))
		r := bufio.NewReader(io.TeeReader(&counter{br, &p.rawFromBrow}, s))
		countFrames(r, &p.fromBrowser)
	} else {
		io.Copy(s, br)
	}
	s.Close()
	<-done
}

type counter struct {
	r io.Reader
	n *atomic.Int64
}

func (c *counter) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n.Add(int64(n))
	return n, err
}

// readHead reads an HTTP head, through the blank line.
func readHead(r *bufio.Reader) ([]byte, error) {
	var head []byte
	for {
		line, err := r.ReadBytes('\n')
		head = append(head, line...)
		if err != nil {
			return head, err
		}
		if strings.TrimRight(string(line), "\r\n") == "" {
			return head, nil
		}
	}
}

// countFrames reads WebSocket frames until the stream ends, adding the
// payload lengths of data frames (continuation, text, binary) to n.
func countFrames(r *bufio.Reader, n *atomic.Int64) {
	for {
		var h [2]byte
		if _, err := io.ReadFull(r, h[:]); err != nil {
			return
		}
		opcode, masked, size := h[0]&0x0f, h[1]&0x80 != 0, uint64(h[1]&0x7f)
		switch size {
		case 126:
			var b [2]byte
			if _, err := io.ReadFull(r, b[:]); err != nil {
				return
			}
			size = uint64(binary.BigEndian.Uint16(b[:]))
		case 127:
			var b [8]byte
			if _, err := io.ReadFull(r, b[:]); err != nil {
				return
			}
			size = binary.BigEndian.Uint64(b[:])
		}
		if masked {
			if _, err := r.Discard(4); err != nil {
				return
			}
		}
		if opcode <= 2 {
			n.Add(int64(size))
		}
		if _, err := io.CopyN(io.Discard, r, int64(size)); err != nil {
			return
		}
	}
}
