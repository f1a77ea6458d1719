package bench

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
)

// Markdown is report.md: how the numbers were measured, the headline
// tables, the validations, what the numbers say about the seed
// questions, and every run.
func Markdown(r *Report) string {
	var b strings.Builder
	for _, s := range sections(r) {
		if s.title != "" {
			fmt.Fprintf(&b, "## %s\n\n", s.title)
		}
		for _, p := range s.parts {
			b.WriteString(p.markdown())
			b.WriteString("\n")
		}
	}
	return b.String()
}

// A section is a heading and its paragraphs, tables and charts, written
// as Markdown or HTML.
type section struct {
	title string
	parts []part
}

type part interface {
	markdown() string
	html() string
}

// text is a paragraph; a line starting "- " is a list item.
type text string

func (t text) markdown() string { return string(t) + "\n" }
func (t text) html() string {
	s := string(t)
	if strings.HasPrefix(s, "- ") {
		var b strings.Builder
		b.WriteString("<ul>\n")
		for _, l := range strings.Split(s, "\n") {
			b.WriteString("<li>" + inline(strings.TrimPrefix(l, "- ")) + "</li>\n")
		}
		b.WriteString("</ul>\n")
		return b.String()
	}
	if strings.HasPrefix(s, "# ") {
		return "<h1>" + inline(s[2:]) + "</h1>\n"
	}
	if strings.HasPrefix(s, "### ") {
		return "<h3>" + inline(s[4:]) + "</h3>\n"
	}
	return "<p>" + inline(s) + "</p>\n"
}

// inline turns the little Markdown the report uses (`code`, **bold**)
// into HTML.
func inline(s string) string {
	s = htmlEscape(s)
	for _, m := range []struct{ mark, open, close string }{{"`", "<code>", "</code>"}, {"**", "<b>", "</b>"}} {
		for open := true; strings.Contains(s, m.mark); open = !open {
			tag := m.open
			if !open {
				tag = m.close
			}
			s = strings.Replace(s, m.mark, tag, 1)
		}
	}
	return s
}

// figure is a chart, by file name.
type figure struct{ file, caption string }

func (f figure) markdown() string { return fmt.Sprintf("![%s](%s)\n", f.caption, f.file) }
func (f figure) html() string {
	return fmt.Sprintf("<figure><img src=\"%s\" alt=\"%s\"><figcaption>%s</figcaption></figure>\n", f.file, htmlEscape(f.caption), htmlEscape(f.caption))
}

func sections(r *Report) []section {
	var out []section
	title := "netdisplay bench: X11 against RFB on the same work"
	kind := "full run"
	if r.Quick {
		kind = "quick run (--quick)"
	}
	head := []part{
		text("# " + title),
		text(fmt.Sprintf("A %s of %d runs, started %s, taking %v, on %s (%d cores, %s/%s, %s).",
			kind, len(r.Results), r.Started.Format("2006-01-02 15:04 MST"), time.Duration(r.Seconds*float64(time.Second)).Round(time.Second),
			r.Machine.CPU, r.Machine.Cores, r.Machine.OS, r.Machine.Arch, r.Machine.Go)),
	}
	if r.Interrupted {
		head = append(head, text("**Interrupted** (Ctrl-C): this report covers only the runs that finished."))
	}
	if len(r.Skipped) > 0 {
		head = append(head, text("Skipped: "+strings.Join(r.Skipped, "; ")+"."))
	}
	out = append(out, section{parts: head})
	out = append(out, section{"How it was measured", method(r)})
	out = append(out, headline(r)...)
	out = append(out, section{"What the numbers say", findings(r)})
	out = append(out, section{"Validation", validation(r)})
	out = append(out, section{"Every run", everyRun(r)})
	return out
}

func method(r *Report) []part {
	var ws, ms, ls []string
	for _, w := range r.workloads() {
		ws = append(ws, fmt.Sprintf("- `%s`: %s", w, r.About[w]))
	}
	for _, m := range r.modes() {
		ms = append(ms, fmt.Sprintf("- `%s`: %s", m, r.About[m]))
	}
	for _, l := range r.links() {
		ls = append(ls, fmt.Sprintf("- `%s`: %s", l, r.About[l]))
	}
	return []part{
		text("Each workload runs in each mode over each emulated link, with the same scripted input. " +
			"**X mode**: application ⇄ link ⇄ display, where the display is netdisplay's X server in the harness. " +
			"**Pixel mode**: application ⇄ local socket ⇄ `netdisplay serve` ⇄ link ⇄ RFB viewer (netdisplay's own, in the harness, decoding every update into a framebuffer). " +
			"The link (package bench/link: delay, jitter, a rate behind a bounded queue, optional deflate) is the only place the network is emulated, and the only traffic counted. " +
			"The applications and the pixel-mode server are child processes."),
		text("- **Bytes** are counted during the work: from the application's start to the display's last change. In pixel mode the RFB handshake and the first picture of the empty screen come before and are reported apart (setup). " +
			"To the display means X requests, or RFB updates; from the display, X replies and events (and the setup reply), or RFB input and update requests. With zlib the bytes are the compressed ones on the wire.\n" +
			"- **Messages**: X11 requests, replies, events and errors, cut from the stream at the link by their lengths; RFB client messages the same way, and FramebufferUpdates as the viewer decodes them.\n" +
			"- **Bandwidth**: mean over the work; peak, the most in any one second of it (sampled every 100 ms).\n" +
			"- **Latency**, as in slow-motion benchmarking: an interactive workload first plays its input at a person's pace (for its traffic), then plays further inputs one at a time. Each is injected at the display side (X mode: into the X server, where the user at the display types; pixel mode: from the RFB viewer) when the display is quiet, and its latency is the time until the display has shown the whole answer: its last change before it is quiet again for a round trip and 30 ms. p99 of fewer than 100 samples is their maximum.\n" +
			"- **Frames**: a scripted application counts what it drew; X mode shows every frame (it cannot drop one), pixel mode shows at most one frame an update, so frames shown are the updates, at most the frames produced.\n" +
			"- **CPU**: the applications and the pixel-mode server from the kernel's account of each exited child; the display from the harness process's own, which also runs the link emulation (and its deflate for x11-zlib): nothing is subtracted.\n" +
			"- **Final frame**: the display's framebuffer at the end, compared with the first run's of the same workload."),
		text("### Workloads"), text(strings.Join(ws, "\n")),
		text("### Modes"), text(strings.Join(ms, "\n")),
		text("### Links"), text(strings.Join(ls, "\n")),
	}
}

// pivot is a table of one measure: a row for each workload, a column
// for each mode.
func pivot(r *Report, rows []string, link string, cell func(*Result) string) *table {
	t := &table{header: append([]string{"workload"}, r.modes()...)}
	t.right = make([]bool, len(t.header))
	for i := 1; i < len(t.right); i++ {
		t.right[i] = true
	}
	for _, w := range rows {
		row := []string{w}
		any := false
		for _, m := range r.modes() {
			x := r.find(w, m, link)
			c := "—"
			if x != nil {
				c = cell(x)
				any = true
			}
			row = append(row, c)
		}
		if any {
			t.rows = append(t.rows, row)
		}
	}
	return t
}

func (r *Report) interactive() []string {
	var out []string
	for _, w := range r.workloads() {
		if slices.ContainsFunc(r.Results, func(x Result) bool { return x.Workload == w && x.Latency.N > 0 }) {
			out = append(out, w)
		}
	}
	return out
}

func bytesCell(x *Result) string {
	s := humanBytes(x.ToDisplay + x.FromDisplay)
	if x.Error != "" {
		s += " (!)"
	}
	return s
}

func headline(r *Report) []section {
	link := r.headlineLink()
	var out []section
	out = append(out, section{"Headline: bytes on " + link, []part{
		text(fmt.Sprintf("Bytes across the link, both directions, for each workload on `%s` (%s). (!) marks a run that failed or was cut short.", link, r.About[link])),
		pivot(r, r.workloads(), link, bytesCell),
		figure{ChartBytes, "Bytes to the display per workload, per mode, on " + link + " (log scale)"},
	}})
	var lat []part
	lat = append(lat, text("The median time from an input at the display to its whole answer shown there, in milliseconds (p95 in brackets), on each link."))
	for _, l := range r.links() {
		lat = append(lat, text(fmt.Sprintf("### %s (RTT %s ms)", l, ms(linkRTT(r, l)))))
		lat = append(lat, pivot(r, r.interactive(), l, func(x *Result) string {
			if x.Latency.N == 0 {
				return "—"
			}
			return fmt.Sprintf("%s (%s)", ms(x.Latency.P50), ms(x.Latency.P95))
		}))
	}
	lat = append(lat, figure{ChartLatency, "Median latency against the link's RTT, per mode"})
	out = append(out, section{"Headline: latency", lat})
	var done []part
	done = append(done, text("How long the work took, from the application's start to the display's last change, in seconds; for scripted applications also the frames the display showed of those drawn."))
	var scripted []string
	for _, w := range r.workloads() {
		if !slices.Contains(r.interactive(), w) {
			scripted = append(scripted, w)
		}
	}
	for _, l := range r.links() {
		done = append(done, text("### "+l))
		done = append(done, pivot(r, scripted, l, func(x *Result) string {
			s := fmt.Sprintf("%.1f s", x.Seconds)
			if x.FramesProduced > 0 {
				s += fmt.Sprintf(", %d/%d", x.FramesShown, x.FramesProduced)
			}
			if x.Error != "" {
				s += " (!)"
			}
			return s
		}))
	}
	out = append(out, section{"Headline: time to finish and frames", done})
	return out
}

func linkRTT(r *Report, link string) float64 {
	for _, x := range r.Results {
		if x.Link == link {
			return x.RTTms
		}
	}
	return 0
}

// findings answers the seed questions from the numbers.
func findings(r *Report) []part {
	var out []part
	// What X's round trips cost on slow links.
	var rt []string
	for _, l := range r.links() {
		for _, w := range r.workloads() {
			a, s := r.find(w, "x11", l), r.find(w, "x11-sync", l)
			if a == nil || s == nil || a.Seconds == 0 {
				continue
			}
			rt = append(rt, fmt.Sprintf("%s on %s: %.1f s pipelined, %.1f s with a round trip a frame (×%.1f)", w, l, a.Seconds, s.Seconds, s.Seconds/a.Seconds))
		}
	}
	if len(rt) > 0 {
		out = append(out, text("### What X's round trips cost on slow links"),
			text("Time to finish, x11 against x11-sync (the same application waiting for a reply after every frame):"),
			text("- "+strings.Join(rt, "\n- ")))
	}
	if open := roundTrips(r, "windows"); open != "" {
		out = append(out, text(open))
	}
	// What VNC's pull model costs.
	var pull []string
	for _, l := range r.links() {
		for _, w := range r.workloads() {
			c, p := r.find(w, "rfb-zrle", l), r.find(w, "rfb-pull", l)
			if c == nil || p == nil {
				continue
			}
			s := fmt.Sprintf("%s on %s:", w, l)
			if c.Latency.N > 0 && p.Latency.N > 0 {
				s += fmt.Sprintf(" latency p50 %s ms continuous, %s ms pulled (p95 %s against %s);", ms(c.Latency.P50), ms(p.Latency.P50), ms(c.Latency.P95), ms(p.Latency.P95))
			}
			if c.FramesProduced > 0 {
				s += fmt.Sprintf(" frames shown %d continuous, %d pulled of %d;", c.FramesShown, p.FramesShown, c.FramesProduced)
			}
			s += fmt.Sprintf(" %s continuous, %s pulled", humanBytes(c.ToDisplay+c.FromDisplay), humanBytes(p.ToDisplay+p.FromDisplay))
			pull = append(pull, s)
		}
	}
	if len(pull) > 0 {
		out = append(out, text("### What VNC's pull model costs"),
			text("ZRLE with continuous updates against ZRLE pulled, one update request per update:"),
			text("- "+strings.Join(pull, "\n- ")))
	}
	// What compression buys.
	link := r.headlineLink()
	var comp []string
	for _, w := range r.workloads() {
		x, z := r.find(w, "x11", link), r.find(w, "x11-zlib", link)
		raw := r.find(w, "rfb-raw", link)
		var parts []string
		if x != nil && z != nil && z.ToDisplay+z.FromDisplay > 0 {
			parts = append(parts, fmt.Sprintf("zlib makes X %.1f× smaller (%s to %s)", ratio(x.ToDisplay+x.FromDisplay, z.ToDisplay+z.FromDisplay),
				humanBytes(x.ToDisplay+x.FromDisplay), humanBytes(z.ToDisplay+z.FromDisplay)))
		}
		if raw != nil && raw.ToDisplay > 0 {
			var encs []string
			for _, m := range []string{"rfb-hextile", "rfb-zrle", "rfb-tight", "rfb-jpeg"} {
				if e := r.find(w, m, link); e != nil && e.ToDisplay > 0 {
					encs = append(encs, fmt.Sprintf("%s %.1f×", strings.TrimPrefix(m, "rfb-"), ratio(raw.ToDisplay, e.ToDisplay)))
				}
			}
			if len(encs) > 0 {
				parts = append(parts, "against Raw pixels: "+strings.Join(encs, ", "))
			}
		}
		if len(parts) > 0 {
			comp = append(comp, w+": "+strings.Join(parts, "; "))
		}
	}
	if len(comp) > 0 {
		out = append(out, text("### What compression buys"), text(fmt.Sprintf("On %s (where Raw on a slow link drops frames, its bytes are what got through):", link)),
			text("- "+strings.Join(comp, "\n- ")))
	}
	// Where each wins.
	var wins []string
	for _, l := range r.links() {
		for _, w := range r.workloads() {
			bx, bp := best(r, w, l, false, func(x *Result) float64 { return float64(x.ToDisplay + x.FromDisplay) })
			s := ""
			if bx != nil && bp != nil {
				s = fmt.Sprintf("fewest bytes: %s %s against %s %s", bx.Mode, humanBytes(bx.ToDisplay+bx.FromDisplay), bp.Mode, humanBytes(bp.ToDisplay+bp.FromDisplay))
			}
			lx, lp := best(r, w, l, true, func(x *Result) float64 { return x.Latency.P50 })
			if lx != nil && lp != nil {
				s += fmt.Sprintf("; lowest p50: %s %s ms against %s %s ms", lx.Mode, ms(lx.Latency.P50), lp.Mode, ms(lp.Latency.P50))
			}
			if s != "" {
				wins = append(wins, fmt.Sprintf("%s on %s: %s", w, l, s))
			}
		}
	}
	if len(wins) > 0 {
		out = append(out, text("### Where each wins"), text("The best X mode against the best pixel mode (the Xvnc reference left out):"),
			text("- "+strings.Join(wins, "\n- ")))
	}
	return out
}

// roundTrips estimates how many round trips a workload's interactions
// take in X mode: the growth of its latency with the RTT.
func roundTrips(r *Report, w string) string {
	type pt struct{ rtt, lat float64 }
	var pts []pt
	for _, l := range r.links() {
		if x := r.find(w, "x11", l); x != nil && x.Latency.N > 0 {
			pts = append(pts, pt{x.RTTms, x.Latency.P50})
		}
	}
	if len(pts) < 2 {
		return ""
	}
	sort.Slice(pts, func(i, j int) bool { return pts[i].rtt < pts[j].rtt })
	a, b := pts[0], pts[len(pts)-1]
	if b.rtt-a.rtt <= 0 {
		return ""
	}
	n := (b.lat - a.lat) / (b.rtt - a.rtt)
	return fmt.Sprintf("Opening a window (%s) in X mode took %s ms at RTT %s ms and %s ms at RTT %s ms: about %.0f round trips of the application's start-up, which a pixel-mode viewer never waits for.",
		w, ms(a.lat), ms(a.rtt), ms(b.lat), ms(b.rtt), n)
}

// best returns the X-mode and pixel-mode runs with the least of a
// measure, leaving out failed runs and the reference.
func best(r *Report, w, l string, latency bool, of func(*Result) float64) (x, p *Result) {
	for i := range r.Results {
		c := &r.Results[i]
		if c.Workload != w || c.Link != l || c.Error != "" || strings.HasPrefix(c.Mode, "xvnc") || (latency && c.Latency.N == 0) {
			continue
		}
		pixel := strings.HasPrefix(c.Mode, "rfb")
		if pixel && (p == nil || of(c) < of(p)) {
			p = c
		}
		if !pixel && (x == nil || of(c) < of(x)) {
			x = c
		}
	}
	return x, p
}

func ratio(a, b int64) float64 {
	if b == 0 {
		return math.Inf(1)
	}
	return float64(a) / float64(b)
}

func validation(r *Report) []part {
	var out []part
	// Latency: the trivial workload against the RTT.
	var rows [][]string
	for _, x := range r.Results {
		if x.Workload != "ping" || x.Latency.N == 0 {
			continue
		}
		in := func(r float64) string {
			if x.Latency.P50 < r || x.Latency.P50 > r+10 {
				return "**no**"
			}
			return "yes"
		}
		// Jitter of up to J each way adds J to the round trip on average.
		eff := x.RTTms + x.JitterMs
		rows = append(rows, []string{x.Mode, x.Link, ms(x.RTTms), ms(eff), ms(x.Latency.P50), ms(x.Latency.P95), fmt.Sprint(x.Latency.N), in(x.RTTms), in(eff)})
	}
	if len(rows) > 0 {
		out = append(out, text("### Latency"),
			text("The trivial workload (ping: a key press, one small rectangle drawn in answer) must show a median latency between the RTT R and R + 10 ms in every mode. "+
				"A link with jitter of up to J each way delays a round trip by J more on average, so R′ = R + J is checked too."),
			&table{header: []string{"mode", "link", "RTT R ms", "R′ = R + jitter", "p50 ms", "p95 ms", "samples", "in [R, R+10]", "in [R′, R′+10]"}, rows: rows,
				right: []bool{false, false, true, true, true, true, true, false, false}})
	}
	// Bytes: the link's count against the independent counter.
	worst, worstRun := 0.0, ""
	var apart []string
	for _, x := range r.Results {
		h, in := x.RawToDisplay+x.RawFromDisplay, x.IndepToDisplay+x.IndepFromDisplay
		if h == 0 && in == 0 {
			continue
		}
		dev := math.Abs(float64(h-in)) / float64(max(h, in))
		if dev > worst || worstRun == "" {
			worst, worstRun = max(dev, worst), x.Workload+" "+x.Mode+" "+x.Link
		}
		for _, c := range []struct {
			dir   string
			h, in int64
		}{{"to", x.RawToDisplay, x.IndepToDisplay}, {"from", x.RawFromDisplay, x.IndepFromDisplay}} {
			if c.h != c.in {
				apart = append(apart, fmt.Sprintf("%s %s %s, %s the display: %d bytes against %d", x.Workload, x.Mode, x.Link, c.dir, c.h, c.in))
			}
		}
	}
	if worstRun != "" {
		out = append(out, text("### Bytes"),
			text(fmt.Sprintf("Every run's traffic is counted twice: by the link emulation, and by an independent counting relay in series with it (no shared code; the X11 or RFB stream uncompressed). "+
				"The largest disagreement in a run's bytes over all %d runs is %.3f%% (%s); the acceptance bound is 1%%. Runs whose counts differ at all, by direction: %d.",
				len(r.Results), 100*worst, worstRun, len(apart))))
		if len(apart) > 0 {
			out = append(out, text("- "+strings.Join(apart, "\n- ")))
		}
	}
	// Final frames.
	var frows [][]string
	for _, w := range r.workloads() {
		var same, close, differ []string
		for _, x := range r.Results {
			if x.Workload != w {
				continue
			}
			name := x.Mode + "/" + x.Link
			switch x.Frame {
			case "reference", "same":
				same = append(same, name)
			case "close":
				close = append(close, fmt.Sprintf("%s (mean Δ %.2f)", name, x.FrameMeanΔ))
			default:
				differ = append(differ, fmt.Sprintf("%s (%d px, max Δ %d)", name, x.FrameDiff, x.FrameMaxΔ))
			}
		}
		frows = append(frows, []string{w, fmt.Sprint(len(same)), strings.Join(close, ", "), strings.Join(differ, ", ")})
	}
	out = append(out, text("### Final frame"),
		text(fmt.Sprintf("The display's last frame in every run against the first run's of the workload: identical, close (a lossy mode within a mean difference of %.0f levels a pixel), or different.", FrameTolerance)),
		&table{header: []string{"workload", "identical", "close", "different"}, rows: frows, right: []bool{false, true}})
	return out
}

func everyRun(r *Report) []part {
	t := &table{header: []string{"workload", "mode", "link", "s", "to display", "from display", "setup", "msgs to/from", "mean", "peak",
		"p50 ms", "p95 ms", "p99 ms", "n", "frames", "CPU app/server/display s", "frame", "note"}}
	t.right = []bool{false, false, false, true, true, true, true, true, true, true, true, true, true, true, true, true}
	for _, x := range r.Results {
		lat := []string{"—", "—", "—", ""}
		if x.Latency.N > 0 {
			lat = []string{ms(x.Latency.P50), ms(x.Latency.P95), ms(x.Latency.P99), fmt.Sprint(x.Latency.N)}
		}
		frames := ""
		if x.FramesProduced > 0 {
			frames = fmt.Sprintf("%d/%d", x.FramesShown, x.FramesProduced)
		}
		t.rows = append(t.rows, append(append([]string{x.Workload, x.Mode, x.Link, fmt.Sprintf("%.1f", x.Seconds),
			humanBytes(x.ToDisplay), humanBytes(x.FromDisplay), humanBytes(x.SetupBytes),
			fmt.Sprintf("%d/%d", x.MsgToDisplay.Total(), x.MsgFromDisplay.Total()), humanRate(x.MeanBps), humanRate(x.PeakBps)}, lat...),
			frames, fmt.Sprintf("%.2f/%.2f/%.2f", x.CPUApp, x.CPUServer, x.CPUDisplay), x.Frame, x.Error))
	}
	return []part{text("Also in results.csv and results.json, with every count."), t}
}
