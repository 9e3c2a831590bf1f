/*
 * Buffered input and line splitting for every text reader, and transparent gzip via
 * libarchive's gzip filter with its "raw" format (no extra library, one code path for
 * .gz files on disk and inside zip archives).
 *
 * Lines are views into one buffer; a line longer than XH_MAX_LINE is returned cut and
 * its rest skipped, so a hostile 2 GB line costs no more memory than a short one.
 */
#include "evidence/input.h"

#include <archive.h>

xh_status xh_in_init(struct xh_in *in)
{
	memset(in, 0, sizeof *in);
	in->cap = XH_MAX_LINE + XH_READ_CHUNK;
	in->buf = xh_malloc(in->cap);
	return in->buf ? XH_OK : XH_ENOMEM;
}

void xh_in_free(struct xh_in *in)
{
	xh_free(in->buf);
	in->buf = NULL;
}

void xh_in_open(struct xh_in *in, struct xh_src src)
{
	in->src = src;
	in->pos = in->end = 0;
	in->base = in->lineno = in->raw_bytes = 0;
	in->eof = in->err = in->skip_nl = false;
	in->errmsg = NULL;
}

/* Reads one chunk at the end of the buffer, compacting first when needed. */
static void fill(struct xh_in *in)
{
	ssize_t got;
	size_t room;

	if (in->eof || in->err)
		return;
	if (in->pos > 0 && in->cap - in->end < XH_READ_CHUNK) {
		memmove(in->buf, in->buf + in->pos, in->end - in->pos);
		in->base += in->pos;
		in->end -= in->pos;
		in->pos = 0;
	}
	room = in->cap - in->end;
	if (room > XH_READ_CHUNK)
		room = XH_READ_CHUNK;
	if (room == 0)
		return;
	got = in->src.read(in->src.ctx, in->buf + in->end, room, &in->errmsg);
	if (got < 0) {
		in->err = true;
		if (!in->errmsg)
			in->errmsg = "read error";
		return;
	}
	if (got == 0) {
		in->eof = true;
		return;
	}
	in->end += (size_t)got;
	in->raw_bytes += (uint64_t)got;
}

void xh_in_peek(struct xh_in *in, size_t want, const char **p, size_t *n)
{
	if (want > XH_MAX_LINE)
		want = XH_MAX_LINE;
	while (in->end - in->pos < want && !in->eof && !in->err)
		fill(in);
	*p = in->buf + in->pos;
	*n = in->end - in->pos;
}

static void emit(struct xh_in *in, struct xh_line *out, size_t len, size_t consumed, bool cut,
                 bool nl)
{
	const char *p = in->buf + in->pos;

	out->offset = in->base + in->pos;
	out->lineno = ++in->lineno;
	out->cut = cut;
	out->nl = nl;
	if (len && p[len - 1] == '\r')
		len--;
	out->p = p;
	out->n = len;
	in->pos += consumed;
}

int xh_in_line(struct xh_in *in, struct xh_line *out)
{
	size_t scanned = 0; /* bytes of the current line already searched for '\n' */

	for (;;) {
		char *start = in->buf + in->pos;
		size_t avail = in->end - in->pos;
		char *nl = avail > scanned ? memchr(start + scanned, '\n', avail - scanned) : NULL;

		if (in->skip_nl) {
			if (nl) {
				in->pos += (size_t)(nl - start) + 1;
				in->skip_nl = false;
				scanned = 0;
				continue;
			}
			in->pos = in->end;
			if (in->eof || in->err) {
				in->skip_nl = false;
				return in->err ? -1 : 0;
			}
			fill(in);
			continue;
		}
		if (nl) {
			size_t len = (size_t)(nl - start);
			if (len > XH_MAX_LINE) {
				emit(in, out, XH_MAX_LINE, len + 1, true, true);
				return 1;
			}
			emit(in, out, len, len + 1, false, true);
			return 1;
		}
		scanned = avail;
		if (avail >= XH_MAX_LINE) {
			emit(in, out, XH_MAX_LINE, avail, true, false);
			in->skip_nl = true;
			return 1;
		}
		if (in->eof || in->err) {
			if (avail == 0)
				return in->err ? -1 : 0;
			emit(in, out, avail, avail, false, false);
			return 1;
		}
		fill(in); /* may compact: `scanned` is relative to pos, so it stays valid */
	}
}

/* ---- gzip -------------------------------------------------------------------------- */

struct xh_gz {
	struct archive *a;
	struct xh_in *raw;
	uint64_t inflated;
};

static la_ssize_t gz_feed(struct archive *a, void *ud, const void **buf)
{
	struct xh_gz *gz = ud;
	struct xh_in *raw = gz->raw;
	size_t n;

	(void)a;
	if (raw->pos == raw->end) {
		raw->pos = raw->end = 0;
		raw->base = 0;
		if (!raw->eof && !raw->err) {
			ssize_t got = raw->src.read(raw->src.ctx, raw->buf, XH_READ_CHUNK, &raw->errmsg);
			if (got < 0) {
				raw->err = true;
				archive_set_error(a, -1, "%s", raw->errmsg ? raw->errmsg : "read error");
				return -1;
			}
			if (got == 0)
				raw->eof = true;
			raw->end = (size_t)got;
			raw->raw_bytes += (uint64_t)got;
		}
	}
	n = raw->end - raw->pos;
	*buf = raw->buf + raw->pos;
	raw->pos = raw->end;
	return (la_ssize_t)n;
}

static ssize_t gz_read(void *ctx, void *buf, size_t n, const char **err)
{
	struct xh_gz *gz = ctx;
	la_ssize_t got;

	if (gz->inflated >= XH_MAX_INFLATED) {
		*err = "decompressed size limit reached";
		return -1;
	}
	got = archive_read_data(gz->a, buf, n);
	if (got < 0) {
		/* libarchive's text lives in the archive object, which outlives the read */
		*err = archive_error_string(gz->a) ? archive_error_string(gz->a) : "gzip error";
		return -1;
	}
	gz->inflated += (uint64_t)got;
	return got;
}

xh_status xh_gz_open(struct xh_in *raw, struct xh_gz **out, struct xh_src *src)
{
	struct xh_gz *gz = xh_calloc(1, sizeof *gz);
	struct archive_entry *e;

	if (!gz)
		return XH_ENOMEM;
	gz->raw = raw;
	gz->a = archive_read_new();
	if (!gz->a)
		goto out_nomem;
	archive_read_support_filter_gzip(gz->a);
	archive_read_support_format_raw(gz->a);
	if (archive_read_open(gz->a, gz, NULL, gz_feed, NULL) != ARCHIVE_OK ||
	    archive_read_next_header(gz->a, &e) != ARCHIVE_OK)
		goto out_format;
	*out = gz;
	src->read = gz_read;
	src->ctx = gz;
	return XH_OK;
out_format:
	xh_gz_close(gz);
	return XH_EFORMAT;
out_nomem:
	xh_free(gz);
	return XH_ENOMEM;
}

void xh_gz_close(struct xh_gz *gz)
{
	if (!gz)
		return;
	if (gz->a)
		archive_read_free(gz->a);
	xh_free(gz);
}
