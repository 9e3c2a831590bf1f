/*
 * The rule prefilter (prefilter.c): which rules can match a record, from the literals
 * found in its raw text by one Vectorscan pass.
 */
#ifndef XH_PREFILTER_H
#define XH_PREFILTER_H

#include "detect/rule.h"

struct xh_prefilter;
struct xh_pf_scratch;

/* Builds the literal database over rules[0..n). why (optional) gets the reason on error. */
XH_HIDDEN xh_status xh_prefilter_build(const struct xh_rule *const *rules, size_t n,
                                       struct xh_prefilter **out, char *why, size_t whycap);
XH_HIDDEN void xh_prefilter_free(struct xh_prefilter *pf);
/* Rules with a required literal set, and rules evaluated on every record. */
XH_HIDDEN void xh_prefilter_counts(const struct xh_prefilter *pf, size_t *filtered, size_t *always);

/* The i-th distinct literal (lower case); 0 past the end. */
XH_HIDDEN size_t xh_prefilter_literal(const struct xh_prefilter *pf, size_t i, const unsigned char **p);
/* Whether rule i has a required literal set. */
XH_HIDDEN bool xh_prefilter_has(const struct xh_prefilter *pf, size_t i);

/* Per-thread scratch space (Vectorscan scratch and the candidate list). */
XH_HIDDEN struct xh_pf_scratch *xh_pf_scratch_new(const struct xh_prefilter *pf);
XH_HIDDEN void xh_pf_scratch_free(struct xh_pf_scratch *s);
/* The candidate rules for one record, in rule order; *cand stays valid until the next run. */
XH_HIDDEN size_t xh_prefilter_run(const struct xh_prefilter *pf, struct xh_pf_scratch *s, const char *text,
                                  size_t n, const size_t **cand);

#endif
