package pixelproto

import (
	"errors"
	"image"
	"sync"
)

// A MemSource is a Source whose framebuffer is in memory: draw into it
// and every viewer sees the change. Viewers' input goes to the On
// functions, which are called from the viewers' goroutines; set them
// before serving.
type MemSource struct {
	OnKey     func(keysym uint32, down bool)
	OnPointer func(x, y int, buttons uint8)
	OnCutText func(text []byte)
	// MaxSize bounds Resize; zero means 8192×8192.
	MaxSize image.Point

	mu     sync.Mutex
	name   string
	size   image.Point
	pix    []uint32
	feeds  map[*memFeed]bool
	cursor *Cursor
}

// NewMemSource returns a black framebuffer of the given size.
func NewMemSource(width, height int, name string) *MemSource {
	return &MemSource{
		name:  name,
		size:  image.Pt(width, height),
		pix:   make([]uint32, width*height),
		feeds: make(map[*memFeed]bool),
	}
}

type memFeed struct {
	s       *MemSource
	ready   chan struct{}
	t       Tracker
	size    image.Point // at the last Take; zero before the first
	cursor  *Cursor
	cut     []byte
	bell    int
	resized bool
}

func (f *memFeed) signal() {
	select {
	case f.ready <- struct{}{}:
	default:
	}
}

// Name returns the desktop name.
func (s *MemSource) Name() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.name
}

// SetName changes the desktop name.
func (s *MemSource) SetName(name string) {
	s.mu.Lock()
	s.name = name
	for f := range s.feeds {
		f.signal()
	}
	s.mu.Unlock()
}

// Subscribe starts a feed; its first Take has the whole framebuffer.
func (s *MemSource) Subscribe() Feed {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := &memFeed{s: s, ready: make(chan struct{}, 1), cursor: s.cursor}
	f.t.Reset(s.size)
	f.signal()
	s.feeds[f] = true
	return f
}

func (f *memFeed) Ready() <-chan struct{} { return f.ready }

func (f *memFeed) Close() {
	f.s.mu.Lock()
	delete(f.s.feeds, f)
	f.s.mu.Unlock()
}

func (f *memFeed) Take(u *Update, opt TakeOptions) {
	s := f.s
	s.mu.Lock()
	defer s.mu.Unlock()
	u.Resized = f.size != s.size || f.resized
	f.size, f.resized = s.size, false
	u.Size = s.size
	f.t.Capture(u, opt, s.pix, s.size.X)
	if u.More {
		f.signal()
	}
	u.Cursor, f.cursor = f.cursor, nil
	u.CutText, f.cut = f.cut, nil
	u.Bell, f.bell = f.bell, 0
}

// Key, Pointer and CutText pass viewers' input to the On functions.
func (s *MemSource) Key(keysym uint32, down bool) {
	if s.OnKey != nil {
		s.OnKey(keysym, down)
	}
}

func (s *MemSource) Pointer(x, y int, buttons uint8) {
	if s.OnPointer != nil {
		s.OnPointer(x, y, buttons)
	}
}

func (s *MemSource) CutText(text []byte) {
	if s.OnCutText != nil {
		s.OnCutText(text)
	}
}

// Resize changes the framebuffer size, keeping the pixels that still fit.
func (s *MemSource) Resize(width, height int) error {
	max := s.MaxSize
	if max == (image.Point{}) {
		max = image.Pt(8192, 8192)
	}
	if width < 1 || height < 1 || width > max.X || height > max.Y {
		return errors.New("memsource: size out of range")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	pix := make([]uint32, width*height)
	for y := range min(height, s.size.Y) {
		copy(pix[y*width:y*width+min(width, s.size.X)], s.pix[y*s.size.X:])
	}
	s.pix, s.size = pix, image.Pt(width, height)
	for f := range s.feeds {
		f.t.Reset(s.size)
		f.resized = true
		f.signal()
	}
	return nil
}

// Size returns the framebuffer size.
func (s *MemSource) Size() image.Point {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.size
}

// Draw calls f with the framebuffer's pixels (0x00RRGGBB, stride pixels a
// row) to change those in r, then reports r as changed.
func (s *MemSource) Draw(r image.Rectangle, f func(pix []uint32, stride int)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s.pix, s.size.X)
	s.changed(r)
}

func (s *MemSource) changed(r image.Rectangle) {
	for f := range s.feeds {
		f.t.Changed(r)
		f.signal()
	}
}

// Fill fills r with colour c.
func (s *MemSource) Fill(r image.Rectangle, c uint32) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r = r.Intersect(image.Rectangle{Max: s.size})
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := s.pix[y*s.size.X+r.Min.X : y*s.size.X+r.Max.X]
		for i := range row {
			row[i] = c
		}
	}
	s.changed(r)
}

// DrawImage draws src, from sp, into r.
func (s *MemSource) DrawImage(r image.Rectangle, src image.Image, sp image.Point) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r = r.Intersect(image.Rectangle{Max: s.size})
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := src.At(sp.X+x-r.Min.X, sp.Y+y-r.Min.Y).RGBA()
			s.pix[y*s.size.X+x] = cr>>8<<16 | cg>>8<<8 | cb>>8
		}
	}
	s.changed(r)
}

// Copy copies the pixels at src to dst, as a window move or a scroll does,
// and reports it as a copy.
func (s *MemSource) Copy(dst image.Rectangle, src image.Point) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := image.Rectangle{Max: s.size}
	d := dst.Min.Sub(src)
	dst = dst.Intersect(b).Intersect(b.Add(d))
	if dst.Empty() {
		return
	}
	w := s.size.X
	rows := make([]int, 0, dst.Dy())
	for y := dst.Min.Y; y < dst.Max.Y; y++ {
		rows = append(rows, y)
	}
	if d.Y > 0 { // copy bottom up so that sources are read before written
		for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
			rows[i], rows[j] = rows[j], rows[i]
		}
	}
	for _, y := range rows {
		copy(s.pix[y*w+dst.Min.X:y*w+dst.Max.X], s.pix[(y-d.Y)*w+dst.Min.X-d.X:])
	}
	for f := range s.feeds {
		f.t.Copied(dst, d.X, d.Y)
		f.signal()
	}
}

// SetCursor changes the pointer's shape.
func (s *MemSource) SetCursor(c *Cursor) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cursor = c
	for f := range s.feeds {
		f.cursor = c
		f.signal()
	}
}

// SetCutText puts text on the clipboard for viewers.
func (s *MemSource) SetCutText(text []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for f := range s.feeds {
		f.cut = append([]byte(nil), text...)
		f.signal()
	}
}

// Bell rings the viewers' bells.
func (s *MemSource) Bell() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for f := range s.feeds {
		f.bell++
		f.signal()
	}
}

// Image returns a copy of the framebuffer.
func (s *MemSource) Image() *image.RGBA {
	s.mu.Lock()
	defer s.mu.Unlock()
	img := image.NewRGBA(image.Rectangle{Max: s.size})
	for i, p := range s.pix {
		img.Pix[4*i], img.Pix[4*i+1], img.Pix[4*i+2], img.Pix[4*i+3] = byte(p>>16), byte(p>>8), byte(p), 0xff
	}
	return img
}
