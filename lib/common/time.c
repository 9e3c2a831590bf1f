/*
 * UTC calendar arithmetic and the time forms Exchange and IIS write:
 * "2021-03-03T06:49:42.162Z", "2021-03-03 06:49:42".
 */
#include "common/base.h"

#include <stdio.h>

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
