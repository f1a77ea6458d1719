package protocol

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var writeCorpus = flag.Bool("corpus", false, "rewrite the seed corpus in testdata/fuzz/FuzzRequest")

// Messages the fuzzer decodes besides the request its first byte selects.
var (
	fuzzReplies []func() message
	fuzzSetup   = []func() message{
		func() message { return new(SetupRequest) },
		func() message { return new(Setup) },
		func() message { return new(SetupFailed) },
		func() message { return new(SetupAuthenticate) },
	}
)

func init() {
	for _, m := range randomMessages {
		if m.kind == "reply" {
			fuzzReplies = append(fuzzReplies, minimalMessages[m.name])
		}
	}
}

// FuzzRequest feeds arbitrary bytes to the Unmarshal of the request the
// first byte selects (128 is BIG-REQUESTS and 129 XTEST, with the minor
// opcode in the second byte), of a reply and an event, and of the setup
// messages, in both byte orders. Decoding must not panic, must not allocate
// more than a bound proportional to the input, and what decodes must
// encode and decode again to the same value.
func FuzzRequest(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{OpCreateWindow, 24, 0, 8, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 10, 0, 10, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 2})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		for _, o := range orders {
			var r Request
			switch op := data[0]; {
			case op < 128:
				r = NewRequest(op)
			case op == 128 && len(data) > 1:
				r = NewBigReqRequest(data[1])
			case op == 129 && len(data) > 1:
				r = NewXTestRequest(data[1])
			}
			if r != nil {
				fuzzDecode(t, o, r, data)
			}
			if e := NewEvent(data[0] &^ SendEventBit); e != nil {
				fuzzDecode(t, o, e, data)
			}
			if len(data) > 1 {
				fuzzDecode(t, o, fuzzReplies[int(data[1])%len(fuzzReplies)](), data)
			}
			for _, s := range fuzzSetup {
				fuzzDecode(t, o, s(), data)
			}
		}
	})
}

func fuzzDecode(t *testing.T, o ByteOrder, m message, data []byte) {
	t.Helper()
	var err error
	func() {
		defer func() {
			if e := recover(); e != nil {
				t.Fatalf("%T.Unmarshal(%s, %x): panic: %v", m, o, data, e)
			}
		}()
		err = m.Unmarshal(o, data)
	}()
	if n, limit := heldBytes(reflect.ValueOf(m)), 128*len(data)+1024; n > limit {
		t.Fatalf("%T.Unmarshal of %d bytes holds %d bytes", m, len(data), n)
	}
	if err != nil {
		return
	}
	// What decoded encodes to bytes that decode to the same value.
	wire := m.Marshal(o, nil)
	if n, big := RequestLength(o, wire); big && n == len(wire) && isRequest(m) {
		wire = StripBigLength(wire)
	}
	again := reflect.New(reflect.TypeOf(m).Elem()).Interface().(message)
	if err := again.Unmarshal(o, wire); err != nil {
		t.Fatalf("%T: re-encoded %x does not decode: %v", m, wire, err)
	}
	if f := reflect.ValueOf(again).Elem().FieldByName("Length"); f.IsValid() && strings.HasPrefix(reflect.TypeOf(m).Elem().Name(), "Setup") {
		f.Set(reflect.ValueOf(m).Elem().FieldByName("Length")) // Marshal computes it
	}
	if !reflect.DeepEqual(normalize(m), normalize(again)) {
		t.Fatalf("%T: decode, encode, decode differs:\n%+v\n%+v", m, m, again)
	}
}

func isRequest(m message) bool {
	name := reflect.TypeOf(m).Elem().Name()
	return !strings.HasSuffix(name, "Reply") && !strings.HasSuffix(name, "Event") && !strings.HasPrefix(name, "Setup")
}

// normalize makes empty slices nil, for comparison.
func normalize(m message) any {
	v := reflect.New(reflect.TypeOf(m).Elem())
	v.Elem().Set(reflect.ValueOf(m).Elem())
	var walk func(reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Slice:
			if v.Len() == 0 {
				v.Set(reflect.Zero(v.Type()))
				return
			}
			c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
			reflect.Copy(c, v)
			v.Set(c)
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i))
			}
		}
	}
	walk(v.Elem())
	return v.Interface()
}

// heldBytes returns the bytes held by the slices reachable from v.
func heldBytes(v reflect.Value) int {
	switch v.Kind() {
	case reflect.Pointer:
		return heldBytes(v.Elem())
	case reflect.Slice:
		n := v.Cap() * int(v.Type().Elem().Size())
		for i := range v.Len() {
			n += heldBytes(v.Index(i))
		}
		return n
	case reflect.Struct:
		n := 0
		for i := range v.NumField() {
			n += heldBytes(v.Field(i))
		}
		return n
	}
	return 0
}

// TestFuzzCorpus runs the fuzz checks on the seed corpus and on every
// random message of the round-trip tests, cut short at every length.
func TestFuzzCorpus(t *testing.T) {
	for _, m := range randomMessages {
		for _, o := range orders {
			v, _ := m.new(seed(m.name, o, 0), o)
			b := v.Marshal(o, nil)
			if m.kind == "request" && len(b) >= 8 && o.U16(b[2:]) == 0 {
				b = StripBigLength(b)
			}
			for cut := 0; cut <= len(b); cut += 1 + cut/16 {
				for _, order := range orders {
					fuzzDecode(t, order, v, b[:cut])
					r := reflect.New(reflect.TypeOf(v).Elem()).Interface().(message)
					fuzzDecode(t, order, r, b[:cut])
				}
			}
		}
	}
}

// TestWriteCorpus rewrites the seed corpus: one valid message of every
// kind. Run with -corpus.
func TestWriteCorpus(t *testing.T) {
	if !*writeCorpus {
		t.Skip("run with -corpus to rewrite testdata/fuzz/FuzzRequest")
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzRequest")
	os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, m := range randomMessages {
		if m.kind != "request" && m.kind != "setup" {
			continue
		}
		o := orders[i%2]
		v, _ := m.new(seed(m.name, o, 0), o)
		b := v.Marshal(o, nil)
		if len(b) > 4096 {
			b = b[:4096]
		}
		if strings.HasPrefix(m.name, "BigReq") {
			b[0] = 128
		} else if strings.HasPrefix(m.name, "XTest") {
			b[0] = 129
		}
		var sb strings.Builder
		sb.WriteString("go test fuzz v1\n")
		fmt.Fprintf(&sb, "[]byte(%q)\n", b)
		if err := os.WriteFile(filepath.Join(dir, m.name), []byte(sb.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) < 120 {
		t.Fatalf("only %d seeds", len(entries))
	}
}
