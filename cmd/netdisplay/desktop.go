package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"netdisplay/viewer"
	"netdisplay/viewer/desktop"
)

func init() {
	register("desktop", "view a display in a window (vnc://HOST:PORT, or --x11 :N to be the display)", runDesktop)
}

func runDesktop(args []string) error {
	fs := flag.NewFlagSet("desktop", flag.ExitOnError)
	var vf viewerFlags
	vf.register(fs)
	statsFile := fs.String("stats-json", "", "rewrite `file` with the statistics as JSON every second")
	readyFile := fs.String("ready-file", "", "write a line naming the session to `file` once it is open (\"netdisplay ready mode=x11 display=:N\")")
	logFile := fs.String("log", "", "append log messages to `file` (default: standard error)")
	scale := fs.Float64("scale", 1, "window pixels per display pixel, at first; in X mode the display follows the window at this scale")
	filter := fs.String("filter", "", "how to scale: nearest, linear, or empty for nearest at whole-number scales and linear otherwise")
	noOverlay := fs.Bool("no-overlay", false, "start with the statistics overlay hidden (Ctrl-] s toggles it)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: netdisplay desktop [flags] vnc://HOST:PORT\n       netdisplay desktop [flags] --x11 :N|auto\n\n")
		fmt.Fprintf(fs.Output(), "Shows the display in a window. Everything typed, clicked or scrolled goes to the display, except\n")
		fmt.Fprintf(fs.Output(), "after Ctrl-]: s statistics overlay, f filter, w write statistics, r reconnect, q quit, ] send Ctrl-].\n\n")
		fs.PrintDefaults()
	}
	fs.Parse(args)
	target, err := vf.target(fs)
	if err != nil {
		return err
	}
	if vf.x11 != "" {
		target = "X display " + vf.x11
	}
	switch *filter {
	case "", "nearest", "linear":
	default:
		return fmt.Errorf("filter %q: want nearest or linear", *filter)
	}
	if *scale <= 0 || *scale > 16 {
		return fmt.Errorf("scale %v: want more than 0, at most 16", *scale)
	}
	if *logFile != "" {
		f, err := os.OpenFile(*logFile, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			return err
		}
		defer f.Close()
		log.SetOutput(f)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	v := desktop.New(desktop.Options{
		Target: target,
		Open: func(ctx context.Context) (viewer.Session, error) {
			s, closeFn, err := vf.openSession(ctx, fs.Arg(0))
			if err != nil {
				// The viewer names the target itself.
				if u := errors.Unwrap(err); u != nil && strings.HasPrefix(err.Error(), fs.Arg(0)+": ") {
					err = u
				}
				return nil, err
			}
			return &closingSession{Session: s, close: closeFn}, nil
		},
		Opened: func(s viewer.Session) {
			if *readyFile != "" {
				writeReady(*readyFile, s)
			}
		},
		Scale:     *scale,
		Filter:    *filter,
		NoOverlay: *noOverlay,
		StatsFile: *statsFile,
	})
	return v.Run(ctx)
}
