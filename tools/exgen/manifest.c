/*
 * exgen: the --manifest JSON: every file written, byte totals, the files the
 * intrusion left and the attack timeline with file and line of each event.
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
		const char *act[16];
		size_t na = timeline_actors(g, act, 16);
		fprintf(f, "%s    \"actors\": [", ind);
		for (size_t i = 0; i < na; i++) {
			fputs(i ? ", " : "", f);
			json_str(f, act[i]);
		}
		fputs("],\n", f);
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
		static const char *const dirs[] = {"C/inetpub/wwwroot/aspnet_client/", "C/inetpub/wwwroot/aspnet_client/system_web/",
		                                   XROOT "FrontEnd/HttpProxy/owa/auth/"};
		static const char *const urls[] = {"/aspnet_client/", "/aspnet_client/system_web/", "/owa/auth/"};
		char path[512];
		snprintf(path, sizeof path, "%s%s", dirs[p->shell_dir % 3], p->shell);
		fprintf(f, first ? "\n%s      {\"path\": " : ",\n%s      {\"path\": ", ind);
		json_str(f, path);
		fprintf(f, ", \"url\": \"%s%s\", \"password\": \"%s\"}", urls[p->shell_dir % 3], p->shell, p->shell_pw);
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
