/*
 * What the files of the evidence walker share (vfs.c walks folders and builds the entry
 * table, entries.c adds to it, zip.c enumerates and opens zip entries, layout.c names a
 * path's place on the server, open.c opens entries): internal to evidence/.
 */
#ifndef XH_WALK_H
#define XH_WALK_H

#include "evidence/vfs.h"

#include <fcntl.h>

struct archive;

/* Opens a folder below dfd without following a link. */
static inline int xh_open_dir_at(int dfd, const char *name)
{
	return openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* A new entry for path[0..len) (zeroed but for its path); NULL when out of memory or
 * past XH_MAX_ENTRIES. */
XH_HIDDEN struct xh_entry *xh_vfs_add_entry(struct xh_vfs *v, const char *path, size_t len);
/* Records a path the walk could not take, with why; XH_ENOMEM if even that fails. */
XH_HIDDEN xh_status xh_vfs_add_problem(struct xh_vfs *v, uint32_t root, const char *path, size_t len,
                                       const char *why);

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
