package webviewer

import (
	"context"
	"fmt"
	"image"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"netdisplay/internal/peer"
	"netdisplay/xserver"
	"netdisplay/xserver/transport"
)

// TestPagePixelMode loads the URL serve prints, as a person would, with
// xlogo and a python3-xlib program on the display: the page connects in
// pixel mode by itself, its canvas shows the X server's framebuffer pixel
// for pixel, and a click and keys in the page reach the program.
func TestPagePixelMode(t *testing.T) {
	peer.Need(t, "chromium", "python3", "xlogo")
	d := startDesk(t, deskOptions{width: 640, height: 400})
	start(t, d.display, "xlogo", "-geometry", "120x120+300+40")
	demo := pydemo(t, d.display)
	// The page is loaded through a proxy that counts the RFB bytes in the
	// WebSocket's messages.
	proxy := newWSProxy(t, d.webAddr)
	ctx := peer.Chromium(t)
	run(t, ctx, chromedp.Navigate(strings.Replace(d.url, d.webAddr, proxy.addr, 1)))
	waitCanvas(t, ctx, "#canvas", func() *image.RGBA { return screenOf(d.x) })
	testInput(t, ctx, demo, func() *image.RGBA { return screenOf(d.x) })

	// Statistics: the proxy's count, the page's, and the web server's.
	var pageIn, pageOut, webTo, webFrom float64
	agree := func(a, b float64) bool { return b > 0 && a >= b*0.99 && a <= b*1.01 }
	waitFor(t, "the statistics to agree with the proxy's count", 20*time.Second, func() bool {
		st := pageStats(t, ctx)
		pageIn, _ = st["bytes_in"].(float64)
		pageOut, _ = st["bytes_out"].(float64)
		var ws Stats
		getJSON(t, "http://"+d.webAddr+"/stats?token="+d.web.Token(), &ws)
		webTo, webFrom = float64(ws.RFB.ToBrowser), float64(ws.RFB.FromBrowser)
		to, from := float64(proxy.toBrowser.Load()), float64(proxy.fromBrowser.Load())
		return agree(pageIn, to) && agree(pageOut, from) && agree(webTo, to) && agree(webFrom, from)
	})
	t.Logf("RFB bytes to the page: proxy %d (%d with WebSocket framing), page %.0f, web server %.0f; "+
		"from the page: proxy %d (%d with framing and the HTTP upgrade), page %.0f, web server %.0f",
		proxy.toBrowser.Load(), proxy.rawToBrowser.Load(), pageIn, webTo,
		proxy.fromBrowser.Load(), proxy.rawFromBrow.Load(), pageOut, webFrom)
	checkLatency(t, ctx)
}

// testInput clicks and types in the page, and checks that pydemo (at
// 10,10 with a border of 2) sees them, and that the canvas shows what it
// draws in answer.
func testInput(t *testing.T, ctx context.Context, demo *program, screen func() *image.RGBA) {
	t.Helper()
	x0, y0 := canvasOrigin(t, ctx, "#canvas")
	run(t, ctx, chromedp.MouseClickXY(x0+62.5, y0+82.5))
	demo.waitLine(t, "click 50 70 1", 10*time.Second)
	run(t, ctx, chromedp.MouseClickXY(x0+102.5, y0+52.5, chromedp.ButtonRight))
	demo.waitLine(t, "click 90 40 3", 10*time.Second)
	// pydemo marks each click with a square: the canvas must show them.
	waitCanvas(t, ctx, "#canvas", screen)

	// A letter, a shifted character (the X server holds Shift, keycode 50,
	// for "!" on keycode 10), and a Latin-1 one, which the US map lacks and
	// the server puts on a spare keycode.
	before := strings.Count(demo.String(), "\nkey ")
	run(t, ctx, chromedp.KeyEvent("q"))
	demo.waitLine(t, "key 24", 10*time.Second)
	run(t, ctx, chromedp.KeyEvent("!"))
	demo.waitLine(t, "key 10", 10*time.Second)
	demo.waitLine(t, "key 50", 10*time.Second)
	// chromedp's KeyEvent knows only a US keyboard; é is on 2 in France.
	typeKey(t, ctx, "é", "Digit2")
	waitFor(t, "a key press for é", 10*time.Second, func() bool {
		return strings.Count(demo.String(), "\nkey ") >= before+4
	})
	t.Logf("pydemo saw:\n%s", demo.String())
}

// typeKey presses and releases a key as a keyboard with another layout
// would: key is what it types, code which key it is.
func typeKey(t *testing.T, ctx context.Context, key, code string) {
	t.Helper()
	for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeKeyDown, input.DispatchKeyEventTypeKeyUp} {
		p := input.DispatchKeyEventParams{Type: typ, Key: key, Code: code}
		if typ == input.DispatchKeyEventTypeKeyDown {
			p.Text = key
		}
		if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, p); err != nil {
			t.Fatalf("chromium: %v", err)
		}
	}
}

// TestPageXMode makes the page the display: remote applications connect
// to the web server's X11 port, and their X11 crosses to the X server
// running in the page. The canvas must show what the same applications
// draw on an X server here at the same size, and input in the page must
// reach them. The X11 bytes go through a counting proxy, whose count the
// page's and the server's statistics must agree with.
func TestPageXMode(t *testing.T) {
	peer.Need(t, "chromium", "python3", "xlogo")
	d := startDesk(t, deskOptions{width: 320, height: 200})
	ctx := peer.Chromium(t)
	run(t, ctx, chromedp.Navigate(d.url+"&mode=x11"))
	var size image.Point
	waitFor(t, "the page to be the display", 30*time.Second, func() bool {
		st := pageStats(t, ctx)
		sz, _ := st["size"].(map[string]any)
		if st["mode"] != "x11" || sz == nil {
			return false
		}
		size = image.Pt(int(sz["X"].(float64)), int(sz["Y"].(float64)))
		return d.web.relay.current() != nil
	})
	t.Logf("the page's screen is %v", size)

	// The same applications on an X server here, for the pixels to expect.
	ref, refDisplay := startX(t, size.X, size.Y)
	start(t, refDisplay, "xlogo", "-geometry", "120x120+300+40")
	pydemo(t, refDisplay)

	proxy := peer.NewCountingProxy(t, d.relay)
	start(t, proxy.Display, "xlogo", "-geometry", "120x120+300+40")
	demo := pydemo(t, proxy.Display)
	waitCanvas(t, ctx, "#canvas", func() *image.RGBA { return screenOf(ref) })

	// Input: the reference gets the same clicks, so that the pictures stay
	// the same.
	refClick := func(x, y, button int) {
		ref.MovePointer(x, y)
		ref.Button(button, true)
		ref.Button(button, false)
	}
	refClick(62, 82, 1)
	refClick(102, 52, 3)
	testInput(t, ctx, demo, func() *image.RGBA { return screenOf(ref) })

	// Statistics: the proxy's count of the X11 bytes, the page's, and the
	// web server's.
	var pageIn, pageOut, webTo, webFrom float64
	agree := func(a, b float64) bool { return b > 0 && a >= b*0.99 && a <= b*1.01 }
	waitFor(t, "the statistics to agree with the proxy's count", 20*time.Second, func() bool {
		st := pageStats(t, ctx)
		pageIn, _ = st["bytes_in"].(float64)
		pageOut, _ = st["bytes_out"].(float64)
		var ws Stats
		getJSON(t, "http://"+d.webAddr+"/stats?token="+d.web.Token(), &ws)
		webTo, webFrom = float64(ws.X11.ToBrowser), float64(ws.X11.FromBrowser)
		toServer, toClient := float64(proxy.ToServer.Load()), float64(proxy.ToClient.Load())
		return agree(pageIn, toServer) && agree(pageOut, toClient) && agree(webTo, toServer) && agree(webFrom, toClient)
	})
	t.Logf("X11 bytes to the page: proxy %d, page %.0f, web server %.0f; from the page: proxy %d, page %.0f, web server %.0f",
		proxy.ToServer.Load(), pageIn, webTo, proxy.ToClient.Load(), pageOut, webFrom)
	checkLatency(t, ctx)

	// The X screen follows the browser window.
	run(t, ctx, chromedp.EmulateViewport(800, 500))
	waitFor(t, "the screen to follow the window", 10*time.Second, func() bool {
		sz, _ := pageStats(t, ctx)["size"].(map[string]any)
		return sz != nil && sz["X"] == 800.0 && sz["Y"] == 500.0-32 // less the tool bar
	})
	if err := ref.Resize(800, 468); err != nil {
		t.Fatal(err)
	}
	waitCanvas(t, ctx, "#canvas", func() *image.RGBA { return screenOf(ref) })

	// Another page becomes the display: this one says so, and offers to
	// take it back.
	other, cancel := chromedp.NewContext(ctx)
	defer cancel()
	run(t, other, chromedp.Navigate(d.url+"&mode=x11"))
	waitMessage(t, ctx, "Another page became display "+d.relay)
	demo.waitExit(t)
}

// waitMessage waits for the page to show a message with its Reconnect
// button.
func waitMessage(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	waitFor(t, "the page to say "+want, 15*time.Second, func() bool {
		s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('message').hidden ? '' :
			document.getElementById('msgtext').textContent + (document.getElementById('reconnect').hidden ? '' : ' [Reconnect]')`))
		return strings.Contains(s, want) && strings.HasSuffix(s, "[Reconnect]")
	})
}

// checkLatency: after a click that drew, the page reports the latency of
// that input.
func checkLatency(t *testing.T, ctx context.Context) {
	t.Helper()
	waitFor(t, "the page to report the input latency", 10*time.Second, func() bool {
		ns, _ := pageStats(t, ctx)["input_latency_ns"].(float64)
		return ns > 0 && ns < 10e9
	})
	ns := pageStats(t, ctx)["input_latency_ns"].(float64)
	t.Logf("input latency: %.1f ms", ns/1e6)
}

// startX runs an X server here on a display of its own.
func startX(t *testing.T, w, h int) (*xserver.Server, string) {
	t.Helper()
	disp, err := transport.Listen(transport.Options{Number: -1, TCP: "none"})
	if err != nil {
		t.Fatal(err)
	}
	x := xserver.New(xserver.Config{Width: w, Height: h, Logf: func(string, ...any) {}})
	for _, l := range disp.Listeners {
		go x.Serve(l, transport.Loopback)
	}
	t.Cleanup(func() {
		x.Close()
		disp.Close()
	})
	return x, fmt.Sprintf(":%d", disp.Number)
}
