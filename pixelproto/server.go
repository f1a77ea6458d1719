// Package pixelproto speaks RFB 3.8, the VNC protocol (RFC 6143 and the
// community specification rfbproto.rst): a Server that serves a Source's
// pixels to any VNC viewer, and a Client that watches any VNC server.
//
// Both sides handle the encodings Raw, CopyRect, RRE, Hextile, TRLE, ZRLE
// and Tight, each in its own file behind one interface, and the
// pseudo-encodings Cursor, DesktopSize, ExtendedDesktopSize, DesktopName,
// LastRect, Fence, ContinuousUpdates and the compression and JPEG quality
// levels. The package knows nothing of X: a Source is a framebuffer that
// reports what changed and takes input.
package pixelproto

import (
	"bufio"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"io"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// ServerConfig configures a Server.
type ServerConfig struct {
	// Password turns on VNC Authentication (only its first 8 bytes count,
	// as in every VNC program). Without one the security type is None,
	// which Serve and ServeConn allow only on loopback addresses.
	Password []byte
	// AlwaysShared treats every viewer as shared: an exclusive ClientInit
	// does not disconnect the others.
	AlwaysShared bool
	// Workers bounds the cores one update is encoded on; 0 means all.
	Workers int
	// DeferUpdate is how long a viewer waits after the first change before
	// taking an update, so that a burst of drawing goes out as one: 0 means
	// 1 ms, negative means no wait.
	DeferUpdate time.Duration
	// FrameInterval is the least time between continuous updates: 0 means
	// 1/60 s, negative means none.
	FrameInterval time.Duration
	// MaxViewers bounds the viewers connected at once; 0 means
	// DefaultMaxViewers. Past it a viewer is refused with a reason.
	MaxViewers int
	// Logf, if set, logs viewers coming and going.
	Logf func(format string, args ...any)
}

// DefaultMaxViewers is the default for ServerConfig.MaxViewers.
const DefaultMaxViewers = 64

// ErrTooManyViewers is the reason a viewer past MaxViewers is given.
var ErrTooManyViewers = errors.New("rfb: too many viewers connected")

// A Server serves one Source to many viewers. Each viewer has its own
// goroutines, feed and view of what it has been sent, so a slow viewer
// gets fewer, larger updates and holds up neither the Source nor the
// other viewers.
type Server struct {
	src Source
	cfg ServerConfig

	mu        sync.Mutex
	viewers   map[*viewer]bool
	listeners map[net.Listener]bool
	nextID    int
	closed    bool
	screens   []Screen // the layout last set by SetDesktopSize
	resizer   *viewer  // the viewer whose SetDesktopSize made the size...
	resizedTo image.Point
}

// NewServer returns a server of src.
func NewServer(src Source, cfg ServerConfig) *Server {
	return &Server{src: src, cfg: cfg, viewers: make(map[*viewer]bool), listeners: make(map[net.Listener]bool)}
}

// ErrInsecure is returned when a server without a password would accept
// connections on an address other than loopback.
var ErrInsecure = errors.New("rfb: security type None is allowed only on loopback addresses; set a password")

// ErrServerClosed is returned by Serve after Close.
var ErrServerClosed = errors.New("rfb: server closed")

// IsLoopback reports whether addr (a net.Addr, or a "host:port" string)
// is a loopback address.
func IsLoopback(addr any) bool {
	var host string
	switch a := addr.(type) {
	case *net.TCPAddr:
		return a.IP.IsLoopback()
	case *net.UnixAddr:
		return true
	case net.Addr:
		host = a.String()
	case string:
		host = a
	default:
		return false
	}
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Serve accepts viewers on l until l fails or the server is closed.
func (s *Server) Serve(l net.Listener) error {
	if s.cfg.Password == nil && !IsLoopback(l.Addr()) {
		return ErrInsecure
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrServerClosed
	}
	s.listeners[l] = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.listeners, l)
		s.mu.Unlock()
	}()
	for {
		c, err := l.Accept()
		if err != nil {
			s.mu.Lock()
			closed := s.closed
			s.mu.Unlock()
			if closed {
				return ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(10 * time.Millisecond)
				continue
			}
			return err
		}
		go s.ServeConn(c)
	}
}

// Close disconnects every viewer and stops Serve.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	for l := range s.listeners {
		l.Close()
	}
	vs := make([]*viewer, 0, len(s.viewers))
	for v := range s.viewers {
		vs = append(vs, v)
	}
	s.mu.Unlock()
	for _, v := range vs {
		v.close()
	}
	return nil
}

// Viewers returns the statistics of the connected viewers.
func (s *Server) Viewers() []ViewerStats {
	s.mu.Lock()
	vs := make([]*viewer, 0, len(s.viewers))
	for v := range s.viewers {
		vs = append(vs, v)
	}
	s.mu.Unlock()
	out := make([]ViewerStats, 0, len(vs))
	for _, v := range vs {
		if st, ok := v.statsCopy(); ok {
			out = append(out, st)
		}
	}
	return out
}

// Disconnect disconnects the viewer with the given ID, reporting whether
// there was one.
func (s *Server) Disconnect(id int) bool {
	s.mu.Lock()
	var found *viewer
	for v := range s.viewers {
		if v.id == id {
			found = v
		}
	}
	s.mu.Unlock()
	if found != nil {
		found.close()
	}
	return found != nil
}

func (s *Server) logf(format string, args ...any) {
	if s.cfg.Logf != nil {
		s.cfg.Logf(format, args...)
	}
}

// countConn counts the bytes through a connection.
type countConn struct {
	net.Conn
	in, out atomic.Int64
}

func (c *countConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.in.Add(int64(n))
	return n, err
}

func (c *countConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.out.Add(int64(n))
	return n, err
}

// handshakeTimeout bounds the handshake, so that silent peers go away.
const handshakeTimeout = 30 * time.Second

// ServeConn serves one viewer on c, returning when it leaves.
func (s *Server) ServeConn(c net.Conn) {
	cc := &countConn{Conn: c}
	v := &viewer{
		s:     s,
		conn:  cc,
		br:    bufio.NewReaderSize(cc, 64<<10),
		bw:    bufio.NewWriterSize(cc, 64<<10),
		since: time.Now(),
		msgs:  make(chan Message, 64),
		done:  make(chan struct{}),
		table: make(statsTable),
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		c.Close()
		return
	}
	s.nextID++
	v.id = s.nextID
	s.viewers[v] = true
	s.mu.Unlock()
	defer func() {
		v.close()
		s.mu.Lock()
		delete(s.viewers, v)
		s.mu.Unlock()
	}()

	c.SetDeadline(time.Now().Add(handshakeTimeout))
	if err := v.handshake(); err != nil {
		s.logf("rfb: viewer %d %s: handshake: %v", v.id, c.RemoteAddr(), err)
		return
	}
	c.SetDeadline(time.Time{})
	v.mu.Lock()
	v.ready = true // from here Viewers may read what the handshake set
	v.mu.Unlock()
	s.logf("rfb: viewer %d %s connected, RFB %s, shared %v", v.id, c.RemoteAddr(), v.versionString(), v.shared)
	if !v.shared && !s.cfg.AlwaysShared {
		s.mu.Lock()
		var others []*viewer
		for o := range s.viewers {
			if o != v {
				others = append(others, o)
			}
		}
		s.mu.Unlock()
		for _, o := range others {
			o.close()
		}
	}
	go v.readLoop()
	err := v.run()
	if err != nil && !errors.Is(err, net.ErrClosed) && !errors.Is(err, io.EOF) {
		s.logf("rfb: viewer %d: %v", v.id, err)
	}
	s.logf("rfb: viewer %d left", v.id)
}

// Security types.
const (
	secInvalid = 0
	secNone    = 1
	secVNCAuth = 2
)

const (
	protocolVersion = "RFB 003.008\n"
)

// parseVersion parses a ProtocolVersion message, returning the minor
// version this package will speak: 3, 7 or 8.
func parseVersion(b []byte) (int, error) {
	if len(b) != 12 || string(b[:4]) != "RFB " || b[7] != '.' || b[11] != '\n' {
		return 0, fmt.Errorf("rfb: bad protocol version %q", b)
	}
	major, err1 := strconv.Atoi(string(b[4:7]))
	minor, err2 := strconv.Atoi(string(b[8:11]))
	if err1 != nil || err2 != nil || major != 3 {
		return 0, fmt.Errorf("rfb: unsupported protocol version %q", b)
	}
	switch {
	case minor >= 8:
		return 8, nil
	case minor == 7:
		return 7, nil
	}
	return 3, nil // 3.3, and 3.5 which some clients claim, and others
}

func (v *viewer) versionString() string { return fmt.Sprintf("3.%d", v.version) }

// handshake runs the protocol up to ServerInit.
func (v *viewer) handshake() error {
	s := v.s
	if _, err := io.WriteString(v.conn, protocolVersion); err != nil {
		return err
	}
	var vb [12]byte
	if _, err := io.ReadFull(v.br, vb[:]); err != nil {
		return err
	}
	var err error
	if v.version, err = parseVersion(vb[:]); err != nil {
		return err
	}
	sec := byte(secNone)
	if s.cfg.Password != nil {
		sec = secVNCAuth
	}
	if sec == secNone && !IsLoopback(v.conn.LocalAddr()) {
		v.refuse(ErrInsecure.Error())
		return ErrInsecure
	}
	max := s.cfg.MaxViewers
	if max <= 0 {
		max = DefaultMaxViewers
	}
	s.mu.Lock()
	n := len(s.viewers)
	s.mu.Unlock()
	if n > max {
		v.refuse(ErrTooManyViewers.Error())
		return ErrTooManyViewers
	}
	if v.version == 3 {
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], uint32(sec))
		if _, err := v.conn.Write(b[:]); err != nil {
			return err
		}
	} else {
		if _, err := v.conn.Write([]byte{1, sec}); err != nil {
			return err
		}
		choice, err := v.br.ReadByte()
		if err != nil {
			return err
		}
		if choice != sec {
			v.failSecurity("security type not offered")
			return fmt.Errorf("rfb: client chose security type %d", choice)
		}
	}
	if sec == secVNCAuth {
		challenge := make([]byte, 16)
		rand.Read(challenge)
		if _, err := v.conn.Write(challenge); err != nil {
			return err
		}
		response := make([]byte, 16)
		if _, err := io.ReadFull(v.br, response); err != nil {
			return err
		}
		if !vncAuthCheck(s.cfg.Password, challenge, response) {
			v.failSecurity("authentication failed")
			return errors.New("rfb: authentication failed")
		}
	}
	if sec == secVNCAuth || v.version == 8 {
		if _, err := v.conn.Write([]byte{0, 0, 0, 0}); err != nil {
			return err
		}
	}
	shared, err := v.br.ReadByte()
	if err != nil {
		return err
	}
	v.shared = shared != 0

	// The first Take gives the size ServerInit announces; its pixels are
	// taken again when the client asks for them, in its format.
	v.feed = s.src.Subscribe()
	v.take(1)
	v.clientSize = v.size
	v.refresh = image.Rectangle{Max: v.size}
	v.unsent, v.more, v.dirty = false, false, true
	v.setFormat(FormatRGB888)
	v.name = s.src.Name()
	b := binary.BigEndian.AppendUint16(nil, uint16(v.size.X))
	b = binary.BigEndian.AppendUint16(b, uint16(v.size.Y))
	b = FormatRGB888.Marshal(b)
	b = binary.BigEndian.AppendUint32(b, uint32(len(v.name)))
	b = append(b, v.name...)
	_, err = v.conn.Write(b)
	return err
}

// refuse fails the connection before security negotiation.
func (v *viewer) refuse(reason string) {
	var b []byte
	if v.version == 3 {
		b = binary.BigEndian.AppendUint32(b, secInvalid)
	} else {
		b = append(b, 0)
	}
	b = binary.BigEndian.AppendUint32(b, uint32(len(reason)))
	v.conn.Write(append(b, reason...))
}

// failSecurity sends a failed SecurityResult.
func (v *viewer) failSecurity(reason string) {
	b := []byte{0, 0, 0, 1}
	if v.version == 8 {
		b = binary.BigEndian.AppendUint32(b, uint32(len(reason)))
		b = append(b, reason...)
	}
	v.conn.Write(b)
}
