/*
 * exgen: command line.  Parses the options; one server (the sample EXCH01 and
 * its intrusion: host.c writes it, then the manifest) or, with --fleet N, N
 * servers each in its own folder (fleet.c).
 */
#include "exgen.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Index of val in a NULL-terminated list of names, -1 if absent. */
static int pick(const char *val, const char *const *names)
{
	for (int i = 0; names[i]; i++)
		if (!strcmp(val, names[i]))
			return i;
	return -1;
}

static void usage(FILE *f)
{
	fputs("Usage: exgen [options] OUTDIR\n"
	      "       exgen --fleet N [--seed S] [--days D] [--rate R] [--manifest FILE] OUTDIR\n"
	      "Write a synthetic Exchange 2016 evidence collection (benign traffic plus a planted\n"
	      "March 2021 ProxyLogon intrusion) below OUTDIR.  Deterministic for a given seed.\n"
	      "\n"
	      "  --seed N              PRNG seed for the benign traffic (default 1)\n"
	      "  --start YYYY-MM-DD    first day, UTC (default 2021-02-15)\n"
	      "  --days N              number of days (default 28)\n"
	      "  --rate N              benign requests per hour at the busiest hour (default 4)\n"
	      "  --target-bytes N[K|M|G]  instead of --days, add days until the W3SVC1 logs (and,\n"
	      "                        unless --only iis, the HttpProxy logs) reach N bytes\n"
	      "  --only iis|httpproxy|all  which logs to write (default all; iis = W3SVC1+W3SVC2)\n"
	      "  --layout tree|kape|velociraptor  directory layout (default tree)\n"
	      "  --manifest FILE       write a JSON manifest of files and the attack timeline\n"
	      "  --fleet N             N servers (1..10000) in OUTDIR/<host>/, each with its own layout,\n"
	      "                        names, build and scenario (compromised by ProxyLogon, ProxyShell,\n"
	      "                        ProxyNotShell or OWASSRF, attempted, clean, unreadable, corrupt,\n"
	      "                        limited, late patch, scanned only, not collected); the manifest\n"
	      "                        then lists every host with the verdict a tool should reach\n"
	      "  --force               write into a non-empty OUTDIR\n"
	      "  --help                show this help\n"
	      "\n"
	      "Exit status: 0 ok, 1 I/O error, 2 bad usage.\n",
	      f);
}

static bool parse_u64(const char *s, uint64_t *out, uint64_t max)
{
	if (!s || !*s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

static bool parse_size(const char *s, uint64_t *out)
{
	if (!s || !*s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno)
		return false;
	uint64_t mul = 1;
	if (*end == 'K' || *end == 'k')
		mul = 1024ULL;
	else if (*end == 'M' || *end == 'm')
		mul = 1024ULL * 1024;
	else if (*end == 'G' || *end == 'g')
		mul = 1024ULL * 1024 * 1024;
	else if (*end)
		return false;
	if (mul > 1 && end[1])
		return false;
	if (v == 0 || v > UINT64_MAX / mul / 2)
		return false;
	*out = v * mul;
	return true;
}

static bool parse_date(const char *s, int64_t *day)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	unsigned m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
	unsigned d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
	static const unsigned mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1980 || y > 9000 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m == 2 && d == 29 && !leap)
		return false;
	*day = days_from_civil(y, m, d);
	return true;
}

static bool dir_nonempty(const char *path, bool *exists)
{
	DIR *d = opendir(path);
	if (!d) {
		*exists = errno != ENOENT;
		if (errno != ENOENT)
			die_io("cannot open directory", path);
		return false;
	}
	*exists = true;
	bool nonempty = false;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			nonempty = true;
			break;
		}
	}
	closedir(d);
	return nonempty;
}

static uint32_t fleet_n;
static bool start_set, only_set, layout_set;

static void parse_args(Gen *g, int argc, char **argv)
{
	g->seed = 1;
	g->rate = 4;
	g->days = 28;
	g->start_day = days_from_civil(2021, 2, 15);
	bool days_set = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
		const char *eq = NULL;
		if (strncmp(a, "--", 2) == 0 && (eq = strchr(a, '=')) != NULL)
			val = eq + 1;
		char name[32];
		size_t nl = eq ? (size_t)(eq - a) : strlen(a);
		if (nl >= sizeof name)
			nl = sizeof name - 1;
		memcpy(name, a, nl);
		name[nl] = 0;
		bool takes = !strcmp(name, "--seed") || !strcmp(name, "--start") || !strcmp(name, "--days") ||
		             !strcmp(name, "--rate") || !strcmp(name, "--target-bytes") || !strcmp(name, "--only") ||
		             !strcmp(name, "--layout") || !strcmp(name, "--manifest") || !strcmp(name, "--fleet");
		if (takes && !val) {
			if (i + 1 >= argc)
				die_usage("missing value for", name);
			val = argv[++i];
		}
		uint64_t v;
		if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
			usage(stdout);
			exit(0);
		} else if (!strcmp(name, "--force")) {
			g->force = true;
		} else if (!strcmp(name, "--seed")) {
			if (!parse_u64(val, &g->seed, UINT64_MAX))
				die_usage("bad --seed", val);
		} else if (!strcmp(name, "--start")) {
			if (!parse_date(val, &g->start_day))
				die_usage("bad --start (want YYYY-MM-DD)", val);
			start_set = true;
		} else if (!strcmp(name, "--days")) {
			if (!parse_u64(val, &v, MAX_DAYS) || v == 0)
				die_usage("bad --days (1..3650)", val);
			g->days = (uint32_t)v;
			days_set = true;
		} else if (!strcmp(name, "--rate")) {
			if (!parse_u64(val, &g->rate, 10000000) || g->rate == 0)
				die_usage("bad --rate (1..10000000)", val);
		} else if (!strcmp(name, "--target-bytes")) {
			if (!parse_size(val, &g->target))
				die_usage("bad --target-bytes", val);
			g->target_set = true;
		} else if (!strcmp(name, "--only")) {
			int k = pick(val, ONLY);
			if (k < 0)
				die_usage("bad --only (iis|httpproxy|all)", val);
			g->only = k;
			only_set = true;
		} else if (!strcmp(name, "--layout")) {
			int k = pick(val, LAYOUT);
			if (k < 0)
				die_usage("bad --layout (tree|kape|velociraptor)", val);
			g->layout = k;
			layout_set = true;
		} else if (!strcmp(name, "--fleet")) {
			if (!parse_u64(val, &v, 10000) || v == 0)
				die_usage("bad --fleet (1..10000)", val);
			fleet_n = (uint32_t)v;
		} else if (!strcmp(name, "--manifest")) {
			if (!*val)
				die_usage("empty --manifest", NULL);
			g->manifest = val;
		} else if (a[0] == '-' && a[1]) {
			die_usage("unknown option", a);
		} else if (g->outdir) {
			die_usage("more than one OUTDIR", a);
		} else {
			g->outdir = a;
		}
	}
	if (!g->outdir)
		die_usage("missing OUTDIR", NULL);
	if (days_set && g->target_set)
		die_usage("--days and --target-bytes exclude each other", NULL);
	if (!*g->outdir)
		die_usage("empty OUTDIR", NULL);
	if (fleet_n && (start_set || only_set || layout_set || g->target_set))
		die_usage("--fleet takes only --seed, --days, --rate, --manifest and --force", NULL);
}

int main(int argc, char **argv)
{
	/* All the state, passed down explicitly.  Static storage: zeroed, and what it points
	 * to stays reachable until exit (freed by the exit, as a leak checker agrees). */
	static Gen gen;
	Gen *g = &gen;
	parse_args(g, argc, argv);

	bool exists;
	if (dir_nonempty(g->outdir, &exists) && !g->force) {
		fprintf(stderr, "exgen: %s is not empty (use --force to write into it)\n", g->outdir);
		return 2;
	}
	if (!exists)
		mkdirs_for(g, g->outdir, true);
	if (fleet_n)
		return fleet_run(g->seed, fleet_n, g->days, g->rate, g->outdir, g->manifest);

	scen_single(g);
	host_begin(g);
	if (host_run(g))
		return 1;
	if (g->manifest)
		write_manifest(g);

	uint64_t total = 0;
	for (int k = 0; k < K_N; k++)
		total += g->kbytes[k];
	printf("exgen: %u days, %zu files, %" PRIu64 " bytes (W3SVC1 %" PRIu64 ", HttpProxy %" PRIu64 "), %zu attack lines\n",
	       g->days_done, g->nrecs, total, g->kbytes[K_IIS1], g->kbytes[K_HP], g->ntl);
	return 0;
}
