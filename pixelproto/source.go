package pixelproto

import "image"

// A Source is what an RFB server serves: a true-colour framebuffer that
// changes over time, and somewhere to send the viewers' input. The X server
// provides one; so can anything else that draws pixels (tests use a fake).
//
// Pixels are 0x00RRGGBB, one uint32 each.
type Source interface {
	// Name is the desktop name sent in ServerInit.
	Name() string

	// Subscribe starts a feed of changes for one viewer. The first Take
	// reports the whole framebuffer as changed.
	Subscribe() Feed

	// Key delivers a key press or release by X keysym.
	Key(keysym uint32, down bool)
	// Pointer delivers the pointer position and the state of buttons 1 to 8
	// (bit 0 is button 1; buttons 4 to 7 are the wheel).
	Pointer(x, y int, buttons uint8)
	// CutText delivers text a viewer cut, in ISO 8859-1.
	CutText(text []byte)
	// Resize asks for a new framebuffer size (SetDesktopSize). It reports
	// an error if the source cannot or will not resize.
	Resize(width, height int) error
}

// A Feed is one viewer's view of the changes in a Source.
type Feed interface {
	// Ready is signalled when there is something new to Take. It is a
	// channel with a buffer of one: several changes may be behind one signal.
	Ready() <-chan struct{}
	// Take moves what changed since the last Take into u, as opt says,
	// reusing u's storage, and captures the pixels of u.Changed at the
	// same instant, so that the copies and the pixels are consistent.
	// Tracker.Capture does most of it.
	Take(u *Update, opt TakeOptions)
	// Close ends the feed.
	Close()
}

// An Update is what changed in a Source between two Takes. Apply it in
// order: resize, then the copies, then the changed rectangles.
type Update struct {
	// Size is the framebuffer size at the time of the Take; Resized says it
	// differs from the previous Take's (always true on the first Take).
	Size    image.Point
	Resized bool

	// Copies are rectangles whose pixels moved unchanged within the
	// framebuffer, in the order they happened.
	Copies []Copy

	// Changed are non-overlapping rectangles whose pixels changed, and
	// Pixels holds their contents, one rectangle after another, each row
	// by row with no padding.
	Changed []image.Rectangle
	Pixels  []uint32
	// More says that changed area is left for the next Take, past
	// TakeOptions.MaxPixels; Ready is signalled for it.
	More bool

	// Cursor is set when the pointer's shape changed since the last Take.
	Cursor *Cursor
	// CutText is set when the source's clipboard (the X PRIMARY selection)
	// changed; ISO 8859-1.
	CutText []byte
	// Bell counts bell rings since the last Take.
	Bell int
}

// A Copy says that the pixels now in Dst came, unchanged, from the
// rectangle of the same size at Src.
type Copy struct {
	Dst image.Rectangle
	Src image.Point
}

// A Cursor is the pointer's shape: pixels (0x00RRGGBB), a mask of which
// pixels are shown, and the hot spot.
type Cursor struct {
	Width, Height int
	Hot           image.Point
	Pixels        []uint32
	Mask          []bool
}
