package webviewer

import (
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Stats is what /stats answers: the bytes each mode carries between the
// browsers and the displays, counted at this server. These are the
// protocols' own bytes (RFB, X11), the figures the page shows too; the
// WebSocket framing around them is not counted.
type Stats struct {
	RFB ModeStats `json:"rfb"`
	X11 ModeStats `json:"x11"`
}

// ModeStats are one mode's traffic.
type ModeStats struct {
	// For X mode: the display remote applications connect to, and whether
	// a page is showing it.
	Display string `json:"display,omitempty"`
	Page    bool   `json:"page,omitempty"`
	// Since the server started, closed connections included.
	ToBrowser   int64 `json:"to_browser"`
	FromBrowser int64 `json:"from_browser"`
	// Over the last second or so.
	ToBrowserPerSec   float64     `json:"to_browser_per_sec"`
	FromBrowserPerSec float64     `json:"from_browser_per_sec"`
	Connections       []ConnStats `json:"connections"`
}

// ConnStats are one connection's: a browser's RFB WebSocket, or an X
// client relayed to the page.
type ConnStats struct {
	Peer              string    `json:"peer"` // the browser (RFB) or the X client (X11)
	Since             time.Time `json:"since"`
	ToBrowser         int64     `json:"to_browser"`
	FromBrowser       int64     `json:"from_browser"`
	ToBrowserPerSec   float64   `json:"to_browser_per_sec"`
	FromBrowserPerSec float64   `json:"from_browser_per_sec"`
	// RFB only, from the RFB server: framebuffer updates sent, and the
	// encoding pixels go in.
	Updates  int64  `json:"updates,omitempty"`
	Encoding string `json:"encoding,omitempty"`
}

// connStats counts one connection's bytes; each count also goes to its
// mode's total.
type connStats struct {
	mode     string
	peer     string
	since    time.Time
	to, from atomic.Int64
	rate     rate
}

// statsTable holds the open connections and the totals of each mode.
type statsTable struct {
	mu     sync.Mutex
	conns  map[*connStats]bool
	totals map[string]*totals
}

type totals struct {
	done struct{ to, from int64 } // of closed connections
	rate rate
}

func (t *statsTable) init() {
	t.conns = make(map[*connStats]bool)
	t.totals = map[string]*totals{"rfb": {}, "x11": {}}
}

func (t *statsTable) open(mode, peer string) *connStats {
	cs := &connStats{mode: mode, peer: peer, since: time.Now()}
	t.mu.Lock()
	t.conns[cs] = true
	t.mu.Unlock()
	return cs
}

func (t *statsTable) close(cs *connStats) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.conns[cs] {
		return
	}
	delete(t.conns, cs)
	tt := t.totals[cs.mode]
	tt.done.to += cs.to.Load()
	tt.done.from += cs.from.Load()
}

// snapshot returns each mode's figures now.
func (t *statsTable) snapshot(now time.Time) map[string]*ModeStats {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := map[string]*ModeStats{}
	for mode, tt := range t.totals {
		out[mode] = &ModeStats{ToBrowser: tt.done.to, FromBrowser: tt.done.from, Connections: []ConnStats{}}
	}
	for cs := range t.conns {
		to, from := cs.to.Load(), cs.from.Load()
		m := out[cs.mode]
		m.ToBrowser += to
		m.FromBrowser += from
		tr, fr := cs.rate.at(now, to, from)
		m.Connections = append(m.Connections, ConnStats{
			Peer: cs.peer, Since: cs.since, ToBrowser: to, FromBrowser: from,
			ToBrowserPerSec: tr, FromBrowserPerSec: fr,
		})
	}
	for mode, m := range out {
		m.ToBrowserPerSec, m.FromBrowserPerSec = t.totals[mode].rate.at(now, m.ToBrowser, m.FromBrowser)
		sort.Slice(m.Connections, func(i, j int) bool { return m.Connections[i].Since.Before(m.Connections[j].Since) })
	}
	return out
}

// Stats returns the server's figures now.
func (s *Server) Stats() Stats {
	now := time.Now()
	snap := s.stats.snapshot(now)
	st := Stats{RFB: *snap["rfb"], X11: *snap["x11"]}
	st.X11.Display = s.cfg.Display
	st.X11.Page = s.relay.current() != nil
	if s.cfg.RFB != nil {
		// The RFB server knows what it sent; match its viewers to ours by
		// address.
		byAddr := map[string]int{}
		for i, c := range st.RFB.Connections {
			byAddr[c.Peer] = i
		}
		for _, v := range s.cfg.RFB.Viewers() {
			if i, ok := byAddr[v.Addr]; ok {
				st.RFB.Connections[i].Updates = v.Updates
				st.RFB.Connections[i].Encoding = v.Preferred.String()
			}
		}
	}
	return st
}

// sample keeps the rates current between requests for /stats.
func (t *statsTable) sample(stop <-chan struct{}) {
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case now := <-tick.C:
			t.snapshot(now)
		case <-stop:
			return
		}
	}
}

// rate measures bytes per second over the last second or so, from the
// totals it is shown at each call: it keeps a sample at most every 200 ms.
type rate struct {
	mu      sync.Mutex
	samples [8]rateSample
	n       int
}

type rateSample struct {
	t        time.Time
	to, from int64
}

func (r *rate) at(now time.Time, to, from int64) (float64, float64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var base *rateSample
	for i := range r.samples[:min(r.n, len(r.samples))] {
		s := &r.samples[i]
		if now.Sub(s.t) <= 1500*time.Millisecond && (base == nil || s.t.Before(base.t)) {
			base = s
		}
	}
	last := r.samples[(r.n+len(r.samples)-1)%len(r.samples)]
	if r.n == 0 || now.Sub(last.t) >= 200*time.Millisecond {
		r.samples[r.n%len(r.samples)] = rateSample{now, to, from}
		r.n++
	}
	if base == nil || now.Sub(base.t) < 50*time.Millisecond {
		return 0, 0
	}
	d := now.Sub(base.t).Seconds()
	return float64(to-base.to) / d, float64(from-base.from) / d
}
