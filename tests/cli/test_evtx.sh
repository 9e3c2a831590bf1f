# Windows event logs: the decoder on real and damaged files, against the Rust evtx crate's
# JSON and libevtx's evtxexport; SigmaHQ's regression suite; the pack's event-log rules on
# the attack samples; hostile input (truncated, garbage, inside archives); --jobs stability.
. "$(dirname "$0")/lib.sh"

# --- without ../shared: generated files only ---------------------------------------------
python3 "$XH_SRC/tools/mkevtx.py" --check >"$T/mk" 2>&1
expect_eq "generated rule-test .evtx files are current (tools/mkevtx.py --all)" "$?:$(head -c 200 "$T/mk")" "0:"

cat >"$T/ev.json" <<'EOF'
{"events": [
 {"System": {"Provider": {"Name": "MSExchange CmdletLogs"}, "EventID": 1, "Level": 4,
             "TimeCreated": {"SystemTime": "2021-03-03T07:00:00.000Z"}, "EventRecordID": 41,
             "Channel": "MSExchange Management", "Computer": "EX01"},
  "EventData": ["Set-OabVirtualDirectory", "-ExternalUrl \"http://f/<script language=\"JScript\" runat=\"server\">function Page_Load(){eval(Request[\"k\"],\"unsafe\");}</script>\"", "\u001b[31mred\u202e"]}
]}
EOF
python3 "$XH_SRC/tools/mkevtx.py" "$T/ev.json" "$T/one.evtx"
"$EXHUNT" dump -q -f jsonl "$T/one.evtx" >"$T/one.jsonl"; expect_eq "dump exit" $? 0
expect_eq "unnamed Data by position" "$(jq -r 'select(.type=="record") | .fields["Data[1]"]' "$T/one.jsonl")" "Set-OabVirtualDirectory"
expect_eq "line is the EventRecordID" "$(jq -r 'select(.type=="record") | .line' "$T/one.jsonl")" 41
expect_eq "time from TimeCreated" "$(jq -r 'select(.type=="record") | .time' "$T/one.jsonl")" "2021-03-03T07:00:00.000Z"
expect_eq "the Data alias is not written twice" "$(jq -r 'select(.type=="record") | .fields | has("Data")' "$T/one.jsonl")" false
"$EXHUNT" scan -q -f jsonl "$T/one.evtx" >"$T/one-scan.jsonl"
expect_eq "PL-65-04 from the pack" "$(jq -r 'select(.type=="finding") | "\(.rule_name) \(.level) \(.host)"' "$T/one-scan.jsonl")" \
	"pl-65-04-mgmt-vdir-url-script critical EX01"
"$EXHUNT" scan -q "$T/one.evtx" >"$T/one.txt"
expect_clean "text report with hostile event text" "$T/one.txt"
expect_clean "jsonl with hostile event text" "$T/one-scan.jsonl"

# truncated files and garbage: counted, never a crash
head -c 5000 "$T/one.evtx" >"$T/cut.evtx"
expect_rc 0 "$EXHUNT" dump -q -f jsonl "$T/cut.evtx"
expect_eq "a cut chunk is reported" "$(jq -r 'select(.bad) | .bad' "$T/out" | grep -c 'truncated')" 1
{ head -c 4096 "$T/one.evtx"; head -c 65536 /dev/urandom; } >"$T/garbage.evtx"
expect_rc 0 "$EXHUNT" dump -q -f jsonl "$T/garbage.evtx"
expect_eq "a garbage chunk is counted, not read" "$(jq -r 'select(.bad) | .bad' "$T/out" | grep -c 'no ElfChnk signature')" 1
head -c 100 "$T/one.evtx" >"$T/hdr.evtx"
expect_rc 0 "$EXHUNT" dump -q -f jsonl "$T/hdr.evtx"
# a damaged record inside a good chunk: the record is reported, the next one read
jq '.events += [.events[0] | .System.EventRecordID = 42]' "$T/ev.json" >"$T/ev2.json"
python3 "$XH_SRC/tools/mkevtx.py" "$T/ev2.json" "$T/two.evtx"
python3 -c 'import sys; p = sys.argv[1]; d = bytearray(open(p, "rb").read()); d[4096 + 512 + 28] = 0xEE; open(p, "wb").write(bytes(d))' "$T/two.evtx"
"$EXHUNT" dump -q -f jsonl "$T/two.evtx" >"$T/two.jsonl"
expect_eq "bad record then good record" "$(jq -r 'select(.type=="record") | if .bad then "bad:\(.line)" else "ok:\(.line)" end' "$T/two.jsonl" | grep -v '^bad:0$' | tr '\n' ' ')" "bad:41 ok:42 "

# a file of many chunks: decoded by helper threads when cores are spare, same output
python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); open(sys.argv[2], "wb").write(d[:4096] + d[4096:4096 + 65536] * 140)' "$T/two.evtx" "$T/many.evtx"
"$EXHUNT" dump -q -j 1 -f jsonl "$T/many.evtx" >"$T/many1.jsonl"
"$EXHUNT" dump -q -j 4 -f jsonl "$T/many.evtx" >"$T/many4.jsonl"
expect_eq "many chunks: good records, bad records, checksum notes" \
	"$(jq -r 'select(.type=="record") | if .bad == null then "ok" elif (.bad|test("checksum")) then "crc" else "bad" end' "$T/many1.jsonl" | sort | uniq -c | tr -s ' ' | tr '\n' ' ')" \
	" 140 bad  140 crc  140 ok "
if cmp -s "$T/many1.jsonl" "$T/many4.jsonl"; then ok; else bad "parallel chunk decoding changes the output"; fi

# inside a zip and gzip: same records
(cd "$T" && gzip -k -n one.evtx && zip -q one.zip one.evtx)
expect_eq "gzip" "$("$EXHUNT" dump -q -f jsonl "$T/one.evtx.gz" | jq -r 'select(.type=="record") | .fields["Data[1]"]')" "Set-OabVirtualDirectory"
expect_eq "zip" "$("$EXHUNT" dump -q -f jsonl "$T/one.zip" | jq -r 'select(.type=="record") | .fields["Data[1]"]')" "Set-OabVirtualDirectory"

# --- with ../shared ----------------------------------------------------------------------------
need_shared
EV="$SHARED/data/evtx"

# malformed files: at least the records the Rust crate's tests state (data/README.md)
"$EXHUNT" dump -q -j 4 -f jsonl "$EV/malformed" >"$T/mal.jsonl"; expect_eq "malformed dump exit" $? 0
good() { jq -r --arg p "$1" 'select(.path==$p and (.bad|not)) | 1' "$T/mal.jsonl" | wc -l; }
while read -r f want; do
	got=$(good "$f")
	if [ "$got" -ge "$want" ]; then ok; else bad "$f: $got good records, want at least $want"; fi
done <<'EOF'
sample-with-irregular-bool-values.evtx 3028
2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS_Operational.evtx 1910
2-vss_0-Microsoft-Windows-TerminalServices-RemoteConnectionManager_Operational.evtx 1774
2-vss_7-System.evtx 1160
sample_with_a_bad_chunk_magic.evtx 270
Microsoft-Windows-HelloForBusiness_Operational.evtx 6
Microsoft-Windows-LanguagePackSetup_Operational.evtx 17
E_Windows_system32_winevt_logs_Microsoft-Windows-Shell-Core_Operational.evtx 1146
E_Windows_system32_winevt_logs_Microsoft-Windows-CAPI2_Operational.evtx 340
E_ShadowCopy6_windows_system32_winevt_logs_Microsoft-Windows-CAPI2_Operational.evtx 459
Application_no_crc32.evtx 17
sample-with-zero-data-size-event.evtx 336
EOF
# the damage is counted and located
expect_eq "bad chunk magic: the two damaged chunks are reported" \
	"$(jq -r 'select(.path=="sample_with_a_bad_chunk_magic.evtx" and .bad) | .bad' "$T/mal.jsonl" | grep -c 'no ElfChnk signature')" 2
expect_eq "zero-size record reported with its offset" \
	"$(jq -r 'select(.path=="sample-with-zero-data-size-event.evtx" and .bad and (.bad|test("record header"))) | .offset' "$T/mal.jsonl")" 6176

# same output for any --jobs
"$EXHUNT" dump -q -j 1 -f jsonl "$EV/malformed" >"$T/mal1.jsonl"
if cmp -s "$T/mal.jsonl" "$T/mal1.jsonl"; then ok; else bad "dump differs between -j 1 and -j 4"; fi

# the Rust crate's JSON next to each SigmaHQ regression .evtx: every field equal; the one
# known difference is a hand-edited JSON (evtxexport reads Explorer.EXE, as exhunt does)
python3 "$XH_SRC/tests/tools/evtx_compare.py" "$EXHUNT" "$SHARED/data/sigma/regression_data" --show 10 >"$T/cmp" 2>"$T/cmp.err"
expect_eq "Rust crate comparison: value mismatches" "$(sed -n 's/^  value: //p' "$T/cmp")" 1
expect_eq "Rust crate comparison: missing/extra fields or events" "$(grep -c -E '^  (field|event)-' "$T/cmp")" 0
grep -q "ad691d92-15f2-4181-9aa4-723c74f9ddc3.json record 23419552 ParentCommandLine: exhunt 'C:\\\\\\\\Windows\\\\\\\\Explorer.EXE'" "$T/cmp.err" \
	&& ok || bad "the one value mismatch is not the known one: $(head -3 "$T/cmp.err")"
grep -q "^files 202 events 238" "$T/cmp" && ok || bad "comparison coverage: $(head -1 "$T/cmp")"

# libevtx as an oracle where it reads the file
if command -v evtxexport >/dev/null; then
	python3 "$XH_SRC/tests/tools/evtx_oracle.py" "$EXHUNT" "$EV"/*.evtx "$EV"/malformed/*.evtx >"$T/oracle" 2>&1
	expect_eq "evtxexport oracle" "$?:$(tail -1 "$T/oracle")" "0:oracle: 36 files, 19289 records matched, 0 differences"
else
	echo "note: evtxexport (libevtx-utils) not installed, oracle not run"
fi

# SigmaHQ's regression suite: every rule with a regression test matches its .evtx
python3 "$XH_SRC/tests/tools/sigma_regression.py" "$EXHUNT" "$SHARED/data/sigma" >"$T/reg" 2>&1
expect_eq "SigmaHQ regression suite" "$?:$(head -1 "$T/reg")" \
	"0:regression rules 202: loaded 202, passed 202, failed 0, rejected by exhunt 0; pass rate 100.0% of loaded"

# attack samples: the pack's findings (low and above)
expect_findings() { # FILE "rule:level ..." (sorted, with counts)
	got=$("$EXHUNT" scan -q -j 1 -f jsonl --min-level low "$EV/$1" | jq -r 'select(.type=="finding") | "\(.rule_name):\(.level)"' | sort | uniq -c | awk '{print $2 "x" $1}' | tr '\n' ' ')
	expect_eq "findings in $1" "$got" "$2"
}
expect_findings iis_webshell_w3wp_cmd_sysmon.evtx "px-w3wp-shell:highx1 "
expect_findings iis_webshell_w3wp_enum_sysmon.evtx "px-w3wp-shell:highx3 "
expect_findings lsass_comsvcs_minidump_sysmon.evtx "px-lsass-comsvcs-minidump:highx1 "
expect_findings lsass_comsvcs_minidump_security4688.evtx "px-lsass-comsvcs-minidump:highx2 "
expect_findings lsass_procdump_sysmon.evtx "px-lsass-dump-file:highx2 "
expect_findings msexchange_mgmt_install_transportagent.evtx "mgmt-transport-agent-install:mediumx2 "
expect_findings msexchange_mgmt_set_mailbox_forwarding_wec.evtx "mgmt-mailbox-forwarding:mediumx1 "
# benign logs: nothing at low or above from the pack
for f in benign_security.evtx benign_sysmon.evtx benign_system.evtx benign_post-Security.evtx benign_new-user-security.evtx; do
	expect_findings "$f" ""
done
finish
