/*
 * Search identifiers of a rule's detection section compiled into field tests, e.g.
 *
 *   selection:
 *     cs-method: POST
 *     cs-uri-query|contains|all: ['/owa/', '/powershell']
 *   keywords: ['python-requests', 'zgrab']
 *
 * a map is the AND of its tests, a list of maps or of values their OR, a list without
 * maps a keyword search over the raw record. Each value becomes one matcher: a glob over
 * the whole value with Sigma's escaping ('*' and '?' wildcards, '\' escapes only '*',
 * '?' and '\'), case-insensitive unless |cased, or the kind its modifiers name
 * (modifiers.c). A YAML null is Sigma's null.
 */
#include "detect/modifiers.h"
#include "detect/values.h"

#include <strings.h>

/* ---- globs ------------------------------------------------------------------------------- */

struct pat {
	unsigned char *b, *m; /* bytes and mask (0 literal, 1 '*', 2 '?') */
	size_t n, cap;
};

static bool pat_put(struct pat *p, unsigned char c, unsigned char mask)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		unsigned char *nb = xh_realloc(p->b, cap), *nm;
		if (!nb)
			return false;
		p->b = nb;
		nm = xh_realloc(p->m, cap);
		if (!nm)
			return false;
		p->m = nm;
		p->cap = cap;
	}
	/* "**" is one '*' */
	if (mask == 1 && p->n && p->m[p->n - 1] == 1)
		return true;
	p->b[p->n] = c;
	p->m[p->n] = mask;
	p->n++;
	return true;
}

/* A Sigma string: '*' and '?' are wildcards; '\' escapes only '*', '?' and '\'. */
static bool pat_sigma(struct pat *p, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\\' && i + 1 < n && (s[i + 1] == '*' || s[i + 1] == '?' || s[i + 1] == '\\')) {
			if (!pat_put(p, (unsigned char)s[++i], 0))
				return false;
		} else if (c == '*' || c == '?') {
			if (!pat_put(p, c, c == '*' ? 1 : 2))
				return false;
		} else if (!pat_put(p, c, 0)) {
			return false;
		}
	}
	return true;
}

static void finish_glob(struct xh_matcher *m)
{
	size_t n = m->n, lead = 0, trail = 0;
	bool inner_wild = false;

	if (!m->cased)
		for (size_t i = 0; i < n; i++)
			if (m->mask[i] == 0 && m->pat[i] >= 'A' && m->pat[i] <= 'Z')
				m->pat[i] = (unsigned char)(m->pat[i] - 'A' + 'a');
	while (lead < n && m->mask[lead] == 1)
		lead++;
	while (trail < n - lead && m->mask[n - 1 - trail] == 1)
		trail++;
	for (size_t i = lead; i < n - trail; i++)
		if (m->mask[i])
			inner_wild = true;
	m->shape = XH_G_GENERIC;
	if (inner_wild)
		return;
	m->lit = m->pat + lead;
	m->litn = n - lead - trail;
	if (m->litn == 0 && (lead || trail))
		m->shape = XH_G_ANY;
	else if (!lead && !trail)
		m->shape = XH_G_EXACT;
	else if (!lead)
		m->shape = XH_G_PREFIX;
	else if (!trail)
		m->shape = XH_G_SUFFIX;
	else
		m->shape = XH_G_CONTAINS;
}

static bool compile_glob(const struct xh_val *v, const struct xh_mods *md, struct xh_matcher *m)
{
	struct pat p = {NULL, NULL, 0, 0};
	bool ok = true;

	m->kind = XH_M_GLOB;
	m->cased = md->set & XH_MF_CASED;
	if (md->set & (XH_MF_CONTAINS | XH_MF_ENDSWITH))
		ok = pat_put(&p, '*', 1);
	if (ok) {
		if (v->literal)
			for (size_t i = 0; ok && i < v->n; i++)
				ok = pat_put(&p, (unsigned char)v->s[i], 0);
		else
			ok = pat_sigma(&p, v->s, v->n);
	}
	if (ok && (md->set & (XH_MF_CONTAINS | XH_MF_STARTSWITH)))
		ok = pat_put(&p, '*', 1);
	/* an empty pattern has no buffer: give it one byte so that views stay valid */
	if (ok && p.n == 0 && !p.b) {
		p.b = xh_malloc(1);
		p.m = xh_malloc(1);
		ok = p.b && p.m;
	}
	m->pat = p.b;
	m->mask = p.m;
	m->n = p.n;
	if (ok)
		finish_glob(m);
	return ok;
}

static void matcher_free(struct xh_matcher *m)
{
	xh_free(m->pat);
	xh_free(m->mask);
	xh_free(m->ref);
	xh_fref_free(&m->target);
	if (m->re)
		pcre2_code_free(m->re);
}

/* ---- tests ------------------------------------------------------------------------------- */

/* One "field|mods: value(s)" entry -> test. */
static bool compile_test(const char *key_in, const struct xh_ynode *val, struct xh_ftest *t, struct xh_reject *e)
{
	char *key = xh_strdup(key_in), *field;
	struct xh_mods md;
	struct xh_vals vs = {NULL, 0, 0};
	bool ok = false;
	const struct xh_ynode *const *items = NULL;
	size_t nitems = 0;

	memset(t, 0, sizeof *t);
	if (!key)
		return xh_reject(e, "%s", "out of memory");
	if (!xh_mods_parse(key, &field, &md, e))
		goto out;
	t->field = field[0] ? xh_strdup(field) : NULL;
	t->all = md.set & XH_MF_ALL;
	if (val->kind == XH_Y_SEQ) {
		items = (const struct xh_ynode *const *)val->items;
		nitems = val->n;
	} else if (val->kind == XH_Y_SCALAR) {
		items = &val;
		nitems = 1;
	} else {
		xh_reject(e, "%s", "a field value that is a mapping");
		goto out;
	}
	if (nitems == 0) {
		xh_reject(e, "%s", "an empty value list");
		goto out;
	}
	t->m = xh_calloc(nitems * (md.nsteps ? XH_MAX_VALUE_VARIANTS : 1), sizeof *t->m);
	if (!t->m)
		goto out;
	/* values of a kind of their own (exists, numbers, cidr, fieldref, re) */
	if (md.kind) {
		for (size_t i = 0; i < nitems; i++) {
			if (items[i]->kind != XH_Y_SCALAR) {
				xh_reject(e, "%s", "a nested list as a value");
				goto out;
			}
			if (!xh_mods_value(&md, items[i], &t->m[t->nm], e))
				goto out;
			t->nm++;
		}
		ok = true;
		goto out;
	}
	for (size_t i = 0; i < nitems; i++) {
		const struct xh_ynode *v = items[i];
		if (v->kind != XH_Y_SCALAR) {
			xh_reject(e, "%s", "a nested list as a value");
			goto out;
		}
		if (xh_yis_null(v)) {
			if (nitems != 1 || md.nsteps || (md.set & (XH_MF_CONTAINS | XH_MF_STARTSWITH | XH_MF_ENDSWITH))) {
				xh_reject(e, "%s", "null inside a value list or with modifiers");
				goto out;
			}
			t->m[t->nm++].kind = XH_M_NULL;
			ok = true;
			goto out;
		}
		if (!xh_vals_add(&vs, xh_strndup(v->str, v->len), v->len, false))
			goto out;
	}
	if (!xh_mods_apply(&md, &vs, nitems, e))
		goto out;
	for (size_t i = 0; i < vs.n; i++) {
		if (!compile_glob(&vs.v[i], &md, &t->m[t->nm])) {
			xh_reject(e, "%s", "out of memory");
			goto out;
		}
		t->nm++;
	}
	ok = true;
out:
	xh_vals_free(&vs);
	xh_free(key);
	return ok;
}

static void test_free(struct xh_ftest *t)
{
	for (size_t i = 0; i < t->nm; i++)
		matcher_free(&t->m[i]);
	xh_free(t->m);
	xh_free(t->field);
	xh_fref_free(&t->ref);
}

/* ---- identifiers ----------------------------------------------------------------------- */

/* A map of tests (AND). */
static bool compile_map(const struct xh_ynode *map, struct xh_smap *out, struct xh_reject *e)
{
	out->n = 0;
	out->t = xh_calloc(map->n / 2 + 1, sizeof *out->t);
	if (!out->t)
		return xh_reject(e, "%s", "out of memory");
	for (size_t i = 0; i + 1 < map->n; i += 2) {
		const struct xh_ynode *k = map->items[i];
		if (k->kind != XH_Y_SCALAR)
			return xh_reject(e, "%s", "a non-text key in a selection");
		if (!compile_test(k->str, map->items[i + 1], &out->t[out->n], e)) {
			test_free(&out->t[out->n]);
			return false;
		}
		out->n++;
	}
	return true;
}

bool xh_ident_compile(const char *name, const struct xh_ynode *v, struct xh_ident *id, struct xh_reject *e)
{
	id->name = xh_strdup(name);
	if (!id->name)
		return xh_reject(e, "%s", "out of memory");
	if (v->kind == XH_Y_MAP) {
		/* keyless |all over keywords: {'|all': [a, b]} */
		if (v->n == 2 && v->items[0]->kind == XH_Y_SCALAR && strcmp(v->items[0]->str, "|all") == 0) {
			id->keywords = true;
			return compile_test("|contains|all", v->items[1], &id->kw, e);
		}
		id->nmaps = 1;
		id->maps = xh_calloc(1, sizeof *id->maps);
		return id->maps ? compile_map(v, &id->maps[0], e) : xh_reject(e, "%s", "out of memory");
	}
	if (v->kind == XH_Y_SEQ) {
		bool maps = v->n && v->items[0]->kind == XH_Y_MAP;
		for (size_t i = 0; i < v->n; i++)
			if ((v->items[i]->kind == XH_Y_MAP) != maps)
				return xh_reject(e, "%s", "a list mixing maps and keywords");
		if (!maps) {
			id->keywords = true;
			return compile_test("|contains", v, &id->kw, e);
		}
		id->maps = xh_calloc(v->n, sizeof *id->maps);
		if (!id->maps)
			return xh_reject(e, "%s", "out of memory");
		for (size_t i = 0; i < v->n; i++) {
			if (!compile_map(v->items[i], &id->maps[i], e)) {
				id->nmaps = i + 1;
				return false;
			}
			id->nmaps = i + 1;
		}
		return true;
	}
	/* a single keyword */
	id->keywords = true;
	return compile_test("|contains", v, &id->kw, e);
}

void xh_ident_free(struct xh_ident *id)
{
	for (size_t i = 0; i < id->nmaps; i++) {
		for (size_t k = 0; k < id->maps[i].n; k++)
			test_free(&id->maps[i].t[k]);
		xh_free(id->maps[i].t);
	}
	xh_free(id->maps);
	if (id->keywords)
		test_free(&id->kw);
	xh_free(id->name);
}
