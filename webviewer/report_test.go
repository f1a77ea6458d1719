package webviewer

import (
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

// A benchmark report given as Config.Report is served at /report/, as
// static files need no token; without one there is no such path.
func TestReport(t *testing.T) {
	page := "<html>the report</html>"
	s, err := New(Config{Report: fstest.MapFS{"index.html": {Data: []byte(page)}, "bytes.svg": {Data: []byte("<svg/>")}}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for path, want := range map[string]string{"/report/": page, "/report/bytes.svg": "<svg/>"} {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		if w.Code != 200 || !strings.Contains(w.Body.String(), want) {
			t.Errorf("GET %s: %d %q, want 200 with %q", path, w.Code, w.Body.String(), want)
		}
	}
	none, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer none.Close()
	w := httptest.NewRecorder()
	none.ServeHTTP(w, httptest.NewRequest("GET", "/report/", nil))
	if w.Code != 404 {
		t.Errorf("GET /report/ with no report: %d, want 404", w.Code)
	}
}
