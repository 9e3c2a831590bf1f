/*
 * What the CLI's files share (common.c): exit codes, messages, -o files and their sinks,
 * the colour decision, the progress line, the number parsers, and the option tables
 * every command describes its options with. The commands' entry points are in
 * commands.h.
 */
#ifndef EXHUNT_CLI_H
#define EXHUNT_CLI_H

#include <exhunt/exhunt.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2, EXIT_INCOMPLETE = 3 };
/* What parse_options, the commands' parse_*_args and the steps of a command return when
 * the command goes on (any other value is its exit code). */
#define GO_ON (-1)

#define XH_ARRAY(a) (sizeof(a) / sizeof((a)[0]))

/* ---- messages ----------------------------------------------------------------------- */

/* "exhunt CMD: <message>\nTry 'exhunt help CMD'." on stderr; returns EXIT_USAGE. */
int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints untrusted text for a message: printable ASCII as is, the rest as \xNN. */
void put_escaped(FILE *f, const char *s, size_t n);

/* ---- output ------------------------------------------------------------------------- */

enum { OUT_APPEND = 1, OUT_FOLLOW = 2 };
/* Opens -o FILE for writing: created or truncated (OUT_APPEND: appended to), and never
 * through a symbolic link planted at that path, unless OUT_FOLLOW (fopen's behaviour).
 * NULL with errno set on failure. */
FILE *open_output(const char *path, unsigned how);
/* "exhunt CMD: cannot write 'PATH': <errno text>" on stderr; returns EXIT_USAGE. */
int cannot_write(const char *cmd, const char *path);
/* Closes an -o file (stdout is flushed instead); false when a write was lost. */
bool close_output(FILE *f);
/* A writer's sink: ud is the FILE * to write to. */
xh_status sink_file(void *ud, const void *data, size_t len);
/* ANSI colour only on a terminal, without -o, --no-color or NO_COLOR. */
bool use_color(bool no_color, const char *output);

/* ---- progress on stderr ------------------------------------------------------------- */

struct progress {
	bool shown; /* a progress line stands on the terminal */
};
/* A progress line is drawn only on a terminal and without --quiet. */
bool progress_wanted(bool quiet);
/* Replaces the progress line with this one. */
void progress_show(struct progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Erases the progress line, if one stands. */
void progress_clear(struct progress *p);

/* ---- numbers ------------------------------------------------------------------------ */
/* Every number the CLI reads goes through these: decimal digits only, so a sign, a blank
 * before or after, an empty text, an exponent, a base prefix or a value that does not fit
 * is refused alike. */

/* A whole number from min to max. */
bool parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
/* Bytes: a whole number, or one followed by K, M or G (either case; 1024, 1024^2, 1024^3),
 * from min to max. */
bool parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *out);
/* A number with an optional fraction ("50", "0.5"), from min to max. */
bool parse_decimal(const char *s, double min, double max, double *out);
/* Seconds with an optional fraction ("10", "0.5") as milliseconds, from min_ms to max_ms. */
bool parse_millis(const char *s, unsigned min_ms, unsigned max_ms, unsigned *out);
/* K/N with 1 <= K <= N < 2^32 ("2/4"). */
bool parse_shard(const char *s, uint32_t *k, uint32_t *n);

/* ---- option tables ------------------------------------------------------------------ */
/* A command describes its options in a static const table of rows; parse_options runs
 * getopt_long over it and stores each value in the command's argument struct, at the
 * offset the row gives. Adding an option is one row (and its field). */

enum opt_kind {
	OPT_HELP,    /* prints the command's help: the command ends with EXIT_CLEAN */
	OPT_FLAG,    /* bool, set to true */
	OPT_TEXT,    /* const char *: the argument as given (the last one wins) */
	OPT_LIST,    /* struct opt_list: repeatable, at most max entries */
	OPT_UINT,    /* unsigned: parse_u64 from min to max (max fits an unsigned) */
	OPT_U64,     /* uint64_t: parse_u64 from min to max */
	OPT_SIZE,    /* uint64_t: parse_size from min to max */
	OPT_DECIMAL, /* double: parse_decimal from min to max */
	OPT_MILLIS,  /* unsigned: parse_millis, min and max in milliseconds */
	OPT_SHARD,   /* struct opt_shard: parse_shard */
	OPT_LEVEL,   /* enum xh_level: xh_level_parse */
	OPT_TIME,    /* int64_t, UTC milliseconds: xh_time_parse */
};

#define OPT_LIST_CAP 1024
struct opt_list {
	size_t n;
	const char *v[OPT_LIST_CAP];
};

struct opt_shard {
	uint32_t k, n; /* 1 <= k <= n; {0, 0}: not given */
};

struct opt_row {
	const char *name;   /* the long name without "--"; NULL ends the table */
	char letter;        /* the short option, or 0 */
	enum opt_kind kind;
	size_t at;          /* offset of the value in the argument struct: OPT_AT */
	uint64_t min, max;  /* numbers: the range; OPT_LIST: max is the most entries */
	unsigned (*max_of)(void); /* numbers: when set, the maximum, asked at run time */
	const char *what;   /* numbers: what the message says is wanted ("a number"); OPT_LIST:
	                     * the message when there are too many */
	const char *note;   /* numbers: said in brackets after the range, or NULL */
	unsigned tag;       /* the command's own mark for its check function */
};

/* The offset of args' field, which must have the C type the row's kind stores. A file
 * defines AT(type, field) as ".at = OPT_AT(type, its args struct, field)" for its rows. */
#define OPT_AT(type, args, field) _Generic(((args *)0)->field, type: offsetof(args, field))

struct opt_cmd {
	const char *name;            /* "scan": messages say "exhunt scan: ..." */
	const struct opt_row *rows;
	const char *help[2];         /* what OPT_HELP prints on stdout (NULL: nothing more) */
	const char *bad_option;      /* after getopt's own message on an unknown option: NULL
	                              * says "Try 'exhunt help NAME'.", else usage_error(text) */
	/* NULL, or asked before an option is taken: GO_ON to take it, else the exit code
	 * (the message said) */
	int (*check)(const struct opt_cmd *c, const struct opt_row *r, const char *arg, void *args);
};

/* Parses argv[1..] (argv[0] names the command for getopt's messages) into args, which
 * holds the defaults. GO_ON with optind at the first operand, else the exit code:
 * EXIT_CLEAN after the help, EXIT_USAGE after the message. */
int parse_options(const struct opt_cmd *c, int argc, char **argv, void *args);
/* "exhunt CMD: --NAME wants ..., not 'ARG'" for a value the row refuses; EXIT_USAGE. */
int option_error(const char *cmd, const struct opt_row *r, const char *arg);

#endif
