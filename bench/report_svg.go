package bench

import (
	"fmt"
	"math"
	"strings"
)

// The charts are SVG drawn by hand: no dependencies, and a file any
// browser, and GitHub's Markdown, shows.

// palette gives each mode a colour, in the report's order.
var palette = []string{"#1f77b4", "#6baed6", "#9ecae1", "#d62728", "#ff7f0e", "#2ca02c", "#98df8a", "#9467bd", "#8c564b", "#7f7f7f"}

type svg struct{ strings.Builder }

func newSVG(w, h int) *svg {
	s := &svg{}
	fmt.Fprintf(s, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n", w, h, w, h)
	fmt.Fprintf(s, `<rect width="%d" height="%d" fill="white"/>`+"\n", w, h)
	return s
}

func (s *svg) text(x, y float64, anchor, str string, extra ...string) {
	fmt.Fprintf(s, `<text x="%.1f" y="%.1f" text-anchor="%s" %s>%s</text>`+"\n", x, y, anchor, strings.Join(extra, " "), htmlEscape(str))
}

func (s *svg) line(x1, y1, x2, y2 float64, style string) {
	fmt.Fprintf(s, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" %s/>`+"\n", x1, y1, x2, y2, style)
}

func (s *svg) end() string {
	s.WriteString("</svg>\n")
	return s.String()
}

// legend draws the modes' colours in a row at y.
func (s *svg) legend(x, y float64, names []string) {
	for i, n := range names {
		fmt.Fprintf(s, `<rect x="%.1f" y="%.1f" width="10" height="10" fill="%s"/>`+"\n", x, y-9, palette[i%len(palette)])
		s.text(x+14, y, "start", n)
		x += 14 + float64(7*len(n)) + 14
	}
}

// BytesChart is bytes.svg: for each workload, a bar for each mode of
// the bytes to the display on the headline link, on a log scale.
func BytesChart(r *Report) string {
	link := r.headlineLink()
	ws, modes := r.workloads(), r.modes()
	const left, top, bottom, plotH = 70.0, 40.0, 70.0, 300.0
	group := float64(max(len(modes), 1))*9 + 14
	width := int(left + group*float64(max(len(ws), 1)) + 20)
	width = max(width, 640)
	s := newSVG(width, int(top+plotH+bottom))
	s.text(left, 22, "start", fmt.Sprintf("Bytes to the display, per workload and mode, on %s (log scale)", link), `font-weight="bold"`)
	lo, hi := 1e9, 1.0
	for _, x := range r.Results {
		if x.Link == link && x.ToDisplay > 0 {
			lo, hi = math.Min(lo, float64(x.ToDisplay)), math.Max(hi, float64(x.ToDisplay))
		}
	}
	lo = math.Pow(10, math.Floor(math.Log10(math.Max(lo, 1))))
	hi = math.Pow(10, math.Ceil(math.Log10(math.Max(hi, lo*10))))
	y := func(v float64) float64 {
		v = math.Max(v, lo)
		return top + plotH - plotH*(math.Log10(v)-math.Log10(lo))/(math.Log10(hi)-math.Log10(lo))
	}
	for v := lo; v <= hi*1.0001; v *= 10 {
		s.line(left, y(v), float64(width-20), y(v), `stroke="#ddd"`)
		s.text(left-6, y(v)+4, "end", humanBytes(int64(v)))
	}
	for i, w := range ws {
		x0 := left + group*float64(i) + 7
		for j, m := range modes {
			x := r.find(w, m, link)
			if x == nil || x.ToDisplay <= 0 {
				continue
			}
			bx := x0 + float64(j)*9
			fmt.Fprintf(s, `<rect x="%.1f" y="%.1f" width="8" height="%.1f" fill="%s"><title>%s %s: %s</title></rect>`+"\n",
				bx, y(float64(x.ToDisplay)), top+plotH-y(float64(x.ToDisplay)), palette[j%len(palette)], w, m, humanBytes(x.ToDisplay))
		}
		s.text(x0+group/2-7, top+plotH+16, "middle", w)
	}
	s.line(left, top+plotH, float64(width-20), top+plotH, `stroke="black"`)
	s.legend(left, top+plotH+48, modes)
	return s.end()
}

// latencyWorkload is the workload the latency chart plots: the trivial
// one if it ran, else the first interactive one.
func latencyWorkload(r *Report) string {
	in := r.interactive()
	for _, w := range in {
		if w == "ping" {
			return w
		}
	}
	if len(in) > 0 {
		return in[0]
	}
	return ""
}

// LatencyChart is latency.svg: the median latency of the trivial
// workload (or the first interactive one) against each link's RTT, a
// line for each mode, over the line latency = RTT.
func LatencyChart(r *Report) string {
	w := latencyWorkload(r)
	modes := r.modes()
	const left, top, plotW, plotH, bottom = 70.0, 40.0, 520.0, 300.0, 70.0
	s := newSVG(int(left+plotW+30), int(top+plotH+bottom))
	s.text(left, 22, "start", fmt.Sprintf("Median latency (%s) against RTT, per mode", w), `font-weight="bold"`)
	maxRTT, maxLat := 1.0, 1.0
	for _, x := range r.Results {
		if x.Workload == w && x.Latency.N > 0 {
			maxRTT = math.Max(maxRTT, x.RTTms)
			maxLat = math.Max(maxLat, x.Latency.P50)
		}
	}
	maxLat = math.Max(maxLat, maxRTT)
	xMax, yMax := niceCeil(maxRTT*1.1), niceCeil(maxLat*1.1)
	px := func(v float64) float64 { return left + plotW*v/xMax }
	py := func(v float64) float64 { return top + plotH - plotH*v/yMax }
	for _, v := range ticks(xMax) {
		s.line(px(v), top, px(v), top+plotH, `stroke="#eee"`)
		s.text(px(v), top+plotH+16, "middle", fmt.Sprintf("%g", v))
	}
	for _, v := range ticks(yMax) {
		s.line(left, py(v), left+plotW, py(v), `stroke="#eee"`)
		s.text(left-6, py(v)+4, "end", fmt.Sprintf("%g", v))
	}
	s.text(left+plotW/2, top+plotH+34, "middle", "RTT of the link, ms")
	s.text(16, top+plotH/2, "middle", "p50 latency, ms", fmt.Sprintf(`transform="rotate(-90 16 %.1f)"`, top+plotH/2))
	lim := math.Min(xMax, yMax)
	s.line(px(0), py(0), px(lim), py(lim), `stroke="#999" stroke-dasharray="4 4"`)
	s.text(px(lim)-4, py(lim)+14, "end", "latency = RTT", `fill="#999"`)
	for j, m := range modes {
		var pts []string
		for _, l := range r.links() {
			x := r.find(w, m, l)
			if x == nil || x.Latency.N == 0 {
				continue
			}
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", px(x.RTTms), py(x.Latency.P50)))
			fmt.Fprintf(s, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"><title>%s on %s: %s ms</title></circle>`+"\n",
				px(x.RTTms), py(x.Latency.P50), palette[j%len(palette)], m, l, ms(x.Latency.P50))
		}
		if len(pts) > 1 {
			fmt.Fprintf(s, `<polyline points="%s" fill="none" stroke="%s" stroke-width="1.5"/>`+"\n", strings.Join(pts, " "), palette[j%len(palette)])
		}
	}
	s.line(left, top+plotH, left+plotW, top+plotH, `stroke="black"`)
	s.line(left, top, left, top+plotH, `stroke="black"`)
	s.legend(left, top+plotH+56, modes)
	return s.end()
}

// niceCeil rounds up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

// ticks are five steps from 0 to max.
func ticks(max float64) []float64 {
	var out []float64
	for i := 0; i <= 5; i++ {
		out = append(out, max*float64(i)/5)
	}
	return out
}
