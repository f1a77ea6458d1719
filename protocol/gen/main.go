package main

import (
	"bytes"
	"flag"
	"go/format"
	"os"
	"path/filepath"
)

var (
	xmlDir = flag.String("xml", "/usr/share/xcb", "directory of the XCB protocol descriptions (Debian package xcb-proto)")
	outDir = flag.String("out", ".", "directory of package protocol")
)

func main() {
	flag.Parse()
	inputs := []struct{ xml, out string }{
		{"xproto.xml", "xproto.go"},
		{"bigreq.xml", "bigreq.go"},
		{"xtest.xml", "xtest.go"},
	}
	for _, in := range inputs {
		modules = append(modules, load(filepath.Join(*xmlDir, in.xml), in.out))
	}
	names := map[string]string{}
	for _, m := range modules {
		write(m.file, emitModule(m, names))
	}
	write("random_test.go", emitRandom(modules))
}

func write(name string, src []byte) {
	out, err := format.Source(src)
	if err != nil {
		// Write the unformatted source to help find the problem.
		os.WriteFile(filepath.Join(*outDir, name+".broken"), src, 0o644)
		fail("%s: %v", name, err)
	}
	path := filepath.Join(*outDir, name)
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, out) {
		return
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		fail("%v", err)
	}
}
