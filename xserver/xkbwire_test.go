package xserver

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"testing"

	"netdisplay/protocol"
)

var byteOrders = []protocol.ByteOrder{protocol.LSBFirst, protocol.MSBFirst}

type xkbMessage interface {
	Marshal(o protocol.ByteOrder, b []byte) []byte
	Unmarshal(o protocol.ByteOrder, b []byte) error
}

// xkbSamples has one of each XKB message, with every field set, and
// what it is: a request, a reply or an event.
func xkbSamples() []struct {
	kind byte // 'q' request, 'r' reply, 'e' event
	m    xkbMessage
} {
	ctrl := xkbControls{MouseKeysDfltBtn: 1, GroupsWrap: 0x40, InternalRealMods: 4, IgnoreLockRealMods: 2, InternalVMods: 0x101, IgnoreLockVMods: 0x8001,
		RepeatDelay: 660, RepeatInterval: 40, SlowKeysDelay: 300, DebounceDelay: 301, MouseKeysDelay: 160, MouseKeysInterval: 41,
		MouseKeysTimeToMax: 30, MouseKeysMaxSpeed: 31, MouseKeysCurve: -500, AccessXOptions: 0xcef, AccessXTimeout: 120,
		AccessXTimeoutOptsMask: 0x10, AccessXTimeoutOptsValues: 0x10, AccessXTimeoutMask: 0x1e, AccessXTimeoutValues: 0x2, Enabled: 0x1201,
		PerKeyRepeat: [32]byte{0: 1, 31: 0x80}}
	parts := xkbMapParts{FirstType: 1, NTypes: 2, FirstKeySym: 9, NKeySyms: 2, FirstKeyAction: 10, NKeyActions: 3, FirstKeyBehavior: 11, NKeyBehaviors: 4,
		FirstKeyExplicit: 12, NKeyExplicit: 5, FirstModMapKey: 13, NModMapKeys: 6, FirstVModMapKey: 14, NVModMapKeys: 7, VirtualMods: 0x8003}
	state := xkbStateFields{Mods: 3, BaseMods: 1, LatchedMods: 2, LockedMods: 0x10, Group: 1, LockedGroup: 2, BaseGroup: -1, LatchedGroup: 300,
		CompatState: 0x13, GrabMods: 0x11, CompatGrabMods: 0x12, LookupMods: 0x14, CompatLookupMods: 0x15, PtrButtons: 0x100}
	led := xkbIndicatorMap{Flags: 0x80, WhichGroups: 1, Groups: 2, WhichMods: 4, Mods: 0x12, RealMods: 2, VMods: 1, Ctrls: 0x1000}
	return []struct {
		kind byte
		m    xkbMessage
	}{
		{'q', &xkbUseExtension{Major: 130, WantedMajor: 1, WantedMinor: 0}},
		{'q', &xkbSelectEvents{Major: 130, Device: 0x100, AffectWhich: 0xfff, Clear: 0x1, SelectAll: 0x800, AffectMap: 7, Map: 5,
			Details: []xkbEventDetails{{0x3fff, 0x5}, {0xf8001fff, 0x80000001}, {0xffffffff, 0x7}, {0x8, 0x8}, {0x3fff, 0x100}, {3, 1}, {1, 1}, {1, 0}, {0x7f, 0x40}}}},
		{'q', &xkbBell{Major: 130, Device: 0x100, BellClass: 0x300, BellID: 0x400, Percent: -50, ForceSound: true, Pitch: 440, Duration: -1, Name: 5, Window: 0x200001}},
		{'q', &xkbDeviceRequest{Major: 130, Minor: xkbGetStateOp, Device: 3}},
		{'q', &xkbLatchLockState{Major: 130, Device: 0x100, AffectModLocks: 3, ModLocks: 2, LockGroup: true, GroupLock: 1, AffectModLatches: 1, ModLatch: 1, LatchGroup: true, GroupLatch: -2}},
		{'q', &xkbSetControls{Major: 130, Device: 0x100, AffectInternalRealMods: 4, AffectIgnoreLockRealMods: 2, AffectInternalVMods: 0x101,
			AffectIgnoreLockVMods: 0x8001, AffectEnabled: 0x1fff, Change: 0xf8001fff, xkbControls: ctrl}},
		{'q', &xkbGetMap{Major: 130, Device: 0x100, Full: 0x07, Partial: 0xf0, xkbMapParts: parts}},
		{'q', &xkbGetCompatMap{Major: 130, Device: 0x100, Groups: 0xf, GetAllSI: true, FirstSI: 2, NSI: 3}},
		{'q', &xkbWhichRequest{Major: 130, Minor: xkbGetNamesOp, Device: 0x100, Which: 0x3fff}},
		{'q', &xkbSetIndicatorMap{Major: 130, Device: 0x100, Which: 0x5, Maps: []xkbIndicatorMap{led, {WhichMods: 1, Mods: 1, RealMods: 1}}}},
		{'q', &xkbGetNamedIndicator{Major: 130, Device: 0x100, LedClass: 0x300, LedID: 0x400, Indicator: 42}},
		{'q', &xkbSetNamedIndicator{Major: 130, Device: 0x100, LedClass: 0, LedID: 0, Indicator: 42, SetState: true, On: true, SetMap: true, CreateMap: true,
			Map: xkbIndicatorMap{Flags: 0x80, WhichGroups: 1, Groups: 2, WhichMods: 4, RealMods: 2, VMods: 1, Ctrls: 0x1000}}},
		{'q', &xkbGetGeometry{Major: 130, Device: 0x100, Name: 7}},
		{'q', &xkbPerClientFlags{Major: 130, Device: 0x100, Change: 5, Value: 1, CtrlsToChange: 3, AutoCtrls: 2, AutoCtrlValues: 2}},
		{'q', &xkbListComponents{Major: 130, Device: 0x100, MaxNames: 100, Patterns: [6][]byte{[]byte("*"), nil, []byte("ev*"), nil, []byte("pc+us"), nil}}},
		{'q', &xkbGetDeviceInfo{Major: 130, Device: 0x200, Wanted: 0x1e, AllButtons: true, FirstButton: 1, NButtons: 2, LedClass: 0x300, LedID: 0x400}},

		{'r', &xkbUseExtensionReply{Sequence: 2, Supported: true, ServerMajor: 1, ServerMinor: 0}},
		{'r', &xkbGetStateReply{Sequence: 3, Device: 3, xkbStateFields: state}},
		{'r', &xkbGetControlsReply{Sequence: 4, Device: 3, NumGroups: 1, InternalMods: 0x14, IgnoreLockMods: 0x12, xkbControls: ctrl}},
		{'r', &xkbGetMapReply{Sequence: 5, Device: 3, MinKeycode: 8, MaxKeycode: 255, Present: 0xff, xkbMapParts: parts,
			TotalTypes: 4, TotalSyms: 3, TotalActions: 1, TotalKeyBehaviors: 1, TotalKeyExplicit: 3, TotalModMapKeys: 1, TotalVModMapKeys: 1,
			Types: []xkbKeyType{
				{Mask: 1, RealMods: 1, Levels: 2, Entries: []xkbTypeEntry{{Active: true, Mask: 1, Level: 1, RealMods: 1}}},
				{Mask: 0x11, RealMods: 1, VMods: 1, Levels: 2, Entries: []xkbTypeEntry{{Active: true, Mask: 0x10, Level: 1, VMods: 1}, {Mask: 0x11, RealMods: 1, VMods: 1}},
					Preserve: []xkbMods{{Mask: 1, RealMods: 1}, {}}},
			},
			Syms:         []xkbSymMap{{Types: [4]uint8{2}, GroupInfo: 1, Width: 2, Syms: []uint32{'a', 'A'}}, {Types: [4]uint8{0, 1}, GroupInfo: 2, Width: 1, Syms: []uint32{0xff1b}}},
			ActionCounts: []uint8{0, 1, 0},
			Actions:      []xkbAction{{3, 1, 2, 3, 4, 5, 6, 7}},
			Behaviors:    []xkbBehavior{{Key: 12, Type: 1, Data: 2}},
			VModMasks:    []uint8{0x10, 0x08, 0x80},
			Explicit:     []xkbKeyValue{{12, 1}, {13, 2}, {14, 3}},
			ModMap:       []xkbKeyValue{{50, 1}},
			VModMap:      []xkbKeyVMods{{77, 1}},
		}},
		{'r', &xkbGetCompatMapReply{Sequence: 6, Device: 3, Groups: 0x5, FirstSI: 1, NSI: 1, TotalSI: 9, Interprets: []xkbSymInterpret{{Sym: 0xff7f, Mods: 0xff, Match: 1, VirtualMod: 0, Flags: 2, Action: xkbAction{1, 2, 3, 7: 4}}}, GroupMaps: []xkbMods{{}, {Mask: 0x80, VMods: 0x200}}}},
		{'r', &xkbGetIndicatorStateReply{Sequence: 7, Device: 3, State: 0x5}},
		{'r', &xkbGetIndicatorMapReply{Sequence: 8, Device: 3, Which: 0x3, Real: 0x7, Maps: []xkbIndicatorMap{led, {}}}},
		{'r', &xkbGetNamedIndicatorReply{Sequence: 9, Device: 3, Indicator: 42, Found: true, On: true, Real: true, Index: 2, Map: led, Supported: true}},
		{'r', &xkbGetNamesReply{Sequence: 10, Device: 3, Which: 0x3fff, MinKeycode: 8, MaxKeycode: 255, NTypes: 2, GroupNames: 0x3, VirtualMods: 0x81,
			FirstKey: 8, NKeys: 2, Indicators: 0x5, NRadioGroups: 1, NKeyAliases: 1, NKTLevels: 3,
			Keycodes: 1, Geometry: 2, Symbols: 3, PhysSymbols: 4, Types: 5, Compat: 6, TypeNames: []uint32{7, 8}, LevelCounts: []uint8{1, 2},
			LevelNames: []uint32{9, 10, 11}, IndicatorNames: []uint32{12, 13}, VModNames: []uint32{14, 15}, GroupNameList: []uint32{16, 17},
			KeyNames: [][4]byte{{'E', 'S', 'C'}, {'A', 'E', '0', '1'}}, KeyAliases: [][8]byte{{'L', 'M', 'T', 'A', 'L', 'A', 'L', 'T'}}, RadioGroups: []uint32{18}}},
		{'r', &xkbGetGeometryReply{Sequence: 11, Device: 3, Name: 5, Found: false}},
		{'r', &xkbPerClientFlagsReply{Sequence: 12, Device: 3, Supported: 0x1b, Value: 1, AutoCtrls: 2, AutoCtrlValues: 2}},
		{'r', &xkbListComponentsReply{Sequence: 13, Device: 3}},
		{'r', &xkbGetDeviceInfoReply{Sequence: 14, Device: 3, Present: 0x1c, Supported: 0x1e, FirstBtnWanted: 1, NBtnsWanted: 2, FirstBtn: 1, TotalBtns: 5,
			HasOwnState: true, DfltKbdFB: 0, DfltLedFB: 0xff00, DevType: 9, Name: []byte("Virtual core keyboard"), ButtonActions: []xkbAction{{1}},
			Leds: []xkbDeviceLeds{{LedClass: 0, LedID: 0, NamesPresent: 0x3, MapsPresent: 0x1, Physical: 0x7, State: 1, Names: []uint32{1, 2}, Maps: []xkbIndicatorMap{led}}}}},

		{'e', &xkbMapNotifyEvent{Sequence: 15, Time: 0x12345678, Device: 3, PtrBtnActions: 1, Changed: 0x13, MinKeycode: 8, MaxKeycode: 255, xkbMapParts: parts}},
		{'e', &xkbStateNotifyEvent{Sequence: 16, Time: 2, Device: 3, xkbStateFields: state, Changed: 0x2001, Keycode: 50, EventType: 2, RequestMajor: 130, RequestMinor: 5}},
		{'e', &xkbControlsNotifyEvent{Sequence: 17, Time: 3, Device: 3, NumGroups: 1, Changed: 0x80000001, Enabled: 0x201, EnabledChanges: 1, Keycode: 9, EventType: 3, RequestMajor: 130, RequestMinor: 7}},
		{'e', &xkbIndicatorNotifyEvent{Type: xkbIndicatorMapNotify, Sequence: 18, Time: 4, Device: 3, State: 1, Changed: 3}},
		{'e', &xkbNamesNotifyEvent{Sequence: 19, Time: 5, Device: 3, Changed: xkbIndicatorNames, ChangedIndicators: 8}},
		{'e', &xkbBellNotifyEvent{Sequence: 20, Time: 6, Device: 3, BellClass: 0, BellID: 0, Percent: 50, Pitch: 400, Duration: 100, Name: 3, Window: 0x40, EventOnly: true}},
	}
}

// TestXkbWireRoundTrip encodes every message in both byte orders and
// decodes it back, and checks the framing: the request and reply lengths,
// and 32-byte events.
func TestXkbWireRoundTrip(t *testing.T) {
	for _, o := range byteOrders {
		for _, s := range xkbSamples() {
			name := reflect.TypeOf(s.m).Elem().Name() + "/" + o.String()
			b := s.m.Marshal(o, []byte{0xEE}) // appends: what is there stays
			if b[0] != 0xEE {
				t.Errorf("%s: Marshal overwrote what it appends to", name)
			}
			b = b[1:]
			switch s.kind {
			case 'q':
				if len(b)%4 != 0 || 4*int(o.U16(b[2:])) != len(b) || b[0] != 130 {
					t.Errorf("%s: %d bytes, length field %d, major %d", name, len(b), o.U16(b[2:]), b[0])
				}
			case 'r':
				if len(b) < 32 || 32+4*int(o.U32(b[4:])) != len(b) || b[0] != 1 || o.U16(b[2:]) == 0 {
					t.Errorf("%s: %d bytes, length field %d", name, len(b), o.U32(b[4:]))
				}
			case 'e':
				if len(b) != 32 || b[0] != xkbEventBase || o.U16(b[2:]) == 0 {
					t.Errorf("%s: %d bytes, code %d", name, len(b), b[0])
				}
			}
			got := reflect.New(reflect.TypeOf(s.m).Elem()).Interface().(xkbMessage)
			if err := got.Unmarshal(o, b); err != nil {
				t.Errorf("%s: Unmarshal: %v", name, err)
				continue
			}
			if !reflect.DeepEqual(got, s.m) {
				t.Errorf("%s: round trip\n got %+v\nwant %+v", name, got, s.m)
			}
			// The other byte order writes the same fields swapped: the
			// same length, and different bytes wherever a field is wider
			// than a byte.
			other := protocol.MSBFirst
			if o == protocol.MSBFirst {
				other = protocol.LSBFirst
			}
			if b2 := s.m.Marshal(other, nil); len(b2) != len(b) {
				t.Errorf("%s: %d bytes in one byte order, %d in the other", name, len(b), len(b2))
			}
		}
	}
}

// TestXkbWireTruncated: every message, cut short anywhere, fails to
// decode with a length error, and a request with a word too many does too.
func TestXkbWireTruncated(t *testing.T) {
	for _, o := range byteOrders {
		for _, s := range xkbSamples() {
			b := s.m.Marshal(o, nil)
			// Messages are padded: only the bytes the fields use count.
			w := wire{o: o, b: b, decode: true}
			s.m.(walker).walk(&w)
			need := w.off
			fresh := func() xkbMessage { return reflect.New(reflect.TypeOf(s.m).Elem()).Interface().(xkbMessage) }
			for n := range need {
				if err := fresh().Unmarshal(o, b[:n]); !errors.Is(err, protocol.ErrLength) {
					t.Errorf("%T: %d of %d bytes: err %v, want a length error", s.m, n, need, err)
					break
				}
			}
			if s.kind == 'q' {
				long := append(append([]byte(nil), b...), 0, 0, 0, 0)
				if err := fresh().Unmarshal(o, long); !errors.Is(err, protocol.ErrLength) {
					t.Errorf("%T: a word too many: err %v, want a length error", s.m, err)
				}
			}
		}
	}
}

// TestXkbWireLayout checks messages byte for byte against XKBproto.h,
// the layout libX11 and X.Org share.
func TestXkbWireLayout(t *testing.T) {
	o := protocol.MSBFirst
	check := func(name string, got, want []byte) {
		t.Helper()
		if !bytes.Equal(got, want) {
			t.Errorf("%s:\n got % x\nwant % x", name, got, want)
		}
	}
	// xkbGetStateReply: mods at 8, group at 12, baseGroup at 14 (INT16),
	// compatState at 18, ptrBtnState at 24.
	check("GetStateReply", (&xkbGetStateReply{Sequence: 0x102, Device: 3, xkbStateFields: xkbStateFields{
		Mods: 1, BaseMods: 2, LatchedMods: 3, LockedMods: 4, Group: 5, LockedGroup: 6, BaseGroup: -2, LatchedGroup: 0x708,
		CompatState: 9, GrabMods: 10, CompatGrabMods: 11, LookupMods: 12, CompatLookupMods: 13, PtrButtons: 0x1400}}).Marshal(o, nil),
		[]byte{1, 3, 1, 2, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 0xff, 0xfe, 7, 8, 9, 10, 11, 12, 13, 0, 0x14, 0, 0, 0, 0, 0, 0, 0})
	// xkbStateNotify: lockedGroup comes after the two INT16 groups.
	check("StateNotify", (&xkbStateNotifyEvent{Sequence: 0x102, Time: 0x0a0b0c0d, Device: 3, xkbStateFields: xkbStateFields{
		Mods: 1, BaseMods: 2, LatchedMods: 3, LockedMods: 4, Group: 5, BaseGroup: 0x607, LatchedGroup: 0x809, LockedGroup: 10,
		CompatState: 11, GrabMods: 12, CompatGrabMods: 13, LookupMods: 14, CompatLookupMods: 15, PtrButtons: 0x1011},
		Changed: 0x1213, Keycode: 20, EventType: 2, RequestMajor: 130, RequestMinor: 5}).Marshal(o, nil),
		[]byte{64, 2, 1, 2, 0x0a, 0x0b, 0x0c, 0x0d, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0x10, 0x11, 0x12, 0x13, 20, 2, 130, 5})
	// xkbMapNotify.
	check("MapNotify", (&xkbMapNotifyEvent{Sequence: 1, Time: 2, Device: 3, Changed: 0x0012, MinKeycode: 8, MaxKeycode: 255,
		xkbMapParts: xkbMapParts{FirstKeySym: 8, NKeySyms: 1, FirstKeyAction: 8, NKeyActions: 1, VirtualMods: 0x8001}}).Marshal(o, nil),
		[]byte{64, 1, 0, 1, 0, 0, 0, 2, 3, 0, 0, 0x12, 8, 255, 0, 0, 8, 1, 8, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x01, 0, 0})
	// xkbLatchLockState: modLatches is byte 9.
	check("LatchLockState", (&xkbLatchLockState{Major: 130, Device: 0x100, AffectModLocks: 2, ModLocks: 2, LockGroup: true, GroupLock: 1,
		AffectModLatches: 1, ModLatch: 1, LatchGroup: true, GroupLatch: -1}).Marshal(o, nil),
		[]byte{130, 5, 0, 4, 1, 0, 2, 2, 1, 1, 1, 1, 0, 1, 0xff, 0xff})
	// xkbSelectEvents: a one-byte pair of details takes four bytes, as
	// libX11 sends it and X.Org reads it; the MapNotify details are in
	// the fixed part.
	check("SelectEvents", (&xkbSelectEvents{Major: 130, Device: 0x100, AffectWhich: 1<<xkbMapNotify | 1<<xkbStateNotify | 1<<xkbBellNotify,
		AffectMap: 7, Map: 7, Details: []xkbEventDetails{{0x3fff, 0x3fff}, {1, 1}}}).Marshal(o, nil),
		[]byte{130, 1, 0, 6, 1, 0, 1, 0x06, 0, 0, 0, 0, 0, 7, 0, 7, 0x3f, 0xff, 0x3f, 0xff, 1, 1, 0, 0})
	// xkbGetControlsReply: 92 bytes; enabledCtrls at 56, perKeyRepeat at 60.
	b := (&xkbGetControlsReply{Sequence: 1, Device: 3, NumGroups: 1, xkbControls: xkbControls{RepeatDelay: 660, RepeatInterval: 40,
		AccessXTimeoutMask: 0x1e, Enabled: 0x201, PerKeyRepeat: [32]byte{0: 0xaa, 31: 0x55}}}).Marshal(o, nil)
	if len(b) != 92 || o.U32(b[4:]) != 15 || o.U16(b[20:]) != 660 || o.U16(b[22:]) != 40 || o.U32(b[48:]) != 0x1e || o.U32(b[56:]) != 0x201 || b[60] != 0xaa || b[91] != 0x55 || b[9] != 1 {
		t.Errorf("GetControlsReply: % x", b)
	}
	// xkbGetMapReply: the 40-byte header, then the types.
	b = (&xkbGetMapReply{Sequence: 1, Device: 3, MinKeycode: 8, MaxKeycode: 255, Present: xkbKeyTypes, TotalTypes: 4,
		xkbMapParts: xkbMapParts{NTypes: 1}, Types: []xkbKeyType{{Mask: 1, RealMods: 1, Levels: 2, Entries: []xkbTypeEntry{{Active: true, Mask: 1, Level: 1, RealMods: 1}}}}}).Marshal(o, nil)
	check("GetMapReply", b, []byte{1, 3, 0, 1, 0, 0, 0, 6, 0, 0, 8, 255, 0, 1, 0, 1, 4, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		1, 1, 0, 0, 2, 1, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0})
}

// TestXkbSymbols checks how core keysyms become XKB key types and levels.
func TestXkbSymbols(t *testing.T) {
	for _, c := range []struct {
		core  [2]uint32
		kt    uint8
		width uint8
		syms  [2]uint32
	}{
		{[2]uint32{0, 0}, typeOneLevel, 0, [2]uint32{}},
		{[2]uint32{xkEscape, 0}, typeOneLevel, 1, [2]uint32{xkEscape}},
		{[2]uint32{'q', 'Q'}, typeAlphabetic, 2, [2]uint32{'q', 'Q'}},
		{[2]uint32{'1', '!'}, typeTwoLevel, 2, [2]uint32{'1', '!'}},
		{[2]uint32{0xe9, 0}, typeAlphabetic, 2, [2]uint32{0xe9, 0xc9}},                // eacute alone: é, É
		{[2]uint32{'A', 0}, typeAlphabetic, 2, [2]uint32{'a', 'A'}},                   // a lone capital too
		{[2]uint32{0xe9, 0xe9}, typeTwoLevel, 2, [2]uint32{0xe9, 0xe9}},               // the same keysym twice, as xkeyboard-config has BackSpace
		{[2]uint32{0xffae, 0xffae}, typeKeypad, 2, [2]uint32{0xffae, 0xffae}},         // KP_Decimal
		{[2]uint32{0xff95, 0xffb7}, typeKeypad, 2, [2]uint32{0xff95, 0xffb7}},         // KP_Home, KP_7
		{[2]uint32{0x1000439, 0}, typeAlphabetic, 2, [2]uint32{0x1000439, 0x1000419}}, // U+0439, U+0419
		{[2]uint32{0x10020ac, 0}, typeOneLevel, 1, [2]uint32{0x10020ac}},              // the euro sign has no case
		{[2]uint32{xkAltL, xkMetaL}, typeTwoLevel, 2, [2]uint32{xkAltL, xkMetaL}},
		{[2]uint32{0, 'x'}, typeTwoLevel, 2, [2]uint32{0, 'x'}},
		{[2]uint32{'a', 'B'}, typeTwoLevel, 2, [2]uint32{'a', 'B'}}, // not a case pair
	} {
		kt, width, syms := xkbSymbols(c.core)
		if kt != c.kt || width != c.width || syms != c.syms {
			t.Errorf("%#x: type %d width %d syms %#x, want %d %d %#x", c.core, kt, width, syms, c.kt, c.width, c.syms)
		}
	}
}

// coreLevels is the core protocol's reading of a key's two keysyms (the
// protocol's "Keyboards" section): what Shift off and on give.
func coreLevels(row [2]uint32) [2]uint32 {
	if row[1] == 0 {
		if lower, upper := keysymCase(row[0]); lower != upper {
			return [2]uint32{lower, upper}
		}
		return [2]uint32{row[0], row[0]}
	}
	return row
}

// TestXkbAgreesWithCoreMap: for every key, the symbols XKB gives without
// and with Shift (in the key type's own terms) are those the core map
// gives, and the modifier map is the core one; after the map changes too.
func TestXkbAgreesWithCoreMap(t *testing.T) {
	s := New(Config{Width: 100, Height: 100, Logf: func(string, ...any) {}})
	k := &s.input.kbd
	check := func() {
		t.Helper()
		m := newXkbKeymap(k)
		for kc := minKeycode; kc <= maxKeycode; kc++ {
			key := m.keys[kc]
			want := coreLevels(k.syms[kc])
			var got [2]uint32
			if key.width > 0 {
				wt := m.wireType(&keyTypes[key.kt])
				for shift := range 2 {
					level := 0
					for _, e := range wt.Entries {
						if e.Active && e.Mask == uint8(shift)&wt.Mask {
							level = int(e.Level)
						}
					}
					if level < int(key.width) {
						got[shift] = key.syms[level]
					}
				}
			}
			// The keypad's Shift does not select Number (xkeyboard-config's
			// KEYPAD), where the core map's would: compare the first level.
			if key.kt == typeKeypad {
				got[1], want[1] = 0, 0
			}
			if got != want {
				t.Errorf("keycode %d (core %#x): XKB gives %#x, core %#x", kc, k.syms[kc], got, want)
			}
			if key.mods != k.modsOf(uint8(kc)) {
				t.Errorf("keycode %d: XKB modifiers %#x, core %#x", kc, key.mods, k.modsOf(uint8(kc)))
			}
		}
	}
	check()
	k.syms[8] = [2]uint32{0xe9, 0}
	k.syms[9] = [2]uint32{'x', 'x'}
	k.modifiers[5] = []uint8{8, 0}
	check()
}

// TestXkbMapNotifyParts: a change of the core map is reported as the
// parts of the XKB map it changed, and nothing else.
func TestXkbMapNotifyParts(t *testing.T) {
	s := New(Config{Width: 100, Height: 100, Logf: func(string, ...any) {}})
	s.xkbSetup()
	var got []xkbMapNotifyEvent
	watcher := &client{s: s, order: protocol.LSBFirst, xkb: xkbClient{using: true}}
	watcher.xkb.selected[xkbMapNotify] = xkbAllMapParts
	s.clients[1] = watcher
	take := func() []xkbMapNotifyEvent {
		got = got[:0]
		for b := watcher.out; len(b) >= 32; b = b[32:] {
			var e xkbMapNotifyEvent
			if err := e.Unmarshal(protocol.LSBFirst, b[:32]); err != nil || b[1] != xkbMapNotify {
				t.Fatalf("not a MapNotify: % x", b[:32])
			}
			got = append(got, e)
		}
		watcher.out = watcher.out[:0]
		return got
	}
	k := &s.input.kbd

	k.syms[8] = [2]uint32{0xe9, 0}
	s.xkbKeymapChanged(8, 1)
	if e := take(); len(e) != 1 || e[0].Changed != xkbKeySyms || e[0].FirstKeySym != 8 || e[0].NKeySyms != 1 {
		t.Errorf("new keysym on keycode 8: %+v", e)
	}
	s.xkbKeymapChanged(8, 1)
	if e := take(); len(e) != 0 {
		t.Errorf("no change: %+v", e)
	}
	// Num_Lock moves from mod2 to mod3: the modifier map, NumLock's
	// binding and so the KEYPAD type change; the symbols do not.
	k.modifiers[4], k.modifiers[5] = []uint8{0, 0}, []uint8{77, 0}
	s.xkbKeymapChanged(minKeycode, maxKeycode-minKeycode+1)
	e := take()
	if len(e) != 1 || e[0].Changed != xkbModifierMap|xkbVirtualMods|xkbKeyTypes || e[0].FirstModMapKey != 77 || e[0].NModMapKeys != 1 ||
		e[0].VirtualMods != 1<<vmodNumLock || e[0].FirstType != typeKeypad || e[0].NTypes != 1 {
		t.Errorf("Num_Lock to mod3: %+v", e)
	}
	if m := s.input.xkb.keymap.wireType(&keyTypes[typeKeypad]); m.Mask != shiftMask|1<<5 {
		t.Errorf("KEYPAD's mask is %#x, want Shift|Mod3", m.Mask)
	}
}

// FuzzXkbWire decodes arbitrary bytes as every XKB message: nothing may
// panic, and what decodes encodes back to bytes that decode the same.
func FuzzXkbWire(f *testing.F) {
	for _, s := range xkbSamples() {
		f.Add(s.m.Marshal(protocol.LSBFirst, nil))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, o := range byteOrders {
			for _, s := range xkbSamples() {
				m := reflect.New(reflect.TypeOf(s.m).Elem()).Interface().(xkbMessage)
				if m.Unmarshal(o, in) != nil {
					continue
				}
				b := m.Marshal(o, nil)
				again := reflect.New(reflect.TypeOf(s.m).Elem()).Interface().(xkbMessage)
				if err := again.Unmarshal(o, b); err != nil {
					t.Fatalf("%T: re-encoded message does not decode: %v", m, err)
				}
				if !reflect.DeepEqual(m, again) {
					t.Fatalf("%T: decode, encode, decode changed it:\n%+v\n%+v", m, m, again)
				}
			}
		}
	})
}

// FuzzXkbRequests sends arbitrary XKB requests, after UseExtension, to a
// live server in both byte orders: nothing may panic or hang, and the
// keyboard map stays one GetMap can describe.
func FuzzXkbRequests(f *testing.F) {
	for _, s := range xkbSamples() {
		if s.kind != 'q' {
			continue
		}
		b := s.m.Marshal(protocol.LSBFirst, nil)
		f.Add(append([]byte{b[1], byte(len(b)/4 - 1)}, b[4:]...))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		s := fuzzSetup(t)
		for _, o := range byteOrders {
			conn := fuzzConn(t, s, o)
			stream := (&xkbUseExtension{Major: xkbMajor, WantedMajor: 1}).Marshal(o, nil)
			n := 1
			for rest := in; len(rest) >= 2; n++ {
				minor, words := rest[0], int(rest[1]%32)
				rest = rest[2:]
				body := min(4*words, len(rest)) &^ 3
				stream = append(stream, xkbMajor, minor, 0, 0)
				o.PutU16(stream[len(stream)-2:], uint16(1+body/4))
				stream = append(stream, rest[:body]...)
				rest = rest[body:]
			}
			stream = (&xkbGetMap{Major: xkbMajor, Device: xkbUseCoreKbd, Full: xkbAllMapParts}).Marshal(o, stream)
			done := make(chan error, 1)
			go func() {
				_, err := conn.Write(stream)
				done <- err
			}()
			want := uint16(n + 1)
			for {
				m := make([]byte, 32)
				if _, err := io.ReadFull(conn, m); err != nil {
					t.Fatalf("connection lost: %v", err)
				}
				if m[0] != 1 {
					continue
				}
				extra := make([]byte, 4*int(o.U32(m[4:])))
				if _, err := io.ReadFull(conn, extra); err != nil {
					t.Fatalf("connection lost: %v", err)
				}
				if o.U16(m[2:]) == want {
					var rep xkbGetMapReply
					if err := rep.Unmarshal(o, append(m, extra...)); err != nil || len(rep.Syms) != maxKeycode-minKeycode+1 {
						t.Fatalf("GetMap after the requests: %v, %d keys", err, len(rep.Syms))
					}
					break
				}
			}
			conn.Close()
			<-done
		}
	})
}
