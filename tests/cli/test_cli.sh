# Command-line behaviour: help and version, exit codes, usage errors, output safety
# (-o never inside the evidence), colour rules, determinism across --jobs, the time
# window, and transparent .gz and .zip reading giving the same records as plain files.
. "$(dirname "$0")/lib.sh"
E="$T/ev"
mkdir -p "$E/W3SVC1" "$E/HttpProxy"
printf '#Software: Microsoft Internet Information Services 10.0\r\n#Fields: date time c-ip cs-method cs-uri-stem sc-status\r\n' >"$E/W3SVC1/u_ex210303.log"
for h in 01 02 03 04 05 06 07 08 09 10; do
	printf '2021-03-03 %s:00:00 10.0.0.%s GET /owa/ 200\r\n' "$h" "$h" >>"$E/W3SVC1/u_ex210303.log"
done
printf '\xef\xbb\xbf#Software: Microsoft Exchange Server\r\n#Version: 15.01.2176.002\r\n#Log-type: HttpProxy Logs\r\n#Fields: DateTime,RequestId,UrlStem,AnchorMailbox\r\n2021-03-03T06:49:42.162Z,r1,/ecp/y.js,"ServerInfo~a]@x:444/mapi/emsmdb/?#"\r\n2021-03-04T06:49:42.162Z,r2,/owa/,\r\n' >"$E/HttpProxy/HttpProxy_2021030306-1.LOG"

expect_rc 0 "$EXHUNT" --version
grep -q '^exhunt [0-9]' "$T/out" && ok || bad "version text"
for c in "" "scan" "dump" "formats"; do
	expect_rc 0 "$EXHUNT" help $c
	expect_rc 0 "$EXHUNT" ${c:-scan} --help
done
expect_rc 2 "$EXHUNT"
expect_rc 2 "$EXHUNT" frobnicate
expect_rc 2 "$EXHUNT" scan
expect_rc 2 "$EXHUNT" scan --bogus "$E"
expect_rc 2 "$EXHUNT" scan --jobs 0 "$E"
expect_rc 2 "$EXHUNT" scan --jobs many "$E"
expect_rc 2 "$EXHUNT" scan --since yesterday "$E"
expect_rc 2 "$EXHUNT" scan --since 2021-03-04 --until 2021-03-03 "$E"
expect_rc 2 "$EXHUNT" scan --fail-level severe "$E"
expect_rc 2 "$EXHUNT" scan --format xml "$E"
expect_rc 2 "$EXHUNT" scan "$T/does-not-exist"
mkdir "$T/empty"
expect_rc 2 "$EXHUNT" scan "$T/empty"
grep -q 'no evidence could be read' "$T/err" && ok || bad "empty evidence message"
expect_rc 2 "$EXHUNT" scan -o "$E/W3SVC1/out.txt" "$E"
[ -e "$E/W3SVC1/out.txt" ] && bad "output written inside evidence" || ok
# the evidence itself, or a link to it, is never an output
cp "$E/W3SVC1/u_ex210303.log" "$T/single.log"
expect_rc 2 "$EXHUNT" scan -o "$T/single.log" "$T/single.log"
ln -s "$T/single.log" "$T/link.txt"
expect_rc 2 "$EXHUNT" scan -o "$T/link.txt" "$T/single.log"
cmp -s "$T/single.log" "$E/W3SVC1/u_ex210303.log" && ok || bad "evidence file was overwritten"
expect_rc 0 "$EXHUNT" scan --no-rules -o "$T/out.txt" "$E"
[ -s "$T/out.txt" ] && ok || bad "-o file empty"
expect_rc 0 "$EXHUNT" formats
grep -q 'httpproxy' "$T/out" && grep -q 'cs-uri-stem' "$T/out" && grep -q 'S:CMD' "$T/out" && ok || bad "formats listing"
expect_rc 0 "$EXHUNT" formats --format jsonl
expect_eq "formats jsonl" "$(jq -r 'select(.source=="ecp_server") | .fields | index("S:CMD") > 0' "$T/out")" true
expect_rc 2 "$EXHUNT" formats --format xml

# no colour when piped, even if asked by a terminal-less environment
"$EXHUNT" scan "$E" >"$T/plain.txt"
expect_clean "piped report" "$T/plain.txt"

# the text report states what the evidence covers
grep -q 'ProxyLogon.*compromise before 2021-03-03 cannot be excluded' "$T/plain.txt" && ok || bad "coverage statement"
grep -q 'httpproxy' "$T/plain.txt" && ok || bad "httpproxy group"

# determinism: any --jobs gives the same bytes
"$EXHUNT" dump -q -j 1 "$E" >"$T/j1"; "$EXHUNT" dump -q -j 8 "$E" >"$T/j8"
cmp -s "$T/j1" "$T/j8" && ok || bad "dump differs between -j 1 and -j 8"
expect_eq "records" "$(jq -c 'select(.type=="record")' "$T/j1" | wc -l)" 12
expect_eq "schema line first" "$(head -n 1 "$T/j1")" '{"type":"schema","schema":2,"exhunt":"0.1.0"}'
expect_eq "anchor field" "$(jq -r 'select(.fields.RequestId=="r1") | .fields.AnchorMailbox' "$T/j1")" 'ServerInfo~a]@x:444/mapi/emsmdb/?#'

# time window: since inclusive, until exclusive, counted as outside
"$EXHUNT" scan -q -f jsonl --since 2021-03-03T05:00 --until 2021-03-03T08:00:00 "$E" >"$T/win.jsonl"
expect_eq "window iis records" "$(jq -r 'select(.type=="coverage" and .kind=="iis") | "\(.records) \(.outside_window) \(.first)"' "$T/win.jsonl")" "10 7 2021-03-03T05:00:00.000Z"
"$EXHUNT" dump -q --since 2021-03-03T05:00 --until 2021-03-03T08:00:00 "$E" >"$T/win.dump"
expect_eq "window dump" "$(grep -c '"source":"iis"' "$T/win.dump")" 3

# .gz read transparently, .zip read in place: same records as the plain folder
mkdir -p "$T/gz/W3SVC1" "$T/gz/HttpProxy"
gzip -c "$E/W3SVC1/u_ex210303.log" >"$T/gz/W3SVC1/u_ex210303.log"
gzip -c "$E/HttpProxy/HttpProxy_2021030306-1.LOG" >"$T/gz/HttpProxy/HttpProxy_2021030306-1.LOG.gz"
mv "$T/gz/HttpProxy/HttpProxy_2021030306-1.LOG.gz" "$T/gz/HttpProxy/HttpProxy_2021030306-1.LOG"
"$EXHUNT" dump -q "$T/gz" >"$T/gz.dump"
cmp -s "$T/j1" "$T/gz.dump" && ok || bad "gz records differ"
(cd "$E" && "$MKZIP" "$T/ev.zip" HttpProxy/HttpProxy_2021030306-1.LOG HttpProxy/HttpProxy_2021030306-1.LOG W3SVC1/u_ex210303.log W3SVC1/u_ex210303.log)
"$EXHUNT" dump -q "$T/ev.zip" >"$T/zip.dump"
cmp -s "$T/j1" "$T/zip.dump" && ok || bad "zip records differ"
# a gzip member inside a zip
"$MKZIP" "$T/gzz.zip" "W3SVC1/u_ex210303.log" "$T/gz/W3SVC1/u_ex210303.log"
expect_eq "gz inside zip" "$("$EXHUNT" dump -q "$T/gzz.zip" | grep -c '"source":"iis"')" 10
# a corrupt gzip is unreadable, not a crash
printf '\x1f\x8b\x08\x00garbage' >"$T/gz/W3SVC1/u_ex210304.log"
"$EXHUNT" scan -q --no-rules -f jsonl "$T/gz" >"$T/gzbad.jsonl"; expect_eq "corrupt gz exit" $? 0
expect_eq "corrupt gz counted" "$(jq -r 'select(.type=="summary") | .files_unreadable' "$T/gzbad.jsonl")" 1

# gaps: IIS days with no record (deleted logs) are stated
mkdir -p "$T/gap/W3SVC1"
for d in 01 02 05 09; do
	printf '#Software: Microsoft Internet Information Services 10.0\r\n#Fields: date time c-ip\r\n2021-03-%s 10:00:00 10.0.0.1\r\n' "$d" >"$T/gap/W3SVC1/u_ex2103$d.log"
done
"$EXHUNT" scan -q -f jsonl "$T/gap" >"$T/gap.jsonl"
expect_eq "gap days and ranges" "$(jq -c 'select(.type=="coverage") | [.gap_days, .gaps]' "$T/gap.jsonl")" \
	'[5,[{"from":"2021-03-03","to":"2021-03-04"},{"from":"2021-03-06","to":"2021-03-08"}]]'
"$EXHUNT" scan --no-rules "$T/gap" >"$T/gap.txt"
grep -q 'gap: iis in W3SVC1: no record from 2021-03-03 to 2021-03-04' "$T/gap.txt" && ok || bad "gap line in text"
grep -q '5 whole day(s) without any record in 2 gap(s)' "$T/gap.txt" && ok || bad "gap notice in text"
grep -q 'no detection rules ran' "$T/gap.txt" && ok || bad "no-detection statement"

# several evidence roots: paths carry the root's name
"$EXHUNT" dump -q "$E" "$T/ev.zip" >"$T/two.dump"
expect_eq "two roots" "$(jq -r 'select(.type=="record") | .path' "$T/two.dump" | cut -d/ -f1 | sort -u | tr '\n' ' ')" "ev ev.zip "

# a finding quoting two .decoded fields shows each field's own value (they are decoded
# one at a time into one scratch buffer: each is copied out before the next)
mkdir -p "$T/dec"
printf '#Software: Microsoft Internet Information Services 10.0\r\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status\r\n2021-03-03 06:49:42 10.0.0.5 GET /a%%41 q=b%%42 443 - 192.0.2.7 Mozilla%%2F5 200\r\n' >"$T/dec/u_ex210303.log"
cat >"$T/dec.yml" <<'YML'
title: two decoded fields
id: 5f0e5d5c-3b9e-4c3e-9d4e-1a2b3c4d5e6f
logsource:
  category: webserver
detection:
  sel:
    cs-uri-stem.decoded|contains: '/aA'
    cs-user-agent.decoded|contains: 'Mozilla/5'
  condition: sel
level: high
YML
"$EXHUNT" scan -q --rules-only --rules "$T/dec.yml" -f jsonl "$T/dec" >"$T/dec.jsonl"
expect_eq "first decoded field" "$(jq -r 'select(.type=="finding") | .fields["cs-uri-stem.decoded"]' "$T/dec.jsonl")" "/aA"
expect_eq "second decoded field" "$(jq -r 'select(.type=="finding") | .fields["cs-user-agent.decoded"]' "$T/dec.jsonl")" "Mozilla/5"
finish
