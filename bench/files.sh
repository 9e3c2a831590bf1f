#!/usr/bin/env bash
# File checks throughput, side by side with the named baselines on the same tree:
#   exhunt scan --files-only (hashes, Microsoft's allow-list, names and places, the shipped
#   YARA rules, config checks; one finding per file) --jobs 1 and --jobs all
#   vs  yara -p 1 -r <the same rules/yara/*.yar>  plus  sha256sum over every file
#   (the two together, single-threaded: the goal is to beat their sum with --jobs 1),
#   and yara with all cores, and exhunt scanning whole files (--max-scan-bytes 256M) as
#   yara does.
# Tree: bench/gen_files.py (>= 100,000 files, >= 2 GB, a dozen planted artefacts), in
# bench/out/files/ (git-ignored). Warm page cache: this measures the checks, not the disk.
# Not a timed test (not run by CI): it prints the figures for bench/RESULTS.md.
# Usage: bash bench/files.sh [FILES [BIG_MB]]   (default 100000 files, 1300 MB of large files)
set -euo pipefail
cd "$(dirname "$0")/.."
NFILES=${1:-100000}
BIG=${2:-1300}
OUT=bench/out
DIR=$OUT/files
EXHUNT=build/exhunt
[ -x "$EXHUNT" ] || { echo "run 'make' first" >&2; exit 2; }
command -v yara >/dev/null || { echo "the baseline needs the yara command (apt-get install yara)" >&2; exit 2; }
mkdir -p "$OUT"
if [ ! -f "$DIR/.done-$NFILES-$BIG" ]; then
	rm -rf "$DIR"
	echo "generating $DIR ($NFILES files, $BIG MB of large files) ..." >&2
	python3 bench/gen_files.py --seed 1 --files "$NFILES" --big-mb "$BIG" "$DIR" >&2
	touch "$DIR/.done-$NFILES-$BIG"
fi
TREE=$DIR/tree
. bench/lib.sh
files=$(find "$TREE" -type f | wc -l)
bytes=$(find "$TREE" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f", s }')
find "$TREE" -type f -print0 | xargs -0 cat >/dev/null # warm the page cache
RULES=(rules/yara/*.yar)
row() { # row LABEL SECONDS REFERENCE_SECONDS [CPU_SECONDS]
	awk -v l="$1" -v by="$bytes" -v n="$files" -v s="$2" -v r="$3" -v c="${4:-}" 'BEGIN {
		printf "  %-56s %6.2f s %5.0f MB/s %6.0f files/s  cpu %6s s  time / exhunt -j1 = %4.2f\n", l, s, by / s / 1e6, n / s, c, s / r }'
}
cpu() { # cpu CMD...: user + system seconds of one run (the host may be shared: wall time alone can mislead)
	/usr/bin/time -f "%U %S" -o "$OUT/cpu.txt" "$@" >/dev/null 2>&1 || true
	tail -n 1 "$OUT/cpu.txt" | awk '{ printf "%.2f", $1 + $2 }'
}
echo "tree: $files files, $bytes bytes; $(nproc) cores; rules: ${#RULES[@]} files, $(cat "${RULES[@]}" | grep -c '^rule ') YARA rules"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
X=("$EXHUNT" scan -q -f jsonl --files-only --allowlist "$DIR/allowlist.txt")
t1=$(best "${X[@]}" -j 1 "$TREE")
"${X[@]}" -j 1 "$TREE" >"$OUT/files.jsonl" || true
tn=$(best "${X[@]}" "$TREE")
tw=$(best "${X[@]}" -j 1 --max-scan-bytes 256M "$TREE")
ty=$(best yara -w -p 1 -r "${RULES[@]}" "$TREE")
yara -w -p 1 -r "${RULES[@]}" "$TREE" >"$OUT/files-yara.txt" 2>&1 || true
ts=$(best sh -c "find '$TREE' -type f -print0 | xargs -0 sha256sum")
tyn=$(best yara -w -p "$(nproc)" -r "${RULES[@]}" "$TREE")
both=$(echo "$ty + $ts" | bc -l)
c1=$(cpu "${X[@]}" -j 1 "$TREE"); cn=$(cpu "${X[@]}" "$TREE"); cw=$(cpu "${X[@]}" -j 1 --max-scan-bytes 256M "$TREE")
cy=$(cpu yara -w -p 1 -r "${RULES[@]}" "$TREE"); cs=$(cpu sh -c "find '$TREE' -type f -print0 | xargs -0 sha256sum")
cyn=$(cpu yara -w -p "$(nproc)" -r "${RULES[@]}" "$TREE")
row "exhunt scan --files-only, --jobs 1" "$t1" "$t1" "$c1"
row "exhunt scan --files-only, --jobs $(nproc)" "$tn" "$t1" "$cn"
row "exhunt, --jobs 1, whole files (--max-scan-bytes 256M)" "$tw" "$t1" "$cw"
row "yara -p 1 -r <rules/yara>" "$ty" "$t1" "$cy"
row "sha256sum (one process over every file)" "$ts" "$t1" "$cs"
row "yara -p 1 + sha256sum (the baseline)" "$both" "$t1" "$(echo "$cy + $cs" | bc -l)"
row "yara -p $(nproc) -r <rules/yara>" "$tyn" "$t1" "$cyn"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "findings (exhunt): $(jq -r 'select(.type=="finding") | .level' "$OUT/files.jsonl" | sort | uniq -c | tr -s ' ' | tr '\n' ';')"
echo "planted found: $(cut -f1 "$DIR/planted.txt" | while IFS= read -r p; do
	jq -r --arg p "$p" 'select(.type=="finding" and .source.path==$p) | .source.path' "$OUT/files.jsonl" | head -1; done | wc -l) of $(wc -l <"$DIR/planted.txt")"
echo "other files flagged: $(jq -r 'select(.type=="finding" and .source.kind=="file") | "\(.rule_name)\t\(.source.path)"' "$OUT/files.jsonl" |
	grep -v -F -f <(cut -f1 "$DIR/planted.txt") | cut -f1 | sort | uniq -c | tr -s ' ' | tr '\n' ';')"
echo "yara matches: $(grep -c . "$OUT/files-yara.txt") (rule, file) pairs over $(cut -d' ' -f2- "$OUT/files-yara.txt" | sort -u | wc -l) files"
for j in 1 "$(nproc)"; do
	/usr/bin/time -q -f "  peak memory, exhunt --jobs $j: max RSS %M KB" "${X[@]}" -j "$j" "$TREE" >/dev/null || true
done
/usr/bin/time -q -f "  peak memory, yara -p 1: max RSS %M KB" yara -w -p 1 -r "${RULES[@]}" "$TREE" >/dev/null || true
