/*
 * One file as the scan hands it to the file checks, what the checks count per file, and
 * where their findings go. Types only: the scan's interface (tap.h) and the checks'
 * shared state (state.h) both speak them.
 */
#ifndef XH_FILES_FILE_H
#define XH_FILES_FILE_H

#include "model/finding.h"

struct xh_files_counts {
	uint64_t checked, cut, not_hashed;
};

/* One file as the scan sees it. */
struct xh_files_file {
	const char *path, *origin;
	int64_t mtime;                /* seconds since 1970, 0 when unknown */
	bool zip;                     /* path and time come from a zip entry */
	uint64_t declared;            /* size from stat() or the archive header */
	const struct xh_source *source;
};

typedef xh_status (*xh_files_emit_fn)(void *ud, const struct xh_finding *f);

#endif
