/*
 * Classification by content: the first XH_SNIFF_BYTES of a (decompressed) file decide
 * its source kind. Names are never trusted for logs: a renamed IIS log is still an IIS
 * log, and binary garbage named u_ex210303.log is "unknown". The name is used only to
 * call a text file with a web-page extension a web-root file.
 *
 * What the start of each kind looks like:
 *   #Software: Microsoft Internet Information Services 10.0      -> iis
 *   #Software: Microsoft HTTP API 2.0                              -> httperr (W3C too)
 *   #Software: Microsoft Exchange Server / #Log-type: HttpProxy Logs -> httpproxy, ...
 *   ElfFile\0                                                      -> evtx
 *   <%@ Page Language="Jscript"%>                                  -> webfile
 */
#define _GNU_SOURCE /* memmem */
#include "evidence/classify.h"
#include "model/source.h"

#include <strings.h>

static bool has_prefix(const char *p, size_t n, const char *lit)
{
	size_t l = strlen(lit);
	return n >= l && memcmp(p, lit, l) == 0;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Case-insensitive search of a literal (two bytes or more) in a bounded window. Its first
 * two bytes are compared before strncasecmp is called: every file is classified, and a
 * call at every offset of the 8 KiB window was most of the classifier's time. */
static bool icontains(const char *p, size_t n, const char *lit)
{
	size_t l = strlen(lit);
	char a = lower(lit[0]), b = l > 1 ? lower(lit[1]) : 0;

	for (size_t i = 0; l > 1 && i + l <= n; i++)
		if (lower(p[i]) == a && lower(p[i + 1]) == b && strncasecmp(p + i, lit, l) == 0)
			return true;
	return false;
}

/* Next line of the sniff window as a view without CR/LF; false at the end. */
static bool next_line(const char **p, const char *end, struct xh_sv *line)
{
	const char *s = *p, *nl;

	if (s >= end)
		return false;
	nl = memchr(s, '\n', (size_t)(end - s));
	line->p = s;
	line->n = (size_t)((nl ? nl : end) - s);
	if (line->n && s[line->n - 1] == '\r')
		line->n--;
	*p = nl ? nl + 1 : end;
	return true;
}

/* Mostly text: no NUL and under 5% C0 control bytes other than tab/CR/LF/FF. */
static bool looks_text(const char *p, size_t n)
{
	size_t ctl = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == 0)
			return false;
		if (c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != '\f')
			ctl++;
	}
	return ctl * 20 <= n;
}

static bool web_extension(const char *name)
{
	static const char *const exts[] = {".aspx", ".ashx", ".asmx", ".asax", ".ascx", ".master",
	                                   ".asp",  ".config", ".svc", ".js",  ".css", ".htm",
	                                   ".html", NULL};
	const char *dot = strrchr(name, '.');

	if (!dot || strchr(dot, '/'))
		return false;
	for (size_t i = 0; exts[i]; i++)
		if (strcasecmp(dot, exts[i]) == 0)
			return true;
	return false;
}

const struct xh_source *xh_classify(const char *p, size_t n, const char *name, const char **note)
{
	const char *end, *cur;
	struct xh_sv line, log_type = {NULL, 0};
	bool exchange = false, w3c_fields = false, iis = false, httpapi = false;
	int lines = 0;

	*note = NULL;
	if (n == 0)
		return xh_source_find("empty");
	if (has_prefix(p, n, "ElfFile"))
		return xh_source_find("evtx");
	if (has_prefix(p, n, "PK\x03\x04") || has_prefix(p, n, "7z\xBC\xAF\x27\x1C") ||
	    has_prefix(p, n, "Rar!\x1A\x07") || has_prefix(p, n, "MSCF"))
		return xh_source_find("archive");
	if (has_prefix(p, n, "\xFF\xFE") || has_prefix(p, n, "\xFE\xFF")) {
		*note = "UTF-16 text is not read yet";
		return xh_source_find("unknown");
	}
	if (has_prefix(p, n, "\xEF\xBB\xBF")) {
		p += 3;
		n -= 3;
	}
	/* headers first: a NUL or binary junk later in a log does not make it binary */
	end = p + n;
	cur = p;
	while (lines < 16 && next_line(&cur, end, &line)) {
		lines++;
		if (line.n == 0 || line.p[0] != '#')
			break;
		if (xh_sv_istarts(line, "#Software: Microsoft Internet Information Services"))
			iis = true;
		else if (xh_sv_istarts(line, "#Software: Microsoft HTTP API"))
			httpapi = true;
		else if (xh_sv_istarts(line, "#Software: Microsoft Exchange Server"))
			exchange = true;
		else if (xh_sv_istarts(line, "#Log-type:"))
			log_type = xh_sv_trim(xh_sv_make(line.p + 10, line.n - 10));
		else if (xh_sv_istarts(line, "#Fields:")) {
			struct xh_sv rest = xh_sv_make(line.p + 8, line.n - 8);
			w3c_fields = icontains(rest.p, rest.n, "cs-uri-stem") ||
			             icontains(rest.p, rest.n, "date time") ||
			             icontains(rest.p, rest.n, "c-ip");
		}
	}
	if (exchange && log_type.p) {
		if (icontains(log_type.p, log_type.n, "OAB"))
			return xh_source_find("oabgen");
		return xh_source_by_log_type(log_type);
	}
	if (httpapi && w3c_fields)
		return xh_source_find("httperr");
	if (iis || (w3c_fields && !exchange))
		return xh_source_find("iis");
	if (!looks_text(p, n))
		return xh_source_find("unknown");
	{
		/* one lower-case copy of the window, then memmem per literal (every file is
		 * classified: a byte-by-byte caseless search per literal was most of the time) */
		char low[XH_SNIFF_BYTES];
		size_t k = n < sizeof low ? n : sizeof low, k4 = k < 4096 ? k : 4096;
		for (size_t i = 0; i < k; i++)
			low[i] = lower(p[i]);
		if (memmem(low, k4, "oabgenerator", 12) || memmem(low, k4, "oab generator", 13))
			return xh_source_find("oabgen");
		if (memmem(low, k, "<%@", 3) || memmem(low, k, "runat=\"server\"", 14) ||
		    memmem(low, k, "runat=server", 12) || memmem(low, k, "<%eval", 6) ||
		    (has_prefix(p, n, "<?xml") && memmem(low, k, "<configuration", 14)) ||
		    has_prefix(p, n, "<configuration"))
			return xh_source_find("webfile");
	}
	if (name && web_extension(name))
		return xh_source_find("webfile");
	return xh_source_find("text");
}
