package main

import (
	"bufio"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"netdisplay/internal/peer"
	"netdisplay/pixelproto"
	"netdisplay/protocol"
	"netdisplay/xlib"
)

// A window and its frame, as the tests see them from outside.
type wmFrame struct {
	outer  image.Rectangle // the frame on the root, border included
	client image.Rectangle // the client's inside on the root
}

func (f wmFrame) title() int { return f.client.Min.Y - f.outer.Min.Y }

// titleBar and closeButton are points to click.
func (f wmFrame) titleBar() image.Point {
	return image.Pt(f.outer.Min.X+f.outer.Dx()/3, f.outer.Min.Y+f.title()/2)
}

func (f wmFrame) closeButton() image.Point {
	return image.Pt(f.outer.Max.X-f.title()/2, f.outer.Min.Y+f.title()/2)
}

// framedWindow waits for a window named name to be framed: a child of a
// child of the root, mapped.
func framedWindow(t *testing.T, c *xlib.Conn, name string) (xlib.Window, wmFrame) {
	t.Helper()
	var w xlib.Window
	var f wmFrame
	waitUntil(t, name+" in a frame", func() bool {
		top, err := c.QueryTree(c.Root()).Reply()
		if err != nil {
			return false
		}
		for _, fr := range top.Children {
			tree, err := c.QueryTree(xlib.Window(fr)).Reply()
			if err != nil {
				continue
			}
			for _, ch := range tree.Children {
				r, err := c.GetProperty(xlib.Window(ch), protocol.AtomWmName, false).Reply()
				if err != nil || xlib.PropertyText(r) != name {
					continue
				}
				fg, err1 := c.GetGeometry(xlib.Window(fr)).Reply()
				cg, err2 := c.GetGeometry(xlib.Window(ch)).Reply()
				at, err3 := c.TranslateCoordinates(xlib.Window(ch), c.Root(), image.Point{}).Reply()
				a, err4 := c.GetWindowAttributes(xlib.Window(ch)).Reply()
				if err1 != nil || err2 != nil || err3 != nil || err4 != nil || a.MapState != protocol.MapStateViewable {
					return false
				}
				b := 2 * int(fg.BorderWidth)
				w = xlib.Window(ch)
				f = wmFrame{
					outer:  image.Rect(int(fg.X), int(fg.Y), int(fg.X)+int(fg.Width)+b, int(fg.Y)+int(fg.Height)+b),
					client: image.Rect(int(at.DstX), int(at.DstY), int(at.DstX)+int(cg.Width), int(at.DstY)+int(cg.Height)),
				}
				return true
			}
		}
		return false
	})
	return w, f
}

func xdo(t *testing.T, display string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("xdotool %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func pt(p image.Point) []string { return []string{fmt.Sprint(p.X), fmt.Sprint(p.Y)} }

// `serve --wm` frames xterm, xlogo and a sample application; a title bar
// drags, and xlogo's close button makes it exit. What the display shows
// comes out the same through netdisplay's RFB client. With
// NETDISPLAY_UPDATE_DOCS=1 the snapshots are written to docs/images for
// the README.
func TestServeWM(t *testing.T) {
	peer.Need(t, "xlogo", "xterm", "xdotool")
	d := serveForTest(t, serveFlags{wm: true, geometry: "800x500"})
	display := fmt.Sprintf(":%d", d.d.Number)
	c, err := xlib.Open(display)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	xdo(t, display, "mousemove", "790", "490")
	xlogo := peer.Command(t, display, "xlogo", "-geometry", "160x160+30+40")
	if err := xlogo.Start(); err != nil {
		t.Fatal(err)
	}
	_, fx := framedWindow(t, c, "xlogo")
	xterm := peer.Command(t, display, "xterm", "-title", "xterm", "-geometry", "50x12+230+40", "-e", "/bin/sh")
	xterm.Env = append(xterm.Env, "PS1=$ ")
	if err := xterm.Start(); err != nil {
		t.Fatal(err)
	}
	_, ft := framedWindow(t, c, "xterm")
	clock := filepath.Join(t.TempDir(), "clock")
	if out, err := exec.Command("go", "build", "-o", clock, "netdisplay/clients/clock").CombinedOutput(); err != nil {
		t.Logf("leaving out the sample clock, which does not build: %v\n%s", err, out)
	} else {
		cmd := peer.Command(t, display, clock, "-geometry", "220x250+560+40")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		framedWindow(t, c, "clock")
	}
	snapshot(t, d, "wm-desktop.png")

	// Drag xterm down by its title bar.
	delta := image.Pt(-150, 200)
	from := ft.titleBar()
	to := from.Add(delta)
	xdo(t, display, append(append(append([]string{"mousemove"}, pt(from)...), "sleep", "0.1", "mousedown", "1", "mousemove"), append(pt(to), "sleep", "0.1", "mouseup", "1")...)...)
	waitUntil(t, "xterm to move", func() bool {
		_, g := framedWindow(t, c, "xterm")
		return g.outer.Min == ft.outer.Min.Add(delta)
	})
	snapshot(t, d, "wm-moved.png")

	exited := make(chan error, 1)
	go func() { exited <- xlogo.Wait() }()
	xdo(t, display, append(append([]string{"mousemove"}, pt(fx.closeButton())...), "sleep", "0.1", "click", "1")...)
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("xlogo exited with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Errorf("xlogo did not exit when its close button was clicked")
		xlogo.Process.Kill()
		<-exited
	}
}

// snapshot takes the screen through netdisplay's RFB client, checks it
// against the framebuffer, and saves it in docs/images when asked to.
func snapshot(t *testing.T, d *display, name string) {
	t.Helper()
	var got *image.RGBA
	waitUntil(t, "the snapshot to show the framebuffer", func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		img, err := pixelproto.Snapshot(ctx, d.rfbAddr, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		got = img
		n, _ := peer.DiffImages(img, framebuffer(d))
		return n == 0
	})
	if os.Getenv("NETDISPLAY_UPDATE_DOCS") == "" {
		return
	}
	f, err := os.Create(filepath.Join("..", "..", "docs", "images", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, got); err != nil {
		t.Fatal(err)
	}
}

// `netdisplay wm` manages any display, Xvfb's as well as netdisplay's;
// killed, it leaves the applications running and their windows on the
// root, mapped (on netdisplay, the windows come back unmapped: a server
// bug, see wm.TestServerSaveSetMapsOnDisconnect).
func TestWMCommand(t *testing.T) {
	peer.Need(t, "xlogo", "Xvfb")
	bin := netdisplayBinary(t)
	d := serveForTest(t, serveFlags{rfb: "none"})
	for _, display := range []string{fmt.Sprintf(":%d", d.d.Number), peer.Xvfb(t, 640, 480)} {
		ours := display == fmt.Sprintf(":%d", d.d.Number)
		c, err := xlib.Open(display)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		wm := exec.Command(bin, "wm", "--display", display)
		if err := wm.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			wm.Process.Kill()
			wm.Wait()
		})
		xlogo := peer.Command(t, display, "xlogo", "-geometry", "100x100+50+50")
		if err := xlogo.Start(); err != nil {
			t.Fatal(err)
		}
		w, f := framedWindow(t, c, "xlogo")
		wm.Process.Signal(syscall.SIGKILL)
		waitUntil(t, "xlogo back on the root", func() bool {
			tree, err := c.QueryTree(w).Reply()
			return err == nil && xlib.Window(tree.Parent) == c.Root()
		})
		if g, _ := c.GetGeometry(w).Reply(); int(g.X) != f.client.Min.X || int(g.Y) != f.client.Min.Y {
			t.Errorf("%s: xlogo at %d,%d after the window manager was killed, want where it was, %v", display, g.X, g.Y, f.client.Min)
		}
		if xlogo.Process.Signal(syscall.Signal(0)) != nil {
			t.Errorf("%s: xlogo died with the window manager", display)
		}
		if ours {
			continue // the server bug above
		}
		waitUntil(t, "xlogo mapped", func() bool {
			a, err := c.GetWindowAttributes(w).Reply()
			return err == nil && a.MapState == protocol.MapStateViewable
		})
	}
}

// `demo` runs the window manager unless told not to.
func TestDemoRunsWM(t *testing.T) {
	peer.Need(t, "xlogo")
	bin := netdisplayBinary(t)
	for _, on := range []bool{true, false} {
		cmd := exec.Command(bin, "demo", "--rfb", "none", "--listen", "none", fmt.Sprintf("--wm=%v", on))
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() {
			cmd.Process.Signal(os.Interrupt)
			cmd.Wait()
		}()
		var display string
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if f := strings.Fields(sc.Text()); len(f) > 2 && f[0] == "netdisplay" && f[1] == "ready" {
				display = strings.TrimPrefix(f[2], "display=")
				break
			}
		}
		go func() {
			for sc.Scan() {
			}
		}()
		if display == "" {
			t.Fatal("demo printed no ready line")
		}
		c, err := xlib.Open(display)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		a, err := c.GetWindowAttributes(c.Root()).Reply()
		if err != nil {
			t.Fatal(err)
		}
		if managed := a.AllEventMasks&protocol.EventMaskSubstructureRedirect != 0; managed != on {
			t.Errorf("demo --wm=%v: a window manager runs: %v", on, managed)
		}
		if on {
			xlogo := peer.Command(t, display, "xlogo")
			if err := xlogo.Start(); err != nil {
				t.Fatal(err)
			}
			framedWindow(t, c, "xlogo")
		}
	}
}

// Without a terminal, demo prints where to watch (the browser's URL, the
// desktop and terminal viewers' commands), starts the sample applications
// under the window manager, and keeps serving.
func TestDemoWithoutTerminal(t *testing.T) {
	bin := netdisplayBinary(t)
	cmd := exec.Command(bin, "demo")
	cmd.Stdin = nil
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}()
	var text strings.Builder
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		text.WriteString(sc.Text() + "\n")
		if strings.Contains(sc.Text(), "Stop it:") {
			break
		}
	}
	go func() {
		for sc.Scan() {
		}
	}()
	s := text.String()
	for _, want := range []string{"web=http://127.0.0.1:", "/?token=", "In a browser:", "netdisplay desktop vnc://", "netdisplay term vnc://"} {
		if !strings.Contains(s, want) {
			t.Errorf("demo's output lacks %q:\n%s", want, s)
		}
	}
	display := strings.TrimPrefix(strings.Fields(s)[2], "display=")
	c, err := xlib.Open(display)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// Five applications, each framed by the window manager.
	deadline := time.Now().Add(20 * time.Second)
	for {
		tree, err := c.QueryTree(c.Root()).Reply()
		if err != nil {
			t.Fatal(err)
		}
		framed := 0
		for _, w := range tree.Children {
			if sub, err := c.QueryTree(xlib.Window(w)).Reply(); err == nil && len(sub.Children) > 0 {
				framed++
			}
		}
		if framed >= 5 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d framed windows on the root, want the 5 sample applications", framed)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if cmd.ProcessState != nil {
		t.Fatal("demo exited")
	}
}
