/*
 * exgen: users, user agents and other pools.  The user agent strings in their
 * IIS and HttpProxy forms, and the seed-dependent population: users with their
 * addresses, devices and mailboxes, the health mailbox, domain SID and GUIDs.
 */
#include "exgen.h"

#include <stdio.h>
#include <string.h>

static const char *const UA_RAW[UA_N] = {
    [UA_NONE] = "",
    [UA_OUTLOOK] = "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.13628; Pro)",
    [UA_EWSCLIENT] = "ExchangeServicesClient/15.00.0913.015",
    [UA_MACMAIL] = "Mac OS X/10.15.7 (19H524); ExchangeWebServices/11.0 (3654.40.0.2.1)",
    [UA_ACCOUNTSD] = "accountsd/113 CFNetwork/1220.1 Darwin/20.3.0",
    [UA_CHROME] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/88.0.4324.190 Safari/537.36",
    [UA_EDGE] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                "Chrome/88.0.4324.192 Safari/537.36 Edg/88.0.705.81",
    [UA_FIREFOX] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:86.0) Gecko/20100101 Firefox/86.0",
    [UA_SAFARI] = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
                  "Gecko) Version/14.0.3 Safari/605.1.15",
    [UA_IPHONE] = "Apple-iPhone12C1/1805.114",
    [UA_IPHONE2] = "Apple-iPhone11C8/1805.114",
    [UA_ANDROID] = "Android-Mail/2021.01.31.357063893.Release",
    [UA_AMPROBE] = "AMProbe/Local/ClientAccess",
    [UA_WINRM] = "Microsoft WinRM Client",
    [UA_MSRPC] = "MSRPC",
    [UA_ZGRAB] = "Mozilla/5.0 zgrab/0.x",
    [UA_CENSYS] = "Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)",
    [UA_CURL] = "curl/7.68.0",
    [UA_GO] = "Go-http-client/1.1",
    [UA_NMAP] = "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)",
    [UA_OLDFF] = "Mozilla/5.0 (Windows NT 6.1; WOW64; rv:40.0) Gecko/20100101 Firefox/40.1",
    [UA_BAIDU] = "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    [UA_ESC0] = "ExchangeServicesClient/0.0.0.0",
    [UA_PYREQ] = "python-requests/2.25.1",
    [UA_ANTSWORD] = "antSword/v2.1",
    [UA_FF68] = "Mozilla/5.0 (Windows NT 6.1; Win64; x64; rv:68.0) Gecko/20100101 Firefox/68.0",
    [UA_PYREQ26] = "python-requests/2.26.0",
    [UA_PSRP] = "Python PSRP Client",
    [UA_CHROME92] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                    "Chrome/92.0.4515.159 Safari/537.36",
    [UA_CHROME105] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                     "Chrome/105.0.5195.54 Safari/537.36",
    [UA_PYREQ28] = "python-requests/2.28.1",
    [UA_NESSUS] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
};

static const char *const FIRST[] = {"james", "mary", "robert", "patricia", "john", "jennifer",
                                    "michael", "linda", "david", "elizabeth", "william", "barbara",
                                    "richard", "susan", "joseph", "jessica", "thomas", "sarah",
                                    "charles", "karen", "daniel", "lisa", "matthew", "nancy",
                                    "anthony", "betty", "mark", "sandra", "paul", "ashley",
                                    "steven", "emily", "andrew", "donna", "kevin", "michelle",
                                    "brian", "carol", "george", "amanda"};
static const char *const LAST[] = {"smith", "johnson", "williams", "brown", "jones", "garcia",
                                   "miller", "davis", "rodriguez", "martinez", "hernandez", "lopez",
                                   "gonzalez", "wilson", "anderson", "thomas", "taylor", "moore",
                                   "jackson", "martin", "lee", "perez", "thompson", "white",
                                   "harris", "sanchez", "clark", "ramirez", "lewis", "robinson",
                                   "walker", "young", "allen", "king", "wright", "scott",
                                   "torres", "nguyen", "hill", "flores"};

/* Public addresses for home users, phones and scanners (no private ranges). */
void rand_public_ip(Rng *r, char *dst, size_t cap, bool scanner)
{
	static const unsigned home_a[] = {24, 47, 50, 66, 67, 68, 69, 71, 73, 75, 76, 96, 97, 98, 99, 108, 174};
	static const unsigned scan_a[] = {45, 62, 80, 89, 91, 103, 141, 162, 167, 170, 185, 193, 194, 195, 209, 212};
	unsigned a = scanner ? PICK(r, scan_a) : PICK(r, home_a);
	/* one PRNG call per statement: argument evaluation order is unspecified */
	unsigned b = rrange(r, 1, 254);
	unsigned c = rrange(r, 0, 255);
	unsigned d = rrange(r, 1, 254);
	snprintf(dst, cap, "%u.%u.%u.%u", a, b, c, d);
}

static void make_guid(Rng *r, char *dst) /* 37 bytes */
{
	uint64_t hi = rnext(r), lo = rnext(r);
	*pguid(dst, hi, lo) = 0;
}

/* The IIS and HttpProxy forms of the user agents. */
void init_user_agents(Gen *g)
{
	for (int i = 0; i < UA_N; i++) {
		size_t n = strlen(UA_RAW[i]);
		char *a = xrealloc(NULL, n + 2), *b = xrealloc(NULL, n + 2);
		g->ua_mem[2 * i] = a;
		g->ua_mem[2 * i + 1] = b;
		for (size_t k = 0; k < n; k++) {
			a[k] = UA_RAW[i][k] == ' ' ? '+' : UA_RAW[i][k];
			b[k] = UA_RAW[i][k] == ',' ? ' ' : UA_RAW[i][k];
		}
		if (n == 0) {
			a[0] = '-';
			g->ua_iis[i] = (Str){a, 1};
		} else {
			g->ua_iis[i] = (Str){a, n};
		}
		g->ua_hp[i] = (Str){b, n};
	}
}

/* Seed-dependent population: users, their addresses, devices, mailboxes. */
void init_population(Gen *g, uint64_t seed)
{
	Rng r;
	rng_seed(&r, mix3(seed, 0x5eed, 1));
	unsigned s1 = rrange(&r, 1000000000u, 4000000000u);
	unsigned s2 = rrange(&r, 1000000000u, 4000000000u);
	unsigned s3 = rrange(&r, 100000000u, 999999999u);
	snprintf(g->domsid, sizeof g->domsid, "S-1-5-21-%u-%u-%u", s1, s2, s3);
	char hex[33];
	*phex(hex, rnext(&r), 16, HEXL) = 0;
	phex(hex + 16, rnext(&r), 16, HEXL);
	hex[32] = 0;
	snprintf(g->hm1, sizeof g->hm1, "HealthMailbox%s", hex);
	snprintf(g->hm1_dom, sizeof g->hm1_dom, "CONTOSO\\%s", g->hm1);
	snprintf(g->hm1_sid, sizeof g->hm1_sid, "%s-%u", g->domsid, rrange(&r, 1130, 1140));
	make_guid(&r, g->oab_guid);
	make_guid(&r, g->db_guid);
	snprintf(g->rps_ubudget, sizeof g->rps_ubudget,
	         "Owner:Sid~%s~PowerShell~false,Conn:1,MaxConn:18,MaxBurst:-1,Balance:-1,Cutoff:-1,"
	         "RechargeRate:-1,Policy:DefaultThrottlingPolicy_%08x,IsServiceAccount:False,LiveTime:00:00:00",
	         g->hm1_sid, (unsigned)(rnext(&r) & 0xffffffffu));

	bool used[40][40];
	memset(used, 0, sizeof used);
	bool ipused[64][256];
	memset(ipused, 0, sizeof ipused);
	for (int i = 0; i < NUSERS; i++) {
		User *u = &g->users[i];
		unsigned f, l;
		do {
			f = rbelow(&r, 40);
			l = rbelow(&r, 40);
		} while (used[f][l]);
		used[f][l] = true;
		if (i == 0)
			snprintf(u->sam, sizeof u->sam, "adm-%c%s", FIRST[f][0], LAST[l]);
		else
			snprintf(u->sam, sizeof u->sam, "%c%s", FIRST[f][0], LAST[l]);
		{
			/* a local copy: gcc's -Wrestrict cannot tell the members apart */
			char sam[sizeof u->sam];
			memcpy(sam, u->sam, sizeof sam);
			snprintf(u->dom, sizeof u->dom, "CONTOSO\\%s", sam);
			snprintf(u->upn, sizeof u->upn, "%s@contoso.com", sam);
		}
		unsigned c, d;
		do {
			c = rrange(&r, 2, 40);
			d = rrange(&r, 10, 250);
		} while (ipused[c][d]);
		ipused[c][d] = true;
		snprintf(u->ip, sizeof u->ip, "10.10.%u.%u", c, d);
		rand_public_ip(&r, u->home, sizeof u->home, false);
		rand_public_ip(&r, u->phone_ip, sizeof u->phone_ip, false);
		make_guid(&r, u->mbx);
		uint64_t dv = rnext(&r), dv2 = rnext(&r);
		*phex(phex(u->dev, dv, 16, HEXU), dv2, 16, HEXU) = 0;
		snprintf(u->sid, sizeof u->sid, "%s-%u", g->domsid, 1104 + (unsigned)i * 3 + rbelow(&r, 3));
		static const int browsers[] = {UA_CHROME, UA_CHROME, UA_EDGE, UA_EDGE, UA_FIREFOX, UA_SAFARI};
		u->browser = PICK(&r, browsers);
		u->phone = rpm(&r, 700);
		u->android = rpm(&r, 200);
		if (u->android)
			memcpy(u->dev, "androidc", 8);
		u->phone_ua = u->android ? UA_ANDROID : (rpm(&r, 600) ? UA_IPHONE : UA_IPHONE2);
		static const int ews[] = {UA_OUTLOOK, UA_OUTLOOK, UA_OUTLOOK, UA_EWSCLIENT, UA_MACMAIL, UA_ACCOUNTSD};
		u->ews_ua = PICK(&r, ews);
		u->owa_home = rpm(&r, 300);
	}
}

