/*
 * YARA through libyara. Rules are compiled once into one rule set (shipped rules in the
 * namespace "exhunt", so they may refer to each other across files; each --yara file in
 * its own namespace "userN", so names never clash) and shared read-only; each worker
 * owns a YR_SCANNER (libyara 4 keeps all scan state in the scanner, so scanners of one
 * rule set run in parallel without limit).
 *
 * A scan sees one memory block, the first --max-scan-bytes of the file, through a block
 * iterator whose file_size callback returns the real size: rules that test `filesize`
 * judge the file, not the part read. Scans run with SCAN_FLAGS_NO_TRYCATCH (the block is
 * our own heap memory, and libyara's signal handlers would fight the sanitizers') and a
 * timeout (XH_FILES_YARA_TIMEOUT).
 */
#include "files/yara_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <yara.h>

struct xh_yara {
	YR_COMPILER *comp;          /* until compiled */
	YR_RULES *rules;
	struct xh_yrule *info;      /* per rule, in rules_table order */
	size_t ninfo;
	size_t nfiles;
	unsigned nuser;
	bool inited;
	char **names;               /* namespace strings we own */
	size_t nnames;
};

struct cerr {
	char *buf;
	size_t cap;
	unsigned errors;
};

static void on_compile(int level, const char *file, int line, const YR_RULE *rule, const char *msg, void *ud)
{
	struct cerr *e = ud;

	(void)file;
	(void)rule;
	if (level != YARA_ERROR_LEVEL_ERROR)
		return; /* warnings (a slow string) do not keep a rule out */
	if (e->errors++ == 0 && e->buf)
		snprintf(e->buf, e->cap, "line %d: %s", line, msg ? msg : "compile error");
}

xh_status xh_yara_new(struct xh_yara **out)
{
	struct xh_yara *y = xh_calloc(1, sizeof *y);

	*out = NULL;
	if (!y)
		return XH_ENOMEM;
	if (yr_initialize() != ERROR_SUCCESS) {
		xh_free(y);
		return XH_ENOMEM;
	}
	y->inited = true;
	if (yr_compiler_create(&y->comp) != ERROR_SUCCESS) {
		xh_yara_free(y);
		return XH_ENOMEM;
	}
	*out = y;
	return XH_OK;
}

void xh_yara_free(struct xh_yara *y)
{
	if (!y)
		return;
	if (y->comp)
		yr_compiler_destroy(y->comp);
	if (y->rules)
		yr_rules_destroy(y->rules);
	for (size_t i = 0; i < y->nnames; i++)
		xh_free(y->names[i]);
	xh_free(y->names);
	xh_free(y->info);
	if (y->inited)
		yr_finalize();
	xh_free(y);
}

xh_status xh_yara_add_builtin(struct xh_yara *y, const char *name, const char *text, struct xh_error *err)
{
	char why[256] = "";
	struct cerr e = {why, sizeof why, 0};

	if (!y->comp)
		return XH_EARG;
	yr_compiler_set_callback(y->comp, on_compile, &e);
	if (yr_compiler_add_string(y->comp, text, "exhunt") != 0 || e.errors) {
		/* libyara's compiler is unusable after an error: nothing more can be added */
		yr_compiler_destroy(y->comp);
		y->comp = NULL;
		return xh_fail(err, XH_EFORMAT, name, 0, 0, "shipped YARA rules do not compile: %s", why);
	}
	y->nfiles++;
	return XH_OK;
}

xh_status xh_yara_add_user(struct xh_yara *y, const char *name, const char *text, char *why, size_t cap)
{
	YR_COMPILER *trial;
	struct cerr e = {why, cap, 0};
	char ns[32], **nn, *own;

	(void)name;
	if (!y->comp)
		return XH_EARG;
	if (cap)
		why[0] = '\0';
	snprintf(ns, sizeof ns, "user%u", y->nuser + 1);
	/* alone first: a broken file must not spoil the shared compiler */
	if (yr_compiler_create(&trial) != ERROR_SUCCESS)
		return XH_ENOMEM;
	yr_compiler_set_callback(trial, on_compile, &e);
	if (yr_compiler_add_string(trial, text, ns) != 0 || e.errors) {
		yr_compiler_destroy(trial);
		if (cap && !why[0])
			snprintf(why, cap, "does not compile");
		return XH_EFORMAT;
	}
	yr_compiler_destroy(trial);
	nn = xh_realloc(y->names, (y->nnames + 1) * sizeof *nn);
	if (!nn)
		return XH_ENOMEM;
	y->names = nn;
	own = xh_strdup(ns);
	if (!own)
		return XH_ENOMEM;
	y->names[y->nnames++] = own;
	e.errors = 0;
	yr_compiler_set_callback(y->comp, on_compile, &e);
	if (yr_compiler_add_string(y->comp, text, own) != 0 || e.errors) {
		yr_compiler_destroy(y->comp);
		y->comp = NULL;
		return XH_EFORMAT;
	}
	y->nuser++;
	y->nfiles++;
	return XH_OK;
}

static const char *meta_str(const YR_RULE *r, const char *key)
{
	const YR_META *m;
	yr_rule_metas_foreach(r, m)
	{
		if (m->type == META_TYPE_STRING && strcmp(m->identifier, key) == 0)
			return m->string;
	}
	return NULL;
}

xh_status xh_yara_compile(struct xh_yara *y, struct xh_error *err)
{
	const YR_RULE *r;
	size_t n = 0, i = 0;

	if (y->rules)
		return XH_OK;
	if (!y->comp)
		return xh_fail(err, XH_EFORMAT, NULL, 0, 0, "YARA rules could not be compiled");
	if (yr_compiler_get_rules(y->comp, &y->rules) != ERROR_SUCCESS)
		return xh_fail(err, XH_ENOMEM, NULL, 0, 0, "YARA rules could not be compiled");
	yr_compiler_destroy(y->comp);
	y->comp = NULL;
	yr_rules_foreach(y->rules, r) n++;
	y->info = xh_calloc(n ? n : 1, sizeof *y->info);
	if (!y->info)
		return XH_ENOMEM;
	yr_rules_foreach(y->rules, r)
	{
		struct xh_yrule *in = &y->info[i++];
		const char *lv = meta_str(r, "level");
		in->ns = r->ns->name;
		in->id = r->identifier;
		in->builtin = strcmp(in->ns, "exhunt") == 0;
		if (!lv || !xh_level_parse(lv, &in->level))
			in->level = XH_LEVEL_HIGH;
		in->family = meta_str(r, "family");
		if (!in->family || !in->family[0])
			in->family = in->id;
		in->title = meta_str(r, "title");
		in->tags = meta_str(r, "tags");
	}
	y->ninfo = n;
	return XH_OK;
}

bool xh_yara_compiled(const struct xh_yara *y)
{
	return y->rules != NULL;
}

size_t xh_yara_rule_count(const struct xh_yara *y)
{
	return y->ninfo;
}

size_t xh_yara_file_count(const struct xh_yara *y)
{
	return y->nfiles;
}

/* ---- scanning ---------------------------------------------------------------------- */

struct xh_yscan {
	const struct xh_yara *y;
	YR_SCANNER *sc;
	YR_MEMORY_BLOCK block;
	YR_MEMORY_BLOCK_ITERATOR it;
	const uint8_t *data;
	uint64_t file_size;
	struct xh_yara_hit *hits;
	size_t max, n;
	bool gave_up;
};

static const uint8_t *blk_fetch(YR_MEMORY_BLOCK *b)
{
	struct xh_yscan *s = b->context;
	return s->data;
}

static YR_MEMORY_BLOCK *blk_first(YR_MEMORY_BLOCK_ITERATOR *it)
{
	struct xh_yscan *s = it->context;
	it->last_error = ERROR_SUCCESS;
	return &s->block;
}

static YR_MEMORY_BLOCK *blk_next(YR_MEMORY_BLOCK_ITERATOR *it)
{
	it->last_error = ERROR_SUCCESS;
	return NULL;
}

static uint64_t blk_size(YR_MEMORY_BLOCK_ITERATOR *it)
{
	struct xh_yscan *s = it->context;
	return s->file_size;
}

static int on_scan(YR_SCAN_CONTEXT *ctx, int msg, void *data, void *ud)
{
	struct xh_yscan *s = ud;

	if (msg == CALLBACK_MSG_TOO_MANY_MATCHES) {
		s->gave_up = true;
		return CALLBACK_CONTINUE;
	}
	if (msg == CALLBACK_MSG_RULE_MATCHING && s->n < s->max) {
		YR_RULE *r = data;
		const YR_STRING *str;
		int64_t first = -1;
		size_t order = (size_t)(r - s->y->rules->rules_table);
		if (order >= s->y->ninfo)
			return CALLBACK_CONTINUE;
		/* the first match of the first string declared that matched: rules declare
		 * their most telling string first, and that is what the finding quotes */
		yr_rule_strings_foreach(r, str)
		{
			/* libyara keeps matches in a notebook without alignment: each one is copied
			 * out before it is read (what yr_string_matches_foreach would not do) */
			const YR_MATCH *m = ctx->matches[str->idx].head;
			while (m) {
				YR_MATCH mm;
				memcpy(&mm, m, sizeof mm);
				if (!mm.is_private && (first < 0 || mm.base + mm.offset < first))
					first = mm.base + mm.offset;
				m = mm.next;
			}
			if (first >= 0)
				break;
		}
		s->hits[s->n].rule = &s->y->info[order];
		s->hits[s->n].order = order;
		s->hits[s->n].offset = first;
		s->n++;
	}
	return CALLBACK_CONTINUE;
}

xh_status xh_yscan_new(const struct xh_yara *y, struct xh_yscan **out)
{
	struct xh_yscan *s;

	*out = NULL;
	if (!y->rules)
		return XH_EARG;
	s = xh_calloc(1, sizeof *s);
	if (!s)
		return XH_ENOMEM;
	s->y = y;
	if (yr_scanner_create(y->rules, &s->sc) != ERROR_SUCCESS) {
		xh_free(s);
		return XH_ENOMEM;
	}
	yr_scanner_set_callback(s->sc, on_scan, s);
	yr_scanner_set_flags(s->sc, SCAN_FLAGS_NO_TRYCATCH);
	yr_scanner_set_timeout(s->sc, XH_FILES_YARA_TIMEOUT);
	s->block.context = s;
	s->block.fetch_data = blk_fetch;
	s->block.base = 0;
	s->it.context = s;
	s->it.first = blk_first;
	s->it.next = blk_next;
	s->it.file_size = blk_size;
	*out = s;
	return XH_OK;
}

void xh_yscan_free(struct xh_yscan *s)
{
	if (!s)
		return;
	if (s->sc)
		yr_scanner_destroy(s->sc);
	xh_free(s);
}

static int cmp_hit(const void *a, const void *b)
{
	const struct xh_yara_hit *x = a, *y = b;
	return x->order < y->order ? -1 : x->order > y->order;
}

xh_status xh_yscan_run(struct xh_yscan *s, const void *p, size_t n, uint64_t file_size,
                       struct xh_yara_hit *hits, size_t max, size_t *nhits, bool *gave_up)
{
	static const uint8_t empty[1];
	int rc;

	s->data = n ? p : empty;
	s->block.size = n;
	s->file_size = file_size;
	s->hits = hits;
	s->max = max;
	s->n = 0;
	s->gave_up = false;
	rc = yr_scanner_scan_mem_blocks(s->sc, &s->it);
	if (rc == ERROR_INSUFFICIENT_MEMORY)
		return XH_ENOMEM;
	if (rc != ERROR_SUCCESS)
		s->gave_up = true; /* timeout, or too many matches */
	if (s->n > 1)
		qsort(hits, s->n, sizeof *hits, cmp_hit);
	*nhits = s->n;
	*gave_up = s->gave_up;
	return XH_OK;
}
