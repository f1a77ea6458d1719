package webviewer

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"netdisplay/pixelproto"
)

// TestRefusals shows each refusal: every endpoint but the static files
// wants the token, and no endpoint serves another site's page.
func TestRefusals(t *testing.T) {
	d := startMemDesk(t, 64, 48, nil)
	u, _ := url.Parse(d.url)
	base := "http://" + u.Host
	tok := "?token=" + d.web.Token()
	get := func(path string, hdr map[string]string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", base+path, nil)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, path := range []string{"/info", "/stats", "/websockify", "/x11", "/x11/conn"} {
		for _, c := range []struct {
			name   string
			query  string
			header map[string]string
			want   string
		}{
			{"no token", "", nil, "token"},
			{"wrong token", "?token=0123456789abcdef0123456789abcdef", nil, "token"},
			{"token in another case", strings.ToUpper(tok), nil, "token"},
			{"another origin", tok, map[string]string{"Origin": "http://evil.example"}, "cross-origin"},
			{"another port", tok, map[string]string{"Origin": "http://127.0.0.1:1"}, "cross-origin"},
			{"opaque origin", tok, map[string]string{"Origin": "null"}, "cross-origin"},
			{"cross-site fetch", tok, map[string]string{"Sec-Fetch-Site": "cross-site"}, "cross-origin"},
			{"same-site fetch", tok, map[string]string{"Sec-Fetch-Site": "same-site"}, "cross-origin"},
		} {
			code, body := get(path+c.query, c.header)
			if code != http.StatusForbidden || !strings.Contains(body, c.want) {
				t.Errorf("%s with %s: %d %q, want 403 saying %q", path, c.name, code, body, c.want)
			}
		}
	}
	// What is allowed: the token, from this origin or from no browser.
	for _, hdr := range []map[string]string{nil, {"Origin": base, "Sec-Fetch-Site": "same-origin"}} {
		if code, body := get("/info"+tok, hdr); code != 200 || !strings.Contains(body, `"rfb": true`) {
			t.Errorf("/info with %v: %d %q", hdr, code, body)
		}
	}
	// WebSockets: the handshake is refused before any RFB is spoken.
	dial := func(origin string) (*websocket.Conn, int, error) {
		h := http.Header{}
		if origin != "" {
			h.Set("Origin", origin)
		}
		ws, resp, err := websocket.DefaultDialer.Dial("ws://"+u.Host+"/websockify"+tok, h)
		code := 0
		if resp != nil {
			code = resp.StatusCode
		}
		return ws, code, err
	}
	if _, code, err := dial("http://evil.example"); err == nil || code != http.StatusForbidden {
		t.Errorf("WebSocket from another origin: %d, %v; want 403", code, err)
	}
	ws, code, err := dial(base)
	if err != nil || code != http.StatusSwitchingProtocols {
		t.Fatalf("WebSocket from the page's origin: %d, %v", code, err)
	}
	ws.Close()
	// Other methods are refused, and only the page's files are served.
	resp, err := http.Post(base+"/stats"+tok, "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /stats: %s", resp.Status)
	}
	for _, path := range []string{"/novnc/vnc.html", "/static/index.html", "/../go.mod", "/main.wasm.gz"} {
		if code, _ := get(path, nil); code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, code)
		}
	}
}

// TestStatic: the page and its files need no token, and carry nothing
// secret; the page may run only its own scripts.
func TestStatic(t *testing.T) {
	d := startMemDesk(t, 64, 48, nil)
	u, _ := url.Parse(d.url)
	base := "http://" + u.Host
	fetch := func(path, enc string) (*http.Response, []byte) {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Accept-Encoding", enc)
		resp, err := http.DefaultTransport.RoundTrip(req) // no transparent gunzip
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %s", path, resp.Status)
		}
		return resp, b
	}
	resp, body := fetch("/", "")
	if !strings.Contains(string(body), "<canvas") || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Errorf("/: %v\n%s", resp.Header, body)
	}
	if strings.Contains(string(body), d.web.Token()) {
		t.Error("the page holds the token")
	}
	for _, p := range []string{"/viewer.js", "/viewer.css", "/wasm_exec.js"} {
		fetch(p, "")
	}
	resp, gz := fetch("/main.wasm", "gzip, deflate")
	if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Content-Type") != "application/wasm" {
		t.Errorf("main.wasm with gzip: %v", resp.Header)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	unzipped, _ := io.ReadAll(zr)
	_, raw := fetch("/main.wasm", "identity")
	if !bytes.HasPrefix(raw, []byte("\x00asm")) || !bytes.Equal(raw, unzipped) {
		t.Errorf("main.wasm: %d bytes uncompressed, %d gzipped, starting %q", len(raw), len(gz), raw[:min(len(raw), 4)])
	}
	t.Logf("main.wasm: %d bytes, %d gzipped", len(raw), len(gz))
}

// TestTokens: each server makes its own.
func TestTokens(t *testing.T) {
	a, _ := New(Config{})
	b, _ := New(Config{})
	defer a.Close()
	defer b.Close()
	if len(a.Token()) != 32 || a.Token() == b.Token() {
		t.Errorf("tokens %q and %q", a.Token(), b.Token())
	}
}

// TestRFBOverWebSocket connects netdisplay's own RFB client over the
// WebSocket endpoint, as the page does, and checks the pixels, the input,
// and that /stats counts what the client counts.
func TestRFBOverWebSocket(t *testing.T) {
	d := startMemDesk(t, 200, 120, []byte("sesame"))
	u, _ := url.Parse(d.url)
	dial := func(password string) (*pixelproto.Client, error) {
		t.Helper()
		dialer := websocket.Dialer{Subprotocols: []string{"binary"}}
		ws, resp, err := dialer.Dial("ws://"+u.Host+"/websockify?token="+d.web.Token(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if resp.Header.Get("Sec-WebSocket-Protocol") != "binary" {
			t.Errorf("subprotocol %q, want binary", resp.Header.Get("Sec-WebSocket-Protocol"))
		}
		c, err := pixelproto.NewClient(newWSConn(ws, &connStats{}), pixelproto.ClientConfig{Password: password})
		if err != nil {
			ws.Close()
		}
		return c, err
	}
	if _, err := dial("wrong"); err == nil || !strings.Contains(err.Error(), "authentication failed") {
		t.Errorf("wrong password: %v", err)
	}
	c, err := dial("sesame")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	waitFor(t, "the client to have the framebuffer", 10*time.Second, func() bool {
		n, _ := diff(c.Image(), d.src.Image())
		return n == 0
	})
	n := d.seen()
	c.Key(0xe9, true)
	c.Pointer(10, 20, 1)
	d.waitInput(t, n, "key 0xe9 true", "pointer 10 20 1")
	waitFor(t, "/stats to count what the client counted", 10*time.Second, func() bool {
		var st Stats
		getJSON(t, "http://"+u.Host+"/stats?token="+d.web.Token(), &st)
		cs := c.Stats()
		return len(st.RFB.Connections) == 1 && st.RFB.Connections[0].ToBrowser == cs.BytesIn &&
			st.RFB.Connections[0].FromBrowser == cs.BytesOut && st.RFB.Connections[0].Updates == cs.Updates &&
			st.RFB.Connections[0].Encoding != ""
	})
}
