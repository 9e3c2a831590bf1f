/*
 * The file checks as the scan drives them (tap.h): per scan (install roots and places,
 * webroot.c), per worker (content buffer, digests, YARA scanner) and per file. The scan
 * feeds each file's raw bytes, as its worker reads them, to the tap: SHA-256 (and
 * MD5/SHA-1 for small files) over the whole file, and a copy of its first
 * --max-scan-bytes. Then xh_files_check places the file, gathers its hits (hits.c) and
 * has one finding made of them (file_finding.c); a configuration file also gets its
 * items checked (hits.c, appconfig.c). Calls go down only: tap.c -> hits.c ->
 * place_rules.c, and tap.c -> file_finding.c; nothing below calls back.
 *
 * The finding's time is the file's modification time (or the zip entry's), which copying
 * may change: the finding says which it is.
 */
#include "files/tap.h"
#include "files/file_finding.h"
#include "files/hits.h"
#include "files/names.h"
#include "files/state.h"

#include <stdio.h>

/* ---- the object, prepared once ------------------------------------------------------------ */

xh_status xh_files_ready(struct xh_files *fc, struct xh_error *err)
{
	xh_status st;

	if (fc->prepared)
		return XH_OK;
	st = xh_yara_compile(fc->yara, err);
	if (!st)
		xh_badlist_finish(&fc->bad);
	if (!st)
		st = xh_allow_finish(&fc->allow);
	if (!st)
		fc->prepared = true;
	return st;
}

/* ---- per scan and per worker -------------------------------------------------------------- */

xh_status xh_files_scan_new(struct xh_files *fc, size_t n,
                            void (*at)(void *ud, size_t i, const char **path, const char **origin), void *ud,
                            struct xh_files_scan **out, struct xh_error *err)
{
	struct xh_files_scan *s;
	xh_status st = xh_files_ready(fc, err);

	*out = NULL;
	if (st)
		return st;
	s = xh_calloc(1, sizeof *s);
	if (!s)
		return XH_ENOMEM;
	s->fc = fc;
	st = xh_webroots_build(&s->roots, n, at, ud);
	if (st) {
		xh_files_scan_free(s);
		return st;
	}
	*out = s;
	return XH_OK;
}

void xh_files_scan_free(struct xh_files_scan *s)
{
	if (!s)
		return;
	xh_webroots_free(&s->roots);
	xh_free(s);
}

void xh_files_scan_report(const struct xh_files_scan *s, struct xh_report *r)
{
	r->file_checks = true;
	r->max_scan_bytes = s->fc->max_scan;
	xh_webroots_describe(&s->roots, r->places, sizeof r->places);
}

xh_status xh_files_worker_new(const struct xh_files_scan *s, struct xh_files_worker **out)
{
	struct xh_files_worker *w = xh_calloc(1, sizeof *w);
	xh_status st;

	*out = NULL;
	if (!w)
		return XH_ENOMEM;
	w->s = s;
	w->fc = s->fc;
	w->cap = (size_t)s->fc->max_scan;
	w->buf = xh_malloc(w->cap);
	if (!w->buf) {
		xh_free(w);
		return XH_ENOMEM;
	}
	st = xh_digest_init(&w->dg);
	if (!st)
		st = xh_yscan_new(s->fc->yara, &w->ys);
	if (st) {
		xh_files_worker_free(w);
		return st;
	}
	*out = w;
	return XH_OK;
}

void xh_files_worker_free(struct xh_files_worker *w)
{
	if (!w)
		return;
	xh_yscan_free(w->ys);
	if (w->dg.ctx[0])
		xh_digest_free(&w->dg);
	xh_free(w->buf);
	xh_free(w);
}

/* ---- the tap -------------------------------------------------------------------------------- */

bool xh_files_wants(const struct xh_files_file *f)
{
	if (xh_files_ext_in(xh_files_base_name(f->path), xh_files_script_exts))
		return true; /* a page is checked whatever its content looks like */
	if (!f->source)
		return true;
	switch (f->source->format) {
	case XH_FMT_NONE:
		return strcmp(f->source->name, "evtx") != 0;
	case XH_FMT_TEXT:
		return strcmp(f->source->name, "oabgen") != 0;
	default:
		return false; /* W3C and Exchange CSV logs: their records are what matters */
	}
}

xh_status xh_files_begin(struct xh_files_worker *w, const struct xh_files_file *f)
{
	w->f = *f;
	w->len = 0;
	w->total = 0;
	w->too_big = f->declared > XH_FILES_HASH_MAX;
	w->hashing = !w->too_big;
	if (w->hashing && xh_digest_begin(&w->dg, f->declared <= XH_FILES_LEGACY_HASH_MAX) != XH_OK) {
		xh_digest_drop(&w->dg, true);
		w->hashing = false;
	}
	return XH_OK;
}

void xh_files_feed(struct xh_files_worker *w, const void *p, size_t n)
{
	if (w->len < w->cap) {
		size_t k = n < w->cap - w->len ? n : w->cap - w->len;
		memcpy(w->buf + w->len, p, k);
		w->len += k;
	}
	if (w->hashing) {
		if (w->total + n > XH_FILES_HASH_MAX) {
			/* a header understated the size: give up the hash, keep the content */
			xh_digest_drop(&w->dg, true);
			w->hashing = false;
			w->too_big = true;
		} else {
			if (w->total + n > XH_FILES_LEGACY_HASH_MAX)
				xh_digest_drop(&w->dg, false);
			xh_digest_update(&w->dg, p, n);
		}
	}
	w->total += n;
}

bool xh_files_done(const struct xh_files_worker *w)
{
	return w->len >= w->cap && !w->hashing;
}

uint64_t xh_files_bytes(const struct xh_files_worker *w)
{
	return w->total;
}

/* ---- the checks of one file ------------------------------------------------------------------ */

static void lower_path(struct xh_files_worker *w)
{
	const char *s = w->f.origin ? w->f.origin : w->f.path;
	size_t k = 0;

	for (; *s && k + 1 < sizeof w->lpath; s++)
		w->lpath[k++] = *s == '\\' ? '/' : (*s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s);
	w->lpath[k] = '\0';
}

xh_status xh_files_check(struct xh_files_worker *w, bool eof, bool read_error, xh_files_emit_fn emit, void *ud,
                         struct xh_files_counts *st)
{
	struct xh_hashes hs;
	uint64_t size = eof ? w->total : (w->f.declared > w->total ? w->f.declared : w->total);
	bool cut = size > w->len, gave_up = false, listed = false;
	xh_status rc;

	memset(&hs, 0, sizeof hs);
	if (w->hashing && eof && !read_error)
		xh_digest_end(&w->dg, &hs);
	else
		xh_digest_drop(&w->dg, true);
	w->hashing = false;
	w->md5[0] = w->sha1[0] = '\0';
	if (hs.have[XH_HASH_SHA256])
		xh_hex(hs.v[XH_HASH_SHA256], 32, w->sha);
	else
		snprintf(w->sha, sizeof w->sha, "%s", read_error ? "not computed: read error"
		                                                 : "not computed: larger than the hash limit");
	st->checked++;
	st->cut += cut;
	st->not_hashed += w->too_big;
	lower_path(w);
	xh_place_of(&w->s->roots, w->f.path, w->f.origin, &w->pl);
	rc = xh_files_gather(w, &hs, size, &listed, &gave_up);
	if (rc || listed)
		return rc; /* listed: Microsoft's own page, byte for byte */
	if (w->nhits)
		rc = xh_files_emit_file(w, size, cut, gave_up, emit, ud);
	if (!rc)
		rc = xh_files_config_hits(w, emit, ud);
	return rc;
}
