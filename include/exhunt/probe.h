/*
 * exhunt exposure probe (exhunt probe): which Exchange builds a set of hosts runs, told
 * from the outside with the ordinary GET requests a browser or mail client sends, and
 * what each build leaves open (the patch-status API of exhunt.h).
 *
 * Three parts, usable apart:
 *   targets   specs (host, host:port, URL, IPv4/IPv6 address, CIDR) and exclusions make
 *             an index space; a walk visits it in a keyed pseudo-random order, one shard
 *             of it, from a resume point (lib/probe/target.c)
 *   probe     the libcurl multi driver: concurrency, a global token-bucket rate limit,
 *             per-request timeouts, bounded retries, same-host redirects (lib/probe/probe.c),
 *             and the fingerprint read from each answer (lib/probe/fingerprint.c)
 *   writers   one record per target as JSON Lines, CSV or text, and the summary
 *             (lib/probe/output.c)
 *
 * Like the rest of the library nothing here prints or exits; results come back through
 * callbacks on the caller's thread. Every byte a server sends is untrusted: the writers
 * escape it, and what is kept of an answer is capped (lib/common/limits.h).
 */
#ifndef EXHUNT_PROBE_H
#define EXHUNT_PROBE_H

#include "exhunt/exhunt.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Targets ---------------------------------------------------------------------- */

enum xh_scheme { XH_SCHEME_HTTPS = 0, XH_SCHEME_HTTP = 1 };
XH_API const char *xh_scheme_name(enum xh_scheme s);

struct xh_targets; /* opaque: specs, ports, exclusions */

XH_API xh_status xh_targets_new(struct xh_targets **out);
XH_API void xh_targets_free(struct xh_targets *t);
/* Ports for specs that name none: "443", "https:443,http:80,8443" (a bare number is
 * HTTPS). Replaces the default https:443. Call before adding targets. */
XH_API xh_status xh_targets_set_ports(struct xh_targets *t, const char *list, struct xh_error *err);
/* One target spec: mail.example.org, mail.example.org:8443, https://mail.example.org/,
 * http://10.1.2.3:8080, 192.0.2.10, [2001:db8::5]:443, 2001:db8::5, 10.1.0.0/16,
 * 2001:db8::/120. A URL's path is ignored (exhunt asks for its own pages); a URL with
 * a user name or password is refused (exhunt sends no credentials). */
XH_API xh_status xh_targets_add(struct xh_targets *t, const char *spec, size_t n, struct xh_error *err);
/* One exclusion: an address, a CIDR or a host name (matched exactly, any case). */
XH_API xh_status xh_targets_exclude(struct xh_targets *t, const char *spec, size_t n, struct xh_error *err);
/* The text of a list file: one spec per line, blanks and '#' comments skipped, a
 * trailing comment after a spec allowed. On error err->line is the line number. */
XH_API xh_status xh_targets_add_list(struct xh_targets *t, const char *text, size_t n, bool exclude,
                                     struct xh_error *err);
/* Size of the index space: the sum over specs of addresses x ports. */
XH_API uint64_t xh_targets_count(const struct xh_targets *t);
XH_API size_t xh_targets_nspecs(const struct xh_targets *t);

/* The built-in special-purpose ranges (never contacted when a range or a name leads
 * there; see docs/probe.md): i-th CIDR text and why, false past the end. */
XH_API bool xh_special_range(size_t i, const char **cidr, const char **why);

/* One target as the walk hands it out. */
struct xh_target {
	uint64_t index;     /* in the index space */
	uint64_t position;  /* in this shard's visiting order, 0-based (what --resume counts) */
	char host[256];     /* a name as given (lower case) or an address in its usual text form */
	int family;         /* 4 or 6 for an address, 0 for a name */
	uint8_t addr[16];   /* the address (4 or 16 bytes used) when family != 0 */
	bool exact;         /* the address was written out (not from a CIDR range) */
	uint16_t port;
	enum xh_scheme scheme;
	const char *excluded; /* NULL, or why this target must not be contacted (static text) */
};

/* Visiting order: a keyed permutation of the index space, cut into nshards interleaved
 * shards (shard is 0-based), skipping the first `skip` positions of the shard. */
struct xh_order {
	uint64_t seed;
	uint32_t shard, nshards;
	uint64_t skip;
};

struct xh_walk;
XH_API xh_status xh_walk_new(const struct xh_targets *t, const struct xh_order *o, struct xh_walk **out);
/* The next target of the shard; false at the end. Excluded targets are handed out too
 * (with .excluded set) so that they can be counted; they are never contacted. */
XH_API bool xh_walk_next(struct xh_walk *w, struct xh_target *out);
/* Positions of this shard in all (before skip). */
XH_API uint64_t xh_walk_total(const struct xh_walk *w);
XH_API void xh_walk_free(struct xh_walk *w);

/* May the prober connect to this address for this target? NULL if yes, else why not.
 * Checked for every connection, after name resolution and on redirects: the user's
 * exclusions always apply; the special-purpose ranges apply unless the target's own
 * address was written out exactly and this is that address. family 4 or 6. */
XH_API const char *xh_targets_refuse(const struct xh_targets *t, const struct xh_target *tg, int family,
                                     const uint8_t *addr);

/* ---- Fingerprint: what the answers say about Exchange and its build --------------- */

enum xh_build_source {
	XH_BSRC_NONE = 0,
	XH_BSRC_HEADER,      /* X-OWA-Version response header */
	XH_BSRC_OWA_PATH,    /* /owa/auth/<build>/ or /owa/<build>/ in the logon page */
	XH_BSRC_EXPORTTOOL,  /* ECP export-tool ClickOnce manifest version */
};
XH_API const char *xh_build_source_name(enum xh_build_source s);

/* Why a host is taken for Exchange (bits of xh_fp.why). */
enum {
	XH_FPW_OWA_VERSION = 1,   /* an X-OWA-Version header */
	XH_FPW_OWA_PATH = 2,      /* versioned /owa/ resource paths in the page */
	XH_FPW_LOGON_FORM = 4,    /* the OWA logon form (action /owa/auth.owa) */
	XH_FPW_LOGON_REDIRECT = 8, /* a redirect to /owa/auth/logon.aspx */
	XH_FPW_FE_SERVER = 16,    /* an X-FEServer header (names the Exchange front end) */
	XH_FPW_EXPORTTOOL = 32,   /* the ECP export-tool manifest */
	XH_FPW_COUNT = 6
};
XH_API const char *xh_fp_why_name(unsigned bit_index);

struct xh_fp {
	unsigned why;                      /* XH_FPW_* bits; 0: not Exchange */
	bool has_header, has_path, has_tool;
	struct xh_build header, path, tool; /* each candidate as read */
	bool path_conflict;                /* the page names more than one build */
	char fe_server[64];                /* X-FEServer value, raw bytes (escaped on output) */
	size_t fe_server_len;
	/* settled by xh_fp_settle */
	bool has_build;
	struct xh_build build;
	enum xh_build_source source;
	char note[192];                    /* disagreements between sources, or "" */
};

XH_API void xh_fp_init(struct xh_fp *fp);
/* One response header line ("X-OWA-Version: 15.1.2176.9\r\n"); status lines and other
 * headers are ignored. */
XH_API void xh_fp_header(struct xh_fp *fp, const char *line, size_t n);
/* The OWA logon page (or whatever /owa/ answered) and its location, when redirected. */
XH_API void xh_fp_logon_page(struct xh_fp *fp, const char *body, size_t n);
XH_API void xh_fp_redirect(struct xh_fp *fp, const char *location, size_t n);
/* The export-tool manifest body (ClickOnce XML). */
XH_API void xh_fp_exporttool(struct xh_fp *fp, const char *body, size_t n);
/* Picks the build: the header's full build first, then the manifest's, then the
 * path's (full on 2010, CU only on 2013 and later). */
XH_API void xh_fp_settle(struct xh_fp *fp);
/* True when no further request could improve the build (a full build is known). */
XH_API bool xh_fp_complete(const struct xh_fp *fp);

/* ---- Probe results ------------------------------------------------------------------ */

enum xh_probe_error {
	XH_PERR_NONE = 0,
	XH_PERR_EXCLUDED,      /* scope: not contacted */
	XH_PERR_DNS,           /* name did not resolve */
	XH_PERR_REFUSED,       /* connection refused or unreachable */
	XH_PERR_TIMEOUT,       /* connect or answer timed out (after the retries) */
	XH_PERR_TLS,           /* TLS handshake failed or the certificate was refused */
	XH_PERR_BAD_RESPONSE,  /* not HTTP, garbage, truncated, headers over the limit */
	XH_PERR_REDIRECT,      /* too many redirects */
	XH_PERR_OTHER,         /* anything else (message in error_text) */
	XH_PERR_COUNT
};
XH_API const char *xh_probe_error_name(enum xh_probe_error e);

/* One line per host: the worst CVE state decides. */
enum xh_exposure {
	XH_EXP_VULNERABLE = 0, /* at least one exploited CVE is open */
	XH_EXP_CANNOT_TELL,    /* none proven open, at least one cannot be told (CU only, config) */
	XH_EXP_FIXED,          /* every CVE fixed or not affected */
	XH_EXP_NO_BUILD,       /* Exchange, but no build was visible */
	XH_EXP_NOT_EXCHANGE,   /* answered, not Exchange */
	XH_EXP_ERROR,          /* no usable answer (error says why) */
	XH_EXP_COUNT
};
XH_API const char *xh_exposure_name(enum xh_exposure e);

struct xh_probe_result {
	struct xh_target target;
	char address[48];        /* the address connected to, "" if none */
	bool tls;                /* HTTPS was spoken (a handshake completed) */
	bool tls_verified;       /* --verify-tls was on and the certificate passed */
	long status;             /* HTTP status of the logon-page request (after redirects), 0 none */
	long tool_status;        /* HTTP status of the export-tool request, 0 if not sent */
	unsigned requests;       /* HTTP requests sent for this target (redirects, retries included) */
	struct xh_fp fp;
	bool assessed;           /* info is filled (a build was seen and is an Exchange build) */
	struct xh_build_info info;
	enum xh_exposure exposure;
	enum xh_probe_error error;
	char error_text[256];    /* curl's message or ours; may quote server bytes: escape it */
	char redirect[256];      /* a redirect that was not followed (other host, port or scheme) */
	double seconds;
};

/* Totals over a run, for the summary ("how many are exposed"). */
struct xh_probe_stats {
	uint64_t index_space;    /* addresses x ports over all specs */
	uint64_t shard_total;    /* positions in this shard */
	uint64_t skipped;        /* positions skipped by --resume */
	uint64_t visited;        /* positions handed out by the walk */
	uint64_t excluded;       /* of which excluded (never contacted) */
	uint64_t probed;         /* targets contacted (results written) */
	uint64_t requests;       /* HTTP requests sent */
	uint64_t done;           /* positions of the shard finished in order (the resume point) */
	uint64_t exposure[XH_EXP_COUNT];
	uint64_t errors[XH_PERR_COUNT];
	size_t ncves;
	const char *cve[XH_MAX_CVES], *campaign[XH_MAX_CVES];
	uint64_t cve_state[XH_MAX_CVES][4]; /* per enum xh_cve_state, over hosts with a build */
	uint64_t full_builds, cu_builds;
	double seconds;
	bool stopped;            /* --max-hosts was reached before the end of the shard */
};
XH_API void xh_probe_stats_init(struct xh_probe_stats *st);
/* Counts one result into the totals (the driver does it for every result). */
XH_API void xh_probe_tally(struct xh_probe_stats *st, const struct xh_probe_result *r);
/* Sets r->exposure from r->fp / r->info / r->error (the driver does it). */
XH_API void xh_probe_judge(struct xh_probe_result *r);

/* ---- The driver --------------------------------------------------------------------- */

/* The pages exhunt asks for, in order: stage 0 is sent to every target; stage 1 only
 * when stage 0 showed Exchange without a full build. */
#define XH_PROBE_STAGES 2
XH_API const char *xh_probe_path(unsigned stage);
/* The exact request head exhunt sends for stage `stage` of a target (CRLF line ends),
 * for --dry-run; returns its length (0 if it did not fit in cap). */
XH_API size_t xh_probe_request_text(const struct xh_target *tg, unsigned stage, char *buf, size_t cap);

struct xh_probe_opts {
	unsigned concurrency;      /* targets in flight at once (default XH_PROBE_DEF_CONCURRENCY) */
	unsigned timeout_ms;       /* per request, connect included */
	unsigned connect_timeout_ms;
	unsigned retries;          /* extra tries of a request that timed out or was cut */
	double rate;               /* requests per second over the whole run, 0: unlimited */
	uint64_t max_hosts;        /* stop after this many targets contacted, 0: no limit */
	bool verify_tls;           /* refuse certificates that do not verify (default: accept) */
	/* Every finished target, on the caller's thread. A non-OK status stops the run. */
	xh_status (*on_result)(void *ud, const struct xh_probe_result *r);
	void *ud;
	/* The resume point moved (stats->done), at most every XH_PROBE_CHECKPOINT_MS and at
	 * the end. A non-OK status stops the run. */
	xh_status (*on_checkpoint)(void *ud, const struct xh_probe_stats *st);
	/* Progress, about 4 times a second. */
	void (*on_progress)(void *ud, const struct xh_probe_stats *st);
};
XH_API void xh_probe_opts_init(struct xh_probe_opts *o);

/* The ceilings of lib/common/limits.h a caller may need to state or check. */
struct xh_probe_limits {
	unsigned max_concurrency, max_timeout_ms, max_retries, max_redirects;
};
XH_API void xh_probe_limits(struct xh_probe_limits *l);

/* Probes every target of the shard. st is filled whatever the outcome. XH_ESYSTEM when
 * libcurl cannot be set up; the callbacks' status when one stopped the run. */
XH_API xh_status xh_probe_run(const struct xh_targets *t, const struct xh_order *order,
                              const struct xh_probe_opts *o, struct xh_probe_stats *st,
                              struct xh_error *err);

/* ---- Probe output ------------------------------------------------------------------- */

struct xh_probe_writer; /* opaque */

XH_API size_t xh_probe_format_count(void);
XH_API const char *xh_probe_format_name(size_t i);
XH_API const char *xh_probe_format_help(size_t i);
/* "jsonl", "csv" or "text"; XH_ENOTFOUND for other names. */
XH_API xh_status xh_probe_writer_new(const char *format, bool color, xh_sink_fn sink, void *ud,
                                     struct xh_probe_writer **out);
XH_API void xh_probe_writer_free(struct xh_probe_writer *w);
/* What comes first (the CSV header row); skip it when appending to a resumed file. */
XH_API xh_status xh_probe_writer_begin(struct xh_probe_writer *w);
XH_API xh_status xh_probe_writer_result(struct xh_probe_writer *w, const struct xh_probe_result *r);
/* The summary (text and jsonl; nothing for csv). */
XH_API xh_status xh_probe_writer_summary(struct xh_probe_writer *w, const struct xh_probe_stats *st);

#ifdef __cplusplus
}
#endif
#endif
