/*
 * Owned copies of findings (see finding.c).
 */
#ifndef XH_FINDING_H
#define XH_FINDING_H

#include "common/base.h"

/* Deep copy in one allocation (free with xh_finding_free); NULL when out of memory.
 * The excerpt is cut at XH_MAX_LINE bytes. */
XH_HIDDEN struct xh_finding *xh_finding_dup(const struct xh_finding *f);
XH_HIDDEN void xh_finding_free(struct xh_finding *f);

/* Sets f->host and f->client from the record's fields (copied into the buffers). */
XH_HIDDEN void xh_finding_context(struct xh_finding *f, const struct xh_record *r, char *host, size_t hcap,
                                  char *client, size_t ccap);

/* A list of owned findings, capped at XH_MAX_FINDINGS_KEPT (the rest only counted). */
struct xh_flist {
	struct xh_finding **f;
	size_t n, cap;
	uint64_t dropped;
};
XH_HIDDEN xh_status xh_flist_push(struct xh_flist *l, const struct xh_finding *f);
XH_HIDDEN void xh_flist_free(struct xh_flist *l);

#endif
