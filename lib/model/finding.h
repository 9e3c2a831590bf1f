/*
 * The finding model every stage shares (finding.c): owned copies and lists, the emit
 * handle a record hook writes into with its per-file fold, the one informational fold,
 * relevelling with a note, and what a finding is (a file's, a build's, of a campaign).
 */
#ifndef XH_FINDING_H
#define XH_FINDING_H

#include "common/base.h"

/* Deep copy in one allocation (free with xh_finding_free); NULL when out of memory.
 * The excerpt is cut at XH_MAX_LINE bytes. */
XH_HIDDEN struct xh_finding *xh_finding_dup(const struct xh_finding *f);
XH_HIDDEN void xh_finding_free(struct xh_finding *f);

/* Sets f->server and f->client from the record's fields (copied into the buffers). */
XH_HIDDEN void xh_finding_context(struct xh_finding *f, const struct xh_record *r, char *server, size_t scap,
                                  char *client, size_t ccap);
/* The server a record names (s-computername, ServerHostName, ServerName, Computer),
 * copied into buf, or NULL. */
XH_HIDDEN const char *xh_record_server(const struct xh_record *r, char *buf, size_t cap);

/* A list of owned findings, capped at XH_MAX_FINDINGS_KEPT (the rest only counted). */
struct xh_flist {
	struct xh_finding **f;
	size_t n, cap;
	uint64_t dropped;
};
XH_HIDDEN xh_status xh_flist_push(struct xh_flist *l, const struct xh_finding *f);
XH_HIDDEN void xh_flist_free(struct xh_flist *l);
/* Replaces l->f[i] by a copy at `level` whose note adds `note` to what earlier steps
 * said ("earlier; note"); note NULL keeps the note as it is. Its rules weigh at most that
 * much, the strongest that much. */
XH_HIDDEN xh_status xh_flist_relevel(struct xh_flist *l, size_t i, enum xh_level level, const char *note);
/* The same for what one of its rules means (a post-pass step judging that rule): that
 * rule weighs `level`, the finding the most any of its rules weighs. */
XH_HIDDEN xh_status xh_flist_relevel_rule(struct xh_flist *l, size_t i, const char *name, enum xh_level level,
                                          const char *note);

/* Adds a note to l->f[i] (as xh_flist_relevel does), levels unchanged. */
XH_HIDDEN xh_status xh_flist_note(struct xh_flist *l, size_t i, const char *note);
/* The same with each of its rules judged by judge (a finding without rules as its one
 * rule): the finding weighs the most any rule then weighs. */
XH_HIDDEN xh_status xh_flist_rejudge(struct xh_flist *l, size_t i, const char *note,
                                     enum xh_level (*judge)(const struct xh_rule_hit *hit, const void *arg),
                                     const void *arg);

/* One finding per record: a new finding holding a's and b's rules (strongest first),
 * tags, references and fields, at the higher level; NULL when out of memory. */
XH_HIDDEN struct xh_finding *xh_finding_merge(const struct xh_finding *a, const struct xh_finding *b);
/* The weight of the rule of this name in f (f's level for file and build findings). */
XH_HIDDEN enum xh_level xh_finding_rule_level(const struct xh_finding *f, const char *name);
/* Whether f met the rule of this name (its rule_name for file and build findings). */
XH_HIDDEN bool xh_finding_has_rule(const struct xh_finding *f, const char *name);

/* What a record hook writes into (xh_emit_finding): the file's findings and the hook's
 * per-worker state. The scan driver makes one per file. */
struct xh_emit {
	struct xh_flist *findings;
	void *hook_state;
	const char *host;   /* the host (collection) of the file: every finding names it */
	uint32_t host_id;
};

/* Source names of findings that do not come from a log record. */
#define XH_SOURCE_FILE "file"    /* the file checks: one finding per file */
#define XH_SOURCE_BUILD "build"  /* the builds the evidence shows (patch/builds_seen.c) */
/* Whether f carries the tag (any case), or a tag starting with prefix. */
XH_HIDDEN bool xh_finding_has_tag(const struct xh_finding *f, const char *tag);
XH_HIDDEN bool xh_finding_has_tag_prefix(const struct xh_finding *f, const char *prefix);
/* True for a finding made by the file checks (its time is a file time). */
XH_HIDDEN bool xh_finding_is_file(const struct xh_finding *f);
/* True for a finding that states a build the evidence shows (it has no record). */
XH_HIDDEN bool xh_finding_is_build(const struct xh_finding *f);

/* Informational findings (scanner noise) of one rule and UTC day are one finding with a
 * count: whether f takes part (log findings with a rule and a time, at informational),
 * its group key (the UTC day; same rule id too), and folding `other` into `keep`
 * (counts added, last time kept, the client dropped when they differ). The scan folds
 * within a file as findings come (xh_emit_finding), the post-pass across files. */
/* The span of a host's logs, from its families' first and last record: all of them, or
 * those whose name starts with family; XH_TIME_NONE when none has a time. */
XH_HIDDEN void xh_host_span(const struct xh_host *h, const char *family, int64_t *first, int64_t *last);

XH_HIDDEN bool xh_finding_foldable(const struct xh_finding *f);
XH_HIDDEN int64_t xh_finding_fold_day(const struct xh_finding *f);
XH_HIDDEN void xh_finding_fold_into(struct xh_finding *keep, const struct xh_finding *other);

#endif
