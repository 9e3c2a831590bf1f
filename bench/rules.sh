#!/usr/bin/env bash
# Rule engine throughput, side by side with a named baseline on the same files, one run:
#   exhunt scan (shipped pack, full findings) --jobs 1 and --jobs all
#   vs  grep -c -F -i -f <the pack's prefilter literals> over the same files
#   and the pack + every SigmaHQ webserver rule (goal: <= 2x the pack alone),
#   and the pack without the prefilter (what the prefilter buys),
#   and exhunt with no rules (the readers alone).
# Corpus: IIS + HttpProxy logs from build/exgen (>= 2 GB of busy benign traffic around
# the one planted intrusion of 2021-03-03: sparse attacks). Not a timed test: it prints ratios for the closing notes.
# Usage: bash bench/rules.sh [SIZE]   (SIZE per log kind, default 1G)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-1G}
OUT=bench/out
EXHUNT=build/exhunt
EXGEN=build/exgen
SIGMA=../shared/data/sigma
[ -x "$EXHUNT" ] && [ -x "$EXGEN" ] || { echo "run 'make' first" >&2; exit 2; }
mkdir -p "$OUT"

gen() { # gen NAME --only KIND: the days of the intrusion (2021-03-03), busy benign traffic
	local dir="$OUT/$1"; shift
	if [ ! -f "$dir/.done-$SIZE" ]; then
		rm -rf "$dir"
		echo "generating $dir ($SIZE) ..." >&2
		"$EXGEN" --seed 7 --start 2021-03-02 --rate 200000 --target-bytes "$SIZE" "$@" "$dir" >/dev/null
		touch "$dir/.done-$SIZE"
	fi
}
gen rules-iis --only iis
gen rules-httpproxy --only httpproxy

. bench/lib.sh
row() { # row LABEL BYTES SECONDS REFERENCE_SECONDS
	awk -v l="$1" -v by="$2" -v s="$3" -v r="$4" 'BEGIN {
		printf "  %-46s %7.2f s %7.0f MB/s   time / pack -j1 time = %5.2f\n", l, s, by / s / 1e6, s / r }'
}

LIT="$OUT/pack-literals.txt"
"$EXHUNT" rules list --literals >"$LIT"
WEB=()
if [ -d "$SIGMA/rules" ]; then
	while IFS= read -r f; do WEB+=(--rules "$f"); done < <(grep -rlE '^\s+category:\s*webserver' \
		"$SIGMA/rules" "$SIGMA/rules-emerging-threats" "$SIGMA/rules-threat-hunting" | sort)
fi
mapfile -d '' files < <(find "$OUT/rules-iis" "$OUT/rules-httpproxy" -type f \( -name '*.log' -o -name '*.LOG' \) -print0 | sort -z)
bytes=$(find "$OUT/rules-iis" "$OUT/rules-httpproxy" -type f \( -name '*.log' -o -name '*.LOG' \) -printf '%s\n' | awk '{ s += $1 } END { print s }')
cat "${files[@]}" >/dev/null  # warm the page cache: we measure matching, not the disk
echo "corpus: ${#files[@]} files, $bytes bytes (IIS + HttpProxy); pack: $("$EXHUNT" rules list | head -1)"
echo "baseline literals: $(wc -l <"$LIT") (the pack's prefilter set, in $LIT)"

t1=$(best "$EXHUNT" scan -q -f jsonl -j 1 "$OUT/rules-iis" "$OUT/rules-httpproxy")
"$EXHUNT" scan -q -f jsonl -j 1 "$OUT/rules-iis" "$OUT/rules-httpproxy" >"$OUT/rules.jsonl" || true
tn=$(best "$EXHUNT" scan -q -f jsonl "$OUT/rules-iis" "$OUT/rules-httpproxy")
tg=$(best grep -r -c -F -i -f "$LIT" "$OUT/rules-iis" "$OUT/rules-httpproxy")
t0=$(best "$EXHUNT" scan -q --no-rules -f jsonl -j 1 "$OUT/rules-iis" "$OUT/rules-httpproxy")
tp=$(best "$EXHUNT" scan -q --no-prefilter -f jsonl -j 1 "$OUT/rules-iis" "$OUT/rules-httpproxy")
row "exhunt scan, pack, --jobs 1" "$bytes" "$t1" "$t1"
row "exhunt scan, pack, --jobs $(nproc)" "$bytes" "$tn" "$t1"
row "grep -c -F -i -f <pack literals>" "$bytes" "$tg" "$t1"
row "exhunt scan --no-rules --jobs 1 (readers)" "$bytes" "$t0" "$t1"
row "exhunt scan, pack, --no-prefilter --jobs 1" "$bytes" "$tp" "$t1"
if [ ${#WEB[@]} -gt 0 ]; then
	tw=$(best "$EXHUNT" scan -q -f jsonl -j 1 "${WEB[@]}" "$OUT/rules-iis" "$OUT/rules-httpproxy")
	row "exhunt scan, pack + $(( ${#WEB[@]} / 2 )) SigmaHQ web rules, -j 1" "$bytes" "$tw" "$t1"
fi
echo "findings (pack): $(jq -r 'select(.type=="finding") | .level' "$OUT/rules.jsonl" | sort | uniq -c | tr -s ' ' | tr '\n' ';')"
echo "verdict: $(jq -r 'select(.type=="verdict") | "\(.verdict): \(.text)"' "$OUT/rules.jsonl")"
/usr/bin/time -f "  peak memory, pack, --jobs $(nproc): max RSS %M KB" "$EXHUNT" scan -q -f jsonl "$OUT/rules-iis" "$OUT/rules-httpproxy" >/dev/null || true
