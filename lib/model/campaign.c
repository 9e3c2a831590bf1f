/*
 * The campaigns exhunt hunts for, each with the CVEs it chained and the date from which
 * to hunt (shared/reference/indicators.md section 1, builds.md section 4). Everything
 * that names a campaign asks this table: the coverage statements of the report, the
 * CVE verdicts of patch/ (cves.c holds only where each CVE is fixed), the campaign of a
 * finding from its tags.
 */
#include "model/campaign.h"

#include <stdio.h>
#include <strings.h>

#define IDS(...) ((const char *const[]){__VA_ARGS__, NULL})

static const struct {
	const char *name;
	const char *const *cves;   /* NULL-terminated; a CVE listed by an earlier row is that row's */
	int y;                     /* hunt from y-m-d; 0: no window is stated */
	unsigned m, d;
	const char *why;
} campaigns[] = {
	{"ProxyLogon", IDS("CVE-2021-26855", "CVE-2021-26857", "CVE-2021-26858", "CVE-2021-27065"), 2020, 9, 1,
	 "CISA ED 21-02 asked to hunt back to 2020-09-01"},
	{"ProxyShell", IDS("CVE-2021-34473", "CVE-2021-34523", "CVE-2021-31207"), 2021, 8, 1,
	 "mass exploitation from August 2021"},
	{"ProxyNotShell", IDS("CVE-2022-41040", "CVE-2022-41082"), 2022, 8, 1,
	 "exploitation reported from August 2022"},
	{"OWASSRF", IDS("CVE-2022-41080", "CVE-2022-41082"), 2022, 11, 1,
	 "exploitation seen from late November 2022"},
	{"ProxyToken", IDS("CVE-2021-33766"), 0, 0, 0, NULL},
};

const char *xh_cve_campaign(const char *cve)
{
	for (size_t i = 0; cve && i < XH_ARRAY_LEN(campaigns); i++)
		for (const char *const *c = campaigns[i].cves; *c; c++)
			if (strcasecmp(*c, cve) == 0)
				return campaigns[i].name;
	return "";
}

const char *xh_tag_campaign(const char *tag)
{
	if (!tag || strncasecmp(tag, "cve.", 4) != 0)
		return "";
	for (size_t i = 0; i < XH_ARRAY_LEN(campaigns); i++)
		for (const char *const *c = campaigns[i].cves; *c; c++)
			if (strcasecmp(*c + 4, tag + 4) == 0)
				return campaigns[i].name;
	return "";
}

/* Only campaigns with a hunt window make coverage statements. */
size_t xh_campaign_count(void)
{
	size_t n = 0;
	for (size_t i = 0; i < XH_ARRAY_LEN(campaigns); i++)
		n += campaigns[i].y != 0;
	return n;
}

const struct xh_campaign *xh_campaign_at(size_t i)
{
	/* Built per call into thread-local storage: the table holds dates and CVE ids, the
	 * answer milliseconds and a list "CVE-2021-26855, -26857" as people write it. */
	static _Thread_local struct xh_campaign c;
	static _Thread_local char cves[160];
	size_t k = 0, n = 0;

	for (; k < XH_ARRAY_LEN(campaigns); k++)
		if (campaigns[k].y != 0 && n++ == i)
			break;
	if (k == XH_ARRAY_LEN(campaigns))
		return NULL;
	cves[0] = '\0';
	for (const char *const *id = campaigns[k].cves; *id; id++) {
		size_t len = strlen(cves);
		const char *first = campaigns[k].cves[0];
		/* "CVE-2021-" shared with the first id is written once */
		bool same_year = id != campaigns[k].cves && strncmp(*id, first, 9) == 0;
		snprintf(cves + len, sizeof cves - len, "%s%s%s", len ? ", " : "", same_year ? "-" : "",
		         same_year ? *id + 9 : *id);
	}
	c.name = campaigns[k].name;
	c.cves = cves;
	c.why = campaigns[k].why;
	c.begin_ms = xh_days_from_civil(campaigns[k].y, campaigns[k].m, campaigns[k].d) * 86400000;
	return &c;
}
