package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"netdisplay/bench"
	"netdisplay/bench/link"
	"netdisplay/bench/perf"
	"netdisplay/pixelproto"
	"netdisplay/xserver/transport"
)

func init() {
	register("perf", "measure netdisplay against Xvfb (x11perf) and Xvnc (RFB) side by side", runPerf)
}

func runPerf(args []string) error {
	fs := flag.NewFlagSet("perf", flag.ExitOnError)
	tests := fs.String("tests", strings.Join(perf.X11PerfTests, ","), "x11perf `tests` to run, comma-separated, without the dash")
	rounds := fs.Int("rounds", 3, "rounds per test; the table shows the median")
	seconds := fs.Int("seconds", 2, "seconds per x11perf run")
	out := fs.String("out", "", "also write the Markdown tables to this `file`")
	x11perf := fs.Bool("x11perf", true, "compare rendering with Xvfb (x11perf)")
	rfb := fs.Bool("rfb", true, "compare RFB bytes and CPU time with TigerVNC's Xvnc")
	apps := fs.Bool("apps", true, "include the sample applications' benchmark scripts in the comparison with Xvnc")
	throughput := fs.Bool("throughput", true, "measure damage detection and encoding of a 1920x1080 frame against memory bandwidth")
	links := fs.Bool("link", true, "measure anim's frame rate at a viewer over the lan and wan links")
	latency := fs.Bool("latency", true, "measure input-to-pixels latency of every mode over the lan and wan links against the round trip")
	memory := fs.Bool("memory", true, "measure the server's RSS at 1920x1080 with 10 X clients and 5 viewers")
	only := fs.String("workloads", "", "compare with Xvnc only on the workloads whose names contain one of these comma-separated `words`")
	encList := fs.String("encodings", "zrle,tight,hextile", "`encodings` to compare with Xvnc, comma-separated")
	fs.Parse(args)
	self, err := os.Executable()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	progress := func(s string) { fmt.Fprintln(os.Stderr, "perf:", s) }
	var b strings.Builder
	section := func(title string) { fmt.Fprintf(&b, "\n### %s\n\n", title) }

	if *x11perf {
		servers := []perf.Server{perf.NetdisplayServer(self, 1280, 1024), perf.XvfbServer(1280, 1024)}
		results, err := perf.X11Perf(ctx, servers, strings.Split(*tests, ","), *rounds, *seconds, progress)
		if err != nil && len(results) == 0 {
			return err
		}
		section("Rendering: x11perf, netdisplay against Xvfb")
		perf.Table(&b, results, "netdisplay", "Xvfb", nil)
		if err != nil {
			return err
		}
	}

	var bins map[string]string
	if *apps && *rfb || *links || *memory {
		dir, err := os.MkdirTemp("", "netdisplay-perf")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		progress("building the sample applications")
		if bins, err = perf.BuildApps(ctx, dir, "anim", "edit", "slideshow", "clock"); err != nil {
			return err
		}
	}

	if *rfb {
		n := 600
		for ; n < 700 && !transport.Free(n); n++ {
		}
		workloads := []perf.Workload{
			perf.CommandWorkload("x11perf -rect100, 720000 rectangles", 2*time.Minute, "x11perf", "-repeat", "1", "-reps", "20000", "-rect100"),
			perf.CommandWorkload("xterm scrolling 20000 lines (jump scroll)", time.Minute, "xterm", "-geometry", "80x24+0+0", "-e", "sh", "-c", "seq 1 20000; sleep 1"),
			perf.CommandWorkload("xterm scrolling 20000 lines, line by line (+j)", time.Minute, "xterm", "+j", "-geometry", "80x24+0+0", "-e", "sh", "-c", "seq 1 20000; sleep 1"),
		}
		if *apps {
			workloads = append(workloads,
				perf.AppWorkload("anim", bins["anim"]),
				perf.AppWorkload("edit", bins["edit"]),
				perf.AppWorkload("slideshow", bins["slideshow"]),
				perf.AppWorkload("clock", bins["clock"], "--speed", "6"))
		}
		if *only != "" {
			var keep []perf.Workload
			for _, wl := range workloads {
				for _, w := range strings.Split(*only, ",") {
					if strings.Contains(wl.Name, w) {
						keep = append(keep, wl)
						break
					}
				}
			}
			workloads = keep
		}
		var encs []pixelproto.Encoding
		for _, name := range strings.Split(*encList, ",") {
			e, ok := map[string]pixelproto.Encoding{"zrle": pixelproto.ZRLE, "tight": pixelproto.Tight, "hextile": pixelproto.Hextile,
				"trle": pixelproto.TRLE, "rre": pixelproto.RRE, "raw": pixelproto.Raw}[name]
			if !ok {
				return fmt.Errorf("unknown encoding %q", name)
			}
			encs = append(encs, e)
		}
		rs, rerr := perf.RFBBytes(ctx, []perf.RFBServer{perf.NetdisplayRFB(self, 1280, 1024), perf.XvncRFB(1280, 1024, n)}, workloads, encs, progress)
		section("Encoding: RFB bytes and server CPU, netdisplay against Xvnc")
		perf.RFBTable(&b, rs, "netdisplay", "Xvnc")
		if rerr != nil {
			return rerr
		}
	}

	if *throughput {
		progress("damage detection and encoding of a 1920x1080 frame (go test -bench BenchmarkFrame netdisplay/pixelproto)")
		rs, err := perf.FrameThroughput(ctx, 3)
		if err != nil {
			return err
		}
		progress("memory bandwidth")
		section("Throughput against memory bandwidth")
		perf.ThroughputTable(&b, rs, perf.MemoryBandwidth(3))
	}

	if *links {
		var rs []perf.LinkResult
		type mode struct {
			name string
			encs []pixelproto.Encoding
		}
		modes := []mode{
			{"zrle", []pixelproto.Encoding{pixelproto.ZRLE}},
			{"tight", []pixelproto.Encoding{pixelproto.Tight}},
			{"tight+jpeg (quality 8)", []pixelproto.Encoding{pixelproto.Tight, pixelproto.PseudoQualityLevel0 + 8}},
		}
		for _, p := range []link.Profile{link.LAN, link.WAN} {
			for _, m := range modes {
				progress(fmt.Sprintf("anim over %s, %s", p.Name, m.name))
				r, err := perf.LinkFrameRate(ctx, self, bins["anim"], p, m.name, m.encs, 10*time.Second)
				if err != nil {
					return fmt.Errorf("anim over %s with %s: %w", p.Name, m.name, err)
				}
				rs = append(rs, r)
			}
		}
		section("Frame rate over the link")
		perf.LinkTable(&b, rs)
	}

	if *latency {
		rep, err := pingLatency(ctx, self, progress)
		if err != nil {
			return err
		}
		section("Latency against the round trip")
		latencyTable(&b, rep.Results, 5)
	}

	if *memory {
		progress("server memory at 1920x1080 with 10 X clients and 5 viewers")
		apps := []string{bins["anim"], bins["edit"], bins["slideshow"], bins["clock"]}
		encs := []pixelproto.Encoding{pixelproto.ZRLE, pixelproto.Tight, pixelproto.Hextile, pixelproto.ZRLE, pixelproto.Tight}
		r, err := perf.ServerRSS(ctx, self, apps, 10, 5, 1920, 1080, encs, 20*time.Second)
		if err != nil {
			return err
		}
		section("Memory")
		perf.RSSTable(&b, []perf.RSSResult{r})
	}

	fmt.Print(b.String())
	if *out != "" {
		return os.WriteFile(*out, []byte(b.String()), 0644)
	}
	return nil
}

// pingLatency runs bench's ping workload (a key press that toggles a
// square) in every mode over the lan and wan links, with more probes than
// bench takes, for the latency table.
func pingLatency(ctx context.Context, self string, progress func(string)) (*bench.Report, error) {
	cfg := bench.Config{Exe: self, Scale: bench.FullScale}
	cfg.Scale.Probes = 30
	var err error
	if cfg.Workloads, err = bench.FindWorkloads("ping"); err != nil {
		return nil, err
	}
	if cfg.Modes, err = bench.FindModes("all"); err != nil {
		return nil, err
	}
	cfg.Links = []link.Profile{link.LAN, link.WAN}
	cfg.Progress = func(p bench.Progress) {
		if !p.Done && p.Skipped == "" {
			progress(fmt.Sprintf("latency: %s over %s (%d of %d)", p.Mode, p.Link, p.Index, p.Total))
		}
	}
	return bench.Run(ctx, cfg)
}

// latencyTable writes the input-to-pixels latency of each run against its
// link's round trip: the target is the round trip and slack milliseconds
// more, since no remote display can answer in less than one round trip.
func latencyTable(w io.Writer, rs []bench.Result, slack float64) {
	fmt.Fprintf(w, "| mode | link | RTT ms | p50 ms | p95 ms | probes | p50 − RTT ms | target ≤ RTT + %g ms |\n|---|---|---:|---:|---:|---:|---:|---|\n", slack)
	for _, r := range rs {
		verdict := "met"
		switch {
		case r.Error != "" || r.Latency.N == 0:
			verdict = "no figure: " + r.Error
		case strings.HasPrefix(r.Mode, "xvnc"):
			verdict = "reference: TigerVNC's Xvnc, not ours"
		case r.Latency.P50 > r.RTTms+slack+0.05: // as the table rounds it
			verdict = "**missed**"
		}
		fmt.Fprintf(w, "| %s | %s | %.1f | %.1f | %.1f | %d | %.1f | %s |\n",
			r.Mode, r.Link, r.RTTms, r.Latency.P50, r.Latency.P95, r.Latency.N, r.Latency.P50-r.RTTms, verdict)
	}
}
