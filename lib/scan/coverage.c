/*
 * Coverage: what each file gave, merged in evidence order into the report's groups
 * (host x source kind x folder) and into its host's log families ("IIS", "HttpProxy
 * Ecp", "ECP", "Security", ...), with the whole UTC days inside each group's span that no
 * file's records reach (deleted or missing logs are the first thing an intruder tidies).
 * Groups are found through a hash of their key, so a collection of many folders costs
 * linear time; past XH_MAX_GROUPS folders a host's further folders share one group per
 * kind, named as such, so nothing goes uncounted.
 */
#define _GNU_SOURCE
#include "scan/coverage.h"

#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

/* Days spanned by each file of a group, to find the days no file covers. */
struct span {
	int64_t lo, hi; /* UTC day numbers, inclusive */
};
struct spans {
	struct span *s;
	size_t n, cap;
};

/* A set of groups (the report's, or one host's families) and its index. */
struct xh_cover_table {
	struct xh_cover_group **g; /* the array it fills (r->groups, h->families) */
	size_t *n;
	size_t cap;
	struct spans *sp;          /* one per group */
	uint32_t *slot;            /* open addressing: group index + 1, 0 empty */
	size_t nslot;              /* a power of two, at least twice the groups */
};

#define XH_OVERFLOW_FOLDER "(folders beyond the limit)"

static void table_init(struct xh_cover_table *t, struct xh_cover_group **g, size_t *n)
{
	memset(t, 0, sizeof *t);
	t->g = g;
	t->n = n;
}

static void table_free(struct xh_cover_table *t)
{
	for (size_t i = 0; t->sp && i < *t->n; i++)
		xh_free(t->sp[i].s);
	xh_free(t->sp);
	xh_free(t->slot);
	t->sp = NULL;
	t->slot = NULL;
}

xh_status xh_coverage_init(struct xh_coverage *cv, struct xh_report *r)
{
	memset(cv, 0, sizeof *cv);
	cv->r = r;
	xh_buf_init(&cv->folder, XH_MAX_PATH + 1);
	cv->folders = xh_calloc(1, sizeof *cv->folders);
	cv->families = xh_calloc(r->nhosts ? r->nhosts : 1, sizeof *cv->families);
	if (!cv->folders || !cv->families)
		return XH_ENOMEM;
	table_init(cv->folders, &r->groups, &r->ngroups);
	for (size_t h = 0; h < r->nhosts; h++)
		table_init(&cv->families[h], &r->hosts[h].families, &r->hosts[h].nfamilies);
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
	xh_status st = xh_grow((void **)&sp->s, &sp->cap, sp->n + 1, sizeof *sp->s);

	if (st)
		return st;
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

static uint64_t key_hash(uint32_t host, const char *kind, const char *folder)
{
	uint64_t h = 1469598103934665603ull ^ host;
	for (const char *p = kind; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	h = (h ^ 0xff) * 1099511628211ull;
	for (const char *p = folder; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return h;
}

static bool key_is(const struct xh_cover_group *g, uint32_t host, const char *kind, const char *folder)
{
	return g->host == host && strcmp(g->kind, kind) == 0 && strcmp(g->folder, folder) == 0;
}

/* Doubles the index when it is half full. */
static xh_status table_rehash(struct xh_cover_table *t)
{
	size_t n = t->nslot ? t->nslot * 2 : 64;
	uint32_t *slot = xh_calloc(n, sizeof *slot);

	if (!slot)
		return XH_ENOMEM;
	for (size_t i = 0; i < *t->n; i++) {
		const struct xh_cover_group *g = &(*t->g)[i];
		size_t k = (size_t)key_hash(g->host, g->kind, g->folder) & (n - 1);
		while (slot[k])
			k = (k + 1) & (n - 1);
		slot[k] = (uint32_t)i + 1;
	}
	xh_free(t->slot);
	t->slot = slot;
	t->nslot = n;
	return XH_OK;
}

/* The group of a key, made when new; past XH_MAX_GROUPS the overflow group of its host
 * and kind. kind must outlive the report (source names, family names of the table). */
static xh_status group_for(struct xh_cover_table *t, uint32_t host, const char *kind, const char *folder,
                           struct xh_cover_group **out, struct spans **sp)
{
	struct xh_cover_group *g;
	size_t k;
	xh_status st;

	if ((*t->n + 1) * 2 > t->nslot && (st = table_rehash(t)) != XH_OK)
		return st;
	for (k = (size_t)key_hash(host, kind, folder) & (t->nslot - 1); t->slot[k]; k = (k + 1) & (t->nslot - 1)) {
		g = &(*t->g)[t->slot[k] - 1];
		if (key_is(g, host, kind, folder)) {
			*out = g;
			*sp = &t->sp[t->slot[k] - 1];
			return XH_OK;
		}
	}
	if (*t->n >= XH_MAX_GROUPS && strcmp(folder, XH_OVERFLOW_FOLDER) != 0)
		return group_for(t, host, kind, XH_OVERFLOW_FOLDER, out, sp);
	{
		size_t cap = t->cap, scap = t->cap;
		if ((st = xh_grow((void **)t->g, &cap, *t->n + 1, sizeof **t->g)) != XH_OK ||
		    (st = xh_grow((void **)&t->sp, &scap, *t->n + 1, sizeof *t->sp)) != XH_OK)
			return st;
		t->cap = cap < scap ? cap : scap;
	}
	g = &(*t->g)[*t->n];
	memset(g, 0, sizeof *g);
	memset(&t->sp[*t->n], 0, sizeof t->sp[*t->n]);
	g->kind = kind;
	g->host = host;
	g->folder = xh_strdup(folder);
	if (!g->folder)
		return XH_ENOMEM;
	g->first_ms = g->last_ms = XH_TIME_NONE;
	t->slot[k] = (uint32_t)(*t->n) + 1;
	*out = g;
	*sp = &t->sp[*t->n];
	(*t->n)++;
	return XH_OK;
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

/* ---- log families --------------------------------------------------------------------- */

/* The family a file counts under in its host's coverage. The name must outlive the
 * report: a table entry, or an event log channel of the table below. */
static const struct family {
	const char *source;   /* source name, or NULL for a rule on the path */
	const char *path;     /* a path part (case-insensitive), or NULL */
	const char *name;
} families[] = {
	{"iis", NULL, "IIS"},
	{"httperr", NULL, "HTTPERR"},
	{"ecp_server", NULL, "ECP"},
	{"ecp_activity", NULL, "ECP"},
	{"oabgen", NULL, "OAB generator"},
	{"rps_http", NULL, "Remote PowerShell"},
	{"rps_cmdlet", NULL, "Remote PowerShell"},
	{"ews", NULL, "EWS"},
	{"owa", NULL, "OWA"},
	{"msgtrk", NULL, "Message tracking"},
	{"exchange_csv", NULL, "Exchange logs (other)"},
	{"text", NULL, "other text logs"},
	/* a file that could not be read says by its place what it would have been */
	{NULL, "/LogFiles/W3SVC", "IIS"},
	{NULL, "/LogFiles/HTTPERR", "HTTPERR"},
	{NULL, "/Logging/ECP/", "ECP"},
	{NULL, "/Logging/OABGeneratorLog/", "OAB generator"},
	{NULL, "/Logging/CmdletInfra/", "Remote PowerShell"},
};

/* The event log channels a family is named by; others are "other event logs". */
static const struct channel {
	const char *prefix;   /* of the channel name, or of the file name with %4 for '/' */
	const char *name;
} channels[] = {
	{"Security", "Security"},
	{"System", "System"},
	{"Application", "Application"},
	{"MSExchange Management", "MSExchange Management"},
	{"Windows PowerShell", "PowerShell"},
	{"Microsoft-Windows-PowerShell", "PowerShell"},
	{"Microsoft-Windows-Sysmon", "Sysmon"},
	{"Microsoft-Windows-Windows Defender", "Windows Defender"},
	{"ForwardedEvents", "Forwarded events"},
};

static const char *channel_family(const char *s, size_t n)
{
	for (size_t i = 0; i < XH_ARRAY_LEN(channels); i++) {
		size_t k = strlen(channels[i].prefix);
		if (n >= k && strncasecmp(s, channels[i].prefix, k) == 0)
			return channels[i].name;
	}
	return "other event logs";
}

/* "HttpProxy <Protocol>" from ".../Logging/HttpProxy/<Protocol>/...": the protocol
 * folders Exchange 2013-SE write. */
static const char *const proxy_protocols[] = {
	"Autodiscover", "Eas", "Ecp", "Ews", "Mapi", "Oab", "Owa", "OwaCalendar", "PowerShell", "RpcHttp",
	"ReportingWebService", "PushNotifications", "Rest", "O365SuiteService", "EwsReportingWebService",
};
static const char *const proxy_families[] = {
	"HttpProxy Autodiscover", "HttpProxy Eas", "HttpProxy Ecp", "HttpProxy Ews", "HttpProxy Mapi",
	"HttpProxy Oab", "HttpProxy Owa", "HttpProxy OwaCalendar", "HttpProxy PowerShell", "HttpProxy RpcHttp",
	"HttpProxy ReportingWebService", "HttpProxy PushNotifications", "HttpProxy Rest",
	"HttpProxy O365SuiteService", "HttpProxy EwsReportingWebService",
};
_Static_assert(XH_ARRAY_LEN(proxy_protocols) == XH_ARRAY_LEN(proxy_families), "one family per protocol");

static const char *httpproxy_family(const char *path)
{
	const char *p = strcasestr(path, "/HttpProxy/"), *end;

	if (!p)
		return "HttpProxy";
	p += 11;
	end = strchr(p, '/');
	for (size_t i = 0; end && i < XH_ARRAY_LEN(proxy_protocols); i++)
		if ((size_t)(end - p) == strlen(proxy_protocols[i]) && strncasecmp(p, proxy_protocols[i], (size_t)(end - p)) == 0)
			return proxy_families[i];
	return "HttpProxy (other)";
}

static const char *family_of(const struct xh_cover_file *f)
{
	const char *path = f->entry->path, *base = strrchr(path, '/');
	const char *src = f->source ? f->source->name : NULL;

	base = base ? base + 1 : path;
	if (src && strcmp(src, "httpproxy") == 0)
		return httpproxy_family(path);
	if (src && strcmp(src, "evtx") == 0 && f->channel && f->channel[0])
		return channel_family(f->channel, strlen(f->channel));
	for (size_t i = 0; i < XH_ARRAY_LEN(families); i++)
		if (src ? families[i].source && strcmp(families[i].source, src) == 0
		        : families[i].path && strcasestr(path, families[i].path))
			return families[i].name;
	if ((!src || strcmp(src, "evtx") == 0) && strlen(base) > 5 && strcasecmp(base + strlen(base) - 5, ".evtx") == 0)
		return channel_family(base, strlen(base) - 5);
	if (!src && strcasestr(path, "/HttpProxy/"))
		return httpproxy_family(path);
	return NULL; /* web files, archives, other files: not a log family */
}

/* ---- adding a file ----------------------------------------------------------------------- */

/* Adds one read (or unreadable) file to a group. */
static xh_status count(struct xh_cover_group *g, struct spans *sp, const struct xh_cover_file *res, bool unreadable)
{
	const struct xh_entry *e = res->entry;

	g->files++;
	if (unreadable) {
		g->unreadable_files++;
		add_reason(g->unreadable, &g->nunreadable, e->path, e->skip ? e->skip : res->unreadable);
		if (e->skip)
			return XH_OK;
	}
	g->files_checked += res->checked;
	g->content_cut += res->cut;
	g->not_hashed += res->not_hashed;
	g->bytes += res->st->bytes;
	g->records += res->st->records;
	g->bad_records += res->st->bad;
	g->comments += res->st->comments;
	g->odd_comments += res->st->odd_comments;
	g->outside_window += res->st->outside_window;
	if (res->st->first_ms != XH_TIME_NONE && (g->first_ms == XH_TIME_NONE || res->st->first_ms < g->first_ms))
		g->first_ms = res->st->first_ms;
	if (res->st->last_ms != XH_TIME_NONE && (g->last_ms == XH_TIME_NONE || res->st->last_ms > g->last_ms))
		g->last_ms = res->st->last_ms;
	for (size_t k = 0; k < res->st->nreasons && g->nreasons < XH_COVER_REASONS; k++)
		g->reasons[g->nreasons++] = res->st->reasons[k];
	if (res->st->first_ms != XH_TIME_NONE)
		return add_span(sp, res->st->first_ms, res->st->last_ms);
	return XH_OK;
}

xh_status xh_coverage_add(struct xh_coverage *cv, const struct xh_cover_file *res)
{
	const struct xh_entry *e = res->entry;
	struct xh_report *r = cv->r;
	struct xh_host *h = &r->hosts[e->host];
	struct xh_cover_group *g;
	struct spans *sp;
	const char *kind, *family;
	bool skipped = e->skip && !e->unreadable, unreadable = !skipped && (e->skip || res->unreadable);
	xh_status st;

	folder_of(e->path, &cv->folder);
	kind = skipped ? "skipped" : res->source ? res->source->name : "unreadable";
	if ((st = group_for(cv->folders, e->host, kind, cv->folder.p, &g, &sp)) != XH_OK)
		return st;
	r->files_total++;
	h->files++;
	if (skipped) {
		g->files++;
		r->files_skipped++;
		add_reason(g->reasons, &g->nreasons, e->path, e->skip);
		return XH_OK;
	}
	if (unreadable) {
		r->files_unreadable++;
		h->files_unreadable++;
	} else {
		r->files_read++;
		h->files_read++;
	}
	if (!e->skip) {
		r->files_checked += res->checked;
		r->files_cut += res->cut;
		r->files_not_hashed += res->not_hashed;
		r->bytes_total += res->st->bytes;
		r->records += res->st->records;
		r->bad_records += res->st->bad;
		h->bytes += res->st->bytes;
		h->records += res->st->records;
		h->bad_records += res->st->bad;
	}
	if ((st = count(g, sp, res, unreadable)) != XH_OK)
		return st;
	family = family_of(res);
	if (!family)
		return XH_OK;
	if ((st = group_for(&cv->families[e->host], e->host, family, "", &g, &sp)) != XH_OK)
		return st;
	return count(g, sp, res, unreadable);
}

void xh_coverage_finish(struct xh_coverage *cv)
{
	struct xh_report *r = cv->r;

	if (cv->folders) {
		for (size_t g = 0; cv->folders->sp && g < r->ngroups; g++)
			find_gaps(&r->groups[g], &cv->folders->sp[g]);
		table_free(cv->folders);
	}
	for (size_t h = 0; cv->families && h < r->nhosts; h++) {
		for (size_t g = 0; cv->families[h].sp && g < r->hosts[h].nfamilies; g++)
			find_gaps(&r->hosts[h].families[g], &cv->families[h].sp[g]);
		table_free(&cv->families[h]);
	}
	xh_free(cv->folders);
	xh_free(cv->families);
	cv->folders = NULL;
	cv->families = NULL;
	xh_buf_free(&cv->folder);
}
