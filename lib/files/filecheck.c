/*
 * The file checks: web shells, credential dumps, staging archives and rogue
 * configuration on disk (indicators.md sections 3 and 4; docs/architecture.md, "File
 * checks").
 *
 * The scan feeds each file's raw bytes, as its worker reads them, to this module's tap:
 * SHA-256 (and MD5/SHA-1 for small files) over the whole file, and a copy of its first
 * --max-scan-bytes. Then, per file, hits are gathered from four sources:
 *   - the known-bad hash list (hashes.c);
 *   - Microsoft's allow-list (allowlist.c) for a script page in an Exchange web folder:
 *     a listed (path, hash) ends the checks with nothing to say; an unlisted one is not a
 *     Microsoft file, or not Microsoft's content, or a look-alike of a stock name;
 *   - names and places (the table below, on webroot.c's places): anything in
 *     aspnet_client, shell names of the campaigns, random-looking names, LSASS dumps,
 *     staging archives, the tools and folders of section 4.1;
 *   - YARA (yara_rules.c), the shipped rules and --yara files.
 * They become one finding per file: the strongest hit names it, the others are listed in
 * `also`, the tags are their union, and a content trait (YARA, hash) of a page in a web
 * folder is critical whatever its rule says. Configuration files also get one finding per
 * item appconfig.c reports. The finding's time is the file's modification time (or the
 * zip entry's), which copying may change: the finding says which it is.
 */
#define _GNU_SOURCE
#include "files/filecheck.h"
#include "files/allowlist.h"
#include "files/appconfig.h"
#include "files/embed.h"
#include "files/hashes.h"
#include "files/webroot.h"
#include "files/yara_rules.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

struct xh_files {
	struct xh_yara *yara;
	struct xh_badlist bad;
	struct xh_allow allow;
	uint64_t max_scan;
	bool prepared;
};

struct xh_fc_scan {
	const struct xh_files *fc;
	struct xh_webroots roots;
};

enum hit_kind { H_HASH = 0, H_YARA, H_ALLOW, H_NAME };

struct hit {
	enum hit_kind kind;
	size_t order;             /* within its kind */
	enum xh_level level;
	const char *rule_id, *rule_name, *title, *family, *tags;
	int64_t offset;           /* of the evidence the hit quotes, -1 when none */
	char idbuf[160];
	char titlebuf[256];
	char familybuf[160];
};

struct xh_fc_worker {
	const struct xh_fc_scan *s;
	const struct xh_files *fc;
	struct xh_yscan *ys;
	struct xh_digest dg;
	unsigned char *buf;
	size_t cap, len;
	uint64_t total;
	bool hashing, too_big;
	struct xh_fc_file f;
	struct xh_place pl;
	char lpath[XH_MAX_PATH];  /* origin (or path) in lower case with '/' */
	struct xh_yara_hit yh[XH_FC_MAX_HITS];
	struct hit hits[XH_FC_MAX_HITS];
	size_t nhits;
	/* the finding being built */
	const char *tagv[XH_FC_MAX_TAGS];
	char tagbuf[XH_FC_MAX_TAGS][48];
	struct xh_kv kv[12];
	char also[640], size[32], sha[80], md5[40], sha1[48], scanned[96], note[160];
};

/* ---- the xh_files object (public API) ----------------------------------------------------- */

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
	fc->max_scan = XH_FC_SCAN_DEFAULT;
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
			if (++*nfiles > XH_FC_MAX_YARA_FILES) {
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
	st = slurp(path, XH_FC_MAX_YARA_FILE, &text, &len, &why);
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
	xh_status st = slurp(path, XH_FC_MAX_LIST_FILE, &text, &len, &why);

	if (st)
		return st == XH_ENOMEM ? st : xh_fail(err, st, path, 0, 0, "%s", why ? why : "cannot be read");
	st = xh_files_add_allowlist_text(fc, path, text, len, err);
	xh_free(text);
	return st;
}

bool xh_files_set_max_scan(struct xh_files *fc, uint64_t bytes)
{
	if (bytes < XH_FC_SCAN_MIN || bytes > XH_FC_SCAN_MAX)
		return false;
	fc->max_scan = bytes;
	return true;
}

xh_status xh_files_prepare(struct xh_files *fc, struct xh_error *err)
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

void xh_files_stats(const struct xh_files *fc, struct xh_files_stats *st)
{
	memset(st, 0, sizeof *st);
	st->yara_rules = xh_yara_rule_count(fc->yara);
	st->yara_files = xh_yara_file_count(fc->yara);
	st->allow_paths = fc->allow.npaths;
	st->allow_pairs = fc->allow.n;
	st->bad_hashes = fc->bad.n;
}

/* ---- per scan and per worker -------------------------------------------------------------- */

xh_status xh_fc_scan_new(struct xh_files *fc, size_t n,
                         void (*at)(void *ud, size_t i, const char **path, const char **origin), void *ud,
                         struct xh_fc_scan **out, struct xh_error *err)
{
	struct xh_fc_scan *s;
	xh_status st = xh_files_prepare(fc, err);

	*out = NULL;
	if (st)
		return st;
	s = xh_calloc(1, sizeof *s);
	if (!s)
		return XH_ENOMEM;
	s->fc = fc;
	st = xh_webroots_build(&s->roots, n, at, ud);
	if (st) {
		xh_fc_scan_free(s);
		return st;
	}
	*out = s;
	return XH_OK;
}

void xh_fc_scan_free(struct xh_fc_scan *s)
{
	if (!s)
		return;
	xh_webroots_free(&s->roots);
	xh_free(s);
}

void xh_fc_scan_report(const struct xh_fc_scan *s, struct xh_report *r)
{
	r->file_checks = true;
	r->max_scan_bytes = s->fc->max_scan;
	xh_webroots_describe(&s->roots, r->places, sizeof r->places);
}

xh_status xh_fc_worker_new(const struct xh_fc_scan *s, struct xh_fc_worker **out)
{
	struct xh_fc_worker *w = xh_calloc(1, sizeof *w);
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
		xh_fc_worker_free(w);
		return st;
	}
	*out = w;
	return XH_OK;
}

void xh_fc_worker_free(struct xh_fc_worker *w)
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

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static const char *ext_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot ? dot : "";
}

static bool ext_in(const char *name, const char *const *exts)
{
	const char *e = ext_of(name);
	for (size_t i = 0; exts[i]; i++)
		if (strcasecmp(e, exts[i]) == 0)
			return true;
	return false;
}

/* The six page types of Microsoft's list (indicators.md 3.1.1). */
static const char *const ms_script_exts[] = {".aspx", ".ashx", ".asmx", ".asax", ".ascx", ".master", NULL};
/* Every page type IIS runs as script. */
static const char *const script_exts[] = {".aspx", ".ashx", ".asmx", ".asax", ".ascx", ".master", ".asp",
                                          ".svc",  ".cshtml", ".vbhtml", ".soap", ".rem", NULL};

bool xh_fc_wants(const struct xh_fc_file *f)
{
	if (ext_in(base_name(f->path), script_exts))
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

xh_status xh_fc_begin(struct xh_fc_worker *w, const struct xh_fc_file *f)
{
	w->f = *f;
	w->len = 0;
	w->total = 0;
	w->too_big = f->declared > XH_FC_HASH_MAX;
	w->hashing = !w->too_big;
	if (w->hashing && xh_digest_begin(&w->dg, f->declared <= XH_FC_LEGACY_HASH_MAX) != XH_OK) {
		xh_digest_drop(&w->dg, true);
		w->hashing = false;
	}
	return XH_OK;
}

void xh_fc_feed(struct xh_fc_worker *w, const void *p, size_t n)
{
	if (w->len < w->cap) {
		size_t k = n < w->cap - w->len ? n : w->cap - w->len;
		memcpy(w->buf + w->len, p, k);
		w->len += k;
	}
	if (w->hashing) {
		if (w->total + n > XH_FC_HASH_MAX) {
			/* a header understated the size: give up the hash, keep the content */
			xh_digest_drop(&w->dg, true);
			w->hashing = false;
			w->too_big = true;
		} else {
			if (w->total + n > XH_FC_LEGACY_HASH_MAX)
				xh_digest_drop(&w->dg, false);
			xh_digest_update(&w->dg, p, n);
		}
	}
	w->total += n;
}

bool xh_fc_done(const struct xh_fc_worker *w)
{
	return w->len >= w->cap && !w->hashing;
}

uint64_t xh_fc_bytes(const struct xh_fc_worker *w)
{
	return w->total;
}

/* ---- hits ---------------------------------------------------------------------------------- */

static struct hit *add_hit(struct xh_fc_worker *w, enum hit_kind kind, size_t order, enum xh_level level,
                           const char *id, const char *name, const char *title, const char *family,
                           const char *tags, int64_t offset)
{
	struct hit *h;

	if (w->nhits == XH_FC_MAX_HITS)
		return NULL;
	h = &w->hits[w->nhits++];
	memset(h, 0, offsetof(struct hit, idbuf));
	h->kind = kind;
	h->order = order;
	h->level = level;
	h->rule_id = id;
	h->rule_name = name;
	h->title = title;
	h->family = family;
	h->tags = tags ? tags : "";
	h->offset = offset;
	return h;
}

/* Names and places (indicators.md 3.1, 3.2, 4.1). Order = precedence among equals. */
enum {
	PR_SHELL_NAME, PR_PD_DEVICE, PR_DMP_ZIP, PR_OPERA, PR_DISGUISED, PR_LSASS_NAME, PR_ASPNET_SCRIPT,
	PR_RANDOM, PR_OUTSIDE_WEB, PR_VSPERFMON, PR_TEMP_TOOL, PR_IT_ZIP, PR_WWWROOT_TOP, PR_ASPNET_OTHER,
	PR_MDMP_PLACE, PR_C_ROOT, PR_PUBLIC_DROP, PR_ARCHIVE_PD,
};

static const struct place_rule {
	const char *id, *name, *title, *tags;
	enum xh_level level;
} place_rules[] = {
	[PR_SHELL_NAME] = {"FS-WEB-06", "file-known-shell-name",
	                   "script page named like a web shell of the Exchange campaigns (Microsoft, MSTIC, ESET, Huntress lists)",
	                   "attack.t1505.003", XH_LEVEL_CRITICAL},
	[PR_PD_DEVICE] = {"FS-WEB-10", "file-script-in-device-folder",
	                  "script page in a device-named ProgramData folder (COM1, CON, AUX...): ProxyShell-era rogue vdir target",
	                  "attack.t1505.003", XH_LEVEL_CRITICAL},
	[PR_DMP_ZIP] = {"PX-03", "file-dump-cab-in-webroot", "dump packed with makecab (.dmp.zip) in the web root",
	                "attack.t1003.001 attack.t1560.001", XH_LEVEL_CRITICAL},
	[PR_OPERA] = {"PX-05", "file-fake-opera", "fake Opera browser in Users\\Public\\opera (Cobalt Strike loader, MSTIC/ESET)",
	              "", XH_LEVEL_CRITICAL},
	[PR_DISGUISED] = {"PX-09", "file-disguised-archive",
	                  "archive or mailbox export named as a web file in a web folder: staged for download",
	                  "attack.t1560.001 attack.t1114", XH_LEVEL_CRITICAL},
	[PR_LSASS_NAME] = {"PX-01", "file-lsass-dump", "LSASS dump by its name (lsass*dmp)", "attack.t1003.001",
	                   XH_LEVEL_HIGH},
	[PR_ASPNET_SCRIPT] = {"FS-WEB-04", "file-script-in-aspnet-client",
	                      "script page in aspnet_client, a folder that normally holds no files at all",
	                      "attack.t1505.003", XH_LEVEL_HIGH},
	[PR_RANDOM] = {"FS-WEB-07", "file-random-name", "script page with a random-looking name in a web folder",
	               "attack.t1505.003", XH_LEVEL_HIGH},
	[PR_OUTSIDE_WEB] = {"FS-WEB-09", "file-script-outside-web-root",
	                    "script page in ProgramData, a user folder, Windows\\Temp or C:\\root: only a rogue virtual directory serves it",
	                    "attack.t1505.003", XH_LEVEL_HIGH},
	[PR_VSPERFMON] = {"PX-06", "file-vsperfmon", "file in ProgramData\\VSPerfMon, the HAFNIUM tool and staging folder",
	                  "attack.persistence", XH_LEVEL_HIGH},
	[PR_TEMP_TOOL] = {"PX-04", "file-temp-tool", "tool of the March 2021 intrusions (xx.bat, cw.exe in Windows\\Temp, Windows\\WwanSvcdcs)",
	                  "", XH_LEVEL_HIGH},
	[PR_IT_ZIP] = {"PX-02", "file-archive-known-name", "C:\\ProgramData\\it.zip: the staging archive name of the March 2021 intrusions",
	               "attack.t1560.001", XH_LEVEL_HIGH},
	[PR_WWWROOT_TOP] = {"FS-WEB-08", "file-script-in-site-root",
	                    "script page in the Default Web Site root (inetpub\\wwwroot): Exchange puts none there",
	                    "attack.t1505.003", XH_LEVEL_MEDIUM},
	[PR_ASPNET_OTHER] = {"FS-WEB-05", "file-in-aspnet-client", "file in aspnet_client, a folder that normally holds no files at all",
	                     "", XH_LEVEL_MEDIUM},
	[PR_MDMP_PLACE] = {"PX-01", "file-memory-dump", "memory dump (MDMP) in a place attackers write to", "attack.t1003.001",
	                   XH_LEVEL_MEDIUM},
	[PR_C_ROOT] = {"PX-01", "file-in-c-root", "file in C:\\root, a folder the March 2021 intrusions made for LSASS dumps", "",
	               XH_LEVEL_MEDIUM},
	[PR_PUBLIC_DROP] = {"PX-11", "file-users-public-drop", "executable or script in Users\\Public", "", XH_LEVEL_MEDIUM},
	[PR_ARCHIVE_PD] = {"PX-02", "file-archive-in-programdata",
	                   "archive in ProgramData (product files too: raised when anything else was found)",
	                   "attack.t1560.001", XH_LEVEL_LOW},
};

/* Script page names of the campaigns (indicators.md 3.2), lower case. Judged only in
 * Exchange web folders, aspnet_client and Windows\Temp, where they are no product file. */
static const char *const shell_names[] = {
	"web.aspx", "help.aspx", "document.aspx", "erroree.aspx", "erroreee.aspx", "errorew.aspx", "errorff.aspx",
	"healthcheck.aspx", "aspnet_www.aspx", "aspnet_client.aspx", "xx.aspx", "shell.aspx", "aspnet_iisstart.aspx",
	"one.aspx", "8lw7tahf9i1pjnro.aspx", "outlookzh.aspx", "authhead.aspx", "bob.aspx", "one1.aspx",
	"errorpage.aspx", "errorpages.aspx", "fatal-erro.aspx", "log.aspx", "logg.aspx", "logout.aspx", "shel.aspx",
	"shel2.aspx", "shel90.aspx", "a.aspx", "default.aspx", "server.aspx", "aspnet_pages.aspx", "default1.aspx",
	"errorcheck.aspx", "iispage.aspx", "s.aspx", "session.aspx", "xclkmcfldfi948398430fdjkfdkj.aspx",
	"discover.aspx", "httpproxy.aspx", "outlooken.aspx", "supp0rt.aspx", "services.aspx", "aspnettest.aspx",
	"shellex.aspx", "t.aspx", "error.aspx", "aspnet.aspx", "client.aspx", "caches.aspx", "dukybyssss.aspx",
	"aspnet_regiis.aspx", "log_error_9e23efc3.aspx", "aspnet_error.aspx", "iistart.aspx", "iisstart.aspx",
	"0qwysexe.aspx", "devpclup.aspx", "load.aspx", "sol.aspx", "redirsuiteserverproxy.aspx", "multiup.aspx",
	"errorfs.aspx", "outlookus.aspx", "outlookru.aspx", "outlookde.aspx", "exchange.aspx", "aa.aspx",
	"system_web.aspx", "x.aspx", "cmd.aspx", "erroraa.aspx", "zntwv.aspx", "fexppw.aspx", "getpp.aspx",
	"err0r.aspx", "win.ashx", "928ccfacbe.aspx", "2xjhwn19.aspx", "uwspmsfi.aspx", "hwtjqdmfvmpoon.aspx",
	"d62ffcd688.aspx", "415cc41ac1.aspx", "6514f55e1a.aspx", "volwmfqwpp.aspx", "570221043.aspx",
	"689193944.aspx", "luifdecggoqmansn.aspx", "owafonts.aspx", NULL,
};

static bool in_list(const char *name, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strcasecmp(name, list[i]) == 0)
			return true;
	return false;
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int cls(char c)
{
	return c >= '0' && c <= '9' ? 0 : c >= 'a' && c <= 'z' ? 1 : 2;
}

/* A generated name: 8 alnum in system_web, 10 hex or 10-16 capitals (ProxyShell drops),
 * or letters and digits mixed the way random strings mix them. Words (OutlookCN,
 * RedirSuiteServiceProxy, errorFE) have no digits or few class changes. */
static bool random_name(const char *name, unsigned flags)
{
	const char *dot = strrchr(name, '.');
	size_t n = dot ? (size_t)(dot - name) : strlen(name), digits = 0, upper = 0, changes = 0;
	bool hex = true;

	if (n < 8 || n > 40)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!is_alnum(c))
			return false;
		digits += c >= '0' && c <= '9';
		upper += c >= 'A' && c <= 'Z';
		hex = hex && (cls(c) == 0 || (c >= 'a' && c <= 'f'));
		if (i && cls(c) != cls(name[i - 1]))
			changes++;
	}
	if ((flags & XH_PL_EX_AUTH) && ((n == 10 && hex && digits) || (upper == n && n >= 10 && n <= 16)))
		return true;
	if (!digits || digits == n)
		return false;
	return changes >= 4 || n >= 20;
}

static bool has_magic(const unsigned char *b, size_t n, const char *magic, size_t m)
{
	return n >= m && memcmp(b, magic, m) == 0;
}

static bool is_archive(const unsigned char *b, size_t n, const char *name)
{
	static const char *const exts[] = {".zip", ".7z", ".rar", ".cab", NULL};
	return has_magic(b, n, "PK\x03\x04", 4) || has_magic(b, n, "7z\xBC\xAF\x27\x1C", 6) ||
	       has_magic(b, n, "Rar!\x1A\x07", 6) || has_magic(b, n, "MSCF", 4) || ext_in(name, exts);
}

static void place_hits(struct xh_fc_worker *w)
{
	static const char *const static_exts[] = {".png", ".jpg", ".jpeg", ".gif", ".ico", ".css", ".js", ".htm",
	                                          ".html", ".txt", ".svg", ".bmp", ".woff", NULL};
	static const char *const drop_exts[] = {".dll", ".vbs", ".ps1", ".bat", ".hta", ".com", ".exe", NULL};
	const struct xh_place *pl = &w->pl;
	const char *name = pl->name;
	unsigned fl = pl->flags;
	bool script = ext_in(name, script_exts), stock_path = false;
	bool mdmp = has_magic(w->buf, w->len, "MDMP", 4);
	bool hit[XH_ARRAY_LEN(place_rules)];

	memset(hit, 0, sizeof hit);
	if (fl & XH_PL_EXCHANGE)
		stock_path = xh_allow_check(&w->fc->allow, pl->rel, NULL) != XH_ALLOW_UNKNOWN_PATH;
	if (script && !stock_path && (fl & (XH_PL_EX_FRONTEND | XH_PL_ASPNET_CLIENT | XH_PL_WINDOWS_TEMP)) &&
	    in_list(name, shell_names))
		hit[PR_SHELL_NAME] = true;
	if (script && (fl & XH_PL_ASPNET_CLIENT))
		hit[PR_ASPNET_SCRIPT] = true;
	else if (!script && (fl & XH_PL_ASPNET_CLIENT) && strcasecmp(ext_of(name), ".js") != 0)
		hit[PR_ASPNET_OTHER] = true; /* ASP.NET 1.x client scripts (*.js) once lived there */
	if (script && !stock_path && (fl & (XH_PL_EX_FRONTEND | XH_PL_ASPNET_CLIENT | XH_PL_WWWROOT)) &&
	    random_name(name, fl))
		hit[PR_RANDOM] = true;
	if (script && (fl & XH_PL_WWWROOT_TOP))
		hit[PR_WWWROOT_TOP] = true;
	if (script && (fl & (XH_PL_PROGRAMDATA | XH_PL_USERS | XH_PL_USERS_PUBLIC | XH_PL_WINDOWS_TEMP | XH_PL_C_ROOT))) {
		const char *sl = strchr(pl->sub, '/');
		char first[16];
		size_t k = sl ? (size_t)(sl - pl->sub) : 0;
		snprintf(first, sizeof first, "%.*s", (int)(k < sizeof first ? k : 0), pl->sub);
		if ((fl & XH_PL_PROGRAMDATA) && sl &&
		    (in_list(first, (const char *const[]){"com", "con", "aux", "prn", "nul", "who", "zing", "zoo", "xyz", NULL}) ||
		     (k == 4 && (strncmp(first, "com", 3) == 0 || strncmp(first, "lpt", 3) == 0) && first[3] >= '0' &&
		      first[3] <= '9')))
			hit[PR_PD_DEVICE] = true;
		else
			hit[PR_OUTSIDE_WEB] = true;
	}
	/* LSASS dumps: by name anywhere, by signature where attackers write */
	{
		const char *l = name;
		size_t nl = strlen(name);
		if (nl >= 9 && strncasecmp(l, "lsass.", 6) == 0 && strcasecmp(l + nl - 3, "dmp") == 0)
			hit[PR_LSASS_NAME] = true;
	}
	if (mdmp && !hit[PR_LSASS_NAME] &&
	    (fl & (XH_PL_WINDOWS_TEMP | XH_PL_C_ROOT | XH_PL_WEB | XH_PL_USERS_PUBLIC)))
		hit[PR_MDMP_PLACE] = true;
	if (mdmp && !hit[PR_LSASS_NAME] && (fl & XH_PL_PROGRAMDATA) && !strstr(pl->sub, "microsoft/windows/wer/"))
		hit[PR_MDMP_PLACE] = true;
	if ((fl & XH_PL_C_ROOT) && !hit[PR_LSASS_NAME] && !hit[PR_MDMP_PLACE])
		hit[PR_C_ROOT] = true;
	/* staging */
	if ((fl & XH_PL_WWWROOT) && strlen(name) > 8 && strcasecmp(name + strlen(name) - 8, ".dmp.zip") == 0)
		hit[PR_DMP_ZIP] = true;
	if ((fl & XH_PL_PROGRAMDATA) && strncmp(pl->sub, "vsperfmon/", 10) == 0)
		hit[PR_VSPERFMON] = true;
	if ((fl & XH_PL_PROGRAMDATA) && strcmp(pl->sub, "it.zip") == 0)
		hit[PR_IT_ZIP] = true;
	else if ((fl & XH_PL_PROGRAMDATA) && is_archive(w->buf, w->len, name))
		hit[PR_ARCHIVE_PD] = true;
	if ((fl & XH_PL_WEB) && ext_in(name, static_exts) &&
	    (has_magic(w->buf, w->len, "PK\x03\x04", 4) || has_magic(w->buf, w->len, "7z\xBC\xAF\x27\x1C", 6) ||
	     has_magic(w->buf, w->len, "Rar!\x1A\x07", 6) || has_magic(w->buf, w->len, "!BDN", 4)))
		hit[PR_DISGUISED] = true;
	/* tools and drops of section 4.1 */
	if (((fl & XH_PL_WINDOWS_TEMP) && (strcmp(pl->sub, "xx.bat") == 0 || strcmp(pl->sub, "cw.exe") == 0)) ||
	    strstr(w->lpath, "/windows/wwansvcdcs"))
		hit[PR_TEMP_TOOL] = true;
	if ((fl & XH_PL_USERS_PUBLIC) && strcmp(pl->sub, "opera/opera_browser.exe") == 0)
		hit[PR_OPERA] = true;
	else if ((fl & XH_PL_USERS_PUBLIC) && ext_in(name, drop_exts))
		hit[PR_PUBLIC_DROP] = true;
	for (size_t i = 0; i < XH_ARRAY_LEN(place_rules); i++)
		if (hit[i])
			add_hit(w, H_NAME, i, place_rules[i].level, place_rules[i].id, place_rules[i].name, place_rules[i].title,
			        NULL, place_rules[i].tags, -1);
}

/* Microsoft's list, for a page in an Exchange web folder. Returns true when the file is
 * Microsoft's own (nothing more to say). */
static bool allow_hits(struct xh_fc_worker *w, const struct xh_hashes *hs)
{
	const struct xh_place *pl = &w->pl;
	enum xh_allow_res res;
	const char *like;
	bool same = false;
	char folder[XH_MAX_PATH];
	struct hit *h;

	if (!(pl->flags & (XH_PL_EX_FRONTEND | XH_PL_EX_CLIENTACCESS)) || !ext_in(pl->name, ms_script_exts))
		return false;
	res = xh_allow_check(&w->fc->allow, pl->rel, hs->have[XH_HASH_SHA256] ? hs->v[XH_HASH_SHA256] : NULL);
	if (res == XH_ALLOW_LISTED)
		return true;
	if (res == XH_ALLOW_OTHER_HASH) {
		add_hit(w, H_ALLOW, 0, XH_LEVEL_HIGH, "FS-WEB-02", "file-ms-name-other-content",
		        "not Microsoft's content: Microsoft ships a page at this path, but none with this hash "
		        "(modified, or a build newer than Microsoft's March 2021 baselines)",
		        NULL, "attack.t1505.003", -1);
		return false;
	}
	snprintf(folder, sizeof folder, "%.*s", (int)pl->rel_folder, pl->rel);
	like = xh_allow_lookalike(&w->fc->allow, folder, pl->name, &same);
	if (like && (h = add_hit(w, H_ALLOW, 1, XH_LEVEL_HIGH, "FS-WEB-03", "file-lookalike-name", NULL, NULL,
	                         "attack.t1505.003", -1)) != NULL) {
		const char *stock = strrchr(like, '/') + 1;
		snprintf(h->titlebuf, sizeof h->titlebuf,
		         same ? "not a Microsoft file: Microsoft's %s belongs in another folder (%.*s)"
		              : "not a Microsoft file: look-alike of Microsoft's %s (%.*s)",
		         stock, (int)(stock - 1 - like), like);
		h->title = h->titlebuf;
		return false;
	}
	add_hit(w, H_ALLOW, 2, XH_LEVEL_HIGH, "FS-WEB-01", "file-not-microsoft",
	        "not a Microsoft file: script page in an Exchange web folder that is not in Microsoft's list of the files it ships",
	        NULL, "attack.t1505.003", -1);
	return false;
}

static void hash_hit(struct xh_fc_worker *w, const struct xh_hashes *hs)
{
	enum xh_hash_algo by;
	const struct xh_badhash *b = xh_badlist_find(&w->fc->bad, hs, &by);
	struct hit *h;
	const char *tags;

	if (!b)
		return;
	tags = strcmp(b->kind, "webshell") == 0 || strcmp(b->kind, "dll") == 0 ? "attack.t1505.003"
	       : strcmp(b->kind, "ransomware") == 0                            ? "attack.t1486"
	                                                                       : "";
	h = add_hit(w, H_HASH, 0, XH_LEVEL_CRITICAL, "FS-HASH", "file-known-bad-hash", NULL, NULL, tags, -1);
	if (!h)
		return;
	snprintf(h->titlebuf, sizeof h->titlebuf, "known-bad file by its %s: %s (%s)", xh_hash_name[by], b->name,
	         b->source);
	snprintf(h->familybuf, sizeof h->familybuf, "%s", b->name);
	h->title = h->titlebuf;
	h->family = h->familybuf;
	if (by == XH_HASH_MD5)
		xh_hex(hs->v[by], 16, w->md5);
	else if (by == XH_HASH_SHA1)
		xh_hex(hs->v[by], 20, w->sha1);
}

static xh_status yara_hits(struct xh_fc_worker *w, uint64_t size, bool *gave_up)
{
	size_t n = 0;
	xh_status st = xh_yscan_run(w->ys, w->buf, w->len, size, w->yh, XH_ARRAY_LEN(w->yh), &n, gave_up);

	for (size_t i = 0; !st && i < n; i++) {
		const struct xh_yrule *r = w->yh[i].rule;
		struct hit *h = add_hit(w, H_YARA, w->yh[i].order, r->level, NULL, r->id, r->title, r->family, r->tags,
		                        w->yh[i].offset);
		if (!h)
			break;
		snprintf(h->idbuf, sizeof h->idbuf, "yara:%s/%s", r->ns, r->id);
		h->rule_id = h->idbuf;
		if (!h->title) {
			snprintf(h->titlebuf, sizeof h->titlebuf, "YARA rule %s matched", r->id);
			h->title = h->titlebuf;
		}
	}
	return st;
}

/* ---- the finding ----------------------------------------------------------------------------- */

static int better(const struct hit *a, const struct hit *b)
{
	if (a->level != b->level)
		return a->level > b->level;
	if (a->kind != b->kind)
		return a->kind < b->kind;
	return a->order < b->order;
}

static void add_tags(struct xh_fc_worker *w, const char *tags, size_t *nt)
{
	for (const char *s = tags; s && *s;) {
		const char *e = strchr(s, ' ');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		bool dup = false;
		if (n && n < sizeof w->tagbuf[0]) {
			for (size_t i = 0; i < *nt && !dup; i++)
				dup = strlen(w->tagv[i]) == n && strncasecmp(w->tagv[i], s, n) == 0;
			if (!dup && *nt < XH_FC_MAX_TAGS) {
				memcpy(w->tagbuf[*nt], s, n);
				w->tagbuf[*nt][n] = '\0';
				w->tagv[*nt] = w->tagbuf[*nt];
				(*nt)++;
			}
		}
		s = e ? e + 1 : s + n;
	}
}

/* A short quote of the evidence: the line around the hit, or the file's start. */
static struct xh_sv excerpt(const struct xh_fc_worker *w, int64_t at)
{
	const char *b = (const char *)w->buf;
	size_t start, end;

	if (w->len == 0)
		return xh_sv_make("", 0);
	if (at < 0 || (uint64_t)at >= w->len)
		at = 0;
	start = (size_t)at;
	/* back to the start of the line, over text only: a binary file is quoted from the match */
	while (start > 0 && (size_t)at - start < 80 && ((unsigned char)b[start - 1] >= 0x20 || b[start - 1] == '\t') &&
	       (unsigned char)b[start - 1] < 0x7f)
		start--;
	end = start;
	while (end < w->len && end - start < XH_FC_EXCERPT && b[end] != '\n' && b[end] != '\r')
		end++;
	if (end == start)
		end = start + (w->len - start < 16 ? w->len - start : 16);
	return xh_sv_make(b + start, end - start);
}

static void kv(struct xh_fc_worker *w, size_t *n, const char *name, const char *value)
{
	if (*n < XH_ARRAY_LEN(w->kv) && value && value[0]) {
		w->kv[*n].name = name;
		w->kv[*n].value = xh_sv_make(value, strlen(value));
		(*n)++;
	}
}

static const char *time_source(const struct xh_fc_worker *w)
{
	if (w->f.mtime <= 0)
		return NULL;
	return w->f.zip ? "zip entry time as the archive stores it (copying before archiving may change it)"
	                : "file modification time as the collection preserves it (copying may change it)";
}

static xh_status emit_file(struct xh_fc_worker *w, uint64_t size, bool cut, bool gave_up, xh_fc_emit_fn emit,
                           void *ud)
{
	const struct hit *top = &w->hits[0], *content = NULL;
	struct xh_finding f;
	size_t nt = 0, nkv = 0, k = 0;
	enum xh_level level;

	for (size_t i = 1; i < w->nhits; i++)
		if (better(&w->hits[i], top))
			top = &w->hits[i];
	for (size_t i = 0; i < w->nhits; i++)
		if ((w->hits[i].kind == H_YARA || w->hits[i].kind == H_HASH) &&
		    (!content || better(&w->hits[i], content)))
			content = &w->hits[i];
	level = top->level;
	w->note[0] = '\0';
	/* a web shell trait in a page IIS serves is a web shell on the server */
	if (content && content->level >= XH_LEVEL_HIGH && level < XH_LEVEL_CRITICAL &&
	    (w->pl.flags & XH_PL_WEB) && ext_in(w->pl.name, script_exts)) {
		level = XH_LEVEL_CRITICAL;
		snprintf(w->note, sizeof w->note, "content trait (%s) in a page of a web folder IIS serves",
		         content->family ? content->family : content->rule_name);
	}
	add_tags(w, top->tags, &nt);
	for (size_t i = 0; i < w->nhits; i++)
		if (&w->hits[i] != top)
			add_tags(w, w->hits[i].tags, &nt);
	w->also[0] = '\0';
	for (size_t i = 0; i < w->nhits; i++) {
		const struct hit *h = &w->hits[i];
		if (h == top || k >= sizeof w->also)
			continue;
		k += (size_t)snprintf(w->also + k, sizeof w->also - k, "%s%s (%s)", k ? "; " : "", h->rule_name,
		                      xh_level_name(h->level));
	}
	snprintf(w->size, sizeof w->size, "%llu", (unsigned long long)size);
	if (cut)
		snprintf(w->scanned, sizeof w->scanned, "content scanned in its first %zu of %llu bytes (--max-scan-bytes)",
		         w->len, (unsigned long long)size);
	else
		w->scanned[0] = '\0';
	kv(w, &nkv, "family", content ? content->family : NULL);
	kv(w, &nkv, "place", w->pl.where);
	kv(w, &nkv, "size", w->size);
	kv(w, &nkv, "sha256", w->sha);
	kv(w, &nkv, "sha1", w->sha1);
	kv(w, &nkv, "md5", w->md5);
	kv(w, &nkv, "time_source", time_source(w));
	kv(w, &nkv, "also", w->also);
	kv(w, &nkv, "scanned", w->scanned);
	kv(w, &nkv, "yara", gave_up ? "YARA gave up on this file (timeout or too many matches)" : NULL);
	memset(&f, 0, sizeof f);
	f.rule_id = top->rule_id;
	f.rule_name = top->rule_name;
	f.title = top->title;
	f.level = level;
	f.rule_level = top->level;
	f.note = w->note[0] ? w->note : NULL;
	f.tags = w->tagv;
	f.ntags = nt;
	f.time_ms = w->f.mtime > 0 ? w->f.mtime * 1000 : XH_TIME_NONE;
	f.source = XH_SOURCE_FILE;
	f.path = w->f.path;
	f.origin = w->f.origin;
	f.offset = top->offset >= 0 ? (uint64_t)top->offset : content && content->offset >= 0 ? (uint64_t)content->offset : 0;
	f.fields = w->kv;
	f.nfields = nkv;
	f.excerpt = excerpt(w, top->offset >= 0 ? top->offset : content ? content->offset : -1);
	return emit(ud, &f);
}

struct cfg_emit {
	struct xh_fc_worker *w;
	xh_fc_emit_fn emit;
	void *ud;
};

static xh_status on_cfg(void *ud, const struct xh_cfg_hit *h)
{
	struct cfg_emit *ce = ud;
	struct xh_fc_worker *w = ce->w;
	struct xh_finding f;
	struct xh_kv fields[XH_CFG_MAX_FIELDS + 3];
	size_t nf = 0, nt = 0;

	for (size_t i = 0; i < h->nfields; i++)
		fields[nf++] = h->fields[i];
	if (h->phys)
		fields[nf++] = (struct xh_kv){"served_folder", xh_sv_make(h->phys, strlen(h->phys))};
	if (time_source(w))
		fields[nf++] = (struct xh_kv){"time_source", xh_sv_make(time_source(w), strlen(time_source(w)))};
	if (w->sha[0])
		fields[nf++] = (struct xh_kv){"sha256", xh_sv_make(w->sha, strlen(w->sha))};
	add_tags(w, h->tags, &nt);
	memset(&f, 0, sizeof f);
	f.rule_id = h->rule_id;
	f.rule_name = h->rule_name;
	f.title = h->title;
	f.level = f.rule_level = h->level;
	f.tags = w->tagv;
	f.ntags = nt;
	f.time_ms = w->f.mtime > 0 ? w->f.mtime * 1000 : XH_TIME_NONE;
	f.source = XH_SOURCE_FILE;
	f.path = w->f.path;
	f.origin = w->f.origin;
	f.line = h->line;
	f.fields = fields;
	f.nfields = nf;
	f.excerpt = h->excerpt;
	return ce->emit(ce->ud, &f);
}

static void lower_path(struct xh_fc_worker *w)
{
	const char *s = w->f.origin ? w->f.origin : w->f.path;
	size_t k = 0;

	for (; *s && k + 1 < sizeof w->lpath; s++)
		w->lpath[k++] = *s == '\\' ? '/' : (*s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s);
	w->lpath[k] = '\0';
}

xh_status xh_fc_check(struct xh_fc_worker *w, bool eof, bool read_error, xh_fc_emit_fn emit, void *ud,
                      struct xh_fc_stats *st)
{
	struct xh_hashes hs;
	uint64_t size = eof ? w->total : (w->f.declared > w->total ? w->f.declared : w->total);
	bool cut = size > w->len, gave_up = false;
	const char *name;
	xh_status rc;

	memset(&hs, 0, sizeof hs);
	if (w->hashing && eof && !read_error)
		xh_digest_end(&w->dg, &hs);
	else
		xh_digest_drop(&w->dg, true);
	w->hashing = false;
	w->nhits = 0;
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
	if (allow_hits(w, &hs)) {
		w->nhits = 0;
		return XH_OK; /* Microsoft's own page, byte for byte */
	}
	hash_hit(w, &hs);
	place_hits(w);
	rc = yara_hits(w, size, &gave_up);
	if (rc)
		return rc;
	if (w->nhits)
		rc = emit_file(w, size, cut, gave_up, emit, ud);
	name = base_name(w->f.path);
	if (!rc && strlen(name) > 7 && strcasecmp(name + strlen(name) - 7, ".config") == 0) {
		unsigned mode = 0;
		struct cfg_emit ce = {w, emit, ud};
		if (strcasecmp(name, "applicationHost.config") == 0 ||
		    (strcasecmp(name, "web.config") == 0 && (w->pl.flags & XH_PL_WWWROOT_TOP)))
			mode |= XH_CFG_SITE_LEVEL;
		if (strcasecmp(name, "web.config") == 0 && (w->pl.flags & XH_PL_EX_FRONTEND))
			mode |= XH_CFG_HTTPPROXY;
		rc = xh_cfg_check((const char *)w->buf, w->len, mode, on_cfg, &ce);
	}
	return rc;
}
