//go:build linux

package main

import (
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chromedp/chromedp"

	"netdisplay/internal/peer"
	"netdisplay/webviewer"
)

// The viewers' pixel mode against a foreign RFB server: TigerVNC's Xvnc,
// as Debian ships it, with xlogo and the python3-xlib test client on it.
// Each viewer must show what xwd reads from Xvnc's screen, pass a click
// and a key to the client, and report its statistics.

// xvncWithClients starts a 320x240 Xvnc with pydemo (at (10,10), 244x164
// with its border) and xlogo beside it, and waits for both to be on the
// screen. It returns the display, the RFB target, pydemo's events and a
// function that reads the screen with xwd.
func xvncWithClients(t *testing.T) (string, string, <-chan string, func() *image.RGBA) {
	t.Helper()
	peer.Need(t, "Xvnc", "xlogo", "xwd", "python3")
	display, port := startXvnc(t, "320x240")
	events := runPydemo(t, display)
	logo := peer.Command(t, display, "xlogo", "-geometry", "56x56+260+176")
	if err := logo.Start(); err != nil {
		t.Fatal(err)
	}
	root := func() *image.RGBA {
		out, err := exec.Command("xwd", "-display", display, "-root", "-silent").Output()
		if err != nil {
			t.Fatalf("xwd of Xvnc: %v", err)
		}
		img, err := peer.DecodeXWD(out)
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	deadline := time.Now().Add(20 * time.Second)
	for isBlack(root(), image.Rect(260, 176, 316, 232)) {
		if time.Now().After(deadline) {
			t.Fatal("xlogo did not show on Xvnc in 20s")
		}
		time.Sleep(100 * time.Millisecond)
	}
	return display, fmt.Sprintf("vnc://127.0.0.1:%d", port), events, root
}

// paneCells parses capture-pane -e output of a pane of upper half blocks
// into the colours each cell shows: its foreground (top pixel) and
// background (bottom pixel). A default colour is the zero color.RGBA.
func paneCells(capture string) [][][2]color.RGBA {
	var rows [][][2]color.RGBA
	var row [][2]color.RGBA
	var fg, bg color.RGBA
	sgr := func(params string) {
		ps := strings.Split(params, ";")
		num := func(i int) uint8 {
			if i >= len(ps) {
				return 0
			}
			v, _ := strconv.Atoi(ps[i])
			return uint8(v)
		}
		for i := 0; i < len(ps); i++ {
			switch ps[i] {
			case "", "0":
				fg, bg = color.RGBA{}, color.RGBA{}
			case "39":
				fg = color.RGBA{}
			case "49":
				bg = color.RGBA{}
			case "38", "48":
				which, c := ps[i], color.RGBA{}
				if i+1 < len(ps) && ps[i+1] == "2" {
					c = color.RGBA{num(i + 2), num(i + 3), num(i + 4), 0xff}
					i += 4
				} else if i+1 < len(ps) && ps[i+1] == "5" {
					i += 2 // a palette colour: not what truecolor draws
				}
				if which == "38" {
					fg = c
				} else {
					bg = c
				}
			}
		}
	}
	for s := capture; s != ""; {
		switch {
		case strings.HasPrefix(s, "\x1b["):
			end := strings.IndexAny(s[2:], "@ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
			if end < 0 {
				return rows
			}
			if s[2+end] == 'm' {
				sgr(s[2 : 2+end])
			}
			s = s[3+end:]
		case s[0] == '\n':
			rows = append(rows, row)
			row = nil
			s = s[1:]
		default:
			_, n := utf8.DecodeRuneInString(s)
			row = append(row, [2]color.RGBA{fg, bg})
			s = s[n:]
		}
	}
	if row != nil {
		rows = append(rows, row)
	}
	return rows
}

// cellsDiffer counts the cells of the first rows x cols image area that do
// not show want at scale 1 (each cell two pixels, one above the other),
// and says where the first is.
func cellsDiffer(cells [][][2]color.RGBA, want *image.RGBA, cols, rows int) (int, string) {
	n, first := 0, ""
	for y := 0; y < rows; y++ {
		for x := 0; x < cols; x++ {
			var got [2]color.RGBA
			if y < len(cells) && x < len(cells[y]) {
				got = cells[y][x]
			}
			w := [2]color.RGBA{want.RGBAAt(x, 2*y), want.RGBAAt(x, 2*y+1)}
			if got != w {
				if n == 0 {
					first = fmt.Sprintf("cell (%d,%d) shows %v over %v, want %v over %v", x, y, got[0], got[1], w[0], w[1])
				}
				n++
			}
		}
	}
	return n, first
}

// The terminal viewer in pixel mode against Xvnc, in a 320x121 tmux pane
// so that the 320x240 screen fits at scale 1: every cell shows exactly
// the two pixels xwd reads there, a click and a key reach pydemo, and the
// status line and the statistics file say rfb with bytes in.
func TestTermAgainstXvnc(t *testing.T) {
	peer.Need(t, "tmux")
	bin := netdisplayBinary(t)
	_, target, events, root := xvncWithClients(t)
	stats := filepath.Join(t.TempDir(), "stats.json")
	p := newTmux(t, 320, 121, []string{"COLORTERM=truecolor"}, fmt.Sprintf("%s term --stats-json %s %s", bin, stats, target))

	status := regexp.MustCompile(`^rfb ` + regexp.QuoteMeta(target) + ` 320x240 \| in [0-9.]+k?B/s [0-9.]+k?B \| out `)
	p.waitFor("the status line", func() bool { return status.MatchString(p.statusLine()) })
	check := func(what string) {
		t.Helper()
		var n int
		var first string
		deadline := time.Now().Add(20 * time.Second)
		for {
			n, first = cellsDiffer(paneCells(p.capture(true)), root(), 320, 120)
			if n == 0 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: %d of 320x120 cells differ from xwd of Xvnc; the first: %s", what, n, first)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	check("Xvnc's screen")

	checkClick(t, p, events, 150, 120, 320, 240, 320, 120)
	check("pydemo's mark of the click") // pydemo marks where it was clicked
	p.keys("a")
	if got := expectEvent(t, events, "key"); got != "key 38" {
		t.Errorf("typing a reached the client as %q, want key 38", got)
	}

	var st termStats
	p.waitFor("the statistics file", func() bool {
		var ok bool
		st, ok = readStats(stats)
		return ok && st.Connected && st.InputLatency > 0
	})
	t.Logf("against Xvnc: the viewer counted in %d out %d; last input latency %v", st.BytesIn, st.BytesOut, time.Duration(st.InputLatency))
	if st.Mode != "rfb" || st.Target != target || st.BytesIn <= 0 || st.BytesOut <= 0 {
		t.Errorf("statistics file: %+v", st)
	}
	p.keys("C-]", "q")
	p.waitFor("the viewer to quit", func() bool { return !p.alive() })
}

// The desktop viewer in pixel mode against Xvnc: the window shows exactly
// what xwd reads from Xvnc's screen at scale 1, with the statistics
// overlay and without it; a click and a key reach pydemo; the statistics
// say rfb with bytes in.
func TestDesktopAgainstXvnc(t *testing.T) {
	bin := netdisplayBinary(t)
	_, target, events, root := xvncWithClients(t)
	v := startDesktop(t, bin, target)

	v.waitShows("Xvnc's screen with the overlay", root, true)
	// The file is rewritten every second: wait for one written since the
	// window took the screen's size.
	st := v.waitStats("the statistics", func(st desktopStats) bool { return st.Connected && st.Window == image.Pt(320, 240) })
	if st.Mode != "rfb" || st.Target != target || st.BytesIn <= 0 || st.Size != image.Pt(320, 240) || st.Scale != 1 {
		t.Errorf("statistics: %+v", st)
	}
	v.point(150, 120)
	v.keys("ctrl+bracketright", "s")
	v.waitShows("Xvnc's screen exactly, without the overlay", root, false)

	// pydemo's window is at (10,10) with a 2-pixel border.
	v.xdotool("click", "1")
	if got := expectEvent(t, events, "click"); got != "click 138 108 1" {
		t.Errorf("clicking the window at (150,120) gave the client %q, want click 138 108 1", got)
	}
	v.waitShows("pydemo's mark of the click", root, false)
	v.expectKeys(events, keyStep{"a", []string{"key 38"}}, keyStep{"shift+a", []string{"key 50", "key 38"}})

	st = v.waitStats("the input latency", func(st desktopStats) bool { return st.InputLatency > 0 })
	t.Logf("against Xvnc: the viewer counted in %d out %d; last input latency %v", st.BytesIn, st.BytesOut, time.Duration(st.InputLatency))
	if st.Mode != "rfb" || st.BytesIn <= 0 || st.BytesOut <= 0 {
		t.Errorf("statistics: %+v", st)
	}
}

// The browser viewer in pixel mode against Xvnc: "netdisplay web"
// relays the page's RFB to Xvnc, as websockify would. The canvas shows
// exactly what xwd reads from Xvnc's screen, a click and a key on it
// reach pydemo, the page offers no X mode, and the page's statistics,
// its overlay and the web server's /stats say rfb with bytes in.
func TestBrowserAgainstXvnc(t *testing.T) {
	peer.Need(t, "chromium")
	bin := netdisplayBinary(t)
	_, target, events, root := xvncWithClients(t)
	pageURL := startWebCmd(t, bin, "--web", "127.0.0.1:0", target)
	if !regexp.MustCompile(`^http://127\.0\.0\.1:\d+/\?token=[0-9a-f]{32}$`).MatchString(pageURL) {
		t.Fatalf("netdisplay web printed the URL %q", pageURL)
	}
	ctx := peer.Chromium(t)
	runChrome(t, ctx, chromedp.Navigate(pageURL))
	waitCanvasShows(t, ctx, "Xvnc's screen", root)
	if got := evalString(t, ctx, `document.getElementById('mode').value + ' ' + document.getElementById('mode').options[1].disabled`); got != "rfb true" {
		t.Errorf("the page's mode menu: %q, want rfb with X mode disabled", got)
	}

	// pydemo's window is at (10,10) with a 2-pixel border.
	x0, y0 := canvasOrigin(t, ctx)
	runChrome(t, ctx, chromedp.MouseClickXY(x0+150.5, y0+120.5))
	if got := expectEvent(t, events, "click"); got != "click 138 108 1" {
		t.Errorf("clicking the canvas at (150,120) gave the client %q, want click 138 108 1", got)
	}
	waitCanvasShows(t, ctx, "pydemo's mark of the click", root)
	runChrome(t, ctx, chromedp.KeyEvent("a"))
	if got := expectEvent(t, events, "key"); got != "key 38" {
		t.Errorf("typing a reached the client as %q, want key 38", got)
	}

	// The page's count of the RFB bytes must agree with the web server's.
	u, _ := url.Parse(pageURL)
	webStats := func() webviewer.Stats {
		t.Helper()
		var ws webviewer.Stats
		resp, err := http.Get("http://" + u.Host + "/stats?" + u.RawQuery)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(&ws); err != nil {
			t.Fatal(err)
		}
		return ws
	}
	agree := func(a float64, b int64) bool { return b > 0 && a >= float64(b)*0.99 && a <= float64(b)*1.01 }
	var st map[string]any
	var ws webviewer.Stats
	var overlay string
	deadline := time.Now().Add(20 * time.Second)
	for {
		st, ws = pageStats(t, ctx), webStats()
		in, _ := st["bytes_in"].(float64)
		out, _ := st["bytes_out"].(float64)
		updates, _ := st["updates"].(float64)
		overlay = evalString(t, ctx, `document.getElementById('stats').hidden ? '' : document.getElementById('stats').textContent`)
		if st["mode"] == "rfb" && in > 0 && updates > 0 && agree(in, ws.RFB.ToBrowser) && agree(out, ws.RFB.FromBrowser) &&
			strings.HasPrefix(overlay, "RFB: ") && strings.Contains(overlay, "screen 320x240") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the page's statistics: %v; its overlay: %q; the web server's: %+v", st, overlay, ws.RFB)
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Logf("against Xvnc: the page counted %v; the web server to the page %d, from it %d; the overlay:\n%s",
		st, ws.RFB.ToBrowser, ws.RFB.FromBrowser, overlay)
}
