/*
 * Coverage of a scan (coverage.c): each file's statistics merged into the report's
 * groups, on the calling thread, in evidence order.
 */
#ifndef XH_COVERAGE_H
#define XH_COVERAGE_H

#include "evidence/vfs.h"
#include "readers/reader.h"

struct xh_cover_table;

struct xh_coverage {
	struct xh_report *r;             /* its groups and its hosts' families are what is built */
	struct xh_cover_table *folders;  /* r->groups */
	struct xh_cover_table *families; /* per host: r->hosts[h].families */
	struct xh_buf folder;            /* scratch: the folder of the file being merged */
};

/* What one file gave. */
struct xh_cover_file {
	const struct xh_entry *entry;
	const struct xh_source *source;   /* NULL when the file was never classified */
	const char *unreadable;           /* why it could not be read (fully), or NULL */
	const struct xh_fstats *st;
	uint64_t checked, cut, not_hashed; /* file checks: looked at, content cut, too large to hash */
	const char *channel;              /* an event log's channel (its first record's), or NULL */
};

/* r->hosts must be made first (each host gets its families). */
XH_HIDDEN xh_status xh_coverage_init(struct xh_coverage *cv, struct xh_report *r);
XH_HIDDEN xh_status xh_coverage_add(struct xh_coverage *cv, const struct xh_cover_file *f);
/* Finds the gaps of every group and frees the builder (the report keeps the groups). */
XH_HIDDEN void xh_coverage_finish(struct xh_coverage *cv);

#endif
