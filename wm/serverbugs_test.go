package wm_test

// Reproductions of the X server bugs the window manager ran into: each
// runs the same requests on netdisplay and on Xvfb, which has them right,
// and fails on netdisplay until the server is fixed. The window manager's
// tests that depend on them skip on netdisplay, naming the bug.

import (
	"image"
	"testing"
	"time"

	"netdisplay/internal/peer"
	"netdisplay/protocol"
	"netdisplay/xlib"
)

const (
	bugSaveSet = "netdisplay bug: windows in the save set of a window manager that disconnects go back to the root but stay unmapped (TestServerSaveSetMapsOnDisconnect)"
	bugReplay  = "netdisplay bug: AllowEvents(ReplayPointer) does not pass on a press caught by a synchronous button grab (TestServerReplayPointer)"
)

// skipOn skips a test on netdisplay for a server bug.
func skipOn(t *testing.T, server, bug string) {
	t.Helper()
	if server == netdisplay {
		t.Skip("skipped: " + bug)
	}
}

// When a client that redirects the root's children (a window manager)
// disconnects, the windows in its save set go back to the root and are
// mapped (X11 protocol, ChangeSaveSet; X.Org's HandleSaveSet maps them
// on behalf of the disconnecting client, which is not redirected to
// itself). netdisplay's restoreSaveSet maps them with no client, which
// the root's redirection, still the leaving client's, turns into a
// MapRequest to that client: they stay unmapped.
func TestServerSaveSetMapsOnDisconnect(t *testing.T) {
	eachServer(t, 320, 240, func(t *testing.T, server, display string) {
		app := dial(t, display)
		w, _ := app.CreateWindow(app.Root(), image.Rect(50, 60, 150, 160), 0)
		app.MapWindow(w)
		app.Sync()

		wm, err := xlib.Dial(display, xlib.Options{})
		if err != nil {
			t.Fatal(err)
		}
		wm.SelectInput(wm.Root(), protocol.EventMaskSubstructureRedirect)
		frame, _ := wm.CreateWindow(wm.Root(), image.Rect(40, 40, 160, 180), 0)
		wm.AddToSaveSet(w)
		wm.ReparentWindow(w, frame, image.Pt(10, 20))
		wm.MapWindow(frame)
		wm.MapWindow(w)
		wm.Sync()
		wm.Close()

		var tree *protocol.QueryTreeReply
		var attrs *protocol.GetWindowAttributesReply
		deadline := time.Now().Add(2 * time.Second)
		for time.Now().Before(deadline) {
			tree, _ = app.QueryTree(w).Reply()
			attrs, _ = app.GetWindowAttributes(w).Reply()
			if tree != nil && attrs != nil && xlib.Window(tree.Parent) == app.Root() && attrs.MapState == protocol.MapStateViewable {
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Errorf("after the window manager left, the window's parent is %#x (root %#x) and its map state %d; want the root, and viewable (%d)",
			tree.Parent, app.Root(), attrs.MapState, protocol.MapStateViewable)
	})
}

// A press caught by a synchronous passive grab (GrabButton, pointer mode
// Sync) freezes the pointer until the grabbing client says what to do;
// AllowEvents(ReplayPointer) releases the grab and delivers the press as
// if the grab had not been there, to the window below. Window managers
// rely on it for click-to-focus. netdisplay treats synchronous grabs as
// asynchronous and AllowEvents as nothing: the grabbing client keeps the
// press, and the window never sees it.
func TestServerReplayPointer(t *testing.T) {
	peer.Need(t, "xdotool")
	eachServer(t, 320, 240, func(t *testing.T, server, display string) {
		app := dial(t, display)
		w, _ := app.CreateWindow(app.Root(), image.Rect(0, 0, 200, 200), 0, xlib.EventMask(protocol.EventMaskButtonPress))
		app.MapWindow(w)
		app.Sync()
		got := make(chan *protocol.ButtonPressEvent, 8)
		go func() {
			for ev := range app.Events() {
				if e, ok := ev.(*protocol.ButtonPressEvent); ok {
					got <- e
				}
			}
		}()

		wm := dial(t, display)
		wm.Send(&protocol.GrabButton{
			GrabWindow: protocol.Window(w), EventMask: protocol.EventMaskButtonPress,
			PointerMode: protocol.GrabModeSync, KeyboardMode: protocol.GrabModeAsync,
			Button: protocol.ButtonIndexAny, Modifiers: protocol.ModMaskAny,
		})
		wm.Sync()
		go func() {
			for ev := range wm.Events() {
				if e, ok := ev.(*protocol.ButtonPressEvent); ok {
					wm.Send(&protocol.AllowEvents{Mode: protocol.AllowReplayPointer, Time: e.Time})
					wm.Flush()
				}
			}
		}()
		click(t, display, image.Pt(30, 40))
		select {
		case e := <-got:
			if e.EventX != 30 || e.EventY != 40 {
				t.Errorf("replayed press at %d,%d, want 30,40", e.EventX, e.EventY)
			}
		case <-time.After(2 * time.Second):
			t.Errorf("the press was not replayed to the window after AllowEvents(ReplayPointer)")
		}
	})
}

// ReparentWindow of a mapped window maps it again in its new parent on
// behalf of the client that asked (X.Org's ReparentWindow calls
// MapWindow with the requesting client), so a window manager that
// redirects the new parent's children, reparenting a mapped window into
// its frame, sees it mapped at once. netdisplay maps it on behalf of the
// window's owner, which the redirection turns into a MapRequest to the
// window manager, and the window stays unmapped until it answers.
func TestServerReparentMapsForRequester(t *testing.T) {
	eachServer(t, 320, 240, func(t *testing.T, server, display string) {
		app := dial(t, display)
		w, _ := app.CreateWindow(app.Root(), image.Rect(50, 60, 150, 160), 0)
		app.MapWindow(w)
		app.Sync()

		wm := dial(t, display)
		frame, _ := wm.CreateWindow(wm.Root(), image.Rect(40, 40, 160, 180), 0, xlib.EventMask(protocol.EventMaskSubstructureRedirect))
		wm.MapWindow(frame)
		wm.ReparentWindow(w, frame, image.Pt(10, 20))
		wm.Sync()
		a, err := wm.GetWindowAttributes(w).Reply()
		if err != nil {
			t.Fatal(err)
		}
		if a.MapState != protocol.MapStateViewable {
			t.Errorf("after ReparentWindow into a frame the window manager redirects, the window's map state is %d; want viewable (%d)", a.MapState, protocol.MapStateViewable)
		}
	})
}
