package perf

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"netdisplay/bench/link"
	"netdisplay/pixelproto"
)

// An RFBServer is a VNC server running an X display: netdisplay serve, or
// TigerVNC's Xvnc.
type RFBServer struct {
	Name  string
	Start func(ctx context.Context) (*RFBRun, error)
}

// An RFBRun is a started RFB server.
type RFBRun struct {
	Display string // for the X workload
	Addr    string // for the viewer
	PID     int    // whose CPU time counts
	Stop    func()
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func waitPort(ctx context.Context, addr string) error {
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("nothing listens on %s", addr)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// NetdisplayRFB starts `netdisplay serve` with RFB.
func NetdisplayRFB(bin string, w, h int) RFBServer {
	return RFBServer{Name: "netdisplay", Start: func(ctx context.Context) (*RFBRun, error) {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		cmd := exec.CommandContext(ctx, bin, "serve", "--geometry", fmt.Sprintf("%dx%d", w, h), "--rfb", fmt.Sprintf("127.0.0.1:%d", port), "--listen", "none")
		out, err := cmd.StdoutPipe()
		if err != nil {
			return nil, err
		}
		if err := cmd.Start(); err != nil {
			return nil, err
		}
		line, err := bufio.NewReader(out).ReadString('\n')
		go io.Copy(io.Discard, out)
		m := regexp.MustCompile(`display=(:\d+)`).FindStringSubmatch(line)
		if err != nil || m == nil {
			cmd.Process.Kill()
			cmd.Wait()
			return nil, fmt.Errorf("netdisplay serve said %q (%v)", line, err)
		}
		return &RFBRun{Display: m[1], Addr: fmt.Sprintf("127.0.0.1:%d", port), PID: cmd.Process.Pid,
			Stop: func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }}, nil
	}}
}

// XvncRFB starts TigerVNC's Xvnc on a free display.
func XvncRFB(w, h int, display int) RFBServer {
	return RFBServer{Name: "Xvnc", Start: func(ctx context.Context) (*RFBRun, error) {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		cmd := exec.CommandContext(ctx, "Xvnc", fmt.Sprintf(":%d", display), "-localhost", "-SecurityTypes", "None",
			"-geometry", fmt.Sprintf("%dx%d", w, h), "-depth", "24", "-rfbport", strconv.Itoa(port),
			"-BlacklistThreshold", "100000", "-AlwaysShared", "-nolisten", "tcp")
		if err := cmd.Start(); err != nil {
			return nil, err
		}
		addr := fmt.Sprintf("127.0.0.1:%d", port)
		wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if err := waitPort(wctx, addr); err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			return nil, err
		}
		return &RFBRun{Display: fmt.Sprintf(":%d", display), Addr: addr, PID: cmd.Process.Pid,
			Stop: func() { cmd.Process.Kill(); cmd.Wait() }}, nil
	}}
}

// cpuTime reads a process's user+system CPU time.
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the command name, which is in parentheses.
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(fields[11], 10, 64)
	st, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(ut+st) * time.Second / 100 // clock ticks of 1/100 s on Linux
}

// A Workload is X clients doing some work on a display for a while.
type Workload struct {
	Name string
	// Run runs the work on display and returns when it is done.
	Run func(ctx context.Context, display string) error
}

// CommandWorkload runs a command with DISPLAY set for the given time
// (or until it exits), then kills it.
func CommandWorkload(name string, d time.Duration, argv ...string) Workload {
	return Workload{Name: name, Run: func(ctx context.Context, display string) error {
		ctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
		cmd.Env = append(os.Environ(), "DISPLAY="+display)
		if err := cmd.Start(); err != nil {
			return err
		}
		cmd.Wait()
		return nil
	}}
}

// AppWorkload plays the benchmark script of a sample application (bin,
// built by BuildApps) and ends it when the application says it is done.
func AppWorkload(name, bin string, args ...string) Workload {
	label := strings.Join(append([]string{name, "--script=bench"}, args...), " ")
	return Workload{Name: label, Run: func(ctx context.Context, display string) error {
		app, err := StartApp(ctx, bin, display, args...)
		if err != nil {
			return err
		}
		defer app.Stop()
		select {
		case <-app.Done:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(3 * time.Minute):
			return fmt.Errorf("%s did not finish its script", name)
		}
	}}
}

// An App is a sample application playing its benchmark script.
type App struct {
	cmd *exec.Cmd
	// Done is closed when the application says its script has played.
	Done chan struct{}
}

// StartApp starts bin on display with --script=bench and args.
func StartApp(ctx context.Context, bin, display string, args ...string) (*App, error) {
	cmd := exec.CommandContext(ctx, bin, append([]string{"-display", display, "--script=bench"}, args...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	a := &App{cmd: cmd, Done: make(chan struct{})}
	go func() {
		sc := bufio.NewScanner(out)
		done := false
		for sc.Scan() {
			if !done && strings.HasPrefix(sc.Text(), "done") {
				done = true
				close(a.Done)
			}
		}
	}()
	return a, nil
}

// Stop ends the application.
func (a *App) Stop() {
	a.cmd.Process.Signal(syscall.SIGTERM)
	a.cmd.Wait()
}

// BuildApps builds the named sample applications (clients/NAME) into dir,
// once for all the runs, and returns their paths by name.
func BuildApps(ctx context.Context, dir string, names ...string) (map[string]string, error) {
	mod, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil || len(bytes.TrimSpace(mod)) == 0 {
		return nil, fmt.Errorf("building the sample applications needs the go command in the netdisplay module: %v", err)
	}
	root := filepath.Dir(string(bytes.TrimSpace(mod)))
	bins := map[string]string{}
	for _, n := range names {
		bin := filepath.Join(dir, n)
		cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./clients/"+n)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("go build ./clients/%s: %v\n%s", n, err, out)
		}
		bins[n] = bin
	}
	return bins, nil
}

// An RFBResult is one workload with one encoding on one server.
type RFBResult struct {
	Workload, Encoding, Server string
	Bytes                      int64
	Updates                    int64
	// Pixels is the area of the rectangles sent with pixels (CopyRect
	// and pseudo-encodings left out): where two servers' bytes differ,
	// it says whether they sent more area or coded it less tightly.
	Pixels, Rects int64
	ServerCPU     time.Duration
}

// RFBBytes runs each workload on each server with a viewer of each
// encoding watching, and measures the bytes the viewer received and the
// server's CPU time.
func RFBBytes(ctx context.Context, servers []RFBServer, workloads []Workload, encodings []pixelproto.Encoding, progress func(string)) ([]RFBResult, error) {
	var out []RFBResult
	for _, wl := range workloads {
		for _, enc := range encodings {
			for _, s := range servers {
				if progress != nil {
					progress(fmt.Sprintf("%s, %v, on %s", wl.Name, enc, s.Name))
				}
				r, err := rfbOnce(ctx, s, wl, enc)
				if err != nil {
					return out, fmt.Errorf("%s on %s with %v: %w", wl.Name, s.Name, enc, err)
				}
				out = append(out, r)
			}
		}
	}
	return out, nil
}

func rfbOnce(ctx context.Context, s RFBServer, wl Workload, enc pixelproto.Encoding) (RFBResult, error) {
	run, err := s.Start(ctx)
	if err != nil {
		return RFBResult{}, err
	}
	defer run.Stop()
	dctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	c, err := pixelproto.Dial(dctx, run.Addr, pixelproto.ClientConfig{Encodings: []pixelproto.Encoding{enc, pixelproto.CopyRect}})
	if err != nil {
		return RFBResult{}, err
	}
	defer c.Close()
	select {
	case <-c.Complete():
	case <-dctx.Done():
		return RFBResult{}, fmt.Errorf("no first frame")
	}
	before, cpu0 := c.Stats(), cpuTime(run.PID)
	if err := wl.Run(ctx, run.Display); err != nil {
		return RFBResult{}, err
	}
	time.Sleep(500 * time.Millisecond) // the last updates arrive
	after, cpu1 := c.Stats(), cpuTime(run.PID)
	return RFBResult{Workload: wl.Name, Encoding: enc.String(), Server: s.Name,
		Bytes: after.BytesIn - before.BytesIn, Updates: after.Updates - before.Updates,
		Pixels: pixelArea(after) - pixelArea(before), Rects: pixelRects(after) - pixelRects(before), ServerCPU: cpu1 - cpu0}, nil
}

// pixelArea and pixelRects are the area and the number of the
// rectangles a client has received with pixels in them.
func pixelArea(st pixelproto.ClientStats) int64 {
	return sumPixelRects(st, func(e pixelproto.EncodingStats) int64 { return e.Pixels })
}

func pixelRects(st pixelproto.ClientStats) int64 {
	return sumPixelRects(st, func(e pixelproto.EncodingStats) int64 { return e.Rects })
}

func sumPixelRects(st pixelproto.ClientStats, f func(pixelproto.EncodingStats) int64) int64 {
	var n int64
	for _, e := range st.ByEncoding {
		if e.Encoding >= 0 && e.Encoding != pixelproto.CopyRect {
			n += f(e)
		}
	}
	return n
}

// RFBTable writes the results as a Markdown table comparing server a to b.
func RFBTable(w io.Writer, rs []RFBResult, a, b string) {
	type key struct{ wl, enc string }
	by := map[key]map[string]RFBResult{}
	var order []key
	for _, r := range rs {
		k := key{r.Workload, r.Encoding}
		if by[k] == nil {
			by[k] = map[string]RFBResult{}
			order = append(order, k)
		}
		by[k][r.Server] = r
	}
	fmt.Fprintf(w, "| workload | encoding | %s bytes | %s bytes | bytes ratio | %s CPU | %s CPU | CPU ratio | %s updates | %s updates | %s pixels (rects) | %s pixels (rects) |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n", a, b, a, b, a, b, a, b)
	for _, k := range order {
		ra, rb := by[k][a], by[k][b]
		fmt.Fprintf(w, "| %s | %s | %s | %s | %.2f | %v | %v | %.2f | %d | %d | %d (%d) | %d (%d) |\n", k.wl, k.enc,
			bytesHuman(ra.Bytes), bytesHuman(rb.Bytes), ratio(float64(ra.Bytes), float64(rb.Bytes)),
			ra.ServerCPU.Round(10*time.Millisecond), rb.ServerCPU.Round(10*time.Millisecond), ratio(float64(ra.ServerCPU), float64(rb.ServerCPU)),
			ra.Updates, rb.Updates, ra.Pixels, ra.Rects, rb.Pixels, rb.Rects)
	}
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func bytesHuman(n int64) string {
	switch {
	case n >= 1e6:
		return fmt.Sprintf("%.2f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1f KB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}

// A ThroughputResult is how fast netdisplay's RFB server detects the
// damage in a 1920×1080 frame whose every pixel changed and encodes it
// (pixelproto's BenchmarkFrame), on one core or more.
type ThroughputResult struct {
	Encoding  string
	Cores     int
	MBps      float64 // of the frame's pixels, at 4 bytes each
	WireBytes int64   // a frame, encoded
}

var frameBenchRE = regexp.MustCompile(`^BenchmarkFrame(\w+?)(?:-(\d+))?\s+\d+\s+[\d.]+ ns/op\s+([\d.]+) MB/s\s+(\d+) wire-B/frame`)

// FrameThroughput runs pixelproto's BenchmarkFrame with the go command,
// on 1 core and on all of them, and returns the median of rounds runs.
func FrameThroughput(ctx context.Context, rounds int) ([]ThroughputResult, error) {
	cmd := exec.CommandContext(ctx, "go", "test", "-run", "^$", "-bench", "^BenchmarkFrame", "-cpu", fmt.Sprintf("1,%d", runtime.NumCPU()),
		"-count", strconv.Itoa(rounds), "netdisplay/pixelproto")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("go test -bench BenchmarkFrame: %v\n%s", err, out)
	}
	type key struct {
		enc   string
		cores int
	}
	samples := map[key][]float64{}
	wire := map[key]int64{}
	var order []key
	for _, line := range strings.Split(string(out), "\n") {
		m := frameBenchRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		k := key{m[1], 1}
		if m[2] != "" {
			k.cores, _ = strconv.Atoi(m[2])
		}
		mbps, _ := strconv.ParseFloat(m[3], 64)
		if samples[k] == nil {
			order = append(order, k)
		}
		samples[k] = append(samples[k], mbps)
		wire[k], _ = strconv.ParseInt(m[4], 10, 64)
	}
	var rs []ThroughputResult
	for _, k := range order {
		xs := samples[k]
		slices.Sort(xs)
		rs = append(rs, ThroughputResult{Encoding: k.enc, Cores: k.cores, MBps: xs[len(xs)/2], WireBytes: wire[k]})
	}
	return rs, nil
}

// MemoryBandwidth measures copying a buffer far larger than the caches
// on one core, in MB/s of bytes copied (each read once and written once):
// the most a pass over a frame's pixels can do on this machine.
func MemoryBandwidth(rounds int) float64 {
	const size = 256 << 20
	src, dst := make([]byte, size), make([]byte, size)
	for i := range src {
		src[i] = byte(i)
	}
	var xs []float64
	for range rounds {
		r := testing.Benchmark(func(b *testing.B) {
			b.SetBytes(size)
			for b.Loop() {
				copy(dst, src)
			}
		})
		xs = append(xs, float64(r.Bytes)*float64(r.N)/r.T.Seconds()/1e6)
	}
	slices.Sort(xs)
	return xs[len(xs)/2]
}

// ThroughputTable writes the throughput against the memory bandwidth.
func ThroughputTable(w io.Writer, rs []ThroughputResult, bandwidth float64) {
	fmt.Fprintf(w, "Memory bandwidth, one core copying 256 MiB: **%.0f MB/s**.\n\n", bandwidth)
	fmt.Fprintf(w, "| encoding | cores | damage detection + encoding, MB/s | MB/s per core | share of memory bandwidth (per core) | encoded frame |\n|---|---:|---:|---:|---:|---:|\n")
	for _, r := range rs {
		per := r.MBps / float64(r.Cores)
		fmt.Fprintf(w, "| %s | %d | %.0f | %.0f | %.1f%% | %s |\n", r.Encoding, r.Cores, r.MBps, per, 100*per/bandwidth, bytesHuman(r.WireBytes))
	}
}

// A LinkResult is the frame rate a viewer gets of anim over a link.
type LinkResult struct {
	Link, Encoding string
	FPS            float64 // updates a second at the viewer
	KBps           float64 // down the link
	FrameBytes     float64 // an update, on average
}

// LinkFrameRate runs anim's benchmark script (30 frames a second) on
// netdisplay, with one viewer asking for encs and continuous updates
// through an emulated link, and counts the updates the viewer gets in d,
// after a second for things to settle.
func LinkFrameRate(ctx context.Context, bin, anim string, p link.Profile, encName string, encs []pixelproto.Encoding, d time.Duration) (LinkResult, error) {
	res := LinkResult{Link: p.Name, Encoding: encName}
	run, err := NetdisplayRFB(bin, 1280, 1024).Start(ctx)
	if err != nil {
		return res, err
	}
	defer run.Stop()
	proxy, err := link.Listen("tcp", run.Addr, p)
	if err != nil {
		return res, err
	}
	defer proxy.Close()
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	all := append(append([]pixelproto.Encoding(nil), encs...), pixelproto.CopyRect, pixelproto.PseudoLastRect, pixelproto.PseudoContinuousUpdates)
	c, err := pixelproto.Dial(dctx, proxy.Addr().String(), pixelproto.ClientConfig{Encodings: all})
	if err != nil {
		return res, err
	}
	defer c.Close()
	select {
	case <-c.Complete():
	case <-dctx.Done():
		return res, fmt.Errorf("no first frame")
	}
	app, err := StartApp(ctx, anim, run.Display)
	if err != nil {
		return res, err
	}
	defer app.Stop()
	time.Sleep(time.Second)
	before, down := c.Stats(), proxy.Counts().DownBytes
	start := time.Now()
	time.Sleep(d)
	after, down1 := c.Stats(), proxy.Counts().DownBytes
	el := time.Since(start).Seconds()
	n := after.Updates - before.Updates
	res.FPS = float64(n) / el
	res.KBps = float64(down1-down) / el / 1e3
	if n > 0 {
		res.FrameBytes = float64(down1-down) / float64(n)
	}
	return res, nil
}

// LinkTable writes the frame rates.
func LinkTable(w io.Writer, rs []LinkResult) {
	fmt.Fprintf(w, "| link | encoding | frames/s at the viewer (anim draws 30) | KB/s down | bytes an update |\n|---|---|---:|---:|---:|\n")
	for _, r := range rs {
		fmt.Fprintf(w, "| %s | %s | %.1f | %.0f | %s |\n", r.Link, r.Encoding, r.FPS, r.KBps, bytesHuman(int64(r.FrameBytes)))
	}
}

// An RSSResult is the memory of netdisplay serve under load.
type RSSResult struct {
	Size             image.Point
	Clients, Viewers int
	HWM, RSS         int64 // VmHWM, and VmRSS at the end, in bytes
	Anon, File       int64 // RssAnon and RssFile at the end: private memory, and the binary's pages
	Budget           int64 // 3 framebuffers + 30 MB
}

// ServerRSS runs netdisplay serve at w×h with the sample applications
// (clients of them, spread over the screen, cycling through bins) and
// viewers in-process watching with continuous updates, each viewer with
// the next encoding of encs, for d, and reads the server's VmHWM and
// VmRSS from /proc.
func ServerRSS(ctx context.Context, bin string, bins []string, clients, viewers, w, h int, encs []pixelproto.Encoding, d time.Duration) (RSSResult, error) {
	res := RSSResult{Size: image.Pt(w, h), Clients: clients, Viewers: viewers, Budget: 3*int64(w)*int64(h)*4 + 30e6}
	run, err := NetdisplayRFB(bin, w, h).Start(ctx)
	if err != nil {
		return res, err
	}
	defer run.Stop()
	for i := range viewers {
		dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		e := encs[i%len(encs)]
		c, err := pixelproto.Dial(dctx, run.Addr, pixelproto.ClientConfig{Encodings: []pixelproto.Encoding{e,
			pixelproto.CopyRect, pixelproto.PseudoLastRect, pixelproto.PseudoContinuousUpdates}})
		if err != nil {
			return res, err
		}
		defer c.Close()
	}
	for i := range clients {
		x, y := (i%4)*(w/4), (i/4)*(h/3)
		app, err := StartApp(ctx, bins[i%len(bins)], run.Display, "-geometry", fmt.Sprintf("+%d+%d", x, y))
		if err != nil {
			return res, err
		}
		defer app.Stop()
	}
	time.Sleep(d)
	m := procMemory(run.PID)
	res.HWM, res.RSS, res.Anon, res.File = m["VmHWM"], m["VmRSS"], m["RssAnon"], m["RssFile"]
	return res, nil
}

// procMemory reads the sizes in a process's /proc status, in bytes.
func procMemory(pid int) map[string]int64 {
	m := map[string]int64{}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return m
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 3 && f[2] == "kB" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			m[strings.TrimSuffix(f[0], ":")] = kb << 10
		}
	}
	return m
}

// RSSTable writes the memory results.
func RSSTable(w io.Writer, rs []RSSResult) {
	fmt.Fprintf(w, "| screen | X clients | viewers | peak RSS (VmHWM) | RSS at the end | of which private (RssAnon) | of which the binary's pages (RssFile) | budget: 3 framebuffers + 30 MB | peak within |\n|---|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, r := range rs {
		ok := "yes"
		if r.HWM > r.Budget {
			ok = "**no**"
		}
		fmt.Fprintf(w, "| %dx%d | %d | %d | %s | %s | %s | %s | %s | %s |\n", r.Size.X, r.Size.Y, r.Clients, r.Viewers,
			bytesHuman(r.HWM), bytesHuman(r.RSS), bytesHuman(r.Anon), bytesHuman(r.File), bytesHuman(r.Budget), ok)
	}
}
