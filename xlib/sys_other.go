//go:build !linux

package xlib

// unixAddrs lists the addresses to try for a Unix socket path: only the
// path, since abstract sockets are Linux's.
func unixAddrs(path string) []string { return []string{path} }
