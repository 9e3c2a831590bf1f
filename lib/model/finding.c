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
	size_t total = sizeof *f, excerpt = f->excerpt.p ? f->excerpt.n : 0;
	struct xh_finding *d;
	char *cur;
	const char **tags, **refs;
	struct xh_kv *kv;

	if (excerpt > XH_MAX_LINE)
		excerpt = XH_MAX_LINE;
	total += slen(f->rule_id) + slen(f->title) + slen(f->host) + slen(f->source) + slen(f->path);
	total += slen(f->rule_name) + slen(f->note) + slen(f->client) + slen(f->origin) + slen(f->server);
	total += (f->ntags + f->nreferences) * sizeof(char *) + f->nfields * sizeof(struct xh_kv);
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
	/* pointer arrays first (aligned right after the struct), then the bytes */
	tags = (const char **)(d + 1);
	refs = tags + f->ntags;
	kv = (struct xh_kv *)(refs + f->nreferences);
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

xh_status xh_flist_relevel(struct xh_flist *l, size_t i, enum xh_level level, const char *note)
{
	struct xh_finding f = *l->f[i], *d;
	char buf[768];

	if (l->f[i]->note && note) {
		/* keep what an earlier step said */
		snprintf(buf, sizeof buf, "%s; %s", l->f[i]->note, note);
		note = buf;
	}
	f.level = level;
	if (note)
		f.note = note;
	d = xh_finding_dup(&f);
	if (!d)
		return XH_ENOMEM;
	xh_finding_free(l->f[i]);
	l->f[i] = d;
	return XH_OK;
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
