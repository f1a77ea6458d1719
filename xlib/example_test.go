package xlib_test

import (
	"context"
	"fmt"
	"image"
	"log"

	"netdisplay/protocol"
	"netdisplay/xlib"
)

// Hello, world: a window with a line of text, until a key is pressed.
func Example_hello() {
	c, err := xlib.Open("") // $DISPLAY
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	s := c.Screen()
	w, err := c.CreateWindow(c.Root(), image.Rect(0, 0, 240, 80), 1,
		xlib.BackPixel(s.WhitePixel),
		xlib.EventMask(protocol.EventMaskExposure|protocol.EventMaskKeyPress))
	if err != nil {
		log.Fatal(err)
	}
	c.ChangeProperty(w, protocol.PropModeReplace, protocol.AtomWmName, protocol.AtomString, 8, []byte("hello"))
	font, _ := c.OpenFont("fixed")
	gc, _ := c.CreateGC(w, xlib.Foreground(s.BlackPixel), xlib.Background(s.WhitePixel), xlib.GCFont(font))
	c.MapWindow(w)

	for {
		ev, err := c.NextEvent(context.Background()) // writes the requests, then waits
		if err != nil {
			log.Fatal(err) // the connection is gone
		}
		switch ev := ev.(type) {
		case *protocol.ExposeEvent:
			if ev.Count == 0 {
				c.ImageText8(w, gc, image.Pt(20, 45), "Hello, world!")
			}
		case *protocol.KeyPressEvent:
			return
		case *protocol.Error:
			log.Print(ev) // an X error of a request without a reply
		}
	}
}

// Requests with replies return cookies: ask everything first, then wait,
// and pay one round trip instead of one per request.
func ExampleCookie() {
	c, err := xlib.Open("")
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	protocols := c.InternAtom("WM_PROTOCOLS", false)
	deleteWindow := c.InternAtom("WM_DELETE_WINDOW", false)
	geometry := c.GetGeometry(c.Root())
	// Any request, with the reply type that goes with it:
	pointer := xlib.Call[protocol.QueryPointerReply](c, &protocol.QueryPointer{Window: protocol.Window(c.Root())})

	a, err := protocols.Reply() // the only wait
	if err != nil {
		log.Fatal(err)
	}
	b, _ := deleteWindow.Reply()
	g, _ := geometry.Reply()
	p, _ := pointer.Reply()
	fmt.Println(a, b, g.Width, g.Height, p.RootX, p.RootY, c.Stats().RoundTrips)
}

func ExampleParseDisplay() {
	for _, s := range []string{":1", "unix:0.1", "remote.example.com:10", "[::1]:2"} {
		d, err := xlib.ParseDisplay(s)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-22s protocol %q host %q display %d screen %d\n", s, d.Protocol, d.Host, d.Number, d.Screen)
	}
	// Output:
	// :1                     protocol "" host "" display 1 screen 0
	// unix:0.1               protocol "unix" host "" display 0 screen 1
	// remote.example.com:10  protocol "" host "remote.example.com" display 10 screen 0
	// [::1]:2                protocol "" host "::1" display 2 screen 0
}
