# The CLI's number options all go through one set of parsers (cli/common.c): decimal
# digits only, so a sign, a blank before or after, an empty text, an exponent, a base
# prefix and a value too large for 64 bits are refused alike, each with the same kind of
# message ("exhunt CMD: --OPT wants ... from MIN to MAX, not 'ARG'", the argument
# escaped) and exit 2; the forms the help shows are taken, and mean what they say.
. "$(dirname "$0")/lib.sh"
E="$T/ev"
mkdir -p "$E"
head -c 5000 /dev/zero | tr '\0' 'a' >"$E/big.txt"

# refused CMD OPT VALUE WANT [AS]: exit 2, and the message names the option (--OPT, also
# when given as AS), what it wants and the value as given (non-printable bytes as \xNN),
# then the usual hint; nothing on stdout
refused() {
	local cmd=$1 opt=$2 val=$3 want=$4 as=${5:-$2} shown
	shown=$(printf '%s' "$val" | LC_ALL=C perl -pe 's/([^\x20-\x7e])/sprintf("\\x%02x", ord($1))/ge')
	if [ "$cmd" = probe ]; then
		expect_rc 2 "$EXHUNT" probe --dry-run "$as" "$val" 10.0.0.1
	else
		expect_rc 2 "$EXHUNT" "$cmd" -q "$as" "$val" "$E"
	fi
	expect_eq "$cmd $as '$val': message" "$(cat "$T/err")" \
		"exhunt $cmd: $opt wants $want, not '$shown'
Try 'exhunt help $cmd'."
	expect_eq "$cmd $as '$val': nothing on stdout" "$(cat "$T/out")" ""
}

# the forms every whole-number option refuses, whatever its range
BAD_FORMS=(" 4" "4 " $'\t4' "+4" "-1" "-0" "" "99999999999999999999" "18446744073709551616" "1e3" "0x10" "4.0" "4x" "four" "nan" "inf")

JOBS="a number from 1 to 256"
for v in "${BAD_FORMS[@]}" 0 257; do refused scan --jobs "$v" "$JOBS"; done
refused scan --jobs " 4" "$JOBS" -j
refused dump --jobs -1 "$JOBS" -j
refused dump --jobs 99999999999999999999 "$JOBS"

SIZE="a size from 4K to 256M (like 65536, 512K or 8M)"
for v in "${BAD_FORMS[@]}" 0 0K 4095 1K 257M 1G 12Q 4KB "4 K" K 17592186044417M 18014398509481984K; do
	refused scan --max-scan-bytes "$v" "$SIZE"
done

for v in "${BAD_FORMS[@]}" 0 4097; do refused probe --concurrency "$v" "a number from 1 to 4096"; done
refused probe --concurrency " 4" "a number from 1 to 4096" -c
for v in "${BAD_FORMS[@]}" 6; do refused probe --retries "$v" "a number from 0 to 5"; done
for v in "${BAD_FORMS[@]}" 0; do refused probe --max-hosts "$v" "a number from 1 to 18446744073709551615"; done
for v in "${BAD_FORMS[@]}"; do refused probe --seed "$v" "a number from 0 to 18446744073709551615"; done

expect_rc 2 "$EXHUNT" dump --max-scan-bytes 4K "$E"
expect_eq "dump: a scan option, not a bad size" "$(head -1 "$T/err")" "exhunt dump: --max-scan-bytes is for scan"

# numbers with a fraction: the same forms refused, "1e3" and ".5" too
DEC_FORMS=(" 5" "5 " $'\t5' "+5" "-1" "" "1e3" "1E3" "0x10" ".5" "5." "5.5.5" "nan" "inf" "99999999999999999999")
RATE="requests per second from 0 to 10000000 (0: no limit)"
for v in "${DEC_FORMS[@]}" 10000001 10000000.5; do refused probe --rate "$v" "$RATE"; done
for o in --timeout --connect-timeout; do
	for v in "${DEC_FORMS[@]}" 0 0.0004 300.001 301; do refused probe $o "$v" "seconds from 0.001 to 300"; done
done

SHARD="K/N like 2/4, with 1 <= K <= N"
for v in 0/2 3/2 1/0 2 /2 2/ " 1/2" "1/2 " "+1/2" "1/+2" "-1/2" 1//2 1/2/3 "" 1/4294967296 \
	123456789012345678901234/2 1e0/2 0x1/2; do
	refused probe --shard "$v" "$SHARD"
done

# ---- accepted forms, and what they mean -----------------------------------------------------
for v in 1 4 04 256; do expect_rc 0 "$EXHUNT" scan -q --no-rules -j "$v" "$E"; done
expect_rc 0 "$EXHUNT" scan -q --no-rules --jobs=8 "$E"
"$EXHUNT" scan -q --no-rules -j 1 -f jsonl "$E" | grep -v '"type":"summary"' >"$T/j1"
"$EXHUNT" scan -q --no-rules -j 3 -f jsonl "$E" | grep -v '"type":"summary"' >"$T/j3"
cmp -s "$T/j1" "$T/j3" && ok || bad "output differs between -j 1 and -j 3"

cut() { # cut SIZE: whether the 5000-byte file was scanned only in part
	"$EXHUNT" scan -q -f jsonl --max-scan-bytes "$1" "$E" >"$T/cut.jsonl" || [ $? = 1 ] || bad "--max-scan-bytes $1 refused"
	jq -r 'select(.type=="summary") | .files_cut' "$T/cut.jsonl"
}
for v in 4096 4K 4k; do expect_eq "--max-scan-bytes $v cuts 5000 bytes" "$(cut "$v")" 1; done
for v in 5000 8K 1M 1m 256M 0256M; do expect_eq "--max-scan-bytes $v does not cut 5000 bytes" "$(cut "$v")" 0; done
grep -q 'larger than --max-scan-bytes' "$T/cut.jsonl" && bad "not cut, yet said to be" || ok
cut 4K >/dev/null
grep -q 'larger than --max-scan-bytes (4096 bytes)' "$T/cut.jsonl" && ok || bad "4K is not 4096 bytes"

for v in "--rate 0" "--rate 0.5" "--rate 50" "--rate 10000000" "--timeout 0.001" "--timeout 0.5" "--timeout 10" \
	"--timeout 300" "--connect-timeout 1.25" "--concurrency 1" "-c 4096" "--retries 0" "--retries 5" \
	"--max-hosts 1" "--seed 0" "--seed 18446744073709551615" "--shard 1/1" "--shard 4/4"; do
	expect_rc 0 "$EXHUNT" probe --dry-run $v 10.0.0.1
done
targets() { "$EXHUNT" probe --dry-run "$@" 10.9.8.0/28 | grep -c '^# target'; }
expect_eq "--max-hosts 3" "$(targets --max-hosts 3)" 3
expect_eq "--shard 2/4 takes a quarter" "$(targets --shard 2/4)" 4
expect_eq "--shard 1/16 takes one" "$(targets --shard 01/16)" 1
"$EXHUNT" probe --dry-run --seed 7 10.9.8.0/28 >"$T/s7"
"$EXHUNT" probe --dry-run --seed 007 10.9.8.0/28 >"$T/s007"
cmp -s "$T/s7" "$T/s007" && ok || bad "--seed 007 is not --seed 7"
finish
