//go:build linux

package xsource_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"testing"
	"time"

	"image/png"

	"netdisplay/internal/peer"
)

// Pictures: reading them from the X server, from xwd and from viewers,
// and comparing them.

// diffAt counts the pixels of want that differ in got, with want's origin
// at got's point at, and returns the first that differs.
func diffAt(got, want *image.RGBA, at image.Point) (n int, first image.Point) {
	r := want.Rect
	if !r.Add(at).In(got.Rect) {
		return r.Dx() * r.Dy(), at
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			g := got.PixOffset(at.X+x, at.Y+y)
			w := want.PixOffset(x, y)
			if got.Pix[g] != want.Pix[w] || got.Pix[g+1] != want.Pix[w+1] || got.Pix[g+2] != want.Pix[w+2] {
				if n == 0 {
					first = image.Pt(x, y)
				}
				n++
			}
		}
	}
	return n, first
}

// lossyWorst compares an image that went through JPEG with the original,
// as pixelproto's vncsnapshot test does: it returns the largest mean
// difference of one colour channel over an 8×8 block. Averaging over a
// block forgives JPEG's ringing around edges but not a wrong colour, a
// shifted picture or a missing area.
func lossyWorst(got image.Image, want *image.RGBA) (worst int, worstAt image.Point) {
	for by := 0; by < want.Rect.Dy(); by += 8 {
		for bx := 0; bx < want.Rect.Dx(); bx += 8 {
			var sum [3]int
			n := 0
			for y := by; y < min(by+8, want.Rect.Dy()); y++ {
				for x := bx; x < min(bx+8, want.Rect.Dx()); x++ {
					r, g, b, _ := got.At(got.Bounds().Min.X+x, got.Bounds().Min.Y+y).RGBA()
					o := want.PixOffset(x, y)
					sum[0] += int(r>>8) - int(want.Pix[o])
					sum[1] += int(g>>8) - int(want.Pix[o+1])
					sum[2] += int(b>>8) - int(want.Pix[o+2])
					n++
				}
			}
			for _, s := range sum {
				if s < 0 {
					s = -s
				}
				if s/n > worst {
					worst, worstAt = s/n, image.Pt(bx, by)
				}
			}
		}
	}
	return worst, worstAt
}

// toRGBA converts any image to an opaque RGBA image at the origin.
func toRGBA(img image.Image) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			r, g, bl, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			o := out.PixOffset(x, y)
			out.Pix[o], out.Pix[o+1], out.Pix[o+2], out.Pix[o+3] = uint8(r>>8), uint8(g>>8), uint8(bl>>8), 0xff
		}
	}
	return out
}

// colours counts the distinct colours of img, up to limit+1.
func colours(img *image.RGBA, r image.Rectangle, limit int) int {
	seen := make(map[[3]uint8]bool)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			o := img.PixOffset(x, y)
			seen[[3]uint8{img.Pix[o], img.Pix[o+1], img.Pix[o+2]}] = true
			if len(seen) > limit {
				return len(seen)
			}
		}
	}
	return len(seen)
}

// xwd dumps a window of display (the root with "-root", or "-id", ID).
func xwd(t *testing.T, display string, args ...string) *image.RGBA {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var out, stderr bytes.Buffer
	cmd := peer.Command(t, display, "xwd", append([]string{"-silent"}, args...)...)
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("xwd %v on %s: %v: %s", args, display, err, stderr.String())
		}
	case <-ctx.Done():
		cmd.Process.Kill()
		t.Fatalf("xwd %v on %s hung", args, display)
	}
	img, err := peer.DecodeXWD(out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// savePNG writes an image where a failing test can be looked at, and
// returns its name: under $NETDISPLAY_TEST_OUT when set.
func savePNG(t *testing.T, img image.Image, name string) string {
	dir := os.Getenv("NETDISPLAY_TEST_OUT")
	if dir == "" {
		dir = t.TempDir()
	}
	p := filepath.Join(dir, name)
	f, err := os.Create(p)
	if err != nil {
		return fmt.Sprintf("(cannot save %s: %v)", name, err)
	}
	defer f.Close()
	png.Encode(f, img)
	return p
}
