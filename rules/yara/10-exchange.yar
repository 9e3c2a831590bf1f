/*
 * Exchange-specific files of the 2021-2022 campaigns: China Chopper one-liners, the
 * CVE-2021-27065 OAB virtual directory dump, ProxyShell export tricks (PST and DER
 * headers on a page), the ProxyShell-era JScript loader, SecChecker and the compiled
 * App_Web DLLs of HAFNIUM shells. Traits: indicators.md 3.3.1, 3.3.2, 3.3.3, 3.3.5.
 */

rule exh_oab_vdir_dump_script
{
    meta:
        level = "critical"
        family = "OAB virtual directory dump with a script (CVE-2021-27065)"
        title = "CVE-2021-27065 output file: an OAB virtual directory dump whose URL holds a script"
        tags = "cve.2021-27065 attack.t1190 attack.t1505.003"
    strings:
        $in_url = /(External|Internal)Url\s{0,40}:\s{0,4}https?:\/\/[^\r\n]{0,256}(<script|runat=|Page_Load|page language)/ nocase ascii wide
        $url = /(External|Internal)Url\s{0,40}:\s{0,4}http/ nocase ascii wide
        $p1 = "InternalAuthenticationMethods" nocase ascii wide
        $p2 = "ExtendedProtectionTokenChecking" nocase ascii wide
        $p3 = "OfflineAddressBooks" nocase ascii wide
        $p4 = "PollInterval" nocase ascii wide
        $s1 = "<script" nocase ascii wide
        $s2 = "runat=" nocase ascii wide
        $s3 = "Page_Load" nocase ascii wide
        $s4 = "page language" nocase ascii wide
        $s5 = "</script" nocase ascii wide
    condition:
        filesize < 200KB and ($in_url or ($url and any of ($s*))) and 2 of ($p*)
}

rule exh_vdir_url_script
{
    meta:
        level = "critical"
        family = "China Chopper in a virtual directory URL (CVE-2021-27065)"
        title = "virtual directory URL property holding a script: the CVE-2021-27065 payload"
        tags = "cve.2021-27065 attack.t1190 attack.t1505.003"
    strings:
        $x = /(External|Internal)Url\s{0,40}:\s{0,4}https?:\/\/[^\r\n]{0,256}<script/ nocase ascii wide
    condition:
        $x and not exh_oab_vdir_dump_script
}

rule exh_oab_vdir_dump_odd_url
{
    meta:
        level = "high"
        family = "OAB virtual directory dump (CVE-2021-27065 output file)"
        title = "OAB virtual directory dump with a one-letter URL host (http://f/...): the shape of a CVE-2021-27065 write"
        tags = "cve.2021-27065 attack.t1505.003"
    strings:
        $odd = /(External|Internal)Url\s{0,40}:\s{0,4}https?:\/\/[a-z0-9]{1,3}\/[^\r\n]/ nocase ascii wide
        $p1 = "InternalAuthenticationMethods" nocase ascii wide
        $p2 = "ExtendedProtectionTokenChecking" nocase ascii wide
        $p3 = "OfflineAddressBooks" nocase ascii wide
        $p4 = "PollInterval" nocase ascii wide
    condition:
        filesize < 200KB and $odd and 2 of ($p*) and not exh_oab_vdir_dump_script
}

rule exh_oab_vdir_dump
{
    meta:
        level = "medium"
        family = "OAB virtual directory dump"
        title = "OAB virtual directory property dump in a file (what CVE-2021-27065 writes; also an admin's saved output)"
        tags = "cve.2021-27065"
    strings:
        $url = /(External|Internal)Url\s{0,40}:\s{0,4}http/ nocase ascii wide
        $p1 = "InternalAuthenticationMethods" nocase ascii wide
        $p2 = "ExtendedProtectionTokenChecking" nocase ascii wide
        $p3 = "OfflineAddressBooks" nocase ascii wide
        $p4 = "PollInterval" nocase ascii wide
    condition:
        filesize < 200KB and $url and 3 of ($p*) and not exh_oab_vdir_dump_script and not exh_oab_vdir_dump_odd_url
}

rule exh_chopper_eval_request
{
    meta:
        level = "critical"
        family = "China Chopper"
        title = "China Chopper web shell: eval() of request data with \"unsafe\""
        tags = "attack.t1505.003"
    strings:
        $eval_req = /eval\s{0,2}\(\s{0,2}Request\s{0,2}(\.(Item|Form|QueryString|Params))?\s{0,2}[\[\(]/ nocase
        $unsafe = /["']unsafe["']/ nocase
    condition:
        $eval_req and $unsafe
}

rule exh_chopper_eval_base64
{
    meta:
        level = "critical"
        family = "China Chopper (base64 variant)"
        title = "China Chopper web shell: eval() of base64-decoded request data with \"unsafe\""
        tags = "attack.t1505.003"
    strings:
        $eval = /eval\s{0,2}\(/ nocase
        $b1 = /FromBase64String\(\s{0,2}Request/ nocase
        $b2 = /Encoding\.[A-Za-z0-9]{2,8}\.GetString\(\s{0,2}(System\.)?Convert\.FromBase64String\(/ nocase
        $req = /Request\s{0,2}(\.(Item|Form|QueryString))?\s{0,2}\[/ nocase
        $unsafe = /["']unsafe["']/ nocase
    condition:
        filesize < 64KB and $eval and ($b1 or ($b2 and $req)) and $unsafe and not exh_chopper_eval_request
}

rule exh_chopper_obfuscated
{
    meta:
        level = "critical"
        family = "China Chopper (obfuscated JScript)"
        title = "obfuscated China Chopper-like JScript page (_0x array names, 'unsafe' in a string array)"
        tags = "attack.t1505.003"
    strings:
        $arr = /var\s+_0x[0-9a-f]{3,6}\s{0,2}=\s{0,2}\[/ nocase
        $unsafe = "'unsafe'"
        $lang = /language\s{0,2}=\s{0,2}["']?jscript/ nocase
    condition:
        filesize < 16KB and $arr and $unsafe and $lang
}

rule exh_chopper_tiny_jscript
{
    meta:
        level = "critical"
        family = "China Chopper (tiny JScript variant)"
        title = "tiny JScript page that evaluates a form field"
        tags = "attack.t1505.003"
    strings:
        $lang = /Page\s+Language\s{0,2}=\s{0,2}"?Jscript/ nocase
        $form = /=\s{0,2}Request\.Form\(\s{0,2}"/ nocase
        $eval = /eval\s{0,2}\(/ nocase
    condition:
        filesize < 1KB and $lang and $form and $eval
}

rule exh_pst_export_page
{
    meta:
        level = "critical"
        family = "ProxyShell mailbox export as a page (PST header)"
        title = "page written by a mailbox export: PST header (!BDN) with ASP.NET code inside"
        tags = "cve.2021-34473 cve.2021-34523 cve.2021-31207 attack.t1505.003"
    strings:
        $page = /Page\s+Language\s{0,2}=/ nocase
        $runat = /runat\s{0,2}=\s{0,2}["']?server/ nocase
    condition:
        uint32be(0) == 0x2142444E and filesize < 2MB and ($page or $runat)
}

rule exh_der_export_page
{
    meta:
        level = "critical"
        family = "ProxyShell certificate request export as a page (DER header)"
        title = "page written as a certificate request file: DER header (30 82) with ASP.NET code inside"
        tags = "cve.2021-34473 cve.2021-34523 cve.2021-31207 attack.t1505.003"
    strings:
        $page = /Page\s+Language\s{0,2}=/ nocase
        $runat = /runat\s{0,2}=\s{0,2}["']?server/ nocase
    condition:
        uint16be(0) == 0x3082 and filesize < 10KB and ($page or $runat)
}

rule exh_binary_head_page
{
    meta:
        level = "high"
        family = "page with a binary header (export trick)"
        title = "ASP.NET page whose first bytes are binary: code smuggled into an exported file"
        tags = "attack.t1505.003"
    strings:
        $page = /Page\s+Language\s{0,2}=/ nocase
        $java = /Page\s+Language\s{0,2}=\s{0,2}"?java/ nocase
    condition:
        filesize < 500KB and $page and not $java
        and not exh_pst_export_page and not exh_der_export_page
        and not (uint16(0) == 0x5A4D or uint32(0) == 0x04034B50 or uint32be(0) == 0x52617221 or
                 uint16(0) == 0x8B1F or uint32(0) == 0xE011CFD0 or uint32(0) == 0xA1B2C3D4 or
                 uint32(0) == 0xD4C3B2A1 or uint32be(0) == 0x4D534346 or
                 (uint16be(0) == 0xEFBB and uint8(2) == 0xBF))
        and for any i in (0..7) : (uint8(i) < 0x09 or (uint8(i) > 0x0D and uint8(i) < 0x20) or uint8(i) > 0x7E)
}

rule exh_proxyshell_jscript_loader
{
    meta:
        level = "critical"
        family = "ProxyShell-era JScript shell (iisstart/Logout family)"
        title = "small JScript page of the iisstart.aspx/Logout.aspx family dropped through ProxyShell"
        tags = "attack.t1505.003"
    strings:
        $m1 = ");eval/*asf"
        $m2 = "LaTkWfI64XeDAXZS6pU1KrsvLAcGH7AZOQXjrFkT816RnFYJQR"
        $f1 = "function getErrorWord" nocase
        $f2 = "errorWord" nocase
        $f3 = "eval/*"
        $f4 = "AppcacheVer"
        $r1 = "Response.Redirect" nocase
        $r2 = "function Page_Load" nocase
        $r3 = /runat\s{0,2}=\s{0,2}"server"/ nocase
        $r4 = "Request[" nocase
    condition:
        $m1 or $m2 or (filesize < 2KB and 2 of ($f*) and 2 of ($r*))
}

rule exh_secchecker
{
    meta:
        level = "high"
        family = "SecChecker (EDR reconnaissance page)"
        title = "small page that tests for EDR agents (FireEye, CrowdStrike) and writes a digit: HAFNIUM's SecChecker"
        tags = "attack.t1505.003 attack.t1518.001"
    strings:
        $fe = "xagt.exe" nocase
        $cs = "csfalconservice.exe" nocase
        $w = "Response.Write" nocase
    condition:
        filesize < 2KB and uint16(0) == 0x253C and ($fe or $cs) and $w
}

rule exh_compiled_page_dll
{
    meta:
        level = "critical"
        family = "compiled web shell (App_Web DLL)"
        title = "ASP.NET compiled page DLL of a page under aspnet_client or owa/auth that evaluates script or reads request files"
        tags = "attack.t1505.003"
    strings:
        $p1 = "~/aspnet_client/" nocase ascii wide
        $p2 = "~/auth/" nocase ascii wide
        $j = "JScriptEvaluate" ascii wide
        $g1 = "get_Request" ascii
        $g2 = "get_Files" ascii
        $g3 = "get_Count" ascii
        $g4 = "get_Item" ascii
        $g5 = "get_Server" ascii
    condition:
        uint16(0) == 0x5A4D and filesize > 5KB and filesize < 40KB and any of ($p*) and ($j or all of ($g*))
}
