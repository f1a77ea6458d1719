#!/usr/bin/python3
"""xdraw: run drawing operations on pixmaps of a real X server, print pixels.

Used by xserver/fb's tests (xvfb_test.go) to compare package fb with Xvfb.
Run with Debian's /usr/bin/python3 (python3-xlib), DISPLAY set.

Input on stdin, JSON:

  {"cases": [case, ...]}
  case:  {"name": str, "width": int, "height": int, "depth": int,
          "init": [pixel, ...] (row-major; absent or empty means zeros),
          "pixmaps": {name: {"width", "height", "depth", "pixels"}},
          "ops": [op, ...],
          "reads": [{"format": 1 or 2, "rect": [x, y, w, h],
                     "plane_mask": int}, ...]}
  op:    {"op": "PolyFillRectangle", "gc": gc, "args": args}
  gc:    every GC attribute, with the protocol's numbering:
         function, plane_mask, foreground, background, line_width,
         line_style, cap_style, join_style, fill_style, fill_rule, arc_mode,
         tile and stipple (pixmap names), ts_origin [x, y],
         clip_origin [x, y], clip_rects [[x, y, w, h], ...] (absent: no
         clip mask; present and empty: nothing drawn), dashes [n, ...],
         dash_offset
  args:  per op, named as in the protocol (see OPS below)

Output on stdout, JSON:

  {"setup": {"image_byte_order", "bitmap_bit_order", "scanline_unit",
             "scanline_pad", "formats": [[depth, bpp, pad], ...]},
   "cases": [{"name": str, "pixels": [...], "errors": [str, ...],
              "reads": [base64 GetImage data, ...]}]}

Every op draws on the case's pixmap. Adding an op is one function and one
entry in OPS.
"""

import base64
import json
import sys

from Xlib import X, display


def rects(a):
    return [tuple(r) for r in a.get("rects", [])]


def points(a):
    return [tuple(p) for p in a.get("points", [])]


def source(ctx, a):
    name = a.get("src", "")
    return ctx["pixmaps"][name] if name else ctx["target"]


def op_poly_fill_rectangle(ctx, gc, a):
    ctx["target"].poly_fill_rectangle(gc, rects(a))


def op_poly_point(ctx, gc, a):
    ctx["target"].poly_point(gc, a.get("coord_mode", 0), points(a))


def op_put_image(ctx, gc, a):
    data = base64.b64decode(a.get("data", ""))
    ctx["target"].put_image(gc, a.get("dst_x", 0), a.get("dst_y", 0),
                            a.get("width", 0), a.get("height", 0), a.get("format", 0), a.get("depth", 0),
                            a.get("left_pad", 0), data)


def op_copy_area(ctx, gc, a):
    ctx["target"].copy_area(gc, source(ctx, a), a.get("src_x", 0),
                            a.get("src_y", 0), a.get("width", 0), a.get("height", 0),
                            a.get("dst_x", 0), a.get("dst_y", 0))


def op_copy_plane(ctx, gc, a):
    ctx["target"].copy_plane(gc, source(ctx, a), a.get("src_x", 0),
                             a.get("src_y", 0), a.get("width", 0), a.get("height", 0),
                             a.get("dst_x", 0), a.get("dst_y", 0),
                             a.get("bit_plane", 0))


def op_poly_line(ctx, gc, a):
    ctx["target"].poly_line(gc, a.get("coord_mode", 0), points(a))


def op_poly_segment(ctx, gc, a):
    ctx["target"].poly_segment(gc, [tuple(s) for s in a.get("segments", [])])


def op_poly_rectangle(ctx, gc, a):
    ctx["target"].poly_rectangle(gc, rects(a))


def op_fill_poly(ctx, gc, a):
    ctx["target"].fill_poly(gc, a.get("shape", 0), a.get("coord_mode", 0),
                            points(a))


def op_poly_arc(ctx, gc, a):
    ctx["target"].poly_arc(gc, [tuple(r) for r in a.get("arcs", [])])


def op_poly_fill_arc(ctx, gc, a):
    ctx["target"].poly_fill_arc(gc, [tuple(r) for r in a.get("arcs", [])])


OPS = {
    "PolyFillRectangle": op_poly_fill_rectangle,
    "PolyPoint": op_poly_point,
    "PutImage": op_put_image,
    "CopyArea": op_copy_area,
    "CopyPlane": op_copy_plane,
    "PolyLine": op_poly_line,
    "PolySegment": op_poly_segment,
    "PolyRectangle": op_poly_rectangle,
    "FillPoly": op_fill_poly,
    "PolyArc": op_poly_arc,
    "PolyFillArc": op_poly_fill_arc,
}

# GC attributes passed to CreateGC under the same name.
PLAIN_ATTRS = ["function", "plane_mask", "foreground", "background",
               "line_width", "line_style", "cap_style", "join_style",
               "fill_style", "fill_rule", "arc_mode", "dash_offset"]


def make_gc(ctx, g):
    attrs = {"graphics_exposures": 0}
    for k in PLAIN_ATTRS:
        if k in g:
            attrs[k] = g[k]
    if g.get("tile"):
        attrs["tile"] = ctx["pixmaps"][g["tile"]]
    if g.get("stipple"):
        attrs["stipple"] = ctx["pixmaps"][g["stipple"]]
    ox, oy = g.get("ts_origin", [0, 0])
    attrs["tile_stipple_x_origin"] = ox
    attrs["tile_stipple_y_origin"] = oy
    cx, cy = g.get("clip_origin", [0, 0])
    attrs["clip_x_origin"] = cx
    attrs["clip_y_origin"] = cy
    gc = ctx["target"].create_gc(**attrs)
    if "clip_rects" in g:
        gc.set_clip_rectangles(cx, cy, [tuple(r) for r in g["clip_rects"]],
                               X.Unsorted)
    if g.get("dashes"):
        gc.set_dashes(g.get("dash_offset", 0), g["dashes"])
    return gc


class Layout:
    """The server's image formats, from the connection setup."""

    def __init__(self, d):
        info = d.display.info
        self.lsb = info.image_byte_order == X.LSBFirst
        self.bit_lsb = info.bitmap_format_bit_order == X.LSBFirst
        self.unit = info.bitmap_format_scanline_unit
        self.bitmap_pad = info.bitmap_format_scanline_pad
        self.formats = {f.depth: (f.bits_per_pixel, f.scanline_pad)
                        for f in info.pixmap_formats}

    def setup(self):
        return {"image_byte_order": 0 if self.lsb else 1,
                "bitmap_bit_order": 0 if self.bit_lsb else 1,
                "scanline_unit": self.unit,
                "scanline_pad": self.bitmap_pad,
                "formats": [[d, b, p] for d, (b, p) in sorted(self.formats.items())]}

    def stride(self, bits, pad):
        return (bits + pad - 1) // pad * pad // 8

    def bit_pos(self, x):
        """Byte and bit of pixel x in a scanline of 1-bit data."""
        u = self.unit
        k = x % u
        p = k if self.bit_lsb else u - 1 - k
        b = p // 8 if self.lsb else u // 8 - 1 - p // 8
        return (x // u) * (u // 8) + b, p % 8

    def encode(self, w, h, depth, pixels):
        """ZPixmap data for the pixels."""
        bpp, pad = self.formats[depth]
        stride = self.stride(w * bpp, pad)
        out = bytearray(stride * h)
        for y in range(h):
            row = y * stride
            for x in range(w):
                v = pixels[y * w + x]
                if bpp == 1:
                    byte, bit = self.bit_pos(x)
                    if v & 1:
                        out[row + byte] |= 1 << bit
                elif bpp == 4:
                    first = x % 2 == 0
                    shift = 0 if first == self.lsb else 4
                    out[row + x // 2] |= (v & 15) << shift
                else:
                    n = bpp // 8
                    bs = v.to_bytes(4, "little")[:n]
                    if not self.lsb:
                        bs = bs[::-1]
                    out[row + x * n:row + x * n + n] = bs
        return bytes(out)

    def decode(self, w, h, depth, data):
        """Pixels of ZPixmap data."""
        bpp, pad = self.formats[depth]
        stride = self.stride(w * bpp, pad)
        mask = (1 << depth) - 1
        px = []
        for y in range(h):
            row = y * stride
            for x in range(w):
                if bpp == 1:
                    byte, bit = self.bit_pos(x)
                    v = data[row + byte] >> bit & 1
                elif bpp == 4:
                    first = x % 2 == 0
                    shift = 0 if first == self.lsb else 4
                    v = data[row + x // 2] >> shift & 15
                else:
                    n = bpp // 8
                    bs = bytes(data[row + x * n:row + x * n + n])
                    v = int.from_bytes(bs, "little" if self.lsb else "big")
                px.append(v & mask)
        return px


def put_pixels(d, layout, pixmap, w, h, depth, pixels):
    if not pixels or w == 0 or h == 0:
        return
    gc = pixmap.create_gc(function=X.GXcopy, plane_mask=0xffffffff,
                          graphics_exposures=0)
    pixmap.put_image(gc, 0, 0, w, h, X.ZPixmap, depth, 0,
                     layout.encode(w, h, depth, pixels))
    gc.free()


def run_case(d, layout, root, case):
    errors = []
    d.set_error_handler(lambda err, req=None: errors.append(str(err)))
    w, h, depth = case["width"], case["height"], case["depth"]
    pixmaps = {}
    for name, pm in (case.get("pixmaps") or {}).items():
        p = root.create_pixmap(pm["width"], pm["height"], pm["depth"])
        put_pixels(d, layout, p, pm["width"], pm["height"], pm["depth"],
                   pm.get("pixels"))
        pixmaps[name] = p
    target = root.create_pixmap(w, h, depth)
    put_pixels(d, layout, target, w, h, depth,
               case.get("init") or [0] * (w * h))
    ctx = {"target": target, "pixmaps": pixmaps}
    for op in case.get("ops", []):
        fn = OPS.get(op["op"])
        if fn is None:
            errors.append("xdraw.py: unknown op " + op["op"])
            continue
        gc = make_gc(ctx, op.get("gc", {}))
        fn(ctx, gc, op.get("args", {}))
        gc.free()
    img = target.get_image(0, 0, w, h, X.ZPixmap, 0xffffffff)
    pixels = layout.decode(w, h, depth, img.data)
    reads = []
    for r in case.get("reads") or []:
        x, y, rw, rh = r["rect"]
        got = target.get_image(x, y, rw, rh, r.get("format", X.ZPixmap),
                               r.get("plane_mask", 0xffffffff))
        reads.append(base64.b64encode(bytes(got.data)).decode())
    target.free()
    for p in pixmaps.values():
        p.free()
    d.sync()
    return {"name": case.get("name", ""), "pixels": pixels, "errors": errors,
            "reads": reads}


def main():
    req = json.load(sys.stdin)
    d = display.Display()
    layout = Layout(d)
    root = d.screen().root
    out = {"setup": layout.setup(), "cases": []}
    for case in req["cases"]:
        out["cases"].append(run_case(d, layout, root, case))
    json.dump(out, sys.stdout)
    d.close()


if __name__ == "__main__":
    main()
