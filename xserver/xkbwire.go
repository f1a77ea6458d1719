package xserver

import (
	"fmt"
	"math/bits"

	"netdisplay/protocol"
)

// XKEYBOARD messages on the wire, as the XKB protocol specification and
// XKBproto.h (shared by X.Org's server and libX11) lay them out. Where
// xcb's xkb.xml disagrees with them (LatchLockState's modLatches,
// SelectEvents' one-byte details, which take four bytes), they are
// followed, since they are what clients send and expect.
//
// Each message's layout is written once, as a walk over its fields that
// either encodes or decodes them, so that Marshal and Unmarshal cannot
// disagree. Counts that size a list are written as given: whoever builds
// a message keeps them consistent with the lists, as in package protocol.

// A wire encodes a message's fields onto b or decodes them from it.
type wire struct {
	o      protocol.ByteOrder
	b      []byte
	start  int // encoding: where the message starts in b
	off    int // decoding: the bytes used so far
	decode bool
	short  bool // decoding: the message ended before its fields did
}

// pos is the offset in the message of the next field.
func (w *wire) pos() int {
	if w.decode {
		return w.off
	}
	return len(w.b) - w.start
}

// next returns the next n bytes to decode, or nil if there are fewer.
func (w *wire) next(n int) []byte {
	if n > len(w.b)-w.off {
		w.short = true
		w.off = len(w.b)
		return nil
	}
	p := w.b[w.off : w.off+n]
	w.off += n
	return p
}

func (w *wire) u8(v *uint8) {
	if !w.decode {
		w.b = append(w.b, *v)
	} else if p := w.next(1); p != nil {
		*v = p[0]
	}
}

func (w *wire) u16(v *uint16) {
	if !w.decode {
		w.b = w.o.AppendU16(w.b, *v)
	} else if p := w.next(2); p != nil {
		*v = w.o.U16(p)
	}
}

func (w *wire) u32(v *uint32) {
	if !w.decode {
		w.b = w.o.AppendU32(w.b, *v)
	} else if p := w.next(4); p != nil {
		*v = w.o.U32(p)
	}
}

func (w *wire) i8(v *int8) {
	u := uint8(*v)
	w.u8(&u)
	*v = int8(u)
}

func (w *wire) i16(v *int16) {
	u := uint16(*v)
	w.u16(&u)
	*v = int16(u)
}

func (w *wire) flag(v *bool) {
	var u uint8
	if *v {
		u = 1
	}
	w.u8(&u)
	*v = u != 0
}

// bytes walks a field of len(p) bytes.
func (w *wire) bytes(p []byte) {
	if !w.decode {
		w.b = append(w.b, p...)
	} else if q := w.next(len(p)); q != nil {
		copy(p, q)
	}
}

func (w *wire) pad(n int) {
	if !w.decode {
		w.b = append(w.b, make([]byte, n)...)
	} else {
		w.next(n)
	}
}

// align pads to a multiple of four bytes from the message's start.
func (w *wire) align() { w.pad(pad4(w.pos()) - w.pos()) }

// list walks the n elements of *s, each at least size bytes. Encoding
// walks the slice as it is; decoding makes n elements, unless the message
// is too short to hold them, so that a bad count cannot make it allocate
// more than the message's size.
func list[T any](w *wire, s *[]T, n, size int, f func(*T, *wire)) {
	if w.decode {
		*s = nil
		if n*size > len(w.b)-w.off {
			w.short = true
			w.off = len(w.b)
			return
		}
		if n > 0 {
			*s = make([]T, n)
		}
	}
	for i := range *s {
		f(&(*s)[i], w)
	}
}

func card8(v *uint8, w *wire)   { w.u8(v) }
func card32(v *uint32, w *wire) { w.u32(v) }

// Headers. A request's length, and a reply's, are filled in by marshal;
// decoding trusts the length of the bytes given.

func (w *wire) request(major *uint8, minor uint8) { w.requestOf(major, &minor) }

// requestOf is request for the messages that stand for several requests:
// decoding fills in the minor opcode.
func (w *wire) requestOf(major, minor *uint8) {
	var length uint16
	w.u8(major)
	w.u8(minor)
	w.u16(&length)
}

func (w *wire) reply(data *uint8, seq *uint16) {
	code, length := uint8(1), uint32(0)
	w.u8(&code)
	w.u8(data)
	w.u16(seq)
	w.u32(&length)
}

// event walks the header every XKB event shares: the extension's one event
// code, the XKB event type, the sequence number, the time and the device.
func (w *wire) event(xkbType uint8, seq *uint16, time *uint32, device *uint8) {
	w.eventOf(&xkbType, seq, time, device)
}

// eventOf is event for the messages that stand for several events:
// decoding fills in the XKB event type.
func (w *wire) eventOf(xkbType *uint8, seq *uint16, time *uint32, device *uint8) {
	code := uint8(xkbEventBase)
	w.u8(&code)
	w.u8(xkbType)
	w.u16(seq)
	w.u32(time)
	w.u8(device)
}

type walker interface{ walk(*wire) }

func marshalRequest(o protocol.ByteOrder, m walker, b []byte) []byte {
	w := wire{o: o, b: b, start: len(b)}
	m.walk(&w)
	w.align()
	o.PutU16(w.b[w.start+2:], uint16(w.pos()/4))
	return w.b
}

// marshalReply pads the reply to 32 bytes or more and sets its length.
func marshalReply(o protocol.ByteOrder, m walker, b []byte) []byte {
	w := wire{o: o, b: b, start: len(b)}
	m.walk(&w)
	w.align()
	if w.pos() < 32 {
		w.pad(32 - w.pos())
	}
	o.PutU32(w.b[w.start+4:], uint32(w.pos()-32)/4)
	return w.b
}

func marshalEvent(o protocol.ByteOrder, m walker, b []byte) []byte {
	w := wire{o: o, b: b, start: len(b)}
	m.walk(&w)
	w.pad(32 - w.pos())
	return w.b
}

// unmarshal decodes m from b. A request must fill b, but for the padding
// to four bytes; replies and events may carry padding beyond their fields.
func unmarshal(o protocol.ByteOrder, m walker, b []byte, request bool) error {
	w := wire{o: o, b: b, decode: true}
	m.walk(&w)
	if w.short || request && len(b)-w.off >= 4 {
		return &protocol.LengthError{Type: fmt.Sprintf("%T", m), Len: len(b), Need: w.off}
	}
	return nil
}

// --- requests ---------------------------------------------------------

type xkbUseExtension struct {
	Major                    uint8
	WantedMajor, WantedMinor uint16
}

func (r *xkbUseExtension) walk(w *wire) {
	w.request(&r.Major, xkbUseExtensionOp)
	w.u16(&r.WantedMajor)
	w.u16(&r.WantedMinor)
}

// xkbSelectEvents selects events. MapNotify's details are AffectMap and
// Map; the other events in AffectWhich but not in Clear or SelectAll have
// their details in Details, in event-type order.
type xkbSelectEvents struct {
	Major                         uint8
	Device                        uint16
	AffectWhich, Clear, SelectAll uint16
	AffectMap, Map                uint16
	Details                       []xkbEventDetails
}

type xkbEventDetails struct{ Affect, Details uint32 }

// xkbDetailSize is the size of each of an event type's two detail masks.
var xkbDetailSize = [xkbNumEvents]int{2, 0, 2, 4, 4, 4, 2, 1, 1, 1, 2, 2}

// detailed lists the event types whose details the request carries.
func (r *xkbSelectEvents) detailed() []int {
	var types []int
	for t := range xkbNumEvents {
		if bit := uint16(1) << t; r.AffectWhich&^r.Clear&^r.SelectAll&bit != 0 && t != xkbMapNotify {
			types = append(types, t)
		}
	}
	return types
}

func (r *xkbSelectEvents) walk(w *wire) {
	w.request(&r.Major, xkbSelectEventsOp)
	w.u16(&r.Device)
	w.u16(&r.AffectWhich)
	w.u16(&r.Clear)
	w.u16(&r.SelectAll)
	w.u16(&r.AffectMap)
	w.u16(&r.Map)
	types := r.detailed()
	if r.AffectWhich>>xkbNumEvents != 0 {
		// An event type XKB does not have: its details' size is unknown.
		// Decoding keeps the rest for the handler to refuse.
		if w.decode {
			r.Details = nil
			w.off = len(w.b)
		}
		return
	}
	i := 0
	list(w, &r.Details, len(types), 4, func(d *xkbEventDetails, w *wire) {
		size := 2 // for details beyond those AffectWhich calls for
		if i < len(types) {
			size = xkbDetailSize[types[i]]
		}
		i++
		switch size {
		case 4:
			w.u32(&d.Affect)
			w.u32(&d.Details)
		case 2:
			a, v := uint16(d.Affect), uint16(d.Details)
			w.u16(&a)
			w.u16(&v)
			d.Affect, d.Details = uint32(a), uint32(v)
		case 1:
			// Two bytes, padded to four, as libX11 sends them and
			// X.Org reads them.
			a, v := uint8(d.Affect), uint8(d.Details)
			w.u8(&a)
			w.u8(&v)
			w.pad(2)
			d.Affect, d.Details = uint32(a), uint32(v)
		}
	})
}

type xkbBell struct {
	Major             uint8
	Device            uint16
	BellClass, BellID uint16
	Percent           int8
	ForceSound        bool
	EventOnly         bool
	Pitch, Duration   int16
	Name              uint32
	Window            uint32
}

func (r *xkbBell) walk(w *wire) {
	w.request(&r.Major, xkbBellOp)
	w.u16(&r.Device)
	w.u16(&r.BellClass)
	w.u16(&r.BellID)
	w.i8(&r.Percent)
	w.flag(&r.ForceSound)
	w.flag(&r.EventOnly)
	w.pad(1)
	w.i16(&r.Pitch)
	w.i16(&r.Duration)
	w.pad(2)
	w.u32(&r.Name)
	w.u32(&r.Window)
}

// xkbDeviceRequest is the requests that name only a device: GetState,
// GetControls and GetIndicatorState.
type xkbDeviceRequest struct {
	Major, Minor uint8
	Device       uint16
}

func (r *xkbDeviceRequest) walk(w *wire) {
	w.requestOf(&r.Major, &r.Minor)
	w.u16(&r.Device)
	w.pad(2)
}

type xkbLatchLockState struct {
	Major                      uint8
	Device                     uint16
	AffectModLocks, ModLocks   uint8
	LockGroup                  bool
	GroupLock                  uint8
	AffectModLatches, ModLatch uint8
	LatchGroup                 bool
	GroupLatch                 int16
}

func (r *xkbLatchLockState) walk(w *wire) {
	w.request(&r.Major, xkbLatchLockStateOp)
	w.u16(&r.Device)
	w.u8(&r.AffectModLocks)
	w.u8(&r.ModLocks)
	w.flag(&r.LockGroup)
	w.u8(&r.GroupLock)
	w.u8(&r.AffectModLatches)
	w.u8(&r.ModLatch)
	w.pad(1)
	w.flag(&r.LatchGroup)
	w.i16(&r.GroupLatch)
}

// xkbControls is the keyboard controls as GetControls reports them and
// SetControls sets them.
type xkbControls struct {
	MouseKeysDfltBtn, GroupsWrap                     uint8
	InternalRealMods, IgnoreLockRealMods             uint8
	InternalVMods, IgnoreLockVMods                   uint16
	RepeatDelay, RepeatInterval                      uint16
	SlowKeysDelay, DebounceDelay                     uint16
	MouseKeysDelay, MouseKeysInterval                uint16
	MouseKeysTimeToMax, MouseKeysMaxSpeed            uint16
	MouseKeysCurve                                   int16
	AccessXOptions, AccessXTimeout                   uint16
	AccessXTimeoutOptsMask, AccessXTimeoutOptsValues uint16
	AccessXTimeoutMask, AccessXTimeoutValues         uint32
	Enabled                                          uint32
	PerKeyRepeat                                     [32]byte
}

type xkbSetControls struct {
	Major                                            uint8
	Device                                           uint16
	AffectInternalRealMods, AffectIgnoreLockRealMods uint8
	AffectInternalVMods, AffectIgnoreLockVMods       uint16
	AffectEnabled                                    uint32
	Change                                           uint32 // which controls to set: xkbCtrl bits
	xkbControls
}

func (r *xkbSetControls) walk(w *wire) {
	c := &r.xkbControls
	w.request(&r.Major, xkbSetControlsOp)
	w.u16(&r.Device)
	w.u8(&r.AffectInternalRealMods)
	w.u8(&c.InternalRealMods)
	w.u8(&r.AffectIgnoreLockRealMods)
	w.u8(&c.IgnoreLockRealMods)
	w.u16(&r.AffectInternalVMods)
	w.u16(&c.InternalVMods)
	w.u16(&r.AffectIgnoreLockVMods)
	w.u16(&c.IgnoreLockVMods)
	w.u8(&c.MouseKeysDfltBtn)
	w.u8(&c.GroupsWrap)
	w.u16(&c.AccessXOptions)
	w.pad(2)
	w.u32(&r.AffectEnabled)
	w.u32(&c.Enabled)
	w.u32(&r.Change)
	w.u16(&c.RepeatDelay)
	w.u16(&c.RepeatInterval)
	w.u16(&c.SlowKeysDelay)
	w.u16(&c.DebounceDelay)
	w.u16(&c.MouseKeysDelay)
	w.u16(&c.MouseKeysInterval)
	w.u16(&c.MouseKeysTimeToMax)
	w.u16(&c.MouseKeysMaxSpeed)
	w.i16(&c.MouseKeysCurve)
	w.u16(&c.AccessXTimeout)
	w.u32(&c.AccessXTimeoutMask)
	w.u32(&c.AccessXTimeoutValues)
	w.u16(&c.AccessXTimeoutOptsMask)
	w.u16(&c.AccessXTimeoutOptsValues)
	w.bytes(c.PerKeyRepeat[:])
}

// xkbMapParts says which parts of the keyboard map GetMap asks for, and
// MapNotify reports: for each part given per key, the first key and the
// number of keys.
type xkbMapParts struct {
	FirstType, NTypes               uint8
	FirstKeySym, NKeySyms           uint8
	FirstKeyAction, NKeyActions     uint8
	FirstKeyBehavior, NKeyBehaviors uint8
	FirstKeyExplicit, NKeyExplicit  uint8
	FirstModMapKey, NModMapKeys     uint8
	FirstVModMapKey, NVModMapKeys   uint8
	VirtualMods                     uint16
}

type xkbGetMap struct {
	Major         uint8
	Device        uint16
	Full, Partial uint16
	xkbMapParts
}

func (r *xkbGetMap) walk(w *wire) {
	p := &r.xkbMapParts
	w.request(&r.Major, xkbGetMapOp)
	w.u16(&r.Device)
	w.u16(&r.Full)
	w.u16(&r.Partial)
	w.u8(&p.FirstType)
	w.u8(&p.NTypes)
	w.u8(&p.FirstKeySym)
	w.u8(&p.NKeySyms)
	w.u8(&p.FirstKeyAction)
	w.u8(&p.NKeyActions)
	w.u8(&p.FirstKeyBehavior)
	w.u8(&p.NKeyBehaviors)
	w.u16(&p.VirtualMods)
	w.u8(&p.FirstKeyExplicit)
	w.u8(&p.NKeyExplicit)
	w.u8(&p.FirstModMapKey)
	w.u8(&p.NModMapKeys)
	w.u8(&p.FirstVModMapKey)
	w.u8(&p.NVModMapKeys)
	w.pad(2)
}

type xkbGetCompatMap struct {
	Major        uint8
	Device       uint16
	Groups       uint8
	GetAllSI     bool
	FirstSI, NSI uint16
}

func (r *xkbGetCompatMap) walk(w *wire) {
	w.request(&r.Major, xkbGetCompatMapOp)
	w.u16(&r.Device)
	w.u8(&r.Groups)
	w.flag(&r.GetAllSI)
	w.u16(&r.FirstSI)
	w.u16(&r.NSI)
}

// xkbWhichRequest is the requests that name a device and a mask:
// GetIndicatorMap (indicators) and GetNames (names).
type xkbWhichRequest struct {
	Major, Minor uint8
	Device       uint16
	Which        uint32
}

func (r *xkbWhichRequest) walk(w *wire) {
	w.requestOf(&r.Major, &r.Minor)
	w.u16(&r.Device)
	w.pad(2)
	w.u32(&r.Which)
}

// xkbIndicatorMap is how an indicator follows the keyboard's state.
type xkbIndicatorMap struct {
	Flags, WhichGroups, Groups, WhichMods uint8
	Mods, RealMods                        uint8
	VMods                                 uint16
	Ctrls                                 uint32
}

func (m *xkbIndicatorMap) walk(w *wire) {
	w.u8(&m.Flags)
	w.u8(&m.WhichGroups)
	w.u8(&m.Groups)
	w.u8(&m.WhichMods)
	w.u8(&m.Mods)
	w.u8(&m.RealMods)
	w.u16(&m.VMods)
	w.u32(&m.Ctrls)
}

type xkbSetIndicatorMap struct {
	Major  uint8
	Device uint16
	Which  uint32
	Maps   []xkbIndicatorMap // one for each bit of Which
}

func (r *xkbSetIndicatorMap) walk(w *wire) {
	w.request(&r.Major, xkbSetIndicatorMapOp)
	w.u16(&r.Device)
	w.pad(2)
	w.u32(&r.Which)
	list(w, &r.Maps, bits.OnesCount32(r.Which), 12, (*xkbIndicatorMap).walk)
}

type xkbGetNamedIndicator struct {
	Major           uint8
	Device          uint16
	LedClass, LedID uint16
	Indicator       uint32
}

func (r *xkbGetNamedIndicator) walk(w *wire) {
	w.request(&r.Major, xkbGetNamedIndicatorOp)
	w.u16(&r.Device)
	w.u16(&r.LedClass)
	w.u16(&r.LedID)
	w.pad(2)
	w.u32(&r.Indicator)
}

type xkbSetNamedIndicator struct {
	Major                           uint8
	Device                          uint16
	LedClass, LedID                 uint16
	Indicator                       uint32
	SetState, On, SetMap, CreateMap bool
	Map                             xkbIndicatorMap // Mods is not sent
}

func (r *xkbSetNamedIndicator) walk(w *wire) {
	m := &r.Map
	w.request(&r.Major, xkbSetNamedIndicatorOp)
	w.u16(&r.Device)
	w.u16(&r.LedClass)
	w.u16(&r.LedID)
	w.pad(2)
	w.u32(&r.Indicator)
	w.flag(&r.SetState)
	w.flag(&r.On)
	w.flag(&r.SetMap)
	w.flag(&r.CreateMap)
	w.pad(1)
	w.u8(&m.Flags)
	w.u8(&m.WhichGroups)
	w.u8(&m.Groups)
	w.u8(&m.WhichMods)
	w.u8(&m.RealMods)
	w.u16(&m.VMods)
	w.u32(&m.Ctrls)
}

type xkbGetGeometry struct {
	Major  uint8
	Device uint16
	Name   uint32
}

func (r *xkbGetGeometry) walk(w *wire) {
	w.request(&r.Major, xkbGetGeometryOp)
	w.u16(&r.Device)
	w.pad(2)
	w.u32(&r.Name)
}

type xkbPerClientFlags struct {
	Major                     uint8
	Device                    uint16
	Change, Value             uint32
	CtrlsToChange             uint32
	AutoCtrls, AutoCtrlValues uint32
}

func (r *xkbPerClientFlags) walk(w *wire) {
	w.request(&r.Major, xkbPerClientFlagsOp)
	w.u16(&r.Device)
	w.pad(2)
	w.u32(&r.Change)
	w.u32(&r.Value)
	w.u32(&r.CtrlsToChange)
	w.u32(&r.AutoCtrls)
	w.u32(&r.AutoCtrlValues)
}

// xkbListComponents asks for the keymap components the server could load;
// the patterns are six counted strings (keymaps, keycodes, types, compat
// maps, symbols, geometries).
type xkbListComponents struct {
	Major    uint8
	Device   uint16
	MaxNames uint16
	Patterns [6][]byte
}

func (r *xkbListComponents) walk(w *wire) {
	w.request(&r.Major, xkbListComponentsOp)
	w.u16(&r.Device)
	w.u16(&r.MaxNames)
	for i := range r.Patterns {
		n := uint8(len(r.Patterns[i]))
		w.u8(&n)
		list(w, &r.Patterns[i], int(n), 1, card8)
	}
}

type xkbGetDeviceInfo struct {
	Major                 uint8
	Device                uint16
	Wanted                uint16
	AllButtons            bool
	FirstButton, NButtons uint8
	LedClass, LedID       uint16
}

func (r *xkbGetDeviceInfo) walk(w *wire) {
	w.request(&r.Major, xkbGetDeviceInfoOp)
	w.u16(&r.Device)
	w.u16(&r.Wanted)
	w.flag(&r.AllButtons)
	w.u8(&r.FirstButton)
	w.u8(&r.NButtons)
	w.pad(1)
	w.u16(&r.LedClass)
	w.u16(&r.LedID)
}

// --- replies ------------------------------------------------------------

type xkbUseExtensionReply struct {
	Sequence                 uint16
	Supported                bool
	ServerMajor, ServerMinor uint16
}

func (r *xkbUseExtensionReply) walk(w *wire) {
	var s uint8
	if r.Supported {
		s = 1
	}
	w.reply(&s, &r.Sequence)
	r.Supported = s != 0
	w.u16(&r.ServerMajor)
	w.u16(&r.ServerMinor)
}

// xkbStateFields is the keyboard state, as GetState and StateNotify
// report it.
type xkbStateFields struct {
	Mods, BaseMods, LatchedMods, LockedMods uint8
	Group, LockedGroup                      uint8
	BaseGroup, LatchedGroup                 int16
	CompatState                             uint8
	GrabMods, CompatGrabMods                uint8
	LookupMods, CompatLookupMods            uint8
	PtrButtons                              uint16
}

type xkbGetStateReply struct {
	Sequence uint16
	Device   uint8
	xkbStateFields
}

func (r *xkbGetStateReply) walk(w *wire) {
	s := &r.xkbStateFields
	w.reply(&r.Device, &r.Sequence)
	w.u8(&s.Mods)
	w.u8(&s.BaseMods)
	w.u8(&s.LatchedMods)
	w.u8(&s.LockedMods)
	w.u8(&s.Group)
	w.u8(&s.LockedGroup)
	w.i16(&s.BaseGroup)
	w.i16(&s.LatchedGroup)
	w.u8(&s.CompatState)
	w.u8(&s.GrabMods)
	w.u8(&s.CompatGrabMods)
	w.u8(&s.LookupMods)
	w.u8(&s.CompatLookupMods)
	w.pad(1)
	w.u16(&s.PtrButtons)
}

type xkbGetControlsReply struct {
	Sequence  uint16
	Device    uint8
	NumGroups uint8
	// The masks of the internal and ignore-lock modifiers: their real
	// modifiers and those their virtual modifiers map to.
	InternalMods, IgnoreLockMods uint8
	xkbControls
}

func (r *xkbGetControlsReply) walk(w *wire) {
	c := &r.xkbControls
	w.reply(&r.Device, &r.Sequence)
	w.u8(&c.MouseKeysDfltBtn)
	w.u8(&r.NumGroups)
	w.u8(&c.GroupsWrap)
	w.u8(&r.InternalMods)
	w.u8(&r.IgnoreLockMods)
	w.u8(&c.InternalRealMods)
	w.u8(&c.IgnoreLockRealMods)
	w.pad(1)
	w.u16(&c.InternalVMods)
	w.u16(&c.IgnoreLockVMods)
	w.u16(&c.RepeatDelay)
	w.u16(&c.RepeatInterval)
	w.u16(&c.SlowKeysDelay)
	w.u16(&c.DebounceDelay)
	w.u16(&c.MouseKeysDelay)
	w.u16(&c.MouseKeysInterval)
	w.u16(&c.MouseKeysTimeToMax)
	w.u16(&c.MouseKeysMaxSpeed)
	w.i16(&c.MouseKeysCurve)
	w.u16(&c.AccessXOptions)
	w.u16(&c.AccessXTimeout)
	w.u16(&c.AccessXTimeoutOptsMask)
	w.u16(&c.AccessXTimeoutOptsValues)
	w.pad(2)
	w.u32(&c.AccessXTimeoutMask)
	w.u32(&c.AccessXTimeoutValues)
	w.u32(&c.Enabled)
	w.bytes(c.PerKeyRepeat[:])
}

// xkbKeyType is a key type: which modifiers select which shift level.
type xkbKeyType struct {
	Mask, RealMods uint8
	VMods          uint16
	Levels         uint8
	Entries        []xkbTypeEntry
	Preserve       []xkbMods // nil, or one for each entry
}

type xkbTypeEntry struct {
	Active                bool
	Mask, Level, RealMods uint8
	VMods                 uint16
}

// xkbMods is a set of modifiers: the real ones, the virtual ones, and the
// real modifiers they come to (Mask).
type xkbMods struct {
	Mask, RealMods uint8
	VMods          uint16
}

func (t *xkbKeyType) walk(w *wire) {
	w.u8(&t.Mask)
	w.u8(&t.RealMods)
	w.u16(&t.VMods)
	w.u8(&t.Levels)
	n := uint8(len(t.Entries))
	w.u8(&n)
	preserve := t.Preserve != nil
	w.flag(&preserve)
	w.pad(1)
	list(w, &t.Entries, int(n), 8, func(e *xkbTypeEntry, w *wire) {
		w.flag(&e.Active)
		w.u8(&e.Mask)
		w.u8(&e.Level)
		w.u8(&e.RealMods)
		w.u16(&e.VMods)
		w.pad(2)
	})
	if preserve {
		list(w, &t.Preserve, int(n), 4, (*xkbMods).walk)
	}
}

func (m *xkbMods) walk(w *wire) {
	w.u8(&m.Mask)
	w.u8(&m.RealMods)
	w.u16(&m.VMods)
}

// xkbSymMap is one key's symbols: for each group, its key type and
// Width symbols.
type xkbSymMap struct {
	Types     [4]uint8
	GroupInfo uint8 // the number of groups, and what to do with others
	Width     uint8
	Syms      []uint32
}

func (k *xkbSymMap) walk(w *wire) {
	w.bytes(k.Types[:])
	w.u8(&k.GroupInfo)
	w.u8(&k.Width)
	n := uint16(len(k.Syms))
	w.u16(&n)
	list(w, &k.Syms, int(n), 4, card32)
}

// xkbKeyValue is a key and one byte about it: its explicit components
// or its modifiers.
type xkbKeyValue struct{ Key, Value uint8 }

func (k *xkbKeyValue) walk(w *wire) {
	w.u8(&k.Key)
	w.u8(&k.Value)
}

type xkbKeyVMods struct {
	Key   uint8
	VMods uint16
}

func (k *xkbKeyVMods) walk(w *wire) {
	w.u8(&k.Key)
	w.pad(1)
	w.u16(&k.VMods)
}

type xkbBehavior struct{ Key, Type, Data uint8 }

func (b *xkbBehavior) walk(w *wire) {
	w.u8(&b.Key)
	w.u8(&b.Type)
	w.u8(&b.Data)
	w.pad(1)
}

type xkbAction [8]byte

func (a *xkbAction) walk(w *wire) { w.bytes(a[:]) }

// xkbGetMapReply is the keyboard map, or the parts of it asked for.
type xkbGetMapReply struct {
	Sequence               uint16
	Device                 uint8
	MinKeycode, MaxKeycode uint8
	Present                uint16 // the parts present: xkbKeyTypes...
	xkbMapParts
	TotalTypes              uint8
	TotalSyms, TotalActions uint16
	TotalKeyBehaviors       uint8
	TotalKeyExplicit        uint8
	TotalModMapKeys         uint8
	TotalVModMapKeys        uint8

	Types        []xkbKeyType
	Syms         []xkbSymMap
	ActionCounts []uint8 // the number of actions of each key
	Actions      []xkbAction
	Behaviors    []xkbBehavior
	VModMasks    []uint8 // the real modifiers of each virtual one present
	Explicit     []xkbKeyValue
	ModMap       []xkbKeyValue
	VModMap      []xkbKeyVMods
}

func (r *xkbGetMapReply) walk(w *wire) {
	p := &r.xkbMapParts
	w.reply(&r.Device, &r.Sequence)
	w.pad(2)
	w.u8(&r.MinKeycode)
	w.u8(&r.MaxKeycode)
	w.u16(&r.Present)
	w.u8(&p.FirstType)
	w.u8(&p.NTypes)
	w.u8(&r.TotalTypes)
	w.u8(&p.FirstKeySym)
	w.u16(&r.TotalSyms)
	w.u8(&p.NKeySyms)
	w.u8(&p.FirstKeyAction)
	w.u16(&r.TotalActions)
	w.u8(&p.NKeyActions)
	w.u8(&p.FirstKeyBehavior)
	w.u8(&p.NKeyBehaviors)
	w.u8(&r.TotalKeyBehaviors)
	w.u8(&p.FirstKeyExplicit)
	w.u8(&p.NKeyExplicit)
	w.u8(&r.TotalKeyExplicit)
	w.u8(&p.FirstModMapKey)
	w.u8(&p.NModMapKeys)
	w.u8(&r.TotalModMapKeys)
	w.u8(&p.FirstVModMapKey)
	w.u8(&p.NVModMapKeys)
	w.u8(&r.TotalVModMapKeys)
	w.pad(1)
	w.u16(&p.VirtualMods)
	has := func(part uint16) bool { return r.Present&part != 0 }
	if has(xkbKeyTypes) {
		list(w, &r.Types, int(p.NTypes), 8, (*xkbKeyType).walk)
	}
	if has(xkbKeySyms) {
		list(w, &r.Syms, int(p.NKeySyms), 8, (*xkbSymMap).walk)
	}
	if has(xkbKeyActions) {
		list(w, &r.ActionCounts, int(p.NKeyActions), 1, card8)
		w.align()
		list(w, &r.Actions, int(r.TotalActions), 8, (*xkbAction).walk)
	}
	if has(xkbKeyBehaviors) {
		list(w, &r.Behaviors, int(r.TotalKeyBehaviors), 4, (*xkbBehavior).walk)
	}
	if has(xkbVirtualMods) {
		list(w, &r.VModMasks, bits.OnesCount16(p.VirtualMods), 1, card8)
		w.align()
	}
	if has(xkbExplicitComponents) {
		list(w, &r.Explicit, int(r.TotalKeyExplicit), 2, (*xkbKeyValue).walk)
		w.align()
	}
	if has(xkbModifierMap) {
		list(w, &r.ModMap, int(r.TotalModMapKeys), 2, (*xkbKeyValue).walk)
		w.align()
	}
	if has(xkbVirtualModMap) {
		list(w, &r.VModMap, int(r.TotalVModMapKeys), 4, (*xkbKeyVMods).walk)
	}
}

type xkbGetCompatMapReply struct {
	Sequence              uint16
	Device                uint8
	Groups                uint8
	FirstSI, NSI, TotalSI uint16
	Interprets            []xkbSymInterpret
	GroupMaps             []xkbMods // one for each bit of Groups
}

// xkbSymInterpret says what a key with a keysym does: its action, and the
// virtual modifier it binds.
type xkbSymInterpret struct {
	Sym                            uint32
	Mods, Match, VirtualMod, Flags uint8
	Action                         xkbAction
}

func (si *xkbSymInterpret) walk(w *wire) {
	w.u32(&si.Sym)
	w.u8(&si.Mods)
	w.u8(&si.Match)
	w.u8(&si.VirtualMod)
	w.u8(&si.Flags)
	si.Action.walk(w)
}

func (r *xkbGetCompatMapReply) walk(w *wire) {
	w.reply(&r.Device, &r.Sequence)
	w.u8(&r.Groups)
	w.pad(1)
	w.u16(&r.FirstSI)
	w.u16(&r.NSI)
	w.u16(&r.TotalSI)
	w.pad(16)
	list(w, &r.Interprets, int(r.NSI), 16, (*xkbSymInterpret).walk)
	list(w, &r.GroupMaps, bits.OnesCount8(r.Groups), 4, (*xkbMods).walk)
}

type xkbGetIndicatorStateReply struct {
	Sequence uint16
	Device   uint8
	State    uint32
}

func (r *xkbGetIndicatorStateReply) walk(w *wire) {
	w.reply(&r.Device, &r.Sequence)
	w.u32(&r.State)
}

type xkbGetIndicatorMapReply struct {
	Sequence    uint16
	Device      uint8
	Which, Real uint32
	Maps        []xkbIndicatorMap // one for each bit of Which
}

func (r *xkbGetIndicatorMapReply) walk(w *wire) {
	w.reply(&r.Device, &r.Sequence)
	w.u32(&r.Which)
	w.u32(&r.Real)
	n := uint8(bits.OnesCount32(r.Which))
	w.u8(&n)
	w.pad(15)
	list(w, &r.Maps, bits.OnesCount32(r.Which), 12, (*xkbIndicatorMap).walk)
}

type xkbGetNamedIndicatorReply struct {
	Sequence        uint16
	Device          uint8
	Indicator       uint32
	Found, On, Real bool
	Index           uint8
	Map             xkbIndicatorMap
	Supported       bool
}

func (r *xkbGetNamedIndicatorReply) walk(w *wire) {
	w.reply(&r.Device, &r.Sequence)
	w.u32(&r.Indicator)
	w.flag(&r.Found)
	w.flag(&r.On)
	w.flag(&r.Real)
	w.u8(&r.Index)
	r.Map.walk(w)
	w.flag(&r.Supported)
}

// xkbGetNamesReply is the names of the keyboard's parts that Which asks for.
type xkbGetNamesReply struct {
	Sequence               uint16
	Device                 uint8
	Which                  uint32
	MinKeycode, MaxKeycode uint8
	NTypes                 uint8
	GroupNames             uint8  // the groups named
	VirtualMods            uint16 // the virtual modifiers named
	FirstKey, NKeys        uint8
	Indicators             uint32 // the indicators named
	NRadioGroups           uint8
	NKeyAliases            uint8
	NKTLevels              uint16

	Keycodes, Geometry, Symbols, PhysSymbols, Types, Compat uint32
	TypeNames                                               []uint32
	LevelCounts                                             []uint8  // the levels of each type
	LevelNames                                              []uint32 // the names of each type's levels, in turn
	IndicatorNames                                          []uint32
	VModNames                                               []uint32
	GroupNameList                                           []uint32
	KeyNames                                                [][4]byte
	KeyAliases                                              [][8]byte
	RadioGroups                                             []uint32
}

func (r *xkbGetNamesReply) walk(w *wire) {
	w.reply(&r.Device, &r.Sequence)
	w.u32(&r.Which)
	w.u8(&r.MinKeycode)
	w.u8(&r.MaxKeycode)
	w.u8(&r.NTypes)
	w.u8(&r.GroupNames)
	w.u16(&r.VirtualMods)
	w.u8(&r.FirstKey)
	w.u8(&r.NKeys)
	w.u32(&r.Indicators)
	w.u8(&r.NRadioGroups)
	w.u8(&r.NKeyAliases)
	w.u16(&r.NKTLevels)
	w.pad(4)
	has := func(n uint32) bool { return r.Which&n != 0 }
	for i, a := range []*uint32{&r.Keycodes, &r.Geometry, &r.Symbols, &r.PhysSymbols, &r.Types, &r.Compat} {
		if has(1 << i) {
			w.u32(a)
		}
	}
	if has(xkbKeyTypeNames) {
		list(w, &r.TypeNames, int(r.NTypes), 4, card32)
	}
	if has(xkbKTLevelNames) {
		list(w, &r.LevelCounts, int(r.NTypes), 1, card8)
		w.align()
		total := 0
		for _, n := range r.LevelCounts {
			total += int(n)
		}
		list(w, &r.LevelNames, total, 4, card32)
	}
	if has(xkbIndicatorNames) {
		list(w, &r.IndicatorNames, bits.OnesCount32(r.Indicators), 4, card32)
	}
	if has(xkbVirtualModNames) {
		list(w, &r.VModNames, bits.OnesCount16(r.VirtualMods), 4, card32)
	}
	if has(xkbGroupNames) {
		list(w, &r.GroupNameList, bits.OnesCount8(r.GroupNames), 4, card32)
	}
	if has(xkbKeyNames) {
		list(w, &r.KeyNames, int(r.NKeys), 4, func(k *[4]byte, w *wire) { w.bytes(k[:]) })
	}
	if has(xkbKeyAliases) {
		list(w, &r.KeyAliases, int(r.NKeyAliases), 8, func(k *[8]byte, w *wire) { w.bytes(k[:]) })
	}
	if has(xkbRGNames) {
		list(w, &r.RadioGroups, int(r.NRadioGroups), 4, card32)
	}
}

type xkbGetGeometryReply struct {
	Sequence uint16
	Device   uint8
	Name     uint32
	Found    bool
}

func (r *xkbGetGeometryReply) walk(w *wire) {
	w.reply(&r.Device, &r.Sequence)
	w.u32(&r.Name)
	w.flag(&r.Found)
	// The geometry's sizes and counts, all zero for a geometry not found.
	w.pad(19)
}

type xkbPerClientFlagsReply struct {
	Sequence                  uint16
	Device                    uint8
	Supported, Value          uint32
	AutoCtrls, AutoCtrlValues uint32
}

func (r *xkbPerClientFlagsReply) walk(w *wire) {
	w.reply(&r.Device, &r.Sequence)
	w.u32(&r.Supported)
	w.u32(&r.Value)
	w.u32(&r.AutoCtrls)
	w.u32(&r.AutoCtrlValues)
}

// xkbListComponentsReply lists the components the server could load: none.
type xkbListComponentsReply struct {
	Sequence uint16
	Device   uint8
}

func (r *xkbListComponentsReply) walk(w *wire) {
	w.reply(&r.Device, &r.Sequence)
	w.pad(16) // the counts of keymaps, keycodes, types, compat maps, symbols, geometries; extra
}

// xkbDeviceLeds is an indicator feedback of a device.
type xkbDeviceLeds struct {
	LedClass, LedID uint16
	NamesPresent    uint32
	MapsPresent     uint32
	Physical        uint32
	State           uint32
	Names           []uint32          // one for each bit of NamesPresent
	Maps            []xkbIndicatorMap // one for each bit of MapsPresent
}

func (l *xkbDeviceLeds) walk(w *wire) {
	w.u16(&l.LedClass)
	w.u16(&l.LedID)
	w.u32(&l.NamesPresent)
	w.u32(&l.MapsPresent)
	w.u32(&l.Physical)
	w.u32(&l.State)
	list(w, &l.Names, bits.OnesCount32(l.NamesPresent), 4, card32)
	list(w, &l.Maps, bits.OnesCount32(l.MapsPresent), 12, (*xkbIndicatorMap).walk)
}

type xkbGetDeviceInfoReply struct {
	Sequence                    uint16
	Device                      uint8
	Present, Supported          uint16
	Unsupported                 uint16
	FirstBtnWanted, NBtnsWanted uint8
	FirstBtn                    uint8
	TotalBtns                   uint8
	HasOwnState                 bool
	DfltKbdFB, DfltLedFB        uint16
	DevType                     uint32
	Name                        []byte
	ButtonActions               []xkbAction
	Leds                        []xkbDeviceLeds
}

func (r *xkbGetDeviceInfoReply) walk(w *wire) {
	w.reply(&r.Device, &r.Sequence)
	w.u16(&r.Present)
	w.u16(&r.Supported)
	w.u16(&r.Unsupported)
	nLeds := uint16(len(r.Leds))
	w.u16(&nLeds)
	w.u8(&r.FirstBtnWanted)
	w.u8(&r.NBtnsWanted)
	w.u8(&r.FirstBtn)
	nBtns := uint8(len(r.ButtonActions))
	w.u8(&nBtns)
	w.u8(&r.TotalBtns)
	w.flag(&r.HasOwnState)
	w.u16(&r.DfltKbdFB)
	w.u16(&r.DfltLedFB)
	w.pad(2)
	w.u32(&r.DevType)
	n := uint16(len(r.Name))
	w.u16(&n)
	list(w, &r.Name, int(n), 1, card8)
	w.align()
	list(w, &r.ButtonActions, int(nBtns), 8, (*xkbAction).walk)
	list(w, &r.Leds, int(nLeds), 20, (*xkbDeviceLeds).walk)
}

// --- events ---------------------------------------------------------------

type xkbMapNotifyEvent struct {
	Sequence               uint16
	Time                   uint32
	Device                 uint8
	PtrBtnActions          uint8
	Changed                uint16 // the parts that changed: xkbKeyTypes...
	MinKeycode, MaxKeycode uint8
	xkbMapParts
}

func (e *xkbMapNotifyEvent) walk(w *wire) {
	p := &e.xkbMapParts
	w.event(xkbMapNotify, &e.Sequence, &e.Time, &e.Device)
	w.u8(&e.PtrBtnActions)
	w.u16(&e.Changed)
	w.u8(&e.MinKeycode)
	w.u8(&e.MaxKeycode)
	for _, v := range []*uint8{&p.FirstType, &p.NTypes, &p.FirstKeySym, &p.NKeySyms,
		&p.FirstKeyAction, &p.NKeyActions, &p.FirstKeyBehavior, &p.NKeyBehaviors,
		&p.FirstKeyExplicit, &p.NKeyExplicit, &p.FirstModMapKey, &p.NModMapKeys,
		&p.FirstVModMapKey, &p.NVModMapKeys} {
		w.u8(v)
	}
	w.u16(&p.VirtualMods)
}

type xkbStateNotifyEvent struct {
	Sequence uint16
	Time     uint32
	Device   uint8
	xkbStateFields
	Changed                    uint16 // the parts that changed: xkbModifierState...
	Keycode, EventType         uint8  // the key event that changed them, if one did
	RequestMajor, RequestMinor uint8  // the request that changed them, if one did
}

func (e *xkbStateNotifyEvent) walk(w *wire) {
	s := &e.xkbStateFields
	w.event(xkbStateNotify, &e.Sequence, &e.Time, &e.Device)
	w.u8(&s.Mods)
	w.u8(&s.BaseMods)
	w.u8(&s.LatchedMods)
	w.u8(&s.LockedMods)
	w.u8(&s.Group)
	w.i16(&s.BaseGroup)
	w.i16(&s.LatchedGroup)
	w.u8(&s.LockedGroup)
	w.u8(&s.CompatState)
	w.u8(&s.GrabMods)
	w.u8(&s.CompatGrabMods)
	w.u8(&s.LookupMods)
	w.u8(&s.CompatLookupMods)
	w.u16(&s.PtrButtons)
	w.u16(&e.Changed)
	w.u8(&e.Keycode)
	w.u8(&e.EventType)
	w.u8(&e.RequestMajor)
	w.u8(&e.RequestMinor)
}

type xkbControlsNotifyEvent struct {
	Sequence                   uint16
	Time                       uint32
	Device                     uint8
	NumGroups                  uint8
	Changed                    uint32 // xkbCtrl bits
	Enabled, EnabledChanges    uint32
	Keycode, EventType         uint8
	RequestMajor, RequestMinor uint8
}

func (e *xkbControlsNotifyEvent) walk(w *wire) {
	w.event(xkbControlsNotify, &e.Sequence, &e.Time, &e.Device)
	w.u8(&e.NumGroups)
	w.pad(2)
	w.u32(&e.Changed)
	w.u32(&e.Enabled)
	w.u32(&e.EnabledChanges)
	w.u8(&e.Keycode)
	w.u8(&e.EventType)
	w.u8(&e.RequestMajor)
	w.u8(&e.RequestMinor)
}

// xkbIndicatorNotifyEvent is IndicatorStateNotify or IndicatorMapNotify.
type xkbIndicatorNotifyEvent struct {
	Type           uint8 // xkbIndicatorStateNotify or xkbIndicatorMapNotify
	Sequence       uint16
	Time           uint32
	Device         uint8
	State, Changed uint32
}

func (e *xkbIndicatorNotifyEvent) walk(w *wire) {
	w.eventOf(&e.Type, &e.Sequence, &e.Time, &e.Device)
	w.pad(3)
	w.u32(&e.State)
	w.u32(&e.Changed)
}

type xkbNamesNotifyEvent struct {
	Sequence          uint16
	Time              uint32
	Device            uint8
	Changed           uint16 // xkbKeycodesName... bits
	ChangedIndicators uint32
}

func (e *xkbNamesNotifyEvent) walk(w *wire) {
	w.event(xkbNamesNotify, &e.Sequence, &e.Time, &e.Device)
	w.pad(1)
	w.u16(&e.Changed)
	// The ranges of types, levels, radio groups, aliases, groups,
	// virtual modifiers and keys that changed: none can here.
	w.pad(12)
	w.u32(&e.ChangedIndicators)
}

type xkbBellNotifyEvent struct {
	Sequence          uint16
	Time              uint32
	Device            uint8
	BellClass, BellID uint8
	Percent           uint8
	Pitch, Duration   uint16
	Name, Window      uint32
	EventOnly         bool
}

func (e *xkbBellNotifyEvent) walk(w *wire) {
	w.event(xkbBellNotify, &e.Sequence, &e.Time, &e.Device)
	w.u8(&e.BellClass)
	w.u8(&e.BellID)
	w.u8(&e.Percent)
	w.u16(&e.Pitch)
	w.u16(&e.Duration)
	w.u32(&e.Name)
	w.u32(&e.Window)
	w.flag(&e.EventOnly)
}

// Marshal and Unmarshal, for c.reply and c.event and for the tests.

func (r *xkbUseExtension) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalRequest(o, r, b)
}
func (r *xkbSelectEvents) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalRequest(o, r, b)
}
func (r *xkbBell) Marshal(o protocol.ByteOrder, b []byte) []byte { return marshalRequest(o, r, b) }
func (r *xkbDeviceRequest) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalRequest(o, r, b)
}
func (r *xkbLatchLockState) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalRequest(o, r, b)
}
func (r *xkbSetControls) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalRequest(o, r, b)
}
func (r *xkbGetMap) Marshal(o protocol.ByteOrder, b []byte) []byte { return marshalRequest(o, r, b) }
func (r *xkbGetCompatMap) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalRequest(o, r, b)
}
func (r *xkbWhichRequest) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalRequest(o, r, b)
}
func (r *xkbSetIndicatorMap) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalRequest(o, r, b)
}
func (r *xkbGetNamedIndicator) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalRequest(o, r, b)
}
func (r *xkbSetNamedIndicator) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalRequest(o, r, b)
}
func (r *xkbGetGeometry) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalRequest(o, r, b)
}
func (r *xkbPerClientFlags) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalRequest(o, r, b)
}
func (r *xkbListComponents) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalRequest(o, r, b)
}
func (r *xkbGetDeviceInfo) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalRequest(o, r, b)
}

func (r *xkbUseExtension) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, r, b, true)
}
func (r *xkbSelectEvents) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, r, b, true)
}
func (r *xkbBell) Unmarshal(o protocol.ByteOrder, b []byte) error { return unmarshal(o, r, b, true) }
func (r *xkbDeviceRequest) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, r, b, true)
}
func (r *xkbLatchLockState) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, r, b, true)
}
func (r *xkbSetControls) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, r, b, true)
}
func (r *xkbGetMap) Unmarshal(o protocol.ByteOrder, b []byte) error { return unmarshal(o, r, b, true) }
func (r *xkbGetCompatMap) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, r, b, true)
}
func (r *xkbWhichRequest) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, r, b, true)
}
func (r *xkbSetIndicatorMap) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, r, b, true)
}
func (r *xkbGetNamedIndicator) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, r, b, true)
}
func (r *xkbSetNamedIndicator) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, r, b, true)
}
func (r *xkbGetGeometry) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, r, b, true)
}
func (r *xkbPerClientFlags) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, r, b, true)
}
func (r *xkbListComponents) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, r, b, true)
}
func (r *xkbGetDeviceInfo) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, r, b, true)
}

func (r *xkbUseExtensionReply) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalReply(o, r, b)
}
func (r *xkbGetStateReply) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalReply(o, r, b)
}
func (r *xkbGetControlsReply) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalReply(o, r, b)
}
func (r *xkbGetMapReply) Marshal(o protocol.ByteOrder, b []byte) []byte { return marshalReply(o, r, b) }
func (r *xkbGetCompatMapReply) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalReply(o, r, b)
}
func (r *xkbGetIndicatorStateReply) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalReply(o, r, b)
}
func (r *xkbGetIndicatorMapReply) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalReply(o, r, b)
}
func (r *xkbGetNamedIndicatorReply) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalReply(o, r, b)
}
func (r *xkbGetNamesReply) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalReply(o, r, b)
}
func (r *xkbGetGeometryReply) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalReply(o, r, b)
}
func (r *xkbPerClientFlagsReply) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalReply(o, r, b)
}
func (r *xkbListComponentsReply) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalReply(o, r, b)
}
func (r *xkbGetDeviceInfoReply) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalReply(o, r, b)
}

func (r *xkbUseExtensionReply) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, r, b, false)
}
func (r *xkbGetStateReply) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, r, b, false)
}
func (r *xkbGetControlsReply) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, r, b, false)
}
func (r *xkbGetMapReply) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, r, b, false)
}
func (r *xkbGetCompatMapReply) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, r, b, false)
}
func (r *xkbGetIndicatorStateReply) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, r, b, false)
}
func (r *xkbGetIndicatorMapReply) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, r, b, false)
}
func (r *xkbGetNamedIndicatorReply) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, r, b, false)
}
func (r *xkbGetNamesReply) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, r, b, false)
}
func (r *xkbGetGeometryReply) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, r, b, false)
}
func (r *xkbPerClientFlagsReply) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, r, b, false)
}
func (r *xkbListComponentsReply) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, r, b, false)
}
func (r *xkbGetDeviceInfoReply) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, r, b, false)
}

func (e *xkbMapNotifyEvent) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalEvent(o, e, b)
}
func (e *xkbStateNotifyEvent) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalEvent(o, e, b)
}
func (e *xkbControlsNotifyEvent) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalEvent(o, e, b)
}
func (e *xkbIndicatorNotifyEvent) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalEvent(o, e, b)
}
func (e *xkbNamesNotifyEvent) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalEvent(o, e, b)
}
func (e *xkbBellNotifyEvent) Marshal(o protocol.ByteOrder, b []byte) []byte {
	return marshalEvent(o, e, b)
}

func (e *xkbMapNotifyEvent) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, e, b, false)
}
func (e *xkbStateNotifyEvent) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, e, b, false)
}
func (e *xkbControlsNotifyEvent) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, e, b, false)
}
func (e *xkbIndicatorNotifyEvent) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, e, b, false)
}
func (e *xkbNamesNotifyEvent) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, e, b, false)
}
func (e *xkbBellNotifyEvent) Unmarshal(o protocol.ByteOrder, b []byte) error {
	return unmarshal(o, e, b, false)
}
