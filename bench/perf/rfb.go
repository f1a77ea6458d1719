package perf

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"

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

// An RFBResult is one workload with one encoding on one server.
type RFBResult struct {
	Workload, Encoding, Server string
	Bytes                      int64
	Updates                    int64
	ServerCPU                  time.Duration
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
		Bytes: after.BytesIn - before.BytesIn, Updates: after.Updates - before.Updates, ServerCPU: cpu1 - cpu0}, nil
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
	fmt.Fprintf(w, "| workload | encoding | %s bytes | %s bytes | bytes ratio | %s CPU | %s CPU | CPU ratio |\n|---|---|---:|---:|---:|---:|---:|---:|\n", a, b, a, b)
	for _, k := range order {
		ra, rb := by[k][a], by[k][b]
		fmt.Fprintf(w, "| %s | %s | %s | %s | %.2f | %v | %v | %.2f |\n", k.wl, k.enc,
			bytesHuman(ra.Bytes), bytesHuman(rb.Bytes), ratio(float64(ra.Bytes), float64(rb.Bytes)),
			ra.ServerCPU.Round(10*time.Millisecond), rb.ServerCPU.Round(10*time.Millisecond), ratio(float64(ra.ServerCPU), float64(rb.ServerCPU)))
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
