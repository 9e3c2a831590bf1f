/*
 * Text writer, the default: a report for a person. A one-line verdict, findings per host
 * and campaign in time order, then what was read per source kind
 * and folder, then what the evidence covers and what it does not. Colour only when the
 * caller asks (a terminal without NO_COLOR). For `dump`, one line per record.
 * Every evidence-derived string goes through xh_esc_text: no control byte reaches the
 * terminal.
 */
#include "model/finding.h"
#include "output/writer.h"

#include <stdio.h>


static const char *const level_color[XH_LEVEL_COUNT] = {"\033[2m", "\033[36m", "\033[33m",
                                                        "\033[31m", "\033[1;31m"};

static xh_status esc(struct xh_buf *b, const char *s)
{
	return s ? xh_esc_text(b, s, strlen(s)) : XH_OK;
}

static xh_status text_record(const struct xh_writer *w, struct xh_buf *b, const struct xh_record *r)
{
	char t[40];
	xh_status st;

	(void)w;
	xh_time_format(r->time_ms, t, sizeof t);
	st = esc(b, r->path);
	if (!st) st = xh_buf_addc(b, ':');
	if (!st) st = xh_buf_addu(b, r->line);
	if (!st) st = xh_buf_printf(b, " %s %s ", t, r->source->name);
	if (!st && r->bad) st = xh_buf_printf(b, "[bad: %s] ", r->bad);
	if (!st) st = xh_esc_text(b, r->raw.p ? r->raw.p : "", r->raw.p ? r->raw.n : 0);
	if (!st) st = xh_buf_addc(b, '\n');
	return st;
}

/* Findings are kept (deep copies) to be printed grouped by level at the end. */
static xh_status text_finding(struct xh_writer *w, const struct xh_finding *f)
{
	if (!w->state) {
		w->state = xh_calloc(1, sizeof(struct xh_flist));
		if (!w->state)
			return XH_ENOMEM;
	}
	return xh_flist_push(w->state, f);
}

static void text_free(struct xh_writer *w)
{
	if (!w->state)
		return;
	xh_flist_free(w->state);
	xh_free(w->state);
	w->state = NULL;
}

static xh_status heading(struct xh_writer *w, const char *title)
{
	if (w->o.color)
		return xh_buf_printf(&w->tmp, "\n\033[1m%s\033[0m\n", title);
	return xh_buf_printf(&w->tmp, "\n%s\n", title);
}

/* One finding: time, level, title and rule; then where, who, why, and the evidence. */
static xh_status one_finding(struct xh_writer *w, const struct xh_finding *f, const char *ind)
{
	struct xh_buf *b = &w->tmp;
	char t[40];
	unsigned l = f->level < XH_LEVEL_COUNT ? f->level : 0;
	xh_status st;

	/* "2021-03-03 06:49:42", or "no time" in the same width (a build seen only in a
	 * folder name has none) */
	if (f->time_ms == XH_TIME_NONE)
		snprintf(t, sizeof t, "%-19s", "no time");
	else {
		char iso[40];
		xh_time_format(f->time_ms, iso, sizeof iso);
		snprintf(t, sizeof t, "%.10s %.8s", iso, iso + 11);
	}
	st = xh_buf_printf(b, "%s%s  %s%-8s%s  ", ind, t, w->o.color ? level_color[l] : "", xh_level_name(f->level),
	                   w->o.color ? "\033[0m" : "");
	if (!st) st = esc(b, f->title);
	if (!st) st = xh_buf_adds(b, "  [");
	if (!st) st = esc(b, f->rule_name ? f->rule_name : f->rule_id);
	/* the other rules the record met, with their levels */
	for (size_t k = 1; !st && k < f->nrules; k++) {
		st = xh_buf_adds(b, ", ");
		if (!st) st = esc(b, f->rules[k].name ? f->rules[k].name : f->rules[k].id);
		if (!st) st = xh_buf_printf(b, " (%s)", xh_level_name(f->rules[k].level));
	}
	if (!st && f->rules_more) st = xh_buf_printf(b, " and %llu more", (unsigned long long)f->rules_more);
	if (!st) st = xh_buf_adds(b, "]\n");
	if (!st) st = xh_buf_printf(b, "%s    at ", ind);
	if (!st) st = esc(b, f->path);
	if (!st && f->line) st = xh_buf_printf(b, ":%llu", (unsigned long long)f->line);
	if (!st) st = xh_buf_printf(b, " (%s)", f->source ? f->source : "?");
	if (!st && f->client) {
		st = xh_buf_adds(b, "  client ");
		if (!st) st = esc(b, f->client);
	}
	for (size_t k = 0; !st && k < f->ntags; k++) {
		st = xh_buf_adds(b, k ? " " : "  [");
		if (!st) st = esc(b, f->tags[k]);
		if (!st && k + 1 == f->ntags) st = xh_buf_addc(b, ']');
	}
	if (!st && f->count > 1) {
		char last[40];
		xh_time_format(f->last_ms, last, sizeof last);
		st = xh_buf_printf(b, "\n%s    %llu records like this that day%s, the last %.10s %.8s", ind,
		                   (unsigned long long)f->count, f->client ? " from this client" : " (several clients)", last,
		                   last + 11);
	}
	if (!st && f->note) {
		st = xh_buf_printf(b, "\n%s    note: ", ind);
		if (!st && f->level != f->rule_level)
			st = xh_buf_printf(b, "%s -> %s: ", xh_level_name(f->rule_level), xh_level_name(f->level));
		if (!st) st = esc(b, f->note);
	}
	if (!st && f->excerpt.p && f->excerpt.n) {
		/* the evidence itself, cut to a line's worth */
		st = xh_buf_printf(b, "\n%s    evidence: ", ind);
		if (!st) st = xh_esc_text(b, f->excerpt.p, f->excerpt.n < 300 ? f->excerpt.n : 300);
		if (!st && f->excerpt.n > 300) st = xh_buf_adds(b, " [...]");
	}
	for (size_t k = 0; !st && k < f->nfields; k++) {
		st = xh_buf_printf(b, "\n%s    ", ind);
		if (!st) st = esc(b, f->fields[k].name);
		if (!st) st = xh_buf_adds(b, ": ");
		if (!st) st = f->fields[k].value.p ? xh_esc_text(b, f->fields[k].value.p, f->fields[k].value.n)
		                                   : xh_buf_addc(b, '-');
	}
	if (!st) st = xh_buf_addc(b, '\n');
	return st ? st : xh_writer_flush(w);
}

/* "2021-03-03 06:49" or "-" */
static void minute(int64_t ms, char *out, size_t cap)
{
	char t[40];
	if (ms == XH_TIME_NONE) {
		snprintf(out, cap, "-");
		return;
	}
	xh_time_format(ms, t, sizeof t);
	snprintf(out, cap, "%.10s %.5s", t, t + 11);
}

/* The span of a host's logs, "2021-02-15..2021-03-14", from its families. */
static void log_span(const struct xh_host *h, char *out, size_t cap)
{
	int64_t lo, hi;
	char a[40], z[40];

	xh_host_span(h, NULL, &lo, &hi);
	if (lo == XH_TIME_NONE) {
		snprintf(out, cap, "no log");
		return;
	}
	xh_time_format(lo, a, sizeof a);
	xh_time_format(hi, z, sizeof z);
	snprintf(out, cap, "%.10s..%.10s", a, z);
}

/* The first item of a ", " list and how many follow: "104.250.191.110 +1". */
static xh_status first_of(struct xh_buf *b, const char *list, int width)
{
	const char *comma = strstr(list, ", ");
	size_t more = 0, n = comma ? (size_t)(comma - list) : strlen(list);
	char cell[96];

	for (const char *p = list; (p = strstr(p, ", ")) != NULL; p += 2)
		more++;
	if (!list[0])
		return xh_buf_printf(b, "%-*s", width, "-");
	if (n > 60)
		n = 60;
	memcpy(cell, list, n);
	cell[n] = '\0';
	if (more)
		snprintf(cell + n, sizeof cell - n, " +%zu", more);
	{
		size_t before = b->len;
		xh_status st = esc(b, cell);
		size_t used = b->len - before;
		for (; !st && used < (size_t)width; used++)
			st = xh_buf_addc(b, ' ');
		return st;
	}
}

/* The fleet table: one line per host, the questions a responder asks first. */
static xh_status write_hosts(struct xh_writer *w, const struct xh_report *r)
{
	struct xh_buf *b = &w->tmp;
	xh_status st = heading(w, "HOSTS");

	if (!st)
		st = xh_buf_printf(b, "  %-20s %-12s %-13s %-5s %-22s %-16s %-22s %s\n", "host", "verdict", "build", "open",
		                   "logs (UTC days)", "first compromise", "attackers", "shells");
	for (size_t i = 0; !st && i < r->nhosts; i++) {
		const struct xh_host *h = &r->hosts[i];
		char span[48], first[24], open[24];
		size_t nopen = 0, nshell = 0;
		/* counts of the report's ", " lists ("..." when a list was cut: "7+") */
		for (const char *p = h->open_cves; *p; nopen++) {
			const char *c = strstr(p, ", ");
			p = c ? c + 2 : p + strlen(p);
		}
		for (const char *p = h->shells; *p; nshell++) {
			const char *c = strstr(p, ", ");
			p = c ? c + 2 : p + strlen(p);
		}
		if (!h->build[0])
			snprintf(open, sizeof open, "-");
		else if (strstr(h->open_cves, "..."))
			snprintf(open, sizeof open, "%zu+", nopen - 1);
		else
			snprintf(open, sizeof open, "%zu", nopen);
		log_span(h, span, sizeof span);
		minute(h->first_compromise, first, sizeof first);
		st = xh_buf_adds(b, "  ");
		if (!st) st = first_of(b, h->name, 20);
		if (!st) st = xh_buf_printf(b, " %-12s %-13s %-5s %-22s %-16s ", xh_verdict_name(h->verdict),
		                            h->build[0] ? h->build : "-", open, span, first);
		if (!st) st = first_of(b, h->attackers, 22);
		if (!st) st = xh_buf_printf(b, " %zu%s\n", strstr(h->shells, "...") ? nshell - 1 : nshell,
		                            strstr(h->shells, "...") ? "+" : "");
	}
	return st;
}

/* The other log lines of a finding's activity (one request in several logs), one line
 * each, after the finding itself. */
static xh_status activity_refs(struct xh_writer *w, const struct xh_flist *s, const struct xh_finding *f)
{
	struct xh_buf *b = &w->tmp;
	xh_status st = XH_OK;

	for (size_t k = 0; !st && k < s->n; k++) {
		const struct xh_finding *g = s->f[k];
		if (g == f || g->activity != f->activity || g->host_id != f->host_id)
			continue;
		st = xh_buf_adds(b, "        same request: ");
		if (!st) st = esc(b, g->path);
		if (!st && g->line) st = xh_buf_printf(b, ":%llu", (unsigned long long)g->line);
		if (!st) st = xh_buf_printf(b, " (%s) %s [", g->source ? g->source : "?", xh_level_name(g->level));
		if (!st) st = esc(b, g->rule_name ? g->rule_name : g->rule_id);
		if (!st) st = xh_buf_adds(b, "]\n");
	}
	return st ? st : xh_writer_flush(w);
}

/* The finding an activity is shown by: its strongest (the first of equals). */
static const struct xh_finding *activity_lead(const struct xh_flist *s, const struct xh_finding *f)
{
	const struct xh_finding *best = f;
	for (size_t k = 0; k < s->n; k++)
		if (s->f[k]->activity == f->activity && s->f[k]->host_id == f->host_id && s->f[k]->level > best->level)
			best = s->f[k];
	return best;
}

static bool activity_shown(const uint64_t *shown, size_t n, uint64_t a)
{
	for (size_t i = n; i-- > 0;) /* recent ones last: the list is in time order */
		if (shown[i] == a)
			return true;
	return false;
}

/* One host: its verdict with the reason, what names it, its shells and mitigation, its
 * log families, then its findings per campaign in time order. */
static xh_status write_host(struct xh_writer *w, const struct xh_report *r, uint32_t hid)
{
	const struct xh_host *h = &r->hosts[hid];
	struct xh_flist *s = w->state;
	struct xh_buf *b = &w->tmp;
	const char *done[XH_TEXT_MAX_CAMPAIGNS];
	uint64_t shown[XH_TEXT_MAX_ACTIVITIES];
	size_t ndone = 0, nshown = 0;
	uint64_t total = 0;
	xh_status st;

	st = xh_buf_printf(b, "\n%sHOST ", w->o.color ? "\033[1m" : "");
	if (!st) st = esc(b, h->name);
	if (!st) st = xh_buf_printf(b, ": %s%s\n", xh_verdict_name(h->verdict), w->o.color ? "\033[0m" : "");
	if (!st) st = xh_buf_adds(b, "  ");
	if (!st) st = esc(b, h->reason);
	if (!st) st = xh_buf_printf(b, "\n  named by %s", h->named_by);
	if (!st && h->collection[0]) {
		st = xh_buf_adds(b, " (collection ");
		if (!st) st = esc(b, h->collection);
		if (!st) st = xh_buf_addc(b, ')');
	}
	if (!st && h->names_seen[0]) {
		st = xh_buf_adds(b, h->name_differs ? "; NOTE: its records name another server: " : "; its records name ");
		if (!st) st = esc(b, h->names_seen);
	}
	if (!st) st = xh_buf_addc(b, '\n');
	if (!st && h->build[0]) {
		st = xh_buf_printf(b, "  build %s", h->build);
		if (!st && h->open_cves[0]) st = xh_buf_printf(b, ", open: %s", h->open_cves);
		if (!st) st = xh_buf_addc(b, '\n');
	}
	if (!st && h->mitigation[0]) {
		st = xh_buf_adds(b, "  mitigation: ");
		if (!st) st = esc(b, h->mitigation);
		if (!st) st = xh_buf_addc(b, '\n');
	}
	if (!st && h->shells[0]) {
		st = xh_buf_adds(b, "  shells: ");
		if (!st) st = esc(b, h->shells);
		if (!st) st = xh_buf_addc(b, '\n');
	}
	for (size_t i = 0; !st && i < h->nfamilies; i++) {
		const struct xh_cover_group *g = &h->families[i];
		char a[40], z[40];
		xh_time_format(g->first_ms, a, sizeof a);
		xh_time_format(g->last_ms, z, sizeof z);
		st = xh_buf_printf(b, "  %s %-28s %.10s..%.10s  %llu record%s in %llu file%s", i ? "    " : "logs",
		                   g->kind, a, z, (unsigned long long)g->records, g->records == 1 ? "" : "s",
		                   (unsigned long long)g->files, g->files == 1 ? "" : "s");
		if (!st && g->unreadable_files)
			st = xh_buf_printf(b, ", %llu unreadable", (unsigned long long)g->unreadable_files);
		if (!st && g->bad_records)
			st = xh_buf_printf(b, ", %llu bad", (unsigned long long)g->bad_records);
		if (!st && g->gap_days)
			st = xh_buf_printf(b, ", %llu day%s without records", (unsigned long long)g->gap_days,
			                   g->gap_days == 1 ? "" : "s");
		if (!st) st = xh_buf_addc(b, '\n');
	}
	for (unsigned l = 0; l < XH_LEVEL_COUNT; l++)
		total += h->findings[l];
	if (!st && total) {
		st = xh_buf_adds(b, "  findings:");
		for (int l = XH_LEVEL_COUNT - 1; !st && l >= 0; l--)
			if (h->findings[l])
				st = xh_buf_printf(b, "  %s%llu %s%s", w->o.color ? level_color[l] : "",
				                   (unsigned long long)h->findings[l], xh_level_name((enum xh_level)l),
				                   w->o.color ? "\033[0m" : "");
		if (!st) st = xh_buf_addc(b, '\n');
	}
	/* campaigns of this host in order of first appearance; "" (other) last */
	for (size_t pass = 0; !st && pass < 2; pass++) {
		for (size_t i = 0; !st && s && i < s->n; i++) {
			const struct xh_finding *f = s->f[i];
			const char *camp = xh_finding_campaign(f);
			bool seen = false;
			if (f->host_id != hid || (pass == 0) != (camp[0] != '\0'))
				continue;
			for (size_t k = 0; !seen && k < ndone; k++)
				seen = strcmp(done[k], camp) == 0;
			if (seen || ndone == XH_ARRAY_LEN(done))
				continue;
			done[ndone++] = camp;
			st = xh_buf_printf(b, "\n  %s\n", camp[0] ? camp : "Other findings");
			for (size_t k = i; !st && k < s->n; k++) {
				const struct xh_finding *g = s->f[k], *lead;
				if (g->host_id != hid || strcmp(xh_finding_campaign(g), camp) != 0)
					continue;
				if (!g->activity) {
					st = one_finding(w, g, "    ");
					continue;
				}
				/* an activity once: at its first finding, by its strongest, with the
				 * other logs' lines as references */
				if (activity_shown(shown, nshown, g->activity))
					continue;
				if (nshown < XH_ARRAY_LEN(shown))
					shown[nshown++] = g->activity;
				lead = activity_lead(s, g);
				st = one_finding(w, lead, "    ");
				if (!st) st = activity_refs(w, s, lead);
			}
		}
	}
	return st;
}

/*
 * The verdict of the whole evidence, the fleet table, then each host with its findings
 * (they arrive host by host, each host's in time order after the post-pass).
 */
static xh_status write_findings(struct xh_writer *w, const struct xh_report *r)
{
	struct xh_flist *s = w->state;
	struct xh_buf *b = &w->tmp;
	xh_status st;
	uint64_t total = 0;

	st = xh_buf_printf(b, "\n%sVERDICT: %s%s: ", w->o.color ? "\033[1m" : "", xh_verdict_name(r->verdict),
	                   w->o.color ? "\033[0m" : "");
	if (!st) st = esc(b, r->verdict_text);
	if (!st) st = xh_buf_addc(b, '\n');
	if (!st) st = write_hosts(w, r);
	for (unsigned l = 0; l < XH_LEVEL_COUNT; l++)
		total += r->findings[l];
	if (!st) st = heading(w, "FINDINGS");
	if (!st && total == 0 && r->findings_below_min)
		st = xh_buf_printf(b, "  none at or above --min-level (%llu below it)\n",
		                   (unsigned long long)r->findings_below_min);
	else if (!st && total == 0)
		st = xh_buf_adds(b, r->detection ? "  none\n"
		                                : "  none: no detection rules ran (records were read and counted only)\n");
	for (uint32_t h = 0; !st && h < r->nhosts; h++)
		st = write_host(w, r, h);
	/* findings of no host of the report (a caller that wrote findings itself) */
	for (size_t i = 0; !st && s && i < s->n; i++)
		if (s->f[i]->host_id >= r->nhosts)
			st = one_finding(w, s->f[i], "    ");
	if (!st && s && s->dropped)
		st = xh_buf_printf(b, "  (%llu more findings not listed: over the kept limit; use --format jsonl)\n",
		                   (unsigned long long)s->dropped);
	if (!st && r->findings_below_min)
		st = xh_buf_printf(b, "  (%llu findings below --min-level not listed)\n",
		                   (unsigned long long)r->findings_below_min);
	if (!st && r->findings_uncorrelated)
		st = xh_buf_printf(b, "  (%llu findings beyond the correlation limit were judged alone)\n",
		                   (unsigned long long)r->findings_uncorrelated);
	return st;
}

static void human_bytes(uint64_t v, char *buf, size_t cap)
{
	static const char *const unit[] = {"B", "KB", "MB", "GB", "TB"};
	double d = (double)v;
	unsigned u = 0;

	while (d >= 1000.0 && u < 4) {
		d /= 1000.0;
		u++;
	}
	snprintf(buf, cap, u ? "%.1f %s" : "%.0f %s", d, unit[u]);
}

static xh_status write_coverage(struct xh_writer *w, const struct xh_report *r)
{
	struct xh_buf *b = &w->tmp;
	xh_status st = heading(w, "EVIDENCE READ");

	if (!st)
		st = xh_buf_printf(b, "  %-13s %7s %9s %11s %7s  %-19s  %-19s  %s\n", "kind", "files", "bytes",
		                   "records", "bad", "first (UTC)", "last (UTC)", "folder");
	for (size_t i = 0; !st && i < r->ngroups; i++) {
		const struct xh_cover_group *g = &r->groups[i];
		char first[40], last[40], by[16];
		xh_time_format(g->first_ms, first, sizeof first);
		xh_time_format(g->last_ms, last, sizeof last);
		if (first[0] != '-') first[19] = '\0', first[10] = ' ';
		if (last[0] != '-') last[19] = '\0', last[10] = ' ';
		human_bytes(g->bytes, by, sizeof by);
		st = xh_buf_printf(b, "  %-13s %7llu %9s %11llu %7llu  %-19s  %-19s  ", g->kind,
		                   (unsigned long long)g->files, by, (unsigned long long)g->records,
		                   (unsigned long long)g->bad_records, first, last);
		if (!st) st = esc(b, g->folder[0] ? g->folder : ".");
		if (!st && g->unreadable_files)
			st = xh_buf_printf(b, "  (%llu unreadable)", (unsigned long long)g->unreadable_files);
		if (!st && g->outside_window)
			st = xh_buf_printf(b, "  (%llu outside the time window)",
			                   (unsigned long long)g->outside_window);
		if (!st && g->odd_comments)
			st = xh_buf_printf(b, "  (%llu odd comment line%s)", (unsigned long long)g->odd_comments,
			                   g->odd_comments == 1 ? "" : "s");
		if (!st && g->files_checked)
			st = xh_buf_printf(b, "  (%llu checked%s)", (unsigned long long)g->files_checked,
			                   g->content_cut ? ", some cut at --max-scan-bytes" : "");
		if (!st) st = xh_buf_addc(b, '\n');
	}
	for (size_t i = 0; !st && i < r->ngroups; i++) {
		const struct xh_cover_group *g = &r->groups[i];
		for (size_t k = 0; !st && k < g->nreasons; k++) {
			st = xh_buf_adds(b, "  bad record: ");
			if (!st) st = esc(b, g->reasons[k].path);
			if (!st) st = xh_buf_printf(b, ":%llu: %s\n", (unsigned long long)g->reasons[k].line,
			                            g->reasons[k].what);
		}
		if (!st && g->bad_records > g->nreasons)
			st = xh_buf_printf(b, "  ... and %llu more bad %s record(s) in this folder\n",
			                   (unsigned long long)(g->bad_records - g->nreasons), g->kind);
		/* gaps matter where a log is written every day (IIS); the JSON output has
		 * them for every group, where sparse logs (ECP, OAB) make them noise here */
		for (size_t k = 0; !st && strcmp(g->kind, "iis") == 0 && k < g->ngaps; k++) {
			char from[40], to[40];
			xh_time_format(g->gaps[k].from_ms, from, sizeof from);
			xh_time_format(g->gaps[k].to_ms - 86400000, to, sizeof to);
			st = xh_buf_printf(b, "  gap: %s in ", g->kind);
			if (!st) st = esc(b, g->folder[0] ? g->folder : ".");
			if (!st) st = xh_buf_printf(b, ": no record from %.10s to %.10s\n", from, to);
		}
		if (!st && strcmp(g->kind, "iis") == 0 && g->gaps_total > g->ngaps)
			st = xh_buf_printf(b, "  ... and %zu more gaps (%llu days without records in all)\n",
			                   g->gaps_total - g->ngaps, (unsigned long long)g->gap_days);
		for (size_t k = 0; !st && k < g->nunreadable; k++) {
			st = xh_buf_adds(b, "  unreadable: ");
			if (!st) st = esc(b, g->unreadable[k].path);
			if (!st) st = xh_buf_printf(b, ": %s\n", g->unreadable[k].what);
		}
	}
	return st;
}

static xh_status text_finish(struct xh_writer *w, const struct xh_report *r)
{
	struct xh_buf *b = &w->tmp;
	struct xh_notice notes[XH_MAX_NOTICES];
	size_t nn;
	char by[16];
	xh_status st = xh_buf_adds(b, w->o.color ? "\033[1mexhunt " EXHUNT_VERSION "\033[0m report of"
	                                         : "exhunt " EXHUNT_VERSION " report of");

	for (size_t i = 0; !st && i < r->nevidence; i++) {
		st = xh_buf_addc(b, ' ');
		if (!st) st = esc(b, r->evidence[i]);
	}
	if (!st) st = xh_buf_adds(b, " (times in UTC)\n");
	if (!st && w->o.findings)
		st = write_findings(w, r);
	if (!st && w->o.coverage)
		st = write_coverage(w, r);
	if (!st && w->o.coverage) {
		nn = xh_report_notices(r, notes, XH_ARRAY_LEN(notes));
		st = heading(w, "WHAT THE EVIDENCE COVERS");
		for (size_t i = 0; !st && i < nn; i++) {
			st = xh_buf_adds(b, "  - ");
			if (!st) st = esc(b, notes[i].text);
			if (!st) st = xh_buf_addc(b, '\n');
		}
		human_bytes(r->bytes_total, by, sizeof by);
		if (!st)
			st = xh_buf_printf(b,
			                   "\nSUMMARY: %llu files (%s) in %.2f s: %llu read, %llu unreadable, "
			                   "%llu skipped; %llu records, %llu bad; %llu files checked\n",
			                   (unsigned long long)r->files_total, by, r->seconds,
			                   (unsigned long long)r->files_read,
			                   (unsigned long long)r->files_unreadable,
			                   (unsigned long long)r->files_skipped, (unsigned long long)r->records,
			                   (unsigned long long)r->bad_records, (unsigned long long)r->files_checked);
	}
	return st ? st : xh_writer_flush(w);
}

/* An estate's host: one row, host build product CU update and what is open. */
static xh_status host_build_row(struct xh_writer *w, const char *host, const struct xh_build_info *bi)
{
	struct xh_buf *b = &w->tmp;
	char ver[32], open[192] = "";
	size_t nopen = 0;
	xh_status st;

	xh_build_format(&bi->build, ver, sizeof ver);
	for (size_t i = 0; i < bi->ncves; i++)
		if (bi->cves[i].state == XH_CVE_VULNERABLE)
			xh_list_add(open, sizeof open, bi->cves[i].cve, &nopen, 6);
	size_t before = b->len;

	st = esc(b, host);
	for (size_t used = b->len - before; !st && used < 20; used++)
		st = xh_buf_addc(b, ' ');
	if (!st)
		st = xh_buf_printf(b, " %-14s %s %s%s%s  %s%zu open%s%s%s\n", ver, bi->product_name, bi->cu ? bi->cu : "(CU?)",
		                   bi->update && bi->update[0] ? " " : "", bi->update ? bi->update : "",
		                   w->o.color && nopen ? "\033[1;31m" : "", nopen, nopen ? ": " : "", open,
		                   w->o.color && nopen ? "\033[0m" : "");
	return st ? st : xh_writer_flush(w);
}

static xh_status text_build(struct xh_writer *w, const char *host, const char *input, const struct xh_build_info *bi)
{
	static const char *const color[] = {"\033[1;31m", "\033[32m", "\033[33m", "\033[2m"};
	struct xh_buf *b = &w->tmp;
	char ver[32];
	xh_status st;

	if (host)
		return host_build_row(w, host, bi);
	xh_build_format(&bi->build, ver, sizeof ver);
	st = w->o.color ? xh_buf_printf(b, "\033[1m%s\033[0m", ver) : xh_buf_adds(b, ver);
	if (!st && strcmp(input, ver) != 0) {
		st = xh_buf_adds(b, " (given as \"");
		if (!st) st = esc(b, input);
		if (!st) st = xh_buf_adds(b, "\")");
	}
	if (!st) st = xh_buf_printf(b, "  %s %s", bi->product_name, bi->cu ? bi->cu : "(CU not in the table)");
	if (!st && bi->update)
		st = xh_buf_printf(b, ", %s%s%s%s%s%s", bi->update[0] ? bi->update : "CU release",
		                   bi->kb && bi->kb[0] ? " " : "", bi->kb ? bi->kb : "", bi->date ? " (" : "",
		                   bi->date ? bi->date : "", bi->date ? ")" : "");
	if (!st && bi->newer_than_table)
		st = xh_buf_adds(b, ", newer than the build table");
	if (!st && bi->disputed)
		st = xh_buf_adds(b, " [sources disagree on this build]");
	if (!st && bi->lower_confidence)
		st = xh_buf_adds(b, " [lower confidence]");
	if (!st) st = xh_buf_addc(b, '\n');
	if (!st && bi->note[0])
		st = xh_buf_printf(b, "  note: %s\n", bi->note);
	for (size_t i = 0; !st && i < bi->ncves; i++) {
		const struct xh_cve_verdict *v = &bi->cves[i];
		if (v->state == XH_CVE_NOT_AFFECTED)
			continue;
		st = xh_buf_printf(b, "  %-15s %-14s %s%-10s%s %s\n", v->cve, v->campaign,
		                   w->o.color ? color[v->state] : "", xh_cve_state_name(v->state),
		                   w->o.color ? "\033[0m" : "", v->why);
	}
	if (!st) st = xh_buf_addc(b, '\n');
	return st ? st : xh_writer_flush(w);
}

const struct xh_writer_ops xh_writer_text = {
	.name = "text",
	.help = "readable report (default): findings by level, evidence read, coverage statements",
	.record = text_record,
	.finding = text_finding,
	.finish = text_finish,
	.build = text_build,
	.free_state = text_free,
};
