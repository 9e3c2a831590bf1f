# Real IIS logs (../shared/data/iis): for every file, records + bad records equals its
# non-header lines exactly; the waikolai field set is mapped by its own #Fields; the
# Tunna log's hand-written comment line is handled and counted.
. "$(dirname "$0")/lib.sh"
need_shared
IIS="$SHARED/data/iis"

"$EXHUNT" dump -q "$IIS" >"$T/dump.jsonl"; expect_eq "dump exit" $? 0
jq -c . "$T/dump.jsonl" >/dev/null 2>&1; expect_eq "dump is valid JSON Lines" $? 0

# per file: exhunt's records (good + bad) vs. lines not starting with '#'
jq -r 'select(.type=="record") | .path' "$T/dump.jsonl" | sort | uniq -c | awk '{print $2, $1}' >"$T/got"
(cd "$IIS" && find . -type f | sed 's|^\./||' | sort | while read -r f; do
	printf '%s %s\n' "$f" "$(grep -v -c '^#' "$f")"; done) | awk '$2 > 0' >"$T/want"
expect_eq "files with records" "$(wc -l <"$T/got")" "$(wc -l <"$T/want")"
if diff "$T/got" "$T/want" >"$T/diff"; then ok; else bad "records per file differ: $(head -5 "$T/diff")"; fi
expect_eq "file count" "$(wc -l <"$T/want")" 1109

# waikolai: its 17 fields by name
expect_eq "waikolai fields" \
	"$(jq -r 'select(.path|startswith("benign_waikolai/")) | .fields | keys_unsorted | join(" ")' "$T/dump.jsonl" | sort -u)" \
	"date time s-sitename s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status sc-bytes cs-bytes time-taken"
expect_eq "waikolai sc-bytes of first record" \
	"$(jq -r 'select(.path=="benign_waikolai/u_ex090817.log" and .line==5) | .fields["sc-bytes"]' "$T/dump.jsonl")" 944

# Tunna: 4298 good records, 1 bad (the empty line 6), 1 odd comment line
"$EXHUNT" scan -q -f jsonl "$IIS/tunna_webshell_tunnel_u_ex.log" >"$T/tunna.jsonl"
expect_eq "tunna records" "$(jq -r 'select(.type=="coverage") | .records' "$T/tunna.jsonl")" 4298
expect_eq "tunna bad" "$(jq -r 'select(.type=="coverage") | .bad_records' "$T/tunna.jsonl")" 1
expect_eq "tunna bad reason" "$(jq -r 'select(.type=="coverage") | .bad_reasons[0] | "\(.line) \(.reason)"' "$T/tunna.jsonl")" "6 empty line"
expect_eq "tunna odd comment" "$(jq -r 'select(.type=="coverage") | .odd_comment_lines' "$T/tunna.jsonl")" 1
expect_eq "tunna query field" "$(jq -r 'select(.line==7) | .fields["cs-uri-query"]' "$T/dump.jsonl" | sort -u | grep -c 'proxy&port=3389')" 1

# whole tree, text report: totals
"$EXHUNT" scan "$IIS" >"$T/report.txt"
grep -q '105543 records, 1 bad' "$T/report.txt"; expect_eq "text summary totals" $? 0
expect_clean "text report" "$T/report.txt"
finish
