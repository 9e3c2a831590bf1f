#!/usr/bin/env python3
"""Mock Exchange (and not-Exchange) web servers for the exhunt probe tests and benchmark.

One asyncio process listens on 127.0.0.1 (or the addresses given) on one port per
server, plain HTTP or HTTPS, each with a persona: the pages of an Exchange build
(full-build header, CU-only paths, the export-tool manifest, no version at all), a
site that is not Exchange, or a broken host (never answers, huge headers, invalid
status line, binary, TLS cut mid-handshake, redirect loop, endless body). Every
connection and every byte received is RECORDED (JSON Lines, one line per event, bytes
as hex) so the tests can assert exactly what exhunt sent and that excluded hosts were
never contacted.

  mockex.py --servers SPEC... --ready FILE [--record FILE] [--cert C --key K]
  SPEC = name:persona[:tls][@address]   (port picked by the system, written to FILE)
  mockex.py --bench N --ready FILE      N plain-HTTP full-build hosts, nothing recorded

The ready file is a JSON object {name: port}; it appears once every socket listens.
Python standard library only.
"""
import argparse
import asyncio
import json
import os
import signal
import ssl
import sys

LOGON = """<!DOCTYPE html><html><head><title>Outlook</title>
<link rel="shortcut icon" href="/owa/auth/{cu}/themes/resources/favicon.ico" type="image/x-icon">
<link rel="stylesheet" href="/owa/auth/{cu}/themes/resources/logon.css">
<script type="text/javascript" src="/owa/auth/{cu}/scripts/premium/flogon.js"></script></head>
<body><form action="/owa/auth.owa" method="POST" name="logonForm">
<input type="text" id="username" name="username"><input type="password" id="password" name="password">
</form></body></html>"""

LOGON_2010 = """<html><head><title>Outlook Web App</title>
<link type="text/css" rel="stylesheet" href="/owa/{build}/themes/resources/logon.css">
</head><body><form action="/owa/auth.owa" method="POST" name="logonForm"></form></body></html>"""

LOGON_NOVERSION = """<html><head><title>Outlook</title></head>
<body><form action="/owa/auth.owa" method="POST" name="logonForm"></form></body></html>"""

MANIFEST = """<?xml version="1.0" encoding="utf-8"?>
<asmv1:assembly xsi:schemaLocation="urn:schemas-microsoft-com:asm.v1 assembly.adaptive.xsd" manifestVersion="1.0" xmlns:asmv1="urn:schemas-microsoft-com:asm.v1" xmlns="urn:schemas-microsoft-com:asm.v2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <assemblyIdentity name="microsoft.exchange.ediscovery.exporttool.application" version="{build}" publicKeyToken="31bf3856ad364e35" language="neutral" processorArchitecture="msil" xmlns="urn:schemas-microsoft-com:asm.v1" />
  <dependency><dependentAssembly dependencyType="install" codebase="{build}\\microsoft.exchange.ediscovery.exporttool.exe.manifest">
    <assemblyIdentity name="microsoft.exchange.ediscovery.exporttool.exe" version="{build}" publicKeyToken="31bf3856ad364e35" language="neutral" processorArchitecture="msil" type="win32" />
  </dependentAssembly></dependency>
  <dependency><dependentAssembly><assemblyIdentity name="Microsoft.Windows.CommonLanguageRuntime" version="4.0.30319.0" /></dependentAssembly></dependency>
</asmv1:assembly>"""


def response(status, headers=(), body=b"", close=False):
    if isinstance(body, str):
        body = body.encode()
    reason = {200: "OK", 302: "Found", 404: "Not Found"}.get(status, "X")
    lines = ["HTTP/1.1 %d %s" % (status, reason), "Content-Length: %d" % len(body)]
    lines += ["%s: %s" % h for h in headers]
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def logon_redirect(host, tls):
    """OWA's answer to /owa/: to the logon page on the host the client named."""
    scheme = "https" if tls else "http"
    enc = host.replace(":", "%3a").replace("[", "%5b").replace("]", "%5d")
    return response(302, [("Location", "%s://%s/owa/auth/logon.aspx?url=%s%%3a%%2f%%2f%s%%2fowa%%2f&reason=0"
                                     % (scheme, host, scheme, enc))])


def answer(persona, path, host, tls):
    """The bytes to send for one request; None: say nothing; a string: an action."""
    p = path.split("?")[0].lower()
    owa_root = p in ("/owa", "/owa/")
    logon = p == "/owa/auth/logon.aspx"
    tool = p == "/ecp/current/exporttool/microsoft.exchange.ediscovery.exporttool.application"
    if persona == "full":  # 2016 CU19 without the March 2021 update: header shows it all
        if owa_root:
            return logon_redirect(host, tls)
        if logon:
            return response(200, [("X-OWA-Version", "15.1.2176.2"), ("X-FEServer", "EXCH01")],
                            LOGON.format(cu="15.1.2176"))
        return response(404)
    if persona == "cu":  # Exchange SE RTM: paths only (CU), export tool not published
        if owa_root:
            return logon_redirect(host, tls)
        if logon:
            return response(200, [("X-FEServer", "EXCH02")], LOGON.format(cu="15.2.2562"))
        return response(404)
    if persona == "cu_tool":  # 2019 CU12 paths, the export tool pins Nov22SU
        if owa_root:
            return response(200, [], LOGON.format(cu="15.2.1118"))
        if tool:
            return response(200, [("Content-Type", "application/x-ms-application")], MANIFEST.format(build="15.2.1118.20"))
        return response(404)
    if persona == "patched":  # Exchange SE, latest update, header
        if owa_root:
            return response(200, [("X-OWA-Version", "15.2.2562.46")], LOGON.format(cu="15.2.2562"))
        return response(404)
    if persona == "ex2010":
        if owa_root:
            return response(200, [], LOGON_2010.format(build="14.3.513.0"))
        return response(404)
    if persona == "nover":
        if owa_root:
            return response(200, [], LOGON_NOVERSION)
        return response(404)
    if persona == "notex":
        if p == "/":
            return response(200, [("Server", "nginx")], "<html>It works</html>")
        return response(404, [("Server", "nginx")], "<html>Not Found</html>")
    if persona == "hostile":  # server bytes that must never reach a terminal raw
        if owa_root:
            return (b"HTTP/1.1 200 OK\r\nX-FEServer: EVIL\x1b[2J\x1b]0;pwned\x07\xc2\x9b31m\r\n"
                    b"Content-Length: 0\r\n\r\n")
        return response(404)
    if persona == "silent":
        return None
    if persona == "hugehdr":
        hdrs = "".join("X-Junk-%d: %s\r\n" % (i, "j" * 90) for i in range(1000))
        return ("HTTP/1.1 200 OK\r\n" + hdrs + "Content-Length: 0\r\n\r\n").encode()
    if persona == "badstatus":
        return b"HTTP/1.1 2OO Okay-ish\r\nX-OWA-Version: 15.1.2176.2\r\n\r\n"
    if persona == "binary":
        return bytes((i * 37 + 11) % 256 for i in range(4096))
    if persona == "loop":
        nxt = {"/owa/": "/owa/a", "/owa/a": "/owa/b", "/owa/b": "/owa/"}.get(p, "/owa/")
        return response(302, [("Location", nxt)])
    if persona == "offsite":
        return response(302, [("Location", "https://elsewhere.invalid/owa/auth/x.aspx")])
    if persona == "endless":
        return "endless"
    if persona == "bench":
        return BENCH
    return response(404)


BENCH = response(200, [("X-OWA-Version", "15.1.2176.2")], LOGON.format(cu="15.1.2176"))


class Recorder:
    def __init__(self, path):
        self.f = open(path, "a", buffering=1) if path else None
        self.conn = 0

    def event(self, server, conn, kind, data=b""):
        if self.f:
            self.f.write(json.dumps({"server": server, "conn": conn, "event": kind, "hex": data.hex()}) + "\n")


class Conn(asyncio.Protocol):
    def __init__(self, srv, rec):
        self.srv, self.rec, self.buf, self.tr, self.id = srv, rec, b"", None, 0
        self.streaming = False

    def connection_made(self, tr):
        self.tr = tr
        self.rec.conn += 1
        self.id = self.rec.conn
        self.rec.event(self.srv["name"], self.id, "connect")

    def data_received(self, data):
        self.rec.event(self.srv["name"], self.id, "data", data)
        if self.srv["persona"] == "tlscut":  # a TLS port that hangs up mid-handshake
            self.tr.write(b"\x16\x03\x03\x00\x02\x02")  # the start of a record, then nothing
            self.tr.close()
            return
        self.buf += data
        while b"\r\n\r\n" in self.buf:
            head, self.buf = self.buf.split(b"\r\n\r\n", 1)
            lines = head.split(b"\r\n")
            parts = lines[0].split(b" ")
            path = parts[1].decode("latin-1") if len(parts) > 1 else "/"
            host = "127.0.0.1:%d" % self.srv["port"]
            for l in lines[1:]:
                if l.lower().startswith(b"host:"):
                    host = l[5:].strip().decode("latin-1")
            out = answer(self.srv["persona"], path, host, self.srv["tls"])
            if out is None:
                return
            if out == "endless":
                self.stream()
                return
            self.tr.write(out)
            if self.srv["persona"] in ("binary", "badstatus", "hugehdr"):
                self.tr.close()
                return

    def stream(self):
        """200, chunked, the versioned page, then junk chunks for ever (while read)."""
        self.tr.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        page = LOGON.format(cu="15.1.2106").encode()
        self.tr.write(b"%x\r\n%s\r\n" % (len(page), page))
        self.streaming = True
        self.more()

    def more(self):
        if not self.streaming or self.tr.is_closing():
            return
        if self.tr.get_write_buffer_size() < (1 << 20):
            junk = b"x" * 65536
            self.tr.write(b"%x\r\n%s\r\n" % (len(junk), junk))
        asyncio.get_running_loop().call_later(0.002, self.more)

    def connection_lost(self, exc):
        self.streaming = False
        self.rec.event(self.srv["name"], self.id, "close")


class BenchConn(asyncio.Protocol):
    """Benchmark host: answers every request head with the same full-build page."""

    def connection_made(self, tr):
        self.tr, self.buf = tr, b""

    def data_received(self, data):
        self.buf += data
        n = self.buf.count(b"\r\n\r\n")
        if n:
            self.buf = self.buf.rsplit(b"\r\n\r\n", 1)[1]
            self.tr.write(BENCH * n)


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--servers", nargs="*", default=[])
    ap.add_argument("--ready", required=True)
    ap.add_argument("--record")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--bench", type=int, default=0)
    ap.add_argument("--bench-address", default="127.0.0.1")
    a = ap.parse_args()
    loop = asyncio.get_running_loop()
    rec = Recorder(a.record)
    ctx = None
    if a.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.cert, a.key)
    ports, servers = {}, []
    for spec in a.servers:
        addr = "127.0.0.1"
        if "@" in spec:
            spec, addr = spec.split("@", 1)
        f = spec.split(":")
        srv = {"name": f[0], "persona": f[1], "tls": len(f) > 2 and f[2] == "tls", "port": 0}
        use_ssl = ctx if srv["tls"] and srv["persona"] != "tlscut" else None
        s = await loop.create_server(lambda srv=srv: Conn(srv, rec), addr, 0, ssl=use_ssl,
                                     ssl_handshake_timeout=5 if use_ssl else None, backlog=128)
        srv["port"] = s.sockets[0].getsockname()[1]
        ports[srv["name"]] = srv["port"]
        servers.append(s)
    for i in range(a.bench):
        s = await loop.create_server(BenchConn, a.bench_address, 0, backlog=64)
        ports["b%d" % i] = s.sockets[0].getsockname()[1]
        servers.append(s)
    tmp = a.ready + ".tmp"
    with open(tmp, "w") as f:
        json.dump(ports, f)
    os.rename(tmp, a.ready)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    await stop.wait()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
