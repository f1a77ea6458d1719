package webviewer

import (
	"image"
	"net/url"
	"os"
	"testing"

	"github.com/chromedp/chromedp"

	"netdisplay/internal/peer"
)

// TestNoVNC opens Debian's noVNC 1.3.0, served by the web server on the
// same origin, on the /websockify endpoint: it must connect with the token
// in its path, show the framebuffer's pixels, and send a click and a key.
func TestNoVNC(t *testing.T) {
	if _, err := os.Stat("/usr/share/novnc/vnc.html"); err != nil {
		t.Skip("skipped: needs noVNC (Debian package novnc); run `make test` as root to install it")
	}
	d := startMemDeskConfig(t, 320, 200, nil, Config{NoVNC: os.DirFS("/usr/share/novnc")})
	u, _ := url.Parse(d.url)
	q := url.Values{
		"host":        {u.Hostname()},
		"port":        {u.Port()},
		"path":        {"websockify?token=" + d.web.Token()},
		"autoconnect": {"1"},
		"resize":      {"off"},
	}
	page := "http://" + u.Host + "/novnc/vnc.html?" + q.Encode()
	ctx := peer.Chromium(t)
	run(t, ctx, chromedp.Navigate(page))
	const sel = "#noVNC_container canvas"
	waitCanvas(t, ctx, sel, d.src.Image)
	d.src.Fill(image.Rect(10, 10, 100, 40), 0x804020)
	waitCanvas(t, ctx, sel, d.src.Image)

	n := d.seen()
	x0, y0 := canvasOrigin(t, ctx, sel)
	run(t, ctx, chromedp.MouseClickXY(x0+40.5, y0+50.5), chromedp.KeyEvent("q"))
	d.waitInput(t, n, "pointer 40 50 1", "pointer 40 50 0", "key 0x71 true", "key 0x71 false")
	for _, v := range d.rfb.Viewers() {
		t.Logf("noVNC: RFB %s, encodings %v, pixels in %v", v.Version, v.Encodings, v.Preferred)
	}
}
