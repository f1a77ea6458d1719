package main

import (
	"net"
	"regexp"
	"strings"
	"testing"

	"netdisplay/pixelproto"
)

// rfbOnLoopback serves a small RFB server on loopback, with password or
// none, and returns its address.
func rfbOnLoopback(t *testing.T, password []byte) string {
	t.Helper()
	src := pixelproto.NewMemSource(32, 32, "mem")
	s := pixelproto.NewServer(src, pixelproto.ServerConfig{Password: password, Logf: func(string, ...any) {}})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(l)
	t.Cleanup(func() { l.Close(); s.Close() })
	return l.Addr().String()
}

// netdisplay web is loopback by default; beyond loopback it relays only
// to an RFB server that asks for a password, as serve --web serves pixel
// mode there only with one.
func TestWebRelayAccess(t *testing.T) {
	open := rfbOnLoopback(t, nil)
	w, err := startWebRelay(open, ":0", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^http://127\.0\.0\.1:\d+/\?token=[0-9a-f]{32}$`).MatchString(w.url) {
		t.Errorf("URL %q", w.url)
	}
	w.Close()

	ip := nonLoopbackIP(t)
	if w, err := startWebRelay(open, net.JoinHostPort(ip, "0"), "", ""); err == nil {
		w.Close()
		t.Fatal("relayed beyond loopback to an RFB server without a password")
	} else if !strings.Contains(err.Error(), "password") {
		t.Errorf("error %q does not say why", err)
	}
	locked := rfbOnLoopback(t, []byte("sesame"))
	w, err = startWebRelay(locked, net.JoinHostPort(ip, "0"), "", "")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if !strings.HasPrefix(w.url, "http://"+ip+":") {
		t.Errorf("URL %q", w.url)
	}
	if types, err := rfbSecurityTypes(locked); err != nil || !passwordOnly(types) {
		t.Errorf("security types of a server with a password: %v, %v", types, err)
	}
}
