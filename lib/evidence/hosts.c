/*
 * The hosts of the evidence: one per server's collection. A collection is the folder
 * above a layout's drive folder (layout.c): "EXCH01/C/inetpub/...", a KAPE target folder,
 * a Velociraptor collection ("F.C123/uploads/auto/C%3A/..."), or a client of a hunt's
 * download ("clients/C.1a2b/collections/F.x/uploads/..."); several collections of one
 * client or one name are one host. An EVIDENCE root without a layout (a folder of logs,
 * a single log file) is one host; files of a root outside its collections make one more.
 *
 * Names, in this order: the caller's (--host NAME=PATH); what the collector wrote
 * (Velociraptor's client_info.json or collection_context.json, example
 * {"client_id":"C.1a2b","hostname":"EXCH01",...}; KAPE's *_ConsoleLog.txt, example
 * "System info: Machine name: EXCH01, 64-bit: True"); the collection's folder; for a
 * single file, the server its records name (the scan does that: from_content).
 */
#include "evidence/hosts.h"

#include <stdlib.h>
#include <strings.h>

bool xh_host_name_ok(const char *s, size_t n)
{
	if (n == 0 || n > XH_MAX_HOST_NAME || s[0] == '.' || s[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		      c == '_' || c == '.'))
			return false;
	}
	return true;
}

/* The string value of "key": in a JSON text (the first occurrence, any case), as a view
 * into text; a value with escapes is refused (host names have none). */
static bool json_string(const char *text, size_t n, const char *key, struct xh_sv *out)
{
	size_t k = strlen(key);

	for (size_t i = 0; i + k + 2 < n; i++) {
		size_t j;
		if (text[i] != '"' || strncasecmp(text + i + 1, key, k) != 0 || text[i + 1 + k] != '"')
			continue;
		j = i + k + 2;
		while (j < n && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r' || text[j] == '\n'))
			j++;
		if (j >= n || text[j] != ':')
			continue;
		for (j++; j < n && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r' || text[j] == '\n'); j++)
			;
		if (j >= n || text[j] != '"')
			continue;
		for (size_t e = j + 1; e < n && e - j <= XH_MAX_HOST_NAME + 1; e++) {
			if (text[e] == '\\')
				return false;
			if (text[e] == '"') {
				*out = xh_sv_make(text + j + 1, e - j - 1);
				return true;
			}
		}
		return false;
	}
	return false;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

bool xh_collector_hostname(const char *base, const char *text, size_t n, char *out, size_t cap)
{
	static const char *const keys[] = {"Hostname", "Fqdn"};
	struct xh_sv v = {NULL, 0};

	if (strcasecmp(base, "client_info.json") == 0 || strcasecmp(base, "collection_context.json") == 0) {
		for (size_t i = 0; i < XH_ARRAY_LEN(keys) && !v.p; i++)
			if (!json_string(text, n, keys[i], &v))
				v.p = NULL;
	} else if (ends_with(base, "_ConsoleLog.txt")) {
		static const char key[] = "Machine name: ";
		for (size_t i = 0; i + sizeof key - 1 < n; i++) {
			if (memcmp(text + i, key, sizeof key - 1) != 0)
				continue;
			size_t s = i + sizeof key - 1, e = s;
			while (e < n && e - s <= XH_MAX_HOST_NAME && text[e] != ',' && text[e] != '\r' && text[e] != '\n')
				e++;
			v = xh_sv_make(text + s, e - s);
			break;
		}
	}
	if (!v.p || !xh_host_name_ok(v.p, v.n) || v.n >= cap)
		return false;
	memcpy(out, v.p, v.n);
	out[v.n] = '\0';
	return true;
}

/* ---- building the table ------------------------------------------------------------- */

/* A collection folder found in the walk: root and evidence-relative folder. */
struct coll {
	uint32_t root;
	char *folder;
};

static int cmp_coll(const void *a, const void *b)
{
	const struct coll *x = a, *y = b;
	if (x->root != y->root)
		return x->root < y->root ? -1 : 1;
	return strcmp(x->folder, y->folder);
}

static bool folder_holds(const char *folder, const char *path)
{
	size_t k = strlen(folder);
	return k == 0 || (strncmp(path, folder, k) == 0 && path[k] == '/');
}

/* The innermost collection of root holding path: the greatest folder sorting at or
 * before path that holds it (a folder holding path sorts before it; walking back over a
 * few siblings that sort between finds an outer one). SIZE_MAX when none. */
static size_t innermost(const struct coll *c, size_t nc, uint32_t root, const char *path)
{
	size_t lo = 0, hi = nc;

	while (lo < hi) { /* first folder sorting after (root, path) */
		size_t mid = lo + (hi - lo) / 2;
		if (c[mid].root < root || (c[mid].root == root && strcmp(c[mid].folder, path) <= 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo, steps = 0; i-- > 0 && c[i].root == root && steps < XH_MAX_HOST_LOOKBACK; steps++)
		if (folder_holds(c[i].folder, path))
			return i;
	return SIZE_MAX;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* The name of a root's own host: its file or folder name, a zip's without ".zip". */
static char *root_name(const struct xh_root *rt)
{
	const char *b;
	size_t n = strlen(rt->arg);

	while (n > 1 && rt->arg[n - 1] == '/')
		n--;
	b = rt->arg + n;
	while (b > rt->arg && b[-1] != '/')
		b--;
	n = (size_t)(rt->arg + n - b);
	if (rt->type == XH_ROOT_ZIP && n > 4 && strncasecmp(b + n - 4, ".zip", 4) == 0)
		n -= 4;
	return xh_strndup(b, n);
}

static xh_status add_host(struct xh_vfs *v, size_t *cap, uint32_t root, const char *folder, uint32_t *out)
{
	struct xh_evhost *h;
	xh_status st;

	if (v->nhosts >= XH_MAX_HOSTS)
		return XH_ELIMIT;
	if ((st = xh_grow((void **)&v->hosts, cap, v->nhosts + 1, sizeof *v->hosts)) != XH_OK)
		return st;
	h = &v->hosts[v->nhosts];
	memset(h, 0, sizeof *h);
	/* counted at once: what is made below is freed with the table if the rest fails */
	*out = (uint32_t)v->nhosts++;
	h->root = root;
	/* a root's own host: its files' paths start with the root's prefix (several roots) */
	h->folder = xh_strdup(folder[0] ? folder : v->roots[root].prefix);
	if (!h->folder)
		return XH_ENOMEM;
	if (folder[0] && strcmp(folder, v->roots[root].prefix) != 0) {
		const char *b = base_name(folder);
		h->name = xh_strdup(b);
		h->named_by = "folder name";
	} else if (v->roots[root].type == XH_ROOT_FILE) {
		/* a lone log file: named by the server its records name, after the scan */
		h->name = xh_strdup("unknown");
		h->named_by = "unknown";
		h->from_content = true;
	} else {
		h->name = root_name(&v->roots[root]);
		h->named_by = "folder name";
	}
	return h->name ? XH_OK : XH_ENOMEM;
}

/* The path a host's collection has as the caller wrote it: the root's argument, and the
 * folder below it. */
static bool given_path_is(const struct xh_vfs *v, const struct xh_evhost *h, const char *want)
{
	const struct xh_root *rt = &v->roots[h->root];
	const char *rel = h->folder;
	size_t an = strlen(rt->arg), wn = strlen(want);

	while (an > 1 && rt->arg[an - 1] == '/')
		an--;
	while (wn > 1 && want[wn - 1] == '/')
		wn--;
	/* folders of a root carry its name first when there are several roots */
	if (rt->prefix[0] && strncmp(rel, rt->prefix, strlen(rt->prefix)) == 0) {
		rel += strlen(rt->prefix);
		rel += *rel == '/';
	}
	if (!rel[0])
		return an == wn && strncmp(rt->arg, want, an) == 0;
	return wn == an + 1 + strlen(rel) && strncmp(want, rt->arg, an) == 0 && want[an] == '/' &&
	       strncmp(want + an + 1, rel, strlen(rel)) == 0;
}

/* Reads a collector's metadata file (entry i) and renames host h from it. */
static void name_from_metadata(struct xh_vfs *v, size_t i, struct xh_evhost *h)
{
	static const char *const what[] = {"Velociraptor client info", "KAPE console log"};
	struct xh_opened o;
	struct xh_src src;
	const char *why;
	char buf[XH_MAX_COLLECTOR_META + 1], name[XH_MAX_HOST_NAME + 1];
	size_t len = 0;

	xh_opened_init(&o);
	if (xh_vfs_open(v, i, &o, &src, &why) == XH_OK) {
		ssize_t got;
		while (len < XH_MAX_COLLECTOR_META &&
		       (got = src.read(src.ctx, buf + len, XH_MAX_COLLECTOR_META - len, &why)) > 0)
			len += (size_t)got;
	}
	xh_opened_free(&o);
	buf[len] = '\0';
	if (xh_collector_hostname(base_name(v->e[i].path), buf, len, name, sizeof name)) {
		char *dup = xh_strdup(name);
		if (dup) {
			xh_free(h->name);
			h->name = dup;
			h->named_by = what[ends_with(v->e[i].path, ".txt")];
			h->from_content = false;
		}
	}
}

static bool is_metadata(const char *path)
{
	const char *b = base_name(path);
	return strcasecmp(b, "client_info.json") == 0 || strcasecmp(b, "collection_context.json") == 0 ||
	       ends_with(b, "_ConsoleLog.txt");
}

/* Two collections of one name (one server collected twice, a client's several flows)
 * are one host: later ones fold into the first. */
static void merge_same_names(struct xh_vfs *v)
{
	uint32_t *to = xh_calloc(v->nhosts ? v->nhosts : 1, sizeof *to);
	size_t w = 0;

	if (!to)
		return; /* without memory the hosts stay apart: still correct, only not merged */
	for (size_t i = 0; i < v->nhosts; i++) {
		size_t k = 0;
		while (k < w && strcasecmp(v->hosts[k].name, v->hosts[i].name) != 0)
			k++;
		if (k < w && !v->hosts[i].from_content && !v->hosts[k].from_content) {
			to[i] = (uint32_t)k;
			xh_free(v->hosts[i].name);
			xh_free(v->hosts[i].folder);
			continue;
		}
		to[i] = (uint32_t)w;
		v->hosts[w++] = v->hosts[i];
	}
	v->nhosts = w;
	for (size_t e = 0; e < v->n; e++)
		v->e[e].host = to[v->e[e].host];
	xh_free(to);
}

xh_status xh_hosts_build(struct xh_vfs *v, const struct xh_host_name *names, size_t nnames, struct xh_error *err)
{
	struct coll *c = NULL;
	size_t nc = 0, ccap = 0, hcap = 0;
	uint32_t *root_host = NULL, *chost = NULL;
	xh_status st = XH_OK;

	/* 1. the collection folders the layouts show, sorted and distinct */
	for (size_t i = 0; i < v->n; i++) {
		ssize_t k = xh_layout_collection(v->e[i].path);
		if (k < 0 || (nc && c[nc - 1].root == v->e[i].root && strlen(c[nc - 1].folder) == (size_t)k &&
		              strncmp(c[nc - 1].folder, v->e[i].path, (size_t)k) == 0))
			continue;
		if ((st = xh_grow((void **)&c, &ccap, nc + 1, sizeof *c)) != XH_OK)
			goto out;
		c[nc].root = v->e[i].root;
		if (!(c[nc].folder = xh_strndup(v->e[i].path, (size_t)k))) {
			st = XH_ENOMEM;
			goto out;
		}
		nc++;
	}
	if (nc > 1)
		qsort(c, nc, sizeof *c, cmp_coll);
	{
		size_t w = 0;
		for (size_t i = 0; i < nc; i++) {
			if (w && c[w - 1].root == c[i].root && strcmp(c[w - 1].folder, c[i].folder) == 0)
				xh_free(c[i].folder);
			else
				c[w++] = c[i];
		}
		nc = w;
	}
	/* 2. a host per collection; each entry to the innermost collection holding it, else
	 * to its root's own host (made when first needed) */
	root_host = xh_malloc((v->nroots ? v->nroots : 1) * sizeof *root_host);
	chost = xh_malloc((nc ? nc : 1) * sizeof *chost);
	if (!root_host || !chost) {
		st = XH_ENOMEM;
		goto out;
	}
	for (size_t r = 0; r < v->nroots; r++)
		root_host[r] = UINT32_MAX;
	for (size_t i = 0; i < nc && !st; i++)
		st = add_host(v, &hcap, c[i].root, c[i].folder, &chost[i]);
	for (size_t e = 0, last = SIZE_MAX; e < v->n && !st; e++) {
		size_t i = SIZE_MAX;
		if (last != SIZE_MAX && c[last].root == v->e[e].root && folder_holds(c[last].folder, v->e[e].path))
			i = last; /* entries come grouped by collection */
		else
			i = innermost(c, nc, v->e[e].root, v->e[e].path);
		if (i != SIZE_MAX) {
			v->e[e].host = chost[i];
			last = i;
			continue;
		}
		if (root_host[v->e[e].root] == UINT32_MAX)
			st = add_host(v, &hcap, v->e[e].root, "", &root_host[v->e[e].root]);
		v->e[e].host = root_host[v->e[e].root];
	}
	/* a root with no file at all still is a host (its verdict says nothing was read) */
	for (size_t r = 0; r < v->nroots && !st; r++) {
		bool has = root_host[r] != UINT32_MAX;
		for (size_t i = 0; i < nc && !has; i++)
			has = c[i].root == r;
		if (!has)
			st = add_host(v, &hcap, (uint32_t)r, "", &root_host[r]);
	}
	if (st)
		goto out;
	/* 3. names: the collector's metadata in a collection's own folder, then the caller's */
	for (size_t e = 0; e < v->n; e++) {
		struct xh_evhost *h = &v->hosts[v->e[e].host];
		size_t fl = strlen(h->folder);
		const char *b = base_name(v->e[e].path);
		if (!v->e[e].skip && is_metadata(b) && b == v->e[e].path + (fl ? fl + 1 : 0))
			name_from_metadata(v, e, h);
	}
	for (size_t k = 0; k < nnames; k++) {
		bool found = false;
		for (size_t i = 0; i < v->nhosts; i++) {
			char *dup;
			if (!given_path_is(v, &v->hosts[i], names[k].path))
				continue;
			if (!(dup = xh_strdup(names[k].name))) {
				st = XH_ENOMEM;
				goto out;
			}
			xh_free(v->hosts[i].name);
			v->hosts[i].name = dup;
			v->hosts[i].named_by = "--host";
			v->hosts[i].from_content = false;
			found = true;
		}
		if (!found) {
			st = xh_fail(err, XH_ENOTFOUND, names[k].path, 0, 0,
			             "--host %.64s: no collection of the evidence is at this path", names[k].name);
			goto out;
		}
	}
	merge_same_names(v);
out:
	for (size_t i = 0; i < nc; i++)
		xh_free(c[i].folder);
	xh_free(c);
	xh_free(root_host);
	xh_free(chost);
	return st;
}
