# make test   installs the Debian test peers if it can, then runs every test
# make bench  runs the benchmarks (timing goals live there, not in tests)
# make fuzz   runs each fuzz target for FUZZTIME (default 10s)

GO ?= go
export CGO_ENABLED = 0

.PHONY: all build test peers vet fuzz bench wasm race

all: build

build:
	$(GO) build ./...

peers:
	@./scripts/peers.sh

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...

# The browser viewer's page runs Go compiled to WebAssembly: build what it
# is made of, and run the page-side tests under node when it is installed.
wasm:
	GOOS=js GOARCH=wasm $(GO) build ./protocol/... ./xserver ./xserver/fb ./xserver/region ./xserver/font/... ./pixelproto/... ./xlib ./viewer ./webviewer/browser ./webviewer/wasm
	@if command -v node >/dev/null 2>&1; then \
		PATH="$$($(GO) env GOROOT)/lib/wasm:$$PATH" GOOS=js GOARCH=wasm $(GO) test ./webviewer/browser; \
	else echo "make wasm: node is not installed; skipping the page-side tests under js/wasm"; fi

test: peers vet wasm
	$(GO) test -timeout 20m ./...
	@$(MAKE) --no-print-directory race
	@./scripts/fuzz.sh

# The race detector needs cgo (and gcc) even where the project does not.
race:
	@if command -v gcc >/dev/null 2>&1; then \
		echo "CGO_ENABLED=1 $(GO) test -race ./protocol/... ./xserver/... ./pixelproto/... ./xlib/..."; \
		CGO_ENABLED=1 $(GO) test -race -timeout 15m ./protocol/... ./xserver/... ./pixelproto/... ./xlib/...; \
	else echo "make race: skipped: the race detector needs gcc (apt-get install gcc libc6-dev)"; fi

fuzz:
	@./scripts/fuzz.sh

# The benchmarks: Go's, then netdisplay against the reference servers,
# side by side (docs/performance.md has the tables and what they mean).
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
	$(GO) run ./cmd/netdisplay perf
