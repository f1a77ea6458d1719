#!/usr/bin/python3
"""Prints, as JSON, what a client learns about fonts from an X server:
ListFonts for some patterns, QueryFont and QueryTextExtents for some
fonts, and the pixels of text drawn with them. netdisplay's tests run it on
netdisplay and on Xvfb and compare."""
import hashlib, json, sys
from Xlib import X, display

PATTERNS = [
    "fixed", "6x13", "*-fixed-medium-r-normal--13-*-iso8859-1",
    "-misc-fixed-*-*-*--*-*-*-*-*-*-iso8859-1", "*helvetica-bold-r-*-12-*",
    "-*-fixed-*-R-*-*-*-120-*-*-*-*-ISO8859-1", "?x13*", "10X20", "cursor",
]
FONTS = ["fixed", "9x15", "10x20", "-misc-fixed-medium-r-normal--13-120-75-75-c-70-iso8859-1",
         "-adobe-helvetica-bold-r-normal--12-120-75-75-p-70-iso8859-1"]
# Properties whose values are atoms (as xlsfonts -ll knows them); their
# numbers differ between servers, their names must not.
ATOM_PROPS = {"FONT", "FAMILY_NAME", "FOUNDRY", "WEIGHT_NAME", "SLANT", "SETWIDTH_NAME",
              "ADD_STYLE_NAME", "SPACING", "CHARSET_REGISTRY", "CHARSET_ENCODING", "COPYRIGHT",
              "NOTICE", "FULL_NAME", "FACE_NAME", "FONTNAME_REGISTRY", "_DEC_DEVICE_FONTNAMES",
              "CLASSIFICATION", "DEVICE_FONT_NAME", "_GBDFED_INFO", "_XMBDFED_INFO"}
TEXT = "Hello, X11! gjpqy |}~ \xe9\xe8"

d = display.Display()
screen = d.screen()
out = {"lists": {}, "fonts": {}}
for p in PATTERNS:
    out["lists"][p] = list(d.list_fonts(p, 1000))
for name in FONTS:
    try:
        f = d.open_font(name)
        q = f.query()
    except Exception as e:
        out["fonts"][name] = {"error": str(type(e).__name__)}
        continue
    def ci(c):
        return [c.left_side_bearing, c.right_side_bearing, c.character_width, c.ascent, c.descent, c.attributes]
    props = sorted([d.get_atom_name(p.name), d.get_atom_name(p.value) if d.get_atom_name(p.name) in ATOM_PROPS else p.value] for p in q.properties)
    ext = f.query_text_extents([ord(c) for c in TEXT])
    pm = screen.root.create_pixmap(300, 40, screen.root_depth)
    gc = pm.create_gc(foreground=0xFFFFFF, background=0)
    pm.fill_rectangle(gc, 0, 0, 300, 40)
    gc.change(foreground=0x102030, background=0xE0D0C0, font=f)
    pm.image_text(gc, 2, 18, TEXT)
    pm.poly_text(gc, 2, 36, [TEXT[:8], (10, TEXT[8:])])
    img = pm.get_image(0, 0, 300, 40, X.ZPixmap, 0xFFFFFFFF)
    out["fonts"][name] = {
        "min_bounds": ci(q.min_bounds), "max_bounds": ci(q.max_bounds),
        "range": [q.min_char_or_byte2, q.max_char_or_byte2, q.min_byte1, q.max_byte1],
        "default_char": q.default_char, "all_chars_exist": q.all_chars_exist,
        "ascent": q.font_ascent, "descent": q.font_descent,
        "props": props,
        "chars": hashlib.sha256(json.dumps([ci(c) for c in q.char_infos]).encode()).hexdigest(),
        "extents": [ext.draw_direction, ext.font_ascent, ext.font_descent, ext.overall_ascent,
                    ext.overall_descent, ext.overall_width, ext.overall_left, ext.overall_right],
        "pixels": hashlib.sha256(bytes(img.data)).hexdigest(),
    }
    pm.free()
    f.close()
print(json.dumps(out, indent=1, sort_keys=True))
