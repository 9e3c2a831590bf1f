/*
 * The verdict of one host, from its judged findings and its coverage, and the fleet's.
 * A closed list (exhunt.h, enum xh_verdict), reached in this order:
 *
 *   NOT ASSESSED  no detection ran, or the host has nothing to read (no record, no
 *                 file the checks looked at);
 *   COMPROMISED   a critical finding (the pack's level for a successful exploitation, a
 *                 shell written or run, post-exploitation proven), or web shell use in the
 *                 logs (attack.t1505.003) at high or above;
 *   SUSPICIOUS    a high finding that is not a failed attempt (exploitation traffic whose
 *                 outcome the logs do not show, post-exploitation traces, files out of
 *                 place), or medium findings that are not exploitation (to review);
 *   ATTEMPTED     exploitation of the application (attack.t1190) only at medium, or at
 *                 high but failed: a rule tagged exhunt.outcome.failed (refused, blocked),
 *                 or lowered because the build running then was already fixed;
 *   NO EVIDENCE   nothing at medium or above in what was read.
 * A host with NO EVIDENCE or ATTEMPTED whose evidence was not all read (unreadable files
 * or folders, bad records beyond a small share) is INCOMPLETE instead: what was not read
 * may hold what the rest does not show. Every reason says what the answer rests on,
 * including coverage that does not reach back to when the host was exposed.
 */
#include "judge/judge.h"
#include "model/campaign.h"
#include "patch/builds.h"

#include <stdio.h>
#include <strings.h>

/* Bad records that make a host's evidence incomplete: more than this share of its
 * records, and at least this many (a cut, attacker-stuffed line is one bad record of a
 * log that was otherwise read; a truncated or corrupt file gives hundreds). */
#define BAD_SHARE 0.01
#define BAD_MIN 10

/* A failed attempt by its rule's own statement (the pack tags failed-outcome rules), or by
 * the build running then (weigh_builds' note). */
static bool failed_attempt(const struct xh_finding *f)
{
	return xh_finding_has_tag(f, "exhunt.outcome.failed") ||
	       (f->note && strstr(f->note, "already fixed for") && f->level < f->rule_level);
}

static bool shell_use(const struct xh_finding *f)
{
	return !xh_finding_is_file(f) && f->level >= XH_LEVEL_HIGH && xh_finding_has_tag(f, "attack.t1505.003");
}

static bool compromise(const struct xh_finding *f)
{
	return f->level == XH_LEVEL_CRITICAL || shell_use(f);
}

static const char *field(const struct xh_finding *f, const char *name)
{
	static _Thread_local char buf[XH_MAX_PATH + 1];
	for (size_t i = 0; i < f->nfields; i++)
		if (strcasecmp(f->fields[i].name, name) == 0 && f->fields[i].value.p) {
			size_t n = f->fields[i].value.n < XH_MAX_PATH ? f->fields[i].value.n : XH_MAX_PATH;
			memcpy(buf, f->fields[i].value.p, n);
			buf[n] = '\0';
			return buf;
		}
	return NULL;
}

/* A request for a stock static resource (a stylesheet, a script, an image): the pages a
 * shell runs in are never these, so such a request, whatever rule it meets, is
 * reconnaissance and not the time of a compromise. */
static bool ends_with_any(const char *s, const char *const *ext, size_t n)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(ext[i]);
		if (len > k && strcasecmp(s + len - k, ext[i]) == 0)
			return true;
	}
	return false;
}

/* The page a request went to (IIS or HttpProxy), or NULL. */
static const char *stem_of(const struct xh_finding *f)
{
	const char *stem = field(f, "cs-uri-stem");
	return stem ? stem : field(f, "UrlStem");
}

static bool static_request(const struct xh_finding *f)
{
	static const char *const ext[] = {".css", ".js", ".png", ".gif", ".jpg", ".ico", ".svg", ".woff", ".woff2",
	                                  ".ttf", ".eot", ".htm", ".html"};
	const char *stem = xh_finding_is_file(f) ? NULL : stem_of(f);
	return stem && ends_with_any(stem, ext, XH_ARRAY_LEN(ext));
}

/* The web shell a finding is about: a file finding's server path, or the page a request
 * went to when it is one IIS runs code in. */
static const char *shell_of(const struct xh_finding *f)
{
	static const char *const pages[] = {".aspx", ".ashx", ".asmx", ".asp", ".asa", ".cer", ".cdx",
	                                    ".cshtml", ".shtml", ".soap", ".rem"};
	const char *p;

	if (xh_finding_is_file(f))
		return f->origin ? f->origin : f->path;
	p = stem_of(f);
	return p && ends_with_any(p, pages, XH_ARRAY_LEN(pages)) ? p : NULL;
}

/* The file name of a path of either kind ('/' or '\\' separated). */
static const char *file_name(const char *p)
{
	const char *a = strrchr(p, '/'), *b = strrchr(p, '\\');
	const char *s = a > b ? a : b;
	return s ? s + 1 : p;
}

/* Whether the shell list already holds a file of this name (a page used in the logs and
 * its file on disk are one shell: the file's server path is listed). */
static bool shell_listed(const char *list, const char *path)
{
	const char *name = file_name(path);
	for (const char *p = list; *p;) {
		const char *comma = strstr(p, ", ");
		size_t n = comma ? (size_t)(comma - p) : strlen(p), k = strlen(name);
		if (n >= k && strncasecmp(p + n - k, name, k) == 0 && (n == k || p[n - k - 1] == '/' || p[n - k - 1] == '\\'))
			return true;
		p += n + (comma ? 2 : 0);
	}
	return false;
}

/* A file finding's time counts as the time of an event only inside the span of its
 * host's logs (copying or extracting a collection gives every file the copy's time). */
static bool time_trusted(const struct xh_finding *f, int64_t logs_first, int64_t logs_last)
{
	if (f->time_ms == XH_TIME_NONE)
		return false;
	if (!xh_finding_is_file(f))
		return true;
	return logs_first != XH_TIME_NONE && f->time_ms >= logs_first - 86400000 && f->time_ms <= logs_last + 86400000;
}

static void day(int64_t ms, char *out, size_t cap)
{
	char t[40];
	xh_time_format(ms, t, sizeof t);
	snprintf(out, cap, "%.10s", t);
}

/* The exposure: the campaigns whose CVEs the builds seen leave open, from the campaign's
 * start (the first build seen is taken to have run since then) to the first build that
 * fixes them, or the end of the evidence; and whether the web logs reach back that far. */
static void exposure(struct xh_host *h, const struct xh_builds_seen *b, int64_t web_first, int64_t end)
{
	const struct xh_build_seen *first = NULL;
	struct xh_build_info bi;
	size_t n = 0;

	bool known;

	for (size_t i = 0; b && i < b->n; i++)
		if (b->v[i].b.rev_known && b->v[i].first_ms != XH_TIME_NONE &&
		    (!first || b->v[i].first_ms < first->first_ms))
			first = &b->v[i];
	/* no build known: every campaign begun before the evidence ends may have found it open */
	known = first && xh_build_assess(&first->b, &bi) == XH_OK;
	for (size_t c = 0; c < xh_campaign_count(); c++) {
		const struct xh_campaign *cp = xh_campaign_at(c);
		int64_t fixed = XH_TIME_NONE;
		bool open = !known;
		if (end == XH_TIME_NONE || cp->begin_ms > end)
			continue; /* began after the evidence ends: it says nothing about it */
		for (size_t k = 0; known && k < bi.ncves; k++)
			open = open || (bi.cves[k].state == XH_CVE_VULNERABLE && strcmp(xh_cve_campaign(bi.cves[k].cve), cp->name) == 0);
		if (!open)
			continue;
		/* the first later build that fixes every CVE of the campaign it left open */
		for (size_t i = 0; known && i < b->n; i++) {
			struct xh_build_info li;
			bool fixes = true;
			if (&b->v[i] == first || !b->v[i].b.rev_known || b->v[i].first_ms == XH_TIME_NONE ||
			    xh_build_assess(&b->v[i].b, &li) != XH_OK)
				continue;
			for (size_t k = 0; k < li.ncves; k++)
				if (li.cves[k].state == XH_CVE_VULNERABLE && strcmp(xh_cve_campaign(li.cves[k].cve), cp->name) == 0)
					fixes = false;
			if (fixes && (fixed == XH_TIME_NONE || b->v[i].first_ms < fixed))
				fixed = b->v[i].first_ms;
		}
		if (h->exposed_from == XH_TIME_NONE || cp->begin_ms < h->exposed_from)
			h->exposed_from = cp->begin_ms;
		if (h->exposed_to == XH_TIME_NONE || (fixed != XH_TIME_NONE ? fixed : end) > h->exposed_to)
			h->exposed_to = fixed != XH_TIME_NONE ? fixed : end;
		xh_list_add(h->exposure, sizeof h->exposure, cp->name, &n, 6);
	}
	h->exposure_assumed = !known && h->exposure[0];
	if (h->exposed_from != XH_TIME_NONE && (web_first == XH_TIME_NONE || web_first > h->exposed_from + 86400000)) {
		h->limited = true;
		h->uncovered_days = web_first == XH_TIME_NONE
		                        ? 0
		                        : (uint64_t)((web_first - h->exposed_from) / 86400000);
	}
}

/* The EOMT / Microsoft mitigation rules the configuration files hold (appconfig.c's
 * informational findings), with the file's time. */
static void mitigation(struct xh_host *h, const struct xh_finding *f)
{
	char t[16];
	size_t len = strlen(h->mitigation);

	/* the configuration checks' statements (appconfig.c): "... mitigation present: ..." */
	if (!xh_finding_is_file(f) || !f->title ||
	    !(xh_finding_has_rule(f, "config-proxylogon-mitigation") || xh_finding_has_rule(f, "config-proxynotshell-mitigation")) ||
	    !strstr(f->title, "mitigation present"))
		return;
	if (f->time_ms != XH_TIME_NONE)
		day(f->time_ms, t, sizeof t);
	/* "ProxyNotShell mitigation present" and when its file was written */
	snprintf(h->mitigation + len, sizeof h->mitigation - len, "%s%.*s%s%s", len ? "; " : "",
	         (int)(strstr(f->title, "mitigation present") - f->title + 18), f->title,
	         f->time_ms != XH_TIME_NONE ? " since " : "", f->time_ms != XH_TIME_NONE ? t : "");
}

void xh_verdict_host(const struct xh_flist *l, const struct xh_builds_seen *b, struct xh_report *r, uint32_t hid)
{
	struct xh_host *h = &r->hosts[hid];
	const struct xh_finding *first = NULL;
	enum xh_level worst = XH_LEVEL_INFORMATIONAL;
	int64_t logs_first = XH_TIME_NONE, logs_last = XH_TIME_NONE, web_first = XH_TIME_NONE;
	size_t ncamp = 0, ncve = 0, natt = 0, nsh = 0, nworst = 0;
	bool all_high_failed = true, any_high = false, medium_exploit = false, medium_other = false, proven = false;
	bool incomplete;
	uint64_t bad_limit;
	char t1[40], t2[40], buf[sizeof h->reason];
	size_t n;

	memset(h->findings, 0, sizeof h->findings);
	xh_host_span(h, NULL, &logs_first, &logs_last);
	{
		int64_t a, z;
		xh_host_span(h, "IIS", &web_first, &z);
		xh_host_span(h, "HttpProxy", &a, &z);
		if (a != XH_TIME_NONE && (web_first == XH_TIME_NONE || a < web_first))
			web_first = a;
	}
	for (size_t i = 0; i < l->n; i++) {
		const struct xh_finding *f = l->f[i];
		h->findings[f->level < XH_LEVEL_COUNT ? f->level : 0]++;
		mitigation(h, f);
		if (f->level > worst)
			worst = f->level;
		if (f->level < XH_LEVEL_MEDIUM)
			continue;
		proven = proven || compromise(f);
		if (f->level >= XH_LEVEL_HIGH && !compromise(f)) {
			any_high = true;
			all_high_failed = all_high_failed && failed_attempt(f) && xh_finding_has_tag_prefix(f, "cve.");
		}
		if (f->level == XH_LEVEL_MEDIUM) {
			/* exploiting the application (T1190), or a rule that says it failed */
			if (xh_finding_has_tag(f, "attack.t1190") || failed_attempt(f))
				medium_exploit = true;
			else
				medium_other = true;
		}
		if (time_trusted(f, logs_first, logs_last)) {
			if (compromise(f) && !static_request(f) &&
			    (h->first_compromise == XH_TIME_NONE || f->time_ms < h->first_compromise))
				h->first_compromise = f->time_ms;
			if (h->last_activity == XH_TIME_NONE || f->time_ms > h->last_activity)
				h->last_activity = f->time_ms;
		}
		if (xh_finding_campaign(f)[0])
			xh_list_add(h->campaigns, sizeof h->campaigns, xh_finding_campaign(f), &ncamp, 4);
		for (size_t t = 0; t < f->ntags; t++) {
			const struct xh_cve *c = xh_cve_of_tag(f->tags[t]);
			if (c)
				xh_list_add(h->cves, sizeof h->cves, c->id, &ncve, 8);
		}
		if (f->client && f->client[0] && !xh_finding_is_file(f) && !f->backend && f->level >= XH_LEVEL_HIGH &&
		    (xh_finding_has_tag_prefix(f, "cve.") || xh_finding_has_tag(f, "attack.t1505.003")))
			xh_list_add(h->attackers, sizeof h->attackers, f->client, &natt, 8);
	}
	/* the shells: files on disk first, then pages used in the logs that no file names */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < l->n; i++) {
			const struct xh_finding *f = l->f[i];
			const char *sh;
			if (xh_finding_is_file(f) != (pass == 0) || f->level < XH_LEVEL_HIGH ||
			    !xh_finding_has_tag(f, "attack.t1505.003") || (!xh_finding_is_file(f) && !compromise(f)))
				continue;
			if ((sh = shell_of(f)) != NULL && !shell_listed(h->shells, sh))
				xh_list_add(h->shells, sizeof h->shells, sh, &nsh, 6);
		}
	for (size_t i = 0; i < l->n; i++)
		if (l->f[i]->level == worst) {
			nworst++;
			if (!first || (!time_trusted(first, logs_first, logs_last) && time_trusted(l->f[i], logs_first, logs_last)))
				first = l->f[i];
		}
	/* the build, from the last one its evidence shows */
	if (b && b->n) {
		const struct xh_build_seen *last = &b->v[0];
		struct xh_build_info bi;
		size_t no = 0;
		for (size_t i = 1; i < b->n; i++)
			if (b->v[i].last_ms != XH_TIME_NONE && (last->last_ms == XH_TIME_NONE || b->v[i].last_ms > last->last_ms))
				last = &b->v[i];
		xh_build_format(&last->b, h->build, sizeof h->build);
		if (xh_build_assess(&last->b, &bi) == XH_OK)
			for (size_t k = 0; k < bi.ncves; k++)
				if (bi.cves[k].state == XH_CVE_VULNERABLE)
					xh_list_add(h->open_cves, sizeof h->open_cves, bi.cves[k].cve, &no, 6);
	}
	exposure(h, b, web_first, logs_last);
	bad_limit = (uint64_t)((double)h->records * BAD_SHARE);
	incomplete = h->files_unreadable > 0 || (h->bad_records >= BAD_MIN && h->bad_records > bad_limit);

	/* the verdict */
	if (!r->detection) {
		h->verdict = XH_VERDICT_NOT_ASSESSED;
		snprintf(h->reason, sizeof h->reason, "no detection rules ran; records were only read");
		return;
	}
	if (h->records == 0 && h->files_read == 0 && !incomplete) {
		h->verdict = XH_VERDICT_NOT_ASSESSED;
		snprintf(h->reason, sizeof h->reason, "nothing relevant to read: no log record and no file the checks looked at");
		return;
	}
	if (proven)
		h->verdict = XH_VERDICT_COMPROMISED;
	else if (any_high && !all_high_failed)
		h->verdict = XH_VERDICT_SUSPICIOUS;
	else if (any_high || medium_exploit)
		h->verdict = XH_VERDICT_ATTEMPTED;
	else if (medium_other)
		h->verdict = XH_VERDICT_SUSPICIOUS;
	else
		h->verdict = XH_VERDICT_CLEAN;
	if (incomplete && (h->verdict == XH_VERDICT_CLEAN || h->verdict == XH_VERDICT_ATTEMPTED))
		h->verdict = XH_VERDICT_INCOMPLETE;

	/* the reason: what the worst findings say, then what the evidence lacks */
	n = 0;
	if (first && worst >= XH_LEVEL_MEDIUM) {
		const struct xh_finding *last = first;
		for (size_t i = 0; i < l->n; i++)
			if (l->f[i]->level == worst && time_trusted(l->f[i], logs_first, logs_last))
				last = l->f[i];
		if (time_trusted(first, logs_first, logs_last) && time_trusted(last, logs_first, logs_last)) {
			xh_time_format(first->time_ms, t1, sizeof t1);
			xh_time_format(last->time_ms, t2, sizeof t2);
			n = (size_t)snprintf(buf, sizeof buf, "%zu %s finding%s %.10s %.5s to %.10s %.5s UTC", nworst,
			                     xh_level_name(worst), nworst == 1 ? "" : "s", t1, t1 + 11, t2, t2 + 11);
		} else {
			n = (size_t)snprintf(buf, sizeof buf, "%zu %s finding%s", nworst, xh_level_name(worst),
			                     nworst == 1 ? "" : "s");
		}
		if (h->campaigns[0] && n < sizeof buf)
			n += (size_t)snprintf(buf + n, sizeof buf - n, ", %s (%s)", h->campaigns, h->cves);
		if (h->attackers[0] && n < sizeof buf)
			n += (size_t)snprintf(buf + n, sizeof buf - n, " from %s", h->attackers);
		if (n < sizeof buf)
			n += (size_t)snprintf(buf + n, sizeof buf - n, "; first: %.90s", first->title);
		if (h->verdict == XH_VERDICT_ATTEMPTED && n < sizeof buf)
			n += (size_t)snprintf(buf + n, sizeof buf - n, "; no sign that it succeeded");
		{
			const struct xh_build_seen *o = xh_build_at(b, first->time_ms);
			struct xh_build_info bi;
			char ver[32];
			if (o && o->b.rev_known && xh_build_assess(&o->b, &bi) == XH_OK && n < sizeof buf) {
				bool open = false;
				for (size_t k = 0; k < bi.ncves; k++)
					open = open || (bi.cves[k].state == XH_CVE_VULNERABLE && strstr(h->cves, bi.cves[k].cve));
				xh_build_format(&o->b, ver, sizeof ver);
				n += (size_t)snprintf(buf + n, sizeof buf - n, "; build %s was running, %s", ver,
				                      open ? "open to it at the time" : "not open to these CVEs by its number");
			}
		}
	} else {
		n = (size_t)snprintf(buf, sizeof buf, "nothing at medium or above in what was read");
	}
	if (h->mitigation[0] && h->open_cves[0] && n < sizeof buf)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "; vulnerable build, mitigated: %s (file time: a copy may have changed it)",
		                      h->mitigation);
	if (incomplete && n < sizeof buf) {
		if (h->files_unreadable)
			n += (size_t)snprintf(buf + n, sizeof buf - n, "; %llu file%s could not be read",
			                      (unsigned long long)h->files_unreadable, h->files_unreadable == 1 ? "" : "s");
		if (h->bad_records >= BAD_MIN && h->bad_records > bad_limit && n < sizeof buf)
			n += (size_t)snprintf(buf + n, sizeof buf - n, "; %llu of %llu records could not be parsed",
			                      (unsigned long long)h->bad_records,
			                      (unsigned long long)(h->records + h->bad_records));
		if (n < sizeof buf)
			n += (size_t)snprintf(buf + n, sizeof buf - n, ": what was not read may hold what the rest does not show");
	}
	if (h->limited && n < sizeof buf) {
		char d1[16], d2[16];
		day(h->exposed_from, d1, sizeof d1);
		if (web_first != XH_TIME_NONE) {
			day(web_first, d2, sizeof d2);
			n += (size_t)snprintf(buf + n, sizeof buf - n, "; limited coverage: exposed to %s%s from %s, the web logs start %s",
			                      h->exposure, h->exposure_assumed ? " (build unknown)" : "", d1, d2);
		} else {
			n += (size_t)snprintf(buf + n, sizeof buf - n, "; limited coverage: exposed to %s%s from %s, no web log was read",
			                      h->exposure, h->exposure_assumed ? " (build unknown)" : "", d1);
		}
	}
	(void)n;
	snprintf(h->reason, sizeof h->reason, "%s", buf);
}

void xh_verdict_fleet(struct xh_report *r)
{
	/* the line counts hosts from the most urgent verdict down */
	static const enum xh_verdict order[] = {XH_VERDICT_COMPROMISED, XH_VERDICT_SUSPICIOUS, XH_VERDICT_INCOMPLETE,
	                                        XH_VERDICT_ATTEMPTED, XH_VERDICT_CLEAN, XH_VERDICT_NOT_ASSESSED};
	size_t n, items = 0;

	memset(r->hosts_by_verdict, 0, sizeof r->hosts_by_verdict);
	r->verdict = XH_VERDICT_NOT_ASSESSED;
	for (size_t i = 0; i < r->nhosts; i++) {
		r->hosts_by_verdict[r->hosts[i].verdict]++;
		if (r->hosts[i].verdict > r->verdict)
			r->verdict = r->hosts[i].verdict;
	}
	if (r->nhosts == 1) {
		snprintf(r->verdict_text, sizeof r->verdict_text, "%s", r->hosts[0].reason);
		return;
	}
	n = (size_t)snprintf(r->verdict_text, sizeof r->verdict_text, "%zu hosts:", r->nhosts);
	for (size_t k = 0; k < XH_ARRAY_LEN(order) && n < sizeof r->verdict_text; k++)
		if (r->hosts_by_verdict[order[k]])
			n += (size_t)snprintf(r->verdict_text + n, sizeof r->verdict_text - n, "%s %llu %s",
			                      items++ ? "," : "", (unsigned long long)r->hosts_by_verdict[order[k]],
			                      xh_verdict_name(order[k]));
}
