/*
 * Windows logsources (winlog.c): which events of a Windows event log a Sigma rule with
 * `product: windows` runs on, and what those events call the rule's fields.
 */
#ifndef XH_WINLOG_H
#define XH_WINLOG_H

#include "common/base.h"
#include "model/fields.h"

/* A Windows logsource: a service, or one thor.yml entry of a category. */
struct xh_winsource {
	const char *key;                  /* Sigma service or category name */
	const char *label;                /* for rule listings: "Security 4688" */
	const char *const *channels;      /* NULL-terminated; NULL: any */
	const char *const *providers;     /* an event matches on its channel or its provider */
	const long *eids;                 /* -1-terminated; NULL: any */
	const char *cond_field, *cond_value; /* one more exact field condition (EventType) */
	const struct xh_rename *renames;  /* {NULL, NULL}-terminated Sigma -> event field names */
};

/* The logsources of a category (one per variant, up to max) or of a service (one);
 * neither: any Windows event. Returns how many, 0 when the name is unknown. */
XH_HIDDEN size_t xh_winsource_find(const char *category, const char *service, const struct xh_winsource **out,
                                   size_t max);
/* The i-th row of the category or the service table; NULL past the end. */
XH_HIDDEN const struct xh_winsource *xh_winsource_at(size_t i, bool category);
/* Whether an event is one the logsource selects (EventID, channel or provider, condition). */
XH_HIDDEN bool xh_winsource_match(const struct xh_winsource *w, const struct xh_record *r);
/* The event's name for Sigma field `field` (field itself when not renamed). */
XH_HIDDEN const char *xh_winsource_rename(const struct xh_winsource *w, const char *field);

#endif
