/*
 * The post-pass over all findings of a scan (correlate.c).
 */
#ifndef XH_CORRELATE_H
#define XH_CORRELATE_H

#include "patch/buildobs.h"
#include "model/finding.h"

/* Judges the findings together (OAB path, per-client escalation, build at the time),
 * sorts them by time and sets r->verdict / r->verdict_text. builds may be NULL. */
XH_HIDDEN xh_status xh_correlate(struct xh_flist *l, const struct xh_bobs_set *builds, struct xh_report *r);

#endif
