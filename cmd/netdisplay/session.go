package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"netdisplay/pixelproto"
	"netdisplay/viewer"
)

// viewerFlags are the flags every viewer (term, desktop) shares: what to
// show, in which mode.
type viewerFlags struct {
	x11       string // X mode: be this display
	passFile  string // pixel mode: the VNC password file
	encodings string // pixel mode: encodings to ask for
	serve     serveFlags
}

func (f *viewerFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.x11, "x11", "", "X mode: be display `:N` (or \"auto\" for the first free number); remote applications connect to it")
	fs.StringVar(&f.passFile, "password-file", "", "pixel mode: `file` holding the VNC password")
	fs.StringVar(&f.encodings, "encodings", "", "pixel mode: encodings to ask for, best first (`list`, default: all)")
	fs.StringVar(&f.serve.geometry, "geometry", "1280x800", "X mode: screen size `WxH`")
	fs.StringVar(&f.serve.listen, "listen", "127.0.0.1", "X mode: `host` to listen on for X11 over TCP; beyond loopback needs the cookie")
	fs.StringVar(&f.serve.auth, "auth", "", "X mode: Xauthority `file` for the cookie")
	fs.BoolVar(&f.serve.wm, "wm", false, "X mode: run the built-in window manager")
}

// target is what the viewer shows: the positional argument in pixel
// mode, or the X display.
func (f *viewerFlags) target(fs *flag.FlagSet) (string, error) {
	switch {
	case f.x11 != "" && fs.NArg() == 0:
		return f.x11, nil
	case f.x11 == "" && fs.NArg() == 1:
		t := fs.Arg(0)
		if !strings.HasPrefix(t, "vnc://") {
			return "", fmt.Errorf("target %q: want vnc://HOST:PORT, or --x11 :N for X mode", t)
		}
		return t, nil
	}
	return "", errors.New("give either vnc://HOST:PORT (pixel mode) or --x11 :N (X mode)")
}

// openSession opens the session a viewer shows. In X mode it starts an X
// server here, listening as serve does, with no RFB; close stops it.
func (f *viewerFlags) openSession(ctx context.Context, target string) (s viewer.Session, close func(), err error) {
	if f.x11 != "" {
		sf := f.serve
		sf.display = f.x11
		if sf.display == "auto" {
			sf.display = ""
		}
		sf.rfb = "none"
		d, err := startDisplay(&sf)
		if err != nil {
			return nil, nil, err
		}
		s := viewer.NewX(d.x, fmt.Sprintf(":%d", d.d.Number))
		return s, func() { s.Close(); d.close() }, nil
	}
	var password string
	if f.passFile != "" {
		data, err := os.ReadFile(f.passFile)
		if err != nil {
			return nil, nil, err
		}
		password = string(pixelproto.PasswordFromFile(data))
	}
	var encs []pixelproto.Encoding
	if f.encodings != "" {
		if encs, err = pixelproto.ParseEncodings(f.encodings); err != nil {
			return nil, nil, err
		}
	}
	s, err = viewer.Dial(ctx, target, password, encs)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", target, err)
	}
	return s, func() { s.Close() }, nil
}
