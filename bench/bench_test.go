package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"netdisplay/bench/link"
)

// exe is the netdisplay binary the harness runs its children from,
// built once for the package's tests.
var exe string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "bench-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	exe = filepath.Join(dir, "netdisplay")
	build := exec.Command("go", "build", "-o", exe, "netdisplay/cmd/netdisplay")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building netdisplay: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func modes(t *testing.T, list string) []Mode {
	t.Helper()
	ms, err := FindModes(list)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func workloads(t *testing.T, list string) []Workload {
	t.Helper()
	ws, err := FindWorkloads(list)
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

func profile(t *testing.T, s string) link.Profile {
	t.Helper()
	p, err := link.ParseProfile(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// run runs a benchmark for a test, failing it on any run's error.
func run(t *testing.T, cfg Config) *Report {
	t.Helper()
	cfg.Exe = exe
	if cfg.Scale.Speed == 0 {
		cfg.Scale = QuickScale
	}
	rep, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Results {
		if r.Error != "" {
			t.Errorf("%s %s %s: %s", r.Workload, r.Mode, r.Link, r.Error)
		}
	}
	return rep
}

// With an emulated RTT of R and the trivial workload, the median latency
// in every mode is between R and R + 10 ms: the harness adds no more
// than that to what the link costs.
func TestLatencyValidation(t *testing.T) {
	const R = 40.0
	sc := QuickScale
	sc.Probes = 15
	rep := run(t, Config{
		Workloads: workloads(t, "ping"),
		Modes:     modes(t, "x11,x11-zlib,rfb-raw,rfb-zrle,rfb-tight,rfb-jpeg,rfb-pull"),
		Links:     []link.Profile{profile(t, "r40:rtt=40ms,rate=1gbit")},
		Scale:     sc,
	})
	for _, r := range rep.Results {
		l := r.Latency
		t.Logf("%-9s p50 %.2f ms, p95 %.2f ms, %d samples, %d lost", r.Mode, l.P50, l.P95, l.N, l.Lost)
		if l.N != sc.Probes || l.Lost != 0 {
			t.Errorf("%s: %d answers and %d lost of %d probes", r.Mode, l.N, l.Lost, sc.Probes)
		}
		if l.P50 < R || l.P50 > R+10 {
			t.Errorf("%s: p50 latency %.2f ms, want within [%v, %v] ms", r.Mode, l.P50, R, R+10)
		}
	}
}

// The bytes the harness reports agree, within 1%, with an independent
// count of the same run (a counting relay in series with the link); the
// uncompressed modes' wire bytes are those bytes; and the final frame is
// the same in every mode (close, for JPEG).
func TestBytesAndFinalFrames(t *testing.T) {
	rep := run(t, Config{
		Workloads: workloads(t, "typing,eyes,slideshow"),
		Modes:     modes(t, "x11,x11-zlib,rfb-zrle,rfb-jpeg"),
		Links:     []link.Profile{link.LAN},
	})
	if len(rep.Results) != 12 {
		t.Fatalf("%d results, want 12", len(rep.Results))
	}
	for _, r := range rep.Results {
		name := r.Workload + " " + r.Mode
		for _, c := range []struct {
			dir         string
			harness, in int64
		}{{"to the display", r.RawToDisplay, r.IndepToDisplay}, {"from the display", r.RawFromDisplay, r.IndepFromDisplay}} {
			if c.harness == 0 && c.dir == "to the display" {
				t.Errorf("%s: no bytes %s", name, c.dir)
			}
			if diff := c.harness - c.in; diff*100 > c.in || -diff*100 > c.in {
				t.Errorf("%s: %d bytes %s, independently %d: more than 1%% apart", name, c.harness, c.dir, c.in)
			}
		}
		compressed := r.Mode == "x11-zlib"
		if !compressed && (r.ToDisplay != r.RawToDisplay || r.FromDisplay != r.RawFromDisplay) {
			t.Errorf("%s: wire bytes %d/%d, but %d/%d before compression, and there is none", name, r.ToDisplay, r.FromDisplay, r.RawToDisplay, r.RawFromDisplay)
		}
		if compressed && r.ToDisplay >= r.RawToDisplay {
			t.Errorf("%s: deflate made %d bytes of %d", name, r.ToDisplay, r.RawToDisplay)
		}
		if r.MsgToDisplay.Total() == 0 {
			t.Errorf("%s: no messages to the display", name)
		}
		want := "same"
		if r.Mode == "x11" {
			want = "reference"
		}
		if r.Frame != want && !(r.Mode == "rfb-jpeg" && r.Frame == "close") {
			t.Errorf("%s: final frame %s (%d pixels differ, max Δ %d), want %s", name, r.Frame, r.FrameDiff, r.FrameMaxΔ, want)
		}
	}
}

// Ctrl-C stops the run under way, and the report covers the runs that
// finished.
func TestInterrupt(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := Config{
		Exe:       exe,
		Workloads: workloads(t, "ping"),
		Modes:     modes(t, "x11,rfb-zrle,x11-zlib"),
		Links:     []link.Profile{link.LAN},
		Scale:     QuickScale,
		Progress: func(p Progress) {
			if p.Done && p.Index == 1 {
				cancel()
			}
		},
	}
	rep, err := Run(ctx, cfg)
	if err != context.Canceled {
		t.Fatalf("Run returned %v, want context.Canceled", err)
	}
	if !rep.Interrupted || len(rep.Results) != 1 {
		t.Fatalf("interrupted %v with %d results, want true with 1", rep.Interrupted, len(rep.Results))
	}
	dir := t.TempDir()
	if err := WriteReport(dir, rep); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, ReportMarkdown))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "**Interrupted**") || !strings.Contains(string(md), "| ping | x11 | lan |") {
		t.Errorf("the partial report does not say it was interrupted, or lacks the finished run:\n%s", md)
	}
	// The children are gone with the run.
	time.Sleep(100 * time.Millisecond)
	if out, _ := exec.Command("pgrep", "-f", exe+" app").Output(); len(out) > 0 {
		t.Errorf("applications still running after the interrupt: %s", out)
	}
}
