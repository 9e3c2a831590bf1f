/*
 * exgen: ProxyNotShell (CVE-2022-41040 + CVE-2022-41082), as exploited from
 * August 2022 (indicators.md 2.7): the same autodiscover.json path confusion,
 * sent with a user's password, to the back end's remote PowerShell (the GTSC form
 * with Protocol=Powershell, then /powershell itself); the PowerShell code execution
 * writes a China Chopper page into owa\auth, which is then used.  IIS front and
 * back end (the attacker's user agent reaches /powershell on 444), HttpProxy
 * Autodiscover and Rps_Http (ClientInfo) lines.
 */
#include "exgen.h"

#define PNS_Q "{AT}/powershell?&Email=autodiscover/autodiscover.json%3f{AT}"
#define PNS_PS(off_, fl_, tt_, desc_)                                                                         \
	{(off_), 0, UA_PYREQ28, P_AUTOD, CS_AUTH | CS_RPSH | (fl_), 200, (tt_), "POST",                          \
	 "/autodiscover/autodiscover.json", PNS_Q, "/powershell", "Email=autodiscover/autodiscover.json%3f{AT}", \
	 NULL, NULL, "rce", (desc_)}

static const CStep PNS[] = {
    {0, 0, UA_PYREQ28, P_AUTOD, CS_AUTH | CS_FIRST | CS_RPSH, 200, 301, "POST", "/autodiscover/autodiscover.json",
     "{AT}/owa/&Email=autodiscover/autodiscover.json%3f{AT}&Protocol=XYZ&FooProtocol=Powershell", "/powershell",
     "Email=autodiscover/autodiscover.json%3f{AT}&Protocol=XYZ&FooProtocol=Powershell", NULL, NULL, "ssrf",
     "CVE-2022-41040: authenticated Autodiscover path confusion to remote PowerShell (GTSC form)"},
    PNS_PS(3, 0, 415, "CVE-2022-41082: remote PowerShell through the path confusion"),
    PNS_PS(4, 0, 2210, "CVE-2022-41082: remote PowerShell through the path confusion"),
    PNS_PS(19, CS_SHELL, 3875, "CVE-2022-41082: PowerShell code execution writes a China Chopper page into owa\\auth"),
    CS_PAGE(118, 0, UA_CHROME105, "POST", "/owa/auth/{SH}", 176, "webshell-use",
            "POST to the China Chopper page in owa\\auth"),
    CS_PAGE(131, 0, UA_CHROME105, "POST", "/owa/auth/{SH}", 522, "webshell-use",
            "POST to the China Chopper page in owa\\auth"),
    CS_PAGE(5402, 0, UA_CHROME105, "POST", "/owa/auth/{SH}", 911, "webshell-use",
            "POST to the China Chopper page in owa\\auth"),
    CS_PAGE(87733, 1, UA_ANTSWORD, "POST", "/owa/auth/{SH}", 143, "second-actor",
            "the page used with antSword from a second address"),
};
#define NPNS ((int)(sizeof PNS / sizeof PNS[0]))

const Campaign CAMPAIGN_PNS = {
    PNS, NPNS,
    {SD_OWAAUTH, false, "China Chopper page written by CVE-2022-41082 code execution", "exh_chopper_eval_request"}};
