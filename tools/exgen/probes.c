/*
 * exgen: attempts that did not get through, and scanners.  Per variant a table:
 * ProxyLogon SSRF requests (/ecp/y.js with the X-BEResource anchor) after the
 * security update, answered 500; ProxyShell path confusion answered 401 by a
 * patched server; ProxyNotShell requests refused 403 by the URL Rewrite rule;
 * and for a scanned-only host: requests for web shell names published in 2021
 * (404) and the Nessus ProxyShell check.  Rows repeat over the attempt's days.
 */
#include "exgen.h"

#define PL_ANCHOR(path) "ServerInfo~a]@{FQDN}:444" path
#define PL_PROBE(off_, act_, ua_, stem_, path_, desc_)                                                          \
	{(off_), (act_), (ua_), P_ECP, CS_ANCHOR, 500, 31, "POST", stem_, PL_ANCHOR(path_), NULL, NULL, NULL, NULL, \
	 "attempt", (desc_)}

/* ProxyLogon after the update: the query field carries the anchor (CS_ANCHOR). */
static const CStep PR_PL_T[] = {
    PL_PROBE(0, 2, UA_ESC0, "/ecp/y.js", "/autodiscover/autodiscover.xml?#",
             "CVE-2021-26855 SSRF attempt after the update: answered 500"),
    PL_PROBE(2, 2, UA_PYREQ, "/ecp/y.js", "/mapi/emsmdb/?#", "CVE-2021-26855 SSRF attempt after the update: answered 500"),
    PL_PROBE(4, 2, UA_PYREQ, "/ecp/y.js", "/ecp/proxyLogon.ecp?#",
             "CVE-2021-26855 SSRF attempt after the update: answered 500"),
    PL_PROBE(97410, 3, UA_PYREQ, "/ecp/default.flt", "/autodiscover/autodiscover.xml?#",
             "CVE-2021-26855 SSRF attempt after the update: answered 500"),
    PL_PROBE(97412, 3, UA_PYREQ, "/ecp/default.flt", "/mapi/emsmdb/?#",
             "CVE-2021-26855 SSRF attempt after the update: answered 500"),
};

#define PS_AD(off_, act_, m_, q_, desc_)                                                                      \
	{(off_), (act_), UA_PYREQ26, P_AUTOD, 0, 401, 12, (m_), "/autodiscover/autodiscover.json", (q_), NULL, NULL, \
	 NULL, NULL, "attempt", (desc_)}
static const CStep PR_PS_T[] = {
    PS_AD(0, 2, "GET", "{AT}/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F{AT}",
          "ProxyShell attempt on a patched server: answered 401"),
    PS_AD(3, 2, "POST", "{AT}/powershell/?X-Rps-CAT={CAT}&Email=autodiscover/autodiscover.json%3F{AT}",
          "ProxyShell attempt on a patched server: answered 401"),
    PS_AD(171002, 3, "POST", "{AT}/autodiscover/autodiscover.xml?&Email=autodiscover/autodiscover.json%3F{AT}",
          "ProxyShell attempt on a patched server: answered 401"),
    PS_AD(171004, 3, "POST", "{AT}/powershell/?X-Rps-CAT={CAT}&Email=autodiscover/autodiscover.json%3F{AT}",
          "ProxyShell attempt on a patched server: answered 401"),
};

#define PNS_AD(off_, act_, fl_, q_)                                                                        \
	{(off_), (act_), UA_PYREQ28, P_AUTOD, (fl_), 403, 3, "POST", "/autodiscover/autodiscover.json", (q_), NULL, \
	 NULL, NULL, NULL, "attempt", "ProxyNotShell attempt refused by the URL Rewrite mitigation: 403"}
static const CStep PR_PNS_T[] = {
    PNS_AD(0, 2, CS_AUTH, "{AT}/owa/&Email=autodiscover/autodiscover.json%3f{AT}&Protocol=XYZ&FooProtocol=Powershell"),
    PNS_AD(6, 2, CS_AUTH, "{AT}/powershell?&Email=autodiscover/autodiscover.json%3f{AT}"),
    PNS_AD(88205, 3, 0, "{AT}/powershell?&Email=autodiscover/autodiscover.json%3f{AT}"),
};

#define SCAN_GET(off_, act_, ua_, stem_)                                                                       \
	{(off_), (act_), (ua_), P_N, 0, 404, 9, "GET", (stem_), NULL, NULL, NULL, NULL, NULL, "scan",              \
	 "scanner requests a published web shell name"}
static const CStep PR_SCAN_T[] = {
    SCAN_GET(0, 2, UA_PYREQ, "/owa/auth/errorEE.aspx"),
    SCAN_GET(1, 2, UA_PYREQ, "/aspnet_client/xx.aspx"),
    SCAN_GET(40211, 3, UA_GO, "/owa/auth/shell.aspx"),
    SCAN_GET(90077, 4, UA_OLDFF, "/aspnet_client/system_web/log.aspx"),
    SCAN_GET(90078, 4, UA_OLDFF, "/owa/auth/RedirSuiteServerProxy.aspx"),
    {131500, 5, UA_NESSUS, P_AUTOD, 0, 302, 14, "GET", "/autodiscover/autodiscover.json",
     "@test.com/owa/?&Email=autodiscover/autodiscover.json%3F@test.com", NULL, NULL, NULL, NULL, "scan",
     "Nessus ProxyShell check"},
    SCAN_GET(230419, 3, UA_GO, "/aspnet_client/discover.aspx"),
};

const Campaign PROBES[PR_N] = {
    {PR_PL_T, (int)(sizeof PR_PL_T / sizeof PR_PL_T[0]), {0, false, NULL, NULL}},
    {PR_PS_T, (int)(sizeof PR_PS_T / sizeof PR_PS_T[0]), {0, false, NULL, NULL}},
    {PR_PNS_T, (int)(sizeof PR_PNS_T / sizeof PR_PNS_T[0]), {0, false, NULL, NULL}},
    {PR_SCAN_T, (int)(sizeof PR_SCAN_T / sizeof PR_SCAN_T[0]), {0, false, NULL, NULL}},
};

/* The variant's rows from base, again every few days while span_days lasts. */
void probe_plan(Gen *g, int variant, int64_t base, int64_t span_days)
{
	int v = variant % PR_N;
	int64_t step = variant == PR_SCAN ? 4 : 6;
	for (int64_t d = 0; d == 0 || d + 3 <= span_days; d += step)
		cstep_plan(g, &PROBES[v], CAMP_PROBE, base + d * MS_DAY + d * 3917000, v);
}
