package desktop

import (
	"fmt"
	"time"

	"netdisplay/viewer"
)

// overlayText is the statistics overlay: what is shown, what its mode
// costs, and how the window shows it.
func overlayText(st viewer.Stats, target string, scale float64, filter string, redraws float64) []string {
	kind := st.UpdateKind
	if kind == "" {
		kind = "updates"
	}
	lat := "-"
	if st.InputLatency > 0 {
		lat = st.InputLatency.Round(100 * time.Microsecond).String()
	}
	return []string{
		fmt.Sprintf("%s %s %dx%d  scale %.3g %s", st.Mode, target, st.Size.X, st.Size.Y, scale, filter),
		fmt.Sprintf("in %s/s %s  out %s/s %s", bytes(st.InPerSec), bytes(float64(st.BytesIn)), bytes(st.OutPerSec), bytes(float64(st.BytesOut))),
		fmt.Sprintf("%.1f %s/s  input %s  %.0f redraws/s", st.UpdatesPerSec, kind, lat, redraws),
	}
}

// wrap breaks lines longer than n characters at spaces, or anywhere in
// a word longer than n, so that a long error message fits the window.
func wrap(lines []string, n int) []string {
	n = max(n, 1)
	var out []string
	for _, l := range lines {
		r := []rune(l)
		for len(r) > n {
			cut := n
			for i := n; i > 0; i-- {
				if r[i] == ' ' {
					cut = i
					break
				}
			}
			out = append(out, string(r[:cut]))
			r = r[cut:]
			for len(r) > 0 && r[0] == ' ' {
				r = r[1:]
			}
		}
		out = append(out, string(r))
	}
	return out
}

// prefixHint is the overlay's last line while a command key is awaited.
const prefixHint = "Ctrl-]  s stats  f filter  w write stats  r reconnect  q quit  ] send Ctrl-]"

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
