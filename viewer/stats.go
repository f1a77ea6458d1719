package viewer

import (
	"encoding/json"
	"fmt"
	"os"
	"time"
)

// Figures are a session's statistics as people read them. The viewers
// lay them out differently, the terminal's on one status line and the
// desktop's in an overlay, but should say the same things the same way.
type Figures struct {
	Shown   string // what is shown: "rfb vnc://host:5901 1280x800"
	In, Out string // traffic: "12.3kB/s 4.56MB", the rate and the total
	Updates string // "30.0 updates/s" or "250.0 requests/s"
	Latency string // input latency, "1.2ms", or "-" before there is one
}

// Figures returns st for people, for a session that shows target.
func (st Stats) Figures(target string) Figures {
	kind := st.UpdateKind
	if kind == "" {
		kind = "updates"
	}
	lat := "-"
	if st.InputLatency > 0 {
		lat = st.InputLatency.Round(100 * time.Microsecond).String()
	}
	return Figures{
		Shown:   fmt.Sprintf("%s %s %dx%d", st.Mode, target, st.Size.X, st.Size.Y),
		In:      fmt.Sprintf("%s/s %s", bytes(st.InPerSec), bytes(float64(st.BytesIn))),
		Out:     fmt.Sprintf("%s/s %s", bytes(st.OutPerSec), bytes(float64(st.BytesOut))),
		Updates: fmt.Sprintf("%.1f %s/s", st.UpdatesPerSec, kind),
		Latency: lat,
	}
}

// bytes formats a byte count for people: 999B, 12.3kB, 4.56MB.
func bytes(n float64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%.0fB", n)
	case n < 1e6:
		return fmt.Sprintf("%.3gkB", n/1e3)
	case n < 1e9:
		return fmt.Sprintf("%.3gMB", n/1e6)
	}
	return fmt.Sprintf("%.3gGB", n/1e9)
}

// WriteStatsFile replaces the file at path with st as indented JSON. It
// writes a new file and renames it over the old, so that a script that
// reads the statistics as they change never reads half of them.
func WriteStatsFile(path string, st any) error {
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
