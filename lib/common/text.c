/*
 * Byte views (struct xh_sv) compared, trimmed and read as numbers.
 */
#include "common/base.h"

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
