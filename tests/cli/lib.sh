# Helpers for the CLI tests: a temp dir removed on exit, assertions that print what
# differed, and the "N passed, N failed" closing line.
set -u
PASS=0
FAIL=0
T=$(mktemp -d "${TMPDIR:-/tmp}/exhunt-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
SHARED=${XH_SHARED:-$XH_SRC/../shared}

ok() { PASS=$((PASS + 1)); }
bad() { FAIL=$((FAIL + 1)); echo "FAIL: $*" >&2; }
expect_eq() { # expect_eq WHAT GOT WANT
	if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', want '$3'"; fi
}
expect_rc() { # expect_rc WANT CMD...
	local want=$1; shift
	"$@" >"$T/out" 2>"$T/err"; local rc=$?
	if [ "$rc" = "$want" ]; then ok; else bad "exit $rc (want $want): $* -- $(head -c 300 "$T/err")"; fi
}
# No C0 control byte other than LF, no DEL, no C1 (as UTF-8) in a file.
expect_clean() {
	if LC_ALL=C grep -q -P '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' "$2"; then
		bad "$1: control bytes in output: $(LC_ALL=C grep -n -a -o -P '.{0,20}[\x00-\x09\x0b-\x1f\x7f].{0,20}' "$2" | head -3 | od -c | head -5)"
	else ok; fi
}
need_shared() { # the rest of the test needs ../shared: skip it, unless a check before failed
	if [ ! -d "$SHARED/data" ]; then
		echo "SKIP: ../shared/data not found"
		if [ "$FAIL" != 0 ]; then finish; exit 1; fi
		exit 77
	fi
}
finish() {
	echo "$PASS passed, $FAIL failed"
	[ "$FAIL" = 0 ]
}
