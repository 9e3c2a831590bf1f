/*
 * Hashes of evidence files and the known-bad list.
 *
 * Digests go through OpenSSL's EVP interface; each worker keeps one context per
 * algorithm and re-initialises it per file (EVP_DigestInit_ex2 with a NULL type keeps the
 * digest fetched the first time, so nothing is looked up per file). MD5 and SHA-1 run
 * only on files small enough to be the web shells and tools published with them.
 *
 * The list (data/bad_hashes.csv) looks like:
 *   algorithm,hash,kind,name,source
 *   sha256,b75f163ca9b9...d07d17d0,webshell,HAFNIUM web shell (SecChecker),Microsoft HAFNIUM blog
 *   md5,4580f7f2f2d7ac1af26693132c2e756d,webshell,CVE-2021-27065 web shell 2XJHwN19.aspx,CISA AR21-072D
 */
#include "files/hashes.h"
#include "common/decode.h"

#include <openssl/evp.h>
#include <stdlib.h>

const size_t xh_hash_len[XH_HASH_COUNT] = {16, 20, 32};
const char *const xh_hash_name[XH_HASH_COUNT] = {"md5", "sha1", "sha256"};

static const EVP_MD *md_of(enum xh_hash_algo a)
{
	return a == XH_HASH_MD5 ? EVP_md5() : a == XH_HASH_SHA1 ? EVP_sha1() : EVP_sha256();
}

xh_status xh_digest_init(struct xh_digest *d)
{
	memset(d, 0, sizeof *d);
	for (int a = 0; a < XH_HASH_COUNT; a++) {
		d->ctx[a] = EVP_MD_CTX_new();
		if (!d->ctx[a]) {
			xh_digest_free(d);
			return XH_ENOMEM;
		}
	}
	return XH_OK;
}

void xh_digest_free(struct xh_digest *d)
{
	for (int a = 0; a < XH_HASH_COUNT; a++)
		EVP_MD_CTX_free(d->ctx[a]);
	memset(d, 0, sizeof *d);
}

xh_status xh_digest_begin(struct xh_digest *d, bool legacy)
{
	for (int a = 0; a < XH_HASH_COUNT; a++) {
		d->on[a] = a == XH_HASH_SHA256 || legacy;
		if (!d->on[a])
			continue;
		/* the first init fetches the digest; later ones (type NULL) reuse it */
		if (EVP_DigestInit_ex2(d->ctx[a], d->started[a] ? NULL : md_of((enum xh_hash_algo)a), NULL) != 1) {
			d->on[a] = false;
			return XH_ENOMEM;
		}
		d->started[a] = true;
	}
	return XH_OK;
}

void xh_digest_update(struct xh_digest *d, const void *p, size_t n)
{
	for (int a = 0; a < XH_HASH_COUNT; a++)
		if (d->on[a] && EVP_DigestUpdate(d->ctx[a], p, n) != 1)
			d->on[a] = false;
}

void xh_digest_drop(struct xh_digest *d, bool all)
{
	d->on[XH_HASH_MD5] = d->on[XH_HASH_SHA1] = false;
	if (all)
		d->on[XH_HASH_SHA256] = false;
}

void xh_digest_end(struct xh_digest *d, struct xh_hashes *out)
{
	memset(out, 0, sizeof *out);
	for (int a = 0; a < XH_HASH_COUNT; a++) {
		unsigned int len = 0;
		if (!d->on[a])
			continue;
		out->have[a] = EVP_DigestFinal_ex(d->ctx[a], out->v[a], &len) == 1 && len == xh_hash_len[a];
		d->on[a] = false;
	}
}

void xh_hex(const unsigned char *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}


/* ---- the known-bad list ---------------------------------------------------------------- */

/* Splits line[0..n) on commas into at most max NUL-terminated cells (the line is a
 * private copy). Returns the cell count. */
static size_t cells(char *line, size_t n, char **out, size_t max)
{
	size_t k = 0;
	char *s = line, *end = line + n;

	while (k < max) {
		char *c = memchr(s, ',', (size_t)(end - s));
		out[k++] = s;
		if (!c) {
			*end = '\0';
			break;
		}
		*c = '\0';
		s = c + 1;
	}
	return k;
}

xh_status xh_badlist_load(struct xh_badlist *l, const char *name, const char *text, size_t len,
                          struct xh_error *err)
{
	char *copy, *p, *end, **ns;
	uint64_t lineno = 0;
	bool header = false;

	ns = xh_realloc(l->store, (l->nstore + 1) * sizeof *ns);
	if (!ns)
		return XH_ENOMEM;
	l->store = ns;
	copy = xh_strndup(text, len);
	if (!copy)
		return XH_ENOMEM;
	l->store[l->nstore++] = copy; /* entries point into it */
	for (p = copy, end = copy + len; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *cell[6];
		size_t n = (size_t)((nl ? nl : end) - p), k;
		struct xh_badhash *h;
		int algo = -1;

		lineno++;
		if (n && p[n - 1] == '\r')
			n--;
		if (n == 0 || p[0] == '#') {
			p = nl ? nl + 1 : end;
			continue;
		}
		k = cells(p, n, cell, 6);
		p = nl ? nl + 1 : end;
		if (!header) {
			header = true;
			if (k == 5 && strcmp(cell[0], "algorithm") == 0)
				continue;
			return xh_fail(err, XH_EFORMAT, name, lineno, 0, "header must be algorithm,hash,kind,name,source");
		}
		for (int a = 0; a < XH_HASH_COUNT; a++)
			if (k > 0 && strcmp(cell[0], xh_hash_name[a]) == 0)
				algo = a;
		if (k != 5 || algo < 0 || !cell[2][0] || !cell[3][0])
			return xh_fail(err, XH_EFORMAT, name, lineno, 0, "want algorithm (md5|sha1|sha256),hash,kind,name,source");
		if (xh_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v))
			return XH_ENOMEM;
		h = &l->v[l->n];
		memset(h, 0, sizeof *h);
		h->algo = (enum xh_hash_algo)algo;
		if (!xh_unhex(cell[1], strlen(cell[1]), h->h, xh_hash_len[algo]))
			return xh_fail(err, XH_EFORMAT, name, lineno, 0, "%s hash must be %zu hex digits", cell[0],
			               2 * xh_hash_len[algo]);
		h->kind = cell[2];
		h->name = cell[3];
		h->source = cell[4];
		l->n++;
	}
	return XH_OK;
}

static int cmp_bad(const void *a, const void *b)
{
	const struct xh_badhash *x = a, *y = b;
	if (x->algo != y->algo)
		return x->algo < y->algo ? -1 : 1;
	return memcmp(x->h, y->h, 32);
}

void xh_badlist_finish(struct xh_badlist *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof *l->v, cmp_bad);
}

const struct xh_badhash *xh_badlist_find(const struct xh_badlist *l, const struct xh_hashes *h,
                                         enum xh_hash_algo *by)
{
	static const enum xh_hash_algo order[] = {XH_HASH_SHA256, XH_HASH_SHA1, XH_HASH_MD5};

	for (size_t i = 0; i < XH_ARRAY_LEN(order); i++) {
		struct xh_badhash key;
		const struct xh_badhash *hit;
		if (!h->have[order[i]] || l->n == 0)
			continue;
		memset(&key, 0, sizeof key);
		key.algo = order[i];
		memcpy(key.h, h->v[order[i]], xh_hash_len[order[i]]);
		hit = bsearch(&key, l->v, l->n, sizeof *l->v, cmp_bad);
		if (hit) {
			if (by)
				*by = order[i];
			return hit;
		}
	}
	return NULL;
}

void xh_badlist_free(struct xh_badlist *l)
{
	for (size_t i = 0; i < l->nstore; i++)
		xh_free(l->store[i]);
	xh_free(l->store);
	xh_free(l->v);
	memset(l, 0, sizeof *l);
}
