/*
 * Named web shell families seen on Exchange servers and in the public sample set:
 * SPORTSBALL, SimpleSeeSharp, reGeorg (Volexity, March 2021), SharPyShell, XSLT script
 * shells (DropHell and the msxsl:script kind), the file-explorer shell and JSP shells.
 * Traits: indicators.md 3.3.3 and 3.3.4, and what each family's code must contain to work.
 */

rule exh_sportsball
{
    meta:
        level = "critical"
        family = "SPORTSBALL"
        title = "SPORTSBALL web shell (cookie fqrspt, commands written to a process's standard input)"
        tags = "attack.t1505.003"
    strings:
        $key = "ZN2aDAB4rXsszEvCLrzgcvQ4oi5J1TuiRULlQbYwldE="
        $cookie = /new\s+HttpCookie\(\s{0,2}"fqrspt"/
        $name = "fqrspt"
        $stdin = /StandardInput\.WriteLine\(\s{0,2}HttpContext\.Current\.Request\.Form\[/ nocase
    condition:
        $key or $cookie or ($name and $stdin)
}

rule exh_simpleseesharp
{
    meta:
        level = "critical"
        family = "SimpleSeeSharp"
        title = "SimpleSeeSharp upload shell (saves Request.Files[0] next to itself)"
        tags = "attack.t1505.003"
    strings:
        $page = /<%@\s{0,2}Page\s+Language\s{0,2}=\s{0,2}"C#"/ nocase
        $file = /HttpPostedFile\s+\w{1,32}\s{0,2}=\s{0,2}Request\.Files\[0\]/ nocase
        $save = /\.SaveAs\(\s{0,2}Path\.Combine\(/ nocase
    condition:
        filesize < 2KB and $page and $file and $save
}

rule exh_regeorg
{
    meta:
        level = "critical"
        family = "reGeorg tunnel"
        title = "reGeorg-style SOCKS tunnel page: opens sockets on the server for the caller"
        tags = "attack.t1505.003 attack.t1090"
    strings:
        $ns = "System.Net.Sockets"
        $sock = /new\s+Socket\(/
        $c1 = "\"CONNECT\""
        $c2 = "\"DISCONNECT\""
        $c3 = "\"FORWARD\""
        $c4 = "\"READ\""
        $status = "X-STATUS"
        $v1 = "StrTr(Request.Headers.Get"
        $v2 = ".Split('|')"
        $v3 = "Request.Headers.Get"
        $v4 = "IPAddress ip;"
    condition:
        $ns and $sock and (3 of ($c*) or $status or $v1 or ($v2 and $v3 and $v4))
}

rule exh_sharpyshell
{
    meta:
        level = "critical"
        family = "SharPyShell"
        title = "SharPyShell loader: decrypts an embedded .NET assembly, loads it in memory and runs request data through it"
        tags = "attack.t1505.003 attack.t1620"
    strings:
        $inst = /CreateInstance\(\s{0,2}"SharPy"/
        $load = /Assembly\.Load\s{0,2}\(/
    condition:
        $inst and $load
}

rule exh_drophell
{
    meta:
        level = "critical"
        family = "DropHell (XSLT from request data)"
        title = "page that loads an XSLT stylesheet from base64 request data and runs it: DropHell"
        tags = "attack.t1505.003"
    strings:
        $x = /\.LoadXml\(\s{0,2}System\.Text\.Encoding\.UTF8\.GetString\(\s{0,2}System\.Convert\.FromBase64String\(\s{0,2}Request\s{0,2}\[/ nocase
        $m = "new System.IO.MemoryStream()" nocase
        $t = "Transform(" nocase
    condition:
        $x and $m and $t
}

rule exh_xslt_script_shell
{
    meta:
        level = "critical"
        family = "XSLT script shell"
        title = "page that runs code through an XSLT transform with scripting enabled (msxsl:script)"
        tags = "attack.t1505.003"
    strings:
        $page = "<%"
        $msxsl = "msxsl:script" nocase
        $trusted = "XsltSettings.TrustedXslt" nocase
        $enable = /EnableScript\s{0,2}=\s{0,2}true/ nocase
        $settings = /new\s+XsltSettings\(\s{0,2}(true|false)\s{0,2},\s{0,2}true\s{0,2}\)/ nocase
        $xct = "XslCompiledTransform" nocase
        $load = "LoadXml(" nocase
    condition:
        $page and $xct and $load and ($msxsl or $trusted or $enable or $settings) and not exh_drophell
}

rule exh_file_explorer_shell
{
    meta:
        level = "high"
        family = "file-explorer web shell"
        title = "file-explorer web shell (lists drives, creates and uploads files through base64 in the browser)"
        tags = "attack.t1505.003"
    strings:
        $a = "DriveInfo.GetDrives()" nocase
        $b = ".Text + \" Created!\";"
        $c = /Encoding\.UTF8\.GetString\(\s{0,2}(Convert\.)?FromBase64String\(\s{0,2}str\.Replace\(/ nocase
        $d = "encodeURIComponent(btoa(String.fromCharCode.apply(null, new Uint8Array(bytes))));;"
    condition:
        2 of them
}

rule exh_jsp_command_shell
{
    meta:
        level = "high"
        family = "JSP command shell"
        title = "JSP page that runs commands from request parameters or headers"
        tags = "attack.t1505.003"
    strings:
        $page = /<%@\s{0,2}page\s+import\s{0,2}=/ nocase
        $e1 = "Runtime.getRuntime().exec(" nocase
        $e2 = "new ProcessBuilder(" nocase
        $r1 = "request.getParameter(" nocase
        $r2 = "request.getHeader(" nocase
    condition:
        $page and any of ($e*) and any of ($r*)
}
