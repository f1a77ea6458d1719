//go:build js && wasm

// Command wasm is the browser viewer's WebAssembly binary: package
// browser, started. `go generate ./webviewer` builds it into
// webviewer/static/main.wasm.gz, which the web server embeds.
package main

import "netdisplay/webviewer/browser"

func main() { browser.Main() }
