// Command genwasm builds the browser viewer's WebAssembly binary into
// webviewer/static. `go generate ./webviewer` runs it.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"netdisplay/webviewer/internal/wasmbuild"
)

func main() {
	root, err := wasmbuild.ModuleRoot(".")
	if err == nil {
		err = wasmbuild.Build(root, filepath.Join(root, "webviewer", "static"))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genwasm:", err)
		os.Exit(1)
	}
}
