#!/usr/bin/env python3
"""Writes small, valid .evtx files from a JSON description of events (Python stdlib).

Used for the rule pack's event-log tests (tests/rules/<rule>/*.evtx.gz, made from
tests/evtx/<rule>/*.json by `tools/mkevtx.py --all`) and for hand-made decoder cases.
Events are written the way forwarded events (WEC) are: binary XML with every element,
attribute and value inline, no templates, in one chunk, with correct checksums. The
output is byte-identical for the same input (gzip without a timestamp).

Input: {"events": [event, ...]} where an event is
  {"System": {"Provider": {"Name": "MSExchange CmdletLogs"}, "EventID": 1, "Level": 4,
              "TimeCreated": {"SystemTime": "2021-03-03T07:00:00.000Z"},
              "EventRecordID": 7, "Channel": "MSExchange Management", "Computer": "EX01"},
   "EventData": {"Name": "value", ...}        (named <Data Name=...> items)
             or ["value", ...]}               (unnamed <Data> items)
A dict value in System gives attributes; scalars give text.

usage: mkevtx.py IN.json OUT.evtx[.gz]
       mkevtx.py --all          (every tests/evtx/<rule>/<name>.json to tests/rules/<rule>/<name>.evtx.gz)
       mkevtx.py --check        (as --all, but only verify that the committed files are current)
"""
import binascii
import calendar
import gzip
import io
import json
import os
import struct
import sys
import time

CHUNK = 65536


def u16(s):
    return s.encode("utf-16-le")


class Chunk:
    """Binary XML for records in one chunk: offsets are chunk-relative."""

    def __init__(self):
        self.buf = bytearray(512)

    def name(self, out, n):
        # the name structure inline, right after its 4-byte offset
        pos = 512 + len(self.buf) - 512 + len(out) + 4
        out += struct.pack("<I", pos)
        out += struct.pack("<IHH", 0, sum(map(ord, n)) & 0xFFFF, len(n)) + u16(n) + b"\0\0"

    def text(self, out, v):
        s = str(v)
        out += b"\x05\x01" + struct.pack("<H", len(s)) + u16(s)

    def element(self, out, name, attrs, text, children):
        out += b"\x41" if attrs else b"\x01"
        out += b"\xff\xff" + struct.pack("<I", 0)  # dependency id, data size (unused by readers)
        self.name(out, name)
        if attrs:
            out += struct.pack("<I", 0)
            items = list(attrs.items())
            for i, (an, av) in enumerate(items):
                out += b"\x46" if i + 1 < len(items) else b"\x06"
                self.name(out, an)
                self.text(out, av)
        if text is None and not children:
            out += b"\x03"
            return
        out += b"\x02"
        if text is not None:
            self.text(out, text)
        for c in children:
            self.element(out, *c)
        out += b"\x04"


def tree(ev):
    sysc = []
    for k, v in ev["System"].items():
        if isinstance(v, dict):
            sysc.append((k, {a: str(x) for a, x in v.items()}, None, []))
        else:
            sysc.append((k, {}, str(v), []))
    kids = [("System", {}, None, sysc)]
    ed = ev.get("EventData")
    if isinstance(ed, dict):
        kids.append(("EventData", {}, None, [("Data", {"Name": k}, str(v), []) for k, v in ed.items()]))
    elif isinstance(ed, list):
        kids.append(("EventData", {}, None, [("Data", {}, str(v), []) for v in ed]))
    return ("Event", {"xmlns": "http://schemas.microsoft.com/win/2004/08/events/event"}, None, kids)


def filetime(iso):
    base, _, frac = iso.rstrip("Z").partition(".")
    t = calendar.timegm(time.strptime(base, "%Y-%m-%dT%H:%M:%S"))
    ticks = int((frac + "0000000")[:7]) if frac else 0
    return (t + 11644473600) * 10000000 + ticks


def build(events):
    ch = Chunk()
    first = last = None
    last_off = 512
    for i, ev in enumerate(events):
        rid = int(ev["System"].get("EventRecordID", i + 1))
        first = rid if first is None else first
        last = rid
        off = len(ch.buf)
        body = bytearray(b"\x0f\x01\x01\x00")
        # offsets inside body are relative to the chunk: record header is 24 bytes
        saved = ch.buf
        ch.buf = bytearray(off + 24)
        ch.element(body, *tree(ev))
        ch.buf = saved
        body += b"\x00"
        while (len(body) + 28) % 8:
            body += b"\x00"
        size = len(body) + 28
        when = ev["System"].get("TimeCreated", {}).get("SystemTime", "2021-01-01T00:00:00Z")
        ch.buf += struct.pack("<IIQQ", 0x2A2A, size, rid, filetime(when)) + body + struct.pack("<I", size)
        last_off = off
    if len(ch.buf) > CHUNK:
        sys.exit("mkevtx: events do not fit one chunk")
    free = len(ch.buf)
    c = bytearray(ch.buf) + bytearray(CHUNK - len(ch.buf))
    c[0:8] = b"ElfChnk\0"
    struct.pack_into("<QQQQIII", c, 8, 1, len(events), first or 1, last or 0, 128, last_off, free)
    struct.pack_into("<I", c, 52, binascii.crc32(bytes(c[512:free])))
    struct.pack_into("<I", c, 124, binascii.crc32(bytes(c[0:120]) + bytes(c[128:512])))
    h = bytearray(4096)
    h[0:8] = b"ElfFile\0"
    struct.pack_into("<QQQIHHHH", h, 8, 0, 0, (last or 0) + 1, 128, 1, 3, 4096, 1)
    struct.pack_into("<I", h, 124, binascii.crc32(bytes(h[0:120])))
    return bytes(h) + bytes(c)


def write(src, dst, check=False):
    with open(src, encoding="utf-8") as f:
        data = build(json.load(f)["events"])
    if dst.endswith(".gz"):
        b = io.BytesIO()
        with gzip.GzipFile(fileobj=b, mode="wb", mtime=0, filename="") as g:
            g.write(data)
        data = b.getvalue()
    if check:
        try:
            with open(dst, "rb") as f:
                return f.read() == data
        except OSError:
            return False
    with open(dst, "wb") as f:
        f.write(data)
    return True


def main():
    if sys.argv[1] in ("--all", "--check"):
        root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests")
        stale = 0
        for rule in sorted(os.listdir(os.path.join(root, "evtx"))):
            sdir = os.path.join(root, "evtx", rule)
            if not os.path.isdir(sdir):
                continue
            for n in sorted(os.listdir(sdir)):
                if n.endswith(".json"):
                    dst = os.path.join(root, "rules", rule, n[:-5] + ".evtx.gz")
                    if sys.argv[1] == "--check":
                        if not write(os.path.join(sdir, n), dst, check=True):
                            print(f"stale or missing: {dst} (run tools/mkevtx.py --all)")
                            stale += 1
                    else:
                        os.makedirs(os.path.dirname(dst), exist_ok=True)
                        write(os.path.join(sdir, n), dst)
        sys.exit(1 if stale else 0)
    write(sys.argv[1], sys.argv[2])


if __name__ == "__main__":
    main()
