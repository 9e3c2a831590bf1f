/*
 * Zip triage archives read in place (zip.c): entry names, enumeration into the entry
 * table, and reading an entry with a reader kept open across entries.
 */
#ifndef XH_ZIP_H
#define XH_ZIP_H

#include "evidence/entries.h"

struct archive;

/* Normalises an archive entry name: '\' -> '/', no empty, '.' or '..' parts (a '..'
 * climbs at most to the root), no leading '/'. Sets *dotdot when it changed meaning. */
XH_HIDDEN xh_status xh_path_normalize(const char *in, struct xh_buf *out, bool *dotdot);

/* A libarchive reader of the zip at path (seekable: the central directory is read), or
 * NULL. */
XH_HIDDEN struct archive *xh_zip_reader(const char *path);
/* Adds the entries of zip root `root` in archive order. */
XH_HIDDEN xh_status xh_zip_enumerate(struct xh_vfs *v, uint32_t root, struct xh_error *err);
/* Positions o's zip reader (kept open across entries of one archive) at entry e and
 * makes src read it. */
XH_HIDDEN xh_status xh_zip_open_entry(struct xh_opened *o, const char *archive_path, const struct xh_entry *e,
                                      struct xh_src *src, const char **why);
/* Frees o's zip reader, if any. */
XH_HIDDEN void xh_zip_release(struct xh_opened *o);

#endif
