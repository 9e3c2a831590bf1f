/*
 * IIS configuration checks. The input is applicationHost.config or a web.config:
 *
 *   <configuration>
 *     <system.applicationHost><sites>
 *       <site name="Default Web Site" id="1">
 *         <application path="/COM1" applicationPool="DefaultAppPool">
 *           <virtualDirectory path="/" physicalPath="C:\ProgramData\COM1" />
 *     ...
 *     <system.webServer><rewrite><rules>
 *       <rule name="X-BEResource Abort - inbound" stopProcessing="true">
 *         <match url=".*" />
 *         <conditions><add input="{HTTP_COOKIE}" pattern="(.*)X-BEResource=(.+)/(.+)~(.+)" /></conditions>
 *         <action type="AbortRequest" />
 *       </rule>
 *
 * Not an XML parser: a bounded tag scanner that follows element nesting (up to
 * XH_FILES_MAX_XML_DEPTH), skips comments, CDATA, declarations and text, decodes the five
 * XML entities in the attribute values it reads, and stops at the first tag that does
 * not end. Checks (indicators.md 2.1 PL-55-05, 2.6 PS-06, 2.7 PNS-02):
 *   - PS-06: a virtual directory whose physicalPath is under ProgramData (critical for
 *     the device-like names COM1, CON, AUX, ... of the ProxyShell era) or a user profile;
 *   - a handler mapping that runs a static extension (*.png, *.config) as a script;
 *   - in site-level files: whether Microsoft's ProxyLogon cookie rules and the
 *     ProxyNotShell autodiscover/powershell rule are present (informational context);
 *   - in FrontEnd\HttpProxy vdir web.configs: a <clear/> of the inherited rewrite rules.
 */
#include "files/appconfig.h"
#include "files/names.h"

#include <stdio.h>
#include <strings.h>

struct xp {
	const char *p, *end, *cur;
	uint64_t line;          /* line of cur */
	const char *line_at;    /* cur position the line count refers to */
};

struct tag {
	struct xh_sv name;
	const char *start, *attrs, *end; /* '<', first byte after the name, one past '>' */
	bool closing, empty;
	uint64_t line;
};

static void count_lines(struct xp *x, const char *to)
{
	for (const char *s = x->line_at; s < to;) {
		const char *nl = memchr(s, '\n', (size_t)(to - s));
		if (!nl)
			break;
		x->line++;
		s = nl + 1;
	}
	x->line_at = to;
}

static const char *find(const char *s, const char *end, const char *lit)
{
	size_t n = strlen(lit);
	for (; s && s + n <= end; s++) {
		s = memchr(s, lit[0], (size_t)(end - s));
		if (!s || s + n > end)
			return NULL;
		if (memcmp(s, lit, n) == 0)
			return s;
	}
	return NULL;
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
	       c == '-' || c == '_' || c == ':';
}

/* The next element tag; false at the end or at a tag that does not end. */
static bool next_tag(struct xp *x, struct tag *t)
{
	for (;;) {
		const char *lt = memchr(x->cur, '<', (size_t)(x->end - x->cur)), *s, *q;
		char quote = 0;

		if (!lt || lt + 1 >= x->end)
			return false;
		if (lt + 4 <= x->end && memcmp(lt, "<!--", 4) == 0) {
			q = find(lt + 4, x->end, "-->");
			if (!q)
				return false;
			x->cur = q + 3;
			continue;
		}
		if (lt + 9 <= x->end && memcmp(lt, "<![CDATA[", 9) == 0) {
			q = find(lt + 9, x->end, "]]>");
			if (!q)
				return false;
			x->cur = q + 3;
			continue;
		}
		if (lt[1] == '?' || lt[1] == '!' || lt[1] == '%') {
			/* declarations, processing instructions, and <% %> (script: YARA's business) */
			q = memchr(lt + 1, '>', (size_t)(x->end - lt - 1));
			if (!q)
				return false;
			x->cur = q + 1;
			continue;
		}
		memset(t, 0, sizeof *t);
		t->start = lt;
		s = lt + 1;
		if (*s == '/') {
			t->closing = true;
			s++;
		}
		t->name.p = s;
		while (s < x->end && name_char(*s))
			s++;
		t->name.n = (size_t)(s - t->name.p);
		t->attrs = s;
		for (q = s; q < x->end; q++) {
			if (quote) {
				if (*q == quote)
					quote = 0;
			} else if (*q == '"' || *q == '\'') {
				quote = *q;
			} else if (*q == '>') {
				break;
			} else if (*q == '<') {
				break; /* a stray '<' inside a tag: not a tag, go on from there */
			}
		}
		if (q >= x->end)
			return false;
		if (*q == '<' || t->name.n == 0) {
			x->cur = q;
			if (*q != '<')
				x->cur = q + 1;
			continue;
		}
		t->end = q + 1;
		t->empty = q > t->attrs && q[-1] == '/';
		count_lines(x, lt);
		t->line = x->line;
		x->cur = t->end;
		return true;
	}
}

static bool is(struct xh_sv name, const char *lit)
{
	return xh_sv_ieq(name, lit);
}

/* Decodes attribute `want` of the tag into out (cap bytes, NUL-terminated); false when
 * absent. Values longer than cap - 1 are cut. */
static bool attr(const struct tag *t, const char *want, char *out, size_t cap)
{
	const char *s = t->attrs, *end = t->end - 1;
	size_t wl = strlen(want);

	while (s < end) {
		const char *n0, *v0, *v1;
		char quote;
		while (s < end && !name_char(*s))
			s++;
		n0 = s;
		while (s < end && name_char(*s))
			s++;
		if (s == n0)
			break;
		{
			const char *n1 = s;
			while (s < end && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
				s++;
			if (s >= end || *s != '=')
				continue;
			s++;
			while (s < end && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
				s++;
			if (s >= end || (*s != '"' && *s != '\''))
				continue;
			quote = *s++;
			v0 = s;
			v1 = memchr(s, quote, (size_t)(end - s));
			if (!v1)
				return false;
			s = v1 + 1;
			if ((size_t)(n1 - n0) != wl || strncasecmp(n0, want, wl) != 0)
				continue;
		}
		{
			size_t k = 0;
			for (const char *c = v0; c < v1 && k + 1 < cap; c++) {
				static const struct {
					const char *ent;
					char ch;
				} ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
				char ch = *c;
				if (ch == '&') {
					for (size_t e = 0; e < XH_ARRAY_LEN(ents); e++) {
						size_t el = strlen(ents[e].ent);
						if ((size_t)(v1 - c) >= el && memcmp(c, ents[e].ent, el) == 0) {
							ch = ents[e].ch;
							c += el - 1;
							break;
						}
					}
				}
				out[k++] = ch;
			}
			out[k] = '\0';
		}
		return true;
	}
	return false;
}

static bool icontains(const char *s, const char *lit)
{
	size_t n = strlen(lit);
	for (; *s; s++)
		if (strncasecmp(s, lit, n) == 0)
			return true;
	return false;
}

/* ---- the checks ---------------------------------------------------------------------- */

struct rule_state {
	bool open, enabled;
	uint64_t line;
	const char *start;
	char name[XH_FILES_MAX_ATTR], url[XH_FILES_MAX_ATTR], action[XH_FILES_CFG_ACTION];
	size_t nconds;
	char input[XH_FILES_MAX_CONDITIONS][XH_FILES_CFG_INPUT], pattern[XH_FILES_MAX_CONDITIONS][XH_FILES_MAX_ATTR];
};

struct ctx {
	unsigned mode;
	xh_cfg_hit_fn fn;
	void *ud;
	unsigned emitted, more;
	char site[XH_FILES_CFG_SITE], app[XH_FILES_MAX_ATTR];
	bool cookie_anon, cookie_be;        /* PL-55-05's two rules */
	int pns;                            /* 0 none, 1 early form, 2 final form */
	bool pns_disabled;
	uint64_t pns_line, cookie_line;
	struct rule_state r;
	size_t depth, rule_depth;           /* elements open; the depth of the open rule's */
	char tmp[4][XH_FILES_MAX_ATTR];
	char phys[XH_FILES_MAX_ATTR];
};

static xh_status emit(struct ctx *c, struct xh_cfg_hit *h)
{
	if (c->emitted >= XH_FILES_MAX_CONFIG_FINDINGS) {
		c->more++;
		return XH_OK;
	}
	c->emitted++;
	return c->fn(c->ud, h);
}

static void add_field(struct xh_cfg_hit *h, const char *name, const char *value)
{
	if (h->nfields < XH_FILES_MAX_CONFIG_FIELDS && value) {
		h->fields[h->nfields].name = name;
		h->fields[h->nfields].value = xh_sv_make(value, strlen(value));
		h->nfields++;
	}
}

static struct xh_sv tag_text(const struct tag *t)
{
	size_t n = (size_t)(t->end - t->start);
	return xh_sv_make(t->start, n > XH_FILES_CFG_EXCERPT ? XH_FILES_CFG_EXCERPT : n);
}

/* Expands the usual variables and lower-cases a physicalPath into out. */
static void expand_path(const char *in, char *out, size_t cap)
{
	static const struct {
		const char *var, *val;
	} vars[] = {
		{"%systemdrive%", "c:"},          {"%programdata%", "c:\\programdata"},
		{"%allusersprofile%", "c:\\programdata"}, {"%systemroot%", "c:\\windows"},
		{"%windir%", "c:\\windows"},      {"%public%", "c:\\users\\public"},
	};
	size_t k = 0;

	for (const char *s = in; *s && k + 1 < cap;) {
		bool done = false;
		if (*s == '%') {
			for (size_t v = 0; v < XH_ARRAY_LEN(vars) && !done; v++) {
				size_t vl = strlen(vars[v].var);
				if (strncasecmp(s, vars[v].var, vl) == 0) {
					for (const char *t = vars[v].val; *t && k + 1 < cap; t++)
						out[k++] = *t;
					s += vl;
					done = true;
				}
			}
		}
		if (done)
			continue;
		out[k++] = *s == '/' ? '\\' : (*s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s);
		s++;
	}
	out[k] = '\0';
	while (k > 3 && out[k - 1] == '\\')
		out[--k] = '\0';
}

static xh_status check_vdir(struct ctx *c, const struct tag *t)
{
	char *vpath = c->tmp[0], *phys = c->tmp[1];
	const char *rest = NULL;
	struct xh_cfg_hit h;
	bool pd = false, users = false;

	if (!attr(t, "physicalPath", phys, XH_FILES_MAX_ATTR))
		return XH_OK;
	if (!attr(t, "path", vpath, XH_FILES_MAX_ATTR))
		vpath[0] = '\0';
	expand_path(phys, c->phys, sizeof c->phys);
	if (c->phys[0] && c->phys[1] == ':' && c->phys[2] == '\\') {
		const char *s = c->phys + 3;
		if (strncmp(s, "programdata", 11) == 0 && (s[11] == '\\' || s[11] == '\0'))
			pd = true, rest = s[11] ? s + 12 : s + 11;
		else if (strncmp(s, "users\\all users", 15) == 0 && (s[15] == '\\' || s[15] == '\0'))
			pd = true, rest = s[15] ? s + 16 : s + 15;
		else if (strncmp(s, "users\\", 6) == 0 || strcmp(s, "users") == 0)
			users = true;
	}
	if (!pd && !users)
		return XH_OK;
	memset(&h, 0, sizeof h);
	h.rule_id = "PS-06";
	h.rule_name = "config-rogue-vdir";
	h.tags = "attack.persistence attack.t1505.003";
	h.line = t->line;
	h.excerpt = tag_text(t);
	h.phys = c->phys;
	if (pd) {
		const char *sl = strchr(rest, '\\');
		size_t first = sl ? (size_t)(sl - rest) : strlen(rest);
		bool dev = xh_files_device_name(rest, first);
		h.level = dev ? XH_LEVEL_CRITICAL : XH_LEVEL_HIGH;
		h.title = dev ? "rogue IIS virtual directory serving a device-named ProgramData folder (ProxyShell era)"
		              : "IIS virtual directory serving a folder under ProgramData (rogue vdir)";
	} else {
		h.level = XH_LEVEL_MEDIUM;
		h.title = "IIS virtual directory serving a folder in a user profile";
	}
	add_field(&h, "site", c->site[0] ? c->site : NULL);
	add_field(&h, "application", c->app[0] ? c->app : NULL);
	add_field(&h, "virtual_directory", vpath);
	add_field(&h, "physical_path", phys);
	return emit(c, &h);
}

static bool static_ext(const char *path)
{
	static const char *const exts[] = {"*.png", "*.jpg", "*.jpeg", "*.gif", "*.ico", "*.css", "*.js",
	                                   "*.txt", "*.htm", "*.html", "*.svg", "*.bmp", "*.woff", "*.config",
	                                   NULL};
	for (size_t i = 0; exts[i]; i++)
		if (strcasecmp(path, exts[i]) == 0)
			return true;
	return false;
}

static xh_status check_handler(struct ctx *c, const struct tag *t)
{
	char *path = c->tmp[0], *type = c->tmp[1], *proc = c->tmp[2], *mods = c->tmp[3];
	struct xh_cfg_hit h;

	if (!attr(t, "path", path, XH_FILES_MAX_ATTR) || !static_ext(path))
		return XH_OK;
	if (!attr(t, "type", type, XH_FILES_MAX_ATTR))
		type[0] = '\0';
	if (!attr(t, "scriptProcessor", proc, XH_FILES_MAX_ATTR))
		proc[0] = '\0';
	if (!attr(t, "modules", mods, XH_FILES_MAX_ATTR))
		mods[0] = '\0';
	if (!icontains(type, "PageHandlerFactory") && !icontains(type, "SimpleHandlerFactory") &&
	    !icontains(type, "WebServiceHandlerFactory") && !icontains(proc, "aspnet_isapi") &&
	    !icontains(proc, "asp.dll"))
		return XH_OK;
	memset(&h, 0, sizeof h);
	h.rule_id = "CF-01";
	h.rule_name = "config-static-extension-as-script";
	h.title = "handler mapping that runs a static file extension as a script (a way to hide a web shell)";
	h.level = XH_LEVEL_HIGH;
	h.tags = "attack.persistence attack.t1505.003";
	h.line = t->line;
	h.excerpt = tag_text(t);
	add_field(&h, "path", path);
	add_field(&h, "type", type[0] ? type : NULL);
	add_field(&h, "script_processor", proc[0] ? proc : NULL);
	return emit(c, &h);
}

/* A rewrite rule ended: which mitigation is it? */
static void judge_rule(struct ctx *c)
{
	struct rule_state *r = &c->r;
	bool abort_like = strcasecmp(r->action, "AbortRequest") == 0 || strcasecmp(r->action, "CustomResponse") == 0;
	bool anon = icontains(r->name, "X-AnonResource-Backend"), be = icontains(r->name, "X-BEResource");
	int form = 0;

	for (size_t i = 0; i < r->nconds; i++) {
		bool cookie = icontains(r->input[i], "HTTP_COOKIE");
		anon = anon || (cookie && icontains(r->pattern[i], "X-AnonResource-Backend"));
		be = be || (cookie && icontains(r->pattern[i], "X-BEResource"));
		if (icontains(r->pattern[i], "autodiscover") && icontains(r->pattern[i], "powershell")) {
			int f = icontains(r->input[i], "UrlDecode") ? 2 : 1;
			if (f > form)
				form = f;
		}
	}
	if (!form && icontains(r->url, "autodiscover") && icontains(r->url, "powershell"))
		form = 1;
	if (abort_like && anon && !c->cookie_anon)
		c->cookie_anon = true, c->cookie_line = r->line;
	if (abort_like && be && !c->cookie_be)
		c->cookie_be = true, c->cookie_line = c->cookie_line ? c->cookie_line : r->line;
	if (abort_like && form) {
		if (!r->enabled) {
			c->pns_disabled = true;
		} else if (form > c->pns) {
			c->pns = form;
			c->pns_line = r->line;
		}
	}
}

static xh_status mitigations(struct ctx *c)
{
	struct xh_cfg_hit h;
	xh_status st = XH_OK;
	bool site = c->mode & XH_CFG_SITE_LEVEL;

	if (site || c->cookie_anon || c->cookie_be) {
		memset(&h, 0, sizeof h);
		h.rule_id = "PL-55-05";
		h.rule_name = "config-proxylogon-mitigation";
		h.level = XH_LEVEL_INFORMATIONAL;
		h.tags = "cve.2021-26855";
		h.line = c->cookie_line;
		h.title = c->cookie_anon && c->cookie_be ? "ProxyLogon mitigation present: Microsoft's X-AnonResource-Backend and X-BEResource cookie rules (EOMT)"
		          : c->cookie_anon || c->cookie_be ? "ProxyLogon mitigation partly present: one of Microsoft's two cookie rules (EOMT)"
		                                           : "ProxyLogon mitigation absent: no X-BEResource cookie rule in this site configuration";
		st = emit(c, &h);
	}
	if (!st && (site || c->pns || c->pns_disabled)) {
		memset(&h, 0, sizeof h);
		h.rule_id = "PNS-02";
		h.rule_name = "config-proxynotshell-mitigation";
		h.level = XH_LEVEL_INFORMATIONAL;
		h.tags = "cve.2022-41040 cve.2022-41082";
		h.line = c->pns_line;
		h.title = c->pns == 2 ? "ProxyNotShell mitigation present: autodiscover+powershell rule on {UrlDecode:{REQUEST_URI}} (final form)"
		          : c->pns == 1 ? "ProxyNotShell mitigation in its first form ({REQUEST_URI} or {URL}): URL-encoded requests pass it"
		          : c->pns_disabled ? "ProxyNotShell mitigation rule present but disabled"
		                            : "ProxyNotShell mitigation absent: no autodiscover+powershell request-blocking rule in this site configuration";
		st = emit(c, &h);
	}
	return st;
}

/* ---- the elements ---------------------------------------------------------------------- */

/* Keeps attribute `name` of the tag in out ("" when absent), for the findings inside. */
static xh_status keep(const struct tag *t, const char *name, char *out, size_t cap)
{
	if (!attr(t, name, out, cap))
		out[0] = '\0';
	return XH_OK;
}

static xh_status on_site(struct ctx *c, const struct tag *t)
{
	return keep(t, "name", c->site, sizeof c->site);
}

static xh_status on_application(struct ctx *c, const struct tag *t)
{
	return keep(t, "path", c->app, sizeof c->app);
}

/* The site or application ends: the findings after it are outside. */
static xh_status end_site(struct ctx *c)
{
	c->site[0] = '\0';
	return XH_OK;
}

static xh_status end_application(struct ctx *c)
{
	c->app[0] = '\0';
	return XH_OK;
}

/* <clear/> in a FrontEnd\HttpProxy vdir's <rules>: the site's mitigations stop there. */
static xh_status check_rules_cleared(struct ctx *c, const struct tag *t)
{
	struct xh_cfg_hit h;

	if (!(c->mode & XH_CFG_HTTPPROXY))
		return XH_OK;
	memset(&h, 0, sizeof h);
	h.rule_id = "PNS-02";
	h.rule_name = "config-rewrite-rules-cleared";
	h.title = "vdir web.config clears the inherited URL Rewrite rules: site-level mitigations do not apply here";
	h.level = XH_LEVEL_LOW;
	h.tags = "cve.2022-41040";
	h.line = t->line;
	h.excerpt = tag_text(t);
	return emit(c, &h);
}

/* A URL Rewrite rule opens: its parts follow (match, conditions, action). */
static xh_status on_rule(struct ctx *c, const struct tag *t)
{
	char en[16];

	if (t->empty)
		return XH_OK;
	memset(&c->r, 0, sizeof c->r);
	c->r.open = true;
	c->r.line = t->line;
	c->r.enabled = !attr(t, "enabled", en, sizeof en) || strcasecmp(en, "false") != 0;
	if (!attr(t, "name", c->r.name, sizeof c->r.name))
		c->r.name[0] = '\0';
	c->rule_depth = c->depth + 1;
	return XH_OK;
}

static xh_status end_rule(struct ctx *c)
{
	if (c->r.open && c->depth + 1 == c->rule_depth) {
		judge_rule(c);
		c->r.open = false;
	}
	return XH_OK;
}

static xh_status on_match(struct ctx *c, const struct tag *t)
{
	if (c->r.open && !attr(t, "url", c->r.url, sizeof c->r.url))
		c->r.url[0] = '\0';
	return XH_OK;
}

static xh_status on_action(struct ctx *c, const struct tag *t)
{
	if (c->r.open && !attr(t, "type", c->r.action, sizeof c->r.action))
		c->r.action[0] = '\0';
	return XH_OK;
}

static xh_status on_condition(struct ctx *c, const struct tag *t)
{
	size_t k = c->r.nconds;

	if (!c->r.open || k >= XH_FILES_MAX_CONDITIONS)
		return XH_OK;
	if (attr(t, "pattern", c->r.pattern[k], sizeof c->r.pattern[k])) {
		if (!attr(t, "input", c->r.input[k], sizeof c->r.input[k]))
			c->r.input[k][0] = '\0';
		c->r.nconds++;
	}
	return XH_OK;
}

/* What an element does: the first row of its name (and, when the row names one, of its
 * parent element) takes its opening tag; the first row of its name with an `end` takes
 * its closing tag. A configuration check is a row and its function. */
static const struct element {
	const char *name, *parent;
	xh_status (*on)(struct ctx *c, const struct tag *t);
	xh_status (*end)(struct ctx *c);
} elements[] = {
	{"site", NULL, on_site, end_site},
	{"application", NULL, on_application, end_application},
	{"virtualDirectory", NULL, check_vdir, NULL},
	{"add", "handlers", check_handler, NULL},
	{"add", "httpHandlers", check_handler, NULL},
	{"clear", "rules", check_rules_cleared, NULL},
	{"rule", NULL, on_rule, end_rule},
	{"match", NULL, on_match, NULL},
	{"action", NULL, on_action, NULL},
	{"add", NULL, on_condition, NULL}, /* of a rewrite rule's <conditions> */
};

static const struct element *element_of(const struct tag *t, struct xh_sv parent)
{
	for (size_t i = 0; i < XH_ARRAY_LEN(elements); i++)
		if (is(t->name, elements[i].name) &&
		    (t->closing ? elements[i].end != NULL : !elements[i].parent || (parent.p && is(parent, elements[i].parent))))
			return &elements[i];
	return NULL;
}

xh_status xh_cfg_check(const char *p, size_t n, unsigned mode, xh_cfg_hit_fn fn, void *ud)
{
	struct xp x = {p, p + n, p, 1, p};
	struct tag t;
	struct xh_sv stack[XH_FILES_MAX_XML_DEPTH];
	struct ctx *c = xh_calloc(1, sizeof *c);
	xh_status st = XH_OK;

	if (!c)
		return XH_ENOMEM;
	c->mode = mode;
	c->fn = fn;
	c->ud = ud;
	while (!st && next_tag(&x, &t)) {
		struct xh_sv parent =
			c->depth && c->depth <= XH_FILES_MAX_XML_DEPTH ? stack[c->depth - 1] : xh_sv_make(NULL, 0);
		const struct element *e;

		if (t.closing) {
			if (c->depth)
				c->depth--;
			e = element_of(&t, parent);
			if (e)
				st = e->end(c);
			continue;
		}
		e = element_of(&t, parent);
		if (e)
			st = e->on(c, &t);
		if (!t.empty) {
			if (c->depth < XH_FILES_MAX_XML_DEPTH)
				stack[c->depth] = t.name;
			c->depth++;
		}
	}
	if (!st)
		st = mitigations(c);
	if (!st && c->more) {
		struct xh_cfg_hit h;
		char n_more[32];
		memset(&h, 0, sizeof h);
		snprintf(n_more, sizeof n_more, "%u", c->more);
		h.rule_id = "CF-00";
		h.rule_name = "config-more-findings";
		h.title = "more configuration findings in this file than are listed";
		h.level = XH_LEVEL_MEDIUM;
		h.tags = "";
		add_field(&h, "not_listed", n_more);
		c->emitted = 0; /* this one always gets out */
		st = fn(ud, &h);
	}
	xh_free(c);
	return st;
}
