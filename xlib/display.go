package xlib

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// A Display is a parsed display string: which server, and which of its
// screens. The forms are those of Xlib and libxcb:
//
//	:1, :1.0            display 1 on this machine (Unix socket, then TCP)
//	unix:1, unix/:1     display 1 on this machine, Unix socket only
//	host:1, host:1.2    TCP to host, port 6000+1; screen 2
//	[::1]:1, ::1:1      TCP over IPv6
//	tcp/host:1          TCP only (also inet/ and inet6/)
//	/path/to/socket     that Unix socket (with an optional .screen)
//
// The empty string means $DISPLAY.
type Display struct {
	Protocol string // "unix", "tcp", "inet", "inet6", or "" for the default
	Host     string // "" for this machine; for Protocol "unix", a socket path or ""
	Number   int    // the display number: TCP port 6000+Number, socket X<Number>
	Screen   int    // the screen to use by default
}

// ParseDisplay parses a display string; the empty string means $DISPLAY.
func ParseDisplay(s string) (Display, error) {
	name := s
	if name == "" {
		name = os.Getenv("DISPLAY")
		if name == "" {
			return Display{}, errors.New("xlib: no display given and $DISPLAY is not set")
		}
	}
	bad := func() (Display, error) {
		return Display{}, fmt.Errorf("xlib: bad display string %q", name)
	}
	// A path to a socket, with an optional screen, as libxcb accepts it.
	if path, ok := strings.CutPrefix(name, "unix:"); ok && strings.HasPrefix(path, "/") {
		name = path
	}
	if strings.HasPrefix(name, "/") {
		return socketPath(name), nil
	}

	var d Display
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		d.Protocol, name = name[:i], name[i+1:]
		switch d.Protocol {
		case "unix", "local":
			d.Protocol = "unix"
		case "tcp", "inet", "inet6":
		default:
			return bad()
		}
	}
	colon := strings.LastIndexByte(name, ':')
	if colon < 0 {
		return bad()
	}
	d.Host = name[:colon]
	num, screen, hasScreen := strings.Cut(name[colon+1:], ".")
	var err error
	if d.Number, err = parseCount(num); err != nil {
		return bad()
	}
	if hasScreen {
		if d.Screen, err = parseCount(screen); err != nil {
			return bad()
		}
	}
	if len(d.Host) >= 2 && d.Host[0] == '[' && d.Host[len(d.Host)-1] == ']' {
		d.Host = d.Host[1 : len(d.Host)-1]
	}
	if d.Host == "unix" && d.Protocol == "" {
		d.Protocol, d.Host = "unix", ""
	}
	if d.Protocol == "unix" && d.Host != "" {
		// unix/host:1 names a local socket; the host can only be this one.
		d.Host = ""
	}
	return d, nil
}

// parseCount parses a display or screen number: decimal digits only.
func parseCount(s string) (int, error) {
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return 0, errors.New("not a number")
	}
	n, err := strconv.Atoi(s)
	if err != nil || n > 65535 {
		return 0, errors.New("out of range")
	}
	return n, nil
}

// socketPath parses "/path/to/socket[.screen]". The screen suffix is taken
// off only when the whole string is not itself a file and what is left is.
func socketPath(name string) Display {
	d := Display{Protocol: "unix", Host: name}
	if _, err := os.Stat(name); err == nil {
		return d
	}
	dot := strings.LastIndexByte(name, '.')
	if dot < 0 {
		return d
	}
	n, err := parseCount(name[dot+1:])
	if err != nil {
		return d
	}
	if _, err := os.Stat(name[:dot]); err == nil {
		d.Host, d.Screen = name[:dot], n
	}
	return d
}

// String returns the display string in the form ParseDisplay reads.
func (d Display) String() string {
	if d.Protocol == "unix" && strings.HasPrefix(d.Host, "/") {
		if d.Screen != 0 {
			return fmt.Sprintf("%s.%d", d.Host, d.Screen)
		}
		return d.Host
	}
	var b strings.Builder
	if d.Protocol != "" {
		b.WriteString(d.Protocol + "/")
	}
	if strings.Contains(d.Host, ":") {
		b.WriteString("[" + d.Host + "]")
	} else {
		b.WriteString(d.Host)
	}
	fmt.Fprintf(&b, ":%d", d.Number)
	if d.Screen != 0 {
		fmt.Fprintf(&b, ".%d", d.Screen)
	}
	return b.String()
}

// local reports whether d is reached through a Unix socket first.
func (d Display) local() bool {
	return d.Protocol == "unix" || (d.Protocol == "" && d.Host == "")
}

// SocketDir is where X servers put their Unix sockets.
const SocketDir = "/tmp/.X11-unix"

// TCPBase is the TCP port of display 0.
const TCPBase = 6000

// dial connects to the server of d, as libxcb does: a local display tries
// the Unix socket (on Linux the abstract one first), then, unless the
// protocol was given, TCP to localhost.
func (d Display) dial(timeout time.Duration) (net.Conn, error) {
	dialer := net.Dialer{Timeout: timeout}
	if d.local() {
		path := d.Host
		if path == "" {
			path = fmt.Sprintf("%s/X%d", SocketDir, d.Number)
		}
		var firstErr error
		for _, p := range unixAddrs(path) {
			c, err := dialer.Dial("unix", p)
			if err == nil {
				return c, nil
			}
			if firstErr == nil || !strings.HasPrefix(p, "@") {
				firstErr = err
			}
		}
		if d.Protocol == "unix" {
			return nil, firstErr
		}
	}
	network := "tcp"
	switch d.Protocol {
	case "inet":
		network = "tcp4"
	case "inet6":
		network = "tcp6"
	}
	host := d.Host
	if host == "" {
		host = "localhost"
	}
	if d.Number > 65535-TCPBase {
		return nil, fmt.Errorf("display number %d has no TCP port", d.Number)
	}
	return dialer.Dial(network, net.JoinHostPort(host, strconv.Itoa(TCPBase+d.Number)))
}
