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
    {118, 0, UA_CHROME105, P_N, 0, 200, 176, "POST", "/owa/auth/{SH}", NULL, NULL, NULL, NULL, NULL, "webshell-use",
     "POST to the China Chopper page in owa\\auth"},
    {131, 0, UA_CHROME105, P_N, 0, 200, 522, "POST", "/owa/auth/{SH}", NULL, NULL, NULL, NULL, NULL, "webshell-use",
     "POST to the China Chopper page in owa\\auth"},
    {5402, 0, UA_CHROME105, P_N, 0, 200, 911, "POST", "/owa/auth/{SH}", NULL, NULL, NULL, NULL, NULL, "webshell-use",
     "POST to the China Chopper page in owa\\auth"},
    {87733, 1, UA_ANTSWORD, P_N, 0, 200, 143, "POST", "/owa/auth/{SH}", NULL, NULL, NULL, NULL, NULL, "second-actor",
     "the page used with antSword from a second address"},
};
#define NPNS ((int)(sizeof PNS / sizeof PNS[0]))

int64_t pns_plan(Gen *g, int64_t base)
{
	g->plan.shell_pst = false;
	g->plan.shell_dir = SD_OWAAUTH;
	g->plan.shell_desc = "China Chopper page written by CVE-2022-41082 code execution";
	g->plan.shell_rule = "exh_chopper_eval_request";
	return cstep_plan(g, PNS, NPNS, CAMP_PNS, base, 0);
}

void pns_emit(Gen *g, const Step *s) { cstep_emit(g, &PNS[s->idx % NPNS], s); }
