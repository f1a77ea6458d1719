package webviewer

import (
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// rfbDialTimeout bounds connecting to Config.RFBTarget.
const rfbDialTimeout = 10 * time.Second

// relayRFB carries a page's (or noVNC's) RFB to Config.RFBTarget over a
// TCP connection of its own, as websockify does: each binary message's
// payload goes to the RFB server, and what the server sends comes back
// in binary messages. When either side ends, both are closed, and the
// handler returns only once both directions have stopped.
func (s *Server) relayRFB(w http.ResponseWriter, r *http.Request) {
	// Connect first, so that an RFB server that is not there is an HTTP
	// error rather than a WebSocket that closes at once.
	tcp, err := net.DialTimeout("tcp", s.cfg.RFBTarget, rfbDialTimeout)
	if err != nil {
		s.cfg.Logf("web: pixel mode for %s: %v", r.RemoteAddr, err)
		http.Error(w, "netdisplay: cannot reach the RFB server "+s.cfg.RFBTarget, http.StatusBadGateway)
		return
	}
	ws, err := s.up.Upgrade(w, r, nil)
	if err != nil {
		tcp.Close()
		return // the upgrader has answered
	}
	ws.SetReadLimit(1 << 20)
	cs := s.stats.open("rfb", ws.RemoteAddr().String())
	defer s.stats.close(cs)
	c := newWSConn(ws, cs)
	if !s.track(c) {
		tcp.Close()
		return
	}
	defer s.untrack(c)
	if !s.track(tcp) {
		c.Close()
		return
	}
	defer s.untrack(tcp)
	s.cfg.Logf("web: pixel mode for %s, relayed to %s", ws.RemoteAddr(), s.cfg.RFBTarget)

	var once sync.Once
	closeBoth := func() {
		once.Do(func() {
			tcp.Close()
			c.Close()
		})
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		io.CopyBuffer(tcp, c, make([]byte, 32<<10))
		closeBoth()
	}()
	// Each read from the RFB server goes out as one message.
	io.CopyBuffer(c, onlyReader{tcp}, make([]byte, 64<<10))
	closeBoth()
	<-done
	s.cfg.Logf("web: pixel mode for %s ended", ws.RemoteAddr())
}

// onlyReader hides a reader's WriteTo, so that io.CopyBuffer uses the
// buffer it is given.
type onlyReader struct{ io.Reader }
