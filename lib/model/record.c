/*
 * Record field access by name: what rules, findings and build observations read from a
 * record whatever its reader (W3C columns, Exchange CSV columns, ECP S:KEY parts, EVTX
 * fields). Names compare case-insensitively, as Windows and IIS treat them.
 */
#include "common/base.h"

#include <strings.h>

bool xh_record_get(const struct xh_record *r, const char *name, struct xh_sv *out)
{
	size_t n = strlen(name);

	out->p = NULL;
	out->n = 0;
	if (r->schema) {
		for (size_t i = 0; i < r->schema->n && i < r->nfields; i++) {
			if (strcasecmp(r->schema->names[i], name) == 0) {
				*out = r->fields[i];
				return true;
			}
		}
	}
	for (size_t i = 0; i < r->nx; i++) {
		if (r->xnames[i].n == n && strncasecmp(r->xnames[i].p, name, n) == 0) {
			*out = r->xvalues[i];
			return true;
		}
	}
	return false;
}
