//go:build js && wasm

package browser

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall/js"
	"time"

	"netdisplay/pixelproto"
	"netdisplay/viewer"
	"netdisplay/xserver"
)

// Main makes the viewer available to the page as window.netdisplay, tells
// the page (window.netdisplayReady), and serves its calls forever.
//
// Why the page's logic is Go: one binary is both modes, the RFB client and
// the X server are the same code every other viewer runs, and the page's
// JavaScript is left with what only it can do: events, the canvas, the
// DOM.
func Main() {
	p := &page{input: make(chan func(), 4096)}
	go p.inputLoop()
	nd := js.Global().Get("Object").New()
	export := func(name string, f func(args []js.Value) any) {
		nd.Set(name, js.FuncOf(func(this js.Value, args []js.Value) (result any) {
			// Whatever a script passes, the viewer stays up.
			defer func() {
				if r := recover(); r != nil {
					consoleLog("netdisplay.%s: %v", name, r)
					result = nil
				}
			}()
			return f(args)
		}))
	}
	export("connect", p.connect)
	export("disconnect", func([]js.Value) any { p.disconnect(); return nil })
	export("key", p.key)
	export("pointer", p.pointer)
	export("wheel", p.wheelEvent)
	export("paste", p.paste)
	export("resize", p.resize)
	export("blur", p.blur)
	export("stats", func([]js.Value) any {
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.statsJSON
	})
	export("clipboard", func([]js.Value) any {
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.clipboard
	})
	js.Global().Set("netdisplay", nd)
	if f := js.Global().Get("netdisplayReady"); f.Type() == js.TypeFunction {
		f.Invoke()
	}
	select {}
}

// A page is the viewer in one browser tab: at most one connection at a
// time.
type page struct {
	input chan func() // input for the session, in order, off the event handlers

	mu        sync.Mutex
	conn      *conn
	statsJSON string // the latest statistics, for netdisplay.stats()
	clipboard string // the other side's clipboard, for netdisplay.clipboard()
}

// A conn is one connection, in either mode, and what the page shows of it.
type conn struct {
	p      *page
	mode   string // "rfb" or "x11"
	base   string // ws://host:port
	token  string
	pass   string
	encs   []pixelproto.Encoding
	size   image.Point // X mode's first screen size
	ui     js.Value    // the page's callbacks
	canvas js.Value
	ctx2d  js.Value

	mu    sync.Mutex
	sess  viewer.Session // nil until connected
	shown image.Point    // the canvas's size

	stop     chan struct{} // closed to end the connection from the page
	stopOnce sync.Once

	// Touched only by the JavaScript event handlers, one at a time.
	kbd     Keyboard
	wheel   Wheel
	buttons uint8
	at      image.Point // where the pointer was last

	// Touched only by the goroutine that shows the session.
	fbSize image.Point
	buf    []byte
	cursor []byte // the shown cursor's pixels and hot spot, to see changes
	clip   []byte
}

func (p *page) current() *conn {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.conn
}

// connect({mode, base, token, password, encodings, width, height, canvas,
// ui}) ends the current connection and starts a new one.
func (p *page) connect(args []js.Value) any {
	if len(args) < 1 || args[0].Type() != js.TypeObject {
		return "connect: want an options object"
	}
	o := args[0]
	str := func(k string) string { return jsString(o.Get(k)) }
	num := func(k string) int { return jsInt(o.Get(k)) }
	c := &conn{
		p: p, mode: str("mode"), base: str("base"), token: str("token"), pass: str("password"),
		size:   image.Pt(clamp(num("width"), 64, 8192), clamp(num("height"), 64, 8192)),
		ui:     o.Get("ui"),
		canvas: o.Get("canvas"),
		stop:   make(chan struct{}),
	}
	if c.ui.Type() != js.TypeObject {
		c.ui = js.Global().Get("Object").New()
	}
	if c.canvas.Type() != js.TypeObject || c.canvas.Get("getContext").Type() != js.TypeFunction {
		return "connect: want a canvas"
	}
	if c.mode != "x11" {
		c.mode = "rfb"
	}
	if e := str("encodings"); e != "" {
		encs, err := pixelproto.ParseEncodings(e)
		if err != nil {
			return err.Error()
		}
		c.encs = preferring(encs)
	}
	c.ctx2d = c.canvas.Call("getContext", "2d", map[string]any{"alpha": false})
	p.disconnect()
	p.mu.Lock()
	p.conn = c
	p.mu.Unlock()
	go c.run()
	return nil
}

// preferring puts the chosen encodings first, then CopyRect and every
// pseudo-encoding the client handles: the choice decides how pixels are
// sent, without giving up resizes, the cursor or continuous updates.
func preferring(chosen []pixelproto.Encoding) []pixelproto.Encoding {
	list := append([]pixelproto.Encoding(nil), chosen...)
	for _, e := range pixelproto.DefaultEncodings {
		if (e == pixelproto.CopyRect || e < 0) && !slices.Contains(list, e) {
			list = append(list, e)
		}
	}
	return list
}

func (p *page) disconnect() {
	p.mu.Lock()
	c := p.conn
	p.conn = nil
	p.mu.Unlock()
	if c != nil {
		c.end()
	}
}

func (c *conn) end() { c.stopOnce.Do(func() { close(c.stop) }) }

// ended reports whether the page has ended the connection: another has
// the canvas now.
func (c *conn) ended() bool {
	select {
	case <-c.stop:
		return true
	default:
		return false
	}
}

func (c *conn) session() viewer.Session {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sess
}

// call calls one of the page's callbacks, if it has it.
func (c *conn) call(name string, args ...any) {
	if f := c.ui.Get(name); f.Type() == js.TypeFunction {
		f.Invoke(args...)
	}
}

func (c *conn) wsURL(path string, query ...string) string {
	u := c.base + path + "?token=" + url.QueryEscape(c.token)
	for i := 0; i+1 < len(query); i += 2 {
		u += "&" + query[i] + "=" + url.QueryEscape(query[i+1])
	}
	return u
}

const dialTimeout = 15 * time.Second

// run connects, shows the session until it ends, and tells the page why.
func (c *conn) run() {
	var msg string
	var askPassword bool
	if c.mode == "x11" {
		msg = c.runX()
	} else {
		msg, askPassword = c.runRFB()
	}
	if !c.ended() { // else the page ended it, and knows
		c.call("closed", msg, askPassword)
	}
}

// runRFB returns why the connection ended, and whether a password would
// help.
func (c *conn) runRFB() (string, bool) {
	c.call("status", "Connecting (pixel mode)...")
	u := c.wsURL("/websockify")
	st, err := dialWS(u, dialTimeout)
	if err != nil {
		return "Cannot open the RFB connection: " + err.Error(), false
	}
	st.SetDeadline(time.Now().Add(dialTimeout))
	client, err := pixelproto.NewClient(st, pixelproto.ClientConfig{Password: c.pass, Encodings: c.encs})
	if err != nil {
		st.Close()
		s := err.Error()
		switch {
		case strings.Contains(s, "wants a password"):
			return "The server needs a VNC password: enter it and connect again.", true
		case strings.Contains(s, "authentication failed"):
			return "The server refused the password.", true
		}
		return "The RFB handshake failed: " + s, false
	}
	st.SetDeadline(time.Time{})
	sess := viewer.NewRFB(client, strings.Replace(u, "?token="+url.QueryEscape(c.token), "", 1))
	c.show(sess)
	if err := sess.Err(); err != nil && !errors.Is(err, io.EOF) {
		return "The connection was lost: " + err.Error(), false
	}
	return "The server closed the connection.", false
}

func (c *conn) runX() string {
	c.call("status", "Connecting (X mode)...")
	ctrl, err := dialWS(c.wsURL("/x11"), dialTimeout)
	if err != nil {
		return "Cannot open the X11 relay: " + err.Error()
	}
	defer ctrl.Close()
	dec := json.NewDecoder(ctrl)
	var hello Control
	ctrl.SetReadDeadline(time.Now().Add(dialTimeout))
	if err := dec.Decode(&hello); err != nil || hello.Type != "hello" {
		return fmt.Sprintf("The X11 relay did not say hello: %v", err)
	}
	ctrl.SetReadDeadline(time.Time{})
	cookie, err := hex.DecodeString(hello.Cookie)
	if err != nil {
		return "The X11 relay sent a bad cookie."
	}
	x := xserver.New(xserver.Config{Width: c.size.X, Height: c.size.Y, Cookie: cookie, Logf: consoleLog})
	defer x.Close()
	sess := viewer.NewX(x, hello.Display)
	lost := make(chan error, 1)
	go func() {
		for {
			var m Control
			if err := dec.Decode(&m); err != nil {
				lost <- err
				sess.Close()
				return
			}
			if m.Type == "open" {
				go c.serveX(x, m)
			}
		}
	}()
	c.call("display", hello.Display, strings.Join(hello.Endpoints, " "))
	c.show(sess)
	select {
	case err := <-lost:
		var ce *CloseError
		if errors.As(err, &ce) && ce.Code == CloseReplaced {
			return "Another page became display " + hello.Display + "."
		}
		return "Lost the connection to the X11 relay: " + err.Error()
	default:
		return "Display " + hello.Display + " closed."
	}
}

// serveX serves one X client relayed by the web server.
func (c *conn) serveX(x *xserver.Server, m Control) {
	st, err := dialWS(c.wsURL("/x11/conn", "id", strconv.FormatUint(m.ID, 10)), dialTimeout)
	if err != nil {
		consoleLog("x11: connection %d from %s: %v", m.ID, m.Peer, err)
		return
	}
	st.remote = Addr{"x11-relay", m.Peer}
	x.ServeConn(st, m.Trusted)
}

// show draws the session on the canvas and keeps the page's statistics,
// cursor and clipboard up to date, until it ends.
func (c *conn) show(sess viewer.Session) {
	defer sess.Close()
	if c.ended() {
		return
	}
	c.mu.Lock()
	c.sess = sess
	c.mu.Unlock()
	c.call("connected", sess.Mode(), sess.Target())
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	c.stats(sess)
	for {
		select {
		case <-sess.Updated():
			c.draw(sess)
			c.showCursor(sess)
			c.showClipboard(sess)
		case <-tick.C:
			c.stats(sess)
		case <-sess.Done():
			c.draw(sess)
			c.stats(sess)
			return
		case <-c.stop:
			return
		}
	}
}

// draw puts what changed on the canvas: only the changed rectangle
// crosses from Go to JavaScript.
func (c *conn) draw(sess viewer.Session) {
	if c.ended() {
		return
	}
	sess.Frame(func(img *image.RGBA, ch image.Rectangle) {
		if size := img.Rect.Size(); size != c.fbSize {
			c.fbSize = size
			c.mu.Lock()
			c.shown = size
			c.mu.Unlock()
			c.canvas.Set("width", size.X)
			c.canvas.Set("height", size.Y)
			ch = img.Rect
		}
		ch = ch.Intersect(img.Rect)
		if ch.Empty() {
			return
		}
		w := ch.Dx() * 4
		c.buf = c.buf[:0]
		for y := ch.Min.Y; y < ch.Max.Y; y++ {
			o := img.PixOffset(ch.Min.X, y)
			c.buf = append(c.buf, img.Pix[o:o+w]...)
		}
		for i := 3; i < len(c.buf); i += 4 {
			c.buf[i] = 0xff // the canvas is opaque, whatever the source's alpha
		}
		arr := js.Global().Get("Uint8ClampedArray").New(len(c.buf))
		js.CopyBytesToJS(arr, c.buf)
		data := js.Global().Get("ImageData").New(arr, ch.Dx(), ch.Dy())
		c.ctx2d.Call("putImageData", data, ch.Min.X, ch.Min.Y)
	})
}

// showCursor gives the page the pointer's shape when it changes, as a PNG
// for CSS.
func (c *conn) showCursor(sess viewer.Session) {
	cur := sess.Cursor()
	var key []byte
	if cur != nil {
		key = fmt.Appendf(nil, "%v%v", cur.Image.Rect, cur.Hot)
		key = append(key, cur.Image.Pix...)
	}
	if bytes.Equal(key, c.cursor) && c.cursor != nil {
		return
	}
	c.cursor = key
	if cur == nil || cur.Image.Rect.Empty() {
		c.call("cursor", "", 0, 0)
		return
	}
	var b bytes.Buffer
	png.Encode(&b, cur.Image)
	c.call("cursor", "data:image/png;base64,"+base64.StdEncoding.EncodeToString(b.Bytes()), cur.Hot.X, cur.Hot.Y)
}

// showClipboard offers the other side's clipboard to the page when it
// changes.
func (c *conn) showClipboard(sess viewer.Session) {
	clip := sess.Clipboard()
	if bytes.Equal(clip, c.clip) {
		return
	}
	c.clip = append(c.clip[:0:0], clip...)
	text := FromLatin1(clip)
	c.p.mu.Lock()
	c.p.clipboard = text
	c.p.mu.Unlock()
	c.call("clipboard", text)
}

// pageStats is what the overlay and netdisplay.stats() show.
type pageStats struct {
	viewer.Stats
	Target string `json:"target"`
}

func (c *conn) stats(sess viewer.Session) {
	b, _ := json.Marshal(pageStats{sess.Stats(), sess.Target()})
	c.p.mu.Lock()
	c.p.statsJSON = string(b)
	c.p.mu.Unlock()
	c.call("stats", string(b))
}

// The input handlers below run in JavaScript's event handlers: they work
// out what to send and queue it for inputLoop, which may block.

func (p *page) inputLoop() {
	for f := range p.input {
		f()
	}
}

func (p *page) queue(f func()) {
	select {
	case p.input <- f:
	default:
		consoleLog("input queue full: event dropped")
	}
}

// key(key, code, location, down) returns whether the display used the key,
// so the page can stop the browser's own handling of it.
func (p *page) key(args []js.Value) any {
	c := p.current()
	if c == nil || len(args) < 4 {
		return false
	}
	key, code, loc, down := jsString(args[0]), jsString(args[1]), jsInt(args[2]), args[3].Truthy()
	var sym uint32
	if down {
		sym = c.kbd.Press(key, code, loc)
	} else {
		sym = c.kbd.Release(key, code)
	}
	if sym == 0 {
		return false
	}
	p.queue(func() {
		if s := c.session(); s != nil {
			s.Key(sym, down)
		}
	})
	return true
}

// pointer(x, y, kind, button): kind is "down", "up" or "move".
func (p *page) pointer(args []js.Value) any {
	c := p.current()
	if c == nil || len(args) < 4 {
		return nil
	}
	x, y, kind, button := jsInt(args[0]), jsInt(args[1]), jsString(args[2]), jsInt(args[3])
	switch kind {
	case "down":
		c.buttons |= ButtonBit(button)
	case "up":
		c.buttons &^= ButtonBit(button)
	}
	c.at = c.clampPoint(x, y)
	at, b := c.at, c.buttons
	p.queue(func() {
		if s := c.session(); s != nil {
			s.Pointer(at.X, at.Y, b)
		}
	})
	return nil
}

// wheel(x, y, dx, dy, mode)
func (p *page) wheelEvent(args []js.Value) any {
	c := p.current()
	if c == nil || len(args) < 5 {
		return nil
	}
	c.at = c.clampPoint(jsInt(args[0]), jsInt(args[1]))
	at := c.at
	clicks := c.wheel.Add(jsFloat(args[2]), jsFloat(args[3]), jsInt(args[4]))
	b := c.buttons
	p.queue(func() {
		s := c.session()
		if s == nil {
			return
		}
		for _, btn := range clicks {
			bit := uint8(1) << (btn - 1)
			s.Pointer(at.X, at.Y, b|bit)
			s.Pointer(at.X, at.Y, b)
		}
	})
	return nil
}

// clampPoint keeps the pointer on the screen, whatever the page says.
func (c *conn) clampPoint(x, y int) image.Point {
	c.mu.Lock()
	size := c.shown
	c.mu.Unlock()
	return image.Pt(clamp(x, 0, max(size.X-1, 0)), clamp(y, 0, max(size.Y-1, 0)))
}

func clamp(v, lo, hi int) int { return min(max(v, lo), hi) }

// paste(text) gives the display the page's clipboard.
func (p *page) paste(args []js.Value) any {
	c := p.current()
	if c == nil || len(args) < 1 || args[0].Type() != js.TypeString {
		return nil
	}
	text := Latin1(args[0].String())
	p.queue(func() {
		if s := c.session(); s != nil {
			s.CutText(text)
		}
	})
	return nil
}

// resize(w, h) makes X mode's screen fit the page; pixel mode follows the
// server's size instead.
func (p *page) resize(args []js.Value) any {
	c := p.current()
	if c == nil || c.mode != "x11" || len(args) < 2 {
		return nil
	}
	w, h := clamp(jsInt(args[0]), 64, 8192), clamp(jsInt(args[1]), 64, 8192)
	p.queue(func() {
		if s := c.session(); s != nil {
			if err := s.Resize(w, h); err != nil {
				consoleLog("resize: %v", err)
			}
		}
	})
	return nil
}

// blur releases the keys and buttons held: the page sees no more key or
// mouse releases once it has lost focus.
func (p *page) blur([]js.Value) any {
	c := p.current()
	if c == nil {
		return nil
	}
	syms := c.kbd.ReleaseAll()
	hadButtons := c.buttons != 0
	c.buttons = 0
	at := c.at
	p.queue(func() {
		s := c.session()
		if s == nil {
			return
		}
		for _, sym := range syms {
			s.Key(sym, false)
		}
		if hadButtons {
			s.Pointer(at.X, at.Y, 0)
		}
	})
	return nil
}

// jsString, jsInt and jsFloat read what the page passes, as zero when it
// is not what it should be.
func jsString(v js.Value) string {
	if v.Type() != js.TypeString {
		return ""
	}
	return v.String()
}

func jsFloat(v js.Value) float64 {
	if v.Type() != js.TypeNumber {
		return 0
	}
	return v.Float()
}

func jsInt(v js.Value) int {
	f := jsFloat(v)
	if f != f || f > 1<<30 || f < -(1<<30) {
		return 0
	}
	return int(f)
}

func consoleLog(format string, args ...any) {
	js.Global().Get("console").Call("log", fmt.Sprintf(format, args...))
}
