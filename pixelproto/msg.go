package pixelproto

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"io"
)

// Message types, client to server.
const (
	msgSetPixelFormat           = 0
	msgSetEncodings             = 2
	msgFramebufferUpdateRequest = 3
	msgKeyEvent                 = 4
	msgPointerEvent             = 5
	msgClientCutText            = 6
	msgEnableContinuousUpdates  = 150
	msgClientFence              = 248
	msgSetDesktopSize           = 251
)

// Message types, server to client.
const (
	msgFramebufferUpdate      = 0
	msgSetColourMapEntries    = 1
	msgBell                   = 2
	msgServerCutText          = 3
	msgEndOfContinuousUpdates = 150
	msgServerFence            = 248
)

// Fence flags.
const (
	FenceBlockBefore = 1 << 0
	FenceBlockAfter  = 1 << 1
	FenceSyncNext    = 1 << 2
	FenceRequest     = 1 << 31
	fenceKnown       = FenceBlockBefore | FenceBlockAfter | FenceSyncNext
)

// Limits on what a peer may send. Longer messages close the connection.
const (
	MaxCutText      = 16 << 20 // bytes of cut text
	maxFencePayload = 64
)

// A Message is one protocol message after the handshake. Marshal appends
// the message, type byte first, to b; Unmarshal parses one whole message.
type Message interface {
	Marshal(b []byte) []byte
	Unmarshal(b []byte) error
}

// SetPixelFormat asks for pixels in a format.
type SetPixelFormat struct{ Format PixelFormat }

// SetEncodings lists the encodings a client accepts, best first.
type SetEncodings struct{ Encodings []Encoding }

// FramebufferUpdateRequest asks for an update of an area.
type FramebufferUpdateRequest struct {
	Incremental bool
	Rect        image.Rectangle
}

// KeyEvent presses or releases a key, by X keysym.
type KeyEvent struct {
	Down   bool
	Keysym uint32
}

// PointerEvent moves the pointer; Buttons has bit 0 for button 1.
type PointerEvent struct {
	Buttons uint8
	X, Y    int
}

// CutText is ClientCutText or ServerCutText: Latin-1 text.
type CutText struct {
	Server bool // ServerCutText rather than ClientCutText
	Text   []byte
}

// EnableContinuousUpdates turns continuous updates of an area on or off.
type EnableContinuousUpdates struct {
	Enable bool
	Rect   image.Rectangle
}

// Fence synchronises the two directions of the stream.
type Fence struct {
	Server  bool // sent by the server
	Flags   uint32
	Payload []byte
}

// SetDesktopSize asks for a new framebuffer size and screen layout.
type SetDesktopSize struct {
	Width, Height int
	Screens       []Screen
}

// A Screen is one head in an ExtendedDesktopSize layout.
type Screen struct {
	ID    uint32
	Rect  image.Rectangle
	Flags uint32
}

// Bell rings the viewer's bell.
type Bell struct{}

// EndOfContinuousUpdates confirms continuous updates are supported or off.
type EndOfContinuousUpdates struct{}

// SetColourMapEntries sets colours of a colour-map pixel format.
type SetColourMapEntries struct {
	First  int
	Colors []uint16 // r, g, b for each entry
}

func (m *SetPixelFormat) Marshal(b []byte) []byte {
	return m.Format.Marshal(append(b, msgSetPixelFormat, 0, 0, 0))
}

func (m *SetPixelFormat) Unmarshal(b []byte) error {
	if len(b) < 20 {
		return errShort
	}
	return m.Format.Unmarshal(b[4:])
}

func (m *SetEncodings) Marshal(b []byte) []byte {
	b = append(b, msgSetEncodings, 0)
	b = binary.BigEndian.AppendUint16(b, uint16(len(m.Encodings)))
	for _, e := range m.Encodings {
		b = binary.BigEndian.AppendUint32(b, uint32(e))
	}
	return b
}

func (m *SetEncodings) Unmarshal(b []byte) error {
	if len(b) < 4 {
		return errShort
	}
	n := int(binary.BigEndian.Uint16(b[2:]))
	if len(b) < 4+4*n {
		return errShort
	}
	m.Encodings = make([]Encoding, n)
	for i := range m.Encodings {
		m.Encodings[i] = Encoding(binary.BigEndian.Uint32(b[4+4*i:]))
	}
	return nil
}

func appendRect(b []byte, r image.Rectangle) []byte {
	b = binary.BigEndian.AppendUint16(b, uint16(r.Min.X))
	b = binary.BigEndian.AppendUint16(b, uint16(r.Min.Y))
	b = binary.BigEndian.AppendUint16(b, uint16(r.Dx()))
	return binary.BigEndian.AppendUint16(b, uint16(r.Dy()))
}

func readRect(b []byte) image.Rectangle {
	x, y := int(binary.BigEndian.Uint16(b)), int(binary.BigEndian.Uint16(b[2:]))
	w, h := int(binary.BigEndian.Uint16(b[4:])), int(binary.BigEndian.Uint16(b[6:]))
	return image.Rect(x, y, x+w, y+h)
}

func (m *FramebufferUpdateRequest) Marshal(b []byte) []byte {
	return appendRect(append(b, msgFramebufferUpdateRequest, boolByte(m.Incremental)), m.Rect)
}

func (m *FramebufferUpdateRequest) Unmarshal(b []byte) error {
	if len(b) < 10 {
		return errShort
	}
	m.Incremental = b[1] != 0
	m.Rect = readRect(b[2:])
	return nil
}

func (m *KeyEvent) Marshal(b []byte) []byte {
	return binary.BigEndian.AppendUint32(append(b, msgKeyEvent, boolByte(m.Down), 0, 0), m.Keysym)
}

func (m *KeyEvent) Unmarshal(b []byte) error {
	if len(b) < 8 {
		return errShort
	}
	m.Down = b[1] != 0
	m.Keysym = binary.BigEndian.Uint32(b[4:])
	return nil
}

func (m *PointerEvent) Marshal(b []byte) []byte {
	b = append(b, msgPointerEvent, m.Buttons)
	b = binary.BigEndian.AppendUint16(b, uint16(m.X))
	return binary.BigEndian.AppendUint16(b, uint16(m.Y))
}

func (m *PointerEvent) Unmarshal(b []byte) error {
	if len(b) < 6 {
		return errShort
	}
	m.Buttons = b[1]
	m.X, m.Y = int(binary.BigEndian.Uint16(b[2:])), int(binary.BigEndian.Uint16(b[4:]))
	return nil
}

func (m *CutText) Marshal(b []byte) []byte {
	t := byte(msgClientCutText)
	if m.Server {
		t = msgServerCutText
	}
	b = binary.BigEndian.AppendUint32(append(b, t, 0, 0, 0), uint32(len(m.Text)))
	return append(b, m.Text...)
}

func (m *CutText) Unmarshal(b []byte) error {
	if len(b) < 8 {
		return errShort
	}
	n := binary.BigEndian.Uint32(b[4:])
	if uint64(len(b)) < 8+uint64(n) {
		return errShort
	}
	m.Server = b[0] == msgServerCutText
	m.Text = append([]byte(nil), b[8:8+n]...)
	return nil
}

func (m *EnableContinuousUpdates) Marshal(b []byte) []byte {
	return appendRect(append(b, msgEnableContinuousUpdates, boolByte(m.Enable)), m.Rect)
}

func (m *EnableContinuousUpdates) Unmarshal(b []byte) error {
	if len(b) < 10 {
		return errShort
	}
	m.Enable = b[1] != 0
	m.Rect = readRect(b[2:])
	return nil
}

func (m *Fence) Marshal(b []byte) []byte {
	b = binary.BigEndian.AppendUint32(append(b, msgClientFence, 0, 0, 0), m.Flags)
	p := m.Payload
	if len(p) > maxFencePayload {
		p = p[:maxFencePayload]
	}
	return append(append(b, byte(len(p))), p...)
}

func (m *Fence) Unmarshal(b []byte) error {
	if len(b) < 9 {
		return errShort
	}
	n := int(b[8])
	if n > maxFencePayload {
		return fmt.Errorf("rfb: fence payload of %d bytes", n)
	}
	if len(b) < 9+n {
		return errShort
	}
	m.Flags = binary.BigEndian.Uint32(b[4:])
	m.Payload = append([]byte(nil), b[9:9+n]...)
	return nil
}

func appendScreens(b []byte, screens []Screen) []byte {
	for _, s := range screens {
		b = binary.BigEndian.AppendUint32(b, s.ID)
		b = appendRect(b, s.Rect)
		b = binary.BigEndian.AppendUint32(b, s.Flags)
	}
	return b
}

func readScreens(b []byte, n int) ([]Screen, error) {
	if len(b) < 16*n {
		return nil, errShort
	}
	s := make([]Screen, n)
	for i := range s {
		p := b[16*i:]
		s[i] = Screen{binary.BigEndian.Uint32(p), readRect(p[4:]), binary.BigEndian.Uint32(p[12:])}
	}
	return s, nil
}

func (m *SetDesktopSize) Marshal(b []byte) []byte {
	b = append(b, msgSetDesktopSize, 0)
	b = binary.BigEndian.AppendUint16(b, uint16(m.Width))
	b = binary.BigEndian.AppendUint16(b, uint16(m.Height))
	b = append(b, byte(len(m.Screens)), 0)
	return appendScreens(b, m.Screens)
}

func (m *SetDesktopSize) Unmarshal(b []byte) error {
	if len(b) < 8 {
		return errShort
	}
	m.Width, m.Height = int(binary.BigEndian.Uint16(b[2:])), int(binary.BigEndian.Uint16(b[4:]))
	var err error
	m.Screens, err = readScreens(b[8:], int(b[6]))
	return err
}

func (m *Bell) Marshal(b []byte) []byte { return append(b, msgBell) }
func (m *Bell) Unmarshal(b []byte) error {
	if len(b) < 1 {
		return errShort
	}
	return nil
}

func (m *EndOfContinuousUpdates) Marshal(b []byte) []byte {
	return append(b, msgEndOfContinuousUpdates)
}
func (m *EndOfContinuousUpdates) Unmarshal(b []byte) error {
	if len(b) < 1 {
		return errShort
	}
	return nil
}

func (m *SetColourMapEntries) Marshal(b []byte) []byte {
	b = append(b, msgSetColourMapEntries, 0)
	b = binary.BigEndian.AppendUint16(b, uint16(m.First))
	b = binary.BigEndian.AppendUint16(b, uint16(len(m.Colors)/3))
	for _, c := range m.Colors[:len(m.Colors)/3*3] {
		b = binary.BigEndian.AppendUint16(b, c)
	}
	return b
}

func (m *SetColourMapEntries) Unmarshal(b []byte) error {
	if len(b) < 6 {
		return errShort
	}
	m.First = int(binary.BigEndian.Uint16(b[2:]))
	n := int(binary.BigEndian.Uint16(b[4:]))
	if len(b) < 6+6*n {
		return errShort
	}
	m.Colors = make([]uint16, 3*n)
	for i := range m.Colors {
		m.Colors[i] = binary.BigEndian.Uint16(b[6+2*i:])
	}
	return nil
}

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// msgReader reads whole messages from a stream into a reused buffer.
type msgReader struct {
	r   *bufio.Reader
	buf []byte
}

// need makes sure the first n bytes of the message are in m.buf.
func (m *msgReader) need(n int) error {
	if n <= len(m.buf) {
		return nil
	}
	have := len(m.buf)
	if cap(m.buf) < n {
		nb := make([]byte, have, n)
		copy(nb, m.buf)
		m.buf = nb
	}
	m.buf = m.buf[:n]
	_, err := io.ReadFull(m.r, m.buf[have:n])
	return err
}

// ErrUnknownMessage is returned for a message type this package does not
// know; the stream cannot be followed past it.
var ErrUnknownMessage = errors.New("rfb: unknown message type")

// readClientMessage reads one client-to-server message.
func (m *msgReader) readClientMessage() (Message, error) {
	m.buf = m.buf[:0]
	if err := m.need(1); err != nil {
		return nil, err
	}
	var msg Message
	var err error
	switch m.buf[0] {
	case msgSetPixelFormat:
		msg, err = &SetPixelFormat{}, m.need(20)
	case msgSetEncodings:
		if err = m.need(4); err == nil {
			err = m.need(4 + 4*int(binary.BigEndian.Uint16(m.buf[2:])))
		}
		msg = &SetEncodings{}
	case msgFramebufferUpdateRequest:
		msg, err = &FramebufferUpdateRequest{}, m.need(10)
	case msgKeyEvent:
		msg, err = &KeyEvent{}, m.need(8)
	case msgPointerEvent:
		msg, err = &PointerEvent{}, m.need(6)
	case msgClientCutText:
		msg, err = &CutText{}, m.needCutText()
	case msgEnableContinuousUpdates:
		msg, err = &EnableContinuousUpdates{}, m.need(10)
	case msgClientFence:
		msg, err = &Fence{}, m.needFence()
	case msgSetDesktopSize:
		if err = m.need(8); err == nil {
			err = m.need(8 + 16*int(m.buf[6]))
		}
		msg = &SetDesktopSize{}
	default:
		return nil, fmt.Errorf("%w %d from client", ErrUnknownMessage, m.buf[0])
	}
	if err != nil {
		return nil, err
	}
	return msg, msg.Unmarshal(m.buf)
}

func (m *msgReader) needCutText() error {
	if err := m.need(8); err != nil {
		return err
	}
	n := binary.BigEndian.Uint32(m.buf[4:])
	if n > MaxCutText {
		return fmt.Errorf("rfb: cut text of %d bytes", n)
	}
	return m.need(8 + int(n))
}

func (m *msgReader) needFence() error {
	if err := m.need(9); err != nil {
		return err
	}
	if m.buf[8] > maxFencePayload {
		return fmt.Errorf("rfb: fence payload of %d bytes", m.buf[8])
	}
	return m.need(9 + int(m.buf[8]))
}

// readServerMessage reads one server-to-client message other than
// FramebufferUpdate, whose type byte has been read already as t.
func (m *msgReader) readServerMessage(t byte) (Message, error) {
	m.buf = append(m.buf[:0], t)
	var msg Message
	var err error
	switch t {
	case msgSetColourMapEntries:
		if err = m.need(6); err == nil {
			err = m.need(6 + 6*int(binary.BigEndian.Uint16(m.buf[4:])))
		}
		msg = &SetColourMapEntries{}
	case msgBell:
		msg = &Bell{}
	case msgServerCutText:
		msg, err = &CutText{}, m.needCutText()
	case msgEndOfContinuousUpdates:
		msg = &EndOfContinuousUpdates{}
	case msgServerFence:
		msg, err = &Fence{}, m.needFence()
	default:
		return nil, fmt.Errorf("%w %d from server", ErrUnknownMessage, t)
	}
	if err != nil {
		return nil, err
	}
	if f, ok := msg.(*Fence); ok {
		f.Server = true
	}
	return msg, msg.Unmarshal(m.buf)
}
