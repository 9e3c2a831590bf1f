#!/usr/bin/env python3
"""Checks exhunt's EVTX decoding against libevtx's evtxexport (Debian libevtx-utils).

For each file evtxexport reads, the records it prints must all be among exhunt's, in
the same order, with the same EventID, provider (evtxexport's "Source name"), computer
and written time (to the millisecond). exhunt may decode more records than evtxexport
(it recovers records after damage that evtxexport drops), never fewer.

usage: evtx_oracle.py EXHUNT EVTX...
Prints one line per file and a total; exit 1 on any difference.
"""
import calendar
import json
import re
import subprocess
import sys
import time


def oracle(path):
    out = subprocess.run(["evtxexport", path], capture_output=True, check=False).stdout.decode("utf-8", "replace")
    recs, cur = [], None
    for line in out.splitlines():
        k, _, v = line.partition(":")
        k, v = k.strip(), v.strip()
        if k == "Event number":
            cur = {}
            recs.append(cur)
        elif cur is None:
            continue
        elif k == "Written time":
            # "May 24, 2019 01:33:53.122501000 UTC"
            m = re.match(r"(\w+ \d+, \d+ \d+:\d+:\d+)\.(\d+) UTC", v)
            if m:
                t = calendar.timegm(time.strptime(m.group(1), "%b %d, %Y %H:%M:%S"))
                cur["ms"] = t * 1000 + int(m.group(2)[:3])
        elif k == "Source name":
            cur["provider"] = v
        elif k == "Computer name":
            cur["computer"] = v
        elif k == "Event identifier":
            m = re.search(r"\((\d+)\)", v)
            cur["eid"] = m.group(1) if m else v
    return recs


def ours(exhunt, path):
    out = subprocess.run([exhunt, "dump", "-q", "-j", "1", "-f", "jsonl", path],
                         capture_output=True, check=False).stdout.decode("utf-8", "replace")
    recs = []
    for line in out.splitlines():
        r = json.loads(line)
        if r.get("type") != "record" or r.get("bad"):
            continue
        f = r["fields"]
        recs.append({"eid": f.get("EventID"), "computer": f.get("Computer"),
                     # evtxexport names the event source when the provider has one
                     "provider": f.get("Provider_EventSourceName") or f.get("Provider_Name")})
    return recs


def main():
    exhunt = sys.argv[1]
    bad = files = compared = 0
    for path in sys.argv[2:]:
        theirs = oracle(path)
        if not theirs:
            print(f"{path}: evtxexport reads nothing (not compared)")
            continue
        files += 1
        mine = ours(exhunt, path)
        j, diffs = 0, 0
        for t in theirs:
            # the next of our records with the same identity (ours may hold extra ones)
            while j < len(mine) and not (mine[j]["eid"] == t.get("eid") and
                                         (mine[j]["provider"] or "") == t.get("provider", "") and
                                         (mine[j]["computer"] or "") == t.get("computer", "")):
                j += 1
            if j == len(mine):
                diffs += 1
                break
            j += 1
            compared += 1
        print(f"{path}: evtxexport {len(theirs)}, exhunt {len(mine)}, {'ok' if not diffs else 'DIFFERENT'}")
        bad += diffs
    print(f"oracle: {files} files, {compared} records matched, {bad} differences")
    sys.exit(1 if bad or not files else 0)


if __name__ == "__main__":
    main()
