/*
 * exgen: text formatting, the bottom layer (calls only libc).  Appenders that
 * write numbers, GUIDs and CSV fields at a pointer and return the new end, and
 * the calendar: proleptic Gregorian days since 1970 and the timestamp forms the
 * logs use.  The inline appenders (ps, p2, ...) are in exgen.h.
 */
#include "exgen.h"

#include <stdio.h>

/* "00".."99", for p2 */
const char D2[201] =
	"00010203040506070809"
	"10111213141516171819"
	"20212223242526272829"
	"30313233343536373839"
	"40414243444546474849"
	"50515253545556575859"
	"60616263646566676869"
	"70717273747576777879"
	"80818283848586878889"
	"90919293949596979899";
const char HEXL[] = "0123456789abcdef";
const char HEXU[] = "0123456789ABCDEF";

char *phex(char *p, uint64_t v, int digits, const char *alpha)
{
	for (int i = digits - 1; i >= 0; i--)
		p[digits - 1 - i] = alpha[(v >> (4 * i)) & 15];
	return p + digits;
}

/* Random v4-looking GUID, 8-4-4-4-12 lower case. */
char *pguid_a(char *p, uint64_t hi, uint64_t lo, const char *alpha)
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

/* CSV field: quoted with "" doubling when it holds a comma, quote or line break. */
char *csv_field(char *p, Str s)
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
char *csv_join(char *p, const Str *v, int n)
{
	for (int i = 0; i < n; i++) {
		if (i)
			*p++ = ',';
		p = csv_field(p, v[i]);
	}
	return p;
}


/* Build a Str in a caller's buffer from pieces (see BCAT). */
Str bcat(char *buf, size_t cap, int n, const Str *parts)
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

/* Calendar (proleptic Gregorian, days since 1970-01-01) ----------------- */

int64_t days_from_civil(int y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}
void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
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
int64_t ms_at(int y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s, unsigned ms)
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
char *p_iisdt(char *p, int64_t t)
{
	int64_t day = t / MS_DAY;
	p = p_ymd(p, day);
	*p++ = ' ';
	return p_hms(p, (uint32_t)(t - day * MS_DAY));
}
/* Exchange "YYYY-MM-DDTHH:MM:SS.mmmZ" */
char *p_iso(char *p, int64_t t)
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
void fmt_compact(char *dst, size_t cap, int64_t day, bool two_digit_year)
{
	int y;
	unsigned m, d;
	civil_from_days(day, &y, &m, &d);
	if (two_digit_year)
		snprintf(dst, cap, "%02d%02u%02u", y % 100, m, d);
	else
		snprintf(dst, cap, "%04d%02u%02u", y, m, d);
}


/* "YYYYMMDDHH" for the hourly file names. */
void hour_name(char *dst, size_t cap, int64_t hour_start)
{
	char d[32]; /* room for any year, as gcc -O3 asks once fmt_compact is inlined here */
	fmt_compact(d, sizeof d, hour_start / MS_DAY, false);
	snprintf(dst, cap, "%s%02d", d, (int)((hour_start % MS_DAY) / MS_HOUR));
}
