package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"netdisplay/viewer/desktop"
)

func init() {
	register("desktop", "view a display in a window (vnc://HOST:PORT, or --x11 :N to be the display)", runDesktop)
}

func runDesktop(args []string) error {
	fs := flag.NewFlagSet("desktop", flag.ExitOnError)
	var vc viewerCommand
	vc.register(fs, "standard error")
	scale := fs.Float64("scale", 1, "window pixels per display pixel, at first; in X mode the display follows the window at this scale")
	filter := fs.String("filter", "", "how to scale: nearest, linear, or empty for nearest at whole-number scales and linear otherwise")
	noOverlay := fs.Bool("no-overlay", false, "start with the statistics overlay hidden (Ctrl-] s toggles it)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: netdisplay desktop [flags] vnc://HOST:PORT\n       netdisplay desktop [flags] --x11 :N|auto\n\n")
		fmt.Fprintf(fs.Output(), "Shows the display in a window. Everything typed, clicked or scrolled goes to the display, except\n")
		fmt.Fprintf(fs.Output(), "after Ctrl-]: s statistics overlay, f filter, w write statistics, r reconnect, q quit, ] send Ctrl-].\n\n")
		fs.PrintDefaults()
	}
	target, err := vc.parse(fs, args)
	if err != nil {
		return err
	}
	switch *filter {
	case "", "nearest", "linear":
	default:
		return fmt.Errorf("filter %q: want nearest or linear", *filter)
	}
	if *scale <= 0 || *scale > 16 {
		return fmt.Errorf("scale %v: want more than 0, at most 16", *scale)
	}
	closeLog, err := vc.openLog()
	if err != nil {
		return err
	}
	defer closeLog()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	v := desktop.New(desktop.Options{
		Target:    target,
		Open:      vc.open,
		Opened:    vc.opened,
		Scale:     *scale,
		Filter:    *filter,
		NoOverlay: *noOverlay,
		StatsFile: vc.statsFile,
	})
	return v.Run(ctx)
}
