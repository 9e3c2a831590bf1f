/*
 * The post-pass over all findings of a scan: correlate.c runs the steps in order, files.c
 * is the step for file findings.
 */
#ifndef XH_JUDGE_H
#define XH_JUDGE_H

#include "model/finding.h"
#include "patch/builds_seen.h"

/* Judges the findings together (fold across files, OAB path, file findings, per-client
 * escalation, build at the time), sorts them by time and sets r->verdict and
 * r->verdict_text. builds may be NULL. */
XH_HIDDEN xh_status xh_correlate(struct xh_flist *l, const struct xh_builds_seen *builds, struct xh_report *r);
/* The file-findings step (files.c): LSASS dumps and ProgramData archives raised next to
 * other findings, rogue vdirs linked to the pages in the folder they serve. */
XH_HIDDEN xh_status xh_judge_files(struct xh_flist *l);

#endif
