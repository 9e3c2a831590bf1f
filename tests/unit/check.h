/*
 * Minimal unit-test harness: CHECK() records a failure with file:line and goes on;
 * each test program ends with check_done(), which prints "N passed, M failed" (the
 * line CI reads) and returns the exit status.
 */
#ifndef XH_CHECK_H
#define XH_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_pass, check_fail;

#define CHECK(cond)                                                                      \
	do {                                                                             \
		if (cond) {                                                              \
			check_pass++;                                                    \
		} else {                                                                 \
			check_fail++;                                                    \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                        \
	} while (0)

/* Compares a byte view with a C string. */
#define CHECK_SV(sv, lit)                                                                \
	CHECK((sv).p != NULL && (sv).n == strlen(lit) && memcmp((sv).p, (lit), (sv).n) == 0)

static inline int check_done(void)
{
	printf("%d passed, %d failed\n", check_pass, check_fail);
	return check_fail ? 1 : 0;
}

#endif
