package pixelproto

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"io"
	"net"
	"slices"
	"sync"
	"time"

	"netdisplay/xserver/region"
)

// ClientConfig configures a Client.
type ClientConfig struct {
	// Password answers VNC Authentication.
	Password string
	// Exclusive asks the server to disconnect its other viewers.
	Exclusive bool
	// Encodings to ask for, best first; nil means DefaultEncodings.
	Encodings []Encoding
	// PixelFormat to ask for; nil means FormatRGBA, whose wire bytes are
	// the framebuffer's.
	PixelFormat *PixelFormat
	// Manual leaves update requests to the caller (RequestUpdate). By
	// default the client asks for the next update as soon as one arrives,
	// or turns on continuous updates when the server has them.
	Manual bool
	// Version is the highest protocol minor version to speak: 3, 7 or 8
	// (0 means 8).
	Version int
	// MaxSize bounds the framebuffer a server may announce; zero means
	// 8192×8192.
	MaxSize image.Point
}

// A Client is a connection to an RFB server. It keeps a copy of the
// server's framebuffer, updated one whole FramebufferUpdate at a time.
// Its methods may be called from any goroutine.
type Client struct {
	cfg      ClientConfig
	conn     *countConn
	br       *bufio.Reader
	version  int
	serverPF PixelFormat

	wmu sync.Mutex // guards writes
	bw  *bufio.Writer

	// Owned by the read loop.
	ds       decodeState
	dirty    []image.Rectangle
	covered  region.Region
	coverOK  bool
	fenceOK  bool
	cuOK     bool
	reqTime  time.Time
	complete chan struct{}

	mu        sync.Mutex // guards what follows
	pub       *image.RGBA
	changed   image.Rectangle
	name      string
	cursor    *Cursor
	cutText   []byte
	bells     int
	stats     ClientStats
	table     statsTable
	cuOn      bool
	resize    ResizeResult
	updated   chan struct{}
	done      chan struct{}
	err       error
	closeOnce sync.Once
}

// ResizeResult is the last ExtendedDesktopSize the server sent.
type ResizeResult struct {
	Reason, Status int
	Size           image.Point
	Screens        []Screen
}

// Dial connects to an RFB server at addr ("host:port"; a "vnc://" prefix
// is allowed, and "host::port" as VNC programs write it).
func Dial(ctx context.Context, addr string, cfg ClientConfig) (*Client, error) {
	addr = normalizeAddr(addr)
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	c, err := NewClient(conn, cfg)
	if err != nil {
		conn.Close()
		return nil, err
	}
	conn.SetDeadline(time.Time{})
	return c, nil
}

func normalizeAddr(addr string) string {
	if len(addr) > 6 && addr[:6] == "vnc://" {
		addr = addr[6:]
	}
	if len(addr) > 0 && addr[0] == '[' {
		return addr
	}
	for i := 0; i+1 < len(addr); i++ {
		if addr[i] == ':' && addr[i+1] == ':' && !containsByte(addr[:i], ':') {
			return addr[:i] + addr[i+1:]
		}
	}
	return addr
}

func containsByte(s string, b byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == b {
			return true
		}
	}
	return false
}

// NewClient runs the handshake on an open connection and starts reading.
func NewClient(conn net.Conn, cfg ClientConfig) (*Client, error) {
	cc := &countConn{Conn: conn}
	c := &Client{
		cfg:      cfg,
		conn:     cc,
		br:       bufio.NewReaderSize(cc, 64<<10),
		bw:       bufio.NewWriterSize(cc, 16<<10),
		updated:  make(chan struct{}, 1),
		done:     make(chan struct{}),
		complete: make(chan struct{}),
		table:    make(statsTable),
	}
	if err := c.handshake(); err != nil {
		return nil, err
	}
	go c.readLoop()
	return c, nil
}

func (c *Client) handshake() error {
	var vb [12]byte
	if _, err := io.ReadFull(c.br, vb[:]); err != nil {
		return err
	}
	v, err := parseVersion(vb[:])
	if err != nil {
		return err
	}
	if max := c.cfg.Version; max == 3 || max == 7 {
		v = min(v, max)
	}
	c.version = v
	if _, err := fmt.Fprintf(c.conn, "RFB 003.%03d\n", v); err != nil {
		return err
	}
	var sec uint32
	if v == 3 {
		b, err := c.readN(4)
		if err != nil {
			return err
		}
		sec = binary.BigEndian.Uint32(b)
		if sec == secInvalid {
			return c.readReason("connection refused")
		}
	} else {
		n, err := c.br.ReadByte()
		if err != nil {
			return err
		}
		if n == 0 {
			return c.readReason("connection refused")
		}
		types, err := c.readN(int(n))
		if err != nil {
			return err
		}
		switch {
		case c.cfg.Password != "" && slices.Contains(types, secVNCAuth):
			sec = secVNCAuth
		case slices.Contains(types, secNone):
			sec = secNone
		case slices.Contains(types, secVNCAuth):
			sec = secVNCAuth
		default:
			return fmt.Errorf("rfb: no supported security type in %v", types)
		}
		if _, err := c.conn.Write([]byte{byte(sec)}); err != nil {
			return err
		}
	}
	switch sec {
	case secNone:
	case secVNCAuth:
		if c.cfg.Password == "" {
			return errors.New("rfb: server wants a password")
		}
		challenge, err := c.readN(16)
		if err != nil {
			return err
		}
		if _, err := c.conn.Write(vncAuthResponse([]byte(c.cfg.Password), challenge)); err != nil {
			return err
		}
	default:
		return fmt.Errorf("rfb: unsupported security type %d", sec)
	}
	if sec == secVNCAuth || v == 8 {
		b, err := c.readN(4)
		if err != nil {
			return err
		}
		if binary.BigEndian.Uint32(b) != 0 {
			if v == 8 {
				return c.readReason("authentication failed")
			}
			return errors.New("rfb: authentication failed")
		}
	}
	if _, err := c.conn.Write([]byte{boolByte(!c.cfg.Exclusive)}); err != nil {
		return err
	}
	b, err := c.readN(24)
	if err != nil {
		return err
	}
	w, h := int(binary.BigEndian.Uint16(b)), int(binary.BigEndian.Uint16(b[2:]))
	c.serverPF.Unmarshal(b[4:])
	n := binary.BigEndian.Uint32(b[20:])
	if n > 1<<20 {
		return fmt.Errorf("rfb: desktop name of %d bytes", n)
	}
	name, err := c.readN(int(n))
	if err != nil {
		return err
	}
	c.name = string(name)
	if err := c.checkSize(w, h); err != nil {
		return err
	}
	pf := FormatRGBA
	if c.cfg.PixelFormat != nil {
		pf = *c.cfg.PixelFormat
	}
	if err := pf.Validate(); err != nil {
		return err
	}
	c.ds = decodeState{r: c.br, pf: pf, fb: newFramebuffer(w, h, pf)}
	c.pub = image.NewRGBA(image.Rect(0, 0, w, h))
	copy(c.pub.Pix, c.ds.fb.img.Pix)
	encs := c.cfg.Encodings
	if encs == nil {
		encs = DefaultEncodings
	}
	c.coverOK = true
	c.wmu.Lock()
	defer c.wmu.Unlock()
	var out []byte
	out = (&SetPixelFormat{pf}).Marshal(out)
	out = (&SetEncodings{encs}).Marshal(out)
	out = (&FramebufferUpdateRequest{false, image.Rect(0, 0, w, h)}).Marshal(out)
	c.reqTime = time.Now()
	_, err = c.bw.Write(out)
	if err == nil {
		err = c.bw.Flush()
	}
	return err
}

func (c *Client) checkSize(w, h int) error {
	max := c.cfg.MaxSize
	if max == (image.Point{}) {
		max = image.Pt(8192, 8192)
	}
	if w > max.X || h > max.Y {
		return fmt.Errorf("rfb: framebuffer of %dx%d exceeds %dx%d", w, h, max.X, max.Y)
	}
	return nil
}

func (c *Client) readN(n int) ([]byte, error) {
	b := make([]byte, n)
	_, err := io.ReadFull(c.br, b)
	return b, err
}

func (c *Client) readReason(what string) error {
	b, err := c.readN(4)
	if err != nil {
		return fmt.Errorf("rfb: %s", what)
	}
	n := min(binary.BigEndian.Uint32(b), 4096)
	r, _ := c.readN(int(n))
	return fmt.Errorf("rfb: %s: %s", what, r)
}

// Close closes the connection.
func (c *Client) Close() error {
	c.closeOnce.Do(func() { c.conn.Close() })
	return nil
}

// Done is closed when the connection ends; Err then says why.
func (c *Client) Done() <-chan struct{} { return c.done }

// Err returns the error that ended the connection, or nil.
func (c *Client) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Updated is signalled (it has a buffer of one) when the framebuffer,
// cursor, name, cut text or bell changes.
func (c *Client) Updated() <-chan struct{} { return c.updated }

// Complete is closed once every pixel of the framebuffer has been
// received at least once.
func (c *Client) Complete() <-chan struct{} { return c.complete }

// Framebuffer calls f with the framebuffer and the bounds of what changed
// since the previous call. Updates wait while f runs; f must not keep img.
func (c *Client) Framebuffer(f func(img *image.RGBA, changed image.Rectangle)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := c.changed
	c.changed = image.Rectangle{}
	f(c.pub, ch)
}

// Image returns a copy of the framebuffer.
func (c *Client) Image() *image.RGBA {
	var img *image.RGBA
	c.Framebuffer(func(fb *image.RGBA, _ image.Rectangle) {
		img = image.NewRGBA(fb.Rect)
		copy(img.Pix, fb.Pix)
	})
	return img
}

// Size returns the framebuffer's size.
func (c *Client) Size() image.Point {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pub.Rect.Size()
}

// Name returns the desktop name.
func (c *Client) Name() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.name
}

// Version returns the protocol version spoken: "3.3", "3.7" or "3.8".
func (c *Client) Version() string { return fmt.Sprintf("3.%d", c.version) }

// ServerPixelFormat returns the format the server announced.
func (c *Client) ServerPixelFormat() PixelFormat { return c.serverPF }

// Cursor returns the pointer shape the server sent, or nil.
func (c *Client) Cursor() *Cursor {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cursor
}

// CutText returns the text the server last cut.
func (c *Client) CutText() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cutText
}

// Bells returns how many times the server rang the bell.
func (c *Client) Bells() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bells
}

// LastResize returns the last ExtendedDesktopSize the server sent.
func (c *Client) LastResize() ResizeResult {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.resize
}

// Continuous reports whether continuous updates are on.
func (c *Client) Continuous() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cuOn
}

// Stats returns the connection's statistics.
func (c *Client) Stats() ClientStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	s.BytesIn = c.conn.in.Load()
	s.BytesOut = c.conn.out.Load()
	s.ByEncoding = c.table.list()
	return s
}

func (c *Client) send(m Message) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if _, ok := m.(*FramebufferUpdateRequest); ok && c.reqTime.IsZero() {
		c.reqTime = time.Now()
	}
	c.bw.Write(m.Marshal(nil))
	return c.bw.Flush()
}

// Key sends a key press or release.
func (c *Client) Key(keysym uint32, down bool) error {
	return c.send(&KeyEvent{Down: down, Keysym: keysym})
}

// Pointer sends the pointer position and buttons (bit 0 is button 1).
func (c *Client) Pointer(x, y int, buttons uint8) error {
	return c.send(&PointerEvent{Buttons: buttons, X: x, Y: y})
}

// SendCutText sends Latin-1 text to the server's clipboard.
func (c *Client) SendCutText(text []byte) error {
	return c.send(&CutText{Text: text})
}

// RequestUpdate asks for an update of the whole framebuffer.
func (c *Client) RequestUpdate(incremental bool) error {
	return c.send(&FramebufferUpdateRequest{Incremental: incremental, Rect: image.Rectangle{Max: c.Size()}})
}

// SetDesktopSize asks the server for a new framebuffer size; the answer
// arrives as LastResize.
func (c *Client) SetDesktopSize(w, h int) error {
	return c.send(&SetDesktopSize{Width: w, Height: h, Screens: []Screen{{ID: 0, Rect: image.Rect(0, 0, w, h)}}})
}

func (c *Client) signal() {
	select {
	case c.updated <- struct{}{}:
	default:
	}
}

func (c *Client) readLoop() {
	err := c.readMessages()
	c.mu.Lock()
	c.err = err
	c.mu.Unlock()
	c.Close()
	close(c.done)
	c.signal()
}

func (c *Client) readMessages() error {
	mr := msgReader{r: c.br}
	for {
		t, err := c.br.ReadByte()
		if err != nil {
			return err
		}
		if t == msgFramebufferUpdate {
			if err := c.readUpdate(); err != nil {
				return err
			}
			continue
		}
		m, err := mr.readServerMessage(t)
		if err != nil {
			return err
		}
		if err := c.handle(m); err != nil {
			return err
		}
	}
}

func (c *Client) handle(m Message) error {
	switch m := m.(type) {
	case *SetColourMapEntries:
		for i := 0; i+2 < len(m.Colors); i += 3 {
			if k := m.First + i/3; k < 256 {
				c.ds.fb.cmap[k] = [3]uint8{uint8(m.Colors[i] >> 8), uint8(m.Colors[i+1] >> 8), uint8(m.Colors[i+2] >> 8)}
			}
		}
	case *Bell:
		c.mu.Lock()
		c.bells++
		c.mu.Unlock()
		c.signal()
	case *CutText:
		c.mu.Lock()
		c.cutText = m.Text
		c.mu.Unlock()
		c.signal()
	case *EndOfContinuousUpdates:
		first := !c.cuOK
		c.cuOK = true
		c.mu.Lock()
		c.cuOn = false
		c.mu.Unlock()
		if first && !c.cfg.Manual && slices.Contains(c.encodings(), PseudoContinuousUpdates) {
			c.mu.Lock()
			c.cuOn = true
			c.mu.Unlock()
			return c.send(&EnableContinuousUpdates{Enable: true, Rect: image.Rectangle{Max: c.ds.fb.img.Rect.Size()}})
		}
	case *Fence:
		c.fenceOK = true
		if m.Flags&FenceRequest != 0 {
			// Messages are handled in order, so every flag is honoured.
			return c.send(&Fence{Flags: m.Flags & fenceKnown, Payload: m.Payload})
		}
	}
	return nil
}

func (c *Client) encodings() []Encoding {
	if c.cfg.Encodings == nil {
		return DefaultEncodings
	}
	return c.cfg.Encodings
}

// readUpdate reads one FramebufferUpdate into the private framebuffer,
// then publishes what changed.
func (c *Client) readUpdate() error {
	b, err := c.ds.read(3)
	if err != nil {
		return err
	}
	n := int(binary.BigEndian.Uint16(b[1:]))
	c.dirty = c.dirty[:0]
	resized := false
	for i := 0; i < n; i++ {
		h, err := c.ds.read(12)
		if err != nil {
			return err
		}
		r := readRect(h)
		e := Encoding(binary.BigEndian.Uint32(h[8:]))
		if e == PseudoLastRect {
			break
		}
		start := c.br.Buffered()
		inBefore := c.conn.in.Load()
		t := time.Now()
		if err := c.readRect(r, e, h, &resized); err != nil {
			return fmt.Errorf("rfb: %v rectangle %v: %w", e, r, err)
		}
		size := c.conn.in.Load() - inBefore + int64(start-c.br.Buffered()) + 12
		c.mu.Lock()
		c.table.add(e, 1, int64(r.Dx()*r.Dy()), size, time.Since(t))
		c.stats.Rects++
		c.mu.Unlock()
	}
	c.publish(resized)
	if !c.cfg.Manual && !c.Continuous() {
		return c.send(&FramebufferUpdateRequest{Incremental: true, Rect: c.ds.fb.img.Rect})
	}
	return nil
}

func (c *Client) readRect(r image.Rectangle, e Encoding, h []byte, resized *bool) error {
	fb := c.ds.fb
	switch e {
	case PseudoCursor:
		cur, err := decodeCursor(&c.ds, r)
		if err != nil {
			return err
		}
		c.mu.Lock()
		c.cursor = cur
		c.mu.Unlock()
		return nil
	case PseudoDesktopSize:
		if err := c.checkSize(r.Dx(), r.Dy()); err != nil {
			return err
		}
		fb.resize(r.Dx(), r.Dy())
		*resized = true
		return nil
	case PseudoExtendedDesktopSize:
		b, err := c.ds.read(4)
		if err != nil {
			return err
		}
		b, err = c.ds.read(16 * int(b[0]))
		if err != nil {
			return err
		}
		screens, _ := readScreens(b, len(b)/16)
		res := ResizeResult{Reason: r.Min.X, Status: r.Min.Y, Size: r.Size(), Screens: screens}
		if res.Status == 0 {
			if err := c.checkSize(r.Dx(), r.Dy()); err != nil {
				return err
			}
			if res.Size != fb.img.Rect.Size() {
				fb.resize(r.Dx(), r.Dy())
				*resized = true
			}
		}
		c.mu.Lock()
		c.resize = res
		c.mu.Unlock()
		return nil
	case PseudoDesktopName:
		b, err := c.ds.read(4)
		if err != nil {
			return err
		}
		n := binary.BigEndian.Uint32(b)
		if n > 1<<20 {
			return fmt.Errorf("rfb: desktop name of %d bytes", n)
		}
		b, err = c.ds.read(int(n))
		if err != nil {
			return err
		}
		c.mu.Lock()
		c.name = string(b)
		c.mu.Unlock()
		return nil
	}
	d := decoders[e]
	if d == nil {
		return fmt.Errorf("rfb: unknown encoding %d", int32(e))
	}
	if err := fb.check(r); err != nil {
		return err
	}
	if err := d.decode(&c.ds, r); err != nil {
		return err
	}
	c.dirty = append(c.dirty, r)
	if c.coverOK {
		c.covered.UnionRect(&c.covered, r)
	}
	return nil
}

// publish copies the update into the framebuffer that callers see.
func (c *Client) publish(resized bool) {
	fb := c.ds.fb.img
	c.mu.Lock()
	if resized {
		c.pub = image.NewRGBA(fb.Rect)
		copy(c.pub.Pix, fb.Pix)
		c.changed = fb.Rect
		if c.coverOK {
			c.covered.IntersectRect(&c.covered, fb.Rect)
		}
	} else {
		for _, r := range c.dirty {
			copyRect(c.pub, fb, r)
			c.changed = c.changed.Union(r)
		}
	}
	c.wmu.Lock()
	rt := c.reqTime
	c.reqTime = time.Time{}
	c.wmu.Unlock()
	c.stats.Updates++
	if !rt.IsZero() {
		l := time.Since(rt)
		c.stats.LastLatency = l
		c.stats.latencySum += l
		c.stats.latencyN++
		c.stats.MeanLatency = c.stats.latencySum / time.Duration(c.stats.latencyN)
	}
	cuOn := c.cuOn
	c.mu.Unlock()
	if resized && cuOn {
		c.send(&EnableContinuousUpdates{Enable: true, Rect: fb.Rect})
	}
	if c.coverOK && c.covered.Overlap(fb.Rect) == region.In {
		c.coverOK = false
		close(c.complete)
	}
	c.signal()
}

func copyRect(dst, src *image.RGBA, r image.Rectangle) {
	r = r.Intersect(dst.Rect).Intersect(src.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		copy(dst.Pix[dst.PixOffset(r.Min.X, y):dst.PixOffset(r.Max.X, y)], src.Pix[src.PixOffset(r.Min.X, y):])
	}
}

// Snapshot connects to the RFB server at addr, waits until it has every
// pixel of the framebuffer, and returns it. Nil encodings means
// DefaultEncodings without continuous updates.
func Snapshot(ctx context.Context, addr, password string, encodings []Encoding) (*image.RGBA, error) {
	if encodings == nil {
		encodings = []Encoding{ZRLE, Tight, TRLE, Hextile, RRE, CopyRect, Raw, PseudoDesktopSize, PseudoExtendedDesktopSize, PseudoLastRect}
	}
	c, err := Dial(ctx, addr, ClientConfig{Password: password, Encodings: encodings})
	if err != nil {
		return nil, err
	}
	defer c.Close()
	select {
	case <-c.Complete():
		return c.Image(), nil
	case <-c.Done():
		return nil, c.Err()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
