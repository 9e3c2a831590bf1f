#!/usr/bin/env bash
# EVTX reader and Windows rules, side by side with a named baseline on the same files:
#   decode only: exhunt scan --no-rules (every record decoded and flattened, nothing
#   written) --jobs 1 and --jobs all  vs  libevtx's evtxexport (Debian libevtx-utils), one
#   process per file, output to a file;
#   with every SigmaHQ Windows rule loaded (~2,850 rules, ~4,400 compiled variants):
#   events/s and MB/s, --jobs 1 and all, peak RSS.
# Corpus: real event logs (../shared/data/evtx and SigmaHQ's regression .evtx files:
# Security, System, Sysmon, Exchange management, damaged files) copied until >= SIZE.
# Not a timed test: it prints ratios for the closing notes.
# Usage: bash bench/evtx.sh [SIZE_MB]   (default 1024)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${1:-1024}
OUT=bench/out
EXHUNT=build/exhunt
SHARED=../shared/data
[ -x "$EXHUNT" ] || { echo "run 'make' first" >&2; exit 2; }
command -v evtxexport >/dev/null || { echo "needs evtxexport (apt-get install libevtx-utils)" >&2; exit 2; }
mkdir -p "$OUT"
. bench/lib.sh

CORPUS="$OUT/evtx-corpus"
if [ ! -f "$CORPUS/.done-$SIZE_MB" ]; then
	rm -rf "$CORPUS"
	mkdir -p "$CORPUS/0"
	cp "$SHARED"/evtx/*.evtx "$SHARED"/evtx/malformed/*.evtx "$CORPUS/0/"
	find "$SHARED/sigma/regression_data" -name '*.evtx' -exec cp {} "$CORPUS/0/" \;
	one=$(du -sm "$CORPUS/0" | cut -f1)
	for i in $(seq 1 $(( (SIZE_MB + one - 1) / one - 1 ))); do cp -r "$CORPUS/0" "$CORPUS/$i"; done
	touch "$CORPUS/.done-$SIZE_MB"
fi
BYTES=$(du -sb "$CORPUS" | cut -f1)
FILES=$(find "$CORPUS" -name '*.evtx' | wc -l)
NREC=$("$EXHUNT" scan -j 2 --no-rules -f jsonl "$CORPUS" 2>/dev/null | jq -s 'map(select(.type=="coverage") | .records) | add')
NP=$(nproc)
echo "corpus: $FILES files, $((BYTES / 1000000)) MB, $NREC events; $NP cores"

row() { # row LABEL SECONDS REFERENCE_SECONDS
	awk -v l="$1" -v by="$BYTES" -v n="$NREC" -v s="$2" -v r="$3" 'BEGIN {
		printf "  %-44s %8.2f s %7.0f MB/s %9.0f events/s   ratio to evtxexport %6.1fx\n", l, s, by / s / 1e6, n / s, r / s }'
}

evtxexport_all() {
	find "$CORPUS" -name '*.evtx' -print0 | sort -z | while IFS= read -r -d '' f; do
		evtxexport "$f" >"$OUT/evtxexport.out" 2>/dev/null || true
	done
}
# one run: the baseline is the slow side (minutes), its noise does not change the ratio;
# kept per corpus in bench/out (delete it, or FRESH=1, to time it again)
if [ -z "${FRESH:-}" ] && [ -f "$OUT/evtx-corpus-$SIZE_MB.evtxexport-seconds" ]; then
	T_LIB=$(cat "$OUT/evtx-corpus-$SIZE_MB.evtxexport-seconds")
else
	s=$(date +%s.%N); evtxexport_all; T_LIB=$(echo "$(date +%s.%N) - $s" | bc -l)
	echo "$T_LIB" >"$OUT/evtx-corpus-$SIZE_MB.evtxexport-seconds"
fi
T_J1=$(best "$EXHUNT" scan -q -j 1 --no-rules -f jsonl -o "$OUT/evtx.jsonl" "$CORPUS")
T_JN=$(best "$EXHUNT" scan -q -j "$NP" --no-rules -f jsonl -o "$OUT/evtx.jsonl" "$CORPUS")
echo "decode only:"
row "evtxexport (libevtx-utils, per file)" "$T_LIB" "$T_LIB"
row "exhunt --no-rules -j 1" "$T_J1" "$T_LIB"
row "exhunt --no-rules -j $NP" "$T_JN" "$T_LIB"

SIG="$SHARED/sigma"
RULES=(--rules-only --rules "$SIG/rules/windows" --rules "$SIG/rules-emerging-threats" --rules "$SIG/rules-threat-hunting/windows")
NRULES=$("$EXHUNT" rules list "${RULES[@]}" 2>/dev/null | sed -n 1p | cut -d, -f1)
echo "with SigmaHQ's Windows rules ($NRULES):"
T_R1=$(best "$EXHUNT" scan -q -j 1 "${RULES[@]}" --min-level informational -f jsonl -o "$OUT/evtx-rules.jsonl" "$CORPUS")
T_RN=$(best "$EXHUNT" scan -q -j "$NP" "${RULES[@]}" --min-level informational -f jsonl -o "$OUT/evtx-rules.jsonl" "$CORPUS")
row "exhunt + SigmaHQ Windows rules -j 1" "$T_R1" "$T_LIB"
row "exhunt + SigmaHQ Windows rules -j $NP" "$T_RN" "$T_LIB"
echo "  findings: $(jq -r 'select(.type=="finding") | .level' "$OUT/evtx-rules.jsonl" | sort | uniq -c | tr '\n' ' ')"
awk -v by="$BYTES" -v s="$T_R1" -v sn="$T_RN" -v np="$NP" 'BEGIN {
	printf "  per core: %.0f MB/min with rules (-j 1); Hayabusa published ~1 GB/min on 4 cores = %.0f MB/min per core: %.1fx\n",
		by / s / 1e6 * 60, 1000 / 4, (by / s / 1e6 * 60) / 250 }'
for j in 1 "$NP"; do
	/usr/bin/time -v "$EXHUNT" scan -q -j "$j" "${RULES[@]}" -f jsonl -o "$OUT/evtx-rules.jsonl" "$CORPUS" 2>"$OUT/time.txt" || true
	echo "  peak RSS with rules, -j $j: $(awk '/Maximum resident/ {printf "%.1f MB", $6 / 1024}' "$OUT/time.txt")"
done
big=$(ls -S "$CORPUS"/0/*.evtx | head -1)
/usr/bin/time -v "$EXHUNT" scan -q -j 1 --no-rules -f jsonl -o /dev/null "$CORPUS/0" 2>"$OUT/time.txt" || true
echo "  peak RSS decode only, one copy of the corpus (-j 1): $(awk '/Maximum resident/ {printf "%.1f MB", $6 / 1024}' "$OUT/time.txt"); largest file $(basename "$big") $(du -h "$big" | cut -f1)"
