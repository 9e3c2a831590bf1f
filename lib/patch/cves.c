/*
 * The exploited Exchange CVEs and where each is fixed: per CU, the first fixing build;
 * per product line, the first CU that ships the fix. Facts from
 * shared/reference/builds.md section 4 (Microsoft Learn, MSRC affected products,
 * CSS-Exchange HealthChecker), restated as data. A CU absent from both lists never got
 * a fix: it is vulnerable (HealthChecker's rule, builds.md section 3).
 */
#include "patch/builds.h"

#define P(x) (1u << (x))
#define ALL_15 (P(XH_PROD_2013) | P(XH_PROD_2016) | P(XH_PROD_2019) | P(XH_PROD_SE))
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- ProxyLogon (KB5000871, 2021-03-02; section 4.1) --------------------------------- */

static const struct xh_fix proxylogon_fix[] = {
	{15, 0, 847, 64, "Mar21SU", "KB5000871", 0, NULL},
	{15, 0, 1395, 12, "Mar21SU", "KB5000871", 0, NULL},
	{15, 0, 1473, 6, "Mar21SU", "KB5000871", 0, NULL},
	{15, 0, 1497, 12, "Mar21SU", "KB5000871", 0, NULL},
	{15, 1, 1415, 10, "Mar21SU", "KB5000871", 8, "Microsoft lists 15.1.1415.10, CSS-Exchange 15.1.1415.8"},
	{15, 1, 1466, 16, "Mar21SU", "KB5000871", 13, "Microsoft lists 15.1.1466.16, CSS-Exchange 15.1.1466.13"},
	{15, 1, 1531, 12, "Mar21SU", "KB5000871", 0, NULL},
	{15, 1, 1591, 18, "Mar21SU", "KB5000871", 0, NULL},
	{15, 1, 1713, 10, "Mar21SU", "KB5000871", 0, NULL},
	{15, 1, 1779, 8, "Mar21SU", "KB5000871", 0, NULL},
	{15, 1, 1847, 12, "Mar21SU", "KB5000871", 0, NULL},
	{15, 1, 1913, 12, "Mar21SU", "KB5000871", 0, NULL},
	{15, 1, 1979, 8, "Mar21SU", "KB5000871", 0, NULL},
	{15, 1, 2044, 13, "Mar21SU", "KB5000871", 0, NULL},
	{15, 1, 2106, 13, "Mar21SU", "KB5000871", 0, NULL},
	{15, 1, 2176, 9, "Mar21SU", "KB5000871", 0, NULL},
	{15, 2, 221, 18, "Mar21SU", "KB5000871", 0, NULL},
	{15, 2, 330, 11, "Mar21SU", "KB5000871", 0, NULL},
	{15, 2, 397, 11, "Mar21SU", "KB5000871", 0, NULL},
	{15, 2, 464, 15, "Mar21SU", "KB5000871", 0, NULL},
	{15, 2, 529, 13, "Mar21SU", "KB5000871", 0, NULL},
	{15, 2, 595, 8, "Mar21SU", "KB5000871", 0, NULL},
	{15, 2, 659, 12, "Mar21SU", "KB5000871", 0, NULL},
	{15, 2, 721, 13, "Mar21SU", "KB5000871", 0, NULL},
	{15, 2, 792, 10, "Mar21SU", "KB5000871", 0, NULL},
};
static const struct xh_contains proxylogon_in[] = {
	{15, 1, 2242, "2016 CU20"},
	{15, 2, 858, "2019 CU9"},
};
/* Exchange 2010 SP3 got RU32 for CVE-2021-26857 only */
static const struct xh_contains p26857_in[] = {
	{14, 3, 513, "2010 SP3 RU32 (KB5000978)"},
	{15, 1, 2242, "2016 CU20"},
	{15, 2, 858, "2019 CU9"},
};

/* ---- ProxyShell (section 4.2) --------------------------------------------------------- */

static const struct xh_fix apr21_fix[] = {
	{15, 0, 1497, 15, "Apr21SU", "KB5001779", 0, NULL},
	{15, 1, 2176, 12, "Apr21SU", "KB5001779", 0, NULL},
	{15, 1, 2242, 8, "Apr21SU", "KB5001779", 0, NULL},
	{15, 2, 792, 13, "Apr21SU", "KB5001779", 0, NULL},
	{15, 2, 858, 10, "Apr21SU", "KB5001779", 0, NULL},
};
static const struct xh_fix may21_fix[] = {
	{15, 0, 1497, 18, "May21SU", "KB5003435", 0, NULL},
	{15, 1, 2176, 14, "May21SU", "KB5003435", 0, NULL},
	{15, 1, 2242, 10, "May21SU", "KB5003435", 0, NULL},
	{15, 2, 792, 15, "May21SU", "KB5003435", 0, NULL},
	{15, 2, 858, 12, "May21SU", "KB5003435", 0, NULL},
};
static const struct xh_contains proxyshell_in[] = {
	{15, 1, 2308, "2016 CU21"},
	{15, 2, 922, "2019 CU10"},
};

/* ---- ProxyNotShell and OWASSRF (KB5019758, 2022-11-08; section 4.3) ------------------- */

static const struct xh_fix nov22_fix[] = {
	{15, 0, 1497, 44, "Nov22SU", "KB5019758", 0, NULL},
	{15, 1, 2375, 37, "Nov22SU", "KB5019758", 0, NULL},
	{15, 1, 2507, 16, "Nov22SU", "KB5019758", 0, NULL},
	{15, 2, 986, 36, "Nov22SU", "KB5019758", 0, NULL},
	{15, 2, 1118, 20, "Nov22SU", "KB5019758", 0, NULL},
};
static const struct xh_contains nov22_in[] = {
	{15, 2, 1258, "2019 CU13"},
};

/* ---- CVE-2021-42321 (KB5007409, 2021-11-09; section 4.4) ------------------------------- */

static const struct xh_fix nov21_fix[] = {
	{15, 1, 2308, 20, "Nov21SU", "KB5007409", 0, NULL},
	{15, 1, 2375, 17, "Nov21SU", "KB5007409", 0, NULL},
	{15, 2, 922, 19, "Nov21SU", "KB5007409", 0, NULL},
	{15, 2, 986, 14, "Nov21SU", "KB5007409", 0, NULL},
};
static const struct xh_contains nov21_in[] = {
	{15, 1, 2507, "2016 CU23"},
	{15, 2, 1118, "2019 CU12"},
};

/* ---- CVE-2023-21529 (KB5023038, 2023-02-14; section 4.5) ------------------------------- */

static const struct xh_fix feb23_fix[] = {
	{15, 0, 1497, 47, "Feb23SU", "KB5023038", 0, NULL},
	{15, 1, 2507, 21, "Feb23SU", "KB5023038", 0, NULL},
	{15, 2, 986, 41, "Feb23SU", "KB5023038", 0, NULL},
	{15, 2, 1118, 25, "Feb23SU", "KB5023038", 0, NULL},
};
static const struct xh_contains feb23_in[] = {
	{15, 2, 1258, "2019 CU13"},
};

/* ---- CVE-2020-0688 (February 2020; section 4.6) ----------------------------------------- */

static const struct xh_fix feb20_fix[] = {
	{15, 0, 1497, 6, "Feb20SU", "KB4536988", 0, NULL},
	{15, 1, 1847, 7, "Feb20SU", "KB4536987", 0, NULL},
	{15, 1, 1913, 7, "Feb20SU", "KB4536987", 0, NULL},
	{15, 2, 464, 11, "Feb20SU", "KB4536987", 0, NULL},
	{15, 2, 529, 8, "Feb20SU", "KB4536987", 0, NULL},
};
static const struct xh_contains feb20_in[] = {
	{14, 3, 496, "2010 SP3 RU30 (KB4536989)"},
	{15, 1, 1979, "2016 CU16"},
	{15, 2, 595, "2019 CU5"},
};

/* ---- KEV, section 4.7 ------------------------------------------------------------------- */

static const struct xh_contains cve17144_in[] = {
	{14, 3, 509, "2010 SP3 RU31 (KB4593467)"},
};

/* ProxyToken: MSRC's affected list is the April 2021 set; others say July 2021. On CUs
 * with a July SU the July build is required; 2016 CU19 and 2019 CU8 never got one. */
static const struct xh_fix cve33766_fix[] = {
	{15, 0, 1497, 23, "Jul21SU", "KB5004778", 15, "MSRC lists the April 2021 SU (.15); third parties July 2021 (.23)"},
	{15, 1, 2176, 12, "Apr21SU", "KB5001779", 0, NULL},
	{15, 1, 2242, 12, "Jul21SU", "KB5004779", 8, "MSRC lists the April 2021 SU (.8); third parties July 2021 (.12)"},
	{15, 2, 792, 13, "Apr21SU", "KB5001779", 0, NULL},
	{15, 2, 858, 15, "Jul21SU", "KB5004780", 10, "MSRC lists the April 2021 SU (.10); third parties July 2021 (.15)"},
	{15, 2, 922, 13, "Jul21SU", "KB5004780", 0, NULL},
};
static const struct xh_contains cve33766_in[] = {
	{15, 1, 2308, "2016 CU21"},
	{15, 2, 986, "2019 CU11"},
};

/* CVE-2018-8581: fixed inside the February 2019 CUs (moderate confidence) */
static const struct xh_contains cve8581_in[] = {
	{14, 3, 442, "2010 SP3 RU26"},
	{15, 0, 1473, "2013 CU22"},
	{15, 1, 1713, "2016 CU12"},
	{15, 2, 330, "2019 CU1"},
};

static const struct xh_fix jul21_fix[] = {
	{15, 0, 1497, 23, "Jul21SU", "KB5004778", 0, NULL},
	{15, 1, 2242, 12, "Jul21SU", "KB5004779", 0, NULL},
	{15, 1, 2308, 14, "Jul21SU", "KB5004779", 0, NULL},
	{15, 2, 858, 15, "Jul21SU", "KB5004780", 0, NULL},
	{15, 2, 922, 13, "Jul21SU", "KB5004780", 0, NULL},
};
static const struct xh_contains jul21_in[] = {
	{15, 1, 2375, "2016 CU22"},
	{15, 2, 986, "2019 CU11"},
};

/* CVE-2026-42897 (press reports, added to KEV 2026-05-15): June 2026 SU */
static const struct xh_fix jun26_fix[] = {
	{15, 1, 2507, 69, "Jun26SU", "", 0, NULL},
	{15, 2, 1544, 41, "Jun26SU", "", 0, NULL},
	{15, 2, 1748, 46, "Jun26SU", "", 0, NULL},
	{15, 2, 2562, 43, "Jun26SU", "", 0, NULL},
};

#define FIX(a) a, N(a)
#define IN(a) a, N(a)

const struct xh_cve xh_cves[] = {
	{"CVE-2021-26855", P(XH_PROD_2013) | P(XH_PROD_2016) | P(XH_PROD_2019) | P(XH_PROD_SE),
	 FIX(proxylogon_fix), IN(proxylogon_in), false, NULL},
	{"CVE-2021-26857", P(XH_PROD_2010) | ALL_15, FIX(proxylogon_fix), IN(p26857_in), false, NULL},
	{"CVE-2021-26858", ALL_15, FIX(proxylogon_fix), IN(proxylogon_in), false, NULL},
	{"CVE-2021-27065", ALL_15, FIX(proxylogon_fix), IN(proxylogon_in), false, NULL},
	{"CVE-2021-34473", ALL_15, FIX(apr21_fix), IN(proxyshell_in), false, NULL},
	{"CVE-2021-34523", ALL_15, FIX(apr21_fix), IN(proxyshell_in), false, NULL},
	{"CVE-2021-31207", ALL_15, FIX(may21_fix), IN(proxyshell_in), false, NULL},
	{"CVE-2022-41040", ALL_15, FIX(nov22_fix), IN(nov22_in), false,
	 "mitigations of Sept 2022 do not show in the build"},
	{"CVE-2022-41082", ALL_15, FIX(nov22_fix), IN(nov22_in), false,
	 "mitigations of Sept 2022 do not show in the build"},
	{"CVE-2022-41080", ALL_15, FIX(nov22_fix), IN(nov22_in), false,
	 "bypasses the ProxyNotShell URL Rewrite mitigation"},
	{"CVE-2020-0688", P(XH_PROD_2010) | ALL_15, FIX(feb20_fix), IN(feb20_in), false, NULL},
	{"CVE-2021-42321", P(XH_PROD_2016) | P(XH_PROD_2019) | P(XH_PROD_SE), FIX(nov21_fix), IN(nov21_in),
	 false, NULL},
	{"CVE-2023-21529", ALL_15, FIX(feb23_fix), IN(feb23_in), false, NULL},
	{"CVE-2021-33766", ALL_15, FIX(cve33766_fix), IN(cve33766_in), false,
	 "fix month disputed: MSRC April 2021, others July 2021"},
	{"CVE-2021-31196", ALL_15, FIX(jul21_fix), IN(jul21_in), false, NULL},
	{"CVE-2020-17144", P(XH_PROD_2010), NULL, 0, IN(cve17144_in), false, NULL},
	{"CVE-2018-8581", P(XH_PROD_2010) | ALL_15, NULL, 0, IN(cve8581_in), false,
	 "moderate confidence"},
	{"CVE-2024-21410", P(XH_PROD_2016) | P(XH_PROD_2019) | P(XH_PROD_SE), NULL, 0, NULL, 0, true, NULL},
	{"CVE-2026-42897", P(XH_PROD_2016) | P(XH_PROD_2019) | P(XH_PROD_SE), FIX(jun26_fix), NULL, 0, false,
	 "KEV 2026-05-15 per press reports"},
};

const size_t xh_ncves = N(xh_cves);
