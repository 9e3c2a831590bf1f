/*
 * Content classification of evidence files (see classify.c for what each kind looks like).
 */
#ifndef XH_CLASSIFY_H
#define XH_CLASSIFY_H

#include "common/base.h"

/* Source kind of a file from its first bytes p[0..n) (after gzip decoding) and its
 * name (a hint for web-root files only). Never NULL. *note explains an "unknown"
 * when there is something to say (static text) and is NULL otherwise. */
XH_HIDDEN const struct xh_source *xh_classify(const char *p, size_t n, const char *name,
                                              const char **note);

#endif
