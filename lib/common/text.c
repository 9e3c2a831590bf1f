/*
 * Byte views (struct xh_sv) compared, trimmed and read as numbers, and the sorted
 * listing of a rule folder.
 */
#include "common/base.h"

#include <dirent.h>
#include <stdlib.h>
#include <strings.h>

bool xh_sv_ieq(struct xh_sv a, const char *lit)
{
	size_t n = strlen(lit);
	return a.p && a.n == n && strncasecmp(a.p, lit, n) == 0;
}

bool xh_sv_istarts(struct xh_sv a, const char *lit)
{
	size_t n = strlen(lit);
	return a.p && a.n >= n && strncasecmp(a.p, lit, n) == 0;
}

struct xh_sv xh_sv_trim(struct xh_sv a)
{
	while (a.n && (a.p[0] == ' ' || a.p[0] == '\t')) {
		a.p++;
		a.n--;
	}
	while (a.n && (a.p[a.n - 1] == ' ' || a.p[a.n - 1] == '\t' || a.p[a.n - 1] == '\r'))
		a.n--;
	return a;
}

bool xh_sv_u64(struct xh_sv a, unsigned maxdigits, uint64_t *out)
{
	uint64_t v = 0;

	if (!a.p || a.n == 0 || a.n > maxdigits || maxdigits > 19)
		return false;
	for (size_t i = 0; i < a.n; i++) {
		if (a.p[i] < '0' || a.p[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(a.p[i] - '0');
	}
	*out = v;
	return true;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

xh_status xh_dir_names(const char *dir, char ***out, size_t *nout)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	xh_status st = XH_OK;

	*out = NULL;
	*nout = 0;
	if (!d)
		return XH_EIO;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((st = xh_grow((void **)&names, &cap, n + 1, sizeof *names)) != XH_OK)
			break;
		if (!(names[n] = xh_strdup(de->d_name))) {
			st = XH_ENOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (st) {
		xh_dir_names_free(names, n);
		return st;
	}
	if (n > 1)
		qsort(names, n, sizeof *names, cmp_name);
	*out = names;
	*nout = n;
	return XH_OK;
}

void xh_dir_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		xh_free(names[i]);
	xh_free(names);
}
