#!/usr/bin/env python3
"""Seeds fuzz_evtx with real chunks: the used part of every chunk of the EVTX files in
../shared/data/evtx (templates, substitutions and damage the generated seeds in
fuzz/corpus/fuzz_evtx lack). Written to a build folder, never into the repository.

usage: seed_evtx.py SHARED_EVTX_DIR OUT_DIR
"""
import os
import struct
import sys

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
n = 0
for dirpath, _, names in os.walk(src):
    for name in sorted(names):
        if not name.endswith(".evtx"):
            continue
        with open(os.path.join(dirpath, name), "rb") as f:
            d = f.read()
        for k in range(4096, len(d) - 512, 65536):
            c = d[k:k + 65536]
            if c[:8] != b"ElfChnk\0":
                continue
            free = min(max(struct.unpack("<I", c[48:52])[0], 512), 65536)
            with open(os.path.join(out, f"{name[:40]}-{k // 65536}"), "wb") as g:
                g.write(c[:free])
            n += 1
            if k > 4096 + 65536 * 3:
                break
print(f"seed_evtx: {n} chunks")
