/*
 * Reader for Windows event log files (.evtx): pulls the file header and then each
 * 64 KiB chunk from the input, checks it, decodes its records with evtx.c and emits one
 * xh_record per event. The record has no column schema: its fields are the flattened
 * names of evtx.h as derived fields (so rules and writers read them by name), its line
 * is the EventRecordID and its offset the record's position in the file.
 *
 *   ElfFile\0 ... (4 KiB header) | ElfChnk\0 ... (64 KiB) | ElfChnk\0 ... | ...
 *
 * Damage is data, not failure: a chunk without its signature is skipped and counted,
 * a checksum mismatch is counted and the chunk decoded anyway (its records are still
 * checked one by one), a bad record is counted with its offset and the walk goes on.
 * Every chunk present in the file is read, whatever the header's chunk count says
 * (files copied from shadow copies carry chunks past it).
 */
#include "evtx.h"
#include "reader.h"

#include <stdio.h>

struct rd {
	struct xh_rctx *c;
	uint64_t chunk_pos;        /* file offset of the chunk being decoded */
	struct xh_sv *xn, *xv;
};

static xh_status bad_at(struct xh_rctx *c, uint64_t offset, uint64_t line, const char *why)
{
	struct xh_record r;

	memset(&r, 0, sizeof r);
	r.source = c->source;
	r.path = c->path;
	r.origin = c->origin;
	r.line = line;
	r.offset = offset;
	r.time_ms = XH_TIME_NONE;
	return xh_emit_bad(c, &r, why, 0, 0);
}

static xh_status on_bad(void *ud, uint32_t off, uint64_t rid, const char *why)
{
	struct rd *d = ud;
	return bad_at(d->c, d->chunk_pos + off, rid, why);
}

static xh_status on_event(void *ud, const struct xh_evtx_event *ev)
{
	struct rd *d = ud;
	struct xh_record r;

	memset(&r, 0, sizeof r);
	r.source = d->c->source;
	r.path = d->c->path;
	r.origin = d->c->origin;
	r.line = ev->record_id;
	r.offset = d->chunk_pos + ev->chunk_offset;
	r.time_ms = ev->time_ms;
	r.raw = ev->raw;
	/* fields first, second names (aliases) after them */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < ev->nf; i++)
			if (ev->f[i].alias == (pass == 1)) {
				d->xn[r.nx] = ev->f[i].name;
				d->xv[r.nx] = ev->f[i].value;
				r.nx++;
				r.nx_alias += pass;
			}
	r.xnames = d->xn;
	r.xvalues = d->xv;
	r.event_id = ev->event_id;
	r.channel = ev->channel;
	r.provider = ev->provider;
	r.computer = ev->computer;
	return d->c->emit(d->c, &r);
}

static void skip(struct xh_in *in, size_t n)
{
	in->pos += n;
}

xh_status xh_read_evtx(struct xh_rctx *c)
{
	struct xh_scratch *s = c->scr;
	struct rd d = {c, 0, NULL, NULL};
	struct xh_evtx_sink sink = {on_event, on_bad, &d};
	struct xh_evtx_file_info fi;
	const char *p, *why;
	size_t n;
	xh_status st;

	if (!s->evtx) {
		st = xh_evtx_dec_new(&s->evtx);
		if (st)
			return st;
		s->exn = xh_calloc(XH_EVTX_MAX_FIELDS, sizeof *s->exn);
		s->exv = xh_calloc(XH_EVTX_MAX_FIELDS, sizeof *s->exv);
		if (!s->exn || !s->exv)
			return XH_ENOMEM;
	}
	d.xn = s->exn;
	d.xv = s->exv;
	xh_in_peek(c->in, XH_EVTX_FILE_HEADER, &p, &n);
	if (c->in->err)
		return XH_EIO;
	why = xh_evtx_file_header((const unsigned char *)p, n, &fi);
	if (why)
		return bad_at(c, 0, 0, why);
	if (!fi.crc_ok && (st = bad_at(c, 0, 0, "file header checksum mismatch (read anyway)")))
		return st;
	if (n < XH_EVTX_FILE_HEADER)
		return bad_at(c, 0, 0, "file shorter than its header");
	skip(c->in, XH_EVTX_FILE_HEADER);
	for (uint64_t k = 0;; k++) {
		struct xh_evtx_chunk_info ci;
		char what[96];

		d.chunk_pos = xh_in_tell(c->in);
		xh_in_peek(c->in, XH_EVTX_CHUNK, &p, &n);
		if (c->in->err)
			return XH_EIO;
		if (n == 0)
			break;
		if (n > XH_EVTX_CHUNK)
			n = XH_EVTX_CHUNK;
		xh_evtx_chunk_info((const unsigned char *)p, n, &ci);
		if (ci.state == XH_CHUNK_EMPTY) {
			skip(c->in, n);
			continue;
		}
		if (ci.state == XH_CHUNK_BAD_MAGIC) {
			snprintf(what, sizeof what, "chunk %llu: no ElfChnk signature%s, skipped", (unsigned long long)k,
			         k >= fi.chunks ? " (past the header's chunk count: unused space?)" : "");
			st = bad_at(c, d.chunk_pos, 0, what);
		} else {
			st = XH_OK;
			if (n < XH_EVTX_CHUNK) {
				snprintf(what, sizeof what, "chunk %llu: truncated to %zu bytes (read what is there)",
				         (unsigned long long)k, n);
				st = bad_at(c, d.chunk_pos, 0, what);
			}
			if (!st && !ci.header_crc_ok) {
				snprintf(what, sizeof what, "chunk %llu: header checksum mismatch (decoded anyway)",
				         (unsigned long long)k);
				st = bad_at(c, d.chunk_pos, 0, what);
			}
			if (!st && ci.header_crc_ok && !ci.data_crc_ok) {
				snprintf(what, sizeof what, "chunk %llu: records checksum mismatch (decoded anyway)",
				         (unsigned long long)k);
				st = bad_at(c, d.chunk_pos, 0, what);
			}
			if (!st)
				st = xh_evtx_chunk_records(s->evtx, (const unsigned char *)p, n, &ci, &sink);
		}
		if (st)
			return st;
		skip(c->in, n);
	}
	return XH_OK;
}
