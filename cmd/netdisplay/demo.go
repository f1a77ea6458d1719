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

	"netdisplay/clients/app"
	"netdisplay/clients/app/anim"
	"netdisplay/clients/app/clock"
	"netdisplay/clients/app/edit"
	"netdisplay/clients/app/eyes"
	"netdisplay/clients/app/paint"
	"netdisplay/xlib"
)

func init() {
	register("demo", "run a display with the sample applications, and watch it here", runDemo)
}

// runDemo is the README's first command: a display, with the window
// manager and the sample applications on it, served to VNC viewers and
// browsers, and shown in this terminal when there is one.
func runDemo(args []string) error {
	fs := flag.NewFlagSet("demo", flag.ExitOnError)
	var f serveFlags
	f.register(fs)
	f.registerWM(fs, true)
	noApps := fs.Bool("no-apps", false, "start no sample applications")
	noView := fs.Bool("no-viewer", false, "do not open the terminal viewer, even on a terminal")
	fs.Parse(args)
	if f.web == "" {
		f.web = "127.0.0.1:0" // a browser is the easiest viewer: always offer it
	}
	d, err := startDisplay(&f)
	if err != nil {
		return err
	}
	defer d.close()
	if err := d.serveControl(d.shutdown); err != nil {
		log.Printf("demo: no control socket: %v", err)
	}
	fmt.Println(d.readyLine())
	display := fmt.Sprintf(":%d", d.d.Number)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if !*noApps {
		startApps(ctx, display)
	}
	help := demoHelp(d, display, f.geometry, f.wm)
	fmt.Print(help)

	if !*noView && isTerminal(os.Stdin) && isTerminal(os.Stdout) && d.rfbAddr != "" {
		// The terminal viewer takes the screen until q; then the display
		// goes on serving until Ctrl-C.
		time.Sleep(500 * time.Millisecond) // let the applications draw
		if err := runTerm([]string{"vnc://" + d.rfbAddr}); err != nil {
			fmt.Fprintf(os.Stderr, "demo: terminal viewer: %v\n", err)
		}
		log.SetOutput(os.Stderr)
		fmt.Print("\n" + help)
	}
	select {
	case <-ctx.Done():
	case <-d.stop:
	}
	return nil
}

func demoHelp(d *display, display, geometry string, wm bool) string {
	s := fmt.Sprintf(`
netdisplay is serving display %s (%s).

  In a browser:        %s
  In a window:         netdisplay desktop vnc://%s
  In a terminal:       netdisplay term vnc://%s
  Any VNC viewer:      vncviewer %s
  More X applications: DISPLAY=%s xterm &
  Stop it:             Ctrl-C, or netdisplay ctl --display %s shutdown

`, display, geometry, d.webURL, d.rfbAddr, d.rfbAddr, vncHostPort(d.rfbAddr), display, display)
	return s + wmNote(wm)
}

// vncHostPort writes an address as VNC viewers take a port: host::port
// (host:N would be display N, port 5900+N).
func vncHostPort(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	return host + "::" + port
}

// wmNote says what the window manager does, when it runs.
func wmNote(on bool) string {
	if !on {
		return ""
	}
	return `Windows get frames from the built-in window manager (--wm=false for
none): drag a title bar to move a window, its bottom right corner to
resize it, and click the cross to close it.

`
}

// startApps runs sample applications on the display, each as an X client
// of its own, in this process.
func startApps(ctx context.Context, display string) {
	for _, a := range []struct {
		app      app.App
		geometry string
	}{
		{clock.App, "200x200"},
		{eyes.App, "220x150"},
		{edit.App, "520x300"},
		{paint.App, "400x300"},
		{anim.App, "400x260"},
	} {
		go func() {
			c, err := xlib.Open(display)
			if err != nil {
				log.Printf("demo: %s: %v", a.app.Name, err)
				return
			}
			defer c.Close()
			opt := app.Options{Geometry: a.geometry}
			if a.app.Name == "anim" {
				opt.Period = 100 * time.Millisecond // a calm ten frames a second
			}
			if err := app.Run(ctx, c, a.app, opt); err != nil && ctx.Err() == nil {
				log.Printf("demo: %s: %s", a.app.Name, app.Explain(err))
			}
		}()
	}
}

// isTerminal reports whether f is a terminal (a character device).
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
