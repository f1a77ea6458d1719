// Command netdisplay is a display server that speaks X11 and RFB (VNC),
// with viewers for the terminal, the desktop and the browser, and a
// benchmark that compares the two protocols on the same work.
//
//	netdisplay serve     run a display server
//	netdisplay demo      run the server with sample applications
//	netdisplay snapshot  save one frame of a VNC server as PNG
//	netdisplay term      view a display in the terminal (VNC client, or be the X display)
//	netdisplay desktop   view a display in a window (VNC client, or be the X display)
//	netdisplay web       view a VNC server in the browser (serves the page, relays its RFB)
//
// Run "netdisplay help COMMAND" for a command's flags.
package main

import (
	"fmt"
	"os"
)

type command struct {
	name  string
	short string
	run   func(args []string) error
}

var commands []command

func register(name, short string, run func([]string) error) {
	commands = append(commands, command{name, short, run})
}

func usage() {
	fmt.Fprintf(os.Stderr, "usage: netdisplay COMMAND [flags]\n\ncommands:\n")
	for _, c := range commands {
		if c.short == "" {
			continue // a command for netdisplay's own use
		}
		fmt.Fprintf(os.Stderr, "  %-10s %s\n", c.name, c.short)
	}
	fmt.Fprintf(os.Stderr, "\nRun 'netdisplay COMMAND -h' for a command's flags.\n")
}

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	name := os.Args[1]
	if name == "help" || name == "-h" || name == "--help" {
		if len(os.Args) > 2 {
			name = os.Args[2]
			os.Args = []string{os.Args[0], name, "-h"}
		} else {
			usage()
			return
		}
	}
	for _, c := range commands {
		if c.name == name {
			if err := c.run(os.Args[2:]); err != nil {
				fmt.Fprintf(os.Stderr, "netdisplay %s: %v\n", name, err)
				os.Exit(1)
			}
			return
		}
	}
	fmt.Fprintf(os.Stderr, "netdisplay: unknown command %q\n\n", name)
	usage()
	os.Exit(2)
}
