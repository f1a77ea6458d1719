package webviewer

//go:generate go run ./internal/genwasm

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io"
	"net/http"
	"path"
	"strings"
	"time"
)

// The page's files. main.wasm.gz and wasm_exec.js are generated (go
// generate ./webviewer, see internal/wasmbuild) and committed, so that the
// netdisplay binary carries the whole page and builds with plain `go
// build`.
//
//go:embed static
var static embed.FS

// contentSecurity lets the page load only its own files and talk only to
// this server: no inline script, no other origin. WebAssembly needs
// 'wasm-unsafe-eval'; the cursor is a data: image.
const contentSecurity = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' data:; " +
	"connect-src 'self'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
}

// etag names a file's content, so browsers revalidate cheaply.
func etag(data []byte) string {
	h := sha256.Sum256(data)
	return `"` + hex.EncodeToString(h[:8]) + `"`
}

func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request, name string) {
	data, err := static.ReadFile("static/" + name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", contentTypes[path.Ext(name)])
	if name == "index.html" {
		h.Set("Content-Security-Policy", contentSecurity)
		h.Set("Cache-Control", "no-store") // its URL holds the token
	} else {
		h.Set("Cache-Control", "no-cache")
		h.Set("ETag", etag(data))
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
}

// serveWasm serves the binary compressed, as it is stored, to browsers
// that take gzip (all of them), and uncompressed to anything else.
func (s *Server) serveWasm(w http.ResponseWriter, r *http.Request) {
	gz, err := static.ReadFile("static/main.wasm.gz")
	if err != nil {
		http.Error(w, "netdisplay: built without the WebAssembly viewer: run go generate ./webviewer", http.StatusNotFound)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/wasm")
	h.Set("Cache-Control", "no-cache")
	h.Set("Vary", "Accept-Encoding")
	h.Set("ETag", etag(gz))
	if acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		http.ServeContent(w, r, "main.wasm", time.Time{}, bytes.NewReader(gz))
		return
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		http.Error(w, "netdisplay: damaged WebAssembly viewer", http.StatusInternalServerError)
		return
	}
	if r.Method != http.MethodHead {
		io.Copy(w, zr)
	}
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}
