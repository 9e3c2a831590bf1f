# The output does not depend on the number of workers: `exhunt scan -f jsonl` and `exhunt
# dump -f jsonl` give the same bytes for --jobs 1, 2 and 8 on the bundled sample, on an
# EVTX file of 140 chunks (more than two batches, so at -j 2 and -j 8 helper threads decode
# chunks while the reader emits them in order) and on the public EVTX samples of
# ../shared/data/evtx (skipped when ../shared is absent). The JSONL summary's elapsed time
# is the one value that may differ; it is set to 0 before comparing.
. "$(dirname "$0")/lib.sh"

same_for_jobs() { # WHAT CMD... (the command gets -j N -f jsonl before its last argument)
	local what=$1 j; shift
	local last=${!#} args=("${@:1:$#-1}")
	for j in 1 2 8; do
		"${args[@]}" -q -j "$j" -f jsonl "$last" 2>"$T/err.$j" | sed -E 's/"seconds":[0-9.]+/"seconds":0/' >"$T/out.$j"
	done
	[ -s "$T/out.1" ] && ok || bad "$what: no output at -j 1: $(head -c 300 "$T/err.1")"
	for j in 2 8; do
		cmp -s "$T/out.1" "$T/out.$j" && ok || bad "$what: -j $j differs from -j 1: $(diff "$T/out.1" "$T/out.$j" | head -4 | cut -c1-200)"
	done
}

same_for_jobs "sample scan" "$EXHUNT" scan "$XH_SRC/examples/collection"
same_for_jobs "sample dump" "$EXHUNT" dump "$XH_SRC/examples/collection"

# a generated event log: one chunk holding a PL-65-04 event, 140 times
cat >"$T/ev.json" <<'JSON'
{"events": [
 {"System": {"Provider": {"Name": "MSExchange CmdletLogs"}, "EventID": 1, "Level": 4,
             "TimeCreated": {"SystemTime": "2021-03-03T07:00:00.000Z"}, "EventRecordID": 7,
             "Channel": "MSExchange Management", "Computer": "EX01"},
  "EventData": ["Set-OabVirtualDirectory", "-ExternalUrl \"http://f/<script language=\"JScript\" runat=\"server\">eval(Request[\"k\"],\"unsafe\");</script>\""]}
]}
JSON
python3 "$XH_SRC/tools/mkevtx.py" "$T/ev.json" "$T/one.evtx"
python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); open(sys.argv[2], "wb").write(d[:4096] + d[4096:4096 + 65536] * 140)' "$T/one.evtx" "$T/many.evtx"
same_for_jobs "140-chunk evtx dump" "$EXHUNT" dump "$T/many.evtx"
same_for_jobs "140-chunk evtx scan" "$EXHUNT" scan "$T/many.evtx"
expect_eq "140-chunk evtx: one finding per chunk" "$(grep -c '"rule_name":"pl-65-04-mgmt-vdir-url-script"' "$T/out.1")" 140

need_shared
same_for_jobs "shared evtx dump" "$EXHUNT" dump "$SHARED/data/evtx"
same_for_jobs "shared evtx scan" "$EXHUNT" scan "$SHARED/data/evtx"
finish
