//go:build js && wasm

package browser

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall/js"
	"time"
)

// A CloseError is how a WebSocket ended, as the browser reports it.
type CloseError struct {
	Code   int
	Reason string
}

func (e *CloseError) Error() string {
	if e.Reason != "" {
		return fmt.Sprintf("websocket closed (%d): %s", e.Code, e.Reason)
	}
	if e.Code == 1006 {
		return "websocket closed abnormally (the server refused it, or the connection dropped)"
	}
	return fmt.Sprintf("websocket closed (%d)", e.Code)
}

// highWater is how many bytes a socket may have waiting to go out before
// writers wait: the browser buffers without bound otherwise.
const highWater = 4 << 20

var (
	uint8Array = js.Global().Get("Uint8Array")
	webSocket  = js.Global().Get("WebSocket")
)

// dialWS opens a WebSocket and returns it as a Stream. Its handlers only
// queue and signal: a Go function called from JavaScript must not block.
func dialWS(url string, timeout time.Duration) (*Stream, error) {
	ws := webSocket.New(url, "binary")
	ws.Set("binaryType", "arraybuffer")
	opened := make(chan struct{}, 1)
	ended := make(chan error, 1)
	var funcs []js.Func
	on := func(name string, f func(ev js.Value)) {
		fn := js.FuncOf(func(this js.Value, args []js.Value) any {
			f(args[0])
			return nil
		})
		funcs = append(funcs, fn)
		ws.Set("on"+name, fn)
	}
	send := func(b []byte, deadline time.Time) error {
		for ws.Get("bufferedAmount").Int() > highWater {
			if ws.Get("readyState").Int() != 1 {
				return net.ErrClosed
			}
			if !deadline.IsZero() && time.Now().After(deadline) {
				return os.ErrDeadlineExceeded
			}
			time.Sleep(5 * time.Millisecond)
		}
		if ws.Get("readyState").Int() != 1 {
			return net.ErrClosed
		}
		u := uint8Array.New(len(b))
		js.CopyBytesToJS(u, b)
		ws.Call("send", u)
		return nil
	}
	hangup := func() {
		if ws.Get("readyState").Int() < 2 {
			ws.Call("close", 1000)
		}
	}
	st := NewStream(send, hangup, Addr{"websocket", "page"}, Addr{"websocket", url})
	on("open", func(js.Value) {
		select {
		case opened <- struct{}{}:
		default:
		}
	})
	on("message", func(ev js.Value) {
		d := ev.Get("data")
		if d.Type() == js.TypeString {
			st.Deliver([]byte(d.String()))
			return
		}
		u := uint8Array.New(d)
		b := make([]byte, u.Get("length").Int())
		js.CopyBytesToGo(b, u)
		st.Deliver(b)
	})
	on("close", func(ev js.Value) {
		var err error = io.EOF
		if code := ev.Get("code").Int(); code != 1000 {
			err = &CloseError{Code: code, Reason: ev.Get("reason").String()}
		}
		st.Hangup(err)
		select {
		case ended <- err:
		default:
		}
		for _, name := range []string{"open", "message", "close", "error"} {
			ws.Set("on"+name, js.Null())
		}
		// Released later: this handler is one of them.
		go func() {
			for _, f := range funcs {
				f.Release()
			}
		}()
	})
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-opened:
		return st, nil
	case err := <-ended:
		if err == io.EOF {
			err = errors.New("websocket closed at once")
		}
		return nil, err
	case <-t.C:
		st.Close()
		return nil, fmt.Errorf("websocket %s: no answer in %v", url, timeout)
	}
}
