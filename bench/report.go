package bench

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// The report's files.
const (
	ReportMarkdown = "report.md"
	ReportCSV      = "results.csv"
	ReportJSON     = "results.json"
	ReportHTML     = "index.html"
	ChartBytes     = "bytes.svg"
	ChartLatency   = "latency.svg"
)

// WriteReport writes the report into dir: report.md, results.csv,
// results.json, bytes.svg, latency.svg and index.html, the page that
// shows them all.
func WriteReport(dir string, r *Report) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	files := map[string][]byte{
		ReportJSON:     append(b, '\n'),
		ReportCSV:      []byte(CSV(r)),
		ReportMarkdown: []byte(Markdown(r)),
		ChartBytes:     []byte(BytesChart(r)),
		ChartLatency:   []byte(LatencyChart(r)),
		ReportHTML:     []byte(HTML(r)),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// ReadReport reads a report's results.json back, to write the report
// again (after the writers change) without running the benchmark.
func ReadReport(dir string) (*Report, error) {
	b, err := os.ReadFile(filepath.Join(dir, ReportJSON))
	if err != nil {
		return nil, err
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: %v", ReportJSON, err)
	}
	return &r, nil
}

// A table is rows of cells under a header, written as Markdown or HTML.
type table struct {
	header []string
	rows   [][]string
	// right says which columns are numbers, aligned right.
	right []bool
}

func (t *table) markdown() string {
	var b strings.Builder
	b.WriteString("| " + strings.Join(t.header, " | ") + " |\n|")
	for i := range t.header {
		if i < len(t.right) && t.right[i] {
			b.WriteString("---:|")
		} else {
			b.WriteString("---|")
		}
	}
	b.WriteString("\n")
	for _, r := range t.rows {
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
	}
	return b.String()
}

func (t *table) html() string {
	var b strings.Builder
	b.WriteString("<table>\n<tr>")
	for _, h := range t.header {
		b.WriteString("<th>" + htmlEscape(h) + "</th>")
	}
	b.WriteString("</tr>\n")
	for _, r := range t.rows {
		b.WriteString("<tr>")
		for i, c := range r {
			if i < len(t.right) && t.right[i] {
				b.WriteString(`<td class="n">`)
			} else {
				b.WriteString("<td>")
			}
			b.WriteString(htmlEscape(strings.ReplaceAll(c, "**", "")) + "</td>")
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</table>\n")
	return b.String()
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// find returns the result of a workload, mode and link, if there is one.
func (r *Report) find(workload, mode, link string) *Result {
	for i := range r.Results {
		x := &r.Results[i]
		if x.Workload == workload && x.Mode == mode && x.Link == link {
			return x
		}
	}
	return nil
}

// present lists the names that have results, in the report's order.
func (r *Report) present(names []string, of func(*Result) string) []string {
	var out []string
	for _, n := range names {
		if slices.ContainsFunc(r.Results, func(x Result) bool { return of(&x) == n }) {
			out = append(out, n)
		}
	}
	return out
}

func (r *Report) workloads() []string {
	return r.present(r.Workloads, func(x *Result) string { return x.Workload })
}
func (r *Report) modes() []string {
	return r.present(r.Modes, func(x *Result) string { return x.Mode })
}
func (r *Report) links() []string {
	return r.present(r.Links, func(x *Result) string { return x.Link })
}

// headlineLink is the link the headline table and the bytes chart use:
// wan if it ran, else the first.
func (r *Report) headlineLink() string {
	ls := r.links()
	if slices.Contains(ls, "wan") {
		return "wan"
	}
	if len(ls) > 0 {
		return ls[0]
	}
	return ""
}

func humanBytes(n int64) string {
	switch {
	case n >= 10e6:
		return fmt.Sprintf("%.0f MB", float64(n)/1e6)
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 10e3:
		return fmt.Sprintf("%.0f KB", float64(n)/1e3)
	case n >= 1e3:
		return fmt.Sprintf("%.1f KB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}

func humanRate(bps float64) string {
	bits := bps * 8
	switch {
	case bits >= 1e6:
		return fmt.Sprintf("%.1f Mbit/s", bits/1e6)
	case bits >= 1e3:
		return fmt.Sprintf("%.0f kbit/s", bits/1e3)
	}
	return fmt.Sprintf("%.0f bit/s", bits)
}

func ms(v float64) string {
	if v >= 100 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.1f", v)
}
