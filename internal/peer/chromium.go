package peer

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Chromium starts Debian's headless Chromium for a test, or skips the test
// if it is missing. The page's console and exceptions go to the test log.
// The browser lives until the test ends; the context it returns bounds
// the test's actions to 90 s.
func Chromium(t testing.TB) context.Context {
	t.Helper()
	Need(t, "chromium")
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath("/usr/bin/chromium"), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1024, 768),
		chromedp.Flag("disable-quic", true))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancel()
		cancelA()
	})
	err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			var parts []string
			for _, a := range ev.Args {
				parts = append(parts, strings.Trim(string(a.Value), `"`))
			}
			t.Logf("console.%s: %s", ev.Type, strings.Join(parts, " "))
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			if d.Exception != nil {
				t.Logf("page exception: %s: %s", d.Text, d.Exception.Description)
			} else {
				t.Logf("page exception: %s", d.Text)
			}
		}
	})
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	tctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelT)
	return tctx
}

// Canvas returns the pixels of the canvas that selector names in the page,
// or nil if there is none yet, it is empty, or the page cannot be read.
func Canvas(ctx context.Context, selector string) *image.RGBA {
	data, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`(() => {
		const c = document.querySelector(%q);
		return c && c.width > 1 ? c.toDataURL('image/png') : '';
	})()`, selector)))
	if err != nil || !strings.HasPrefix(data, "data:image/png;base64,") {
		return nil
	}
	b, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(data, "data:image/png;base64,"))
	if err != nil {
		return nil
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil
	}
	rgba := image.NewRGBA(img.Bounds())
	for y := range img.Bounds().Dy() {
		for x := range img.Bounds().Dx() {
			r, g, b, _ := img.At(x, y).RGBA()
			o := rgba.PixOffset(x, y)
			rgba.Pix[o], rgba.Pix[o+1], rgba.Pix[o+2], rgba.Pix[o+3] = uint8(r>>8), uint8(g>>8), uint8(b>>8), 0xff
		}
	}
	return rgba
}
