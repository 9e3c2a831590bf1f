/*
 * Findings outlive the record they came from (they are sorted, grouped and written
 * after the file is read), so the library deep-copies each one into a single block:
 * one allocation, one free, no dangling views into reader buffers.
 */
#include "model/finding.h"

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
	total += slen(f->rule_name) + slen(f->note) + slen(f->client) + slen(f->origin);
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

void xh_finding_context(struct xh_finding *f, const struct xh_record *r, char *host, size_t hcap, char *client,
                        size_t ccap)
{
	static const char *const hosts[] = {"s-computername", "ServerHostName", "ServerName", "Computer", NULL};
	static const char *const clients[] = {"c-ip", "ClientIpAddress", "ClientIp", NULL};
	char *comma;

	f->host = first_field(r, hosts, host, hcap);
	f->client = first_field(r, clients, client, ccap);
	/* a proxied chain "client, proxy" names the client first */
	if (f->client && (comma = strchr(client, ',')) != NULL)
		*comma = '\0';
}
