// Package xlib is an X11 client library: a connection to an X server
// (netdisplay's, Xvfb, Xorg, Xvnc, ...) with a typed API over the wire
// format of package protocol.
//
// # Connecting
//
// Open takes the display strings Xlib takes (":1", ":1.0", "unix:1",
// "host:1", "[::1]:1", "tcp/host:1", a socket path, or "" for $DISPLAY),
// reads the MIT-MAGIC-COOKIE-1 for the display from $XAUTHORITY or
// ~/.Xauthority, and enables BIG-REQUESTS when the server has it. Dial
// does the same with Options (the byte order among them: both work);
// NewConn runs the protocol over a net.Conn already connected.
//
// # Requests, cookies and errors
//
// Requests are not written one by one: they are queued in a buffer and
// written in batches, when the buffer fills, on Flush, and when the
// program waits for the server. A request with a reply returns a Cookie
// at once; its Reply waits only when the answer is needed, so that many
// round trips can be in flight together:
//
//	geom := c.GetGeometry(w)
//	atom := c.InternAtom("WM_PROTOCOLS", false)
//	g, err := geom.Reply() // one round trip for both
//	a, err := atom.Reply()
//
// An X error of a request with a reply is returned by its cookie, as a
// *protocol.Error. The errors of requests without replies arrive on the
// event queue, as Xlib's default, unless the request was sent with
// SendChecked, whose VoidCookie.Check returns it. Sync waits until the
// server has processed everything sent. Methods for requests without
// replies return only the errors that kept the request from being sent:
// the connection is gone, or the request is longer than the server
// accepts (*TooLongError). A lost connection reaches every waiting
// cookie, and every call after, as a *ConnError that says why; Close
// gives ErrClosed. Nothing panics and nothing waits for a server that is
// gone.
//
// The typed methods (CreateWindow, FillRectangles, PutImage, ...) cover
// windows, pixmaps, GCs, fonts and text, atoms and properties, colours,
// images, events and selections. Anything else in the protocol, or in an
// extension, is one Send or Call away:
//
//	c.Send(&protocol.Bell{Percent: 50})
//	k := xlib.Call[protocol.QueryPointerReply](c, &protocol.QueryPointer{Window: root})
//
// Handles (Window, Pixmap, GC, Font, Colormap, Cursor) are the resource
// ids, as distinct types; Atom and Timestamp are the protocol's own.
//
// # Events
//
// Events come as the generated structs of package protocol, on the
// channel Events returns or from NextEvent, which first writes the queued
// requests. The queue is bounded (Options.EventQueue): when it is full the
// connection stops reading until there is room, so a program must keep
// reading events while it waits for replies.
//
// # Images
//
// PutImage converts an image.Image to the server's pixel format for the
// drawable (bits per pixel, byte order and scanline padding from the
// connection setup; TrueColor masks; depth-1 bitmaps) and splits it into
// as many requests as the maximum request length needs. GetImage converts
// back to an *image.RGBA.
//
// # Concurrency and accounting
//
// A Conn is safe for concurrent use: requests from different goroutines
// are queued in the order the calls were made. One goroutine per
// connection reads from the server. Stats counts the bytes sent and
// received, the requests, the writes, and the round trips the program
// waited for.
//
// The package builds for GOOS=js too, where it can use any net.Conn
// through NewConn.
package xlib
