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

	xh_time_format(f->time_ms, t, sizeof t);
	st = xh_buf_printf(b, "%s%.10s %.8s  %s%-8s%s  ", ind, t, t + 11, w->o.color ? level_color[l] : "",
	                   xh_level_name(f->level), w->o.color ? "\033[0m" : "");
	if (!st) st = esc(b, f->title);
	if (!st) st = xh_buf_adds(b, "  [");
	if (!st) st = esc(b, f->rule_name ? f->rule_name : f->rule_id);
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

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/*
 * Findings arrive in time order (after the post-pass). They are listed per host when
 * the logs name more than one, then per campaign (in order of first appearance), in
 * time order within each.
 */
static xh_status write_findings(struct xh_writer *w, const struct xh_report *r)
{
	struct xh_flist *s = w->state;
	struct xh_buf *b = &w->tmp;
	xh_status st;
	uint64_t total = 0;
	const char *hosts[XH_TEXT_MAX_HOSTS];
	size_t nhosts = 0;
	bool many = false;

	st = xh_buf_printf(b, "\n%sVERDICT: %s%s: ", w->o.color ? "\033[1m" : "", xh_verdict_name(r->verdict),
	                   w->o.color ? "\033[0m" : "");
	if (!st) st = esc(b, r->verdict_text);
	if (!st) st = xh_buf_addc(b, '\n');
	if (!st) st = heading(w, "FINDINGS");
	for (unsigned l = 0; l < XH_LEVEL_COUNT; l++)
		total += r->findings[l];
	if (!st && total == 0 && r->findings_below_min)
		return xh_buf_printf(b, "  none at or above --min-level (%llu below it)\n",
		                     (unsigned long long)r->findings_below_min);
	if (!st && total == 0)
		return xh_buf_adds(b, r->detection ? "  none\n"
		                                  : "  none: no detection rules ran (records were read and counted only)\n");
	for (int l = XH_LEVEL_COUNT - 1; !st && l >= 0; l--)
		if (r->findings[l])
			st = xh_buf_printf(b, "  %s%llu %s%s", w->o.color ? level_color[l] : "",
			                   (unsigned long long)r->findings[l], xh_level_name((enum xh_level)l),
			                   w->o.color ? "\033[0m" : "");
	if (!st) st = xh_buf_addc(b, '\n');
	/* the named hosts, in order of appearance */
	for (size_t i = 0; s && i < s->n; i++) {
		const char *h = s->f[i]->host;
		bool seen = !h;
		for (size_t k = 0; !seen && k < nhosts; k++)
			seen = same_str(hosts[k], h);
		if (!seen && nhosts < XH_ARRAY_LEN(hosts))
			hosts[nhosts++] = h;
		else if (!seen)
			many = true;
	}
	many = many || nhosts > 1;
	for (size_t hi = 0; !st && hi < (many ? nhosts + 1 : 1); hi++) {
		const char *host = many && hi < nhosts ? hosts[hi] : NULL;
		const char *done[XH_TEXT_MAX_CAMPAIGNS];
		size_t ndone = 0;
		if (many) {
			st = xh_buf_adds(b, hi < nhosts ? "\n  host " : "\n  host not named in the logs (or beyond the first 16)\n");
			if (!st && hi < nhosts) st = esc(b, host);
			if (!st && hi < nhosts) st = xh_buf_addc(b, '\n');
		}
		/* campaigns of this host in order of first appearance; "" (other) last */
		for (size_t pass = 0; !st && pass < 2; pass++) {
			for (size_t i = 0; !st && s && i < s->n; i++) {
				const struct xh_finding *f = s->f[i];
				const char *camp = xh_finding_campaign(f);
				bool in_host, seen = false;
				if (many) {
					bool listed = false;
					for (size_t k = 0; k < nhosts; k++)
						listed = listed || same_str(hosts[k], f->host);
					in_host = hi < nhosts ? same_str(f->host, host) : !listed;
				} else {
					in_host = true;
				}
				if (!in_host || (pass == 0) != (camp[0] != '\0'))
					continue;
				for (size_t k = 0; !seen && k < ndone; k++)
					seen = strcmp(done[k], camp) == 0;
				if (seen || ndone == XH_ARRAY_LEN(done))
					continue;
				done[ndone++] = camp;
				st = xh_buf_printf(b, "\n  %s\n", camp[0] ? camp : "Other findings");
				for (size_t k = i; !st && k < s->n; k++) {
					const struct xh_finding *g = s->f[k];
					bool gh = true;
					if (many) {
						bool listed = false;
						for (size_t q = 0; q < nhosts; q++)
							listed = listed || same_str(hosts[q], g->host);
						gh = hi < nhosts ? same_str(g->host, host) : !listed;
					}
					if (gh && strcmp(xh_finding_campaign(g), camp) == 0)
						st = one_finding(w, g, "    ");
				}
			}
		}
	}
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

static xh_status text_build(struct xh_writer *w, const char *input, const struct xh_build_info *bi)
{
	static const char *const color[] = {"\033[1;31m", "\033[32m", "\033[33m", "\033[2m"};
	struct xh_buf *b = &w->tmp;
	char ver[32];
	xh_status st;

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
