/*
 * `exhunt scan` and `exhunt dump`: they share the evidence options (format, output,
 * jobs, time window, quiet, colour), so one option table serves both and dump refuses
 * the detection options. parse_scan_args reads and checks the options; run_scan sets up
 * the file checks, the rules and the writer, runs the library's scan and turns its
 * report into an exit code.
 *
 * Exit codes, the first that holds: 2 usage error or no evidence readable; 1 some host is
 * COMPROMISED or SUSPICIOUS with findings at or above --fail-level; 3 some host is
 * INCOMPLETE (stderr names what could not be read); 0 otherwise (every host read, none
 * above the fail level). dump exits 0 unless 2 or 3.
 */
#define _GNU_SOURCE
#include "cli.h"
#include "commands.h"

#include <exhunt/exhunt.h>

#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* ---- help texts ---------------------------------------------------------------------- */

static const char usage_common[] =
	"options:\n"
	"  -f, --format FMT    text (default for scan), jsonl (default for dump) or csv\n"
	"  -o, --output FILE   write there instead of standard output (never inside the evidence)\n"
	"  -j, --jobs N        worker threads (default: all cores); output order is the same for any N\n"
	"      --since TIME    only records at or after TIME (UTC): 2021-03-01 or 2021-03-01T06:00:00\n"
	"      --until TIME    only records before TIME (UTC); records without a time are always kept\n"
	"  -q, --quiet         no progress and no summary on stderr\n"
	"      --no-color      no ANSI colour (also when NO_COLOR is set or output is not a terminal)\n"
	"  -h, --help          this help\n";

static const char usage_scan[] =
	"usage: exhunt scan [options] EVIDENCE...\n"
	"\n"
	"Reads every file of the evidence, classifies it by content (IIS W3C, Exchange\n"
	"HttpProxy/ECP/PowerShell/... CSV logs, OAB generator and other text logs, Windows\n"
	"event logs (.evtx, damaged ones read as far as they go), web-root files), parses\n"
	"the logs and reports findings grouped by level, then what was read per kind and\n"
	"folder (files, records, bad records and why, first and last time) and what the\n"
	"evidence cannot tell (e.g. logs that start after a campaign began).\n"
	"\n"
	"Detection: the shipped Exchange rule pack (Sigma, compiled in; 'exhunt rules list')\n"
	"runs by default. Findings are then judged together (same client, install root, the\n"
	"Exchange build running at the time), sorted by time, and the report opens with a\n"
	"one-line verdict: COMPROMISED, EXPLOITATION ATTEMPTED, SUSPICIOUS or NO EVIDENCE.\n"
	"\n"
	"  --rules PATH        also load Sigma rules from a .yml file or a folder (repeatable);\n"
	"                      webserver rules run on IIS logs, 'product: exchange' rules on\n"
	"                      Exchange logs, 'product: windows' rules on .evtx events by\n"
	"                      channel and EventID as SigmaHQ maps them (process_creation on\n"
	"                      Sysmon 1 and Security 4688; docs/logsources.md); rules that cannot\n"
	"                      be used are listed on stderr with the reason\n"
	"  --rules-only        run only the --rules given, not the shipped pack\n"
	"  --no-rules          no detection at all: read, count and report coverage only\n"
	"  --min-level LEVEL   do not list findings below LEVEL (they still count in correlation)\n"
	"  --no-prefilter      evaluate every rule on every record (diagnostic; same findings, slower)\n"
	"\n"
	"File checks (on by default): every file that is not a log, and every script page, is\n"
	"hashed (SHA-256; MD5 and SHA-1 up to 4 MB) against the known-bad hashes of the\n"
	"campaigns, compared with Microsoft's list of the pages it ships in Exchange's web\n"
	"folders (a page not on it, or a look-alike of a stock name, is at least high),\n"
	"scanned with the shipped YARA rules (China Chopper, the CVE-2021-27065 OAB dump,\n"
	"ProxyShell exports, SPORTSBALL, reGeorg, upload and command shells, LSASS dumps,\n"
	"DearCry) and judged by name and place (aspnet_client, owa\\auth, ProgramData archives,\n"
	"Windows\\Temp, C:\\root); applicationHost.config and web.config get rogue virtual\n"
	"directories and the ProxyLogon/ProxyNotShell URL Rewrite mitigations. A file's finding\n"
	"carries its size, SHA-256 and modification time (copying may change it).\n"
	"  --yara PATH         also run YARA rules from a file or every .yar/.yara below a folder\n"
	"                      (repeatable); meta level, family, title and tags are used\n"
	"  --allowlist FILE    add (path, sha256) pairs of good pages, e.g. from a clean server\n"
	"                      of a newer build (format: tools/gen_allowlist.py), repeatable\n"
	"  --max-scan-bytes N  content of each file scanned: N bytes, or N K/M (default 2M,\n"
	"                      4K to 256M); longer files are counted as cut in the coverage\n"
	"  --no-files          no file checks: logs only\n"
	"  --files-only        file checks only: no log is parsed (logs are counted)\n"
	"  --fail-level LEVEL  exit 1 when a COMPROMISED or SUSPICIOUS host has a finding at or\n"
	"                      above LEVEL: informational, low, medium, high (default) or critical\n"
	"  --host NAME=PATH    name the host whose collection is at PATH (an EVIDENCE argument or\n"
	"                      a folder in one), repeatable; others are named by their collector's\n"
	"                      metadata (Velociraptor, KAPE), else by their folder\n"
	"\n"
	"exit status, the first that holds: 2 usage error or no evidence readable;\n"
	"             1 a COMPROMISED or SUSPICIOUS host with findings at or above --fail-level;\n"
	"             3 a host INCOMPLETE (stderr names what could not be read); 0 otherwise\n"
	"\n"
	"examples:\n"
	"  exhunt scan examples/collection\n"
	"  exhunt scan --format jsonl -o report.jsonl triage.zip\n"
	"  exhunt scan --rules sigma/rules/windows C/Windows/System32/winevt/Logs\n"
	"  exhunt scan --since 2020-09-01 --fail-level medium /cases/exch01\n";

static const char usage_dump[] =
	"usage: exhunt dump [options] EVIDENCE...\n"
	"\n"
	"Prints every record read, one per line, with its source kind, evidence-relative\n"
	"path, line number, byte offset, UTC time, named fields and raw text. Bad records\n"
	"are included with the reason (\"bad\"). Good for debugging rules and for piping:\n"
	"  exhunt dump evidence/ | jq 'select(.source==\"httpproxy\") | .fields.AnchorMailbox'\n"
	"\n";

/* ---- options ------------------------------------------------------------------------- */

struct scan_args {
	const char *cmd; /* "scan" or "dump" */
	bool dump;
	const char *format, *output;
	bool quiet, no_color;
	unsigned jobs; /* 0: all cores */
	int64_t since, until;
	enum xh_level fail_level, min_level;
	bool rules_only, no_rules, no_prefilter, no_files, files_only;
	struct opt_list rules, yara, allow, hosts;
	uint64_t max_scan; /* 0: the library's default */
	const char *const *evidence;
	size_t nevidence;
};

enum { FOR_SCAN = 1 }; /* tag of the options dump refuses as they come */

#define AT(type, field) .at = OPT_AT(type, struct scan_args, field)
static const struct opt_row scan_rows[] = {
	{"format", 'f', OPT_TEXT, AT(const char *, format)},
	{"output", 'o', OPT_TEXT, AT(const char *, output)},
	{"jobs", 'j', OPT_UINT, AT(unsigned, jobs), .min = 1, .max = 256},
	{"since", 0, OPT_TIME, AT(int64_t, since)},
	{"until", 0, OPT_TIME, AT(int64_t, until)},
	{"quiet", 'q', OPT_FLAG, AT(bool, quiet)},
	{"no-color", 0, OPT_FLAG, AT(bool, no_color)},
	{"fail-level", 0, OPT_LEVEL, AT(enum xh_level, fail_level), .tag = FOR_SCAN},
	{"help", 'h', OPT_HELP, .at = 0},
	{"rules", 0, OPT_LIST, AT(struct opt_list, rules), .max = 1024, .what = "at most 1024 --rules options",
	 .tag = FOR_SCAN},
	{"rules-only", 0, OPT_FLAG, AT(bool, rules_only)},
	{"no-rules", 0, OPT_FLAG, AT(bool, no_rules)},
	{"min-level", 0, OPT_LEVEL, AT(enum xh_level, min_level), .tag = FOR_SCAN},
	{"no-prefilter", 0, OPT_FLAG, AT(bool, no_prefilter)},
	{"yara", 0, OPT_LIST, AT(struct opt_list, yara), .max = 1024, .what = "at most 1024 --yara options",
	 .tag = FOR_SCAN},
	{"no-files", 0, OPT_FLAG, AT(bool, no_files)},
	{"files-only", 0, OPT_FLAG, AT(bool, files_only)},
	{"max-scan-bytes", 0, OPT_SIZE, AT(uint64_t, max_scan), .min = 4 << 10, .max = 256 << 20,
	 .note = "like 65536, 512K or 8M", .tag = FOR_SCAN},
	{"allowlist", 0, OPT_LIST, AT(struct opt_list, allow), .max = 64, .what = "at most 64 --allowlist options",
	 .tag = FOR_SCAN},
	{"host", 0, OPT_LIST, AT(struct opt_list, hosts), .max = 1024, .what = "at most 1024 --host options"},
	{0},
};
#undef AT

static int dump_refuses(const struct opt_cmd *c, const struct opt_row *r, const char *arg, void *args);
static const struct opt_cmd scan_cmd = {"scan", scan_rows, {usage_scan, usage_common}, NULL, dump_refuses};
static const struct opt_cmd dump_cmd = {"dump", scan_rows, {usage_dump, usage_common}, NULL, dump_refuses};

/* dump reads and prints records: the detection options are scan's. A level is refused
 * as a bad value, the others as being for scan; dump's flags are judged after parsing. */
static int dump_refuses(const struct opt_cmd *c, const struct opt_row *r, const char *arg, void *args)
{
	(void)args;
	if (c != &dump_cmd || !(r->tag & FOR_SCAN))
		return GO_ON;
	if (r->kind == OPT_LEVEL)
		return option_error(c->name, r, arg);
	return usage_error(c->name, "--%s is for scan", r->name);
}

/* True when path (resolved) is root or lies below it. */
static bool below(const char *path, const char *root)
{
	size_t n = strlen(root);
	return strncmp(path, root, n) == 0 && (path[n] == '/' || path[n] == '\0' || strcmp(root, "/") == 0);
}

/* Refuses an output that is, or is inside, any EVIDENCE (a folder, zip or log file),
 * also through a symbolic link: exhunt never writes into the evidence. */
static bool inside_evidence(const char *output, const char *const *ev, size_t nev)
{
	char out[PATH_MAX], evr[PATH_MAX], tmp[PATH_MAX];
	const char *slash = strrchr(output, '/');

	if (!realpath(output, out)) {
		/* does not exist yet: judge by its folder */
		if (slash) {
			snprintf(tmp, sizeof tmp, "%.*s", (int)(slash - output), output);
			if (tmp[0] == '\0')
				snprintf(tmp, sizeof tmp, "/");
		} else {
			snprintf(tmp, sizeof tmp, ".");
		}
		if (!realpath(tmp, out))
			return false;
	}
	for (size_t i = 0; i < nev; i++) {
		if (realpath(ev[i], evr) && below(out, evr))
			return true;
	}
	return false;
}

/* The options that cannot go together; GO_ON or the exit code after the message. */
static int check_combinations(const struct scan_args *a)
{
	const char *cmd = a->cmd;
	bool file_opts = a->files_only || a->yara.n || a->allow.n || a->max_scan;

	for (size_t i = 0; i < a->hosts.n; i++) {
		const char *eq = strchr(a->hosts.v[i], '=');
		if (!eq || eq == a->hosts.v[i] || !eq[1] || eq - a->hosts.v[i] > 255)
			return usage_error(cmd, "--host wants NAME=PATH (a name of 1 to 255 bytes, then the collection's path), not '%s'",
			                   a->hosts.v[i]);
	}
	if (a->dump && (a->rules_only || a->no_rules || a->no_prefilter))
		return usage_error(cmd, "%s", "--rules-only, --no-rules and --no-prefilter are for scan");
	if (a->no_rules && (a->rules.n || a->rules_only))
		return usage_error(cmd, "%s", "--no-rules cannot be combined with --rules or --rules-only");
	if (a->rules_only && !a->rules.n)
		return usage_error(cmd, "%s", "--rules-only needs at least one --rules PATH");
	if (a->dump && (a->no_files || a->files_only))
		return usage_error(cmd, "%s", "--no-files and --files-only are for scan");
	if (a->no_files && file_opts)
		return usage_error(cmd, "%s", "--no-files cannot be combined with --files-only, --yara, --allowlist or --max-scan-bytes");
	if (a->no_rules && file_opts)
		return usage_error(cmd, "%s", "--no-rules turns all detection off, file checks included");
	if (a->files_only && (a->rules.n || a->rules_only || a->no_prefilter))
		return usage_error(cmd, "%s", "--files-only reads no log: --rules, --rules-only and --no-prefilter do not apply");
	if (a->since != XH_TIME_NONE && a->until != XH_TIME_NONE && a->until <= a->since)
		return usage_error(cmd, "%s", "--until must be later than --since");
	return GO_ON;
}

/* argv[0] is "scan" or "dump". GO_ON, or the exit code after the help or a message. */
static int parse_scan_args(int argc, char **argv, struct scan_args *a)
{
	int rc;

	memset(a, 0, sizeof *a);
	a->cmd = argv[0];
	a->dump = strcmp(argv[0], "dump") == 0;
	a->format = a->dump ? "jsonl" : "text";
	a->since = a->until = XH_TIME_NONE;
	a->fail_level = XH_LEVEL_HIGH;
	a->min_level = XH_LEVEL_INFORMATIONAL;
	if ((rc = parse_options(a->dump ? &dump_cmd : &scan_cmd, argc, argv, a)) != GO_ON)
		return rc;
	if (optind >= argc)
		return usage_error(a->cmd, "%s", "no EVIDENCE given (a folder, a .zip or a log file)");
	a->evidence = (const char *const *)argv + optind;
	a->nevidence = (size_t)(argc - optind);
	if ((rc = check_combinations(a)) != GO_ON)
		return rc;
	if (a->output && inside_evidence(a->output, a->evidence, a->nevidence))
		return usage_error(a->cmd, "refusing to write '%s' inside the evidence", a->output);
	return GO_ON;
}

/* ---- running ------------------------------------------------------------------------- */

struct reject_count {
	unsigned long long n;
	bool quiet;
};

/* What a running scan holds; run_scan frees it. */
struct scan_run {
	const struct scan_args *a;
	FILE *out;
	struct progress progress;
	struct reject_count rj;
	struct xh_files *files;
	struct xh_rules *rules;
	struct xh_writer *w;
};

/* A rule that cannot be used: said on stderr (paths and titles escaped). */
static void on_reject(void *ud, const char *path, const char *rule, const char *why)
{
	struct reject_count *rc = ud;

	rc->n++;
	if (rc->quiet)
		return;
	fputs("rule not loaded: ", stderr);
	put_escaped(stderr, path, strlen(path));
	if (rule) {
		fputs(" (", stderr);
		put_escaped(stderr, rule, strlen(rule));
		fputs(")", stderr);
	}
	fputs(": ", stderr);
	put_escaped(stderr, why, strlen(why));
	fputc('\n', stderr);
}

static void human(double v, char *buf, size_t cap)
{
	const char *u[] = {"B", "KB", "MB", "GB", "TB"};
	unsigned i = 0;
	while (v >= 1000 && i < 4) {
		v /= 1000;
		i++;
	}
	snprintf(buf, cap, "%.1f %s", v, u[i]);
}

/* Files and bytes done, rate and time left; nothing for scans shorter than a second. */
static void on_progress(void *ud, const struct xh_progress *p)
{
	struct progress *pr = ud;
	char done[16], total[16], rate[16], eta[32] = "";
	double bps;

	if (p->seconds < 1.0 && !pr->shown)
		return;
	if (p->files_done == p->files_total && !pr->shown)
		return;
	bps = p->seconds > 0 ? (double)p->bytes_done / p->seconds : 0;
	human((double)p->bytes_done, done, sizeof done);
	human((double)p->bytes_total, total, sizeof total);
	human(bps, rate, sizeof rate);
	if (bps > 0 && p->bytes_total > p->bytes_done) {
		double left = (double)(p->bytes_total - p->bytes_done) / bps;
		/* sizes come from archive headers (attacker-chosen): clamp before converting */
		long long s = left > 359999.0 ? 359999 : (long long)left;
		snprintf(eta, sizeof eta, "  ETA %lld:%02lld", s / 60, s % 60);
	}
	progress_show(pr, "[%llu/%llu files] %s of %s  %s/s%s", (unsigned long long)p->files_done,
	              (unsigned long long)p->files_total, done, total, rate, eta);
}

/* The file checks: the shipped lists and rules, --yara, --allowlist, --max-scan-bytes. */
static int setup_files(struct scan_run *r)
{
	const struct scan_args *a = r->a;
	struct xh_error ferr = {0};

	if (a->dump || a->no_rules || a->no_files)
		return GO_ON;
	if (xh_files_new(&r->files, &ferr) != XH_OK) {
		fprintf(stderr, "exhunt %s: the file checks cannot be set up: %s: %s\n", a->cmd, ferr.path, ferr.msg);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < a->yara.n; i++)
		if (xh_files_add_yara(r->files, a->yara.v[i], on_reject, &r->rj) != XH_OK)
			return usage_error(a->cmd, "cannot load YARA rules from '%s'", a->yara.v[i]);
	for (size_t i = 0; i < a->allow.n; i++)
		if (xh_files_add_allowlist(r->files, a->allow.v[i], &ferr) != XH_OK)
			return usage_error(a->cmd, "cannot load the allow-list '%s' (line %llu: %s)", a->allow.v[i],
			                   (unsigned long long)ferr.line, ferr.msg);
	/* the option's range is the library's: this is a guard, not a second check */
	if (a->max_scan && !xh_files_set_max_scan(r->files, a->max_scan))
		return usage_error(a->cmd, "--max-scan-bytes wants 4K to 256M, not %llu bytes", (unsigned long long)a->max_scan);
	if (xh_files_prepare(r->files, &ferr) != XH_OK) {
		fprintf(stderr, "exhunt %s: the YARA rules cannot be compiled: %s\n", a->cmd, ferr.msg);
		return EXIT_USAGE;
	}
	return GO_ON;
}

/* The Sigma rules: the shipped pack first, then --rules: the same order on every run. */
static int setup_rules(struct scan_run *r)
{
	const struct scan_args *a = r->a;

	if (a->dump || a->no_rules || a->files_only)
		return GO_ON;
	if (xh_rules_new(&r->rules) != XH_OK)
		return EXIT_USAGE;
	if (!a->rules_only && xh_rules_load_builtin(r->rules, on_reject, &r->rj) != XH_OK) {
		fprintf(stderr, "exhunt %s: the built-in rule pack cannot be loaded\n", a->cmd);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < a->rules.n; i++)
		if (xh_rules_load(r->rules, a->rules.v[i], on_reject, &r->rj) != XH_OK)
			return usage_error(a->cmd, "cannot load rules from '%s'", a->rules.v[i]);
	if (a->no_prefilter)
		xh_rules_set_prefilter(r->rules, false);
	return GO_ON;
}

/* The writer of --format. */
static int setup_writer(struct scan_run *r)
{
	const struct scan_args *a = r->a;
	struct xh_writer_opts wo = {0};
	xh_status st;

	wo.records = a->dump;
	wo.findings = !a->dump;
	wo.coverage = !a->dump;
	wo.color = use_color(a->no_color, a->output);
	st = xh_writer_new(a->format, &wo, sink_file, r->out, &r->w);
	if (st == XH_ENOTFOUND)
		return usage_error(a->cmd, "unknown --format '%s' (text, jsonl or csv)", a->format);
	if (st) {
		fprintf(stderr, "exhunt: %s\n", xh_strerror(st));
		return EXIT_USAGE;
	}
	return GO_ON;
}

/* What was loaded, said on stderr. */
static void say_loaded(const struct scan_run *r)
{
	const struct scan_args *a = r->a;

	if (r->rules && !a->quiet) {
		struct xh_rules_stats rst;
		xh_rules_stats(r->rules, &rst);
		fprintf(stderr, "exhunt %s: %llu rules loaded%s, %llu not loaded%s\n", a->cmd,
		        (unsigned long long)rst.loaded, a->rules_only ? "" : " (with the shipped pack)",
		        (unsigned long long)(rst.rejected + rst.unreadable),
		        rst.rejected + rst.unreadable ? " (listed above)" : "");
	}
	if (r->files && !a->quiet) {
		struct xh_files_stats fst;
		xh_files_stats(r->files, &fst);
		fprintf(stderr, "exhunt %s: file checks: %zu YARA rules from %zu files, %zu known-bad hashes, "
		        "allow-list of %zu pages (%zu hashes)\n", a->cmd, fst.yara_rules, fst.yara_files, fst.bad_hashes,
		        fst.allow_paths, fst.allow_pairs);
	}
}

/* What could not be read of an INCOMPLETE host, on stderr whatever -q says: a responder
 * must not take a partial answer for a whole one. */
static void say_incomplete(const struct scan_args *a, const struct xh_report *rep, uint32_t h)
{
	const struct xh_host *host = &rep->hosts[h];
	size_t said = 0;

	fprintf(stderr, "exhunt %s: host ", a->cmd);
	put_escaped(stderr, host->name, strlen(host->name));
	fprintf(stderr, " is INCOMPLETE: %llu file%s could not be read, %llu bad records\n",
	        (unsigned long long)host->files_unreadable, host->files_unreadable == 1 ? "" : "s",
	        (unsigned long long)host->bad_records);
	for (size_t g = 0; g < rep->ngroups; g++) {
		const struct xh_cover_group *grp = &rep->groups[g];
		if (grp->host != h)
			continue;
		for (size_t k = 0; k < grp->nunreadable && said < 10; k++, said++) {
			fprintf(stderr, "  unreadable: ");
			put_escaped(stderr, grp->unreadable[k].path, strlen(grp->unreadable[k].path));
			fprintf(stderr, ": %s\n", grp->unreadable[k].what);
		}
	}
	if (host->files_unreadable > said)
		fprintf(stderr, "  ... and %llu more (the coverage of the report lists them per folder)\n",
		        (unsigned long long)(host->files_unreadable - said));
}

/* The exit code of a scan's report (see the top of this file). */
static int host_exit(const struct scan_args *a, const struct xh_report *rep)
{
	bool over = false, incomplete = false;

	for (uint32_t h = 0; h < rep->nhosts; h++) {
		const struct xh_host *host = &rep->hosts[h];
		if (host->verdict == XH_VERDICT_COMPROMISED || host->verdict == XH_VERDICT_SUSPICIOUS)
			for (unsigned l = a->fail_level; l < XH_LEVEL_COUNT; l++)
				over = over || host->findings[l];
		if (host->verdict == XH_VERDICT_INCOMPLETE) {
			incomplete = true;
			say_incomplete(a, rep, h);
		}
	}
	if (over && !a->dump)
		return EXIT_FINDINGS;
	return incomplete ? EXIT_INCOMPLETE : EXIT_CLEAN;
}

/* The scan itself, and the exit code its report gives. */
static int scan_and_report(struct scan_run *r)
{
	const struct scan_args *a = r->a;
	struct xh_scan_opts so;
	struct xh_report rep;
	struct xh_error err = {0};
	struct xh_host_name hn[OPT_LIST_CAP];
	static char names[OPT_LIST_CAP][256];
	xh_status st;
	int rc = EXIT_CLEAN;

	xh_scan_opts_init(&so);
	so.jobs = a->jobs;
	if (r->rules) {
		so.hook = xh_rules_hook;
		so.hook_ud = r->rules;
		so.hook_worker_new = xh_rules_worker_new;
		so.hook_worker_free = xh_rules_worker_free;
	}
	so.files = r->files;
	so.files_only = a->files_only;
	so.since_ms = a->since;
	so.until_ms = a->until;
	so.min_level = a->min_level;
	so.writer = r->w;
	/* --host NAME=PATH: the name is cut at the first '=' into names[] (a path may hold '=') */
	for (size_t i = 0; i < a->hosts.n; i++) {
		const char *eq = strchr(a->hosts.v[i], '=');
		snprintf(names[i], sizeof names[i], "%.*s", (int)(eq - a->hosts.v[i]), a->hosts.v[i]);
		hn[i] = (struct xh_host_name){names[i], eq + 1};
	}
	so.host_names = hn;
	so.nhost_names = a->hosts.n;
	if (progress_wanted(a->quiet)) {
		so.progress = on_progress;
		so.progress_ud = &r->progress;
	}
	st = xh_scan(a->evidence, a->nevidence, &so, &rep, &err);
	progress_clear(&r->progress);
	if (st && st != XH_ENOEVIDENCE) {
		fprintf(stderr, "exhunt %s: %s%s%s\n", a->cmd, err.path[0] ? err.path : "", err.path[0] ? ": " : "",
		        err.msg[0] ? err.msg : xh_strerror(st));
		return EXIT_USAGE;
	}
	if (st == XH_ENOEVIDENCE) {
		fprintf(stderr, "exhunt %s: no evidence could be read (%llu files found, %llu unreadable, %llu skipped)\n",
		        a->cmd, (unsigned long long)rep.files_total, (unsigned long long)rep.files_unreadable,
		        (unsigned long long)rep.files_skipped);
		rc = EXIT_USAGE;
	} else {
		rc = host_exit(a, &rep);
		if (!a->quiet && (a->dump || strcmp(a->format, "text") != 0 || a->output))
			fprintf(stderr, "exhunt %s: %llu files (%llu read, %llu unreadable, %llu skipped), %llu records, %llu bad, in %.2f s\n",
			        a->cmd, (unsigned long long)rep.files_total, (unsigned long long)rep.files_read,
			        (unsigned long long)rep.files_unreadable, (unsigned long long)rep.files_skipped,
			        (unsigned long long)rep.records, (unsigned long long)rep.bad_records, rep.seconds);
	}
	xh_report_free(&rep);
	return rc;
}

static int run_scan(const struct scan_args *a)
{
	struct scan_run r = {.a = a, .out = stdout, .rj = {0, a->quiet}};
	int rc;

	if (a->output && !(r.out = open_output(a->output, 0)))
		return cannot_write(a->cmd, a->output);
	rc = setup_files(&r);
	if (rc == GO_ON)
		rc = setup_rules(&r);
	if (rc == GO_ON)
		rc = setup_writer(&r);
	if (rc == GO_ON) {
		say_loaded(&r);
		rc = scan_and_report(&r);
	}
	xh_rules_free(r.rules);
	xh_files_free(r.files);
	xh_writer_free(r.w);
	if (!close_output(r.out)) {
		if (r.out != stdout)
			fprintf(stderr, "exhunt %s: error writing '%s'\n", a->cmd, a->output);
		rc = EXIT_USAGE;
	}
	return rc;
}

int cmd_scan(int argc, char **argv)
{
	struct scan_args a;
	int rc = parse_scan_args(argc, argv, &a);

	return rc == GO_ON ? run_scan(&a) : rc;
}
