#!/usr/bin/python3
"""A python3-xlib program for netdisplay's tests: it opens a window, draws
with the core requests, and answers events until it is killed.

It prints one line per event it handles, so a test can follow it:
"ready" once the first Expose has been drawn, "click X Y BUTTON",
"key KEYCODE", "configure W H".
"""
import sys
from Xlib import X, display, Xatom

d = display.Display()
screen = d.screen()
root = screen.root
cmap = screen.default_colormap

def pixel(name):
    return cmap.alloc_named_color(name).pixel

win = root.create_window(
    10, 10, 240, 160, 2, screen.root_depth, X.InputOutput, X.CopyFromParent,
    background_pixel=pixel("ivory"),
    border_pixel=pixel("navy"),
    event_mask=X.ExposureMask | X.ButtonPressMask | X.KeyPressMask | X.StructureNotifyMask,
)
win.set_wm_name("pydemo")
win.set_wm_class("pydemo", "PyDemo")
wm_delete = d.intern_atom("WM_DELETE_WINDOW")
win.change_property(d.intern_atom("WM_PROTOCOLS"), Xatom.ATOM, 32, [wm_delete])

gc = win.create_gc(foreground=pixel("firebrick"), background=pixel("ivory"), line_width=3)
dash = win.create_gc(foreground=pixel("dark green"), line_style=X.LineOnOffDash, line_width=0)
dash.set_dashes(0, [6, 3])
fill = win.create_gc(foreground=pixel("steel blue"))
font = d.open_font("fixed")
text = win.create_gc(foreground=pixel("black"), background=pixel("light yellow"), font=font)

# A pixmap drawn once and copied in on every expose.
pm = win.create_pixmap(40, 40, screen.root_depth)
pm.fill_rectangle(fill, 0, 0, 40, 40)
pm.fill_arc(gc, 5, 5, 30, 30, 0, 360 * 64)

def draw():
    win.fill_rectangle(fill, 10, 10, 60, 40)
    win.poly_line(gc, X.CoordModeOrigin, [(80, 10), (130, 50), (180, 10), (230, 50)])
    win.poly_segment(dash, [(10, 60, 230, 60), (10, 64, 230, 100)])
    win.rectangle(gc, 10, 110, 50, 40)
    win.arc(gc, 70, 110, 60, 40, 0, 270 * 64)
    win.fill_poly(fill, X.Complex, X.CoordModeOrigin, [(150, 110), (190, 150), (140, 150), (180, 110)])
    win.copy_area(gc, pm, 0, 0, 40, 40, 195, 105)
    win.image_text(text, 80, 80, "netdisplay")

win.map()

ready = False
while True:
    e = d.next_event()
    if e.type == X.Expose:
        if e.count == 0:
            draw()
            d.flush()
            if not ready:
                ready = True
                print("ready", flush=True)
    elif e.type == X.ButtonPress:
        win.fill_rectangle(gc, e.event_x - 2, e.event_y - 2, 5, 5)
        print("click", e.event_x, e.event_y, e.detail, flush=True)
    elif e.type == X.KeyPress:
        print("key", e.detail, flush=True)
    elif e.type == X.ConfigureNotify:
        print("configure", e.width, e.height, flush=True)
    elif e.type == X.ClientMessage:
        if e.client_type == d.intern_atom("WM_PROTOCOLS"):
            sys.exit(0)
