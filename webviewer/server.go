// Package webviewer is the browser viewer's web server: it serves the page
// (HTML, a little JavaScript, and the viewer compiled to WebAssembly from
// package browser), and carries either mode's protocol between the page
// and the display over WebSockets:
//
//   - Pixel mode: /websockify is RFB over binary WebSocket messages, as
//     websockify carries it, so noVNC can use it too. The page runs
//     netdisplay's own RFB client.
//   - X mode: the page runs netdisplay's X server and is the display.
//     Remote applications connect to an X11 port here (ServeX11), and the
//     server relays each connection's bytes to the page over a WebSocket of
//     its own (see browser.Control), so what reaches the browser is X11.
//
// Everything but the static files asks for the server's token (in the URL
// the server prints) and refuses cross-origin requests.
package webviewer

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"netdisplay/pixelproto"
)

// Config says what a Server serves.
type Config struct {
	// RFB serves pixel mode; nil serves none.
	RFB *pixelproto.Server
	// RFBTarget, instead of RFB, is another RFB server ("host:port",
	// TCP): /websockify relays each WebSocket's bytes to a connection
	// of its own to it, as websockify does. Pages have no X mode then
	// unless Display says otherwise.
	RFBTarget string
	// RFBPassword says the RFB server asks for a password, so the page
	// offers a field for it.
	RFBPassword bool

	// Display is how remote applications name the X11 listeners given
	// to ServeX11 (":7"), and Endpoints where they are; the page shows
	// them. Empty Display means no X mode.
	Display   string
	Endpoints []string
	// Cookie is the MIT-MAGIC-COOKIE-1 that the page's X server asks of
	// X clients that are not trusted; nil when all are local.
	Cookie []byte
	// Trusted says whether an X client may connect without the cookie.
	// Nil trusts loopback TCP and Unix sockets, as the X server does.
	Trusted func(net.Conn) bool

	// NoVNC, if set, is served at /novnc/: noVNC's files (Debian's
	// /usr/share/novnc), on the same origin as the WebSocket, so that its
	// page may connect.
	NoVNC fs.FS

	// Report, if set, is served at /report/: a benchmark report's
	// directory (netdisplay bench --serve), static files like noVNC's.
	Report fs.FS

	// Token is what every request but the static files must carry;
	// empty means a random one.
	Token string
	// Logf logs connections; nil means the standard logger.
	Logf func(format string, args ...any)
}

// A Server is the browser viewer's web server. It is an http.Handler;
// Serve serves it on a listener.
type Server struct {
	cfg   Config
	token string
	up    websocket.Upgrader
	stats statsTable
	relay relay
	stop  chan struct{} // closed by Close

	mu      sync.Mutex
	closed  bool
	https   map[*http.Server]bool
	x11     map[net.Listener]bool
	closers map[io.Closer]bool // WebSockets, which http.Server.Close does not close
}

// New returns a server of cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Logf == nil {
		cfg.Logf = log.Printf
	}
	if cfg.Trusted == nil {
		cfg.Trusted = loopback
	}
	if cfg.RFB != nil && cfg.RFBTarget != "" {
		return nil, errors.New("webviewer: both an RFB server and an RFB target to relay to")
	}
	s := &Server{
		cfg:     cfg,
		token:   cfg.Token,
		https:   make(map[*http.Server]bool),
		x11:     make(map[net.Listener]bool),
		closers: make(map[io.Closer]bool),
		stop:    make(chan struct{}),
	}
	if s.token == "" {
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		s.token = hex.EncodeToString(b)
	}
	s.up = websocket.Upgrader{
		ReadBufferSize:  64 << 10,
		WriteBufferSize: 64 << 10,
		// noVNC and the page ask for "binary"; websockify's old "base64"
		// is not spoken.
		Subprotocols: []string{"binary"},
		// checkRequest has checked the origin already, with a clearer
		// refusal than the upgrader's.
		CheckOrigin: func(*http.Request) bool { return true },
	}
	s.relay.s = s
	s.stats.init()
	go s.stats.sample(s.stop)
	return s, nil
}

func loopback(c net.Conn) bool {
	switch a := c.RemoteAddr().(type) {
	case *net.UnixAddr:
		return true
	case *net.TCPAddr:
		return a.IP.IsLoopback()
	}
	return false
}

// Token returns the token requests must carry.
func (s *Server) Token() string { return s.token }

// URL returns the page's address on l, token included: the URL that
// opens the viewer connected in pixel mode.
func (s *Server) URL(l net.Listener) string {
	host, port, _ := net.SplitHostPort(l.Addr().String())
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		// Listening everywhere: name this machine.
		if h, err := os.Hostname(); err == nil {
			host = h
		} else {
			host = "127.0.0.1"
		}
	}
	return "http://" + net.JoinHostPort(host, port) + "/?token=" + url.QueryEscape(s.token)
}

// Serve serves HTTP on l until the server closes.
func (s *Server) Serve(l net.Listener) error {
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(logWriter{s.cfg.Logf}, "", 0),
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		l.Close()
		return http.ErrServerClosed
	}
	s.https[hs] = true
	s.mu.Unlock()
	return hs.Serve(l)
}

type logWriter struct{ logf func(string, ...any) }

func (w logWriter) Write(p []byte) (int, error) {
	w.logf("web: %s", strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

// Close stops serving, and ends every WebSocket and relayed connection.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.stop)
	hss, ls, cs := s.https, s.x11, s.closers
	s.https, s.x11, s.closers = nil, nil, nil
	s.mu.Unlock()
	for hs := range hss {
		hs.Close()
	}
	for l := range ls {
		l.Close()
	}
	s.relay.close()
	for c := range cs {
		c.Close()
	}
	return nil
}

// track keeps c to close when the server does; untrack forgets it.
func (s *Server) track(c io.Closer) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		c.Close()
		return false
	}
	s.closers[c] = true
	return true
}

func (s *Server) untrack(c io.Closer) {
	s.mu.Lock()
	delete(s.closers, c)
	s.mu.Unlock()
}

// ServeHTTP routes a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer") // the token is in the page's URL
	h.Set("X-Frame-Options", "DENY")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "netdisplay: method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	switch {
	case p == "/":
		s.serveStatic(w, r, "index.html")
		return
	case p == "/viewer.js" || p == "/viewer.css" || p == "/wasm_exec.js":
		s.serveStatic(w, r, p[1:])
		return
	case p == "/main.wasm":
		s.serveWasm(w, r)
		return
	case strings.HasPrefix(p, "/novnc/") && s.cfg.NoVNC != nil:
		http.StripPrefix("/novnc/", http.FileServerFS(s.cfg.NoVNC)).ServeHTTP(w, r)
		return
	case strings.HasPrefix(p, "/report/") && s.cfg.Report != nil:
		http.StripPrefix("/report/", http.FileServerFS(s.cfg.Report)).ServeHTTP(w, r)
		return
	}
	var handle func(http.ResponseWriter, *http.Request)
	switch p {
	case "/info":
		handle = s.serveInfo
	case "/stats":
		handle = s.serveStats
	case "/websockify":
		handle = s.serveRFB
	case "/x11":
		handle = s.relay.serveControl
	case "/x11/conn":
		handle = s.relay.serveConn
	default:
		http.NotFound(w, r)
		return
	}
	if err := s.checkRequest(r); err != nil {
		http.Error(w, "netdisplay: "+err.Error(), http.StatusForbidden)
		return
	}
	handle(w, r)
}

// Errors of checkRequest.
var (
	errToken  = errors.New("wrong or missing token: open the URL the server printed")
	errOrigin = errors.New("cross-origin request refused")
)

// checkRequest refuses requests without the token, and requests another
// site's page makes: a browser names the page's origin in Origin (always
// for WebSockets) and says in Sec-Fetch-Site whether it is this one. A
// client that is not a browser sends neither, and needs the token all the
// same.
func (s *Server) checkRequest(r *http.Request) error {
	if subtle.ConstantTimeCompare([]byte(r.URL.Query().Get("token")), []byte(s.token)) != 1 {
		return errToken
	}
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.EqualFold(u.Host, r.Host) {
			return fmt.Errorf("%w: origin %q is not %q", errOrigin, o, r.Host)
		}
	}
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default:
		return fmt.Errorf("%w: Sec-Fetch-Site %q", errOrigin, r.Header.Get("Sec-Fetch-Site"))
	}
	return nil
}

// Info is what /info answers: what the page may connect to.
type Info struct {
	RFB         bool `json:"rfb"`
	RFBPassword bool `json:"rfb_password"`
	// RFBTarget is the RFB server pixel mode is relayed to, if it is
	// not this server's own display.
	RFBTarget string   `json:"rfb_target,omitempty"`
	Display   string   `json:"display,omitempty"`
	Endpoints []string `json:"endpoints,omitempty"`
	NoVNC     bool     `json:"novnc"`
}

func (s *Server) serveInfo(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, Info{
		RFB: s.cfg.RFB != nil || s.cfg.RFBTarget != "", RFBPassword: s.cfg.RFBPassword, RFBTarget: s.cfg.RFBTarget,
		Display: s.cfg.Display, Endpoints: s.cfg.Endpoints, NoVNC: s.cfg.NoVNC != nil,
	})
}

func (s *Server) serveStats(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, s.Stats())
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	b, _ := json.MarshalIndent(v, "", "  ")
	w.Write(append(b, '\n'))
}

// serveRFB carries RFB over the WebSocket to the RFB server, as
// websockify would to its TCP port, but in this process: the RFB server
// sees the real addresses, and so still refuses to serve without a
// password beyond loopback.
func (s *Server) serveRFB(w http.ResponseWriter, r *http.Request) {
	if s.cfg.RFBTarget != "" {
		s.relayRFB(w, r)
		return
	}
	if s.cfg.RFB == nil {
		http.Error(w, "netdisplay: this server serves no pixel mode", http.StatusNotFound)
		return
	}
	ws, err := s.up.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has answered
	}
	ws.SetReadLimit(1 << 20)
	cs := s.stats.open("rfb", ws.RemoteAddr().String())
	defer s.stats.close(cs)
	c := newWSConn(ws, cs)
	if !s.track(c) {
		return
	}
	defer s.untrack(c)
	s.cfg.Logf("web: pixel mode for %s", ws.RemoteAddr())
	s.cfg.RFB.ServeConn(c)
}
