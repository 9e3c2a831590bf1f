# File checks end to end: the public web shells of ../shared are each reported at high or
# critical with their family; a synthetic server tree gets every name, place and config
# check at the level the issue gives it; Microsoft's allow-list with a custom list (a
# listed (path, hash) says nothing, a changed byte is reported, a stock-looking page gets
# the "not a Microsoft file" wording); --yara, --max-scan-bytes, --no-files, --files-only,
# usage errors; the same output for any --jobs; a zip gives the entries' times.
. "$(dirname "$0")/lib.sh"
E="$T/ev"
X="$E/C/Program Files/Microsoft/Exchange Server/V15"
f() { mkdir -p "$(dirname "$1")"; printf '%s' "$2" >"$1"; }

# ---- the public web shells -------------------------------------------------------------------
if [ -d "$SHARED/data/webshells" ]; then
	W="$SHARED/data/webshells"
	cat >"$T/families" <<'EOF'
apt34_shell.aspx	command shell
exchange_chopper_post_payload.txt	China Chopper command payload (JScript)
exchange_oab_externalurl_chopper.txt	China Chopper in a virtual directory URL (CVE-2021-27065)
exchange_vb_cmd_shell.asp	command shell
exchange_xslt_jscript_shell.aspx	XSLT script shell
muddywater/0291c1f65851f6c43453454e2e04c559693dba37c71482da63221612791782c6.aspx	command shell
muddywater/06f106a0cc83195cff9360a8e4909a886e18eb3c11c4385d887cf2ad30ca4891.aspx	file-upload shell
muddywater/157ae805543fb31b33f6bd9b7fdd3040d90d8c1c05ff94dff0b39d6ad08dc28f.aspx	command shell
muddywater/3377a844cd3855099d37b3d261537a84f0cad37cec9f3586755b7a03e046a15d.aspx	file-upload shell
muddywater/397392c095bddc501f8eb3b40e2b3132ad0c050b074fae1042d4e712d8bb483b.aspx	XSLT script shell
muddywater/43e7239878ff2886246ba6eb9f0fff467754d3492ff7cbda9e5a70866f4800b3.jsp	JSP command shell
muddywater/532705.aspx	file-upload shell
muddywater/65c9b651fb8561f66aa1ab12c86c8f5a75e29c076355d41d29210f944a2672b2.aspx	XSLT script shell
muddywater/6ab2d4254e151a1bd6993c9845d5527a02b79a4fc16b1e21c4ce355bda6596dc1e21c4ce355bda6596dc.aspx	command shell
muddywater/929e13c4eb6702e60cfa7a3b4dac945da0165d88359cd7119516132075e41372.aspx	SharPyShell
muddywater/92bbd427ad2daf5644c5671b6dc369e02c00d03e4a13eadc2bb3025c0cdf3ec2.aspx	file-upload shell
muddywater/939a54472581bc7a393c4da078cbfde7e6eb0c741804b4e46bfb6918d3032839.aspx	command shell
muddywater/ca8a8e6c1a24013759b7288a846957e56a4f81f2527ae540002810ceda0eb772.aspx	command shell
muddywater/db7767708b9560be7ef25ec8fcc310ba19e76da30add1c788d32ab8a28432c84.aspx	command shell
regeorg_tunnel.aspx	reGeorg tunnel
EOF
	# the table names every file of the folder (a new sample must be judged, not skipped)
	(cd "$W" && find . -type f | sed 's|^\./||' | sort) >"$T/have"
	expect_eq "every sample in the table" "$(cut -f1 "$T/families" | sort | diff - "$T/have")" ""
	"$EXHUNT" scan -q -f jsonl "$W" >"$T/ws.jsonl"
	jq -r 'select(.type=="finding") | "\(.source.path)\t\(.fields.family)"' "$T/ws.jsonl" | sort >"$T/got"
	expect_eq "each sample's family" "$(sort "$T/families" | diff - "$T/got")" ""
	expect_eq "all at high or critical" "$(jq -r 'select(.type=="finding") | .level' "$T/ws.jsonl" | sort -u | tr '\n' ' ')" "critical high "
	expect_eq "one finding per sample" "$(jq -r 'select(.type=="finding") | .source.path' "$T/ws.jsonl" | sort | uniq -d)" ""
	expect_eq "OAB ExternalUrl line: CVE-2021-27065" \
		"$(jq -r 'select(.type=="finding" and .source.path=="exchange_oab_externalurl_chopper.txt") | "\(.level) \(.campaign)"' "$T/ws.jsonl")" "critical ProxyLogon"
	expect_eq "China Chopper payload also names the LSASS dump it runs" \
		"$(jq -r 'select(.type=="finding" and .source.path=="exchange_chopper_post_payload.txt") | .tags | index("attack.t1003.001") != null' "$T/ws.jsonl")" true
	expect_eq "loose files: no place claimed" "$(jq -r 'select(.type=="finding") | .fields.place // "none"' "$T/ws.jsonl" | sort -u)" none
	expect_eq "verdict" "$(jq -r 'select(.type=="verdict" and .host == null) | .verdict' "$T/ws.jsonl")" COMPROMISED
else
	echo "SKIP (part): ../shared/data/webshells not found"
fi

# ---- a server tree: names, places, configuration ---------------------------------------------
PAGE='<%@ Page Language="C#" Inherits="Contoso.Portal" %><html><body>hello</body></html>'
f "$X/Logging/HttpProxy/Owa/HttpProxy_2021030301-1.LOG" "$(printf '#Software: Microsoft Exchange Server\r\n#Version: 15.01.2176.002\r\n#Log-type: HttpProxy Logs\r\n#Date: 2021-03-03T01:00:00.000Z\r\n#Fields: DateTime,RequestId\r\n2021-03-03T01:00:01.000Z,x\r\n')"
f "$X/FrontEnd/HttpProxy/owa/auth/RedirSuiteServicesProxy.aspx" "$PAGE"
f "$X/FrontEnd/HttpProxy/owa/auth/OutlookFR.aspx" "$PAGE"
f "$X/FrontEnd/HttpProxy/owa/auth/TimeoutLogout.aspx" "$PAGE"
f "$X/FrontEnd/HttpProxy/owa/auth/errorEE.aspx" "$PAGE"
f "$X/FrontEnd/HttpProxy/owa/auth/a1b2c3d4e5.aspx" "$PAGE"
f "$X/FrontEnd/HttpProxy/owa/auth/portal.aspx" "$PAGE"
f "$X/FrontEnd/HttpProxy/owa/auth/Redir.png" "$(printf '7z\274\257\047\034\000\004')pst inside"
f "$X/FrontEnd/HttpProxy/owa/auth/15.1.2176/themes/resources/logon.css" "body { margin: 0px; }"
f "$X/FrontEnd/HttpProxy/ecp/web.config" '<configuration><system.webServer><rewrite><rules><clear /></rules></rewrite></system.webServer></configuration>'
f "$E/C/inetpub/wwwroot/aspnet_client/system_web/readme.txt" "hello"
f "$E/C/inetpub/wwwroot/aspnet_client/system_web/4_0_30319/WebUIValidation.js" "function v(){}"
f "$E/C/inetpub/wwwroot/aspnet_client/b5cf31b1bdf9d189d1abed47651ab4691.tmp.dmp.zip" "PK"
f "$E/C/inetpub/wwwroot/iisstart.htm" "<html></html>"
cat >"$E/C/inetpub/wwwroot/web.config" <<'EOF'
<configuration><system.webServer><rewrite><rules>
<rule name="PowerShell - inbound" stopProcessing="true"><match url=".*" />
<conditions><add input="{UrlDecode:{REQUEST_URI}}" pattern="(?=.*autodiscover)(?=.*powershell)" /></conditions>
<action type="AbortRequest" /></rule>
</rules></rewrite></system.webServer></configuration>
EOF
mkdir -p "$E/C/Windows/System32/inetsrv/config"
cat >"$E/C/Windows/System32/inetsrv/config/applicationHost.config" <<'EOF'
<configuration><system.applicationHost><sites><site name="Default Web Site" id="1">
<application path="/"><virtualDirectory path="/" physicalPath="%SystemDrive%\inetpub\wwwroot" /></application>
<application path="/COM1"><virtualDirectory path="/" physicalPath="C:\ProgramData\COM1" /></application>
</site></sites></system.applicationHost></configuration>
EOF
f "$E/C/ProgramData/COM1/index.aspx" "$PAGE"
f "$E/C/ProgramData/Vendor/update.zip" "PK$(printf '\003\004')data"
f "$E/C/ProgramData/it.zip" "PK$(printf '\003\004')data"
f "$E/C/Users/Public/opera/Opera_browser.exe" "MZ"
f "$E/C/Users/Public/tool.ps1" "Get-Process"
f "$E/C/root/data.bin" "x"
f "$E/C/Windows/Temp/xx.bat" "@echo off"
"$EXHUNT" scan -q -f jsonl "$E" >"$T/tree.jsonl"
jq -c . "$T/tree.jsonl" >/dev/null 2>&1; expect_eq "valid JSON Lines" $? 0
row() { jq -r --arg p "$1" 'select(.type=="finding" and .source.kind=="file" and .source.path==$p) | "\(.rule_name) \(.level)"' "$T/tree.jsonl" | sort | tr '\n' '|'; }
XR="C/Program Files/Microsoft/Exchange Server/V15"
expect_eq "look-alike name" "$(row "$XR/FrontEnd/HttpProxy/owa/auth/OutlookFR.aspx")" "file-lookalike-name high|"
expect_eq "stock name, wrong folder" "$(row "$XR/FrontEnd/HttpProxy/owa/auth/TimeoutLogout.aspx")" "file-lookalike-name high|"
expect_eq "known shell name" "$(row "$XR/FrontEnd/HttpProxy/owa/auth/errorEE.aspx")" "file-known-shell-name critical|"
expect_eq "random name" "$(row "$XR/FrontEnd/HttpProxy/owa/auth/a1b2c3d4e5.aspx")" "file-not-microsoft high|"
expect_eq "random name also said" "$(jq -r 'select(.type=="finding" and (.source.path | endswith("a1b2c3d4e5.aspx"))) | .fields.also' "$T/tree.jsonl")" "file-random-name (high)"
expect_eq "not a Microsoft file" "$(row "$XR/FrontEnd/HttpProxy/owa/auth/portal.aspx")" "file-not-microsoft high|"
expect_eq "wording" "$(jq -r 'select(.type=="finding" and (.source.path | endswith("portal.aspx"))) | .title[0:22]' "$T/tree.jsonl")" "not a Microsoft file: "
expect_eq "look-alike says which" "$(jq -r 'select(.type=="finding" and (.source.path | endswith("RedirSuiteServicesProxy.aspx"))) | .title' "$T/tree.jsonl")" \
	"not a Microsoft file: look-alike of Microsoft's redirsuiteserviceproxy.aspx (frontend/httpproxy/owa/auth)"
expect_eq "archive named as an image" "$(row "$XR/FrontEnd/HttpProxy/owa/auth/Redir.png")" "file-disguised-archive critical|"
expect_eq "stylesheet: nothing" "$(row "$XR/FrontEnd/HttpProxy/owa/auth/15.1.2176/themes/resources/logon.css")" ""
expect_eq "vdir clears the rewrite rules" "$(row "$XR/FrontEnd/HttpProxy/ecp/web.config")" "config-rewrite-rules-cleared low|"
expect_eq "file in aspnet_client" "$(row C/inetpub/wwwroot/aspnet_client/system_web/readme.txt)" "file-in-aspnet-client medium|"
expect_eq "ASP.NET client script: nothing" "$(row C/inetpub/wwwroot/aspnet_client/system_web/4_0_30319/WebUIValidation.js)" ""
expect_eq "makecab dump in the web root" "$(row C/inetpub/wwwroot/aspnet_client/b5cf31b1bdf9d189d1abed47651ab4691.tmp.dmp.zip)" "file-dump-cab-in-webroot critical|"
expect_eq "site web.config: mitigations" "$(row C/inetpub/wwwroot/web.config)" "config-proxylogon-mitigation informational|config-proxynotshell-mitigation informational|"
expect_eq "mitigation titles" "$(jq -r 'select(.type=="finding" and .source.path=="C/inetpub/wwwroot/web.config") | .title[0:36]' "$T/tree.jsonl" | sort | tr '\n' '|')" \
	"ProxyLogon mitigation absent: no X-B|ProxyNotShell mitigation present: au|"
expect_eq "rogue vdir, linked to its page" "$(row C/Windows/System32/inetsrv/config/applicationHost.config)" "config-proxylogon-mitigation informational|config-proxynotshell-mitigation informational|config-rogue-vdir critical|"
expect_eq "rogue vdir line" "$(jq -r 'select(.type=="finding" and .rule_name=="config-rogue-vdir") | "\(.source.line) \(.fields.physical_path)"' "$T/tree.jsonl")" '3 C:\ProgramData\COM1'
expect_eq "page in the device folder" "$(row C/ProgramData/COM1/index.aspx)" "file-script-in-device-folder critical|"
expect_eq "page note names the vdir" "$(jq -r 'select(.type=="finding" and .source.path=="C/ProgramData/COM1/index.aspx") | .note' "$T/tree.jsonl")" \
	"a virtual directory of the IIS configuration serves this folder"
expect_eq "ProgramData archive raised" "$(row C/ProgramData/Vendor/update.zip)" "file-archive-in-programdata high|"
expect_eq "it.zip" "$(row C/ProgramData/it.zip)" "file-archive-known-name high|"

# a vendor archive in ProgramData stays low next to an administrator's virtual-directory
# URL change (medium): only exploitation or a web shell on the host raises it
V="$T/vendor"
mkdir -p "$V/C/ProgramData/Vendor" "$V/C/Program Files/Microsoft/Exchange Server/V15/Logging/ECP/Server"
printf 'PK\003\004data' >"$V/C/ProgramData/Vendor/update.zip"
cp "$XH_SRC/tests/rules/pl-65-01-vdir-url-change/match.medium.admin-sets-valid-url.log" \
	"$V/C/Program Files/Microsoft/Exchange Server/V15/Logging/ECP/Server/ECPServer20210216-1.LOG"
"$EXHUNT" scan -q -f jsonl "$V" >"$T/vendor.jsonl"
expect_eq "admin vdir change seen" "$(jq -r 'select(.type=="finding" and .rule_name=="pl-65-01-vdir-url-change") | .level' "$T/vendor.jsonl")" medium
expect_eq "vendor archive stays low" "$(jq -r 'select(.type=="finding" and .source.path=="C/ProgramData/Vendor/update.zip") | .level' "$T/vendor.jsonl")" low
expect_eq "vendor host: to review, not compromised" "$(jq -r 'select(.type=="verdict" and .host != null) | .verdict' "$T/vendor.jsonl")" SUSPICIOUS
expect_eq "fake Opera" "$(row C/Users/Public/opera/Opera_browser.exe)" "file-fake-opera critical|"
expect_eq "Users\\Public drop" "$(row C/Users/Public/tool.ps1)" "file-users-public-drop medium|"
expect_eq "C:\\root" "$(row C/root/data.bin)" "file-in-c-root medium|"
expect_eq "temp tool" "$(row C/Windows/Temp/xx.bat)" "file-temp-tool high|"
# 23 files; the HttpProxy log is read as a log, not checked as a file; text files are
# both (6 one-line files here give a record each)
expect_eq "files checked" "$(jq -r 'select(.type=="summary") | "\(.files_total) \(.files_checked) \(.records)"' "$T/tree.jsonl")" "23 22 7"
expect_eq "log not checked, log read" "$(jq -r 'select(.type=="coverage" and .kind=="httpproxy") | "\(.files) \(.files_checked) \(.records)"' "$T/tree.jsonl")" "1 0 1"
expect_eq "places said" "$(jq -r 'select(.type=="notice" and .topic=="web roots") | .text' "$T/tree.jsonl" | grep -c 'Exchange install root C:\\Program Files\\Microsoft\\Exchange Server\\V15 (FrontEnd\\HttpProxy, Logging); IIS web root (C:\\inetpub\\wwwroot); aspnet_client')" 1
expect_eq "file finding fields" "$(jq -r 'select(.type=="finding" and .source.path=="C/root/data.bin") | "\(.fields.size) \(.fields.sha256) \(.source.origin)"' "$T/tree.jsonl")" \
	'1 2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881 C:\root\data.bin'
expect_eq "no build weighing on files" "$(jq -r 'select(.type=="finding" and .source.kind=="file") | .note // ""' "$T/tree.jsonl" | grep -c build)" 0

# ---- Microsoft's allow-list with a custom list --------------------------------------------------
A="$T/allow"
f "$A/C/Program Files/Microsoft/Exchange Server/V15/Logging/x.txt" "x"
f "$A/C/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/logon.aspx" "$PAGE"
sha=$(printf '%s' "$PAGE" | sha256sum | cut -c1-64)
printf '# a clean server of a later build\nfrontend/httpproxy/owa/auth/logon.aspx\t%s\n' "$sha" >"$T/list.txt"
"$EXHUNT" scan -q -f jsonl "$A" >"$T/a1.jsonl"
expect_eq "unlisted hash at a Microsoft path" "$(jq -r 'select(.type=="finding") | "\(.rule_name) \(.level)"' "$T/a1.jsonl")" "file-ms-name-other-content high"
expect_eq "not a shell verdict" "$(jq -r 'select(.type=="verdict" and .host == null) | .verdict' "$T/a1.jsonl")" SUSPICIOUS
"$EXHUNT" scan -q -f jsonl --allowlist "$T/list.txt" "$A" >"$T/a2.jsonl"
expect_eq "listed (path, hash): nothing" "$(jq -r 'select(.type=="finding") | .rule_name' "$T/a2.jsonl")" ""
expect_eq "listed: clean verdict" "$(jq -r 'select(.type=="verdict" and .host == null) | .verdict' "$T/a2.jsonl")" "NO EVIDENCE"
printf '%s ' "$PAGE" >"$A/C/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/logon.aspx"
"$EXHUNT" scan -q -f jsonl --allowlist "$T/list.txt" "$A" >"$T/a3.jsonl"
expect_eq "a changed byte is reported" "$(jq -r 'select(.type=="finding") | .rule_name' "$T/a3.jsonl")" file-ms-name-other-content
printf 'not-a-path-line\n' >"$T/badlist.txt"
expect_rc 2 "$EXHUNT" scan -q --allowlist "$T/badlist.txt" "$A"
grep -q "line 1" "$T/err" && ok || bad "bad allow-list line not named: $(cat "$T/err")"

# ---- --yara, --max-scan-bytes, --no-files, --files-only -------------------------------------------
Y="$T/yev"
f "$Y/notes/a.txt" "nothing here but MARKER-4242 and more"
{ head -c 10000 /dev/zero | tr '\0' ' '; printf '<%%@ Page Language="Jscript"%%><%%eval(Request["k"],"unsafe");%%>'; } >"$Y/notes/late.txt"
mkdir -p "$T/rules/sub"
printf 'rule marker_4242 { meta: level = "high" family = "test marker" title = "marker seen" tags = "attack.t1000"\n strings: $m = "MARKER-4242" condition: $m }\n' >"$T/rules/sub/m.yar"
printf 'rule broken { condition: $x }\n' >"$T/rules/broken.yara"
printf 'rule ignored_txt { condition: true }\n' >"$T/rules/notes.txt"
"$EXHUNT" scan -f jsonl --yara "$T/rules" "$Y" >"$T/y.jsonl" 2>"$T/y.err"
expect_eq "--yara rule fires with its meta" "$(jq -r 'select(.type=="finding" and .source.path=="notes/a.txt") | "\(.rule_id) \(.level) \(.title) \(.fields.family) \(.tags[0])"' "$T/y.jsonl")" \
	"yara:user1/marker_4242 high marker seen test marker attack.t1000"
grep -q "rule not loaded: .*broken.yara: line 1" "$T/y.err" && ok || bad "broken rule file not reported: $(cat "$T/y.err")"
grep -q "ignored_txt" "$T/y.jsonl" && bad "non-.yar file loaded" || ok
grep -q "file checks: [0-9]* YARA rules from 5 files" "$T/y.err" && ok || bad "rule count line: $(grep 'file checks' "$T/y.err")"
expect_eq "shell past 10 KB found" "$(jq -r 'select(.type=="finding" and .source.path=="notes/late.txt") | .rule_name' "$T/y.jsonl")" exh_chopper_eval_request
"$EXHUNT" scan -q -f jsonl --max-scan-bytes 4K "$Y" >"$T/cut.jsonl"
expect_eq "cut at 4 KB: not seen" "$(jq -r 'select(.type=="finding") | .source.path' "$T/cut.jsonl")" ""
expect_eq "cut counted" "$(jq -s -r '[.[] | select(.type=="coverage" and .folder=="notes")] | "\(map(.files_checked) | add) \(map(.content_cut) | add)"' "$T/cut.jsonl")" "2 1"
expect_eq "cut said" "$(jq -r 'select(.type=="notice" and .topic=="files") | .text' "$T/cut.jsonl" | grep -c 'larger than --max-scan-bytes (4096 bytes)')" 1
"$EXHUNT" scan -q -f jsonl --no-files "$E" >"$T/nof.jsonl"
expect_eq "--no-files: no file finding" "$(jq -r 'select(.type=="finding" and .source.kind=="file") | .source.kind' "$T/nof.jsonl" | sort -u)" ""
expect_eq "--no-files said" "$(jq -r 'select(.type=="notice" and .topic=="files") | .text[0:25]' "$T/nof.jsonl")" "file checks were off (--n"
"$EXHUNT" scan -q -f jsonl --files-only "$XH_SRC/examples/collection" >"$T/fo.jsonl"
expect_eq "--files-only: no record read" "$(jq -r 'select(.type=="summary") | "\(.records) \(.files_checked)"' "$T/fo.jsonl")" "0 7"
expect_eq "--files-only: only file findings (and the build the paths show)" "$(jq -r 'select(.type=="finding") | .source.kind' "$T/fo.jsonl" | sort -u | tr '\n' ' ')" "build file "
expect_rc 2 "$EXHUNT" scan --max-scan-bytes 1K "$E"
expect_rc 2 "$EXHUNT" scan --max-scan-bytes 12Q "$E"
expect_rc 2 "$EXHUNT" scan --no-files --files-only "$E"
expect_rc 2 "$EXHUNT" scan --no-rules --yara "$T/rules" "$E"
expect_rc 2 "$EXHUNT" dump --yara "$T/rules" "$E"
expect_rc 2 "$EXHUNT" scan --files-only --rules "$XH_SRC/rules" "$E"
"$EXHUNT" scan --help >"$T/help"
for o in --yara --allowlist --max-scan-bytes --no-files --files-only; do
	grep -q -- "$o" "$T/help" && ok || bad "help lacks $o"
done

# ---- the same output for any --jobs; all three writers; zip entries --------------------------------
for j in 1 4; do "$EXHUNT" scan -q -j $j -f jsonl "$E" | grep -v '"type":"summary"' >"$T/j$j"; done
cmp -s "$T/j1" "$T/j4" && ok || bad "output differs between --jobs 1 and 4: $(diff "$T/j1" "$T/j4" | head -3)"
"$EXHUNT" scan -q -f csv "$E" >"$T/tree.csv"; expect_clean "csv" "$T/tree.csv"
"$EXHUNT" scan -q --no-color "$E" >"$T/tree.txt"; expect_clean "text" "$T/tree.txt"
grep -q '    at C/root/data.bin (file)' "$T/tree.txt" && ok || bad "text: file location line"
grep -q '    sha256: 2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881' "$T/tree.txt" && ok || bad "text: sha256 line"
touch -d @1614754760 "$E/C/root/data.bin"
(cd "$E" && zip -q -r "$T/ev.zip" .)
"$EXHUNT" scan -q -f jsonl "$T/ev.zip" >"$T/zip.jsonl"
expect_eq "zip: entry time and its source" "$(jq -r 'select(.type=="finding" and .source.path=="C/root/data.bin") | "\(.time) \(.fields.time_source[0:14])"' "$T/zip.jsonl")" \
	"2021-03-03T06:59:20.000Z zip entry time"
expect_eq "zip: same findings as the folder" \
	"$(jq -r 'select(.type=="finding") | "\(.source.path) \(.rule_name) \(.level)"' "$T/zip.jsonl" | sort)" \
	"$(jq -r 'select(.type=="finding") | "\(.source.path) \(.rule_name) \(.level)"' "$T/tree.jsonl" | sort)"
finish
