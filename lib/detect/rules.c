/*
 * Sigma rule sets: rule documents compiled into rules (rule.h), loaded from YAML text,
 * rule files and folders of them (sorted, so rule order is stable), and the public
 * xh_rules_* API over a set (exhunt.h). A rule document such as
 *
 *   title: ProxyLogon SSRF
 *   logsource: {category: webserver}
 *   detection:
 *     selection:
 *       cs-method: POST
 *       cs-uri-query|contains|all: ['/owa/', '/powershell']
 *     filter:
 *       c-ip|cidr: 10.0.0.0/8
 *     condition: selection and not filter
 *   level: high
 *
 * is compiled in steps, each with its file: search identifiers (values.c, modifiers.c),
 * the condition (condition.c), the logsource (logsource.c), then every field name is
 * resolved for it (model/fields.c) and the fields a finding shows are collected.
 * Semantics per the Sigma specification v2 (shared/reference/sigma.md section 1).
 * Anything this engine does not implement makes the rule rejected with the reason,
 * never silently half-loaded. A Windows category with several thor.yml entries is
 * compiled once per entry (winlog.c).
 */
#define _GNU_SOURCE
#include "model/fields.h"
#include "detect/condition.h"
#include "detect/logsource.h"
#include "detect/prefilter.h"
#include "detect/reject.h"
#include "detect/rules.h"
#include "detect/values.h"
#include "detect/yaml_tree.h"

#include <stdio.h>
#include <strings.h>
#include <sys/stat.h>

struct xh_rules {
	struct xh_rule **r;
	size_t n, cap;
	uint64_t docs, rejected, files, unreadable;
	struct xh_prefilter *pf;  /* built by xh_rules_prepare; NULL until then or after a load */
	bool no_prefilter;        /* diagnostic: evaluate every rule on every record */
};

void xh_rules_set_prefilter(struct xh_rules *rs, bool on)
{
	rs->no_prefilter = !on;
}

bool xh_rules_prefilter_on(const struct xh_rules *rs)
{
	return !rs->no_prefilter;
}

size_t xh_rules_literal(const struct xh_rules *rs, size_t i, const char **p)
{
	const unsigned char *u = NULL;
	size_t n = xh_prefilter_literal(rs->pf, i, &u);
	*p = (const char *)u;
	return n;
}

bool xh_rules_info(const struct xh_rules *rs, size_t i, struct xh_rule_info *out)
{
	const struct xh_rule *r;

	if (i >= rs->n)
		return false;
	r = rs->r[i];
	out->path = r->path;
	out->id = r->id;
	out->name = r->name;
	out->title = r->title;
	out->description = r->description;
	out->nreferences = r->nrefs;
	out->logsource = r->logsource;
	out->level = r->level;
	out->prefiltered = xh_prefilter_has(rs->pf, i);
	out->tags = (const char *const *)r->tags;
	out->ntags = r->ntags;
	return true;
}

/* ---- rule documents -------------------------------------------------------------------- */

static char *dup_scalar(const struct xh_ynode *n)
{
	return n && n->kind == XH_Y_SCALAR ? xh_strndup(n->str, n->len) : NULL;
}

static bool str_list(const struct xh_ynode *n, char ***out, size_t *count)
{
	*out = NULL;
	*count = 0;
	if (!n)
		return true;
	if (n->kind == XH_Y_SCALAR) {
		*out = xh_calloc(1, sizeof **out);
		if (!*out || !((*out)[0] = dup_scalar(n)))
			return false;
		*count = 1;
		return true;
	}
	if (n->kind != XH_Y_SEQ)
		return true;
	*out = xh_calloc(n->n ? n->n : 1, sizeof **out);
	if (!*out)
		return false;
	for (size_t i = 0; i < n->n; i++) {
		if (n->items[i]->kind != XH_Y_SCALAR)
			continue;
		(*out)[*count] = dup_scalar(n->items[i]);
		if (!(*out)[*count])
			return false;
		(*count)++;
	}
	return true;
}

void xh_rule_free(struct xh_rule *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nids; i++)
		xh_ident_free(&r->ids[i]);
	xh_free(r->ids);
	xh_condition_free(r->cond);
	for (size_t i = 0; i < r->ntags; i++)
		xh_free(r->tags[i]);
	xh_free(r->tags);
	for (size_t i = 0; i < r->nrefs; i++)
		xh_free(r->refs[i]);
	xh_free(r->refs);
	for (size_t i = 0; i < r->nfields; i++) {
		xh_free(r->fields[i]);
		xh_fref_free(&r->field_refs[i]);
	}
	xh_free(r->fields);
	xh_free(r->field_refs);
	xh_free(r->path);
	xh_free(r->id);
	xh_free(r->name);
	xh_free(r->logsource);
	xh_free(r->title);
	xh_free(r->description);
	xh_free(r);
}

/* How the rule's logsource names fields, and a field name resolved that way. */
static void resolve(const struct xh_rule *r, const char *name, struct xh_fref *out)
{
	enum xh_field_names names = r->win ? XH_NAMES_WINDOWS : r->webserver ? XH_NAMES_WEBSERVER : XH_NAMES_PLAIN;

	xh_field_resolve(name, names, r->win ? r->win->renames : NULL, out);
}

/* Every field a test reads: its own and the targets of |fieldref. */
static void resolve_test(const struct xh_rule *r, struct xh_ftest *t)
{
	if (t->field)
		resolve(r, t->field, &t->ref);
	for (size_t i = 0; i < t->nm; i++)
		if (t->m[i].kind == XH_M_FIELDREF)
			resolve(r, t->m[i].ref, &t->m[i].target);
}

/* Fields a rule tests, for the finding's "fields" (first of each name), resolved. */
static void collect_fields(struct xh_rule *r)
{
	size_t cap = 0;

	for (size_t i = 0; i < r->nids; i++)
		for (size_t m = 0; m < r->ids[i].nmaps; m++)
			cap += r->ids[i].maps[m].n;
	r->fields = xh_calloc(cap ? cap : 1, sizeof *r->fields);
	r->field_refs = xh_calloc(cap ? cap : 1, sizeof *r->field_refs);
	if (!r->fields || !r->field_refs)
		return;
	for (size_t i = 0; i < r->nids; i++)
		for (size_t m = 0; m < r->ids[i].nmaps; m++)
			for (size_t t = 0; t < r->ids[i].maps[m].n; t++) {
				const char *f = r->ids[i].maps[m].t[t].field;
				bool seen = !f;
				for (size_t k = 0; !seen && k < r->nfields; k++)
					seen = strcasecmp(r->fields[k], f) == 0;
				if (!seen && r->nfields < XH_MAX_FINDING_FIELDS && (r->fields[r->nfields] = xh_strdup(f))) {
					resolve(r, r->fields[r->nfields], &r->field_refs[r->nfields]);
					r->nfields++;
				}
			}
}

static struct xh_rule *compile_rule(const struct xh_ynode *doc, const char *path, size_t variant,
                                    size_t *nvariants, struct xh_reject *e)
{
	struct xh_rule *r = xh_calloc(1, sizeof *r);
	const struct xh_ynode *det, *cond, *lvl;

	if (!r) {
		xh_reject(e, "%s", "out of memory");
		return NULL;
	}
	r->path = xh_strdup(path);
	r->title = dup_scalar(xh_ymap_get(doc, "title"));
	r->id = dup_scalar(xh_ymap_get(doc, "id"));
	r->name = dup_scalar(xh_ymap_get(doc, "name"));
	r->description = dup_scalar(xh_ymap_get(doc, "description"));
	if (doc->kind != XH_Y_MAP) {
		xh_reject(e, "%s", "the document is not a mapping");
		goto fail;
	}
	if (xh_ymap_get(doc, "correlation")) {
		xh_reject(e, "%s", "correlation rules are not supported yet");
		goto fail;
	}
	if (xh_ymap_get(doc, "filter") && !xh_ymap_get(doc, "detection")) {
		xh_reject(e, "%s", "meta filters are not supported yet");
		goto fail;
	}
	lvl = xh_ymap_get(doc, "level");
	r->level = XH_LEVEL_INFORMATIONAL;
	if (lvl && (lvl->kind != XH_Y_SCALAR || !xh_level_parse(lvl->str, &r->level))) {
		xh_reject(e, "level '%s' is not a Sigma level", lvl->kind == XH_Y_SCALAR ? lvl->str : "?");
		goto fail;
	}
	if (!str_list(xh_ymap_get(doc, "tags"), &r->tags, &r->ntags) ||
	    !str_list(xh_ymap_get(doc, "references"), &r->refs, &r->nrefs)) {
		xh_reject(e, "%s", "out of memory");
		goto fail;
	}
	det = xh_ymap_get(doc, "detection");
	if (!det || det->kind != XH_Y_MAP) {
		xh_reject(e, "%s", "no detection section");
		goto fail;
	}
	cond = xh_ymap_get(det, "condition");
	if (!cond || (cond->kind == XH_Y_SEQ && cond->n == 0)) {
		xh_reject(e, "%s", "no condition");
		goto fail;
	}
	r->ids = xh_calloc(det->n / 2 + 1, sizeof *r->ids);
	if (!r->ids)
		goto fail;
	for (size_t i = 0; i + 1 < det->n; i += 2) {
		const struct xh_ynode *k = det->items[i];
		if (k->kind != XH_Y_SCALAR || strcmp(k->str, "condition") == 0)
			continue;
		if (strcmp(k->str, "timeframe") == 0) {
			xh_reject(e, "%s", "timeframe (Sigma v1 aggregation) is not supported");
			goto fail;
		}
		if (!xh_ident_compile(k->str, det->items[i + 1], &r->ids[r->nids], e)) {
			r->nids++;
			goto fail;
		}
		r->nids++;
	}
	r->cond = xh_condition_parse(cond, r->ids, r->nids, e);
	if (!r->cond)
		goto fail;
	if (!xh_logsource_apply(xh_ymap_get(doc, "logsource"), r, variant, nvariants, e))
		goto fail;
	/* field names resolve once the logsource says how (webserver names, Windows renames) */
	for (size_t i = 0; i < r->nids; i++) {
		for (size_t m = 0; m < r->ids[i].nmaps; m++)
			for (size_t t = 0; t < r->ids[i].maps[m].n; t++)
				resolve_test(r, &r->ids[i].maps[m].t[t]);
		if (r->ids[i].keywords)
			resolve_test(r, &r->ids[i].kw);
	}
	collect_fields(r);
	return r;
fail:
	if (!e->msg[0])
		xh_reject(e, "%s", "out of memory");
	xh_rule_free(r);
	return NULL;
}

/* ---- loading ---------------------------------------------------------------------------- */

xh_status xh_rules_new(struct xh_rules **out)
{
	*out = xh_calloc(1, sizeof **out);
	return *out ? XH_OK : XH_ENOMEM;
}

void xh_rules_free(struct xh_rules *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->n; i++)
		xh_rule_free(rs->r[i]);
	xh_free(rs->r);
	xh_prefilter_free(rs->pf);
	xh_free(rs);
}

size_t xh_rules_count(const struct xh_rules *rs)
{
	return rs->n;
}

void xh_rules_stats(const struct xh_rules *rs, struct xh_rules_stats *st)
{
	st->files = rs->files;
	st->documents = rs->docs;
	st->loaded = rs->n;
	st->rejected = rs->rejected;
	st->unreadable = rs->unreadable;
	xh_prefilter_counts(rs->pf, &st->prefiltered, &st->unfiltered);
}

xh_status xh_rules_prepare(struct xh_rules *rs, struct xh_error *err)
{
	char why[XH_MAX_RULE_REASON];
	xh_status st;

	if (rs->pf)
		return XH_OK;
	st = xh_prefilter_build((const struct xh_rule *const *)rs->r, rs->n, &rs->pf, why, sizeof why);
	if (st)
		return xh_fail(err, st, NULL, 0, 0, "rule prefilter: %s", why[0] ? why : "out of memory");
	return XH_OK;
}

const struct xh_prefilter *xh_rules_prefilter(const struct xh_rules *rs)
{
	return rs->pf;
}

static xh_status add_rule(struct xh_rules *rs, struct xh_rule *r)
{
	if (rs->n == XH_MAX_RULES) {
		xh_rule_free(r);
		return XH_ELIMIT;
	}
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 64;
		struct xh_rule **nr = xh_realloc(rs->r, cap * sizeof *nr);
		if (!nr) {
			xh_rule_free(r);
			return XH_ENOMEM;
		}
		rs->r = nr;
		rs->cap = cap;
	}
	rs->r[rs->n++] = r;
	xh_prefilter_free(rs->pf); /* the rule set changed: prepare again */
	rs->pf = NULL;
	return XH_OK;
}

static xh_status load_text(struct xh_rules *rs, const char *path, const char *text, size_t len,
                           xh_rule_reject_fn cb, void *ud)
{
	struct xh_ynode **docs;
	size_t nd;
	char msg[XH_MAX_RULE_REASON];
	xh_status st = xh_yaml_parse(text, len, &docs, &nd, msg, sizeof msg);

	if (st == XH_EFORMAT) {
		rs->rejected++;
		if (cb)
			cb(ud, path, NULL, msg);
		return XH_OK;
	}
	if (st)
		return st;
	for (size_t i = 0; i < nd && !st; i++) {
		struct xh_reject e = {""};
		struct xh_rule *r;
		const struct xh_ynode *title = xh_ymap_get(docs[i], "title");
		const struct xh_ynode *action = xh_ymap_get(docs[i], "action");
		rs->docs++;
		if (action && action->kind == XH_Y_SCALAR) {
			rs->rejected++;
			if (cb)
				cb(ud, path, title && title->kind == XH_Y_SCALAR ? title->str : NULL,
				   "Sigma v1 rule collections (action:) are not supported");
			continue;
		}
		size_t nvar = 1;
		r = compile_rule(docs[i], path, 0, &nvar, &e);
		if (!r) {
			rs->rejected++;
			if (cb)
				cb(ud, path, title && title->kind == XH_Y_SCALAR ? title->str : NULL, e.msg);
			continue;
		}
		st = add_rule(rs, r);
		/* further variants of a Windows category (process_creation on Security 4688):
		 * the same rule compiled again against that event's field names */
		for (size_t v = 1; v < nvar && !st; v++) {
			struct xh_reject ev = {""};
			size_t nv2;
			r = compile_rule(docs[i], path, v, &nv2, &ev);
			st = r ? add_rule(rs, r) : XH_ENOMEM;
		}
	}
	xh_ydocs_free(docs, nd);
	return st;
}

xh_status xh_rules_load_text(struct xh_rules *rs, const char *name, const char *text, size_t len,
                             xh_rule_reject_fn cb, void *ud)
{
	return load_text(rs, name, text, len, cb, ud);
}

static xh_status load_file(struct xh_rules *rs, const char *path, xh_rule_reject_fn cb, void *ud)
{
	const char *why;
	char *text;
	size_t len;
	xh_status st = xh_read_file(path, XH_MAX_RULE_FILE, &text, &len, &why);

	rs->files++;
	if (st == XH_ENOMEM)
		return st;
	if (st) {
		rs->unreadable++;
		if (cb)
			cb(ud, path, NULL, st == XH_EIO ? "cannot open" : "not a regular file or larger than the limit");
		return XH_OK;
	}
	st = load_text(rs, path, text, len, cb, ud);
	xh_free(text);
	return st;
}

static bool yaml_name(const char *n)
{
	size_t l = strlen(n);
	return (l > 4 && strcasecmp(n + l - 4, ".yml") == 0) || (l > 5 && strcasecmp(n + l - 5, ".yaml") == 0);
}

/* Loading a rule folder (xh_dir_walk): every .yml/.yaml, in sorted order so that rule
 * order is stable. */
struct dir_load {
	struct xh_rules *rs;
	xh_rule_reject_fn cb;
	void *ud;
};

static xh_status dir_file(void *ud, const char *path)
{
	struct dir_load *d = ud;
	xh_status st = load_file(d->rs, path, d->cb, d->ud);

	return !st && d->rs->files > XH_MAX_RULE_FILES ? XH_ELIMIT : st;
}

static void dir_error(void *ud, const char *path)
{
	struct dir_load *d = ud;

	d->rs->unreadable++;
	if (d->cb)
		d->cb(d->ud, path, NULL, "cannot open folder");
}

xh_status xh_rules_load(struct xh_rules *rs, const char *path, xh_rule_reject_fn cb, void *ud)
{
	struct stat sb;

	if (stat(path, &sb) != 0)
		return XH_ENOTFOUND;
	if (S_ISDIR(sb.st_mode)) {
		struct dir_load d = {rs, cb, ud};
		return xh_dir_walk(path, &(struct xh_dir_walk){yaml_name, dir_file, dir_error, &d});
	}
	return load_file(rs, path, cb, ud);
}

const struct xh_rule *xh_rules_at(const struct xh_rules *rs, size_t i)
{
	return i < rs->n ? rs->r[i] : NULL;
}
