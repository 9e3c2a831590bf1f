/*
 * Sigma semantics on hand-made records: maps AND, lists OR, globs with Sigma's escaping,
 * case folding and |cased, modifiers, null and '-', keywords, the webserver cs-uri-query
 * composition, condition precedence and quantifiers, and rules rejected with a reason.
 */
#include "check.h"
#include "detect/prefilter.h"
#include "detect/sigma.h"
#include "model/source.h"

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
	{
		/* every modifier on a record it matches and one it does not (NULL: none) */
		static const char *const nnames[] = {"sc-status"};
		static struct xh_schema nschema = {1, nnames, 2};
		struct xh_sv nf[1] = {{"401", 3}}, b[5];
		struct xh_record num = get;
		struct xh_record enc = rec(b, "GET", "/x", "a=d2hvYW1p&b=Y21kIC9jIHdob2FtaQ==&c=dwBoAG8AYQBtAGkA",
		                           "tool /x", "10.0.0.1",
		                           "GET /x a=d2hvYW1p&b=Y21kIC9jIHdob2FtaQ==&c=dwBoAG8AYQBtAGkA tool /x 10.0.0.1");
		const struct {
			const char *detection;
			const struct xh_record *yes, *no;
		} cases[] = {
			{"  sel:\n    cs-uri-stem|startswith: '/ECP/'\n  condition: sel\n", &post, &get},
			/* regex flags, and their long names */
			{"  sel:\n    cs-method|re: '^post$'\n  condition: sel\n", NULL, &post},
			{"  sel:\n    cs-method|re|i: '^post$'\n  condition: sel\n", &post, &get},
			{"  sel:\n    cs-method|re|ignorecase|multiline|dotall: '^p.st$'\n  condition: sel\n", &post, &get},
			{"  sel:\n    cs-method|exists: true\n  nohost:\n    cs-host|exists: false\n  condition: sel and nohost\n",
			 &post, NULL},
			/* several value kinds: exists, numbers, cidr, fieldref, re in that order win */
			{"  sel:\n    c-ip|re|cidr: 10.0.0.0/8\n  condition: sel\n", &get, &post},
			/* fieldref targets resolve like the rule's fields: webserver names, the composed URI */
			{"  sel:\n    cs-uri-stem|fieldref: cs-uri-stem\n  condition: sel\n", &post, NULL},
			{"  sel:\n    cs-method|fieldref: cs-uri-stem\n  condition: sel\n", NULL, &post},
			{"  sel:\n    cs(User-Agent)|fieldref: cs-user-agent\n  condition: sel\n", &post, NULL},
			{"  sel:\n    cs-uri-stem|fieldref: c-uri\n  condition: sel\n", &get, &post},
			/* numbers: the last comparison written counts */
			{"  sel:\n    sc-status|gt|lt: 500\n  condition: sel\n", &num, NULL},
			{"  sel:\n    sc-status|lt|gt: 500\n  condition: sel\n", NULL, &num},
			{"  sel:\n    sc-status|gte: 401\n  le:\n    sc-status|lte: 401\n  condition: sel and le\n", &num, NULL},
			/* base64, base64offset, wide (UTF-16LE) + base64; windash on a word-starting dash */
			{"  sel:\n    cs-uri-query|base64|contains: whoami\n  condition: sel\n", &enc, &post},
			{"  sel:\n    cs-uri-query|contains|base64offset: 'c whoami'\n  condition: sel\n", &enc, &post},
			{"  sel:\n    cs-uri-query|wide|base64|contains: whoami\n  condition: sel\n", &enc, &post},
			{"  sel:\n    cs-uri-query|utf16be|base64|contains: whoami\n  condition: sel\n", NULL, &enc},
			{"  sel:\n    cs-user-agent|windash|endswith: ' -x'\n  condition: sel\n", &enc, &post},
			{"  sel:\n    cs-user-agent|endswith: ' -x'\n  condition: sel\n", NULL, &enc},
		};
		num.schema = &nschema;
		num.fields = nf;
		num.nfields = 1;
		num.raw = xh_sv_make("401", 3);
		for (size_t i = 0; i < XH_ARRAY_LEN(cases); i++) {
			bool ok;
			rs = rule(cases[i].detection);
			ok = rs && (!cases[i].yes || hit(rs, cases[i].yes)) && (!cases[i].no || !hit(rs, cases[i].no));
			CHECK(ok);
			if (!ok)
				fprintf(stderr, "modifier case %zu: %s\n", i, last_reject);
			xh_rules_free(rs);
		}
	}
	{
		/* modifiers rejected, with the reason; an empty condition list is no condition */
		static const struct {
			const char *detection, *why;
		} cases[] = {
			{"  sel:\n    cs-method|i: post\n  condition: sel\n", "regex flags without |re"},
			{"  sel:\n    cs-method|contains|startswith: po\n  condition: sel\n",
			 "contains, startswith and endswith together"},
			{"  sel:\n    cs-method|exists: maybe\n  condition: sel\n", "exists wants true or false"},
			{"  sel:\n    cs-method|gt: many\n  condition: sel\n", "numeric modifier with 'many'"},
			{"  sel:\n    c-ip|cidr: 10.0.0.0/33\n  condition: sel\n", "not a network"},
			{"  sel:\n    cs-method|wide|contains: post\n  condition: sel\n",
			 "utf16/wide without a following base64 modifier"},
			{"  sel:\n    cs-method|base64: 'po*'\n  condition: sel\n", "wildcards in a value that is base64-encoded"},
			{"  sel:\n    cs-method|contains: null\n  condition: sel\n", "null inside a value list or with modifiers"},
			{"  sel:\n    cs-method|windash|windash|windash|windash|windash|windash|windash|windash|windash"
			 "|windash|windash|windash|windash|windash|windash|windash|windash: x\n  condition: sel\n",
			 "too many modifiers"},
			{"  sel:\n    cs-method|windash: '-a -b -c -d'\n  condition: sel\n",
			 "windash expands to more variants than the limit"},
			{"  sel:\n    cs-method: GET\n  condition: []\n", "no condition"},
		};
		for (size_t i = 0; i < XH_ARRAY_LEN(cases); i++) {
			CHECK(rule(cases[i].detection) == NULL && strstr(last_reject, cases[i].why) != NULL);
			if (!strstr(last_reject, cases[i].why))
				fprintf(stderr, "rejection case %zu: %s\n", i, last_reject);
		}
	}
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
		/* |fieldref targets and the fields a finding shows resolve at compile time too */
		evtx = "title: p\nlogsource:\n  category: process_creation\n  product: windows\n"
		       "detection:\n  s:\n    CommandLine|fieldref: ParentImage\n  condition: s\n";
		CHECK(xh_rules_new(&r2) == XH_OK);
		CHECK(xh_rules_load_text(r2, "p.yml", evtx, strlen(evtx), on_reject, NULL) == XH_OK);
		CHECK(xh_rules_count(r2) == 2);
		CHECK(strcmp(xh_rules_at(r2, 0)->ids[0].maps[0].t[0].m[0].target.look, "ParentImage") == 0);
		CHECK(strcmp(xh_rules_at(r2, 1)->ids[0].maps[0].t[0].m[0].target.look, "ParentProcessName") == 0);
		CHECK(xh_rules_at(r2, 1)->nfields == 1 && strcmp(xh_rules_at(r2, 1)->field_refs[0].look, "CommandLine") == 0);
		xh_rules_free(r2);
		evtx = "title: p\nlogsource:\n  category: process_creation\n  product: linux\n"
		       "detection:\n  s:\n    Image: x\n  condition: s\n";
		CHECK(xh_rules_new(&r2) == XH_OK);
		CHECK(xh_rules_load_text(r2, "p.yml", evtx, strlen(evtx), on_reject, NULL) == XH_OK);
		CHECK(xh_rules_count(r2) == 0 && strstr(last_reject, "no reader") != NULL);
		xh_rules_free(r2);
	}
	{
		/* logsources: the Sigma columns of the source rows */
		static const struct {
			const char *logsource;   /* the YAML lines under logsource: */
			const char *sources[11]; /* the sources it runs on; none: rejected */
			bool webserver;
			const char *why;         /* part of the reason when rejected */
		} cases[] = {
			{"  category: webserver\n", {"iis"}, true, NULL},
			{"  product: iis\n  category: anything\n", {"iis"}, true, NULL},
			{"  product: Windows\n  service: IIS\n", {"iis"}, true, NULL},
			{"  product: exchange\n",
			 {"httpproxy", "ecp_server", "ecp_activity", "rps_http", "rps_cmdlet", "ews", "owa", "msgtrk", "exchange_csv", "oabgen"},
			 false, NULL},
			{"  product: exchange\n  service: ecp\n", {"ecp_server", "ecp_activity"}, false, NULL},
			{"  product: exchange\n  service: HttpProxy\n", {"httpproxy"}, false, NULL},
			{"  product: exchange\n  service: oabgen\n", {"oabgen"}, false, NULL},
			{"  product: exchange\n  category: webserver\n", {"iis"}, true, NULL},
			{"  product: windows\n  service: security\n", {"evtx"}, false, NULL},
			{"  category: antivirus\n", {"evtx"}, false, NULL},
			{"  product: exchange\n  service: foo\n", {NULL}, false,
			 "logsource product exchange, service foo: no such Exchange log"},
			{"  product: exchange\n  category: x\n  service: httpproxy\n", {NULL}, false, "no reader for it in this build"},
			{"  service: httpproxy\n", {NULL}, false, "no reader for it in this build"},
			{"  category: proxy\n", {NULL}, false, "no reader for it in this build"},
		};
		for (size_t i = 0; i < XH_ARRAY_LEN(cases); i++) {
			char text[512];
			struct xh_rules *r2;
			snprintf(text, sizeof text, "title: l\nlogsource:\n%sdetection:\n  k: ['x']\n  condition: k\n",
			         cases[i].logsource);
			last_reject[0] = '\0';
			CHECK(xh_rules_new(&r2) == XH_OK);
			CHECK(xh_rules_load_text(r2, "l.yml", text, strlen(text), on_reject, NULL) == XH_OK);
			if (!cases[i].sources[0]) {
				CHECK(xh_rules_count(r2) == 0 && strstr(last_reject, cases[i].why) != NULL);
			} else {
				unsigned want = 0;
				for (size_t k = 0; cases[i].sources[k]; k++)
					want |= xh_source_bit(xh_source_find(cases[i].sources[k]));
				CHECK(xh_rules_count(r2) == 1 && xh_rules_at(r2, 0)->sources == want &&
				      xh_rules_at(r2, 0)->webserver == cases[i].webserver);
			}
			if (xh_rules_count(r2) != (cases[i].sources[0] ? 1u : 0u))
				fprintf(stderr, "logsource case %zu: %s\n", i, last_reject);
			xh_rules_free(r2);
		}
	}
	CHECK(prefilter_misses == 0);
	return check_done();
}
