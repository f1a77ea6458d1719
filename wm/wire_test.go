package wm_test

import (
	"image"
	"testing"
	"time"

	"netdisplay/internal/peer"
	"netdisplay/protocol"
	"netdisplay/xlib"
)

// quiet waits until the manager's connection has been idle a while, so
// that its counters hold all a step cost.
func (m *manager) quiet() xlib.Stats {
	last := m.c.Stats()
	for {
		time.Sleep(150 * time.Millisecond)
		s := m.c.Stats()
		if s == last {
			return s
		}
		last = s
	}
}

func sub(a, b xlib.Stats) xlib.Stats {
	return xlib.Stats{
		BytesSent:     a.BytesSent - b.BytesSent,
		BytesReceived: a.BytesReceived - b.BytesReceived,
		Requests:      a.Requests - b.Requests,
		Writes:        a.Writes - b.Writes,
		RoundTrips:    a.RoundTrips - b.RoundTrips,
	}
}

// What the window manager costs on the wire: framing a window takes one
// round trip (its properties and geometry, asked together); a drag, and
// a client's new name, none. The bytes are logged.
func TestWireCost(t *testing.T) {
	peer.Need(t, "xdotool")
	display := startServer(t, 800, 600)
	m := runWM(t, display)
	c := dial(t, display)

	before := m.quiet()
	t.Logf("starting on an empty screen: %d requests, %d bytes sent, %d received, %d round trips",
		before.Requests, before.BytesSent, before.BytesReceived, before.RoundTrips)
	tc := newClient(t, display, "counted", image.Rect(100, 100, 400, 300), xlib.SizeHints{Flags: xlib.USPosition}, true)
	f := frameOf(t, c, tc.w)
	framing := sub(m.quiet(), before)
	t.Logf("framing a window: %d requests, %d bytes sent, %d received, %d writes, %d round trips",
		framing.Requests, framing.BytesSent, framing.BytesReceived, framing.Writes, framing.RoundTrips)
	if framing.RoundTrips != 1 {
		t.Errorf("framing a window took %d round trips, want 1", framing.RoundTrips)
	}

	before = m.quiet()
	drag(t, display, f.titleBar(), f.titleBar().Add(image.Pt(200, 150)))
	moving := sub(m.quiet(), before)
	t.Logf("a drag in 4 steps: %d requests, %d bytes sent, %d received, %d writes, %d round trips",
		moving.Requests, moving.BytesSent, moving.BytesReceived, moving.Writes, moving.RoundTrips)
	if moving.RoundTrips != 0 {
		t.Errorf("a drag took %d round trips, want none", moving.RoundTrips)
	}

	before = m.quiet()
	tc.c.ChangeProperty(tc.w, protocol.PropModeReplace, protocol.AtomWmName, protocol.AtomString, 8, []byte("renamed"))
	tc.c.Flush()
	renaming := sub(m.quiet(), before)
	t.Logf("a new name: %d requests, %d bytes sent, %d received, %d writes, %d round trips",
		renaming.Requests, renaming.BytesSent, renaming.BytesReceived, renaming.Writes, renaming.RoundTrips)
	if renaming.RoundTrips != 0 || renaming.Requests < 3 {
		t.Errorf("a new name took %d requests and %d round trips; want it read and drawn without a wait", renaming.Requests, renaming.RoundTrips)
	}
}
