// Package viewer is what every netdisplay viewer (terminal, desktop,
// browser) shows and drives, in either of the two modes:
//
//   - X mode: the viewer is the display. It runs netdisplay's X server
//     itself; remote applications connect to it over X11, and drawing
//     commands cross the network. See NewX.
//   - Pixel mode: the viewer is an RFB client of a display somewhere else,
//     and only framebuffer updates cross the network. See Dial.
//
// Either way a Session is a framebuffer that changes, somewhere to send
// input, and live statistics of what the mode costs.
package viewer

import (
	"image"
	"sync"
	"time"
)

// A Session is one viewer's connection to what it shows.
type Session interface {
	// Mode is "x11" or "rfb".
	Mode() string
	// Target describes what the session shows, for the title or status
	// line: ":1" or "vnc://host:5901".
	Target() string

	// Frame calls f with the framebuffer, held still, and the bounds of
	// what changed since the previous call. f must not keep img.
	Frame(f func(img *image.RGBA, changed image.Rectangle))
	// Updated is signalled when the framebuffer has changed.
	Updated() <-chan struct{}
	// Cursor returns the pointer's shape, or nil for the viewer's own.
	Cursor() *Cursor

	// Key presses or releases the key for an X keysym.
	Key(keysym uint32, down bool)
	// Pointer moves the pointer to (x, y) with buttons 1 to 8 down (bit 0
	// is button 1; 4 to 7 are the wheel).
	Pointer(x, y int, buttons uint8)
	// CutText gives the other side the viewer's clipboard (ISO 8859-1).
	CutText(text []byte)
	// Clipboard returns the other side's latest cut text.
	Clipboard() []byte
	// Resize asks for a framebuffer of w x h.
	Resize(w, h int) error

	// Stats returns the statistics now.
	Stats() Stats

	// Done is closed when the session ends; Err then says why.
	Done() <-chan struct{}
	Err() error
	Close() error
}

// A Cursor is the pointer's shape: RGBA pixels with the hot spot.
type Cursor struct {
	Image *image.RGBA
	Hot   image.Point
}

// Stats are what a viewer shows about the cost of its mode.
type Stats struct {
	Mode string `json:"mode"`
	// Network traffic since the session began: for X mode the X11 bytes of
	// every client connection, for pixel mode the RFB connection's.
	BytesIn  int64 `json:"bytes_in"`
	BytesOut int64 `json:"bytes_out"`
	// Rates over the last second.
	InPerSec  float64 `json:"bytes_in_per_sec"`
	OutPerSec float64 `json:"bytes_out_per_sec"`
	// Updates counts X requests (X mode) or framebuffer updates (pixel
	// mode); UpdatesPerSec is their rate.
	Updates       int64   `json:"updates"`
	UpdatesPerSec float64 `json:"updates_per_sec"`
	UpdateKind    string  `json:"update_kind"` // "requests" or "updates"
	// InputLatency is the time from the last input event at the viewer to
	// the first pixels that changed after it, as shown at the viewer;
	// zero until something has changed after an input.
	InputLatency time.Duration `json:"input_latency_ns"`
	Size         image.Point   `json:"size"`
}

// meter turns running totals into rates over a sliding second.
type meter struct {
	mu      sync.Mutex
	samples [8]sample
	n       int
}

type sample struct {
	t             time.Time
	in, out, upds int64
}

// rates records the totals now and returns the per-second rates over the
// last second or so.
func (m *meter) rates(now time.Time, in, out, upds int64) (float64, float64, float64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	cur := sample{now, in, out, upds}
	// Find the oldest sample within the last 1.5 s to measure against.
	var base *sample
	for i := range m.samples[:min(m.n, len(m.samples))] {
		s := &m.samples[i]
		if now.Sub(s.t) <= 1500*time.Millisecond && (base == nil || s.t.Before(base.t)) {
			base = s
		}
	}
	// Keep a sample at most every 200 ms.
	last := m.samples[(m.n+len(m.samples)-1)%len(m.samples)]
	if m.n == 0 || now.Sub(last.t) >= 200*time.Millisecond {
		m.samples[m.n%len(m.samples)] = cur
		m.n++
	}
	if base == nil || now.Sub(base.t) < 50*time.Millisecond {
		return 0, 0, 0
	}
	d := now.Sub(base.t).Seconds()
	return float64(in-base.in) / d, float64(out-base.out) / d, float64(upds-base.upds) / d
}

// latency measures from an input to the first change after it. Only
// inputs that usually answer with a change count: key and button presses,
// and motion with a button held (a drag). Plain motion over something
// still would otherwise take the credit for an unrelated change, such as
// a clock's tick.
type latency struct {
	mu      sync.Mutex
	pending time.Time // the last input not yet answered by a change
	last    time.Duration
}

func (l *latency) input(t time.Time) {
	l.mu.Lock()
	l.pending = t
	l.mu.Unlock()
}

func (l *latency) shown(t time.Time) {
	l.mu.Lock()
	if !l.pending.IsZero() {
		l.last = t.Sub(l.pending)
		l.pending = time.Time{}
	}
	l.mu.Unlock()
}

func (l *latency) get() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.last
}
