# Hostile evidence: binary garbage named .log, a 2 MB line, NUL and invalid UTF-8, ANSI
# escapes in a user agent, a truncated last line, a truncated CSV header, a symlink out
# of the evidence, odd and very long names, a zip with '..' and absolute entry names.
# No crash, no sanitizer report, everything counted, and the piped text report holds
# no control byte at all.
. "$(dirname "$0")/lib.sh"
E="$T/evidence"
mkdir -p "$E/logs" "$E/web"
HDR='#Software: Microsoft Internet Information Services 10.0\r\n#Fields: date time c-ip cs-method cs-uri-stem cs(User-Agent) sc-status\r\n'

head -c 100000 /dev/urandom >"$E/logs/u_ex210303.log"                     # garbage named .log
{ printf "$HDR"; printf '2021-03-03 06:00:00 1.2.3.4 GET /'; head -c 2000000 /dev/zero | tr '\0' 'A';
  printf ' ua 200\r\n2021-03-03 06:00:01 1.2.3.4 GET / ok 200\r\n'; } >"$E/logs/u_ex210304.log"  # 2 MB line
{ printf "$HDR"; printf '2021-03-03 06:00:02 1.2.3.4 GET /a\x00b \xff\xfe\xc3( 200\r\n';
  printf '2021-03-03 06:00:03 1.2.3.4 GET /x Mozilla\x1b[2J\x1b]0;owned\x07\x9b31m+\xc2\x9b 200\r\n';
  printf '2021-03-03 06:00:04 1.2.3.4 GET /trunc'; } >"$E/logs/u_ex210305.log"   # NUL, bad UTF-8, ESC, cut
printf '\xef\xbb\xbf#Software: Microsoft Exchange Server\r\n#Log-type: HttpProxy Logs\r\n#Fields: DateTime,Requ' >"$E/logs/HttpProxy_2021030306-1.LOG"
# a line of control bytes longer than the line limit: 6x bigger once JSON-escaped
{ printf "$HDR"; head -c 1500000 /dev/zero | tr '\0' '\001'; printf '\r\n'; } >"$E/logs/u_ex210306.log"
printf '\xef\xbb\xbf#Software: Microsoft Exchange Server\r\n#Log-type: ECP Server Log\r\n#Fields: TimeStamp,ServerName,EventId,EventData\r\n2021-03-03T06:49:53.772Z,EXCH01,ECP.Request,"'"'"'S:CMD=x\x1b[31m' >"$E/logs/ECPServer20210303-1.LOG"
ln -s /etc/passwd "$E/logs/passwd.log"
ln -s / "$E/root-link"
printf 'x' >"$E/web/back\\slash.aspx"
printf '<%%@ Page %%>' >"$E/web/$(printf 'caf\xe9\x1b[31m.aspx')"
# a path longer than PATH_MAX but inside the limit, and one beyond XH_MAX_PATH
long=$(printf 'd%.0s' $(seq 1 200))
(cd "$E" && for i in $(seq 1 25); do mkdir "$long" && cd "$long"; done && printf "$HDR"'2021-03-03 06:00:05 1.2.3.4 GET /deep ua 200\r\n' >deep.log)
(cd "$E" && mkdir toolong && cd toolong && for i in $(seq 1 45); do mkdir "$long" && cd "$long"; done && printf 'x\n' >lost.log)

"$EXHUNT" scan -j 3 "$E" >"$T/report.txt" 2>"$T/stderr"; rc=$?
# the path beyond the limit could not be read: the host is INCOMPLETE, exit 3, and stderr
# names what was not read
expect_eq "scan exit" "$rc" 3
grep -q '^exhunt scan: host evidence is INCOMPLETE: 1 file could not be read' "$T/stderr" && ok || bad "INCOMPLETE not said: $(head -c 300 "$T/stderr")"
grep -q '^  unreadable: toolong/d.*: path longer than the limit' "$T/stderr" && ok || bad "unreadable path not named: $(grep unreadable "$T/stderr" | head -c 200)"
expect_clean "piped text report" "$T/report.txt"
expect_clean "stderr" "$T/stderr"
grep -q 'ERROR: AddressSanitizer\|runtime error' "$T/stderr" && bad "sanitizer report" || ok

"$EXHUNT" scan -q -f jsonl "$E" >"$T/report.jsonl"
jq -c . "$T/report.jsonl" >/dev/null 2>&1; expect_eq "jsonl valid" $? 0
expect_clean "jsonl report" "$T/report.jsonl"
cov() { jq -r "select(.type==\"coverage\" and .kind==\"$1\") | .$2" "$T/report.jsonl" | paste -sd+ | bc; }
expect_eq "garbage counted as unknown" "$(cov unknown files)" 1
expect_eq "iis files (3 logs + deep)" "$(cov iis files)" 4
# good: 06:00:01, 06:00:02 (NUL, bad UTF-8), 06:00:03 (escapes), deep
expect_eq "iis records" "$(cov iis records)" 4
# bad: the 2 MB line, the truncated last line (5 of 7 fields)
expect_eq "iis bad" "$(cov iis bad_records)" 3
expect_eq "bad reasons" "$(jq -r 'select(.type=="coverage" and .kind=="iis") | .bad_reasons[]? | "\(.line) \(.reason)"' "$T/report.jsonl" | sort | tr '\n' '|')" \
	"3 line longer than the limit (cut)|3 line longer than the limit (cut)|5 field count differs from #Fields (5, header has 7)|"
expect_eq "truncated header: no records" "$(cov httpproxy records)" 0
expect_eq "ecp open quote is bad" "$(cov ecp_server bad_records)" 1
expect_eq "symlinks skipped" "$(cov skipped files)" 2
expect_eq "path beyond the limit is unreadable" "$(jq -r 'select(.type=="summary") | .files_unreadable' "$T/report.jsonl")" 1
expect_eq "web files" "$(cov webfile files)" 2

"$EXHUNT" dump -q "$E" >"$T/dump.jsonl"
jq -c . "$T/dump.jsonl" >/dev/null 2>&1; expect_eq "dump valid JSON" $? 0
expect_clean "dump" "$T/dump.jsonl"
expect_eq "6 MB escaped record written whole" "$(jq -r 'select(.path=="logs/u_ex210306.log") | .raw | length' "$T/dump.jsonl")" 1048576
expect_eq "ESC kept escaped" "$(jq -r 'select(.path=="logs/u_ex210305.log" and .line==4) | .fields["cs(User-Agent)"]' "$T/dump.jsonl" | head -1 | od -An -c | tr -d ' \n' | grep -c '033')" 1
"$EXHUNT" dump -q -f csv "$E" >"$T/dump.csv"; expect_clean "dump csv" "$T/dump.csv"
"$EXHUNT" dump -q -f text "$E" >"$T/dump.txt"; expect_clean "dump text" "$T/dump.txt"

# zip with names that try to climb out, absolute names, backslashes, non-UTF-8 bytes
printf "$HDR"'2021-03-03 06:00:06 1.2.3.4 GET /z ua 200\r\n' >"$T/z.log"
"$MKZIP" "$T/evil.zip" "../../../etc/cron.d/x.log" "$T/z.log" "/abs/y.log" "$T/z.log" \
	'C:\inetpub\logs\w.log' "$T/z.log" "$(printf 'a/\xff\xfe/v.log')" "$T/z.log" "a/../../.." "$T/z.log"
"$EXHUNT" dump -q "$T/evil.zip" >"$T/zip.jsonl"; expect_eq "zip dump exit" $? 0
expect_clean "zip dump" "$T/zip.jsonl"
expect_eq "zip records" "$(jq -r 'select(.type=="record" and .bad==null) | .path' "$T/zip.jsonl" | sort | tr '\n' ' ')" \
	'(unnamed entry) C:/inetpub/logs/w.log a/\xff\xfe/v.log abs/y.log etc/cron.d/x.log '
ls -A "$T" | grep -qx etc && bad "zip entry written to disk" || ok

# truncated and corrupt zip: readable entries kept, the rest reported, no crash
head -c 300 "$T/evil.zip" >"$T/cut.zip"
"$EXHUNT" scan -q -f jsonl "$T/cut.zip" >"$T/cut.jsonl" 2>"$T/cut.err"; rc=$?
[ "$rc" -le 2 ] && ok || bad "cut zip exit $rc"
grep -q 'AddressSanitizer\|runtime error' "$T/cut.err" && bad "sanitizer on cut zip" || ok
finish
