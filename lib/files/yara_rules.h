/*
 * libyara wrapper for the file checks: compiles the shipped rules (rules/yara, embedded)
 * and --yara files once, and gives each worker a scanner that runs them over the first
 * bytes of a file with YARA's `filesize` set to the file's real size.
 */
#ifndef XH_YARA_RULES_H
#define XH_YARA_RULES_H

#include "common/base.h"

/* What exhunt reads from a rule's meta (rules/yara/README.md). */
struct xh_yrule {
	const char *ns, *id;     /* namespace ("exhunt", "user1", ...) and rule name */
	enum xh_level level;     /* meta level, default high */
	const char *family;      /* meta family, default the rule name */
	const char *title;       /* meta title, NULL: "YARA rule <name> matched" */
	const char *tags;        /* meta tags, space separated, may be NULL */
	bool builtin;
};

struct xh_yara;

XH_HIDDEN xh_status xh_yara_new(struct xh_yara **out);
XH_HIDDEN void xh_yara_free(struct xh_yara *y);
/* Shipped rules: they must compile (a failure is XH_EFORMAT with the reason in err). */
XH_HIDDEN xh_status xh_yara_add_builtin(struct xh_yara *y, const char *name, const char *text, struct xh_error *err);
/* A user's rule file or text: compiled alone first; when it does not compile, XH_EFORMAT
 * with the first error in why (and nothing added). */
XH_HIDDEN xh_status xh_yara_add_user(struct xh_yara *y, const char *name, const char *text, char *why, size_t cap);
XH_HIDDEN xh_status xh_yara_compile(struct xh_yara *y, struct xh_error *err);
XH_HIDDEN bool xh_yara_compiled(const struct xh_yara *y);
XH_HIDDEN size_t xh_yara_rule_count(const struct xh_yara *y);
XH_HIDDEN size_t xh_yara_file_count(const struct xh_yara *y);

struct xh_yara_hit {
	const struct xh_yrule *rule;
	size_t order;            /* position of the rule in the compiled set */
	int64_t offset;          /* first match of the first string (in rule order) that matched,
	                            -1 when none */
};

struct xh_yscan;
XH_HIDDEN xh_status xh_yscan_new(const struct xh_yara *y, struct xh_yscan **out);
XH_HIDDEN void xh_yscan_free(struct xh_yscan *s);
/* Scans p[0..n) as the start of a file of file_size bytes. Fills at most max hits in rule
 * order. *gave_up is set when YARA stopped early (timeout, too many matches). */
XH_HIDDEN xh_status xh_yscan_run(struct xh_yscan *s, const void *p, size_t n, uint64_t file_size,
                                 struct xh_yara_hit *hits, size_t max, size_t *nhits, bool *gave_up);

#endif
