/*
 * `exhunt rules list | lint | test`: what the detection rules are, whether a rule file
 * is fit to ship, and the rule pack's own tests. A test folder is named after a rule's
 * Sigma `name` and holds small complete log files:
 *
 *   tests/rules/pl-55-01-ssrf-anchor/match.high.helsecert-mapi.log
 *   tests/rules/pl-55-01-ssrf-anchor/nomatch.nmap-localhost.log
 *
 * match.<level>.* must give a finding of that rule at that level (after correlation);
 * nomatch.* must give none of that rule. Every rule of the shipped pack needs at least
 * one match file.
 */
#define _GNU_SOURCE
#include "cli.h"
#include "commands.h"

#include <exhunt/exhunt.h>

#include <dirent.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static const char usage_rules[] =
	"usage: exhunt rules list [--rules PATH]... [--rules-only] [--literals]\n"
	"       exhunt rules lint PATH...\n"
	"       exhunt rules test [--rules PATH]... [--rules-only] [DIR]\n"
	"\n"
	"list   every rule loaded (the shipped pack, plus --rules): level, logsource, name,\n"
	"       title, and whether the literal prefilter can skip it; counts per logsource and\n"
	"       level; then every rule that could not be loaded, with the reason.\n"
	"       --literals prints only the prefilter's literals, one per line (lower case;\n"
	"       a grep -F -i -f baseline for benchmarks).\n"
	"lint   checks rule files as a pack rule must be: loads (no unsupported feature), has a\n"
	"       UUID id, a name, a title, a description, references, ATT&CK tags, a unique id,\n"
	"       and a literal the prefilter can use. Exit 1 on errors (warnings do not fail).\n"
	"test   runs the rule tests in DIR (default tests/rules): match.<level>.*.log must give\n"
	"       a finding of the folder's rule at that level, nomatch.*.log none; every pack\n"
	"       rule must have a match test. Prints failures and 'N passed, M failed'.\n"
	"\n"
	"examples:\n"
	"  exhunt rules list\n"
	"  exhunt rules lint my-rules/\n"
	"  exhunt rules test tests/rules\n";

/* ---- loading, with every rejection kept -------------------------------------------- */

struct reject {
	char *path, *rule, *why;
};

struct loaded {
	struct xh_rules *rs;
	struct reject *rej;
	size_t nrej, caprej;
	bool builtin;
};

static char *dup0(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void keep_reject(void *ud, const char *path, const char *rule, const char *why)
{
	struct loaded *l = ud;

	if (l->nrej == l->caprej) {
		size_t cap = l->caprej ? l->caprej * 2 : 32;
		struct reject *n = realloc(l->rej, cap * sizeof *n);
		if (!n)
			return;
		l->rej = n;
		l->caprej = cap;
	}
	l->rej[l->nrej++] = (struct reject){dup0(path), dup0(rule), dup0(why)};
}

static void loaded_free(struct loaded *l)
{
	for (size_t i = 0; i < l->nrej; i++) {
		free(l->rej[i].path);
		free(l->rej[i].rule);
		free(l->rej[i].why);
	}
	free(l->rej);
	xh_rules_free(l->rs);
}

/* Loads the pack (unless only) and the paths; false with a message on failure. */
static bool load(struct loaded *l, bool pack, const char *const *paths, size_t n, const char *cmd)
{
	memset(l, 0, sizeof *l);
	if (xh_rules_new(&l->rs) != XH_OK)
		return false;
	l->builtin = pack;
	if (pack && xh_rules_load_builtin(l->rs, keep_reject, l) != XH_OK) {
		fprintf(stderr, "exhunt rules %s: the built-in pack cannot be loaded\n", cmd);
		return false;
	}
	for (size_t i = 0; i < n; i++)
		if (xh_rules_load(l->rs, paths[i], keep_reject, l) != XH_OK) {
			fprintf(stderr, "exhunt rules %s: cannot load rules from '", cmd);
			put_escaped(stderr, paths[i], strlen(paths[i]));
			fputs("'\n", stderr);
			return false;
		}
	if (xh_rules_prepare(l->rs, NULL) != XH_OK) {
		fprintf(stderr, "exhunt rules %s: cannot build the rule prefilter\n", cmd);
		return false;
	}
	return true;
}

static void put_s(const char *s)
{
	if (s)
		put_escaped(stdout, s, strlen(s));
	else
		fputs("-", stdout);
}

static void print_rejects(const struct loaded *l)
{
	if (!l->nrej)
		return;
	printf("\nnot loaded (%zu):\n", l->nrej);
	for (size_t i = 0; i < l->nrej; i++) {
		fputs("  ", stdout);
		put_s(l->rej[i].path);
		if (l->rej[i].rule) {
			fputs(" (", stdout);
			put_s(l->rej[i].rule);
			fputs(")", stdout);
		}
		fputs(": ", stdout);
		put_s(l->rej[i].why);
		fputc('\n', stdout);
	}
}

/* ---- list ---------------------------------------------------------------------------- */

static int rules_list(struct loaded *l)
{
	struct xh_rules_stats st;
	struct xh_rule_info ri;
	struct {
		const char *ls;
		unsigned long long n[XH_LEVEL_COUNT];
	} by[64];
	size_t nby = 0;

	xh_rules_stats(l->rs, &st);
	printf("%llu rules loaded (%s), %zu not loaded; the prefilter skips %zu of them on records "
	       "without their literals, %zu run on every record of their logsource\n",
	       (unsigned long long)st.loaded, l->builtin ? "shipped pack included" : "shipped pack not loaded",
	       l->nrej, st.prefiltered, st.unfiltered);
	for (size_t i = 0; xh_rules_info(l->rs, i, &ri); i++) {
		size_t k = 0;
		while (k < nby && strcmp(by[k].ls, ri.logsource) != 0)
			k++;
		if (k == nby && nby < sizeof by / sizeof by[0]) {
			memset(&by[nby], 0, sizeof by[nby]);
			by[nby++].ls = ri.logsource;
		}
		if (k < nby)
			by[k].n[ri.level]++;
	}
	printf("\nby logsource and level:\n");
	for (size_t k = 0; k < nby; k++) {
		fputs("  ", stdout);
		put_s(by[k].ls);
		for (int v = XH_LEVEL_COUNT - 1; v >= 0; v--)
			if (by[k].n[v])
				printf("  %s %llu", xh_level_name((enum xh_level)v), by[k].n[v]);
		fputc('\n', stdout);
	}
	printf("\nrules (level, logsource, name or id, title, prefilter):\n");
	for (size_t i = 0; xh_rules_info(l->rs, i, &ri); i++) {
		printf("  %-13s  ", xh_level_name(ri.level));
		put_s(ri.logsource);
		fputs("  ", stdout);
		put_s(ri.name ? ri.name : ri.id);
		fputs("  ", stdout);
		put_s(ri.title);
		fputs(ri.prefiltered ? "  [literal]\n" : "  [every record]\n", stdout);
	}
	print_rejects(l);
	return EXIT_CLEAN;
}

/* ---- lint ---------------------------------------------------------------------------- */

static bool is_uuid(const char *s)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

	if (!s || strlen(s) != sizeof shape - 1)
		return false;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == '-' ? s[i] != '-' : !strchr("0123456789abcdefABCDEF", s[i]))
			return false;
	return true;
}

static void lint_msg(const char *kind, const struct xh_rule_info *ri, const char *msg, unsigned *count)
{
	printf("%s: ", kind);
	put_s(ri->path);
	fputs(" (", stdout);
	put_s(ri->title);
	printf("): %s\n", msg);
	(*count)++;
}

static int rules_lint(struct loaded *l)
{
	struct xh_rule_info ri, rj;
	unsigned errors = 0, warnings = 0;

	for (size_t i = 0; i < l->nrej; i++) {
		fputs("error: ", stdout);
		put_s(l->rej[i].path);
		fputs(": not loaded: ", stdout);
		put_s(l->rej[i].why);
		fputc('\n', stdout);
		errors++;
	}
	for (size_t i = 0; xh_rules_info(l->rs, i, &ri); i++) {
		bool attack = false, dup = false;
		const char *base = ri.path ? strrchr(ri.path, '/') : NULL;
		if (!is_uuid(ri.id))
			lint_msg("error", &ri, "id is not a UUID", &errors);
		if (!ri.title || !ri.title[0])
			lint_msg("error", &ri, "no title", &errors);
		for (size_t k = 0; k < i && !dup && ri.id; k++)
			/* variants of one Windows rule (Sysmon 1 and Security 4688) share the id
			 * and come from the same file */
			dup = xh_rules_info(l->rs, k, &rj) && rj.id && strcasecmp(rj.id, ri.id) == 0 &&
			      !(rj.path && ri.path && strcmp(rj.path, ri.path) == 0);
		if (dup)
			lint_msg("error", &ri, "id used by another rule", &errors);
		if (!ri.name)
			lint_msg("warning", &ri, "no name (tests and correlation refer to rules by name)", &warnings);
		else if (base && (strncmp(base + 1, ri.name, strlen(ri.name)) != 0 ||
		                  strcmp(base + 1 + strlen(ri.name), ".yml") != 0))
			lint_msg("warning", &ri, "name differs from the file name", &warnings);
		if (!ri.description || !ri.description[0])
			lint_msg("warning", &ri, "no description", &warnings);
		if (ri.nreferences == 0)
			lint_msg("warning", &ri, "no references", &warnings);
		for (size_t k = 0; k < ri.ntags; k++)
			attack = attack || strncasecmp(ri.tags[k], "attack.", 7) == 0;
		if (!attack)
			lint_msg("warning", &ri, "no ATT&CK tag", &warnings);
		if (!ri.prefiltered)
			lint_msg("warning", &ri, "no required literal: evaluated on every record of its logsource",
			         &warnings);
	}
	printf("%zu rules checked: %u errors, %u warnings\n", xh_rules_count(l->rs), errors, warnings);
	return errors ? EXIT_FINDINGS : EXIT_CLEAN;
}

/* ---- test ---------------------------------------------------------------------------- */

struct seen {
	char name[128];
	enum xh_level level;
};

struct collect {
	struct seen v[256];
	size_t n;
	bool overflow;           /* more findings than kept: the test cannot be judged */
};

/* Every rule a finding's record met counts, at its own weight in the finding after the
 * post-pass. */
static void on_finding(void *ud, const struct xh_finding *f)
{
	struct collect *c = ud;

	for (size_t i = 0; i < (f->nrules ? f->nrules : 1); i++) {
		const char *name = f->nrules ? f->rules[i].name : f->rule_name;
		if (!name)
			continue;
		if (c->n == sizeof c->v / sizeof c->v[0]) {
			c->overflow = true;
			return;
		}
		snprintf(c->v[c->n].name, sizeof c->v[c->n].name, "%s", name);
		c->v[c->n].level = f->nrules ? f->rules[i].level : f->level;
		c->n++;
	}
}

static xh_status discard(void *ud, const void *data, size_t len)
{
	(void)ud;
	(void)data;
	(void)len;
	return XH_OK;
}

static bool scan_one(struct xh_rules *rs, const char *file, struct collect *c)
{
	struct xh_writer *w = NULL;
	struct xh_writer_opts wo = {.findings = true};
	struct xh_scan_opts so;
	struct xh_report rep;
	const char *ev[1] = {file};
	xh_status st;

	c->n = 0;
	c->overflow = false;
	if (xh_writer_new("jsonl", &wo, discard, NULL, &w) != XH_OK)
		return false;
	xh_scan_opts_init(&so);
	so.jobs = 1;
	so.writer = w;
	so.hook = xh_rules_hook;
	so.hook_ud = rs;
	so.hook_worker_new = xh_rules_worker_new;
	so.hook_worker_free = xh_rules_worker_free;
	so.on_finding = on_finding;
	so.on_finding_ud = c;
	st = xh_scan(ev, 1, &so, &rep, NULL);
	if (st == XH_OK || st == XH_ENOEVIDENCE)
		xh_report_free(&rep);
	xh_writer_free(w);
	return st == XH_OK;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted entries of a folder (no dot files); NULL on error. */
static char **list_dir(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t cap = 0;

	*n = 0;
	if (!d)
		return NULL;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (*n == cap) {
			char **nv = realloc(v, (cap = cap ? cap * 2 : 32) * sizeof *nv);
			if (!nv)
				break;
			v = nv;
		}
		if ((v[*n] = strdup(e->d_name)) != NULL)
			(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(v, *n, sizeof *v, cmp_name);
	return v ? v : calloc(1, sizeof *v);
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* One test file of a rule's folder (sub: dir/rule): true when it passes; a failure is
 * printed. */
static bool test_file(struct loaded *l, struct collect *c, const char *sub, const char *rule, const char *file)
{
	char path[8192];
	bool match = strncmp(file, "match.", 6) == 0;
	enum xh_level want = XH_LEVEL_INFORMATIONAL;
	size_t hits = 0;

	if (match) {
		char lv[32];
		const char *dot = strchr(file + 6, '.');
		size_t ln = dot ? (size_t)(dot - file - 6) : 0;
		snprintf(lv, sizeof lv, "%.*s", (int)(ln < sizeof lv ? ln : sizeof lv - 1), file + 6);
		if (!dot || !xh_level_parse(lv, &want)) {
			printf("FAIL %s/%s: the file name has no level (match.<level>.<what>.log)\n", rule, file);
			return false;
		}
	}
	snprintf(path, sizeof path, "%s/%s", sub, file);
	if (!scan_one(l->rs, path, c) || c->overflow) {
		printf("FAIL %s/%s: %s\n", rule, file,
		       c->overflow ? "too many findings to judge (keep test files small)" : "could not be scanned");
		return false;
	}
	for (size_t j = 0; j < c->n; j++)
		hits += strcmp(c->v[j].name, rule) == 0 && (!match || c->v[j].level == want);
	if (match ? hits > 0 : hits == 0)
		return true;
	printf("FAIL %s/%s: %s", rule, file, match ? "no finding of the rule at " : "the rule fired");
	if (match)
		printf("%s", xh_level_name(want));
	printf("; findings:");
	for (size_t j = 0; j < c->n; j++)
		printf(" %s(%s)", c->v[j].name, xh_level_name(c->v[j].level));
	printf("%s\n", c->n ? "" : " none");
	return false;
}

/* Every rule of the shipped pack needs a match test: the number of those without, each
 * printed. */
static size_t untested_pack_rules(struct loaded *l, const char *dir)
{
	struct xh_rule_info ri;
	size_t failed = 0;

	for (size_t i = 0; l->builtin && xh_rules_info(l->rs, i, &ri); i++) {
		bool has = false;
		char sub[4096];
		size_t nf = 0;
		char **files;
		if (strncmp(ri.path, "builtin:", 8) != 0)
			continue;
		if (ri.name) {
			snprintf(sub, sizeof sub, "%s/%s", dir, ri.name);
			files = list_dir(sub, &nf);
			for (size_t k = 0; files && k < nf; k++)
				has = has || strncmp(files[k], "match.", 6) == 0;
			free_list(files, nf);
		}
		if (!has) {
			printf("FAIL %s: pack rule without a match test in %s/\n", ri.name ? ri.name : ri.path, dir);
			failed++;
		}
	}
	return failed;
}

static int rules_test(struct loaded *l, const char *dir)
{
	size_t nd = 0, passed = 0, failed = 0;
	char **dirs = list_dir(dir, &nd);
	struct collect *c = calloc(1, sizeof *c);

	if (!dirs || !c) {
		fprintf(stderr, "exhunt rules test: cannot read the test folder '");
		put_escaped(stderr, dir, strlen(dir));
		fprintf(stderr, "' (run from the source tree, or give DIR)\n");
		free(c);
		free_list(dirs, nd);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < nd; i++) {
		char sub[4096];
		size_t nf = 0;
		char **files;
		snprintf(sub, sizeof sub, "%s/%s", dir, dirs[i]);
		files = list_dir(sub, &nf);
		for (size_t k = 0; files && k < nf; k++) {
			if (strncmp(files[k], "match.", 6) != 0 && strncmp(files[k], "nomatch.", 8) != 0)
				continue;
			if (test_file(l, c, sub, dirs[i], files[k]))
				passed++;
			else
				failed++;
		}
		free_list(files, nf);
	}
	failed += untested_pack_rules(l, dir);
	printf("%zu passed, %zu failed\n", passed, failed);
	free(c);
	free_list(dirs, nd);
	return failed ? EXIT_FINDINGS : EXIT_CLEAN;
}

/* ---- the command ---------------------------------------------------------------------- */

struct rules_args {
	const char *sub; /* list, lint or test */
	struct opt_list rules;
	bool only, literals;
	const char *const *operands;
	int noperands;
};

#define AT(type, field) .at = OPT_AT(type, struct rules_args, field)
static const struct opt_row rules_rows[] = {
	{"rules", 0, OPT_LIST, AT(struct opt_list, rules), .max = 1024, .what = "too many --rules"},
	{"rules-only", 0, OPT_FLAG, AT(bool, only)},
	{"literals", 0, OPT_FLAG, AT(bool, literals)},
	{"help", 'h', OPT_HELP, .at = 0},
	{0},
};
#undef AT
static const struct opt_cmd rules_cmd = {"rules", rules_rows, {usage_rules, NULL}, "bad option", NULL};

/* argv[1] is the subcommand; its options follow. */
static int parse_rules_args(int argc, char **argv, struct rules_args *a)
{
	int rc;

	memset(a, 0, sizeof *a);
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_rules, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_CLEAN;
	}
	a->sub = argv[1];
	if (strcmp(a->sub, "list") != 0 && strcmp(a->sub, "lint") != 0 && strcmp(a->sub, "test") != 0)
		return usage_error("rules", "unknown subcommand '%s' (list, lint or test)", a->sub);
	if ((rc = parse_options(&rules_cmd, argc - 1, argv + 1, a)) != GO_ON)
		return rc;
	a->operands = (const char *const *)argv + 1 + optind;
	a->noperands = argc - 1 - optind;
	if (strcmp(a->sub, "lint") == 0 && a->noperands == 0)
		return usage_error("rules", "%s", "lint needs a rule file or folder");
	if (strcmp(a->sub, "lint") != 0 && a->only && !a->rules.n)
		return usage_error("rules", "%s", "--rules-only needs at least one --rules PATH");
	return GO_ON;
}

/* The prefilter's literals, one per line (those holding a line break are left out). */
static int print_literals(const struct loaded *l)
{
	const char *p;
	size_t n;

	for (size_t i = 0; (n = xh_rules_literal(l->rs, i, &p)) > 0; i++)
		if (!memchr(p, '\n', n)) {
			fwrite(p, 1, n, stdout);
			fputc('\n', stdout);
		}
	return EXIT_CLEAN;
}

static int run_rules(const struct rules_args *a)
{
	bool lint = strcmp(a->sub, "lint") == 0, list = strcmp(a->sub, "list") == 0;
	struct loaded l;
	int rc;

	/* lint checks exactly the paths given */
	if (!(lint ? load(&l, false, a->operands, (size_t)a->noperands, a->sub)
	           : load(&l, !a->only, a->rules.v, a->rules.n, a->sub))) {
		loaded_free(&l);
		return EXIT_USAGE;
	}
	if (lint)
		rc = rules_lint(&l);
	else if (list && a->literals)
		rc = print_literals(&l);
	else if (list)
		rc = a->noperands ? usage_error("rules", "%s", "list takes no operand") : rules_list(&l);
	else
		rc = rules_test(&l, a->noperands ? a->operands[0] : "tests/rules");
	loaded_free(&l);
	return rc;
}

int cmd_rules(int argc, char **argv)
{
	struct rules_args a;
	int rc = parse_rules_args(argc, argv, &a);

	return rc == GO_ON ? run_rules(&a) : rc;
}
