# exhunt build: the compiled table is what tools/gen_builds.py makes of builds.csv;
# the command's forms, formats, stdin bulk mode and exit codes.
. "$(dirname "$0")/lib.sh"

if [ -f "$SHARED/reference/builds.csv" ] && command -v python3 >/dev/null; then
	python3 "$XH_SRC/tools/gen_builds.py" "$SHARED/reference/builds.csv" >"$T/table.c"
	cmp -s "$T/table.c" "$XH_SRC/lib/patch/builds_table.c" && ok || bad "lib/patch/builds_table.c is not what tools/gen_builds.py makes of builds.csv"
else
	echo "note: builds.csv or python3 missing, table regeneration not checked"
fi

expect_rc 1 "$EXHUNT" build 15.1.2176.2
grep -q 'CVE-2021-26855  ProxyLogon     vulnerable' "$T/out" && ok || bad "text verdict"
grep -q 'Exchange Server 2016 CU19' "$T/out" && ok || bad "product and CU"
expect_rc 0 "$EXHUNT" help build
expect_rc 2 "$EXHUNT" build
expect_rc 2 "$EXHUNT" build 15.1
grep -q "not an Exchange 2010-SE build number: '15.1'" "$T/err" && ok || bad "malformed message"
expect_rc 2 "$EXHUNT" build "$(printf '15.1.2176.9\033[2J')"
expect_clean "escaped malformed input" "$T/err"
expect_rc 2 "$EXHUNT" build --format xml 15.1.2176.9

# jsonl, every form
expect_rc 1 "$EXHUNT" build -f jsonl 15.1.2176.9 15.01.2176.009 'Version 15.1 (Build 2176.9)' 15.1.2176
jq -c . "$T/out" >/dev/null 2>&1 && ok || bad "jsonl invalid"
expect_eq "schema first" "$(head -n 1 "$T/out" | jq -r '"\(.type) \(.schema)"')" "schema 2"
expect_eq "forms give one build" "$(jq -r 'select(.type=="build") | .build' "$T/out" | sort -u | tr '\n' ' ')" "15.1.2176 15.1.2176.9 "
expect_eq "CU only is unknown" "$(jq -r 'select(.build=="15.1.2176") | .cves[] | select(.cve=="CVE-2021-26855") | .state' "$T/out")" unknown
expect_eq "fix named" "$(jq -r 'select(.input=="15.1.2176.9") | .cves[] | select(.cve=="CVE-2021-34473") | .fix' "$T/out")" "Apr21SU (KB5001779) 15.1.2176.12"

# csv: header + one row per CVE
expect_rc 1 "$EXHUNT" build -f csv 15.0.1497.2
expect_eq "csv rows" "$(wc -l <"$T/out")" "$(($("$EXHUNT" build -f jsonl 15.0.1497.2 | jq 'select(.type=="build") | .cves | length') + 1))"

# stdin: comments and blanks skipped, a bad line reported with its number, the rest judged
printf '# estate\n15.2.1118.20\n\n  15.1.2176.2\nnot-a-build\n15.2.2562.46\n' | "$EXHUNT" build -f jsonl - >"$T/bulk" 2>"$T/bulk.err"
# a CVE open is the answer: a malformed line is reported and counted, it does not turn 1 into 2
expect_eq "bulk exit" $? 1
expect_eq "bulk judged" "$(jq -r 'select(.type=="build") | .input' "$T/bulk" | tr '\n' ' ')" "15.2.1118.20 15.1.2176.2 15.2.2562.46 "
grep -q "line 5: not an Exchange" "$T/bulk.err" && ok || bad "bulk error line number"
# a fully patched SE build: nothing vulnerable, exit 0; a malformed line alone: 2
expect_rc 0 "$EXHUNT" build 15.2.2562.46
printf '15.2.2562.46\nnope\n' | "$EXHUNT" build - >/dev/null 2>&1; expect_eq "malformed, nothing open" $? 2

# an estate's inventory: HOST BUILD lines and host,build CSV (header skipped), a row per host
printf 'host,build\nEXCH01,15.1.2176.2\n"MAIL-FR-02", 15.2.1118.20\nbroken line here\nEXCH03 15.2.2562.46\n' |
	"$EXHUNT" build -f jsonl - >"$T/estate.jsonl" 2>"$T/estate.err"
expect_eq "estate exit" $? 1
expect_eq "estate hosts" "$(jq -r 'select(.type=="build") | "\(.host)=\(.build)"' "$T/estate.jsonl" | tr '\n' ' ')" \
	"EXCH01=15.1.2176.2 MAIL-FR-02=15.2.1118.20 EXCH03=15.2.2562.46 "
grep -q "line 4: not an Exchange" "$T/estate.err" && ok || bad "estate error line number: $(cat "$T/estate.err")"
printf 'EXCH01 15.1.2176.2\nEXCH03 15.2.2562.46\n' | "$EXHUNT" build --no-color - >"$T/estate.txt"
expect_eq "text: a row per host" "$(awk '{print $1, $2}' "$T/estate.txt" | tr '\n' ' ')" "EXCH01 15.1.2176.2 EXCH03 15.2.2562.46 "
grep -q '^EXCH03 .* 0 open$' "$T/estate.txt" && ok || bad "patched host row: $(cat "$T/estate.txt")"
printf 'EXCH01,15.1.2176.2\n' | "$EXHUNT" build -f csv - | sed -n 2p | cut -d, -f1-2 >"$T/estate.csv"
expect_eq "csv host column" "$(cat "$T/estate.csv")" '"build","EXCH01"'
# 10,000 inventory lines in well under a second (the estate of a large organisation)
awk 'BEGIN { print "host,build"; for (i = 0; i < 10000; i++) printf "EXCH%05d,15.%d.%s\n", i, 1 + i % 2, (i % 2 ? "1118.20" : "2176.2") }' >"$T/big.csv"
s=$(date +%s%N); "$EXHUNT" build - <"$T/big.csv" >"$T/big.txt"; e=$(date +%s%N)
expect_eq "10,000 hosts judged" "$(wc -l <"$T/big.txt")" 10000
[ $(( (e - s) / 1000000 )) -lt 5000 ] && ok || bad "10,000 hosts took $(( (e - s) / 1000000 )) ms"
finish
