/*
 * exgen: what a host is and what happens to it.  The sample server (one host,
 * the ProxyLogon table as it is) and a fleet host: its names and address, the
 * Exchange build of its era (March 2021, August 2021, autumn 2022) with or without
 * an update, its collection window, the scenario's plan (attack steps from the
 * campaign tables, the update, the shells' later use, probes, scans) with the
 * host's own times, names and attacker addresses, and what a correct tool should
 * conclude (Expect).  Everything is drawn from the fleet seed and the host index.
 */
#include "exgen.h"

#include <stdio.h>
#include <string.h>

const char *const SCENARIO[SC_N] = {
    "compromised-proxylogon", "compromised-proxyshell", "compromised-proxynotshell", "compromised-owassrf",
    "attempted",              "clean",                  "unreadable",                "corrupt",
    "limited",                "compromised-late-patch", "scanned-only",              "not-collected"};

/* The sample server: EXCH01 and the ProxyLogon table with its own update row. */
void scen_single(Gen *g)
{
	host_default(&g->h);
	host_finish(&g->h);
	Plan *p = &g->plan;
	snprintf(p->actor[0], sizeof p->actor[0], ACTOR_A);
	snprintf(p->actor[1], sizeof p->actor[1], ACTOR_B);
	snprintf(p->sh1, sizeof p->sh1, SHELL1);
	snprintf(p->sh2, sizeof p->sh2, SHELL2);
	snprintf(p->pw1, sizeof p->pw1, SHELL1_PW);
	snprintf(p->pw2, sizeof p->pw2, SHELL2_PW);
	p->pl_files = true;
	p->shell_t = -1;
	pl_plan(g, 0, true);
	plan_sort(p);
}

/* ---- fleet hosts ------------------------------------------------------------------ */

enum { ERA_PL, ERA_PS, ERA_22, ERA_N };

/* A CU of an era: its build and its revision before and after the update of the time
 * (0: none was released for it), and its release date.  March 2021: the March 2021
 * SU (ProxyLogon); August 2021: open to ProxyShell, the SU that fixes it on the CU
 * (the unsupported 2016 CU18 has none: only drawn on purpose); autumn 2022: the
 * November 2022 SU (ProxyNotShell, OWASSRF). */
typedef struct {
	int era;
	const char *product, *cu;
	unsigned minor, build, cu_rev, rev0, rev1;
	int y, m, d;
	bool on_purpose;
} Prof;

#define E16 "Exchange Server 2016"
#define E19 "Exchange Server 2019"
static const Prof PROF[] = {
    {ERA_PL, E16, "CU18", 1, 2106, 2, 8, 13, 2020, 9, 15, false},
    {ERA_PL, E16, "CU19", 1, 2176, 2, 2, 9, 2020, 12, 15, false},
    {ERA_PL, E16, "CU19", 1, 2176, 2, 4, 9, 2020, 12, 15, false},
    {ERA_PL, E19, "CU7", 2, 721, 2, 8, 13, 2020, 9, 15, false},
    {ERA_PL, E19, "CU8", 2, 792, 3, 3, 10, 2020, 12, 15, false},
    {ERA_PL, E19, "CU8", 2, 792, 3, 5, 10, 2020, 12, 15, false},
    {ERA_PS, E16, "CU19", 1, 2176, 2, 9, 14, 2020, 12, 15, false},
    {ERA_PS, E16, "CU20", 1, 2242, 4, 4, 12, 2021, 3, 16, false},
    {ERA_PS, E19, "CU8", 2, 792, 3, 10, 15, 2020, 12, 15, false},
    {ERA_PS, E19, "CU9", 2, 858, 5, 5, 15, 2021, 3, 16, false},
    {ERA_PS, E16, "CU18", 1, 2106, 2, 13, 0, 2020, 9, 15, true},
    {ERA_22, E16, "CU22", 1, 2375, 7, 32, 37, 2021, 9, 28, false},
    {ERA_22, E16, "CU23", 1, 2507, 6, 13, 16, 2022, 4, 20, false},
    {ERA_22, E16, "CU23", 1, 2507, 6, 12, 16, 2022, 4, 20, false},
    {ERA_22, E19, "CU11", 2, 986, 5, 30, 36, 2021, 9, 28, false},
    {ERA_22, E19, "CU12", 2, 1118, 7, 15, 20, 2022, 4, 20, false},
};
#define NPROF ((uint32_t)(sizeof PROF / sizeof PROF[0]))
#define PROF_PS_CU18 10

/* Shared attacker addresses: the same actor shows up on several hosts. */
static const char *const POOL_PL_A[] = {"104.250.191.110", "130.255.189.21", "203.160.69.66", "211.56.98.146",
                                        "5.254.43.18",     "80.92.205.81",   "108.61.246.56", "149.28.14.163"};
static const char *const POOL_PL_B[] = {"139.162.202.236", "67.205.176.9", "86.105.18.116", "89.34.111.11"};
static const char *const POOL_PS[] = {"198.51.100.61", "198.51.100.62", "203.0.113.21"};
static const char *const POOL_PNS[] = {"198.51.100.70", "198.51.100.71", "203.0.113.45"};
static const char *const POOL_OW[] = {"198.51.100.80", "198.51.100.81", "203.0.113.90"};
static const char *const POOL_PROBE[] = {"192.0.2.44", "192.0.2.45", "203.0.113.150", "45.77.252.175", "194.87.69.35"};
/* Scanners of no exploitation list (those of the lists would make a scan look like an attack). */
static const char *const POOL_SCAN[] = {"185.220.101.46", "193.32.162.71", "141.98.10.55",
                                        "80.82.77.139",   "89.248.165.52", "71.6.199.23"};
#define NPOOL(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

/* An address of this host's own (k-th), public-looking and distinct from every other
 * host's: the first two octets come from the index. */
static void own_ip(char *dst, size_t cap, int index, int k, Rng *r)
{
	static const unsigned first[] = {23, 31, 37, 46, 51, 64, 77, 79, 82, 91, 95, 107, 109, 116,
	                                 134, 138, 146, 151, 154, 158, 164, 172, 176, 178, 188, 193};
	unsigned n = (unsigned)(sizeof first / sizeof first[0]);
	unsigned id = (unsigned)index * 3 + (unsigned)k;
	unsigned c = rrange(r, 0, 255);
	unsigned d = rrange(r, 1, 254);
	snprintf(dst, cap, "%u.%u.%u.%u", first[id % n], 1 + (id / n) % 250, c, d);
}

static void rand_word(Rng *r, char *dst, size_t len, const char *alpha)
{
	size_t an = strlen(alpha);
	for (size_t i = 0; i < len; i++)
		dst[i] = alpha[rbelow(r, (uint32_t)an)];
	dst[len] = 0;
}
#define ALNUM "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

static void set(char *dst, size_t cap, const char *s) { snprintf(dst, cap, "%s", s); }
#define SET(dst, s) set((dst), sizeof(dst), (s))

/* actor[0] half of the time from the campaign's shared pool, else the host's own;
 * actor[1] from pool2, or the host's own when pool2 is NULL. */
static void pick_actors(Plan *p, const char *const *pool, uint32_t n, const char *const *pool2, uint32_t n2, int index,
                        Rng *r)
{
	if (rpm(r, 500))
		SET(p->actor[0], pool[rbelow(r, n)]);
	else
		own_ip(p->actor[0], sizeof p->actor[0], index, 0, r);
	if (pool2)
		SET(p->actor[1], pool2[rbelow(r, n2)]);
	else
		own_ip(p->actor[1], sizeof p->actor[1], index, 1, r);
}

/* The host's build from a CU of its era; the update at `at` (-1: none). */
static void set_build(Host *h, const Prof *pf, int64_t at, Rng *r)
{
	build_set(&h->b[0], 15, pf->minor, pf->build, pf->rev0);
	if (at >= 0 && pf->rev1) {
		build_set(&h->b[1], 15, pf->minor, pf->build, pf->rev1);
		h->patch_at = at;
	} else {
		h->b[1] = h->b[0];
		h->patch_at = -1;
	}
	h->cu_rev = pf->cu_rev;
	h->product = pf->product;
	h->cu_name = pf->cu;
	h->cu_time = ms_at(pf->y, (unsigned)pf->m, (unsigned)pf->d, 0, 0, 0, 0) + rrange(r, 3, 40) * MS_DAY +
	             rrange(r, 18 * 3600, 23 * 3600) * 1000LL;
}

/* A time of day somewhere in the day at day, seconds resolution. */
static int64_t at_day(Rng *r, int64_t day, unsigned h_lo, unsigned h_hi)
{
	return day * MS_DAY + (int64_t)rrange(r, h_lo * 3600, h_hi * 3600 - 1) * 1000;
}

/* The update relative to the window: after it, never in these logs; before it, the
 * logs only show the new build; inside it, a step of the plan. */
static void place_patch(Gen *g)
{
	Host *h = &g->h;
	int64_t ws = g->start_day * MS_DAY, we = (g->start_day + g->days) * MS_DAY;
	if (h->patch_at < 0)
		return;
	if (h->patch_at >= we) {
		h->patch_at = -1;
		h->b[1] = h->b[0];
	} else if (h->patch_at < ws) {
		g->patched = true;
	} else {
		plan_add(&g->plan, h->patch_at, CAMP_PATCH, 0, 0, 0);
	}
}

/* A CU of the era (with an update for it if need_fix). */
static const Prof *draw_prof(Rng *r, int era, bool need_fix)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < NPROF; i++)
		n += PROF[i].era == era && !PROF[i].on_purpose && (!need_fix || PROF[i].rev1);
	uint32_t k = rbelow(r, n);
	for (uint32_t i = 0; i < NPROF; i++)
		if (PROF[i].era == era && !PROF[i].on_purpose && (!need_fix || PROF[i].rev1) && k-- == 0)
			return &PROF[i];
	return &PROF[0];
}

/* The window begins off days before the day of t (fewer when the window is short). */
static void window_before(Gen *g, int64_t t, uint32_t lo, uint32_t hi, Rng *r)
{
	uint32_t off = rrange(r, lo, hi);
	if (off > g->days / 3)
		off = g->days / 3;
	g->start_day = t / MS_DAY - off;
}

/* A compromised host: the window before base, the verdict, the campaign. */
static void compromised(Gen *g, int64_t base, int camp, Rng *r)
{
	window_before(g, base, 4, 9, r);
	g->exp.verdict = "COMPROMISED";
	g->exp.camps = 1u << camp;
}

void scen_fleet_host(Gen *g, uint64_t fleet_seed, int index, const char *name, int scenario, int layout, uint32_t days)
{
	Rng rr, *r = &rr;
	rng_seed(r, mix3(fleet_seed, (uint64_t)index, 0x5CE7A));
	Host *h = &g->h;
	Plan *p = &g->plan;
	Expect *x = &g->exp;
	g->fleet = true;
	g->seed = mix3(fleet_seed, (uint64_t)index, 0xF1EE7) & ((1ULL << 53) - 1); /* exact in any JSON reader */
	g->days = days;
	g->layout = layout;
	g->only = ONLY_ALL;
	memset(h, 0, sizeof *h);
	SET(h->name, name);
	char lower[24];
	size_t i;
	for (i = 0; name[i] && i + 1 < sizeof lower; i++)
		lower[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
	lower[i] = 0;
	snprintf(h->fqdn, sizeof h->fqdn, "%s.contoso.local", lower);
	if (index == 0)
		SET(h->pub, HOST_PUB);
	else
		snprintf(h->pub, sizeof h->pub, "%s.contoso.com", lower);
	snprintf(h->ip, sizeof h->ip, "10.%u.1.%u", (unsigned)(10 + index / 250) % 256, (unsigned)(5 + index % 250));

	/* names the campaigns may use */
	rand_word(r, p->sh1, 16, ALNUM);
	rand_word(r, p->sh2, 8, ALNUM);
	rand_word(r, p->pw1, 9, "abcdefghijklmnopqrstuvwxyz0123456789");
	rand_word(r, p->pw2, 8, ALNUM);
	rand_word(r, p->shell_pw, 8, ALNUM);
	char dom[8];
	rand_word(r, dom, 3 + rbelow(r, 4), "abcdefghijklmnopqrsuvwxyz"); /* no 't': never "@test.com" */
	snprintf(p->atdom, sizeof p->atdom, "@%s.com", dom);
	rand_word(r, p->subject, 6, "abcdefghijklmnopqrstuvwxyz");
	p->victim = 1 + (int)rbelow(r, NUSERS - 1);
	p->shell_t = -1;

	x->scenario = SCENARIO[scenario % SC_N];
	x->first = -1;
	x->corrupt_rec = -1;
	const Prof *pf;
	int64_t first = -1;
	switch (scenario) {
	case SC_PROXYLOGON:
	case SC_LATE_PATCH: {
		int64_t shift = (int64_t)rrange(r, 0, 5) * MS_DAY - 2 * MS_DAY + (int64_t)rrange(r, 0, 600) * 60000 +
		                (int64_t)rrange(r, 0, 59) * 1000;
		pf = draw_prof(r, ERA_PL, scenario == SC_LATE_PATCH);
		pick_actors(p, POOL_PL_A, NPOOL(POOL_PL_A), POOL_PL_B, NPOOL(POOL_PL_B), index, r);
		p->pl_files = true;
		first = pl_plan(g, shift, false);
		int64_t patch = scenario == SC_LATE_PATCH || rpm(r, 600)
		                    ? first + rrange(r, 2, 5) * MS_DAY + (int64_t)rrange(r, 0, 12 * 3600) * 1000
		                    : -1;
		set_build(h, pf, patch, r);
		if (scenario == SC_LATE_PATCH)
			pl_plan_late(g, patch + rrange(r, 1, 3) * MS_DAY + (int64_t)rrange(r, 3600, 20 * 3600) * 1000, 0);
		compromised(g, pl_time(g, 0), CAMP_PL, r);
		break;
	}
	case SC_PROXYSHELL: {
		int64_t base = at_day(r, days_from_civil(2021, 8, 9) + rrange(r, 0, 16), 0, 24);
		pf = draw_prof(r, ERA_PS, false);
		if (rpm(r, 200))
			pf = &PROF[PROF_PS_CU18]; /* CU18: out of support, no ProxyShell fix */
		pick_actors(p, POOL_PS, NPOOL(POOL_PS), NULL, 0, index, r);
		snprintf(p->shell, sizeof p->shell, "%u.aspx", rrange(r, 100000000u, 999999999u));
		if (rpm(r, 500)) {
			rand_word(r, p->shell, 16, "abcdefghijklmnopqrstuvwxyz");
			memcpy(p->shell + 16, ".aspx", 6);
		}
		first = cstep_plan(g, &CAMPAIGN_PS, CAMP_PS, base, 0);
		set_build(h, pf, rpm(r, 400) ? base + rrange(r, 3, 12) * MS_DAY : -1, r);
		compromised(g, base, CAMP_PS, r);
		break;
	}
	case SC_PROXYNOTSHELL: {
		int64_t base = at_day(r, days_from_civil(2022, 8, 20) + rrange(r, 0, 38), 0, 24);
		pf = draw_prof(r, ERA_22, false);
		pick_actors(p, POOL_PNS, NPOOL(POOL_PNS), NULL, 0, index, r);
		static const char *const names[] = {"owafonts.aspx", "RedirSuiteServerProxy.aspx", "OutlookEN.aspx",
		                                    "errorFS.aspx", "ErrorAA.aspx"};
		SET(p->shell, PICK(r, names));
		first = cstep_plan(g, &CAMPAIGN_PNS, CAMP_PNS, base, 0);
		set_build(h, pf, -1, r);
		if (rpm(r, 500)) { /* the mitigation came after the intrusion */
			p->pns_mitigation = true;
			int64_t m = at_day(r, days_from_civil(2022, 9, 30) + rrange(r, 0, 3), 7, 19);
			p->mitigated_at = m > base ? m : base + rrange(r, 1, 4) * MS_DAY;
		}
		compromised(g, base, CAMP_PNS, r);
		break;
	}
	case SC_OWASSRF: {
		int64_t base = at_day(r, days_from_civil(2022, 11, 28) + rrange(r, 0, 21), 0, 24);
		pf = draw_prof(r, ERA_22, false);
		pick_actors(p, POOL_OW, NPOOL(POOL_OW), NULL, 0, index, r);
		rand_word(r, p->shell, 8, ALNUM);
		memcpy(p->shell + 8, ".aspx", 6);
		first = cstep_plan(g, &CAMPAIGN_OW, CAMP_OW, base, 0);
		/* mitigated for ProxyNotShell (which OWASSRF goes around), updated later or never */
		p->pns_mitigation = true;
		p->mitigated_at = at_day(r, days_from_civil(2022, 9, 30) + rrange(r, 0, 6), 7, 19);
		set_build(h, pf, rpm(r, 300) ? base + rrange(r, 3, 9) * MS_DAY : -1, r);
		compromised(g, base, CAMP_OW, r);
		break;
	}
	case SC_ATTEMPTED: {
		int v = (int)rbelow(r, 3);
		x->variant = v == PR_PL ? "proxylogon-after-update" : v == PR_PS ? "proxyshell-patched" : "proxynotshell-mitigated";
		SET(p->actor[2], POOL_PROBE[rbelow(r, NPOOL(POOL_PROBE))]);
		own_ip(p->actor[3], sizeof p->actor[3], index, 2, r);
		int64_t base;
		if (v == PR_PL) {
			pf = draw_prof(r, ERA_PL, true);
			int64_t patch = at_day(r, days_from_civil(2021, 3, 3) + rrange(r, 0, 2), 0, 24);
			set_build(h, pf, patch, r);
			base = patch + rrange(r, 1, 3) * MS_DAY + (int64_t)rrange(r, 600, 7200) * 1000;
			window_before(g, base, 5, 10, r);
		} else if (v == PR_PS) {
			pf = draw_prof(r, ERA_PS, true);
			set_build(h, pf, at_day(r, days_from_civil(2021, 7, 14) + rrange(r, 0, 16), 18, 23), r);
			base = at_day(r, days_from_civil(2021, 8, 10) + rrange(r, 0, 12), 0, 24);
			window_before(g, base, 4, 8, r);
		} else {
			pf = draw_prof(r, ERA_22, false);
			set_build(h, pf, -1, r);
			p->pns_mitigation = true;
			p->mitigated_at = at_day(r, days_from_civil(2022, 9, 30) + rrange(r, 0, 3), 7, 19);
			base = p->mitigated_at + rrange(r, 2, 20) * MS_DAY + (int64_t)rrange(r, 0, 86399) * 1000;
			window_before(g, base, 4, 8, r);
		}
		probe_plan(g, v, base, (int64_t)g->days - (base / MS_DAY - g->start_day) - 1);
		x->verdict = "ATTEMPTED";
		x->camps = 1u << (v == PR_PL ? CAMP_PL : v == PR_PS ? CAMP_PS : CAMP_PNS);
		break;
	}
	case SC_LIMITED: {
		/* logs kept only from late March 2021, after the ProxyLogon wave */
		pf = draw_prof(r, ERA_PL, true);
		g->start_day = days_from_civil(2021, 3, 20) + rrange(r, 0, 14);
		bool hit = rpm(r, 500);
		x->variant = hit ? "compromised-before-the-logs" : "clean";
		x->limited = true;
		int64_t patch = at_day(r, days_from_civil(2021, 3, 4) + rrange(r, 0, 8), 0, 24);
		if (hit) {
			int64_t shift = (int64_t)rrange(r, 0, 3) * MS_DAY - MS_DAY + (int64_t)rrange(r, 0, 600) * 60000;
			SET(p->actor[0], POOL_PL_A[rbelow(r, NPOOL(POOL_PL_A))]);
			SET(p->actor[1], POOL_PL_B[rbelow(r, NPOOL(POOL_PL_B))]);
			p->pl_files = true;
			first = pl_plan(g, shift, false);
			pl_plan_late(g, at_day(r, g->start_day + rrange(r, 1, 5), 0, 24), 0);
			x->verdict = "COMPROMISED";
			x->camps = 1u << CAMP_PL;
		} else {
			x->verdict = "INCOMPLETE";
		}
		set_build(h, pf, patch, r);
		break;
	}
	default: { /* clean, unreadable, corrupt, scanned-only, not-collected */
		int era = (int)rbelow(r, ERA_N);
		static const int32_t from[ERA_N][3] = {{2021, 2, 1}, {2021, 7, 20}, {2022, 8, 15}};
		static const uint32_t span[ERA_N] = {30, 30, 100};
		g->start_day = days_from_civil(from[era][0], (unsigned)from[era][1], (unsigned)from[era][2]) +
		               rbelow(r, span[era]);
		pf = draw_prof(r, era, false);
		int64_t patch = rpm(r, 500) ? at_day(r, g->start_day + 1 + rbelow(r, days > 2 ? days - 2 : 1), 17, 24) : -1;
		/* not before the era's update was released (place_patch drops it past the window) */
		static const int32_t su[ERA_N][3] = {{2021, 3, 2}, {2021, 7, 13}, {2022, 11, 8}};
		int64_t rel = ms_at(su[era][0], (unsigned)su[era][1], (unsigned)su[era][2], 18, 0, 0, 0);
		if (patch >= 0 && patch < rel)
			patch = rel + (int64_t)rbelow(r, 5 * 86400) * 1000;
		set_build(h, pf, patch, r);
		if (scenario == SC_SCANNED) {
			for (int k = 2; k < 6; k++)
				SET(p->actor[k], POOL_SCAN[(rbelow(r, NPOOL(POOL_SCAN)) + (uint32_t)k) % NPOOL(POOL_SCAN)]);
			probe_plan(g, PR_SCAN, at_day(r, g->start_day + 1, 0, 24), days > 2 ? days - 2 : 1);
		}
		if (scenario == SC_UNREADABLE) {
			static const char *const dirs[] = {"C/inetpub/logs/LogFiles/W3SVC1", "C/inetpub/logs/LogFiles/W3SVC2",
			                                   XROOT "Logging/HttpProxy/Ecp", XROOT "Logging/HttpProxy/Owa",
			                                   XROOT "Logging/ECP/Server"};
			disk_rel(g, x->unreadable, sizeof x->unreadable, PICK(r, dirs));
		}
		if (scenario == SC_NOT_COLLECTED)
			g->no_logs = true;
		x->verdict = scenario == SC_CLEAN           ? "NO EVIDENCE"
		             : scenario == SC_SCANNED       ? "SUSPICIOUS"
		             : scenario == SC_NOT_COLLECTED ? "NOT ASSESSED"
		                                            : "INCOMPLETE";
		break;
	}
	}
	x->first = first;
	host_finish(h);
	place_patch(g);
	plan_sort(p);
}
