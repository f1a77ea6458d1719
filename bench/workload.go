package bench

import (
	"context"
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"time"
)

// A Scale is how long the workloads run: --quick's, or the full run's.
type Scale struct {
	Quick bool
	// Probes is how many interactions each interactive workload plays
	// in slow motion for its latency.
	Probes int
	// Input is how long an interactive workload's input plays at a
	// person's pace, for its traffic.
	Input time.Duration
	// Speed plays the scripted applications' benchmark scripts this many
	// times faster than real time (what they draw does not change).
	Speed float64
}

// The scales.
var (
	QuickScale = Scale{Quick: true, Probes: 8, Input: 1200 * time.Millisecond, Speed: 24}
	FullScale  = Scale{Probes: 10, Input: 1500 * time.Millisecond, Speed: 20}
)

// A Workload is one piece of work the benchmark does in every mode.
type Workload struct {
	Name  string
	About string
	// App is the sample application it runs, if it runs one: --sync
	// applies only to those.
	App string
	// Needs names a program that must be installed.
	Needs string
	// Interactive workloads measure latency.
	Interactive bool
	// Scripted workloads count frames produced and delivered.
	Scripted bool
	// Estimate is roughly how long it takes at a scale, for progress.
	Estimate func(Scale) time.Duration
	run      func(ctx context.Context, s *session) (frames int, err error)
}

// The workloads, in the report's order.
var Workloads = []Workload{
	{Name: "ping", About: "a key press that toggles a square the application draws: the trivial workload for validating latency",
		App: "ping", Interactive: true, run: runPing, Estimate: probes(1)},
	{Name: "typing", About: "typing text into edit at 10 characters a second",
		App: "edit", Interactive: true, run: runTyping, Estimate: probes(1)},
	{Name: "scrolling", About: "scrolling a long file in edit: arrows, Page Down and the wheel (CopyArea and new lines)",
		App: "edit", Interactive: true, run: runScrolling, Estimate: probes(1.2)},
	{Name: "clock", About: "the clock idling for 60 s of clock time: one tick a second (played faster)",
		App: "clock", Scripted: true, run: runScripted("clock", 60*time.Second), Estimate: script(60 * time.Second)},
	{Name: "eyes", About: "eyes following a pointer path at 60 moves a second",
		App: "eyes", Interactive: true, run: runEyes, Estimate: probes(1)},
	{Name: "paint", About: "paint strokes dragged at 60 moves a second, with palette clicks",
		App: "paint", Interactive: true, run: runPaint, Estimate: probes(1)},
	{Name: "slideshow", About: "a slideshow of ten photo-like pictures, each sent whole with PutImage (played faster)",
		App: "slideshow", Scripted: true, run: runScripted("slideshow", 30*time.Second), Estimate: script(30 * time.Second)},
	{Name: "anim", About: "full-window animation at 30 frames a second (a PutImage patch and shapes each frame)",
		App: "anim", Scripted: true, run: runAnim, Estimate: script(20 * time.Second)},
	{Name: "xterm", About: "xterm scrolling the output of a command (seq)",
		Needs: "xterm", run: runXterm, Estimate: func(Scale) time.Duration { return 3 * time.Second }},
	{Name: "windows", About: "opening and closing windows: xlogo started, shown and closed, one after another",
		Needs: "xlogo", Interactive: true, run: runWindows, Estimate: func(Scale) time.Duration { return 4 * time.Second }},
}

// QuickWorkloads are --quick's.
var QuickWorkloads = []string{"typing", "eyes", "clock", "slideshow"}

func probes(f float64) func(Scale) time.Duration {
	return func(sc Scale) time.Duration {
		return time.Duration(f * float64(sc.Input+time.Duration(sc.Probes)*80*time.Millisecond+time.Second))
	}
}

func script(d time.Duration) func(Scale) time.Duration {
	return func(sc Scale) time.Duration { return time.Duration(float64(d)/sc.Speed) + time.Second }
}

// FindWorkloads looks up a comma-separated list; "all" is every one.
func FindWorkloads(list string) ([]Workload, error) {
	if list == "all" {
		return Workloads, nil
	}
	var out []Workload
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		found := false
		for _, w := range Workloads {
			if w.Name == name {
				out = append(out, w)
				found = true
			}
		}
		if !found {
			var names []string
			for _, w := range Workloads {
				names = append(names, w.Name)
			}
			return nil, fmt.Errorf("unknown workload %q (have %s)", name, strings.Join(names, ", "))
		}
	}
	return out, nil
}

// available says why a workload cannot run here, if it cannot.
func (w Workload) available() error {
	if w.Needs != "" {
		if _, err := exec.LookPath(w.Needs); err != nil {
			return fmt.Errorf("%s is not installed", w.Needs)
		}
	}
	return nil
}

// The keysyms the workloads type.
const (
	xkReturn = 0xff0d
	xkDown   = 0xff54
	xkNext   = 0xff56
	xkSpace  = 0x20
)

// pace plays steps at a person's pace: step i at start + i×every, or
// as soon as the harness can if it is late.
func pace(ctx context.Context, start time.Time, i int, every time.Duration) error {
	select {
	case <-time.After(time.Until(start.Add(time.Duration(i) * every))):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// launch starts the application and waits for its window to be drawn.
func launch(ctx context.Context, s *session, name string, args ...string) (*child, error) {
	n, _ := s.changes.get()
	c, err := s.startApp(ctx, name, args...)
	if err != nil {
		return nil, err
	}
	if err := s.waitShown(ctx, n); err != nil {
		return nil, err
	}
	return c, nil
}

func runPing(ctx context.Context, s *session) (int, error) {
	if _, err := launch(ctx, s, "ping"); err != nil {
		return 0, err
	}
	s.pointer(image.Pt(60, 40), 0) // keys go to the window under the pointer
	for range s.scale.Probes {
		if err := s.probe(ctx, func() { s.key(xkSpace, true) }); err != nil {
			return 0, err
		}
		s.key(xkSpace, false)
	}
	return 0, nil
}

// prose is seeded text to type: plain words, so the glyphs look like text.
func prose(seed uint64, n int) string {
	words := strings.Fields("the display draws what the client sends and the viewer shows pixels " +
		"round trips cost time on slow links while bandwidth costs bytes compression helps text more than photos")
	rng := rand.New(rand.NewPCG(seed, 0x7e47))
	var b strings.Builder
	for b.Len() < n {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[rng.IntN(len(words))])
	}
	return b.String()[:n]
}

func runTyping(ctx context.Context, s *session) (int, error) {
	if _, err := launch(ctx, s, "edit"); err != nil {
		return 0, err
	}
	s.pointer(image.Pt(280, 200), 0)
	// A person types ten characters a second, a new line now and then.
	const every = 100 * time.Millisecond
	text := prose(1, int(s.scale.Input/every))
	start := time.Now()
	for i, r := range text {
		if err := pace(ctx, start, i, every); err != nil {
			return 0, err
		}
		if i > 0 && i%50 == 0 {
			s.key(xkReturn, true)
			s.key(xkReturn, false)
		}
		s.typeRune(r)
	}
	if err := s.calm(ctx); err != nil {
		return 0, err
	}
	for _, r := range prose(2, s.scale.Probes) {
		if err := s.probe(ctx, func() { s.key(uint32(r), true) }); err != nil {
			return 0, err
		}
		s.key(uint32(r), false)
	}
	return 0, nil
}

func runScrolling(ctx context.Context, s *session) (int, error) {
	if _, err := launch(ctx, s, "edit"); err != nil {
		return 0, err
	}
	mid := image.Pt(280, 200)
	s.pointer(mid, 0)
	// Down arrows at a key's repeat rate, past the bottom so each
	// scrolls a line, then Page Down, then the wheel.
	const every = 50 * time.Millisecond
	n := int(s.scale.Input / every)
	start := time.Now()
	for i := range n {
		if err := pace(ctx, start, i, every); err != nil {
			return 0, err
		}
		switch {
		case i < n/2:
			s.key(xkDown, true)
			s.key(xkDown, false)
		case i < 3*n/4 && i%4 == 0:
			s.key(xkNext, true)
			s.key(xkNext, false)
		case i >= 3*n/4 && i%2 == 0:
			s.pointer(mid, 1<<4) // button 5: the wheel down
			s.pointer(mid, 0)
		}
	}
	if err := s.calm(ctx); err != nil {
		return 0, err
	}
	for range s.scale.Probes {
		if err := s.probe(ctx, func() { s.pointer(mid, 1<<4) }); err != nil {
			return 0, err
		}
		s.pointer(mid, 0)
	}
	return 0, nil
}

// runScripted runs a scripted application's benchmark script, faster by
// the scale's speed, and returns the frames it drew.
func runScripted(name string, length time.Duration) func(ctx context.Context, s *session) (int, error) {
	return func(ctx context.Context, s *session) (int, error) {
		return playScript(ctx, s, name, length, "--speed", fmt.Sprint(s.scale.Speed))
	}
}

// runAnim keeps anim at 30 frames a second of real time: faster by the
// scale's speed, at 30/speed frames a second of script time.
func runAnim(ctx context.Context, s *session) (int, error) {
	return playScript(ctx, s, "anim", 20*time.Second, "--speed", fmt.Sprint(s.scale.Speed), "--fps", fmt.Sprint(30/s.scale.Speed))
}

func playScript(ctx context.Context, s *session, name string, length time.Duration, args ...string) (int, error) {
	c, err := s.startApp(ctx, name, append([]string{"--script=bench"}, args...)...)
	if err != nil {
		return 0, err
	}
	// An application that falls behind (X on a slow link) plays every
	// step late; give it four times the script's length.
	wctx, cancel := context.WithTimeout(ctx, 4*time.Duration(float64(length)/s.scale.Speed)+30*time.Second)
	defer cancel()
	line, err := c.waitLine(wctx, "done:")
	if err != nil {
		return 0, fmt.Errorf("%s did not finish its script: %w", name, err)
	}
	var frames int
	fmt.Sscanf(line, "done: %d frames", &frames)
	return frames, nil
}

// eyePath is a seeded pointer path through waypoints in and around the
// eyes' window (240×160 at the top left), eased as a hand moves.
func eyePath(seed uint64, n int) []image.Point {
	rng := rand.New(rand.NewPCG(seed, 0xe7e5))
	way := func() (float64, float64) { return rng.Float64() * 480, rng.Float64() * 320 }
	const leg = 20
	x0, y0 := 120.0, 160.0
	x1, y1 := way()
	var out []image.Point
	for i := range n {
		k := i%leg + 1
		t := float64(k) / leg
		t = t * t * (3 - 2*t)
		out = append(out, image.Pt(int(math.Round(x0+(x1-x0)*t)), int(math.Round(y0+(y1-y0)*t))))
		if k == leg {
			x0, y0 = x1, y1
			x1, y1 = way()
		}
	}
	return out
}

const sixty = time.Second / 60

func runEyes(ctx context.Context, s *session) (int, error) {
	if _, err := launch(ctx, s, "eyes"); err != nil {
		return 0, err
	}
	start := time.Now()
	for i, p := range eyePath(3, int(s.scale.Input/sixty)) {
		if err := pace(ctx, start, i, sixty); err != nil {
			return 0, err
		}
		s.pointer(p, 0)
	}
	if err := s.calm(ctx); err != nil {
		return 0, err
	}
	// Probes look from one side to the other, so that the pupils move.
	for i := range s.scale.Probes {
		p := image.Pt(10, 150)
		if i%2 == 1 {
			p = image.Pt(400, 10)
		}
		if err := s.probe(ctx, func() { s.pointer(p, 0) }); err != nil {
			return 0, err
		}
	}
	return 0, nil
}

func runPaint(ctx context.Context, s *session) (int, error) {
	if _, err := launch(ctx, s, "paint"); err != nil {
		return 0, err
	}
	// Strokes through the canvas (below the 32-pixel toolbar), a colour
	// picked before every other one.
	rng := rand.New(rand.NewPCG(4, 0x9a17))
	start := time.Now()
	i := 0
	step := func(p image.Point, b uint8) error {
		if err := pace(ctx, start, i, sixty); err != nil {
			return err
		}
		i++
		s.pointer(p, b)
		return nil
	}
	total := int(s.scale.Input / sixty)
	for stroke := 0; i < total; stroke++ {
		if stroke%2 == 0 {
			swatch := image.Pt(6+11+28*rng.IntN(7), 16)
			if err := step(swatch, 1); err != nil {
				return 0, err
			}
			if err := step(swatch, 0); err != nil {
				return 0, err
			}
		}
		p := image.Pt(20+rng.IntN(440), 50+rng.IntN(290))
		v := image.Pt(rng.IntN(11)-5, rng.IntN(11)-5)
		for k := range 30 {
			p = p.Add(v)
			p.X = max(5, min(p.X, 474))
			p.Y = max(40, min(p.Y, 354))
			b := uint8(1)
			if k == 29 {
				b = 0
			}
			if err := step(p, b); err != nil {
				return 0, err
			}
		}
	}
	if err := s.calm(ctx); err != nil {
		return 0, err
	}
	// Probes: one drag, each move a zigzag segment.
	s.pointer(image.Pt(100, 200), 1)
	for k := range s.scale.Probes {
		p := image.Pt(100+10*k, 200+40*(k%2))
		if err := s.probe(ctx, func() { s.pointer(p, 1) }); err != nil {
			return 0, err
		}
	}
	s.pointer(image.Pt(100+10*s.scale.Probes, 200), 0)
	return 0, nil
}

func runXterm(ctx context.Context, s *session) (int, error) {
	lines := 2000
	if s.scale.Quick {
		lines = 1000
	}
	done := s.file("xterm-done")
	_, err := s.startClient(ctx, "xterm", "xterm", "-geometry", "80x24+0+0", "-e", "sh", "-c",
		fmt.Sprintf("seq 1 %d; touch %s; exec sleep 600", lines, done))
	if err != nil {
		return 0, err
	}
	for {
		if _, err := os.Stat(done); err == nil {
			return 0, nil
		}
		select {
		case <-time.After(20 * time.Millisecond):
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
}

// runWindows opens xlogo windows one after another, each closed when the
// next has been shown; the last stays. Each opening is a probe: from
// starting the client to its window drawn, when the link is quiet too,
// for the start-up's round trips leave pauses in the drawing.
func runWindows(ctx context.Context, s *session) (int, error) {
	n := 4
	if s.scale.Quick {
		n = 3
	}
	var prev *child
	for i := range n {
		geometry := fmt.Sprintf("160x160+%d+%d", 40+60*(i%5), 30+40*(i%4))
		var c *child
		err := s.probeStartup(ctx, func() {
			var err error
			c, err = s.startClient(ctx, "xlogo", "xlogo", "-geometry", geometry)
			if err != nil {
				c = nil
			}
		})
		if err != nil {
			return 0, err
		}
		if c == nil {
			return 0, fmt.Errorf("xlogo did not start")
		}
		if prev != nil {
			n, _ := s.changes.get()
			prev.stop()
			if err := s.waitShown(ctx, n); err != nil {
				return 0, fmt.Errorf("closing a window: %w", err)
			}
		}
		prev = c
	}
	return 0, nil
}
