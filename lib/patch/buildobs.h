/*
 * Build observations: the Exchange builds the evidence shows, with when (buildobs.c).
 */
#ifndef XH_BUILDOBS_H
#define XH_BUILDOBS_H

#include "common/base.h"

/* Distinct builds kept per file and per scan; a server runs a handful in its life. */
#define XH_MAX_BUILDS_SEEN 64

enum {
	XH_BOBS_RECORDS = 1,  /* MajorVersion..RevisionVersion of HttpProxy / Rps records */
	XH_BOBS_HEADER = 2,   /* #Version of Exchange logs */
	XH_BOBS_ECP = 4,      /* ECP S:BLD */
	XH_BOBS_WEBROOT = 8,  /* owa/auth/<build> folder (CU only) */
};

struct xh_bobs {
	struct xh_build b;
	int64_t first_ms, last_ms;
	uint64_t n;
	unsigned sources;
	char path[256];       /* where it was first seen */
	uint64_t line;
};

struct xh_bobs_set {
	struct xh_bobs v[XH_MAX_BUILDS_SEEN];
	size_t n, last;
	uint64_t dropped;
};

/* Per-worker cache of column positions and of the last #Version text. */
struct xh_bobs_cache {
	uint64_t schema_id;
	int col[4];
	char version[64];
	size_t version_len;
	bool version_ok;
	struct xh_build version_build;
};

XH_HIDDEN void xh_bobs_record(struct xh_bobs_set *s, struct xh_bobs_cache *c, const struct xh_record *r);
XH_HIDDEN void xh_bobs_path(struct xh_bobs_set *s, const char *path);
XH_HIDDEN void xh_bobs_merge(struct xh_bobs_set *into, const struct xh_bobs_set *from);
/* Sorts by first time and emits one informational finding per build. */
XH_HIDDEN xh_status xh_bobs_report(struct xh_bobs_set *s,
                                   xh_status (*emit)(void *ud, const struct xh_finding *f), void *ud);

#endif
