#!/bin/sh
# Runs every go test -fuzz target in the module for a short, bounded time
# each (FUZZTIME, default 10s). A failure leaves the crashing input under the
# package's testdata/fuzz, to be committed as a regression test.
# Minimising each new input is capped (FUZZMINIMIZE, default 1s): the
# default of a minute would spend a short run minimising, not fuzzing.
set -e
FUZZTIME=${FUZZTIME:-10s}
for f in $(grep -rl --include='*_test.go' '^func Fuzz' . | sort); do
	dir=$(dirname "$f")
	for name in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$f"); do
		echo "fuzz: $dir $name ($FUZZTIME)"
		go test -run '^$' -fuzz "^$name\$" -fuzztime "$FUZZTIME" -fuzzminimizetime "${FUZZMINIMIZE:-1s}" "$dir" >/tmp/netdisplay-fuzz.log 2>&1 || {
			cat /tmp/netdisplay-fuzz.log
			exit 1
		}
	done
done
