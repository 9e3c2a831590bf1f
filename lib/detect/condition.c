/*
 * The Sigma condition parser: a rule's condition text into a tree over its search
 * identifiers, for example
 *
 *   condition: selection and not (filter_ok or 1 of filter_main_*)
 *
 * Grammar (Sigma specification v2), loosest first:
 *
 *   or-expr   := and-expr { "or" and-expr }
 *   and-expr  := unary { "and" unary }
 *   unary     := "not" unary | "(" or-expr ")" | quantifier | identifier
 *   quantifier:= ("1" | N | "all") "of" (pattern | "them")
 *
 * A pattern is an identifier with '*' wildcards; "them" is every identifier not starting
 * with '_'. A list of conditions is their OR. Pipe aggregations (Sigma v1) are rejected.
 */
#include "detect/condition.h"

#include <stdio.h>
#include <stdlib.h>

struct cparse {
	const char *p;
	const struct xh_ident *ids;
	size_t nids;
	struct xh_reject *e;
	unsigned depth;
	char tok[XH_MAX_COND_WORD];
};

void xh_condition_free(struct xh_cnode *c)
{
	if (!c)
		return;
	xh_condition_free(c->a);
	xh_condition_free(c->b);
	xh_free(c->ids);
	xh_free(c);
}

/* Next token into cp->tok ("" at the end): '(' ')' or a word. */
static const char *peek(struct cparse *cp, const char **after)
{
	const char *p = cp->p;
	size_t n = 0;

	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (*p == '(' || *p == ')') {
		cp->tok[0] = *p;
		cp->tok[1] = '\0';
		*after = p + 1;
		return cp->tok;
	}
	while (p[n] && p[n] != ' ' && p[n] != '\t' && p[n] != '\n' && p[n] != '\r' && p[n] != '(' && p[n] != ')') {
		if (n + 1 < sizeof cp->tok)
			cp->tok[n] = p[n];
		n++;
	}
	cp->tok[n < sizeof cp->tok ? n : sizeof cp->tok - 1] = '\0';
	*after = p + n;
	return cp->tok;
}

static bool glob_name(const char *pat, const char *s)
{
	if (*pat == '\0')
		return *s == '\0';
	if (*pat == '*')
		return glob_name(pat + 1, s) || (*s && glob_name(pat, s + 1));
	return *s == *pat && glob_name(pat + 1, s + 1);
}

static struct xh_cnode *cnew(enum xh_cop op)
{
	struct xh_cnode *c = xh_calloc(1, sizeof *c);
	if (c)
		c->op = op;
	return c;
}

/* The node op(a, b); NULL (both freed) when either is NULL or memory runs out. */
static struct xh_cnode *join(enum xh_cop op, struct xh_cnode *a, struct xh_cnode *b)
{
	struct xh_cnode *c = a && b ? cnew(op) : NULL;

	if (!c) {
		xh_condition_free(a);
		xh_condition_free(b);
		return NULL;
	}
	c->a = a;
	c->b = b;
	return c;
}

static struct xh_cnode *parse_or(struct cparse *cp);

static struct xh_cnode *parse_unary(struct cparse *cp)
{
	const char *after, *t = peek(cp, &after);
	struct xh_cnode *c;

	if (++cp->depth > XH_MAX_COND_DEPTH) {
		xh_reject(cp->e, "%s", "condition nested deeper than the limit");
		return NULL;
	}
	if (!t[0]) {
		xh_reject(cp->e, "%s", "condition ends where an identifier is expected");
		return NULL;
	}
	if (strcmp(t, "not") == 0) {
		cp->p = after;
		c = cnew(XH_C_NOT);
		if (!c)
			return NULL;
		c->a = parse_unary(cp);
		if (!c->a) {
			xh_condition_free(c);
			return NULL;
		}
		cp->depth--;
		return c;
	}
	if (strcmp(t, "(") == 0) {
		cp->p = after;
		c = parse_or(cp);
		if (!c)
			return NULL;
		t = peek(cp, &after);
		if (strcmp(t, ")") != 0) {
			xh_condition_free(c);
			xh_reject(cp->e, "%s", "missing ')' in condition");
			return NULL;
		}
		cp->p = after;
		cp->depth--;
		return c;
	}
	{
		/* "1 of sel*", "all of them", "3 of x*" or an identifier */
		char first[XH_MAX_COND_WORD];
		unsigned count = 0;
		bool quant = false;
		snprintf(first, sizeof first, "%s", t);
		if (strcmp(first, "all") == 0 || (first[0] >= '0' && first[0] <= '9')) {
			const char *after2, *t2;
			const char *save = cp->p;
			cp->p = after;
			t2 = peek(cp, &after2);
			if (strcmp(t2, "of") == 0) {
				char *end;
				quant = true;
				cp->p = after2;
				if (first[0] != 'a') {
					unsigned long v = strtoul(first, &end, 10);
					if (*end || v == 0 || v > XH_MAX_COND_COUNT) {
						xh_reject(cp->e, "bad count '%s' in condition", first);
						return NULL;
					}
					count = (unsigned)v;
				}
			} else {
				cp->p = save;
			}
		}
		if (quant) {
			const char *pat = peek(cp, &after);
			bool them = strcmp(pat, "them") == 0;
			c = cnew(XH_C_ANY_OF);
			if (!c)
				return NULL;
			c->op = first[0] == 'a' ? XH_C_ALL_OF : count == 1 ? XH_C_ANY_OF : XH_C_N_OF;
			c->count = count;
			c->ids = xh_calloc(cp->nids ? cp->nids : 1, sizeof *c->ids);
			if (!c->ids) {
				xh_condition_free(c);
				return NULL;
			}
			for (size_t i = 0; i < cp->nids; i++) {
				const char *nm = cp->ids[i].name;
				if (them ? nm[0] != '_' : glob_name(pat, nm))
					c->ids[c->nids++] = i;
			}
			if (c->nids == 0) {
				xh_reject(cp->e, "'%s' in condition matches no identifier", pat);
				xh_condition_free(c);
				return NULL;
			}
			cp->p = after;
			cp->depth--;
			return c;
		}
		for (size_t i = 0; i < cp->nids; i++) {
			if (strcmp(cp->ids[i].name, first) == 0) {
				c = cnew(XH_C_ID);
				if (!c)
					return NULL;
				c->ids = xh_malloc(sizeof *c->ids);
				if (!c->ids) {
					xh_condition_free(c);
					return NULL;
				}
				c->ids[0] = i;
				c->nids = 1;
				cp->p = after;
				cp->depth--;
				return c;
			}
		}
		if (strchr(first, '|'))
			xh_reject(cp->e, "%s", "pipe aggregations in the condition (Sigma v1) are not supported");
		else
			xh_reject(cp->e, "condition names unknown identifier '%s'", first);
		return NULL;
	}
}

/* Left-associative "a and b and c" (level 1) or "a or b or c" (level 0); and binds
 * tighter than or, so the operands of or are and-expressions. */
static struct xh_cnode *parse_binary(struct cparse *cp, int level)
{
	const char *word = level ? "and" : "or";
	enum xh_cop op = level ? XH_C_AND : XH_C_OR;
	struct xh_cnode *l = level ? parse_unary(cp) : parse_binary(cp, 1);
	const char *after;

	while (l && strcmp(peek(cp, &after), word) == 0) {
		cp->p = after;
		l = join(op, l, level ? parse_unary(cp) : parse_binary(cp, 1));
	}
	return l;
}

static struct xh_cnode *parse_or(struct cparse *cp)
{
	return parse_binary(cp, 0);
}

static struct xh_cnode *parse_text(const char *text, const struct xh_ident *ids, size_t nids, struct xh_reject *e)
{
	struct cparse cp = {text, ids, nids, e, 0, ""};
	struct xh_cnode *c = parse_or(&cp);
	const char *after;

	if (c && peek(&cp, &after)[0]) {
		xh_reject(e, "unexpected '%s' in condition", cp.tok);
		xh_condition_free(c);
		return NULL;
	}
	return c;
}

struct xh_cnode *xh_condition_parse(const struct xh_ynode *cond, const struct xh_ident *ids, size_t nids,
                                    struct xh_reject *e)
{
	struct xh_cnode *all = NULL;

	/* a list of conditions is their OR */
	for (size_t i = 0; i < (cond->kind == XH_Y_SEQ ? cond->n : 1); i++) {
		const struct xh_ynode *c = cond->kind == XH_Y_SEQ ? cond->items[i] : cond;
		struct xh_cnode *cn;
		if (c->kind != XH_Y_SCALAR) {
			xh_reject(e, "%s", "a condition that is not text");
			xh_condition_free(all);
			return NULL;
		}
		cn = parse_text(c->str, ids, nids, e);
		all = i == 0 ? cn : join(XH_C_OR, all, cn);
		if (!all)
			return NULL;
	}
	return all;
}
