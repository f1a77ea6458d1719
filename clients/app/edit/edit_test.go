//go:build linux

package edit

import (
	"image"
	"slices"
	"testing"

	"netdisplay/clients/app"
	"netdisplay/clients/internal/apptest"
	"netdisplay/internal/peer"
	"netdisplay/protocol"
)

// TestTypes types, selects and scrolls with xdotool (XTEST, through the
// server's keymap), and checks that the editor shows just what the same
// keys, given as keysyms by a script, make it show.
func TestTypes(t *testing.T) {
	peer.Need(t, "xdotool", "xwd")
	live, _ := apptest.Netdisplay(t, 640, 480)
	apptest.Start(t, live, App, app.Options{})
	before := peer.StableCapture(t, live, "edit")
	// The keyboard's focus follows the pointer: put it over the window.
	apptest.Xdotool(t, live, "mousemove", "300", "200",
		"key", "Down", "Down", "Down", "Down", "Down", "Down", "Down", "Down",
		"type", "Hello, World!")
	apptest.Xdotool(t, live, "key", "Return", "x", "shift+Left", "shift+Left", "Down", "Down", "End", "BackSpace")
	apptest.Xdotool(t, live, "click", "5") // scrolls 3 lines, the typing still in view
	got := apptest.ChangedCapture(t, live, "edit", before)

	scripted, _ := apptest.Netdisplay(t, 640, 480)
	same := apptest.Scripted(App, func(prog app.Program) []app.Step {
		e := prog.(*editor)
		var steps []app.Step
		key := func(sym protocol.Keysym, state uint16) {
			steps = append(steps, app.Step{Do: func() { e.key(sym, state) }})
		}
		for range 8 {
			key(xkDown, 0)
		}
		for _, r := range "Hello, World!" {
			key(protocol.Keysym(r), 0)
		}
		key(xkReturn, 0)
		key('x', 0)
		key(xkLeft, app.ShiftMask)
		key(xkLeft, app.ShiftMask)
		key(xkDown, 0)
		key(xkDown, 0)
		key(xkEnd, 0)
		key(xkBackSpace, 0)
		return append(steps, app.Step{Do: func() { e.button(5, image.Pt(300, 200)) }})
	})
	apptest.Start(t, scripted, same, app.Options{Script: app.Short}).Done(t)
	want := peer.StableCapture(t, scripted, "edit")
	if n, box := peer.DiffImages(got, want); n != 0 {
		t.Errorf("%d pixels differ from the scripted keys (within %v); see %s and %s", n, box,
			apptest.SavePNG(t, got, "edit-live.png"), apptest.SavePNG(t, want, "edit-scripted.png"))
	}
}

// TestEditing checks what keys do to the text, the cursor and the
// selection.
func TestEditing(t *testing.T) {
	display, _ := apptest.Netdisplay(t, 640, 480)
	var e *editor
	var keys []app.Step
	do := func(sym protocol.Keysym, state uint16) {
		keys = append(keys, app.Step{Do: func() { e.key(sym, state) }})
	}
	check := func(what string, want ...string) {
		keys = append(keys, app.Step{Do: func() {
			var got []string
			for _, l := range e.buf.lines[:len(want)] {
				got = append(got, string(l))
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s: the text starts %q, want %q", what, got, want)
			}
		}})
	}
	first := string(document(0)[0])
	second := string(document(0)[1])
	do(xkEnd, 0)
	do('!', 0)
	do(xkReturn, 0)
	do('x', 0)
	check("after typing", first+"!", "x", second)
	do(xkDown, app.ShiftMask)
	do(xkEnd, app.ShiftMask)
	keys = append(keys, app.Step{Do: func() {
		if from, to := e.selection(); !e.sel || e.buf.count(from, to) != len(second)+1 {
			t.Errorf("selection from %v to %v (%v), want the rest of the line and all the next", from, to, e.sel)
		}
	}})
	do('y', 0)
	check("after typing over the selection", first+"!", "xy")
	do(xkHome, 0)
	do(xkBackSpace, 0)
	check("after joining lines", first+"!xy")
	do(xkDelete, 0)
	check("after deleting", first+"!y")
	do(xkEnd, app.ControlMask)
	do(xkDelete, 0) // at the very end: nothing to delete
	keys = append(keys, app.Step{Do: func() {
		last := len(e.buf.lines) - 1
		if e.cur != (pos{last, len(e.buf.lines[last])}) || e.top+len(e.rows) != len(e.buf.lines) {
			t.Errorf("Ctrl+End: cursor at %v, top line %d of %d; want the end, on the screen", e.cur, e.top, len(e.buf.lines))
		}
	}})
	a := apptest.Scripted(App, func(p app.Program) []app.Step {
		e = p.(*editor)
		return keys
	})
	apptest.Start(t, display, a, app.Options{Script: app.Short}).Done(t)
}
