package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// A child is a process of the run: an application, or the server in
// pixel mode. Running each in its own process is what lets the report
// say whose CPU time is whose.
type child struct {
	name   string
	cmd    *exec.Cmd
	lines  chan string   // its standard output, a line at a time
	exited chan struct{} // closed when it has exited
	cpu    time.Duration // user and system time, once it has exited
	err    error
}

// startChild starts argv with env added to the harness's environment.
// Its output is read line by line; its standard error is kept for the
// error message if it fails.
func startChild(ctx context.Context, name string, env []string, argv ...string) (*child, error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 2 * time.Second
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var stderr strings.Builder
	cmd.Stderr = &limitWriter{w: &stderr, n: 4 << 10}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	c := &child{name: name, cmd: cmd, lines: make(chan string, 64), exited: make(chan struct{})}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			select {
			case c.lines <- sc.Text():
			default: // nobody is listening for more
			}
		}
		io.Copy(io.Discard, out)
		c.err = cmd.Wait()
		if c.err != nil && stderr.Len() > 0 {
			c.err = fmt.Errorf("%v: %s", c.err, strings.TrimSpace(stderr.String()))
		}
		if st := cmd.ProcessState; st != nil {
			c.cpu = st.UserTime() + st.SystemTime()
		}
		close(c.exited)
	}()
	return c, nil
}

// waitLine waits for a line of output that starts with prefix.
func (c *child) waitLine(ctx context.Context, prefix string) (string, error) {
	for {
		select {
		case l := <-c.lines:
			if strings.HasPrefix(l, prefix) {
				return l, nil
			}
		case <-c.exited:
			return "", fmt.Errorf("%s exited: %v", c.name, c.err)
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
}

// stop ends the child (SIGTERM, then SIGKILL after a while) and returns
// the CPU time it used, to the microsecond, from the kernel's account of
// the exited process.
func (c *child) stop() time.Duration {
	select {
	case <-c.exited:
		return c.cpu
	default:
	}
	c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.exited:
	case <-time.After(3 * time.Second):
		c.cmd.Process.Kill()
		<-c.exited
	}
	return c.cpu
}

// procCPU reads a running process's user and system time from
// /proc/PID/stat, in the kernel's clock ticks (1/100 s): for a server
// the harness did not start itself (Xvnc, through bench/perf).
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / 100
}

// selfCPU is the harness's own user and system time: the display side.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// limitWriter keeps the first n bytes written to it.
type limitWriter struct {
	w io.Writer
	n int
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(len(p), l.n)
		l.w.Write(p[:k])
		l.n -= k
	}
	return len(p), nil
}
