package main

import (
	"crypto/tls"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"path/filepath"
	"strings"

	"netdisplay/pixelproto"
	"netdisplay/webviewer"
	"netdisplay/xserver/transport"
)

func (f *serveFlags) registerWeb(fs *flag.FlagSet) {
	fs.StringVar(&f.web, "web", "", "`address` to serve the browser viewer on (HOST:PORT; :PORT listens on loopback); the ready line prints its URL, token included")
	fs.StringVar(&f.webCert, "web-tls-cert", "", "serve the browser viewer over HTTPS with this certificate `file` (PEM; with --web-tls-key)")
	fs.StringVar(&f.webKey, "web-tls-key", "", "the private key `file` (PEM) for --web-tls-cert")
	fs.StringVar(&f.webX11, "web-x11", "auto", "with --web, the display `:N` whose X clients the web server relays to a page in X mode (\"auto\": the first free number; \"none\": no X mode); it listens as --listen says")
}

// noVNCDir is where Debian's novnc package puts noVNC. The web server
// offers it at /novnc/ when it is there: on the WebSocket's own origin,
// which is the only one allowed to connect.
const noVNCDir = "/usr/share/novnc"

// startWeb serves the browser viewer: pixel mode from the RFB server, and
// X mode relayed from a display of its own.
func (d *display) startWeb(f *serveFlags) error {
	if f.web == "" {
		return nil
	}
	host, port, err := net.SplitHostPort(f.web)
	if err != nil {
		return fmt.Errorf("web: address %q: want HOST:PORT or :PORT", f.web)
	}
	if host == "" {
		host = "127.0.0.1" // loopback unless asked otherwise
	}
	rfb, err := d.rfbServer(f)
	if err != nil {
		return err
	}
	cfg := webviewer.Config{RFB: rfb, RFBPassword: d.rfbPassword != nil, Logf: log.Printf}
	if _, err := os.Stat(filepath.Join(noVNCDir, "vnc.html")); err == nil {
		cfg.NoVNC = os.DirFS(noVNCDir)
	}
	l, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return fmt.Errorf("web: %w", err)
	}
	if d.rfbPassword == nil && !pixelproto.IsLoopback(l.Addr()) {
		// The RFB server would refuse every page; say why now.
		l.Close()
		return fmt.Errorf("web: refusing to serve pixel mode without a password on %s: pass --rfb-password-file", l.Addr())
	}
	if f.webX11 != "none" {
		num := -1
		if f.webX11 != "auto" {
			if num, err = parseDisplay(f.webX11); err != nil {
				l.Close()
				return fmt.Errorf("web-x11: %w", err)
			}
		}
		// The page is an X server like any other: local clients are
		// trusted, others need the cookie, which only the page is given.
		cookie, authFile, err := x11Cookie(f)
		if err == nil {
			d.webX11, err = transport.Listen(transport.Options{Number: num, TCP: f.listen})
		}
		if err == nil && cookie != nil {
			if err = transport.WriteXauthority(authFile, d.webX11.Number, cookie); err == nil {
				d.authFile = authFile
			}
		}
		if err != nil {
			l.Close()
			return fmt.Errorf("web-x11: %w", err)
		}
		cfg.Display = fmt.Sprintf(":%d", d.webX11.Number)
		cfg.Endpoints, cfg.Cookie, cfg.Trusted = d.webX11.Endpoints, cookie, transport.Loopback
	}
	if d.web, err = webviewer.New(cfg); err != nil {
		l.Close()
		return err
	}
	d.webURL = d.web.URL(l)
	if f.webCert != "" || f.webKey != "" {
		cert, err := tls.LoadX509KeyPair(f.webCert, f.webKey)
		if err != nil {
			l.Close()
			return fmt.Errorf("web: TLS: %w", err)
		}
		l = tls.NewListener(l, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
		d.webURL = "https://" + strings.TrimPrefix(d.webURL, "http://")
	}
	go d.web.Serve(l)
	if d.webX11 != nil {
		for _, xl := range d.webX11.Listeners {
			go d.web.ServeX11(xl)
		}
	}
	return nil
}
