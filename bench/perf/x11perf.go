// Package perf measures netdisplay against the reference servers side by
// side, in one run, because absolute figures on shared machines are
// noise: x11perf on netdisplay's X server against X.Org's Xvfb, and the
// bytes and CPU time of its RFB server against TigerVNC's Xvnc on the same
// X workload.
package perf

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// X11PerfTests are the tests the comparison runs.
var X11PerfTests = []string{
	"noop", "dot", "rect10", "rect100", "rect500", "seg100", "line100", "wline100",
	"fcircle100", "ftext", "f8text", "putimage10", "putimage100", "getimage100",
	"copywinwin100", "copypixwin100", "create", "map",
}

// A Server is an X server to measure: a command that starts it and says
// its display.
type Server struct {
	Name  string
	Start func(ctx context.Context) (display string, stop func(), err error)
}

// XvfbServer starts X.Org's Xvfb at the given size on a free display.
func XvfbServer(w, h int) Server {
	return Server{Name: "Xvfb", Start: func(ctx context.Context) (string, func(), error) {
		r, wr, err := os.Pipe()
		if err != nil {
			return "", nil, err
		}
		cmd := exec.CommandContext(ctx, "Xvfb", "-displayfd", "3", "-screen", "0", fmt.Sprintf("%dx%dx24", w, h), "-nolisten", "tcp", "-noreset")
		cmd.ExtraFiles = []*os.File{wr}
		if err := cmd.Start(); err != nil {
			wr.Close()
			r.Close()
			return "", nil, err
		}
		wr.Close()
		line, err := bufio.NewReader(r).ReadString('\n')
		r.Close()
		if err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			return "", nil, fmt.Errorf("Xvfb did not start: %v", err)
		}
		return ":" + strings.TrimSpace(line), func() { cmd.Process.Kill(); cmd.Wait() }, nil
	}}
}

// NetdisplayServer starts `netdisplay serve` from the binary at bin.
func NetdisplayServer(bin string, w, h int) Server {
	return Server{Name: "netdisplay", Start: func(ctx context.Context) (string, func(), error) {
		cmd := exec.CommandContext(ctx, bin, "serve", "--geometry", fmt.Sprintf("%dx%d", w, h), "--rfb", "none", "--listen", "none")
		out, err := cmd.StdoutPipe()
		if err != nil {
			return "", nil, err
		}
		if err := cmd.Start(); err != nil {
			return "", nil, err
		}
		line, err := bufio.NewReader(out).ReadString('\n')
		if err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			return "", nil, fmt.Errorf("netdisplay serve did not start: %v", err)
		}
		go io.Copy(io.Discard, out)
		m := regexp.MustCompile(`display=(:\d+)`).FindStringSubmatch(line)
		if m == nil {
			cmd.Process.Kill()
			cmd.Wait()
			return "", nil, fmt.Errorf("netdisplay serve said %q", line)
		}
		return m[1], func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }, nil
	}}
}

// A Result is one x11perf test on each server: operations per second,
// the median of the rounds.
type Result struct {
	Test  string
	Rates map[string]float64 // by server name
	Label string             // x11perf's description
}

var rateRE = regexp.MustCompile(`\(\s*([0-9.e+]+)/sec\):\s*(.*)$`)

// runX11Perf runs one x11perf test on display and returns its rate.
func runX11Perf(ctx context.Context, display, test string, seconds int) (float64, string, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Duration(seconds*8+60)*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "x11perf", "-display", display, "-repeat", "1", "-time", strconv.Itoa(seconds), "-"+test)
	out, err := cmd.Output()
	if err != nil {
		return 0, "", fmt.Errorf("x11perf -%s on %s: %v", test, display, err)
	}
	// Tests like -create print one line per repeat; the last is the
	// summary.
	var rate float64
	var label string
	for _, line := range strings.Split(string(out), "\n") {
		if m := rateRE.FindStringSubmatch(line); m != nil {
			rate, _ = strconv.ParseFloat(m[1], 64)
			label = strings.TrimSpace(m[2])
		}
	}
	if rate == 0 {
		return 0, "", fmt.Errorf("x11perf -%s on %s: no rate in %q", test, display, out)
	}
	return rate, label, nil
}

// X11Perf runs each test on every server, rounds times, alternating the
// servers within each round so that both see the same machine, and
// returns the median rates. progress, if set, is told of each step.
func X11Perf(ctx context.Context, servers []Server, tests []string, rounds, seconds int, progress func(string)) ([]Result, error) {
	displays := make([]string, len(servers))
	for i, s := range servers {
		d, stop, err := s.Start(ctx)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.Name, err)
		}
		defer stop()
		displays[i] = d
	}
	var results []Result
	for _, test := range tests {
		samples := make(map[string][]float64)
		res := Result{Test: test, Rates: map[string]float64{}}
		for r := 0; r < rounds; r++ {
			for i, s := range servers {
				if progress != nil {
					progress(fmt.Sprintf("x11perf -%s on %s (round %d of %d)", test, s.Name, r+1, rounds))
				}
				rate, label, err := runX11Perf(ctx, displays[i], test, seconds)
				if err != nil {
					return results, err
				}
				samples[s.Name] = append(samples[s.Name], rate)
				res.Label = label
			}
		}
		for name, xs := range samples {
			slices.Sort(xs)
			res.Rates[name] = xs[len(xs)/2]
		}
		results = append(results, res)
	}
	return results, nil
}

// Table writes the results as a Markdown table of rates and the ratio of
// the first server to the second, with a note per test where given.
func Table(w io.Writer, results []Result, a, b string, notes map[string]string) {
	fmt.Fprintf(w, "| x11perf test | what | %s ops/s | %s ops/s | ratio | note |\n|---|---|---:|---:|---:|---|\n", a, b)
	for _, r := range results {
		ra, rb := r.Rates[a], r.Rates[b]
		ratio := 0.0
		if rb > 0 {
			ratio = ra / rb
		}
		fmt.Fprintf(w, "| -%s | %s | %s | %s | %.2f | %s |\n", r.Test, r.Label, human(ra), human(rb), ratio, notes[r.Test])
	}
}

func human(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.2fM", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.1fk", v/1e3)
	}
	return fmt.Sprintf("%.0f", v)
}
