// Package bench is netdisplay's benchmark harness: it runs each workload
// in each mode over each emulated link, with the same scripted input,
// and measures what crossed the link, how long each interaction took to
// show, the frames, the CPU time of each party, and whether the final
// frame is the same in every mode; then it writes the report.
//
// Topologies are faithful to each design. X mode: application ⇄ link ⇄
// display, where the display is netdisplay's X server, in the harness.
// Pixel mode: application ⇄ local socket ⇄ netdisplay serve ⇄ link ⇄
// RFB viewer, in the harness, decoding every update into a framebuffer.
// The applications and the pixel-mode server are child processes, so
// that their CPU time is theirs.
//
// Latency is measured in slow motion (Nieh et al.): an interactive
// workload first plays its input at a person's pace, for its traffic;
// then it plays a number of further inputs one at a time, each injected
// at the display side when the display is quiet, and takes as its
// latency the time until the display has shown the whole answer.
package bench

import (
	"context"
	"fmt"
	"image"
	"os"
	"runtime"
	"sort"
	"strings"
	"time"

	"netdisplay/bench/link"
)

// Config says what to run.
type Config struct {
	// Exe is the netdisplay binary, for the children: netdisplay app
	// NAME runs a sample application, netdisplay serve the pixel-mode
	// server.
	Exe       string
	Workloads []Workload
	Modes     []Mode
	Links     []link.Profile
	Scale     Scale
	// Screen is the display's size; zero means 640×480.
	Screen image.Point
	// Progress, if set, hears of each run as it starts.
	Progress func(Progress)
}

// Progress says where a benchmark is.
type Progress struct {
	Index, Total         int
	Workload, Mode, Link string
	Elapsed, Left        time.Duration
	Skipped              string // why a run was skipped, if it was
	Done                 bool   // the run has finished
	Result               *Result
}

// A Harness runs a benchmark.
type Harness struct {
	cfg Config
}

// A Result is one workload in one mode over one link.
type Result struct {
	Workload string  `json:"workload"`
	Mode     string  `json:"mode"`
	Link     string  `json:"link"`
	RTTms    float64 `json:"rtt_ms"`
	JitterMs float64 `json:"jitter_ms,omitempty"` // each direction's, at most
	RateMbit float64 `json:"rate_mbit"`
	// Error says why the run failed or was cut short; the numbers are
	// then what was measured up to that point.
	Error string `json:"error,omitempty"`
	// Settled is false when the display was still busy at the deadline.
	Settled bool `json:"settled"`
	// Seconds is the work's duration: from the application's start to
	// the display's showing its last change.
	Seconds float64 `json:"seconds"`

	// Bytes on the emulated wire during the work (compressed when the
	// link compresses), to the display (X requests, RFB updates) and
	// from it (X replies and events, RFB input and update requests).
	ToDisplay   int64 `json:"to_display_bytes"`
	FromDisplay int64 `json:"from_display_bytes"`
	// Uncompressed, and the independent count of the same.
	RawToDisplay     int64 `json:"raw_to_display_bytes"`
	RawFromDisplay   int64 `json:"raw_from_display_bytes"`
	IndepToDisplay   int64 `json:"indep_to_display_bytes"`
	IndepFromDisplay int64 `json:"indep_from_display_bytes"`
	// SetupBytes is what crossed before the work (pixel mode: the RFB
	// handshake and the first frame of the empty screen).
	SetupBytes int64 `json:"setup_bytes"`

	MsgToDisplay   Messages `json:"messages_to_display"`
	MsgFromDisplay Messages `json:"messages_from_display"`

	// Bandwidth to the display, bytes a second: over the work, and the
	// highest over any second of it.
	MeanBps float64 `json:"mean_bytes_per_s"`
	PeakBps float64 `json:"peak_bytes_per_s"`

	Latency Latency `json:"latency"`

	// FramesProduced is what a scripted application drew; FramesShown
	// what the display showed of them: all of them in X mode, which
	// cannot drop a frame, and in pixel mode the updates that changed
	// pixels, at most one a frame.
	FramesProduced int `json:"frames_produced,omitempty"`
	FramesShown    int `json:"frames_shown,omitempty"`

	// CPU time, seconds: the application(s), the server in pixel mode,
	// and the harness process, which is the display (the X server, or
	// the RFB viewer) and also runs the link emulation.
	CPUApp     float64 `json:"cpu_app_s"`
	CPUServer  float64 `json:"cpu_server_s"`
	CPUDisplay float64 `json:"cpu_display_s"`

	// Frame compares the final frame with the first run's of the same
	// workload: "reference", "same", or how it differs.
	Frame      string  `json:"frame"`
	FrameDiff  int     `json:"frame_diff_pixels"`
	FrameMaxΔ  int     `json:"frame_max_delta"`
	FrameMeanΔ float64 `json:"frame_mean_delta"`

	final *image.RGBA
}

// Latency summarises the probes, in milliseconds.
type Latency struct {
	N    int     `json:"n"`
	Lost int     `json:"lost,omitempty"`
	P50  float64 `json:"p50_ms"`
	P95  float64 `json:"p95_ms"`
	P99  float64 `json:"p99_ms"`
	Mean float64 `json:"mean_ms"`
	Min  float64 `json:"min_ms"`
	Max  float64 `json:"max_ms"`
}

func summarise(ds []time.Duration, lost int) Latency {
	l := Latency{N: len(ds), Lost: lost}
	if len(ds) == 0 {
		return l
	}
	ms := make([]float64, len(ds))
	var sum float64
	for i, d := range ds {
		ms[i] = float64(d) / 1e6
		sum += ms[i]
	}
	sort.Float64s(ms)
	l.P50, l.P95, l.P99 = percentile(ms, 50), percentile(ms, 95), percentile(ms, 99)
	l.Mean, l.Min, l.Max = sum/float64(len(ms)), ms[0], ms[len(ms)-1]
	return l
}

// percentile is the nearest-rank percentile of sorted values.
func percentile(sorted []float64, p float64) float64 {
	k := int(float64(len(sorted))*p/100+0.999999) - 1
	return sorted[max(0, min(k, len(sorted)-1))]
}

// A Report is a benchmark's results and what they were measured on.
type Report struct {
	Started     time.Time `json:"started"`
	Seconds     float64   `json:"seconds"`
	Quick       bool      `json:"quick"`
	Interrupted bool      `json:"interrupted,omitempty"`
	Machine     Machine   `json:"machine"`
	Workloads   []string  `json:"workloads"`
	Modes       []string  `json:"modes"`
	Links       []string  `json:"links"`
	Skipped     []string  `json:"skipped,omitempty"`
	Results     []Result  `json:"results"`
	// About describes the workloads, modes and links by name.
	About map[string]string `json:"about"`
}

// Machine is what the benchmark ran on.
type Machine struct {
	OS, Arch, CPU, Go string
	Cores             int
}

func machine() Machine {
	return Machine{OS: runtime.GOOS, Arch: runtime.GOARCH, CPU: cpuModel(), Go: runtime.Version(), Cores: runtime.NumCPU()}
}

// Run runs the benchmark. When ctx is cancelled (Ctrl-C) it stops the
// run under way and returns the report of what finished, with
// Interrupted set.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.Screen == (image.Point{}) {
		cfg.Screen = image.Pt(640, 480)
	}
	if cfg.Scale.Speed == 0 {
		cfg.Scale = FullScale
	}
	h := &Harness{cfg: cfg}
	rep := &Report{Started: time.Now(), Quick: cfg.Scale.Quick, Machine: machine(), About: map[string]string{}}
	type run struct {
		w Workload
		m Mode
		l link.Profile
	}
	var plan []run
	var weights []time.Duration
	for _, w := range cfg.Workloads {
		rep.Workloads = append(rep.Workloads, w.Name)
		rep.About[w.Name] = w.About
		if err := w.available(); err != nil {
			rep.Skipped = append(rep.Skipped, fmt.Sprintf("%s: %v", w.Name, err))
			continue
		}
		for _, m := range cfg.Modes {
			if m.Sync && w.App == "" {
				continue // --sync is the sample applications'
			}
			for i, l := range cfg.Links {
				if m.Xvnc && i > 0 {
					continue // a reference line for bytes: one link is enough
				}
				plan = append(plan, run{w, m, l})
				weights = append(weights, w.Estimate(cfg.Scale)+time.Second)
			}
		}
	}
	for _, m := range cfg.Modes {
		rep.Modes = append(rep.Modes, m.Name)
		rep.About[m.Name] = m.About
		if err := m.available(); err != nil {
			rep.Skipped = append(rep.Skipped, fmt.Sprintf("%s: %v", m.Name, err))
		}
	}
	for _, l := range cfg.Links {
		rep.Links = append(rep.Links, l.Name)
		rep.About[l.Name] = l.String()
	}
	var estimated, spent time.Duration
	for _, w := range weights {
		estimated += w
	}
	start := time.Now()
	refs := map[string]*image.RGBA{}
	for i, r := range plan {
		if ctx.Err() != nil {
			rep.Interrupted = true
			break
		}
		p := Progress{Index: i + 1, Total: len(plan), Workload: r.w.Name, Mode: r.m.Name, Link: r.l.Name, Elapsed: time.Since(start)}
		// What is left, by the estimates, corrected by how the estimates
		// have done so far.
		var left time.Duration
		for _, w := range weights[i:] {
			left += w
		}
		if spent > 0 {
			left = time.Duration(float64(left) * float64(time.Since(start)) / float64(spent))
		}
		p.Left = left
		if err := r.m.available(); err != nil {
			p.Skipped = err.Error()
			spent += weights[i]
			if cfg.Progress != nil {
				cfg.Progress(p)
			}
			continue
		}
		if cfg.Progress != nil {
			cfg.Progress(p)
		}
		res := h.runOne(ctx, r.w, r.m, r.l)
		if ctx.Err() != nil {
			// A run cut short by Ctrl-C is not a result.
			rep.Interrupted = true
			break
		}
		key := r.w.Name
		res.compare(refs[key], r.m.Lossy)
		if refs[key] == nil && res.final != nil && res.Error == "" {
			refs[key] = res.final
		}
		res.final = nil
		rep.Results = append(rep.Results, res)
		spent += weights[i]
		if cfg.Progress != nil {
			p.Done, p.Result, p.Elapsed = true, &rep.Results[len(rep.Results)-1], time.Since(start)
			cfg.Progress(p)
		}
	}
	rep.Seconds = time.Since(rep.Started).Seconds()
	if rep.Interrupted {
		return rep, context.Canceled
	}
	return rep, nil
}

// runOne runs a workload in a mode over a link.
func (h *Harness) runOne(ctx context.Context, w Workload, m Mode, p link.Profile) Result {
	res := Result{Workload: w.Name, Mode: m.Name, Link: p.Name, RTTms: float64(p.RTT) / 1e6, JitterMs: float64(p.Jitter) / 1e6, RateMbit: float64(p.Rate) / 1e6}
	cpu0 := selfCPU()
	s, err := newSession(ctx, h, m, p, h.cfg.Scale)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	defer s.close()
	setup := s.traffic()
	res.SetupBytes = setup.ToDisplay + setup.FromDisplay
	start := time.Now()
	deadline := start.Add(4*w.Estimate(h.cfg.Scale) + 60*time.Second)
	frames, err := w.run(ctx, s)
	if err != nil {
		res.Error = err.Error()
	}
	res.Settled = s.settle(ctx, deadline)
	if !res.Settled && res.Error == "" {
		res.Error = "the display was still busy at the deadline"
	}
	_, last := s.changes.get()
	end := time.Now()
	if last.After(start) {
		end = last
	}
	res.Seconds = end.Sub(start).Seconds()
	t := s.stableTraffic().minus(setup)
	res.ToDisplay, res.FromDisplay = t.ToDisplay, t.FromDisplay
	res.RawToDisplay, res.RawFromDisplay = t.RawToDisplay, t.RawFromDisplay
	res.IndepToDisplay, res.IndepFromDisplay = t.IndepToDisplay, t.IndepFromDisplay
	res.MsgToDisplay, res.MsgFromDisplay = t.MsgToDisplay, t.MsgFromDisplay
	if res.Seconds > 0 {
		res.MeanBps = float64(res.ToDisplay) / res.Seconds
	}
	res.PeakBps = max(s.peak(start), 0)
	s.mu.Lock()
	res.Latency = summarise(s.latencies, s.lost)
	s.mu.Unlock()
	if w.Scripted {
		res.FramesProduced = frames
		res.FramesShown = frames
		if m.Pixel {
			res.FramesShown = min(int(t.MsgToDisplay.Updates), frames)
		}
		if !res.Settled {
			res.FramesShown = 0
		}
	}
	res.final = s.finalFrame()
	res.CPUApp = s.stopApps().Seconds()
	res.CPUServer = s.stopServer().Seconds()
	res.CPUDisplay = (selfCPU() - cpu0).Seconds()
	return res
}

// compare sets the frame check against the reference.
func (r *Result) compare(ref *image.RGBA, lossy bool) {
	switch {
	case r.final == nil:
		r.Frame = "none"
		return
	case ref == nil:
		r.Frame = "reference"
		return
	case ref.Rect != r.final.Rect:
		r.Frame = "differs: size"
		return
	}
	var sum int64
	for i := 0; i < len(ref.Pix); i += 4 {
		d := 0
		for c := range 3 {
			d = max(d, absInt(int(ref.Pix[i+c])-int(r.final.Pix[i+c])))
		}
		if d > 0 {
			r.FrameDiff++
			r.FrameMaxΔ = max(r.FrameMaxΔ, d)
			sum += int64(d)
		}
	}
	r.FrameMeanΔ = float64(sum) / float64(len(ref.Pix)/4)
	switch {
	case r.FrameDiff == 0:
		r.Frame = "same"
	case lossy && r.FrameMeanΔ < FrameTolerance:
		r.Frame = "close"
	default:
		r.Frame = "differs"
	}
}

// FrameTolerance is the mean difference per pixel (of the largest
// channel difference, over the whole screen) allowed a lossy mode's
// final frame: JPEG at quality level 8 loses some 5 levels on the
// slideshow's photo-like pictures, and under 1 on the animation.
const FrameTolerance = 8.0

func absInt(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// cpuModel is the processor's name, from /proc/cpuinfo.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}
