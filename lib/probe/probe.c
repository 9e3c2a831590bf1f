/*
 * The probe driver: visits the targets of a walk with the libcurl multi interface and
 * turns each host's answers into one result.
 *
 * Per target, at most two pages, each an ordinary GET a browser or mail client sends:
 *   stage 0  GET /owa/             (OWA redirects to /owa/auth/logon.aspx: followed when
 *                                   it stays on the same scheme, host and port, at most
 *                                   XH_PROBE_MAX_REDIRECTS times)
 *   stage 1  GET /ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application
 *                                  only when stage 0 showed Exchange without a full build
 * No cookies, no credentials, no request body, no crafted header: the request is the
 * method, the path, Host, User-Agent (exhunt/VERSION) and Accept, and --dry-run prints
 * exactly that (xh_probe_request_text; the CLI tests compare it with what a recording
 * server received).
 *
 * Scheduling: `concurrency` slots each hold one target; a slot that needs to send a
 * request queues for a token of the global bucket (rate per second, refilled in
 * batches every XH_PROBE_TICK_MS), so retries, redirects and stage 1 count against the
 * same rate. Every connection goes through on_open, which asks xh_targets_refuse
 * whether the resolved address is in scope. Memory is the slots, whatever the number
 * of targets: results are handed to the caller as each target finishes.
 */
#define _GNU_SOURCE
#include "common/base.h"

#include "patch/builds.h"
#include "exhunt/probe.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

static const char *const stage_paths[XH_PROBE_STAGES] = {
	"/owa/",
	"/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application",
};

#define USER_AGENT "exhunt/" EXHUNT_VERSION

const char *xh_probe_path(unsigned stage)
{
	return stage < XH_PROBE_STAGES ? stage_paths[stage] : NULL;
}

const char *xh_probe_error_name(enum xh_probe_error e)
{
	static const char *const names[XH_PERR_COUNT] = {
		"none", "excluded", "dns", "refused", "timeout", "tls", "bad_response", "redirect", "other",
	};
	return (unsigned)e < XH_PERR_COUNT ? names[e] : "?";
}

const char *xh_exposure_name(enum xh_exposure e)
{
	static const char *const names[XH_EXP_COUNT] = {
		"vulnerable", "cannot_tell", "fixed", "no_build", "not_exchange", "error",
	};
	return (unsigned)e < XH_EXP_COUNT ? names[e] : "?";
}

/* "host" or "host:port" as the Host header and the URL carry it (IPv6 in brackets;
 * the port left out when it is the scheme's default, as libcurl does). */
static void host_port(const struct xh_target *tg, bool url, char *buf, size_t cap)
{
	bool v6 = tg->family == 6;
	bool dflt = tg->port == (tg->scheme == XH_SCHEME_HTTPS ? 443 : 80);

	if (dflt && !url)
		snprintf(buf, cap, "%s%s%s", v6 ? "[" : "", tg->host, v6 ? "]" : "");
	else
		snprintf(buf, cap, "%s%s%s:%u", v6 ? "[" : "", tg->host, v6 ? "]" : "", (unsigned)tg->port);
}

size_t xh_probe_request_text(const struct xh_target *tg, unsigned stage, char *buf, size_t cap)
{
	char hp[300];
	int n;

	if (stage >= XH_PROBE_STAGES)
		return 0;
	host_port(tg, false, hp, sizeof hp);
	n = snprintf(buf, cap, "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\nAccept: */*\r\n\r\n",
	             stage_paths[stage], hp, USER_AGENT);
	return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

void xh_probe_opts_init(struct xh_probe_opts *o)
{
	memset(o, 0, sizeof *o);
	o->concurrency = XH_PROBE_DEF_CONCURRENCY;
	o->timeout_ms = XH_PROBE_DEF_TIMEOUT_MS;
	o->connect_timeout_ms = XH_PROBE_DEF_CONNECT_TIMEOUT_MS;
	o->retries = XH_PROBE_DEF_RETRIES;
}

void xh_probe_limits(struct xh_probe_limits *l)
{
	l->max_concurrency = XH_PROBE_MAX_CONCURRENCY;
	l->max_timeout_ms = XH_PROBE_MAX_TIMEOUT_MS;
	l->max_retries = XH_PROBE_MAX_RETRIES;
	l->max_redirects = XH_PROBE_MAX_REDIRECTS;
}

/* ---- verdicts and totals ------------------------------------------------------------ */

void xh_probe_judge(struct xh_probe_result *r)
{
	bool unknown = false;

	if (r->error != XH_PERR_NONE) {
		r->exposure = XH_EXP_ERROR;
		return;
	}
	if (!r->fp.why) {
		r->exposure = XH_EXP_NOT_EXCHANGE;
		return;
	}
	if (!r->assessed) {
		r->exposure = XH_EXP_NO_BUILD;
		return;
	}
	for (size_t i = 0; i < r->info.ncves; i++) {
		if (r->info.cves[i].state == XH_CVE_VULNERABLE) {
			r->exposure = XH_EXP_VULNERABLE;
			return;
		}
		/* a CVE fixed by configuration (Extended Protection) is "unknown" for every
		 * build: it is listed per CVE but cannot decide a host's line */
		if (r->info.cves[i].state == XH_CVE_UNKNOWN && !(i < xh_ncves && xh_cves[i].config_dependent))
			unknown = true;
	}
	r->exposure = unknown ? XH_EXP_CANNOT_TELL : XH_EXP_FIXED;
}

void xh_probe_stats_init(struct xh_probe_stats *st)
{
	memset(st, 0, sizeof *st);
	for (size_t i = 0; i < xh_ncves && i < XH_MAX_CVES; i++) {
		st->cve[i] = xh_cves[i].id;
		st->campaign[i] = xh_cve_campaign(xh_cves[i].id);
		st->ncves = i + 1;
	}
}

void xh_probe_tally(struct xh_probe_stats *st, const struct xh_probe_result *r)
{
	if (r->error == XH_PERR_EXCLUDED) {
		st->excluded++;
		st->errors[XH_PERR_EXCLUDED]++;
		return;
	}
	st->probed++;
	st->requests += r->requests;
	if ((unsigned)r->exposure < XH_EXP_COUNT)
		st->exposure[r->exposure]++;
	if ((unsigned)r->error < XH_PERR_COUNT && r->error != XH_PERR_NONE)
		st->errors[r->error]++;
	if (!r->assessed)
		return;
	if (r->info.build.rev_known)
		st->full_builds++;
	else
		st->cu_builds++;
	for (size_t i = 0; i < r->info.ncves && i < st->ncves; i++)
		if ((unsigned)r->info.cves[i].state < 4)
			st->cve_state[i][r->info.cves[i].state]++;
}

/* ---- the driver ----------------------------------------------------------------------- */

struct run;

struct slot {
	struct run *run;
	CURL *h;
	bool busy;      /* holds a target */
	bool running;   /* its transfer is in the multi handle */
	unsigned stage, redirects, tries;
	char url[XH_PROBE_MAX_URL + 320];
	size_t hdr_bytes;
	bool hdr_over, body_over;
	struct xh_buf body;
	const char *refused;   /* why on_open refused the address */
	char errbuf[CURL_ERROR_SIZE];
	double t0;
	struct xh_probe_result r;
};

struct run {
	const struct xh_targets *t;
	const struct xh_probe_opts *o;
	struct xh_probe_stats *st;
	CURLM *m;
	struct slot *slots;
	unsigned nslots, nbusy;
	unsigned *waitq;       /* ring of slot numbers waiting for a token */
	unsigned *freel;       /* stack of free slot numbers */
	unsigned nfree;
	unsigned qhead, qlen;
	double tokens, cap, last;
	struct xh_walk *walk;
	bool walk_done;
	uint64_t started;      /* targets contacted (for --max-hosts) */
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t on_header(char *buf, size_t size, size_t n, void *ud)
{
	struct slot *s = ud;
	size_t len = size * n;

	s->hdr_bytes += len;
	if (s->hdr_bytes > XH_PROBE_MAX_HEADER) {
		s->hdr_over = true;
		return 0; /* stops the transfer */
	}
	xh_fp_header(&s->r.fp, buf, len);
	return len;
}

static size_t on_body(char *buf, size_t size, size_t n, void *ud)
{
	struct slot *s = ud;
	size_t len = size * n, room = XH_PROBE_MAX_BODY - s->body.len;

	if (len > room) {
		/* keep the head of the page and stop reading: an endless body costs nothing */
		if (room && xh_buf_add(&s->body, buf, room) != XH_OK)
			return 0;
		s->body_over = true;
		return 0;
	}
	return xh_buf_add(&s->body, buf, len) == XH_OK ? len : 0;
}

/* Every connection libcurl opens comes here first: the scope check on the address it
 * resolved (or was given), also for redirects. */
static curl_socket_t on_open(void *ud, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct slot *s = ud;
	uint8_t addr[16] = {0};
	int family = 0;
	const char *why;
	curl_socket_t fd;

	(void)purpose;
	if (a->family == AF_INET && a->addrlen >= sizeof(struct sockaddr_in)) {
		memcpy(addr, (const char *)&a->addr + offsetof(struct sockaddr_in, sin_addr), 4);
		family = 4;
	} else if (a->family == AF_INET6 && a->addrlen >= sizeof(struct sockaddr_in6)) {
		memcpy(addr, (const char *)&a->addr + offsetof(struct sockaddr_in6, sin6_addr), 16);
		family = 6;
	}
	why = xh_targets_refuse(s->run->t, &s->r.target, family, addr);
	if (why) {
		s->refused = why;
		if (family)
			inet_ntop(family == 4 ? AF_INET : AF_INET6, addr, s->r.address, sizeof s->r.address);
		return CURL_SOCKET_BAD;
	}
	fd = socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
	return fd < 0 ? CURL_SOCKET_BAD : fd;
}

static xh_status slot_setup(struct run *rn, struct slot *s)
{
	const struct xh_probe_opts *o = rn->o;
	CURL *h = curl_easy_init();

	if (!h)
		return XH_ENOMEM;
	s->h = h;
	s->run = rn;
	xh_buf_init(&s->body, XH_PROBE_MAX_BODY);
	if (curl_easy_setopt(h, CURLOPT_PRIVATE, s) ||
	    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header) || curl_easy_setopt(h, CURLOPT_HEADERDATA, s) ||
	    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body) || curl_easy_setopt(h, CURLOPT_WRITEDATA, s) ||
	    curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, on_open) ||
	    curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, s) ||
	    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, s->errbuf) ||
	    curl_easy_setopt(h, CURLOPT_USERAGENT, USER_AGENT) ||
	    /* no proxy, whatever the environment says: only the targets are contacted */
	    curl_easy_setopt(h, CURLOPT_PROXY, "") ||
	    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https") ||
	    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L) ||
	    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1) ||
	    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, o->verify_tls ? 1L : 0L) ||
	    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, o->verify_tls ? 2L : 0L) ||
	    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)o->timeout_ms) ||
	    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)o->connect_timeout_ms) ||
	    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) || curl_easy_setopt(h, CURLOPT_HTTPGET, 1L) ||
	    /* no name cache and no connection cache: every host of a scan is new, and
	     * libcurl's upkeep of both grew with the number of hosts seen (CPU time rose
	     * superlinearly past a few thousand targets, bench/probe.sh). A name is resolved
	     * and a connection opened per request, as one curl per request would. */
	    curl_easy_setopt(h, CURLOPT_DNS_CACHE_TIMEOUT, 0L) ||
	    curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L))
		return XH_ESYSTEM;
	return XH_OK;
}

static void queue_push(struct run *rn, struct slot *s)
{
	rn->waitq[(rn->qhead + rn->qlen) % rn->nslots] = (unsigned)(s - rn->slots);
	rn->qlen++;
}

/* Points the slot at the base URL + path of its current stage. */
static void set_stage_url(struct slot *s)
{
	char hp[300];

	host_port(&s->r.target, true, hp, sizeof hp);
	snprintf(s->url, sizeof s->url, "%s://%s%s", xh_scheme_name(s->r.target.scheme), hp,
	         stage_paths[s->stage]);
}

static xh_status emit(struct run *rn, struct xh_probe_result *r)
{
	xh_probe_tally(rn->st, r);
	return rn->o->on_result ? rn->o->on_result(rn->o->ud, r) : XH_OK;
}

static xh_status finish(struct run *rn, struct slot *s)
{
	struct xh_probe_result *r = &s->r;

	xh_fp_settle(&r->fp);
	if (r->error == XH_PERR_NONE && r->fp.has_build && xh_build_assess(&r->fp.build, &r->info) == XH_OK)
		r->assessed = true;
	xh_probe_judge(r);
	r->seconds = now_s() - s->t0;
	s->busy = false;
	rn->nbusy--;
	rn->freel[rn->nfree++] = (unsigned)(s - rn->slots);
	return emit(rn, r);
}

static enum xh_probe_error classify(CURLcode rc, const struct slot *s)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST: return XH_PERR_DNS;
	case CURLE_COULDNT_CONNECT: return s->refused ? XH_PERR_EXCLUDED : XH_PERR_REFUSED;
	case CURLE_OPERATION_TIMEDOUT: return XH_PERR_TIMEOUT;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		return XH_PERR_TLS;
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_BAD_CONTENT_ENCODING:
	case CURLE_OUT_OF_MEMORY: /* libcurl's answer to a header line over its own limit */
	case CURLE_HTTP2:
		return XH_PERR_BAD_RESPONSE;
	case CURLE_WRITE_ERROR:
		return s->hdr_over ? XH_PERR_BAD_RESPONSE : XH_PERR_OTHER;
	default: return XH_PERR_OTHER;
	}
}

/* Errors worth another try: the host may be busy, the answer was cut. */
static bool retryable(CURLcode rc)
{
	return rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_GOT_NOTHING || rc == CURLE_RECV_ERROR ||
	       rc == CURLE_SEND_ERROR;
}

/* The redirect target when it stays on the target's scheme, host and port: the path
 * and query to ask for next. false (and r->redirect filled) otherwise. */
static bool same_origin(struct slot *s, const char *loc, char *path, size_t cap)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *p = NULL, *q = NULL;
	char want_host[300], want_port[8];
	bool ok = false;

	snprintf(want_host, sizeof want_host, "%s%s%s", s->r.target.family == 6 ? "[" : "", s->r.target.host,
	         s->r.target.family == 6 ? "]" : "");
	snprintf(want_port, sizeof want_port, "%u", (unsigned)s->r.target.port);
	if (u && curl_url_set(u, CURLUPART_URL, loc, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PATH, &p, 0) == CURLUE_OK) {
		(void)curl_url_get(u, CURLUPART_QUERY, &q, 0);
		if (strcasecmp(scheme, xh_scheme_name(s->r.target.scheme)) == 0 &&
		    strcasecmp(host, want_host) == 0 && strcmp(port, want_port) == 0) {
			int n = snprintf(path, cap, "%s%s%s", p, q ? "?" : "", q ? q : "");
			ok = n > 0 && (size_t)n < cap;
		}
	}
	if (!ok)
		snprintf(s->r.redirect, sizeof s->r.redirect, "%s", loc);
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(p);
	curl_free(q);
	curl_url_cleanup(u);
	return ok;
}

/* One transfer ended: decide the slot's next request, or finish its target. */
static xh_status transfer_done(struct run *rn, struct slot *s, CURLcode rc)
{
	struct xh_probe_result *r = &s->r;
	long status = 0;
	char *ip = NULL, *loc = NULL;

	curl_multi_remove_handle(rn->m, s->h);
	s->running = false;
	if (curl_easy_getinfo(s->h, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip && ip[0])
		snprintf(r->address, sizeof r->address, "%s", ip);
	if (rc == CURLE_WRITE_ERROR && s->body_over && !s->hdr_over)
		rc = CURLE_OK; /* we stopped reading: the head of the body is what we wanted */
	if (rc != CURLE_OK) {
		if (retryable(rc) && s->tries < rn->o->retries) {
			s->tries++;
			queue_push(rn, s);
			return XH_OK;
		}
		if (s->stage == 0) {
			r->error = classify(rc, s);
			if (r->error == XH_PERR_EXCLUDED)
				snprintf(r->error_text, sizeof r->error_text, "not contacted: %s", s->refused);
			else if (s->hdr_over)
				snprintf(r->error_text, sizeof r->error_text, "response headers over %u bytes",
				         XH_PROBE_MAX_HEADER);
			else if (rc == CURLE_OPERATION_TIMEDOUT)
				snprintf(r->error_text, sizeof r->error_text, "no complete answer within %.1f s (%u %s)",
				         rn->o->timeout_ms / 1000.0, s->tries + 1, s->tries ? "tries" : "try");
			else
				snprintf(r->error_text, sizeof r->error_text, "%s",
				         s->errbuf[0] ? s->errbuf : curl_easy_strerror(rc));
			for (size_t n = strlen(r->error_text); n && r->error_text[n - 1] == ' ';)
				r->error_text[--n] = '\0';
		}
		/* stage 1 failing leaves stage 0's answer as the result */
		return finish(rn, s);
	}
	curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, &status);
	if (r->target.scheme == XH_SCHEME_HTTPS) {
		r->tls = true;
		r->tls_verified = rn->o->verify_tls;
	}
	if (status >= 300 && status < 400 && curl_easy_getinfo(s->h, CURLINFO_REDIRECT_URL, &loc) == CURLE_OK &&
	    loc) {
		char path[XH_PROBE_MAX_URL];
		if (same_origin(s, loc, path, sizeof path)) {
			if (s->redirects >= XH_PROBE_MAX_REDIRECTS) {
				if (s->stage == 0) {
					r->status = status;
					r->error = XH_PERR_REDIRECT;
					snprintf(r->error_text, sizeof r->error_text, "more than %d redirects",
					         XH_PROBE_MAX_REDIRECTS);
				}
				return finish(rn, s);
			}
			char hp[300];
			s->redirects++;
			s->tries = 0;
			host_port(&r->target, true, hp, sizeof hp);
			snprintf(s->url, sizeof s->url, "%s://%s%s", xh_scheme_name(r->target.scheme), hp, path);
			queue_push(rn, s);
			return XH_OK;
		}
	}
	if (s->stage == 0) {
		r->status = status;
		xh_fp_logon_page(&r->fp, s->body.p ? s->body.p : "", s->body.len);
		if (r->fp.why && !xh_fp_complete(&r->fp)) {
			s->stage = 1;
			s->redirects = 0;
			s->tries = 0;
			set_stage_url(s);
			queue_push(rn, s);
			return XH_OK;
		}
		return finish(rn, s);
	}
	r->tool_status = status;
	if (status == 200)
		xh_fp_exporttool(&r->fp, s->body.p ? s->body.p : "", s->body.len);
	return finish(rn, s);
}

/* Sends the slot's current request (a token has been taken for it). */
static xh_status start_request(struct run *rn, struct slot *s)
{
	s->hdr_bytes = 0;
	s->hdr_over = s->body_over = false;
	s->body.len = 0;
	s->refused = NULL;
	s->errbuf[0] = '\0';
	if (curl_easy_setopt(s->h, CURLOPT_URL, s->url) != CURLE_OK)
		return XH_ESYSTEM;
	if (curl_multi_add_handle(rn->m, s->h) != CURLM_OK)
		return XH_ESYSTEM;
	s->running = true;
	s->r.requests++;
	return XH_OK;
}

/* The next target of the walk into a free slot; excluded ones are settled at once. */
static xh_status next_target(struct run *rn, struct slot *s, bool *taken)
{
	struct xh_target tg;

	*taken = false;
	while (!rn->walk_done) {
		if (rn->o->max_hosts && rn->started >= rn->o->max_hosts) {
			rn->walk_done = true;
			rn->st->stopped = xh_walk_total(rn->walk) > rn->st->skipped + rn->st->visited;
			break;
		}
		if (!xh_walk_next(rn->walk, &tg)) {
			rn->walk_done = true;
			break;
		}
		rn->st->visited++;
		if (tg.excluded) {
			/* a range's excluded addresses are only counted; a target written out
			 * exactly gets a record saying why it was not contacted */
			if (tg.family == 0 || tg.exact) {
				struct xh_probe_result r;
				xh_status st;
				memset(&r, 0, sizeof r);
				r.target = tg;
				r.error = XH_PERR_EXCLUDED;
				snprintf(r.error_text, sizeof r.error_text, "not contacted: %s", tg.excluded);
				xh_fp_init(&r.fp);
				xh_probe_judge(&r);
				st = emit(rn, &r);
				if (st)
					return st;
			} else {
				rn->st->excluded++;
			}
			continue;
		}
		memset(&s->r, 0, sizeof s->r);
		s->r.target = tg;
		xh_fp_init(&s->r.fp);
		s->stage = 0;
		s->redirects = s->tries = 0;
		s->t0 = now_s();
		set_stage_url(s);
		s->busy = true;
		rn->nbusy++;
		rn->started++;
		queue_push(rn, s);
		*taken = true;
		break;
	}
	return XH_OK;
}

static void refill(struct run *rn, double now)
{
	if (rn->o->rate <= 0) {
		rn->tokens = (double)rn->nslots;
		return;
	}
	rn->tokens += (now - rn->last) * rn->o->rate;
	if (rn->tokens > rn->cap)
		rn->tokens = rn->cap;
	rn->last = now;
}

/* The resume point: every position before it is finished. */
static uint64_t done_point(const struct run *rn)
{
	uint64_t d = rn->st->skipped + rn->st->visited;

	for (unsigned i = 0; i < rn->nslots; i++)
		if (rn->slots[i].busy && rn->slots[i].r.target.position < d)
			d = rn->slots[i].r.target.position;
	return d;
}

static xh_status loop(struct run *rn, struct xh_error *err)
{
	const struct xh_probe_opts *o = rn->o;
	double t_start = now_s(), t_progress = t_start, t_check = t_start;
	uint64_t last_done = rn->st->skipped;
	xh_status st = XH_OK;

	rn->last = t_start;
	rn->tokens = rn->cap;
	for (;;) {
		double now = now_s();
		int running, left, timeout_ms = 1000;
		bool finished = false;
		CURLMsg *msg;

		refill(rn, now);
		/* fill free slots, then hand out tokens in queue order */
		while (rn->nfree && !rn->walk_done) {
			bool taken;
			st = next_target(rn, &rn->slots[rn->freel[rn->nfree - 1]], &taken);
			if (st)
				return st;
			if (taken)
				rn->nfree--;
		}
		while (rn->qlen && rn->tokens >= 1.0) {
			struct slot *s = &rn->slots[rn->waitq[rn->qhead]];
			rn->qhead = (rn->qhead + 1) % rn->nslots;
			rn->qlen--;
			rn->tokens -= 1.0;
			st = start_request(rn, s);
			if (st)
				return xh_fail(err, st, NULL, 0, 0, "libcurl refused a transfer");
		}
		if (rn->nbusy == 0 && rn->walk_done)
			break;
		if (curl_multi_perform(rn->m, &running) != CURLM_OK)
			return xh_fail(err, XH_ESYSTEM, NULL, 0, 0, "libcurl multi interface failed");
		while ((msg = curl_multi_info_read(rn->m, &left)) != NULL) {
			struct slot *s = NULL;
			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&s);
			st = transfer_done(rn, s, msg->data.result);
			if (st)
				return st;
			finished = true;
		}
		now = now_s();
		rn->st->seconds = now - t_start;
		if (o->on_progress && now - t_progress >= 0.25) {
			t_progress = now;
			o->on_progress(o->ud, rn->st);
		}
		if (o->on_checkpoint && now - t_check >= XH_PROBE_CHECKPOINT_MS / 1000.0) {
			t_check = now;
			rn->st->done = done_point(rn);
			if (rn->st->done != last_done) {
				last_done = rn->st->done;
				st = o->on_checkpoint(o->ud, rn->st);
				if (st)
					return st;
			}
		}
		if (finished)
			continue; /* free slots: fill them before waiting */
		if (rn->qlen && rn->tokens < 1.0) {
			/* wait for the next batch of tokens, not for each token */
			double need = (1.0 - rn->tokens) / o->rate * 1000.0;
			timeout_ms = need > XH_PROBE_TICK_MS ? (int)need + 1 : XH_PROBE_TICK_MS;
		}
		if (running == 0 && rn->qlen == 0)
			continue;
		if (curl_multi_poll(rn->m, NULL, 0, timeout_ms, NULL) != CURLM_OK)
			return xh_fail(err, XH_ESYSTEM, NULL, 0, 0, "libcurl multi interface failed");
	}
	rn->st->seconds = now_s() - t_start;
	rn->st->done = done_point(rn);
	if (o->on_checkpoint)
		st = o->on_checkpoint(o->ud, rn->st);
	return st;
}

xh_status xh_probe_run(const struct xh_targets *t, const struct xh_order *order, const struct xh_probe_opts *o,
                       struct xh_probe_stats *stats, struct xh_error *err)
{
	struct run rn;
	xh_status st;

	xh_probe_stats_init(stats);
	memset(&rn, 0, sizeof rn);
	rn.t = t;
	rn.o = o;
	rn.st = stats;
	stats->index_space = xh_targets_count(t);
	if (o->concurrency == 0 || o->concurrency > XH_PROBE_MAX_CONCURRENCY)
		return xh_fail(err, XH_EARG, NULL, 0, 0, "concurrency must be 1 to %d", XH_PROBE_MAX_CONCURRENCY);
	st = xh_walk_new(t, order, &rn.walk);
	if (st)
		return xh_fail(err, st, NULL, 0, 0, "the targets cannot be walked");
	stats->shard_total = xh_walk_total(rn.walk);
	stats->skipped = order->skip < stats->shard_total ? order->skip : stats->shard_total;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		xh_walk_free(rn.walk);
		return xh_fail(err, XH_ESYSTEM, NULL, 0, 0, "libcurl cannot be initialised");
	}
	/* never more slots than targets: a short list does not need 256 handles */
	rn.nslots = o->concurrency;
	if (stats->shard_total - stats->skipped < rn.nslots)
		rn.nslots = (unsigned)(stats->shard_total - stats->skipped);
	if (rn.nslots == 0)
		rn.nslots = 1;
	rn.cap = o->rate * XH_PROBE_TICK_MS / 1000.0;
	if (rn.cap < 1.0)
		rn.cap = 1.0;
	rn.m = curl_multi_init();
	rn.slots = xh_calloc(rn.nslots, sizeof *rn.slots);
	rn.waitq = xh_calloc(rn.nslots, sizeof *rn.waitq);
	rn.freel = xh_calloc(rn.nslots, sizeof *rn.freel);
	if (!rn.m || !rn.slots || !rn.waitq || !rn.freel) {
		st = XH_ENOMEM;
		goto out;
	}
	for (unsigned i = 0; i < rn.nslots; i++) {
		st = slot_setup(&rn, &rn.slots[i]);
		if (st) {
			xh_fail(err, st, NULL, 0, 0, "libcurl handles cannot be made");
			goto out;
		}
	}
	for (unsigned i = 0; i < rn.nslots; i++)
		rn.freel[rn.nfree++] = rn.nslots - 1 - i;
	st = loop(&rn, err);
out:
	for (unsigned i = 0; rn.slots && i < rn.nslots; i++) {
		struct slot *s = &rn.slots[i];
		if (s->running)
			curl_multi_remove_handle(rn.m, s->h);
		if (s->h)
			curl_easy_cleanup(s->h);
		xh_buf_free(&s->body);
	}
	if (rn.m)
		curl_multi_cleanup(rn.m);
	xh_free(rn.slots);
	xh_free(rn.waitq);
	xh_free(rn.freel);
	xh_walk_free(rn.walk);
	curl_global_cleanup();
	return st;
}
