package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"netdisplay/wm"
	"netdisplay/xlib"
)

func init() {
	register("wm", "run the built-in window manager on an X display", runWM)
}

func runWM(args []string) error {
	fs := flag.NewFlagSet("wm", flag.ExitOnError)
	display := fs.String("display", "", "the X `display` to manage (default $DISPLAY)")
	font := fs.String("font", "", "the title `font` (default "+wm.DefaultFont+")")
	fs.Parse(args)
	c, err := xlib.Open(*display)
	if err != nil {
		return err
	}
	defer c.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return wm.Run(ctx, c, wm.Options{Font: *font, Logf: log.Printf})
}

// registerWM adds --wm, on by default when on is set.
func (f *serveFlags) registerWM(fs *flag.FlagSet, on bool) {
	fs.BoolVar(&f.wm, "wm", on, "run the built-in window manager: title bars to move windows, raise, focus, close and resize them")
}

// A windowManager is the built-in window manager running on a display. It
// is an X client like any other, on a connection of its own; only the
// connection is made in-process, over a pipe, instead of a socket.
type windowManager struct {
	conn   *xlib.Conn
	cancel context.CancelFunc
	done   chan error
}

// startWM runs the window manager on the display.
func (d *display) startWM() error {
	client, server := net.Pipe()
	go d.x.ServeConn(server, true)
	c, err := xlib.NewConn(client, xlib.Options{Timeout: 10 * time.Second})
	if err != nil {
		return fmt.Errorf("wm: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	m := &windowManager{conn: c, cancel: cancel, done: make(chan error, 1)}
	go func() {
		err := wm.Run(ctx, c, wm.Options{Logf: log.Printf})
		if err != nil && ctx.Err() == nil {
			log.Printf("wm: %v", err)
		}
		m.done <- err
	}()
	d.wm = m
	return nil
}

// stop gives the windows back to the root and closes the connection.
func (m *windowManager) stop() {
	m.cancel()
	select {
	case <-m.done:
	case <-time.After(5 * time.Second):
	}
	m.conn.Close()
}
