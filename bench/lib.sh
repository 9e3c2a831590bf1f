# Shared by the benchmark scripts (sourced): timing of a command, best of three.
# Expects OUT (where the command's output goes) to be set.
best() { # best CMD... : best wall time of 3 runs, in seconds
	local b=
	for _ in 1 2 3; do
		local s e
		# to a file, not /dev/null: GNU grep stops at the first match when it sees /dev/null
		s=$(date +%s.%N); "$@" >"$OUT/last.out" 2>&1 || true; e=$(date +%s.%N)
		b=$(echo "$e - $s" | bc -l | awk -v b="$b" '{ if (b == "" || $1 < b) print $1; else print b }')
	done
	echo "$b"
}
