/*
 * The findings of the file checks (file_finding.h). A file's hits become one finding: the
 * strongest hit (level, then hash > YARA > allow-list > name, then rule order) names it,
 * the others are listed in `also`, the tags are their union, and a content trait (YARA,
 * hash) of a page in a web folder is critical whatever its rule says. Configuration items
 * become one finding each, with their line. The finding's time is the file's modification
 * time (or the zip entry's), which copying may change: the finding says which it is.
 */
#include "files/file_finding.h"
#include "files/names.h"

#include <stdio.h>
#include <strings.h>

static int better(const struct xh_files_hit *a, const struct xh_files_hit *b)
{
	if (a->level != b->level)
		return a->level > b->level;
	if (a->kind != b->kind)
		return a->kind < b->kind;
	return a->order < b->order;
}

static void add_tags(struct xh_files_worker *w, const char *tags, size_t *nt)
{
	for (const char *s = tags; s && *s;) {
		const char *e = strchr(s, ' ');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		bool dup = false;
		if (n && n < sizeof w->tagbuf[0]) {
			for (size_t i = 0; i < *nt && !dup; i++)
				dup = strlen(w->tagv[i]) == n && strncasecmp(w->tagv[i], s, n) == 0;
			if (!dup && *nt < XH_FILES_MAX_TAGS) {
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
static struct xh_sv excerpt(const struct xh_files_worker *w, int64_t at)
{
	const char *b = (const char *)w->buf;
	size_t start, end;

	if (w->len == 0)
		return xh_sv_make("", 0);
	if (at < 0 || (uint64_t)at >= w->len)
		at = 0;
	start = (size_t)at;
	/* back to the start of the line, over text only: a binary file is quoted from the match */
	while (start > 0 && (size_t)at - start < XH_FILES_EXCERPT_BACK &&
	       ((unsigned char)b[start - 1] >= 0x20 || b[start - 1] == '\t') && (unsigned char)b[start - 1] < 0x7f)
		start--;
	end = start;
	while (end < w->len && end - start < XH_FILES_EXCERPT && b[end] != '\n' && b[end] != '\r')
		end++;
	if (end == start)
		end = start + (w->len - start < XH_FILES_EXCERPT_MIN ? w->len - start : XH_FILES_EXCERPT_MIN);
	return xh_sv_make(b + start, end - start);
}

static void kv(struct xh_files_worker *w, size_t *n, const char *name, const char *value)
{
	if (*n < XH_ARRAY_LEN(w->kv) && value && value[0]) {
		w->kv[*n].name = name;
		w->kv[*n].value = xh_sv_make(value, strlen(value));
		(*n)++;
	}
}

static const char *time_source(const struct xh_files_worker *w)
{
	if (w->f.mtime <= 0)
		return NULL;
	return w->f.zip ? "zip entry time as the archive stores it (copying before archiving may change it)"
	                : "file modification time as the collection preserves it (copying may change it)";
}

/* What every finding of the file in w says: the file, its time, the tags gathered. */
static void file_finding_init(struct xh_finding *f, struct xh_files_worker *w, size_t ntags)
{
	memset(f, 0, sizeof *f);
	f->tags = w->tagv;
	f->ntags = ntags;
	f->time_ms = w->f.mtime > 0 ? w->f.mtime * 1000 : XH_TIME_NONE;
	f->source = XH_SOURCE_FILE;
	f->path = w->f.path;
	f->origin = w->f.origin;
}

xh_status xh_files_emit_file(struct xh_files_worker *w, uint64_t size, bool cut, bool gave_up, xh_files_emit_fn emit,
                             void *ud)
{
	const struct xh_files_hit *top = &w->hits[0], *content = NULL;
	struct xh_finding f;
	size_t nt = 0, nkv = 0, k = 0;
	enum xh_level level;

	for (size_t i = 1; i < w->nhits; i++)
		if (better(&w->hits[i], top))
			top = &w->hits[i];
	for (size_t i = 0; i < w->nhits; i++)
		if ((w->hits[i].kind == XH_FILES_HIT_YARA || w->hits[i].kind == XH_FILES_HIT_HASH) &&
		    (!content || better(&w->hits[i], content)))
			content = &w->hits[i];
	level = top->level;
	w->note[0] = '\0';
	/* a web shell trait in a page IIS serves is a web shell on the server */
	if (content && content->level >= XH_LEVEL_HIGH && level < XH_LEVEL_CRITICAL &&
	    (w->pl.flags & XH_PL_WEB) && xh_files_ext_in(w->pl.name, xh_files_script_exts)) {
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
		const struct xh_files_hit *h = &w->hits[i];
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
	file_finding_init(&f, w, nt);
	f.rule_id = top->rule_id;
	f.rule_name = top->rule_name;
	f.title = top->title;
	f.level = level;
	f.rule_level = top->level;
	f.note = w->note[0] ? w->note : NULL;
	f.offset = top->offset >= 0 ? (uint64_t)top->offset : content && content->offset >= 0 ? (uint64_t)content->offset : 0;
	f.fields = w->kv;
	f.nfields = nkv;
	f.excerpt = excerpt(w, top->offset >= 0 ? top->offset : content ? content->offset : -1);
	return emit(ud, &f);
}

xh_status xh_files_config_finding(void *ud, const struct xh_cfg_hit *h)
{
	struct xh_files_config_emit *ce = ud;
	struct xh_files_worker *w = ce->w;
	struct xh_finding f;
	struct xh_kv fields[XH_FILES_MAX_CONFIG_FIELDS + 3];
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
	file_finding_init(&f, w, nt);
	f.rule_id = h->rule_id;
	f.rule_name = h->rule_name;
	f.title = h->title;
	f.level = f.rule_level = h->level;
	f.line = h->line;
	f.fields = fields;
	f.nfields = nf;
	f.excerpt = h->excerpt;
	return ce->emit(ce->ud, &f);
}
