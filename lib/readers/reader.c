/*
 * What all readers share: schema ids, header directives, record positioning on a line
 * and bad-record accounting. The registry is readers.c.
 */
#include "readers/reader.h"

#include <stdatomic.h>
#include <stdio.h>

static atomic_uint_fast64_t schema_ids = 1;

uint64_t xh_schema_next_id(void)
{
	return atomic_fetch_add_explicit(&schema_ids, 1, memory_order_relaxed);
}

struct xh_sv xh_keep_directive(const char *p, size_t n, size_t skip, char *buf)
{
	struct xh_sv v = xh_sv_trim(xh_sv_make(p + skip, n - skip));

	if (v.n > XH_MAX_DIRECTIVE)
		v.n = XH_MAX_DIRECTIVE;
	memcpy(buf, v.p, v.n);
	return xh_sv_make(buf, v.n);
}

void xh_record_init(const struct xh_read_ctx *c, struct xh_record *r)
{
	memset(r, 0, sizeof *r);
	r->source = c->source;
	r->path = c->path;
	r->origin = c->origin;
	r->time_ms = XH_TIME_NONE;
}

int xh_reader_line(struct xh_read_ctx *c, struct xh_line *l, struct xh_record *r)
{
	int got = xh_in_line(c->in, l);

	if (got != 1)
		return got;
	/* a BOM starts the file, and each header block of logs concatenated together */
	if (l->n >= 3 && memcmp(l->p, "\xEF\xBB\xBF", 3) == 0 &&
	    (l->lineno == 1 || (l->n > 3 && l->p[3] == '#'))) {
		l->p += 3;
		l->n -= 3;
	}
	xh_record_init(c, r);
	r->line = l->lineno;
	r->offset = l->offset;
	r->raw = xh_sv_make(l->p, l->n);
	return 1;
}

xh_status xh_emit_bad(struct xh_read_ctx *c, struct xh_record *r, const char *why, size_t got,
                      size_t want)
{
	struct xh_fstats *st = c->st;

	st->bad++;
	if (st->nreasons < XH_COVER_REASONS) {
		struct xh_reason *rs = &st->reasons[st->nreasons++];
		snprintf(rs->path, sizeof rs->path, "%s", c->path);
		rs->line = r->line;
		rs->offset = r->offset;
		if (got || want)
			snprintf(rs->what, sizeof rs->what, "%s (%zu%s, header has %zu)", why,
			         got > XH_MAX_FIELDS ? (size_t)XH_MAX_FIELDS : got,
			         got > XH_MAX_FIELDS ? "+" : "", want);
		else
			snprintf(rs->what, sizeof rs->what, "%s", why);
	}
	r->bad = why;
	r->fields = NULL;
	r->nfields = 0;
	r->nx = 0;
	return c->emit(c, r);
}
