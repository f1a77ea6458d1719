package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"netdisplay/xserver"
	"netdisplay/xserver/transport"
)

func init() {
	register("serve", "run a display server (X11, and RFB for VNC viewers)", runServe)
}

// serveFlags are the flags every command that runs a server shares.
type serveFlags struct {
	display  string
	geometry string
	listen   string
	auth     string
}

func (f *serveFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.display, "display", "", "display `:N` to be (default: the first free number from 1)")
	fs.StringVar(&f.geometry, "geometry", "1280x800", "screen size `WxH`")
	fs.StringVar(&f.listen, "listen", "127.0.0.1", "`host` to listen on for X11 over TCP (port 6000+N); \"none\" for Unix socket only; anything not loopback requires MIT-MAGIC-COOKIE-1")
	fs.StringVar(&f.auth, "auth", "", "Xauthority `file` to write the cookie to when listening beyond loopback (default $XAUTHORITY or ~/.Xauthority)")
}

func parseGeometry(s string) (int, int, error) {
	w, h, ok := strings.Cut(strings.ToLower(s), "x")
	if !ok {
		return 0, 0, fmt.Errorf("geometry %q: want WxH", s)
	}
	wi, err1 := strconv.Atoi(w)
	hi, err2 := strconv.Atoi(h)
	if err1 != nil || err2 != nil || wi < 1 || hi < 1 || wi > 16384 || hi > 16384 {
		return 0, 0, fmt.Errorf("geometry %q: want WxH, each 1 to 16384", s)
	}
	return wi, hi, nil
}

func parseDisplay(s string) (int, error) {
	if s == "" {
		return -1, nil
	}
	n, err := strconv.Atoi(strings.TrimPrefix(s, ":"))
	if err != nil || n < 0 {
		return 0, fmt.Errorf("display %q: want :N", s)
	}
	return n, nil
}

// A running display: the X server and its listeners.
type display struct {
	x        *xserver.Server
	d        *transport.Display
	authFile string
}

// startDisplay reserves a display number, opens its sockets and starts
// the X server on them.
func startDisplay(f *serveFlags) (*display, error) {
	w, h, err := parseGeometry(f.geometry)
	if err != nil {
		return nil, err
	}
	num, err := parseDisplay(f.display)
	if err != nil {
		return nil, err
	}
	host := f.listen
	var cookie []byte
	var authFile string
	if host != "none" && !transport.LoopbackHost(host) {
		// Beyond loopback, clients must prove they may connect.
		if cookie, err = transport.NewCookie(); err != nil {
			return nil, err
		}
		authFile = f.auth
		if authFile == "" {
			authFile = os.Getenv("XAUTHORITY")
		}
		if authFile == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				return nil, errors.New("listening beyond loopback needs an Xauthority file: pass --auth FILE")
			}
			authFile = filepath.Join(home, ".Xauthority")
		}
	}
	d, err := transport.Listen(transport.Options{Number: num, TCP: host})
	if err != nil {
		return nil, err
	}
	if cookie != nil {
		if err := transport.WriteXauthority(authFile, d.Number, cookie); err != nil {
			d.Close()
			return nil, fmt.Errorf("cannot write the cookie to %s: %v (refusing to listen on %s without one)", authFile, err, host)
		}
	}
	x := xserver.New(xserver.Config{Width: w, Height: h, Cookie: cookie, Logf: log.Printf})
	for _, l := range d.Listeners {
		go x.Serve(l, transport.Loopback)
	}
	return &display{x: x, d: d, authFile: authFile}, nil
}

func (d *display) close() {
	d.x.Close()
	d.d.Close()
}

// readyLine names every endpoint, on one line, for people and scripts.
func (d *display) readyLine() string {
	parts := []string{fmt.Sprintf("display=:%d", d.d.Number)}
	for _, e := range d.d.Endpoints {
		parts = append(parts, "x11="+e)
	}
	if d.authFile != "" {
		parts = append(parts, "xauthority="+d.authFile)
	}
	return "netdisplay ready " + strings.Join(parts, " ")
}

func runServe(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	var f serveFlags
	f.register(fs)
	fs.Parse(args)
	d, err := startDisplay(&f)
	if err != nil {
		return err
	}
	defer d.close()
	fmt.Println(d.readyLine())
	waitForSignal()
	return nil
}

func waitForSignal() {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
}

var _ = net.Listen
