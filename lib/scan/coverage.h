/*
 * Coverage of a scan (coverage.c): each file's statistics merged into the report's
 * groups, on the calling thread, in evidence order.
 */
#ifndef XH_COVERAGE_H
#define XH_COVERAGE_H

#include "evidence/vfs.h"
#include "readers/reader.h"

struct spans;

struct xh_coverage {
	struct xh_report *r;  /* its groups are what is built */
	size_t cap;           /* of r->groups and sp */
	struct spans *sp;     /* the days each group's files span, one per group */
	struct xh_buf folder; /* scratch: the folder of the file being merged */
};

/* What one file gave. */
struct xh_cover_file {
	const struct xh_entry *entry;
	const struct xh_source *source;   /* NULL when the file was never classified */
	const char *unreadable;           /* why it could not be read (fully), or NULL */
	const struct xh_fstats *st;
	uint64_t checked, cut, not_hashed; /* file checks: looked at, content cut, too large to hash */
};

XH_HIDDEN xh_status xh_coverage_init(struct xh_coverage *cv, struct xh_report *r);
XH_HIDDEN xh_status xh_coverage_add(struct xh_coverage *cv, const struct xh_cover_file *f);
/* Finds the gaps of every group and frees the builder (the report keeps the groups). */
XH_HIDDEN void xh_coverage_finish(struct xh_coverage *cv);

#endif
