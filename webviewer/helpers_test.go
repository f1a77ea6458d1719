package webviewer

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"netdisplay/internal/peer"
	"netdisplay/pixelproto"
	"netdisplay/xserver"
	"netdisplay/xserver/transport"
	"netdisplay/xserver/xsource"
)

// A desk is what `netdisplay serve --web` runs, in this process: an X
// server on a display of its own, the RFB server of its screen, and the
// web server, with its X11 relay on another display.
type desk struct {
	x       *xserver.Server
	display string // the X server's
	rfb     *pixelproto.Server
	web     *Server
	webAddr string
	url     string // the page, token included
	relay   string // the relay's display, for X mode
}

type deskOptions struct {
	width, height int
	password      []byte
	noVNC         bool
}

func startDesk(t *testing.T, o deskOptions) *desk {
	t.Helper()
	logf := testLog(t)
	d := &desk{}
	disp, err := transport.Listen(transport.Options{Number: -1, TCP: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	d.x = xserver.New(xserver.Config{Width: o.width, Height: o.height, Logf: logf})
	for _, l := range disp.Listeners {
		go d.x.Serve(l, transport.Loopback)
	}
	d.display = fmt.Sprintf(":%d", disp.Number)
	src := xsource.New(d.x, "netdisplay "+d.display)
	d.rfb = pixelproto.NewServer(src, pixelproto.ServerConfig{Password: o.password, Logf: logf})

	relay, err := transport.Listen(transport.Options{Number: -1, TCP: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	d.relay = fmt.Sprintf(":%d", relay.Number)
	cfg := Config{RFB: d.rfb, RFBPassword: o.password != nil, Display: d.relay, Endpoints: relay.Endpoints, Logf: logf}
	if o.noVNC {
		cfg.NoVNC = os.DirFS("/usr/share/novnc")
	}
	d.web, err = New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range relay.Listeners {
		go d.web.ServeX11(l)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d.webAddr = l.Addr().String()
	d.url = d.web.URL(l)
	go d.web.Serve(l)
	t.Cleanup(func() {
		d.web.Close()
		relay.Close()
		d.rfb.Close()
		src.Close()
		d.x.Close()
		disp.Close()
	})
	return d
}

// testLog returns a logf for servers that logs to the test until it ends:
// their goroutines may outlive it, and logging after it panics.
func testLog(t testing.TB) func(string, ...any) {
	var mu sync.Mutex
	done := false
	t.Cleanup(func() {
		mu.Lock()
		done = true
		mu.Unlock()
	})
	return func(f string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		if !done {
			t.Logf(f, a...)
		}
	}
}

// screen returns the X server's framebuffer as RGBA.
func screenOf(x *xserver.Server) *image.RGBA {
	x.Lock()
	defer x.Unlock()
	fb := x.Framebuffer()
	img := image.NewRGBA(image.Rect(0, 0, fb.Width, fb.Height))
	for y := 0; y < fb.Height; y++ {
		for i, p := range fb.Pix[y*fb.Stride : y*fb.Stride+fb.Width] {
			o := img.PixOffset(i, y)
			img.Pix[o], img.Pix[o+1], img.Pix[o+2], img.Pix[o+3] = uint8(p>>16), uint8(p>>8), uint8(p), 0xff
		}
	}
	return img
}

// diff counts the pixels that differ between a and b, ignoring alpha, and
// returns the first.
func diff(a, b *image.RGBA) (int, image.Point) {
	if a.Rect != b.Rect {
		return -1, image.Point{}
	}
	n := 0
	var first image.Point
	for y := a.Rect.Min.Y; y < a.Rect.Max.Y; y++ {
		for x := a.Rect.Min.X; x < a.Rect.Max.X; x++ {
			i, j := a.PixOffset(x, y), b.PixOffset(x, y)
			if a.Pix[i] != b.Pix[j] || a.Pix[i+1] != b.Pix[j+1] || a.Pix[i+2] != b.Pix[j+2] {
				if n == 0 {
					first = image.Pt(x, y)
				}
				n++
			}
		}
	}
	return n, first
}

func savePNG(t *testing.T, img image.Image, name string) string {
	p := filepath.Join(t.TempDir(), name)
	f, err := os.Create(p)
	if err != nil {
		return ""
	}
	defer f.Close()
	png.Encode(f, img)
	return p
}

// A program is a peer program whose output the test follows.
type program struct {
	cmd *exec.Cmd
	mu  sync.Mutex
	out bytes.Buffer
}

func (p *program) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.Write(b)
}

func (p *program) String() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

func start(t *testing.T, display, name string, args ...string) *program {
	t.Helper()
	p := &program{cmd: peer.Command(t, display, name, args...)}
	p.cmd.Stdout, p.cmd.Stderr = p, p
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return p
}

// waitLine waits until the program has printed a line starting with
// prefix, and returns it.
func (p *program) waitLine(t *testing.T, prefix string, timeout time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		sc := bufio.NewScanner(strings.NewReader(p.String()))
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), prefix) {
				return sc.Text()
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no line %q in %v; output:\n%s", prefix, timeout, p.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitExit waits for the program to end by itself.
func (p *program) waitExit(t *testing.T) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s is still running", p.cmd.Path)
	}
}

func pydemo(t *testing.T, display string) *program {
	t.Helper()
	path, _ := filepath.Abs("../xserver/testdata/pydemo.py")
	p := start(t, display, peer.Python, path)
	p.waitLine(t, "ready", 30*time.Second)
	return p
}

func waitFor(t testing.TB, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func run(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("chromium: %v", err)
	}
}

// waitCanvas waits until the canvas shows want exactly.
func waitCanvas(t *testing.T, ctx context.Context, selector string, want func() *image.RGBA) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		got, w := peer.Canvas(ctx, selector), want()
		if got != nil {
			if n, at := diff(got, w); n == 0 {
				return
			} else if time.Now().After(deadline) {
				t.Fatalf("the canvas (%v) differs from the screen (%v) in %d pixels, first at %v; saved %s and %s",
					got.Rect, w.Rect, n, at, savePNG(t, got, "canvas.png"), savePNG(t, w, "want.png"))
			}
		} else if time.Now().After(deadline) {
			t.Fatalf("no canvas %s", selector)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// canvasOrigin returns where the canvas's top left is on the page.
func canvasOrigin(t *testing.T, ctx context.Context, selector string) (float64, float64) {
	t.Helper()
	box, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](fmt.Sprintf(
		`(() => { const r = document.querySelector(%q).getBoundingClientRect(); return [r.left, r.top]; })()`, selector)))
	if err != nil || len(box) != 2 {
		t.Fatalf("canvas position: %v", err)
	}
	return box[0], box[1]
}

// pageStats returns the statistics the page shows.
func pageStats(t *testing.T, ctx context.Context) map[string]any {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.netdisplay ? window.netdisplay.stats() : ''`))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal([]byte(s), &m)
	return m
}

// get fetches a URL of the web server and decodes its JSON.
func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s: %s", u, resp.Status, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("GET %s: %v: %s", u, err, b)
	}
}
