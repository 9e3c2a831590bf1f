/*
 * Sigma value modifiers (modifiers.c): the `|contains|all`, `|re|i`, `|windash|base64`
 * ... of a field key, parsed against one table, and what they do to the values of a test.
 */
#ifndef XH_MODIFIERS_H
#define XH_MODIFIERS_H

#include "detect/reject.h"
#include "detect/rule.h"
#include "detect/yaml_tree.h"

/* What modifiers set on a test (struct xh_mods.set). */
enum {
	XH_MF_CONTAINS = 1u << 0,   /* string values: '*' before and after */
	XH_MF_STARTSWITH = 1u << 1, /* string values: '*' after */
	XH_MF_ENDSWITH = 1u << 2,   /* string values: '*' before */
	XH_MF_CASED = 1u << 3,      /* string values: compared case-sensitively */
	XH_MF_ALL = 1u << 4,        /* the value list: every value must match */
	XH_MF_RE = 1u << 5,         /* values are regexes */
	XH_MF_RE_I = 1u << 6,       /* regex flags: caseless, multiline, dotall */
	XH_MF_RE_M = 1u << 7,
	XH_MF_RE_S = 1u << 8,
	XH_MF_EXISTS = 1u << 9,     /* values are true/false: the field is present or not */
	XH_MF_NUM = 1u << 10,       /* values are numbers compared with op */
	XH_MF_CIDR = 1u << 11,      /* values are networks */
	XH_MF_FIELDREF = 1u << 12,  /* values are names of other fields */
};

struct xh_modifier;   /* a row of the modifier table */

/* The modifiers of one field key. */
struct xh_mods {
	unsigned set;                    /* XH_MF_* of the modifiers written */
	enum xh_numop op;                /* gt, gte, lt, lte: the last one written */
	const struct xh_modifier *kind;  /* what the values are when not strings (exists, cidr, re ...) */
	const struct xh_modifier *steps[XH_MAX_MODIFIER_STEPS]; /* transformations, in the order written */
	size_t nsteps;
};

/* Splits "field|mod|mod" in place: *field is the part before the first '|'. */
XH_HIDDEN bool xh_mods_parse(char *key, char **field, struct xh_mods *md, struct xh_reject *e);

/* Values of a test while it compiles: Sigma strings (wildcards live) or literal bytes. */
struct xh_val {
	char *s;
	size_t n;
	bool literal;
};
struct xh_vals {
	struct xh_val *v;
	size_t n, cap;
};
/* Takes s (NULL: out of memory, false); frees it when the list cannot grow. */
XH_HIDDEN bool xh_vals_add(struct xh_vals *vs, char *s, size_t n, bool literal);
XH_HIDDEN void xh_vals_free(struct xh_vals *vs);

/* The transformations (windash, base64, utf16 ...) applied to the string values, in the
 * order written; nitems is how many values the rule wrote (the variant limit is per value).
 * On failure *vs is still a list to free. */
XH_HIDDEN bool xh_mods_apply(const struct xh_mods *md, struct xh_vals *vs, size_t nitems, struct xh_reject *e);
/* One value compiled into a matcher of md->kind (md->kind not NULL). */
XH_HIDDEN bool xh_mods_value(const struct xh_mods *md, const struct xh_ynode *v, struct xh_matcher *m,
                             struct xh_reject *e);

#endif
