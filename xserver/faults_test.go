//go:build linux

package xserver_test

// Faults that must not hurt anyone else: a client killed in the middle of
// a request, and a client flooding the server with requests. (A client
// that never reads is TestSlowReaderIsDisconnected.)

import (
	"net"
	"slices"
	"testing"
	"time"

	"netdisplay/protocol"
)

// roundTrips measures n GetInputFocus round trips of r.
func roundTrips(t *testing.T, r *rawConn, n int) []time.Duration {
	t.Helper()
	var ds []time.Duration
	for i := 0; i < n; i++ {
		start := time.Now()
		if _, _, err := r.reply(&protocol.GetInputFocus{}); err != nil {
			t.Fatalf("round trip: %v", err)
		}
		ds = append(ds, time.Since(start))
	}
	slices.Sort(ds)
	return ds
}

func TestClientKilledMidRequest(t *testing.T) {
	display, srv := startServer(t, 320, 240)
	good := dialRaw(t, display, protocol.LSBFirst)
	base := srv.Stats()
	before := roundTrips(t, good, 50)

	c, err := net.Dial("unix", socketFor(display))
	if err != nil {
		t.Fatal(err)
	}
	bad := handshake(t, c, protocol.LSBFirst, "", nil)
	w := bad.id()
	bad.send(&protocol.CreateWindow{Wid: protocol.Window(w), Parent: protocol.Window(bad.root()), Width: 100, Height: 100, Class: 1},
		&protocol.MapWindow{Window: protocol.Window(w)})
	// Half of a PutImage, then the client dies.
	img := (&protocol.PutImage{Format: protocol.ImageFormatZPixmap, Drawable: protocol.Drawable(w), Gc: 1, Width: 100, Height: 100, Depth: 24, Data: make([]byte, 40000)}).Marshal(bad.o, nil)
	c.Write(img[:len(img)/2])
	c.Close()

	if _, _, err := good.reply(&protocol.InternAtom{Name: []byte("STILL_FINE")}); err != nil {
		t.Fatalf("the other client was hurt: %v", err)
	}
	waitFor(t, "the dead client's window to go", 5*time.Second, func() bool {
		st := srv.Stats()
		return st.Clients == 1 && st.Windows == base.Windows
	})
	after := roundTrips(t, good, 50)
	t.Logf("the other client's round trip p50: %v before, %v after a client died mid-request", before[len(before)/2], after[len(after)/2])
}

// A client flooding the server with drawing does not starve another:
// its round trips stay quick, because clients take turns batch by batch.
func TestFloodingClient(t *testing.T) {
	display, srv := startServer(t, 640, 480)
	good := dialRaw(t, display, protocol.LSBFirst)
	quiet := roundTrips(t, good, 50)

	c, err := net.Dial("unix", socketFor(display))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	flood := handshake(t, c, protocol.LSBFirst, "", nil)
	gc := flood.id()
	flood.send(&protocol.CreateGC{Cid: protocol.Gcontext(gc), Drawable: protocol.Drawable(flood.root())})
	var batch []byte
	for i := 0; i < 2000; i++ {
		batch = (&protocol.PolyFillRectangle{Drawable: protocol.Drawable(flood.root()), Gc: protocol.Gcontext(gc),
			Rectangles: []protocol.Rectangle{{X: int16(i % 500), Y: 10, Width: 100, Height: 100}}}).Marshal(flood.o, batch)
	}
	stop := make(chan struct{})
	go func() {
		// Read and discard whatever comes back, and write for ever.
		go func() {
			buf := make([]byte, 64<<10)
			for {
				if _, err := c.Read(buf); err != nil {
					return
				}
			}
		}()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := c.Write(batch); err != nil {
				return
			}
		}
	}()
	time.Sleep(200 * time.Millisecond) // the flood is under way
	// Round trips until the flood has run a good many requests meanwhile,
	// so that the figures are taken during a flood however the two
	// goroutines are scheduled.
	start, before := time.Now(), srv.Stats().Requests
	var flooded []time.Duration
	for len(flooded) < 50 || srv.Stats().Requests-before < 20000 && time.Since(start) < 5*time.Second {
		flooded = append(flooded, roundTrips(t, good, 10)...)
	}
	slices.Sort(flooded)
	ran, took := srv.Stats().Requests-before, time.Since(start)
	close(stop)
	t.Logf("the flood ran %d requests (%.0f a second) while the other client made %d round trips", ran, float64(ran)/took.Seconds(), len(flooded))
	if ran < 1000 {
		t.Errorf("the flood ran only %d requests in %v: it is not a flood", ran, took)
	}
	p50q, p50f := quiet[len(quiet)/2], flooded[len(flooded)/2]
	t.Logf("round trip p50: %v quiet, %v during the flood (p95 %v)", p50q, p50f, flooded[len(flooded)*95/100])
	// One batch of the flood is 512 requests of 100x100 rectangles: a few
	// milliseconds. A round trip that waited for the whole flood would
	// take seconds.
	if p50f > 250*time.Millisecond {
		t.Errorf("round trips took %v (p50) during the flood: the flooding client starves the others", p50f)
	}
}
