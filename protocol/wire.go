package protocol

import (
	"errors"
	"fmt"
	"iter"
	"math/bits"
	"slices"
)

// ByteOrder is the byte order a client chose: the first byte of its setup
// request.
type ByteOrder uint8

const (
	LSBFirst ByteOrder = 'l' // least significant byte first
	MSBFirst ByteOrder = 'B' // most significant byte first
)

func (o ByteOrder) String() string {
	switch o {
	case LSBFirst:
		return "LSBFirst"
	case MSBFirst:
		return "MSBFirst"
	}
	return fmt.Sprintf("ByteOrder(%#x)", uint8(o))
}

// Valid reports whether o is one of the two byte orders.
func (o ByteOrder) Valid() bool { return o == LSBFirst || o == MSBFirst }

// U16 reads a CARD16 from b.
func (o ByteOrder) U16(b []byte) uint16 {
	_ = b[1]
	if o == MSBFirst {
		return uint16(b[0])<<8 | uint16(b[1])
	}
	return uint16(b[0]) | uint16(b[1])<<8
}

// U32 reads a CARD32 from b.
func (o ByteOrder) U32(b []byte) uint32 {
	_ = b[3]
	if o == MSBFirst {
		return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	}
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

// PutU16 writes a CARD16 to b.
func (o ByteOrder) PutU16(b []byte, v uint16) {
	_ = b[1]
	if o == MSBFirst {
		b[0], b[1] = byte(v>>8), byte(v)
		return
	}
	b[0], b[1] = byte(v), byte(v>>8)
}

// PutU32 writes a CARD32 to b.
func (o ByteOrder) PutU32(b []byte, v uint32) {
	_ = b[3]
	if o == MSBFirst {
		b[0], b[1], b[2], b[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
		return
	}
	b[0], b[1], b[2], b[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
}

// AppendU16 appends a CARD16 to b.
func (o ByteOrder) AppendU16(b []byte, v uint16) []byte {
	if o == MSBFirst {
		return append(b, byte(v>>8), byte(v))
	}
	return append(b, byte(v), byte(v>>8))
}

// AppendU32 appends a CARD32 to b.
func (o ByteOrder) AppendU32(b []byte, v uint32) []byte {
	if o == MSBFirst {
		return append(b, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
	}
	return append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
}

// Request, Reply and Event are the messages: Marshal appends the whole
// message to b, Unmarshal decodes a whole message.
type (
	Request interface {
		Marshal(o ByteOrder, b []byte) []byte
		Unmarshal(o ByteOrder, b []byte) error
	}
	Reply interface {
		Marshal(o ByteOrder, b []byte) []byte
		Unmarshal(o ByteOrder, b []byte) error
	}
	Event interface {
		Marshal(o ByteOrder, b []byte) []byte
		Unmarshal(o ByteOrder, b []byte) error
	}
)

// GenericEvent is the code of events longer than 32 bytes (XGE); the
// generated name is GeGeneric.
const GenericEvent = GeGeneric

// SendEventBit is set in the code of an event sent by SendEvent.
const SendEventBit = 0x80

// ErrLength is the error a message of the wrong length gives; a
// *LengthError matches it with errors.Is. A server answers BadLength.
var ErrLength = errors.New("protocol: bad length")

// LengthError reports a message or structure whose length does not fit its
// fields.
type LengthError struct {
	Type string // the message or structure decoded
	Len  int    // bytes given
	Need int    // bytes its fields call for (more than Len: too short; less: too long)
}

func (e *LengthError) Error() string {
	if e.Need > e.Len {
		return fmt.Sprintf("protocol: %s: %d bytes, need %d", e.Type, e.Len, e.Need)
	}
	return fmt.Sprintf("protocol: %s: %d bytes, only %d used", e.Type, e.Len, e.Need)
}

// Is makes errors.Is(err, ErrLength) true.
func (e *LengthError) Is(target error) bool { return target == ErrLength }

// Error is an X protocol error: 32 bytes that start with 0.
type Error struct {
	Code        uint8 // BadRequest ... BadImplementation, or an extension's
	Sequence    uint16
	BadValue    uint32 // the resource ID or value at fault, if any
	MinorOpcode uint16
	MajorOpcode uint8
}

// errorText describes the core errors as Xlib does.
var errorText = [...]string{
	BadRequest:        "bad request code",
	BadValue:          "integer parameter out of range for operation",
	BadWindow:         "invalid Window parameter",
	BadPixmap:         "invalid Pixmap parameter",
	BadAtom:           "invalid Atom parameter",
	BadCursor:         "invalid Cursor parameter",
	BadFont:           "invalid Font parameter",
	BadMatch:          "invalid parameter attributes",
	BadDrawable:       "invalid Pixmap or Window parameter",
	BadAccess:         "attempt to access private resource denied",
	BadAlloc:          "insufficient resources for operation",
	BadColormap:       "invalid Colormap parameter",
	BadGContext:       "invalid GC parameter",
	BadIDChoice:       "invalid resource ID chosen for this connection",
	BadName:           "named color or font does not exist",
	BadLength:         "poly request too large or internal length error",
	BadImplementation: "server does not implement operation",
}

// hasValue reports whether errors of a code carry a value worth printing.
func hasValue(code uint8) bool {
	switch code {
	case BadValue, BadWindow, BadPixmap, BadAtom, BadCursor, BadFont, BadDrawable, BadColormap, BadGContext, BadIDChoice:
		return true
	}
	return false
}

// Error returns a message such as
// "BadWindow (invalid Window parameter) on request CreateWindow: 0x400001".
func (e *Error) Error() string {
	name := fmt.Sprintf("error %d", e.Code)
	if int(e.Code) < len(ErrorNames) && ErrorNames[e.Code] != "" {
		name = ErrorNames[e.Code] + " (" + errorText[e.Code] + ")"
	}
	req := fmt.Sprintf("%d.%d", e.MajorOpcode, e.MinorOpcode)
	if e.MajorOpcode < 128 && RequestNames[e.MajorOpcode] != "" {
		req = RequestNames[e.MajorOpcode]
	}
	if hasValue(e.Code) || e.Code >= 128 {
		return fmt.Sprintf("%s on request %s: %#x", name, req, e.BadValue)
	}
	return fmt.Sprintf("%s on request %s", name, req)
}

// Marshal appends the 32-byte error to b.
func (e Error) Marshal(o ByteOrder, b []byte) []byte {
	b = append(b, make([]byte, 32)...)
	p := b[len(b)-32:]
	p[1] = e.Code
	o.PutU16(p[2:], e.Sequence)
	o.PutU32(p[4:], e.BadValue)
	o.PutU16(p[8:], e.MinorOpcode)
	p[10] = e.MajorOpcode
	return b
}

// Unmarshal decodes a 32-byte error.
func (e *Error) Unmarshal(o ByteOrder, b []byte) error {
	if len(b) < 32 {
		return &LengthError{Type: "Error", Len: len(b), Need: 32}
	}
	e.Code = b[1]
	e.Sequence = o.U16(b[2:])
	e.BadValue = o.U32(b[4:])
	e.MinorOpcode = o.U16(b[8:])
	e.MajorOpcode = b[10]
	return nil
}

// RequestLength returns the length in bytes of the request that starts
// with hdr, from its length field. hdr must hold at least 4 bytes, else n
// is 0. A zero length field marks the BIG-REQUESTS form, whose CARD32
// length follows in bytes 4 to 8: then big is true, and n is 0 until hdr
// holds 8 bytes. A length smaller than the header itself (n < 4, or n < 8
// when big) is a bad length that the caller must reject.
func RequestLength(o ByteOrder, hdr []byte) (n int, big bool) {
	if len(hdr) < 4 {
		return 0, false
	}
	if l := o.U16(hdr[2:]); l != 0 {
		return 4 * int(l), false
	}
	if len(hdr) < 8 {
		return 0, true
	}
	return 4 * int(o.U32(hdr[4:])), true
}

// StripBigLength turns a whole request in the BIG-REQUESTS form into the
// normal form that Unmarshal takes: the 4-byte header followed by the body.
// It moves the header in place and returns b[4:]; the length field is left
// 0, since Unmarshal does not read it.
func StripBigLength(b []byte) []byte {
	if len(b) < 8 {
		return b
	}
	copy(b[4:8], b[0:4])
	return b[4:]
}

// MaxRequestLength is the largest request, in 4-byte units, that the
// normal length field can describe.
const MaxRequestLength = 0xffff

// finishRequest pads the request that starts at b[start] to 4 bytes and
// writes its length, moving the body 4 bytes along for the BIG-REQUESTS
// form when it is too long for the 16-bit field.
func finishRequest(o ByteOrder, b []byte, start int) []byte {
	b = align(b, start, 4)
	n := (len(b) - start) / 4
	if n <= MaxRequestLength {
		o.PutU16(b[start+2:], uint16(n))
		return b
	}
	b = append(b, 0, 0, 0, 0)
	copy(b[start+8:], b[start+4:len(b)-4])
	o.PutU16(b[start+2:], 0)
	o.PutU32(b[start+4:], uint32(n+1))
	return b
}

// finishReply pads the reply that starts at b[start] to 4 bytes and at
// least 32, and writes its length.
func finishReply(o ByteOrder, b []byte, start int) []byte {
	b = align(b, start, 4)
	if n := len(b) - start; n < 32 {
		b = append(b, make([]byte, 32-n)...)
	}
	o.PutU32(b[start+4:], uint32((len(b)-start-32)/4))
	return b
}

// align appends zero bytes until the length from start is a multiple of n.
func align(b []byte, start, n int) []byte {
	if r := (len(b) - start) % n; r != 0 {
		b = append(b, make([]byte, n-r)...)
	}
	return b
}

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// resize returns s with length n, reusing its array and the elements in it
// (whose own slices are then reused in turn).
func resize[T any](s []T, n int) []T {
	if n > cap(s) {
		s = slices.Grow(s[:cap(s)], n-cap(s))
	}
	return s[:n]
}

// MessageLength returns the length in bytes of the message from the server
// that starts with b: 32 for events and errors, more for replies and
// generic events, whose length field is in bytes 4 to 8. It returns 0
// when b is too short to tell (empty, or a reply or generic event shorter
// than 8 bytes).
func MessageLength(o ByteOrder, b []byte) int {
	if len(b) < 1 {
		return 0
	}
	if b[0] == 1 || b[0]&^SendEventBit == GenericEvent {
		if len(b) < 8 {
			return 0
		}
		return 32 + 4*int(o.U32(b[4:]))
	}
	return 32
}

// SetupRequestLength returns the byte order and the length in bytes of the
// setup request that starts with b, from its first 12 bytes. It fails when
// b is shorter or the byte order is neither 'l' nor 'B'.
func SetupRequestLength(b []byte) (ByteOrder, int, error) {
	if len(b) < 12 {
		return 0, 0, &LengthError{Type: "SetupRequest", Len: len(b), Need: 12}
	}
	o := ByteOrder(b[0])
	if !o.Valid() {
		return 0, 0, fmt.Errorf("protocol: bad byte order %#x", b[0])
	}
	pad := func(n int) int { return (n + 3) &^ 3 }
	return o, 12 + pad(int(o.U16(b[6:]))) + pad(int(o.U16(b[8:]))), nil
}

// SetupReplyLength returns the length in bytes of the server's answer to
// the setup request (Setup, SetupFailed or SetupAuthenticate) from its
// first 8 bytes, or 0 when b is shorter.
func SetupReplyLength(o ByteOrder, b []byte) int {
	if len(b) < 8 {
		return 0
	}
	return 8 + 4*int(o.U16(b[6:]))
}

func errByteOrder(b byte, o ByteOrder) error {
	return fmt.Errorf("protocol: setup request with byte order %#x decoded as %v", b, o)
}

// Setup status codes, the first byte of the answer to a setup request.
const (
	SetupStatusFailed       = 0
	SetupStatusSuccess      = 1
	SetupStatusAuthenticate = 2
)

// Values yields the (bit, value) pairs of a value list: one value per set
// bit of mask, in bit order. It stops early if list is short. A value
// narrower than 32 bits is in the least significant bytes, the others
// being unspecified (clients may or may not sign-extend): read an INT16 as
// int16(v), a CARD8 as uint8(v).
func Values(mask uint32, list []uint32) iter.Seq2[uint32, uint32] {
	return func(yield func(uint32, uint32) bool) {
		for i := 0; mask != 0 && i < len(list); i++ {
			bit := mask & -mask
			if !yield(bit, list[i]) {
				return
			}
			mask &^= bit
		}
	}
}

// Value returns the value for bit (a single bit) in a value list.
func Value(mask uint32, list []uint32, bit uint32) (uint32, bool) {
	if mask&bit == 0 || bit&(bit-1) != 0 {
		return 0, false
	}
	i := bits.OnesCount32(mask & (bit - 1))
	if i >= len(list) {
		return 0, false
	}
	return list[i], true
}

// ValueSet builds a value list: Set in any order, and Mask and List come
// out in bit order, as the wire wants them.
type ValueSet struct {
	Mask uint32
	List []uint32
}

// Set sets the value for bit, which must be a single bit (others are
// ignored). Signed values (x, y, DashOffset, ClipOriginX, ...) go in
// sign-extended: uint32(int32(v)).
func (s *ValueSet) Set(bit, v uint32) {
	if bit == 0 || bit&(bit-1) != 0 {
		return
	}
	i := bits.OnesCount32(s.Mask & (bit - 1))
	if s.Mask&bit != 0 {
		s.List[i] = v
		return
	}
	s.Mask |= bit
	s.List = slices.Insert(s.List, i, v)
}

// Reset empties the set, keeping its storage.
func (s *ValueSet) Reset() {
	s.Mask = 0
	s.List = s.List[:0]
}
