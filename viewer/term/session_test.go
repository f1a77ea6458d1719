package term

import (
	"bufio"
	"context"
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"

	"netdisplay/internal/peer"
	"netdisplay/pixelproto"
	"netdisplay/viewer"
	"netdisplay/xserver"
	"netdisplay/xserver/transport"
)

// countingProxy forwards TCP connections to addr and counts the bytes
// each way: an independent count to check the statistics against.
type countingProxy struct {
	addr               string
	toServer, toClient atomic.Int64
}

func newCountingProxy(t testing.TB, addr string) *countingProxy {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &countingProxy{addr: l.Addr().String()}
	var wg sync.WaitGroup
	var conns sync.Map
	wg.Add(1)
	go func() {
		defer wg.Done()
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
			conns.Store(c, s)
			wg.Add(2)
			go func() { defer wg.Done(); pipe(s, c, &p.toServer) }()
			go func() { defer wg.Done(); pipe(c, s, &p.toClient) }()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		conns.Range(func(c, s any) bool { c.(net.Conn).Close(); s.(net.Conn).Close(); return true })
		wg.Wait()
	})
	return p
}

func pipe(dst, src net.Conn, n *atomic.Int64) {
	defer dst.Close()
	io.Copy(dst, countingReader{src, n})
}

type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	k, err := c.r.Read(p)
	c.n.Add(int64(k))
	return k, err
}

// within reports whether a and b differ by at most 1% of b.
func within(a, b int64) bool {
	return b > 0 && math.Abs(float64(a-b)) <= 0.01*float64(b)
}

// settle waits until f's values stop changing, so that two counts read
// one after the other see the same bytes.
func settle(t testing.TB, f func() [4]int64) [4]int64 {
	t.Helper()
	last := f()
	for range 100 {
		time.Sleep(100 * time.Millisecond)
		now := f()
		if now == last {
			return now
		}
		last = now
	}
	t.Fatalf("counts never settled: %v", last)
	return last
}

// runViewer runs a viewer of open on a 200x60 simulated terminal.
func runViewer(t *testing.T, target string, open func(context.Context) (viewer.Session, error)) (*Viewer, tcell.SimulationScreen) {
	t.Helper()
	s := newSim(t, 200, 60)
	v := New(s, Options{Target: target, Colors: truecolor, Open: open})
	errc := make(chan error, 1)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { errc <- v.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-errc:
		case <-time.After(10 * time.Second):
			t.Error("Run did not return after its context ended")
		}
	})
	eventually(t, "the session open", 10*time.Second, func() bool {
		var live bool
		do(t, s, func() { live = v.conn.Live() })
		return live
	})
	return v, s
}

// cellOf returns the cell, and which half of it, that shows pixel p.
func cellOf(t testing.TB, v *Viewer, s tcell.Screen, p image.Point) (c image.Point, top bool) {
	do(t, s, func() {
		col, _ := touching(v.view.xs, p.X, p.X+1)
		half, _ := touching(v.view.ys, p.Y, p.Y+1)
		c, top = image.Pt(col, half/2), half%2 == 0
	})
	return c, top
}

// shows reports whether pixel p of the framebuffer shows as c.
func shows(t testing.TB, v *Viewer, s tcell.SimulationScreen, p image.Point, c color.RGBA) bool {
	at, top := cellOf(t, v, s, p)
	var fg, bg tcell.Color
	do(t, s, func() { _, fg, bg = cell(s, at.X, at.Y) })
	if top {
		return fg == rgbColor(c)
	}
	return bg == rgbColor(c)
}

// typeKeys injects keys as a terminal reports them.
func typeKeys(s tcell.SimulationScreen) {
	s.InjectKey(tcell.KeyRune, 'a', 0)
	s.InjectKey(tcell.KeyRune, 'A', 0)
	s.InjectKey(tcell.KeyRune, 'é', 0)
	s.InjectKey(tcell.KeyCtrlC, 0, tcell.ModCtrl)
	s.InjectKey(tcell.KeyEnter, 0, 0)
}

// Pixel mode against netdisplay's own RFB server: pixels show, input
// arrives as sent, and the statistics agree with a proxy's byte count.
func TestPixelMode(t *testing.T) {
	src := pixelproto.NewMemSource(320, 200, "term test")
	var mu sync.Mutex
	var keys []keyEvent
	var pointers []pointerEvent
	src.OnKey = func(sym uint32, down bool) {
		mu.Lock()
		keys = append(keys, keyEvent{sym, down})
		mu.Unlock()
	}
	src.OnPointer = func(x, y int, b uint8) {
		mu.Lock()
		pointers = append(pointers, pointerEvent{x, y, b})
		mu.Unlock()
	}
	srv := pixelproto.NewServer(src, pixelproto.ServerConfig{Logf: logf(t)})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	proxy := newCountingProxy(t, l.Addr().String())
	target := "vnc://" + proxy.addr
	var sess viewer.Session
	v, s := runViewer(t, target, func(ctx context.Context) (viewer.Session, error) {
		var err error
		sess, err = viewer.Dial(ctx, target, "", nil)
		return sess, err
	})

	orange := color.RGBA{0xff, 0x80, 0x00, 0xff}
	src.Fill(image.Rect(100, 60, 140, 100), 0xff8000)
	eventually(t, "an orange rectangle", 10*time.Second, func() bool { return shows(t, v, s, image.Pt(120, 80), orange) })

	// Changes keep coming for a while: a moving bar.
	for i := range 60 {
		src.Fill(image.Rect(0, 150, 320, 160), uint32(i*4)<<8)
		time.Sleep(5 * time.Millisecond)
	}

	typeKeys(s)
	want := append(append(append(press('a'), press('A')...), press(0xe9)...), append(press(xkControlL, 'c'), press(xkReturn)...)...)
	eventually(t, "the keys at the server", 10*time.Second, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(keys) >= len(want)
	})
	mu.Lock()
	if fmt.Sprint(keys) != fmt.Sprint(want) {
		t.Errorf("the server got keys %v, want %v", keys, want)
	}
	mu.Unlock()

	at, _ := cellOf(t, v, s, image.Pt(200, 30))
	s.InjectMouse(at.X, at.Y, tcell.Button1, 0)
	s.InjectMouse(at.X, at.Y, tcell.ButtonNone, 0)
	eventually(t, "the click at the server", 10*time.Second, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(pointers) >= 2
	})
	mu.Lock()
	var pt image.Point
	do(t, s, func() { pt = v.view.point(at.X, at.Y) })
	if got := pointers[len(pointers)-2:]; got[0] != (pointerEvent{pt.X, pt.Y, 1}) || got[1] != (pointerEvent{pt.X, pt.Y, 0}) {
		t.Errorf("the server got pointer events %v, want a press and release at %v", got, pt)
	}
	if d := pt.Sub(image.Pt(200, 30)); abs(d.X) > 2 || abs(d.Y) > 4 {
		t.Errorf("clicking the cell that shows (200,30) went to %v", pt)
	}
	mu.Unlock()

	// The viewer follows the desktop's size (DesktopSize)...
	src.Resize(160, 100)
	eventually(t, "the new desktop size on the status line", 10*time.Second, func() bool { return screenHas(t, s, "rfb "+target+" 160x100 |") })
	var scale float64
	do(t, s, func() { scale = v.view.scale })
	if scale != fitScale(image.Pt(160, 100), 200, 59) {
		t.Errorf("after the desktop shrank, scale %v, want it fitted again", scale)
	}
	// ... and ^] f makes the desktop the terminal's size at this scale.
	s.InjectKey(tcell.KeyCtrlRightSq, 0, tcell.ModCtrl)
	s.InjectKey(tcell.KeyRune, 'f', 0)
	var size image.Point
	do(t, s, func() { size = v.view.screenSize() })
	eventually(t, "the desktop resized to the terminal", 10*time.Second, func() bool { return src.Size() == size })

	got := settle(t, func() [4]int64 {
		st := sess.Stats()
		return [4]int64{st.BytesIn, st.BytesOut, proxy.toClient.Load(), proxy.toServer.Load()}
	})
	t.Logf("pixel mode: stats in %d out %d; proxy to viewer %d, to server %d", got[0], got[1], got[2], got[3])
	if !within(got[0], got[2]) || !within(got[1], got[3]) {
		t.Errorf("statistics in %d out %d disagree by more than 1%% with the proxy's %d and %d", got[0], got[1], got[2], got[3])
	}
}

// logf logs to t until the test ends, and then drops what servers
// still have to say while they shut down.
func logf(t *testing.T) func(string, ...any) {
	var mu sync.Mutex
	done := false
	t.Cleanup(func() {
		mu.Lock()
		done = true
		mu.Unlock()
	})
	return func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if !done {
			t.Logf(format, args...)
		}
	}
}

// startX starts netdisplay's X server on a free display number.
func startX(t *testing.T, w, h int) (*xserver.Server, string) {
	t.Helper()
	d, err := transport.Listen(transport.Options{Number: -1, TCP: "none"})
	if err != nil {
		t.Fatal(err)
	}
	x := xserver.New(xserver.Config{Width: w, Height: h, Logf: logf(t)})
	for _, l := range d.Listeners {
		go x.Serve(l, transport.Loopback)
	}
	t.Cleanup(func() {
		x.Close()
		d.Close()
	})
	return x, fmt.Sprintf(":%d", d.Number)
}

// lines returns the lines a command prints, as they come.
func lines(t *testing.T, r io.Reader) <-chan string {
	c := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			c <- sc.Text()
		}
		close(c)
	}()
	return c
}

func expectLine(t *testing.T, c <-chan string, prefix string) string {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case l, ok := <-c:
			if !ok {
				t.Fatalf("the client exited before printing %q", prefix)
			}
			if strings.HasPrefix(l, prefix) {
				return l
			}
		case <-timeout:
			t.Fatalf("no %q line in 10s", prefix)
		}
	}
}

// X mode: the viewer is the display. A python3-xlib client draws on it,
// and gets the viewer's click and keys; the statistics agree with a
// proxy between the client and the display.
func TestXMode(t *testing.T) {
	peer.Need(t, "python3")
	x, display := startX(t, 400, 300)
	proxy := peer.NewCountingProxy(t, display)
	sess := viewer.NewX(x, display)
	v, s := runViewer(t, display, func(context.Context) (viewer.Session, error) { return sess, nil })

	cmd := peer.Command(t, proxy.Display, peer.Python, "../../xserver/testdata/pydemo.py")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	events := lines(t, out)
	expectLine(t, events, "ready")

	// The window is at (10,10) with a 2-pixel border; its steel blue
	// rectangle covers (10,10)-(70,50) inside it.
	steelBlue := color.RGBA{70, 130, 180, 255}
	eventually(t, "the client's steel blue rectangle", 10*time.Second, func() bool { return shows(t, v, s, image.Pt(50, 40), steelBlue) })

	at, _ := cellOf(t, v, s, image.Pt(150, 120))
	var pt image.Point
	do(t, s, func() { pt = v.view.point(at.X, at.Y) })
	s.InjectMouse(at.X, at.Y, tcell.Button1, 0)
	s.InjectMouse(at.X, at.Y, tcell.ButtonNone, 0)
	if got, want := expectLine(t, events, "click"), fmt.Sprintf("click %d %d 1", pt.X-12, pt.Y-12); got != want {
		t.Errorf("the client saw %q, want %q", got, want)
	}
	s.InjectMouse(at.X, at.Y, tcell.WheelDown, 0)
	if got, want := expectLine(t, events, "click"), fmt.Sprintf("click %d %d 5", pt.X-12, pt.Y-12); got != want {
		t.Errorf("the wheel: the client saw %q, want %q", got, want)
	}

	s.InjectKey(tcell.KeyRune, 'a', 0)
	a := expectLine(t, events, "key")
	s.InjectKey(tcell.KeyRune, 'A', 0)
	// Shift comes first, then the same key as a.
	shifted := []string{expectLine(t, events, "key"), expectLine(t, events, "key")}
	if shifted[1] != a || shifted[0] == a {
		t.Errorf("typing A sent %v; typing a sent %q: want Shift, then the same key", shifted, a)
	}
	s.InjectKey(tcell.KeyRune, 'é', 0)
	expectLine(t, events, "key")

	cmd.Process.Kill()
	cmd.Wait()
	got := settle(t, func() [4]int64 {
		st := sess.Stats()
		return [4]int64{st.BytesIn, st.BytesOut, proxy.ToServer.Load(), proxy.ToClient.Load()}
	})
	t.Logf("X mode: stats in %d out %d; proxy to display %d, to client %d", got[0], got[1], got[2], got[3])
	if !within(got[0], got[2]) || !within(got[1], got[3]) {
		t.Errorf("statistics in %d out %d disagree by more than 1%% with the proxy's %d and %d", got[0], got[1], got[2], got[3])
	}
}
