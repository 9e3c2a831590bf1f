/*
 * The report's honest statements: which campaign windows the web logs cover, and what
 * the evidence holds that was not read. Shared by every writer so text, JSON and CSV
 * say the same thing.
 */
#include "output/writer.h"

#include <stdio.h>

static void day(int64_t ms, char *buf, size_t cap)
{
	char full[32];
	xh_time_format(ms, full, sizeof full);
	snprintf(buf, cap, "%.10s", full);
}

static uint64_t files_of(const struct xh_report *r, const char *kind)
{
	uint64_t n = 0;
	for (size_t i = 0; i < r->ngroups; i++)
		if (strcmp(r->groups[i].kind, kind) == 0)
			n += r->groups[i].files;
	return n;
}

size_t xh_report_notices(const struct xh_report *r, struct xh_notice *out, size_t max)
{
	int64_t first = XH_TIME_NONE, last = XH_TIME_NONE;
	size_t k = 0;
	char a[16], b[16], c[16];
	uint64_t n;

	for (size_t i = 0; i < r->ngroups; i++) {
		const struct xh_cover_group *g = &r->groups[i];
		if (strcmp(g->kind, "iis") != 0 && strcmp(g->kind, "httpproxy") != 0)
			continue;
		if (g->first_ms != XH_TIME_NONE && (first == XH_TIME_NONE || g->first_ms < first))
			first = g->first_ms;
		if (g->last_ms != XH_TIME_NONE && (last == XH_TIME_NONE || g->last_ms > last))
			last = g->last_ms;
	}
	if (first == XH_TIME_NONE) {
		if (k < max) {
			out[k].topic = "web logs";
			snprintf(out[k].text, sizeof out[k].text,
			         "no timed IIS or HttpProxy record was read: exploitation over the web "
			         "(ProxyLogon, ProxyShell, ProxyNotShell, OWASSRF) cannot be assessed");
			k++;
		}
	} else {
		day(first, a, sizeof a);
		day(last, b, sizeof b);
		if (k < max) {
			out[k].topic = "web logs";
			snprintf(out[k].text, sizeof out[k].text,
			         "IIS and HttpProxy records span %s to %s (UTC)", a, b);
			k++;
		}
		for (size_t i = 0; i < xh_campaign_count() && k < max; i++) {
			const struct xh_campaign *cp = xh_campaign_at(i);
			day(cp->begin_ms, c, sizeof c);
			out[k].topic = cp->name;
			if (last < cp->begin_ms)
				snprintf(out[k].text, sizeof out[k].text,
				         "%s (%s): the web logs end %s, before %s (%s); they say nothing "
				         "about it",
				         cp->name, cp->cves, b, c, cp->why);
			else if (first > cp->begin_ms)
				snprintf(out[k].text, sizeof out[k].text,
				         "%s (%s): hunt from %s (%s), but the web logs start %s: compromise "
				         "before %s cannot be excluded",
				         cp->name, cp->cves, c, cp->why, a, a);
			else
				snprintf(out[k].text, sizeof out[k].text,
				         "%s (%s): the web logs cover its window from %s (%s)", cp->name,
				         cp->cves, c, cp->why);
			k++;
		}
	}
	for (size_t i = 0; i < r->ngroups && k < max; i++) {
		const struct xh_cover_group *g = &r->groups[i];
		if (strcmp(g->kind, "iis") != 0 || g->gap_days == 0)
			continue;
		day(g->gaps[0].from_ms, a, sizeof a);
		day(g->gaps[0].to_ms - 86400000, c, sizeof c);
		out[k].topic = "gaps";
		snprintf(out[k].text, sizeof out[k].text,
		         "IIS logs in %.120s: %llu whole day(s) without any record in %zu gap(s), the "
		         "first %s to %s: logs missing or deleted, or the site was down",
		         g->folder[0] ? g->folder : ".", (unsigned long long)g->gap_days, g->gaps_total, a, c);
		k++;
	}
	n = files_of(r, "evtx");
	if (n == 0 && k < max) {
		out[k].topic = "evtx";
		snprintf(out[k].text, sizeof out[k].text, "%s",
		         "no Windows event log (.evtx) in the evidence: CVE-2021-26857 (Application), "
		         "cmdlets run (MSExchange Management) and processes started by web shells "
		         "(Security 4688, Sysmon) cannot be assessed");
		k++;
	}
	n = files_of(r, "archive");
	if (n && k < max) {
		out[k].topic = "archives";
		snprintf(out[k].text, sizeof out[k].text,
		         "%llu archive(s) inside the evidence were not opened%s; pass a .zip as EVIDENCE "
		         "to read it",
		         (unsigned long long)n, r->file_checks ? " (the file checks hashed and scanned them as files)" : "");
		k++;
	}
	if (r->file_checks && k < max) {
		out[k].topic = "files";
		snprintf(out[k].text, sizeof out[k].text,
		         "%llu file(s) checked for web shells, dumps and staging (hashes, Microsoft's allow-list, YARA, "
		         "names and places)%s",
		         (unsigned long long)r->files_checked,
		         r->files_checked ? "" : ": none of the files was a web page or other non-log file");
		k++;
		if (r->files_cut && k < max) {
			out[k].topic = "files";
			snprintf(out[k].text, sizeof out[k].text,
			         "%llu file(s) larger than --max-scan-bytes (%llu bytes) were content-scanned in their first "
			         "%llu bytes only%s",
			         (unsigned long long)r->files_cut, (unsigned long long)r->max_scan_bytes,
			         (unsigned long long)r->max_scan_bytes,
			         r->files_not_hashed ? "; those over the hash limit were not hashed either" : "");
			k++;
		}
		if (k < max) {
			out[k].topic = "web roots";
			snprintf(out[k].text, sizeof out[k].text, "%s", r->places);
			k++;
		}
	} else if (r->detection && k < max) {
		out[k].topic = "files";
		snprintf(out[k].text, sizeof out[k].text,
		         "file checks were off (--no-files): web shells, dumps and staging archives on disk are not assessed");
		k++;
	}
	if (r->files_unreadable && k < max) {
		out[k].topic = "unreadable";
		snprintf(out[k].text, sizeof out[k].text,
		         "%llu file(s) could not be read: what they hold is not assessed",
		         (unsigned long long)r->files_unreadable);
		k++;
	}
	if (r->bad_records && k < max) {
		out[k].topic = "bad records";
		snprintf(out[k].text, sizeof out[k].text,
		         "%llu record(s) did not parse; their raw text is kept in `exhunt dump`",
		         (unsigned long long)r->bad_records);
		k++;
	}
	return k;
}
