package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"netdisplay/bench/perf"
)

func init() {
	register("perf", "measure netdisplay against Xvfb (x11perf) side by side", runPerf)
}

func runPerf(args []string) error {
	fs := flag.NewFlagSet("perf", flag.ExitOnError)
	tests := fs.String("tests", strings.Join(perf.X11PerfTests, ","), "x11perf `tests` to run, comma-separated, without the dash")
	rounds := fs.Int("rounds", 3, "rounds per test; the table shows the median")
	seconds := fs.Int("seconds", 2, "seconds per x11perf run")
	out := fs.String("out", "", "also write the Markdown table to this `file`")
	fs.Parse(args)
	self, err := os.Executable()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	servers := []perf.Server{perf.NetdisplayServer(self, 1280, 1024), perf.XvfbServer(1280, 1024)}
	progress := func(s string) { fmt.Fprintln(os.Stderr, "perf:", s) }
	results, err := perf.X11Perf(ctx, servers, strings.Split(*tests, ","), *rounds, *seconds, progress)
	if err != nil && len(results) == 0 {
		return err
	}
	var b strings.Builder
	perf.Table(&b, results, "netdisplay", "Xvfb", nil)
	fmt.Print(b.String())
	if *out != "" {
		if werr := os.WriteFile(*out, []byte(b.String()), 0644); werr != nil {
			return werr
		}
	}
	return err
}
