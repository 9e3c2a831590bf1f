/*
 * File hashes: SHA-256, SHA-1 and MD5 of a byte stream (OpenSSL libcrypto), and the
 * known-bad list of indicators.md section 3.4 (data/bad_hashes.csv, embedded) they are
 * looked up in.
 */
#ifndef XH_HASHES_H
#define XH_HASHES_H

#include "common/base.h"

enum xh_hash_algo { XH_HASH_MD5 = 0, XH_HASH_SHA1, XH_HASH_SHA256, XH_HASH_COUNT };

/* Digest sizes and names per algorithm. */
extern XH_HIDDEN const size_t xh_hash_len[XH_HASH_COUNT];
extern XH_HIDDEN const char *const xh_hash_name[XH_HASH_COUNT];

struct xh_hashes {
	unsigned char v[XH_HASH_COUNT][32];
	bool have[XH_HASH_COUNT];
};

/* Running digests of one worker (contexts made once, reused per file). */
struct xh_digest {
	void *ctx[XH_HASH_COUNT];  /* EVP_MD_CTX */
	bool on[XH_HASH_COUNT];
	bool started[XH_HASH_COUNT];
};

XH_HIDDEN xh_status xh_digest_init(struct xh_digest *d);
XH_HIDDEN void xh_digest_free(struct xh_digest *d);
/* Starts a file: SHA-256 always, MD5 and SHA-1 when legacy is true. */
XH_HIDDEN xh_status xh_digest_begin(struct xh_digest *d, bool legacy);
XH_HIDDEN void xh_digest_update(struct xh_digest *d, const void *p, size_t n);
/* Stops MD5/SHA-1 (the file grew past XH_FILES_LEGACY_HASH_MAX) or every digest. */
XH_HIDDEN void xh_digest_drop(struct xh_digest *d, bool all);
XH_HIDDEN void xh_digest_end(struct xh_digest *d, struct xh_hashes *out);

/* Lower-case hex of n bytes into out (2n + 1 bytes). */
XH_HIDDEN void xh_hex(const unsigned char *p, size_t n, char *out);

/* ---- the known-bad list ---------------------------------------------------------------- */

struct xh_badhash {
	enum xh_hash_algo algo;
	unsigned char h[32];
	const char *kind;    /* webshell, ransomware, tool, loader, backdoor, dll, unknown */
	const char *name;
	const char *source;
};

struct xh_badlist {
	struct xh_badhash *v;
	size_t n, cap;
	char **store;        /* one text block per loaded file */
	size_t nstore;
};

/* Loads a CSV "algorithm,hash,kind,name,source" (header row, '#' comments). A bad row is
 * an error with its line: the list ships with the binary and must be right. */
XH_HIDDEN xh_status xh_badlist_load(struct xh_badlist *l, const char *name, const char *text, size_t len,
                                    struct xh_error *err);
/* Sorts for lookup; call after the last load. */
XH_HIDDEN void xh_badlist_finish(struct xh_badlist *l);
/* The entry matching any of the file's digests (SHA-256 first), or NULL. */
XH_HIDDEN const struct xh_badhash *xh_badlist_find(const struct xh_badlist *l, const struct xh_hashes *h,
                                                   enum xh_hash_algo *by);
XH_HIDDEN void xh_badlist_free(struct xh_badlist *l);

#endif
