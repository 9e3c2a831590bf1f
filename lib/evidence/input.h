/*
 * Byte input: a pull source (file descriptor, archive entry, gzip member) behind one
 * buffered reader that offers a peek for classification and zero-copy lines for the
 * readers. Memory per reader is XH_MAX_LINE + XH_READ_CHUNK whatever the input size.
 */
#ifndef XH_INPUT_H
#define XH_INPUT_H

#include "common/base.h"

#include <sys/types.h>

/* A pull source: read up to n bytes, return count, 0 at end, -1 on error (*err set
 * to static or source-owned text). */
struct xh_src {
	ssize_t (*read)(void *ctx, void *buf, size_t n, const char **err);
	void *ctx;
};

struct xh_line {
	const char *p;   /* without CR/LF; valid until the next xh_in call */
	size_t n;
	uint64_t lineno; /* 1-based */
	uint64_t offset; /* of the first byte */
	bool cut;        /* longer than XH_MAX_LINE: p holds the first XH_MAX_LINE bytes */
	bool nl;         /* ended by a newline (false for an unterminated last line) */
};

struct xh_in {
	struct xh_src src;
	char *buf;
	size_t cap, pos, end;
	uint64_t base;       /* stream offset of buf[0] */
	uint64_t lineno;     /* lines returned so far */
	uint64_t raw_bytes;  /* bytes pulled from src */
	bool eof, err;
	bool skip_nl;        /* discarding the rest of a cut line */
	const char *errmsg;
};

XH_HIDDEN xh_status xh_in_init(struct xh_in *in);
XH_HIDDEN void xh_in_free(struct xh_in *in);
XH_HIDDEN void xh_in_open(struct xh_in *in, struct xh_src src);
/* Makes at least `want` bytes (or all that is left) visible at *p. */
XH_HIDDEN void xh_in_peek(struct xh_in *in, size_t want, const char **p, size_t *n);
/* 1: a line, 0: end of input, -1: read error (in->errmsg). */
XH_HIDDEN int xh_in_line(struct xh_in *in, struct xh_line *out);
/* Stream offset of the next unread byte. */
static inline uint64_t xh_in_tell(const struct xh_in *in)
{
	return in->base + in->pos;
}

/* Transparent gzip: wraps `raw` (positioned at the gzip magic) as a new source. */
struct xh_gz;
XH_HIDDEN xh_status xh_gz_open(struct xh_in *raw, struct xh_gz **out, struct xh_src *src);
XH_HIDDEN void xh_gz_close(struct xh_gz *gz);

#endif
