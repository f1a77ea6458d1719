"""Ask a real X server about fonts and text, for netdisplay's font tests.

Reads a JSON list of requests on stdin, runs them against $DISPLAY with
python3-xlib, and writes a JSON list of answers, one per request:

  {"op": "list", "pattern": P, "max": N}
      -> {"names": [...]}
  {"op": "query", "font": NAME, "chars": BOOL}
      -> font info as QueryFont reports it; char_infos only if chars is true.
         Each property is [name, value, atom name or null]: the atom name is
         given whenever value names an atom, whether or not the property is
         atom-valued; the caller knows which properties are.
         {"error": ...} if the font cannot be opened.
  {"op": "extents", "font": NAME, "strings": [[char16, ...], ...]}
      -> {"extents": [[dir, font_ascent, font_descent, overall_ascent,
          overall_descent, overall_width, overall_left, overall_right], ...]}
  {"op": "draw", ...}
      -> {"pixels": HEX} the pixmap after drawing, 32 bits a pixel,
         least significant byte first; see draw() below.
"""

import json
import struct
import sys

from Xlib import X, display, error


def char_info(ci):
    return [ci.left_side_bearing, ci.right_side_bearing, ci.character_width,
            ci.ascent, ci.descent, ci.attributes]


def atom_name(d, atoms, value):
    if value in atoms:
        return atoms[value]
    name = None
    if 0 < value < 1 << 29:
        try:
            name = d.get_atom_name(value)
        except error.XError:
            name = None
    if name is not None:
        # Only names are kept: a number that is no atom now may become one
        # when a later font is opened.
        atoms[value] = name
    return name


def query(d, atoms, req):
    try:
        f = d.open_font(req["font"])
        q = f.query()
    except error.XError as e:
        return {"error": str(e)}
    props = [[d.get_atom_name(p.name), p.value, atom_name(d, atoms, p.value)]
             for p in q.properties]
    out = {
        "props": props,
        "min_bounds": char_info(q.min_bounds),
        "max_bounds": char_info(q.max_bounds),
        "min_char_or_byte2": q.min_char_or_byte2,
        "max_char_or_byte2": q.max_char_or_byte2,
        "min_byte1": q.min_byte1,
        "max_byte1": q.max_byte1,
        "default_char": q.default_char,
        "draw_direction": q.draw_direction,
        "all_chars_exist": bool(q.all_chars_exist),
        "font_ascent": q.font_ascent,
        "font_descent": q.font_descent,
        "n_char_infos": len(q.char_infos),
    }
    if req.get("chars"):
        out["char_infos"] = [char_info(ci) for ci in q.char_infos]
    f.close()
    return out


def extents(d, req):
    f = d.open_font(req["font"])
    out = []
    for s in req["strings"]:
        e = f.query_text_extents(s)
        out.append([e.draw_direction, e.font_ascent, e.font_descent,
                    e.overall_ascent, e.overall_descent, e.overall_width,
                    e.overall_left, e.overall_right])
    f.close()
    return {"extents": out}


def draw(d, req):
    """Draw text on a fresh depth-24 pixmap and read it back.

    req: width, height, background (the pixmap's initial pixel), font (the
    GC's font), gc (function, plane_mask, foreground, background,
    fill_style, tile_stipple_x_origin, tile_stipple_y_origin: python-xlib
    ignores unknown names), tile {width, height, pixels},
    stipple {width, height, bits}, clip [[x, y, w, h], ...] or absent, and
    texts: a list of {kind: poly8|poly16|image8|image16, x, y, ...} where
    poly items are [delta, [chars]] or {"font": name} and image texts have
    "chars".
    """
    screen = d.screen()
    w, h = req["width"], req["height"]
    pm = screen.root.create_pixmap(w, h, 24)
    fill = pm.create_gc(foreground=req["background"], graphics_exposures=False)
    pm.fill_rectangle(fill, 0, 0, w, h)

    fonts = {}

    def font(name):
        if name not in fonts:
            fonts[name] = d.open_font(name)
        return fonts[name]

    attrs = dict(req.get("gc", {}))
    attrs["font"] = font(req["font"])
    attrs["graphics_exposures"] = False
    if "tile" in req:
        t = req["tile"]
        tp = screen.root.create_pixmap(t["width"], t["height"], 24)
        data = b"".join(struct.pack("<I", p) for p in t["pixels"])
        tp.put_image(fill, 0, 0, t["width"], t["height"], X.ZPixmap, 24, 0, data)
        attrs["tile"] = tp
    if "stipple" in req:
        s = req["stipple"]
        sp = screen.root.create_pixmap(s["width"], s["height"], 1)
        g0 = sp.create_gc(foreground=0, background=0, graphics_exposures=False)
        sp.fill_rectangle(g0, 0, 0, s["width"], s["height"])
        g1 = sp.create_gc(foreground=1, graphics_exposures=False)
        pts = [(i % s["width"], i // s["width"]) for i, b in enumerate(s["bits"]) if b]
        if pts:
            sp.poly_point(g1, X.CoordModeOrigin, pts)
        attrs["stipple"] = sp
    gc = pm.create_gc(**attrs)
    if "clip" in req:
        gc.set_clip_rectangles(0, 0, [{"x": x, "y": y, "width": cw, "height": ch}
                                      for x, y, cw, ch in req["clip"]], X.Unsorted)

    for t in req["texts"]:
        kind = t["kind"]
        if kind in ("poly8", "poly16"):
            items = []
            for it in t["items"]:
                if isinstance(it, dict):
                    items.append(font(it["font"]).id)
                elif kind == "poly8":
                    items.append((it[0], bytes(it[1])))
                else:
                    items.append((it[0], list(it[1])))
            if kind == "poly8":
                pm.poly_text(gc, t["x"], t["y"], items)
            else:
                pm.poly_text_16(gc, t["x"], t["y"], items)
        elif kind == "image8":
            pm.image_text(gc, t["x"], t["y"], bytes(t["chars"]))
        elif kind == "image16":
            pm.image_text_16(gc, t["x"], t["y"], list(t["chars"]))
        else:
            raise ValueError("unknown text kind " + kind)

    img = pm.get_image(0, 0, w, h, X.ZPixmap, 0xffffffff)
    data = img.data
    if len(data) < 4 * w * h:
        raise ValueError("short image: %d bytes" % len(data))
    # Depth 24 comes as 32 bits per pixel in the server's byte order.
    if d.display.info.image_byte_order != X.LSBFirst:
        data = b"".join(data[i:i + 4][::-1] for i in range(0, 4 * w * h, 4))
    pm.free()
    return {"pixels": bytes(data[:4 * w * h]).hex()}


def main():
    d = display.Display()
    atoms = {}
    out = []
    for req in json.load(sys.stdin):
        op = req["op"]
        if op == "list":
            out.append({"names": d.list_fonts(req["pattern"], req["max"])})
        elif op == "query":
            out.append(query(d, atoms, req))
        elif op == "extents":
            out.append(extents(d, req))
        elif op == "draw":
            out.append(draw(d, req))
        else:
            raise ValueError("unknown op " + op)
    d.close()
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
