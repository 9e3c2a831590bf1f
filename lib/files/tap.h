/*
 * The file checks as the scan drives them (tap.c): per scan (install roots, places), per
 * worker (YARA scanner, digests, content buffer) and per file (a tap fed with the file's
 * raw bytes as they are read, then the checks). The judgement of file findings next to
 * the rest of the evidence is a post-pass step (judge/files.c).
 */
#ifndef XH_FILES_TAP_H
#define XH_FILES_TAP_H

#include "files/file.h"

/* Compiles the rules and sorts the lists, once: xh_files_prepare and the first scan of
 * an unprepared object both come here. */
XH_HIDDEN xh_status xh_files_ready(struct xh_files *fc, struct xh_error *err);

struct xh_files_scan;
/* at(ud, i, &path, &origin) gives the n entries of the evidence (for install roots). */
XH_HIDDEN xh_status xh_files_scan_new(struct xh_files *fc, size_t n,
                                      void (*at)(void *ud, size_t i, const char **path, const char **origin),
                                      void *ud, struct xh_files_scan **out, struct xh_error *err);
XH_HIDDEN void xh_files_scan_free(struct xh_files_scan *s);
/* Fills report->places and max_scan_bytes. */
XH_HIDDEN void xh_files_scan_report(const struct xh_files_scan *s, struct xh_report *r);

struct xh_files_worker;
XH_HIDDEN xh_status xh_files_worker_new(const struct xh_files_scan *s, struct xh_files_worker **out);
XH_HIDDEN void xh_files_worker_free(struct xh_files_worker *w);

/* Whether the file gets the checks: everything that is not a log, and every script page. */
XH_HIDDEN bool xh_files_wants(const struct xh_files_file *f);
/* Starts a file: feed it every raw byte in order, then call xh_files_check. */
XH_HIDDEN xh_status xh_files_begin(struct xh_files_worker *w, const struct xh_files_file *f);
XH_HIDDEN void xh_files_feed(struct xh_files_worker *w, const void *p, size_t n);
/* True when more bytes would change nothing (content buffer full, no hash running). */
XH_HIDDEN bool xh_files_done(const struct xh_files_worker *w);
XH_HIDDEN uint64_t xh_files_bytes(const struct xh_files_worker *w);
/* Runs the checks on what was fed. eof: the file was read to its end; read_error: reading
 * stopped on an error (no hash is then reported). */
XH_HIDDEN xh_status xh_files_check(struct xh_files_worker *w, bool eof, bool read_error, xh_files_emit_fn emit,
                                   void *ud, struct xh_files_counts *st);

#endif
