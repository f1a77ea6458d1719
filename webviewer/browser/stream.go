// Package browser is the half of the browser viewer that runs in the page,
// compiled to WebAssembly: the RFB client of pixel mode, the X server of X
// mode, the canvas, and the page's input. The files without a build tag
// (streams, keys, buttons, the control messages) are plain Go, tested on
// the host; the JavaScript glue is in page_js.go.
package browser

import (
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"time"
)

// maxMessage bounds the bytes one Write sends as one WebSocket message, so
// that a large X reply or RFB update does not become one huge message the
// server must hold whole.
const maxMessage = 64 << 10

// A Stream is a net.Conn made of messages, for a WebSocket in the page:
// what arrives is handed in with Deliver (from the socket's event
// handlers, which must not block), and Write passes bytes to send. The X
// server and the RFB client see an ordinary connection.
type Stream struct {
	send          func(b []byte, deadline time.Time) error
	hangup        func()
	local, remote net.Addr

	mu      sync.Mutex
	queue   [][]byte
	err     error // why the other side ended, once it has
	closed  bool
	changed chan struct{} // closed and replaced when anything above changes
	rdl     time.Time
	wdl     time.Time
	once    sync.Once
}

// NewStream returns a stream that sends with send and, when closed, calls
// hangup to close the socket under it. send may block while the socket's
// buffer is full; it gets the write deadline, zero for none.
func NewStream(send func(b []byte, deadline time.Time) error, hangup func(), local, remote net.Addr) *Stream {
	return &Stream{send: send, hangup: hangup, local: local, remote: remote, changed: make(chan struct{})}
}

// wake tells blocked readers that something changed. Called with mu held.
func (s *Stream) wake() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Deliver queues a message that arrived. It never blocks: a WebSocket in
// the browser cannot be told to wait, so the stream keeps what it has not
// yet read. The stream takes b.
func (s *Stream) Deliver(b []byte) {
	if len(b) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.err != nil {
		return
	}
	s.queue = append(s.queue, b)
	s.wake()
}

// Hangup says the other side has gone: readers get err (io.EOF for a clean
// end) once they have read what was delivered before.
func (s *Stream) Hangup(err error) {
	if err == nil {
		err = io.EOF
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil {
		s.err = err
		s.wake()
	}
}

func (s *Stream) Read(p []byte) (int, error) {
	for {
		s.mu.Lock()
		switch {
		case s.closed:
			s.mu.Unlock()
			return 0, net.ErrClosed
		case len(s.queue) > 0:
			n := copy(p, s.queue[0])
			if s.queue[0] = s.queue[0][n:]; len(s.queue[0]) == 0 {
				s.queue[0] = nil
				s.queue = s.queue[1:]
			}
			s.mu.Unlock()
			return n, nil
		case s.err != nil:
			err := s.err
			s.mu.Unlock()
			return 0, err
		}
		dl, changed := s.rdl, s.changed
		s.mu.Unlock()
		if err := wait(changed, dl); err != nil {
			return 0, err
		}
	}
}

// wait waits for a change or the deadline.
func wait(changed <-chan struct{}, deadline time.Time) error {
	if deadline.IsZero() {
		<-changed
		return nil
	}
	d := time.Until(deadline)
	if d <= 0 {
		return os.ErrDeadlineExceeded
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-changed:
		return nil
	case <-t.C:
		return os.ErrDeadlineExceeded
	}
}

func (s *Stream) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		s.mu.Lock()
		closed, err, dl := s.closed, s.err, s.wdl
		s.mu.Unlock()
		switch {
		case closed:
			return n, net.ErrClosed
		case err != nil:
			return n, errors.Join(errors.New("stream: the other side has gone"), err)
		case !dl.IsZero() && time.Now().After(dl):
			return n, os.ErrDeadlineExceeded
		}
		k := min(len(p), maxMessage)
		if err := s.send(p[:k], dl); err != nil {
			return n, err
		}
		n += k
		p = p[k:]
	}
	return n, nil
}

// Close closes the stream and the socket under it.
func (s *Stream) Close() error {
	s.mu.Lock()
	already := s.closed
	s.closed = true
	s.queue = nil
	s.wake()
	s.mu.Unlock()
	if already {
		return net.ErrClosed
	}
	s.once.Do(s.hangup)
	return nil
}

func (s *Stream) LocalAddr() net.Addr  { return s.local }
func (s *Stream) RemoteAddr() net.Addr { return s.remote }

func (s *Stream) SetDeadline(t time.Time) error {
	s.SetReadDeadline(t)
	return s.SetWriteDeadline(t)
}

func (s *Stream) SetReadDeadline(t time.Time) error {
	s.mu.Lock()
	s.rdl = t
	s.wake()
	s.mu.Unlock()
	return nil
}

func (s *Stream) SetWriteDeadline(t time.Time) error {
	s.mu.Lock()
	s.wdl = t
	s.mu.Unlock()
	return nil
}

// An Addr names one end of a stream: the WebSocket's URL, or the X client
// the server relays.
type Addr struct{ Net, Name string }

func (a Addr) Network() string { return a.Net }
func (a Addr) String() string  { return a.Name }
