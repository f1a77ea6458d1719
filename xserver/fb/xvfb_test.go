package fb

// Comparison with a real X server. A test describes drawing as cases of
// protocol-level operations (xcase, xop); runOnXvfb has testdata/xdraw.py
// perform them on pixmaps of an Xvfb and returns the pixels; runOnFB does
// the same with this package; compareWithXvfb requires them to be equal.
//
// To add an operation: a function in xdraw.py's OPS and an entry in fbOps
// (in any test file, with an init function), reading its arguments from
// xargs (add fields there if none fit).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"math/rand"
	"strings"
	"testing"

	"netdisplay/internal/peer"
	"netdisplay/xserver/region"
)

// An xcase is one scenario: a target pixmap with initial contents, named
// extra pixmaps (tiles, stipples, copy sources) and operations drawing on
// the target.
type xcase struct {
	Name    string             `json:"name"`
	Width   int                `json:"width"`
	Height  int                `json:"height"`
	Depth   int                `json:"depth"`
	Init    []uint32           `json:"init,omitempty"` // row-major; zeros if empty
	Pixmaps map[string]xpixmap `json:"pixmaps,omitempty"`
	Ops     []xop              `json:"ops"`
	Reads   []xread            `json:"reads,omitempty"`
}

// An xread is a GetImage of the target after the operations.
type xread struct {
	Format    int    `json:"format"` // 1 XYPixmap, 2 ZPixmap
	Rect      [4]int `json:"rect"`   // x, y, width, height
	PlaneMask uint32 `json:"plane_mask"`
}

type xpixmap struct {
	Width  int      `json:"width"`
	Height int      `json:"height"`
	Depth  int      `json:"depth"`
	Pixels []uint32 `json:"pixels"`
}

// An xop is one request: its name as in the protocol, the GC it draws
// with, and its arguments.
type xop struct {
	Op   string `json:"op"`
	GC   xgc    `json:"gc"`
	Args xargs  `json:"args"`
}

// xgc holds every GC attribute, numbered as the protocol numbers them.
// newXGC returns the protocol's defaults.
type xgc struct {
	Function   int       `json:"function"`
	PlaneMask  uint32    `json:"plane_mask"`
	Foreground uint32    `json:"foreground"`
	Background uint32    `json:"background"`
	LineWidth  int       `json:"line_width"`
	LineStyle  int       `json:"line_style"`
	CapStyle   int       `json:"cap_style"`
	JoinStyle  int       `json:"join_style"`
	FillStyle  int       `json:"fill_style"`
	FillRule   int       `json:"fill_rule"`
	ArcMode    int       `json:"arc_mode"`
	Tile       string    `json:"tile,omitempty"`    // a pixmap of the case
	Stipple    string    `json:"stipple,omitempty"` // a pixmap of the case
	TSOrigin   [2]int    `json:"ts_origin"`
	ClipOrigin [2]int    `json:"clip_origin"`
	ClipRects  *[][4]int `json:"clip_rects,omitempty"` // nil: no clip mask
	Dashes     []int     `json:"dashes,omitempty"`     // empty: the default, 4
	DashOffset int       `json:"dash_offset"`
}

func newXGC() xgc {
	return xgc{Function: int(FuncCopy), PlaneMask: ^uint32(0), Background: 1, CapStyle: int(CapButt), ArcMode: int(ArcPieSlice)}
}

// xargs holds the arguments of every operation, named as in the protocol.
type xargs struct {
	Rects     [][4]int `json:"rects,omitempty"`      // x, y, width, height
	Points    [][2]int `json:"points,omitempty"`     // x, y
	Segments  [][4]int `json:"segments,omitempty"`   // x1, y1, x2, y2
	Arcs      [][6]int `json:"arcs,omitempty"`       // x, y, width, height, angle1, angle2
	CoordMode int      `json:"coord_mode,omitempty"` // 0 Origin, 1 Previous
	Shape     int      `json:"shape,omitempty"`      // FillPoly
	Src       string   `json:"src,omitempty"`        // CopyArea, CopyPlane: a pixmap of the case; "" is the target
	SrcX      int      `json:"src_x,omitempty"`
	SrcY      int      `json:"src_y,omitempty"`
	Width     int      `json:"width,omitempty"`
	Height    int      `json:"height,omitempty"`
	DstX      int      `json:"dst_x,omitempty"`
	DstY      int      `json:"dst_y,omitempty"`
	BitPlane  uint32   `json:"bit_plane,omitempty"`
	Format    int      `json:"format,omitempty"` // PutImage: 0 Bitmap, 1 XYPixmap, 2 ZPixmap
	Depth     int      `json:"depth,omitempty"`
	LeftPad   int      `json:"left_pad,omitempty"`
	Data      []byte   `json:"data,omitempty"` // in the server's image format
}

// The image format Xvfb declares on every machine the tests run on; the
// tests encode PutImage data for it, and runOnXvfb checks it.
var xvfbFormats = map[int]int{1: 1, 4: 8, 8: 8, 15: 16, 16: 16, 24: 32, 32: 32} // depth → bits per pixel

// xvfbImage returns an Image describing PutImage data in Xvfb's format.
func xvfbImage(a *xargs) *Image {
	img := &Image{Format: ImageFormat(a.Format), Width: a.Width, Height: a.Height, Depth: a.Depth,
		LeftPad: a.LeftPad, ScanlineUnit: 32, ScanlinePad: 32, BitLSBFirst: true, ByteLSBFirst: true, Data: a.Data}
	if img.Format == ZPixmap {
		img.BitsPerPixel = xvfbFormats[a.Depth]
	}
	return img
}

// A fbOp performs one operation with package fb. pix holds the case's
// named pixmaps.
type fbOp func(c Canvas, gc *GC, a *xargs, pix map[string]*Pixmap) error

var fbOps = map[string]fbOp{
	"PolyFillRectangle": func(c Canvas, gc *GC, a *xargs, _ map[string]*Pixmap) error {
		FillRectangles(c, gc, xrects(a.Rects))
		return nil
	},
	"PolyPoint": func(c Canvas, gc *GC, a *xargs, _ map[string]*Pixmap) error {
		DrawPoints(c, gc, xpoints(a.Points, a.CoordMode))
		return nil
	},
	"PutImage": func(c Canvas, gc *GC, a *xargs, _ map[string]*Pixmap) error {
		return PutImage(c, gc, xvfbImage(a), image.Pt(a.DstX, a.DstY))
	},
	"CopyArea": func(c Canvas, gc *GC, a *xargs, pix map[string]*Pixmap) error {
		src := c.Pixmap
		if a.Src != "" {
			src = pix[a.Src]
		}
		CopyArea(c, src, image.Point{}, gc, image.Rect(a.SrcX, a.SrcY, a.SrcX+a.Width, a.SrcY+a.Height), image.Pt(a.DstX, a.DstY))
		return nil
	},
	"CopyPlane": func(c Canvas, gc *GC, a *xargs, pix map[string]*Pixmap) error {
		src := c.Pixmap
		if a.Src != "" {
			src = pix[a.Src]
		}
		CopyPlane(c, src, image.Point{}, gc, image.Rect(a.SrcX, a.SrcY, a.SrcX+a.Width, a.SrcY+a.Height), image.Pt(a.DstX, a.DstY), a.BitPlane)
		return nil
	},
}

// xrects converts protocol rectangles.
func xrects(rs [][4]int) []image.Rectangle {
	out := make([]image.Rectangle, len(rs))
	for i, r := range rs {
		out[i] = image.Rect(r[0], r[1], r[0]+r[2], r[1]+r[3])
	}
	return out
}

// xpoints converts protocol points, resolving CoordModePrevious.
func xpoints(ps [][2]int, mode int) []image.Point {
	out := make([]image.Point, len(ps))
	for i, p := range ps {
		out[i] = image.Pt(p[0], p[1])
		if mode == 1 && i > 0 {
			out[i] = out[i].Add(out[i-1])
		}
	}
	return out
}

// toFB turns a protocol GC into the rasterizer's GC and clip, for a target
// pixmap drawn at origin (0, 0).
func (g *xgc) toFB(pix map[string]*Pixmap) (*GC, *region.Region) {
	gc := &GC{
		Func:       Func(g.Function),
		PlaneMask:  g.PlaneMask,
		Foreground: g.Foreground,
		Background: g.Background,
		LineWidth:  g.LineWidth,
		LineStyle:  LineStyle(g.LineStyle),
		CapStyle:   CapStyle(g.CapStyle),
		JoinStyle:  JoinStyle(g.JoinStyle),
		FillStyle:  FillStyle(g.FillStyle),
		FillRule:   FillRule(g.FillRule),
		ArcMode:    ArcMode(g.ArcMode),
		Tile:       pix[g.Tile],
		Stipple:    pix[g.Stipple],
		TSOrigin:   image.Pt(g.TSOrigin[0], g.TSOrigin[1]),
		Dashes:     []uint8{4, 4},
		DashOffset: g.DashOffset,
	}
	if len(g.Dashes) > 0 {
		gc.Dashes = gc.Dashes[:0]
		for _, d := range g.Dashes {
			gc.Dashes = append(gc.Dashes, uint8(d))
		}
	}
	if g.ClipRects == nil {
		return gc, nil
	}
	clip := region.New(xrects(*g.ClipRects)...)
	clip.Translate(g.ClipOrigin[0], g.ClipOrigin[1])
	return gc, clip
}

func (x *xpixmap) pixmap() *Pixmap {
	p := NewPixmap(x.Width, x.Height, x.Depth)
	for i := range p.Pix {
		if i < len(x.Pixels) {
			p.Pix[i] = x.Pixels[i] & p.mask()
		}
	}
	return p
}

// runOnFB performs a case with package fb and returns the target's pixels
// and the data of its reads, in Xvfb's image format.
func runOnFB(t testing.TB, c *xcase) ([]uint32, [][]byte) {
	t.Helper()
	pix := make(map[string]*Pixmap)
	for name, pm := range c.Pixmaps {
		pix[name] = pm.pixmap()
	}
	target := (&xpixmap{Width: c.Width, Height: c.Height, Depth: c.Depth, Pixels: c.Init}).pixmap()
	for i := range c.Ops {
		op := &c.Ops[i]
		f := fbOps[op.Op]
		if f == nil {
			t.Fatalf("case %s: no fbOps entry for %s", c.Name, op.Op)
		}
		gc, clip := op.GC.toFB(pix)
		if err := f(Canvas{Pixmap: target, Clip: clip}, gc, &op.Args, pix); err != nil {
			t.Fatalf("case %s: op %d (%s): %v", c.Name, i, op.Op, err)
		}
	}
	var reads [][]byte
	for _, r := range c.Reads {
		out := Image{ScanlineUnit: 32, ScanlinePad: 32, BitLSBFirst: true, ByteLSBFirst: true, BitsPerPixel: xvfbFormats[c.Depth]}
		rect := image.Rect(r.Rect[0], r.Rect[1], r.Rect[0]+r.Rect[2], r.Rect[1]+r.Rect[3])
		if err := GetImage(target, rect, ImageFormat(r.Format), r.PlaneMask, &out); err != nil {
			t.Fatalf("case %s: GetImage %+v: %v", c.Name, r, err)
		}
		reads = append(reads, out.Data)
	}
	return target.Pix, reads
}

// runOnXvfb performs the cases on a fresh Xvfb and returns each target's
// pixels, and the data of each case's reads. It skips the test when Xvfb
// or python3-xlib is missing.
func runOnXvfb(t testing.TB, cases []xcase) (pixels [][]uint32, reads [][][]byte) {
	t.Helper()
	peer.Need(t, "Xvfb", "python3")
	display := peer.Xvfb(t, 320, 240)
	in, err := json.Marshal(map[string]any{"cases": cases})
	if err != nil {
		t.Fatal(err)
	}
	cmd := peer.Command(t, display, peer.Python, "testdata/xdraw.py")
	cmd.Stdin = bytes.NewReader(in)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("xdraw.py: %v\n%s", err, stderr.String())
	}
	var res struct {
		Setup struct {
			ImageByteOrder int      `json:"image_byte_order"`
			BitmapBitOrder int      `json:"bitmap_bit_order"`
			ScanlineUnit   int      `json:"scanline_unit"`
			ScanlinePad    int      `json:"scanline_pad"`
			Formats        [][3]int `json:"formats"`
		} `json:"setup"`
		Cases []struct {
			Name   string   `json:"name"`
			Pixels []uint32 `json:"pixels"`
			Errors []string `json:"errors"`
			Reads  [][]byte `json:"reads"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("xdraw.py output: %v\n%s", err, stderr.String())
	}
	s := res.Setup
	if s.ImageByteOrder != 0 || s.BitmapBitOrder != 0 || s.ScanlineUnit != 32 || s.ScanlinePad != 32 {
		t.Fatalf("Xvfb's image format %+v is not the LSBFirst, unit 32, pad 32 the tests encode for", s)
	}
	for _, f := range s.Formats {
		if bpp, ok := xvfbFormats[f[0]]; ok && (bpp != f[1] || f[2] != 32) {
			t.Fatalf("Xvfb's depth %d format is %d bpp pad %d, tests assume %d bpp pad 32", f[0], f[1], f[2], bpp)
		}
	}
	if len(res.Cases) != len(cases) {
		t.Fatalf("xdraw.py returned %d cases for %d", len(res.Cases), len(cases))
	}
	pixels = make([][]uint32, len(cases))
	reads = make([][][]byte, len(cases))
	for i, c := range res.Cases {
		if len(c.Errors) > 0 {
			t.Fatalf("case %s: X errors: %v", c.Name, c.Errors)
		}
		if len(c.Pixels) != cases[i].Width*cases[i].Height {
			t.Fatalf("case %s: %d pixels from Xvfb", c.Name, len(c.Pixels))
		}
		if len(c.Reads) != len(cases[i].Reads) {
			t.Fatalf("case %s: %d reads from Xvfb, want %d", c.Name, len(c.Reads), len(cases[i].Reads))
		}
		pixels[i], reads[i] = c.Pixels, c.Reads
	}
	return pixels, reads
}

// compareWithXvfb runs the cases on Xvfb and with package fb, reports every
// case whose pixels differ, and returns Xvfb's pixels.
func compareWithXvfb(t *testing.T, cases []xcase) [][]uint32 {
	t.Helper()
	want, wantReads := runOnXvfb(t, cases)
	failed := 0
	for i := range cases {
		c := &cases[i]
		got, reads := runOnFB(t, c)
		for k := range reads {
			if r := c.Reads[k]; r.Format == int(ZPixmap) {
				// Bits above the depth are undefined; Xvfb leaves junk there.
				clearUnused(wantReads[i][k], r.Rect[2], r.Rect[3], c.Depth)
			}
			if !bytes.Equal(reads[k], wantReads[i][k]) {
				t.Errorf("case %s: GetImage %+v:\nfb   % x\nXvfb % x", c.Name, c.Reads[k], reads[k], wantReads[i][k])
			}
		}
		if msg := pixelDiff(c, got, want[i]); msg != "" {
			failed++
			if failed <= 5 {
				ops, _ := json.Marshal(c.Ops)
				if len(ops) > 2000 {
					ops = append(ops[:2000], "..."...)
				}
				t.Errorf("case %s differs from Xvfb: %s\nops: %s", c.Name, msg, ops)
			}
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d cases differ from Xvfb", failed, len(cases))
	}
	return want
}

// clearUnused zeroes the bits above the depth in ZPixmap data in Xvfb's
// format.
func clearUnused(data []byte, w, h, depth int) {
	bpp := xvfbFormats[depth]
	if bpp == depth || bpp < 8 {
		return
	}
	stride := (w*bpp + 31) / 32 * 4
	mask := uint64(refMask(depth))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			px := data[y*stride+x*bpp/8:][:bpp/8]
			for b := range px {
				px[b] &= byte(mask >> (8 * b))
			}
		}
	}
}

// pixelDiff describes how got differs from want, with a map for small
// targets (X marks a difference), or returns "".
func pixelDiff(c *xcase, got, want []uint32) string {
	var b strings.Builder
	n := 0
	for i := range want {
		if got[i] != want[i] {
			if n < 6 {
				fmt.Fprintf(&b, "(%d,%d) fb %#x Xvfb %#x; ", i%c.Width, i/c.Width, got[i], want[i])
			}
			n++
		}
	}
	if n == 0 {
		return ""
	}
	fmt.Fprintf(&b, "%d pixels differ\n", n)
	if c.Width <= 120 && c.Height <= 80 {
		for y := 0; y < c.Height; y++ {
			for x := 0; x < c.Width; x++ {
				if got[y*c.Width+x] != want[y*c.Width+x] {
					b.WriteByte('X')
				} else {
					b.WriteByte('.')
				}
			}
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// Random scenario pieces for the comparison.

func randPixels(rng *rand.Rand, n, depth int) []uint32 {
	px := make([]uint32, n)
	for i := range px {
		px[i] = rng.Uint32() & refMask(depth)
	}
	return px
}

// randXGC returns a GC with a random function, plane mask, colours, fill
// style, tile, stipple, origins and clip, using the case's pixmaps "tile"
// and "stipple".
func randXGC(rng *rand.Rand, w, h int) xgc {
	g := newXGC()
	g.Function = rng.Intn(16)
	if rng.Intn(3) == 0 {
		g.Function = int(FuncCopy)
	}
	if rng.Intn(2) == 0 {
		g.PlaneMask = rng.Uint32()
	}
	g.Foreground, g.Background = rng.Uint32(), rng.Uint32()
	g.FillStyle = rng.Intn(4)
	g.Tile, g.Stipple = "tile", "stipple"
	g.TSOrigin = [2]int{rng.Intn(31) - 15, rng.Intn(31) - 15}
	if rng.Intn(2) == 0 {
		rs := make([][4]int, 1+rng.Intn(4))
		if rng.Intn(20) == 0 {
			rs = rs[:0] // an empty list: nothing is drawn
		}
		for i := range rs {
			rs[i] = [4]int{rng.Intn(w) - 4, rng.Intn(h) - 4, w/4 + rng.Intn(w*3/4), h/4 + rng.Intn(h*3/4)}
		}
		g.ClipRects = &rs
		g.ClipOrigin = [2]int{rng.Intn(11) - 5, rng.Intn(11) - 5}
	}
	return g
}

// randXCase returns a case of the given depth with random contents and
// random tile and stipple pixmaps.
func randXCase(rng *rand.Rand, name string, w, h, depth int) xcase {
	tw, th := 1+rng.Intn(9), 1+rng.Intn(9)
	sw, sh := 1+rng.Intn(9), 1+rng.Intn(9)
	return xcase{
		Name: name, Width: w, Height: h, Depth: depth,
		Init: randPixels(rng, w*h, depth),
		Pixmaps: map[string]xpixmap{
			"tile":    {Width: tw, Height: th, Depth: depth, Pixels: randPixels(rng, tw*th, depth)},
			"stipple": {Width: sw, Height: sh, Depth: 1, Pixels: randPixels(rng, sw*sh, 1)},
		},
	}
}

func randXRects(rng *rand.Rand, w, h, n int) [][4]int {
	rs := make([][4]int, n)
	for i := range rs {
		rs[i] = [4]int{rng.Intn(w+8) - 6, rng.Intn(h+8) - 6, rng.Intn(w/2 + 2), rng.Intn(h/2 + 2)}
	}
	return rs
}

// xvfbImageData encodes pixels as Xvfb expects PutImage data, with random
// bits in the left pad and scanline pad, which the server must ignore.
func xvfbImageData(rng *rand.Rand, a *xargs, px []uint32) []byte {
	img := xvfbImage(a)
	if _, err := img.Layout(); err != nil {
		panic(err)
	}
	planes := []int{0}
	if img.Format == XYPixmap {
		planes = planesOf(a.Depth, ^uint32(0))
	}
	return encode(img, px, planes, rng)
}

func TestXvfbCompare(t *testing.T) {
	peer.Need(t, "Xvfb", "python3")
	rng := rand.New(rand.NewSource(42))
	const w, h = 40, 30
	var cases []xcase
	add := func(c xcase) { cases = append(cases, c) }

	// PolyFillRectangle: every fill style, function and depth, with plane
	// masks, tile and stipple origins and clip rectangles.
	for i := 0; i < 96; i++ {
		depth := []int{24, 1, 8, 16, 32, 4}[i%6]
		c := randXCase(rng, fmt.Sprintf("fill-%d-depth%d", i, depth), w, h, depth)
		for k := 0; k < 2; k++ {
			x, y := rng.Intn(w), rng.Intn(h)
			c.Reads = append(c.Reads, xread{Format: 1 + k, Rect: [4]int{x, y, rng.Intn(w - x + 1), rng.Intn(h - y + 1)}, PlaneMask: randPixel(rng)})
		}
		for k := 0; k < 3; k++ {
			g := randXGC(rng, w, h)
			g.FillStyle = (i/6 + k) % 4
			c.Ops = append(c.Ops, xop{Op: "PolyFillRectangle", GC: g, Args: xargs{Rects: randXRects(rng, w, h, 1+rng.Intn(4))}})
		}
		add(c)
	}

	// PolyPoint, in both coordinate modes.
	for i := 0; i < 12; i++ {
		depth := []int{24, 1, 8}[i%3]
		c := randXCase(rng, fmt.Sprintf("points-%d-depth%d", i, depth), w, h, depth)
		pts := make([][2]int, 60)
		for k := range pts {
			pts[k] = [2]int{rng.Intn(w+6) - 3, rng.Intn(h+6) - 3}
		}
		mode := i % 2
		if mode == 1 {
			for k := len(pts) - 1; k > 0; k-- {
				pts[k] = [2]int{pts[k][0] - pts[k-1][0], pts[k][1] - pts[k-1][1]}
			}
		}
		c.Ops = append(c.Ops, xop{Op: "PolyPoint", GC: randXGC(rng, w, h), Args: xargs{Points: pts, CoordMode: mode}})
		add(c)
	}

	// PutImage in every format, with left pads, clips and functions.
	for i := 0; i < 36; i++ {
		depth := []int{24, 1, 8, 16}[i%4]
		format := ImageFormat(i / 4 % 3)
		imgDepth := depth
		if format == Bitmap {
			imgDepth = 1
		}
		c := randXCase(rng, fmt.Sprintf("putimage-%d-%v-depth%d", i, format, depth), w, h, depth)
		for k := 0; k < 2; k++ {
			a := xargs{Format: int(format), Depth: imgDepth, Width: 1 + rng.Intn(w), Height: 1 + rng.Intn(h),
				DstX: rng.Intn(w) - 8, DstY: rng.Intn(h) - 6}
			if format != ZPixmap {
				a.LeftPad = rng.Intn(32)
			}
			a.Data = xvfbImageData(rng, &a, randPixels(rng, a.Width*a.Height, imgDepth))
			g := randXGC(rng, w, h)
			if k == 0 {
				g.Function, g.PlaneMask = int(FuncCopy), ^uint32(0)
			}
			c.Ops = append(c.Ops, xop{Op: "PutImage", GC: g, Args: a})
		}
		add(c)
	}

	// CopyArea within the pixmap, overlapping in every direction, and from
	// another pixmap partly outside it.
	for i := 0; i < 36; i++ {
		depth := []int{24, 1, 8}[i%3]
		c := randXCase(rng, fmt.Sprintf("copyarea-%d-depth%d", i, depth), w, h, depth)
		c.Pixmaps["src"] = xpixmap{Width: 17, Height: 13, Depth: depth, Pixels: randPixels(rng, 17*13, depth)}
		for k := 0; k < 3; k++ {
			g := randXGC(rng, w, h)
			if k == 0 {
				g.Function, g.PlaneMask = int(FuncCopy), ^uint32(0)
			}
			sx, sy := rng.Intn(w)-5, rng.Intn(h)-5
			a := xargs{SrcX: sx, SrcY: sy, Width: rng.Intn(w), Height: rng.Intn(h),
				DstX: sx + rng.Intn(9) - 4, DstY: sy + rng.Intn(9) - 4}
			if k == 2 {
				a.Src = "src"
				a.DstX, a.DstY = rng.Intn(w)-5, rng.Intn(h)-5
			}
			c.Ops = append(c.Ops, xop{Op: "CopyArea", GC: g, Args: a})
		}
		add(c)
	}

	// CopyPlane from deep and depth-1 pixmaps, and from the target.
	for i := 0; i < 18; i++ {
		depth := []int{24, 1, 8}[i%3]
		c := randXCase(rng, fmt.Sprintf("copyplane-%d-depth%d", i, depth), w, h, depth)
		srcDepth := []int{24, 1}[i/3%2]
		c.Pixmaps["src"] = xpixmap{Width: 21, Height: 15, Depth: srcDepth, Pixels: randPixels(rng, 21*15, srcDepth)}
		for k := 0; k < 2; k++ {
			a := xargs{Src: "src", SrcX: rng.Intn(21) - 4, SrcY: rng.Intn(15) - 4, Width: rng.Intn(25), Height: rng.Intn(19),
				DstX: rng.Intn(w) - 5, DstY: rng.Intn(h) - 5, BitPlane: 1 << rng.Intn(srcDepth)}
			if k == 1 {
				a.Src = ""
				a.BitPlane = 1 << rng.Intn(depth)
			}
			c.Ops = append(c.Ops, xop{Op: "CopyPlane", GC: randXGC(rng, w, h), Args: a})
		}
		add(c)
	}

	// Guard against a comparison that proves nothing: most cases must
	// change the target.
	want := compareWithXvfb(t, cases)
	changed := 0
	for i := range cases {
		for k, v := range want[i] {
			if v != cases[i].Init[k] {
				changed++
				break
			}
		}
	}
	if changed < len(cases)*85/100 {
		t.Errorf("only %d of %d cases drew anything", changed, len(cases))
	}
	t.Logf("%d cases, %d of them changed pixels", len(cases), changed)
}
