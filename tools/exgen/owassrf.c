/*
 * exgen: OWASSRF (CVE-2022-41080 + CVE-2022-41082), December 2022 (indicators.md
 * 2.8): POST /owa/<user>%40<domain>/powershell with the user's password; the OWA
 * proxy forwards it to the back end's remote PowerShell, which the ProxyNotShell
 * URL Rewrite rule does not stop; the PowerShell code execution writes a China
 * Chopper page under aspnet_client\system_web, which is then used.  IIS front and
 * back end, HttpProxy Owa and Rps_Http (the browser user agent in ClientInfo).
 */
#include "exgen.h"

#define OW_PS(off_, fl_, tt_, desc_)                                                                     \
	{(off_), 0, UA_CHROME105, P_OWA, CS_AUTH | CS_RPSH | (fl_), 200, (tt_), "POST",                     \
	 "/owa/{VSAM}%40contoso.com/powershell", NULL, "/powershell",                                      \
	 "serializationLevel=Full;clientApplication=;PSVersion=5.1.17763.2931", NULL, NULL, "rce", (desc_)}

static const CStep OW[] = {
    OW_PS(0, CS_FIRST, 388, "CVE-2022-41080: OWA path with a mailbox address proxied to remote PowerShell"),
    OW_PS(2, 0, 164, "CVE-2022-41080: OWA path with a mailbox address proxied to remote PowerShell"),
    OW_PS(3, 0, 1732, "CVE-2022-41082: remote PowerShell through OWA"),
    OW_PS(26, CS_SHELL, 4410, "CVE-2022-41082: PowerShell code execution writes a China Chopper page in aspnet_client"),
    OW_PS(61, 0, 950, "CVE-2022-41082: remote PowerShell through OWA"),
    CS_PAGE(188, 0, UA_CHROME105, "POST", "/aspnet_client/system_web/{SH}", 201, "webshell-use",
            "POST to the China Chopper page in aspnet_client"),
    CS_PAGE(196, 0, UA_CHROME105, "POST", "/aspnet_client/system_web/{SH}", 734, "webshell-use",
            "POST to the China Chopper page in aspnet_client"),
    CS_PAGE(11260, 1, UA_CHROME105, "POST", "/aspnet_client/system_web/{SH}", 318, "webshell-use",
            "POST to the China Chopper page in aspnet_client from a second address"),
};
#define NOW ((int)(sizeof OW / sizeof OW[0]))

const Campaign CAMPAIGN_OW = {
    OW, NOW,
    {SD_ASPNET_SYS, false, "China Chopper page written by CVE-2022-41082 code execution (OWASSRF)",
     "exh_chopper_eval_request"}};
