/*
 * The toolbox every module includes (the files of common/): allocation wrappers, a bounded
 * growable byte buffer, byte-view helpers and error-context filling. Nothing here
 * prints or exits.
 */
#ifndef XH_BASE_H
#define XH_BASE_H

#include "exhunt/exhunt.h"
#include "common/limits.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define XH_HIDDEN __attribute__((visibility("hidden")))
#define XH_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- allocation: all library allocation goes through these ----------------------- */
XH_HIDDEN void *xh_malloc(size_t n);
XH_HIDDEN void *xh_calloc(size_t n, size_t size);
XH_HIDDEN void *xh_realloc(void *p, size_t n);
XH_HIDDEN char *xh_strndup(const char *s, size_t n);
XH_HIDDEN char *xh_strdup(const char *s);
XH_HIDDEN void xh_free(void *p);
/* Makes the array *p (of *cap items of `size` bytes) hold at least `need` items,
 * doubling; XH_ENOMEM on failure or size overflow (then *p and *cap are unchanged). */
XH_HIDDEN xh_status xh_grow(void **p, size_t *cap, size_t need, size_t size);

/* ---- bounded growable buffer ------------------------------------------------------- */
struct xh_buf {
	char *p;
	size_t len, cap, max; /* max: hard ceiling, XH_ELIMIT beyond */
};

XH_HIDDEN void xh_buf_init(struct xh_buf *b, size_t max);
XH_HIDDEN void xh_buf_free(struct xh_buf *b);
XH_HIDDEN xh_status xh_buf_reserve(struct xh_buf *b, size_t extra);
XH_HIDDEN xh_status xh_buf_add(struct xh_buf *b, const void *p, size_t n);
XH_HIDDEN xh_status xh_buf_addc(struct xh_buf *b, char c);
XH_HIDDEN xh_status xh_buf_adds(struct xh_buf *b, const char *s);
XH_HIDDEN xh_status xh_buf_addu(struct xh_buf *b, uint64_t v);
XH_HIDDEN xh_status xh_buf_printf(struct xh_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- files a user names (rules, lists; fs.c): not evidence, evidence/ walks that ---- */
/* Reads the regular file at path whole into *out (NUL-terminated, free with xh_free),
 * without following a link or blocking: XH_EIO when it cannot be opened, XH_EFORMAT
 * when it is not a regular file, XH_ELIMIT when larger than max; *why says it. */
XH_HIDDEN xh_status xh_read_file(const char *path, size_t max, char **out, size_t *len, const char **why);
/* The entry names of folder `dir` except those starting with '.', sorted bytewise (so
 * what is loaded from a folder comes in the same order on every run). XH_EIO when the
 * folder cannot be opened. Free with xh_dir_names_free. */
XH_HIDDEN xh_status xh_dir_names(const char *dir, char ***names, size_t *n);
XH_HIDDEN void xh_dir_names_free(char **names, size_t n);
/* Walks a rule folder: every regular file below it (names sorted, depth-first, links not
 * followed, at most XH_MAX_DEPTH deep, paths up to XH_MAX_RULE_PATH) whose name want()
 * accepts goes to file(ud, path); a folder that cannot be opened to folder_error(ud,
 * path) (may be NULL), and the walk goes on. Stops at the first status file() returns
 * other than XH_OK, and returns it. */
struct xh_dir_walk {
	bool (*want)(const char *name);
	xh_status (*file)(void *ud, const char *path);
	void (*folder_error)(void *ud, const char *path);
	void *ud;
};
XH_HIDDEN xh_status xh_dir_walk(const char *dir, const struct xh_dir_walk *w);

/* ---- views ------------------------------------------------------------------------- */
static inline struct xh_sv xh_sv_make(const char *p, size_t n)
{
	struct xh_sv v = {p, n};
	return v;
}

XH_HIDDEN bool xh_sv_ieq(struct xh_sv a, const char *lit);
XH_HIDDEN bool xh_sv_istarts(struct xh_sv a, const char *lit);
XH_HIDDEN struct xh_sv xh_sv_trim(struct xh_sv a);
/* Adds item to the ", "-separated list in buf (cap bytes) unless it is there (any case);
 * past max items, or when buf is full, ", ..." is written once instead. *n counts the
 * items offered that were not already there. true when it was added. */
XH_HIDDEN bool xh_list_add(char *buf, size_t cap, const char *item, size_t *n, size_t max);
/* Parses an unsigned decimal of at most `maxdigits` digits; false on anything else. */
XH_HIDDEN bool xh_sv_u64(struct xh_sv a, unsigned maxdigits, uint64_t *out);

/* ---- time ------------------------------------------------------------------------- */
XH_HIDDEN int64_t xh_days_from_civil(int y, unsigned m, unsigned d);
/* Parses "YYYY-MM-DD" + sep + "HH:MM:SS[.fff...][Z]" at p (sep ' ' or 'T'); returns
 * bytes consumed or 0. Only the forms Exchange and IIS write. */
XH_HIDDEN size_t xh_parse_iso(const char *p, size_t n, int64_t *ms);

/* ---- error context ----------------------------------------------------------------- */
XH_HIDDEN xh_status xh_fail(struct xh_error *e, xh_status st, const char *path, uint64_t line,
                            uint64_t offset, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#endif
