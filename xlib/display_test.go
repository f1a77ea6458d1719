//go:build linux

package xlib_test

import (
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"netdisplay/internal/peer"
	"netdisplay/xlib"
	"netdisplay/xserver"
	"netdisplay/xserver/transport"
)

func TestParseDisplay(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "sock")
	if err := os.WriteFile(sock, nil, 0600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in   string
		want xlib.Display
		str  string // String(), if not in
	}{
		{":1", xlib.Display{Number: 1}, ""},
		{":1.0", xlib.Display{Number: 1}, ":1"},
		{":12.3", xlib.Display{Number: 12, Screen: 3}, ""},
		{"unix:1", xlib.Display{Protocol: "unix", Number: 1}, "unix/:1"},
		{"unix:1.2", xlib.Display{Protocol: "unix", Number: 1, Screen: 2}, "unix/:1.2"},
		{"unix/:1", xlib.Display{Protocol: "unix", Number: 1}, ""},
		{"local/:1", xlib.Display{Protocol: "unix", Number: 1}, "unix/:1"},
		{"host:1", xlib.Display{Host: "host", Number: 1}, ""},
		{"localhost:10.0", xlib.Display{Host: "localhost", Number: 10}, "localhost:10"},
		{"example.com:0.1", xlib.Display{Host: "example.com", Screen: 1}, ""},
		{"192.168.1.2:5", xlib.Display{Host: "192.168.1.2", Number: 5}, ""},
		{"tcp/host:2", xlib.Display{Protocol: "tcp", Host: "host", Number: 2}, ""},
		{"inet6/host:2", xlib.Display{Protocol: "inet6", Host: "host", Number: 2}, ""},
		{"[::1]:3", xlib.Display{Host: "::1", Number: 3}, ""},
		{"::1:3", xlib.Display{Host: "::1", Number: 3}, "[::1]:3"},
		{"[fe80::1]:0.1", xlib.Display{Host: "fe80::1", Screen: 1}, ""},
		{sock, xlib.Display{Protocol: "unix", Host: sock}, ""},
		{sock + ".2", xlib.Display{Protocol: "unix", Host: sock, Screen: 2}, ""},
		{"unix:" + sock, xlib.Display{Protocol: "unix", Host: sock}, sock},
	}
	for _, tt := range tests {
		got, err := xlib.ParseDisplay(tt.in)
		if err != nil {
			t.Errorf("ParseDisplay(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseDisplay(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
		str := tt.str
		if str == "" {
			str = tt.in
		}
		if got.String() != str {
			t.Errorf("ParseDisplay(%q).String() = %q, want %q", tt.in, got.String(), str)
		}
	}
	for _, bad := range []string{"1", "host", ":", ":x", ":1.", ":1.x", ":1.0.0", "host:-1", ":99999", "ftp/host:1", ":+1"} {
		if d, err := xlib.ParseDisplay(bad); err == nil {
			t.Errorf("ParseDisplay(%q) = %+v, want an error", bad, d)
		}
	}
	t.Setenv("DISPLAY", "somewhere:7.1")
	if d, err := xlib.ParseDisplay(""); err != nil || d != (xlib.Display{Host: "somewhere", Number: 7, Screen: 1}) {
		t.Errorf("ParseDisplay(\"\") with DISPLAY set: %+v, %v", d, err)
	}
	t.Setenv("DISPLAY", "")
	if _, err := xlib.ParseDisplay(""); err == nil || !strings.Contains(err.Error(), "DISPLAY") {
		t.Errorf("ParseDisplay(\"\") without DISPLAY: %v", err)
	}
}

// TestDial connects through each form of display string.
func TestDial(t *testing.T) {
	nd := startNetdisplay(t, xserver.Config{Width: 320, Height: 200})
	d, _ := xlib.ParseDisplay(nd)
	n := d.Number
	forms := []string{
		fmt.Sprintf(":%d", n),
		fmt.Sprintf(":%d.0", n),
		fmt.Sprintf("unix:%d", n),
		fmt.Sprintf("unix/:%d", n),
		fmt.Sprintf("localhost:%d", n),
		fmt.Sprintf("127.0.0.1:%d.0", n),
		fmt.Sprintf("tcp/127.0.0.1:%d", n),
		fmt.Sprintf("inet/localhost:%d", n),
		fmt.Sprintf("%s/X%d", xlib.SocketDir, n),
		fmt.Sprintf("unix:%s/X%d", xlib.SocketDir, n),
	}
	for _, form := range forms {
		c, err := xlib.Open(form)
		if err != nil {
			t.Errorf("Open(%q): %v", form, err)
			continue
		}
		if g, err := c.GetGeometry(c.Root()).Reply(); err != nil || g.Width != 320 {
			t.Errorf("Open(%q): root geometry %+v, %v", form, g, err)
		}
		c.Close()
	}
	t.Setenv("DISPLAY", nd)
	c, err := xlib.Open("")
	if err != nil {
		t.Fatalf("Open(\"\") with DISPLAY=%s: %v", nd, err)
	}
	c.Close()
	if _, err := xlib.Open(fmt.Sprintf(":%d.1", n)); err == nil || !strings.Contains(err.Error(), "no screen 1") {
		t.Errorf("Open of screen 1: %v", err)
	}
	if _, err := xlib.Open(fmt.Sprintf("unix:%d", n+500)); err == nil || !strings.Contains(err.Error(), "cannot connect") {
		t.Errorf("Open of a display nobody serves: %v", err)
	}
}

// TestXauthority checks that Dial finds the cookie of a display in the
// Xauthority file, written by netdisplay's transport and by xauth(1),
// for netdisplay and Xvfb servers that demand one.
func TestXauthority(t *testing.T) {
	cookie, err := transport.NewCookie()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()

	t.Run("netdisplay", func(t *testing.T) {
		// Trust nobody: every connection must show the cookie.
		display := startNetdisplayTrust(t, xserver.Config{Width: 64, Height: 64, Cookie: cookie}, func(net.Conn) bool { return false })
		d, _ := xlib.ParseDisplay(display)
		file := filepath.Join(dir, "netdisplay")
		if err := transport.WriteXauthority(file, d.Number, cookie); err != nil {
			t.Fatal(err)
		}
		checkAuth(t, file, display, fmt.Sprintf("localhost:%d", d.Number))
	})

	t.Run("Xvfb", func(t *testing.T) {
		peer.Need(t, "Xvfb", "xauth")
		// Xvfb reads the cookies it accepts from -auth at startup, for
		// any display number; the client's file names the real one.
		hexCookie := hex.EncodeToString(cookie)
		server := filepath.Join(dir, "server")
		xauth(t, server, "add", ":0", ".", hexCookie)
		display := peer.Xvfb(t, 64, 64, "-auth", server, "-noreset")
		client := filepath.Join(dir, "client")
		xauth(t, client, "add", "othername/unix"+display, ".", "00112233445566778899aabbccddeeff")
		xauth(t, client, "add", display, ".", hexCookie)
		checkAuth(t, client, display)
	})
}

// checkAuth opens each display with the cookie in file, found through
// $XAUTHORITY and through Options.Xauthority, and checks that the server
// refuses a connection without it.
func checkAuth(t *testing.T, file string, displays ...string) {
	t.Helper()
	for _, display := range displays {
		t.Setenv("XAUTHORITY", file)
		c, err := xlib.Open(display)
		if err != nil {
			t.Errorf("Open(%q) with XAUTHORITY=%s: %v", display, file, err)
		} else {
			c.Close()
		}
		t.Setenv("XAUTHORITY", filepath.Join(t.TempDir(), "none"))
		if _, err := xlib.Open(display); err == nil || !strings.Contains(err.Error(), "refused the connection") {
			t.Errorf("Open(%q) without a cookie: %v, want a refusal", display, err)
		}
		c, err = xlib.Dial(display, xlib.Options{Xauthority: file})
		if err != nil {
			t.Errorf("Dial(%q) with Options.Xauthority: %v", display, err)
		} else {
			c.Close()
		}
	}
}

func xauth(t *testing.T, file string, args ...string) {
	t.Helper()
	out, err := exec.Command("xauth", append([]string{"-q", "-f", file}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("xauth %v: %v: %s", args, err, out)
	}
}
