/*
 * The source registry inside the library (source.c): lookups the public API does not
 * offer, and the columns of a source row the public struct xh_source does not carry
 * (the Sigma logsources each source answers to).
 */
#ifndef XH_SOURCE_H
#define XH_SOURCE_H

#include "common/base.h"
#include "model/fields.h"

/* The Exchange CSV source for a #Log-type value (catch-all "exchange_csv" if none). */
XH_HIDDEN const struct xh_source *xh_source_by_log_type(struct xh_sv lt);
/* A source's bit in a set of sources (1 << its index in the registry). */
XH_HIDDEN unsigned xh_source_bit(const struct xh_source *s);

/* A Sigma logsource that picks a source (a column of its row): category, product and
 * service each "*" for any value, "" for none written, else the name (case-insensitive).
 * Windows event logs have none: detect/winlog.c selects their events. */
struct xh_sigma_logsource {
	const char *category, *product, *service;
};
/* The Sigma logsources source s answers to, {NULL, NULL, NULL}-terminated. */
XH_HIDDEN const struct xh_sigma_logsource *xh_source_sigma(const struct xh_source *s);
/* How rules name the fields of s: Sigma's web-server names (IIS W3C), Windows event
 * fields, or the log's own column names. */
XH_HIDDEN enum xh_field_names xh_source_field_names(const struct xh_source *s);

#endif
