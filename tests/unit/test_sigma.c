/*
 * Sigma semantics on hand-made records: maps AND, lists OR, globs with Sigma's escaping,
 * case folding and |cased, modifiers, null and '-', keywords, the webserver cs-uri-query
 * composition, condition precedence and quantifiers, and rules rejected with a reason.
 */
#include "check.h"
#include "detect/prefilter.h"
#include "detect/sigma.h"

#include <stdio.h>

static const char *const w3c_names[] = {"cs-method", "cs-uri-stem", "cs-uri-query", "cs(User-Agent)", "c-ip"};
static struct xh_schema w3c = {5, w3c_names, 1};

/* An IIS record from method, stem, query (NULL for "-"), user agent, client IP. */
static struct xh_record rec(struct xh_sv *f, const char *m, const char *stem, const char *q, const char *ua,
                            const char *ip, const char *raw)
{
	struct xh_record r;
	const char *v[5] = {m, stem, q, ua, ip};

	memset(&r, 0, sizeof r);
	for (int i = 0; i < 5; i++)
		f[i] = v[i] ? xh_sv_make(v[i], strlen(v[i])) : xh_sv_make(NULL, 0);
	r.source = xh_source_find("iis");
	r.path = "t.log";
	r.schema = &w3c;
	r.fields = f;
	r.nfields = 5;
	r.raw = xh_sv_make(raw, strlen(raw));
	r.time_ms = XH_TIME_NONE;
	return r;
}

static char last_reject[256];

static void on_reject(void *ud, const char *path, const char *rule, const char *why)
{
	(void)ud;
	(void)path;
	(void)rule;
	snprintf(last_reject, sizeof last_reject, "%s", why);
}

/* Loads one webserver rule with this detection; NULL (reason in last_reject) if rejected. */
static struct xh_rules *rule(const char *detection)
{
	char text[2048];
	struct xh_rules *rs;

	snprintf(text, sizeof text, "title: t\nlogsource:\n  category: webserver\ndetection:\n%s", detection);
	last_reject[0] = '\0';
	if (xh_rules_new(&rs) != XH_OK)
		return NULL;
	if (xh_rules_load_text(rs, "t.yml", text, strlen(text), on_reject, NULL) != XH_OK || xh_rules_count(rs) != 1) {
		xh_rules_free(rs);
		return NULL;
	}
	return rs;
}

static int prefilter_misses;

/* Evaluates rule 0 directly, and checks that the prefilter never rejects a record the
 * rule matches (its literal sets must be necessary conditions). */
static bool hit(struct xh_rules *rs, const struct xh_record *r)
{
	struct xh_eval_scratch scratch;
	struct xh_pf_scratch *pfs;
	const size_t *cand;
	size_t n;
	bool h;

	if (xh_eval_scratch_init(&scratch) || xh_rules_prepare(rs, NULL) ||
	    !(pfs = xh_pf_scratch_new(xh_rules_prefilter(rs))))
		return false;
	h = xh_rule_eval(xh_rules_at(rs, 0), r, &scratch);
	n = xh_prefilter_run(xh_rules_prefilter(rs), pfs, r->raw.p, r->raw.n, &cand);
	if (h && (n == 0 || cand[0] != 0)) {
		fprintf(stderr, "prefilter rejected a matching record: %.*s\n", (int)r->raw.n, r->raw.p);
		prefilter_misses++;
	}
	xh_pf_scratch_free(pfs);
	xh_eval_scratch_free(&scratch);
	return h;
}

int main(void)
{
	struct xh_sv f[5];
	struct xh_record post = rec(f, "POST", "/ecp/y.js", "&CorrelationID=<empty>;", "python-requests/2.25.1",
	                            "104.250.191.110",
	                            "POST /ecp/y.js &CorrelationID=<empty>; python-requests/2.25.1 104.250.191.110");
	struct xh_sv g[5];
	struct xh_record get = rec(g, "GET", "/owa/auth/x.js", NULL, "Mozilla*5.0", "10.1.2.3", "GET /owa/auth/x.js - Mozilla*5.0 10.1.2.3");
	struct xh_rules *rs;

	/* map = AND, list = OR, case-insensitive, cs-uri-query = stem?query */
	CHECK((rs = rule("  sel:\n    cs-method: post\n    cs-uri-query|contains: ['/nothing', '/ECP/Y.JS?&corr']\n"
	                 "  condition: sel\n")) != NULL);
	CHECK(rs && hit(rs, &post) && !hit(rs, &get));
	xh_rules_free(rs);
	/* a query of "-" leaves the stem alone: no '?' appended */
	CHECK((rs = rule("  sel:\n    cs-uri-query: '/owa/auth/x.js'\n  condition: sel\n")) != NULL);
	CHECK(rs && hit(rs, &get));
	xh_rules_free(rs);
	/* escaping: \* is a literal star, * a wildcard; |cased keeps case */
	CHECK((rs = rule("  sel:\n    cs-user-agent: 'Mozilla\\*5.0'\n  condition: sel\n")) != NULL);
	CHECK(rs && hit(rs, &get));
	xh_rules_free(rs);
	CHECK((rs = rule("  sel:\n    cs-user-agent: 'Mozilla\\*5.1'\n  condition: sel\n")) != NULL);
	CHECK(rs && !hit(rs, &get));
	xh_rules_free(rs);
	CHECK((rs = rule("  sel:\n    cs-user-agent|cased: 'PYTHON*'\n  condition: sel\n")) != NULL);
	CHECK(rs && !hit(rs, &post));
	xh_rules_free(rs);
	CHECK((rs = rule("  sel:\n    cs-user-agent: 'PYTHON-requests/?.25.*'\n  condition: sel\n")) != NULL);
	CHECK(rs && hit(rs, &post));
	xh_rules_free(rs);
	/* |all, |re, |cidr, null for "-", keywords */
	CHECK((rs = rule("  sel:\n    cs-uri-query|contains|all: ['/ecp/', '.js']\n  condition: sel\n")) != NULL);
	CHECK(rs && hit(rs, &post) && !hit(rs, &get));
	xh_rules_free(rs);
	CHECK((rs = rule("  sel:\n    cs-uri-stem|re: '^/ecp/[a-z]{1,3}\\.js$'\n  condition: sel\n")) != NULL);
	CHECK(rs && hit(rs, &post) && !hit(rs, &get));
	xh_rules_free(rs);
	CHECK((rs = rule("  sel:\n    c-ip|cidr: 10.0.0.0/8\n  condition: not sel\n")) != NULL);
	CHECK(rs && hit(rs, &post) && !hit(rs, &get));
	xh_rules_free(rs);
	CHECK((rs = rule("  sel:\n    cs-uri-query|contains: CorrelationID\n  q:\n    cs-uri-query: null\n"
	                 "  condition: sel or q\n")) != NULL);
	CHECK(rs && hit(rs, &post) && !hit(rs, &get)); /* the GET has a stem, so the URI is not null */
	xh_rules_free(rs);
	CHECK((rs = rule("  keywords:\n    - 'POST /ecp'\n  condition: keywords\n")) != NULL);
	CHECK(rs && hit(rs, &post) && !hit(rs, &get));
	xh_rules_free(rs);
	/* precedence: not > and > or; quantifiers over globs and them (without _names) */
	CHECK((rs = rule("  a:\n    cs-method: GET\n  b:\n    cs-method: POST\n  c:\n    c-ip: nope\n"
	                 "  condition: a or b and c\n")) != NULL);
	CHECK(rs && hit(rs, &get) && !hit(rs, &post));
	xh_rules_free(rs);
	CHECK((rs = rule("  sel_a:\n    cs-method: POST\n  sel_b:\n    cs-uri-stem|endswith: .js\n"
	                 "  _x:\n    c-ip: nope\n  condition: all of them\n")) != NULL);
	CHECK(rs && hit(rs, &post) && !hit(rs, &get));
	xh_rules_free(rs);
	CHECK((rs = rule("  sel_a:\n    cs-method: POST\n  sel_b:\n    cs-uri-stem|endswith: .js\n"
	                 "  condition: 1 of sel_*\n")) != NULL);
	CHECK(rs && hit(rs, &post) && hit(rs, &get));
	xh_rules_free(rs);
	/* windash: '-' or '/' starting a word may be any dash form */
	CHECK((rs = rule("  sel:\n    cs-user-agent|windash|contains: ' -x'\n  condition: sel\n")) != NULL);
	xh_rules_free(rs);
	/* rejected, with the reason */
	CHECK(rule("  sel:\n    cs-method|expand: '%x%'\n  condition: sel\n") == NULL);
	CHECK(strstr(last_reject, "expand") != NULL);
	CHECK(rule("  sel:\n    cs-method: GET\n  condition: sel | count() > 5\n") == NULL);
	CHECK(rule("  sel:\n    cs-method: GET\n  condition: other\n") == NULL);
	CHECK(strstr(last_reject, "unknown identifier 'other'") != NULL);
	CHECK(rule("  sel:\n    cs-method|re: '('\n  condition: sel\n") == NULL);
	CHECK(rule("  sel:\n    cs-method: GET\n  condition: (sel\n") == NULL);
	{
		struct xh_rules *r2;
		const char *evtx = "title: p\nlogsource:\n  category: process_creation\n  product: windows\n"
		                   "detection:\n  s:\n    Image: x\n  condition: s\n";
		CHECK(xh_rules_new(&r2) == XH_OK);
		CHECK(xh_rules_load_text(r2, "p.yml", evtx, strlen(evtx), on_reject, NULL) == XH_OK);
		/* process_creation runs on Sysmon 1 and on Security 4688: two variants */
		CHECK(xh_rules_count(r2) == 2);
		CHECK(strcmp(xh_rules_at(r2, 1)->win->label, "Security 4688") == 0);
		CHECK(strcmp(xh_rules_at(r2, 1)->ids[0].maps[0].t[0].ref.look, "NewProcessName") == 0);
		CHECK(strcmp(xh_rules_at(r2, 0)->ids[0].maps[0].t[0].ref.look, "Image") == 0);
		xh_rules_free(r2);
		evtx = "title: p\nlogsource:\n  category: process_creation\n  product: linux\n"
		       "detection:\n  s:\n    Image: x\n  condition: s\n";
		CHECK(xh_rules_new(&r2) == XH_OK);
		CHECK(xh_rules_load_text(r2, "p.yml", evtx, strlen(evtx), on_reject, NULL) == XH_OK);
		CHECK(xh_rules_count(r2) == 0 && strstr(last_reject, "no reader") != NULL);
		xh_rules_free(r2);
	}
	CHECK(prefilter_misses == 0);
	return check_done();
}
