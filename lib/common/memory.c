/*
 * Allocation: every allocation of the library goes through these wrappers (a test
 * checks it), so the allocation-failure walk of the ASan build (XH_FAULT_INJECTION) can
 * fail each one in turn. Also string copies and array growth with overflow checks.
 */
#include "common/base.h"

#include <stdatomic.h>
#include <stdlib.h>

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
