package main

import (
	"context"
	"flag"
	"fmt"
	"image/png"
	"os"
	"strings"
	"time"

	"netdisplay/pixelproto"
)

func init() {
	register("snapshot", "save one full frame of a VNC server as PNG", runSnapshot)
}

func runSnapshot(args []string) error {
	fs := flag.NewFlagSet("snapshot", flag.ExitOnError)
	passFile := fs.String("password-file", "", "`file` holding the VNC password")
	encodings := fs.String("encodings", "", "comma-separated `list` of encodings to ask for, best first (default: all)")
	timeout := fs.Duration("timeout", 30*time.Second, "give up after this `long`")
	fs.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: netdisplay snapshot [flags] vnc://HOST:PORT out.png\n")
		fs.PrintDefaults()
	}
	fs.Parse(args)
	if fs.NArg() != 2 {
		fs.Usage()
		os.Exit(2)
	}
	target, out := fs.Arg(0), fs.Arg(1)
	var password string
	if *passFile != "" {
		data, err := os.ReadFile(*passFile)
		if err != nil {
			return err
		}
		password = string(pixelproto.PasswordFromFile(data))
	}
	var encs []pixelproto.Encoding
	if *encodings != "" {
		var err error
		if encs, err = pixelproto.ParseEncodings(*encodings); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	img, err := pixelproto.Snapshot(ctx, target, password, encs)
	if err != nil {
		return fmt.Errorf("%s: %w", strings.TrimPrefix(target, "vnc://"), err)
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
