/*
 * Microsoft's allow-list of the script pages it ships in Exchange's web folders
 * (data/ms_web_allowlist.txt, made by tools/gen_allowlist.py from the CSS-Exchange
 * baselines), and the look-alike test against the stock names of FrontEnd\HttpProxy.
 */
#ifndef XH_ALLOWLIST_H
#define XH_ALLOWLIST_H

#include "common/base.h"

struct xh_allow_pair {
	const char *path;            /* lower case, '/', relative to the install root */
	unsigned char sha[32];
};

struct xh_allow {
	struct xh_allow_pair *v;     /* sorted by (path, sha) after xh_allow_finish */
	size_t n, cap;
	size_t npaths;
	char **store;                /* one text block per loaded list */
	size_t nstore;
	const struct xh_allow_pair **stock; /* one pair per distinct frontend/httpproxy/ path */
	size_t nstock;
};

enum xh_allow_res {
	XH_ALLOW_LISTED = 0,         /* this (path, hash) is Microsoft's */
	XH_ALLOW_OTHER_HASH,         /* Microsoft ships a file at this path, never with this hash */
	XH_ALLOW_UNKNOWN_PATH,       /* Microsoft ships no file at this path */
};

/* Loads "<path>\t<sha256> [<sha256>...]" lines ('#' comments); path separators '\' or
 * '/', any case. A malformed line is an error with its number. */
XH_HIDDEN xh_status xh_allow_load(struct xh_allow *a, const char *name, const char *text, size_t len,
                                  struct xh_error *err);
/* Sorts, drops duplicates and indexes the stock names; call after the last load. */
XH_HIDDEN xh_status xh_allow_finish(struct xh_allow *a);
XH_HIDDEN void xh_allow_free(struct xh_allow *a);

/* relpath: lower case, '/', relative to the install root ("frontend/httpproxy/owa/auth/logon.aspx"). */
XH_HIDDEN enum xh_allow_res xh_allow_check(const struct xh_allow *a, const char *relpath, const unsigned char sha[32]);

/* A stock FrontEnd\HttpProxy page that `name` (a file name, any case) imitates, as its
 * install-relative path; NULL when none. folder: the file's install-relative folder in
 * lower case ("frontend/httpproxy/owa/auth"), or NULL outside Exchange. *same_name is set
 * when the name is Microsoft's but belongs to another folder (TimeoutLogout.aspx in
 * owa\auth); otherwise the name is a near miss (RedirSuiteServerProxy.aspx, errorEE.aspx). */
XH_HIDDEN const char *xh_allow_lookalike(const struct xh_allow *a, const char *folder, const char *name,
                                         bool *same_name);

/* Edit distance (insert, delete, substitute, swap of neighbours), case-insensitive, of
 * two short strings; max + 1 when larger than max or a string is over XH_FILES_EDIT_NAME
 * bytes. */
XH_HIDDEN unsigned xh_edit_distance(const char *a, size_t na, const char *b, size_t nb, unsigned max);

#endif
