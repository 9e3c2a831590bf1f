/* libFuzzer target: probe response parsing (lib/probe/fingerprint.c). The input is what a probed
 * host could send: header lines up to the first blank line, then a body read both as
 * a logon page and as an export-tool manifest. Whatever build is settled must be an
 * Exchange build the patch-status module judges, and the record written for it must be
 * valid, escaped output. */
#include "common/base.h"

#include "exhunt/probe.h"

#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static xh_status null_sink(void *ud, const void *d, size_t n)
{
	const unsigned char *p = d;
	(void)ud;
	/* the writers escape every control byte except the line end */
	for (size_t i = 0; i < n; i++)
		if ((p[i] < 0x20 && p[i] != '\n') || p[i] == 0x7f)
			abort();
	return XH_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct xh_probe_result r;
	const char *s = (const char *)data, *end = s + size, *p = s;
	const char *body = NULL;
	struct xh_probe_writer *w;

	memset(&r, 0, sizeof r);
	xh_fp_init(&r.fp);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		if (n <= 2 && (p[0] == '\n' || (p[0] == '\r' && n == 2))) {
			body = p + n;
			break;
		}
		xh_fp_header(&r.fp, p, n);
		p += n;
	}
	if (body) {
		xh_fp_logon_page(&r.fp, body, (size_t)(end - body));
		xh_fp_exporttool(&r.fp, body, (size_t)(end - body));
		xh_fp_redirect(&r.fp, body, (size_t)(end - body));
	}
	xh_fp_settle(&r.fp);
	if (r.fp.has_build) {
		if (xh_build_assess(&r.fp.build, &r.info) != XH_OK)
			abort(); /* the parsers only accept Exchange 2010-SE builds */
		r.assessed = true;
	}
	if (r.fp.fe_server_len > sizeof r.fp.fe_server || (r.fp.has_build && !r.fp.why))
		abort();
	xh_probe_judge(&r);
	snprintf(r.target.host, sizeof r.target.host, "192.0.2.1");
	r.target.port = 443;
	for (size_t i = 0; i < xh_probe_format_count(); i++) {
		if (xh_probe_writer_new(xh_probe_format_name(i), false, null_sink, NULL, &w) != XH_OK)
			abort();
		if (xh_probe_writer_result(w, &r) != XH_OK)
			abort();
		xh_probe_writer_free(w);
	}
	return 0;
}
