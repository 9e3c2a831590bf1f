/*
 * Sigma value modifiers: one table (modifiers[] below) says, for every modifier a field
 * key may carry, what it sets on the test, how it transforms the values or what kind of
 * matcher it makes of them, and which values it applies to. For example
 *
 *   CommandLine|windash|contains: ' -enc '
 *   AnchorMailbox|re|i: '^serverinfo~[a-z0-9.-]+@'
 *   c-ip|cidr: 10.0.0.0/8
 *
 * sets "contains" and varies the dashes of the string values; makes one caseless regex;
 * makes one network. Adding a modifier is a row here (with its function: a step over the
 * value list or a value kind) and its tests in tests/unit/test_sigma.c.
 */
#include "common/ip.h"
#include "detect/modifiers.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <strings.h>

/* ---- value lists ---------------------------------------------------------------------- */

bool xh_vals_add(struct xh_vals *vs, char *s, size_t n, bool literal)
{
	if (!s)
		return false;
	if (vs->n == vs->cap) {
		size_t cap = vs->cap ? vs->cap * 2 : 8;
		struct xh_val *nv = xh_realloc(vs->v, cap * sizeof *nv);
		if (!nv) {
			xh_free(s);
			return false;
		}
		vs->v = nv;
		vs->cap = cap;
	}
	vs->v[vs->n++] = (struct xh_val){s, n, literal};
	return true;
}

void xh_vals_free(struct xh_vals *vs)
{
	for (size_t i = 0; i < vs->n; i++)
		xh_free(vs->v[i].s);
	xh_free(vs->v);
	vs->v = NULL;
	vs->n = vs->cap = 0;
}

/* ---- steps: transformations of the string values ---------------------------------------- */

enum { ENC_NONE, ENC_UTF16LE, ENC_UTF16BE, ENC_UTF16 };

typedef bool (*step_fn)(struct xh_vals *in, struct xh_vals *out, int enc, struct xh_reject *e);

/* windash: a '-' or '/' that starts a word (pySigma: \B[-/]\b) may be any dash form. */
static bool step_windash(struct xh_vals *in, struct xh_vals *out, int enc, struct xh_reject *e)
{
	static const char *const forms[] = {"-", "/", "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x80\x95"};

	(void)enc;
	for (size_t i = 0; i < in->n; i++) {
		const char *s = in->v[i].s;
		size_t n = in->v[i].n, pos[XH_MAX_WINDASH_DASHES], np = 0, total = 1;
		for (size_t k = 0; k < n; k++) {
			bool prev_word = k > 0 && (isalnum((unsigned char)s[k - 1]) || s[k - 1] == '_');
			bool next_word = k + 1 < n && (isalnum((unsigned char)s[k + 1]) || s[k + 1] == '_');
			if ((s[k] == '-' || s[k] == '/') && !prev_word && next_word) {
				if (np == XH_MAX_WINDASH_DASHES)
					return xh_reject(e, "%s", "windash value with too many dashes");
				pos[np++] = k;
			}
		}
		for (size_t k = 0; k < np; k++)
			total *= 5;
		if (total > XH_MAX_WINDASH_VARIANTS)
			return xh_reject(e, "%s", "windash expands to more variants than the limit");
		for (size_t c = 0; c < total; c++) {
			char *d = xh_malloc(n * 3 + 1);
			size_t dn = 0, code = c, p = 0;
			if (!d)
				return false;
			for (size_t k = 0; k < n; k++) {
				if (p < np && pos[p] == k) {
					const char *f = forms[code % 5];
					code /= 5;
					p++;
					memcpy(d + dn, f, strlen(f));
					dn += strlen(f);
				} else {
					d[dn++] = s[k];
				}
			}
			d[dn] = '\0';
			if (!xh_vals_add(out, d, dn, in->v[i].literal))
				return false;
		}
	}
	return true;
}

static bool has_wildcard(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n && (s[i + 1] == '*' || s[i + 1] == '?' || s[i + 1] == '\\'))
			i++;
		else if (s[i] == '*' || s[i] == '?')
			return true;
	}
	return false;
}

/* The literal text of a Sigma string without wildcards (escapes undone). */
static char *unescape(const char *s, size_t n, size_t *outn)
{
	char *d = xh_malloc(n + 1);
	size_t k = 0;

	if (!d)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n && (s[i + 1] == '*' || s[i + 1] == '?' || s[i + 1] == '\\'))
			i++;
		d[k++] = s[i];
	}
	d[k] = '\0';
	*outn = k;
	return d;
}

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *base64(const unsigned char *s, size_t n, size_t *outn)
{
	char *d = xh_malloc(n / 3 * 4 + 8);
	size_t k = 0, i = 0;

	if (!d)
		return NULL;
	for (; i + 2 < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16 | (unsigned)s[i + 1] << 8 | s[i + 2];
		d[k++] = b64chars[v >> 18];
		d[k++] = b64chars[(v >> 12) & 63];
		d[k++] = b64chars[(v >> 6) & 63];
		d[k++] = b64chars[v & 63];
	}
	if (i < n) {
		unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0);
		d[k++] = b64chars[v >> 18];
		d[k++] = b64chars[(v >> 12) & 63];
		d[k++] = i + 1 < n ? b64chars[(v >> 6) & 63] : '=';
		d[k++] = '=';
	}
	d[k] = '\0';
	*outn = k;
	return d;
}

/* base64 / base64offset of each (unescaped, wildcard-free) value, after an optional
 * UTF-16 encoding. */
static bool encode(struct xh_vals *in, struct xh_vals *out, int enc, bool offset, struct xh_reject *e)
{
	for (size_t i = 0; i < in->n; i++) {
		size_t ln, bn = 0;
		char *lit = in->v[i].literal ? xh_strndup(in->v[i].s, in->v[i].n) : unescape(in->v[i].s, in->v[i].n, &ln);
		unsigned char *bytes;

		if (!in->v[i].literal && has_wildcard(in->v[i].s, in->v[i].n)) {
			xh_free(lit);
			return xh_reject(e, "%s", "wildcards in a value that is base64-encoded");
		}
		if (!lit)
			return false;
		ln = strlen(lit);
		bytes = xh_malloc(ln * 2 + 3);
		if (!bytes) {
			xh_free(lit);
			return false;
		}
		if (enc == ENC_UTF16)
			bytes[bn++] = 0xFF, bytes[bn++] = 0xFE;
		for (size_t k = 0; k < ln; k++) {
			/* ASCII to UTF-16; non-ASCII bytes kept as single units (rule values are ASCII) */
			if (enc == ENC_NONE) {
				bytes[bn++] = (unsigned char)lit[k];
			} else if (enc == ENC_UTF16BE) {
				bytes[bn++] = 0;
				bytes[bn++] = (unsigned char)lit[k];
			} else {
				bytes[bn++] = (unsigned char)lit[k];
				bytes[bn++] = 0;
			}
		}
		xh_free(lit);
		if (!offset) {
			size_t on;
			char *b = base64(bytes, bn, &on);
			/* without the padding: the encoded text continues in the data */
			while (b && on && b[on - 1] == '=')
				b[--on] = '\0';
			if (!xh_vals_add(out, b, on, true)) {
				xh_free(bytes);
				return false;
			}
		} else {
			/* the three alignments, each cut to the part that does not depend on
			 * the bytes around it (pySigma's base64offset) */
			static const size_t cut_start[3] = {0, 2, 3};
			for (size_t sh = 0; sh < 3; sh++) {
				unsigned char *pre = xh_malloc(bn + 3);
				size_t on, end_cut;
				char *b;
				if (!pre) {
					xh_free(bytes);
					return false;
				}
				memset(pre, ' ', sh);
				memcpy(pre + sh, bytes, bn);
				b = base64(pre, bn + sh, &on);
				xh_free(pre);
				if (!b) {
					xh_free(bytes);
					return false;
				}
				end_cut = ((bn + sh) % 3 == 0) ? 0 : ((bn + sh) % 3 == 1 ? 3 : 2);
				if (on < cut_start[sh] + end_cut + 1) {
					xh_free(b);
					continue;
				}
				memmove(b, b + cut_start[sh], on - cut_start[sh] - end_cut);
				on = on - cut_start[sh] - end_cut;
				b[on] = '\0';
				if (!xh_vals_add(out, b, on, true)) {
					xh_free(bytes);
					return false;
				}
			}
		}
		xh_free(bytes);
	}
	return true;
}

static bool step_base64(struct xh_vals *in, struct xh_vals *out, int enc, struct xh_reject *e)
{
	return encode(in, out, enc, false, e);
}

static bool step_base64offset(struct xh_vals *in, struct xh_vals *out, int enc, struct xh_reject *e)
{
	return encode(in, out, enc, true, e);
}

/* ---- value kinds: a matcher of its own kind per value ---------------------------------- */

typedef bool (*value_fn)(const struct xh_ynode *v, const struct xh_mods *md, struct xh_matcher *m,
                         struct xh_reject *e);

static bool value_exists(const struct xh_ynode *v, const struct xh_mods *md, struct xh_matcher *m,
                         struct xh_reject *e)
{
	(void)md;
	m->kind = XH_M_EXISTS;
	m->want = strcasecmp(v->str, "true") == 0;
	if (!m->want && strcasecmp(v->str, "false") != 0)
		return xh_reject(e, "%s", "exists wants true or false");
	return true;
}

static bool value_num(const struct xh_ynode *v, const struct xh_mods *md, struct xh_matcher *m,
                      struct xh_reject *e)
{
	char *end;

	m->kind = XH_M_NUM;
	m->op = md->op;
	m->num = strtod(v->str, &end);
	if (end == v->str || *end)
		return xh_reject(e, "numeric modifier with '%s'", v->str);
	return true;
}

static bool parse_cidr(const char *s, struct xh_matcher *m)
{
	char ip[XH_MAX_CIDR_TEXT];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long pfx;
	char *end;

	if (n >= sizeof ip)
		return false;
	memcpy(ip, s, n);
	ip[n] = '\0';
	m->v6 = strchr(ip, ':') != NULL;
	if (!xh_ip_parse(ip, n, m->net, &m->v6))
		return false;
	if (!slash) {
		m->prefix = m->v6 ? 128 : 32;
		return true;
	}
	errno = 0;
	pfx = strtoul(slash + 1, &end, 10);
	if (errno || *end || pfx > (m->v6 ? 128ul : 32ul) || slash[1] == '\0')
		return false;
	m->prefix = (unsigned)pfx;
	return true;
}

static bool value_cidr(const struct xh_ynode *v, const struct xh_mods *md, struct xh_matcher *m,
                       struct xh_reject *e)
{
	(void)md;
	m->kind = XH_M_CIDR;
	if (!parse_cidr(v->str, m))
		return xh_reject(e, "not a network: '%s'", v->str);
	return true;
}

/* The other field's name; rules.c resolves it with the rule's own fields. */
static bool value_fieldref(const struct xh_ynode *v, const struct xh_mods *md, struct xh_matcher *m,
                           struct xh_reject *e)
{
	(void)md;
	(void)e;
	m->kind = XH_M_FIELDREF;
	m->ref = xh_strdup(v->str);
	return m->ref != NULL;
}

static bool value_re(const struct xh_ynode *v, const struct xh_mods *md, struct xh_matcher *m,
                     struct xh_reject *e)
{
	int errcode;
	PCRE2_SIZE erroff;
	uint32_t flags = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;

	if (md->set & XH_MF_RE_I)
		flags |= PCRE2_CASELESS;
	if (md->set & XH_MF_RE_M)
		flags |= PCRE2_MULTILINE;
	if (md->set & XH_MF_RE_S)
		flags |= PCRE2_DOTALL;
	m->kind = XH_M_RE;
	m->re = pcre2_compile((PCRE2_SPTR)v->str, v->len, flags, &errcode, &erroff, NULL);
	if (!m->re)
		return xh_reject(e, "regex does not compile: '%s'", v->str);
	pcre2_jit_compile(m->re, PCRE2_JIT_COMPLETE); /* falls back to the interpreter */
	return true;
}

/* ---- the table ---------------------------------------------------------------------------- */

/* Which values a modifier applies to. */
enum applies {
	TO_LIST,     /* the test's value list as a whole */
	TO_STRINGS,  /* string values (globs); without effect when a value kind is written */
	TO_REGEX,    /* |re values: rejected without |re */
	TO_EACH,     /* every value, made a matcher of the modifier's kind */
};

struct xh_modifier {
	const char *name;    /* as written after '|' (case matters) */
	unsigned set;        /* XH_MF_* it sets */
	enum xh_numop op;    /* XH_MF_NUM: the comparison */
	value_fn value;      /* a value kind: what each value becomes */
	step_fn step;        /* a transformation of the string values, in the order written */
	bool encodable;      /* the step takes the encoding of a utf16 modifier before it */
	int encoding;        /* a UTF-16 form for the base64 step that must follow */
	enum applies applies;
};

/* When a key names several value kinds, the first of them in this table wins. */
static const struct xh_modifier modifiers[] = {
	/* how string values match (the most used first: the table is searched in order),
	 * and the value list */
	{"contains", .set = XH_MF_CONTAINS, .applies = TO_STRINGS},
	{"endswith", .set = XH_MF_ENDSWITH, .applies = TO_STRINGS},
	{"startswith", .set = XH_MF_STARTSWITH, .applies = TO_STRINGS},
	{"all", .set = XH_MF_ALL, .applies = TO_LIST},
	{"cased", .set = XH_MF_CASED, .applies = TO_STRINGS},
	/* value kinds */
	{"exists", .set = XH_MF_EXISTS, .value = value_exists, .applies = TO_EACH},
	{"gt", .set = XH_MF_NUM, .op = XH_GT, .value = value_num, .applies = TO_EACH},
	{"gte", .set = XH_MF_NUM, .op = XH_GTE, .value = value_num, .applies = TO_EACH},
	{"lt", .set = XH_MF_NUM, .op = XH_LT, .value = value_num, .applies = TO_EACH},
	{"lte", .set = XH_MF_NUM, .op = XH_LTE, .value = value_num, .applies = TO_EACH},
	{"cidr", .set = XH_MF_CIDR, .value = value_cidr, .applies = TO_EACH},
	{"fieldref", .set = XH_MF_FIELDREF, .value = value_fieldref, .applies = TO_EACH},
	{"re", .set = XH_MF_RE, .value = value_re, .applies = TO_EACH},
	/* regex flags */
	{"i", .set = XH_MF_RE_I, .applies = TO_REGEX},
	{"ignorecase", .set = XH_MF_RE_I, .applies = TO_REGEX},
	{"m", .set = XH_MF_RE_M, .applies = TO_REGEX},
	{"multiline", .set = XH_MF_RE_M, .applies = TO_REGEX},
	{"s", .set = XH_MF_RE_S, .applies = TO_REGEX},
	{"dotall", .set = XH_MF_RE_S, .applies = TO_REGEX},
	/* transformations of string values, in the order written */
	{"windash", .step = step_windash, .applies = TO_STRINGS},
	{"base64", .step = step_base64, .encodable = true, .applies = TO_STRINGS},
	{"base64offset", .step = step_base64offset, .encodable = true, .applies = TO_STRINGS},
	{"wide", .encoding = ENC_UTF16LE, .applies = TO_STRINGS},
	{"utf16le", .encoding = ENC_UTF16LE, .applies = TO_STRINGS},
	{"utf16be", .encoding = ENC_UTF16BE, .applies = TO_STRINGS},
	{"utf16", .encoding = ENC_UTF16, .applies = TO_STRINGS},
};

bool xh_mods_parse(char *key, char **field, struct xh_mods *md, struct xh_reject *e)
{
	char *bar = strchr(key, '|'), *p;
	bool regex_flags = false;

	memset(md, 0, sizeof *md);
	*field = key;
	if (!bar)
		return true;
	*bar = '\0';
	p = bar + 1;
	while (p && *p) {
		char *next = strchr(p, '|');
		const struct xh_modifier *row = NULL;
		if (next)
			*next++ = '\0';
		for (size_t i = 0; i < XH_ARRAY_LEN(modifiers) && !row; i++)
			if (strcmp(p, modifiers[i].name) == 0)
				row = &modifiers[i];
		if (!row)
			return xh_reject(e, "modifier '%s' is not supported", p);
		md->set |= row->set;
		if (row->set & XH_MF_NUM)
			md->op = row->op;
		if (row->value && (!md->kind || row < md->kind))
			md->kind = row;
		if (row->step || row->encoding) {
			if (md->nsteps == XH_ARRAY_LEN(md->steps))
				return xh_reject(e, "%s", "too many modifiers");
			md->steps[md->nsteps++] = row;
		}
		regex_flags = regex_flags || row->applies == TO_REGEX;
		p = next;
	}
	if (!!(md->set & XH_MF_CONTAINS) + !!(md->set & XH_MF_STARTSWITH) + !!(md->set & XH_MF_ENDSWITH) > 1)
		return xh_reject(e, "%s", "contains, startswith and endswith together");
	if (regex_flags && !(md->set & XH_MF_RE))
		return xh_reject(e, "%s", "regex flags without |re");
	return true;
}

bool xh_mods_apply(const struct xh_mods *md, struct xh_vals *vs, size_t nitems, struct xh_reject *e)
{
	for (size_t k = 0; k < md->nsteps; k++) {
		const struct xh_modifier *s = md->steps[k];
		struct xh_vals nv = {NULL, 0, 0};
		int enc = ENC_NONE;
		bool ok;
		if (s->encoding) {
			/* an encoding applies to the base64 step that must follow */
			enc = s->encoding;
			if (k + 1 >= md->nsteps || !md->steps[k + 1]->encodable)
				return xh_reject(e, "%s", "utf16/wide without a following base64 modifier");
			s = md->steps[++k];
		}
		ok = s->step(vs, &nv, enc, e);
		xh_vals_free(vs);
		*vs = nv;
		if (!ok)
			return false;
		if (vs->n > nitems * XH_MAX_VALUE_VARIANTS)
			return xh_reject(e, "%s", "a value expands to more variants than the limit");
	}
	return true;
}

bool xh_mods_value(const struct xh_mods *md, const struct xh_ynode *v, struct xh_matcher *m, struct xh_reject *e)
{
	return md->kind->value(v, md, m, e);
}
