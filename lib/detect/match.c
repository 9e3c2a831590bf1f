/*
 * Evaluating compiled Sigma rules on records: the condition tree over the identifiers,
 * each a map of field tests or a keyword search over the raw record text, each test its
 * matchers over one field value. Fields were resolved when the rule was compiled
 * (model/fields.h): a name to look up case-insensitively in the record's columns and
 * derived fields, with the column position cached per thread and schema; the composed
 * `cs-uri-query` of webserver rules (stem, plus '?' and the query when there is one,
 * built once per record); a value URL-decoded (%XX and '+') only when a rule asks for
 * it; any of a Windows event's unnamed Data values. A W3C "-" is null.
 */
#include "common/decode.h"
#include "common/ip.h"
#include "detect/match.h"

#include <stdlib.h>
#include <strings.h>

static unsigned char fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

static bool eq_at(const unsigned char *v, const unsigned char *lit, size_t n, bool cased)
{
	if (cased)
		return memcmp(v, lit, n) == 0;
	for (size_t i = 0; i < n; i++)
		if (fold(v[i]) != lit[i])
			return false;
	return true;
}

static bool contains(const unsigned char *v, size_t vn, const unsigned char *lit, size_t ln, bool cased)
{
	if (ln > vn)
		return false;
	if (ln == 0)
		return true;
	for (size_t i = 0; i + ln <= vn; i++) {
		/* first byte filter, both cases */
		if (v[i] != lit[0] && fold(v[i]) != lit[0])
			continue;
		if (eq_at(v + i, lit, ln, cased))
			return true;
	}
	return false;
}

/* Wildcard match with backtracking on the last '*' (linear in practice). */
static bool glob_generic(const struct xh_matcher *m, const unsigned char *v, size_t vn)
{
	size_t pi = 0, vi = 0, star = SIZE_MAX, mark = 0;

	while (vi < vn) {
		if (pi < m->n && m->mask[pi] == 1) {
			star = pi++;
			mark = vi;
		} else if (pi < m->n && (m->mask[pi] == 2 ||
		                         (m->cased ? v[vi] == m->pat[pi] : fold(v[vi]) == m->pat[pi]))) {
			pi++;
			vi++;
		} else if (star != SIZE_MAX) {
			pi = star + 1;
			vi = ++mark;
		} else {
			return false;
		}
	}
	while (pi < m->n && m->mask[pi] == 1)
		pi++;
	return pi == m->n;
}

static bool glob(const struct xh_matcher *m, const unsigned char *v, size_t vn)
{
	switch (m->shape) {
	case XH_G_ANY: return true;
	case XH_G_EXACT: return vn == m->litn && eq_at(v, m->lit, vn, m->cased);
	case XH_G_PREFIX: return vn >= m->litn && eq_at(v, m->lit, m->litn, m->cased);
	case XH_G_SUFFIX: return vn >= m->litn && eq_at(v + vn - m->litn, m->lit, m->litn, m->cased);
	case XH_G_CONTAINS: return contains(v, vn, m->lit, m->litn, m->cased);
	default: return glob_generic(m, v, vn);
	}
}

static bool in_net(const struct xh_matcher *m, struct xh_sv v)
{
	unsigned char ip[16];
	bool v6;
	unsigned full, rest;

	if (!v.p || !xh_ip_parse(v.p, v.n, ip, &v6) || v6 != m->v6)
		return false;
	full = m->prefix / 8;
	rest = m->prefix % 8;
	if (memcmp(ip, m->net, full) != 0)
		return false;
	if (rest) {
		unsigned char mask = (unsigned char)(0xFF << (8 - rest));
		return (ip[full] & mask) == (m->net[full] & mask);
	}
	return true;
}

/* ---- field access ---------------------------------------------------------------------- */

struct ctx {
	const struct xh_rule *r;
	const struct xh_record *rec;
	struct xh_eval_scratch *s;
	bool uri_done, uri_ok;   /* the composed cs-uri-query, built once per record */
	struct xh_sv uri;
};

xh_status xh_eval_scratch_init(struct xh_eval_scratch *s)
{
	xh_buf_init(&s->uri, (size_t)XH_MAX_LINE * 2 + 2);
	xh_buf_init(&s->dec, (size_t)XH_MAX_LINE * 2 + 2);
	xh_buf_init(&s->quoted, XH_MAX_FINDING_FIELDS * ((size_t)XH_MAX_LINE * 2 + 2));
	s->md = pcre2_match_data_create(1, NULL);
	s->cc = xh_calloc(XH_COLCACHE, sizeof *s->cc);
	return s->md && s->cc ? XH_OK : XH_ENOMEM;
}

void xh_eval_scratch_free(struct xh_eval_scratch *s)
{
	xh_buf_free(&s->uri);
	xh_buf_free(&s->dec);
	xh_buf_free(&s->quoted);
	if (s->md)
		pcre2_match_data_free(s->md);
	s->md = NULL;
	xh_free(s->cc);
	s->cc = NULL;
}

/* xh_record_get with the column position cached per (name, schema). */
static bool record_get(struct xh_eval_scratch *s, const struct xh_record *r, const char *name, struct xh_sv *out)
{
	struct xh_colcache *e;
	size_t n;

	if (!r->schema || !s->cc)
		return xh_record_get(r, name, out);
	e = &s->cc[(((uintptr_t)name >> 3) ^ (uintptr_t)(r->schema->id * 0x9E3779B97F4A7C15ull)) & (XH_COLCACHE - 1)];
	if (e->name != name || e->schema != r->schema->id) {
		e->name = name;
		e->schema = r->schema->id;
		e->col = -1;
		for (size_t i = 0; i < r->schema->n; i++)
			if (strcasecmp(r->schema->names[i], name) == 0) {
				e->col = (int)i;
				break;
			}
	}
	if (e->col >= 0 && (size_t)e->col < r->nfields) {
		*out = r->fields[e->col];
		return true;
	}
	out->p = NULL;
	out->n = 0;
	if (e->col >= 0)
		return false; /* a short record: the column is missing */
	n = strlen(name);
	for (size_t i = 0; i < r->nx; i++)
		if (r->xnames[i].n == n && strncasecmp(r->xnames[i].p, name, n) == 0) {
			*out = r->xvalues[i];
			return true;
		}
	return false;
}

/* A field's value URL-decoded into b (the evaluation's scratch), from empty. */
static bool url_decode(struct xh_buf *b, struct xh_sv v)
{
	b->len = 0;
	return xh_pct_decode(b, v.p, v.n, true);
}

/* The request as sent: stem, '?' and the query (built once per record). */
static bool get_uri(struct ctx *c, struct xh_sv *out)
{
	if (!c->uri_done) {
		struct xh_sv stem, query;
		bool hs = record_get(c->s, c->rec, "cs-uri-stem", &stem);
		bool hq = record_get(c->s, c->rec, "cs-uri-query", &query);
		c->uri_done = true;
		c->uri_ok = hs || hq;
		if (stem.p && !query.p) {
			c->uri = stem;
		} else if (!stem.p && query.p) {
			c->uri = query;
		} else if (stem.p && query.p) {
			struct xh_buf *b = &c->s->uri;
			b->len = 0;
			if (xh_buf_add(b, stem.p, stem.n) || xh_buf_addc(b, '?') || xh_buf_add(b, query.p, query.n))
				c->uri_ok = false;
			else
				c->uri = xh_sv_make(b->p, b->len);
		} else {
			c->uri = xh_sv_make(NULL, 0);
		}
	}
	*out = c->uri;
	return c->uri_ok;
}

/* A field as resolved at compile time (xh_field_resolve). */
static bool get_ref(struct ctx *c, const struct xh_fref *f, struct xh_sv *out)
{
	struct xh_sv v;
	bool present = f->uri ? get_uri(c, &v) : record_get(c->s, c->rec, f->look, &v);

	if (!present || !f->decoded || !v.p) {
		*out = v;
		return present;
	}
	if (!url_decode(&c->s->dec, v))
		*out = v;
	else
		*out = xh_sv_make(c->s->dec.p ? c->s->dec.p : "", c->s->dec.len);
	return true;
}

static bool match_value(struct ctx *c, const struct xh_matcher *m, struct xh_sv v, bool present)
{
	switch (m->kind) {
	case XH_M_NULL: return !present || !v.p || (v.n == 0 && c->rec->source->format == XH_FMT_EVTX);
	case XH_M_EXISTS: return present == m->want;
	case XH_M_GLOB: return v.p && glob(m, (const unsigned char *)v.p, v.n);
	case XH_M_CIDR: return in_net(m, v);
	case XH_M_NUM: {
		char tmp[XH_MAX_NUMBER_TEXT], *end;
		double d;
		if (!v.p || v.n == 0 || v.n >= sizeof tmp)
			return false;
		memcpy(tmp, v.p, v.n);
		tmp[v.n] = '\0';
		d = strtod(tmp, &end);
		if (*end)
			return false;
		return m->op == XH_GT ? d > m->num : m->op == XH_GTE ? d >= m->num : m->op == XH_LT ? d < m->num : d <= m->num;
	}
	case XH_M_FIELDREF: {
		struct xh_sv o;
		return v.p && get_ref(c, &m->target, &o) && o.p && o.n == v.n && memcmp(o.p, v.p, v.n) == 0;
	}
	case XH_M_RE:
		if (!v.p || !c->s->md)
			return false;
		return pcre2_match(m->re, (PCRE2_SPTR)v.p, v.n, 0, 0, c->s->md, NULL) >= 0;
	}
	return false;
}

static bool eval_values(struct ctx *c, const struct xh_ftest *t, struct xh_sv v, bool present)
{
	for (size_t i = 0; i < t->nm; i++) {
		bool ok = match_value(c, &t->m[i], v, present);
		if (t->all && !ok)
			return false;
		if (!t->all && ok)
			return true;
	}
	return t->all && t->nm > 0;
}

/* Unnamed <Data> elements of a Windows event are all named Data: the test holds when it
 * holds for any of them, as in Hayabusa. */
static bool eval_multi(struct ctx *c, const struct xh_ftest *t)
{
	const struct xh_record *r = c->rec;
	size_t n = strlen(t->ref.look);
	bool seen = false;

	for (size_t i = 0; i < r->nx; i++)
		if (r->xnames[i].n == n && strncasecmp(r->xnames[i].p, t->ref.look, n) == 0) {
			seen = true;
			if (eval_values(c, t, r->xvalues[i], true))
				return true;
		}
	return !seen && eval_values(c, t, xh_sv_make(NULL, 0), false);
}

static bool eval_test(struct ctx *c, const struct xh_ftest *t)
{
	struct xh_sv v = {NULL, 0};
	bool present;

	if (t->field && t->ref.any && c->rec->source->format == XH_FMT_EVTX)
		return eval_multi(c, t);
	if (t->field)
		present = get_ref(c, &t->ref, &v);
	else {
		v = c->rec->raw; /* keywords: the whole record text */
		present = true;
	}
	return eval_values(c, t, v, present);
}

static bool eval_ident(struct ctx *c, const struct xh_ident *id)
{
	if (id->keywords)
		return eval_test(c, &id->kw);
	for (size_t m = 0; m < id->nmaps; m++) {
		bool all = true;
		for (size_t t = 0; all && t < id->maps[m].n; t++)
			all = eval_test(c, &id->maps[m].t[t]);
		if (all)
			return true;
	}
	return false;
}

static bool eval_cond(struct ctx *c, const struct xh_cnode *n)
{
	size_t hits = 0;

	switch (n->op) {
	case XH_C_ID: return eval_ident(c, &c->r->ids[n->ids[0]]);
	case XH_C_AND: return eval_cond(c, n->a) && eval_cond(c, n->b);
	case XH_C_OR: return eval_cond(c, n->a) || eval_cond(c, n->b);
	case XH_C_NOT: return !eval_cond(c, n->a);
	case XH_C_ANY_OF:
		for (size_t i = 0; i < n->nids; i++)
			if (eval_ident(c, &c->r->ids[n->ids[i]]))
				return true;
		return false;
	case XH_C_ALL_OF:
		for (size_t i = 0; i < n->nids; i++)
			if (!eval_ident(c, &c->r->ids[n->ids[i]]))
				return false;
		return true;
	case XH_C_N_OF:
		for (size_t i = 0; i < n->nids && hits < n->count; i++)
			hits += eval_ident(c, &c->r->ids[n->ids[i]]);
		return hits >= n->count;
	}
	return false;
}

bool xh_rule_eval(const struct xh_rule *r, const struct xh_record *rec, struct xh_eval_scratch *s)
{
	struct ctx c = {r, rec, s, false, false, {NULL, 0}};
	return eval_cond(&c, r->cond);
}

bool xh_rule_field(const struct xh_fref *f, const struct xh_record *rec, struct xh_eval_scratch *s,
                   struct xh_sv *out)
{
	struct ctx c = {NULL, rec, s, false, false, {NULL, 0}};
	return get_ref(&c, f, out);
}
