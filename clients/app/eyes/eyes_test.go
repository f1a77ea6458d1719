//go:build linux

package eyes

import (
	"image"
	"strconv"
	"testing"

	"netdisplay/clients/app"
	"netdisplay/clients/internal/apptest"
	"netdisplay/internal/peer"
)

// TestFollowsThePointer moves the real pointer with xdotool (XTEST), over
// the window and beyond it, and checks that the eyes move, and look just
// as they do when a script puts the virtual pointer at the same places.
func TestFollowsThePointer(t *testing.T) {
	peer.Need(t, "xdotool", "xwd")
	live, _ := apptest.Netdisplay(t, 640, 480)
	apptest.Start(t, live, App, app.Options{})
	last := peer.StableCapture(t, live, "eyes")

	for _, p := range []image.Point{{30, 40}, {200, 150}, {600, 420}} {
		apptest.Xdotool(t, live, "mousemove", strconv.Itoa(p.X), strconv.Itoa(p.Y))
		got := apptest.ChangedCapture(t, live, "eyes", last)

		scripted, _ := apptest.Netdisplay(t, 640, 480)
		look := apptest.Scripted(App, func(prog app.Program) []app.Step {
			return []app.Step{{Do: func() { prog.(*eyes).look(p) }}}
		})
		apptest.Start(t, scripted, look, app.Options{Script: app.Short}).Done(t)
		want := peer.StableCapture(t, scripted, "eyes")

		if n, box := peer.DiffImages(got, want); n != 0 {
			t.Errorf("pointer at %v: %d pixels differ from the scripted look (within %v); see %s and %s", p, n, box,
				apptest.SavePNG(t, got, "eyes-live.png"), apptest.SavePNG(t, want, "eyes-scripted.png"))
		}
		last = got
	}
}
