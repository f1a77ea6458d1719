//go:build linux

package paint

import (
	"image"
	"image/color"
	"strconv"
	"testing"

	"netdisplay/clients/app"
	"netdisplay/clients/internal/apptest"
	"netdisplay/internal/peer"
)

// TestPaintsWithTheMouse picks a colour and drags a stroke with xdotool
// (XTEST), then checks that the stroke is there in that colour, and that
// the window is just what the same clicks and moves make in a script.
func TestPaintsWithTheMouse(t *testing.T) {
	peer.Need(t, "xdotool", "xwd")
	const red = 1
	pick := swatch(red).Min.Add(image.Pt(swatchSize/2, swatchSize/2))
	stroke := []image.Point{{100, 100}, {150, 120}, {200, 180}, {260, 150}}

	live, _ := apptest.Netdisplay(t, 640, 480)
	apptest.Start(t, live, App, app.Options{})
	blank := peer.StableCapture(t, live, "paint")
	args := []string{"mousemove", itoa(pick.X), itoa(pick.Y), "click", "1",
		"mousemove", itoa(stroke[0].X), itoa(stroke[0].Y), "mousedown", "1"}
	for _, p := range stroke[1:] {
		args = append(args, "mousemove", itoa(p.X), itoa(p.Y))
	}
	args = append(args, "mouseup", "1")
	apptest.Xdotool(t, live, args...)
	got := apptest.ChangedCapture(t, live, "paint", blank)

	for _, p := range stroke {
		if c := got.RGBAAt(p.X, p.Y); c != Palette[red] {
			t.Errorf("at %v the canvas is %v, want the stroke's red %v", p, c, Palette[red])
		}
	}
	if c := got.RGBAAt(300, 300); c != (color.RGBA{0xff, 0xff, 0xff, 0xff}) {
		t.Errorf("away from the stroke the canvas is %v, want white", c)
	}

	scripted, _ := apptest.Netdisplay(t, 640, 480)
	same := apptest.Scripted(App, func(prog app.Program) []app.Step {
		p := prog.(*paint)
		steps := []app.Step{{Do: func() { p.press(pick) }}, {Do: func() { p.release(pick) }}, {Do: func() { p.press(stroke[0]) }}}
		for _, q := range stroke[1:] {
			steps = append(steps, app.Step{Do: func() { p.drag(q) }})
		}
		return append(steps, app.Step{Do: func() { p.release(stroke[len(stroke)-1]) }})
	})
	apptest.Start(t, scripted, same, app.Options{Script: app.Short}).Done(t)
	want := peer.StableCapture(t, scripted, "paint")
	if n, box := peer.DiffImages(got, want); n != 0 {
		t.Errorf("%d pixels differ from the scripted strokes (within %v); see %s and %s", n, box,
			apptest.SavePNG(t, got, "paint-live.png"), apptest.SavePNG(t, want, "paint-scripted.png"))
	}

	// Clear clears.
	b := clearButton(App.Size)
	apptest.Xdotool(t, live, "mousemove", itoa(b.Min.X+5), itoa(b.Min.Y+5), "click", "1")
	cleared := apptest.ChangedCapture(t, live, "paint", got)
	for _, p := range stroke {
		if c := cleared.RGBAAt(p.X, p.Y); c != (color.RGBA{0xff, 0xff, 0xff, 0xff}) {
			t.Errorf("after Clear, %v is %v, want white", p, c)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
