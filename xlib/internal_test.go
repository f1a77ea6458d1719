package xlib

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"net"
	"testing"

	"netdisplay/protocol"
)

// encode appends the pixels of r of src in the format f, as PutImage
// streams them.
func (f *imageFormat) encode(out []byte, src *image.RGBA, r image.Rectangle) []byte {
	stride := f.stride(r.Dx())
	start := len(out)
	out = append(out, make([]byte, stride*r.Dy())...)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := out[start+(y-r.Min.Y)*stride:][:stride]
		in := src.Pix[src.PixOffset(r.Min.X, y):][:4*r.Dx()]
		f.encodeRow(row, in)
	}
	return out
}

// TestImageFormats converts images to and from the pixel layouts servers
// may have besides netdisplay's and Xvfb's: most significant byte first,
// 16-bit pixels, packed 24-bit pixels, and bitmaps whose bit order and
// byte order differ.
func TestImageFormats(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 37, 3))
	for i := range src.Pix {
		src.Pix[i] = byte(i*37 + i/4)
		if i%4 == 3 {
			src.Pix[i] = 0xff
		}
	}
	for _, f := range []imageFormat{
		{bpp: 32, pad: 32, r: 0xff0000, g: 0xff00, b: 0xff, depth: 24},
		{bpp: 32, pad: 32, r: 0xff0000, g: 0xff00, b: 0xff, depth: 24, msb: true},
		{bpp: 32, pad: 32, r: 0xff, g: 0xff00, b: 0xff0000, depth: 24, msb: true},
		{bpp: 24, pad: 32, r: 0xff0000, g: 0xff00, b: 0xff, depth: 24},
		{bpp: 24, pad: 8, r: 0xff0000, g: 0xff00, b: 0xff, depth: 24, msb: true},
	} {
		data := f.encode(nil, src, src.Rect)
		if len(data) != f.stride(37)*3 {
			t.Errorf("%+v: %d bytes", f, len(data))
		}
		got, err := f.decode(data, src.Rect)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Pix, src.Pix) {
			t.Errorf("%+v: round trip changed the pixels", f)
		}
	}

	// The bytes themselves, for one pixel.
	one := image.NewRGBA(image.Rect(0, 0, 1, 1))
	one.Pix = []byte{0x11, 0x22, 0x33, 0xff}
	for _, tt := range []struct {
		f    imageFormat
		want []byte
	}{
		{imageFormat{bpp: 32, pad: 32, r: 0xff0000, g: 0xff00, b: 0xff, depth: 24}, []byte{0x33, 0x22, 0x11, 0}},
		{imageFormat{bpp: 32, pad: 32, r: 0xff0000, g: 0xff00, b: 0xff, depth: 24, msb: true}, []byte{0, 0x11, 0x22, 0x33}},
		{imageFormat{bpp: 32, pad: 32, r: 0xff0000, g: 0xff00, b: 0xff, a: 0xff000000, depth: 32, msb: true}, []byte{0xff, 0x11, 0x22, 0x33}},
		// 5-6-5: 0x11>>3, 0x22>>2, 0x33>>3, rounded.
		{imageFormat{bpp: 16, pad: 32, r: 0xf800, g: 0x07e0, b: 0x001f, depth: 16}, binary.LittleEndian.AppendUint16(nil, 2<<11|8<<5|6)},
		{imageFormat{bpp: 16, pad: 32, r: 0xf800, g: 0x07e0, b: 0x001f, depth: 16, msb: true}, binary.BigEndian.AppendUint16(nil, 2<<11|8<<5|6)},
	} {
		got := tt.f.encode(nil, one, one.Rect)
		if !bytes.Equal(got[:len(tt.want)], tt.want) {
			t.Errorf("%+v: % x, want % x", tt.f, got, tt.want)
		}
	}

	// 16 bits per pixel keeps the top bits of each channel.
	f565 := imageFormat{bpp: 16, pad: 32, r: 0xf800, g: 0x07e0, b: 0x001f, depth: 16}
	back, _ := f565.decode(f565.encode(nil, src, src.Rect), src.Rect)
	for i := range src.Pix {
		if d := int(back.Pix[i]) - int(src.Pix[i]); d < -4 || d > 4 {
			t.Fatalf("5-6-5 round trip: byte %d is %d, was %d", i, back.Pix[i], src.Pix[i])
		}
	}

	// Bitmaps: pixel 0 set, and pixel 9, in each bit and byte order.
	bm := image.NewRGBA(image.Rect(0, 0, 40, 1))
	for x := range 40 {
		bm.SetRGBA(x, 0, color.RGBA{0, 0, 0, 0xff})
	}
	for _, x := range []int{0, 9} {
		bm.SetRGBA(x, 0, color.RGBA{0xff, 0xff, 0xff, 0xff})
	}
	for _, tt := range []struct {
		bitMSB, msb bool
		want        []byte
	}{
		{false, false, []byte{0x01, 0x02, 0, 0, 0, 0, 0, 0}},
		{true, true, []byte{0x80, 0x40, 0, 0, 0, 0, 0, 0}},
		{false, true, []byte{0, 0, 0x02, 0x01, 0, 0, 0, 0}},
		{true, false, []byte{0, 0, 0x40, 0x80, 0, 0, 0, 0}},
	} {
		f := imageFormat{bpp: 1, pad: 32, unit: 32, depth: 1, bitMSB: tt.bitMSB, msb: tt.msb}
		got := f.encode(nil, bm, bm.Rect)
		if !bytes.Equal(got, tt.want) {
			t.Errorf("bitmap, bit order MSB %v, byte order MSB %v: % x, want % x", tt.bitMSB, tt.msb, got, tt.want)
		}
		back, _ := f.decode(got, bm.Rect)
		if !bytes.Equal(back.Pix, bm.Pix) {
			t.Errorf("bitmap, bit order MSB %v, byte order MSB %v: round trip changed it", tt.bitMSB, tt.msb)
		}
	}
}

// TestChannelPixel checks the TrueColor pixels AllocColor computes
// without the server: X.Org cuts each channel to 8 bits.
func TestChannelPixel(t *testing.T) {
	for v := 0; v < 65536; v++ {
		if got, want := channelPixel(uint16(v), 0xff00, 8), uint32(v>>8)<<8; got != want {
			t.Fatalf("channelPixel(%#x, 8 bits) = %#x, want %#x", v, got, want)
		}
	}
	if got := channelPixel(0xffff, 0xf800, 6); got != 0xf800 {
		t.Errorf("white in 5 bits: %#x", got)
	}
	if got := channelPixel(0, 0x07e0, 6); got != 0 {
		t.Errorf("black in 6 bits: %#x", got)
	}
}

func TestSpread(t *testing.T) {
	for _, tt := range []struct {
		n, mask, want uint32
		ok            bool
	}{
		{1, 0x1fffff, 1, true},
		{5, 0x1fffff, 5, true},
		{1 << 21, 0x1fffff, 0, false},
		{3, 0xf0, 0x30, true},
		{3, 0x101, 0x101, true},
		{4, 0x101, 0, false},
	} {
		got, ok := spread(tt.n, tt.mask)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("spread(%#x, %#x) = %#x, %v; want %#x, %v", tt.n, tt.mask, got, ok, tt.want, tt.ok)
		}
	}
}

// xauthFile encodes Xauthority entries.
func xauthFile(entries ...authEntry) []byte {
	var b []byte
	for _, e := range entries {
		b = binary.BigEndian.AppendUint16(b, e.family)
		for _, f := range [][]byte{e.address, e.number, e.name, e.data} {
			b = binary.BigEndian.AppendUint16(b, uint16(len(f)))
			b = append(b, f...)
		}
	}
	return b
}

func TestFindCookie(t *testing.T) {
	mit := []byte(CookieName)
	file := xauthFile(
		authEntry{family: familyLocal, address: []byte("otherhost"), number: []byte("1"), name: mit, data: []byte("other")},
		authEntry{family: familyLocal, address: []byte("thishost"), number: []byte("1"), name: []byte("XDM-AUTHORIZATION-1"), data: []byte("xdm")},
		authEntry{family: familyLocal, address: []byte("thishost"), number: []byte("1"), name: mit, data: []byte("local1")},
		authEntry{family: familyInternet, address: []byte{10, 0, 0, 7}, number: []byte("2"), name: mit, data: []byte("inet2")},
		authEntry{family: familyInternet6, address: net.ParseIP("2001:db8::1"), number: []byte("2"), name: mit, data: []byte("inet6")},
		authEntry{family: familyLocal, address: []byte("thishost"), number: nil, name: mit, data: []byte("anydisplay")},
		authEntry{family: familyWild, number: []byte("9"), name: mit, data: []byte("wild9")},
	)
	entries, err := parseXauthority(file)
	if err != nil || len(entries) != 7 {
		t.Fatalf("parseXauthority: %d entries, %v", len(entries), err)
	}
	for _, tt := range []struct {
		family uint16
		addr   []byte
		number int
		want   string
	}{
		{familyLocal, []byte("thishost"), 1, "local1"},
		{familyLocal, []byte("thishost"), 3, "anydisplay"},
		{familyInternet, []byte{10, 0, 0, 7}, 2, "inet2"},
		{familyInternet6, net.ParseIP("2001:db8::1"), 2, "inet6"},
		{familyInternet, []byte{10, 0, 0, 8}, 9, "wild9"},
		{familyInternet, []byte{10, 0, 0, 8}, 2, ""},
	} {
		got, ok := findCookie(entries, tt.family, tt.addr, tt.number)
		if string(got) != tt.want || ok != (tt.want != "") {
			t.Errorf("findCookie(%d, %q, %d) = %q, %v; want %q", tt.family, tt.addr, tt.number, got, ok, tt.want)
		}
	}
	if _, err := parseXauthority(file[:len(file)-3]); err == nil {
		t.Error("a truncated file parsed without error")
	}
}

// TestAuthAddress checks the address a connection is looked up by.
func TestAuthAddress(t *testing.T) {
	for _, tt := range []struct {
		addr   net.Addr
		family uint16
		want   []byte
	}{
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 6001}, familyLocal, nil},
		{&net.TCPAddr{IP: net.IPv6loopback, Port: 6001}, familyLocal, nil},
		{&net.UnixAddr{Name: "/tmp/.X11-unix/X1", Net: "unix"}, familyLocal, nil},
		{&net.TCPAddr{IP: net.IPv4(192, 168, 0, 3), Port: 6001}, familyInternet, []byte{192, 168, 0, 3}},
		{&net.TCPAddr{IP: net.ParseIP("2001:db8::2"), Port: 6001}, familyInternet6, net.ParseIP("2001:db8::2")},
	} {
		family, addr := authAddress(fakeAddrConn{remote: tt.addr})
		if family != tt.family || (tt.want != nil && !bytes.Equal(addr, tt.want)) {
			t.Errorf("%v: family %d address %v, want %d %v", tt.addr, family, addr, tt.family, tt.want)
		}
	}
}

type fakeAddrConn struct {
	net.Conn
	remote net.Addr
}

func (c fakeAddrConn) RemoteAddr() net.Addr { return c.remote }

var _ protocol.Reply = (*RawReply)(nil)
var _ protocol.Event = (*RawEvent)(nil)
