/*
 * The name and place checks of the file checks (indicators.md 3.1, 3.2, 4.1): one row per
 * check, its finding's id, name, title, tags and level, and the predicate that tests a
 * file against it. hits.c runs every row on every file and turns the rows that hold into
 * hits; a row's position is its precedence among hits of the same level.
 */
#ifndef XH_FILES_PLACE_RULES_H
#define XH_FILES_PLACE_RULES_H

#include "files/webroot.h"

/* What a predicate looks at: the file's place and name, the content read (its first
 * --max-scan-bytes), and words worked out once per file. */
struct xh_files_subject {
	const struct xh_place *pl;
	const char *name;             /* the file name (pl->name) */
	unsigned flags;               /* pl->flags: XH_PL_* */
	const char *sub;              /* pl->sub: the path below a drive-level place */
	const char *lpath;            /* origin (or path) in lower case with '/' */
	const unsigned char *buf;
	size_t len;
	bool script;                  /* a page type IIS runs as script */
	bool stock_path;              /* Microsoft ships a file at this Exchange path */
	bool mdmp;                    /* the content starts as a minidump (MDMP) */
};

/* stock_path: the allow-list knows pl->rel (asked by the caller, which holds the list). */
XH_HIDDEN void xh_files_subject_init(struct xh_files_subject *s, const struct xh_place *pl, const char *lpath,
                                     const unsigned char *buf, size_t len, bool stock_path);

struct xh_files_place_rule {
	const char *id, *name, *title, *tags;
	enum xh_level level;
	bool (*holds)(const struct xh_files_subject *s);
};

extern XH_HIDDEN const struct xh_files_place_rule xh_files_place_rules[];
extern XH_HIDDEN const size_t xh_files_nplace_rules;

#endif
