/*
 * The post-pass: what a single record cannot say. After every file is read, the
 * findings of the whole evidence are judged together, in a fixed order:
 *
 *   0. informational findings (scanner traffic) of one rule and UTC day fold into the
 *      earliest, with a count and the last time: thousands of zgrab lines are one line;
 *   1. the CVE-2021-26858 OAB download path against the install root the log itself
 *      sits in (pl-58-01-oab-download: critical outside <root>ClientAccess\OAB);
 *   2. escalations per client address (a ProxyLogon anchor that only reached
 *      autodiscover is medium, high when the same client went further; see table);
 *   3. the Exchange build that was running at the time of each CVE-tagged finding: open
 *      to that CVE weighs as stated, already fixed lowers a high or critical level by one
 *      (not for web shell use, which is a compromise whatever the build);
 *   4. time order (stable), and the one-line verdict.
 * File findings (source "file", the file checks) are judged by their own step (files.c) after
 * step 1 (dumps and archives next to other findings, rogue vdirs and the pages they
 * serve); they are never folded and never weighed against the build (a file's time is
 * its modification time, which copying changes, and a shell on disk is what it is).
 *
 * Why a post-pass and not Sigma correlation rules: the judgements need things Sigma
 * correlation cannot express (a path compared with the install root found in the
 * evidence, the build in use at a time, "any other finding of this client"), they run
 * over findings (a few, not millions of records), and every change is written into the
 * finding's note, so the report says why a level differs from the rule's.
 */
#define _GNU_SOURCE
#include "patch/builds_seen.h"
#include "patch/builds.h"
#include "judge/judge.h"
#include "model/finding.h"

#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

/* ---- 0. scanner noise: one finding per informational rule and day ------------------- */

/* A sort key for a finding of the list: a string, a number, and its index in the list
 * (the last tie-break keeps evidence order). The key is copied in, so no global context. */
struct fkey {
	const char *s;
	int64_t n;
	size_t i;
};

static int cmp_fkey(const void *a, const void *b)
{
	const struct fkey *x = a, *y = b;
	int c = strcmp(x->s, y->s);
	if (!c)
		c = x->n < y->n ? -1 : x->n > y->n;
	if (!c)
		c = x->i < y->i ? -1 : x->i > y->i;
	return c;
}

static bool same_group(const struct fkey *x, const struct fkey *y)
{
	return strcmp(x->s, y->s) == 0 && x->n == y->n;
}

/* Folds the per-file groups (xh_emit_finding) across files into the earliest finding. */
static xh_status fold_info(struct xh_flist *l)
{
	struct fkey *k = xh_malloc((l->n ? l->n : 1) * sizeof *k);
	size_t n = 0, w = 0;

	if (!k)
		return XH_ENOMEM;
	for (size_t i = 0; i < l->n; i++)
		if (xh_finding_foldable(l->f[i]))
			k[n++] = (struct fkey){l->f[i]->rule_id, xh_finding_fold_day(l->f[i]), i};
	qsort(k, n, sizeof *k, cmp_fkey);
	for (size_t g = 0; g < n;) {
		size_t e = g + 1, best = g;
		struct xh_finding *keep;
		while (e < n && same_group(&k[g], &k[e]))
			e++;
		/* the earliest in time represents the group (ties: the first in evidence order) */
		for (size_t j = g + 1; j < e; j++)
			if (l->f[k[j].i]->time_ms < l->f[k[best].i]->time_ms)
				best = j;
		keep = l->f[k[best].i];
		for (size_t j = g; j < e; j++) {
			struct xh_finding *o = l->f[k[j].i];
			if (j == best)
				continue;
			xh_finding_fold_into(keep, o);
			xh_finding_free(o);
			l->f[k[j].i] = NULL;
		}
		g = e;
	}
	for (size_t i = 0; i < l->n; i++)
		if (l->f[i])
			l->f[w++] = l->f[i];
	l->n = w;
	xh_free(k);
	return XH_OK;
}

/* ---- 1. the OAB download path (CVE-2021-26858) -------------------------------------- */

/* "... Download failed and temporary file '<path>' needs to be removed" -> path. */
static bool oab_path(struct xh_sv line, const char **p, size_t *n)
{
	static const char key[] = "temporary file ";
	const char *s = line.p, *end = line.p + line.n, *q;

	for (; s && s + sizeof key - 1 <= end; s++)
		if (strncasecmp(s, key, sizeof key - 1) == 0)
			break;
	if (!s || s + sizeof key - 1 > end)
		return false;
	s += sizeof key - 1;
	if (s < end && *s == '\'') {
		s++;
		for (q = s; q < end && *q != '\''; q++)
			;
	} else {
		for (q = s; q + 6 <= end && strncmp(q, " needs", 6) != 0; q++)
			;
		if (q + 6 > end)
			q = end;
	}
	*p = s;
	*n = (size_t)(q - s);
	return *n > 0;
}

/* The install root from the log's own path: everything before "\Logging\". */
static bool install_root(const char *origin, char *out, size_t cap)
{
	const char *s;

	if (!origin)
		return false;
	for (s = origin; *s; s++)
		if (strncasecmp(s, "\\Logging\\", 9) == 0) {
			size_t n = (size_t)(s - origin) + 1;
			if (n >= cap)
				return false;
			memcpy(out, origin, n);
			out[n] = '\0';
			return true;
		}
	return false;
}

static xh_status judge_oab(struct xh_flist *l)
{
	xh_status st = XH_OK;

	for (size_t i = 0; !st && i < l->n; i++) {
		const struct xh_finding *f = l->f[i];
		char root[512], want[560], note[1024];
		const char *p;
		size_t n;
		bool inside;

		if (!xh_finding_has_rule(f, "pl-58-01-oab-download") || !oab_path(f->excerpt, &p, &n))
			continue;
		if (install_root(f->origin, root, sizeof root)) {
			snprintf(want, sizeof want, "%sClientAccess\\OAB", root);
			inside = n >= strlen(want) && strncasecmp(p, want, strlen(want)) == 0;
			snprintf(note, sizeof note, "%s written %s %s (the install root this log sits in)",
			         inside ? "OAB file" : "file", inside ? "inside" : "OUTSIDE", want);
		} else {
			/* the layout does not show where the log was: judge by the folder name */
			char tmp[1024];
			size_t k = n < sizeof tmp - 1 ? n : sizeof tmp - 1;
			memcpy(tmp, p, k);
			tmp[k] = '\0';
			inside = strcasestr(tmp, "\\ClientAccess\\OAB\\") != NULL && strstr(tmp, "\\\\") != tmp;
			snprintf(note, sizeof note, "%s: install root unknown, judged by the folder name",
			         inside ? "inside a ClientAccess\\OAB folder" : "OUTSIDE any ClientAccess\\OAB folder");
		}
		st = xh_flist_relevel_rule(l, i, "pl-58-01-oab-download", inside ? XH_LEVEL_INFORMATIONAL : XH_LEVEL_CRITICAL,
		                           note);
	}
	return st;
}

/* ---- 2. escalation per client ---------------------------------------------------------- */

/* A rule at its stated level, raised when the same client has another finding that is
 * tagged `peer_tag` (or, with peer_tag NULL, any other finding at medium or above). */
static const struct escalation {
	const char *name;
	const char *peer_tag;
	enum xh_level to;
	const char *why;
} escalations[] = {
	{"pl-55-01-ssrf-autodiscover", "cve.2021-26855", XH_LEVEL_HIGH,
	 "the same client went beyond autodiscover (other CVE-2021-26855 findings)"},
	{"pl-55-03-rpc-recon", "cve.2021-26855", XH_LEVEL_HIGH,
	 "the same client also sent ProxyLogon SSRF requests"},
	{"pl-iis-06-hafnium-ip", NULL, XH_LEVEL_HIGH,
	 "the same address has other findings at medium or above"},
};

static bool hit_has_tag(const struct xh_rule_hit *h, const char *tag)
{
	for (size_t i = 0; i < h->ntags; i++)
		if (strcasecmp(h->tags[i], tag) == 0)
			return true;
	return false;
}

/* Whether f holds what raises the rule of es: another rule's hit with the peer tag (or at
 * medium or above), in another finding of the client or in the same record. */
static bool peer_in(const struct xh_finding *f, const struct escalation *es)
{
	if (f->nrules == 0)
		return !xh_finding_has_rule(f, es->name) &&
		       (es->peer_tag ? xh_finding_has_tag(f, es->peer_tag) : f->level >= XH_LEVEL_MEDIUM);
	for (size_t i = 0; i < f->nrules; i++) {
		const struct xh_rule_hit *h = &f->rules[i];
		if (h->name && strcasecmp(h->name, es->name) == 0)
			continue;
		if (es->peer_tag ? hit_has_tag(h, es->peer_tag) : h->level >= XH_LEVEL_MEDIUM)
			return true;
	}
	return false;
}

static xh_status escalate(struct xh_flist *l)
{
	struct fkey *k = xh_malloc((l->n ? l->n : 1) * sizeof *k);
	size_t n = 0;
	xh_status st = XH_OK;

	if (!k)
		return XH_ENOMEM;
	for (size_t i = 0; i < l->n; i++)
		if (l->f[i]->client && l->f[i]->client[0])
			k[n++] = (struct fkey){l->f[i]->client, 0, i};
	qsort(k, n, sizeof *k, cmp_fkey);
	for (size_t g = 0; !st && g < n;) {
		size_t e = g + 1;
		while (e < n && same_group(&k[g], &k[e]))
			e++;
		for (size_t x = 0; !st && x < sizeof escalations / sizeof escalations[0]; x++) {
			const struct escalation *es = &escalations[x];
			bool peer = false;
			for (size_t j = g; j < e && !peer; j++)
				peer = peer_in(l->f[k[j].i], es);
			for (size_t j = g; peer && !st && j < e; j++)
				if (xh_finding_has_rule(l->f[k[j].i], es->name) && xh_finding_rule_level(l->f[k[j].i], es->name) < es->to)
					st = xh_flist_relevel_rule(l, k[j].i, es->name, es->to, es->why);
		}
		g = e;
	}
	xh_free(k);
	return st;
}

/* ---- 3. the build running at the time ------------------------------------------------- */

/* Whether a rule's CVEs are open or fixed on the build running then: 1 open, -1 fixed, 0
 * neither said. */
static int cve_state(const char *const *tags, size_t n, const struct xh_build_info *bi, const char **cve,
                     const char **fix)
{
	int state = 0;

	for (size_t t = 0; t < n; t++) {
		const struct xh_cve *c = xh_cve_of_tag(tags[t]);
		for (size_t k = 0; c && k < bi->ncves; k++) {
			if (strcmp(bi->cves[k].cve, c->id) != 0)
				continue;
			if (bi->cves[k].state == XH_CVE_VULNERABLE && state != 1) {
				state = 1;
				*cve = c->id;
				*fix = bi->cves[k].fix;
			} else if (bi->cves[k].state == XH_CVE_FIXED && state == 0) {
				state = -1;
				*cve = c->id;
			}
		}
	}
	return state;
}

/* What the build running then makes of one rule: a high or critical exploitation rule
 * whose CVEs were already fixed is an attempt on a patched server, one level lower; web
 * shell use is a compromise whatever the build. */
static enum xh_level patched_level(const struct xh_rule_hit *h, const void *arg)
{
	const char *cve, *fix;
	bool shell = false;

	for (size_t t = 0; t < h->ntags; t++)
		shell = shell || strcasecmp(h->tags[t], "attack.t1505.003") == 0;
	if (h->level >= XH_LEVEL_HIGH && !shell && cve_state(h->tags, h->ntags, arg, &cve, &fix) == -1)
		return (enum xh_level)(h->level - 1);
	return h->level;
}

static xh_status weigh_builds(struct xh_flist *l, const struct xh_builds_seen *b)
{
	xh_status st = XH_OK;

	for (size_t i = 0; !st && i < l->n; i++) {
		const struct xh_finding *f = l->f[i];
		const struct xh_build_seen *o;
		struct xh_build_info bi;
		char ver[32], note[512];
		const char *cve = NULL, *fix = "";
		int state;

		if (f->level < XH_LEVEL_LOW || !xh_finding_has_tag_prefix(f, "cve.") || xh_finding_is_build(f) ||
		    xh_finding_is_file(f))
			continue;
		o = xh_build_at(b, f->time_ms);
		if (!o || !o->b.rev_known || xh_build_assess(&o->b, &bi) != XH_OK)
			continue;
		state = cve_state(f->tags, f->ntags, &bi, &cve, &fix);
		xh_build_format(&o->b, ver, sizeof ver);
		if (state == 1) {
			snprintf(note, sizeof note, "build %s was running and open to %s at that time%s%s", ver, cve,
			         fix[0] ? "; fixed by " : "", fix);
			st = xh_flist_note(l, i, note);
		} else if (state == -1) {
			enum xh_level was = f->level;
			st = xh_flist_rejudge(l, i, NULL, patched_level, &bi);
			if (!st && l->f[i]->level < was)
				snprintf(note, sizeof note, "build %s was running and already fixed for %s: an attempt on a "
				         "patched server, level lowered by one", ver, cve);
			else
				snprintf(note, sizeof note, "build %s was running and already fixed for %s at that time", ver, cve);
			if (!st)
				st = xh_flist_note(l, i, note);
		}
	}
	return st;
}

/* ---- 4. order and verdict ------------------------------------------------------------- */

static int cmp_time(const void *a, const void *b)
{
	const struct xh_finding *x = *(struct xh_finding *const *)a, *y = *(struct xh_finding *const *)b;
	int64_t tx = x->time_ms == XH_TIME_NONE ? INT64_MAX : x->time_ms;
	int64_t ty = y->time_ms == XH_TIME_NONE ? INT64_MAX : y->time_ms;
	return tx < ty ? -1 : tx > ty;
}

/* Stable: merge sort over pointers (qsort is not stable and equal times are common). */
static xh_status sort_stable(struct xh_flist *l)
{
	struct xh_finding **tmp;

	if (l->n < 2)
		return XH_OK;
	tmp = xh_malloc(l->n * sizeof *tmp);
	if (!tmp)
		return XH_ENOMEM;
	for (size_t w = 1; w < l->n; w *= 2) {
		for (size_t lo = 0; lo < l->n; lo += 2 * w) {
			size_t mid = lo + w < l->n ? lo + w : l->n, hi = lo + 2 * w < l->n ? lo + 2 * w : l->n;
			size_t a = lo, b = mid, k = lo;
			while (a < mid && b < hi)
				tmp[k++] = cmp_time(&l->f[b], &l->f[a]) < 0 ? l->f[b++] : l->f[a++];
			while (a < mid)
				tmp[k++] = l->f[a++];
			while (b < hi)
				tmp[k++] = l->f[b++];
		}
		memcpy(l->f, tmp, l->n * sizeof *tmp);
	}
	xh_free(tmp);
	return XH_OK;
}

xh_status xh_correlate(struct xh_flist *l, const struct xh_builds_seen *builds)
{
	xh_status st = fold_info(l);

	if (!st)
		st = judge_oab(l);
	if (!st)
		st = xh_judge_files(l);
	if (!st)
		st = escalate(l);
	if (!st)
		st = weigh_builds(l, builds);
	if (!st)
		st = sort_stable(l);
	return st;
}
