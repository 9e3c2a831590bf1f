/*
 * exhunt command line: the command table and the dispatch (`exhunt CMD ...`,
 * `exhunt help [CMD]`, `--version`). Each command lives in its own cmd_*.c; what they
 * share is in common.c. Adding a command is one row here and its file.
 *
 * Exit codes: 0 clean, 1 findings (scan), vulnerable (build, probe) or failed checks
 * (rules), 2 usage error; each command's help says what its own mean.
 */
#include "cli.h"
#include "commands.h"

#include <exhunt/exhunt.h>

#include <stdio.h>
#include <string.h>

struct command {
	const char *name;
	const char *operands; /* shown after the name in the command list */
	int (*run)(int argc, char **argv); /* argv[0] is the name; returns the exit code */
	const char *help;     /* one line for the command list */
};

static const struct command commands[] = {
	{"scan", "EVIDENCE...", cmd_scan, "read the evidence and report findings and what it covers"},
	{"dump", "EVIDENCE...", cmd_scan, "print every record read, as JSON Lines (or csv/text)"},
	{"build", "BUILD...", cmd_build, "which exploited CVEs an Exchange build leaves open (- reads stdin)"},
	{"rules", "list|lint|test", cmd_rules, "the detection rules: what is loaded and why not, checks, tests"},
	{"probe", "TARGET...", cmd_probe, "which Exchange builds hosts run, seen from the network (GETs only)"},
	{"formats", "", cmd_formats, "list the input kinds exhunt recognises and their fields"},
};

static void usage_main(FILE *f)
{
	fputs("exhunt " EXHUNT_VERSION " - hunt for compromise in Microsoft Exchange evidence\n"
	      "\n"
	      "usage: exhunt COMMAND [options] ...\n"
	      "\n"
	      "commands:\n", f);
	for (size_t i = 0; i < XH_ARRAY(commands); i++) {
		char synopsis[64];
		snprintf(synopsis, sizeof synopsis, "%s%s%s", commands[i].name, commands[i].operands[0] ? " " : "",
		         commands[i].operands);
		fprintf(f, "  %-17s  %s\n", synopsis, commands[i].help);
	}
	fputs("  help [COMMAND]     show help for a command\n"
	      "  --version          print the version\n"
	      "\n"
	      "EVIDENCE is a folder (a copied tree C/inetpub/..., KAPE output, a Velociraptor\n"
	      "collection with uploads/auto/C%3A/...), a .zip triage archive (read in place, never\n"
	      "extracted) or a single log file. Files are recognised by content, not by name;\n"
	      ".gz logs are read transparently. Evidence is only ever opened read-only.\n"
	      "\n"
	      "Run 'exhunt help scan' for the options.\n", f);
}

static const struct command *find(const char *name)
{
	for (size_t i = 0; i < XH_ARRAY(commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* `exhunt help CMD` is `exhunt CMD --help`. */
static int run_help(int argc, char **argv)
{
	const struct command *c;
	char *args[3] = {NULL, "--help", NULL};

	if (argc < 2) {
		usage_main(stdout);
		return EXIT_CLEAN;
	}
	if (!(c = find(argv[1]))) {
		fprintf(stderr, "exhunt help: unknown command '%s'\n", argv[1]);
		return EXIT_USAGE;
	}
	args[0] = argv[1];
	return c->run(2, args);
}

int main(int argc, char **argv)
{
	const struct command *c;

	if (argc < 2) {
		usage_main(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		puts("exhunt " EXHUNT_VERSION);
		return EXIT_CLEAN;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
		return run_help(1, argv);
	if (strcmp(argv[1], "help") == 0)
		return run_help(argc - 1, argv + 1);
	if ((c = find(argv[1])) != NULL)
		return c->run(argc - 1, argv + 1);
	fprintf(stderr, "exhunt: unknown command '%s'\n\n", argv[1]);
	usage_main(stderr);
	return EXIT_USAGE;
}
