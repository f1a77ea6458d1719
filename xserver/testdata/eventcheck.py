#!/usr/bin/python3
"""A scripted tour of the X server's window and input semantics, printing
every event the windows get, so that netdisplay's tests can run it on
netdisplay and on Xvfb and require the same output.

It covers: exposures and their counts as windows map, unmap, move, resize
and restack; structure and substructure events; Enter/Leave details as the
pointer moves across a window tree (XTEST); FocusIn/FocusOut details as the
focus moves; passive and active grabs; GraphicsExpose/NoExpose from
CopyArea; SendEvent; property and colormap notifications; and the window
tree queries.
"""
import sys
from Xlib import X, display, Xatom
from Xlib.ext import xtest
from Xlib.protocol import event as xevent

d = display.Display()
screen = d.screen()
root = screen.root
names = {}
MASK = (X.ExposureMask | X.StructureNotifyMask | X.SubstructureNotifyMask | X.EnterWindowMask |
        X.LeaveWindowMask | X.FocusChangeMask | X.ButtonPressMask | X.ButtonReleaseMask |
        X.PointerMotionMask | X.KeyPressMask | X.KeyReleaseMask | X.PropertyChangeMask |
        X.VisibilityChangeMask | X.ColormapChangeMask)

def name(w):
    if w in (0, X.NONE):
        return "None"
    wid = w if isinstance(w, int) else w.id
    if wid == root.id:
        return "root"
    return names.get(wid, "?%x" % wid)

def window(n, parent, x, y, w, h, border=1, bg=0xFFFFFF, mask=MASK, **kw):
    win = parent.create_window(x, y, w, h, border, screen.root_depth, X.InputOutput, X.CopyFromParent,
                               background_pixel=bg, border_pixel=0x000080, event_mask=mask, **kw)
    names[win.id] = n
    return win

out = []
def say(*a):
    out.append(" ".join(str(x) for x in a))

def describe(e):
    t = e.__class__.__name__
    if t == "MappingNotify":
        # X.Org sends these when input switches between its XTEST device
        # and the core keyboard: an artefact of its device model.
        return
    f = []
    if hasattr(e, "window"):
        f.append("window=" + name(e.window))
    if hasattr(e, "event") and not isinstance(e.event, int) or hasattr(e, "event") and e.event:
        if t not in ("Expose", "GraphicsExpose", "NoExpose"):
            try:
                f.append("event=" + name(e.event))
            except Exception:
                pass
    for k in ("detail", "mode", "state", "count", "x", "y", "width", "height", "border_width",
              "event_x", "event_y", "root_x", "root_y", "same_screen", "focus", "override",
              "from_configure", "atom", "major_event", "minor_event", "place", "new", "send_event"):
        if hasattr(e, k):
            v = getattr(e, k)
            if k == "atom":
                v = d.get_atom_name(v)
            f.append("%s=%s" % (k, v))
    for k in ("child", "above_sibling", "parent", "drawable"):
        if hasattr(e, k):
            f.append("%s=%s" % (k, name(getattr(e, k))))
    say(t, *f)

def drain(tag):
    d.sync()
    say("--", tag)
    while d.pending_events():
        describe(d.next_event())

def move(x, y):
    xtest.fake_input(d, X.MotionNotify, x=x, y=y)
    drain("pointer to %d,%d" % (x, y))

def click(button, tag):
    xtest.fake_input(d, X.ButtonPress, button)
    xtest.fake_input(d, X.ButtonRelease, button)
    drain(tag)

# A tree: A (top) holds B and C; C holds D. E is another top-level.
move(5, 5)
A = window("A", root, 20, 20, 200, 150, border=2)
B = window("B", A, 10, 10, 60, 60)
C = window("C", A, 90, 30, 80, 90)
D = window("D", C, 10, 10, 40, 40, border=0, bg=0xFF0000)
E = window("E", root, 150, 100, 120, 100, border=3, bg=0x00FF00)
drain("created")
A.map_sub_windows()
drain("A's subwindows mapped while A is unmapped")
A.map()
drain("A mapped")
E.map()
drain("E mapped over A")
C.map_sub_windows()
drain("D mapped")

# The pointer tours the tree: Enter/Leave with every detail.
for x, y in [(40, 40), (35, 35), (130, 70), (125, 65), (60, 150), (180, 140), (300, 250), (5, 5)]:
    move(x, y)

# Focus moves around the tree with the pointer in D.
move(125, 65)
for target, tag in [(A, "A"), (D, "D"), (B, "B"), (X.PointerRoot, "PointerRoot"), (X.NONE, "None"), (C, "C"), (X.PointerRoot, "PointerRoot again")]:
    d.set_input_focus(target, X.RevertToParent, X.CurrentTime)
    drain("focus to " + tag)
say("GetInputFocus", name(d.get_input_focus().focus))

# Keys go to the focus, or to the pointer's window under PointerRoot.
for keycode in (38, 50):
    xtest.fake_input(d, X.KeyPress, keycode)
    xtest.fake_input(d, X.KeyRelease, keycode)
drain("keys with focus PointerRoot, pointer in D")
d.set_input_focus(B, X.RevertToPointerRoot, X.CurrentTime)
xtest.fake_input(d, X.KeyPress, 38)
xtest.fake_input(d, X.KeyRelease, 38)
drain("key with focus B")
d.set_input_focus(X.PointerRoot, X.RevertToPointerRoot, X.CurrentTime)
drain("focus back to PointerRoot")

# Button presses: the implicit grab keeps events in D even as the pointer leaves.
xtest.fake_input(d, X.ButtonPress, 1)
move(60, 150)
xtest.fake_input(d, X.ButtonRelease, 1)
drain("press in D, drag out, release")

# A passive grab on A takes the press; an active grab on E takes everything.
A.grab_button(3, X.AnyModifier, True, X.ButtonPressMask | X.ButtonReleaseMask | X.PointerMotionMask, X.GrabModeAsync, X.GrabModeAsync, X.NONE, X.NONE)
move(125, 65)
click(3, "button 3 in D under A's passive grab")
A.ungrab_button(3, X.AnyModifier)
r = E.grab_pointer(False, X.ButtonPressMask | X.EnterWindowMask | X.LeaveWindowMask, X.GrabModeAsync, X.GrabModeAsync, X.NONE, X.NONE, X.CurrentTime)
say("GrabPointer", r)
drain("E grabs the pointer")
click(1, "click while E grabs")
d.ungrab_pointer(X.CurrentTime)
drain("ungrab")
r = C.grab_keyboard(True, X.GrabModeAsync, X.GrabModeAsync, X.CurrentTime)
say("GrabKeyboard", r)
drain("C grabs the keyboard")
xtest.fake_input(d, X.KeyPress, 38)
xtest.fake_input(d, X.KeyRelease, 38)
d.ungrab_keyboard(X.CurrentTime)
drain("key while C grabs, then ungrab")

# A synchronous passive grab freezes the pointer until AllowEvents; a
# replay gives the press to the window under the pointer after all.
A.grab_button(1, X.AnyModifier, False, X.ButtonPressMask | X.ButtonReleaseMask, X.GrabModeSync, X.GrabModeAsync, X.NONE, X.NONE)
xtest.fake_input(d, X.ButtonPress, 1)
drain("press under a synchronous grab")
move(130, 70)
drain("motion while frozen")
d.allow_events(X.ReplayPointer, X.CurrentTime)
drain("ReplayPointer")
xtest.fake_input(d, X.ButtonRelease, 1)
drain("release")
A.ungrab_button(1, X.AnyModifier)
xtest.fake_input(d, X.ButtonPress, 1)
xtest.fake_input(d, X.ButtonRelease, 1)
r = E.grab_pointer(False, X.ButtonPressMask | X.PointerMotionMask, X.GrabModeSync, X.GrabModeAsync, X.NONE, X.NONE, X.CurrentTime)
move(150, 90)
drain("motion under a synchronous active grab")
d.allow_events(X.AsyncPointer, X.CurrentTime)
drain("AsyncPointer")
d.ungrab_pointer(X.CurrentTime)
drain("ungrab")

# Structure changes and the exposures they cause.
E.configure(x=100, y=60)
drain("E moved")
E.configure(width=150, height=80)
drain("E resized")
E.configure(stack_mode=X.Below)
drain("E lowered")
E.configure(stack_mode=X.Above, sibling=A)
drain("E raised above A")
C.configure(x=20, y=20, border_width=4)
drain("C moved inside A, thicker border")
B.unmap()
drain("B unmapped")
B.map()
drain("B mapped again")
A.circulate(X.RaiseLowest)
drain("A's lowest raised")
D.reparent(B, 5, 5)
drain("D reparented into B")
C.destroy()
drain("C destroyed")

# Exposure by ClearArea and copies.
B.clear_area(0, 0, 20, 20, exposures=True)
drain("ClearArea with exposures")
gc = A.create_gc(foreground=0, graphics_exposures=True)
A.copy_area(gc, A, 0, 0, 50, 50, 100, 80)
drain("CopyArea within A")
A.copy_area(gc, A, 150, 100, 100, 100, 0, 0)
drain("CopyArea from partly outside A")
pm = A.create_pixmap(10, 10, screen.root_depth)
A.copy_area(gc, pm, 0, 0, 10, 10, 0, 0)
drain("CopyArea from a pixmap")

# Properties, SendEvent, colormaps.
A.change_property(Xatom.WM_NAME, Xatom.STRING, 8, b"hello")
A.change_property(Xatom.WM_NAME, Xatom.STRING, 8, b" world", X.PropModeAppend)
say("property", A.get_full_property(Xatom.WM_NAME, Xatom.STRING).value)
A.delete_property(Xatom.WM_NAME)
drain("properties")
ev = xevent.ClientMessage(window=B, client_type=Xatom.WM_COMMAND, data=(32, [1, 2, 3, 4, 5]))
B.send_event(ev, event_mask=0)
B.send_event(ev, event_mask=X.StructureNotifyMask, propagate=True)
drain("SendEvent")
cm = root.create_colormap(screen.root_visual, X.AllocNone)
B.change_attributes(colormap=cm)
drain("colormap changed")

# The tree as queried.
t = A.query_tree()
say("QueryTree A", name(t.parent), [name(c) for c in t.children])
g = B.get_geometry()
say("GetGeometry B", g.x, g.y, g.width, g.height, g.border_width, g.depth)
tc = B.translate_coords(root, 0, 0)
say("TranslateCoordinates", tc.x, tc.y, name(tc.child))
p = root.query_pointer()
say("QueryPointer", p.root_x, p.root_y, name(p.child), p.mask)
a = B.get_attributes()
say("GetWindowAttributes B", a.map_state, a.win_gravity, a.bit_gravity, a.your_event_mask == MASK, a.override_redirect)
E.destroy()
A.destroy()
drain("destroyed")
print("\n".join(out))
