package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"netdisplay/internal/peer"
	"netdisplay/pixelproto"
)

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// ctl lists the X clients and the VNC viewers, disconnects either, and
// shuts the display down.
func TestCtl(t *testing.T) {
	peer.Need(t, "xlogo")
	d := serveForTest(t, serveFlags{})
	if err := d.serveControl(d.shutdown); err != nil {
		t.Fatal(err)
	}
	n := d.d.Number
	xlogo := peer.Command(t, fmt.Sprintf(":%d", n), "xlogo")
	if err := xlogo.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- xlogo.Wait() }()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	v, err := pixelproto.Dial(ctx, d.rfbAddr, pixelproto.ClientConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()

	var list *ctlAnswer
	waitUntil(t, "an X client and a viewer in the list", func() bool {
		list, err = ctlCall(n, ctlRequest{Op: "list"})
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		for _, p := range list.Peers {
			kinds[p.Kind]++
		}
		return kinds["x11"] == 1 && kinds["rfb"] == 1
	})
	for _, p := range list.Peers {
		if _, err := ctlCall(n, ctlRequest{Op: "kill", Kind: p.Kind, ID: p.ID}); err != nil {
			t.Errorf("kill %s %d: %v", p.Kind, p.ID, err)
		}
	}
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		t.Error("xlogo did not exit when its connection was killed")
	}
	select {
	case <-v.Done():
	case <-time.After(10 * time.Second):
		t.Error("the viewer was not disconnected")
	}
	if _, err := ctlCall(n, ctlRequest{Op: "kill", Kind: "x11", ID: 250}); err == nil {
		t.Error("killing a client that does not exist succeeded")
	}
	if _, err := ctlCall(n, ctlRequest{Op: "shutdown"}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-d.stop:
	case <-time.After(5 * time.Second):
		t.Error("shutdown did not stop the display")
	}
}

// On SIGTERM serve disconnects its clients and removes its sockets, lock
// file and control socket.
func TestServeSIGTERM(t *testing.T) {
	peer.Need(t, "xlogo")
	bin := filepath.Join(t.TempDir(), "netdisplay")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "serve", "--geometry", "320x240")
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "netdisplay ready ") {
		t.Fatalf("ready line %q: %v", line, err)
	}
	var n int
	fmt.Sscanf(line[strings.Index(line, "display=:")+len("display=:"):], "%d", &n)
	xlogo := peer.Command(t, fmt.Sprintf(":%d", n), "xlogo")
	if err := xlogo.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- xlogo.Wait() }()
	waitUntil(t, "xlogo to connect", func() bool {
		a, err := ctlCall(n, ctlRequest{Op: "list"})
		return err == nil && len(a.Peers) == 1
	})
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve exited with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not exit on SIGTERM")
	}
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		t.Error("the X client was not disconnected")
	}
	for _, p := range []string{fmt.Sprintf("/tmp/.X11-unix/X%d", n), fmt.Sprintf("/tmp/.X%d-lock", n), ctlPath(n)} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s is still there", p)
		}
	}
}
