#!/usr/bin/python3
"""Copy and paste through the PRIMARY selection.

selection.py own TEXT   takes PRIMARY and serves TEXT (STRING, UTF8_STRING,
                        TARGETS) until killed; prints "owning" when ready.
selection.py paste      asks for PRIMARY as STRING and prints what it gets,
                        or "none" if there is no owner.
"""
import sys
from Xlib import X, display, Xatom

d = display.Display()
root = d.screen().root
w = root.create_window(0, 0, 1, 1, 0, X.CopyFromParent, event_mask=X.PropertyChangeMask)
UTF8 = d.intern_atom("UTF8_STRING")
TARGETS = d.intern_atom("TARGETS")

def now():
    # A timestamp from the server: a zero-length property append.
    w.change_property(Xatom.WM_NAME, Xatom.STRING, 8, b"", X.PropModeAppend)
    while True:
        e = d.next_event()
        if e.type == X.PropertyNotify:
            return e.time

if sys.argv[1] == "own":
    text = sys.argv[2].encode("latin-1")
    w.set_selection_owner(Xatom.PRIMARY, now())
    if d.get_selection_owner(Xatom.PRIMARY) != w:
        print("not owner", flush=True)
        sys.exit(1)
    print("owning", flush=True)
    while True:
        e = d.next_event()
        if e.type == X.SelectionRequest:
            prop = e.property or e.target
            if e.target == TARGETS:
                e.requestor.change_property(prop, Xatom.ATOM, 32, [TARGETS, Xatom.STRING, UTF8])
            elif e.target in (Xatom.STRING, UTF8):
                e.requestor.change_property(prop, e.target, 8, text if e.target == Xatom.STRING else text.decode("latin-1").encode())
            else:
                prop = X.NONE
            from Xlib.protocol import event
            ev = event.SelectionNotify(time=e.time, requestor=e.requestor, selection=e.selection, target=e.target, property=prop)
            e.requestor.send_event(ev)
            d.flush()
        elif e.type == X.SelectionClear:
            print("cleared", flush=True)
else:
    prop = d.intern_atom("PASTE")
    w.convert_selection(Xatom.PRIMARY, Xatom.STRING, prop, now())
    while True:
        e = d.next_event()
        if e.type == X.SelectionNotify:
            if e.property == X.NONE:
                print("none", flush=True)
            else:
                v = w.get_full_property(prop, X.AnyPropertyType)
                print("pasted:" + v.value.decode("latin-1"), flush=True)
            break
