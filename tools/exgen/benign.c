/*
 * exgen: benign traffic.  Human sessions (OWA, Outlook MAPI, EWS, ActiveSync,
 * Autodiscover, OAB, ECP, RPC/HTTP, admin PowerShell) and background requests
 * (Managed Availability probes, internet scanners, phone pings) as Req fields.
 */
#include "exgen.h"

#include <string.h>

/* Session types (see exgen.h) with their share (per mille), length range and gaps. */
static const struct {
	uint16_t weight, len_lo, len_hi;
	uint32_t gap_lo, gap_hi; /* ms between requests of a session */
} SESS[T_NHUMAN] = {
    [T_MAPI] = {280, 2, 8, 150, 30000},     [T_NSPI] = {30, 1, 2, 100, 2000},
    [T_EWS] = {140, 1, 5, 400, 20000},      [T_OWA] = {120, 3, 10, 100, 8000},
    [T_EAS] = {180, 1, 3, 1000, 60000},     [T_AUTOD] = {80, 1, 2, 200, 3000},
    [T_OAB] = {40, 1, 2, 100, 1500},        [T_ECP_USER] = {20, 1, 3, 1000, 15000},
    [T_ECP_ADMIN] = {10, 1, 4, 2000, 30000}, [T_RPC] = {10, 2, 2, 5, 60},
    [T_PS_ADMIN] = {5, 1, 3, 3000, 40000},
};

static const char *const EWS_ACTIONS[] = {"GetItem", "FindItem", "SyncFolderItems", "GetFolder",
                                          "GetUserAvailability", "GetUserOofSettings", "Subscribe",
                                          "GetStreamingEvents", "FindFolder", "CreateItem"};
static const char *const OWA_ACTIONS[] = {"GetFolder", "FindItem", "GetItem", "FindConversation",
                                          "GetConversationItems", "GetOwaUserConfiguration",
                                          "UpdateItem", "GetCalendarView", "CreateItem", "FindPeople"};
static const char *const OWA_STATIC[] = {"scripts/boot.worker.min.js", "scripts/preboot.js",
                                         "scripts/boot.0.mouse.js", "resources/styles/0/boot.worker.css",
                                         "resources/images/0/sprite1.mouse.png",
                                         "resources/images/0/sprite1.mouse.css", "resources/wavs/Glass.mp3"};
static const char *const EAS_CMDS[] = {"Sync", "Sync", "Sync", "Ping", "Ping", "FolderSync", "SendMail",
                                       "ItemOperations", "Sync", "Ping"};
static const char *const ECP_ADMIN_CMDS[] = {
    "Get-Recipient.ResultSize='500'.RecipientTypeDetails='UserMailbox,SharedMailbox,RoomMailbox'",
    "Get-Mailbox.ResultSize='500'.SortBy='DisplayName'",
    "Get-MessageTrace",
    "Get-ExchangeServer",
    "Get-Recipient.Filter='(RecipientType -eq \"UserMailbox\")'.ResultSize='500'"};

/* An ECP canary: 75 base64url characters and a dot. */
static char *canary(char *p, Rng *r)
{
	static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	for (int i = 0; i < 75; i++)
		*p++ = B64[rbelow(r, 64)];
	*p++ = '.';
	return p;
}

static int pick_user(Rng *r)
{
	/* A few heavy users and a long tail. */
	if (rbelow(r, 100) < 30)
		return 1 + (int)rbelow(r, 5);
	return (int)rbelow(r, NUSERS);
}

/* The cumulative session weights and the mean session length, for gen_day. */
void benign_init(Gen *g)
{
	uint32_t c = 0;
	uint64_t lensum = 0;
	for (int i = 0; i < T_NHUMAN; i++) {
		g->human_cum[i] = c += SESS[i].weight;
		/* OWA logon sessions (35%) are at least five requests long */
		uint64_t lo = SESS[i].len_lo, hi = SESS[i].len_hi, mean2 = lo + hi; /* twice the mean */
		if (i == T_OWA) {
			uint64_t m2 = 0;
			for (uint64_t l = lo; l <= hi; l++)
				m2 += 2 * (l < 5 ? 5 : l);
			mean2 = (350 * m2 / (hi - lo + 1) + 650 * mean2) / 1000;
		}
		lensum += SESS[i].weight * mean2;
	}
	g->mean_sess_milli = lensum * 500 / c;
}

/* A new human session: its type, user and flag drawn from the hour's generator r;
 * returns its length in requests. */
unsigned sess_human(const Gen *g, Rng *r, Sess *se)
{
	uint32_t k = rbelow(r, g->human_cum[T_NHUMAN - 1]);
	int ty = 0;
	while (k >= g->human_cum[ty])
		ty++;
	int user = (ty == T_ECP_ADMIN || ty == T_PS_ADMIN) ? 0 : pick_user(r);
	if (ty == T_EAS && !g->users[user].phone)
		ty = T_MAPI;
	se->type = (uint16_t)ty;
	se->user = (uint16_t)user;
	se->flag = ty == T_OWA && rpm(r, 350);
	unsigned len = rrange(r, SESS[ty].len_lo, SESS[ty].len_hi);
	if (se->flag && len < 5)
		len = 5;
	return len;
}

/* Milliseconds from one request of a session to its next. */
uint32_t sess_gap(Rng *r, const Sess *se) { return rrange(r, SESS[se->type].gap_lo, SESS[se->type].gap_hi); }

static void set_user_auth(Req *q, const User *u, bool upn)
{
	q->iis_user = upn ? sz(u->upn) : sz(u->dom);
	q->hp_user = q->iis_user;
	q->isauth = true;
}

/* One request of a human session: seq is its position in the session. */
void gen_human(const Gen *g, Req *q, Rng *r, const Sess *s, unsigned seq)
{
	const User *u = &g->users[s->user];
	int type = s->type;
	bool first = seq == 0;
	char tmp[160];
	q->cip = sz(u->ip);
	switch (type) {
	case T_MAPI:
	case T_NSPI:
		q->method = "POST";
		q->stem = type == T_MAPI ? SL("/mapi/emsmdb/") : SL("/mapi/nspi/");
		q->query = BCAT(q->b_query, SL("MailboxId="), sz(u->mbx), SL("@contoso.com"));
		q->proxied = true;
		q->proto = P_MAPI;
		q->ua = UA_OUTLOOK;
		set_user_auth(q, u, false);
		q->chal = first && rpm(r, 450);
		q->action = type == T_NSPI ? SL("Bind") : first ? SL("Connect") : SL("Execute");
		/* NotificationWait requests hang until something happens. */
		q->tt = !first && type == T_MAPI && rpm(r, 120) ? rrange(r, 1000, 60000) : rrange(r, 8, 450);
		q->backend = rpm(r, 350);
		q->be_user = g->h.s_machine;
		q->authtype = SL("Negotiate");
		q->anchor = BCAT(q->b_anchor, SL("MailboxGuidWithDomain~"), sz(u->mbx), SL("@contoso.com"));
		q->rhint = SL("MailboxGuidWithDomain-MailboxIdParameter");
		q->cookie_srv = g->h.s_fqdn;
		q->dbguid = sz(g->db_guid);
		{
			char *c = tmp;
			*c++ = '{';
			c = pguid_a(c, s->seed, s->seed * 31 + 7, HEXU); /* stable per Outlook session */
			*c++ = '}';
			*c++ = ':';
			c = pu(c, 1 + (s->seed >> 56) + seq);
			q->creqid = BCAT(q->b_creq, (Str){tmp, (size_t)(c - tmp)});
		}
		q->req_bytes = rrange(r, 300, 9000);
		q->resp_bytes = rrange(r, 150, 48000);
		break;
	case T_EWS:
		q->method = "POST";
		q->stem = SL("/EWS/Exchange.asmx");
		q->proxied = true;
		q->proto = P_EWS;
		q->ua = u->ews_ua;
		set_user_auth(q, u, u->ews_ua == UA_MACMAIL || u->ews_ua == UA_ACCOUNTSD);
		q->tt = rrange(r, 12, 700);
		{
			const char *act = PICK(r, EWS_ACTIONS);
			q->action = sz(act);
			if (!strcmp(act, "GetStreamingEvents"))
				q->tt = rrange(r, 30000, 1800000); /* streaming subscriptions hang */
		}
		q->chal = first && (q->ua == UA_OUTLOOK || q->ua == UA_EWSCLIENT) && rpm(r, 500);
		q->backend = rpm(r, 350);
		q->be_user = g->h.s_machine;
		q->authtype = q->ua == UA_OUTLOOK || q->ua == UA_EWSCLIENT ? SL("Negotiate") : SL("Basic");
		q->anchor = BCAT(q->b_anchor, SL("Sid~"), sz(u->sid));
		q->rhint = SL("Sid-Sid");
		q->cookie_srv = g->h.s_fqdn;
		q->req_bytes = rrange(r, 600, 5000);
		q->resp_bytes = rrange(r, 400, 60000);
		if (rpm(r, 6)) { /* rare failure whose error text needs CSV quoting */
			q->status = 500;
			q->be_status = 500;
			q->generr = SL("[EWS] ErrorMailboxStoreUnavailable: Mailbox \"database\" busy, retry later");
		}
		break;
	case T_OWA: {
		/* A logon session walks the forms-based logon first; then the
		 * single-page app loads static files and calls service.svc. */
		unsigned step = s->flag ? seq : 4 + seq;
		q->ua = u->browser;
		if (u->owa_home && (s->seed & 1))
			q->cip = sz(u->home);
		q->tt = rrange(r, 5, 60);
		if (step == 0) {
			q->stem = SL("/owa/");
			q->status = 302;
			q->resp_bytes = 450;
			break;
		}
		if (step == 1) {
			q->stem = SL("/owa/auth/logon.aspx");
			q->query = g->h.s_logon_q;
			q->resp_bytes = rrange(r, 9000, 12000);
			break;
		}
		if (step == 2) {
			q->method = "POST";
			q->stem = SL("/owa/auth.owa");
			q->iis_user = sz(u->dom);
			q->referer = g->h.s_ref_logon;
			q->status = 302;
			q->tt = rrange(r, 20, 300);
			q->resp_bytes = 900;
			break;
		}
		q->referer = g->h.s_ref_owa;
		if (step >= 4 && rpm(r, 300)) { /* static resources come from the front end */
			char *c = tmp;
			c = PL(c, "/owa/prem/");
			c = pz(c, bld(g)->dotted);
			*c++ = '/';
			c = pz(c, PICK(r, OWA_STATIC));
			q->stem = BCAT(q->b_stem, (Str){tmp, (size_t)(c - tmp)});
			q->iis_user = sz(u->dom);
			if (rpm(r, 400)) {
				q->status = 304;
				q->resp_bytes = 200;
			} else {
				q->resp_bytes = rrange(r, 2000, 400000);
			}
			q->tt = rrange(r, 0, 30);
			break;
		}
		bool svc = step >= 4;
		q->method = svc ? "POST" : "GET";
		q->stem = svc ? SL("/owa/service.svc") : SL("/owa/");
		if (svc) {
			const char *act = PICK(r, OWA_ACTIONS);
			char *c = tmp;
			c = PL(c, "action=");
			c = pz(c, act);
			c = PL(c, "&EP=1&ID=-");
			c = pu(c, rrange(r, 1, 90));
			c = PL(c, "&AC=1");
			q->query = BCAT(q->b_query, (Str){tmp, (size_t)(c - tmp)});
			q->action = sz(act);
			char *b = q->b_creq;
			b = phex(b, s->seed, 16, HEXU);
			b = phex(b, q->rid_lo, 16, HEXU);
			*b++ = '_';
			b = pu(b, (uint64_t)(q->t - 40 - (int64_t)(q->aux % 900)));
			*b = 0;
			q->creqid = (Str){q->b_creq, (size_t)(b - q->b_creq)};
		}
		q->proxied = true;
		q->proto = P_OWA;
		set_user_auth(q, u, false);
		q->hp_user = sz(u->upn);
		q->authtype = SL("Negotiate");
		q->anchor = BCAT(q->b_anchor, SL("Sid~"), sz(u->sid));
		q->rhint = SL("Sid-OwaCookie");
		q->cookie_srv = g->h.s_fqdn;
		q->tt = rrange(r, 15, 900);
		q->backend = rpm(r, 200);
		q->be_user = q->iis_user;
		q->req_bytes = rrange(r, 500, 3000);
		q->resp_bytes = rrange(r, 300, 90000);
		if (svc && rpm(r, 8)) { /* rare OWA error, message with a comma */
			q->status = 500;
			q->be_status = 500;
			q->generr = SL("Exception=ObjectNotFoundException;Message=The specified object was not found "
			               "in the store., The process failed to get the correct properties.");
		}
		break;
	}
	case T_EAS: {
		const char *cmd = first && rpm(r, 300) ? "FolderSync" : PICK(r, EAS_CMDS);
		char *c = tmp;
		q->method = "POST";
		q->stem = SL("/Microsoft-Server-ActiveSync/default.eas");
		c = PL(c, "Cmd=");
		c = pz(c, cmd);
		c = PL(c, "&User=");
		c = pz(c, u->sam);
		c = PL(c, "&DeviceId=");
		c = pz(c, u->dev);
		c = u->android ? PL(c, "&DeviceType=Android") : PL(c, "&DeviceType=iPhone");
		q->query = BCAT(q->b_query, (Str){tmp, (size_t)(c - tmp)});
		q->proxied = true;
		q->proto = P_EAS;
		q->ua = u->phone_ua;
		q->cip = sz(u->phone_ip);
		set_user_auth(q, u, false);
		q->authtype = SL("Basic");
		q->anchor = BCAT(q->b_anchor, SL("Smtp~"), sz(u->upn));
		q->rhint = SL("Smtp-UrlLogonName");
		q->action = sz(cmd);
		q->tt = cmd[0] == 'P' ? rrange(r, 300000, 900000) : rrange(r, 20, 1500);
		q->backend = rpm(r, 150);
		q->be_user = q->iis_user;
		q->req_bytes = rrange(r, 150, 4000);
		q->resp_bytes = rrange(r, 0, 30000);
		break;
	}
	case T_AUTOD:
		q->method = "POST";
		q->stem = SL("/Autodiscover/Autodiscover.xml");
		q->proxied = true;
		q->proto = P_AUTOD;
		q->ua = u->ews_ua == UA_ACCOUNTSD ? UA_ACCOUNTSD : UA_OUTLOOK;
		set_user_auth(q, u, false);
		q->authtype = SL("Negotiate");
		q->anchor = BCAT(q->b_anchor, SL("Smtp~"), sz(u->upn));
		q->rhint = SL("Smtp-AutodiscoverRequestBody");
		q->chal = first && rpm(r, 600);
		q->backend = rpm(r, 300);
		q->be_user = g->h.s_machine;
		q->tt = rrange(r, 30, 400);
		q->req_bytes = rrange(r, 350, 600);
		q->resp_bytes = rrange(r, 3000, 6000);
		break;
	case T_OAB: {
		char *c = tmp;
		c = PL(c, "/OAB/");
		c = pz(c, g->oab_guid);
		c = first ? PL(c, "/oab.xml") : PL(c, "/data-1.lzx");
		q->stem = BCAT(q->b_stem, (Str){tmp, (size_t)(c - tmp)});
		q->proxied = true;
		q->proto = P_OAB;
		q->ua = UA_OUTLOOK;
		set_user_auth(q, u, false);
		q->authtype = SL("Negotiate");
		q->anchor = BCAT(q->b_anchor, SL("OAB~"), sz(g->oab_guid));
		q->rhint = SL("OABGuid-OabGuid");
		q->tt = rrange(r, 5, 200);
		q->backend = rpm(r, 500);
		q->be_user = g->h.s_machine;
		q->resp_bytes = first ? rrange(r, 800, 2000) : rrange(r, 20000, 900000);
		break;
	}
	case T_ECP_USER:
	case T_ECP_ADMIN: {
		char can[96];
		Rng cr; /* the canary belongs to the session */
		rng_seed(&cr, s->seed);
		char *c = canary(can, &cr);
		Str cs = {can, (size_t)(c - can)};
		q->method = "POST";
		q->proxied = true;
		q->proto = P_ECP;
		q->ua = u->browser;
		set_user_auth(q, u, false);
		q->hp_user = sz(u->upn);
		q->authtype = SL("Negotiate");
		q->anchor = BCAT(q->b_anchor, SL("Sid~"), sz(u->sid));
		q->rhint = SL("Sid-EcpCookie");
		q->cookie_srv = g->h.s_fqdn;
		q->tt = rrange(r, 40, 1500);
		q->backend = true;
		q->be_user = q->iis_user;
		q->ecp = true;
		if (type == T_ECP_USER) {
			q->stem = SL("/ecp/RulesEditor/InboxRules.svc/GetList");
			q->referer = g->h.s_ref_rules;
			q->ecp_cmd = rpm(r, 900) ? SL("Get-InboxRule")
			                         : SL("New-InboxRule.Name='Newsletters'.MoveToFolder='Newsletters'");
			q->query = BCAT(q->b_query, SL("msExchEcpCanary="), cs);
		} else {
			q->stem = SL("/ecp/DDI/DDIService.svc/GetList");
			q->referer = g->h.s_ref_ecp;
			q->ecp_cmd = sz(PICK(r, ECP_ADMIN_CMDS));
			q->query = BCAT(q->b_query, SL("msExchEcpCanary="), cs, SL("&schema=MailboxService"));
		}
		q->ecp_url = BCAT(q->b_url, q->stem, SL("?"), q->query);
		q->req_bytes = rrange(r, 400, 2000);
		q->resp_bytes = rrange(r, 1000, 40000);
		break;
	}
	case T_RPC:
		q->method = seq ? "RPC_OUT_DATA" : "RPC_IN_DATA";
		q->stem = SL("/rpc/rpcproxy.dll");
		q->query = BCAT(q->b_query, sz(u->mbx), SL("@contoso.com:6001"));
		q->proxied = true;
		q->proto = P_RPC;
		q->ua = UA_MSRPC;
		set_user_auth(q, u, false);
		q->authtype = SL("Ntlm");
		q->anchor = BCAT(q->b_anchor, SL("MailboxGuidWithDomain~"), sz(u->mbx), SL("@contoso.com"));
		q->rhint = SL("RpcHttpMailboxGuid-UrlParameter");
		q->tt = rrange(r, 60000, 900000);
		q->req_bytes = rrange(r, 1000, 1048576);
		q->resp_bytes = rrange(r, 1000, 400000);
		break;
	case T_PS_ADMIN:
	default:
		q->method = "POST";
		q->stem = SL("/powershell");
		q->query = sz(bld(g)->ps_query);
		q->proxied = true;
		q->proto = P_PS;
		q->ua = UA_WINRM;
		set_user_auth(q, u, false);
		q->authtype = SL("Kerberos");
		q->anchor = sz(bld(g)->ps_anchor);
		q->rhint = SL("ExchClientVer-ServerCookie");
		q->cookie_srv = g->h.s_fqdn;
		q->action = first ? SL("Connect") : SL("Get-Mailbox:Command");
		q->tt = rrange(r, 20, 3000);
		q->backend = true;
		q->be_user = q->iis_user;
		break;
	}
	if (q->proxied && !q->be_status)
		q->be_status = q->status;
}

/* Background: health probes, scanners, night-time phone pings. */
void gen_background(const Gen *g, Req *q, Rng *r)
{
	uint32_t k = rbelow(r, 100);
	char tmp[128];
	if (k < 55) { /* Managed Availability probe from the server itself */
		q->local = true;
		q->cip = SL("127.0.0.1");
		q->sip = SL("127.0.0.1");
		q->host = SL("localhost");
		q->ua = UA_AMPROBE;
		q->proxied = true;
		q->iis_user = sz(g->hm1_dom);
		q->hp_user = q->iis_user;
		q->isauth = true;
		q->authtype = SL("Negotiate");
		q->anchor = BCAT(q->b_anchor, SL("Smtp~"), sz(g->hm1), SL("@contoso.local"));
		q->rhint = SL("Smtp-ExplicitLogon");
		q->backend = rpm(r, 500);
		q->be_user = g->h.s_machine;
		q->tt = rrange(r, 10, 300);
		switch (rbelow(r, 6)) {
		case 0:
			q->stem = SL("/owa/");
			q->proto = P_OWA;
			break;
		case 1:
			q->stem = SL("/ecp/");
			q->proto = P_ECP;
			break;
		case 2:
			q->method = "POST";
			q->stem = SL("/EWS/Exchange.asmx");
			q->proto = P_EWS;
			q->action = SL("GetFolder");
			break;
		case 3:
			q->method = "POST";
			q->stem = SL("/Microsoft-Server-ActiveSync/default.eas");
			q->query = BCAT(q->b_query, SL("Cmd=FolderSync&User="), sz(g->hm1), SL("&DeviceId=AMProbe&DeviceType=AMProbe"));
			q->proto = P_EAS;
			q->action = SL("FolderSync");
			break;
		case 4:
			q->method = "POST";
			q->stem = SL("/Autodiscover/Autodiscover.xml");
			q->proto = P_AUTOD;
			break;
		default:
			q->method = "POST";
			q->stem = SL("/mapi/emsmdb/");
			q->query = BCAT(q->b_query, SL("MailboxId="), sz(g->db_guid), SL("@contoso.local"));
			q->proto = P_MAPI;
			q->action = SL("Connect");
			break;
		}
		q->be_status = 200;
		return;
	}
	if (k < 85) { /* internet noise */
		rand_public_ip(r, q->b_cip, sizeof q->b_cip, true);
		q->cip = sz(q->b_cip);
		static const int uas[] = {UA_ZGRAB, UA_CENSYS, UA_CURL, UA_GO, UA_OLDFF};
		q->ua = PICK(r, uas);
		q->tt = rrange(r, 0, 40);
		uint32_t s = rbelow(r, 100);
		bool xjs_era = q->t >= ms_at(2021, 3, 6, 0, 0, 0, 0);
		if (xjs_era && s < 15) { /* Microsoft's nmap script for CVE-2021-26855 */
			q->stem = SL("/owa/auth/x.js");
			q->ua = UA_NMAP;
			q->proxied = true;
			q->proto = P_OWA;
			q->anchor = SL("ServerInfo~localhost/owa/auth/logon.aspx?~3");
			q->rhint = SL("X-BEResource-Cookie");
			q->rtype = S0;
			q->target = S0;
			q->status = 500;
			q->be_status = 0;
			q->errcode = SL("ServerNotFound");
			q->generr = SL("ServerNotFoundException: Could not find server localhost/owa/auth/logon.aspx?~3");
			return;
		}
		if (s < 45) {
			q->stem = SL("/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application");
			q->ua = UA_ZGRAB;
			q->proxied = true;
			q->proto = P_ECP;
			q->rtype = SL("Random");
			q->resp_bytes = 1734;
			q->be_status = 200;
		} else if (s < 65) {
			q->stem = SL("/");
			q->resp_bytes = 943;
		} else if (s < 80) {
			q->stem = SL("/wp-login.php");
			q->status = 404;
			q->win32 = 2;
		} else if (s < 92) {
			q->stem = SL("/.env");
			q->status = 404;
			q->win32 = 2;
		} else {
			q->stem = SL("/owa/auth/logon.aspx");
			q->query = g->h.s_logon_q;
		}
		return;
	}
	/* a phone keeping its ActiveSync Ping alive */
	const User *u = &g->users[rbelow(r, NUSERS)];
	if (!u->phone)
		u = &g->users[1];
	char *c = tmp;
	c = PL(c, "Cmd=Ping&User=");
	c = pz(c, u->sam);
	c = PL(c, "&DeviceId=");
	c = pz(c, u->dev);
	c = u->android ? PL(c, "&DeviceType=Android") : PL(c, "&DeviceType=iPhone");
	q->method = "POST";
	q->stem = SL("/Microsoft-Server-ActiveSync/default.eas");
	q->query = BCAT(q->b_query, (Str){tmp, (size_t)(c - tmp)});
	q->proxied = true;
	q->proto = P_EAS;
	q->ua = u->phone_ua;
	q->cip = sz(u->phone_ip);
	set_user_auth(q, u, false);
	q->authtype = SL("Basic");
	q->anchor = BCAT(q->b_anchor, SL("Smtp~"), sz(u->upn));
	q->rhint = SL("Smtp-UrlLogonName");
	q->action = SL("Ping");
	q->tt = rrange(r, 470000, 900000);
	q->be_status = 200;
}

