#!/usr/bin/env python3
"""Compares exhunt's decoding of EVTX files with the Rust `evtx` crate's JSON.

SigmaHQ's regression data holds, next to each .evtx, the same events as parsed by the
Rust crate (an independent decoder). For every .evtx under the given folder this runs
`exhunt dump -f jsonl`, flattens the crate's JSON the way exhunt names fields
(lib/readers/evtx_decode.h), pairs events by EventRecordID and compares every field.

Differences are counted by type. Two are renderings, not decoding errors, and are
reported separately:
  guid-braces     exhunt renders GUIDs as Windows does, {XXXXXXXX-...}; the crate omits
                  the braces
  time-precision  exhunt keeps FILETIME's 100 ns digits (7), the crate prints 6
Anything else (a value that differs, a field only one side has, an event only one side
decoded) is a mismatch. Exit status 1 when there is any, or when nothing was compared.

usage: evtx_compare.py EXHUNT DIR [--show N]
"""
import json
import os
import subprocess
import sys
from collections import Counter


def text(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return ", ".join(text(x) for x in v)
    return str(v)


def flatten(ev):
    """The crate's {"Event": {...}} as exhunt's flat name -> value map."""
    out = {}
    e = ev.get("Event", ev)
    for k, v in (e.get("System") or {}).items():
        if isinstance(v, dict):
            for a, av in (v.get("#attributes") or {}).items():
                if av is not None and text(av) != "":
                    out[f"{k}_{a}"] = text(av)
            if "#text" in v:
                out[k] = text(v["#text"])
        elif v is not None:
            out[k] = text(v)
    ed = e.get("EventData")
    if isinstance(ed, dict):
        for k, v in ed.items():
            if k == "#attributes":
                continue
            if k == "Data":
                vals = v.get("#text") if isinstance(v, dict) else v
                if not isinstance(vals, list):
                    vals = [vals]
                for i, x in enumerate(vals, 1):
                    out[f"Data[{i}]"] = text(x)
            elif isinstance(v, dict) and "#text" in v:
                out[k] = text(v["#text"])
            else:
                out[k] = text(v)

    def leaves(d):
        for k, v in d.items():
            if k == "#attributes":
                continue
            if isinstance(v, dict):
                if "#text" in v:
                    out[k] = text(v["#text"])
                else:
                    leaves(v)
            else:
                out[k] = text(v)

    ud = e.get("UserData")
    if isinstance(ud, dict):
        leaves(ud)
    return out


def kind(ours, theirs):
    if ours == theirs:
        return None
    if ours.startswith("{") and ours.endswith("}") and ours[1:-1].upper() == theirs.upper():
        return "guid-braces"
    if len(ours) == 28 and ours.endswith("Z") and theirs.endswith("Z") and \
            (ours[:26] + "Z" == theirs or ours[:-1] + "00Z" == theirs):
        return "time-precision"
    return "value"


def main():
    exhunt, root = sys.argv[1], sys.argv[2]
    show = int(sys.argv[sys.argv.index("--show") + 1]) if "--show" in sys.argv else 5
    counts, shown = Counter(), 0
    files = events = fields = 0
    for dirpath, _, names in sorted(os.walk(root)):
        for name in sorted(names):
            if not name.endswith(".evtx"):
                continue
            jpath = os.path.join(dirpath, name[:-5] + ".json")
            if not os.path.exists(jpath):
                continue
            with open(jpath, encoding="utf-8") as f:
                raw = f.read()
            theirs = {}
            dec = json.JSONDecoder()
            i = 0
            while i < len(raw):
                while i < len(raw) and raw[i].isspace():
                    i += 1
                if i >= len(raw):
                    break
                obj, i = dec.raw_decode(raw, i)
                for ev in obj if isinstance(obj, list) else [obj]:
                    flat = flatten(ev)
                    theirs[flat.get("EventRecordID")] = flat
            out = subprocess.run([exhunt, "dump", "-q", "-j", "1", "-f", "jsonl",
                                  os.path.join(dirpath, name)], capture_output=True, check=False)
            ours = {}
            for line in out.stdout.decode("utf-8", "replace").splitlines():
                r = json.loads(line)
                if r.get("type") != "record" or r.get("bad"):
                    continue
                f = dict(r["fields"])
                # aliases and the multi-valued Data name are exhunt's extra names
                for a in ("TimeCreated", "UserID", "Data"):
                    f.pop(a, None)
                ours[f.get("EventRecordID")] = f
            files += 1
            for rid, t in theirs.items():
                o = ours.get(rid)
                if o is None:
                    counts["event-missing"] += 1
                    continue
                events += 1
                for k, tv in t.items():
                    fields += 1
                    if k not in o:
                        why = "field-missing"
                    else:
                        why = kind(o[k], tv)
                    if why:
                        counts[why] += 1
                        if why not in ("guid-braces", "time-precision") and shown < show:
                            shown += 1
                            print(f"{os.path.relpath(jpath, root)} record {rid} {k}: "
                                  f"exhunt {o.get(k)!r} crate {tv!r}", file=sys.stderr)
                for k in o:
                    if k not in t:
                        counts["field-extra"] += 1
                        if shown < show:
                            shown += 1
                            print(f"{os.path.relpath(jpath, root)} record {rid} extra {k}={o[k]!r}",
                                  file=sys.stderr)
            for rid in ours:
                if rid not in theirs:
                    counts["event-extra"] += 1
    bad = sum(v for k, v in counts.items() if k not in ("guid-braces", "time-precision"))
    print(f"files {files} events {events} fields {fields} mismatches {bad}")
    for k, v in sorted(counts.items()):
        print(f"  {k}: {v}")
    sys.exit(1 if bad or not events else 0)


if __name__ == "__main__":
    main()
