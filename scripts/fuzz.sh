#!/bin/sh
# Runs every go test -fuzz target in the module for a short, bounded time
# each (FUZZTIME, default 10s). A failure leaves the crashing input under the
# package's testdata/fuzz, to be committed as a regression test.
# Minimising each new input is capped (FUZZMINIMIZE, default 1s): the
# default of a minute would spend a short run minimising, not fuzzing.
#
# Go's fuzzer sometimes loses a worker while minimising and reports it as
# a failure, "fuzzing process hung or terminated unexpectedly while
# minimizing: EOF" (golang/go#52569), naming an input that passes. Such a
# report is checked: if the input passes on its own, it is not a finding,
# and the target is run again; an input that fails is kept and reported.
# Likewise the time running out in the middle of a minimisation, which Go
# reports as "context deadline exceeded" with no input, is not a finding.
set -e
FUZZTIME=${FUZZTIME:-10s}
LOG=/tmp/netdisplay-fuzz.log

fuzz() { # dir name
	go test -run '^$' -fuzz "^$2\$" -fuzztime "$FUZZTIME" -fuzzminimizetime "${FUZZMINIMIZE:-1s}" "$1" >$LOG 2>&1
}

for f in $(grep -rl --include='*_test.go' '^func Fuzz' . | sort); do
	dir=$(dirname "$f")
	for name in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$f"); do
		echo "fuzz: $dir $name ($FUZZTIME)"
		for try in 1 2 3; do
			fuzz "$dir" "$name" && break
			if grep -q 'context deadline exceeded' $LOG && ! grep -q 'Failing input written' $LOG; then
				echo "fuzz: $name: the time ran out during a minimisation, which Go reports as a failure with no input; not a finding"
				break
			fi
			input=$(sed -n "s/.*Failing input written to \(testdata\/fuzz\/$name\/[0-9a-f]*\).*/\1/p" $LOG | head -1)
			if grep -q 'terminated unexpectedly while minimizing' $LOG && [ -n "$input" ] &&
				go test -count=1 -run "^$name\$/$(basename "$input")\$" "$dir" >/dev/null 2>&1; then
				echo "fuzz: $name: a worker was lost while minimising (golang/go#52569); $input passes on its own, so it is dropped and the target runs again"
				rm -f "$dir/$input"
				continue
			fi
			cat $LOG
			exit 1
		done
	done
done
