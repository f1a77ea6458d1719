//go:build linux

package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"netdisplay/internal/peer"
)

// These tests run the real binary in tmux, as a person would: keys and
// mouse go in with send-keys, and what the terminal shows comes out of
// capture-pane, colours included.

// netdisplayBinary builds the command for one test.
func netdisplayBinary(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "netdisplay")
	cmd := exec.Command("go", "build", "-o", path, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return path
}

// A tmuxPane is one tmux session on its own server.
type tmuxPane struct {
	t      *testing.T
	socket string
}

var tmuxSeq atomic.Int32

// newTmux runs command in a new w x h tmux session.
func newTmux(t *testing.T, w, h int, env []string, command string) *tmuxPane {
	t.Helper()
	peer.Need(t, "tmux")
	p := &tmuxPane{t: t, socket: fmt.Sprintf("ndterm-%d-%d", os.Getpid(), tmuxSeq.Add(1))}
	args := []string{"new-session", "-d", "-s", "v", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h)}
	for _, e := range env {
		args = append(args, "-e", e)
	}
	p.tmux(append(args, command)...)
	t.Cleanup(func() { exec.Command("tmux", "-L", p.socket, "kill-server").Run() })
	return p
}

func (p *tmuxPane) tmux(args ...string) string {
	p.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", p.socket}, args...)...).CombinedOutput()
	if err != nil {
		p.t.Fatalf("tmux %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// capture returns what the pane shows; with escapes, its colours too.
func (p *tmuxPane) capture(escapes bool) string {
	p.t.Helper()
	if escapes {
		return p.tmux("capture-pane", "-t", "v", "-p", "-e")
	}
	return p.tmux("capture-pane", "-t", "v", "-p")
}

// statusLine is the pane's last line that is not blank.
func (p *tmuxPane) statusLine() string {
	lines := strings.Split(strings.TrimRight(p.capture(false), "\n "), "\n")
	return lines[len(lines)-1]
}

func (p *tmuxPane) keys(keys ...string) {
	p.t.Helper()
	p.tmux(append([]string{"send-keys", "-t", "v"}, keys...)...)
}

// click sends a left click at cell (x, y) as an xterm does in SGR mouse
// mode, which the viewer turns on.
func (p *tmuxPane) click(x, y int) {
	p.t.Helper()
	p.raw(fmt.Sprintf("\x1b[<0;%d;%dM", x+1, y+1))
	p.raw(fmt.Sprintf("\x1b[<0;%d;%dm", x+1, y+1))
}

// raw sends bytes as if the terminal had.
func (p *tmuxPane) raw(s string) {
	p.t.Helper()
	args := []string{"send-keys", "-t", "v", "-H"}
	for _, b := range []byte(s) {
		args = append(args, fmt.Sprintf("%02x", b))
	}
	p.tmux(args...)
}

func (p *tmuxPane) alive() bool {
	return exec.Command("tmux", "-L", p.socket, "has-session", "-t", "v").Run() == nil
}

// waitFor polls until cond holds, failing the test with what the pane
// shows if it never does.
func (p *tmuxPane) waitFor(what string, cond func() bool) {
	p.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			screen := "(gone)"
			if p.alive() {
				screen = p.capture(false)
			}
			p.t.Fatalf("timed out waiting for %s; the pane shows:\n%s", what, screen)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// serveProc is a running "netdisplay serve".
type serveProc struct {
	cmd     *exec.Cmd
	display string // ":N"
	rfb     string // "127.0.0.1:PORT"
}

func startServe(t *testing.T, bin string, args ...string) *serveProc {
	t.Helper()
	// Port 0 unless told: other tests may want 5900+N.
	if !slices.Contains(args, "--rfb") {
		args = append(args, "--rfb", "127.0.0.1:0")
	}
	cmd := exec.Command(bin, append([]string{"serve"}, args...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &serveProc{cmd: cmd}
	t.Cleanup(s.stop)
	ready := make(chan string, 1)
	go func() {
		l, _ := bufio.NewReader(out).ReadString('\n')
		ready <- l
		io.Copy(io.Discard, out)
	}()
	select {
	case l := <-ready:
		for _, f := range strings.Fields(l) {
			if v, ok := strings.CutPrefix(f, "display="); ok {
				s.display = v
			}
			if v, ok := strings.CutPrefix(f, "rfb=vnc://"); ok {
				s.rfb = v
			}
		}
		if s.display == "" || s.rfb == "" {
			t.Fatalf("serve said %q", l)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not say it was ready")
	}
	return s
}

// stop ends serve as a person would, with SIGTERM, so it cleans up.
func (s *serveProc) stop() {
	if s.cmd.ProcessState != nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

// runPydemo runs the test client on display and returns its event lines.
func runPydemo(t *testing.T, display string) <-chan string {
	t.Helper()
	peer.Need(t, "python3")
	cmd := peer.Command(t, display, peer.Python, "../../xserver/testdata/pydemo.py")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	expectEvent(t, lines, "ready")
	return lines
}

func expectEvent(t *testing.T, lines <-chan string, prefix string) string {
	t.Helper()
	timeout := time.After(15 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("pydemo ended before printing %q", prefix)
			}
			if strings.HasPrefix(l, prefix) {
				return l
			}
		case <-timeout:
			t.Fatalf("pydemo printed no %q line in 15s", prefix)
		}
	}
}

// tcpProxy forwards connections to addr, counting the bytes each way.
type tcpProxy struct {
	addr               string
	toServer, toClient atomic.Int64
}

func newTCPProxy(t *testing.T, addr string) *tcpProxy {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &tcpProxy{addr: l.Addr().String()}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", addr)
			if err != nil {
				c.Close()
				continue
			}
			go copyCounting(s, c, &p.toServer)
			go copyCounting(c, s, &p.toClient)
		}
	}()
	return p
}

func copyCounting(dst, src net.Conn, n *atomic.Int64) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		k, err := src.Read(buf)
		n.Add(int64(k))
		if k > 0 {
			if _, err := dst.Write(buf[:k]); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// termStats is what --stats-json writes.
type termStats struct {
	Mode          string  `json:"mode"`
	Target        string  `json:"target"`
	Connected     bool    `json:"connected"`
	BytesIn       int64   `json:"bytes_in"`
	BytesOut      int64   `json:"bytes_out"`
	InputLatency  int64   `json:"input_latency_ns"`
	RedrawsPerSec float64 `json:"redraws_per_sec"`
}

func readStats(path string) (termStats, bool) {
	var st termStats
	b, err := os.ReadFile(path)
	if err != nil {
		return st, false
	}
	return st, json.Unmarshal(b, &st) == nil
}

// agree waits for the statistics file to agree within 1% with the
// proxy's counts, which it must once the traffic stops and the file is
// next written.
func agree(t *testing.T, p *tmuxPane, path string, in, out func() int64) termStats {
	t.Helper()
	var st termStats
	within := func(a, b int64) bool { return b > 0 && math.Abs(float64(a-b)) <= 0.01*float64(b) }
	p.waitFor("the statistics to agree with the proxy", func() bool {
		var ok bool
		st, ok = readStats(path)
		return ok && within(st.BytesIn, in()) && within(st.BytesOut, out())
	})
	return st
}

// steelBlue is pydemo's filled rectangle, as a truecolor escape.
const steelBlue = "2;70;130;180m"

// cellFor returns the cell that shows framebuffer pixel (x, y) when a
// w x h framebuffer fits a cols x rows image area (the viewer's fit).
func cellFor(x, y, w, h, cols, rows int) (int, int, float64) {
	s := math.Max(float64(w)/float64(cols), float64(h)/float64(2*rows))
	return int(float64(x) / s), int(float64(y) / s / 2), s
}

// checkClick clicks where the viewer shows pixel (x, y) of a w x h
// display in a terminal whose image area is cols x rows (a 200x60
// terminal's is 200x59), and checks that pydemo, whose window's inside
// starts at (12, 12), saw a click there.
func checkClick(t *testing.T, p *tmuxPane, events <-chan string, x, y, w, h, cols, rows int) {
	t.Helper()
	cx, cy, s := cellFor(x, y, w, h, cols, rows)
	p.click(cx, cy)
	var gx, gy, b int
	l := expectEvent(t, events, "click")
	if _, err := fmt.Sscanf(l, "click %d %d %d", &gx, &gy, &b); err != nil {
		t.Fatalf("pydemo said %q", l)
	}
	if b != 1 || math.Abs(float64(gx+12-x)) > s || math.Abs(float64(gy+12-y)) > 2*s {
		t.Errorf("clicking the cell that shows (%d,%d): pydemo saw %q, want button 1 within a cell of (%d,%d)", x, y, l, x-12, y-12)
	}
}

// Pixel mode: the viewer is a VNC client of "netdisplay serve", with an
// X client on the server. The picture shows in colour, the status line
// carries the statistics (which agree with a proxy's count), clicks and
// keys reach the client, a dropped connection says so and reconnects,
// and ^] q quits.
func TestTermTmuxPixelMode(t *testing.T) {
	bin := netdisplayBinary(t)
	srv := startServe(t, bin, "--geometry", "640x400")
	events := runPydemo(t, srv.display)
	proxy := newTCPProxy(t, srv.rfb)
	stats := filepath.Join(t.TempDir(), "stats.json")
	target := "vnc://" + proxy.addr
	p := newTmux(t, 200, 60, []string{"COLORTERM=truecolor"}, fmt.Sprintf("%s term --stats-json %s %s", bin, stats, target))

	p.waitFor("pydemo's steel blue rectangle in truecolor", func() bool { return strings.Contains(p.capture(true), steelBlue) })
	status := regexp.MustCompile(`^rfb ` + regexp.QuoteMeta(target) + ` 640x400 \| in [0-9.]+k?B/s [0-9.]+k?B \| out [0-9.]+B/s [0-9.]+B \| [0-9.]+ updates/s \| input `)
	p.waitFor("the status line", func() bool { return status.MatchString(p.statusLine()) })

	checkClick(t, p, events, 150, 120, 640, 400, 200, 59)
	p.keys("a")
	expectEvent(t, events, "key")
	p.keys("C-c")
	if ctrl, c := expectEvent(t, events, "key"), expectEvent(t, events, "key"); ctrl != "key 37" || c != "key 54" {
		t.Errorf("Ctrl-C reached the client as %q, %q; want Control_L (37) then c (54)", ctrl, c)
	}

	st := agree(t, p, stats, proxy.toClient.Load, proxy.toServer.Load)
	t.Logf("pixel mode: viewer's statistics in %d out %d; proxy to viewer %d, to server %d; last input latency %v",
		st.BytesIn, st.BytesOut, proxy.toClient.Load(), proxy.toServer.Load(), time.Duration(st.InputLatency))
	if st.Mode != "rfb" || !st.Connected || st.InputLatency <= 0 {
		t.Errorf("statistics file: %+v", st)
	}

	// Drop the connection: the server goes away, then comes back.
	srv.stop()
	p.waitFor("the lost-connection message", func() bool {
		c := p.capture(false)
		return strings.Contains(c, "connection to "+target+" lost") && strings.Contains(c, "r reconnects, q quits")
	})
	startServe(t, bin, "--geometry", "320x200", "--rfb", srv.rfb)
	p.keys("r")
	p.waitFor("the status line after reconnecting", func() bool {
		return strings.HasPrefix(p.statusLine(), "rfb "+target+" 320x200 |")
	})

	p.keys("C-]", "q")
	p.waitFor("the viewer to quit", func() bool { return !p.alive() })
}

// Without truecolor the viewer draws with the xterm 256-colour palette.
func TestTermTmux256Colors(t *testing.T) {
	bin := netdisplayBinary(t)
	srv := startServe(t, bin, "--geometry", "640x400")
	runPydemo(t, srv.display)
	p := newTmux(t, 200, 60, nil, fmt.Sprintf("env TERM=xterm-256color COLORTERM= %s term vnc://%s", bin, srv.rfb))
	// Steel blue (70,130,180) is palette colour 67.
	p.waitFor("steel blue as palette colour 67", func() bool { return strings.Contains(p.capture(true), "5;67m") })
	if c := p.capture(true); strings.Contains(c, "38;2;") || strings.Contains(c, "48;2;") {
		t.Errorf("the pane has truecolor escapes without truecolor")
	}
}

// X mode: the viewer is display :N itself. An X client connects through
// a counting proxy; it draws in the pane, gets clicks and keys, and the
// statistics agree with the proxy's count.
func TestTermTmuxXMode(t *testing.T) {
	bin := netdisplayBinary(t)
	dir := t.TempDir()
	ready, stats := filepath.Join(dir, "ready"), filepath.Join(dir, "stats.json")
	p := newTmux(t, 200, 60, []string{"COLORTERM=truecolor"},
		fmt.Sprintf("%s term --x11 auto --geometry 640x400 --ready-file %s --stats-json %s", bin, ready, stats))
	var display string
	p.waitFor("the ready file", func() bool {
		b, _ := os.ReadFile(ready)
		_, d, ok := strings.Cut(strings.TrimSpace(string(b)), "netdisplay ready mode=x11 display=")
		display = d
		return ok
	})
	proxy := peer.NewCountingProxy(t, display)
	events := runPydemo(t, proxy.Display)
	p.waitFor("pydemo's steel blue rectangle", func() bool { return strings.Contains(p.capture(true), steelBlue) })
	p.waitFor("the status line", func() bool {
		return strings.HasPrefix(p.statusLine(), "x11 "+display+" 640x400 | in ") && strings.Contains(p.statusLine(), "requests/s")
	})

	checkClick(t, p, events, 200, 100, 640, 400, 200, 59)
	p.keys("a")
	a := expectEvent(t, events, "key")
	p.keys("A")
	if shift, key := expectEvent(t, events, "key"), expectEvent(t, events, "key"); shift != "key 50" || key != a {
		t.Errorf("typing A reached the client as %q, %q; want Shift_L (50), then %q as for a", shift, key, a)
	}

	// Let the client finish, so that both counts are final.
	time.Sleep(200 * time.Millisecond)
	st := agree(t, p, stats, proxy.ToServer.Load, proxy.ToClient.Load)
	t.Logf("X mode: viewer's statistics in %d out %d; proxy to display %d, to client %d; last input latency %v",
		st.BytesIn, st.BytesOut, proxy.ToServer.Load(), proxy.ToClient.Load(), time.Duration(st.InputLatency))
	if st.Mode != "x11" || st.Target != display {
		t.Errorf("statistics file: %+v", st)
	}
	p.keys("C-]", "q")
	p.waitFor("the viewer to quit", func() bool { return !p.alive() })
}

// A refused password gets a clear message and a chance to retry; q then
// quits, saying why.
func TestTermTmuxWrongPassword(t *testing.T) {
	bin := netdisplayBinary(t)
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "good"), filepath.Join(dir, "bad")
	os.WriteFile(good, []byte("secret\n"), 0o600)
	os.WriteFile(bad, []byte("guess\n"), 0o600)
	srv := startServe(t, bin, "--rfb-password-file", good)
	p := newTmux(t, 120, 30, nil, fmt.Sprintf("sh -c '%s term --password-file %s vnc://%s; echo exit status $?; sleep 60'", bin, bad, srv.rfb))
	p.waitFor("the refusal", func() bool {
		c := p.capture(false)
		return strings.Contains(c, "cannot connect to vnc://"+srv.rfb+": rfb: authentication failed") && strings.Contains(c, "r reconnects, q quits")
	})
	p.keys("q")
	p.waitFor("the exit status", func() bool {
		c := p.capture(false)
		return strings.Contains(c, "exit status 1") && strings.Contains(c, "netdisplay term: cannot connect")
	})
}
