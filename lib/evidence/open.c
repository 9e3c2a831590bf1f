/*
 * Opening evidence entries as byte sources, read-only: files below a folder root one
 * path component at a time with O_NOFOLLOW (a link planted in a collection can never
 * lead outside it), O_NOATIME where permitted (reading evidence does not even change
 * its access times) and O_NONBLOCK (a file swapped for a FIFO cannot hang a worker);
 * zip entries through zip.c.
 */
#define _GNU_SOURCE
#include "evidence/vfs.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

void xh_opened_init(struct xh_opened *o)
{
	memset(o, 0, sizeof *o);
	o->fd = -1;
	o->dfd = -1;
}

static ssize_t fd_read(void *ctx, void *buf, size_t n, const char **err)
{
	struct xh_opened *o = ctx;
	ssize_t got;

	do
		got = read(o->fd, buf, n);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		*err = "read error";
	return got;
}

/* O_NONBLOCK: a file swapped for a FIFO after the walk must not hang a worker; the
 * caller then checks that what it opened is a regular file. */
static int open_noatime(int dfd, const char *name)
{
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOATIME);
	if (fd < 0 && errno == EPERM)
		fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	return fd;
}

/* Opens path (relative to the root fd) one component at a time, never following links.
 * The folder it ends in stays open in o (for root `root`): a file of the same folder is
 * then opened from it directly (files come in path order, a folder's files together). */
static int open_beneath(struct xh_opened *o, uint32_t root, int rootfd, const char *path)
{
	char comp[256];
	int dfd = rootfd, fd = -1;
	const char *p = path, *last = strrchr(path, '/');
	size_t dlen = last ? (size_t)(last - path) : 0;

	if (last && o->dfd >= 0 && o->droot == root && o->dlen == dlen && memcmp(o->dpath, path, dlen) == 0) {
		if (strlen(last + 1) == 0 || strlen(last + 1) >= sizeof comp)
			return -1;
		return open_noatime(o->dfd, last + 1);
	}
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		if (len == 0 || len >= sizeof comp)
			break;
		memcpy(comp, p, len);
		comp[len] = '\0';
		if (!slash) {
			fd = open_noatime(dfd, comp);
			break;
		}
		{
			int next = xh_open_dir_at(dfd, comp);
			if (dfd != rootfd)
				close(dfd);
			dfd = next;
			if (dfd < 0)
				return -1;
		}
		p = slash + 1;
	}
	if (dfd != rootfd && dfd >= 0) {
		/* keep the folder for the next file; without memory for its path, close it */
		if (!o->dpath)
			o->dpath = xh_malloc(XH_MAX_PATH);
		if (fd >= 0 && o->dpath && dlen < XH_MAX_PATH) {
			if (o->dfd >= 0)
				close(o->dfd);
			o->dfd = dfd;
			o->droot = root;
			memcpy(o->dpath, path, dlen);
			o->dlen = dlen;
		} else {
			close(dfd);
		}
	}
	return fd;
}

xh_status xh_vfs_open(struct xh_vfs *v, size_t i, struct xh_opened *o, struct xh_src *src,
                      const char **why)
{
	struct xh_entry *e = &v->e[i];
	struct xh_root *rt = &v->roots[e->root];
	const char *rel = e->path + (rt->prefix[0] && rt->type != XH_ROOT_FILE ? strlen(rt->prefix) + 1 : 0);

	*why = NULL;
	if (rt->type == XH_ROOT_DIR || rt->type == XH_ROOT_FILE) {
		struct stat sb;
		o->fd = rt->type == XH_ROOT_DIR ? open_beneath(o, e->root, rt->fd, rel)
		                                : open(rt->arg, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
		if (o->fd < 0) {
			*why = errno == ELOOP ? "symbolic link (not followed)" : "cannot open";
			return XH_EIO;
		}
		if (fstat(o->fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
			xh_vfs_close(o);
			*why = "no longer a regular file";
			return XH_EIO;
		}
		src->read = fd_read;
		src->ctx = o;
		return XH_OK;
	}
	return xh_zip_open_entry(o, rt->arg, e, src, why);
}

void xh_vfs_close(struct xh_opened *o)
{
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
}

void xh_opened_free(struct xh_opened *o)
{
	xh_vfs_close(o);
	if (o->dfd >= 0)
		close(o->dfd);
	o->dfd = -1;
	xh_free(o->dpath);
	o->dpath = NULL;
	xh_zip_release(o);
}
