package main

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"netdisplay/internal/peer"
	"netdisplay/xserver/transport"
)

// serveForTest starts a display as `netdisplay serve` would, with flags.
func serveForTest(t *testing.T, f serveFlags) *display {
	t.Helper()
	if f.geometry == "" {
		f.geometry = "640x480"
	}
	if f.listen == "" {
		f.listen = "127.0.0.1"
	}
	d, err := startDisplay(&f)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.close)
	return d
}

func TestServeReadyLine(t *testing.T) {
	d := serveForTest(t, serveFlags{})
	line := d.readyLine()
	n := d.d.Number
	for _, want := range []string{
		fmt.Sprintf("display=:%d", n),
		fmt.Sprintf("x11=unix:/tmp/.X11-unix/X%d", n),
		fmt.Sprintf("x11=tcp:127.0.0.1:%d", 6000+n),
		fmt.Sprintf("rfb=vnc://127.0.0.1:%d", 5900+n),
	} {
		if !strings.Contains(line, want) {
			t.Errorf("ready line %q lacks %q", line, want)
		}
	}
	if !strings.HasPrefix(line, "netdisplay ready ") {
		t.Errorf("ready line %q", line)
	}
}

// nonLoopbackIP finds an address of this machine that is not loopback.
func nonLoopbackIP(t *testing.T) string {
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && !ipn.IP.IsLoopback() && ipn.IP.To4() != nil {
			return ipn.IP.String()
		}
	}
	t.Skip("skipped: this machine has no IPv4 address but loopback to connect from")
	return ""
}

// Beyond loopback, X clients need the cookie serve writes for them.
func TestListenBeyondLoopbackNeedsCookie(t *testing.T) {
	peer.Need(t, "xdpyinfo", "xauth")
	ip := nonLoopbackIP(t)
	auth := filepath.Join(t.TempDir(), "Xauthority")
	d := serveForTest(t, serveFlags{listen: "0.0.0.0", auth: auth, rfb: "none"})
	remote := fmt.Sprintf("%s:%d", ip, d.d.Number)

	out, err := exec.Command("xauth", "-f", auth, "list").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "MIT-MAGIC-COOKIE-1") {
		t.Fatalf("xauth cannot read the cookie: %v\n%s", err, out)
	}
	xdpyinfo := func(display, xauthority string) error {
		cmd := exec.Command("xdpyinfo", "-display", display)
		cmd.Env = append(os.Environ(), "XAUTHORITY="+xauthority)
		return cmd.Run()
	}
	if err := xdpyinfo(remote, "/dev/null"); err == nil {
		t.Error("a client without the cookie connected from beyond loopback")
	}
	if err := xdpyinfo(remote, auth); err != nil {
		t.Errorf("a client with the cookie could not connect: %v", err)
	}
	if err := xdpyinfo(fmt.Sprintf(":%d", d.d.Number), "/dev/null"); err != nil {
		t.Errorf("a local client on the Unix socket needs no cookie, but: %v", err)
	}
}

// VNC security type None is for loopback only.
func TestRFBBeyondLoopbackNeedsPassword(t *testing.T) {
	f := serveFlags{geometry: "64x64", listen: "127.0.0.1", rfb: "0.0.0.0:0"}
	if d, err := startDisplay(&f); err == nil {
		d.close()
		t.Fatal("serve offered VNC without a password beyond loopback")
	} else if !strings.Contains(err.Error(), "password") {
		t.Errorf("error %q does not say a password is needed", err)
	}
	pw := filepath.Join(t.TempDir(), "passwd")
	os.WriteFile(pw, []byte("s3cret\n"), 0600)
	f.rfbPass = pw
	d, err := startDisplay(&f)
	if err != nil {
		t.Fatalf("with a password: %v", err)
	}
	d.close()
}

// The snapshot command saves what the display shows.
func TestSnapshotOfServe(t *testing.T) {
	peer.Need(t, "xlogo")
	d := serveForTest(t, serveFlags{})
	display := fmt.Sprintf(":%d", d.d.Number)
	cmd := peer.Command(t, display, "xlogo", "-geometry", "120x120+30+40")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "snap.png")
	deadline := time.Now().Add(20 * time.Second)
	for {
		if err := runSnapshot([]string{"vnc://" + d.rfbAddr, out}); err != nil {
			t.Fatal(err)
		}
		got := readPNG(t, out)
		want := framebuffer(d)
		n, box := peer.DiffImages(got, want)
		// xlogo may still be drawing: retry until the two agree.
		if n == 0 && !isBlack(want, image.Rect(30, 40, 150, 160)) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("snapshot differs from the framebuffer in %d pixels (%v)", n, box)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func framebuffer(d *display) *image.RGBA {
	d.x.Lock()
	defer d.x.Unlock()
	fb := d.x.Framebuffer()
	img := image.NewRGBA(image.Rect(0, 0, fb.Width, fb.Height))
	for y := 0; y < fb.Height; y++ {
		for x := 0; x < fb.Width; x++ {
			p := fb.Pix[y*fb.Stride+x]
			i := img.PixOffset(x, y)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = uint8(p>>16), uint8(p>>8), uint8(p), 0xFF
		}
	}
	return img
}

func isBlack(img *image.RGBA, r image.Rectangle) bool {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if c := img.RGBAAt(x, y); c.R|c.G|c.B != 0 {
				return false
			}
		}
	}
	return true
}

func readPNG(t *testing.T, path string) *image.RGBA {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rgba := image.NewRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Rect, img, img.Bounds().Min, draw.Src)
	return rgba
}

// The snapshot command against real VNC servers, TigerVNC's Xvnc and
// x11vnc, gives what xwd reads from their displays.
func TestSnapshotOfRealServers(t *testing.T) {
	peer.Need(t, "Xvnc", "x11vnc", "Xvfb", "xlogo", "xwd")
	check := func(t *testing.T, display string, rfb int) {
		cmd := peer.Command(t, display, "xlogo", "-geometry", "100x100+10+10")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "snap.png")
		for _, enc := range []string{"raw", "hextile", "zrle", "tight", "rre", "trle"} {
			deadline := time.Now().Add(20 * time.Second)
			for {
				err := runSnapshot([]string{"--encodings", enc, fmt.Sprintf("vnc://127.0.0.1:%d", rfb), out})
				var n int
				if err == nil {
					xwd, xerr := exec.Command("xwd", "-root", "-silent", "-display", display).Output()
					if xerr != nil {
						t.Fatal(xerr)
					}
					want, derr := peer.DecodeXWD(xwd)
					if derr != nil {
						t.Fatal(derr)
					}
					got := readPNG(t, out)
					n, _ = peer.DiffImages(got, want)
					if n == 0 && !isBlack(want, image.Rect(10, 10, 110, 110)) {
						break
					}
				}
				if time.Now().After(deadline) {
					t.Fatalf("%s: snapshot differs from xwd in %d pixels (err %v)", enc, n, err)
				}
				time.Sleep(300 * time.Millisecond)
			}
		}
	}
	t.Run("Xvnc", func(t *testing.T) {
		display, p := startXvnc(t, "320x240")
		check(t, display, p)
	})
	t.Run("x11vnc", func(t *testing.T) {
		display := peer.Xvfb(t, 320, 240)
		p := freePort()
		// -nocursor: x11vnc otherwise paints the pointer into the pixels it
		// sends to viewers that do not take the cursor pseudo-encoding.
		x := exec.Command("x11vnc", "-display", display, "-localhost", "-nopw", "-rfbport", fmt.Sprint(p), "-shared", "-forever", "-quiet", "-nocursor")
		if err := x.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { x.Process.Kill(); x.Wait() })
		waitPort(t, p)
		check(t, display, p)
	})
}

// freePort returns a TCP port free on loopback a moment ago.
func freePort() int {
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startXvnc starts TigerVNC's Xvnc at geometry ("320x240", depth 24) on
// a free display number, with RFB on a free loopback port and no
// security, and returns its display (":N") and RFB port once it listens.
// It is stopped when the test ends.
func startXvnc(t *testing.T, geometry string) (string, int) {
	t.Helper()
	peer.Need(t, "Xvnc")
	n := -1
	for i := 400; i < 500 && n < 0; i++ {
		if transport.Free(i) {
			n = i
		}
	}
	if n < 0 {
		t.Fatal("no free display")
	}
	p := freePort()
	x := exec.Command("Xvnc", fmt.Sprintf(":%d", n), "-localhost", "-SecurityTypes", "None", "-geometry", geometry,
		"-depth", "24", "-rfbport", fmt.Sprint(p), "-BlacklistThreshold", "100000", "-AlwaysShared")
	if err := x.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Process.Kill(); x.Wait() })
	waitPort(t, p)
	return fmt.Sprintf(":%d", n), p
}

func waitPort(t *testing.T, p int) {
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("nothing listens on port %d", p)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
