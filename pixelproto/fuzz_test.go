package pixelproto

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"image"
	"io"
	"net"
	"reflect"
	"testing"
	"time"
)

// A fakeConn plays a recorded byte stream and discards what is written.
type fakeConn struct {
	r io.Reader
}

func (c *fakeConn) Read(p []byte) (int, error)         { return c.r.Read(p) }
func (c *fakeConn) Write(p []byte) (int, error)        { return len(p), nil }
func (c *fakeConn) Close() error                       { return nil }
func (c *fakeConn) LocalAddr() net.Addr                { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 5900} }
func (c *fakeConn) RemoteAddr() net.Addr               { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1} }
func (c *fakeConn) SetDeadline(t time.Time) error      { return nil }
func (c *fakeConn) SetReadDeadline(t time.Time) error  { return nil }
func (c *fakeConn) SetWriteDeadline(t time.Time) error { return nil }

// FuzzServerMessages feeds the server arbitrary client messages after a
// handshake: it must never panic, and messages it parses must marshal
// back to what it read.
func FuzzServerMessages(f *testing.F) {
	var seed []byte
	seed = (&SetPixelFormat{FormatRGB565}).Marshal(seed)
	seed = (&SetEncodings{DefaultEncodings}).Marshal(seed)
	seed = (&FramebufferUpdateRequest{false, image.Rect(0, 0, 32, 24)}).Marshal(seed)
	seed = (&KeyEvent{true, 'a'}).Marshal(seed)
	seed = (&PointerEvent{1, 3, 4}).Marshal(seed)
	seed = (&CutText{Text: []byte("hi")}).Marshal(seed)
	seed = (&EnableContinuousUpdates{true, image.Rect(0, 0, 32, 24)}).Marshal(seed)
	seed = (&Fence{Flags: FenceRequest | FenceSyncNext, Payload: []byte("x")}).Marshal(seed)
	seed = (&SetDesktopSize{40, 30, []Screen{{1, image.Rect(0, 0, 40, 30), 0}}}).Marshal(seed)
	seed = (&FramebufferUpdateRequest{true, image.Rect(0, 0, 32, 24)}).Marshal(seed)
	f.Add(seed)
	f.Add([]byte{0, 0, 0, 0, 8, 8, 0, 0, 0, 7, 0, 7, 0, 3, 0, 3, 6, 3, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		// The parser alone: parsed messages round-trip.
		mr := msgReader{r: newBufReader(data)}
		for {
			m, err := mr.readClientMessage()
			if err != nil {
				break
			}
			b := m.Marshal(nil)
			m2 := reflect.New(reflect.TypeOf(m).Elem()).Interface().(Message)
			if err := m2.Unmarshal(b); err != nil {
				t.Fatalf("%T: %v", m, err)
			}
			if !reflect.DeepEqual(normalize(m), normalize(m2)) {
				t.Fatalf("%#v marshals to %#v", m, m2)
			}
		}
		// The whole server.
		src := NewMemSource(32, 24, "fuzz")
		src.MaxSize = image.Pt(64, 64)
		s := NewServer(src, ServerConfig{DeferUpdate: -1, FrameInterval: -1, Workers: 1})
		stream := append([]byte("RFB 003.008\n\x01\x01"), data...)
		done := make(chan struct{})
		go func() {
			s.ServeConn(&fakeConn{r: bytes.NewReader(stream)})
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("server did not finish")
		}
	})
}

// normalize makes empty and nil slices alike for comparison.
func normalize(m Message) Message {
	switch m := m.(type) {
	case *Fence:
		if len(m.Payload) == 0 {
			m.Payload = nil
		}
	case *CutText:
		if len(m.Text) == 0 {
			m.Text = nil
		}
	case *SetEncodings:
		if len(m.Encodings) == 0 {
			m.Encodings = nil
		}
	case *SetDesktopSize:
		if len(m.Screens) == 0 {
			m.Screens = nil
		}
	case *SetPixelFormat:
		// Padding is not kept.
	}
	return m
}

// serverStream is a server's side of a handshake, for a 64×48 framebuffer
// in format pf, followed by data.
func serverStream(pf PixelFormat, data []byte) []byte {
	b := []byte("RFB 003.008\n\x01\x01\x00\x00\x00\x00")
	b = binary.BigEndian.AppendUint16(b, 64)
	b = binary.BigEndian.AppendUint16(b, 48)
	b = pf.Marshal(b)
	b = binary.BigEndian.AppendUint32(b, 4)
	b = append(b, "fuzz"...)
	return append(b, data...)
}

// FuzzClient feeds a client an arbitrary server stream after the
// handshake: every decoder must reject bad data without panicking.
func FuzzClient(f *testing.F) {
	// Seeds: one real update in each encoding, and the pseudo-encodings.
	px := desktopPixels(64, 48, 1)
	for _, e := range lossless {
		for _, q := range []int{0, 50} {
			p := newCodecPair(FormatRGBA, 64, 48)
			p.params.quality = q
			var jobs []*rectJob
			v := frameView(px, 64, 48)
			for _, r := range split(encoders[e], image.Rect(0, 0, 64, 48), v, &p.params, 1024, nil) {
				jobs = append(jobs, &rectJob{r: r, src: v, enc: e})
			}
			encodeJobs(jobs, p.conv, &p.params, &p.zs, 1)
			b := binary.BigEndian.AppendUint16([]byte{0, 0}, uint16(len(jobs)))
			for _, j := range jobs {
				b = j.out.appendTo(appendRectHeader(b, j.r, j.used))
			}
			f.Add(b)
		}
	}
	var b []byte
	b = binary.BigEndian.AppendUint16(append(b, 0, 0), 5)
	b = appendCursor(b, &Cursor{Width: 3, Height: 2, Pixels: make([]uint32, 6), Mask: make([]bool, 6)}, FormatRGBA, newConverter(FormatRGBA))
	b = appendRectHeader(b, image.Rect(0, 0, 32, 32), PseudoDesktopSize)
	b = appendRectHeader(b, image.Rect(1, 0, 33, 30), PseudoExtendedDesktopSize)
	b = appendScreens(append(b, 1, 0, 0, 0), []Screen{{1, image.Rect(0, 0, 32, 30), 0}})
	b = appendRectHeader(b, image.Rect(2, 2, 10, 10), CopyRect)
	b = appendCopyRect(b, image.Pt(0, 0))
	b = appendRectHeader(b, image.Rectangle{}, PseudoLastRect)
	b = (&Fence{Server: true, Flags: FenceRequest, Payload: []byte("p")}).Marshal(b)
	b = (&CutText{Server: true, Text: []byte("t")}).Marshal(b)
	b = append(b, msgBell, msgEndOfContinuousUpdates)
	b = (&SetColourMapEntries{First: 0, Colors: []uint16{1, 2, 3}}).Marshal(b)
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, pf := range []PixelFormat{FormatRGBA, FormatRGB565} {
			c, err := NewClient(&fakeConn{r: bytes.NewReader(serverStream(FormatRGB888, data))},
				ClientConfig{PixelFormat: &pf, MaxSize: image.Pt(256, 256)})
			if err != nil {
				t.Fatal(err)
			}
			select {
			case <-c.Done():
			case <-time.After(10 * time.Second):
				t.Fatal("client did not finish")
			}
			c.Image()
		}
	})
}

func newBufReader(b []byte) *bufioReader { return newBufioReader(bytes.NewReader(b)) }

type bufioReader = bufio.Reader

func newBufioReader(r io.Reader) *bufio.Reader { return bufio.NewReader(r) }
