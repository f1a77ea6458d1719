package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/gdamore/tcell/v2"

	"netdisplay/viewer/term"
)

func init() {
	register("term", "view a display in the terminal (vnc://HOST:PORT, or --x11 :N to be the display)", runTerm)
}

func runTerm(args []string) error {
	fs := flag.NewFlagSet("term", flag.ExitOnError)
	var vc viewerCommand
	vc.register(fs, "drop them, since the terminal is the screen")
	colors := fs.Int("colors", 0, "`colours` to draw with: 16777216 (truecolor), 256, or 0 to ask the terminal")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: netdisplay term [flags] vnc://HOST:PORT\n       netdisplay term [flags] --x11 :N|auto\n\n")
		fmt.Fprintf(fs.Output(), "Shows the display in the terminal, two pixels a cell. Ctrl-] then ? lists the viewer's keys.\n\n")
		fs.PrintDefaults()
	}
	target, err := vc.parse(fs, args)
	if err != nil {
		return err
	}

	// Anything written to the terminal would land in the picture.
	log.SetOutput(io.Discard)
	closeLog, err := vc.openLog()
	if err != nil {
		return err
	}
	defer closeLog()

	screen, err := tcell.NewScreen()
	if err != nil {
		return err
	}
	if err := screen.Init(); err != nil {
		return err
	}
	defer screen.Fini()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	v := term.New(screen, term.Options{
		Target:    target,
		Open:      vc.open,
		Opened:    vc.opened,
		Colors:    *colors,
		StatsFile: vc.statsFile,
	})
	err = v.Run(ctx)
	screen.Fini()
	return err
}
