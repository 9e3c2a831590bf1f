/*
 * The scan hook of the rule engine (xh_rules_hook, exhunt.h): per record, the prefilter
 * (prefilter.c) names the rules that can match, in rule order; each that runs on the
 * record's source (and, for Windows rules, selects its event) is evaluated (match.c),
 * and a match becomes a finding with the fields the rule tests, written into the file's
 * emit handle. Each worker owns its evaluation and prefilter scratch.
 */
#include "model/finding.h"
#include "model/source.h"
#include "detect/match.h"
#include "detect/prefilter.h"
#include "detect/rules.h"

struct worker_state {
	struct xh_eval_scratch es;
	struct xh_pf_scratch *pfs;  /* NULL when the rules were not prepared */
};

void *xh_rules_worker_new(void *ud)
{
	struct xh_rules *rs = ud;
	struct worker_state *w = xh_calloc(1, sizeof *w);

	if (!w)
		return NULL;
	if (xh_eval_scratch_init(&w->es) ||
	    (xh_rules_prefilter_on(rs) &&
	     (xh_rules_prepare(rs, NULL) || !(w->pfs = xh_pf_scratch_new(xh_rules_prefilter(rs)))))) {
		xh_rules_worker_free(rs, w);
		return NULL;
	}
	return w;
}

void xh_rules_worker_free(void *ud, void *state)
{
	struct worker_state *w = state;

	(void)ud;
	if (!w)
		return;
	xh_eval_scratch_free(&w->es);
	xh_pf_scratch_free(w->pfs);
	xh_free(w);
}

static xh_status emit_match(const struct xh_rule *r, const struct xh_record *rec, struct xh_eval_scratch *es,
                            struct xh_emit *emit)
{
	struct xh_finding f;
	struct xh_rule_hit hit;
	struct xh_kv kv[XH_MAX_FINDING_FIELDS];
	size_t nk = 0, at[XH_MAX_FINDING_FIELDS];
	bool copied[XH_MAX_FINDING_FIELDS];
	char server[XH_FINDING_HOST], client[XH_FINDING_CLIENT];
	xh_status st;

	/* a composed or decoded value lives in a scratch buffer the next field reuses: it is
	 * copied out, and pointed to once every copy is made (the copies' buffer may move) */
	es->quoted.len = 0;
	for (size_t k = 0; k < r->nfields && nk < XH_MAX_FINDING_FIELDS; k++) {
		struct xh_sv v;
		if (!xh_rule_field(&r->field_refs[k], rec, es, &v))
			continue;
		kv[nk].name = r->fields[k];
		kv[nk].value = v;
		copied[nk] = v.p && ((es->uri.p && v.p >= es->uri.p && v.p < es->uri.p + es->uri.cap) ||
		                     (es->dec.p && v.p >= es->dec.p && v.p < es->dec.p + es->dec.cap));
		if (copied[nk]) {
			at[nk] = es->quoted.len;
			if ((st = xh_buf_add(&es->quoted, v.p, v.n)) != XH_OK)
				return st;
		}
		nk++;
	}
	for (size_t k = 0; k < nk; k++)
		if (copied[k])
			kv[k].value.p = es->quoted.p + at[k];
	memset(&f, 0, sizeof f);
	hit = (struct xh_rule_hit){r->id ? r->id : r->title, r->name, r->title ? r->title : "(untitled rule)", r->level,
	                           (const char *const *)r->tags, r->ntags};
	f.rules = &hit;
	f.nrules = 1;
	f.rule_id = r->id ? r->id : r->title;
	f.rule_name = r->name;
	f.title = r->title ? r->title : "(untitled rule)";
	f.level = f.rule_level = r->level;
	f.tags = (const char *const *)r->tags;
	f.ntags = r->ntags;
	f.references = (const char *const *)r->refs;
	f.nreferences = r->nrefs;
	f.time_ms = f.last_ms = rec->time_ms;
	f.count = 1;
	f.source = rec->source->name;
	f.path = rec->path;
	f.origin = rec->origin;
	f.line = rec->line;
	f.offset = rec->offset;
	f.fields = kv;
	f.nfields = nk;
	f.excerpt = rec->raw;
	xh_finding_context(&f, rec, server, sizeof server, client, sizeof client);
	return xh_emit_finding(emit, &f);
}

xh_status xh_rules_hook(void *ud, const struct xh_record *rec, struct xh_emit *emit)
{
	const struct xh_rules *rs = ud;
	struct worker_state *w = xh_emit_hook_state(emit), tmp;
	unsigned bit = xh_source_bit(rec->source);
	const size_t *cand = NULL;
	size_t ncand;
	xh_status st = XH_OK;

	if (!w) {
		/* no per-worker state: evaluate every rule with scratch made for this record */
		memset(&tmp, 0, sizeof tmp);
		if (xh_eval_scratch_init(&tmp.es)) {
			xh_eval_scratch_free(&tmp.es);
			return XH_ENOMEM;
		}
		w = &tmp;
	}
	if (w->pfs)
		ncand = xh_prefilter_run(xh_rules_prefilter(rs), w->pfs, rec->raw.p, rec->raw.n, &cand);
	else
		ncand = xh_rules_count(rs);
	for (size_t i = 0; i < ncand && !st; i++) {
		const struct xh_rule *r = xh_rules_at(rs, cand ? cand[i] : i);
		if ((r->sources & bit) && (!r->win || xh_winsource_match(r->win, rec)) && xh_rule_eval(r, rec, &w->es))
			st = emit_match(r, rec, &w->es, emit);
	}
	if (w == &tmp)
		xh_eval_scratch_free(&tmp.es);
	return st;
}
