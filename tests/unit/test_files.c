/*
 * The file checks module by module: digests against published test vectors, the
 * known-bad list and allow-list parsers (and their errors), look-alike names, place
 * detection and install roots by structure, every name and place rule row on the cases
 * made for it, the IIS configuration checks, each shipped YARA rule on a synthetic file
 * made for it (and not on benign Exchange-like pages), and a whole scan through the
 * public API with a custom allow-list: a listed (path, hash) says nothing, a changed byte
 * is reported, a stock-looking page with an unknown name gets the "not a Microsoft file"
 * wording and no shell verdict.
 */
#define _GNU_SOURCE
#include "files/allowlist.h"
#include "files/appconfig.h"
#include "check.h"
#include "files/tap.h"
#include "files/hashes.h"
#include "files/place_rules.h"
#include "common/decode.h"
#include "evidence/vfs.h"
#include "files/webroot.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- hashes --------------------------------------------------------------------------- */

static void test_digests(void)
{
	struct xh_digest d;
	struct xh_hashes h;
	char hex[65];

	CHECK(xh_digest_init(&d) == XH_OK);
	CHECK(xh_digest_begin(&d, true) == XH_OK);
	xh_digest_update(&d, "a", 1);
	xh_digest_update(&d, "bc", 2);
	xh_digest_end(&d, &h);
	CHECK(h.have[XH_HASH_SHA256] && h.have[XH_HASH_SHA1] && h.have[XH_HASH_MD5]);
	xh_hex(h.v[XH_HASH_SHA256], 32, hex);
	CHECK(strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0);
	xh_hex(h.v[XH_HASH_SHA1], 20, hex);
	CHECK(strcmp(hex, "a9993e364706816aba3e25717850c26c9cd0d89d") == 0);
	xh_hex(h.v[XH_HASH_MD5], 16, hex);
	CHECK(strcmp(hex, "900150983cd24fb0d6963f7d28e17f72") == 0);
	/* reused for the next file, MD5/SHA-1 dropped half way (a large file) */
	CHECK(xh_digest_begin(&d, true) == XH_OK);
	xh_digest_update(&d, "abc", 3);
	xh_digest_drop(&d, false);
	xh_digest_end(&d, &h);
	CHECK(h.have[XH_HASH_SHA256] && !h.have[XH_HASH_SHA1] && !h.have[XH_HASH_MD5]);
	xh_hex(h.v[XH_HASH_SHA256], 32, hex);
	CHECK(strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0);
	xh_digest_free(&d);
}

static void test_badlist(void)
{
	static const char good[] = "# c\nalgorithm,hash,kind,name,source\n"
	                           "md5,900150983cd24fb0d6963f7d28e17f72,webshell,abc shell,test\r\n"
	                           "sha256,ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad,tool,abc tool,test\n";
	struct xh_badlist l;
	struct xh_hashes h;
	struct xh_error err;
	enum xh_hash_algo by;
	const struct xh_badhash *b;

	memset(&l, 0, sizeof l);
	CHECK(xh_badlist_load(&l, "t", good, sizeof good - 1, &err) == XH_OK);
	xh_badlist_finish(&l);
	CHECK(l.n == 2);
	memset(&h, 0, sizeof h);
	h.have[XH_HASH_MD5] = true;
	CHECK(xh_unhex("900150983cd24fb0d6963f7d28e17f72", 32, h.v[XH_HASH_MD5], 16));
	b = xh_badlist_find(&l, &h, &by);
	CHECK(b && by == XH_HASH_MD5 && strcmp(b->name, "abc shell") == 0);
	h.v[XH_HASH_MD5][0] ^= 1;
	CHECK(xh_badlist_find(&l, &h, &by) == NULL);
	xh_badlist_free(&l);

	memset(&l, 0, sizeof l);
	CHECK(xh_badlist_load(&l, "t", "algorithm,hash,kind,name,source\nsha1,abcd,tool,x,y\n", 51, &err) == XH_EFORMAT);
	CHECK(err.line == 2);
	xh_badlist_free(&l);
	memset(&l, 0, sizeof l);
	CHECK(xh_badlist_load(&l, "t", "hash,algorithm\n", 15, &err) == XH_EFORMAT && err.line == 1);
	xh_badlist_free(&l);
}

/* ---- allow-list and look-alikes --------------------------------------------------------- */

#define SHA_A "00000000000000000000000000000000000000000000000000000000000000aa"
#define SHA_B "00000000000000000000000000000000000000000000000000000000000000bb"

static const char list[] =
	"# test list\n"
	"FrontEnd\\HttpProxy\\owa\\auth\\logon.aspx\t" SHA_A " " SHA_B "\n"
	"frontend/httpproxy/owa/auth/RedirSuiteServiceProxy.aspx\t" SHA_A "\n"
	"frontend/httpproxy/owa/auth/errorFE.aspx\t" SHA_A "\n"
	"frontend/httpproxy/owa/auth/OutlookCN.aspx\t" SHA_A "\n"
	"frontend/httpproxy/ecp/auth/TimeoutLogout.aspx\t" SHA_A "\n"
	"frontend/httpproxy/owa/global.asax\t" SHA_A "\n"
	"frontend/httpproxy/ecp/global.asax\t" SHA_A "\n"
	"clientaccess/ecp/about.aspx\t" SHA_A "\n";

static void test_allowlist(void)
{
	struct xh_allow a;
	struct xh_error err;
	unsigned char sa[32], sb[32], sc[32];
	bool same;
	const char *like;

	memset(&a, 0, sizeof a);
	CHECK(xh_allow_load(&a, "t", list, sizeof list - 1, &err) == XH_OK);
	CHECK(xh_allow_load(&a, "t2", list, sizeof list - 1, &err) == XH_OK); /* duplicates merge */
	CHECK(xh_allow_finish(&a) == XH_OK);
	CHECK(a.npaths == 8 && a.n == 9);
	xh_unhex(SHA_A, 64, sa, 32);
	xh_unhex(SHA_B, 64, sb, 32);
	memcpy(sc, sa, 32);
	sc[31] ^= 0x55;
	CHECK(xh_allow_check(&a, "frontend/httpproxy/owa/auth/logon.aspx", sa) == XH_ALLOW_LISTED);
	CHECK(xh_allow_check(&a, "frontend/httpproxy/owa/auth/logon.aspx", sb) == XH_ALLOW_LISTED);
	CHECK(xh_allow_check(&a, "frontend/httpproxy/owa/auth/logon.aspx", sc) == XH_ALLOW_OTHER_HASH);
	CHECK(xh_allow_check(&a, "frontend/httpproxy/owa/auth/logon.aspx", NULL) == XH_ALLOW_OTHER_HASH);
	CHECK(xh_allow_check(&a, "frontend/httpproxy/owa/auth/shell.aspx", sa) == XH_ALLOW_UNKNOWN_PATH);
	CHECK(xh_allow_check(&a, "frontend/httpproxy/owa/auth/logon.asp", sa) == XH_ALLOW_UNKNOWN_PATH);

	like = xh_allow_lookalike(&a, "frontend/httpproxy/owa/auth", "RedirSuiteServerProxy.aspx", &same);
	CHECK(like && strcmp(like, "frontend/httpproxy/owa/auth/redirsuiteserviceproxy.aspx") == 0 && !same);
	like = xh_allow_lookalike(&a, "frontend/httpproxy/owa/auth", "errorEE.aspx", &same);
	CHECK(like && strstr(like, "errorfe.aspx") && !same);
	like = xh_allow_lookalike(&a, NULL, "OutlookEN.aspx", &same);
	CHECK(like && strstr(like, "outlookcn.aspx") && !same);
	like = xh_allow_lookalike(&a, "frontend/httpproxy/owa/auth", "TimeoutLogout.aspx", &same);
	CHECK(like && strstr(like, "ecp/auth/timeoutlogout.aspx") && same);
	CHECK(xh_allow_lookalike(&a, "frontend/httpproxy/ecp/auth", "TimeoutLogout.aspx", &same) == NULL);
	CHECK(xh_allow_lookalike(&a, "frontend/httpproxy/ecp", "global.asax", &same) == NULL);
	CHECK(xh_allow_lookalike(&a, "frontend/httpproxy/owa/auth", "logon.aspx", &same) == NULL);
	CHECK(xh_allow_lookalike(&a, "frontend/httpproxy/owa/auth", "portal.aspx", &same) == NULL);
	CHECK(xh_allow_lookalike(&a, "frontend/httpproxy/owa/auth", "errorFE.ashx", &same) == NULL); /* other type */
	xh_allow_free(&a);

	CHECK(xh_edit_distance("errorEE", 7, "errorfe", 7, 2) == 1);
	CHECK(xh_edit_distance("RedirSuiteServerProxy", 21, "redirsuiteserviceproxy", 22, 3) == 3);
	CHECK(xh_edit_distance("ab", 2, "ba", 2, 2) == 1);
	CHECK(xh_edit_distance("abcdef", 6, "xyz", 3, 2) == 3);

	memset(&a, 0, sizeof a);
	CHECK(xh_allow_load(&a, "bad", "x.aspx 1234\n", 12, &err) == XH_EFORMAT && err.line == 1);
	xh_allow_free(&a);
	memset(&a, 0, sizeof a);
	CHECK(xh_allow_load(&a, "bad", "# c\nx.aspx\t12zz\n", 16, &err) == XH_EFORMAT && err.line == 2);
	xh_allow_free(&a);
}

/* ---- places --------------------------------------------------------------------------- */

static const char *const tree[] = {
	"C/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/x.aspx",
	"C/Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Owa/a.log",
	"C/inetpub/wwwroot/aspnet_client/system_web/a.aspx",
	"C/inetpub/wwwroot/web.config",
	"C/ProgramData/VSPerfMon/a.7z",
	"D/apps/ClientAccess/ecp/page.aspx",          /* ClientAccess alone: not Exchange */
	"E/Exchange/ClientAccess/ecp/about.aspx",      /* ClientAccess next to Logging: Exchange */
	"E/Exchange/Logging/ECP/x.log",
	"loose.aspx",
};

static void at_tree(void *ud, size_t i, const char **path, const char **origin)
{
	char **origins = ud;
	*path = tree[i];
	*origin = origins[i];
}

static void test_places(void)
{
	char *origins[XH_ARRAY_LEN(tree)];
	struct xh_webroots w;
	struct xh_place *pl = malloc(sizeof *pl);
	char line[768];

	for (size_t i = 0; i < XH_ARRAY_LEN(tree); i++)
		origins[i] = xh_path_origin(tree[i]);
	CHECK(origins[0] && strcmp(origins[0], "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\x.aspx") == 0);
	CHECK(pl && xh_webroots_build(&w, XH_ARRAY_LEN(tree), at_tree, origins) == XH_OK);
	CHECK(w.n == 2);

	xh_place_of(&w, tree[0], origins[0], pl);
	CHECK(pl->flags & XH_PL_EXCHANGE && pl->flags & XH_PL_EX_FRONTEND && pl->flags & XH_PL_EX_AUTH);
	CHECK(strcmp(pl->rel, "frontend/httpproxy/owa/auth/x.aspx") == 0 && pl->rel_folder == 27);
	CHECK(strcmp(pl->name, "x.aspx") == 0 && strstr(pl->where, "FrontEnd\\HttpProxy\\owa\\auth"));
	xh_place_of(&w, tree[2], origins[2], pl);
	CHECK((pl->flags & (XH_PL_ASPNET_CLIENT | XH_PL_WWWROOT)) == (XH_PL_ASPNET_CLIENT | XH_PL_WWWROOT));
	CHECK(!(pl->flags & XH_PL_WWWROOT_TOP) && !(pl->flags & XH_PL_EXCHANGE));
	xh_place_of(&w, tree[3], origins[3], pl);
	CHECK(pl->flags & XH_PL_WWWROOT_TOP);
	xh_place_of(&w, tree[4], origins[4], pl);
	CHECK(pl->flags == XH_PL_PROGRAMDATA && strcmp(pl->sub, "vsperfmon/a.7z") == 0);
	xh_place_of(&w, tree[5], origins[5], pl);
	CHECK(pl->flags == 0);
	xh_place_of(&w, tree[6], origins[6], pl);
	CHECK(pl->flags & XH_PL_EX_CLIENTACCESS && strcmp(pl->rel, "clientaccess/ecp/about.aspx") == 0);
	xh_place_of(&w, tree[8], origins[8], pl);
	CHECK(pl->flags == 0 && strcmp(pl->name, "loose.aspx") == 0);
	/* a Velociraptor upload path decodes to the same server path */
	{
		const char *vr = "uploads/auto/C%3A/Windows/Temp/lsass.dmp";
		char *o = xh_path_origin(vr);
		xh_place_of(&w, vr, o, pl);
		CHECK(pl->flags == XH_PL_WINDOWS_TEMP && strcmp(pl->sub, "lsass.dmp") == 0);
		free(o);
	}
	/* evidence that is the drive itself: no origin, the first folder is the top */
	xh_place_of(&w, "Users/Public/opera/Opera_browser.exe", NULL, pl);
	CHECK(pl->flags == XH_PL_USERS_PUBLIC && strcmp(pl->sub, "opera/opera_browser.exe") == 0);
	xh_webroots_describe(&w, line, sizeof line);
	CHECK(strstr(line, "Exchange install root C:\\Program Files\\Microsoft\\Exchange Server\\V15 (FrontEnd\\HttpProxy, Logging)"));
	CHECK(strstr(line, "aspnet_client (C:\\inetpub\\wwwroot\\aspnet_client)"));
	CHECK(strstr(line, "not in the evidence: Temporary ASP.NET Files"));
	xh_webroots_free(&w);
	for (size_t i = 0; i < XH_ARRAY_LEN(tree); i++)
		free(origins[i]);
	free(pl);
}

/* ---- the name and place rules, row by row ---------------------------------------------- */

/* Each case: a file as the evidence holds it (the drive itself, no server path), its first
 * bytes, whether Microsoft ships a file at its Exchange path, and the rows that hold for it
 * (space separated, in row order). Every row must hold in some case: a new row comes with
 * its cases here. */
static const struct {
	const char *path;
	const char *data;
	size_t n;
	bool stock;
	const char *rows;
} place_cases[] = {
	{"Exchange/V15/FrontEnd/HttpProxy/owa/auth/shell.aspx", "", 0, false, "file-known-shell-name"},
	{"Exchange/V15/FrontEnd/HttpProxy/owa/auth/shell.aspx", "", 0, true, ""},
	{"Exchange/V15/FrontEnd/HttpProxy/owa/auth/x7Kq2mP9aB3.aspx", "", 0, false, "file-random-name"},
	{"Exchange/V15/FrontEnd/HttpProxy/owa/auth/0a1b2c3d4e.aspx", "", 0, false, "file-random-name"},
	{"Exchange/V15/FrontEnd/HttpProxy/owa/auth/OutlookCN.aspx", "", 0, false, ""},
	{"inetpub/wwwroot/aspnet_client/system_web/a8Bc7dE6f.aspx", "", 0, false,
	 "file-script-in-aspnet-client file-random-name"},
	{"inetpub/wwwroot/aspnet_client/x.txt", "", 0, false, "file-in-aspnet-client"},
	{"inetpub/wwwroot/aspnet_client/x.js", "", 0, false, ""},
	{"inetpub/wwwroot/top.aspx", "", 0, false, "file-script-in-site-root"},
	{"inetpub/wwwroot/x.dmp.zip", "PK\x03\x04", 4, false, "file-dump-cab-in-webroot"},
	{"inetpub/wwwroot/img.png", "PK\x03\x04", 4, false, "file-disguised-archive"},
	{"inetpub/wwwroot/pst.css", "!BDN", 4, false, "file-disguised-archive"},
	{"inetpub/wwwroot/img.png", "\x89PNG", 4, false, ""},
	{"inetpub/wwwroot/m.bin", "MDMP", 4, false, "file-memory-dump"},
	{"ProgramData/COM1/a.aspx", "", 0, false, "file-script-in-device-folder"},
	{"ProgramData/LPT3/a.aspx", "", 0, false, "file-script-in-device-folder"},
	{"ProgramData/COM10/a.aspx", "", 0, false, "file-script-outside-web-root"},
	{"ProgramData/b.aspx", "", 0, false, "file-script-outside-web-root"},
	{"ProgramData/VSPerfMon/a.7z", "7z\xBC\xAF\x27\x1C", 6, false, "file-vsperfmon file-archive-in-programdata"},
	{"ProgramData/it.zip", "PK\x03\x04", 4, false, "file-archive-known-name"},
	{"ProgramData/x.cab", "", 0, false, "file-archive-in-programdata"},
	{"ProgramData/Microsoft/Windows/WER/x.dmp", "MDMP", 4, false, ""},
	{"ProgramData/mm.dmp", "MDMP", 4, false, "file-memory-dump"},
	{"Users/All Users/x.bin", "Rar!\x1A\x07", 6, false, "file-archive-in-programdata"},
	{"Windows/Temp/lsass.dmp", "MDMP", 4, false, "file-lsass-dump"},
	{"Windows/Temp/xx.bat", "", 0, false, "file-temp-tool"},
	{"Windows/WwanSvcdcs/a.exe", "MZ", 2, false, "file-temp-tool"},
	{"Windows/Temp/help.aspx", "", 0, false, "file-known-shell-name file-script-outside-web-root"},
	{"Users/Public/opera/Opera_browser.exe", "MZ", 2, false, "file-fake-opera"},
	{"Users/Public/x.ps1", "", 0, false, "file-users-public-drop"},
	{"Users/bob/p.aspx", "", 0, false, "file-script-outside-web-root"},
	{"root/lsass.dmp", "MDMP", 4, false, "file-lsass-dump"},
	{"root/m.bin", "MDMP", 4, false, "file-memory-dump"},
	{"root/x.txt", "", 0, false, "file-in-c-root"},
	{"loose/shell.aspx", "", 0, false, ""},
};

static void at_place_case(void *ud, size_t i, const char **path, const char **origin)
{
	(void)ud;
	*path = place_cases[i].path;
	*origin = NULL;
}

static void test_place_rules(void)
{
	struct xh_webroots w;
	struct xh_place *pl = malloc(sizeof *pl);
	bool *held = calloc(xh_files_nplace_rules, sizeof *held);

	CHECK(pl && held && xh_webroots_build(&w, XH_ARRAY_LEN(place_cases), at_place_case, NULL) == XH_OK);
	CHECK(w.n == 1);
	for (size_t i = 0; i < xh_files_nplace_rules; i++) {
		const struct xh_files_place_rule *r = &xh_files_place_rules[i];
		CHECK(r->holds && r->id && r->name && r->title && r->tags);
		for (size_t j = 0; j < i; j++)
			CHECK(strcmp(r->name, xh_files_place_rules[j].name) != 0);
	}
	for (size_t c = 0; c < XH_ARRAY_LEN(place_cases); c++) {
		struct xh_files_subject s;
		char lpath[256], got[512] = "";
		size_t k = 0, g = 0;

		xh_place_of(&w, place_cases[c].path, NULL, pl);
		lpath[k++] = '/';
		for (const char *p = place_cases[c].path; *p && k + 1 < sizeof lpath; p++)
			lpath[k++] = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
		lpath[k] = '\0';
		xh_files_subject_init(&s, pl, lpath, (const unsigned char *)place_cases[c].data, place_cases[c].n,
		                      place_cases[c].stock);
		for (size_t i = 0; i < xh_files_nplace_rules; i++)
			if (xh_files_place_rules[i].holds(&s)) {
				held[i] = true;
				g += (size_t)snprintf(got + g, sizeof got - g, "%s%s", g ? " " : "", xh_files_place_rules[i].name);
			}
		CHECK(strcmp(got, place_cases[c].rows) == 0);
		if (strcmp(got, place_cases[c].rows) != 0)
			fprintf(stderr, "  %s: \"%s\", not \"%s\"\n", place_cases[c].path, got, place_cases[c].rows);
	}
	for (size_t i = 0; i < xh_files_nplace_rules; i++) {
		CHECK(held[i]);
		if (!held[i])
			fprintf(stderr, "  place rule %s holds in no case\n", xh_files_place_rules[i].name);
	}
	xh_webroots_free(&w);
	free(held);
	free(pl);
}

/* ---- configuration ---------------------------------------------------------------------- */

struct cfg_seen {
	char ids[16][64];
	enum xh_level level[16];
	uint64_t line[16];
	char title[16][200];
	char phys[16][128];
	size_t n;
};

static xh_status on_cfg(void *ud, const struct xh_cfg_hit *h)
{
	struct cfg_seen *s = ud;
	if (s->n < 16) {
		snprintf(s->ids[s->n], sizeof s->ids[0], "%s/%s", h->rule_id, h->rule_name);
		s->level[s->n] = h->level;
		s->line[s->n] = h->line;
		snprintf(s->title[s->n], sizeof s->title[0], "%s", h->title);
		snprintf(s->phys[s->n], sizeof s->phys[0], "%s", h->phys ? h->phys : "");
		s->n++;
	}
	return XH_OK;
}

static const char apphost[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
	"<configuration>\r\n"
	"  <!-- <virtualDirectory path=\"/\" physicalPath=\"C:\\ProgramData\\commented\" /> -->\r\n"
	"  <system.applicationHost>\r\n"
	"    <sites>\r\n"
	"      <site name=\"Default Web Site\" id=\"1\">\r\n"
	"        <application path=\"/\" applicationPool=\"DefaultAppPool\">\r\n"
	"          <virtualDirectory path=\"/\" physicalPath=\"%SystemDrive%\\inetpub\\wwwroot\" />\r\n"
	"        </application>\r\n"
	"        <application path=\"/COM1\"><virtualDirectory path=\"/\" physicalPath=\"%SystemDrive%\\ProgramData\\COM1\\\" /></application>\r\n"
	"        <application path=\"/tools\"><virtualDirectory path=\"/\" physicalPath=\"C:/ProgramData/Tools\" /></application>\r\n"
	"        <application path=\"/u\"><virtualDirectory path=\"/\" physicalPath='c:\\Users\\bob\\web' /></application>\r\n"
	"      </site>\r\n"
	"    </sites>\r\n"
	"  </system.applicationHost>\r\n"
	"  <system.webServer><handlers>\r\n"
	"    <add name=\"png\" path=\"*.png\" verb=\"*\" type=\"System.Web.UI.PageHandlerFactory\" />\r\n"
	"    <add name=\"aspx\" path=\"*.aspx\" verb=\"*\" type=\"System.Web.UI.PageHandlerFactory\" />\r\n"
	"  </handlers></system.webServer>\r\n"
	"</configuration>\r\n";

static const char mitigated[] =
	"<configuration><system.webServer><rewrite><rules>\n"
	"<rule name=\"X-AnonResource-Backend Abort - inbound\" stopProcessing=\"true\"><match url=\".*\" />\n"
	"<conditions><add input=\"{HTTP_COOKIE}\" pattern=\"(.*)X-AnonResource-Backend(.*)\" /></conditions>\n"
	"<action type=\"AbortRequest\" /></rule>\n"
	"<rule name=\"X-BEResource Abort - inbound\" stopProcessing=\"true\"><match url=\".*\" />\n"
	"<conditions><add input=\"{HTTP_COOKIE}\" pattern=\"(.*)X-BEResource=(.+)/(.+)~(.+)\" /></conditions>\n"
	"<action type=\"AbortRequest\" /></rule>\n"
	"<rule name=\"PowerShell - inbound\" stopProcessing=\"true\"><match url=\".*\" />\n"
	"<conditions><add input=\"{UrlDecode:{REQUEST_URI}}\" pattern=\"(?=.*autodiscover)(?=.*powershell)\" /></conditions>\n"
	"<action type=\"AbortRequest\" /></rule>\n"
	"</rules></rewrite></system.webServer></configuration>\n";

static void test_appconfig(void)
{
	struct cfg_seen s;
	static const char early[] =
		"<rules><rule name=\"block\"><match url=\".*\" /><conditions>"
		"<add input=\"{REQUEST_URI}\" pattern=\".*autodiscover\\.json.*\\@.*Powershell.*\" /></conditions>"
		"<action type=\"CustomResponse\" /></rule></rules>";
	static const char disabled[] =
		"<rules><rule name=\"PowerShell - inbound\" enabled=\"false\"><match url=\".*\" /><conditions>"
		"<add input=\"{UrlDecode:{REQUEST_URI}}\" pattern=\"(?=.*autodiscover)(?=.*powershell)\" /></conditions>"
		"<action type=\"AbortRequest\" /></rule></rules>";
	static const char cleared[] = "<configuration><system.webServer><rewrite><rules>\n  <clear />\n</rules></rewrite>";

	memset(&s, 0, sizeof s);
	CHECK(xh_cfg_check(apphost, sizeof apphost - 1, XH_CFG_SITE_LEVEL, on_cfg, &s) == XH_OK);
	CHECK(s.n == 6);
	CHECK(strcmp(s.ids[0], "PS-06/config-rogue-vdir") == 0 && s.level[0] == XH_LEVEL_CRITICAL && s.line[0] == 10);
	CHECK(strcmp(s.phys[0], "c:\\programdata\\com1") == 0);
	CHECK(strcmp(s.ids[1], "PS-06/config-rogue-vdir") == 0 && s.level[1] == XH_LEVEL_HIGH && s.line[1] == 11);
	CHECK(strcmp(s.phys[1], "c:\\programdata\\tools") == 0);
	CHECK(s.level[2] == XH_LEVEL_MEDIUM && s.line[2] == 12);
	CHECK(strcmp(s.ids[3], "CF-01/config-static-extension-as-script") == 0 && s.line[3] == 17);
	CHECK(strcmp(s.ids[4], "PL-55-05/config-proxylogon-mitigation") == 0 && strstr(s.title[4], "absent"));
	CHECK(strcmp(s.ids[5], "PNS-02/config-proxynotshell-mitigation") == 0 && strstr(s.title[5], "absent"));

	memset(&s, 0, sizeof s);
	CHECK(xh_cfg_check(mitigated, sizeof mitigated - 1, XH_CFG_SITE_LEVEL, on_cfg, &s) == XH_OK);
	CHECK(s.n == 2 && strstr(s.title[0], "ProxyLogon mitigation present") && s.line[0] == 2);
	CHECK(strstr(s.title[1], "final form") && s.line[1] == 8 && s.level[1] == XH_LEVEL_INFORMATIONAL);
	/* not a site-level file: said only when present */
	memset(&s, 0, sizeof s);
	CHECK(xh_cfg_check(apphost, sizeof apphost - 1, 0, on_cfg, &s) == XH_OK && s.n == 4);
	memset(&s, 0, sizeof s);
	CHECK(xh_cfg_check(early, sizeof early - 1, 0, on_cfg, &s) == XH_OK);
	CHECK(s.n == 1 && strstr(s.title[0], "first form"));
	memset(&s, 0, sizeof s);
	CHECK(xh_cfg_check(disabled, sizeof disabled - 1, 0, on_cfg, &s) == XH_OK);
	CHECK(s.n == 1 && strstr(s.title[0], "disabled"));
	memset(&s, 0, sizeof s);
	CHECK(xh_cfg_check(cleared, sizeof cleared - 1, XH_CFG_HTTPPROXY, on_cfg, &s) == XH_OK);
	CHECK(s.n == 1 && strcmp(s.ids[0], "PNS-02/config-rewrite-rules-cleared") == 0 && s.line[0] == 2);
	/* cut and malformed input ends quietly */
	for (size_t n = 0; n < sizeof apphost - 1; n += 7) {
		memset(&s, 0, sizeof s);
		CHECK(xh_cfg_check(apphost, n, XH_CFG_SITE_LEVEL, on_cfg, &s) == XH_OK);
	}
	memset(&s, 0, sizeof s);
	CHECK(xh_cfg_check("<<<virtualDirectory physicalPath=\"c:\\programdata\\x", 51, 0, on_cfg, &s) == XH_OK && s.n == 0);
}

/* ---- whole file checks on buffers -------------------------------------------------------- */

struct found {
	char rule[16][96];
	char family[16][128];
	enum xh_level level[16];
	size_t n;
};

static xh_status collect(void *ud, const struct xh_finding *f)
{
	struct found *fd = ud;
	if (fd->n < 16) {
		snprintf(fd->rule[fd->n], sizeof fd->rule[0], "%s", f->rule_name ? f->rule_name : f->rule_id);
		fd->family[fd->n][0] = '\0';
		for (size_t i = 0; i < f->nfields; i++)
			if (strcmp(f->fields[i].name, "family") == 0)
				snprintf(fd->family[fd->n], sizeof fd->family[0], "%.*s", (int)f->fields[i].value.n,
				         f->fields[i].value.p);
		fd->level[fd->n] = f->level;
		fd->n++;
	}
	return XH_OK;
}

static const char *const scan_paths[] = {"x/loose.bin"};

static void at_scan(void *ud, size_t i, const char **path, const char **origin)
{
	(void)ud;
	*path = scan_paths[i];
	*origin = NULL;
}

/* Runs the checks on one buffer named path; returns the first finding's rule in *fd. */
static void check_buf(struct xh_files_worker *w, const char *path, const void *p, size_t n, struct found *fd)
{
	struct xh_files_file f = {path, NULL, 0, false, n, xh_source_find("unknown")};
	struct xh_files_counts st = {0, 0, 0};

	memset(fd, 0, sizeof *fd);
	CHECK(xh_files_begin(w, &f) == XH_OK);
	xh_files_feed(w, p, n);
	CHECK(xh_files_check(w, true, false, collect, fd, &st) == XH_OK);
	CHECK(st.checked == 1);
}

static void test_rules_on_buffers(void)
{
	static const struct {
		const char *what, *path;
		const char *data;
		size_t n;
		const char *rule;
		enum xh_level level;
	} cases[] = {
		{"chopper", "a.txt", "<%@ Page Language=\"Jscript\"%><%eval(Request.Item[\"k\"],\"unsafe\");%>", 0,
		 "exh_chopper_eval_request", XH_LEVEL_CRITICAL},
		{"chopper script block", "a.txt",
		 "<script language=\"JScript\" runat=\"server\">function Page_Load(){eval (Request[\"k\"],\"unsafe\");}</script>", 0,
		 "exh_chopper_eval_request", XH_LEVEL_CRITICAL},
		{"chopper base64", "a.txt",
		 "<%@ Page Language=\"Jscript\" Debug=true%><%eval(System.Text.Encoding.UTF8.GetString(System.Convert.FromBase64String(Request.Item[\"z\"])),\"unsafe\");%>",
		 0, "exh_chopper_eval_base64", XH_LEVEL_CRITICAL},
		{"chopper obfuscated", "a.txt",
		 "<%@ Page Language=\"JScript\"%><%var _0x3a1f=['Item','orange','unsafe','Request'];eval(x);%>", 0,
		 "exh_chopper_obfuscated", XH_LEVEL_CRITICAL},
		{"tiny jscript", "a.txt", "<%@ Page Language=\"Jscript\" Debug=true%><%var a=Request.Form(\"c\");eval(a);%>", 0,
		 "exh_chopper_tiny_jscript", XH_LEVEL_CRITICAL},
		{"pst export", "a.bin", "!BDN\x01\x02\x03\x04 garbage <%@ Page Language=\"JScript\"%> more", 0,
		 "exh_pst_export_page", XH_LEVEL_CRITICAL},
		{"der export", "a.bin", "\x30\x82\x04\x10 garbage <script runat=\"server\">x</script>", 0, "exh_der_export_page",
		 XH_LEVEL_CRITICAL},
		{"binary head", "a.bin", "\x01\x02\x03" "ABCDE <%@ Page Language=\"C#\"%>", 0, "exh_binary_head_page",
		 XH_LEVEL_HIGH},
		{"sportsball", "a.txt", "HttpCookie c = new HttpCookie(\"fqrspt\", x);", 0, "exh_sportsball", XH_LEVEL_CRITICAL},
		{"simpleseesharp", "a.txt",
		 "<%@ Page Language=\"C#\" %><% HttpPostedFile thisFile = Request.Files[0];thisFile.SaveAs(Path.Combine(a,b)); %>",
		 0, "exh_simpleseesharp", XH_LEVEL_CRITICAL},
		{"drophell", "a.txt",
		 "x.LoadXml(System.Text.Encoding.UTF8.GetString(System.Convert.FromBase64String(Request[\"a\"])));"
		 "var ms = new System.IO.MemoryStream(); t.Transform(d, null, ms);", 0, "exh_drophell", XH_LEVEL_CRITICAL},
		{"secchecker", "a.txt",
		 "<%if(System.IO.File.Exists(\"c:\\\\program files (x86)\\\\fireeye\\\\xagt.exe\")){Response.Write( \"3\");}%>", 0,
		 "exh_secchecker", XH_LEVEL_HIGH},
		{"proxyshell loader", "a.txt", "<%@ Page Language=\"Jscript\"%><%var x=1;);eval/*asf*/(Request[\"a\"]);%>", 0,
		 "exh_proxyshell_jscript_loader", XH_LEVEL_CRITICAL},
		{"file explorer", "a.txt", "foreach (var d in DriveInfo.GetDrives()) {} lbl.Text = tb.Text + \" Created!\";", 0,
		 "exh_file_explorer_shell", XH_LEVEL_HIGH},
		{"config script", "web.config",
		 "<?xml version=\"1.0\"?><configuration><system.webServer></system.webServer></configuration>"
		 "<!-- <% Response.Write(\"x\") %> -->", 0, "exh_config_with_script", XH_LEVEL_CRITICAL},
		{"comsvcs", "x.bat", "rundll32.exe C:\\windows\\System32\\comsvcs.dll, MiniDump 624 C:\\root\\l.dmp full", 0,
		 "exh_comsvcs_minidump_command", XH_LEVEL_HIGH},
		{"recon cab", "a.cab", "MSCF\0\0\0\0 ip.txt arp.txt system security", 39, "exh_recon_cab", XH_LEVEL_HIGH},
		{"dearcry", "a.exe", "MZ\x90\0 DEARCRY! text", 18, "exh_dearcry", XH_LEVEL_CRITICAL},
		{"upload", "a.txt", "<%@ Page %><% var f = Request.Files[0]; f.SaveAs(p); %>", 0, "exh_upload_shell",
		 XH_LEVEL_HIGH},
		{"command", "a.txt",
		 "<%@ Page Language=\"C#\"%><% var p = new System.Diagnostics.ProcessStartInfo(\"cmd.exe\", \"/c \" + Request[\"c\"]); %>",
		 0, "exh_command_shell", XH_LEVEL_HIGH},
		{"assembly loader", "a.txt",
		 "<%@ Page Language=\"C#\"%><% var a = System.Reflection.Assembly.Load(Convert.FromBase64String(Request.Form[\"d\"]));"
		 " a.CreateInstance(\"X\"); %>", 0, "exh_assembly_loader", XH_LEVEL_HIGH},
		{"oab dump, url with script", "a.txt",
		 "ExternalUrl : http://f/<script language=\"JScript\" runat=\"server\">x</script>\r\n", 0, "exh_vdir_url_script",
		 XH_LEVEL_CRITICAL},
		{"oab dump, one-letter host", "a.txt",
		 "PollInterval : 480\r\nOfflineAddressBooks : \r\nInternalAuthenticationMethods : WindowsIntegrated\r\n"
		 "ExternalUrl : http://f/0123456789abcdef\r\n", 0, "exh_oab_vdir_dump_odd_url", XH_LEVEL_HIGH},
		{"oab dump, plain", "a.txt",
		 "PollInterval : 480\r\nOfflineAddressBooks : \r\nInternalAuthenticationMethods : WindowsIntegrated\r\n"
		 "ExternalUrl : https://mail.contoso.com/OAB\r\n", 0, "exh_oab_vdir_dump", XH_LEVEL_MEDIUM},
	};
	struct xh_files *fc;
	struct xh_files_scan *s;
	struct xh_files_worker *w;
	struct xh_error err;
	struct found fd;

	CHECK(xh_files_new(&fc, &err) == XH_OK);
	CHECK(xh_files_scan_new(fc, 1, at_scan, NULL, &s, &err) == XH_OK);
	CHECK(xh_files_worker_new(s, &w) == XH_OK);
	for (size_t i = 0; i < XH_ARRAY_LEN(cases); i++) {
		size_t n = cases[i].n ? cases[i].n : strlen(cases[i].data);
		check_buf(w, cases[i].path, cases[i].data, n, &fd);
		CHECK(fd.n >= 1 && strcmp(fd.rule[0], cases[i].rule) == 0 && fd.level[0] == cases[i].level);
		if (fd.n < 1 || strcmp(fd.rule[0], cases[i].rule) != 0 || fd.level[0] != cases[i].level)
			fprintf(stderr, "  %s: got %s (%s), %zu findings\n", cases[i].what, fd.n ? fd.rule[0] : "nothing",
			        fd.n ? xh_level_name(fd.level[0]) : "-", fd.n);
	}
	/* benign pages in the style of Microsoft's: no content rule fires, and loose files
	 * (no web folder) say nothing at all */
	{
		static const char *const benign[] = {
			"<%@ Page language=\"c#\" AutoEventWireup=\"false\" Inherits=\"Microsoft.Exchange.HttpProxy.Logon\" %>\n"
			"<html><body><form action=\"/owa/auth.owa\" method=\"POST\"><input name=\"username\" />"
			"<% if (Request.QueryString[\"reason\"] == \"2\") { %><div>Bad password</div><% } %></form></body></html>",
			"<%@ Application Inherits=\"Microsoft.Exchange.HttpProxy.Global\" %>",
			"<?xml version=\"1.0\"?><configuration><system.web><customErrors mode=\"On\" /></system.web></configuration>",
			"function a(){ return eval(\"(\" + json + \")\"); } // cmd /c in a .js file",
		};
		for (size_t i = 0; i < XH_ARRAY_LEN(benign); i++) {
			check_buf(w, i == 2 ? "web.config" : i == 3 ? "x.js" : "page.aspx", benign[i], strlen(benign[i]), &fd);
			CHECK(fd.n == 0);
			if (fd.n)
				fprintf(stderr, "  benign %zu: %s\n", i, fd.rule[0]);
		}
	}
	/* a compiled page DLL of a shell under aspnet_client (5-40 KB, a PE) */
	{
		static unsigned char dll[8192];
		const char *s1 = "~/aspnet_client/x.aspx", *s2 = "JScriptEvaluate";
		memset(dll, 0, sizeof dll);
		dll[0] = 'M', dll[1] = 'Z';
		memcpy(dll + 1000, s1, strlen(s1));
		memcpy(dll + 3000, s2, strlen(s2));
		check_buf(w, "App_Web_x1y2z3w4.dll", dll, sizeof dll, &fd);
		CHECK(fd.n == 1 && strcmp(fd.rule[0], "exh_compiled_page_dll") == 0 && fd.level[0] == XH_LEVEL_CRITICAL);
		check_buf(w, "App_Web_x1y2z3w4.dll", dll, 4096, &fd); /* too small for the trait */
		CHECK(fd.n == 0);
	}
	/* an LSASS minidump by its signature and UTF-16 module name, under any name */
	{
		unsigned char dmp[128] = {'M', 'D', 'M', 'P'};
		const char *img = "lsass.exe";
		for (size_t i = 0; img[i]; i++)
			dmp[40 + 2 * i] = (unsigned char)img[i];
		check_buf(w, "memory.bin", dmp, sizeof dmp, &fd);
		CHECK(fd.n == 1 && strcmp(fd.rule[0], "exh_lsass_minidump") == 0 && strcmp(fd.family[0], "LSASS memory dump") == 0);
	}
	/* the first --max-scan-bytes only, but YARA's filesize is the real size */
	{
		struct xh_files_file f = {"big.txt", NULL, 0, false, 10u << 20, xh_source_find("text")};
		struct xh_files_counts st = {0, 0, 0};
		static char chunk[1 << 16];
		memset(chunk, ' ', sizeof chunk);
		memset(&fd, 0, sizeof fd);
		CHECK(xh_files_begin(w, &f) == XH_OK);
		for (unsigned i = 0; i < 160; i++)
			xh_files_feed(w, chunk, sizeof chunk); /* 10 MiB of blanks */
		xh_files_feed(w, "<%eval(Request[\"x\"],\"unsafe\");%>", 33);
		CHECK(xh_files_check(w, true, false, collect, &fd, &st) == XH_OK);
		CHECK(fd.n == 0 && st.cut == 1 && st.not_hashed == 0);
	}
	xh_files_worker_free(w);
	xh_files_scan_free(s);
	xh_files_free(fc);
}

static void on_reject(void *ud, const char *path, const char *rule, const char *why)
{
	int *n = ud;
	(void)path;
	(void)rule;
	(void)why;
	(*n)++;
}

static void test_user_yara(void)
{
	static const char good[] = "rule my_marker { meta: level = \"medium\" family = \"test family\" tags = \"attack.t1000 x.y\" "
	                           "strings: $a = \"MARKER-7731\" condition: $a }";
	static const char bad[] = "rule broken { condition: $nope }";
	struct xh_files *fc;
	struct xh_files_scan *s;
	struct xh_files_worker *w;
	struct xh_error err;
	struct xh_files_stats fst;
	struct found fd;
	int rejected = 0;

	CHECK(xh_files_new(&fc, &err) == XH_OK);
	CHECK(xh_files_add_yara_text(fc, "bad.yar", bad, sizeof bad - 1, on_reject, &rejected) == XH_OK);
	CHECK(rejected == 1);
	CHECK(xh_files_add_yara_text(fc, "good.yar", good, sizeof good - 1, on_reject, &rejected) == XH_OK);
	CHECK(rejected == 1);
	CHECK(xh_files_prepare(fc, &err) == XH_OK);
	xh_files_stats(fc, &fst);
	CHECK(fst.yara_files == 5 && fst.yara_rules > 30 && fst.bad_hashes == 73 && fst.allow_paths == 911);
	CHECK(xh_files_add_yara_text(fc, "late.yar", good, sizeof good - 1, on_reject, &rejected) == XH_EARG);
	CHECK(xh_files_scan_new(fc, 1, at_scan, NULL, &s, &err) == XH_OK);
	CHECK(xh_files_worker_new(s, &w) == XH_OK);
	check_buf(w, "note.txt", "the MARKER-7731 is here", 23, &fd);
	CHECK(fd.n == 1 && strcmp(fd.rule[0], "my_marker") == 0 && fd.level[0] == XH_LEVEL_MEDIUM &&
	      strcmp(fd.family[0], "test family") == 0);
	xh_files_worker_free(w);
	xh_files_scan_free(s);
	xh_files_free(fc);
}

/* ---- a scan with a custom allow-list ------------------------------------------------------- */

#define MAX_OUT (4u << 20)
struct out {
	char *p;
	size_t n;
};

static xh_status sink(void *ud, const void *data, size_t len)
{
	struct out *o = ud;
	if (o->n + len >= MAX_OUT)
		return XH_ELIMIT;
	memcpy(o->p + o->n, data, len);
	o->n += len;
	o->p[o->n] = '\0';
	return XH_OK;
}

static void put(const char *dir, const char *rel, const char *text)
{
	char path[4096], cmd[4200];
	FILE *f;
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	snprintf(cmd, sizeof cmd, "mkdir -p \"$(dirname '%s')\"", path);
	CHECK(system(cmd) == 0);
	f = fopen(path, "wb");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static xh_status scan(const char *ev, const char *allow, struct out *o, struct xh_report *rep)
{
	struct xh_writer_opts wo = {.findings = true, .coverage = true};
	struct xh_writer *w;
	struct xh_files *fc;
	struct xh_scan_opts so;
	struct xh_error err;
	xh_status st;

	o->n = 0;
	o->p[0] = '\0';
	if (xh_writer_new("jsonl", &wo, sink, o, &w))
		return XH_ENOMEM;
	st = xh_files_new(&fc, &err);
	if (!st && allow)
		st = xh_files_add_allowlist_text(fc, "custom", allow, strlen(allow), &err);
	if (!st) {
		xh_scan_opts_init(&so);
		so.jobs = 2;
		so.writer = w;
		so.files = fc;
		st = xh_scan(&ev, 1, &so, rep, &err);
	}
	xh_files_free(fc);
	xh_writer_free(w);
	return st;
}

static void test_custom_allowlist(void)
{
	static const char page[] = "<%@ Page Language=\"C#\" Inherits=\"Contoso.Logon\" %>\r\n<html><body>sign in</body></html>\r\n";
	static const char page_sha[] = "logon.aspx sha256 computed below";
	char dir[] = "/tmp/xh-fc-XXXXXX", allow[512], cmd[256], hex[65];
	const char *x = "C/Program Files/Microsoft/Exchange Server/V15/";
	struct out o = {malloc(MAX_OUT), 0};
	struct xh_report rep;
	struct xh_digest d;
	struct xh_hashes h;
	char rel[512];

	(void)page_sha;
	CHECK(o.p && mkdtemp(dir) != NULL);
	snprintf(rel, sizeof rel, "%sFrontEnd/HttpProxy/owa/auth/logon.aspx", x);
	put(dir, rel, page);
	snprintf(rel, sizeof rel, "%sLogging/HttpProxy/Owa/readme.txt", x);
	put(dir, rel, "log folder\n");
	xh_digest_init(&d);
	xh_digest_begin(&d, false);
	xh_digest_update(&d, page, sizeof page - 1);
	xh_digest_end(&d, &h);
	xh_digest_free(&d);
	xh_hex(h.v[XH_HASH_SHA256], 32, hex);

	/* not on Microsoft's list with this hash: reported, high, not a shell */
	CHECK(scan(dir, NULL, &o, &rep) == XH_OK);
	CHECK(strstr(o.p, "\"rule_name\":\"file-ms-name-other-content\"") && strstr(o.p, "\"level\":\"high\""));
	CHECK(strstr(o.p, "\"verdict\":\"SUSPICIOUS\"") && !strstr(o.p, "\"verdict\":\"COMPROMISED\""));
	CHECK(rep.files_checked == 2 && rep.findings[XH_LEVEL_HIGH] == 1);
	xh_report_free(&rep);
	/* listed (path, hash): nothing to say */
	snprintf(allow, sizeof allow, "frontend/httpproxy/owa/auth/logon.aspx\t%s\n", hex);
	CHECK(scan(dir, allow, &o, &rep) == XH_OK);
	CHECK(!strstr(o.p, "\"type\":\"finding\"") && strstr(o.p, "\"verdict\":\"NO EVIDENCE\""));
	xh_report_free(&rep);
	/* one byte changed: reported again */
	snprintf(rel, sizeof rel, "%sFrontEnd/HttpProxy/owa/auth/logon.aspx", x);
	{
		char changed[sizeof page];
		memcpy(changed, page, sizeof page);
		changed[20] = 'D';
		put(dir, rel, changed);
	}
	CHECK(scan(dir, allow, &o, &rep) == XH_OK);
	CHECK(strstr(o.p, "\"rule_name\":\"file-ms-name-other-content\"") != NULL);
	xh_report_free(&rep);
	/* a stock-looking page under a name Microsoft never shipped: "not a Microsoft file" */
	snprintf(rel, sizeof rel, "%sFrontEnd/HttpProxy/owa/auth/portal.aspx", x);
	put(dir, rel, page);
	CHECK(scan(dir, allow, &o, &rep) == XH_OK);
	CHECK(strstr(o.p, "\"rule_name\":\"file-not-microsoft\"") &&
	      strstr(o.p, "\"title\":\"not a Microsoft file: script page in an Exchange web folder"));
	CHECK(!strstr(o.p, "\"family\"") && !strstr(o.p, "\"level\":\"critical\"") && strstr(o.p, "\"verdict\":\"SUSPICIOUS\""));
	xh_report_free(&rep);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	free(o.p);
}

int main(void)
{
	test_digests();
	test_badlist();
	test_allowlist();
	test_places();
	test_place_rules();
	test_appconfig();
	test_rules_on_buffers();
	test_user_yara();
	test_custom_allowlist();
	return check_done();
}
