/*
 * JSON Lines writer: one JSON object per line, `type` first. The record types and
 * their keys are defined in docs/output.md: schema, record, finding, coverage, notice,
 * verdict (one per host, then the fleet's with host null), summary. Every
 * evidence-derived string goes through xh_esc_json.
 */
#include "output/writer.h"

/* One object member; `first` leaves out the separating comma. */
static xh_status member(struct xh_buf *b, bool first, const char *k, size_t kn, struct xh_sv v)
{
	xh_status st = first ? XH_OK : xh_buf_addc(b, ',');
	if (!st)
		st = xh_esc_json(b, k, kn);
	if (!st)
		st = xh_buf_addc(b, ':');
	if (st)
		return st;
	return v.p ? xh_esc_json(b, v.p, v.n) : xh_buf_adds(b, "null");
}

static xh_status kv_u64(struct xh_buf *b, const char *k, uint64_t v)
{
	xh_status st = xh_json_key(b, k);
	return st ? st : xh_buf_addu(b, v);
}

static xh_status kv_time(struct xh_buf *b, const char *k, int64_t ms)
{
	char t[40];
	if (ms == XH_TIME_NONE)
		return xh_json_kv_str(b, k, NULL);
	xh_time_format(ms, t, sizeof t);
	return xh_json_kv_str(b, k, t);
}

/* {"type":"record","source":..,"path":..,"line":..,"offset":..,"time":..,"fields":{..},"raw":..} */
static xh_status jsonl_record(const struct xh_writer *w, struct xh_buf *b, const struct xh_record *r)
{
	xh_status st;

	(void)w;
	st = xh_buf_adds(b, "{\"type\":\"record\"");
	if (!st) st = xh_json_kv_str(b, "source", r->source->name);
	if (!st) st = xh_json_kv_str(b, "path", r->path);
	if (!st && r->origin) st = xh_json_kv_str(b, "origin", r->origin);
	if (!st) st = kv_u64(b, "line", r->line);
	if (!st) st = kv_u64(b, "offset", r->offset);
	if (!st) st = kv_time(b, "time", r->time_ms);
	if (!st && r->bad) st = xh_json_kv_str(b, "bad", r->bad);
	if (!st && (r->software.p || r->version.p || r->log_type.p)) {
		st = xh_json_key(b, "header");
		if (!st) st = xh_buf_addc(b, '{');
		if (!st) st = member(b, true, "software", 8, r->software);
		if (!st) st = member(b, false, "version", 7, r->version);
		if (!st) st = member(b, false, "log_type", 8, r->log_type);
		if (!st) st = xh_buf_addc(b, '}');
	}
	if (!st && (r->nfields || r->nx > r->nx_alias)) {
		st = xh_json_key(b, "fields");
		if (!st) st = xh_buf_addc(b, '{');
		for (size_t i = 0; !st && i < r->nfields; i++) {
			const char *name = r->schema->names[i];
			st = member(b, i == 0, name, strlen(name), r->fields[i]);
		}
		for (size_t i = 0; !st && i < r->nx - r->nx_alias; i++)
			st = member(b, i == 0 && r->nfields == 0, r->xnames[i].p, r->xnames[i].n,
			            r->xvalues[i]);
		if (!st) st = xh_buf_addc(b, '}');
	}
	if (!st) st = xh_json_key(b, "raw");
	if (!st) st = xh_esc_json(b, r->raw.p ? r->raw.p : "", r->raw.p ? r->raw.n : 0);
	if (!st) st = xh_buf_add(b, "}\n", 2);
	return st;
}

static xh_status str_array(struct xh_buf *b, const char *k, const char *const *v, size_t n)
{
	xh_status st = xh_json_key(b, k);
	if (!st) st = xh_buf_addc(b, '[');
	for (size_t i = 0; !st && i < n; i++) {
		if (i) st = xh_buf_addc(b, ',');
		if (!st) st = xh_esc_json_str(b, v[i]);
	}
	return st ? st : xh_buf_addc(b, ']');
}

static xh_status jsonl_finding(struct xh_writer *w, const struct xh_finding *f)
{
	struct xh_buf *b = &w->tmp;
	xh_status st;

	st = xh_buf_adds(b, "{\"type\":\"finding\"");
	if (!st) st = xh_json_kv_str(b, "rule_id", f->rule_id);
	if (!st && f->rule_name) st = xh_json_kv_str(b, "rule_name", f->rule_name);
	if (!st) st = xh_json_kv_str(b, "title", f->title);
	if (!st) st = xh_json_kv_str(b, "level", xh_level_name(f->level));
	if (!st) st = xh_json_kv_str(b, "rule_level", xh_level_name(f->rule_level));
	if (!st && f->note) st = xh_json_kv_str(b, "note", f->note);
	if (!st) st = xh_json_kv_str(b, "campaign", xh_finding_campaign(f));
	if (!st) st = str_array(b, "tags", f->tags, f->ntags);
	if (!st && f->nrules) {
		st = xh_json_key(b, "rules");
		if (!st) st = xh_buf_addc(b, '[');
		for (size_t i = 0; !st && i < f->nrules; i++) {
			const struct xh_rule_hit *h = &f->rules[i];
			st = xh_buf_adds(b, i ? ",{\"id\":" : "{\"id\":");
			if (!st) st = xh_esc_json_str(b, h->id ? h->id : "");
			if (!st) st = xh_json_kv_str(b, "name", h->name);
			if (!st) st = xh_json_kv_str(b, "title", h->title);
			if (!st) st = xh_json_kv_str(b, "level", xh_level_name(h->level));
			if (!st) st = str_array(b, "tags", h->tags, h->ntags);
			if (!st) st = xh_buf_addc(b, '}');
		}
		if (!st) st = xh_buf_addc(b, ']');
		if (!st && f->rules_more) st = kv_u64(b, "rules_more", f->rules_more);
	}
	if (!st) st = kv_time(b, "time", f->time_ms);
	if (!st && f->activity) st = kv_u64(b, "activity", f->activity);
	if (!st && f->count > 1) st = kv_u64(b, "count", f->count);
	if (!st && f->count > 1) st = kv_time(b, "last_time", f->last_ms);
	if (!st) st = xh_json_kv_str(b, "host", f->host);
	if (!st && f->server) st = xh_json_kv_str(b, "server", f->server);
	if (!st) st = xh_json_kv_str(b, "client", f->client);
	if (!st && f->backend) st = xh_buf_adds(b, ",\"backend\":true");
	if (!st) st = xh_json_key(b, "source");
	if (!st) st = xh_buf_adds(b, "{\"kind\":");
	if (!st) st = xh_esc_json_str(b, f->source ? f->source : "");
	if (!st) st = xh_json_kv_str(b, "path", f->path);
	if (!st && f->origin) st = xh_json_kv_str(b, "origin", f->origin);
	if (!st) st = kv_u64(b, "line", f->line);
	if (!st) st = kv_u64(b, "offset", f->offset);
	if (!st) st = xh_buf_addc(b, '}');
	if (!st) st = xh_json_key(b, "fields");
	if (!st) st = xh_buf_addc(b, '{');
	for (size_t i = 0; !st && i < f->nfields; i++)
		st = member(b, i == 0, f->fields[i].name, strlen(f->fields[i].name), f->fields[i].value);
	if (!st) st = xh_buf_addc(b, '}');
	if (!st) st = xh_json_key(b, "excerpt");
	if (!st) st = xh_esc_json(b, f->excerpt.p ? f->excerpt.p : "", f->excerpt.p ? f->excerpt.n : 0);
	if (!st) st = str_array(b, "references", f->references, f->nreferences);
	if (!st) st = xh_buf_add(b, "}\n", 2);
	return st ? st : xh_writer_flush(w);
}

static xh_status day_str(struct xh_buf *b, int64_t ms)
{
	char t[40];
	xh_time_format(ms, t, sizeof t);
	return xh_buf_printf(b, "\"%.10s\"", t);
}

static xh_status reasons(struct xh_buf *b, const char *k, const struct xh_reason *rs, size_t n)
{
	xh_status st = xh_json_key(b, k);
	if (!st) st = xh_buf_addc(b, '[');
	for (size_t i = 0; !st && i < n; i++) {
		if (i) st = xh_buf_addc(b, ',');
		if (!st) st = xh_buf_adds(b, "{\"path\":");
		if (!st) st = xh_esc_json_str(b, rs[i].path);
		if (!st) st = kv_u64(b, "line", rs[i].line);
		if (!st) st = kv_u64(b, "offset", rs[i].offset);
		if (!st) st = xh_json_kv_str(b, "reason", rs[i].what);
		if (!st) st = xh_buf_addc(b, '}');
	}
	return st ? st : xh_buf_addc(b, ']');
}

/* The members of a coverage group after its key: counts, times, reasons, gaps. */
static xh_status group_counts(struct xh_buf *b, const struct xh_cover_group *g)
{
	xh_status st = kv_u64(b, "files", g->files);
		if (!st) st = kv_u64(b, "bytes", g->bytes);
		if (!st) st = kv_u64(b, "records", g->records);
		if (!st) st = kv_u64(b, "bad_records", g->bad_records);
		if (!st) st = kv_u64(b, "comment_lines", g->comments);
		if (!st) st = kv_u64(b, "odd_comment_lines", g->odd_comments);
		if (!st) st = kv_u64(b, "outside_window", g->outside_window);
		if (!st) st = kv_u64(b, "unreadable_files", g->unreadable_files);
		if (!st) st = kv_time(b, "first", g->first_ms);
		if (!st) st = kv_time(b, "last", g->last_ms);
		if (!st) st = reasons(b, "bad_reasons", g->reasons, g->nreasons);
		if (!st) st = reasons(b, "unreadable", g->unreadable, g->nunreadable);
		if (!st) st = kv_u64(b, "files_checked", g->files_checked);
		if (!st) st = kv_u64(b, "content_cut", g->content_cut);
		if (!st) st = kv_u64(b, "not_hashed", g->not_hashed);
		if (!st) st = kv_u64(b, "gap_days", g->gap_days);
		if (!st) st = xh_json_key(b, "gaps");
		if (!st) st = xh_buf_addc(b, '[');
		for (size_t k = 0; !st && k < g->ngaps; k++) {
			st = xh_buf_adds(b, k ? ",{\"from\":" : "{\"from\":");
			/* days, inclusive: the first and the last day without a record */
			if (!st) st = day_str(b, g->gaps[k].from_ms);
			if (!st) st = xh_buf_adds(b, ",\"to\":");
			if (!st) st = day_str(b, g->gaps[k].to_ms - 86400000);
			if (!st) st = xh_buf_addc(b, '}');
		}
		return st ? st : xh_buf_addc(b, ']');
}

/* A ", "-separated list of the report as a JSON array. */
static xh_status list_values(struct xh_buf *b, const char *list)
{
	xh_status st = xh_buf_addc(b, '[');

	for (const char *p = list; !st && *p;) {
		const char *comma = strstr(p, ", ");
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		if (p != list) st = xh_buf_addc(b, ',');
		if (!st) st = xh_esc_json(b, p, n);
		p += n + (comma ? 2 : 0);
	}
	return st ? st : xh_buf_addc(b, ']');
}

static xh_status list_array(struct xh_buf *b, const char *k, const char *list)
{
	xh_status st = xh_json_key(b, k);
	return st ? st : list_values(b, list);
}

static xh_status level_counts(struct xh_buf *b, const char *k, const uint64_t *n)
{
	xh_status st = xh_json_key(b, k);

	if (!st) st = xh_buf_addc(b, '{');
	for (unsigned l = 0; !st && l < XH_LEVEL_COUNT; l++) {
		if (l) st = xh_buf_addc(b, ',');
		if (!st) st = xh_esc_json_str(b, xh_level_name((enum xh_level)l));
		if (!st) st = xh_buf_addc(b, ':');
		if (!st) st = xh_buf_addu(b, n[l]);
	}
	return st ? st : xh_buf_addc(b, '}');
}

/* {"type":"verdict","host":H,...}: one host's answer, its coverage per log family and
 * its exposure. */
static xh_status host_verdict(struct xh_buf *b, const struct xh_host *h)
{
	xh_status st = xh_buf_adds(b, "{\"type\":\"verdict\"");

	if (!st) st = xh_json_kv_str(b, "host", h->name);
	if (!st) st = xh_json_kv_str(b, "verdict", xh_verdict_name(h->verdict));
	if (!st) st = xh_json_kv_str(b, "reason", h->reason);
	if (!st) st = xh_json_kv_str(b, "named_by", h->named_by);
	if (!st) st = xh_json_kv_str(b, "evidence", h->evidence);
	if (!st) st = xh_json_kv_str(b, "collection", h->collection);
	if (!st) st = list_array(b, "names_seen", h->names_seen);
	if (!st) st = xh_buf_printf(b, ",\"name_differs\":%s", h->name_differs ? "true" : "false");
	if (!st) st = kv_time(b, "first_compromise", h->first_compromise);
	if (!st) st = kv_time(b, "last_activity", h->last_activity);
	if (!st) st = list_array(b, "campaigns", h->campaigns);
	if (!st) st = list_array(b, "cves", h->cves);
	if (!st) st = list_array(b, "attackers", h->attackers);
	if (!st) st = list_array(b, "shells", h->shells);
	if (!st) st = xh_json_kv_str(b, "build", h->build[0] ? h->build : NULL);
	if (!st) st = list_array(b, "open_cves", h->open_cves);
	if (!st) st = xh_json_kv_str(b, "mitigation", h->mitigation[0] ? h->mitigation : NULL);
	if (!st) st = level_counts(b, "findings", h->findings);
	if (!st) st = kv_u64(b, "files", h->files);
	if (!st) st = kv_u64(b, "files_read", h->files_read);
	if (!st) st = kv_u64(b, "files_unreadable", h->files_unreadable);
	if (!st) st = kv_u64(b, "records", h->records);
	if (!st) st = kv_u64(b, "bad_records", h->bad_records);
	/* coverage: one object per log family, "log" naming it */
	if (!st) st = xh_json_key(b, "coverage");
	if (!st) st = xh_buf_addc(b, '[');
	for (size_t i = 0; !st && i < h->nfamilies; i++) {
		st = xh_buf_adds(b, i ? ",{\"log\":" : "{\"log\":");
		if (!st) st = xh_esc_json_str(b, h->families[i].kind);
		if (!st) st = group_counts(b, &h->families[i]); /* members after the first */
		if (!st) st = xh_buf_addc(b, '}');
	}
	if (!st) st = xh_buf_addc(b, ']');
	if (!st) st = xh_buf_adds(b, ",\"exposure\":{\"campaigns\":");
	if (!st) st = list_values(b, h->exposure);
	if (!st) st = kv_time(b, "from", h->exposed_from);
	if (!st) st = kv_time(b, "to", h->exposed_to);
	if (!st) st = xh_buf_printf(b, ",\"assumed\":%s,\"limited\":%s", h->exposure_assumed ? "true" : "false",
	                            h->limited ? "true" : "false");
	if (!st) st = kv_u64(b, "uncovered_days", h->uncovered_days);
	if (!st) st = xh_buf_addc(b, '}');
	return st ? st : xh_buf_add(b, "}\n", 2);
}

static xh_status jsonl_finish(struct xh_writer *w, const struct xh_report *r)
{
	struct xh_buf *b = &w->tmp;
	struct xh_notice notes[XH_MAX_NOTICES];
	size_t nn;
	xh_status st = XH_OK;

	for (size_t i = 0; !st && w->o.coverage && i < r->ngroups; i++) {
		const struct xh_cover_group *g = &r->groups[i];
		st = xh_buf_adds(b, "{\"type\":\"coverage\"");
		if (!st) st = xh_json_kv_str(b, "host", g->host < r->nhosts ? r->hosts[g->host].name : NULL);
		if (!st) st = xh_json_kv_str(b, "kind", g->kind);
		if (!st) st = xh_json_kv_str(b, "folder", g->folder);
		if (!st) st = group_counts(b, g);
		if (!st) st = xh_buf_add(b, "}\n", 2);
		if (!st) st = xh_writer_flush(w);
	}
	nn = w->o.coverage ? xh_report_notices(r, notes, XH_ARRAY_LEN(notes)) : 0;
	for (size_t i = 0; !st && i < nn; i++) {
		st = xh_buf_adds(b, "{\"type\":\"notice\"");
		if (!st) st = xh_json_kv_str(b, "topic", notes[i].topic);
		if (!st) st = xh_json_kv_str(b, "text", notes[i].text);
		if (!st) st = xh_buf_add(b, "}\n", 2);
	}
	for (size_t i = 0; !st && w->o.findings && i < r->nhosts; i++) {
		st = host_verdict(b, &r->hosts[i]);
		if (!st) st = xh_writer_flush(w);
	}
	if (!st && w->o.findings) {
		/* the fleet: host null, the worst verdict, hosts per verdict */
		st = xh_buf_adds(b, "{\"type\":\"verdict\",\"host\":null");
		if (!st) st = xh_json_kv_str(b, "verdict", xh_verdict_name(r->verdict));
		if (!st) st = xh_json_kv_str(b, "text", r->verdict_text);
		if (!st) st = kv_u64(b, "hosts", r->nhosts);
		if (!st) st = xh_json_key(b, "hosts_by_verdict");
		if (!st) st = xh_buf_addc(b, '{');
		for (unsigned v = 0; !st && v < XH_VERDICT_COUNT; v++) {
			if (v) st = xh_buf_addc(b, ',');
			if (!st) st = xh_esc_json_str(b, xh_verdict_name((enum xh_verdict)v));
			if (!st) st = xh_buf_addc(b, ':');
			if (!st) st = xh_buf_addu(b, r->hosts_by_verdict[v]);
		}
		if (!st) st = xh_buf_addc(b, '}');
		if (!st) st = kv_u64(b, "uncorrelated_findings", r->findings_uncorrelated);
		if (!st) st = kv_u64(b, "findings_below_min_level", r->findings_below_min);
		if (!st) st = xh_buf_add(b, "}\n", 2);
	}
	if (!st && w->o.coverage) {
		st = xh_buf_adds(b, "{\"type\":\"summary\"");
		if (!st) st = kv_u64(b, "files_total", r->files_total);
		if (!st) st = kv_u64(b, "files_read", r->files_read);
		if (!st) st = kv_u64(b, "files_unreadable", r->files_unreadable);
		if (!st) st = kv_u64(b, "files_skipped", r->files_skipped);
		if (!st) st = kv_u64(b, "bytes", r->bytes_total);
		if (!st) st = kv_u64(b, "records", r->records);
		if (!st) st = kv_u64(b, "bad_records", r->bad_records);
		if (!st) st = xh_buf_printf(b, ",\"file_checks\":%s", r->file_checks ? "true" : "false");
		if (!st) st = kv_u64(b, "files_checked", r->files_checked);
		if (!st) st = kv_u64(b, "files_cut", r->files_cut);
		if (!st) st = kv_u64(b, "files_not_hashed", r->files_not_hashed);
		if (!st) st = level_counts(b, "findings", r->findings);
		if (!st) st = xh_json_kv_str(b, "detection", r->detection ? "ran" : "none");
		if (!st) st = kv_time(b, "since", r->since_ms);
		if (!st) st = kv_time(b, "until", r->until_ms);
		if (!st) st = xh_buf_printf(b, ",\"seconds\":%.3f}\n", r->seconds);
	}
	return st ? st : xh_writer_flush(w);
}

static xh_status jsonl_build(struct xh_writer *w, const char *host, const char *input, const struct xh_build_info *bi)
{
	struct xh_buf *b = &w->tmp;
	char ver[32];
	xh_status st;

	xh_build_format(&bi->build, ver, sizeof ver);
	st = xh_buf_adds(b, "{\"type\":\"build\"");
	if (!st && host) st = xh_json_kv_str(b, "host", host);
	if (!st) st = xh_json_kv_str(b, "input", input);
	if (!st) st = xh_json_kv_str(b, "build", ver);
	if (!st) st = xh_json_kv_str(b, "product", bi->product_name);
	if (!st) st = xh_json_kv_str(b, "cu", bi->cu);
	if (!st) st = xh_json_kv_str(b, "update", bi->update ? (bi->update[0] ? bi->update : "CU release") : NULL);
	if (!st) st = xh_json_kv_str(b, "kb", bi->kb && bi->kb[0] ? bi->kb : NULL);
	if (!st) st = xh_json_kv_str(b, "date", bi->date);
	if (!st) st = xh_buf_printf(b, ",\"exact\":%s,\"newer_than_table\":%s,\"disputed\":%s,\"lower_confidence\":%s",
	                            bi->exact ? "true" : "false", bi->newer_than_table ? "true" : "false",
	                            bi->disputed ? "true" : "false", bi->lower_confidence ? "true" : "false");
	if (!st) st = xh_json_kv_str(b, "note", bi->note[0] ? bi->note : NULL);
	if (!st) st = xh_json_key(b, "cves");
	if (!st) st = xh_buf_addc(b, '[');
	for (size_t i = 0; !st && i < bi->ncves; i++) {
		const struct xh_cve_verdict *v = &bi->cves[i];
		st = xh_buf_adds(b, i ? ",{\"cve\":" : "{\"cve\":");
		if (!st) st = xh_esc_json_str(b, v->cve);
		if (!st) st = xh_json_kv_str(b, "campaign", v->campaign[0] ? v->campaign : NULL);
		if (!st) st = xh_json_kv_str(b, "state", xh_cve_state_name(v->state));
		if (!st) st = xh_json_kv_str(b, "fix", v->fix[0] ? v->fix : NULL);
		if (!st) st = xh_json_kv_str(b, "why", v->why);
		if (!st) st = xh_buf_addc(b, '}');
	}
	if (!st) st = xh_buf_add(b, "]}\n", 3);
	return st ? st : xh_writer_flush(w);
}

/* The first line: which schema the lines follow (docs/output.md). */
static xh_status jsonl_begin(struct xh_writer *w)
{
	xh_status st = xh_buf_printf(&w->tmp, "{\"type\":\"schema\",\"schema\":%d,\"exhunt\":\"%s\"}\n",
	                             EXHUNT_JSONL_SCHEMA, EXHUNT_VERSION);
	return st ? st : xh_writer_flush(w);
}

const struct xh_writer_ops xh_writer_jsonl = {
	.name = "jsonl",
	.help = "JSON Lines: one object per line (schema, record, finding, coverage, notice, verdict, summary)",
	.begin = jsonl_begin,
	.record = jsonl_record,
	.finding = jsonl_finding,
	.finish = jsonl_finish,
	.build = jsonl_build,
};
