/*
 * Probe output: one record per target and the summary, as JSON Lines, CSV or text. The
 * formats are rows of one static table, as the scan writers are (writer.c). Fields are
 * defined in docs/probe.md. What a host sent (X-FEServer, a redirect location, an
 * error message quoting the answer) goes through escape.c like any evidence.
 */
#include "common/escape.h"

#include "exhunt/probe.h"

#include <stdio.h>

struct xh_probe_writer;

struct probe_fmt {
	const char *name, *help;
	xh_status (*begin)(struct xh_probe_writer *w);
	xh_status (*result)(struct xh_probe_writer *w, const struct xh_probe_result *r);
	xh_status (*summary)(struct xh_probe_writer *w, const struct xh_probe_stats *st);
};

struct xh_probe_writer {
	const struct probe_fmt *f;
	bool color;
	xh_sink_fn sink;
	void *ud;
	struct xh_buf b;
};

/* CVE state names in probe output: the words ("cannot tell"). */
static const char *state_name(enum xh_cve_state s)
{
	static const char *const names[] = {"vulnerable", "fixed", "cannot_tell", "not_affected"};
	return (unsigned)s < XH_ARRAY_LEN(names) ? names[s] : "?";
}

static xh_status flush(struct xh_probe_writer *w)
{
	xh_status st = w->b.len ? w->sink(w->ud, w->b.p, w->b.len) : XH_OK;
	w->b.len = 0;
	return st;
}

static const char *precision(const struct xh_probe_result *r)
{
	if (!r->fp.has_build)
		return NULL;
	return r->fp.build.rev_known ? "full" : "cu";
}

static void build_text(const struct xh_probe_result *r, char *buf, size_t cap)
{
	if (r->fp.has_build)
		xh_build_format(&r->fp.build, buf, cap);
	else
		buf[0] = '\0';
}

/* ---- JSON Lines ------------------------------------------------------------------------ */


static xh_status jraw(struct xh_buf *b, const char *k, const char *v, size_t n)
{
	xh_status st = xh_json_key(b, k);
	if (st)
		return st;
	return n ? xh_esc_json(b, v, n) : xh_buf_adds(b, "null");
}

static xh_status ju64(struct xh_buf *b, const char *k, uint64_t v)
{
	xh_status st = xh_json_key(b, k);
	return st ? st : xh_buf_addu(b, v);
}

static xh_status jbool(struct xh_buf *b, const char *k, bool v)
{
	xh_status st = xh_json_key(b, k);
	return st ? st : xh_buf_adds(b, v ? "true" : "false");
}

static xh_status jsonl_result(struct xh_probe_writer *w, const struct xh_probe_result *r)
{
	struct xh_buf *b = &w->b;
	const struct xh_build_info *bi = r->assessed ? &r->info : NULL;
	char ver[32];
	xh_status st;

	build_text(r, ver, sizeof ver);
	st = xh_buf_adds(b, "{\"type\":\"probe\"");
	if (!st) st = xh_json_kv_str(b, "target", r->target.host);
	if (!st) st = xh_json_kv_str(b, "address", r->address[0] ? r->address : NULL);
	if (!st) st = ju64(b, "port", r->target.port);
	if (!st) st = xh_json_kv_str(b, "scheme", xh_scheme_name(r->target.scheme));
	if (!st) st = jbool(b, "tls", r->tls);
	if (!st) st = jbool(b, "tls_verified", r->tls_verified);
	if (!st) st = xh_json_key(b, "status");
	if (!st) st = r->status ? xh_buf_printf(b, "%ld", r->status) : xh_buf_adds(b, "null");
	if (!st) st = jbool(b, "exchange", r->fp.why != 0);
	if (!st) st = xh_json_key(b, "why");
	if (!st) st = xh_buf_addc(b, '[');
	for (unsigned i = 0, k = 0; !st && i < XH_FPW_COUNT; i++)
		if (r->fp.why & (1u << i)) {
			if (k++)
				st = xh_buf_addc(b, ',');
			if (!st)
				st = xh_esc_json_str(b, xh_fp_why_name(i));
		}
	if (!st) st = xh_buf_addc(b, ']');
	if (!st) st = jraw(b, "fe_server", r->fp.fe_server, r->fp.fe_server_len);
	if (!st) st = xh_json_kv_str(b, "build", r->fp.has_build ? ver : NULL);
	if (!st) st = xh_json_kv_str(b, "build_source", r->fp.has_build ? xh_build_source_name(r->fp.source) : NULL);
	if (!st) st = xh_json_kv_str(b, "precision", precision(r));
	if (!st) st = xh_json_kv_str(b, "product", bi ? bi->product_name : NULL);
	if (!st) st = xh_json_kv_str(b, "cu", bi ? bi->cu : NULL);
	if (!st) st = xh_json_kv_str(b, "update", bi && bi->update ? (bi->update[0] ? bi->update : "CU release") : NULL);
	if (!st) st = xh_json_kv_str(b, "build_note", bi && bi->note[0] ? bi->note : NULL);
	if (!st) st = xh_json_kv_str(b, "exposure", xh_exposure_name(r->exposure));
	if (!st) st = xh_json_key(b, "cves");
	if (!st) st = xh_buf_addc(b, '[');
	for (size_t i = 0; !st && bi && i < bi->ncves; i++) {
		const struct xh_cve_verdict *v = &bi->cves[i];
		st = xh_buf_adds(b, i ? ",{\"cve\":" : "{\"cve\":");
		if (!st) st = xh_esc_json_str(b, v->cve);
		if (!st) st = xh_json_kv_str(b, "campaign", v->campaign[0] ? v->campaign : NULL);
		if (!st) st = xh_json_kv_str(b, "state", state_name(v->state));
		if (!st) st = xh_json_kv_str(b, "fix", v->fix[0] ? v->fix : NULL);
		if (!st) st = xh_json_kv_str(b, "why", v->why);
		if (!st) st = xh_buf_addc(b, '}');
	}
	if (!st) st = xh_buf_addc(b, ']');
	if (!st) st = xh_json_kv_str(b, "note", r->fp.note[0] ? r->fp.note : NULL);
	if (!st) st = jraw(b, "redirect_not_followed", r->redirect, strlen(r->redirect));
	if (!st) st = xh_json_kv_str(b, "error", r->error ? xh_probe_error_name(r->error) : NULL);
	if (!st) st = jraw(b, "error_text", r->error_text, strlen(r->error_text));
	if (!st) st = ju64(b, "requests", r->requests);
	if (!st) st = xh_json_key(b, "export_tool_status");
	if (!st) st = r->tool_status ? xh_buf_printf(b, "%ld", r->tool_status) : xh_buf_adds(b, "null");
	if (!st) st = ju64(b, "position", r->target.position);
	if (!st) st = xh_buf_printf(b, ",\"seconds\":%.3f}\n", r->seconds);
	return st ? st : flush(w);
}

static xh_status jsonl_summary(struct xh_probe_writer *w, const struct xh_probe_stats *s)
{
	struct xh_buf *b = &w->b;
	xh_status st = xh_buf_adds(b, "{\"type\":\"probe_summary\"");

	if (!st) st = ju64(b, "index_space", s->index_space);
	if (!st) st = ju64(b, "shard_positions", s->shard_total);
	if (!st) st = ju64(b, "skipped", s->skipped);
	if (!st) st = ju64(b, "visited", s->visited);
	if (!st) st = ju64(b, "excluded", s->excluded);
	if (!st) st = ju64(b, "probed", s->probed);
	if (!st) st = ju64(b, "requests", s->requests);
	if (!st) st = ju64(b, "resume_point", s->done);
	if (!st) st = jbool(b, "stopped_at_max_hosts", s->stopped);
	if (!st) st = xh_json_key(b, "exposure");
	for (unsigned i = 0; !st && i < XH_EXP_COUNT; i++) {
		st = xh_buf_addc(b, i ? ',' : '{');
		if (!st) st = xh_esc_json_str(b, xh_exposure_name((enum xh_exposure)i));
		if (!st) st = xh_buf_printf(b, ":%llu", (unsigned long long)s->exposure[i]);
	}
	if (!st) st = xh_buf_addc(b, '}');
	if (!st) st = xh_json_key(b, "errors");
	for (unsigned i = 1; !st && i < XH_PERR_COUNT; i++) {
		st = xh_buf_addc(b, i > 1 ? ',' : '{');
		if (!st) st = xh_esc_json_str(b, xh_probe_error_name((enum xh_probe_error)i));
		if (!st) st = xh_buf_printf(b, ":%llu", (unsigned long long)s->errors[i]);
	}
	if (!st) st = xh_buf_addc(b, '}');
	if (!st) st = ju64(b, "full_builds", s->full_builds);
	if (!st) st = ju64(b, "cu_only_builds", s->cu_builds);
	if (!st) st = xh_json_key(b, "cves");
	if (!st) st = xh_buf_addc(b, '[');
	for (size_t i = 0; !st && i < s->ncves; i++) {
		st = xh_buf_adds(b, i ? ",{\"cve\":" : "{\"cve\":");
		if (!st) st = xh_esc_json_str(b, s->cve[i]);
		if (!st) st = xh_json_kv_str(b, "campaign", s->campaign[i][0] ? s->campaign[i] : NULL);
		for (unsigned k = 0; !st && k < 4; k++) {
			st = xh_json_key(b, state_name((enum xh_cve_state)k));
			if (!st) st = xh_buf_addu(b, s->cve_state[i][k]);
		}
		if (!st) st = xh_buf_addc(b, '}');
	}
	if (!st) st = xh_buf_printf(b, "],\"seconds\":%.3f}\n", s->seconds);
	return st ? st : flush(w);
}

/* ---- CSV ----------------------------------------------------------------------------------- */

static const char *const csv_cols[] = {
	"target", "address", "port", "scheme", "tls", "status", "exchange", "why", "fe_server", "build",
	"build_source", "precision", "product", "cu", "update", "exposure", "note", "redirect_not_followed",
	"error", "error_text", "requests",
};

static xh_status cell(struct xh_buf *b, bool first, const char *s, size_t n)
{
	xh_status st = first ? XH_OK : xh_buf_addc(b, ',');
	return st ? st : xh_esc_csv(b, s, n);
}

static xh_status cells(struct xh_buf *b, bool first, const char *s)
{
	return cell(b, first, s ? s : "", s ? strlen(s) : 0);
}

static xh_status csv_begin(struct xh_probe_writer *w)
{
	struct xh_buf *b = &w->b;
	struct xh_probe_stats s;
	xh_status st = XH_OK;

	xh_probe_stats_init(&s); /* for the CVE names, in the patch-status module's order */
	for (size_t i = 0; !st && i < XH_ARRAY_LEN(csv_cols); i++)
		st = cells(b, i == 0, csv_cols[i]);
	for (size_t i = 0; !st && i < s.ncves; i++) {
		char why[64];
		snprintf(why, sizeof why, "%s why", s.cve[i]);
		st = cells(b, false, s.cve[i]);
		if (!st)
			st = cells(b, false, why);
	}
	if (!st) st = xh_buf_addc(b, '\n');
	return st ? st : flush(w);
}

static xh_status csv_result(struct xh_probe_writer *w, const struct xh_probe_result *r)
{
	struct xh_buf *b = &w->b;
	const struct xh_build_info *bi = r->assessed ? &r->info : NULL;
	char ver[32], num[32], why[160] = "";
	struct xh_probe_stats s;
	xh_status st;

	build_text(r, ver, sizeof ver);
	for (unsigned i = 0; i < XH_FPW_COUNT; i++)
		if (r->fp.why & (1u << i)) {
			size_t n = strlen(why);
			snprintf(why + n, sizeof why - n, "%s%s", n ? "; " : "", xh_fp_why_name(i));
		}
	st = cells(b, true, r->target.host);
	if (!st) st = cells(b, false, r->address);
	snprintf(num, sizeof num, "%u", (unsigned)r->target.port);
	if (!st) st = cells(b, false, num);
	if (!st) st = cells(b, false, xh_scheme_name(r->target.scheme));
	if (!st) st = cells(b, false, r->tls ? "yes" : "no");
	snprintf(num, sizeof num, "%ld", r->status);
	if (!st) st = cells(b, false, r->status ? num : "");
	if (!st) st = cells(b, false, r->fp.why ? "yes" : "no");
	if (!st) st = cells(b, false, why);
	if (!st) st = cell(b, false, r->fp.fe_server, r->fp.fe_server_len);
	if (!st) st = cells(b, false, ver);
	if (!st) st = cells(b, false, r->fp.has_build ? xh_build_source_name(r->fp.source) : "");
	if (!st) st = cells(b, false, precision(r));
	if (!st) st = cells(b, false, bi ? bi->product_name : NULL);
	if (!st) st = cells(b, false, bi ? bi->cu : NULL);
	if (!st) st = cells(b, false, bi && bi->update ? (bi->update[0] ? bi->update : "CU release") : NULL);
	if (!st) st = cells(b, false, xh_exposure_name(r->exposure));
	if (!st) st = cells(b, false, r->fp.note);
	if (!st) st = cells(b, false, r->redirect);
	if (!st) st = cells(b, false, r->error ? xh_probe_error_name(r->error) : "");
	if (!st) st = cells(b, false, r->error_text);
	snprintf(num, sizeof num, "%u", r->requests);
	if (!st) st = cells(b, false, num);
	xh_probe_stats_init(&s);
	for (size_t i = 0; !st && i < s.ncves; i++) {
		const struct xh_cve_verdict *v = bi && i < bi->ncves ? &bi->cves[i] : NULL;
		st = cells(b, false, v ? state_name(v->state) : "");
		if (!st) st = cells(b, false, v ? v->why : "");
	}
	if (!st) st = xh_buf_addc(b, '\n');
	return st ? st : flush(w);
}

/* ---- text ------------------------------------------------------------------------------------ */

static xh_status text_begin(struct xh_probe_writer *w)
{
	(void)w;
	return XH_OK;
}

static xh_status text_result(struct xh_probe_writer *w, const struct xh_probe_result *r)
{
	struct xh_buf *b = &w->b;
	const struct xh_build_info *bi = r->assessed ? &r->info : NULL;
	bool v6 = r->target.family == 6, red = w->color && r->exposure == XH_EXP_VULNERABLE;
	char ver[32];
	xh_status st;

	build_text(r, ver, sizeof ver);
	st = xh_buf_printf(b, "%s%s%s:%u %s  ", v6 ? "[" : "", r->target.host, v6 ? "]" : "",
	                   (unsigned)r->target.port, xh_scheme_name(r->target.scheme));
	if (!st && red) st = xh_buf_adds(b, "\033[1;31m");
	if (!st) {
		const char *e = xh_exposure_name(r->exposure);
		for (; !st && *e; e++)
			st = xh_buf_addc(b, *e == '_' ? ' ' : (char)(*e >= 'a' && *e <= 'z' ? *e - 32 : *e));
	}
	if (!st && red) st = xh_buf_adds(b, "\033[0m");
	if (!st && r->error) {
		st = xh_buf_printf(b, "  %s: ", xh_probe_error_name(r->error));
		if (!st) st = xh_esc_text(b, r->error_text, strlen(r->error_text));
	}
	if (!st && r->status) st = xh_buf_printf(b, "  HTTP %ld", r->status);
	if (!st && r->fp.has_build)
		st = xh_buf_printf(b, "  %s (%s, %s)", ver, xh_build_source_name(r->fp.source),
		                   r->fp.build.rev_known ? "full build" : "CU only");
	if (!st && bi)
		st = xh_buf_printf(b, "  %s %s%s%s", bi->product_name, bi->cu ? bi->cu : "(CU not in the table)",
		                   bi->update && bi->update[0] ? " " : "", bi->update ? bi->update : "");
	if (!st && r->fp.fe_server_len) {
		st = xh_buf_adds(b, "  front end ");
		if (!st) st = xh_esc_text(b, r->fp.fe_server, r->fp.fe_server_len);
	}
	if (!st && r->redirect[0]) {
		st = xh_buf_adds(b, "  redirect not followed: ");
		if (!st) st = xh_esc_text(b, r->redirect, strlen(r->redirect));
	}
	if (!st && r->fp.why && !r->fp.has_build)
		st = xh_buf_adds(b, "  (Exchange, no build visible)");
	if (!st) st = xh_buf_addc(b, '\n');
	/* the open CVEs, then the ones that cannot be told, each with the reason */
	for (size_t i = 0; !st && bi && i < bi->ncves; i++) {
		const struct xh_cve_verdict *v = &bi->cves[i];
		if (v->state != XH_CVE_VULNERABLE && v->state != XH_CVE_UNKNOWN)
			continue;
		st = xh_buf_printf(b, "    %-15s %-13s %-12s %s\n", v->cve, v->campaign, state_name(v->state), v->why);
	}
	if (!st && r->fp.note[0]) st = xh_buf_printf(b, "    note: %s\n", r->fp.note);
	return st ? st : flush(w);
}

static xh_status text_summary(struct xh_probe_writer *w, const struct xh_probe_stats *s)
{
	struct xh_buf *b = &w->b;
	static const char *const label[XH_EXP_COUNT] = {
		"vulnerable (an exploited CVE open)", "cannot tell (CU only or update not visible)",
		"fixed (every exploited CVE fixed)", "Exchange, no build visible", "not Exchange", "no usable answer",
	};
	xh_status st;

	st = xh_buf_printf(b, "\n%llu targets probed, %llu excluded (never contacted), %llu requests, %.2f s",
	                   (unsigned long long)s->probed, (unsigned long long)s->excluded,
	                   (unsigned long long)s->requests, s->seconds);
	if (!st && s->stopped)
		st = xh_buf_adds(b, "; stopped at --max-hosts");
	if (!st)
		st = xh_buf_printf(b, "\nshard: %llu of %llu index positions, resume point %llu\n\nhosts per verdict:\n",
		                   (unsigned long long)s->shard_total, (unsigned long long)s->index_space,
		                   (unsigned long long)s->done);
	for (unsigned i = 0; !st && i < XH_EXP_COUNT; i++)
		st = xh_buf_printf(b, "  %-46s %8llu\n", label[i], (unsigned long long)s->exposure[i]);
	for (unsigned i = 1; !st && i < XH_PERR_COUNT; i++)
		if (s->errors[i] && i != XH_PERR_EXCLUDED)
			st = xh_buf_printf(b, "    %-44s %8llu\n", xh_probe_error_name((enum xh_probe_error)i),
			                   (unsigned long long)s->errors[i]);
	if (!st)
		st = xh_buf_printf(b, "builds seen: %llu full, %llu CU only\n\nhosts per CVE (hosts with a build):\n"
		                      "  %-15s %-14s %10s %8s %12s %13s\n",
		                   (unsigned long long)s->full_builds, (unsigned long long)s->cu_builds, "CVE", "campaign",
		                   "vulnerable", "fixed", "cannot tell", "not affected");
	for (size_t i = 0; !st && i < s->ncves; i++)
		st = xh_buf_printf(b, "  %-15s %-14s %10llu %8llu %12llu %13llu\n", s->cve[i], s->campaign[i],
		                   (unsigned long long)s->cve_state[i][XH_CVE_VULNERABLE],
		                   (unsigned long long)s->cve_state[i][XH_CVE_FIXED],
		                   (unsigned long long)s->cve_state[i][XH_CVE_UNKNOWN],
		                   (unsigned long long)s->cve_state[i][XH_CVE_NOT_AFFECTED]);
	return st ? st : flush(w);
}

/* ---- the registry ------------------------------------------------------------------------------ */

static const struct probe_fmt formats[] = {
	{"text", "one line per host (open CVEs below it) and the summary", text_begin, text_result, text_summary},
	{"jsonl", "JSON Lines: one \"probe\" object per target, then \"probe_summary\"", NULL, jsonl_result,
	 jsonl_summary},
	{"csv", "one row per target, a state and a reason column per CVE (no summary)", csv_begin, csv_result, NULL},
};

size_t xh_probe_format_count(void)
{
	return XH_ARRAY_LEN(formats);
}

const char *xh_probe_format_name(size_t i)
{
	return i < XH_ARRAY_LEN(formats) ? formats[i].name : NULL;
}

const char *xh_probe_format_help(size_t i)
{
	return i < XH_ARRAY_LEN(formats) ? formats[i].help : NULL;
}

xh_status xh_probe_writer_new(const char *format, bool color, xh_sink_fn sink, void *ud,
                              struct xh_probe_writer **out)
{
	*out = NULL;
	for (size_t i = 0; i < XH_ARRAY_LEN(formats); i++) {
		struct xh_probe_writer *w;
		if (strcmp(formats[i].name, format) != 0)
			continue;
		w = xh_calloc(1, sizeof *w);
		if (!w)
			return XH_ENOMEM;
		w->f = &formats[i];
		w->color = color;
		w->sink = sink;
		w->ud = ud;
		/* one result: fixed fields, 24 CVE verdicts of < 400 bytes, escaped server bytes */
		xh_buf_init(&w->b, XH_PROBE_MAX_RECORD_OUT);
		*out = w;
		return XH_OK;
	}
	return XH_ENOTFOUND;
}

void xh_probe_writer_free(struct xh_probe_writer *w)
{
	if (!w)
		return;
	xh_buf_free(&w->b);
	xh_free(w);
}

xh_status xh_probe_writer_begin(struct xh_probe_writer *w)
{
	return w->f->begin ? w->f->begin(w) : XH_OK;
}

xh_status xh_probe_writer_result(struct xh_probe_writer *w, const struct xh_probe_result *r)
{
	xh_status st = w->f->result(w, r);
	w->b.len = 0;
	return st;
}

xh_status xh_probe_writer_summary(struct xh_probe_writer *w, const struct xh_probe_stats *st)
{
	xh_status s = w->f->summary ? w->f->summary(w, st) : XH_OK;
	w->b.len = 0;
	return s;
}
