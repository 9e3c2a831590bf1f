/*
 * Probe library without a network: target specs and their errors, the index space, the
 * visiting order (a bijection for every size and seed, shards that partition it, the
 * skip point), scope decisions (special-purpose ranges, exact addresses, IPv4-mapped
 * IPv6, merged exclusions), fingerprints from headers, logon pages and export-tool
 * manifests, host verdicts, the request text --dry-run prints, and escaping of hostile
 * server bytes in every output format.
 */
#define _GNU_SOURCE
#include "common/base.h"

#include "check.h"
#include "exhunt/probe.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>

static struct xh_targets *targets(const char *ports, const char *const *specs)
{
	struct xh_targets *t;
	struct xh_error err = {0};

	if (xh_targets_new(&t) != XH_OK)
		abort();
	if (ports && xh_targets_set_ports(t, ports, &err) != XH_OK)
		abort();
	for (size_t i = 0; specs[i]; i++)
		if (xh_targets_add(t, specs[i], strlen(specs[i]), &err) != XH_OK) {
			fprintf(stderr, "spec %s: %s\n", specs[i], err.msg);
			abort();
		}
	return t;
}

/* Every target of the walk, in order. */
static size_t walk_all(const struct xh_targets *t, uint64_t seed, uint32_t shard, uint32_t n, uint64_t skip,
                       struct xh_target *out, size_t cap)
{
	struct xh_order o = {seed, shard, n, skip};
	struct xh_walk *w;
	size_t k = 0;

	if (xh_walk_new(t, &o, &w) != XH_OK)
		abort();
	while (k < cap && xh_walk_next(w, &out[k]))
		k++;
	xh_walk_free(w);
	return k;
}

static const struct xh_target *find(const struct xh_target *v, size_t n, const char *host, unsigned port)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].host, host) == 0 && v[i].port == port)
			return &v[i];
	return NULL;
}

static void test_specs(void)
{
	static const char *const specs[] = {"mail.Example.org", "https://10.1.2.3:444/owa/x", "http://[2001:db8::5]/",
	                                    "10.0.0.0/30", "web.example.org:80", "web.example.org:8443",
	                                    "[fd00::7]:443", "fd00::8", "192.168.7.9", NULL};
	struct xh_targets *t = targets("443,http:8080", specs);
	struct xh_target v[64];
	const struct xh_target *x;
	size_t n;

	/* names and bare addresses x 2 ports, ranges x 2 ports, the rest one port each */
	CHECK(xh_targets_count(t) == 2 + 1 + 1 + 8 + 1 + 1 + 1 + 2 + 2);
	n = walk_all(t, 3, 0, 1, 0, v, 64);
	CHECK(n == xh_targets_count(t));
	x = find(v, n, "mail.example.org", 8080);
	CHECK(x && x->scheme == XH_SCHEME_HTTP && x->family == 0 && !x->excluded);
	x = find(v, n, "10.1.2.3", 444);
	CHECK(x && x->scheme == XH_SCHEME_HTTPS && x->family == 4 && x->exact);
	x = find(v, n, "2001:db8::5", 80);
	CHECK(x && x->scheme == XH_SCHEME_HTTP && x->family == 6 && x->exact && !x->excluded); /* written out */
	x = find(v, n, "10.0.0.3", 8080);
	CHECK(x && !x->exact && x->scheme == XH_SCHEME_HTTP);
	CHECK(find(v, n, "10.0.0.4", 443) == NULL);
	x = find(v, n, "web.example.org", 80);
	CHECK(x && x->scheme == XH_SCHEME_HTTP);
	x = find(v, n, "web.example.org", 8443);
	CHECK(x && x->scheme == XH_SCHEME_HTTPS);
	CHECK(find(v, n, "fd00::7", 443) && find(v, n, "fd00::8", 8080) && find(v, n, "192.168.7.9", 443));
	xh_targets_free(t);

	/* a host:port with a port --ports names takes its scheme */
	{
		static const char *const s2[] = {"x.example:8080", NULL};
		t = targets("http:8080", s2);
		n = walk_all(t, 0, 0, 1, 0, v, 4);
		CHECK(n == 1 && v[0].scheme == XH_SCHEME_HTTP);
		xh_targets_free(t);
	}
}

static void test_spec_errors(void)
{
	static const char *const bad[] = {
		"", "   ", "10.0.0.0/33", "https://user:pw@mail.example.org/", "https://@x.example/", "[1.2.3.4]:80",
		"2001:db8::/64", "x.example:0", "x.example:65536", "a..b", "1.2.3", "ftp://x.example/", "x example",
		"x.example:80:81", "[::1", "[::1]x", "http://", "-x.example", "caf\xc3\xa9.example", "10.0.0.1/",
		"/24", "10.0.0.1/a", "x.example:-1",
	};
	struct xh_targets *t;
	struct xh_error err = {0};

	if (xh_targets_new(&t) != XH_OK)
		abort();
	for (size_t i = 0; i < XH_ARRAY_LEN(bad); i++) {
		xh_status st = xh_targets_add(t, bad[i], strlen(bad[i]), &err);
		CHECK(st != XH_OK);
		if (st == XH_OK)
			fprintf(stderr, "accepted: '%s'\n", bad[i]);
		CHECK(err.msg[0] != '\0');
	}
	CHECK(xh_targets_count(t) == 0);
	CHECK(xh_targets_set_ports(t, "443,443", &err) != XH_OK);
	CHECK(xh_targets_set_ports(t, "ftp:21", &err) != XH_OK);
	CHECK(xh_targets_set_ports(t, "", &err) != XH_OK);
	CHECK(xh_targets_set_ports(t, "https:443,http:80, 8443", &err) == XH_OK);
	/* a list: comments, blanks, CRLF; the bad line is named */
	{
		const char list[] = "# estate\r\n10.1.1.1  # core\r\n\r\nmail.example.org\nnot a target\n";
		memset(&err, 0, sizeof err);
		CHECK(xh_targets_add_list(t, list, sizeof list - 1, false, &err) != XH_OK);
		CHECK(err.line == 5);
		CHECK(xh_targets_nspecs(t) == 2);
	}
	CHECK(xh_targets_exclude(t, "10.0.0.1:443", 12, &err) != XH_OK); /* exclusions carry no port */
	xh_targets_free(t);
}

/* For sizes 1..n, several seeds and shard counts: every index exactly once. */
static void test_permutation(void)
{
	struct xh_targets *t;
	struct xh_target *v = malloc(700 * sizeof *v);
	unsigned char *seen = malloc(700);
	bool all_ok = true, shuffled = false;

	if (!v || !seen || xh_targets_new(&t) != XH_OK)
		abort();
	for (unsigned size = 1; size <= 300; size++) {
		char spec[32];
		int k = snprintf(spec, sizeof spec, "10.%u.%u.1", size / 256, size % 256);
		if (xh_targets_add(t, spec, (size_t)k, NULL) != XH_OK)
			abort();
		for (uint64_t seed = 0; seed < 3; seed++)
			for (uint32_t ns = 1; ns <= 4; ns++) {
				size_t total = 0;
				memset(seen, 0, 700);
				for (uint32_t sh = 0; sh < ns; sh++) {
					size_t n = walk_all(t, seed * 977, sh, ns, 0, v, 700);
					for (size_t i = 0; i < n; i++) {
						if (v[i].index >= size || seen[v[i].index] || v[i].position != i)
							all_ok = false;
						else
							seen[v[i].index] = 1;
						if (ns == 1 && v[i].index != i)
							shuffled = true;
					}
					total += n;
				}
				if (total != size)
					all_ok = false;
			}
	}
	CHECK(all_ok);
	CHECK(shuffled);
	/* skip: the tail of the same order */
	{
		size_t n = walk_all(t, 5, 1, 3, 0, v, 700), m = walk_all(t, 5, 1, 3, 40, v + 350, 350);
		CHECK(n == 100 && m == 60);
		CHECK(v[40].index == v[350].index && v[99].index == v[409].index);
		CHECK(v[350].position == 40);
		CHECK(walk_all(t, 5, 1, 3, 1000, v, 700) == 0);
	}
	/* a big space: the walk is arithmetic, nothing expanded */
	{
		static const char *const big[] = {"10.0.0.0/8", "2001:db8::/96", NULL};
		struct xh_targets *b = targets("443,80", big);
		struct xh_order o = {1, 0, 1, 0};
		struct xh_walk *w;
		struct xh_target tg;
		CHECK(xh_targets_count(b) == ((uint64_t)1 << 25) + ((uint64_t)1 << 33));
		CHECK(xh_walk_new(b, &o, &w) == XH_OK);
		for (int i = 0; i < 1000; i++)
			CHECK(xh_walk_next(w, &tg) && tg.index < xh_targets_count(b));
		xh_walk_free(w);
		xh_targets_free(b);
	}
	{
		struct xh_order bad = {0, 3, 3, 0};
		struct xh_walk *w;
		CHECK(xh_walk_new(t, &bad, &w) == XH_EARG);
	}
	xh_targets_free(t);
	free(v);
	free(seen);
}

static const char *refuse(const struct xh_targets *t, const struct xh_target *tg, const char *addr)
{
	uint8_t a[16];
	int f = inet_pton(AF_INET, addr, a) == 1 ? 4 : inet_pton(AF_INET6, addr, a) == 1 ? 6 : 0;
	return xh_targets_refuse(t, tg, f, a);
}

static void test_scope(void)
{
	static const char *const specs[] = {"127.0.0.1", "127.0.0.0/30", "0.0.0.0", "localhost", "10.5.0.0/24",
	                                    "::1", "fe80::/126", "192.0.2.10", NULL};
	struct xh_targets *t = targets(NULL, specs);
	static struct xh_target v[512];
	const struct xh_target *exact127, *name;
	size_t n, contacted = 0;
	struct xh_error err = {0};

	CHECK(xh_targets_exclude(t, "10.5.0.128/25", 13, &err) == XH_OK);
	CHECK(xh_targets_exclude(t, "10.5.0.64/26", 12, &err) == XH_OK);
	CHECK(xh_targets_exclude(t, "10.5.0.60", 9, &err) == XH_OK);
	CHECK(xh_targets_exclude(t, "Mail.Example.ORG", 16, &err) == XH_OK);
	n = walk_all(t, 0, 0, 1, 0, v, 512);
	CHECK(n == 1 + 4 + 1 + 1 + 256 + 1 + 4 + 1);
	exact127 = NULL;
	for (size_t i = 0; i < n; i++) {
		if (!v[i].excluded)
			contacted++;
		if (strcmp(v[i].host, "127.0.0.1") == 0 && v[i].exact)
			exact127 = &v[i];
	}
	/* 127.0.0.1, localhost (checked at connect), ::1, 192.0.2.10, and 10.5.0.0-59 + 61-63 */
	CHECK(contacted == 1 + 1 + 1 + 1 + 63);
	CHECK(exact127 && !exact127->excluded);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].host, "0.0.0.0") == 0)
			CHECK(v[i].excluded && strstr(v[i].excluded, "this network"));
		if (strncmp(v[i].host, "127.", 4) == 0 && !v[i].exact)
			CHECK(v[i].excluded && strstr(v[i].excluded, "loopback"));
		if (strncmp(v[i].host, "fe80", 4) == 0)
			CHECK(v[i].excluded != NULL);
		if (strcmp(v[i].host, "10.5.0.60") == 0 || strcmp(v[i].host, "10.5.0.64") == 0 ||
		    strcmp(v[i].host, "10.5.0.255") == 0)
			CHECK(v[i].excluded != NULL);
		if (strcmp(v[i].host, "10.5.0.59") == 0 || strcmp(v[i].host, "10.5.0.61") == 0)
			CHECK(v[i].excluded == NULL);
	}
	/* at connect time */
	CHECK(refuse(t, exact127, "127.0.0.1") == NULL);
	CHECK(refuse(t, exact127, "127.0.0.2") != NULL);            /* not the address given */
	CHECK(refuse(t, exact127, "::ffff:127.0.0.1") == NULL);     /* mapped: the same address */
	name = find(v, n, "localhost", 443);
	CHECK(name && name->excluded == NULL);
	CHECK(refuse(t, name, "127.0.0.1") != NULL);                /* a name leading to loopback */
	CHECK(refuse(t, name, "::1") != NULL);
	CHECK(refuse(t, name, "::ffff:127.0.0.1") != NULL);
	CHECK(refuse(t, name, "169.254.169.254") != NULL);          /* cloud metadata address */
	CHECK(refuse(t, name, "10.5.0.200") != NULL);               /* --exclude applies to names too */
	CHECK(refuse(t, name, "10.5.0.20") == NULL);
	CHECK(refuse(t, name, "8.8.8.8") == NULL);
	CHECK(refuse(t, name, "224.0.0.1") != NULL);
	CHECK(refuse(t, NULL, "0.0.0.0") != NULL);
	{
		struct xh_target z;
		memset(&z, 0, sizeof z);
		z.family = 4;
		z.exact = true; /* 0.0.0.0 written out is still refused: it reaches this host */
		CHECK(refuse(t, &z, "0.0.0.0") != NULL);
	}
	{
		const char *cidr, *why;
		size_t k = 0;
		while (xh_special_range(k, &cidr, &why))
			k++;
		CHECK(k >= 15);
	}
	xh_targets_free(t);
	/* exclusions from a list file are merged and looked up by binary search */
	{
		const char list[] = "10.0.0.0/24\n10.0.1.0/24\n10.0.0.128/25\n# x\n10.0.3.7\n255.255.255.255\n";
		static const char *const none[] = {NULL};
		struct xh_targets *u = targets(NULL, none);
		CHECK(xh_targets_add_list(u, list, sizeof list - 1, true, &err) == XH_OK);
		CHECK(refuse(u, NULL, "10.0.1.255") != NULL && refuse(u, NULL, "10.0.2.0") == NULL);
		CHECK(refuse(u, NULL, "10.0.3.7") != NULL && refuse(u, NULL, "10.0.3.8") == NULL);
		CHECK(refuse(u, NULL, "9.255.255.255") == NULL);
		xh_targets_free(u);
	}
}

static void test_fingerprint(void)
{
	struct xh_fp fp;
	char v[32];

	xh_fp_init(&fp);
	xh_fp_header(&fp, "HTTP/1.1 200 OK\r\n", 17);
	xh_fp_header(&fp, "x-owa-version:\t15.01.2176.002 \r\n", 32);
	xh_fp_header(&fp, "X-FEServer: EXCH01\r\n", 20);
	xh_fp_logon_page(&fp, "<link href=\"/OWA/auth/15.1.2176/themes/x.css\">", 46);
	CHECK(xh_fp_complete(&fp));
	xh_fp_settle(&fp);
	xh_build_format(&fp.build, v, sizeof v);
	CHECK(fp.has_build && fp.source == XH_BSRC_HEADER && strcmp(v, "15.1.2176.2") == 0);
	CHECK(fp.why == (XH_FPW_OWA_VERSION | XH_FPW_FE_SERVER | XH_FPW_OWA_PATH));
	CHECK(fp.fe_server_len == 6 && memcmp(fp.fe_server, "EXCH01", 6) == 0);
	CHECK(fp.note[0] == '\0');

	/* CU only from the page; a second, different build is noted */
	xh_fp_init(&fp);
	{
		const char page[] = "<script src=\"/owa/15.2.1118/scripts/a.js\"></script>"
		                    "<img src=\"/owa/auth/15.2.1118/themes/resources/x.gif\">"
		                    "<img src=\"/owa/auth/15.2.986/themes/resources/y.gif\">"
		                    "<form action=\"/owa/auth.owa\">";
		xh_fp_logon_page(&fp, page, sizeof page - 1);
	}
	CHECK(!xh_fp_complete(&fp));
	xh_fp_settle(&fp);
	xh_build_format(&fp.build, v, sizeof v);
	CHECK(fp.source == XH_BSRC_OWA_PATH && strcmp(v, "15.2.1118") == 0 && !fp.build.rev_known);
	CHECK(fp.path_conflict && strstr(fp.note, "more than one build"));
	CHECK(fp.why & XH_FPW_LOGON_FORM);

	/* the manifest: the tool's own identity, not the CLR's; it beats the CU path */
	xh_fp_init(&fp);
	xh_fp_logon_page(&fp, "/owa/auth/15.2.1118/", 20);
	{
		const char m[] = "<assembly><assemblyIdentity name=\"Microsoft.Windows.CommonLanguageRuntime\" "
		                 "version=\"4.0.30319.0\" /><assemblyIdentity name='microsoft.exchange.ediscovery."
		                 "exporttool.application' version='15.2.1118.20' publicKeyToken='x'/></assembly>";
		xh_fp_exporttool(&fp, m, sizeof m - 1);
	}
	CHECK(xh_fp_complete(&fp));
	xh_fp_settle(&fp);
	xh_build_format(&fp.build, v, sizeof v);
	CHECK(fp.source == XH_BSRC_EXPORTTOOL && strcmp(v, "15.2.1118.20") == 0);

	/* header and paths disagree (load balancer): header used, noted */
	xh_fp_init(&fp);
	xh_fp_header(&fp, "X-OWA-Version: 15.2.1118.20", 27);
	xh_fp_logon_page(&fp, "/owa/auth/15.2.986/", 19);
	xh_fp_settle(&fp);
	CHECK(fp.source == XH_BSRC_HEADER && strstr(fp.note, "15.2.986"));

	/* not builds: other products' numbers, short forms, missing slash, huge numbers */
	xh_fp_init(&fp);
	xh_fp_header(&fp, "X-OWA-Version: 10.0.17763.1", 27);
	xh_fp_header(&fp, "X-OWA-Version: 15.1", 19);
	xh_fp_header(&fp, "X-OWA-Versions: 15.1.2176.2", 27);
	xh_fp_header(&fp, "X-FEServer:   \r\n", 16);
	{
		const char page[] = "/owa/auth/16.0.1.1/ /owa/auth/15.1/ /owa/auth/15.1.2176 /owa/auth/15.1.9999999/ "
		                    "/owa/auth/15.1.2176.9.9/ /owa/";
		xh_fp_logon_page(&fp, page, sizeof page - 1);
	}
	xh_fp_exporttool(&fp, "<assemblyIdentity version=\"14.3.1.2\"/>", 38); /* 2010 has no tool */
	xh_fp_exporttool(&fp, "<assemblyIdentity version=\"15.1.2176.2", 37);  /* cut off */
	xh_fp_settle(&fp);
	CHECK(fp.why == 0 && !fp.has_build);

	/* a redirect to the logon page shows Exchange */
	xh_fp_init(&fp);
	xh_fp_header(&fp, "Location: https://mail.example.org/owa/auth/logon.aspx?url=x&reason=0\r\n", 71);
	CHECK(fp.why == XH_FPW_LOGON_REDIRECT);
	CHECK(strcmp(xh_fp_why_name(0), "x-owa-version header") == 0);
}

static void assess(struct xh_probe_result *r, const char *build)
{
	memset(r, 0, sizeof *r);
	xh_fp_init(&r->fp);
	r->fp.why = XH_FPW_OWA_PATH;
	if (build) {
		CHECK(xh_build_parse(build, strlen(build), &r->fp.build));
		r->fp.has_build = true;
		r->assessed = xh_build_assess(&r->fp.build, &r->info) == XH_OK;
	}
	xh_probe_judge(r);
}

static void test_judge(void)
{
	struct xh_probe_result *r = calloc(1, sizeof *r);
	struct xh_probe_stats st;

	if (!r)
		abort();
	assess(r, "15.1.2176.2");
	CHECK(r->exposure == XH_EXP_VULNERABLE);
	/* a patched SE build: only the Extended Protection CVE is "unknown", by configuration */
	assess(r, "15.2.2562.46");
	CHECK(r->exposure == XH_EXP_FIXED);
	assess(r, "15.2.2562");
	CHECK(r->exposure == XH_EXP_CANNOT_TELL);
	assess(r, NULL);
	CHECK(r->exposure == XH_EXP_NO_BUILD);
	r->fp.why = 0;
	xh_probe_judge(r);
	CHECK(r->exposure == XH_EXP_NOT_EXCHANGE);
	r->error = XH_PERR_TIMEOUT;
	xh_probe_judge(r);
	CHECK(r->exposure == XH_EXP_ERROR);

	xh_probe_stats_init(&st);
	CHECK(st.ncves > 10 && strcmp(st.cve[0], "CVE-2021-26855") == 0);
	assess(r, "15.1.2176.2");
	r->requests = 2;
	xh_probe_tally(&st, r);
	assess(r, "15.2.2562");
	r->requests = 3;
	xh_probe_tally(&st, r);
	r->error = XH_PERR_EXCLUDED;
	xh_probe_tally(&st, r);
	CHECK(st.probed == 2 && st.requests == 5 && st.excluded == 1);
	CHECK(st.exposure[XH_EXP_VULNERABLE] == 1 && st.exposure[XH_EXP_CANNOT_TELL] == 1);
	CHECK(st.full_builds == 1 && st.cu_builds == 1);
	CHECK(st.cve_state[0][XH_CVE_VULNERABLE] == 1 && st.cve_state[0][XH_CVE_FIXED] == 1);
	free(r);
}

static void test_request_text(void)
{
	struct xh_target tg;
	char buf[512];
	size_t n;

	memset(&tg, 0, sizeof tg);
	snprintf(tg.host, sizeof tg.host, "::1");
	tg.family = 6;
	tg.port = 443;
	n = xh_probe_request_text(&tg, 0, buf, sizeof buf);
	CHECK(n > 0 && strcmp(buf, "GET /owa/ HTTP/1.1\r\nHost: [::1]\r\nUser-Agent: exhunt/" EXHUNT_VERSION
	                           "\r\nAccept: */*\r\n\r\n") == 0);
	tg.scheme = XH_SCHEME_HTTP;
	n = xh_probe_request_text(&tg, 1, buf, sizeof buf);
	CHECK(n > 0 && strstr(buf, "GET /ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application "
	                           "HTTP/1.1\r\nHost: [::1]:443\r\n"));
	CHECK(xh_probe_request_text(&tg, 2, buf, sizeof buf) == 0);
	CHECK(xh_probe_request_text(&tg, 0, buf, 20) == 0);
}

struct sinkbuf {
	char data[65536];
	size_t n;
};

static xh_status to_buf(void *ud, const void *d, size_t n)
{
	struct sinkbuf *s = ud;
	if (n > sizeof s->data - s->n)
		return XH_EIO;
	memcpy(s->data + s->n, d, n);
	s->n += n;
	return XH_OK;
}

static bool has_control(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\n') || c == 0x7f || (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
		                                             (unsigned char)s[i + 1] <= 0x9f))
			return true;
	}
	return false;
}

static void test_writers(void)
{
	struct xh_probe_result *r = calloc(1, sizeof *r);
	static const char evil[] = "EV\x1b[2J\x07\xc2\x9b\xff=cmd|calc";
	struct sinkbuf *sb = calloc(1, sizeof *sb);
	struct xh_probe_stats st;

	if (!r || !sb)
		abort();
	assess(r, "15.1.2176.2");
	snprintf(r->target.host, sizeof r->target.host, "10.0.0.1");
	r->target.family = 4;
	r->target.port = 443;
	memcpy(r->fp.fe_server, evil, sizeof evil - 1);
	r->fp.fe_server_len = sizeof evil - 1;
	r->fp.why |= XH_FPW_FE_SERVER;
	snprintf(r->redirect, sizeof r->redirect, "%s", "=HYPERLINK(\"x\")\x1b");
	snprintf(r->error_text, sizeof r->error_text, "%s", "\x1b]0;title\x07");
	xh_probe_stats_init(&st);
	xh_probe_tally(&st, r);
	for (size_t i = 0; i < xh_probe_format_count(); i++) {
		struct xh_probe_writer *w;
		const char *name = xh_probe_format_name(i);
		sb->n = 0;
		CHECK(xh_probe_writer_new(name, false, to_buf, sb, &w) == XH_OK);
		CHECK(xh_probe_writer_begin(w) == XH_OK);
		CHECK(xh_probe_writer_result(w, r) == XH_OK);
		CHECK(xh_probe_writer_summary(w, &st) == XH_OK);
		CHECK(sb->n > 100 && !has_control(sb->data, sb->n));
		if (strcmp(name, "csv") == 0)
			CHECK(memmem(sb->data, sb->n, "\"'=HYPERLINK(\"\"x\"\")", 19) != NULL);
		if (strcmp(name, "jsonl") == 0)
			CHECK(memmem(sb->data, sb->n, "\"fe_server\":\"EV\\u001b[2J\\u0007\\u009b\\\\xff=cmd|calc\"", 51) !=
			      NULL);
		if (strcmp(name, "text") == 0)
			CHECK(memmem(sb->data, sb->n, "front end EV\\x1b[2J\\x07\\u{009b}\\xff=cmd|calc", 43) != NULL);
		xh_probe_writer_free(w);
	}
	{
		struct xh_probe_writer *w;
		CHECK(xh_probe_writer_new("xml", false, to_buf, sb, &w) == XH_ENOTFOUND);
	}
	free(sb);
	free(r);
}

int main(void)
{
	test_specs();
	test_spec_errors();
	test_permutation();
	test_scope();
	test_fingerprint();
	test_judge();
	test_request_text();
	test_writers();
	return check_done();
}
