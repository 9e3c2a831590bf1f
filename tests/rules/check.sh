#!/usr/bin/env bash
# Runs every test folder of the rule pack against the rules.
#   usage: check.sh EXHUNT RULESDIR TESTSDIR
# A folder TESTSDIR/<rule name>/ holds match.<level>.<desc>.log files (the rule must report
# a finding at that level) and nomatch.<desc>.log files (the rule must report nothing).
# Needs bash and jq. Prints one line per failure, then "N passed, M failed"; exit 1 on failure.
set -u

if [ $# -ne 3 ]; then
	echo "usage: $0 EXHUNT RULESDIR TESTSDIR" >&2
	exit 2
fi
exhunt=$1 rulesdir=$2 testsdir=$3
command -v jq >/dev/null || { echo "check.sh: jq is required" >&2; exit 2; }
[ -x "$exhunt" ] || { echo "check.sh: $exhunt is not executable" >&2; exit 2; }
[ -d "$rulesdir" ] && [ -d "$testsdir" ] || { echo "check.sh: RULESDIR and TESTSDIR must be folders" >&2; exit 2; }

help=$("$exhunt" scan --help 2>&1)
if grep -q -- '--rules-only' <<<"$help"; then rules_opt=--rules-only; else rules_opt=--rules; fi
if grep -qE -- '(^|[ ,])-q([ ,]|$)|--quiet' <<<"$help"; then quiet=(-q); else quiet=(); fi

# rule name -> id, from the YAML files (first "id:" and "name:" line of each file)
declare -A id_of
while IFS= read -r -d '' f; do
	id=$(sed -n 's/^id:[[:space:]]*//p' "$f" | head -n1 | tr -d "\"'\r ")
	name=$(sed -n 's/^name:[[:space:]]*//p' "$f" | head -n1 | tr -d "\"'\r ")
	[ -n "$id" ] && [ -n "$name" ] && id_of[$name]=$id
done < <(find "$rulesdir" -type f \( -name '*.yml' -o -name '*.yaml' \) -print0)

pass=0 fail=0
failed() { echo "FAIL $1"; fail=$((fail + 1)); }

for dir in "$testsdir"/*/; do
	name=$(basename "$dir")
	files=("$dir"match.*.log "$dir"nomatch.*.log)
	id=${id_of[$name]:-}
	if [ -z "$id" ]; then
		failed "$name: no rule with this name in $rulesdir"
		continue
	fi
	for f in "${files[@]}"; do
		[ -e "$f" ] || continue
		base=$(basename "$f")
		out=$("$exhunt" scan "$rules_opt" "$rulesdir" "$f" -f jsonl "${quiet[@]}" 2>/dev/null)
		levels=$(jq -r --arg id "$id" 'select(.type == "finding" and .rule_id == $id) | .level' <<<"$out" | sort -u)
		case $base in
		match.*)
			want=$(cut -d. -f2 <<<"$base")
			[ "$want" = info ] && want=informational
			if [ -z "$levels" ]; then
				failed "$name/$base: no finding of the rule"
			elif ! grep -qx "$want" <<<"$levels"; then
				failed "$name/$base: level $(tr '\n' ' ' <<<"$levels")instead of $want"
			else
				pass=$((pass + 1))
			fi
			;;
		nomatch.*)
			if [ -n "$levels" ]; then
				failed "$name/$base: the rule fired ($(tr '\n' ' ' <<<"$levels"| sed 's/ $//'))"
			else
				pass=$((pass + 1))
			fi
			;;
		esac
	done
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
