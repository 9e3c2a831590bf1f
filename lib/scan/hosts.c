/*
 * The report's hosts: made from the walker's (evidence/hosts.c) before the workers start,
 * fed with each file's counts and the server its records name as files are merged in
 * evidence order, and, after the last file, a host the evidence could not name (a single
 * log file) named from its records, and any host whose records name other servers said
 * so: a collection mislabelled, or two servers' logs in one folder, is a notice, never a
 * silent choice.
 */
#include "scan/hosts.h"

#include <stdio.h>
#include <strings.h>

xh_status xh_report_hosts_init(struct xh_report *r, const struct xh_vfs *v)
{
	r->hosts = xh_calloc(v->nhosts ? v->nhosts : 1, sizeof *r->hosts);
	if (!r->hosts)
		return XH_ENOMEM;
	for (size_t i = 0; i < v->nhosts; i++) {
		struct xh_host *h = &r->hosts[i];
		const struct xh_evhost *e = &v->hosts[i];
		r->nhosts++;
		h->name = xh_strdup(e->name);
		h->collection = xh_strdup(e->folder);
		if (!h->name || !h->collection)
			return XH_ENOMEM;
		h->named_by = e->named_by;
		h->evidence = v->roots[e->root].arg;
		h->first_compromise = h->last_activity = XH_TIME_NONE;
		h->exposed_from = h->exposed_to = XH_TIME_NONE;
	}
	return XH_OK;
}

/* The part of a server name before its first dot, for comparing "EXCH01" with
 * "exch01.contoso.local". */
static size_t short_len(const char *s)
{
	const char *dot = strchr(s, '.');
	return dot ? (size_t)(dot - s) : strlen(s);
}

static bool same_server(const char *a, const char *b)
{
	size_t n = short_len(a);
	return n == short_len(b) && strncasecmp(a, b, n) == 0;
}

void xh_report_host_file(struct xh_host *h, const char *server)
{
	size_t len, k;

	if (!server || !server[0])
		return;
	/* each distinct server once; the list is for people, a few names are enough */
	for (const char *p = h->names_seen; *p;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		if (n == strlen(server) && strncasecmp(p, server, n) == 0)
			return;
		p += n + (comma ? 2 : 0);
	}
	len = strlen(h->names_seen);
	k = strlen(server);
	if (len + k + 3 < sizeof h->names_seen)
		snprintf(h->names_seen + len, sizeof h->names_seen - len, "%s%s", len ? ", " : "", server);
}

void xh_report_hosts_finish(struct xh_report *r)
{
	for (size_t i = 0; i < r->nhosts; i++) {
		struct xh_host *h = &r->hosts[i];
		bool match = false;
		if (!h->names_seen[0])
			continue;
		if (strcmp(h->named_by, "unknown") == 0) {
			/* the first server its records name (the list keeps their order) */
			const char *comma = strchr(h->names_seen, ',');
			char *name = xh_strndup(h->names_seen, comma ? (size_t)(comma - h->names_seen) : strlen(h->names_seen));
			if (name) {
				xh_free(h->name);
				h->name = name;
				h->named_by = "log content";
			}
		}
		for (const char *p = h->names_seen; *p && !match;) {
			const char *comma = strchr(p, ',');
			size_t n = comma ? (size_t)(comma - p) : strlen(p);
			char one[XH_FINDING_HOST];
			snprintf(one, sizeof one, "%.*s", (int)n, p);
			match = same_server(one, h->name);
			p += n + (comma ? 2 : 0);
		}
		h->name_differs = !match;
	}
}

void xh_report_hosts_free(struct xh_report *r)
{
	for (size_t i = 0; i < r->nhosts; i++) {
		xh_free(r->hosts[i].name);
		xh_free(r->hosts[i].collection);
		for (size_t k = 0; k < r->hosts[i].nfamilies; k++)
			xh_free(r->hosts[i].families[k].folder);
		xh_free(r->hosts[i].families);
	}
	xh_free(r->hosts);
	r->hosts = NULL;
	r->nhosts = 0;
}
