package transport

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestListenTakesAFreeNumber(t *testing.T) {
	a, err := Listen(Options{Number: -1, TCP: "none"})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if Free(a.Number) {
		t.Errorf("display :%d is ours but Free says it is free", a.Number)
	}
	// The lock file holds our PID as X.Org writes it.
	lock, err := os.ReadFile(fmt.Sprintf("/tmp/.X%d-lock", a.Number))
	if err != nil || strings.TrimSpace(string(lock)) != fmt.Sprint(os.Getpid()) || len(lock) != 11 {
		t.Errorf("lock file %q: %v", lock, err)
	}
	// A second server gets another number.
	b, err := Listen(Options{Number: -1, From: a.Number, TCP: "none"})
	if err != nil {
		t.Fatal(err)
	}
	if b.Number == a.Number {
		t.Fatalf("both got :%d", a.Number)
	}
	// Taking a number in use fails and says so.
	if c, err := Listen(Options{Number: a.Number, TCP: "none"}); err == nil {
		c.Close()
		t.Errorf("display :%d taken twice", a.Number)
	}
	// Clients reach it on both Unix sockets.
	for _, p := range []string{socketPath(b.Number), "@" + socketPath(b.Number)} {
		c, err := net.Dial("unix", p)
		if err != nil {
			t.Errorf("dial %s: %v", p, err)
			continue
		}
		c.Close()
	}
	n := b.Number
	b.Close()
	for _, p := range []string{socketPath(n), fmt.Sprintf("/tmp/.X%d-lock", n)} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s left behind", p)
		}
	}
	if !Free(n) {
		t.Errorf(":%d not free after Close", n)
	}
}

// A stale lock file, whose process is gone, does not keep a number.
func TestStaleLock(t *testing.T) {
	d, err := Listen(Options{Number: -1, From: 500, TCP: "none"})
	if err != nil {
		t.Fatal(err)
	}
	n := d.Number
	d.Close()
	os.WriteFile(fmt.Sprintf("/tmp/.X%d-lock", n), []byte(fmt.Sprintf("%10d\n", 1<<22+12345)), 0444)
	d, err = Listen(Options{Number: n, TCP: "none"})
	if err != nil {
		t.Fatalf("stale lock kept :%d: %v", n, err)
	}
	d.Close()
}

func TestXauthority(t *testing.T) {
	path := filepath.Join(t.TempDir(), "Xauthority")
	cookie, err := NewCookie()
	if err != nil || len(cookie) != 16 {
		t.Fatal(err)
	}
	if err := WriteXauthority(path, 7, cookie); err != nil {
		t.Fatal(err)
	}
	other := bytes.Repeat([]byte{1}, 16)
	if err := WriteXauthority(path, 8, other); err != nil {
		t.Fatal(err)
	}
	// Rewriting display 7 replaces its entries and keeps 8's.
	if err := WriteXauthority(path, 7, cookie); err != nil {
		t.Fatal(err)
	}
	es, err := ReadXauthority(path)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, e := range es {
		count[e.Display]++
		if e.Name != CookieName {
			t.Errorf("entry %+v", e)
		}
	}
	if count["7"] != 2 || count["8"] != 2 {
		t.Errorf("entries per display: %v", count)
	}
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	if _, err := exec.LookPath("xauth"); err == nil {
		out, err := exec.Command("xauth", "-f", path, "list").CombinedOutput()
		if err != nil || !strings.Contains(string(out), fmt.Sprintf("%x", cookie)) {
			t.Errorf("xauth list: %v\n%s", err, out)
		}
	}
}

func TestLoopbackHost(t *testing.T) {
	for h, want := range map[string]bool{"": true, "localhost": true, "127.0.0.1": true, "::1": true, "0.0.0.0": false, "192.0.2.1": false, "example.org": false} {
		if LoopbackHost(h) != want {
			t.Errorf("LoopbackHost(%q) = %v", h, !want)
		}
	}
}
