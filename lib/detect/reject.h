/*
 * Why a rule is rejected (reject.c): the one reason the compiler gives when a rule uses
 * something this engine does not implement, shown by `exhunt rules list` and `lint`.
 */
#ifndef XH_REJECT_H
#define XH_REJECT_H

#include "common/base.h"

struct xh_reject {
	char msg[XH_MAX_RULE_REASON];   /* "" while the rule compiles */
};

/* Records why the rule cannot be used; always returns false. */
XH_HIDDEN bool xh_reject(struct xh_reject *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
