/*
 * A compiled Sigma rule: what rules.c builds from a rule document and match.c evaluates.
 * A rule is a set of search identifiers, each an OR of maps (AND of field tests) or a
 * keyword list, and a condition tree over them. Values are compiled once (values.c,
 * modifiers.c): globs with Sigma's escaping, regexes (PCRE2, JIT), CIDR networks,
 * numbers; field names are resolved once the logsource is known (model/fields.h).
 */
#ifndef XH_RULE_H
#define XH_RULE_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include "common/base.h"
#include "model/fields.h"
#include "detect/winlog.h"

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
	char *ref;          /* fieldref: the other field, as written */
	struct xh_fref target; /* fieldref: the other field, resolved with the rule's fields */
};

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

struct xh_rule {
	char *path, *id, *name, *title, *description;
	char *logsource;       /* as written: "webserver", "exchange/httpproxy" */
	enum xh_level level;
	char **tags, **refs;
	size_t ntags, nrefs;
	unsigned sources;      /* bit (1 << index in the source registry) per source it runs on */
	bool webserver;        /* Sigma webserver field names apply (cs-uri-query = stem?query) */
	const struct xh_winsource *win; /* Windows events: which ones (NULL for other logs) */
	struct xh_ident *ids;
	size_t nids;
	struct xh_cnode *cond; /* OR of the condition list */
	char **fields;         /* fields the rule tests, shown in findings */
	struct xh_fref *field_refs; /* the same, resolved */
	size_t nfields;
};

#endif
