/*
 * exgen: the Remote PowerShell cmdlet log, and the PowerShell sessions that
 * talk to the back end directly: the health probe and the admin's shell (in a
 * fleet host also in the Rps_Http log); rps_cmdlet writes a campaign's cmdlets.
 */
#include "exgen.h"

#include <stdio.h>

static const char *const RPS_FIELDS[] = {
    "DateTime", "StartTime", "RequestId", "ClientRequestId", "MajorVersion", "MinorVersion",
    "BuildVersion", "RevisionVersion", "ServerHostName", "ProcessId", "ProcessName", "ThreadId",
    "CultureInfo", "Organization", "AuthenticatedUser", "ExecutingUserSid", "EffectiveOrganization",
    "UserServicePlan", "IsAdmin", "ClientApplication", "Cmdlet", "Parameters", "CmdletUniqueId",
    "UserBudgetOnStart", "ContributeToFailFast", "RunspaceSettingsCreationHint", "ADViewEntireForest",
    "ADRecipientViewRoot", "ADConfigurationDomainControllers", "ADPreferredGlobalCatalogs",
    "ADPreferredDomainControllers", "ThrottlingInfo", "DelayInfo", "ThrottlingDelay",
    "IsOutputObjectRedacted", "CmdletProxyStage", "CmdletProxyRemoteServer", "ProxiedObjectCount",
    "CmdletProxyLatency", "ExecutionResult", "Error", "ExecutionTime", "ActivityContextLifeTime",
    "BeginProcessing", "ProcessRecord", "EndProcessing", "StopProcessing", "BizLogic",
    "PowerShellLatency", "UserInteractionLatency", "ParameterBinding", "ActiveRunspaces",
    "GenericLatency", "GenericInfo", "GenericErrors", "NonPiiParameters"};
#define RPS_NF ((int)(sizeof RPS_FIELDS / sizeof RPS_FIELDS[0]))

static Out *rps_out(Gen *g, int64_t t)
{
	Out *o = &g->o_rps;
	if (!o->f) {
		char h[24], path[256], fields[2048];
		char *p = fields;
		for (int i = 0; i < RPS_NF; i++) {
			if (i)
				*p++ = ',';
			p = pz(p, RPS_FIELDS[i]);
		}
		*p = 0;
		hour_name(h, sizeof h, g->hour_start);
		snprintf(path, sizeof path, XROOT "Logging/CmdletInfra/Powershell-Proxy/Cmdlet/Rps_Cmdlet_%s-%d.LOG", h,
		         g->hp_gen);
		out_open(g, o, path, K_RPS);
		xlog_header(g, o, t, ver_dotted(g), "Rps Cmdlet Logs", sz(fields));
	}
	return o;
}

typedef struct {
	const char *cmdlet, *params, *nonpii;
} RpsCmd;

static void write_rps(Gen *g, int64_t t, Rng *r, const RpsCmd *c, Str user, Str sid, const char *app)
{
	char par[1024];
	Out *o = rps_out(g, t);
	char arena[2048];
	Arena a = {arena};
	Str v[RPS_NF];
	for (int i = 0; i < RPS_NF; i++)
		v[i] = S0;
	uint32_t exec = rrange(r, 8, 240);
	v[0] = a_iso(&a, t);
	v[1] = a_iso(&a, t - exec);
	{
		char *s = a.p;
		uint64_t g1 = rnext(r);
		uint64_t g2 = rnext(r);
		a.p = pguid(s, g1, g2);
		v[2] = (Str){s, (size_t)(a.p - s)};
	}
	const Build *b = bld(g);
	v[4] = sz(b->s_major);
	v[5] = sz(b->s_minor);
	v[6] = sz(b->s_cu);
	v[7] = sz(b->s_rev);
	v[8] = g->h.s_name;
	v[9] = a_u(&a, 7212 + (uint64_t)(g->day % 97) * 4);
	v[10] = SL("w3wp");
	v[11] = a_u(&a, rrange(r, 14, 180));
	v[12] = SL("en-US");
	v[14] = user;
	v[15] = sid;
	v[18] = SL("False");
	v[19] = sz(app);
	v[20] = sz(c->cmdlet);
	v[21] = tmpl(g, par, sizeof par, c->params);
	{
		char *s = a.p;
		uint64_t g1 = rnext(r);
		uint64_t g2 = rnext(r);
		a.p = pguid(s, g1, g2);
		v[22] = (Str){s, (size_t)(a.p - s)};
	}
	v[23] = sz(g->rps_ubudget);
	v[24] = SL("False");
	v[26] = SL("False");
	v[27] = SL("contoso.local");
	v[28] = SL("DC01.contoso.local");
	v[29] = SL("DC01.contoso.local");
	v[30] = SL("{ DC01.contoso.local }");
	v[33] = SL("0");
	v[34] = SL("False");
	v[39] = SL("Success");
	v[41] = a_u(&a, exec);
	v[42] = a_u(&a, exec + 1);
	v[43] = a_u(&a, exec / 5);
	v[44] = a_u(&a, exec - exec / 5 - 1);
	v[45] = SL("0");
	v[48] = a_u(&a, exec / 3);
	v[50] = SL("0");
	v[51] = SL("1");
	v[55] = sz(c->nonpii);
	char *p = ob(o);
	p = csv_join(p, v, RPS_NF);
	p = PL(p, "\r\n");
	oe(g, o, p, true, t);
}

static const RpsCmd RPS_PROBE[] = {
    {"Get-Mailbox", "-ResultSize \"1\"", "-ResultSize \"1\""},
    {"Get-ExchangeServer", "-Identity \"{NAME}\"", "-Identity \"<Identity>\""},
    {"Get-OrganizationConfig", "", ""},
};
static const RpsCmd RPS_ADMIN[] = {
    {"Get-Mailbox", "-ResultSize \"Unlimited\"", "-ResultSize \"Unlimited\""},
    {"Get-MailboxDatabase", "-Status \"True\"", "-Status \"True\""},
    {"Get-MessageTrackingLog", "-Sender \"billing@fabrikam.com\" -ResultSize \"1000\"",
     "-Sender \"<Sender>\" -ResultSize \"1000\""},
    {"Get-Queue", "", ""},
};

/* A PowerShell session at t: the health probe (arg picks its cmdlet) or the admin's shell. */
void rps_event(Gen *g, int64_t t, Rng *r, bool admin, int arg)
{
	if (!g->want_misc && !g->want_iis)
		return;
	/* The probe talks to the back end directly: W3SVC2 and the cmdlet log. */
	Req q;
	req_init(g, &q, r, t);
	q.method = "POST";
	q.stem = SL("/powershell");
	q.query = admin ? SL("serializationLevel=Full;clientApplication=ManagementShell;PSVersion=5.1.17763.1490")
	                : SL("clientApplication=ActiveMonitor;PSVersion=5.1.14393.4104");
	q.ua = UA_WINRM;
	q.tt = rrange(r, 20, 400);
	q.be_user = admin ? sz(g->users[0].dom) : sz(g->hm1_dom);
	if (g->want_iis)
		write_iis(g, &q, true, false);
	if (g->want_rpsh)
		write_rpsh(g, &q, q.be_user, g->ua_hp[UA_WINRM]);
	if (g->want_misc) {
		const RpsCmd *c = admin ? &RPS_ADMIN[rbelow(r, 4)] : &RPS_PROBE[arg % 3];
		write_rps(g, t, r, c, q.be_user, admin ? sz(g->users[0].sid) : sz(g->hm1_sid),
		          admin ? "ManagementShell" : "ActiveMonitor");
	}
	g->last_t = t;
}


/* A cmdlet of a campaign at t, run as user (sid) over remote PowerShell. */
void rps_cmdlet(Gen *g, int64_t t, Rng *r, const char *cmdlet, Str params, Str user, Str sid)
{
	char par[1024];
	size_t n = params.n < sizeof par - 1 ? params.n : sizeof par - 1;
	memcpy(par, params.s, n);
	par[n] = 0;
	/* no {...} left in par: tmpl copies it as it is */
	RpsCmd c = {cmdlet, par, par};
	write_rps(g, t, r, &c, user, sid, "");
}
