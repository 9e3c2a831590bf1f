# Convenience front end to CMake.
#   make          release build into build/ (CLI at build/exhunt)
#   make test     ASan+UBSan build into build-asan/ and run every test
#   make demo     build and scan the bundled sample evidence
#   make fuzz     clang libFuzzer build into build-fuzz/, fuzz each target briefly
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 30

.PHONY: all test demo fuzz bench clean examples

all:
	cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build build -j $(JOBS)

test:
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DXH_SANITIZE=ON >/dev/null
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS)

demo: all
	./build/exhunt scan examples/collection

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
	rm -rf build build-asan build-fuzz
