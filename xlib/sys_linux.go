package xlib

// unixAddrs lists the addresses to try for a Unix socket path. Linux X
// servers also listen on the abstract socket of the same name, which
// needs no file and survives a cleaned /tmp; libxcb tries it first.
func unixAddrs(path string) []string { return []string{"@" + path, path} }
