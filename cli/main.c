/*
 * exhunt command line: parses options, picks a writer, runs the library and turns its
 * report into an exit code. All hunting logic lives in the library; this file only
 * talks to the user (help, errors, progress on a terminal) and to stdout/-o.
 *
 * Exit codes: 0 nothing at or above --fail-level, 1 findings at or above it,
 * 2 usage error or no evidence readable.
 */
#define _GNU_SOURCE
#include "exhunt/exhunt.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

struct cli {
	const char *format;
	const char *output;
	bool quiet, no_color;
	unsigned jobs;
	int64_t since, until;
	enum xh_level fail_level;
	FILE *out;
	bool progress_shown;
};

/* ---- help texts ---------------------------------------------------------------------- */

static const char usage_main[] =
	"exhunt " EXHUNT_VERSION " - hunt for compromise in Microsoft Exchange evidence\n"
	"\n"
	"usage: exhunt COMMAND [options] ...\n"
	"\n"
	"commands:\n"
	"  scan EVIDENCE...   read the evidence and report findings and what it covers\n"
	"  dump EVIDENCE...   print every record read, as JSON Lines (or csv/text)\n"
	"  build BUILD...     which exploited CVEs an Exchange build leaves open (- reads stdin)\n"
	"  rules list|lint|test  the detection rules: what is loaded and why not, checks, tests\n"
	"  probe TARGET...    which Exchange builds hosts run, seen from the network (GETs only)\n"
	"  formats            list the input kinds exhunt recognises and their fields\n"
	"  help [COMMAND]     show help for a command\n"
	"  --version          print the version\n"
	"\n"
	"EVIDENCE is a folder (a copied tree C/inetpub/..., KAPE output, a Velociraptor\n"
	"collection with uploads/auto/C%3A/...), a .zip triage archive (read in place, never\n"
	"extracted) or a single log file. Files are recognised by content, not by name;\n"
	".gz logs are read transparently. Evidence is only ever opened read-only.\n"
	"\n"
	"Run 'exhunt help scan' for the options.\n";

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
	"  --fail-level LEVEL  exit 1 when a finding is at or above LEVEL: informational, low,\n"
	"                      medium, high (default) or critical\n"
	"\n"
	"exit status: 0 nothing at or above --fail-level, 1 findings at or above it,\n"
	"             2 usage error or no evidence readable\n"
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

/* ---- output -------------------------------------------------------------------------- */

static xh_status sink_file(void *ud, const void *data, size_t len)
{
	struct cli *c = ud;
	return fwrite(data, 1, len, c->out) == len ? XH_OK : XH_EIO;
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

static void on_progress(void *ud, const struct xh_progress *p)
{
	struct cli *c = ud;
	char done[16], total[16], rate[16], eta[32] = "";
	double bps;

	if (p->seconds < 1.0 && !c->progress_shown)
		return;
	if (p->files_done == p->files_total && !c->progress_shown)
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
	fprintf(stderr, "\r\033[K[%llu/%llu files] %s of %s  %s/s%s", (unsigned long long)p->files_done,
	        (unsigned long long)p->files_total, done, total, rate, eta);
	c->progress_shown = true;
}

/* ---- option parsing --------------------------------------------------------------------- */

static bool parse_uint(const char *s, unsigned max, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > max || s[0] == '-')
		return false;
	*out = (unsigned)v;
	return true;
}

/* "65536", "512K", "8M" (binary units); the library checks the range. */
static bool parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || s[0] == '-')
		return false;
	if (*end == 'K' || *end == 'k')
		v <<= 10, end++;
	else if (*end == 'M' || *end == 'm')
		v <<= 20, end++;
	if (*end || v == 0)
		return false;
	*out = v;
	return true;
}

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "exhunt %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'exhunt help %s'.\n", cmd);
	return EXIT_USAGE;
}

/* True when path (resolved) is root or lies below it. */
static bool below(const char *path, const char *root)
{
	size_t n = strlen(root);
	return strncmp(path, root, n) == 0 && (path[n] == '/' || path[n] == '\0' || strcmp(root, "/") == 0);
}

/* Refuses an output that is, or is inside, any EVIDENCE (a folder, zip or log file),
 * also through a symbolic link: exhunt never writes into the evidence. */
static bool inside_evidence(const char *output, char *const *ev, int nev)
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
	for (int i = 0; i < nev; i++) {
		if (realpath(ev[i], evr) && below(out, evr))
			return true;
	}
	return false;
}


struct reject_count {
	unsigned long long n;
	unsigned long long shown;
	bool quiet;
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

static int run_scan(const char *cmd, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'}, {"output", required_argument, NULL, 'o'},
		{"jobs", required_argument, NULL, 'j'},   {"since", required_argument, NULL, 'S'},
		{"until", required_argument, NULL, 'U'},  {"quiet", no_argument, NULL, 'q'},
		{"no-color", no_argument, NULL, 'C'},     {"fail-level", required_argument, NULL, 'L'},
		{"help", no_argument, NULL, 'h'},         {"rules", required_argument, NULL, 'R'},
		{"rules-only", no_argument, NULL, 'O'},   {"no-rules", no_argument, NULL, 'N'},
		{"min-level", required_argument, NULL, 'M'}, {"no-prefilter", no_argument, NULL, 'P'},
		{"yara", required_argument, NULL, 'Y'},   {"no-files", no_argument, NULL, 'F'},
		{"files-only", no_argument, NULL, 'G'},   {"max-scan-bytes", required_argument, NULL, 'B'},
		{"allowlist", required_argument, NULL, 'A'},
		{NULL, 0, NULL, 0},
	};
	bool rules_only = false, no_rules = false, no_prefilter = false, no_files = false, files_only = false;
	const char *rule_paths[1024], *yara_paths[1024], *allow_paths[64];
	size_t nrule_paths = 0, nyara = 0, nallow = 0;
	uint64_t max_scan = 0;
	struct xh_files *files = NULL;
	enum xh_level min_level = XH_LEVEL_INFORMATIONAL;
	bool dump = strcmp(cmd, "dump") == 0;
	struct xh_rules *rules = NULL;
	struct reject_count rj = {0, 0, false};
	struct cli c = {.format = dump ? "jsonl" : "text", .since = XH_TIME_NONE, .until = XH_TIME_NONE,
	                .fail_level = XH_LEVEL_HIGH, .out = stdout};
	struct xh_writer_opts wo = {0};
	struct xh_writer *w = NULL;
	struct xh_scan_opts so;
	struct xh_report rep;
	struct xh_error err = {0};
	xh_status st;
	int opt, rc = EXIT_CLEAN;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "f:o:j:qh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'f': c.format = optarg; break;
		case 'o': c.output = optarg; break;
		case 'j':
			if (!parse_uint(optarg, 256, &c.jobs) || c.jobs == 0)
				return usage_error(cmd, "--jobs wants a number from 1 to 256, not '%s'", optarg);
			break;
		case 'S':
			if (!xh_time_parse(optarg, &c.since))
				return usage_error(cmd, "--since wants a UTC time like 2021-03-01 or 2021-03-01T06:00:00, not '%s'", optarg);
			break;
		case 'U':
			if (!xh_time_parse(optarg, &c.until))
				return usage_error(cmd, "--until wants a UTC time like 2021-03-01 or 2021-03-01T06:00:00, not '%s'", optarg);
			break;
		case 'q': c.quiet = true; break;
		case 'C': c.no_color = true; break;
		case 'R':
			if (dump)
				return usage_error(cmd, "%s", "--rules is for scan");
			if (nrule_paths == (sizeof rule_paths / sizeof rule_paths[0]))
				return usage_error(cmd, "at most %zu --rules options", (sizeof rule_paths / sizeof rule_paths[0]));
			rule_paths[nrule_paths++] = optarg;
			break;
		case 'Y':
		case 'A':
			if (dump)
				return usage_error(cmd, "%s", opt == 'Y' ? "--yara is for scan" : "--allowlist is for scan");
			if (opt == 'Y' && nyara == sizeof yara_paths / sizeof yara_paths[0])
				return usage_error(cmd, "at most %zu --yara options", sizeof yara_paths / sizeof yara_paths[0]);
			if (opt == 'A' && nallow == sizeof allow_paths / sizeof allow_paths[0])
				return usage_error(cmd, "at most %zu --allowlist options", sizeof allow_paths / sizeof allow_paths[0]);
			if (opt == 'Y')
				yara_paths[nyara++] = optarg;
			else
				allow_paths[nallow++] = optarg;
			break;
		case 'F': no_files = true; break;
		case 'G': files_only = true; break;
		case 'B':
			if (dump || !parse_size(optarg, &max_scan))
				return usage_error(cmd, "--max-scan-bytes wants a size like 65536, 512K or 8M (4K to 256M), not '%s'", optarg);
			break;
		case 'O': rules_only = true; break;
		case 'N': no_rules = true; break;
		case 'P': no_prefilter = true; break;
		case 'M':
			if (dump || !xh_level_parse(optarg, &min_level))
				return usage_error(cmd, "--min-level wants informational, low, medium, high or critical, not '%s'", optarg);
			break;
		case 'L':
			if (dump || !xh_level_parse(optarg, &c.fail_level))
				return usage_error(cmd, "--fail-level wants informational, low, medium, high or critical, not '%s'", optarg);
			break;
		case 'h':
			fputs(dump ? usage_dump : usage_scan, stdout);
			fputs(usage_common, stdout);
			return EXIT_CLEAN;
		default:
			fprintf(stderr, "Try 'exhunt help %s'.\n", cmd);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return usage_error(cmd, "%s", "no EVIDENCE given (a folder, a .zip or a log file)");
	if (dump && (rules_only || no_rules || no_prefilter))
		return usage_error(cmd, "%s", "--rules-only, --no-rules and --no-prefilter are for scan");
	if (no_rules && (nrule_paths || rules_only))
		return usage_error(cmd, "%s", "--no-rules cannot be combined with --rules or --rules-only");
	if (rules_only && !nrule_paths)
		return usage_error(cmd, "%s", "--rules-only needs at least one --rules PATH");
	if (dump && (no_files || files_only))
		return usage_error(cmd, "%s", "--no-files and --files-only are for scan");
	if (no_files && (files_only || nyara || nallow || max_scan))
		return usage_error(cmd, "%s", "--no-files cannot be combined with --files-only, --yara, --allowlist or --max-scan-bytes");
	if (no_rules && (files_only || nyara || nallow || max_scan))
		return usage_error(cmd, "%s", "--no-rules turns all detection off, file checks included");
	if (files_only && (nrule_paths || rules_only || no_prefilter))
		return usage_error(cmd, "%s", "--files-only reads no log: --rules, --rules-only and --no-prefilter do not apply");
	if (c.since != XH_TIME_NONE && c.until != XH_TIME_NONE && c.until <= c.since)
		return usage_error(cmd, "%s", "--until must be later than --since");
	if (c.output) {
		if (inside_evidence(c.output, argv + optind, argc - optind))
			return usage_error(cmd, "refusing to write '%s' inside the evidence", c.output);
		{
			/* O_NOFOLLOW: a link planted at the output path cannot redirect the write */
			int fd = open(c.output, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
			c.out = fd >= 0 ? fdopen(fd, "w") : NULL;
			if (fd >= 0 && !c.out)
				close(fd);
		}
		if (!c.out) {
			fprintf(stderr, "exhunt %s: cannot write '%s': %s\n", cmd, c.output, strerror(errno));
			return EXIT_USAGE;
		}
	}
	rj.quiet = c.quiet;
	if (!dump && !no_rules && !no_files) {
		struct xh_error ferr = {0};
		if (xh_files_new(&files, &ferr) != XH_OK) {
			fprintf(stderr, "exhunt %s: the file checks cannot be set up: %s: %s\n", cmd, ferr.path, ferr.msg);
			rc = EXIT_USAGE;
			goto out;
		}
		for (size_t i = 0; i < nyara; i++)
			if (xh_files_add_yara(files, yara_paths[i], on_reject, &rj) != XH_OK) {
				rc = usage_error(cmd, "cannot load YARA rules from '%s'", yara_paths[i]);
				goto out;
			}
		for (size_t i = 0; i < nallow; i++)
			if (xh_files_add_allowlist(files, allow_paths[i], &ferr) != XH_OK) {
				rc = usage_error(cmd, "cannot load the allow-list '%s' (line %llu: %s)", allow_paths[i],
				                 (unsigned long long)ferr.line, ferr.msg);
				goto out;
			}
		if (max_scan && !xh_files_set_max_scan(files, max_scan)) {
			rc = usage_error(cmd, "--max-scan-bytes wants 4K to 256M, not %llu bytes", (unsigned long long)max_scan);
			goto out;
		}
		if (xh_files_prepare(files, &ferr) != XH_OK) {
			fprintf(stderr, "exhunt %s: the YARA rules cannot be compiled: %s\n", cmd, ferr.msg);
			rc = EXIT_USAGE;
			goto out;
		}
	}
	if (!dump && !no_rules && !files_only) {
		/* the shipped pack first, then the added rules: the same order on every run */
		if (xh_rules_new(&rules) != XH_OK) {
			rc = EXIT_USAGE;
			goto out;
		}
		if (!rules_only && xh_rules_load_builtin(rules, on_reject, &rj) != XH_OK) {
			fprintf(stderr, "exhunt %s: the built-in rule pack cannot be loaded\n", cmd);
			rc = EXIT_USAGE;
			goto out;
		}
		for (size_t i = 0; i < nrule_paths; i++)
			if (xh_rules_load(rules, rule_paths[i], on_reject, &rj) != XH_OK) {
				rc = usage_error(cmd, "cannot load rules from '%s'", rule_paths[i]);
				goto out;
			}
		if (no_prefilter)
			xh_rules_set_prefilter(rules, false);
	}
	wo.records = dump;
	wo.findings = !dump;
	wo.coverage = !dump;
	wo.color = !c.no_color && !c.output && !getenv("NO_COLOR") && isatty(STDOUT_FILENO);
	st = xh_writer_new(c.format, &wo, sink_file, &c, &w);
	if (st == XH_ENOTFOUND) {
		rc = usage_error(cmd, "unknown --format '%s' (text, jsonl or csv)", c.format);
		goto out;
	}
	if (st) {
		fprintf(stderr, "exhunt: %s\n", xh_strerror(st));
		rc = EXIT_USAGE;
		goto out;
	}
	if (rules) {
		struct xh_rules_stats rst;
		xh_rules_stats(rules, &rst);
		if (!c.quiet)
			fprintf(stderr, "exhunt %s: %llu rules loaded%s, %llu not loaded%s\n", cmd,
			        (unsigned long long)rst.loaded, rules_only ? "" : " (with the shipped pack)",
			        (unsigned long long)(rst.rejected + rst.unreadable),
			        rst.rejected + rst.unreadable ? " (listed above)" : "");
	}
	if (files && !c.quiet) {
		struct xh_files_stats fst;
		xh_files_stats(files, &fst);
		fprintf(stderr, "exhunt %s: file checks: %zu YARA rules from %zu files, %zu known-bad hashes, "
		        "allow-list of %zu pages (%zu hashes)\n", cmd, fst.yara_rules, fst.yara_files, fst.bad_hashes,
		        fst.allow_paths, fst.allow_pairs);
	}
	xh_scan_opts_init(&so);
	so.jobs = c.jobs;
	if (rules) {
		so.hook = xh_rules_hook;
		so.hook_ud = rules;
		so.hook_worker_new = xh_rules_worker_new;
		so.hook_worker_free = xh_rules_worker_free;
	}
	so.files = files;
	so.files_only = files_only;
	so.since_ms = c.since;
	so.until_ms = c.until;
	so.min_level = min_level;
	so.writer = w;
	if (!c.quiet && isatty(STDERR_FILENO)) {
		so.progress = on_progress;
		so.progress_ud = &c;
	}
	st = xh_scan((const char *const *)argv + optind, (size_t)(argc - optind), &so, &rep, &err);
	if (c.progress_shown)
		fputs("\r\033[K", stderr);
	if (st && st != XH_ENOEVIDENCE) {
		fprintf(stderr, "exhunt %s: %s%s%s\n", cmd, err.path[0] ? err.path : "", err.path[0] ? ": " : "",
		        err.msg[0] ? err.msg : xh_strerror(st));
		rc = EXIT_USAGE;
		goto out;
	}
	if (st == XH_ENOEVIDENCE) {
		fprintf(stderr, "exhunt %s: no evidence could be read (%llu files found, %llu unreadable, %llu skipped)\n",
		        cmd, (unsigned long long)rep.files_total, (unsigned long long)rep.files_unreadable,
		        (unsigned long long)rep.files_skipped);
		rc = EXIT_USAGE;
	} else {
		for (unsigned l = c.fail_level; !dump && l < XH_LEVEL_COUNT; l++)
			if (rep.findings[l])
				rc = EXIT_FINDINGS;
		if (!c.quiet && (dump || strcmp(c.format, "text") != 0 || c.output))
			fprintf(stderr, "exhunt %s: %llu files (%llu read, %llu unreadable, %llu skipped), %llu records, %llu bad, in %.2f s\n",
			        cmd, (unsigned long long)rep.files_total, (unsigned long long)rep.files_read,
			        (unsigned long long)rep.files_unreadable, (unsigned long long)rep.files_skipped,
			        (unsigned long long)rep.records, (unsigned long long)rep.bad_records, rep.seconds);
	}
	xh_report_free(&rep);
out:
	xh_rules_free(rules);
	xh_files_free(files);
	xh_writer_free(w);
	if (c.out != stdout && c.out && fclose(c.out) != 0) {
		fprintf(stderr, "exhunt %s: error writing '%s'\n", cmd, c.output);
		rc = EXIT_USAGE;
	} else if (c.out == stdout && fflush(stdout) != 0) {
		rc = EXIT_USAGE;
	}
	return rc;
}

/* JSON string of static, known-safe text (names from the library's own tables). */
static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		putchar(*s);
	}
	putchar('"');
}

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

/* Prints untrusted input for a message: printable ASCII as is, the rest as \xNN. */
void put_escaped(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n && i < 200; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch >= 0x20 && ch < 0x7f)
			fputc(ch, f);
		else
			fprintf(f, "\\x%02x", ch);
	}
}

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

static int run_build(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'}, {"output", required_argument, NULL, 'o'},
		{"no-color", no_argument, NULL, 'C'},     {"help", no_argument, NULL, 'h'},
		{"summary", no_argument, NULL, 's'},      {NULL, 0, NULL, 0},
	};
	struct cli c = {.format = "text", .out = stdout};
	struct tally *t = NULL;
	bool summary = false;
	struct xh_writer_opts wo = {0};
	struct xh_writer *w = NULL;
	int opt, rc = EXIT_CLEAN, worst = 0;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "f:o:sh", longopts, NULL)) != -1) {
		switch (opt) {
		case 's': summary = true; break;
		case 'f': c.format = optarg; break;
		case 'o': c.output = optarg; break;
		case 'C': c.no_color = true; break;
		case 'h': fputs(usage_build, stdout); return EXIT_CLEAN;
		default: fprintf(stderr, "Try 'exhunt help build'.\n"); return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return usage_error("build", "%s", "no BUILD given (e.g. 15.1.2176.9, or - for stdin)");
	if (c.output) {
		c.out = fopen(c.output, "w");
		if (!c.out) {
			fprintf(stderr, "exhunt build: cannot write '%s': %s\n", c.output, strerror(errno));
			return EXIT_USAGE;
		}
	}
	wo.color = !c.no_color && !c.output && !getenv("NO_COLOR") && isatty(STDOUT_FILENO);
	if (xh_writer_new(c.format, &wo, sink_file, &c, &w) != XH_OK) {
		rc = usage_error("build", "unknown --format '%s' (text, jsonl or csv)", c.format);
		goto out;
	}
	if (summary) {
		if (strcmp(c.format, "csv") == 0) {
			rc = usage_error("build", "%s", "--summary writes text or jsonl");
			goto out;
		}
		t = calloc(1, sizeof *t);
		if (!t) {
			fprintf(stderr, "exhunt build: out of memory\n");
			rc = EXIT_USAGE;
			goto out;
		}
	} else if (xh_writer_begin(w) != XH_OK) {
		goto out_write;
	}
	for (int i = optind; i < argc; i++) {
		int r;
		if (strcmp(argv[i], "-") == 0) {
			char line[256];
			unsigned long lineno = 0;
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
					goto out_write;
				if (r > worst)
					worst = r;
			}
			continue;
		}
		r = one_build(w, t, argv[i], strlen(argv[i]), 0);
		if (r == 3)
			goto out_write;
		if (r > worst)
			worst = r;
	}
	rc = worst;
	if (t)
		tally_print(t, c.out, strcmp(c.format, "jsonl") == 0);
	goto out;
out_write:
	fprintf(stderr, "exhunt build: error writing the output\n");
	rc = EXIT_USAGE;
out:
	free(t);
	xh_writer_free(w);
	if (c.out && c.out != stdout && fclose(c.out) != 0)
		rc = EXIT_USAGE;
	else if (c.out == stdout && fflush(stdout) != 0)
		rc = EXIT_USAGE;
	return rc;
}

static int run_formats(int argc, char **argv)
{
	static const char *const fmt[] = {"counted", "W3C", "CSV", "text", "EVTX"};

	if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		puts("usage: exhunt formats [--format text|jsonl]\n\nLists the input kinds exhunt recognises (the `source` of each record),\n"
		     "how each is recognised and parsed, and the fields rules and `dump` can use.");
		return EXIT_CLEAN;
	}
	if (argc == 3 && (strcmp(argv[1], "-f") == 0 || strcmp(argv[1], "--format") == 0) &&
	    strcmp(argv[2], "jsonl") == 0) {
		for (size_t i = 0; i < xh_source_count(); i++) {
			const struct xh_source *s = xh_source_at(i);
			fputs("{\"source\":", stdout);
			json_str(s->name);
			fputs(",\"format\":", stdout);
			json_str(fmt[s->format]);
			fputs(",\"log_type\":", stdout);
			if (s->log_type && s->log_type[0])
				json_str(s->log_type);
			else
				fputs("null", stdout);
			fputs(",\"title\":", stdout);
			json_str(s->title);
			fputs(",\"fields\":[", stdout);
			for (size_t k = 0; s->fields[k]; k++) {
				if (k)
					putchar(',');
				json_str(s->fields[k]);
			}
			puts("]}");
		}
		return EXIT_CLEAN;
	}
	if (argc > 1 && !(argc == 3 && (strcmp(argv[1], "-f") == 0 || strcmp(argv[1], "--format") == 0) &&
	                  strcmp(argv[2], "text") == 0)) {
		fprintf(stderr, "exhunt formats: takes only --format text|jsonl\nTry 'exhunt help formats'.\n");
		return EXIT_USAGE;
	}
	puts("Input kinds (recognised by content, not by file name):\n");
	for (size_t i = 0; i < xh_source_count(); i++) {
		const struct xh_source *s = xh_source_at(i);
		printf("%-13s %-7s %s\n", s->name, fmt[s->format], s->title);
		if (s->log_type && s->log_type[0])
			printf("%-21s #Log-type: %s...\n", "", s->log_type);
		printf("%-21s fields:", "");
		for (size_t k = 0, col = 29; s->fields[k]; k++) {
			size_t len = strlen(s->fields[k]) + 1;
			if (col + len > 100) {
				printf("\n%-28s", "");
				col = 28;
			}
			printf(" %s", s->fields[k]);
			col += len;
		}
		puts("\n");
	}
	puts("Every record also carries: source, path (evidence-relative), line, offset, time (UTC), raw.\n");
	puts("Output formats (--format):");
	for (size_t i = 0; i < xh_writer_format_count(); i++)
		printf("  %-6s %s\n", xh_writer_format_name(i), xh_writer_format_help(i));
	return EXIT_CLEAN;
}

static int run_help(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_main, stdout);
		return EXIT_CLEAN;
	}
	if (strcmp(argv[1], "scan") == 0 || strcmp(argv[1], "dump") == 0) {
		fputs(strcmp(argv[1], "scan") == 0 ? usage_scan : usage_dump, stdout);
		fputs(usage_common, stdout);
		return EXIT_CLEAN;
	}
	if (strcmp(argv[1], "formats") == 0) {
		char *fa[] = {"formats", "--help", NULL};
		return run_formats(2, fa);
	}
	if (strcmp(argv[1], "build") == 0) {
		fputs(usage_build, stdout);
		return EXIT_CLEAN;
	}
	if (strcmp(argv[1], "rules") == 0) {
		char *ra[] = {"rules", "--help", NULL};
		return run_rules(2, ra);
	}
	if (strcmp(argv[1], "probe") == 0) {
		char *pa[] = {"probe", "--help", NULL};
		return run_probe(2, pa);
	}
	fprintf(stderr, "exhunt help: unknown command '%s'\n", argv[1]);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	const char *cmd;

	if (argc < 2) {
		fputs(usage_main, stderr);
		return EXIT_USAGE;
	}
	cmd = argv[1];
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
		puts("exhunt " EXHUNT_VERSION);
		return EXIT_CLEAN;
	}
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0)
		return run_help(1, argv);
	if (strcmp(cmd, "help") == 0)
		return run_help(argc - 1, argv + 1);
	if (strcmp(cmd, "scan") == 0 || strcmp(cmd, "dump") == 0)
		return run_scan(cmd, argc - 1, argv + 1);
	if (strcmp(cmd, "formats") == 0)
		return run_formats(argc - 1, argv + 1);
	if (strcmp(cmd, "rules") == 0)
		return run_rules(argc - 1, argv + 1);
	if (strcmp(cmd, "build") == 0)
		return run_build(argc - 1, argv + 1);
	if (strcmp(cmd, "probe") == 0)
		return run_probe(argc - 1, argv + 1);
	fprintf(stderr, "exhunt: unknown command '%s'\n\n", cmd);
	fputs(usage_main, stderr);
	return EXIT_USAGE;
}
