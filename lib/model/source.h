/*
 * The source registry inside the library (source.c): lookups the public API does not
 * offer.
 */
#ifndef XH_SOURCE_H
#define XH_SOURCE_H

#include "common/base.h"

/* The Exchange CSV source for a #Log-type value (catch-all "exchange_csv" if none). */
XH_HIDDEN const struct xh_source *xh_source_by_log_type(struct xh_sv lt);
/* A source's bit in a set of sources (1 << its index in the registry). */
XH_HIDDEN unsigned xh_source_bit(const struct xh_source *s);

#endif
