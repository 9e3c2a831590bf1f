/*
 * exgen: the ways it stops.  Bad usage exits 2, I/O errors and exhausted memory
 * exit 1, each with a message on stderr.
 */
#include "exgen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void die_usage(const char *msg, const char *arg)
{
	fprintf(stderr, "exgen: %s%s%s\nTry 'exgen --help'.\n", msg, arg ? ": " : "", arg ? arg : "");
	exit(2);
}

void die_io(const char *what, const char *path)
{
	fprintf(stderr, "exgen: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}
void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);
	if (!q) {
		fprintf(stderr, "exgen: out of memory\n");
		exit(1);
	}
	return q;
}
char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = xrealloc(NULL, n);
	memcpy(d, s, n);
	return d;
}
