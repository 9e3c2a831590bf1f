/*
 * Byte views (struct xh_sv) compared, trimmed and read as numbers.
 */
#include "common/base.h"

#include <stdio.h>

#include <stdlib.h>
#include <strings.h>

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

bool xh_list_add(char *buf, size_t cap, const char *item, size_t *n, size_t max)
{
	size_t len = strlen(buf), k = strlen(item);

	for (const char *p = buf; *p;) {
		const char *comma = strstr(p, ", ");
		size_t m = comma ? (size_t)(comma - p) : strlen(p);
		if (m == k && strncasecmp(p, item, k) == 0)
			return false;
		p += m + (comma ? 2 : 0);
	}
	if (*n >= max || len + (len ? 2 : 0) + k + 1 > cap) {
		/* full: said once, so a reader knows the list goes on */
		if (len + 6 <= cap && (len < 5 || strcmp(buf + len - 5, ", ...") != 0))
			memcpy(buf + len, ", ...", 6);
		(*n)++;
		return false;
	}
	snprintf(buf + len, cap - len, "%s%s", len ? ", " : "", item);
	(*n)++;
	return true;
}
