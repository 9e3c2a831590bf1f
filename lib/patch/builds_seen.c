/*
 * Which Exchange build(s) the server ran, and when, from the evidence itself:
 *
 *   HttpProxy / Rps logs:  ...,15,1,2176,2,...   (MajorVersion..RevisionVersion per record)
 *   Exchange log headers:  #Version: 15.01.2176.002
 *   ECP server log:        S:BLD=15.1.2176.2
 *   web root folders:      FrontEnd/HttpProxy/owa/auth/15.1.2176/   (CU only, no time)
 *
 * Each worker collects, per file, the distinct builds with first and last time and how
 * many records showed them; the scan merges them and reports one informational finding
 * per build with what it leaves open (lib/patch/build.c). A security update installed during
 * the evidence shows as a new build taking over.
 */
#include "patch/builds_seen.h"
#include "model/finding.h"

#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

static int col(const struct xh_schema *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcasecmp(s->names[i], name) == 0)
			return (int)i;
	return -1;
}

static bool field_num(const struct xh_record *r, int i, unsigned max, unsigned *out)
{
	struct xh_sv v;
	uint64_t n;

	if (i < 0 || (size_t)i >= r->nfields)
		return false;
	v = r->fields[i];
	if (!xh_sv_u64(v, 5, &n) || n > max)
		return false;
	*out = (unsigned)n;
	return true;
}

/* Field by field: the struct has padding, memcmp would compare garbage. */
static bool same(const struct xh_build *a, const struct xh_build *b)
{
	return a->major == b->major && a->minor == b->minor && a->build == b->build &&
	       a->rev_known == b->rev_known && (!a->rev_known || a->rev == b->rev);
}

static void add(struct xh_builds_seen *s, const struct xh_build *b, int64_t ms, unsigned source,
                const struct xh_record *r)
{
	struct xh_build_seen *o = NULL;

	if (b->build == 0)
		return; /* "15.00.0000.000" placeholders of some log types */
	if (s->last < s->n && same(&s->v[s->last].b, b)) {
		o = &s->v[s->last];
	} else {
		for (size_t i = 0; i < s->n; i++)
			if (same(&s->v[i].b, b))
				o = &s->v[i];
		if (!o) {
			if (s->n == XH_MAX_BUILDS_SEEN || xh_grow((void **)&s->v, &s->cap, s->n + 1, sizeof *s->v)) {
				s->dropped++;
				return;
			}
			o = &s->v[s->n];
			memset(o, 0, sizeof *o);
			o->b = *b;
			o->first_ms = o->last_ms = XH_TIME_NONE;
			if (r) {
				snprintf(o->path, sizeof o->path, "%s", r->path);
				o->line = r->line;
			}
			s->n++;
		}
		s->last = (size_t)(o - s->v);
	}
	o->n++;
	o->sources |= source;
	if (ms != XH_TIME_NONE) {
		if (o->first_ms == XH_TIME_NONE || ms < o->first_ms)
			o->first_ms = ms;
		if (o->last_ms == XH_TIME_NONE || ms > o->last_ms)
			o->last_ms = ms;
	}
}

void xh_builds_seen_record(struct xh_builds_seen *s, struct xh_builds_seen_cache *c, const struct xh_record *r)
{
	const char *src = r->source->name;
	struct xh_build b;

	if (r->bad || r->source->format != XH_FMT_EXCHANGE_CSV)
		return; /* only Exchange logs carry builds: IIS records cost one test */
	if (strcmp(src, "httpproxy") == 0 || strncmp(src, "rps_", 4) == 0) {
		if (!r->schema)
			return;
		if (c->schema_id != r->schema->id) {
			c->schema_id = r->schema->id;
			c->col[0] = col(r->schema, "MajorVersion");
			c->col[1] = col(r->schema, "MinorVersion");
			c->col[2] = col(r->schema, "BuildVersion");
			c->col[3] = col(r->schema, "RevisionVersion");
		}
		b.rev_known = true;
		if (field_num(r, c->col[0], 99, &b.major) && field_num(r, c->col[1], 99, &b.minor) &&
		    field_num(r, c->col[2], 99999, &b.build) && field_num(r, c->col[3], 9999, &b.rev))
			add(s, &b, r->time_ms, XH_SEEN_RECORDS, r);
	} else if (strncmp(src, "ecp", 3) == 0) {
		struct xh_sv v;
		if (xh_record_get(r, "S:BLD", &v) && v.p && xh_build_parse(v.p, v.n, &b))
			add(s, &b, r->time_ms, XH_SEEN_ECP, r);
	}
	/* #Version header: parsed once per distinct header text */
	if (r->version.p && r->version.n < sizeof c->version) {
		if (r->version.n != c->version_len || memcmp(r->version.p, c->version, r->version.n) != 0) {
			memcpy(c->version, r->version.p, r->version.n);
			c->version_len = r->version.n;
			c->version_ok = xh_build_parse(r->version.p, r->version.n, &c->version_build);
		}
		if (c->version_ok)
			add(s, &c->version_build, r->time_ms, XH_SEEN_HEADER, r);
	}
}

void xh_builds_seen_path(struct xh_builds_seen *s, const char *path)
{
	/* .../owa/auth/15.1.2176/... : the CU's resource folder Exchange setup writes */
	const char *p = path;

	while ((p = strstr(p, "owa/auth/")) != NULL) {
		const char *q = p + 9, *slash = strchr(q, '/');
		struct xh_build b;
		if (slash && xh_build_parse(q, (size_t)(slash - q), &b) && !b.rev_known) {
			struct xh_record r;
			memset(&r, 0, sizeof r);
			r.path = path;
			add(s, &b, XH_TIME_NONE, XH_SEEN_WEBROOT, &r);
			return;
		}
		p = q;
	}
}

void xh_builds_seen_free(struct xh_builds_seen *s)
{
	xh_free(s->v);
	memset(s, 0, sizeof *s);
}

void xh_builds_seen_merge(struct xh_builds_seen *into, const struct xh_builds_seen *from)
{
	for (size_t i = 0; i < from->n; i++) {
		const struct xh_build_seen *f = &from->v[i];
		struct xh_build_seen *o = NULL;
		for (size_t k = 0; k < into->n; k++)
			if (same(&into->v[k].b, &f->b))
				o = &into->v[k];
		if (!o) {
			if (into->n == XH_MAX_BUILDS_SEEN || xh_grow((void **)&into->v, &into->cap, into->n + 1, sizeof *into->v)) {
				into->dropped++;
				continue;
			}
			into->v[into->n++] = *f;
			continue;
		}
		o->n += f->n;
		o->sources |= f->sources;
		if (f->first_ms != XH_TIME_NONE && (o->first_ms == XH_TIME_NONE || f->first_ms < o->first_ms)) {
			o->first_ms = f->first_ms;
			memcpy(o->path, f->path, sizeof o->path);
			o->line = f->line;
		}
		if (f->last_ms != XH_TIME_NONE && (o->last_ms == XH_TIME_NONE || f->last_ms > o->last_ms))
			o->last_ms = f->last_ms;
	}
	into->dropped += from->dropped;
}

static int cmp_obs(const void *a, const void *b)
{
	const struct xh_build_seen *x = a, *y = b;
	/* timed builds in time order, then the CU-only folder names */
	if ((x->first_ms == XH_TIME_NONE) != (y->first_ms == XH_TIME_NONE))
		return x->first_ms == XH_TIME_NONE ? 1 : -1;
	if (x->first_ms != y->first_ms)
		return x->first_ms < y->first_ms ? -1 : 1;
	/* then by the build itself, so that the order never depends on arrival */
	if (x->b.major != y->b.major)
		return x->b.major < y->b.major ? -1 : 1;
	if (x->b.minor != y->b.minor)
		return x->b.minor < y->b.minor ? -1 : 1;
	if (x->b.build != y->b.build)
		return x->b.build < y->b.build ? -1 : 1;
	if (x->b.rev_known != y->b.rev_known)
		return x->b.rev_known ? 1 : -1;
	return x->b.rev < y->b.rev ? -1 : x->b.rev > y->b.rev;
}

static void sources_text(unsigned s, char *buf, size_t cap)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {{XH_SEEN_RECORDS, "HttpProxy/PowerShell records"},
	             {XH_SEEN_HEADER, "#Version headers"},
	             {XH_SEEN_ECP, "ECP S:BLD"},
	             {XH_SEEN_WEBROOT, "owa/auth folder name"}};
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (s & names[i].bit)
			n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, "%s%s", n ? ", " : "", names[i].name);
}

xh_status xh_builds_seen_report(struct xh_builds_seen *s, xh_status (*emit)(void *ud, const struct xh_finding *f),
                         void *ud)
{
	if (s->n > 1)
		qsort(s->v, s->n, sizeof *s->v, cmp_obs);
	for (size_t i = 0; i < s->n; i++) {
		const struct xh_build_seen *o = &s->v[i];
		struct xh_build_info bi;
		char ver[32], first[40], last[40], src[128], open[512], title[160], excerpt[900], count[32];
		const char *tags[XH_MAX_CVES];
		char tagbuf[XH_MAX_CVES][24];
		struct xh_kv kv[8];
		size_t ntags = 0, nk = 0, on = 0;
		struct xh_finding f;
		xh_status st;

		xh_build_format(&o->b, ver, sizeof ver);
		if (xh_build_assess(&o->b, &bi) != XH_OK)
			continue;
		xh_time_format(o->first_ms, first, sizeof first);
		xh_time_format(o->last_ms, last, sizeof last);
		sources_text(o->sources, src, sizeof src);
		open[0] = '\0';
		for (size_t k = 0; k < bi.ncves; k++) {
			if (bi.cves[k].state != XH_CVE_VULNERABLE)
				continue;
			on += (size_t)snprintf(open + on, on < sizeof open ? sizeof open - on : 0, "%s%s", on ? ", " : "",
			                       bi.cves[k].cve);
			/* Sigma tag convention: cve.2021-26855 */
			snprintf(tagbuf[ntags], sizeof tagbuf[ntags], "cve.%s", bi.cves[k].cve + 4);
			tags[ntags] = tagbuf[ntags];
			ntags++;
		}
		snprintf(title, sizeof title, "Exchange build %s (%s %s) %s", ver, bi.product_name,
		         bi.cu ? bi.cu : "?", o->first_ms == XH_TIME_NONE ? "installed at some time" : "in use");
		if (o->first_ms == XH_TIME_NONE)
			snprintf(excerpt, sizeof excerpt, "%s seen in %s (CU only, no time); open CVEs cannot be judged "
			         "without the revision", ver, src);
		else
			snprintf(excerpt, sizeof excerpt, "ran %s from %.16s until %.16s UTC (%s); open to: %s", ver, first,
			         last, src, open[0] ? open : "none of the tracked CVEs");
		snprintf(count, sizeof count, "%llu", (unsigned long long)o->n);
		kv[nk++] = (struct xh_kv){"build", xh_sv_make(ver, strlen(ver))};
		kv[nk++] = (struct xh_kv){"product", xh_sv_make(bi.product_name, strlen(bi.product_name))};
		if (bi.cu)
			kv[nk++] = (struct xh_kv){"cu", xh_sv_make(bi.cu, strlen(bi.cu))};
		if (bi.update)
			kv[nk++] = (struct xh_kv){"update", xh_sv_make(bi.update[0] ? bi.update : "CU release",
			                                               strlen(bi.update[0] ? bi.update : "CU release"))};
		if (o->last_ms != XH_TIME_NONE)
			kv[nk++] = (struct xh_kv){"last_seen", xh_sv_make(last, strlen(last))};
		kv[nk++] = (struct xh_kv){"seen_in", xh_sv_make(src, strlen(src))};
		kv[nk++] = (struct xh_kv){"observations", xh_sv_make(count, strlen(count))};
		kv[nk++] = (struct xh_kv){"open_cves", xh_sv_make(open, strlen(open))};
		memset(&f, 0, sizeof f);
		f.rule_id = "EXH-BUILD";
		f.title = title;
		f.level = f.rule_level = XH_LEVEL_INFORMATIONAL;
		f.tags = tags;
		f.ntags = ntags;
		f.time_ms = o->first_ms;
		f.source = XH_SOURCE_BUILD;
		f.path = o->path;
		f.line = o->line;
		f.fields = kv;
		f.nfields = nk;
		f.excerpt = xh_sv_make(excerpt, strlen(excerpt));
		st = emit(ud, &f);
		if (st)
			return st;
	}
	return XH_OK;
}
