/*
 * What every command of the CLI shares: usage messages and escaping, -o files and the
 * writers' sink, the colour decision, the progress line on stderr, the one set of number
 * parsers, and parse_options, which turns a command's static option table into
 * getopt_long calls and stores each value where the table says. It calls no command.
 */
#define _GNU_SOURCE
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- messages -------------------------------------------------------------------------- */

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

/* ---- output ---------------------------------------------------------------------------- */

FILE *open_output(const char *path, unsigned how)
{
	bool append = how & OUT_APPEND;
	int fd;
	FILE *f;

	if (how & OUT_FOLLOW)
		return fopen(path, append ? "a" : "w");
	/* O_NOFOLLOW: a link planted at the output path cannot redirect the write */
	fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0644);
	if (fd < 0)
		return NULL;
	f = fdopen(fd, append ? "a" : "w");
	if (!f) {
		int e = errno;
		close(fd);
		errno = e;
	}
	return f;
}

int cannot_write(const char *cmd, const char *path)
{
	const char *why = strerror(errno);

	fprintf(stderr, "exhunt %s: cannot write '", cmd);
	put_escaped(stderr, path, strlen(path));
	fprintf(stderr, "': %s\n", why);
	return EXIT_USAGE;
}

bool close_output(FILE *f)
{
	if (!f)
		return true;
	return f == stdout ? fflush(stdout) == 0 : fclose(f) == 0;
}

xh_status sink_file(void *ud, const void *data, size_t len)
{
	return fwrite(data, 1, len, (FILE *)ud) == len ? XH_OK : XH_EIO;
}

bool use_color(bool no_color, const char *output)
{
	return !no_color && !output && !getenv("NO_COLOR") && isatty(STDOUT_FILENO);
}

/* ---- progress -------------------------------------------------------------------------- */

bool progress_wanted(bool quiet)
{
	return !quiet && isatty(STDERR_FILENO);
}

void progress_show(struct progress *p, const char *fmt, ...)
{
	va_list ap;

	fputs("\r\033[K", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	p->shown = true;
}

void progress_clear(struct progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = false;
}

/* ---- numbers --------------------------------------------------------------------------- */

/* Reads the decimal digits at s into *v; returns how many, or 0 when there is none or
 * the number does not fit in 64 bits. */
static size_t read_digits(const char *s, uint64_t *v)
{
	size_t i;

	*v = 0;
	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++) {
		unsigned d = (unsigned)(s[i] - '0');
		if (*v > (UINT64_MAX - d) / 10)
			return 0;
		*v = *v * 10 + d;
	}
	return i;
}

bool parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t v;
	size_t n = read_digits(s, &v);

	if (n == 0 || s[n] || v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	static const char units[] = "KkMmGg";
	uint64_t v;
	size_t n = read_digits(s, &v);
	unsigned shift = 0;

	if (n == 0)
		return false;
	if (s[n] && s[n + 1] == '\0') {
		const char *u = strchr(units, s[n]);
		if (!u)
			return false;
		shift = 10 * (unsigned)((u - units) / 2 + 1);
		n++;
	}
	if (s[n] || v > UINT64_MAX >> shift)
		return false;
	v <<= shift;
	if (v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool parse_decimal(const char *s, double min, double max, double *out)
{
	uint64_t whole;
	size_t n = read_digits(s, &whole);
	double v;

	if (n == 0)
		return false;
	if (s[n] == '.') {
		size_t f = n + 1;
		while (s[f] >= '0' && s[f] <= '9')
			f++;
		if (f == n + 1)
			return false;
		n = f;
	}
	if (s[n])
		return false;
	/* the text is digits and a point: strtod only converts (correctly rounded) */
	errno = 0;
	v = strtod(s, NULL);
	if (errno || !(v >= min && v <= max))
		return false;
	*out = v;
	return true;
}

bool parse_millis(const char *s, unsigned min_ms, unsigned max_ms, unsigned *out)
{
	double v;

	if (!parse_decimal(s, min_ms / 1000.0, max_ms / 1000.0, &v))
		return false;
	*out = (unsigned)(v * 1000.0 + 0.5);
	return true;
}

bool parse_shard(const char *s, uint32_t *k, uint32_t *n)
{
	uint64_t kk, nn;
	size_t a = read_digits(s, &kk), b;

	if (a == 0 || s[a] != '/')
		return false;
	b = read_digits(s + a + 1, &nn);
	if (b == 0 || s[a + 1 + b] || kk == 0 || kk > nn || nn > UINT32_MAX)
		return false;
	*k = (uint32_t)kk;
	*n = (uint32_t)nn;
	return true;
}

/* ---- option tables --------------------------------------------------------------------- */

#define OPT_ROWS_MAX 40

/* "4K", "256M", "65536": a size in the largest unit that divides it. */
static void put_size(FILE *f, uint64_t v)
{
	static const char units[] = "GMK";
	for (unsigned i = 0; i < 3; i++) {
		unsigned shift = 30 - 10 * i;
		if (v && v % ((uint64_t)1 << shift) == 0) {
			fprintf(f, "%llu%c", (unsigned long long)(v >> shift), units[i]);
			return;
		}
	}
	fprintf(f, "%llu", (unsigned long long)v);
}

/* Milliseconds as seconds: "300", "0.001", "0.5". */
static void put_seconds(FILE *f, uint64_t ms)
{
	unsigned frac = (unsigned)(ms % 1000), digits = 3;

	fprintf(f, "%llu", (unsigned long long)(ms / 1000));
	if (!frac)
		return;
	while (frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	fprintf(f, ".%0*u", (int)digits, frac);
}

static void put_number(FILE *f, uint64_t v)
{
	fprintf(f, "%llu", (unsigned long long)v);
}

static uint64_t row_max(const struct opt_row *r)
{
	return r->max_of ? r->max_of() : r->max;
}

/* "a number from 1 to 256", "a size from 4K to 256M", "seconds from 0.001 to 300". */
static void put_range(FILE *f, const struct opt_row *r)
{
	void (*put)(FILE *, uint64_t) = put_number;
	const char *what = "a number";

	if (r->kind == OPT_SIZE) {
		put = put_size;
		what = "a size";
	} else if (r->kind == OPT_MILLIS) {
		put = put_seconds;
		what = "seconds";
	}
	fprintf(f, "%s from ", r->what ? r->what : what);
	put(f, r->min);
	fputs(" to ", f);
	put(f, row_max(r));
}

int option_error(const char *cmd, const struct opt_row *r, const char *arg)
{
	fprintf(stderr, "exhunt %s: --%s wants ", cmd, r->name);
	switch (r->kind) {
	case OPT_LEVEL: fputs("informational, low, medium, high or critical", stderr); break;
	case OPT_TIME: fputs("a UTC time like 2021-03-01 or 2021-03-01T06:00:00", stderr); break;
	case OPT_SHARD: fputs("K/N like 2/4, with 1 <= K <= N", stderr); break;
	default: put_range(stderr, r); break;
	}
	if (r->note)
		fprintf(stderr, " (%s)", r->note);
	fputs(", not '", stderr);
	put_escaped(stderr, arg, strlen(arg));
	fprintf(stderr, "'\nTry 'exhunt help %s'.\n", cmd);
	return EXIT_USAGE;
}

/* Stores one option's value; GO_ON, or the exit code after the message. */
static int take(const struct opt_cmd *c, const struct opt_row *r, const char *arg, void *args)
{
	void *at = (char *)args + r->at;
	uint64_t max = row_max(r), v;
	bool ok = true;

	switch (r->kind) {
	case OPT_HELP:
		for (size_t i = 0; i < XH_ARRAY(c->help) && c->help[i]; i++)
			fputs(c->help[i], stdout);
		return EXIT_CLEAN;
	case OPT_FLAG: *(bool *)at = true; break;
	case OPT_TEXT: *(const char **)at = arg; break;
	case OPT_LIST: {
		struct opt_list *l = at;
		if (l->n == r->max || l->n == OPT_LIST_CAP)
			return usage_error(c->name, "%s", r->what);
		l->v[l->n++] = arg;
		break;
	}
	case OPT_UINT:
		if ((ok = parse_u64(arg, r->min, max, &v)))
			*(unsigned *)at = (unsigned)v;
		break;
	case OPT_U64: ok = parse_u64(arg, r->min, max, at); break;
	case OPT_SIZE: ok = parse_size(arg, r->min, max, at); break;
	case OPT_DECIMAL: ok = parse_decimal(arg, (double)r->min, (double)max, at); break;
	case OPT_MILLIS: ok = parse_millis(arg, (unsigned)r->min, (unsigned)max, at); break;
	case OPT_SHARD: {
		struct opt_shard *sh = at;
		ok = parse_shard(arg, &sh->k, &sh->n);
		break;
	}
	case OPT_LEVEL: ok = xh_level_parse(arg, at); break;
	case OPT_TIME: ok = xh_time_parse(arg, at); break;
	}
	return ok ? GO_ON : option_error(c->name, r, arg);
}

int parse_options(const struct opt_cmd *c, int argc, char **argv, void *args)
{
	struct option lo[OPT_ROWS_MAX + 1];
	char shorts[2 * OPT_ROWS_MAX + 1];
	size_t n, k = 0;
	int opt;

	for (n = 0; c->rows[n].name; n++) {
		const struct opt_row *r = &c->rows[n];
		int has_arg;
		if (n == OPT_ROWS_MAX) {
			fprintf(stderr, "exhunt %s: more than %d options in its table\n", c->name, OPT_ROWS_MAX);
			return EXIT_USAGE;
		}
		has_arg = r->kind == OPT_HELP || r->kind == OPT_FLAG ? no_argument : required_argument;
		lo[n] = (struct option){r->name, has_arg, NULL, 256 + (int)n};
		if (r->letter) {
			shorts[k++] = r->letter;
			if (has_arg)
				shorts[k++] = ':';
		}
	}
	lo[n] = (struct option){NULL, 0, NULL, 0};
	shorts[k] = '\0';
	optind = 1;
	while ((opt = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		const struct opt_row *r = NULL;
		int rc;
		if (opt >= 256 && (size_t)(opt - 256) < n)
			r = &c->rows[opt - 256];
		for (size_t i = 0; !r && opt != '?' && opt != ':' && i < n; i++)
			if (c->rows[i].letter == opt)
				r = &c->rows[i];
		if (!r) {
			if (c->bad_option)
				return usage_error(c->name, "%s", c->bad_option);
			fprintf(stderr, "Try 'exhunt help %s'.\n", c->name);
			return EXIT_USAGE;
		}
		if (c->check && (rc = c->check(c, r, optarg, args)) != GO_ON)
			return rc;
		if ((rc = take(c, r, optarg, args)) != GO_ON)
			return rc;
	}
	return GO_ON;
}
