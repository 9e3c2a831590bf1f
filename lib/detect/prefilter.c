/*
 * The rule prefilter: one Vectorscan (Hyperscan) literal database over every rule, run
 * once per record on its raw text, says which rules can possibly match it. A rule such as
 *
 *   selection:  { cs-method: POST, cs-uri-query|contains: ['/ecp/y.js', '/ecp/main.css'] }
 *
 * needs '/ecp/y.js' or '/ecp/main.css' somewhere in the line (the longer literals of an
 * AND win over 'POST'), so a record holding neither is rejected without evaluating the
 * rule. Rules from which no such set can be derived (a bare regex, `not`, null, cidr,
 * numbers, decoded fields) are evaluated on every record of their logsource.
 *
 * Literals are matched caseless against the raw record. A field value is a substring of
 * the raw text except where the reader undid quoting (`""` in CSV, `''` in ECP data) or
 * composed a value (cs-uri-query = stem '?' query), so literals are cut at `?` (and, but
 * for W3C records, at `"` and `'`) and only the longest piece is kept: a piece of a
 * required literal is required too.
 */
#include "detect/prefilter.h"

#include <hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

struct lit {
	const unsigned char *p;
	size_t n;
};

/* A set of literals one of which must occur when a node is true; known = false: none. */
struct lset {
	struct lit *v;
	size_t n, cap;
	bool known;
};

static void lset_free(struct lset *s)
{
	xh_free(s->v);
	memset(s, 0, sizeof *s);
}

static bool lset_add(struct lset *s, struct lit l)
{
	if (s->n == XH_MAX_PF_LITS_PER_RULE) {
		/* too many alternatives to be worth it: evaluate the rule always */
		s->known = false;
		return true;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 4;
		struct lit *nv = xh_realloc(s->v, cap * sizeof *nv);
		if (!nv)
			return false;
		s->v = nv;
		s->cap = cap;
	}
	s->v[s->n++] = l;
	return true;
}

/* How selective a literal is likely to be: its length, except that status codes and
 * method names (in nearly every web log line) count as 1. */
static size_t weight(struct lit l)
{
	static const char *const common[] = {"get", "post", "head", "http", NULL};
	bool digits = true;

	for (size_t i = 0; i < l.n; i++)
		digits = digits && l.p[i] >= '0' && l.p[i] <= '9';
	if (digits && l.n <= 4)
		return 1;
	for (size_t i = 0; common[i]; i++)
		if (l.n == strlen(common[i]) && strncasecmp((const char *)l.p, common[i], l.n) == 0)
			return 1;
	return l.n;
}

static size_t min_len(const struct lset *s)
{
	size_t m = SIZE_MAX;
	for (size_t i = 0; i < s->n; i++)
		if (weight(s->v[i]) < m)
			m = weight(s->v[i]);
	return s->n ? m : 0;
}

/* Keeps the more selective of *a and *b in *a (longer shortest literal, then fewer). */
static void lset_best(struct lset *a, struct lset *b)
{
	bool take;

	if (!b->known)
		take = false;
	else if (!a->known)
		take = true;
	else if (min_len(b) != min_len(a))
		take = min_len(b) > min_len(a);
	else
		take = b->n < a->n;
	if (take) {
		struct lset t = *a;
		*a = *b;
		*b = t;
	}
	lset_free(b);
}

/* *a becomes a OR b. */
static bool lset_union(struct lset *a, struct lset *b)
{
	bool ok = true;

	if (!a->known || !b->known) {
		lset_free(a);
		lset_free(b);
		return true; /* known stays false */
	}
	for (size_t i = 0; ok && a->known && i < b->n; i++)
		ok = lset_add(a, b->v[i]);
	if (!a->known)
		lset_free(a);
	lset_free(b);
	return ok;
}

/* Characters a reader may have unquoted (CSV "", ECP '') or composed (the '?' of the
 * webserver cs-uri-query): a field value and the raw text differ there. W3C fields are
 * the raw text as is, so webserver rules cut only at '?'. */
static bool cut_char(unsigned char c, bool webserver)
{
	return c == '?' || (!webserver && (c == '"' || c == '\''));
}

/* The longest literal piece of a glob, or n = 0. */
static struct lit glob_lit(const struct xh_matcher *m, bool webserver)
{
	struct lit best = {NULL, 0};
	size_t i = 0;

	while (i < m->n) {
		size_t j = i;
		while (j < m->n && m->mask[j] == 0 && !cut_char(m->pat[j], webserver))
			j++;
		if (j - i > best.n) {
			best.p = m->pat + i;
			best.n = j - i;
		}
		i = j + 1;
	}
	return best;
}

static bool test_lits(const struct xh_ftest *t, bool ws, struct lset *out)
{
	memset(out, 0, sizeof *out);
	if (t->ref.decoded || t->nm == 0)
		return true;
	if (t->all) {
		/* every value must occur: the longest one will do */
		struct lit best = {NULL, 0};
		for (size_t i = 0; i < t->nm; i++) {
			struct lit l = t->m[i].kind == XH_M_GLOB ? glob_lit(&t->m[i], ws) : (struct lit){NULL, 0};
			if (l.n > best.n)
				best = l;
		}
		out->known = best.n > 0;
		return !out->known || lset_add(out, best);
	}
	out->known = true;
	for (size_t i = 0; out->known && i < t->nm; i++) {
		struct lit l = t->m[i].kind == XH_M_GLOB ? glob_lit(&t->m[i], ws) : (struct lit){NULL, 0};
		if (l.n == 0) {
			lset_free(out);
			return true;
		}
		if (!lset_add(out, l))
			return false;
	}
	if (!out->known)
		lset_free(out);
	return true;
}

static bool ident_lits(const struct xh_ident *id, bool ws, struct lset *out)
{
	memset(out, 0, sizeof *out);
	if (id->keywords)
		return test_lits(&id->kw, ws, out);
	out->known = true;
	for (size_t m = 0; m < id->nmaps; m++) {
		struct lset map = {NULL, 0, 0, false};
		for (size_t t = 0; t < id->maps[m].n; t++) {
			struct lset one;
			if (!test_lits(&id->maps[m].t[t], ws, &one)) {
				lset_free(&map);
				return false;
			}
			lset_best(&map, &one);
		}
		if (!lset_union(out, &map))
			return false;
	}
	if (id->nmaps == 0)
		lset_free(out); /* an empty selection matches anything */
	return true;
}

static bool cond_lits(const struct xh_rule *r, const struct xh_cnode *c, struct lset *out)
{
	struct lset a, b;

	memset(out, 0, sizeof *out);
	switch (c->op) {
	case XH_C_ID:
		return ident_lits(&r->ids[c->ids[0]], r->webserver, out);
	case XH_C_AND:
	case XH_C_OR:
		if (!cond_lits(r, c->a, &a))
			return false;
		if (!cond_lits(r, c->b, &b)) {
			lset_free(&a);
			return false;
		}
		if (c->op == XH_C_AND) {
			lset_best(&a, &b);
			*out = a;
			return true;
		}
		*out = a;
		return lset_union(out, &b);
	case XH_C_NOT:
		return true;
	case XH_C_ALL_OF:
	case XH_C_ANY_OF:
	case XH_C_N_OF:
		if (c->nids == 0 || (c->op == XH_C_N_OF && c->count == 0))
			return true;
		for (size_t i = 0; i < c->nids; i++) {
			if (!ident_lits(&r->ids[c->ids[i]], r->webserver, &b)) {
				lset_free(out);
				return false;
			}
			if (i == 0) {
				*out = b;
			} else if (c->op == XH_C_ALL_OF) {
				lset_best(out, &b);
			} else if (!lset_union(out, &b)) {
				return false;
			}
		}
		return true;
	}
	return true;
}

/* ---- the database ---------------------------------------------------------------------- */

struct xh_prefilter {
	hs_database_t *db;
	size_t nrules;
	size_t *lit_start;      /* literal id -> rules lit_rules[lit_start[id] .. lit_start[id+1]) */
	size_t *lit_rules;
	size_t *always;         /* rules evaluated on every record */
	size_t nalways;
	size_t nfiltered;
	unsigned char *filtered; /* per rule: 1 when it has a literal set */
	unsigned char **lit;     /* the distinct literals (lower case), for listings */
	size_t *litn, nlit;
};

size_t xh_prefilter_literal(const struct xh_prefilter *pf, size_t i, const unsigned char **p)
{
	if (!pf || i >= pf->nlit)
		return 0;
	*p = pf->lit[i];
	return pf->litn[i];
}

bool xh_prefilter_has(const struct xh_prefilter *pf, size_t i)
{
	return pf && i < pf->nrules && pf->filtered[i];
}

struct pf_entry {
	unsigned char *low;     /* lower-cased literal */
	size_t n;
	size_t rule;
};

static int cmp_entry(const void *x, const void *y)
{
	const struct pf_entry *a = x, *b = y;
	size_t n = a->n < b->n ? a->n : b->n;
	int c = memcmp(a->low, b->low, n);
	if (c)
		return c;
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	return a->rule < b->rule ? -1 : a->rule > b->rule;
}

void xh_prefilter_free(struct xh_prefilter *pf)
{
	if (!pf)
		return;
	if (pf->db)
		hs_free_database(pf->db);
	xh_free(pf->lit_start);
	xh_free(pf->lit_rules);
	xh_free(pf->always);
	xh_free(pf->filtered);
	for (size_t i = 0; i < pf->nlit; i++)
		xh_free(pf->lit[i]);
	xh_free(pf->lit);
	xh_free(pf->litn);
	xh_free(pf);
}

xh_status xh_prefilter_build(const struct xh_rule *const *rules, size_t n, struct xh_prefilter **out,
                             char *why, size_t whycap)
{
	struct xh_prefilter *pf = xh_calloc(1, sizeof *pf);
	struct pf_entry *ent = NULL;
	size_t nent = 0, capent = 0, nlit = 0;
	const char **exprs = NULL;
	size_t *lens = NULL;
	unsigned *ids = NULL, *flags = NULL;
	xh_status st = XH_ENOMEM;

	*out = NULL;
	if (why && whycap)
		why[0] = '\0';
	if (!pf)
		return XH_ENOMEM;
	pf->nrules = n;
	pf->always = xh_calloc(n ? n : 1, sizeof *pf->always);
	pf->filtered = xh_calloc(n ? n : 1, 1);
	if (!pf->always || !pf->filtered)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct lset s;
		if (!cond_lits(rules[i], rules[i]->cond, &s))
			goto out;
		if (!s.known) {
			pf->always[pf->nalways++] = i;
			lset_free(&s);
			continue;
		}
		pf->nfiltered++;
		pf->filtered[i] = 1;
		for (size_t k = 0; k < s.n; k++) {
			if (nent == capent) {
				size_t cap = capent ? capent * 2 : 256;
				struct pf_entry *ne = xh_realloc(ent, cap * sizeof *ne);
				if (!ne) {
					lset_free(&s);
					goto out;
				}
				ent = ne;
				capent = cap;
			}
			ent[nent].low = xh_malloc(s.v[k].n);
			if (!ent[nent].low) {
				lset_free(&s);
				goto out;
			}
			for (size_t j = 0; j < s.v[k].n; j++) {
				unsigned char c = s.v[k].p[j];
				ent[nent].low[j] = c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
			}
			ent[nent].n = s.v[k].n;
			ent[nent].rule = i;
			nent++;
		}
		lset_free(&s);
	}
	pf->lit_rules = xh_malloc((nent ? nent : 1) * sizeof *pf->lit_rules);
	pf->lit_start = xh_malloc((nent + 1) * sizeof *pf->lit_start);
	exprs = xh_malloc((nent ? nent : 1) * sizeof *exprs);
	lens = xh_malloc((nent ? nent : 1) * sizeof *lens);
	ids = xh_malloc((nent ? nent : 1) * sizeof *ids);
	flags = xh_malloc((nent ? nent : 1) * sizeof *flags);
	pf->lit = xh_calloc(nent ? nent : 1, sizeof *pf->lit);
	pf->litn = xh_calloc(nent ? nent : 1, sizeof *pf->litn);
	if (!pf->lit_rules || !pf->lit_start || !exprs || !lens || !ids || !flags || !pf->lit || !pf->litn)
		goto out;
	if (nent)
		qsort(ent, nent, sizeof *ent, cmp_entry);
	/* distinct literals get one id each; the rules needing them are listed per id */
	for (size_t i = 0, nr = 0; i < nent; i++) {
		bool same = i > 0 && ent[i].n == ent[i - 1].n && memcmp(ent[i].low, ent[i - 1].low, ent[i].n) == 0;
		if (!same) {
			pf->lit_start[nlit] = nr;
			exprs[nlit] = (const char *)ent[i].low;
			lens[nlit] = ent[i].n;
			ids[nlit] = (unsigned)nlit;
			flags[nlit] = HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH;
			/* a copy stays with the prefilter, for listings */
			pf->lit[nlit] = xh_malloc(ent[i].n);
			if (!pf->lit[nlit])
				goto out;
			memcpy(pf->lit[nlit], ent[i].low, ent[i].n);
			pf->litn[nlit] = ent[i].n;
			pf->nlit = nlit + 1;
			nlit++;
		}
		if (!same || ent[i].rule != ent[i - 1].rule)
			pf->lit_rules[nr++] = ent[i].rule;
		pf->lit_start[nlit] = nr;
	}
	if (nlit) {
		hs_compile_error_t *ce = NULL;
		if (hs_compile_lit_multi(exprs, flags, ids, lens, (unsigned)nlit, HS_MODE_BLOCK, NULL, &pf->db, &ce) !=
		    HS_SUCCESS) {
			if (why && whycap)
				snprintf(why, whycap, "vectorscan: %s", ce && ce->message ? ce->message : "compile failed");
			hs_free_compile_error(ce);
			st = XH_ESYSTEM;
			goto out;
		}
	}
	*out = pf;
	pf = NULL;
	st = XH_OK;
out:
	for (size_t i = 0; i < nent; i++)
		xh_free(ent[i].low);
	xh_free(ent);
	xh_free(exprs);
	xh_free(lens);
	xh_free(ids);
	xh_free(flags);
	xh_prefilter_free(pf);
	return st;
}

void xh_prefilter_counts(const struct xh_prefilter *pf, size_t *filtered, size_t *always)
{
	*filtered = pf ? pf->nfiltered : 0;
	*always = pf ? pf->nalways : 0;
}

/* ---- per worker -------------------------------------------------------------------------- */

struct xh_pf_scratch {
	hs_scratch_t *hs;
	unsigned char *mark;    /* one byte per rule: already a candidate */
	size_t *cand;
	size_t ncand;
};

struct xh_pf_scratch *xh_pf_scratch_new(const struct xh_prefilter *pf)
{
	struct xh_pf_scratch *s = xh_calloc(1, sizeof *s);

	if (!s)
		return NULL;
	s->mark = xh_calloc(pf->nrules ? pf->nrules : 1, 1);
	s->cand = xh_malloc((pf->nrules ? pf->nrules : 1) * sizeof *s->cand);
	if (!s->mark || !s->cand || (pf->db && hs_alloc_scratch(pf->db, &s->hs) != HS_SUCCESS)) {
		xh_pf_scratch_free(s);
		return NULL;
	}
	return s;
}

void xh_pf_scratch_free(struct xh_pf_scratch *s)
{
	if (!s)
		return;
	if (s->hs)
		hs_free_scratch(s->hs);
	xh_free(s->mark);
	xh_free(s->cand);
	xh_free(s);
}

struct on_ctx {
	const struct xh_prefilter *pf;
	struct xh_pf_scratch *s;
};

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ud)
{
	struct on_ctx *c = ud;

	(void)from;
	(void)to;
	(void)flags;
	for (size_t k = c->pf->lit_start[id]; k < c->pf->lit_start[id + 1]; k++) {
		size_t r = c->pf->lit_rules[k];
		if (!c->s->mark[r]) {
			c->s->mark[r] = 1;
			c->s->cand[c->s->ncand++] = r;
		}
	}
	return 0;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

size_t xh_prefilter_run(const struct xh_prefilter *pf, struct xh_pf_scratch *s, const char *text, size_t n,
                        const size_t **cand)
{
	struct on_ctx c = {pf, s};

	s->ncand = 0;
	/* a scan that cannot run (records are far smaller than 4 GiB; a Vectorscan error)
	 * must not hide a match: then every rule is a candidate */
	if (pf->db && text && n &&
	    (n > UINT32_MAX || hs_scan(pf->db, text, (unsigned)n, 0, s->hs, on_match, &c) != HS_SUCCESS)) {
		for (size_t i = 0; i < s->ncand; i++)
			s->mark[s->cand[i]] = 0;
		s->ncand = 0;
		for (size_t i = 0; i < pf->nrules; i++) {
			s->mark[i] = 1;
			s->cand[s->ncand++] = i;
		}
	}
	for (size_t i = 0; i < pf->nalways; i++)
		if (!s->mark[pf->always[i]]) {
			s->mark[pf->always[i]] = 1;
			s->cand[s->ncand++] = pf->always[i];
		}
	/* evaluation in rule order: findings come out in the same order on every run
	 * (insertion sort: the list is short) */
	if (s->ncand > 32) {
		qsort(s->cand, s->ncand, sizeof *s->cand, cmp_size);
	} else {
		for (size_t i = 1; i < s->ncand; i++) {
			size_t v = s->cand[i], j = i;
			while (j > 0 && s->cand[j - 1] > v) {
				s->cand[j] = s->cand[j - 1];
				j--;
			}
			s->cand[j] = v;
		}
	}
	for (size_t i = 0; i < s->ncand; i++)
		s->mark[s->cand[i]] = 0;
	*cand = s->cand;
	return s->ncand;
}
