/*
 * exgen: the remote PowerShell HTTP log (CmdletInfra\Powershell-Proxy\Http
 * \Rps_Http_YYYYMMDDHH-N.LOG, 38 CSV fields), one line per request that reached
 * the back end's /powershell: the health probe, the admin's shell and, in a
 * compromised fleet host, the attacker's requests with their user agent in
 * ClientInfo.  Fleet hosts only (the sample collection has no such log).
 */
#include "exgen.h"

#include <stdio.h>

static const char RPSH_FIELDS[] =
    "DateTime,StartTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ClientRequestId,"
    "UrlHost,UrlStem,AuthenticationType,IsAuthenticated,AuthenticatedUser,Organization,ManagedOrganization,"
    "ClientIpAddress,ServerHostName,FrontEndServer,HttpStatus,SubStatus,ErrorCode,Action,CommandId,"
    "CommandName,SessionId,ShellId,FailFast,ContributeToFailFast,RequestBytes,ClientInfo,CPU,Memory,"
    "ActivityContextLifeTime,TotalTime,UrlQuery,GenericLatency,GenericInfo,GenericErrors";
#define RPSH_NF 38

static Out *rpsh_out(Gen *g, int64_t t)
{
	Out *o = &g->o_rpsh;
	if (!o->f) {
		char h[24], path[256];
		hour_name(h, sizeof h, g->hour_start);
		snprintf(path, sizeof path, XROOT "Logging/CmdletInfra/Powershell-Proxy/Http/Rps_Http_%s-%d.LOG", h, g->hp_gen);
		out_open(g, o, path, K_RPSH);
		xlog_header(g, o, t, ver_dotted(g), "Rps Http Logs", SL(RPSH_FIELDS));
	}
	return o;
}

/* The back end's view of a /powershell request q, run as user, from a client whose
 * user agent the proxy passed on as client_info. */
void write_rpsh(Gen *g, const Req *q, Str user, Str client_info)
{
	Out *o = rpsh_out(g, q->t);
	char arena[2048];
	Arena a = {arena};
	Str v[RPSH_NF];
	for (int i = 0; i < RPSH_NF; i++)
		v[i] = S0;
	const Build *b = bld(g);
	uint64_t x = q->aux;
	v[0] = a_iso(&a, q->t);
	v[1] = a_iso(&a, q->t - q->tt);
	{
		char *s = a.p;
		a.p = pguid(s, q->rid_hi ^ 0x5A5A, q->rid_lo);
		v[2] = (Str){s, (size_t)(a.p - s)};
	}
	v[3] = sz(b->s_major);
	v[4] = sz(b->s_minor);
	v[5] = sz(b->s_cu);
	v[6] = sz(b->s_rev);
	v[8] = g->h.s_fqdn;
	v[9] = SL("/powershell");
	v[10] = SL("Kerberos");
	v[11] = SL("true");
	v[12] = user;
	{
		/* the proxy chain: the client, then the front end that passed it on */
		char *s = a.p;
		a.p = ps(a.p, q->cip);
		if (q->cip.n != g->h.s_ip.n || memcmp(q->cip.s, g->h.s_ip.s, q->cip.n)) {
			*a.p++ = ' ';
			a.p = ps(a.p, g->h.s_ip);
		}
		v[15] = (Str){s, (size_t)(a.p - s)};
	}
	v[16] = g->h.s_name;
	{
		char *s = a.p;
		a.p = ps(a.p, g->h.s_name);
		*a.p++ = '.';
		a.p = PL(a.p, "contoso.local");
		v[17] = (Str){s, (size_t)(a.p - s)};
	}
	v[18] = a_u(&a, (uint64_t)q->status);
	v[19] = SL("0");
	v[21] = SL("Command");
	{
		char *s = a.p;
		a.p = pguid_a(s, x, q->rid_hi, HEXU);
		v[22] = (Str){s, (size_t)(a.p - s)};
		s = a.p;
		a.p = pguid_a(s, q->rid_lo ^ (x >> 7), x * 31, HEXU);
		v[24] = (Str){s, (size_t)(a.p - s)};
		s = a.p;
		a.p = pguid_a(s, x * 131, q->rid_lo, HEXU);
		v[25] = (Str){s, (size_t)(a.p - s)};
	}
	v[28] = a_u(&a, q->req_bytes);
	v[29] = client_info;
	v[32] = a_u(&a, q->tt + 1);
	v[33] = a_u(&a, q->tt);
	if (q->query.n) {
		char *s = a.p;
		*a.p++ = '?';
		a.p = ps(a.p, q->query);
		v[34] = (Str){s, (size_t)(a.p - s)};
	}
	char *p = ob(o);
	p = csv_join(p, v, RPSH_NF);
	p = PL(p, "\r\n");
	oe(g, o, p, true, q->t);
}
