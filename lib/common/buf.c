/*
 * The bounded growable byte buffer every reader and writer uses: a hard ceiling per
 * buffer (XH_ELIMIT beyond it), so no input can make one grow without bound.
 */
#include "common/base.h"

#include <stdio.h>

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
