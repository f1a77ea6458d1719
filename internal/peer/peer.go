// Package peer starts the real programs that netdisplay's tests talk to:
// Xvfb, X clients, VNC servers and viewers, all from Debian packages.
//
// A test that needs a program calls Need; when the program is missing the
// test is skipped with a message naming the Debian package that provides it.
// `make test` installs the packages first, so in CI nothing is skipped.
package peer

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Packages maps each program the tests run to the Debian package that has it.
var Packages = map[string]string{
	"Xvfb":        "xvfb",
	"xvfb-run":    "xvfb",
	"xdpyinfo":    "x11-utils",
	"xev":         "x11-utils",
	"xwininfo":    "x11-utils",
	"xprop":       "x11-utils",
	"xlogo":       "x11-apps",
	"xeyes":       "x11-apps",
	"xclock":      "x11-apps",
	"xwd":         "x11-apps",
	"x11perf":     "x11-apps",
	"xterm":       "xterm",
	"xdotool":     "xdotool",
	"xtrace":      "xtrace",
	"xauth":       "xauth",
	"Xvnc":        "tigervnc-standalone-server",
	"vncviewer":   "tigervnc-viewer",
	"x11vnc":      "x11vnc",
	"vncsnapshot": "vncsnapshot",
	"websockify":  "websockify",
	"chromium":    "chromium",
	"tmux":        "tmux",
	"twm":         "twm",
	"xkbcomp":     "x11-xkb-utils",
	"python3":     "python3-xlib",
}

// Python is Debian's interpreter, the one that sees python3-xlib. The first
// python3 on PATH may be another install that does not.
const Python = "/usr/bin/python3"

// Need skips the test unless every named program is installed, saying which
// Debian packages would provide the missing ones.
func Need(t testing.TB, programs ...string) {
	t.Helper()
	var missing []string
	for _, p := range programs {
		if !Have(p) {
			pkg := Packages[p]
			if pkg == "" {
				pkg = "?"
			}
			missing = append(missing, fmt.Sprintf("%s (Debian package %s)", p, pkg))
		}
	}
	if len(missing) > 0 {
		t.Skipf("skipped: needs %s; run `make test` as root to install, or apt-get install them", strings.Join(missing, ", "))
	}
}

// Have reports whether a program is installed.
func Have(program string) bool {
	if program == "python3" {
		if _, err := os.Stat(Python); err != nil {
			return false
		}
		return exec.Command(Python, "-c", "import Xlib").Run() == nil
	}
	_, err := exec.LookPath(program)
	return err == nil
}

// Xvfb starts a real X server at the given size and depth 24 on a free
// display number and returns the display string (":N"). It is stopped when
// the test ends. Extra arguments are passed to Xvfb. It runs with -noreset:
// otherwise it starts afresh, refusing connections for a moment, each time
// its last client leaves.
func Xvfb(t testing.TB, width, height int, args ...string) string {
	t.Helper()
	Need(t, "Xvfb")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	argv := append([]string{"-displayfd", "3", "-screen", "0", fmt.Sprintf("%dx%dx24", width, height), "-nolisten", "tcp", "-noreset"}, args...)
	cmd := exec.Command("Xvfb", argv...)
	cmd.ExtraFiles = []*os.File{w}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		w.Close()
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	lines := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		lines <- strings.TrimSpace(s)
	}()
	select {
	case n := <-lines:
		if n == "" {
			t.Fatalf("Xvfb did not start: %s", stderr.String())
		}
		return ":" + n
	case <-time.After(20 * time.Second):
		t.Fatalf("Xvfb did not report a display in 20s: %s", stderr.String())
	}
	return ""
}

// Command returns a command for a peer program with DISPLAY set, killed when
// the test ends if it is still running.
func Command(t testing.TB, display string, name string, args ...string) *exec.Cmd {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	t.Cleanup(func() {
		cancel()
		if cmd.Process != nil {
			cmd.Wait()
		}
	})
	return cmd
}
