package xserver

// The XKEYBOARD extension. Real clients need it even where the core
// keyboard would do: libxdo (xdotool) reads the keyboard through
// XkbGetMap and fails without it, and Xlib programs translate keys with
// it when the server has it.

// xkbEnabled says whether XKEYBOARD is implemented and advertised.
const xkbEnabled = false

func (c *client) xkbRequest(b []byte) error { return errImplementation }

// xkbKeymapChanged tells XKB clients that keycodes first to
// first+count-1 changed.
func (s *Server) xkbKeymapChanged(first, count uint8) {}

// xkbStateChanged tells XKB clients that the modifier state changed.
func (s *Server) xkbStateChanged() {}
