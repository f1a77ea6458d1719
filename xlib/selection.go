package xlib

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"netdisplay/protocol"
)

// SetSelectionOwner makes w the owner of a selection (0: no owner) from
// time t. See OwnSelection for owning one and answering requests for it.
func (c *Conn) SetSelectionOwner(w Window, selection Atom, t Timestamp) error {
	return c.Send(&protocol.SetSelectionOwner{Owner: protocol.Window(w), Selection: selection, Time: t})
}

// GetSelectionOwner asks which window owns a selection (0: none).
func (c *Conn) GetSelectionOwner(selection Atom) Cookie[Window] {
	return callDecode(c, &protocol.GetSelectionOwner{Selection: selection}, func(c *Conn, replies [][]byte) (Window, error) {
		var r protocol.GetSelectionOwnerReply
		if err := r.Unmarshal(c.order, replies[0]); err != nil {
			return 0, err
		}
		return Window(r.Owner), nil
	})
}

// ErrNoConversion is returned by ReadSelection when the selection has no
// owner, or its owner cannot convert it to the target.
var ErrNoConversion = errors.New("xlib: the selection could not be converted to the target")

// ReadSelection converts a selection to a target type and returns the
// data and its type, doing the ConvertSelection, SelectionNotify and
// GetProperty exchange of the ICCCM with w as the requestor and the
// selection's name as the property. It reads INCR transfers too, for
// which it selects PropertyChange on w for the time of the transfer. The
// events of the exchange are taken out of the event queue while it runs.
func (c *Conn) ReadSelection(ctx context.Context, w Window, selection, target Atom) ([]byte, Atom, error) {
	incrAtom := c.InternAtom("INCR", false)
	prop := selection
	f := c.addFilter(func(ev protocol.Event) bool {
		e, ok := ev.(*protocol.SelectionNotifyEvent)
		return ok && e.Requestor == protocol.Window(w) && e.Selection == selection
	}, true, 1)
	defer c.removeFilter(f)
	err := c.Send(&protocol.ConvertSelection{Requestor: protocol.Window(w), Selection: selection, Target: target, Property: prop, Time: CurrentTime})
	if err != nil {
		return nil, 0, err
	}
	ev, err := c.awaitEvent(ctx, f, 0)
	if err != nil {
		return nil, 0, err
	}
	note := ev.(*protocol.SelectionNotifyEvent)
	if note.Property == 0 {
		return nil, 0, ErrNoConversion
	}
	prop = note.Property
	rep, err := c.GetProperty(w, prop, false).Reply()
	if err != nil {
		return nil, 0, err
	}
	incr, err := incrAtom.Reply()
	if err != nil {
		return nil, 0, err
	}
	if rep.Type != incr || incr == 0 {
		// The ICCCM has the requestor delete the property once read.
		if err := c.DeleteProperty(w, prop); err != nil {
			return nil, 0, err
		}
		return rep.Value, rep.Type, c.Flush()
	}
	return c.readIncr(ctx, w, prop)
}

// awaitEvent waits for the next event a filter takes, writing the queued
// requests first. A zero timeout means none besides ctx.
func (c *Conn) awaitEvent(ctx context.Context, f *filter, timeout time.Duration) (protocol.Event, error) {
	if err := c.Flush(); err != nil {
		return nil, err
	}
	var expire <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		expire = t.C
	}
	select {
	case ev := <-f.ch:
		return ev, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-expire:
		return nil, fmt.Errorf("xlib: no answer in %v", timeout)
	case <-c.readerr:
		// The reader has stopped: the connection is gone.
		select {
		case ev := <-f.ch:
			return ev, nil
		default:
		}
		return nil, c.Err()
	}
}

// readIncr receives an INCR transfer into property prop of w: each chunk
// the owner writes is announced by a PropertyNotify, read, and deleted to
// ask for the next; an empty chunk ends it.
func (c *Conn) readIncr(ctx context.Context, w Window, prop Atom) ([]byte, Atom, error) {
	f := c.addFilter(func(ev protocol.Event) bool {
		e, ok := ev.(*protocol.PropertyNotifyEvent)
		return ok && e.Window == protocol.Window(w) && e.Atom == prop
	}, false, 16)
	restore, err := c.selectMore(w, protocol.EventMaskPropertyChange)
	if err != nil {
		c.removeFilter(f)
		return nil, 0, err
	}
	defer c.restoreInput(f, restore)
	// Deleting the INCR property starts the transfer.
	if err := c.DeleteProperty(w, prop); err != nil {
		return nil, 0, err
	}
	var data []byte
	var typ Atom
	for {
		ev, err := c.awaitEvent(ctx, f, 0)
		if err != nil {
			return nil, 0, err
		}
		if ev.(*protocol.PropertyNotifyEvent).State != protocol.PropertyNewValue {
			continue
		}
		rep, err := c.GetProperty(w, prop, true).Reply()
		if err != nil {
			return nil, 0, err
		}
		if len(rep.Value) == 0 {
			return data, typ, nil
		}
		typ = rep.Type
		data = append(data, rep.Value...)
	}
}

// selectMore adds events to this connection's mask on w, returning a
// function that puts the mask back.
func (c *Conn) selectMore(w Window, mask uint32) (func() error, error) {
	attrs, err := c.GetWindowAttributes(w).Reply()
	if err != nil {
		return nil, err
	}
	old := attrs.YourEventMask
	if old&mask == mask {
		return func() error { return nil }, nil
	}
	if err := c.SelectInput(w, old|mask); err != nil {
		return nil, err
	}
	return func() error { return c.SelectInput(w, old) }, nil
}

// restoreInput puts an event mask back and, once the server has
// processed that, stops the filter: events caused before the change
// still reach the filter, not the event queue.
func (c *Conn) restoreInput(f *filter, restore func() error) {
	if restore() == nil {
		c.Sync()
	}
	c.removeFilter(f)
}

// SelectionData is one conversion a selection owner offers: the type,
// format (8, 16 or 32) and items of the property it writes.
type SelectionData struct {
	Type   Atom
	Format uint8
	Data   []byte
}

// A Selection is a selection this connection owns, and answers requests
// for, until another client takes it or Release is called.
type Selection struct {
	c      *Conn
	owner  Window
	name   Atom
	time   Timestamp
	offers map[Atom]SelectionData
	f      *filter

	targets, incr, atom Atom // atoms the answers use

	lost     chan struct{} // closed on SelectionClear
	stop     chan struct{}
	stopOnce sync.Once
	done     chan struct{} // closed when the serving goroutine returns
}

// incrTimeout is how long an INCR transfer waits for the requestor to
// take each chunk before giving up on it.
const incrTimeout = 30 * time.Second

// OwnSelection makes w the owner of a selection from time t and answers
// the requests for it from a goroutine: the targets in offers, TARGETS
// (the list of them), and nothing else. Data longer than the server's
// maximum request length goes by INCR. The requests and the
// SelectionClear are taken out of the event queue.
func (c *Conn) OwnSelection(w Window, selection Atom, t Timestamp, offers map[Atom]SelectionData) (*Selection, error) {
	targets, incr := c.InternAtom("TARGETS", false), c.InternAtom("INCR", false)
	s := &Selection{
		c:      c,
		owner:  w,
		name:   selection,
		time:   t,
		offers: offers,
		lost:   make(chan struct{}),
		stop:   make(chan struct{}),
		done:   make(chan struct{}),
		atom:   protocol.AtomAtom,
	}
	var err error
	if s.targets, err = targets.Reply(); err != nil {
		return nil, err
	}
	if s.incr, err = incr.Reply(); err != nil {
		return nil, err
	}
	s.f = c.addFilter(func(ev protocol.Event) bool {
		switch e := ev.(type) {
		case *protocol.SelectionRequestEvent:
			return e.Owner == protocol.Window(w) && e.Selection == selection
		case *protocol.SelectionClearEvent:
			return e.Owner == protocol.Window(w) && e.Selection == selection
		}
		return false
	}, false, 64)
	if err := c.SetSelectionOwner(w, selection, t); err != nil {
		c.removeFilter(s.f)
		return nil, err
	}
	owner, err := c.GetSelectionOwner(selection).Reply()
	if err == nil && owner != w {
		err = fmt.Errorf("xlib: window %#x did not become the owner of selection %d", w, selection)
	}
	if err != nil {
		c.removeFilter(s.f)
		return nil, err
	}
	go s.serve()
	return s, nil
}

// Lost returns a channel closed when the connection no longer owns the
// selection: another client took it (or Release gave it up, on servers
// that tell the owner of that too).
func (s *Selection) Lost() <-chan struct{} { return s.lost }

// Release gives the selection up, unless it was lost, waits until the
// server has done so, and stops answering.
func (s *Selection) Release() error {
	var err error
	select {
	case <-s.lost:
	default:
		// Answer requests until the server has processed the change:
		// X.Org answers it with a SelectionClear, which closes Lost.
		if err = s.c.SetSelectionOwner(0, s.name, s.time); err == nil {
			err = s.c.Sync()
		}
	}
	s.stopOnce.Do(func() { close(s.stop) })
	<-s.done
	return err
}

func (s *Selection) serve() {
	defer close(s.done)
	// Unserved, the filter would fill and stall the reader.
	defer s.c.removeFilter(s.f)
	for {
		select {
		case ev := <-s.f.ch:
			switch e := ev.(type) {
			case *protocol.SelectionRequestEvent:
				s.answer(e)
			case *protocol.SelectionClearEvent:
				close(s.lost)
				return
			}
		case <-s.stop:
			return
		case <-s.c.readerr:
			return
		}
	}
}

// answer converts the selection for one request, or refuses it.
func (s *Selection) answer(e *protocol.SelectionRequestEvent) {
	c := s.c
	prop := e.Property
	if prop == 0 {
		prop = e.Target // what obsolete requestors expect
	}
	requestor := Window(e.Requestor)
	refuse := s.time != CurrentTime && e.Time != CurrentTime && e.Time < s.time
	var incr []byte
	switch d, ok := s.offers[e.Target]; {
	case refuse:
	case e.Target == s.targets:
		list := []uint32{uint32(s.targets)}
		for t := range s.offers {
			list = append(list, uint32(t))
		}
		c.ChangePropertyValues(requestor, protocol.PropModeReplace, prop, s.atom, list...)
	case !ok:
		refuse = true
	case len(d.Data) > s.chunk():
		// Too long for one request: announce an INCR transfer, whose
		// property holds a lower bound of the length.
		incr = d.Data
		c.ChangePropertyValues(requestor, protocol.PropModeReplace, prop, s.incr, uint32(len(d.Data)))
	default:
		c.ChangeProperty(requestor, protocol.PropModeReplace, prop, d.Type, d.Format, d.Data)
	}
	if refuse {
		prop = 0
	}
	note := &protocol.SelectionNotifyEvent{Time: e.Time, Requestor: e.Requestor, Selection: e.Selection, Target: e.Target, Property: prop}
	if incr == nil {
		c.SendEvent(requestor, false, 0, note)
		c.Flush()
		return
	}
	go s.sendIncr(requestor, prop, s.offers[e.Target], note)
}

// chunk is the most data one ChangeProperty of an answer carries.
func (s *Selection) chunk() int {
	if n := s.c.incrChunk.Load(); n > 0 {
		return int(n)
	}
	return s.c.MaxRequestBytes() - 64
}

// sendIncr runs an INCR transfer: it watches the requestor's property and
// writes the next chunk each time the requestor deletes it, then an empty
// one to end.
func (s *Selection) sendIncr(requestor Window, prop Atom, d SelectionData, note *protocol.SelectionNotifyEvent) {
	c := s.c
	f := c.addFilter(func(ev protocol.Event) bool {
		e, ok := ev.(*protocol.PropertyNotifyEvent)
		return ok && e.Window == protocol.Window(requestor) && e.Atom == prop
	}, false, 16)
	restore, err := c.selectMore(requestor, protocol.EventMaskPropertyChange)
	if err != nil {
		c.removeFilter(f)
		return
	}
	defer c.restoreInput(f, restore)
	c.SendEvent(requestor, false, 0, note)
	unit := max(int(d.Format)/8, 1)
	chunk := s.chunk() / unit * unit
	data := d.Data
	for {
		// Wait until the requestor has deleted what is there.
		for {
			ev, err := c.awaitEvent(context.Background(), f, incrTimeout)
			if err != nil {
				return
			}
			if ev.(*protocol.PropertyNotifyEvent).State == protocol.PropertyDelete {
				break
			}
		}
		n := min(len(data), chunk)
		c.ChangeProperty(requestor, protocol.PropModeReplace, prop, d.Type, d.Format, data[:n])
		if n == 0 {
			c.Flush()
			return
		}
		data = data[n:]
	}
}
