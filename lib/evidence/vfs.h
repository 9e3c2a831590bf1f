/*
 * The evidence walker: enumerates the files of each EVIDENCE root (a folder, a .zip
 * archive read in place, or a single file) and opens them read-only as byte sources.
 * It never writes, never follows a link, and never lets a path escape its root.
 */
#ifndef XH_VFS_H
#define XH_VFS_H

#include "evidence/entries.h"
#include "evidence/layout.h"
#include "evidence/zip.h"

/* Enumerates every root. Roots that cannot be opened at all are an error (XH_EIO /
 * XH_EARCHIVE with err filled); problems below a root become unreadable entries. */
XH_HIDDEN xh_status xh_vfs_build(struct xh_vfs *v, const char *const *args, size_t n,
                                 struct xh_error *err);
XH_HIDDEN void xh_vfs_free(struct xh_vfs *v);

XH_HIDDEN void xh_opened_init(struct xh_opened *o);
/* Opens entry i as a byte source; on failure returns non-OK and *why (static text). */
XH_HIDDEN xh_status xh_vfs_open(struct xh_vfs *v, size_t i, struct xh_opened *o, struct xh_src *src,
                                const char **why);
/* Closes the file (the zip reader stays open for the next entry). */
XH_HIDDEN void xh_vfs_close(struct xh_opened *o);
XH_HIDDEN void xh_opened_free(struct xh_opened *o);

#endif
