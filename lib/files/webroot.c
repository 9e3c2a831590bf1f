/*
 * Place detection for the file checks (see webroot.h). A path is cut into components;
 * with a server path (origin) the drive letter is dropped, so the first component is the
 * drive's top folder:
 *
 *   C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\owa\auth\x.aspx
 *     -> install root "program files/microsoft/exchange server/v15" (it holds
 *        FrontEnd\HttpProxy), place Exchange front end, rel "frontend/httpproxy/owa/auth/x.aspx"
 *   uploads/auto/C%3A/inetpub/wwwroot/aspnet_client/system_web/a.aspx (origin C:\inetpub\...)
 *     -> places IIS web root and aspnet_client
 *   ProgramData/VSPerfMon/a.7z (no origin: the evidence is the drive itself)
 *     -> place ProgramData, sub "vsperfmon/a.7z"
 *
 * Install roots are found once per scan over every path of the evidence, by structure:
 * the folder above FrontEnd\HttpProxy, or above ClientAccess when Logging sits next to it
 * (a folder named ClientAccess elsewhere is not Exchange). Not a fixed path: C:\Exchange\
 * and D:\ roots were seen in the wild.
 */
#include "files/webroot.h"

#include <stdio.h>
#include <strings.h>

struct comps {
	const char *p[XH_FILES_MAX_COMPS];
	size_t n[XH_FILES_MAX_COMPS];
	size_t m;
	bool from_origin;
};

/* Splits origin ("C:\a\b") without its drive, or the evidence path ("a/b"). */
static void split(const char *path, const char *origin, struct comps *c)
{
	const char *s = origin ? origin : path;
	char sep = origin ? '\\' : '/';

	c->m = 0;
	c->from_origin = origin != NULL;
	if (origin && s[0] && s[1] == ':')
		s += 2;
	while (*s && c->m < XH_FILES_MAX_COMPS) {
		const char *e = strchr(s, sep);
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (n) {
			c->p[c->m] = s;
			c->n[c->m] = n;
			c->m++;
		}
		if (!e)
			break;
		s = e + 1;
	}
}

static bool eq(const struct comps *c, size_t i, const char *lit)
{
	size_t n = strlen(lit);
	return i < c->m && c->n[i] == n && strncasecmp(c->p[i], lit, n) == 0;
}

/* Lower-case '/'-join of components [from, to) into out (cap bytes, always terminated). */
static size_t join(const struct comps *c, size_t from, size_t to, char *out, size_t cap, char sep, bool lower)
{
	size_t k = 0;

	for (size_t i = from; i < to && k + 1 < cap; i++) {
		if (i > from && k + 1 < cap)
			out[k++] = sep;
		for (size_t j = 0; j < c->n[i] && k + 1 < cap; j++) {
			char ch = c->p[i][j];
			out[k++] = lower && ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
		}
	}
	out[k] = '\0';
	return k;
}

static struct xh_iroot *find_root(struct xh_webroots *w, const char *key)
{
	for (size_t i = 0; i < w->n; i++)
		if (strcmp(w->r[i].key, key) == 0)
			return &w->r[i];
	return NULL;
}

static bool is_root(const struct xh_iroot *r)
{
	return r && ((r->marks & 1) || (r->marks & 6) == 6);
}

static xh_status mark(struct xh_webroots *w, const struct comps *c, size_t j, unsigned bit, const char *path)
{
	char key[XH_MAX_PATH];
	struct xh_iroot *r;

	join(c, 0, j, key, sizeof key, '/', true);
	r = find_root(w, key);
	if (!r) {
		char show[XH_MAX_PATH];
		if (w->n == XH_FILES_MAX_ROOTS) {
			w->more = true;
			return XH_OK;
		}
		r = &w->r[w->n];
		r->key = xh_strdup(key);
		if (c->from_origin)
			snprintf(show, sizeof show, "%.2s\\", path);
		else
			show[0] = '\0';
		join(c, 0, j, show + strlen(show), sizeof show - strlen(show), c->from_origin ? '\\' : '/', false);
		r->show = xh_strdup(show[0] ? show : ".");
		if (!r->key || !r->show) {
			xh_free(r->key);
			xh_free(r->show);
			return XH_ENOMEM;
		}
		r->marks = 0;
		w->n++;
	}
	r->marks |= bit;
	return XH_OK;
}

/* The install root a component index j sits under, if the pre-pass found one there. */
static bool root_at(const struct xh_webroots *w, const struct comps *c, size_t j)
{
	char key[XH_MAX_PATH];
	join(c, 0, j, key, sizeof key, '/', true);
	for (size_t i = 0; i < w->n; i++)
		if (strcmp(w->r[i].key, key) == 0)
			return is_root(&w->r[i]);
	return false;
}

static void set_anchor(struct xh_place *pl, unsigned bit, size_t ncomps)
{
	unsigned b = 0;
	while ((1u << b) != bit)
		b++;
	pl->anchor[b] = (unsigned char)(ncomps > 255 ? 255 : ncomps);
}

/* Places at the top of a drive, by their leading folders; the path below them is the
 * place's sub. A path must have more than `above` components (a file in C:\Users itself
 * is in no user's folder). */
static const struct {
	const char *comps[5];        /* NULL-terminated, any case */
	size_t above;
	unsigned flag;
	const char *kind;            /* the place in words */
} drive_places[] = {
	{{"programdata", NULL}, 1, XH_PL_PROGRAMDATA, "ProgramData"},
	{{"users", "all users", NULL}, 2, XH_PL_PROGRAMDATA, "ProgramData (Users\\All Users)"},
	{{"users", "public", NULL}, 2, XH_PL_USERS_PUBLIC, "Users\\Public"},
	{{"users", NULL}, 2, XH_PL_USERS, "Users"},
	{{"windows", "temp", NULL}, 2, XH_PL_WINDOWS_TEMP, "Windows\\Temp"},
	{{"windows", "system32", "inetsrv", "config", NULL}, 4, XH_PL_INETSRV_CONFIG, "IIS configuration"},
	{{"root", NULL}, 1, XH_PL_C_ROOT, "C:\\root"},
};

void xh_place_of(const struct xh_webroots *w, const char *path, const char *origin, struct xh_place *pl)
{
	struct comps c;
	size_t m, ex = SIZE_MAX, sub_from = SIZE_MAX;
	bool www = false;
	const char *kind = NULL;
	char folder[160];

	split(path, origin, &c);
	pl->flags = 0;
	memset(pl->anchor, 0, sizeof pl->anchor);
	pl->rel[0] = pl->sub[0] = pl->where[0] = '\0';
	pl->rel_folder = 0;
	pl->name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	m = c.m;
	if (m == 0)
		return;
	for (size_t j = 0; j + 1 < m; j++) {
		if (ex == SIZE_MAX && eq(&c, j, "frontend") && j + 2 < m && eq(&c, j + 1, "httpproxy") &&
		    (root_at(w, &c, j) || w->more)) {
			ex = j;
			pl->flags |= XH_PL_EXCHANGE | XH_PL_EX_FRONTEND;
			set_anchor(pl, XH_PL_EX_FRONTEND, j + 2);
			if (j + 3 < m && eq(&c, j + 3, "auth") && (eq(&c, j + 2, "owa") || eq(&c, j + 2, "ecp")))
				pl->flags |= XH_PL_EX_AUTH;
			if (eq(&c, j + 2, "oab"))
				pl->flags |= XH_PL_EX_OAB;
		} else if (ex == SIZE_MAX && eq(&c, j, "clientaccess") && root_at(w, &c, j)) {
			ex = j;
			pl->flags |= XH_PL_EXCHANGE | XH_PL_EX_CLIENTACCESS;
			set_anchor(pl, XH_PL_EX_CLIENTACCESS, j + 1);
		}
		if (eq(&c, j, "aspnet_client") && !(pl->flags & XH_PL_ASPNET_CLIENT)) {
			pl->flags |= XH_PL_ASPNET_CLIENT;
			set_anchor(pl, XH_PL_ASPNET_CLIENT, j + 1);
		}
		if (!www && eq(&c, j, "inetpub") && j + 2 < m && eq(&c, j + 1, "wwwroot")) {
			www = true;
			pl->flags |= XH_PL_WWWROOT;
			set_anchor(pl, XH_PL_WWWROOT, j + 2);
			if (j + 3 == m)
				pl->flags |= XH_PL_WWWROOT_TOP;
		}
		if (eq(&c, j, "temporary asp.net files") && !(pl->flags & XH_PL_TEMP_ASPNET)) {
			pl->flags |= XH_PL_TEMP_ASPNET;
			set_anchor(pl, XH_PL_TEMP_ASPNET, j + 1);
		}
	}
	/* drive-level folders: the first row that holds */
	for (size_t i = 0; i < XH_ARRAY_LEN(drive_places) && sub_from == SIZE_MAX; i++) {
		size_t k = 0;
		while (drive_places[i].comps[k] && eq(&c, k, drive_places[i].comps[k]))
			k++;
		if (m > drive_places[i].above && !drive_places[i].comps[k]) {
			pl->flags |= drive_places[i].flag;
			sub_from = k;
			kind = drive_places[i].kind;
		}
	}
	if (sub_from != SIZE_MAX) {
		join(&c, sub_from, m, pl->sub, sizeof pl->sub, '/', true);
		for (unsigned b = 0; b < XH_PL_COUNT; b++)
			if ((1u << b) & (XH_PL_PROGRAMDATA | XH_PL_USERS | XH_PL_USERS_PUBLIC | XH_PL_WINDOWS_TEMP |
			                 XH_PL_INETSRV_CONFIG | XH_PL_C_ROOT) & pl->flags)
				pl->anchor[b] = (unsigned char)(sub_from > 255 ? 255 : sub_from);
	}
	if (ex != SIZE_MAX) {
		const char *slash;
		join(&c, ex, m, pl->rel, sizeof pl->rel, '/', true);
		slash = strrchr(pl->rel, '/');
		pl->rel_folder = slash ? (size_t)(slash - pl->rel) : 0;
		join(&c, ex, m - 1, folder, sizeof folder, '\\', false);
		snprintf(pl->where, sizeof pl->where, "Exchange %s (%s)",
		         pl->flags & XH_PL_EX_FRONTEND ? "front end" : "back end", folder);
	} else if (pl->flags & XH_PL_ASPNET_CLIENT) {
		snprintf(pl->where, sizeof pl->where, "aspnet_client");
	} else if (pl->flags & XH_PL_WWWROOT) {
		snprintf(pl->where, sizeof pl->where, "IIS web root (inetpub\\wwwroot)");
	} else if (pl->flags & XH_PL_TEMP_ASPNET) {
		snprintf(pl->where, sizeof pl->where, "Temporary ASP.NET Files");
	} else if (kind) {
		snprintf(pl->where, sizeof pl->where, "%s", kind);
	}
}

xh_status xh_webroots_build(struct xh_webroots *w, size_t n,
                            void (*at)(void *ud, size_t i, const char **path, const char **origin), void *ud)
{
	struct comps c;
	struct xh_place *pl = xh_malloc(sizeof *pl);
	xh_status st = XH_OK;

	memset(w, 0, sizeof *w);
	if (!pl)
		return XH_ENOMEM;
	for (size_t i = 0; i < n && !st; i++) {
		const char *path, *origin;
		at(ud, i, &path, &origin);
		split(path, origin, &c);
		for (size_t j = 0; j + 1 < c.m && !st; j++) {
			if (eq(&c, j, "frontend") && eq(&c, j + 1, "httpproxy"))
				st = mark(w, &c, j, 1, origin ? origin : path);
			else if (eq(&c, j, "clientaccess"))
				st = mark(w, &c, j, 2, origin ? origin : path);
			else if (eq(&c, j, "logging"))
				st = mark(w, &c, j, 4, origin ? origin : path);
		}
	}
	/* keep only the real roots */
	if (!st) {
		size_t k = 0;
		for (size_t i = 0; i < w->n; i++) {
			if (is_root(&w->r[i])) {
				w->r[k++] = w->r[i];
			} else {
				xh_free(w->r[i].key);
				xh_free(w->r[i].show);
			}
		}
		w->n = k;
	}
	for (size_t i = 0; i < n && !st; i++) {
		const char *path, *origin;
		at(ud, i, &path, &origin);
		xh_place_of(w, path, origin, pl);
		for (unsigned b = 0; b < XH_PL_COUNT; b++) {
			if (!(pl->flags & (1u << b)))
				continue;
			if (!w->seen[b]++) {
				/* the place's own folder, as the evidence shows it */
				char show[XH_MAX_PATH];
				size_t k = 0;
				split(path, origin, &c);
				if (origin)
					k = (size_t)snprintf(show, sizeof show, "%.2s\\", origin);
				join(&c, 0, pl->anchor[b] ? pl->anchor[b] : c.m - 1, show + k, sizeof show - k,
				     origin ? '\\' : '/', false);
				w->seen_show[b] = xh_strdup(show);
				if (!w->seen_show[b])
					st = XH_ENOMEM;
			}
		}
	}
	xh_free(pl);
	return st;
}

void xh_webroots_free(struct xh_webroots *w)
{
	for (size_t i = 0; i < w->n; i++) {
		xh_free(w->r[i].key);
		xh_free(w->r[i].show);
	}
	for (unsigned b = 0; b < XH_PL_COUNT; b++)
		xh_free(w->seen_show[b]);
	memset(w, 0, sizeof *w);
}

void xh_webroots_describe(const struct xh_webroots *w, char *out, size_t cap)
{
	static const struct {
		unsigned bit;
		const char *name;
	} places[] = {
		{XH_PL_WWWROOT, "IIS web root"},          {XH_PL_ASPNET_CLIENT, "aspnet_client"},
		{XH_PL_TEMP_ASPNET, "Temporary ASP.NET Files"}, {XH_PL_PROGRAMDATA, "ProgramData"},
		{XH_PL_WINDOWS_TEMP, "Windows\\Temp"},   {XH_PL_C_ROOT, "C:\\root"},
		{XH_PL_USERS_PUBLIC, "Users\\Public"},    {XH_PL_INETSRV_CONFIG, "IIS configuration"},
	};
	size_t k = 0, lacking = 0;

	out[0] = '\0';
	if (w->n == 0)
		k += (size_t)snprintf(out + k, cap - k, "no Exchange install root (FrontEnd\\HttpProxy, ClientAccess "
		                                         "with Logging) in the evidence");
	for (size_t i = 0; i < w->n && k < cap; i++)
		k += (size_t)snprintf(out + k, cap - k, "%sExchange install root %.120s (%s%s%s)", i ? "; " : "",
		                      w->r[i].show, w->r[i].marks & 1 ? "FrontEnd\\HttpProxy" : "",
		                      w->r[i].marks & 2 ? (w->r[i].marks & 1 ? ", ClientAccess" : "ClientAccess") : "",
		                      w->r[i].marks & 4 ? ", Logging" : "");
	for (size_t i = 0; i < XH_ARRAY_LEN(places) && k < cap; i++) {
		unsigned b = 0;
		while ((1u << b) != places[i].bit)
			b++;
		if (w->seen[b])
			k += (size_t)snprintf(out + k, cap - k, "; %s (%.80s)", places[i].name, w->seen_show[b]);
	}
	for (size_t i = 0; i < XH_ARRAY_LEN(places) && k < cap; i++) {
		unsigned b = 0;
		while ((1u << b) != places[i].bit)
			b++;
		if (!w->seen[b])
			k += (size_t)snprintf(out + k, cap - k, "%s%s", lacking++ ? ", " : "; not in the evidence: ",
			                      places[i].name);
	}
}
