/*
 * Patch status from a build number: which exploited CVEs an Exchange build leaves
 * open. Builds look like
 *
 *   15.1.2176.9   15.01.2176.009   15.1.2176 (CU only)   Version 15.1 (Build 2176.9)
 *
 * The third field names the CU; security updates only raise the fourth (revision)
 * within a CU, and revisions are never compared across CUs. Per CVE (lib/patch/cves.c): a
 * CU that ships the fix is fixed; a CU that received a fixing update is fixed from
 * that update's revision on; any other CU never got a fix and is vulnerable
 * (HealthChecker's rule). The March 2021 packages for old CUs carry only the ProxyLogon
 * fixes, so on those builds older CVEs cannot be judged (builds.md section 3).
 */
#include "patch/builds.h"

#include <stdio.h>
#include <strings.h>

static const char *const product_names[] = {
	[XH_PROD_UNKNOWN] = "unknown", [XH_PROD_2010] = "Exchange Server 2010",
	[XH_PROD_2013] = "Exchange Server 2013", [XH_PROD_2016] = "Exchange Server 2016",
	[XH_PROD_2019] = "Exchange Server 2019", [XH_PROD_SE] = "Exchange Server SE",
};

static const char *const state_names[] = {"vulnerable", "fixed", "unknown", "not affected"};

const char *xh_cve_state_name(enum xh_cve_state s)
{
	return (unsigned)s < XH_ARRAY_LEN(state_names) ? state_names[s] : "?";
}

/* ---- parsing ------------------------------------------------------------------------- */

static bool num(const char **p, const char *end, unsigned maxdigits, unsigned *out)
{
	unsigned v = 0, k = 0;

	while (*p < end && **p >= '0' && **p <= '9' && k < maxdigits) {
		v = v * 10 + (unsigned)(**p - '0');
		(*p)++;
		k++;
	}
	if (k == 0 || (*p < end && **p >= '0' && **p <= '9'))
		return false;
	*out = v;
	return true;
}

static bool lit(const char **p, const char *end, const char *s)
{
	size_t n = strlen(s);
	if ((size_t)(end - *p) < n || strncasecmp(*p, s, n) != 0)
		return false;
	*p += n;
	return true;
}

bool xh_build_parse(const char *s, size_t n, struct xh_build *out)
{
	const char *p = s, *end = s + n;
	struct xh_build b = {0, 0, 0, 0, false};

	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
		end--;
	if (lit(&p, end, "Version ")) {
		/* "Version 15.1 (Build 2176.9)", as Get-ExchangeServer shows it */
		if (!num(&p, end, 2, &b.major) || !lit(&p, end, ".") || !num(&p, end, 2, &b.minor) ||
		    !lit(&p, end, " (Build ") || !num(&p, end, 5, &b.build))
			return false;
		if (lit(&p, end, ".")) {
			if (!num(&p, end, 4, &b.rev))
				return false;
			b.rev_known = true;
		}
		if (!lit(&p, end, ")") || p != end)
			return false;
	} else {
		if (!num(&p, end, 2, &b.major) || !lit(&p, end, ".") || !num(&p, end, 2, &b.minor) ||
		    !lit(&p, end, ".") || !num(&p, end, 5, &b.build))
			return false;
		if (p < end) {
			if (!lit(&p, end, ".") || !num(&p, end, 4, &b.rev) || p != end)
				return false;
			b.rev_known = true;
		}
	}
	*out = b;
	return true;
}

void xh_build_format(const struct xh_build *b, char *buf, size_t cap)
{
	if (b->rev_known)
		snprintf(buf, cap, "%u.%u.%u.%u", b->major, b->minor, b->build, b->rev);
	else
		snprintf(buf, cap, "%u.%u.%u", b->major, b->minor, b->build);
}

/* ---- the table ------------------------------------------------------------------------ */

static int cmp_key(unsigned a1, unsigned a2, unsigned a3, unsigned a4, const struct xh_build_row *r)
{
	unsigned b[4] = {r->major, r->minor, r->build, r->rev}, a[4] = {a1, a2, a3, a4};
	for (int i = 0; i < 4; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

/* Index of the first row >= (major, minor, build, rev). */
static size_t lower_bound(unsigned major, unsigned minor, unsigned build, unsigned rev)
{
	size_t lo = 0, hi = xh_build_nrows;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_key(major, minor, build, rev, &xh_build_rows[mid]) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t xh_build_table_count(void)
{
	return xh_build_nrows;
}

bool xh_build_table_row(size_t i, struct xh_build *b, const char **product, const char **cu,
                        const char **update)
{
	const struct xh_build_row *r;

	if (i >= xh_build_nrows)
		return false;
	r = &xh_build_rows[i];
	b->major = r->major;
	b->minor = r->minor;
	b->build = r->build;
	b->rev = r->rev;
	b->rev_known = true;
	*product = product_names[r->product];
	*cu = r->cu;
	*update = r->update;
	return true;
}

static enum xh_product product_of(const struct xh_build *b)
{
	if (b->major == 14 && b->minor == 3)
		return XH_PROD_2010;
	if (b->major != 15)
		return XH_PROD_UNKNOWN;
	switch (b->minor) {
	case 0: return XH_PROD_2013;
	case 1: return XH_PROD_2016;
	case 2: return b->build >= 2562 ? XH_PROD_SE : XH_PROD_2019; /* CSS-Exchange's rule */
	default: return XH_PROD_UNKNOWN;
	}
}

/* Fills product, CU and installed update from the table. */
static void locate(const struct xh_build *b, struct xh_build_info *o)
{
	size_t i = lower_bound(b->major, b->minor, b->build, 0), last = SIZE_MAX;
	const struct xh_build_row *base = NULL;

	for (size_t k = i; k < xh_build_nrows && xh_build_rows[k].major == b->major &&
	                   xh_build_rows[k].minor == b->minor && xh_build_rows[k].build == b->build;
	     k++) {
		const struct xh_build_row *r = &xh_build_rows[k];
		/* the CU is the last release row at or below the revision: two releases can
		 * share a build number (2016 Preview 15.1.225.16 and RTM 15.1.225.42) */
		if (!base || (b->rev_known && r->update[0] == '\0' && r->rev <= b->rev))
			base = r;
		if (b->rev_known && r->rev <= b->rev)
			last = k;
	}
	if (!base) {
		/* unknown CU: newer than everything known on this line? */
		size_t next = lower_bound(b->major, b->minor + 1, 0, 0);
		if (next > 0 && xh_build_rows[next - 1].major == b->major &&
		    xh_build_rows[next - 1].minor == b->minor && xh_build_rows[next - 1].build < b->build)
			o->newer_than_table = true;
		return;
	}
	o->cu = base->cu;
	if (!b->rev_known) {
		snprintf(o->note, sizeof o->note, "CU only (no revision): which update is installed is not visible");
		return;
	}
	if (last == SIZE_MAX) {
		snprintf(o->note, sizeof o->note, "revision below the CU's release build %u.%u.%u.%u",
		         base->major, base->minor, base->build, base->rev);
		return;
	}
	{
		const struct xh_build_row *r = &xh_build_rows[last];
		o->update = r->update;
		o->kb = r->kb;
		o->date = r->date;
		o->exact = r->rev == b->rev;
		o->disputed = (r->flags & XH_ROW_DISPUTED) != 0;
		o->lower_confidence = (r->flags & XH_ROW_LOWER_CONFIDENCE) != 0;
		if (!o->exact) {
			const struct xh_build_row *nx = last + 1 < xh_build_nrows ? &xh_build_rows[last + 1] : NULL;
			if (nx && nx->build == b->build && nx->major == b->major && nx->minor == b->minor)
				snprintf(o->note, sizeof o->note,
				         "revision not in the table: at least %s, below %s",
				         r->update[0] ? r->update : "the CU release", nx->update);
			else
				snprintf(o->note, sizeof o->note,
				         "newer than the newest update known for this CU (%s %u.%u.%u.%u)",
				         r->update[0] ? r->update : "CU release", r->major, r->minor, r->build, r->rev);
			if (!nx || nx->build != b->build)
				o->newer_than_table = true;
		}
	}
}

/* Is b on a CU whose last package was a March 2021 old-CU SU, at or above it? */
static bool on_oob_march21(const struct xh_build *b)
{
	size_t i = lower_bound(b->major, b->minor, b->build, 0);

	if (!b->rev_known)
		return false;
	for (; i < xh_build_nrows && xh_build_rows[i].build == b->build && xh_build_rows[i].minor == b->minor &&
	       xh_build_rows[i].major == b->major;
	     i++)
		if ((xh_build_rows[i].flags & XH_ROW_OOB_MARCH21) && b->rev >= xh_build_rows[i].rev)
			return true;
	return false;
}

static void fix_text(const struct xh_fix *f, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s%s%s%s %u.%u.%u.%u", f->update, f->kb[0] ? " (" : "", f->kb, f->kb[0] ? ")" : "",
	         f->major, f->minor, f->build, f->rev);
}

static void judge(const struct xh_cve *c, const struct xh_build *b, enum xh_product p, bool oob,
                  struct xh_cve_verdict *v)
{
	const struct xh_fix *fix = NULL;
	const char *prod = product_names[p];
	char fx[sizeof v->fix]; /* v->fix's text, kept apart for formatting into v->why */

	v->cve = c->id;
	v->campaign = xh_cve_campaign(c->id);
	v->fix[0] = v->why[0] = '\0';
	if (!(c->affected & (1u << p))) {
		v->state = XH_CVE_NOT_AFFECTED;
		snprintf(v->why, sizeof v->why, "%s is not among the products Microsoft lists as affected", prod);
		return;
	}
	if (c->config_dependent) {
		v->state = XH_CVE_UNKNOWN;
		snprintf(v->why, sizeof v->why, "%s",
		         b->major == 15 && b->minor == 2 && b->build >= 1544
		             ? "fixed by Extended Protection, which Setup enables from 2019 CU14 unless /DoNotEnableEP: "
		               "check the configuration, a build cannot prove it"
		             : "fixed by enabling Extended Protection (a configuration, not a build): check the server");
		return;
	}
	for (size_t i = 0; i < c->ncontains; i++) {
		const struct xh_contains *in = &c->contains[i];
		if (in->major == b->major && in->minor == b->minor && b->build >= in->build) {
			v->state = XH_CVE_FIXED;
			snprintf(v->why, sizeof v->why, "%s and later CUs ship the fix", in->cu);
			return;
		}
	}
	for (size_t i = 0; i < c->nfixes; i++)
		if (c->fixes[i].major == b->major && c->fixes[i].minor == b->minor && c->fixes[i].build == b->build)
			fix = &c->fixes[i];
	if (!fix) {
		v->state = XH_CVE_VULNERABLE;
		snprintf(v->why, sizeof v->why,
		         "no update fixing it was released for this CU: install a CU that has one");
		return;
	}
	fix_text(fix, fx, sizeof fx);
	memcpy(v->fix, fx, sizeof fx);
	if (!b->rev_known) {
		v->state = XH_CVE_UNKNOWN;
		snprintf(v->why, sizeof v->why, "CU only: fixed from %s on, the installed revision is not visible",
		         fx);
		return;
	}
	if (b->rev >= fix->rev) {
		bool proxylogon = strcmp(xh_cve_campaign(c->id), "ProxyLogon") == 0;
		if (oob && !proxylogon && strcmp(fix->update, "Mar21SU") != 0) {
			v->state = XH_CVE_UNKNOWN;
			snprintf(v->why, sizeof v->why,
			         "the March 2021 package for this old CU carries only the ProxyLogon fixes: whether "
			         "%s was installed before cannot be seen in the build",
			         fix->update);
			return;
		}
		v->state = XH_CVE_FIXED;
		snprintf(v->why, sizeof v->why, "at or above %s", fx);
		return;
	}
	if (fix->alt_rev && b->rev >= fix->alt_rev) {
		v->state = XH_CVE_FIXED;
		snprintf(v->why, sizeof v->why, "disputed: %s; counted fixed at .%u", fix->alt_why, fix->alt_rev);
		return;
	}
	v->state = XH_CVE_VULNERABLE;
	snprintf(v->why, sizeof v->why, "below %s on this CU", fx);
}

xh_status xh_build_assess(const struct xh_build *b, struct xh_build_info *o)
{
	bool oob;

	memset(o, 0, sizeof *o);
	o->build = *b;
	o->product = product_of(b);
	o->product_name = product_names[o->product];
	if (o->product == XH_PROD_UNKNOWN)
		return XH_ENOTFOUND;
	locate(b, o);
	oob = on_oob_march21(b);
	if (oob)
		snprintf(o->note, sizeof o->note,
		         "March 2021 package for an old CU: ProxyLogon fixed, earlier CVEs cannot be judged");
	for (size_t i = 0; i < xh_ncves && o->ncves < XH_MAX_CVES; i++) {
		struct xh_cve_verdict *v = &o->cves[o->ncves++];
		judge(&xh_cves[i], b, o->product, oob, v);
		if (xh_cves[i].note && v->state != XH_CVE_NOT_AFFECTED) {
			size_t n = strlen(v->why);
			snprintf(v->why + n, sizeof v->why - n, " (%s)", xh_cves[i].note);
		}
	}
	return XH_OK;
}
