package pixelproto

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"image"
	"image/png"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"netdisplay/internal/peer"
)

// freePort returns a loopback port nothing listens on, for a peer that
// must be told its port.
func freePort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

func waitListening(t *testing.T, addr string) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
	}
	t.Fatalf("nothing listens on %s", addr)
}

// TestNoVNC runs Debian's noVNC in headless Chromium through websockify.
func TestNoVNC(t *testing.T) {
	peer.Need(t, "websockify", "chromium")
	const novnc = "/usr/share/novnc"
	src := NewMemSource(320, 240, "novnc test")
	drawDesktop(src, 13)
	in := recordInput(src)
	srv, addr := startServer(t, src, ServerConfig{})

	wsPort := freePort(t)
	ws := peer.Command(t, "", "websockify", "--web", novnc, "127.0.0.1:"+wsPort, addr)
	var wslog strings.Builder
	ws.Stdout, ws.Stderr = &wslog, &wslog
	if err := ws.Start(); err != nil {
		t.Fatal(err)
	}
	waitListening(t, "127.0.0.1:"+wsPort)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath("/usr/bin/chromium"), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1024, 768),
		chromedp.Flag("disable-quic", true))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	defer cancelT()

	url := fmt.Sprintf("http://127.0.0.1:%s/vnc.html?host=127.0.0.1&port=%s&autoconnect=1&resize=off&quality=9&compression=2", wsPort, wsPort)
	if _, err := chromedp.Run(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	canvas := func() *image.RGBA {
		data, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
			const c = document.querySelector('#noVNC_container canvas');
			return c && c.width > 1 ? c.toDataURL('image/png') : '';
		})()`))
		if err != nil || !strings.HasPrefix(data, "data:image/png;base64,") {
			return nil
		}
		b, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(data, "data:image/png;base64,"))
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			return nil
		}
		rgba := image.NewRGBA(img.Bounds())
		for y := range img.Bounds().Dy() {
			for x := range img.Bounds().Dx() {
				r, g, b, _ := img.At(x, y).RGBA()
				rgba.Pix[rgba.PixOffset(x, y)], rgba.Pix[rgba.PixOffset(x, y)+1], rgba.Pix[rgba.PixOffset(x, y)+2], rgba.Pix[rgba.PixOffset(x, y)+3] = uint8(r>>8), uint8(g>>8), uint8(b>>8), 0xff
			}
		}
		return rgba
	}
	// check waits until noVNC shows the source: tiles with few colours
	// exactly, the photo-like ones (sent as JPEG) closely.
	check := func() {
		t.Helper()
		want := src.Image()
		deadline := time.Now().Add(20 * time.Second)
		for {
			got := canvas()
			if got != nil && got.Rect == want.Rect {
				exact, lossy := tightRegions(want)
				bad := 0
				for _, r := range exact {
					n, _ := diff(got, want, r)
					bad += n
				}
				if bad == 0 {
					for _, r := range lossy {
						compareLossy(t, got.SubImage(r), want.SubImage(r).(*image.RGBA), r.Min, 12)
					}
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("%d pixels differ in the lossless areas", bad)
				}
			} else if time.Now().After(deadline) {
				t.Fatalf("no canvas of %v; websockify: %s", want.Rect, wslog.String())
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	check()
	src.Fill(image.Rect(10, 10, 150, 40), 0x804020)
	src.Copy(image.Rect(160, 10, 300, 60), image.Pt(20, 30))
	check()

	// A click and a key.
	box, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => { const r = document.querySelector('#noVNC_container canvas').getBoundingClientRect(); return [r.left, r.top]; })()`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.MouseClickXY(box[0]+40.5, box[1]+50.5)); err != nil {
		t.Fatal(err)
	}
	in.waitPointer(t, 40, 50, 1)
	in.waitPointer(t, 40, 50, 0)
	if _, err := chromedp.Run(ctx, chromedp.KeyEvent("q")); err != nil {
		t.Fatal(err)
	}
	in.waitKey(t, 'q', true)
	in.waitKey(t, 'q', false)
	for _, v := range srv.Viewers() {
		t.Logf("noVNC: RFB %s, %v, preferred %v, continuous %v, %+v", v.Version, v.PixelFormat, v.Preferred, v.Continuous, v.ByEncoding)
	}
}

// tightRegions splits a full-frame update of img as the Tight encoder
// does with JPEG on: 64×64 tiles with few colours are lossless.
func tightRegions(img *image.RGBA) (exact, lossy []image.Rectangle) {
	var cc colourCounter
	for y := 0; y < img.Rect.Dy(); y += tightTile {
		for x := 0; x < img.Rect.Dx(); x += tightTile {
			r := image.Rect(x, y, x+tightTile, y+tightTile).Intersect(img.Rect)
			var px []uint32
			for ty := r.Min.Y; ty < r.Max.Y; ty++ {
				for tx := r.Min.X; tx < r.Max.X; tx++ {
					o := img.PixOffset(tx, ty)
					px = append(px, uint32(img.Pix[o])<<16|uint32(img.Pix[o+1])<<8|uint32(img.Pix[o+2]))
				}
			}
			if _, few := cc.colours(px, tightPhoto); few {
				exact = append(exact, r)
			} else {
				lossy = append(lossy, r)
			}
		}
	}
	return exact, lossy
}
