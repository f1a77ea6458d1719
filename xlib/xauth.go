package xlib

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
)

// CookieName is the authorization protocol xlib reads from Xauthority
// files and presents to servers.
const CookieName = "MIT-MAGIC-COOKIE-1"

// Address families of Xauthority entries, as libXau numbers them.
const (
	familyInternet  = 0
	familyInternet6 = 6
	familyLocal     = 256
	familyWild      = 65535
)

// An authEntry is one record of an Xauthority file.
type authEntry struct {
	family  uint16
	address []byte
	number  []byte // the display number in decimal; empty matches any
	name    []byte
	data    []byte
}

// parseXauthority decodes an Xauthority file: records of a big-endian
// CARD16 family and four fields, each a big-endian CARD16 length and that
// many bytes (address, display number, protocol name, data).
func parseXauthority(b []byte) ([]authEntry, error) {
	var out []authEntry
	for len(b) > 0 {
		if len(b) < 2 {
			return out, errors.New("truncated Xauthority entry")
		}
		e := authEntry{family: binary.BigEndian.Uint16(b)}
		b = b[2:]
		for _, f := range []*[]byte{&e.address, &e.number, &e.name, &e.data} {
			if len(b) < 2 {
				return out, errors.New("truncated Xauthority entry")
			}
			n := int(binary.BigEndian.Uint16(b))
			if len(b) < 2+n {
				return out, errors.New("truncated Xauthority entry")
			}
			*f, b = b[2:2+n], b[2+n:]
		}
		out = append(out, e)
	}
	return out, nil
}

// xauthorityPath is the file libXau reads: $XAUTHORITY, else
// ~/.Xauthority.
func xauthorityPath() string {
	if p := os.Getenv("XAUTHORITY"); p != "" {
		return p
	}
	home := os.Getenv("HOME")
	if home == "" {
		var err error
		if home, err = os.UserHomeDir(); err != nil {
			return ""
		}
	}
	return filepath.Join(home, ".Xauthority")
}

// findCookie returns the first MIT-MAGIC-COOKIE-1 entry that matches the
// address family, address and display number, as XauGetBestAuthByAddr
// chooses: a Wild entry matches any address, and an entry without a
// display number matches any display.
func findCookie(entries []authEntry, family uint16, addr []byte, number int) ([]byte, bool) {
	num := []byte(strconv.Itoa(number))
	for _, e := range entries {
		if e.family != familyWild && (e.family != family || !bytes.Equal(e.address, addr)) {
			continue
		}
		if len(e.number) != 0 && !bytes.Equal(e.number, num) {
			continue
		}
		if string(e.name) == CookieName {
			return e.data, true
		}
	}
	return nil, false
}

// authAddress is the Xauthority family and address of the server at the
// other end of c, as libxcb computes them: a Unix socket, 127.0.0.1 or
// ::1 is this host by name; any other address is itself.
func authAddress(c net.Conn) (uint16, []byte) {
	if a, ok := c.RemoteAddr().(*net.TCPAddr); ok && !a.IP.Equal(net.IPv4(127, 0, 0, 1)) && !a.IP.Equal(net.IPv6loopback) {
		if ip4 := a.IP.To4(); ip4 != nil {
			return familyInternet, ip4
		}
		return familyInternet6, a.IP.To16()
	}
	host, _ := os.Hostname()
	return familyLocal, []byte(host)
}

// readCookie finds the cookie for display number on connection c in the
// Xauthority file at path ("" for the default).
func readCookie(path string, c net.Conn, number int) ([]byte, bool) {
	if path == "" {
		path = xauthorityPath()
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	entries, _ := parseXauthority(b) // use what was readable, as libXau does
	family, addr := authAddress(c)
	return findCookie(entries, family, addr, number)
}
