package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"netdisplay/xlib"
)

// Main is an application's whole command: it reads the flags, connects
// to the display, runs the application, and exits with a message saying
// why if it has to. With a script it prints "done" on stdout when the
// script has played, and keeps the last frame up until it is killed.
func Main(a App) {
	opt, display := parseFlags(a, os.Args[1:])
	c, err := xlib.Open(display)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", a.Name, err)
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opt.Done = func(r Report) {
		fmt.Printf("done: %d frames in %.3fs\n", r.Frames, r.Elapsed.Seconds())
	}
	err = Run(ctx, c, a, opt)
	c.Close()
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %s\n", a.Name, Explain(err))
		os.Exit(1)
	}
}

// Explain says what went wrong in the words of a user: a lost server is
// the usual case, and the one to say clearly.
func Explain(err error) string {
	var lost *xlib.ConnError
	if errors.As(err, &lost) {
		return fmt.Sprintf("lost the X server at %s: %v", lost.Display, lost.Err)
	}
	return err.Error()
}

// parseFlags reads the flags every application has, and its own.
func parseFlags(a App, args []string) (Options, string) {
	fs := flag.NewFlagSet(a.Name, flag.ExitOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: %s [flags]\n\n", a.Name)
		fs.PrintDefaults()
	}
	var opt Options
	display := fs.String("display", "", "the X display to use (default $DISPLAY)")
	fs.StringVar(&opt.Geometry, "geometry", "", fmt.Sprintf("window size and position, WxH+X+Y (default %dx%d+0+0)", a.Size.X, a.Size.Y))
	fs.Var(scriptFlag{&opt.Script}, "script", "play a script instead of live input: --script plays the short one, --script=bench the benchmark's")
	fs.Float64Var(&opt.Speed, "speed", 1, "play the script this many times faster than real time")
	fs.BoolVar(&opt.Sync, "sync", false, "wait for a round trip after every frame, as naive Xlib programs do")
	fs.Int64Var(&opt.Seed, "seed", 0, "seed for what the application makes up")
	if a.Flags != nil {
		a.Flags(fs, &opt)
	}
	fs.Parse(args)
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "%s: unexpected argument %q (the script's name goes after =, as in --script=bench)\n", a.Name, fs.Arg(0))
		fs.Usage()
		os.Exit(2)
	}
	return opt, *display
}

// A scriptFlag is --script, which takes a name but may be given alone.
type scriptFlag struct{ name *string }

func (f scriptFlag) String() string {
	if f.name == nil {
		return ""
	}
	return *f.name
}

func (f scriptFlag) Set(s string) error {
	switch s {
	case "true":
		s = Short
	case "false":
		s = ""
	case Short, Bench:
	default:
		return ErrUnknownScript
	}
	*f.name = s
	return nil
}

// IsBoolFlag lets --script stand alone.
func (scriptFlag) IsBoolFlag() bool { return true }
