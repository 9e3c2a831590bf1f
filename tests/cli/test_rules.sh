# The detection rules: the shipped pack's own tests and lint; the literal prefilter never
# changes what matches (pack + SigmaHQ web rules, with and without it, on every corpus
# at hand); SigmaHQ's tree loads (>= 99% parse, every webserver rule loads); real benign
# IIS logs give nothing at high or above; --min-level, --rules-only, --no-rules.
. "$(dirname "$0")/lib.sh"
cd "$XH_SRC"

expect_rc 0 "$EXHUNT" rules test tests/rules
expect_eq "pack tests" "$(tail -1 "$T/out" | sed 's/^[0-9]* passed, //')" "0 failed"
expect_rc 0 "$EXHUNT" rules lint rules
# a process_creation rule compiles twice: on Sysmon 1 and on Security 4688
NPACK=$(( $(ls rules/*/*.yml | wc -l) + $(grep -l 'category: process_creation' rules/*/*.yml | wc -l) ))
expect_eq "lint" "$(tail -1 "$T/out" | sed 's/ rules checked//; s/, [0-9]* warnings//')" "$NPACK: 0 errors"
expect_rc 0 "$EXHUNT" rules list
expect_eq "pack loads whole" "$(head -1 "$T/out" | cut -d' ' -f1-6)" "$NPACK rules loaded (shipped pack included),"
grep -q '^  critical  *webserver  *pl-55-02-post-static-file\|pl-65-02-ssrf-reset-vdir' "$T/out" && ok || bad "rules list does not list the pack"

# a broken rule is an error for lint, with the reason
printf 'title: x\nlogsource: {category: webserver}\ndetection:\n  s: {cs-uri-query|expand: "%%x%%"}\n  condition: s\n' >"$T/bad.yml"
expect_rc 1 "$EXHUNT" rules lint "$T/bad.yml"
grep -q 'error: .*bad.yml: not loaded: .*expand' "$T/out" && ok || bad "lint reason: $(head -2 "$T/out")"

# indicators.md 5.2 (benign lines from artefacts.help, in their raw layouts): the whole
# pack gives nothing at medium or above on any of them
mapfile -t b52 < <(grep -l -r -E 'SERVER-HOSTNAME|SERVER_HOSTNAME|server_hostname|HealthMailboxXXX' tests/rules | sort)
[ "${#b52[@]}" -ge 5 ] && ok || bad "only ${#b52[@]} files with the 5.2 lines"
for f in "${b52[@]}"; do
	"$EXHUNT" scan -q -f jsonl "$f" >"$T/b52.jsonl"
	expect_eq "5.2 benign $f" "$(jq -r 'select(.type=="finding" and (.level=="medium" or .level=="high" or .level=="critical")) | .rule_name' "$T/b52.jsonl" | head -2)" ""
done

# --no-rules, --rules-only, --min-level
expect_rc 0 "$EXHUNT" scan -q --no-rules -f jsonl examples/collection
expect_eq "no rules: not assessed" "$(jq -r 'select(.type=="verdict" and .host == null) | .verdict' "$T/out")" "NOT ASSESSED"
expect_rc 2 "$EXHUNT" scan -q --rules-only examples/collection
"$EXHUNT" scan -q --min-level high -f jsonl examples/collection >"$T/min.jsonl"
expect_eq "min-level" "$(jq -r 'select(.type=="finding") | .level' "$T/min.jsonl" | sort -u | tr '\n' ' ')" "critical high "
[ "$(jq -r 'select(.type=="verdict" and .host == null) | .findings_below_min_level' "$T/min.jsonl")" -gt 0 ] && ok || bad "below-min count"
expect_eq "min-level keeps the verdict" "$(jq -r 'select(.type=="verdict" and .host == null) | .verdict' "$T/min.jsonl")" COMPROMISED

if [ ! -d "$SHARED/data/sigma/rules" ]; then finish; exit $?; fi
SIG="$SHARED/data/sigma"

# SigmaHQ: how much of the tree loads, and why the rest does not
"$EXHUNT" rules list --rules-only --rules "$SIG/rules" --rules "$SIG/rules-emerging-threats" \
	--rules "$SIG/rules-threat-hunting" >"$T/list" 2>&1
total=$(find "$SIG/rules" "$SIG/rules-emerging-threats" "$SIG/rules-threat-hunting" -name '*.yml' | wc -l)
loaded=$(head -1 "$T/list" | cut -d' ' -f1)
noreader=$(grep -c 'no reader for it in this build' "$T/list")
unparsed=$(sed -n '/^not loaded/,$p' "$T/list" | grep '^  ' | grep -vc 'no reader for it in this build')
echo "SigmaHQ: $total files, $loaded loaded, $noreader need a log exhunt does not read (Linux, cloud, ETW...), $unparsed rejected"
[ $((unparsed * 100)) -le "$total" ] && ok || bad "$unparsed of $total SigmaHQ rules do not parse"
expect_eq "webserver rules rejected" "$(grep -c 'logsource webserver' "$T/list")" 0
nweb=$(grep -rlE '^\s+category:\s*webserver' "$SIG/rules" "$SIG/rules-emerging-threats" "$SIG/rules-threat-hunting" | wc -l)
expect_eq "every webserver rule loads" "$(grep -c '^  [a-z]*  *webserver ' "$T/list")" "$nweb"

# the prefilter changes nothing: same findings with and without it
WEB=$(grep -rlE '^\s+category:\s*webserver' "$SIG/rules" "$SIG/rules-emerging-threats" "$SIG/rules-threat-hunting" | sed 's/^/--rules /')
for ev in examples/collection tests/rules "$SHARED/data/iis"; do
	# shellcheck disable=SC2086
	"$EXHUNT" scan -q -f jsonl $WEB "$ev" 2>/dev/null | jq -c 'select(.type=="finding")' >"$T/pf.on"
	# shellcheck disable=SC2086
	"$EXHUNT" scan -q -f jsonl --no-prefilter $WEB "$ev" 2>/dev/null | jq -c 'select(.type=="finding")' >"$T/pf.off"
	cmp -s "$T/pf.on" "$T/pf.off" && ok || bad "prefilter changes findings on $ev: $(diff "$T/pf.on" "$T/pf.off" | head -2 | cut -c1-200)"
	[ -s "$T/pf.on" ] && ok || bad "no findings at all on $ev"
done

# real benign IIS logs: nothing at high or above from the pack
"$EXHUNT" scan -q -f jsonl "$SHARED/data/iis"/benign_* >"$T/benign.jsonl"
expect_eq "benign IIS: high or critical" "$(jq -r 'select(.type=="finding" and (.level=="high" or .level=="critical")) | .rule_name' "$T/benign.jsonl" | head -3)" ""
echo "benign IIS findings by level: $(jq -r 'select(.type=="finding") | .level' "$T/benign.jsonl" | sort | uniq -c | tr -s ' ' | tr '\n' ';')"
finish
