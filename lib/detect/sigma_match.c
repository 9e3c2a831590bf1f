/*
 * Evaluating compiled Sigma rules on records, and the scan hook that turns a match into
 * a finding. Field names resolve case-insensitively against the record's columns and
 * derived fields; for webserver rules the Sigma names map to IIS W3C columns
 * (shared/reference/sigma.md section 4.4), and `cs-uri-query` is the request as sent:
 * stem, plus '?' and the query when there is one, because most rules put paths there.
 * A W3C "-" is null. Keywords search the raw record text. Any field name with the suffix
 * ".decoded" gives that field URL-decoded (%XX and '+'), computed only when a rule asks.
 * The hook asks the prefilter (prefilter.c) which rules can match before evaluating any.
 */
#include "common/decode.h"
#include "common/ip.h"
#include "model/finding.h"
#include "detect/prefilter.h"
#include "detect/sigma.h"

#include <stdio.h>
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
	s->md = pcre2_match_data_create(1, NULL);
	s->cc = xh_calloc(XH_COLCACHE, sizeof *s->cc);
	return s->md && s->cc ? XH_OK : XH_ENOMEM;
}

void xh_eval_scratch_free(struct xh_eval_scratch *s)
{
	xh_buf_free(&s->uri);
	xh_buf_free(&s->dec);
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

/* Sigma webserver names -> IIS W3C columns (sigma.md 4.4). */
static const char *w3c_name(const char *f)
{
	static const struct {
		const char *sigma, *w3c;
	} map[] = {
		{"cs-user-agent", "cs(User-Agent)"}, {"c-useragent", "cs(User-Agent)"},
		{"cs-referer", "cs(Referer)"},       {"cs-referrer", "cs(Referer)"},
		{"cs-cookie", "cs(Cookie)"},         {"c-win32-status", "sc-win32-status"},
		{"c-uri-stem", "cs-uri-stem"},       {"src_ip", "c-ip"},
		{"dst_ip", "s-ip"},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcasecmp(f, map[i].sigma) == 0)
			return map[i].w3c;
	return f;
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

void xh_field_resolve(const char *name, bool webserver, struct xh_fref *out)
{
	size_t n = strlen(name);

	memset(out, 0, sizeof *out);
	out->look = name;
	if (n > 8 && strcasecmp(name + n - 8, ".decoded") == 0) {
		out->decoded = true;
		n -= 8;
	}
	if (webserver) {
		char base[128];
		snprintf(base, sizeof base, "%.*s", (int)n, name);
		if (strcasecmp(base, "cs-uri-query") == 0 || strcasecmp(base, "c-uri") == 0 || strcasecmp(base, "cs-uri") == 0) {
			out->uri = true;
			return;
		}
		if (w3c_name(base) != base) {
			out->look = w3c_name(base);
			return;
		}
	}
	if (out->decoded)
		out->own = xh_strndup(name, n);
	if (out->own)
		out->look = out->own;
}

/* By name, for fieldref and the fields shown in a finding (not the hot path). */
static bool get_field(struct ctx *c, const char *f, struct xh_sv *out)
{
	struct xh_fref r;
	bool ok;

	xh_field_resolve(f, c->r->webserver, &r);
	if (c->r->win && !r.own)
		r.look = xh_winsel_rename(c->r->win, r.look);
	if (r.own || (!r.uri && r.look == f)) {
		/* names not owned by the rule: no cache (the cache keys on addresses) */
		ok = r.uri ? get_uri(c, out) : xh_record_get(c->rec, r.look, out);
		if (ok && r.decoded && out->p && url_decode(&c->s->dec, *out))
			*out = xh_sv_make(c->s->dec.p ? c->s->dec.p : "", c->s->dec.len);
	} else {
		ok = get_ref(c, &r, out);
	}
	xh_free(r.own);
	return ok;
}

static bool match_value(struct ctx *c, const struct xh_matcher *m, struct xh_sv v, bool present)
{
	switch (m->kind) {
	case XH_M_NULL: return !present || !v.p || (v.n == 0 && c->rec->source->format == XH_FMT_EVTX);
	case XH_M_EXISTS: return present == m->want;
	case XH_M_GLOB: return v.p && glob(m, (const unsigned char *)v.p, v.n);
	case XH_M_CIDR: return in_net(m, v);
	case XH_M_NUM: {
		char tmp[64], *end;
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
		return v.p && get_field(c, m->ref, &o) && o.p && o.n == v.n && memcmp(o.p, v.p, v.n) == 0;
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

/* ---- the scan hook ---------------------------------------------------------------------- */

struct worker_state {
	struct xh_eval_scratch es;
	struct xh_pf_scratch *pfs;  /* NULL when the rules were not prepared */
};

void *xh_rules_worker_new(void *ud)
{
	struct xh_rules *rs = ud;
	struct worker_state *w = xh_calloc(1, sizeof *w);

	if (!w)
		return NULL;
	if (xh_eval_scratch_init(&w->es) ||
	    (xh_rules_prefilter_on(rs) &&
	     (xh_rules_prepare(rs, NULL) || !(w->pfs = xh_pf_scratch_new(xh_rules_prefilter(rs)))))) {
		xh_rules_worker_free(rs, w);
		return NULL;
	}
	return w;
}

void xh_rules_worker_free(void *ud, void *state)
{
	struct worker_state *w = state;

	(void)ud;
	if (!w)
		return;
	xh_eval_scratch_free(&w->es);
	xh_pf_scratch_free(w->pfs);
	xh_free(w);
}

static xh_status emit_match(const struct xh_rule *r, const struct xh_record *rec, struct xh_eval_scratch *es,
                            struct xh_emit *emit)
{
	struct xh_finding f;
	struct xh_kv kv[XH_MAX_FINDING_FIELDS];
	size_t nk = 0;
	char host[256], client[64];

	for (size_t k = 0; k < r->nfields && nk < XH_MAX_FINDING_FIELDS; k++) {
		struct ctx c = {r, rec, es, false, false, {NULL, 0}};
		struct xh_sv v;
		if (get_field(&c, r->fields[k], &v)) {
			kv[nk].name = r->fields[k];
			kv[nk].value = v;
			nk++;
		}
	}
	memset(&f, 0, sizeof f);
	f.rule_id = r->id ? r->id : r->title;
	f.rule_name = r->name;
	f.title = r->title ? r->title : "(untitled rule)";
	f.level = f.rule_level = r->level;
	f.tags = (const char *const *)r->tags;
	f.ntags = r->ntags;
	f.references = (const char *const *)r->refs;
	f.nreferences = r->nrefs;
	f.time_ms = f.last_ms = rec->time_ms;
	f.count = 1;
	f.source = rec->source->name;
	f.path = rec->path;
	f.origin = rec->origin;
	f.line = rec->line;
	f.offset = rec->offset;
	f.fields = kv;
	f.nfields = nk;
	f.excerpt = rec->raw;
	xh_finding_context(&f, rec, host, sizeof host, client, sizeof client);
	return xh_emit_finding(emit, &f);
}

xh_status xh_rules_hook(void *ud, const struct xh_record *rec, struct xh_emit *emit)
{
	const struct xh_rules *rs = ud;
	struct worker_state *w = xh_emit_hook_state(emit), tmp;
	unsigned bit = xh_source_bit(rec->source);
	const size_t *cand = NULL;
	size_t ncand;
	xh_status st = XH_OK;

	if (!w) {
		/* no per-worker state: evaluate every rule with scratch made for this record */
		memset(&tmp, 0, sizeof tmp);
		if (xh_eval_scratch_init(&tmp.es)) {
			xh_eval_scratch_free(&tmp.es);
			return XH_ENOMEM;
		}
		w = &tmp;
	}
	if (w->pfs)
		ncand = xh_prefilter_run(xh_rules_prefilter(rs), w->pfs, rec->raw.p, rec->raw.n, &cand);
	else
		ncand = xh_rules_count(rs);
	for (size_t i = 0; i < ncand && !st; i++) {
		const struct xh_rule *r = xh_rules_at(rs, cand ? cand[i] : i);
		if ((r->sources & bit) && (!r->win || xh_winsel_match(r->win, rec)) && xh_rule_eval(r, rec, &w->es))
			st = emit_match(r, rec, &w->es, emit);
	}
	if (w == &tmp)
		xh_eval_scratch_free(&tmp.es);
	return st;
}
