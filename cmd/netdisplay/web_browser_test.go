//go:build linux

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"io"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"netdisplay/internal/peer"
)

// Helpers for tests that load the browser viewer's page in headless
// Chromium, as webviewer's page tests do.

// startWebCmd runs "netdisplay web ARGS..." and returns the URL its ready
// line prints; SIGTERM stops it when the test ends.
func startWebCmd(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"web"}, args...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		t.Logf("netdisplay web's log:\n%s", stderr.String())
	})
	ready := make(chan string, 1)
	go func() {
		l, _ := bufio.NewReader(out).ReadString('\n')
		ready <- l
		io.Copy(io.Discard, out)
	}()
	select {
	case l := <-ready:
		for _, f := range strings.Fields(l) {
			if v, ok := strings.CutPrefix(f, "web="); ok && strings.HasPrefix(l, "netdisplay ready ") {
				return v
			}
		}
		t.Fatalf("netdisplay web said %q; log:\n%s", l, stderr.String())
	case <-time.After(15 * time.Second):
		t.Fatalf("netdisplay web did not say it was ready; log:\n%s", stderr.String())
	}
	return ""
}

func runChrome(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("chromium: %v", err)
	}
}

// evalString evaluates a JavaScript expression in the page.
func evalString(t *testing.T, ctx context.Context, expr string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	return s
}

// pixelsDiffer counts the pixels where a and b differ, alpha aside, and
// names the first; -1 if their sizes differ.
func pixelsDiffer(a, b *image.RGBA) (int, string) {
	if a.Rect != b.Rect {
		return -1, fmt.Sprintf("size %v, want %v", a.Rect.Size(), b.Rect.Size())
	}
	n, first := 0, ""
	for y := a.Rect.Min.Y; y < a.Rect.Max.Y; y++ {
		for x := a.Rect.Min.X; x < a.Rect.Max.X; x++ {
			i := a.PixOffset(x, y)
			if a.Pix[i] != b.Pix[i] || a.Pix[i+1] != b.Pix[i+1] || a.Pix[i+2] != b.Pix[i+2] {
				if n == 0 {
					first = fmt.Sprintf("(%d,%d) is %v, want %v", x, y, a.RGBAAt(x, y), b.RGBAAt(x, y))
				}
				n++
			}
		}
	}
	return n, first
}

// waitCanvasShows waits until the canvas shows want exactly, as the
// browser viewer's pixel-mode tests require.
func waitCanvasShows(t *testing.T, ctx context.Context, what string, want func() *image.RGBA) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		n, first := -1, "no canvas"
		if got := peer.Canvas(ctx, "#canvas"); got != nil {
			if n, first = pixelsDiffer(got, want()); n == 0 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: the canvas differs in %d pixels; the first: %s", what, n, first)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// canvasOrigin returns where the canvas's top left is on the page.
func canvasOrigin(t *testing.T, ctx context.Context) (float64, float64) {
	t.Helper()
	box, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](
		`(() => { const r = document.getElementById('canvas').getBoundingClientRect(); return [r.left, r.top]; })()`))
	if err != nil || len(box) != 2 {
		t.Fatalf("canvas position: %v", err)
	}
	return box[0], box[1]
}

// pageStats returns the statistics the page keeps (netdisplay.stats()).
func pageStats(t *testing.T, ctx context.Context) map[string]any {
	t.Helper()
	var m map[string]any
	json.Unmarshal([]byte(evalString(t, ctx, `window.netdisplay ? window.netdisplay.stats() : ''`)), &m)
	return m
}
