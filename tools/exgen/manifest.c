/*
 * exgen: the --manifest JSON: every file written, byte totals, the files the
 * intrusion left and the attack timeline with file and line of each event.  A
 * fleet host's part (manifest_host) has the same fields, indented, after its
 * server, scenario and the verdict a correct tool reaches ("expected").
 */
#include "exgen.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *const KIND_NAME[K_N] = {"iis-w3svc1", "iis-w3svc2", "httpproxy", "ecp-server",
                                           "oab-generator", "rps-cmdlet", "other", "rps-http"};
/* Option names, in the order of L_* and ONLY_* (exgen.h), NULL-terminated for pick() in main.c. */
const char *const LAYOUT[] = {"tree", "kape", "velociraptor", NULL};
const char *const ONLY[] = {"all", "iis", "httpproxy", NULL};

void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}
void json_time(FILE *f, int64_t t)
{
	if (t < 0) {
		fputs("null", f);
		return;
	}
	char b[32];
	*p_iso(b, t) = 0;
	json_str(f, b);
}

/* A logical path (C/...) as the server had it: "C:\..." */
static void json_winpath(FILE *f, const char *logical)
{
	char w[1024];
	size_t n = 0;
	for (const char *s = logical; *s && n + 2 < sizeof w; s++) {
		w[n++] = *s == '/' ? '\\' : *s;
		if (s == logical && s[1] == '/')
			w[n++] = ':';
	}
	w[n] = 0;
	json_str(f, w);
}

/* The actors of the timeline (not mass scanners, not the update), in order of their first line. */
static size_t timeline_actors(const Gen *g, const char **out, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < g->ntl; i++) {
		const TlEntry *e = &g->tl[i];
		if (!e->actor || !e->actor[0] || !strcmp(e->stage, "scan") || !strcmp(e->stage, "patch"))
			continue;
		size_t k = 0;
		while (k < n && strcmp(out[k], e->actor))
			k++;
		if (k == n && n < cap)
			out[n++] = e->actor;
	}
	return n;
}

/* ["actor", ...]: the timeline's. */
static void json_actors(FILE *f, const Gen *g)
{
	const char *act[16];
	size_t na = timeline_actors(g, act, 16);
	fputc('[', f);
	for (size_t i = 0; i < na; i++) {
		fputs(i ? ", " : "", f);
		json_str(f, act[i]);
	}
	fputc(']', f);
}

/* logs, other_files, totals and attack; every line after the first starts with ind. */
static void manifest_body(FILE *f, const Gen *g, const char *ind)
{
	fprintf(f, "%s  \"logs\": [", ind);
	bool first = true;
	for (size_t i = 0; i < g->nrecs; i++) {
		const FileRec *r = &g->recs[i];
		if (r->kind == K_OTHER)
			continue;
		fprintf(f, first ? "\n%s    {\"path\": " : ",\n%s    {\"path\": ", ind);
		first = false;
		json_str(f, r->path);
		fprintf(f, ", \"kind\": \"%s\", \"bytes\": %" PRIu64 ", \"data_lines\": %" PRIu64 ", \"header_lines\": %" PRIu64
		           ", \"first\": ",
		        KIND_NAME[r->kind], r->bytes, r->data, r->hdr);
		json_time(f, r->first);
		fputs(", \"last\": ", f);
		json_time(f, r->last);
		fputc('}', f);
	}
	fprintf(f, "\n%s  ],\n%s  \"other_files\": [", ind, ind);
	first = true;
	for (size_t i = 0; i < g->nrecs; i++) {
		const FileRec *r = &g->recs[i];
		if (r->kind != K_OTHER)
			continue;
		fprintf(f, first ? "\n%s    {\"path\": " : ",\n%s    {\"path\": ", ind);
		first = false;
		json_str(f, r->path);
		fprintf(f, ", \"bytes\": %" PRIu64, r->bytes);
		if (r->mtime >= 0) {
			fputs(", \"mtime\": ", f);
			json_time(f, r->mtime);
		}
		fputs("}", f);
	}
	fprintf(f, "\n%s  ],\n%s  \"totals\": {", ind, ind);
	for (int k = 0; k < (g->fleet ? K_N : K_RPSH); k++)
		fprintf(f, "%s\"%s\": %" PRIu64, k ? ", " : "", KIND_NAME[k], g->kbytes[k]);
	fprintf(f, "},\n%s  \"attack\": {\n", ind);
	const Plan *p = &g->plan;
	if (g->fleet) {
		fprintf(f, "%s    \"actors\": ", ind);
		json_actors(f, g);
		fputs(",\n", f);
	} else {
		fprintf(f, "%s    \"actors\": [\"%s\", \"%s\"],\n", ind, p->actor[0], p->actor[1]);
	}
	fprintf(f, "%s    \"webshells\": [", ind);
	first = true;
	if (p->pl_files) {
		char path[512], url[256];
		fprintf(f, "\n%s      {\"path\": ", ind);
		json_str(f, tmpl(g, path, sizeof path, XROOT "FrontEnd/HttpProxy/owa/auth/{S1}.aspx").s);
		fprintf(f, ", \"url\": \"%s\", \"password\": \"%s\"},\n%s      {\"path\": ",
		        tmpl(g, url, sizeof url, "/owa/auth/{S1}.aspx").s, p->pw1, ind);
		json_str(f, tmpl(g, path, sizeof path, "C/inetpub/wwwroot/aspnet_client/system_web/{S2}.aspx").s);
		fprintf(f, ", \"url\": \"%s\", \"password\": \"%s\"}", tmpl(g, url, sizeof url, "/aspnet_client/system_web/{S2}.aspx").s,
		        p->pw2);
		first = false;
	}
	if (p->shell_t >= 0 && p->shell[0]) {
		char path[512], url[256];
		shell_path(g, path, sizeof path, url, sizeof url);
		fprintf(f, first ? "\n%s      {\"path\": " : ",\n%s      {\"path\": ", ind);
		json_str(f, path);
		fprintf(f, ", \"url\": \"%s\", \"password\": \"%s\"}", url, p->shell_pw);
		first = false;
	}
	fprintf(f, "\n%s    ],\n", ind);
	fprintf(f, "%s    \"files\": [", ind);
	for (size_t i = 0; i < g->nfiles; i++) {
		fprintf(f, i ? ",\n%s      {\"path\": " : "\n%s      {\"path\": ", ind);
		json_str(f, g->recs[g->files[i].rec].path);
		fputs(", \"written\": ", f);
		json_time(f, g->files[i].t);
		fputs(", \"stage\": ", f);
		json_str(f, g->files[i].stage);
		fputs(", \"description\": ", f);
		json_str(f, g->files[i].desc);
		fputs(", \"rule\": ", f);
		json_str(f, g->files[i].rule);
		fputs("}", f);
	}
	fprintf(f, "\n%s    ],\n", ind);
	fprintf(f, "%s    \"timeline\": [", ind);
	for (size_t i = 0; i < g->ntl; i++) {
		const TlEntry *e = &g->tl[i];
		fprintf(f, i ? ",\n%s      {\"time\": " : "\n%s      {\"time\": ", ind);
		json_time(f, e->t);
		fputs(", \"stage\": ", f);
		json_str(f, e->stage);
		fputs(", \"actor\": ", f);
		json_str(f, e->actor);
		fputs(", \"description\": ", f);
		json_str(f, e->desc);
		fputs(", \"file\": ", f);
		json_str(f, g->recs[e->rec].path);
		fprintf(f, ", \"line\": %" PRIu64 "}", e->line);
	}
	fprintf(f, "\n%s    ]\n%s  }", ind, ind);
}

void write_manifest(const Gen *g)
{
	FILE *f = fopen(g->manifest, "wb");
	if (!f)
		die_io("cannot create", g->manifest);
	char sd[16];
	fmt_compact(sd, sizeof sd, g->start_day, false);
	fprintf(f, "{\n  \"generator\": \"exgen\",\n  \"seed\": %" PRIu64 ",\n  \"start\": \"%.4s-%.2s-%.2s\",\n", g->seed,
	        sd, sd + 4, sd + 6);
	fprintf(f, "  \"days\": %u,\n  \"rate\": %" PRIu64 ",\n  \"layout\": \"%s\",\n  \"only\": \"%s\",\n", g->days_done,
	        g->rate, LAYOUT[g->layout], ONLY[g->only]);
	fprintf(f, "  \"server\": {\"name\": \"EXCH01\", \"fqdn\": \"" HOST_FQDN "\", \"public_name\": \"" HOST_PUB
	           "\", \"ip\": \"" SRV_IP "\", \"domain\": \"CONTOSO\", \"build_before_patch\": \"15.1.2176.2\", "
	           "\"build_after_patch\": \"15.1.2176.9\", \"patched_at\": \"2021-03-05T21:40:00.000Z\"},\n");
	manifest_body(f, g, "");
	fputs("\n}\n", f);
	if (ferror(f) || fclose(f) != 0)
		die_io("write error on", g->manifest);
}

/* ---- a fleet host ------------------------------------------------------------------ */

static const char *const CAMP_NAME[] = {"ProxyLogon", "ProxyShell", "ProxyNotShell", "OWASSRF"};
static const char *const CAMP_CVES[][3] = {{"CVE-2021-26855", "CVE-2021-26858", "CVE-2021-27065"},
                                           {"CVE-2021-34473", "CVE-2021-34523", "CVE-2021-31207"},
                                           {"CVE-2022-41040", "CVE-2022-41082", NULL},
                                           {"CVE-2022-41080", "CVE-2022-41082", NULL}};

/* The folder a log file is in, below the host's folder. */
static bool under(const char *path, const char *folder)
{
	size_t n = strlen(folder);
	return n && !strncmp(path, folder, n) && path[n] == '/';
}

static void coverage(FILE *f, const Gen *g)
{
	static const struct {
		const char *name;
		int k1, k2;
	} cov[] = {{"iis", K_IIS1, K_IIS2}, {"httpproxy", K_HP, K_HP}, {"ecp", K_ECP, K_ECP},
	           {"oab", K_OAB, K_OAB},   {"rps_cmdlet", K_RPS, K_RPS}, {"rps_http", K_RPSH, K_RPSH}};
	bool any = false;
	fputc('{', f);
	for (size_t c = 0; c < sizeof cov / sizeof cov[0]; c++) {
		int64_t lo = -1, hi = -1;
		for (size_t i = 0; i < g->nrecs; i++) {
			const FileRec *r = &g->recs[i];
			if ((r->kind != cov[c].k1 && r->kind != cov[c].k2) || r->first < 0 || under(r->path, g->exp.unreadable))
				continue;
			if (lo < 0 || r->first < lo)
				lo = r->first;
			if (r->last > hi)
				hi = r->last;
		}
		if (lo < 0)
			continue;
		fprintf(f, "%s\"%s\": {\"first\": ", any ? ", " : "", cov[c].name);
		json_time(f, lo);
		fputs(", \"last\": ", f);
		json_time(f, hi);
		fputc('}', f);
		any = true;
	}
	fputc('}', f);
}

static void expected(FILE *f, const Gen *g, const char *ind)
{
	const Expect *x = &g->exp;
	fprintf(f, "%s  \"expected\": {\"verdict\": \"%s\", \"first_compromise\": ", ind, x->verdict);
	json_time(f, x->first);
	int64_t last = -1;
	for (size_t i = 0; i < g->ntl; i++)
		if (strcmp(g->tl[i].stage, "scan") && strcmp(g->tl[i].stage, "patch") && g->tl[i].t > last)
			last = g->tl[i].t;
	fputs(", \"last_activity\": ", f);
	json_time(f, last);
	fputs(",\n", f);
	fprintf(f, "%s    \"campaigns\": [", ind);
	bool first = true;
	for (int c = 0; c < 4; c++)
		if (x->camps & (1u << c)) {
			fprintf(f, "%s\"%s\"", first ? "" : ", ", CAMP_NAME[c]);
			first = false;
		}
	fputs("], \"cves\": [", f);
	first = true;
	for (int c = 0; c < 4; c++)
		for (int k = 0; k < 3; k++)
			if ((x->camps & (1u << c)) && CAMP_CVES[c][k]) {
				bool dup = false;
				for (int c2 = 0; c2 < c; c2++)
					for (int k2 = 0; k2 < 3; k2++)
						dup = dup || ((x->camps & (1u << c2)) && CAMP_CVES[c2][k2] &&
						              !strcmp(CAMP_CVES[c2][k2], CAMP_CVES[c][k]));
				if (dup)
					continue;
				fprintf(f, "%s\"%s\"", first ? "" : ", ", CAMP_CVES[c][k]);
				first = false;
			}
	fputs("],\n", f);
	fprintf(f, "%s    \"attackers\": ", ind);
	json_actors(f, g);
	fputs(", \"shells\": [", f);
	first = true;
	for (size_t i = 0; i < g->nfiles; i++) {
		if (strcmp(g->files[i].stage, "webshell-drop"))
			continue;
		/* the record's path is below the layout's prefix; the server path is the logical one */
		const char *p = g->recs[g->files[i].rec].path;
		char logical[1024];
		size_t n = 0;
		if (!strncmp(p, "uploads/auto/C%3A", 17)) {
			logical[n++] = 'C';
			for (p += 17; *p && n + 1 < sizeof logical; p++) {
				if (!strncmp(p, "%20", 3)) {
					logical[n++] = ' ';
					p += 2;
				} else {
					logical[n++] = *p;
				}
			}
			logical[n] = 0;
		} else {
			snprintf(logical, sizeof logical, "%s", p);
		}
		fputs(first ? "" : ", ", f);
		json_winpath(f, logical);
		first = false;
	}
	fputs("],\n", f);
	fprintf(f, "%s    \"unreadable_folder\": ", ind);
	if (x->unreadable[0])
		json_str(f, x->unreadable);
	else
		fputs("null", f);
	fputs(", \"corrupt_file\": ", f);
	if (x->corrupt[0]) {
		json_str(f, x->corrupt);
		fprintf(f, ", \"damage\": {\"kind\": \"%s\", \"at_byte\": %" PRIu64 ", \"intact_data_lines\": %" PRIu64 "}",
		        x->damage, x->damage_at, x->intact_lines);
	} else {
		fputs("null", f);
	}
	fprintf(f, ",\n%s    \"coverage\": ", ind);
	coverage(f, g);
	fprintf(f, ", \"limited\": %s}", x->limited ? "true" : "false");
}

/* One host of the fleet manifest: an object, its lines indented by ind. */
void manifest_host(FILE *f, const Gen *g, const char *ind)
{
	const Host *h = &g->h;
	char sd[16];
	fmt_compact(sd, sizeof sd, g->start_day, false);
	fprintf(f, "%s{\"name\": ", ind);
	json_str(f, h->name);
	fputs(", \"folder\": ", f);
	json_str(f, g->folder);
	fprintf(f, ", \"layout\": \"%s\", \"scenario\": \"%s\"", LAYOUT[g->layout], g->exp.scenario);
	if (g->exp.variant)
		fprintf(f, ", \"variant\": \"%s\"", g->exp.variant);
	fprintf(f, ",\n%s  \"seed\": %" PRIu64 ", \"start\": \"%.4s-%.2s-%.2s\", \"days\": %u, \"rate\": %" PRIu64 ",\n", ind,
	        g->seed, sd, sd + 4, sd + 6, g->days_done, g->rate);
	fprintf(f, "%s  \"server\": {\"name\": ", ind);
	json_str(f, h->name);
	fputs(", \"fqdn\": ", f);
	json_str(f, h->fqdn);
	fputs(", \"public_name\": ", f);
	json_str(f, h->pub);
	fprintf(f, ", \"ip\": \"%s\", \"domain\": \"CONTOSO\", \"product\": \"%s\", \"cu\": \"%s\", \"build_before\": \"%s\", "
	           "\"build_after\": \"%s\", \"patched_at\": ",
	        h->ip, h->product, h->cu_name, h->b[0].dotted, h->b[1].dotted);
	json_time(f, h->patch_at);
	fputs("},\n", f);
	expected(f, g, ind);
	fputs(",\n", f);
	manifest_body(f, g, ind);
	fprintf(f, "\n%s}", ind);
}
