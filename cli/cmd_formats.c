/*
 * `exhunt formats`: the input kinds exhunt recognises (the library's source registry:
 * name, format, #Log-type, title, fields) and the output formats, as text or JSON Lines.
 */
#include "cli.h"
#include "commands.h"

#include <exhunt/exhunt.h>

#include <stdio.h>
#include <string.h>

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

static void list_jsonl(void)
{
	for (size_t i = 0; i < xh_source_count(); i++) {
		const struct xh_source *s = xh_source_at(i);
		fputs("{\"source\":", stdout);
		json_str(s->name);
		fputs(",\"format\":", stdout);
		json_str(xh_format_name(s->format));
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
}

static void list_text(void)
{
	puts("Input kinds (recognised by content, not by file name):\n");
	for (size_t i = 0; i < xh_source_count(); i++) {
		const struct xh_source *s = xh_source_at(i);
		printf("%-13s %-7s %s\n", s->name, xh_format_name(s->format), s->title);
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
}

/* Takes nothing but --format text|jsonl (or -f). */
int cmd_formats(int argc, char **argv)
{
	bool format = argc == 3 && (strcmp(argv[1], "-f") == 0 || strcmp(argv[1], "--format") == 0);

	if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		puts("usage: exhunt formats [--format text|jsonl]\n\nLists the input kinds exhunt recognises (the `source` of each record),\n"
		     "how each is recognised and parsed, and the fields rules and `dump` can use.");
		return EXIT_CLEAN;
	}
	if (format && strcmp(argv[2], "jsonl") == 0) {
		list_jsonl();
		return EXIT_CLEAN;
	}
	if (argc > 1 && !(format && strcmp(argv[2], "text") == 0)) {
		fprintf(stderr, "exhunt formats: takes only --format text|jsonl\nTry 'exhunt help formats'.\n");
		return EXIT_USAGE;
	}
	list_text();
	return EXIT_CLEAN;
}
