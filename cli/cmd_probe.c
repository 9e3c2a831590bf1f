/*
 * `exhunt probe`: options, target lists, the resume file, --dry-run, and the exit code
 * for the exposure check. The probing itself (targets, libcurl driver, fingerprints,
 * writers) is in the library (include/exhunt/probe.h); this file only reads the
 * user's files and talks to the terminal.
 *
 * Exit codes (as scan and build): 0 no host found vulnerable, 1 at least one host with
 * an exploited CVE open, 2 usage error or the probe could not run.
 */
#define _GNU_SOURCE
#include "cli.h"
#include "commands.h"

#include <exhunt/exhunt.h>
#include <exhunt/probe.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage_probe[] =
	"usage: exhunt probe [options] TARGET...\n"
	"       exhunt probe [options] -iL FILE\n"
	"\n"
	"Which Exchange builds your hosts run, seen from the network, and which exploited\n"
	"CVEs (ProxyLogon, ProxyShell, ProxyNotShell, OWASSRF, ...) each build leaves open.\n"
	"Detection only: per target at most two ordinary GET requests a browser or mail\n"
	"client also sends, and the same-host redirects OWA answers with:\n"
	"  GET /owa/            the logon page: X-OWA-Version header, /owa/auth/<build>/ paths\n"
	"  GET /ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application\n"
	"                       only when the first showed Exchange without a full build\n"
	"No cookies, credentials, request bodies or exploit payloads; User-Agent: exhunt/" EXHUNT_VERSION ".\n"
	"--dry-run prints exactly what would be sent.\n"
	"\n"
	"TARGET: mail.example.org  mail.example.org:8443  https://10.1.2.3:444/  10.1.2.3\n"
	"        [2001:db8::5]:443  2001:db8::5  10.1.0.0/16  2001:db8::/120\n"
	"\n"
	"targets and scope:\n"
	"  -iL, --input-list FILE  read targets from FILE (one per line, '#' comments; - is stdin)\n"
	"  -p, --ports LIST      ports for targets without one (default https:443): 443,8443,http:80\n"
	"      --exclude SPEC    never contact this address, CIDR range or name (repeatable)\n"
	"      --exclude-file FILE  exclusions, one per line\n"
	"      --max-hosts N     stop after N targets contacted\n"
	"      --seed N          key of the pseudo-random visiting order (default 0); shards of\n"
	"                        one scan must share it\n"
	"      --shard K/N       probe only the K-th of N interleaved shares (1/1 default)\n"
	"      --resume FILE     continue from the point saved in FILE and keep it up to date\n"
	"                        (created when missing; with -o the output is appended to)\n"
	"      --dry-run         print the requests that would be sent, send nothing\n"
	"Special-purpose ranges (loopback, link-local, documentation, benchmarking, multicast,\n"
	"...) are skipped when a CIDR range or a host name leads into them; an address written\n"
	"out exactly (127.0.0.1, https://[::1]:8443/) is taken as meant. --exclude always wins.\n"
	"\n"
	"how:\n"
	"  -c, --concurrency N   targets in flight (default " "256" ", at most 4096)\n"
	"      --rate N          requests per second over the whole run (default 100; 0: no limit)\n"
	"      --timeout SEC     per request, connect included (default 10)\n"
	"      --connect-timeout SEC  (default 5)\n"
	"      --retries N       extra tries after a timeout or a cut answer (default 1, at most 5)\n"
	"      --verify-tls      refuse certificates that do not verify; by default they are\n"
	"                        accepted (self-signed is normal in-house) and not judged\n"
	"\n"
	"output:\n"
	"  -f, --format FMT      text (default), jsonl or csv: one record per target\n"
	"  -o, --output FILE     write there instead of standard output\n"
	"  -q, --quiet           no progress and no summary on stderr\n"
	"      --no-color        no ANSI colour\n"
	"The text and jsonl outputs end with the summary: hosts per verdict (vulnerable,\n"
	"cannot tell, fixed, no build, not Exchange, error) and per CVE. Records come in the\n"
	"order hosts answer.\n"
	"\n"
	"exit status: 0 no host vulnerable, 1 at least one host vulnerable, 2 usage error\n"
	"\n"
	"examples:\n"
	"  exhunt probe mail.example.org\n"
	"  exhunt probe --dry-run 10.20.0.0/24\n"
	"  exhunt probe -f jsonl -o estate.jsonl --rate 50 -iL exchange-hosts.txt\n"
	"  exhunt probe --ports 443,8443 --exclude 10.20.0.1 --exclude-file do-not-scan.txt 10.20.0.0/16\n"
	"  exhunt probe --seed 7 --shard 2/4 --resume shard2.state -f jsonl -o shard2.jsonl 10.0.0.0/8\n";

/* ---- options ------------------------------------------------------------------------------ */

struct probe_args {
	struct opt_list lists, xfiles, excl; /* -iL, --exclude-file, --exclude */
	const char *ports, *resume, *format, *output;
	bool dry, quiet, no_color;
	struct opt_shard shard;
	struct xh_probe_opts po; /* what the library takes as is: counts, rate, timeouts, TLS */
	struct xh_order order;   /* --seed, --shard */
	char **targets;
	int ntargets;
};

/* The library's ceilings, which the options state. */
static struct xh_probe_limits limits(void)
{
	struct xh_probe_limits l;
	xh_probe_limits(&l);
	return l;
}
static unsigned max_concurrency(void) { return limits().max_concurrency; }
static unsigned max_timeout_ms(void) { return limits().max_timeout_ms; }
static unsigned max_retries(void) { return limits().max_retries; }

#define AT(type, field) .at = OPT_AT(type, struct probe_args, field)
static const struct opt_row probe_rows[] = {
	{"input-list", 0, OPT_LIST, AT(struct opt_list, lists), .max = 64, .what = "at most 64 -iL files"},
	{"ports", 'p', OPT_TEXT, AT(const char *, ports)},
	{"exclude", 0, OPT_LIST, AT(struct opt_list, excl), .max = 1024,
	 .what = "at most 1024 --exclude options (use --exclude-file)"},
	{"exclude-file", 0, OPT_LIST, AT(struct opt_list, xfiles), .max = 64, .what = "at most 64 --exclude-file options"},
	{"max-hosts", 0, OPT_U64, AT(uint64_t, po.max_hosts), .min = 1, .max = UINT64_MAX},
	{"seed", 0, OPT_U64, AT(uint64_t, order.seed), .min = 0, .max = UINT64_MAX},
	{"shard", 0, OPT_SHARD, AT(struct opt_shard, shard)},
	{"resume", 0, OPT_TEXT, AT(const char *, resume)},
	{"dry-run", 0, OPT_FLAG, AT(bool, dry)},
	{"concurrency", 'c', OPT_UINT, AT(unsigned, po.concurrency), .min = 1, .max_of = max_concurrency},
	{"rate", 0, OPT_DECIMAL, AT(double, po.rate), .min = 0, .max = 10000000, .what = "requests per second",
	 .note = "0: no limit"},
	{"timeout", 0, OPT_MILLIS, AT(unsigned, po.timeout_ms), .min = 1, .max_of = max_timeout_ms},
	{"connect-timeout", 0, OPT_MILLIS, AT(unsigned, po.connect_timeout_ms), .min = 1, .max_of = max_timeout_ms},
	{"retries", 0, OPT_UINT, AT(unsigned, po.retries), .min = 0, .max_of = max_retries},
	{"verify-tls", 0, OPT_FLAG, AT(bool, po.verify_tls)},
	{"format", 'f', OPT_TEXT, AT(const char *, format)},
	{"output", 'o', OPT_TEXT, AT(const char *, output)},
	{"quiet", 'q', OPT_FLAG, AT(bool, quiet)},
	{"no-color", 0, OPT_FLAG, AT(bool, no_color)},
	{"help", 'h', OPT_HELP, .at = 0},
	{0},
};
#undef AT
static const struct opt_cmd probe_cmd = {"probe", probe_rows, {usage_probe, NULL}, NULL, NULL};

static int parse_probe_args(int argc, char **argv, struct probe_args *a)
{
	int rc;

	memset(a, 0, sizeof *a);
	a->format = "text";
	xh_probe_opts_init(&a->po);
	a->po.rate = 100;
	a->order = (struct xh_order){0, 0, 1, 0};
	/* nmap's -iL: a two-letter short option getopt cannot take, so spelled out here (in
	 * place: getopt_long reorders this array anyway) */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-iL") == 0)
			argv[i] = (char *)"--input-list";
	if ((rc = parse_options(&probe_cmd, argc, argv, a)) != GO_ON)
		return rc;
	if (a->shard.n) {
		a->order.shard = a->shard.k - 1;
		a->order.nshards = a->shard.n;
	}
	a->targets = argv + optind;
	a->ntargets = argc - optind;
	if (a->ntargets == 0 && a->lists.n == 0)
		return usage_error("probe", "%s", "no TARGET given (a host, host:port, URL, address or CIDR; or -iL FILE)");
	return GO_ON;
}

/* ---- running ------------------------------------------------------------------------------ */

/* What a running probe holds. */
struct probe_cli {
	FILE *out;
	const char *output;
	struct xh_probe_writer *w;
	bool quiet, vulnerable;
	struct progress progress;
	const char *resume;
	char resume_head[256];  /* the parameters line the resume file must repeat */
	uint64_t hash;          /* of the targets, exclusions and ports: the resume file names it */
};

static void fnv(uint64_t *h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		*h ^= (unsigned char)s[i];
		*h *= 0x100000001b3ull;
	}
	*h ^= 0xff; /* separator */
	*h *= 0x100000001b3ull;
}

/* Reads a list file (or stdin for "-") whole, within XH's list limit. */
static char *read_list(const char *path, size_t *n, const char **why)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t cap = 1 << 16, len = 0;
	char *buf = NULL;

	*why = NULL;
	if (!f) {
		*why = strerror(errno);
		return NULL;
	}
	buf = malloc(cap);
	while (buf) {
		size_t k;
		if (len == cap) {
			char *nb;
			if (cap >= (64u << 20)) {
				*why = "larger than 64 MiB";
				free(buf);
				buf = NULL;
				break;
			}
			nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		k = fread(buf + len, 1, cap - len, f);
		len += k;
		if (k == 0) {
			if (ferror(f)) {
				*why = "read error";
				free(buf);
				buf = NULL;
			}
			break;
		}
	}
	if (!buf && !*why)
		*why = "out of memory";
	if (f != stdin)
		fclose(f);
	*n = len;
	return buf;
}

static int spec_error(const char *what, const char *file, const struct xh_error *err)
{
	fprintf(stderr, "exhunt probe: %s", what);
	if (file) {
		fputs(" ", stderr);
		put_escaped(stderr, file, strlen(file));
		if (err->line)
			fprintf(stderr, " line %" PRIu64, err->line);
	}
	fputs(": ", stderr);
	put_escaped(stderr, err->msg, strlen(err->msg));
	fputs("\nTry 'exhunt help probe'.\n", stderr);
	return EXIT_USAGE;
}

/* ---- resume file ----------------------------------------------------------------------- */

/* Reads the saved point; 0 when the file does not exist. -1 when it is not ours or
 * was written for other parameters. */
static int64_t resume_load(struct probe_cli *c)
{
	FILE *f = fopen(c->resume, "r");
	char line[512], head[300];
	int64_t done = -1;

	if (!f)
		return errno == ENOENT ? 0 : -1;
	snprintf(head, sizeof head, "%s\n", c->resume_head);
	if (fgets(line, sizeof line, f) && strcmp(line, "# exhunt probe resume point\n") == 0 &&
	    fgets(line, sizeof line, f) && strcmp(line, head) == 0 && fgets(line, sizeof line, f) &&
	    strncmp(line, "done ", 5) == 0) {
		uint64_t v;
		line[strcspn(line, "\n")] = '\0';
		if (parse_u64(line + 5, 0, INT64_MAX, &v))
			done = (int64_t)v;
	}
	fclose(f);
	return done;
}

/* Written beside, then renamed over: a crash never leaves half a file. */
static xh_status resume_save(void *ud, const struct xh_probe_stats *st)
{
	struct probe_cli *c = ud;
	char tmp[4200];
	FILE *f;
	int ok;

	if (!c->resume)
		return XH_OK;
	if (c->out && fflush(c->out) != 0) /* records before the point they cover */
		return XH_EIO;
	snprintf(tmp, sizeof tmp, "%s.tmp", c->resume);
	f = fopen(tmp, "w");
	if (!f)
		return XH_EIO;
	ok = fprintf(f, "# exhunt probe resume point\n%s\ndone %" PRIu64 "\n", c->resume_head, st->done) > 0;
	if (fclose(f) != 0 || !ok || rename(tmp, c->resume) != 0)
		return XH_EIO;
	return XH_OK;
}

/* ---- callbacks ----------------------------------------------------------------------------- */

static xh_status on_result(void *ud, const struct xh_probe_result *r)
{
	struct probe_cli *c = ud;

	if (r->exposure == XH_EXP_VULNERABLE)
		c->vulnerable = true;
	progress_clear(&c->progress);
	return xh_probe_writer_result(c->w, r);
}

static void on_progress(void *ud, const struct xh_probe_stats *st)
{
	struct probe_cli *c = ud;
	uint64_t todo = st->shard_total - st->skipped;

	if (st->seconds < 1.0)
		return;
	fflush(c->out);
	progress_show(&c->progress, "[%" PRIu64 "/%" PRIu64 " targets] %" PRIu64 " probed, %.0f/s", st->visited, todo,
	              st->probed, st->seconds > 0 ? (double)st->probed / st->seconds : 0.0);
}

/* ---- dry run ----------------------------------------------------------------------------- */

static int dry_run(const struct xh_targets *t, const struct xh_order *o, uint64_t max_hosts, FILE *out)
{
	struct xh_probe_limits lim;
	struct xh_walk *w;
	struct xh_target tg;
	uint64_t n = 0, excluded = 0;

	if (xh_walk_new(t, o, &w) != XH_OK) {
		fprintf(stderr, "exhunt probe: the targets cannot be walked\n");
		return EXIT_USAGE;
	}
	xh_probe_limits(&lim);
	fprintf(out, "# exhunt probe --dry-run: the requests each target would get, in visiting order.\n"
	             "# The second is sent only when the first shows Exchange without a full build;\n"
	             "# each may be followed by at most %d redirects on the same scheme, host and port.\n",
	        lim.max_redirects);
	while ((!max_hosts || n < max_hosts) && xh_walk_next(w, &tg)) {
		char req[1024];
		if (tg.excluded) {
			excluded++;
			if (tg.exact || tg.family == 0)
				fprintf(out, "# %s%s%s:%u %s: not contacted, %s\n", tg.family == 6 ? "[" : "", tg.host,
				        tg.family == 6 ? "]" : "", (unsigned)tg.port, xh_scheme_name(tg.scheme), tg.excluded);
			continue;
		}
		n++;
		fprintf(out, "# target %s%s%s:%u %s (position %" PRIu64 ")\n", tg.family == 6 ? "[" : "", tg.host,
		        tg.family == 6 ? "]" : "", (unsigned)tg.port, xh_scheme_name(tg.scheme), tg.position);
		for (unsigned s = 0; s < XH_PROBE_STAGES; s++) {
			size_t len = xh_probe_request_text(&tg, s, req, sizeof req);
			for (size_t i = 0; i < len; i++)
				if (req[i] != '\r')
					fputc(req[i], out);
		}
	}
	fprintf(out, "# %" PRIu64 " targets, %" PRIu64 " excluded (not contacted)\n", n, excluded);
	xh_walk_free(w);
	return EXIT_CLEAN;
}

/* ---- the command --------------------------------------------------------------------------- */

/* Enough file descriptors for the connections in flight and the idle ones kept. */
static unsigned fit_fds(unsigned conc, bool quiet)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)conc * 2 + 64;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
		return conc;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= want ? want : rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < want) {
		unsigned fit = rl.rlim_cur > 96 ? (unsigned)((rl.rlim_cur - 64) / 2) : 16;
		if (!quiet)
			fprintf(stderr, "exhunt probe: the file-descriptor limit allows --concurrency %u, using it\n", fit);
		return fit < conc ? fit : conc;
	}
	return conc;
}

/* The targets of the operands and lists, the ports and the exclusions, and the hash the
 * resume file keeps of them, in the order they are given to the library. */
static int build_targets(const struct probe_args *a, struct xh_targets **out, uint64_t *hash)
{
	struct xh_targets *t;
	struct xh_error err = {0};

	if (xh_targets_new(out) != XH_OK)
		return EXIT_USAGE;
	t = *out;
	*hash = 0xcbf29ce484222325ull;
	if (a->ports) {
		if (xh_targets_set_ports(t, a->ports, &err) != XH_OK)
			return spec_error("--ports", NULL, &err);
		fnv(hash, a->ports, strlen(a->ports));
	}
	for (int i = 0; i < a->ntargets; i++) {
		if (xh_targets_add(t, a->targets[i], strlen(a->targets[i]), &err) != XH_OK)
			return spec_error("target", NULL, &err);
		fnv(hash, a->targets[i], strlen(a->targets[i]));
	}
	for (size_t i = 0; i < a->lists.n + a->xfiles.n; i++) {
		bool ex = i >= a->lists.n;
		const char *path = ex ? a->xfiles.v[i - a->lists.n] : a->lists.v[i], *why;
		size_t n;
		char *text = read_list(path, &n, &why);
		xh_status st;
		if (!text) {
			fprintf(stderr, "exhunt probe: cannot read '");
			put_escaped(stderr, path, strlen(path));
			fprintf(stderr, "': %s\n", why);
			return EXIT_USAGE;
		}
		memset(&err, 0, sizeof err);
		st = xh_targets_add_list(t, text, n, ex, &err);
		fnv(hash, text, n);
		free(text);
		if (st)
			return spec_error(ex ? "exclusion in" : "target in", path, &err);
	}
	for (size_t i = 0; i < a->excl.n; i++) {
		if (xh_targets_exclude(t, a->excl.v[i], strlen(a->excl.v[i]), &err) != XH_OK)
			return spec_error("--exclude", NULL, &err);
		fnv(hash, a->excl.v[i], strlen(a->excl.v[i]));
	}
	if (xh_targets_nspecs(t) == 0)
		return usage_error("probe", "%s", "the target lists hold no target");
	return GO_ON;
}

/* --resume: where the earlier runs of the same scan stopped (order->skip). */
static int resume_point(struct probe_cli *c, const struct xh_targets *t, struct xh_order *order)
{
	int64_t done;

	if (!c->resume)
		return GO_ON;
	snprintf(c->resume_head, sizeof c->resume_head, "seed %" PRIu64 " shard %u/%u targets %016" PRIx64
	         " index_space %" PRIu64, order->seed, order->shard + 1, order->nshards, c->hash, xh_targets_count(t));
	done = resume_load(c);
	if (done < 0) {
		fprintf(stderr, "exhunt probe: '");
		put_escaped(stderr, c->resume, strlen(c->resume));
		fprintf(stderr, "' is not a resume file of this scan (the targets, exclusions, ports, --seed and "
		                "--shard must be the same)\n");
		return EXIT_USAGE;
	}
	order->skip = (uint64_t)done;
	return GO_ON;
}

/* Probes every target of the shard, then writes the summary; the exit code. */
static int probe_all(const struct probe_args *a, struct probe_cli *c, const struct xh_targets *t,
                     const struct xh_order *order)
{
	struct xh_probe_opts po = a->po;
	struct xh_probe_stats stats;
	struct xh_error err = {0};
	xh_status st;

	st = xh_probe_writer_new(a->format, use_color(a->no_color, a->output), sink_file, c->out, &c->w);
	if (st == XH_ENOTFOUND)
		return usage_error("probe", "unknown --format '%s' (text, jsonl or csv)", a->format);
	if (st || (!order->skip && xh_probe_writer_begin(c->w) != XH_OK))
		return EXIT_USAGE;
	po.concurrency = fit_fds(po.concurrency, c->quiet);
	po.on_result = on_result;
	po.on_checkpoint = resume_save;
	po.ud = c;
	if (progress_wanted(c->quiet))
		po.on_progress = on_progress;
	st = xh_probe_run(t, order, &po, &stats, &err);
	progress_clear(&c->progress);
	if (st) {
		fprintf(stderr, "exhunt probe: %s\n", st == XH_EIO ? "error writing the output or the resume file"
		                                                   : (err.msg[0] ? err.msg : xh_strerror(st)));
		return EXIT_USAGE;
	}
	if (xh_probe_writer_summary(c->w, &stats) != XH_OK) {
		fprintf(stderr, "exhunt probe: error writing the output\n");
		return EXIT_USAGE;
	}
	if (!c->quiet && (strcmp(a->format, "text") != 0 || c->output))
		fprintf(stderr, "exhunt probe: %" PRIu64 " targets probed (%" PRIu64 " vulnerable, %" PRIu64
		        " cannot tell, %" PRIu64 " fixed, %" PRIu64 " no build, %" PRIu64 " not Exchange, %" PRIu64
		        " no answer), %" PRIu64 " excluded, %" PRIu64 " requests, %.2f s\n",
		        stats.probed, stats.exposure[XH_EXP_VULNERABLE], stats.exposure[XH_EXP_CANNOT_TELL],
		        stats.exposure[XH_EXP_FIXED], stats.exposure[XH_EXP_NO_BUILD], stats.exposure[XH_EXP_NOT_EXCHANGE],
		        stats.exposure[XH_EXP_ERROR], stats.excluded, stats.requests, stats.seconds);
	return c->vulnerable ? EXIT_FINDINGS : EXIT_CLEAN;
}

static int run_probe(const struct probe_args *a)
{
	struct probe_cli c = {.out = stdout, .output = a->output, .quiet = a->quiet, .resume = a->resume};
	struct xh_order order = a->order;
	struct xh_targets *t = NULL;
	int rc = build_targets(a, &t, &c.hash);

	if (rc == GO_ON)
		rc = resume_point(&c, t, &order);
	/* a resumed run adds to what the earlier runs wrote */
	if (rc == GO_ON && c.output && !(c.out = open_output(c.output, order.skip ? OUT_APPEND : 0)))
		rc = cannot_write("probe", c.output);
	if (rc == GO_ON)
		rc = a->dry ? dry_run(t, &order, a->po.max_hosts, c.out) : probe_all(a, &c, t, &order);
	xh_probe_writer_free(c.w);
	xh_targets_free(t);
	if (!close_output(c.out))
		rc = EXIT_USAGE;
	return rc;
}

int cmd_probe(int argc, char **argv)
{
	struct probe_args a;
	int rc = parse_probe_args(argc, argv, &a);

	if (rc == GO_ON)
		return run_probe(&a);
	/* as the runs, the help counts as lost when stdout cannot take it */
	if (rc == EXIT_CLEAN && fflush(stdout) != 0)
		return EXIT_USAGE;
	return rc;
}
