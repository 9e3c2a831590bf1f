/*
 * `exhunt build`: am I vulnerable? Each Exchange build number given (or read from stdin)
 * is judged by the library's build table, per exploited CVE; the writers print it, or
 * --summary counts builds per product and CU and states per CVE. parse_build_args reads
 * the options, run_build the builds.
 *
 * Exit codes: 1 at least one CVE vulnerable (whatever else the input holds), else 2 a
 * usage error or an input that is not an Exchange build (each reported with its line and
 * counted, the others judged), else 0.
 */
#define _GNU_SOURCE
#include "cli.h"
#include "commands.h"

#include <exhunt/exhunt.h>

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char usage_build[] =
	"usage: exhunt build [options] BUILD...\n"
	"       exhunt build [options] -          (one line per build or host on stdin)\n"
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
	"stdin lines: BUILD, or HOST BUILD, or host,build (an estate's inventory as CSV; a\n"
	"'host,build' header is skipped), '#' comments and blank lines skipped. A line that is\n"
	"no build is reported with its number and counted; the others are judged. With hosts,\n"
	"the text report is one row per host: build, product, CU, update and the CVEs open.\n"
	"\n"
	"exit status: 1 at least one CVE vulnerable (even when some lines are malformed),\n"
	"             else 2 usage error or an input that is not an Exchange 2010-SE build,\n"
	"             else 0\n"
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
static int one_build(struct xh_writer *w, struct tally *t, const char *host, const char *s, size_t n,
                     unsigned long lineno)
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
	else if (xh_writer_build(w, host, input, &bi) != XH_OK)
		return 3;
	for (size_t i = 0; i < bi.ncves; i++)
		if (bi.cves[i].state == XH_CVE_VULNERABLE)
			return 1;
	return 0;
}

/* Two results of one_build as one: a CVE open (1) is the answer whatever else the input
 * holds; a malformed input (2) only when nothing is open. */
static int combine(int a, int b)
{
	if (a == 1 || b == 1)
		return 1;
	return a > b ? a : b;
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

/* s[0..n) without blanks around it. */
static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t'))
		(*s)++, (*n)--;
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r' || (*s)[*n - 1] == '\n'))
		(*n)--;
}

/* A line of an estate's inventory: "BUILD", "HOST BUILD" or "host,build" (CSV, a cell
 * may be quoted). *host is NULL when the line names none; host is copied to hostbuf. */
static void inventory_line(const char *p, size_t n, char *hostbuf, size_t hcap, const char **host, const char **b,
                           size_t *bn)
{
	const char *comma = memchr(p, ',', n);
	struct xh_build probe;

	*host = NULL;
	*b = p;
	*bn = n;
	if (comma) {
		const char *h = p, *v = comma + 1, *end = memchr(v, ',', (size_t)(p + n - v));
		size_t hn = (size_t)(comma - p), vn = (size_t)((end ? end : p + n) - v);
		trim(&h, &hn);
		trim(&v, &vn);
		if (hn >= 2 && h[0] == '"' && h[hn - 1] == '"')
			h++, hn -= 2;
		if (vn >= 2 && v[0] == '"' && v[vn - 1] == '"')
			v++, vn -= 2;
		if (hn && hn < hcap) {
			memcpy(hostbuf, h, hn);
			hostbuf[hn] = '\0';
			*host = hostbuf;
		}
		*b = v;
		*bn = vn;
		return;
	}
	/* "Version 15.1 (Build 2176.9)" holds blanks: a whole line that parses is a build */
	if (xh_build_parse(p, n, &probe))
		return;
	for (size_t k = 0; k < n; k++)
		if ((p[k] == ' ' || p[k] == '\t') && k < hcap) {
			memcpy(hostbuf, p, k);
			hostbuf[k] = '\0';
			*host = hostbuf;
			*b = p + k;
			*bn = n - k;
			trim(b, bn);
			return;
		}
}

static bool csv_header(const char *host, const char *b, size_t bn)
{
	return host && strcasecmp(host, "host") == 0 && bn == 5 && strncasecmp(b, "build", 5) == 0;
}

/* One build per line of stdin, '#' comments and blank lines skipped; the worst result of
 * one_build, or 3 on an output error. */
static int builds_from_stdin(struct xh_writer *w, struct tally *t)
{
	char line[256], host[256];
	unsigned long lineno = 0;
	int r, worst = 0;

	while (fgets(line, sizeof line, stdin)) {
		size_t n = strlen(line), bn;
		const char *p = line, *h, *b;
		lineno++;
		if (n == sizeof line - 1 && line[n - 1] != '\n') {
			int ch;
			while ((ch = getchar()) != EOF && ch != '\n')
				;
			r = one_build(w, t, NULL, line, n, lineno); /* reported as malformed (too long) */
		} else {
			trim(&p, &n);
			if (n == 0 || p[0] == '#')
				continue;
			inventory_line(p, n, host, sizeof host, &h, &b, &bn);
			if (lineno == 1 && csv_header(h, b, bn))
				continue;
			r = one_build(w, t, h, b, bn, lineno);
		}
		if (r == 3)
			return 3;
		worst = combine(worst, r);
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
		                                       : one_build(w, t, NULL, a->builds[i], strlen(a->builds[i]), 0);
		if (r == 3)
			return 3;
		worst = combine(worst, r);
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
