/*
 * A rule's Sigma logsource, such as
 *
 *   logsource:
 *     product: exchange
 *     service: httpproxy
 *
 * picks the sources it runs on: the rows of the source registry whose Sigma columns
 * name it (model/source.c: `category: webserver` is the IIS log, `product: exchange`
 * with a `service` one Exchange log, without one all of them), or for `product: windows`
 * (and a bare `category: antivirus`) the events winlog.c selects. Anything else has no
 * reader in this build and the rule is rejected with that reason (docs/logsources.md).
 */
#include "model/source.h"
#include "detect/logsource.h"

#include <ctype.h>
#include <stdio.h>
#include <strings.h>

static const char *scalar(const struct xh_ynode *map, const char *key)
{
	const struct xh_ynode *n = xh_ymap_get(map, key);
	return n && n->kind == XH_Y_SCALAR ? n->str : "";
}

/* A key of a source row's logsource against the rule's: "*" any, "" none written. */
static bool key_is(const char *want, const char *have)
{
	return strcmp(want, "*") == 0 || (want[0] ? strcasecmp(want, have) == 0 : !have[0]);
}

static bool named(const char *key)
{
	return key[0] && strcmp(key, "*") != 0;
}

/* Does some source row name this product and this service (product: windows,
 * service: iis is the IIS log, not an event log)? */
static bool service_has_row(const char *p, const char *s)
{
	for (size_t i = 0; i < xh_source_count(); i++)
		for (const struct xh_sigma_logsource *l = xh_source_sigma(xh_source_at(i)); l->product; l++)
			if (named(l->product) && named(l->service) && strcasecmp(l->product, p) == 0 &&
			    strcasecmp(l->service, s) == 0)
				return true;
	return false;
}

/* A row naming the rule's product (and category) but none of them its service. */
static const char *product_of_service(const char *c, const char *p)
{
	for (size_t i = 0; i < xh_source_count(); i++)
		for (const struct xh_sigma_logsource *l = xh_source_sigma(xh_source_at(i)); l->product; l++)
			if (named(l->product) && key_is(l->category, c) && key_is(l->product, p))
				return l->product;
	return NULL;
}

/* A Windows rule: the events of the category's variant `variant`, or of the service. */
static bool windows(const char *c, const char *s, const char *what, struct xh_rule *r, size_t variant,
                    size_t *nvariants, struct xh_reject *e)
{
	const struct xh_winsource *ws[XH_MAX_WINSOURCE_VARIANTS];
	size_t n = xh_winsource_find(c, s, ws, XH_ARRAY_LEN(ws));
	const struct xh_source *evtx = xh_source_find("evtx");
	char lab[XH_MAX_LOGSOURCE_LABEL];

	if (n == 0)
		return xh_reject(e, "logsource %s: no Windows event log carries it (ETW or unknown): no reader for it in this build (docs/logsources.md)", what);
	*nvariants = n;
	r->win = ws[variant < n ? variant : 0];
	r->sources = evtx ? xh_source_bit(evtx) : 0;
	snprintf(lab, sizeof lab, "%s [%s]", what, r->win->label);
	r->logsource = xh_strdup(lab);
	return r->logsource != NULL || xh_reject(e, "%s", "out of memory");
}

bool xh_logsource_apply(const struct xh_ynode *ls, struct xh_rule *r, size_t variant, size_t *nvariants,
                        struct xh_reject *e)
{
	const char *c = scalar(ls, "category"), *p = scalar(ls, "product"), *s = scalar(ls, "service"), *prod;
	char what[XH_MAX_LOGSOURCE_TEXT];

	snprintf(what, sizeof what, "%s%s%s%s%s", c, c[0] && (p[0] || s[0]) ? "/" : "", p, p[0] && s[0] ? "/" : "", s);
	*nvariants = 1;
	if ((strcasecmp(p, "windows") == 0 && !service_has_row(p, s)) || (!p[0] && strcasecmp(c, "antivirus") == 0))
		return windows(c, s, what, r, variant, nvariants, e);
	r->logsource = xh_strdup(what[0] ? what : "(none)");
	for (size_t i = 0; i < xh_source_count(); i++) {
		const struct xh_source *src = xh_source_at(i);
		for (const struct xh_sigma_logsource *l = xh_source_sigma(src); l->product; l++)
			if (key_is(l->category, c) && key_is(l->product, p) && key_is(l->service, s)) {
				r->sources |= xh_source_bit(src);
				r->webserver = r->webserver || xh_source_field_names(src) == XH_NAMES_WEBSERVER;
				break;
			}
	}
	if (r->sources)
		return true;
	if ((prod = product_of_service(c, p)) != NULL)
		return xh_reject(e, "logsource product %s, service %s: no such %c%s log (docs/logsources.md)", prod, s,
		                 toupper((unsigned char)prod[0]), prod + 1);
	return xh_reject(e, "logsource %s: no reader for it in this build", what[0] ? what : "(none)");
}
