/*
 * The builds seen: the Exchange builds the evidence shows, with when and where
 * (builds_seen.c).
 */
#ifndef XH_BUILDS_SEEN_H
#define XH_BUILDS_SEEN_H

#include "common/base.h"

enum {
	XH_SEEN_RECORDS = 1,  /* MajorVersion..RevisionVersion of HttpProxy / Rps records */
	XH_SEEN_HEADER = 2,   /* #Version of Exchange logs */
	XH_SEEN_ECP = 4,      /* ECP S:BLD */
	XH_SEEN_WEBROOT = 8,  /* owa/auth/<build> folder (CU only) */
};

struct xh_build_seen {
	struct xh_build b;
	int64_t first_ms, last_ms;
	uint64_t n;
	unsigned sources;
	char path[256];       /* where it was first seen */
	uint64_t line;
};

/* Grows as builds are seen (up to XH_MAX_BUILDS_SEEN; more are counted as dropped, as
 * is one that finds no memory). Zeroed is empty; free with xh_builds_seen_free. */
struct xh_builds_seen {
	struct xh_build_seen *v;
	size_t n, cap, last;
	uint64_t dropped;
};
XH_HIDDEN void xh_builds_seen_free(struct xh_builds_seen *s);

/* Per-worker cache of column positions and of the last #Version text. */
struct xh_builds_seen_cache {
	uint64_t schema_id;
	int col[4];
	char version[64];
	size_t version_len;
	bool version_ok;
	struct xh_build version_build;
};

XH_HIDDEN void xh_builds_seen_record(struct xh_builds_seen *s, struct xh_builds_seen_cache *c, const struct xh_record *r);
XH_HIDDEN void xh_builds_seen_path(struct xh_builds_seen *s, const char *path);
XH_HIDDEN void xh_builds_seen_merge(struct xh_builds_seen *into, const struct xh_builds_seen *from);
/* Sorts by first time and emits one informational finding per build. */
XH_HIDDEN xh_status xh_builds_seen_report(struct xh_builds_seen *s,
                                   xh_status (*emit)(void *ud, const struct xh_finding *f), void *ud);

#endif
