package pixelproto

import (
	"crypto/des"
	"fmt"
	"image"
	"image/jpeg"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"netdisplay/internal/peer"
)

// Tests against real VNC programs from Debian packages.

// vncPasswdFile writes a password file as vncpasswd does: the password
// encrypted under VNC's fixed key.
func vncPasswdFile(t *testing.T, password string) string {
	fixed := []byte{23, 82, 107, 6, 35, 78, 88, 7}
	// The fixed key is used as the original DES code takes keys: with each
	// byte's bits reversed, as vncAuthKey does for passwords.
	c, err := des.NewCipher(vncAuthKey(fixed))
	if err != nil {
		t.Fatal(err)
	}
	pw := make([]byte, 8)
	copy(pw, password)
	out := make([]byte, 8)
	c.Encrypt(out, pw)
	name := filepath.Join(t.TempDir(), "passwd")
	if err := os.WriteFile(name, out, 0600); err != nil {
		t.Fatal(err)
	}
	return name
}

// compareLossy compares an image that went through lossy compression:
// the mean difference of every 8×8 block must be small, which catches
// wrong colours, shifted or missing areas, but not JPEG ringing.
func compareLossy(t *testing.T, got image.Image, want *image.RGBA, at image.Point, tolerance int) {
	t.Helper()
	if worst, worstAt := lossyWorst(got, want, at); worst > tolerance {
		t.Errorf("block at %v differs by %d on average (tolerance %d)", worstAt, worst, tolerance)
	}
}

// lossyWorst returns the largest mean difference of an 8×8 block.
func lossyWorst(got image.Image, want *image.RGBA, at image.Point) (worst int, worstAt image.Point) {
	for by := 0; by < want.Rect.Dy(); by += 8 {
		for bx := 0; bx < want.Rect.Dx(); bx += 8 {
			var sum [3]int
			n := 0
			for y := by; y < min(by+8, want.Rect.Dy()); y++ {
				for x := bx; x < min(bx+8, want.Rect.Dx()); x++ {
					r, g, b, _ := got.At(at.X+x, at.Y+y).RGBA()
					o := want.PixOffset(want.Rect.Min.X+x, want.Rect.Min.Y+y)
					sum[0] += int(r>>8) - int(want.Pix[o])
					sum[1] += int(g>>8) - int(want.Pix[o+1])
					sum[2] += int(b>>8) - int(want.Pix[o+2])
					n++
				}
			}
			for _, s := range sum {
				if s < 0 {
					s = -s
				}
				if s/n > worst {
					worst, worstAt = s/n, image.Pt(bx, by)
				}
			}
		}
	}
	return worst, worstAt
}

func TestVNCSnapshot(t *testing.T) {
	peer.Need(t, "vncsnapshot")
	src := NewMemSource(320, 240, "snapshot")
	drawDesktop(src, 11)
	want := src.Image()
	_, addr := startServer(t, src, ServerConfig{})
	pwSrc := NewMemSource(320, 240, "snapshot")
	drawDesktop(pwSrc, 11)
	_, pwAddr := startServer(t, pwSrc, ServerConfig{Password: []byte("s3cret")})
	passwd := vncPasswdFile(t, "s3cret")
	for _, c := range []struct {
		name, encodings string
		extra           []string
		addr            string
	}{
		{"raw", "raw", nil, addr},
		{"hextile", "hextile", nil, addr},
		{"zrle", "zrle", nil, addr},
		{"tight", "tight", []string{"-nojpeg"}, addr},
		{"tight-jpeg", "tight", []string{"-vncQuality", "7"}, addr},
		{"copyrect-rre", "copyrect rre", nil, addr},
		{"password", "hextile", []string{"-passwd", passwd}, pwAddr},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out.jpg")
			host, port, _ := net.SplitHostPort(c.addr)
			args := append([]string{"-quiet", "-encodings", c.encodings}, c.extra...)
			args = append(args, host+"::"+port, out)
			cmd := peer.Command(t, "", "vncsnapshot", args...)
			done := make(chan error, 1)
			var outb strings.Builder
			cmd.Stdout, cmd.Stderr = &outb, &outb
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("vncsnapshot: %v: %s", err, outb.String())
				}
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("vncsnapshot hung: %s", outb.String())
			}
			f, err := os.Open(out)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			img, err := jpeg.Decode(f)
			if err != nil {
				t.Fatal(err)
			}
			if img.Bounds().Size() != want.Rect.Size() {
				t.Fatalf("snapshot is %v, want %v", img.Bounds(), want.Rect)
			}
			// vncsnapshot writes JPEG at quality 100: small errors only.
			compareLossy(t, img, want, image.Point{}, 6)
			if os.Getenv("KEEP") != "" {
				data, _ := os.ReadFile(out)
				os.WriteFile("/tmp/pp/snap-"+c.name+".jpg", data, 0644)
			}
		})
	}
}

var _ = fmt.Sprint

// inputRecorder records what viewers send to a MemSource.
type inputRecorder struct {
	pointer chan [3]int
	key     chan [2]int
}

func recordInput(src *MemSource) *inputRecorder {
	r := &inputRecorder{pointer: make(chan [3]int, 1000), key: make(chan [2]int, 1000)}
	src.OnPointer = func(x, y int, b uint8) {
		select {
		case r.pointer <- [3]int{x, y, int(b)}:
		default:
		}
	}
	src.OnKey = func(k uint32, down bool) {
		select {
		case r.key <- [2]int{int(k), boolInt(down)}:
		default:
		}
	}
	return r
}

// waitPointer waits for a pointer event at (x, y) with buttons.
func (r *inputRecorder) waitPointer(t *testing.T, x, y, buttons int) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	var seen [][3]int
	for {
		select {
		case p := <-r.pointer:
			if p == [3]int{x, y, buttons} {
				return
			}
			seen = append(seen, p)
		case <-timeout:
			t.Fatalf("no pointer event at %d,%d with buttons %#x; saw %v", x, y, buttons, seen)
		}
	}
}

func (r *inputRecorder) waitKey(t *testing.T, keysym int, down bool) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case k := <-r.key:
			if k == [2]int{keysym, boolInt(down)} {
				return
			}
		case <-timeout:
			t.Fatalf("no key event %#x down=%v", keysym, down)
		}
	}
}

func TestTigerVNCViewer(t *testing.T) {
	peer.Need(t, "Xvfb", "vncviewer", "xwd", "xdotool")
	display := peer.Xvfb(t, 640, 480)
	for _, c := range []struct {
		name string
		args []string
	}{
		{"tight", []string{"-PreferredEncoding=Tight", "-NoJPEG"}},
		{"tight-jpeg", []string{"-PreferredEncoding=Tight", "-QualityLevel=6"}},
		{"zrle", []string{"-PreferredEncoding=ZRLE"}},
		{"hextile", []string{"-PreferredEncoding=Hextile"}},
		{"raw", []string{"-PreferredEncoding=Raw"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := NewMemSource(320, 240, "tigervnc "+c.name)
			drawDesktop(src, 12)
			in := recordInput(src)
			srv, addr := startServer(t, src, ServerConfig{})
			host, port, _ := net.SplitHostPort(addr)
			args := append([]string{"-AutoSelect=0", "-FullColor", "-RemoteResize=0", "-Shared"}, c.args...)
			cmd := peer.Command(t, display, "vncviewer", append(args, host+"::"+port)...)
			var log strings.Builder
			cmd.Stdout, cmd.Stderr = &log, &log
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() {
				if t.Failed() {
					t.Logf("vncviewer log:\n%s", log.String())
				}
			}()
			var at image.Point
			if strings.HasSuffix(c.name, "jpeg") {
				// JPEG is lossy: compare closely, not exactly.
				at = waitLossy(t, display, src, FormatRGB888, 12)
				src.Copy(image.Rect(20, 30, 220, 160), image.Pt(20, 50))
				src.Fill(image.Rect(20, 140, 220, 160), 0xffffff)
				waitLossy(t, display, src, FormatRGB888, 12)
			} else {
				at = waitScreen(t, display, src.Image(), 20*time.Second)
				// Change the picture: a scroll and new text must show too.
				src.Copy(image.Rect(20, 30, 220, 160), image.Pt(20, 50))
				src.Fill(image.Rect(20, 140, 220, 160), 0xffffff)
				waitScreen(t, display, src.Image(), 10*time.Second)
			}

			// A click and a key reach the source.
			xdo := func(args ...string) {
				if out, err := peer.Command(t, display, "xdotool", args...).CombinedOutput(); err != nil {
					t.Fatalf("xdotool %v: %v: %s", args, err, out)
				}
			}
			// Without a window manager the viewer has no focus until given it.
			win, err := peer.Command(t, display, "xdotool", "search", "--name", src.Name()).Output()
			if err != nil || len(strings.Fields(string(win))) == 0 {
				t.Fatalf("no viewer window: %v", err)
			}
			xdo("windowfocus", "--sync", strings.Fields(string(win))[0])
			px, py := 100+len(c.name), 70+len(c.name)
			xdo("mousemove", fmt.Sprint(at.X+px), fmt.Sprint(at.Y+py), "click", "1")
			in.waitPointer(t, px, py, 1)
			in.waitPointer(t, px, py, 0)
			xdo("key", "a")
			in.waitKey(t, 'a', true)
			in.waitKey(t, 'a', false)
			vs := srv.Viewers()
			if len(vs) == 1 {
				t.Logf("TigerVNC viewer: RFB %s, %v, encodings %v, %+v", vs[0].Version, vs[0].PixelFormat, vs[0].Encodings, vs[0].ByEncoding)
			}
		})
	}
}

// TestTigerVNCViewerLowColour has TigerVNC ask for 8 bits per pixel,
// which it does with SetPixelFormat behind a SyncNext fence.
func TestTigerVNCViewerLowColour(t *testing.T) {
	peer.Need(t, "Xvfb", "vncviewer", "xwd", "xdotool")
	display := peer.Xvfb(t, 640, 480)
	src := NewMemSource(320, 240, "tigervnc lowcolour")
	drawDesktop(src, 14)
	srv, addr := startServer(t, src, ServerConfig{})
	host, port, _ := net.SplitHostPort(addr)
	cmd := peer.Command(t, display, "vncviewer", "-AutoSelect=0", "-FullColor=0", "-LowColorLevel=2",
		"-PreferredEncoding=ZRLE", "-RemoteResize=0", "-Shared", host+"::"+port)
	var log strings.Builder
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var pf PixelFormat
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if vs := srv.Viewers(); len(vs) == 1 && vs[0].PixelFormat.BitsPerPixel == 8 && vs[0].Updates > 1 {
			pf = vs[0].PixelFormat
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("viewer never switched to 8 bits per pixel: %+v\n%s", srv.Viewers(), log.String())
		}
	}
	at := waitLossy(t, display, src, pf, 16)
	t.Logf("TigerVNC low colour: %v at %v", pf, at)
}

// waitLossy waits until the viewer window named after src shows src in
// format pf, within a tolerance, and returns where it shows.
func waitLossy(t *testing.T, display string, src *MemSource, pf PixelFormat, tolerance int) image.Point {
	t.Helper()
	geo, err := peer.Command(t, display, "xdotool", "search", "--sync", "--name", src.Name(), "getwindowgeometry", "%1").Output()
	if err != nil {
		t.Fatal(err)
	}
	var at image.Point
	for _, line := range strings.Split(string(geo), "\n") {
		if s, ok := strings.CutPrefix(strings.TrimSpace(line), "Position: "); ok {
			fmt.Sscanf(s, "%d,%d", &at.X, &at.Y)
		}
	}
	img := src.Image()
	w, h := img.Rect.Dx(), img.Rect.Dy()
	px := make([]uint32, w*h)
	for i := range px {
		px[i] = uint32(img.Pix[4*i])<<16 | uint32(img.Pix[4*i+1])<<8 | uint32(img.Pix[4*i+2])
	}
	expect := want(pf, px, w, h)
	// TigerVNC shows a notice over the picture for a few seconds.
	shot := xwdRoot(t, display)
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(300 * time.Millisecond) {
		if worst, _ := lossyWorst(shot, expect, at); worst <= tolerance {
			break
		}
		shot = xwdRoot(t, display)
	}
	compareLossy(t, shot, expect, at, tolerance)
	return at
}
