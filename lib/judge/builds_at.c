/*
 * What the builds and the CVE table say about a finding: the build that was running at a
 * time (the periods patch/builds_seen.c found), and the CVE a "cve.2021-26855" tag names.
 * Shared by the post-pass steps (correlate.c) and the verdict (verdict.c).
 */
#include "judge/judge.h"
#include "patch/builds.h"

#include <strings.h>

/* "cve.2021-26855" -> the table entry. */
const struct xh_cve *xh_cve_of_tag(const char *tag)
{
	if (strncasecmp(tag, "cve.", 4) != 0)
		return NULL;
	for (size_t i = 0; i < xh_ncves; i++)
		if (strcasecmp(xh_cves[i].id + 4, tag + 4) == 0)
			return &xh_cves[i];
	return NULL;
}

/* The build period covering t, or the last one begun before t (updates replace builds). */
const struct xh_build_seen *xh_build_at(const struct xh_builds_seen *b, int64_t t)
{
	const struct xh_build_seen *best = NULL;

	if (!b || t == XH_TIME_NONE)
		return NULL;
	for (size_t i = 0; i < b->n; i++) {
		const struct xh_build_seen *o = &b->v[i];
		if (o->first_ms == XH_TIME_NONE || o->first_ms > t)
			continue;
		if (!best || o->first_ms > best->first_ms)
			best = o;
	}
	return best;
}

