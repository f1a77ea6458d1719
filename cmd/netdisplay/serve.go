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
	"sync"
	"syscall"

	"netdisplay/pixelproto"
	"netdisplay/webviewer"
	"netdisplay/xserver"
	"netdisplay/xserver/transport"
	"netdisplay/xserver/xsource"
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
	rfb      string
	rfbPass  string
	web      string
	webX11   string
	webCert  string
	webKey   string
	wm       bool // run the built-in window manager
}

func (f *serveFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.display, "display", "", "display `:N` to be (default: the first free number from 1)")
	fs.StringVar(&f.geometry, "geometry", "1280x800", "screen size `WxH`")
	fs.StringVar(&f.listen, "listen", "127.0.0.1", "`host` to listen on for X11 over TCP (port 6000+N); \"none\" for Unix socket only; anything not loopback requires MIT-MAGIC-COOKIE-1")
	fs.StringVar(&f.auth, "auth", "", "Xauthority `file` to write the cookie to when listening beyond loopback (default $XAUTHORITY or ~/.Xauthority)")
	fs.StringVar(&f.rfb, "rfb", "", "`address` for VNC viewers (default 127.0.0.1:5900+N); \"none\" to serve no RFB")
	fs.StringVar(&f.rfbPass, "rfb-password-file", "", "`file` holding the VNC password (a text line, or vncpasswd's format); required beyond loopback")
	f.registerWeb(fs)
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

// A running display: the X server, its listeners, and the RFB server.
type display struct {
	x        *xserver.Server
	d        *transport.Display
	authFile string
	rfb      *pixelproto.Server
	rfbAddr  string
	src      *xsource.Source
	ctl      net.Listener  // the control socket, when serving one
	stop     chan struct{} // closed to shut down
	stopOnce sync.Once

	rfbPassword []byte
	web         *webviewer.Server
	webURL      string
	webX11      *transport.Display // the display the web server relays to the page
	wm          *windowManager     // the built-in window manager, when running
}

// startDisplay reserves a display number, opens its sockets and starts
// the X server on them.
func startDisplay(f *serveFlags) (*display, error) {
	w, h, err := parseGeometry(f.geometry)
	if err != nil {
		return nil, err
	}
	limitMemory(w, h)
	profileHeap()
	num, err := parseDisplay(f.display)
	if err != nil {
		return nil, err
	}
	host := f.listen
	cookie, authFile, err := x11Cookie(f)
	if err != nil {
		return nil, err
	}
	// With the number left to us, take one whose VNC port is free too.
	var d *transport.Display
	for from := 1; ; {
		d, err = transport.Listen(transport.Options{Number: num, From: from, TCP: host})
		if err != nil {
			return nil, err
		}
		if num >= 0 || f.rfb != "" || portFree(5900+d.Number) {
			break
		}
		from = d.Number + 1
		d.Close()
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
	disp := &display{x: x, d: d, authFile: authFile, stop: make(chan struct{})}
	if err := disp.startRFB(f); err != nil {
		disp.close()
		return nil, err
	}
	if err := disp.startWeb(f); err != nil {
		disp.close()
		return nil, err
	}
	if f.wm {
		if err := disp.startWM(); err != nil {
			disp.close()
			return nil, err
		}
	}
	return disp, nil
}

// x11Cookie makes the cookie X clients must present when the display
// listens beyond loopback, and names the Xauthority file it goes to; on
// loopback it returns none.
func x11Cookie(f *serveFlags) (cookie []byte, authFile string, err error) {
	if f.listen == "none" || transport.LoopbackHost(f.listen) {
		return nil, "", nil
	}
	if cookie, err = transport.NewCookie(); err != nil {
		return nil, "", err
	}
	authFile = f.auth
	if authFile == "" {
		authFile = os.Getenv("XAUTHORITY")
	}
	if authFile == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, "", errors.New("listening beyond loopback needs an Xauthority file: pass --auth FILE")
		}
		authFile = filepath.Join(home, ".Xauthority")
	}
	return cookie, authFile, nil
}

// startRFB serves the screen to VNC viewers.
func (d *display) startRFB(f *serveFlags) error {
	if f.rfb == "none" {
		return nil
	}
	addr := f.rfb
	if addr == "" {
		addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(5900+d.d.Number))
	}
	rfb, err := d.rfbServer(f)
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("rfb: %w", err)
	}
	if d.rfbPassword == nil && !pixelproto.IsLoopback(l.Addr()) {
		l.Close()
		return fmt.Errorf("rfb: refusing to serve VNC without a password on %s: pass --rfb-password-file", addr)
	}
	d.rfbAddr = l.Addr().String()
	go rfb.Serve(l)
	return nil
}

// rfbServer returns the RFB server of the screen, made at first use: VNC
// viewers and the browser viewer's pixel mode share it.
func (d *display) rfbServer(f *serveFlags) (*pixelproto.Server, error) {
	if d.rfb != nil {
		return d.rfb, nil
	}
	var password []byte
	if f.rfbPass != "" {
		data, err := os.ReadFile(f.rfbPass)
		if err != nil {
			return nil, err
		}
		if password = pixelproto.PasswordFromFile(data); len(password) == 0 {
			return nil, fmt.Errorf("%s holds no password", f.rfbPass)
		}
	}
	d.src = xsource.New(d.x, fmt.Sprintf("netdisplay :%d", d.d.Number))
	d.rfb = pixelproto.NewServer(d.src, pixelproto.ServerConfig{Password: password, Logf: log.Printf})
	d.rfbPassword = password
	return d.rfb, nil
}

// shutdown asks the display's command to stop (ctl shutdown, a signal).
func (d *display) shutdown() { d.stopOnce.Do(func() { close(d.stop) }) }

// close stops everything: viewers are disconnected, X clients closed, and
// the sockets and lock files removed.
func (d *display) close() {
	if d.wm != nil {
		d.wm.stop()
	}
	if d.ctl != nil {
		d.ctl.Close()
		os.Remove(ctlPath(d.d.Number))
	}
	if d.web != nil {
		d.web.Close()
	}
	if d.webX11 != nil {
		d.webX11.Close()
	}
	if d.rfb != nil {
		d.rfb.Close()
		d.src.Close()
	}
	d.x.Close()
	d.d.Close()
}

// readyLine names every endpoint, on one line, for people and scripts.
func (d *display) readyLine() string {
	parts := []string{fmt.Sprintf("display=:%d", d.d.Number)}
	for _, e := range d.d.Endpoints {
		parts = append(parts, "x11="+e)
	}
	if d.rfbAddr != "" {
		parts = append(parts, "rfb=vnc://"+d.rfbAddr)
	}
	if d.webURL != "" {
		parts = append(parts, "web="+d.webURL)
	}
	if d.webX11 != nil {
		parts = append(parts, fmt.Sprintf("web-x11=:%d", d.webX11.Number))
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
	f.registerWM(fs, false)
	fs.Parse(args)
	defer profileCPU()()
	d, err := startDisplay(&f)
	if err != nil {
		return err
	}
	defer d.close()
	if err := d.serveControl(d.shutdown); err != nil {
		log.Printf("serve: no control socket: %v", err)
	}
	fmt.Println(d.readyLine())
	d.wait()
	return nil
}

// wait returns on SIGINT, SIGTERM or a shutdown request.
func (d *display) wait() {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	select {
	case s := <-sig:
		log.Printf("serve: %v: shutting down display :%d", s, d.d.Number)
	case <-d.stop:
		log.Printf("serve: shutdown requested: stopping display :%d", d.d.Number)
	}
}

// portFree reports whether a loopback TCP port can be listened on.
func portFree(port int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return false
	}
	l.Close()
	return true
}
