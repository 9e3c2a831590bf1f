/*
 * The compiled Exchange build table (generated, lib/patch/builds_table.c) and the per-CVE
 * fixed-in data (lib/patch/cves.c) behind xh_build_assess().
 */
#ifndef XH_BUILDS_H
#define XH_BUILDS_H

#include "common/base.h"
#include "model/campaign.h"

enum {
	XH_ROW_DISPUTED = 1,          /* sources disagree on this build (builds.md section 6) */
	XH_ROW_LOWER_CONFIDENCE = 2,  /* pre-2021 SU known from one secondary source */
	XH_ROW_OOB_MARCH21 = 4,       /* March 2021 package for an old CU: ProxyLogon fixes only */
};

struct xh_build_row {
	enum xh_product product;
	const char *cu, *update, *kb, *date;
	unsigned short major, minor;
	unsigned build, rev;
	unsigned flags;
	const char *src;
};

extern XH_HIDDEN const struct xh_build_row xh_build_rows[];
extern XH_HIDDEN const size_t xh_build_nrows;

/* One CU that received a fix: the first fixing build on it. */
struct xh_fix {
	unsigned short major, minor;
	unsigned build, rev;
	const char *update, *kb;
	unsigned alt_rev;        /* a lower revision another source gives, accepted as disputed (0: none) */
	const char *alt_why;
};

/* "The CU with build >= threshold (and later) contains the fix", per product line. */
struct xh_contains {
	unsigned short major, minor;
	unsigned build;
	const char *cu;
};

struct xh_cve {
	const char *id;              /* "CVE-2021-26855"; its campaign: xh_cve_campaign(id) */
	unsigned affected;          /* bit (1 << enum xh_product) per affected product */
	const struct xh_fix *fixes;
	size_t nfixes;
	const struct xh_contains *contains;
	size_t ncontains;
	bool config_dependent;      /* fixed by configuration, never provable from a build */
	const char *note;           /* shown with every verdict, or NULL */
};

extern XH_HIDDEN const struct xh_cve xh_cves[];
extern XH_HIDDEN const size_t xh_ncves;

#endif
