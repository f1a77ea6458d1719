package desktop

import (
	"fmt"

	"netdisplay/viewer"
)

// overlayText is the statistics overlay: what is shown, what its mode
// costs, and how the window shows it.
func overlayText(st viewer.Stats, target string, scale float64, filter string, redraws float64) []string {
	f := st.Figures(target)
	return []string{
		fmt.Sprintf("%s  scale %.3g %s", f.Shown, scale, filter),
		fmt.Sprintf("in %s  out %s", f.In, f.Out),
		fmt.Sprintf("%s  input %s  %.0f redraws/s", f.Updates, f.Latency, redraws),
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
