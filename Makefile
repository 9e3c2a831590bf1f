# Convenience front end to CMake.
#   make          release build into build/ (CLI at build/exhunt)
#   make test     ASan+UBSan build into build-asan/ and run every test
#   make demo     build and scan the bundled sample evidence
#   make tsan     ThreadSanitizer build into build-tsan/, run the tests that start threads
#   make fuzz     clang libFuzzer build into build-fuzz/, fuzz each target briefly
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 30
# the tests whose scans run workers (every scan starts them; -j 4 and -j 8 in several), EVTX
# helper threads (-j above the number of files), the file checks' per-worker scanners, and
# the probe (libcurl multi): about 2 minutes on 2 cores
TSAN_TESTS ?= ^(cli\.test_(examples|evtx|probe|cli|hostile|files|files_hostile|determinism|golden)|unit\.test_(scan|evtx|probe|filecheck))$$
TSAN_REPORTS = $(CURDIR)/build-tsan/tsan-reports

.PHONY: all test tsan demo fuzz bench clean examples

all:
	cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build build -j $(JOBS)

test:
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DXH_SANITIZE=ON >/dev/null
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS)

# A race fails the run twice over: halt_on_error makes the process exit 66, and every
# report is also written to build-tsan/tsan-reports/ (one file per process, kept for
# reading; world-writable because one test scans as an unprivileged user), so a test that
# does not look at an exit status still cannot hide one. Suppressions: tests/tsan.supp.
tsan:
	cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Debug -DXH_TSAN=ON >/dev/null
	cmake --build build-tsan -j $(JOBS)
	rm -rf $(TSAN_REPORTS) && mkdir -p $(TSAN_REPORTS) && chmod 1777 $(TSAN_REPORTS)
	cd build-tsan && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$(CURDIR)/tests/tsan.supp log_path=$(TSAN_REPORTS)/race" \
	  ctest --output-on-failure -j $(JOBS) -R '$(TSAN_TESTS)'; rc=$$?; \
	  if ls $(TSAN_REPORTS)/race.* >/dev/null 2>&1; then cat $(TSAN_REPORTS)/race.*; \
	    echo "ThreadSanitizer: $$(ls $(TSAN_REPORTS) | wc -l) report(s) above, kept in $(TSAN_REPORTS)"; exit 1; fi; \
	  exit $$rc

# The sample is an intrusion: the scan exits 1 (a compromised host), which is what the
# demo expects; any other exit fails it.
demo: all
	@./build/exhunt scan examples/collection; rc=$$?; \
	if [ $$rc -eq 1 ]; then echo "(exit 1, as expected: the sample evidence is a compromised server)"; \
	else echo "demo: exhunt scan exited $$rc, expected 1 (the sample is an intrusion)" >&2; exit 1; fi

fuzz:
	CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DXH_FUZZ=ON >/dev/null
	cmake --build build-fuzz -j $(JOBS)
	if [ -d ../shared/data/evtx ]; then python3 fuzz/seed_evtx.py ../shared/data/evtx build-fuzz/seed-fuzz_evtx; fi
	for f in build-fuzz/fuzz_*; do case $$f in *_replay) continue;; esac; \
	  n=$$(basename $$f); mkdir -p build-fuzz/corpus-$$n; \
	  echo "fuzzing $$n for $(FUZZ_SECONDS) s"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 build-fuzz/corpus-$$n fuzz/corpus/$$n $$(ls -d build-fuzz/seed-$$n 2>/dev/null) \
	    >build-fuzz/$$n.log 2>&1 || { tail -n 60 build-fuzz/$$n.log; exit 1; }; \
	  tail -n 1 build-fuzz/$$n.log; done

examples: all
	rm -rf examples/collection
	./build/exgen --seed 1 --manifest examples/manifest.json examples/collection
	find examples -type d -empty -delete  # git keeps no empty folder; keep the tree as a clone has it

bench: all
	bash bench/readers.sh
	bash bench/rules.sh
	bash bench/probe.sh
	bash bench/files.sh
	bash bench/evtx.sh

clean:
	rm -rf build build-asan build-tsan build-fuzz
