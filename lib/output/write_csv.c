/*
 * CSV writer: one header row, then one row per record, finding, verdict (one per host,
 * then the fleet's), coverage group and notice, all with the same columns so a
 * spreadsheet or `csvkit` can filter them:
 *   type,host,time,level,rule_id,title,source,path,line,offset,detail,text
 * Every cell is quoted and escaped (xh_esc_csv): no control byte, no formula.
 */
#include "output/writer.h"

#include <stdio.h>

static const char header[] = "type,host,time,level,rule_id,title,source,path,line,offset,detail,text\n";

static xh_status cell(struct xh_buf *b, const char *s, size_t n, bool last)
{
	xh_status st = xh_esc_csv(b, s ? s : "", s ? n : 0);
	return st ? st : xh_buf_addc(b, last ? '\n' : ',');
}

static xh_status cells(struct xh_buf *b, const char *s)
{
	return cell(b, s, s ? strlen(s) : 0, false);
}

static xh_status num(struct xh_buf *b, uint64_t v)
{
	xh_status st = xh_buf_addu(b, v);
	return st ? st : xh_buf_addc(b, ',');
}

static xh_status tcell(struct xh_buf *b, int64_t ms)
{
	char t[40] = "";
	if (ms != XH_TIME_NONE)
		xh_time_format(ms, t, sizeof t);
	return cells(b, t);
}

/* name=value pairs joined by "; " into d (raw bytes: the cell escaping comes after). */
static xh_status pairs(struct xh_buf *d, const char *name, size_t nn, struct xh_sv v)
{
	xh_status st = d->len ? xh_buf_add(d, "; ", 2) : XH_OK;
	if (!st) st = xh_buf_add(d, name, nn);
	if (!st) st = xh_buf_addc(d, '=');
	if (!st) st = v.p ? xh_buf_add(d, v.p, v.n) : xh_buf_addc(d, '-');
	return st;
}

static xh_status csv_record(const struct xh_writer *w, struct xh_buf *b, const struct xh_record *r)
{
	struct xh_buf d;
	xh_status st;

	(void)w;
	xh_buf_init(&d, XH_MAX_RECORD_OUT);
	st = cells(b, "record");
	if (!st) st = cells(b, "");
	if (!st) st = tcell(b, r->time_ms);
	if (!st) st = cells(b, "");
	if (!st) st = cells(b, "");
	if (!st) st = cells(b, r->bad);
	if (!st) st = cells(b, r->source->name);
	if (!st) st = cells(b, r->path);
	if (!st) st = num(b, r->line);
	if (!st) st = num(b, r->offset);
	for (size_t i = 0; !st && i < r->nfields; i++)
		st = pairs(&d, r->schema->names[i], strlen(r->schema->names[i]), r->fields[i]);
	for (size_t i = 0; !st && i < r->nx - r->nx_alias; i++)
		st = pairs(&d, r->xnames[i].p, r->xnames[i].n, r->xvalues[i]);
	if (!st) st = cell(b, d.p, d.len, false);
	if (!st) st = cell(b, r->raw.p, r->raw.n, true);
	xh_buf_free(&d);
	return st;
}

static xh_status csv_begin(struct xh_writer *w)
{
	xh_status st = xh_buf_adds(&w->tmp, header);
	return st ? st : xh_writer_flush(w);
}

static xh_status csv_finding(struct xh_writer *w, const struct xh_finding *f)
{
	struct xh_buf *b = &w->tmp, d;
	xh_status st;

	xh_buf_init(&d, XH_MAX_RECORD_OUT);
	st = cells(b, "finding");
	if (!st) st = cells(b, f->host);
	if (!st) st = tcell(b, f->time_ms);
	if (!st) st = cells(b, xh_level_name(f->level));
	if (!st) st = cells(b, f->rule_id);
	if (!st) st = cells(b, f->title);
	if (!st) st = cells(b, f->source);
	if (!st) st = cells(b, f->path);
	if (!st) st = num(b, f->line);
	if (!st) st = num(b, f->offset);
	{
		/* context first, then tags and the matched fields, as name=value pairs */
		const char *ctx[][2] = {{"rule_name", f->rule_name}, {"campaign", xh_finding_campaign(f)},
		                        {"server", f->server},       {"client", f->client},
		                        {"note", f->note}};
		for (size_t i = 0; !st && i < sizeof ctx / sizeof ctx[0]; i++)
			if (ctx[i][1] && ctx[i][1][0])
				st = pairs(&d, ctx[i][0], strlen(ctx[i][0]), xh_sv_make(ctx[i][1], strlen(ctx[i][1])));
	}
	if (!st && f->count > 1) {
		char n[24];
		snprintf(n, sizeof n, "%llu", (unsigned long long)f->count);
		st = pairs(&d, "count", 5, xh_sv_make(n, strlen(n)));
	}
	for (size_t i = 1; !st && i < f->nrules; i++)
		if (f->rules[i].name)
			st = pairs(&d, "also", 4, xh_sv_make(f->rules[i].name, strlen(f->rules[i].name)));
	for (size_t i = 0; !st && i < f->ntags; i++)
		st = pairs(&d, "tag", 3, xh_sv_make(f->tags[i], strlen(f->tags[i])));
	for (size_t i = 0; !st && i < f->nfields; i++)
		st = pairs(&d, f->fields[i].name, strlen(f->fields[i].name), f->fields[i].value);
	if (!st) st = cell(b, d.p, d.len, false);
	if (!st) st = cell(b, f->excerpt.p, f->excerpt.n, true);
	xh_buf_free(&d);
	return st ? st : xh_writer_flush(w);
}

static xh_status csv_finish(struct xh_writer *w, const struct xh_report *r)
{
	struct xh_buf *b = &w->tmp;
	struct xh_notice notes[XH_MAX_NOTICES];
	size_t nn;
	xh_status st = XH_OK;

	for (size_t i = 0; !st && w->o.findings && i < r->nhosts; i++) {
		/* one row per host: level = its verdict, detail its answers, text its reason */
		const struct xh_host *h = &r->hosts[i];
		struct xh_buf d;
		char t1[40] = "-", t2[40] = "-";
		xh_time_format(h->first_compromise, t1, sizeof t1);
		xh_time_format(h->last_activity, t2, sizeof t2);
		xh_buf_init(&d, XH_CSV_MAX_DETAIL);
		st = cells(b, "verdict");
		if (!st) st = cells(b, h->name);
		if (!st) st = cells(b, "");
		if (!st) st = cells(b, xh_verdict_name(h->verdict));
		for (int k = 0; !st && k < 6; k++)
			st = cells(b, "");
		if (!st) st = xh_buf_printf(&d, "first_compromise=%s; last_activity=%s; campaigns=%s; attackers=%s; "
		                            "shells=%s; build=%s; open_cves=%s; named_by=%s",
		                            t1, t2, h->campaigns, h->attackers, h->shells, h->build, h->open_cves,
		                            h->named_by);
		if (!st) st = cell(b, d.p, d.len, false);
		if (!st) st = cell(b, h->reason, strlen(h->reason), true);
		xh_buf_free(&d);
	}
	if (!st && w->o.findings) {
		/* the fleet: no host, its worst verdict, the line of all hosts */
		st = cells(b, "verdict");
		for (int i = 0; !st && i < 2; i++)
			st = cells(b, "");
		if (!st) st = cells(b, xh_verdict_name(r->verdict));
		for (int i = 0; !st && i < 7; i++)
			st = cells(b, "");
		if (!st) st = cell(b, r->verdict_text, strlen(r->verdict_text), true);
	}
	for (size_t i = 0; !st && w->o.coverage && i < r->ngroups; i++) {
		const struct xh_cover_group *g = &r->groups[i];
		char first[40] = "-", last[40] = "-";
		xh_time_format(g->first_ms, first, sizeof first);
		xh_time_format(g->last_ms, last, sizeof last);
		st = cells(b, "coverage");
		if (!st) st = cells(b, g->host < r->nhosts ? r->hosts[g->host].name : "");
		if (!st) st = cells(b, "");
		if (!st) st = cells(b, "");
		if (!st) st = cells(b, "");
		if (!st) st = cells(b, "");
		if (!st) st = cells(b, g->kind);
		if (!st) st = cells(b, g->folder);
		if (!st) st = cells(b, "");
		if (!st) st = cells(b, "");
		if (!st) {
			struct xh_buf d;
			xh_buf_init(&d, XH_CSV_MAX_DETAIL);
			st = xh_buf_printf(&d,
			                   "files=%llu; bytes=%llu; records=%llu; bad_records=%llu; "
			                   "unreadable_files=%llu; outside_window=%llu; first=%s; last=%s; "
			                   "files_checked=%llu; content_cut=%llu; not_hashed=%llu",
			                   (unsigned long long)g->files, (unsigned long long)g->bytes,
			                   (unsigned long long)g->records, (unsigned long long)g->bad_records,
			                   (unsigned long long)g->unreadable_files,
			                   (unsigned long long)g->outside_window, first, last,
			                   (unsigned long long)g->files_checked, (unsigned long long)g->content_cut,
			                   (unsigned long long)g->not_hashed);
			for (size_t k = 0; !st && k < g->nreasons; k++)
				st = xh_buf_printf(&d, "; bad=%s:%llu %s", g->reasons[k].path,
				                   (unsigned long long)g->reasons[k].line, g->reasons[k].what);
			for (size_t k = 0; !st && k < g->nunreadable; k++)
				st = xh_buf_printf(&d, "; unreadable=%s %s", g->unreadable[k].path,
				                   g->unreadable[k].what);
			if (!st)
				st = cell(b, d.p, d.len, false);
			xh_buf_free(&d);
		}
		if (!st) st = cell(b, "", 0, true);
	}
	nn = w->o.coverage ? xh_report_notices(r, notes, XH_ARRAY_LEN(notes)) : 0;
	for (size_t i = 0; !st && i < nn; i++) {
		st = cells(b, "notice");
		for (int k = 0; !st && k < 4; k++)
			st = cells(b, "");
		if (!st) st = cells(b, notes[i].topic);
		for (int k = 0; !st && k < 5; k++)
			st = cells(b, "");
		if (!st) st = cell(b, notes[i].text, strlen(notes[i].text), true);
	}
	return st ? st : xh_writer_flush(w);
}

/* One row per CVE: rule_id = CVE, title = state, path = the build as given. */
static xh_status csv_build(struct xh_writer *w, const char *host, const char *input, const struct xh_build_info *bi)
{
	struct xh_buf *b = &w->tmp;
	char ver[32];
	xh_status st = XH_OK;

	xh_build_format(&bi->build, ver, sizeof ver);
	for (size_t i = 0; !st && i < bi->ncves; i++) {
		const struct xh_cve_verdict *v = &bi->cves[i];
		struct xh_buf d;
		xh_buf_init(&d, XH_CSV_MAX_DETAIL);
		st = cells(b, "build");
		if (!st) st = cells(b, host ? host : "");
		if (!st) st = cells(b, bi->date ? bi->date : "");
		if (!st) st = cells(b, "");
		if (!st) st = cells(b, v->cve);
		if (!st) st = cells(b, xh_cve_state_name(v->state));
		if (!st) st = cells(b, v->campaign);
		if (!st) st = cells(b, input);
		if (!st) st = cells(b, "");
		if (!st) st = cells(b, "");
		if (!st) st = xh_buf_printf(&d, "build=%s; product=%s; cu=%s; update=%s; fix=%s", ver,
		                            bi->product_name, bi->cu ? bi->cu : "?",
		                            bi->update ? (bi->update[0] ? bi->update : "CU release") : "?",
		                            v->fix[0] ? v->fix : "-");
		if (!st) st = cell(b, d.p, d.len, false);
		if (!st) st = cell(b, v->why, strlen(v->why), true);
		xh_buf_free(&d);
	}
	return st ? st : xh_writer_flush(w);
}

const struct xh_writer_ops xh_writer_csv = {
	.name = "csv",
	.help = "CSV with one header row; columns type,host,time,level,rule_id,title,source,path,line,offset,detail,text",
	.begin = csv_begin,
	.record = csv_record,
	.finding = csv_finding,
	.finish = csv_finish,
	.build = csv_build,
};
