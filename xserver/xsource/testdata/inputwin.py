#!/usr/bin/python3
"""A python3-xlib window for netdisplay's RFB tests. It draws in flat
colours (so lossless encodings must show it exactly) and reports every
input event it gets, so a test can follow what a VNC viewer sends through
to an X client.

It prints one line per event:
  "ready X Y"               drawn; X Y is its inside's origin on the root
  "click X Y BUTTON"        a ButtonPress, in window coordinates
  "key KEYCODE STATE SYM"   a KeyPress; SYM is the keysym, in hex, that the
                            core keymap gives KEYCODE with STATE's Shift
  "pasted HEX"              the PRIMARY selection's text arrived ("none"
                            if there is none)
  "done X Y"                it did what stdin asked; X Y is its inside's
                            origin now
It reads commands on stdin: "move X Y" moves the window with
ConfigureWindow; "stress N" scrolls its contents and moves it about N
times, as fast as it can; "bell" rings the bell; "copy HEX" takes PRIMARY
and offers those bytes as STRING; "paste" asks for PRIMARY as STRING. It
exits when stdin closes.
"""
import select
import sys
from Xlib import X, Xatom, display
from Xlib.protocol import event

d = display.Display()
screen = d.screen()
root = screen.root
cmap = screen.default_colormap


def pixel(name):
    return cmap.alloc_named_color(name).pixel


win = root.create_window(
    40, 30, 200, 120, 2, screen.root_depth, X.InputOutput, X.CopyFromParent,
    background_pixel=pixel("ivory"),
    border_pixel=pixel("navy"),
    event_mask=X.ExposureMask | X.ButtonPressMask | X.KeyPressMask,
)
win.set_wm_name("inputwin")
clip = b""  # the text it offers as PRIMARY
paste = d.intern_atom("INPUTWIN_PASTE")
# Its own cursor, XC_hand2 from the cursor font, so that the pointer's
# shape changes as the pointer comes in.
cursor_font = d.open_font("cursor")
win.change_attributes(cursor=cursor_font.create_glyph_cursor(
    cursor_font, 60, 61, (0, 0, 0), (0xffff, 0xffff, 0xffff)))

fill = win.create_gc(foreground=pixel("steel blue"))
line = win.create_gc(foreground=pixel("firebrick"), line_width=3)
text = win.create_gc(foreground=pixel("black"), background=pixel("light yellow"),
                     font=d.open_font("fixed"))


def draw():
    win.fill_rectangle(fill, 10, 10, 60, 40)
    win.poly_line(line, X.CoordModeOrigin, [(80, 10), (120, 50), (160, 10), (190, 50)])
    win.rectangle(line, 10, 70, 50, 40)
    win.fill_arc(fill, 80, 70, 50, 40, 0, 360 * 64)
    win.image_text(text, 140, 95, "rfb")


# A second window, below, with more colours than a screen usually has,
# fine stripes and text: what a viewer with its colours swapped, its rows
# shifted or its tiles misplaced would show wrong. It has fewer than 128
# colours in any 64x64 tile, so that Tight sends it without JPEG.
pat = root.create_window(
    20, 200, 440, 140, 0, screen.root_depth, X.InputOutput, X.CopyFromParent,
    background_pixel=pixel("gray20"), event_mask=X.ExposureMask,
)
pat.set_wm_name("pattern")
bars = [pat.create_gc(foreground=cmap.alloc_color(r * 0x5555, g * 0x5555, b * 0x7fff).pixel)
        for r in range(4) for g in range(4) for b in range(3)]
white = pat.create_gc(foreground=pixel("white"), font=d.open_font("fixed"))


def draw_pattern():
    for i, gc in enumerate(bars):
        pat.fill_rectangle(gc, 10 + 9 * (i % 24), 10 + 40 * (i // 24), 9, 40)
    for x in range(230, 430, 2):
        pat.fill_rectangle(bars[x % len(bars)], x, 10, 1, 80)
    for i in range(12):
        pat.fill_rectangle(white, 230 + 17 * i, 95 + i % 2 * 4, 8, 4)
    pat.draw_text(white, 10, 110, "The quick brown fox jumps over the lazy dog 0123456789")
    pat.draw_text(white, 10, 128, "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


plain = win.create_gc(graphics_exposures=False)
# Where stress moves the window: partly off the screen, partly under the
# pattern window, over xlogo, and back.
places = [(60, 45), (-30, 60), (100, 120), (250, 20), (40, 30)]


def stress(n):
    """Scroll the window's contents and move the window, n times, without
    waiting: damage, copies and exposures pile up between two updates."""
    for i in range(n):
        dy = 1 + i % 7
        win.copy_area(plain, win, 0, dy, 200, 120 - dy, 0, 0)
        win.fill_rectangle(bars[i % len(bars)], 0, 120 - dy, 200, dy)
        if i % 4 == 0:
            win.image_text(text, 10 + i % 50, 110, "line %d" % i)
        if i % 10 == 9:
            x, y = places[i // 10 % len(places)]
            win.configure(x=x, y=y)
        d.flush()


win.map()
pat.map()
d.flush()

ready = False
while True:
    while d.pending_events():
        e = d.next_event()
        if e.type == X.Expose and e.window == pat and e.count == 0:
            draw_pattern()
            d.flush()
        elif e.type == X.Expose and e.count == 0:
            draw()
            d.flush()
            if not ready:
                ready = True
                o = root.translate_coords(win, 0, 0)
                print("ready", o.x, o.y, flush=True)
        elif e.type == X.ButtonPress:
            print("click", e.event_x, e.event_y, e.detail, flush=True)
        elif e.type == X.KeyPress:
            sym = d.keycode_to_keysym(e.detail, 1 if e.state & X.ShiftMask else 0)
            print("key", e.detail, e.state, "%#x" % sym, flush=True)
        elif e.type == X.MappingNotify:
            d.refresh_keyboard_mapping(e)
        elif e.type == X.SelectionRequest:
            # Whoever asks (the X server, for the viewers) gets the text.
            prop = X.NONE
            if e.target == Xatom.STRING:
                prop = e.property
                e.requestor.change_property(prop, Xatom.STRING, 8, clip)
            e.requestor.send_event(event.SelectionNotify(
                time=e.time, requestor=e.requestor, selection=e.selection,
                target=e.target, property=prop))
            d.flush()
        elif e.type == X.SelectionNotify:
            if e.property == X.NONE:
                print("pasted none", flush=True)
            else:
                p = win.get_full_property(e.property, X.AnyPropertyType)
                print("pasted", bytes(p.value).hex(), flush=True)
    r, _, _ = select.select([d, sys.stdin], [], [])
    if sys.stdin in r:
        cmd = sys.stdin.readline().split()
        if not cmd:
            sys.exit(0)
        if cmd[0] == "move":
            win.configure(x=int(cmd[1]), y=int(cmd[2]))
        elif cmd[0] == "stress":
            stress(int(cmd[1]))
        elif cmd[0] == "bell":
            d.bell(0)
        elif cmd[0] == "copy":
            clip = bytes.fromhex(cmd[1])
            win.set_selection_owner(Xatom.PRIMARY, X.CurrentTime)
        elif cmd[0] == "paste":
            win.convert_selection(Xatom.PRIMARY, Xatom.STRING, paste, X.CurrentTime)
        d.sync()
        o = root.translate_coords(win, 0, 0)
        print("done", o.x, o.y, flush=True)
