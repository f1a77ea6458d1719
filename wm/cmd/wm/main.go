// Command wm runs netdisplay's window manager on any X display:
//
//	go run ./wm/cmd/wm [-display :N] [-font XLFD]
//
// It frames each window with a title bar, to drag, and a close button;
// the bottom right corner resizes. Interrupt it and the windows stay, on
// the root.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"

	"netdisplay/wm"
	"netdisplay/xlib"
)

func main() {
	display := flag.String("display", "", "the X `display` to manage (default $DISPLAY)")
	font := flag.String("font", "", "the title `font` (default "+wm.DefaultFont+")")
	flag.Parse()
	c, err := xlib.Open(*display)
	if err != nil {
		fmt.Fprintln(os.Stderr, "wm:", err)
		os.Exit(1)
	}
	defer c.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := wm.Run(ctx, c, wm.Options{Font: *font, Logf: log.Printf}); err != nil {
		fmt.Fprintln(os.Stderr, "wm:", err)
		os.Exit(1)
	}
}
