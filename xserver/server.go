// Package xserver is netdisplay's X server: connection setup, request
// dispatch, resources, the window tree, events, properties, input and the
// screen. It follows X.Org's split: this package is the device-independent
// part (X.Org's dix); the pixels are drawn by package fb, which knows nothing
// of the protocol; and the sockets live in package transport, so that this
// package also builds for the browser (GOOS=js).
//
// # Who owns what
//
// All server state (the window tree, resources, atoms, selections, input
// state and the screen's pixels) belongs to the Server and is guarded by one
// mutex, Server.mu. Each client has one goroutine that reads and decodes its
// requests; it takes the lock to run a batch of them in order, so requests
// from one client run in order and requests from different clients never
// interleave inside a request. Replies and events are appended to each
// recipient's output queue under the lock, and written by that client's own
// writer goroutine outside it, so a client that stops reading stalls nobody:
// when its backlog passes Limits.OutputQueue it is disconnected.
package xserver

import (
	"fmt"
	"image"
	"log"
	"net"
	"sync"
	"time"

	"netdisplay/xserver/fb"
)

// Limits bound what one client, or all of them, can make the server hold.
// docs/limits.md lists them; a request that would pass one fails with
// BadAlloc or BadLength, or the client is disconnected.
type Limits struct {
	Clients        int // connected clients at once (at most 255: 8 bits of resource-id base)
	RequestBytes   int // the longest request accepted (the BIG-REQUESTS maximum)
	PixmapBytes    int // pixmap memory one client may hold
	TotalPixmap    int // pixmap memory all clients may hold
	PropertyBytes  int // the size of one property value
	OutputQueue    int // bytes queued for a client that is not reading, before it is disconnected
	ResourcesPerCl int // resources one client may create
}

// DefaultLimits are generous for real programs and small enough that no
// client can take the machine down.
var DefaultLimits = Limits{
	Clients:        255,
	RequestBytes:   16 << 20,
	PixmapBytes:    256 << 20,
	TotalPixmap:    1 << 30,
	PropertyBytes:  16 << 20,
	OutputQueue:    64 << 20,
	ResourcesPerCl: 1 << 20,
}

// Config describes a screen and the server around it.
type Config struct {
	Width, Height int
	// Vendor is the vendor string in the connection setup.
	Vendor string
	// Cookie, if set, is the MIT-MAGIC-COOKIE-1 that untrusted connections
	// must present. Trusted (loopback) connections need none.
	Cookie []byte
	Limits Limits
	// Logf receives the server's log lines; nil means the standard logger.
	Logf func(format string, args ...any)
}

// Server is one X display with one screen.
type Server struct {
	mu   sync.Mutex
	cfg  Config
	logf func(string, ...any)

	start   time.Time
	clients [256]*client // index 0 is the server itself
	nclient int
	grab    *client    // the client that holds GrabServer, if any
	ungrab  *sync.Cond // signalled when the server grab ends

	resources map[uint32]any
	// resourceGen counts the resources freed, so that clients know when
	// their recent lookups may be stale.
	resourceGen uint64
	atoms       atomTable
	screen      *screen
	input       input
	selections  map[uint32]*selection

	pixmapBytes  int
	saveSets     int        // windows in clients' save sets, all told
	retainedMode [256]uint8 // close-down mode of departed clients whose resources remain

	clip           clipboard
	kbdControl     keyboardControl
	pointerControl [3]int // acceleration numerator, denominator, threshold
	saver          struct {
		timeout, interval   int
		blanking, exposures uint8
	}
	// treeSerial changes whenever window clips may have, for GC clip caches.
	treeSerial uint64
	change     changeScratch // endChange's working regions

	// gone totals the traffic of clients that have disconnected.
	gone struct{ bytesIn, bytesOut, requests uint64 }

	// dirty lists clients with output waiting to be handed to their
	// writers at the end of the current batch.
	dirty []*client

	closed bool
}

// New creates a server with one screen of the configured size.
func New(cfg Config) *Server {
	if cfg.Width <= 0 || cfg.Height <= 0 {
		cfg.Width, cfg.Height = 1280, 800
	}
	if cfg.Vendor == "" {
		cfg.Vendor = "netdisplay"
	}
	if cfg.Limits == (Limits{}) {
		cfg.Limits = DefaultLimits
	}
	if cfg.Limits.Clients > 255 || cfg.Limits.Clients <= 0 {
		cfg.Limits.Clients = 255
	}
	s := &Server{
		cfg:        cfg,
		logf:       cfg.Logf,
		start:      time.Now(),
		resources:  make(map[uint32]any),
		selections: make(map[uint32]*selection),
	}
	if s.logf == nil {
		s.logf = log.Printf
	}
	s.ungrab = sync.NewCond(&s.mu)
	s.atoms.init()
	s.screen = newScreen(s, cfg.Width, cfg.Height)
	s.input.init(s)
	s.initClipboard()
	s.openDefaultFont()
	s.screen.root.cursor = rootCursor()
	s.input.cursorChanged()
	s.kbdControl = keyboardControl{bellPercent: 50, bellPitch: 400, bellDuration: 100, autoRepeat: true}
	// Every key but the modifiers repeats, as on X.Org.
	for i := range s.kbdControl.repeats {
		s.kbdControl.repeats[i] = 0xFF
	}
	for _, kcs := range s.input.kbd.modifiers {
		for _, kc := range kcs {
			s.kbdControl.repeats[kc>>3] &^= 1 << (kc & 7)
		}
	}
	s.setXkbRulesNames()
	s.pointerControl = [3]int{2, 1, 4}
	s.saver.timeout, s.saver.interval, s.saver.blanking, s.saver.exposures = 600, 600, 1, 1
	return s
}

// Serve accepts connections on l until it is closed. trusted says whether
// connections from this listener may skip authorization; when it is nil,
// every connection is trusted.
func (s *Server) Serve(l net.Listener, trusted func(net.Conn) bool) error {
	for {
		c, err := l.Accept()
		if err != nil {
			return err
		}
		t := trusted == nil || trusted(c)
		go s.ServeConn(c, t)
	}
}

// Close disconnects every client.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	var cs []*client
	for _, c := range s.clients[1:] {
		if c != nil {
			cs = append(cs, c)
		}
	}
	s.mu.Unlock()
	for _, c := range cs {
		c.conn.Close()
	}
}

// now is the server time in milliseconds, as X timestamps count it.
func (s *Server) now() uint32 {
	return uint32(time.Since(s.start) / time.Millisecond)
}

// Lock and Unlock give code outside the package (the pixel protocol's
// source, the viewers) a consistent view of the screen.
func (s *Server) Lock()   { s.mu.Lock() }
func (s *Server) Unlock() { s.mu.Unlock() }

// Size is the screen size.
func (s *Server) Size() image.Point {
	s.mu.Lock()
	defer s.mu.Unlock()
	return image.Pt(s.screen.width, s.screen.height)
}

// Framebuffer returns the screen's pixmap. Read it only while holding the
// server's lock (Lock/Unlock).
func (s *Server) Framebuffer() *fb.Pixmap { return s.screen.fb }

// Clients describes the connected clients.
func (s *Server) Clients() []ClientInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []ClientInfo
	for _, c := range s.clients[1:] {
		if c != nil {
			out = append(out, c.info())
		}
	}
	return out
}

// ClientInfo describes one client connection.
type ClientInfo struct {
	Index    int
	Remote   string
	Requests uint64
	BytesIn  uint64
	BytesOut uint64
}

// KillClient disconnects the client with the given index.
func (s *Server) KillClient(index int) error {
	s.mu.Lock()
	var c *client
	if index > 0 && index < len(s.clients) {
		c = s.clients[index]
	}
	s.mu.Unlock()
	if c == nil {
		return fmt.Errorf("no client %d", index)
	}
	c.conn.Close()
	return nil
}

// Stats counts what the server holds, for monitoring and for tests that
// check that nothing leaks.
type Stats struct {
	Clients     int
	Resources   int
	Windows     int
	PixmapBytes int
	Atoms       int
	// Traffic with every client since the server started, departed ones
	// included: bytes read (requests, and setups), bytes written (replies,
	// events, errors, setups) and requests run.
	BytesIn, BytesOut, Requests uint64
}

// Stats reports what the server holds now.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Stats{Clients: s.nclient, Resources: len(s.resources), PixmapBytes: s.pixmapBytes, Atoms: len(s.atoms.names) - 1}
	st.BytesIn, st.BytesOut, st.Requests = s.gone.bytesIn, s.gone.bytesOut, s.gone.requests
	for _, c := range s.clients[1:] {
		if c != nil {
			i := c.info()
			st.BytesIn += i.BytesIn
			st.BytesOut += i.BytesOut
			st.Requests += i.Requests
		}
	}
	for _, r := range s.resources {
		if _, ok := r.(*window); ok {
			st.Windows++
		}
	}
	return st
}
