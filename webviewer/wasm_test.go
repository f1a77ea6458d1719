package webviewer

import (
	"bytes"
	"compress/gzip"
	"io"
	"testing"

	"netdisplay/webviewer/internal/wasmbuild"
)

// TestWasmCurrent fails when the committed WebAssembly viewer was built
// from sources other than the ones here: the page would run old code.
func TestWasmCurrent(t *testing.T) {
	inputs, err := static.ReadFile("static/" + wasmbuild.InputsFile)
	if err != nil {
		t.Fatalf("no %s: run go generate ./webviewer", wasmbuild.InputsFile)
	}
	root, err := wasmbuild.ModuleRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	hash, err := wasmbuild.InputsHash(root)
	if err != nil {
		t.Fatal(err)
	}
	if rec := wasmbuild.Recorded(inputs); rec != hash {
		t.Fatalf("webviewer/static/%s is stale: the Go sources it is built from (package browser, and viewer, xserver, pixelproto... "+
			"as built for js/wasm) have changed since it was generated.\nRun `go generate ./webviewer` and commit webviewer/static.\n"+
			"(recorded %s, sources now %s)", wasmbuild.WasmFile, rec, hash)
	}
	gz, err := static.ReadFile("static/" + wasmbuild.WasmFile)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	head := make([]byte, 4)
	if _, err := io.ReadFull(zr, head); err != nil || string(head) != "\x00asm" {
		t.Fatalf("%s is not WebAssembly: %q %v", wasmbuild.WasmFile, head, err)
	}
	if _, err := static.ReadFile("static/" + wasmbuild.ExecFile); err != nil {
		t.Fatal(err)
	}
}
