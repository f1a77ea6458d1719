package bench

import (
	"encoding/csv"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// sampleReport is a small report with made-up numbers: two workloads,
// two modes, two links.
func sampleReport() *Report {
	r := &Report{
		Started: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Seconds: 61,
		Machine:   Machine{OS: "linux", Arch: "amd64", CPU: "Test CPU", Go: "go1.26", Cores: 2},
		Workloads: []string{"ping", "clock"}, Modes: []string{"x11", "rfb-zrle"}, Links: []string{"lan", "wan"},
		About: map[string]string{"ping": "the trivial one", "clock": "a clock", "x11": "X11", "rfb-zrle": "ZRLE",
			"lan": "lan (RTT 500µs)", "wan": "wan (RTT 40ms)"},
	}
	for _, l := range []struct {
		name string
		rtt  float64
	}{{"lan", 0.5}, {"wan", 40}} {
		for i, m := range r.Modes {
			r.Results = append(r.Results, Result{Workload: "ping", Mode: m, Link: l.name, RTTms: l.rtt, Settled: true, Seconds: 2,
				ToDisplay: 900 + int64(i)*100, FromDisplay: 1200, RawToDisplay: 900 + int64(i)*100, RawFromDisplay: 1200,
				IndepToDisplay: 900 + int64(i)*100, IndepFromDisplay: 1200,
				MsgToDisplay: Messages{Requests: 40}, Latency: Latency{N: 20, P50: l.rtt + 1 + float64(i), P95: l.rtt + 2, P99: l.rtt + 3},
				Frame: "same"})
			r.Results = append(r.Results, Result{Workload: "clock", Mode: m, Link: l.name, RTTms: l.rtt, Settled: true, Seconds: 3,
				ToDisplay: 13000 * int64(i+1), FromDisplay: 3700, RawToDisplay: 13000 * int64(i+1), RawFromDisplay: 3700,
				IndepToDisplay: 13000 * int64(i+1), IndepFromDisplay: 3700, FramesProduced: 61, FramesShown: 61, Frame: "same"})
		}
	}
	r.Results[0].Frame, r.Results[1].Frame = "reference", "reference"
	return r
}

func TestReportFiles(t *testing.T) {
	dir := t.TempDir()
	rep := sampleReport()
	if err := WriteReport(dir, rep); err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}

	md := read(ReportMarkdown)
	for _, want := range []string{
		"# netdisplay bench", "## How it was measured", "## Headline: bytes on wan", "## Headline: latency",
		"## What the numbers say", "## Validation", "## Every run",
		"| workload | x11 | rfb-zrle |", "| ping | 2.1 KB | 2.2 KB |", "| ping | 41.0 (42.0) | 42.0 (42.0) |",
		"![", "(bytes.svg)", "(latency.svg)", "The largest disagreement in a run's bytes over all 8 runs is 0.000%",
		"| ping | x11 | wan | 2.0 | 900 B | 1.2 KB |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q", want)
		}
	}

	recs, err := csv.NewReader(strings.NewReader(read(ReportCSV))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+len(rep.Results) {
		t.Fatalf("results.csv has %d records, want %d", len(recs), 1+len(rep.Results))
	}
	if !reflect.DeepEqual(recs[0], csvHeader) {
		t.Errorf("results.csv header %v", recs[0])
	}
	for _, r := range recs {
		if len(r) != len(csvHeader) {
			t.Errorf("results.csv row of %d fields, want %d", len(r), len(csvHeader))
		}
	}
	if got := recs[2][:3]; !reflect.DeepEqual(got, []string{"clock", "x11", "lan"}) {
		t.Errorf("second row starts %v", got)
	}

	back, err := ReadReport(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Results, rep.Results) || back.Machine != rep.Machine {
		t.Errorf("results.json does not read back as written")
	}

	for _, name := range []string{ChartBytes, ChartLatency} {
		svg := read(name)
		if err := wellFormed(svg); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if !strings.HasPrefix(svg, "<svg") || !strings.Contains(svg, "x11") || !strings.Contains(svg, "rfb-zrle") {
			t.Errorf("%s lacks the svg element or the legend", name)
		}
	}
	if n := strings.Count(read(ChartBytes), "<rect x="); n != 4+2 { // a bar per workload and mode on wan, and the legend
		t.Errorf("bytes.svg has %d bars and legend boxes, want 6", n)
	}
	if n := strings.Count(read(ChartLatency), "<polyline"); n != 2 {
		t.Errorf("latency.svg has %d lines, want one per mode", n)
	}

	page := read(ReportHTML)
	for _, want := range []string{"<!DOCTYPE html>", `<img src="bytes.svg"`, `<img src="latency.svg"`, "<table>", "<th>rfb-zrle</th>", `<td class="n">41.0 (42.0)</td>`, "</html>"} {
		if !strings.Contains(page, want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	if err := wellFormed(strings.TrimPrefix(page, "<!DOCTYPE html>\n")); err != nil {
		t.Errorf("index.html: %v", err)
	}
}

// wellFormed checks that a document parses as XML.
func wellFormed(doc string) error {
	d := xml.NewDecoder(strings.NewReader(doc))
	d.Strict = false
	d.AutoClose = []string{"meta", "img"}
	d.Entity = xml.HTMLEntity
	for {
		_, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// An interrupted report says so at the top.
func TestReportInterrupted(t *testing.T) {
	rep := sampleReport()
	rep.Interrupted = true
	rep.Results = rep.Results[:1]
	md := Markdown(rep)
	if !strings.Contains(md, "**Interrupted** (Ctrl-C)") || !strings.Contains(md, "A full run of 1 runs") {
		t.Errorf("report.md of an interrupted run:\n%s", md)
	}
}

func TestPercentile(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 100; i++ {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	l := summarise(ds, 2)
	if l.P50 != 50 || l.P95 != 95 || l.P99 != 99 || l.Min != 1 || l.Max != 100 || l.N != 100 || l.Lost != 2 {
		t.Errorf("summarise 1..100 ms: %+v", l)
	}
	if l := summarise(ds[:10], 0); l.P99 != 10 || l.P50 != 5 {
		t.Errorf("summarise 1..10 ms: %+v", l)
	}
}
