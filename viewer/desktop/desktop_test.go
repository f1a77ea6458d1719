package desktop

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"netdisplay/viewer"
)

func down(syms ...uint32) []keyEvent {
	var evs []keyEvent
	for _, s := range syms {
		evs = append(evs, keyEvent{s, true})
	}
	return evs
}

func up(syms ...uint32) []keyEvent {
	var evs []keyEvent
	for _, s := range syms {
		evs = append(evs, keyEvent{s, false})
	}
	return evs
}

func typed(syms ...uint32) []keyEvent {
	var evs []keyEvent
	for _, s := range syms {
		evs = append(evs, keyEvent{s, true}, keyEvent{s, false})
	}
	return evs
}

func cat(lists ...[]keyEvent) []keyEvent {
	var evs []keyEvent
	for _, l := range lists {
		evs = append(evs, l...)
	}
	return evs
}

// Each case is a sequence of ticks, as ebiten reports keys, and the X
// key events the display must get.
func TestKeyboard(t *testing.T) {
	type tick = keys
	K := func(ks ...ebiten.Key) []ebiten.Key { return ks }
	for _, c := range []struct {
		name  string
		ticks []tick
		want  []keyEvent
	}{
		{"letter", []tick{{pressed: K(ebiten.KeyA), chars: []rune("a")}, {released: K(ebiten.KeyA)}},
			typed('a')},
		{"shifted letter", []tick{
			{pressed: K(ebiten.KeyShiftLeft), shift: true},
			{pressed: K(ebiten.KeyA), chars: []rune("A"), shift: true},
			{released: K(ebiten.KeyA, ebiten.KeyShiftLeft)},
		}, cat(down(xkShiftL), typed('A'), up(xkShiftL))},
		{"shifted non-letters", []tick{
			{pressed: K(ebiten.KeyShiftRight), shift: true},
			{pressed: K(ebiten.KeyDigit1), chars: []rune("!"), shift: true},
			{pressed: K(ebiten.KeySlash), chars: []rune("?"), shift: true},
			{released: K(ebiten.KeyShiftRight, ebiten.KeyDigit1, ebiten.KeySlash)},
		}, cat(down(xkShiftR), typed('!'), typed('?'), up(xkShiftR))},
		{"Latin-1 and beyond", []tick{{chars: []rune("é ÿ€")}},
			typed(0xe9, ' ', 0xff, 0x010020ac)},
		{"characters keep their order", []tick{{chars: []rune("ab")}, {chars: []rune("c")}},
			typed('a', 'b', 'c')},
		{"special keys", []tick{
			{pressed: K(ebiten.KeyEnter, ebiten.KeyBackspace, ebiten.KeyTab, ebiten.KeyEscape)},
			{released: K(ebiten.KeyEnter, ebiten.KeyBackspace, ebiten.KeyTab, ebiten.KeyEscape)},
		}, cat(down(xkReturn, xkBackSpace, xkTab, xkEscape), up(xkReturn, xkBackSpace, xkTab, xkEscape))},
		{"movement and function keys tapped within a tick", []tick{
			{pressed: K(ebiten.KeyArrowLeft, ebiten.KeyHome, ebiten.KeyPageDown, ebiten.KeyDelete, ebiten.KeyInsert, ebiten.KeyF1, ebiten.KeyF12),
				released: K(ebiten.KeyArrowLeft, ebiten.KeyHome, ebiten.KeyPageDown, ebiten.KeyDelete, ebiten.KeyInsert, ebiten.KeyF1, ebiten.KeyF12)},
		}, cat(down(xkLeft, xkHome, xkPageDown, xkDelete, xkInsert, xkF1, xkF1+11), up(xkLeft, xkHome, xkPageDown, xkDelete, xkInsert, xkF1, xkF1+11))},
		{"Ctrl-C by its key, since it types nothing", []tick{
			{pressed: K(ebiten.KeyControlLeft), ctrl: true},
			{pressed: K(ebiten.KeyC), ctrl: true},
			{released: K(ebiten.KeyC), ctrl: true},
			{released: K(ebiten.KeyControlLeft)},
		}, cat(down(xkControlL, 'c'), up('c', xkControlL))},
		{"Ctrl-Shift-C", []tick{
			{pressed: K(ebiten.KeyControlRight, ebiten.KeyShiftLeft), ctrl: true, shift: true},
			{pressed: K(ebiten.KeyC), ctrl: true, shift: true},
			{released: K(ebiten.KeyC, ebiten.KeyShiftLeft, ebiten.KeyControlRight)},
		}, cat(down(xkControlR, xkShiftL, 'C'), up('C', xkShiftL, xkControlR))},
		{"a key releases what it pressed, whatever Shift did since", []tick{
			{pressed: K(ebiten.KeyAltLeft, ebiten.KeyShiftLeft), alt: true, shift: true},
			{pressed: K(ebiten.KeyDigit1), alt: true, shift: true},
			{released: K(ebiten.KeyShiftLeft), alt: true},
			{released: K(ebiten.KeyDigit1, ebiten.KeyAltLeft)},
		}, cat(down(xkAltL, xkShiftL, '!'), up(xkShiftL), up('!', xkAltL))},
		{"AltGr types characters, which win over the key", []tick{
			{pressed: K(ebiten.KeyAltRight), alt: true},
			{pressed: K(ebiten.KeyQ), chars: []rune("@"), alt: true},
			{released: K(ebiten.KeyQ, ebiten.KeyAltRight)},
		}, cat(down(xkAltR), typed('@'), up(xkAltR))},
		{"Ctrl-C typed within one tick", []tick{
			{pressed: K(ebiten.KeyC, ebiten.KeyControlLeft), released: K(ebiten.KeyC, ebiten.KeyControlLeft), ctrl: true},
		}, cat(down(xkControlL, 'c'), up('c', xkControlL))},
		{"a release without a press sends nothing", []tick{{released: K(ebiten.KeyA, ebiten.KeyEnter)}}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			var kb keyboard
			var got []keyEvent
			for _, tk := range c.ticks {
				got = append(got, kb.events(tk)...)
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("sent %v\nwant %v", got, c.want)
			}
			if len(kb.down) != 0 {
				t.Errorf("keys left down: %v", kb.down)
			}
		})
	}
}

func TestReleaseAll(t *testing.T) {
	var kb keyboard
	kb.events(keys{pressed: []ebiten.Key{ebiten.KeyShiftLeft, ebiten.KeyArrowUp}})
	got := kb.releaseAll()
	slices.SortFunc(got, func(a, b keyEvent) int { return int(a.sym) - int(b.sym) })
	if want := up(xkUp, xkShiftL); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("releaseAll sent %v, want %v", got, want)
	}
	if len(kb.down) != 0 {
		t.Errorf("keys left down: %v", kb.down)
	}
}

func TestRuneKeysym(t *testing.T) {
	for r, want := range map[rune]uint32{'a': 0x61, '~': 0x7e, 0xa0: 0xa0, 'ß': 0xdf, 'Ā': 0x01000100, '€': 0x010020ac} {
		if got := runeKeysym(r); got != want {
			t.Errorf("runeKeysym(%q) = %#x, want %#x", r, got, want)
		}
	}
}

func TestLayout(t *testing.T) {
	for _, c := range []struct {
		fb, win image.Point
		want    float64
		scale   float64
		at      image.Point
	}{
		{image.Pt(640, 400), image.Pt(640, 400), 1, 1, image.Pt(0, 0)},
		{image.Pt(640, 400), image.Pt(1280, 800), 2, 2, image.Pt(0, 0)},
		// A window made for scale 2 of an odd size, or one pixel over.
		{image.Pt(333, 201), image.Pt(667, 403), 2, 2, image.Pt(0, 0)},
		{image.Pt(333, 200), image.Pt(500, 300), 1.5, 1.5, image.Pt(0, 0)},
		// Any other window fits the picture, keeping its aspect, centred.
		{image.Pt(640, 400), image.Pt(1280, 1000), 1, 2, image.Pt(0, 100)},
		{image.Pt(640, 400), image.Pt(320, 400), 1, 0.5, image.Pt(0, 100)},
		{image.Pt(640, 400), image.Pt(1000, 400), 1, 1, image.Pt(180, 0)},
	} {
		v := layout(c.fb, c.win, c.want)
		if v.scale != c.scale || v.at != c.at {
			t.Errorf("layout(%v in %v, want scale %v) = scale %v at %v; want %v at %v", c.fb, c.win, c.want, v.scale, v.at, c.scale, c.at)
		}
		if r := v.rect(); !r.In(image.Rectangle{Max: c.win}) {
			t.Errorf("layout(%v in %v): picture at %v leaves the window", c.fb, c.win, r)
		}
	}
}

func TestToFB(t *testing.T) {
	v := layout(image.Pt(100, 50), image.Pt(300, 200), 1) // scale 3, at (0, 25)
	for _, c := range []struct {
		p, want image.Point
		in      bool
	}{
		{image.Pt(0, 25), image.Pt(0, 0), true},
		{image.Pt(2, 27), image.Pt(0, 0), true},
		{image.Pt(3, 28), image.Pt(1, 1), true},
		{image.Pt(299, 174), image.Pt(99, 49), true},
		{image.Pt(150, 100), image.Pt(50, 25), true},
		// Outside: clamped to the edge, and said to be outside.
		{image.Pt(10, 10), image.Pt(3, 0), false},
		{image.Pt(-5, 190), image.Pt(0, 49), false},
		{image.Pt(400, 175), image.Pt(99, 49), false},
	} {
		got, in := v.toFB(c.p)
		if got != c.want || in != c.in {
			t.Errorf("toFB(%v) at scale %v = %v, %v; want %v, %v", c.p, v.scale, got, in, c.want, c.in)
		}
	}
	// Every framebuffer pixel's window pixels map back to it.
	v = layout(image.Pt(64, 40), image.Pt(128, 80), 2)
	for y := 0; y < 80; y++ {
		for x := 0; x < 128; x++ {
			if got, _ := v.toFB(image.Pt(x, y)); got != image.Pt(x/2, y/2) {
				t.Fatalf("at scale 2, window (%d,%d) maps to %v", x, y, got)
			}
		}
	}
}

func TestWindowAndFBFor(t *testing.T) {
	if got := windowFor(image.Pt(333, 200), 1.5); got != image.Pt(500, 300) {
		t.Errorf("windowFor(333x200, 1.5) = %v", got)
	}
	if got := fbFor(image.Pt(801, 600), 2); got != image.Pt(400, 300) {
		t.Errorf("fbFor(801x600, 2) = %v", got)
	}
	for _, s := range []float64{0.5, 1, 1.5, 2, 3} {
		for _, fb := range []image.Point{{640, 400}, {333, 201}, {1, 1}} {
			if w := windowFor(fb, s); !atScale(fb, w, s) && fb != image.Pt(1, 1) {
				t.Errorf("the window %v made for %v at scale %v is not at that scale", w, fb, s)
			}
		}
	}
}

func TestMouse(t *testing.T) {
	v := layout(image.Pt(100, 50), image.Pt(200, 100), 2)
	var m mouse
	step := func(in mouseIn) []pointerEvent { return m.events(in, v) }
	pe := func(x, y int, b uint8) pointerEvent { return pointerEvent{x, y, b} }
	for _, c := range []struct {
		name string
		in   mouseIn
		want []pointerEvent
	}{
		{"move", mouseIn{at: image.Pt(21, 41)}, []pointerEvent{pe(10, 20, 0)}},
		{"still", mouseIn{at: image.Pt(20, 40)}, nil},
		{"click within a tick", mouseIn{at: image.Pt(20, 40), pressed: 1, released: 1}, []pointerEvent{pe(10, 20, 1), pe(10, 20, 0)}},
		{"press the right button", mouseIn{at: image.Pt(40, 40), pressed: 4}, []pointerEvent{pe(20, 20, 0), pe(20, 20, 4)}},
		{"drag", mouseIn{at: image.Pt(60, 60)}, []pointerEvent{pe(30, 30, 4)}},
		{"drag out of the window, clamped", mouseIn{at: image.Pt(500, -7)}, []pointerEvent{pe(99, 0, 4)}},
		{"release outside", mouseIn{at: image.Pt(500, -7), released: 4}, []pointerEvent{pe(99, 0, 0)}},
		{"outside with no button: nothing", mouseIn{at: image.Pt(300, 30), pressed: 1, wheelY: 3}, nil},
		{"wheel up", mouseIn{at: image.Pt(100, 50), wheelY: 1}, []pointerEvent{pe(50, 25, 0), pe(50, 25, 8), pe(50, 25, 0)}},
		{"wheel down twice", mouseIn{at: image.Pt(100, 50), wheelY: -2}, []pointerEvent{pe(50, 25, 16), pe(50, 25, 0), pe(50, 25, 16), pe(50, 25, 0)}},
		{"half a turn", mouseIn{at: image.Pt(100, 50), wheelY: 0.5}, nil},
		{"another half", mouseIn{at: image.Pt(100, 50), wheelY: 0.5}, []pointerEvent{pe(50, 25, 8), pe(50, 25, 0)}},
		{"wheel left and right, with a button held", mouseIn{at: image.Pt(100, 50), pressed: 1, wheelX: 1}, []pointerEvent{pe(50, 25, 1), pe(50, 25, 1|32), pe(50, 25, 1)}},
		{"wheel right", mouseIn{at: image.Pt(100, 50), wheelX: -1, released: 1}, []pointerEvent{pe(50, 25, 1|64), pe(50, 25, 1), pe(50, 25, 0)}},
	} {
		if got := step(c.in); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: sent %v, want %v", c.name, got, c.want)
		}
	}
}

func TestOverlayText(t *testing.T) {
	st := viewer.Stats{
		Mode: "rfb", BytesIn: 2_500_000, BytesOut: 900, InPerSec: 12_345, OutPerSec: 12,
		UpdatesPerSec: 29.96, UpdateKind: "updates", InputLatency: 12_345_678 * time.Nanosecond, Size: image.Pt(640, 400),
	}
	got := overlayText(st, "vnc://host:5901", 2, "nearest", 59.6)
	want := []string{
		"rfb vnc://host:5901 640x400  scale 2 nearest",
		"in 12.3kB/s 2.5MB  out 12B/s 900B",
		"30.0 updates/s  input 12.3ms  60 redraws/s",
	}
	if !slices.Equal(got, want) {
		t.Errorf("overlay:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	st = viewer.Stats{Mode: "x11", UpdateKind: "requests", Size: image.Pt(800, 600)}
	if got := overlayText(st, ":3", 1.5, "linear", 0); got[2] != "0.0 requests/s  input -  0 redraws/s" || !strings.HasPrefix(got[0], "x11 :3 800x600  scale 1.5 linear") {
		t.Errorf("X mode overlay with no input yet: %q", got)
	}
}

func TestWrap(t *testing.T) {
	got := wrap([]string{"cannot connect to vnc://h:1: connection refused", "", "R reconnects"}, 20)
	want := []string{"cannot connect to", "vnc://h:1:", "connection refused", "", "R reconnects"}
	if !slices.Equal(got, want) {
		t.Errorf("wrap = %q, want %q", got, want)
	}
	if got := wrap([]string{"abcdefgh"}, 3); !slices.Equal(got, []string{"abc", "def", "gh"}) {
		t.Errorf("wrap of a long word = %q", got)
	}
}

func TestPack(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	got := pack(nil, img, image.Rect(1, 1, 3, 3))
	want := []byte{
		20, 21, 22, 255, 24, 25, 26, 255,
		36, 37, 38, 255, 40, 41, 42, 255,
	}
	if !slices.Equal(got, want) {
		t.Errorf("pack = %v, want %v", got, want)
	}
	// A rectangle beyond the image is cut to it.
	if got := pack(got, img, image.Rect(3, 2, 9, 9)); !slices.Equal(got, []byte{44, 45, 46, 255}) {
		t.Errorf("pack of the corner = %v", got)
	}
}

// testViewer runs a viewer's ticks by hand, without ebiten, on sessions
// that open returns.
type testViewer struct {
	*Viewer
	t    *testing.T
	host *fakeHost
	now  time.Time
}

func newTestViewer(t *testing.T, opts Options, open func() viewer.Session) *testViewer {
	opts.Open = func(context.Context) (viewer.Session, error) { return open(), nil }
	v := New(opts)
	v.ctx = context.Background()
	h := &fakeHost{}
	v.host = h
	tv := &testViewer{Viewer: v, t: t, host: h, now: time.Unix(1000, 0)}
	v.open()
	eventually(t, "the session to open", func() bool { tv.tick(keys{}, mouseIn{}); return v.conn.Live() })
	return tv
}

// tick runs one tick 1/60 s after the last.
func (tv *testViewer) tick(k keys, m mouseIn) {
	tv.now = tv.now.Add(time.Second / 60)
	tv.step(tv.now, k, m)
}

// layout is what ebiten's Layout does when the window is w x h.
func (tv *testViewer) layout(w, h int) { tv.screen = image.Pt(w, h) }

// Pixel mode: the window is made the framebuffer's size at the scale,
// only what changed is uploaded, the window follows a new desktop size at
// the scale shown, and input reaches the session.
func TestViewerPixelMode(t *testing.T) {
	s := newFake("rfb", 320, 200)
	tv := newTestViewer(t, Options{Target: "vnc://fake:5900", Scale: 2}, func() viewer.Session { return s })
	if want := []image.Point{{640, 400}}; !slices.Equal(tv.host.windows, want) {
		t.Errorf("window sizes set %v, want %v", tv.host.windows, want)
	}
	if want := []image.Rectangle{image.Rect(0, 0, 320, 200)}; !slices.Equal(tv.host.writes, want) {
		t.Errorf("uploads %v, want the whole framebuffer", tv.host.writes)
	}
	if len(tv.host.titles) == 0 || tv.host.titles[0] != "netdisplay vnc://fake:5900 (rfb)" {
		t.Errorf("titles %q", tv.host.titles)
	}
	tv.layout(640, 400)
	tv.tick(keys{}, mouseIn{})

	// A change uploads its rectangle only.
	tv.host.writes = nil
	tv.dirty = false
	s.fill(image.Rect(10, 20, 30, 25), [4]uint8{255, 0, 0, 255})
	tv.tick(keys{}, mouseIn{})
	if want := []image.Rectangle{image.Rect(10, 20, 30, 25)}; !slices.Equal(tv.host.writes, want) || !tv.dirty {
		t.Errorf("after a change: uploads %v (dirty %v), want %v", tv.host.writes, tv.dirty, want)
	}
	tv.tick(keys{}, mouseIn{})
	if len(tv.host.writes) != 1 {
		t.Errorf("a tick without a change uploaded %v", tv.host.writes[1:])
	}

	// Input, through the scale.
	s.sent()
	tv.tick(keys{pressed: []ebiten.Key{ebiten.KeyA}, chars: []rune("a")}, mouseIn{at: image.Pt(101, 51), pressed: 1})
	tv.tick(keys{released: []ebiten.Key{ebiten.KeyA}}, mouseIn{at: image.Pt(101, 51), released: 1})
	ks, ps := s.sent()
	if want := typed('a'); fmt.Sprint(ks) != fmt.Sprint(want) {
		t.Errorf("keys %v, want %v", ks, want)
	}
	if want := []pointerEvent{{50, 25, 0}, {50, 25, 1}, {50, 25, 0}}; !slices.Equal(ps, want) {
		t.Errorf("pointer %v, want %v", ps, want)
	}

	// The user halves the window: the picture follows at scale 1.
	tv.layout(320, 200)
	tv.tick(keys{}, mouseIn{})
	if got := tv.view().scale; got != 1 {
		t.Errorf("in a window half the size the scale is %v, want 1", got)
	}
	// A new desktop size: the window follows, at the scale shown.
	s.resize(400, 300)
	tv.tick(keys{}, mouseIn{})
	if got := tv.host.windows[len(tv.host.windows)-1]; got != image.Pt(400, 300) {
		t.Errorf("after the desktop became 400x300 the window is %v, want 400x300", got)
	}
	if got := tv.host.writes[len(tv.host.writes)-1]; got != image.Rect(0, 0, 400, 300) || tv.host.size != image.Pt(400, 300) {
		t.Errorf("after the desktop resized, upload %v of a %v image", got, tv.host.size)
	}
	if len(s.resizes) != 0 {
		t.Errorf("pixel mode resized the desktop: %v", s.resizes)
	}
}

// A desktop larger than the screen gets a window that fits the screen.
func TestViewerFitsMonitor(t *testing.T) {
	s := newFake("rfb", 4000, 1000)
	v := New(Options{Target: "vnc://fake:5900", Open: func(context.Context) (viewer.Session, error) { return s, nil }})
	v.ctx = context.Background()
	h := &fakeHost{mon: image.Pt(2000, 1200)}
	v.host = h
	v.open()
	eventually(t, "the window", func() bool { v.step(time.Now(), keys{}, mouseIn{}); return len(h.windows) > 0 })
	if h.windows[0] != image.Pt(2000, 500) {
		t.Errorf("a 4000x1000 desktop on a 2000x1200 screen got a %v window, want 2000x500", h.windows[0])
	}
}

// X mode: a resized window resizes the display once it stays still, not
// while it is being dragged through sizes, and not for the size the
// viewer set itself.
func TestViewerXModeResize(t *testing.T) {
	s := newFake("x11", 320, 200)
	tv := newTestViewer(t, Options{Target: "X display :9", Scale: 2}, func() viewer.Session { return s })
	// Before the window takes the size the viewer set, ebiten reports the
	// window it made first: that is no resize by the user.
	tv.layout(640, 480)
	for range 60 {
		tv.tick(keys{}, mouseIn{})
	}
	tv.layout(640, 400)
	for range 60 {
		tv.tick(keys{}, mouseIn{})
	}
	if len(s.resizes) != 0 {
		t.Fatalf("the display was resized to %v before the user resized the window", s.resizes)
	}
	// The user drags the window through sizes.
	for i := range 10 {
		tv.layout(700+10*i, 500)
		tv.tick(keys{}, mouseIn{})
	}
	if len(s.resizes) != 0 {
		t.Fatalf("the display was resized to %v while the window was moving", s.resizes)
	}
	for range 30 {
		tv.tick(keys{}, mouseIn{})
	}
	if want := []image.Point{{395, 250}}; !slices.Equal(s.resizes, want) {
		t.Fatalf("after the window stayed 790x500: resizes %v, want %v", s.resizes, want)
	}
	for range 30 {
		tv.tick(keys{}, mouseIn{})
	}
	if len(s.resizes) != 1 || tv.fb != image.Pt(395, 250) || tv.view().scale != 2 {
		t.Errorf("after the display followed: resizes %v, framebuffer %v, scale %v", s.resizes, tv.fb, tv.view().scale)
	}
	if len(tv.host.windows) != 1 {
		t.Errorf("the viewer resized the window for the size it asked itself: %v", tv.host.windows)
	}
	// A size set on the display by someone else: the window follows.
	s.resize(300, 300)
	tv.tick(keys{}, mouseIn{})
	if got := tv.host.windows[len(tv.host.windows)-1]; got != image.Pt(600, 600) {
		t.Errorf("after the display became 300x300 the window is %v, want 600x600", got)
	}
}

// Ctrl-] starts a command; its keys stay in the viewer. A lost session
// says why, R reconnects, and the statistics file says it all.
func TestViewerCommandsAndReconnect(t *testing.T) {
	stats := filepath.Join(t.TempDir(), "stats.json")
	var opens int
	first := newFake("rfb", 64, 48)
	var second *fakeSession
	tv := newTestViewer(t, Options{Target: "vnc://fake:5900", StatsFile: stats}, func() viewer.Session {
		opens++
		if opens == 1 {
			return first
		}
		second = newFake("rfb", 32, 24)
		return second
	})
	tv.layout(64, 48)
	if !tv.overlay {
		t.Fatal("the overlay starts hidden")
	}
	ctrl := keys{pressed: []ebiten.Key{ebiten.KeyControlLeft}, ctrl: true}
	tv.tick(ctrl, mouseIn{})
	tv.tick(keys{pressed: []ebiten.Key{ebiten.KeyBracketRight}, ctrl: true}, mouseIn{})
	if !tv.prefix || !slices.Contains(tv.overlayLines(), prefixHint) {
		t.Errorf("after Ctrl-]: prefix %v, overlay %q", tv.prefix, tv.overlayLines())
	}
	tv.tick(keys{released: []ebiten.Key{ebiten.KeyBracketRight, ebiten.KeyControlLeft}}, mouseIn{})
	tv.tick(keys{pressed: []ebiten.Key{ebiten.KeyS}, chars: []rune("s")}, mouseIn{})
	tv.tick(keys{released: []ebiten.Key{ebiten.KeyS}}, mouseIn{})
	if tv.overlay || tv.prefix {
		t.Errorf("after Ctrl-] s: overlay %v, prefix %v", tv.overlay, tv.prefix)
	}
	// Ctrl-] ] sends Ctrl-] itself.
	tv.tick(ctrl, mouseIn{})
	tv.tick(keys{pressed: []ebiten.Key{ebiten.KeyBracketRight}, ctrl: true}, mouseIn{})
	tv.tick(keys{pressed: []ebiten.Key{ebiten.KeyBracketRight}, ctrl: true}, mouseIn{})
	tv.tick(keys{released: []ebiten.Key{ebiten.KeyBracketRight, ebiten.KeyControlLeft}}, mouseIn{})
	ks, _ := first.sent()
	if want := cat(down(xkControlL), up(xkControlL), down(xkControlL), typed(']'), up(xkControlL)); fmt.Sprint(ks) != fmt.Sprint(want) {
		t.Errorf("the display got %v, want %v: only Control, and then Ctrl-] when asked", ks, want)
	}

	first.drop()
	tv.tick(keys{}, mouseIn{})
	msg := tv.messageLines()
	if tv.conn.Live() || len(msg) != 3 || msg[0] != "connection to vnc://fake:5900 lost: the other side closed it" || msg[2] != "R reconnects, Q quits" {
		t.Errorf("after the connection dropped: live %v, message %q", tv.conn.Live(), msg)
	}
	// Keys are the message box's now: none reaches a session.
	tv.tick(keys{pressed: []ebiten.Key{ebiten.KeyA}, chars: []rune("a")}, mouseIn{})
	if ks, _ := first.sent(); len(ks) != 0 {
		t.Errorf("a lost session got keys %v", ks)
	}
	tv.now = tv.now.Add(time.Second)
	tv.tick(keys{}, mouseIn{})
	var st StatsJSON
	b, err := os.ReadFile(stats)
	if err != nil || json.Unmarshal(b, &st) != nil {
		t.Fatalf("stats file: %v %s", err, b)
	}
	if st.Connected || !strings.Contains(st.Problem, "lost: the other side closed it") || st.Mode != "rfb" || st.BytesIn != 1234 {
		t.Errorf("stats file after the drop: %+v", st)
	}

	tv.tick(keys{pressed: []ebiten.Key{ebiten.KeyR}, chars: []rune("r")}, mouseIn{})
	eventually(t, "the reconnection", func() bool { tv.tick(keys{}, mouseIn{}); return tv.conn.Live() })
	if opens != 2 || tv.fb != image.Pt(32, 24) || tv.messageLines() != nil {
		t.Errorf("after R: %d opens, framebuffer %v, message %q", opens, tv.fb, tv.messageLines())
	}
	if got := tv.host.windows[len(tv.host.windows)-1]; got != image.Pt(32, 24) {
		t.Errorf("after reconnecting the window is %v, want the new desktop's 32x24", got)
	}
	// Ctrl-] typed within one tick, as ebiten lists it: by key code.
	tv.tick(keys{pressed: []ebiten.Key{ebiten.KeyBracketRight, ebiten.KeyControlLeft}, released: []ebiten.Key{ebiten.KeyControlLeft}, ctrl: true}, mouseIn{})
	if !tv.prefix {
		t.Fatal("Ctrl-] within one tick is no prefix")
	}
	tv.tick(keys{pressed: []ebiten.Key{ebiten.KeyQ}, chars: []rune("q")}, mouseIn{})
	if !tv.quit {
		t.Error("Ctrl-] q did not quit")
	}
}

// A refused connection says why, and nothing is live.
func TestViewerRefused(t *testing.T) {
	v := New(Options{Target: "vnc://fake:5900", Open: func(context.Context) (viewer.Session, error) {
		return nil, fmt.Errorf("rfb: authentication failed")
	}})
	v.ctx = context.Background()
	v.host = &fakeHost{}
	v.open()
	if got := v.messageLines(); len(got) != 3 || got[2] != "Q quits" {
		t.Errorf("while connecting, the message is %q", got)
	}
	eventually(t, "the refusal", func() bool { v.step(time.Now(), keys{}, mouseIn{}); return !v.conn.Opening() })
	if got := v.messageLines(); len(got) != 3 || got[0] != "cannot connect to vnc://fake:5900: rfb: authentication failed" || got[2] != "R reconnects, Q quits" {
		t.Errorf("after the refusal, the message is %q", got)
	}
	v.step(time.Now(), keys{pressed: []ebiten.Key{ebiten.KeyQ}}, mouseIn{})
	if !v.quit {
		t.Error("Q did not quit")
	}
}
