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
#include "readers/evtx_decode.h"
#include "readers/reader.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

/* A worker's EVTX state, kept for its next .evtx files: the decoder (~5 MiB of fixed
 * buffers) and the field views of one event. */
struct evtx_state {
	struct xh_evtx_dec *dec;
	struct xh_sv *exn, *exv;
};

struct rd {
	struct xh_read_ctx *c;
	uint64_t chunk_pos;        /* file offset of the chunk being decoded */
	struct xh_sv *xn, *xv;
};

static xh_status bad_at(struct xh_read_ctx *c, uint64_t offset, uint64_t line, const char *why)
{
	struct xh_record r;

	xh_record_init(c, &r);
	r.line = line;
	r.offset = offset;
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

	xh_record_init(d->c, &r);
	r.line = ev->record_id;
	r.offset = d->chunk_pos + ev->chunk_offset;
	r.time_ms = ev->time_ms;
	r.raw = ev->raw;
	for (size_t i = 0; i < ev->nf; i++) {
		d->xn[i] = ev->f[i].name;
		d->xv[i] = ev->f[i].value;
	}
	r.nx = ev->nf;
	r.nx_alias = ev->nalias;
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

/* The chunk-level statements (signature, truncation, checksums) for chunk k at file
 * offset pos, in file order; *decode says whether its records are to be read. */
static xh_status chunk_notes(struct xh_read_ctx *c, uint64_t k, uint64_t pos, size_t n, const struct xh_evtx_chunk_info *ci,
                             const struct xh_evtx_file_info *fi, bool *decode)
{
	char what[96];
	xh_status st = XH_OK;

	*decode = false;
	if (ci->state == XH_CHUNK_EMPTY)
		return XH_OK;
	if (ci->state == XH_CHUNK_BAD_MAGIC) {
		snprintf(what, sizeof what, "chunk %llu: no ElfChnk signature%s, skipped", (unsigned long long)k,
		         k >= fi->chunks ? " (past the header's chunk count: unused space?)" : "");
		return bad_at(c, pos, 0, what);
	}
	if (n < XH_EVTX_CHUNK) {
		snprintf(what, sizeof what, "chunk %llu: truncated to %zu bytes (read what is there)", (unsigned long long)k, n);
		st = bad_at(c, pos, 0, what);
	}
	if (!st && !ci->header_crc_ok) {
		snprintf(what, sizeof what, "chunk %llu: header checksum mismatch (decoded anyway)", (unsigned long long)k);
		st = bad_at(c, pos, 0, what);
	}
	if (!st && ci->header_crc_ok && !ci->data_crc_ok) {
		snprintf(what, sizeof what, "chunk %llu: records checksum mismatch (decoded anyway)", (unsigned long long)k);
		st = bad_at(c, pos, 0, what);
	}
	*decode = true;
	return st;
}

/* ---- chunks decoded ahead by helper threads ----------------------------------------------
 * A batch of XH_EVTX_BATCH chunks is copied out of the input; the reader and its helpers
 * decode the chunks in any order, each into its own slot (events copied out of the
 * decoder), then the reader emits the slots in file order: output is the same as the
 * serial path's, byte for byte. A slot whose events outgrow XH_EVTX_SLOT_TEXT is decoded
 * again, serially, when its turn comes. */

struct cev {
	uint64_t rid;
	int64_t time_ms;
	uint32_t off;
	long eid;
	const char *why;             /* bad record: static reason */
	size_t f0, nf, nalias;       /* fields in the slot's field array */
	size_t raw_at, raw_n, ch_at, ch_n, pr_at, pr_n, co_at, co_n;
};

struct cfield {
	size_t name_at, name_n, val_at, val_n;
};

struct slot {
	const unsigned char *chunk;
	size_t n;
	struct xh_evtx_chunk_info ci;
	struct cev *ev;
	size_t nev, evcap;
	struct cfield *f;
	size_t nf, fcap;
	struct xh_buf text;
	bool overflow;               /* decode again serially */
};

struct pool {
	pthread_mutex_t mu;
	pthread_cond_t cv_work, cv_done;
	struct slot *slots;
	size_t nslots, next, done;
	unsigned gen;
	bool quit;
	pthread_t tids[XH_EVTX_MAX_HELPERS];
	struct xh_evtx_dec *decs[XH_EVTX_MAX_HELPERS + 1];
	unsigned nh;
};

static bool slot_text(struct slot *sl, const char *p, size_t n, size_t *at)
{
	*at = sl->text.len;
	if (xh_buf_add(&sl->text, p, n))
		return false;
	return true;
}

static xh_status slot_event(void *ud, const struct xh_evtx_event *ev)
{
	struct slot *sl = ud;
	struct cev *e;

	if (sl->overflow)
		return XH_OK;
	if (xh_grow((void **)&sl->ev, &sl->evcap, sl->nev + 1, sizeof *sl->ev) ||
	    xh_grow((void **)&sl->f, &sl->fcap, sl->nf + ev->nf, sizeof *sl->f))
		goto full;
	e = &sl->ev[sl->nev];
	memset(e, 0, sizeof *e);
	e->rid = ev->record_id;
	e->time_ms = ev->time_ms;
	e->off = ev->chunk_offset;
	e->eid = ev->event_id;
	e->f0 = sl->nf;
	e->nalias = ev->nalias;
	for (size_t i = 0; i < ev->nf; i++) {
		struct cfield *f = &sl->f[sl->nf];
		if (!slot_text(sl, ev->f[i].name.p, ev->f[i].name.n, &f->name_at) ||
		    !slot_text(sl, ev->f[i].value.p, ev->f[i].value.n, &f->val_at))
			goto full;
		f->name_n = ev->f[i].name.n;
		f->val_n = ev->f[i].value.n;
		sl->nf++;
		e->nf++;
	}
	if (!slot_text(sl, ev->raw.p, ev->raw.n, &e->raw_at) ||
	    (ev->channel.p && !slot_text(sl, ev->channel.p, ev->channel.n, &e->ch_at)) ||
	    (ev->provider.p && !slot_text(sl, ev->provider.p, ev->provider.n, &e->pr_at)) ||
	    (ev->computer.p && !slot_text(sl, ev->computer.p, ev->computer.n, &e->co_at)))
		goto full;
	e->raw_n = ev->raw.n;
	e->ch_n = ev->channel.p ? ev->channel.n : SIZE_MAX;
	e->pr_n = ev->provider.p ? ev->provider.n : SIZE_MAX;
	e->co_n = ev->computer.p ? ev->computer.n : SIZE_MAX;
	sl->nev++;
	return XH_OK;
full:
	/* out of memory or over the slot limit: this chunk is decoded again serially */
	sl->overflow = true;
	return XH_OK;
}

static xh_status slot_bad(void *ud, uint32_t off, uint64_t rid, const char *why)
{
	struct slot *sl = ud;
	struct cev *e;

	if (sl->overflow)
		return XH_OK;
	if (xh_grow((void **)&sl->ev, &sl->evcap, sl->nev + 1, sizeof *sl->ev)) {
		sl->overflow = true;
		return XH_OK;
	}
	e = &sl->ev[sl->nev++];
	memset(e, 0, sizeof *e);
	e->rid = rid;
	e->off = off;
	e->why = why;
	return XH_OK;
}

static void slot_decode(struct xh_evtx_dec *d, struct slot *sl)
{
	struct xh_evtx_sink sink = {slot_event, slot_bad, sl};

	sl->nev = sl->nf = 0;
	sl->text.len = 0;
	sl->overflow = false;
	xh_evtx_chunk_info(sl->chunk, sl->n, &sl->ci);
	if (sl->ci.state == XH_CHUNK_OK)
		xh_evtx_chunk_records(d, sl->chunk, sl->n, &sl->ci, &sink);
}

/* Takes slots until none is left; returns when no slot of the batch is free. */
static void pool_work(struct pool *pl, struct xh_evtx_dec *d)
{
	for (;;) {
		size_t i;
		pthread_mutex_lock(&pl->mu);
		if (pl->next >= pl->nslots) {
			pthread_mutex_unlock(&pl->mu);
			return;
		}
		i = pl->next++;
		pthread_mutex_unlock(&pl->mu);
		slot_decode(d, &pl->slots[i]);
		pthread_mutex_lock(&pl->mu);
		if (++pl->done == pl->nslots)
			pthread_cond_broadcast(&pl->cv_done);
		pthread_mutex_unlock(&pl->mu);
	}
}

struct helper {
	struct pool *pl;
	struct xh_evtx_dec *d;
};

static void *helper_main(void *arg)
{
	struct helper *h = arg;
	struct pool *pl = h->pl;
	unsigned seen = 0;

	for (;;) {
		pthread_mutex_lock(&pl->mu);
		while (!pl->quit && pl->gen == seen)
			pthread_cond_wait(&pl->cv_work, &pl->mu);
		if (pl->quit) {
			pthread_mutex_unlock(&pl->mu);
			return NULL;
		}
		seen = pl->gen;
		pthread_mutex_unlock(&pl->mu);
		pool_work(pl, h->d);
	}
}

/* Emits slot k's events as xh_records, in order. */
static xh_status slot_emit(struct rd *d, const struct slot *sl, uint64_t pos)
{
	struct xh_read_ctx *c = d->c;

	for (size_t i = 0; i < sl->nev; i++) {
		const struct cev *e = &sl->ev[i];
		const char *t = sl->text.p;
		struct xh_record r;
		xh_status st;

		if (e->why) {
			st = bad_at(c, pos + e->off, e->rid, e->why);
			if (st)
				return st;
			continue;
		}
		xh_record_init(c, &r);
		r.line = e->rid;
		r.offset = pos + e->off;
		r.time_ms = e->time_ms;
		r.raw = xh_sv_make(t + e->raw_at, e->raw_n);
		for (size_t k = 0; k < e->nf; k++) {
			const struct cfield *f = &sl->f[e->f0 + k];
			d->xn[k] = xh_sv_make(t + f->name_at, f->name_n);
			d->xv[k] = xh_sv_make(t + f->val_at, f->val_n);
		}
		r.xnames = d->xn;
		r.xvalues = d->xv;
		r.nx = e->nf;
		r.nx_alias = e->nalias;
		r.event_id = e->eid;
		if (e->ch_n != SIZE_MAX)
			r.channel = xh_sv_make(t + e->ch_at, e->ch_n);
		if (e->pr_n != SIZE_MAX)
			r.provider = xh_sv_make(t + e->pr_at, e->pr_n);
		if (e->co_n != SIZE_MAX)
			r.computer = xh_sv_make(t + e->co_at, e->co_n);
		st = c->emit(c, &r);
		if (st)
			return st;
	}
	return XH_OK;
}

static void pool_stop(struct pool *pl)
{
	pthread_mutex_lock(&pl->mu);
	pl->quit = true;
	pthread_cond_broadcast(&pl->cv_work);
	pthread_mutex_unlock(&pl->mu);
	for (unsigned i = 0; i < pl->nh; i++)
		pthread_join(pl->tids[i], NULL);
}

/* The rest of the file (after its header) with nh helper threads. */
static xh_status read_parallel(struct rd *d, const struct xh_evtx_file_info *fi, unsigned nh)
{
	struct xh_read_ctx *c = d->c;
	struct pool pl;
	struct helper hs[XH_EVTX_MAX_HELPERS];
	unsigned char *batch = xh_malloc((size_t)XH_EVTX_BATCH * XH_EVTX_CHUNK);
	uint64_t pos[XH_EVTX_BATCH];
	uint64_t k = 0;
	xh_status st = XH_OK;

	memset(&pl, 0, sizeof pl);
	pthread_mutex_init(&pl.mu, NULL);
	pthread_cond_init(&pl.cv_work, NULL);
	pthread_cond_init(&pl.cv_done, NULL);
	pl.slots = xh_calloc(XH_EVTX_BATCH, sizeof *pl.slots);
	if (!batch || !pl.slots) {
		st = XH_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < XH_EVTX_BATCH; i++)
		xh_buf_init(&pl.slots[i].text, XH_EVTX_SLOT_TEXT);
	for (unsigned i = 0; i < nh; i++) {
		hs[i].pl = &pl;
		if (xh_evtx_dec_new(&hs[i].d))
			break;
		if (pthread_create(&pl.tids[i], NULL, helper_main, &hs[i])) {
			xh_evtx_dec_free(hs[i].d);
			break;
		}
		pl.nh++;
	}
	for (bool end = false; !end && !st;) {
		size_t nb = 0;
		/* fill: copy chunks out of the input (its buffer moves on) */
		while (nb < XH_EVTX_BATCH) {
			const char *p;
			size_t n;
			pos[nb] = xh_in_tell(c->in);
			xh_in_peek(c->in, XH_EVTX_CHUNK, &p, &n);
			if (c->in->err) {
				st = XH_EIO;
				break;
			}
			if (n == 0) {
				end = true;
				break;
			}
			if (n > XH_EVTX_CHUNK)
				n = XH_EVTX_CHUNK;
			memcpy(batch + (size_t)nb * XH_EVTX_CHUNK, p, n);
			pl.slots[nb].chunk = batch + (size_t)nb * XH_EVTX_CHUNK;
			pl.slots[nb].n = n;
			skip(c->in, n);
			nb++;
		}
		if (st || nb == 0)
			break;
		/* decode: helpers and this thread */
		pthread_mutex_lock(&pl.mu);
		pl.nslots = nb;
		pl.next = pl.done = 0;
		pl.gen++;
		pthread_cond_broadcast(&pl.cv_work);
		pthread_mutex_unlock(&pl.mu);
		pool_work(&pl, ((struct evtx_state *)c->state)->dec);
		pthread_mutex_lock(&pl.mu);
		while (pl.done < pl.nslots)
			pthread_cond_wait(&pl.cv_done, &pl.mu);
		pthread_mutex_unlock(&pl.mu);
		/* emit in file order */
		for (size_t i = 0; i < nb && !st; i++, k++) {
			struct slot *sl = &pl.slots[i];
			bool decode;
			st = chunk_notes(c, k, pos[i], sl->n, &sl->ci, fi, &decode);
			if (st || !decode)
				continue;
			if (sl->overflow) {
				struct xh_evtx_sink sink = {on_event, on_bad, d};
				d->chunk_pos = pos[i];
				st = xh_evtx_chunk_records(((struct evtx_state *)c->state)->dec, sl->chunk, sl->n, &sl->ci, &sink);
			} else {
				st = slot_emit(d, sl, pos[i]);
			}
		}
	}
out:
	pool_stop(&pl);
	for (unsigned i = 0; i < pl.nh; i++)
		xh_evtx_dec_free(hs[i].d);
	if (pl.slots)
		for (size_t i = 0; i < XH_EVTX_BATCH; i++) {
			xh_free(pl.slots[i].ev);
			xh_free(pl.slots[i].f);
			xh_buf_free(&pl.slots[i].text);
		}
	xh_free(pl.slots);
	xh_free(batch);
	pthread_cond_destroy(&pl.cv_work);
	pthread_cond_destroy(&pl.cv_done);
	pthread_mutex_destroy(&pl.mu);
	return st;
}

/* Takes up to max helpers from the scan's budget. */
static unsigned take_helpers(atomic_int *spare, unsigned max)
{
	int have;

	if (!spare)
		return 0;
	have = atomic_load(spare);
	while (have > 0) {
		int want = have < (int)max ? have : (int)max;
		if (atomic_compare_exchange_weak(spare, &have, have - want))
			return (unsigned)want;
	}
	return 0;
}

xh_status xh_read_evtx_state_new(void **out)
{
	struct evtx_state *s = xh_calloc(1, sizeof *s);

	*out = NULL;
	if (!s)
		return XH_ENOMEM;
	if (xh_evtx_dec_new(&s->dec) || !(s->exn = xh_calloc(XH_EVTX_MAX_FIELDS, sizeof *s->exn)) ||
	    !(s->exv = xh_calloc(XH_EVTX_MAX_FIELDS, sizeof *s->exv))) {
		xh_read_evtx_state_free(s);
		return XH_ENOMEM;
	}
	*out = s;
	return XH_OK;
}

void xh_read_evtx_state_free(void *state)
{
	struct evtx_state *s = state;

	if (!s)
		return;
	xh_evtx_dec_free(s->dec);
	xh_free(s->exn);
	xh_free(s->exv);
	xh_free(s);
}

xh_status xh_read_evtx(struct xh_read_ctx *c)
{
	struct evtx_state *s = c->state;
	struct rd d = {c, 0, NULL, NULL};
	struct xh_evtx_sink sink = {on_event, on_bad, &d};
	struct xh_evtx_file_info fi;
	const char *p, *why;
	size_t n;
	unsigned nh = 0;
	xh_status st;

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
	/* a file of several batches gets helpers when the scan has cores to spare */
	if (c->size_hint >= (uint64_t)2 * XH_EVTX_BATCH * XH_EVTX_CHUNK)
		nh = take_helpers(c->spare, XH_EVTX_MAX_HELPERS);
	if (nh) {
		st = read_parallel(&d, &fi, nh);
		atomic_fetch_add(c->spare, (int)nh);
		return st;
	}
	for (uint64_t k = 0;; k++) {
		struct xh_evtx_chunk_info ci;
		bool decode;

		d.chunk_pos = xh_in_tell(c->in);
		xh_in_peek(c->in, XH_EVTX_CHUNK, &p, &n);
		if (c->in->err)
			return XH_EIO;
		if (n == 0)
			break;
		if (n > XH_EVTX_CHUNK)
			n = XH_EVTX_CHUNK;
		xh_evtx_chunk_info((const unsigned char *)p, n, &ci);
		st = chunk_notes(c, k, d.chunk_pos, n, &ci, &fi, &decode);
		if (!st && decode)
			st = xh_evtx_chunk_records(s->dec, (const unsigned char *)p, n, &ci, &sink);
		if (st)
			return st;
		skip(c->in, n);
	}
	return XH_OK;
}
