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

#define XH_ARRAY(a) (sizeof(a) / sizeof((a)[0]))

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

struct probe_cli {
	FILE *out;
	const char *output;
	struct xh_probe_writer *w;
	bool quiet, progress_shown, vulnerable;
	const char *resume;
	char resume_head[256];  /* the parameters line the resume file must repeat */
	uint64_t hash;
};

static xh_status sink(void *ud, const void *data, size_t len)
{
	struct probe_cli *c = ud;
	return fwrite(data, 1, len, c->out) == len ? XH_OK : XH_EIO;
}

static bool parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	if (!s[0] || s[0] == '-' || s[0] == '+' || s[0] == ' ')
		return false;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

/* Seconds as "1", "0.5": milliseconds from 1 to max_ms. */
static bool parse_seconds(const char *s, unsigned max_ms, unsigned *out)
{
	char *end;
	double v;

	errno = 0;
	if (!s[0] || s[0] == '-' || s[0] == ' ')
		return false;
	v = strtod(s, &end);
	if (errno || *end || !(v >= 0.001) || v * 1000.0 > max_ms)
		return false;
	*out = (unsigned)(v * 1000.0 + 0.5);
	return true;
}

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
		if (parse_u64(line + 5, INT64_MAX, &v))
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
	if (c->progress_shown) {
		fputs("\r\033[K", stderr);
		c->progress_shown = false;
	}
	return xh_probe_writer_result(c->w, r);
}

static void on_progress(void *ud, const struct xh_probe_stats *st)
{
	struct probe_cli *c = ud;
	uint64_t todo = st->shard_total - st->skipped;

	if (st->seconds < 1.0)
		return;
	fflush(c->out);
	fprintf(stderr, "\r\033[K[%" PRIu64 "/%" PRIu64 " targets] %" PRIu64 " probed, %.0f/s", st->visited, todo,
	        st->probed, st->seconds > 0 ? (double)st->probed / st->seconds : 0.0);
	c->progress_shown = true;
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

int run_probe(int argc, char **argv)
{
	enum { OPT_EXCL = 256, OPT_EXCLF, OPT_MAXH, OPT_SEED, OPT_SHARD, OPT_RESUME, OPT_DRY, OPT_RATE, OPT_TIMEOUT, OPT_CTIMEOUT,
	       OPT_RETRIES, OPT_VERIFY, OPT_NOCOLOR };
	static const struct option longopts[] = {
		{"input-list", required_argument, NULL, 'i'}, {"ports", required_argument, NULL, 'p'},
		{"exclude", required_argument, NULL, OPT_EXCL}, {"exclude-file", required_argument, NULL, OPT_EXCLF},
		{"max-hosts", required_argument, NULL, OPT_MAXH}, {"seed", required_argument, NULL, OPT_SEED},
		{"shard", required_argument, NULL, OPT_SHARD}, {"resume", required_argument, NULL, OPT_RESUME},
		{"dry-run", no_argument, NULL, OPT_DRY}, {"concurrency", required_argument, NULL, 'c'},
		{"rate", required_argument, NULL, OPT_RATE}, {"timeout", required_argument, NULL, OPT_TIMEOUT},
		{"connect-timeout", required_argument, NULL, OPT_CTIMEOUT}, {"retries", required_argument, NULL, OPT_RETRIES},
		{"verify-tls", no_argument, NULL, OPT_VERIFY}, {"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'}, {"quiet", no_argument, NULL, 'q'},
		{"no-color", no_argument, NULL, OPT_NOCOLOR}, {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct probe_cli c = {.out = stdout};
	struct xh_targets *t = NULL;
	struct xh_probe_opts po;
	struct xh_probe_stats stats;
	struct xh_order order = {0, 0, 1, 0};
	struct xh_error err = {0};
	const char *format = "text", *ports = NULL, *lists[64], *xfiles[64], *excl[1024];
	size_t nlists = 0, nxfiles = 0, nexcl = 0;
	bool dry = false, no_color = false;
	char **av = NULL;
	int opt, rc = EXIT_CLEAN;
	uint64_t v;
	xh_status st;
	struct xh_probe_limits lim;

	xh_probe_limits(&lim);
	xh_probe_opts_init(&po);
	po.rate = 100;
	/* nmap's -iL: a two-letter short option getopt cannot take, so spelled out here */
	av = calloc((size_t)argc + 1, sizeof *av);
	if (!av)
		return EXIT_USAGE;
	for (int i = 0; i < argc; i++)
		av[i] = strcmp(argv[i], "-iL") == 0 ? (char *)"--input-list" : argv[i];
	optind = 1;
	while ((opt = getopt_long(argc, av, "p:c:f:o:qh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'i':
			if (nlists == XH_ARRAY(lists)) {
				rc = usage_error("probe", "at most %zu -iL files", XH_ARRAY(lists));
				goto out;
			}
			lists[nlists++] = optarg;
			break;
		case 'p': ports = optarg; break;
		case OPT_EXCL:
			if (nexcl == XH_ARRAY(excl)) {
				rc = usage_error("probe", "at most %zu --exclude options (use --exclude-file)", XH_ARRAY(excl));
				goto out;
			}
			excl[nexcl++] = optarg;
			break;
		case OPT_EXCLF:
			if (nxfiles == XH_ARRAY(xfiles)) {
				rc = usage_error("probe", "at most %zu --exclude-file options", XH_ARRAY(xfiles));
				goto out;
			}
			xfiles[nxfiles++] = optarg;
			break;
		case OPT_MAXH:
			if (!parse_u64(optarg, UINT64_MAX, &po.max_hosts) || po.max_hosts == 0) {
				rc = usage_error("probe", "--max-hosts wants a number above 0, not '%s'", optarg);
				goto out;
			}
			break;
		case OPT_SEED:
			if (!parse_u64(optarg, UINT64_MAX, &order.seed)) {
				rc = usage_error("probe", "--seed wants a number, not '%s'", optarg);
				goto out;
			}
			break;
		case OPT_SHARD: {
			const char *slash = strchr(optarg, '/');
			char k[24];
			uint64_t kk, nn;
			if (!slash || (size_t)(slash - optarg) >= sizeof k) {
				rc = usage_error("probe", "--shard wants K/N like 2/4, not '%s'", optarg);
				goto out;
			}
			memcpy(k, optarg, (size_t)(slash - optarg));
			k[slash - optarg] = '\0';
			if (!parse_u64(k, UINT32_MAX, &kk) || !parse_u64(slash + 1, UINT32_MAX, &nn) || nn == 0 || kk == 0 ||
			    kk > nn) {
				rc = usage_error("probe", "--shard wants K/N with 1 <= K <= N, not '%s'", optarg);
				goto out;
			}
			order.shard = (uint32_t)(kk - 1);
			order.nshards = (uint32_t)nn;
			break;
		}
		case OPT_RESUME: c.resume = optarg; break;
		case OPT_DRY: dry = true; break;
		case 'c':
			if (!parse_u64(optarg, lim.max_concurrency, &v) || v == 0) {
				rc = usage_error("probe", "--concurrency wants 1 to %d, not '%s'", lim.max_concurrency, optarg);
				goto out;
			}
			po.concurrency = (unsigned)v;
			break;
		case OPT_RATE: {
			char *end;
			errno = 0;
			po.rate = strtod(optarg, &end);
			if (errno || *end || !optarg[0] || !(po.rate >= 0) || po.rate > 1e7) {
				rc = usage_error("probe", "--rate wants requests per second (0: no limit), not '%s'", optarg);
				goto out;
			}
			break;
		}
		case OPT_TIMEOUT:
			if (!parse_seconds(optarg, lim.max_timeout_ms, &po.timeout_ms)) {
				rc = usage_error("probe", "--timeout wants seconds (0.001 to %d), not '%s'",
				                 lim.max_timeout_ms / 1000, optarg);
				goto out;
			}
			break;
		case OPT_CTIMEOUT:
			if (!parse_seconds(optarg, lim.max_timeout_ms, &po.connect_timeout_ms)) {
				rc = usage_error("probe", "--connect-timeout wants seconds (0.001 to %d), not '%s'",
				                 lim.max_timeout_ms / 1000, optarg);
				goto out;
			}
			break;
		case OPT_RETRIES:
			if (!parse_u64(optarg, lim.max_retries, &v)) {
				rc = usage_error("probe", "--retries wants 0 to %d, not '%s'", lim.max_retries, optarg);
				goto out;
			}
			po.retries = (unsigned)v;
			break;
		case OPT_VERIFY: po.verify_tls = true; break;
		case 'f': format = optarg; break;
		case 'o': c.output = optarg; break;
		case 'q': c.quiet = true; break;
		case OPT_NOCOLOR: no_color = true; break;
		case 'h': fputs(usage_probe, stdout); goto out;
		default:
			fprintf(stderr, "Try 'exhunt help probe'.\n");
			rc = EXIT_USAGE;
			goto out;
		}
	}
	if (optind >= argc && nlists == 0) {
		rc = usage_error("probe", "%s", "no TARGET given (a host, host:port, URL, address or CIDR; or -iL FILE)");
		goto out;
	}
	if (xh_targets_new(&t) != XH_OK) {
		rc = EXIT_USAGE;
		goto out;
	}
	c.hash = 0xcbf29ce484222325ull;
	if (ports) {
		if (xh_targets_set_ports(t, ports, &err) != XH_OK) {
			rc = spec_error("--ports", NULL, &err);
			goto out;
		}
		fnv(&c.hash, ports, strlen(ports));
	}
	for (int i = optind; i < argc; i++) {
		if (xh_targets_add(t, av[i], strlen(av[i]), &err) != XH_OK) {
			rc = spec_error("target", NULL, &err);
			goto out;
		}
		fnv(&c.hash, av[i], strlen(av[i]));
	}
	for (size_t i = 0; i < nlists + nxfiles; i++) {
		bool ex = i >= nlists;
		const char *path = ex ? xfiles[i - nlists] : lists[i], *why;
		size_t n;
		char *text = read_list(path, &n, &why);
		if (!text) {
			fprintf(stderr, "exhunt probe: cannot read '");
			put_escaped(stderr, path, strlen(path));
			fprintf(stderr, "': %s\n", why);
			rc = EXIT_USAGE;
			goto out;
		}
		memset(&err, 0, sizeof err);
		st = xh_targets_add_list(t, text, n, ex, &err);
		fnv(&c.hash, text, n);
		free(text);
		if (st) {
			rc = spec_error(ex ? "exclusion in" : "target in", path, &err);
			goto out;
		}
	}
	for (size_t i = 0; i < nexcl; i++) {
		if (xh_targets_exclude(t, excl[i], strlen(excl[i]), &err) != XH_OK) {
			rc = spec_error("--exclude", NULL, &err);
			goto out;
		}
		fnv(&c.hash, excl[i], strlen(excl[i]));
	}
	if (xh_targets_nspecs(t) == 0) {
		rc = usage_error("probe", "%s", "the target lists hold no target");
		goto out;
	}
	if (c.resume) {
		int64_t done;
		snprintf(c.resume_head, sizeof c.resume_head, "seed %" PRIu64 " shard %u/%u targets %016" PRIx64
		         " index_space %" PRIu64, order.seed, order.shard + 1, order.nshards, c.hash, xh_targets_count(t));
		done = resume_load(&c);
		if (done < 0) {
			fprintf(stderr, "exhunt probe: '");
			put_escaped(stderr, c.resume, strlen(c.resume));
			fprintf(stderr, "' is not a resume file of this scan (the targets, exclusions, ports, --seed and "
			                "--shard must be the same)\n");
			rc = EXIT_USAGE;
			goto out;
		}
		order.skip = (uint64_t)done;
	}
	if (c.output) {
		/* a resumed run adds to what the earlier runs wrote */
		int flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (order.skip ? O_APPEND : O_TRUNC);
		int fd = open(c.output, flags, 0644);
		c.out = fd >= 0 ? fdopen(fd, order.skip ? "a" : "w") : NULL;
		if (fd >= 0 && !c.out)
			close(fd);
		if (!c.out) {
			fprintf(stderr, "exhunt probe: cannot write '");
			put_escaped(stderr, c.output, strlen(c.output));
			fprintf(stderr, "': %s\n", strerror(errno));
			rc = EXIT_USAGE;
			goto out;
		}
	}
	if (dry) {
		rc = dry_run(t, &order, po.max_hosts, c.out);
		goto out;
	}
	st = xh_probe_writer_new(format, !no_color && !c.output && !getenv("NO_COLOR") && isatty(STDOUT_FILENO), sink,
	                         &c, &c.w);
	if (st == XH_ENOTFOUND) {
		rc = usage_error("probe", "unknown --format '%s' (text, jsonl or csv)", format);
		goto out;
	}
	if (st || (!order.skip && xh_probe_writer_begin(c.w) != XH_OK)) {
		rc = EXIT_USAGE;
		goto out;
	}
	po.concurrency = fit_fds(po.concurrency, c.quiet);
	po.on_result = on_result;
	po.on_checkpoint = resume_save;
	po.ud = &c;
	if (!c.quiet && isatty(STDERR_FILENO))
		po.on_progress = on_progress;
	st = xh_probe_run(t, &order, &po, &stats, &err);
	if (c.progress_shown)
		fputs("\r\033[K", stderr);
	if (st) {
		fprintf(stderr, "exhunt probe: %s\n", st == XH_EIO ? "error writing the output or the resume file"
		                                                   : (err.msg[0] ? err.msg : xh_strerror(st)));
		rc = EXIT_USAGE;
		goto out;
	}
	if (xh_probe_writer_summary(c.w, &stats) != XH_OK) {
		fprintf(stderr, "exhunt probe: error writing the output\n");
		rc = EXIT_USAGE;
		goto out;
	}
	if (!c.quiet && (strcmp(format, "text") != 0 || c.output))
		fprintf(stderr, "exhunt probe: %" PRIu64 " targets probed (%" PRIu64 " vulnerable, %" PRIu64
		        " cannot tell, %" PRIu64 " fixed, %" PRIu64 " no build, %" PRIu64 " not Exchange, %" PRIu64
		        " no answer), %" PRIu64 " excluded, %" PRIu64 " requests, %.2f s\n",
		        stats.probed, stats.exposure[XH_EXP_VULNERABLE], stats.exposure[XH_EXP_CANNOT_TELL],
		        stats.exposure[XH_EXP_FIXED], stats.exposure[XH_EXP_NO_BUILD], stats.exposure[XH_EXP_NOT_EXCHANGE],
		        stats.exposure[XH_EXP_ERROR], stats.excluded, stats.requests, stats.seconds);
	rc = c.vulnerable ? EXIT_FINDINGS : EXIT_CLEAN;
out:
	xh_probe_writer_free(c.w);
	xh_targets_free(t);
	free(av);
	if (c.out && c.out != stdout && fclose(c.out) != 0)
		rc = EXIT_USAGE;
	else if (c.out == stdout && fflush(stdout) != 0)
		rc = EXIT_USAGE;
	return rc;
}
