//go:build linux

package clients_test

// The sample applications as commands, on netdisplay and on Xvfb. The
// test binary is each of them too: run with $NETDISPLAY_SAMPLE set to an
// application's name, it is that application (app.Main), so the tests
// run the very commands, flags and all, without building six binaries.

import (
	"bufio"
	"errors"
	"fmt"
	"image"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"netdisplay/clients/app"
	"netdisplay/clients/app/anim"
	"netdisplay/clients/app/clock"
	"netdisplay/clients/app/edit"
	"netdisplay/clients/app/eyes"
	"netdisplay/clients/app/paint"
	"netdisplay/clients/app/slideshow"
	"netdisplay/clients/internal/apptest"
	"netdisplay/internal/peer"
	"netdisplay/xlib"
)

var samples = []app.App{clock.App, eyes.App, paint.App, edit.App, slideshow.App, anim.App}

func TestMain(m *testing.M) {
	if name := os.Getenv("NETDISPLAY_SAMPLE"); name != "" {
		for _, a := range samples {
			if a.Name == name {
				app.Main(a)
				os.Exit(0)
			}
		}
		fmt.Fprintf(os.Stderr, "no sample application %q\n", name)
		os.Exit(2)
	}
	os.Exit(m.Run())
}

// A command is a sample application running as its own process.
type command struct {
	cmd    *exec.Cmd
	mu     sync.Mutex
	stdout []string // its lines so far
	stderr strings.Builder
	exited chan struct{}
	err    error
}

// start runs a sample application on display with args.
func start(t testing.TB, name, display string, args ...string) *command {
	t.Helper()
	c := &command{cmd: exec.Command(os.Args[0], args...), exited: make(chan struct{})}
	c.cmd.Env = append(os.Environ(), "NETDISPLAY_SAMPLE="+name, "DISPLAY="+display)
	out, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	c.cmd.Stderr = c
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		s := bufio.NewScanner(out)
		for s.Scan() {
			c.mu.Lock()
			c.stdout = append(c.stdout, s.Text())
			c.mu.Unlock()
		}
		c.err = c.cmd.Wait()
		close(c.exited)
	}()
	t.Cleanup(func() {
		c.cmd.Process.Kill()
		<-c.exited
	})
	return c
}

// Write collects the command's stderr.
func (c *command) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stderr.Write(p)
}

// waitDone waits for the command to say that its script has played.
func (c *command) waitDone(t testing.TB, timeout time.Duration) string {
	t.Helper()
	deadline := time.After(timeout)
	for {
		c.mu.Lock()
		for _, l := range c.stdout {
			if strings.HasPrefix(l, "done") {
				c.mu.Unlock()
				return l
			}
		}
		c.mu.Unlock()
		select {
		case <-c.exited:
			t.Fatalf("%s exited before its script was done: %v\n%s", c.cmd.Path, c.err, c.errors())
		case <-deadline:
			t.Fatalf("no \"done\" after %v; stderr:\n%s", timeout, c.errors())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func (c *command) errors() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stderr.String()
}

// TestScriptsMatchXvfb plays each application's short script on
// netdisplay and on Xvfb and compares the last frames, as xwd sees them.
// They must be identical: no pixel may differ, since both servers draw
// every request the applications make (wide lines, arcs, polygons, the
// bitmap fonts, images) the same way, to the pixel.
// Setting $NETDISPLAY_CLIENT_SHOTS to a directory saves netdisplay's
// frames there as clients-NAME.png, for the documentation.
func TestScriptsMatchXvfb(t *testing.T) {
	peer.Need(t, "Xvfb", "xwd")
	for _, a := range samples {
		t.Run(a.Name, func(t *testing.T) {
			t.Parallel()
			ours, _ := apptest.Netdisplay(t, 640, 480)
			xvfb := peer.Xvfb(t, 640, 480)
			var shots [2]*image.RGBA
			for i, d := range []string{ours, xvfb} {
				c := start(t, a.Name, d, "--script")
				line := c.waitDone(t, 15*time.Second)
				t.Logf("%s: %s", d, line)
				shots[i] = peer.StableCapture(t, d, a.Name)
				select {
				case <-c.exited:
					t.Fatalf("%s exited after its script on %s: %v\n%s", a.Name, d, c.err, c.errors())
				default: // the last frame stays up until it is killed
				}
			}
			if shots[0].Bounds().Size() != a.Size {
				t.Errorf("window is %v, want the default size %v", shots[0].Bounds().Size(), a.Size)
			}
			if dir := os.Getenv("NETDISPLAY_CLIENT_SHOTS"); dir != "" {
				if err := apptest.WritePNG(filepath.Join(dir, "clients-"+a.Name+".png"), shots[0]); err != nil {
					t.Error(err)
				}
			}
			n, box := peer.DiffImages(shots[0], shots[1])
			if n != 0 {
				pa := apptest.SavePNG(t, shots[0], a.Name+"-netdisplay.png")
				pb := apptest.SavePNG(t, shots[1], a.Name+"-xvfb.png")
				t.Errorf("%d pixels differ between netdisplay and Xvfb (within %v); see %s and %s", n, box, pa, pb)
			}
		})
	}
}

// TestSyncIsOneRoundTripAFrame plays each application's short script
// pipelined and with --sync: the frames are the same, and --sync adds one
// round trip for each, which is what the benchmark shows over a slow link.
func TestSyncIsOneRoundTripAFrame(t *testing.T) {
	for _, a := range samples {
		t.Run(a.Name, func(t *testing.T) {
			t.Parallel()
			var reports [2]app.Report
			for i, sync := range []bool{false, true} {
				display, _ := apptest.Netdisplay(t, 640, 480)
				reports[i] = apptest.Start(t, display, a, app.Options{Script: app.Short, Sync: sync}).Done(t)
			}
			async, sync := reports[0], reports[1]
			if async.Frames != sync.Frames {
				t.Fatalf("%d frames pipelined, %d with --sync", async.Frames, sync.Frames)
			}
			if got := sync.Stats.RoundTrips - async.Stats.RoundTrips; got != uint64(sync.Frames) {
				t.Errorf("--sync made %d more round trips than pipelined for %d frames (%d and %d in all)",
					got, sync.Frames, sync.Stats.RoundTrips, async.Stats.RoundTrips)
			}
			t.Logf("%d frames; pipelined %d round trips, %d requests in %d writes; --sync %d round trips",
				async.Frames, async.Stats.RoundTrips, async.Stats.Requests, async.Stats.Writes, sync.Stats.RoundTrips)
		})
	}
}

// TestServerGoesAway runs each application live, as a command, and stops
// the server under it: it must exit, with status 1 and a message that
// says so.
func TestServerGoesAway(t *testing.T) {
	for _, a := range samples {
		t.Run(a.Name, func(t *testing.T) {
			t.Parallel()
			display, srv := apptest.Netdisplay(t, 640, 480)
			c := start(t, a.Name, display)
			apptest.WaitFor(t, "the window", 20*time.Second, func() bool {
				_, err := peer.Capture(display, a.Name)
				return err == nil
			})
			srv.Close()
			select {
			case <-c.exited:
			case <-time.After(10 * time.Second):
				t.Fatal("still running 10s after the server went away")
			}
			var exit *exec.ExitError
			if !errors.As(c.err, &exit) || exit.ExitCode() != 1 {
				t.Errorf("exit %v, want status 1", c.err)
			}
			want := a.Name + ": lost the X server at " + display + ": "
			if msg := c.errors(); !strings.HasPrefix(msg, want) || strings.Count(msg, "\n") != 1 {
				t.Errorf("it said %q; want one line starting %q", msg, want)
			}
		})
	}
}

// TestResize plays each application's script, then makes its window
// larger: it must fill the new size (what was not there before is not
// all background), and show what it shows when made to redraw from
// scratch (an Expose of the whole window).
func TestResize(t *testing.T) {
	peer.Need(t, "xwd")
	for _, a := range samples {
		t.Run(a.Name, func(t *testing.T) {
			t.Parallel()
			display, _ := apptest.Netdisplay(t, 800, 600)
			apptest.Start(t, display, a, app.Options{Script: app.Short}).Done(t)
			c, err := xlib.Open(display)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			w := apptest.FindWindow(t, c, a.Name)
			size := a.Size.Add(image.Pt(100, 60))
			c.MoveResizeWindow(w, image.Rectangle{Max: size})
			c.Sync()
			var resized *image.RGBA
			apptest.WaitFor(t, "the new size", 20*time.Second, func() bool {
				resized = peer.StableCapture(t, display, a.Name)
				return resized.Bounds().Size() == size
			})
			bg := color.RGBA{0xff, 0xff, 0xff, 0xff}
			if a.Background != nil {
				bg = color.RGBAModel.Convert(a.Background).(color.RGBA)
			}
			drawn := 0
			for y := range size.Y {
				for x := range size.X {
					if !(image.Point{x, y}).In(image.Rectangle{Max: a.Size}) && resized.RGBAAt(x, y) != bg {
						drawn++
					}
				}
			}
			if drawn == 0 {
				t.Errorf("nothing drawn beyond the old size; see %s", apptest.SavePNG(t, resized, a.Name+"-resized.png"))
			}

			redrawn(t, c, w, display, a.Name, resized)

			// Smaller, too.
			size = a.Size.Sub(image.Pt(40, 30))
			c.MoveResizeWindow(w, image.Rectangle{Max: size})
			c.Sync()
			apptest.WaitFor(t, "the new size", 20*time.Second, func() bool {
				resized = peer.StableCapture(t, display, a.Name)
				return resized.Bounds().Size() == size
			})
			redrawn(t, c, w, display, a.Name, resized)
		})
	}
}

// redrawn checks that a window shows what it shows after an Expose of
// all of it: that it has drawn itself whole.
func redrawn(t *testing.T, c *xlib.Conn, w xlib.Window, display, name string, shown *image.RGBA) {
	t.Helper()
	c.ClearArea(w, image.Rectangle{}, true)
	c.Sync()
	var again *image.RGBA
	deadline := time.Now().Add(5 * time.Second)
	for {
		again = peer.StableCapture(t, display, name)
		n, box := peer.DiffImages(shown, again)
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("at %v, %d pixels (within %v) differ from a redraw; see %s and %s", shown.Bounds().Size(), n, box,
				apptest.SavePNG(t, shown, name+"-resized.png"), apptest.SavePNG(t, again, name+"-redrawn.png"))
		}
	}
}

// TestBenchScripts plays each application's benchmark script, fifty times
// faster than it runs for the benchmark: it must last 10 to 60 seconds of
// script time and play every step as a frame. The short script, for its
// part, must be done in 2.5 seconds of script time, so that it is done in
// 3 even on a busy machine.
func TestBenchScripts(t *testing.T) {
	for _, a := range samples {
		t.Run(a.Name, func(t *testing.T) {
			t.Parallel()
			display, _ := apptest.Netdisplay(t, 640, 480)
			var steps []app.Step
			bench := apptest.Scripted(a, func(p app.Program) []app.Step {
				short, err := p.Script(app.Short)
				switch {
				case err != nil:
					t.Error(err)
				case len(short) == 0:
					t.Error("the short script has no steps")
				case short[len(short)-1].At > 2500*time.Millisecond:
					t.Errorf("the short script lasts %v", short[len(short)-1].At)
				}
				if steps, err = p.Script(app.Bench); err != nil {
					t.Error(err)
				}
				return steps
			})
			rep := apptest.Start(t, display, bench, app.Options{Script: app.Bench, Speed: 50}).Done(t)
			length := steps[len(steps)-1].At
			if length < 10*time.Second || length > 60*time.Second {
				t.Errorf("the benchmark's script lasts %v", length)
			}
			for i := 1; i < len(steps); i++ {
				if steps[i].At < steps[i-1].At {
					t.Fatalf("step %d at %v comes before step %d at %v", i, steps[i].At, i-1, steps[i-1].At)
				}
			}
			if rep.Frames != len(steps)+1 {
				t.Errorf("%d frames for %d steps and the first Expose", rep.Frames, len(steps))
			}
			t.Logf("%v of script, %d frames: %d requests, %d bytes sent, %d received; played in %v at speed 50",
				length, rep.Frames, rep.Stats.Requests, rep.Stats.BytesSent, rep.Stats.BytesReceived, rep.Elapsed.Round(time.Millisecond))
		})
	}
}
