/*
 * Evidence walker (see vfs.h): the roots, and folders walked with openat() from a
 * directory fd, one component at a time with O_NOFOLLOW, so a symlink planted in a
 * collection (or a path longer than PATH_MAX) can neither lead outside the evidence nor
 * break the walk. Zip roots are enumerated by zip.c, entries opened by open.c, and each
 * entry's path on the server named by layout.c.
 */
#define _GNU_SOURCE
#include "evidence/vfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- folders --------------------------------------------------------------------------- */

static int cmp_entry_path(const void *a, const void *b)
{
	const struct xh_entry *x = a, *y = b;
	return strcmp(x->path, y->path);
}

/* Walks dfd (which it closes) whose evidence-relative path is path->p[0..path->len). */
static xh_status walk(struct xh_vfs *v, uint32_t root, int dfd, struct xh_buf *path, unsigned depth)
{
	DIR *d = fdopendir(dfd);
	struct dirent *de;
	size_t base = path->len;
	xh_status st = XH_OK;

	if (!d) {
		close(dfd);
		return XH_EIO;
	}
	for (;;) {
		struct stat sb;
		struct xh_entry *e;
		size_t nl;

		errno = 0;
		de = readdir(d);
		if (!de) {
			/* a listing cut short is said, not taken for a complete folder */
			if (errno)
				st = xh_vfs_add_problem(v, root, path->p, base, "folder listing incomplete (read error)");
			break;
		}
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		nl = strlen(de->d_name);
		path->len = base;
		if ((base && xh_buf_addc(path, '/')) || xh_buf_add(path, de->d_name, nl)) {
			/* path too long: count it, do not descend */
			path->len = base;
			st = xh_vfs_add_problem(v, root, path->p, base, "path longer than the limit");
			if (st)
				break;
			continue;
		}
		if (fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
			st = xh_vfs_add_problem(v, root, path->p, path->len, "cannot stat");
			if (st)
				break;
			continue;
		}
		if (S_ISDIR(sb.st_mode)) {
			int sub;
			if (depth + 1 >= XH_MAX_DEPTH) {
				st = xh_vfs_add_problem(v, root, path->p, path->len, "folder deeper than the limit");
				if (st)
					break;
				continue;
			}
			sub = xh_open_dir_at(dirfd(d), de->d_name);
			st = sub < 0 ? XH_EIO : walk(v, root, sub, path, depth + 1);
			if (st == XH_ENOMEM)
				break;
			if (st == XH_EIO)
				st = xh_vfs_add_problem(v, root, path->p, path->len, "folder cannot be opened");
			if (st)
				break;
			continue;
		}
		e = xh_vfs_add_entry(v, path->p, path->len);
		if (!e) {
			st = XH_ENOMEM;
			break;
		}
		e->root = root;
		e->size = (uint64_t)sb.st_size;
		e->mtime = (int64_t)sb.st_mtime;
		if (S_ISLNK(sb.st_mode))
			e->skip = "symbolic link (not followed)";
		else if (!S_ISREG(sb.st_mode))
			e->skip = "not a regular file";
	}
	path->len = base;
	closedir(d);
	return st;
}

/* ---- build ----------------------------------------------------------------------------- */

static bool is_zip_file(int fd)
{
	unsigned char m[4];
	ssize_t got = pread(fd, m, 4, 0);
	return got == 4 && m[0] == 'P' && m[1] == 'K' && m[2] == 3 && m[3] == 4;
}

static char *make_prefix(const char *arg)
{
	size_t n = strlen(arg);
	const char *b;

	while (n > 1 && arg[n - 1] == '/')
		n--;
	b = arg + n;
	while (b > arg && b[-1] != '/')
		b--;
	return xh_strndup(b, (size_t)(arg + n - b));
}

xh_status xh_vfs_build(struct xh_vfs *v, const char *const *args, size_t n, struct xh_error *err)
{
	struct xh_buf path;
	xh_status st = XH_OK;

	memset(v, 0, sizeof *v);
	v->roots = xh_calloc(n, sizeof *v->roots);
	if (!v->roots)
		return XH_ENOMEM;
	/* full size up front: a failed append in the walk then means "too long" only */
	xh_buf_init(&path, XH_MAX_PATH);
	if (xh_buf_reserve(&path, XH_MAX_PATH)) {
		xh_buf_free(&path);
		return XH_ENOMEM;
	}
	for (size_t i = 0; i < n && !st; i++) {
		struct xh_root *rt = &v->roots[i];
		size_t first = v->n;
		struct stat sb;
		int fd;

		v->nroots++;
		rt->fd = -1;
		rt->arg = xh_strdup(args[i]);
		rt->prefix = n > 1 ? make_prefix(args[i]) : xh_strdup("");
		if (!rt->arg || !rt->prefix) {
			st = XH_ENOMEM;
			break;
		}
		fd = open(args[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &sb) != 0) {
			st = xh_fail(err, XH_EIO, args[i], 0, 0, "cannot open: %s", strerror(errno));
			if (fd >= 0)
				close(fd);
			break;
		}
		if (S_ISDIR(sb.st_mode)) {
			rt->type = XH_ROOT_DIR;
			rt->fd = fd;
			path.len = 0;
			st = walk(v, (uint32_t)i, dup(fd), &path, 0);
			if (st == XH_EIO)
				st = xh_fail(err, XH_EIO, args[i], 0, 0, "cannot read folder");
			if (v->n > first)
				qsort(v->e + first, v->n - first, sizeof *v->e, cmp_entry_path);
		} else if (S_ISREG(sb.st_mode) && is_zip_file(fd)) {
			rt->type = XH_ROOT_ZIP;
			close(fd);
			st = xh_zip_enumerate(v, (uint32_t)i, err);
		} else if (S_ISREG(sb.st_mode)) {
			struct xh_entry *e;
			char *base = make_prefix(args[i]);
			rt->type = XH_ROOT_FILE;
			close(fd);
			if (!base) {
				st = XH_ENOMEM;
				break;
			}
			e = xh_vfs_add_entry(v, base, strlen(base));
			xh_free(base);
			if (!e) {
				st = XH_ENOMEM;
				break;
			}
			e->root = (uint32_t)i;
			e->size = (uint64_t)sb.st_size;
			e->mtime = (int64_t)sb.st_mtime;
			/* a single file is named by its base name; no prefix needed */
		} else {
			close(fd);
			st = xh_fail(err, XH_EARG, args[i], 0, 0, "not a folder, zip archive or file");
		}
		/* with several roots, paths start with the root's own name */
		for (size_t k = first; !st && rt->prefix[0] && rt->type != XH_ROOT_FILE && k < v->n; k++) {
			struct xh_buf np;
			xh_buf_init(&np, XH_MAX_PATH + 256);
			if (xh_buf_adds(&np, rt->prefix) || xh_buf_addc(&np, '/') ||
			    xh_buf_adds(&np, v->e[k].path) || xh_buf_addc(&np, '\0')) {
				xh_buf_free(&np);
				st = XH_ENOMEM;
				break;
			}
			xh_free(v->e[k].path);
			v->e[k].path = np.p;
		}
	}
	for (size_t k = 0; !st && k < v->n; k++)
		v->e[k].origin = xh_path_origin(v->e[k].path);
	xh_buf_free(&path);
	return st;
}

void xh_vfs_free(struct xh_vfs *v)
{
	for (size_t i = 0; i < v->nhosts; i++) {
		xh_free(v->hosts[i].name);
		xh_free(v->hosts[i].folder);
	}
	xh_free(v->hosts);
	for (size_t i = 0; i < v->n; i++) {
		xh_free(v->e[i].path);
		xh_free(v->e[i].origin);
	}
	xh_free(v->e);
	for (size_t i = 0; i < v->nroots; i++) {
		if (v->roots[i].fd >= 0)
			close(v->roots[i].fd);
		xh_free(v->roots[i].arg);
		xh_free(v->roots[i].prefix);
	}
	xh_free(v->roots);
	memset(v, 0, sizeof *v);
}
