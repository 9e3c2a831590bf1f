/* libFuzzer target: the Sigma rule loader and compiler (YAML from --rules folders is
 * not trusted either), then evaluation of whatever compiled on two fixed IIS records,
 * checking that the literal prefilter never rejects a record a rule matches. */
#include "detect/prefilter.h"
#include "detect/sigma.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = {"cs-method", "cs-uri-stem", "cs-uri-query", "cs(User-Agent)", "c-ip",
                                    "sc-status"};
static struct xh_schema schema = {6, names, 1};

static void check(struct xh_rules *rs, const char *raw, const char *const *vals)
{
	struct xh_sv f[6];
	struct xh_record r;
	struct xh_eval_scratch es;
	struct xh_pf_scratch *pfs;
	const size_t *cand;
	size_t n, c = 0;

	memset(&r, 0, sizeof r);
	for (int i = 0; i < 6; i++)
		f[i] = xh_sv_make(vals[i], strlen(vals[i]));
	r.source = xh_source_find("iis");
	r.path = "f.log";
	r.schema = &schema;
	r.fields = f;
	r.nfields = 6;
	r.raw = xh_sv_make(raw, strlen(raw));
	r.time_ms = XH_TIME_NONE;
	if (xh_eval_scratch_init(&es) || !(pfs = xh_pf_scratch_new(xh_rules_prefilter(rs)))) {
		xh_eval_scratch_free(&es);
		return;
	}
	n = xh_prefilter_run(xh_rules_prefilter(rs), pfs, r.raw.p, r.raw.n, &cand);
	for (size_t i = 0; i < xh_rules_count(rs); i++) {
		bool in = c < n && cand[c] == i;
		c += in;
		if (xh_rule_eval(xh_rules_at(rs, i), &r, &es) && !in)
			abort(); /* the prefilter dropped a match */
	}
	xh_pf_scratch_free(pfs);
	xh_eval_scratch_free(&es);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const a[] = {"POST", "/ecp/y.js", "&CorrelationID=<empty>;", "python-requests/2.25.1",
	                                "104.250.191.110", "200"};
	static const char *const b[] = {"GET", "/autodiscover/autodiscover.json",
	                                "@x.com/powershell/?&Email=autodiscover/autodiscover.json%3F@x.com",
	                                "Mozilla/5.0+zgrab/0.x", "10.0.0.1", "401"};
	struct xh_rules *rs;

	if (xh_rules_new(&rs) != XH_OK)
		return 0;
	if (xh_rules_load_text(rs, "fuzz.yml", (const char *)data, size, NULL, NULL) == XH_OK &&
	    xh_rules_count(rs) && xh_rules_prepare(rs, NULL) == XH_OK) {
		check(rs, "2021-03-03 06:49:43 10.0.0.5 POST /ecp/y.js &CorrelationID=<empty>; 443 - 104.250.191.110 "
		          "python-requests/2.25.1 - 200 0 0 96",
		      a);
		check(rs, "2022-10-01 01:02:03 10.0.0.5 GET /autodiscover/autodiscover.json "
		          "@x.com/powershell/?&Email=autodiscover/autodiscover.json%3F@x.com 443 - 10.0.0.1 "
		          "Mozilla/5.0+zgrab/0.x - 401 0 0 5",
		      b);
	}
	xh_rules_free(rs);
	return 0;
}
