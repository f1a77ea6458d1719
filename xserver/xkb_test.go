//go:build linux

package xserver_test

// XKEYBOARD: the protocol against Xvfb's, request by request, and the
// clients that need it (xdotool, and Xlib's key translation in xev and
// xterm) against netdisplay.

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"netdisplay/internal/peer"
	"netdisplay/protocol"
	"netdisplay/xserver"
)

type unmarshaler[T any] interface {
	*T
	Unmarshal(protocol.ByteOrder, []byte) error
}

// xkbCall sends an XKB request and decodes its reply.
func xkbCall[T any, PT unmarshaler[T]](t *testing.T, r *rawConn, req protocol.Request) *T {
	t.Helper()
	m, _, err := r.reply(req)
	if err != nil {
		t.Fatalf("%T: %v", req, err)
	}
	rep := PT(new(T))
	if err := rep.Unmarshal(r.o, m); err != nil {
		t.Fatalf("%T: %v", rep, err)
	}
	return rep
}

// xkbOpen connects, finds XKEYBOARD and starts using it.
func xkbOpen(t *testing.T, display string, o protocol.ByteOrder) (*rawConn, uint8) {
	t.Helper()
	r := dialRaw(t, display, o)
	m, _, err := r.reply(&protocol.QueryExtension{Name: []byte("XKEYBOARD")})
	if err != nil {
		t.Fatal(err)
	}
	var q protocol.QueryExtensionReply
	if err := q.Unmarshal(o, m); err != nil || !q.Present {
		t.Fatalf("XKEYBOARD on %s: %v, present %v", display, err, q.Present)
	}
	use := xkbCall[xserver.XkbUseExtensionReply](t, r, &xserver.XkbUseExtension{Major: q.MajorOpcode, WantedMajor: 1})
	if !use.Supported || use.ServerMajor != 1 {
		t.Fatalf("UseExtension 1.0 on %s: %+v", display, use)
	}
	return r, q.MajorOpcode
}

func atomName(t *testing.T, r *rawConn, a uint32) string {
	t.Helper()
	if a == 0 {
		return ""
	}
	m, _, err := r.reply(&protocol.GetAtomName{Atom: protocol.Atom(a)})
	if err != nil {
		t.Fatal(err)
	}
	var rep protocol.GetAtomNameReply
	rep.Unmarshal(r.o, m)
	return string(rep.Name)
}

func atomNames(t *testing.T, r *rawConn, atoms []uint32) []string {
	var names []string
	for _, a := range atoms {
		names = append(names, atomName(t, r, a))
	}
	return names
}

// TestXkbMatchesXvfb asks netdisplay and Xvfb the same XKB questions in
// both byte orders, and compares what must agree: the state, the controls'
// defaults, the canonical key types, the keys both keyboards have alike,
// the modifier and virtual modifier maps, the names and the indicators.
func TestXkbMatchesXvfb(t *testing.T) {
	peer.Need(t, "Xvfb")
	ours, _ := startServer(t, 640, 480)
	xvfb := peer.Xvfb(t, 640, 480)
	for _, o := range []protocol.ByteOrder{protocol.LSBFirst, protocol.MSBFirst} {
		t.Run(o.String(), func(t *testing.T) {
			nd, ndMajor := xkbOpen(t, ours, o)
			xv, xvMajor := xkbOpen(t, xvfb, o)
			ask := func(f func(r *rawConn, major uint8) any) (any, any) { return f(nd, ndMajor), f(xv, xvMajor) }

			a, b := ask(func(r *rawConn, major uint8) any {
				return xkbCall[xserver.XkbGetStateReply](t, r, &xserver.XkbDeviceRequest{Major: major, Minor: xserver.XkbGetStateOp, Device: xserver.XkbUseCoreKbd})
			})
			sa, sb := a.(*xserver.XkbGetStateReply), b.(*xserver.XkbGetStateReply)
			sa.Sequence, sb.Sequence = 0, 0
			if *sa != *sb {
				t.Errorf("GetState: ours %+v, Xvfb's %+v", sa, sb)
			}

			a, b = ask(func(r *rawConn, major uint8) any {
				return xkbCall[xserver.XkbGetControlsReply](t, r, &xserver.XkbDeviceRequest{Major: major, Minor: xserver.XkbGetControlsOp, Device: xserver.XkbUseCoreKbd})
			})
			ca, cb := a.(*xserver.XkbGetControlsReply), b.(*xserver.XkbGetControlsReply)
			type params struct {
				Device, NumGroups, DfltBtn                           uint8
				Delay, Interval, Slow, Debounce, MKDelay, MKInterval uint16
				MKTime, MKSpeed                                      uint16
				MKCurve                                              int16
				AXOptions, AXTimeout, AXOptsMask                     uint16
				AXMask                                               uint32
			}
			pa := params{ca.Device, ca.NumGroups, ca.MouseKeysDfltBtn, ca.RepeatDelay, ca.RepeatInterval, ca.SlowKeysDelay, ca.DebounceDelay,
				ca.MouseKeysDelay, ca.MouseKeysInterval, ca.MouseKeysTimeToMax, ca.MouseKeysMaxSpeed, ca.MouseKeysCurve, ca.AccessXOptions, ca.AccessXTimeout, ca.AccessXTimeoutOptsMask, ca.AccessXTimeoutMask}
			pb := params{cb.Device, cb.NumGroups, cb.MouseKeysDfltBtn, cb.RepeatDelay, cb.RepeatInterval, cb.SlowKeysDelay, cb.DebounceDelay,
				cb.MouseKeysDelay, cb.MouseKeysInterval, cb.MouseKeysTimeToMax, cb.MouseKeysMaxSpeed, cb.MouseKeysCurve, cb.AccessXOptions, cb.AccessXTimeout, cb.AccessXTimeoutOptsMask, cb.AccessXTimeoutMask}
			if pa != pb {
				t.Errorf("GetControls:\n ours  %+v\n Xvfb's %+v", pa, pb)
			}
			if ca.Enabled&^cb.Enabled != 0 || ca.Enabled&xserver.XkbRepeatKeys == 0 {
				t.Errorf("enabled controls: ours %#x, Xvfb's %#x", ca.Enabled, cb.Enabled)
			}

			parts := uint16(xserver.XkbKeyTypes | xserver.XkbKeySyms | xserver.XkbModifierMap | xserver.XkbVirtualMods | xserver.XkbVirtualModMap)
			a, b = ask(func(r *rawConn, major uint8) any {
				return xkbCall[xserver.XkbGetMapReply](t, r, &xserver.XkbGetMap{Major: major, Device: xserver.XkbUseCoreKbd, Full: parts})
			})
			ma, mb := a.(*xserver.XkbGetMapReply), b.(*xserver.XkbGetMapReply)
			if ma.Present != parts || mb.Present != parts || ma.MinKeycode != mb.MinKeycode || ma.MaxKeycode != mb.MaxKeycode || len(ma.Syms) != len(mb.Syms) {
				t.Fatalf("GetMap: ours present %#x keys %d..%d (%d), Xvfb's %#x %d..%d (%d)", ma.Present, ma.MinKeycode, ma.MaxKeycode, len(ma.Syms), mb.Present, mb.MinKeycode, mb.MaxKeycode, len(mb.Syms))
			}
			if !reflect.DeepEqual(ma.Types, mb.Types[:4]) {
				t.Errorf("the canonical types:\n ours  %+v\n Xvfb's %+v", ma.Types, mb.Types[:4])
			}
			// Keys with the same two core keysyms on both servers, which
			// Xvfb gives one of the canonical types, must be alike.
			coreA, coreB := coreMap(t, nd), coreMap(t, xv)
			alike := 0
			for i := range ma.Syms {
				kc := int(ma.FirstKeySym) + i
				if coreA[kc] != coreB[kc] || mb.Syms[i].Types[0] >= 4 {
					continue
				}
				alike++
				if !reflect.DeepEqual(ma.Syms[i], mb.Syms[i]) {
					t.Errorf("keycode %d %#x: ours %+v, Xvfb's %+v", kc, coreA[kc], ma.Syms[i], mb.Syms[i])
				}
			}
			if alike < 40 {
				t.Errorf("only %d keys to compare", alike)
			}
			modsB := map[uint8]uint8{}
			for _, k := range mb.ModMap {
				modsB[k.Key] = k.Value
			}
			for _, k := range ma.ModMap {
				if modsB[k.Key] != k.Value {
					t.Errorf("modifier map: keycode %d has %#x, on Xvfb %#x", k.Key, k.Value, modsB[k.Key])
				}
			}
			vmodsB := map[uint8]uint16{}
			for _, k := range mb.VModMap {
				if o == protocol.MSBFirst {
					// X.Org sends the virtual modifier map in its own
					// byte order whatever the client's (XkbWriteVirtualModMap).
					k.VMods = k.VMods>>8 | k.VMods<<8
				}
				vmodsB[k.Key] = k.VMods
			}
			for _, k := range ma.VModMap {
				if vmodsB[k.Key] != k.VMods {
					t.Errorf("virtual modifier map: keycode %d has %#x, on Xvfb %#x", k.Key, k.VMods, vmodsB[k.Key])
				}
			}
			// NumLock, Alt, AltGr, Meta and Super are bound as on Xvfb.
			for _, v := range []int{0, 1, 9, 10, 11} {
				if ma.VModMasks[v] != mb.VModMasks[v] {
					t.Errorf("virtual modifier %d: ours %#x, Xvfb's %#x", v, ma.VModMasks[v], mb.VModMasks[v])
				}
			}

			which := uint32(xserver.XkbKeyTypeNames | xserver.XkbKTLevelNames | xserver.XkbIndicatorNames | xserver.XkbKeyNames | xserver.XkbVirtualModNames | xserver.XkbGroupNames)
			a, b = ask(func(r *rawConn, major uint8) any {
				return xkbCall[xserver.XkbGetNamesReply](t, r, &xserver.XkbWhichRequest{Major: major, Minor: xserver.XkbGetNamesOp, Device: xserver.XkbUseCoreKbd, Which: which})
			})
			na, nb := a.(*xserver.XkbGetNamesReply), b.(*xserver.XkbGetNamesReply)
			if got, want := atomNames(t, nd, na.TypeNames), atomNames(t, xv, nb.TypeNames[:4]); !reflect.DeepEqual(got, want) {
				t.Errorf("type names: ours %q, Xvfb's %q", got, want)
			}
			if got, want := atomNames(t, nd, na.LevelNames), atomNames(t, xv, nb.LevelNames[:7]); !reflect.DeepEqual(got, want) || !reflect.DeepEqual(na.LevelCounts, nb.LevelCounts[:4]) {
				t.Errorf("level names: ours %q %v, Xvfb's %q %v", got, na.LevelCounts, want, nb.LevelCounts[:4])
			}
			if got, want := atomNames(t, nd, na.IndicatorNames), atomNames(t, xv, nb.IndicatorNames[:3]); na.Indicators != 7 || !reflect.DeepEqual(got, want) {
				t.Errorf("indicator names: ours %#x %q, Xvfb's %q", na.Indicators, got, want)
			}
			if got, want := atomNames(t, nd, na.GroupNameList), atomNames(t, xv, nb.GroupNameList); !reflect.DeepEqual(got, want) {
				t.Errorf("group names: ours %q, Xvfb's %q", got, want)
			}
			namesB := map[int]string{}
			for i, v := 0, 0; v < 16; v++ {
				if nb.VirtualMods&(1<<v) != 0 {
					namesB[v] = atomName(t, xv, nb.VModNames[i])
					i++
				}
			}
			for i, v := 0, 0; v < 16; v++ {
				if na.VirtualMods&(1<<v) != 0 {
					if n := atomName(t, nd, na.VModNames[i]); n != namesB[v] {
						t.Errorf("virtual modifier %d: ours %q, Xvfb's %q", v, n, namesB[v])
					}
					i++
				}
			}
			if na.FirstKey != nb.FirstKey || len(na.KeyNames) != len(nb.KeyNames) {
				t.Fatalf("key names: ours from %d (%d), Xvfb's from %d (%d)", na.FirstKey, len(na.KeyNames), nb.FirstKey, len(nb.KeyNames))
			}
			for i := range na.KeyNames {
				if na.KeyNames[i] != nb.KeyNames[i] {
					t.Errorf("keycode %d is named %q, on Xvfb %q", int(na.FirstKey)+i, na.KeyNames[i], nb.KeyNames[i])
				}
			}

			// Num Lock and Scroll Lock follow the locked state as on Xvfb.
			// (Caps Lock also follows Lock held down: the viewers hold it.)
			a, b = ask(func(r *rawConn, major uint8) any {
				return xkbCall[xserver.XkbGetIndicatorMapReply](t, r, &xserver.XkbWhichRequest{Major: major, Minor: xserver.XkbGetIndicatorMapOp, Device: xserver.XkbUseCoreKbd, Which: 0x6})
			})
			if ia, ib := a.(*xserver.XkbGetIndicatorMapReply), b.(*xserver.XkbGetIndicatorMapReply); !reflect.DeepEqual(ia.Maps, ib.Maps) {
				t.Errorf("indicator maps: ours %+v, Xvfb's %+v", ia.Maps, ib.Maps)
			}
			a, b = ask(func(r *rawConn, major uint8) any {
				return xkbCall[xserver.XkbGetCompatMapReply](t, r, &xserver.XkbGetCompatMap{Major: major, Device: xserver.XkbUseCoreKbd, Groups: 1})
			})
			if ga, gb := a.(*xserver.XkbGetCompatMapReply), b.(*xserver.XkbGetCompatMapReply); !reflect.DeepEqual(ga.GroupMaps, gb.GroupMaps) {
				t.Errorf("group 1's compatibility map: ours %+v, Xvfb's %+v", ga.GroupMaps, gb.GroupMaps)
			}
		})
	}
}

// coreMap is the first two keysyms of every keycode, from GetKeyboardMapping.
func coreMap(t *testing.T, r *rawConn) map[int][2]uint32 {
	t.Helper()
	m, _, err := r.reply(&protocol.GetKeyboardMapping{FirstKeycode: 8, Count: 248})
	if err != nil {
		t.Fatal(err)
	}
	var rep protocol.GetKeyboardMappingReply
	if err := rep.Unmarshal(r.o, m); err != nil {
		t.Fatal(err)
	}
	per := int(rep.KeysymsPerKeycode)
	out := map[int][2]uint32{}
	for i := range 248 {
		out[8+i] = [2]uint32{uint32(rep.Keysyms[i*per]), uint32(rep.Keysyms[i*per+1])}
	}
	return out
}

// xkbEvents returns the XKB events among msgs, by XKB event type.
func xkbEvents(msgs [][]byte) map[uint8][][]byte {
	evs := map[uint8][][]byte{}
	for _, m := range msgs {
		if m[0]&0x7f == xserver.XkbEventBase {
			evs[m[1]] = append(evs[m[1]], m)
		}
	}
	return evs
}

// TestXkbRequests runs the XKB requests on netdisplay in both byte orders:
// their errors, and the events the changes they make send.
func TestXkbRequests(t *testing.T) {
	display, _ := startServer(t, 640, 480)
	for _, o := range []protocol.ByteOrder{protocol.LSBFirst, protocol.MSBFirst} {
		t.Run(o.String(), func(t *testing.T) { testXkbRequests(t, display, o) })
	}
}

func testXkbRequests(t *testing.T, display string, o protocol.ByteOrder) {
	const major = xserver.XkbMajor
	kbd := uint16(xserver.XkbUseCoreKbd)
	wantError := func(r *rawConn, req protocol.Request, code uint8, value uint32) {
		t.Helper()
		_, _, err := r.reply(req)
		var xe *protocol.Error
		if !errors.As(err, &xe) || xe.Code != code || xe.MajorOpcode != major || code != protocol.BadLength && xe.BadValue != value {
			t.Errorf("%T: %v, want error %d value %#x", req, err, code, value)
		}
	}
	getState := &xserver.XkbDeviceRequest{Major: major, Minor: xserver.XkbGetStateOp, Device: kbd}

	// Before UseExtension, and with a version it does not have.
	r := dialRaw(t, display, o)
	wantError(r, getState, protocol.BadAccess, 0)
	if use := xkbCall[xserver.XkbUseExtensionReply](t, r, &xserver.XkbUseExtension{Major: major, WantedMajor: 2}); use.Supported {
		t.Errorf("UseExtension 2.0 supported: %+v", use)
	}
	wantError(r, getState, protocol.BadAccess, 0)

	r, _ = xkbOpen(t, display, o)
	watch, _ := xkbOpen(t, display, o)
	wantError(r, &xserver.XkbDeviceRequest{Major: major, Minor: 2, Device: kbd}, protocol.BadRequest, 0)
	wantError(r, &xserver.XkbDeviceRequest{Major: major, Minor: xserver.XkbSetMapOp, Device: kbd}, protocol.BadImplementation, 0)
	wantError(r, &xserver.XkbDeviceRequest{Major: major, Minor: xserver.XkbGetStateOp, Device: 7}, xserver.XkbErrorBase, 0xff000007)
	wantError(r, &xserver.XkbGetMap{Major: major, Device: kbd, Full: xserver.XkbKeySyms, Partial: xserver.XkbKeySyms | xserver.XkbKeyTypes}, protocol.BadMatch, 0)
	getMap := func(device, partial uint16, set func(*xserver.XkbGetMap)) *xserver.XkbGetMap {
		g := &xserver.XkbGetMap{Major: major, Device: device, Partial: partial}
		set(g)
		return g
	}
	wantError(r, getMap(kbd, xserver.XkbKeySyms, func(g *xserver.XkbGetMap) { g.FirstKeySym, g.NKeySyms = 250, 10 }), protocol.BadValue, 250)
	wantError(r, getMap(kbd, xserver.XkbKeyTypes, func(g *xserver.XkbGetMap) { g.FirstType, g.NTypes = 3, 2 }), protocol.BadValue, 3)
	// A request a word too long, and details cut short.
	long := (&xserver.XkbDeviceRequest{Major: major, Minor: xserver.XkbGetStateOp, Device: kbd}).Marshal(o, nil)
	long = append(long, 0, 0, 0, 0)
	o.PutU16(long[2:], 3)
	r.sendBytes(long)
	short := (&xserver.XkbSelectEvents{Major: major, Device: kbd, AffectWhich: 1 << xserver.XkbStateNotify}).Marshal(o, nil)
	r.sendBytes(short)
	for i, m := range r.sync() {
		if e := r.xerror(m); e == nil || e.Code != protocol.BadLength || e.MajorOpcode != major {
			t.Errorf("malformed request %d: % x, want BadLength", i, m)
		}
	}

	// watch selects every detail of the events the server sends.
	all := uint16(1<<xserver.XkbStateNotify | 1<<xserver.XkbControlsNotify | 1<<xserver.XkbIndicatorStateNotify | 1<<xserver.XkbIndicatorMapNotify |
		1<<xserver.XkbNamesNotify | 1<<xserver.XkbBellNotify | 1<<xserver.XkbMapNotify)
	watch.send(&xserver.XkbSelectEvents{Major: major, Device: kbd, AffectWhich: all, SelectAll: all, AffectMap: xserver.XkbAllMapParts, Map: xserver.XkbAllMapParts})
	if msgs := watch.sync(); len(msgs) != 0 {
		t.Fatalf("SelectEvents: % x", msgs)
	}
	events := func() map[uint8][][]byte {
		t.Helper()
		r.sync()
		return xkbEvents(watch.sync())
	}
	pointerMask := func() uint16 {
		m, _, err := r.reply(&protocol.QueryPointer{Window: protocol.Window(r.root())})
		if err != nil {
			t.Fatal(err)
		}
		var q protocol.QueryPointerReply
		q.Unmarshal(o, m)
		return q.Mask
	}

	// Lock Lock: the state, the events, the core state and Caps Lock.
	r.send(&xserver.XkbLatchLockState{Major: major, Device: kbd, AffectModLocks: 2, ModLocks: 2})
	ev := events()
	var sn xserver.XkbStateNotifyEvent
	if len(ev[xserver.XkbStateNotify]) != 1 || sn.Unmarshal(o, ev[xserver.XkbStateNotify][0]) != nil ||
		sn.LockedMods != 2 || sn.Mods != 2 || sn.Changed&xserver.XkbModifierLock == 0 || sn.RequestMajor != major || sn.RequestMinor != 5 {
		t.Errorf("StateNotify after locking Lock: %+v (%d)", sn, len(ev[xserver.XkbStateNotify]))
	}
	var in xserver.XkbIndicatorNotifyEvent
	if len(ev[xserver.XkbIndicatorStateNotify]) != 1 || in.Unmarshal(o, ev[xserver.XkbIndicatorStateNotify][0]) != nil || in.State&1 == 0 || in.Changed != 1 {
		t.Errorf("IndicatorStateNotify after locking Lock: %+v", in)
	}
	if st := xkbCall[xserver.XkbGetStateReply](t, r, getState); st.LockedMods != 2 || st.Mods != 2 || st.BaseMods != 0 || st.LookupMods != 2 {
		t.Errorf("GetState with Lock locked: %+v", st)
	}
	if m := pointerMask(); m&2 == 0 {
		t.Errorf("the core state with Lock locked is %#x", m)
	}
	capsLock := func() *xserver.XkbGetNamedIndicatorReply {
		a, _, _ := r.reply(&protocol.InternAtom{Name: []byte("Caps Lock")})
		var ia protocol.InternAtomReply
		ia.Unmarshal(o, a)
		return xkbCall[xserver.XkbGetNamedIndicatorReply](t, r, &xserver.XkbGetNamedIndicator{Major: major, Device: kbd, LedClass: 0x300, LedID: 0x400, Indicator: uint32(ia.Atom)})
	}
	if ci := capsLock(); !ci.Found || !ci.On || ci.Index != 0 || ci.Map.Mods != 2 {
		t.Errorf("Caps Lock with Lock locked: %+v", ci)
	}
	r.send(&xserver.XkbLatchLockState{Major: major, Device: kbd, AffectModLocks: 2})
	events()
	if m := pointerMask(); m&2 != 0 {
		t.Errorf("the core state with Lock unlocked is %#x", m)
	}
	if ci := capsLock(); ci.On {
		t.Errorf("Caps Lock with Lock unlocked: %+v", ci)
	}
	wantError(r, &xserver.XkbLatchLockState{Major: major, Device: kbd, AffectModLocks: 1, ModLocks: 3}, protocol.BadMatch, 0)

	// Indicators set by name: Scroll Lock can be lit explicitly, which
	// is the core protocol's LED 3; Caps Lock cannot. A new name takes
	// a free indicator, and its map lights it.
	intern := func(name string) uint32 {
		a, _, _ := r.reply(&protocol.InternAtom{Name: []byte(name)})
		var ia protocol.InternAtomReply
		ia.Unmarshal(o, a)
		return uint32(ia.Atom)
	}
	ledState := func() uint32 {
		return xkbCall[xserver.XkbGetIndicatorStateReply](t, r, &xserver.XkbDeviceRequest{Major: major, Minor: xserver.XkbGetIndicatorStateOp, Device: kbd}).State
	}
	coreLeds := func() uint32 {
		return xkbCall[protocol.GetKeyboardControlReply](t, r, &protocol.GetKeyboardControl{}).LedMask
	}
	r.send(&xserver.XkbSetNamedIndicator{Major: major, Device: kbd, LedClass: 0x300, LedID: 0x400, Indicator: intern("Scroll Lock"), SetState: true, On: true},
		&xserver.XkbSetNamedIndicator{Major: major, Device: kbd, LedClass: 0x300, LedID: 0x400, Indicator: intern("Caps Lock"), SetState: true, On: true})
	ev = events()
	if s := ledState(); s != 4 || coreLeds()&4 == 0 || len(ev[xserver.XkbIndicatorStateNotify]) != 1 {
		t.Errorf("Scroll Lock and Caps Lock set on: state %#x, core LEDs %#x, %d events", s, coreLeds(), len(ev[xserver.XkbIndicatorStateNotify]))
	}
	r.send(&xserver.XkbSetNamedIndicator{Major: major, Device: kbd, LedClass: 0x300, LedID: 0x400, Indicator: intern("Scroll Lock"), SetState: true})
	events()
	mail := &xserver.XkbSetNamedIndicator{Major: major, Device: kbd, LedClass: 0x300, LedID: 0x400, Indicator: intern("Mail " + o.String()), SetMap: true, CreateMap: true}
	mail.Map.WhichMods, mail.Map.RealMods = 4, 1 // Shift, locked
	r.send(mail)
	ev = events()
	var nn xserver.XkbNamesNotifyEvent
	if len(ev[xserver.XkbNamesNotify]) != 1 || nn.Unmarshal(o, ev[xserver.XkbNamesNotify][0]) != nil || nn.ChangedIndicators < 8 || len(ev[xserver.XkbIndicatorMapNotify]) != 1 {
		t.Errorf("a new indicator: NamesNotify %+v, %d IndicatorMapNotify", nn, len(ev[xserver.XkbIndicatorMapNotify]))
	}
	r.send(&xserver.XkbLatchLockState{Major: major, Device: kbd, AffectModLocks: 1, ModLocks: 1})
	events()
	if s := ledState(); s != nn.ChangedIndicators {
		t.Errorf("the new indicator %#x with Shift locked: state %#x", nn.ChangedIndicators, s)
	}
	r.send(&xserver.XkbLatchLockState{Major: major, Device: kbd, AffectModLocks: 1}, &xserver.XkbSetIndicatorMap{Major: major, Device: kbd, Which: nn.ChangedIndicators, Maps: []xserver.XkbIndicatorMap{{}}})
	events()
	if s := ledState(); s != 0 {
		t.Errorf("the indicators after all is undone: %#x", s)
	}
	wantError(r, &xserver.XkbSetNamedIndicator{Major: major, Device: kbd, Indicator: 0}, protocol.BadAtom, 0)
	wantError(r, &xserver.XkbSetNamedIndicator{Major: major, Device: kbd, LedClass: 4, Indicator: intern("Mail")}, xserver.XkbErrorBase, 0xfe000004)

	// Latch Shift: the next key that is not a modifier uses it up.
	r.send(&xserver.XkbLatchLockState{Major: major, Device: kbd, AffectModLatches: 1, ModLatch: 1})
	events()
	if m := pointerMask(); m&1 == 0 {
		t.Errorf("the core state with Shift latched is %#x", m)
	}
	r.send(&protocol.XTestFakeInput{Major: 129, Type: protocol.KeyPress, Detail: 38}, &protocol.XTestFakeInput{Major: 129, Type: protocol.KeyRelease, Detail: 38})
	ev = events()
	if len(ev[xserver.XkbStateNotify]) != 1 || sn.Unmarshal(o, ev[xserver.XkbStateNotify][0]) != nil ||
		sn.LatchedMods != 0 || sn.Changed&xserver.XkbModifierLatch == 0 || sn.Keycode != 38 || sn.EventType != protocol.KeyPress {
		t.Errorf("StateNotify after a key used the latch: %+v (%d)", sn, len(ev[xserver.XkbStateNotify]))
	}
	if m := pointerMask(); m&1 != 0 {
		t.Errorf("the core state after the latch was used is %#x", m)
	}

	// A new keysym on keycode 8: MapNotify with the keys' symbols, and
	// GetMap has them. A lone é is é and É.
	r.send(&protocol.ChangeKeyboardMapping{KeycodeCount: 1, FirstKeycode: 8, KeysymsPerKeycode: 1, Keysyms: []protocol.Keysym{0xe9}})
	ev = events()
	var mn xserver.XkbMapNotifyEvent
	if len(ev[xserver.XkbMapNotify]) != 1 || mn.Unmarshal(o, ev[xserver.XkbMapNotify][0]) != nil ||
		mn.Changed != xserver.XkbKeySyms || mn.FirstKeySym != 8 || mn.NKeySyms != 1 || mn.MinKeycode != 8 || mn.MaxKeycode != 255 {
		t.Errorf("MapNotify after ChangeKeyboardMapping: %+v", mn)
	}
	gm := xkbCall[xserver.XkbGetMapReply](t, r, getMap(3, xserver.XkbKeySyms, func(g *xserver.XkbGetMap) { g.FirstKeySym, g.NKeySyms = 8, 1 }))
	if len(gm.Syms) != 1 || gm.Syms[0].Types[0] != 2 || !reflect.DeepEqual(gm.Syms[0].Syms, []uint32{0xe9, 0xc9}) || gm.TotalSyms != 2 {
		t.Errorf("GetMap of keycode 8: %+v", gm.Syms)
	}

	// Keycode 8 becomes a modifier: the modifier map changed, the
	// symbols did not.
	m, _, err := r.reply(&protocol.GetModifierMapping{})
	if err != nil {
		t.Fatal(err)
	}
	var mm protocol.GetModifierMappingReply
	mm.Unmarshal(o, m)
	per := int(mm.KeycodesPerModifier)
	codes := make([]protocol.Keycode, len(mm.Keycodes)+8)
	for i := range 8 {
		copy(codes[i*(per+1):], mm.Keycodes[i*per:(i+1)*per])
	}
	codes[5*(per+1)+per] = 8 // mod3
	xkbCall[protocol.SetModifierMappingReply](t, r, &protocol.SetModifierMapping{KeycodesPerModifier: uint8(per + 1), Keycodes: codes})
	ev = events()
	if len(ev[xserver.XkbMapNotify]) != 1 || mn.Unmarshal(o, ev[xserver.XkbMapNotify][0]) != nil ||
		mn.Changed != xserver.XkbModifierMap || mn.FirstModMapKey != 8 || mn.NModMapKeys != 1 {
		t.Errorf("MapNotify after SetModifierMapping: %+v", mn)
	}
	xkbCall[protocol.SetModifierMappingReply](t, r, &protocol.SetModifierMapping{KeycodesPerModifier: mm.KeycodesPerModifier, Keycodes: mm.Keycodes})
	r.send(&protocol.ChangeKeyboardMapping{KeycodeCount: 1, FirstKeycode: 8, KeysymsPerKeycode: 1, Keysyms: []protocol.Keysym{0}})
	events()

	// The bell, rung by XKB and by the core protocol.
	r.send(&xserver.XkbBell{Major: major, Device: kbd, BellClass: 0x300, BellID: 0x400, Percent: 0})
	r.send(&protocol.Bell{Percent: -50})
	ev = events()
	var bells []xserver.XkbBellNotifyEvent
	for _, m := range ev[xserver.XkbBellNotify] {
		var bn xserver.XkbBellNotifyEvent
		bn.Unmarshal(o, m)
		bells = append(bells, bn)
	}
	if len(bells) != 2 || bells[0].Percent != 50 || bells[0].Pitch != 400 || bells[0].Duration != 100 || bells[1].Percent != 25 {
		t.Errorf("BellNotify: %+v", bells)
	}
	wantError(r, &xserver.XkbBell{Major: major, Device: kbd, ForceSound: true, EventOnly: true}, protocol.BadMatch, 0)
	wantError(r, &xserver.XkbBell{Major: major, Device: kbd, Percent: 101}, protocol.BadValue, 101)

	// Controls: the repeat rate is kept; SlowKeys cannot be turned on.
	sc := &xserver.XkbSetControls{Major: major, Device: kbd, AffectEnabled: xserver.XkbSlowKeys | xserver.XkbRepeatKeys, Change: xserver.XkbRepeatKeys}
	sc.Enabled, sc.RepeatDelay, sc.RepeatInterval = xserver.XkbSlowKeys|xserver.XkbRepeatKeys, 500, 30
	r.send(sc)
	ev = events()
	var cn xserver.XkbControlsNotifyEvent
	if len(ev[xserver.XkbControlsNotify]) != 1 || cn.Unmarshal(o, ev[xserver.XkbControlsNotify][0]) != nil || cn.Changed != xserver.XkbRepeatKeys || cn.Enabled&xserver.XkbSlowKeys != 0 {
		t.Errorf("ControlsNotify: %+v", cn)
	}
	if c := xkbCall[xserver.XkbGetControlsReply](t, r, &xserver.XkbDeviceRequest{Major: major, Minor: xserver.XkbGetControlsOp, Device: kbd}); c.RepeatDelay != 500 || c.RepeatInterval != 30 || c.Enabled&xserver.XkbSlowKeys != 0 || c.Enabled&xserver.XkbRepeatKeys == 0 {
		t.Errorf("GetControls after SetControls: %+v", c)
	}
	wantError(r, &xserver.XkbSetControls{Major: major, Device: kbd, Change: xserver.XkbRepeatKeys}, protocol.BadValue, 0)
	sc.RepeatDelay, sc.RepeatInterval = 660, 40
	r.send(sc)
	events()

	// Per-client flags: detectable auto-repeat, not the auto-reset of controls.
	if f := xkbCall[xserver.XkbPerClientFlagsReply](t, r, &xserver.XkbPerClientFlags{Major: major, Device: kbd, Change: 5, Value: 5}); f.Supported&1 == 0 || f.Value != 1 {
		t.Errorf("PerClientFlags: %+v", f)
	}

	// The rest of what clients ask about the keyboard.
	// The compatibility map binds the virtual modifiers, with no actions.
	ci := xkbCall[xserver.XkbGetCompatMapReply](t, r, &xserver.XkbGetCompatMap{Major: major, Device: kbd, Groups: 0xf, GetAllSI: true})
	if ci.NSI == 0 || ci.TotalSI != ci.NSI || len(ci.GroupMaps) != 4 || ci.Interprets[2].Sym != 0xff7f || ci.Interprets[2].VirtualMod != 0 || ci.Interprets[2].Action != (xserver.XkbAction{}) {
		t.Errorf("GetCompatMap: %+v", ci)
	}
	if c2 := xkbCall[xserver.XkbGetCompatMapReply](t, r, &xserver.XkbGetCompatMap{Major: major, Device: kbd, FirstSI: 2, NSI: 1}); c2.FirstSI != 2 || c2.NSI != 1 || c2.Interprets[0] != ci.Interprets[2] {
		t.Errorf("GetCompatMap of the third: %+v", c2)
	}
	wantError(r, &xserver.XkbGetCompatMap{Major: major, Device: kbd, FirstSI: ci.TotalSI, NSI: 1}, protocol.BadValue, uint32(ci.TotalSI))
	if s := xkbCall[xserver.XkbGetIndicatorStateReply](t, r, &xserver.XkbDeviceRequest{Major: major, Minor: xserver.XkbGetIndicatorStateOp, Device: kbd}); s.State != 0 {
		t.Errorf("GetIndicatorState: %+v", s)
	}
	if di := xkbCall[xserver.XkbGetDeviceInfoReply](t, r, &xserver.XkbGetDeviceInfo{Major: major, Device: kbd, Wanted: 0x1e, LedClass: 0x300, LedID: 0x400}); string(di.Name) != "Virtual core keyboard" ||
		di.Present != 0x1c || len(di.Leds) != 1 || len(di.Leds[0].Names) < 3 || di.Leds[0].MapsPresent != 7 || len(di.Leds[0].Maps) != 3 {
		t.Errorf("GetDeviceInfo of the keyboard: %+v", di)
	}
	if di := xkbCall[xserver.XkbGetDeviceInfoReply](t, r, &xserver.XkbGetDeviceInfo{Major: major, Device: 0x200, Wanted: 0x1e, AllButtons: true}); string(di.Name) != "Virtual core pointer" ||
		di.TotalBtns != 5 || di.NBtnsWanted != 5 || len(di.Leds) != 0 {
		t.Errorf("GetDeviceInfo of the pointer: %+v", di)
	}
	if g := xkbCall[xserver.XkbGetGeometryReply](t, r, &xserver.XkbGetGeometry{Major: major, Device: kbd}); g.Found {
		t.Errorf("GetGeometry: %+v", g)
	}
	xkbCall[xserver.XkbListComponentsReply](t, r, &xserver.XkbListComponents{Major: major, Device: kbd, MaxNames: 10, Patterns: [6][]byte{[]byte("*")}})
	names := xkbCall[xserver.XkbGetNamesReply](t, r, &xserver.XkbWhichRequest{Major: major, Minor: xserver.XkbGetNamesOp, Device: kbd, Which: xserver.XkbAllNames})
	if atomName(t, r, names.Keycodes) != "evdev" || names.NKeys != 248 || len(names.KeyNames) != 248 || string(names.KeyNames[38-8][:]) != "AC01" {
		t.Errorf("GetNames: %+v", names)
	}
}

// TestXkbcompReadsKeymap has libX11 read the whole keyboard description
// (every part of GetMap, GetNames, GetCompatMap, GetIndicatorMap,
// GetControls), as xkbcomp does to write it out as a keymap source, and
// checks what it wrote. xdpyinfo lists the extension with its numbers.
func TestXkbcompReadsKeymap(t *testing.T) {
	peer.Need(t, "xkbcomp", "xdpyinfo")
	display, _ := startServer(t, 640, 480)
	out, err := exec.Command("xdpyinfo", "-display", display, "-queryExtensions").CombinedOutput()
	if err != nil || !regexp.MustCompile(`XKEYBOARD\s+\(opcode: 130, base event: 64, base error: 128\)`).Match(out) {
		t.Errorf("xdpyinfo -queryExtensions: %v\n%s", err, out)
	}
	out, err = exec.Command("xkbcomp", "-xkb", display, "-").Output()
	if err != nil {
		t.Fatalf("xkbcomp: %v\n%s", err, out)
	}
	keymap := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{
		`xkb_keycodes "evdev" {`, "<AC01> = 38;", `indicator 2 = "Num Lock";`,
		"virtual_modifiers NumLock,Alt,LevelThree,ScrollLock,AltGr,Meta,Super,Hyper;",
		`type "ALPHABETIC" { modifiers= Shift+Lock; map[Shift]= Level2; map[Lock]= Level2; level_name[Level1]= "Base"; level_name[Level2]= "Caps"; };`,
		`type "KEYPAD" { modifiers= Shift+NumLock; map[NumLock]= Level2;`,
		"interpret Num_Lock+AnyOfOrNone(all) { virtualModifier= NumLock; action= NoAction(); };",
		`indicator "Caps Lock" { !allowExplicit; whichModState= base+locked; modifiers= Lock; };`,
		`name[group1]="English (US)";`,
		"key <AC01> { [ a, A ] };", "key <AE01> { [ 1, exclam ] };", "key <KP7> { [ KP_Home, KP_7 ] };", "key <ESC> { [ Escape ] };",
		"modifier_map Mod2 { <NMLK> };", "modifier_map Lock { <CAPS> };",
	} {
		if !strings.Contains(keymap, want) {
			t.Errorf("xkbcomp's keymap lacks %q:\n%s", want, out)
		}
	}
}

// typedText is typed into each client with xdotool: shifted characters,
// and é, which the keyboard lacks, so that xdotool puts it on a spare
// keycode with ChangeKeyboardMapping, and the client must see the new map.
const typedText = "Hello, World! ~|é"

// xdotoolType types text into the window under the pointer at (x, y).
// The delay between keys is long enough for a client to fetch the
// changed map before xdotool changes it back, as it does while the key is
// still down.
func xdotoolType(t *testing.T, display string, x, y int, text string) {
	t.Helper()
	cmd := exec.Command("xdotool", "mousemove", strconv.Itoa(x), strconv.Itoa(y), "sleep", "0.2", "type", "--delay", "150", text)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("xdotool: %v\n%s", err, b)
	}
}

// keysymText turns keysyms into text, leaving out those that are not
// characters (the modifiers).
func keysymText(syms []uint32) string {
	var b strings.Builder
	for _, s := range syms {
		switch {
		case s >= 0x20 && s < 0x100:
			b.WriteRune(rune(s))
		case s >= 0x1000000:
			b.WriteRune(rune(s - 0x1000000))
		}
	}
	return b.String()
}

// TestXdotoolTypesIntoPython: a python3-xlib program, which keeps its own
// copy of the core keyboard map and ignores XKB, sees the text typed.
func TestXdotoolTypesIntoPython(t *testing.T) {
	peer.Need(t, "python3", "xdotool")
	display, _ := startServer(t, 640, 480)
	script := `
from Xlib import X, display
d = display.Display()
s = d.screen()
w = s.root.create_window(0, 0, 300, 200, 0, s.root_depth, event_mask=X.KeyPressMask | X.ExposureMask)
w.map()
d.sync()
print("ready", flush=True)
while True:
    e = d.next_event()
    if e.type == X.MappingNotify:
        d.refresh_keyboard_mapping(e)
    elif e.type == X.KeyPress:
        sym = d.keycode_to_keysym(e.detail, 1 if e.state & X.ShiftMask else 0)
        if sym == 0:
            sym = d.keycode_to_keysym(e.detail, 0)
        print("keysym %d" % sym, flush=True)
`
	_, out := peer.Start(t, display, peer.Python, "-c", script)
	waitFor(t, "the python program to map its window", 20*time.Second, func() bool { return strings.Contains(out.String(), "ready") })
	xdotoolType(t, display, 100, 100, typedText)
	var got string
	waitFor(t, "the python program to see "+typedText, 10*time.Second, func() bool {
		var syms []uint32
		sc := bufio.NewScanner(strings.NewReader(out.String()))
		for sc.Scan() {
			if f := strings.Fields(sc.Text()); len(f) == 2 && f[0] == "keysym" {
				n, _ := strconv.ParseUint(f[1], 10, 32)
				syms = append(syms, uint32(n))
			}
		}
		got = keysymText(syms)
		return got == typedText || len(got) >= len(typedText)
	})
	if got != typedText {
		t.Errorf("python3-xlib saw %q, want %q\n%s", got, typedText, out.String())
	}
}

var xevKeysym = regexp.MustCompile(`keysym 0x([0-9a-f]+),`)

// TestXdotoolTypesIntoXev: xev translates keys with Xlib's XLookupString,
// which uses XKB: it fetches the map with GetMap when the first key comes,
// and again after each MapNotify.
func TestXdotoolTypesIntoXev(t *testing.T) {
	peer.Need(t, "xev", "xdotool")
	display, _ := startServer(t, 640, 480)
	_, out := peer.Start(t, display, "xev", "-geometry", "300x200+0+0")
	waitFor(t, "xev to map its window", 15*time.Second, func() bool { return strings.Contains(out.String(), "Expose event") })
	xdotoolType(t, display, 100, 100, typedText)
	var got string
	waitFor(t, "xev to see "+typedText, 10*time.Second, func() bool {
		var syms []uint32
		for _, e := range parseXevEvents(out.String()) {
			if m := xevKeysym.FindStringSubmatch(e.text); e.kind == "KeyPress" && m != nil {
				n, _ := strconv.ParseUint(m[1], 16, 32)
				syms = append(syms, uint32(n))
			}
		}
		got = keysymText(syms)
		return len(got) >= len(typedText)
	})
	if got != typedText {
		t.Errorf("xev saw %q, want %q\n%s", got, typedText, out.String())
	}
}

// TestXdotoolTypesIntoXterm: xterm, an Xt program using XKB through Xlib,
// passes what is typed to the program in it.
func TestXdotoolTypesIntoXterm(t *testing.T) {
	peer.Need(t, "xterm", "xdotool")
	display, _ := startServer(t, 640, 480)
	dir := t.TempDir()
	ready, typed := dir+"/ready", dir+"/typed"
	cmd := peer.Command(t, display, "xterm", "-u8", "-geometry", "60x10+0+0", "-e", "sh", "-c", "stty -icanon -echo; touch "+ready+"; exec cat > "+typed)
	cmd.Env = append(cmd.Env, "LC_ALL=C.UTF-8")
	out := &peer.Output{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the shell in xterm to start", 20*time.Second, func() bool { _, err := os.Stat(ready); return err == nil })
	xdotoolType(t, display, 100, 60, typedText)
	var got []byte
	waitFor(t, "xterm to pass on "+typedText, 10*time.Second, func() bool {
		got, _ = os.ReadFile(typed)
		return len(got) >= len(typedText)
	})
	if string(got) != typedText {
		t.Errorf("xterm passed on %q, want %q\n%s", got, typedText, out.String())
	}
}
