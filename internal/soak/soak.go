// Package soak puts a display server under load for a while and checks
// that it gives back what it took: X clients drawing and coming and going,
// viewers in both pixel paths (RFB over TCP, and RFB over the browser's
// WebSocket) watching, all in one process so that goroutines and memory
// can be counted before and after.
package soak

import (
	"context"
	"fmt"
	"image"
	"math/rand/v2"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"netdisplay/pixelproto"
	"netdisplay/webviewer"
	"netdisplay/xlib"
	"netdisplay/xserver"
	"netdisplay/xserver/transport"
	"netdisplay/xserver/xsource"
)

// Config says how much load, for how long.
type Config struct {
	Clients  int           // X clients drawing at once
	Viewers  int           // viewers watching at once
	Duration time.Duration // how long the load lasts
	Logf     func(format string, args ...any)
}

// Report is what a soak found.
type Report struct {
	Clients, Viewers int
	Duration         time.Duration

	Requests         uint64 // X requests the server ran
	Reconnects       int64  // X clients that left and came back
	ViewerUpdates    int64  // framebuffer updates the viewers received
	ViewerBytes      int64
	ClientErrors     []string // what went wrong for clients, if anything
	ViewerErrors     []string
	GoroutinesBefore int
	GoroutinesPeak   int
	GoroutinesAfter  int
	HeapBefore       uint64 // live heap bytes, after a collection
	HeapPeak         uint64 // heap bytes allocated at the peak, garbage included
	HeapAfter        uint64
}

func (r *Report) String() string {
	return fmt.Sprintf("%d X clients and %d viewers for %v: %d requests, %d reconnects, %d updates (%.1f MB) to viewers; "+
		"goroutines %d before, %d at peak, %d after; live heap %.1f MB before and %.1f MB after (after a collection), %.1f MB allocated at the peak",
		r.Clients, r.Viewers, r.Duration.Round(time.Second), r.Requests, r.Reconnects, r.ViewerUpdates, float64(r.ViewerBytes)/1e6,
		r.GoroutinesBefore, r.GoroutinesPeak, r.GoroutinesAfter,
		float64(r.HeapBefore)/1e6, float64(r.HeapAfter)/1e6, float64(r.HeapPeak)/1e6)
}

func heap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// settle waits for goroutines to finish leaving, up to a few seconds.
func settle(base int) int {
	n := runtime.NumGoroutine()
	for i := 0; i < 100 && n > base; i++ {
		time.Sleep(50 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	return n
}

// Run starts a display (X server, RFB server, web server), loads it as cfg
// says, stops everything, and reports.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	logf := cfg.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	rep := &Report{Clients: cfg.Clients, Viewers: cfg.Viewers, Duration: cfg.Duration}
	rep.GoroutinesBefore = runtime.NumGoroutine()
	rep.HeapBefore = heap()

	quiet := func(string, ...any) {}
	x := xserver.New(xserver.Config{Width: 1024, Height: 768, Logf: quiet})
	d, err := transport.Listen(transport.Options{Number: -1, TCP: "none"})
	if err != nil {
		return nil, err
	}
	for _, l := range d.Listeners {
		go x.Serve(l, transport.Loopback)
	}
	display := fmt.Sprintf(":%d", d.Number)
	src := xsource.New(x, "soak")
	rfb := pixelproto.NewServer(src, pixelproto.ServerConfig{Logf: quiet})
	rl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	go rfb.Serve(rl)
	web, err := webviewer.New(webviewer.Config{RFB: rfb, Logf: quiet})
	if err != nil {
		return nil, err
	}
	wl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	go web.Serve(wl)
	wsURL := fmt.Sprintf("ws://%s/websockify?token=%s", wl.Addr(), web.Token())

	load, stop := context.WithTimeout(ctx, cfg.Duration)
	defer stop()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var updates, vbytes, reconnects atomic.Int64
	note := func(list *[]string, format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(*list) < 20 {
			*list = append(*list, fmt.Sprintf(format, args...))
		}
	}

	for i := 0; i < cfg.Clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), 7))
			for load.Err() == nil {
				if err := drawFor(load, display, rng); err != nil && load.Err() == nil {
					note(&rep.ClientErrors, "client %d: %v", i, err)
					return
				}
				reconnects.Add(1)
			}
		}()
	}
	for i := 0; i < cfg.Viewers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for load.Err() == nil {
				n, b, err := watch(load, rl.Addr().String(), wsURL, i%2 == 1)
				updates.Add(n)
				vbytes.Add(b)
				if err != nil && load.Err() == nil {
					note(&rep.ViewerErrors, "viewer %d: %v", i, err)
					return
				}
			}
		}()
	}

	// Sample the peaks while the load runs.
	tick := time.NewTicker(500 * time.Millisecond)
	for done := false; !done; {
		select {
		case <-load.Done():
			done = true
		case <-tick.C:
			rep.GoroutinesPeak = max(rep.GoroutinesPeak, runtime.NumGoroutine())
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			rep.HeapPeak = max(rep.HeapPeak, m.HeapAlloc)
		}
	}
	tick.Stop()
	wg.Wait()
	rep.Requests = x.Stats().Requests
	rep.Reconnects = reconnects.Load() - int64(cfg.Clients)
	rep.ViewerUpdates, rep.ViewerBytes = updates.Load(), vbytes.Load()

	web.Close()
	rfb.Close()
	src.Close()
	x.Close()
	d.Close()
	logf("soak: load done; waiting for everything to leave")
	rep.GoroutinesAfter = settle(rep.GoroutinesBefore)
	rep.HeapAfter = heap()
	return rep, nil
}

// drawFor connects an X client, draws for a random while, and leaves.
func drawFor(ctx context.Context, display string, rng *rand.Rand) error {
	c, err := xlib.Open(display)
	if err != nil {
		return err
	}
	defer c.Close()
	r := image.Rect(0, 0, 120+rng.IntN(200), 90+rng.IntN(150)).Add(image.Pt(rng.IntN(800), rng.IntN(600)))
	w, err := c.CreateWindow(c.Root(), r, 1, xlib.BackPixel(rng.Uint32()&0xFFFFFF))
	if err != nil {
		return err
	}
	c.MapWindow(w)
	gc, err := c.CreateGC(w)
	if err != nil {
		return err
	}
	pm, err := c.CreatePixmap(w, 64, 64, 24)
	if err != nil {
		return err
	}
	life := time.Duration(200+rng.IntN(1500)) * time.Millisecond
	end := time.Now().Add(life)
	size := r.Size()
	for time.Now().Before(end) && ctx.Err() == nil {
		c.ChangeGC(gc, xlib.Foreground(rng.Uint32()&0xFFFFFF))
		p := image.Pt(rng.IntN(size.X), rng.IntN(size.Y))
		switch rng.IntN(4) {
		case 0:
			c.FillRectangles(w, gc, image.Rectangle{p, p.Add(image.Pt(rng.IntN(60), rng.IntN(60)))})
		case 1:
			c.DrawLines(w, gc, p, image.Pt(rng.IntN(size.X), rng.IntN(size.Y)), image.Pt(rng.IntN(size.X), rng.IntN(size.Y)))
		case 2:
			c.FillRectangles(pm, gc, image.Rect(0, 0, 64, 64))
			c.CopyArea(pm, w, gc, image.Rect(0, 0, 64, 64), p)
		case 3:
			c.FillArcs(w, gc, xlib.Arc(image.Rectangle{p, p.Add(image.Pt(30, 20))}, 0, 360*64))
		}
		if err := c.Sync(); err != nil {
			return err
		}
		time.Sleep(time.Duration(5+rng.IntN(20)) * time.Millisecond)
	}
	return nil
}

// watch connects a viewer, over TCP or the WebSocket, watches for a
// while, and leaves.
func watch(ctx context.Context, addr, wsURL string, overWeb bool) (updates, bytes int64, err error) {
	var conn net.Conn
	if overWeb {
		conn, err = webviewer.Dial(ctx, wsURL)
	} else {
		var d net.Dialer
		conn, err = d.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return 0, 0, err
	}
	c, err := pixelproto.NewClient(conn, pixelproto.ClientConfig{})
	if err != nil {
		conn.Close()
		return 0, 0, err
	}
	defer c.Close()
	select {
	case <-ctx.Done():
	case <-time.After(2 * time.Second):
	case <-c.Done():
		return 0, 0, c.Err()
	}
	st := c.Stats()
	return st.Updates, st.BytesIn, nil
}
