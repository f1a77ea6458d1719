package main

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"time"
)

// limitMemory keeps the heap of a display of w×h pixels near a budget:
// two framebuffers (the screen's, and room for the pixels viewers are
// sent) and 24 MiB. With the collector's default pace the heap grows to
// twice what is live, and so does the process.
//
// A fixed limit would have the collector run without end once an X
// client's pixmaps make the live heap larger than the budget, so once a
// second the limit is raised to leave a quarter of what is live, and
// 4 MiB, for new allocations. GOMEMLIMIT, if set, wins.
func limitMemory(w, h int) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	budget := 2*int64(w)*int64(h)*4 + 24<<20
	debug.SetMemoryLimit(budget)
	go func() {
		live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		for range time.Tick(time.Second) {
			metrics.Read(live)
			if live[0].Value.Kind() == metrics.KindUint64 {
				l := int64(live[0].Value.Uint64())
				debug.SetMemoryLimit(max(budget, l+l/4+4<<20))
			}
		}
	}()
}

// profileHeap writes a heap profile to the file $NETDISPLAY_HEAPPROFILE
// every few seconds while the server runs, so that the memory figures of
// `netdisplay perf` can be explained by where the bytes were allocated,
// under load rather than after it.
func profileHeap() {
	path := os.Getenv("NETDISPLAY_HEAPPROFILE")
	if path == "" {
		return
	}
	go func() {
		for range time.Tick(5 * time.Second) {
			f, err := os.Create(path + ".tmp")
			if err != nil {
				return
			}
			err = pprof.WriteHeapProfile(f)
			if f.Close() == nil && err == nil {
				os.Rename(path+".tmp", path)
			}
		}
	}()
}

// profileCPU starts a CPU profile into the file $NETDISPLAY_CPUPROFILE, if
// set, and returns what stops it, for the same purpose as profileHeap:
// explaining `netdisplay perf`'s CPU figures by where the time went.
func profileCPU() (stop func()) {
	path := os.Getenv("NETDISPLAY_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		return func() {}
	}
	if pprof.StartCPUProfile(f) != nil {
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
