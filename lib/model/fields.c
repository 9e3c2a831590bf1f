/*
 * Field names of rules resolved against records, once at rule compile time (fields.h):
 * Sigma's web-server names to IIS W3C columns (shared/reference/sigma.md section 4.4,
 * docs/logsources.md), `cs-uri-query`, `c-uri` and `cs-uri` to the request as sent, the
 * `.decoded` suffix, Windows renames and Windows unnamed `Data`.
 */
#include "model/fields.h"

#include <stdio.h>
#include <strings.h>

/* Sigma webserver names -> IIS W3C columns (sigma.md 4.4). */
static const struct xh_rename w3c_names[] = {
	{"cs-user-agent", "cs(User-Agent)"}, {"c-useragent", "cs(User-Agent)"},
	{"cs-referer", "cs(Referer)"},       {"cs-referrer", "cs(Referer)"},
	{"cs-cookie", "cs(Cookie)"},         {"c-win32-status", "sc-win32-status"},
	{"c-uri-stem", "cs-uri-stem"},       {"src_ip", "c-ip"},
	{"dst_ip", "s-ip"},                  {NULL, NULL},
};

/* Sigma webserver names of the request as sent: IIS logs it as cs-uri-stem and cs-uri-query. */
static const char *const uri_names[] = {"cs-uri-query", "c-uri", "cs-uri", NULL};

static bool is_uri_name(const char *f)
{
	for (size_t i = 0; uri_names[i]; i++)
		if (strcasecmp(f, uri_names[i]) == 0)
			return true;
	return false;
}

const char *xh_field_rename(const struct xh_rename *renames, const char *field)
{
	for (size_t i = 0; renames && renames[i].from; i++)
		if (strcasecmp(renames[i].from, field) == 0)
			return renames[i].to;
	return field;
}

void xh_field_resolve(const char *name, enum xh_field_names names, const struct xh_rename *renames,
                      struct xh_fref *out)
{
	size_t n = strlen(name);

	memset(out, 0, sizeof *out);
	out->look = name;
	if (n > 8 && strcasecmp(name + n - 8, ".decoded") == 0) {
		out->decoded = true;
		n -= 8;
	}
	if (names == XH_NAMES_WEBSERVER) {
		char base[XH_MAX_RULE_FIELD_NAME];
		const char *w3c;
		snprintf(base, sizeof base, "%.*s", (int)n, name);
		if (is_uri_name(base)) {
			out->uri = true;
			return;
		}
		w3c = xh_field_rename(w3c_names, base);
		if (w3c != base) {
			out->look = w3c;
			return;
		}
	}
	if (out->decoded)
		out->own = xh_strndup(name, n);
	if (out->own)
		out->look = out->own;
	if (names == XH_NAMES_WINDOWS) {
		if (!out->own)
			out->look = xh_field_rename(renames, out->look);
		out->any = !out->decoded && strcasecmp(out->look, "Data") == 0;
	}
}

void xh_fref_free(struct xh_fref *f)
{
	xh_free(f->own);
	f->own = NULL;
}
