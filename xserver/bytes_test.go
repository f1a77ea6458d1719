//go:build linux

package xserver_test

import (
	"fmt"
	"testing"
	"time"

	"netdisplay/internal/peer"
)

// TestStartupBytes measures, with a counting proxy, the bytes each way
// for real clients' start-up and first paint on netdisplay and on Xvfb.
// It logs the figures (go test -v -run TestStartupBytes ./xserver/) and
// checks what netdisplay promises: the connection setup is small (one
// visual, not hundreds), so no client receives more from netdisplay than
// from Xvfb. (xterm in a UTF-8 locale asks for ISO 10646 fonts, whose
// QueryFont replies carry 65,536 character metrics each: that is most of
// its start-up on both servers.)
func TestStartupBytes(t *testing.T) {
	peer.Need(t, "Xvfb", "xterm", "xclock", "xlogo", "xwd")
	ours, _ := startServer(t, 640, 480)
	xvfb := peer.Xvfb(t, 640, 480)
	clients := []struct {
		name string
		args []string
	}{
		{"xdpyinfo", nil},
		{"xlogo", []string{"-geometry", "100x100+0+0"}},
		{"xclock", []string{"-norender", "-geometry", "100x100+0+0"}},
		{"xterm", []string{"-geometry", "80x24+0+0"}},
	}
	type count struct{ up, down int64 }
	got := map[string]map[string]count{}
	for _, server := range []string{ours, xvfb} {
		got[server] = map[string]count{}
		for _, c := range clients {
			p := peer.NewCountingProxy(t, server)
			cmd, out := peer.Start(t, p.Display, c.name, c.args...)
			if c.name == "xdpyinfo" {
				cmd.Wait()
			} else {
				peer.StableCapture(t, server, c.name)
				// Let the first paint's last requests cross.
				time.Sleep(200 * time.Millisecond)
				cmd.Process.Kill()
				cmd.Wait()
			}
			if p.ToServer.Load() == 0 || p.ToClient.Load() == 0 {
				t.Fatalf("%s on %s: nothing crossed the proxy: %s", c.name, server, out.String())
			}
			got[server][c.name] = count{p.ToServer.Load(), p.ToClient.Load()}
		}
	}
	t.Logf("%-9s %24s %24s", "client", "netdisplay up/down", "Xvfb up/down")
	for _, c := range clients {
		a, b := got[ours][c.name], got[xvfb][c.name]
		t.Logf("%-9s %24s %24s", c.name, fmt.Sprintf("%d / %d", a.up, a.down), fmt.Sprintf("%d / %d", b.up, b.down))
	}
	if a, b := got[ours]["xdpyinfo"].down, got[xvfb]["xdpyinfo"].down; a >= b {
		t.Errorf("xdpyinfo received %d bytes from netdisplay, %d from Xvfb: the setup should be smaller", a, b)
	}
	for _, c := range clients[1:] {
		if a, b := got[ours][c.name].down, got[xvfb][c.name].down; a > b {
			t.Errorf("%s received %d bytes from netdisplay, %d from Xvfb", c.name, a, b)
		}
	}
}
