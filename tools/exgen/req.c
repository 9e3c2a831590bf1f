/*
 * exgen: a request.  req_init gives every field of a Req its default;
 * emit_req writes a finished request to every log that records it (IIS front
 * and back end, HttpProxy, ECP), in the order it happens.
 */
#include "exgen.h"

/* A request completed at t with every field at its default; its ids come from r. */
void req_init(const Gen *g, Req *q, Rng *r, int64_t t)
{
	q->t = t;
	q->t_chal = t;
	q->method = "GET";
	q->stem = SL("/");
	q->query = q->iis_user = q->referer = q->be_user = q->be_stem = S0;
	q->cip = g->h.s_ip;
	q->sip = g->h.s_ip;
	q->host = g->h.s_pub;
	q->ua = UA_NONE;
	q->proto = P_OWA;
	q->port = 443;
	q->proxied = q->backend = q->chal = q->ecp = q->local = false;
	q->status = 200;
	q->substatus = 0;
	q->win32 = 0;
	q->tt = 15;
	q->chal_tt = 0;
	q->req_bytes = 400;
	q->resp_bytes = 1200;
	q->rid_hi = rnext(r);
	q->rid_lo = rnext(r);
	q->aux = rnext(r);
	q->hp_user = q->authtype = q->anchor = q->rhint = q->action = q->errcode = q->generr = q->creqid = S0;
	q->rtype = SL("IntraForest");
	q->target = g->h.s_fqdn;
	q->cookie_srv = S0;
	q->dbguid = S0;
	q->isauth = false;
	q->be_status = 0;
	q->ecp_cmd = q->ecp_url = S0;
}

/* Write a request to every log that records it, in the order it happens. */
void emit_req(Gen *g, Req *q)
{
	if (q->chal) {
		q->t_chal = q->t - q->tt - 1 - (int64_t)(q->aux % 7);
		if (q->t_chal < g->last_t)
			q->t_chal = g->last_t;
		if (q->t_chal > q->t)
			q->t_chal = q->t;
		q->chal_tt = (uint32_t)(q->aux >> 60);
	}
	if (g->want_iis) {
		if (q->chal)
			write_iis(g, q, false, true);
		write_iis(g, q, false, false);
		if (q->backend && q->proxied)
			write_iis(g, q, true, false);
	}
	if (g->want_hp && q->proxied) {
		if (q->chal)
			write_hp(g, q, true);
		write_hp(g, q, false);
	}
	if (g->want_misc && q->ecp)
		write_ecp(g, q);
	if (g->want_rpsh && q->proxied && q->backend && q->proto == P_PS)
		write_rpsh(g, q, q->be_user, g->ua_hp[q->ua]);
	g->last_t = q->t;
}
