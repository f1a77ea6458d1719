package pixelproto

import (
	"slices"
	"time"
)

// EncodingStats counts the rectangles of one encoding.
type EncodingStats struct {
	Encoding Encoding
	Rects    int64
	Pixels   int64
	Bytes    int64         // on the wire, rectangle headers included
	Time     time.Duration // encoding (server) or decoding (client) time
}

// ViewerStats describe one viewer of a Server.
type ViewerStats struct {
	ID          int
	Addr        string
	Version     string // "3.3", "3.7" or "3.8"
	Shared      bool
	Since       time.Time
	PixelFormat PixelFormat
	Encodings   []Encoding // as the viewer listed them
	Preferred   Encoding   // what pixels are sent in
	Continuous  bool       // continuous updates are on

	BytesIn, BytesOut int64
	Updates           int64
	Rects             int64
	EncodeTime        time.Duration
	ByEncoding        []EncodingStats // by encoding number
}

// ClientStats describe a Client's connection.
type ClientStats struct {
	BytesIn, BytesOut int64
	Updates           int64 // FramebufferUpdates received: frames
	Rects             int64
	ByEncoding        []EncodingStats
	// Latency is from a FramebufferUpdateRequest to the end of the update
	// that answers it: the last, and the mean over all.
	LastLatency, MeanLatency time.Duration
	latencySum               time.Duration
	latencyN                 int64
}

// statsTable accumulates EncodingStats.
type statsTable map[Encoding]*EncodingStats

func (t statsTable) add(e Encoding, rects, pixels, bytes int64, d time.Duration) {
	s := t[e]
	if s == nil {
		s = &EncodingStats{Encoding: e}
		t[e] = s
	}
	s.Rects += rects
	s.Pixels += pixels
	s.Bytes += bytes
	s.Time += d
}

func (t statsTable) list() []EncodingStats {
	var l []EncodingStats
	for _, s := range t {
		l = append(l, *s)
	}
	slices.SortFunc(l, func(a, b EncodingStats) int { return int(a.Encoding) - int(b.Encoding) })
	return l
}
