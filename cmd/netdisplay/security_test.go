package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"netdisplay/pixelproto"
	"netdisplay/xserver/transport"
)

// selfSigned writes a certificate and key for 127.0.0.1 and returns their
// files and a pool that trusts the certificate.
func selfSigned(t *testing.T) (cert, key string, pool *x509.CertPool) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "netdisplay test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kd, _ := x509.MarshalECPrivateKey(k)
	dir := t.TempDir()
	cert, key = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0600)
	os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kd}), 0600)
	c, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(c)
	return cert, key, pool
}

// The web server can speak HTTPS, and then only HTTPS.
func TestWebTLS(t *testing.T) {
	cert, key, pool := selfSigned(t)
	d := serveForTest(t, serveFlags{web: "127.0.0.1:0", webCert: cert, webKey: key, webX11: "none"})
	if !strings.HasPrefix(d.webURL, "https://") {
		t.Fatalf("web URL %q is not https", d.webURL)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: 10 * time.Second}
	resp, err := client.Get(d.webURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET %s: %s", d.webURL, resp.Status)
	}
	plain := "http://" + strings.TrimPrefix(d.webURL, "https://")
	if resp, err := (&http.Client{Timeout: 5 * time.Second}).Get(plain); err == nil && resp.StatusCode == 200 {
		resp.Body.Close()
		t.Errorf("plain HTTP was served too")
	}
}

// Secrets never reach the logs: not the X cookie, not the VNC password,
// not the web token, even when clients get them wrong.
func TestNoSecretsInLogs(t *testing.T) {
	var logs bytes.Buffer
	log.SetOutput(&logs)
	defer log.SetOutput(os.Stderr)

	auth := filepath.Join(t.TempDir(), "Xauthority")
	pw := filepath.Join(t.TempDir(), "passwd")
	const password = "Tr1ckyPw"
	os.WriteFile(pw, []byte(password+"\n"), 0600)
	d := serveForTest(t, serveFlags{listen: "0.0.0.0", auth: auth, rfbPass: pw, web: "127.0.0.1:0", webX11: "none"})
	entries, err := transport.ReadXauthority(auth)
	if err != nil || len(entries) == 0 {
		t.Fatalf("no cookie written: %v", err)
	}
	cookie := entries[0].Data

	// An X client with the wrong cookie, over TCP from a non-loopback
	// address if there is one (else loopback, where none is asked).
	if addr := nonLoopbackAddr(); addr != "" {
		c, err := net.Dial("tcp", net.JoinHostPort(addr, fmt.Sprint(6000+d.d.Number)))
		if err == nil {
			name := "MIT-MAGIC-COOKIE-1"
			setup := []byte{'l', 0, 11, 0, 0, 0, byte(len(name)), 0, 16, 0, 0, 0}
			setup = append(setup, name...)
			setup = append(setup, 0, 0)
			setup = append(setup, bytes.Repeat([]byte{7}, 16)...)
			c.Write(setup)
			io.ReadAll(io.LimitReader(c, 256))
			c.Close()
		}
	}
	// A VNC viewer with the wrong password, and one with the right one.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := pixelproto.Dial(ctx, d.rfbAddr, pixelproto.ClientConfig{Password: "wrong"}); err == nil {
		t.Error("a wrong VNC password was accepted")
	}
	if c, err := pixelproto.Dial(ctx, d.rfbAddr, pixelproto.ClientConfig{Password: password}); err != nil {
		t.Errorf("the right VNC password was refused: %v", err)
	} else {
		c.Close()
	}
	// A page with a wrong token, and the right one.
	token := d.web.Token()
	base := strings.SplitN(d.webURL, "?", 2)[0]
	for _, u := range []string{base + "stats?token=wrong", base + "stats?token=" + token} {
		if resp, err := http.Get(u); err == nil {
			resp.Body.Close()
		}
	}
	time.Sleep(200 * time.Millisecond)
	out := logs.String()
	for what, secret := range map[string]string{
		"the cookie (hex)": hex.EncodeToString(cookie), "the cookie": string(cookie),
		"the VNC password": password, "the web token": token,
	} {
		if strings.Contains(out, secret) {
			t.Errorf("%s appears in the logs:\n%s", what, out)
		}
	}
}

func nonLoopbackAddr() string {
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && !ipn.IP.IsLoopback() && ipn.IP.To4() != nil {
			return ipn.IP.String()
		}
	}
	return ""
}
