#!/usr/bin/env bash
# Exposure-probe throughput and memory, side by side with a named baseline on the same
# hosts, one run:
#   exhunt probe (libcurl multi, one process)  vs  xargs -P 64 curl (one curl per host)
# over N mock Exchange hosts on loopback: distinct ports of one asyncio process
# (tests/probe/mockex.py --bench), each answering GET /owa/ with a full-build
# X-OWA-Version header and the logon page, so both tools send the same single GET per
# host. Then the peak memory of exhunt for 100 and for 10,000 targets (memory must stay
# flat as the target count grows). Plain HTTP: the Python mock would spend more on TLS
# handshakes than either client (stated in bench/RESULTS.md). Not run in CI.
# Usage: bash bench/probe.sh [N]   (default 1000 hosts for the throughput rows)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
OUT=bench/out/probe
EXHUNT=build/exhunt
[ -x "$EXHUNT" ] || { echo "run 'make' first" >&2; exit 2; }
command -v curl >/dev/null && [ -x /usr/bin/time ] || { echo "needs curl and /usr/bin/time" >&2; exit 2; }
mkdir -p "$OUT"
. bench/lib.sh
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

MOCK_PID=
stop_mock() { [ -n "$MOCK_PID" ] && kill "$MOCK_PID" 2>/dev/null && wait "$MOCK_PID" 2>/dev/null; MOCK_PID=; }
trap stop_mock EXIT
start_mock() { # start_mock COUNT: COUNT hosts, list in $OUT/hosts-COUNT.txt
	stop_mock
	rm -f "$OUT/ready.json"
	python3 tests/probe/mockex.py --bench "$1" --ready "$OUT/ready.json" &
	MOCK_PID=$!
	for _ in $(seq 1 600); do [ -f "$OUT/ready.json" ] && break; sleep 0.1; done
	jq -r '.[] | "http://127.0.0.1:\(.)/"' "$OUT/ready.json" >"$OUT/hosts-$1.txt"
}

start_mock "$N"
echo "mock: $N hosts (ports of one asyncio process), GET /owa/ answered with X-OWA-Version and the logon page"
E=("$EXHUNT" probe -q --rate 0 --concurrency 256 --timeout 10 -f jsonl -o "$OUT/probe.jsonl" -iL "$OUT/hosts-$N.txt")
te=$(best "${E[@]}")
found=$(jq -r 'select(.type=="probe") | .build' "$OUT/probe.jsonl" | grep -c '^15.1.2176.2$' || true)
sed 's|$|owa/|' "$OUT/hosts-$N.txt" >"$OUT/urls-$N.txt"
C() { xargs -P 64 -n 1 curl -s -o /dev/null -A "exhunt/bench" --max-time 10 <"$OUT/urls-$N.txt"; }
tc=$(best C)
awk -v n="$N" -v te="$te" -v tc="$tc" -v f="$found" 'BEGIN {
	printf "  %-44s %7.2f s %8.0f hosts/s   (%d of %d builds read)\n", "exhunt probe --concurrency 256 --rate 0", te, n / te, f, n
	printf "  %-44s %7.2f s %8.0f hosts/s\n", "xargs -P 64 curl (same GET, per host)", tc, n / tc
	printf "  exhunt / baseline hosts per second: %.1fx\n", tc / te }'

for n in 100 10000; do
	start_mock "$n"
	/usr/bin/time -f "%M %e" -o "$OUT/time-$n.txt" "$EXHUNT" probe -q --rate 0 --concurrency 256 -f jsonl \
		-o "$OUT/mem-$n.jsonl" -iL "$OUT/hosts-$n.txt" || true
	read -r kb secs < <(tail -n 1 "$OUT/time-$n.txt")  # time says "exited with 1" first: hosts are vulnerable
	printf "  peak memory, %5d targets: max RSS %6d KB (%.2f s, %d records)\n" "$n" "$kb" "$secs" \
		"$(jq -r 'select(.type=="probe") | .port' "$OUT/mem-$n.jsonl" | wc -l)"
done
