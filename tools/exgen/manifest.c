/*
 * exgen: the --manifest JSON: every file written, byte totals, the files the
 * intrusion left and the attack timeline with file and line of each event.
 */
#include "exgen.h"

#include <inttypes.h>
#include <stdio.h>

static const char *const KIND_NAME[K_N] = {"iis-w3svc1", "iis-w3svc2", "httpproxy", "ecp-server",
                                           "oab-generator", "rps-cmdlet", "other"};
/* Option names, in the order of L_* and ONLY_* (exgen.h), NULL-terminated for pick() in main.c. */
const char *const LAYOUT[] = {"tree", "kape", "velociraptor", NULL};
const char *const ONLY[] = {"all", "iis", "httpproxy", NULL};

static void json_str(FILE *f, const char *s)
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
static void json_time(FILE *f, int64_t t)
{
	if (t < 0) {
		fputs("null", f);
		return;
	}
	char b[32];
	*p_iso(b, t) = 0;
	json_str(f, b);
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
	fputs("  \"logs\": [", f);
	bool first = true;
	for (size_t i = 0; i < g->nrecs; i++) {
		const FileRec *r = &g->recs[i];
		if (r->kind == K_OTHER)
			continue;
		fputs(first ? "\n    {\"path\": " : ",\n    {\"path\": ", f);
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
	fputs("\n  ],\n  \"other_files\": [", f);
	first = true;
	for (size_t i = 0; i < g->nrecs; i++) {
		const FileRec *r = &g->recs[i];
		if (r->kind != K_OTHER)
			continue;
		fputs(first ? "\n    {\"path\": " : ",\n    {\"path\": ", f);
		first = false;
		json_str(f, r->path);
		fprintf(f, ", \"bytes\": %" PRIu64, r->bytes);
		if (r->mtime >= 0) {
			fputs(", \"mtime\": ", f);
			json_time(f, r->mtime);
		}
		fputs("}", f);
	}
	fputs("\n  ],\n  \"totals\": {", f);
	for (int k = 0; k < K_N; k++)
		fprintf(f, "%s\"%s\": %" PRIu64, k ? ", " : "", KIND_NAME[k], g->kbytes[k]);
	fputs("},\n  \"attack\": {\n", f);
	fputs("    \"actors\": [\"" ACTOR_A "\", \"" ACTOR_B "\"],\n", f);
	fputs("    \"webshells\": [\n      {\"path\": ", f);
	json_str(f, XROOT "FrontEnd/HttpProxy/owa/auth/" SHELL1 ".aspx");
	fputs(", \"url\": \"/owa/auth/" SHELL1 ".aspx\", \"password\": \"" SHELL1_PW "\"},\n      {\"path\": ", f);
	json_str(f, "C/inetpub/wwwroot/aspnet_client/system_web/" SHELL2 ".aspx");
	fputs(", \"url\": \"/aspnet_client/system_web/" SHELL2 ".aspx\", \"password\": \"" SHELL2_PW "\"}\n    ],\n", f);
	fputs("    \"files\": [", f);
	for (size_t i = 0; i < g->nfiles; i++) {
		fputs(i ? ",\n      {\"path\": " : "\n      {\"path\": ", f);
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
	fputs("\n    ],\n", f);
	fputs("    \"timeline\": [", f);
	for (size_t i = 0; i < g->ntl; i++) {
		const TlEntry *e = &g->tl[i];
		fputs(i ? ",\n      {\"time\": " : "\n      {\"time\": ", f);
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
	fputs("\n    ]\n  }\n}\n", f);
	if (ferror(f) || fclose(f) != 0)
		die_io("write error on", g->manifest);
}
