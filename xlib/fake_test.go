//go:build linux

package xlib_test

import (
	"io"
	"net"
	"testing"

	"netdisplay/protocol"
)

// fakeSetup is the connection setup of the fake server: one 64x64 screen
// with one 24-bit TrueColor visual.
func fakeSetup(mask uint32) protocol.Setup {
	visual := protocol.Visualtype{VisualId: 0x21, Class: protocol.VisualClassTrueColor, BitsPerRgbValue: 8, ColormapEntries: 256,
		RedMask: 0xff0000, GreenMask: 0xff00, BlueMask: 0xff}
	return protocol.Setup{
		Status:                   protocol.SetupStatusSuccess,
		ProtocolMajorVersion:     11,
		ResourceIdBase:           0x200000,
		ResourceIdMask:           mask,
		MaximumRequestLength:     65535,
		ImageByteOrder:           protocol.ImageOrderLSBFirst,
		BitmapFormatBitOrder:     protocol.ImageOrderLSBFirst,
		BitmapFormatScanlineUnit: 32,
		BitmapFormatScanlinePad:  32,
		MinKeycode:               8,
		MaxKeycode:               255,
		Vendor:                   []byte("fake"),
		PixmapFormats:            []protocol.Format{{Depth: 1, BitsPerPixel: 1, ScanlinePad: 32}, {Depth: 24, BitsPerPixel: 32, ScanlinePad: 32}},
		Roots: []protocol.Screen{{
			Root: 0x40, DefaultColormap: 0x20, WhitePixel: 0xffffff, WidthInPixels: 64, HeightInPixels: 64,
			WidthInMillimeters: 17, HeightInMillimeters: 17, MinInstalledMaps: 1, MaxInstalledMaps: 1, RootVisual: 0x21, RootDepth: 24,
			AllowedDepths: []protocol.Depth{{Depth: 24, Visuals: []protocol.Visualtype{visual}}},
		}},
	}
}

// A fakePeer is the server side of a connection to a fake server.
type fakePeer struct {
	t testing.TB
	c net.Conn
	o protocol.ByteOrder
}

// fakeServer listens on a loopback port and returns the client side of a
// connection to it. The server side reads the setup request and answers
// with answer (nil: a successful setup with the given id mask) in the
// client's byte order, then runs serve, if any, and closes the connection.
func fakeServer(t testing.TB, answer func(o protocol.ByteOrder) []byte, mask uint32, serve func(p *fakePeer)) net.Conn {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		c, err := l.Accept()
		l.Close()
		if err != nil {
			return
		}
		defer c.Close()
		head := make([]byte, 12)
		if _, err := io.ReadFull(c, head); err != nil {
			return
		}
		o, n, err := protocol.SetupRequestLength(head)
		if err != nil {
			return
		}
		if _, err := io.ReadFull(c, make([]byte, n-12)); err != nil {
			return
		}
		var b []byte
		if answer != nil {
			b = answer(o)
		} else {
			b = fakeSetup(mask).Marshal(o, nil)
		}
		if _, err := c.Write(b); err != nil {
			return
		}
		if serve != nil {
			serve(&fakePeer{t: t, c: c, o: o})
		}
	}()
	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// request reads one request and returns it whole.
func (p *fakePeer) request() ([]byte, error) {
	head := make([]byte, 4)
	if _, err := io.ReadFull(p.c, head); err != nil {
		return nil, err
	}
	n, big := protocol.RequestLength(p.o, head)
	if big {
		ext := make([]byte, 4)
		if _, err := io.ReadFull(p.c, ext); err != nil {
			return nil, err
		}
		head = append(head, ext...)
		n, _ = protocol.RequestLength(p.o, head)
	}
	b := make([]byte, n)
	copy(b, head)
	_, err := io.ReadFull(p.c, b[len(head):])
	return b, err
}
