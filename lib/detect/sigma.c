/*
 * The Sigma rule compiler: YAML rule documents -> xh_rule (sigma.h). Semantics per the
 * Sigma specification v2 as summarised in shared/reference/sigma.md section 1:
 *
 *   detection:
 *     selection:
 *       cs-method: POST
 *       cs-uri-query|contains|all: ['/owa/', '/powershell']
 *     filter:
 *       c-ip|cidr: 10.0.0.0/8
 *     condition: selection and not filter
 *
 * Maps AND, lists OR, case-insensitive globs with Sigma's escaping, modifiers compiled
 * to matchers once. Anything this engine does not implement makes the rule rejected
 * with the reason, never silently half-loaded.
 */
#define _GNU_SOURCE
#include "common/ip.h"
#include "model/source.h"
#include "detect/prefilter.h"
#include "detect/sigma.h"
#include "detect/yaml_tree.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

struct xh_rules {
	struct xh_rule **r;
	size_t n, cap;
	uint64_t docs, rejected, files, unreadable;
	struct xh_prefilter *pf;  /* built by xh_rules_prepare; NULL until then or after a load */
	bool no_prefilter;        /* diagnostic: evaluate every rule on every record */
};

void xh_rules_set_prefilter(struct xh_rules *rs, bool on)
{
	rs->no_prefilter = !on;
}

bool xh_rules_prefilter_on(const struct xh_rules *rs)
{
	return !rs->no_prefilter;
}

size_t xh_rules_literal(const struct xh_rules *rs, size_t i, const char **p)
{
	const unsigned char *u = NULL;
	size_t n = xh_prefilter_literal(rs->pf, i, &u);
	*p = (const char *)u;
	return n;
}

bool xh_rules_info(const struct xh_rules *rs, size_t i, struct xh_rule_info *out)
{
	const struct xh_rule *r;

	if (i >= rs->n)
		return false;
	r = rs->r[i];
	out->path = r->path;
	out->id = r->id;
	out->name = r->name;
	out->title = r->title;
	out->description = r->description;
	out->nreferences = r->nrefs;
	out->logsource = r->logsource;
	out->level = r->level;
	out->prefiltered = xh_prefilter_has(rs->pf, i);
	out->tags = (const char *const *)r->tags;
	out->ntags = r->ntags;
	return true;
}

/* ---- small helpers ------------------------------------------------------------------- */

struct cerr {
	char msg[200];
};

static bool reject(struct cerr *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Records why the rule cannot be used; always returns false. */
static bool reject(struct cerr *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return false;
}

static char *dup_scalar(const struct xh_ynode *n)
{
	return n && n->kind == XH_Y_SCALAR ? xh_strndup(n->str, n->len) : NULL;
}

static bool str_list(const struct xh_ynode *n, char ***out, size_t *count)
{
	*out = NULL;
	*count = 0;
	if (!n)
		return true;
	if (n->kind == XH_Y_SCALAR) {
		*out = xh_calloc(1, sizeof **out);
		if (!*out || !((*out)[0] = dup_scalar(n)))
			return false;
		*count = 1;
		return true;
	}
	if (n->kind != XH_Y_SEQ)
		return true;
	*out = xh_calloc(n->n ? n->n : 1, sizeof **out);
	if (!*out)
		return false;
	for (size_t i = 0; i < n->n; i++) {
		if (n->items[i]->kind != XH_Y_SCALAR)
			continue;
		(*out)[*count] = dup_scalar(n->items[i]);
		if (!(*out)[*count])
			return false;
		(*count)++;
	}
	return true;
}

/* ---- logsource ------------------------------------------------------------------------ */

static unsigned bit_of(const char *name)
{
	const struct xh_source *s = xh_source_find(name);
	return s ? xh_source_bit(s) : 0;
}

/* Sets r's sources for the logsource; for Windows logsources also the event selection
 * of variant `variant` (a category can name several), with their count in *nvariants. */
static bool logsource(const struct xh_ynode *ls, struct xh_rule *r, size_t variant, size_t *nvariants,
                      struct cerr *e)
{
	const struct xh_ynode *cat = xh_ymap_get(ls, "category"), *prod = xh_ymap_get(ls, "product"),
	                      *svc = xh_ymap_get(ls, "service");
	const char *c = cat && cat->kind == XH_Y_SCALAR ? cat->str : "";
	const char *p = prod && prod->kind == XH_Y_SCALAR ? prod->str : "";
	const char *s = svc && svc->kind == XH_Y_SCALAR ? svc->str : "";
	static const char *const exchange[] = {"httpproxy", "ecp_server", "ecp_activity", "rps_http",
	                                       "rps_cmdlet", "ews", "owa", "msgtrk", "exchange_csv",
	                                       "oabgen", NULL};

	char what[160];

	snprintf(what, sizeof what, "%s%s%s%s%s", c, c[0] && (p[0] || s[0]) ? "/" : "", p, p[0] && s[0] ? "/" : "", s);
	*nvariants = 1;
	if ((strcasecmp(p, "windows") == 0 && strcasecmp(s, "iis") != 0) || (!p[0] && strcasecmp(c, "antivirus") == 0)) {
		const struct xh_winsel *ws[XH_MAX_WINSEL_VARIANTS];
		size_t n = xh_winsel_find(c, s, ws, XH_ARRAY_LEN(ws));
		char lab[200];
		if (n == 0)
			return reject(e, "logsource %s: no Windows event log carries it (ETW or unknown): no reader for it in this build (docs/logsources.md)", what);
		*nvariants = n;
		r->win = ws[variant < n ? variant : 0];
		r->sources = bit_of("evtx");
		snprintf(lab, sizeof lab, "%s [%s]", what, r->win->label);
		r->logsource = xh_strdup(lab);
		return r->logsource != NULL || reject(e, "%s", "out of memory");
	}
	r->logsource = xh_strdup(what[0] ? what : "(none)");
	if (strcasecmp(c, "webserver") == 0 || strcasecmp(p, "iis") == 0 ||
	    (strcasecmp(p, "windows") == 0 && strcasecmp(s, "iis") == 0)) {
		r->sources = bit_of("iis");
		r->webserver = true;
		return true;
	}
	if (strcasecmp(p, "exchange") == 0 && !c[0]) {
		if (!s[0]) {
			for (size_t i = 0; exchange[i]; i++)
				r->sources |= bit_of(exchange[i]);
			return true;
		}
		if (strcasecmp(s, "ecp") == 0) {
			r->sources = bit_of("ecp_server") | bit_of("ecp_activity");
			return true;
		}
		for (size_t i = 0; exchange[i]; i++)
			if (strcasecmp(s, exchange[i]) == 0) {
				r->sources = bit_of(exchange[i]);
				return true;
			}
		return reject(e, "logsource product exchange, service %s: no such Exchange log (docs/logsources.md)", s);
	}
	return reject(e, "logsource %s: no reader for it in this build", what[0] ? what : "(none)");
}

/* ---- values -> matchers --------------------------------------------------------------- */

struct pat {
	unsigned char *b, *m; /* bytes and mask (0 literal, 1 '*', 2 '?') */
	size_t n, cap;
};

static bool pat_put(struct pat *p, unsigned char c, unsigned char mask)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		unsigned char *nb = xh_realloc(p->b, cap), *nm;
		if (!nb)
			return false;
		p->b = nb;
		nm = xh_realloc(p->m, cap);
		if (!nm)
			return false;
		p->m = nm;
		p->cap = cap;
	}
	/* "**" is one '*' */
	if (mask == 1 && p->n && p->m[p->n - 1] == 1)
		return true;
	p->b[p->n] = c;
	p->m[p->n] = mask;
	p->n++;
	return true;
}

/* A Sigma string: '*' and '?' are wildcards; '\' escapes only '*', '?' and '\'. */
static bool pat_sigma(struct pat *p, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\\' && i + 1 < n && (s[i + 1] == '*' || s[i + 1] == '?' || s[i + 1] == '\\')) {
			if (!pat_put(p, (unsigned char)s[++i], 0))
				return false;
		} else if (c == '*' || c == '?') {
			if (!pat_put(p, c, c == '*' ? 1 : 2))
				return false;
		} else if (!pat_put(p, c, 0)) {
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

static void finish_glob(struct xh_matcher *m)
{
	size_t n = m->n, lead = 0, trail = 0;
	bool inner_wild = false;

	if (!m->cased)
		for (size_t i = 0; i < n; i++)
			if (m->mask[i] == 0 && m->pat[i] >= 'A' && m->pat[i] <= 'Z')
				m->pat[i] = (unsigned char)(m->pat[i] - 'A' + 'a');
	while (lead < n && m->mask[lead] == 1)
		lead++;
	while (trail < n - lead && m->mask[n - 1 - trail] == 1)
		trail++;
	for (size_t i = lead; i < n - trail; i++)
		if (m->mask[i])
			inner_wild = true;
	m->shape = XH_G_GENERIC;
	if (inner_wild)
		return;
	m->lit = m->pat + lead;
	m->litn = n - lead - trail;
	if (m->litn == 0 && (lead || trail))
		m->shape = XH_G_ANY;
	else if (!lead && !trail)
		m->shape = XH_G_EXACT;
	else if (!lead)
		m->shape = XH_G_PREFIX;
	else if (!trail)
		m->shape = XH_G_SUFFIX;
	else
		m->shape = XH_G_CONTAINS;
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

/* One value during compilation: a Sigma string (wildcards live) or literal bytes. */
struct val {
	char *s;
	size_t n;
	bool literal;
};

struct vals {
	struct val *v;
	size_t n, cap;
};

static bool vals_add(struct vals *vs, char *s, size_t n, bool literal)
{
	if (!s)
		return false;
	if (vs->n == vs->cap) {
		size_t cap = vs->cap ? vs->cap * 2 : 8;
		struct val *nv = xh_realloc(vs->v, cap * sizeof *nv);
		if (!nv) {
			xh_free(s);
			return false;
		}
		vs->v = nv;
		vs->cap = cap;
	}
	vs->v[vs->n++] = (struct val){s, n, literal};
	return true;
}

static void vals_free(struct vals *vs)
{
	for (size_t i = 0; i < vs->n; i++)
		xh_free(vs->v[i].s);
	xh_free(vs->v);
	vs->v = NULL;
	vs->n = vs->cap = 0;
}

/* windash: a '-' or '/' that starts a word (pySigma: \B[-/]\b) may be any dash form. */
static bool windash(struct vals *in, struct vals *out, struct cerr *e)
{
	static const char *const forms[] = {"-", "/", "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x80\x95"};

	for (size_t i = 0; i < in->n; i++) {
		const char *s = in->v[i].s;
		size_t n = in->v[i].n, pos[8], np = 0, total = 1;
		for (size_t k = 0; k < n; k++) {
			bool prev_word = k > 0 && (isalnum((unsigned char)s[k - 1]) || s[k - 1] == '_');
			bool next_word = k + 1 < n && (isalnum((unsigned char)s[k + 1]) || s[k + 1] == '_');
			if ((s[k] == '-' || s[k] == '/') && !prev_word && next_word) {
				if (np == 8)
					return reject(e, "%s", "windash value with too many dashes");
				pos[np++] = k;
			}
		}
		for (size_t k = 0; k < np; k++)
			total *= 5;
		if (total > XH_MAX_WINDASH_VARIANTS)
			return reject(e, "%s", "windash expands to more variants than the limit");
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
			if (!vals_add(out, d, dn, in->v[i].literal))
				return false;
		}
	}
	return true;
}

enum { ENC_NONE, ENC_UTF16LE, ENC_UTF16BE, ENC_UTF16 };

/* base64 / base64offset of each (unescaped, wildcard-free) value, after an optional
 * UTF-16 encoding. */
static bool encode(struct vals *in, struct vals *out, int enc, bool offset, struct cerr *e)
{
	for (size_t i = 0; i < in->n; i++) {
		size_t ln, bn = 0;
		char *lit = in->v[i].literal ? xh_strndup(in->v[i].s, in->v[i].n) : unescape(in->v[i].s, in->v[i].n, &ln);
		unsigned char *bytes;

		if (!in->v[i].literal && has_wildcard(in->v[i].s, in->v[i].n)) {
			xh_free(lit);
			return reject(e, "%s", "wildcards in a value that is base64-encoded");
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
			if (!vals_add(out, b, on, true)) {
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
				if (!vals_add(out, b, on, true)) {
					xh_free(bytes);
					return false;
				}
			}
		}
		xh_free(bytes);
	}
	return true;
}

static bool parse_cidr(const char *s, struct xh_matcher *m)
{
	char ip[64];
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

struct mods {
	bool contains, startswith, endswith, all, re, re_i, re_m, re_s, cased, exists, windash, cidr,
	     b64, b64off, fieldref, num;
	int enc;
	enum xh_numop op;
	/* order of the transformations as written */
	char order[16];
	size_t norder;
};

static bool parse_mods(char *key, char **field, struct mods *md, struct cerr *e)
{
	char *bar = strchr(key, '|'), *p;

	memset(md, 0, sizeof *md);
	*field = key;
	if (!bar)
		return true;
	*bar = '\0';
	p = bar + 1;
	while (p && *p) {
		char *next = strchr(p, '|');
		if (next)
			*next++ = '\0';
		if (!strcmp(p, "contains")) md->contains = true;
		else if (!strcmp(p, "startswith")) md->startswith = true;
		else if (!strcmp(p, "endswith")) md->endswith = true;
		else if (!strcmp(p, "all")) md->all = true;
		else if (!strcmp(p, "re")) md->re = true;
		else if (!strcmp(p, "i") || !strcmp(p, "ignorecase")) md->re_i = true;
		else if (!strcmp(p, "m") || !strcmp(p, "multiline")) md->re_m = true;
		else if (!strcmp(p, "s") || !strcmp(p, "dotall")) md->re_s = true;
		else if (!strcmp(p, "cased")) md->cased = true;
		else if (!strcmp(p, "exists")) md->exists = true;
		else if (!strcmp(p, "cidr")) md->cidr = true;
		else if (!strcmp(p, "fieldref")) md->fieldref = true;
		else if (!strcmp(p, "gt")) md->num = true, md->op = XH_GT;
		else if (!strcmp(p, "gte")) md->num = true, md->op = XH_GTE;
		else if (!strcmp(p, "lt")) md->num = true, md->op = XH_LT;
		else if (!strcmp(p, "lte")) md->num = true, md->op = XH_LTE;
		else if (!strcmp(p, "windash") || !strcmp(p, "base64") || !strcmp(p, "base64offset") ||
		         !strcmp(p, "wide") || !strcmp(p, "utf16le") || !strcmp(p, "utf16be") || !strcmp(p, "utf16")) {
			char t = !strcmp(p, "windash") ? 'w' : !strcmp(p, "base64") ? 'b' : !strcmp(p, "base64offset") ? 'o'
			       : !strcmp(p, "utf16be") ? 'B' : !strcmp(p, "utf16") ? 'U' : 'L';
			if (md->norder == sizeof md->order)
				return reject(e, "%s", "too many modifiers");
			md->order[md->norder++] = t;
		} else {
			return reject(e, "modifier '%s' is not supported", p);
		}
		p = next;
	}
	if ((md->contains + md->startswith + md->endswith) > 1)
		return reject(e, "%s", "contains, startswith and endswith together");
	if ((md->re_i || md->re_m || md->re_s) && !md->re)
		return reject(e, "%s", "regex flags without |re");
	return true;
}

static void matcher_free(struct xh_matcher *m)
{
	xh_free(m->pat);
	xh_free(m->mask);
	xh_free(m->ref);
	if (m->re)
		pcre2_code_free(m->re);
}

static bool compile_glob(const struct val *v, const struct mods *md, struct xh_matcher *m)
{
	struct pat p = {NULL, NULL, 0, 0};
	bool ok = true;

	m->kind = XH_M_GLOB;
	m->cased = md->cased;
	if (md->contains || md->endswith)
		ok = pat_put(&p, '*', 1);
	if (ok) {
		if (v->literal)
			for (size_t i = 0; ok && i < v->n; i++)
				ok = pat_put(&p, (unsigned char)v->s[i], 0);
		else
			ok = pat_sigma(&p, v->s, v->n);
	}
	if (ok && (md->contains || md->startswith))
		ok = pat_put(&p, '*', 1);
	/* an empty pattern has no buffer: give it one byte so that views stay valid */
	if (ok && p.n == 0 && !p.b) {
		p.b = xh_malloc(1);
		p.m = xh_malloc(1);
		ok = p.b && p.m;
	}
	m->pat = p.b;
	m->mask = p.m;
	m->n = p.n;
	if (ok)
		finish_glob(m);
	return ok;
}

/* One "field|mods: value(s)" entry -> test. */
static bool compile_test(const char *key_in, const struct xh_ynode *val, struct xh_ftest *t, struct cerr *e)
{
	char *key = xh_strdup(key_in), *field;
	struct mods md;
	struct vals vs = {NULL, 0, 0};
	bool ok = false;
	const struct xh_ynode *const *items = NULL;
	size_t nitems = 0;

	memset(t, 0, sizeof *t);
	if (!key)
		return reject(e, "%s", "out of memory");
	if (!parse_mods(key, &field, &md, e))
		goto out;
	t->field = field[0] ? xh_strdup(field) : NULL;
	t->all = md.all;
	if (val->kind == XH_Y_SEQ) {
		items = (const struct xh_ynode *const *)val->items;
		nitems = val->n;
	} else if (val->kind == XH_Y_SCALAR) {
		items = &val;
		nitems = 1;
	} else {
		reject(e, "%s", "a field value that is a mapping");
		goto out;
	}
	if (nitems == 0) {
		reject(e, "%s", "an empty value list");
		goto out;
	}
	t->m = xh_calloc(nitems * (md.norder ? XH_MAX_WINDASH_VARIANTS * 3 : 1), sizeof *t->m);
	if (!t->m)
		goto out;
	/* special single-value forms */
	if (md.exists || md.num || md.cidr || md.fieldref || md.re) {
		for (size_t i = 0; i < nitems; i++) {
			const struct xh_ynode *v = items[i];
			struct xh_matcher *m = &t->m[t->nm];
			if (v->kind != XH_Y_SCALAR) {
				reject(e, "%s", "a nested list as a value");
				goto out;
			}
			if (md.exists) {
				m->kind = XH_M_EXISTS;
				m->want = strcasecmp(v->str, "true") == 0;
				if (!m->want && strcasecmp(v->str, "false") != 0) {
					reject(e, "%s", "exists wants true or false");
					goto out;
				}
			} else if (md.num) {
				char *end;
				m->kind = XH_M_NUM;
				m->op = md.op;
				m->num = strtod(v->str, &end);
				if (end == v->str || *end) {
					reject(e, "numeric modifier with '%s'", v->str);
					goto out;
				}
			} else if (md.cidr) {
				m->kind = XH_M_CIDR;
				if (!parse_cidr(v->str, m)) {
					reject(e, "not a network: '%s'", v->str);
					goto out;
				}
			} else if (md.fieldref) {
				m->kind = XH_M_FIELDREF;
				m->ref = xh_strdup(v->str);
			} else {
				int errcode;
				PCRE2_SIZE erroff;
				uint32_t flags = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
				if (md.re_i)
					flags |= PCRE2_CASELESS;
				if (md.re_m)
					flags |= PCRE2_MULTILINE;
				if (md.re_s)
					flags |= PCRE2_DOTALL;
				m->kind = XH_M_RE;
				m->re = pcre2_compile((PCRE2_SPTR)v->str, v->len, flags, &errcode, &erroff, NULL);
				if (!m->re) {
					reject(e, "regex does not compile: '%s'", v->str);
					goto out;
				}
				pcre2_jit_compile(m->re, PCRE2_JIT_COMPLETE); /* falls back to the interpreter */
			}
			t->nm++;
		}
		ok = true;
		goto out;
	}
	for (size_t i = 0; i < nitems; i++) {
		const struct xh_ynode *v = items[i];
		if (v->kind != XH_Y_SCALAR) {
			reject(e, "%s", "a nested list as a value");
			goto out;
		}
		if (xh_yis_null(v)) {
			if (nitems != 1 || md.norder || md.contains || md.startswith || md.endswith) {
				reject(e, "%s", "null inside a value list or with modifiers");
				goto out;
			}
			t->m[t->nm++].kind = XH_M_NULL;
			ok = true;
			goto out;
		}
		if (!vals_add(&vs, xh_strndup(v->str, v->len), v->len, false))
			goto out;
	}
	for (size_t k = 0; k < md.norder; k++) {
		struct vals nv = {NULL, 0, 0};
		bool r;
		int enc = ENC_NONE;
		char op = md.order[k];
		if (op == 'L' || op == 'B' || op == 'U') {
			/* an encoding applies to the base64 step that must follow */
			enc = op == 'L' ? ENC_UTF16LE : op == 'B' ? ENC_UTF16BE : ENC_UTF16;
			if (k + 1 >= md.norder || (md.order[k + 1] != 'b' && md.order[k + 1] != 'o')) {
				reject(e, "%s", "utf16/wide without a following base64 modifier");
				goto out;
			}
			op = md.order[++k];
		}
		if (op == 'w')
			r = windash(&vs, &nv, e);
		else
			r = encode(&vs, &nv, enc, op == 'o', e);
		vals_free(&vs);
		vs = nv;
		if (!r)
			goto out;
		if (vs.n > nitems * XH_MAX_WINDASH_VARIANTS * 3) {
			reject(e, "%s", "a value expands to more variants than the limit");
			goto out;
		}
	}
	for (size_t i = 0; i < vs.n; i++) {
		if (!compile_glob(&vs.v[i], &md, &t->m[t->nm])) {
			reject(e, "%s", "out of memory");
			goto out;
		}
		t->nm++;
	}
	ok = true;
out:
	vals_free(&vs);
	xh_free(key);
	return ok;
}

static void test_free(struct xh_ftest *t)
{
	for (size_t i = 0; i < t->nm; i++)
		matcher_free(&t->m[i]);
	xh_free(t->m);
	xh_free(t->field);
	xh_free(t->ref.own);
}

/* A map of tests (AND). */
static bool compile_map(const struct xh_ynode *map, struct xh_smap *out, struct cerr *e)
{
	out->n = 0;
	out->t = xh_calloc(map->n / 2 + 1, sizeof *out->t);
	if (!out->t)
		return reject(e, "%s", "out of memory");
	for (size_t i = 0; i + 1 < map->n; i += 2) {
		const struct xh_ynode *k = map->items[i];
		if (k->kind != XH_Y_SCALAR)
			return reject(e, "%s", "a non-text key in a selection");
		if (!compile_test(k->str, map->items[i + 1], &out->t[out->n], e)) {
			test_free(&out->t[out->n]);
			return false;
		}
		out->n++;
	}
	return true;
}

static bool compile_ident(const char *name, const struct xh_ynode *v, struct xh_ident *id, struct cerr *e)
{
	id->name = xh_strdup(name);
	if (!id->name)
		return reject(e, "%s", "out of memory");
	if (v->kind == XH_Y_MAP) {
		/* keyless |all over keywords: {'|all': [a, b]} */
		if (v->n == 2 && v->items[0]->kind == XH_Y_SCALAR && strcmp(v->items[0]->str, "|all") == 0) {
			id->keywords = true;
			return compile_test("|contains|all", v->items[1], &id->kw, e);
		}
		id->nmaps = 1;
		id->maps = xh_calloc(1, sizeof *id->maps);
		return id->maps ? compile_map(v, &id->maps[0], e) : reject(e, "%s", "out of memory");
	}
	if (v->kind == XH_Y_SEQ) {
		bool maps = v->n && v->items[0]->kind == XH_Y_MAP;
		for (size_t i = 0; i < v->n; i++)
			if ((v->items[i]->kind == XH_Y_MAP) != maps)
				return reject(e, "%s", "a list mixing maps and keywords");
		if (!maps) {
			id->keywords = true;
			return compile_test("|contains", v, &id->kw, e);
		}
		id->maps = xh_calloc(v->n, sizeof *id->maps);
		if (!id->maps)
			return reject(e, "%s", "out of memory");
		for (size_t i = 0; i < v->n; i++) {
			if (!compile_map(v->items[i], &id->maps[i], e)) {
				id->nmaps = i + 1;
				return false;
			}
			id->nmaps = i + 1;
		}
		return true;
	}
	/* a single keyword */
	id->keywords = true;
	return compile_test("|contains", v, &id->kw, e);
}

static void ident_free(struct xh_ident *id)
{
	for (size_t i = 0; i < id->nmaps; i++) {
		for (size_t k = 0; k < id->maps[i].n; k++)
			test_free(&id->maps[i].t[k]);
		xh_free(id->maps[i].t);
	}
	xh_free(id->maps);
	if (id->keywords)
		test_free(&id->kw);
	xh_free(id->name);
}

/* ---- condition ------------------------------------------------------------------------ */

struct cparse {
	const char *p;
	const struct xh_rule *r;
	struct cerr *e;
	unsigned depth;
	char tok[128];
};

static void cnode_free(struct xh_cnode *c)
{
	if (!c)
		return;
	cnode_free(c->a);
	cnode_free(c->b);
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

static struct xh_cnode *parse_or(struct cparse *cp);

static struct xh_cnode *parse_unary(struct cparse *cp)
{
	const char *after, *t = peek(cp, &after);
	struct xh_cnode *c;

	if (++cp->depth > XH_MAX_COND_DEPTH) {
		reject(cp->e, "%s", "condition nested deeper than the limit");
		return NULL;
	}
	if (!t[0]) {
		reject(cp->e, "%s", "condition ends where an identifier is expected");
		return NULL;
	}
	if (strcmp(t, "not") == 0) {
		cp->p = after;
		c = cnew(XH_C_NOT);
		if (!c)
			return NULL;
		c->a = parse_unary(cp);
		if (!c->a) {
			cnode_free(c);
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
			cnode_free(c);
			reject(cp->e, "%s", "missing ')' in condition");
			return NULL;
		}
		cp->p = after;
		cp->depth--;
		return c;
	}
	{
		/* "1 of sel*", "all of them", "3 of x*" or an identifier */
		char first[128];
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
					if (*end || v == 0 || v > 1000) {
						reject(cp->e, "bad count '%s' in condition", first);
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
			c->ids = xh_calloc(cp->r->nids ? cp->r->nids : 1, sizeof *c->ids);
			if (!c->ids) {
				cnode_free(c);
				return NULL;
			}
			for (size_t i = 0; i < cp->r->nids; i++) {
				const char *nm = cp->r->ids[i].name;
				if (them ? nm[0] != '_' : glob_name(pat, nm))
					c->ids[c->nids++] = i;
			}
			if (c->nids == 0) {
				reject(cp->e, "'%s' in condition matches no identifier", pat);
				cnode_free(c);
				return NULL;
			}
			cp->p = after;
			cp->depth--;
			return c;
		}
		for (size_t i = 0; i < cp->r->nids; i++) {
			if (strcmp(cp->r->ids[i].name, first) == 0) {
				c = cnew(XH_C_ID);
				if (!c)
					return NULL;
				c->ids = xh_malloc(sizeof *c->ids);
				if (!c->ids) {
					cnode_free(c);
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
			reject(cp->e, "%s", "pipe aggregations in the condition (Sigma v1) are not supported");
		else
			reject(cp->e, "condition names unknown identifier '%s'", first);
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
		struct xh_cnode *c = cnew(op), *r;
		cp->p = after;
		r = level ? parse_unary(cp) : parse_binary(cp, 1);
		if (!c || !r) {
			cnode_free(c);
			cnode_free(r);
			cnode_free(l);
			return NULL;
		}
		c->a = l;
		c->b = r;
		l = c;
	}
	return l;
}

static struct xh_cnode *parse_or(struct cparse *cp)
{
	return parse_binary(cp, 0);
}

static struct xh_cnode *parse_condition(const char *text, const struct xh_rule *r, struct cerr *e)
{
	struct cparse cp = {text, r, e, 0, ""};
	struct xh_cnode *c = parse_or(&cp);
	const char *after;

	if (c && peek(&cp, &after)[0]) {
		reject(e, "unexpected '%s' in condition", cp.tok);
		cnode_free(c);
		return NULL;
	}
	return c;
}

/* ---- rules ------------------------------------------------------------------------------ */

void xh_rule_free(struct xh_rule *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nids; i++)
		ident_free(&r->ids[i]);
	xh_free(r->ids);
	cnode_free(r->cond);
	for (size_t i = 0; i < r->ntags; i++)
		xh_free(r->tags[i]);
	xh_free(r->tags);
	for (size_t i = 0; i < r->nrefs; i++)
		xh_free(r->refs[i]);
	xh_free(r->refs);
	for (size_t i = 0; i < r->nfields; i++)
		xh_free(r->fields[i]);
	xh_free(r->fields);
	xh_free(r->path);
	xh_free(r->id);
	xh_free(r->name);
	xh_free(r->logsource);
	xh_free(r->title);
	xh_free(r->description);
	xh_free(r);
}

/* Fields a rule tests, for the finding's "fields" (first of each name). */
static void collect_fields(struct xh_rule *r)
{
	size_t cap = 0;

	for (size_t i = 0; i < r->nids; i++)
		for (size_t m = 0; m < r->ids[i].nmaps; m++)
			cap += r->ids[i].maps[m].n;
	r->fields = xh_calloc(cap ? cap : 1, sizeof *r->fields);
	if (!r->fields)
		return;
	for (size_t i = 0; i < r->nids; i++)
		for (size_t m = 0; m < r->ids[i].nmaps; m++)
			for (size_t t = 0; t < r->ids[i].maps[m].n; t++) {
				const char *f = r->ids[i].maps[m].t[t].field;
				bool seen = !f;
				for (size_t k = 0; !seen && k < r->nfields; k++)
					seen = strcasecmp(r->fields[k], f) == 0;
				if (!seen && r->nfields < 8 && (r->fields[r->nfields] = xh_strdup(f)))
					r->nfields++;
			}
}

static struct xh_rule *compile_rule(const struct xh_ynode *doc, const char *path, size_t variant,
                                    size_t *nvariants, struct cerr *e)
{
	struct xh_rule *r = xh_calloc(1, sizeof *r);
	const struct xh_ynode *det, *cond, *lvl;
	size_t nconds = 0;

	if (!r) {
		reject(e, "%s", "out of memory");
		return NULL;
	}
	r->path = xh_strdup(path);
	r->title = dup_scalar(xh_ymap_get(doc, "title"));
	r->id = dup_scalar(xh_ymap_get(doc, "id"));
	r->name = dup_scalar(xh_ymap_get(doc, "name"));
	r->description = dup_scalar(xh_ymap_get(doc, "description"));
	if (doc->kind != XH_Y_MAP) {
		reject(e, "%s", "the document is not a mapping");
		goto fail;
	}
	if (xh_ymap_get(doc, "correlation")) {
		reject(e, "%s", "correlation rules are not supported yet");
		goto fail;
	}
	if (xh_ymap_get(doc, "filter") && !xh_ymap_get(doc, "detection")) {
		reject(e, "%s", "meta filters are not supported yet");
		goto fail;
	}
	lvl = xh_ymap_get(doc, "level");
	r->level = XH_LEVEL_INFORMATIONAL;
	if (lvl && (lvl->kind != XH_Y_SCALAR || !xh_level_parse(lvl->str, &r->level))) {
		reject(e, "level '%s' is not a Sigma level", lvl->kind == XH_Y_SCALAR ? lvl->str : "?");
		goto fail;
	}
	if (!str_list(xh_ymap_get(doc, "tags"), &r->tags, &r->ntags) ||
	    !str_list(xh_ymap_get(doc, "references"), &r->refs, &r->nrefs)) {
		reject(e, "%s", "out of memory");
		goto fail;
	}
	det = xh_ymap_get(doc, "detection");
	if (!det || det->kind != XH_Y_MAP) {
		reject(e, "%s", "no detection section");
		goto fail;
	}
	cond = xh_ymap_get(det, "condition");
	if (!cond || (cond->kind == XH_Y_SEQ && cond->n == 0)) {
		reject(e, "%s", "no condition");
		goto fail;
	}
	r->ids = xh_calloc(det->n / 2 + 1, sizeof *r->ids);
	if (!r->ids)
		goto fail;
	for (size_t i = 0; i + 1 < det->n; i += 2) {
		const struct xh_ynode *k = det->items[i];
		if (k->kind != XH_Y_SCALAR || strcmp(k->str, "condition") == 0)
			continue;
		if (strcmp(k->str, "timeframe") == 0) {
			reject(e, "%s", "timeframe (Sigma v1 aggregation) is not supported");
			goto fail;
		}
		if (!compile_ident(k->str, det->items[i + 1], &r->ids[r->nids], e)) {
			r->nids++;
			goto fail;
		}
		r->nids++;
	}
	/* a list of conditions is their OR */
	for (size_t i = 0; i < (cond->kind == XH_Y_SEQ ? cond->n : 1); i++) {
		const struct xh_ynode *c = cond->kind == XH_Y_SEQ ? cond->items[i] : cond;
		struct xh_cnode *cn;
		if (c->kind != XH_Y_SCALAR) {
			reject(e, "%s", "a condition that is not text");
			goto fail;
		}
		cn = parse_condition(c->str, r, e);
		if (!cn)
			goto fail;
		if (nconds++ == 0) {
			r->cond = cn;
		} else {
			struct xh_cnode *o = cnew(XH_C_OR);
			if (!o) {
				cnode_free(cn);
				goto fail;
			}
			o->a = r->cond;
			o->b = cn;
			r->cond = o;
		}
	}
	if (!logsource(xh_ymap_get(doc, "logsource"), r, variant, nvariants, e))
		goto fail;
	/* field names resolve once the logsource says how (webserver names, cs-uri-query) */
	for (size_t i = 0; i < r->nids; i++)
		for (size_t m = 0; m < r->ids[i].nmaps; m++)
			for (size_t t = 0; t < r->ids[i].maps[m].n; t++) {
				struct xh_ftest *ft = &r->ids[i].maps[m].t[t];
				if (ft->field) {
					xh_field_resolve(ft->field, r->webserver, &ft->ref);
					if (r->win && !ft->ref.own)
						ft->ref.look = xh_winsel_rename(r->win, ft->ref.look);
					ft->ref.any = r->win && !ft->ref.decoded && strcasecmp(ft->ref.look, "Data") == 0;
				}
			}
	collect_fields(r);
	return r;
fail:
	if (!e->msg[0])
		reject(e, "%s", "out of memory");
	xh_rule_free(r);
	return NULL;
}

/* ---- loading ---------------------------------------------------------------------------- */

xh_status xh_rules_new(struct xh_rules **out)
{
	*out = xh_calloc(1, sizeof **out);
	return *out ? XH_OK : XH_ENOMEM;
}

void xh_rules_free(struct xh_rules *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->n; i++)
		xh_rule_free(rs->r[i]);
	xh_free(rs->r);
	xh_prefilter_free(rs->pf);
	xh_free(rs);
}

size_t xh_rules_count(const struct xh_rules *rs)
{
	return rs->n;
}

void xh_rules_stats(const struct xh_rules *rs, struct xh_rules_stats *st)
{
	st->files = rs->files;
	st->documents = rs->docs;
	st->loaded = rs->n;
	st->rejected = rs->rejected;
	st->unreadable = rs->unreadable;
	xh_prefilter_counts(rs->pf, &st->prefiltered, &st->unfiltered);
}

xh_status xh_rules_prepare(struct xh_rules *rs, struct xh_error *err)
{
	char why[200];
	xh_status st;

	if (rs->pf)
		return XH_OK;
	st = xh_prefilter_build((const struct xh_rule *const *)rs->r, rs->n, &rs->pf, why, sizeof why);
	if (st)
		return xh_fail(err, st, NULL, 0, 0, "rule prefilter: %s", why[0] ? why : "out of memory");
	return XH_OK;
}

const struct xh_prefilter *xh_rules_prefilter(const struct xh_rules *rs)
{
	return rs->pf;
}

static xh_status add_rule(struct xh_rules *rs, struct xh_rule *r)
{
	if (rs->n == XH_MAX_RULES) {
		xh_rule_free(r);
		return XH_ELIMIT;
	}
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 64;
		struct xh_rule **nr = xh_realloc(rs->r, cap * sizeof *nr);
		if (!nr) {
			xh_rule_free(r);
			return XH_ENOMEM;
		}
		rs->r = nr;
		rs->cap = cap;
	}
	rs->r[rs->n++] = r;
	xh_prefilter_free(rs->pf); /* the rule set changed: prepare again */
	rs->pf = NULL;
	return XH_OK;
}

static xh_status load_text(struct xh_rules *rs, const char *path, const char *text, size_t len,
                           xh_rule_reject_fn cb, void *ud)
{
	struct xh_ynode **docs;
	size_t nd;
	char msg[200];
	xh_status st = xh_yaml_parse(text, len, &docs, &nd, msg, sizeof msg);

	if (st == XH_EFORMAT) {
		rs->rejected++;
		if (cb)
			cb(ud, path, NULL, msg);
		return XH_OK;
	}
	if (st)
		return st;
	for (size_t i = 0; i < nd && !st; i++) {
		struct cerr e = {""};
		struct xh_rule *r;
		const struct xh_ynode *title = xh_ymap_get(docs[i], "title");
		const struct xh_ynode *action = xh_ymap_get(docs[i], "action");
		rs->docs++;
		if (action && action->kind == XH_Y_SCALAR) {
			rs->rejected++;
			if (cb)
				cb(ud, path, title && title->kind == XH_Y_SCALAR ? title->str : NULL,
				   "Sigma v1 rule collections (action:) are not supported");
			continue;
		}
		size_t nvar = 1;
		r = compile_rule(docs[i], path, 0, &nvar, &e);
		if (!r) {
			rs->rejected++;
			if (cb)
				cb(ud, path, title && title->kind == XH_Y_SCALAR ? title->str : NULL, e.msg);
			continue;
		}
		st = add_rule(rs, r);
		/* further variants of a Windows category (process_creation on Security 4688):
		 * the same rule compiled again against that event's field names */
		for (size_t v = 1; v < nvar && !st; v++) {
			struct cerr ev = {""};
			size_t nv2;
			r = compile_rule(docs[i], path, v, &nv2, &ev);
			st = r ? add_rule(rs, r) : XH_ENOMEM;
		}
	}
	xh_ydocs_free(docs, nd);
	return st;
}

xh_status xh_rules_load_text(struct xh_rules *rs, const char *name, const char *text, size_t len,
                             xh_rule_reject_fn cb, void *ud)
{
	return load_text(rs, name, text, len, cb, ud);
}

static xh_status load_file(struct xh_rules *rs, const char *path, xh_rule_reject_fn cb, void *ud)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat sb;
	char *text = NULL;
	ssize_t got;
	size_t len = 0;
	xh_status st;

	rs->files++;
	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > XH_MAX_RULE_FILE) {
		if (fd >= 0)
			close(fd);
		rs->unreadable++;
		if (cb)
			cb(ud, path, NULL, fd < 0 ? "cannot open" : "not a regular file or larger than the limit");
		return XH_OK;
	}
	text = xh_malloc((size_t)sb.st_size + 1);
	if (!text) {
		close(fd);
		return XH_ENOMEM;
	}
	while (len < (size_t)sb.st_size && (got = read(fd, text + len, (size_t)sb.st_size - len)) > 0)
		len += (size_t)got;
	close(fd);
	text[len] = '\0';
	st = load_text(rs, path, text, len, cb, ud);
	xh_free(text);
	return st;
}

static bool yaml_name(const char *n)
{
	size_t l = strlen(n);
	return (l > 4 && strcasecmp(n + l - 4, ".yml") == 0) || (l > 5 && strcasecmp(n + l - 5, ".yaml") == 0);
}

/* Every .yml/.yaml below a folder, in sorted order (so rule order is stable). */
static xh_status load_dir(struct xh_rules *rs, const char *dir, unsigned depth, xh_rule_reject_fn cb, void *ud)
{
	char **names;
	size_t n;
	xh_status st;

	if (depth > XH_MAX_DEPTH)
		return XH_OK;
	st = xh_dir_names(dir, &names, &n);
	if (st == XH_EIO) {
		rs->unreadable++;
		if (cb)
			cb(ud, dir, NULL, "cannot open folder");
		return XH_OK;
	}
	if (st)
		return st;
	for (size_t i = 0; i < n && !st; i++) {
		char path[4096];
		struct stat sb;
		if (snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= (int)sizeof path)
			continue;
		if (lstat(path, &sb) != 0)
			continue;
		if (S_ISDIR(sb.st_mode))
			st = load_dir(rs, path, depth + 1, cb, ud);
		else if (S_ISREG(sb.st_mode) && yaml_name(names[i]))
			st = load_file(rs, path, cb, ud);
		if (!st && rs->files > XH_MAX_RULE_FILES)
			st = XH_ELIMIT;
	}
	xh_dir_names_free(names, n);
	return st;
}

xh_status xh_rules_load(struct xh_rules *rs, const char *path, xh_rule_reject_fn cb, void *ud)
{
	struct stat sb;

	if (stat(path, &sb) != 0)
		return XH_ENOTFOUND;
	if (S_ISDIR(sb.st_mode))
		return load_dir(rs, path, 0, cb, ud);
	return load_file(rs, path, cb, ud);
}

const struct xh_rule *xh_rules_at(const struct xh_rules *rs, size_t i)
{
	return i < rs->n ? rs->r[i] : NULL;
}
