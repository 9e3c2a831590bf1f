/*
 * Rule sets inside the library (rules.c): the compiled rules of a set, its prefilter,
 * and freeing a rule. Loading and listing are the public API (exhunt.h, xh_rules_*).
 */
#ifndef XH_RULES_H
#define XH_RULES_H

#include "detect/rule.h"

struct xh_prefilter;

XH_HIDDEN const struct xh_rule *xh_rules_at(const struct xh_rules *rs, size_t i);
/* The set's prefilter (NULL until xh_rules_prepare), and whether it is to be used. */
XH_HIDDEN const struct xh_prefilter *xh_rules_prefilter(const struct xh_rules *rs);
XH_HIDDEN bool xh_rules_prefilter_on(const struct xh_rules *rs);
XH_HIDDEN void xh_rule_free(struct xh_rule *r);

#endif
