/*
 * Compiled Sigma rules (sigma.c compiles, sigma_match.c evaluates). A rule is a set of
 * search identifiers, each an OR of maps (AND of field tests) or a keyword list, and a
 * condition tree over them. Values are compiled once: globs with Sigma's escaping,
 * regexes (PCRE2, JIT), CIDR networks, numbers.
 */
#ifndef XH_SIGMA_H
#define XH_SIGMA_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include "common/base.h"
#include "model/source.h"

#include <pcre2.h>

enum xh_mkind {
	XH_M_GLOB,      /* wildcard pattern over the whole value */
	XH_M_RE,        /* PCRE2 search */
	XH_M_CIDR,      /* IPv4/IPv6 network */
	XH_M_NUM,       /* gt/gte/lt/lte */
	XH_M_NULL,      /* field null or absent */
	XH_M_EXISTS,    /* field present (or absent when !want) */
	XH_M_FIELDREF,  /* equal to another field of the record */
};

enum xh_numop { XH_GT, XH_GTE, XH_LT, XH_LTE };

struct xh_matcher {
	enum xh_mkind kind;
	/* glob: pattern bytes with a parallel mask (0 literal, 1 '*', 2 '?') */
	unsigned char *pat, *mask;
	size_t n;
	bool cased;
	/* the fast paths of a glob: exact, prefix, suffix, substring of one literal */
	enum { XH_G_GENERIC, XH_G_EXACT, XH_G_PREFIX, XH_G_SUFFIX, XH_G_CONTAINS, XH_G_ANY } shape;
	const unsigned char *lit;
	size_t litn;
	pcre2_code *re;
	unsigned char net[16];
	unsigned prefix;
	bool v6;
	double num;
	enum xh_numop op;
	bool want;          /* exists: true/false */
	char *ref;          /* fieldref: the other field */
};

/* A field name resolved once: which record column (or the composed URI) to read. */
struct xh_fref {
	const char *look;      /* column name to look up (the rule's, a W3C name, or own) */
	char *own;             /* owned copy when the name had a ".decoded" suffix */
	bool uri;              /* webserver cs-uri-query: stem '?' query */
	bool decoded;          /* URL-decode the value */
	bool any;              /* Windows unnamed Data: holds if any of the record's Data values does */
};
XH_HIDDEN void xh_field_resolve(const char *name, bool webserver, struct xh_fref *out);

struct xh_ftest {          /* one "field|modifiers: values" entry of a map */
	char *field;           /* Sigma name as written (NULL for keywords) */
	struct xh_fref ref;    /* resolved after the logsource is known */
	bool all;              /* every value must match (|all) */
	struct xh_matcher *m;
	size_t nm;
};

struct xh_smap {           /* AND of field tests */
	struct xh_ftest *t;
	size_t n;
};

struct xh_ident {
	char *name;
	struct xh_smap *maps;  /* OR of maps */
	size_t nmaps;
	struct xh_ftest kw;    /* keywords: field NULL; all = keyless |all */
	bool keywords;
};

enum xh_cop { XH_C_ID, XH_C_AND, XH_C_OR, XH_C_NOT, XH_C_ANY_OF, XH_C_ALL_OF, XH_C_N_OF };

struct xh_cnode {
	enum xh_cop op;
	struct xh_cnode *a, *b;
	size_t *ids;           /* identifiers (one for XH_C_ID, the expansion for x of) */
	size_t nids;
	unsigned count;        /* N of */
};

/* Windows logsources (winlog.c): a service or one thor.yml entry of a category. */
struct xh_rename {
	const char *from, *to;
};
struct xh_winsel {
	const char *key;                  /* Sigma service or category name */
	const char *label;                /* for rule listings: "Security 4688" */
	const char *const *channels;      /* NULL-terminated; NULL: any */
	const char *const *providers;     /* an event matches on its channel or its provider */
	const long *eids;                 /* -1-terminated; NULL: any */
	const char *cond_field, *cond_value; /* one more exact field condition (EventType) */
	const struct xh_rename *renames;  /* {NULL, NULL}-terminated Sigma -> event field names */
};
/* The selections of a category (one per variant, up to max) or of a service (one);
 * neither: any Windows event. Returns how many, 0 when the name is unknown. */
XH_HIDDEN size_t xh_winsel_find(const char *category, const char *service, const struct xh_winsel **out, size_t max);
XH_HIDDEN const struct xh_winsel *xh_winsel_at(size_t i, bool category);
XH_HIDDEN bool xh_winsel_match(const struct xh_winsel *w, const struct xh_record *r);
XH_HIDDEN const char *xh_winsel_rename(const struct xh_winsel *w, const char *field);
#define XH_MAX_WINSEL_VARIANTS 8

struct xh_rule {
	char *path, *id, *name, *title, *description;
	char *logsource;       /* as written: "webserver", "exchange/httpproxy" */
	enum xh_level level;
	char **tags, **refs;
	size_t ntags, nrefs;
	unsigned sources;      /* bit (1 << index in the source registry) per source it runs on */
	bool webserver;        /* Sigma webserver field names apply (cs-uri-query = stem?query) */
	const struct xh_winsel *win; /* Windows events: which ones (NULL for other logs) */
	struct xh_ident *ids;
	size_t nids;
	struct xh_cnode *cond; /* OR of the condition list */
	char **fields;         /* fields the rule tests, shown in findings */
	size_t nfields;
};

XH_HIDDEN const struct xh_rule *xh_rules_at(const struct xh_rules *rs, size_t i);
struct xh_prefilter;
XH_HIDDEN const struct xh_prefilter *xh_rules_prefilter(const struct xh_rules *rs);
XH_HIDDEN bool xh_rules_prefilter_on(const struct xh_rules *rs);


/* Column of a field name in a record schema, remembered per thread: rules name fields,
 * records of one file share a schema, so the name search runs once per file. */
#define XH_COLCACHE 1024
struct xh_colcache {
	const char *name;        /* the rule's field name (its address is the key) */
	uint64_t schema;         /* xh_schema.id */
	int col;                 /* -1: not a column of that schema */
};

/* Buffers one evaluation needs; one per thread. */
struct xh_eval_scratch {
	struct xh_buf uri;       /* the composed cs-uri-query */
	struct xh_buf dec;       /* a URL-decoded field */
	pcre2_match_data *md;
	struct xh_colcache *cc;  /* XH_COLCACHE entries */
};
XH_HIDDEN xh_status xh_eval_scratch_init(struct xh_eval_scratch *s);
XH_HIDDEN void xh_eval_scratch_free(struct xh_eval_scratch *s);
XH_HIDDEN bool xh_rule_eval(const struct xh_rule *r, const struct xh_record *rec, struct xh_eval_scratch *s);
XH_HIDDEN void xh_rule_free(struct xh_rule *r);

#endif
