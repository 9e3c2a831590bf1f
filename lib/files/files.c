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

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

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
static xh_status slurp(const char *path, size_t max, char **out, size_t *len, const char **why)
{
	struct stat sb;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	char *buf = NULL;
	size_t got = 0;

	*out = NULL;
	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		*why = fd < 0 ? strerror(errno) : "not a regular file";
		if (fd >= 0)
			close(fd);
		return XH_EIO;
	}
	if ((uint64_t)sb.st_size > max) {
		close(fd);
		*why = "larger than the limit";
		return XH_ELIMIT;
	}
	buf = xh_malloc((size_t)sb.st_size + 1);
	if (!buf) {
		close(fd);
		return XH_ENOMEM;
	}
	while (got < (size_t)sb.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)sb.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return XH_OK;
}

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

/* Every .yar/.yara below dir, sorted, depth-first; links are not followed. */
static xh_status walk_yara(struct xh_files *fc, const char *dir, unsigned depth, size_t *nfiles,
                           xh_rule_reject_fn cb, void *ud)
{
	char **names;
	size_t n;
	xh_status st;

	if (depth > XH_MAX_DEPTH)
		return XH_OK;
	st = xh_dir_names(dir, &names, &n);
	if (st == XH_EIO) {
		if (cb)
			cb(ud, dir, NULL, "folder cannot be opened");
		return XH_OK;
	}
	if (st)
		return st;
	for (size_t i = 0; !st && i < n; i++) {
		char path[4096];
		struct stat sb;
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= sizeof path)
			continue;
		if (lstat(path, &sb) != 0)
			continue;
		if (S_ISDIR(sb.st_mode)) {
			st = walk_yara(fc, path, depth + 1, nfiles, cb, ud);
		} else if (S_ISREG(sb.st_mode) && yara_name(names[i])) {
			if (++*nfiles > XH_FILES_MAX_YARA_FILES) {
				if (cb)
					cb(ud, path, NULL, "more rule files than the limit below this folder");
				break;
			}
			st = xh_files_add_yara(fc, path, cb, ud);
		}
	}
	xh_dir_names_free(names, n);
	return st;
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
		size_t nfiles = 0;
		return walk_yara(fc, path, 0, &nfiles, cb, ud);
	}
	st = slurp(path, XH_FILES_MAX_YARA_FILE, &text, &len, &why);
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
	xh_status st = slurp(path, XH_FILES_MAX_LIST_FILE, &text, &len, &why);

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
