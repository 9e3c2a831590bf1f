/*
 * Coverage: what each file gave, merged in evidence order into groups (source kind x
 * folder) of the report, with the whole UTC days inside each group's span that no
 * file's records reach (deleted or missing logs are the first thing an intruder tidies).
 */
#include "scan/coverage.h"

#include <stdio.h>
#include <stdlib.h>

/* Days spanned by each file of a group, to find the days no file covers. */
struct span {
	int64_t lo, hi; /* UTC day numbers, inclusive */
};
struct spans {
	struct span *s;
	size_t n, cap;
};

xh_status xh_coverage_init(struct xh_coverage *cv, struct xh_report *r)
{
	memset(cv, 0, sizeof *cv);
	cv->r = r;
	xh_buf_init(&cv->folder, XH_MAX_PATH + 1);
	return xh_buf_reserve(&cv->folder, XH_MAX_PATH + 1);
}

/* out holds XH_MAX_PATH + 1 bytes (reserved by xh_coverage_init): paths are shorter. */
static void folder_of(const char *path, struct xh_buf *out)
{
	const char *slash = strrchr(path, '/');
	out->len = 0;
	if (slash)
		xh_buf_add(out, path, (size_t)(slash - path));
	xh_buf_addc(out, '\0');
}

static int64_t day_of(int64_t ms)
{
	return ms >= 0 ? ms / 86400000 : (ms - 86399999) / 86400000;
}

static xh_status add_span(struct spans *sp, int64_t first_ms, int64_t last_ms)
{
	if (sp->n == sp->cap) {
		size_t ncap = sp->cap ? sp->cap * 2 : 16;
		struct span *ns = xh_realloc(sp->s, ncap * sizeof *ns);
		if (!ns)
			return XH_ENOMEM;
		sp->s = ns;
		sp->cap = ncap;
	}
	sp->s[sp->n].lo = day_of(first_ms);
	sp->s[sp->n].hi = day_of(last_ms);
	sp->n++;
	return XH_OK;
}

static int cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Whole days inside a group's span that no file's records reach. */
static void find_gaps(struct xh_cover_group *g, struct spans *sp)
{
	int64_t reach;

	if (sp->n == 0)
		return;
	qsort(sp->s, sp->n, sizeof *sp->s, cmp_span);
	reach = sp->s[0].hi;
	for (size_t i = 1; i < sp->n; i++) {
		if (sp->s[i].lo > reach + 1) {
			g->gap_days += (uint64_t)(sp->s[i].lo - reach - 1);
			if (g->ngaps < XH_COVER_REASONS) {
				g->gaps[g->ngaps].from_ms = (reach + 1) * 86400000;
				g->gaps[g->ngaps].to_ms = sp->s[i].lo * 86400000;
				g->ngaps++;
			}
			g->gaps_total++;
		}
		if (sp->s[i].hi > reach)
			reach = sp->s[i].hi;
	}
}


static struct xh_cover_group *group_for(struct xh_report *r, const char *kind, const char *folder,
                                        struct xh_coverage *cv, size_t *gi)
{
	struct xh_cover_group *g;

	for (size_t i = r->ngroups; i-- > 0;) {
		g = &r->groups[i];
		if (strcmp(g->kind, kind) == 0 && strcmp(g->folder, folder) == 0) {
			*gi = i;
			return g;
		}
	}
	if (r->ngroups == XH_MAX_GROUPS)
		return NULL;
	if (r->ngroups == cv->cap) {
		size_t ncap = cv->cap ? cv->cap * 2 : 32;
		struct xh_cover_group *ng = xh_realloc(r->groups, ncap * sizeof *ng);
		struct spans *nsp;
		if (!ng)
			return NULL;
		r->groups = ng;
		nsp = xh_realloc(cv->sp, ncap * sizeof *nsp);
		if (!nsp)
			return NULL;
		cv->sp = nsp;
		cv->cap = ncap;
	}
	memset(&cv->sp[r->ngroups], 0, sizeof cv->sp[r->ngroups]);
	*gi = r->ngroups;
	g = &r->groups[r->ngroups];
	memset(g, 0, sizeof *g);
	g->kind = kind;
	g->folder = xh_strdup(folder);
	if (!g->folder)
		return NULL;
	g->first_ms = g->last_ms = XH_TIME_NONE;
	r->ngroups++;
	return g;
}

static void add_reason(struct xh_reason *arr, size_t *n, const char *path, const char *what)
{
	if (*n >= XH_COVER_REASONS)
		return;
	snprintf(arr[*n].path, sizeof arr[*n].path, "%s", path);
	arr[*n].line = 0;
	arr[*n].offset = 0;
	snprintf(arr[*n].what, sizeof arr[*n].what, "%s", what);
	(*n)++;
}

xh_status xh_coverage_add(struct xh_coverage *cv, const struct xh_cover_file *res)
{
	const struct xh_entry *e = res->entry;
	struct xh_report *r = cv->r;
	struct xh_cover_group *g;
	const char *kind;
	size_t gi;

	folder_of(e->path, &cv->folder);
	if (e->skip && !e->unreadable)
		kind = "skipped";
	else if (res->source)
		kind = res->source->name;
	else
		kind = "unreadable";
	g = group_for(r, kind, cv->folder.p, cv, &gi);
	if (!g)
		return XH_ENOMEM;
	g->files++;
	r->files_total++;
	if (e->skip && !e->unreadable) {
		r->files_skipped++;
		add_reason(g->reasons, &g->nreasons, e->path, e->skip);
		return XH_OK;
	}
	if (e->skip || res->unreadable) {
		g->unreadable_files++;
		r->files_unreadable++;
		add_reason(g->unreadable, &g->nunreadable, e->path, e->skip ? e->skip : res->unreadable);
		if (e->skip)
			return XH_OK;
	} else {
		r->files_read++;
	}
	g->files_checked += res->checked;
	g->content_cut += res->cut;
	g->not_hashed += res->not_hashed;
	r->files_checked += res->checked;
	r->files_cut += res->cut;
	r->files_not_hashed += res->not_hashed;
	g->bytes += res->st->bytes;
	g->records += res->st->records;
	g->bad_records += res->st->bad;
	g->comments += res->st->comments;
	g->odd_comments += res->st->odd_comments;
	g->outside_window += res->st->outside_window;
	r->bytes_total += res->st->bytes;
	r->records += res->st->records;
	r->bad_records += res->st->bad;
	if (res->st->first_ms != XH_TIME_NONE && (g->first_ms == XH_TIME_NONE || res->st->first_ms < g->first_ms))
		g->first_ms = res->st->first_ms;
	if (res->st->last_ms != XH_TIME_NONE && (g->last_ms == XH_TIME_NONE || res->st->last_ms > g->last_ms))
		g->last_ms = res->st->last_ms;
	for (size_t k = 0; k < res->st->nreasons && g->nreasons < XH_COVER_REASONS; k++)
		g->reasons[g->nreasons++] = res->st->reasons[k];
	if (res->st->first_ms != XH_TIME_NONE)
		return add_span(&cv->sp[gi], res->st->first_ms, res->st->last_ms);
	return XH_OK;
}


void xh_coverage_finish(struct xh_coverage *cv)
{
	for (size_t g = 0; cv->sp && g < cv->r->ngroups; g++) {
		find_gaps(&cv->r->groups[g], &cv->sp[g]);
		xh_free(cv->sp[g].s);
	}
	xh_free(cv->sp);
	cv->sp = NULL;
	xh_buf_free(&cv->folder);
}
