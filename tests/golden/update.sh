#!/usr/bin/env bash
# Regenerates the golden outputs in tests/golden/ with the release build (make), after a
# change that is meant to change what exhunt prints. Review `git diff tests/golden` before
# committing: every changed line is a change users see.
#   tests/golden/update.sh            uses build/exhunt and build/exgen (runs make first)
#   BUILD=build-asan tests/golden/update.sh
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-build}
case $build in /*) ;; *) build=$src/$build ;; esac
if [ "$build" = "$src/build" ]; then make -s -C "$src" >/dev/null; fi
[ -x "$build/exhunt" ] && [ -x "$build/exgen" ] || { echo "no $build/exhunt or $build/exgen: build first (make)" >&2; exit 2; }
rm -f "$src"/tests/golden/sample.*
EXHUNT=$build/exhunt EXGEN=$build/exgen XH_SRC=$src bash "$src/tests/golden/outputs.sh" "$src/tests/golden"
git -C "$src" status --short tests/golden
