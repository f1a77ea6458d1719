// Package clients holds netdisplay's sample X applications, each its own
// command built on package netdisplay/xlib, for the benchmark that
// compares X mode with pixel mode on the same work:
//
//	clock      an analog clock with a second hand: text and lines
//	eyes       eyes that follow the pointer: motion to drawing
//	paint      freehand drawing with a palette and a clear button
//	edit       a text editor: typing, selection, scrolling with CopyArea
//	slideshow  procedural images shown with PutImage: pixels
//	anim       full-window animation with a PutImage effect
//
// Each honours $DISPLAY and -display, draws at any size (-geometry), and
// exits with a message when the server goes away. With --script it
// replays a fixed, seeded timeline instead of the user and the wall clock
// (--script=bench is the benchmark's longer one), prints "done" when it
// has played it, and keeps the last frame up until it is killed. With
// --sync it waits for a round trip after every frame, as naive Xlib
// programs do.
//
//	go run ./clients/clock -display :1
//	go run ./clients/anim --script=bench --sync
//
// The applications' logic is in packages netdisplay/clients/app/NAME, so
// that the benchmark can also run them in-process (clock.Run(ctx, conn,
// opts)); package netdisplay/clients/app is what they share. This
// package's tests run each on netdisplay and on Xvfb and compare.
package clients
