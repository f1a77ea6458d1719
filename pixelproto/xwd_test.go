package pixelproto

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"math/bits"
	"testing"
	"time"

	"netdisplay/internal/peer"
)

// readXWD decodes an X window dump of a TrueColor window at 24 or 32 bits
// per pixel, as xwd writes them.
func readXWD(data []byte) (*image.RGBA, error) {
	if len(data) < 100 {
		return nil, fmt.Errorf("xwd: %d bytes", len(data))
	}
	h := make([]uint32, 25)
	for i := range h {
		h[i] = binary.BigEndian.Uint32(data[4*i:])
	}
	headerSize, format, width, height := h[0], h[2], int(h[4]), int(h[5])
	byteOrder, bpp, stride, ncolors := h[7], h[11], int(h[12]), h[19]
	masks := [3]uint32{h[14], h[15], h[16]}
	if format != 2 || (bpp != 32 && bpp != 24) {
		return nil, fmt.Errorf("xwd: format %d, %d bits per pixel", format, bpp)
	}
	off := int(headerSize) + int(ncolors)*12
	if off+stride*height > len(data) {
		return nil, fmt.Errorf("xwd: short image data")
	}
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	bpb := int(bpp / 8)
	for y := range height {
		row := data[off+y*stride:]
		for x := range width {
			var p uint32
			b := row[x*bpb:]
			for i := range bpb {
				if byteOrder == 0 {
					p |= uint32(b[i]) << (8 * i)
				} else {
					p = p<<8 | uint32(b[i])
				}
			}
			o := img.PixOffset(x, y)
			for c, m := range masks {
				v := (p & m) >> bits.TrailingZeros32(m)
				img.Pix[o+c] = uint8(v * 255 / (m >> bits.TrailingZeros32(m)))
			}
			img.Pix[o+3] = 0xff
		}
	}
	return img, nil
}

// xwdRoot dumps the root window of display.
func xwdRoot(t *testing.T, display string) *image.RGBA {
	t.Helper()
	cmd := peer.Command(t, display, "xwd", "-root", "-silent")
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("xwd: %v", err)
	}
	img, err := readXWD(out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// find returns where want appears, exactly, in img.
func find(img, want *image.RGBA) (image.Point, bool) {
	w, h := want.Rect.Dx(), want.Rect.Dy()
	for y := 0; y+h <= img.Rect.Dy(); y++ {
	next:
		for x := 0; x+w <= img.Rect.Dx(); x++ {
			for _, p := range []image.Point{{0, 0}, {w - 1, h - 1}, {w / 2, h / 2}, {w - 1, 0}, {0, h - 1}} {
				if !samePixel(img, x+p.X, y+p.Y, want, p.X, p.Y) {
					continue next
				}
			}
			for wy := range h {
				for wx := range w {
					if !samePixel(img, x+wx, y+wy, want, wx, wy) {
						continue next
					}
				}
			}
			return image.Pt(x, y), true
		}
	}
	return image.Point{}, false
}

func samePixel(a *image.RGBA, ax, ay int, b *image.RGBA, bx, by int) bool {
	i, j := a.PixOffset(ax, ay), b.PixOffset(bx, by)
	return a.Pix[i] == b.Pix[j] && a.Pix[i+1] == b.Pix[j+1] && a.Pix[i+2] == b.Pix[j+2]
}

// waitScreen waits until want shows, exactly, on display.
func waitScreen(t *testing.T, display string, want *image.RGBA, timeout time.Duration) image.Point {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		img := xwdRoot(t, display)
		if at, ok := find(img, want); ok {
			return at
		}
		if time.Now().After(deadline) {
			t.Fatalf("framebuffer never showed exactly on %s", display)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
