package protocol

import (
	"bytes"
	"errors"
	"hash/fnv"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

type message interface {
	Marshal(ByteOrder, []byte) []byte
	Unmarshal(ByteOrder, []byte) error
}

type structure interface {
	Marshal(ByteOrder, []byte) []byte
	Unmarshal(ByteOrder, []byte) (int, error)
}

type randomMessage struct {
	name string
	kind string // request, reply, event, setup
	new  func(rnd *rand.Rand, o ByteOrder) (value, empty message)
}

type randomStruct struct {
	name string
	new  func(rnd *rand.Rand, o ByteOrder) (value, empty structure)
}

var orders = []ByteOrder{LSBFirst, MSBFirst}

func seed(name string, o ByteOrder, i int) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(name))
	return rand.New(rand.NewPCG(h.Sum64(), uint64(o)<<32|uint64(i)))
}

// noPanic runs f and fails the test if it panics.
func noPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if e := recover(); e != nil {
			t.Fatalf("%s: panic: %v", what, e)
		}
	}()
	f()
}

const iterations = 30

func TestRoundTripMessages(t *testing.T) {
	for _, m := range randomMessages {
		for _, o := range orders {
			t.Run(m.name+"/"+o.String(), func(t *testing.T) {
				for i := range iterations {
					v, w := m.new(seed(m.name, o, i), o)
					checkMessage(t, m, o, v, w)
				}
			})
		}
	}
}

func checkMessage(t *testing.T, m randomMessage, o ByteOrder, v, w message) {
	t.Helper()
	b := v.Marshal(o, nil)
	if len(b)%4 != 0 {
		t.Fatalf("%d bytes, not a multiple of 4", len(b))
	}
	// Marshal appends: the bytes do not depend on what b held before.
	prefix := []byte{9, 9, 9}
	if b2 := v.Marshal(o, prefix); !bytes.Equal(b2[3:], b) || !bytes.Equal(b2[:3], prefix) {
		t.Fatalf("Marshal after a 3-byte prefix differs:\n%x\n%x", b2[3:], b)
	}
	wire := b
	switch m.kind {
	case "request":
		n, big := RequestLength(o, b)
		if n != len(b) {
			t.Fatalf("RequestLength = %d, want %d", n, len(b))
		}
		if big {
			b = StripBigLength(slices.Clone(b))
		}
		if strings.HasPrefix(m.name, "XTest") || strings.HasPrefix(m.name, "BigReq") {
			break
		}
		if got := reflect.TypeOf(NewRequest(b[0])); got != reflect.TypeOf(v) {
			t.Fatalf("opcode %d is %v, want %T", b[0], got, v)
		}
	case "reply":
		if b[0] != 1 || len(b) < 32 {
			t.Fatalf("reply starts %x, %d bytes", b[0], len(b))
		}
		if n := MessageLength(o, b); n != len(b) {
			t.Fatalf("MessageLength = %d, want %d", n, len(b))
		}
		seq := reflect.ValueOf(v).Elem().FieldByName("Sequence").Uint()
		if got := o.U16(b[2:]); uint64(got) != seq {
			t.Fatalf("sequence %d, want %d", got, seq)
		}
	case "event":
		if len(b) != 32 {
			t.Fatalf("event of %d bytes", len(b))
		}
		if got := reflect.TypeOf(NewEvent(b[0])); got != reflect.TypeOf(v) {
			t.Fatalf("code %d is %v, want %T", b[0], got, v)
		}
		if b[0] != GenericEvent && MessageLength(o, b) != 32 {
			t.Fatalf("MessageLength = %d", MessageLength(o, b))
		}
	case "setup":
		if m.name == "SetupRequest" {
			bo, n, err := SetupRequestLength(b)
			if err != nil || n != len(b) || bo != o {
				t.Fatalf("SetupRequestLength = %v, %d, %v; want %v, %d", bo, n, err, o, len(b))
			}
		} else if n := SetupReplyLength(o, b); n != len(b) {
			t.Fatalf("SetupReplyLength = %d, want %d", n, len(b))
		}
	}
	if err := w.Unmarshal(o, b); err != nil {
		t.Fatalf("Unmarshal(%x): %v", b, err)
	}
	if !reflect.DeepEqual(v, w) {
		t.Fatalf("round trip:\n got %+v\nwant %+v\nwire %x", w, v, b)
	}
	// Decoding again into the same value reuses its slices and gives the
	// same result.
	if err := w.Unmarshal(o, b); err != nil {
		t.Fatalf("second Unmarshal: %v", err)
	}
	if again := w.Marshal(o, nil); !bytes.Equal(again, wire) {
		t.Fatalf("second round trip:\n got %x\nwant %x", again, wire)
	}
	// Short input is an error, never a panic.
	for _, cut := range []int{0, 1, 3, 4, 7, 8, len(b) / 2, len(b) - 4, len(b) - 1} {
		if cut < 0 || cut >= len(b) {
			continue
		}
		noPanic(t, "Unmarshal of a prefix", func() { w.Unmarshal(o, b[:cut]) })
	}
	if m.kind == "request" && !openEnded[m.name] {
		long := append(slices.Clone(b), 0, 0, 0, 0)
		if err := w.Unmarshal(o, long); !errors.Is(err, ErrLength) {
			t.Fatalf("Unmarshal of 4 extra bytes: %v, want ErrLength", err)
		}
	}
}

func TestRoundTripStructs(t *testing.T) {
	for _, m := range randomStructs {
		for _, o := range orders {
			t.Run(m.name+"/"+o.String(), func(t *testing.T) {
				for i := range iterations {
					v, w := m.new(seed(m.name, o, i), o)
					b := v.Marshal(o, nil)
					n, err := w.Unmarshal(o, append(slices.Clone(b), 7, 7, 7))
					if err != nil || n != len(b) {
						t.Fatalf("Unmarshal = %d, %v; want %d", n, err, len(b))
					}
					if !reflect.DeepEqual(v, w) {
						t.Fatalf("round trip:\n got %+v\nwant %+v", w, v)
					}
					for cut := range len(b) {
						noPanic(t, "Unmarshal of a prefix", func() {
							if _, err := w.Unmarshal(o, b[:cut]); err == nil {
								t.Fatalf("Unmarshal of %d of %d bytes: no error", cut, len(b))
							}
						})
					}
				}
			})
		}
	}
}

// TestKnownBytes checks a few encodings against the protocol document,
// written out by hand.
func TestKnownBytes(t *testing.T) {
	var vs ValueSet
	vs.Set(CWEventMask, EventMaskExposure|EventMaskKeyPress)
	vs.Set(CWBackPixel, 0xff0000)
	cw := CreateWindow{Depth: 24, Wid: 0x400001, Parent: 0x123, X: -2, Y: 3, Width: 640, Height: 480,
		BorderWidth: 1, Class: WindowClassInputOutput, Visual: 0x21, ValueMask: vs.Mask, ValueList: vs.List}
	want := []byte{
		1, 24, 10, 0, // opcode, depth, length 10
		0x01, 0x00, 0x40, 0x00, // wid
		0x23, 0x01, 0, 0, // parent
		0xfe, 0xff, 3, 0, // x, y
		0x80, 0x02, 0xe0, 0x01, // width, height
		1, 0, 1, 0, // border width, class
		0x21, 0, 0, 0, // visual
		0x02, 0x08, 0, 0, // mask: BackPixel | EventMask
		0, 0, 0xff, 0, // background pixel
		0x01, 0x80, 0, 0, // event mask
	}
	if got := cw.Marshal(LSBFirst, nil); !bytes.Equal(got, want) {
		t.Errorf("CreateWindow LSB:\n got %x\nwant %x", got, want)
	}
	msb := cw.Marshal(MSBFirst, nil)
	if msb[2] != 0 || msb[3] != 10 || msb[12] != 0xff || msb[13] != 0xfe || msb[31] != 0x02 || msb[30] != 0x08 {
		t.Errorf("CreateWindow MSB: %x", msb)
	}

	// InternAtom "WM_NAME", only-if-exists: name padded to 4.
	ia := InternAtom{OnlyIfExists: true, Name: []byte("WM_NAME")}
	want = []byte{16, 1, 4, 0, 7, 0, 0, 0, 'W', 'M', '_', 'N', 'A', 'M', 'E', 0}
	if got := ia.Marshal(LSBFirst, nil); !bytes.Equal(got, want) {
		t.Errorf("InternAtom:\n got %x\nwant %x", got, want)
	}

	// QueryTextExtents with 3 CHAR2B: odd length set, one pad CHAR2B.
	q := QueryTextExtents{Font: 7, String: []Char2b{{0, 'a'}, {0, 'b'}, {0, 'c'}}}
	want = []byte{48, 1, 4, 0, 7, 0, 0, 0, 0, 'a', 0, 'b', 0, 'c', 0, 0}
	got := q.Marshal(LSBFirst, nil)
	if !bytes.Equal(got, want) {
		t.Errorf("QueryTextExtents:\n got %x\nwant %x", got, want)
	}
	var q2 QueryTextExtents
	if err := q2.Unmarshal(LSBFirst, got); err != nil || len(q2.String) != 3 || !q2.OddLength {
		t.Errorf("QueryTextExtents Unmarshal: %v, %+v", err, q2)
	}

	// An Expose event, MSB first.
	ex := ExposeEvent{Sequence: 0x102, Window: 0x400001, X: 1, Y: 2, Width: 3, Height: 4, Count: 5}
	want = make([]byte, 32)
	copy(want, []byte{12, 0, 1, 2, 0, 0x40, 0, 1, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5})
	if got := ex.Marshal(MSBFirst, nil); !bytes.Equal(got, want) {
		t.Errorf("Expose:\n got %x\nwant %x", got, want)
	}

	// A KeyRelease event is a KeyPress with its own code.
	kr := KeyReleaseEvent{Detail: 38, Root: 1}
	if b := kr.Marshal(LSBFirst, nil); b[0] != KeyRelease || b[1] != 38 {
		t.Errorf("KeyRelease: %x", b)
	}

	// GetGeometry reply: 32 bytes, length 0.
	gg := GetGeometryReply{Sequence: 7, Depth: 24, Root: 0x100, X: -1, Y: 2, Width: 3, Height: 4, BorderWidth: 5}
	want = make([]byte, 32)
	copy(want, []byte{1, 24, 7, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0xff, 0xff, 2, 0, 3, 0, 4, 0, 5, 0})
	if got := gg.Marshal(LSBFirst, nil); !bytes.Equal(got, want) {
		t.Errorf("GetGeometry reply:\n got %x\nwant %x", got, want)
	}
}

func TestError(t *testing.T) {
	e := Error{Code: BadWindow, Sequence: 9, BadValue: 0x400001, MajorOpcode: OpCreateWindow}
	if got, want := e.Error(), "BadWindow (invalid Window parameter) on request CreateWindow: 0x400001"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got, want := (&Error{Code: BadMatch, MajorOpcode: OpCopyArea}).Error(), "BadMatch (invalid parameter attributes) on request CopyArea"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	for _, o := range orders {
		b := e.Marshal(o, nil)
		if len(b) != 32 || b[0] != 0 || b[1] != BadWindow || MessageLength(o, b) != 32 {
			t.Fatalf("error bytes %x", b)
		}
		var e2 Error
		if err := e2.Unmarshal(o, b); err != nil || e2 != e {
			t.Fatalf("round trip: %+v, %v", e2, err)
		}
	}
	var e3 Error
	if err := e3.Unmarshal(LSBFirst, make([]byte, 31)); !errors.Is(err, ErrLength) {
		t.Errorf("short error: %v", err)
	}
}

func TestBigRequest(t *testing.T) {
	for _, o := range orders {
		data := make([]byte, 4*MaxRequestLength)
		for i := range data {
			data[i] = byte(i * 7)
		}
		pi := PutImage{Format: ImageFormatZPixmap, Drawable: 5, Gc: 6, Width: 512, Height: 512, Depth: 32, Data: data}
		b := pi.Marshal(o, nil)
		if o.U16(b[2:]) != 0 {
			t.Fatalf("length field %d, want 0 (big)", o.U16(b[2:]))
		}
		n, big := RequestLength(o, b[:8])
		if !big || n != len(b) || n != 4+24+len(data) {
			t.Fatalf("RequestLength = %d, %v; len %d", n, big, len(b))
		}
		if n, big := RequestLength(o, b[:4]); !big || n != 0 {
			t.Fatalf("RequestLength of 4 bytes = %d, %v", n, big)
		}
		var pi2 PutImage
		if err := pi2.Unmarshal(o, StripBigLength(b)); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(pi, pi2) {
			t.Fatalf("big PutImage round trip differs")
		}
	}
}

func TestRequestLength(t *testing.T) {
	if n, big := RequestLength(LSBFirst, []byte{1, 0}); n != 0 || big {
		t.Errorf("short header: %d, %v", n, big)
	}
	if n, big := RequestLength(MSBFirst, []byte{8, 0, 0, 2}); n != 8 || big {
		t.Errorf("MapWindow header: %d, %v", n, big)
	}
	if n := MessageLength(LSBFirst, []byte{1, 0, 0, 0}); n != 0 {
		t.Errorf("short reply: %d", n)
	}
	if n := MessageLength(LSBFirst, []byte{1, 0, 0, 0, 2, 0, 0, 0}); n != 40 {
		t.Errorf("reply of length 2: %d", n)
	}
	if n := MessageLength(MSBFirst, []byte{GenericEvent | SendEventBit, 0, 0, 0, 0, 0, 0, 1}); n != 36 {
		t.Errorf("generic event of length 1: %d", n)
	}
	if n := MessageLength(LSBFirst, []byte{Expose}); n != 32 {
		t.Errorf("event: %d", n)
	}
	if _, _, err := SetupRequestLength([]byte("x\x00\x00\x0b\x00\x00\x00\x00\x00\x00\x00\x00")); err == nil {
		t.Errorf("bad byte order accepted")
	}
	if _, _, err := SetupRequestLength([]byte("l\x00")); !errors.Is(err, ErrLength) {
		t.Errorf("short setup request: %v", err)
	}
	if n := SetupReplyLength(LSBFirst, []byte{1, 0}); n != 0 {
		t.Errorf("short setup reply: %d", n)
	}
}

func TestValueList(t *testing.T) {
	var s ValueSet
	s.Set(GCForeground, 3)
	s.Set(GCFunction, GXcopy)
	dash := int32(-5)
	s.Set(GCDashOffset, uint32(dash))
	s.Set(GCForeground, 4) // replaces
	s.Set(3, 99)           // not a single bit: ignored
	if s.Mask != GCFunction|GCForeground|GCDashOffset || !slices.Equal(s.List, []uint32{GXcopy, 4, 0xfffffffb}) {
		t.Fatalf("ValueSet = %#x %v", s.Mask, s.List)
	}
	var got []uint32
	for bit, v := range Values(s.Mask, s.List) {
		got = append(got, bit, v)
	}
	if want := []uint32{GCFunction, GXcopy, GCForeground, 4, GCDashOffset, 0xfffffffb}; !slices.Equal(got, want) {
		t.Fatalf("Values = %v, want %v", got, want)
	}
	for range Values(s.Mask, s.List) {
		break // stopping early must not panic
	}
	if v, ok := Value(s.Mask, s.List, GCDashOffset); !ok || int16(int32(v)) != -5 {
		t.Fatalf("Value(DashOffset) = %d, %v", v, ok)
	}
	if _, ok := Value(s.Mask, s.List, GCBackground); ok {
		t.Fatalf("Value of an unset bit")
	}
	if _, ok := Value(s.Mask, s.List[:1], GCDashOffset); ok {
		t.Fatalf("Value past a short list")
	}
	s.Reset()
	if s.Mask != 0 || len(s.List) != 0 {
		t.Fatalf("Reset: %+v", s)
	}

	// A value list whose length disagrees with the mask is a length error.
	cw := ChangeWindowAttributes{Window: 1, ValueMask: CWBackPixel | CWEventMask, ValueList: []uint32{1, 2}}
	b := cw.Marshal(LSBFirst, nil)
	var cw2 ChangeWindowAttributes
	LSBFirst.PutU32(b[8:], CWBackPixel) // one bit, two values
	if err := cw2.Unmarshal(LSBFirst, b); !errors.Is(err, ErrLength) {
		t.Errorf("too many values: %v", err)
	}
	LSBFirst.PutU32(b[8:], CWBackPixel|CWEventMask|CWCursor) // three bits, two values
	if err := cw2.Unmarshal(LSBFirst, b); !errors.Is(err, ErrLength) {
		t.Errorf("too few values: %v", err)
	}
}

func TestNames(t *testing.T) {
	if PredefinedAtoms[AtomPrimary] != "PRIMARY" || PredefinedAtoms[AtomWmName] != "WM_NAME" ||
		PredefinedAtoms[AtomWmTransientFor] != "WM_TRANSIENT_FOR" || AtomWmTransientFor != 68 || PredefinedAtoms[0] != "" {
		t.Errorf("predefined atoms wrong")
	}
	if RequestNames[OpPolyFillRectangle] != "PolyFillRectangle" || RequestNames[OpNoOperation] != "NoOperation" {
		t.Errorf("request names wrong")
	}
	if XTestRequestNames[OpXTestFakeInput] != "FakeInput" || BigReqName != "BIG-REQUESTS" || XTestName != "XTEST" {
		t.Errorf("extension names wrong")
	}
	if EventNames[MappingNotify] != "MappingNotify" || MappingNotify != 34 || KeyPress != 2 || Expose != 12 {
		t.Errorf("event names wrong")
	}
	if ErrorNames[BadImplementation] != "BadImplementation" || BadRequest != 1 || BadImplementation != 17 {
		t.Errorf("error names wrong")
	}
	for op := range 256 {
		r := NewRequest(uint8(op))
		if (r != nil) != (op < 128 && RequestNames[op] != "") {
			t.Errorf("NewRequest(%d) = %T", op, r)
		}
	}
}

// TestNoAllocs checks that decoding into a used value and encoding into a
// buffer with room do not allocate.
func TestNoAllocs(t *testing.T) {
	rects := PolyFillRectangle{Drawable: 1, Gc: 2, Rectangles: make([]Rectangle, 100)}
	b := rects.Marshal(LSBFirst, nil)
	var r PolyFillRectangle
	r.Unmarshal(LSBFirst, b)
	if n := testing.AllocsPerRun(100, func() { r.Unmarshal(LSBFirst, b) }); n != 0 {
		t.Errorf("PolyFillRectangle.Unmarshal: %v allocations", n)
	}
	pi := PutImage{Format: ImageFormatZPixmap, Width: 128, Height: 128, Depth: 32, Data: make([]byte, 64<<10)}
	buf := make([]byte, 0, 70<<10)
	if n := testing.AllocsPerRun(100, func() { buf = pi.Marshal(LSBFirst, buf[:0]) }); n != 0 {
		t.Errorf("PutImage.Marshal: %v allocations", n)
	}
	var s Setup
	setup := randSetup(seed("setup", LSBFirst, 1), LSBFirst)
	sb := setup.Marshal(LSBFirst, nil)
	s.Unmarshal(LSBFirst, sb)
	if n := testing.AllocsPerRun(100, func() { s.Unmarshal(LSBFirst, sb) }); n != 0 {
		t.Errorf("Setup.Unmarshal: %v allocations", n)
	}
}

func BenchmarkUnmarshalPolyFillRectangle(b *testing.B) {
	req := PolyFillRectangle{Drawable: 1, Gc: 2, Rectangles: make([]Rectangle, 100)}
	for i := range req.Rectangles {
		req.Rectangles[i] = Rectangle{X: int16(i), Y: int16(2 * i), Width: 10, Height: 20}
	}
	wire := req.Marshal(LSBFirst, nil)
	var r PolyFillRectangle
	b.SetBytes(int64(len(wire)))
	b.ReportAllocs()
	for b.Loop() {
		if err := r.Unmarshal(LSBFirst, wire); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarshalPutImage(b *testing.B) {
	pi := PutImage{Format: ImageFormatZPixmap, Drawable: 1, Gc: 2, Width: 128, Height: 128, Depth: 32, Data: make([]byte, 64<<10)}
	buf := make([]byte, 0, 70<<10)
	b.SetBytes(int64(len(pi.Data)))
	b.ReportAllocs()
	for b.Loop() {
		buf = pi.Marshal(LSBFirst, buf[:0])
	}
}

func BenchmarkMarshalCreateWindow(b *testing.B) {
	var vs ValueSet
	vs.Set(CWBackPixel, 0)
	vs.Set(CWEventMask, EventMaskExposure)
	cw := CreateWindow{Depth: 24, Wid: 1, Parent: 2, Width: 100, Height: 100, ValueMask: vs.Mask, ValueList: vs.List}
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		buf = cw.Marshal(MSBFirst, buf[:0])
	}
}
