package pixelproto

import (
	"math/bits"
	"sync"
)

// Encoding buffers come from pools that every viewer shares: an update's
// rectangles need theirs only until the update is written, so a server
// holds about as many as it has updates in flight, not as many as it has
// viewers, and an update makes no garbage for the collector to chase.
// Buffers are pooled by size, in powers of two.

const (
	minBufShift = 10 // 1 KB
	maxBufShift = 24 // 16 MB: larger buffers are not kept
)

var bytePools [maxBufShift - minBufShift + 1]sync.Pool

// getBytes returns an empty buffer of at least n bytes.
func getBytes(n int) []byte {
	c := max(bits.Len(uint(n-1)), minBufShift) // the class that holds n
	if n <= 0 || c > maxBufShift {
		return make([]byte, 0, n)
	}
	if b, ok := bytePools[c-minBufShift].Get().(*[]byte); ok {
		return (*b)[:0]
	}
	return make([]byte, 0, 1<<c)
}

// putBytes gives b back, to be reused by getBytes.
func putBytes(b []byte) {
	c := bits.Len(uint(cap(b))) - 1 // the class b fills
	if c < minBufShift || c > maxBufShift {
		return
	}
	bytePools[c-minBufShift].Put(&b)
}

// pixPool holds the scratch pixel buffers encoding workers grab into.
var pixPool sync.Pool

func getScratchPixels() []uint32 {
	if p, ok := pixPool.Get().(*[]uint32); ok {
		return (*p)[:0]
	}
	return nil
}

func putScratchPixels(p []uint32) {
	if cap(p) > 0 {
		pixPool.Put(&p)
	}
}
