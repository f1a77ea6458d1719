package transport

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
)

// CookieName is the one authorization protocol the server accepts.
const CookieName = "MIT-MAGIC-COOKIE-1"

// Xauthority address families, as libXau numbers them.
const (
	FamilyInternet = 0
	FamilyLocal    = 256
	FamilyWild     = 65535
)

// NewCookie returns 16 random bytes, the size xauth generates.
func NewCookie() ([]byte, error) {
	c := make([]byte, 16)
	_, err := rand.Read(c)
	return c, err
}

// An AuthEntry is one record of an Xauthority file.
type AuthEntry struct {
	Family  uint16
	Address []byte
	Display string // the display number, in decimal
	Name    string
	Data    []byte
}

// WriteXauthority adds (or replaces) a cookie for display n to the
// Xauthority file at path, creating it with mode 0600. It writes a
// FamilyWild entry, which matches whatever address a client used to reach
// us, and a FamilyLocal entry for this host, so `xauth list` shows it.
func WriteXauthority(path string, n int, cookie []byte) error {
	entries, err := ReadXauthority(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	num := strconv.Itoa(n)
	kept := entries[:0]
	for _, e := range entries {
		if e.Display != num {
			kept = append(kept, e)
		}
	}
	host, _ := os.Hostname()
	kept = append(kept,
		AuthEntry{Family: FamilyLocal, Address: []byte(host), Display: num, Name: CookieName, Data: cookie},
		AuthEntry{Family: FamilyWild, Display: num, Name: CookieName, Data: cookie})
	var b bytes.Buffer
	for _, e := range kept {
		binary.Write(&b, binary.BigEndian, e.Family)
		for _, f := range [][]byte{e.Address, []byte(e.Display), []byte(e.Name), e.Data} {
			binary.Write(&b, binary.BigEndian, uint16(len(f)))
			b.Write(f)
		}
	}
	tmp := path + ".netdisplay-tmp"
	if err := os.WriteFile(tmp, b.Bytes(), 0600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// ReadXauthority parses an Xauthority file.
func ReadXauthority(path string) ([]AuthEntry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r := bytes.NewReader(data)
	var out []AuthEntry
	for r.Len() > 0 {
		var e AuthEntry
		if err := binary.Read(r, binary.BigEndian, &e.Family); err != nil {
			return out, fmt.Errorf("%s: truncated", path)
		}
		var fields [4][]byte
		for i := range fields {
			var n uint16
			if err := binary.Read(r, binary.BigEndian, &n); err != nil {
				return out, fmt.Errorf("%s: truncated", path)
			}
			fields[i] = make([]byte, n)
			if _, err := io.ReadFull(r, fields[i]); err != nil {
				return out, fmt.Errorf("%s: truncated", path)
			}
		}
		e.Address, e.Display, e.Name, e.Data = fields[0], string(fields[1]), string(fields[2]), fields[3]
		out = append(out, e)
	}
	return out, nil
}
