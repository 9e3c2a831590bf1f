# Hostile trees for the file checks: symlink loops and links out of the evidence, 10,000
# files in one folder, a 4 GB sparse file with a shell at its start, unreadable files and
# folders (run as an unprivileged user), names with control bytes, a FIFO. No hang (every
# run is bounded by timeout), no crash or sanitizer report, every file counted, and the
# output holds no control byte.
. "$(dirname "$0")/lib.sh"
E="$T/ev"
A="$E/C/inetpub/wwwroot/aspnet_client"
mkdir -p "$E/loops/a" "$E/many" "$A"

# links: loops and escapes, never followed
ln -s . "$E/loops/self"
ln -s ../a "$E/loops/a/up"
ln -s "$E/loops/b" "$E/loops/c"
ln -s "$E/loops/c" "$E/loops/b"
ln -s / "$E/loops/root"
ln -s /etc/passwd "$A/passwd.aspx"
# 10,000 files in one folder
(cd "$E/many" && seq -f 'f%05g.txt' 1 10000 | xargs touch)
# 4 GB sparse, a China Chopper line at its start: content scanned in part, not hashed
printf '<%%@ Page Language="Jscript"%%><%%eval(Request.Item["k"],"unsafe");%%>' >"$A/big.aspx"
truncate -s 4G "$A/big.aspx"
# control bytes in names, a FIFO
printf '<%%eval(Request["x"],"unsafe")%%>' >"$A/$(printf 'evil\033[31m.aspx')"
printf 'x' >"$A/$(printf 'new\nline.aspx')"
printf 'x' >"$A/$(printf 'tab\tand\177del\302\233.aspx')"
mkfifo "$A/pipe.aspx"
# unreadable (for an unprivileged reader)
mkdir -p "$E/locked/inner"
printf 'x' >"$E/locked/inner/secret.aspx"
printf '<%%eval(Request["x"],"unsafe")%%>' >"$A/noread.aspx"
chmod 000 "$A/noread.aspx" "$E/locked"

# many, big, three odd names, pipe, noread, passwd link, secret (root reads it; others
# find its folder locked, one entry either way)
files_made=$((10000 + 1 + 3 + 1 + 1 + 1 + 1))
start=$(date +%s)
timeout 300 "$EXHUNT" scan -q -j 4 -f jsonl "$E" >"$T/out.jsonl" 2>"$T/err"; rc=$?
took=$(( $(date +%s) - start ))
[ "$rc" -le 1 ] && ok || bad "scan exit $rc (124 = timeout): $(head -c 400 "$T/err")"
grep -q 'AddressSanitizer\|runtime error\|LeakSanitizer' "$T/err" && bad "sanitizer report: $(head -5 "$T/err")" || ok
jq -c . "$T/out.jsonl" >/dev/null 2>&1; expect_eq "valid JSON Lines" $? 0
expect_clean "jsonl" "$T/out.jsonl"
sum() { jq -r "select(.type==\"summary\") | .$1" "$T/out.jsonl"; }
# every regular file seen and checked; links, the pipe and the locked folder counted
expect_eq "10,000 files in one folder checked" \
	"$(jq -s -r '[.[] | select(.type=="coverage" and .folder=="many")] | "\(map(.files) | add) \(map(.files_checked) | add)"' "$T/out.jsonl")" "10000 10000"
expect_eq "links and the pipe skipped" "$(jq -s -r '[.[] | select(.type=="coverage" and .kind=="skipped")] | map(.files) | add' "$T/out.jsonl")" 7
expect_eq "all counted" "$(sum files_total)" $((files_made + 5))
echo "hostile tree: ${took}s as root"
[ "$took" -lt 120 ] && ok || bad "hostile tree took ${took}s"

# the sparse file: found by its first bytes, not hashed, cut, and said so
big() { jq -r --arg k "$1" 'select(.type=="finding" and .source.path=="C/inetpub/wwwroot/aspnet_client/big.aspx") | .fields[$k]' "$T/out.jsonl"; }
expect_eq "4 GB file: shell found" "$(jq -r 'select(.type=="finding" and .source.path=="C/inetpub/wwwroot/aspnet_client/big.aspx") | "\(.rule_name) \(.level)"' "$T/out.jsonl")" "exh_chopper_eval_request critical"
expect_eq "4 GB file: size" "$(big size)" 4294967296
expect_eq "4 GB file: not hashed" "$(big sha256)" "not computed: larger than the hash limit"
expect_eq "4 GB file: cut said" "$(big scanned)" "content scanned in its first 2097152 of 4294967296 bytes (--max-scan-bytes)"
expect_eq "cut and not hashed counted" "$(sum files_cut) $(sum files_not_hashed)" "1 1"
# names with control bytes reach the output escaped
expect_eq "odd names found" "$(jq -r 'select(.type=="finding" and (.source.path | test("evil|new|tab"))) | .level' "$T/out.jsonl" | sort | tr '\n' ' ')" "critical high high "
"$EXHUNT" scan -q --no-color "$E" >"$T/out.txt" 2>/dev/null; expect_clean "text" "$T/out.txt"
"$EXHUNT" scan -q -f csv "$E" >"$T/out.csv" 2>/dev/null; expect_clean "csv" "$T/out.csv"
grep -q 'evil\\x1b\[31m.aspx' "$T/out.txt" && ok || bad "ESC in a name not shown escaped"

# unreadable files and folders, for a reader that is not root
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	chmod 755 "$T"
	timeout 300 setpriv --reuid=65534 --regid=65534 --clear-groups "$EXHUNT" scan -q -j 4 -f jsonl "$E" >"$T/nobody.jsonl" 2>"$T/nobody.err"; rc=$?
	[ "$rc" -le 1 ] && ok || bad "unprivileged scan exit $rc: $(head -c 300 "$T/nobody.err")"
	expect_eq "unreadable counted" "$(jq -r 'select(.type=="summary") | .files_unreadable' "$T/nobody.jsonl")" 2
	expect_eq "why" "$(jq -r 'select(.type=="coverage") | .unreadable[]? | "\(.path) \(.reason)"' "$T/nobody.jsonl" | grep -v 'symbolic link\|not a regular' | sort | tr '\n' '|')" \
		"C/inetpub/wwwroot/aspnet_client/noread.aspx cannot open|locked folder cannot be opened|"
	expect_eq "the rest still checked" "$(jq -r 'select(.type=="summary") | .files_checked' "$T/nobody.jsonl")" "$(( $(sum files_checked) - 2 ))"
elif [ "$(id -u)" != 0 ]; then
	expect_eq "unreadable counted" "$(sum files_unreadable)" 2
else
	echo "SKIP (part): running as root without setpriv: unreadable files cannot be made"
fi
chmod 755 "$E/locked"
finish
