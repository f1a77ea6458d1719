package main

import (
	"flag"
	"fmt"
)

func init() {
	register("demo", "run a display server and show how to use it", runDemo)
}

func runDemo(args []string) error {
	fs := flag.NewFlagSet("demo", flag.ExitOnError)
	var f serveFlags
	f.register(fs)
	f.registerWM(fs, true)
	fs.Parse(args)
	d, err := startDisplay(&f)
	if err != nil {
		return err
	}
	defer d.close()
	if err := d.serveControl(d.shutdown); err != nil {
		fmt.Printf("demo: no control socket: %v\n", err)
	}
	fmt.Println(d.readyLine())
	n := d.d.Number
	fmt.Printf(`
netdisplay is serving display :%d (%s).

Point X clients at it:

    DISPLAY=:%d xlogo &
    DISPLAY=:%d xeyes &
    DISPLAY=:%d xdpyinfo | head
    DISPLAY=:%d xwd -root -silent | convert xwd:- screen.png

%sPress Ctrl-C to stop.
`, n, f.geometry, n, n, n, n, wmNote(f.wm))
	d.wait()
	return nil
}

// wmNote says what the window manager does, when it runs.
func wmNote(on bool) string {
	if !on {
		return ""
	}
	return `Windows get frames from the built-in window manager (--wm=false for
none): drag a title bar to move a window, its bottom right corner to
resize it, and click the cross to close it.

`
}
