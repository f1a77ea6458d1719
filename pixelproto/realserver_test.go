package pixelproto

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"netdisplay/internal/peer"
)

// Our client against real RFB servers: every encoding must give the pixels
// xwd reads from the server's X display.

// startXServer starts an X server (Xvnc) on a free display number, as
// peer.Xvfb does, returning ":N".
func startXServer(t *testing.T, name string, args ...string) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cmd := exec.Command(name, append([]string{"-displayfd", "3"}, args...)...)
	cmd.ExtraFiles = []*os.File{w}
	var log strings.Builder
	cmd.Stderr = &log
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
			t.Fatalf("%s did not start: %s", name, log.String())
		}
		return ":" + n
	case <-time.After(20 * time.Second):
		t.Fatalf("%s did not report a display: %s", name, log.String())
	}
	return ""
}

// writeXWD writes 0x00RRGGBB pixels as an XWD file that xwud shows.
func writeXWD(t *testing.T, px []uint32, w, h int) string {
	name := []byte("test\x00")
	hdr := []uint32{uint32(100 + len(name)), 7, 2, 24, uint32(w), uint32(h), 0, 0, 32, 0, 32, 32, uint32(4 * w), 4,
		0xff0000, 0xff00, 0xff, 8, 256, 0, uint32(w), uint32(h), 0, 0, 0}
	var b []byte
	for _, v := range hdr {
		b = binary.BigEndian.AppendUint32(b, v)
	}
	b = append(b, name...)
	for _, p := range px {
		b = binary.LittleEndian.AppendUint32(b, p)
	}
	file := filepath.Join(t.TempDir(), "image.xwd")
	if err := os.WriteFile(file, b, 0644); err != nil {
		t.Fatal(err)
	}
	return file
}

// paint shows test content on display with xwud, and returns its window id.
func paint(t *testing.T, display string, px []uint32, w, h int) {
	t.Helper()
	file := writeXWD(t, px, w, h)
	cmd := peer.Command(t, display, "xwud", "-in", file, "-geometry", fmt.Sprintf("%dx%d+0+0", w, h))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until the root shows it.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		img := xwdRoot(t, display)
		o := img.PixOffset(w/2, h/2)
		p := px[(h/2)*w+w/2]
		if img.Pix[o] == byte(p>>16) && img.Pix[o+1] == byte(p>>8) && img.Pix[o+2] == byte(p) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("xwud never showed the image")
		}
	}
}

// snapshotMatches takes snapshots with our client in each encoding and
// compares them with xwd of the display.
func snapshotMatches(t *testing.T, display, addr string, cases []snapCase) {
	want := xwdRoot(t, display)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cl, err := Dial(ctx, addr, ClientConfig{Encodings: c.encs, PixelFormat: c.pf, Manual: true})
			if err != nil {
				t.Fatal(err)
			}
			defer cl.Close()
			select {
			case <-cl.Complete():
			case <-cl.Done():
				t.Fatal(cl.Err())
			case <-ctx.Done():
				t.Fatal("no complete frame")
			}
			got := cl.Image()
			if got.Rect != want.Rect {
				t.Fatalf("snapshot %v, xwd %v", got.Rect, want.Rect)
			}
			pf := FormatRGBA
			if c.pf != nil {
				pf = *c.pf
			}
			// What xwd shows, in the pixel format asked for.
			px := make([]uint32, want.Rect.Dx()*want.Rect.Dy())
			for i := range px {
				px[i] = uint32(want.Pix[4*i])<<16 | uint32(want.Pix[4*i+1])<<8 | uint32(want.Pix[4*i+2])
			}
			expect := wantImage(pf, px, want.Rect.Dx(), want.Rect.Dy())
			switch {
			case c.lossy:
				compareLossy(t, got, expect, image.Point{}, 12)
			case pf.RedMax != 255 || pf.GreenMax != 255 || pf.BlueMax != 255:
				// Servers quantise as they like (TigerVNC truncates, we
				// round): allow one step of each colour field.
				steps := [3]int{255/int(pf.RedMax) + 1, 255/int(pf.GreenMax) + 1, 255/int(pf.BlueMax) + 1}
				bad := 0
				for i := 0; i < len(got.Pix); i += 4 {
					for c := range 3 {
						d := int(got.Pix[i+c]) - int(want.Pix[i+c])
						if d < -steps[c] || d > steps[c] {
							bad++
							break
						}
					}
				}
				if bad > 0 {
					t.Errorf("%d pixels differ from xwd by more than one step of %v", bad, steps)
				}
			default:
				if n, maxd := diff(got, expect, expect.Rect); n > 0 {
					t.Errorf("%d pixels differ from xwd, by up to %d", n, maxd)
				}
			}
			st := cl.Stats()
			used := map[Encoding]bool{}
			for _, e := range st.ByEncoding {
				used[e.Encoding] = true
			}
			if c.encs[0] != Raw && !used[c.encs[0]] {
				t.Logf("server sent no %v rectangles: %+v", c.encs[0], st.ByEncoding)
				if !c.optional {
					t.Errorf("server sent no %v", c.encs[0])
				}
			}
			t.Logf("%s: %d bytes, %+v", c.name, st.BytesIn, st.ByEncoding)
		})
	}
}

// wantImage is want for a format whose client-side expansion we share.
func wantImage(pf PixelFormat, px []uint32, w, h int) *image.RGBA { return want(pf, px, w, h) }

type snapCase struct {
	name     string
	encs     []Encoding
	pf       *PixelFormat
	lossy    bool
	optional bool // the server may not have this encoding
}

func realCases() []snapCase {
	pf565 := FormatRGB565
	pf888be := testFormats["bgr888be"]
	pf233 := FormatBGR233
	return []snapCase{
		{name: "raw", encs: []Encoding{Raw}},
		{name: "rre", encs: []Encoding{RRE}, optional: true},
		{name: "hextile", encs: []Encoding{Hextile}},
		{name: "trle", encs: []Encoding{TRLE}, optional: true},
		{name: "zrle", encs: []Encoding{ZRLE}},
		{name: "tight", encs: []Encoding{Tight}},
		{name: "tight-jpeg", encs: []Encoding{Tight, PseudoQualityLevel0 + 8}, lossy: true},
		{name: "zrle-565", encs: []Encoding{ZRLE}, pf: &pf565},
		{name: "hextile-bgr-be", encs: []Encoding{Hextile}, pf: &pf888be},
		{name: "tight-565", encs: []Encoding{Tight}, pf: &pf565},
		{name: "zrle-233", encs: []Encoding{ZRLE}, pf: &pf233},
	}
}

func TestClientAgainstXvnc(t *testing.T) {
	peer.Need(t, "Xvnc", "xwd", "xwud")
	const w, h = 320, 240
	port := freePort(t)
	display := startXServer(t, "Xvnc", "-localhost", "-SecurityTypes", "None", "-geometry", fmt.Sprintf("%dx%d", w, h),
		"-depth", "24", "-rfbport", port, "-BlacklistThreshold", "100000", "-AlwaysShared", "-br")
	paint(t, display, desktopPixels(w, h, 21), w, h)
	addr := "127.0.0.1:" + port
	waitListening(t, addr)
	snapshotMatches(t, display, addr, realCases())

	// Xvnc sends RRE only for areas of few colours.
	paint(t, display, textPixels(w, h, 23), w, h)
	snapshotMatches(t, display, addr, []snapCase{{name: "rre-text", encs: []Encoding{RRE}}, {name: "tight-text", encs: []Encoding{Tight}}})

	// CopyRect: a window moved while we watch must arrive right.
	t.Run("copyrect", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		cl, err := Dial(ctx, addr, ClientConfig{Encodings: []Encoding{CopyRect, ZRLE}})
		if err != nil {
			t.Fatal(err)
		}
		defer cl.Close()
		<-cl.Complete()
		if out, err := peer.Command(t, display, "xdotool", "search", "--name", "test", "windowmove", "%@", "40", "30").CombinedOutput(); err != nil {
			t.Fatalf("xdotool: %v %s", err, out)
		}
		var n int
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			want := xwdRoot(t, display)
			if n, _ = diff(cl.Image(), want, want.Rect); n == 0 {
				break
			}
		}
		if n > 0 {
			t.Fatalf("%d pixels differ after the move", n)
		}
		var copies int64
		for _, e := range cl.Stats().ByEncoding {
			if e.Encoding == CopyRect {
				copies = e.Rects
			}
		}
		t.Logf("window move: %d CopyRect rectangles, %+v", copies, cl.Stats().ByEncoding)
	})
}

func TestClientAgainstX11vnc(t *testing.T) {
	peer.Need(t, "Xvfb", "x11vnc", "xwd", "xwud")
	const w, h = 320, 240
	display := peer.Xvfb(t, w, h)
	paint(t, display, desktopPixels(w, h, 22), w, h)
	port := freePort(t)
	cmd := peer.Command(t, display, "x11vnc", "-display", display, "-localhost", "-nopw", "-rfbport", port, "-shared", "-forever", "-quiet", "-nocursor")
	var log strings.Builder
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := "127.0.0.1:" + port
	waitListening(t, addr)
	snapshotMatches(t, display, addr, realCases())
	if t.Failed() {
		t.Logf("x11vnc: %s", log.String())
	}
}

// TestClientAuthAgainstXvnc checks VNC Authentication against TigerVNC,
// with a password file written as vncpasswd writes it.
func TestClientAuthAgainstXvnc(t *testing.T) {
	peer.Need(t, "Xvnc")
	port := freePort(t)
	startXServer(t, "Xvnc", "-localhost", "-SecurityTypes", "VncAuth", "-PasswordFile", vncPasswdFile(t, "pass1234"),
		"-geometry", "64x48", "-depth", "24", "-rfbport", port, "-BlacklistThreshold", "100000", "-AlwaysShared")
	addr := "127.0.0.1:" + port
	waitListening(t, addr)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, v := range []int{3, 8} {
		img, err := Snapshot(ctx, addr, "pass1234", nil)
		if err != nil || img.Rect.Dx() != 64 {
			t.Fatalf("version 3.%d: %v", v, err)
		}
		if c, err := Dial(ctx, addr, ClientConfig{Password: "wrong", Version: v}); err == nil {
			c.Close()
			t.Errorf("version 3.%d: wrong password accepted", v)
		}
	}
}
