#!/usr/bin/env python3
"""The layout check: lib/README.md's table "Folders and what each may include" enforced on
every #include "..." and on every symbol the compiled objects take from each other.

The table is the only source of the rules; nothing about the folders is written here.
What is checked:

  includes   lib/**/*.{c,h}: "exhunt/..." (public), or "F/x.h" with F the file's own folder
             or one in its row; a bare "x.h" is a style error (includes are written from
             lib/). cli/*.{c,h}: only exhunt/*.h and cli's own headers. tools/**: nothing of
             lib/ or include/. Cycles of the include graph are reported too, a file and
             its header of the same name counted as one (a.c includes b.h, b.c includes a.h).
  symbols    with --objects BUILD: nm on the objects of the library
             (BUILD/CMakeFiles/exhunt_lib.dir/**.o) and of the CLI
             (BUILD/CMakeFiles/exhunt.dir/cli/*.o); each undefined symbol is mapped to the
             object defining it. A lib folder may use only symbols of its own folder and of
             the folders in its row; cli/ only symbols named in include/exhunt/*.h; no two
             files may depend on each other (each elementary cycle of the file graph is
             printed with the symbols that tie it) and no two folders either. The generated
             sources (BUILD/rules_pack.c, BUILD/files_embed.c) belong to the folder whose
             header they include (detect/, files/) and are named "<build>/NAME".

Each violation is one line, "path:line: what (rule: ...)" (symbol lines carry no line
number: objects do not say where a call is written).

Usage:
  check_layout.py --src . [--objects build-asan]            print violations, exit 1 if any
  check_layout.py --src . --objects build-asan --known tests/layout/known_violations.txt
        exit 1 on a violation that is not listed, and on a listed one that no longer occurs
        (the list can only shrink); line numbers are compared as "file.c:N", so an edit
        that moves an include does not count as a change
  check_layout.py --src . --objects build-asan --print      print the allow-list as it
        would be today (header included), exit 0

Regenerate the allow-list (after removing a circle, or to see today's state):
  python3 tests/layout/check_layout.py --src . --objects build-asan --print \
      >tests/layout/known_violations.txt
(run in the repository after `make test`; `--objects build` works the same.)

Python standard library only; needs `nm` (binutils) for the symbol part.
"""
import argparse
import os
import re
import subprocess
import sys

TABLE_HEADING = "## Folders and what each may include"
INCLUDE_RE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
MAX_CYCLES = 200  # per strongly connected component; past it the component is printed whole
MAX_STEPS = 200000  # search steps per component, for the same reason

KNOWN_HEADER = """\
# Layout violations the tree still has (tests/layout/check_layout.py; ctest layout.check).
# The check fails on a violation not listed here and on a listed one that no longer occurs,
# so this list can only shrink. Regenerate, after `make test`, with:
#   python3 tests/layout/check_layout.py --src . --objects build-asan --print >tests/layout/known_violations.txt
"""


class Layout:
    """The table of lib/README.md: folder -> the folders it may include, in table order."""

    def __init__(self, readme):
        self.order = []
        self.allowed = {}
        self.errors = []
        with open(readme, encoding="utf-8") as f:
            lines = f.read().split("\n")
        try:
            start = lines.index(TABLE_HEADING)
        except ValueError:
            raise SystemExit(f"{readme}: no heading '{TABLE_HEADING}'")
        in_table = False
        for n, line in enumerate(lines[start + 1:], start + 2):
            if line.startswith("## "):
                break
            if not line.startswith("|"):
                if in_table:
                    break
                continue
            in_table = True
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            m = re.fullmatch(r"`([a-z0-9_]+)/`", cells[0]) if cells else None
            if not m:
                continue  # the header row and the --- row
            if len(cells) < 2:
                self.errors.append(f"{readme}:{n}: row without a 'may include' cell")
                continue
            folder = m.group(1)
            deps = [] if cells[1] == "-" else [d.strip().rstrip("/") for d in cells[1].split(",")]
            self.order.append(folder)
            self.allowed[folder] = deps
        if not self.order:
            raise SystemExit(f"{readme}: no table rows under '{TABLE_HEADING}'")
        # the table claims a ladder: each row names only folders above it
        for i, folder in enumerate(self.order):
            for d in self.allowed[folder]:
                if d not in self.allowed:
                    self.errors.append(f"lib/README.md: `{folder}/` may include '{d}', which is no folder of the table")
                elif self.order.index(d) >= i:
                    self.errors.append(f"lib/README.md: `{folder}/` may include {d}/, which does not stand above it (the table is a ladder)")

    def may(self, folder, other):
        return other == folder or other in self.allowed.get(folder, ())

    def rule(self, folder, verb="include"):
        deps = self.allowed.get(folder)
        if not deps:
            return f"rule: {folder}/ may {verb} only its own folder" + (" and exhunt/" if verb == "include" else "")
        return f"rule: {folder}/ may {verb} {', '.join(deps)}" + (" and exhunt/" if verb == "include" else "")


def walk(root, exts):
    """Files below root with one of the extensions, as sorted paths relative to root's parent."""
    out = []
    for d, dirs, files in os.walk(root):
        dirs.sort()
        out.extend(os.path.join(d, f) for f in sorted(files) if f.endswith(exts))
    return out


def includes(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            m = INCLUDE_RE.match(line)
            if m:
                yield n, m.group(1)


def check_includes(src, layout):
    """Include violations, and the include graph (file -> {file: [line]})."""
    bad = []
    graph = {}
    lib = os.path.join(src, "lib")

    def rel(p):
        return os.path.relpath(p, src)

    def edge(a, b, n):
        if os.path.isfile(os.path.join(src, b)):
            graph.setdefault(a, {}).setdefault(b, []).append(n)

    for folder in sorted(os.listdir(lib)):
        if os.path.isdir(os.path.join(lib, folder)) and folder not in layout.allowed:
            bad.append(f"lib/{folder}/: folder not in lib/README.md's table (rule: every folder of lib/ has a row)")
    for p in walk(lib, (".c", ".h")):
        f = rel(p)
        parts = f.split(os.sep)
        folder = parts[1] if len(parts) > 2 else ""
        if not folder:
            bad.append(f"{f}: directly in lib/ (rule: every file of lib/ sits in a folder of the table)")
            continue
        for n, inc in includes(p):
            top = inc.split("/")[0]
            if inc.startswith("exhunt/"):
                edge(f, "include/" + inc, n)
            elif "/" not in inc:
                bad.append(f'{f}:{n}: bare include "{inc}" (rule: includes are written from lib/, "folder/{inc}")')
            elif top not in layout.allowed:
                bad.append(f'{f}:{n}: includes "{inc}", not a folder of lib/ ({layout.rule(folder)})')
            else:
                edge(f, "lib/" + inc, n)
                if not layout.may(folder, top):
                    bad.append(f'{f}:{n}: includes "{inc}" of {top}/ ({layout.rule(folder)})')
    for p in walk(os.path.join(src, "cli"), (".c", ".h")):
        f = rel(p)
        for n, inc in includes(p):
            if inc.startswith("exhunt/"):
                edge(f, "include/" + inc, n)
            elif "/" not in inc and os.path.isfile(os.path.join(src, "cli", inc)):
                edge(f, "cli/" + inc, n)
            elif inc.startswith("cli/"):
                edge(f, inc, n)
            else:
                bad.append(f'{f}:{n}: includes "{inc}" (rule: cli/ includes only exhunt/*.h and cli/*.h)')
    for p in walk(os.path.join(src, "tools"), (".c", ".h")):
        f = rel(p)
        for n, inc in includes(p):
            top = inc.split("/")[0]
            if inc.startswith("exhunt/") or top in layout.allowed or "lib/" in inc or "include/" in inc:
                bad.append(f'{f}:{n}: includes "{inc}" (rule: tools/ includes nothing of lib/ or include/)')
    for p in walk(os.path.join(src, "include"), (".h",)):
        f = rel(p)
        for n, inc in includes(p):
            edge(f, "include/" + inc, n)
    return bad, graph


def elementary_cycles(graph):
    """Elementary cycles of a directed graph {node: set(nodes)}, each as a node list starting at
    its smallest node; per strongly connected component at most MAX_CYCLES, past that the
    component itself is returned (as a list with None first)."""
    out = []
    for comp in sccs(graph):
        if len(comp) < 2:
            continue
        members = set(comp)
        found = []
        steps = 0
        for start in sorted(comp):
            # cycles through `start` using only nodes greater than it (each cycle once)
            stack = [(start, iter(sorted(n for n in graph.get(start, ()) if n in members and n >= start)))]
            path = [start]
            on_path = {start}
            while stack and len(found) <= MAX_CYCLES and steps <= MAX_STEPS:
                steps += 1
                node, it = stack[-1]
                nxt = next(it, None)
                if nxt is None:
                    stack.pop()
                    on_path.discard(path.pop())
                elif nxt == start:
                    found.append(list(path))
                elif nxt not in on_path:
                    path.append(nxt)
                    on_path.add(nxt)
                    stack.append((nxt, iter(sorted(n for n in graph.get(nxt, ()) if n in members and n >= start))))
        if len(found) > MAX_CYCLES or steps > MAX_STEPS:
            out.append([None] + sorted(comp))
        else:
            out.extend(found)
    return out


def sccs(graph):
    """Tarjan's strongly connected components (iterative)."""
    index, low, on, stack, comps = {}, {}, set(), [], []
    nodes = sorted(set(graph) | {m for v in graph.values() for m in v})
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph.get(w, ())))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                comps.append(comp)
    return comps


def cycle_lines(graph, label, what, rule):
    """One line per elementary cycle: 'first: LABEL a -> b [what(a,b)] -> a [...] (rule)'."""
    lines = []
    for cyc in elementary_cycles({a: set(b) for a, b in graph.items()}):
        if cyc[0] is None:
            lines.append(f"{cyc[1]}: {label} among {len(cyc) - 1} files, too many circles to list: "
                         f"{' '.join(cyc[1:])} ({rule})")
            continue
        hops = [f"{a} -> {b} [{what(a, b)}]" for a, b in zip(cyc, cyc[1:] + cyc[:1])]
        text = hops[0] + "".join(" -> " + h.split(" -> ", 1)[1] for h in hops[1:])
        lines.append(f"{cyc[0]}: {label} {text} ({rule})")
    return lines


def include_cycles(graph):
    """Cycles of the include graph with a file and its header as one unit (x.c + x.h: a.c
    including b.h while b.c includes a.h ties a and b as firmly as two headers including
    each other). Hops name the include that makes them: [lib/a/x.c:12 "a/y.h"]."""
    unit = lambda p: os.path.splitext(p)[0]
    ugraph = {}
    for a, outs in graph.items():
        for b, ns in outs.items():
            if unit(a) != unit(b):
                hops = ugraph.setdefault(unit(a), {}).setdefault(unit(b), [])
                hops += [f'{a}:{n} "{b.split("/", 1)[1]}"' for n in ns]
    return cycle_lines(ugraph, "include cycle", lambda a, b: ", ".join(sorted(ugraph[a][b])),
                       "rule: no two files include each other, a file and its header counted as one")


def objects(src, build):
    """(source name, folder or None, object path) of the library's and the CLI's objects; an
    object whose source is gone (a file moved or deleted since the build) is left out."""
    out = []
    libdir = os.path.join(build, "CMakeFiles", "exhunt_lib.dir")
    for p in walk(libdir, (".o",)):
        rel = os.path.relpath(p, libdir)[:-2]
        if rel.startswith("lib" + os.sep):
            if not os.path.isfile(os.path.join(src, rel)):
                continue
            parts = rel.split(os.sep)
            out.append((rel, parts[1] if len(parts) > 2 else None, p))
        else:  # generated in the build folder: the folder of the lib header it includes
            folder = None
            gen = os.path.join(build, rel)
            if not os.path.isfile(gen):
                continue
            for _, inc in includes(gen):
                if "/" in inc and not inc.startswith("exhunt/"):
                    folder = inc.split("/")[0]
                    break
            out.append(("<build>/" + rel, folder, p))
    for p in walk(os.path.join(build, "CMakeFiles", "exhunt.dir", "cli"), (".o",)):
        rel = os.path.relpath(p, os.path.join(build, "CMakeFiles", "exhunt.dir"))[:-2]
        if os.path.isfile(os.path.join(src, rel)):
            out.append((rel, "cli", p))
    return out


def nm_symbols(nm, path):
    """(defined, undefined) global symbol names of one object."""
    res = subprocess.run([nm, "-P", path], capture_output=True, text=True)
    if res.returncode != 0:
        raise SystemExit(f"{nm} -P {path}: {res.stderr.strip()}")
    defined, undefined = set(), set()
    for line in res.stdout.splitlines():
        f = line.split()
        if len(f) < 2:
            continue
        name, t = f[0], f[1]
        if t in ("U", "w", "v"):
            undefined.add(name)
        elif t.isupper():  # T D B R C V W G S A ...: global definitions
            defined.add(name)
    return defined, undefined - defined


def check_symbols(src, build, layout, nm):
    bad = []
    objs = objects(src, build)
    if not objs:
        raise SystemExit(f"{build}: no objects under CMakeFiles/exhunt_lib.dir (build it first)")
    public = set()
    for p in walk(os.path.join(src, "include"), (".h",)):
        with open(p, encoding="utf-8") as f:
            public.update(IDENT_RE.findall(f.read()))
    folder_of = {}
    owner = {}
    uses = {}
    for name, folder, path in objs:
        folder_of[name] = folder
        if folder is None:
            bad.append(f"{name}: generated source includes no header of a lib folder, so it has no folder "
                       f"(rule: a generated source belongs to the folder whose header it includes)")
        defined, undefined = nm_symbols(nm, path)
        uses[name] = undefined
        for s in defined:
            if s in owner:
                bad.append(f"{name}: defines {s}, also defined in {owner[s]} (rule: one definition per symbol)")
            else:
                owner[s] = name
    graph = {}  # file -> {file: sorted symbols}
    for name in sorted(uses):
        for s in uses[name]:
            o = owner.get(s)
            if o and o != name:
                graph.setdefault(name, {}).setdefault(o, []).append(s)
    for a in graph:
        for b in graph[a]:
            graph[a][b].sort()
    for a in sorted(graph):
        fa = folder_of[a]
        for b in sorted(graph[a]):
            fb = folder_of[b]
            syms = graph[a][b]
            if fa is None or fb is None:
                continue
            if fa == "cli":
                internal = [s for s in syms if s not in public]
                if fb != "cli" and internal:
                    bad.append(f"{a}: uses {', '.join(internal)} of {b}, not in include/exhunt/ "
                               f"(rule: cli/ uses only the public API)")
            elif fb == "cli":
                bad.append(f"{a}: uses {', '.join(syms)} of {b} (rule: the library uses nothing of cli/)")
            elif not layout.may(fa, fb):
                bad.append(f"{a}: uses {', '.join(syms)} of {b} in {fb}/ ({layout.rule(fa, 'use')})")
    bad += cycle_lines(graph, "function cycle", lambda a, b: ", ".join(graph[a][b]),
                       "rule: no two files depend on each other")
    # folders: an edge per folder pair, tied by the file edges behind it
    fgraph = {}
    for a in graph:
        for b in graph[a]:
            fa, fb = folder_of[a], folder_of[b]
            if fa and fb and fa != fb:
                fgraph.setdefault(fa + "/", {}).setdefault(fb + "/", []).append(f"{a} -> {b}: {', '.join(graph[a][b])}")
    bad += cycle_lines(fgraph, "folder cycle", lambda a, b: "; ".join(sorted(fgraph[a][b])),
                       "rule: no two folders depend on each other")
    return bad


def key(line):
    """A violation with its line number blanked: the same include on another line is the same one."""
    return re.sub(r"(\.[ch]):\d+\b", r"\1:N", line)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--src", default=".", help="the repository (holds lib/README.md)")
    ap.add_argument("--objects", metavar="BUILD", help="a build folder: check the symbols the objects use")
    ap.add_argument("--known", metavar="FILE", help="the allow-list of today's violations")
    ap.add_argument("--print", action="store_true", help="print the allow-list as it would be now, exit 0")
    ap.add_argument("--nm", default=os.environ.get("NM", "nm"))
    args = ap.parse_args()

    layout = Layout(os.path.join(args.src, "lib", "README.md"))
    bad, igraph = check_includes(args.src, layout)
    bad += layout.errors + include_cycles(igraph)
    if args.objects:
        bad += check_symbols(args.src, args.objects, layout, args.nm)
    bad = sorted(set(bad))

    if args.print:
        sys.stdout.write(KNOWN_HEADER + "".join(v + "\n" for v in bad))
        return 0
    if not args.known:
        for v in bad:
            print(v)
        return 1 if bad else 0
    with open(args.known, encoding="utf-8") as f:
        known = [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]
    now = {key(v) for v in bad}
    listed = {key(v) for v in known}
    new = [v for v in bad if key(v) not in listed]
    gone = [v for v in known if key(v) not in now]
    for v in new:
        print(f"new: {v}")
    for v in gone:
        print(f"gone (remove it from {args.known}): {v}")
    if new or gone:
        print(f"layout: {len(new)} new violation(s), {len(gone)} listed one(s) no longer found; "
              f"regenerate with: python3 tests/layout/check_layout.py --src . --objects BUILD --print >{args.known}")
        return 1
    print(f"layout: {len(bad)} known violation(s), none new")
    return 0


if __name__ == "__main__":
    sys.exit(main())
