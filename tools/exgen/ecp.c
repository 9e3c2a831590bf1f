/*
 * exgen: the ECP Server log, one line per ECP request with its cmdlet.
 */
#include "exgen.h"

#include <stdio.h>

static Out *ecp_out(Gen *g, int64_t t)
{
	Out *o = &g->o_ecp;
	if (!o->f) {
		char d[16], path[200];
		fmt_compact(d, sizeof d, g->day, false);
		snprintf(path, sizeof path, XROOT "Logging/ECP/Server/ECPServer%s-1.LOG", d);
		out_open(g, o, path, K_ECP);
		xlog_header(g, o, t, "15.00.0000.000", "ECP Server Log", SL("TimeStamp,ServerName,EventId,EventData"));
	}
	return o;
}

/* One "S:KEY=value" item; wrapped in single quotes (inner ones doubled) when
 * the value holds characters that would confuse the ';'-separated list. */
static char *ecp_item(char *p, const char *key, Str val)
{
	bool wrap = false;
	for (size_t i = 0; i < val.n; i++) {
		char c = val.s[i];
		if (c == '\'' || c == ';' || c == ',' || c == '"' || c == '<' || c == '>' || c == ' ') {
			wrap = true;
			break;
		}
	}
	if (wrap)
		*p++ = '\'';
	p = PL(p, "S:");
	p = pz(p, key);
	*p++ = '=';
	if (!wrap)
		return ps(p, val);
	for (size_t i = 0; i < val.n; i++) {
		if (val.s[i] == '\'')
			*p++ = '\'';
		*p++ = val.s[i];
	}
	*p++ = '\'';
	return p;
}

void write_ecp(Gen *g, const Req *q)
{
	Out *o = ecp_out(g, q->t);
	char ed[4096], g1[40], g2[40], g3[40];
	uint64_t x = q->aux;
	*pguid(g1, x, q->rid_hi) = 0;
	*pguid(g2, q->rid_lo, x) = 0;
	*pguid(g3, q->rid_hi ^ x, q->rid_lo ^ x) = 0;
	char num[24];
	Str tm = {num, (size_t)(pu(num, q->tt > 3 ? q->tt - 2 : q->tt) - num)};
	char *e = ed;
	e = ecp_item(e, "TIME", tm);
	*e++ = ';';
	e = ecp_item(e, "SID", sz(g1));
	*e++ = ';';
	e = ecp_item(e, "CMD", q->ecp_cmd);
	*e++ = ';';
	e = ecp_item(e, "REQID", S0);
	*e++ = ';';
	e = ecp_item(e, "URL", q->ecp_url);
	*e++ = ';';
	e = ecp_item(e, "REFERRER", q->referer);
	*e++ = ';';
	e = ecp_item(e, "EX", S0);
	*e++ = ';';
	e = ecp_item(e, "ACTID", sz(g2));
	*e++ = ';';
	e = ecp_item(e, "RS", SL("0"));
	*e++ = ';';
	e = ecp_item(e, "BLD", sz(bld(g)->dotted));
	e = PL(e, ";S:TNAME=<null>;S:TID=;S:USID=");
	e = pz(e, g3);
	e = PL(e, ";S:EDOID=;S:ACID=");
	char *p = ob(o);
	p = p_iso(p, q->t);
	*p++ = ',';
	p = ps(p, g->h.s_name);
	p = PL(p, ",ECP.Request,");
	p = csv_field(p, (Str){ed, (size_t)(e - ed)});
	p = PL(p, "\r\n");
	oe(g, o, p, true, q->t);
}
