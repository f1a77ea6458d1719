//go:build linux

package xlib_test

import (
	"errors"
	"fmt"
	"image"
	"io"
	"math/rand/v2"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"netdisplay/protocol"
	"netdisplay/xlib"
)

// countingConn counts the writes and bytes that pass through a net.Conn.
type countingConn struct {
	net.Conn
	writes, sent, received atomic.Int64
}

func (c *countingConn) Write(b []byte) (int, error) {
	c.writes.Add(1)
	n, err := c.Conn.Write(b)
	c.sent.Add(int64(n))
	return n, err
}

func (c *countingConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	c.received.Add(int64(n))
	return n, err
}

// TestBatching checks that requests are written in batches: a thousand
// small requests and the Sync after them go in one write, and none before
// the Sync asks for them.
func TestBatching(t *testing.T) {
	for _, s := range servers(t) {
		for _, o := range orders {
			t.Run(s.name+"/"+o.String(), func(t *testing.T) {
				cc := &countingConn{Conn: dialUnix(t, s.display)}
				c, err := xlib.NewConn(cc, xlib.Options{ByteOrder: o})
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				w := newWindow(t, c, 100, 100)
				gc, _ := c.CreateGC(w)
				if err := c.Sync(); err != nil {
					t.Fatal(err)
				}
				writes, before := cc.writes.Load(), c.Stats()
				const n = 1000
				for i := range n {
					c.FillRectangles(w, gc, image.Rect(i%100, i/10, i%100+1, i/10+1))
				}
				if got := cc.writes.Load() - writes; got != 0 {
					t.Errorf("%d writes before Sync; want none (the requests fit the buffer)", got)
				}
				if err := c.Sync(); err != nil {
					t.Fatal(err)
				}
				after := c.Stats()
				if got := cc.writes.Load() - writes; got != 1 {
					t.Errorf("%d requests and a Sync took %d writes, want 1", n, got)
				}
				if got := after.Requests - before.Requests; got != n+1 {
					t.Errorf("Stats.Requests grew by %d, want %d", got, n+1)
				}
				if got := after.Writes - before.Writes; got != 1 {
					t.Errorf("Stats.Writes grew by %d, want 1", got)
				}
				if got := after.RoundTrips - before.RoundTrips; got != 1 {
					t.Errorf("Stats.RoundTrips grew by %d, want 1", got)
				}
				if uint64(cc.sent.Load()) != after.BytesSent || uint64(cc.received.Load()) != after.BytesReceived {
					t.Errorf("Stats says %d bytes sent, %d received; the socket saw %d and %d",
						after.BytesSent, after.BytesReceived, cc.sent.Load(), cc.received.Load())
				}

				// Many more than a buffer's worth are written as the
				// buffer fills, in few writes.
				writes = cc.writes.Load()
				for i := range 20 * n {
					c.FillRectangles(w, gc, image.Rect(i%100, 0, i%100+1, 1))
				}
				c.Sync()
				if got, most := cc.writes.Load()-writes, int64(20*n*20/(32<<10)+2); got > most {
					t.Errorf("%d requests took %d writes, want at most %d", 20*n, got, most)
				}
				noEvents(t, c)
			})
		}
	}
}

// TestCookiesOutOfOrder has many requests in flight and takes their
// replies in another order than they came: one round trip in all.
func TestCookiesOutOfOrder(t *testing.T) {
	eachServer(t, func(t *testing.T, c *xlib.Conn) {
		const n = 64
		before := c.Stats()
		atoms := make([]xlib.Cookie[xlib.Atom], n)
		for i := range atoms {
			atoms[i] = c.InternAtom(fmt.Sprintf("XLIB_TEST_ATOM_%d_%v", i, c.ByteOrder()), false)
		}
		geom := c.GetGeometry(c.Root())
		// The last first: once its reply is in, all are.
		g, err := geom.Reply()
		if err != nil {
			t.Fatal(err)
		}
		if g.Width != 640 || g.Height != 480 {
			t.Errorf("root is %dx%d, want 640x480", g.Width, g.Height)
		}
		got := make([]xlib.Atom, n)
		for i := n - 1; i >= 0; i-- {
			a, err := atoms[i].Reply()
			if err != nil {
				t.Fatal(err)
			}
			got[i] = a
		}
		if rt := c.Stats().RoundTrips - before.RoundTrips; rt != 1 {
			t.Errorf("%d replies took %d round trips, want 1", n+1, rt)
		}

		// Ask the server for the names, bypassing the atom cache, and
		// take the replies in a random order.
		names := make([]xlib.Cookie[*protocol.GetAtomNameReply], n)
		for i := range names {
			names[i] = xlib.Call[protocol.GetAtomNameReply](c, &protocol.GetAtomName{Atom: got[i]})
		}
		seen := map[xlib.Atom]bool{}
		for _, i := range rand.Perm(n) {
			r, err := names[i].Reply()
			if err != nil {
				t.Fatal(err)
			}
			if want := fmt.Sprintf("XLIB_TEST_ATOM_%d_%v", i, c.ByteOrder()); string(r.Name) != want {
				t.Errorf("atom %d is named %q, want %q", got[i], r.Name, want)
			}
			if seen[got[i]] {
				t.Errorf("atom %d twice", got[i])
			}
			seen[got[i]] = true
		}
		// A reply read twice is the same.
		if a, _ := atoms[0].Reply(); a != got[0] {
			t.Errorf("second Reply gave %d, first %d", a, got[0])
		}
	})
}

// TestErrors checks that an X error reaches the cookie of its request,
// or the event queue for a request without a reply, in order, without
// disturbing the replies around it.
func TestErrors(t *testing.T) {
	eachServer(t, func(t *testing.T, c *xlib.Conn) {
		id1, _ := c.NewID()
		id2, _ := c.NewID()
		bad1, bad2 := xlib.Window(id1), xlib.Window(id2)

		// On a cookie.
		_, err := c.GetGeometry(bad1).Reply()
		var xe *protocol.Error
		if !errors.As(err, &xe) || xe.Code != protocol.BadDrawable || xe.MajorOpcode != protocol.OpGetGeometry || xe.BadValue != id1 {
			t.Fatalf("GetGeometry of a missing window: %v, want BadDrawable on GetGeometry with value %#x", err, id1)
		}
		if !strings.Contains(err.Error(), "BadDrawable") {
			t.Errorf("error says %q", err)
		}
		noEvents(t, c)

		// On the event queue, interleaved with replies.
		c.MapWindow(bad1)
		k1 := c.InternAtom("XLIB_TEST_ERRORS", false)
		c.MapWindow(bad2)
		k2 := c.GetGeometry(c.Root())
		if _, err := k1.Reply(); err != nil {
			t.Errorf("InternAtom between errors: %v", err)
		}
		if _, err := k2.Reply(); err != nil {
			t.Errorf("GetGeometry between errors: %v", err)
		}
		for _, want := range []uint32{id1, id2} {
			ev := nextEvent(t, c)
			e, ok := ev.(*protocol.Error)
			if !ok || e.Code != protocol.BadWindow || e.MajorOpcode != protocol.OpMapWindow || e.BadValue != want {
				t.Fatalf("event %T %+v, want BadWindow on MapWindow of %#x", ev, ev, want)
			}
		}

		// A Sync returns after the errors before it are queued.
		c.UnmapWindow(bad1)
		if err := c.Sync(); err != nil {
			t.Fatal(err)
		}
		select {
		case ev := <-c.Events():
			if e, ok := ev.(*protocol.Error); !ok || e.MajorOpcode != protocol.OpUnmapWindow {
				t.Errorf("after Sync: %T %+v, want the UnmapWindow error", ev, ev)
			}
		default:
			t.Error("the UnmapWindow error was not queued when Sync returned")
		}

		// Checked requests without replies.
		w := newWindow(t, c, 10, 10)
		if err := c.SendChecked(&protocol.MapWindow{Window: protocol.Window(bad2)}).Check(); !errors.As(err, &xe) || xe.Code != protocol.BadWindow {
			t.Errorf("checked MapWindow of a missing window: %v", err)
		}
		if err := c.SendChecked(&protocol.MapWindow{Window: protocol.Window(w)}).Check(); err != nil {
			t.Errorf("checked MapWindow: %v", err)
		}
		// A checked request followed by one with a reply needs no sync
		// of its own.
		k := c.SendChecked(&protocol.UnmapWindow{Window: protocol.Window(bad1)})
		before := c.Stats().Requests
		g := c.GetGeometry(w)
		if err := k.Check(); !errors.As(err, &xe) || xe.MajorOpcode != protocol.OpUnmapWindow {
			t.Errorf("checked UnmapWindow: %v", err)
		}
		if n := c.Stats().Requests - before; n != 1 {
			t.Errorf("Check sent %d requests of its own, want none", n-1)
		}
		if _, err := g.Reply(); err != nil {
			t.Error(err)
		}
		noEvents(t, c)
	})
}

// TestSequenceWrap sends more than 65536 requests without replies, with
// errors among them, and checks that the 16-bit sequence numbers on the
// wire are matched to the right requests.
func TestSequenceWrap(t *testing.T) {
	eachServer(t, func(t *testing.T, c *xlib.Conn) {
		id, _ := c.NewID()
		bad := xlib.Window(id)
		before := c.Stats().Requests
		k0 := c.GetGeometry(c.Root())
		var checked xlib.VoidCookie
		const n = 70000
		for i := range n {
			switch i {
			case 30000, 66000:
				c.MapWindow(bad)
			case 67000:
				checked = c.SendChecked(&protocol.UnmapWindow{Window: protocol.Window(bad)})
			default:
				c.Send(&protocol.NoOperation{})
			}
		}
		k1 := c.InternAtom("XLIB_TEST_WRAP", false)
		if _, err := k0.Reply(); err != nil {
			t.Fatal(err)
		}
		if _, err := k1.Reply(); err != nil {
			t.Fatal(err)
		}
		if k1.Sequence()-k0.Sequence() <= 1<<16 {
			t.Fatalf("sequence numbers %d and %d do not wrap", k0.Sequence(), k1.Sequence())
		}
		var xe *protocol.Error
		if err := checked.Check(); !errors.As(err, &xe) || xe.MajorOpcode != protocol.OpUnmapWindow {
			t.Errorf("checked UnmapWindow after the wrap: %v", err)
		}
		// 65534 requests without a reply in a row make the library
		// insert one with a reply: exactly one here.
		if got, want := c.Stats().Requests-before, uint64(n+2+1); got != want {
			t.Errorf("sent %d requests, want %d (%d, two with replies, one sync)", got, want, n)
		}
		for range 2 {
			ev := nextEvent(t, c)
			if e, ok := ev.(*protocol.Error); !ok || e.MajorOpcode != protocol.OpMapWindow || e.BadValue != id {
				t.Fatalf("event %T %+v, want the MapWindow errors", ev, ev)
			}
		}
		noEvents(t, c)
	})
}

// TestMultipleReplies checks ListFontsWithInfo, answered by one reply per
// font and one more, and the requests around it.
func TestMultipleReplies(t *testing.T) {
	eachServer(t, func(t *testing.T, c *xlib.Conn) {
		k0 := c.InternAtom("XLIB_TEST_MULTI", false)
		fonts := c.ListFontsWithInfo("*", 3)
		k1 := c.GetGeometry(c.Root())
		none := c.ListFontsWithInfo("no-such-font-*", 3)
		infos, err := fonts.Reply()
		if err != nil {
			t.Fatal(err)
		}
		if len(infos) != 3 {
			t.Fatalf("ListFontsWithInfo gave %d fonts, want 3", len(infos))
		}
		for _, f := range infos {
			if len(f.Name) == 0 || f.FontAscent+f.FontDescent <= 0 {
				t.Errorf("font %q ascent %d descent %d", f.Name, f.FontAscent, f.FontDescent)
			}
		}
		if l, err := none.Reply(); err != nil || len(l) != 0 {
			t.Errorf("ListFontsWithInfo of nothing: %d fonts, %v", len(l), err)
		}
		if _, err := k0.Reply(); err != nil {
			t.Error(err)
		}
		if _, err := k1.Reply(); err != nil {
			t.Error(err)
		}
	})
}

// TestConcurrent uses one connection from many goroutines.
func TestConcurrent(t *testing.T) {
	eachServer(t, func(t *testing.T, c *xlib.Conn) {
		w := newWindow(t, c, 50, 50)
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for g := range 8 {
			wg.Go(func() {
				gc, err := c.CreateGC(w)
				if err != nil {
					errs <- err
					return
				}
				for i := range 100 {
					name := fmt.Sprintf("XLIB_TEST_CONC_%d_%d", g, i)
					k := c.InternAtom(name, false)
					c.FillRectangles(w, gc, image.Rect(i%50, g, i%50+1, g+1))
					a, err := k.Reply()
					if err != nil {
						errs <- err
						return
					}
					r, err := xlib.Call[protocol.GetAtomNameReply](c, &protocol.GetAtomName{Atom: a}).Reply()
					if err != nil {
						errs <- err
						return
					}
					if string(r.Name) != name {
						errs <- fmt.Errorf("atom %d is %q, want %q", a, r.Name, name)
						return
					}
				}
				errs <- c.Sync()
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
		noEvents(t, c)
	})
}

// TestEvents checks events from the server and from SendEvent.
func TestEvents(t *testing.T) {
	eachServer(t, func(t *testing.T, c *xlib.Conn) {
		w := newWindow(t, c, 40, 30, xlib.EventMask(protocol.EventMaskExposure|protocol.EventMaskStructureNotify))
		var mapped, exposed bool
		for !mapped || !exposed {
			switch ev := nextEvent(t, c).(type) {
			case *protocol.MapNotifyEvent:
				mapped = xlib.Window(ev.Window) == w
			case *protocol.ExposeEvent:
				if xlib.Window(ev.Window) != w || ev.Width != 40 || ev.Height != 30 {
					t.Errorf("Expose %+v, want all of the 40x30 window", ev)
				}
				exposed = true
			default:
				t.Fatalf("unexpected %T %+v", ev, ev)
			}
		}
		typ, _ := c.InternAtom("XLIB_TEST_MESSAGE", false).Reply()
		msg := &protocol.ClientMessageEvent{Format: 32, Window: protocol.Window(w), Type: typ}
		msg.Data.Data32 = [5]uint32{1, 2, 3, 0xdeadbeef, 5}
		if err := c.SendEvent(w, false, 0, msg); err != nil {
			t.Fatal(err)
		}
		ev, ok := nextEvent(t, c).(*protocol.ClientMessageEvent)
		if !ok || ev.Type != typ || ev.Data.Data32 != msg.Data.Data32 {
			t.Errorf("got %+v, want %+v", ev, msg)
		}
	})
}

// TestEventQueueBound fills a small event queue: the reader waits for
// room, and nothing is lost.
func TestEventQueueBound(t *testing.T) {
	for _, s := range servers(t) {
		t.Run(s.name, func(t *testing.T) {
			c := dial(t, s.display, xlib.Options{EventQueue: 4})
			w := newWindow(t, c, 10, 10)
			const n = 50
			for i := range n {
				msg := &protocol.ClientMessageEvent{Format: 32, Window: protocol.Window(w), Type: protocol.AtomInteger}
				msg.Data.Data32[0] = uint32(i)
				c.SendEvent(w, false, 0, msg)
			}
			k := c.GetGeometry(w)
			c.Flush()
			replied := make(chan error, 1)
			go func() {
				_, err := k.Reply()
				replied <- err
			}()
			for i := range n {
				if l := len(c.Events()); l > 4 {
					t.Fatalf("%d events queued, more than the 4 allowed", l)
				}
				ev, ok := nextEvent(t, c).(*protocol.ClientMessageEvent)
				if !ok || ev.Data.Data32[0] != uint32(i) {
					t.Fatalf("event %d: %+v", i, ev)
				}
			}
			within(t, 10*time.Second, "the reply behind the events", func() {
				if err := <-replied; err != nil {
					t.Error(err)
				}
			})
		})
	}
}

// TestLostMidReply has a fake server close the connection in the middle
// of a reply: the cookie waiting for it, and every request after, get an
// error that says so; nothing hangs or panics.
func TestLostMidReply(t *testing.T) {
	for _, o := range orders {
		t.Run(o.String(), func(t *testing.T) {
			nc := fakeServer(t, nil, 0x1fffff, func(p *fakePeer) {
				if _, err := p.request(); err != nil { // InternAtom
					return
				}
				if _, err := p.request(); err != nil { // GetGeometry
					return
				}
				// The InternAtom reply claims 8 more bytes than come.
				r := protocol.InternAtomReply{Sequence: 1, Atom: 77}.Marshal(p.o, nil)
				p.o.PutU32(r[4:], 2)
				p.c.Write(r)
				p.c.Write(make([]byte, 3))
			})
			c, err := xlib.NewConn(nc, xlib.Options{ByteOrder: o, NoBigRequests: true})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			k1 := c.InternAtom("A", false)
			k2 := c.GetGeometry(c.Root())
			within(t, 10*time.Second, "Reply", func() {
				_, err = k1.Reply()
			})
			var ce *xlib.ConnError
			if !errors.As(err, &ce) || !errors.Is(err, io.ErrUnexpectedEOF) || !strings.Contains(err.Error(), "middle of a reply (35 of 40 bytes)") {
				t.Fatalf("Reply: %v; want a ConnError saying the reply was cut short", err)
			}
			if _, err2 := k2.Reply(); err2 == nil || err2.Error() != err.Error() {
				t.Errorf("the other pending cookie: %v; want %v", err2, err)
			}
			if err := c.MapWindow(c.Root()); !errors.As(err, &ce) {
				t.Errorf("a request after the loss: %v", err)
			}
			if _, err := c.InternAtom("B", false).Reply(); !errors.As(err, &ce) {
				t.Errorf("a cookie after the loss: %v", err)
			}
			if err := c.Sync(); !errors.As(err, &ce) {
				t.Errorf("Sync after the loss: %v", err)
			}
			within(t, 10*time.Second, "NextEvent", func() {
				if _, err := c.NextEvent(t.Context()); !errors.As(err, &ce) {
					t.Errorf("NextEvent after the loss: %v", err)
				}
			})
			if _, ok := <-c.Events(); ok {
				t.Error("the event channel is still open")
			}
		})
	}
}

// TestLostBetweenMessages has the server close between messages.
func TestLostBetweenMessages(t *testing.T) {
	nc := fakeServer(t, nil, 0x1fffff, func(p *fakePeer) { p.request() })
	c, err := xlib.NewConn(nc, xlib.Options{NoBigRequests: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	within(t, 10*time.Second, "Reply", func() {
		_, err = c.GetGeometry(c.Root()).Reply()
	})
	if err == nil || !strings.Contains(err.Error(), "the server closed the connection") {
		t.Errorf("Reply: %v", err)
	}
}

// TestSetupRefused checks that a server's refusal reaches the caller with
// its reason.
func TestSetupRefused(t *testing.T) {
	for _, o := range orders {
		nc := fakeServer(t, func(o protocol.ByteOrder) []byte {
			return protocol.SetupFailed{Status: protocol.SetupStatusFailed, ProtocolMajorVersion: 11, Reason: []byte("No protocol specified\n")}.Marshal(o, nil)
		}, 0, nil)
		_, err := xlib.NewConn(nc, xlib.Options{ByteOrder: o})
		if err == nil || !strings.Contains(err.Error(), "refused the connection: No protocol specified") {
			t.Errorf("%v: %v", o, err)
		}
	}
}

// TestIDs checks resource ids: from the connection's range, distinct,
// and an error when they run out.
func TestIDs(t *testing.T) {
	nc := fakeServer(t, nil, 0x3, func(p *fakePeer) {
		for {
			if _, err := p.request(); err != nil {
				return
			}
		}
	})
	c, err := xlib.NewConn(nc, xlib.Options{NoBigRequests: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	seen := map[uint32]bool{}
	for range 3 {
		id, err := c.NewID()
		if err != nil {
			t.Fatal(err)
		}
		if id&^0x3 != 0x200000 || id&0x3 == 0 || seen[id] {
			t.Errorf("id %#x: not a new nonzero id in base 0x200000 mask 0x3", id)
		}
		seen[id] = true
	}
	if _, err := c.NewID(); !errors.Is(err, xlib.ErrNoIDs) {
		t.Errorf("fourth id: %v, want ErrNoIDs", err)
	}
	if _, err := c.CreatePixmap(c.Root(), 1, 1, 24); !errors.Is(err, xlib.ErrNoIDs) {
		t.Errorf("CreatePixmap without ids: %v, want ErrNoIDs", err)
	}
}

// TestClose checks that Close ends what waits and refuses what follows.
func TestClose(t *testing.T) {
	// A server that reads and never answers.
	nc := fakeServer(t, nil, 0x1fffff, func(p *fakePeer) {
		for {
			if _, err := p.request(); err != nil {
				return
			}
		}
	})
	c, err := xlib.NewConn(nc, xlib.Options{NoBigRequests: true})
	if err != nil {
		t.Fatal(err)
	}
	k := c.GetGeometry(c.Root())
	done := make(chan error, 1)
	go func() {
		_, err := k.Reply()
		done <- err
	}()
	c.Flush()
	c.Close()
	within(t, 10*time.Second, "Reply after Close", func() {
		if err := <-done; !errors.Is(err, xlib.ErrClosed) {
			t.Errorf("pending Reply: %v, want ErrClosed", err)
		}
	})
	if err := c.MapWindow(c.Root()); !errors.Is(err, xlib.ErrClosed) {
		t.Errorf("request after Close: %v, want ErrClosed", err)
	}
	if err := c.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, ok := <-c.Events(); ok {
		t.Error("the event channel is still open")
	}
}

// TestTooLong checks that a request longer than the server accepts is
// refused locally, and the connection stays usable.
func TestTooLong(t *testing.T) {
	for _, s := range servers(t) {
		t.Run(s.name, func(t *testing.T) {
			c := dial(t, s.display, xlib.Options{NoBigRequests: true})
			w := newWindow(t, c, 10, 10)
			gc, _ := c.CreateGC(w)
			pts := make([]image.Point, 70000)
			err := c.DrawPoints(w, gc, pts...)
			var tl *xlib.TooLongError
			if !errors.As(err, &tl) || tl.Request != "PolyPoint" || tl.Max != c.MaxRequestBytes() {
				t.Fatalf("a 280 KB request: %v", err)
			}
			if err := c.DrawPoints(w, gc, pts[:1000]...); err != nil {
				t.Fatal(err)
			}
			if err := c.Sync(); err != nil {
				t.Fatal(err)
			}
			noEvents(t, c)
		})
	}
}

// TestRawEvents has a fake server send events the protocol package does
// not describe: an extension's and a generic event longer than 32 bytes.
func TestRawEvents(t *testing.T) {
	for _, o := range orders {
		nc := fakeServer(t, nil, 0x1fffff, func(p *fakePeer) {
			if _, err := p.request(); err != nil {
				return
			}
			ext := make([]byte, 32)
			ext[0] = 90
			p.o.PutU16(ext[2:], 1)
			ext[31] = 0xee
			gen := make([]byte, 40)
			gen[0], gen[1] = protocol.GenericEvent, 130
			p.o.PutU16(gen[2:], 1)
			p.o.PutU32(gen[4:], 2)
			gen[39] = 0xdd
			// KeymapNotify has no sequence number: its bytes 2 and 3
			// are keys, which must not be taken for one.
			keymap := make([]byte, 32)
			keymap[0], keymap[2], keymap[3] = protocol.KeymapNotify, 0xff, 0xff
			reply := protocol.GetInputFocusReply{Sequence: 1, Focus: 7}.Marshal(p.o, nil)
			p.c.Write(slices.Concat(ext, gen, keymap, reply))
			p.request()
		})
		c, err := xlib.NewConn(nc, xlib.Options{ByteOrder: o, NoBigRequests: true})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		r, err := xlib.Call[protocol.GetInputFocusReply](c, &protocol.GetInputFocus{}).Reply()
		if err != nil || r.Focus != 7 {
			t.Fatalf("%v: reply after the events: %+v, %v", o, r, err)
		}
		for _, want := range []struct {
			code byte
			n    int
			last byte
		}{{90, 32, 0xee}, {protocol.GenericEvent, 40, 0xdd}} {
			ev, ok := nextEvent(t, c).(*xlib.RawEvent)
			if !ok || len(*ev) != want.n || (*ev)[0] != want.code || (*ev)[want.n-1] != want.last {
				t.Errorf("%v: got %T % x, want a RawEvent of %d bytes with code %d", o, ev, ev, want.n, want.code)
			}
		}
		if ev, ok := nextEvent(t, c).(*protocol.KeymapNotifyEvent); !ok {
			t.Errorf("%v: got %T, want KeymapNotify", o, ev)
		}
	}
}
