/*
 * The post-pass over all findings of a scan: correlate.c runs the steps in order, files.c
 * is the step for file findings.
 */
#ifndef XH_JUDGE_H
#define XH_JUDGE_H

#include "model/finding.h"
#include "patch/builds_seen.h"

/* Judges one host's findings together (fold across files, OAB path, file findings,
 * per-client escalation, build at the time) and sorts them by time. builds: the builds
 * its evidence shows, may be NULL. */
XH_HIDDEN xh_status xh_correlate(struct xh_flist *l, const struct xh_builds_seen *builds);
/* Gives the findings of one request seen in several logs one activity id (activity.c);
 * l must be in time order (after xh_correlate). *next: the last id given in the scan. */
XH_HIDDEN xh_status xh_judge_activities(struct xh_flist *l, uint64_t *next);
/* The verdict of host h of r from its judged findings (verdict.c): r->hosts[h]'s
 * verdict, reason, first compromise, attackers, shells, exposure. */
XH_HIDDEN void xh_verdict_host(const struct xh_flist *l, const struct xh_builds_seen *builds, struct xh_report *r,
                               uint32_t h);
/* After every host: the fleet's worst verdict, hosts per verdict, and its line. */
XH_HIDDEN void xh_verdict_fleet(struct xh_report *r);

struct xh_cve;
/* The CVE a tag names ("cve.2021-26855"), or NULL (builds_at.c). */
XH_HIDDEN const struct xh_cve *xh_cve_of_tag(const char *tag);
/* The build period covering t, or the last one begun before t (updates replace builds);
 * NULL when none is known. */
XH_HIDDEN const struct xh_build_seen *xh_build_at(const struct xh_builds_seen *b, int64_t t);
/* The file-findings step (files.c): LSASS dumps and ProgramData archives raised next to
 * other findings, rogue vdirs linked to the pages in the folder they serve. */
XH_HIDDEN xh_status xh_judge_files(struct xh_flist *l);

#endif
