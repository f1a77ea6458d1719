package bench

import (
	"context"
	"errors"
	"fmt"
	"image"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"time"

	"netdisplay/bench/link"
	"netdisplay/bench/perf"
	"netdisplay/pixelproto"
	"netdisplay/xserver"
	"netdisplay/xserver/transport"
	"netdisplay/xserver/xsource"
)

// A session is one run's topology, faithful to each design:
//
//	X mode:     application ⇄ counter ⇄ link ⇄ tap ⇄ X server (the display, in the harness)
//	pixel mode: application ⇄ local socket ⇄ serve ⇄ tap ⇄ link ⇄ counter ⇄ RFB viewer (in the harness)
//
// The link is the only place the network is emulated, and what crosses
// it is the only traffic counted. The tap and the counter count the same
// traffic again, at either end of the link, independently.
type session struct {
	h       *Harness
	mode    Mode
	profile link.Profile
	scale   Scale
	size    image.Point // the screen
	display string      // DISPLAY for the applications
	tmp     string      // a directory for the run's files

	link    *link.Proxy
	taps    []*tap // one for each connection across the link
	counter *counter

	// X mode: the display is an X server in the harness; its input
	// comes through xsource, as a viewer's would in the server.
	x   *xserver.Server
	src *xsource.Source
	xl  net.Listener

	// Pixel mode: the server is a child (netdisplay serve, or Xvnc),
	// and the display is an RFB viewer in the harness.
	server    *child
	serverPID int // when the harness did not start it (Xvnc)
	stopXvnc  func()
	rfb       *pixelproto.Client

	changes changes
	apps    []*child

	mu        sync.Mutex
	latencies []time.Duration
	lost      int
	samples   []sample // bytes to the display, every tick
	stopTick  chan struct{}
	tickDone  chan struct{}
}

// A sample is the traffic counted up to a moment.
type sample struct {
	at    time.Time
	bytes int64
}

// changes records when the display's framebuffer changes: the X
// server's damage in X mode, the viewer's updates in pixel mode.
type changes struct {
	mu   sync.Mutex
	n    int64
	last time.Time
	sig  chan struct{}
}

func (c *changes) note() {
	c.mu.Lock()
	c.n++
	c.last = time.Now()
	c.mu.Unlock()
	select {
	case c.sig <- struct{}{}:
	default:
	}
}

func (c *changes) get() (int64, time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n, c.last
}

// damage is the X server's DamageListener for the session: any change
// of pixels is a change on the display.
type damage struct{ c *changes }

func (d damage) Changed(image.Rectangle)          { d.c.note() }
func (d damage) Copied(image.Rectangle, int, int) { d.c.note() }
func (d damage) Resized(int, int)                 { d.c.note() }
func (damage) CursorChanged()                     {}
func (damage) CutText([]byte)                     {}
func (damage) Bell()                              {}

// errNoResponse is a probe's input that the display never answered.
var errNoResponse = errors.New("no response on the display")

func newSession(ctx context.Context, h *Harness, m Mode, p link.Profile, sc Scale) (s *session, err error) {
	s = &session{h: h, mode: m, profile: p, scale: sc, size: h.cfg.Screen}
	s.changes.sig = make(chan struct{}, 1)
	if s.tmp, err = os.MkdirTemp("", "netdisplay-bench-"); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			s.close()
		}
	}()
	if m.Pixel {
		err = s.startPixel(ctx)
	} else {
		err = s.startX()
	}
	if err != nil {
		return nil, err
	}
	s.stopTick, s.tickDone = make(chan struct{}), make(chan struct{})
	go s.tick()
	return s, nil
}

// dialTap is the link's way to the server side: every connection is
// tapped.
func (s *session) dialTap(addr string, x bool) func() (net.Conn, error) {
	return func() (net.Conn, error) {
		network := "tcp"
		c, err := net.Dial(network, addr)
		if err != nil {
			return nil, err
		}
		t := &tap{Conn: c}
		if x {
			req := newXRequests()
			t.upMsg, t.downMsg = req, newXReplies(req)
		} else {
			t.upMsg, t.downMsg = newRFBClient(), nothing{}
		}
		s.mu.Lock()
		s.taps = append(s.taps, t)
		s.mu.Unlock()
		return t, nil
	}
}

// startX makes the display an X server in the harness, behind the link,
// with the counter where X clients connect: TCP display 127.0.0.1:N.
func (s *session) startX() error {
	s.x = xserver.New(xserver.Config{Width: s.size.X, Height: s.size.Y, Logf: func(string, ...any) {}})
	s.src = xsource.New(s.x, "bench")
	s.x.AddDamageListener(damage{&s.changes})
	var err error
	if s.xl, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		return err
	}
	go s.x.Serve(s.xl, nil)
	if err := s.startLink(s.xl.Addr().String(), true); err != nil {
		return err
	}
	// X clients find the display at port 6000+N.
	for n := 20; n < 200; n++ {
		if !transport.Free(n) {
			continue
		}
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", transport.TCPBase+n))
		if err != nil {
			continue
		}
		s.counter = newCounter(l, s.link.Addr().String())
		s.display = fmt.Sprintf("127.0.0.1:%d", n)
		return nil
	}
	return errors.New("no free X display number for the link")
}

func (s *session) startLink(to string, x bool) error {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	p := s.profile
	p.Compress = p.Compress || s.mode.Compress
	s.link = link.NewProxy(l, s.dialTap(to, x), p)
	return nil
}

var readyDisplay = regexp.MustCompile(`display=(:\d+)`)

// startPixel starts the server (netdisplay serve, or Xvnc) with RFB on
// a loopback port, puts the link in front of it, and connects the
// viewer through the counter. It returns when the viewer has the whole
// first frame: the setup, counted apart from the work.
func (s *session) startPixel(ctx context.Context) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	rfbAddr := fmt.Sprintf("127.0.0.1:%d", port)
	geometry := fmt.Sprintf("%dx%d", s.size.X, s.size.Y)
	if s.mode.Xvnc {
		n := 20
		for ; n < 200 && !transport.Free(n); n++ {
		}
		run, err := perf.XvncRFB(s.size.X, s.size.Y, n).Start(ctx)
		if err != nil {
			return fmt.Errorf("Xvnc: %v", err)
		}
		s.serverPID, s.stopXvnc = run.PID, run.Stop
		s.display, rfbAddr = run.Display, run.Addr
	} else {
		s.server, err = startChild(ctx, "netdisplay serve", nil, s.h.cfg.Exe, "serve",
			"--geometry", geometry, "--rfb", rfbAddr, "--listen", "none")
		if err != nil {
			return err
		}
		wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		line, err := s.server.waitLine(wctx, "netdisplay ready")
		cancel()
		if err != nil {
			return fmt.Errorf("netdisplay serve: %v", err)
		}
		m := readyDisplay.FindStringSubmatch(line)
		if m == nil {
			return fmt.Errorf("netdisplay serve said %q", line)
		}
		s.display = m[1]
	}
	if err := s.startLink(rfbAddr, false); err != nil {
		return err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	s.counter = newCounter(l, s.link.Addr().String())
	conn, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		return err
	}
	conn.SetDeadline(time.Now().Add(30 * time.Second)) // for the handshake
	c, err := pixelproto.NewClient(conn, pixelproto.ClientConfig{Encodings: s.mode.Encodings})
	conn.SetDeadline(time.Time{})
	if err != nil {
		conn.Close()
		return fmt.Errorf("viewer: %v", err)
	}
	s.rfb = c
	go s.watchRFB()
	select {
	case <-c.Complete():
	case <-c.Done():
		return fmt.Errorf("viewer: %v", c.Err())
	case <-time.After(60 * time.Second):
		return errors.New("viewer: no first frame in a minute")
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}

// watchRFB notes each update that changed pixels.
func (s *session) watchRFB() {
	for {
		select {
		case <-s.rfb.Updated():
		case <-s.rfb.Done():
			return
		}
		changed := false
		s.rfb.Framebuffer(func(_ *image.RGBA, r image.Rectangle) { changed = !r.Empty() })
		if changed {
			s.changes.note()
		}
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// tick samples the bytes going to the display, for the peak bandwidth.
func (s *session) tick() {
	defer close(s.tickDone)
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		b := s.traffic().ToDisplay
		s.mu.Lock()
		s.samples = append(s.samples, sample{time.Now(), b})
		s.mu.Unlock()
		select {
		case <-t.C:
		case <-s.stopTick:
			return
		}
	}
}

// Traffic is what crossed the link, by direction.
type Traffic struct {
	// ToDisplay and FromDisplay are the bytes on the emulated wire
	// (compressed, when the link compresses).
	ToDisplay, FromDisplay int64
	// RawToDisplay and RawFromDisplay are before compression.
	RawToDisplay, RawFromDisplay int64
	// IndepToDisplay and IndepFromDisplay are the counter's independent
	// count of the uncompressed bytes.
	IndepToDisplay, IndepFromDisplay int64
	// Messages in each direction.
	MsgToDisplay, MsgFromDisplay Messages
}

func (t Traffic) minus(u Traffic) Traffic {
	return Traffic{
		t.ToDisplay - u.ToDisplay, t.FromDisplay - u.FromDisplay,
		t.RawToDisplay - u.RawToDisplay, t.RawFromDisplay - u.RawFromDisplay,
		t.IndepToDisplay - u.IndepToDisplay, t.IndepFromDisplay - u.IndepFromDisplay,
		t.MsgToDisplay.minus(u.MsgToDisplay), t.MsgFromDisplay.minus(u.MsgFromDisplay),
	}
}

func (s *session) tapped() []*tap {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.taps
}

// traffic reads every count. The link's up direction is from the side
// where clients connect: the application in X mode, the viewer in pixel
// mode.
func (s *session) traffic() Traffic {
	c := s.link.Counts()
	up, down := s.counter.up.Load(), s.counter.down.Load()
	var tu, td Messages
	for _, t := range s.tapped() {
		tu, td = tu.plus(t.upMsg.counts()), td.plus(t.downMsg.counts())
	}
	if !s.mode.Pixel {
		return Traffic{c.UpBytes, c.DownBytes, c.RawUp, c.RawDown, up, down, tu, td}
	}
	var updates Messages
	if s.rfb != nil {
		// FramebufferUpdates, counted by the viewer that decodes them.
		updates.Updates = s.rfb.Stats().Updates
	}
	return Traffic{c.DownBytes, c.UpBytes, c.RawDown, c.RawUp, down, up, updates, tu}
}

// stableTraffic reads the counts until two readings agree, so that a
// message in the middle of being counted (a pulling viewer's last
// update request) is counted everywhere or nowhere.
func (s *session) stableTraffic() Traffic {
	t := s.traffic()
	for range 50 {
		time.Sleep(10 * time.Millisecond)
		u := s.traffic()
		if u == t && s.inFlight() == 0 {
			break
		}
		t = u
	}
	return t
}

// inFlight is the bytes the link has taken and not yet delivered.
func (s *session) inFlight() int64 {
	c := s.link.Counts()
	var tapUp int64
	for _, t := range s.tapped() {
		tapUp += t.up.Load()
	}
	return (c.RawUp - tapUp) + (c.RawDown - s.counter.down.Load()) + (s.counter.up.Load() - c.RawUp)
}

// key presses or releases a key at the display: in X mode into the X
// server, where the user at the display types; in pixel mode from the
// viewer.
func (s *session) key(sym uint32, down bool) {
	if s.mode.Pixel {
		s.rfb.Key(sym, down)
		return
	}
	s.src.Key(sym, down)
}

// pointer moves the pointer, with buttons (bit 0 is button 1) down.
func (s *session) pointer(p image.Point, buttons uint8) {
	if s.mode.Pixel {
		s.rfb.Pointer(p.X, p.Y, buttons)
		return
	}
	s.src.Pointer(p.X, p.Y, buttons)
}

// typeRune types a character: press and release.
func (s *session) typeRune(r rune) {
	sym := uint32(r)
	if r >= 0x100 {
		sym = 0x01000000 | uint32(r)
	}
	s.key(sym, true)
	s.key(sym, false)
}

// startApp starts a sample application (netdisplay app NAME) on the
// display, with --sync if the mode asks for it.
func (s *session) startApp(ctx context.Context, name string, args ...string) (*child, error) {
	argv := append([]string{s.h.cfg.Exe, "app", name, "-display", s.display}, args...)
	if s.mode.Sync {
		argv = append(argv, "--sync")
	}
	return s.startClient(ctx, name, argv...)
}

// startClient starts an X client on the display.
func (s *session) startClient(ctx context.Context, name string, argv ...string) (*child, error) {
	c, err := startChild(ctx, name, []string{"DISPLAY=" + s.display}, argv...)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.apps = append(s.apps, c)
	s.mu.Unlock()
	return c, nil
}

// quietFor is how long the display must not change for an answer to be
// over: a round trip (a pulling viewer may need one more request for
// the rest of an answer) and a margin.
func (s *session) quietFor() time.Duration {
	return s.profile.RTT + s.profile.Jitter + 30*time.Millisecond
}

// waitChange waits for the display to change after change n, and
// returns the change count and when it changed.
func (s *session) waitChange(ctx context.Context, n int64, timeout time.Duration) (int64, time.Time, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		if k, at := s.changes.get(); k > n {
			return k, at, nil
		}
		select {
		case <-s.changes.sig:
		case <-deadline.C:
			return n, time.Time{}, errNoResponse
		case <-ctx.Done():
			return n, time.Time{}, ctx.Err()
		}
	}
}

// settleChanges waits until the display has not changed for d, and
// returns when it last changed.
func (s *session) settleChanges(ctx context.Context, d time.Duration) (time.Time, error) {
	for {
		_, last := s.changes.get()
		wait := time.Until(last.Add(d))
		if wait <= 0 {
			return last, nil
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return last, ctx.Err()
		}
	}
}

// waitShown waits for the display to show something new and then be
// quiet: an application's window, drawn.
func (s *session) waitShown(ctx context.Context, n int64) error {
	if _, _, err := s.waitChange(ctx, n, 60*time.Second); err != nil {
		return fmt.Errorf("the application never appeared on the display: %w", err)
	}
	_, err := s.settleChanges(ctx, s.quietFor()+50*time.Millisecond)
	return err
}

// probe is one interaction in slow motion, as in slow-motion
// benchmarking: the display is quiet, the input is injected, and the
// latency is the time until the display has shown the whole answer: its
// last change before it is quiet again.
func (s *session) probe(ctx context.Context, inject func()) error {
	return s.probeUntil(ctx, inject, false)
}

// probeStartup is a probe whose answer takes round trips of its own,
// with pauses in the drawing as long as they are (a client starting
// up): the answer is over when the link too has been quiet.
func (s *session) probeStartup(ctx context.Context, inject func()) error {
	return s.probeUntil(ctx, inject, true)
}

func (s *session) probeUntil(ctx context.Context, inject func(), link bool) error {
	n, _ := s.changes.get()
	t0 := time.Now()
	inject()
	if _, _, err := s.waitChange(ctx, n, 30*time.Second); err != nil {
		if err == errNoResponse {
			s.mu.Lock()
			s.lost++
			s.mu.Unlock()
			return nil
		}
		return err
	}
	var last time.Time
	var err error
	if link {
		if err = s.calm(ctx); err == nil {
			_, last = s.changes.get()
		}
	} else {
		last, err = s.settleChanges(ctx, s.quietFor())
	}
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.latencies = append(s.latencies, last.Sub(t0))
	s.mu.Unlock()
	return nil
}

// settle waits for the end of a run: nothing in flight on the link and
// no byte counted anywhere for a while, so that what the application
// sent has all been shown. It gives up at the deadline.
func (s *session) settle(ctx context.Context, deadline time.Time) bool {
	quiet := s.quietFor() + 150*time.Millisecond
	var last Traffic
	var lastN int64
	stable := time.Now()
	for time.Now().Before(deadline) {
		t := s.traffic()
		n, _ := s.changes.get()
		if t != last || n != lastN || s.inFlight() != 0 {
			last, lastN, stable = t, n, time.Now()
		} else if time.Since(stable) >= quiet {
			return true
		}
		select {
		case <-time.After(20 * time.Millisecond):
		case <-ctx.Done():
			return false
		}
	}
	return false
}

// calm waits, before the probes, until everything the input at a
// person's pace caused has been shown: an application that lags (one
// waiting for a round trip a frame) would otherwise answer a probe with
// an old frame.
func (s *session) calm(ctx context.Context) error {
	if !s.settle(ctx, time.Now().Add(2*time.Minute)) {
		if err := ctx.Err(); err != nil {
			return err
		}
		return errors.New("the display was still busy two minutes after the input")
	}
	return nil
}

// finalFrame is what the display shows at the end.
func (s *session) finalFrame() *image.RGBA {
	if s.mode.Pixel {
		return s.rfb.Image()
	}
	s.x.Lock()
	defer s.x.Unlock()
	fb := s.x.Framebuffer()
	img := image.NewRGBA(image.Rect(0, 0, fb.Width, fb.Height))
	for y := 0; y < fb.Height; y++ {
		row := fb.Pix[y*fb.Stride : y*fb.Stride+fb.Width]
		for x, p := range row {
			o := y*img.Stride + 4*x
			img.Pix[o], img.Pix[o+1], img.Pix[o+2], img.Pix[o+3] = uint8(p>>16), uint8(p>>8), uint8(p), 0xff
		}
	}
	return img
}

// peak is the highest rate, in bytes a second, over any second of the
// samples.
func (s *session) peak(from time.Time) float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var best float64
	j := 0
	for i, b := range s.samples {
		if b.at.Before(from) {
			j = i + 1
			continue
		}
		for j < i && b.at.Sub(s.samples[j].at) > time.Second {
			j++
		}
		if j < i {
			dt := b.at.Sub(s.samples[j].at).Seconds()
			if dt >= 0.5 { // a rate over less than half a second is noise
				best = max(best, float64(b.bytes-s.samples[j].bytes)/dt)
			}
		}
	}
	return best
}

// stopApps ends the applications and returns their CPU time.
func (s *session) stopApps() time.Duration {
	s.mu.Lock()
	apps := s.apps
	s.apps = nil
	s.mu.Unlock()
	var cpu time.Duration
	for _, a := range apps {
		cpu += a.stop()
	}
	return cpu
}

// stopServer ends the pixel-mode server and returns its CPU time.
func (s *session) stopServer() time.Duration {
	switch {
	case s.server != nil:
		return s.server.stop()
	case s.stopXvnc != nil:
		cpu := procCPU(s.serverPID)
		s.stopXvnc()
		s.stopXvnc = nil
		return cpu
	}
	return 0
}

func (s *session) close() {
	if s.stopTick != nil {
		close(s.stopTick)
		<-s.tickDone
		s.stopTick = nil
	}
	s.stopApps()
	if s.rfb != nil {
		s.rfb.Close()
	}
	s.stopServer()
	if s.counter != nil {
		s.counter.close()
	}
	if s.link != nil {
		s.link.Close()
	}
	if s.x != nil {
		s.src.Close()
		s.x.Close()
		s.xl.Close()
	}
	if s.tmp != "" {
		os.RemoveAll(s.tmp)
	}
}

// file is a path in the run's directory.
func (s *session) file(name string) string { return filepath.Join(s.tmp, name) }

// itoa is for command lines.
func itoa(n int) string { return strconv.Itoa(n) }
