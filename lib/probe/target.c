/*
 * Probe targets: parsing of target specs and exclusions, the index space they make,
 * and the walk that visits it in a keyed pseudo-random order, one shard at a time.
 *
 * Specs, one per argument or list line, for example:
 *
 *   mail.example.org              a name, on every --ports port
 *   mail.example.org:8443         a name on one port
 *   https://10.1.2.3:444/owa/     a URL: scheme, host and port (the path is ignored)
 *   192.0.2.10   [2001:db8::5]:443   2001:db8::5
 *   10.1.0.0/16  2001:db8::/120   ranges (CIDR)
 *
 * Nothing is expanded in memory: spec s covers indices [prefix[s], prefix[s+1]) of the
 * index space (addresses x ports), and index -> (address, port) is arithmetic. The
 * visiting order is a Feistel permutation of the index space keyed by the seed (cycle
 * walking keeps it inside [0, n)), so a /16 is not hit address after address and
 * several machines that share the seed can each take every nshards-th position.
 *
 * Scope safety lives here too: the built-in special-purpose ranges, the user's
 * exclusions, and the one check (xh_targets_refuse) the prober applies to every
 * address it is about to connect to.
 */
#include "common/base.h"
#include "common/ip.h"

#include "exhunt/probe.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

struct spec {
	int family;          /* 0 name, 4, 6 */
	uint8_t base[16];    /* the (masked) address */
	unsigned host_bits;  /* the spec covers 2^host_bits addresses */
	bool exact;          /* a single address written out, not a range */
	char *name;          /* lower case, family 0 only */
	bool has_port;
	bool scheme_given;   /* a URL named the scheme */
	uint16_t port;
	enum xh_scheme scheme;
};

struct range4 {
	uint32_t lo, hi;
};

struct range6 {
	uint8_t base[16];
	unsigned prefix;
};

struct xh_targets {
	struct spec *specs;
	size_t nspecs, cap;
	struct xh_port {
		uint16_t port;
		enum xh_scheme scheme;
	} ports[XH_PROBE_MAX_PORTS];
	size_t nports;
	struct range4 *x4;   /* sorted, disjoint */
	size_t nx4, capx4;
	struct range6 *x6;
	size_t nx6, capx6;
	char **xnames;
	size_t nxnames, capxnames;
};

/* ---- special-purpose ranges (IANA special-purpose address registries) ----------------- */

struct special {
	int family;
	uint8_t base[16];
	unsigned prefix;
	const char *cidr, *why;
	bool never; /* refused even when written out exactly: connecting there means no host */
};

#define V4(a, b, c, d) 4, {a, b, c, d}
static const struct special specials[] = {
	{V4(0, 0, 0, 0), 8, "0.0.0.0/8", "0.0.0.0/8 'this network' (reaches the local host)", true},
	{V4(224, 0, 0, 0), 4, "224.0.0.0/4", "224.0.0.0/4 multicast", true},
	{V4(240, 0, 0, 0), 4, "240.0.0.0/4", "240.0.0.0/4 reserved and broadcast", true},
	{6, {0}, 128, "::/128", "::/128 unspecified address (reaches the local host)", true},
	{6, {0xff}, 8, "ff00::/8", "ff00::/8 multicast", true},
	{V4(127, 0, 0, 0), 8, "127.0.0.0/8", "127.0.0.0/8 loopback", false},
	{V4(169, 254, 0, 0), 16, "169.254.0.0/16", "169.254.0.0/16 link-local", false},
	{V4(192, 0, 0, 0), 24, "192.0.0.0/24", "192.0.0.0/24 IETF protocol assignments", false},
	{V4(192, 0, 2, 0), 24, "192.0.2.0/24", "192.0.2.0/24 documentation (TEST-NET-1)", false},
	{V4(192, 88, 99, 0), 24, "192.88.99.0/24", "192.88.99.0/24 deprecated 6to4 relay anycast", false},
	{V4(198, 18, 0, 0), 15, "198.18.0.0/15", "198.18.0.0/15 benchmarking", false},
	{V4(198, 51, 100, 0), 24, "198.51.100.0/24", "198.51.100.0/24 documentation (TEST-NET-2)", false},
	{V4(203, 0, 113, 0), 24, "203.0.113.0/24", "203.0.113.0/24 documentation (TEST-NET-3)", false},
	{6, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128, "::1/128", "::1/128 loopback", false},
	{6, {0x01, 0x00}, 64, "100::/64", "100::/64 discard-only", false},
	{6, {0x20, 0x01, 0x0d, 0xb8}, 32, "2001:db8::/32", "2001:db8::/32 documentation", false},
	{6, {0xfe, 0x80}, 10, "fe80::/10", "fe80::/10 link-local", false},
};
#undef V4

bool xh_special_range(size_t i, const char **cidr, const char **why)
{
	if (i >= XH_ARRAY_LEN(specials))
		return false;
	*cidr = specials[i].cidr;
	*why = specials[i].why;
	return true;
}

const char *xh_scheme_name(enum xh_scheme s)
{
	return s == XH_SCHEME_HTTP ? "http" : "https";
}

/* ---- small parsers ------------------------------------------------------------------- */

static uint32_t get32(const uint8_t *a)
{
	return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
}

static void put32(uint8_t *a, uint32_t v)
{
	a[0] = (uint8_t)(v >> 24);
	a[1] = (uint8_t)(v >> 16);
	a[2] = (uint8_t)(v >> 8);
	a[3] = (uint8_t)v;
}

/* An IPv4 or IPv6 literal of exactly n bytes: 4, 6 or 0. */
static int parse_addr(const char *s, size_t n, uint8_t *out)
{
	bool v6;
	return xh_ip_parse(s, n, out, &v6) ? (v6 ? 6 : 4) : 0;
}

/* A decimal of 1..maxdigits digits, exactly n bytes. */
static bool parse_num(const char *s, size_t n, unsigned maxdigits, unsigned long *out)
{
	uint64_t v;
	if (!xh_sv_u64(xh_sv_make(s, n), maxdigits, &v))
		return false;
	*out = (unsigned long)v;
	return true;
}

static bool parse_port(const char *s, size_t n, uint16_t *out)
{
	unsigned long v;

	if (!parse_num(s, n, 5, &v) || v == 0 || v > 65535)
		return false;
	*out = (uint16_t)v;
	return true;
}

/* Host names as DNS has them (letters, digits, '-', '.', and '_' seen in the wild);
 * nothing that could smuggle a path, a port, a user or a control byte into a URL. */
static bool valid_name(const char *s, size_t n)
{
	bool alpha = false;

	if (n == 0 || n > 253 || s[0] == '.' || s[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_')
			alpha = true;
		else if (!(c >= '0' && c <= '9') && c != '.')
			return false;
		if (c == '.' && i + 1 < n && s[i + 1] == '.')
			return false;
	}
	/* all digits and dots, yet not an address: "10.1.2" would be read as 10.1.0.2 by
	 * the resolver; refuse instead of guessing */
	return alpha;
}

static struct xh_sv trim(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return xh_sv_make(s, n);
}

/* Fills host fields of sp from host text (an address or a name). */
static xh_status set_host(struct spec *sp, const char *h, size_t n, bool bracketed, struct xh_error *err)
{
	sp->family = parse_addr(h, n, sp->base);
	if (bracketed && sp->family != 6)
		return xh_fail(err, XH_EARG, NULL, 0, 0, "'[%.*s]' is not an IPv6 address", (int)n, h);
	if (sp->family) {
		sp->exact = true;
		return XH_OK;
	}
	if (!valid_name(h, n))
		return xh_fail(err, XH_EARG, NULL, 0, 0, "'%.*s' is neither an address nor a host name", (int)n, h);
	sp->name = xh_strndup(h, n);
	if (!sp->name)
		return XH_ENOMEM;
	for (char *p = sp->name; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return XH_OK;
}

/* host[:port] or [v6][:port] (an authority without user info). */
static xh_status parse_authority(struct spec *sp, const char *s, size_t n, struct xh_error *err)
{
	const char *colon;

	if (n && s[0] == '[') {
		const char *rb = memchr(s, ']', n);
		size_t hn;
		if (!rb)
			return xh_fail(err, XH_EARG, NULL, 0, 0, "'%.*s': missing ']'", (int)n, s);
		hn = (size_t)(rb - s - 1);
		if (rb + 1 < s + n) {
			if (rb[1] != ':' || !parse_port(rb + 2, (size_t)(s + n - rb - 2), &sp->port))
				return xh_fail(err, XH_EARG, NULL, 0, 0, "'%.*s': bad port", (int)n, s);
			sp->has_port = true;
		}
		return set_host(sp, s + 1, hn, true, err);
	}
	colon = memchr(s, ':', n);
	if (colon && memchr(colon + 1, ':', (size_t)(s + n - colon - 1)))
		return set_host(sp, s, n, false, err); /* bare IPv6 (no port possible) */
	if (colon) {
		if (!parse_port(colon + 1, (size_t)(s + n - colon - 1), &sp->port))
			return xh_fail(err, XH_EARG, NULL, 0, 0, "'%.*s': bad port (1-65535)", (int)n, s);
		sp->has_port = true;
		n = (size_t)(colon - s);
	}
	return set_host(sp, s, n, false, err);
}

/* addr/prefix. */
static xh_status parse_cidr(struct spec *sp, const char *s, size_t n, const char *slash, struct xh_error *err)
{
	unsigned long prefix;
	unsigned bits;

	sp->family = parse_addr(s, (size_t)(slash - s), sp->base);
	if (!sp->family || !parse_num(slash + 1, (size_t)(s + n - slash - 1), 3, &prefix))
		return xh_fail(err, XH_EARG, NULL, 0, 0, "'%.*s' is not a CIDR range (10.1.0.0/16, 2001:db8::/120)",
		               (int)n, s);
	bits = sp->family == 4 ? 32 : 128;
	if (prefix > bits)
		return xh_fail(err, XH_EARG, NULL, 0, 0, "'%.*s': prefix longer than %u bits", (int)n, s, bits);
	sp->host_bits = bits - (unsigned)prefix;
	if (sp->family == 6 && sp->host_bits > XH_PROBE_MAX_V6_HOST_BITS)
		return xh_fail(err, XH_ELIMIT, NULL, 0, 0, "'%.*s': IPv6 ranges wider than /%u cannot be walked",
		               (int)n, s, 128 - XH_PROBE_MAX_V6_HOST_BITS);
	/* keep the network address: 10.1.2.3/24 is 10.1.2.0/24, as scanners read it */
	for (unsigned i = 0; i < bits; i++)
		if (i >= (unsigned)prefix)
			sp->base[i / 8] &= (uint8_t) ~(0x80u >> (i % 8));
	sp->exact = false;
	return XH_OK;
}

static xh_status parse_spec(struct spec *sp, const char *spec, size_t len, struct xh_error *err)
{
	struct xh_sv v = trim(spec, len);
	const char *s = v.p, *sep;
	size_t n = v.n;

	memset(sp, 0, sizeof *sp);
	if (n == 0)
		return xh_fail(err, XH_EARG, NULL, 0, 0, "empty target");
	if (n > XH_PROBE_MAX_SPEC)
		return xh_fail(err, XH_ELIMIT, NULL, 0, 0, "target longer than %u bytes", XH_PROBE_MAX_SPEC);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return xh_fail(err, XH_EARG, NULL, 0, 0, "target with a blank, control or non-ASCII byte");
	sep = n >= 3 ? memchr(s, ':', n) : NULL;
	if (sep && (size_t)(s + n - sep) >= 3 && sep[1] == '/' && sep[2] == '/') {
		/* URL: scheme://authority[/path...] */
		size_t sn = (size_t)(sep - s), an = 0;
		const char *auth = sep + 3, *end = s + n;
		sp->scheme_given = true;
		if (sn == 5 && strncasecmp(s, "https", 5) == 0)
			sp->scheme = XH_SCHEME_HTTPS;
		else if (sn == 4 && strncasecmp(s, "http", 4) == 0)
			sp->scheme = XH_SCHEME_HTTP;
		else
			return xh_fail(err, XH_EARG, NULL, 0, 0, "'%.*s': only http:// and https:// URLs", (int)n, s);
		while (auth + an < end && auth[an] != '/' && auth[an] != '?' && auth[an] != '#')
			an++;
		if (memchr(auth, '@', an))
			return xh_fail(err, XH_EARG, NULL, 0, 0,
			               "'%.*s': a URL with a user or password (exhunt sends no credentials)", (int)n, s);
		if (an == 0)
			return xh_fail(err, XH_EARG, NULL, 0, 0, "'%.*s': no host", (int)n, s);
		{
			xh_status st = parse_authority(sp, auth, an, err);
			if (st)
				return st;
		}
		if (!sp->has_port) {
			sp->port = sp->scheme == XH_SCHEME_HTTPS ? 443 : 80;
			sp->has_port = true;
		}
		sp->exact = sp->family != 0;
		return XH_OK;
	}
	sep = memchr(s, '/', n);
	if (sep)
		return parse_cidr(sp, s, n, sep, err);
	return parse_authority(sp, s, n, err);
}

/* ---- the target set -------------------------------------------------------------------- */

xh_status xh_targets_new(struct xh_targets **out)
{
	struct xh_targets *t = xh_calloc(1, sizeof *t);

	*out = NULL;
	if (!t)
		return XH_ENOMEM;
	t->ports[0].port = 443;
	t->ports[0].scheme = XH_SCHEME_HTTPS;
	t->nports = 1;
	*out = t;
	return XH_OK;
}

void xh_targets_free(struct xh_targets *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nspecs; i++)
		xh_free(t->specs[i].name);
	for (size_t i = 0; i < t->nxnames; i++)
		xh_free(t->xnames[i]);
	xh_free(t->specs);
	xh_free(t->x4);
	xh_free(t->x6);
	xh_free(t->xnames);
	xh_free(t);
}

xh_status xh_targets_set_ports(struct xh_targets *t, const char *list, struct xh_error *err)
{
	const char *p = list;
	size_t np = 0;
	struct xh_port ports[XH_PROBE_MAX_PORTS];

	for (;;) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		struct xh_sv v = trim(p, n);
		enum xh_scheme sch = XH_SCHEME_HTTPS;
		uint16_t port;

		if (v.n > 6 && strncasecmp(v.p, "https:", 6) == 0) {
			v.p += 6;
			v.n -= 6;
		} else if (v.n > 5 && strncasecmp(v.p, "http:", 5) == 0) {
			sch = XH_SCHEME_HTTP;
			v.p += 5;
			v.n -= 5;
		}
		if (!parse_port(v.p, v.n, &port))
			return xh_fail(err, XH_EARG, NULL, 0, 0,
			               "'%.*s' is not a port: 443, https:8443 or http:80 (1-65535)", (int)n, p);
		if (np == XH_PROBE_MAX_PORTS)
			return xh_fail(err, XH_ELIMIT, NULL, 0, 0, "more than %d ports", XH_PROBE_MAX_PORTS);
		for (size_t i = 0; i < np; i++)
			if (ports[i].port == port)
				return xh_fail(err, XH_EARG, NULL, 0, 0, "port %u given twice", (unsigned)port);
		ports[np].port = port;
		ports[np].scheme = sch;
		np++;
		if (!e)
			break;
		p = e + 1;
	}
	memcpy(t->ports, ports, np * sizeof ports[0]);
	t->nports = np;
	return XH_OK;
}

xh_status xh_targets_add(struct xh_targets *t, const char *spec, size_t n, struct xh_error *err)
{
	struct spec sp;
	xh_status st = parse_spec(&sp, spec, n, err);

	if (st) {
		xh_free(sp.name);
		return st;
	}
	if (t->nspecs == XH_PROBE_MAX_SPECS) {
		xh_free(sp.name);
		return xh_fail(err, XH_ELIMIT, NULL, 0, 0, "more than %u targets", XH_PROBE_MAX_SPECS);
	}
	if (xh_grow((void **)&t->specs, &t->cap, t->nspecs + 1, sizeof *t->specs)) {
		xh_free(sp.name);
		return XH_ENOMEM;
	}
	t->specs[t->nspecs++] = sp;
	return XH_OK;
}

static int cmp_range4(const void *a, const void *b)
{
	const struct range4 *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Sorts and merges the IPv4 exclusions so that a lookup is a binary search. */
static void merge4(struct xh_targets *t)
{
	size_t k = 0;

	if (t->nx4 < 2)
		return;
	qsort(t->x4, t->nx4, sizeof *t->x4, cmp_range4);
	for (size_t i = 1; i < t->nx4; i++) {
		if (t->x4[k].hi == UINT32_MAX || t->x4[i].lo <= t->x4[k].hi + 1) {
			if (t->x4[i].hi > t->x4[k].hi)
				t->x4[k].hi = t->x4[i].hi;
		} else {
			t->x4[++k] = t->x4[i];
		}
	}
	t->nx4 = k + 1;
}

/* Adds one exclusion; merge decides whether the IPv4 table is re-sorted now. */
static xh_status exclude_one(struct xh_targets *t, const char *spec, size_t n, bool merge, struct xh_error *err)
{
	struct spec sp;
	xh_status st;

	if (t->nx4 + t->nx6 + t->nxnames >= XH_PROBE_MAX_EXCLUDES)
		return xh_fail(err, XH_ELIMIT, NULL, 0, 0, "more than %u exclusions", XH_PROBE_MAX_EXCLUDES);
	st = parse_spec(&sp, spec, n, err);
	if (!st && sp.has_port)
		st = xh_fail(err, XH_EARG, NULL, 0, 0, "an exclusion is an address, a CIDR range or a name, without port");
	if (st)
		goto out;
	if (sp.family == 0) {
		st = xh_grow((void **)&t->xnames, &t->capxnames, t->nxnames + 1, sizeof *t->xnames);
		if (!st) {
			t->xnames[t->nxnames++] = sp.name;
			sp.name = NULL;
		}
	} else if (sp.family == 4) {
		uint32_t lo = get32(sp.base);
		uint32_t span = sp.host_bits >= 32 ? UINT32_MAX : (uint32_t)((1ull << sp.host_bits) - 1);
		st = xh_grow((void **)&t->x4, &t->capx4, t->nx4 + 1, sizeof *t->x4);
		if (!st) {
			t->x4[t->nx4].lo = lo;
			t->x4[t->nx4].hi = lo + span;
			t->nx4++;
			if (merge)
				merge4(t);
		}
	} else {
		st = xh_grow((void **)&t->x6, &t->capx6, t->nx6 + 1, sizeof *t->x6);
		if (!st) {
			memcpy(t->x6[t->nx6].base, sp.base, 16);
			t->x6[t->nx6].prefix = 128 - sp.host_bits;
			t->nx6++;
		}
	}
out:
	xh_free(sp.name);
	return st;
}

xh_status xh_targets_exclude(struct xh_targets *t, const char *spec, size_t n, struct xh_error *err)
{
	return exclude_one(t, spec, n, true, err);
}

xh_status xh_targets_add_list(struct xh_targets *t, const char *text, size_t n, bool exclude, struct xh_error *err)
{
	const char *p = text, *end = text + n;
	uint64_t lineno = 0;
	xh_status st = XH_OK;

	while (p < end && !st) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *hash = memchr(p, '#', (size_t)(le - p));
		struct xh_sv v = trim(p, (size_t)((hash ? hash : le) - p));

		lineno++;
		if (v.n) {
			st = exclude ? exclude_one(t, v.p, v.n, false, err) : xh_targets_add(t, v.p, v.n, err);
			if (st && err)
				err->line = lineno;
		}
		p = le + (nl ? 1 : 0);
	}
	if (exclude)
		merge4(t);
	return st;
}

size_t xh_targets_nspecs(const struct xh_targets *t)
{
	return t->nspecs;
}

static uint64_t spec_count(const struct xh_targets *t, const struct spec *sp)
{
	return ((uint64_t)1 << sp->host_bits) * (sp->has_port ? 1 : t->nports);
}

/* The index space ends at 2^62 so that positions and the permutation domain fit. */
#define SPACE_MAX ((uint64_t)1 << 62)

uint64_t xh_targets_count(const struct xh_targets *t)
{
	uint64_t n = 0;

	for (size_t i = 0; i < t->nspecs; i++) {
		uint64_t c = spec_count(t, &t->specs[i]);
		if (c > SPACE_MAX - n)
			return SPACE_MAX;
		n += c;
	}
	return n;
}

/* ---- scope checks ----------------------------------------------------------------------- */

static bool in_prefix(const uint8_t *a, const uint8_t *base, unsigned prefix)
{
	unsigned full = prefix / 8, rest = prefix % 8;

	if (memcmp(a, base, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((a[full] ^ base[full]) & (uint8_t)(0xFFu << (8 - rest))) == 0;
}

/* The special range holding the address, or NULL. */
static const struct special *special_of(int family, const uint8_t *a)
{
	for (size_t i = 0; i < XH_ARRAY_LEN(specials); i++)
		if (specials[i].family == family && in_prefix(a, specials[i].base, specials[i].prefix))
			return &specials[i];
	return NULL;
}

static bool user_excluded(const struct xh_targets *t, int family, const uint8_t *a)
{
	if (family == 4) {
		uint32_t v = get32(a);
		size_t lo = 0, hi = t->nx4;
		while (lo < hi) { /* last range with lo <= v */
			size_t mid = lo + (hi - lo) / 2;
			if (t->x4[mid].lo <= v)
				lo = mid + 1;
			else
				hi = mid;
		}
		return lo > 0 && v <= t->x4[lo - 1].hi;
	}
	for (size_t i = 0; i < t->nx6; i++)
		if (in_prefix(a, t->x6[i].base, t->x6[i].prefix))
			return true;
	return false;
}

static const char excluded_user[] = "excluded by --exclude";

/* ::ffff:a.b.c.d is judged as a.b.c.d. */
static int unmap(int family, const uint8_t *a, uint8_t *out)
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

	if (family == 6 && memcmp(a, mapped, 12) == 0) {
		memcpy(out, a + 12, 4);
		return 4;
	}
	memcpy(out, a, family == 4 ? 4 : 16);
	return family;
}

const char *xh_targets_refuse(const struct xh_targets *t, const struct xh_target *tg, int family,
                              const uint8_t *addr)
{
	uint8_t a[16], ta[16];
	const struct special *sp;
	int f, tf;

	if (family != 4 && family != 6)
		return "not an IP address";
	f = unmap(family, addr, a);
	sp = special_of(f, a);
	if (sp && sp->never)
		return sp->why;
	if (user_excluded(t, f, a))
		return excluded_user;
	if (!sp)
		return NULL;
	if (tg && tg->family && tg->exact) {
		tf = unmap(tg->family, tg->addr, ta);
		if (tf == f && memcmp(ta, a, f == 4 ? 4 : 16) == 0)
			return NULL; /* this very address was written out: taken as meant */
	}
	return sp->why;
}

/* ---- the walk ------------------------------------------------------------------------- */

#define FEISTEL_ROUNDS 6

struct xh_walk {
	const struct xh_targets *t;
	uint64_t *prefix;  /* nspecs + 1 */
	uint64_t n;        /* index space */
	uint64_t total;    /* positions in this shard */
	uint64_t next;     /* next shard position (skip included) */
	uint32_t shard, nshards;
	unsigned half;     /* bits per Feistel half */
	uint64_t half_mask;
	uint64_t keys[FEISTEL_ROUNDS];
};

/* splitmix64's finaliser: a strong 64-bit mix for the round function and the keys. */
static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t feistel(const struct xh_walk *w, uint64_t x)
{
	uint64_t l = x >> w->half, r = x & w->half_mask;

	for (int i = 0; i < FEISTEL_ROUNDS; i++) {
		uint64_t nl = r;
		r = (l ^ mix64(r ^ w->keys[i])) & w->half_mask;
		l = nl;
	}
	return l << w->half | r;
}

/* A bijection on [0, n): the Feistel network permutes [0, 4^half) and cycle walking
 * steps again while the image falls outside; 4^half < 4n, so that takes < 4 steps on
 * average. */
static uint64_t permute(const struct xh_walk *w, uint64_t p)
{
	do
		p = feistel(w, p);
	while (p >= w->n);
	return p;
}

xh_status xh_walk_new(const struct xh_targets *t, const struct xh_order *o, struct xh_walk **out)
{
	struct xh_walk *w;
	uint64_t n = 0;

	*out = NULL;
	if (o->nshards == 0 || o->shard >= o->nshards)
		return XH_EARG;
	w = xh_calloc(1, sizeof *w);
	if (!w)
		return XH_ENOMEM;
	w->prefix = xh_malloc((t->nspecs + 1) * sizeof *w->prefix);
	if (!w->prefix) {
		xh_free(w);
		return XH_ENOMEM;
	}
	for (size_t i = 0; i < t->nspecs; i++) {
		uint64_t c = spec_count(t, &t->specs[i]);
		w->prefix[i] = n;
		if (c > SPACE_MAX - n) {
			xh_free(w->prefix);
			xh_free(w);
			return XH_ELIMIT;
		}
		n += c;
	}
	w->prefix[t->nspecs] = n;
	w->t = t;
	w->n = n;
	w->shard = o->shard;
	w->nshards = o->nshards;
	w->total = n > o->shard ? (n - o->shard - 1) / o->nshards + 1 : 0;
	w->next = o->skip;
	w->half = 1;
	while (w->half < 31 && ((uint64_t)1 << (2 * w->half)) < n)
		w->half++;
	w->half_mask = ((uint64_t)1 << w->half) - 1;
	for (int i = 0; i < FEISTEL_ROUNDS; i++)
		w->keys[i] = mix64(o->seed ^ mix64((uint64_t)i + 0x9e3779b97f4a7c15ull));
	*out = w;
	return XH_OK;
}

void xh_walk_free(struct xh_walk *w)
{
	if (!w)
		return;
	xh_free(w->prefix);
	xh_free(w);
}

uint64_t xh_walk_total(const struct xh_walk *w)
{
	return w->total;
}

static void fill_target(const struct xh_walk *w, uint64_t idx, struct xh_target *tg)
{
	const struct xh_targets *t = w->t;
	size_t lo = 0, hi = t->nspecs;
	const struct spec *sp;
	uint64_t local, ai;

	while (hi - lo > 1) { /* the spec with prefix[s] <= idx < prefix[s + 1] */
		size_t mid = lo + (hi - lo) / 2;
		if (w->prefix[mid] <= idx)
			lo = mid;
		else
			hi = mid;
	}
	sp = &t->specs[lo];
	local = idx - w->prefix[lo];
	memset(tg, 0, sizeof *tg);
	tg->index = idx;
	if (sp->has_port) {
		ai = local;
		tg->port = sp->port;
		tg->scheme = sp->scheme;
		if (!sp->scheme_given) {
			/* host:port without a scheme: the scheme --ports gives that port, else
			 * HTTPS (HTTP for 80) */
			tg->scheme = sp->port == 80 ? XH_SCHEME_HTTP : XH_SCHEME_HTTPS;
			for (size_t i = 0; i < t->nports; i++)
				if (t->ports[i].port == sp->port)
					tg->scheme = t->ports[i].scheme;
		}
	} else {
		ai = local / t->nports;
		tg->port = t->ports[local % t->nports].port;
		tg->scheme = t->ports[local % t->nports].scheme;
	}
	tg->family = sp->family;
	tg->exact = sp->exact;
	if (sp->family == 0) {
		snprintf(tg->host, sizeof tg->host, "%s", sp->name);
		for (size_t i = 0; i < t->nxnames; i++)
			if (strcmp(t->xnames[i], sp->name) == 0)
				tg->excluded = excluded_user;
		return;
	}
	if (sp->family == 4) {
		put32(tg->addr, get32(sp->base) + (uint32_t)ai);
		inet_ntop(AF_INET, tg->addr, tg->host, sizeof tg->host);
	} else {
		memcpy(tg->addr, sp->base, 16);
		put32(tg->addr + 12, get32(sp->base + 12) + (uint32_t)ai); /* host bits <= 32 */
		inet_ntop(AF_INET6, tg->addr, tg->host, sizeof tg->host);
	}
	{
		const struct special *s = NULL;
		uint8_t a[16];
		int f = unmap(sp->family, tg->addr, a);
		s = special_of(f, a);
		if (s && s->never)
			tg->excluded = s->why;
		else if (user_excluded(t, f, a))
			tg->excluded = excluded_user;
		else if (s && !sp->exact)
			tg->excluded = s->why;
	}
}

bool xh_walk_next(struct xh_walk *w, struct xh_target *out)
{
	uint64_t p;

	if (w->next >= w->total)
		return false;
	p = (uint64_t)w->shard + w->next * w->nshards;
	fill_target(w, permute(w, p), out);
	out->position = w->next;
	w->next++;
	return true;
}
