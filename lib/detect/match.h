/*
 * Evaluating compiled rules on records (match.c), with the per-thread scratch one
 * evaluation needs.
 */
#ifndef XH_MATCH_H
#define XH_MATCH_H

#include "detect/rule.h"

/* Column of a field name in a record schema, remembered per thread: rules name fields,
 * records of one file share a schema, so the name search runs once per file. */
struct xh_colcache {
	const char *name;        /* the rule's resolved field name (its address is the key) */
	uint64_t schema;         /* xh_schema.id */
	int col;                 /* -1: not a column of that schema */
};

/* Buffers one evaluation needs; one per thread. */
struct xh_eval_scratch {
	struct xh_buf uri;       /* the composed cs-uri-query */
	struct xh_buf dec;       /* a URL-decoded field */
	struct xh_buf quoted;    /* copies of the composed or decoded values one finding quotes:
	                            uri and dec hold one value at a time */
	pcre2_match_data *md;
	struct xh_colcache *cc;  /* XH_COLCACHE entries */
};
XH_HIDDEN xh_status xh_eval_scratch_init(struct xh_eval_scratch *s);
XH_HIDDEN void xh_eval_scratch_free(struct xh_eval_scratch *s);

/* Whether rule r matches record rec (its logsource's events not checked: the caller
 * asks xh_winsource_match first). */
XH_HIDDEN bool xh_rule_eval(const struct xh_rule *r, const struct xh_record *rec, struct xh_eval_scratch *s);
/* The value of a field resolved at compile time, as the evaluation reads it (views into
 * rec or into s, valid until s is used again); false when the record lacks the field. */
XH_HIDDEN bool xh_rule_field(const struct xh_fref *f, const struct xh_record *rec, struct xh_eval_scratch *s,
                             struct xh_sv *out);

#endif
