/*
 * The campaigns and their CVEs: one table (campaign.c) behind the report's coverage
 * statements (xh_campaign_at), the CVE verdicts (patch/) and the campaign of a finding.
 */
#ifndef XH_CAMPAIGN_H
#define XH_CAMPAIGN_H

#include "common/base.h"

/* The campaign a CVE id ("CVE-2021-26855") belongs to ("ProxyLogon"), or "" for a CVE
 * exploited on its own. A CVE used by two campaigns (CVE-2022-41082) names the first. */
XH_HIDDEN const char *xh_cve_campaign(const char *cve);
/* The same for a Sigma tag ("cve.2021-26855", any case); "" for other tags. */
XH_HIDDEN const char *xh_tag_campaign(const char *tag);

#endif
