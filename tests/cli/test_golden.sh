# Golden outputs: what `exhunt scan` prints for the bundled sample (text, JSONL, CSV) and
# what `exhunt dump -f jsonl` prints for two small files, byte for byte as tests/golden/
# holds them (tests/golden/README.md says how they are made and what is normalised). A
# change meant to change the output regenerates them with tests/golden/update.sh.
. "$(dirname "$0")/lib.sh"
G="$XH_SRC/tests/golden"
bash "$G/outputs.sh" "$T/now" 2>"$T/err"; expect_eq "outputs made" "$?:$(head -c 300 "$T/err")" "0:"
for f in "$G"/sample.*; do
	n=$(basename "$f")
	if cmp -s "$f" "$T/now/$n"; then ok; else
		bad "$n differs from tests/golden/$n; the first lines of the difference:
$(diff -u "$f" "$T/now/$n" | head -n 12 | cut -c1-200)
  if the change is meant, regenerate with: tests/golden/update.sh"
	fi
done
expect_eq "outputs without a golden file" "$(cd "$T/now" && for n in *; do [ -e "$G/$n" ] || echo "$n"; done)" ""
finish
