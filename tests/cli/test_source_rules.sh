# Source rules that a compiler does not check (curl's checksrc idea): no unbounded libc
# string or number functions anywhere; the library never prints, exits or aborts; all
# library allocation goes through the xh_ wrappers (lib/common/memory.c), so the allocation
# failure walk sees every allocation; every source file opens with a comment.
. "$(dirname "$0")/lib.sh"
cd "$XH_SRC"
hits=$(grep -rnE '\b(sprintf|strcpy|strcat|strncpy|strtok|atoi|atol|atof|sscanf|gets)\s*\(' \
	lib cli tools tests/unit tests/tools fuzz --include='*.c' --include='*.h' | grep -vE '\b(snprintf|vsnprintf)\s*\(')
expect_eq "banned functions" "$hits" ""
hits=$(grep -rnE '\b(printf|fprintf|vfprintf|puts|fputs|putchar|perror|exit|_exit|abort)\s*\(' lib)
expect_eq "library prints or exits" "$hits" ""
hits=$(grep -rnE '(^|[^_a-z])(malloc|calloc|realloc|free|strdup|strndup)\s*\(' lib | grep -v '^lib/common/memory.c:')
expect_eq "raw allocation in lib" "$hits" ""
for f in lib/*/*.c lib/*/*.h cli/*.c $(find tools -name '*.[ch]' | sort) include/exhunt/*.h fuzz/*.c fuzz/*.h tests/unit/*.c tests/tools/*.c; do
	head -c 2 "$f" | grep -q '/\*' && ok || bad "$f does not open with a comment"
done
finish
