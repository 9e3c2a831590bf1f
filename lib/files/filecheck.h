/*
 * The file checks' driver (filecheck.c), as the scan uses it: per scan (install roots,
 * places), per worker (YARA scanner, digests, content buffer) and per file (a tap fed
 * with the file's raw bytes as they are read, then the checks). The judgement of file
 * findings next to the rest of the evidence is a post-pass step (judge/files.c).
 */
#ifndef XH_FILECHECK_H
#define XH_FILECHECK_H

#include "model/finding.h"

struct xh_fc_stats {
	uint64_t checked, cut, not_hashed;
};

/* One file as the scan sees it. */
struct xh_fc_file {
	const char *path, *origin;
	int64_t mtime;                /* seconds since 1970, 0 when unknown */
	bool zip;                     /* path and time come from a zip entry */
	uint64_t declared;            /* size from stat() or the archive header */
	const struct xh_source *source;
};

typedef xh_status (*xh_fc_emit_fn)(void *ud, const struct xh_finding *f);

struct xh_fc_scan;
/* at(ud, i, &path, &origin) gives the n entries of the evidence (for install roots). */
XH_HIDDEN xh_status xh_fc_scan_new(struct xh_files *fc, size_t n,
                                   void (*at)(void *ud, size_t i, const char **path, const char **origin), void *ud,
                                   struct xh_fc_scan **out, struct xh_error *err);
XH_HIDDEN void xh_fc_scan_free(struct xh_fc_scan *s);
/* Fills report->places and max_scan_bytes. */
XH_HIDDEN void xh_fc_scan_report(const struct xh_fc_scan *s, struct xh_report *r);

struct xh_fc_worker;
XH_HIDDEN xh_status xh_fc_worker_new(const struct xh_fc_scan *s, struct xh_fc_worker **out);
XH_HIDDEN void xh_fc_worker_free(struct xh_fc_worker *w);

/* Whether the file gets the checks: everything that is not a log, and every script page. */
XH_HIDDEN bool xh_fc_wants(const struct xh_fc_file *f);
/* Starts a file: feed it every raw byte in order, then call xh_fc_check. */
XH_HIDDEN xh_status xh_fc_begin(struct xh_fc_worker *w, const struct xh_fc_file *f);
XH_HIDDEN void xh_fc_feed(struct xh_fc_worker *w, const void *p, size_t n);
/* True when more bytes would change nothing (content buffer full, no hash running). */
XH_HIDDEN bool xh_fc_done(const struct xh_fc_worker *w);
XH_HIDDEN uint64_t xh_fc_bytes(const struct xh_fc_worker *w);
/* Runs the checks on what was fed. eof: the file was read to its end; read_error: reading
 * stopped on an error (no hash is then reported). */
XH_HIDDEN xh_status xh_fc_check(struct xh_fc_worker *w, bool eof, bool read_error, xh_fc_emit_fn emit, void *ud,
                                struct xh_fc_stats *st);

#endif
