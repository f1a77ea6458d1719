package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"
	"sync"

	"netdisplay/viewer"
)

// viewerCommand is what the term and desktop subcommands share around
// their viewers, so that both take the same flags and open, log and
// report sessions the same way: what to show (viewerFlags), and the
// files that tell scripts and people about it.
type viewerCommand struct {
	viewerFlags
	statsFile string
	readyFile string
	logFile   string
	arg       string // the positional argument: what pixel mode dials
}

// register defines the flags on fs. logDefault says where log messages
// go without -log.
func (c *viewerCommand) register(fs *flag.FlagSet, logDefault string) {
	c.viewerFlags.register(fs)
	fs.StringVar(&c.statsFile, "stats-json", "", "rewrite `file` with the statistics as JSON every second")
	fs.StringVar(&c.readyFile, "ready-file", "", "write a line naming the session to `file` once it is open (\"netdisplay ready mode=x11 display=:N\")")
	fs.StringVar(&c.logFile, "log", "", "append log messages to `file` (default: "+logDefault+")")
}

// parse parses args and returns the name of what is shown, for the
// viewer's messages before a session opens.
func (c *viewerCommand) parse(fs *flag.FlagSet, args []string) (string, error) {
	fs.Parse(args)
	target, err := c.target(fs)
	if err != nil {
		return "", err
	}
	c.arg = fs.Arg(0)
	if c.x11 != "" {
		target = "X display " + c.x11
	}
	return target, nil
}

// openLog sends log messages to the end of the -log file, if there is
// one. The caller calls done when it has finished logging.
func (c *viewerCommand) openLog() (done func(), err error) {
	if c.logFile == "" {
		return func() {}, nil
	}
	f, err := os.OpenFile(c.logFile, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	log.SetOutput(f)
	return func() { f.Close() }, nil
}

// open opens a session for the viewer, which calls it at the start and
// to reconnect.
func (c *viewerCommand) open(ctx context.Context) (viewer.Session, error) {
	s, closeFn, err := c.openSession(ctx, c.arg)
	if err != nil {
		// The viewer names the target itself.
		if u := errors.Unwrap(err); u != nil && strings.HasPrefix(err.Error(), c.arg+": ") {
			err = u
		}
		return nil, err
	}
	return &closingSession{Session: s, close: closeFn}, nil
}

// opened tells scripts, through the -ready-file, that s is open.
func (c *viewerCommand) opened(s viewer.Session) {
	if c.readyFile != "" {
		writeReady(c.readyFile, s)
	}
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
