package pixelproto

import (
	"bufio"
	"encoding/binary"
	"errors"
	"image"
	"sync"
	"time"
)

// A viewer is one connection to a Server. Its reader goroutine parses the
// client's messages, passing input straight to the Source and the rest to
// the session goroutine (run), which owns all other state and the output.
type viewer struct {
	s       *Server
	id      int
	conn    *countConn
	br      *bufio.Reader
	bw      *bufio.Writer
	version int
	shared  bool
	ready   bool // the handshake is over; guarded by mu
	since   time.Time
	feed    Feed

	msgs      chan Message
	readErr   error // set by readLoop before it closes msgs
	done      chan struct{}
	closeOnce sync.Once

	// Session state, owned by run.
	pf          PixelFormat // as the client asked
	served      PixelFormat // as sent: colour maps become BGR233
	conv        *converter
	encs        []Encoding
	preferred   Encoding
	has         map[Encoding]bool
	params      encParams
	requested   bool // an update has been asked for
	continuous  bool
	cuRect      image.Rectangle
	syncNext    bool // hold updates until the next message is handled
	dirty       bool // the feed has something
	lastSend    time.Time
	size        image.Point     // the framebuffer's, as of the last Take
	clientSize  image.Point     // the client's idea of it
	u           Update          // the last Take
	unsent      bool            // u has copies or pixels not yet sent
	more        bool            // the feed has more of the changes u is part of
	refresh     image.Rectangle // what the client asked for whole
	cursor      *Cursor
	sendCursor  bool
	name        string
	sizeRects   []sizeRect // DesktopSize rectangles to send, alone
	expectSize  image.Point
	zs          [zCount]zstream
	out         []byte
	jobs        []*rectJob // the part being sent
	spare       []*rectJob // jobs to reuse
	parts       []image.Rectangle
	fenceSent   time.Time
	cuAnnounced bool

	mu    sync.Mutex // guards the statistics below
	stats ViewerStats
	table statsTable
}

// A sizeRect is an ExtendedDesktopSize (or DesktopSize) rectangle.
type sizeRect struct {
	reason, status int
	size           image.Point
	screens        []Screen
}

func (v *viewer) close() {
	v.closeOnce.Do(func() {
		close(v.done)
		v.conn.Close()
	})
}

// readLoop reads the client's messages until the connection fails.
func (v *viewer) readLoop() {
	mr := msgReader{r: v.br}
	src := v.s.src
	defer close(v.msgs)
	for {
		m, err := mr.readClientMessage()
		if err != nil {
			v.readErr = err
			return
		}
		switch m := m.(type) {
		case *KeyEvent:
			src.Key(m.Keysym, m.Down)
		case *PointerEvent:
			src.Pointer(m.X, m.Y, m.Buttons)
		case *CutText:
			src.CutText(m.Text)
		default:
			select {
			case v.msgs <- m:
			case <-v.done:
				return
			}
		}
	}
}

func (v *viewer) deferUpdate() time.Duration {
	switch d := v.s.cfg.DeferUpdate; {
	case d == 0:
		return time.Millisecond
	case d < 0:
		return 0
	default:
		return d
	}
}

func (v *viewer) frameInterval() time.Duration {
	switch d := v.s.cfg.FrameInterval; {
	case d == 0:
		return time.Second / 60
	case d < 0:
		return 0
	default:
		return d
	}
}

// run is the session: it handles messages and sends updates.
func (v *viewer) run() error {
	v.setEncodings(nil)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	defer v.feed.Close()
	for {
		select {
		case m, ok := <-v.msgs:
			if !ok {
				return v.readErr
			}
			if err := v.handle(m); err != nil {
				return err
			}
			v.syncNext = false
			// Handle what else has arrived before sending anything.
			for more := true; more; {
				select {
				case m, ok := <-v.msgs:
					if !ok {
						return v.readErr
					}
					if err := v.handle(m); err != nil {
						return err
					}
				default:
					more = false
				}
			}
		case <-v.feed.Ready():
			if v.wantsUpdate() && !v.more {
				if d := v.deferUpdate(); d > 0 {
					time.Sleep(d)
				}
			}
			v.dirty = true
		case <-timer.C:
		case <-v.done:
			return nil
		}
		for {
			// Changes go out at most once a frame, however the client asks:
			// a burst of drawing between two frames costs one update.
			if v.dirty && v.wantsUpdate() && !v.more {
				if wait := v.frameInterval() - time.Since(v.lastSend); wait > 0 {
					timer.Reset(wait)
					break
				}
			}
			if err := v.maybeSend(); err != nil {
				return err
			}
			if !v.dirty || !v.wantsUpdate() {
				break
			}
		}
	}
}

func (v *viewer) wantsUpdate() bool {
	return (v.requested || v.continuous) && !v.syncNext
}

// handle acts on one message from the client.
func (v *viewer) handle(m Message) error {
	switch m := m.(type) {
	case *SetPixelFormat:
		if err := m.Format.Validate(); err != nil {
			return err
		}
		v.setFormat(m.Format)
		if !m.Format.TrueColour {
			v.out = (&SetColourMapEntries{Colors: colourMap()}).Marshal(v.out[:0])
			return v.write(v.out)
		}
	case *SetEncodings:
		return v.setEncodings(m.Encodings)
	case *FramebufferUpdateRequest:
		v.requested = true
		if !m.Incremental {
			v.refresh = v.refresh.Union(m.Rect.Intersect(image.Rectangle{Max: v.clientSize}))
			v.dirty = true
			if v.has[PseudoExtendedDesktopSize] {
				v.sizeRects = append(v.sizeRects, sizeRect{0, 0, v.size, v.layout()})
			}
		}
	case *EnableContinuousUpdates:
		v.mu.Lock()
		v.stats.Continuous = m.Enable
		v.mu.Unlock()
		if m.Enable {
			v.continuous, v.cuRect = true, m.Rect
			v.dirty = true
			break
		}
		if v.continuous {
			v.continuous = false
			v.out = (&EndOfContinuousUpdates{}).Marshal(v.out[:0])
			return v.write(v.out)
		}
	case *Fence:
		if m.Flags&FenceRequest == 0 {
			if !v.fenceSent.IsZero() {
				v.fenceSent = time.Time{}
			}
			return nil
		}
		reply := Fence{Flags: m.Flags & fenceKnown, Payload: m.Payload}
		v.out = reply.Marshal(v.out[:0])
		if err := v.write(v.out); err != nil {
			return err
		}
		if m.Flags&FenceSyncNext != 0 {
			v.syncNext = true
		}
	case *SetDesktopSize:
		v.setDesktopSize(m)
	}
	return nil
}

func (v *viewer) setFormat(pf PixelFormat) {
	v.pf = pf
	v.served = pf
	if !pf.TrueColour {
		v.served = colourMapFormat
		v.served.BitsPerPixel, v.served.BigEndian = pf.BitsPerPixel, pf.BigEndian
	}
	v.conv = newConverter(v.served)
	v.params.pf = v.served
	v.mu.Lock()
	v.stats.PixelFormat = pf
	v.mu.Unlock()
}

func (v *viewer) setEncodings(list []Encoding) error {
	had := v.has
	v.encs = list
	v.has = make(map[Encoding]bool)
	v.preferred = Raw
	found := false
	v.params.compress, v.params.quality = defaultCompress, 0
	fine := -1
	for _, e := range list {
		v.has[e] = true
		if _, ok := encoders[e]; ok && !found {
			v.preferred, found = e, true
		}
		switch {
		case e >= PseudoCompressLevel0 && e <= PseudoCompressLevel0+9:
			v.params.compress = int(e - PseudoCompressLevel0)
		case e >= PseudoQualityLevel0 && e <= PseudoQualityLevel0+9:
			v.params.quality = jpegQuality[e-PseudoQualityLevel0]
		case e >= PseudoFineQuality0 && e <= PseudoFineQuality0+100:
			fine = int(e - PseudoFineQuality0)
		}
	}
	if fine >= 0 && v.params.quality > 0 {
		v.params.quality = max(fine, 1)
	}
	v.params.gradient = !v.has[pseudoTightPNG]
	if v.has[PseudoCursor] && !had[PseudoCursor] && v.cursor != nil {
		v.sendCursor = true
	}
	v.mu.Lock()
	v.stats.Encodings = append([]Encoding(nil), list...)
	v.stats.Preferred = v.preferred
	v.mu.Unlock()
	if v.has[PseudoFence] && !had[PseudoFence] {
		// Announce fences; the reply measures the round trip.
		v.fenceSent = time.Now()
		v.out = (&Fence{Flags: FenceRequest}).Marshal(v.out[:0])
		if err := v.write(v.out); err != nil {
			return err
		}
	}
	if v.has[PseudoContinuousUpdates] && !v.cuAnnounced {
		v.cuAnnounced = true
		v.out = (&EndOfContinuousUpdates{}).Marshal(v.out[:0])
		return v.write(v.out)
	}
	return nil
}

// layout is the screen layout for ExtendedDesktopSize.
func (v *viewer) layout() []Screen {
	v.s.mu.Lock()
	defer v.s.mu.Unlock()
	if len(v.s.screens) == 1 && v.s.screens[0].Rect.Size() == v.size {
		return v.s.screens
	}
	return []Screen{{ID: 0, Rect: image.Rectangle{Max: v.size}}}
}

// Status codes of ExtendedDesktopSize.
const (
	resizeOK         = 0
	resizeProhibited = 1
	resizeNoResource = 2
	resizeInvalid    = 3
)

func (v *viewer) setDesktopSize(m *SetDesktopSize) {
	status := resizeOK
	switch {
	case m.Width < 1 || m.Height < 1 || len(m.Screens) == 0:
		status = resizeInvalid
	default:
		for _, sc := range m.Screens {
			if !sc.Rect.In(image.Rect(0, 0, m.Width, m.Height)) || sc.Rect.Empty() {
				status = resizeInvalid
			}
		}
	}
	want := image.Pt(m.Width, m.Height)
	if status == resizeOK && want != v.size {
		if err := v.s.src.Resize(m.Width, m.Height); err != nil {
			status = resizeProhibited
		}
	}
	if status != resizeOK {
		v.sizeRects = append(v.sizeRects, sizeRect{1, status, v.size, v.layout()})
		return
	}
	screens := append([]Screen(nil), m.Screens...)
	if len(screens) > 1 {
		// One framebuffer, one screen: keep the first, stretched to fit.
		screens = screens[:1]
	}
	screens[0].Rect = image.Rectangle{Max: want}
	v.s.mu.Lock()
	v.s.screens = screens
	v.s.resizer, v.s.resizedTo = v, want
	v.s.mu.Unlock()
	v.sizeRects = append(v.sizeRects, sizeRect{1, resizeOK, want, screens})
	v.expectSize = want
	v.clientSize = want
}

// maxTake bounds the pixels one Take captures, and so the memory a
// viewer keeps for them: a 16th of a 1920×1080 frame, 512 KB, enough for
// both cores' share of the encoding. A bigger update is taken and sent in
// parts, in one FramebufferUpdate ended by LastRect. A client without
// LastRect must be told the number of rectangles first, so it gets the
// whole update from one Take, however big.
const maxTake = 128 << 10

// pull takes what changed from the feed.
func (v *viewer) pull() {
	if v.canLast() {
		v.take(maxTake)
	} else {
		v.take(0)
	}
}

// canLast reports whether the client understands LastRect, which ends an
// update of a number of rectangles not known in advance.
func (v *viewer) canLast() bool { return v.has[PseudoLastRect] && v.version != 3 }

func (v *viewer) take(limit int) {
	u := &v.u
	v.feed.Take(u, TakeOptions{MaxPixels: limit, NoCopies: !v.has[CopyRect], Refresh: v.refresh})
	v.refresh = image.Rectangle{}
	v.dirty, v.more = u.More, u.More
	v.unsent = len(u.Copies) > 0 || len(u.Changed) > 0
	if u.Resized || u.Size != v.size {
		first := v.size == (image.Point{})
		v.size = u.Size
		if !first {
			v.resized()
		}
	}
	if u.Cursor != nil {
		v.cursor = u.Cursor
		v.sendCursor = v.has[PseudoCursor]
	}
	if u.CutText != nil {
		v.out = (&CutText{Server: true, Text: u.CutText}).Marshal(v.out[:0])
		v.bw.Write(v.out)
	}
	for range min(u.Bell, 10) {
		v.bw.WriteByte(msgBell)
	}
}

// resized tells the client of a new framebuffer size, if it can be told.
func (v *viewer) resized() {
	s := v.s
	s.mu.Lock()
	reason := 0
	if s.resizedTo == v.size && s.resizer != nil && s.resizer != v {
		reason = 2
	}
	s.mu.Unlock()
	if v.expectSize == v.size {
		v.expectSize = image.Point{} // this client asked for it and knows
		return
	}
	switch {
	case v.has[PseudoExtendedDesktopSize]:
		v.sizeRects = append(v.sizeRects, sizeRect{reason, 0, v.size, v.layout()})
	case v.has[PseudoDesktopSize]:
		v.sizeRects = append(v.sizeRects, sizeRect{-1, 0, v.size, nil})
	default:
		return // the client cannot be told; it keeps its size
	}
	v.clientSize = v.size
}

// maybeSend sends an update if one is wanted and there is something in it.
// Resize replies go out at once, each in an update of its own.
func (v *viewer) maybeSend() error {
	if v.syncNext {
		return v.flush()
	}
	if len(v.sizeRects) > 0 {
		if err := v.sendSizeRects(); err != nil {
			return err
		}
	}
	if !v.wantsUpdate() {
		return v.flush()
	}
	if v.dirty && !v.unsent {
		v.pull()
		if len(v.sizeRects) > 0 {
			if err := v.sendSizeRects(); err != nil {
				return err
			}
		}
	}
	nameChanged := v.has[PseudoDesktopName] && v.s.src.Name() != v.name
	if !v.unsent && !v.sendCursor && !nameChanged {
		return v.flush()
	}
	if err := v.sendUpdate(nameChanged); err != nil {
		return err
	}
	v.requested = false
	v.lastSend = time.Now()
	return v.flush()
}

func (v *viewer) flush() error {
	if v.bw.Buffered() == 0 {
		return nil
	}
	return v.bw.Flush()
}

func (v *viewer) write(b []byte) error {
	v.bw.Write(b)
	return v.bw.Flush()
}

func appendRectHeader(b []byte, r image.Rectangle, e Encoding) []byte {
	return binary.BigEndian.AppendUint32(appendRect(b, r), uint32(e))
}

func (v *viewer) sendSizeRects() error {
	rs := v.sizeRects
	v.sizeRects = nil
	b := binary.BigEndian.AppendUint16(append(v.out[:0], msgFramebufferUpdate, 0), uint16(len(rs)))
	for _, sr := range rs {
		if sr.reason < 0 {
			b = appendRectHeader(b, image.Rectangle{Max: sr.size}, PseudoDesktopSize)
			continue
		}
		b = appendRectHeader(b, image.Rect(sr.reason, sr.status, sr.reason+sr.size.X, sr.status+sr.size.Y), PseudoExtendedDesktopSize)
		b = append(b, byte(len(sr.screens)), 0, 0, 0)
		b = appendScreens(b, sr.screens)
	}
	v.out = b
	v.count(Encoding(PseudoExtendedDesktopSize), int64(len(rs)), 0, int64(len(b)), 0, true)
	return v.write(b)
}

// maxRects bounds the rectangles of one FramebufferUpdate message.
const maxRects = 65535

// sendUpdate encodes and writes what is pending. When the changes were
// too many for one Take and the client knows LastRect, the rest are taken
// and sent in the same update.
func (v *viewer) sendUpdate(nameChanged bool) error {
	start := time.Now()
	clip := image.Rectangle{Max: v.clientSize}.Intersect(image.Rectangle{Max: v.size})

	var pseudo []byte
	npseudo := 0
	if nameChanged {
		v.name = v.s.src.Name()
		pseudo = appendRectHeader(pseudo, image.Rectangle{}, PseudoDesktopName)
		pseudo = binary.BigEndian.AppendUint32(pseudo, uint32(len(v.name)))
		pseudo = append(pseudo, v.name...)
		npseudo++
	}
	if v.sendCursor && v.has[PseudoCursor] && v.cursor != nil {
		pseudo = appendCursor(pseudo, v.cursor, v.served, v.conv)
		npseudo++
	}
	v.sendCursor = false

	canLast := v.canLast()
	copyRects, ncopies := v.prepare(clip)
	total := npseudo + ncopies + len(v.jobs)
	if total == 0 {
		return nil
	}
	useLast := canLast && (v.more || total >= maxRects)
	if total >= maxRects && !useLast {
		return errTooManyRects
	}
	b := append(v.out[:0], msgFramebufferUpdate, 0)
	if useLast {
		b = binary.BigEndian.AppendUint16(b, 0xffff)
	} else {
		b = binary.BigEndian.AppendUint16(b, uint16(total))
	}
	b = append(b, pseudo...)
	var err error
	if b, err = v.appendPart(b, copyRects, ncopies); err != nil {
		return err
	}
	// A whole screen at most: the rest waits for the next update.
	for parts := v.size.X * v.size.Y / maxTake; useLast && v.more && parts > 0; parts-- {
		v.pull()
		if len(v.sizeRects) > 0 {
			break // the new size goes first, in an update of its own
		}
		copyRects, ncopies = v.prepare(clip)
		if b, err = v.appendPart(b, copyRects, ncopies); err != nil {
			return err
		}
	}
	if useLast {
		b = appendRectHeader(b, image.Rectangle{}, PseudoLastRect)
	}
	v.out = b[:0]
	if _, err := v.bw.Write(b); err != nil {
		return err
	}
	v.mu.Lock()
	v.stats.Updates++
	v.stats.EncodeTime += time.Since(start)
	v.mu.Unlock()
	return nil
}

// prepare turns the last Take into CopyRect rectangles and encoded jobs
// (v.jobs), within clip, the part of the framebuffer the client has.
func (v *viewer) prepare(clip image.Rectangle) (copyRects []byte, ncopies int) {
	u := &v.u
	v.unsent = false
	for i, c := range u.Copies {
		dst := c.Dst.Intersect(clip)
		src := c.Src.Add(dst.Min.Sub(c.Dst.Min))
		if !dst.Empty() && !dst.Sub(dst.Min).Add(src).In(clip) {
			// A copy from beyond what the client has: it and those
			// after it, which may read what it wrote, go as pixels, in
			// the next part or update.
			for _, c := range u.Copies[i:] {
				v.refresh = v.refresh.Union(c.Dst.Intersect(clip))
			}
			v.dirty = true
			break
		}
		if dst.Empty() {
			continue
		}
		copyRects = appendRectHeader(copyRects, dst, CopyRect)
		copyRects = appendCopyRect(copyRects, src)
		ncopies++
	}

	enc := encoders[v.preferred]
	v.jobs = v.jobs[:0]
	off := 0
	for _, r := range u.Changed {
		src := pixView{pix: u.Pixels[off:], stride: r.Dx(), r: r}
		off += r.Dx() * r.Dy()
		r = r.Intersect(clip)
		if r.Empty() {
			continue
		}
		v.parts = split(enc, r, src, &v.params, 64<<10, v.parts[:0])
		for _, p := range v.parts {
			j := v.job()
			j.r, j.src, j.enc = p, src, v.preferred
			v.jobs = append(v.jobs, j)
		}
	}
	params := v.params
	encodeJobs(v.jobs, v.conv, &params, &v.zs, v.s.cfg.Workers)
	return copyRects, ncopies
}

// job returns a rectJob to fill, reusing one already sent.
func (v *viewer) job() *rectJob {
	if n := len(v.spare); n > 0 {
		j := v.spare[n-1]
		v.spare = v.spare[:n-1]
		return j
	}
	return new(rectJob)
}

// appendPart appends a part's rectangles to the update b, writing it out
// as it grows: big updates need no big buffer.
func (v *viewer) appendPart(b, copyRects []byte, ncopies int) ([]byte, error) {
	b = append(b, copyRects...)
	if ncopies > 0 {
		v.count(CopyRect, int64(ncopies), 0, int64(len(copyRects)), 0, false)
	}
	for _, j := range v.jobs {
		n := len(b)
		b = appendRectHeader(b, j.r, j.used)
		b = j.out.appendTo(b)
		v.count(j.used, 1, int64(j.r.Dx()*j.r.Dy()), int64(len(b)-n), j.dur, false)
		j.out.release()
		j.src = pixView{}
		v.spare = append(v.spare, j)
		if len(b) > 128<<10 {
			if _, err := v.bw.Write(b); err != nil {
				return b, err
			}
			b = b[:0]
		}
	}
	v.jobs = v.jobs[:0]
	return b, nil
}

var errTooManyRects = errors.New("rfb: update of more than 65534 rectangles for a client without LastRect")

// count adds to the viewer's statistics.
func (v *viewer) count(e Encoding, rects, pixels, bytes int64, d time.Duration, update bool) {
	v.mu.Lock()
	v.table.add(e, rects, pixels, bytes, d)
	v.stats.Rects += rects
	if update {
		v.stats.Updates++
	}
	v.mu.Unlock()
}

// statsCopy returns the viewer's statistics, once its handshake is over.
func (v *viewer) statsCopy() (ViewerStats, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.ready {
		return ViewerStats{}, false
	}
	st := v.stats
	st.ID = v.id
	st.Addr = v.conn.RemoteAddr().String()
	st.Version = v.versionString()
	st.Shared = v.shared
	st.Since = v.since
	st.BytesIn = v.conn.in.Load()
	st.BytesOut = v.conn.out.Load()
	st.ByEncoding = v.table.list()
	st.Encodings = append([]Encoding(nil), st.Encodings...)
	return st, true
}
