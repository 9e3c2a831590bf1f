/*
 * The finding model. Findings outlive the record they came from (they are sorted,
 * grouped and written after the file is read), so the library deep-copies each one into
 * a single block: one allocation, one free, no dangling views into reader buffers. Also
 * what every stage asks of a finding: its campaign, whether it is a file's, the
 * informational fold, a new level with a note, and the verdict names.
 */
#include "model/finding.h"
#include "model/campaign.h"

#include <stdio.h>
#include <strings.h>

static size_t slen(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

static char *put(char **cur, const char *s, size_t n)
{
	char *d = *cur;
	memcpy(d, s, n);
	d[n] = '\0';
	*cur += n + 1;
	return d;
}

static const char *puts_opt(char **cur, const char *s)
{
	return s ? put(cur, s, strlen(s)) : NULL;
}

struct xh_finding *xh_finding_dup(const struct xh_finding *f)
{
	size_t total = sizeof *f, excerpt = f->excerpt.p ? f->excerpt.n : 0, nrtags = 0;
	struct xh_finding *d;
	char *cur;
	const char **tags, **refs, **rtags;
	struct xh_kv *kv;
	struct xh_rule_hit *rules;

	if (excerpt > XH_MAX_LINE)
		excerpt = XH_MAX_LINE;
	total += slen(f->rule_id) + slen(f->title) + slen(f->host) + slen(f->source) + slen(f->path);
	total += slen(f->rule_name) + slen(f->note) + slen(f->client) + slen(f->origin) + slen(f->server);
	for (size_t i = 0; i < f->nrules; i++) {
		total += slen(f->rules[i].id) + slen(f->rules[i].name) + slen(f->rules[i].title);
		nrtags += f->rules[i].ntags;
		for (size_t k = 0; k < f->rules[i].ntags; k++)
			total += slen(f->rules[i].tags[k]);
	}
	total += f->nrules * sizeof(struct xh_rule_hit);
	total += (f->ntags + f->nreferences + nrtags) * sizeof(char *) + f->nfields * sizeof(struct xh_kv);
	for (size_t i = 0; i < f->ntags; i++)
		total += slen(f->tags[i]);
	for (size_t i = 0; i < f->nreferences; i++)
		total += slen(f->references[i]);
	for (size_t i = 0; i < f->nfields; i++)
		total += slen(f->fields[i].name) + (f->fields[i].value.p ? f->fields[i].value.n + 1 : 0);
	total += excerpt + 1;
	d = xh_malloc(total);
	if (!d)
		return NULL;
	*d = *f;
	/* aligned parts first (right after the struct: the rule hits, then pointer arrays),
	 * then the bytes */
	rules = (struct xh_rule_hit *)(d + 1);
	tags = (const char **)(rules + f->nrules);
	refs = tags + f->ntags;
	rtags = refs + f->nreferences;
	kv = (struct xh_kv *)(rtags + nrtags);
	cur = (char *)(kv + f->nfields);
	d->rule_id = puts_opt(&cur, f->rule_id);
	d->title = puts_opt(&cur, f->title);
	d->rule_name = puts_opt(&cur, f->rule_name);
	d->note = puts_opt(&cur, f->note);
	d->client = puts_opt(&cur, f->client);
	d->origin = puts_opt(&cur, f->origin);
	d->host = puts_opt(&cur, f->host);
	d->server = puts_opt(&cur, f->server);
	d->source = puts_opt(&cur, f->source);
	d->path = puts_opt(&cur, f->path);
	for (size_t i = 0; i < f->ntags; i++)
		tags[i] = puts_opt(&cur, f->tags[i]);
	for (size_t i = 0; i < f->nreferences; i++)
		refs[i] = puts_opt(&cur, f->references[i]);
	for (size_t i = 0; i < f->nrules; i++) {
		rules[i] = f->rules[i];
		rules[i].id = puts_opt(&cur, f->rules[i].id);
		rules[i].name = puts_opt(&cur, f->rules[i].name);
		rules[i].title = puts_opt(&cur, f->rules[i].title);
		rules[i].tags = rtags;
		for (size_t k = 0; k < f->rules[i].ntags; k++)
			*rtags++ = puts_opt(&cur, f->rules[i].tags[k]);
	}
	for (size_t i = 0; i < f->nfields; i++) {
		kv[i].name = puts_opt(&cur, f->fields[i].name);
		kv[i].value.n = f->fields[i].value.n;
		kv[i].value.p = f->fields[i].value.p ? put(&cur, f->fields[i].value.p, f->fields[i].value.n)
		                                      : NULL;
	}
	d->excerpt.p = put(&cur, f->excerpt.p ? f->excerpt.p : "", excerpt);
	d->excerpt.n = excerpt;
	d->tags = tags;
	d->references = refs;
	d->fields = kv;
	d->rules = f->nrules ? rules : NULL;
	return d;
}

void xh_finding_free(struct xh_finding *f)
{
	xh_free(f);
}

xh_status xh_flist_push(struct xh_flist *l, const struct xh_finding *f)
{
	if (l->n == XH_MAX_FINDINGS_KEPT) {
		l->dropped++;
		return XH_OK;
	}
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 16;
		struct xh_finding **nf = xh_realloc(l->f, ncap * sizeof *nf);
		if (!nf)
			return XH_ENOMEM;
		l->f = nf;
		l->cap = ncap;
	}
	l->f[l->n] = xh_finding_dup(f);
	if (!l->f[l->n])
		return XH_ENOMEM;
	l->n++;
	return XH_OK;
}

void xh_flist_free(struct xh_flist *l)
{
	for (size_t i = 0; i < l->n; i++)
		xh_finding_free(l->f[i]);
	xh_free(l->f);
	memset(l, 0, sizeof *l);
}

/* The first of these fields the record has, copied as a string into buf. */
static const char *first_field(const struct xh_record *r, const char *const *names, char *buf, size_t cap)
{
	for (size_t i = 0; names[i]; i++) {
		struct xh_sv v;
		size_t n;
		if (!xh_record_get(r, names[i], &v) || !v.p || v.n == 0)
			continue;
		n = v.n < cap - 1 ? v.n : cap - 1;
		memcpy(buf, v.p, n);
		buf[n] = '\0';
		return buf;
	}
	return NULL;
}

const char *xh_record_server(const struct xh_record *r, char *buf, size_t cap)
{
	static const char *const servers[] = {"s-computername", "ServerHostName", "ServerName", "Computer", NULL};
	return first_field(r, servers, buf, cap);
}

void xh_finding_context(struct xh_finding *f, const struct xh_record *r, char *server, size_t scap, char *client,
                        size_t ccap)
{
	static const char *const clients[] = {"c-ip", "ClientIpAddress", "ClientIp", NULL};
	char *comma;

	struct xh_sv port;

	f->server = xh_record_server(r, server, scap);
	/* Exchange's back-end site listens on 444: the front end relays every request there */
	f->backend = xh_record_get(r, "s-port", &port) && port.n == 3 && memcmp(port.p, "444", 3) == 0;
	f->client = first_field(r, clients, client, ccap);
	/* a proxied chain "client, proxy" names the client first */
	if (f->client && (comma = strchr(client, ',')) != NULL)
		*comma = '\0';
}

/* A copy of l->f[i] with its note extended, given to fix() to set its levels, in place. */
static xh_status replace(struct xh_flist *l, size_t i, const char *note,
                         void (*fix)(struct xh_finding *f, struct xh_rule_hit *hits, const void *arg), const void *arg)
{
	struct xh_finding f = *l->f[i], *d;
	char buf[768];

	if (l->f[i]->note && note) {
		/* keep what an earlier step said */
		snprintf(buf, sizeof buf, "%s; %s", l->f[i]->note, note);
		note = buf;
	}
	if (note)
		f.note = note;
	d = xh_finding_dup(&f);
	if (!d)
		return XH_ENOMEM;
	/* the copy's rule hits are its own: right after the struct (xh_finding_dup) */
	fix(d, d->nrules ? (struct xh_rule_hit *)(d + 1) : NULL, arg);
	xh_finding_free(l->f[i]);
	l->f[i] = d;
	return XH_OK;
}

/* The whole record judged at one level: no rule weighs more, and the strongest weighs
 * that much. */
static void fix_all(struct xh_finding *f, struct xh_rule_hit *hits, const void *arg)
{
	enum xh_level level = *(const enum xh_level *)arg;

	f->level = level;
	for (size_t k = 0; k < f->nrules; k++)
		if (hits[k].level > level)
			hits[k].level = level;
	if (f->nrules && hits[0].level < level)
		hits[0].level = level;
}

struct rule_level {
	const char *name;
	enum xh_level level;
};

/* One rule judged: its hits at that level, the record at the highest of its rules. */
static void fix_rule(struct xh_finding *f, struct xh_rule_hit *hits, const void *arg)
{
	const struct rule_level *rl = arg;
	enum xh_level top = XH_LEVEL_INFORMATIONAL;

	for (size_t k = 0; k < f->nrules; k++) {
		if (hits[k].name && strcasecmp(hits[k].name, rl->name) == 0)
			hits[k].level = rl->level;
		if (hits[k].level > top)
			top = hits[k].level;
	}
	f->level = f->nrules ? top : rl->level;
}

xh_status xh_flist_relevel(struct xh_flist *l, size_t i, enum xh_level level, const char *note)
{
	return replace(l, i, note, fix_all, &level);
}

static void fix_none(struct xh_finding *f, struct xh_rule_hit *hits, const void *arg)
{
	(void)f;
	(void)hits;
	(void)arg;
}

xh_status xh_flist_note(struct xh_flist *l, size_t i, const char *note)
{
	return replace(l, i, note, fix_none, NULL);
}

struct each {
	enum xh_level (*judge)(const struct xh_rule_hit *hit, const void *arg);
	const void *arg;
};

/* Each rule judged on its own; the record at the highest; a finding without rules as its
 * one rule (its level and tags). */
static void fix_each(struct xh_finding *f, struct xh_rule_hit *hits, const void *arg)
{
	const struct each *e = arg;
	enum xh_level top = XH_LEVEL_INFORMATIONAL;

	if (!f->nrules) {
		struct xh_rule_hit self = {f->rule_id, f->rule_name, f->title, f->level, f->tags, f->ntags};
		f->level = e->judge(&self, e->arg);
		return;
	}
	for (size_t k = 0; k < f->nrules; k++) {
		hits[k].level = e->judge(&hits[k], e->arg);
		if (hits[k].level > top)
			top = hits[k].level;
	}
	f->level = top;
}

xh_status xh_flist_rejudge(struct xh_flist *l, size_t i, const char *note,
                           enum xh_level (*judge)(const struct xh_rule_hit *hit, const void *arg), const void *arg)
{
	struct each e = {judge, arg};
	return replace(l, i, note, fix_each, &e);
}

/* ---- one finding per record ----------------------------------------------------------- */

static void add_str(const char **arr, size_t *n, size_t cap, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (strcasecmp(arr[i], s) == 0)
			return;
	if (*n < cap)
		arr[(*n)++] = s;
}

struct xh_finding *xh_finding_merge(const struct xh_finding *a, const struct xh_finding *b)
{
	struct xh_rule_hit rules[XH_MAX_FINDING_RULES];
	const char *tags[XH_MAX_FINDING_TAGS], *refs[XH_MAX_FINDING_REFS];
	struct xh_kv kv[XH_MAX_FINDING_FIELDS];
	const struct xh_finding *both[] = {a, b};
	struct xh_finding m = *a;
	size_t nr = 0, nt = 0, nrf = 0, nk = 0;

	m.rules_more = a->rules_more + b->rules_more;
	/* the rules, strongest first (stable: the pack's order among equals) */
	for (size_t w = 0; w < 2; w++)
		for (size_t i = 0; i < both[w]->nrules; i++) {
			const struct xh_rule_hit *r = &both[w]->rules[i];
			size_t at = nr;
			if (nr == XH_MAX_FINDING_RULES) {
				m.rules_more++;
				continue;
			}
			while (at > 0 && rules[at - 1].level < r->level)
				at--;
			memmove(rules + at + 1, rules + at, (nr - at) * sizeof *rules);
			rules[at] = *r;
			nr++;
		}
	for (size_t w = 0; w < 2; w++) {
		for (size_t i = 0; i < both[w]->ntags; i++)
			add_str(tags, &nt, XH_ARRAY_LEN(tags), both[w]->tags[i]);
		for (size_t i = 0; i < both[w]->nreferences; i++)
			add_str(refs, &nrf, XH_ARRAY_LEN(refs), both[w]->references[i]);
		for (size_t i = 0; i < both[w]->nfields && nk < XH_ARRAY_LEN(kv); i++) {
			bool have = false;
			for (size_t k = 0; k < nk && !have; k++)
				have = strcmp(kv[k].name, both[w]->fields[i].name) == 0;
			if (!have)
				kv[nk++] = both[w]->fields[i];
		}
	}
	m.rules = rules;
	m.nrules = nr;
	m.tags = tags;
	m.ntags = nt;
	m.references = refs;
	m.nreferences = nrf;
	m.fields = kv;
	m.nfields = nk;
	m.level = a->level > b->level ? a->level : b->level;
	if (nr) {
		m.rule_id = rules[0].id;
		m.rule_name = rules[0].name;
		m.title = rules[0].title;
		m.rule_level = rules[0].level;
	}
	if (!m.note)
		m.note = b->note;
	return xh_finding_dup(&m);
}

bool xh_finding_has_rule(const struct xh_finding *f, const char *name)
{
	if (f->nrules == 0)
		return f->rule_name && strcasecmp(f->rule_name, name) == 0;
	for (size_t i = 0; i < f->nrules; i++)
		if (f->rules[i].name && strcasecmp(f->rules[i].name, name) == 0)
			return true;
	return false;
}

enum xh_level xh_finding_rule_level(const struct xh_finding *f, const char *name)
{
	for (size_t i = 0; i < f->nrules; i++)
		if (f->rules[i].name && strcasecmp(f->rules[i].name, name) == 0)
			return f->rules[i].level;
	return f->level;
}

xh_status xh_flist_relevel_rule(struct xh_flist *l, size_t i, const char *name, enum xh_level level, const char *note)
{
	struct rule_level rl = {name, level};
	return replace(l, i, note, fix_rule, &rl);
}

/* Two findings of one record: a log record's, neither folded. */
static bool same_record(const struct xh_finding *a, const struct xh_finding *b)
{
	return a->nrules && b->nrules && a->count <= 1 && a->line == b->line && a->offset == b->offset &&
	       a->path && b->path && strcmp(a->path, b->path) == 0 && a->source && b->source &&
	       strcmp(a->source, b->source) == 0;
}

/* ---- what a finding is ------------------------------------------------------------- */

bool xh_finding_has_tag(const struct xh_finding *f, const char *tag)
{
	for (size_t i = 0; i < f->ntags; i++)
		if (strcasecmp(f->tags[i], tag) == 0)
			return true;
	return false;
}

bool xh_finding_has_tag_prefix(const struct xh_finding *f, const char *prefix)
{
	size_t n = strlen(prefix);
	for (size_t i = 0; i < f->ntags; i++)
		if (strncasecmp(f->tags[i], prefix, n) == 0)
			return true;
	return false;
}

bool xh_finding_is_file(const struct xh_finding *f)
{
	return f && f->source && strcmp(f->source, XH_SOURCE_FILE) == 0;
}

bool xh_finding_is_build(const struct xh_finding *f)
{
	return f && f->source && strcmp(f->source, XH_SOURCE_BUILD) == 0;
}

const char *xh_finding_campaign(const struct xh_finding *f)
{
	if (xh_finding_is_build(f))
		return "";
	for (size_t i = 0; i < f->ntags; i++) {
		const char *c = xh_tag_campaign(f->tags[i]);
		if (c[0])
			return c;
	}
	return "";
}

const char *xh_verdict_name(enum xh_verdict v)
{
	static const char *const names[XH_VERDICT_COUNT] = {
		[XH_VERDICT_NOT_ASSESSED] = "NOT ASSESSED", [XH_VERDICT_CLEAN] = "NO EVIDENCE",
		[XH_VERDICT_ATTEMPTED] = "ATTEMPTED",       [XH_VERDICT_INCOMPLETE] = "INCOMPLETE",
		[XH_VERDICT_SUSPICIOUS] = "SUSPICIOUS",     [XH_VERDICT_COMPROMISED] = "COMPROMISED"};
	return (unsigned)v < XH_ARRAY_LEN(names) ? names[v] : "?";
}

void xh_host_span(const struct xh_host *h, const char *family, int64_t *first, int64_t *last)
{
	*first = *last = XH_TIME_NONE;
	for (size_t i = 0; i < h->nfamilies; i++) {
		const struct xh_cover_group *g = &h->families[i];
		if (family && strncmp(g->kind, family, strlen(family)) != 0)
			continue;
		if (g->first_ms != XH_TIME_NONE && (*first == XH_TIME_NONE || g->first_ms < *first))
			*first = g->first_ms;
		if (g->last_ms != XH_TIME_NONE && (*last == XH_TIME_NONE || g->last_ms > *last))
			*last = g->last_ms;
	}
}

/* ---- the informational fold ----------------------------------------------------------- */

bool xh_finding_foldable(const struct xh_finding *f)
{
	return f && f->level == XH_LEVEL_INFORMATIONAL && f->rule_id && f->time_ms != XH_TIME_NONE &&
	       !xh_finding_is_build(f) && !xh_finding_is_file(f);
}

int64_t xh_finding_fold_day(const struct xh_finding *f)
{
	return f->time_ms / 86400000;
}

void xh_finding_fold_into(struct xh_finding *keep, const struct xh_finding *other)
{
	int64_t last = other->count > 1 ? other->last_ms : other->time_ms;

	keep->count = (keep->count ? keep->count : 1) + (other->count ? other->count : 1);
	if (last != XH_TIME_NONE && (keep->last_ms == XH_TIME_NONE || last > keep->last_ms))
		keep->last_ms = last;
	/* several addresses (or one unknown): the note says so. keep->client points into
	 * keep's own block, so dropping it is safe */
	if (keep->client && (!other->client || strcmp(keep->client, other->client) != 0))
		keep->client = NULL;
}

/* ---- the emit handle (a record hook's way out) ------------------------------------------ */

xh_status xh_emit_finding(struct xh_emit *emit, const struct xh_finding *in)
{
	struct xh_flist *l = emit->findings;
	struct xh_finding named = *in, *f = &named;

	named.host = emit->host;
	named.host_id = emit->host_id;

	/* the rules of one record come one after the other: they join its one finding */
	if (l->n && same_record(l->f[l->n - 1], f)) {
		struct xh_finding *m = xh_finding_merge(l->f[l->n - 1], f);
		if (!m)
			return XH_ENOMEM;
		xh_finding_free(l->f[l->n - 1]);
		l->f[l->n - 1] = m;
		return XH_OK;
	}
	/* fold into an informational finding of the same rule and day among the last
	 * XH_FOLD_LOOKBACK of this file: a busy server sees thousands a day */
	if (xh_finding_foldable(f)) {
		int64_t day = xh_finding_fold_day(f);
		for (size_t i = l->n, k = 0; i-- > 0 && k < XH_FOLD_LOOKBACK; k++) {
			struct xh_finding *g = l->f[i];
			if (xh_finding_foldable(g) && xh_finding_fold_day(g) == day && strcmp(g->rule_id, f->rule_id) == 0) {
				xh_finding_fold_into(g, f);
				return XH_OK;
			}
		}
	}
	return xh_flist_push(l, f);
}

void *xh_emit_hook_state(struct xh_emit *emit)
{
	return emit->hook_state;
}
