package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"netdisplay/bench"
	"netdisplay/bench/link"
	"netdisplay/clients/app"
	"netdisplay/webviewer"
)

func init() {
	register("bench", "measure X11 against RFB on the same work over emulated links, and write a report", runBench)
	register("app", "", runApp) // the benchmark's children: netdisplay app NAME [flags]
}

func runBench(args []string) error {
	fs := flag.NewFlagSet("bench", flag.ExitOnError)
	quick := fs.Bool("quick", false, "a small subset in under two minutes: "+strings.Join(bench.QuickWorkloads, ", ")+" × "+strings.Join(bench.QuickModes, ", ")+" × lan, wan")
	workloads := fs.String("workloads", "", "workloads to run, comma-separated, or all (default all; with --quick, its subset)")
	modes := fs.String("modes", "", "modes to run, comma-separated, or all (default all)")
	links := fs.String("links", "", "links, comma-separated: lan, wan, mobile, or NAME:rtt=40ms,rate=20mbit,jitter=2ms (default lan,wan,mobile; with --quick, lan,wan)")
	out := fs.String("out", "bench-report", "`directory` to write the report to")
	serve := fs.String("serve", "", "then serve the report through the web viewer at `address` (HOST:PORT, or :PORT on loopback), at /report/, until interrupted")
	rewrite := fs.Bool("rewrite", false, "do not run: write the report again from --out's results.json")
	fs.Parse(args)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *rewrite {
		rep, err := bench.ReadReport(*out)
		if err != nil {
			return err
		}
		if err := bench.WriteReport(*out, rep); err != nil {
			return err
		}
		return serveReport(ctx, *serve, *out)
	}
	cfg := bench.Config{Scale: bench.FullScale}
	wl, md, lk := "all", "all", "lan,wan,mobile"
	if *quick {
		cfg.Scale = bench.QuickScale
		wl, md, lk = strings.Join(bench.QuickWorkloads, ","), strings.Join(bench.QuickModes, ","), "lan,wan"
	}
	if *workloads != "" {
		wl = *workloads
	}
	if *modes != "" {
		md = *modes
	}
	if *links != "" {
		lk = *links
	}
	var err error
	if cfg.Workloads, err = bench.FindWorkloads(wl); err != nil {
		return err
	}
	if cfg.Modes, err = bench.FindModes(md); err != nil {
		return err
	}
	for _, s := range splitLinks(lk) {
		p, err := link.ParseProfile(s)
		if err != nil {
			return err
		}
		cfg.Links = append(cfg.Links, p)
	}
	if cfg.Exe, err = os.Executable(); err != nil {
		return err
	}
	cfg.Progress = progress
	rep, err := bench.Run(ctx, cfg)
	interrupted := errors.Is(err, context.Canceled)
	if err != nil && !interrupted {
		return err
	}
	if interrupted {
		fmt.Fprintf(os.Stderr, "\nbench: interrupted; the report covers the %d runs that finished\n", len(rep.Results))
	}
	if err := bench.WriteReport(*out, rep); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "bench: %d runs in %v; report in %s/report.md (and index.html, results.csv, results.json, bytes.svg, latency.svg)\n",
		len(rep.Results), time.Duration(rep.Seconds*float64(time.Second)).Round(time.Second), *out)
	if interrupted {
		return nil // a second Ctrl-C should not be needed to leave
	}
	return serveReport(ctx, *serve, *out)
}

// serveReport serves the report's directory through the web viewer, at
// /report/, until ctx is done. The report is static files, served
// without the token, as noVNC's are; the viewer's own page and its
// endpoints are not served.
func serveReport(ctx context.Context, addr, dir string) error {
	if addr == "" {
		return nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("serve: address %q: want HOST:PORT or :PORT", addr)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	l, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return err
	}
	w, err := webviewer.New(webviewer.Config{Report: os.DirFS(dir), Logf: func(string, ...any) {}})
	if err != nil {
		l.Close()
		return err
	}
	fmt.Printf("netdisplay bench: the report is at http://%s/report/ (Ctrl-C to stop)\n", l.Addr())
	go w.Serve(l)
	<-ctx.Done()
	return w.Close()
}

// progress prints a line for each run: which workload, mode and link,
// and how long the benchmark has left.
func progress(p bench.Progress) {
	switch {
	case p.Skipped != "":
		fmt.Fprintf(os.Stderr, "[%d/%d] %s %s %s: skipped: %s\n", p.Index, p.Total, p.Workload, p.Mode, p.Link, p.Skipped)
	case p.Done:
		r := p.Result
		status := fmt.Sprintf("%s to the display, %s from it", humanBytes(r.ToDisplay), humanBytes(r.FromDisplay))
		if r.Latency.N > 0 {
			status += fmt.Sprintf(", p50 %.1f ms", r.Latency.P50)
		}
		if r.Error != "" {
			status += ": " + r.Error
		}
		fmt.Fprintf(os.Stderr, "        %s\n", status)
	default:
		fmt.Fprintf(os.Stderr, "[%d/%d] %-9s %-11s %-6s (elapsed %v, about %v left)\n", p.Index, p.Total, p.Workload, p.Mode, p.Link,
			p.Elapsed.Round(time.Second), p.Left.Round(time.Second))
	}
}

func humanBytes(n int64) string {
	switch {
	case n >= 1e6:
		return fmt.Sprintf("%.2f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1f KB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}

// runApp runs one of the benchmark's applications as its own command,
// as clients/NAME would: netdisplay app NAME [flags].
func runApp(args []string) error {
	if len(args) < 1 {
		return errors.New("usage: netdisplay app NAME [flags]")
	}
	a, ok := bench.Apps[args[0]]
	if !ok {
		return fmt.Errorf("no application %q", args[0])
	}
	os.Args = append([]string{"netdisplay app " + args[0]}, args[1:]...)
	app.Main(a)
	return nil
}

// splitLinks splits a list of links at the commas that start a new one:
// a custom profile's settings are separated by commas too.
func splitLinks(list string) []string {
	var out []string
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		_, standard := link.Profiles[f]
		if len(out) > 0 && !standard && !strings.Contains(f, ":") {
			out[len(out)-1] += "," + f
			continue
		}
		out = append(out, f)
	}
	return out
}
