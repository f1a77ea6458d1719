package peer

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"os/exec"
	"sync"
	"testing"
	"time"

	"netdisplay/xserver/transport"
)

// Start starts a peer program on display; its output, stdout and stderr
// together, collects in the Output as it runs. It is killed when the test
// ends.
func Start(t testing.TB, display, name string, args ...string) (*exec.Cmd, *Output) {
	t.Helper()
	cmd := Command(t, display, name, args...)
	out := &Output{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return cmd, out
}

// An Output is a buffer a program writes to while a test reads it.
type Output struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.Write(p)
}

func (o *Output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.String()
}

// Capture takes a screenshot of the window named name with xwd, which
// reads it back with GetImage.
func Capture(display, name string) (*image.RGBA, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "xwd", "-silent", "-name", name, "-display", display)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("xwd -name %s on %s: %v: %s", name, display, err, stderr.String())
	}
	return DecodeXWD(out)
}

// StableCapture captures a window until two captures in a row agree, so
// that what is compared is a frame the client has finished drawing.
func StableCapture(t testing.TB, display, name string) *image.RGBA {
	t.Helper()
	var last *image.RGBA
	deadline := time.Now().Add(20 * time.Second)
	for {
		img, err := Capture(display, name)
		if err == nil && last != nil {
			if n, _ := DiffImages(img, last); n == 0 {
				return img
			}
		}
		if time.Now().After(deadline) {
			if err != nil {
				t.Fatal(err)
			}
			t.Fatalf("window %q on %s did not settle", name, display)
		}
		last = img
		time.Sleep(100 * time.Millisecond)
	}
}

// CoreOnly puts xtrace in front of a display, with its option that hides
// every extension, and returns the display to point clients at. On Xvfb
// clients otherwise take other paths (xlogo draws with RENDER, xeyes reads
// the pointer with XInput 2 and draws with SHAPE), and a comparison with
// netdisplay must be of the same drawing.
func CoreOnly(t testing.TB, display string) string {
	t.Helper()
	Need(t, "xtrace")
	n := 300
	for ; n < 400 && !transport.Free(n); n++ {
	}
	fake := fmt.Sprintf(":%d", n)
	cmd := exec.Command("xtrace", "-n", "-e", "-k", "-D", fake, "-d", display, "-o", "/dev/null")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	for deadline := time.Now().Add(10 * time.Second); transport.Free(n); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("xtrace did not listen on %s", fake)
		}
	}
	return fake
}
