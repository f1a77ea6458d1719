// Package protocol is the X11 wire format: the core protocol and the
// BIG-REQUESTS and XTEST extensions, in both byte orders.
//
// Most of it is generated from the XCB protocol descriptions
// (/usr/share/xcb/*.xml, Debian package xcb-proto) by ./gen. Names follow
// the XML: types keep their XML names (WINDOW → Window, CHAR2B → Char2b),
// fields are CamelCase (border_width → BorderWidth), enum constants are
// the enum name followed by the item name (EventMaskExposure, CWBackPixel,
// GXcopy, AtomWmName; item parts in capitals become words, others keep
// their case), event codes are the plain event name (Expose), error codes
// are Bad followed by the error name (BadWindow), opcodes are Op followed
// by the request name (OpCreateWindow). Extension names carry a prefix:
// BigReq for BIG-REQUESTS, XTest for XTEST (XTestFakeInput,
// OpXTestFakeInput, XTestCursorNone). The generator fails on any name used
// twice.
//
// Every request, reply, event, and the setup messages have
//
//	Marshal(o ByteOrder, b []byte) []byte // append the whole message to b
//	Unmarshal(o ByteOrder, b []byte) error // decode a whole message
//
// Structures used inside messages (Point, Rectangle, Str, Screen, ...) have
// the same Marshal, and an Unmarshal that also returns the number of bytes
// it used: Unmarshal(o ByteOrder, b []byte) (int, error).
//
// Representation:
//
//   - XIDs and typedefs are named integer types (type Window uint32);
//     BOOL is bool; lists of char, BYTE, CARD8 and void are []byte (char
//     lists too, so that decoding a string does not allocate); lists of a
//     constant length are arrays (SendEvent.Event [32]byte).
//   - Length fields that count exactly one list (NameLen for Name) are kept
//     in the struct and filled by Unmarshal, but Marshal writes the list's
//     length instead. Fields used in a length expression (Format and
//     DataLen of ChangeProperty, KeycodesPerModifier, ...) are written as
//     given: the caller keeps them consistent with the list.
//   - Value lists (CreateWindow, ChangeWindowAttributes, ConfigureWindow,
//     CreateGC, ChangeGC, ChangeKeyboardControl) are ValueMask and
//     ValueList []uint32, one CARD32 per set bit in bit order, as on the
//     wire. Values and ValueSet help to read and build them.
//   - ClientMessageData is a union: Unmarshal fills all three views; the
//     ClientMessage event writes the one its Format selects.
//   - KeymapNotify has no sequence number on the wire, so no Sequence field.
//     GeGenericEvent (code 35, also GenericEvent) has only the generic
//     header: Extension, Sequence, Length and EventType.
//   - Extension requests have a Major field, the major opcode the server
//     assigned: Marshal writes it, Unmarshal fills it.
//   - SetupRequest.Marshal writes o as the byte-order byte; Unmarshal fails
//     unless that byte is o (SetupRequestLength reads it first).
//
// Tables for logs and dispatch: RequestNames, EventNames, ErrorNames,
// PredefinedAtoms, XTestRequestNames, BigReqRequestNames; NewRequest,
// NewEvent, NewXTestRequest and NewBigReqRequest return an empty message of
// a given opcode or code. Error is the 32-byte X error, and an error.
// RequestLength, MessageLength, SetupRequestLength and SetupReplyLength
// tell a reader how many bytes to read.
//
// Decoding: Unmarshal trusts len(b), not the length field of the message,
// which for a request must be a multiple of 4 (a server hands over requests
// in the BIG-REQUESTS form after StripBigLength),
// and reuses the slices already in the receiver, so that a server that
// keeps one value per opcode does not allocate per request. It never
// panics; it returns a *LengthError (errors.Is(err, ErrLength)) when b is
// too short for the fields, when a request has more than padding beyond
// its fields, or when a value list disagrees with the popcount of its mask.
// It does not check the opcode or event code byte, which the caller
// dispatched on. The elements it allocates are bounded by the bytes given.
//
// Limits: Marshal writes counts as the wire type holds them, so a list
// longer than its length field can count (255 for a CARD8 count, 65535 for
// a CARD16) is written with a truncated count. Requests longer than 65535
// four-byte units are written in the BIG-REQUESTS form.
package protocol

//go:generate go run ./gen
