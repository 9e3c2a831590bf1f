/*
 * Search identifiers compiled (values.c): a selection's maps of "field|modifiers: values"
 * or its keyword list, into field tests with one matcher per value.
 */
#ifndef XH_VALUES_H
#define XH_VALUES_H

#include "detect/reject.h"
#include "detect/rule.h"
#include "detect/yaml_tree.h"

/* The identifier `name` of a detection section with its YAML value v. On failure id
 * holds what was compiled so far (free it with xh_ident_free). */
XH_HIDDEN bool xh_ident_compile(const char *name, const struct xh_ynode *v, struct xh_ident *id,
                                struct xh_reject *e);
XH_HIDDEN void xh_ident_free(struct xh_ident *id);

#endif
