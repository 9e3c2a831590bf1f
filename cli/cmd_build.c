/*
 * `exhunt build`: am I vulnerable? Each Exchange build number given (or read from stdin)
 * is judged by the library's build table, per exploited CVE; the writers print it, or
 * --summary counts builds per product and CU and states per CVE. parse_build_args reads
 * the options, run_build the builds.
 *
 * Exit codes: 0 no CVE open, 1 at least one CVE vulnerable, 2 usage error or an input
 * that is not an Exchange build (the others are still reported).
 */
#define _GNU_SOURCE
#include "cli.h"
#include "commands.h"

#include <exhunt/exhunt.h>

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage_build[] =
	"usage: exhunt build [options] BUILD...\n"
	"       exhunt build [options] -          (one build per line on stdin; '#' comments)\n"
	"\n"
	"Am I vulnerable? For each Exchange build number: product, CU, the installed update\n"
	"and its date, then per exploited CVE (ProxyLogon, ProxyShell, ProxyNotShell, OWASSRF,\n"
	"CVE-2020-0688, CVE-2021-42321, CVE-2023-21529 and the other Exchange CVEs in CISA's\n"
	"KEV catalog): vulnerable, fixed or unknown, the update that fixes it, and why.\n"
	"\n"
	"BUILD forms: 15.1.2176.9   15.01.2176.009   'Version 15.1 (Build 2176.9)'   15.1.2176\n"
	"(three parts = CU only, as OWA paths show it: fixes delivered by updates are 'unknown').\n"
	"Use the ExSetup.exe file version: Get-ExchangeServer's AdminDisplayVersion does not\n"
	"change when a security update is installed.\n"
	"\n"
	"options:\n"
	"  -f, --format FMT    text (default), jsonl or csv (one row per build and CVE)\n"
	"  -o, --output FILE   write there instead of standard output\n"
	"  -s, --summary       only totals: builds per product and CU, and per CVE how many are\n"
	"                      vulnerable, fixed, unknown (for thousands of hosts)\n"
	"      --no-color      no ANSI colour\n"
	"\n"
	"exit status: 0 no CVE open, 1 at least one CVE vulnerable, 2 usage error or an input\n"
	"             that is not an Exchange 2010-SE build (the others are still reported)\n"
	"\n"
	"The build table is compiled in (tools/gen_builds.py from builds.csv: Microsoft Learn,\n"
	"CSS-Exchange, Get-ExchangeBuildNumber); a build newer than the table is judged by its CU.\n";

/* Totals for --summary: per CVE and state, and builds per product and CU. */
#define TALLY_CUS 128
struct tally {
	unsigned long long builds, malformed;
	unsigned long long state[XH_MAX_CVES][4];
	const char *cve[XH_MAX_CVES], *campaign[XH_MAX_CVES];
	size_t ncves;
	struct {
		const char *product, *cu; /* static strings from the build table */
		unsigned long long n;
	} cu[TALLY_CUS];
	size_t ncu;
	unsigned long long cu_other;
};

static void tally_add(struct tally *t, const struct xh_build_info *bi)
{
	size_t k;

	t->builds++;
	t->ncves = bi->ncves;
	for (size_t i = 0; i < bi->ncves; i++) {
		t->cve[i] = bi->cves[i].cve;
		t->campaign[i] = bi->cves[i].campaign;
		t->state[i][bi->cves[i].state]++;
	}
	for (k = 0; k < t->ncu; k++)
		if (t->cu[k].product == bi->product_name && t->cu[k].cu == bi->cu)
			break;
	if (k == t->ncu) {
		if (t->ncu == TALLY_CUS) {
			t->cu_other++;
			return;
		}
		t->cu[k].product = bi->product_name;
		t->cu[k].cu = bi->cu;
		t->cu[k].n = 0;
		t->ncu++;
	}
	t->cu[k].n++;
}

static void tally_print(const struct tally *t, FILE *f, bool json)
{
	if (json) {
		fprintf(f, "{\"type\":\"build_summary\",\"builds\":%llu,\"malformed\":%llu,\"cves\":[", t->builds,
		        t->malformed);
		for (size_t i = 0; i < t->ncves; i++)
			fprintf(f, "%s{\"cve\":\"%s\",\"vulnerable\":%llu,\"fixed\":%llu,\"unknown\":%llu,\"not_affected\":%llu}",
			        i ? "," : "", t->cve[i], t->state[i][XH_CVE_VULNERABLE], t->state[i][XH_CVE_FIXED],
			        t->state[i][XH_CVE_UNKNOWN], t->state[i][XH_CVE_NOT_AFFECTED]);
		fputs("],\"cus\":[", f);
		for (size_t k = 0; k < t->ncu; k++)
			fprintf(f, "%s{\"product\":\"%s\",\"cu\":%s%s%s,\"builds\":%llu}", k ? "," : "", t->cu[k].product,
			        t->cu[k].cu ? "\"" : "", t->cu[k].cu ? t->cu[k].cu : "null", t->cu[k].cu ? "\"" : "",
			        t->cu[k].n);
		fprintf(f, "],\"cus_not_listed\":%llu}\n", t->cu_other);
		return;
	}
	fprintf(f, "%llu builds judged, %llu malformed\n\n%-16s %-14s %10s %10s %10s %12s\n", t->builds, t->malformed,
	        "CVE", "campaign", "vulnerable", "fixed", "unknown", "not affected");
	for (size_t i = 0; i < t->ncves; i++)
		fprintf(f, "%-16s %-14s %10llu %10llu %10llu %12llu\n", t->cve[i], t->campaign[i],
		        t->state[i][XH_CVE_VULNERABLE], t->state[i][XH_CVE_FIXED], t->state[i][XH_CVE_UNKNOWN],
		        t->state[i][XH_CVE_NOT_AFFECTED]);
	fputs("\nbuilds per product and CU:\n", f);
	for (size_t k = 0; k < t->ncu; k++)
		fprintf(f, "  %-22s %-22s %10llu\n", t->cu[k].product, t->cu[k].cu ? t->cu[k].cu : "(CU not in the table)",
		        t->cu[k].n);
	if (t->cu_other)
		fprintf(f, "  (%llu more builds on other CUs)\n", t->cu_other);
}

/* One input: assess and write (or count, with a tally). Returns 0 ok, 1 vulnerable,
 * 2 malformed, 3 output error. */
static int one_build(struct xh_writer *w, struct tally *t, const char *s, size_t n, unsigned long lineno)
{
	struct xh_build b;
	struct xh_build_info bi;
	char input[128];

	if (n >= sizeof input || !xh_build_parse(s, n, &b) || xh_build_assess(&b, &bi) != XH_OK) {
		fputs("exhunt build: ", stderr);
		if (lineno)
			fprintf(stderr, "line %lu: ", lineno);
		fputs("not an Exchange 2010-SE build number: '", stderr);
		put_escaped(stderr, s, n);
		fputs("' (forms: 15.1.2176.9, 15.01.2176.009, 'Version 15.1 (Build 2176.9)', 15.1.2176)\n", stderr);
		if (t)
			t->malformed++;
		return 2;
	}
	memcpy(input, s, n);
	input[n] = '\0';
	if (t)
		tally_add(t, &bi);
	else if (xh_writer_build(w, input, &bi) != XH_OK)
		return 3;
	for (size_t i = 0; i < bi.ncves; i++)
		if (bi.cves[i].state == XH_CVE_VULNERABLE)
			return 1;
	return 0;
}

struct build_args {
	const char *format, *output;
	bool no_color, summary;
	char **builds; /* the operands: build numbers, "-" for stdin */
	int nbuilds;
};

#define AT(type, field) .at = OPT_AT(type, struct build_args, field)
static const struct opt_row build_rows[] = {
	{"format", 'f', OPT_TEXT, AT(const char *, format)},
	{"output", 'o', OPT_TEXT, AT(const char *, output)},
	{"no-color", 0, OPT_FLAG, AT(bool, no_color)},
	{"help", 'h', OPT_HELP, .at = 0},
	{"summary", 's', OPT_FLAG, AT(bool, summary)},
	{0},
};
#undef AT
static const struct opt_cmd build_cmd = {"build", build_rows, {usage_build, NULL}, NULL, NULL};

static int parse_build_args(int argc, char **argv, struct build_args *a)
{
	int rc;

	*a = (struct build_args){.format = "text"};
	if ((rc = parse_options(&build_cmd, argc, argv, a)) != GO_ON)
		return rc;
	if (optind >= argc)
		return usage_error("build", "%s", "no BUILD given (e.g. 15.1.2176.9, or - for stdin)");
	a->builds = argv + optind;
	a->nbuilds = argc - optind;
	return GO_ON;
}

/* One build per line of stdin, '#' comments and blank lines skipped; the worst result of
 * one_build, or 3 on an output error. */
static int builds_from_stdin(struct xh_writer *w, struct tally *t)
{
	char line[256];
	unsigned long lineno = 0;
	int r, worst = 0;

	while (fgets(line, sizeof line, stdin)) {
		size_t n = strlen(line);
		lineno++;
		if (n == sizeof line - 1 && line[n - 1] != '\n') {
			int ch;
			while ((ch = getchar()) != EOF && ch != '\n')
				;
			r = one_build(w, t, line, n, lineno); /* reported as malformed (too long) */
		} else {
			size_t k = 0;
			while (k < n && (line[k] == ' ' || line[k] == '\t'))
				k++;
			if (k == n || line[k] == '\n' || line[k] == '\r' || line[k] == '#')
				continue;
			while (n > k && (line[n - 1] == '\n' || line[n - 1] == '\r'))
				n--;
			r = one_build(w, t, line + k, n - k, lineno);
		}
		if (r == 3)
			return 3;
		if (r > worst)
			worst = r;
	}
	return worst;
}

/* Every build given; the exit code. */
static int judge_builds(const struct build_args *a, struct xh_writer *w, struct tally *t, FILE *out)
{
	int worst = 0;

	if (!t && xh_writer_begin(w) != XH_OK)
		return 3;
	for (int i = 0; i < a->nbuilds; i++) {
		int r = strcmp(a->builds[i], "-") == 0 ? builds_from_stdin(w, t)
		                                       : one_build(w, t, a->builds[i], strlen(a->builds[i]), 0);
		if (r == 3)
			return 3;
		if (r > worst)
			worst = r;
	}
	if (t)
		tally_print(t, out, strcmp(a->format, "jsonl") == 0);
	return worst;
}

static int run_build(const struct build_args *a)
{
	FILE *out = stdout;
	struct tally *t = NULL;
	struct xh_writer_opts wo = {0};
	struct xh_writer *w = NULL;
	int rc;

	/* fopen, as build has always opened -o: a link at the path is followed */
	if (a->output && !(out = open_output(a->output, OUT_FOLLOW)))
		return cannot_write("build", a->output);
	wo.color = use_color(a->no_color, a->output);
	if (xh_writer_new(a->format, &wo, sink_file, out, &w) != XH_OK)
		rc = usage_error("build", "unknown --format '%s' (text, jsonl or csv)", a->format);
	else if (a->summary && strcmp(a->format, "csv") == 0)
		rc = usage_error("build", "%s", "--summary writes text or jsonl");
	else if (a->summary && !(t = calloc(1, sizeof *t))) {
		fprintf(stderr, "exhunt build: out of memory\n");
		rc = EXIT_USAGE;
	} else if ((rc = judge_builds(a, w, t, out)) == 3) {
		fprintf(stderr, "exhunt build: error writing the output\n");
		rc = EXIT_USAGE;
	}
	free(t);
	xh_writer_free(w);
	if (!close_output(out))
		rc = EXIT_USAGE;
	return rc;
}

int cmd_build(int argc, char **argv)
{
	struct build_args a;
	int rc = parse_build_args(argc, argv, &a);

	return rc == GO_ON ? run_build(&a) : rc;
}
