package xserver

import (
	"fmt"
	"image"

	"netdisplay/protocol"
	"netdisplay/xserver/fb"
)

// MaxScreenSize bounds Resize.
const MaxScreenSize = 16384

// Resize changes the size of the screen, as a viewer's SetDesktopSize or a
// resized viewer window asks. Pixels that still fit are kept; new area is
// painted with the root's background. X clients learn of it from the
// root's ConfigureNotify, since there is no RandR.
func (s *Server) Resize(w, h int) error {
	if w < 1 || h < 1 || w > MaxScreenSize || h > MaxScreenSize {
		return fmt.Errorf("xserver: screen size %dx%d out of range", w, h)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sc := s.screen
	if w == sc.width && h == sc.height {
		return nil
	}
	pix := fb.NewPixmap(w, h, 24)
	if pix == nil {
		return fmt.Errorf("xserver: screen size %dx%d too large", w, h)
	}
	old := sc.fb
	for y := 0; y < min(h, old.Height); y++ {
		copy(pix.Pix[y*pix.Stride:y*pix.Stride+min(w, old.Width)], old.Pix[y*old.Stride:])
	}
	pix.Observer = old.Observer
	sc.fb = pix
	sc.width, sc.height = w, h
	sc.widthMM = (w*254 + dpi*5) / (dpi * 10)
	sc.heightMM = (h*254 + dpi*5) / (dpi * 10)

	root := sc.root
	s.beginChange(root)
	root.width, root.height = w, h
	root.borderClip.SetRect(image.Rect(0, 0, w, h))
	root.clip.SetRect(image.Rect(0, 0, w, h))
	s.endChange(root)
	sc.damage.resized(w, h)
	if root.selects(protocol.EventMaskStructureNotify) {
		s.deliver(root, &protocol.ConfigureNotifyEvent{
			Event: rootID, Window: rootID, Width: uint16(w), Height: uint16(h),
		}, protocol.EventMaskStructureNotify)
	}
	if in := &s.input; !in.pos.In(image.Rect(0, 0, w, h)) {
		in.motion(min(in.pos.X, w-1), min(in.pos.Y, h-1))
	}
	s.flushAll()
	return nil
}
