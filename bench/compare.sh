#!/usr/bin/env bash
# Two exhunt binaries side by side on the benchmarks of bench/: the readers (IIS,
# HttpProxy), the rule engine (the pack), EVTX decoding and EVTX with every SigmaHQ
# Windows rule, the file checks, and the probe. Each command runs alternately with the
# old and the new binary (old, new, old, new, ...), so a machine that drifts affects both
# alike; the table gives the median wall time of each and the ratio new/old of the
# medians, one core each (taskset), page cache warm. For a change that must not cost
# speed (a refactoring, a layout move), the ratios should sit within noise of 1.00.
#
# Usage: bash bench/compare.sh OLD_EXHUNT [NEW_EXHUNT] [RUNS]
#   NEW_EXHUNT defaults to build/exhunt, RUNS (per binary) to 7.
# Corpora as bench/readers.sh, rules.sh, evtx.sh and files.sh make them in bench/out/
# (run those first, or `make bench`); a missing corpus skips its row with a message.
# Not a timed test: it prints the rows for bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
OLD=${1:?usage: bench/compare.sh OLD_EXHUNT [NEW_EXHUNT] [RUNS]}
NEW=${2:-build/exhunt}
RUNS=${3:-7}
OUT=bench/out
SIGMA=../shared/data/sigma/rules/windows
[ -x "$OLD" ] && [ -x "$NEW" ] || { echo "both binaries must exist: $OLD $NEW" >&2; exit 2; }
command -v taskset >/dev/null || { echo "needs taskset (util-linux)" >&2; exit 2; }
CPU=$(( $(nproc) - 1 ))

wall() { # wall CMD...: wall seconds of one run on one core, output discarded
	local s e
	s=$(date +%s.%N); taskset -c "$CPU" "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N)
	echo "$e - $s" | bc -l
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

row() { # row LABEL ARGS... (the exhunt arguments; both binaries get the same)
	local label=$1; shift
	: >"$OUT/cmp-old.txt"; : >"$OUT/cmp-new.txt"
	wall "$OLD" "$@" >/dev/null; wall "$NEW" "$@" >/dev/null # warm-up, not counted
	for _ in $(seq 1 "$RUNS"); do
		wall "$OLD" "$@" >>"$OUT/cmp-old.txt"
		wall "$NEW" "$@" >>"$OUT/cmp-new.txt"
	done
	local o n
	o=$(median <"$OUT/cmp-old.txt"); n=$(median <"$OUT/cmp-new.txt")
	awk -v l="$label" -v o="$o" -v n="$n" -v lo="$(sort -g "$OUT/cmp-new.txt" | head -1)" \
		-v hi="$(sort -g "$OUT/cmp-new.txt" | tail -1)" 'BEGIN {
		printf "  %-40s old %7.3f s   new %7.3f s (%.3f-%.3f)   new/old %.3f\n", l, o, n, lo, hi, n / o }'
}
have() { [ -e "$1" ] || { echo "  (skipped: $1 not found; run the benchmark that makes it)"; return 1; }; }

echo "old: $OLD   new: $NEW   runs: $RUNS each, alternating, on cpu $CPU"
if have "$OUT/iis"; then find "$OUT/iis/" -type f -exec cat {} + >/dev/null; row "IIS reader (--no-rules)" scan -q --no-rules -f jsonl -j 1 "$OUT/iis"; fi
if have "$OUT/httpproxy"; then find "$OUT/httpproxy/" -type f -exec cat {} + >/dev/null; row "HttpProxy reader (--no-rules)" scan -q --no-rules -f jsonl -j 1 "$OUT/httpproxy"; fi
if have "$OUT/rules-iis" && have "$OUT/rules-httpproxy"; then
	row "rule engine, shipped pack" scan -q -f jsonl -j 1 "$OUT/rules-iis" "$OUT/rules-httpproxy"
fi
if have "$OUT/evtx-corpus"; then
	row "EVTX decode (--no-rules)" scan -q --no-rules -f jsonl -j 1 "$OUT/evtx-corpus"
	if have "$SIGMA"; then row "EVTX + SigmaHQ Windows rules" scan -q -f jsonl -j 1 --rules "$SIGMA" "$OUT/evtx-corpus"; fi
fi
if have "$OUT/files/tree"; then row "file checks (--files-only)" scan -q --files-only -f jsonl -j 1 "$OUT/files/tree"; fi

# the probe against 1,000 mock hosts (tests/probe/mockex.py --bench), as bench/probe.sh
MOCK_PID=
trap '[ -n "$MOCK_PID" ] && kill "$MOCK_PID" 2>/dev/null' EXIT
mkdir -p "$OUT/probe"
rm -f "$OUT/probe/cmp-ready.json"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
python3 tests/probe/mockex.py --bench 1000 --ready "$OUT/probe/cmp-ready.json" &
MOCK_PID=$!
for _ in $(seq 1 600); do [ -f "$OUT/probe/cmp-ready.json" ] && break; sleep 0.1; done
jq -r '.[] | "http://127.0.0.1:\(.)/"' "$OUT/probe/cmp-ready.json" >"$OUT/probe/cmp-hosts.txt"
row "probe, 1,000 mock hosts" probe -q --rate 0 --concurrency 256 --timeout 10 -f jsonl -iL "$OUT/probe/cmp-hosts.txt"
