#!/usr/bin/env bash
# `exhunt build -` over 1,000,000 builds from stdin (every build of the table, other
# revisions, CU-only and long forms, cycled): lookups per second, side by side with
# `wc -l` reading the same input. Not a timed test. Usage: bash bench/build.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
EXHUNT=build/exhunt
[ -x "$EXHUNT" ] || { echo "run 'make' first" >&2; exit 2; }
mkdir -p bench/out
IN=bench/out/builds.txt
if [ ! -f "$IN" ] || [ "$(wc -l <"$IN")" -ne "$N" ]; then
	"$EXHUNT" build -f csv 15.1.2176.9 >/dev/null || true
	awk -v n="$N" 'BEGIN {
		split("15.0.1497 15.1.2176 15.1.2242 15.1.2308 15.1.2375 15.1.2507 15.2.792 15.2.858 15.2.986 15.2.1118 15.2.1544 15.2.1748 15.2.2562 14.3.513 15.1.1847 15.2.221", cu, " ")
		for (i = 0; i < n; i++) {
			c = cu[i % 16 + 1]
			if (i % 10 == 0) print c                         # CU only
			else if (i % 10 == 1) { split(c, p, "."); printf "%s.%02d.%04d.%03d\n", p[1], p[2], p[3], i % 60 }
			else print c "." (i % 60)
		}
	}' >"$IN"
fi
cat "$IN" >/dev/null
t() { # best wall time of 3 runs, output to a file (not /dev/null)
	local b= s e
	for _ in 1 2 3; do
		s=$(date +%s.%N); "$@" <"$IN" >bench/out/build.out 2>/dev/null || true; e=$(date +%s.%N)
		b=$(echo "$e - $s" | bc -l | awk -v b="$b" '{ if (b == "" || $1 < b) print $1; else print b }')
	done
	echo "$b"
}
tw=$(t wc -l)
tt=$(t "$EXHUNT" build -f text -)
tj=$(t "$EXHUNT" build -f jsonl -)
ts=$(t "$EXHUNT" build --summary -)
awk -v n="$N" -v tw="$tw" -v tt="$tt" -v tj="$tj" -v ts="$ts" 'BEGIN {
	printf "  wc -l                              %7.3f s %12.0f lines/s\n", tw, n / tw
	printf "  exhunt build --summary -           %7.2f s %12.0f lookups/s  (%5.1fx wc time)\n", ts, n / ts, ts / tw
	printf "  exhunt build - (text)              %7.2f s %12.0f lookups/s  (%5.1fx wc time)\n", tt, n / tt, tt / tw
	printf "  exhunt build - (jsonl)             %7.2f s %12.0f lookups/s  (%5.1fx wc time)\n", tj, n / tj, tj / tw
}'
