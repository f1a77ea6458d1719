package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// serve --web prints the page's URL, token included, and the display X
// mode relays; the URL works, and the same server without the token
// refuses.
func TestServeWeb(t *testing.T) {
	d := serveForTest(t, serveFlags{web: ":0", webX11: "auto"})
	line := d.readyLine()
	m := regexp.MustCompile(` web=(http://127\.0\.0\.1:\d+/\?token=[0-9a-f]{32}) web-x11=(:\d+)`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("ready line %q lacks web=URL web-x11=:N", line)
	}
	if m[2] == fmt.Sprintf(":%d", d.d.Number) {
		t.Errorf("X mode relays the display itself: %q", line)
	}
	u, _ := url.Parse(m[1])
	resp, err := http.Get("http://" + u.Host + "/info?" + u.RawQuery)
	if err != nil {
		t.Fatal(err)
	}
	var info struct {
		RFB     bool   `json:"rfb"`
		Display string `json:"display"`
	}
	json.NewDecoder(resp.Body).Decode(&info)
	resp.Body.Close()
	if !info.RFB || info.Display != m[2] {
		t.Errorf("/info: %+v", info)
	}
	resp, err = http.Get("http://" + u.Host + "/info")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("/info without the token: %s", resp.Status)
	}
	// Pixel mode for the browser even with no RFB port.
	d2 := serveForTest(t, serveFlags{web: "127.0.0.1:0", webX11: "none", rfb: "none"})
	if l := d2.readyLine(); !strings.Contains(l, " web=http://") || strings.Contains(l, "web-x11") || strings.Contains(l, "rfb=") {
		t.Errorf("ready line %q", l)
	}
}

// Beyond loopback the browser's pixel mode, like RFB, needs a password.
func TestServeWebBeyondLoopbackNeedsPassword(t *testing.T) {
	ip := nonLoopbackIP(t)
	f := serveFlags{geometry: "64x64", listen: "127.0.0.1", rfb: "none", web: net.JoinHostPort(ip, "0"), webX11: "none"}
	if d, err := startDisplay(&f); err == nil {
		d.close()
		t.Fatal("served pixel mode beyond loopback without a password")
	} else if !strings.Contains(err.Error(), "password") {
		t.Errorf("error %q does not say why", err)
	}
	pass := filepath.Join(t.TempDir(), "pass")
	os.WriteFile(pass, []byte("sesame\n"), 0o600)
	f.rfbPass = pass
	d := serveForTest(t, f)
	if !strings.Contains(d.readyLine(), "web=http://"+ip+":") {
		t.Errorf("ready line %q", d.readyLine())
	}
}
