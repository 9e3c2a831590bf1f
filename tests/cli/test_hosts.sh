# Hosts and verdicts: a folder of collections is one host each, named by the collector's
# metadata (Velociraptor, KAPE), by --host or by the folder; every finding and coverage
# group names its host; a clean host is NO EVIDENCE (exit 0, its limited coverage said),
# a host with an unreadable folder (scanned as an unprivileged user) or a truncated log is
# INCOMPLETE (exit 3, stderr naming what was not read); a lone log file is named from its
# records; one finding per evidence record.
. "$(dirname "$0")/lib.sh"
E=$XH_SRC/examples/collection
F="$T/fleet"
mkdir -p "$F"

# four collections: the sample as a copied tree, a KAPE and a Velociraptor collection of
# clean traffic (their metadata name the server), a clean copied tree
cp -r "$E" "$F/EXCH01"
expect_rc 0 "$EXGEN" --seed 2 --start 2021-02-15 --days 7 --only iis --layout kape "$F/kape-export"
expect_rc 0 "$EXGEN" --seed 3 --start 2021-02-15 --days 7 --only iis --layout velociraptor "$F/F.CBE55C4D976010"
sed -i 's/"hostname":"EXCH01"/"hostname":"MAIL-VR-03"/' "$F/F.CBE55C4D976010/collection_context.json"
sed -i 's/Machine name: EXCH01,/Machine name: MAIL-KP-02,/' "$F/kape-export/"*_ConsoleLog.txt
expect_rc 0 "$EXGEN" --seed 4 --start 2021-02-15 --days 7 --only iis "$F/clean-04"

"$EXHUNT" scan -q -f jsonl "$F" >"$T/fleet.jsonl" 2>"$T/fleet.err"; rc=$?
expect_eq "fleet exit: a compromised host" "$rc" 1
v() { jq -r 'select(.type=="verdict" and .host != null) | "\(.host)=\(.verdict)/\(.named_by)"' "$1" | sort | tr '\n' ' '; }
expect_eq "one verdict per host" "$(v "$T/fleet.jsonl")" \
	"EXCH01=COMPROMISED/folder name MAIL-KP-02=NO EVIDENCE/KAPE console log MAIL-VR-03=NO EVIDENCE/Velociraptor client info clean-04=NO EVIDENCE/folder name "
expect_eq "fleet line" "$(jq -r 'select(.type=="verdict" and .host == null) | "\(.verdict) \(.hosts) \(.hosts_by_verdict.COMPROMISED) \(.hosts_by_verdict["NO EVIDENCE"])"' "$T/fleet.jsonl")" \
	"COMPROMISED 4 1 3"
expect_eq "no finding without a host" "$(jq -r 'select(.type=="finding" and (.host == null or .host == "")) | .rule_id' "$T/fleet.jsonl" | wc -l)" 0
expect_eq "no coverage group without a host" "$(jq -r 'select(.type=="coverage" and .host == null) | .kind' "$T/fleet.jsonl" | wc -l)" 0
expect_eq "findings only of the compromised host" "$(jq -r 'select(.type=="finding" and .level != "informational") | .host' "$T/fleet.jsonl" | sort -u | tr '\n' ' ')" "EXCH01 "
# one finding per evidence record: no (path, line) twice among log findings
expect_eq "one finding per record" \
	"$(jq -r 'select(.type=="finding" and .source.kind != "file" and .source.kind != "build") | "\(.source.path):\(.source.line)"' "$T/fleet.jsonl" | sort | uniq -d | wc -l)" 0
expect_eq "clean host: limited coverage said" \
	"$(jq -r 'select(.type=="verdict" and .host == "clean-04") | .reason' "$T/fleet.jsonl" | grep -c 'limited coverage: exposed to ProxyLogon (build unknown) from 2020-09-01, the web logs start 2021-02-15')" 1
# the text report: the fleet table, one row per host
"$EXHUNT" scan -q --no-color "$F" >"$T/fleet.txt"
expect_eq "HOSTS table" "$(sed -n '/^HOSTS/,/^$/p' "$T/fleet.txt" | awk 'NR > 2 && NF {print $1, $2}' | sort | tr '\n' ' ')" \
	"EXCH01 COMPROMISED MAIL-KP-02 NO MAIL-VR-03 NO clean-04 NO "
# --host names a collection by its path
"$EXHUNT" scan -q -f jsonl --host web-7="$F/clean-04" "$F" >"$T/named.jsonl"
expect_eq "--host" "$(jq -r 'select(.type=="verdict" and .host == "web-7") | .named_by' "$T/named.jsonl")" "--host"
expect_rc 2 "$EXHUNT" scan -q --host x="$F/nowhere" "$F"
grep -q 'no collection of the evidence is at this path' "$T/err" && ok || bad "--host to nowhere: $(cat "$T/err")"
# the sample is named by its folder, and its records name EXCH01: said, not hidden
expect_eq "name checked against the records" \
	"$(jq -r 'select(.type=="verdict" and .host == "collection") | "\(.names_seen | join(",")) \(.name_differs)"' <("$EXHUNT" scan -q -f jsonl "$E"))" "EXCH01 true"

# a clean host: exit 0
expect_rc 0 "$EXHUNT" scan -q "$F/clean-04"

# Microsoft's mitigation rules in a site's web.config are the host's mitigation, with when
M="$T/mitigated"
cp -r "$F/clean-04" "$M"
mkdir -p "$M/C/inetpub/wwwroot"
cat >"$M/C/inetpub/wwwroot/web.config" <<'XML'
<configuration><system.webServer><rewrite><rules>
<rule name="PowerShell - inbound" stopProcessing="true"><match url=".*" />
<conditions><add input="{UrlDecode:{REQUEST_URI}}" pattern="(?=.*autodiscover)(?=.*powershell)" /></conditions>
<action type="AbortRequest" /></rule>
</rules></rewrite></system.webServer></configuration>
XML
touch -d 2021-02-16T08:00:00Z "$M/C/inetpub/wwwroot/web.config"
expect_eq "mitigation seen, with its file time" \
	"$(jq -r 'select(.type=="verdict" and .host != null) | .mitigation' <("$EXHUNT" scan -q -f jsonl "$M"))" \
	"ProxyNotShell mitigation present since 2021-02-16"

# the same clean host with one log folder unreadable, scanned as an unprivileged user:
# INCOMPLETE, exit 3, stderr names the folder
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	U="$T/unread"
	cp -r "$F/clean-04" "$U"
	chmod -R a+rX "$T"
	chmod 000 "$U/C/inetpub/logs/LogFiles/W3SVC2"
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$EXHUNT" scan -q -f jsonl "$U" >"$T/unread.jsonl" 2>"$T/unread.err"; rc=$?
	expect_eq "unreadable folder: exit 3" "$rc" 3
	expect_eq "unreadable folder: INCOMPLETE" "$(jq -r 'select(.type=="verdict" and .host != null) | .verdict' "$T/unread.jsonl")" INCOMPLETE
	grep -q 'host unread is INCOMPLETE' "$T/unread.err" && ok || bad "stderr does not say INCOMPLETE: $(head -c 300 "$T/unread.err")"
	grep -q 'unreadable: C/inetpub/logs/LogFiles/W3SVC2: folder cannot be opened' "$T/unread.err" && ok || bad "stderr does not name the folder: $(cat "$T/unread.err")"
	chmod 755 "$U/C/inetpub/logs/LogFiles/W3SVC2"
else
	echo "note: not root or no setpriv: the unprivileged-user case is not run"
fi

# a truncated (corrupt) log: INCOMPLETE, exit 3
C="$T/corrupt"
cp -r "$F/clean-04" "$C"
g="$C/C/inetpub/logs/LogFiles/W3SVC1/u_ex210216.log"
gzip "$g" && head -c 2000 "$g.gz" >"$g.cut.gz" && rm "$g.gz"
"$EXHUNT" scan -q -f jsonl "$C" >"$T/corrupt.jsonl" 2>"$T/corrupt.err"; rc=$?
expect_eq "corrupt log: exit 3" "$rc" 3
expect_eq "corrupt log: INCOMPLETE" "$(jq -r 'select(.type=="verdict" and .host != null) | .verdict' "$T/corrupt.jsonl")" INCOMPLETE
grep -q 'unreadable: C/inetpub/logs/LogFiles/W3SVC1/u_ex210216.log.cut.gz' "$T/corrupt.err" && ok || bad "corrupt file not named: $(cat "$T/corrupt.err")"

# a lone log file is one host, named from the server its records name, else "unknown"
cp "$(find "$E" -name 'HttpProxy_*.LOG' | sort | head -1)" "$T/lone.LOG"
expect_eq "lone file named from its records" \
	"$(jq -r 'select(.type=="verdict" and .host != null) | "\(.host) \(.named_by)"' <("$EXHUNT" scan -q -f jsonl "$T/lone.LOG"))" "EXCH01 log content"
cp "$F/clean-04/C/inetpub/logs/LogFiles/W3SVC1/u_ex210215.log" "$T/lone.log"
expect_eq "lone file without a server name" \
	"$(jq -r 'select(.type=="verdict" and .host != null) | "\(.host) \(.named_by)"' <("$EXHUNT" scan -q -f jsonl "$T/lone.log"))" "unknown unknown"
finish
