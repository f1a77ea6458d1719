package browser

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"testing"
	"time"
)

// sink records what a stream sends, one message at a time.
type sink struct {
	mu     sync.Mutex
	msgs   [][]byte
	hungUp int
}

func (s *sink) send(b []byte, _ time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, append([]byte(nil), b...))
	return nil
}

func (s *sink) hangup() {
	s.mu.Lock()
	s.hungUp++
	s.mu.Unlock()
}

func newTestStream() (*Stream, *sink) {
	k := &sink{}
	return NewStream(k.send, k.hangup, Addr{"test", "here"}, Addr{"test", "there"}), k
}

func TestStreamRead(t *testing.T) {
	s, _ := newTestStream()
	s.Deliver([]byte("hello, "))
	s.Deliver(nil) // nothing
	s.Deliver([]byte("world"))
	s.Hangup(nil)
	// Reads cross message boundaries as a byte stream does, and the end
	// comes after everything delivered.
	got, err := io.ReadAll(io.LimitReader(s, 100))
	if string(got) != "hello, world" || err != nil {
		t.Errorf("read %q, %v", got, err)
	}
	if n, err := s.Read(make([]byte, 1)); n != 0 || err != io.EOF {
		t.Errorf("after the end: %d, %v", n, err)
	}
}

func TestStreamReadWaits(t *testing.T) {
	s, _ := newTestStream()
	got := make(chan string)
	go func() {
		b := make([]byte, 10)
		n, _ := s.Read(b)
		got <- string(b[:n])
	}()
	time.Sleep(10 * time.Millisecond)
	s.Deliver([]byte("late"))
	if g := <-got; g != "late" {
		t.Errorf("read %q", g)
	}
}

func TestStreamHangupReason(t *testing.T) {
	s, _ := newTestStream()
	why := errors.New("websocket closed (1006)")
	s.Hangup(why)
	s.Deliver([]byte("too late")) // dropped: the socket has ended
	if _, err := s.Read(make([]byte, 4)); err != why {
		t.Errorf("read error %v, want %v", err, why)
	}
	if _, err := s.Write([]byte("x")); !errors.Is(err, why) {
		t.Errorf("write error %v, want it to wrap %v", err, why)
	}
}

func TestStreamWriteSplits(t *testing.T) {
	s, k := newTestStream()
	big := bytes.Repeat([]byte("0123456789"), maxMessage/5) // two messages' worth
	if n, err := s.Write(big); n != len(big) || err != nil {
		t.Fatalf("write: %d, %v", n, err)
	}
	if len(k.msgs) != 2 || len(k.msgs[0]) != maxMessage || !bytes.Equal(bytes.Join(k.msgs, nil), big) {
		t.Errorf("sent %d messages", len(k.msgs))
	}
}

func TestStreamDeadline(t *testing.T) {
	s, _ := newTestStream()
	s.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
	if _, err := s.Read(make([]byte, 1)); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("read past the deadline: %v", err)
	}
	// A deadline cleared, data arrives: the read succeeds.
	s.SetReadDeadline(time.Time{})
	s.Deliver([]byte("x"))
	if n, err := s.Read(make([]byte, 1)); n != 1 || err != nil {
		t.Errorf("read: %d %v", n, err)
	}
	s.SetWriteDeadline(time.Now().Add(-time.Second))
	if _, err := s.Write([]byte("x")); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("write past the deadline: %v", err)
	}
	// A deadline set while a read waits wakes it.
	s2, _ := newTestStream()
	done := make(chan error)
	go func() {
		_, err := s2.Read(make([]byte, 1))
		done <- err
	}()
	time.Sleep(10 * time.Millisecond)
	s2.SetReadDeadline(time.Now())
	select {
	case err := <-done:
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("woken read: %v", err)
		}
	case <-time.After(2 * time.Second):
		t.Error("the read did not wake for its deadline")
	}
}

func TestStreamClose(t *testing.T) {
	s, k := newTestStream()
	done := make(chan error)
	go func() {
		_, err := s.Read(make([]byte, 1))
		done <- err
	}()
	time.Sleep(10 * time.Millisecond)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, net.ErrClosed) {
		t.Errorf("read after close: %v", err)
	}
	if _, err := s.Write([]byte("x")); !errors.Is(err, net.ErrClosed) {
		t.Errorf("write after close: %v", err)
	}
	s.Close()
	if k.hungUp != 1 {
		t.Errorf("the socket was closed %d times", k.hungUp)
	}
	if s.RemoteAddr().String() != "there" || s.LocalAddr().Network() != "test" {
		t.Errorf("addresses %v %v", s.LocalAddr(), s.RemoteAddr())
	}
}
