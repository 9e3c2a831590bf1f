#!/usr/bin/env python3
"""Self-test of the layout check (ctest layout.selftest): a synthetic tree with the real
lib/README.md, checked clean, then with one planted fault at a time, each of which the
check must report (file and line where there is one) and fail on: a wrong include, a bare
include, a call cycle between two files (two objects built with cc -c), a call into a
folder the table forbids, an include cycle; and the allow-list: a listed violation passes,
a stale listed line fails.

  selftest.py --src REPO [--cc cc]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CHECK = os.path.join(HERE, "check_layout.py")
failures = []
cases = []


def write(root, rel, text):
    p = os.path.join(root, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w", encoding="utf-8") as f:
        f.write(text)


def build_objects(root, cc):
    """cc -c every lib/**/*.c of the tree into BUILD/CMakeFiles/exhunt_lib.dir, as CMake does."""
    build = os.path.join(root, "build")
    shutil.rmtree(build, ignore_errors=True)
    for d, _, files in os.walk(os.path.join(root, "lib")):
        for f in files:
            if f.endswith(".c"):
                src = os.path.join(d, f)
                obj = os.path.join(build, "CMakeFiles", "exhunt_lib.dir", os.path.relpath(src, root) + ".o")
                os.makedirs(os.path.dirname(obj), exist_ok=True)
                subprocess.run([cc, "-c", "-I", os.path.join(root, "lib"), "-I", os.path.join(root, "include"),
                                "-o", obj, src], check=True)
    return build


def run(root, *extra):
    res = subprocess.run([sys.executable, CHECK, "--src", root, "--objects", os.path.join(root, "build"), *extra],
                         capture_output=True, text=True)
    return res.returncode, res.stdout + res.stderr


def expect(what, rc, out, want_rc, *want_text):
    cases.append(what)
    missing = [t for t in want_text if t not in out]
    if rc != want_rc or missing:
        failures.append(f"{what}: exit {rc} (want {want_rc}), missing {missing}; output:\n{out}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", required=True)
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"))
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="exhunt-layout.")
    try:
        root = os.path.join(tmp, "tree")
        shutil.copytree(os.path.join(args.src, "lib"), os.path.join(root, "lib"),
                        ignore=lambda d, names: [n for n in names if n.endswith((".c", ".h"))])
        os.makedirs(os.path.join(root, "cli"))
        os.makedirs(os.path.join(root, "tools"))
        write(root, "include/exhunt/exhunt.h", "/* public */\nint xh_public(void);\n")
        # a correct tree: model/ uses common/, both by include and by call
        write(root, "lib/common/util.h", "/* util */\nint xh_util(int);\n")
        write(root, "lib/common/util.c", '/* util */\n#include "common/util.h"\nint xh_util(int x) { return x + 1; }\n')
        write(root, "lib/model/finding.c",
              '/* finding */\n#include "exhunt/exhunt.h"\n#include "common/util.h"\nint xh_finding(void);\n'
              "int xh_finding(void) { return xh_util(1); }\n")
        build_objects(root, args.cc)
        rc, out = run(root)
        expect("correct tree", rc, out, 0)

        # (i) a common/ file including a scan/ header, on line 3
        write(root, "lib/common/bad.c", '/* bad */\n#include "common/util.h"\n#include "scan/x.h"\n')
        rc, out = run(root)
        expect("wrong include", rc, out, 1, 'lib/common/bad.c:3: includes "scan/x.h" of scan/', "rule: common/ may include only")
        os.remove(os.path.join(root, "lib/common/bad.c"))

        # (ii) a bare include
        write(root, "lib/model/bare.c", '/* bare */\n#include "util.h"\n')
        rc, out = run(root)
        expect("bare include", rc, out, 1, 'lib/model/bare.c:2: bare include "util.h"')
        os.remove(os.path.join(root, "lib/model/bare.c"))

        # (iii) two files calling each other
        write(root, "lib/common/ping.c", "/* ping */\nint xh_pong(int);\nint xh_ping(int);\n"
              "int xh_ping(int n) { return n ? xh_pong(n - 1) : 0; }\n")
        write(root, "lib/common/pong.c", "/* pong */\nint xh_ping(int);\nint xh_pong(int);\n"
              "int xh_pong(int n) { return n ? xh_ping(n - 1) : 1; }\n")
        build_objects(root, args.cc)
        rc, out = run(root)
        expect("function cycle", rc, out, 1, "function cycle lib/common/ping.c -> lib/common/pong.c [xh_pong]"
               " -> lib/common/ping.c [xh_ping]")
        # the allow-list: listed, it passes; a listed line that is gone fails
        known = os.path.join(tmp, "known.txt")
        with open(known, "w") as f:
            f.write(run(root, "--print")[1])
        rc, out = run(root, "--known", known)
        expect("cycle on the allow-list", rc, out, 0, "1 known violation")
        for f in ("ping.c", "pong.c"):
            os.remove(os.path.join(root, "lib/common", f))
        build_objects(root, args.cc)
        rc, out = run(root, "--known", known)
        expect("stale allow-list line", rc, out, 1, "gone (remove it from", "xh_pong")

        # a call into a folder the table forbids (no include says so)
        write(root, "lib/common/up.c", "/* up */\nint xh_finding(void);\nint xh_up(void);\nint xh_up(void) { return xh_finding(); }\n")
        build_objects(root, args.cc)
        rc, out = run(root)
        expect("forbidden call", rc, out, 1, "lib/common/up.c: uses xh_finding of lib/model/finding.c in model/")
        os.remove(os.path.join(root, "lib/common/up.c"))

        # an include cycle: a.c includes b.h, b.c includes a.h
        write(root, "lib/model/a.h", "/* a */\n")
        write(root, "lib/model/b.h", "/* b */\n")
        write(root, "lib/model/a.c", '/* a */\n#include "model/b.h"\n')
        write(root, "lib/model/b.c", '/* b */\n#include "model/a.h"\n')
        build_objects(root, args.cc)
        rc, out = run(root)
        expect("include cycle", rc, out, 1, 'include cycle lib/model/a -> lib/model/b [lib/model/a.c:2 "model/b.h"]')
        for f in ("a.h", "b.h", "a.c", "b.c"):
            os.remove(os.path.join(root, "lib/model", f))

        # cli/ and tools/: cli takes only public headers and its own, tools nothing of lib/
        write(root, "cli/main.c", '/* cli */\n#include "exhunt/exhunt.h"\n#include "model/finding.h"\n')
        write(root, "tools/gen.c", '/* gen */\n#include "common/util.h"\n')
        rc, out = run(root)
        expect("cli and tools includes", rc, out, 1, 'cli/main.c:3: includes "model/finding.h"', 'tools/gen.c:2: includes "common/util.h"')
        os.remove(os.path.join(root, "cli/main.c"))
        os.remove(os.path.join(root, "tools/gen.c"))

        build_objects(root, args.cc)
        rc, out = run(root)
        expect("clean again", rc, out, 0)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print("FAIL:", f)
    print(f"layout selftest: {len(cases) - len(failures)} of {len(cases)} cases as expected")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
