# exhunt probe against mock Exchange servers on loopback (tests/probe/mockex.py, HTTPS
# with a self-signed certificate made here, and plain HTTP), which RECORD every
# connection and byte they receive. Checked: verdicts per persona (full-build header,
# CU-only paths, export-tool manifest, no version, Exchange 2010, patched, not
# Exchange); the exact requests sent (same bytes as --dry-run prints, GET only, no
# cookie, credential or body); timeouts and retries on a server that never answers;
# garbage answers (huge headers, invalid status line, binary, TLS cut mid-handshake,
# endless body); redirect loops and off-site redirects; self-signed certificates with
# and without --verify-tls; excluded addresses (CIDR expansion into loopback, --exclude,
# --exclude-file, a name resolving to loopback) never contacted; escaping of hostile
# server bytes; shards, seeds, --resume, --max-hosts and the rate limit.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null && command -v openssl >/dev/null || { echo "SKIP: python3 or openssl missing"; exit 77; }
MOCK="$XH_SRC/tests/probe/mockex.py"
P=(--timeout 1 --connect-timeout 1 --retries 0 --rate 0 -q)
VER=$("$EXHUNT" --version | cut -d' ' -f2)

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=exhunt-mock \
	-keyout "$T/key.pem" -out "$T/cert.pem" >/dev/null 2>&1 || { bad "openssl could not make a certificate"; finish; exit 1; }
V6=
python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null && V6="six:full:tls@::1"
python3 "$MOCK" --ready "$T/ready.json" --record "$T/rec.jsonl" --cert "$T/cert.pem" --key "$T/key.pem" --servers \
	full:full:tls cu:cu:tls tool:cu_tool nover:nover notex:notex patched:patched:tls ex2010:ex2010 \
	silent:silent huge:hugehdr badst:badstatus binary:binary tlscut:tlscut:tls loop:loop:tls offsite:offsite \
	endless:endless hostile:hostile canary:notex canary2:notex@127.0.0.2 $V6 &
MOCK_PID=$!
trap 'kill $MOCK_PID 2>/dev/null; wait $MOCK_PID 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 1 100); do [ -f "$T/ready.json" ] && break; sleep 0.1; done
[ -f "$T/ready.json" ] || { bad "mock server did not start"; finish; exit 1; }
port() { jq -r ".$1" "$T/ready.json"; }
url() { echo "$2://127.0.0.1:$(port "$1")/"; }
# events the mock recorded for a server: connect | data | close
events() { jq -r --arg s "$1" --arg e "$2" 'select(.server==$s and .event==$e) | .conn' "$T/rec.jsonl" 2>/dev/null | wc -l; }
# waits (at most 5 s) until the mock has recorded at least N such events
wait_events() { for _ in $(seq 1 50); do [ "$(events "$1" "$2")" -ge "$3" ] && return; sleep 0.1; done; }
# a field of the probe record for a port
field() { jq -r --argjson p "$(port "$1")" "select(.type==\"probe\" and .port==\$p) | $2" "$T/all.jsonl"; }

# ---- every persona in one run -----------------------------------------------------------
TARGETS=("$(url full https)" "$(url cu https)" "$(url tool http)" "$(url nover http)" "$(url notex http)"
	"$(url patched https)" "$(url ex2010 http)" "$(url silent http)" "$(url huge http)" "$(url badst http)"
	"$(url binary http)" "$(url tlscut https)" "$(url loop https)" "$(url offsite http)" "$(url endless http)"
	"$(url hostile http)")
"$EXHUNT" probe -f jsonl "${P[@]}" "${TARGETS[@]}" >"$T/all.jsonl" 2>"$T/all.err"
expect_eq "exit 1 when a host is vulnerable" $? 1
jq -c . "$T/all.jsonl" >/dev/null 2>&1 && ok || bad "jsonl invalid"
expect_clean "jsonl output" "$T/all.jsonl"
expect_eq "one record per target" "$(jq -r 'select(.type=="probe") | .port' "$T/all.jsonl" | sort -u | wc -l)" 16
expect_eq "full: verdict" "$(field full '.exposure')" vulnerable
expect_eq "full: build" "$(field full '[.build, .build_source, .precision, .product, .cu, .tls, .status] | join(" ")')" \
	"15.1.2176.2 x-owa-version full Exchange Server 2016 CU19 true 200"
expect_eq "full: ProxyLogon open" "$(field full '.cves[] | select(.cve=="CVE-2021-26855") | .state')" vulnerable
expect_eq "full: reason given" "$(field full '.cves[] | select(.cve=="CVE-2021-26855") | .why')" \
	"below Mar21SU (KB5000871) 15.1.2176.9 on this CU"
expect_eq "full: why Exchange" "$(field full '.why | join(",")')" \
	"x-owa-version header,owa resource path,owa logon form,redirect to owa logon page,x-feserver header"
expect_eq "full: front end named" "$(field full '.fe_server')" EXCH01
expect_eq "full: one redirect, no export-tool request" "$(field full '.requests')" 2
expect_eq "cu: CU only, cannot tell" "$(field cu '[.build, .build_source, .precision, .exposure] | join(" ")')" \
	"15.2.2562 owa-path cu cannot_tell"
expect_eq "cu: export tool asked" "$(field cu '.export_tool_status')" 404
expect_eq "cu: update not visible" "$(field cu '.cves[] | select(.cve=="CVE-2026-42897") | .state')" cannot_tell
expect_eq "tool: manifest pins the build" "$(field tool '[.build, .build_source, .precision] | join(" ")')" \
	"15.2.1118.20 ecp-exporttool full"
expect_eq "tool: ProxyNotShell fixed" "$(field tool '.cves[] | select(.cve=="CVE-2022-41040") | .state')" fixed
expect_eq "nover: Exchange without build" "$(field nover '[.exchange, .exposure, (.cves | length)] | join(" ")')" "true no_build 0"
expect_eq "notex" "$(field notex '[.exchange, .exposure, .status, .requests] | join(" ")')" "false not_exchange 404 1"
expect_eq "patched" "$(field patched '[.build, .exposure] | join(" ")')" "15.2.2562.46 fixed"
expect_eq "2010 full path" "$(field ex2010 '[.build, .precision, .product] | join(" ")')" "14.3.513.0 full Exchange Server 2010"
expect_eq "silent: timeout" "$(field silent '.error')" timeout
expect_eq "huge headers" "$(field huge '[.error, .error_text] | join(": ")')" "bad_response: response headers over 32768 bytes"
expect_eq "invalid status line" "$(field badst '.error')" bad_response
expect_eq "binary answer" "$(field binary '.error')" bad_response
expect_eq "TLS cut" "$(field tlscut '[.error, .tls] | join(" ")')" "tls false"
expect_eq "redirect loop" "$(field loop '[.error, .requests] | join(" ")')" "redirect 4"
expect_eq "off-site redirect not followed" "$(field offsite '[.redirect_not_followed, .requests, .exposure] | join(" ")')" \
	"https://elsewhere.invalid/owa/auth/x.aspx 1 not_exchange"
expect_eq "endless body cut, page read" "$(field endless '[.build, .error] | join(" ")')" "15.1.2106 "
expect_eq "hostile header escaped" "$(field hostile '.fe_server')" "$(printf 'EVIL\033[2J\033]0;pwned\007\302\23331m')"
expect_eq "summary verdicts" "$(jq -r 'select(.type=="probe_summary") | .exposure | [.vulnerable,.cannot_tell,.fixed,.no_build,.not_exchange,.error] | join(" ")' "$T/all.jsonl")" \
	"3 1 2 2 2 6"
expect_eq "summary per CVE" "$(jq -r 'select(.type=="probe_summary") | .cves[] | select(.cve=="CVE-2021-26855") | [.vulnerable,.fixed,.cannot_tell,.not_affected] | join(" ")' "$T/all.jsonl")" \
	"1 3 1 1"
grep -q 'ERROR: AddressSanitizer\|runtime error' "$T/all.err" && bad "sanitizer report" || ok

# ---- what was sent: GET only, three headers, exactly what --dry-run prints ----------------
python3 - "$T/rec.jsonl" "$VER" >"$T/sent.txt" <<'EOF' || bad "requests: $(cat "$T/sent.txt")"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
by = {}
for e in ev:
    if e["event"] == "data":
        by.setdefault((e["server"], e["conn"]), b"")
        by[(e["server"], e["conn"])] += bytes.fromhex(e["hex"])
allowed = {"/owa/", "/owa/a", "/owa/b", "/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application"}
bad = 0
for (srv, conn), data in sorted(by.items()):
    if srv == "tlscut":
        continue  # raw TLS ClientHello
    reqs = data.split(b"\r\n\r\n")
    if reqs[-1] != b"":
        print("%s: bytes after the last request head (a body?)" % srv); bad = 1
    for r in reqs[:-1]:
        lines = r.decode("latin-1").split("\r\n")
        m, path, ver = lines[0].split(" ")
        names = [l.split(":", 1)[0] for l in lines[1:]]
        ua = [l.split(": ", 1)[1] for l in lines[1:] if l.startswith("User-Agent:")]
        if m != "GET" or ver != "HTTP/1.1" or names != ["Host", "User-Agent", "Accept"] or ua != ["exhunt/" + sys.argv[2]]:
            print("%s: unexpected request %r" % (srv, r)); bad = 1
        if path.split("?")[0] not in allowed and not path.startswith("/owa/auth/logon.aspx?url="):
            print("%s: unexpected path %s" % (srv, path)); bad = 1
    print(srv, len(reqs) - 1)
sys.exit(bad)
EOF
"$EXHUNT" probe --dry-run "$(url tool http)" | grep -v '^#' | sed 's/$/\r/' >"$T/dry.txt"
python3 - "$T/rec.jsonl" "$T/dry.txt" <<'EOF' && ok || bad "tool: the bytes received differ from --dry-run"
import json, sys
got = b"".join(bytes.fromhex(e["hex"]) for e in map(json.loads, open(sys.argv[1])) if e["server"] == "tool" and e["event"] == "data")
want = open(sys.argv[2], "rb").read()
sys.exit(0 if got == want else 1)
EOF
n=$(wc -l <"$T/rec.jsonl")
"$EXHUNT" probe --dry-run "${TARGETS[@]}" >"$T/dry-all.txt"; expect_eq "dry-run exit" $? 0
sleep 0.2
expect_eq "dry-run sends nothing" "$(wc -l <"$T/rec.jsonl")" "$n"
expect_eq "dry-run lists every target" "$(grep -c '^# target' "$T/dry-all.txt")" 16

# ---- timeouts, retries, certificates ---------------------------------------------------------
before=$(events silent connect)
start=$(date +%s.%N)
"$EXHUNT" probe -f jsonl --timeout 0.5 --retries 1 --rate 0 -q "$(url silent http)" >"$T/silent.jsonl"
el=$(echo "$(date +%s.%N) - $start" | bc)
expect_eq "retry after timeout: two requests" "$(jq -r 'select(.type=="probe") | [.error, .requests] | join(" ")' "$T/silent.jsonl")" "timeout 2"
wait_events silent connect $((before + 2))
expect_eq "retry opened a second connection" "$(( $(events silent connect) - before ))" 2
[ "$(echo "$el >= 0.9 && $el < 5" | bc)" = 1 ] && ok || bad "two 0.5 s timeouts took $el s"
"$EXHUNT" probe -f jsonl "${P[@]}" --verify-tls "$(url full https)" >"$T/verify.jsonl"
expect_eq "--verify-tls refuses the self-signed certificate" "$(jq -r 'select(.type=="probe") | .error' "$T/verify.jsonl")" tls

# ---- scope: excluded addresses are never contacted --------------------------------------------
C=$(port canary); C2=$(port canary2)
printf '# do not scan\n127.0.0.2   # the second canary\n' >"$T/excl.txt"
"$EXHUNT" probe -f jsonl "${P[@]}" --ports "http:$C" 127.0.0.0/30 >"$T/x1.jsonl"
expect_eq "CIDR into loopback: all excluded" "$(jq -r 'select(.type=="probe_summary") | [.probed, .excluded] | join(" ")' "$T/x1.jsonl")" "0 4"
expect_eq "CIDR into loopback: no record" "$(jq -r 'select(.type=="probe")' "$T/x1.jsonl" | wc -c)" 0
"$EXHUNT" probe -f jsonl "${P[@]}" --exclude 127.0.0.1 "127.0.0.1:$C" >"$T/x2.jsonl"
expect_eq "--exclude wins over an exact target" "$(jq -r 'select(.type=="probe") | [.error, .requests] | join(" ")' "$T/x2.jsonl")" "excluded 0"
"$EXHUNT" probe -f jsonl "${P[@]}" --exclude-file "$T/excl.txt" "http://127.0.0.2:$C2/" >"$T/x3.jsonl"
expect_eq "--exclude-file" "$(jq -r 'select(.type=="probe") | .error' "$T/x3.jsonl")" excluded
"$EXHUNT" probe -f jsonl "${P[@]}" "localhost:$C" >"$T/x4.jsonl"
expect_eq "a name resolving to loopback is refused at connect" "$(jq -r 'select(.type=="probe") | [.error, .requests] | join(" ")' "$T/x4.jsonl")" "excluded 1"
"$EXHUNT" probe -f jsonl "${P[@]}" --exclude 127.0.0.0/8 "http://127.0.0.1:$C/" >"$T/x5.jsonl"
expect_eq "--exclude CIDR" "$(jq -r 'select(.type=="probe") | .error' "$T/x5.jsonl")" excluded
sleep 0.2
expect_eq "canary never contacted" "$(events canary connect)" 0
expect_eq "canary2 never contacted" "$(events canary2 connect)" 0
"$EXHUNT" probe -f jsonl "${P[@]}" "http://127.0.0.1:$C/" "http://127.0.0.2:$C2/" >"$T/x6.jsonl"
wait_events canary connect 1
wait_events canary2 connect 1
sleep 0.3
# exactly one each: the control run's; any contact by the runs above would show here too
expect_eq "control: canaries reachable when not excluded, and only then" "$(events canary connect) $(events canary2 connect)" "1 1"
expect_eq "control: second canary is probed (exact 127.0.0.2)" "$(jq -r 'select(.type=="probe") | .exposure' "$T/x6.jsonl" | sort -u)" not_exchange
if [ -n "$V6" ]; then
	S=$(port six)
	"$EXHUNT" probe -f jsonl "${P[@]}" "https://[::1]:$S/" "[::1]:$S" >"$T/v6.jsonl"
	expect_eq "IPv6 exact target" "$(jq -r 'select(.type=="probe") | [.target, .address, .build] | join(" ")' "$T/v6.jsonl" | sort -u)" "::1 ::1 15.1.2176.2"
	n6=$(events six connect)
	"$EXHUNT" probe -f jsonl "${P[@]}" --ports "$S" ::1/128 >"$T/v6r.jsonl"
	expect_eq "IPv6 range into loopback excluded" "$(jq -r 'select(.type=="probe_summary") | [.probed, .excluded] | join(" ")' "$T/v6r.jsonl")" "0 1"
	sleep 0.2
	expect_eq "IPv6 range: not contacted" "$(events six connect)" "$n6"
fi

# ---- output escaping: hostile bytes in text and CSV -----------------------------------------------
"$EXHUNT" probe "${P[@]}" --no-color "$(url hostile http)" >"$T/hostile.txt"
expect_clean "text output" "$T/hostile.txt"
grep -q 'front end EVIL\\x1b\[2J' "$T/hostile.txt" && ok || bad "text: escaped front end missing"
"$EXHUNT" probe -f csv "${P[@]}" "$(url hostile http)" "$(url full https)" >"$T/out.csv"
expect_clean "csv output" "$T/out.csv"
expect_eq "csv rows" "$(wc -l <"$T/out.csv")" 3
head -1 "$T/out.csv" | grep -q '"CVE-2021-26855","CVE-2021-26855 why"' && ok || bad "csv CVE columns"
grep -q '"15.1.2176.2","x-owa-version","full","Exchange Server 2016","CU19"' "$T/out.csv" && ok || bad "csv build columns"
grep -q 'hosts per verdict' "$T/hostile.txt" && ok || bad "text summary"

# ---- order, shards, resume, max-hosts, rate ----------------------------------------------------------
"$EXHUNT" probe --dry-run --seed 5 10.9.8.0/24 | sed -n 's/^# target \([^ ]*\) .*/\1/p' >"$T/s0"
"$EXHUNT" probe --dry-run --seed 5 10.9.8.0/24 | sed -n 's/^# target \([^ ]*\) .*/\1/p' >"$T/s0b"
"$EXHUNT" probe --dry-run --seed 6 10.9.8.0/24 | sed -n 's/^# target \([^ ]*\) .*/\1/p' >"$T/s0c"
cmp -s "$T/s0" "$T/s0b" && ok || bad "same seed, same order"
cmp -s "$T/s0" "$T/s0c" && bad "another seed gives the same order" || ok
expect_eq "every address once" "$(sort -u "$T/s0" | wc -l) $(wc -l <"$T/s0")" "256 256"
sort -V "$T/s0" | head -c 2000 | cmp -s - <(printf '10.9.8.%d:443\n' $(seq 0 255) | head -c 2000) && ok || bad "the order covers 10.9.8.0-255"
cmp -s "$T/s0" <(sort -V "$T/s0") && bad "the order is not shuffled" || ok
for k in 1 2 3; do "$EXHUNT" probe --dry-run --seed 5 --shard $k/3 10.9.8.0/24 | sed -n 's/^# target \([^ ]*\) .*/\1/p'; done >"$T/shards"
expect_eq "shards partition the space" "$(sort "$T/shards" | uniq | wc -l) $(wc -l <"$T/shards")" "256 256"
cmp -s <(sort "$T/shards") <(sort "$T/s0") && ok || bad "shards cover the same addresses"
expect_eq "--max-hosts in a dry run" "$("$EXHUNT" probe --dry-run --max-hosts 10 10.9.8.0/24 | grep -c '^# target')" 10
RT=()
for n in canary nover notex ex2010 tool; do RT+=("$(url $n http)"); done
"$EXHUNT" probe -f jsonl "${P[@]}" --resume "$T/state" --max-hosts 2 -o "$T/res.jsonl" "${RT[@]}"
expect_eq "resume point after 2" "$(sed -n 's/^done //p' "$T/state")" 2
"$EXHUNT" probe -f jsonl "${P[@]}" --resume "$T/state" -o "$T/res.jsonl" "${RT[@]}"
expect_eq "resume point at the end" "$(sed -n 's/^done //p' "$T/state")" 5
expect_eq "resumed runs probe each target once" "$(jq -r 'select(.type=="probe") | .port' "$T/res.jsonl" | sort | uniq | wc -l) $(jq -r 'select(.type=="probe") | .port' "$T/res.jsonl" | wc -l)" "5 5"
expect_rc 2 "$EXHUNT" probe "${P[@]}" --resume "$T/state" --seed 9 "${RT[@]}"
grep -q 'not a resume file of this scan' "$T/err" && ok || bad "resume with other parameters refused"
SAME=()
for _ in $(seq 1 12); do SAME+=("$(url notex http)"); done
start=$(date +%s.%N)
"$EXHUNT" probe -q --timeout 2 --rate 10 -f jsonl "${SAME[@]}" >"$T/rate.jsonl"
el=$(echo "$(date +%s.%N) - $start" | bc)
expect_eq "rate run probed all" "$(jq -r 'select(.type=="probe_summary") | .requests' "$T/rate.jsonl")" 12
# one token to start, then 11 at 10/s: at least 1.1 s
[ "$(echo "$el >= 1.05" | bc)" = 1 ] && ok || bad "12 requests at --rate 10 took only $el s"
start=$(date +%s.%N)
"$EXHUNT" probe -q --rate 0 -f jsonl "${SAME[@]}" >/dev/null
el=$(echo "$(date +%s.%N) - $start" | bc)
[ "$(echo "$el < 1.0" | bc)" = 1 ] && ok || bad "12 requests without a rate limit took $el s (the limit is not what slows the run above)"

# ---- usage --------------------------------------------------------------------------------------------
expect_rc 0 "$EXHUNT" help probe
grep -q 'examples:' "$T/out" && ok || bad "help has examples"
expect_rc 0 "$EXHUNT" probe --help
expect_rc 2 "$EXHUNT" probe
for badarg in "https://admin:pw@mail.example.org/" 10.0.0.0/33 2001:db8::/64 "ftp://x.example/" "a b" 1.2.3 "x.example:0"; do
	expect_rc 2 "$EXHUNT" probe --dry-run "$badarg"
done
grep -q 'neither an address nor a host name' "$T/err" || grep -q 'bad port' "$T/err" && ok || bad "usage message"
expect_rc 2 "$EXHUNT" probe --shard 0/2 10.0.0.1
expect_rc 2 "$EXHUNT" probe --format xml 10.0.0.1
expect_rc 2 "$EXHUNT" probe --ports 70000 10.0.0.1
expect_rc 2 "$EXHUNT" probe --concurrency 0 10.0.0.1
expect_rc 2 "$EXHUNT" probe -iL "$T/missing.txt"
printf '10.1.1.1\nnot a target\n' >"$T/bad-list.txt"
expect_rc 2 "$EXHUNT" probe --dry-run -iL "$T/bad-list.txt"
grep -q 'line 2' "$T/err" && ok || bad "list error names the line"
finish
