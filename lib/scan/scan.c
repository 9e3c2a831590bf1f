/*
 * The scan driver: evidence -> walker -> classifier -> reader -> (rule hook, writer).
 *
 * Files are handed to worker threads in index order; each worker writes what a file
 * produces (formatted records, findings, statistics) into that file's result slot, and
 * the calling thread emits the slots strictly in index order. Output is therefore the
 * same for any --jobs, while memory stays bounded: at most jobs x XH_INFLIGHT_PER_JOB
 * slots exist, and a slot's formatted output spills to an anonymous temp file (never
 * into the evidence) beyond XH_OBUF_MEM.
 */
#define _GNU_SOURCE
#include "scan/coverage.h"
#include "scan/hosts.h"
#include "evidence/hosts.h"
#include "patch/builds_seen.h"
#include "evidence/classify.h"
#include "judge/judge.h"
#include "files/tap.h"
#include "model/finding.h"
#include "readers/reader.h"
#include "evidence/vfs.h"
#include "output/writer.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

struct result {
	bool done;
	const struct xh_source *source;
	struct xh_fstats st;
	const char *unreadable;      /* why the file could not be read (fully), or NULL; points
	                                into why[] (library texts die with their reader) */
	char why[96];
	struct xh_buf mem;           /* formatted records */
	FILE *spill;
	struct xh_flist findings;
	struct xh_builds_seen builds;   /* Exchange builds this file shows */
	struct xh_files_counts fcst;    /* file checks */
	char server[XH_FINDING_HOST];   /* the server the file's first record names, or "" */
	char channel[64];               /* an event log's channel (its first record's), or "" */
	bool server_looked;
};

struct job {
	struct xh_vfs vfs;
	const struct xh_scan_opts *o;
	struct result *slots;
	size_t nslots;
	size_t next_take, next_flush;
	unsigned room_waiters;       /* workers waiting for a free slot */
	bool flush_waiting;          /* the calling thread waits for slot next_flush */
	pthread_mutex_t mu;
	pthread_cond_t cv_done, cv_room;
	xh_status fatal;             /* first error that stops the scan (output, memory) */
	struct xh_builds_seen *builds;  /* builds seen, per host (calling thread) */
	struct xh_flist all;         /* findings of the whole evidence, for the post-pass */
	atomic_uint_fast64_t bytes_done;
	atomic_int evtx_spare;       /* EVTX chunk-decoding helper threads still allowed */
	struct xh_files_scan *fcs;   /* file checks of this scan, or NULL */
};

struct worker {
	struct job *job;
	struct xh_in raw, dec;
	struct xh_scratch scr;
	struct xh_opened op;
	struct xh_buf line;          /* one formatted record */
	struct result *res;          /* slot of the file being read */
	struct xh_src inner;         /* the entry's source, wrapped for progress counting */
	struct xh_builds_seen_cache bcache;
	void *hstate;                /* the hook's per-worker state */
	struct xh_files_worker *fcw; /* file checks: state, and whether raw bytes feed it */
	bool tap;
	uint32_t host;               /* of the file being read */
};

void xh_scan_opts_init(struct xh_scan_opts *o)
{
	memset(o, 0, sizeof *o);
	o->since_ms = o->until_ms = XH_TIME_NONE;
}

/* ---- per-record path (worker threads) --------------------------------------------------- */

static void set_unreadable(struct result *res, const char *why)
{
	snprintf(res->why, sizeof res->why, "%s", why ? why : "read error");
	res->unreadable = res->why;
}

/* Output side failures are XH_ESYSTEM: they stop the scan, they never make an
 * evidence file look unreadable. */
static xh_status spill(struct result *res)
{
	if (!res->spill) {
		res->spill = tmpfile();
		if (!res->spill)
			return XH_ESYSTEM;
	}
	if (res->mem.len && fwrite(res->mem.p, 1, res->mem.len, res->spill) != res->mem.len)
		return XH_ESYSTEM;
	res->mem.len = 0;
	return XH_OK;
}

static xh_status on_record(struct xh_read_ctx *c, const struct xh_record *r)
{
	struct worker *w = c->ud;
	const struct xh_scan_opts *o = w->job->o;
	struct result *res = w->res;
	xh_status st;

	if (!r->bad) {
		if (r->time_ms != XH_TIME_NONE &&
		    ((o->since_ms != XH_TIME_NONE && r->time_ms < o->since_ms) ||
		     (o->until_ms != XH_TIME_NONE && r->time_ms >= o->until_ms))) {
			c->st->outside_window++;
			c->st->records++;
			return XH_OK;
		}
		c->st->records++;
		if (r->time_ms != XH_TIME_NONE) {
			if (c->st->first_ms == XH_TIME_NONE || r->time_ms < c->st->first_ms)
				c->st->first_ms = r->time_ms;
			if (c->st->last_ms == XH_TIME_NONE || r->time_ms > c->st->last_ms)
				c->st->last_ms = r->time_ms;
		}
		xh_builds_seen_record(&res->builds, &w->bcache, r);
		if (!res->server_looked) {
			/* the server a file names, once per file: checked against its host's name */
			res->server_looked = true;
			if (!xh_record_server(r, res->server, sizeof res->server))
				res->server[0] = '\0';
			if (r->channel.p && r->channel.n < sizeof res->channel) {
				memcpy(res->channel, r->channel.p, r->channel.n);
				res->channel[r->channel.n] = '\0';
			}
		}
		if (o->hook) {
			struct xh_emit em = {&res->findings, w->hstate, w->job->vfs.hosts[w->host].name, w->host};
			st = o->hook(o->hook_ud, r, &em);
			if (st)
				return st;
		}
	}
	if (o->writer && o->writer->o.records) {
		w->line.len = 0;
		st = xh_writer_record(o->writer, &w->line, r);
		if (st)
			return st;
		if (res->mem.len + w->line.len > XH_OBUF_MEM) {
			st = spill(res);
			if (st)
				return st;
			/* a record bigger than the whole slot goes straight to the spill file */
			if (w->line.len > XH_OBUF_MEM)
				return fwrite(w->line.p, 1, w->line.len, res->spill) == w->line.len
				               ? XH_OK
				               : XH_ESYSTEM;
		}
		return xh_buf_add(&res->mem, w->line.p, w->line.len);
	}
	return XH_OK;
}

static ssize_t counted_read(void *ctx, void *buf, size_t n, const char **err)
{
	struct worker *w = ctx;
	ssize_t got = w->inner.read(w->inner.ctx, buf, n, err);

	if (got > 0) {
		atomic_fetch_add_explicit(&w->job->bytes_done, (uint64_t)got, memory_order_relaxed);
		if (w->tap)
			xh_files_feed(w->fcw, buf, (size_t)got);
	}
	return got;
}

static xh_status emit_file_finding(void *ud, const struct xh_finding *f)
{
	return xh_emit_finding(ud, f);
}

/* File checks of entry i: the rest of its raw bytes through the tap (or, when the raw
 * bytes went to gzip, the file again from its start), then the checks. */
static xh_status file_checks(struct worker *w, size_t i, const struct xh_files_file *fcf, bool again)
{
	struct result *res = w->res;
	struct xh_emit em = {&res->findings, w->hstate, w->job->vfs.hosts[w->host].name, w->host};
	const char *why = NULL;
	bool eof = false, err = false;

	if (again) {
		xh_vfs_close(&w->op);
		if (xh_vfs_open(&w->job->vfs, i, &w->op, &w->inner, &why) != XH_OK) {
			set_unreadable(res, why);
			return XH_OK;
		}
		xh_files_begin(w->fcw, fcf);
	} else {
		eof = w->raw.eof;
		err = w->raw.err;
	}
	w->tap = true;
	while (!eof && !err && !xh_files_done(w->fcw)) {
		ssize_t got = counted_read(w, w->raw.buf, XH_READ_CHUNK, &why);
		if (got < 0) {
			err = true;
			set_unreadable(res, why);
		}
		eof = got == 0;
	}
	w->tap = false;
	if (!w->res->st.bytes || xh_files_bytes(w->fcw) > w->res->st.bytes)
		res->st.bytes = xh_files_bytes(w->fcw);
	return xh_files_check(w->fcw, eof, err, emit_file_finding, &em, &res->fcst);
}

/* Reads entry i into its slot. Returns only errors that must stop the whole scan. */
static xh_status process(struct worker *w, size_t i)
{
	struct job *job = w->job;
	struct xh_entry *e = &job->vfs.e[i];
	struct result *res = w->res;
	struct xh_gz *gz = NULL;
	struct xh_in *in = &w->raw;
	struct xh_src src;
	struct xh_files_file fcf;
	const char *why, *note, *p;
	size_t n;
	bool fc = false;
	xh_status st = XH_OK;

	res->st.first_ms = res->st.last_ms = XH_TIME_NONE;
	w->host = e->host;
	xh_builds_seen_path(&res->builds, e->path);
	if (e->skip)
		return XH_OK;
	if (xh_vfs_open(&job->vfs, i, &w->op, &w->inner, &why) != XH_OK) {
		set_unreadable(res, why);
		return XH_OK;
	}
	src.read = counted_read;
	src.ctx = w;
	xh_in_open(&w->raw, src);
	xh_in_peek(&w->raw, 2, &p, &n);
	if (n >= 2 && (unsigned char)p[0] == 0x1f && (unsigned char)p[1] == 0x8b) {
		struct xh_src gsrc;
		st = xh_gz_open(&w->raw, &gz, &gsrc);
		if (st == XH_ENOMEM)
			goto out; /* out of memory stops the scan; it is not a property of the file */
		if (st != XH_OK) {
			st = XH_OK;
			set_unreadable(res, "gzip stream cannot be decoded");
			goto out;
		}
		xh_in_open(&w->dec, gsrc);
		in = &w->dec;
	}
	xh_in_peek(in, XH_SNIFF_BYTES, &p, &n);
	if (in->err) {
		set_unreadable(res, in->errmsg);
		goto out;
	}
	res->source = xh_classify(p, n, e->path, &note);
	if (note)
		set_unreadable(res, note);
	fcf = (struct xh_files_file){e->path, e->origin, e->mtime, job->vfs.roots[e->root].type == XH_ROOT_ZIP,
	                             e->size, res->source};
	fc = w->fcw && xh_files_wants(&fcf);
	if (fc) {
		xh_files_begin(w->fcw, &fcf);
		if (!gz) {
			/* what the peek read so far, then every later read through the tap */
			xh_files_feed(w->fcw, w->raw.buf, w->raw.end);
			w->tap = true;
		}
	}
	if (res->source->format != XH_FMT_NONE && !job->o->files_only) {
		struct xh_read_ctx c = {
			.in = in, .source = res->source, .path = e->path, .origin = e->origin,
			.st = &res->st,
			.scr = &w->scr, .emit = on_record, .ud = w, .spare = &w->job->evtx_spare, .size_hint = e->size,
		};
		st = xh_read(&c);
		/* only the input's own failure makes the file unreadable; any other error
		 * (output, memory) stops the scan */
		if (st == XH_EIO && in->err) {
			set_unreadable(res, in->errmsg);
			st = XH_OK;
		}
		res->st.bytes = xh_in_tell(in);
	} else {
		res->st.bytes = gz ? xh_in_tell(in) : fc ? 0 : e->size;
	}
	w->tap = false;
	if (fc && !st)
		st = file_checks(w, i, &fcf, gz != NULL);
out:
	w->tap = false;
	xh_gz_close(gz);
	xh_vfs_close(&w->op);
	return st;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct job *job = w->job;

	for (;;) {
		size_t i;
		xh_status st;

		pthread_mutex_lock(&job->mu);
		while (!job->fatal && job->next_take < job->vfs.n &&
		       job->next_take >= job->next_flush + job->nslots) {
			job->room_waiters++;
			pthread_cond_wait(&job->cv_room, &job->mu);
			job->room_waiters--;
		}
		if (job->fatal || job->next_take >= job->vfs.n) {
			pthread_mutex_unlock(&job->mu);
			break;
		}
		i = job->next_take++;
		w->res = &job->slots[i % job->nslots];
		pthread_mutex_unlock(&job->mu);

		st = process(w, i);

		pthread_mutex_lock(&job->mu);
		if (st && !job->fatal)
			job->fatal = st;
		w->res->done = true;
		/* wake the emitting thread only when it waits for this very slot (or to stop):
		 * one wake-up per file was most of the time on trees of small files */
		if (st || (job->flush_waiting && i == job->next_flush))
			pthread_cond_broadcast(&job->cv_done);
		pthread_mutex_unlock(&job->mu);
	}
	return NULL;
}

/* ---- merging and output (calling thread) ------------------------------------------------ */

/* One finding out: counted per level, or below --min-level and only counted. */
static xh_status write_finding(const struct xh_scan_opts *o, const struct xh_finding *f, struct xh_report *r)
{
	if (f->level < o->min_level) {
		r->findings_below_min++;
		return XH_OK;
	}
	r->findings[f->level < XH_LEVEL_COUNT ? f->level : 0]++;
	if (o->on_finding)
		o->on_finding(o->on_finding_ud, f);
	return xh_writer_finding(o->writer, f);
}

static xh_status emit_slot(struct job *job, struct result *res, struct xh_report *r)
{
	struct xh_writer *w = job->o->writer;
	xh_status st = XH_OK;

	if (res->spill) {
		char buf[1 << 16];
		size_t got;
		if (fflush(res->spill) != 0 || fseek(res->spill, 0, SEEK_SET) != 0)
			return XH_EIO;
		while (!st && (got = fread(buf, 1, sizeof buf, res->spill)) > 0)
			st = w->sink(w->ud, buf, got);
		if (!st && ferror(res->spill))
			st = XH_EIO;
	}
	if (!st && res->mem.len)
		st = w->sink(w->ud, res->mem.p, res->mem.len);
	/* findings move to the scan-wide list (ownership, no copy) for the post-pass; past
	 * its cap they are written as found, so none is lost */
	for (size_t k = 0; !st && k < res->findings.n; k++) {
		struct xh_finding *f = res->findings.f[k];
		if (job->all.n == XH_MAX_FINDINGS_KEPT) {
			r->findings_uncorrelated++;
			st = write_finding(job->o, f, r);
			continue;
		}
		if (job->all.n == job->all.cap) {
			size_t cap = job->all.cap ? job->all.cap * 2 : 64;
			struct xh_finding **nf = xh_realloc(job->all.f, cap * sizeof *nf);
			if (!nf)
				return XH_ENOMEM;
			job->all.f = nf;
			job->all.cap = cap;
		}
		job->all.f[job->all.n++] = f;
		res->findings.f[k] = NULL;
	}
	r->findings_dropped += res->findings.dropped;
	return st;
}

static void reset_slot(struct result *res)
{
	struct xh_buf mem = res->mem;

	if (res->spill)
		fclose(res->spill);
	xh_flist_free(&res->findings);
	xh_builds_seen_free(&res->builds);
	mem.len = 0;
	memset(res, 0, sizeof *res);
	res->mem = mem; /* keep the allocation for the next file */
}

/* Findings made after all files were read (build periods) join their host's list. */
static xh_status emit_to_host(void *ud, const struct xh_finding *f)
{
	return xh_emit_finding(ud, f);
}

/* A host's findings carry its name as the walk found it; a host named from its records
 * after the scan (a single log file) gets that name on each. */
static xh_status rename_findings(struct xh_flist *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++) {
		struct xh_finding f, *d;
		if (l->f[i]->host && strcmp(l->f[i]->host, name) == 0)
			continue;
		f = *l->f[i];
		f.host = name;
		if (!(d = xh_finding_dup(&f)))
			return XH_ENOMEM;
		xh_finding_free(l->f[i]);
		l->f[i] = d;
	}
	return XH_OK;
}

/*
 * The post-pass, host by host in evidence order: a host's findings, with the builds its
 * evidence shows, are judged together (judge/), given their verdict, written in time
 * order and freed before the next host's. Then the fleet's verdict.
 */
static xh_status write_findings(struct job *job, struct xh_report *r)
{
	size_t nh = job->vfs.nhosts, *at = xh_calloc(nh + 1, sizeof *at);
	uint64_t activities = 0;
	struct xh_finding **by = xh_malloc((job->all.n ? job->all.n : 1) * sizeof *by);
	xh_status st = XH_OK;

	if (!at || !by) {
		st = XH_ENOMEM;
		goto out;
	}
	/* a stable counting sort of the findings by host */
	for (size_t k = 0; k < job->all.n; k++)
		at[job->all.f[k]->host_id + 1]++;
	for (size_t h = 0; h < nh; h++)
		at[h + 1] += at[h];
	for (size_t k = 0; k < job->all.n; k++)
		by[at[job->all.f[k]->host_id]++] = job->all.f[k];
	for (size_t h = nh; h > 0; h--)
		at[h] = at[h - 1];
	at[0] = 0;
	job->all.n = 0; /* the findings now belong to their host's list */
	xh_report_hosts_finish(r);
	for (size_t h = 0; h < nh && !st; h++) {
		struct xh_flist l = {0};
		struct xh_emit em = {&l, NULL, r->hosts[h].name, (uint32_t)h};
		size_t n = at[h + 1] - at[h];
		if (n && !(l.f = xh_malloc(n * sizeof *l.f))) {
			st = XH_ENOMEM;
			for (size_t k = at[h]; k < at[nh]; k++)
				xh_finding_free(by[k]);
			break;
		}
		if (n)
			memcpy(l.f, by + at[h], n * sizeof *l.f);
		l.n = l.cap = n;
		st = rename_findings(&l, r->hosts[h].name);
		if (!st)
			st = xh_builds_seen_report(&job->builds[h], emit_to_host, &em);
		if (!st)
			st = xh_correlate(&l, &job->builds[h]);
		if (!st)
			st = xh_judge_activities(&l, &activities);
		if (!st)
			xh_verdict_host(&l, &job->builds[h], r, (uint32_t)h);
		for (size_t k = 0; !st && k < l.n; k++)
			st = write_finding(job->o, l.f[k], r);
		r->findings_dropped += l.dropped;
		if (st) /* the rest of the hosts' findings are freed with the list below */
			for (size_t k = at[h + 1]; k < at[nh]; k++)
				xh_finding_free(by[k]);
		xh_flist_free(&l);
	}
	if (!st)
		xh_verdict_fleet(r);
out:
	r->findings_dropped += job->all.dropped;
	xh_free(at);
	xh_free(by);
	return st;
}

/* Path and server path of entry i, for the file checks' search of install roots. */
static void entry_at(void *ud, size_t i, const char **path, const char **origin)
{
	const struct xh_vfs *v = ud;
	*path = v->e[i].path;
	*origin = v->e[i].origin;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1u : n > XH_MAX_JOBS ? XH_MAX_JOBS : (unsigned)n;
}

static xh_status worker_init(struct worker *w, struct job *job)
{
	memset(w, 0, sizeof *w);
	w->job = job;
	xh_opened_init(&w->op);
	xh_buf_init(&w->line, XH_MAX_RECORD_OUT);
	if (xh_scratch_init(&w->scr) || xh_in_init(&w->raw) || xh_in_init(&w->dec))
		return XH_ENOMEM;
	if (job->o->hook && job->o->hook_worker_new && !(w->hstate = job->o->hook_worker_new(job->o->hook_ud)))
		return XH_ENOMEM;
	if (job->fcs)
		return xh_files_worker_new(job->fcs, &w->fcw);
	return XH_OK;
}

static void worker_free(struct worker *w)
{
	if (w->hstate && w->job && w->job->o->hook_worker_free)
		w->job->o->hook_worker_free(w->job->o->hook_ud, w->hstate);
	w->hstate = NULL;
	xh_files_worker_free(w->fcw);
	w->fcw = NULL;
	xh_in_free(&w->raw);
	xh_in_free(&w->dec);
	xh_scratch_free(&w->scr);
	xh_opened_free(&w->op);
	xh_buf_free(&w->line);
}

xh_status xh_scan(const char *const *evidence, size_t nevidence, const struct xh_scan_opts *o,
                  struct xh_report *report, struct xh_error *err)
{
	struct job job;
	struct worker *workers = NULL;
	pthread_t *tids = NULL;
	unsigned jobs = o->jobs ? o->jobs : default_jobs(), started = 0;
	struct xh_coverage cv;
	uint64_t bytes_total = 0;
	double t0 = now_s(), last_progress = t0;
	xh_status st;

	memset(report, 0, sizeof *report);
	report->evidence = evidence;
	report->nevidence = nevidence;
	report->since_ms = o->since_ms;
	report->until_ms = o->until_ms;
	if (!o->writer || nevidence == 0)
		return xh_fail(err, XH_EARG, NULL, 0, 0, "no writer or no evidence");
	if (jobs > XH_MAX_JOBS)
		jobs = XH_MAX_JOBS;
	memset(&job, 0, sizeof job);
	job.o = o;
	pthread_mutex_init(&job.mu, NULL);
	pthread_cond_init(&job.cv_done, NULL);
	pthread_cond_init(&job.cv_room, NULL);
	atomic_init(&job.bytes_done, 0);

	memset(&cv, 0, sizeof cv);
	st = xh_vfs_build(&job.vfs, evidence, nevidence, err);
	if (!st)
		st = xh_hosts_build(&job.vfs, o->host_names, o->nhost_names, err);
	if (!st)
		st = xh_report_hosts_init(report, &job.vfs);
	if (!st)
		st = xh_coverage_init(&cv, report);
	if (!st && !(job.builds = xh_calloc(job.vfs.nhosts ? job.vfs.nhosts : 1, sizeof *job.builds)))
		st = XH_ENOMEM;
	if (st)
		goto out;
	for (size_t i = 0; i < job.vfs.n; i++)
		bytes_total += job.vfs.e[i].size;
	if (o->files) {
		st = xh_files_scan_new(o->files, job.vfs.n, entry_at, &job.vfs, &job.fcs, err);
		if (st)
			goto out;
		xh_files_scan_report(job.fcs, report);
	}
	{
		/* cores left over by fewer files than jobs decode chunks of large EVTX files */
		unsigned asked = jobs;
		if (jobs > job.vfs.n && job.vfs.n)
			jobs = (unsigned)job.vfs.n;
		atomic_init(&job.evtx_spare, (int)(asked - jobs));
	}
	job.nslots = (size_t)jobs * XH_INFLIGHT_PER_JOB;
	job.slots = xh_calloc(job.nslots, sizeof *job.slots);
	workers = xh_calloc(jobs, sizeof *workers);
	tids = xh_calloc(jobs, sizeof *tids);
	if (!job.slots || !workers || !tids) {
		st = XH_ENOMEM;
		goto out;
	}
	for (size_t s = 0; s < job.nslots; s++)
		xh_buf_init(&job.slots[s].mem, XH_OBUF_MEM);
	for (unsigned k = 0; k < jobs; k++)
		xh_opened_init(&workers[k].op); /* so that freeing a never-started worker closes nothing */
	st = xh_writer_begin(o->writer);
	if (st)
		goto out;
	for (unsigned k = 0; k < jobs; k++) {
		st = worker_init(&workers[k], &job);
		if (st)
			break;
		if (pthread_create(&tids[k], NULL, worker_main, &workers[k]) != 0) {
			st = XH_ESYSTEM;
			break;
		}
		started++;
	}
	if (st) {
		pthread_mutex_lock(&job.mu);
		job.fatal = st;
		pthread_cond_broadcast(&job.cv_room);
		pthread_mutex_unlock(&job.mu);
	}

	/* emit slots in index order as they complete */
	while (!st && job.next_flush < job.vfs.n) {
		struct result *res = &job.slots[job.next_flush % job.nslots];

		pthread_mutex_lock(&job.mu);
		while (!res->done && !job.fatal) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 250 * 1000000L;
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			job.flush_waiting = true;
			pthread_cond_timedwait(&job.cv_done, &job.mu, &ts);
			job.flush_waiting = false;
			if (o->progress && now_s() - last_progress >= 0.25) {
				struct xh_progress pr = {job.next_flush, job.vfs.n,
				                         atomic_load(&job.bytes_done), bytes_total, now_s() - t0};
				pthread_mutex_unlock(&job.mu);
				o->progress(o->progress_ud, &pr);
				last_progress = now_s();
				pthread_mutex_lock(&job.mu);
			}
		}
		if (job.fatal && !res->done) {
			st = job.fatal;
			pthread_mutex_unlock(&job.mu);
			break;
		}
		pthread_mutex_unlock(&job.mu);

		st = xh_coverage_add(&cv, &(struct xh_cover_file){&job.vfs.e[job.next_flush], res->source,
		                                                  res->unreadable, &res->st, res->fcst.checked,
		                                                  res->fcst.cut, res->fcst.not_hashed, res->channel});
		{
			uint32_t h = job.vfs.e[job.next_flush].host;
			xh_builds_seen_merge(&job.builds[h], &res->builds);
			xh_report_host_file(&report->hosts[h], res->server);
		}
		if (!st)
			st = emit_slot(&job, res, report);
		reset_slot(res);

		pthread_mutex_lock(&job.mu);
		job.next_flush++;
		if (st && !job.fatal)
			job.fatal = st;
		if (job.room_waiters || job.fatal)
			pthread_cond_broadcast(&job.cv_room);
		pthread_mutex_unlock(&job.mu);
	}
	if (!st && job.fatal)
		st = job.fatal;
	if (o->progress) {
		struct xh_progress pr = {job.next_flush, job.vfs.n, atomic_load(&job.bytes_done), bytes_total,
		                         now_s() - t0};
		o->progress(o->progress_ud, &pr);
	}
out:
	pthread_mutex_lock(&job.mu);
	if (st && !job.fatal)
		job.fatal = st;
	pthread_cond_broadcast(&job.cv_room);
	pthread_mutex_unlock(&job.mu);
	for (unsigned k = 0; k < started; k++)
		pthread_join(tids[k], NULL);
	for (unsigned k = 0; workers && k < jobs; k++)
		worker_free(&workers[k]);
	for (size_t s = 0; job.slots && s < job.nslots; s++) {
		reset_slot(&job.slots[s]);
		xh_buf_free(&job.slots[s].mem);
	}
	xh_coverage_finish(&cv);
	report->detection = o->hook != NULL || o->files != NULL;
	report->seconds = now_s() - t0;
	if (!st && report->files_read == 0)
		st = xh_fail(err, XH_ENOEVIDENCE, evidence[0], 0, 0, "no file in the evidence could be read");
	if (!st)
		st = write_findings(&job, report);
	if (!st || st == XH_ENOEVIDENCE) {
		xh_status wst = xh_writer_finish(o->writer, report);
		if (!st)
			st = wst;
	} else if (err && !err->msg[0]) {
		xh_fail(err, st, NULL, 0, 0, "%s", xh_strerror(st));
	}
	xh_flist_free(&job.all);
	for (size_t h = 0; job.builds && h < job.vfs.nhosts; h++)
		xh_builds_seen_free(&job.builds[h]);
	xh_free(job.builds);
	xh_files_scan_free(job.fcs);
	xh_free(workers);
	xh_free(tids);
	xh_free(job.slots);
	xh_vfs_free(&job.vfs);
	pthread_mutex_destroy(&job.mu);
	pthread_cond_destroy(&job.cv_done);
	pthread_cond_destroy(&job.cv_room);
	if (st && st != XH_ENOEVIDENCE) {
		xh_report_free(report);
	}
	return st;
}

void xh_report_free(struct xh_report *r)
{
	for (size_t i = 0; i < r->ngroups; i++)
		xh_free(r->groups[i].folder);
	xh_free(r->groups);
	r->groups = NULL;
	r->ngroups = 0;
	xh_report_hosts_free(r);
}
