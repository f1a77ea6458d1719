// Package wasmbuild builds the browser viewer's WebAssembly binary and
// says whether the committed one is current. The binary is generated and
// committed (webviewer/static/main.wasm.gz), so that `go build` and `go
// run ./cmd/netdisplay` work on a fresh clone with no second build step,
// and the netdisplay binary carries its page whole. The price is that it
// must be regenerated when its sources change: InputsHash names those
// sources, and a test compares it with the hash recorded at generation.
package wasmbuild

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// Package is what is built.
const Package = "netdisplay/webviewer/wasm"

// Files under webviewer/static.
const (
	WasmFile   = "main.wasm.gz"
	ExecFile   = "wasm_exec.js"
	InputsFile = "main.wasm.inputs"
)

func goCmd(dir string, env []string, args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return out, nil
}

var wasmEnv = []string{"GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0"}

// ModuleRoot returns the directory of the netdisplay module, from dir
// inside it.
func ModuleRoot(dir string) (string, error) {
	out, err := goCmd(dir, nil, "list", "-m", "-f", "{{.Dir}}")
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// InputsHash hashes the names and contents of every file of the module
// that the binary is built from (Go and embedded files, for js/wasm), and
// the version of every other module it uses, so that any change to them,
// and nothing else, makes the binary stale. A module's version names its
// contents (go.sum holds their hashes), so its files need not be read.
func InputsHash(root string) (string, error) {
	out, err := goCmd(root, wasmEnv, "list", "-deps", "-f",
		`{{if not .Standard}}{{if and .Module (not .Module.Main)}}module:{{.Module.Path}}@{{.Module.Version}}{{"\n"}}{{else}}{{$d := .Dir}}{{range .GoFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}{{range .EmbedFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}{{end}}{{end}}`,
		Package)
	if err != nil {
		return "", err
	}
	files := strings.Fields(string(out))
	sort.Strings(files)
	files = slices.Compact(files)
	h := sha256.New()
	for _, f := range files {
		if m, ok := strings.CutPrefix(f, "module:"); ok {
			fmt.Fprintf(h, "module %s\n", m)
			continue
		}
		rel, err := filepath.Rel(root, f)
		if err != nil || strings.HasPrefix(rel, "..") {
			return "", fmt.Errorf("%s is outside the module", f)
		}
		data, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %d\n", filepath.ToSlash(rel), len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Recorded returns the hash recorded in an inputs file.
func Recorded(inputs []byte) string {
	for _, line := range strings.Split(string(inputs), "\n") {
		if h, ok := strings.CutPrefix(line, "sha256 "); ok {
			return strings.TrimSpace(h)
		}
	}
	return ""
}

// Build builds the binary into outDir as WasmFile (gzipped), copies the
// toolchain's wasm_exec.js beside it (the two must come from the same Go
// release), and records the inputs' hash.
func Build(root, outDir string) error {
	hash, err := InputsHash(root)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "netdisplay-wasm")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "main.wasm")
	if _, err := goCmd(root, wasmEnv, "build", "-trimpath", "-ldflags=-s -w", "-o", bin, Package); err != nil {
		return err
	}
	raw, err := os.ReadFile(bin)
	if err != nil {
		return err
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression) // no name, no time: the same input gives the same bytes
	zw.Write(raw)
	if err := zw.Close(); err != nil {
		return err
	}
	goroot, err := goCmd(root, nil, "env", "GOROOT")
	if err != nil {
		return err
	}
	execJS, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", ExecFile))
	if err != nil {
		return err
	}
	version, err := goCmd(root, nil, "env", "GOVERSION")
	if err != nil {
		return err
	}
	inputs := fmt.Sprintf("sha256 %s\n%s %d bytes, %d gzipped, built by %s\n", hash, Package, len(raw), gz.Len(), strings.TrimSpace(string(version)))
	for name, data := range map[string][]byte{WasmFile: gz.Bytes(), ExecFile: execJS, InputsFile: []byte(inputs)} {
		if err := os.WriteFile(filepath.Join(outDir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
