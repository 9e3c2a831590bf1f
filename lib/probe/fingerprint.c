/*
 * Probe fingerprints: whether an answer comes from Exchange and which build it shows,
 * from three read-only sources (shared/reference/builds.md section 5):
 *
 *   X-OWA-Version: 15.1.2176.9                          header, full build
 *   <link href="/owa/auth/15.1.2176/themes/resources/logon.css">   logon page, CU only
 *        (2013 and later; Exchange 2010 pages show /owa/14.3.513.0/, a full build)
 *   <assemblyIdentity name="microsoft.exchange.ediscovery.exporttool.application"
 *                     version="15.1.2176.9" .../>       ECP export-tool manifest
 *
 * plus signs that a host is Exchange without naming a build (the OWA logon form posting
 * to /owa/auth.owa, a redirect to /owa/auth/logon.aspx, an X-FEServer header).
 *
 * Every byte parsed here comes from the probed host: parsers only look, never copy
 * more than their fixed fields, and the one raw value kept (X-FEServer) is escaped by
 * the writers.
 */
#include "common/base.h"

#include "exhunt/probe.h"

#include <stdio.h>
#include <strings.h>

static const char *const why_names[XH_FPW_COUNT] = {
	"x-owa-version header", "owa resource path", "owa logon form",
	"redirect to owa logon page", "x-feserver header", "ecp export-tool manifest",
};

const char *xh_fp_why_name(unsigned bit_index)
{
	return bit_index < XH_FPW_COUNT ? why_names[bit_index] : "?";
}

const char *xh_build_source_name(enum xh_build_source s)
{
	static const char *const names[] = {"none", "x-owa-version", "owa-path", "ecp-exporttool"};
	return (unsigned)s < XH_ARRAY_LEN(names) ? names[s] : "?";
}

void xh_fp_init(struct xh_fp *fp)
{
	memset(fp, 0, sizeof *fp);
}

/* Case-insensitive search for an ASCII literal; the offset or SIZE_MAX. */
static size_t find_ci(const char *s, size_t n, size_t from, const char *lit)
{
	size_t ln = strlen(lit);

	for (size_t i = from; i + ln <= n; i++) {
		if ((s[i] | 0x20) != (lit[0] | 0x20))
			continue;
		if (strncasecmp(s + i, lit, ln) == 0)
			return i;
	}
	return SIZE_MAX;
}

/* An Exchange build (2010 or later) from text: 3 or 4 dotted numbers. */
static bool exchange_build(const char *s, size_t n, struct xh_build *b)
{
	if (!xh_build_parse(s, n, b))
		return false;
	return (b->major == 15 && b->minor <= 2) || (b->major == 14 && b->minor == 3);
}

static bool same_cu(const struct xh_build *a, const struct xh_build *b)
{
	return a->major == b->major && a->minor == b->minor && a->build == b->build;
}

void xh_fp_header(struct xh_fp *fp, const char *line, size_t n)
{
	const char *colon = memchr(line, ':', n);
	size_t nn, vn;
	const char *v;

	if (!colon)
		return; /* the status line, the blank line, or garbage */
	nn = (size_t)(colon - line);
	v = colon + 1;
	vn = (size_t)(line + n - v);
	while (vn && (*v == ' ' || *v == '\t')) {
		v++;
		vn--;
	}
	while (vn && (v[vn - 1] == '\r' || v[vn - 1] == '\n' || v[vn - 1] == ' ' || v[vn - 1] == '\t'))
		vn--;
	if (nn == 13 && strncasecmp(line, "X-OWA-Version", 13) == 0) {
		struct xh_build b;
		if (vn && exchange_build(v, vn, &b)) {
			fp->why |= XH_FPW_OWA_VERSION;
			/* the first one wins: a redirect chain is one server's answers */
			if (!fp->has_header) {
				fp->header = b;
				fp->has_header = true;
			}
		}
	} else if (nn == 10 && strncasecmp(line, "X-FEServer", 10) == 0) {
		if (vn) {
			fp->why |= XH_FPW_FE_SERVER;
			if (!fp->fe_server_len) {
				fp->fe_server_len = vn < sizeof fp->fe_server ? vn : sizeof fp->fe_server;
				memcpy(fp->fe_server, v, fp->fe_server_len);
			}
		}
	} else if (nn == 8 && strncasecmp(line, "Location", 8) == 0) {
		xh_fp_redirect(fp, v, vn);
	}
}

void xh_fp_redirect(struct xh_fp *fp, const char *location, size_t n)
{
	if (find_ci(location, n, 0, "/owa/auth/logon.aspx") != SIZE_MAX)
		fp->why |= XH_FPW_LOGON_REDIRECT;
}

void xh_fp_logon_page(struct xh_fp *fp, const char *body, size_t n)
{
	size_t at = 0;

	if (find_ci(body, n, 0, "/owa/auth.owa") != SIZE_MAX)
		fp->why |= XH_FPW_LOGON_FORM;
	/* every "/owa/[auth/]<digits and dots>/" */
	while ((at = find_ci(body, n, at, "/owa/")) != SIZE_MAX) {
		size_t p = at + 5, q;
		struct xh_build b;

		at = p;
		if (p + 5 <= n && strncasecmp(body + p, "auth/", 5) == 0)
			p += 5;
		q = p;
		while (q < n && q - p < 24 && ((body[q] >= '0' && body[q] <= '9') || body[q] == '.'))
			q++;
		if (q == p || q >= n || body[q] != '/' || !exchange_build(body + p, q - p, &b))
			continue;
		fp->why |= XH_FPW_OWA_PATH;
		if (!fp->has_path) {
			fp->path = b;
			fp->has_path = true;
		} else if (!same_cu(&fp->path, &b) || fp->path.rev_known != b.rev_known ||
		           (b.rev_known && b.rev != fp->path.rev)) {
			fp->path_conflict = true;
		}
	}
}

void xh_fp_exporttool(struct xh_fp *fp, const char *body, size_t n)
{
	size_t at = 0;

	/* the first assemblyIdentity with an Exchange 2013+ version is the tool's own (the
	 * ones after it name dependencies such as the CLR, version 4.0.30319.0) */
	while ((at = find_ci(body, n, at, "<assemblyIdentity")) != SIZE_MAX) {
		size_t end = at, v;
		at += 17;
		while (end < n && body[end] != '>')
			end++;
		v = find_ci(body, end, at, "version=");
		if (v != SIZE_MAX && v + 9 < end && (body[v + 8] == '"' || body[v + 8] == '\'')) {
			char q = body[v + 8];
			size_t s = v + 9, e = s;
			struct xh_build b;
			while (e < end && body[e] != q)
				e++;
			if (e < end && exchange_build(body + s, e - s, &b) && b.major == 15 && b.rev_known) {
				fp->why |= XH_FPW_EXPORTTOOL;
				fp->tool = b;
				fp->has_tool = true;
				return;
			}
		}
	}
}

static void note_add(struct xh_fp *fp, const char *text)
{
	size_t n = strlen(fp->note);
	snprintf(fp->note + n, sizeof fp->note - n, "%s%s", n ? "; " : "", text);
}

void xh_fp_settle(struct xh_fp *fp)
{
	char a[32], b[32], t[160];

	fp->has_build = true;
	if (fp->has_header && fp->header.rev_known) {
		fp->build = fp->header;
		fp->source = XH_BSRC_HEADER;
	} else if (fp->has_tool) {
		fp->build = fp->tool;
		fp->source = XH_BSRC_EXPORTTOOL;
	} else if (fp->has_header) {
		fp->build = fp->header;
		fp->source = XH_BSRC_HEADER;
	} else if (fp->has_path) {
		fp->build = fp->path;
		fp->source = XH_BSRC_OWA_PATH;
	} else {
		fp->has_build = false;
		fp->source = XH_BSRC_NONE;
	}
	fp->note[0] = '\0';
	if (!fp->has_build)
		return;
	xh_build_format(&fp->build, a, sizeof a);
	if (fp->has_path && !same_cu(&fp->path, &fp->build)) {
		xh_build_format(&fp->path, b, sizeof b);
		snprintf(t, sizeof t, "the OWA paths show %s, not %s (a load balancer may mix servers)", b, a);
		note_add(fp, t);
	}
	if (fp->has_tool && fp->source == XH_BSRC_HEADER && !same_cu(&fp->tool, &fp->build)) {
		xh_build_format(&fp->tool, b, sizeof b);
		snprintf(t, sizeof t, "the export tool shows %s, not %s", b, a);
		note_add(fp, t);
	}
	if (fp->path_conflict)
		note_add(fp, "the logon page names more than one build; the first is used");
}

bool xh_fp_complete(const struct xh_fp *fp)
{
	/* a four-part OWA path is Exchange 2010's full build: 2010 has no export tool */
	return (fp->has_header && fp->header.rev_known) || fp->has_tool || (fp->has_path && fp->path.rev_known);
}
