package browser

// X mode's control channel. The page that is the display keeps one
// WebSocket open to the web server (/x11); the server sends it Control
// messages as JSON text. For each X client that connects to the server's
// X11 port, the server sends "open" and the page opens a WebSocket of its
// own for that client (/x11/conn?id=N), whose binary messages are the
// client's X11 bytes both ways.
//
// One WebSocket per X connection, rather than all of them multiplexed on
// one, because each then has its own flow control: a client that stops
// reading holds up only its own socket (TCP's backpressure does the work),
// and the relay needs no framing or windows of its own. The price is one
// WebSocket handshake per X connection, about a round trip and 500 bytes,
// which X clients pay once.

// A Control message from the web server to the page in X mode.
type Control struct {
	// Type is "hello" (first, once) or "open".
	Type string `json:"type"`

	// Hello: the display remote applications name (":7"), where they
	// connect, and the MIT-MAGIC-COOKIE-1 the page's X server asks of
	// clients that are not trusted (hex; empty when every client comes
	// from loopback).
	Display   string   `json:"display,omitempty"`
	Endpoints []string `json:"endpoints,omitempty"`
	Cookie    string   `json:"cookie,omitempty"`

	// Open: the connection's ID, to open /x11/conn?id=ID; whether the
	// client may skip authorization (it came from this machine, as an X
	// server trusts local connections); and its address.
	ID      uint64 `json:"id,omitempty"`
	Trusted bool   `json:"trusted,omitempty"`
	Peer    string `json:"peer,omitempty"`
}

// Close codes the server ends the control channel with.
const (
	CloseReplaced = 4000 // another page became the display
	CloseShutdown = 4001 // the server is stopping
)
