//go:build linux

package xsource_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"netdisplay/internal/peer"
	"netdisplay/pixelproto"
)

// TestViewers serves one X screen, with xlogo and a python3-xlib window on
// it, to each real viewer in turn. The viewers share the desk so that the
// X server and its clients start once.
func TestViewers(t *testing.T) {
	d := startDesk(t, 480, 360)
	ref := xorgCursors(t)
	want := d.screen()
	// xwd reads the screen back with GetImage: it must agree with the
	// framebuffer the RFB server serves, or the comparisons below would
	// compare against the wrong picture.
	if peer.Have("xwd") {
		if n, at := diffAt(xwd(t, d.display, "-root"), want, image.Point{}); n != 0 {
			t.Errorf("xwd -root differs from the framebuffer in %d pixels, first at %v", n, at)
		}
	}
	t.Run("vncsnapshot", func(t *testing.T) { testSnapshot(t, d) })
	t.Run("vncviewer", func(t *testing.T) { testTigerVNC(t, d, ref) })
	t.Run("novnc", func(t *testing.T) { testNoVNC(t, d, ref) })
	t.Run("client", func(t *testing.T) { testClient(t, d, ref) })
}

// testSnapshot has vncsnapshot, which speaks RFB 3.3, take the screen in
// each encoding it has.
func testSnapshot(t *testing.T, d *desk) {
	peer.Need(t, "vncsnapshot")
	host, port, _ := net.SplitHostPort(d.addr)
	for _, enc := range []string{"raw", "hextile", "zrle", "tight"} {
		t.Run(enc, func(t *testing.T) {
			want := d.screen()
			out := filepath.Join(t.TempDir(), "snap.jpg")
			// vncsnapshot must always be given -encodings: without it it
			// asks for LastRect, mishandles it and hangs.
			runPeer(t, "", "vncsnapshot", "-quiet", "-encodings", enc, host+"::"+port, out)
			f, err := os.Open(out)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := jpeg.Decode(f)
			if err != nil {
				t.Fatal(err)
			}
			if got.Bounds().Size() != want.Rect.Size() {
				t.Fatalf("snapshot is %v, want %v", got.Bounds().Size(), want.Rect.Size())
			}
			// vncsnapshot writes JPEG (at quality 100), so the comparison
			// is pixelproto's for it: no 8×8 block may differ by more than
			// 6 levels on average in any channel.
			if worst, at := lossyWorst(got, want); worst > 6 {
				t.Errorf("snapshot (%s) differs from the framebuffer (%s): the block at %v by %d on average, tolerance 6",
					savePNG(t, got, "snapshot-"+enc+".png"), savePNG(t, want, "framebuffer.png"), at, worst)
			}
		})
	}
}

// testTigerVNC runs TigerVNC's vncviewer in an Xvfb of its own, in each
// lossless encoding, and checks its window shows the framebuffer exactly;
// then it clicks and types in the viewer with xdotool.
func testTigerVNC(t *testing.T, d *desk, ref *cursors) {
	peer.Need(t, "Xvfb", "vncviewer", "xwd", "xdotool")
	size := d.screen().Rect.Size()
	// -noreset: an X server resets when its last client leaves, and
	// refuses connections while it does; the next viewer would find it so.
	vd := peer.Xvfb(t, size.X+160, size.Y+120, "-noreset")
	for i, c := range []struct {
		name string
		args []string
	}{
		{"zrle", []string{"-PreferredEncoding=ZRLE"}},
		{"hextile", []string{"-PreferredEncoding=Hextile"}},
		{"tight", []string{"-PreferredEncoding=Tight", "-NoJPEG"}},
		{"raw", []string{"-PreferredEncoding=Raw"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			startTiger(t, vd, d.addr, c.args...)
			win, at := tigerWindow(t, vd, d)
			for _, v := range d.rfb.Viewers() {
				t.Logf("TigerVNC: RFB %s, %v, preferred %v, %+v", v.Version, v.PixelFormat, v.Preferred, v.ByEncoding)
			}
			if i > 0 {
				return
			}
			// Input goes through once: it does not depend on the encoding.
			xdo := func(args ...string) {
				t.Helper()
				runPeer(t, vd, "xdotool", args...)
			}
			// Without a window manager the viewer has no focus until given it.
			xdo("windowfocus", "--sync", win)
			p := image.Pt(30, 20)
			to := at.Add(d.win.origin).Add(p)
			xdo("mousemove", "--sync", fmt.Sprint(to.X), fmt.Sprint(to.Y), "click", "1")
			d.win.expectClick(t, p.X, p.Y, 1)
			xdo("click", "3", "click", "4") // the right button, and the wheel up
			d.win.expectClick(t, p.X, p.Y, 3)
			d.win.expectClick(t, p.X, p.Y, 4)
			// The pointer is over inputwin: the viewer shows its cursor.
			waitCursor(t, "TigerVNC's cursor over inputwin", ref.hand, func() *pixelproto.Cursor { return xfixesCursor(t, vd) })
			// A lower-case letter, then two that need Shift: TigerVNC sends
			// Shift_L and then the shifted keysym.
			xdo("type", "aA!")
			d.win.expectKeys(t, 'a', 'A', '!')
			d.win.noOtherInput(t)
		})
	}

	// Full screen, as people run it: TigerVNC asks for its screen's size
	// with SetDesktopSize, the X screen takes it, and the viewer's whole
	// screen is the framebuffer.
	t.Run("fullscreen", func(t *testing.T) {
		// Once the viewer has gone (cleanups run last first), the screen
		// goes back to its size for the tests after this one.
		t.Cleanup(func() { d.x.Resize(size.X, size.Y) })
		startTiger(t, vd, d.addr, "-PreferredEncoding=ZRLE", "-FullScreen", "-RemoteResize=1")
		full := image.Pt(size.X+160, size.Y+120)
		var shot, want *image.RGBA
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(200 * time.Millisecond) {
			want = d.screen()
			shot = xwd(t, vd, "-root")
			if n, _ := diffAt(shot, want, image.Point{}); n == 0 && want.Rect.Size() == full {
				break
			}
			if time.Now().After(deadline) {
				n, at := diffAt(shot, want, image.Point{})
				t.Fatalf("the X screen is %v, want %v; the viewer's screen (%s) differs from the framebuffer (%s) in %d pixels, first at %v",
					want.Rect.Size(), full, savePNG(t, shot, "fullscreen.png"), savePNG(t, want, "framebuffer.png"), n, at)
			}
		}
	})

	// Scrolling and window moves, many between two updates: TigerVNC
	// applies the CopyRects itself, and must still show the framebuffer
	// exactly, and so must our client.
	t.Run("copies", func(t *testing.T) {
		startTiger(t, vd, d.addr, "-PreferredEncoding=ZRLE")
		tigerWindow(t, vd, d)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		c, err := pixelproto.Dial(ctx, d.addr, pixelproto.ClientConfig{})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		waitClient(t, c, d)
		d.win.do(t, "stress 200")
		tigerWindow(t, vd, d)
		waitClient(t, c, d)
		// How many of the copies went as CopyRect depends on how far
		// behind each viewer fell (past 64 pending copies the server sends
		// pixels instead), so it is logged, not checked; client/copyrect
		// checks that a single move goes as CopyRect.
		for _, v := range d.rfb.Viewers() {
			t.Logf("viewer %s: preferred %v, %+v", v.Addr, v.Preferred, v.ByEncoding)
		}
	})
}

// startTiger starts TigerVNC's viewer on display vd, watching the RFB
// server at addr; it is stopped at the end of the test.
func startTiger(t *testing.T, vd, addr string, args ...string) {
	t.Helper()
	host, port, _ := net.SplitHostPort(addr)
	// The viewer keeps the desk's size (-RemoteResize=0) unless a later
	// argument says otherwise: the last of an option wins.
	args = append([]string{"-AutoSelect=0", "-FullColor", "-RemoteResize=0", "-Shared"}, args...)
	cmd := peer.Command(t, vd, "vncviewer", append(args, host+"::"+port)...)
	log := new(strings.Builder)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("vncviewer log:\n%s", log.String())
		}
		cmd.Process.Kill()
		cmd.Wait()
	})
}

// tigerWindow waits until TigerVNC's window on vd shows d's screen, exactly,
// and returns the window and where the screen is on vd.
func tigerWindow(t *testing.T, vd string, d *desk) (string, image.Point) {
	t.Helper()
	var win string
	var shot *image.RGBA
	var want *image.RGBA
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		want = d.screen()
		if win == "" {
			out, _ := peer.Command(t, vd, "xdotool", "search", "--onlyvisible", "--name", "netdisplay xsource test").Output()
			if f := strings.Fields(string(out)); len(f) > 0 {
				win = f[0]
			}
		}
		if win != "" {
			shot = xwd(t, vd, "-id", win)
			if n, _ := diffAt(shot, want, image.Point{}); n == 0 && shot.Rect.Size() == want.Rect.Size() {
				break
			}
		}
		if time.Now().After(deadline) {
			if shot == nil {
				t.Fatalf("no vncviewer window")
			}
			n, at := diffAt(shot, want, image.Point{})
			t.Fatalf("the viewer's window (%v, %s) never showed the framebuffer (%v, %s) exactly: %d pixels differ, first at %v",
				shot.Rect.Size(), savePNG(t, shot, "vncviewer.png"), want.Rect.Size(), savePNG(t, want, "framebuffer.png"), n, at)
		}
	}
	geo := runPeer(t, vd, "xdotool", "getwindowgeometry", win)
	var at image.Point
	for _, line := range strings.Split(geo, "\n") {
		if s, ok := strings.CutPrefix(strings.TrimSpace(line), "Position: "); ok {
			fmt.Sscanf(s, "%d,%d", &at.X, &at.Y)
		}
	}
	return win, at
}

// testNoVNC runs Debian's noVNC 1.3.0 in headless Chromium through
// websockify, as pixelproto's own noVNC test does, reads its canvas, and
// clicks and types on it.
func testNoVNC(t *testing.T, d *desk, ref *cursors) {
	peer.Need(t, "websockify", "chromium")
	const novnc = "/usr/share/novnc"
	if _, err := os.Stat(novnc + "/vnc.html"); err != nil {
		t.Skipf("skipped: needs noVNC in %s (Debian package novnc)", novnc)
	}
	want := d.screen()
	// noVNC asks for Tight with a JPEG quality, and the Tight encoder uses
	// JPEG only for 64×64 tiles of more than 128 colours; the desk is drawn
	// in a few flat colours, so noVNC must show it exactly.
	if n := colours(want, want.Rect, 128); n > 128 {
		t.Fatalf("the desk has %d colours or more: noVNC would get JPEG and the exact comparison would not hold", n)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	wsAddr := l.Addr().String()
	l.Close()
	_, wsPort, _ := net.SplitHostPort(wsAddr)
	ws := peer.Command(t, "", "websockify", "--web", novnc, wsAddr, d.addr)
	var wslog strings.Builder
	ws.Stdout, ws.Stderr = &wslog, &wslog
	if err := ws.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if c, err := net.Dial("tcp", wsAddr); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("websockify does not listen on %s: %s", wsAddr, wslog.String())
		}
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath("/usr/bin/chromium"), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1024, 768),
		chromedp.Flag("disable-quic", true))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	defer cancelT()

	url := fmt.Sprintf("http://%s/vnc.html?host=127.0.0.1&port=%s&autoconnect=1&resize=off", wsAddr, wsPort)
	if _, err := chromedp.Run(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	canvas := func() *image.RGBA {
		data, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
			const c = document.querySelector('#noVNC_container canvas');
			return c && c.width > 1 ? c.toDataURL('image/png') : '';
		})()`))
		b, ok := strings.CutPrefix(data, "data:image/png;base64,")
		if err != nil || !ok {
			return nil
		}
		raw, err := base64.StdEncoding.DecodeString(b)
		if err != nil {
			return nil
		}
		img, err := png.Decode(bytes.NewReader(raw))
		if err != nil {
			return nil
		}
		return toRGBA(img)
	}
	var got *image.RGBA
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		want = d.screen()
		if got = canvas(); got != nil && got.Rect == want.Rect {
			if n, _ := diffAt(got, want, image.Point{}); n == 0 {
				break
			}
		}
		if time.Now().After(deadline) {
			if got == nil {
				t.Fatalf("noVNC shows no canvas; websockify: %s", wslog.String())
			}
			n, at := diffAt(got, want, image.Point{})
			t.Fatalf("noVNC's canvas (%v, %s) never showed the framebuffer (%v, %s) exactly: %d pixels differ, first at %v",
				got.Rect.Size(), savePNG(t, got, "novnc.png"), want.Rect.Size(), savePNG(t, want, "framebuffer.png"), n, at)
		}
	}
	for _, v := range d.rfb.Viewers() {
		t.Logf("noVNC: RFB %s, %v, preferred %v, %+v", v.Version, v.PixelFormat, v.Preferred, v.ByEncoding)
	}

	box, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => {
		const r = document.querySelector('#noVNC_container canvas').getBoundingClientRect();
		return [r.left, r.top];
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	p := image.Pt(50, 35)
	to := d.win.origin.Add(p)
	if _, err := chromedp.Run(ctx, chromedp.MouseClickXY(box[0]+float64(to.X)+0.5, box[1]+float64(to.Y)+0.5)); err != nil {
		t.Fatal(err)
	}
	d.win.expectClick(t, p.X, p.Y, 1)
	if _, err := chromedp.Run(ctx, chromedp.MouseClickXY(box[0]+float64(to.X)+0.5, box[1]+float64(to.Y)+0.5, chromedp.ButtonRight)); err != nil {
		t.Fatal(err)
	}
	d.win.expectClick(t, p.X, p.Y, 3)
	// The pointer is over inputwin: noVNC shows its cursor as the canvas's
	// CSS cursor, a PNG and the hot spot.
	waitCursor(t, "noVNC's cursor over inputwin", ref.hand, func() *pixelproto.Cursor {
		css, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#noVNC_container canvas').style.cursor`))
		if err != nil {
			t.Fatal(err)
		}
		return cssCursor(css)
	})
	// chromedp types 'A' and '!' as single key events with the Shift flag
	// and no Shift key press, so noVNC sends their keysyms without Shift_L
	// and the X server must hold Shift for them itself.
	if _, err := chromedp.Run(ctx, chromedp.KeyEvent("aA!")); err != nil {
		t.Fatal(err)
	}
	d.win.expectKeys(t, 'a', 'A', '!')
	d.win.noOtherInput(t)
}

// cssCursor decodes a CSS cursor as noVNC sets it:
// url("data:image/png;base64,...") HOTX HOTY, default.
func cssCursor(css string) *pixelproto.Cursor {
	m := cssCursorRE.FindStringSubmatch(css)
	if m == nil {
		return nil
	}
	raw, err := base64.StdEncoding.DecodeString(m[1])
	if err != nil {
		return nil
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		return nil
	}
	b := img.Bounds()
	c := &pixelproto.Cursor{Width: b.Dx(), Height: b.Dy()}
	fmt.Sscan(m[2]+" "+m[3], &c.Hot.X, &c.Hot.Y)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			p := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			c.Pixels = append(c.Pixels, uint32(p.R)<<16|uint32(p.G)<<8|uint32(p.B))
			c.Mask = append(c.Mask, p.A != 0)
		}
	}
	return c
}

var cssCursorRE = regexp.MustCompile(`url\("?data:image/png;base64,([A-Za-z0-9+/=]+)"?\)\s*(\d+)\s+(\d+)`)

// testClient connects pixelproto's own client: its framebuffer, input,
// the cursor, and CopyRect for a window move.
func testClient(t *testing.T, d *desk, ref *cursors) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pixelproto.Dial(ctx, d.addr, pixelproto.ClientConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	waitClient(t, c, d)

	t.Run("input", func(t *testing.T) {
		p := image.Pt(70, 45)
		at := d.win.origin.Add(p)
		c.Pointer(at.X, at.Y, 0)
		c.Pointer(at.X, at.Y, 1)
		c.Pointer(at.X, at.Y, 0)
		d.win.expectClick(t, p.X, p.Y, 1)
		c.Pointer(at.X, at.Y, 4) // button 3
		c.Pointer(at.X, at.Y, 0)
		d.win.expectClick(t, p.X, p.Y, 3)
		c.Pointer(at.X, at.Y, 16) // button 5, the wheel down
		c.Pointer(at.X, at.Y, 0)
		d.win.expectClick(t, p.X, p.Y, 5)
		// Keysyms alone, without Shift_L: the server holds Shift for the
		// shifted ones and lets it go for the others.
		for _, k := range []uint32{'a', 'A', '!', '1'} {
			c.Key(k, true)
			c.Key(k, false)
		}
		d.win.expectKeys(t, 'a', 'A', '!', '1')
		// And with Shift_L held, as TigerVNC sends them.
		c.Key(0xffe1, true)
		c.Key('B', true)
		c.Key('B', false)
		c.Key(0xffe1, false)
		c.Key('b', true)
		c.Key('b', false)
		d.win.expectKeys(t, 'B', 'b')
		// A keysym the keymap lacks: the server lends it a spare keycode
		// and says so with MappingNotify before the KeyPress.
		c.Key(0xe9, true) // eacute
		c.Key(0xe9, false)
		d.win.expectKeys(t, 0xe9)
		d.win.noOtherInput(t)
	})

	t.Run("cursor", func(t *testing.T) { testCursor(t, d, c, ref) })

	t.Run("copyrect", func(t *testing.T) {
		before := copyRects(c)
		// A move onto part of where it was: the copy overlaps itself.
		d.win.do(t, "move 60 45")
		waitClient(t, c, d)
		if n := copyRects(c) - before; n == 0 {
			t.Errorf("a window move reached the client with no CopyRect: %+v", c.Stats().ByEncoding)
		}
	})

	// The bell, and the clipboard both ways: ServerCutText when an X
	// client takes PRIMARY, and PRIMARY for X clients when a viewer cuts.
	t.Run("bell", func(t *testing.T) {
		before := c.Bells()
		d.win.do(t, "bell")
		for deadline := time.Now().Add(10 * time.Second); c.Bells() == before; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the bell did not reach the client")
			}
		}
	})
	t.Run("cut", func(t *testing.T) {
		text := []byte("caf\xe9 from X") // ISO 8859-1, as RFB has it
		d.win.do(t, "copy %x", text)
		for deadline := time.Now().Add(10 * time.Second); string(c.CutText()) != string(text); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("the client's cut text is %q, want %q", c.CutText(), text)
			}
		}
		text = []byte("na\xefve from RFB")
		if err := c.SendCutText(text); err != nil {
			t.Fatal(err)
		}
		// The X server takes PRIMARY when the cut arrives: wait for it, as
		// an X client would see it, by asking until the text is the new one.
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			d.win.do(t, "paste")
			got := d.win.expect(t, "pasted", 10*time.Second)
			if len(got) == 1 && got[0] == fmt.Sprintf("%x", text) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("PRIMARY is %v, want %x", got, text)
			}
		}
	})

	// SetDesktopSize resizes the X screen; the client sees the new size,
	// and the root window's background where the screen grew back.
	t.Run("resize", func(t *testing.T) {
		for _, size := range []image.Point{{400, 300}, {480, 360}} {
			if err := c.SetDesktopSize(size.X, size.Y); err != nil {
				t.Fatal(err)
			}
			for deadline := time.Now().Add(10 * time.Second); c.Size() != size; time.Sleep(50 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("the client's framebuffer stayed %v, want %v; last ExtendedDesktopSize %+v", c.Size(), size, c.LastResize())
				}
			}
			if got := d.x.Size(); got != size {
				t.Errorf("the X screen is %v, want %v", got, size)
			}
			if r := c.LastResize(); r.Status != 0 {
				t.Errorf("ExtendedDesktopSize status %d, want 0", r.Status)
			}
			waitClient(t, c, d)
		}
	})
}

// waitClient waits until c's framebuffer is d's screen.
func waitClient(t *testing.T, c *pixelproto.Client, d *desk) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; {
		want := d.screen()
		got := c.Image()
		n, at := diffAt(got, want, image.Point{})
		if n == 0 && got.Rect == want.Rect {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the client's framebuffer (%s) differs from the X server's (%s) in %d pixels, first at %v",
				savePNG(t, got, "client.png"), savePNG(t, want, "framebuffer.png"), n, at)
		}
		select {
		case <-c.Updated():
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func copyRects(c *pixelproto.Client) int64 {
	for _, e := range c.Stats().ByEncoding {
		if e.Encoding == pixelproto.CopyRect {
			return e.Rects
		}
	}
	return 0
}

// testCursor checks the pointer's shapes the client gets: over xlogo,
// which sets none, the root window's, X.Org's X_cursor; over inputwin,
// that window's XC_hand2.
func testCursor(t *testing.T, d *desk, c *pixelproto.Client, ref *cursors) {
	c.Pointer(340, 100, 0) // over xlogo
	waitCursor(t, "the client's cursor over xlogo", ref.root, c.Cursor)
	at := d.win.origin.Add(image.Pt(100, 60))
	c.Pointer(at.X, at.Y, 0)
	waitCursor(t, "the client's cursor over inputwin", ref.hand, c.Cursor)

	// The window under a still pointer changes: as X.Org does, the server
	// shows the new window's cursor without waiting for the pointer to move.
	c.Pointer(100, 185, 0) // the root, between the windows
	waitCursor(t, "the client's cursor over the root", ref.root, c.Cursor)
	home := d.win.origin.Sub(image.Pt(2, 2)) // its border's corner
	d.win.do(t, "move 60 100")
	waitCursor(t, "the client's cursor after inputwin moved under it", ref.hand, c.Cursor)
	d.win.do(t, "move %d %d", home.X, home.Y)
	waitCursor(t, "the client's cursor after inputwin moved away", ref.root, c.Cursor)
}

// waitCursor waits until get returns the cursor want.
func waitCursor(t *testing.T, what string, want *pixelproto.Cursor, get func() *pixelproto.Cursor) {
	t.Helper()
	var got *pixelproto.Cursor
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		got = get()
		if got != nil && cursorDiff(got, want) == 0 {
			return
		}
		if time.Now().After(deadline) {
			break
		}
	}
	if got == nil {
		t.Fatalf("%s: none", what)
	}
	t.Errorf("%s differs from X.Org's in %d pixels\ngot %dx%d hot %v:\n%s\nwant (Xvfb) %dx%d hot %v:\n%s",
		what, cursorDiff(got, want), got.Width, got.Height, got.Hot, drawCursor(got), want.Width, want.Height, want.Hot, drawCursor(want))
}

// cursorDiff counts the pixels in which two cursors differ, shown or not
// and colour, lined up by their hot spots: servers may pad or crop a
// cursor differently, but what shows around the hot spot must agree.
func cursorDiff(got, want *pixelproto.Cursor) int {
	off := want.Hot.Sub(got.Hot)
	bad := 0
	for y := min(0, off.Y); y < max(got.Height, want.Height-off.Y); y++ {
		for x := min(0, off.X); x < max(got.Width, want.Width-off.X); x++ {
			g, gok := cursorAt(got, x, y)
			w, wok := cursorAt(want, x+off.X, y+off.Y)
			if gok != wok || gok && g != w {
				bad++
			}
		}
	}
	return bad
}

// cursorAt returns the colour of a cursor's pixel and whether it shows.
func cursorAt(c *pixelproto.Cursor, x, y int) (uint32, bool) {
	if x < 0 || y < 0 || x >= c.Width || y >= c.Height || !c.Mask[y*c.Width+x] {
		return 0, false
	}
	return c.Pixels[y*c.Width+x] & 0xffffff, true
}

func drawCursor(c *pixelproto.Cursor) string {
	var b strings.Builder
	for y := 0; y < c.Height; y++ {
		for x := 0; x < c.Width; x++ {
			switch p, ok := cursorAt(c, x, y); {
			case !ok:
				b.WriteByte('.')
			case p == 0:
				b.WriteByte('#')
			case p == 0xffffff:
				b.WriteByte('o')
			default:
				b.WriteByte('?')
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// cursors are X.Org's renderings of the cursors on the desk.
type cursors struct {
	root *pixelproto.Cursor // the root window's: X_cursor
	hand *pixelproto.Cursor // inputwin's: XC_hand2, black on white
}

// xorgCursors has a fresh Xvfb show its root cursor, and then XC_hand2
// in a window as inputwin sets it, and reads both with XFIXES
// GetCursorImage: the reference the cursors our server sends must match.
func xorgCursors(t *testing.T) *cursors {
	t.Helper()
	peer.Need(t, "Xvfb", "python3")
	vd := peer.Xvfb(t, 64, 64)
	out := runPeer(t, vd, peer.Python, "-c", `
from Xlib import display
d = display.Display()
d.xfixes_query_version()
s = d.screen()

def dump():
    d.sync()
    r = d.xfixes_get_cursor_image(None)
    print(r.width, r.height, r.xhot, r.yhot, *r.cursor_image)

s.root.warp_pointer(10, 10)
dump()
f = d.open_font("cursor")
w = s.root.create_window(0, 0, 64, 64, 0, s.root_depth,
    cursor=f.create_glyph_cursor(f, 60, 61, (0, 0, 0), (0xffff, 0xffff, 0xffff)))
w.map()
d.sync()
s.root.warp_pointer(20, 20)
dump()
`)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("XFIXES cursors: %q", out)
	}
	return &cursors{root: parseXFixesCursor(t, lines[0]), hand: parseXFixesCursor(t, lines[1])}
}

// xfixesCursor reads the cursor an X server shows now.
func xfixesCursor(t *testing.T, display string) *pixelproto.Cursor {
	t.Helper()
	out := runPeer(t, display, peer.Python, "-c", `
from Xlib import display
d = display.Display()
d.xfixes_query_version()
r = d.xfixes_get_cursor_image(None)
print(r.width, r.height, r.xhot, r.yhot, *r.cursor_image)
`)
	return parseXFixesCursor(t, strings.TrimSpace(out))
}

// parseXFixesCursor reads "W H XHOT YHOT ARGB...".
func parseXFixesCursor(t *testing.T, line string) *pixelproto.Cursor {
	t.Helper()
	f := strings.Fields(line)
	if len(f) < 4 {
		t.Fatalf("XFIXES cursor: %q", line)
	}
	var c pixelproto.Cursor
	fmt.Sscan(strings.Join(f[:4], " "), &c.Width, &c.Height, &c.Hot.X, &c.Hot.Y)
	if len(f) != 4+c.Width*c.Height {
		t.Fatalf("XFIXES cursor of %dx%d with %d pixels", c.Width, c.Height, len(f)-4)
	}
	for _, s := range f[4:] {
		var argb uint32
		fmt.Sscan(s, &argb)
		c.Pixels = append(c.Pixels, argb&0xffffff)
		c.Mask = append(c.Mask, argb>>24 != 0)
	}
	return &c
}
