/*
 * Sigma conditions parsed (condition.c): a rule's `condition` into a tree over its
 * search identifiers.
 */
#ifndef XH_CONDITION_H
#define XH_CONDITION_H

#include "detect/reject.h"
#include "detect/rule.h"
#include "detect/yaml_tree.h"

/* The condition node of a detection section (text, or a list of texts: their OR) over
 * the identifiers ids[0..nids); NULL with the reason in e. */
XH_HIDDEN struct xh_cnode *xh_condition_parse(const struct xh_ynode *cond, const struct xh_ident *ids, size_t nids,
                                              struct xh_reject *e);
XH_HIDDEN void xh_condition_free(struct xh_cnode *c);

#endif
