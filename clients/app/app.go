// Package app is what netdisplay's sample X applications share: the
// window and its manners towards a window manager, the event loop, the
// scripts that stand in for the user and the wall clock, the flags, and
// the exit with a clear message when the server goes away.
//
// An application is an App: a name, a default size and a constructor for
// its Program. Run runs one on a connection, for a caller that has one
// (the benchmark, in-process); Main is the whole command around it.
//
// Live, a program draws what the user does (Program.Input) and, if it is
// a Ticker, what the time is. With a script it ignores the user and the
// clock: it plays the script's Steps, which act on the program as the
// user would, at fixed moments of script time, and shows times derived
// from Epoch. What it draws then depends only on the script and the
// seed, so the same run can be repeated on any server.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"time"

	"netdisplay/protocol"
	"netdisplay/xlib"
)

// The scripts every application has.
const (
	// Short is a few seconds of typical work that ends on a frame worth
	// comparing: what --script plays. It finishes within 3 seconds.
	Short = "short"
	// Bench is the longer workload of the benchmark, at a realistic rate:
	// 20 to 60 seconds at Speed 1.
	Bench = "bench"
)

// Epoch is the wall-clock time of script time 0: what a clock shows when
// a script starts.
var Epoch = time.Date(2025, time.March, 14, 10, 8, 30, 0, time.UTC)

// Options say how to run an application. The zero value runs it live at
// its default size at +0+0.
type Options struct {
	// Geometry is the window's size and position, as X programs take it:
	// "WxH", "WxH+X+Y", "+X+Y" (a negative offset counts from the right
	// or bottom edge). Empty means the default size at +0+0.
	Geometry string
	// Script names the script to play instead of live input and the wall
	// clock (Short or Bench); empty for none.
	Script string
	// Speed plays the script this many times faster than real time; 0
	// means 1. What is drawn does not depend on it, only when.
	Speed float64
	// Sync waits for a round trip after every frame, as a naive Xlib
	// program calling XSync does; by default requests are pipelined.
	Sync bool
	// Seed seeds whatever the application makes up: shapes, paths,
	// images, text.
	Seed int64
	// Period is how often a timed application changes (anim's frame
	// interval, slideshow's slide interval); 0 for its default.
	Period time.Duration
	// Done, if set, is called once the script has played to its end and
	// its last frame has been sent.
	Done func(Report)
}

// A Report says how a script went.
type Report struct {
	Frames  int           // frames drawn since the window was mapped
	Elapsed time.Duration // real time from the script's start to its end
	Stats   xlib.Stats    // the connection's counters at the end
}

// An App is a sample application, as the framework needs to know it.
type App struct {
	Name       string      // the command, its window's title and WM_CLASS
	Size       image.Point // the default window size
	Background color.Color // the window's background; nil for white
	// Input is the input events the program selects on its window; the
	// framework adds Exposure and StructureNotify.
	Input uint32
	// Period is the default of Options.Period, for timed applications.
	Period time.Duration
	// New sets up the program on its window, not yet mapped: GCs, fonts,
	// state. It may wait for replies.
	New func(w *Window) (Program, error)
	// Flags, if set, adds the program's own flags for Main.
	Flags func(fs *flag.FlagSet, opt *Options)
}

// A Program is one application's logic. The framework calls it from one
// goroutine, and ends a frame (a flush, or a round trip with --sync)
// after each call.
type Program interface {
	// Draw draws the whole window at its current size: on Expose, and so
	// after a resize.
	Draw()
	// Input handles an event the framework leaves to the program: keys,
	// buttons, the pointer, MappingNotify, ConfigureNotify. It is not
	// called while a script plays, so that only the script counts.
	Input(ev protocol.Event)
	// Script returns the steps of the named script (Short or Bench).
	Script(name string) ([]Step, error)
}

// A Ticker is a Program that changes with time. Live, Tick is called
// every Options.Period with the wall-clock time; a script calls the
// program's own methods instead, with times derived from Epoch.
type Ticker interface {
	Program
	Tick(now time.Time)
}

// A Step is one moment of a script: at script time At, Do does what the
// user or the passing of time would, through the same code as live input.
type Step struct {
	At time.Duration
	Do func()
}

// A Window is a program's window and the connection it is on.
type Window struct {
	*xlib.Conn
	ID   xlib.Window
	Size image.Point // the current size, kept up to date by the framework
	Opt  Options     // the options it runs with, defaults filled in

	protocols, deleteWindow xlib.Atom
}

// ErrUnknownScript is returned for a script name the program does not
// have.
var ErrUnknownScript = errors.New("unknown script (want short or bench)")

// Run runs an application on c until ctx is done or the window is closed
// (WM_DELETE_WINDOW), which return nil, or until the connection is lost
// or an X error shows a bug, which return the error. It does not close c.
func Run(ctx context.Context, c *xlib.Conn, a App, opt Options) error {
	if opt.Speed == 0 {
		opt.Speed = 1
	}
	if opt.Speed < 0 {
		return fmt.Errorf("speed %v: must be positive", opt.Speed)
	}
	if opt.Period == 0 {
		opt.Period = a.Period
	}
	if opt.Script != "" && opt.Script != Short && opt.Script != Bench {
		return fmt.Errorf("script %q: %w", opt.Script, ErrUnknownScript)
	}
	w, err := openWindow(c, a, opt)
	if err != nil {
		return err
	}
	prog, err := a.New(w)
	if err != nil {
		return err
	}
	l := &loop{w: w, prog: prog, opt: opt}
	if opt.Script != "" {
		if l.steps, err = prog.Script(opt.Script); err != nil {
			return fmt.Errorf("script %q: %w", opt.Script, err)
		}
	} else if t, ok := prog.(Ticker); ok && opt.Period > 0 {
		l.ticker = t
	}
	c.MapWindow(w.ID)
	if err := c.Flush(); err != nil {
		return err
	}
	return l.run(ctx)
}

// A loop is the event loop of one application.
type loop struct {
	w      *Window
	prog   Program
	opt    Options
	ticker Ticker // nil unless live and timed

	mapped   bool      // the first Expose has come: time has started
	start    time.Time // when it did
	steps    []Step
	next     int       // the next step to play
	reported bool      // whether Done has been called
	tick     time.Time // the next live tick
	frames   int
}

func (l *loop) run(ctx context.Context) error {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	events := l.w.Events()
	for {
		var wake <-chan time.Time
		if at, ok := l.due(); ok {
			timer.Reset(time.Until(at))
			wake = timer.C
		}
		var drew bool
		select {
		case ev, ok := <-events:
			if !ok {
				return l.w.Err()
			}
			var err error
			drew, err = l.event(ev)
			if err == errClosed {
				return nil
			}
			if err != nil {
				return err
			}
		case <-wake:
			drew = l.advance()
		case <-ctx.Done():
			return nil
		}
		if drew {
			if err := l.endFrame(); err != nil {
				return err
			}
			if l.opt.Script != "" && l.mapped && l.next == len(l.steps) && !l.reported {
				l.reported = true
				if l.opt.Done != nil {
					l.opt.Done(Report{Frames: l.frames, Elapsed: time.Since(l.start), Stats: l.w.Stats()})
				}
			}
		}
	}
}

// due says when the loop next has something to do without an event.
func (l *loop) due() (time.Time, bool) {
	switch {
	case !l.mapped:
		return time.Time{}, false
	case l.next < len(l.steps):
		at := l.steps[l.next].At
		return l.start.Add(time.Duration(float64(at) / l.opt.Speed)), true
	case l.ticker != nil:
		return l.tick, true
	}
	return time.Time{}, false
}

// advance plays the next step or tick, if it is due. Late steps are
// played, never skipped, so that every run draws the same frames; late
// live ticks are skipped, as a clock would.
func (l *loop) advance() bool {
	now := time.Now()
	if at, ok := l.due(); !ok || now.Before(at) {
		return false
	}
	if l.next < len(l.steps) {
		l.steps[l.next].Do()
		l.next++
		return true
	}
	if l.ticker != nil {
		l.ticker.Tick(now)
		l.tick = l.tick.Add(l.opt.Period)
		if l.tick.Before(now) {
			l.tick = now.Truncate(l.opt.Period).Add(l.opt.Period)
		}
		return true
	}
	return false
}

// event handles one event and says whether a frame was drawn. It
// returns errClosed when the window manager asks the window to close.
func (l *loop) event(ev protocol.Event) (drew bool, err error) {
	w := l.w
	switch ev := ev.(type) {
	case *protocol.ExposeEvent:
		if ev.Count > 0 {
			return false, nil
		}
		l.prog.Draw()
		if !l.mapped {
			l.mapped = true
			l.start = time.Now()
			l.tick = l.start.Truncate(l.opt.Period).Add(l.opt.Period)
		}
		return true, nil
	case *protocol.GraphicsExposureEvent:
		// A CopyArea's source was obscured: redraw all, as for Expose.
		if ev.Count > 0 {
			return false, nil
		}
		l.prog.Draw()
		return true, nil
	case *protocol.NoExposureEvent:
		return false, nil
	case *protocol.ConfigureNotifyEvent:
		if xlib.Window(ev.Window) == w.ID {
			w.Size = image.Pt(int(ev.Width), int(ev.Height))
		}
	case *protocol.ClientMessageEvent:
		if w.isDelete(ev) {
			return false, errClosed
		}
		return false, nil
	case *protocol.MapNotifyEvent, *protocol.UnmapNotifyEvent, *protocol.ReparentNotifyEvent,
		*protocol.GravityNotifyEvent, *protocol.DestroyNotifyEvent, *protocol.CirculateNotifyEvent:
		return false, nil
	case *protocol.Error:
		return false, fmt.Errorf("X error: %v", ev)
	}
	if l.opt.Script != "" {
		return false, nil
	}
	l.prog.Input(ev)
	return true, nil
}

// errClosed ends the loop when the window manager closes the window.
var errClosed = errors.New("the window was closed")

// endFrame sends the frame: a flush, or with --sync a round trip.
func (l *loop) endFrame() error {
	l.frames++
	if l.opt.Sync {
		return l.w.Sync()
	}
	return l.w.Flush()
}
