/*
 * The evidence walker's data (entries.c): the roots, the entry table of every file of
 * the evidence, and the per-worker handle that reads an entry. Shared by the walker's
 * files (vfs.c builds the table, zip.c enumerates archives into it, open.c opens its
 * entries); users outside evidence/ include vfs.h.
 */
#ifndef XH_ENTRIES_H
#define XH_ENTRIES_H

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
	uint32_t host;           /* index in xh_vfs.hosts (hosts.c), 0 until hosts are built */
};

/* A host of the evidence: one server's collection (hosts.c). */
struct xh_evhost {
	char *name;              /* owned; as the report shows it */
	char *folder;            /* evidence-relative folder of its collection ("" for a root) */
	uint32_t root;           /* the EVIDENCE root it is in */
	const char *named_by;    /* static text: "--host", "Velociraptor client info", ... */
	bool from_content;       /* no name yet: the scan names it from its records */
};

struct xh_vfs {
	struct xh_root *roots;
	size_t nroots;
	struct xh_entry *e;
	size_t n, cap;
	struct xh_evhost *hosts; /* made by xh_hosts_build; every entry names one */
	size_t nhosts;
};

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

/* Opens a folder below dfd without following a link: its fd, or -1. */
XH_HIDDEN int xh_open_dir_at(int dfd, const char *name);

/* A new entry for path[0..len) (zeroed but for its path); NULL when out of memory or
 * past XH_MAX_ENTRIES. */
XH_HIDDEN struct xh_entry *xh_vfs_add_entry(struct xh_vfs *v, const char *path, size_t len);
/* Records a path the walk could not take, with why; XH_ENOMEM if even that fails. */
XH_HIDDEN xh_status xh_vfs_add_problem(struct xh_vfs *v, uint32_t root, const char *path, size_t len,
                                       const char *why);

#endif
