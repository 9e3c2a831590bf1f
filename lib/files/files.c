/*
 * The xh_files object and its public API (include/exhunt/exhunt.h): the shipped YARA
 * rules, the known-bad hash list and Microsoft's allow-list loaded from the embedded data,
 * --yara files and folders, --allowlist files, --max-scan-bytes, and the one preparation
 * before the first scan. It is the top of files/: it calls the lists, the rules and the
 * preparation in tap.c, and nothing in files/ calls it. Scans (tap.c) read the object
 * only, through state.h.
 */
#define _GNU_SOURCE
#include "files/embed.h"
#include "files/state.h"
#include "files/tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>

static const struct xh_embed_file *embedded(const char *name)
{
	for (size_t i = 0; i < xh_embed_nfiles; i++)
		if (strcmp(xh_embed_files[i].name, name) == 0)
			return &xh_embed_files[i];
	return NULL;
}

xh_status xh_files_new(struct xh_files **out, struct xh_error *err)
{
	struct xh_files *fc = xh_calloc(1, sizeof *fc);
	const struct xh_embed_file *e;
	xh_status st;

	*out = NULL;
	if (!fc)
		return XH_ENOMEM;
	fc->max_scan = XH_FILES_SCAN_DEFAULT;
	st = xh_yara_new(&fc->yara);
	for (size_t i = 0; !st && i < xh_embed_nfiles; i++)
		if (strncmp(xh_embed_files[i].name, "rules/yara/", 11) == 0)
			st = xh_yara_add_builtin(fc->yara, xh_embed_files[i].name, (const char *)xh_embed_files[i].data, err);
	if (!st) {
		e = embedded("data/bad_hashes.csv");
		st = e ? xh_badlist_load(&fc->bad, "builtin:data/bad_hashes.csv", (const char *)e->data, e->len, err)
		       : xh_fail(err, XH_ENOTFOUND, "data/bad_hashes.csv", 0, 0, "not embedded");
	}
	if (!st) {
		e = embedded("data/ms_web_allowlist.txt");
		st = e ? xh_allow_load(&fc->allow, "builtin:data/ms_web_allowlist.txt", (const char *)e->data, e->len, err)
		       : xh_fail(err, XH_ENOTFOUND, "data/ms_web_allowlist.txt", 0, 0, "not embedded");
	}
	if (st) {
		xh_files_free(fc);
		return st;
	}
	*out = fc;
	return XH_OK;
}

void xh_files_free(struct xh_files *fc)
{
	if (!fc)
		return;
	xh_yara_free(fc->yara);
	xh_badlist_free(&fc->bad);
	xh_allow_free(&fc->allow);
	xh_free(fc);
}

/* Reads a whole regular file of at most max bytes (never follows a link). */
xh_status xh_files_add_yara_text(struct xh_files *fc, const char *name, const char *text, size_t len,
                                 xh_rule_reject_fn cb, void *ud)
{
	char why[256];
	char *copy;
	xh_status st;

	if (fc->prepared)
		return XH_EARG;
	copy = xh_strndup(text, len); /* libyara wants a C string */
	if (!copy)
		return XH_ENOMEM;
	st = xh_yara_add_user(fc->yara, name, copy, why, sizeof why);
	xh_free(copy);
	if (st == XH_EFORMAT) {
		if (cb)
			cb(ud, name, NULL, why[0] ? why : "does not compile");
		return XH_OK;
	}
	return st;
}

static bool yara_name(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot && (strcasecmp(dot, ".yar") == 0 || strcasecmp(dot, ".yara") == 0);
}

/* Loading a YARA folder (xh_dir_walk): every .yar/.yara, sorted, depth-first; past
 * XH_FILES_MAX_YARA_FILES files the rest is left out, said once. */
struct yara_dir {
	struct xh_files *fc;
	size_t nfiles;
	xh_rule_reject_fn cb;
	void *ud;
};

static xh_status yara_dir_file(void *ud, const char *path)
{
	struct yara_dir *d = ud;

	if (++d->nfiles > XH_FILES_MAX_YARA_FILES) {
		if (d->cb)
			d->cb(d->ud, path, NULL, "more rule files than the limit below this folder");
		return XH_EABORT;
	}
	return xh_files_add_yara(d->fc, path, d->cb, d->ud);
}

static void yara_dir_error(void *ud, const char *path)
{
	struct yara_dir *d = ud;

	if (d->cb)
		d->cb(d->ud, path, NULL, "folder cannot be opened");
}

xh_status xh_files_add_yara(struct xh_files *fc, const char *path, xh_rule_reject_fn cb, void *ud)
{
	struct stat sb;
	const char *why = NULL;
	char *text;
	size_t len;
	xh_status st;

	if (fc->prepared)
		return XH_EARG;
	if (stat(path, &sb) != 0)
		return XH_ENOTFOUND;
	if (S_ISDIR(sb.st_mode)) {
		struct yara_dir d = {fc, 0, cb, ud};
		st = xh_dir_walk(path, &(struct xh_dir_walk){yara_name, yara_dir_file, yara_dir_error, &d});
		return st == XH_EABORT ? XH_OK : st;
	}
	st = xh_read_file(path, XH_FILES_MAX_YARA_FILE, &text, &len, &why);
	if (st == XH_ENOMEM)
		return st;
	if (st) {
		if (cb)
			cb(ud, path, NULL, why ? why : "cannot be read");
		return XH_OK;
	}
	st = xh_files_add_yara_text(fc, path, text, len, cb, ud);
	xh_free(text);
	return st;
}

xh_status xh_files_add_allowlist_text(struct xh_files *fc, const char *name, const char *text, size_t len,
                                      struct xh_error *err)
{
	if (fc->prepared)
		return xh_fail(err, XH_EARG, name, 0, 0, "file checks already prepared");
	return xh_allow_load(&fc->allow, name, text, len, err);
}

xh_status xh_files_add_allowlist(struct xh_files *fc, const char *path, struct xh_error *err)
{
	const char *why = NULL;
	char *text;
	size_t len;
	xh_status st = xh_read_file(path, XH_FILES_MAX_LIST_FILE, &text, &len, &why);

	if (st)
		return st == XH_ENOMEM ? st : xh_fail(err, st, path, 0, 0, "%s", why ? why : "cannot be read");
	st = xh_files_add_allowlist_text(fc, path, text, len, err);
	xh_free(text);
	return st;
}

bool xh_files_set_max_scan(struct xh_files *fc, uint64_t bytes)
{
	if (bytes < XH_FILES_SCAN_MIN || bytes > XH_FILES_SCAN_MAX)
		return false;
	fc->max_scan = bytes;
	return true;
}

xh_status xh_files_prepare(struct xh_files *fc, struct xh_error *err)
{
	return xh_files_ready(fc, err);
}

void xh_files_stats(const struct xh_files *fc, struct xh_files_stats *st)
{
	memset(st, 0, sizeof *st);
	st->yara_rules = xh_yara_rule_count(fc->yara);
	st->yara_files = xh_yara_file_count(fc->yara);
	st->allow_paths = fc->allow.npaths;
	st->allow_pairs = fc->allow.n;
	st->bad_hashes = fc->bad.n;
}
