# Source rules that a compiler does not check (curl's checksrc idea): no unbounded libc
# string or number functions anywhere; the library never prints, exits or aborts; all
# library allocation goes through the xh_ wrappers (lib/common/memory.c), so the allocation
# failure walk sees every allocation; every source file opens with a comment. Every folder
# is searched to any depth (lib/ has a folder per concept, tools/ may grow some); each rule
# is first shown to catch a planted line two folders deep, so a rule that cannot fail fails.
#
# Banned, and why:
#   sprintf vsprintf strcpy strcat gets   no bound at all (snprintf, vsnprintf, xh_buf instead)
#   strncpy   leaves the copy unterminated when the source is long, pads with NULs when short
#   strncat   its bound is the room left, not the buffer's size: the classic off-by-one
#   strtok strtok_r   write NULs into their input and merge empty fields, and an empty CSV
#             or W3C cell is data (readers cut byte views instead); strtok also keeps
#             hidden state shared by every thread
#   atoi atol atof sscanf   no error and no overflow report (strtol and friends, checked)
#   gmtime localtime ctime asctime   one static result for the whole process, and the scan
#             runs workers in parallel (the _r forms, or the UTC calendar of common/time.c)
#   tmpnam tempnam mktemp   a name that another process can take before it is opened
#             (tmpfile, mkstemp)
. "$(dirname "$0")/lib.sh"
BANNED='\b(sprintf|vsprintf|strcpy|strcat|strncpy|strncat|strtok|strtok_r|atoi|atol|atof|sscanf|gets|gmtime|localtime|ctime|asctime|tmpnam|tempnam|mktemp)\s*\('
PRINTS='\b(printf|fprintf|vfprintf|puts|fputs|putchar|perror|exit|_exit|abort)\s*\('
ALLOCS='(^|[^_a-z])(malloc|calloc|realloc|free|strdup|strndup)\s*\('
banned() { grep -rnE "$BANNED" "$@" --include='*.c' --include='*.h' | grep -vE '\b(snprintf|vsnprintf)\s*\('; }
prints() { grep -rnE "$PRINTS" "$@"; }
allocs() { grep -rnE "$ALLOCS" "$@" | grep -v '^lib/common/memory.c:'; }
sources() { find "$@" -name '*.c' -o -name '*.h' | sort; }

# the rules catch a planted line two folders deep (and leave the allowed forms alone)
mkdir -p "$T/plant/lib/a/b"
printf '/* ok */\nint f(char *d, const char *s) { return snprintf(d, 4, "%%s", s) + vsnprintf(0, 0, s, 0) + (localtime_r(0, 0) != 0); }\n' >"$T/plant/lib/a/b/ok.c"
(cd "$T/plant" && expect_eq "allowed forms" "$(banned lib)" "")
for f in vsprintf strncat strtok_r gmtime sprintf; do
	printf 'int g(void) { %s(a, b); }\n' "$f" >"$T/plant/lib/a/b/bad.c"
	(cd "$T/plant" && expect_eq "planted $f" "$(banned lib | cut -d: -f1-2)" "lib/a/b/bad.c:1")
done
printf 'void h(void) { exit(1); free(p); }\n' >"$T/plant/lib/a/b/bad.c"
(cd "$T/plant" && expect_eq "planted exit" "$(prints lib | cut -d: -f1-2)" "lib/a/b/bad.c:1")
(cd "$T/plant" && expect_eq "planted free" "$(allocs lib | cut -d: -f1-2)" "lib/a/b/bad.c:1")
expect_eq "planted file without an opening comment found" "$(sources "$T/plant/lib" | while read -r f; do head -c 2 "$f" | grep -q '/\*' || echo "${f##*/}"; done)" "bad.c"

cd "$XH_SRC"
expect_eq "banned functions" "$(banned lib cli tools tests/unit tests/tools fuzz)" ""
expect_eq "library prints or exits" "$(prints lib)" ""
expect_eq "raw allocation in lib" "$(allocs lib)" ""
for f in $(sources lib cli tools include fuzz tests/unit tests/tools); do
	head -c 2 "$f" | grep -q '/\*' && ok || bad "$f does not open with a comment"
done
finish
