package xlib

import (
	"context"
	"sync"

	"netdisplay/protocol"
)

// Events returns the channel of events: the generated protocol structs
// (*protocol.ExposeEvent, *protocol.KeyPressEvent, ...), *protocol.Error
// for the X errors of requests without replies, and *RawEvent for events
// the core protocol does not describe. The channel is closed when the
// connection ends; Err says why.
//
// The queue holds Options.EventQueue events (DefaultEventQueue unless
// set). When it is full the connection stops reading from the server
// until there is room: memory stays bounded, the server holds what it has
// to send (and may drop a client that stays stuck), and replies wait
// behind the unread events. A program must therefore keep reading events
// while it waits for replies, or select only the events it reads.
//
// Receiving from the channel does not flush queued requests; call Flush
// before waiting on it, or use NextEvent.
func (c *Conn) Events() <-chan protocol.Event { return c.events }

// NextEvent writes the queued requests and waits for the next event. It
// returns the error that ended the connection once the events that came
// before are read, or the context's error.
func (c *Conn) NextEvent(ctx context.Context) (protocol.Event, error) {
	select {
	case ev, ok := <-c.events:
		if ok {
			return ev, nil
		}
		return nil, c.Err()
	default:
	}
	c.Flush()
	select {
	case ev, ok := <-c.events:
		if ok {
			return ev, nil
		}
		return nil, c.Err()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// decodeEvent decodes a 32-byte event; one it cannot decode comes as a
// *RawEvent.
func (c *Conn) decodeEvent(b []byte) protocol.Event {
	if ev := protocol.NewEvent(b[0] &^ protocol.SendEventBit); ev != nil {
		if ev.Unmarshal(c.order, b) == nil {
			return ev
		}
	}
	raw := RawEvent(append([]byte(nil), b...))
	return &raw
}

// A RawEvent is an event as it came: an extension's, a generic event
// (code 35, with its whole length) or any the protocol package does not
// describe. Its first byte is the code; bit 7 is set when it came from
// SendEvent.
type RawEvent []byte

// Marshal appends the event to b.
func (e RawEvent) Marshal(o protocol.ByteOrder, b []byte) []byte { return append(b, e...) }

// Unmarshal keeps a copy of b.
func (e *RawEvent) Unmarshal(o protocol.ByteOrder, b []byte) error {
	*e = append((*e)[:0], b...)
	return nil
}

// A filter takes the events it matches out of the event queue, for a
// helper that waits for them (ReadSelection) or serves them (a selection
// owner).
type filter struct {
	match func(protocol.Event) bool
	once  bool // remove the filter after its first event
	ch    chan protocol.Event
	gone  chan struct{} // closed when the filter is removed: drop its events
	stop  sync.Once
}

// addFilter starts taking the events match matches.
func (c *Conn) addFilter(match func(protocol.Event) bool, once bool, size int) *filter {
	f := &filter{match: match, once: once, ch: make(chan protocol.Event, size), gone: make(chan struct{})}
	c.mu.Lock()
	c.filters = append(c.filters, f)
	c.mu.Unlock()
	return f
}

// removeFilter stops f; events it has taken stay in its channel, and
// any the reader is still handing it are dropped.
func (c *Conn) removeFilter(f *filter) {
	f.stop.Do(func() { close(f.gone) })
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, g := range c.filters {
		if g == f {
			c.filters = append(c.filters[:i], c.filters[i+1:]...)
			return
		}
	}
}

// SendEvent sends ev to the clients that selected mask on dest (or, with
// mask 0, to dest's owner), as the SendEvent request does; propagate asks
// the server to look up the tree for a window that selected it.
func (c *Conn) SendEvent(dest Window, propagate bool, mask uint32, ev protocol.Event) error {
	var b [32]byte
	copy(b[:], ev.Marshal(c.order, nil))
	return c.Send(&protocol.SendEvent{Propagate: propagate, Destination: protocol.Window(dest), EventMask: mask, Event: b})
}
