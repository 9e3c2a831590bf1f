/*
 * Common helpers: allocation wrappers (one place to add fault injection), the bounded
 * buffer every writer and reader uses, byte-view comparisons, UTC calendar arithmetic
 * and the status/error table. Depends on nothing else in the library.
 */
#include "common/base.h"

#include <stdatomic.h>
#include <stdio.h>
#include <dirent.h>
#include <stdlib.h>
#include <strings.h>

/* ---- status ------------------------------------------------------------------------ */

static const char *const status_text[XH_STATUS_END] = {
	[XH_OK] = "ok",
	[XH_ENOMEM] = "out of memory",
	[XH_EIO] = "input/output error",
	[XH_EFORMAT] = "malformed input",
	[XH_ELIMIT] = "limit reached",
	[XH_EARG] = "invalid argument",
	[XH_ENOTFOUND] = "not found",
	[XH_EARCHIVE] = "archive error",
	[XH_ENOEVIDENCE] = "no evidence could be read",
	[XH_EABORT] = "aborted",
	[XH_ESYSTEM] = "the system refused a resource (thread, temp file or output)",
};

const char *xh_strerror(xh_status st)
{
	if ((unsigned)st >= XH_STATUS_END || !status_text[st])
		return "unknown status";
	return status_text[st];
}

xh_status xh_fail(struct xh_error *e, xh_status st, const char *path, uint64_t line, uint64_t offset,
                  const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return st;
	snprintf(e->path, sizeof e->path, "%s", path ? path : "");
	e->line = line;
	e->offset = offset;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return st;
}

/* ---- allocation -------------------------------------------------------------------- */

#ifdef XH_FAULT_INJECTION
/* Test builds: xh_debug_fail_alloc(n) makes the n-th allocation from now on fail
 * (0 = the next one), once, so a test can walk every allocation of a run and check
 * that each failure becomes a clean error, never a crash or a leak. */
static atomic_long fail_countdown = -1;

void xh_debug_fail_alloc(long n);
void xh_debug_fail_alloc(long n)
{
	atomic_store(&fail_countdown, n);
}

/* True while the failure asked for has not happened yet. */
bool xh_debug_fail_pending(void);
bool xh_debug_fail_pending(void)
{
	return atomic_load(&fail_countdown) >= 0;
}

static bool fail_now(void)
{
	return atomic_load(&fail_countdown) >= 0 && atomic_fetch_sub(&fail_countdown, 1) == 0;
}
#else
static bool fail_now(void)
{
	return false;
}
#endif

void *xh_malloc(size_t n)
{
	return fail_now() ? NULL : malloc(n ? n : 1);
}

void *xh_calloc(size_t n, size_t size)
{
	return fail_now() ? NULL : calloc(n ? n : 1, size ? size : 1);
}

void *xh_realloc(void *p, size_t n)
{
	return fail_now() ? NULL : realloc(p, n ? n : 1);
}

xh_status xh_grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t nc = *cap ? *cap : 16;
	void *np;

	if (need <= *cap)
		return XH_OK;
	while (nc < need) {
		if (nc > SIZE_MAX / 2)
			return XH_ENOMEM;
		nc *= 2;
	}
	if (size && nc > SIZE_MAX / size)
		return XH_ENOMEM;
	np = xh_realloc(*p, nc * size);
	if (!np)
		return XH_ENOMEM;
	*p = np;
	*cap = nc;
	return XH_OK;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

xh_status xh_dir_names(const char *dir, char ***out, size_t *nout)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	xh_status st = XH_OK;

	*out = NULL;
	*nout = 0;
	if (!d)
		return XH_EIO;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((st = xh_grow((void **)&names, &cap, n + 1, sizeof *names)) != XH_OK)
			break;
		if (!(names[n] = xh_strdup(de->d_name))) {
			st = XH_ENOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (st) {
		xh_dir_names_free(names, n);
		return st;
	}
	if (n > 1)
		qsort(names, n, sizeof *names, cmp_name);
	*out = names;
	*nout = n;
	return XH_OK;
}

void xh_dir_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		xh_free(names[i]);
	xh_free(names);
}

char *xh_strndup(const char *s, size_t n)
{
	char *d = xh_malloc(n + 1);

	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *xh_strdup(const char *s)
{
	return xh_strndup(s, strlen(s));
}

void xh_free(void *p)
{
	free(p);
}

/* ---- buffer ------------------------------------------------------------------------ */

void xh_buf_init(struct xh_buf *b, size_t max)
{
	b->p = NULL;
	b->len = b->cap = 0;
	b->max = max;
}

void xh_buf_free(struct xh_buf *b)
{
	xh_free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

xh_status xh_buf_reserve(struct xh_buf *b, size_t extra)
{
	size_t want, ncap;
	char *np;

	if (extra > b->max || b->len > b->max - extra)
		return XH_ELIMIT;
	want = b->len + extra;
	if (want <= b->cap)
		return XH_OK;
	ncap = b->cap ? b->cap : 256;
	while (ncap < want)
		ncap = ncap > SIZE_MAX / 2 ? want : ncap * 2;
	if (ncap > b->max)
		ncap = b->max;
	np = xh_realloc(b->p, ncap);
	if (!np)
		return XH_ENOMEM;
	b->p = np;
	b->cap = ncap;
	return XH_OK;
}

xh_status xh_buf_add(struct xh_buf *b, const void *p, size_t n)
{
	xh_status st;

	if (n == 0)
		return XH_OK;
	if (b->cap - b->len < n) {
		st = xh_buf_reserve(b, n);
		if (st)
			return st;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	return XH_OK;
}

xh_status xh_buf_addc(struct xh_buf *b, char c)
{
	if (b->len == b->cap) {
		xh_status st = xh_buf_reserve(b, 1);
		if (st)
			return st;
	}
	b->p[b->len++] = c;
	return XH_OK;
}

xh_status xh_buf_adds(struct xh_buf *b, const char *s)
{
	return xh_buf_add(b, s, strlen(s));
}

xh_status xh_buf_addu(struct xh_buf *b, uint64_t v)
{
	char tmp[24];
	size_t i = sizeof tmp;

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return xh_buf_add(b, tmp + i, sizeof tmp - i);
}

xh_status xh_buf_printf(struct xh_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	xh_status st;

	/* one pass when it fits in the room left, which is nearly always */
	if (b->cap - b->len > 1) {
		va_start(ap, fmt);
		n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0)
			return XH_EARG;
		if ((size_t)n < b->cap - b->len) { /* cap never exceeds max */
			b->len += (size_t)n;
			return XH_OK;
		}
	} else {
		va_start(ap, fmt);
		n = vsnprintf(NULL, 0, fmt, ap);
		va_end(ap);
		if (n < 0)
			return XH_EARG;
	}
	st = xh_buf_reserve(b, (size_t)n + 1);
	if (st)
		return st;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return XH_OK;
}

/* ---- views ------------------------------------------------------------------------- */

bool xh_sv_ieq(struct xh_sv a, const char *lit)
{
	size_t n = strlen(lit);
	return a.p && a.n == n && strncasecmp(a.p, lit, n) == 0;
}

bool xh_sv_istarts(struct xh_sv a, const char *lit)
{
	size_t n = strlen(lit);
	return a.p && a.n >= n && strncasecmp(a.p, lit, n) == 0;
}

struct xh_sv xh_sv_trim(struct xh_sv a)
{
	while (a.n && (a.p[0] == ' ' || a.p[0] == '\t')) {
		a.p++;
		a.n--;
	}
	while (a.n && (a.p[a.n - 1] == ' ' || a.p[a.n - 1] == '\t' || a.p[a.n - 1] == '\r'))
		a.n--;
	return a;
}

bool xh_sv_u64(struct xh_sv a, unsigned maxdigits, uint64_t *out)
{
	uint64_t v = 0;

	if (!a.p || a.n == 0 || a.n > maxdigits || maxdigits > 19)
		return false;
	for (size_t i = 0; i < a.n; i++) {
		if (a.p[i] < '0' || a.p[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(a.p[i] - '0');
	}
	*out = v;
	return true;
}

/* ---- time -------------------------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
int64_t xh_days_from_civil(int y, unsigned m, unsigned d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	unsigned yoe = (unsigned)(yy - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static bool digits(const char *p, size_t n, unsigned *out)
{
	unsigned v = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		v = v * 10 + (unsigned)(p[i] - '0');
	}
	*out = v;
	return true;
}

static unsigned days_in_month(unsigned y, unsigned m)
{
	static const unsigned char dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dim[m - 1];
}

size_t xh_parse_iso(const char *p, size_t n, int64_t *ms)
{
	unsigned y, mo, d, h, mi, s, frac = 0;
	size_t i = 19;

	/* 2021-03-03T06:49:42.162Z  or  2021-03-03 06:49:42 */
	if (n < 19 || p[4] != '-' || p[7] != '-' || (p[10] != 'T' && p[10] != ' ') || p[13] != ':' ||
	    p[16] != ':')
		return 0;
	if (!digits(p, 4, &y) || !digits(p + 5, 2, &mo) || !digits(p + 8, 2, &d) || !digits(p + 11, 2, &h) ||
	    !digits(p + 14, 2, &mi) || !digits(p + 17, 2, &s))
		return 0;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 60)
		return 0;
	if (i < n && p[i] == '.') {
		unsigned scale = 100;
		i++;
		while (i < n && p[i] >= '0' && p[i] <= '9') {
			frac += (unsigned)(p[i] - '0') * scale;
			scale /= 10;
			i++;
		}
	}
	if (i < n && p[i] == 'Z')
		i++;
	*ms = ((xh_days_from_civil((int)y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * 1000) + frac;
	return i;
}

void xh_time_format(int64_t ms, char *buf, size_t cap)
{
	int64_t secs, days, z, era;
	unsigned doe, yoe, doy, mp, d, m, sod, msr;
	int64_t y;

	if (ms == XH_TIME_NONE) {
		snprintf(buf, cap, "-");
		return;
	}
	secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
	msr = (unsigned)(ms - secs * 1000);
	days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
	sod = (unsigned)(secs - days * 86400);
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += (m <= 2);
	snprintf(buf, cap, "%04lld-%02u-%02uT%02u:%02u:%02u.%03uZ", (long long)y, m, d, sod / 3600,
	         sod / 60 % 60, sod % 60, msr);
}

bool xh_time_parse(const char *s, int64_t *out_ms)
{
	size_t n = strlen(s), used;
	unsigned y, mo, d;

	if (n == 10) {
		if (s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) || !digits(s + 5, 2, &mo) ||
		    !digits(s + 8, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
			return false;
		*out_ms = xh_days_from_civil((int)y, mo, d) * 86400000;
		return true;
	}
	if (n == 16) { /* YYYY-MM-DDTHH:MM */
		char tmp[20];
		memcpy(tmp, s, 16);
		memcpy(tmp + 16, ":00", 3);
		return xh_parse_iso(tmp, 19, out_ms) == 19;
	}
	used = xh_parse_iso(s, n, out_ms);
	return used != 0 && used == n;
}

/* ---- levels ------------------------------------------------------------------------ */

static const char *const level_names[XH_LEVEL_COUNT] = {"informational", "low", "medium", "high",
                                                        "critical"};

const char *xh_level_name(enum xh_level l)
{
	return (unsigned)l < XH_LEVEL_COUNT ? level_names[l] : "unknown";
}

bool xh_level_parse(const char *s, enum xh_level *out)
{
	for (unsigned i = 0; i < XH_LEVEL_COUNT; i++) {
		if (strcasecmp(s, level_names[i]) == 0) {
			*out = (enum xh_level)i;
			return true;
		}
	}
	if (strcasecmp(s, "info") == 0) {
		*out = XH_LEVEL_INFORMATIONAL;
		return true;
	}
	return false;
}
