/*
 * Names and places (indicators.md 3.1, 3.2, 4.1; place_rules.h): anything in
 * aspnet_client, shell names of the campaigns, random-looking names, scripts where only a
 * rogue vdir serves them, LSASS dumps, staging archives, the tools and folders of section
 * 4.1. Each check is a predicate and a row of place_rules[] below; the rows' order is
 * their precedence among equals. A row that gives way to another (a memory dump that is
 * already an LSASS dump by its name) says so by calling that row's predicate, which
 * stands above it. Places come from webroot.c, names words from names.c.
 */
#include "files/place_rules.h"
#include "files/names.h"

#include <strings.h>

/* Script page names of the campaigns (indicators.md 3.2), lower case. Judged only in
 * Exchange web folders, aspnet_client and Windows\Temp, where they are no product file. */
static const char *const shell_names[] = {
	"web.aspx", "help.aspx", "document.aspx", "erroree.aspx", "erroreee.aspx", "errorew.aspx", "errorff.aspx",
	"healthcheck.aspx", "aspnet_www.aspx", "aspnet_client.aspx", "xx.aspx", "shell.aspx", "aspnet_iisstart.aspx",
	"one.aspx", "8lw7tahf9i1pjnro.aspx", "outlookzh.aspx", "authhead.aspx", "bob.aspx", "one1.aspx",
	"errorpage.aspx", "errorpages.aspx", "fatal-erro.aspx", "log.aspx", "logg.aspx", "logout.aspx", "shel.aspx",
	"shel2.aspx", "shel90.aspx", "a.aspx", "default.aspx", "server.aspx", "aspnet_pages.aspx", "default1.aspx",
	"errorcheck.aspx", "iispage.aspx", "s.aspx", "session.aspx", "xclkmcfldfi948398430fdjkfdkj.aspx",
	"discover.aspx", "httpproxy.aspx", "outlooken.aspx", "supp0rt.aspx", "services.aspx", "aspnettest.aspx",
	"shellex.aspx", "t.aspx", "error.aspx", "aspnet.aspx", "client.aspx", "caches.aspx", "dukybyssss.aspx",
	"aspnet_regiis.aspx", "log_error_9e23efc3.aspx", "aspnet_error.aspx", "iistart.aspx", "iisstart.aspx",
	"0qwysexe.aspx", "devpclup.aspx", "load.aspx", "sol.aspx", "redirsuiteserverproxy.aspx", "multiup.aspx",
	"errorfs.aspx", "outlookus.aspx", "outlookru.aspx", "outlookde.aspx", "exchange.aspx", "aa.aspx",
	"system_web.aspx", "x.aspx", "cmd.aspx", "erroraa.aspx", "zntwv.aspx", "fexppw.aspx", "getpp.aspx",
	"err0r.aspx", "win.ashx", "928ccfacbe.aspx", "2xjhwn19.aspx", "uwspmsfi.aspx", "hwtjqdmfvmpoon.aspx",
	"d62ffcd688.aspx", "415cc41ac1.aspx", "6514f55e1a.aspx", "volwmfqwpp.aspx", "570221043.aspx",
	"689193944.aspx", "luifdecggoqmansn.aspx", "owafonts.aspx", NULL,
};

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int cls(char c)
{
	return c >= '0' && c <= '9' ? 0 : c >= 'a' && c <= 'z' ? 1 : 2;
}

/* A generated name: 8 alnum in system_web, 10 hex or 10-16 capitals (ProxyShell drops),
 * or letters and digits mixed the way random strings mix them. Words (OutlookCN,
 * RedirSuiteServiceProxy, errorFE) have no digits or few class changes. */
static bool random_name(const char *name, unsigned flags)
{
	const char *dot = strrchr(name, '.');
	size_t n = dot ? (size_t)(dot - name) : strlen(name), digits = 0, upper = 0, changes = 0;
	bool hex = true;

	if (n < 8 || n > 40)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!is_alnum(c))
			return false;
		digits += c >= '0' && c <= '9';
		upper += c >= 'A' && c <= 'Z';
		hex = hex && (cls(c) == 0 || (c >= 'a' && c <= 'f'));
		if (i && cls(c) != cls(name[i - 1]))
			changes++;
	}
	if ((flags & XH_PL_EX_AUTH) && ((n == 10 && hex && digits) || (upper == n && n >= 10 && n <= 16)))
		return true;
	if (!digits || digits == n)
		return false;
	return changes >= 4 || n >= 20;
}

static bool has_magic(const unsigned char *b, size_t n, const char *magic, size_t m)
{
	return n >= m && memcmp(b, magic, m) == 0;
}

static bool is_archive(const unsigned char *b, size_t n, const char *name)
{
	static const char *const exts[] = {".zip", ".7z", ".rar", ".cab", NULL};
	return has_magic(b, n, "PK\x03\x04", 4) || has_magic(b, n, "7z\xBC\xAF\x27\x1C", 6) ||
	       has_magic(b, n, "Rar!\x1A\x07", 6) || has_magic(b, n, "MSCF", 4) || xh_files_ext_in(name, exts);
}

void xh_files_subject_init(struct xh_files_subject *s, const struct xh_place *pl, const char *lpath,
                           const unsigned char *buf, size_t len, bool stock_path)
{
	s->pl = pl;
	s->name = pl->name;
	s->flags = pl->flags;
	s->sub = pl->sub;
	s->lpath = lpath;
	s->buf = buf;
	s->len = len;
	s->script = xh_files_ext_in(pl->name, xh_files_script_exts);
	s->stock_path = stock_path;
	s->mdmp = has_magic(buf, len, "MDMP", 4);
}

/* ---- the predicates, in the order of the rows ------------------------------------------------ */

static bool shell_name(const struct xh_files_subject *s)
{
	return s->script && !s->stock_path && (s->flags & (XH_PL_EX_FRONTEND | XH_PL_ASPNET_CLIENT | XH_PL_WINDOWS_TEMP)) &&
	       xh_files_in_list(s->name, shell_names);
}

/* A page in ProgramData\COM1\ and the like: the folder a ProxyShell-era rogue vdir serves. */
static bool device_folder(const struct xh_files_subject *s)
{
	const char *sl = strchr(s->sub, '/');
	return s->script && (s->flags & XH_PL_PROGRAMDATA) && sl && xh_files_device_name(s->sub, (size_t)(sl - s->sub));
}

static bool dump_cab_in_webroot(const struct xh_files_subject *s)
{
	return (s->flags & XH_PL_WWWROOT) && xh_files_ends_with(s->name, ".dmp.zip");
}

static bool fake_opera(const struct xh_files_subject *s)
{
	return (s->flags & XH_PL_USERS_PUBLIC) && strcmp(s->sub, "opera/opera_browser.exe") == 0;
}

/* An archive or mailbox export (PST) under the name of a static web file. */
static bool disguised_archive(const struct xh_files_subject *s)
{
	static const char *const static_exts[] = {".png", ".jpg", ".jpeg", ".gif", ".ico", ".css", ".js", ".htm",
	                                          ".html", ".txt", ".svg", ".bmp", ".woff", NULL};
	return (s->flags & XH_PL_WEB) && xh_files_ext_in(s->name, static_exts) &&
	       (has_magic(s->buf, s->len, "PK\x03\x04", 4) || has_magic(s->buf, s->len, "7z\xBC\xAF\x27\x1C", 6) ||
	        has_magic(s->buf, s->len, "Rar!\x1A\x07", 6) || has_magic(s->buf, s->len, "!BDN", 4));
}

/* LSASS dumps by name, anywhere (lsass*dmp). */
static bool lsass_name(const struct xh_files_subject *s)
{
	size_t nl = strlen(s->name);
	return nl >= 9 && strncasecmp(s->name, "lsass.", 6) == 0 && strcasecmp(s->name + nl - 3, "dmp") == 0;
}

static bool aspnet_script(const struct xh_files_subject *s)
{
	return s->script && (s->flags & XH_PL_ASPNET_CLIENT);
}

static bool random_page(const struct xh_files_subject *s)
{
	return s->script && !s->stock_path && (s->flags & (XH_PL_EX_FRONTEND | XH_PL_ASPNET_CLIENT | XH_PL_WWWROOT)) &&
	       random_name(s->name, s->flags);
}

static bool outside_web(const struct xh_files_subject *s)
{
	return s->script &&
	       (s->flags & (XH_PL_PROGRAMDATA | XH_PL_USERS | XH_PL_USERS_PUBLIC | XH_PL_WINDOWS_TEMP | XH_PL_C_ROOT)) &&
	       !device_folder(s);
}

static bool vsperfmon(const struct xh_files_subject *s)
{
	return (s->flags & XH_PL_PROGRAMDATA) && strncmp(s->sub, "vsperfmon/", 10) == 0;
}

static bool temp_tool(const struct xh_files_subject *s)
{
	return ((s->flags & XH_PL_WINDOWS_TEMP) && (strcmp(s->sub, "xx.bat") == 0 || strcmp(s->sub, "cw.exe") == 0)) ||
	       strstr(s->lpath, "/windows/wwansvcdcs");
}

static bool it_zip(const struct xh_files_subject *s)
{
	return (s->flags & XH_PL_PROGRAMDATA) && strcmp(s->sub, "it.zip") == 0;
}

static bool wwwroot_top(const struct xh_files_subject *s)
{
	return s->script && (s->flags & XH_PL_WWWROOT_TOP);
}

/* ASP.NET 1.x client scripts (*.js) once lived in aspnet_client: not those. */
static bool aspnet_other(const struct xh_files_subject *s)
{
	return !s->script && (s->flags & XH_PL_ASPNET_CLIENT) && strcasecmp(xh_files_ext(s->name), ".js") != 0;
}

/* A minidump by its signature where attackers write (Windows Error Reporting's own
 * folder in ProgramData aside), unless its name already says LSASS. */
static bool mdmp_place(const struct xh_files_subject *s)
{
	return s->mdmp && !lsass_name(s) &&
	       ((s->flags & (XH_PL_WINDOWS_TEMP | XH_PL_C_ROOT | XH_PL_WEB | XH_PL_USERS_PUBLIC)) ||
	        ((s->flags & XH_PL_PROGRAMDATA) && !strstr(s->sub, "microsoft/windows/wer/")));
}

static bool c_root(const struct xh_files_subject *s)
{
	return (s->flags & XH_PL_C_ROOT) && !lsass_name(s) && !mdmp_place(s);
}

static bool public_drop(const struct xh_files_subject *s)
{
	static const char *const drop_exts[] = {".dll", ".vbs", ".ps1", ".bat", ".hta", ".com", ".exe", NULL};
	return (s->flags & XH_PL_USERS_PUBLIC) && xh_files_ext_in(s->name, drop_exts) && !fake_opera(s);
}

static bool archive_in_programdata(const struct xh_files_subject *s)
{
	return (s->flags & XH_PL_PROGRAMDATA) && is_archive(s->buf, s->len, s->name) && !it_zip(s);
}

/* ---- the rows: order = precedence among equals ----------------------------------------------- */

const struct xh_files_place_rule xh_files_place_rules[] = {
	{.holds = shell_name, .level = XH_LEVEL_CRITICAL, .id = "FS-WEB-06", .name = "file-known-shell-name",
	 .tags = "attack.t1505.003",
	 .title = "script page named like a web shell of the Exchange campaigns (Microsoft, MSTIC, ESET, Huntress lists)"},
	{.holds = device_folder, .level = XH_LEVEL_CRITICAL, .id = "FS-WEB-10", .name = "file-script-in-device-folder",
	 .tags = "attack.t1505.003",
	 .title = "script page in a device-named ProgramData folder (COM1, CON, AUX...): ProxyShell-era rogue vdir target"},
	{.holds = dump_cab_in_webroot, .level = XH_LEVEL_CRITICAL, .id = "PX-03", .name = "file-dump-cab-in-webroot",
	 .tags = "attack.t1003.001 attack.t1560.001",
	 .title = "dump packed with makecab (.dmp.zip) in the web root"},
	{.holds = fake_opera, .level = XH_LEVEL_CRITICAL, .id = "PX-05", .name = "file-fake-opera",
	 .tags = "",
	 .title = "fake Opera browser in Users\\Public\\opera (Cobalt Strike loader, MSTIC/ESET)"},
	{.holds = disguised_archive, .level = XH_LEVEL_CRITICAL, .id = "PX-09", .name = "file-disguised-archive",
	 .tags = "attack.t1560.001 attack.t1114",
	 .title = "archive or mailbox export named as a web file in a web folder: staged for download"},
	{.holds = lsass_name, .level = XH_LEVEL_HIGH, .id = "PX-01", .name = "file-lsass-dump",
	 .tags = "attack.t1003.001",
	 .title = "LSASS dump by its name (lsass*dmp)"},
	{.holds = aspnet_script, .level = XH_LEVEL_HIGH, .id = "FS-WEB-04", .name = "file-script-in-aspnet-client",
	 .tags = "attack.t1505.003",
	 .title = "script page in aspnet_client, a folder that normally holds no files at all"},
	{.holds = random_page, .level = XH_LEVEL_HIGH, .id = "FS-WEB-07", .name = "file-random-name",
	 .tags = "attack.t1505.003",
	 .title = "script page with a random-looking name in a web folder"},
	{.holds = outside_web, .level = XH_LEVEL_HIGH, .id = "FS-WEB-09", .name = "file-script-outside-web-root",
	 .tags = "attack.t1505.003",
	 .title = "script page in ProgramData, a user folder, Windows\\Temp or C:\\root: only a rogue virtual directory serves it"},
	{.holds = vsperfmon, .level = XH_LEVEL_HIGH, .id = "PX-06", .name = "file-vsperfmon",
	 .tags = "attack.persistence",
	 .title = "file in ProgramData\\VSPerfMon, the HAFNIUM tool and staging folder"},
	{.holds = temp_tool, .level = XH_LEVEL_HIGH, .id = "PX-04", .name = "file-temp-tool",
	 .tags = "",
	 .title = "tool of the March 2021 intrusions (xx.bat, cw.exe in Windows\\Temp, Windows\\WwanSvcdcs)"},
	{.holds = it_zip, .level = XH_LEVEL_HIGH, .id = "PX-02", .name = "file-archive-known-name",
	 .tags = "attack.t1560.001",
	 .title = "C:\\ProgramData\\it.zip: the staging archive name of the March 2021 intrusions"},
	{.holds = wwwroot_top, .level = XH_LEVEL_MEDIUM, .id = "FS-WEB-08", .name = "file-script-in-site-root",
	 .tags = "attack.t1505.003",
	 .title = "script page in the Default Web Site root (inetpub\\wwwroot): Exchange puts none there"},
	{.holds = aspnet_other, .level = XH_LEVEL_MEDIUM, .id = "FS-WEB-05", .name = "file-in-aspnet-client",
	 .tags = "",
	 .title = "file in aspnet_client, a folder that normally holds no files at all"},
	{.holds = mdmp_place, .level = XH_LEVEL_MEDIUM, .id = "PX-01", .name = "file-memory-dump",
	 .tags = "attack.t1003.001",
	 .title = "memory dump (MDMP) in a place attackers write to"},
	{.holds = c_root, .level = XH_LEVEL_MEDIUM, .id = "PX-01", .name = "file-in-c-root",
	 .tags = "",
	 .title = "file in C:\\root, a folder the March 2021 intrusions made for LSASS dumps"},
	{.holds = public_drop, .level = XH_LEVEL_MEDIUM, .id = "PX-11", .name = "file-users-public-drop",
	 .tags = "",
	 .title = "executable or script in Users\\Public"},
	{.holds = archive_in_programdata, .level = XH_LEVEL_LOW, .id = "PX-02", .name = "file-archive-in-programdata",
	 .tags = "attack.t1560.001",
	 .title = "archive in ProgramData (product files too: raised when anything else was found)"},
};

const size_t xh_files_nplace_rules = XH_ARRAY_LEN(xh_files_place_rules);
