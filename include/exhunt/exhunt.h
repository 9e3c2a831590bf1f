/*
 * exhunt public API: evidence in, typed records and findings out.
 *
 * The library walks evidence (folders, .zip triage archives), classifies each file by
 * content, streams it through the reader for its kind and hands every record to the
 * consumers a caller plugs in (writers now, the rule engine later). It never prints and
 * never exits: results come back through the writer's sink callback and a coverage
 * report; failures come back as an xh_status plus an xh_error context.
 *
 * Ownership, stated once: every `const struct xh_record *` handed to a callback is a
 * borrowed view into the reader's buffers, valid only until that callback returns.
 * Findings handed to xh_emit_finding() are deep-copied by the library.
 */
#ifndef EXHUNT_EXHUNT_H
#define EXHUNT_EXHUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define XH_API __attribute__((visibility("default")))

#define EXHUNT_VERSION "0.1.0"
/* The version of the JSON Lines schema (docs/output.md), on the first line of every
 * JSONL output; raised whenever a record type changes in a way a reader must know. 2:
 * hosts (a verdict per host, host on findings and coverage), one finding per record. */
#define EXHUNT_JSONL_SCHEMA 2

/* Status codes: values are stable, never renumbered or reused (append before XH_STATUS_END). */
typedef enum xh_status {
	XH_OK = 0,
	XH_ENOMEM = 1,       /* allocation failed */
	XH_EIO = 2,          /* read error on evidence or temp storage */
	XH_EFORMAT = 3,      /* input is not what its kind promises */
	XH_ELIMIT = 4,       /* a limit of common/limits.h was reached */
	XH_EARG = 5,         /* caller passed something invalid */
	XH_ENOTFOUND = 6,    /* named thing does not exist */
	XH_EARCHIVE = 7,     /* archive could not be opened or read */
	XH_ENOEVIDENCE = 8,  /* no evidence file could be read at all */
	XH_EABORT = 9,       /* a callback asked to stop */
	XH_ESYSTEM = 10,     /* the system refused a resource (thread, temp file, output) */
	XH_STATUS_END
} xh_status;

XH_API const char *xh_strerror(xh_status st);

/* Where an error happened. path is evidence-relative when known, "" otherwise. */
struct xh_error {
	char path[512];
	uint64_t line;   /* 1-based line or record number, 0 if not applicable */
	uint64_t offset; /* byte offset in the (decompressed) stream */
	char msg[256];
};

/* ---- Sources: the kinds of input exhunt recognises ------------------------------- */

/* How a source's bytes are parsed. */
enum xh_format {
	XH_FMT_NONE = 0, /* counted only (web files, archives, unknown) */
	XH_FMT_W3C,      /* IIS W3C extended log */
	XH_FMT_EXCHANGE_CSV, /* Exchange CSV-family log (#Software/#Log-type/#Fields header) */
	XH_FMT_TEXT,     /* line-oriented text, optional leading timestamp */
	XH_FMT_EVTX,     /* Windows event log (binary XML in 64 KiB chunks) */
	XH_FMT_COUNT
};
/* The format's short name as `exhunt formats` shows it ("W3C", "CSV", "text", "EVTX";
 * "counted" for XH_FMT_NONE). */
XH_API const char *xh_format_name(enum xh_format f);

/* One row of the source registry (lib/model/source.c). Names are stable: they are the
 * `source` value in every output and the Sigma logsource service names later. */
struct xh_source {
	const char *name;        /* "iis", "httpproxy", "ecp_server", ... */
	enum xh_format format;
	const char *log_type;    /* #Log-type prefix that selects it, NULL if none */
	const char *title;       /* one line for `exhunt formats` */
	const char *const *fields; /* NULL-terminated list of fields it exposes */
};

XH_API size_t xh_source_count(void);
XH_API const struct xh_source *xh_source_at(size_t i);
XH_API const struct xh_source *xh_source_find(const char *name);

/* ---- Records ----------------------------------------------------------------------- */

/* A byte view. p == NULL means the value is null (IIS "-", an empty CSV cell). */
struct xh_sv {
	const char *p;
	size_t n;
};

#define XH_TIME_NONE INT64_MIN

/* Column names of a log, rebuilt whenever the log states new #Fields. */
struct xh_schema {
	size_t n;
	const char *const *names;
	uint64_t id;   /* unique per #Fields header read in this process: consumers cache
	                  name -> column lookups by it */
};

struct xh_record {
	const struct xh_source *source;
	const char *path;            /* evidence-relative path, raw bytes, NUL-terminated */
	const char *origin;          /* the file's path on the server ("C:\inetpub\...") when the
	                                collection layout tells it, else NULL */
	uint64_t line;               /* 1-based number of the record's first line */
	uint64_t offset;             /* byte offset of the record in the decompressed stream */
	int64_t time_ms;             /* UTC milliseconds since 1970, XH_TIME_NONE if absent */
	struct xh_sv raw;            /* the record's text without its line end */
	const struct xh_schema *schema; /* NULL for text records */
	const struct xh_sv *fields;  /* schema->n values, in schema order */
	size_t nfields;
	/* Derived fields (ECP EventData S:KEY parts, ...): names and values. */
	const struct xh_sv *xnames;
	const struct xh_sv *xvalues;
	size_t nx;
	size_t nx_alias;             /* the last nx_alias derived fields are second names for
	                                values listed before them (rules see them, writers not) */
	const char *bad;             /* NULL for a good record; else why it is bad (static text) */
	/* The file's header directives in effect: #Software (IIS and Exchange logs),
	 * #Version (the server build for most Exchange logs) and #Log-type (Exchange).
	 * Null views when absent. */
	struct xh_sv software, version, log_type;
	/* Windows events (EVTX): the System fields rules select on (event_id -1 when the
	 * event has none); zero and null views for other records. The same values are
	 * also fields by name. */
	long event_id;
	struct xh_sv channel, provider, computer;
};

/* Value of a field by name (case-insensitive, schema then derived fields).
 * Returns false when the record has no such field; *out is then {NULL,0}. */
XH_API bool xh_record_get(const struct xh_record *r, const char *name, struct xh_sv *out);

/* ---- Findings (produced by the detection layer; writers already render them) ------ */

enum xh_level {
	XH_LEVEL_INFORMATIONAL = 0,
	XH_LEVEL_LOW,
	XH_LEVEL_MEDIUM,
	XH_LEVEL_HIGH,
	XH_LEVEL_CRITICAL,
	XH_LEVEL_COUNT
};

XH_API const char *xh_level_name(enum xh_level l);
/* Parses a Sigma level name ("informational", "low", ..., also "info"); false if unknown. */
XH_API bool xh_level_parse(const char *s, enum xh_level *out);

struct xh_kv {
	const char *name;
	struct xh_sv value;
};

/* One rule a finding's record met (struct xh_finding.rules). */
struct xh_rule_hit {
	const char *id, *name, *title;
	enum xh_level level;         /* the rule's weight in this finding after the post-pass */
	const char *const *tags;
	size_t ntags;
};

/* One finding per evidence record (or file, or build): every rule the record met is in
 * rules; rule_id, rule_name, title and rule_level are those of the strongest as the rules
 * state it, tags the union of all; level is the highest of the rules' levels after the
 * post-pass. */
struct xh_finding {
	const char *rule_id;
	const char *rule_name;       /* the rule's Sigma `name` (short, stable), may be NULL */
	const char *title;
	enum xh_level level;         /* after correlation (see note) */
	enum xh_level rule_level;    /* as the rule states it */
	const char *note;            /* why the level was changed, or context added after the
	                                scan (build open at the time, ...); may be NULL */
	const char *client;          /* remote address the record names (c-ip, ClientIpAddress) */
	bool backend;                /* the record is the Exchange back end's (its IIS site on port
	                                444): its client is the front end relaying, not the sender */
	const char *const *tags;     /* Sigma convention: "cve.2021-26855", "attack.t1190" */
	size_t ntags;
	const struct xh_rule_hit *rules; /* the rules met, strongest first; 0 for file and build
	                                    findings (their rule is rule_id) */
	size_t nrules;
	uint64_t rules_more;         /* rules met beyond XH_MAX_FINDING_RULES (counted only) */
	const char *const *references;
	size_t nreferences;
	int64_t time_ms;
	const char *host;            /* the host (collection) the evidence belongs to */
	uint32_t host_id;            /* its index in xh_report.hosts */
	const char *server;          /* the server the record names (s-computername,
	                                ServerHostName, ServerName, an event's Computer), or NULL */
	const char *source;          /* source name, e.g. "httpproxy" */
	const char *path;
	const char *origin;          /* the file's path on the server, when the layout shows it */
	uint64_t line;
	uint64_t offset;
	uint64_t activity;           /* the request this record is a log line of: findings of one
	                                request in several logs share it (0: none known) */
	uint64_t count;              /* informational findings of one rule and client are folded
	                                into the first: how many records (0 or 1: just this one) */
	int64_t last_ms;             /* time of the last folded record (count > 1) */
	const struct xh_kv *fields;  /* the fields that matter for this finding */
	size_t nfields;
	struct xh_sv excerpt;        /* raw evidence text, escaped by every writer */
};

/* The answer for one host, from a closed list (judge/verdict.c says how each is reached).
 * Ordered by how urgently it calls for a responder: a fleet's worst is the largest. */
enum xh_verdict {
	XH_VERDICT_NOT_ASSESSED = 0, /* no detection ran, or nothing relevant to read */
	XH_VERDICT_CLEAN,            /* "NO EVIDENCE": nothing at medium or above in what was read */
	XH_VERDICT_ATTEMPTED,        /* exploitation tried and failed (refused, blocked, patched) */
	XH_VERDICT_INCOMPLETE,       /* no proof either way, and part of its evidence unread */
	XH_VERDICT_SUSPICIOUS,       /* high signals (or medium ones to review) without proof */
	XH_VERDICT_COMPROMISED,      /* successful exploitation, a web shell used or planted,
	                                post-exploitation */
	XH_VERDICT_COUNT
};
XH_API const char *xh_verdict_name(enum xh_verdict v);
/* The campaign a finding belongs to, from its cve.* tags ("ProxyLogon", ...), or "". */
XH_API const char *xh_finding_campaign(const struct xh_finding *f);

/* ---- Coverage: what the evidence holds and what was read -------------------------- */

#define XH_COVER_REASONS 5

struct xh_reason {
	char path[256];
	uint64_t line;
	uint64_t offset;
	char what[96];
};

/* One group: a source kind within one folder of the evidence. */
struct xh_cover_group {
	const char *kind;            /* source name, or "evtx", "webfile", "archive", "unknown", ... */
	uint32_t host;               /* index in xh_report.hosts */
	char *folder;                /* evidence-relative folder (owned by the report) */
	uint64_t files;
	uint64_t bytes;              /* bytes read (decompressed) */
	uint64_t records;
	uint64_t bad_records;
	uint64_t comments;           /* header/comment lines seen (W3C "#..." directives etc.) */
	uint64_t odd_comments;       /* of which not a known directive (e.g. a hand-written note) */
	uint64_t outside_window;     /* records skipped by --since/--until */
	uint64_t unreadable_files;
	int64_t first_ms, last_ms;   /* XH_TIME_NONE when no timed record */
	size_t nreasons;             /* first bad-record reasons kept */
	struct xh_reason reasons[XH_COVER_REASONS];
	size_t nunreadable;
	struct xh_reason unreadable[XH_COVER_REASONS];
	/* Whole UTC days between first and last without a single record in this group
	 * (from the span of each file): missing or deleted logs, or no traffic. */
	uint64_t gap_days;
	size_t gaps_total;           /* how many separate gaps */
	size_t ngaps;                /* the first gaps kept */
	struct xh_gap {
		int64_t from_ms;         /* start of the first missing day */
		int64_t to_ms;           /* start of the day after the last missing day */
	} gaps[XH_COVER_REASONS];
	/* File checks (hash, YARA, names and places): files looked at, files whose content
	 * was scanned only in its first --max-scan-bytes, files too large to be hashed. */
	uint64_t files_checked, content_cut, not_hashed;
};

/* One host of the evidence: a server's collection, and what the scan says of it. */
struct xh_host {
	char *name;                  /* (all strings owned by the report) */
	const char *named_by;        /* "--host", "Velociraptor client info", "KAPE console log",
	                                "folder name", "log content" or "unknown" */
	const char *evidence;        /* the EVIDENCE argument it is in */
	char *collection;            /* its folder in the evidence ("" for the argument itself) */
	char names_seen[192];        /* the servers its records name, comma-separated ("" none) */
	bool name_differs;           /* its records name servers, none of them this host */
	enum xh_verdict verdict;
	char reason[640];            /* why, in one line */
	int64_t first_compromise;    /* first successful exploitation or shell write, or NONE */
	int64_t last_activity;       /* last finding at medium or above, or NONE */
	char campaigns[96], cves[192];
	char attackers[256];         /* client addresses of its exploitation findings */
	char shells[512];            /* web shells: server paths of shell files and pages used */
	char build[32];              /* the last Exchange build its evidence shows, or "" */
	char open_cves[192];         /* what that build leaves open, or "" */
	char mitigation[192];        /* mitigations seen (EOMT URL Rewrite rules), with when, or "" */
	uint64_t findings[XH_LEVEL_COUNT];
	uint64_t files, files_read, files_unreadable, bytes, records, bad_records;
	/* coverage per log family ("IIS", "HttpProxy Ecp", "ECP", "OAB generator", the event
	 * log channels...): kind is the family, folder "" */
	struct xh_cover_group *families;
	size_t nfamilies;
	/* when a campaign's CVEs were open on this host by its builds (from the campaign's
	 * start, or the first build seen, to the first fixed build or the end of evidence),
	 * and whether its web logs reach back that far */
	int64_t exposed_from, exposed_to;   /* NONE when no exposure is known */
	char exposure[160];          /* which campaigns, as text */
	bool exposure_assumed;       /* no build is known: taken as open since each campaign began */
	bool limited;                /* the web logs do not cover the whole exposure */
	uint64_t uncovered_days;
};

struct xh_report {
	const char *const *evidence; /* the EVIDENCE arguments (borrowed from the caller) */
	size_t nevidence;
	struct xh_host *hosts;       /* one per server's collection, in evidence order */
	size_t nhosts;
	uint64_t hosts_by_verdict[XH_VERDICT_COUNT];
	struct xh_cover_group *groups;
	size_t ngroups;
	uint64_t files_total;
	uint64_t files_read;         /* files opened and read to the end (or cut by a limit) */
	uint64_t files_unreadable;
	uint64_t files_skipped;      /* symlinks, devices, nested archives: counted, not read */
	uint64_t bytes_total;
	uint64_t records;
	uint64_t bad_records;
	uint64_t findings[XH_LEVEL_COUNT];
	uint64_t findings_dropped;   /* findings over the per-run cap (counted, not kept) */
	uint64_t findings_below_min; /* judged, not written (xh_scan_opts.min_level) */
	uint64_t findings_uncorrelated; /* over XH_MAX_FINDINGS_KEPT: written as found, not
	                                   correlated, sorted or grouped */
	enum xh_verdict verdict;     /* the worst of the hosts' */
	char verdict_text[640];      /* one line: the fleet, or the one host's reason */
	int64_t since_ms, until_ms;  /* the window asked for, XH_TIME_NONE when open */
	double seconds;
	bool detection;              /* a rule hook or the file checks ran (false: records were
	                                only read and counted) */
	/* File checks: whether they ran, how many files they looked at, how many were cut at
	 * max_scan_bytes or too large to hash, and one line on the web roots and other
	 * places of indicators.md 1.10 the evidence holds (or "" when they did not run). */
	bool file_checks;
	uint64_t files_checked, files_cut, files_not_hashed;
	uint64_t max_scan_bytes;
	char places[768];
};

XH_API void xh_report_free(struct xh_report *r);

/* Campaign coverage statements ("compromise before ... cannot be excluded"). */
struct xh_campaign {
	const char *name;
	const char *cves;
	int64_t begin_ms;          /* date from which to hunt */
	const char *why;           /* where that date comes from */
};
XH_API size_t xh_campaign_count(void);
XH_API const struct xh_campaign *xh_campaign_at(size_t i);

/* ---- Output writers ----------------------------------------------------------------- */

/* Where a writer's bytes go: called on the caller's thread, in deterministic order. */
typedef xh_status (*xh_sink_fn)(void *ud, const void *data, size_t len);

struct xh_writer;  /* opaque */

struct xh_writer_opts {
	bool color;       /* text only: ANSI colour (caller decides: a tty and no NO_COLOR) */
	bool records;     /* write records (dump) */
	bool coverage;    /* write coverage at the end */
	bool findings;    /* write findings */
};

XH_API size_t xh_writer_format_count(void);
XH_API const char *xh_writer_format_name(size_t i);
XH_API const char *xh_writer_format_help(size_t i);
/* Creates a writer for format "text", "jsonl" or "csv"; XH_ENOTFOUND for other names. */
XH_API xh_status xh_writer_new(const char *format, const struct xh_writer_opts *o, xh_sink_fn sink,
                               void *ud, struct xh_writer **out);
XH_API void xh_writer_free(struct xh_writer *w);
/* Writes what comes before everything else (the CSV header row); xh_scan calls it. */
XH_API xh_status xh_writer_begin(struct xh_writer *w);
/* Renders one finding directly (used by tests and by the scan driver). */
XH_API xh_status xh_writer_finding(struct xh_writer *w, const struct xh_finding *f);
XH_API xh_status xh_writer_finish(struct xh_writer *w, const struct xh_report *r);
struct xh_build_info;
/* Renders one assessed build (exhunt build). input: the text as given, escaped; host: the
 * host it is of (an estate's inventory line), or NULL. */
XH_API xh_status xh_writer_build(struct xh_writer *w, const char *host, const char *input,
                                 const struct xh_build_info *bi);

/* ---- Scanning ----------------------------------------------------------------------- */

struct xh_progress {
	uint64_t files_done, files_total;
	uint64_t bytes_done, bytes_total; /* bytes as stored (compressed for .gz/.zip entries) */
	double seconds;
};

/* Per-record hook run on worker threads (the rule engine plugs in here). It may call
 * xh_emit_finding(emit, ...) for the record. Return XH_OK to go on. */
struct xh_emit;
typedef xh_status (*xh_record_hook)(void *ud, const struct xh_record *r, struct xh_emit *emit);
XH_API xh_status xh_emit_finding(struct xh_emit *emit, const struct xh_finding *f);
/* The calling worker's own state for the hook (from xh_scan_opts.hook_worker_new), or NULL. */
XH_API void *xh_emit_hook_state(struct xh_emit *emit);

/* A host name the caller gives for the collection at path (xh_scan_opts.host_names). */
struct xh_host_name {
	const char *name;
	const char *path;
};

struct xh_scan_opts {
	unsigned jobs;               /* 0: all cores */
	int64_t since_ms, until_ms;  /* XH_TIME_NONE: open */
	struct xh_writer *writer;    /* receives records (if it wants them), findings, coverage */
	xh_record_hook hook;         /* may be NULL */
	void *hook_ud;
	/* Optional per-worker state for the hook (scratch space that must not be shared
	 * between threads): made once per worker thread, freed when the scan ends. */
	void *(*hook_worker_new)(void *hook_ud);
	void (*hook_worker_free)(void *hook_ud, void *state);
	void (*progress)(void *ud, const struct xh_progress *p); /* main thread, ~4 times/s */
	void *progress_ud;
	/* Findings below this level take part in correlation but are not written. */
	enum xh_level min_level;
	/* Told about every finding written, after correlation (main thread). */
	void (*on_finding)(void *ud, const struct xh_finding *f);
	void *on_finding_ud;
	/* File checks (web shells, dumps, staging, rogue configuration) on the files that are
	 * not logs; NULL: none. files_only: read no log, only check files. */
	struct xh_files *files;
	bool files_only;
	/* Hosts named by the caller (--host NAME=PATH): PATH is an EVIDENCE argument, or a
	 * folder of one ("ARG/sub/folder"), that holds one server's collection. Others are
	 * named from their collector's metadata, else their folder. */
	const struct xh_host_name *host_names;
	size_t nhost_names;
};

XH_API void xh_scan_opts_init(struct xh_scan_opts *o);

/* Scans every EVIDENCE path (folder or .zip). On XH_OK *report is filled (caller frees
 * with xh_report_free); the writer has been finished with it. XH_ENOEVIDENCE when not
 * a single file could be read. err may be NULL. */
XH_API xh_status xh_scan(const char *const *evidence, size_t nevidence, const struct xh_scan_opts *o,
                         struct xh_report *report, struct xh_error *err);

/* ---- Patch status: which exploited CVEs an Exchange build leaves open ------------- */

enum xh_product { XH_PROD_UNKNOWN = 0, XH_PROD_2010, XH_PROD_2013, XH_PROD_2016, XH_PROD_2019, XH_PROD_SE };

/* A build number. rev_known is false for the three-part form (CU only, as OWA paths
 * and some headers show it). */
struct xh_build {
	unsigned major, minor, build, rev;
	bool rev_known;
};

/* Parses "15.1.2176.9", "15.01.2176.009", "15.1.2176" and "Version 15.1 (Build 2176.9)",
 * with surrounding blanks. false when malformed. */
XH_API bool xh_build_parse(const char *s, size_t n, struct xh_build *out);
/* "15.1.2176.9" (or "15.1.2176" without a revision) into buf (>= 32 bytes). */
XH_API void xh_build_format(const struct xh_build *b, char *buf, size_t cap);

enum xh_cve_state {
	XH_CVE_VULNERABLE = 0,
	XH_CVE_FIXED,
	XH_CVE_UNKNOWN,       /* cannot tell from the build (CU only, configuration, old-CU caveat) */
	XH_CVE_NOT_AFFECTED,  /* the product never had the flaw */
};
XH_API const char *xh_cve_state_name(enum xh_cve_state s);

struct xh_cve_verdict {
	const char *cve;         /* "CVE-2021-26855" */
	const char *campaign;    /* "ProxyLogon", ... or "" */
	enum xh_cve_state state;
	char fix[96];            /* what fixes it on this CU: "Mar21SU (KB5000871) 15.1.2176.9", or "" */
	char why[224];           /* the reason for the state, one sentence */
};

#define XH_MAX_CVES 24

struct xh_build_info {
	struct xh_build build;
	enum xh_product product;
	const char *product_name;  /* "Exchange Server 2016" */
	const char *cu;            /* "CU19", "RTM", "SP3", or NULL when the CU is not in the table */
	const char *update;        /* installed update ("Mar21SU", "" for the CU release), NULL if unknown */
	const char *kb, *date;     /* of that update, NULL if unknown */
	bool exact;                /* the build is a row of the table */
	bool newer_than_table;     /* well-formed, beyond the newest known build of its line */
	bool disputed;             /* the table row is one the sources disagree on */
	bool lower_confidence;     /* the table row comes from a single secondary source */
	char note[224];            /* what to know about this build, or "" */
	size_t ncves;
	struct xh_cve_verdict cves[XH_MAX_CVES];
};

/* Judges a build against every exploited CVE exhunt knows (builds.md section 4). Returns
 * XH_OK, or XH_ENOTFOUND when the build is not an Exchange 2010-SE build. */
XH_API xh_status xh_build_assess(const struct xh_build *b, struct xh_build_info *out);
/* Rows of the compiled build table (for tests and listings). */
XH_API size_t xh_build_table_count(void);
XH_API bool xh_build_table_row(size_t i, struct xh_build *b, const char **product, const char **cu,
                               const char **update);

/* ---- Detection rules (Sigma) ------------------------------------------------------- */

struct xh_rules;  /* opaque: a set of compiled rules, read-only once loaded */

/* Told about every rule (or file) that could not be loaded, with the reason.
 * rule is the rule's title when known, else NULL. */
typedef void (*xh_rule_reject_fn)(void *ud, const char *path, const char *rule, const char *why);

struct xh_rules_stats {
	uint64_t files, documents, loaded, rejected, unreadable;
	size_t prefiltered;  /* rules the literal prefilter can skip (after xh_rules_prepare) */
	size_t unfiltered;   /* rules evaluated on every record of their logsource */
};

XH_API xh_status xh_rules_new(struct xh_rules **out);
XH_API void xh_rules_free(struct xh_rules *rs);
/* Loads a rule file or every .yml/.yaml below a folder (sorted). Rules that cannot be
 * used are reported through cb and counted, never silently dropped. */
XH_API xh_status xh_rules_load(struct xh_rules *rs, const char *path, xh_rule_reject_fn cb, void *ud);
XH_API xh_status xh_rules_load_text(struct xh_rules *rs, const char *name, const char *text, size_t len,
                                    xh_rule_reject_fn cb, void *ud);
/* Loads the shipped Exchange rule pack (rules/ of the source tree, compiled in). */
XH_API xh_status xh_rules_load_builtin(struct xh_rules *rs, xh_rule_reject_fn cb, void *ud);
XH_API size_t xh_rules_builtin_files(void);
XH_API size_t xh_rules_count(const struct xh_rules *rs);
/* Evaluate every rule on every record of its logsource (a diagnostic: the prefilter
 * must never change what matches; tests compare both ways). */
XH_API void xh_rules_set_prefilter(struct xh_rules *rs, bool on);
/* Read-only view of a loaded rule, for listings. */
struct xh_rule_info {
	const char *path, *id, *name, *title, *description, *logsource;
	enum xh_level level;
	size_t nreferences;
	bool prefiltered;          /* has a required literal set (after xh_rules_prepare) */
	const char *const *tags;
	size_t ntags;
};
XH_API bool xh_rules_info(const struct xh_rules *rs, size_t i, struct xh_rule_info *out);
/* The i-th distinct literal of the prefilter (lower case, after xh_rules_prepare); its
 * length, 0 past the end. One of a rule's literals occurs in every record it matches. */
XH_API size_t xh_rules_literal(const struct xh_rules *rs, size_t i, const char **p);
XH_API void xh_rules_stats(const struct xh_rules *rs, struct xh_rules_stats *st);
/* Builds the multi-literal prefilter once all rules are loaded (loading more undoes it).
 * Not thread-safe: call before the scan starts (xh_rules_worker_new does it if needed). */
XH_API xh_status xh_rules_prepare(struct xh_rules *rs, struct xh_error *err);
/* The scan hook (xh_scan_opts.hook) with hook_ud = the rules: runs every rule whose
 * logsource covers the record's source and whose literals occur in it, and emits a
 * finding per match. Use xh_rules_worker_new/free as hook_worker_new/free: without
 * them every record pays for its own scratch space and no prefilter runs. */
XH_API xh_status xh_rules_hook(void *rules, const struct xh_record *r, struct xh_emit *emit);
XH_API void *xh_rules_worker_new(void *rules);
XH_API void xh_rules_worker_free(void *rules, void *state);

/* ---- File checks: web shells and other artefacts on disk ------------------------- */

/*
 * What the scan does with every file that is not a log (and any script page): SHA-256
 * (and MD5/SHA-1 for small files) against the known-bad list, Microsoft's allow-list of
 * the script pages it ships in Exchange's web folders, YARA content rules (the shipped
 * set in rules/yara plus --yara files), name and place checks (aspnet_client, owa\auth,
 * LSASS dumps, staging archives) and applicationHost.config/web.config checks. Each file
 * gives at most one finding naming everything it showed (config files: one per item).
 */
struct xh_files; /* opaque: compiled once, read-only during scans */

struct xh_files_stats {
	size_t yara_rules;       /* compiled (shipped and added) */
	size_t yara_files;       /* rule files compiled */
	size_t allow_paths, allow_pairs; /* allow-list: paths, (path, sha256) pairs */
	size_t bad_hashes;       /* known-bad hash entries */
};

/* The shipped YARA rules, known-bad hashes and allow-list. */
XH_API xh_status xh_files_new(struct xh_files **out, struct xh_error *err);
XH_API void xh_files_free(struct xh_files *fc);
/* Adds YARA rules from a file or from every .yar/.yara below a folder (sorted). A file
 * that does not compile is reported through cb (path, NULL, why) and left out. */
XH_API xh_status xh_files_add_yara(struct xh_files *fc, const char *path, xh_rule_reject_fn cb, void *ud);
XH_API xh_status xh_files_add_yara_text(struct xh_files *fc, const char *name, const char *text, size_t len,
                                        xh_rule_reject_fn cb, void *ud);
/* Adds (path, sha256) pairs to the allow-list, in the format of data/ms_web_allowlist.txt
 * (tools/gen_allowlist.py makes one from a sha256,path CSV). */
XH_API xh_status xh_files_add_allowlist(struct xh_files *fc, const char *path, struct xh_error *err);
XH_API xh_status xh_files_add_allowlist_text(struct xh_files *fc, const char *name, const char *text,
                                             size_t len, struct xh_error *err);
/* Bytes of each file's content scanned (XH_FILES_SCAN_MIN..XH_FILES_SCAN_MAX); false if out of range. */
XH_API bool xh_files_set_max_scan(struct xh_files *fc, uint64_t bytes);
/* Compiles the YARA rules; after it nothing can be added. xh_scan calls it if needed. */
XH_API xh_status xh_files_prepare(struct xh_files *fc, struct xh_error *err);
XH_API void xh_files_stats(const struct xh_files *fc, struct xh_files_stats *st);

/* ---- Small helpers shared with the CLI ---------------------------------------------- */

/* Formats ms as "2021-03-03T06:49:42.162Z" into buf (>= 25 bytes). */
XH_API void xh_time_format(int64_t ms, char *buf, size_t cap);
/* Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]][Z]" or with a space; false if invalid. */
XH_API bool xh_time_parse(const char *s, int64_t *out_ms);

#ifdef __cplusplus
}
#endif
#endif
