package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"

	"github.com/gdamore/tcell/v2"

	"netdisplay/viewer"
	"netdisplay/viewer/term"
)

func init() {
	register("term", "view a display in the terminal (vnc://HOST:PORT, or --x11 :N to be the display)", runTerm)
}

func runTerm(args []string) error {
	fs := flag.NewFlagSet("term", flag.ExitOnError)
	var vf viewerFlags
	vf.register(fs)
	statsFile := fs.String("stats-json", "", "rewrite `file` with the statistics as JSON every second")
	readyFile := fs.String("ready-file", "", "write a line naming the session to `file` once it is open (\"netdisplay ready mode=x11 display=:N\")")
	logFile := fs.String("log", "", "append log messages to `file` (default: drop them, since the terminal is the screen)")
	colors := fs.Int("colors", 0, "`colours` to draw with: 16777216 (truecolor), 256, or 0 to ask the terminal")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: netdisplay term [flags] vnc://HOST:PORT\n       netdisplay term [flags] --x11 :N|auto\n\n")
		fmt.Fprintf(fs.Output(), "Shows the display in the terminal, two pixels a cell. Ctrl-] then ? lists the viewer's keys.\n\n")
		fs.PrintDefaults()
	}
	fs.Parse(args)
	target, err := vf.target(fs)
	if err != nil {
		return err
	}
	if vf.x11 != "" {
		target = "X display " + vf.x11
	}

	// Anything written to the terminal would land in the picture.
	log.SetOutput(io.Discard)
	if *logFile != "" {
		f, err := os.OpenFile(*logFile, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			return err
		}
		defer f.Close()
		log.SetOutput(f)
	}

	screen, err := tcell.NewScreen()
	if err != nil {
		return err
	}
	if err := screen.Init(); err != nil {
		return err
	}
	defer screen.Fini()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	v := term.New(screen, term.Options{
		Target: target,
		Open: func(ctx context.Context) (viewer.Session, error) {
			s, closeFn, err := vf.openSession(ctx, fs.Arg(0))
			if err != nil {
				// The viewer names the target itself.
				if u := errors.Unwrap(err); u != nil && strings.HasPrefix(err.Error(), fs.Arg(0)+": ") {
					err = u
				}
				return nil, err
			}
			return &closingSession{Session: s, close: closeFn}, nil
		},
		Opened: func(s viewer.Session) {
			if *readyFile != "" {
				writeReady(*readyFile, s)
			}
		},
		Colors:    *colors,
		StatsFile: *statsFile,
	})
	err = v.Run(ctx)
	screen.Fini()
	return err
}

// closingSession stops what openSession started along with the session:
// in X mode, the X server and its sockets.
type closingSession struct {
	viewer.Session
	once  sync.Once
	close func()
}

func (s *closingSession) Close() error {
	s.once.Do(s.close)
	return nil
}

// writeReady tells scripts what the viewer shows, in particular which
// display number X mode took: "netdisplay ready mode=x11 display=:3".
func writeReady(path string, s viewer.Session) {
	var line string
	if s.Mode() == "x11" {
		line = fmt.Sprintf("netdisplay ready mode=x11 display=%s\n", s.Target())
	} else {
		line = fmt.Sprintf("netdisplay ready mode=%s target=%s\n", s.Mode(), s.Target())
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(line), 0o644); err != nil {
		log.Printf("ready file: %v", err)
		return
	}
	if err := os.Rename(tmp, path); err != nil {
		log.Printf("ready file: %v", err)
	}
}
