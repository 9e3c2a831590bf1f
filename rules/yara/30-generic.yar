/*
 * Generic web shell behaviour, for shells no family rule names: a page that runs a
 * process from the request, saves uploaded files, loads assemblies sent by the caller,
 * a configuration file carrying script, and China Chopper's JScript command payloads.
 * Weighted so that Microsoft's own Exchange pages do not fire: a page marker is always
 * required, and an execution sink must come with a second sink or with request input
 * (CERT-LV's keyword list in indicators.md 3.3.4 is used as sinks, not as single words:
 * Exchange's own .js files contain eval() and the like).
 */

rule exh_command_shell
{
    meta:
        level = "high"
        family = "command shell"
        title = "web page that runs processes from request input (generic command-shell traits)"
        tags = "attack.t1505.003 attack.t1059.003"
    strings:
        $pg1 = "<%"
        $pg2 = /runat\s{0,2}=\s{0,2}["']?server/ nocase
        $x1 = "ProcessStartInfo" nocase
        $x2 = /Process\.Start\s{0,2}\(/ nocase
        $x3 = /\.StartInfo\.(FileName|Arguments)/ nocase
        $x4 = "WScript.Shell" nocase
        $x5 = /cmd(\.exe)?["']?\s{0,2}[,+]?\s{0,2}["']?\s{0,2}\/c\s/ nocase
        $x6 = "RedirectStandardOutput" nocase
        $x7 = "StandardInput.WriteLine" nocase
        $x8 = "Shell.Application" nocase
        $i1 = /Request\s{0,2}(\.(Item|Form|QueryString|Params|Headers|Cookies))?\s{0,2}[\[\(]/ nocase
        $i2 = "HttpContext.Current.Request" nocase
    condition:
        filesize < 2MB and any of ($pg*) and (2 of ($x*) or (1 of ($x*) and any of ($i*)))
}

rule exh_upload_shell
{
    meta:
        level = "high"
        family = "file-upload shell"
        title = "web page that writes files sent in the request (generic upload-shell traits)"
        tags = "attack.t1505.003 attack.t1105"
    strings:
        $pg1 = "<%"
        $pg2 = /runat\s{0,2}=\s{0,2}["']?server/ nocase
        $s1 = /\.SaveAs\s{0,2}\(/ nocase
        $s2 = /\.InputStream\.Read\s{0,2}\(/ nocase
        $u1 = /Request\.Files\s{0,2}[\[\.]/ nocase
        $u2 = ".HasFile" nocase
        $u3 = "HttpPostedFile" nocase
        $u4 = ".PostedFile" nocase
        $w1 = /StreamWriter\(\s{0,2}Request(\.(Form|Item|QueryString))?\s{0,2}\[/ nocase
        $w2 = /\.Write\(\s{0,2}Request(\.(Form|Item|QueryString))?\s{0,2}\[/ nocase
        $w3 = /File\.WriteAll(Text|Bytes)\(\s{0,2}(Request|Server\.MapPath\(\s{0,2}Request)/ nocase
    condition:
        filesize < 2MB and any of ($pg*) and ((any of ($s*) and any of ($u*)) or ($w1 and $w2) or $w3)
}

rule exh_assembly_loader
{
    meta:
        level = "high"
        family = "in-memory .NET loader"
        title = "web page that loads a .NET assembly in memory and invokes it with request data"
        tags = "attack.t1505.003 attack.t1620"
    strings:
        $pg1 = "<%"
        $pg2 = /runat\s{0,2}=\s{0,2}["']?server/ nocase
        $load = /Assembly\.Load\s{0,2}\(/ nocase
        $req = /Request\s{0,2}(\.(Item|Form|Params))?\s{0,2}\[/ nocase
        $call = /\.(Invoke|CreateInstance)\s{0,2}\(/
    condition:
        filesize < 2MB and any of ($pg*) and $load and $req and $call and not exh_sharpyshell
}

rule exh_config_with_script
{
    meta:
        level = "critical"
        family = "web.config web shell"
        title = "configuration file carrying server script (a web.config that IIS runs as a page)"
        tags = "attack.t1505.003"
    strings:
        $cfg = "<configuration" nocase
        $open = "<%"
        $c1 = "Response.Write" nocase
        $c2 = /eval\s{0,2}\(/ nocase
        $c3 = /Request\s{0,2}(\.(Item|Form|QueryString))?\s{0,2}[\[\(]/ nocase
        $c4 = "CreateObject(" nocase
        $c5 = "Process" nocase
    condition:
        filesize < 1MB and $cfg and $open and any of ($c*)
}

rule exh_chopper_payload
{
    meta:
        level = "high"
        family = "China Chopper command payload (JScript)"
        title = "JScript.NET payload of the kind a China Chopper client posts: starts cmd.exe or writes base64 data to disk"
        tags = "attack.t1505.003 attack.t1059.003"
    strings:
        $psi = /var\s+\w{1,16}\s{0,2}=\s{0,2}new\s+System\.Diagnostics\.ProcessStartInfo\(/ nocase
        $proc = /var\s+\w{1,16}\s{0,2}=\s{0,2}new\s+System\.Diagnostics\.Process\(\)/ nocase
        $wab = "System.IO.File.WriteAllBytes(" nocase
        $b64 = "System.Convert.FromBase64String(" nocase
        $pg1 = "<%"
        $pg2 = "runat=" nocase
    condition:
        filesize < 1MB and not ($pg1 or $pg2) and (($psi and $proc) or ($wab and $b64))
}
