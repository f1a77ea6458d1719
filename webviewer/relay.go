package webviewer

import (
	"encoding/binary"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"netdisplay/webviewer/browser"
)

// The X11 relay: remote applications connect to the X11 listeners given to
// ServeX11, and each connection is carried to the page that is the display
// over a WebSocket of its own. The protocol is in browser.Control.

// Timeouts of the relay.
const (
	openTimeout  = 15 * time.Second // for the page to take a new X client
	pingInterval = 20 * time.Second // keeps the control channel alive, and finds dead pages
	pongWait     = 3 * pingInterval
	relayWrite   = time.Minute // a page that takes nothing for this long is gone
)

type relay struct {
	s *Server

	mu      sync.Mutex
	page    *displayPage // the page that is the display now, if any
	pending map[uint64]*pendingConn
	nextID  uint64
}

// A displayPage is a page in X mode: its control channel, and the X
// clients relayed to it, which end with it.
type displayPage struct {
	ws   *websocket.Conn
	wmu  sync.Mutex
	done chan struct{}
	once sync.Once

	mu    sync.Mutex
	conns map[net.Conn]bool
}

func (p *displayPage) send(m browser.Control) error {
	p.wmu.Lock()
	defer p.wmu.Unlock()
	p.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	return p.ws.WriteJSON(m)
}

// end closes the page's control channel with a code and reason, and every
// X client relayed to it.
func (p *displayPage) end(code int, reason string) {
	p.once.Do(func() {
		msg := websocket.FormatCloseMessage(code, reason)
		p.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
		p.ws.Close()
		close(p.done)
		p.mu.Lock()
		for c := range p.conns {
			c.Close()
		}
		p.conns = nil
		p.mu.Unlock()
	})
}

// adopt ties c to the page's life; false if the page has gone.
func (p *displayPage) adopt(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.conns == nil {
		return false
	}
	p.conns[c] = true
	return true
}

func (p *displayPage) drop(c net.Conn) {
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
}

// A pendingConn is an X client waiting for the page to open its stream.
type pendingConn struct {
	c       net.Conn
	page    *displayPage
	trusted bool
	taken   chan struct{}
}

func (r *relay) current() *displayPage {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.page
}

func (r *relay) close() {
	r.mu.Lock()
	p := r.page
	r.page = nil
	pend := r.pending
	r.pending = nil
	r.mu.Unlock()
	if p != nil {
		p.end(browser.CloseShutdown, "the server is stopping")
	}
	for _, pc := range pend {
		pc.c.Close()
	}
}

// serveControl makes the page that opens /x11 the display, in place of
// any other: the newest page wins, so that reloading a page works at once.
func (r *relay) serveControl(w http.ResponseWriter, req *http.Request) {
	s := r.s
	if s.cfg.Display == "" {
		http.Error(w, "netdisplay: this server serves no X mode", http.StatusNotFound)
		return
	}
	ws, err := s.up.Upgrade(w, req, nil)
	if err != nil {
		return
	}
	ws.SetReadLimit(4 << 10) // the page says nothing here but pongs
	p := &displayPage{ws: ws, done: make(chan struct{}), conns: make(map[net.Conn]bool)}
	r.mu.Lock()
	old := r.page
	r.page = p
	if r.pending == nil {
		r.pending = make(map[uint64]*pendingConn)
	}
	r.mu.Unlock()
	if old != nil {
		old.end(browser.CloseReplaced, "another page became display "+s.cfg.Display)
	}
	defer func() {
		r.mu.Lock()
		if r.page == p {
			r.page = nil
		}
		r.mu.Unlock()
		p.end(websocket.CloseNormalClosure, "")
	}()
	s.cfg.Logf("web: %s is display %s", ws.RemoteAddr(), s.cfg.Display)
	hello := browser.Control{Type: "hello", Display: s.cfg.Display, Endpoints: s.cfg.Endpoints}
	if s.cfg.Cookie != nil {
		hello.Cookie = hex.EncodeToString(s.cfg.Cookie)
	}
	if err := p.send(hello); err != nil {
		return
	}
	go func() {
		t := time.NewTicker(pingInterval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				if ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(10*time.Second)) != nil {
					return
				}
			case <-p.done:
				return
			}
		}
	}()
	ws.SetReadDeadline(time.Now().Add(pongWait))
	ws.SetPongHandler(func(string) error { return ws.SetReadDeadline(time.Now().Add(pongWait)) })
	for {
		if _, _, err := ws.NextReader(); err != nil {
			s.cfg.Logf("web: display %s page %s left: %v", s.cfg.Display, ws.RemoteAddr(), err)
			return
		}
	}
}

// ServeX11 accepts X clients on l and relays each to the page that is
// the display, until l is closed.
func (s *Server) ServeX11(l net.Listener) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		l.Close()
		return http.ErrServerClosed
	}
	s.x11[l] = true
	s.mu.Unlock()
	for {
		c, err := l.Accept()
		if err != nil {
			return err
		}
		go s.relay.accept(c)
	}
}

// accept asks the page to open a stream for a new X client, and waits for
// it to.
func (r *relay) accept(c net.Conn) {
	trusted := r.s.cfg.Trusted(c)
	r.mu.Lock()
	p := r.page
	if p == nil || r.pending == nil {
		r.mu.Unlock()
		refuseX11(c, "no browser page is showing display "+r.s.cfg.Display+": open the viewer in X mode")
		return
	}
	r.nextID++
	id := r.nextID
	pc := &pendingConn{c: c, page: p, trusted: trusted, taken: make(chan struct{})}
	r.pending[id] = pc
	r.mu.Unlock()
	err := p.send(browser.Control{Type: "open", ID: id, Trusted: trusted, Peer: c.RemoteAddr().String()})
	t := time.NewTimer(openTimeout)
	defer t.Stop()
	if err == nil {
		select {
		case <-pc.taken:
			return
		case <-t.C:
		case <-p.done:
		}
	}
	r.mu.Lock()
	_, still := r.pending[id]
	delete(r.pending, id)
	r.mu.Unlock()
	if still {
		refuseX11(c, "the browser page showing display "+r.s.cfg.Display+" did not take the connection")
	}
}

// serveConn carries one X client's bytes to and from the page.
func (r *relay) serveConn(w http.ResponseWriter, req *http.Request) {
	id, _ := strconv.ParseUint(req.URL.Query().Get("id"), 10, 64)
	r.mu.Lock()
	pc := r.pending[id]
	delete(r.pending, id)
	r.mu.Unlock()
	if pc == nil {
		http.Error(w, "netdisplay: no X client is waiting with that id", http.StatusNotFound)
		return
	}
	close(pc.taken)
	ws, err := r.s.up.Upgrade(w, req, nil)
	if err != nil {
		pc.c.Close()
		return
	}
	ws.SetReadLimit(1 << 20) // the page sends at most 64 KiB a message
	cs := r.s.stats.open("x11", pc.c.RemoteAddr().String())
	defer r.s.stats.close(cs)
	wc := newWSConn(ws, cs)
	if !pc.page.adopt(pc.c) || !r.s.track(wc) {
		pc.c.Close()
		wc.Close()
		return
	}
	defer r.s.untrack(wc)
	defer pc.page.drop(pc.c)
	go func() {
		buf := make([]byte, 64<<10)
		for {
			n, err := pc.c.Read(buf)
			if n > 0 {
				wc.SetWriteDeadline(time.Now().Add(relayWrite))
				if _, werr := wc.Write(buf[:n]); werr != nil {
					break
				}
			}
			if err != nil {
				break
			}
		}
		wc.Close()
		pc.c.Close()
	}()
	io.Copy(pc.c, wc)
	pc.c.Close()
	wc.Close()
}

// refuseX11 answers an X client's connection setup with Failed and a
// reason, which Xlib prints, rather than a bare close.
func refuseX11(c net.Conn, reason string) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	var hdr [12]byte
	if _, err := io.ReadFull(c, hdr[:]); err != nil {
		return
	}
	var order binary.AppendByteOrder
	var read binary.ByteOrder
	switch hdr[0] {
	case 'B':
		order, read = binary.BigEndian, binary.BigEndian
	case 'l':
		order, read = binary.LittleEndian, binary.LittleEndian
	default:
		return
	}
	// Read the authorization too, so the client is not reset mid-write.
	name, data := int(read.Uint16(hdr[6:])), int(read.Uint16(hdr[8:]))
	io.CopyN(io.Discard, c, int64(name+pad4(name)+data+pad4(data)))
	if len(reason) > 255 {
		reason = reason[:255]
	}
	pad := pad4(len(reason))
	b := []byte{0, byte(len(reason))}
	b = order.AppendUint16(b, 11)
	b = order.AppendUint16(b, 0)
	b = order.AppendUint16(b, uint16((len(reason)+pad)/4))
	b = append(b, reason...)
	b = append(b, make([]byte, pad)...)
	c.Write(b)
}

// pad4 is the padding after n bytes to a multiple of four.
func pad4(n int) int { return (4 - n%4) % 4 }
