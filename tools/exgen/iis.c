/*
 * exgen: IIS W3C logs (W3SVC1 front end on 443, W3SVC2 back end on 444): the
 * header block, the daily file, one line per request, and the header blocks a
 * restart writes.
 */
#include "exgen.h"

#include <stdio.h>

static const char IIS_FIELDS_STD[] = "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port "
                                     "cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus "
                                     "sc-win32-status time-taken";
static const char IIS_FIELDS_EXT[] = "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port "
                                     "cs-username c-ip cs(User-Agent) cs(Referer) cs-host sc-status "
                                     "sc-substatus sc-win32-status sc-bytes cs-bytes time-taken";

/* The header block; fields: 0 standard, 1 extended #Fields. */
void iis_header(Gen *g, Out *o, int64_t t, int fields)
{
	out_hline(g, o, SL("#Software: Microsoft Internet Information Services 10.0"), t);
	out_hline(g, o, SL("#Version: 1.0"), t);
	char *p = ob(o);
	p = PL(p, "#Date: ");
	p = p_iisdt(p, t);
	p = PL(p, "\r\n");
	oe(g, o, p, false, t);
	if (fields)
		out_hline(g, o, SL(IIS_FIELDS_EXT), t);
	else
		out_hline(g, o, SL(IIS_FIELDS_STD), t);
}

/* The day's W3SVC1 or W3SVC2 log, opened with its header on first use. */
Out *iis_out(Gen *g, bool backend, int64_t t)
{
	Out *o = backend ? &g->o_iis2 : &g->o_iis1;
	if (!o->f) {
		char name[16], path[160];
		fmt_compact(name, sizeof name, g->day, true);
		snprintf(path, sizeof path, "C/inetpub/logs/LogFiles/W3SVC%d/u_ex%s.log", backend ? 2 : 1, name);
		out_open(g, o, path, backend ? K_IIS2 : K_IIS1);
		iis_header(g, o, t - t % 1000, backend ? 0 : g->iis1_fields);
	}
	return o;
}

/* One IIS W3C line (front end or back end, the 401 challenge or the final answer). */
void write_iis(Gen *g, const Req *q, bool be, bool chal)
{
	int64_t t = chal ? q->t_chal : q->t;
	Out *o = iis_out(g, be, t);
	int ext = be ? 0 : g->iis1_fields;
	char *p = ob(o);
	p = p_iisdt(p, t);
	*p++ = ' ';
	p = be ? ps(p, g->h.s_ip) : ps(p, q->sip);
	*p++ = ' ';
	p = pz(p, q->method);
	*p++ = ' ';
	p = ps(p, be && q->be_stem.n ? q->be_stem : q->stem);
	*p++ = ' ';
	if (q->proxied) {
		p = ps(p, q->query);
		p = PL(p, "&CorrelationID=<empty>;&cafeReqId=");
		/* the 401 challenge is its own request, with the id its HttpProxy line has */
		p = chal ? pguid(p, q->rid_lo, q->rid_hi) : pguid(p, q->rid_hi, q->rid_lo);
		*p++ = ';';
	} else if (q->query.n) {
		p = ps(p, q->query);
	} else {
		*p++ = '-';
	}
	*p++ = ' ';
	p = be ? PL(p, "444") : pu(p, (uint64_t)q->port);
	*p++ = ' ';
	Str user = chal ? S0 : (be ? q->be_user : q->iis_user);
	p = user.n ? ps(p, user) : PL(p, "-");
	*p++ = ' ';
	p = be ? ps(p, g->h.s_ip) : ps(p, q->cip);
	*p++ = ' ';
	p = ps(p, g->ua_iis[q->ua]);
	*p++ = ' ';
	p = q->referer.n && !be ? ps(p, q->referer) : PL(p, "-");
	*p++ = ' ';
	if (ext) {
		p = ps(p, q->host);
		*p++ = ' ';
	}
	if (chal) {
		p = PL(p, "401 1 2148074254");
	} else {
		p = pu(p, (uint64_t)q->status);
		*p++ = ' ';
		p = pu(p, (uint64_t)q->substatus);
		*p++ = ' ';
		p = pu(p, q->win32);
	}
	*p++ = ' ';
	if (ext) {
		p = pu(p, chal ? 341 + (q->aux & 63) : q->resp_bytes);
		*p++ = ' ';
		p = pu(p, q->req_bytes);
		*p++ = ' ';
	}
	p = pu(p, chal ? q->chal_tt : (be ? q->tt - q->tt / 8 : q->tt));
	p = PL(p, "\r\n");
	oe(g, o, p, true, t);
}

/* An IIS restart: a new header block in each open log; fields: W3SVC1's #Fields from now on. */
void restart_iis(Gen *g, int64_t t, int fields)
{
	if (!g->want_iis)
		return;
	g->iis1_fields = fields;
	if (g->o_iis1.f)
		iis_header(g, &g->o_iis1, t, fields);
	if (g->o_iis2.f)
		iis_header(g, &g->o_iis2, t, 0);
}
