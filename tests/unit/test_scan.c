/*
 * The scan driver end to end through the public API, with a rule hook standing in for
 * the detection engine: findings from worker threads reach the writer in evidence
 * order, counted per level, identically for any job count; the time window applies to
 * hooks too; an empty evidence folder is XH_ENOEVIDENCE.
 */
#define _GNU_SOURCE
#include "check.h"
#include "exhunt/exhunt.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_OUT (64u << 20)

struct out {
	char *p;
	size_t n;
};

static xh_status sink(void *ud, const void *data, size_t len)
{
	struct out *o = ud;
	if (o->n + len > MAX_OUT)
		return XH_ELIMIT;
	memcpy(o->p + o->n, data, len);
	o->n += len;
	return XH_OK;
}

/* "ServerInfo~...a path" anchors in HttpProxy logs: the shape of ProxyLogon's SSRF. */
static xh_status hook(void *ud, const struct xh_record *r, struct xh_emit *emit)
{
	static const char *const tags[] = {"cve.2021-26855", "attack.t1190"};
	struct xh_sv a;
	(void)ud;

	if (strcmp(r->source->name, "httpproxy") != 0 || !xh_record_get(r, "anchormailbox", &a) || !a.p)
		return XH_OK;
	if (a.n > 11 && memcmp(a.p, "ServerInfo~", 11) == 0 && memchr(a.p, '/', a.n)) {
		struct xh_kv kv[] = {{"AnchorMailbox", a}};
		bool local = a.n > 20 && memcmp(a.p + 11, "localhost", 9) == 0;
		struct xh_finding f = {
			.rule_id = "TEST-SSRF", .title = "ServerInfo anchor with a path",
			.level = local ? XH_LEVEL_INFORMATIONAL : XH_LEVEL_HIGH, .tags = tags, .ntags = 2,
			.time_ms = r->time_ms, .source = r->source->name, .path = r->path, .line = r->line,
			.offset = r->offset, .fields = kv, .nfields = 1, .excerpt = r->raw,
		};
		return xh_emit_finding(emit, &f);
	}
	return XH_OK;
}

static xh_status run(const char *evidence, unsigned jobs, int64_t since, struct out *o,
                     struct xh_report *rep)
{
	struct xh_writer_opts wo = {.findings = true, .coverage = true};
	struct xh_writer *w;
	struct xh_scan_opts so;
	struct xh_error err;
	const char *ev[] = {evidence};
	xh_status st;

	o->n = 0;
	if (xh_writer_new("jsonl", &wo, sink, o, &w))
		return XH_ENOMEM;
	xh_scan_opts_init(&so);
	so.jobs = jobs;
	so.since_ms = since;
	so.writer = w;
	so.hook = hook;
	st = xh_scan(ev, 1, &so, rep, &err);
	xh_writer_free(w);
	return st;
}

static size_t count(const struct out *o, const char *needle)
{
	size_t k = 0, nl = strlen(needle);
	for (size_t i = 0; i + nl <= o->n; i++)
		if (memcmp(o->p + i, needle, nl) == 0)
			k++;
	return k;
}

static size_t before_summary(const struct out *o)
{
	static const char key[] = "{\"type\":\"summary\"";
	for (size_t i = 0; i + sizeof key - 1 <= o->n; i++)
		if (memcmp(o->p + i, key, sizeof key - 1) == 0)
			return i;
	return o->n;
}

int main(void)
{
	const char *src = getenv("XH_SRC");
	char path[4096], empty[] = "/tmp/exhunt-empty-XXXXXX";
	struct out a = {malloc(MAX_OUT), 0}, b = {malloc(MAX_OUT), 0};
	struct xh_report ra, rb;
	int64_t since;

	if (!src || !a.p || !b.p)
		return 77;
	snprintf(path, sizeof path, "%s/examples/collection", src);

	CHECK(run(path, 1, XH_TIME_NONE, &a, &ra) == XH_OK);
	CHECK(run(path, 2, XH_TIME_NONE, &b, &rb) == XH_OK);
	/* identical output but for the run time in the closing summary */
	CHECK(a.n > 0 && before_summary(&a) == before_summary(&b) &&
	      memcmp(a.p, b.p, before_summary(&a)) == 0);
	/* the six SSRF stages of 2021-03-03 (high) and the nmap probe (informational) */
	CHECK(ra.findings[XH_LEVEL_HIGH] == 6);
	CHECK(ra.findings[XH_LEVEL_INFORMATIONAL] > 0);
	CHECK(count(&a, "\"type\":\"finding\"") ==
	      ra.findings[XH_LEVEL_HIGH] + ra.findings[XH_LEVEL_INFORMATIONAL]);
	CHECK(count(&a, "\"tags\":[\"cve.2021-26855\",\"attack.t1190\"]") == count(&a, "TEST-SSRF"));
	/* the build periods: 15.1.2176.2 until the patch, then 15.1.2176.9, and the
	 * owa/auth/15.1.2176 folder (CU only) */
	CHECK(count(&a, "\"rule_id\":\"EXH-BUILD\"") == 3);
	CHECK(count(&a, "\"fields\":{\"build\":\"15.1.2176.2\"") == 1 &&
	      count(&a, "\"fields\":{\"build\":\"15.1.2176.9\"") == 1);
	/* one host, its verdict line and the fleet's */
	CHECK(ra.nhosts == 1 && count(&a, "\"type\":\"verdict\",\"host\":\"collection\"") == 1 &&
	      count(&a, "\"type\":\"verdict\",\"host\":null") == 1);
	CHECK(count(&a, "\"type\":\"summary\"") == 1);
	CHECK(ra.files_read == ra.files_total && ra.files_unreadable == 0);
	xh_report_free(&ra);
	xh_report_free(&rb);

	/* a window that starts after the intrusion keeps the hook away from it */
	CHECK(xh_time_parse("2021-03-04", &since));
	CHECK(run(path, 2, since, &a, &ra) == XH_OK);
	CHECK(ra.findings[XH_LEVEL_HIGH] == 0);
	CHECK(ra.findings[XH_LEVEL_INFORMATIONAL] > 0);
	xh_report_free(&ra);

	/* nothing readable */
	if (mkdtemp(empty)) {
		CHECK(run(empty, 1, XH_TIME_NONE, &a, &ra) == XH_ENOEVIDENCE);
		CHECK(ra.files_total == 0);
		xh_report_free(&ra);
		rmdir(empty);
	}
	free(a.p);
	free(b.p);
	return check_done();
}
