/*
 * exgen internal header: the simulated environment's constants, the shared
 * types (Str, Rng, Out, Req, Sess; Host, the server; Plan and Step, what happens
 * to it; CStep and Campaign, a later campaign's table; Expect, the fleet
 * manifest's verdict; Gen), the inline appenders, PRNG draws and line writers
 * the hot paths use, and the prototypes of every function used across the files
 * of tools/exgen/.  All mutable state of a host is one Gen, made by main() (or by
 * fleet.c per host) and passed explicitly; no file keeps state of its own except
 * the date cache in fmt.c.  libc only: nothing from lib/.
 *
 * Files from the bottom layer up; a file calls only files on its own or a
 * lower line, never a higher one:
 *   err.c rng.c fmt.c          errors and allocation, PRNG seeding, formatting
 *   out.c users.c server.c     output files and records; the population; the
 *                              server's names, address and builds
 *   xlog.c                     the Exchange log header
 *   iis.c httpproxy.c ecp.c oab.c rpshttp.c   one log each
 *   req.c                      a request's defaults; writing it to every log
 *   rps.c benign.c attack.c proxyshell.c proxynotshell.c owassrf.c probes.c
 *                              PowerShell, benign traffic, the campaigns' steps
 *   day.c                      a day: events and requests in time order
 *   webroot.c collector.c damage.c manifest.c   files written after the days
 *   scenarios.c                a fleet host: identity, build, scenario, plan
 *   host.c                     one collection from start to manifest
 *   fleet.c                    --fleet: N hosts and the fleet manifest
 *   main.c                     command line
 */
#ifndef EXGEN_H
#define EXGEN_H

#define _POSIX_C_SOURCE 200809L

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Constants describing the simulated environment                            */
/* ------------------------------------------------------------------------ */

#define MS_HOUR 3600000LL
#define MS_DAY 86400000LL

/* The sample server (server.c); fleet hosts get names of their own. */
#define SRV_IP "10.10.1.5"
#define HOST_PUB "mail.contoso.com"
#define HOST_FQDN "exch01.contoso.local"
#define XROOT "C/Program Files/Microsoft/Exchange Server/V15/"
#define XROOT_WIN "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\"

/* The sample intrusion's names (the same in every seed); fleet hosts draw their own
 * (Plan).  The ProxyLogon table in attack.c writes them through tmpl(). */
#define SHELL1 "bZ4nQx7LkT2mWc9R" /* OAB web shell in owa/auth, 16 chars */
#define SHELL2 "Xq7hT2pL"         /* China Chopper in aspnet_client, 8 chars */
#define SHELL1_PW "klk123456"
#define SHELL2_PW "XcJ72hGd"
#define OABVD_GUID "982d48c8-8bfa-4b6b-b431-53fd7ea4e9b3"
#define ATK_CANARY                                                             \
	"RkVkaXJlY3RpbmdfQ2FuYXJ5X3Zhb_QwLXpKQ1lYb0dHN2lMcFpTd0FmM2tqTmZ1dWQ1Z3" \
	"c4Lw."
#define ACTOR_A "104.250.191.110"
#define ACTOR_B "139.162.202.236"
#define LSASS_PID "668"

#define NUSERS 30
#define LINE_RESERVE 16384 /* longest line any writer produces, with margin */
#define OUT_CAP (1u << 20) /* per-file write buffer */
#define MAX_DAYS 3650

/* Exchange protocols with HttpProxy log folders. */
enum { P_OWA, P_ECP, P_EWS, P_MAPI, P_AUTOD, P_EAS, P_PS, P_RPC, P_OAB, P_N };

/* Kinds of files written, for the manifest and the --target-bytes test (K_RPSH, the
 * Rps_Http log, only in fleet hosts). */
enum { K_IIS1, K_IIS2, K_HP, K_ECP, K_OAB, K_RPS, K_OTHER, K_RPSH, K_N };

enum { L_TREE, L_KAPE, L_VELO };
enum { ONLY_ALL, ONLY_IIS, ONLY_HP };
/* Option names, in the order of the enums above, NULL-terminated (manifest.c). */
extern const char *const LAYOUT[];
extern const char *const ONLY[];

enum {
	UA_NONE,
	UA_OUTLOOK,
	UA_EWSCLIENT,
	UA_MACMAIL,
	UA_ACCOUNTSD,
	UA_CHROME,
	UA_EDGE,
	UA_FIREFOX,
	UA_SAFARI,
	UA_IPHONE,
	UA_IPHONE2,
	UA_ANDROID,
	UA_AMPROBE,
	UA_WINRM,
	UA_MSRPC,
	UA_ZGRAB,
	UA_CENSYS,
	UA_CURL,
	UA_GO,
	UA_NMAP,
	UA_OLDFF,
	UA_BAIDU,
	UA_ESC0,
	UA_PYREQ,
	UA_ANTSWORD,
	UA_FF68,
	UA_PYREQ26, /* from here on: only in the fleet's campaigns */
	UA_PSRP,
	UA_CHROME92,
	UA_CHROME105,
	UA_PYREQ28,
	UA_NESSUS,
	UA_N
};

/* Human traffic comes in sessions: one user, one client, a burst of requests
 * a few seconds apart (an OWA logon flow, Outlook's MAPI Connect/Execute runs,
 * an EWS sync).  Session types; their shares and lengths are in benign.c. */
enum {
	T_MAPI,
	T_NSPI,
	T_EWS,
	T_OWA,
	T_EAS,
	T_AUTOD,
	T_OAB,
	T_ECP_USER,
	T_ECP_ADMIN,
	T_RPC,
	T_PS_ADMIN,
	T_NHUMAN
};

/* ------------------------------------------------------------------------ */
/* Small string helpers (fmt.c)                                              */
/* ------------------------------------------------------------------------ */

typedef struct {
	const char *s;
	size_t n;
} Str;

#define SL(lit) ((Str){(lit), sizeof(lit) - 1})
#define S0 ((Str){"", 0})

static inline Str sz(const char *s) { return (Str){s, strlen(s)}; }

/* Appenders: each writes at p and returns the new end.  Callers reserve
 * LINE_RESERVE bytes up front, so none of them checks capacity. */
static inline char *ps(char *p, Str s)
{
	memcpy(p, s.s, s.n);
	return p + s.n;
}
static inline char *pz(char *p, const char *s) { return ps(p, sz(s)); }
#define PL(p, lit) ps((p), SL(lit))

extern const char D2[201]; /* "00".."99" */
extern const char HEXL[], HEXU[];

static inline char *p2(char *p, unsigned v)
{
	memcpy(p, D2 + 2 * v, 2);
	return p + 2;
}
static inline char *p3(char *p, unsigned v)
{
	*p++ = (char)('0' + v / 100);
	return p2(p, v % 100);
}
static inline char *p4(char *p, unsigned v)
{
	p = p2(p, v / 100);
	return p2(p, v % 100);
}
/* Decimal, no padding. */
static inline char *pu(char *p, uint64_t v)
{
	char t[24];
	int n = 0;
	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = t[--n];
	return p;
}
char *phex(char *p, uint64_t v, int digits, const char *alpha);
char *pguid_a(char *p, uint64_t hi, uint64_t lo, const char *alpha);
static inline char *pguid(char *p, uint64_t hi, uint64_t lo) { return pguid_a(p, hi, lo, HEXL); }
char *csv_field(char *p, Str s);
char *csv_join(char *p, const Str *v, int n);
Str bcat(char *buf, size_t cap, int n, const Str *parts);
#define BCAT(buf, ...) bcat((buf), sizeof(buf), (int)(sizeof((Str[]){__VA_ARGS__}) / sizeof(Str)), (Str[]){__VA_ARGS__})

/* Calendar (proleptic Gregorian, days since 1970-01-01) */
int64_t days_from_civil(int y, unsigned m, unsigned d);
void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d);
int64_t ms_at(int y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s, unsigned ms);
char *p_iisdt(char *p, int64_t t); /* IIS "YYYY-MM-DD HH:MM:SS" */
char *p_iso(char *p, int64_t t);   /* Exchange "YYYY-MM-DDTHH:MM:SS.mmmZ" */
void fmt_compact(char *dst, size_t cap, int64_t day, bool two_digit_year);
void hour_name(char *dst, size_t cap, int64_t hour_start);

/* Small arena for numbers and composed values within one line. */
typedef struct {
	char *p;
} Arena;
static inline Str a_u(Arena *a, uint64_t v)
{
	char *s = a->p;
	a->p = pu(s, v);
	return (Str){s, (size_t)(a->p - s)};
}
static inline Str a_iso(Arena *a, int64_t t)
{
	char *s = a->p;
	a->p = p_iso(s, t);
	return (Str){s, (size_t)(a->p - s)};
}

/* ------------------------------------------------------------------------ */
/* PRNG: xoshiro256** seeded through splitmix64 (rng.c)                      */
/* ------------------------------------------------------------------------ */

typedef struct {
	uint64_t s[4];
} Rng;

uint64_t mix3(uint64_t a, uint64_t b, uint64_t c);
void rng_seed(Rng *r, uint64_t seed);
static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
static inline uint64_t rnext(Rng *r)
{
	uint64_t *s = r->s;
	uint64_t res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}
/* Uniform in [0, n) (multiply-shift; the bias is irrelevant here). */
static inline uint32_t rbelow(Rng *r, uint32_t n) { return (uint32_t)(((rnext(r) >> 32) * n) >> 32); }
static inline uint32_t rrange(Rng *r, uint32_t lo, uint32_t hi) { return lo + rbelow(r, hi - lo + 1); }
static inline bool rpm(Rng *r, uint32_t permille) { return rbelow(r, 1000) < permille; }
#define PICK(r, arr) ((arr)[rbelow((r), (uint32_t)(sizeof(arr) / sizeof((arr)[0])))])

/* ------------------------------------------------------------------------ */
/* Errors (err.c)                                                            */
/* ------------------------------------------------------------------------ */

_Noreturn void die_usage(const char *msg, const char *arg);
_Noreturn void die_io(const char *what, const char *path);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* ------------------------------------------------------------------------ */
/* Shared types                                                              */
/* ------------------------------------------------------------------------ */

/* A file written: the manifest's entry, the --target-bytes count. */
typedef struct {
	char *path; /* relative to OUTDIR, as on disk */
	int kind;
	uint64_t bytes, data, hdr;
	int64_t first, last; /* epoch ms of first / last data line, -1 if none */
	int64_t mtime;       /* epoch ms set as the file's modification time, -1 if left alone */
} FileRec;

/* An open log file and its write buffer. */
typedef struct {
	FILE *f;
	char *buf;
	size_t n;
	int rec;          /* index into Gen.recs while open, else -1 */
	const char *path; /* its path, for error messages */
} Out;

/* A line of the attack timeline: the event and where its line is (1-based). */
typedef struct {
	int64_t t;
	const char *stage, *desc, *actor;
	int rec;
	uint64_t line;
} TlEntry;

/* The attack event being written: each data line it writes goes to the timeline. */
typedef struct {
	const char *stage, *desc, *actor;
} Event;

/* A user of the seed's population. */
typedef struct {
	char sam[24], dom[40], upn[48], ip[16], home[16], phone_ip[16], mbx[40], dev[36], sid[64];
	int browser, phone_ua, ews_ua;
	bool phone, android, owa_home;
} User;

/* Session-level facts shared by all its requests. */
typedef struct {
	uint64_t seed;
	uint16_t type, user, len;
	bool bg, flag; /* flag: OWA session starts with a logon / from home */
} Sess;

/* A request and what each log writes of it. */
typedef struct {
	int64_t t, t_chal; /* completion time of the request (and of its 401 challenge) */
	const char *method;
	Str stem, query, iis_user, cip, referer, sip, host;
	int ua, proto, port;
	bool proxied, backend, chal, ecp, local;
	int status, substatus;
	uint32_t win32, tt, chal_tt, req_bytes, resp_bytes;
	uint64_t rid_hi, rid_lo, aux;
	Str be_user, be_stem;
	/* HttpProxy */
	Str hp_user, authtype, anchor, rhint, rtype, action, errcode, generr, creqid, target, cookie_srv, dbguid;
	bool isauth;
	int be_status; /* 0 = empty */
	/* ECP Server log */
	Str ecp_cmd, ecp_url;
	/* scratch storage the Strs above point into */
	char b_query[768], b_stem[256], b_anchor[384], b_creq[80], b_ecp[768], b_url[512], b_cip[20], b_target[384];
} Req;

/* A file the intrusion left, for the manifest. */
typedef struct {
	int rec;
	int64_t t;
	const char *stage, *desc, *rule; /* rule: the exhunt check expected to name it */
} Planted;

/* An Exchange build as the logs write it (server.c). */
typedef struct {
	unsigned major, minor, cu, rev;  /* 15, 1, 2176, 2 */
	char lng[20];                    /* "15.01.2176.002": #Version headers */
	char dotted[20];                 /* "15.1.2176.2": ECP S:BLD, OWA paths */
	char s_major[4], s_minor[4], s_cu[8], s_rev[8]; /* HttpProxy and Rps version columns */
	char ps_anchor[64];              /* "ServerVersion~Version 15.1 (Build 2176.2)" */
	char ps_query[192];              /* the admin shell's query with ExchClientVer */
} Build;

/* The server: names, address, builds before and after its security update, and the
 * strings derived from them (server.c).  Str members point into the arrays. */
typedef struct {
	char name[24], fqdn[80], pub[80], ip[16], machine[48];
	char logon_q[192], ref_logon[320], ref_owa[128], ref_ecp[128], ref_rules[192];
	Str s_name, s_fqdn, s_pub, s_ip, s_machine, s_logon_q, s_ref_logon, s_ref_owa, s_ref_ecp, s_ref_rules;
	Build b[2];               /* [0] before the update, [1] after it (a copy of [0] if none) */
	unsigned cu_rev;          /* the CU's own revision (AdminDisplayVersion, logon.css folder) */
	const char *product, *cu_name;
	int64_t patch_at;         /* the update's time, -1 if never */
	int64_t cu_time;          /* when the CU's files were written (logon.css) */
} Host;

/* Campaigns that write steps (the row of attack.c) and the patch. */
enum { CAMP_PL, CAMP_PS, CAMP_PNS, CAMP_OW, CAMP_PROBE, CAMP_PATCH, CAMP_N };

/* A step of a host's plan: at t, row idx of campaign camp's table, by actor. */
typedef struct {
	int64_t t;
	uint8_t camp, idx, actor, arg;
} Step;

/* What happens to a host besides benign traffic: the steps in time order and the
 * names they use.  The sample server's plan is the ProxyLogon table as it is. */
typedef struct {
	Step *steps;
	size_t n, cap;
	char actor[6][16];          /* [0] exploits, [1] second actor / shell user, [2..] probers */
	char sh1[24], sh2[24], pw1[16], pw2[16]; /* ProxyLogon: OAB shell in owa\auth, China Chopper */
	char shell[48], shell_pw[16];             /* the 2021-08 .. 2022-12 campaigns' page */
	int shell_dir;              /* SD_* below: where that page is */
	char atdom[24];             /* the "@x.com" of the Autodiscover path confusion */
	char cat[160];              /* ProxyShell X-Rps-CAT token */
	char subject[16];           /* ProxyShell: subject of the mail exported as the page */
	int victim;                 /* user whose password the 2022 campaigns hold */
	int64_t pl_shift;           /* added to the ProxyLogon table's 2021 times */
	int64_t shell_t;            /* when the page was written, -1 if none */
	bool pl_files;              /* the ProxyLogon files (OAB dump, China Chopper, dump, archive) */
	bool pns_mitigation;        /* wwwroot/web.config has the ProxyNotShell URL Rewrite rule */
	int64_t mitigated_at;       /* when it was written */
	char patch_desc[96];        /* the update's timeline text */
	char when[32];              /* WhenChanged of the OAB dump ({WHEN}) */
	bool shell_pst;             /* the page is a mailbox export (PST header) */
	const char *shell_desc, *shell_rule; /* for the manifest */
} Plan;
enum { SD_ASPNET, SD_ASPNET_SYS, SD_OWAAUTH };

/* A row of a later campaign's table (proxyshell.c, proxynotshell.c, owassrf.c,
 * probes.c): one request and the lines it leaves; attack.c writes it. */
typedef struct {
	uint32_t off;                /* seconds after the campaign's base time */
	uint8_t actor, ua, proto;    /* Plan.actor index; UA_*; P_* of its HttpProxy log, P_N: none */
	uint8_t flags;               /* CS_* */
	uint16_t status, tt;         /* the front end's answer and time taken (ms) */
	const char *method, *stem, *query;      /* tmpl() text */
	const char *be_stem, *be_query;         /* the back end's request, NULL: not proxied there */
	const char *cmdlet, *params;            /* the Rps_Cmdlet line it caused, or NULL */
	const char *stage, *desc;
} CStep;
/* A request to the page a campaign wrote: straight to IIS, answered 200. */
#define CS_PAGE(off_, act_, ua_, m_, stem_, tt_, stage_, desc_)                                             \
	{(off_), (act_), (ua_), P_N, 0, 200, (tt_), (m_), (stem_), NULL, NULL, NULL, NULL, NULL, (stage_), (desc_)}
enum {
	CS_AUTH = 1,     /* sent with the victim's password (cs-username, AuthenticatedUser) */
	CS_BE_ADMIN = 2, /* the back end runs it as the administrator (X-Rps-CAT) */
	CS_FIRST = 4,    /* the campaign's first successful exploitation */
	CS_SHELL = 8,    /* the page is written 20 s after it */
	CS_RPSH = 16,    /* a remote PowerShell request: Rps_Http line */
	CS_ANCHOR = 32,  /* query is HttpProxy's AnchorMailbox (a ProxyLogon SSRF), not the URL's */
};

/* What the fleet manifest says a correct tool concludes about the host (scenarios.c
 * sets it; manifest.c adds what follows from the lines written). */
typedef struct {
	const char *scenario, *verdict, *variant;
	int64_t first;              /* first successful exploitation or page write, -1 if none */
	unsigned camps;             /* bits: 1 << CAMP_PL .. CAMP_OW */
	bool limited;
	char unreadable[512];       /* folder below the host's folder, "" if none */
	char corrupt[512];          /* file below the host's folder, "" if none */
	const char *damage;         /* how it is damaged */
	uint64_t damage_at;         /* byte offset of the damage */
	uint64_t intact_lines;      /* data lines before it */
	int corrupt_rec;            /* its record, -1 */
} Expect;

/* Everything that changes while exgen runs: the options, the tables made at
 * start-up, the state of the generation and what was written. */
typedef struct {
	/* options */
	uint64_t seed, rate, target;
	int64_t start_day;
	uint32_t days;
	bool target_set, force;
	int only, layout;
	const char *outdir, *manifest;
	bool want_iis, want_hp, want_misc;
	/* made at start-up */
	Str ua_iis[UA_N], ua_hp[UA_N]; /* IIS form (spaces as '+', empty as '-'), HttpProxy form (commas as spaces) */
	char *ua_mem[2 * UA_N];        /* what they point to, for host_end */
	User users[NUSERS];
	char hm1[64], hm1_dom[80], hm1_sid[64]; /* health mailbox */
	char domsid[48];                        /* S-1-5-21-a-b-c */
	char oab_guid[40], db_guid[40];
	char rps_ubudget[256];
	uint32_t human_cum[T_NHUMAN];  /* cumulative session type weights */
	uint64_t mean_sess_milli;      /* mean session length x 1000 */
	int64_t fields_day;            /* absolute day of the #Fields change */
	/* the server, its plan, the fleet's extras */
	Host h;
	Plan plan;
	Expect exp;
	bool fleet;      /* a fleet host: Rps_Http log, client_info.json */
	bool want_rpsh;
	bool no_logs;    /* the collection holds no logs (scenario not-collected) */
	const char *folder; /* the host's folder name below the fleet's OUTDIR */
	/* generation state */
	bool patched;
	int iis1_fields; /* 0 standard, 1 extended */
	int hp_gen;      /* HttpProxy/Rps file generation suffix for this hour */
	int64_t day, hour_start, last_t;
	uint32_t days_done;
	Out o_iis1, o_iis2, o_ecp, o_oab, o_rps, o_rpsh, o_hp[P_N];
	FileRec *recs;
	size_t nrecs, caprecs;
	uint64_t kbytes[K_N];
	TlEntry *tl;
	size_t ntl, captl;
	const Event *cur; /* attack event being written, for the timeline */
	char lastdir[4096];
	uint64_t *keys, *keys2; /* this hour's requests, see sort_keys */
	size_t kcap;
	Sess *sess; /* this hour's sessions */
	size_t scap;
	Planted files[16];
	size_t nfiles;
} Gen;

/* ------------------------------------------------------------------------ */
/* Output files (out.c)                                                      */
/* ------------------------------------------------------------------------ */

void disk_rel(const Gen *g, char *dst, size_t cap, const char *logical);
void full_path(const Gen *g, char *dst, size_t cap, const char *rel);
void mkdirs_for(Gen *g, const char *path, bool include_last);
void out_open(Gen *g, Out *o, const char *logical, int kind);
void out_flush(Out *o);
void out_close(Out *o);
void out_raw(Gen *g, Out *o, const char *s, size_t n);
void out_hline(Gen *g, Out *o, Str s, int64_t t);
void put_file(const char *full, const void *data, size_t n);
int write_whole(Gen *g, const char *logical_or_rel, bool is_logical, const void *data, size_t n);
int write_text(Gen *g, const char *logical, const char *text);
void stamp(Gen *g, int rec, int64_t ms);
void tl_push(Gen *g, int rec, uint64_t line, int64_t t);

/* Start a line: room for LINE_RESERVE bytes. */
static inline char *ob(Out *o)
{
	if (o->n + LINE_RESERVE > OUT_CAP)
		out_flush(o);
	return o->buf + o->n;
}
/* Finish a line ending at p: data lines carry their timestamp. */
static inline void oe(Gen *g, Out *o, char *p, bool data, int64_t t)
{
	size_t len = (size_t)(p - (o->buf + o->n));
	o->n += len;
	FileRec *r = &g->recs[o->rec];
	r->bytes += len;
	g->kbytes[r->kind] += len;
	if (data) {
		r->data++;
		if (r->first < 0)
			r->first = t;
		r->last = t;
		if (g->cur)
			tl_push(g, o->rec, r->data + r->hdr, t);
	} else {
		r->hdr++;
	}
}

/* ------------------------------------------------------------------------ */
/* The population (users.c), the logs, requests, traffic and the rest        */
/* ------------------------------------------------------------------------ */

void init_user_agents(Gen *g);
void init_population(Gen *g, uint64_t seed);
void rand_public_ip(Rng *r, char *dst, size_t cap, bool scanner);

/* server.c: the server's identity and builds; the plan's steps; name templates */
void build_set(Build *b, unsigned major, unsigned minor, unsigned cu, unsigned rev);
void host_default(Host *h);
void host_finish(Host *h);
void plan_add(Plan *p, int64_t t, int camp, int idx, int actor, int arg);
void plan_sort(Plan *p);
Str tmpl(const Gen *g, char *dst, size_t cap, const char *t);
void shell_path(const Gen *g, char *path, size_t pcap, char *url, size_t ucap);
/* The build running now. */
static inline const Build *bld(const Gen *g) { return &g->h.b[g->patched ? 1 : 0]; }

/* xlog.c */
void xlog_header(Gen *g, Out *o, int64_t t, const char *version, const char *logtype, Str fields);
const char *ver_dotted(const Gen *g);

/* iis.c */
void iis_header(Gen *g, Out *o, int64_t t, int fields);
Out *iis_out(Gen *g, bool backend, int64_t t);
void write_iis(Gen *g, const Req *q, bool be, bool chal);
void restart_iis(Gen *g, int64_t t, int fields);

/* httpproxy.c, ecp.c, oab.c, rpshttp.c */
void write_hp(Gen *g, const Req *q, bool chal);
void write_ecp(Gen *g, const Req *q);
void write_oab(Gen *g, int64_t t, const char *level, Str msg);
void oab_run(Gen *g, int64_t t, Rng *r);
void write_rpsh(Gen *g, const Req *q, Str user, Str client_info);

/* req.c */
void req_init(const Gen *g, Req *q, Rng *r, int64_t t);
void emit_req(Gen *g, Req *q);

/* rps.c */
void rps_event(Gen *g, int64_t t, Rng *r, bool admin, int arg);
void rps_cmdlet(Gen *g, int64_t t, Rng *r, const char *cmdlet, Str params, Str user, Str sid);

/* benign.c */
void benign_init(Gen *g);
unsigned sess_human(const Gen *g, Rng *r, Sess *se);
uint32_t sess_gap(Rng *r, const Sess *se);
void gen_human(const Gen *g, Req *q, Rng *r, const Sess *s, unsigned seq);
void gen_background(const Gen *g, Req *q, Rng *r);

/* attack.c: the ProxyLogon table (arg 0) and the later use of its shells (arg 1), the update */
int64_t pl_plan(Gen *g, int64_t shift, bool with_patch);
void pl_plan_late(Gen *g, int64_t from, int actor);
int64_t pl_time(const Gen *g, int idx); /* when row idx of the table happens for this host */
void pl_emit(Gen *g, const Step *s);
void emit_patch(Gen *g, int64_t t);
void attack_req(const Gen *g, Req *q, const Step *s, int64_t t);
/* The page a campaign writes: where, what (a mailbox export or China Chopper), for the manifest. */
typedef struct {
	int dir;
	bool pst;
	const char *desc, *rule;
} Page;
/* A campaign's table and the page it writes (page.desc NULL: none). */
typedef struct {
	const CStep *tab;
	int n;
	Page page;
} Campaign;
int64_t cstep_plan(Gen *g, const Campaign *c, int camp, int64_t base, int arg);
void cstep_emit(Gen *g, const Campaign *c, const Step *s);

/* proxyshell.c, proxynotshell.c, owassrf.c: a table each (cstep_plan adds its steps and
 * returns the time of the first successful exploitation); probes.c: refused attempts
 * and scans, one table per variant */
extern const Campaign CAMPAIGN_PS, CAMPAIGN_PNS, CAMPAIGN_OW;
void ps_cat(Gen *g);
enum { PR_PL, PR_PS, PR_PNS, PR_SCAN, PR_N };
extern const Campaign PROBES[PR_N];
void probe_plan(Gen *g, int variant, int64_t base, int64_t span_days);

/* day.c, webroot.c, collector.c, damage.c, manifest.c */
void gen_day(Gen *g, int64_t day);
void write_webroot(Gen *g);
void write_collector_files(Gen *g);
void damage_file(Gen *g, int rec, bool gzip_member);
void write_manifest(const Gen *g);
void manifest_host(FILE *f, const Gen *g, const char *ind);
void json_str(FILE *f, const char *s);
void json_time(FILE *f, int64_t t);

/* scenarios.c, host.c, fleet.c */
void scen_single(Gen *g);
enum {
	SC_PROXYLOGON,
	SC_PROXYSHELL,
	SC_PROXYNOTSHELL,
	SC_OWASSRF,
	SC_ATTEMPTED,
	SC_CLEAN,
	SC_UNREADABLE,
	SC_CORRUPT,
	SC_LIMITED,
	SC_LATE_PATCH,
	SC_SCANNED,
	SC_NOT_COLLECTED,
	SC_N
};
extern const char *const SCENARIO[SC_N];
void scen_fleet_host(Gen *g, uint64_t fleet_seed, int index, const char *name, int scenario, int layout, uint32_t days);
void host_begin(Gen *g);
int host_run(Gen *g);
void host_end(Gen *g);
int fleet_run(uint64_t seed, uint32_t n, uint32_t days, uint64_t rate, const char *outdir, const char *manifest);

#endif
