package pixelproto

import (
	"os"
	"slices"
	"testing"
)

func TestParseEncodings(t *testing.T) {
	got, err := ParseEncodings("tight, zrle copyrect quality7 compress2 -239")
	if err != nil {
		t.Fatal(err)
	}
	want := []Encoding{Tight, ZRLE, CopyRect, PseudoQualityLevel0 + 7, PseudoCompressLevel0 + 2, PseudoCursor}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if _, err := ParseEncodings("bogus"); err == nil {
		t.Error("bogus encoding parsed")
	}
}

func TestNormalizeAddr(t *testing.T) {
	for in, want := range map[string]string{
		"vnc://127.0.0.1:5901": "127.0.0.1:5901",
		"127.0.0.1::5905":      "127.0.0.1:5905",
		"[::1]:5900":           "[::1]:5900",
		"host:5900":            "host:5900",
	} {
		if got := normalizeAddr(in); got != want {
			t.Errorf("normalizeAddr(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPixelFormats(t *testing.T) {
	for name, pf := range testFormats {
		if err := pf.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		var b []byte
		b = pf.Marshal(b)
		var got PixelFormat
		if err := got.Unmarshal(b); err != nil || got != pf {
			t.Errorf("%s: round trip gives %v, %v", name, got, err)
		}
		// Full intensity and black survive conversion both ways.
		conv := newConverter(pf)
		px := []uint32{0xffffff, 0, 0xff0000, 0x00ff00, 0x0000ff}
		out := make([]uint32, len(px))
		conv.convert(out, px)
		for i, p := range out {
			r, g, b := pf.rgb(p)
			if uint32(r)<<16|uint32(g)<<8|uint32(b) != px[i] {
				t.Errorf("%s: %#06x comes back as %02x%02x%02x", name, px[i], r, g, b)
			}
		}
	}
	for _, bad := range []PixelFormat{
		{BitsPerPixel: 24, TrueColour: true, RedMax: 255, GreenMax: 255, BlueMax: 255},
		{BitsPerPixel: 16, TrueColour: true, RedMax: 255, GreenMax: 255, BlueMax: 255, RedShift: 16},
		{BitsPerPixel: 8, TrueColour: true},
	} {
		if bad.Validate() == nil {
			t.Errorf("%v validated", bad)
		}
	}
}

func TestPasswordFromFile(t *testing.T) {
	data, err := os.ReadFile(vncPasswdFile(t, "pass1234"))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(PasswordFromFile(data)); got != "pass1234" {
		t.Errorf("vncpasswd form: %q", got)
	}
	data, _ = os.ReadFile(vncPasswdFile(t, "ab"))
	if got := string(PasswordFromFile(data)); got != "ab" {
		t.Errorf("short vncpasswd form: %q", got)
	}
	if got := string(PasswordFromFile([]byte("hunter22\nrest\n"))); got != "hunter22" {
		t.Errorf("text form: %q", got)
	}
}
