#!/usr/bin/env python3
"""Runs SigmaHQ's own regression suite with exhunt.

Each SigmaHQ rule with a `regression_tests_path` names a folder holding an .evtx with
the event(s) the rule must match and an info.yml (optionally `match_count`). SigmaHQ's
CI passes when every such rule matches its file at least once (at least match_count
times when given). This does the same with `exhunt scan --rules-only --rules RULE`:
rules exhunt rejects are listed apart (the pass rate is over the rules it loads).

usage: sigma_regression.py EXHUNT SIGMA_DIR [--list-failures]
Exit status 1 when any loaded rule fails.
"""
import json
import os
import re
import subprocess
import sys

TREES = ("rules", "rules-emerging-threats", "rules-threat-hunting")


def rule_files(sigma):
    for tree in TREES:
        for dirpath, _, names in sorted(os.walk(os.path.join(sigma, tree))):
            for n in sorted(names):
                if n.endswith(".yml"):
                    yield os.path.join(dirpath, n)


def main():
    exhunt, sigma = sys.argv[1], sys.argv[2]
    show = "--list-failures" in sys.argv
    passed, failed, rejected = [], [], []
    for path in rule_files(sigma):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        m = re.search(r"^\s*regression_tests_path:\s*(\S+)", text, re.M)
        if not m:
            continue
        info = os.path.join(sigma, m.group(1))
        folder = os.path.dirname(info) if info.endswith(".yml") else info
        want = 1
        info_yml = os.path.join(folder, "info.yml")
        if os.path.exists(info_yml):
            with open(info_yml, encoding="utf-8") as f:
                mc = re.search(r"^\s*match_count:\s*(\d+)", f.read(), re.M)
            if mc:
                want = int(mc.group(1))
        evtx = [os.path.join(folder, n) for n in sorted(os.listdir(folder)) if n.endswith(".evtx")] \
            if os.path.isdir(folder) else []
        if not evtx:
            failed.append((path, "no .evtx in " + folder))
            continue
        rid = re.search(r"^id:\s*(\S+)", text, re.M).group(1)
        r = subprocess.run([exhunt, "scan", "-j", "1", "--rules-only", "--rules", path,
                            "--min-level", "informational", "-f", "jsonl"] + evtx,
                           capture_output=True, check=False)
        err = r.stderr.decode("utf-8", "replace")
        nl = re.search(r"(\d+) rules? loaded, (\d+) not loaded", err)
        if r.returncode not in (0, 1) or not nl or nl.group(1) == "0":
            rejected.append((path, err.strip().splitlines()[-1] if err.strip() else "rejected"))
            continue
        got = 0
        for line in r.stdout.decode("utf-8", "replace").splitlines():
            o = json.loads(line)
            if o.get("type") == "finding" and o.get("rule_id") == rid:
                got += o.get("count", 1)
        if got >= want:
            passed.append(path)
        else:
            failed.append((path, f"{got} match(es), want {want}"))
    total = len(passed) + len(failed)
    print(f"regression rules {total + len(rejected)}: loaded {total}, passed {len(passed)}, "
          f"failed {len(failed)}, rejected by exhunt {len(rejected)}; "
          f"pass rate {100.0 * len(passed) / max(total, 1):.1f}% of loaded")
    for p, why in rejected:
        print(f"  rejected: {os.path.relpath(p, sigma)}: {why}")
    if show or len(failed) <= 20:
        for p, why in failed:
            print(f"  FAIL: {os.path.relpath(p, sigma)}: {why}")
    sys.exit(1 if failed or not passed else 0)


if __name__ == "__main__":
    main()
