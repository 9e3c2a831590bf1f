/*
 * exgen: Exchange HttpProxy logs, one CSV file per protocol and hour with 74
 * fields per line, latencies consistent with the request's total time.
 */
#include "exgen.h"

#include <stdio.h>

static const char *const PROTO_NAME[P_N] = {"Owa", "Ecp", "Ews", "Mapi", "Autodiscover",
                                            "Eas", "PowerShell", "RpcHttp", "Oab"};

/* HttpProxy: 74 comma separated fields. */
static const char HP_FIELDS[] =
    "DateTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ClientRequestId,"
    "Protocol,UrlHost,UrlStem,ProtocolAction,AuthenticationType,IsAuthenticated,AuthenticatedUser,"
    "Organization,AnchorMailbox,UserAgent,ClientIpAddress,ServerHostName,HttpStatus,BackEndStatus,"
    "ErrorCode,Method,ProxyAction,TargetServer,TargetServerVersion,RoutingType,RoutingHint,"
    "BackEndCookie,ServerLocatorHost,ServerLocatorLatency,RequestBytes,ResponseBytes,"
    "TargetOutstandingRequests,AuthModulePerfContext,HttpPipelineLatency,"
    "CalculateTargetBackEndLatency,GlsLatencyBreakup,TotalGlsLatency,AccountForestLatencyBreakup,"
    "TotalAccountForestLatency,ResourceForestLatencyBreakup,TotalResourceForestLatency,ADLatency,"
    "SharedCacheLatencyBreakup,TotalSharedCacheLatency,ActivityContextLifeTime,"
    "ModuleToHandlerSwitchingLatency,ClientReqStreamLatency,BackendReqInitLatency,"
    "BackendReqStreamLatency,BackendProcessingLatency,BackendRespInitLatency,"
    "BackendRespStreamLatency,ClientRespStreamLatency,KerberosAuthHeaderLatency,"
    "HandlerCompletionLatency,RequestHandlerLatency,HandlerToModuleSwitchingLatency,ProxyTime,"
    "CoreLatency,RoutingLatency,HttpProxyOverhead,TotalRequestTime,RouteRefresherLatency,UrlQuery,"
    "BackEndGenericInfo,GenericInfo,GenericErrors,EdgeTraceId,DatabaseGuid,UserADObjectGuid,"
    "PartitionEndpointLookupLatency,RoutingStatus";
#define HP_NF 74

static Out *hp_out(Gen *g, int proto, int64_t t)
{
	Out *o = &g->o_hp[proto];
	if (!o->f) {
		char h[24], path[256];
		hour_name(h, sizeof h, g->hour_start);
		snprintf(path, sizeof path, XROOT "Logging/HttpProxy/%s/HttpProxy_%s-%d.LOG", PROTO_NAME[proto], h,
		         g->hp_gen);
		out_open(g, o, path, K_HP);
		xlog_header(g, o, t, ver_dotted(g), "HttpProxy Logs", SL(HP_FIELDS));
	}
	return o;
}

void write_hp(Gen *g, const Req *q, bool chal)
{
	int64_t t = chal ? q->t_chal : q->t;
	Out *o = hp_out(g, q->proto, t);
	char arena[4096];
	Arena a = {arena};
	Str v[HP_NF];
	for (int i = 0; i < HP_NF; i++)
		v[i] = S0;
	uint64_t x = q->aux;
	uint32_t total = chal ? q->chal_tt : q->tt;
	v[0] = a_iso(&a, t);
	{
		char *s = a.p;
		a.p = pguid(s, chal ? q->rid_lo : q->rid_hi, chal ? q->rid_hi : q->rid_lo);
		v[1] = (Str){s, (size_t)(a.p - s)};
	}
	const Build *b = bld(g);
	v[2] = sz(b->s_major);
	v[3] = sz(b->s_minor);
	v[4] = sz(b->s_cu);
	v[5] = sz(b->s_rev);
	v[6] = q->creqid;
	v[7] = sz(PROTO_NAME[q->proto]);
	v[8] = q->host;
	v[9] = q->stem;
	v[10] = q->action;
	v[16] = g->ua_hp[q->ua];
	v[17] = q->cip;
	v[18] = g->h.s_name;
	v[22] = sz(q->method);
	v[31] = a_u(&a, q->req_bytes);
	if (chal) {
		v[11] = S0;
		v[12] = SL("false");
		v[19] = SL("401");
		v[32] = a_u(&a, 341 + (x & 63));
		v[35] = SL("0");
	} else {
		v[11] = q->authtype;
		v[12] = q->isauth ? SL("true") : SL("false");
		v[13] = q->hp_user;
		v[15] = q->anchor;
		v[19] = a_u(&a, (uint64_t)q->status);
		if (q->be_status)
			v[20] = a_u(&a, (uint64_t)q->be_status);
		v[21] = q->errcode;
		v[23] = SL("Proxy");
		v[24] = q->target;
		/* no version for an unknown back end (the SSRF target "a]@...") */
		v[25] = q->target.n && q->target.s[0] != 'a' ? sz(ver_dotted(g)) : S0;
		v[26] = q->rtype;
		v[27] = q->rhint;
		if (q->cookie_srv.n) {
			char *s = a.p;
			a.p = PL(a.p, "Server~");
			a.p = ps(a.p, q->cookie_srv);
			*a.p++ = '~';
			a.p = pu(a.p, 1941962752 + (x >> 40) % 200000);
			*a.p++ = '~';
			a.p = p_iso(a.p, t + 600000) - 5; /* second precision, no "Z" */
			v[28] = (Str){s, (size_t)(a.p - s)};
		}
		v[32] = a_u(&a, q->resp_bytes);
		v[33] = a_u(&a, (x >> 8) & 3);
		v[35] = a_u(&a, (x >> 12) & 1);
	}
	/* Latency breakdown consistent with the total time. */
	uint32_t be = chal ? 0 : total - total / 6 - ((x >> 16) & 1);
	if (be > total)
		be = 0;
	uint32_t core = total - be;
	static const Str zero = {"0", 1};
	v[36] = chal ? zero : a_u(&a, (x >> 18) & 1);
	v[38] = zero;
	v[40] = zero;
	v[42] = zero;
	v[43] = chal ? zero : a_u(&a, (x >> 20) & 3);
	v[45] = zero;
	v[46] = a_u(&a, total);
	v[47] = zero;
	v[48] = zero;
	v[49] = chal ? zero : a_u(&a, (x >> 22) & 1);
	v[50] = zero;
	v[51] = a_u(&a, be);
	v[52] = zero;
	v[53] = zero;
	v[54] = chal ? zero : a_u(&a, (x >> 24) & 1);
	v[55] = zero;
	v[56] = zero;
	v[57] = a_u(&a, total);
	v[58] = zero;
	v[59] = chal ? zero : a_u(&a, be + 1);
	v[60] = a_u(&a, core);
	v[61] = chal ? zero : a_u(&a, (x >> 26) & 3);
	v[62] = a_u(&a, core);
	v[63] = a_u(&a, total);
	if (q->query.n) {
		char *s = a.p;
		*a.p++ = '?';
		a.p = ps(a.p, q->query);
		v[65] = (Str){s, (size_t)(a.p - s)};
	}
	{
		char *s = a.p;
		a.p = PL(a.p, "BeginRequest=");
		a.p = p_iso(a.p, t - total);
		a.p = PL(a.p, ";CorrelationID=<empty>;");
		if (chal) {
			a.p = PL(a.p, "NoAuthenticatedUser=True;ProxyState-Run=None;");
		} else {
			a.p = PL(a.p, "ProxyState-Run=None;ProxyState-Complete=ProxyResponseData;");
		}
		a.p = PL(a.p, "SharedCacheGuard=0;EndRequest=");
		a.p = p_iso(a.p, t);
		*a.p++ = ';';
		v[67] = (Str){s, (size_t)(a.p - s)};
	}
	if (!chal) {
		v[68] = q->generr;
		v[70] = q->dbguid;
	}
	v[73] = SL("CafeV1");
	char *p = ob(o);
	p = csv_join(p, v, HP_NF);
	p = PL(p, "\r\n");
	oe(g, o, p, true, t);
}
