# Writes the outputs the golden files hold into the folder $1: `exhunt scan` of the bundled
# sample (examples/collection) as text, JSONL and CSV, and `exhunt dump -f jsonl` of two
# small files (an ECP server log of the sample, a generated .evtx of the rule tests).
# Used by tests/golden/update.sh (writes tests/golden/) and tests/cli/test_golden.sh
# (writes a temp folder and compares), so both make the outputs the same way.
#
# Needs EXHUNT, EXGEN, XH_SRC. What would vary between runs is made stable, not filtered:
#  - file times: a git checkout gives every file the checkout time, and the file findings
#    carry it (and are sorted by it). The scan runs on a copy of examples/collection that
#    takes the times exgen gives the files (exgen --seed 1 writes the same bytes, which
#    cli.test_examples checks), so the times are the generator's, as in a real collection.
#  - paths: the scan runs in the temp folder on the relative path examples/collection,
#    the README's command, so no absolute path reaches the output.
#  - colour: --no-color (and stdout is a file); progress and summary on stderr: -q.
# One value is normalised, the elapsed time, in the JSONL summary and the text SUMMARY line:
#    sed -E 's/"seconds":[0-9.]+/"seconds":0/'
#    sed -E '/^SUMMARY: /s/ in [0-9.]+ s:/ in 0 s:/'
set -eu
out=$1
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/exhunt-golden.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$EXGEN" --seed 1 "$work/gen" >/dev/null
mkdir -p "$work/examples"
cp -r "$XH_SRC/examples/collection" "$work/examples/collection"
cp -r --attributes-only --preserve=timestamps "$work/gen/." "$work/examples/collection/"
find "$work/examples/collection" -type d -empty -delete  # exgen's empty folder, which git does not keep

cd "$work"
scan() { # FORMAT FILE: scan exits 1 when it finds something at or above high, as here
	"$EXHUNT" scan -q --no-color -f "$1" examples/collection >"$2" || [ $? -eq 1 ]
}
scan text "$work/scan.txt"
sed -E '/^SUMMARY: /s/ in [0-9.]+ s:/ in 0 s:/' "$work/scan.txt" >"$out/sample.scan.txt"
scan jsonl "$work/scan.jsonl"
sed -E 's/"seconds":[0-9.]+/"seconds":0/' "$work/scan.jsonl" >"$out/sample.scan.jsonl"
scan csv "$out/sample.scan.csv"
"$EXHUNT" dump -q -f jsonl "examples/collection/C/Program Files/Microsoft/Exchange Server/V15/Logging/ECP/Server/ECPServer20210303-1.LOG" \
	>"$out/sample.dump.jsonl"
"$EXHUNT" dump -q -f jsonl "$XH_SRC/tests/rules/pl-65-04-mgmt-vdir-url-script/match.critical.oab-externalurl-chopper.evtx.gz" \
	>"$out/sample.dump-evtx.jsonl"
