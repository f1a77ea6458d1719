package main

import (
	"crypto/tls"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"netdisplay/pixelproto"
	"netdisplay/webviewer"
)

func init() {
	register("web", "view a VNC server in the browser (vnc://HOST:PORT; prints the page's URL)", runWeb)
}

// runWeb serves the browser viewer for another RFB server, as websockify
// with noVNC would: the page's pixel mode is relayed to vnc://HOST:PORT.
func runWeb(args []string) error {
	fs := flag.NewFlagSet("web", flag.ExitOnError)
	addr := fs.String("web", "127.0.0.1:6080", "`address` to serve the browser viewer on (HOST:PORT; :PORT listens on loopback); the ready line prints its URL, token included")
	cert := fs.String("web-tls-cert", "", "serve over HTTPS with this certificate `file` (PEM; with --web-tls-key)")
	key := fs.String("web-tls-key", "", "the private key `file` (PEM) for --web-tls-cert")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: netdisplay web [flags] vnc://HOST:PORT\n\n")
		fmt.Fprintf(fs.Output(), "Serves the browser viewer for a VNC server: the page's pixel mode (RFB over a\n")
		fmt.Fprintf(fs.Output(), "WebSocket, which noVNC can use too) is relayed to HOST:PORT. There is no X mode.\n")
		fmt.Fprintf(fs.Output(), "Beyond loopback, the VNC server must ask every viewer for a password.\n\n")
		fs.PrintDefaults()
	}
	fs.Parse(args)
	if fs.NArg() != 1 || !strings.HasPrefix(fs.Arg(0), "vnc://") {
		fs.Usage()
		return errors.New("give the VNC server as vnc://HOST:PORT")
	}
	target := strings.TrimPrefix(fs.Arg(0), "vnc://")
	if _, _, err := net.SplitHostPort(target); err != nil {
		return fmt.Errorf("target %q: want vnc://HOST:PORT", fs.Arg(0))
	}
	w, err := startWebRelay(target, *addr, *cert, *key)
	if err != nil {
		return err
	}
	defer w.Close()
	fmt.Printf("netdisplay ready web=%s target=vnc://%s\n", w.url, target)

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	s := <-sig
	log.Printf("web: %v: shutting down", s)
	return nil
}

// webRelay is a running "netdisplay web".
type webRelay struct {
	*webviewer.Server
	url string
}

// startWebRelay serves the browser viewer on addr, relaying pixel mode to
// the RFB server at target. Beyond loopback it requires, as serve --web
// does of its own RFB server, that the RFB server asks for a password.
func startWebRelay(target, addr, certFile, keyFile string) (*webRelay, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("web: address %q: want HOST:PORT or :PORT", addr)
	}
	if host == "" {
		host = "127.0.0.1" // loopback unless asked otherwise
	}
	types, probeErr := rfbSecurityTypes(target)
	l, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	if !pixelproto.IsLoopback(l.Addr()) {
		why := ""
		switch {
		case probeErr != nil:
			why = fmt.Sprintf("cannot tell whether vnc://%s asks for a password: %v", target, probeErr)
		case !passwordOnly(types):
			why = fmt.Sprintf("vnc://%s offers security types %v, not VNC authentication (2) alone", target, types)
		}
		if why != "" {
			l.Close()
			return nil, fmt.Errorf("web: refusing to relay pixel mode beyond loopback on %s: %s; serve it on loopback, or make the VNC server ask every viewer for a password", l.Addr(), why)
		}
	} else if probeErr != nil {
		log.Printf("web: vnc://%s: %v (relaying anyway)", target, probeErr)
	}
	cfg := webviewer.Config{RFBTarget: target, RFBPassword: passwordOnly(types), Logf: log.Printf}
	if _, err := os.Stat(filepath.Join(noVNCDir, "vnc.html")); err == nil {
		cfg.NoVNC = os.DirFS(noVNCDir)
	}
	s, err := webviewer.New(cfg)
	if err != nil {
		l.Close()
		return nil, err
	}
	w := &webRelay{Server: s, url: s.URL(l)}
	if certFile != "" || keyFile != "" {
		cert, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			l.Close()
			return nil, fmt.Errorf("web: TLS: %w", err)
		}
		l = tls.NewListener(l, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
		w.url = "https://" + strings.TrimPrefix(w.url, "http://")
	}
	go s.Serve(l)
	return w, nil
}

// passwordOnly says whether an RFB server's security types leave a
// viewer no way in but the VNC password.
func passwordOnly(types []byte) bool {
	return len(types) > 0 && !slices.ContainsFunc(types, func(t byte) bool { return t != 2 })
}

// rfbSecurityTypes asks the RFB server at addr which security types it
// offers, as a viewer's handshake would, and hangs up.
func rfbSecurityTypes(addr string) ([]byte, error) {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	var version [12]byte
	if _, err := io.ReadFull(c, version[:]); err != nil {
		return nil, fmt.Errorf("no RFB greeting: %w", err)
	}
	var major, minor int
	if _, err := fmt.Sscanf(string(version[:]), "RFB %03d.%03d\n", &major, &minor); err != nil || major != 3 {
		return nil, fmt.Errorf("not an RFB server (%q)", version[:])
	}
	if minor < 7 {
		// RFB 3.3: the server picks the one type.
		if _, err := c.Write([]byte("RFB 003.003\n")); err != nil {
			return nil, err
		}
		var t uint32
		if err := binary.Read(c, binary.BigEndian, &t); err != nil {
			return nil, err
		}
		if t == 0 || t > 255 {
			return nil, fmt.Errorf("RFB 3.3 security type %d", t)
		}
		return []byte{byte(t)}, nil
	}
	if _, err := c.Write([]byte("RFB 003.008\n")); err != nil {
		return nil, err
	}
	var n [1]byte
	if _, err := io.ReadFull(c, n[:]); err != nil {
		return nil, err
	}
	if n[0] == 0 {
		return nil, errors.New("the server refuses connections")
	}
	types := make([]byte, n[0])
	if _, err := io.ReadFull(c, types); err != nil {
		return nil, err
	}
	return types, nil
}
