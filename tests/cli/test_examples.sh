# The bundled sample evidence and its generator: the committed collection is what
# exgen writes (byte for byte); every log's records + bad records equal the data lines
# the generator's manifest lists; the same collection read as a Velociraptor or KAPE
# layout, or as a .zip, gives the same records with the same server paths (origin).
. "$(dirname "$0")/lib.sh"
EX="$XH_SRC/examples"

expect_rc 0 "$EXGEN" --seed 1 --manifest "$T/manifest.json" "$T/tree"
find "$T/tree" -type d -empty -delete  # git keeps no empty folder (aspnet_client/system_web/4_0_30319)
diff -r -q "$EX/collection" "$T/tree" >"$T/diff" && ok || bad "examples/collection differs from exgen output: $(head -3 "$T/diff")"
cmp -s "$EX/manifest.json" "$T/manifest.json" && ok || bad "examples/manifest.json differs"

"$EXHUNT" dump -q "$EX/collection" >"$T/dump.jsonl"; expect_eq "dump exit" $? 0
jq -c . "$T/dump.jsonl" >/dev/null 2>&1; expect_eq "valid JSON Lines" $? 0
jq -r 'select(.type=="record") | .path' "$T/dump.jsonl" | sort | uniq -c | sed -E 's/^ *([0-9]+) (.*)$/\2\t\1/' >"$T/got"
jq -r '.logs[] | select(.data_lines > 0) | "\(.path)\t\(.data_lines)"' "$EX/manifest.json" | sort >"$T/want"
diff "$T/got" "$T/want" >"$T/d" && ok || bad "records per log differ from the manifest: $(head -4 "$T/d")"
expect_eq "no bad record" "$(grep -c '"bad":' "$T/dump.jsonl")" 0
expect_eq "kinds" "$(jq -r 'select(.type=="record") | .source' "$T/dump.jsonl" | sort -u | tr '\n' ' ')" "ecp_server httpproxy iis oabgen rps_cmdlet "

# attack lines are where the manifest says, with the fields parsed
n=$(jq '.attack.timeline | length' "$EX/manifest.json")
[ "$n" -ge 20 ] && ok || bad "manifest lists $n attack events"
jq -r '.attack.timeline[] | select(.file and .stage != "patch") | "\(.file) \(.line)"' "$EX/manifest.json" | sort -u >"$T/atk"
jq -r '"\(.path) \(.line)"' "$T/dump.jsonl" | sort -u >"$T/all"
expect_eq "every attack line is a record" "$(comm -23 "$T/atk" "$T/all" | wc -l)" 0
expect_eq "SSRF anchor parsed" \
	"$(jq -r 'select(.source=="httpproxy" and (.fields.AnchorMailbox // "" | test("proxyLogon.ecp"))) | .fields.HttpStatus' "$T/dump.jsonl")" 241
expect_eq "ECP S:CMD split and unquoted" \
	"$(jq -r 'select(.source=="ecp_server") | .fields["S:CMD"] // empty' "$T/dump.jsonl" | grep -c "^Set-OabVirtualDirectory.ExternalUrl='http://f/<script language=\"JScript\" runat=\"server\">")" 1
expect_eq "IIS user agent keeps +" \
	"$(jq -r 'select(.source=="iis" and .fields["cs-uri-stem"]=="/owa/auth/Current/themes/resources/logon.css" and .fields["cs-method"]=="POST") | .fields["cs(User-Agent)"]' "$T/dump.jsonl" | head -1)" \
	"Mozilla/5.0+(compatible;+Baiduspider/2.0;++http://www.baidu.com/search/spider.html)"
expect_eq "mid-file #Fields change mapped" \
	"$(jq -r 'select(.source=="iis" and .fields["cs-host"] != null) | .fields | length' "$T/dump.jsonl" | sort -u)" 18

expect_eq "#Version captured, changes with the patch" \
	"$(jq -r 'select(.source=="httpproxy") | .header.version' "$T/dump.jsonl" | sort -u | tr '\n' ' ')" "15.01.2176.002 15.01.2176.009 "
expect_eq "#Log-type captured" "$(jq -r 'select(.source=="ecp_server") | .header.log_type' "$T/dump.jsonl" | sort -u)" "ECP Server Log"

# layouts: same records (path aside), same origin
jq -c 'select(.type=="record") | del(.path, .offset)' "$T/dump.jsonl" | sort >"$T/tree.norm"
for layout in kape velociraptor; do
	expect_rc 0 "$EXGEN" --seed 1 --layout "$layout" "$T/$layout"
	# only the server's files: the layouts add their own notes (KAPE console log, ...)
	"$EXHUNT" dump -q "$T/$layout" | jq -c 'select(.origin != null) | del(.path, .offset)' | sort >"$T/$layout.norm"
	cmp -s "$T/tree.norm" "$T/$layout.norm" && ok || bad "$layout layout gives other records: $(diff "$T/tree.norm" "$T/$layout.norm" | head -2)"
done
expect_eq "velociraptor origin" "$(jq -r 'select(.line==5) | .origin' "$T/dump.jsonl" | grep -c '^C:\\inetpub\\logs\\LogFiles\\W3SVC1\\u_ex210215.log$')" 1

# a zip of the collection: the same records as the folder
(cd "$EX/collection" && zip -q -r -X "$T/collection.zip" .)
"$EXHUNT" dump -q "$T/collection.zip" | jq -c . | sort >"$T/zip.sorted"
jq -c . "$T/dump.jsonl" | sort >"$T/dir.sorted"
cmp -s "$T/zip.sorted" "$T/dir.sorted" && ok || bad "zip records differ from folder: $(diff "$T/zip.sorted" "$T/dir.sorted" | head -2)"

# build periods: 15.1.2176.2 until the March 2021 update, then 15.1.2176.9
"$EXHUNT" scan -q -f jsonl "$EX/collection" >"$T/scan.jsonl"
expect_eq "build periods" "$(jq -r 'select(.rule_id=="EXH-BUILD") | "\(.fields.build) \(.time) \(.fields.last_seen // "-")"' "$T/scan.jsonl" | tr '\n' '|')" \
	"15.1.2176.2 2021-02-15T01:43:17.001Z 2021-03-05T20:11:57.684Z|15.1.2176.9 2021-03-06T01:16:24.715Z 2021-03-14T21:30:05.461Z|15.1.2176 null -|"
expect_eq "open during the intrusion" "$(jq -r 'select(.rule_id=="EXH-BUILD" and .fields.build=="15.1.2176.2") | .tags | index("cve.2021-26855") != null' "$T/scan.jsonl")" true
expect_eq "fixed after the update" "$(jq -r 'select(.rule_id=="EXH-BUILD" and .fields.build=="15.1.2176.9") | .tags | index("cve.2021-26855") == null' "$T/scan.jsonl")" true

# SigmaHQ's HAFNIUM webserver rule runs on the IIS records (cs-uri-query = stem?query)
if [ -d "$SHARED/data/sigma/rules-emerging-threats" ]; then
	"$EXHUNT" scan -q -f jsonl --no-files --rules-only --rules "$SHARED/data/sigma/rules-emerging-threats/2021/TA/HAFNIUM" "$EX/collection" >"$T/sigma.jsonl" 2>/dev/null
	expect_eq "HAFNIUM rule fires on the intrusion" "$(jq -r 'select(.type=="finding" and .level=="high") | .source.kind' "$T/sigma.jsonl" | sort -u)" iis
	expect_eq "no HAFNIUM hit before the intrusion day" "$(jq -r 'select(.type=="finding" and .level=="high") | .time[0:10]' "$T/sigma.jsonl" | sort | head -1)" 2021-03-03
fi

# the text report of the README's main command
"$EXHUNT" scan "$EX/collection" >"$T/report.txt"; rc=$?
[ "$rc" -le 1 ] && ok || bad "scan exit $rc"
expect_clean "report" "$T/report.txt"
grep -q 'compromise before 2021-02-15 cannot be excluded' "$T/report.txt" && ok || bad "coverage statement missing"

# detection with the shipped pack: the intrusion is found, judged and dated
expect_eq "verdict" "$(jq -r 'select(.type=="verdict") | .verdict' "$T/scan.jsonl" | tr '\n' ' ')" "COMPROMISED COMPROMISED "
# the host's answers against the generator's manifest: when, from where, which shells
expect_eq "first compromise: the day of the manifest's SSRF" \
	"$(jq -r 'select(.type=="verdict" and .host != null) | .first_compromise[0:10]' "$T/scan.jsonl")" "2021-03-03"
expect_eq "attackers are the manifest's actors" \
	"$(jq -r 'select(.type=="verdict" and .host != null) | .attackers | sort | join(" ")' "$T/scan.jsonl")" \
	"$(jq -r '.attack.actors | sort | join(" ")' "$EX/manifest.json")"
expect_eq "shells are the manifest's web shells" \
	"$(jq -r 'select(.type=="verdict" and .host != null) | .shells | map(split("\\")[-1]) | sort | join(" ")' "$T/scan.jsonl")" \
	"$(jq -r '.attack.webshells | map(.path | split("/")[-1]) | sort | join(" ")' "$EX/manifest.json")"
expect_eq "records name the manifest's server" \
	"$(jq -r 'select(.type=="verdict" and .host != null) | .names_seen | join(" ")' "$T/scan.jsonl")" \
	"$(jq -r '.server.name' "$EX/manifest.json")"
for r in pl-55-01-ssrf-proxylogon-session pl-65-02-ssrf-reset-vdir pl-65-01-vdir-url-script pl-58-01-oab-download; do
	expect_eq "critical $r" "$(jq -r --arg r "$r" 'select(.type=="finding" and .rule_name==$r and .level=="critical") | .campaign' "$T/scan.jsonl" | sort -u)" ProxyLogon
done
# every finding at high or above sits on a line the generator wrote as part of the attack,
# or is a file the intrusion left (line 0)
{ jq -r '.attack.timeline[] | select(.file) | "\(.file) \(.line)"' "$EX/manifest.json"
  jq -r '.attack.files[] | "\(.path) 0"' "$EX/manifest.json"; } | sort -u >"$T/atk_all"
jq -r 'select(.type=="finding" and (.level=="high" or .level=="critical")) | "\(.source.path) \(.source.line)"' "$T/scan.jsonl" | sort -u >"$T/hi"
expect_eq "high findings off the attack lines" "$(comm -23 "$T/hi" "$T/atk_all" | head -3)" ""
[ "$(wc -l <"$T/hi")" -ge 20 ] && ok || bad "only $(wc -l <"$T/hi") attack lines found at high or above"
# the build was open during the intrusion, fixed for the probes after the update
# (files are judged by what they are, not by the build at their copyable time)
expect_eq "intrusion while open" \
	"$(jq -r 'select(.type=="finding" and .level=="critical" and .source.kind != "file") | .note' "$T/scan.jsonl" | grep -c 'build 15.1.2176.2 was running and open to CVE-2021-2')" \
	"$(jq -r 'select(.type=="finding" and .level=="critical" and .source.kind != "file")' "$T/scan.jsonl" | jq -s length)"
expect_eq "no build note on files" "$(jq -r 'select(.type=="finding" and .source.kind=="file") | .note // ""' "$T/scan.jsonl" | grep -c 'build 15')" 0
expect_eq "after the patch: fixed" \
	"$(jq -r 'select(.type=="finding" and .level != "informational" and .time > "2021-03-06" and (.tags | index("cve.2021-26855"))) | .note' "$T/scan.jsonl" | grep -vc 'build 15.1.2176.9 was running and already fixed')" 0
# (log findings: the files of a git checkout carry the checkout time)
expect_eq "post-patch probes below high" \
	"$(jq -r 'select(.type=="finding" and .source.kind != "file" and .time > "2021-03-06" and (.level=="high" or .level=="critical")) | .rule_name' "$T/scan.jsonl" | head -3)" ""
"$EXHUNT" scan -q --no-color "$EX/collection" >"$T/scan.txt"
# 13 critical log findings, and 3 critical files: the OAB dump shell, the China Chopper page,
# the LSASS dump (raised from high: it sits next to the intrusion)
expect_eq "text opens with the verdict" "$(sed -n 3p "$T/scan.txt" | cut -c1-46)" "VERDICT: COMPROMISED: 13 critical findings 202"

# the files the intrusion left are reported, by the rule the manifest names, at its level
while IFS=$'\t' read -r path rule; do
	got=$(jq -r --arg p "$path" 'select(.type=="finding" and .source.kind=="file" and .source.path==$p) | "\(.rule_name) \(.level)"' "$T/scan.jsonl")
	case $rule in file-vsperfmon) want="$rule high" ;; *) want="$rule critical" ;; esac
	expect_eq "planted file $path" "$got" "$want"
done < <(jq -r '.attack.files[] | "\(.path)\t\(.rule)"' "$EX/manifest.json")
expect_eq "OAB dump shell: CVE-2021-27065, China Chopper in ExternalUrl quoted" \
	"$(jq -r 'select(.type=="finding" and .rule_name=="exh_oab_vdir_dump_script") | "\(.campaign) \(.tags | index("cve.2021-27065") != null) \(.excerpt | test("^ExternalUrl +: http://f/<script"))"' "$T/scan.jsonl")" "ProxyLogon true true"
expect_eq "LSASS dump: tagged, raised next to the intrusion" \
	"$(jq -r 'select(.type=="finding" and .rule_name=="exh_lsass_minidump") | "\(.rule_level) \(.tags | index("attack.t1003.001") != null) \(.fields.family)"' "$T/scan.jsonl")" "high true LSASS memory dump"
expect_eq "file findings carry size and SHA-256" \
	"$(jq -r 'select(.type=="finding" and .source.kind=="file") | (.fields.size | test("^[0-9]+$")) and (.fields.sha256 | test("^[0-9a-f]{64}$"))' "$T/scan.jsonl" | sort -u)" true

# generated afresh the files keep the times exgen gave them (a git checkout does not):
# each file finding is dated when it was written, in one timeline with the log lines
"$EXHUNT" scan -q -f jsonl "$T/tree" >"$T/tree.jsonl"
expect_eq "file times from the collection" \
	"$(jq -r 'select(.type=="finding" and .source.kind=="file") | "\(.source.path) \(.time)"' "$T/tree.jsonl" | sort)" \
	"$(jq -r '.attack.files[] | "\(.path) \(.written)"' "$EX/manifest.json" | sort)"
expect_eq "time source said" "$(jq -r 'select(.type=="finding" and .source.kind=="file") | .fields.time_source' "$T/tree.jsonl" | sort -u)" \
	"file modification time as the collection preserves it (copying may change it)"
# the OAB shell's write (06:59:20.000) comes right before the findings of the reset
# request that wrote it (06:59:20.245), in the one time-ordered list
expect_eq "shell next to the log line that planted it" \
	"$(jq -s -r '[.[] | select(.type=="finding")] as $f | ($f | map(.rule_name) | index("exh_oab_vdir_dump_script")) as $k |
	  "\($f[$k].time) \($f[$k+1].time[0:19]) \($f[$k+1].source.kind)"' "$T/tree.jsonl")" \
	"2021-03-03T06:59:20.000Z 2021-03-03T06:59:20 iis"
grep -q 'open to it at the time' "$T/scan.txt" && ok || bad "verdict does not say the build was open"
# the window comes from the logs: file times (checkout or copy times in a git clone) do not stretch it
grep -q 'critical findings 2021-03-03 06:49 to 2021-03-04 08:14 UTC' "$T/scan.txt" && ok || bad "verdict window: $(sed -n 3p "$T/scan.txt" | cut -c1-160)"
finish
