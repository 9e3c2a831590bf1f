/*
 * The evidence walker: enumerates the files of each EVIDENCE root (a folder, a .zip
 * archive read in place, or a single file) and opens them read-only as byte sources.
 * It never writes, never follows a link, and never lets a path escape its root.
 */
#ifndef XH_VFS_H
#define XH_VFS_H

#include "evidence/input.h"

enum xh_root_type { XH_ROOT_DIR, XH_ROOT_ZIP, XH_ROOT_FILE };

struct xh_root {
	char *arg;               /* as given by the caller */
	char *prefix;            /* prepended to entry paths when there are several roots */
	enum xh_root_type type;
	int fd;                  /* directory fd for XH_ROOT_DIR, -1 otherwise */
};

struct xh_entry {
	char *path;              /* evidence-relative, '/'-separated, raw bytes */
	char *origin;            /* Windows path on the server, NULL when the layout hides it */
	uint64_t size;           /* as stored (compressed size unknown for zip: uncompressed) */
	int64_t mtime;           /* seconds since 1970, as preserved by the collection */
	uint32_t root;
	uint64_t zindex;         /* header ordinal inside a zip root */
	const char *skip;        /* non-NULL: not read, and why (static text) */
	bool unreadable;         /* skip is an error (the file exists but cannot be read) */
	bool dotdot;             /* archive name had '..' or an absolute part, normalised */
};

struct xh_vfs {
	struct xh_root *roots;
	size_t nroots;
	struct xh_entry *e;
	size_t n, cap;
};

/* Enumerates every root. Roots that cannot be opened at all are an error (XH_EIO /
 * XH_EARCHIVE with err filled); problems below a root become unreadable entries. */
XH_HIDDEN xh_status xh_vfs_build(struct xh_vfs *v, const char *const *args, size_t n,
                                 struct xh_error *err);
XH_HIDDEN void xh_vfs_free(struct xh_vfs *v);

/* Per-worker handle: an open file or a zip archive positioned at an entry. */
struct xh_opened {
	int fd;
	struct archive *za;      /* zip reader kept open across entries of one root */
	uint32_t zroot;
	uint64_t znext;          /* ordinal of the next header the zip reader will return */
	uint64_t zread;          /* decompressed bytes read from the current entry */
	/* the folder of the last file opened below a folder root, kept open: the next file
	 * of the same folder is one openat() instead of one per path component */
	int dfd;                 /* -1 when none */
	uint32_t droot;
	char *dpath;             /* its root-relative path (XH_MAX_PATH bytes), NULL until used */
	size_t dlen;
};

XH_HIDDEN void xh_opened_init(struct xh_opened *o);
/* Opens entry i as a byte source; on failure returns non-OK and *why (static text). */
XH_HIDDEN xh_status xh_vfs_open(struct xh_vfs *v, size_t i, struct xh_opened *o, struct xh_src *src,
                                const char **why);
/* Closes the file (the zip reader stays open for the next entry). */
XH_HIDDEN void xh_vfs_close(struct xh_opened *o);
XH_HIDDEN void xh_opened_free(struct xh_opened *o);

/* Normalises an archive entry name: '\' -> '/', no empty, '.' or '..' parts (a '..'
 * climbs at most to the root), no leading '/'. Sets *dotdot when it changed meaning. */
XH_HIDDEN xh_status xh_path_normalize(const char *in, struct xh_buf *out, bool *dotdot);

/* The path a file had on the server, from the collection layout: a drive folder "C"
 * (copied tree, KAPE), "C:" or URL-encoded "C%3A" (Velociraptor uploads/auto, and
 * "%5C%5C.%5CC%3A" for its ntfs accessor), with %XX decoded and '\' separators:
 * "uploads/auto/C%3A/inetpub/logs/x.log" -> "C:\inetpub\logs\x.log". NULL if none. */
XH_HIDDEN char *xh_path_origin(const char *path);

#endif
