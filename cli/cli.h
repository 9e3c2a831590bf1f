/*
 * What the CLI's command files share: exit codes and message helpers.
 */
#ifndef EXHUNT_CLI_H
#define EXHUNT_CLI_H

#include <stdio.h>

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };

/* "exhunt CMD: <message>\nTry 'exhunt help CMD'." on stderr; returns EXIT_USAGE. */
int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints untrusted text for a message: printable ASCII as is, the rest as \xNN. */
void put_escaped(FILE *f, const char *s, size_t n);
/* exhunt rules list|lint|test (cmd_rules.c). */
int run_rules(int argc, char **argv);
/* exhunt probe (cmd_probe.c). */
int run_probe(int argc, char **argv);

#endif
