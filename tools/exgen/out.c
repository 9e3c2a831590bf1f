/*
 * exgen: output files.  Maps the logical path of a file (C/...) to its place
 * below OUTDIR for the chosen --layout, creates folders, keeps a record per
 * file (bytes, data and header lines, first and last time) for the manifest and
 * the --target-bytes test, buffers log files (ob/oe in exgen.h write a line),
 * writes small whole files, sets modification times and records the lines an
 * attack event writes in the timeline.
 */
#include "exgen.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

/* Logical path (C/...) to the path below OUTDIR for the chosen layout. */
void disk_rel(const Gen *g, char *dst, size_t cap, const char *logical)
{
	size_t n = 0;
	const char *s = logical;
	if (g->layout == L_VELO) {
		static const char pre[] = "uploads/auto/C%3A";
		memcpy(dst, pre, sizeof pre - 1);
		n = sizeof pre - 1;
		s = logical + 1; /* skip the drive letter "C" */
	}
	for (; *s && n + 4 < cap; s++) {
		if (g->layout == L_VELO && *s == ' ') {
			memcpy(dst + n, "%20", 3);
			n += 3;
		} else {
			dst[n++] = *s;
		}
	}
	dst[n] = 0;
}

void full_path(const Gen *g, char *dst, size_t cap, const char *rel)
{
	int k = snprintf(dst, cap, "%s/%s", g->outdir, rel);
	if (k < 0 || (size_t)k >= cap) {
		fprintf(stderr, "exgen: path too long: %s/%s\n", g->outdir, rel);
		exit(1);
	}
}

/* mkdir -p for every directory component of path (up to the last '/'). */
void mkdirs_for(Gen *g, const char *path, bool include_last)
{
	char tmp[4096];
	size_t n = strlen(path);
	if (n >= sizeof tmp)
		die_io("path too long", path);
	memcpy(tmp, path, n + 1);
	if (!include_last) {
		char *sl = strrchr(tmp, '/');
		if (!sl)
			return;
		*sl = 0;
	}
	if (strcmp(tmp, g->lastdir) == 0)
		return;
	for (char *p = tmp + 1;; p++) {
		if (*p == '/' || *p == 0) {
			char c = *p;
			*p = 0;
			if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
				die_io("cannot create directory", tmp);
			*p = c;
			if (!c)
				break;
		}
	}
	memcpy(g->lastdir, tmp, strlen(tmp) + 1);
}

static int add_rec(Gen *g, const char *rel, int kind)
{
	if (g->nrecs == g->caprecs) {
		g->caprecs = g->caprecs ? g->caprecs * 2 : 256;
		g->recs = xrealloc(g->recs, g->caprecs * sizeof *g->recs);
	}
	FileRec *r = &g->recs[g->nrecs];
	r->path = xstrdup(rel);
	r->kind = kind;
	r->bytes = r->data = r->hdr = 0;
	r->first = r->last = r->mtime = -1;
	return (int)g->nrecs++;
}

static FILE *create_file(Gen *g, const char *logical, int kind, int *rec_out)
{
	char rel[2048], full[4096];
	disk_rel(g, rel, sizeof rel, logical);
	full_path(g, full, sizeof full, rel);
	mkdirs_for(g, full, false);
	FILE *f = fopen(full, "wb");
	if (!f)
		die_io("cannot create", full);
	int rec = add_rec(g, rel, kind);
	if (rec_out)
		*rec_out = rec;
	return f;
}

void out_open(Gen *g, Out *o, const char *logical, int kind)
{
	o->f = create_file(g, logical, kind, &o->rec);
	o->path = g->recs[o->rec].path;
	setvbuf(o->f, NULL, _IONBF, 0); /* we buffer ourselves */
	if (!o->buf)
		o->buf = xrealloc(NULL, OUT_CAP);
	o->n = 0;
}
void out_flush(Out *o)
{
	if (o->n && fwrite(o->buf, 1, o->n, o->f) != o->n)
		die_io("write error on", o->path);
	o->n = 0;
}
void out_close(Out *o)
{
	if (!o->f)
		return;
	out_flush(o);
	if (fclose(o->f) != 0)
		die_io("close error on", o->path);
	o->f = NULL;
	o->rec = -1;
}

void out_raw(Gen *g, Out *o, const char *s, size_t n) /* bytes that are not a line (BOM) */
{
	char *p = ob(o);
	memcpy(p, s, n);
	o->n += n;
	g->recs[o->rec].bytes += n;
	g->kbytes[g->recs[o->rec].kind] += n;
}
void out_hline(Gen *g, Out *o, Str s, int64_t t)
{
	char *p = ob(o);
	p = ps(p, s);
	p = PL(p, "\r\n");
	oe(g, o, p, false, t);
}

/* n bytes as the whole of the file at full (no record: see write_whole). */
void put_file(const char *full, const void *data, size_t n)
{
	FILE *f = fopen(full, "wb");
	if (!f)
		die_io("cannot create", full);
	if (n && fwrite(data, 1, n, f) != n)
		die_io("write error on", full);
	if (fclose(f) != 0)
		die_io("close error on", full);
}

/* Whole small files (web root, markers, KAPE log). */
int write_whole(Gen *g, const char *logical_or_rel, bool is_logical, const void *data, size_t n)
{
	char rel[2048], full[4096];
	if (is_logical)
		disk_rel(g, rel, sizeof rel, logical_or_rel);
	else
		snprintf(rel, sizeof rel, "%s", logical_or_rel);
	full_path(g, full, sizeof full, rel);
	mkdirs_for(g, full, false);
	put_file(full, data, n);
	int rec = add_rec(g, rel, K_OTHER);
	g->recs[rec].bytes = n;
	g->kbytes[K_OTHER] += n;
	return rec;
}

/* Sets a written file's modification (and access) time, as the server would have left
 * it; the manifest lists it. Git does not keep these times: a checkout of the sample
 * evidence has the checkout time, which the report says may happen to copies. */
void stamp(Gen *g, int rec, int64_t ms)
{
	char full[4096];
	struct timespec ts[2];
	full_path(g, full, sizeof full, g->recs[rec].path);
	ts[0].tv_sec = ts[1].tv_sec = (time_t)(ms / 1000);
	ts[0].tv_nsec = ts[1].tv_nsec = (long)(ms % 1000) * 1000000L;
	if (utimensat(AT_FDCWD, full, ts, 0) != 0)
		die_io("cannot set the time of", full);
	g->recs[rec].mtime = ms;
}

/* A text file, with Windows line ends. */
int write_text(Gen *g, const char *logical, const char *text)
{
	size_t n = strlen(text), k = 0;
	char *buf = xrealloc(NULL, 2 * n + 1);
	for (size_t i = 0; i < n; i++) {
		if (text[i] == '\n')
			buf[k++] = '\r';
		buf[k++] = text[i];
	}
	int rec = write_whole(g, logical, true, buf, k);
	free(buf);
	return rec;
}

/* A line the current attack event wrote: into the timeline. */
void tl_push(Gen *g, int rec, uint64_t line, int64_t t)
{
	const Event *e = g->cur;
	if (g->ntl == g->captl) {
		g->captl = g->captl ? g->captl * 2 : 64;
		g->tl = xrealloc(g->tl, g->captl * sizeof *g->tl);
	}
	g->tl[g->ntl++] = (TlEntry){t, e->stage, e->desc, e->actor, rec, line};
}
