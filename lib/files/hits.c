/*
 * The hits of one file (hits.h), from four sources, in this order:
 *   - Microsoft's allow-list (allowlist.c) for a script page in an Exchange web folder:
 *     a listed (path, hash) ends the checks with nothing to say; an unlisted one is not a
 *     Microsoft file, or not Microsoft's content, or a look-alike of a stock name;
 *   - the known-bad hash list (hashes.c);
 *   - names and places: every row of place_rules.c on the file's place (webroot.c);
 *   - YARA (yara_rules.c), the shipped rules and --yara files, on the content read.
 * file_finding.c makes one finding of them. A configuration file also goes to the IIS
 * configuration checks (appconfig.c), whose items become findings of their own.
 */
#include "files/hits.h"
#include "files/appconfig.h"
#include "files/file_finding.h"
#include "files/names.h"
#include "files/place_rules.h"

#include <stdio.h>
#include <strings.h>

static struct xh_files_hit *add_hit(struct xh_files_worker *w, enum xh_files_hit_kind kind, size_t order,
                                    enum xh_level level, const char *id, const char *name, const char *title,
                                    const char *family, const char *tags, int64_t offset)
{
	struct xh_files_hit *h;

	if (w->nhits == XH_FILES_MAX_HITS)
		return NULL;
	h = &w->hits[w->nhits++];
	memset(h, 0, offsetof(struct xh_files_hit, idbuf));
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

/* ---- Microsoft's allow-list ------------------------------------------------------------------- */

/* What the list says of a page it does not hold byte for byte; the row is the hit's order. */
enum { ALLOW_OTHER_HASH, ALLOW_LOOKALIKE, ALLOW_NOT_LISTED };
static const struct {
	const char *id, *name, *title; /* title NULL: made with the stock page's name */
} allow_rules[] = {
	[ALLOW_OTHER_HASH] = {"FS-WEB-02", "file-ms-name-other-content",
	                      "not Microsoft's content: Microsoft ships a page at this path, but none with this hash "
	                      "(modified, or a build newer than Microsoft's March 2021 baselines)"},
	[ALLOW_LOOKALIKE] = {"FS-WEB-03", "file-lookalike-name", NULL},
	[ALLOW_NOT_LISTED] = {"FS-WEB-01", "file-not-microsoft",
	                      "not a Microsoft file: script page in an Exchange web folder that is not in Microsoft's list "
	                      "of the files it ships"},
};

static struct xh_files_hit *allow_hit(struct xh_files_worker *w, size_t rule)
{
	return add_hit(w, XH_FILES_HIT_ALLOW, rule, XH_LEVEL_HIGH, allow_rules[rule].id, allow_rules[rule].name,
	               allow_rules[rule].title, NULL, "attack.t1505.003", -1);
}

/* Returns true when the file is Microsoft's own (nothing more to say). */
static bool allow_hits(struct xh_files_worker *w, const struct xh_hashes *hs)
{
	const struct xh_place *pl = &w->pl;
	enum xh_allow_res res;
	const char *like;
	bool same = false;
	char folder[XH_MAX_PATH];
	struct xh_files_hit *h;

	if (!(pl->flags & (XH_PL_EX_FRONTEND | XH_PL_EX_CLIENTACCESS)) || !xh_files_ext_in(pl->name, xh_files_ms_script_exts))
		return false;
	res = xh_allow_check(&w->fc->allow, pl->rel, hs->have[XH_HASH_SHA256] ? hs->v[XH_HASH_SHA256] : NULL);
	if (res == XH_ALLOW_LISTED)
		return true;
	if (res == XH_ALLOW_OTHER_HASH) {
		allow_hit(w, ALLOW_OTHER_HASH);
		return false;
	}
	snprintf(folder, sizeof folder, "%.*s", (int)pl->rel_folder, pl->rel);
	like = xh_allow_lookalike(&w->fc->allow, folder, pl->name, &same);
	if (like && (h = allow_hit(w, ALLOW_LOOKALIKE)) != NULL) {
		const char *stock = strrchr(like, '/') + 1;
		snprintf(h->titlebuf, sizeof h->titlebuf,
		         same ? "not a Microsoft file: Microsoft's %s belongs in another folder (%.*s)"
		              : "not a Microsoft file: look-alike of Microsoft's %s (%.*s)",
		         stock, (int)(stock - 1 - like), like);
		h->title = h->titlebuf;
		return false;
	}
	allow_hit(w, ALLOW_NOT_LISTED);
	return false;
}

/* ---- the known-bad list ----------------------------------------------------------------------- */

/* The tags of a known-bad file by the list's kind column (others: none). */
static const struct {
	const char *kind, *tags;
} bad_kind_tags[] = {
	{"webshell", "attack.t1505.003"},
	{"dll", "attack.t1505.003"},
	{"ransomware", "attack.t1486"},
};

static void hash_hit(struct xh_files_worker *w, const struct xh_hashes *hs)
{
	enum xh_hash_algo by;
	const struct xh_badhash *b = xh_badlist_find(&w->fc->bad, hs, &by);
	struct xh_files_hit *h;
	const char *tags = "";

	if (!b)
		return;
	for (size_t i = 0; i < XH_ARRAY_LEN(bad_kind_tags) && !tags[0]; i++)
		if (strcmp(b->kind, bad_kind_tags[i].kind) == 0)
			tags = bad_kind_tags[i].tags;
	h = add_hit(w, XH_FILES_HIT_HASH, 0, XH_LEVEL_CRITICAL, "FS-HASH", "file-known-bad-hash", NULL, NULL, tags, -1);
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

/* ---- names and places ------------------------------------------------------------------------- */

static void place_hits(struct xh_files_worker *w)
{
	struct xh_files_subject s;
	bool stock_path = false;

	if (w->pl.flags & XH_PL_EXCHANGE)
		stock_path = xh_allow_check(&w->fc->allow, w->pl.rel, NULL) != XH_ALLOW_UNKNOWN_PATH;
	xh_files_subject_init(&s, &w->pl, w->lpath, w->buf, w->len, stock_path);
	for (size_t i = 0; i < xh_files_nplace_rules; i++) {
		const struct xh_files_place_rule *r = &xh_files_place_rules[i];
		if (r->holds(&s))
			add_hit(w, XH_FILES_HIT_NAME, i, r->level, r->id, r->name, r->title, NULL, r->tags, -1);
	}
}

/* ---- YARA ------------------------------------------------------------------------------------- */

static xh_status yara_hits(struct xh_files_worker *w, uint64_t size, bool *gave_up)
{
	size_t n = 0;
	xh_status st = xh_yscan_run(w->ys, w->buf, w->len, size, w->yh, XH_ARRAY_LEN(w->yh), &n, gave_up);

	for (size_t i = 0; !st && i < n; i++) {
		const struct xh_yrule *r = w->yh[i].rule;
		struct xh_files_hit *h = add_hit(w, XH_FILES_HIT_YARA, w->yh[i].order, r->level, NULL, r->id, r->title,
		                                 r->family, r->tags, w->yh[i].offset);
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

xh_status xh_files_gather(struct xh_files_worker *w, const struct xh_hashes *hs, uint64_t size, bool *listed,
                          bool *gave_up)
{
	w->nhits = 0;
	*listed = allow_hits(w, hs);
	if (*listed) {
		w->nhits = 0;
		return XH_OK;
	}
	hash_hit(w, hs);
	place_hits(w);
	return yara_hits(w, size, gave_up);
}

/* ---- configuration files ---------------------------------------------------------------------- */

/* Which configuration checks a .config file gets, by its name and place (place 0: any);
 * the modes of every row that holds add up. */
static const struct {
	const char *name;
	unsigned place;
	unsigned mode;
} config_modes[] = {
	{"applicationHost.config", 0, XH_CFG_SITE_LEVEL},
	{"web.config", XH_PL_WWWROOT_TOP, XH_CFG_SITE_LEVEL},  /* the Default Web Site's */
	{"web.config", XH_PL_EX_FRONTEND, XH_CFG_HTTPPROXY},   /* a vdir's under FrontEnd\HttpProxy */
};

xh_status xh_files_config_hits(struct xh_files_worker *w, xh_files_emit_fn emit, void *ud)
{
	const char *name = xh_files_base_name(w->f.path);
	struct xh_files_config_emit ce = {w, emit, ud};
	unsigned mode = 0;

	if (!xh_files_ends_with(name, ".config"))
		return XH_OK;
	for (size_t i = 0; i < XH_ARRAY_LEN(config_modes); i++)
		if (strcasecmp(name, config_modes[i].name) == 0 &&
		    (!config_modes[i].place || (w->pl.flags & config_modes[i].place)))
			mode |= config_modes[i].mode;
	return xh_cfg_check((const char *)w->buf, w->len, mode, xh_files_config_finding, &ce);
}
