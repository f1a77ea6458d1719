// Package transport is where the X server meets the operating system: the
// Unix and TCP sockets a display listens on, the lock file that reserves its
// number, and the Xauthority file that carries its cookie. The server core
// (package xserver) sees only net.Conn values, so that it also runs where
// there are no sockets, such as a browser.
package transport

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
)

// SocketDir is where X servers put their Unix sockets.
const SocketDir = "/tmp/.X11-unix"

// TCPBase is the TCP port of display :0.
const TCPBase = 6000

// A Display is a reserved display number and its listeners.
type Display struct {
	Number    int
	Listeners []net.Listener
	// Endpoints names each listener as a user would type it.
	Endpoints []string

	lockPath   string
	socketPath string
}

// Options say where a display listens.
type Options struct {
	// Number is the display number, or -1 for the first free one from
	// From (or from 1).
	Number int
	From   int
	// TCP is the host to listen on for TCP (port 6000+N); empty means
	// 127.0.0.1. "none" disables TCP.
	TCP string
	// NoUnix disables the Unix socket.
	NoUnix bool
}

// Listen reserves a display number and opens its listeners. With
// Options.Number < 0 it takes the first free number from 1, as
// `Xvfb -displayfd` does, skipping numbers that another server holds.
func Listen(opt Options) (*Display, error) {
	if opt.Number >= 0 {
		return listenNumber(opt.Number, opt)
	}
	var lastErr error
	for n := max(opt.From, 1); n < 1000; n++ {
		if !Free(n) {
			continue
		}
		d, err := listenNumber(n, opt)
		if err == nil {
			return d, nil
		}
		lastErr = err
	}
	return nil, fmt.Errorf("no free display number: %v", lastErr)
}

// Free reports whether display n looks unused: no live lock file, no
// socket that answers, and its TCP port free on loopback.
func Free(n int) bool {
	if pid, err := readLock(lockPath(n)); err == nil && alive(pid) {
		return false
	}
	for _, p := range []string{socketPath(n), "@" + socketPath(n)} {
		if c, err := net.Dial("unix", p); err == nil {
			c.Close()
			return false
		}
	}
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(TCPBase+n)))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

func listenNumber(n int, opt Options) (*Display, error) {
	if n < 0 || n > 65535-TCPBase {
		return nil, fmt.Errorf("display number %d out of range", n)
	}
	d := &Display{Number: n}
	if err := d.lock(); err != nil {
		return nil, err
	}
	if !opt.NoUnix {
		if err := d.listenUnix(); err != nil {
			d.Close()
			return nil, err
		}
	}
	if opt.TCP != "none" {
		host := opt.TCP
		if host == "" {
			host = "127.0.0.1"
		}
		addr := net.JoinHostPort(host, strconv.Itoa(TCPBase+n))
		l, err := net.Listen("tcp", addr)
		if err != nil {
			d.Close()
			return nil, fmt.Errorf("display :%d: %w", n, err)
		}
		d.Listeners = append(d.Listeners, l)
		d.Endpoints = append(d.Endpoints, "tcp:"+l.Addr().String())
	}
	return d, nil
}

func lockPath(n int) string   { return fmt.Sprintf("/tmp/.X%d-lock", n) }
func socketPath(n int) string { return filepath.Join(SocketDir, fmt.Sprintf("X%d", n)) }

// lock creates the lock file the way X.Org does (the PID in ten columns),
// so that other X servers, and Xvfb -displayfd in particular, skip our number.
func (d *Display) lock() error {
	p := lockPath(d.Number)
	for try := 0; try < 2; try++ {
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0444)
		if err == nil {
			_, err = fmt.Fprintf(f, "%10d\n", os.Getpid())
			f.Close()
			if err != nil {
				os.Remove(p)
				return err
			}
			d.lockPath = p
			return nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("display :%d: lock: %w", d.Number, err)
		}
		pid, rerr := readLock(p)
		if rerr == nil && alive(pid) {
			return fmt.Errorf("display :%d is in use (lock file %s, pid %d)", d.Number, p, pid)
		}
		os.Remove(p) // stale
	}
	return fmt.Errorf("display :%d: cannot take lock file %s", d.Number, p)
}

func (d *Display) listenUnix() error {
	if err := os.MkdirAll(SocketDir, 01777); err != nil {
		return fmt.Errorf("display :%d: %w", d.Number, err)
	}
	os.Chmod(SocketDir, 01777|fs.ModeSticky)
	p := socketPath(d.Number)
	os.Remove(p) // our lock says no live server owns it
	l, err := net.Listen("unix", p)
	if err != nil {
		return fmt.Errorf("display :%d: %w", d.Number, err)
	}
	l.(*net.UnixListener).SetUnlinkOnClose(true)
	os.Chmod(p, 0777) // as X servers do: who may connect is the cookie's business
	d.socketPath = p
	d.Listeners = append(d.Listeners, l)
	d.Endpoints = append(d.Endpoints, "unix:"+p)
	// Linux also has the abstract namespace, which Xlib and XCB try first
	// and X.Org servers bind too: holding it keeps them off our number.
	if runtime.GOOS == "linux" {
		a, err := net.Listen("unix", "@"+p)
		if err != nil {
			d.Close()
			return fmt.Errorf("display :%d: %w", d.Number, err)
		}
		d.Listeners = append(d.Listeners, a)
	}
	return nil
}

// Close closes the listeners and removes the socket and lock files.
func (d *Display) Close() error {
	for _, l := range d.Listeners {
		l.Close()
	}
	if d.socketPath != "" {
		os.Remove(d.socketPath)
	}
	if d.lockPath != "" {
		os.Remove(d.lockPath)
	}
	return nil
}

func readLock(p string) (int, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(b)))
}

func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// Loopback reports whether a connection comes from this machine: a Unix
// socket, or TCP from a loopback address.
func Loopback(c net.Conn) bool {
	switch a := c.RemoteAddr().(type) {
	case *net.UnixAddr:
		return true
	case *net.TCPAddr:
		return a.IP.IsLoopback()
	}
	return false
}

// LoopbackHost reports whether a listen address names only this machine.
func LoopbackHost(host string) bool {
	if host == "" || host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
