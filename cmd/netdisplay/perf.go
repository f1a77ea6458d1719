package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"netdisplay/bench/perf"
	"netdisplay/pixelproto"
	"netdisplay/xserver/transport"
)

func init() {
	register("perf", "measure netdisplay against Xvfb (x11perf) side by side", runPerf)
}

func runPerf(args []string) error {
	fs := flag.NewFlagSet("perf", flag.ExitOnError)
	tests := fs.String("tests", strings.Join(perf.X11PerfTests, ","), "x11perf `tests` to run, comma-separated, without the dash")
	rounds := fs.Int("rounds", 3, "rounds per test; the table shows the median")
	seconds := fs.Int("seconds", 2, "seconds per x11perf run")
	out := fs.String("out", "", "also write the Markdown tables to this `file`")
	rfb := fs.Bool("rfb", true, "also compare RFB bytes and CPU time with TigerVNC's Xvnc")
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
	b.WriteString("### Rendering: x11perf, netdisplay against Xvfb\n\n")
	perf.Table(&b, results, "netdisplay", "Xvfb", nil)
	if *rfb && err == nil {
		n := 600
		for ; n < 700 && !transport.Free(n); n++ {
		}
		workloads := []perf.Workload{
			perf.CommandWorkload("x11perf -rect100", 8*time.Second, "x11perf", "-time", "2", "-repeat", "2", "-rect100"),
			perf.CommandWorkload("xterm scrolling 20000 lines", 60*time.Second, "xterm", "-geometry", "80x24+0+0", "-e", "sh", "-c", "seq 1 20000; sleep 1"),
		}
		encs := []pixelproto.Encoding{pixelproto.ZRLE, pixelproto.Tight, pixelproto.Hextile}
		rs, rerr := perf.RFBBytes(ctx, []perf.RFBServer{perf.NetdisplayRFB(self, 1280, 1024), perf.XvncRFB(1280, 1024, n)}, workloads, encs, progress)
		b.WriteString("\n### Encoding: RFB bytes and server CPU, netdisplay against Xvnc\n\n")
		perf.RFBTable(&b, rs, "netdisplay", "Xvnc")
		err = rerr
	}
	fmt.Print(b.String())
	if *out != "" {
		if werr := os.WriteFile(*out, []byte(b.String()), 0644); werr != nil {
			return werr
		}
	}
	return err
}
