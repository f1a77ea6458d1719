package webviewer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// A wsConn is a WebSocket as a byte stream (net.Conn): each Write is one
// binary message, and Read reads the messages' payloads end to end, as
// websockify does. It counts the payload bytes each way, which are the
// protocol's bytes (RFB or X11); the WebSocket's framing is not counted.
type wsConn struct {
	ws *websocket.Conn
	cs *connStats

	rmu sync.Mutex // guards r
	r   io.Reader  // the message being read

	wmu       sync.Mutex // gorilla allows one writer at a time
	closeOnce sync.Once
}

func newWSConn(ws *websocket.Conn, cs *connStats) *wsConn {
	return &wsConn{ws: ws, cs: cs}
}

func (c *wsConn) Read(p []byte) (int, error) {
	c.rmu.Lock()
	defer c.rmu.Unlock()
	for {
		if c.r == nil {
			typ, r, err := c.ws.NextReader()
			if err != nil {
				var ce *websocket.CloseError
				if errors.As(err, &ce) && (ce.Code == websocket.CloseNormalClosure || ce.Code == websocket.CloseGoingAway) {
					return 0, io.EOF
				}
				return 0, err
			}
			if typ != websocket.BinaryMessage {
				// Text would be websockify's base64, which is not spoken.
				c.Close()
				return 0, errors.New("websocket: text message on a binary stream")
			}
			c.r = r
		}
		n, err := c.r.Read(p)
		if n > 0 {
			c.cs.from.Add(int64(n))
		}
		if err == io.EOF {
			c.r = nil
			if n > 0 {
				return n, nil
			}
			continue
		}
		return n, err
	}
}

func (c *wsConn) Write(p []byte) (int, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.ws.WriteMessage(websocket.BinaryMessage, p); err != nil {
		return 0, err
	}
	c.cs.to.Add(int64(len(p)))
	return len(p), nil
}

// Close says goodbye with a close message, if the other side still
// listens, and closes the connection.
func (c *wsConn) Close() error {
	c.closeOnce.Do(func() {
		msg := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")
		c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
	})
	return c.ws.Close()
}

func (c *wsConn) LocalAddr() net.Addr  { return c.ws.LocalAddr() }
func (c *wsConn) RemoteAddr() net.Addr { return c.ws.RemoteAddr() }

func (c *wsConn) SetDeadline(t time.Time) error {
	c.ws.SetReadDeadline(t)
	return c.ws.SetWriteDeadline(t)
}

func (c *wsConn) SetReadDeadline(t time.Time) error  { return c.ws.SetReadDeadline(t) }
func (c *wsConn) SetWriteDeadline(t time.Time) error { return c.ws.SetWriteDeadline(t) }

// Dial connects to a WebSocket endpoint of a netdisplay web server, such
// as "ws://127.0.0.1:8080/websockify?token=...", and returns it as a byte
// stream, as a browser page sees it: RFB for /websockify. It sends the
// Origin a page from that server would.
func Dial(ctx context.Context, rawURL string) (net.Conn, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	origin := "http://" + u.Host
	if u.Scheme == "wss" {
		origin = "https://" + u.Host
	}
	d := websocket.Dialer{Subprotocols: []string{"binary"}}
	ws, resp, err := d.DialContext(ctx, rawURL, http.Header{"Origin": {origin}})
	if err != nil {
		if resp != nil {
			// The query holds the token: keep it out of messages and logs.
			return nil, fmt.Errorf("%s://%s%s: %s", u.Scheme, u.Host, u.Path, resp.Status)
		}
		return nil, err
	}
	return newWSConn(ws, &connStats{}), nil
}
