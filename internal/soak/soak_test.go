package soak

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"
)

// TestSoak is the bounded soak CI runs: a few seconds of load. The full
// one (100 X clients, 20 viewers, 60 s) runs on demand:
//
//	NETDISPLAY_SOAK=60s go test -run TestSoak -v ./internal/soak/
//	go run ./cmd/netdisplay soak
//
// After the load, the goroutines must be back to where they started and
// the live heap within a few megabytes of it: nothing leaks.
func TestSoak(t *testing.T) {
	cfg := Config{Clients: 20, Viewers: 6, Duration: 5 * time.Second, Logf: t.Logf}
	if d, err := time.ParseDuration(os.Getenv("NETDISPLAY_SOAK")); err == nil {
		cfg = Config{Clients: 100, Viewers: 20, Duration: d, Logf: t.Logf}
	}
	if n, err := strconv.Atoi(os.Getenv("NETDISPLAY_SOAK_CLIENTS")); err == nil {
		cfg.Clients = n
	}
	rep, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(rep)
	for _, e := range append(rep.ClientErrors, rep.ViewerErrors...) {
		t.Error(e)
	}
	if rep.Requests == 0 || rep.ViewerUpdates == 0 {
		t.Errorf("no load: %d requests, %d updates", rep.Requests, rep.ViewerUpdates)
	}
	if rep.GoroutinesAfter > rep.GoroutinesBefore {
		t.Errorf("goroutines: %d before, %d after", rep.GoroutinesBefore, rep.GoroutinesAfter)
	}
	if rep.HeapAfter > rep.HeapBefore+8<<20 {
		t.Errorf("live heap: %d before, %d after", rep.HeapBefore, rep.HeapAfter)
	}
}
