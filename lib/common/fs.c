/*
 * The files a user names (never evidence: evidence/ reads that): a rule file, a YARA file,
 * an allow-list, read whole up to a limit; a rule folder listed and walked in sorted
 * order, so what is loaded from a folder comes in the same order on every run. Opened
 * without following a link and without blocking (a FIFO given as a rule file is refused,
 * not waited on).
 */
#define _GNU_SOURCE
#include "common/base.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

xh_status xh_read_file(const char *path, size_t max, char **out, size_t *len, const char **why)
{
	struct stat sb;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	char *buf = NULL;
	size_t got = 0;
	xh_status st = XH_OK;

	*out = NULL;
	*len = 0;
	*why = NULL;
	if (fd < 0) {
		*why = strerror(errno);
		return XH_EIO;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		*why = "not a regular file";
		st = XH_EFORMAT;
		goto out;
	}
	if ((uint64_t)sb.st_size > max) {
		*why = "larger than the limit";
		st = XH_ELIMIT;
		goto out;
	}
	buf = xh_malloc((size_t)sb.st_size + 1);
	if (!buf) {
		st = XH_ENOMEM;
		goto out;
	}
	while (got < (size_t)sb.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)sb.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	buf[got] = '\0';
	*out = buf;
	*len = got;
out:
	close(fd);
	return st;
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

static xh_status walk(const char *dir, unsigned depth, const struct xh_dir_walk *w)
{
	char **names;
	size_t n;
	xh_status st;

	if (depth > XH_MAX_DEPTH)
		return XH_OK;
	st = xh_dir_names(dir, &names, &n);
	if (st == XH_EIO) {
		if (w->folder_error)
			w->folder_error(w->ud, dir);
		return XH_OK;
	}
	if (st)
		return st;
	for (size_t i = 0; i < n && !st; i++) {
		char path[XH_MAX_RULE_PATH];
		struct stat sb;
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= sizeof path)
			continue;
		if (lstat(path, &sb) != 0)
			continue;
		if (S_ISDIR(sb.st_mode))
			st = walk(path, depth + 1, w);
		else if (S_ISREG(sb.st_mode) && w->want(names[i]))
			st = w->file(w->ud, path);
	}
	xh_dir_names_free(names, n);
	return st;
}

xh_status xh_dir_walk(const char *dir, const struct xh_dir_walk *w)
{
	return walk(dir, 0, w);
}
